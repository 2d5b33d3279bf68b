#!/usr/bin/env python3
"""Generate the toecore register block from its one description.

Reads rtl_model/regmap/toe_regs.toml (stdlib only: tomllib, Python 3.11+) and writes

  toe_reg_pkg.sv       SV package toe_reg_pkg: offsets, resets, fields, reg2hw_t / hw2reg_t
  toe_reg_top.sv       SV module toe_reg_top: the register decoder
  toe_regs.h           C header for firmware and driver (C11 and C++)
  toe_regs_table.hpp   C++17 table for the model and the TLM-2.0 target
  registers.md         Markdown register reference (only with --docs FILE)

Usage:
  gen_regs.py [--in TOML] --out-dir DIR [--docs FILE]
  gen_regs.py [--in TOML] --docs docs/registers.md
  gen_regs.py [--in TOML] --check-docs docs/registers.md

--in defaults to rtl_model/regmap/toe_regs.toml of the tree this script lives in.
Exit status: 0 ok, 1 invalid description or stale docs, 2 bad usage.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import re
import sys
import tomllib
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_IN = REPO_ROOT / "rtl_model" / "regmap" / "toe_regs.toml"
DOCS_CMD = "python3 scripts/gen_regs.py --docs docs/registers.md"

REG_BYTES = 4
DATA_WIDTH = 32
ACCESSES = ("rw", "ro", "w1c", "rc")
SW_WRITABLE = ("rw", "w1c")
# Where the value of an ro or rc register comes from.
SOURCES = ("core", "const", "bus_error")
# Codes the decoder must be able to report when a map has a bus_error register.
BUS_ERROR_CODES = ("NONE", "UNMAPPED", "READ_ONLY", "MISALIGNED")

REG_NAME_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
PARAM_NAME_RE = re.compile(r"^[A-Z][A-Za-z0-9]*$")
GROUP_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")

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


@dataclasses.dataclass
class RegMap:
    source_name: str  # path of the TOML as written in banners
    addr_width: int
    params: list[Param]
    groups: list[Group]
    regs: list[Reg]  # sorted by offset

    def reg(self, name: str) -> Reg | None:
        return next((r for r in self.regs if r.name == name), None)

    @property
    def bus_error_reg(self) -> Reg | None:
        return next((r for r in self.regs if r.source == "bus_error"), None)

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)


# ----------------------------------------------------------------------------------------
# Loading and validation


def _hex(v: int, digits: int = 8) -> str:
    return f"0x{v:0{digits}X}"


class _Loader:
    def __init__(self, path: str):
        self.path = path
        self.errors: list[str] = []

    def err(self, where: str, msg: str) -> None:
        self.errors.append(f"{self.path}: {where}: {msg}")

    def keys(self, where: str, table: dict, required: tuple, optional: tuple) -> bool:
        ok = True
        for k in table:
            if k not in required and k not in optional:
                allowed = ", ".join(required + optional)
                self.err(where, f"unknown key '{k}' (allowed: {allowed})")
                ok = False
        for k in required:
            if k not in table:
                self.err(where, f"missing required key '{k}'")
                ok = False
        return ok

    def int_(self, where: str, table: dict, key: str, default=None, lo=None, hi=None):
        v = table.get(key, default)
        if v is None:
            return None
        if type(v) is not int:  # bool is an int subclass; refuse it too
            self.err(where, f"'{key}' must be an integer, got {v!r}")
            return None
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            self.err(where, f"'{key}' = {v} is out of range [{lo}, {hi}]")
            return None
        return v

    def str_(self, where: str, table: dict, key: str, default=None):
        v = table.get(key, default)
        if v is None:
            return None
        if not isinstance(v, str):
            self.err(where, f"'{key}' must be a string, got {v!r}")
            return None
        return v

    def list_(self, where: str, table: dict, key: str) -> list:
        v = table.get(key, [])
        if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
            self.err(where, f"'{key}' must be an array of tables")
            return []
        return v

    def name(self, where: str, table: dict, regex: re.Pattern, what: str):
        n = self.str_(where, table, "name")
        if n is not None and not regex.match(n):
            self.err(where, f"{what} name '{n}' must match {regex.pattern}")
        return n


def load(path: str, display_name: str) -> RegMap:
    ld = _Loader(display_name)
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except OSError as e:
        raise MapError([f"{display_name}: cannot read: {e.strerror}"]) from None
    except tomllib.TOMLDecodeError as e:
        raise MapError([f"{display_name}: TOML syntax error: {e}"]) from None

    ld.keys("top level", raw, ("bus", "group"), ("param",))
    bus = raw.get("bus", {})
    addr_width = 16
    if isinstance(bus, dict):
        ld.keys("[bus]", bus, ("addr_width",), ())
        addr_width = ld.int_("[bus]", bus, "addr_width", 16, 4, 32) or 16
    window = 1 << addr_width

    params: list[Param] = []
    for i, p in enumerate(ld.list_("top level", raw, "param")):
        where = f"param #{i + 1}"
        pname = ld.name(where, p, PARAM_NAME_RE, "param")
        if pname:
            where = f"param {pname}"
        ld.keys(where, p, ("name", "default"), ("desc",))
        default = ld.int_(where, p, "default", None, 0, 0xFFFFFFFF)
        if pname and any(q.name == pname for q in params):
            ld.err(where, "duplicate param name")
        if pname and default is not None:
            params.append(Param(pname, default, ld.str_(where, p, "desc", "") or ""))

    groups: list[Group] = []
    regs: list[Reg] = []
    for gi, g in enumerate(ld.list_("top level", raw, "group")):
        where = f"group #{gi + 1}"
        gname = ld.name(where, g, GROUP_NAME_RE, "group")
        if gname:
            where = f"group {gname}"
        ld.keys(where, g, ("name", "base", "size"), ("desc", "reg"))
        base = ld.int_(where, g, "base", None, 0, window - 1)
        size = ld.int_(where, g, "size", None, REG_BYTES, window)
        if base is not None and base % REG_BYTES:
            ld.err(where, f"base {_hex(base, 4)} is not a multiple of {REG_BYTES}")
        if base is not None and size is not None and base + size > window:
            ld.err(where, f"range {_hex(base, 4)}..{_hex(base + size - 1, 4)} ends past the "
                          f"{addr_width}-bit register window")
        if gname is None or base is None or size is None:
            continue
        grp = Group(gname, base, size, ld.str_(where, g, "desc", "") or "", [])
        groups.append(grp)
        for ri, r in enumerate(ld.list_(where, g, "reg")):
            regs.extend(_load_reg(ld, r, grp, ri, params, window))

    _validate_map(ld, groups, regs, params, addr_width)
    if ld.errors:
        raise MapError(ld.errors)
    regs.sort(key=lambda r: r.offset)
    groups.sort(key=lambda g: g.base)
    return RegMap(display_name, addr_width, params, groups, regs)


def _load_reg(ld: _Loader, r: dict, grp: Group, index: int, params: list[Param],
              window: int) -> list[Reg]:
    where = f"group {grp.name} reg #{index + 1}"
    name = ld.name(where, r, REG_NAME_RE, "register")
    if name:
        where = f"register {name}"
    ld.keys(where, r, ("name", "offset", "access"),
            ("desc", "reset", "reset_param", "source", "width", "count", "field"))
    offset = ld.int_(where, r, "offset", None, 0, window - 1)
    access = ld.str_(where, r, "access")
    if access is not None and access not in ACCESSES:
        ld.err(where, f"unknown access '{access}' (expected one of {', '.join(ACCESSES)})")
        access = None
    source = ld.str_(where, r, "source")
    if source is not None and source not in SOURCES:
        ld.err(where, f"unknown source '{source}' (expected one of {', '.join(SOURCES)})")
        source = None
    reset = ld.int_(where, r, "reset", None, 0, 0xFFFFFFFF)
    reset_param = ld.str_(where, r, "reset_param")
    width = ld.int_(where, r, "width", None, 1, DATA_WIDTH)
    count = ld.int_(where, r, "count", 1, 1, 1024)
    desc = ld.str_(where, r, "desc", "") or ""
    raw_fields = ld.list_(where, r, "field")
    if name is None or offset is None or access is None:
        return []

    if offset % REG_BYTES:
        ld.err(where, f"offset {_hex(offset, 4)} is not {REG_BYTES}-byte aligned")
    end = offset + count * REG_BYTES
    if offset < grp.base or end > grp.base + grp.size:
        ld.err(where, f"offset range {_hex(offset, 4)}..{_hex(end - 1, 4)} lies outside its "
                      f"group {grp.name} ({_hex(grp.base, 4)}..{_hex(grp.base + grp.size - 1, 4)})")

    if reset is not None and reset_param is not None:
        ld.err(where, "give either 'reset' or 'reset_param', not both")
    if reset_param is not None:
        p = next((p for p in params if p.name == reset_param), None)
        if p is None:
            ld.err(where, f"reset_param '{reset_param}' is not a declared [[param]]")
            reset_param = None
        else:
            reset = p.default
        if access != "ro":
            ld.err(where, "reset_param is only allowed on ro registers")
    if reset is None:
        reset = 0

    if source is None:
        source = "core"
    elif access not in ("ro", "rc"):
        ld.err(where, f"'source' is only meaningful for ro and rc registers, not {access}")
    if source == "const" and access != "ro":
        ld.err(where, "source 'const' needs access 'ro'")
    if source == "bus_error" and access != "rc":
        ld.err(where, "source 'bus_error' needs access 'rc'")
    if reset_param is not None and source != "const":
        ld.err(where, "reset_param needs source 'const' (the value is the parameter)")

    fields: list[Field] = []
    for fi, f in enumerate(raw_fields):
        fwhere = f"{where} field #{fi + 1}"
        fname = ld.name(fwhere, f, REG_NAME_RE, "field")
        if fname:
            fwhere = f"{where} field {fname}"
        ld.keys(fwhere, f, ("name", "lsb"), ("width", "access", "self_clear", "desc", "values"))
        lsb = ld.int_(fwhere, f, "lsb", None, 0, DATA_WIDTH - 1)
        fwidth = ld.int_(fwhere, f, "width", 1, 1, DATA_WIDTH)
        faccess = ld.str_(fwhere, f, "access", access)
        if faccess not in ACCESSES:
            ld.err(fwhere, f"unknown access '{faccess}' (expected one of {', '.join(ACCESSES)})")
            faccess = access
        self_clear = f.get("self_clear", False)
        if not isinstance(self_clear, bool):
            ld.err(fwhere, "'self_clear' must be true or false")
            self_clear = False
        if self_clear and faccess != "rw":
            ld.err(fwhere, f"self_clear needs access 'rw', not {faccess}")
        if faccess != access and source != "core":
            ld.err(fwhere, f"access override not allowed in a register with source '{source}'")
        values = _load_values(ld, fwhere, f, fwidth)
        if fname is None or lsb is None or fwidth is None:
            continue
        if lsb + fwidth > DATA_WIDTH:
            ld.err(fwhere, f"bits {lsb + fwidth - 1}..{lsb} do not fit in {DATA_WIDTH} bits")
            continue
        fields.append(Field(fname, lsb, fwidth, faccess, self_clear,
                            ld.str_(fwhere, f, "desc", "") or "", values))
    if raw_fields and width is not None:
        ld.err(where, "'width' is only for registers without fields; give field widths")
    if not raw_fields:
        fields = [Field(name, 0, width or DATA_WIDTH, access, False, desc, [], implicit=True)]

    seen: dict[str, Field] = {}
    for f in sorted(fields, key=lambda f: f.lsb):
        if f.name in seen:
            ld.err(where, f"duplicate field name {f.name}")
        seen[f.name] = f
    ordered = sorted(fields, key=lambda f: f.lsb)
    for a, b in zip(ordered, ordered[1:]):
        if b.lsb <= a.msb:
            ld.err(where, f"field {b.name} (bits {b.msb}..{b.lsb}) overlaps field {a.name} "
                          f"(bits {a.msb}..{a.lsb})")
    implemented = sum(f.mask for f in fields)
    if reset & ~implemented & 0xFFFFFFFF:
        what = f"reset_param {reset_param} default {reset}" if reset_param else "reset"
        ld.err(where, f"{what} = {_hex(reset)} sets bits {_hex(reset & ~implemented)} outside "
                      f"its fields (implemented bits {_hex(implemented)})")
    for f in fields:
        f.reset = (reset >> f.lsb) & ((1 << f.width) - 1)
    fields = ordered

    out = []
    for i in range(count):
        rname = name if count == 1 else f"{name}_{i}"
        rdesc = desc.replace("{i}", str(i))
        rfields = fields
        if count > 1:
            rfields = [dataclasses.replace(f, name=rname if f.implicit else f.name,
                                           desc=rdesc if f.implicit else f.desc)
                       for f in fields]
        out.append(Reg(rname, offset + i * REG_BYTES, access, source, reset, reset_param,
                       rdesc, rfields, grp.name))
    grp.regs.extend(out)
    return out


def _load_values(ld: _Loader, where: str, f: dict, width: int | None) -> list[EnumValue]:
    out: list[EnumValue] = []
    for vi, v in enumerate(ld.list_(where, f, "values")):
        vwhere = f"{where} value #{vi + 1}"
        vname = ld.name(vwhere, v, REG_NAME_RE, "value")
        if vname:
            vwhere = f"{where} value {vname}"
        ld.keys(vwhere, v, ("name", "value"), ("desc",))
        val = ld.int_(vwhere, v, "value", None, 0, 0xFFFFFFFF)
        if vname is None or val is None:
            continue
        if width is not None and val >> width:
            ld.err(vwhere, f"value {val} does not fit in the field's {width} bits")
        if any(o.name == vname for o in out):
            ld.err(vwhere, "duplicate value name")
        if any(o.value == val for o in out):
            ld.err(vwhere, f"value {val} already used")
        out.append(EnumValue(vname, val, ld.str_(vwhere, v, "desc", "") or ""))
    return out


def _validate_map(ld: _Loader, groups: list[Group], regs: list[Reg], params: list[Param],
                  addr_width: int) -> None:
    names: dict[str, Reg] = {}
    for r in regs:
        if r.name in names:
            ld.err(f"register {r.name}", f"duplicate register name (offsets "
                                         f"{_hex(names[r.name].offset, 4)} and {_hex(r.offset, 4)})")
        names.setdefault(r.name, r)
    gnames: set[str] = set()
    for g in groups:
        if g.name in gnames:
            ld.err(f"group {g.name}", "duplicate group name")
        gnames.add(g.name)
    by_base = sorted(groups, key=lambda g: g.base)
    for a, b in zip(by_base, by_base[1:]):
        if b.base < a.base + a.size:
            ld.err(f"group {b.name}", f"range starting at {_hex(b.base, 4)} overlaps group {a.name} "
                                      f"({_hex(a.base, 4)}..{_hex(a.base + a.size - 1, 4)})")
    by_off = sorted(regs, key=lambda r: r.offset)
    for a, b in zip(by_off, by_off[1:]):
        if b.offset < a.offset + REG_BYTES:
            ld.err(f"register {b.name}", f"offset {_hex(b.offset, 4)} overlaps register {a.name} "
                                         f"at {_hex(a.offset, 4)}")

    # The driver's identity contract.
    for name, off in (("TYPE", 0x000), ("VERSION", 0x004)):
        r = names.get(name)
        if r is None:
            ld.err("map", f"the map must start with register {name} at {_hex(off, 3)}")
        elif r.offset != off or r.access != "ro" or r.source != "const":
            ld.err(f"register {name}", f"must be at {_hex(off, 3)} with access 'ro' and "
                                       "source 'const' (drivers identify the device by it)")

    bus_err = [r for r in regs if r.source == "bus_error"]
    if len(bus_err) > 1:
        ld.err(f"register {bus_err[1].name}", f"only one register may have source 'bus_error' "
                                              f"({bus_err[0].name} already does)")
    for r in bus_err[:1]:
        fields = {f.name: f for f in r.fields}
        code, addr = fields.get("CODE"), fields.get("ADDR")
        if code is None or addr is None or len(fields) != 2:
            ld.err(f"register {r.name}", "a bus_error register has exactly the fields CODE and ADDR")
            continue
        have = {v.name: v.value for v in code.values}
        for want in BUS_ERROR_CODES:
            if want not in have:
                ld.err(f"register {r.name} field CODE", f"needs the value {want}")
        if have.get("NONE", 0) != 0:
            ld.err(f"register {r.name} field CODE", "value NONE must be 0 (the reset value)")
        if addr.width < addr_width:
            ld.err(f"register {r.name} field ADDR",
                   f"width {addr.width} is narrower than the {addr_width}-bit bus address")

    # Every generated identifier must be unique in its namespace.
    _check_unique(ld, "C macro", _c_macro_names(regs, params))
    for struct, members in _struct_members(regs).items():
        _check_unique(ld, f"SV {struct} member", members)
    _check_unique(ld, "C++ enum", [(_camel(r.name + "_" + f.name), f"register {r.name} field {f.name}")
                                   for r in regs for f in r.fields if f.values])
    for struct, members in _struct_members(regs).items():
        for member, who in members:
            for part in member.split("."):
                if part in SV_KEYWORDS:
                    ld.err(who, f"name '{part}' is a SystemVerilog keyword (it would be a member "
                                f"of {struct}_t)")
    _check_unique(ld, "SV signal in toe_reg_top", _sv_signal_names(regs))


# Signals of toe_reg_top that do not come from a register name.
SV_FIXED_SIGNALS = ("clk_i", "rst_ni", "req_i", "we_i", "addr_i", "wdata_i", "valid_o", "rdata_o",
                    "err_o", "reg2hw_o", "hw2reg_i", "reg_hit", "RegWritable", "addr_misaligned",
                    "addr_unmapped", "write_read_only", "bus_err", "bus_err_code", "bus_err_addr",
                    "rdata_d", "rdata_q", "valid_q", "err_q", "unused_wdata")


def _sv_signal_names(regs: list[Reg]) -> list[tuple[str, str]]:
    out = [(s, "toe_reg_top itself") for s in SV_FIXED_SIGNALS]
    for r in regs:
        who = f"register {r.name}"
        out += [(f"{r.lname}_we", who), (f"{r.lname}_re", who), (f"{r.lname}_rdata", who)]
        for f in r.fields:
            fwho = who if f.implicit else f"{who} field {f.name}"
            out += [(f"{_flop(r, f)}_d", fwho), (f"{_flop(r, f)}_q", fwho)]
    return out


def _check_unique(ld: _Loader, what: str, items: list[tuple[str, str]]) -> None:
    seen: dict[str, str] = {}
    for ident, who in items:
        if ident in seen and seen[ident] != who:
            ld.err(who, f"generated {what} {ident} clashes with the one from {seen[ident]}")
        seen.setdefault(ident, who)


def _c_macro_names(regs: list[Reg], params: list[Param]) -> list[tuple[str, str]]:
    out = []
    for p in params:
        out.append((f"TOE_PARAM_{p.name.upper()}_DEFAULT", f"param {p.name}"))
    for r in regs:
        who = f"register {r.name}"
        for suffix in ("OFFSET", "RESET", "ACCESS"):
            out.append((f"TOE_REG_{r.name}_{suffix}", who))
        for f in r.explicit_fields:
            fwho = f"{who} field {f.name}"
            for suffix in ("LSB", "WIDTH", "MASK"):
                out.append((f"TOE_REG_{r.name}_{f.name}_{suffix}", fwho))
            for v in f.values:
                out.append((f"TOE_REG_{r.name}_{f.name}_{v.name}", fwho))
    return out


# ----------------------------------------------------------------------------------------
# The reg2hw / hw2reg port structs.
#
# Members are laid out with the lowest register offset in the least significant bits and,
# inside a register, the lowest field in the least significant bits. A register without
# explicit fields is one member of the top struct; a register with fields is a nested
# struct with one member per field. Roles:
#   reg2hw  q    current value of an rw or w1c field
#   hw2reg  d    value of a core-driven ro field (read live), or value to load into an rc field
#           de   load enable of an rc field (named <field>_de)
#           set  set pulses of a w1c field (a 1 sets the bit)


@dataclasses.dataclass
class PortBit:
    reg: Reg
    field: Field
    role: str  # q, d, de, set
    member: str  # SV path below the struct, e.g. "ctrl.enable" or "cnt_frames_in"
    lsb: int = 0
    width: int = 0


def _port_roles(r: Reg, f: Field) -> tuple[list[str], list[str]]:
    """Roles of one field in (reg2hw, hw2reg)."""
    if f.access in ("rw", "w1c"):
        to_hw = ["q"]
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
                    leaf = f.name.lower() + ("_de" if role == "de" else "")
                    if f.implicit:
                        member = r.lname + ("_de" if role == "de" else "")
                    else:
                        member = f"{r.lname}.{leaf}"
                    width = 1 if role == "de" else f.width
                    out[struct].append(PortBit(r, f, role, member, pos, width))
                    pos += width
    return out


def _struct_members(regs: list[Reg]) -> dict[str, list[tuple[str, str]]]:
    rm = RegMap("", 16, [], [], sorted(regs, key=lambda r: r.offset))
    out: dict[str, list[tuple[str, str]]] = {}
    for struct, bits in port_layout(rm).items():
        out[struct] = [(b.member, f"register {b.reg.name}" +
                        ("" if b.field.implicit else f" field {b.field.name}")) for b in bits]
    return out


# ----------------------------------------------------------------------------------------
# Emitters


def banner(rm: RegMap, open_: str, cont: str, close: str = "") -> str:
    lines = [f"GENERATED by scripts/gen_regs.py from {rm.source_name} — do not edit.",
             "Edit the TOML and rebuild (or run scripts/gen_regs.py) instead."]
    out = [open_ + lines[0]] + [cont + ln for ln in lines[1:]]
    if close:
        out[-1] += close
    return "\n".join(out) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _c_comment(text: str) -> str:
    return _one_line(text).replace("*/", "* /")


def _cpp_str(text: str) -> str:
    return '"' + _one_line(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _camel(upper_snake: str) -> str:
    return "".join(p.capitalize() for p in upper_snake.split("_") if p)


def _sv_hex(width: int, value: int) -> str:
    digits = max(1, (width + 3) // 4)
    return f"{width}'h{value:0{digits}X}"


def _field_sv_value(r: Reg, f: Field) -> str:
    """Expression for a field's current value inside toe_reg_top."""
    if r.source == "const":
        if r.reset_param:
            shifted = f"({r.reset_param} >> {f.lsb})" if f.lsb else r.reset_param
            return f"{f.width}'({shifted})"
        return f"toe_reg_pkg::TOE_REG_{r.name}_RESET[{f.msb}:{f.lsb}]"
    if f.access == "ro":
        return f"hw2reg_i.{_member(r, f)}"
    return f"{_flop(r, f)}_q"


