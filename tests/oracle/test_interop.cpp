// SPDX-License-Identifier: Apache-2.0
// Interop: the engine (the C++ model, or the Verilated RTL with TOE_ENGINE=rtl; through the
// cycle-level Harness) and lwIP 2.1.3 (LwipPeer) as the two ends of whole connections over a
// simulated, lossless, zero-delay wire:
//   engine frame -> strip the Ethernet header -> lwIP ip_input
//   lwIP IPv4 packet -> Ethernet (dst engine MAC, src peer MAC), padded to 60 -> engine rx stream
// Handshake, 1 MB in each direction, four-way close; the streams are compared byte for byte with
// the pattern, the final states and the state logs are checked on both sides, and every frame on
// the wire goes to a pcap that must pass the trace lint (strict).
//
// Time: lwIP's virtual clock follows the engine's cycle clock (125 MHz) while the engine works.
// When both sides are quiet (nothing on the wire, the engine idle for 256 cycles) the wire clock
// jumps to lwIP's next timer (its delayed ACK, 250 ms tick) instead of simulating ~31M idle engine
// cycles per tick; the engine's own clock does not move across a jump (it has nothing to do: the
// wire is lossless, so its retransmission timer never has to fire). Wire time = engine time +
// skipped idle time; the pcap is stamped with wire time.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "engine_select.hpp"
#include "harness.hpp"
#include "lwip_peer.hpp"
#include "test_support.hpp"
#include "toe/net/codec.hpp"
#include "toe/net/pcap.hpp"

namespace {

using toe::TcpState;
namespace net = toe::net;
namespace sim = toe::sim;
namespace model = toe::model;

constexpr uint32_t kPeerIp = 0x0A000001;  // lwIP, 10.0.0.1
constexpr uint32_t kEngIp = 0x0A000002;   // the engine, 10.0.0.2
const net::MacAddr kPeerMac{{0x02, 0, 0, 0, 0, 0x01}};
const net::MacAddr kEngMac{{0x02, 0, 0, 0, 0, 0x02}};
constexpr uint64_t kMB = 1048576;
constexpr uint64_t kMs = 1000000, kSec = 1000 * kMs;

model::EngineConfig engine_config() {
  model::EngineConfig e;
  e.sessions = 16;
  e.data_bytes = 8;  // 64-bit datapath
  e.rx_buf_bytes = 65536;
  e.tx_buf_bytes = 65536;
  return e;
}

std::string states_str(const std::vector<TcpState>& v) {
  std::string s;
  for (TcpState t : v) s += std::string(s.empty() ? "" : " ") + toe::to_string(t);
  return s;
}
bool contains_in_order(const std::vector<TcpState>& log, const std::vector<TcpState>& want) {
  size_t i = 0;
  for (TcpState s : log)
    if (i < want.size() && s == want[i]) ++i;
  return i == want.size();
}
// Index of the first byte differing from the source pattern (or -1).
int64_t first_pattern_mismatch(const std::vector<uint8_t>& got) {
  for (size_t i = 0; i < got.size(); ++i)
    if (got[i] != sim::source_pattern_byte(i)) return static_cast<int64_t>(i);
  return -1;
}

class Wire {
 public:
  explicit Wire(const std::string& pcap_name)
      : h_(toe::test::make_engine_or_skip(engine_config()), sim::HarnessConfig{}),  // TOE_ENGINE's engine
        pcap_path_(toe::test::out_path(pcap_name)),
        pcap_(pcap_path_) {
    h_.set_wire_log(false);  // the pcap below is the log
    h_.on_tx_frame = [this](const std::vector<uint8_t>& f) { to_lwip_.push_back(f); };
  }
  sim::Harness& engine() { return h_; }
  sim::LwipPeer& lwip() { return p_; }
  const std::string& pcap_path() const { return pcap_path_; }
  uint64_t now_ns() const { return h_.now_ns() + skipped_ns_; }
  uint64_t frames() const { return frames_e2l_ + frames_l2e_; }
  uint64_t jumps() const { return jumps_; }
  std::string failure;  // why run() stopped early

