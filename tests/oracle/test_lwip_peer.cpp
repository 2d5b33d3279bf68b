// SPDX-License-Identifier: Apache-2.0
// Tests of the lwIP oracle wrapper (toe::sim::LwipPeer): lwIP 2.1.3 driven with
// segments built by the project codec, asserting on the fields of what it emits.
// Values asserted here are what lwIP 2.1.3 with sim/peers/lwip/lwipopts.h does;
// where that differs from RFC 9293, the CONFORMANCE.md ID is named.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

#include "lwip_peer.hpp"
#include "toe/net/codec.hpp"

namespace {

using toe::TcpState;
using toe::sim::LwipPeer;
using toe::sim::LwipPeerConfig;
using toe::sim::PeerApp;
using toe::sim::PeerError;
namespace net = toe::net;

constexpr uint32_t kPeerIp = 0x0A000001;    // lwIP, 10.0.0.1
constexpr uint32_t kRemoteIp = 0x0A000002;  // the scripted side, 10.0.0.2
constexpr uint64_t kMs = 1000000;
constexpr uint64_t kSec = 1000 * kMs;
constexpr uint16_t kWin = 65535;
// lwIP's ISN: a counter starting at 6510, advanced by tcp_ticks on each use. A passive open
// sends its SYN-ACK at that value; an active open sends its SYN one below it.
constexpr uint32_t kPassiveIss0 = 6510;
constexpr uint32_t kActiveIss0 = 6509;

constexpr uint8_t kS = net::kSyn, kA = net::kAck, kF = net::kFin, kR = net::kRst, kP = net::kPsh;

struct Seg {
  net::Ipv4Header ip;
  net::TcpHeader tcp;
  std::vector<uint8_t> data;
  uint64_t t_ns = 0;
};

Seg parse(const std::vector<uint8_t>& pkt, uint64_t t_ns = 0) {
  net::Frame f;
  const net::ParseError e = net::parse_ip_packet(pkt.data(), pkt.size(), f);  // checksums verified
  EXPECT_EQ(e, net::ParseError::kOk) << net::to_string(e);
  EXPECT_TRUE(f.has_tcp);
  Seg s;
  s.ip = f.ip;
  s.tcp = f.tcp;
  s.data.assign(f.payload, f.payload + f.payload_len);
  s.t_ns = t_ns;
  return s;
}

std::vector<Seg> take(LwipPeer& p) {
  std::vector<Seg> v;
  for (const auto& pkt : p.take_output()) v.push_back(parse(pkt, p.now_ns()));
  return v;
}

std::vector<uint8_t> tcp_pkt(uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
                             uint16_t win = kWin, const std::vector<uint8_t>& data = {},
                             uint16_t mss_opt = 0) {
  net::Ipv4Header ip;
  ip.src = kRemoteIp;
  ip.dst = kPeerIp;
  net::TcpHeader t;
  t.src_port = sport;
  t.dst_port = dport;
  t.seq = seq;
  t.ack = ack;
  t.flags = flags;
  t.window = win;
  if (mss_opt != 0) {
    t.opts.has_mss = true;
    t.opts.mss = mss_opt;
  }
  return net::build_ip_tcp(ip, t, data.data(), data.size());
}

// Injects one segment and returns what lwIP emitted in response.
std::vector<Seg> feed(LwipPeer& p, const std::vector<uint8_t>& pkt) {
  p.input(pkt);
  return take(p);
}

// Runs lwIP's timers one due time after another up to `until`, collecting emitted
// segments with their emission time; stops early once stop() holds.
template <typename Stop>
std::vector<Seg> run_timers(LwipPeer& p, uint64_t until, Stop stop) {
  std::vector<Seg> out;
  while (p.now_ns() < until && !stop()) {
    const uint64_t t = std::min(p.next_timer_ns(), until);
    p.advance_to(t);
    for (auto& s : take(p)) out.push_back(std::move(s));
  }
  return out;
}
std::vector<Seg> run_timers(LwipPeer& p, uint64_t until) {
  return run_timers(p, until, [] { return false; });
}

std::vector<uint8_t> bytes(size_t n, uint8_t mul = 13, uint8_t add = 1) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * mul + add);
  return v;
}

