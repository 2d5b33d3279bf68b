# SPDX-License-Identifier: Apache-2.0
# toe_top: the whole fast path.
-f ../rx/toe_rx_parse.f
-f ../rx/toe_rx_csum.f
-f ../rx/toe_conn_lookup.f
-f ../rx/toe_isn_mix.f
-f ../rx/toe_rx_copy.f
-f ../fsm/toe_tcp_fsm.f
-f ../fsm/toe_tcb_update.f
-f ../tx/toe_tx_arbiter.f
-f ../tx/toe_tx_build.f
-f toe_tables.f
$GEN/regmap/toe_param_check.sv
lint_waivers.vlt
toe_top.sv
