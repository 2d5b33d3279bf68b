// SPDX-License-Identifier: Apache-2.0
// LwipNode (sim/systemc/lwip_node.hpp) and SlowPathTimers (sim/systemc/slow_path_timers.hpp).
//
// LwipNode alone, between a source and a sink: an ARP request for lwIP's address is answered;
// frames not for it (another MAC, ARP for another address, too short) are dropped and counted, a
// broadcast IPv4 frame is taken, its frames out are Ethernet II to the
// gateway MAC padded to 60 bytes, and lwIP's timers follow SystemC time (an unanswered SYN-ACK
// comes again 2.5-3 s later, lwIP's 3 s SYN timer on its 500 ms tick); a second LwipNode is
// refused (lwIP is one per process).
//
// The platform: DeviceTlm (the C++ model) and a LwipNode joined by a Link (1 Gb/s, 1 us each
// way), a tap on each direction that records every frame and can drop some, the device
// configured and driven through its host register port (MAC, IP, CTRL.ENABLE; listen and
// connect through CMD_PORTS/CMD...; events from EVQ_*; TCBs through CONN_SEL/CONN_STATE), and
// SlowPathTimers on the device's firmware register port:
//   lwIP connects to the engine's port 80 and both ends reach ESTABLISHED, and data flows;
//   the ACK of the engine's SYN-ACK is lost: SlowPathTimers has the engine send the SYN-ACK
//     again 1 s (rto_initial) later, lwIP answers it and the engine reaches ESTABLISHED;
//   the engine's connect is never answered: SYNs at 0, 10, 30, 70 ms (RTO 10 ms doubling, capped
//     at 40 ms), then give_up at 110 ms (max_retries 3): the host sees timed_out, the TCB is free;
//   the engine's data is never answered: retransmissions 10, 20, 40 ms apart (retx_arm coming
//     again with the same value does not restart the backoff), then give_up with a RST;
//   the second of three segments is lost: the retransmission's retx_arm carries a new value (ACK
//     progress), the timer restarts, and the data arrives whole;
//   ACK_EVERY = 2: one data segment is ACKed 40 ms (delayed_ack) later, by send_ack;
//   the engine closes first: TIME_WAIT, and CLOSED 2 * MSL (MSL 50 ms) later.
// Binary: test_lwip_node (ctest names LwipNode.*, SlowPathTimers.*; label platform).
#include <gtest/gtest.h>

#include <systemc>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "link.hpp"
#include "lwip_node.hpp"
#include "slow_path_timers.hpp"
#include "tlm_bench.hpp"  // TlmInitiator, fresh_simulation, kLocalMac/Ip (the engine), kPeerMac/Ip
#include "toe_defs.h"
#include "toe_regs.h"

