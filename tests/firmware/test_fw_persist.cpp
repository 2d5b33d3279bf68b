// SPDX-License-Identifier: Apache-2.0
// Zero-window probing (TM4, MUST-36/37), keep-alive (RFC 9293 3.8.4) and the engine's freed
// event: the firmware on the C++ model's firmware port (fixture FwModel, fw_model_fixture.hpp).
//   FwModel.ZeroWindowKeptWhileProbesAnswered  data queued at a zero window after everything
//                                              was acknowledged: probes of one byte at the
//                                              backed-off RTO; answered, the connection outlives
//                                              the retry limit many times over; unanswered, it
//                                              gives up after max_retries more (RST, timed_out)
//   FwModel.ZeroWindowAckWithDataQueuedArms    the ACK that acknowledges everything sent and
//                                              closes the window arms the timer (retx_arm, not
//                                              retx_disarm): the probe goes one RTO later
//   FwModel.KeepaliveOffByDefault              an idle connection is left alone
//   FwModel.KeepaliveProbesAnIdlePeer          after the idle time a segment <SEQ=SND.UNA-1>
//                                              <ACK> without data; answered, the idle time
//                                              restarts; unanswered, keepalive_probes of them
//                                              keepalive_intvl_s apart, then give_up (RST)
//   FwModel.KeepaliveIdleLongerThanTheClockWraps  7200 s, past the 32-bit microsecond clock
//   FwModel.FreedForgetsTheConnection          a host abort: event freed, the timers gone
// Binary test_fw_unit (label firmware).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "fw_model_fixture.hpp"
#include "model_port.hpp"
#include "toe_defs.h"
#include "toe_fw.h"
#include "toe_regs.h"

namespace {

using namespace toe::fw_test;
namespace net = toe::net;

// The frames in port.sent from `from` that are RSTs.
size_t rsts(const std::vector<SentFrame>& sent, size_t from) {
  size_t n = 0;
  for (size_t i = from; i < sent.size(); ++i) {
    net::Frame f;
    if (is_tcp(sent[i], net::kRst, &f) || is_tcp(sent[i], net::kRst | net::kAck, &f)) ++n;
  }
  return n;
}

bool timed_out(const ModelPort& port, uint32_t conn) {
  for (const HostEvent& e : port.host_events)
    if (e.type == TOE_EVT_TIMED_OUT && e.conn == conn) return true;
  return false;
}

TEST_F(FwModel, ZeroWindowKeptWhileProbesAnswered) {
  cfg.max_retries = 3;
  cfg.rto_max_ms = 4000;  // probes at 1, 2, 4, 4, 4 ... s: a short test
  boot();
  net::Frame sa;
  const uint32_t conn = establish(40000, &sa);
  const uint32_t una = sa.tcp.seq + 1 + 100;
  size_t mark = port.sent.size();
  host_send(port, conn, 0, 100);
  ASSERT_TRUE(run_until([&] { return data_segments(port.sent, mark).size() == 1; }, 1000));
  // Everything acknowledged, and the window closes: nothing is outstanding.
  port.inject(tcp_to_engine(40000, 80, 1001, una, net::kAck, {}, 0));
  run_for(1000);
  EXPECT_EQ(fw.timers.conn[conn].flags & TOE_FW_CONN_RETX, 0u);
  // The application writes more: the timer runs (tx_push at a zero window), the probes go.
  host_send(port, conn, 100, 50);
  run_for(100);
  EXPECT_NE(fw.timers.conn[conn].flags & TOE_FW_CONN_RETX, 0u) << "tx_push at a zero window arms";
  const uint64_t pushed = port.now_us();
  const unsigned kAnswered = 10;  // more than three times max_retries
  std::vector<uint64_t> at;
  for (unsigned i = 0; i < kAnswered; ++i) {
    mark = port.sent.size();
    at.clear();
    ASSERT_TRUE(run_until([&] { return !data_segments(port.sent, mark).empty(); }, 5 * kSec, 1000)) << "probe " << i;
    const std::vector<net::Frame> p = data_segments(port.sent, mark, &at);
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].tcp.seq, una) << "a probe carries the next byte";
    EXPECT_EQ(p[0].payload_len, 1u) << "a probe of one byte";
    if (i == 0) {
      EXPECT_NEAR(double(at[0] - pushed) / 1e3, 1000.0, 5.0) << "the first probe one RTO after the push";
    }
    port.inject(tcp_to_engine(40000, 80, 1001, una, net::kAck, {}, 0));  // answered: still closed
    run_for(1000);
  }
  EXPECT_EQ(port.conn_state(conn), uint32_t(TOE_STATE_ESTABLISHED));
  EXPECT_GE(fw.stats.probes_answered, kAnswered);
  EXPECT_EQ(fw.stats.give_ups, 0u);
  port.drain_host_events();
  EXPECT_FALSE(timed_out(port, conn));
  // The peer goes silent: max_retries more probes, then give_up (RST, timed_out).
  mark = port.sent.size();
  ASSERT_TRUE(run_until(
      [&] {
        port.drain_host_events();
        return timed_out(port, conn);
      },
      30 * kSec, 1000));
  EXPECT_EQ(data_segments(port.sent, mark).size(), size_t(cfg.max_retries)) << "unanswered probes";
  EXPECT_EQ(rsts(port.sent, mark), 1u);
  EXPECT_EQ(fw.stats.give_ups, 1u);
  EXPECT_EQ(fw.timers.conn[conn].flags, 0u);
  EXPECT_EQ(fw.stats.bus_errors, 0u);
}

