# SPDX-License-Identifier: Apache-2.0
"""Loading and validation of the shared definitions (toe_defs.toml): TCP states, command
opcodes, event types, counters and build parameters with their rules. Every error names the
entry ("counter frames_in", "param Sessions rule #2") and the problem; all errors are
collected before MapError."""
from __future__ import annotations

import re

from .model import (SCOPES, UINT32_MAX, BuildParam, Code, CodeSet, Defs, MapError, Rule)
from .names import SET_NAMES, upper_snake
from .reader import Loader, read_toml

UPPER_NAME_RE = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")
LOWER_NAME_RE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
PARAM_NAME_RE = re.compile(r"^[A-Z][a-z0-9]*([A-Z][a-z0-9]*)*$")
FIELD_NAME_RE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
WHO = ("host", "firmware")

# C++ keywords a Values member (an EngineConfig field name) must not be.
CPP_KEYWORDS = frozenset("""
alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t
char32_t class compl concept const consteval constexpr constinit const_cast continue co_await
co_return co_yield decltype default delete do double dynamic_cast else enum explicit export
extern false float for friend goto if inline int long mutable namespace new noexcept not not_eq
nullptr operator or or_eq private protected public register reinterpret_cast requires return
short signed sizeof static static_assert static_cast struct switch template this thread_local
throw true try typedef typeid typename union unsigned using virtual void volatile wchar_t while
xor xor_eq
""".split())

# Per numbered set: the name pattern and the keys of one entry (required, optional).
SETS = {
    "tcp_state": (UPPER_NAME_RE, ("name", "value"), ("desc",)),
    "cmd_op": (LOWER_NAME_RE, ("name", "value", "from"), ("desc", "args")),
    "evt_type": (LOWER_NAME_RE, ("name", "value", "for"), ("desc",)),
    "counter": (LOWER_NAME_RE, ("name",), ("desc", "drop")),  # the value is the position
}
RULE_KEYS = ("min", "max", "power_of_two", "even", "multiple_of")


def load_defs(path: str, display_name: str) -> Defs:
    ld = Loader(display_name)
    raw = read_toml(path, display_name)
    ld.keys("top level", raw, tuple(SETS) + ("params",), ())
    sets = {key: _load_set(ld, raw.get(key), key) for key in SETS}

    params_tab = raw.get("params")
    if not isinstance(params_tab, dict):
        params_tab = {}
    ld.keys("[params]", params_tab, ("cpp_struct", "sv_module", "param"), ())
    cpp_struct = ld.str_("[params]", params_tab, "cpp_struct") or "EngineConfig"
    sv_module = ld.str_("[params]", params_tab, "sv_module") or "toe_top"
    params = [p for i, raw_p in enumerate(ld.list_("[params]", params_tab, "param"))
              if (p := _load_param(ld, raw_p, i)) is not None]

    defs = Defs(display_name, sets["tcp_state"], sets["cmd_op"], sets["evt_type"],
                sets["counter"], cpp_struct, sv_module, params)
    _check_identifiers(ld, defs)
    if ld.errors:
        raise MapError(ld.errors)
    return defs


def _load_set(ld: Loader, tab, key: str) -> CodeSet:
    regex, required, optional = SETS[key]
    what = SET_NAMES[key].what
    if not isinstance(tab, dict):
        ld.err(f"[{key}]", "must be a table with 'width' and [[" + key + ".value]] entries")
        return CodeSet(key, 1, [])
    ld.keys(f"[{key}]", tab, ("width", "value"), ())
    width = ld.int_(f"[{key}]", tab, "width", 1, 1, 32) or 1
    codes: list[Code] = []
    for i, v in enumerate(ld.list_(f"[{key}]", tab, "value")):
        where = f"{key} #{i + 1}"
        name = ld.name(where, v, regex, what)
        if name:
            where = f"{key} {name}"
        ld.keys(where, v, required, optional)
        value = i if key == "counter" else ld.int_(where, v, "value", None, 0, UINT32_MAX)
        desc = ld.str_(where, v, "desc", "") or ""
        who = ld.str_(where, v, "from" if key == "cmd_op" else "for", "") or ""
        if who and who not in WHO:
            ld.err(where, f"'{'from' if key == 'cmd_op' else 'for'}' must be one of "
                          f"{', '.join(WHO)}, got '{who}'")
        args = ld.str_(where, v, "args", "") or ""
        drop = ld.bool_(where, v, "drop")
        if name is None or value is None:
            continue
        if value >> width:
            ld.err(where, f"value {value} does not fit in the {width}-bit width of [{key}]")
        if dup := next((c for c in codes if c.name == name), None):
            ld.err(where, f"duplicate {what} name (entries #{codes.index(dup) + 1} and #{i + 1})")
        if dup := next((c for c in codes if c.value == value), None):
            ld.err(where, f"value {value} already used by {key} {dup.name}")
        codes.append(Code(name, value, desc, who, args, drop))
    if not codes:
        ld.err(f"[{key}]", f"needs at least one [[{key}.value]]")
    if key == "counter" and len(codes) >> width:
        ld.err(f"[{key}]", f"{len(codes)} counters and the 'no counter' code {len(codes)} do not "
                           f"fit in width {width}")
    return CodeSet(key, width, codes)