// Passive open from remote port `rport` (remote ISN `riss`) to a listener on `lport`;
// returns the connection id. Asserts the SYN-ACK and the ESTABLISHED transition.
int passive_open(LwipPeer& p, int listener, uint16_t rport, uint16_t lport, uint32_t riss,
                 uint32_t expect_iss = kPassiveIss0) {
  auto synack = feed(p, tcp_pkt(rport, lport, riss, 0, kS, kWin, {}, 1460));
  EXPECT_EQ(synack.size(), 1u);
  if (synack.size() != 1) return -1;
  EXPECT_EQ(synack[0].tcp.flags, kS | kA);
  EXPECT_EQ(synack[0].tcp.seq, expect_iss);
  EXPECT_EQ(synack[0].tcp.ack, riss + 1);
  const size_t before = p.accepted(listener).size();
  auto none = feed(p, tcp_pkt(rport, lport, riss + 1, expect_iss + 1, kA));
  EXPECT_TRUE(none.empty());
  const auto acc = p.accepted(listener);
  EXPECT_EQ(acc.size(), before + 1);
  if (acc.size() != before + 1) return -1;
  EXPECT_EQ(p.state(acc.back()), TcpState::ESTABLISHED);
  return acc.back();
}

// ---- HS2: passive open ---------------------------------------------------------------------------
TEST(LwipPeer, HS2_PassiveOpenSynAckWithMssThenAckEstablishes) {
  LwipPeer p;
  const int l = p.listen(80, PeerApp::kManual);
  ASSERT_GT(l, 0);
  EXPECT_TRUE(p.take_output().empty());

  auto out = feed(p, tcp_pkt(40000, 80, 1000, 0, kS, 8192, {}, 1200));
  ASSERT_EQ(out.size(), 1u);
  const Seg& sa = out[0];
  EXPECT_EQ(sa.ip.src, kPeerIp);
  EXPECT_EQ(sa.ip.dst, kRemoteIp);
  EXPECT_EQ(sa.ip.ttl, 255);   // lwIP's IP_DEFAULT_TTL
  EXPECT_FALSE(sa.ip.df);      // lwIP never sets DF
  EXPECT_EQ(sa.ip.id, 0);      // IP ID counter starts at 0 in every instance
  EXPECT_EQ(sa.tcp.src_port, 80);
  EXPECT_EQ(sa.tcp.dst_port, 40000);
  EXPECT_EQ(sa.tcp.flags, kS | kA);
  EXPECT_EQ(sa.tcp.seq, kPassiveIss0);
  EXPECT_EQ(sa.tcp.ack, 1001u);
  EXPECT_EQ(sa.tcp.window, kWin);
  EXPECT_TRUE(sa.tcp.opts.has_mss);
  EXPECT_EQ(sa.tcp.opts.mss, 1460);  // its own MSS, not the peer's 1200
  EXPECT_FALSE(sa.tcp.opts.has_wscale);
  EXPECT_FALSE(sa.tcp.opts.sack_permitted);
  EXPECT_FALSE(sa.tcp.opts.has_ts);
  EXPECT_EQ(sa.tcp.data_offset, 6);
  EXPECT_TRUE(sa.data.empty());

  // The half-open connection is visible before accept.
  ASSERT_EQ(p.connections().size(), 1u);
  const int c = p.connections()[0];
  EXPECT_EQ(p.state(c), TcpState::SYN_RECEIVED);
  EXPECT_TRUE(p.accepted(l).empty());
  auto t = p.tcb(c);
  EXPECT_TRUE(t.valid);
  EXPECT_EQ(t.iss, kPassiveIss0);
  EXPECT_EQ(t.snd_una, kPassiveIss0);
  EXPECT_EQ(t.snd_nxt, kPassiveIss0 + 1);
  EXPECT_EQ(t.rcv_nxt, 1001u);
  EXPECT_EQ(t.snd_wnd, 8192u);
  EXPECT_EQ(t.mss, 1200);  // send MSS from the SYN's option
  EXPECT_EQ(p.remote_port(c), 40000);
  EXPECT_EQ(p.local_port(c), 80);
  EXPECT_EQ(p.remote_ip(c), kRemoteIp);

  out = feed(p, tcp_pkt(40000, 80, 1001, kPassiveIss0 + 1, kA, 8192));
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(p.state(c), TcpState::ESTABLISHED);
  EXPECT_EQ(p.accepted(l), std::vector<int>{c});
  EXPECT_EQ(p.state_log(c), (std::vector<TcpState>{TcpState::SYN_RECEIVED, TcpState::ESTABLISHED}));
  t = p.tcb(c);
  EXPECT_EQ(t.snd_una, kPassiveIss0 + 1);
  EXPECT_EQ(t.snd_nxt, kPassiveIss0 + 1);
  EXPECT_EQ(t.rcv_wnd, kWin);
}

TEST(LwipPeer, ConfiguredMssIsAdvertised) {
  LwipPeerConfig cfg;
  cfg.mss = 536;
  LwipPeer p(cfg);
  p.listen(80, PeerApp::kManual);
  auto out = feed(p, tcp_pkt(40000, 80, 1000, 0, kS, kWin, {}, 1460));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].tcp.opts.mss, 536);
  EXPECT_EQ(p.tcb(p.connections()[0]).mss, 536);
}

