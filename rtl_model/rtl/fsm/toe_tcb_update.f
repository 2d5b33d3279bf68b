# SPDX-License-Identifier: Apache-2.0
# toe_tcb_update: applies tcp_fsm's result (response and event pushes).
-f toe_fsm_pkg.f
lint_waivers.vlt
toe_tcb_update.sv
