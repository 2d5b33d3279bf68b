// SPDX-License-Identifier: Apache-2.0
// The firmware (firmware/) in the loop on the SystemC platform: DeviceTlm (the C++ model), a Link
// to an lwIP peer (LwipNode), the host through the TLM host port, and FirmwareNode running the C
// firmware on the device's firmware port in place of SlowPathTimers. A tap on each direction
// records the frames (and drops some); a merge in front of the device injects frames lwIP cannot
// send (it has no ARP and no ping).
//   FwPlatform.SynAckRetransmittedWhenItsAckIsLost   HS9: the final ACK lost; the firmware's
//                                                     SYN-ACK retransmission 1 s later recovers it
//   FwPlatform.LostSynAndLostSynAckRecoveredByTheFirmware
//                                                     HS9: the engine's SYN lost once, then its
//                                                     SYN-ACK lost once: each sent again 1 s later
//                                                     by the firmware, the connection opens
//   FwPlatform.DelayedAckWithinTheDelay              TM3: ACK_EVERY 2, lwIP's one segment ACKed
//                                                     by the firmware's timer 200 ms later
//   FwPlatform.SynIntoSilenceBacksOffThenTimedOut    HS9/TM2: SYNs 1, 2, 4 ... 60 s apart with
//                                                     the default RTO (times read back from the
//                                                     pcap written of the wire), "timed out" to
//                                                     the host at 183 s
//   FwPlatform.EchoOf256KiBAt2PercentLoss            lwIP sends 256 KiB to the host's echo through a
//                                                     lossy link (2 % each way); byte-exact both ways,
//                                                     the engine's losses recovered by the firmware
//   FwPlatform.ZeroWindowHeldWhileProbesAnsweredThenGivesUp
//                                                     TM4: lwIP's window closed; probes answered
//                                                     keep the connection past the retry limit;
//                                                     unanswered, max_retries of them, then RST
//   FwPlatform.RtoConvergesOnAFixedDelayThenDoublesOnLoss
//                                                     TM1: 30 echoes over a 50 ms round trip,
//                                                     SRTT 50-60 ms and RTO below 1.5 SRTT; the
//                                                     next echo lost twice: retransmitted one RTO
//                                                     after the send, then twice that later
//   FwPlatform.TimeWaitExpiresAfterTwiceTheMsl       TW1 with MSL 50 ms
//   FwPlatform.ArpRequestAnsweredOnTheWire           a who-has for the engine: the reply, byte-exact
//   FwPlatform.PingAnsweredOnTheWire                 an echo request: the reply, checksums correct
// Binary test_fw_platform (labels firmware;platform), on the C++ model; test_fw_platform_rtl runs the
// same tests as rtl.FwPlatform.* on the Verilated toe_engine (labels firmware;platform;rtl).
#include <gtest/gtest.h>

#include <systemc>

#include <cstdint>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "firmware_node.hpp"
#include "host_app.hpp"
#include "link.hpp"
#include "lwip_node.hpp"
#include "tlm_bench.hpp"  // TlmInitiator, fresh_simulation, kLocalMac/Ip (the engine), kPeerMac/Ip (lwIP)
#include "toe/net/pcap.hpp"
#include "toe_defs.h"
#include "toe_regs.h"