def _member(r: Reg, f: Field) -> str:
    return r.lname if f.implicit else f"{r.lname}.{f.name.lower()}"


def _flop(r: Reg, f: Field) -> str:
    return r.lname if f.implicit else f"{r.lname}_{f.name.lower()}"


def emit_sv_pkg(rm: RegMap) -> str:
    aw = rm.addr_width
    o = [banner(rm, "// ", "// ")]
    o.append("// Register offsets, reset values and fields of the toecore register block, and the\n"
             "// reg2hw / hw2reg structs that join toe_reg_top to the core. See docs/registers.md.\n")
    o.append("package toe_reg_pkg;\n\n")
    o.append("  // Constants for every user of the map; any one design uses only some of them.\n")
    o.append("  /* verilator lint_off UNUSEDPARAM */\n")
    o.append(f"  localparam int unsigned TOE_REG_ADDR_WIDTH = {aw};\n")
    o.append(f"  localparam int unsigned TOE_REG_DATA_WIDTH = {DATA_WIDTH};\n")
    o.append(f"  localparam int unsigned TOE_REG_COUNT = {len(rm.regs)};\n\n")
    o.append(f"  localparam logic [31:0] TOE_DEVICE_TYPE = {_sv_hex(32, rm.reg('TYPE').reset)};\n")
    o.append(f"  localparam logic [31:0] TOE_DEVICE_VERSION = "
             f"{_sv_hex(32, rm.reg('VERSION').reset)};\n\n")
    if rm.params:
        o.append("  // Default values of the build parameters of toe_reg_top.\n")
        for p in rm.params:
            o.append(f"  localparam int unsigned TOE_PARAM_{p.name.upper()}_DEFAULT = {p.default};\n")
        o.append("\n")

    for r in rm.regs:
        o.append(f"  // {r.name} ({r.access}): {_one_line(r.desc)}\n")
        o.append(f"  localparam logic [{aw - 1}:0] TOE_REG_{r.name}_OFFSET = {_sv_hex(aw, r.offset)};\n")
        note = f"  // default of parameter {r.reset_param}" if r.reset_param else ""
        o.append(f"  localparam logic [31:0] TOE_REG_{r.name}_RESET = {_sv_hex(32, r.reset)};{note}\n")
        for f in r.explicit_fields:
            o.append(f"  localparam int unsigned TOE_REG_{r.name}_{f.name}_LSB = {f.lsb};\n")
            o.append(f"  localparam int unsigned TOE_REG_{r.name}_{f.name}_WIDTH = {f.width};\n")
            for v in f.values:
                o.append(f"  localparam logic [{f.width - 1}:0] TOE_REG_{r.name}_{f.name}_{v.name} = "
                         f"{_sv_hex(f.width, v.value)};\n")
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
                o.append(f"    {_sv_logic(b.width)} {leaf};{_role_note(b)}\n")
            o.append(f"  }} {struct}_{r.lname}_t;\n\n")
        o.append("  typedef struct packed {\n")
        done: set[str] = set()
        for b in reversed(bits):
            top = b.member.split(".", 1)[0]
            if top in done:
                continue
            done.add(top)
            if b.field.implicit:
                o.append(f"    {_sv_logic(b.width)} {top};{_role_note(b)}\n")
            else:
                o.append(f"    {struct}_{b.reg.lname}_t {top};\n")
        width = sum(b.width for b in bits)
        o.append(f"  }} {struct}_t;  // {width} bits\n\n")
    o.append("  /* verilator lint_on UNUSEDPARAM */\n\nendpackage\n")
    return "".join(o)


