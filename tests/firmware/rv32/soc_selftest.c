/* SPDX-License-Identifier: Apache-2.0 */
/* soc_selftest: a bare-metal rv32im program for the RV32 SoC harness (sim/rv32soc), run by
 * tests/firmware/test_fw_rv32.cpp (Rv32Soc.SelfTest*) before and besides the firmware's own image.
 * It checks, from the core, what the harness promises in firmware/target/toe_fw_soc.h:
 *   - the firmware port answers (TYPE "TOEF", SESSIONS);
 *   - BUS_ERR counts every access the engine refuses and a read clears it: a store to a read-only
 *     register, a byte and a halfword store to CMD_CONN (BAD_SIZE, as LAST_ERROR says), a read of
 *     a hole; a byte store into TX_FRAME is taken (the only partial store the engine accepts);
 *   - a frame written into TX_FRAME with byte stores only (every lane) and sent with TXQ_SEND
 *     leaves the engine (the test compares its bytes), TX_DONE shows on INTR bit 0;
 *   - TIME_LO / TIME_HI advance; MUL and DIV work (rv32im);
 *   - CONSOLE and EXIT: "soc self-test passed" and exit code 0, or "FAIL <n>: <what>" and exit n.
 * Built with riscv64-unknown-elf-gcc -march=rv32im -mabi=ilp32 --specs=picolibc.specs (flash at 0,
 * RAM at 0x10000), objcopy -O binary (tests/firmware/CMakeLists.txt). */
#include <stdint.h>

#include "toe_fw_regs.h"
#include "toe_fw_soc.h"

#define PORT32(off) (*(volatile uint32_t *)(TOE_FW_SOC_PORT_BASE + (off)))
#define PORT16(off) (*(volatile uint16_t *)(TOE_FW_SOC_PORT_BASE + (off)))
#define PORT8(off) (*(volatile uint8_t *)(TOE_FW_SOC_PORT_BASE + (off)))
#define SOC(off) (*(volatile uint32_t *)(TOE_FW_SOC_REGS_BASE + (off)))

/* The frame the test expects (its length and pattern: test_fw_rv32.cpp, kSelfTestFrame*). */
#define FRAME_LEN 61u
static uint8_t frame_byte(uint32_t i) { return (uint8_t)(i * 7u + 3u); }

static void puts_(const char *s) {
  while (*s) SOC(TOE_FW_SOC_CONSOLE) = (uint8_t)*s++;
}

static void putu(uint32_t v) {
  char b[11];
  int n = 0;
  do {
    b[n++] = (char)('0' + v % 10u);
    v /= 10u;
  } while (v);
  while (n) SOC(TOE_FW_SOC_CONSOLE) = (uint8_t)b[--n];
}

static void fail(uint32_t code, const char *what, uint32_t got) {
  puts_("FAIL ");
  putu(code);
  puts_(": ");
  puts_(what);
  puts_(" (got ");
  putu(got);
  puts_(")\n");
  SOC(TOE_FW_SOC_EXIT) = code;
  for (;;) {
  }
}

static void expect(uint32_t code, const char *what, uint32_t got, uint32_t want) {
  if (got != want) fail(code, what, got);
}

static uint64_t now_us(void) {
  const uint32_t lo = SOC(TOE_FW_SOC_TIME_LO);
  return (uint64_t)SOC(TOE_FW_SOC_TIME_HI) << 32 | lo;
}

/* Not constant-folded: the operands come from volatile memory. */
static volatile uint32_t mul_a = 123456789u, mul_b = 987u, div_d = 1000u;

int main(void) {
  puts_("soc self-test\n");
  expect(1, "TYPE", PORT32(TOE_FW_REG_TYPE_OFFSET), 0x544F4546u);
  expect(2, "SESSIONS", PORT32(TOE_FW_REG_SESSIONS_OFFSET), 16u);
  expect(3, "BUS_ERR at boot", SOC(TOE_FW_SOC_BUS_ERR), 0u);

  /* Refused: a store to a read-only register, a byte and a halfword store to CMD_CONN, a hole. */
  PORT32(TOE_FW_REG_STATUS_OFFSET) = 1u;
  expect(4, "BUS_ERR after a read-only store", SOC(TOE_FW_SOC_BUS_ERR), 1u);
  expect(5, "BUS_ERR read clears", SOC(TOE_FW_SOC_BUS_ERR), 0u);
  PORT8(TOE_FW_REG_CMD_CONN_OFFSET + 1u) = 3u;
  expect(6, "LAST_ERROR after a byte store",
         PORT32(TOE_FW_REG_LAST_ERROR_OFFSET) & TOE_FW_REG_LAST_ERROR_CODE_MASK, TOE_FW_REG_LAST_ERROR_CODE_BAD_SIZE);
  PORT16(TOE_FW_REG_CMD_CONN_OFFSET + 2u) = 3u;
  (void)PORT32(0x00Cu); /* a hole */
  expect(7, "BUS_ERR after a byte store, a halfword store and a hole", SOC(TOE_FW_SOC_BUS_ERR), 3u);
  expect(8, "CMD_CONN unchanged by refused stores", PORT32(TOE_FW_REG_CMD_CONN_OFFSET), 0u);

  /* A frame through TX_FRAME, one byte store at a time (every byte lane), then sent. */
  PORT32(TOE_FW_REG_INTR_ENABLE_OFFSET) = TOE_FW_REG_INTR_ENABLE_TX_DONE_MASK;
  for (uint32_t i = 0; i < FRAME_LEN; ++i) PORT8(TOE_FW_REG_TX_FRAME_BASE + i) = frame_byte(i);
  expect(9, "BUS_ERR after byte stores into TX_FRAME", SOC(TOE_FW_SOC_BUS_ERR), 0u);
  PORT32(TOE_FW_REG_TXQ_LEN_OFFSET) = FRAME_LEN;
  PORT32(TOE_FW_REG_TXQ_SEND_OFFSET) = TOE_FW_REG_TXQ_SEND_SEND_MASK;
  expect(10, "BUS_ERR after TXQ_SEND", SOC(TOE_FW_SOC_BUS_ERR), 0u);
  const uint64_t t0 = now_us();
  while ((SOC(TOE_FW_SOC_INTR) & 1u) == 0) {
    if (now_us() - t0 > 10000u) fail(11, "no TX_DONE interrupt within 10 ms", (uint32_t)(now_us() - t0));
  }
  expect(12, "TXQ_SENT", PORT32(TOE_FW_REG_TXQ_SENT_OFFSET), 1u);
  PORT32(TOE_FW_REG_INTR_STATE_OFFSET) = TOE_FW_REG_INTR_STATE_TX_DONE_MASK;
  expect(13, "INTR after clearing TX_DONE", SOC(TOE_FW_SOC_INTR) & 1u, 0u);

  /* Time advances. */
  const uint64_t t1 = now_us();
  while (now_us() - t1 < 50u) {
  }
  if (now_us() <= t1) fail(14, "TIME does not advance", (uint32_t)now_us());

  /* rv32im. */
  const uint32_t p = mul_a * mul_b; /* 121851850743 mod 2^32 */
  expect(15, "MUL", p, (uint32_t)(123456789ull * 987ull));
  expect(16, "DIVU", p / div_d, (uint32_t)(123456789ull * 987ull) / 1000u);
  expect(17, "REMU", p % div_d, (uint32_t)(123456789ull * 987ull) % 1000u);

  puts_("soc self-test passed\n");
  SOC(TOE_FW_SOC_EXIT) = 0u;
  for (;;) {
  }
}
