/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw_rto: RFC 6298's estimator (see toe_fw_rto.h). */
#include "toe_fw_rto.h"

static uint32_t ms_to_us(uint32_t ms) { return ms * 1000u; } /* ms < 2^31 / 1000: toe_fw_config_check */

void toe_fw_rto_init(struct toe_fw_rto *e) {
  e->srtt_us = 0;
  e->rttvar_us = 0;
  e->backoff = 0;
  e->flags = 0;
}

void toe_fw_rto_sample(struct toe_fw_rto *e, const struct toe_fw_config *cfg, uint32_t r_us) {
  const uint32_t max = ms_to_us(cfg->rto_max_ms);
  if (r_us > max) r_us = max; /* a sample beyond the cap says no more than the cap */
  if (!(e->flags & TOE_FW_RTO_HAS_SAMPLE)) {
    e->srtt_us = r_us;
    e->rttvar_us = r_us / 2u;
  } else {
    const uint32_t diff = e->srtt_us > r_us ? e->srtt_us - r_us : r_us - e->srtt_us;
    /* 64-bit intermediates: 3 * RTTVAR and 7 * SRTT may pass 2^32; each result is below 2^31. */
    e->rttvar_us = (uint32_t)((3u * (uint64_t)e->rttvar_us + diff) / 4u);
    e->srtt_us = (uint32_t)((7u * (uint64_t)e->srtt_us + r_us) / 8u);
  }
  e->flags = TOE_FW_RTO_HAS_SAMPLE;
  e->backoff = 0;
}

void toe_fw_rto_syn_reinit(struct toe_fw_rto *e, const struct toe_fw_config *cfg) {
  e->backoff = 0;
  if (cfg->rto_syn_reinit_ms == 0 || (e->flags & TOE_FW_RTO_HAS_SAMPLE)) return;
  if (cfg->rto_syn_reinit_ms > cfg->rto_initial_ms) e->flags = TOE_FW_RTO_SYN_REINIT;
}

uint32_t toe_fw_rto_base(const struct toe_fw_rto *e, const struct toe_fw_config *cfg) {
  const uint32_t max = ms_to_us(cfg->rto_max_ms);
  uint32_t rto;
  if (e->flags & TOE_FW_RTO_HAS_SAMPLE) {
    /* SRTT, RTTVAR and K * RTTVAR at most rto_max (< 2^31: samples are capped at it): the sum
     * cannot overflow. */
    const uint32_t k_rttvar = e->rttvar_us > max / 4u ? max : 4u * e->rttvar_us;
    rto = e->srtt_us + (k_rttvar > cfg->rto_granularity_us ? k_rttvar : cfg->rto_granularity_us);
    if (rto < ms_to_us(cfg->rto_min_ms)) rto = ms_to_us(cfg->rto_min_ms);
  } else if (e->flags & TOE_FW_RTO_SYN_REINIT) {
    rto = ms_to_us(cfg->rto_syn_reinit_ms);
  } else {
    rto = ms_to_us(cfg->rto_initial_ms);
  }
  return rto > max ? max : rto;
}

void toe_fw_rto_backoff(struct toe_fw_rto *e, const struct toe_fw_config *cfg) {
  if (toe_fw_rto_current(e, cfg) < ms_to_us(cfg->rto_max_ms) && e->backoff < 31u) ++e->backoff;
}

uint32_t toe_fw_rto_current(const struct toe_fw_rto *e, const struct toe_fw_config *cfg) {
  const uint32_t max = ms_to_us(cfg->rto_max_ms);
  uint32_t rto = toe_fw_rto_base(e, cfg);
  for (uint8_t i = 0; i < e->backoff; ++i) {
    if (rto >= max / 2u) return max;
    rto *= 2u;
  }
  return rto;
}

void toe_fw_rto_clear_backoff(struct toe_fw_rto *e) { e->backoff = 0; }