namespace {

using sc_core::sc_time;
using sc_core::SC_MS;
using sc_core::SC_SEC;
using sc_core::SC_US;
using sc_core::SC_ZERO_TIME;
using toe::platform_test::HostApp;
using toe::platform_test::kLocalIp;
using toe::platform_test::kLocalMac;
using toe::platform_test::kPeerIp;
using toe::platform_test::kPeerMac;
using toe::platform_test::TlmInitiator;
using toe::sc::EthFrame;
using toe::sim::PeerApp;
namespace net = toe::net;

struct Seen {
  EthFrame f;
  sc_time at;
  bool tcp(uint8_t flags, net::Frame* out = nullptr) const {
    net::Frame p;
    if (net::parse_frame(f.data, p) != net::ParseError::kOk || !p.has_tcp || p.tcp.flags != flags) return false;
    if (out) *out = p;
    return true;
  }
};

// Forwards frames from in to out, recording each; drop(frame, index) true drops it.
struct Tap : sc_core::sc_module {
  sc_core::sc_fifo_in<EthFrame> in{"in"};
  sc_core::sc_fifo_out<EthFrame> out{"out"};
  std::function<bool(const EthFrame&, size_t)> drop;
  std::vector<Seen> seen;
  size_t dropped = 0;
  SC_HAS_PROCESS(Tap);
  explicit Tap(sc_core::sc_module_name n) : sc_module(n) { SC_THREAD(run); }
  void run() {
    for (;;) {
      EthFrame f = in.read();
      seen.push_back({f, sc_core::sc_time_stamp()});
      if (drop && drop(f, seen.size() - 1)) {
        ++dropped;
        continue;
      }
      out.write(f);
    }
  }
};

// The link's frames and the test's injected ones into one channel (one writer process).
struct Merge : sc_core::sc_module {
  sc_core::sc_fifo_in<EthFrame> from_link{"from_link"};
  sc_core::sc_fifo_out<EthFrame> out{"out"};
  std::vector<EthFrame> injected;  // written by inject()
  SC_HAS_PROCESS(Merge);
  explicit Merge(sc_core::sc_module_name n) : sc_module(n) { SC_THREAD(run); }
  void inject(std::vector<uint8_t> frame) {
    injected.push_back({std::move(frame), sc_core::sc_time_stamp()});
    poke_.notify(SC_ZERO_TIME);
  }
  void run() {
    for (;;) {
      EthFrame& f = frame_;  // a member: the thread's stack is never unwound (LeakSanitizer)
      while (from_link.nb_read(f)) out.write(f);
      for (EthFrame& g : injected) out.write(g);
      injected.clear();
      wait(from_link.data_written_event() | poke_);
    }
  }
  sc_core::sc_event poke_;
  EthFrame frame_;
};

struct BedConfig {
  toe::sc::LinkConfig to_peer = wire(), to_device = wire();
  toe::sc::FirmwareNodeConfig fw;
  static toe::sc::LinkConfig wire() {
    toe::sc::LinkConfig c;
    c.rate_bps = 1000000000;
    c.propagation_delay = sc_time(1, SC_US);
    return c;
  }
};

// The device: the C++ model, or the Verilated toe_engine in test_fw_platform_rtl (the rtl.* twins).
#ifndef TOE_PLATFORM_ENGINE
#define TOE_PLATFORM_ENGINE "model"
#endif
toe::sc::DeviceTlmConfig device_config() {
  toe::sc::DeviceTlmConfig c;
  c.engine = TOE_PLATFORM_ENGINE;
  return c;
}

toe::sc::LwipNodeConfig node_config() {
  toe::sc::LwipNodeConfig c;
  c.peer.local_ip = kPeerIp;
  c.mac = kPeerMac;
  c.gateway_mac = kLocalMac;
  return c;
}

struct Bed : sc_core::sc_module {
  toe::sc::DeviceTlm dev;
  TlmInitiator cpu;
  sc_core::sc_signal<bool> irq{"irq"};
  toe::sc::Link link;
  toe::sc::LwipNode node;
  Tap to_node{"to_node"};      // engine -> lwIP, before the link
  Tap to_engine{"to_engine"};  // lwIP -> engine, before the link
  Merge merge{"merge"};        // after the link, in front of the device
  toe::sc::FirmwareNode fw;
  HostApp host;
  sc_core::sc_fifo<EthFrame> dev_tx{"dev_tx", 256}, a_in{"a_in", 256}, node_rx{"node_rx", 256};
  sc_core::sc_fifo<EthFrame> node_tx{"node_tx", 256}, b_in{"b_in", 256}, link_out{"link_out", 256},
      dev_rx{"dev_rx", 256};

  SC_HAS_PROCESS(Bed);
  Bed(sc_core::sc_module_name n, const BedConfig& cfg)
      : sc_module(n), dev("dev", device_config()), cpu("cpu"), link("link", cfg.to_peer, cfg.to_device),
        node("node", node_config()), fw("fw", dev, cfg.fw), host(cpu, toe::sc::DeviceTlmConfig{}.params.tx_buf_bytes) {
    sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    cpu.socket.bind(dev.host);
    dev.irq(irq);
    dev.eth_tx(dev_tx);
    to_node.in(dev_tx);
    to_node.out(a_in);
    link.from_a(a_in);
    link.to_b(node_rx);
    node.eth_in(node_rx);
    node.eth_out(node_tx);
    to_engine.in(node_tx);
    to_engine.out(b_in);
    link.from_b(b_in);
    link.to_a(link_out);
    merge.from_link(link_out);
    merge.out(dev_rx);
    dev.eth_rx(dev_rx);
    SC_THREAD(script_thread);
  }

  bool run(std::function<void(Bed&)> script, const sc_time& limit) {
    script_ = std::move(script);
    sc_core::sc_start(limit);
    return done_;
  }

  void configure() {
    const auto& m = kLocalMac.b;
    cpu.wr(TOE_REG_MAC_ADDR_LO_OFFSET, uint32_t(m[2]) << 24 | uint32_t(m[3]) << 16 | uint32_t(m[4]) << 8 | m[5]);
    cpu.wr(TOE_REG_MAC_ADDR_HI_OFFSET, uint32_t(m[0]) << 8 | m[1]);
    cpu.wr(TOE_REG_IPV4_ADDR_OFFSET, kLocalIp);
    cpu.wr(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK);
    cpu.wr(TOE_REG_INTR_ENABLE_OFFSET, TOE_REG_INTR_ENABLE_EVQ_NOT_EMPTY_MASK);
  }
  uint32_t conn_state(uint32_t conn) {
    cpu.wr(TOE_REG_CONN_SEL_OFFSET, conn);
    return cpu.rd(TOE_REG_CONN_STATE_OFFSET) & TOE_REG_CONN_STATE_STATE_MASK;
  }
  // The host's poll loop until pred() holds, at most timeout; true when it did.
  bool serve_until(const std::function<bool()>& pred, const sc_time& timeout) {
    const sc_time until = sc_core::sc_time_stamp() + timeout;
    while (!pred()) {
      if (sc_core::sc_time_stamp() >= until) return false;
      const bool busy = host.poll();
      node.poke();
      if (busy) continue;
      cpu.wr(TOE_REG_INTR_STATE_OFFSET, TOE_REG_INTR_STATE_EVQ_NOT_EMPTY_MASK);
      if (!irq.read()) wait(sc_time(100, SC_US), irq.posedge_event());
    }
    return true;
  }
  const HostApp::Conn* only_conn() const {
    return host.conns().size() == 1 ? &host.conns().begin()->second : nullptr;
  }

