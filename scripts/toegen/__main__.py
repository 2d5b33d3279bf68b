# SPDX-License-Identifier: Apache-2.0
"""python3 -m toegen (with scripts/ on the path): the same as scripts/gen_regs.py."""
import sys

from .cli import main

sys.exit(main())
