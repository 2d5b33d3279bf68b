/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw_config: defaults and checks (see toe_fw_config.h). */
#include "toe_fw_config.h"

#include <stddef.h>

void toe_fw_config_default(struct toe_fw_config *cfg) {
  cfg->rto_initial_ms = 1000;
  cfg->rto_min_ms = 1000;
  cfg->rto_max_ms = 60000;
  cfg->rto_granularity_us = 1000;
  cfg->rto_syn_reinit_ms = 3000;
  cfg->max_syn_retries = 7;
  cfg->max_retries = 7;
  cfg->msl_ms = 60000;
  cfg->delayed_ack_ms = 200;
  cfg->keepalive_idle_s = 0;
  cfg->keepalive_intvl_s = 75;
  cfg->keepalive_probes = 9;
  cfg->arp_retry_ms = 1000;
  cfg->arp_retries = 2;
  cfg->arp_lifetime_ms = 300000;
  cfg->arp_failed_hold_ms = 5000;
  cfg->arp_done = NULL;
  cfg->arp_done_user = NULL;
  cfg->ip_ttl = 64;
}

/* An interval in ms that fits the firmware's clock (below 2^31 us). */
static int fits(uint32_t ms) { return ms < 2147483u; }

toe_fw_result_t toe_fw_config_check(const struct toe_fw_config *cfg) {
  if (cfg == NULL) return TOE_FW_BAD_ARG;
  if (cfg->rto_initial_ms == 0 || cfg->rto_min_ms == 0 || cfg->rto_max_ms == 0) return TOE_FW_BAD_ARG;
  if (cfg->rto_min_ms > cfg->rto_max_ms || cfg->rto_initial_ms > cfg->rto_max_ms) return TOE_FW_BAD_ARG;
  if (!fits(cfg->rto_max_ms) || !fits(cfg->rto_syn_reinit_ms) || cfg->rto_granularity_us >= 2147483648u)
    return TOE_FW_BAD_ARG;
  if (cfg->msl_ms == 0 || !fits(cfg->msl_ms) || !fits(2u * cfg->msl_ms)) return TOE_FW_BAD_ARG;
  if (cfg->delayed_ack_ms == 0 || cfg->delayed_ack_ms >= 500) return TOE_FW_BAD_ARG;
  if (cfg->arp_retry_ms == 0 || !fits(cfg->arp_retry_ms) || cfg->arp_lifetime_ms == 0 ||
      !fits(cfg->arp_lifetime_ms) || !fits(cfg->arp_failed_hold_ms))
    return TOE_FW_BAD_ARG;
  if (cfg->ip_ttl == 0) return TOE_FW_BAD_ARG;
  if (cfg->keepalive_idle_s > 432000u || cfg->keepalive_intvl_s == 0 || cfg->keepalive_intvl_s > 2147u ||
      cfg->keepalive_probes == 0)
    return TOE_FW_BAD_ARG;
  return TOE_FW_OK;
}
