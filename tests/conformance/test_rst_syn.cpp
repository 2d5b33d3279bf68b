// SPDX-License-Identifier: Apache-2.0
// CONFORMANCE.md RS1-RS3, SY1: RST and SYN in synchronized states (RFC 5961 3, 4, 7).
#include "engine_fixture.hpp"

using namespace toe;
using namespace toe::net;
using namespace toe::test;

class Conformance : public EngineTest {};

TEST_F(Conformance, RS1_RstOutOfWindowDroppedSilently) {
  const uint32_t c = establish_passive();
  EXPECT_TRUE(exchange(seg(kRst, kPeerIss + 1 + 70000, 0)).empty());
  EXPECT_TRUE(exchange(seg(kRst, kPeerIss - 10, 0)).empty());
  EXPECT_EQ(state(c), TcpState::ESTABLISHED);
}

TEST_F(Conformance, RS1_RstAtRcvNxtResets) {
  const uint32_t c = establish_passive();
  EXPECT_TRUE(exchange(seg(kRst, kPeerIss + 1, 0)).empty());
  EXPECT_EQ(state(c), TcpState::CLOSED);
  EXPECT_TRUE(h->saw(model::EvtType::kReset, c));
}

TEST_F(Conformance, RS1_RstInWindowNotExactGetsChallengeAck) {
  const uint32_t c = establish_passive();
  auto out = exchange(seg(kRst, kPeerIss + 100, 0));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kAck);
  EXPECT_EQ(out[0].seq, kIss + 1);
  EXPECT_EQ(out[0].ack, kPeerIss + 1);
  EXPECT_EQ(state(c), TcpState::ESTABLISHED);
  EXPECT_EQ(count(model::Counter::kChallengeAcks), 1u);
}

TEST_F(Conformance, RS1_ChallengeAcksRateLimitedPerConnectionAndGlobally) {
  ecfg.chal_conn_cycles = 1000000;  // one per connection per 1M cycles
  start();
  establish_passive();
  for (int i = 0; i < 10; ++i) exchange(seg(kRst, kPeerIss + 100 + i, 0));
  EXPECT_EQ(count(model::Counter::kChallengeAcks), 1u);
  EXPECT_EQ(count(model::Counter::kChallengeAckLimited), 9u);
}

TEST_F(Conformance, RS1_GlobalChallengeAckBudget) {
  ecfg.chal_global_burst = 3;
  ecfg.chal_global_cycles = 100000000;
  start();
  h->listen(kPort);
  run_quiet();
  // Five connections, one in-window RST each: only three challenge ACKs.
  for (uint16_t p = 1; p <= 5; ++p) {
    exchange(seg(kSyn, 100, 0, "", 65535, {}, p));
    exchange(seg(kAck, 101, kIss + 1, "", 65535, {}, p));
  }
  for (uint16_t p = 1; p <= 5; ++p) exchange(seg(kRst, 150, 0, "", 65535, {}, p));
  EXPECT_EQ(count(model::Counter::kChallengeAcks), 3u);
  EXPECT_EQ(count(model::Counter::kChallengeAckLimited), 2u);
}

TEST_F(Conformance, RS2_RstProcessedAtZeroWindow) {
  ecfg.rx_buf_bytes = 64;
  app = sim::App::kHold;
  start();
  const uint32_t c = establish_passive();
  auto out = exchange(seg(kAck, kPeerIss + 1, kIss + 1, std::string(64, 'x')));
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].win, 0u);
  EXPECT_TRUE(exchange(seg(kRst, kPeerIss + 65, 0)).empty());
  EXPECT_EQ(state(c), TcpState::CLOSED);
}

TEST_F(Conformance, RS3_RstInSynReceivedFromListenReturnsToListen) {
  start();
  h->listen(kPort);
  run_quiet();
  exchange(seg(kSyn, kPeerIss, 0));
  EXPECT_EQ(h->engine().half_open(), 1u);
  exchange(seg(kRst, kPeerIss + 1, 0));
  EXPECT_EQ(h->engine().half_open(), 0u);
  EXPECT_EQ(h->engine().active_sessions(), 0u);
  auto out = exchange(seg(kSyn, kPeerIss + 9, 0));  // the listener is still there
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kSyn | kAck);
}

TEST_F(Conformance, SY1_SynInEstablishedGetsChallengeAckNoStateChange) {
  const uint32_t c = establish_passive();
  for (uint32_t s : {kPeerIss + 1, kPeerIss + 1000, kPeerIss - 1000, 12345u}) {
    auto out = exchange(seg(kSyn, s, 0));
    ASSERT_EQ(out.size(), 1u) << s;
    EXPECT_EQ(out[0].flags, kAck);
    EXPECT_EQ(out[0].seq, kIss + 1);
    EXPECT_EQ(out[0].ack, kPeerIss + 1);
    EXPECT_EQ(state(c), TcpState::ESTABLISHED);
  }
}

TEST_F(Conformance, SY1_ChallengeAckForSynIsRateLimited) {
  ecfg.chal_conn_cycles = 1000000;
  start();
  const uint32_t c = establish_passive();
  size_t acks = 0;
  for (int i = 0; i < 20; ++i) acks += exchange(seg(kSyn, kPeerIss + 7 * i, 0)).size();
  EXPECT_EQ(acks, 1u);
  EXPECT_EQ(state(c), TcpState::ESTABLISHED);
}

TEST_F(Conformance, RS1_SynRstJudgedAsRstFirst) {
  // RFC 9293 3.10.7.4 order: sequence, RST, then SYN. SYN+RST outside the window: dropped silently.
  const uint32_t c = establish_passive();
  EXPECT_TRUE(exchange(seg(kSyn | kRst, kPeerIss - 10, 0)).empty());
  EXPECT_EQ(state(c), TcpState::ESTABLISHED);
  // A RST below RCV.NXT whose text reaches into the window: judged by SEG.SEQ, dropped.
  EXPECT_TRUE(exchange(seg(kRst | kAck, kPeerIss, kIss + 1, "abcde")).empty());
  EXPECT_EQ(state(c), TcpState::ESTABLISHED);
  // SYN+RST at RCV.NXT: reset.
  EXPECT_TRUE(exchange(seg(kSyn | kRst | kAck, kPeerIss + 1, kIss + 1)).empty());
  EXPECT_EQ(state(c), TcpState::CLOSED);
}