def _sv_logic(width: int) -> str:
    return "logic" + (f" [{width - 1}:0]" if width > 1 else "")


def _role_note(b: PortBit) -> str:
    return {"q": "", "d": "" if b.field.access == "ro" else "  // value to load",
            "de": "  // load enable", "set": "  // set pulses"}[b.role]


def emit_sv_top(rm: RegMap) -> str:
    pkg = "toe_reg_pkg::"
    aw = rm.addr_width
    n = len(rm.regs)
    be = rm.bus_error_reg
    o = [banner(rm, "// ", "// ")]
    o.append("""//
// Register decoder of the toecore engine.
//
// Bus: one request per cycle; the response comes exactly one cycle after the request
// (valid_o = registered req_i), so an access never hangs. The write or read side effect
// (store, write-1-to-clear, clear-on-read) takes effect at the clock edge that samples the
// request. An access to a hole, to an offset that is not a multiple of 4, or a write to a
// register with no software-writable field is refused: err_o = 1, rdata_o = 0, nothing
// changes""" + (f", and {be.name} records the code and the offset" if be else "") + """.
//
//   cycle      t        t+1
//   req_i      1
//   valid_o             1      rdata_o, err_o valid
//
// Policies: rw stores the write (a self-clearing rw field is 1 for the one cycle after a
// write of 1, and reads as 0); ro reads a constant or hw2reg_i; w1c is set by hw2reg_i
// set pulses and cleared by writing 1 (a set wins over a clear in the same cycle); rc is
// loaded by hw2reg_i (or by the bus itself) and cleared by a read (a load wins).
""")
    o.append("module toe_reg_top #(\n")
    for i, p in enumerate(rm.params):
        o.append(f"  // {_one_line(p.desc)}\n")
        o.append(f"  parameter int unsigned {p.name} = {p.default}" +
                 ("," if i + 1 < len(rm.params) else "") + "\n")
    o.append(f""") (
  input  logic clk_i,
  input  logic rst_ni,

  // Register bus
  input  logic                                  req_i,
  input  logic                                  we_i,
  input  logic [{pkg}TOE_REG_ADDR_WIDTH-1:0] addr_i,
  input  logic [31:0]                           wdata_i,
  output logic                                  valid_o,
  output logic [31:0]                           rdata_o,
  output logic                                  err_o,

  // To and from the core
  output {pkg}reg2hw_t reg2hw_o,
  input  {pkg}hw2reg_t hw2reg_i
);

""")
    o.append("  // Address decode: one bit per register, in offset order.\n")
    o.append(f"  logic [{n - 1}:0] reg_hit;\n")
    for i, r in enumerate(rm.regs):
        o.append(f"  assign reg_hit[{i}] = (addr_i == {pkg}TOE_REG_{r.name}_OFFSET);\n")
    writable = sum(1 << i for i, r in enumerate(rm.regs) if r.sw_writable)
    o.append(f"\n  // Registers with at least one software-writable (rw or w1c) field.\n")
    o.append(f"  localparam logic [{n - 1}:0] RegWritable = {_sv_hex(n, writable)};\n\n")
    o.append("""  logic addr_misaligned, addr_unmapped, write_read_only, bus_err;
  assign addr_misaligned = (addr_i[1:0] != 2'b00);
  assign addr_unmapped   = ~|reg_hit;
  assign write_read_only = we_i & ~|(reg_hit & RegWritable);
  assign bus_err = req_i & (addr_misaligned | addr_unmapped | write_read_only);

""")
    # Per-register strobes.
    for i, r in enumerate(rm.regs):
        if r.sw_writable:
            o.append(f"  logic {r.lname}_we;\n")
            o.append(f"  assign {r.lname}_we = req_i & we_i & reg_hit[{i}];\n")
        if any(f.access == "rc" for f in r.fields):
            o.append(f"  logic {r.lname}_re;\n")
            o.append(f"  assign {r.lname}_re = req_i & ~we_i & reg_hit[{i}];\n")
    o.append("\n")

    if be:
        code = next(f for f in be.fields if f.name == "CODE")
        addr = next(f for f in be.fields if f.name == "ADDR")
        p = f"{pkg}TOE_REG_{be.name}_CODE_"
        o.append(f"  // What {be.name} records about a refused access.\n")
        o.append(f"  logic [{code.width - 1}:0] bus_err_code;\n")
        o.append(f"""  always_comb begin
    if (addr_misaligned) begin
      bus_err_code = {p}MISALIGNED;
    end else if (addr_unmapped) begin
      bus_err_code = {p}UNMAPPED;
    end else begin
      bus_err_code = {p}READ_ONLY;
    end
  end
""")
        ext = "addr_i" if addr.width == aw else f"{{{addr.width - aw}'b0, addr_i}}"
        o.append(f"  logic [{addr.width - 1}:0] bus_err_addr;\n")
        o.append(f"  assign bus_err_addr = {ext};\n\n")

    # Storage.
    stored = [(r, f) for r in rm.regs for f in r.fields
              if f.access in ("rw", "w1c", "rc")]
    o.append("  // Stored fields: next state.\n")
    for r, f in stored:
        o.append(f"  {_sv_logic(f.width)} {_flop(r, f)}_d, {_flop(r, f)}_q;\n")
    o.append("\n  always_comb begin\n")
    for r, f in stored:
        q, d = f"{_flop(r, f)}_q", f"{_flop(r, f)}_d"
        wbits = f"wdata_i[{f.msb}:{f.lsb}]" if f.width > 1 else f"wdata_i[{f.lsb}]"
        if f.access == "rw":
            idle = f"{f.width}'b0" if f.self_clear else q
            note = "  // self-clearing" if f.self_clear else ""
            o.append(f"    {d} = {r.lname}_we ? {wbits} : {idle};{note}\n")
        elif f.access == "w1c":
            o.append(f"    {d} = ({q} & ~({wbits} & {{{f.width}{{{r.lname}_we}}}})) | "
                     f"hw2reg_i.{_member(r, f)};\n")
        elif r.source == "bus_error":
            val = "bus_err_code" if f.name == "CODE" else "bus_err_addr"
            o.append(f"    {d} = bus_err ? {val} : ({r.lname}_re ? {f.width}'b0 : {q});\n")
        else:  # rc from the core
            m = _member(r, f)
            o.append(f"    {d} = hw2reg_i.{m}_de ? hw2reg_i.{m} : ({r.lname}_re ? {f.width}'b0 : {q});\n")
    o.append("  end\n\n")
    o.append("  always_ff @(posedge clk_i or negedge rst_ni) begin\n    if (!rst_ni) begin\n")
    for r, f in stored:
        o.append(f"      {_flop(r, f)}_q <= {pkg}TOE_REG_{r.name}_RESET[{f.msb}:{f.lsb}];\n")
    o.append("    end else begin\n")
    for r, f in stored:
        o.append(f"      {_flop(r, f)}_q <= {_flop(r, f)}_d;\n")
    o.append("    end\n  end\n\n")

    o.append("  // To the core.\n")
    for b in port_layout(rm)["reg2hw"]:
        o.append(f"  assign reg2hw_o.{b.member} = {_flop(b.reg, b.field)}_q;\n")
    o.append("\n")

    o.append("  // Read values, unimplemented bits 0.\n")
    for r in rm.regs:
        o.append(f"  logic [31:0] {r.lname}_rdata;\n")
    o.append("  always_comb begin\n")
    for r in rm.regs:
        o.append(f"    {r.lname}_rdata = '0;\n")
        for f in r.fields:
            if f.self_clear:
                continue  # reads as 0
            o.append(f"    {r.lname}_rdata[{f.msb}:{f.lsb}] = {_field_sv_value(r, f)};\n")
    o.append("  end\n\n")

    o.append("  logic [31:0] rdata_d;\n  always_comb begin\n    rdata_d = '0;\n")
    o.append("    if (req_i && !we_i) begin\n")
    for i, r in enumerate(rm.regs):
        o.append(f"      rdata_d = rdata_d | ({{32{{reg_hit[{i}]}}}} & {r.lname}_rdata);\n")
    o.append("    end\n  end\n\n")

    o.append("""  logic valid_q, err_q;
  logic [31:0] rdata_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= 1'b0;
      err_q   <= 1'b0;
      rdata_q <= '0;
    end else begin
      valid_q <= req_i;
      err_q   <= bus_err;
      rdata_q <= rdata_d;
    end
  end
  assign valid_o = valid_q;
  assign err_o   = err_q;
  assign rdata_o = rdata_q;

  // Write data bits that no field stores (named so that lint knows they are unused on purpose).
  logic unused_wdata;
  assign unused_wdata = ^wdata_i;

endmodule
""")
    return "".join(o)


