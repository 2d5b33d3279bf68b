/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw_hal: what the firmware needs from the machine it runs on, and nothing more.
 *
 *   read32(ctx, offset, &value)        one 32-bit read of the engine's firmware register port
 *   write32(ctx, offset, value, be)    one 32-bit write; be: byte enables (bit i: bits 8i+7..8i),
 *                                      0xF except on a TX_FRAME write
 *   now_us(ctx)                        a monotonic clock in microseconds (64 bits: never wraps)
 *   engine_addr(ctx, mac, &ip)         optional (NULL: read the port's MAC_ADDR_LO/HI and
 *                                      IPV4_ADDR mirrors): the engine's own MAC and IPv4 address
 *   seed(ctx, key)                     optional (NULL: the host's ISN_SECRET alone keys the ISN
 *                                      hash): 128 bits from the machine's seed source (a TRNG, a
 *                                      unique ID hashed with a boot counter, a simulator's seed);
 *                                      toe_fw_init writes them to the port's ISN_KEY (RFC 6528);
 *                                      an error or an all-zero key stops the boot (TOE_FW_NO_SEED)
 *
 * Offsets are byte offsets into the firmware port (toe_fw_regs.h: TOE_FW_REG_*). read32 and
 * write32 return TOE_FW_OK, or TOE_FW_BUS_ERROR when the port refused the access (the port's
 * LAST_ERROR says why). The same firmware source runs against this HAL on the host (in the loop
 * with the C++ model or the SystemC platform), on an RV32 core (volatile loads and stores at the
 * port's base address) and under QEMU.
 *
 * Every call of the firmware returns a toe_fw_result_t. */
#ifndef TOE_FW_HAL_H_
#define TOE_FW_HAL_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum toe_fw_result {
  TOE_FW_OK = 0,
  TOE_FW_BUS_ERROR = 1,    /* the port refused an access */
  TOE_FW_BAD_ARG = 2,      /* an argument or configuration value out of range */
  TOE_FW_NO_DEVICE = 3,    /* TYPE or VERSION (major) is not the firmware port this code knows */
  TOE_FW_EMPTY = 4,        /* a queue is empty (event queue, receive queue) */
  TOE_FW_BUSY = 5,         /* the transmit path stayed busy */
  TOE_FW_FULL = 6,         /* a table is full (ARP cache with every entry pending) */
  TOE_FW_PENDING = 7,      /* ARP resolution under way */
  TOE_FW_NO_ROUTE = 8,     /* ARP resolution failed: nobody answered */
  TOE_FW_TOO_SMALL = 9,    /* a compile-time table is smaller than the engine (TOE_FW_MAX_CONNS) */
  TOE_FW_REFUSED = 10,     /* a command the port refused (after retrying QUEUE_FULL) */
  TOE_FW_NO_SEED = 11      /* the seed source failed: the firmware will not run with a known ISN key */
} toe_fw_result_t;

struct toe_fw_hal {
  void *ctx;
  toe_fw_result_t (*read32)(void *ctx, uint32_t offset, uint32_t *value);
  toe_fw_result_t (*write32)(void *ctx, uint32_t offset, uint32_t value, uint8_t be);
  uint64_t (*now_us)(void *ctx);
  /* Optional (may be NULL): see the header comment. */
  toe_fw_result_t (*engine_addr)(void *ctx, uint8_t mac[6], uint32_t *ip);
  toe_fw_result_t (*seed)(void *ctx, uint32_t key[4]);
};

/* The name of a result ("TOE_FW_OK" ...); "?" for an unknown value. */
const char *toe_fw_result_name(toe_fw_result_t r);

#ifdef __cplusplus
}
#endif

#endif /* TOE_FW_HAL_H_ */