// ---- active open -----------------------------------------------------------------------------------
TEST(LwipPeer, ActiveOpenSynThenSynAckGivesAckAndEstablished) {
  LwipPeer p;
  const int c = p.connect(kRemoteIp, 9000, 5555, PeerApp::kManual);
  ASSERT_GT(c, 0);
  auto out = take(p);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].tcp.flags, kS);
  EXPECT_EQ(out[0].tcp.seq, kActiveIss0);
  EXPECT_EQ(out[0].tcp.ack, 0u);
  EXPECT_EQ(out[0].tcp.src_port, 5555);
  EXPECT_EQ(out[0].tcp.dst_port, 9000);
  EXPECT_EQ(out[0].tcp.window, kWin);
  EXPECT_TRUE(out[0].tcp.opts.has_mss);
  EXPECT_EQ(out[0].tcp.opts.mss, 1460);
  EXPECT_EQ(p.state(c), TcpState::SYN_SENT);
  EXPECT_EQ(p.tcb(c).iss, kActiveIss0);

  out = feed(p, tcp_pkt(9000, 5555, 777, kActiveIss0 + 1, kS | kA, 30000, {}, 1000));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].tcp.flags, kA);
  EXPECT_EQ(out[0].tcp.seq, kActiveIss0 + 1);
  EXPECT_EQ(out[0].tcp.ack, 778u);
  EXPECT_EQ(out[0].tcp.window, kWin);
  EXPECT_TRUE(out[0].data.empty());
  EXPECT_EQ(p.state(c), TcpState::ESTABLISHED);
  EXPECT_EQ(p.state_log(c), (std::vector<TcpState>{TcpState::SYN_SENT, TcpState::ESTABLISHED}));
  const auto t = p.tcb(c);
  EXPECT_EQ(t.snd_una, kActiveIss0 + 1);
  EXPECT_EQ(t.snd_wnd, 30000u);
  EXPECT_EQ(t.rcv_nxt, 778u);
  EXPECT_EQ(t.mss, 1000);

  // Data from the test through send(), then received back through take_received().
  const auto msg = bytes(300);
  EXPECT_EQ(p.send(c, msg), 300u);
  out = take(p);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].tcp.flags, kA | kP);
  EXPECT_EQ(out[0].tcp.seq, kActiveIss0 + 1);
  EXPECT_EQ(out[0].data, msg);
  out = feed(p, tcp_pkt(9000, 5555, 778, kActiveIss0 + 301, kA | kP, 30000, bytes(50, 3, 9)));
  EXPECT_EQ(p.take_received(c), bytes(50, 3, 9));
  EXPECT_EQ(p.bytes_received(c), 50u);
  EXPECT_EQ(p.bytes_sent(c), 300u);
}

// ---- echo ----------------------------------------------------------------------------------------------
TEST(LwipPeer, EchoAppReturnsDataWithPiggybackedAck) {
  LwipPeer p;
  const int l = p.listen(7, PeerApp::kEcho);
  const int c = passive_open(p, l, 40001, 7, 5000);
  ASSERT_GT(c, 0);

  const auto msg = bytes(100);
  auto out = feed(p, tcp_pkt(40001, 7, 5001, kPassiveIss0 + 1, kA | kP, kWin, msg));
  ASSERT_EQ(out.size(), 1u);  // the echo carries the ACK: no separate pure ACK
  EXPECT_EQ(out[0].tcp.flags, kA | kP);
  EXPECT_EQ(out[0].tcp.seq, kPassiveIss0 + 1);
  EXPECT_EQ(out[0].tcp.ack, 5101u);
  EXPECT_EQ(out[0].tcp.window, kWin - 100);  // announced before tcp_recved's update threshold
  EXPECT_EQ(out[0].data, msg);
  EXPECT_EQ(out[0].ip.total_length, 40 + 100);
  EXPECT_EQ(p.bytes_received(c), 100u);
  EXPECT_EQ(p.bytes_sent(c), 100u);

  out = feed(p, tcp_pkt(40001, 7, 5101, kPassiveIss0 + 101, kA));
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(p.tcb(c).snd_una, kPassiveIss0 + 101);
  EXPECT_EQ(p.state(c), TcpState::ESTABLISHED);
}

