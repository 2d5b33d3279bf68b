# SPDX-License-Identifier: Apache-2.0
"""Spelling shared by the loader and the emitters: identifiers, literals, comments, banners."""
from __future__ import annotations

import dataclasses
import re

from .model import Code, Defs, Field, Reg, RegMap

# IEEE 1800-2017 Annex B keywords; a lower-cased register or field name becomes a struct
# member in the SV package and must not be one of these.
SV_KEYWORDS = frozenset("""
accept_on alias always always_comb always_ff always_latch and assert assign assume automatic
before begin bind bins binsof bit break buf bufif0 bufif1 byte case casex casez cell chandle
checker class clocking cmos config const constraint context continue cover covergroup
coverpoint cross deassign default defparam design disable dist do edge else end endcase
endchecker endclass endclocking endconfig endfunction endgenerate endgroup endinterface
endmodule endpackage endprimitive endprogram endproperty endspecify endsequence endtable
endtask enum event eventually expect export extends extern final first_match for force
foreach forever fork forkjoin function generate genvar global highz0 highz1 if iff ifnone
ignore_bins illegal_bins implements implies import incdir include initial inout input
inside instance int integer interconnect interface intersect join join_any join_none
large let liblist library local localparam logic longint macromodule matches medium
modport module nand negedge nettype new nexttime nmos nor noshowcancelled not notif0
notif1 null or output package packed parameter pmos posedge primitive priority program
property protected pull0 pull1 pulldown pullup pulsestyle_ondetect pulsestyle_onevent pure
rand randc randcase randsequence rcmos real realtime ref reg reject_on release repeat
restrict return rnmos rpmos rtran rtranif0 rtranif1 s_always s_eventually s_nexttime
s_until s_until_with scalared sequence shortint shortreal showcancelled signed small soft
solve specify specparam static string strong strong0 strong1 struct super supply0 supply1
sync_accept_on sync_reject_on table tagged task this throughout time timeprecision
timeunit tran tranif0 tranif1 tri tri0 tri1 triand trior trireg type typedef union unique
unique0 unsigned until until_with untyped use uwire var vectored virtual void wait
wait_order wand weak weak0 weak1 while wildcard wire with within wor xnor xor
""".split())



@dataclasses.dataclass(frozen=True)
class MapNames:
    """How one register map's outputs are spelled. The host map (no [block] name) keeps the
    original names; a map with `[block] name = "fw"` puts its name into every one, so that
    the outputs of several maps can be used together (one C or C++ translation unit, one SV
    design): every TOE_ of the host map's C macros and SV localparams becomes TOE_FW_
    (except the access codes TOE_ACCESS_*, which are shared), toe_reg_pkg becomes
    toe_fw_reg_pkg, toe::regmap becomes toe::fw_regmap (with the types of toe::regmap)."""
    block: str | None

    def _n(self, host: str, named: str) -> str:
        return host if self.block is None else named.format(n=self.block, N=self.block.upper())

    @property
    def top(self) -> str:
        """Prefix of the C macros and SV localparams that are not registers': TOE_DEVICE_TYPE,
        TOE_PARAM_SESSIONS_DEFAULT."""
        return self._n("TOE_", "TOE_{N}_")

    @property
    def reg(self) -> str:
        """Prefix of the register macros and localparams: TOE_REG_CTRL_OFFSET."""
        return self._n("TOE_REG_", "TOE_{N}_REG_")

    @property
    def sv_pkg(self) -> str:
        return self._n("toe_reg_pkg", "toe_{n}_reg_pkg")

    @property
    def sv_top(self) -> str:
        return self._n("toe_reg_top", "toe_{n}_reg_top")

    @property
    def c_header(self) -> str:
        return self._n("toe_regs.h", "toe_{n}_regs.h")

    @property
    def c_guard(self) -> str:
        return self._n("TOE_REGS_H_", "TOE_{N}_REGS_H_")

    @property
    def cpp_table(self) -> str:
        return self._n("toe_regs_table.hpp", "toe_{n}_regs_table.hpp")

    @property
    def cpp_ns(self) -> str:
        return self._n("toe::regmap", "toe::{n}_regmap")

    @property
    def docs(self) -> str:
        """The committed reference, from the repository root."""
        return self._n("docs/registers.md", "docs/{n}_registers.md")

    @property
    def docs_test(self) -> str:
        """The ctest that checks the reference's freshness."""
        return self._n("regmap_docs_fresh", "regmap_{n}_docs_fresh")

    @property
    def title(self) -> str:
        """"register map" or "fw register map", for comments."""
        return self._n("register map", "{n} register map")


