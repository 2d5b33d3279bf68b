// SPDX-License-Identifier: Apache-2.0
// The harness's idle skipping (Harness::skip_idle_until, EngineApi::skip_idle) against clocking
// every cycle, on the engine TOE_ENGINE names (the rtl.* twin: RtlEngine's taps of the RTL's flops).
//
// Two harnesses get the same stimulus at the same cycles: one clocks every cycle, the other skips
// idle spans. The stimulus makes the time matter: the ISN clock (no fixed ISN: the SYN-ACK's and
// the SYN's ISN come from it), the harness's slow-path timers (SYN-ACK, SYN and data
// retransmissions with backoff, the delayed ACK, TIME_WAIT's 2*MSL), and the challenge-ACK token
// bucket (a small burst refilled every 2,000 clocks, drained by segments that draw challenge
// ACKs). After every step of the scenario the wire (every frame with its cycle), the events, the
// state changes, every counter, the outputs and the cycle must be equal; and the skipping harness
// must have skipped most of the clocks (else the test proves nothing).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine_fixture.hpp"

namespace toe::test {
namespace {

class HarnessSkip : public EngineTest {
 protected:
  std::unique_ptr<sim::Harness> every;  // clocks every cycle; h (the fixture's) skips

  void start_both() {
    ecfg.clock_mhz = 10;  // 1 ms = 10,000 clocks: the RTL twin clocks every one in well under a second
    ecfg.fixed_isn_en = false;
    ecfg.chal_conn_cycles = 0;  // 1 ms per connection
    ecfg.chal_global_burst = 2;
    ecfg.chal_global_cycles = 2000;
    hcfg.timers = true;
    hcfg.rto_initial_ms = 1;
    hcfg.rto_max_ms = 4;
    hcfg.max_retries = 3;
    hcfg.msl_ms = 1;
    hcfg.delayed_ack_ms = 1;
    hcfg.idle_skip = true;
    start();
    sim::HarnessConfig c = hcfg;
    c.idle_skip = false;
    every = make_harness_or_skip(ecfg, c);
  }
  void inject(const std::vector<uint8_t>& f) {
    h->inject(f);
    every->inject(f);
  }
  // Both to `cycle`, then compared; returns the skipping harness's new frames.
  std::vector<Seg> run_to(uint64_t cycle) {
    h->run_to(cycle);
    every->run_to(cycle);
    compare();
    every->take_output();
    std::vector<Seg> out;
    for (const auto& f : h->take_output()) out.push_back(decode(f));
    return out;
  }
  std::vector<Seg> run_ms(double ms) { return run_to(h->cycle() + uint64_t(ms * 1000 * ecfg.clock_mhz)); }

  void compare() {
    const sim::Harness& s = *h;
    const sim::Harness& e = *every;
    ASSERT_EQ(s.cycle(), e.cycle());
    ASSERT_EQ(s.wire_log().size(), e.wire_log().size()) << "frames on the wire by cycle " << e.cycle();
    for (size_t i = 0; i < e.wire_log().size(); ++i) {
      ASSERT_EQ(s.wire_log()[i].cycle, e.wire_log()[i].cycle) << "frame " << i;
      ASSERT_EQ(s.wire_log()[i].out, e.wire_log()[i].out) << "frame " << i;
      ASSERT_EQ(s.wire_log()[i].data, e.wire_log()[i].data) << "frame " << i << " at cycle " << e.wire_log()[i].cycle;
    }
    ASSERT_EQ(s.events().size(), e.events().size()) << "events by cycle " << e.cycle();
    for (size_t i = 0; i < e.events().size(); ++i) {
      ASSERT_EQ(s.events()[i].type, e.events()[i].type) << "event " << i;
      ASSERT_EQ(s.events()[i].conn, e.events()[i].conn) << "event " << i;
      ASSERT_EQ(s.events()[i].value, e.events()[i].value) << "event " << i;
    }
    ASSERT_EQ(s.state_log().size(), e.state_log().size());
    for (size_t i = 0; i < e.state_log().size(); ++i) {
      ASSERT_EQ(s.state_log()[i].cycle, e.state_log()[i].cycle) << "state change " << i;
      ASSERT_EQ(s.state_log()[i].conn, e.state_log()[i].conn) << "state change " << i;
      ASSERT_EQ(s.state_log()[i].to, e.state_log()[i].to) << "state change " << i;
    }
    for (size_t c = 0; c < size_t(model::Counter::kCount); ++c) {
      const auto k = static_cast<model::Counter>(c);
      ASSERT_EQ(s.engine().counter(k), e.engine().counter(k)) << model::to_string(k) << " at " << e.cycle();
    }
    ASSERT_EQ(s.engine().outputs().rx_tready, e.engine().outputs().rx_tready);
    ASSERT_EQ(s.engine().outputs().cmd_ready, e.engine().outputs().cmd_ready);
    ASSERT_EQ(s.engine().outputs().tx.tvalid, e.engine().outputs().tx.tvalid);
    ASSERT_EQ(s.engine().outputs().evt_valid, e.engine().outputs().evt_valid);
  }