TEST_F(FwModel, ZeroWindowAckWithDataQueuedArms) {
  boot();
  net::Frame sa;
  const uint32_t conn = establish(40000, &sa);
  const uint32_t iss = sa.tcp.seq;
  // The peer's window shrinks to 100 bytes; 150 are queued: 100 go, 50 wait.
  port.inject(tcp_to_engine(40000, 80, 1001, iss + 1, net::kAck, {}, 100));
  run_for(100);
  size_t mark = port.sent.size();
  host_send(port, conn, 0, 150);
  ASSERT_TRUE(run_until([&] { return data_segments(port.sent, mark).size() == 1; }, 1000));
  run_for(1000);
  ASSERT_EQ(data_segments(port.sent, mark).size(), 1u);
  EXPECT_EQ(data_segments(port.sent, mark)[0].payload_len, 100u);
  // All 100 acknowledged with the window closed: the timer must keep running.
  port.inject(tcp_to_engine(40000, 80, 1001, iss + 1 + 100, net::kAck, {}, 0));
  run_for(100);
  const uint64_t acked = port.now_us();
  EXPECT_NE(fw.timers.conn[conn].flags & TOE_FW_CONN_RETX, 0u) << "retx_arm, not retx_disarm";
  mark = port.sent.size();
  std::vector<uint64_t> at;
  ASSERT_TRUE(run_until([&] { return !data_segments(port.sent, mark).empty(); }, 3 * kSec, 1000));
  const std::vector<net::Frame> p = data_segments(port.sent, mark, &at);
  EXPECT_EQ(p[0].tcp.seq, iss + 1 + 100);
  EXPECT_EQ(p[0].payload_len, 1u);
  EXPECT_NEAR(double(at[0] - acked) / 1e3, 1000.0, 5.0) << "one RTO after the ACK";
  // The window opens with the probe's ACK: the rest goes at once, and the timer stops at the end.
  mark = port.sent.size();
  port.inject(tcp_to_engine(40000, 80, 1001, iss + 1 + 101, net::kAck, {}, 1000));
  ASSERT_TRUE(run_until([&] { return !data_segments(port.sent, mark).empty(); }, 1000));
  EXPECT_EQ(data_segments(port.sent, mark)[0].payload_len, 49u);
  port.inject(tcp_to_engine(40000, 80, 1001, iss + 1 + 150, net::kAck, {}, 1000));
  run_for(1000);
  EXPECT_EQ(fw.timers.conn[conn].flags & TOE_FW_CONN_RETX, 0u);
}

// The keep-alives in port.sent from `from`: <SEQ=una-1><ACK>, no data.
std::vector<uint64_t> keepalives(const std::vector<SentFrame>& sent, size_t from, uint32_t una) {
  std::vector<uint64_t> at;
  for (size_t i = from; i < sent.size(); ++i) {
    net::Frame f;
    if (is_tcp(sent[i], net::kAck, &f) && f.payload_len == 0 && f.tcp.seq == una - 1) at.push_back(sent[i].at_us);
  }
  return at;
}

TEST_F(FwModel, KeepaliveOffByDefault) {
  boot();
  establish(40000);
  const size_t mark = port.sent.size();
  run_for(60 * kSec);
  EXPECT_EQ(port.sent.size(), mark) << "an idle connection is left alone";
  EXPECT_EQ(fw.stats.keepalives, 0u);
}

