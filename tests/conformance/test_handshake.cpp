// SPDX-License-Identifier: Apache-2.0
// CONFORMANCE.md HS1-HS10: opening a connection (RFC 9293 3.10.7.1-3.10.7.3, seeds).
#include "engine_fixture.hpp"

using namespace toe;
using namespace toe::net;
using namespace toe::test;

class Conformance : public EngineTest {};

TEST_F(Conformance, HS1_ClosedPortWithoutAckGetsRstAck) {
  start();
  auto out = exchange(seg(kSyn, 777, 0, "abc"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kRst | kAck);
  EXPECT_EQ(out[0].seq, 0u);
  EXPECT_EQ(out[0].ack, 777u + 1 + 3);  // SEG.SEQ + SEG.LEN (SYN counts)
  EXPECT_EQ(out[0].dport, kPeerPort);
  EXPECT_EQ(count(model::Counter::kRstSent), 1u);
}

TEST_F(Conformance, HS1_ClosedPortWithAckGetsBareRstAtSegAck) {
  start();
  auto out = exchange(seg(kAck, 777, 123456));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kRst);
  EXPECT_EQ(out[0].seq, 123456u);
}

TEST_F(Conformance, HS1_NeverAnswerARst) {
  start();
  EXPECT_TRUE(exchange(seg(kRst, 777, 0)).empty());
  EXPECT_TRUE(exchange(seg(kRst | kAck, 777, 5)).empty());
}

TEST_F(Conformance, HS1_AckToListenGetsRst) {
  start();
  h->listen(kPort);
  run_quiet();
  auto out = exchange(seg(kAck, 10, 9999));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kRst);
  EXPECT_EQ(out[0].seq, 9999u);
}

TEST_F(Conformance, HS2_ListenSynGetsSynAckWithMssAndWindowScale) {
  start();
  h->listen(kPort);
  run_quiet();
  TcpOptions o;
  o.has_mss = true;
  o.mss = 1400;
  o.has_wscale = true;
  o.wscale = 5;
  auto out = exchange(seg(kSyn, kPeerIss, 0, "", 65535, o));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kSyn | kAck);
  EXPECT_EQ(out[0].seq, kIss);
  EXPECT_EQ(out[0].ack, kPeerIss + 1);
  EXPECT_TRUE(out[0].opts.has_mss);
  EXPECT_EQ(out[0].opts.mss, ecfg.mss);
  EXPECT_TRUE(out[0].opts.has_wscale);
  EXPECT_EQ(out[0].opts.wscale, ecfg.rcv_wscale);
  // Without a window scale offer there is none in the answer.
  auto out2 = exchange(seg(kSyn, 9, 0, "", 65535, TcpOptions{}, kPeerPort + 1));
  ASSERT_EQ(out2.size(), 1u);
  EXPECT_FALSE(out2[0].opts.has_wscale);
}

TEST_F(Conformance, HS2_ListenDropsRstAndSynRst) {
  start();
  h->listen(kPort);
  run_quiet();
  EXPECT_TRUE(exchange(seg(kRst, 1, 0)).empty());
  EXPECT_TRUE(exchange(seg(kSyn | kRst, 1, 0)).empty());
  EXPECT_EQ(h->engine().active_sessions(), 0u);
}

TEST_F(Conformance, HS2_DataOnSynIsNotQueued) {
  start();
  h->listen(kPort);
  run_quiet();
  auto out = exchange(seg(kSyn, kPeerIss, 0, "early data"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].ack, kPeerIss + 1);  // documented choice: only the SYN is acknowledged
}

TEST_F(Conformance, HS3_SynSentUnacceptableAckGetsRst) {
  Seg syn;
  const uint32_t c = open_active(&syn);
  ASSERT_EQ(syn.flags, kSyn);
  EXPECT_EQ(state(c), TcpState::SYN_SENT);
  for (uint32_t bad_ack : {kIss, kIss + 2, kIss - 5}) {
    auto out = exchange(seg(kSyn | kAck, 300, bad_ack, "", 65535, {}, kPeerPort, kPort));
    ASSERT_EQ(out.size(), 1u) << bad_ack;
    EXPECT_EQ(out[0].flags, kRst);
    EXPECT_EQ(out[0].seq, bad_ack);
    EXPECT_EQ(state(c), TcpState::SYN_SENT);
  }
}

