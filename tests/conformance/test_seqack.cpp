// SPDX-License-Identifier: Apache-2.0
// CONFORMANCE.md SQ1-SQ7: sequence and ACK checks (RFC 9293 3.10.7.4, RFC 5961 5).
#include "engine_fixture.hpp"

using namespace toe;
using namespace toe::net;
using namespace toe::test;

class Conformance : public EngineTest {
 protected:
  // Established with a small receive buffer so window edges are easy to probe.
  uint32_t small_window_conn(uint32_t rx_bytes = 4096) {
    ecfg.rx_buf_bytes = rx_bytes;
    app = sim::App::kHold;  // the host never reads: the window only closes
    start();
    return establish_passive();
  }
};

TEST_F(Conformance, SQ1_FourCaseAcceptabilityAtTheWindowEdges) {
  const uint32_t c = small_window_conn(4096);
  const uint32_t rcv_nxt = kPeerIss + 1, wnd = 4096;
  const uint32_t snd_nxt = kIss + 1;
  // len > 0, wnd > 0: a segment starting at RCV.NXT+WND-1 is acceptable (its first byte is in window).
  auto out = exchange(seg(kAck, rcv_nxt + wnd - 1, snd_nxt, "x"));
  ASSERT_EQ(out.size(), 1u);  // out of order: immediate duplicate ACK, data dropped
  EXPECT_EQ(out[0].ack, rcv_nxt);
  EXPECT_EQ(count(model::Counter::kDropUnacceptable), 0u);
  // RCV.NXT+WND: unacceptable -> <SEQ=SND.NXT><ACK=RCV.NXT><ACK>
  out = exchange(seg(kAck, rcv_nxt + wnd, snd_nxt, "x"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kAck);
  EXPECT_EQ(out[0].seq, snd_nxt);
  EXPECT_EQ(out[0].ack, rcv_nxt);
  EXPECT_EQ(count(model::Counter::kDropUnacceptable), 1u);
  // RCV.NXT-1 with one byte: entirely old: unacceptable.
  out = exchange(seg(kAck, rcv_nxt - 1, snd_nxt, "x"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(count(model::Counter::kDropUnacceptable), 2u);
  // len = 0 at RCV.NXT-1: unacceptable; at RCV.NXT+WND-1: acceptable (no reply).
  out = exchange(seg(kAck, rcv_nxt - 1, snd_nxt));
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(count(model::Counter::kDropUnacceptable), 3u);
  out = exchange(seg(kAck, rcv_nxt + wnd - 1, snd_nxt));
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(count(model::Counter::kDropUnacceptable), 3u);
  // No state change from any of it, and no window update from an unacceptable segment.
  EXPECT_EQ(h->engine().tcb(c).rcv_nxt, rcv_nxt);
  const uint32_t wnd_before = h->engine().tcb(c).snd_wnd;
  exchange(seg(kAck, rcv_nxt + wnd + 10, snd_nxt, "", 100));
  EXPECT_EQ(h->engine().tcb(c).snd_wnd, wnd_before);
  EXPECT_EQ(state(c), TcpState::ESTABLISHED);
}

TEST_F(Conformance, SQ2_ZeroWindowZeroLengthAtRcvNxtIsAcceptable) {
  const uint32_t c = small_window_conn(64);
  // Fill the receive buffer (the host does not read).
  auto out = exchange(seg(kAck | kPsh, kPeerIss + 1, kIss + 1, std::string(64, 'a')));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].win, 0u);
  EXPECT_EQ(h->engine().tcb(c).rcv_nxt, kPeerIss + 65);
  const uint64_t before = count(model::Counter::kDropUnacceptable);
  out = exchange(seg(kAck, kPeerIss + 65, kIss + 1));  // len 0 at RCV.NXT, window 0
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(count(model::Counter::kDropUnacceptable), before);
  // Data at zero window is unacceptable.
  out = exchange(seg(kAck, kPeerIss + 65, kIss + 1, "b"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].ack, kPeerIss + 65);
  EXPECT_EQ(count(model::Counter::kDropUnacceptable), before + 1);
}

TEST_F(Conformance, SQ3_AckBitOffInSynchronizedStateDropped) {
  const uint32_t c = establish_passive();
  auto out = exchange(seg(kPsh, kPeerIss + 1, 0, "data"));
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(h->engine().tcb(c).rcv_nxt, kPeerIss + 1);
  EXPECT_EQ(h->bytes_received(c), 0u);
}

TEST_F(Conformance, SQ4_AckOfUnsentDataGetsAckAndIsDropped) {
  const uint32_t c = establish_passive();
  auto out = exchange(seg(kAck | kPsh, kPeerIss + 1, kIss + 100, "data"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kAck);
  EXPECT_EQ(out[0].seq, kIss + 1);
  EXPECT_EQ(out[0].ack, kPeerIss + 1);  // the data was not taken
  EXPECT_EQ(h->engine().tcb(c).rcv_nxt, kPeerIss + 1);
}

TEST_F(Conformance, SQ5_AckBelowSndUnaMinusMaxWindowGetsAck) {
  const uint32_t c = establish_passive();
  h->send(c, std::string(100, 'z'));
  auto out = run_quiet();
  ASSERT_EQ(out.size(), 1u);
  exchange(seg(kAck, kPeerIss + 1, kIss + 101));  // all acked, SND.UNA = ISS+101
  // An ACK far below SND.UNA - MAX.SND.WND (65535): challenge ACK, data dropped.
  out = exchange(seg(kAck | kPsh, kPeerIss + 1, kIss + 101 - 70000, "data"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kAck);
  EXPECT_EQ(out[0].ack, kPeerIss + 1);
  EXPECT_EQ(h->engine().tcb(c).rcv_nxt, kPeerIss + 1);
  // Within SND.UNA - MAX.SND.WND: an old duplicate ACK: data accepted.
  out = exchange(seg(kAck | kPsh, kPeerIss + 1, kIss + 50, "data"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].ack, kPeerIss + 5);
}

TEST_F(Conformance, SQ6_WindowUpdateOnlyInRangeAndByWl1Wl2) {
  const uint32_t c = establish_passive();
  EXPECT_EQ(h->engine().tcb(c).snd_wnd, 65535u);
  // In range, newer segment: update.
  exchange(seg(kAck, kPeerIss + 1, kIss + 1, "", 1000));
  EXPECT_EQ(h->engine().tcb(c).snd_wnd, 1000u);
  // ACK beyond SND.NXT: no update (and dropped).
  exchange(seg(kAck, kPeerIss + 1, kIss + 5, "", 2000));
  EXPECT_EQ(h->engine().tcb(c).snd_wnd, 1000u);
  // Data moves RCV.NXT and, being newer, the window (WL1 = PeerIss+1).
  exchange(seg(kAck | kPsh, kPeerIss + 1, kIss + 1, "abcd", 1500));
  EXPECT_EQ(h->engine().tcb(c).snd_wnd, 1500u);
  // SEQ == WL1 and ACK >= WL2: allowed.
  exchange(seg(kAck, kPeerIss + 5, kIss + 1, "", 3000));  // SEQ > WL1: newer
  EXPECT_EQ(h->engine().tcb(c).snd_wnd, 3000u);
  exchange(seg(kAck, kPeerIss + 5, kIss + 1, "", 3500));  // SEQ == WL1, ACK == WL2
  EXPECT_EQ(h->engine().tcb(c).snd_wnd, 3500u);
  // An out-of-order segment ahead sets WL1 beyond RCV.NXT ...
  exchange(seg(kAck, kPeerIss + 105, kIss + 1, "x", 4000));
  EXPECT_EQ(h->engine().tcb(c).snd_wnd, 4000u);
  // ... so an in-order but older segment (SEQ < WL1) cannot move the window.
  exchange(seg(kAck, kPeerIss + 5, kIss + 1, "", 5000));
  EXPECT_EQ(h->engine().tcb(c).snd_wnd, 4000u);
}

TEST_F(Conformance, SQ7_ArithmeticAcrossTheWrapBothDirections) {
  // Peer ISN just below 2^32; the engine's ISN just below 2^32 too.
  ecfg.fixed_isn = 0xFFFFFFF0u;
  start();
  h->listen(kPort);
  run_quiet();
  const uint32_t piss = 0xFFFFFFFAu;
  auto out = exchange(seg(kSyn, piss, 0));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].ack, piss + 1);
  exchange(seg(kAck, piss + 1, 0xFFFFFFF1u));
  const uint32_t c = h->accepted().at(0);
  // 20 bytes from the peer cross 2^32.
  out = exchange(seg(kAck | kPsh, piss + 1, 0xFFFFFFF1u, std::string(20, 'p')));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].ack, piss + 21);  // wrapped
  EXPECT_EQ(h->bytes_received(c), 20u);
  // 40 bytes from the engine cross 2^32.
  h->send(c, std::string(40, 'e'));
  out = run_quiet();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].seq, 0xFFFFFFF1u);
  EXPECT_EQ(out[0].len, 40u);
  exchange(seg(kAck, piss + 21, 0xFFFFFFF1u + 40));
  EXPECT_EQ(h->engine().tcb(c).snd_una, 0x19u);
  EXPECT_TRUE(h->saw(model::EvtType::kAcked, c));
}

