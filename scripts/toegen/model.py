# SPDX-License-Identifier: Apache-2.0
"""The descriptions as Python objects: the register map (RegMap, Group, Reg, Field), the
reg2hw / hw2reg port layout derived from it, and the shared definitions (Defs: TCP states,
command opcodes, event types, counters, build parameters and their rules). Filled in and
checked by load.py and load_defs.py; read by the emitters."""
from __future__ import annotations

import dataclasses
import math

REG_BYTES = 4
DATA_WIDTH = 32
ACCESSES = ("rw", "ro", "w1c", "rc")
SW_WRITABLE = ("rw", "w1c")
# Where the value of an ro or rc register comes from.
SOURCES = ("core", "const", "bus_error")
# Codes the decoder must be able to report when a map has a bus_error register.
BUS_ERROR_CODES = ("NONE", "UNMAPPED", "READ_ONLY", "MISALIGNED")
# Width of toe_reg_top's refuse_code_i in a map without a bus_error register (with one, it
# is the width of that register's CODE field).
REFUSE_CODE_WIDTH_DEFAULT = 4


class MapError(Exception):
    """The description is invalid; args[0] is a list of messages."""


# ----------------------------------------------------------------------------------------
# Model


@dataclasses.dataclass
class EnumValue:
    name: str
    value: int
    desc: str


@dataclasses.dataclass
class Field:
    name: str
    lsb: int
    width: int
    access: str
    self_clear: bool
    desc: str
    values: list[EnumValue]
    implicit: bool = False  # stands for a register declared without fields
    reset: int = 0  # filled from the register's reset

    @property
    def msb(self) -> int:
        return self.lsb + self.width - 1

    @property
    def mask(self) -> int:
        return ((1 << self.width) - 1) << self.lsb


@dataclasses.dataclass
class Param:
    name: str
    default: int
    desc: str


@dataclasses.dataclass
class Reg:
    name: str
    offset: int
    access: str
    source: str
    reset: int
    reset_param: str | None
    desc: str
    fields: list[Field]  # always at least one (an implicit one for field-less registers)
    group: str
    # reg2hw carries the rw fields' next value too (<member>_next: the value after this
    # cycle's write, before the clock edge), for a core that reads a memory at it a cycle ahead.
    next: bool = False

    @property
    def explicit_fields(self) -> list[Field]:
        return [f for f in self.fields if not f.implicit]

    def mask_of(self, *accesses: str) -> int:
        m = 0
        for f in self.fields:
            if f.access in accesses:
                m |= f.mask
        return m

    @property
    def read_mask(self) -> int:
        """Bits that read back (self-clearing bits always read as 0)."""
        return self.mask_of(*ACCESSES) & ~self.self_clear_mask

    @property
    def write_mask(self) -> int:
        return self.mask_of("rw")

    @property
    def self_clear_mask(self) -> int:
        return sum(f.mask for f in self.fields if f.self_clear)

    @property
    def sw_writable(self) -> bool:
        return any(f.access in SW_WRITABLE for f in self.fields)

    @property
    def lname(self) -> str:
        return self.name.lower()


@dataclasses.dataclass
class Group:
    name: str
    base: int
    size: int
    desc: str
    regs: list[Reg]
    # A window: a range of the bus without registers that the logic around toe_reg_top
    # serves (a buffer window); the decoder itself treats its addresses as unmapped.
    window: bool = False

    @property
    def uname(self) -> str:
        """"tx_window" -> "TX_WINDOW" (TOE_REG_TX_WINDOW_BASE, _SIZE)."""
        return self.name.upper()

    @property
    def last(self) -> int:
        return self.base + self.size - 1


@dataclasses.dataclass
class RegMap:
    source_name: str  # path of the TOML as written in banners
    addr_width: int
    params: list[Param]
    groups: list[Group]
    regs: list[Reg]  # sorted by offset
    defs: Defs | None = None  # the definitions the map names with `defs = "..."`, if any
    # [block] name: selects the spelling of everything generated from the map (names.py,
    # MapNames); None for the host map (toe_reg_pkg, TOE_REG_*, toe::regmap).
    block: str | None = None

    def reg(self, name: str) -> Reg | None:
        return next((r for r in self.regs if r.name == name), None)

    @property
    def bus_error_reg(self) -> Reg | None:
        return next((r for r in self.regs if r.source == "bus_error"), None)

    @property
    def windows(self) -> list[Group]:
        """The window groups, by base."""
        return [g for g in self.groups if g.window]

    @property
    def refuse_code_width(self) -> int:
        """Width of toe_reg_top's refuse_code_i: the bus_error register's CODE field."""
        be = self.bus_error_reg
        if be is None:
            return REFUSE_CODE_WIDTH_DEFAULT
        return next(f.width for f in be.fields if f.name == "CODE")

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)


# ----------------------------------------------------------------------------------------
# The reg2hw / hw2reg port structs.
#
# Members are laid out with the lowest register offset in the least significant bits and,
# inside a register, the lowest field in the least significant bits. A register without
# explicit fields is one member of the top struct; a register with fields is a nested
# struct with one member per field. Roles:
#   reg2hw  q    current value of an rw or w1c field
#           next value of an rw field after this cycle's write (registers with next = true;
#                named <field>_next)
#   hw2reg  d    value of a core-driven ro field (read live), or value to load into an rc field
#           de   load enable of an rc field (named <field>_de)
#           set  set pulses of a w1c field (a 1 sets the bit)


