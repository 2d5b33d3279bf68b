/* SPDX-License-Identifier: Apache-2.0 */
/* The firmware's ARP cache (firmware/src/toe_fw_arp.h) in C11, so that one source runs on the host
 * and, cross-compiled, on each target under QEMU (firmware/target): insert (a resolution asks
 * once, a reply resolves it), expiry (a resolved entry is forgotten after arp_lifetime_ms), retry
 * (arp_retries more requests arp_retry_ms apart, then "no route" for arp_failed_hold_ms) and a
 * full table (every entry pending: TOE_FW_FULL). The firmware runs over a port in RAM: TYPE,
 * VERSION, SESSIONS and the engine's addresses answered, every queue empty, the frames written to
 * TX_FRAME and sent with TXQ_SEND kept; the clock is the test's. The byte-exact frames are tested
 * on the model (test_fw_model.cpp). Prints one line per failed check; exit status 0 when all
 * passed. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fw_check.h"
#include "toe_fw.h"
#include "toe_fw_regs.h"

static unsigned checks, failures;

#define ENGINE_IP 0x0A000002u /* 10.0.0.2 */

/* The port in RAM. */
struct ram_port {
  uint64_t now_us;
  uint8_t tx[64];    /* TX_FRAME's first bytes */
  uint32_t tx_len;   /* TXQ_LEN */
  uint32_t sent;     /* frames sent (TXQ_SEND) */
  uint8_t last[42];  /* the last frame sent (an ARP frame is 42 bytes before padding) */
};

static toe_fw_result_t port_read(void *ctx, uint32_t offset, uint32_t *value) {
  (void)ctx;
  switch (offset) {
    case TOE_FW_REG_TYPE_OFFSET: *value = TOE_FW_DEVICE_TYPE; break;
    case TOE_FW_REG_VERSION_OFFSET: *value = TOE_FW_DEVICE_VERSION; break;
    case TOE_FW_REG_SESSIONS_OFFSET: *value = 16u; break;
    case TOE_FW_REG_MAC_ADDR_LO_OFFSET: *value = 0x22334455u; break; /* 02:11:22:33:44:55 */
    case TOE_FW_REG_MAC_ADDR_HI_OFFSET: *value = 0x0211u; break;
    case TOE_FW_REG_IPV4_ADDR_OFFSET: *value = ENGINE_IP; break;
    default: *value = 0u; break; /* empty queues, not busy, no error */
  }
  return TOE_FW_OK;
}

static toe_fw_result_t port_write(void *ctx, uint32_t offset, uint32_t value, uint8_t be) {
  struct ram_port *p = (struct ram_port *)ctx;
  if (offset >= TOE_FW_REG_TX_FRAME_BASE && offset < TOE_FW_REG_TX_FRAME_BASE + sizeof p->tx) {
    for (uint32_t i = 0; i < 4u; ++i)
      if (((be >> i) & 1u) != 0u && offset - TOE_FW_REG_TX_FRAME_BASE + i < sizeof p->tx)
        p->tx[offset - TOE_FW_REG_TX_FRAME_BASE + i] = (uint8_t)(value >> (8u * i));
  } else if (offset == TOE_FW_REG_TXQ_LEN_OFFSET) {
    p->tx_len = value;
  } else if (offset == TOE_FW_REG_TXQ_SEND_OFFSET) {
    ++p->sent;
    memcpy(p->last, p->tx, sizeof p->last);
  }
  return TOE_FW_OK;
}

static uint64_t port_now(void *ctx) { return ((const struct ram_port *)ctx)->now_us; }

static struct ram_port port;
static struct toe_fw fw;
static struct toe_fw_config cfg;

static void boot(void) {
  static const struct toe_fw_hal hal = {&port, port_read, port_write, port_now, 0, 0};
  memset(&port, 0, sizeof port);
  port.now_us = 1000u;
  toe_fw_config_default(&cfg);
  CHECK_EQ(toe_fw_init(&fw, &hal, &cfg), TOE_FW_OK, "boots on the port in RAM");
}

/* The clock moves on by ms; the firmware's poll sees it (and fires what is due). */
static void advance_ms(uint32_t ms) {
  port.now_us += 1000u * (uint64_t)ms;
  (void)toe_fw_poll(&fw);
}

static uint32_t be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* An ARP reply from ip (MAC 02:aa:bb:cc:dd:<last>) to the engine, 42 bytes. */
static void reply_from(uint32_t ip, uint8_t last) {
  uint8_t f[42] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0x02, 0xAA, 0xBB, 0xCC, 0xDD, last, 0x08, 0x06,
                   0x00, 0x01, 0x08, 0x00, 6,    4,    0x00, 0x02, 0x02, 0xAA, 0xBB, 0xCC, 0xDD, last};
  f[28] = (uint8_t)(ip >> 24);
  f[29] = (uint8_t)(ip >> 16);
  f[30] = (uint8_t)(ip >> 8);
  f[31] = (uint8_t)ip;
  memcpy(f + 32, (const uint8_t[]){0x02, 0x11, 0x22, 0x33, 0x44, 0x55}, 6);
  f[38] = (uint8_t)(ENGINE_IP >> 24);
  f[39] = (uint8_t)(ENGINE_IP >> 16);
  f[40] = (uint8_t)(ENGINE_IP >> 8);
  f[41] = (uint8_t)ENGINE_IP;
  toe_fw_arp_input(&fw, f, (uint32_t)sizeof f);
}