// ---- HS1: closed port -------------------------------------------------------------------------------
TEST(LwipPeer, HS1_RstToClosedPortIsRstAckWithSeqFromAckField) {
  LwipPeer p;
  // ACK bit off, a non-zero ACK field: RFC 9293 wants <SEQ=0><ACK=SEG.SEQ+SEG.LEN><RST,ACK>;
  // lwIP copies the (meaningless) ACK field into SEQ.
  auto out = feed(p, tcp_pkt(40000, 81, 1000, 0x12345678, kS));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].tcp.flags, kR | kA);
  EXPECT_EQ(out[0].tcp.seq, 0x12345678u);
  EXPECT_EQ(out[0].tcp.ack, 1001u);  // SYN counts one
  EXPECT_EQ(out[0].tcp.src_port, 81);
  EXPECT_EQ(out[0].tcp.dst_port, 40000);
  // lwIP swaps the RST window twice; with TCP_WND = 0xFFFF the swap is invisible.
  EXPECT_EQ(out[0].tcp.window, kWin);
  EXPECT_TRUE(out[0].data.empty());

  // ACK bit on with data: RFC wants <SEQ=SEG.ACK><RST>; lwIP sends RST+ACK, ack = seq+len.
  out = feed(p, tcp_pkt(40000, 81, 2000, 3000, kA | kP, kWin, bytes(10)));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].tcp.flags, kR | kA);
  EXPECT_EQ(out[0].tcp.seq, 3000u);
  EXPECT_EQ(out[0].tcp.ack, 2010u);

  // Never a reply to a RST.
  EXPECT_TRUE(feed(p, tcp_pkt(40000, 81, 2000, 3000, kR | kA)).empty());
  EXPECT_TRUE(p.connections().empty());
}

// ---- FN5: passive close -------------------------------------------------------------------------------
TEST(LwipPeer, FN5_PeerFinTakesEchoThroughCloseWaitAndLastAck) {
  LwipPeer p;
  const int l = p.listen(7, PeerApp::kEcho);
  const int c = passive_open(p, l, 40002, 7, 100);
  ASSERT_GT(c, 0);

  auto out = feed(p, tcp_pkt(40002, 7, 101, kPassiveIss0 + 1, kF | kA));
  // lwIP ACKs the FIN, the echo app closes at once: one FIN+ACK.
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].tcp.flags, kF | kA);
  EXPECT_EQ(out[0].tcp.seq, kPassiveIss0 + 1);
  EXPECT_EQ(out[0].tcp.ack, 102u);
  EXPECT_EQ(out[0].tcp.window, kWin - 1);  // the FIN took one unit of the announced window
  EXPECT_TRUE(out[0].data.empty());
  EXPECT_TRUE(p.peer_closed(c));
  EXPECT_EQ(p.state(c), TcpState::LAST_ACK);

  out = feed(p, tcp_pkt(40002, 7, 102, kPassiveIss0 + 2, kA));
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(p.state(c), TcpState::CLOSED);
  EXPECT_FALSE(p.tcb(c).valid);
  EXPECT_EQ(p.state_log(c),
            (std::vector<TcpState>{TcpState::SYN_RECEIVED, TcpState::ESTABLISHED, TcpState::CLOSE_WAIT,
                                   TcpState::LAST_ACK, TcpState::CLOSED}));
  EXPECT_EQ(p.error(c), PeerError::kNone);
  EXPECT_FALSE(p.was_reset(c));
}

// ---- TW1 / FN5: active close and TIME_WAIT -----------------------------------------------------------
// Active close by the application (close() or shutdown_tx()), the peer ACKs our FIN, then sends
// its own FIN at t = 10 s. Returns the connection; the FIN's ACK is checked here.
int active_close_to_time_wait(LwipPeer& p, bool half_close) {
  const int l = p.listen(80, PeerApp::kManual);
  const int c = passive_open(p, l, 40003, 80, 100);
  if (c < 0) return c;
  if (half_close) {
    p.shutdown_tx(c);
  } else {
    p.close(c);
  }
  auto out = take(p);
  EXPECT_EQ(out.size(), 1u);
  if (out.size() != 1) return -1;
  EXPECT_EQ(out[0].tcp.flags, kF | kA);
  EXPECT_EQ(out[0].tcp.seq, kPassiveIss0 + 1);
  EXPECT_EQ(out[0].tcp.ack, 101u);
  EXPECT_EQ(p.state(c), TcpState::FIN_WAIT_1);

  EXPECT_TRUE(feed(p, tcp_pkt(40003, 80, 101, kPassiveIss0 + 2, kA)).empty());
  EXPECT_EQ(p.state(c), TcpState::FIN_WAIT_2);

  EXPECT_TRUE(run_timers(p, 10 * kSec).empty());  // no FIN_WAIT_2 timeout within 10 s
  out = feed(p, tcp_pkt(40003, 80, 101, kPassiveIss0 + 2, kF | kA));
  EXPECT_EQ(out.size(), 1u);  // the FIN is ACKed at once
  if (out.size() != 1) return -1;
  EXPECT_EQ(out[0].tcp.flags, kA);
  EXPECT_EQ(out[0].tcp.seq, kPassiveIss0 + 2);
  EXPECT_EQ(out[0].tcp.ack, 102u);
  EXPECT_EQ(out[0].tcp.window, kWin - 1);  // the FIN took one unit of the announced window
  EXPECT_EQ(p.state(c), TcpState::TIME_WAIT);
  EXPECT_EQ(p.state_log(c),
            (std::vector<TcpState>{TcpState::SYN_RECEIVED, TcpState::ESTABLISHED, TcpState::FIN_WAIT_1,
                                   TcpState::FIN_WAIT_2, TcpState::TIME_WAIT}));
  return c;
}