 private:
  void script_thread() {
    if (script_) script_(*this);
    done_ = true;
    sc_core::sc_stop();
  }
  std::function<void(Bed&)> script_;
  bool done_ = false;
};

std::string describe(const HostApp& h) {
  std::ostringstream os;
  for (const auto& [id, c] : h.conns())
    os << "conn " << id << ": opened " << c.opened << " rx " << c.rx_rd << "/" << c.rx_wr << " tx " << c.acked << "/"
       << c.tx_wr << " echoed " << c.echoed << " peer_closed " << c.peer_closed << " closed " << c.closed
       << " reset " << c.reset << " timed_out " << c.timed_out << "\n";
  return os.str();
}

TEST(FwPlatform, SynAckRetransmittedWhenItsAckIsLost) {
  toe::platform_test::fresh_simulation();
  Bed bed("bed", BedConfig{});  // the firmware's defaults: RTO 1 s
  bed.to_engine.drop = [](const EthFrame&, size_t i) { return i == 1; };  // lwIP's ACK of the SYN-ACK
  ASSERT_TRUE(bed.run(
      [](Bed& b) {
        b.configure();
        b.host.listen(80, HostApp::Role::kEcho);
        wait(sc_time(1, SC_US));
        const int c = b.node.peer().connect(kLocalIp, 80, 0, PeerApp::kManual);
        ASSERT_TRUE(b.serve_until([&] { return b.only_conn() && b.only_conn()->opened; }, sc_time(1.5, SC_SEC)))
            << "accepted after the SYN-ACK's retransmission";
        EXPECT_EQ(b.node.peer().state(c), toe::TcpState::ESTABLISHED);
        ASSERT_EQ(b.to_engine.dropped, 1u);
        std::vector<Seen> synacks;
        for (const Seen& s : b.to_node.seen)
          if (s.tcp(net::kSyn | net::kAck)) synacks.push_back(s);
        ASSERT_EQ(synacks.size(), 2u);
        net::Frame f0, f1;
        synacks[0].tcp(net::kSyn | net::kAck, &f0);
        synacks[1].tcp(net::kSyn | net::kAck, &f1);
        EXPECT_EQ(f1.tcp.seq, f0.tcp.seq) << "the same SYN-ACK";
        const sc_time gap = synacks[1].f.time - synacks[0].f.time;
        EXPECT_GE(gap, sc_time(1, SC_SEC));
        EXPECT_LE(gap, sc_time(1, SC_SEC) + sc_time(20, SC_US));
        EXPECT_EQ(b.fw.stats().retransmits, 1u);
        EXPECT_EQ(b.fw.stats().rtt_karn_skipped, 1u) << "no sample from a retransmitted handshake";
        EXPECT_EQ(b.fw.stats().give_ups, 0u);
        // The node's seed source keyed the ISN hash at boot (FirmwareNodeConfig::seed).
        EXPECT_EQ(b.fw.stats().isn_keyed, 1u);
      },
      sc_time(3, SC_SEC)));
}

// HS9, the other two handshake segments: the engine's SYN lost once (it connects out to an lwIP
// listener) and its SYN-ACK lost once (lwIP connects in); each retransmitted by the firmware's
// timer one initial RTO (1 s) later, and the connection opens on both sides.
TEST(FwPlatform, LostSynAndLostSynAckRecoveredByTheFirmware) {
  for (const bool active : {true, false}) {
    SCOPED_TRACE(active ? "the SYN lost" : "the SYN-ACK lost");
    toe::platform_test::fresh_simulation();
    Bed bed("bed", BedConfig{});  // the firmware's defaults: RTO 1 s
    const uint8_t lost = active ? uint8_t(net::kSyn) : uint8_t(net::kSyn | net::kAck);
    bed.to_node.drop = [&](const EthFrame& f, size_t) {
      net::Frame p;
      return net::parse_frame(f.data, p) == net::ParseError::kOk && p.has_tcp && p.tcp.flags == lost &&
             bed.to_node.dropped == 0;
    };
    ASSERT_TRUE(bed.run(
        [&](Bed& b) {
          b.configure();
          int c = -1;
          if (active) {
            b.node.peer().listen(80, PeerApp::kDiscard);
            b.host.connect(kPeerIp, 80, 40000, kPeerMac, HostApp::Role::kSink);
          } else {
            b.host.listen(80, HostApp::Role::kEcho);
            wait(sc_time(1, SC_US));
            c = b.node.peer().connect(kLocalIp, 80, 0, PeerApp::kManual);
          }
          ASSERT_TRUE(b.serve_until([&] { return b.only_conn() && b.only_conn()->opened; }, sc_time(2, SC_SEC)))
              << describe(b.host) << b.fw.stats();
          if (c >= 0) {
            ASSERT_TRUE(b.serve_until([&] { return b.node.peer().state(c) == toe::TcpState::ESTABLISHED; },
                                      sc_time(100, SC_MS)));
          }
          std::vector<sc_time> at;
          for (const Seen& x : b.to_node.seen)
            if (x.tcp(lost)) at.push_back(x.f.time);
          ASSERT_EQ(at.size(), 2u) << "the segment and its retransmission";
          EXPECT_EQ(b.to_node.dropped, 1u);
          EXPECT_GE(at[1] - at[0], sc_time(1, SC_SEC));
          EXPECT_LE(at[1] - at[0], sc_time(1, SC_SEC) + sc_time(20, SC_US)) << "one initial RTO later";
          EXPECT_EQ(b.fw.stats().retransmits, 1u);
          EXPECT_EQ(b.fw.stats().give_ups, 0u);
        },
        sc_time(3, SC_SEC)));
  }
}

std::vector<uint8_t> pattern_bytes(size_t n, uint64_t seed);

// TM3 with a real peer: ACK_EVERY 2, lwIP sends one segment of 100 bytes; the fast path owes an
// ACK (event ack_delayed) and the firmware's delayed-ACK timer sends it delayed_ack_ms (200 ms,
// below RFC 1122's 500 ms) after the segment arrived.
TEST(FwPlatform, DelayedAckWithinTheDelay) {
  toe::platform_test::fresh_simulation();
  Bed bed("bed", BedConfig{});
  ASSERT_TRUE(bed.run(
      [&](Bed& b) {
        b.configure();
        b.cpu.wr(TOE_REG_ACK_EVERY_OFFSET, 2);
        b.host.listen(80, HostApp::Role::kSink);
        wait(sc_time(1, SC_US));
        toe::sim::LwipPeer& peer = b.node.peer();
        const int c = peer.connect(kLocalIp, 80, 0, PeerApp::kManual);
        ASSERT_TRUE(b.serve_until([&] { return peer.state(c) == toe::TcpState::ESTABLISHED && b.only_conn() &&
                                                b.only_conn()->opened; },
                                  sc_time(100, SC_MS)));
        const std::vector<uint8_t> data = pattern_bytes(100, 3);
        peer.send(c, data.data(), data.size());
        ASSERT_TRUE(b.serve_until([&] { return b.fw.stats().delayed_acks == 1; }, sc_time(1, SC_SEC)))
            << b.fw.stats();
        b.serve_until([] { return false; }, sc_time(10, SC_MS));
        sc_time data_at, ack_at;
        uint32_t end = 0;
        for (const Seen& x : b.to_engine.seen) {
          net::Frame p;
          if (net::parse_frame(x.f.data, p) == net::ParseError::kOk && p.has_tcp && p.payload_len == 100) {
            data_at = x.f.time;
            end = p.tcp.seq + 100;
          }
        }
        ASSERT_NE(end, 0u) << "lwIP's segment";
        for (const Seen& x : b.to_node.seen) {
          net::Frame p;
          if (x.tcp(net::kAck, &p) && p.payload_len == 0 && p.tcp.ack == end && ack_at == sc_core::SC_ZERO_TIME)
            ack_at = x.f.time;
        }
        ASSERT_NE(ack_at, sc_core::SC_ZERO_TIME) << "the engine's ACK of the segment";
        const double delay_ms = (ack_at - data_at).to_seconds() * 1e3;
        std::printf("[ tm3 ] the segment ACKed %.3f ms after it was sent\n", delay_ms);
        EXPECT_GE(delay_ms, 200.0);
        EXPECT_LT(delay_ms, 201.0) << "delayed_ack_ms, well below 500 ms";
      },
      sc_time(2, SC_SEC)));
}

TEST(FwPlatform, SynIntoSilenceBacksOffThenTimedOut) {
  toe::platform_test::fresh_simulation();
  Bed bed("bed", BedConfig{});  // defaults: RTO 1 s doubling to 60 s, 7 retries
  bed.to_node.drop = [](const EthFrame&, size_t) { return true; };  // nothing reaches lwIP
  ASSERT_TRUE(bed.run(
      [](Bed& b) {
        b.configure();
        b.host.connect(kPeerIp, 80, 40000, kPeerMac, HostApp::Role::kSink);
        ASSERT_TRUE(b.serve_until([&] { return b.only_conn() && b.only_conn()->timed_out; }, sc_time(190, SC_SEC)))
            << describe(b.host);
        const sc_time out = sc_core::sc_time_stamp();
        ASSERT_EQ(b.to_node.seen.size(), 8u) << "the SYN and 7 retransmissions";
        // The wire as a pcap (libpcap, nanosecond timestamps: fw_syn_into_silence.pcap in the
        // test's directory), and the times read back from it.
        const std::string pcap = std::string(TOE_PLATFORM_ENGINE) + "_fw_syn_into_silence.pcap";
        {
          net::PcapWriter w(pcap);
          for (const Seen& s : b.to_node.seen) w.write(uint64_t(s.f.time.to_seconds() * 1e9 + 0.5), s.f.data);
        }
        const std::vector<net::PcapRecord> recs = net::PcapReader::read_all(pcap);
        ASSERT_EQ(recs.size(), 8u);
        const double gaps[] = {1, 2, 4, 8, 16, 32, 60};
        for (size_t i = 0; i < 8; ++i) {
          net::Frame p;
          ASSERT_EQ(net::parse_frame(recs[i].data, p), net::ParseError::kOk) << i;
          EXPECT_TRUE(p.has_tcp && p.tcp.flags == net::kSyn) << i;
          if (i == 0) continue;
          const double gap = double(recs[i].ts_ns - recs[i - 1].ts_ns) / 1e9;
          EXPECT_NEAR(gap, gaps[i - 1], 20e-6) << "retransmission " << i << " (from the pcap)";
        }
        const double total = (out - b.to_node.seen[0].f.time).to_seconds();
        EXPECT_GE(total, 183.0) << "MUST-23: at least 3 minutes";
        EXPECT_LE(total, 183.01);
        EXPECT_EQ(b.fw.stats().retransmits, 7u);
        EXPECT_EQ(b.fw.stats().give_ups, 1u);
      },
      sc_time(200, SC_SEC)));
}

std::vector<uint8_t> pattern_bytes(size_t n, uint64_t seed) {
  std::vector<uint8_t> v(n);
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (auto& b : v) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    b = uint8_t(x);
  }
  return v;
}

