/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw_arp: responder and cache (see toe_fw_arp.h). */
#include "toe_fw_arp.h"

#include "toe_fw.h"

#define ARP_OPER_REQUEST 1u
#define ARP_OPER_REPLY 2u

void toe_fw_arp_init(struct toe_fw *fw) {
  for (uint32_t i = 0; i < TOE_FW_ARP_ENTRIES; ++i) {
    struct toe_fw_arp_entry *e = &fw->arp.e[i];
    e->ip = 0;
    toe_fw_zero(e->mac, 6);
    e->state = TOE_FW_ARP_FREE;
    e->tries = 0;
    e->at = 0;
  }
}

/* An ARP packet from the engine: Ethernet to eth_dst, oper, target tha/tpa. */
static toe_fw_result_t send_arp(struct toe_fw *fw, const uint8_t eth_dst[6], uint16_t oper, const uint8_t tha[6],
                                uint32_t tpa) {
  uint8_t f[TOE_FW_ETH_HLEN + TOE_FW_ARP_LEN];
  toe_fw_copy(f, eth_dst, 6);
  toe_fw_copy(f + 6, fw->mac, 6);
  toe_fw_put16(f + 12, TOE_FW_ETHERTYPE_ARP);
  uint8_t *a = f + TOE_FW_ETH_HLEN;
  toe_fw_put16(a + 0, 1u);
  toe_fw_put16(a + 2, TOE_FW_ETHERTYPE_IPV4);
  a[4] = 6;
  a[5] = 4;
  toe_fw_put16(a + 6, oper);
  toe_fw_copy(a + 8, fw->mac, 6);
  toe_fw_put32(a + 14, fw->ip);
  toe_fw_copy(a + 18, tha, 6);
  toe_fw_put32(a + 24, tpa);
  return toe_fw_port_tx_frame(&fw->port, f, (uint32_t)sizeof f);
}

