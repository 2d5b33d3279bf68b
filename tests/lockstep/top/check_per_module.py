#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks a `scripts/fpga_report.py --per-module --json F` result (ctest ecp5_per_module_tables):
every configuration's instance rows add up to its design totals (LUT, FF, LUT RAM, RAM blocks,
DSP), the memories (toe_sdp_ram) are folded into the instances that hold them, and the
instances named on the command line are there with their modules.

  check_per_module.py RESULT.json FAMILY INSTANCE=MODULE ...   ("" or (top) names the top)
"""
import json
import sys


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    path, fam, want = argv[0], argv[1], dict(a.split("=", 1) for a in argv[2:])
    with open(path) as f:
        results = json.load(f)
    bad = []
    for r in results:
        res = r.get(fam, {})
        rows = res.get("modules")
        if not rows:
            bad.append(f"{r['name']}: no per-module rows for {fam} ({res.get('error', 'not run')})")
            continue
        for key in ("lut", "ff", "lutram", "bram", "dsp"):
            if key in res and sum(m[key] for m in rows) != res[key]:
                bad.append(f"{r['name']}: the rows' {key} add up to {sum(m[key] for m in rows)}, "
                           f"the design has {res[key]}")
        folded = [m["instance"] for m in rows if m["module"] == "toe_sdp_ram"]
        if folded:
            bad.append(f"{r['name']}: memories not folded into their instance: {folded}")
        got = {m["instance"]: m["module"] for m in rows}
        for inst, module in want.items():
            inst = "" if inst == "(top)" else inst
            if got.get(inst) != module:
                bad.append(f"{r['name']}: instance '{inst or '(top)'}' is {got.get(inst, 'missing')}, "
                           f"expected {module}")
        if not any(m["lut"] > 0 for m in rows if m["instance"]):
            bad.append(f"{r['name']}: no submodule has a LUT: the hierarchy was flattened")
    for b in bad:
        print(f"check_per_module: {b}", file=sys.stderr)
    print(f"check_per_module: {len(results)} configuration(s), {'FAILED' if bad else 'ok'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
