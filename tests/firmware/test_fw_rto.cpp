// SPDX-License-Identifier: Apache-2.0
// The firmware's RFC 6298 estimator (firmware/src/toe_fw_rto.h) and its configuration, alone:
// first sample (2.2), later samples (2.3: RTTVAR before SRTT), the clock granularity G and the
// floor (2.4), the cap (2.5), backoff (5.5) kept until a sample, the handshake rule (5.7), and
// the default retry schedule: give-up no sooner than 3 minutes (MUST-23, TM2). Karn's rule, which
// decides which samples reach the estimator, is tested on the model (test_fw_model.cpp).
// Binary test_fw_unit (label firmware).
#include <gtest/gtest.h>

#include <cstdint>

#include "toe_fw.h"

namespace {

toe_fw_config defaults() {
  toe_fw_config c;
  toe_fw_config_default(&c);
  return c;
}

TEST(FwRto, StartsAtTheInitialRto) {
  toe_fw_config c = defaults();
  toe_fw_rto e;
  toe_fw_rto_init(&e);
  EXPECT_EQ(toe_fw_rto_current(&e, &c), 1000000u) << "RFC 6298 2.1: 1 s";
  c.rto_initial_ms = 250;
  EXPECT_EQ(toe_fw_rto_current(&e, &c), 250000u) << "configurable for tests";
}

TEST(FwRto, FirstSampleSetsSrttAndHalfOfItAsRttvar) {
  toe_fw_config c = defaults();
  c.rto_min_ms = 1;  // the formula, not the floor
  toe_fw_rto e;
  toe_fw_rto_init(&e);
  toe_fw_rto_sample(&e, &c, 100000);
  EXPECT_EQ(e.srtt_us, 100000u);
  EXPECT_EQ(e.rttvar_us, 50000u);
  EXPECT_EQ(toe_fw_rto_current(&e, &c), 100000u + 4u * 50000u) << "SRTT + K*RTTVAR, K = 4";
}

TEST(FwRto, LaterSamplesUpdateRttvarWithTheOldSrttThenSrtt) {
  toe_fw_config c = defaults();
  c.rto_min_ms = 1;
  toe_fw_rto e;
  toe_fw_rto_init(&e);
  toe_fw_rto_sample(&e, &c, 100000);
  toe_fw_rto_sample(&e, &c, 200000);
  // RTTVAR = 3/4 * 50000 + 1/4 * |100000 - 200000|; SRTT = 7/8 * 100000 + 1/8 * 200000.
  EXPECT_EQ(e.rttvar_us, 62500u);
  EXPECT_EQ(e.srtt_us, 112500u);
  EXPECT_EQ(toe_fw_rto_current(&e, &c), 112500u + 250000u);
  // A run against a double-precision reference: within a few microseconds after 50 samples.
  double srtt = 112500, rttvar = 62500;
  for (int i = 0; i < 50; ++i) {
    const uint32_t r = 80000u + uint32_t(i % 7) * 9000u;
    rttvar = 0.75 * rttvar + 0.25 * std::abs(srtt - r);
    srtt = 0.875 * srtt + 0.125 * r;
    toe_fw_rto_sample(&e, &c, r);
  }
  EXPECT_NEAR(double(e.srtt_us), srtt, 8.0);
  EXPECT_NEAR(double(e.rttvar_us), rttvar, 8.0);
}

TEST(FwRto, GranularityAndFloor) {
  toe_fw_config c = defaults();
  c.rto_min_ms = 1;
  c.rto_granularity_us = 5000;
  toe_fw_rto e;
  toe_fw_rto_init(&e);
  for (int i = 0; i < 100; ++i) toe_fw_rto_sample(&e, &c, 20000);  // RTTVAR decays to 0
  EXPECT_EQ(e.rttvar_us, 0u);
  EXPECT_EQ(toe_fw_rto_current(&e, &c), 20000u + 5000u) << "SRTT + max(G, K*RTTVAR)";
  c.rto_min_ms = 1000;
  EXPECT_EQ(toe_fw_rto_current(&e, &c), 1000000u) << "2.4: rounded up to the 1 s floor";
}

TEST(FwRto, BackoffDoublesUpToTheCapAndASampleEndsIt) {
  toe_fw_config c = defaults();
  toe_fw_rto e;
  toe_fw_rto_init(&e);
  const uint32_t want[] = {1, 2, 4, 8, 16, 32, 60, 60, 60};
  for (uint32_t w : want) {
    EXPECT_EQ(toe_fw_rto_current(&e, &c), w * 1000000u);
    toe_fw_rto_backoff(&e, &c);
  }
  c.rto_max_ms = 120000;  // any cap >= 60 s
  EXPECT_EQ(toe_fw_rto_current(&e, &c), 64000000u) << "the backoff count is kept, the cap applied when read";
  c.rto_max_ms = 60000;
  toe_fw_rto_sample(&e, &c, 50000);
  EXPECT_EQ(e.backoff, 0u) << "a valid sample ends the backoff (Karn)";
  EXPECT_EQ(toe_fw_rto_current(&e, &c), 1000000u);
  toe_fw_rto_sample(&e, &c, 200000000u);  // beyond the cap: counts as the cap
  EXPECT_EQ(toe_fw_rto_current(&e, &c), 60000000u);
}

TEST(FwRto, AHandshakeTimeoutWithoutSampleGivesThreeSeconds) {
  toe_fw_config c = defaults();
  toe_fw_rto e;
  toe_fw_rto_init(&e);
  toe_fw_rto_backoff(&e, &c);
  toe_fw_rto_syn_reinit(&e, &c);
  EXPECT_EQ(toe_fw_rto_current(&e, &c), 3000000u) << "RFC 6298 5.7";
  toe_fw_rto_sample(&e, &c, 10000);
  EXPECT_EQ(toe_fw_rto_current(&e, &c), 1000000u) << "a sample replaces it";
  c.rto_syn_reinit_ms = 0;
  toe_fw_rto_init(&e);
  toe_fw_rto_syn_reinit(&e, &c);
  EXPECT_EQ(toe_fw_rto_current(&e, &c), 1000000u) << "switched off";
}

TEST(FwRto, DefaultRetriesLastAtLeastThreeMinutes) {
  // The schedule toe_fw_timers runs: retransmit at each deadline while retries < limit, the
  // deadline moving by the doubled RTO; give_up at the deadline after the last retransmission.
  const toe_fw_config c = defaults();
  for (uint8_t limit : {c.max_syn_retries, c.max_retries}) {
    toe_fw_rto e;
    toe_fw_rto_init(&e);
    uint64_t t = toe_fw_rto_current(&e, &c);
    for (uint8_t i = 0; i < limit; ++i) {
      toe_fw_rto_backoff(&e, &c);
      t += toe_fw_rto_current(&e, &c);
    }
    EXPECT_GE(t, 180000000u) << "MUST-23: at least 3 minutes before giving up";
    EXPECT_EQ(t, 183000000u) << "1+2+4+8+16+32+60+60 s";
  }
}

TEST(FwConfig, RefusesWhatTheClockCannotHold) {
  toe_fw_config c = defaults();
  EXPECT_EQ(toe_fw_config_check(&c), TOE_FW_OK);
  c.rto_min_ms = 70000;
  EXPECT_EQ(toe_fw_config_check(&c), TOE_FW_BAD_ARG) << "floor above the cap";
  c = defaults();
  c.delayed_ack_ms = 500;
  EXPECT_EQ(toe_fw_config_check(&c), TOE_FW_BAD_ARG) << "TM3: < 500 ms";
  c = defaults();
  c.msl_ms = 1200000;
  EXPECT_EQ(toe_fw_config_check(&c), TOE_FW_BAD_ARG) << "2*MSL beyond 2^31 us";
  c = defaults();
  c.rto_initial_ms = 0;
  EXPECT_EQ(toe_fw_config_check(&c), TOE_FW_BAD_ARG);
  EXPECT_EQ(toe_fw_config_check(nullptr), TOE_FW_BAD_ARG);
}

TEST(FwSizes, ConnectionStateIs32Bytes) {
  EXPECT_EQ(sizeof(toe_fw_conn), 32u);
  EXPECT_EQ(sizeof(toe_fw_arp_entry), 16u);
  RecordProperty("sizeof_toe_fw", int(sizeof(toe_fw)));
  RecordProperty("max_conns", TOE_FW_MAX_CONNS);
  std::printf("struct toe_fw: %zu bytes (TOE_FW_MAX_CONNS %d x %zu + ARP %d x %zu + %zu)\n", sizeof(toe_fw),
              TOE_FW_MAX_CONNS, sizeof(toe_fw_conn), TOE_FW_ARP_ENTRIES, sizeof(toe_fw_arp_entry),
              sizeof(toe_fw) - sizeof(toe_fw_timers) - sizeof(toe_fw_arp));
}

}  // namespace