@dataclasses.dataclass
class PortBit:
    reg: Reg
    field: Field
    role: str  # q, next, d, de, set
    member: str  # SV path below the struct, e.g. "ctrl.enable" or "cnt_frames_in"
    lsb: int = 0
    width: int = 0


def _port_roles(r: Reg, f: Field) -> tuple[list[str], list[str]]:
    """Roles of one field in (reg2hw, hw2reg)."""
    if f.access in ("rw", "w1c"):
        to_hw = ["q"] + (["next"] if r.next and f.access == "rw" else [])
    else:
        to_hw = []
    if r.source != "core":
        return to_hw, []
    return to_hw, {"rw": [], "w1c": ["set"], "ro": ["d"], "rc": ["d", "de"]}[f.access]


def port_layout(rm: RegMap) -> dict[str, list[PortBit]]:
    out: dict[str, list[PortBit]] = {"reg2hw": [], "hw2reg": []}
    for struct in out:
        pos = 0
        for r in rm.regs:
            for f in r.fields:
                roles = _port_roles(r, f)[0 if struct == "reg2hw" else 1]
                for role in roles:
                    suffix = {"de": "_de", "next": "_next"}.get(role, "")
                    leaf = f.name.lower() + suffix
                    if f.implicit:
                        member = r.lname + suffix
                    else:
                        member = f"{r.lname}.{leaf}"
                    width = 1 if role == "de" else f.width
                    out[struct].append(PortBit(r, f, role, member, pos, width))
                    pos += width
    return out


def struct_members(regs: list[Reg]) -> dict[str, list[tuple[str, str]]]:
    rm = RegMap("", 16, [], [], sorted(regs, key=lambda r: r.offset))
    out: dict[str, list[tuple[str, str]]] = {}
    for struct, bits in port_layout(rm).items():
        out[struct] = [(b.member, f"register {b.reg.name}" +
                        ("" if b.field.implicit else f" field {b.field.name}")) for b in bits]
    return out


# ----------------------------------------------------------------------------------------
# Shared definitions (toe_defs.toml)

UINT32_MAX = 0xFFFFFFFF
# Where a rule holds: "block": every block sized by the parameter (model::Tables, one stage
# in a lockstep test); "engine": only the whole engine (toe_top, model::Engine, toe_sim).
SCOPES = ("block", "engine")


@dataclasses.dataclass
class Code:
    """One value of a numbered set (a TCP state, an opcode, an event type, a counter)."""
    name: str  # as written in the description: "SYN_SENT", "tx_push", "frames_in"
    value: int
    desc: str
    who: str = ""  # commands: who issues it ("from"); events: who consumes it ("for")
    args: str = ""  # commands: the Cmd fields it reads
    drop: bool = False  # counters: counts frames or segments dropped on receive


@dataclasses.dataclass
class CodeSet:
    key: str  # tcp_state, cmd_op, evt_type, counter
    width: int  # bits of a code in the RTL
    values: list[Code]  # in description order (counters: index order)

    @property
    def max_value(self) -> int:
        return max(c.value for c in self.values)


@dataclasses.dataclass
class Rule:
    scope: str  # one of SCOPES
    min: int | None
    max: int | None
    power_of_two: bool
    even: bool
    multiple_of: int | None
    why: str


@dataclasses.dataclass
class Limits:
    """All rules of one scope folded together: what check() tests, in this order."""
    min: int
    max: int  # UINT32_MAX: no upper bound
    power_of_two: bool
    even: bool
    multiple_of: int  # 0: none

    def range_text(self) -> str:
        if self.max == UINT32_MAX:
            return f">= {self.min}"
        if self.min == 0:
            return f"<= {self.max}"
        return f"{self.min}..{self.max}"

    def violation(self, v: int) -> str | None:
        """What v breaks, as the tail of "<param> must be ..., got v", or None."""
        if v < self.min or v > self.max:
            return self.range_text()
        if self.power_of_two and v & (v - 1):
            return "a power of two"
        if self.even and v % 2:
            return "even"
        if self.multiple_of and v % self.multiple_of:
            return f"a multiple of {self.multiple_of}"
        return None


@dataclasses.dataclass
class BuildParam:
    name: str  # SV parameter of the engine: "Sessions"
    field: str  # C++ EngineConfig / toe::params::Values member: "sessions"
    default: int
    desc: str
    rules: list[Rule]

    def limits(self, scope: str) -> Limits:
        """The rules of `scope`: block's own; engine's are block's and the engine-only ones."""
        rules = [r for r in self.rules if scope == "engine" or r.scope == "block"]
        mins = [r.min for r in rules if r.min is not None]
        maxs = [r.max for r in rules if r.max is not None]
        mults = [r.multiple_of for r in rules if r.multiple_of]
        return Limits(max(mins, default=0), min(maxs, default=UINT32_MAX),
                      any(r.power_of_two for r in rules), any(r.even for r in rules),
                      math.lcm(*mults) if mults else 0)


@dataclasses.dataclass
class Defs:
    source_name: str  # path of the TOML as written in banners
    states: CodeSet
    cmds: CodeSet
    evts: CodeSet
    counters: CodeSet
    cpp_struct: str  # "EngineConfig": messages name <cpp_struct>.<field>
    sv_module: str  # "toe_top": messages name "<sv_module>: <Name>"
    params: list[BuildParam]
    # Counter name -> its register, for counters the register map has one for
    # (reg_per_counter); filled in by the register map's loader.
    counter_regs: dict[str, str] = dataclasses.field(default_factory=dict)

    def param(self, name: str) -> BuildParam | None:
        return next((p for p in self.params if p.name == name), None)
