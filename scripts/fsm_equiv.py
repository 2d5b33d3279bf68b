#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Prove toe_tcp_fsm's decision equal to an earlier revision's, for every input.

  scripts/fsm_equiv.py --base REV [--gen build/default/gen] [--work DIR]

For a rewrite of the decision that must not change what it decides (an arithmetic form with fewer
carry chains in series, say): toe_tcp_fsm.sv as it is in the working tree against the same file
at REV (git show), Sessions at its default. Both are cut to their combinational result: the part
from "---- the registered result" up to the first `assign res_valid_o` (the q_* registers and
what is built from them) and the q_* ports go, so the proof covers every res_* output for every
input (a TCB, a segment or a command, the table reads, the configuration). An output only one
side has (a port removed) is left out, and named.

yosys 0.23 reads both with the packages (toe_defs_pkg.sv from --gen/regmap, the build's generated
register block), builds the miter (`miter -equiv -flatten`), maps it to AND gates and writes AIGER;
ABC (`yosys-abc`, `iprove`) proves the miter's one output constant 0. Exit 0: equivalent
(UNSATISFIABLE); 1: not (SATISFIABLE: ABC found an input on which they differ); 2: no answer or a
tool failed. The AIG takes yosys 6 to 10 minutes; ABC 20 to 40 seconds. Undefined bits (x) are
set to 0 on both sides (`setundef -zero`). Files in --work (default: a temporary directory).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FSM = "rtl_model/rtl/fsm/toe_tcp_fsm.sv"
PKGS = ["rtl_model/rtl/toe_seq_pkg.sv", "rtl_model/rtl/fsm/toe_fsm_pkg.sv"]
CUT_FROM = "  // ---- the registered result"
CUT_TO = "  assign res_valid_o"


def outputs(text):
    """The output port names of a module's source."""
    return set(re.findall(r"^\s*output\s+logic\b[^\n]*?\b(\w+_o)\s*,?\s*$", text, re.M))


def combinational(text, name, drop):
    """The module renamed to `name`, without its registered part, its q_* ports and the outputs
    in `drop`."""
    if CUT_FROM not in text or CUT_TO not in text:
        raise ValueError(f"{FSM}: no '{CUT_FROM.strip()}' ... '{CUT_TO.strip()}' to cut the registered part at")
    text, n = re.subn(r"^module\s+toe_tcp_fsm\b", "module " + name, text, count=1, flags=re.M)
    if n != 1:
        raise ValueError(f"{FSM}: no 'module toe_tcp_fsm'")
    a = text.index(CUT_FROM)
    b = text.index(CUT_TO, a)
    text = text[:a] + text[b:]
    kept = []
    for line in text.split("\n"):
        m = re.match(r"\s*output\s+logic\b.*?\b(\w+_o)\s*,?\s*$", line)
        if m and (m.group(1).startswith("q_") or m.group(1) in drop):
            continue
        m = re.match(r"\s*assign\s+(\w+_o)\b", line)
        if m and (m.group(1).startswith("q_") or m.group(1) in drop):
            continue
        kept.append(line)
    text = "\n".join(kept)
    # the port list's last port lost its comma's successor: drop the comma before ");"
    return re.sub(r",(\s*\n(?:\s*//[^\n]*\n)*\s*\);)", r"\1", text, count=1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", required=True, help="the git revision to compare with (e.g. HEAD~3)")
    ap.add_argument("--gen", default=os.path.join(ROOT, "build", "default", "gen"),
                    help="the build's generated sources (regmap/toe_defs_pkg.sv)")
    ap.add_argument("--work", help="a directory for the files (default: temporary, removed)")
    ap.add_argument("--yosys", default="yosys")
    ap.add_argument("--abc", default="yosys-abc")
    args = ap.parse_args()

    defs = os.path.join(args.gen, "regmap", "toe_defs_pkg.sv")
    if not os.path.isfile(defs):
        sys.exit(f"fsm_equiv: {defs} not found: build first (cmake --build --preset default) or give --gen")
    for tool in (args.yosys, args.abc):
        if not shutil.which(tool):
            sys.exit(f"fsm_equiv: {tool} not found")
    try:
        old = subprocess.run(["git", "-C", ROOT, "show", f"{args.base}:{FSM}"], check=True,
                             capture_output=True, text=True).stdout
    except subprocess.CalledProcessError as e:
        sys.exit(f"fsm_equiv: git show {args.base}:{FSM}: {e.stderr.strip()}")
    with open(os.path.join(ROOT, FSM), encoding="utf-8") as f:
        new = f.read()

    only = outputs(old) ^ outputs(new)
    work = args.work or tempfile.mkdtemp(prefix="fsm_equiv_")
    os.makedirs(work, exist_ok=True)
    try:
        with open(os.path.join(work, "old.sv"), "w", encoding="utf-8") as f:
            f.write(combinational(old, "old", only))
        with open(os.path.join(work, "new.sv"), "w", encoding="utf-8") as f:
            f.write(combinational(new, "new", only))
    except ValueError as e:
        sys.exit(f"fsm_equiv: {e}")
    srcs = " ".join([defs] + [os.path.join(ROOT, p) for p in PKGS] + ["old.sv", "new.sv"])
    script = f"""read_verilog -sv {srcs}
hierarchy -check
proc; opt_clean
select -assert-none t:$dff t:$adff t:$dffe t:$adffe t:$dlatch t:$sdff
miter -equiv -flatten old new miter
hierarchy -top miter
flatten; opt -fast
techmap; opt -fast
aigmap
opt_clean
setundef -zero
write_aiger -zinit miter.aig
"""
    with open(os.path.join(work, "miter.ys"), "w", encoding="utf-8") as f:
        f.write(script)
    print(f"fsm_equiv: {FSM} (working tree) against {args.base}, in {work}", flush=True)
    if only:
        print("fsm_equiv: outputs on one side only, left out: " + ", ".join(sorted(only)), flush=True)
    y = subprocess.run([args.yosys, "-q", "-l", "yosys.log", "miter.ys"], cwd=work,
                       capture_output=True, text=True)
    if y.returncode != 0:
        print(y.stdout + y.stderr, file=sys.stderr)
        print(f"fsm_equiv: yosys failed (see {work}/yosys.log)", file=sys.stderr)
        return 2
    a = subprocess.run([args.abc, "-c", "read_aiger miter.aig; print_stats; iprove"], cwd=work,
                       capture_output=True, text=True)
    out = re.sub(r"\x1b\[[0-9;]*m", "", a.stdout + a.stderr)
    with open(os.path.join(work, "abc.log"), "w", encoding="utf-8") as f:
        f.write(out)
    stats = re.search(r"i/o\s*=.*", out)
    if stats:
        print("fsm_equiv: miter " + stats.group(0).strip(), flush=True)
    verdict = 2
    if re.search(r"^UNSATISFIABLE", out, re.M):
        print("fsm_equiv: equivalent (ABC iprove: UNSATISFIABLE)")
        verdict = 0
    elif re.search(r"^SATISFIABLE", out, re.M):
        print("fsm_equiv: NOT equivalent (ABC iprove found an input on which they differ)")
        verdict = 1
    else:
        print(f"fsm_equiv: no answer from ABC (see {work}/abc.log)", file=sys.stderr)
    if not args.work and verdict != 2:
        shutil.rmtree(work, ignore_errors=True)
    return verdict


if __name__ == "__main__":
    sys.exit(main())