namespace {

using sc_core::sc_time;
using sc_core::SC_MS;
using sc_core::SC_NS;
using sc_core::SC_SEC;
using sc_core::SC_US;
using sc_core::SC_ZERO_TIME;
using toe::platform_test::kLocalIp;
using toe::platform_test::kLocalMac;
using toe::platform_test::kPeerIp;
using toe::platform_test::kPeerMac;
using toe::platform_test::TlmInitiator;
using toe::sc::EthFrame;
using toe::sim::PeerApp;
namespace net = toe::net;

toe::sc::LwipNodeConfig node_config() {
  toe::sc::LwipNodeConfig c;
  c.peer.local_ip = kPeerIp;
  c.mac = kPeerMac;
  c.gateway_mac = kLocalMac;
  return c;
}

// A frame as a tap or sink saw it: its bytes, its stamp and when it was read.
struct Seen {
  EthFrame f;
  sc_time at;
  net::Frame parsed() const {
    net::Frame p;
    EXPECT_EQ(net::parse_frame(f.data, p), net::ParseError::kOk);
    return p;
  }
  bool tcp(uint8_t flags) const {  // a TCP segment with exactly these flags
    net::Frame p;
    return net::parse_frame(f.data, p) == net::ParseError::kOk && p.has_tcp && p.tcp.flags == flags;
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
  // The frames seen that satisfy pred.
  std::vector<Seen> where(const std::function<bool(const Seen&)>& pred) const {
    std::vector<Seen> v;
    for (const Seen& s : seen)
      if (pred(s)) v.push_back(s);
    return v;
  }
};

// ---- LwipNode alone --------------------------------------------------------------------------
struct Source : sc_core::sc_module {
  sc_core::sc_fifo_out<EthFrame> out{"out"};
  std::vector<EthFrame> frames;  // each written at its time
  SC_HAS_PROCESS(Source);
  explicit Source(sc_core::sc_module_name n) : sc_module(n) { SC_THREAD(run); }
  void run() {
    for (const EthFrame& f : frames) {
      if (f.time > sc_core::sc_time_stamp()) wait(f.time - sc_core::sc_time_stamp());
      out.write(f);
    }
  }
};

struct Sink : sc_core::sc_module {
  sc_core::sc_fifo_in<EthFrame> in{"in"};
  std::vector<Seen> got;
  SC_HAS_PROCESS(Sink);
  explicit Sink(sc_core::sc_module_name n) : sc_module(n) { SC_THREAD(run); }
  void run() {
    for (;;) {
      EthFrame f = in.read();
      got.push_back({f, sc_core::sc_time_stamp()});
    }
  }
};

// A TCP segment from the engine's side (kLocalMac/kLocalIp) to lwIP (kPeerIp), to `dst`.
std::vector<uint8_t> to_lwip(const net::MacAddr& dst, uint16_t sport, uint16_t dport, uint32_t seq, uint8_t flags) {
  net::EthHeader eth;
  eth.dst = dst;
  eth.src = kLocalMac;
  eth.ethertype = net::kEtherTypeIpv4;
  net::Ipv4Header ip;
  ip.src = kLocalIp;
  ip.dst = kPeerIp;
  net::TcpHeader tcp;
  tcp.src_port = sport;
  tcp.dst_port = dport;
  tcp.seq = seq;
  tcp.flags = flags;
  tcp.window = 65535;
  tcp.opts.has_mss = true;
  tcp.opts.mss = 1460;
  return net::build_tcp_frame(eth, ip, tcp);
}

TEST(LwipNode, TakesFramesForItDropsTheRestAndItsTimersFollowSystemCTime) {
  toe::platform_test::fresh_simulation();
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  sc_core::sc_fifo<EthFrame> in("in", 16), out("out", 16);
  Source src("src");
  Sink sink("sink");
  toe::sc::LwipNode node("node", node_config());
  src.out(in);
  node.eth_in(in);
  node.eth_out(out);
  sink.in(out);
  EXPECT_THROW(toe::sc::LwipNode("second", node_config()), std::logic_error) << "one lwIP per process";
  const int listener = node.peer().listen(7, PeerApp::kManual);
  ASSERT_GT(listener, 0);

  net::MacAddr other = kPeerMac;
  other.b[5] ^= 0x40;
  net::EthHeader arp_eth;
  arp_eth.dst = kPeerMac;
  arp_eth.src = kLocalMac;
  arp_eth.ethertype = net::kEtherTypeArp;
  net::ArpPacket who_has;
  who_has.sha = kLocalMac;
  who_has.spa = kLocalIp;
  who_has.tpa = kPeerIp;
  const std::vector<uint8_t> arp = net::build_arp_frame(arp_eth, who_has);
  net::ArpPacket who_has_other = who_has;
  who_has_other.tpa = kPeerIp + 1;
  arp_eth.dst = net::MacAddr::broadcast();
  const std::vector<uint8_t> arp_other = net::build_arp_frame(arp_eth, who_has_other);
  std::vector<uint8_t> runt(13, 0);
  const sc_time t0(1, SC_MS);
  src.frames = {
      {to_lwip(other, 1000, 7, 1, net::kSyn), t0},                  // another MAC: dropped
      {arp, t0},                                                     // ARP for lwIP's address: answered
      {arp_other, t0},                                               // ARP for another address: dropped
      {runt, t0},                                                    // no Ethernet header: dropped
      {to_lwip(net::MacAddr::broadcast(), 1001, 9, 1, net::kSyn), t0},  // broadcast, closed port: RST
      {to_lwip(kPeerMac, 1000, 7, 1000, net::kSyn), t0 + sc_time(5, SC_US)},  // the listener: SYN-ACK
  };
  sc_core::sc_start(sc_time(4, SC_SEC));

  EXPECT_EQ(node.dropped_frames(), 3u);
  EXPECT_EQ(node.frames_in(), 2u);
  EXPECT_EQ(node.arp_replies(), 1u);
  ASSERT_GE(sink.got.size(), 4u);
  EXPECT_EQ(node.frames_out(), sink.got.size());
  // The ARP reply, at once: from lwIP's MAC and address to the asker.
  {
    const std::vector<uint8_t>& r = sink.got[0].f.data;
    net::ArpPacket rep;
    ASSERT_GE(r.size(), 60u);
    ASSERT_EQ(net::parse_arp(r.data() + net::kEthHeaderLen, r.size() - net::kEthHeaderLen, rep), net::ParseError::kOk);
    EXPECT_TRUE(std::equal(r.begin(), r.begin() + 6, kLocalMac.b.begin())) << "to the asker";
    EXPECT_EQ(rep.oper, 2);
    EXPECT_EQ(rep.sha, kPeerMac);
    EXPECT_EQ(rep.spa, kPeerIp);
    EXPECT_EQ(rep.tha, kLocalMac);
    EXPECT_EQ(rep.tpa, kLocalIp);
    EXPECT_EQ(sink.got[0].at, t0);
  }
  for (size_t i = 1; i < sink.got.size(); ++i) {
    const Seen& s = sink.got[i];
    const net::Frame p = s.parsed();
    EXPECT_EQ(p.eth.dst, kLocalMac) << "every frame goes to the gateway";
    EXPECT_EQ(p.eth.src, kPeerMac);
    EXPECT_EQ(p.eth.ethertype, net::kEtherTypeIpv4);
    EXPECT_GE(s.f.data.size(), 60u) << "padded to the Ethernet minimum";
    EXPECT_EQ(s.f.time, s.at) << "stamped with the time it was written";
  }
  // The RST for the closed port, at once.
  EXPECT_TRUE(sink.got[1].tcp(net::kRst | net::kAck));
  EXPECT_EQ(sink.got[1].at, t0);
  // The SYN-ACK at once, then again from lwIP's SYN timer (3 s; the first after 2.5-3 s: the
  // 500 ms tick's phase), in SystemC time.
  ASSERT_TRUE(sink.got[2].tcp(net::kSyn | net::kAck));
  EXPECT_EQ(sink.got[2].at, t0 + sc_time(5, SC_US));
  ASSERT_TRUE(sink.got[3].tcp(net::kSyn | net::kAck));
  EXPECT_EQ(sink.got[3].parsed().tcp.seq, sink.got[2].parsed().tcp.seq) << "the same SYN-ACK";
  const sc_time gap = sink.got[3].at - sink.got[2].at;
  EXPECT_GE(gap, sc_time(2.5, SC_SEC));
  EXPECT_LE(gap, sc_time(3, SC_SEC));
  EXPECT_EQ(sink.got[3].at.value() % sc_time(1, SC_MS).value(), 0u) << "lwIP's timers run on whole ms";
}

// ---- the platform: DeviceTlm <-> Link <-> LwipNode ----------------------------------------------
struct Platform : sc_core::sc_module {
  toe::sc::DeviceTlm dev;
  TlmInitiator cpu;
  sc_core::sc_signal<bool> irq{"irq"};
  toe::sc::Link link;
  toe::sc::LwipNode node;
  Tap to_node{"to_node"};    // engine -> lwIP, before the link
  Tap to_engine{"to_engine"};  // lwIP -> engine, before the link
  std::unique_ptr<toe::sc::SlowPathTimers> timers;
  sc_core::sc_fifo<EthFrame> dev_tx{"dev_tx", 64}, a_in{"a_in", 64}, node_rx{"node_rx", 64};
  sc_core::sc_fifo<EthFrame> node_tx{"node_tx", 64}, b_in{"b_in", 64}, dev_rx{"dev_rx", 64};

