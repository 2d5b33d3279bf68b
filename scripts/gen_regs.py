#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Command line of the toecore generator; the generator itself is the package scripts/toegen/.

Usage and options: gen_regs.py --help (or see scripts/toegen/cli.py).
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from toegen.cli import main  # noqa: E402  (after the path is set)

if __name__ == "__main__":
    sys.exit(main())
