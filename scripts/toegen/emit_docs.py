# SPDX-License-Identifier: Apache-2.0
"""docs/registers.md: the Markdown register reference (committed; checked for freshness);
docs/<n>_registers.md for a map with [block] name."""
from __future__ import annotations

from .model import DATA_WIDTH, Reg, RegMap
from .names import banner, hex_str, map_names, md

DOCS_CMD = "python3 scripts/gen_regs.py --docs docs/registers.md"  # the host map's


def docs_cmd(rm: RegMap) -> str:
    """How to regenerate the map's reference (named in it and in --check-docs' message)."""
    if rm.block is None:
        return DOCS_CMD
    return f"python3 scripts/gen_regs.py --in {rm.source_name} --docs {map_names(rm).docs}"


def emit(rm: RegMap) -> str:
    n = map_names(rm)
    o = [banner(rm, "<!-- ", "     ", " -->")]
    title = "" if rm.block is None else f": the {rm.block} register map"
    o.append(f"""
# Register reference{title}

> Generated from [`{rm.source_name}`](../{rm.source_name}) by `{docs_cmd(rm)}`;
> do not edit by hand. The ctest `{n.docs_test}` fails when this file is stale.

All registers are 32 bits wide, at byte offsets that are multiples of 4, in a
{hex_str(1 << rm.addr_width, 1)}-byte window ({rm.addr_width}-bit addresses). Only 32-bit accesses exist.
An access to a hole or to a misaligned offset, and a write to a register without a
software-writable field, is refused with an error response and changes nothing""")
    be = rm.bus_error_reg
    o.append(f"; [{be.name}](#{be.name.lower()}) records why.\n" if be else ".\n")
    o.append("The logic around the register decoder can refuse an access too (for example a "
             "command\nthat cannot be taken); it gets the same error response and changes "
             "nothing" +
             (f", and\n{be.name}.CODE says why.\n" if be else ".\n"))
    o.append("""
| Access | Meaning |
| --- | --- |
| rw | Read and write. |
| ro | Read-only: a constant, or a value driven by the engine. Writes are refused. |
| w1c | Read; writing 1 to a bit clears it, writing 0 leaves it. The engine sets bits. |
| rc | Read-only; a read returns the value and clears it. Writes are refused. |
""")
    if rm.params:
        o.append("\n## Build parameters\n\n| Parameter | Default | Description |\n| --- | --- | --- |\n")
        for p in rm.params:
            o.append(f"| `{p.name}` | {p.default} | {md(p.desc)} |\n")

    if rm.windows:
        o.append("\n## Windows\n\nRanges of the bus without registers, served by the logic "
                 "around the register decoder\n(buffer windows) as each description says. "
                 f"Constants: `{n.reg}<WINDOW>_BASE` and\n`{n.reg}<WINDOW>_SIZE` (C and "
                 f"`{n.sv_pkg}`), `{n.cpp_ns}::kWindows` (C++).\n\n"
                 "| Window | Base | Size | Description |\n| --- | --- | --- | --- |\n")
        for g in rm.windows:
            o.append(f"| {g.name} | {hex_str(g.base, 4)} | {_size_md(g.size)} | "
                     f"{md(g.desc)} |\n")
    o.append("\n## Map\n\n| Offset | Register | Access | Reset | Description |\n"
             "| --- | --- | --- | --- | --- |\n")
    for g in rm.groups:
        kind = " window " if g.window else " "
        o.append(f"| {hex_str(g.base, 3)}..{hex_str(g.last, 3)} | **{g.name}** |{kind}| | "
                 f"{md(g.desc)} |\n")
        for r in g.regs:
            o.append(f"| {hex_str(r.offset, 3)} | [{r.name}](#{r.name.lower()}) | {r.access} | "
                     f"{_reset_md(r)} | {md(r.desc)} |\n")

    for g in rm.groups:
        o.append(f"\n## {g.name} ({hex_str(g.base, 3)}..{hex_str(g.base + g.size - 1, 3)})\n\n{md(g.desc)}\n")
        if g.window:
            o.append(f"\nWindow: {_size_md(g.size)} at `{hex_str(g.base, 4)}`, served by the logic "
                     f"around the register decoder\n(`{n.reg}{g.uname}_BASE`, "
                     f"`{n.reg}{g.uname}_SIZE`); no registers.\n")
        elif not g.regs:
            o.append("\nNo registers yet.\n")
        for r in g.regs:
            o.append(f"\n### {r.name}\n\n{md(r.desc)}\n\n")
            o.append(f"- Offset: `{hex_str(r.offset, 3)}`\n- Access: {r.access}\n- Reset: {_reset_md(r)}\n")
            if r.source == "core" and r.access in ("ro", "rc"):
                o.append("- Value: driven by the engine\n")
            elif r.source == "bus_error":
                o.append("- Value: loaded by the register bus on each refused access\n")
            if r.explicit_fields:
                o.append("\n| Bits | Field | Access | Reset | Description |\n| --- | --- | --- | --- | --- |\n")
                for f in reversed(r.explicit_fields):
                    bits = f"{f.msb}:{f.lsb}" if f.width > 1 else f"{f.lsb}"
                    desc = md(f.desc)
                    if f.self_clear:
                        desc = "Self-clearing, reads as 0. " + desc
                    for v in f.values:
                        desc += f"<br>`{v.value}` {v.name}" + (f": {md(v.desc)}" if v.desc else "")
                    o.append(f"| {bits} | {f.name} | {f.access} | 0x{f.reset:X} | {desc} |\n")
            else:
                w = r.fields[0].width
                if w < DATA_WIDTH:
                    o.append(f"- Bits: {w - 1}:0 (bits 31:{w} read as 0, writes to them are ignored)\n")
    return "".join(o)


def _reset_md(r: Reg) -> str:
    if r.reset_param:
        return f"`{r.reset_param}` (default {r.reset})"
    return f"`{hex_str(r.reset)}`"


def _size_md(size: int) -> str:
    """0x4000 -> "0x4000 bytes (16 KiB)"."""
    if size % 1024 == 0:
        return f"{hex_str(size, 4)} bytes ({size // 1024} KiB)"
    return f"{hex_str(size, 4)} bytes ({size})"
