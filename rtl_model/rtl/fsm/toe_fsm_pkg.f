# SPDX-License-Identifier: Apache-2.0
# toe_fsm_pkg: the decision segment's types (TCB, transmit request, event, result).
toe_fsm_pkg.sv
