/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw_mmio: the firmware's HAL (toe_fw_hal.h) on a microcontroller whose bus reaches the
 * engine's firmware port directly (toe_fw_soc.h): volatile 32-bit loads and stores at the port's
 * base; a TX_FRAME write with partial byte enables as byte stores (the bus carries their strobes);
 * a refusal read back from the SoC's BUS_ERR register after each access; the clock from the
 * SoC's TIME_LO / TIME_HI. */
#ifndef TOE_FW_MMIO_H_
#define TOE_FW_MMIO_H_

#include <stdint.h>

#include "toe_fw_hal.h"

#ifdef __cplusplus
extern "C" {
#endif

struct toe_fw_mmio {
  uintptr_t port_base; /* the firmware port (TOE_FW_SOC_PORT_BASE) */
  uintptr_t regs_base; /* the SoC registers (TOE_FW_SOC_REGS_BASE) */
};

/* Fills hal with the MMIO functions over mmio (which must outlive hal). */
void toe_fw_mmio_hal(struct toe_fw_hal *hal, struct toe_fw_mmio *mmio);

/* The engine's fw_intr line (SoC INTR bit 0). */
int toe_fw_mmio_intr(const struct toe_fw_mmio *mmio);

/* One character to the SoC's CONSOLE; a string. */
void toe_fw_mmio_putc(const struct toe_fw_mmio *mmio, char c);
void toe_fw_mmio_puts(const struct toe_fw_mmio *mmio, const char *s);
/* An unsigned number in decimal. */
void toe_fw_mmio_putu(const struct toe_fw_mmio *mmio, uint32_t v);

/* Ends a simulation run with this code (SoC EXIT; no effect on a board). */
void toe_fw_mmio_exit(const struct toe_fw_mmio *mmio, uint32_t code);

#ifdef __cplusplus
}
#endif

#endif /* TOE_FW_MMIO_H_ */
