// SPDX-License-Identifier: Apache-2.0
// CONFORMANCE.md FN1-FN5, TW1-TW4: closing (RFC 9293 3.6, the seeds' four-way close).
#include "engine_fixture.hpp"

using namespace toe;
using namespace toe::net;
using namespace toe::test;

class Conformance : public EngineTest {
 protected:
  // Timers on (MSL 5 ms at 10 MHz), a passive connection closed by us and then by the peer:
  // returns it in TIME-WAIT, 2*MSL (10 ms) from now.
  uint32_t enter_time_wait() {
    hcfg.timers = true;
    hcfg.msl_ms = 5;
    ecfg.clock_mhz = 10;
    start();
    const uint32_t c = establish_passive();
    h->close(c);
    run_quiet();
    exchange(seg(kAck | kFin, kPeerIss + 1, kIss + 2));
    return c;
  }
};

TEST_F(Conformance, FN1_FinBeyondAGapWaitsForTheGap) {
  const uint32_t c = establish_passive();
  // "abc" is lost; "def"+FIN arrives: out of order, duplicate ACK, FIN not taken.
  auto out = exchange(seg(kAck | kFin, kPeerIss + 4, kIss + 1, "def"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].ack, kPeerIss + 1);
  EXPECT_EQ(state(c), TcpState::ESTABLISHED);
  // The gap fills, then the retransmitted FIN is accepted.
  out = exchange(seg(kAck, kPeerIss + 1, kIss + 1, "abc"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].ack, kPeerIss + 4);
  out = exchange(seg(kAck | kFin, kPeerIss + 4, kIss + 1, "def"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].ack, kPeerIss + 8);
  EXPECT_EQ(state(c), TcpState::CLOSE_WAIT);
  EXPECT_EQ(std::string(h->received(c).begin(), h->received(c).end()), "abcdef");
}

TEST_F(Conformance, FN2_HalfCloseCloseWaitSideStillSends) {
  // Seed: data sent by the CLOSE_WAIT side after the peer's FIN.
  const uint32_t c = establish_passive();
  auto out = exchange(seg(kAck | kFin, kPeerIss + 1, kIss + 1));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kAck);
  EXPECT_EQ(out[0].ack, kPeerIss + 2);
  EXPECT_EQ(state(c), TcpState::CLOSE_WAIT);
  EXPECT_TRUE(h->saw(model::EvtType::kPeerClosed, c));
  h->send(c, "still talking");
  out = run_quiet();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].len, 13u);
  EXPECT_EQ(out[0].seq, kIss + 1);
  EXPECT_EQ(std::string(out[0].payload.begin(), out[0].payload.end()), "still talking");
  exchange(seg(kAck, kPeerIss + 2, kIss + 14));
  // Data after the peer's FIN is ignored.
  exchange(seg(kAck, kPeerIss + 2, kIss + 14, "late"));
  EXPECT_EQ(h->bytes_received(c), 0u);
  EXPECT_EQ(h->engine().tcb(c).rcv_nxt, kPeerIss + 2);
}

TEST_F(Conformance, FN3_SimultaneousCloseThroughClosing) {
  const uint32_t c = establish_passive();
  h->close(c);
  auto out = run_quiet();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kFin | kAck);
  EXPECT_EQ(out[0].seq, kIss + 1);
  EXPECT_EQ(state(c), TcpState::FIN_WAIT_1);
  // The peer's FIN crosses ours (it does not ACK our FIN).
  out = exchange(seg(kAck | kFin, kPeerIss + 1, kIss + 1));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].ack, kPeerIss + 2);
  EXPECT_EQ(state(c), TcpState::CLOSING);
  exchange(seg(kAck, kPeerIss + 2, kIss + 2));
  EXPECT_EQ(state(c), TcpState::TIME_WAIT);
}

TEST_F(Conformance, FN3_FinAckOfOurFinGoesStraightToTimeWait) {
  const uint32_t c = establish_passive();
  h->close(c);
  run_quiet();
  auto out = exchange(seg(kAck | kFin, kPeerIss + 1, kIss + 2));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].ack, kPeerIss + 2);
  EXPECT_EQ(state(c), TcpState::TIME_WAIT);
}

