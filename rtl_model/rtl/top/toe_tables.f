# SPDX-License-Identifier: Apache-2.0
# toe_tables: the engine's memories and queues (the model's Tables).
-f ../fsm/toe_fsm_pkg.f
-f ../toe_hash_pkg.f
lint_waivers.vlt
../toe_sdp_ram.sv
toe_tcb_ram.sv
toe_evt_ram.sv
toe_index_ram.sv
toe_tables.sv
