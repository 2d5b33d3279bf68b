# SPDX-License-Identifier: Apache-2.0
"""Loading and validation of the register description: every error names the register (or
group, field, value, param) and the problem; all errors are collected before MapError."""
from __future__ import annotations

import dataclasses
import os
import re

from .load_defs import load_defs
from .model import (ACCESSES, BUS_ERROR_CODES, DATA_WIDTH, REG_BYTES, SOURCES, Defs, EnumValue,
                    Field, Group, MapError, Param, Reg, RegMap, struct_members)
from .names import SV_KEYWORDS, MapNames, camel, flop, hex_str
from .reader import Loader, read_toml

REG_NAME_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
PARAM_NAME_RE = re.compile(r"^[A-Z][A-Za-z0-9]*$")
GROUP_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
BLOCK_NAME_RE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
# Block names whose TOE_<N>_ prefix is already another family of macros (toe_regs.h,
# toe_defs.h: TOE_REG_, TOE_DEVICE_, TOE_PARAM_, TOE_ACCESS_, TOE_STATE_, TOE_CMD_, TOE_EVT_,
# TOE_CNT_) or whose file names would be the shared ones (toe_defs*, toe_regmap_types.hpp).
RESERVED_BLOCK_NAMES = frozenset(("reg", "regs", "device", "param", "access", "state", "cmd", "evt",
                                  "cnt", "defs", "regmap"))


def load(path: str, display_name: str, root: str = ".", defs_path: str | None = None,
         defs_display_name: str | None = None) -> RegMap:
    """The register map at path. Its shared definitions are the file its top-level key
    `defs` names (relative to the repository root `root`), or defs_path if given; MapError
    lists every problem of both files."""
    ld = Loader(display_name)
    raw = read_toml(path, display_name)
    defs = _load_defs_of(ld, raw, root, defs_path, defs_display_name)

    ld.keys("top level", raw, ("bus", "group"), ("param", "defs", "block"))
    block = _load_block(ld, raw)
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
        shared = defs.param(pname) if defs and pname else None
        ld.keys(where, p, ("name",) if shared else ("name", "default"),
                ("default", "desc") if shared else ("desc",))
        default = ld.int_(where, p, "default", None, 0, 0xFFFFFFFF)
        if shared and default is None:
            default = shared.default
        elif shared and default != shared.default:
            ld.err(where, f"default {default} differs from {shared.default} in {defs.source_name} "
                          f"(leave it out to take that one)")
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
        ld.keys(where, g, ("name", "base", "size"), ("desc", "reg", "reg_per_counter", "window"))
        base = ld.int_(where, g, "base", None, 0, window - 1)
        size = ld.int_(where, g, "size", None, REG_BYTES, window)
        is_window = ld.bool_(where, g, "window")
        if base is not None and base % REG_BYTES:
            ld.err(where, f"base {hex_str(base, 4)} is not a multiple of {REG_BYTES}")
        if base is not None and size is not None and base + size > window:
            ld.err(where, f"range {hex_str(base, 4)}..{hex_str(base + size - 1, 4)} ends past the "
                          f"{addr_width}-bit register window")
        if is_window:
            _check_window(ld, where, g, base, size)
        if gname is None or base is None or size is None:
            continue
        grp = Group(gname, base, size, ld.str_(where, g, "desc", "") or "", [], is_window)
        groups.append(grp)
        if is_window:
            continue  # its registers, if any, were refused above
        for ri, r in enumerate(_counter_regs(ld, where, g, base, defs)):
            regs.extend(_load_reg(ld, r, grp, ri, params, window))
        for ri, r in enumerate(ld.list_(where, g, "reg")):
            regs.extend(_load_reg(ld, r, grp, ri, params, window))

    _validate_map(ld, groups, regs, params, addr_width, MapNames(block))
    if ld.errors:
        raise MapError(ld.errors)
    regs.sort(key=lambda r: r.offset)
    groups.sort(key=lambda g: g.base)
    return RegMap(display_name, addr_width, params, groups, regs, defs, block)


def _load_block(ld: Loader, raw: dict) -> str | None:
    """[block] name = "fw": the map's name in every generated spelling (names.MapNames);
    absent for the host map."""
    if "block" not in raw:
        return None
    blk = raw["block"]
    if not isinstance(blk, dict):
        ld.err("[block]", f"must be a table with a 'name', got {blk!r}")
        return None
    ld.keys("[block]", blk, ("name",), ())
    name = ld.name("[block]", blk, BLOCK_NAME_RE, "block")
    if name is None or not BLOCK_NAME_RE.match(name):
        return None
    if name in RESERVED_BLOCK_NAMES:
        ld.err("[block]", f"block name '{name}' is reserved (its generated names would mix with "
                          f"those of the host map or the definitions: TOE_{name.upper()}_..., "
                          f"toe_{name}_...)")
        return None
    return name