TEST_F(Conformance, FN4_FinAtZeroWindowAccepted) {
  // Documented policy: a bare FIN at RCV.NXT needs no buffer space and is taken at zero window.
  ecfg.rx_buf_bytes = 64;
  app = sim::App::kHold;
  start();
  const uint32_t c = establish_passive();
  auto out = exchange(seg(kAck, kPeerIss + 1, kIss + 1, std::string(64, 'w')));
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].win, 0u);
  out = exchange(seg(kAck | kFin, kPeerIss + 65, kIss + 1));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].ack, kPeerIss + 66);
  EXPECT_EQ(state(c), TcpState::CLOSE_WAIT);
}

TEST_F(Conformance, FN5_FourWayCloseActiveRoleEveryStateLogged) {
  // The engine closes first: ESTABLISHED -> FIN_WAIT_1 -> FIN_WAIT_2 -> TIME_WAIT -> CLOSED.
  lint_allow.clear();
  hcfg.timers = true;
  hcfg.msl_ms = 1;
  start();
  const uint32_t c = establish_passive();
  h->close(c);
  auto out = run_quiet();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kFin | kAck);
  exchange(seg(kAck, kPeerIss + 1, kIss + 2));
  EXPECT_EQ(state(c), TcpState::FIN_WAIT_2);
  out = exchange(seg(kAck | kFin, kPeerIss + 1, kIss + 2));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kAck);
  EXPECT_EQ(out[0].ack, kPeerIss + 2);
  EXPECT_EQ(state(c), TcpState::TIME_WAIT);
  h->run_ms(3);
  EXPECT_EQ(state(c), TcpState::CLOSED);
  const std::vector<TcpState> want = {TcpState::CLOSED,     TcpState::SYN_RECEIVED, TcpState::ESTABLISHED,
                                      TcpState::FIN_WAIT_1, TcpState::FIN_WAIT_2,   TcpState::TIME_WAIT,
                                      TcpState::CLOSED};
  EXPECT_EQ(h->states_of(c), want);
}

TEST_F(Conformance, FN5_FourWayClosePassiveRoleEveryStateLogged) {
  // The peer closes first: ESTABLISHED -> CLOSE_WAIT -> LAST_ACK -> CLOSED.
  lint_allow.clear();
  const uint32_t c = establish_passive();
  auto out = exchange(seg(kAck | kFin, kPeerIss + 1, kIss + 1));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(state(c), TcpState::CLOSE_WAIT);
  h->close(c);
  out = run_quiet();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kFin | kAck);
  EXPECT_EQ(out[0].seq, kIss + 1);
  EXPECT_EQ(out[0].ack, kPeerIss + 2);
  EXPECT_EQ(state(c), TcpState::LAST_ACK);
  exchange(seg(kAck, kPeerIss + 2, kIss + 2));
  EXPECT_EQ(state(c), TcpState::CLOSED);
  EXPECT_TRUE(h->saw(model::EvtType::kClosed, c));
  const std::vector<TcpState> want = {TcpState::CLOSED,     TcpState::SYN_RECEIVED, TcpState::ESTABLISHED,
                                      TcpState::CLOSE_WAIT, TcpState::LAST_ACK,     TcpState::CLOSED};
  EXPECT_EQ(h->states_of(c), want);
}

TEST_F(Conformance, FN5_ActiveOpenActiveCloseStatesLogged) {
  lint_allow.clear();
  hcfg.timers = true;
  hcfg.msl_ms = 1;
  start();
  Seg syn;
  const uint32_t c = open_active(&syn);
  EXPECT_EQ(syn.flags, kSyn);
  exchange(seg(kSyn | kAck, kPeerIss, kIss + 1));
  EXPECT_EQ(state(c), TcpState::ESTABLISHED);
  h->close(c);
  run_quiet();
  exchange(seg(kAck | kFin, kPeerIss + 1, kIss + 2));
  h->run_ms(3);
  const std::vector<TcpState> want = {TcpState::CLOSED,    TcpState::SYN_SENT,  TcpState::ESTABLISHED,
                                      TcpState::FIN_WAIT_1, TcpState::TIME_WAIT, TcpState::CLOSED};
  EXPECT_EQ(h->states_of(c), want);
}

