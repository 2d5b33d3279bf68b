# SPDX-License-Identifier: Apache-2.0
"""toe_regs.h: the register map for firmware and drivers (C11 and C++); toe_<n>_regs.h with
TOE_<N>_ macros for a map with [block] name (usable together with toe_regs.h)."""
from __future__ import annotations

from .model import RegMap
from .names import CPP_TYPES_HEADER, banner, c_comment, map_names

OUTPUT = "toe_regs.h"  # the host map's; output(rm) in general

# The access codes, one set for every map; a named map's header defines them only if no other
# header has (the same tokens, so either order of inclusion is fine).
_ACCESS_MACROS = """#define TOE_ACCESS_RW 0u  /* read/write */
#define TOE_ACCESS_RO 1u  /* read-only; writes are refused */
#define TOE_ACCESS_W1C 2u /* read; write 1 to clear */
#define TOE_ACCESS_RC 3u  /* read-only, cleared by the read; writes are refused */
"""


def output(rm: RegMap) -> str:
    return map_names(rm).c_header


def emit(rm: RegMap) -> str:
    aw = rm.addr_width
    n = map_names(rm)
    R, T = n.reg, n.top  # TOE_REG_, TOE_ (TOE_FW_REG_, TOE_FW_)
    o = [banner(rm, "/* ", " * ", " */")]
    version = rm.reg("VERSION").reset
    if rm.block is None:
        access = ("/* Access policies; equal to the values of toe::regmap::Access in "
                  "toe_regs_table.hpp. */\n" + _ACCESS_MACROS)
        what = "register map"
    else:
        access = ("/* Access policies, shared by every register map (toe_regs.h has the same); "
                  "equal to the\n * values of toe::regmap::Access in "
                  f"{CPP_TYPES_HEADER}. */\n#ifndef TOE_ACCESS_RW\n{_ACCESS_MACROS}#endif\n")
        what = f"{rm.block} register map (a second register port: all its names are {T}*)"
    o.append(f"""/* toecore {what} for firmware and drivers (C11 and C++). Offsets are byte offsets
 * into the register window; every register is 32 bits. A field's _MASK is in place
 * (already shifted by _LSB). See {n.docs}. */
#ifndef {n.c_guard}
#define {n.c_guard}

#include <stdint.h>

#define {R}ADDR_WIDTH {aw}u
#define {R}WINDOW_SIZE 0x{1 << aw:X}u
#define {R}COUNT {len(rm.regs)}u

/* A driver refuses a device whose TYPE it does not know, or whose VERSION major differs. */
#define {T}DEVICE_TYPE 0x{rm.reg('TYPE').reset:08X}u
#define {T}DEVICE_VERSION 0x{version:08X}u

{access}
/* Field helpers: {R}FIELD_GET(v, CTRL, ENABLE), {R}FIELD_PREP(CTRL, ENABLE, 1). */
#define {R}FIELD_GET(value, reg, field) \\
  ((((uint32_t)(value)) & {R}##reg##_##field##_MASK) >> {R}##reg##_##field##_LSB)
#define {R}FIELD_PREP(reg, field, x) \\
  ((((uint32_t)(x)) << {R}##reg##_##field##_LSB) & {R}##reg##_##field##_MASK)
""")
    if rm.params:
        o.append("\n/* Default values of build parameters; a device reports its real ones in registers. */\n")
        for p in rm.params:
            o.append(f"#define {T}PARAM_{p.name.upper()}_DEFAULT {p.default}u /* {c_comment(p.desc)} */\n")
    if rm.windows:
        o.append("\n/* Windows: ranges of the bus without registers, served by the logic around\n"
                 " * the register decoder (buffer windows): bytes BASE .. BASE + SIZE - 1. */\n")
        for g in rm.windows:
            o.append(f"/* {g.name}: {c_comment(g.desc)} */\n")
            o.append(f"#define {R}{g.uname}_BASE 0x{g.base:04X}u\n")
            o.append(f"#define {R}{g.uname}_SIZE 0x{g.size:04X}u\n")
    for r in rm.regs:
        o.append(f"\n/* {r.name} ({r.access}): {c_comment(r.desc)} */\n")
        o.append(f"#define {R}{r.name}_OFFSET 0x{r.offset:03X}u\n")
        note = f" /* default of build parameter {r.reset_param} */" if r.reset_param else ""
        o.append(f"#define {R}{r.name}_RESET 0x{r.reset:08X}u{note}\n")
        o.append(f"#define {R}{r.name}_ACCESS TOE_ACCESS_{r.access.upper()}\n")
        for f in r.explicit_fields:
            acc = f" ({f.access})" if f.access != r.access else ""
            o.append(f"/* {r.name}.{f.name}{acc}: {c_comment(f.desc)} */\n")
            o.append(f"#define {R}{r.name}_{f.name}_LSB {f.lsb}u\n")
            o.append(f"#define {R}{r.name}_{f.name}_WIDTH {f.width}u\n")
            o.append(f"#define {R}{r.name}_{f.name}_MASK 0x{f.mask:08X}u\n")
            for v in f.values:
                o.append(f"#define {R}{r.name}_{f.name}_{v.name} {v.value}u /* {c_comment(v.desc)} */\n")
    o.append(f"\n#endif /* {n.c_guard} */\n")
    return "".join(o)
