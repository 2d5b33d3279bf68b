# SPDX-License-Identifier: Apache-2.0
"""The RTL's source lists: one per block, rtl_model/rtl/<seg>/toe_<stage>.f.

The same lists are read by toe_rtl_sources() in rtl_model/rtl/toe_rtl_sources.cmake (Verilation
and lint); the format is described there and read the same way here:
  - one path per line, relative to the list's folder; "#" starts a comment line;
  - "-f other.f" includes another list where it stands (depth-first);
  - "$GEN/..." is a generated file: GenDir generates it (the register block, $GEN/regmap/);
  - a file named twice is kept at its first place (packages before their users);
  - *.vlt are Verilator waivers: sv_files() drops them.
Every error names the list file and line.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

from . import ROOT, RTL


class SourceError(RuntimeError):
    """A source list that cannot be read, or a generated file that cannot be made."""


def list_path(block):
    """The list of `block`: a path relative to rtl_model/rtl without ".f" (e.g. "rx/toe_rx_csum"),
    or a path to a .f file."""
    if block.endswith(".f"):
        return os.path.abspath(block)
    return os.path.join(RTL, block + ".f")


def _rel(path):
    return os.path.relpath(path, ROOT) if path.startswith(ROOT + os.sep) else path


class GenDir:
    """$GEN, the generated-sources folder: its subfolders are generated on first use.

    regmap/: the host map's toe_reg_pkg.sv, toe_reg_top.sv, toe_defs_pkg.sv ... (scripts/gen_regs.py
    --out-dir), then the firmware map's toe_fw_reg_pkg.sv, toe_fw_reg_top.sv (--in
    rtl_model/regmap/toe_fw_regs.toml --map-only), as rtl_model/regmap/CMakeLists.txt runs them.
    Each generator is a list of commands, the folder appended to each. folder=None: a temporary
    folder, removed by close() (or at the end of a `with` block)."""

    _GEN_REGS = [sys.executable, os.path.join(ROOT, "scripts", "gen_regs.py")]
    GENERATORS = {"regmap": [
        _GEN_REGS + ["--out-dir"],
        _GEN_REGS + ["--in", os.path.join(ROOT, "rtl_model", "regmap", "toe_fw_regs.toml"), "--map-only", "--out-dir"],
    ]}

    def __init__(self, folder=None):
        self.folder = folder
        self._temp = None
        self._made = set()

    def path(self, rel, where="$GEN"):
        """The file $GEN/rel, generating its subfolder first if needed; where: list:line for errors."""
        sub = rel.split("/", 1)[0]
        if sub not in self.GENERATORS:
            raise SourceError(f"{where}: $GEN/{rel}: no generator for $GEN/{sub}/ "
                              f"(known: {', '.join(sorted(self.GENERATORS))})")
        if self.folder is None:
            self._temp = self.folder = tempfile.mkdtemp(prefix="toe_fpga_")
        out = os.path.join(self.folder, sub)
        if sub not in self._made:
            os.makedirs(out, exist_ok=True)
            for gen_cmd in self.GENERATORS[sub]:
                cmd = gen_cmd + [out]
                p = subprocess.run(cmd, capture_output=True, text=True)
                if p.returncode != 0:
                    raise SourceError(f"{os.path.basename(cmd[1])}: {(p.stdout + p.stderr).strip()}")
            self._made.add(sub)
        f = os.path.join(self.folder, rel)
        if not os.path.isfile(f):
            raise SourceError(f"{where}: $GEN/{rel}: not made by its generator")
        return f

    def close(self):
        if self._temp:
            shutil.rmtree(self._temp, ignore_errors=True)
            self._temp = self.folder = None
            self._made.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def expand(list_file, gen=None):
    """Every entry of `list_file` (SV and .vlt) as absolute paths, in order, each once.
    gen: a GenDir for "$GEN/" entries (without one they are an error)."""
    out = []
    _expand(os.path.abspath(list_file), gen, out, (), None)
    return out


def _expand(path, gen, out, stack, where):
    if not os.path.isfile(path):
        raise SourceError(f"{where}: no list {_rel(path)}" if where else f"{_rel(path)}: no such source list")
    if path in stack:
        cycle = " -> ".join(_rel(p) for p in stack[stack.index(path):] + (path,))
        raise SourceError(f"{where}: include cycle {cycle}")
    folder = os.path.dirname(path)
    with open(path) as f:
        lines = f.read().splitlines()
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        here = f"{_rel(path)}:{n}"
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"-f[ \t]+(.+)", line)
        if m:
            _expand(os.path.normpath(os.path.join(folder, m.group(1))), gen, out, stack + (path,), here)
            continue
        if line.startswith("-"):
            raise SourceError(f"{here}: unknown option {line.split()[0]} (only -f)")
        if line.startswith("$GEN/"):
            if gen is None:
                raise SourceError(f"{here}: {line} is generated, and no $GEN folder was given")
            p = gen.path(line[len("$GEN/"):], here)
        else:
            p = os.path.normpath(os.path.join(folder, line))
            if not os.path.isfile(p):
                raise SourceError(f"{here}: no file {line}")
        if p not in out:
            out.append(p)


def sv_files(block, gen=None):
    """The SystemVerilog files of `block` (see list_path) in order, waivers (*.vlt) dropped."""
    return [f for f in expand(list_path(block), gen) if not f.endswith(".vlt")]


def resolve(patterns, gen=None, what="sources"):
    """Files named on a command line: source lists (*.f, read as above) or globs; each relative
    to the current directory, else to the repository root. A list keeps its order; when a glob
    is given, *_pkg.sv files go first (stable, so packages keep the order given)."""
    out, globbed = [], False
    for p in patterns:
        bases = [""] if os.path.isabs(p) else [os.getcwd(), ROOT]
        if p.endswith(".f"):
            lst = next((os.path.join(b, p) for b in bases if os.path.isfile(os.path.join(b, p))), None)
            if lst is None:
                raise SourceError(f"{what}: no source list {p}")
            hits = sv_files(lst, gen)
        else:
            globbed = True
            hits = []
            for base in bases:
                hits = sorted(glob.glob(os.path.join(base, p)))
                if hits:
                    break
            if not hits:
                raise SourceError(f"{what}: no file matches {p}")
        out += [os.path.abspath(h) for h in hits if os.path.abspath(h) not in out]
    if globbed:
        out.sort(key=lambda f: not f.endswith("_pkg.sv"))
    return out
