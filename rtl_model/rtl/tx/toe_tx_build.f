# SPDX-License-Identifier: Apache-2.0
# toe_tx_build: forms the frame (with its frame RAM and toe_tx_csum).
lint_waivers.vlt
../toe_sdp_ram.sv
-f toe_tx_csum.f
toe_tx_build.sv