TEST(FwPlatform, EchoOf256KiBAt2PercentLoss) {
  toe::platform_test::fresh_simulation();
  BedConfig cfg;
  for (toe::sc::LinkConfig* l : {&cfg.to_peer, &cfg.to_device}) {
    l->propagation_delay = sc_time(20, SC_US);
    l->loss_probability = 0.02;
  }
  cfg.to_peer.seed = 21;
  cfg.to_device.seed = 22;
  // The link's round trip is tens of microseconds: RTO 10 ms instead of 1 s keeps simulated time short.
  cfg.fw.fw.rto_initial_ms = 10;
  cfg.fw.fw.rto_min_ms = 10;
  cfg.fw.fw.rto_syn_reinit_ms = 0;
  cfg.fw.fw.msl_ms = 10;
  Bed bed("bed", cfg);
  const std::vector<uint8_t> data = pattern_bytes(256 * 1024, 5);
  std::vector<uint8_t> back;
  int c = -1;
  ASSERT_TRUE(bed.run(
      [&](Bed& b) {
        b.configure();
        b.host.listen(7, HostApp::Role::kEcho);
        toe::sim::LwipPeer& peer = b.node.peer();
        c = peer.connect(kLocalIp, 7, 0, PeerApp::kManual);
        size_t sent = 0;
        bool close_sent = false;
        const bool ok = b.serve_until(
            [&] {
              if (sent < data.size()) {
                const size_t space = peer.send_space(c);
                if (space > 0) sent += peer.send(c, data.data() + sent, std::min(space, data.size() - sent));
              }
              const std::vector<uint8_t> got = peer.take_received(c);
              back.insert(back.end(), got.begin(), got.end());
              if (!close_sent && back.size() >= data.size()) {
                peer.close(c);
                close_sent = true;
              }
              const toe::TcpState s = peer.state(c);
              return close_sent && b.host.finished() == 1 &&
                     (s == toe::TcpState::CLOSED || s == toe::TcpState::TIME_WAIT);
            },
            sc_time(60, SC_SEC));
        ASSERT_TRUE(ok) << back.size() << " bytes back\n" << describe(b.host) << b.fw.stats();
      },
      sc_time(70, SC_SEC)));
  EXPECT_EQ(back.size(), data.size());
  EXPECT_TRUE(back == data) << "the echo differs";
  const auto& ab = bed.link.counters(toe::sc::LinkDirection::AtoB);
  const auto& ba = bed.link.counters(toe::sc::LinkDirection::BtoA);
  EXPECT_GT(ab.lost, 0u);
  EXPECT_GT(ba.lost, 0u);
  EXPECT_GT(bed.fw.stats().retransmits, 0u) << "the engine's losses were recovered by the firmware";
  EXPECT_EQ(bed.fw.stats().give_ups, 0u);
  EXPECT_EQ(bed.fw.stats().commands_refused, 0u);
  std::ostringstream os;
  os << bed.fw.stats() << "; lost " << ab.lost << "+" << ba.lost << "; simulated "
     << sc_core::sc_time_stamp().to_seconds() << " s";
  RecordProperty("firmware", os.str());
  std::printf("%s\n", os.str().c_str());
}

