// SPDX-License-Identifier: Apache-2.0
// toe_top (Verilated) in lockstep with the C++ Engine: randomized traffic with idle
// cycles on every input and backpressure on every output (see top_lockstep.hpp).
// CI runs 10^7 cycles in total over the matrix below; bench/ runs 10^9
// (top_soak --cycles 1000000000).
#include <gtest/gtest.h>

#include <cstdio>

#include "top_lockstep.hpp"

namespace {

toe::lockstep::TopResult run(uint64_t seed, uint32_t idle, uint32_t bp, uint64_t cycles, uint32_t ack_every = 1,
                             uint32_t data_bytes = 8, uint32_t rx_slots = 16, uint32_t max_half_open = 6) {
  toe::lockstep::TopConfig c;
  c.engine.data_bytes = data_bytes;
  c.engine.rx_slots = rx_slots;  // the Verilated build with these parameters (sim/rtl_engine)
  c.seed = seed;
  c.rx_idle_pct = idle;
  c.tx_bp_pct = bp;
  c.evt_bp_pct = bp / 2;
  c.engine.ack_every = ack_every;
  c.engine.chal_conn_cycles = 2000;    // limits that trigger within the run
  c.engine.chal_global_cycles = 5000;
  c.engine.chal_global_burst = 4;
  c.engine.max_half_open = max_half_open;
  c.vcd_dir = TOE_LOCKSTEP_VCD_DIR;
  const auto r = toe::lockstep::run_top_lockstep(c, cycles);
  std::printf("seed %llu idle %u%% backpressure %u%% data_bytes %u rx_slots %u: %s\n",
              static_cast<unsigned long long>(seed), idle, bp, data_bytes, rx_slots, r.report().c_str());
  return r;
}

// A run with a stimulus pattern of its own (c), its result printed.
toe::lockstep::TopResult run_commands(toe::lockstep::TopConfig c, uint64_t cycles, const char* what) {
  c.vcd_dir = TOE_LOCKSTEP_VCD_DIR;
  const auto r = toe::lockstep::run_top_lockstep(c, cycles);
  std::printf("seed %llu, %s: %s\n", static_cast<unsigned long long>(c.seed), what, r.report().c_str());
  return r;
}

// 10 runs x 10^6 cycles = 10^7 cycles.
TEST(TopLockstep, RandomTrafficNoIdle) {
  for (uint64_t s = 1; s <= 3; ++s) {
    const auto r = run(s, 0, 0, 1000000);
    ASSERT_TRUE(r.ok) << r.report();
    EXPECT_GT(r.frames_out, 1000u);
    EXPECT_GT(r.data_checks, 100u);
  }
}

TEST(TopLockstep, RandomTrafficIdleAndBackpressure30) {
  for (uint64_t s = 11; s <= 14; ++s) {
    const auto r = run(s, 30, 30, 1000000, s % 2 ? 1 : 2);
    ASSERT_TRUE(r.ok) << r.report();
    EXPECT_GT(r.frames_out, 1000u);
  }
}

TEST(TopLockstep, RandomTrafficIdleAndBackpressure70) {
  for (uint64_t s = 21; s <= 23; ++s) {
    const auto r = run(s, 70, 70, 1000000);
    ASSERT_TRUE(r.ok) << r.report();
    EXPECT_GT(r.frames_out, 100u);
  }
}

// A SYN cache of 2: most half-open connections are evicted, from any way of their bucket (the
// index entry leaves at the bucket and way toe_tables recorded for it). Not part of the 10^7 above.
TEST(TopLockstep, SmallSynCacheEvictsFromEveryWay) {
  const auto r = run(41, 30, 30, 1000000, 1, 8, 16, 2);
  ASSERT_TRUE(r.ok) << r.report();
  EXPECT_GT(r.frames_out, 1000u);
}

// Connects repeated one or two cycles after they were taken: the second is decided one cycle
// after the first (toe_tables forwards the index way inserted that cycle) or two (the index's
// registered read, its address given as the first is decided, must see that write: write-first).
// Not part of the 10^7 above.
TEST(TopLockstep, ConnectRepeatedOneAndTwoCyclesLater) {
  toe::lockstep::TopConfig c;
  c.engine.data_bytes = 8;
  c.seed = 51;
  c.rx_idle_pct = 30;
  c.cmd_pct = 20;
  c.repeat_connect_pct = 100;
  const auto r = run_commands(c, 200000, "connects repeated");
  ASSERT_TRUE(r.ok) << r.report();
  EXPECT_GT(r.commands, 1000u);
}

// A SYN cache of 2, and after a SYN, a connect to a half-open connection's 4-tuple, decided the
// cycle before or after that SYN: when the SYN evicts it, the connect after must find the index
// way cleared (toe_tables forwards the eviction's valid-bit write to the next cycle's lookup), the
// one before must find it there. Not part of the 10^7 above.
TEST(TopLockstep, ConnectToAHalfOpenEvictedTheCycleBefore) {
  toe::lockstep::TopConfig c;
  c.engine.data_bytes = 8;
  c.engine.max_half_open = 2;
  c.seed = 61;
  c.rx_idle_pct = 10;
  c.cmd_pct = 2;
  c.chase_half_open_pct = 100;
  const auto r = run_commands(c, 300000, "connects chasing half-open ones");
  ASSERT_TRUE(r.ok) << r.report();
  EXPECT_GT(r.commands, 1000u);
}

// A run whose event consumer (evt_bp) or transmit sink (tx_bp) is ready in 2 % of the cycles, so
// that queue fills until the ready signals drop, and hovers there, for 600,000 cycles.
toe::lockstep::TopResult run_held(uint64_t seed, uint32_t tx_bp, uint32_t evt_bp, const char* what) {
  toe::lockstep::TopConfig c;
  c.engine.data_bytes = 8;
  c.seed = seed;
  c.tx_bp_pct = tx_bp;
  c.evt_bp_pct = evt_bp;
  c.cmd_pct = 10;
  return run_commands(c, 600000, what);
}

// The event queue held near full: the ready signals need 32 free entries after the cycle's pushes
// (up to 7). Not part of the 10^7 above.
TEST(TopLockstep, EventQueueHeldNearFull) {
  const auto r = run_held(71, 10, 98, "event queue held near full");
  ASSERT_TRUE(r.ok) << r.report();
  EXPECT_GE(r.max_events_queued, uint64_t(toe::model::EngineConfig{}.evt_fifo_depth) - 32) << r.report();
  EXPECT_GT(r.events, 5000u);
}

// The response queue held near full: the responses tcp_fsm queues for tx_arbiter wait on m_axis_tx;
// the ready signals need 8 free entries after the cycle's push and pop. Not part of the 10^7 above.
TEST(TopLockstep, ResponseQueueHeldNearFull) {
  const auto r = run_held(81, 98, 10, "response queue held near full");
  ASSERT_TRUE(r.ok) << r.report();
  EXPECT_GE(r.max_responses_queued, uint64_t(toe::model::EngineConfig{}.rsp_fifo_depth) - 8) << r.report();
  EXPECT_GT(r.frames_out, 500u);
}

// The small-FPGA shape: 8-bit datapath, 4 frame slots (s_axis_rx_tready needs 3 spare: one
// frame at a time). Not part of the 10^7 above.
TEST(TopLockstep, EightBitFourSlotsIdleAndBackpressure30) {
  for (uint64_t s = 31; s <= 32; ++s) {
    const auto r = run(s, 30, 30, 1000000, 1, 1, 4);
    ASSERT_TRUE(r.ok) << r.report();
    EXPECT_GT(r.frames_out, 100u);
    EXPECT_GT(r.data_checks, 10u);
  }
}

}  // namespace