def emit_c_header(rm: RegMap) -> str:
    aw = rm.addr_width
    o = [banner(rm, "/* ", " * ", " */")]
    version = rm.reg("VERSION").reset
    o.append(f"""/* toecore register map for firmware and drivers (C11 and C++). Offsets are byte offsets
 * into the register window; every register is 32 bits. A field's _MASK is in place
 * (already shifted by _LSB). See docs/registers.md. */
#ifndef TOE_REGS_H_
#define TOE_REGS_H_

#include <stdint.h>

#define TOE_REG_ADDR_WIDTH {aw}u
#define TOE_REG_WINDOW_SIZE 0x{1 << aw:X}u
#define TOE_REG_COUNT {len(rm.regs)}u

/* A driver refuses a device whose TYPE it does not know, or whose VERSION major differs. */
#define TOE_DEVICE_TYPE 0x{rm.reg('TYPE').reset:08X}u
#define TOE_DEVICE_VERSION 0x{version:08X}u

/* Access policies; equal to the values of toe::regmap::Access in toe_regs_table.hpp. */
#define TOE_ACCESS_RW 0u  /* read/write */
#define TOE_ACCESS_RO 1u  /* read-only; writes are refused */
#define TOE_ACCESS_W1C 2u /* read; write 1 to clear */
#define TOE_ACCESS_RC 3u  /* read-only, cleared by the read; writes are refused */

/* Field helpers: TOE_REG_FIELD_GET(v, CTRL, ENABLE), TOE_REG_FIELD_PREP(CTRL, ENABLE, 1). */
#define TOE_REG_FIELD_GET(value, reg, field) \\
  ((((uint32_t)(value)) & TOE_REG_##reg##_##field##_MASK) >> TOE_REG_##reg##_##field##_LSB)
#define TOE_REG_FIELD_PREP(reg, field, x) \\
  ((((uint32_t)(x)) << TOE_REG_##reg##_##field##_LSB) & TOE_REG_##reg##_##field##_MASK)
""")
    if rm.params:
        o.append("\n/* Default values of build parameters; a device reports its real ones in registers. */\n")
        for p in rm.params:
            o.append(f"#define TOE_PARAM_{p.name.upper()}_DEFAULT {p.default}u /* {_c_comment(p.desc)} */\n")
    for r in rm.regs:
        o.append(f"\n/* {r.name} ({r.access}): {_c_comment(r.desc)} */\n")
        o.append(f"#define TOE_REG_{r.name}_OFFSET 0x{r.offset:03X}u\n")
        note = f" /* default of build parameter {r.reset_param} */" if r.reset_param else ""
        o.append(f"#define TOE_REG_{r.name}_RESET 0x{r.reset:08X}u{note}\n")
        o.append(f"#define TOE_REG_{r.name}_ACCESS TOE_ACCESS_{r.access.upper()}\n")
        for f in r.explicit_fields:
            acc = f" ({f.access})" if f.access != r.access else ""
            o.append(f"/* {r.name}.{f.name}{acc}: {_c_comment(f.desc)} */\n")
            o.append(f"#define TOE_REG_{r.name}_{f.name}_LSB {f.lsb}u\n")
            o.append(f"#define TOE_REG_{r.name}_{f.name}_WIDTH {f.width}u\n")
            o.append(f"#define TOE_REG_{r.name}_{f.name}_MASK 0x{f.mask:08X}u\n")
            for v in f.values:
                o.append(f"#define TOE_REG_{r.name}_{f.name}_{v.name} {v.value}u /* {_c_comment(v.desc)} */\n")
    o.append("\n#endif /* TOE_REGS_H_ */\n")
    return "".join(o)


