// SPDX-License-Identifier: Apache-2.0
// Busy spans (EngineDevice::span_limit / run_span, the frame-at-a-time step the TLM device takes)
// against clocking every cycle.
//
// Two EngineDevices get the same stimulus: connections opened from several peers, then data
// segments of 1 to 1,460 bytes (the receive buffer kept open by rx_consume commands), data the
// host sends through the transmit window (segments of the peer's MSS, ACKed by the peer), frames the
// fast path hands to the firmware (to our MAC and broadcast, up to 2,100 bytes: beyond the
// firmware queue's 2 KB slot and rx_parse's 1,536-byte slot), oversize TCP frames, junk, and idle
// gaps; the firmware pops its receive queue over the firmware bus, reading each frame through
// the RX_FRAME window. Device A is clocked cycle by cycle. Device B, wherever the inputs ahead
// allow (a frame's full beats before its last, or clocks with no beat, no command and no access),
// applies as many clocks at once as its span_limit says. A's outputs must not change over a span,
// except m_axis_tx's beats while a frame is sent, which must be the bytes B's span returns,
// and after every span and on every clock both must show the same outputs (both buses too), the
// same cycle count, counters, TCBs, receive buffers and firmware queue registers. And B must have
// spanned most of the clocks the frames and copies took (else the comparison proves nothing).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "toe/net/codec.hpp"
#include "toe_defs.h"
#include "toe_fw_regs.h"
#include "toe_regs.h"
#include "top/engine.hpp"

namespace {

using namespace toe;
using model::EngineDevice;
using model::EngineDeviceIn;
using model::EngineDeviceOut;

constexpr uint32_t kLocalIp = 0xC0A80102;
const net::MacAddr kLocalMac{{0x02, 0x11, 0x22, 0x33, 0x44, 0x55}};
constexpr uint32_t kBeat = 8;

model::EngineParams params() {
  model::EngineParams p;
  p.sessions = 16;
  p.data_bytes = kBeat;
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
  if (a.fw_ready != b.fw_ready || a.fw_valid != b.fw_valid || a.fw_rdata != b.fw_rdata || a.fw_err != b.fw_err)
    return "fw bus";
  if (a.intr != b.intr || a.fw_intr != b.fw_intr) return "intr";
  return "";
}

class Pair {
 public:
  Pair() : a_(params()), b_(params()) {}

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
      const model::Tcb &x = a_.engine().tcb(s), &y = b_.engine().tcb(s);
      ASSERT_EQ(x.state, y.state) << where << ": conn " << s;
      ASSERT_EQ(x.rcv_nxt, y.rcv_nxt) << where << ": conn " << s;
      ASSERT_EQ(x.rx_wr, y.rx_wr) << where << ": conn " << s;
      ASSERT_EQ(x.snd_nxt, y.snd_nxt) << where << ": conn " << s;
    }
    for (const uint32_t r : {TOE_FW_REG_RXQ_STATUS_OFFSET, TOE_FW_REG_RXQ_LEN_OFFSET, TOE_FW_REG_RXQ_DROPPED_OFFSET,
                             TOE_FW_REG_INTR_STATE_OFFSET}) {
      uint32_t va = 0, vb = 0;
      ASSERT_TRUE(a_.peek_fw_reg(r, &va) && b_.peek_fw_reg(r, &vb));
      ASSERT_EQ(va, vb) << where << ": fw register 0x" << std::hex << r;
    }
  }
  void check_buffers(const std::string& where) {
    for (uint32_t s = 0; s < params().sessions; ++s)
      ASSERT_EQ(std::memcmp(a_.engine().rx_buffer(s), b_.engine().rx_buffer(s), params().rx_buf_bytes), 0)
          << where << ": receive buffer of conn " << s;
  }
  // n clocks with the inputs of `in` and (beats != nullptr) a full, not-last beat each: A one by
  // one, B as one span. A's outputs must stay B's.
  // m_axis_tx's beats (a frame being sent) are taken at every clock of the span; A's must be the
  // bytes B's span hands back, and no other output may change.
  void span(const EngineDeviceIn& base, const uint8_t* beats, uint64_t n) {
    const EngineDeviceOut before = b_.outputs();
    std::vector<uint8_t> a_tx, b_tx;
    for (uint64_t i = 0; i < n; ++i) {
      EngineDeviceIn in = base;
      if (beats) {
        in.rx.tvalid = true;
        std::copy_n(beats + i * kBeat, kBeat, in.rx.tdata.begin());
        in.rx.tkeep = 0xFF;
      }
      EngineDeviceOut now = a_.outputs();
      if (now.tx.tvalid) {
        ASSERT_TRUE(now.tx.tkeep == 0xFF && !now.tx.tlast) << "a span's beats are full and not the last";
        a_tx.insert(a_tx.end(), now.tx.tdata.begin(), now.tx.tdata.begin() + kBeat);
        now.tx = before.tx;
      }
      ASSERT_EQ(diff(now, before), "") << "an output changed inside a span, clock " << i << " of " << n;
      a_.clock(in);
    }
    b_.run_span(beats, n, &b_tx);
    ASSERT_EQ(a_tx, b_tx) << "the bytes sent over a span of " << n;
    spanned_ += n;
    if (!b_tx.empty()) tx_spanned_ += n;
    check("after a span of " + std::to_string(n) + (beats ? " beats" : " clocks"));
  }
  const EngineDeviceOut& out() const { return a_.outputs(); }
  EngineDevice& a() { return a_; }
  EngineDevice& b() { return b_; }
  uint64_t spanned() const { return spanned_; }
  uint64_t tx_spanned() const { return tx_spanned_; }

 private:
  EngineDevice a_, b_;
  uint64_t spanned_ = 0, tx_spanned_ = 0;
};

