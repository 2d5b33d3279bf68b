/* SPDX-License-Identifier: Apache-2.0 */
/* The firmware's RFC 6298 estimator (firmware/src/toe_fw_rto.h), its configuration checks and the
 * sizes of its tables, in C11, so that one source runs on the host and, cross-compiled, on each
 * target under QEMU (Cortex-M4 on mps2-an386, RV32IMAC on virt: firmware/target): first sample
 * (2.2), later samples (2.3: RTTVAR before SRTT) against a double-precision reference, the clock
 * granularity G and the floor (2.4), the cap (2.5), backoff (5.5) kept until a sample, the
 * handshake rule (5.7), the default retry schedule (give-up no sooner than 3 minutes: MUST-23,
 * TM2), and the boot self-test. Karn's rule, which decides which samples reach the estimator, is
 * tested on the model (test_fw_model.cpp). Prints one line per failed check; exit status 0 when
 * all passed. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "fw_check.h"
#include "toe_fw.h"
#include "toe_fw_selftest.h"

static unsigned checks, failures;

#define CHECK_NEAR(got, want, tol, what)                                                           \
  do {                                                                                             \
    const double g_ = (double)(got), w_ = (double)(want);                                          \
    ++checks;                                                                                      \
    if (fabs(g_ - w_) > (tol)) {                                                                   \
      ++failures;                                                                                  \
      printf("%s:%d: %s: got %.1f, want %.1f +- %.1f (%s)\n", __FILE__, __LINE__, #got, g_, w_,     \
             (double)(tol), what);                                                                 \
    }                                                                                              \
  } while (0)

static struct toe_fw_config defaults(void) {
  struct toe_fw_config c;
  toe_fw_config_default(&c);
  return c;
}

static void starts_at_the_initial_rto(void) {
  struct toe_fw_config c = defaults();
  struct toe_fw_rto e;
  toe_fw_rto_init(&e);
  CHECK_EQ(toe_fw_rto_current(&e, &c), 1000000u, "RFC 6298 2.1: 1 s");
  c.rto_initial_ms = 250;
  CHECK_EQ(toe_fw_rto_current(&e, &c), 250000u, "configurable for tests");
}

static void first_sample_sets_srtt_and_half_of_it_as_rttvar(void) {
  struct toe_fw_config c = defaults();
  c.rto_min_ms = 1; /* the formula, not the floor */
  struct toe_fw_rto e;
  toe_fw_rto_init(&e);
  toe_fw_rto_sample(&e, &c, 100000);
  CHECK_EQ(e.srtt_us, 100000u, "2.2: SRTT = R");
  CHECK_EQ(e.rttvar_us, 50000u, "2.2: RTTVAR = R/2");
  CHECK_EQ(toe_fw_rto_current(&e, &c), 100000u + 4u * 50000u, "SRTT + K*RTTVAR, K = 4");
}

static void later_samples_update_rttvar_with_the_old_srtt_then_srtt(void) {
  struct toe_fw_config c = defaults();
  c.rto_min_ms = 1;
  struct toe_fw_rto e;
  toe_fw_rto_init(&e);
  toe_fw_rto_sample(&e, &c, 100000);
  toe_fw_rto_sample(&e, &c, 200000);
  /* RTTVAR = 3/4 * 50000 + 1/4 * |100000 - 200000|; SRTT = 7/8 * 100000 + 1/8 * 200000. */
  CHECK_EQ(e.rttvar_us, 62500u, "2.3: RTTVAR from the old SRTT");
  CHECK_EQ(e.srtt_us, 112500u, "2.3: SRTT");
  CHECK_EQ(toe_fw_rto_current(&e, &c), 112500u + 250000u, "2.3: RTO");
  /* A run against a double-precision reference: within a few microseconds after 50 samples. */
  double srtt = 112500, rttvar = 62500;
  for (int i = 0; i < 50; ++i) {
    const uint32_t r = 80000u + (uint32_t)(i % 7) * 9000u;
    rttvar = 0.75 * rttvar + 0.25 * fabs(srtt - (double)r);
    srtt = 0.875 * srtt + 0.125 * (double)r;
    toe_fw_rto_sample(&e, &c, r);
  }
  CHECK_NEAR(e.srtt_us, srtt, 8.0, "SRTT against the reference");
  CHECK_NEAR(e.rttvar_us, rttvar, 8.0, "RTTVAR against the reference");
}