def _load_param(ld: Loader, p: dict, index: int) -> BuildParam | None:
    where = f"param #{index + 1}"
    name = ld.name(where, p, PARAM_NAME_RE, "param")
    if name:
        where = f"param {name}"
    ld.keys(where, p, ("name", "field", "default", "rules"), ("desc",))
    field = ld.str_(where, p, "field")
    if field is not None and not FIELD_NAME_RE.match(field):
        ld.err(where, f"field '{field}' must match {FIELD_NAME_RE.pattern}")
    elif field in CPP_KEYWORDS:
        ld.err(where, f"field '{field}' is a C++ keyword")
    default = ld.int_(where, p, "default", None, 0, UINT32_MAX)
    desc = ld.str_(where, p, "desc", "") or ""
    rules: list[Rule] = []
    errors_before = len(ld.errors)
    for ri, r in enumerate(ld.list_(where, p, "rules")):
        rwhere = f"{where} rule #{ri + 1}"
        ld.keys(rwhere, r, (), RULE_KEYS + ("scope", "why"))
        if not any(k in r for k in RULE_KEYS):
            ld.err(rwhere, f"states no rule (give one or more of {', '.join(RULE_KEYS)})")
        lo = ld.int_(rwhere, r, "min", None, 0, UINT32_MAX)
        hi = ld.int_(rwhere, r, "max", None, 0, UINT32_MAX)
        mult = ld.int_(rwhere, r, "multiple_of", None, 2, UINT32_MAX)
        scope = ld.str_(rwhere, r, "scope", "block") or "block"
        if scope not in SCOPES:
            ld.err(rwhere, f"unknown scope '{scope}' (expected one of {', '.join(SCOPES)})")
            scope = "block"
        if lo is not None and hi is not None and lo > hi:
            ld.err(rwhere, f"min {lo} > max {hi}: no value is valid")
        rules.append(Rule(scope, lo, hi, ld.bool_(rwhere, r, "power_of_two"),
                          ld.bool_(rwhere, r, "even"), mult, ld.str_(rwhere, r, "why", "") or ""))
    if name is None or field is None or default is None:
        return None
    param = BuildParam(name, field, default, desc, rules)
    if len(ld.errors) > errors_before:
        return param  # a broken rule: the checks below would only repeat it
    for scope in SCOPES:  # block first: a problem there is one of the engine's too
        lim = param.limits(scope)
        if lim.min > lim.max:
            ld.err(where, f"its {scope} rules give min {lim.min} > max {lim.max}: no value is valid")
            return param
        if lim.min == 0 and lim.power_of_two:
            ld.err(where, f"its {scope} rules allow 0 with power_of_two: give min >= 1")
            return param
    if broken := param.limits("engine").violation(default):
        ld.err(where, f"default {default} breaks its rules: it must be {broken}")
    return param


def _check_identifiers(ld: Loader, defs: Defs) -> None:
    """Every generated identifier is unique in its namespace (C macros, SV package, C++)."""
    c: list[tuple[str, str]] = []
    sv: list[tuple[str, str]] = []
    for cs in (defs.states, defs.cmds, defs.evts, defs.counters):
        names = SET_NAMES[cs.key]
        fixed = f"[{cs.key}] itself"
        c += [(f"{names.c_prefix}_WIDTH", fixed)]
        c += [(f"{names.c_prefix}_COUNT", fixed)] if cs.key == "counter" else \
             [(f"{names.c_prefix}_MAX", fixed)]
        sv += [(names.sv_width, fixed)]
        cpp: list[tuple[str, str]] = []
        if cs.key == "counter":
            c += [("TOE_CNT_DROP_MASK", fixed)]
            sv += [("NCnt", fixed), ("CntNone", fixed), ("CntDropMask", fixed)]
            cpp += [("kCount", fixed)]
        for code in cs.values:
            who = f"{cs.key} {code.name}"
            c.append((names.c(code), who))
            sv.append((names.sv(code), who))
            cpp.append((names.cpp(code), who))
        _unique(ld, f"C++ enumerator of {names.cpp_type}", cpp)
    fields: list[tuple[str, str]] = []
    for p in defs.params:
        who = f"param {p.name}"
        c += [(f"TOE_PARAM_{upper_snake(p.name)}_{s}", who) for s in ("MIN", "MAX", "DEFAULT")]
        sv += [(p.name + s, who) for s in ("Default", "Min", "Max")]
        fields.append((p.field, who))
    _unique(ld, "C macro", c)
    _unique(ld, "SV localparam of toe_defs_pkg", sv)
    _unique(ld, "C++ member of toe::params::Values", fields)
    _unique(ld, "SV parameter of toe_param_check", [(p.name, f"param {p.name}")
                                                  for p in defs.params])


def _unique(ld: Loader, what: str, items: list[tuple[str, str]]) -> None:
    seen: dict[str, str] = {}
    for ident, who in items:
        if ident in seen and seen[ident] != who:
            ld.err(who, f"generated {what} {ident} clashes with the one from {seen[ident]}")
        seen.setdefault(ident, who)
