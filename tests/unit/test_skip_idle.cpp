// SPDX-License-Identifier: Apache-2.0
// Idle skipping (EngineDevice::skip_idle, Engine::skip_idle) against clocking every cycle.
//
// Two EngineDevices get the same stimulus: registers programmed over the bus (CLOCK_MHZ and the
// challenge-ACK refill period small, so the ISN clock and the token bucket move within an idle
// span), a listener, then rounds of traffic (SYNs from new peers, ACKs with wrong
// acknowledgement numbers that draw rate-limited challenge ACKs, RSTs) and idle spans of random
// length. In an idle span device A is clocked cycle by cycle and device B skips; after it, and on
// every cycle of the traffic that follows, every output, the cycle count and every counter must
// be equal. The ISN of the next SYN-ACK (the ISN clock), the challenge-ACK limiter's counters
// (the token bucket) and the TCBs tell whether the skip got the time right.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "toe/net/codec.hpp"
#include "toe_regs.h"
#include "top/engine.hpp"

namespace {

using namespace toe;
using model::EngineDevice;
using model::EngineDeviceIn;
using model::EngineDeviceOut;

constexpr uint32_t kLocalIp = 0xC0A80102;
const net::MacAddr kLocalMac{{0x02, 0x11, 0x22, 0x33, 0x44, 0x55}};

model::EngineParams params() {
  model::EngineParams p;
  p.sessions = 16;
  p.data_bytes = 8;
  p.rx_buf_bytes = 4096;
  p.tx_buf_bytes = 4096;
  return p;
}

std::string diff(const EngineDeviceOut& a, const EngineDeviceOut& b) {
  if (a.rx_tready != b.rx_tready) return "rx_tready";
  if (a.cmd_ready != b.cmd_ready) return "cmd_ready";
  if (a.tx.tvalid != b.tx.tvalid || a.tx.tlast != b.tx.tlast || a.tx.tkeep != b.tx.tkeep || a.tx.tdata != b.tx.tdata)
    return "m_axis_tx";
  if (a.evt_valid != b.evt_valid || a.evt.type != b.evt.type || a.evt.conn != b.evt.conn ||
      a.evt.value != b.evt.value || a.evt.lport != b.evt.lport || a.evt.state != b.evt.state)
    return "evt";
  if (a.reg_ready != b.reg_ready || a.reg_valid != b.reg_valid || a.reg_rdata != b.reg_rdata ||
      a.reg_err != b.reg_err)
    return "reg bus";
  if (a.intr != b.intr) return "intr";
  return "";
}

class Pair {
 public:
  Pair() : a_(params()), b_(params()) {}

  // One clock of both with the same inputs; the outputs must agree.
  void clock(const EngineDeviceIn& in) {
    a_.clock(in);
    b_.clock(in);
    check("clock");
  }
  void check(const std::string& where) {
    ASSERT_EQ(diff(a_.outputs(), b_.outputs()), "") << where << ", cycle " << a_.engine().cycle();
    ASSERT_EQ(a_.engine().cycle(), b_.engine().cycle()) << where;
    for (size_t c = 0; c < size_t(model::Counter::kCount); ++c)
      ASSERT_EQ(a_.engine().counter(model::Counter(c)), b_.engine().counter(model::Counter(c)))
          << where << ": counter " << to_string(model::Counter(c));
    for (uint32_t s = 0; s < params().sessions; ++s) {
      ASSERT_EQ(a_.engine().tcb(s).state, b_.engine().tcb(s).state) << where << ": conn " << s;
      ASSERT_EQ(a_.engine().tcb(s).iss, b_.engine().tcb(s).iss) << where << ": conn " << s;
    }
  }
  // n idle clocks: A one by one, B skipping. Returns the clocks B applied at once.
  uint64_t idle(uint64_t n) {
    EngineDeviceIn in;
    for (uint64_t i = 0; i < n; ++i) a_.clock(in);
    const uint64_t skipped = b_.skip_idle(in, n);
    check("after an idle span of " + std::to_string(n));
    return skipped;
  }
  const EngineDeviceOut& out() const { return a_.outputs(); }
  EngineDevice& b() { return b_; }