TEST_F(Conformance, HS4_SynSentRstOnlyWithAcceptableAck) {
  const uint32_t c = open_active();
  EXPECT_TRUE(exchange(seg(kRst, 0, 0)).empty());  // bare RST ignored
  EXPECT_EQ(state(c), TcpState::SYN_SENT);
  EXPECT_TRUE(exchange(seg(kRst | kAck, 0, kIss + 1)).empty());
  EXPECT_EQ(state(c), TcpState::CLOSED);
  EXPECT_TRUE(h->saw(model::EvtType::kReset, c));
}

TEST_F(Conformance, HS5_SimultaneousOpen) {
  const uint32_t c = open_active();
  const uint64_t syn_sent = h->engine().tcb(c).last_tx_cycle;
  // The peer's SYN crosses ours.
  auto out = exchange(seg(kSyn, kPeerIss, 0));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_GT(h->engine().tcb(c).last_tx_cycle, syn_sent);  // the SYN-ACK restarts the retransmission clock
  EXPECT_EQ(out[0].flags, kSyn | kAck);
  EXPECT_EQ(out[0].seq, kIss);
  EXPECT_EQ(out[0].ack, kPeerIss + 1);
  EXPECT_EQ(state(c), TcpState::SYN_RECEIVED);
  EXPECT_FALSE(h->engine().tcb(c).passive);  // MUST-11: remembers it was active
  // The peer's SYN-ACK completes it.
  out = exchange(seg(kSyn | kAck, kPeerIss, kIss + 1));
  // A SYN in SYN-RECEIVED with our SYN acknowledged: challenge ACK (RFC 5961 4)
  out = exchange(seg(kAck, kPeerIss + 1, kIss + 1));
  EXPECT_EQ(state(c), TcpState::ESTABLISHED);
  EXPECT_TRUE(h->saw(model::EvtType::kConnected, c));
  EXPECT_FALSE(h->saw(model::EvtType::kAccepted, c));
}

TEST_F(Conformance, HS6_SynReceivedBadSeqGetsAckBadAckGetsRst) {
  start();
  h->listen(kPort);
  run_quiet();
  exchange(seg(kSyn, kPeerIss, 0));
  const uint32_t c = h->state_log().back().conn;
  ASSERT_EQ(state(c), TcpState::SYN_RECEIVED);
  auto out = exchange(seg(kAck, kPeerIss + 100000, kIss + 1));  // out of window
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kAck);
  EXPECT_EQ(out[0].seq, kIss + 1);
  EXPECT_EQ(out[0].ack, kPeerIss + 1);
  EXPECT_EQ(state(c), TcpState::SYN_RECEIVED);
  out = exchange(seg(kAck, kPeerIss + 1, kIss + 7));  // in window, bad ACK
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kRst);
  EXPECT_EQ(out[0].seq, kIss + 7);
  EXPECT_EQ(state(c), TcpState::SYN_RECEIVED);
}

TEST_F(Conformance, HS7_SynInSynReceived) {
  start();
  h->listen(kPort);
  run_quiet();
  exchange(seg(kSyn, kPeerIss, 0));
  const uint32_t c = h->state_log().back().conn;
  // The same SYN again: our SYN-ACK was lost: answered again.
  auto out = exchange(seg(kSyn, kPeerIss, 0));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kSyn | kAck);
  EXPECT_EQ(out[0].seq, kIss);
  // A different SYN: challenge ACK, no state change (documented choice).
  out = exchange(seg(kSyn, kPeerIss + 500, 0));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kAck);
  EXPECT_EQ(out[0].ack, kPeerIss + 1);
  EXPECT_EQ(state(c), TcpState::SYN_RECEIVED);
}

