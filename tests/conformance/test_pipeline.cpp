// SPDX-License-Identifier: Apache-2.0
// The pipeline itself (issue 3, items 2 and 3): initiation interval 1 for
// back-to-back segments of one connection, fixed latencies, datapath widths,
// and real backpressure on the streams.
#include <cstdio>
#include <map>

#include "engine_fixture.hpp"

using namespace toe;
using namespace toe::net;
using namespace toe::test;

class Pipeline : public EngineTest {
 protected:
  // Cycles from the cycle the last beat of `frame` is accepted to the cycle
  // the first beat of the engine's answer is valid on m_axis_tx.
  uint64_t latency_of(const std::vector<uint8_t>& frame) {
    h->inject(frame);
    uint64_t last_in = 0, first_out = 0;
    for (int i = 0; i < 10000 && !first_out; ++i) {
      const size_t before = h->rx_pending();
      h->step();
      if (before && !h->rx_pending()) last_in = h->cycle() - 1;
      if (h->engine().outputs().tx.tvalid) first_out = h->cycle();
    }
    run_quiet();
    return first_out - last_in;
  }
};

TEST_F(Pipeline, SynToSynAckAndDataToAckLatencyAtMost12Cycles) {
  for (uint32_t width : {1u, 8u}) {
    ecfg.data_bytes = width;
    start();
    h->listen(kPort);
    run_quiet();
    const uint64_t syn_lat = latency_of(seg(kSyn, kPeerIss, 0));
    exchange(seg(kAck, kPeerIss + 1, kIss + 1));
    const uint64_t data_lat = latency_of(seg(kAck | kPsh, kPeerIss + 1, kIss + 1, "0123456789"));
    EXPECT_LE(syn_lat, 12u) << "width " << width;
    EXPECT_LE(data_lat, 12u) << "width " << width;
    EXPECT_EQ(syn_lat, data_lat);  // one fixed pipeline latency
    std::printf("datapath %u bits: SYN->SYN-ACK %llu cycles, data->ACK %llu cycles\n", width * 8,
                static_cast<unsigned long long>(syn_lat), static_cast<unsigned long long>(data_lat));
  }
}

TEST_F(Pipeline, BackToBackSegmentsOfOneConnectionAtOnePerClock) {
  // 512-bit datapath: a 64-byte segment is one beat, so the state machine sees
  // one segment of the same connection every clock (forwarding, no stall).
  ecfg.data_bytes = 64;
  ecfg.ack_every = 100000;  // no ACK per segment: the test is about the rx side
  start();
  const uint32_t c = establish_passive();
  const int n = 2000;
  for (int i = 0; i < n; ++i) {
    const std::string p = std::to_string(i % 10) + "abcdefghi";  // 10 bytes: 54 + 10 = one beat
    h->inject(seg(kAck, kPeerIss + 1 + 10 * uint32_t(i), kIss + 1, p));
  }
  const uint64_t c0 = h->cycle();
  uint64_t stalls = 0;
  while (h->rx_pending()) {
    stalls += !h->engine().outputs().rx_tready;
    h->step();
  }
  const uint64_t cycles = h->cycle() - c0;
  run_quiet();
  EXPECT_EQ(stalls, 0u);
  EXPECT_EQ(cycles, uint64_t(n));  // II = 1
  EXPECT_EQ(h->engine().tcb(c).rcv_nxt, kPeerIss + 1 + 10 * n);
  EXPECT_EQ(h->bytes_received(c), 10u * n);
  const auto& r = h->received(c);
  bool in_order = true;
  for (int i = 0; i < n; ++i) in_order &= r[10 * size_t(i)] == char('0' + i % 10);
  EXPECT_TRUE(in_order);
}

