# SPDX-License-Identifier: Apache-2.0
# toe_hash_pkg: the 4-tuple hash of the index buckets (tuple_hash) and the ISN mix (isn_mix_*).
toe_hash_pkg.sv