// lwIP's TIME_WAIT: the pcb is freed at the first 500 ms slow tick where more than
// 2*TCP_MSL/500 ms = 240 ticks have passed since pcb->tmr, the tick count of the last segment
// received while the receive side was open. The slow tick runs at 0.25 s + k*0.5 s here.
TEST(LwipPeer, TW1_TimeWaitAfterHalfCloseLasts2MslFromTheFin) {
  LwipPeer p;
  const int c = active_close_to_time_wait(p, /*half_close=*/true);
  ASSERT_GT(c, 0);
  EXPECT_TRUE(p.peer_closed(c));
  // FIN at 10.0 s = after tick 20; freed at tick 261 = 130.25 s: 2*MSL + 0.25 s after the FIN.
  auto tail = run_timers(p, 300 * kSec, [&] { return p.state(c) == TcpState::CLOSED; });
  EXPECT_TRUE(tail.empty());  // nothing sent at expiry
  EXPECT_EQ(p.state(c), TcpState::CLOSED);
  EXPECT_EQ(p.now_ns(), 130250 * kMs);
  EXPECT_EQ(p.state_log(c).back(), TcpState::CLOSED);
  EXPECT_EQ(p.error(c), PeerError::kNone);
}

TEST(LwipPeer, TW1_TimeWaitAfterFullCloseIsTimedFromTheAppCloseNotTheFin) {
  LwipPeer p;
  const int c = active_close_to_time_wait(p, /*half_close=*/false);
  ASSERT_GT(c, 0);
  // tcp_close() sets TF_RXCLOSED, which stops pcb->tmr from following received segments:
  // TIME_WAIT is timed from tick 0 (the handshake), so it ends at 120.25 s, only 110.25 s after
  // the FIN that started it: shorter than 2*MSL (divergence, TW1).
  auto tail = run_timers(p, 300 * kSec, [&] { return p.state(c) == TcpState::CLOSED; });
  EXPECT_TRUE(tail.empty());
  EXPECT_EQ(p.state(c), TcpState::CLOSED);
  EXPECT_EQ(p.now_ns(), 120250 * kMs);
  EXPECT_LT(p.now_ns() - 10 * kSec, 120 * kSec);
  EXPECT_EQ(p.error(c), PeerError::kNone);
}

// ---- HS9 / TM2: SYN retransmission ----------------------------------------------------------------------
TEST(LwipPeer, HS9_TM2_UnansweredSynRetransmittedEvery3sNoBackoffThenDropped) {
  LwipPeer p;
  const int c = p.connect(kRemoteIp, 80, 0, PeerApp::kManual);
  ASSERT_GT(c, 0);
  auto syns = take(p);
  auto more = run_timers(p, 60 * kSec, [&] { return p.state(c) == TcpState::CLOSED; });
  const uint64_t gave_up = p.now_ns();
  syns.insert(syns.end(), more.begin(), more.end());

  // 1 SYN + TCP_SYNMAXRTX (6) retransmissions, identical, at t = 0, 2.75, 5.75, ... 17.75 s:
  // RTO 3 s = 6 slow ticks, no backoff in SYN_SENT; the first retransmission comes 2.75 s
  // in because the 500 ms slow tick runs 250 ms after the SYN here.
  ASSERT_EQ(syns.size(), 7u);
  const uint64_t expect_t[7] = {0, 2750, 5750, 8750, 11750, 14750, 17750};
  for (size_t i = 0; i < syns.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(syns[i].t_ns, expect_t[i] * kMs);
    EXPECT_EQ(syns[i].tcp.flags, kS);
    EXPECT_EQ(syns[i].tcp.seq, kActiveIss0);
    EXPECT_EQ(syns[i].tcp.src_port, syns[0].tcp.src_port);
    EXPECT_EQ(syns[i].tcp.opts.mss, 1460);
    EXPECT_EQ(syns[i].ip.id, i);
  }
  // Given up at the slow tick after the 6th retransmission: 18.25 s, silently (no RST).
  EXPECT_EQ(gave_up, 18250 * kMs);
  EXPECT_EQ(p.state(c), TcpState::CLOSED);
  EXPECT_EQ(p.error(c), PeerError::kAborted);
  EXPECT_TRUE(p.was_reset(c));
  EXPECT_EQ(p.state_log(c), (std::vector<TcpState>{TcpState::SYN_SENT, TcpState::CLOSED}));
  EXPECT_TRUE(run_timers(p, 70 * kSec).empty());
}