struct Driver {
  Pair& p;
  std::mt19937_64& rng;
  uint64_t frame_clocks = 0;  // clocks spent feeding frames and draining

  void write(uint32_t addr, uint32_t data) {
    EngineDeviceIn in;
    in.reg_req = in.reg_we = true;
    in.reg_addr = addr;
    in.reg_wdata = data;
    p.clock(in);
    p.clock(EngineDeviceIn{});
  }
  uint32_t fw_access(bool we, uint32_t addr, uint32_t data = 0) {
    EngineDeviceIn in;
    in.fw_req = true;
    in.fw_we = we;
    in.fw_addr = addr;
    in.fw_wdata = data;
    p.clock(in);
    p.clock(EngineDeviceIn{});
    return p.out().fw_rdata;  // (answered on this clock; fw_valid with it)
  }
  // A register access on the host bus, held until taken, then clocked until answered.
  void access(bool we, uint32_t addr, uint32_t data = 0, uint8_t be = 0xF) {
    EngineDeviceIn in;
    in.reg_req = true;
    in.reg_we = we;
    in.reg_addr = addr;
    in.reg_wdata = data;
    in.reg_be = be;
    for (int i = 0; i < 20 && !p.out().reg_ready; ++i) p.clock(EngineDeviceIn{});
    p.clock(in);
    for (int i = 0; i < 20 && !p.out().reg_valid; ++i) p.clock(EngineDeviceIn{});
  }
  // The host sends: bytes written through the transmit window at the connection's running
  // pointer, then tx_push.
  void send(uint32_t conn, const std::vector<uint8_t>& data) {
    const uint32_t at = p.a().engine().tcb(conn).tx_wr;
    access(true, TOE_REG_CONN_SEL_OFFSET, conn);
    access(true, TOE_REG_TX_WIN_BASE_OFFSET, at & ~3u);
    const uint32_t lead = at & 3u;
    for (uint32_t w = 0; w < lead + data.size(); w += 4) {
      uint32_t v = 0, lanes = 0;
      for (uint32_t i = 0; i < 4; ++i) {
        if (w + i < lead || w + i >= lead + data.size()) continue;
        v |= uint32_t(data[w + i - lead]) << (8 * i);
        lanes |= 1u << i;
      }
      access(true, TOE_REG_TX_WINDOW_BASE + w, v, uint8_t(lanes));
    }
    model::Cmd c;
    c.op = model::CmdOp::kTxPush;
    c.conn = conn;
    c.value = at + uint32_t(data.size());
    command(c);
  }
  void command(const model::Cmd& c) {
    EngineDeviceIn in;
    in.cmd_valid = true;
    in.cmd = c;
    for (int i = 0; i < 200; ++i) {
      const bool taken = p.out().cmd_ready;
      p.clock(in);
      if (taken) return;
    }
    FAIL() << "command not taken";
  }
  // A frame, beat by beat as tready allows; B spans the full beats before the last where it can.
  void frame(const std::vector<uint8_t>& f) {
    size_t pos = 0;
    for (int guard = 0; pos < f.size() && guard < 20000; ++guard) {
      ++frame_clocks;
      const size_t left = f.size() - pos;
      if (pos > 0 && left > kBeat) {
        uint64_t n = (left - 1) / kBeat;
        n = std::min<uint64_t>(n, 1 + rng() % 300);  // spans of every length, not only the longest
        n = std::min(n, p.b().span_limit(true));
        if (n >= 1 && rng() % 8 != 0) {
          EngineDeviceIn in;
          p.span(in, f.data() + pos, n);
          if (::testing::Test::HasFatalFailure()) return;
          pos += n * kBeat;
          frame_clocks += n - 1;
          continue;
        }
      }
      EngineDeviceIn in;
      in.tx_tready = rng() % 4 != 0;
      const size_t n = std::min<size_t>(kBeat, left);
      in.rx.tvalid = true;
      for (size_t i = 0; i < n; ++i) in.rx.tdata[i] = f[pos + i];
      in.rx.tkeep = (1u << n) - 1;
      in.rx.tlast = pos + n == f.size();
      const bool taken = p.out().rx_tready;
      p.clock(in);
      if (::testing::Test::HasFatalFailure()) return;
      if (taken) pos += n;
    }
  }
  // `cycles` clocks with no beat; B spans them where it can (the transmit side always ready then).
  void drain(uint64_t cycles) {
    while (cycles > 0) {
      const uint64_t n = std::min(cycles, p.b().span_limit(false));
      if (n >= 1 && rng() % 4 != 0) {
        const uint64_t k = std::min<uint64_t>(n, 1 + rng() % 400);
        p.span(EngineDeviceIn{}, nullptr, k);
        if (::testing::Test::HasFatalFailure()) return;
        cycles -= k;
        frame_clocks += k;
        continue;
      }
      EngineDeviceIn in;
      in.tx_tready = rng() % 3 != 0;
      p.clock(in);
      if (::testing::Test::HasFatalFailure()) return;
      --cycles;
      ++frame_clocks;
    }
  }
  std::vector<uint8_t> tcp(uint32_t ip, uint16_t port, uint32_t seq, uint32_t ack, uint8_t flags,
                           const std::vector<uint8_t>& payload = {}) {
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
    return net::build_tcp_frame(eth, iph, t, payload.data(), payload.size());
  }
  // A frame that is not IPv4/TCP: to our MAC or broadcast, EtherType 0x88B5, `len` bytes.
  std::vector<uint8_t> other(size_t len, bool broadcast) {
    std::vector<uint8_t> f(len);
    for (size_t i = 0; i < 6; ++i) f[i] = broadcast ? 0xFF : kLocalMac.b[i];
    for (size_t i = 6; i < len; ++i) f[i] = uint8_t(rng());
    if (len >= 14) {
      f[12] = 0x88;
      f[13] = 0xB5;
    }
    return f;
  }
  std::vector<uint8_t> bytes(size_t n) {
    std::vector<uint8_t> v(n);
    for (auto& b : v) b = uint8_t(rng());
    return v;
  }
};

