# SPDX-License-Identifier: Apache-2.0
"""toe_regs.h: the register map for firmware and drivers (C11 and C++)."""
from __future__ import annotations

from .model import RegMap
from .names import banner, c_comment

OUTPUT = "toe_regs.h"


def emit(rm: RegMap) -> str:
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
            o.append(f"#define TOE_PARAM_{p.name.upper()}_DEFAULT {p.default}u /* {c_comment(p.desc)} */\n")
    if rm.windows:
        o.append("\n/* Windows: ranges of the bus without registers, served by the logic around\n"
                 " * the register decoder (buffer windows): bytes BASE .. BASE + SIZE - 1. */\n")
        for g in rm.windows:
            o.append(f"/* {g.name}: {c_comment(g.desc)} */\n")
            o.append(f"#define TOE_REG_{g.uname}_BASE 0x{g.base:04X}u\n")
            o.append(f"#define TOE_REG_{g.uname}_SIZE 0x{g.size:04X}u\n")
    for r in rm.regs:
        o.append(f"\n/* {r.name} ({r.access}): {c_comment(r.desc)} */\n")
        o.append(f"#define TOE_REG_{r.name}_OFFSET 0x{r.offset:03X}u\n")
        note = f" /* default of build parameter {r.reset_param} */" if r.reset_param else ""
        o.append(f"#define TOE_REG_{r.name}_RESET 0x{r.reset:08X}u{note}\n")
        o.append(f"#define TOE_REG_{r.name}_ACCESS TOE_ACCESS_{r.access.upper()}\n")
        for f in r.explicit_fields:
            acc = f" ({f.access})" if f.access != r.access else ""
            o.append(f"/* {r.name}.{f.name}{acc}: {c_comment(f.desc)} */\n")
            o.append(f"#define TOE_REG_{r.name}_{f.name}_LSB {f.lsb}u\n")
            o.append(f"#define TOE_REG_{r.name}_{f.name}_WIDTH {f.width}u\n")
            o.append(f"#define TOE_REG_{r.name}_{f.name}_MASK 0x{f.mask:08X}u\n")
            for v in f.values:
                o.append(f"#define TOE_REG_{r.name}_{f.name}_{v.name} {v.value}u /* {c_comment(v.desc)} */\n")
    o.append("\n#endif /* TOE_REGS_H_ */\n")
    return "".join(o)
