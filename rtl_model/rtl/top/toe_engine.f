# SPDX-License-Identifier: Apache-2.0
# toe_engine: toe_top behind the generated register block (the synthesis top); $GEN is the build tree's gen/ folder.
$GEN/regmap/toe_reg_pkg.sv
$GEN/regmap/toe_reg_top.sv
$GEN/regmap/toe_fw_reg_pkg.sv
$GEN/regmap/toe_fw_reg_top.sv
-f toe_top.f
toe_ring.sv
toe_fw_rxq.sv
toe_fw_txq.sv
toe_engine.sv
