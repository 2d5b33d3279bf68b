# SPDX-License-Identifier: Apache-2.0
"""toe_defs.hpp: the shared definitions for C++17 (the model, the Verilated-RTL wrapper,
toe_sim, tests): the enums with to_string(), tables of names and descriptions, and the build
parameters' rules with their one validation, toe::params::check()."""
from __future__ import annotations

from .model import UINT32_MAX, CodeSet, Defs, Limits, RegMap
from .names import SET_NAMES, banner, cpp_str, one_line

OUTPUT = "toe_defs.hpp"

_ENUM_COMMENT = {
    "tcp_state": "RFC 9293 connection states, with the RFC's names",
    "cmd_op": "Commands into the engine (s_cmd); the comment says who issues it and the Cmd "
              "fields it reads",
    "evt_type": "Events out of the engine (m_evt); the comment says who consumes it",
    "counter": "Statistics counters by index (the CNT_* registers in this order); kCount is "
               "\"no counter\"",
}
_ARG = {"tcp_state": "s", "cmd_op": "op", "evt_type": "t", "counter": "c"}


def emit(rm: RegMap) -> str:
    d = rm.defs
    o = [banner(d, "// ", "// ")]
    o.append("""//
// toecore definitions for C++17: TCP states, command opcodes, event types, counters, and the
// build parameters with their rules and their one validation (toe::params::check). The same
// numbers as toe_defs.h (C) and toe_defs_pkg (SV). See docs/defs.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace toe {

""")
    o.append(_enum(d.states))
    o.append("}  // namespace toe\n\nnamespace toe::model {\n\n")
    for cs in (d.cmds, d.evts, d.counters):
        o.append(_enum(cs))
    o.append("}  // namespace toe::model\n\n")
    o.append(_tables(d))
    o.append(_params(d))
    return "".join(o)


def _enum(cs: CodeSet) -> str:
    n = SET_NAMES[cs.key]
    o = [f"// {_ENUM_COMMENT[cs.key]} (toe_defs_pkg::{n.sv_prefix}*, {n.c_prefix}_*).\n"]
    o.append(f"enum class {n.cpp_type} : std::uint8_t {{\n")
    for c in cs.values:
        note = {"cmd_op": f"{c.who}" + (f" ({c.args})" if c.args else "") + ": ",
                "evt_type": f"for {c.who}: "}.get(cs.key, "")
        o.append(f"  {n.cpp(c)} = {c.value},  // {note}{one_line(c.desc)}\n")
    if cs.key == "counter":
        o.append(f"  kCount = {len(cs.values)}\n")
    o.append("};\n\n")
    a = _ARG[cs.key]
    o.append(f"constexpr const char* to_string({n.cpp_type} {a}) {{\n  switch ({a}) {{\n")
    for c in cs.values:
        o.append(f"    case {n.cpp_type}::{n.cpp(c)}: return \"{c.name}\";\n")
    if cs.key == "counter":
        o.append(f"    case {n.cpp_type}::kCount: break;\n")
    o.append("  }\n  return \"?\";\n}\n\n")
    return "".join(o)


def _tables(d: Defs) -> str:
    o = [f"""namespace toe::defs {{

// Width in bits of each code in the RTL (toe_defs_pkg::StateW, CmdOpW, EvtTypeW, CntW).
inline constexpr unsigned kStateWidth = {d.states.width};
inline constexpr unsigned kCmdOpWidth = {d.cmds.width};
inline constexpr unsigned kEvtTypeWidth = {d.evts.width};
inline constexpr unsigned kCounterWidth = {d.counters.width};

// Who issues a command or consumes an event.
enum class Party : std::uint8_t {{ kHost, kFirmware }};

struct StateInfo {{
  TcpState state;
  const char* name;  // to_string(state)
  const char* desc;
}};

struct CmdOpInfo {{
  model::CmdOp op;
  const char* name;  // to_string(op)
  Party from;
  const char* args;  // the Cmd fields it reads
  const char* desc;
}};

struct EvtTypeInfo {{
  model::EvtType type;
  const char* name;  // to_string(type)
  Party consumer;
  const char* desc;
}};

struct CounterInfo {{
  model::Counter counter;
  const char* name;  // to_string(counter)
  const char* reg;   // its register (toe_regs_table.hpp), nullptr if it has none
  bool is_drop;      // counts frames or segments dropped on receive
  const char* desc;
}};

"""]
    party = {"host": "Party::kHost", "firmware": "Party::kFirmware"}
    o.append("inline constexpr StateInfo kStates[] = {\n")
    for c in d.states.values:
        o.append(f"    {{TcpState::{c.name}, \"{c.name}\", {cpp_str(c.desc)}}},\n")
    o.append("};\n\ninline constexpr CmdOpInfo kCmdOps[] = {\n")
    for c in d.cmds.values:
        o.append(f"    {{model::CmdOp::{SET_NAMES['cmd_op'].cpp(c)}, \"{c.name}\", {party[c.who]}, "
                 f"{cpp_str(c.args)},\n     {cpp_str(c.desc)}}},\n")
    o.append("};\n\ninline constexpr EvtTypeInfo kEvtTypes[] = {\n")
    for c in d.evts.values:
        o.append(f"    {{model::EvtType::{SET_NAMES['evt_type'].cpp(c)}, \"{c.name}\", "
                 f"{party[c.who]},\n     {cpp_str(c.desc)}}},\n")
    o.append("};\n\n// In index order: kCounters[i].counter == Counter(i).\n")
    o.append("inline constexpr CounterInfo kCounters[] = {\n")
    for c in d.counters.values:
        reg = d.counter_regs.get(c.name)
        o.append(f"    {{model::Counter::{SET_NAMES['counter'].cpp(c)}, \"{c.name}\", "
                 f"{f'{chr(34)}{reg}{chr(34)}' if reg else 'nullptr'}, "
                 f"{'true' if c.drop else 'false'},\n     {cpp_str(c.desc)}}},\n")
    o.append(f"""}};
inline constexpr std::size_t kCounterCount = {len(d.counters.values)};
static_assert(sizeof(kCounters) / sizeof(kCounters[0]) == kCounterCount);
static_assert(kCounterCount == static_cast<std::size_t>(model::Counter::kCount));

// True for the counters of frames or segments dropped on receive (INTR_STATE.DROP).
constexpr bool is_drop(model::Counter c) {{
  return static_cast<std::size_t>(c) < kCounterCount && kCounters[static_cast<std::size_t>(c)].is_drop;
}}

}}  // namespace toe::defs

""")
    return "".join(o)


