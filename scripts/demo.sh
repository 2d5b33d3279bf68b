#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Main job: install, build, and run `toe_sim demo` (the engine with its firmware in the loop and an
# application on the host driver, lwIP peers over a link with 1 % loss and reordering); outputs in
# out/demo.{pcap,vcd,svg,json}. Extra arguments go to toe_sim demo (see `toe_sim demo --help`).
# The model demo builds only what it needs (build/demo, no RTL); `--engine rtl` builds the default
# preset, which Verilates the RTL.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup.sh
if [[ " $* " == *" --engine rtl "* || " $* " == *" --engine=rtl "* ]]; then
  cmake --preset default >/dev/null
  cmake --build --preset default --target toe_sim
  toe_sim=build/default/sim/toe_sim/toe_sim
else
  cmake -S . -B build/demo -DCMAKE_BUILD_TYPE=Release -DTOE_RTL_ENGINE=OFF >/dev/null
  cmake --build build/demo -j"$(nproc)" --target toe_sim
  toe_sim=build/demo/sim/toe_sim/toe_sim
fi
mkdir -p out
"$toe_sim" demo --out-dir out "$@"
python3 scripts/trace_lint.py out/demo.pcap
echo "demo outputs: out/demo.pcap (Wireshark) out/demo.vcd (GTKWave) out/demo.svg (browser) out/demo.json"