// TM4 (MUST-36/37) with a real receiver: lwIP's application takes nothing, so its window closes
// at 64 KiB; the engine probes it, lwIP answers every probe with a zero window, and the
// connection outlives its retry limit many times over. Then the peer falls silent (every frame
// from it dropped): max_retries unanswered probes, give_up (RST), "timed out" to the host.
TEST(FwPlatform, ZeroWindowHeldWhileProbesAnsweredThenGivesUp) {
  toe::platform_test::fresh_simulation();
  BedConfig cfg;
  cfg.fw.fw.rto_initial_ms = 10;  // a link round trip of microseconds: short RTOs, short test
  cfg.fw.fw.rto_min_ms = 10;
  cfg.fw.fw.rto_max_ms = 80;
  cfg.fw.fw.rto_syn_reinit_ms = 0;
  cfg.fw.fw.max_retries = 3;
  Bed bed("bed", cfg);
  bool silent = false;
  bed.to_engine.drop = [&](const EthFrame&, size_t) { return silent; };
  auto probes = [&](size_t from) {  // one-byte segments from the engine
    size_t n = 0;
    for (size_t i = from; i < bed.to_node.seen.size(); ++i) {
      net::Frame p;
      if (bed.to_node.seen[i].tcp(net::kAck | net::kPsh, &p) || bed.to_node.seen[i].tcp(net::kAck, &p))
        n += p.payload_len == 1 ? 1 : 0;
    }
    return n;
  };
  ASSERT_TRUE(bed.run(
      [&](Bed& b) {
        b.configure();
        b.host.listen(80, HostApp::Role::kSource);
        b.host.set_source_bytes(80, 200000);
        const int c = b.node.peer().connect(kLocalIp, 80, 0, PeerApp::kManual);
        const unsigned kAnswered = 20;  // beyond max_retries (3) many times over
        ASSERT_TRUE(b.serve_until([&] { return b.fw.stats().probes_answered >= kAnswered; }, sc_time(10, SC_SEC)))
            << describe(b.host) << b.fw.stats();
        const uint32_t conn = b.host.conns().begin()->first;
        EXPECT_EQ(b.conn_state(conn), TOE_STATE_ESTABLISHED);
        EXPECT_FALSE(b.only_conn()->timed_out);
        EXPECT_EQ(b.fw.stats().give_ups, 0u);
        EXPECT_EQ(b.node.peer().state(c), toe::TcpState::ESTABLISHED);
        EXPECT_GE(probes(0), size_t(kAnswered));
        // The peer falls silent.
        silent = true;
        const size_t mark = b.to_node.seen.size();
        ASSERT_TRUE(b.serve_until([&] { return b.only_conn()->timed_out; }, sc_time(2, SC_SEC)))
            << describe(b.host) << b.fw.stats();
        EXPECT_EQ(probes(mark), size_t(cfg.fw.fw.max_retries)) << "unanswered probes before give_up";
        size_t rst = 0;
        for (size_t i = mark; i < b.to_node.seen.size(); ++i)
          rst += b.to_node.seen[i].tcp(net::kRst) || b.to_node.seen[i].tcp(net::kRst | net::kAck);
        EXPECT_EQ(rst, 1u);
        EXPECT_EQ(b.fw.stats().give_ups, 1u);
        EXPECT_EQ(b.conn_state(conn), TOE_STATE_CLOSED);
      },
      sc_time(15, SC_SEC)));
}

