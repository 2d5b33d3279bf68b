# SPDX-License-Identifier: Apache-2.0
"""Generate the toecore register block and shared definitions from their descriptions.

Reads a register map (rtl_model/regmap/toe_regs.toml, the host's; or toe_fw_regs.toml, the
firmware's) and the definitions it names (defs = "rtl_model/regmap/toe_defs.toml"; stdlib
only: tomllib, Python 3.11+) and writes

  toe_reg_pkg.sv       SV package toe_reg_pkg: offsets, resets, fields, reg2hw_t / hw2reg_t
  toe_reg_top.sv       SV module toe_reg_top: the register decoder
  toe_regs.h           C header for firmware and driver (C11 and C++)
  toe_regs_table.hpp   C++17 table for the model and the TLM-2.0 target (toe::regmap)
  toe_regmap_types.hpp C++17 types of every map's table (toe::regmap::Reg, ...)
  toe_defs.h           C: TCP states, opcodes, events, counters, parameter ranges
  toe_defs.hpp         C++17: the same as enums and tables, and toe::params::check()
  toe_defs_pkg.sv      SV package toe_defs_pkg: the same as localparams
  toe_param_check.sv   SV module toe_param_check: the parameter rules at elaboration
  registers.md         Markdown register reference (only with --docs FILE)
  defs.md              Markdown reference of the definitions (only with --defs-docs FILE)

A map with [block] name = "<n>" spells its own four files toe_<n>_reg_pkg.sv,
toe_<n>_reg_top.sv, toe_<n>_regs.h and toe_<n>_regs_table.hpp (TOE_<N>_ macros, namespace
toe::<n>_regmap), so that they can be used together with the host map's.

The shared files (toe_regmap_types.hpp and, when the map has definitions or --defs is
given, toe_defs*) are the same for every map: --map-only leaves them out, for a second map
generated into a directory that another map's run fills.

Usage:
  gen_regs.py [--in TOML] [--defs TOML] --out-dir DIR [--map-only] [--docs FILE] [--defs-docs FILE]
  gen_regs.py [--in TOML] --docs docs/registers.md --defs-docs docs/defs.md
  gen_regs.py [--in TOML] --check-docs docs/registers.md --check-defs-docs docs/defs.md
  gen_regs.py --in rtl_model/regmap/toe_fw_regs.toml --out-dir DIR --map-only
  gen_regs.py --in rtl_model/regmap/toe_fw_regs.toml --docs docs/fw_registers.md

--in defaults to rtl_model/regmap/toe_regs.toml of the tree this script lives in.
Exit status: 0 ok, 1 invalid description or stale docs, 2 bad usage.
"""
from __future__ import annotations

import argparse
import difflib
import os
import sys
from pathlib import Path

from . import (emit_c_header, emit_cpp_table, emit_cpp_types, emit_defs_c, emit_defs_cpp,
               emit_defs_docs, emit_defs_sv_pkg, emit_docs, emit_param_check, emit_sv_pkg,
               emit_sv_top)
from .load import load
from .model import MapError

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_IN = REPO_ROOT / "rtl_model" / "regmap" / "toe_regs.toml"

# One emitter module per file of --out-dir, in the order they are written: the register
# map's own (file name output(rm): the map's [block] name is in it), the files shared by
# every map (left out with --map-only), then (when the map has them, and not --map-only)
# the shared definitions'.
OUT_DIR_EMITTERS = (emit_sv_pkg, emit_sv_top, emit_c_header, emit_cpp_table)
SHARED_OUT_DIR_EMITTERS = (emit_cpp_types,)
DEFS_OUT_DIR_EMITTERS = (emit_defs_sv_pkg, emit_param_check, emit_defs_c, emit_defs_cpp)


