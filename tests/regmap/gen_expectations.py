#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Write regmap_expected.h: what the register map must contain (registers, fields, values,
windows), read straight from the TOML (and, for the counters group and the parameter
defaults, from the toe_defs.toml it names).

Deliberately independent of scripts/gen_regs.py (it imports nothing from it and shares no
code), so that the C and C++ tests compare the generator's output with a second reading of
the description rather than with itself. It only reads; validation is the generator's job.

Usage: gen_expectations.py --in toe_regs.toml --out regmap_expected.h
"""
import argparse
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # `defs` paths are relative to the repository


def registers(doc):
    defs = {}
    if "defs" in doc:
        with open(ROOT / doc["defs"], "rb") as fh:
            defs = tomllib.load(fh)
    shared = {p["name"]: p["default"] for p in defs.get("params", {}).get("param", [])}
    params = {p["name"]: p.get("default", shared.get(p["name"])) for p in doc.get("param", [])}
    for group in doc["group"]:
        # reg_per_counter = "CNT_": one ro register per counter, 4 bytes apart from the base.
        if "reg_per_counter" in group:
            for i, c in enumerate(defs["counter"]["value"]):
                name = group["reg_per_counter"] + c["name"].upper()
                yield name, group["base"] + 4 * i, 0, "ro", []
        for reg in group.get("reg", []):
            count = reg.get("count", 1)
            if "reset_param" in reg:
                reset = params[reg["reset_param"]]
            else:
                reset = reg.get("reset", 0)
            for i in range(count):
                name = reg["name"] if count == 1 else f"{reg['name']}_{i}"
                yield name, reg["offset"] + 4 * i, reset, reg["access"], reg.get("field", [])


def windows(doc):
    """(name, base, size) of each window group (window = true: no registers, served outside
    the decoder), by base."""
    return sorted(((g["name"], g["base"], g["size"]) for g in doc["group"] if g.get("window")),
                  key=lambda w: w[1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--in", dest="src", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    with open(args.src, "rb") as fh:
        doc = tomllib.load(fh)

    regs = sorted(registers(doc), key=lambda r: r[1])
    lines = ["/* Expectations read from toe_regs.toml by tests/regmap/gen_expectations.py. */",
             "#ifndef TOE_REGMAP_EXPECTED_H_", "#define TOE_REGMAP_EXPECTED_H_", "",
             f"#define TOE_EXPECTED_REG_COUNT {len(regs)}u", ""]

    lines.append("/* X(name, offset, reset, ACCESS) */")
    lines.append("#define TOE_EXPECTED_REGS(X) \\")
    for name, offset, reset, access, _ in regs:
        lines.append(f"  X({name}, 0x{offset:X}u, 0x{reset:08X}u, {access.upper()}) \\")
    lines.append("")

    lines.append("/* X(reg, field, lsb, in-place mask) */")
    lines.append("#define TOE_EXPECTED_FIELDS(X) \\")
    for name, _, _, _, fields in regs:
        for f in fields:
            width = f.get("width", 1)
            mask = ((1 << width) - 1) << f["lsb"]
            lines.append(f"  X({name}, {f['name']}, {f['lsb']}u, 0x{mask:08X}u) \\")
    lines.append("")

    lines.append("/* X(reg, field, value name, value) */")
    lines.append("#define TOE_EXPECTED_VALUES(X) \\")
    for name, _, _, _, fields in regs:
        for f in fields:
            for v in f.get("values", []):
                lines.append(f"  X({name}, {f['name']}, {v['name']}, {v['value']}u) \\")
    lines.append("")
    wins = windows(doc)
    lines.append(f"#define TOE_EXPECTED_WINDOW_COUNT {len(wins)}u")
    lines.append("/* X(NAME as in TOE_REG_<NAME>_BASE, \"name\", base, size) */")
    lines.append("#define TOE_EXPECTED_WINDOWS(X) \\")
    for name, base, size in wins:
        lines.append(f"  X({name.upper()}, \"{name}\", 0x{base:X}u, 0x{size:X}u) \\")
    lines.append("")
    lines.append("#endif")
    with open(args.out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