  // Called after every exchange (and every 1024 cycles): the test's application code on the lwIP side.
  std::function<void()> pump = [] {};

  // Runs until done() holds, or the wire clock passes limit_ns, or nothing can happen any more; then
  // 1024 more cycles so events still in the engine's event FIFO reach the host.
  bool run(const std::function<bool()>& done, uint64_t limit_ns) {
    uint64_t quiet = 0, idle_jumps = 0, drain = 0;
    size_t events_seen = h_.events().size();
    for (;;) {
      if (drain > 0 || done()) {
        if (++drain > 1024) break;
      }
      if (now_ns() > limit_ns) {
        failure = "wire time limit reached";
        return false;
      }
      h_.step();
      bool activity = false;
      if (!to_lwip_.empty()) {
        deliver_to_lwip();
        activity = true;
      }
      if (activity || (h_.cycle() & 1023) == 0) {
        p_.advance_to(now_ns());
        pump();
      }
      if (take_lwip_output()) activity = true;
      const bool busy = h_.rx_pending() != 0 || h_.engine().outputs().tx.tvalid || h_.engine().outputs().evt_valid ||
                        h_.engine().busy() || h_.events().size() != events_seen;
      events_seen = h_.events().size();
      if (activity || busy) {
        quiet = 0;
        idle_jumps = 0;
        continue;
      }
      if (++quiet < 256 || drain > 0) continue;
      // Both quiet: jump to lwIP's next timer.
      quiet = 0;
      const uint64_t next = p_.next_timer_ns();
      if (next == std::numeric_limits<uint64_t>::max() || ++idle_jumps > 40) {
        failure = "deadlock: both sides idle, nothing pending (" + std::to_string(idle_jumps) + " idle timer steps)";
        return false;
      }
      if (next > now_ns()) skipped_ns_ += next - now_ns();
      ++jumps_;
      p_.advance_to(now_ns());
      pump();
      take_lwip_output();
    }
    return true;
  }

  // Closes the pcap and lints it (strict: no allow list).
  ::testing::AssertionResult lint() {
    pcap_.flush();
    return toe::test::TraceLintOk(pcap_path_);
  }

 private:
  void deliver_to_lwip() {
    std::vector<std::vector<uint8_t>> frames;
    frames.swap(to_lwip_);
    for (const auto& f : frames) {
      pcap_.write(now_ns(), f);
      ++frames_e2l_;
      p_.advance_to(now_ns());
      if (f.size() <= net::kEthHeaderLen) continue;
      net::Frame fr;
      if (net::parse_frame(f, fr) != net::ParseError::kOk || fr.kind != net::Frame::Kind::kIpv4) continue;
      // The IPv4 packet without the link header and without Ethernet padding.
      const size_t ip_len = std::min<size_t>(fr.ip.total_length, f.size() - net::kEthHeaderLen);
      p_.input(f.data() + net::kEthHeaderLen, ip_len);
    }
  }
  bool take_lwip_output() {
    auto pkts = p_.take_output();
    for (const auto& pkt : pkts) {
      std::vector<uint8_t> f;
      net::build_eth({kEngMac, kPeerMac, net::kEtherTypeIpv4}, f);
      f.insert(f.end(), pkt.begin(), pkt.end());
      if (f.size() < 60) f.resize(60, 0);
      pcap_.write(now_ns(), f);
      ++frames_l2e_;
      h_.inject(f);
    }
    return !pkts.empty();
  }

