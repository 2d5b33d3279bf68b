# SPDX-License-Identifier: Apache-2.0
"""toe_reg_pkg.sv: SV package toe_reg_pkg (offsets, resets, fields, reg2hw_t / hw2reg_t);
toe_<n>_reg_pkg.sv / toe_<n>_reg_pkg with TOE_<N>_ constants for a map with [block] name."""
from __future__ import annotations

from .model import DATA_WIDTH, PortBit, RegMap, port_layout
from .names import banner, map_names, one_line, sv_hex, sv_logic

OUTPUT = "toe_reg_pkg.sv"  # the host map's; output(rm) in general


def output(rm: RegMap) -> str:
    return map_names(rm).sv_pkg + ".sv"


def emit(rm: RegMap) -> str:
    aw = rm.addr_width
    n = map_names(rm)
    R, T = n.reg, n.top  # TOE_REG_, TOE_ (TOE_FW_REG_, TOE_FW_)
    o = [banner(rm, "// ", "// ")]
    block = "" if rm.block is None else f"{rm.block} "
    o.append(f"// Register offsets, reset values and fields of the toecore {block}register block, and the\n"
             f"// reg2hw / hw2reg structs that join {n.sv_top} to the core. See {n.docs}.\n")
    o.append(f"package {n.sv_pkg};\n\n")
    o.append("  // Constants for every user of the map; any one design uses only some of them.\n")
    o.append("  /* verilator lint_off UNUSEDPARAM */\n")
    o.append(f"  localparam int unsigned {R}ADDR_WIDTH = {aw};\n")
    o.append(f"  localparam int unsigned {R}DATA_WIDTH = {DATA_WIDTH};\n")
    o.append(f"  localparam int unsigned {R}COUNT = {len(rm.regs)};\n\n")
    o.append(f"  localparam logic [31:0] {T}DEVICE_TYPE = {sv_hex(32, rm.reg('TYPE').reset)};\n")
    o.append(f"  localparam logic [31:0] {T}DEVICE_VERSION = "
             f"{sv_hex(32, rm.reg('VERSION').reset)};\n\n")
    if rm.params:
        o.append(f"  // Default values of the build parameters of {n.sv_top}.\n")
        for p in rm.params:
            o.append(f"  localparam int unsigned {T}PARAM_{p.name.upper()}_DEFAULT = {p.default};\n")
        o.append("\n")

    if rm.windows:
        o.append("  // Windows: ranges of the bus without registers, served by the logic around\n"
                 f"  // {n.sv_top} (which answers an access that reaches it there as unmapped).\n")
        for g in rm.windows:
            o.append(f"  // {g.name}: {one_line(g.desc)}\n")
            o.append(f"  localparam logic [{R}ADDR_WIDTH-1:0] {R}{g.uname}_BASE = "
                     f"{sv_hex(aw, g.base)};\n")
            o.append(f"  localparam int unsigned {R}{g.uname}_SIZE = {sv_hex(32, g.size)};\n")
        o.append("\n")

    for r in rm.regs:
        o.append(f"  // {r.name} ({r.access}): {one_line(r.desc)}\n")
        o.append(f"  localparam logic [{aw - 1}:0] {R}{r.name}_OFFSET = {sv_hex(aw, r.offset)};\n")
        note = f"  // default of parameter {r.reset_param}" if r.reset_param else ""
        o.append(f"  localparam logic [31:0] {R}{r.name}_RESET = {sv_hex(32, r.reset)};{note}\n")
        for f in r.explicit_fields:
            o.append(f"  localparam int unsigned {R}{r.name}_{f.name}_LSB = {f.lsb};\n")
            o.append(f"  localparam int unsigned {R}{r.name}_{f.name}_WIDTH = {f.width};\n")
            for v in f.values:
                o.append(f"  localparam logic [{f.width - 1}:0] {R}{r.name}_{f.name}_{v.name} = "
                         f"{sv_hex(f.width, v.value)};\n")
        o.append("\n")

    layout = port_layout(rm)
    for struct in ("reg2hw", "hw2reg"):
        bits = layout[struct]
        o.append(f"  // {struct}: " + ("values of software-written fields, to the core.\n"
                                       if struct == "reg2hw" else
                                       "values and events from the core (d: value, de: load enable "
                                       "of an rc field, set: w1c set pulses).\n"))
        # Nested struct per register with explicit fields, declared MSB (last) member first.
        for r in rm.regs:
            mine = [b for b in bits if b.reg is r and not b.field.implicit]
            if not mine:
                continue
            o.append(f"  typedef struct packed {{\n")
            for b in reversed(mine):
                leaf = b.member.split(".", 1)[1]
                o.append(f"    {sv_logic(b.width)} {leaf};{_role_note(b)}\n")
            o.append(f"  }} {struct}_{r.lname}_t;\n\n")
        o.append("  typedef struct packed {\n")
        done: set[str] = set()
        for b in reversed(bits):
            top = b.member.split(".", 1)[0]
            if top in done:
                continue
            done.add(top)
            if b.field.implicit:
                o.append(f"    {sv_logic(b.width)} {top};{_role_note(b)}\n")
            else:
                o.append(f"    {struct}_{b.reg.lname}_t {top};\n")
        width = sum(b.width for b in bits)
        o.append(f"  }} {struct}_t;  // {width} bits\n\n")
    o.append("  /* verilator lint_on UNUSEDPARAM */\n\nendpackage\n")
    return "".join(o)



def _role_note(b: PortBit) -> str:
    return {"q": "", "next": "  // after this cycle's write", "d": "" if b.field.access == "ro" else "  // value to load",
            "de": "  // load enable", "set": "  // set pulses"}[b.role]
