# SPDX-License-Identifier: Apache-2.0
# toe_rx_pkg: the receive segment's constants, after the generated toe_defs_pkg (counters,
# parameter ranges: rtl_model/regmap/toe_defs.toml).
$GEN/regmap/toe_defs_pkg.sv
toe_rx_pkg.sv