  sim::Harness h_;
  sim::LwipPeer p_;
  std::string pcap_path_;
  net::PcapWriter pcap_;
  std::vector<std::vector<uint8_t>> to_lwip_;
  uint64_t skipped_ns_ = 0, jumps_ = 0, frames_e2l_ = 0, frames_l2e_ = 0;
};

// A diagnosis of both ends, for failure messages.
std::string dump(Wire& w, uint32_t econn, int lconn) {
  std::ostringstream o;
  o << "wire time " << w.now_ns() / 1000 << " us, engine cycle " << w.engine().cycle() << ", frames " << w.frames()
    << ", idle jumps " << w.jumps() << "\n";
  if (econn != model::kNoConn) {
    const model::Tcb& t = w.engine().engine().tcb(econn);
    o << "engine conn " << econn << ": " << toe::to_string(t.state) << " snd_una=iss+" << t.snd_una - t.iss
      << " snd_nxt=iss+" << t.snd_nxt - t.iss << " snd_wnd=" << t.snd_wnd << " rcv_nxt=irs+" << t.rcv_nxt - t.irs
      << " tx_wr=" << t.tx_wr << " rx_wr=" << t.rx_wr << " rx_rd=" << t.rx_rd << " fin_pending=" << t.fin_pending
      << " states: " << states_str(w.engine().states_of(econn)) << "\n";
  }
  if (lconn > 0) {
    const sim::PeerTcb t = w.lwip().tcb(lconn);
    o << "lwIP conn " << lconn << ": " << toe::to_string(w.lwip().state(lconn)) << " snd_una=iss+" << t.snd_una - t.iss
      << " snd_nxt=iss+" << t.snd_nxt - t.iss << " snd_wnd=" << t.snd_wnd << " rcv_nxt=" << t.rcv_nxt
      << " rcv_wnd=" << t.rcv_wnd << " bytes_sent=" << w.lwip().bytes_sent(lconn)
      << " bytes_received=" << w.lwip().bytes_received(lconn) << " states: " << states_str(w.lwip().state_log(lconn))
      << "\n";
  }
  return o.str();
}

struct Timer {
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
  double s() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); }
};