TEST_F(Conformance, TM3_DelayedAckEverySecondSegmentOrAfterTheDelay) {
  // ack_every = 2: the second full segment is ACKed at once; a lone segment after the
  // delayed-ACK timer (firmware's; played by the harness) expires.
  ecfg.ack_every = 2;
  ecfg.clock_mhz = 10;
  hcfg.timers = true;
  hcfg.delayed_ack_ms = 1;
  start();
  const uint32_t c = establish_passive();
  auto out = exchange(seg(kAck | kPsh, kPeerIss + 1, kIss + 1, std::string(100, 'a')));
  EXPECT_TRUE(out.empty());  // owed, not sent yet
  out = exchange(seg(kAck | kPsh, kPeerIss + 101, kIss + 1, std::string(100, 'b')));
  ASSERT_EQ(out.size(), 1u);  // every second segment
  EXPECT_EQ(out[0].ack, kPeerIss + 201);
  out = exchange(seg(kAck | kPsh, kPeerIss + 201, kIss + 1, std::string(100, 'c')));
  EXPECT_TRUE(out.empty());
  h->run_ms(1.5);  // the delayed-ACK timer fires
  auto late = h->take_output();
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(decode(late[0]).ack, kPeerIss + 301);
  EXPECT_EQ(h->bytes_received(c), 300u);
  // Out-of-order data is ACKed at once whatever the policy.
  out = exchange(seg(kAck | kPsh, kPeerIss + 1000, kIss + 1, "x"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].ack, kPeerIss + 301);
}