  static toe::sc::LinkConfig wire() {
    toe::sc::LinkConfig c;
    c.rate_bps = 1000000000;
    c.propagation_delay = sc_time(1, SC_US);
    return c;
  }

  SC_HAS_PROCESS(Platform);
  Platform(sc_core::sc_module_name n, const toe::sc::SlowPathTimersConfig& tcfg)
      : sc_module(n), dev("dev", toe::sc::DeviceTlmConfig{}), cpu("cpu"), link("link", wire(), wire()),
        node("node", node_config()) {
    sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    timers = std::make_unique<toe::sc::SlowPathTimers>("timers", dev, tcfg);
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
    link.to_a(dev_rx);
    dev.eth_rx(dev_rx);
    SC_THREAD(script_thread);
  }

  // Runs the script until it returns or `limit` passes; true when it returned.
  bool run(std::function<void(Platform&)> script, const sc_time& limit) {
    script_ = std::move(script);
    sc_core::sc_start(limit);
    return done_;
  }

  // ---- the host's side, over the register port
  void configure() {
    const auto& m = kLocalMac.b;
    cpu.wr(TOE_REG_MAC_ADDR_LO_OFFSET, uint32_t(m[2]) << 24 | uint32_t(m[3]) << 16 | uint32_t(m[4]) << 8 | m[5]);
    cpu.wr(TOE_REG_MAC_ADDR_HI_OFFSET, uint32_t(m[0]) << 8 | m[1]);
    cpu.wr(TOE_REG_IPV4_ADDR_OFFSET, kLocalIp);
    cpu.wr(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK);
  }
  void listen(uint16_t port) {
    cpu.wr(TOE_REG_CMD_PORTS_OFFSET, port);
    cpu.wr(TOE_REG_CMD_OFFSET, TOE_CMD_LISTEN);
  }
  void connect(uint32_t ip, uint16_t port, uint16_t lport, const net::MacAddr& mac, uint32_t tag) {
    const auto& m = mac.b;
    cpu.wr(TOE_REG_CMD_IP_OFFSET, ip);
    cpu.wr(TOE_REG_CMD_PORTS_OFFSET, uint32_t(lport) << TOE_REG_CMD_PORTS_LPORT_LSB | port);
    cpu.wr(TOE_REG_CMD_MAC_LO_OFFSET, uint32_t(m[2]) << 24 | uint32_t(m[3]) << 16 | uint32_t(m[4]) << 8 | m[5]);
    cpu.wr(TOE_REG_CMD_MAC_HI_OFFSET, uint32_t(m[0]) << 8 | m[1]);
    cpu.wr(TOE_REG_CMD_TAG_OFFSET, tag);
    cpu.wr(TOE_REG_CMD_OFFSET, TOE_CMD_CONNECT);
  }
  void command(uint32_t conn, uint32_t op) {
    cpu.wr(TOE_REG_CONN_SEL_OFFSET, conn);
    cpu.wr(TOE_REG_CMD_OFFSET, op);
  }
  // The host's transmit path: bytes through the transmit window from the write pointer `at`,
  // then tx_push with the new pointer.
  void push(uint32_t conn, const std::vector<uint8_t>& bytes, uint32_t at) {
    cpu.wr(TOE_REG_CONN_SEL_OFFSET, conn);
    cpu.wr(TOE_REG_TX_WIN_BASE_OFFSET, at);
    for (uint32_t w = 0; w < bytes.size(); w += 4) {
      uint32_t v = 0;
      for (uint32_t i = 0; i < 4 && w + i < bytes.size(); ++i) v |= uint32_t(bytes[w + i]) << (8 * i);
      const TlmInitiator::Result r = cpu.write(TOE_REG_TX_WINDOW_BASE + w, v);
      EXPECT_EQ(r.status, tlm::TLM_OK_RESPONSE);
      wait(r.delay);
    }
    cpu.wr(TOE_REG_CMD_VALUE_OFFSET, at + uint32_t(bytes.size()));
    cpu.wr(TOE_REG_CMD_OFFSET, TOE_CMD_TX_PUSH);
  }
  uint32_t conn_state(uint32_t conn) {
    cpu.wr(TOE_REG_CONN_SEL_OFFSET, conn);
    return cpu.rd(TOE_REG_CONN_STATE_OFFSET) & TOE_REG_CONN_STATE_STATE_MASK;
  }
  struct HostEvent {
    uint32_t type = 0, conn = 0, value = 0;
    sc_time at;
  };
  // The host events popped so far, in order.
  std::vector<HostEvent> host_events;
  // Pops the host event queue (checking every 10 us) until an event of type `want` comes, within
  // timeout; every event popped is kept in host_events.
  HostEvent next_event(uint32_t want, const sc_time& timeout) {
    const sc_time until = sc_core::sc_time_stamp() + timeout;
    while (sc_core::sc_time_stamp() < until) {
      const uint32_t head = cpu.rd(TOE_REG_EVQ_EVENT_OFFSET);
      if ((head & TOE_REG_EVQ_EVENT_EVT_MASK) == 0) {
        wait(sc_time(10, SC_US));
        continue;
      }
      HostEvent e{head & TOE_REG_EVQ_EVENT_EVT_MASK, cpu.rd(TOE_REG_EVQ_CONN_OFFSET), cpu.rd(TOE_REG_EVQ_VALUE_OFFSET),
                  sc_core::sc_time_stamp()};
      cpu.wr(TOE_REG_EVQ_POP_OFFSET, TOE_REG_EVQ_POP_POP_MASK);
      host_events.push_back(e);
      if (e.type == want) return e;
    }
    ADD_FAILURE() << "no host event " << want << " within " << timeout;
    return HostEvent{};
  }
  // Waits (checking every 10 us) until pred() holds, at most timeout; true when it did.
  bool wait_for(const std::function<bool()>& pred, const sc_time& timeout) {
    const sc_time until = sc_core::sc_time_stamp() + timeout;
    while (!pred()) {
      if (sc_core::sc_time_stamp() >= until) return false;
      wait(sc_time(10, SC_US));
    }
    return true;
  }
  toe::TcpState lwip_state(int conn) { return node.peer().state(conn); }

