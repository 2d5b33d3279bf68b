/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw: init, poll, next deadline (see toe_fw.h). */
#include "toe_fw.h"

#include "toe_fw_icmp.h"

const char *toe_fw_result_name(toe_fw_result_t r) {
  switch (r) {
    case TOE_FW_OK: return "TOE_FW_OK";
    case TOE_FW_BUS_ERROR: return "TOE_FW_BUS_ERROR";
    case TOE_FW_BAD_ARG: return "TOE_FW_BAD_ARG";
    case TOE_FW_NO_DEVICE: return "TOE_FW_NO_DEVICE";
    case TOE_FW_EMPTY: return "TOE_FW_EMPTY";
    case TOE_FW_BUSY: return "TOE_FW_BUSY";
    case TOE_FW_FULL: return "TOE_FW_FULL";
    case TOE_FW_PENDING: return "TOE_FW_PENDING";
    case TOE_FW_NO_ROUTE: return "TOE_FW_NO_ROUTE";
    case TOE_FW_TOO_SMALL: return "TOE_FW_TOO_SMALL";
    case TOE_FW_REFUSED: return "TOE_FW_REFUSED";
    case TOE_FW_NO_SEED: return "TOE_FW_NO_SEED";
  }
  return "?";
}

void toe_fw_clock(struct toe_fw *fw) {
  fw->now64 = fw->hal->now_us(fw->hal->ctx);
  fw->now = (toe_fw_time_t)fw->now64;
}

toe_fw_result_t toe_fw_init(struct toe_fw *fw, const struct toe_fw_hal *hal, const struct toe_fw_config *cfg) {
  if (fw == 0 || hal == 0) return TOE_FW_BAD_ARG;
  toe_fw_zero((uint8_t *)&fw->stats, sizeof fw->stats);
  if (cfg)
    fw->cfg = *cfg;
  else
    toe_fw_config_default(&fw->cfg);
  toe_fw_result_t r = toe_fw_config_check(&fw->cfg);
  if (r != TOE_FW_OK) return r;
  fw->hal = hal;
  toe_fw_zero(fw->mac, 6);
  fw->ip = 0;
  fw->ip_id = 0;
  if ((r = toe_fw_port_open(&fw->port, hal, &fw->stats)) != TOE_FW_OK) return r;
  if (fw->port.sessions > TOE_FW_MAX_CONNS) return TOE_FW_TOO_SMALL;
  /* The ISN key (RFC 6528), before the port is booted: no connection can have used the old one
   * for a SYN the firmware will time. A failing seed source stops the boot. */
  if (hal->seed != 0) {
    uint32_t key[4] = {0, 0, 0, 0};
    if (hal->seed(hal->ctx, key) != TOE_FW_OK || (key[0] | key[1] | key[2] | key[3]) == 0u) return TOE_FW_NO_SEED;
    r = toe_fw_port_isn_key(&fw->port, key);
    key[0] = key[1] = key[2] = key[3] = 0;
    if (r == TOE_FW_OK) fw->stats.isn_keyed = 1;
    else if (r != TOE_FW_NO_DEVICE) return r; /* NO_DEVICE: a port without ISN_KEY (before 0.4) */
  }
  toe_fw_clock(fw);
  toe_fw_timers_init(fw);
  toe_fw_arp_init(fw);
  toe_fw_connect_init(fw);
  return toe_fw_port_boot(&fw->port);
}

/* The head frame of the receive queue: answered, then popped. */
static void frame(struct toe_fw *fw, uint32_t len) {
  uint8_t head[TOE_FW_HEAD_BYTES];
  const uint32_t have = len < TOE_FW_HEAD_BYTES ? len : TOE_FW_HEAD_BYTES;
  ++fw->stats.frames_in;
  if (len < TOE_FW_ETH_HLEN || toe_fw_port_rx_read(&fw->port, 0, head, have) != TOE_FW_OK) {
    ++fw->stats.frames_bad;
    return;
  }
  /* The engine's addresses, as the host configured them (they may change between frames). */
  if (toe_fw_port_engine_addr(&fw->port, fw->mac, &fw->ip) != TOE_FW_OK) return;
  switch (toe_fw_get16(head + 12)) {
    case TOE_FW_ETHERTYPE_ARP:
      toe_fw_arp_input(fw, head, have);
      break;
    case TOE_FW_ETHERTYPE_IPV4:
      toe_fw_icmp_input(fw, head, len);
      break;
    default:
      ++fw->stats.frames_ignored;
      break;
  }
}

toe_fw_result_t toe_fw_poll(struct toe_fw *fw) {
  toe_fw_result_t r = toe_fw_port_irq_ack(&fw->port); /* a cause still holding sets its bit again */
  if (r != TOE_FW_OK) return r;
  /* Events: each at the time it is taken. */
  for (;;) {
    struct toe_fw_event ev;
    r = toe_fw_port_event_pop(&fw->port, &ev);
    if (r == TOE_FW_EMPTY) break;
    if (r != TOE_FW_OK) return r;
    toe_fw_clock(fw);
    toe_fw_timers_event(fw, &ev);
  }
  /* Frames. */
  for (uint32_t n = 0; n < TOE_FW_FRAMES_PER_POLL; ++n) {
    uint32_t len = 0;
    r = toe_fw_port_rx_len(&fw->port, &len);
    if (r == TOE_FW_EMPTY) break;
    if (r != TOE_FW_OK) return r;
    toe_fw_clock(fw);
    frame(fw, len);
    if ((r = toe_fw_port_rx_pop(&fw->port)) != TOE_FW_OK) return r;
  }
  /* Timers. */
  toe_fw_clock(fw);
  toe_fw_timers_fire(fw);
  toe_fw_arp_fire(fw);
  /* Connects by IP address: after the frames (an ARP reply) and the ARP timers (a resolution
   * given up). */
  return toe_fw_connect_poll(fw);
}

uint64_t toe_fw_next_deadline_us(const struct toe_fw *fw) {
  uint32_t a = 0, b = 0;
  const int ta = toe_fw_timers_next(fw, &a);
  const int tb = toe_fw_arp_next(fw, &b);
  if (!ta && !tb) return UINT64_MAX;
  const uint32_t u = !ta ? b : !tb ? a : (a < b ? a : b);
  return fw->now64 + u;
}