// TM1 with a real peer: a link of 25 ms each way; lwIP sends 100 bytes at a time to the host's
// echo and waits for them back, so every echo is a new flight of the engine's (an RTT sample,
// RFC 6298 2.2/2.3). With the RTO floor at 10 ms, the estimate converges on the path: SRTT near
// the 50 ms round trip, the RTO far below the initial 1 s. Then the engine's next segment is lost
// twice: retransmitted one RTO after it was sent, and again twice that later (5.5).
TEST(FwPlatform, RtoConvergesOnAFixedDelayThenDoublesOnLoss) {
  toe::platform_test::fresh_simulation();
  BedConfig cfg;
  for (toe::sc::LinkConfig* l : {&cfg.to_peer, &cfg.to_device}) l->propagation_delay = sc_time(25, SC_MS);
  cfg.fw.fw.rto_min_ms = 10;
  cfg.fw.fw.rto_syn_reinit_ms = 0;
  Bed bed("bed", cfg);
  int drops_left = 0;
  bed.to_node.drop = [&](const EthFrame& f, size_t) {
    net::Frame p;
    if (drops_left == 0 || net::parse_frame(f.data, p) != net::ParseError::kOk || !p.has_tcp || p.payload_len == 0)
      return false;
    --drops_left;
    return true;
  };
  ASSERT_TRUE(bed.run(
      [&](Bed& b) {
        b.configure();
        b.host.listen(7, HostApp::Role::kEcho);
        toe::sim::LwipPeer& peer = b.node.peer();
        const int c = peer.connect(kLocalIp, 7, 0, PeerApp::kManual);
        ASSERT_TRUE(b.serve_until([&] { return b.only_conn() && b.only_conn()->opened; }, sc_time(2, SC_SEC)));
        const uint32_t conn = b.host.conns().begin()->first;
        const std::vector<uint8_t> chunk = pattern_bytes(100, 9);
        size_t back = 0;
        auto round = [&](const sc_time& limit) {
          peer.send(c, chunk.data(), chunk.size());
          const size_t want = back + chunk.size();
          return b.serve_until(
              [&] {
                back += peer.take_received(c).size();
                return back >= want;
              },
              limit);
        };
        for (int i = 0; i < 30; ++i) ASSERT_TRUE(round(sc_time(2, SC_SEC))) << "round " << i << "\n" << describe(b.host);
        const toe_fw& fw = b.fw.firmware();
        const toe_fw_rto& e = fw.timers.conn[conn].rto;
        const double srtt_ms = e.srtt_us / 1e3, rto_ms = toe_fw_rto_current(&e, &fw.cfg) / 1e3;
        std::printf("[ tm1 ] after 30 round trips of 50 ms: SRTT %.2f ms, RTTVAR %.2f ms, RTO %.2f ms, %u samples\n",
                    srtt_ms, e.rttvar_us / 1e3, rto_ms, fw.stats.rtt_samples);
        EXPECT_GE(fw.stats.rtt_samples, 30u);
        EXPECT_GE(srtt_ms, 50.0);
        EXPECT_LT(srtt_ms, 60.0) << "the path's round trip (the rest is the host's and lwIP's turnaround)";
        EXPECT_GE(rto_ms, srtt_ms);
        EXPECT_LT(rto_ms, 1.5 * srtt_ms) << "converged: RTTVAR has decayed";
        // Loss: the next echo lost twice.
        drops_left = 2;
        const size_t mark = b.to_node.seen.size();
        ASSERT_TRUE(round(sc_time(5, SC_SEC))) << describe(b.host) << b.fw.stats();
        std::vector<double> sent;
        for (size_t i = mark; i < b.to_node.seen.size(); ++i) {
          net::Frame p;
          if (net::parse_frame(b.to_node.seen[i].f.data, p) == net::ParseError::kOk && p.has_tcp && p.payload_len == 100)
            sent.push_back(b.to_node.seen[i].at.to_seconds() * 1e3);
        }
        ASSERT_EQ(sent.size(), 3u) << "the echo, and two retransmissions";
        const double first = sent[1] - sent[0], second = sent[2] - sent[1];
        std::printf("[ tm1 ] retransmissions %.2f ms and %.2f ms apart (RTO %.2f ms)\n", first, second, rto_ms);
        EXPECT_NEAR(first, rto_ms, 2.0) << "one RTO after the send";
        EXPECT_NEAR(second / first, 2.0, 0.05) << "doubled (RFC 6298 5.5)";
        EXPECT_EQ(b.fw.stats().give_ups, 0u);
      },
      sc_time(30, SC_SEC)));
}

