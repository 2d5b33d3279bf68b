# SPDX-License-Identifier: Apache-2.0
# toe_conn_lookup: 4-tuple hash to an index bucket.
-f ../toe_hash_pkg.f
lint_waivers.vlt
toe_conn_lookup.sv