def emit_cpp_table(rm: RegMap) -> str:
    o = [banner(rm, "// ", "// ")]
    o.append(f"""// The toecore register map as data, for the C++ model's register block and the TLM-2.0
// target: each register's access policy is applied from this table, not from hand-written
// switch cases. Masks are precomputed from the fields:
//   read:  value & read_mask (self-clearing bits read as 0); then stored &= ~rc_mask
//   write: stored = (stored & ~write_mask) | (wdata & write_mask); stored &= ~(wdata & w1c_mask);
//          self_clear_mask bits are 1 for one cycle after a write of 1
//   a write to a register with write_mask == 0 and w1c_mask == 0 is refused.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace toe::regmap {{

// Same order and values as TOE_ACCESS_* in toe_regs.h.
enum class Access : std::uint8_t {{ kRw, kRo, kW1c, kRc }};

// Where the value of an ro or rc register comes from: the core (hw2reg), a constant (the
// reset value, or the build parameter named by reset_param), or the register bus itself
// (the register that records refused accesses).
enum class Source : std::uint8_t {{ kCore, kConst, kBusError }};

struct Field {{
  const char* name;
  std::uint32_t lsb;
  std::uint32_t width;
  Access access;
  bool self_clear;
  std::uint32_t reset;  // field value after reset, not shifted
  const char* desc;

  constexpr std::uint32_t mask() const {{
    return (width >= 32 ? 0xFFFFFFFFu : ((1u << width) - 1u)) << lsb;
  }}
}};

struct Reg {{
  const char* name;
  std::uint32_t offset;
  Access access;
  std::uint32_t reset;
  const char* reset_param;  // build parameter giving the reset value, nullptr if none
  const Field* fields;      // nullptr for a register without fields
  std::size_t field_count;
  const char* desc;
  Source source;
  std::uint32_t read_mask;        // bits that read back: the fields less self-clearing ones
  std::uint32_t write_mask;       // rw bits
  std::uint32_t w1c_mask;         // write-1-to-clear bits
  std::uint32_t rc_mask;          // bits cleared by a read
  std::uint32_t self_clear_mask;  // rw bits that clear themselves one cycle after a write

  constexpr bool sw_writable() const {{ return (write_mask | w1c_mask) != 0; }}
}};

struct Param {{
  const char* name;
  std::uint32_t default_value;
  const char* desc;
}};

inline constexpr std::uint32_t kAddrWidth = {rm.addr_width};
inline constexpr std::uint32_t kDeviceType = 0x{rm.reg('TYPE').reset:08X}u;
inline constexpr std::uint32_t kDeviceVersion = 0x{rm.reg('VERSION').reset:08X}u;

""")
    if rm.params:
        o.append("inline constexpr Param kParams[] = {\n")
        for p in rm.params:
            o.append(f"    {{\"{p.name}\", {p.default}u, {_cpp_str(p.desc)}}},\n")
        o.append("};\n\n")
    for r in rm.regs:
        for f in r.explicit_fields:
            if f.values:
                o.append(f"// {r.name}.{f.name} values.\n")
                o.append(f"enum class {_camel(r.name + '_' + f.name)} : std::uint32_t {{\n")
                for v in f.values:
                    o.append(f"  k{_camel(v.name)} = {v.value},  // {_one_line(v.desc)}\n")
                o.append("};\n\n")
    acc = {"rw": "Access::kRw", "ro": "Access::kRo", "w1c": "Access::kW1c", "rc": "Access::kRc"}
    src = {"core": "Source::kCore", "const": "Source::kConst", "bus_error": "Source::kBusError"}
    for r in rm.regs:
        if r.explicit_fields:
            o.append(f"inline constexpr Field k{_camel(r.name)}Fields[] = {{\n")
            for f in r.explicit_fields:
                o.append(f"    {{\"{f.name}\", {f.lsb}, {f.width}, {acc[f.access]}, "
                         f"{'true' if f.self_clear else 'false'}, 0x{f.reset:X}u, {_cpp_str(f.desc)}}},\n")
            o.append("};\n")
    o.append("\n// Sorted by offset.\ninline constexpr Reg kRegs[] = {\n")
    for r in rm.regs:
        fields = (f"k{_camel(r.name)}Fields, {len(r.explicit_fields)}" if r.explicit_fields
                  else "nullptr, 0")
        rp = f"\"{r.reset_param}\"" if r.reset_param else "nullptr"
        o.append(f"    {{\"{r.name}\", 0x{r.offset:03X}u, {acc[r.access]}, 0x{r.reset:08X}u, {rp}, "
                 f"{fields},\n     {_cpp_str(r.desc)},\n"
                 f"     {src[r.source]}, 0x{r.read_mask:08X}u, 0x{r.write_mask:08X}u, "
                 f"0x{r.mask_of('w1c'):08X}u, 0x{r.mask_of('rc'):08X}u, 0x{r.self_clear_mask:08X}u}},\n")
    o.append("};\n\n")
    o.append(f"inline constexpr std::size_t kRegCount = {len(rm.regs)};\n")
    o.append("static_assert(sizeof(kRegs) / sizeof(kRegs[0]) == kRegCount);\n\n")
    o.append("""// The register at a byte offset, or nullptr for a hole or a misaligned offset.
constexpr const Reg* find(std::uint32_t offset) {
  std::size_t lo = 0;
  std::size_t hi = kRegCount;
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (kRegs[mid].offset < offset) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return (lo < kRegCount && kRegs[lo].offset == offset) ? &kRegs[lo] : nullptr;
}

// The register with this name, or nullptr.
constexpr const Reg* find(std::string_view name) {
  for (const Reg& r : kRegs) {
    if (name == r.name) {
      return &r;
    }
  }
  return nullptr;
}

""")
    be = rm.bus_error_reg
    if be:
        o.append(f"// The register that records refused accesses ({be.name}).\n")
        o.append(f"inline constexpr std::uint32_t kBusErrorOffset = 0x{be.offset:03X}u;\n\n")
    o.append("""// Bit positions of the members of toe_reg_pkg::reg2hw_t and hw2reg_t (the ports of
// toe_reg_top), so that test benches and the lockstep checker can compare them with the
// model without knowing the struct layout. role: q, d, de (load enable), set (w1c pulses).
struct PortBits {
  const char* reg;
  const char* field;  // the register name for a register without fields
  const char* role;
  const char* member;  // SV member path, e.g. "ctrl.enable"
  std::uint32_t lsb;
  std::uint32_t width;
};

""")
    for struct, bits in port_layout(rm).items():
        cname = "kReg2Hw" if struct == "reg2hw" else "kHw2Reg"
        o.append(f"inline constexpr PortBits {cname}[] = {{\n")
        for b in bits:
            o.append(f"    {{\"{b.reg.name}\", \"{b.field.name}\", \"{b.role}\", \"{b.member}\", "
                     f"{b.lsb}, {b.width}}},\n")
        o.append("};\n")
        o.append(f"inline constexpr std::uint32_t {cname}Width = {sum(b.width for b in bits)};\n\n")
    o.append("}  // namespace toe::regmap\n")
    return "".join(o)


