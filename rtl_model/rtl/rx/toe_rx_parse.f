# SPDX-License-Identifier: Apache-2.0
# toe_rx_parse: frame slots and header parse.
-f toe_rx_pkg.f
lint_waivers.vlt
toe_rx_slot_ram.sv
toe_rx_parse.sv
