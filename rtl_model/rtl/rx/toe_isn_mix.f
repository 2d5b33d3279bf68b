# SPDX-License-Identifier: Apache-2.0
# toe_isn_mix: the keyed ISN mix of a 4-tuple, in two stages.
-f ../toe_hash_pkg.f
lint_waivers.vlt
toe_isn_mix.sv
