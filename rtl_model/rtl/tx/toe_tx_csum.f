# SPDX-License-Identifier: Apache-2.0
# toe_tx_csum: completes the TCP checksum and streams the frame.
lint_waivers.vlt
toe_tx_csum.sv
