/* SPDX-License-Identifier: Apache-2.0 */
/* The firmware image: what is flashed into the microcontroller beside the engine (memory map:
 * toe_fw_soc.h). Boot: the self-test (toe_fw_selftest), then toe_fw_init over the MMIO HAL,
 * then the main loop: poll; wait for the engine's interrupt or the next timer deadline.
 *
 * Console lines (the SoC's CONSOLE; a simulation harness reads them):
 *   toe_fw: self-test passed (N checks)        or  toe_fw: self-test FAILED: check K NAME
 *   toe_fw: ISN key written from the seed source   (SEED read, ISN_KEY written: port 0.4+)
 *   toe_fw: running (S sessions)               or  toe_fw: init failed: RESULT
 * A failure writes EXIT (1: self-test, 2: init) and halts; a board ignores EXIT. */
#include <stdint.h>

#include "toe_fw.h"
#include "toe_fw_mmio.h"
#include "toe_fw_selftest.h"
#include "toe_fw_soc.h"
#include "toe_fw_stack.h"

static void halt(const struct toe_fw_mmio *mmio, uint32_t code) {
  toe_fw_mmio_exit(mmio, code);
  for (;;) {
  }
}


/* The firmware's state lives in .bss: one engine, sized at compile time (TOE_FW_MAX_CONNS). */
static struct toe_fw fw;
static struct toe_fw_mmio mmio = {TOE_FW_SOC_PORT_BASE, TOE_FW_SOC_REGS_BASE};
static struct toe_fw_hal hal;

int main(void) {
  const char *failed = 0;
  const unsigned bad = toe_fw_selftest(&failed);
  if (bad != 0u) {
    toe_fw_mmio_puts(&mmio, "toe_fw: self-test FAILED: check ");
    toe_fw_mmio_putu(&mmio, bad);
    toe_fw_mmio_putc(&mmio, ' ');
    toe_fw_mmio_puts(&mmio, failed);
    toe_fw_mmio_putc(&mmio, '\n');
    halt(&mmio, 1);
  }
  toe_fw_mmio_puts(&mmio, "toe_fw: self-test passed (");
  toe_fw_mmio_putu(&mmio, toe_fw_selftest_count());
  toe_fw_mmio_puts(&mmio, " checks)\n");

  toe_fw_mmio_hal(&hal, &mmio);
  const toe_fw_result_t r = toe_fw_init(&fw, &hal, 0);
  if (r != TOE_FW_OK) {
    toe_fw_mmio_puts(&mmio, "toe_fw: init failed: ");
    toe_fw_mmio_puts(&mmio, toe_fw_result_name(r));
    toe_fw_mmio_putc(&mmio, '\n');
    halt(&mmio, 2);
  }
  if (fw.stats.isn_keyed) toe_fw_mmio_puts(&mmio, "toe_fw: ISN key written from the seed source\n");
  toe_fw_mmio_puts(&mmio, "toe_fw: running (");
  toe_fw_mmio_putu(&mmio, fw.port.sessions);
  toe_fw_mmio_puts(&mmio, " sessions)\n");

  for (;;) {
    (void)toe_fw_poll(&fw);
    const uint64_t deadline = toe_fw_next_deadline_us(&fw);
    while (!toe_fw_mmio_intr(&mmio) && hal.now_us(&mmio) < deadline) {
    }
  }
}
