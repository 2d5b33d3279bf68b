// SPDX-License-Identifier: Apache-2.0
// Idle skipping in the TLM device (DeviceTlmConfig::idle_skip): two DeviceTlm side by side in one
// simulation, one skipping idle clocks and one evaluating every clock, get the same register
// accesses and the same frames at the same times: connections from several peer ports opened,
// data sent, closed, with idle gaps of 1 us to 2 ms between the steps. Everything the ports show
// must be equal: every frame on the wire with its time, every event with its time, the irq line's
// every change and its time, every bus response with its annotated delay, the clock count and the
// counters read over the bus at the end. And the skipping device must have skipped most clocks
// (else the comparison proves nothing), and (the model) spanned the busy clocks of each
// full-size segment, its beats and its copy (DeviceEngine::run_span). test_idle_skip_rtl runs the same with the Verilated
// toe_engine on both sides (TOE_PLATFORM_ENGINE "rtl": RtlDeviceEngine's own idle test and
// fast-forward of toe_tables' time registers), one seed.
#include <gtest/gtest.h>

#include <systemc>

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "tlm_bench.hpp"
#include "toe_defs.h"
#include "toe_regs.h"

#ifndef TOE_PLATFORM_ENGINE
#define TOE_PLATFORM_ENGINE "model"
#endif

namespace {

const bool kRtl = std::string(TOE_PLATFORM_ENGINE) == "rtl";

using namespace toe;
using namespace toe::platform_test;
using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_US;

sc::DeviceTlmConfig config(bool skip) {
  sc::DeviceTlmConfig c;
  c.params.sessions = 16;
  c.params.data_bytes = 8;
  c.params.rx_buf_bytes = kRtl ? 16384 : 4096;  // the RTL: a Verilated build's (s16_d8)
  c.params.tx_buf_bytes = kRtl ? 16384 : 4096;
  c.engine = TOE_PLATFORM_ENGINE;
  c.idle_skip = skip;
  return c;
}

struct Side : sc_core::sc_module {
  sc::DeviceTlm dev;
  TlmInitiator cpu{"cpu"};
  sc_core::sc_signal<bool> irq{"irq"};
  sc_core::sc_fifo<sc::EthFrame> in{"in", 64}, out{"out", 64};
  std::vector<sc::EthFrame> wire;                        // frames the device sent
  std::vector<std::pair<bool, sc_time>> irq_changes;     // irq's every change
  SC_HAS_PROCESS(Side);
  Side(sc_core::sc_module_name n, bool skip) : sc_core::sc_module(n), dev("dev", config(skip)) {
    dev.host.bind(cpu.socket);
    dev.irq(irq);
    dev.eth_rx(in);
    dev.eth_tx(out);
    SC_THREAD(drain);
    SC_METHOD(on_irq);
    sensitive << irq;
    dont_initialize();
  }
  void drain() {
    for (;;) wire.push_back(out.read());
  }
  void on_irq() { irq_changes.push_back({irq.read(), sc_core::sc_time_stamp()}); }
};

struct Twin : sc_core::sc_module {
  Side skip{"skip", true}, every{"every", false};
  std::mt19937_64 rng;
  std::vector<std::string> failures;
  std::vector<uint32_t> host_events;  // EVQ_EVENT of each host event taken (both sides agree)
  bool done = false;
  SC_HAS_PROCESS(Twin);
  Twin(sc_core::sc_module_name n, uint64_t seed) : sc_core::sc_module(n), rng(seed) { SC_THREAD(script); }

  void fail(const std::string& what) { failures.push_back(what + " at " + sc_core::sc_time_stamp().to_string()); }