# The shared C++ types of every map's table (toe::regmap::Access, Reg, ...).
CPP_TYPES_HEADER = "toe_regmap_types.hpp"
CPP_TYPES_NS = "toe::regmap"


def map_names(rm: RegMap) -> MapNames:
    return MapNames(rm.block)


def hex_str(v: int, digits: int = 8) -> str:
    return f"0x{v:0{digits}X}"


def banner(src: RegMap | Defs, open_: str, cont: str, close: str = "") -> str:
    """The first lines of every generated file: what generated it from what, and its licence
    (the first line stays "GENERATED by ..." so that tools and tests recognise the file)."""
    lines = [f"GENERATED by scripts/gen_regs.py from {src.source_name} — do not edit.",
             "Edit the TOML and rebuild (or run scripts/gen_regs.py) instead.",
             "SPDX-License-Identifier: Apache-2.0"]
    out = [open_ + lines[0]] + [cont + ln for ln in lines[1:]]
    if close:
        out[-1] += close
    return "\n".join(out) + "\n"


def one_line(text: str) -> str:
    return " ".join(text.split())


def c_comment(text: str) -> str:
    return one_line(text).replace("*/", "* /")


def cpp_str(text: str) -> str:
    return '"' + one_line(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def camel(upper_snake: str) -> str:
    return "".join(p.capitalize() for p in upper_snake.split("_") if p)


def sv_hex(width: int, value: int) -> str:
    digits = max(1, (width + 3) // 4)
    return f"{width}'h{value:0{digits}X}"


def sv_logic(width: int) -> str:
    return "logic" + (f" [{width - 1}:0]" if width > 1 else "")


def member(r: Reg, f: Field) -> str:
    return r.lname if f.implicit else f"{r.lname}.{f.name.lower()}"


def flop(r: Reg, f: Field) -> str:
    return r.lname if f.implicit else f"{r.lname}_{f.name.lower()}"


def md(text: str) -> str:
    return one_line(text).replace("|", "\\|")


def upper_snake(camel_name: str) -> str:
    """"RxBufBytes" -> "RX_BUF_BYTES" (for C macros of SV parameter names)."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", camel_name).upper()


# ----------------------------------------------------------------------------------------
# Spelling of the numbered sets of toe_defs.toml. The description holds the to_string()
# name ("SYN_SENT", "tx_push"); each language spells it from that.


@dataclasses.dataclass(frozen=True)
class SetNames:
    what: str  # "TCP state", for messages and docs
    c_prefix: str  # C macros: TOE_STATE_<NAME>
    sv_prefix: str  # SV localparams: St<Camel>
    sv_width: str  # SV localparam holding the width
    cpp_type: str  # C++ enum class
    cpp_ns: str  # its namespace

    def c(self, code: Code) -> str:
        return f"{self.c_prefix}_{code.name.upper()}"

    def sv(self, code: Code) -> str:
        return self.sv_prefix + camel(code.name)

    def cpp(self, code: Code) -> str:
        """The enumerator: RFC names for TCP states, kCamel for the others."""
        return code.name if self.cpp_type == "TcpState" else "k" + camel(code.name)


SET_NAMES = {
    "tcp_state": SetNames("TCP state", "TOE_STATE", "St", "StateW", "TcpState", "toe"),
    "cmd_op": SetNames("command", "TOE_CMD", "Cmd", "CmdOpW", "CmdOp", "toe::model"),
    "evt_type": SetNames("event type", "TOE_EVT", "Evt", "EvtTypeW", "EvtType", "toe::model"),
    "counter": SetNames("counter", "TOE_CNT", "Cnt", "CntW", "Counter", "toe::model"),
}
