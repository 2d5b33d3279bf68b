# SPDX-License-Identifier: Apache-2.0
"""toe_defs_pkg.sv: SV package toe_defs_pkg with the shared definitions as localparams, named
as the RTL uses them (StClosed, CmdNop, EvtConnected, CntFramesIn, NCnt, SessionsMin ...).
Localparams only, so that yosys 0.23 reads it as well as Verilator."""
from __future__ import annotations

from .model import UINT32_MAX, CodeSet, Defs, RegMap
from .names import SET_NAMES, banner, one_line

OUTPUT = "toe_defs_pkg.sv"

_TITLES = {
    "tcp_state": "RFC 9293 connection states (C++ toe::TcpState)",
    "cmd_op": "commands (C++ CmdOp); codes not listed are no command",
    "evt_type": "events (C++ EvtType)",
    "counter": "counters (C++ Counter), by index; CntNone (C++ kCount) is \"no counter\"",
}


def emit(rm: RegMap) -> str:
    d = rm.defs
    o = [banner(d, "// ", "// ")]
    o.append("""//
// The numbers the RTL shares with the C++ model, firmware and drivers: TCP states, command
// opcodes, event types, counter indices, and the defaults and ranges of the build parameters
// (checked at elaboration by toe_param_check). Referenced as toe_defs_pkg::Name.
// See docs/defs.md.
package toe_defs_pkg;

  // Constants for every user; any one design uses only some of them.
  /* verilator lint_off UNUSEDPARAM */
""")
    for cs in (d.states, d.cmds, d.evts, d.counters):
        o.append(_codes(cs))
    o.append(_params(d))
    o.append("  /* verilator lint_on UNUSEDPARAM */\n\nendpackage\n")
    return "".join(o)


def _codes(cs: CodeSet) -> str:
    n = SET_NAMES[cs.key]
    w = n.sv_width
    names = [n.sv(c) for c in cs.values] + (["CntNone"] if cs.key == "counter" else [])
    pad = max(len(x) for x in names)
    o = [f"\n  // ---- {_TITLES[cs.key]}\n"]
    o.append(f"  localparam int unsigned {w} = {cs.width};\n")
    for c in cs.values:
        o.append(f"  localparam logic [{w}-1:0] {n.sv(c):<{pad}} = {cs.width}'d{c.value};"
                 f"  // {one_line(c.desc)}\n")
    if cs.key in ("cmd_op", "evt_type"):
        o.append(_party_masks(cs))
    if cs.key == "counter":
        count = len(cs.values)
        mask = sum(1 << c.value for c in cs.values if c.drop)
        digits = (count + 3) // 4
        o.append(f"  localparam logic [{w}-1:0] {'CntNone':<{pad}} = {cs.width}'d{count};\n")
        o.append(f"  localparam int unsigned NCnt = {count};\n")
        o.append("  // Bit i set: counter i counts frames or segments dropped on receive (CNT_DROP_*).\n")
        o.append(f"  localparam logic [NCnt-1:0] CntDropMask = {count}'h{mask:0{digits}X};\n")
    return "".join(o)


def party_masks(cs: CodeSet) -> list[tuple[str, str, int]]:
    """(SV name, C name, mask) of the codes of a command or event set, bit c for code c: who
    issues a command or consumes an event ("host"), and the commands that name a connection."""
    host = sum(1 << c.value for c in cs.values if c.who == "host")
    if cs.key == "evt_type":
        return [("EvtHostMask", "TOE_EVT_HOST_MASK", host)]
    fw = sum(1 << c.value for c in cs.values if c.who == "firmware")
    conn = sum(1 << c.value for c in cs.values if "conn" in [a.strip() for a in c.args.split(",")])
    return [
        ("CmdHostMask", "TOE_CMD_HOST_MASK", host),
        ("CmdFwMask", "TOE_CMD_FW_MASK", fw),
        ("CmdConnMask", "TOE_CMD_CONN_MASK", conn),
    ]


_MASK_NOTES = {
    "CmdHostMask": "Bit c set: command c is issued by the host (the others by the firmware).",
    "CmdFwMask": "Bit c set: command c is issued by the firmware (its port's CMD takes these only).",
    "CmdConnMask": "Bit c set: command c names a connection (Cmd conn).",
    "EvtHostMask": "Bit e set: event type e is for the host (the others for the firmware).",
}


def _party_masks(cs: CodeSet) -> str:
    bits = 1 << cs.width
    o = []
    for sv, _c, mask in party_masks(cs):
        o.append(f"  // {_MASK_NOTES[sv]}\n")
        o.append(f"  localparam logic [{bits - 1}:0] {sv} = {bits}'h{mask:0{(bits + 3) // 4}X};\n")
    return "".join(o)


def _sv_uint(v: int) -> str:
    return "32'hFFFF_FFFF" if v == UINT32_MAX else str(v)


def _params(d: Defs) -> str:
    o = [f"\n  // ---- build parameters of {d.sv_module}: default and the bounds of the valid range\n"
         "  // (toe_param_check checks these and the parameters' other rules)\n"]
    for p in d.params:
        lim = p.limits("engine")
        o.append(f"  // {p.name}: {one_line(p.desc)}\n")
        o.append(f"  localparam int unsigned {p.name}Default = {p.default};\n")
        o.append(f"  localparam int unsigned {p.name}Min = {lim.min};\n")
        o.append(f"  localparam int unsigned {p.name}Max = {_sv_uint(lim.max)};\n")
    return "".join(o)