TEST(FwPlatform, TimeWaitExpiresAfterTwiceTheMsl) {
  toe::platform_test::fresh_simulation();
  BedConfig cfg;
  cfg.fw.fw.msl_ms = 50;
  Bed bed("bed", cfg);
  ASSERT_TRUE(bed.run(
      [](Bed& b) {
        b.configure();
        b.host.listen(80, HostApp::Role::kSource);
        b.host.set_source_bytes(80, 1000);  // sends 1000 bytes, then closes first
        const int c = b.node.peer().connect(kLocalIp, 80, 0, PeerApp::kManual);
        ASSERT_TRUE(b.serve_until([&] { return b.node.peer().peer_closed(c); }, sc_time(100, SC_MS)));
        EXPECT_EQ(b.node.peer().take_received(c).size(), 1000u);
        b.node.peer().close(c);  // lwIP's FIN: the engine goes to TIME_WAIT
        const uint32_t conn = b.host.conns().begin()->first;
        ASSERT_TRUE(b.serve_until([&] { return b.conn_state(conn) == TOE_STATE_TIME_WAIT; }, sc_time(10, SC_MS)));
        const sc_time entered = sc_core::sc_time_stamp();
        ASSERT_TRUE(b.serve_until([&] { return b.only_conn()->closed; }, sc_time(200, SC_MS)));
        const double held = (sc_core::sc_time_stamp() - entered).to_seconds();
        EXPECT_GE(held, 0.1 - 200e-6) << "2 * MSL";
        EXPECT_LE(held, 0.1 + 500e-6);
        EXPECT_EQ(b.conn_state(conn), TOE_STATE_CLOSED);
        EXPECT_EQ(b.fw.stats().time_wait_expiries, 1u);
      },
      sc_time(1, SC_SEC)));
}

const net::MacAddr kThirdMac{{0x02, 0x77, 0x00, 0x00, 0x00, 0x07}};
constexpr uint32_t kThirdIp = 0xC0A80107;  // 192.168.1.7: another host on the engine's /24

