/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw_arp: ARP for IPv4 over Ethernet (RFC 826; RFC 1122 2.3.2.1), for the engine's address.
 *
 * Responder. A request whose target is the engine's IPv4 address is answered with a reply to the
 * requester (Ethernet destination = its sender hardware address), sha/spa the engine's.
 * Cache (TOE_FW_ARP_ENTRIES entries, 16 bytes each), for a connect by IP address:
 *   toe_fw_arp_resolve(fw, ip, mac)  TOE_FW_OK with the MAC when known; TOE_FW_PENDING while a
 *                                    resolution runs (the first call broadcasts a request);
 *                                    TOE_FW_NO_ROUTE once a resolution failed (for
 *                                    arp_failed_hold_ms); TOE_FW_FULL when every entry is pending
 *   toe_fw_arp_lookup(fw, ip, mac)   the same answers, without starting anything (TOE_FW_EMPTY:
 *                                    not in the cache)
 * A pending entry asks again every arp_retry_ms, arp_retries times, then fails (no route). A
 * resolved entry lives arp_lifetime_ms, then is forgotten (the next resolve asks again). A new
 * entry takes a free slot, else a failed one, else the resolved one closest to expiry; pending
 * entries are never evicted. Every ARP packet whose sender is in the cache updates that entry
 * (RFC 826's merge); a request for us also adds its sender when a slot is free. cfg.arp_done is
 * called when a resolution ends (mac NULL: no route). */
#ifndef TOE_FW_ARP_H_
#define TOE_FW_ARP_H_

#include <stdint.h>

#include "toe_fw_config.h"
#include "toe_fw_net.h"

#ifdef __cplusplus
extern "C" {
#endif

struct toe_fw;

struct toe_fw_arp_entry {
  uint32_t ip;
  uint8_t mac[6];
  uint8_t state;    /* TOE_FW_ARP_* */
  uint8_t tries;    /* requests sent (pending) */
  toe_fw_time_t at; /* pending: next request; resolved: expiry; failed: end of the hold */
};
#define TOE_FW_ARP_FREE 0u
#define TOE_FW_ARP_PENDING 1u
#define TOE_FW_ARP_RESOLVED 2u
#define TOE_FW_ARP_FAILED 3u

struct toe_fw_arp {
  struct toe_fw_arp_entry e[TOE_FW_ARP_ENTRIES];
};

void toe_fw_arp_init(struct toe_fw *fw);
toe_fw_result_t toe_fw_arp_resolve(struct toe_fw *fw, uint32_t ip, uint8_t mac[6]);
toe_fw_result_t toe_fw_arp_lookup(const struct toe_fw *fw, uint32_t ip, uint8_t mac[6]);
/* An ARP frame (Ethernet header included) of len bytes, at fw->now. */
void toe_fw_arp_input(struct toe_fw *fw, const uint8_t *frame, uint32_t len);
void toe_fw_arp_fire(struct toe_fw *fw);
int toe_fw_arp_next(const struct toe_fw *fw, uint32_t *until_us);

#ifdef __cplusplus
}
#endif

#endif /* TOE_FW_ARP_H_ */