 private:
  EngineDevice a_, b_;
};

struct Driver {
  Pair& p;
  std::mt19937_64& rng;

  void write(uint32_t addr, uint32_t data) {
    EngineDeviceIn in;
    in.reg_req = in.reg_we = true;
    in.reg_addr = addr;
    in.reg_wdata = data;
    p.clock(in);
    p.clock(EngineDeviceIn{});
  }
  void command(const model::Cmd& c) {
    EngineDeviceIn in;
    in.cmd_valid = true;
    in.cmd = c;
    for (int i = 0; i < 100; ++i) {
      const bool taken = p.out().cmd_ready;
      p.clock(in);
      if (taken) return;
    }
    FAIL() << "command not taken";
  }
  // A frame, beat by beat as tready allows; the transmit side taken at random.
  void frame(const std::vector<uint8_t>& f) {
    size_t pos = 0;
    for (int guard = 0; pos < f.size() && guard < 10000; ++guard) {
      EngineDeviceIn in;
      in.tx_tready = rng() % 4 != 0;
      const size_t n = std::min<size_t>(8, f.size() - pos);
      in.rx.tvalid = true;
      for (size_t i = 0; i < n; ++i) in.rx.tdata[i] = f[pos + i];
      in.rx.tkeep = (1u << n) - 1;
      in.rx.tlast = pos + n == f.size();
      const bool taken = p.out().rx_tready;
      p.clock(in);
      if (taken) pos += n;
    }
  }
  void drain(int cycles) {
    for (int i = 0; i < cycles; ++i) {
      EngineDeviceIn in;
      in.tx_tready = rng() % 3 != 0;
      p.clock(in);
    }
  }
  std::vector<uint8_t> tcp(uint32_t ip, uint16_t port, uint32_t seq, uint32_t ack, uint8_t flags) {
    net::EthHeader eth;
    eth.dst = kLocalMac;
    eth.src = net::MacAddr{{0x02, 0xAA, 0, 0, 0, uint8_t(ip)}};
    net::Ipv4Header iph;
    iph.src = ip;
    iph.dst = kLocalIp;
    iph.ttl = 64;
    net::TcpHeader t;
    t.src_port = port;
    t.dst_port = 80;
    t.seq = seq;
    t.ack = ack;
    t.flags = flags;
    t.window = 65535;
    return net::build_tcp_frame(eth, iph, t, nullptr, 0);
  }
};

TEST(SkipIdle, SameOutputsCountersAndTcbsAsClockingEveryCycle) {
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937_64 rng(seed);
    Pair p;
    Driver d{p, rng};
    p.clock(EngineDeviceIn{});
    const uint32_t clock_mhz[] = {1, 3, 125};
    const uint32_t refill[] = {0, 7, 1000};
    const auto& m = kLocalMac.b;
    d.write(TOE_REG_MAC_ADDR_LO_OFFSET, uint32_t(m[2]) << 24 | uint32_t(m[3]) << 16 | uint32_t(m[4]) << 8 | m[5]);
    d.write(TOE_REG_MAC_ADDR_HI_OFFSET, uint32_t(m[0]) << 8 | m[1]);
    d.write(TOE_REG_IPV4_ADDR_OFFSET, kLocalIp);
    d.write(TOE_REG_CLOCK_MHZ_OFFSET, clock_mhz[seed % 3]);
    d.write(TOE_REG_CHAL_GLOBAL_BURST_OFFSET, 2);
    d.write(TOE_REG_CHAL_GLOBAL_CYCLES_OFFSET, refill[(seed / 3) % 3]);
    d.write(TOE_REG_CHAL_CONN_CYCLES_OFFSET, 1);
    d.write(TOE_REG_INTR_ENABLE_OFFSET, 0xFFFFFFFFu);
    d.write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK);
    model::Cmd listen;
    listen.op = model::CmdOp::kListen;
    listen.port = 80;
    d.command(listen);
    if (::testing::Test::HasFatalFailure()) return;