static toe_fw_result_t send_request(struct toe_fw *fw, struct toe_fw_arp_entry *e) {
  static const uint8_t broadcast[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
  static const uint8_t unknown[6] = {0, 0, 0, 0, 0, 0};
  ++e->tries;
  e->at = fw->now + 1000u * fw->cfg.arp_retry_ms;
  ++fw->stats.arp_requests_out;
  return send_arp(fw, broadcast, ARP_OPER_REQUEST, unknown, e->ip);
}

static struct toe_fw_arp_entry *find(struct toe_fw_arp *arp, uint32_t ip) {
  for (uint32_t i = 0; i < TOE_FW_ARP_ENTRIES; ++i)
    if (arp->e[i].state != TOE_FW_ARP_FREE && arp->e[i].ip == ip) return &arp->e[i];
  return 0;
}

/* A slot for a new entry: free, else failed, else the resolved one expiring first. */
static struct toe_fw_arp_entry *slot(struct toe_fw *fw, int free_only) {
  struct toe_fw_arp_entry *best = 0;
  for (uint32_t i = 0; i < TOE_FW_ARP_ENTRIES; ++i) {
    struct toe_fw_arp_entry *e = &fw->arp.e[i];
    if (e->state == TOE_FW_ARP_FREE) return e;
    if (free_only) continue;
    if (e->state == TOE_FW_ARP_FAILED) {
      if (best == 0 || best->state != TOE_FW_ARP_FAILED) best = e;
    } else if (e->state == TOE_FW_ARP_RESOLVED && (best == 0 || best->state == TOE_FW_ARP_RESOLVED)) {
      if (best == 0 || (int32_t)(e->at - best->at) < 0) best = e;
    }
  }
  return best;
}

static toe_fw_result_t answer(const struct toe_fw_arp_entry *e, uint8_t mac[6]) {
  switch (e->state) {
    case TOE_FW_ARP_RESOLVED:
      if (mac) toe_fw_copy(mac, e->mac, 6);
      return TOE_FW_OK;
    case TOE_FW_ARP_PENDING:
      return TOE_FW_PENDING;
    default:
      return TOE_FW_NO_ROUTE;
  }
}

toe_fw_result_t toe_fw_arp_lookup(const struct toe_fw *fw, uint32_t ip, uint8_t mac[6]) {
  for (uint32_t i = 0; i < TOE_FW_ARP_ENTRIES; ++i) {
    const struct toe_fw_arp_entry *e = &fw->arp.e[i];
    if (e->state != TOE_FW_ARP_FREE && e->ip == ip) return answer(e, mac);
  }
  return TOE_FW_EMPTY;
}

toe_fw_result_t toe_fw_arp_resolve(struct toe_fw *fw, uint32_t ip, uint8_t mac[6]) {
  if (ip == 0 || ip == 0xFFFFFFFFu) return TOE_FW_BAD_ARG;
  toe_fw_clock(fw);
  struct toe_fw_arp_entry *e = find(&fw->arp, ip);
  if (e) return answer(e, mac);
  e = slot(fw, 0);
  if (e == 0) return TOE_FW_FULL;
  if (toe_fw_port_engine_addr(&fw->port, fw->mac, &fw->ip) != TOE_FW_OK) return TOE_FW_BUS_ERROR;
  e->ip = ip;
  toe_fw_zero(e->mac, 6);
  e->state = TOE_FW_ARP_PENDING;
  e->tries = 0;
  send_request(fw, e); /* a request the transmit path could not take is sent again at the retry */
  return TOE_FW_PENDING;
}

static void finish(struct toe_fw *fw, struct toe_fw_arp_entry *e, int ok) {
  if (ok) {
    ++fw->stats.arp_resolved;
  } else {
    ++fw->stats.arp_failed;
  }
  if (fw->cfg.arp_done) fw->cfg.arp_done(fw->cfg.arp_done_user, e->ip, ok ? e->mac : 0);
}

void toe_fw_arp_input(struct toe_fw *fw, const uint8_t *frame, uint32_t len) {
  if (len < TOE_FW_ETH_HLEN + TOE_FW_ARP_LEN) {
    ++fw->stats.frames_bad;
    return;
  }
  const uint8_t *a = frame + TOE_FW_ETH_HLEN;
  if (toe_fw_get16(a) != 1u || toe_fw_get16(a + 2) != TOE_FW_ETHERTYPE_IPV4 || a[4] != 6 || a[5] != 4) {
    ++fw->stats.frames_ignored; /* not IPv4 over Ethernet */
    return;
  }
  const uint16_t oper = toe_fw_get16(a + 6);
  const uint8_t *sha = a + 8;
  const uint32_t spa = toe_fw_get32(a + 14);
  const uint32_t tpa = toe_fw_get32(a + 24);
  if (sha[0] & 1u) { /* a multicast sender address is never cached or answered */
    ++fw->stats.frames_bad;
    return;
  }
  int merged = 0;
  struct toe_fw_arp_entry *e = spa != 0 ? find(&fw->arp, spa) : 0;
  if (e) { /* merge (RFC 826) */
    const int was_pending = e->state == TOE_FW_ARP_PENDING;
    toe_fw_copy(e->mac, sha, 6);
    e->state = TOE_FW_ARP_RESOLVED;
    e->tries = 0;
    e->at = fw->now + 1000u * fw->cfg.arp_lifetime_ms;
    merged = 1;
    if (oper == ARP_OPER_REPLY) ++fw->stats.arp_replies_in;
    if (was_pending) finish(fw, e, 1);
  }
  if (fw->ip == 0 || tpa != fw->ip) {
    if (!merged) ++fw->stats.frames_ignored;
    return;
  }
  if (!merged && spa != 0 && spa != fw->ip && (e = slot(fw, 1)) != 0) {
    e->ip = spa;
    toe_fw_copy(e->mac, sha, 6);
    e->state = TOE_FW_ARP_RESOLVED;
    e->tries = 0;
    e->at = fw->now + 1000u * fw->cfg.arp_lifetime_ms;
  }
  if (oper == ARP_OPER_REQUEST) {
    ++fw->stats.arp_requests_in;
    if (send_arp(fw, sha, ARP_OPER_REPLY, sha, spa) == TOE_FW_OK) ++fw->stats.arp_replies_out;
  }
}

void toe_fw_arp_fire(struct toe_fw *fw) {
  for (uint32_t i = 0; i < TOE_FW_ARP_ENTRIES; ++i) {
    struct toe_fw_arp_entry *e = &fw->arp.e[i];
    if (e->state == TOE_FW_ARP_FREE || !toe_fw_due(fw->now, e->at)) continue;
    switch (e->state) {
      case TOE_FW_ARP_PENDING:
        if (e->tries > fw->cfg.arp_retries) {
          e->state = TOE_FW_ARP_FAILED;
          e->at = fw->now + 1000u * fw->cfg.arp_failed_hold_ms;
          finish(fw, e, 0);
        } else {
          send_request(fw, e);
        }
        break;
      default: /* resolved: expired; failed: the hold is over */
        e->state = TOE_FW_ARP_FREE;
        break;
    }
  }
}

int toe_fw_arp_next(const struct toe_fw *fw, uint32_t *until_us) {
  int any = 0;
  uint32_t best = 0;
  for (uint32_t i = 0; i < TOE_FW_ARP_ENTRIES; ++i) {
    const struct toe_fw_arp_entry *e = &fw->arp.e[i];
    if (e->state == TOE_FW_ARP_FREE) continue;
    const uint32_t u = toe_fw_until(fw->now, e->at);
    if (!any || u < best) best = u;
    any = 1;
  }
  *until_us = best;
  return any;
}
