# SPDX-License-Identifier: Apache-2.0
# toe_fsm_pkg: the decision segment's types (TCB, transmit request, event, result), after the
# generated toe_defs_pkg (states, opcodes, event types, counters: rtl_model/regmap/toe_defs.toml).
$GEN/regmap/toe_defs_pkg.sv
lint_waivers.vlt
toe_fsm_pkg.sv