// ---- engine server (echo), lwIP client: 1 MB there and back ----------------------------------------
TEST(Interop, EngineEchoServer_LwipClientSendsAndReadsBackOneMegabyte) {
  Timer timer;
  Wire w("Interop.EngineEchoServer.pcap");
  w.engine().listen(7, sim::App::kEcho);
  w.engine().run_until_idle();
  const int c = w.lwip().connect(kEngIp, 7, 40000, sim::PeerApp::kManual);
  ASSERT_GT(c, 0);
  std::vector<uint8_t> pattern(kMB);
  for (size_t i = 0; i < pattern.size(); ++i) pattern[i] = sim::source_pattern_byte(i);
  size_t sent = 0;
  bool shut = false;
  std::vector<uint8_t> back;
  w.pump = [&] {
    sim::LwipPeer& p = w.lwip();
    if (p.state(c) != TcpState::ESTABLISHED && p.state(c) != TcpState::FIN_WAIT_1 &&
        p.state(c) != TcpState::FIN_WAIT_2 && p.state(c) != TcpState::CLOSE_WAIT && p.state(c) != TcpState::TIME_WAIT)
      return;
    const auto r = p.take_received(c);
    back.insert(back.end(), r.begin(), r.end());
    if (sent < pattern.size() && p.state(c) == TcpState::ESTABLISHED)
      sent += p.send(c, pattern.data() + sent, pattern.size() - sent);
    if (sent == pattern.size() && !shut) {
      p.shutdown_tx(c);  // FIN after the last byte, keep reading the echo
      shut = true;
    }
  };
  const bool ok = w.run(
      [&] {
        return back.size() == kMB && w.lwip().state(c) == TcpState::TIME_WAIT && !w.engine().accepted().empty() &&
               w.engine().engine().tcb(w.engine().accepted()[0]).state == TcpState::CLOSED;
      },
      120 * kSec);
  const uint32_t ec = w.engine().accepted().empty() ? model::kNoConn : w.engine().accepted()[0];
  ASSERT_TRUE(ok) << w.failure << "\n" << dump(w, ec, c) << "echoed back " << back.size() << " bytes";
  EXPECT_EQ(back.size(), kMB);
  EXPECT_EQ(first_pattern_mismatch(back), -1) << "first wrong byte of the echo";
  EXPECT_EQ(w.engine().received(ec).size(), kMB);  // the echo app keeps what it received
  EXPECT_EQ(first_pattern_mismatch(w.engine().received(ec)), -1);
  EXPECT_TRUE(w.engine().saw(model::EvtType::kAccepted, ec));
  EXPECT_TRUE(w.engine().saw(model::EvtType::kPeerClosed, ec));
  EXPECT_TRUE(w.engine().saw(model::EvtType::kClosed, ec)) << [&] {
    std::string o;
    const auto& ev = w.engine().events();
    for (size_t i = ev.size() > 10 ? ev.size() - 10 : 0; i < ev.size(); ++i)
      o += std::string(model::to_string(ev[i].type)) + "(" + std::to_string(ev[i].conn) + "," +
           toe::to_string(ev[i].state) + "," + std::to_string(ev[i].value) + ") ";
    return o + " events_dropped=" + std::to_string(w.engine().engine().counter(model::Counter::kEventsDropped));
  }();
  // States: the engine is the passive closer, lwIP the active one (TIME-WAIT).
  const auto es = w.engine().states_of(ec);
  const auto ls = w.lwip().state_log(c);
  EXPECT_EQ(es.front(), TcpState::CLOSED);  // from the listener: CLOSED -> SYN_RECEIVED
  EXPECT_TRUE(contains_in_order(es, {TcpState::SYN_RECEIVED, TcpState::ESTABLISHED, TcpState::CLOSE_WAIT,
                                     TcpState::LAST_ACK, TcpState::CLOSED}))
      << states_str(es);
  EXPECT_TRUE(contains_in_order(ls, {TcpState::SYN_SENT, TcpState::ESTABLISHED, TcpState::FIN_WAIT_1,
                                     TcpState::FIN_WAIT_2, TcpState::TIME_WAIT}))
      << states_str(ls);
  EXPECT_EQ(w.lwip().state(c), TcpState::TIME_WAIT);
  EXPECT_EQ(w.lwip().error(c), sim::PeerError::kNone);
  EXPECT_EQ(w.engine().engine().counter(model::Counter::kDropBadCsum), 0u);
  EXPECT_EQ(w.lwip().input_drops(), 0u);
  EXPECT_TRUE(w.lint());
  std::printf("%s\n%.1f s wall, %" PRIu64 " frames, %" PRIu64 " idle jumps\n", dump(w, ec, c).c_str(), timer.s(),
              w.frames(), w.jumps());
}