TEST_F(Conformance, HS8_HostEventsAtTheRightPoints) {
  // accept() completes on the final ACK, not on the SYN.
  start();
  h->listen(kPort);
  run_quiet();
  exchange(seg(kSyn, kPeerIss, 0));
  EXPECT_FALSE(h->saw(model::EvtType::kAccepted));
  exchange(seg(kAck, kPeerIss + 1, kIss + 1));
  EXPECT_TRUE(h->saw(model::EvtType::kAccepted));
  // connect() completes when the SYN-ACK arrives and the ACK is sent.
  const uint32_t tag = h->connect(kPeerIp, 7000, 50000, peer_mac());
  auto out = run_quiet();
  const uint32_t c = h->conn_of_tag(tag);
  EXPECT_FALSE(h->saw(model::EvtType::kConnected, c));
  out = exchange(seg(kSyn | kAck, 42, kIss + 1, "", 65535, {}, 7000, 50000));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kAck);
  EXPECT_EQ(out[0].ack, 43u);
  EXPECT_TRUE(h->saw(model::EvtType::kConnected, c));
  EXPECT_EQ(state(c), TcpState::ESTABLISHED);
}

TEST_F(Conformance, HS9_SynAndSynAckRetransmittedWithBackoffThenTimedOut) {
  hcfg.timers = true;
  hcfg.rto_initial_ms = 1;  // short virtual timers keep the test fast; the policy is the same
  hcfg.max_retries = 3;
  ecfg.clock_mhz = 10;
  start();
  const uint32_t tag = h->connect(kPeerIp, kPeerPort, kPort, peer_mac());
  std::vector<uint64_t> syn_cycles;
  h->on_tx_frame = [&](const std::vector<uint8_t>& f) {
    if (decode(f).flags == kSyn) syn_cycles.push_back(h->cycle());
  };
  h->run_ms(40);
  const uint32_t c = h->conn_of_tag(tag);
  ASSERT_EQ(syn_cycles.size(), 4u);  // first + 3 retries
  const uint64_t g1 = syn_cycles[1] - syn_cycles[0], g2 = syn_cycles[2] - syn_cycles[1],
                 g3 = syn_cycles[3] - syn_cycles[2];
  EXPECT_GT(g2, g1 * 3 / 2);  // exponential backoff (timer granularity 1024 cycles)
  EXPECT_GT(g3, g2 * 3 / 2);
  EXPECT_TRUE(h->saw(model::EvtType::kTimedOut, c));
  EXPECT_EQ(state(c), TcpState::CLOSED);
}

TEST_F(Conformance, HS9_LostFinalAckRecoveredBySynAckRetransmission) {
  hcfg.timers = true;
  hcfg.rto_initial_ms = 1;
  ecfg.clock_mhz = 10;
  start();
  h->listen(kPort);
  run_quiet();
  exchange(seg(kSyn, kPeerIss, 0));
  // The final ACK is lost: the SYN-ACK comes again after the RTO.
  h->run_ms(1.5);
  auto out = h->take_output();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(decode(out[0]).flags, kSyn | kAck);
  exchange(seg(kAck, kPeerIss + 1, kIss + 1));
  EXPECT_EQ(h->accepted().size(), 1u);
}

TEST_F(Conformance, HS10_OldDuplicateSynAckAnsweredWithRst) {
  // An old SYN-ACK for nothing we sent (no connection): RST with SEQ = SEG.ACK.
  start();
  auto out = exchange(seg(kSyn | kAck, 90000, 4242));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kRst);
  EXPECT_EQ(out[0].seq, 4242u);
}

TEST_F(Conformance, HS10_PassiveSideReturnsToListenOnRst) {
  // Seed: an old duplicate SYN reaches the server; the client answers the
  // SYN-ACK with RST; the server frees the half-open connection and keeps listening.
  start();
  h->listen(kPort);
  run_quiet();
  exchange(seg(kSyn, 100, 0));  // old duplicate
  const uint32_t c = h->state_log().back().conn;
  EXPECT_EQ(state(c), TcpState::SYN_RECEIVED);
  EXPECT_TRUE(exchange(seg(kRst, 101, 0)).empty());
  EXPECT_EQ(state(c), TcpState::CLOSED);
  EXPECT_EQ(h->engine().active_sessions(), 0u);
  // The real connection now succeeds.
  auto out = exchange(seg(kSyn, kPeerIss, 0));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kSyn | kAck);
  EXPECT_EQ(out[0].ack, kPeerIss + 1);
}
