/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw_config: the firmware's policy, set at toe_fw_init, and its compile-time table sizes.
 *
 * Times are in milliseconds; the firmware keeps them in microseconds (toe_fw_time_t), so every
 * interval it can reach (the RTO cap, 2*MSL, the ARP lifetime) must stay below 2^31 us (about
 * 35 minutes): toe_fw_config_check refuses a configuration that does not (TOE_FW_BAD_ARG).
 *
 * Defaults (toe_fw_config_default) are the conformance values (CONFORMANCE.md TM1-TM3, TW1,
 * HS9): tests shrink them to keep simulated time short. */
#ifndef TOE_FW_CONFIG_H_
#define TOE_FW_CONFIG_H_

#include <stdint.h>

#include "toe_fw_hal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Connections the timer table holds: at least the engine's SESSIONS (toe_fw_init refuses a
 * smaller table with TOE_FW_TOO_SMALL). 32 bytes of RAM each. */
#ifndef TOE_FW_MAX_CONNS
#define TOE_FW_MAX_CONNS 256
#endif
/* ARP cache entries (16 bytes each). */
#ifndef TOE_FW_ARP_ENTRIES
#define TOE_FW_ARP_ENTRIES 8
#endif

/* ARP resolution finished: mac is the answer, or NULL when nobody answered (no route). */
typedef void (*toe_fw_arp_done_fn)(void *user, uint32_t ip, const uint8_t *mac);

struct toe_fw_config {
  /* Retransmission (RFC 6298, TM1). */
  uint32_t rto_initial_ms;      /* RTO before the first RTT sample (2.1): 1000 */
  uint32_t rto_min_ms;          /* floor of a computed RTO (2.4): 1000 */
  uint32_t rto_max_ms;          /* cap of every RTO, backoff included (2.5, >= 60 s): 60000 */
  uint32_t rto_granularity_us;  /* G, the clock granularity (2.2, 2.3): 1000 */
  uint32_t rto_syn_reinit_ms;   /* RTO once data flows after a handshake timeout (5.7): 3000; 0 off */
  /* Give-up (HS9, TM2, MUST-23): retransmissions of one flight before give_up. With the default
   * RTOs (1, 2, 4 ... 32, 60 s) the 7th retransmission goes at 123 s and give_up at 183 s. */
  uint8_t max_syn_retries;      /* SYN / SYN-ACK (SYN_SENT, SYN_RECEIVED): 7 */
  uint8_t max_retries;          /* data and FIN: 7 */
  /* TIME_WAIT (TW1): 2 * msl. */
  uint32_t msl_ms;              /* 60000 */
  /* Delayed ACK (TM3): send_ack this long after ack_delayed (< 500 ms). */
  uint32_t delayed_ack_ms;      /* 200 */
  /* Keep-alive (RFC 9293 3.8.4, RFC 1122 4.2.3.6), off by default (idle 0). When on, a connection
   * idle this long (ESTABLISHED or CLOSE-WAIT, nothing outstanding) gets a keep-alive every
   * keepalive_intvl_s until one is answered; after keepalive_probes unanswered ones, give_up.
   * RFC 1122 asks for an idle time of at least 7200 s when it is on. */
  uint32_t keepalive_idle_s;    /* 0: off; at most 432000 (5 days) */
  uint32_t keepalive_intvl_s;   /* 75 (1 .. 2147) */
  uint8_t keepalive_probes;     /* 9 (at least 1) */
  /* ARP (RFC 826, RFC 1122 2.3.2.1). */
  uint32_t arp_retry_ms;        /* between requests for one address: 1000 */
  uint8_t arp_retries;          /* requests after the first before "no route": 2 */
  uint32_t arp_lifetime_ms;     /* a resolved entry is forgotten after this: 300000 */
  uint32_t arp_failed_hold_ms;  /* a failed entry answers "no route" this long: 5000 */
  toe_fw_arp_done_fn arp_done;  /* optional */
  void *arp_done_user;
  /* ICMP echo replies. */
  uint8_t ip_ttl;               /* 64 */
};

void toe_fw_config_default(struct toe_fw_config *cfg);
/* TOE_FW_OK, or TOE_FW_BAD_ARG for a zero RTO or delay, rto_min > rto_max, rto_initial > rto_max,
 * delayed_ack >= 500 ms, an interval of 2^31 us or more, or a keep-alive setting out of range. */
toe_fw_result_t toe_fw_config_check(const struct toe_fw_config *cfg);

#ifdef __cplusplus
}
#endif

#endif /* TOE_FW_CONFIG_H_ */
