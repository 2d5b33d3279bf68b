/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw_rto: the retransmission timeout of one connection, RFC 6298 (TM1), in microseconds.
 *
 *   init          RTO = rto_initial, no sample yet (2.1)
 *   sample(R)     first: SRTT = R, RTTVAR = R/2 (2.2); later: RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R|,
 *                 then SRTT = 7/8 SRTT + 1/8 R (2.3, in that order); both: RTO = SRTT +
 *                 max(G, 4 RTTVAR), at least rto_min (2.4), at most rto_max (2.5); the backoff
 *                 is cleared (a valid sample ends the backoff Karn's algorithm keeps)
 *   backoff       RTO doubled (5.5), at most rto_max; kept until the next sample
 *   current       the RTO the timer runs with: base << backoff, capped at rto_max
 * Karn's rule (3) is the caller's: it calls sample() only for a flight it did not retransmit
 * (toe_fw_timers). Integer arithmetic: each step truncates below 1 us. */
#ifndef TOE_FW_RTO_H_
#define TOE_FW_RTO_H_

#include <stdint.h>

#include "toe_fw_config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 12 bytes: the base RTO is computed from SRTT and RTTVAR when asked, not stored. */
struct toe_fw_rto {
  uint32_t srtt_us;
  uint32_t rttvar_us;
  uint8_t backoff; /* doublings since the last sample */
  uint8_t flags;   /* TOE_FW_RTO_* */
};
#define TOE_FW_RTO_HAS_SAMPLE 0x1u /* SRTT and RTTVAR are valid */
#define TOE_FW_RTO_SYN_REINIT 0x2u /* no sample yet, base RTO = rto_syn_reinit (5.7) */

void toe_fw_rto_init(struct toe_fw_rto *e);
void toe_fw_rto_sample(struct toe_fw_rto *e, const struct toe_fw_config *cfg, uint32_t r_us);
void toe_fw_rto_backoff(struct toe_fw_rto *e, const struct toe_fw_config *cfg);
/* RFC 6298 5.7: the handshake timed out and no sample was taken: the base RTO becomes
 * rto_syn_reinit when it is larger (no effect when rto_syn_reinit_ms is 0). Clears the backoff. */
void toe_fw_rto_syn_reinit(struct toe_fw_rto *e, const struct toe_fw_config *cfg);
/* The base RTO (no backoff): rto_initial before a sample, else SRTT + max(G, 4 RTTVAR) within
 * [rto_min, rto_max]. */
/* The backoff cleared (new data acknowledged after a retransmission, see toe_fw_timers.h). */
void toe_fw_rto_clear_backoff(struct toe_fw_rto *e);
uint32_t toe_fw_rto_base(const struct toe_fw_rto *e, const struct toe_fw_config *cfg);
uint32_t toe_fw_rto_current(const struct toe_fw_rto *e, const struct toe_fw_config *cfg);

#ifdef __cplusplus
}
#endif

#endif /* TOE_FW_RTO_H_ */
