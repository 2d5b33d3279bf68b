#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs one packetdrill-style scenario through toe_sim and lints the pcap it wrote.

  run_scenario.py TOE_SIM SCRIPT.pkt OUT_DIR TRACE_LINT [extra toe_sim options]

Writes OUT_DIR/NAME.{pcap,svg,json}; exits with toe_sim's status if it failed,
else with the trace lint's. TOE_ENGINE=model|rtl in the environment (the rtl.*
twins) becomes toe_sim's --engine; toe_sim exits 4 when the RTL has no
Verilated build of the script's parameters (ctest counts it as skipped).
"""
import os
import subprocess
import sys


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    toe_sim, script, out_dir, lint = sys.argv[1:5]
    os.makedirs(out_dir, exist_ok=True)
    name = os.path.splitext(os.path.basename(script))[0]
    base = os.path.join(out_dir, name)
    cmd = [toe_sim, "script", script, "--pcap", base + ".pcap", "--ladder", base + ".svg",
           "--stats", base + ".json"] + sys.argv[5:]
    engine = os.environ.get("TOE_ENGINE", "")
    if engine:
        cmd += ["--engine", engine]
    print(" ".join(cmd), flush=True)
    rc = subprocess.call(cmd)
    if rc != 0:
        sys.exit(rc)
    sys.exit(subprocess.call([sys.executable, lint, base + ".pcap"]))


if __name__ == "__main__":
    main()