// ---- apps -------------------------------------------------------------------------------------------------
TEST(LwipPeer, SourceAppPatternAndFinAfterAccept) {
  LwipPeer p;
  const int l = p.listen(19, PeerApp::kSource, 3000);
  auto out = feed(p, tcp_pkt(40004, 19, 100, 0, kS, kWin, {}, 1460));
  ASSERT_EQ(out.size(), 1u);
  out = feed(p, tcp_pkt(40004, 19, 101, kPassiveIss0 + 1, kA));
  ASSERT_EQ(p.accepted(l).size(), 1u);
  const int c = p.accepted(l)[0];
  // The whole stream leaves with the final handshake ACK's processing (initial cwnd 4380 plus
  // the ACK of the SYN): MSS-sized segments, PSH only on the last one of the write, and the FIN
  // piggybacked on it (tcp_close() right after the last tcp_write()).
  ASSERT_EQ(out.size(), 3u);
  const size_t lens[3] = {1460, 1460, 80};
  const uint8_t flags[3] = {kA, kA, kF | kP | kA};
  std::vector<uint8_t> got;
  uint32_t next = kPassiveIss0 + 1;
  for (size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(out[i].tcp.seq, next);
    EXPECT_EQ(out[i].tcp.ack, 101u);
    EXPECT_EQ(out[i].tcp.flags, flags[i]);
    EXPECT_EQ(out[i].data.size(), lens[i]);
    got.insert(got.end(), out[i].data.begin(), out[i].data.end());
    next += static_cast<uint32_t>(out[i].data.size());
  }
  next += 1;  // FIN
  ASSERT_EQ(got.size(), 3000u);
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i], toe::sim::source_pattern_byte(i)) << i;
    ASSERT_EQ(got[i], static_cast<uint8_t>((i * 7 + 3) & 0xff)) << i;
  }
  EXPECT_EQ(p.state(c), TcpState::FIN_WAIT_1);
  EXPECT_TRUE(feed(p, tcp_pkt(40004, 19, 101, next, kA)).empty());
  EXPECT_EQ(p.state(c), TcpState::FIN_WAIT_2);
  out = feed(p, tcp_pkt(40004, 19, 101, next, kF | kA));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].tcp.flags, kA);
  EXPECT_EQ(out[0].tcp.ack, 102u);
  EXPECT_EQ(out[0].tcp.window, kWin - 1);  // the FIN took one unit of the announced window
  EXPECT_EQ(p.state(c), TcpState::TIME_WAIT);
  EXPECT_EQ(p.bytes_sent(c), 3000u);
}

TEST(LwipPeer, DiscardAppCountsBytesAndClosesAfterPeerFin) {
  LwipPeer p;
  const int l = p.listen(9, PeerApp::kDiscard);
  const int c = passive_open(p, l, 40005, 9, 100);
  ASSERT_GT(c, 0);
  auto out = feed(p, tcp_pkt(40005, 9, 101, kPassiveIss0 + 1, kA | kP, kWin, bytes(1000)));
  EXPECT_TRUE(out.empty());  // delayed ACK
  EXPECT_EQ(p.bytes_received(c), 1000u);
  EXPECT_TRUE(p.take_received(c).empty());  // discard keeps nothing
  out = feed(p, tcp_pkt(40005, 9, 1101, kPassiveIss0 + 1, kA | kP, kWin, bytes(1000)));
  ASSERT_EQ(out.size(), 1u);  // lwIP ACKs every second data segment at once
  EXPECT_EQ(out[0].tcp.flags, kA);
  EXPECT_EQ(out[0].tcp.ack, 2101u);
  out = feed(p, tcp_pkt(40005, 9, 2101, kPassiveIss0 + 1, kF | kA));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].tcp.flags, kF | kA);
  EXPECT_EQ(out[0].tcp.ack, 2102u);
  EXPECT_EQ(p.state(c), TcpState::LAST_ACK);
}

