/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw_mmio: the HAL over memory-mapped I/O (see toe_fw_mmio.h). */
#include "toe_fw_mmio.h"

#include "toe_fw_soc.h"

static volatile uint32_t *word(uintptr_t base, uint32_t offset) {
  return (volatile uint32_t *)(base + offset);
}

/* Accesses the engine refused since the last look (the SoC's BUS_ERR clears on read). */
static toe_fw_result_t checked(const struct toe_fw_mmio *m) {
  return *word(m->regs_base, TOE_FW_SOC_BUS_ERR) == 0u ? TOE_FW_OK : TOE_FW_BUS_ERROR;
}

static toe_fw_result_t mmio_read32(void *ctx, uint32_t offset, uint32_t *value) {
  const struct toe_fw_mmio *m = (const struct toe_fw_mmio *)ctx;
  if (offset >= TOE_FW_SOC_PORT_SIZE || (offset & 3u) != 0u) return TOE_FW_BAD_ARG;
  *value = *word(m->port_base, offset);
  return checked(m);
}

static toe_fw_result_t mmio_write32(void *ctx, uint32_t offset, uint32_t value, uint8_t be) {
  const struct toe_fw_mmio *m = (const struct toe_fw_mmio *)ctx;
  if (offset >= TOE_FW_SOC_PORT_SIZE || (offset & 3u) != 0u) return TOE_FW_BAD_ARG;
  if ((be & 0xFu) == 0xFu) {
    *word(m->port_base, offset) = value;
  } else {
    /* Little-endian bus: byte lane i is address offset + i. Each enabled byte is one store,
     * whose strobe enables that lane alone. */
    volatile uint8_t *p = (volatile uint8_t *)(m->port_base + offset);
    for (unsigned i = 0; i < 4u; ++i)
      if ((be >> i) & 1u) p[i] = (uint8_t)(value >> (8u * i));
  }
  return checked(m);
}

static uint64_t mmio_now_us(void *ctx) {
  const struct toe_fw_mmio *m = (const struct toe_fw_mmio *)ctx;
  const uint32_t lo = *word(m->regs_base, TOE_FW_SOC_TIME_LO); /* latches TIME_HI */
  const uint32_t hi = *word(m->regs_base, TOE_FW_SOC_TIME_HI);
  return (uint64_t)hi << 32 | lo;
}

static toe_fw_result_t mmio_seed(void *ctx, uint32_t key[4]) {
  const struct toe_fw_mmio *m = (const struct toe_fw_mmio *)ctx;
  for (unsigned i = 0; i < 4u; ++i) key[i] = *word(m->regs_base, TOE_FW_SOC_SEED);
  return TOE_FW_OK;
}

void toe_fw_mmio_hal(struct toe_fw_hal *hal, struct toe_fw_mmio *mmio) {
  hal->ctx = mmio;
  hal->read32 = mmio_read32;
  hal->write32 = mmio_write32;
  hal->now_us = mmio_now_us;
  hal->engine_addr = 0; /* the port's MAC_ADDR_* / IPV4_ADDR mirrors */
  hal->seed = mmio_seed;
}

int toe_fw_mmio_intr(const struct toe_fw_mmio *mmio) {
  return (int)(*word(mmio->regs_base, TOE_FW_SOC_INTR) & 1u);
}

void toe_fw_mmio_putc(const struct toe_fw_mmio *mmio, char c) {
  *word(mmio->regs_base, TOE_FW_SOC_CONSOLE) = (uint8_t)c;
}

void toe_fw_mmio_puts(const struct toe_fw_mmio *mmio, const char *s) {
  while (*s != '\0') toe_fw_mmio_putc(mmio, *s++);
}

void toe_fw_mmio_putu(const struct toe_fw_mmio *mmio, uint32_t v) {
  char buf[10];
  unsigned n = 0;
  do {
    buf[n++] = (char)('0' + v % 10u);
    v /= 10u;
  } while (v != 0u);
  while (n > 0u) toe_fw_mmio_putc(mmio, buf[--n]);
}

void toe_fw_mmio_exit(const struct toe_fw_mmio *mmio, uint32_t code) {
  *word(mmio->regs_base, TOE_FW_SOC_EXIT) = code;
}