TEST_F(Pipeline, IdleCyclesAndBackpressureChangeTimingNotBehaviour) {
  // The same exchange with and without idle input cycles / output backpressure,
  // at 8- and 64-bit datapaths: the same byte stream comes back and the
  // connection ends in the same state (segment boundaries of the echo may
  // differ, since the host echoes whatever has arrived when it looks).
  std::string reference;
  for (uint32_t width : {8u, 1u}) {
    for (double p : {0.0, 0.3, 0.7}) {
      ecfg.data_bytes = width;
      hcfg.rx_idle = p;
      hcfg.tx_backpressure = p;
      hcfg.seed = 1234;
      app = sim::App::kEcho;
      start();
      const uint32_t c = establish_passive();
      for (int i = 0; i < 20; ++i)
        h->inject(seg(kAck | kPsh, kPeerIss + 1 + 100 * uint32_t(i), kIss + 1, std::string(100, char('a' + i))));
      ASSERT_TRUE(h->run_until_idle(5000000));
      std::string echoed;
      for (const auto& f : h->wire_log()) {
        if (!f.out) continue;
        const Seg s = decode(f.data);
        echoed.append(s.payload.begin(), s.payload.end());
      }
      EXPECT_EQ(echoed.size(), 2000u) << "width " << width << " p " << p;
      EXPECT_EQ(h->engine().tcb(c).rcv_nxt, kPeerIss + 2001) << "width " << width << " p " << p;
      EXPECT_EQ(h->engine().tcb(c).snd_nxt, kIss + 2001) << "width " << width << " p " << p;
      if (reference.empty())
        reference = echoed;
      else
        EXPECT_TRUE(echoed == reference) << "width " << width << " p " << p << ": echoed stream differs";
    }
  }
}

TEST_F(Pipeline, SessionsParameterSmallAndLarge) {
  for (uint32_t sessions : {16u, 65536u}) {
    ecfg.sessions = sessions;
    ecfg.rx_buf_bytes = ecfg.tx_buf_bytes = 256;
    start();
    const uint32_t c = establish_passive();
    EXPECT_LT(c, sessions);
    EXPECT_EQ(h->engine().sessions(), sessions);
    EXPECT_EQ(state(c), TcpState::ESTABLISHED);
  }
}

TEST_F(Pipeline, FewerFrameSlotsBackPressureTheStreamAndLoseNothing) {
  // rx_slots (RxSlots): frames wait in a slot until their payload is copied; s_axis_rx_tready
  // needs 3 slots spare, so 4 slots take one frame at a time. Every byte still arrives in order.
  std::map<uint32_t, uint64_t> stalls;
  for (uint32_t slots : {16u, 4u}) {
    ecfg.data_bytes = 1;
    ecfg.rx_slots = slots;
    ecfg.rx_buf_bytes = ecfg.tx_buf_bytes = 16384;  // the RTL builds s16_d1 and s16_d1_r4
    ecfg.ack_every = 100000;
    start();
    const uint32_t c = establish_passive();
    const int n = 50;
    for (int i = 0; i < n; ++i) {
      const std::string p = std::to_string(i % 10) + std::string(99, char('a' + i % 26));  // 100 bytes
      h->inject(seg(kAck, kPeerIss + 1 + 100 * uint32_t(i), kIss + 1, p));
    }
    uint64_t low = 0;
    for (int guard = 0; h->rx_pending() && guard < 1000000; ++guard) {
      low += !h->engine().outputs().rx_tready;
      h->step();
    }
    run_quiet();
    stalls[slots] = low;
    EXPECT_EQ(h->engine().tcb(c).rcv_nxt, kPeerIss + 1 + 100 * n) << "rx_slots " << slots;
    ASSERT_EQ(h->bytes_received(c), 100u * n) << "rx_slots " << slots;
    const auto& r = h->received(c);
    bool in_order = true;
    for (int i = 0; i < n; ++i) in_order &= r[100 * size_t(i)] == char('0' + i % 10);
    EXPECT_TRUE(in_order) << "rx_slots " << slots;
    EXPECT_EQ(h->engine().counter(model::Counter::kDropMalformed), 0u);
  }
  EXPECT_EQ(stalls[16], 0u);  // at 8 bits a frame's copy ends long before 13 more frames arrive
  EXPECT_GT(stalls[4], 0u);   // one frame at a time
  std::printf("8-bit datapath, 50 back-to-back 154-byte frames: rx_tready low %llu cycles with 16 slots, "
              "%llu with 4\n", static_cast<unsigned long long>(stalls[16]),
              static_cast<unsigned long long>(stalls[4]));
}

TEST_F(Pipeline, BadParametersAreRefusedWithAClearError) {
  model::EngineConfig bad;
  bad.sessions = 0;
  EXPECT_THROW(model::Engine{bad}, std::invalid_argument);
  bad = {};
  bad.data_bytes = 3;
  EXPECT_THROW(model::Engine{bad}, std::invalid_argument);
  bad = {};
  bad.rx_buf_bytes = 1000;
  try {
    model::Engine e(bad);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("rx_buf_bytes"), std::string::npos);
  }
}