  // The same access on both at this time; both answers must agree; then wait for it.
  uint32_t access(bool write, uint32_t addr, uint32_t data = 0) {
    const TlmInitiator::Result a = write ? skip.cpu.write(addr, data) : skip.cpu.read(addr);
    const TlmInitiator::Result b = write ? every.cpu.write(addr, data) : every.cpu.read(addr);
    if (a.status != b.status || a.data != b.data || a.delay != b.delay)
      fail("bus access 0x" + std::to_string(addr) + " answered differently");
    wait(a.delay);
    return a.data;
  }
  void frame(const std::vector<uint8_t>& f) {
    const sc_time now = sc_core::sc_time_stamp();
    skip.in.write({f, now});
    every.in.write({f, now});
  }
  void gap() {
    const uint64_t us = 1 + rng() % (uint64_t(2) << (rng() % 11));  // 1 us .. 2 ms
    wait(sc_time(double(us), SC_US));
  }
  // The sequence number of the SYN-ACK the skipping side sent last to `sport` (0: none).
  uint32_t synack_seq(uint16_t sport) {
    for (auto it = skip.wire.rbegin(); it != skip.wire.rend(); ++it) {
      net::Frame f;
      if (net::parse_frame(it->data, f) == net::ParseError::kOk && f.has_tcp && f.tcp.dst_port == sport &&
          (f.tcp.flags & net::kSyn) && (f.tcp.flags & net::kAck))
        return f.tcp.seq;
    }
    return 0;
  }