TEST_F(Conformance, TW1_TimeWaitLastsTwoMsl) {
  const uint32_t c = enter_time_wait();
  ASSERT_EQ(state(c), TcpState::TIME_WAIT);
  h->run_ms(9.5);
  EXPECT_EQ(state(c), TcpState::TIME_WAIT);  // not before 2*MSL = 10 ms
  h->run_ms(1);
  EXPECT_EQ(state(c), TcpState::CLOSED);
}

TEST_F(Conformance, TW2_RetransmittedFinReAckedAndRestarts2Msl) {
  // Seed: a retransmitted FIN in TIME_WAIT is re-ACKed.
  const uint32_t c = enter_time_wait();
  h->run_ms(8);
  auto out = exchange(seg(kAck | kFin, kPeerIss + 1, kIss + 2));  // our last ACK was lost
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kAck);
  EXPECT_EQ(out[0].ack, kPeerIss + 2);
  h->run_ms(8);
  EXPECT_EQ(state(c), TcpState::TIME_WAIT);  // restarted: 16 ms after entry, 8 after the FIN
  // A FIN with a garbage sequence number gets an ACK but does not restart the timer.
  out = exchange(seg(kAck | kFin, kPeerIss + 9999, kIss + 2));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kAck);
  h->run_ms(3);
  EXPECT_EQ(state(c), TcpState::CLOSED);
}

TEST_F(Conformance, TW2_SynFinIsNotAFinRetransmission) {
  const uint32_t c = enter_time_wait();
  ASSERT_EQ(state(c), TcpState::TIME_WAIT);
  h->run_ms(8);
  // SYN and FIN count two: this one ends exactly at RCV.NXT, as a retransmitted FIN would.
  auto out = exchange(seg(kSyn | kFin | kAck, kPeerIss, kIss + 2));
  for (const Seg& s : out) EXPECT_EQ(s.flags & kRst, 0) << s.str();
  h->run_ms(3);
  EXPECT_EQ(state(c), TcpState::CLOSED);  // 2*MSL was not restarted
}

TEST_F(Conformance, TW3_RstInTimeWaitIgnored) {
  const uint32_t c = establish_passive();
  h->close(c);
  run_quiet();
  exchange(seg(kAck | kFin, kPeerIss + 1, kIss + 2));
  ASSERT_EQ(state(c), TcpState::TIME_WAIT);
  EXPECT_TRUE(exchange(seg(kRst, kPeerIss + 2, 0)).empty());
  EXPECT_EQ(state(c), TcpState::TIME_WAIT);  // RFC 1337
}

TEST_F(Conformance, TW4_SynInTimeWaitGetsChallengeAck) {
  const uint32_t c = establish_passive();
  h->close(c);
  run_quiet();
  exchange(seg(kAck | kFin, kPeerIss + 1, kIss + 2));
  auto out = exchange(seg(kSyn, kPeerIss + 100000, 0));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kAck);
  EXPECT_EQ(out[0].seq, kIss + 2);
  EXPECT_EQ(out[0].ack, kPeerIss + 2);
  EXPECT_EQ(state(c), TcpState::TIME_WAIT);
}

TEST_F(Conformance, FN5_CloseInSynReceivedWithDataWaitsForEstablished) {
  // RFC 9293 3.10.4: CLOSE in SYN-RECEIVED with data queued: queue it until ESTABLISHED.
  start();
  h->listen(kPort);
  run_quiet();
  exchange(seg(kSyn, kPeerIss, 0));
  const uint32_t c = h->state_log().back().conn;
  h->send(c, std::string(30, 'q'));
  h->close(c);
  EXPECT_TRUE(run_quiet().empty());  // nothing before our SYN is acknowledged
  EXPECT_EQ(state(c), TcpState::SYN_RECEIVED);
  auto out = exchange(seg(kAck, kPeerIss + 1, kIss + 1));
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(state(c), TcpState::FIN_WAIT_1);
  EXPECT_EQ(out[0].seq, kIss + 1);
  EXPECT_EQ(out[0].len, 30u);
  EXPECT_EQ(out.back().flags & kFin, kFin);
}