def _load_defs_of(ld: Loader, raw: dict, root: str, defs_path: str | None,
                  defs_display_name: str | None) -> Defs | None:
    """The shared definitions; their errors join the map's (and end the load: nothing of the
    map can be trusted to refer to them)."""
    key = raw.get("defs")
    if defs_path is None and key is None:
        return None
    if defs_path is None:
        if not isinstance(key, str):
            ld.err("top level", f"'defs' must be a file name, got {key!r}")
            raise MapError(ld.errors)
        defs_path = os.path.join(root, key)
        defs_display_name = key
    try:
        return load_defs(defs_path, defs_display_name or os.path.basename(defs_path))
    except MapError as e:
        raise MapError(ld.errors + e.args[0]) from None


def _check_window(ld: Loader, where: str, g: dict, base: int | None, size: int | None) -> None:
    """A window group (window = true) is a range served outside the decoder: no registers,
    and a range that an address decoder can test with a mask (addr & ~(SIZE - 1) == BASE)."""
    if "reg" in g:
        ld.err(where, "a window group (window = true) holds no registers: remove its "
                      "[[group.reg]] entries or the 'window' key")
    if "reg_per_counter" in g:
        ld.err(where, "a window group (window = true) holds no registers: remove "
                      "'reg_per_counter' or the 'window' key")
    if size is not None and size % REG_BYTES:
        ld.err(where, f"window size {hex_str(size, 4)} is not a multiple of {REG_BYTES}")
    if size is not None and size & (size - 1):
        ld.err(where, f"window size {hex_str(size, 4)} is not a power of two")
    elif base is not None and size is not None and base % size:
        ld.err(where, f"window base {hex_str(base, 4)} is not a multiple of its size "
                      f"{hex_str(size, 4)}")


def _counter_regs(ld: Loader, where: str, g: dict, base: int, defs: Defs | None) -> list[dict]:
    """reg_per_counter = "PREFIX": one ro register PREFIX<NAME> per counter of the
    definitions, in index order from the group's base, with the counter's desc."""
    prefix = ld.str_(where, g, "reg_per_counter")
    if prefix is None:
        return []
    if defs is None:
        ld.err(where, "'reg_per_counter' needs the definitions: add defs = "
                      "\"rtl_model/regmap/toe_defs.toml\" at the top level")
        return []
    out = []
    for c in defs.counters.values:
        name = prefix + c.name.upper()
        defs.counter_regs[c.name] = name
        out.append({"name": name, "offset": base + REG_BYTES * c.value, "access": "ro",
                    "desc": c.desc})
    return out


def _load_reg(ld: Loader, r: dict, grp: Group, index: int, params: list[Param],
              window: int) -> list[Reg]:
    where = f"group {grp.name} reg #{index + 1}"
    name = ld.name(where, r, REG_NAME_RE, "register")
    if name:
        where = f"register {name}"
    ld.keys(where, r, ("name", "offset", "access"),
            ("desc", "reset", "reset_param", "source", "width", "count", "field", "next"))
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
    nxt = ld.bool_(where, r, "next", False)
    raw_fields = ld.list_(where, r, "field")
    if name is None or offset is None or access is None:
        return []

    if offset % REG_BYTES:
        ld.err(where, f"offset {hex_str(offset, 4)} is not {REG_BYTES}-byte aligned")
    end = offset + count * REG_BYTES
    if offset < grp.base or end > grp.base + grp.size:
        ld.err(where, f"offset range {hex_str(offset, 4)}..{hex_str(end - 1, 4)} lies outside its "
                      f"group {grp.name} ({hex_str(grp.base, 4)}..{hex_str(grp.base + grp.size - 1, 4)})")

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
    if nxt and access != "rw":
        ld.err(where, f"'next' (the value after this cycle's write, to the core) needs access 'rw', not {access}")

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
        ld.err(where, f"{what} = {hex_str(reset)} sets bits {hex_str(reset & ~implemented)} outside "
                      f"its fields (implemented bits {hex_str(implemented)})")
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
                       rdesc, rfields, grp.name, nxt))
    grp.regs.extend(out)
    return out


def _load_values(ld: Loader, where: str, f: dict, width: int | None) -> list[EnumValue]:
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