struct Peer {
  uint32_t ip;
  uint16_t port;
  uint32_t seq;  // next sequence number to send
  uint32_t iss;  // the engine's
  uint32_t conn;
};

TEST(BusySpan, SameOutputsStateAndBuffersAsClockingEveryCycle) {
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937_64 rng(seed);
    Pair p;
    Driver d{p, rng};
    p.clock(EngineDeviceIn{});
    const auto& m = kLocalMac.b;
    d.write(TOE_REG_MAC_ADDR_LO_OFFSET, uint32_t(m[2]) << 24 | uint32_t(m[3]) << 16 | uint32_t(m[4]) << 8 | m[5]);
    d.write(TOE_REG_MAC_ADDR_HI_OFFSET, uint32_t(m[0]) << 8 | m[1]);
    d.write(TOE_REG_IPV4_ADDR_OFFSET, kLocalIp);
    d.write(TOE_REG_CLOCK_MHZ_OFFSET, seed % 2 ? 3 : 125);  // the ISN clock ticks inside spans
    d.write(TOE_REG_INTR_ENABLE_OFFSET, 0xFFFFFFFFu);
    d.write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK);
    d.fw_access(true, TOE_FW_REG_INTR_ENABLE_OFFSET, 0xFFFFFFFFu);
    model::Cmd listen;
    listen.op = model::CmdOp::kListen;
    listen.port = 80;
    d.command(listen);
    if (::testing::Test::HasFatalFailure()) return;

    // Connections from four peers.
    std::vector<Peer> peers;
    for (uint32_t k = 0; k < 4; ++k) {
      Peer pr{0x0A000010 + k, uint16_t(41000 + k), 7000 + k * 1000, 0, 0};
      d.frame(d.tcp(pr.ip, pr.port, pr.seq, 0, net::kSyn));
      d.drain(60);
      for (uint32_t s = 0; s < params().sessions; ++s) {
        const model::Tcb& t = p.a().engine().tcb(s);
        if (t.rip == pr.ip && t.rport == pr.port && t.state == TcpState::SYN_RECEIVED) {
          pr.iss = t.iss;
          pr.conn = s;
        }
      }
      ++pr.seq;
      d.frame(d.tcp(pr.ip, pr.port, pr.seq, pr.iss + 1, net::kAck));
      d.drain(30);
      ASSERT_EQ(p.a().engine().tcb(pr.conn).state, TcpState::ESTABLISHED) << "peer " << k;
      peers.push_back(pr);
    }

    uint64_t fw_frames = 0;
    for (int round = 0; round < 60; ++round) {
      for (int k = 0; k < 6; ++k) {
        Peer& pr = peers[rng() % peers.size()];
        switch (rng() % 10) {
          case 0:  // a frame for the firmware (long ones overflow its slot), or a broadcast
            d.frame(d.other(14 + rng() % 2100, rng() % 3 == 0));
            break;
          case 1:  // an oversize TCP frame: rx_parse drops it
            d.frame(d.tcp(pr.ip, pr.port, pr.seq, pr.iss + 1, net::kAck, d.bytes(1500 + rng() % 400)));
            break;
          case 2:  // junk
            d.frame(d.bytes(20 + rng() % 200));
            break;
          case 3:  // the host sends (segments of the peer's MSS go out; spans cover their beats)
            if (p.a().engine().tcb(pr.conn).tx_wr - (p.a().engine().tcb(pr.conn).snd_una - pr.iss - 1) < 2048)
              d.send(pr.conn, d.bytes(1 + rng() % 1500));
            break;
          case 4: {  // the peer acknowledges everything sent so far
            const uint32_t una = p.a().engine().tcb(pr.conn).snd_nxt;
            d.frame(d.tcp(pr.ip, pr.port, pr.seq, una, net::kAck));
            break;
          }
          default: {  // data, in order
            const std::vector<uint8_t> payload = d.bytes(1 + rng() % 1460);
            d.frame(d.tcp(pr.ip, pr.port, pr.seq, pr.iss + 1, net::kAck | net::kPsh, payload));
            pr.seq += uint32_t(payload.size());
            break;
          }
        }
        if (::testing::Test::HasFatalFailure()) return;
        d.drain(rng() % 400);
        if (::testing::Test::HasFatalFailure()) return;
      }
      d.drain(600);
      if (::testing::Test::HasFatalFailure()) return;
      p.check_buffers("round " + std::to_string(round));
      if (::testing::Test::HasFatalFailure()) return;
      // The host: its events popped, every byte received consumed (the window stays open).
      uint32_t count = 0;
      while (p.a().peek_reg(TOE_REG_EVQ_STATUS_OFFSET, &count), (count & TOE_REG_EVQ_STATUS_COUNT_MASK) != 0)
        d.write(TOE_REG_EVQ_POP_OFFSET, TOE_REG_EVQ_POP_POP_MASK);
      for (const Peer& pr : peers) {
        model::Cmd c;
        c.op = model::CmdOp::kRxConsume;
        c.conn = pr.conn;
        c.value = p.a().engine().tcb(pr.conn).rx_wr;
        d.command(c);
      }
      // The firmware: its receive queue read through the window (both must answer alike) and popped.
      uint32_t st = 0;
      while (p.a().peek_fw_reg(TOE_FW_REG_RXQ_STATUS_OFFSET, &st), (st & 0xFF) != 0) {
        uint32_t len = 0;
        p.a().peek_fw_reg(TOE_FW_REG_RXQ_LEN_OFFSET, &len);
        for (uint32_t w = 0; w < len; w += 4) d.fw_access(false, TOE_FW_REG_RX_FRAME_BASE + w);
        d.fw_access(true, TOE_FW_REG_RXQ_POP_OFFSET, 1);
        ++fw_frames;
        if (::testing::Test::HasFatalFailure()) return;
      }
      if (::testing::Test::HasFatalFailure()) return;
    }
    uint64_t delivered = 0;
    for (const Peer& pr : peers) delivered += p.a().engine().tcb(pr.conn).rx_wr;
    EXPECT_GT(delivered, 100000u) << "data delivered";
    EXPECT_GT(fw_frames, 10u) << "frames handed to the firmware";
    EXPECT_GT(p.a().engine().counter(model::Counter::kDropMalformed), 0u) << "oversize frames";
    EXPECT_GT(p.spanned(), d.frame_clocks / 2) << p.spanned() << " of " << d.frame_clocks
                                                << " clocks spanned: the comparison proves little";
    EXPECT_GT(p.tx_spanned(), 1000u) << "clocks spanned while a frame was being sent";
    EXPECT_GT(p.a().engine().counter(model::Counter::kFramesOut), 200u);
  }
}