def _md(text: str) -> str:
    return _one_line(text).replace("|", "\\|")


def emit_docs(rm: RegMap) -> str:
    o = [banner(rm, "<!-- ", "     ", " -->")]
    o.append(f"""
# Register reference

> Generated from [`{rm.source_name}`](../{rm.source_name}) by `{DOCS_CMD}`;
> do not edit by hand. The ctest `regmap_docs_fresh` fails when this file is stale.

All registers are 32 bits wide, at byte offsets that are multiples of 4, in a
{_hex(1 << rm.addr_width, 1)}-byte window ({rm.addr_width}-bit addresses). Only 32-bit accesses exist.
An access to a hole or to a misaligned offset, and a write to a register without a
software-writable field, is refused with an error response and changes nothing""")
    be = rm.bus_error_reg
    o.append(f"; [{be.name}](#{be.name.lower()}) records why.\n" if be else ".\n")
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
            o.append(f"| `{p.name}` | {p.default} | {_md(p.desc)} |\n")

    o.append("\n## Map\n\n| Offset | Register | Access | Reset | Description |\n"
             "| --- | --- | --- | --- | --- |\n")
    for g in rm.groups:
        o.append(f"| {_hex(g.base, 3)}..{_hex(g.base + g.size - 1, 3)} | **{g.name}** | | | "
                 f"{_md(g.desc)} |\n")
        for r in g.regs:
            o.append(f"| {_hex(r.offset, 3)} | [{r.name}](#{r.name.lower()}) | {r.access} | "
                     f"{_reset_md(r)} | {_md(r.desc)} |\n")

    for g in rm.groups:
        o.append(f"\n## {g.name} ({_hex(g.base, 3)}..{_hex(g.base + g.size - 1, 3)})\n\n{_md(g.desc)}\n")
        if not g.regs:
            o.append("\nNo registers yet.\n")
        for r in g.regs:
            o.append(f"\n### {r.name}\n\n{_md(r.desc)}\n\n")
            o.append(f"- Offset: `{_hex(r.offset, 3)}`\n- Access: {r.access}\n- Reset: {_reset_md(r)}\n")
            if r.source == "core" and r.access in ("ro", "rc"):
                o.append("- Value: driven by the engine\n")
            elif r.source == "bus_error":
                o.append("- Value: loaded by the register bus on each refused access\n")
            if r.explicit_fields:
                o.append("\n| Bits | Field | Access | Reset | Description |\n| --- | --- | --- | --- | --- |\n")
                for f in reversed(r.explicit_fields):
                    bits = f"{f.msb}:{f.lsb}" if f.width > 1 else f"{f.lsb}"
                    desc = _md(f.desc)
                    if f.self_clear:
                        desc = "Self-clearing, reads as 0. " + desc
                    for v in f.values:
                        desc += f"<br>`{v.value}` {v.name}" + (f": {_md(v.desc)}" if v.desc else "")
                    o.append(f"| {bits} | {f.name} | {f.access} | 0x{f.reset:X} | {desc} |\n")
            else:
                w = r.fields[0].width
                if w < DATA_WIDTH:
                    o.append(f"- Bits: {w - 1}:0 (bits 31:{w} read as 0, writes to them are ignored)\n")
    return "".join(o)


