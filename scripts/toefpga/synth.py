# SPDX-License-Identifier: Apache-2.0
"""The yosys commands (yosys 0.23): read and elaborate, synth_ice40, synth_xilinx, and the
cell counts of `stat`.

A module is read, its parameters set with chparam, then `hierarchy -top` (no hierarchy before
chparam: it would drop the unparameterised submodules, e.g. toe_tx_frame_ram, that the
re-elaborated top needs). The whole engine (ENGINE_TOP) is read with deferred elaboration (so
chparam reaches the submodules and the default, large configuration is never elaborated), and
synth_ice40 runs its coarse step without yosys's SAT-based `share` pass, which exhausts memory
on the whole engine (the other steps are synth_ice40's own, run with -run).

yosys's LUT counts shift by a few with whatever else is elaborated in the same run, so a
configuration reads its block's source list and nothing more.
"""
import re
import subprocess

ENGINE_TOP = "toe_engine"

# synth_ice40's coarse step without `share` (yosys 0.23 synth_ice40 -h, "coarse:").
ICE40_COARSE_NOSHARE = ("opt_expr; opt_clean; check; opt -nodffe -nosdff; fsm; opt; wreduce; peepopt; "
                        "opt_clean; techmap -map +/cmp2lut.v -D LUT_WIDTH=4; opt_expr; opt_clean; "
                        "memory_dff; wreduce t:$mul; alumacc; opt; memory -nomap; opt_clean")

FAMILIES = ("ice40", "xc7")


def read_cmd(top, files, params):
    """Reads `files` and elaborates `top` with `params` (ends with ';')."""
    chparam = " ".join(f"chparam -set {k} {v} {top};" for k, v in params.items())
    if top == ENGINE_TOP:
        return f"read_verilog -sv -defer {' '.join(files)}; {chparam} hierarchy -top {top};"
    return f"read_verilog -sv {' '.join(files)}; {chparam} hierarchy -top {top};"


def synth_ice40_cmd(top, opts="", no_share=None):
    """The synth_ice40 command(s) for `top` (opts: further synth_ice40 options, e.g. -json F);
    no_share (default: top is the engine) runs the coarse step without `share`."""
    opt = f"-top {top}" + (f" {opts}" if opts else "")
    if no_share if no_share is not None else top == ENGINE_TOP:
        return f"synth_ice40 {opt} -run :coarse; {ICE40_COARSE_NOSHARE}; synth_ice40 {opt} -run map_ram:"
    return f"synth_ice40 {opt}"


def synth_xc7_cmd(top):
    return f"synth_xilinx -family xc7 -top {top}"


def synth_cmd(family, top):
    """The synthesis command of `family` ("ice40" or "xc7") for `top`."""
    return synth_ice40_cmd(top) if family == "ice40" else synth_xc7_cmd(top)


def yosys(script):
    """Runs `yosys -q -p script`: (exit status, stdout + stderr)."""
    p = subprocess.run(["yosys", "-q", "-p", script], capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def stat_counts(text, kind):
    """LUT / FF / BRAM counts of `kind` ("ice40" or "xc7") from yosys `stat` output."""
    cells = dict((m.group(2), int(m.group(1))) for m in re.finditer(r"^\s+(\d+)\s+(\S+)\s*$", text, re.M))
    if not cells:  # yosys 0.23 prints "     CELLTYPE   COUNT"
        cells = dict((m.group(1), int(m.group(2))) for m in re.finditer(r"^\s+(\$?\w+)\s+(\d+)\s*$", text, re.M))
    if kind == "ice40":
        lut = cells.get("SB_LUT4", 0)
        ff = sum(v for k, v in cells.items() if k.startswith("SB_DFF"))
        bram = cells.get("SB_RAM40_4K", 0)
    else:
        lut = sum(v for k, v in cells.items() if re.fullmatch(r"LUT\d", k))
        ff = sum(v for k, v in cells.items() if re.fullmatch(r"FD\w*", k))
        bram = sum(v for k, v in cells.items() if k.startswith("RAMB"))
    return {"lut": lut, "ff": ff, "bram": bram}
