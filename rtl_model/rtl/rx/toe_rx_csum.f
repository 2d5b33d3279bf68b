# SPDX-License-Identifier: Apache-2.0
# toe_rx_csum: IPv4 and TCP checksum verdict.
-f toe_rx_pkg.f
lint_waivers.vlt
toe_rx_csum.sv
