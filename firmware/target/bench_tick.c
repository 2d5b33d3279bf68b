/* SPDX-License-Identifier: Apache-2.0 */
/* bench_tick: what one pass of the firmware's main loop (toe_fw_poll, then
 * toe_fw_next_deadline_us) costs on the core, at 16 and 256 sessions. The firmware library is the
 * image's; its HAL here is a port in RAM (TYPE, VERSION and SESSIONS answered, every queue empty,
 * commands counted), so any session count can be measured without an engine of that size, and a
 * register access costs a load or a store instead of the real port's wait (two clocks more each).
 * The clock is the SoC's TIME at one cycle a microsecond (sim/rv32soc, cycles_per_us 1), so TIME
 * differences are cycles. For each session count, the console gets
 *   toe_fw_bench: sessions N idle I armed A one O one_commands 1 fire F commands C event1 E1
 *                 event16 E16 events_left 0
 * with I the cycles of a pass with no timer running, A with every connection's retransmission
 * timer running and none due (a pass woken by an event), O the pass in which one deadline has
 * passed (the walk of the timer table, one retransmit command), F the pass in which all N fall
 * due at once (N retransmit commands, C of them counted); then E1 and E16, the passes that take
 * one and sixteen events (retx_arm of ACK progress: the firmware's most frequent event), and how
 * many were left (0); then EXIT 0. bench/bench_fw_load runs it and turns the figures into
 * connections and events per core. */
#include <stdint.h>

#include "toe_defs.h"
#include "toe_fw.h"
#include "toe_fw_mmio.h"
#include "toe_fw_regs.h"
#include "toe_fw_soc.h"
#include "toe_fw_stack.h"
#include "toe_fw_timers.h"


struct ram_port {
  uint32_t sessions;
  uint32_t commands;
  uint64_t skew_us; /* added to TIME: moves every deadline into the past at once */
  uint32_t events;  /* retx_arm events (ACK progress on connection 0) waiting in EVQ */
  uint32_t una;     /* their value: SND.UNA, 1460 more each */
};

static struct toe_fw_mmio mmio = {TOE_FW_SOC_PORT_BASE, TOE_FW_SOC_REGS_BASE};
static struct toe_fw_hal soc_hal;
static struct ram_port port;
static struct toe_fw fw;

static toe_fw_result_t port_read(void *ctx, uint32_t offset, uint32_t *value) {
  const struct ram_port *p = (const struct ram_port *)ctx;
  switch (offset) {
    case TOE_FW_REG_TYPE_OFFSET: *value = TOE_FW_DEVICE_TYPE; break;
    case TOE_FW_REG_VERSION_OFFSET: *value = TOE_FW_DEVICE_VERSION; break;
    case TOE_FW_REG_SESSIONS_OFFSET: *value = p->sessions; break;
    case TOE_FW_REG_EVQ_EVENT_OFFSET:
      *value = p->events == 0u ? 0u
                               : (TOE_EVT_RETX_ARM << TOE_FW_REG_EVQ_EVENT_EVT_LSB) |
                                     (TOE_STATE_ESTABLISHED << TOE_FW_REG_EVQ_EVENT_STATE_LSB) |
                                     (80u << TOE_FW_REG_EVQ_EVENT_LPORT_LSB);
      break;
    case TOE_FW_REG_EVQ_VALUE_OFFSET: *value = p->una; break;
    default: *value = 0u; break; /* empty queues, zero counters, no error */
  }
  return TOE_FW_OK;
}

static toe_fw_result_t port_write(void *ctx, uint32_t offset, uint32_t value, uint8_t be) {
  struct ram_port *p = (struct ram_port *)ctx;
  (void)value;
  (void)be;
  if (offset == TOE_FW_REG_CMD_OFFSET) ++p->commands;
  if (offset == TOE_FW_REG_EVQ_POP_OFFSET && p->events != 0u) {
    --p->events;
    p->una += 1460u;
  }
  return TOE_FW_OK;
}

static uint64_t cycles(void) { return soc_hal.now_us(&mmio); }

static uint64_t port_now(void *ctx) {
  const struct ram_port *p = (const struct ram_port *)ctx;
  return cycles() + p->skew_us;
}

static uint32_t pass(void) {
  const uint64_t t0 = cycles();
  (void)toe_fw_poll(&fw);
  (void)toe_fw_next_deadline_us(&fw);
  return (uint32_t)(cycles() - t0);
}

#define PASSES 4u
static uint32_t mean_pass(void) {
  uint32_t sum = 0;
  for (uint32_t i = 0; i < PASSES; ++i) sum += pass();
  return sum / PASSES;
}

static void arm(uint32_t c) {
  struct toe_fw_event ev = {TOE_EVT_RETX_ARM, TOE_STATE_ESTABLISHED, 80, c, 1000u + c};
  toe_fw_timers_event(&fw, &ev);
}

static void put(const char *key, uint32_t v) {
  toe_fw_mmio_puts(&mmio, key);
  toe_fw_mmio_putu(&mmio, v);
}

static int measure(uint32_t sessions) {
  const struct toe_fw_hal hal = {&port, port_read, port_write, port_now, 0, 0};
  port.sessions = sessions;
  port.commands = 0;
  port.skew_us = 0;
  port.events = 0;
  port.una = 1000u;
  if (toe_fw_init(&fw, &hal, 0) != TOE_FW_OK) return 0;
  const uint32_t idle = mean_pass();
  /* Connection 0's timer (RTO 1 s) starts 0.6 s before the others' (an event takes the time of
   * the last poll: a pass at 0.6 s first). */
  arm(0);
  port.skew_us = 600000u;
  (void)pass();
  for (uint32_t c = 1; c < sessions; ++c) arm(c);
  const uint32_t armed = mean_pass();
  /* 1.1 s: connection 0's deadline has passed, the others' not: one walk, one retransmit. */
  port.skew_us = 1100000u;
  uint32_t before = port.commands;
  const uint32_t one = pass();
  const uint32_t one_commands = port.commands - before;
  /* 10 s (the 32-bit clock reaches 35 min): every deadline has passed. */
  port.skew_us = 10000000u;
  before = port.commands;
  const uint32_t fire = pass();
  const uint32_t commands = port.commands - before;
  put("toe_fw_bench: sessions ", sessions);
  put(" idle ", idle);
  put(" armed ", armed);
  put(" one ", one);
  put(" one_commands ", one_commands);
  put(" fire ", fire);
  put(" commands ", commands);
  /* Events: ACK progress on connection 0 (retx_arm with a new SND.UNA), one in a pass, then a
   * burst of 16 taken in one pass. */
  port.events = 1u;
  const uint32_t event1 = pass();
  port.events = 16u;
  const uint32_t event16 = pass();
  put(" event1 ", event1);
  put(" event16 ", event16);
  put(" events_left ", port.events);
  toe_fw_mmio_putc(&mmio, '\n');
  return 1;
}

int main(void) {
  toe_fw_mmio_hal(&soc_hal, &mmio);
  const uint32_t counts[2] = {16u, 256u};
  for (uint32_t i = 0; i < 2u; ++i) {
    if (!measure(counts[i])) {
      toe_fw_mmio_puts(&mmio, "toe_fw_bench: init failed\n");
      toe_fw_mmio_exit(&mmio, 1);
      for (;;) {
      }
    }
  }
  toe_fw_mmio_exit(&mmio, 0);
  for (;;) {
  }
}