 private:
  void script_thread() {
    if (script_) script_(*this);
    done_ = true;
    sc_core::sc_stop();
  }
  std::function<void(Platform&)> script_;
  bool done_ = false;
};

// lwIP's active open to the engine's listener, up to both ends ESTABLISHED. Returns lwIP's
// connection id and sets *engine_conn to the engine's (the accepted event's).
int open_from_lwip(Platform& p, uint32_t* engine_conn) {
  p.configure();
  p.listen(80);
  wait(sc_time(1, SC_US));
  const int c = p.node.peer().connect(kLocalIp, 80, 0, PeerApp::kManual);
  EXPECT_GT(c, 0);
  EXPECT_TRUE(p.wait_for([&] { return p.lwip_state(c) == toe::TcpState::ESTABLISHED; }, sc_time(1, SC_MS)));
  *engine_conn = p.next_event(TOE_EVT_ACCEPTED, sc_time(1, SC_MS)).conn;
  return c;
}

TEST(LwipNode, ConnectsToTheEnginesListenerOverALink) {
  toe::platform_test::fresh_simulation();
  Platform plat("p", toe::sc::SlowPathTimersConfig{});
  ASSERT_TRUE(plat.run(
      [](Platform& p) {
        p.configure();
        p.listen(80);
        wait(sc_time(1, SC_US));
        const sc_time called = sc_core::sc_time_stamp();
        const int c = p.node.peer().connect(kLocalIp, 80, 0, PeerApp::kManual);
        ASSERT_GT(c, 0);
        ASSERT_TRUE(p.wait_for([&] { return p.lwip_state(c) == toe::TcpState::ESTABLISHED; }, sc_time(1, SC_MS)));
        const Platform::HostEvent acc = p.next_event(TOE_EVT_ACCEPTED, sc_time(1, SC_MS));
        EXPECT_EQ(p.conn_state(acc.conn), TOE_STATE_ESTABLISHED);
        const std::vector<toe::TcpState> want{toe::TcpState::SYN_SENT, toe::TcpState::ESTABLISHED};
        EXPECT_EQ(p.node.peer().state_log(c), want);

        // The handshake on the wire: SYN (at the call), SYN-ACK, ACK.
        ASSERT_GE(p.to_engine.seen.size(), 2u);
        EXPECT_TRUE(p.to_engine.seen[0].tcp(net::kSyn));
        EXPECT_EQ(p.to_engine.seen[0].f.time, called) << "the SYN leaves at the connect call";
        EXPECT_TRUE(p.to_engine.seen[1].tcp(net::kAck));
        ASSERT_GE(p.to_node.seen.size(), 1u);
        EXPECT_TRUE(p.to_node.seen[0].tcp(net::kSyn | net::kAck));
        const net::Frame syn_ack = p.to_node.seen[0].parsed();
        EXPECT_EQ(syn_ack.eth.dst, kPeerMac);
        EXPECT_EQ(p.node.peer().tcb(c).rcv_nxt, syn_ack.tcp.seq + 1);

        // Data from lwIP reaches the engine (event data, RCV.NXT) and is ACKed (ACK_EVERY 1).
        const std::string msg = "hello, engine";
        EXPECT_EQ(p.node.peer().send(c, reinterpret_cast<const uint8_t*>(msg.data()), msg.size()), msg.size());
        const Platform::HostEvent data = p.next_event(TOE_EVT_DATA, sc_time(1, SC_MS));
        EXPECT_EQ(data.conn, acc.conn);
        EXPECT_EQ(data.value, msg.size());
        EXPECT_TRUE(p.wait_for([&] { return p.node.peer().tcb(c).snd_una == p.node.peer().tcb(c).snd_nxt; },
                               sc_time(1, SC_MS)))
            << "the engine ACKed the data";
        EXPECT_EQ(p.node.dropped_frames(), 0u);
        EXPECT_EQ(p.node.frames_in(), p.to_node.seen.size());
        EXPECT_EQ(p.node.frames_out(), p.to_engine.seen.size());
        EXPECT_EQ(p.timers->retransmits(), 0u);
      },
      sc_time(1, SC_SEC)));
}

TEST(SlowPathTimers, RetransmitsTheSynAckWhoseAckWasLost) {
  toe::platform_test::fresh_simulation();
  Platform plat("p", toe::sc::SlowPathTimersConfig{});  // RTO 1 s
  plat.to_engine.drop = [](const EthFrame&, size_t i) { return i == 1; };  // lwIP's ACK of the SYN-ACK
  ASSERT_TRUE(plat.run(
      [](Platform& p) {
        p.configure();
        p.listen(80);
        wait(sc_time(1, SC_US));
        const int c = p.node.peer().connect(kLocalIp, 80, 0, PeerApp::kManual);
        ASSERT_TRUE(p.wait_for([&] { return p.lwip_state(c) == toe::TcpState::ESTABLISHED; }, sc_time(1, SC_MS)));
        ASSERT_EQ(p.to_engine.dropped, 1u);
        ASSERT_EQ(p.to_node.seen.size(), 1u);
        const Seen first = p.to_node.seen[0];
        ASSERT_TRUE(first.tcp(net::kSyn | net::kAck));
        // The engine is left in SYN-RECEIVED; 1 s later the timer expires.
        const Platform::HostEvent acc = p.next_event(TOE_EVT_ACCEPTED, sc_time(1.1, SC_SEC));
        ASSERT_EQ(p.to_node.seen.size(), 2u);
        const Seen again = p.to_node.seen[1];
        ASSERT_TRUE(again.tcp(net::kSyn | net::kAck));
        EXPECT_EQ(again.parsed().tcp.seq, first.parsed().tcp.seq) << "the same SYN-ACK";
        const sc_time gap = again.f.time - first.f.time;
        EXPECT_GE(gap, sc_time(1, SC_SEC));
        EXPECT_LE(gap, sc_time(1, SC_SEC) + sc_time(20, SC_US));
        EXPECT_EQ(p.timers->retransmits(), 1u);
        // lwIP (ESTABLISHED) answered the duplicate SYN-ACK with an ACK, which the engine took.
        ASSERT_EQ(p.to_engine.seen.size(), 3u);
        EXPECT_TRUE(p.to_engine.seen[2].tcp(net::kAck));
        EXPECT_GE(acc.at, again.f.time);
        EXPECT_EQ(p.conn_state(acc.conn), TOE_STATE_ESTABLISHED);
        EXPECT_TRUE(p.wait_for([&] { return !p.timers->retx_running(acc.conn); }, sc_time(100, SC_US)))
            << "retx_disarm on the ACK";
        EXPECT_EQ(p.timers->give_ups(), 0u);
      },
      sc_time(2, SC_SEC)));
}

TEST(SlowPathTimers, GivesUpOnAConnectionNeverAnswered) {
  toe::platform_test::fresh_simulation();
  toe::sc::SlowPathTimersConfig tc;
  tc.rto_initial = sc_time(10, SC_MS);
  tc.rto_max = sc_time(40, SC_MS);
  tc.max_retries = 3;
  Platform plat("p", tc);
  plat.to_node.drop = [](const EthFrame&, size_t) { return true; };  // nothing reaches lwIP
  ASSERT_TRUE(plat.run(
      [](Platform& p) {
        p.configure();
        p.connect(kPeerIp, 80, 40000, kPeerMac, 77);
        const Platform::HostEvent opened = p.next_event(TOE_EVT_OPENED, sc_time(100, SC_US));
        EXPECT_EQ(opened.value, 77u);
        EXPECT_EQ(p.conn_state(opened.conn), TOE_STATE_SYN_SENT);
        const Platform::HostEvent out = p.next_event(TOE_EVT_TIMED_OUT, sc_time(200, SC_MS));
        EXPECT_EQ(out.conn, opened.conn);
        EXPECT_EQ(p.conn_state(opened.conn), TOE_STATE_CLOSED);
        EXPECT_EQ(p.timers->retransmits(), 3u);
        EXPECT_EQ(p.timers->give_ups(), 1u);
        // The SYN and its 3 retransmissions, 10, 20 and 40 ms apart (doubling, capped at 40 ms);
        // the give-up 40 ms after the last one (no RST: not synchronized).
        ASSERT_EQ(p.to_node.seen.size(), 4u);
        const sc_time gaps[] = {sc_time(10, SC_MS), sc_time(20, SC_MS), sc_time(40, SC_MS)};
        for (size_t i = 0; i < 4; ++i) {
          EXPECT_TRUE(p.to_node.seen[i].tcp(net::kSyn)) << i;
          EXPECT_EQ(p.to_node.seen[i].parsed().tcp.seq, p.to_node.seen[0].parsed().tcp.seq) << i;
          if (i == 0) continue;
          const sc_time gap = p.to_node.seen[i].f.time - p.to_node.seen[i - 1].f.time;
          EXPECT_GE(gap, gaps[i - 1] - sc_time(10, SC_US)) << i;
          EXPECT_LE(gap, gaps[i - 1] + sc_time(10, SC_US)) << i;
        }
        EXPECT_GE(out.at - p.to_node.seen[3].f.time, sc_time(40, SC_MS));
        EXPECT_FALSE(p.timers->retx_running(opened.conn));
        // Nothing more: the timers are gone with the connection.
        wait(sc_time(100, SC_MS));
        EXPECT_EQ(p.to_node.seen.size(), 4u);
        EXPECT_EQ(p.timers->retransmits(), 3u);
        EXPECT_EQ(p.timers->give_ups(), 1u);
      },
      sc_time(1, SC_SEC)));
}

std::vector<uint8_t> pattern(size_t n) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = toe::sim::source_pattern_byte(i);
  return v;
}

// The engine's data is never answered: the retransmission (go back to SND.UNA, the same first
// segment again) brings retx_arm again with the same value, which must not restart the backoff:
// retransmissions 10, 20, 40 ms apart, then give_up 40 ms later, with a RST (synchronized).
TEST(SlowPathTimers, BacksOffOnUnansweredDataAndGivesUpWithARst) {
  toe::platform_test::fresh_simulation();
  toe::sc::SlowPathTimersConfig tc;
  tc.rto_initial = sc_time(10, SC_MS);
  tc.rto_max = sc_time(1, SC_SEC);
  tc.max_retries = 3;
  Platform plat("p", tc);
  bool cut = false;
  plat.to_node.drop = [&cut](const EthFrame&, size_t) { return cut; };
  ASSERT_TRUE(plat.run(
      [&cut](Platform& p) {
        uint32_t conn = 0;
        const int c = open_from_lwip(p, &conn);
        cut = true;  // from now on nothing reaches lwIP
        const size_t first = p.to_node.seen.size();
        p.push(conn, pattern(100), 0);
        const Platform::HostEvent out = p.next_event(TOE_EVT_TIMED_OUT, sc_time(300, SC_MS));
        EXPECT_EQ(out.conn, conn);
        EXPECT_EQ(p.conn_state(conn), TOE_STATE_CLOSED);
        EXPECT_EQ(p.timers->retransmits(), 3u);
        EXPECT_EQ(p.timers->give_ups(), 1u);
        EXPECT_EQ(p.timers->counters().retx_restarts, 0u) << "our own retransmission is not ACK progress";
        ASSERT_EQ(p.to_node.seen.size(), first + 5) << "the segment, 3 retransmissions, the RST";
        const sc_time gaps[] = {sc_time(10, SC_MS), sc_time(20, SC_MS), sc_time(40, SC_MS), sc_time(80, SC_MS)};
        const uint32_t seq = p.to_node.seen[first].parsed().tcp.seq;
        for (size_t i = 0; i < 5; ++i) {
          const Seen& s = p.to_node.seen[first + i];
          const net::Frame f = s.parsed();
          EXPECT_EQ(f.tcp.seq, i < 4 ? seq : seq + 100) << i;
          if (i < 4)
            EXPECT_EQ(f.payload_len, 100u) << i;
          else
            EXPECT_TRUE(f.tcp.has(net::kRst)) << "give_up resets a synchronized connection";
          if (i == 0) continue;
          const sc_time gap = s.f.time - p.to_node.seen[first + i - 1].f.time;
          EXPECT_GE(gap, gaps[i - 1] - sc_time(10, SC_US)) << i;
          EXPECT_LE(gap, gaps[i - 1] + sc_time(10, SC_US)) << i;
        }
        EXPECT_EQ(p.lwip_state(c), toe::TcpState::ESTABLISHED) << "lwIP never heard of it";
      },
      sc_time(1, SC_SEC)));
}

// Three segments, the second lost: lwIP ACKs the first (its duplicate ACK for the third, out of
// order). At the expiry the engine goes back to SND.UNA and sends the second segment: retx_arm
// with a new value, so the timer restarts (RTO and retries back to their start), and the data
// arrives whole.
TEST(SlowPathTimers, RestartsTheTimerAfterAckProgress) {
  toe::platform_test::fresh_simulation();
  toe::sc::SlowPathTimersConfig tc;
  tc.rto_initial = sc_time(10, SC_MS);
  Platform plat("p", tc);
  size_t lose = SIZE_MAX;  // the index (in to_node) of the frame to lose
  plat.to_node.drop = [&lose](const EthFrame&, size_t i) { return i == lose; };
  ASSERT_TRUE(plat.run(
      [&lose](Platform& p) {
        uint32_t conn = 0;
        const int c = open_from_lwip(p, &conn);
        lose = p.to_node.seen.size() + 1;  // the second data segment
        const std::vector<uint8_t> data = pattern(3000);  // 1460 + 1460 + 80
        p.push(conn, data, 0);
        ASSERT_TRUE(p.wait_for([&] { return p.node.peer().bytes_received(c) == data.size(); }, sc_time(100, SC_MS)));
        EXPECT_EQ(p.node.peer().take_received(c), data);
        EXPECT_EQ(p.timers->retransmits(), 1u);
        EXPECT_EQ(p.timers->counters().retx_restarts, 1u);
        EXPECT_TRUE(p.wait_for([&] { return !p.timers->retx_running(conn); }, sc_time(10, SC_MS)))
            << "everything acknowledged: retx_disarm";
        EXPECT_EQ(p.timers->give_ups(), 0u);
      },
      sc_time(1, SC_SEC)));
}

TEST(SlowPathTimers, SendsTheDelayedAck) {
  toe::platform_test::fresh_simulation();
  Platform plat("p", toe::sc::SlowPathTimersConfig{});  // delayed ACK 40 ms
  ASSERT_TRUE(plat.run(
      [](Platform& p) {
        p.cpu.wr(TOE_REG_ACK_EVERY_OFFSET, 2);
        uint32_t conn = 0;
        const int c = open_from_lwip(p, &conn);
        const size_t before = p.to_node.seen.size();
        const std::string msg = "one segment";
        ASSERT_EQ(p.node.peer().send(c, reinterpret_cast<const uint8_t*>(msg.data()), msg.size()), msg.size());
        ASSERT_TRUE(p.wait_for([&] { return p.to_engine.seen.size() > 2; }, sc_time(100, SC_US)));
        const sc_time sent = p.to_engine.seen.back().f.time;
        EXPECT_EQ(p.next_event(TOE_EVT_DATA, sc_time(1, SC_MS)).value, msg.size());
        wait(sc_time(30, SC_MS));
        EXPECT_EQ(p.to_node.seen.size(), before) << "no ACK before the delayed-ACK timer";
        ASSERT_TRUE(p.wait_for([&] { return p.to_node.seen.size() > before; }, sc_time(20, SC_MS)));
        const Seen ack = p.to_node.seen[before];
        EXPECT_TRUE(ack.tcp(net::kAck));
        EXPECT_EQ(ack.parsed().tcp.ack, p.node.peer().tcb(c).snd_nxt);
        EXPECT_GE(ack.f.time - sent, sc_time(40, SC_MS));
        EXPECT_LE(ack.f.time - sent, sc_time(40, SC_MS) + sc_time(20, SC_US));
        EXPECT_EQ(p.timers->delayed_acks(), 1u);
        EXPECT_TRUE(p.wait_for([&] { return p.node.peer().tcb(c).snd_una == p.node.peer().tcb(c).snd_nxt; },
                               sc_time(1, SC_MS)));
      },
      sc_time(1, SC_SEC)));
}

TEST(SlowPathTimers, ExpiresTimeWaitAfterTwiceTheMsl) {
  toe::platform_test::fresh_simulation();
  toe::sc::SlowPathTimersConfig tc;
  tc.msl = sc_time(50, SC_MS);
  Platform plat("p", tc);
  ASSERT_TRUE(plat.run(
      [](Platform& p) {
        uint32_t conn = 0;
        const int c = open_from_lwip(p, &conn);
        p.command(conn, TOE_CMD_CLOSE);  // the engine's FIN: lwIP goes to CLOSE_WAIT
        ASSERT_TRUE(p.wait_for([&] { return p.node.peer().peer_closed(c); }, sc_time(1, SC_MS)));
        p.node.peer().close(c);  // lwIP's FIN: the engine goes FIN_WAIT_2 -> TIME_WAIT
        ASSERT_TRUE(p.wait_for([&] { return p.conn_state(conn) == TOE_STATE_TIME_WAIT; }, sc_time(1, SC_MS)));
        const sc_time entered = sc_core::sc_time_stamp();
        EXPECT_TRUE(p.wait_for([&] { return p.lwip_state(c) == toe::TcpState::CLOSED; }, sc_time(1, SC_MS)))
            << "lwIP's LAST_ACK acknowledged";
        wait(sc_time(90, SC_MS));
        EXPECT_EQ(p.conn_state(conn), TOE_STATE_TIME_WAIT);
        const Platform::HostEvent closed = p.next_event(TOE_EVT_CLOSED, sc_time(20, SC_MS));
        EXPECT_EQ(closed.conn, conn);
        EXPECT_EQ(p.conn_state(conn), TOE_STATE_CLOSED);
        EXPECT_GE(closed.at - entered, sc_time(100, SC_MS) - sc_time(20, SC_US));
        EXPECT_EQ(p.timers->time_wait_expiries(), 1u);
        EXPECT_EQ(p.timers->retransmits(), 0u);
      },
      sc_time(1, SC_SEC)));
}

TEST(SlowPathTimers, RefusesABadConfig) {
  toe::platform_test::fresh_simulation();
  toe::sc::DeviceTlm dev("dev", toe::sc::DeviceTlmConfig{});
  toe::sc::SlowPathTimersConfig c;
  c.poll = SC_ZERO_TIME;
  EXPECT_THROW(toe::sc::SlowPathTimers("t1", dev, c), std::invalid_argument);
  c = {};
  c.rto_max = sc_time(1, SC_MS);
  EXPECT_THROW(toe::sc::SlowPathTimers("t2", dev, c), std::invalid_argument);
}

}  // namespace