static void granularity_and_floor(void) {
  struct toe_fw_config c = defaults();
  c.rto_min_ms = 1;
  c.rto_granularity_us = 5000;
  struct toe_fw_rto e;
  toe_fw_rto_init(&e);
  for (int i = 0; i < 100; ++i) toe_fw_rto_sample(&e, &c, 20000); /* RTTVAR decays to 0 */
  CHECK_EQ(e.rttvar_us, 0u, "RTTVAR decays");
  CHECK_EQ(toe_fw_rto_current(&e, &c), 20000u + 5000u, "SRTT + max(G, K*RTTVAR)");
  c.rto_min_ms = 1000;
  CHECK_EQ(toe_fw_rto_current(&e, &c), 1000000u, "2.4: rounded up to the 1 s floor");
}

static void backoff_doubles_up_to_the_cap_and_a_sample_ends_it(void) {
  struct toe_fw_config c = defaults();
  struct toe_fw_rto e;
  toe_fw_rto_init(&e);
  static const uint32_t want[] = {1, 2, 4, 8, 16, 32, 60, 60, 60};
  for (unsigned i = 0; i < sizeof want / sizeof want[0]; ++i) {
    CHECK_EQ(toe_fw_rto_current(&e, &c), want[i] * 1000000u, "5.5: doubled, capped at 60 s");
    toe_fw_rto_backoff(&e, &c);
  }
  c.rto_max_ms = 120000; /* any cap >= 60 s */
  CHECK_EQ(toe_fw_rto_current(&e, &c), 64000000u, "the backoff count is kept, the cap applied when read");
  c.rto_max_ms = 60000;
  toe_fw_rto_sample(&e, &c, 50000);
  CHECK_EQ(e.backoff, 0u, "a valid sample ends the backoff (Karn)");
  CHECK_EQ(toe_fw_rto_current(&e, &c), 1000000u, "back to the floor");
  toe_fw_rto_sample(&e, &c, 200000000u); /* beyond the cap: counts as the cap */
  CHECK_EQ(toe_fw_rto_current(&e, &c), 60000000u, "2.5: the cap");
}

static void a_handshake_timeout_without_sample_gives_three_seconds(void) {
  struct toe_fw_config c = defaults();
  struct toe_fw_rto e;
  toe_fw_rto_init(&e);
  toe_fw_rto_backoff(&e, &c);
  toe_fw_rto_syn_reinit(&e, &c);
  CHECK_EQ(toe_fw_rto_current(&e, &c), 3000000u, "RFC 6298 5.7");
  toe_fw_rto_sample(&e, &c, 10000);
  CHECK_EQ(toe_fw_rto_current(&e, &c), 1000000u, "a sample replaces it");
  c.rto_syn_reinit_ms = 0;
  toe_fw_rto_init(&e);
  toe_fw_rto_syn_reinit(&e, &c);
  CHECK_EQ(toe_fw_rto_current(&e, &c), 1000000u, "switched off");
}

static void default_retries_last_at_least_three_minutes(void) {
  /* The schedule toe_fw_timers runs: retransmit at each deadline while retries < limit, the
   * deadline moving by the doubled RTO; give_up at the deadline after the last retransmission. */
  const struct toe_fw_config c = defaults();
  const uint8_t limits[2] = {c.max_syn_retries, c.max_retries};
  for (unsigned l = 0; l < 2u; ++l) {
    struct toe_fw_rto e;
    toe_fw_rto_init(&e);
    uint64_t t = toe_fw_rto_current(&e, &c);
    for (uint8_t i = 0; i < limits[l]; ++i) {
      toe_fw_rto_backoff(&e, &c);
      t += toe_fw_rto_current(&e, &c);
    }
    CHECK_EQ(t >= 180000000u, 1, "MUST-23: at least 3 minutes before giving up");
    CHECK_EQ(t, 183000000u, "1+2+4+8+16+32+60+60 s");
  }
}