TEST(BusySpan, RefusesASpanBeyondTheLimit) {
  EngineDevice d(params());
  // The tables' initialisation after the reset: no span.
  d.clock(EngineDeviceIn{});
  EXPECT_TRUE(d.engine().initialising());
  EXPECT_EQ(d.span_limit(false), 0u);
  while (d.engine().initialising()) d.clock(EngineDeviceIn{});
  d.clock(EngineDeviceIn{});
  // No frame under way: no rx span; a span of clocks with no beat is unlimited when idle.
  EXPECT_EQ(d.span_limit(true), 0u);
  EXPECT_GT(d.span_limit(false), 1000000u);
  const uint8_t beats[16] = {};
  EXPECT_THROW(d.run_span(beats, 2), std::logic_error);
  // A register access answered this clock: no span until it is.
  EngineDeviceIn in;
  in.reg_req = true;
  in.reg_addr = TOE_REG_CTRL_OFFSET;
  d.clock(in);
  EXPECT_EQ(d.span_limit(false), 0u);
  EXPECT_THROW(d.run_span(nullptr, 1), std::logic_error);
  const uint64_t c0 = d.engine().cycle();
  d.clock(EngineDeviceIn{});
  d.run_span(nullptr, 500);
  EXPECT_EQ(d.engine().cycle(), c0 + 501);
}

}  // namespace
