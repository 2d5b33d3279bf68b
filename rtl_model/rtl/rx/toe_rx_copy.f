# SPDX-License-Identifier: Apache-2.0
# toe_rx_copy: payload from a frame slot into a receive buffer.
lint_waivers.vlt
toe_rx_copy.sv