static void config_refuses_what_the_clock_cannot_hold(void) {
  struct toe_fw_config c = defaults();
  CHECK_EQ(toe_fw_config_check(&c), TOE_FW_OK, "the defaults");
  c.rto_min_ms = 70000;
  CHECK_EQ(toe_fw_config_check(&c), TOE_FW_BAD_ARG, "floor above the cap");
  c = defaults();
  c.delayed_ack_ms = 500;
  CHECK_EQ(toe_fw_config_check(&c), TOE_FW_BAD_ARG, "TM3: < 500 ms");
  c = defaults();
  c.msl_ms = 1200000;
  CHECK_EQ(toe_fw_config_check(&c), TOE_FW_BAD_ARG, "2*MSL beyond 2^31 us");
  c = defaults();
  c.rto_initial_ms = 0;
  CHECK_EQ(toe_fw_config_check(&c), TOE_FW_BAD_ARG, "a zero RTO");
  c = defaults();
  CHECK_EQ(c.keepalive_idle_s, 0u, "keep-alive off by default");
  c.keepalive_idle_s = 7200;
  CHECK_EQ(toe_fw_config_check(&c), TOE_FW_OK, "RFC 1122's two hours (in 30-minute chunks)");
  c.keepalive_idle_s = 432001;
  CHECK_EQ(toe_fw_config_check(&c), TOE_FW_BAD_ARG, "keep-alive idle beyond 5 days (255 chunks)");
  c = defaults();
  c.keepalive_intvl_s = 2148;
  CHECK_EQ(toe_fw_config_check(&c), TOE_FW_BAD_ARG, "keep-alive interval beyond 2^31 us");
  c = defaults();
  c.keepalive_probes = 0;
  CHECK_EQ(toe_fw_config_check(&c), TOE_FW_BAD_ARG, "no keep-alive probes");
  CHECK_EQ(toe_fw_config_check(NULL), TOE_FW_BAD_ARG, "no configuration");
}

static void table_sizes(void) {
  CHECK_EQ(sizeof(struct toe_fw_conn), 32u, "32 bytes of RAM per connection");
  CHECK_EQ(sizeof(struct toe_fw_arp_entry), 16u, "16 bytes per ARP entry");
  printf("struct toe_fw: %u bytes (TOE_FW_MAX_CONNS %u x %u + ARP %u x %u + %u)\n", (unsigned)sizeof(struct toe_fw),
         (unsigned)TOE_FW_MAX_CONNS, (unsigned)sizeof(struct toe_fw_conn), (unsigned)TOE_FW_ARP_ENTRIES,
         (unsigned)sizeof(struct toe_fw_arp_entry),
         (unsigned)(sizeof(struct toe_fw) - sizeof(struct toe_fw_timers) - sizeof(struct toe_fw_arp)));
}

static void the_boot_self_test_passes(void) {
  const char *failed = NULL;
  CHECK_EQ(toe_fw_selftest(&failed), 0u, failed != NULL ? failed : "every check");
  CHECK_EQ(toe_fw_selftest_count() >= 7u, 1, "the self-test's checks");
}

int main(void) {
  starts_at_the_initial_rto();
  first_sample_sets_srtt_and_half_of_it_as_rttvar();
  later_samples_update_rttvar_with_the_old_srtt_then_srtt();
  granularity_and_floor();
  backoff_doubles_up_to_the_cap_and_a_sample_ends_it();
  a_handshake_timeout_without_sample_gives_three_seconds();
  default_retries_last_at_least_three_minutes();
  config_refuses_what_the_clock_cannot_hold();
  table_sizes();
  the_boot_self_test_passes();
  printf("%u checks, %u failed\n", checks, failures);
  return failures == 0u ? 0 : 1;
}