def _rules_init(lim: Limits) -> str:
    mx = "0xFFFFFFFFu" if lim.max == UINT32_MAX else f"{lim.max}u"
    return (f"{{{lim.min}u, {mx}, {'true' if lim.power_of_two else 'false'}, "
            f"{'true' if lim.even else 'false'}, {lim.multiple_of}u}}")


def _params(d: Defs) -> str:
    decls = [f"std::uint32_t {p.field} = {p.default};" for p in d.params]
    width = max(len(x) for x in decls)
    o = [f"""namespace toe::params {{

// Where a rule holds.
enum class Scope : std::uint8_t {{
  kBlock,   // every block sized by the parameter: model::Tables, one stage in a lockstep test
  kEngine,  // the whole engine: {d.sv_module}, model::Engine, toe_sim (kBlock's rules and its own)
}};

// The build parameters, by their {d.cpp_struct} names, with their defaults.
struct Values {{
"""]
    for p, decl in zip(d.params, decls):
        o.append(f"  {decl:<{width}}  // {p.name}: {one_line(p.desc)}\n")
    o.append("""};

// The Values of any struct with these members (EngineConfig, a Verilated build's parameter
// set), so that this header needs none of theirs.
template <class Config>
constexpr Values values_of(const Config& c) {
  Values v;
""")
    for p in d.params:
        o.append(f"  v.{p.field} = static_cast<std::uint32_t>(c.{p.field});\n")
    o.append("""  return v;
}

// All rules of one scope folded together. check() tests them in this order and reports the
// first one broken.
struct Rules {
  std::uint32_t min;
  std::uint32_t max;          // 0xFFFFFFFF: no upper bound
  bool power_of_two;
  bool even;
  std::uint32_t multiple_of;  // 0: none
};

struct Param {
  const char* name;   // SV parameter, e.g. "Sessions"
  const char* field;  // """ + d.cpp_struct + """ / Values member, e.g. "sessions"
  std::uint32_t Values::*member;
  std::uint32_t default_value;
  Rules block;   // Scope::kBlock
  Rules engine;  // Scope::kEngine
  const char* desc;

  constexpr const Rules& rules(Scope s) const { return s == Scope::kEngine ? engine : block; }
};

inline constexpr Param kParams[] = {
""")
    for p in d.params:
        o.append(f"    {{\"{p.name}\", \"{p.field}\", &Values::{p.field}, {p.default}u,\n"
                 f"     {_rules_init(p.limits('block'))},\n"
                 f"     {_rules_init(p.limits('engine'))},\n"
                 f"     {cpp_str(p.desc)}}},\n")
    o.append(f"""}};
inline constexpr std::size_t kParamCount = {len(d.params)};

// The one validation of the build parameters: "" if every value meets the rules of `scope`,
// else what the first broken rule says, naming the parameter, the rule and the value, e.g.
// "{d.cpp_struct}.sessions must be even, got 7". The same rules as toe_param_check.sv.
inline std::string check(const Values& v, Scope scope = Scope::kEngine) {{
  for (const Param& p : kParams) {{
    const std::uint32_t x = v.*p.member;
    const Rules& r = p.rules(scope);
    std::string must;
    if (x < r.min || x > r.max) {{
      must = r.max == 0xFFFFFFFFu ? ">= " + std::to_string(r.min)
             : r.min == 0        ? "<= " + std::to_string(r.max)
                                 : std::to_string(r.min) + ".." + std::to_string(r.max);
    }} else if (r.power_of_two && (x & (x - 1)) != 0) {{
      must = "a power of two";
    }} else if (r.even && x % 2 != 0) {{
      must = "even";
    }} else if (r.multiple_of != 0 && x % r.multiple_of != 0) {{
      must = "a multiple of " + std::to_string(r.multiple_of);
    }}
    if (!must.empty()) {{
      return std::string("{d.cpp_struct}.") + p.field + " must be " + must + ", got " + std::to_string(x);
    }}
  }}
  return {{}};
}}

}}  // namespace toe::params
""")
    return "".join(o)