    uint64_t skipped = 0;
    uint32_t count = 0;
    uint32_t peer = 0x0A000001;
    for (int round = 0; round < 30; ++round) {
      // traffic: a new peer's SYN (its SYN-ACK carries the ISN of this moment), ACKs with a
      // wrong acknowledgement number on a connection (challenge ACKs, rate-limited), an RST
      for (int k = 0; k < 3; ++k) {
        ++peer;
        const uint16_t port = uint16_t(40000 + round);
        d.frame(d.tcp(peer, port, 1000, 0, net::kSyn));
        d.drain(40);
        // complete the handshake with the ISS the engine chose (read from its TCB) ...
        uint32_t iss = 0;
        for (uint32_t s = 0; s < params().sessions; ++s) {
          const model::Tcb& t = p.b().engine().tcb(s);
          if (t.rip == peer && t.rport == port && t.state == TcpState::SYN_RECEIVED) iss = t.iss;
        }
        d.frame(d.tcp(peer, port, 1001, iss + 1, net::kAck));
        // ... then in-window RSTs and SYNs that are not exact: challenge ACKs, rate-limited
        d.frame(d.tcp(peer, port, 1011, 0, net::kRst));
        d.frame(d.tcp(peer, port, 1021, 0, net::kSyn));
        d.frame(d.tcp(peer, port, 1031, 0, net::kRst));
        if (rng() % 3 == 0) d.frame(d.tcp(peer, port, 1001, 0, net::kRst));  // exact: closes it
        if (::testing::Test::HasFatalFailure()) return;
      }
      d.drain(300);
      // the host takes its events (accepted, reset ...): a full host queue holds the engine's
      while (p.b().peek_reg(TOE_REG_EVQ_STATUS_OFFSET, &count), (count & TOE_REG_EVQ_STATUS_COUNT_MASK) != 0)
        d.write(TOE_REG_EVQ_POP_OFFSET, TOE_REG_EVQ_POP_POP_MASK);
      if (::testing::Test::HasFatalFailure()) return;
      // an idle span: 1 .. ~10^6 clocks, spread over the decades
      const uint64_t n = 1 + rng() % (uint64_t(10) << (rng() % 18));
      skipped += p.idle(n);
      if (::testing::Test::HasFatalFailure()) return;
    }
    EXPECT_GT(skipped, 100000u) << "the idle spans were never skipped: the comparison proves nothing";
    EXPECT_GT(p.b().engine().counter(model::Counter::kChallengeAcks), 0u);
    EXPECT_GT(p.b().engine().counter(model::Counter::kFramesOut), 30u);
  }
}

TEST(SkipIdle, RefusesInputsThatAreNotIdleAndAnEngineInFlight) {
  EngineDevice d(params());
  EngineDeviceIn in;
  in.reg_req = true;
  EXPECT_THROW(d.skip_idle(in, 10), std::invalid_argument);
  in = EngineDeviceIn{};
  in.rx.tvalid = true;
  EXPECT_THROW(d.skip_idle(in, 10), std::invalid_argument);
  // A frame half through rx_parse: the engine is not quiescent and refuses a skip.
  model::EngineConfig cfg;
  static_cast<model::EngineParams&>(cfg) = params();
  model::Engine e(cfg);
  EXPECT_FALSE(e.quiescent()) << "the tables are initialised first";
  while (e.initialising()) e.clock(model::EngineIn{});
  ASSERT_TRUE(e.outputs().rx_tready);
  model::EngineIn beat;
  beat.rx.tvalid = true;
  beat.rx.tkeep = 0xFF;
  e.clock(beat);
  EXPECT_FALSE(e.quiescent());
  EXPECT_THROW(e.skip_idle(5), std::logic_error);
  // Settled: a skip of 0 changes nothing, one of n advances the cycle count by n.
  model::Engine idle(cfg);
  while (idle.initialising()) idle.clock(model::EngineIn{});
  idle.clock(model::EngineIn{});
  ASSERT_TRUE(idle.quiescent());
  const uint64_t c0 = idle.cycle();
  idle.skip_idle(0);
  EXPECT_EQ(idle.cycle(), c0);
  idle.skip_idle(12345);
  EXPECT_EQ(idle.cycle(), c0 + 12345);
}

}  // namespace
