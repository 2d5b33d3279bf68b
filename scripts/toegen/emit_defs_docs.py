# SPDX-License-Identifier: Apache-2.0
"""docs/defs.md: the reference of the shared definitions (committed; checked for freshness)."""
from __future__ import annotations

from .model import UINT32_MAX, CodeSet, Limits, RegMap, Rule
from .names import SET_NAMES, banner, md, upper_snake

DOCS_CMD = "python3 scripts/gen_regs.py --defs-docs docs/defs.md"


def emit(rm: RegMap) -> str:
    d = rm.defs
    o = [banner(d, "<!-- ", "     ", " -->")]
    o.append(f"""
# Shared definitions

> Generated from [`{d.source_name}`](../{d.source_name}) by `{DOCS_CMD}`;
> do not edit by hand. The ctest `defs_docs_fresh` fails when this file is stale.

The numbers the C++ model, the RTL, firmware and drivers share, each written once. Every
name below is spelled per language from the one in the description:

| Output | For | Holds |
| --- | --- | --- |
| `toe_defs.hpp` | C++17: model, RTL wrapper, toe_sim | `toe::TcpState`, `toe::model::CmdOp` / `EvtType` / `Counter` with `to_string()`, tables `toe::defs::k*`, `toe::params::Values` / `kParams` / `check()` |
| `toe_defs.h` | C11: firmware, drivers | `TOE_STATE_*`, `TOE_CMD_*`, `TOE_EVT_*`, `TOE_CNT_*`, `TOE_PARAM_*_{{MIN,MAX,DEFAULT}}`, name arrays |
| `toe_defs_pkg.sv` | SystemVerilog | package `toe_defs_pkg`: `St*`, `Cmd*`, `Evt*`, `Cnt*`, `NCnt`, `<Param>{{Default,Min,Max}}` |
| `toe_param_check.sv` | SystemVerilog | module `toe_param_check`: the parameter rules as elaboration-time `$error`s |

They are generated into the build tree (`gen/regmap/`) with the register map; see
[`rtl_model/regmap/README.md`](../rtl_model/regmap/README.md).
""")
    o.append(_states(d.states))
    o.append(_cmds(d.cmds))
    o.append(_evts(d.evts))
    o.append(_counters(d.counters, d.counter_regs))
    o.append(_params(rm))
    return "".join(o)


def _states(cs: CodeSet) -> str:
    n = SET_NAMES[cs.key]
    o = [f"\n## TCP states\n\nRFC 9293 names; {cs.width} bits in the RTL (`StateW`).\n\n"
         "| Value | State | SV | C | Meaning |\n| --- | --- | --- | --- | --- |\n"]
    for c in cs.values:
        o.append(f"| {c.value} | `{c.name}` | `{n.sv(c)}` | `{n.c(c)}` | {md(c.desc)} |\n")
    return "".join(o)


def _cmds(cs: CodeSet) -> str:
    n = SET_NAMES[cs.key]
    o = [f"\n## Commands\n\nInto the engine on `s_cmd`; {cs.width} bits (`CmdOpW`). Codes not "
         "listed are no command and are refused like a bad connection id.\n\n"
         "| Value | Command | From | Reads | C++ | SV | C | Meaning |\n"
         "| --- | --- | --- | --- | --- | --- | --- | --- |\n"]
    for c in cs.values:
        o.append(f"| {c.value} | `{c.name}` | {c.who} | {md(c.args)} | `{n.cpp(c)}` | `{n.sv(c)}` | "
                 f"`{n.c(c)}` | {md(c.desc)} |\n")
    return "".join(o)


def _evts(cs: CodeSet) -> str:
    n = SET_NAMES[cs.key]
    o = [f"\n## Events\n\nOut of the engine on `m_evt`; {cs.width} bits (`EvtTypeW`).\n\n"
         "| Value | Event | For | C++ | SV | C | Meaning |\n"
         "| --- | --- | --- | --- | --- | --- | --- |\n"]
    for c in cs.values:
        o.append(f"| {c.value} | `{c.name}` | {c.who} | `{n.cpp(c)}` | `{n.sv(c)}` | `{n.c(c)}` | "
                 f"{md(c.desc)} |\n")
    return "".join(o)


def _counters(cs: CodeSet, regs: dict[str, str]) -> str:
    n = SET_NAMES[cs.key]
    o = [f"\n## Counters\n\nBy index; {cs.width} bits (`CntW`), the code {len(cs.values)} "
         "(`CntNone`, C++ `Counter::kCount`) is \"no counter\". Drop: counts frames or segments "
         "dropped on receive (`INTR_STATE.DROP` is set when one of these moves).\n\n"
         "| Index | Counter | Register | Drop | C++ | SV | C | Meaning |\n"
         "| --- | --- | --- | --- | --- | --- | --- | --- |\n"]
    for c in cs.values:
        reg = f"[{regs[c.name]}](registers.md#{regs[c.name].lower()})" if c.name in regs else "—"
        o.append(f"| {c.value} | `{c.name}` | {reg} | {'yes' if c.drop else ''} | `{n.cpp(c)}` | "
                 f"`{n.sv(c)}` | `{n.c(c)}` | {md(c.desc)} |\n")
    return "".join(o)


def _rule_text(lim: Limits) -> str:
    parts = [lim.range_text() if (lim.min or lim.max != UINT32_MAX) else ""]
    parts += ["power of two" if lim.power_of_two else "", "even" if lim.even else "",
              f"multiple of {lim.multiple_of}" if lim.multiple_of else ""]
    return ", ".join(p for p in parts if p) or "any"


def _one_rule(r: Rule) -> str:
    lim = Limits(r.min or 0, UINT32_MAX if r.max is None else r.max, r.power_of_two, r.even,
                 r.multiple_of or 0)
    return _rule_text(lim)


def _params(rm: RegMap) -> str:
    d = rm.defs
    o = [f"""
## Build parameters

Parameters of `{d.sv_module}` and the same-named fields of the C++ `{d.cpp_struct}` (and of
`toe::params::Values`). One set of rules, checked in C++ by `toe::params::check()` and in
SystemVerilog by `toe_param_check`. A rule holds either for every block sized by the
parameter (`Scope::kBlock`: `model::Tables`, one stage in a lockstep test) or only for the
whole engine (`Scope::kEngine`: `{d.sv_module}`, `model::Engine`, toe_sim; it also checks the
block rules). `MaxHalfOpen` is not a build parameter: it is the runtime register
[MAX_HALF_OPEN](registers.md#max_half_open).

| Parameter | {d.cpp_struct} | Default | Engine | Block | C |
| --- | --- | --- | --- | --- | --- |
"""]
    for p in d.params:
        o.append(f"| `{p.name}` | `{p.field}` | {p.default} | {_rule_text(p.limits('engine'))} | "
                 f"{_rule_text(p.limits('block'))} | `TOE_PARAM_{upper_snake(p.name)}_*` |\n")
    o.append("\nWhy each rule:\n\n| Parameter | Rule | Scope | Why |\n| --- | --- | --- | --- |\n")
    for p in d.params:
        for r in p.rules:
            o.append(f"| `{p.name}` | {_one_rule(r)} | {r.scope} | {md(r.why)} |\n")
    o.append("\n" + "".join(f"- `{p.name}`: {md(p.desc)}\n" for p in d.params))
    return "".join(o)
