#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Main job: install, build, and run the toe_sim demo; outputs in out/demo.*
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup.sh
cmake --preset default >/dev/null
cmake --build --preset default --target toe_sim
mkdir -p out
build/default/sim/toe_sim/toe_sim demo --pcap out/demo.pcap --vcd out/demo.vcd --ladder out/demo.svg \
  --stats out/demo.json "$@"
python3 scripts/trace_lint.py out/demo.pcap
echo "demo outputs: out/demo.pcap (Wireshark) out/demo.vcd (GTKWave) out/demo.svg (browser) out/demo.json"
