# SPDX-License-Identifier: Apache-2.0
"""toe_regs_table.hpp: the register map as C++17 data for the model and the TLM-2.0 target
(namespace toe::regmap); toe_<n>_regs_table.hpp (namespace toe::<n>_regmap) for a map with
[block] name. The types are in toe_regmap_types.hpp (emit_cpp_types.py), shared by all maps."""
from __future__ import annotations

from .model import RegMap, port_layout
from .names import CPP_TYPES_HEADER, CPP_TYPES_NS, banner, camel, cpp_str, map_names, one_line

OUTPUT = "toe_regs_table.hpp"  # the host map's; output(rm) in general

_TYPES = ("Access", "Source", "Field", "Reg", "Param", "Window", "PortBits")


def output(rm: RegMap) -> str:
    return map_names(rm).cpp_table


def _types(rm: RegMap) -> str:
    """Where the types come from: the shared header, named in this map's namespace."""
    if rm.block is None:
        return (f"// The types (Access, Source, Field, Reg, Param, Window, PortBits) are in\n"
                f"// {CPP_TYPES_HEADER}, shared with the tables of the other register maps.\n\n")
    return (f"// The types are {CPP_TYPES_NS}'s ({CPP_TYPES_HEADER}), shared with every other "
            "register map's\n// table, so that code written against them works for every map.\n" +
            "".join(f"using {CPP_TYPES_NS}::{t};\n" for t in _TYPES) + "\n")


def emit(rm: RegMap) -> str:
    n = map_names(rm)
    types = _types(rm)
    o = [banner(rm, "// ", "// ")]
    o.append(f"""// The toecore {n.title} as data, for the C++ model's register block and the TLM-2.0
// target: each register's access policy is applied from this table, not from hand-written
// switch cases. Masks are precomputed from the fields:
//   read:  value & read_mask (self-clearing bits read as 0); then stored &= ~rc_mask
//   write: stored = (stored & ~write_mask) | (wdata & write_mask); stored &= ~(wdata & w1c_mask);
//          self_clear_mask bits are 1 for one cycle after a write of 1
//   a write to a register with write_mask == 0 and w1c_mask == 0 is refused.
// Windows (kWindows, find_window) are ranges of the bus without registers that the logic
// around the register block serves (buffer windows); the block answers them as unmapped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "{CPP_TYPES_HEADER}"

namespace {n.cpp_ns} {{

{types}inline constexpr std::uint32_t kAddrWidth = {rm.addr_width};
inline constexpr std::uint32_t kDeviceType = 0x{rm.reg('TYPE').reset:08X}u;
inline constexpr std::uint32_t kDeviceVersion = 0x{rm.reg('VERSION').reset:08X}u;

""")
    if rm.params:
        o.append("inline constexpr Param kParams[] = {\n")
        for p in rm.params:
            o.append(f"    {{\"{p.name}\", {p.default}u, {cpp_str(p.desc)}}},\n")
        o.append("};\n\n")
    o.append(_windows(rm))
    for r in rm.regs:
        for f in r.explicit_fields:
            if f.values:
                o.append(f"// {r.name}.{f.name} values.\n")
                o.append(f"enum class {camel(r.name + '_' + f.name)} : std::uint32_t {{\n")
                for v in f.values:
                    o.append(f"  k{camel(v.name)} = {v.value},  // {one_line(v.desc)}\n")
                o.append("};\n\n")
    acc = {"rw": "Access::kRw", "ro": "Access::kRo", "w1c": "Access::kW1c", "rc": "Access::kRc"}
    src = {"core": "Source::kCore", "const": "Source::kConst", "bus_error": "Source::kBusError"}
    for r in rm.regs:
        if r.explicit_fields:
            o.append(f"inline constexpr Field k{camel(r.name)}Fields[] = {{\n")
            for f in r.explicit_fields:
                o.append(f"    {{\"{f.name}\", {f.lsb}, {f.width}, {acc[f.access]}, "
                         f"{'true' if f.self_clear else 'false'}, 0x{f.reset:X}u, {cpp_str(f.desc)}}},\n")
            o.append("};\n")
    o.append("\n// Sorted by offset.\ninline constexpr Reg kRegs[] = {\n")
    for r in rm.regs:
        fields = (f"k{camel(r.name)}Fields, {len(r.explicit_fields)}" if r.explicit_fields
                  else "nullptr, 0")
        rp = f"\"{r.reset_param}\"" if r.reset_param else "nullptr"
        o.append(f"    {{\"{r.name}\", 0x{r.offset:03X}u, {acc[r.access]}, 0x{r.reset:08X}u, {rp}, "
                 f"{fields},\n     {cpp_str(r.desc)},\n"
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
    o.append(_find_window(rm))
    be = rm.bus_error_reg
    if be:
        o.append(f"// The register that records refused accesses ({be.name}).\n")
        o.append(f"inline constexpr std::uint32_t kBusErrorOffset = 0x{be.offset:03X}u;\n\n")
    o.append(f"""// Bit positions of the members of {n.sv_pkg}::reg2hw_t and hw2reg_t (the ports of
// {n.sv_top}), so that test benches and the lockstep checker can compare them with the
// model without knowing the struct layout. role: q, next (the value after this cycle's write), d, de (load enable), set (w1c pulses).
""")
    for struct, bits in port_layout(rm).items():
        cname = "kReg2Hw" if struct == "reg2hw" else "kHw2Reg"
        o.append(f"inline constexpr PortBits {cname}[] = {{\n")
        for b in bits:
            o.append(f"    {{\"{b.reg.name}\", \"{b.field.name}\", \"{b.role}\", \"{b.member}\", "
                     f"{b.lsb}, {b.width}}},\n")
        o.append("};\n")
        o.append(f"inline constexpr std::uint32_t {cname}Width = {sum(b.width for b in bits)};\n\n")
    o.append(f"}}  // namespace {n.cpp_ns}\n")
    return "".join(o)


def _windows(rm: RegMap) -> str:
    if not rm.windows:
        return ("// This map has no windows (and so no kWindows: C++ has no empty arrays; "
                "find_window\n// works either way).\n"
                "inline constexpr std::size_t kWindowCount = 0;\n\n")
    o = ["// By base.\ninline constexpr Window kWindows[] = {\n"]
    for g in rm.windows:
        o.append(f"    {{\"{g.name}\", 0x{g.base:04X}u, 0x{g.size:04X}u, {cpp_str(g.desc)}}},\n")
    o.append("};\n")
    o.append(f"inline constexpr std::size_t kWindowCount = {len(rm.windows)};\n")
    o.append("static_assert(sizeof(kWindows) / sizeof(kWindows[0]) == kWindowCount);\n\n")
    return "".join(o)


def _find_window(rm: RegMap) -> str:
    o = ["// The window holding byte address addr, or nullptr.\n"]
    if not rm.windows:
        o.append("constexpr const Window* find_window(std::uint32_t) { return nullptr; }\n\n")
        o.append("// The window with this name (\"tx_window\"), or nullptr.\n")
        o.append("constexpr const Window* find_window(std::string_view) { return nullptr; }\n\n")
        return "".join(o)
    o.append("""constexpr const Window* find_window(std::uint32_t addr) {
  for (const Window& w : kWindows) {
    if (addr - w.base < w.size) {  // unsigned: an addr below base wraps past size
      return &w;
    }
  }
  return nullptr;
}

// The window with this name ("tx_window"), or nullptr.
constexpr const Window* find_window(std::string_view name) {
  for (const Window& w : kWindows) {
    if (name == w.name) {
      return &w;
    }
  }
  return nullptr;
}

""")
    return "".join(o)