def _validate_map(ld: Loader, groups: list[Group], regs: list[Reg], params: list[Param],
                  addr_width: int, spell: MapNames) -> None:
    names: dict[str, Reg] = {}
    for r in regs:
        if r.name in names:
            ld.err(f"register {r.name}", f"duplicate register name (offsets "
                                         f"{hex_str(names[r.name].offset, 4)} and {hex_str(r.offset, 4)})")
        names.setdefault(r.name, r)
    gnames: set[str] = set()
    for g in groups:
        if g.name in gnames:
            ld.err(f"group {g.name}", "duplicate group name")
        gnames.add(g.name)
    by_base = sorted(groups, key=lambda g: g.base)
    for a, b in zip(by_base, by_base[1:]):
        if b.base < a.base + a.size:
            ld.err(f"group {b.name}", f"range starting at {hex_str(b.base, 4)} overlaps group {a.name} "
                                      f"({hex_str(a.base, 4)}..{hex_str(a.base + a.size - 1, 4)})")
    by_off = sorted(regs, key=lambda r: r.offset)
    for a, b in zip(by_off, by_off[1:]):
        if b.offset < a.offset + REG_BYTES:
            ld.err(f"register {b.name}", f"offset {hex_str(b.offset, 4)} overlaps register {a.name} "
                                         f"at {hex_str(a.offset, 4)}")

    # The driver's identity contract.
    for name, off in (("TYPE", 0x000), ("VERSION", 0x004)):
        r = names.get(name)
        if r is None:
            ld.err("map", f"the map must start with register {name} at {hex_str(off, 3)}")
        elif r.offset != off or r.access != "ro" or r.source != "const":
            ld.err(f"register {name}", f"must be at {hex_str(off, 3)} with access 'ro' and "
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
    _check_unique(ld, "C macro", _c_macro_names(groups, regs, params, spell))
    for struct, members in struct_members(regs).items():
        _check_unique(ld, f"SV {struct} member", members)
    _check_unique(ld, "C++ enum", [(camel(r.name + "_" + f.name), f"register {r.name} field {f.name}")
                                   for r in regs for f in r.fields if f.values])
    for struct, members in struct_members(regs).items():
        for member, who in members:
            for part in member.split("."):
                if part in SV_KEYWORDS:
                    ld.err(who, f"name '{part}' is a SystemVerilog keyword (it would be a member "
                                f"of {struct}_t)")
    _check_unique(ld, f"SV signal in {spell.sv_top}", _sv_signal_names(regs, spell))


# Signals of toe_reg_top that do not come from a register name.
SV_FIXED_SIGNALS = ("clk_i", "rst_ni", "req_i", "we_i", "addr_i", "wdata_i", "refuse_i",
                    "refuse_code_i", "valid_o", "rdata_o", "err_o", "reg2hw_o", "hw2reg_i",
                    "reg_hit", "RegWritable", "req_ok", "addr_misaligned", "addr_unmapped",
                    "write_read_only", "bus_err", "bus_err_code", "bus_err_addr", "rdata_d",
                    "rdata_q", "valid_q", "err_q", "unused_wdata", "unused_refuse_code")


def _sv_signal_names(regs: list[Reg], names: MapNames) -> list[tuple[str, str]]:
    out = [(s, f"{names.sv_top} itself") for s in SV_FIXED_SIGNALS]
    for r in regs:
        who = f"register {r.name}"
        out += [(f"{r.lname}_we", who), (f"{r.lname}_re", who), (f"{r.lname}_rdata", who)]
        for f in r.fields:
            fwho = who if f.implicit else f"{who} field {f.name}"
            out += [(f"{flop(r, f)}_d", fwho), (f"{flop(r, f)}_q", fwho)]
    return out


def _check_unique(ld: Loader, what: str, items: list[tuple[str, str]]) -> None:
    seen: dict[str, str] = {}
    for ident, who in items:
        if ident in seen and seen[ident] != who:
            ld.err(who, f"generated {what} {ident} clashes with the one from {seen[ident]}")
        seen.setdefault(ident, who)


# Macros of toe_regs.h (and localparams of toe_reg_pkg) that do not come from a name in the
# map, less their TOE_REG_ prefix (TOE_FW_REG_ in toe_fw_regs.h).
C_FIXED_MACROS = ("ADDR_WIDTH", "DATA_WIDTH", "WINDOW_SIZE", "COUNT", "FIELD_GET", "FIELD_PREP")


def _c_macro_names(groups: list[Group], regs: list[Reg], params: list[Param],
                   names: MapNames) -> list[tuple[str, str]]:
    pfx = names.reg
    out = [(pfx + m, f"{names.c_header} itself") for m in C_FIXED_MACROS]
    for g in groups:
        if g.window:
            out += [(f"{pfx}{g.uname}_{sfx}", f"group {g.name}") for sfx in ("BASE", "SIZE")]
    for p in params:
        out.append((f"{names.top}PARAM_{p.name.upper()}_DEFAULT", f"param {p.name}"))
    for r in regs:
        who = f"register {r.name}"
        for suffix in ("OFFSET", "RESET", "ACCESS"):
            out.append((f"{pfx}{r.name}_{suffix}", who))
        for f in r.explicit_fields:
            fwho = f"{who} field {f.name}"
            for suffix in ("LSB", "WIDTH", "MASK"):
                out.append((f"{pfx}{r.name}_{f.name}_{suffix}", fwho))
            for v in f.values:
                out.append((f"{pfx}{r.name}_{f.name}_{v.name}", fwho))
    return out