// ---- engine client (source 1 MB), lwIP echo server ---------------------------------------------------
TEST(Interop, EngineSourceClient_LwipEchoServer) {
  Timer timer;
  Wire w("Interop.EngineSourceToLwipEcho.pcap");
  const int l = w.lwip().listen(7, sim::PeerApp::kEcho);
  ASSERT_GT(l, 0);
  const uint32_t tag = w.engine().connect(kPeerIp, 7, 40001, kPeerMac, sim::App::kSource, kMB);
  uint32_t ec = model::kNoConn;
  int lc = -1;
  const bool ok = w.run(
      [&] {
        ec = w.engine().conn_of_tag(tag);
        if (lc < 0 && !w.lwip().accepted(l).empty()) lc = w.lwip().accepted(l)[0];
        return ec != model::kNoConn && lc > 0 && w.engine().received(ec).size() == kMB &&
               w.engine().engine().tcb(ec).state == TcpState::TIME_WAIT && w.lwip().state(lc) == TcpState::CLOSED;
      },
      120 * kSec);
  ASSERT_TRUE(ok) << w.failure << "\n" << dump(w, ec, lc);
  EXPECT_EQ(first_pattern_mismatch(w.engine().received(ec)), -1) << "first wrong byte of the echo";
  EXPECT_EQ(w.lwip().bytes_received(lc), kMB);
  EXPECT_EQ(w.lwip().bytes_sent(lc), kMB);
  EXPECT_TRUE(w.engine().saw(model::EvtType::kConnected, ec));
  const auto es = w.engine().states_of(ec);
  const auto ls = w.lwip().state_log(lc);
  // lwIP's echo app closes in the callback of our FIN, so its FIN carries the ACK of ours: FIN-WAIT-1
  // goes straight to TIME-WAIT ("if our FIN has been ACKed (perhaps in this segment)", RFC 9293
  // 3.10.7.4); FIN-WAIT-2 is covered by EngineSourceClient_LwipSinkServer.
  EXPECT_TRUE(contains_in_order(es, {TcpState::SYN_SENT, TcpState::ESTABLISHED, TcpState::FIN_WAIT_1,
                                     TcpState::TIME_WAIT}))
      << states_str(es);
  EXPECT_TRUE(contains_in_order(ls, {TcpState::SYN_RECEIVED, TcpState::ESTABLISHED, TcpState::CLOSE_WAIT,
                                     TcpState::LAST_ACK, TcpState::CLOSED}))
      << states_str(ls);
  EXPECT_EQ(w.lwip().error(lc), sim::PeerError::kNone);
  EXPECT_EQ(w.lwip().input_drops(), 0u);
  EXPECT_TRUE(w.lint());
  std::printf("%s\n%.1f s wall, %" PRIu64 " frames, %" PRIu64 " idle jumps\n", dump(w, ec, lc).c_str(), timer.s(),
              w.frames(), w.jumps());
}

// ---- engine client (source 1 MB), lwIP sink that checks every byte, then closes ------------------------
TEST(Interop, EngineSourceClient_LwipSinkServer) {
  Timer timer;
  Wire w("Interop.EngineSourceToLwipSink.pcap");
  const int l = w.lwip().listen(9, sim::PeerApp::kManual);
  ASSERT_GT(l, 0);
  const uint32_t tag = w.engine().connect(kPeerIp, 9, 40002, kPeerMac, sim::App::kSource, kMB);
  uint32_t ec = model::kNoConn;
  int lc = -1;
  std::vector<uint8_t> got;
  bool closed = false;
  w.pump = [&] {
    if (lc < 0 && !w.lwip().accepted(l).empty()) lc = w.lwip().accepted(l)[0];
    if (lc < 0) return;
    const auto r = w.lwip().take_received(lc);
    got.insert(got.end(), r.begin(), r.end());
    if (w.lwip().peer_closed(lc) && !closed) {
      w.lwip().close(lc);  // everything read: FIN (CLOSE_WAIT -> LAST_ACK)
      closed = true;
    }
  };
  const bool ok = w.run(
      [&] {
        ec = w.engine().conn_of_tag(tag);
        return ec != model::kNoConn && lc > 0 && got.size() == kMB &&
               w.engine().engine().tcb(ec).state == TcpState::TIME_WAIT && w.lwip().state(lc) == TcpState::CLOSED;
      },
      120 * kSec);
  ASSERT_TRUE(ok) << w.failure << "\n" << dump(w, ec, lc) << "lwIP read " << got.size() << " bytes";
  EXPECT_EQ(first_pattern_mismatch(got), -1) << "first wrong byte";
  const auto es = w.engine().states_of(ec);
  const auto ls = w.lwip().state_log(lc);
  EXPECT_TRUE(contains_in_order(es, {TcpState::SYN_SENT, TcpState::ESTABLISHED, TcpState::FIN_WAIT_1,
                                     TcpState::FIN_WAIT_2, TcpState::TIME_WAIT}))
      << states_str(es);
  EXPECT_TRUE(contains_in_order(ls, {TcpState::SYN_RECEIVED, TcpState::ESTABLISHED, TcpState::CLOSE_WAIT,
                                     TcpState::LAST_ACK, TcpState::CLOSED}))
      << states_str(ls);
  EXPECT_EQ(w.lwip().error(lc), sim::PeerError::kNone);
  EXPECT_TRUE(w.lint());
  std::printf("%s\n%.1f s wall, %" PRIu64 " frames, %" PRIu64 " idle jumps\n", dump(w, ec, lc).c_str(), timer.s(),
              w.frames(), w.jumps());
}

