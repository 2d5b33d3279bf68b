# SPDX-License-Identifier: Apache-2.0
"""toe_defs.h: the shared definitions for firmware and drivers (C11 and C++)."""
from __future__ import annotations

from .model import UINT32_MAX, CodeSet, Defs, RegMap
from .names import SET_NAMES, banner, c_comment, upper_snake
from .emit_defs_sv_pkg import _MASK_NOTES, party_masks

OUTPUT = "toe_defs.h"

_TITLES = {
    "tcp_state": "RFC 9293 connection states",
    "cmd_op": "Commands into the engine on s_cmd",
    "evt_type": "Events out of the engine on m_evt",
    "counter": "Statistics counters by index, the CNT_* registers in this order",
}
_ARRAYS = {"tcp_state": "toe_state_names", "cmd_op": "toe_cmd_names", "evt_type": "toe_evt_names",
           "counter": "toe_cnt_names"}


def emit(rm: RegMap) -> str:
    d = rm.defs
    o = [banner(d, "/* ", " * ", " */")]
    o.append("""/* toecore definitions for firmware and drivers (C11 and C++): TCP states, command opcodes,
 * event types, counter indices and the ranges of the build parameters. The same numbers as
 * the C++ model (toe_defs.hpp) and the RTL (toe_defs_pkg). See docs/defs.md. */
#ifndef TOE_DEFS_H_
#define TOE_DEFS_H_
""")
    for cs in (d.states, d.cmds, d.evts, d.counters):
        o.append(_codes(cs))
    o.append(_params(d))
    o.append("""
/* Names, as the C++ to_string() gives them, indexed by value ("?" where no value). */
""")
    for cs in (d.states, d.cmds, d.evts, d.counters):
        o.append(_names(cs))
    o.append("\n#endif /* TOE_DEFS_H_ */\n")
    return "".join(o)


def _codes(cs: CodeSet) -> str:
    n = SET_NAMES[cs.key]
    o = [f"\n/* {_TITLES[cs.key]} (C++ {n.cpp_ns}::{n.cpp_type}, SV toe_defs_pkg::{n.sv_prefix}*). */\n"]
    o.append(f"#define {n.c_prefix}_WIDTH {cs.width}u /* bits of a code in the RTL */\n")
    for c in cs.values:
        o.append(f"#define {n.c(c)} {c.value}u /* {_note(cs.key, c)}{c_comment(c.desc)} */\n")
    if cs.key == "counter":
        mask = sum(1 << c.value for c in cs.values if c.drop)
        o.append(f"#define {n.c_prefix}_COUNT {len(cs.values)}u\n")
        o.append(f"/* Bit i set: counter i counts frames or segments dropped on receive (CNT_DROP_*). */\n")
        o.append(f"#define TOE_CNT_DROP_MASK 0x{mask:08X}u\n")
    else:
        o.append(f"#define {n.c_prefix}_MAX {cs.max_value}u /* the largest value */\n")
    if cs.key in ("cmd_op", "evt_type"):
        for sv, c_name, mask in party_masks(cs):
            o.append(f"/* {_MASK_NOTES[sv]} */\n#define {c_name} 0x{mask:08X}u\n")
    return "".join(o)


def _note(key: str, c) -> str:
    if key == "cmd_op":
        return f"from {c.who}" + (f" ({c.args})" if c.args else "") + ": "
    if key == "evt_type":
        return f"for {c.who}: "
    if key == "counter" and c.drop:
        return "drop: "
    return ""


def _params(d: Defs) -> str:
    o = [f"""
/* Build parameters of the engine ({d.sv_module} parameters, C++ {d.cpp_struct} fields). A value
 * is valid if it lies in MIN..MAX and meets the rule in the comment; a device reports the
 * values it was built with in registers. */
"""]
    for p in d.params:
        lim = p.limits("engine")
        extra = [x for x in ("power of two" if lim.power_of_two else "",
                             "even" if lim.even else "",
                             f"multiple of {lim.multiple_of}" if lim.multiple_of else "") if x]
        rule = f" ({', '.join(extra)})" if extra else ""
        u = upper_snake(p.name)
        o.append(f"/* {p.name} / {d.cpp_struct}.{p.field}{rule}: {c_comment(p.desc)} */\n")
        o.append(f"#define TOE_PARAM_{u}_MIN {lim.min}u\n")
        o.append(f"#define TOE_PARAM_{u}_MAX {lim.max}u" +
                 (" /* no upper bound */\n" if lim.max == UINT32_MAX else "\n"))
        o.append(f"#define TOE_PARAM_{u}_DEFAULT {p.default}u\n")
    return "".join(o)


def _names(cs: CodeSet) -> str:
    n = SET_NAMES[cs.key]
    size = f"{n.c_prefix}_COUNT" if cs.key == "counter" else f"{n.c_prefix}_MAX + 1"
    by_value = {c.value: c.name for c in cs.values}
    top = len(cs.values) if cs.key == "counter" else cs.max_value + 1
    items = [f'"{by_value.get(v, "?")}"' for v in range(top)]
    lines, line = [], "   "
    for it in items:
        if len(line) + len(it) + 2 > 100:
            lines.append(line)
            line = "   "
        line += f" {it},"
    lines.append(line)
    return (f"static const char* const {_ARRAYS[cs.key]}[{size}] = {{\n" + "\n".join(lines) +
            "\n};\n")