def _display_name(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return path.name


def _write(path: Path, text: str) -> None:
    """Writes text to path, unless path already holds exactly that: an unchanged file keeps its
    time stamp, so that a CMake configure step (which runs the generator) does not make every
    target that includes a generated header or verilates a generated package rebuild."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    os.replace(tmp, path)


def _check_fresh(path: Path, want: str, source_name: str, cmd: str) -> bool:
    """True if the committed file at path is what the description generates."""
    try:
        have = path.read_text(encoding="utf-8")
    except OSError as e:
        print(f"gen_regs: error: {path}: cannot read: {e.strerror}; generate it with: {cmd}",
              file=sys.stderr)
        return False
    if have == want:
        return True
    diff = list(difflib.unified_diff(have.splitlines(), want.splitlines(), str(path), "generated",
                                     lineterm="", n=1))
    print(f"gen_regs: error: {path} is stale (it differs from what {source_name} generates); "
          f"regenerate with: {cmd}", file=sys.stderr)
    print("\n".join(diff[:40]), file=sys.stderr)
    if len(diff) > 40:
        print(f"... ({len(diff) - 40} more diff lines)", file=sys.stderr)
    return False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    ap.add_argument("--in", dest="input", type=Path, default=DEFAULT_IN,
                    help="register description (default: %(default)s)")
    ap.add_argument("--out-dir", type=Path, help="write the SV, C and C++ files here")
    ap.add_argument("--map-only", action="store_true",
                    help="--out-dir gets only this map's own files, not the ones every map "
                         "shares (toe_regmap_types.hpp, toe_defs*): for a second map whose "
                         "shared files another run writes")
    ap.add_argument("--docs", type=Path, help="write the Markdown register reference here")
    ap.add_argument("--check-docs", type=Path, metavar="FILE",
                    help="exit 1 if FILE differs from the reference that would be generated")
    ap.add_argument("--defs", type=Path, metavar="TOML",
                    help="shared definitions (default: the file the map names with 'defs')")
    ap.add_argument("--defs-docs", type=Path, metavar="FILE",
                    help="write the Markdown reference of the definitions here")
    ap.add_argument("--check-defs-docs", type=Path, metavar="FILE",
                    help="exit 1 if FILE differs from the definitions reference")
    args = ap.parse_args(argv)
    if not (args.out_dir or args.docs or args.check_docs or args.defs_docs or
            args.check_defs_docs):
        ap.error("nothing to do: give --out-dir, --docs, --check-docs, --defs-docs or "
                 "--check-defs-docs")

    try:
        rm = load(str(args.input), _display_name(args.input), str(REPO_ROOT),
                  str(args.defs) if args.defs else None,
                  _display_name(args.defs) if args.defs else None)
        if rm.defs is None and (args.defs_docs or args.check_defs_docs):
            raise MapError([f"{rm.source_name}: --defs-docs / --check-defs-docs: the map names "
                            "no definitions (defs = ...) and no --defs was given"])
    except MapError as e:
        for msg in e.args[0]:
            print(f"gen_regs: error: {msg}", file=sys.stderr)
        print(f"gen_regs: {len(e.args[0])} error(s); nothing written", file=sys.stderr)
        return 1

    if args.out_dir:
        emitters = OUT_DIR_EMITTERS
        if not args.map_only:
            emitters += SHARED_OUT_DIR_EMITTERS + (DEFS_OUT_DIR_EMITTERS if rm.defs else ())
        for emitter in emitters:
            name = emitter.output(rm) if hasattr(emitter, "output") else emitter.OUTPUT
            _write(args.out_dir / name, emitter.emit(rm))
    if args.docs:
        _write(args.docs, emit_docs.emit(rm))
    if args.defs_docs:
        _write(args.defs_docs, emit_defs_docs.emit(rm))
    fresh = True
    if args.check_docs:
        fresh &= _check_fresh(args.check_docs, emit_docs.emit(rm), rm.source_name,
                              emit_docs.docs_cmd(rm))
    if args.check_defs_docs:
        fresh &= _check_fresh(args.check_defs_docs, emit_defs_docs.emit(rm), rm.defs.source_name,
                              emit_defs_docs.DOCS_CMD)
    return 0 if fresh else 1
