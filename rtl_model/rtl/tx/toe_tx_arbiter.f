# SPDX-License-Identifier: Apache-2.0
# toe_tx_arbiter: picks the next response or data segment to send.
-f ../toe_seq_pkg.f
-f ../fsm/toe_fsm_pkg.f
lint_waivers.vlt
toe_tx_arbiter.sv
