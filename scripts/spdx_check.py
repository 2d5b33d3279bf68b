#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Every source file carries an SPDX licence line near its top.

  scripts/spdx_check.py          # list the files without one; exit 1 if any
  scripts/spdx_check.py --fix    # insert the line (after a shebang / `verilator_config line)

Source files: what git tracks with a source extension (C, C++, SV, Python, shell, CMake, TOML,
Verilator waivers and file lists, scenario scripts), fuzz corpora and data aside.
"""
import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAG = "SPDX-License-Identifier: Apache-2.0"
# extension -> comment leader
LEADER = {
    ".c": "//", ".h": "//", ".cpp": "//", ".hpp": "//", ".in": "//", ".sv": "//", ".vlt": "//",
    ".py": "#", ".sh": "#", ".cmake": "#", ".toml": "#", ".f": "#", ".pkt": "//", ".pcf": "#",
}
NAMES = {"CMakeLists.txt": "#"}
SKIP_PARTS = ("corpus",)


def sources():
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for rel in out.splitlines():
        p = Path(rel)
        if any(part in SKIP_PARTS for part in p.parts):
            continue
        lead = NAMES.get(p.name) or LEADER.get(p.suffix)
        if lead:
            yield rel, lead


def has_tag(text):
    return TAG in "\n".join(text.splitlines()[:5])


def fix(path, lead, text):
    lines = text.splitlines(keepends=True)
    at = 1 if lines and (lines[0].startswith("#!") or lines[0].startswith("`verilator_config")) else 0
    lines.insert(at, f"{lead} {TAG}\n")
    path.write_text("".join(lines))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fix", action="store_true", help="insert the missing lines")
    a = ap.parse_args()
    missing = []
    for rel, lead in sources():
        path = ROOT / rel
        if not path.exists():
            continue
        text = path.read_text(errors="replace")
        if has_tag(text):
            continue
        if a.fix:
            fix(path, lead, text)
        missing.append(rel)
    for rel in missing:
        print(("fixed: " if a.fix else "no SPDX line: ") + rel)
    return 0 if a.fix or not missing else 1


if __name__ == "__main__":
    sys.exit(main())