static void insert_and_expiry(void) {
  boot();
  uint8_t mac[6] = {0};
  const uint32_t ip = 0x0A000001u;
  CHECK_EQ(toe_fw_arp_lookup(&fw, ip, mac), TOE_FW_EMPTY, "not in the cache");
  CHECK_EQ(toe_fw_arp_resolve(&fw, ip, mac), TOE_FW_PENDING, "a resolution starts");
  CHECK_EQ(port.sent, 1u, "one request");
  CHECK_EQ(port.last[0] & port.last[5], 0xFFu, "broadcast");
  CHECK_EQ(port.last[21], 1u, "oper request");
  CHECK_EQ(be32(port.last + 38), ip, "asks for ip");
  CHECK_EQ(toe_fw_arp_resolve(&fw, ip, mac), TOE_FW_PENDING, "still pending: no second request");
  CHECK_EQ(port.sent, 1u, "one request");
  reply_from(ip, 0x01);
  CHECK_EQ(toe_fw_arp_resolve(&fw, ip, mac), TOE_FW_OK, "resolved by the reply");
  CHECK_EQ(mac[5], 0x01u, "the replier's MAC");
  CHECK_EQ(fw.stats.arp_resolved, 1u, "counted");
  advance_ms(cfg.arp_lifetime_ms - 1000u);
  CHECK_EQ(toe_fw_arp_lookup(&fw, ip, mac), TOE_FW_OK, "alive before its lifetime");
  advance_ms(2000u);
  CHECK_EQ(toe_fw_arp_lookup(&fw, ip, mac), TOE_FW_EMPTY, "forgotten after its lifetime");
  CHECK_EQ(toe_fw_arp_resolve(&fw, ip, mac), TOE_FW_PENDING, "asked again");
  CHECK_EQ(port.sent, 2u, "a new request");
}

static void retry_then_no_route(void) {
  boot();
  uint8_t mac[6] = {0};
  const uint32_t ip = 0x0A000009u;
  CHECK_EQ(toe_fw_arp_resolve(&fw, ip, mac), TOE_FW_PENDING, "a resolution starts");
  for (uint32_t i = 1; i <= cfg.arp_retries; ++i) {
    advance_ms(cfg.arp_retry_ms - 1u);
    CHECK_EQ(port.sent, i, "not before the retry time");
    advance_ms(1u);
    CHECK_EQ(port.sent, i + 1u, "asked again after arp_retry_ms");
  }
  advance_ms(cfg.arp_retry_ms);
  CHECK_EQ(port.sent, 1u + cfg.arp_retries, "no more requests");
  CHECK_EQ(toe_fw_arp_resolve(&fw, ip, mac), TOE_FW_NO_ROUTE, "no route");
  CHECK_EQ(fw.stats.arp_failed, 1u, "counted");
  advance_ms(cfg.arp_failed_hold_ms - 1000u);
  CHECK_EQ(toe_fw_arp_resolve(&fw, ip, mac), TOE_FW_NO_ROUTE, "held");
  advance_ms(2000u);
  CHECK_EQ(toe_fw_arp_resolve(&fw, ip, mac), TOE_FW_PENDING, "asked again after the hold");
}

static void a_full_table(void) {
  boot();
  uint8_t mac[6] = {0};
  for (uint32_t i = 0; i < TOE_FW_ARP_ENTRIES; ++i)
    CHECK_EQ(toe_fw_arp_resolve(&fw, 0x0A000100u + i, mac), TOE_FW_PENDING, "pending");
  CHECK_EQ(toe_fw_arp_resolve(&fw, 0x0A000200u, mac), TOE_FW_FULL, "every entry pending: full");
  reply_from(0x0A000100u, 0x07);
  CHECK_EQ(toe_fw_arp_resolve(&fw, 0x0A000100u, mac), TOE_FW_OK, "one resolved");
  CHECK_EQ(toe_fw_arp_resolve(&fw, 0x0A000200u, mac), TOE_FW_PENDING, "the resolved one makes room");
  CHECK_EQ(toe_fw_arp_lookup(&fw, 0x0A000100u, mac), TOE_FW_EMPTY, "evicted");
}

int main(void) {
  insert_and_expiry();
  retry_then_no_route();
  a_full_table();
  printf("%u checks, %u failed\n", checks, failures);
  return failures == 0u ? 0 : 1;
}
