#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""toe_param_check refuses bad build parameters at elaboration (ctest defs_sv_bad_params).

For each bad value, `verilator --lint-only -Wall` (and yosys, where given) must FAIL and name
the parameter, the rule and the value as toe::params::check does (after "toe_top: <Name>");
the defaults and the largest valid values must lint clean.

Usage: check_param_check_sv.py --verilator EXE [--yosys EXE] toe_defs_pkg.sv toe_param_check.sv
"""
import argparse
import subprocess
import sys

# (parameter overrides, the message the first failing check must give)
BAD = [
    ({"Sessions": 7}, "toe_top: Sessions must be even, got 7"),
    ({"Sessions": 0}, "toe_top: Sessions must be 2..65536, got 0"),
    ({"Sessions": 65538}, "toe_top: Sessions must be 2..65536, got 65538"),
    ({"DataBytes": 3}, "toe_top: DataBytes must be a power of two, got 3"),
    ({"DataBytes": 128}, "toe_top: DataBytes must be 1..64, got 128"),
    ({"RxBufBytes": 1000}, "toe_top: RxBufBytes must be a power of two, got 1000"),
    ({"TxBufBytes": 32}, "toe_top: TxBufBytes must be >= 64, got 32"),
    ({"ListenEntries": 0}, "toe_top: ListenEntries must be >= 1, got 0"),
    ({"RspDepth": 4}, "toe_top: RspDepth must be >= 8, got 4"),
    ({"EvtDepth": 16}, "toe_top: EvtDepth must be >= 32, got 16"),
    ({"EvtDepth": 36}, "toe_top: EvtDepth must be a multiple of 8, got 36"),
    ({"RxSlots": 3}, "toe_top: RxSlots must be 4..16, got 3"),
    ({"RxSlots": 17}, "toe_top: RxSlots must be 4..16, got 17"),
]
GOOD = [
    {},
    {"Sessions": 65536, "DataBytes": 64, "RxBufBytes": 1 << 20, "TxBufBytes": 64,
     "ListenEntries": 1, "RspDepth": 8, "EvtDepth": 32, "RxSlots": 4},
    {"Sessions": 48, "DataBytes": 1, "RxSlots": 6},
]


def lint(verilator, files, params):
    cmd = [verilator, "--lint-only", "-Wall", "--top-module", "toe_param_check"]
    cmd += [f"-G{k}={v}" for k, v in params.items()] + files
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def yosys_elab(yosys, files, params):
    sets = "".join(f"chparam -set {k} {v} toe_param_check; " for k, v in params.items())
    script = f"read_verilog -sv {' '.join(files)}; {sets}hierarchy -check -top toe_param_check"
    return subprocess.run([yosys, "-q", "-p", script], capture_output=True, text=True, check=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--verilator", required=True)
    ap.add_argument("--yosys")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    failures = []
    tools = [("verilator", lambda p: lint(args.verilator, args.files, p))]
    if args.yosys:
        tools.append(("yosys", lambda p: yosys_elab(args.yosys, args.files, p)))
    for tool, run in tools:
        for params in GOOD:
            p = run(params)
            if p.returncode != 0:
                failures.append(f"{tool} {params}: refused a valid set:\n{p.stdout}{p.stderr}")
        for params, message in BAD:
            p = run(params)
            out = p.stdout + p.stderr
            # yosys prints the format string, not the value: compare up to "got".
            want = message if tool == "verilator" else message.rsplit(" got ", 1)[0]
            if p.returncode == 0:
                failures.append(f"{tool} {params}: accepted (exit 0); want '{message}'")
            elif want not in out:
                failures.append(f"{tool} {params}: failed without '{want}':\n{out}")
    for f in failures:
        print(f"FAIL: {f}", file=sys.stderr)
    n = len(tools) * (len(GOOD) + len(BAD))
    print(f"{n - len(failures)}/{n} elaborations as expected ({', '.join(t for t, _ in tools)})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