  static const Seg* find(const std::vector<Seg>& v, uint8_t flags) {
    for (const Seg& s : v)
      if (s.flags == flags) return &s;
    return nullptr;
  }
};

// The first clocks after the reset: nothing is queued, but the engine initialises its tables
// (Buckets clocks, rx_tready and cmd_ready 0), so a skip must not jump over them: a listen and a
// SYN offered right after get the same SYN-ACK on the same cycle as when every cycle is clocked.
TEST_F(HarnessSkip, AnIdleStartWhileTheTablesAreInitialisedMatchesClockingEveryCycle) {
  start_both();
  const uint64_t c0 = h->cycle();
  ASSERT_LT(c0, 8u) << "the fixture's start ran past the tables' initialisation: the test proves nothing";
  run_to(c0 + 2000);
  ASSERT_GT(h->skipped_cycles(), 1000u) << "the skipping harness skipped little: the test proves nothing";
  h->listen(kPort, sim::App::kEcho);
  every->listen(kPort, sim::App::kEcho);
  inject(seg(net::kSyn, kPeerIss, 0));
  const std::vector<Seg> out = run_to(c0 + 2400);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, net::kSyn | net::kAck);
}

TEST_F(HarnessSkip, SkippingIdleSpansMatchesClockingEveryCycle) {
  start_both();
  h->listen(kPort, sim::App::kEcho);
  every->listen(kPort, sim::App::kEcho);
  run_ms(0.3);

  // A SYN whose SYN-ACK is never acknowledged at first: the harness's RTO (1, 2, 4 ms) resends it.
  net::TcpOptions mss;
  mss.has_mss = true;
  mss.mss = 1460;
  inject(seg(net::kSyn, kPeerIss, 0, "", 65535, mss));
  const std::vector<Seg> synacks = run_ms(5.5);
  ASSERT_GE(synacks.size(), 3u) << "the SYN-ACK and two retransmissions";
  const uint32_t iss = synacks[0].seq;
  for (const Seg& s : synacks) EXPECT_EQ(s.flags, net::kSyn | net::kAck);

  // The handshake completes; data is echoed and the echo is not acknowledged: data retransmissions.
  inject(seg(net::kAck, kPeerIss + 1, iss + 1));
  run_ms(0.2);
  ASSERT_EQ(h->accepted().size(), 1u);
  const uint32_t conn = h->accepted()[0];
  const std::string msg = "idle skipping must not change a thing";
  inject(seg(net::kAck | net::kPsh, kPeerIss + 1, iss + 1, msg));
  const std::vector<Seg> echo = run_ms(4.0);
  ASSERT_FALSE(echo.empty());
  size_t with_data = 0;
  for (const Seg& s : echo) with_data += s.len == msg.size() ? 1 : 0;
  EXPECT_GE(with_data, 2u) << "the echo and its retransmission";

  // Segments that draw challenge ACKs (a SYN on the connection, RFC 5961 4.2), more than the
  // global bucket holds, with idle spans between them that refill it.
  const uint32_t nxt = kPeerIss + 1 + uint32_t(msg.size());
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 4; ++i) inject(seg(net::kSyn, nxt + 100, 0));
    run_ms(0.15 + 0.35 * round);
  }
  EXPECT_GT(count(model::Counter::kChallengeAckLimited), 0u) << "the bucket ran dry at least once";

  // The echo acknowledged, the peer closes: the echo app closes, the last ACK frees the connection.
  inject(seg(net::kAck, nxt, iss + 1 + uint32_t(msg.size())));
  inject(seg(net::kFin | net::kAck, nxt, iss + 1 + uint32_t(msg.size())));
  const std::vector<Seg> fin = run_ms(1.0);
  const Seg* f = find(fin, net::kFin | net::kAck);
  ASSERT_NE(f, nullptr) << "the engine's FIN after the peer's";
  inject(seg(net::kAck, nxt + 1, f->seq + 1));
  run_ms(0.5);
  EXPECT_EQ(state(conn), TcpState::CLOSED);

  // An active open into silence (SYN retransmissions), then answered; the host closes first, so
  // the connection ends in TIME_WAIT, which the harness's 2*MSL timer expires.
  const net::MacAddr mac = peer_mac();
  const uint32_t tag = h->connect(kPeerIp, kPeerPort + 1, 81, mac);
  every->connect(kPeerIp, kPeerPort + 1, 81, mac);
  const std::vector<Seg> syns = run_ms(3.5);
  ASSERT_GE(syns.size(), 2u);
  const uint32_t aconn = h->conn_of_tag(tag);
  const uint32_t aiss = syns[0].seq;
  inject(seg(net::kSyn | net::kAck, 9000, aiss + 1, "", 65535, mss, kPeerPort + 1, 81));
  run_ms(0.3);
  ASSERT_EQ(state(aconn), TcpState::ESTABLISHED);
  h->close(aconn);
  every->close(aconn);
  const std::vector<Seg> afin = run_ms(0.3);
  ASSERT_NE(find(afin, net::kFin | net::kAck), nullptr);
  inject(seg(net::kFin | net::kAck, 9001, aiss + 2, "", 65535, {}, kPeerPort + 1, 81));
  run_ms(0.5);
  EXPECT_EQ(state(aconn), TcpState::TIME_WAIT);
  run_ms(3.0);
  EXPECT_EQ(state(aconn), TcpState::CLOSED) << "2*MSL (2 ms) expired";

  // Most clocks were skipped, or this test compared nothing.
  EXPECT_GT(h->skipped_cycles(), h->cycle() / 2) << h->skipped_cycles() << " of " << h->cycle();
  EXPECT_EQ(every->skipped_cycles(), 0u);
}

}  // namespace
}  // namespace toe::test
