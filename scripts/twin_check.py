#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The twin layout: every RTL module has its C++ model file of the same stem.

  scripts/twin_check.py      # list the RTL files without a twin; exit 1 if any

For rtl_model/rtl/<seg>/toe_<stem>.sv the twin is rtl_model/model/<seg>/<stem>.hpp (packages
too: toe_rx_pkg.sv -> rx/rx_pkg.hpp). A package at the root of rtl/ (toe_seq_pkg.sv) is shared by
every segment; its twin is rtl_model/include/toe/<name>.hpp (seq.hpp). RAM primitives
(toe_*_ram.sv: an inferred memory, modelled as an array by the stage that owns it) have none.
Also the other way: every model/<seg>/<stem>.hpp that is not a package or a helper listed in
MODEL_ONLY has an RTL file.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RTL = ROOT / "rtl_model" / "rtl"
MODEL = ROOT / "rtl_model" / "model"
# Model files with no RTL module of their own, and why.
MODEL_ONLY = {
    "fsm/isn_hash.hpp": "the ISN of toe_tcp_fsm (isn_of: toe_isn_mix's mix plus the 4-us clock)",
    "top/engine_api.hpp": "the interface the simulation drives (model or Verilated RTL)",
    "top/engine_config.hpp": "the build parameters and runtime registers (the RTL's parameters and cfg_* ports)",
    "top/reg_block.hpp": "the twin of the generated decoders toe_reg_top / toe_fw_reg_top (build tree, from the TOML maps)",
}


def twin_of(sv: Path) -> Path | None:
    stem = sv.stem[len("toe_"):]
    if stem.endswith("_ram"):
        return None
    if sv.parent == RTL:
        return ROOT / "rtl_model" / "include" / "toe" / (stem[: -len("_pkg")] + ".hpp")
    return MODEL / sv.parent.name / (stem + ".hpp")


def main() -> int:
    bad = []
    rtl_stems = set()
    for sv in sorted(RTL.rglob("toe_*.sv")):
        rtl_stems.add(f"{sv.parent.name}/{sv.stem[len('toe_'):]}")
        t = twin_of(sv)
        if t is not None and not t.is_file():
            bad.append(f"{sv.relative_to(ROOT)}: no model twin {t.relative_to(ROOT)}")
    for h in sorted(MODEL.glob("*/*.hpp")):
        key = f"{h.parent.name}/{h.stem}"
        if key in rtl_stems or f"{h.parent.name}/{h.name}" in MODEL_ONLY:
            continue
        bad.append(f"{h.relative_to(ROOT)}: no RTL twin rtl_model/rtl/{h.parent.name}/toe_{h.stem}.sv "
                   f"(or list it in MODEL_ONLY with the reason)")
    for line in bad:
        print(line)
    if not bad:
        print(f"twin layout: {len(rtl_stems)} RTL files, each with its model twin (RAM primitives aside)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