  void script() {
    const auto& m = kLocalMac.b;
    access(true, TOE_REG_MAC_ADDR_LO_OFFSET, uint32_t(m[2]) << 24 | uint32_t(m[3]) << 16 | uint32_t(m[4]) << 8 | m[5]);
    access(true, TOE_REG_MAC_ADDR_HI_OFFSET, uint32_t(m[0]) << 8 | m[1]);
    access(true, TOE_REG_IPV4_ADDR_OFFSET, kLocalIp);
    access(true, TOE_REG_CLOCK_MHZ_OFFSET, 125);
    access(true, TOE_REG_INTR_ENABLE_OFFSET, 0xFFFFFFFFu);
    access(true, TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK);
    access(true, TOE_REG_CMD_PORTS_OFFSET, 80);
    access(true, TOE_REG_CMD_OFFSET, TOE_CMD_LISTEN);
    for (int c = 0; c < 12; ++c) {
      const uint16_t sport = uint16_t(41000 + c);
      gap();
      frame(tcp_frame(sport, 80, 5000, 0, net::kSyn));
      wait(sc_time(20, SC_US));
      const uint32_t iss = synack_seq(sport);
      if (iss == 0) fail("no SYN-ACK to port " + std::to_string(sport));
      gap();
      frame(tcp_frame(sport, 80, 5001, iss + 1, net::kAck, "hello, idle world"));
      gap();
      // a full-size segment right behind a short one: its beats and its copy are busy spans
      const std::string bulk(1400 + rng() % 60, char('a' + c));
      frame(tcp_frame(sport, 80, 5001 + 17, iss + 1, net::kAck, "0123456789"));
      frame(tcp_frame(sport, 80, 5001 + 27, iss + 1, net::kAck | net::kPsh, bulk));
      gap();
      if (rng() % 2) frame(tcp_frame(sport, 80, 5001 + 27 + uint32_t(bulk.size()), iss + 1, net::kAck | net::kFin));
      if (rng() % 4 == 0) frame(std::vector<uint8_t>(30, 0x55));  // junk: a drop, the DROP interrupt
      gap();
      // the host takes its events (accepted, data, peer_closed) from the host event queue
      int accepted = -1;
      while ((access(false, TOE_REG_EVQ_STATUS_OFFSET) & TOE_REG_EVQ_STATUS_COUNT_MASK) != 0) {
        const uint32_t ev = access(false, TOE_REG_EVQ_EVENT_OFFSET);
        host_events.push_back(ev);
        if ((ev & TOE_REG_EVQ_EVENT_EVT_MASK) == TOE_EVT_ACCEPTED) accepted = int(access(false, TOE_REG_EVQ_CONN_OFFSET));
        access(true, TOE_REG_EVQ_POP_OFFSET, TOE_REG_EVQ_POP_POP_MASK);
      }
      // the host sends 1,000 bytes on it (a bus write per word): the segment's beats are a span
      if (accepted >= 0 && rng() % 2) {
        access(true, TOE_REG_CONN_SEL_OFFSET, uint32_t(accepted));
        access(true, TOE_REG_TX_WIN_BASE_OFFSET, 0);
        for (uint32_t w = 0; w < 1000; w += 4) access(true, TOE_REG_TX_WINDOW_BASE + w, 0x01010101u * (w / 4 + c));
        access(true, TOE_REG_CMD_VALUE_OFFSET, 1000);
        access(true, TOE_REG_CMD_OFFSET, TOE_CMD_TX_PUSH);
        gap();
      }
      if (rng() % 3 == 0) access(false, TOE_REG_INTR_STATE_OFFSET);
      if (rng() % 3 == 0) access(true, TOE_REG_INTR_STATE_OFFSET, 0xFFFFFFFFu);  // w1c: irq drops
      if (rng() % 5 == 0) access(false, 0x3FC);  // a hole
    }
    wait(sc_time(50, SC_US));
    for (uint32_t a = TOE_REG_CNT_FRAMES_IN_OFFSET; a <= TOE_REG_CNT_ARP_IN_OFFSET; a += 4) access(false, a);
    done = true;
    sc_core::sc_stop();
  }
};

TEST(IdleSkip, TheSkippingDeviceShowsWhatTheDeviceEvaluatingEveryClockShows) {
  // The RTL evaluating every clock takes ~10 s a seed: one seed there.
  for (uint64_t seed = 1; seed <= (kRtl ? 1u : 3u); ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    fresh_simulation();
    Twin t("twin", seed);
    sc_core::sc_start(sc_time(200, sc_core::SC_MS));
    ASSERT_TRUE(t.done) << "the script did not finish";
    for (const std::string& f : t.failures) ADD_FAILURE() << f;
    // the wire, frame by frame, with times
    ASSERT_EQ(t.skip.wire.size(), t.every.wire.size());
    for (size_t i = 0; i < t.skip.wire.size(); ++i) {
      EXPECT_EQ(t.skip.wire[i].data, t.every.wire[i].data) << "frame " << i;
      EXPECT_EQ(t.skip.wire[i].time, t.every.wire[i].time) << "frame " << i;
    }
    // the events, with times
    const std::vector<sc::TimedEvent> es = t.skip.dev.take_events(), ee = t.every.dev.take_events();
    ASSERT_EQ(es.size(), ee.size());
    for (size_t i = 0; i < es.size(); ++i) {
      EXPECT_EQ(es[i].time, ee[i].time) << "event " << i;
      EXPECT_EQ(es[i].evt.type, ee[i].evt.type) << "event " << i;
      EXPECT_EQ(es[i].evt.conn, ee[i].evt.conn) << "event " << i;
      EXPECT_EQ(es[i].evt.value, ee[i].evt.value) << "event " << i;
    }
    EXPECT_EQ(t.skip.irq_changes, t.every.irq_changes);
    EXPECT_EQ(t.skip.dev.cycles(), t.every.dev.cycles());
    // it did something, and the skipping side skipped most of it
    EXPECT_GE(t.skip.wire.size(), 24u);
    size_t data_frames = 0;  // the host's sends: their beats were spans on the model
    for (const sc::EthFrame& f : t.skip.wire) data_frames += f.data.size() > 500 ? 1 : 0;
    EXPECT_GE(data_frames, 2u);
    EXPECT_GE(es.size(), 12u);
    EXPECT_GE(t.host_events.size(), 24u) << "accepted and data of each connection";
    EXPECT_GE(t.skip.irq_changes.size(), 2u);
    EXPECT_STREQ(t.skip.dev.engine_kind(), TOE_PLATFORM_ENGINE);
    EXPECT_EQ(t.every.dev.skipped_cycles(), 0u);
    EXPECT_GT(t.skip.dev.skipped_cycles(), t.skip.dev.cycles() * 9 / 10)
        << t.skip.dev.skipped_cycles() << " of " << t.skip.dev.cycles();
    // busy spans: the model spans the full-size segments' beats and copies (12 of ~180 clocks
    // each at least); the Verilated engine has none
    EXPECT_EQ(t.every.dev.spanned_cycles(), 0u);
    if (kRtl)
      EXPECT_EQ(t.skip.dev.spanned_cycles(), 0u);
    else
      EXPECT_GT(t.skip.dev.spanned_cycles(), 12u * 2u * 100u) << "the busy spans were never taken";
  }
}

}  // namespace