// ---- lwIP client (source 1 MB), engine server that keeps every byte, then closes --------------------------
TEST(Interop, LwipSourceClient_EngineSinkServer) {
  Timer timer;
  Wire w("Interop.LwipSourceToEngineSink.pcap");
  w.engine().listen(9, sim::App::kNone);  // reads and keeps everything; closes when the test says
  w.engine().run_until_idle();
  const int c = w.lwip().connect(kEngIp, 9, 40003, sim::PeerApp::kSource, kMB);
  ASSERT_GT(c, 0);
  uint32_t ec = model::kNoConn;
  bool closed = false;
  w.pump = [&] {
    if (ec == model::kNoConn && !w.engine().accepted().empty()) ec = w.engine().accepted()[0];
    if (ec != model::kNoConn && !closed && w.engine().saw(model::EvtType::kPeerClosed, ec)) {
      w.engine().close(ec);
      closed = true;
    }
  };
  const bool ok = w.run(
      [&] {
        return ec != model::kNoConn && w.engine().received(ec).size() == kMB &&
               w.engine().engine().tcb(ec).state == TcpState::CLOSED && w.lwip().state(c) == TcpState::TIME_WAIT;
      },
      120 * kSec);
  ASSERT_TRUE(ok) << w.failure << "\n" << dump(w, ec, c);
  EXPECT_EQ(first_pattern_mismatch(w.engine().received(ec)), -1) << "first wrong byte";
  EXPECT_EQ(w.lwip().bytes_sent(c), kMB);
  const auto es = w.engine().states_of(ec);
  const auto ls = w.lwip().state_log(c);
  EXPECT_TRUE(contains_in_order(es, {TcpState::SYN_RECEIVED, TcpState::ESTABLISHED, TcpState::CLOSE_WAIT,
                                     TcpState::LAST_ACK, TcpState::CLOSED}))
      << states_str(es);
  EXPECT_TRUE(contains_in_order(ls, {TcpState::SYN_SENT, TcpState::ESTABLISHED, TcpState::FIN_WAIT_1,
                                     TcpState::FIN_WAIT_2, TcpState::TIME_WAIT}))
      << states_str(ls);
  EXPECT_EQ(w.lwip().error(c), sim::PeerError::kNone);
  EXPECT_TRUE(w.lint());
  std::printf("%s\n%.1f s wall, %" PRIu64 " frames, %" PRIu64 " idle jumps\n", dump(w, ec, c).c_str(), timer.s(),
              w.frames(), w.jumps());
}

// ---- the wire's idle jump: lwIP's delayed ACK (250 ms tick) of a lone segment ------------------------------
TEST(Interop, LoneSegmentIsAckedByLwipDelayedAckAcrossAnIdleJump) {
  Wire w("Interop.DelayedAck.pcap");
  const int l = w.lwip().listen(9, sim::PeerApp::kDiscard);
  ASSERT_GT(l, 0);
  const uint32_t tag = w.engine().connect(kPeerIp, 9, 40005, kPeerMac, sim::App::kNone);
  uint32_t ec = model::kNoConn;
  ASSERT_TRUE(w.run(
      [&] {
        ec = w.engine().conn_of_tag(tag);
        return ec != model::kNoConn && w.engine().engine().tcb(ec).state == TcpState::ESTABLISHED &&
               !w.lwip().accepted(l).empty();
      },
      10 * kSec))
      << w.failure;
  const uint64_t t0 = w.now_ns();
  const std::string msg = "one segment, answered by a delayed ACK";
  ASSERT_EQ(w.engine().send(ec, msg), msg.size());
  ASSERT_TRUE(w.run([&] { return w.engine().saw(model::EvtType::kAcked, ec); }, 10 * kSec)) << w.failure;
  EXPECT_GE(w.jumps(), 1u);
  EXPECT_GT(w.now_ns() - t0, 10 * kMs);     // the ACK waited for lwIP's fast timer ...
  EXPECT_LE(w.now_ns() - t0, 260 * kMs);    // ... at most one 250 ms tick
  const model::Tcb& t = w.engine().engine().tcb(ec);
  EXPECT_EQ(t.snd_una, t.snd_nxt);
  EXPECT_EQ(w.lwip().bytes_received(w.lwip().accepted(l)[0]), msg.size());
  EXPECT_TRUE(w.lint());
}