def _reset_md(r: Reg) -> str:
    if r.reset_param:
        return f"`{r.reset_param}` (default {r.reset})"
    return f"`{_hex(r.reset)}`"


# ----------------------------------------------------------------------------------------
# Command line


def _display_name(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return path.name


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    ap.add_argument("--in", dest="input", type=Path, default=DEFAULT_IN,
                    help="register description (default: %(default)s)")
    ap.add_argument("--out-dir", type=Path, help="write the SV, C and C++ files here")
    ap.add_argument("--docs", type=Path, help="write the Markdown register reference here")
    ap.add_argument("--check-docs", type=Path, metavar="FILE",
                    help="exit 1 if FILE differs from the reference that would be generated")
    args = ap.parse_args(argv)
    if not (args.out_dir or args.docs or args.check_docs):
        ap.error("nothing to do: give --out-dir, --docs or --check-docs")

    try:
        rm = load(str(args.input), _display_name(args.input))
    except MapError as e:
        for msg in e.args[0]:
            print(f"gen_regs: error: {msg}", file=sys.stderr)
        print(f"gen_regs: {len(e.args[0])} error(s); nothing written", file=sys.stderr)
        return 1

    if args.out_dir:
        for name, emit in (("toe_reg_pkg.sv", emit_sv_pkg), ("toe_reg_top.sv", emit_sv_top),
                           ("toe_regs.h", emit_c_header), ("toe_regs_table.hpp", emit_cpp_table)):
            _write(args.out_dir / name, emit(rm))
    if args.docs:
        _write(args.docs, emit_docs(rm))
    if args.check_docs:
        want = emit_docs(rm)
        try:
            have = args.check_docs.read_text(encoding="utf-8")
        except OSError as e:
            print(f"gen_regs: error: {args.check_docs}: cannot read: {e.strerror}; "
                  f"generate it with: {DOCS_CMD}", file=sys.stderr)
            return 1
        if have != want:
            import difflib
            diff = list(difflib.unified_diff(have.splitlines(), want.splitlines(),
                                             str(args.check_docs), "generated", lineterm="", n=1))
            print(f"gen_regs: error: {args.check_docs} is stale (it differs from what "
                  f"{rm.source_name} generates); regenerate with: {DOCS_CMD}", file=sys.stderr)
            print("\n".join(diff[:40]), file=sys.stderr)
            if len(diff) > 40:
                print(f"... ({len(diff) - 40} more diff lines)", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