TEST_F(FwModel, KeepaliveProbesAnIdlePeer) {
  cfg.keepalive_idle_s = 10;
  cfg.keepalive_intvl_s = 2;
  cfg.keepalive_probes = 3;
  boot();
  net::Frame sa;
  const uint32_t conn = establish(40000, &sa);
  const uint32_t una = sa.tcp.seq + 1 + 10;
  size_t mark = port.sent.size();
  host_send(port, conn, 0, 10);
  ASSERT_TRUE(run_until([&] { return data_segments(port.sent, mark).size() == 1; }, 1000));
  port.inject(tcp_to_engine(40000, 80, 1001, una, net::kAck));
  run_for(100);
  const uint64_t idle_from = port.now_us();
  EXPECT_NE(fw.timers.conn[conn].flags & TOE_FW_CONN_KEEPALIVE, 0u);
  // Idle 10 s: a keep-alive.
  mark = port.sent.size();
  ASSERT_TRUE(run_until([&] { return !keepalives(port.sent, mark, una).empty(); }, 11 * kSec, 1000));
  EXPECT_NEAR(double(keepalives(port.sent, mark, una)[0] - idle_from) / 1e6, 10.0, 0.01);
  // Answered (the ACK a live peer sends to an old sequence number): idle again from here.
  port.inject(tcp_to_engine(40000, 80, 1001, una, net::kAck));
  run_for(100);
  const uint64_t answered = port.now_us();
  EXPECT_EQ(fw.stats.keepalives_answered, 1u);
  mark = port.sent.size();
  ASSERT_TRUE(run_until([&] { return !keepalives(port.sent, mark, una).empty(); }, 11 * kSec, 1000));
  EXPECT_NEAR(double(keepalives(port.sent, mark, una)[0] - answered) / 1e6, 10.0, 0.01);
  // Now silent: keep-alives 2 s apart, three in all, then give_up 2 s after the last.
  ASSERT_TRUE(run_until(
      [&] {
        port.drain_host_events();
        return timed_out(port, conn);
      },
      10 * kSec, 1000));
  const std::vector<uint64_t> ka = keepalives(port.sent, mark, una);
  ASSERT_EQ(ka.size(), 3u);
  EXPECT_NEAR(double(ka[1] - ka[0]) / 1e6, 2.0, 0.01);
  EXPECT_NEAR(double(ka[2] - ka[1]) / 1e6, 2.0, 0.01);
  EXPECT_EQ(rsts(port.sent, mark), 1u);
  EXPECT_EQ(fw.stats.keepalives, 4u);
  EXPECT_EQ(fw.stats.give_ups, 1u);
  EXPECT_EQ(port.conn_state(conn), uint32_t(TOE_STATE_CLOSED));
}

TEST_F(FwModel, KeepaliveIdleLongerThanTheClockWraps) {
  // RFC 1122's two hours is longer than the 32-bit microsecond clock reaches (35 min): the idle
  // time goes in chunks, and the first keep-alive still leaves at 7200 s.
  cfg.keepalive_idle_s = 7200;
  boot();
  net::Frame sa;
  const uint32_t conn = establish(40000, &sa);
  const uint32_t una = sa.tcp.seq + 1;
  const uint64_t idle_from = port.now_us();
  const size_t mark = port.sent.size();
  EXPECT_NE(fw.timers.conn[conn].flags & TOE_FW_CONN_KEEPALIVE, 0u) << "the handshake's retx_disarm";
  ASSERT_TRUE(run_until([&] { return !keepalives(port.sent, mark, una).empty(); }, 7300 * kSec, kSec));
  EXPECT_NEAR(double(keepalives(port.sent, mark, una)[0] - idle_from) / 1e6, 7200.0, 0.2);
}

TEST_F(FwModel, FreedForgetsTheConnection) {
  cfg.keepalive_idle_s = 10;
  boot();
  const uint32_t conn = establish(40000);
  EXPECT_NE(fw.timers.conn[conn].flags, 0u);
  port.host_command(conn, TOE_CMD_ABORT);
  run_for(1000);
  EXPECT_EQ(fw.timers.conn[conn].flags, 0u);
  EXPECT_EQ(fw.stats.freed, 1u);
  // Nothing more for the freed connection: no keep-alive, no command the engine drops.
  const uint32_t no_conn = port.host_read(TOE_REG_CNT_DROP_NO_CONN_OFFSET);
  run_for(30 * kSec);
  EXPECT_EQ(fw.stats.keepalives, 0u);
  EXPECT_EQ(port.host_read(TOE_REG_CNT_DROP_NO_CONN_OFFSET), no_conn);
}

}  // namespace