TEST(LwipPeer, ManualAppWindowClosesUntilTakeReceived) {
  LwipPeer p;
  const int l = p.listen(80, PeerApp::kManual);
  const int c = passive_open(p, l, 40006, 80, 0);
  ASSERT_GT(c, 0);
  uint32_t seq = 1;
  std::vector<Seg> acks;
  while (seq - 1 + 1460 <= kWin) {
    for (auto& s : feed(p, tcp_pkt(40006, 80, seq, kPassiveIss0 + 1, kA, kWin, bytes(1460)))) acks.push_back(s);
    seq += 1460;
  }
  const uint32_t rest = kWin - (seq - 1);  // 1295 bytes fill the window exactly
  for (auto& s : feed(p, tcp_pkt(40006, 80, seq, kPassiveIss0 + 1, kA, kWin, bytes(rest)))) acks.push_back(s);
  seq += rest;
  for (auto& s : run_timers(p, 1 * kSec)) acks.push_back(s);
  ASSERT_FALSE(acks.empty());
  EXPECT_EQ(acks.back().tcp.ack, seq);
  EXPECT_EQ(acks.back().tcp.window, 0);
  EXPECT_EQ(p.tcb(c).rcv_wnd, 0u);

  const auto data = p.take_received(c);
  EXPECT_EQ(data.size(), kWin);
  auto upd = take(p);
  ASSERT_EQ(upd.size(), 1u);  // window update once the app has read
  EXPECT_EQ(upd[0].tcp.flags, kA);
  EXPECT_EQ(upd[0].tcp.ack, seq);
  EXPECT_EQ(upd[0].tcp.window, kWin);
}

// ---- capacity: 1 MB echo, 64 connections -------------------------------------------------------------
TEST(LwipPeer, EchoesOneMegabyteThroughScriptedWindowedSender) {
  LwipPeer p;
  const int l = p.listen(7, PeerApp::kEcho);
  const int c = passive_open(p, l, 40007, 7, 0);
  ASSERT_GT(c, 0);
  const size_t total = 1 << 20;
  const auto src = bytes(total, 31, 5);
  std::vector<uint8_t> got;
  uint32_t snd_nxt = 1, snd_una = 1, rcv_nxt = kPassiveIss0 + 1, peer_wnd = kWin;
  size_t sent = 0;
  auto absorb = [&](const std::vector<Seg>& segs) {
    for (const auto& s : segs) {
      EXPECT_EQ(s.tcp.flags & (kR | kS | kF), 0);
      if (!s.data.empty()) {
        ASSERT_EQ(s.tcp.seq, rcv_nxt);
        got.insert(got.end(), s.data.begin(), s.data.end());
        rcv_nxt += static_cast<uint32_t>(s.data.size());
      }
      if (s.tcp.ack - snd_una <= snd_nxt - snd_una) snd_una = s.tcp.ack;
      peer_wnd = s.tcp.window;
    }
  };
  int idle = 0;
  while (got.size() < total && idle < 100) {
    bool progress = false;
    while (sent < total && (snd_nxt - snd_una) + 1460 <= peer_wnd) {
      const size_t n = std::min<size_t>(1460, total - sent);
      std::vector<uint8_t> d(src.begin() + static_cast<std::ptrdiff_t>(sent),
                             src.begin() + static_cast<std::ptrdiff_t>(sent + n));
      const auto pkt = tcp_pkt(40007, 7, snd_nxt, rcv_nxt, kA, kWin, d);
      snd_nxt += static_cast<uint32_t>(n);
      sent += n;
      absorb(feed(p, pkt));
      progress = true;
    }
    const size_t before = got.size();
    absorb(feed(p, tcp_pkt(40007, 7, snd_nxt, rcv_nxt, kA)));  // ACK what was echoed
    if (got.size() != before) progress = true;
    if (!progress) {
      p.advance_to(p.now_ns() + 100 * kMs);  // delayed ACK, Nagle
      absorb(take(p));
      ++idle;
    } else {
      idle = 0;
    }
  }
  ASSERT_EQ(got.size(), total);
  EXPECT_EQ(got, src);
  EXPECT_EQ(p.bytes_received(c), total);
  EXPECT_EQ(p.bytes_sent(c), total);
  EXPECT_EQ(p.input_drops(), 0u);
}

