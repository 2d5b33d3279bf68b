# SPDX-License-Identifier: Apache-2.0
# toe_tcp_fsm: the RFC 9293 state machine and every sequence/ACK check.
-f ../toe_seq_pkg.f
-f toe_fsm_pkg.f
lint_waivers.vlt
toe_tcp_fsm.sv