// ---- simultaneous close: both applications close at the same wire instant ------------------------------
TEST(Interop, SimultaneousCloseBothSidesThroughClosing) {
  Timer timer;
  Wire w("Interop.SimultaneousClose.pcap");
  const int l = w.lwip().listen(80, sim::PeerApp::kManual);
  ASSERT_GT(l, 0);
  const uint32_t tag = w.engine().connect(kPeerIp, 80, 40004, kPeerMac, sim::App::kNone);
  uint32_t ec = model::kNoConn;
  int lc = -1;
  // 64 KB each way first (lwIP sends through its API, the engine's host writes its transmit buffer).
  constexpr size_t kN = 65536;
  std::vector<uint8_t> pattern(kN), lwip_got;
  for (size_t i = 0; i < kN; ++i) pattern[i] = sim::source_pattern_byte(i);
  size_t lsent = 0, esent = 0;
  w.pump = [&] {
    if (lc < 0 && !w.lwip().accepted(l).empty()) lc = w.lwip().accepted(l)[0];
    ec = w.engine().conn_of_tag(tag);
    if (lc < 0 || ec == model::kNoConn) return;
    if (lsent < kN && w.lwip().state(lc) == TcpState::ESTABLISHED)
      lsent += w.lwip().send(lc, pattern.data() + lsent, kN - lsent);
    if (esent < kN && w.engine().engine().tcb(ec).state == TcpState::ESTABLISHED)
      esent += w.engine().send(ec, pattern.data() + esent, kN - esent);
    const auto r = w.lwip().take_received(lc);
    lwip_got.insert(lwip_got.end(), r.begin(), r.end());
  };
  ASSERT_TRUE(w.run([&] { return lc > 0 && lwip_got.size() == kN && w.engine().received(ec).size() == kN; }, 60 * kSec))
      << w.failure << "\n" << dump(w, ec, lc);
  // Both idle, everything acknowledged: close both ends in the same instant.
  w.engine().close(ec);
  w.lwip().shutdown_tx(lc);
  ASSERT_TRUE(w.run(
      [&] {
        return w.engine().engine().tcb(ec).state == TcpState::TIME_WAIT && w.lwip().state(lc) == TcpState::TIME_WAIT;
      },
      60 * kSec))
      << w.failure << "\n" << dump(w, ec, lc);
  EXPECT_EQ(first_pattern_mismatch(lwip_got), -1);
  EXPECT_EQ(first_pattern_mismatch(w.engine().received(ec)), -1);
  const auto es = w.engine().states_of(ec);
  const auto ls = w.lwip().state_log(lc);
  EXPECT_TRUE(contains_in_order(es, {TcpState::SYN_SENT, TcpState::ESTABLISHED, TcpState::FIN_WAIT_1,
                                     TcpState::CLOSING, TcpState::TIME_WAIT}))
      << states_str(es);
  EXPECT_TRUE(contains_in_order(ls, {TcpState::SYN_RECEIVED, TcpState::ESTABLISHED, TcpState::FIN_WAIT_1,
                                     TcpState::CLOSING, TcpState::TIME_WAIT}))
      << states_str(ls);
  EXPECT_TRUE(w.lint());
  std::printf("%s\n%.1f s wall, %" PRIu64 " frames, %" PRIu64 " idle jumps\n", dump(w, ec, lc).c_str(), timer.s(),
              w.frames(), w.jumps());
}

}  // namespace