TEST(FwPlatform, ArpRequestAnsweredOnTheWire) {
  toe::platform_test::fresh_simulation();
  Bed bed("bed", BedConfig{});
  ASSERT_TRUE(bed.run(
      [](Bed& b) {
        b.configure();
        net::EthHeader eth;
        eth.dst = net::MacAddr{{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}};
        eth.src = kThirdMac;
        eth.ethertype = net::kEtherTypeArp;
        net::ArpPacket req;
        req.oper = 1;
        req.sha = kThirdMac;
        req.spa = kThirdIp;
        req.tpa = kLocalIp;
        b.merge.inject(net::build_arp_frame(eth, req));
        wait(sc_time(100, SC_US));
        ASSERT_EQ(b.to_node.seen.size(), 1u);
        net::EthHeader reth;
        reth.dst = kThirdMac;
        reth.src = kLocalMac;
        reth.ethertype = net::kEtherTypeArp;
        net::ArpPacket rep;
        rep.oper = 2;
        rep.sha = kLocalMac;
        rep.spa = kLocalIp;
        rep.tha = kThirdMac;
        rep.tpa = kThirdIp;
        EXPECT_EQ(b.to_node.seen[0].f.data, net::build_arp_frame(reth, rep)) << "the reply, padded to 60";
        EXPECT_EQ(b.fw.stats().arp_replies_out, 1u);
        EXPECT_EQ(b.node.dropped_frames(), 1u) << "lwIP (no ARP) dropped it";
      },
      sc_time(1, SC_SEC)));
}

TEST(FwPlatform, PingAnsweredOnTheWire) {
  toe::platform_test::fresh_simulation();
  Bed bed("bed", BedConfig{});
  ASSERT_TRUE(bed.run(
      [](Bed& b) {
        b.configure();
        // Echo request 192.168.1.7 -> the engine: id 0x0BAD, seq 3, 56 data bytes.
        std::vector<uint8_t> f(14 + 20 + 8 + 56);
        for (int i = 0; i < 6; ++i) {
          f[size_t(i)] = kLocalMac.b[size_t(i)];
          f[6 + size_t(i)] = kThirdMac.b[size_t(i)];
        }
        f[12] = 0x08;
        uint8_t* ip = f.data() + 14;
        ip[0] = 0x45;
        ip[3] = uint8_t(20 + 8 + 56);
        ip[8] = 64;
        ip[9] = 1;
        for (int i = 0; i < 4; ++i) {
          ip[12 + i] = uint8_t(kThirdIp >> (24 - 8 * i));
          ip[16 + i] = uint8_t(kLocalIp >> (24 - 8 * i));
        }
        const uint16_t s = net::csum_fold(net::csum_add(0, ip, 20));
        ip[10] = uint8_t(s >> 8);
        ip[11] = uint8_t(s);
        uint8_t* icmp = ip + 20;
        icmp[0] = 8;
        icmp[4] = 0x0B;
        icmp[5] = 0xAD;
        icmp[7] = 3;
        for (int i = 0; i < 56; ++i) icmp[8 + i] = uint8_t(i);
        const uint16_t cs = net::csum_fold(net::csum_add(0, icmp, 64));
        icmp[2] = uint8_t(cs >> 8);
        icmp[3] = uint8_t(cs);
        b.merge.inject(f);
        wait(sc_time(100, SC_US));
        ASSERT_EQ(b.to_node.seen.size(), 1u);
        const std::vector<uint8_t>& r = b.to_node.seen[0].f.data;
        ASSERT_EQ(r.size(), f.size());
        // toe_net parses TCP only: the fields by hand.
        EXPECT_TRUE(std::equal(r.begin(), r.begin() + 6, kThirdMac.b.begin())) << "to the asker";
        EXPECT_TRUE(std::equal(r.begin() + 6, r.begin() + 12, kLocalMac.b.begin())) << "from the engine";
        EXPECT_EQ(r[23], net::kIpProtoIcmp);
        EXPECT_TRUE(std::equal(r.begin() + 26, r.begin() + 30, f.begin() + 30)) << "source: the engine";
        EXPECT_TRUE(std::equal(r.begin() + 30, r.begin() + 34, f.begin() + 26)) << "destination: the asker";
        EXPECT_EQ(net::csum_fold(net::csum_add(0, r.data() + 14, 20)), 0u) << "IPv4 header checksum";
        EXPECT_EQ(net::csum_fold(net::csum_add(0, r.data() + 34, 64)), 0u) << "ICMP checksum";
        EXPECT_EQ(r[34], 0u) << "echo reply";
        EXPECT_TRUE(std::equal(r.begin() + 38, r.end(), f.begin() + 38)) << "id, seq and data echoed";
        EXPECT_EQ(b.fw.stats().icmp_echo_out, 1u);
      },
      sc_time(1, SC_SEC)));
}

TEST(FwPlatform, RefusesABadConfig) {
  toe::platform_test::fresh_simulation();
  toe::sc::DeviceTlm dev("dev", device_config());
  toe::sc::FirmwareNodeConfig c;
  c.fw.delayed_ack_ms = 600;
  EXPECT_THROW(toe::sc::FirmwareNode("f1", dev, c), std::invalid_argument);
}

}  // namespace