TEST(LwipPeer, SixtyFourConcurrentConnections) {
  LwipPeer p;
  const int l = p.listen(9, PeerApp::kDiscard);
  constexpr int kN = 64;
  for (int i = 0; i < kN; ++i) {
    auto out = feed(p, tcp_pkt(static_cast<uint16_t>(41000 + i), 9, 1000u * i, 0, kS, kWin, {}, 1460));
    ASSERT_EQ(out.size(), 1u) << i;
    EXPECT_EQ(out[0].tcp.flags, kS | kA);
    EXPECT_EQ(out[0].tcp.ack, 1000u * i + 1);
    EXPECT_EQ(out[0].tcp.seq, kPassiveIss0);  // the ISN counter only moves with tcp_ticks
  }
  for (int i = 0; i < kN; ++i) {
    EXPECT_TRUE(feed(p, tcp_pkt(static_cast<uint16_t>(41000 + i), 9, 1000u * i + 1, kPassiveIss0 + 1, kA)).empty());
  }
  const auto acc = p.accepted(l);
  ASSERT_EQ(acc.size(), static_cast<size_t>(kN));
  for (int i = 0; i < kN; ++i) {
    EXPECT_EQ(p.state(acc[i]), TcpState::ESTABLISHED);
    EXPECT_EQ(p.remote_port(acc[i]), 41000 + i);
    p.input(tcp_pkt(static_cast<uint16_t>(41000 + i), 9, 1000u * i + 1, kPassiveIss0 + 1, kA, kWin,
                    bytes(1460)));
  }
  take(p);
  for (int i = 0; i < kN; ++i) EXPECT_EQ(p.bytes_received(acc[i]), 1460u);
}

// ---- one instance at a time; reproducibility --------------------------------------------------------
TEST(LwipPeer, SecondLiveInstanceThrowsAndLeavesTheFirstIntact) {
  {
    LwipPeer p;
    p.listen(80, PeerApp::kManual);
    EXPECT_THROW(LwipPeer q, std::logic_error);
    LwipPeerConfig other;
    other.local_ip = 0x0A000009;
    EXPECT_THROW(LwipPeer q(other), std::logic_error);
    // The live instance still answers as before.
    auto out = feed(p, tcp_pkt(40000, 80, 1000, 0, kS, kWin, {}, 1460));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].ip.src, kPeerIp);
    EXPECT_EQ(out[0].tcp.flags, kS | kA);
    EXPECT_EQ(out[0].tcp.ack, 1001u);
  }
  LwipPeerConfig bad;
  bad.mss = 2000;  // above lwIP's compile-time TCP_MSS
  EXPECT_THROW(LwipPeer q(bad), std::invalid_argument);
  LwipPeer p;  // a failed construction leaves nothing behind
  p.listen(80, PeerApp::kManual);
  auto out = feed(p, tcp_pkt(40000, 80, 1000, 0, kS, kWin, {}, 1460));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].tcp.seq, kPassiveIss0);
  EXPECT_EQ(out[0].ip.id, 0);
}

// A scenario that moves every piece of lwIP state a rerun could inherit: the ISN counter
// (tcp_ticks), the IP ID, the ephemeral port, an odd number of 250 ms timer ticks,
// TIME_WAIT and SYN_SENT pcbs left behind, pool usage.
std::vector<std::vector<uint8_t>> scenario() {
  LwipPeer p;
  std::vector<std::vector<uint8_t>> all;
  auto keep = [&] {
    for (auto& pkt : p.take_output()) all.push_back(std::move(pkt));
  };
  p.connect(kRemoteIp, 9000, 0, PeerApp::kManual);  // ephemeral port, never answered
  p.advance_to(1250 * kMs);                          // 5 ticks
  keep();
  p.listen(7, PeerApp::kEcho);
  p.input(tcp_pkt(40010, 7, 500, 0, kS, kWin, {}, 1460));
  keep();
  const auto synack = parse(all.back());
  p.input(tcp_pkt(40010, 7, 501, synack.tcp.seq + 1, kA));
  p.input(tcp_pkt(40010, 7, 501, synack.tcp.seq + 1, kA | kP, kWin, bytes(700)));
  keep();
  p.input(tcp_pkt(40010, 7, 1201, synack.tcp.seq + 701, kF | kA));
  keep();
  p.advance_to(7777 * kMs);
  keep();
  return all;
}

TEST(LwipPeer, ConsecutiveInstancesProduceIdenticalOutput) {
  const auto a = scenario();
  const auto b = scenario();
  ASSERT_GE(a.size(), 8u);
  EXPECT_EQ(a, b);
  // And the first packet of each run is the active SYN with fresh counters.
  const Seg s0 = parse(a[0]);
  EXPECT_EQ(s0.tcp.flags, kS);
  EXPECT_EQ(s0.ip.id, 0);
  EXPECT_EQ(s0.tcp.seq, kActiveIss0);
  EXPECT_EQ(s0.tcp.src_port, 0xc001);  // lwIP's first ephemeral port (tcp_port starts at 0xc000)
  // A third run after a different history still matches.
  {
    LwipPeer p;
    p.listen(1234, PeerApp::kDiscard);
    p.input(tcp_pkt(1, 1234, 1, 0, kS));
    p.advance_to(3333 * kMs);
  }
  EXPECT_EQ(scenario(), a);
}

}  // namespace
