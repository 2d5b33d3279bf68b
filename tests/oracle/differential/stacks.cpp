// SPDX-License-Identifier: Apache-2.0
// The two stacks of the differential tests (see stacks.hpp).
#include "stacks.hpp"

#include <array>
#include <cstdlib>
#include <map>
#include <sstream>

#include "engine_select.hpp"
#include "harness.hpp"
#include "lwip_peer.hpp"

namespace toe::differential {

std::string NSeg::str() const {
  std::ostringstream o;
  o << flags_str(flags) << " seq " << (rst_rel ? "SEG.ACK" : "") << rel(seq);
  if (flags & kA) o << " ack " << rel(ack);
  o << " win " << win << " len " << len;
  if (has_mss) o << " <mss " << mss << ">";
  if (has_ws) o << " <ws>";
  return o.str();
}

std::string Obs::str() const {
  if (skipped) return "(skipped: precondition)";
  std::ostringstream o;
  o << "[";
  for (size_t i = 0; i < out.size(); ++i) o << (i ? " | " : "") << out[i].str();
  o << "] states{";
  for (size_t i = 0; i < trans.size(); ++i) o << (i ? "," : "") << toe::to_string(trans[i]);
  o << "} now " << toe::to_string(state) << " delivered " << delivered;
  if (!diag.empty()) o << "  {" << diag << "}";
  return o.str();
}

Raw raw_of(const net::TcpHeader& t, size_t payload_len) {
  Raw r;
  r.flags = t.flags;
  r.seq = t.seq;
  r.ack = t.ack;
  r.win = t.window;
  r.len = static_cast<uint32_t>(payload_len);
  r.has_mss = t.opts.has_mss;
  r.mss = t.opts.mss;
  r.has_ws = t.opts.has_wscale;
  r.sport = t.src_port;
  r.dport = t.dst_port;
  return r;
}

uint8_t payload_byte(uint32_t seq) { return static_cast<uint8_t>(seq * 13u + 7u); }

std::vector<uint8_t> client_packet(const In& in, uint16_t win, int32_t mss) {
  net::Ipv4Header ip;
  ip.src = kCliIp;
  ip.dst = kSrvIp;
  net::TcpHeader t;
  t.src_port = kCliPort;
  t.dst_port = in.dport;
  t.seq = in.seq;
  t.ack = in.ack;
  t.flags = in.flags;
  t.window = win;
  if (mss >= 0) {
    t.opts.has_mss = true;
    t.opts.mss = static_cast<uint16_t>(mss);
  }
  std::vector<uint8_t> data(in.len);
  const uint32_t first = in.seq + ((in.flags & kS) ? 1 : 0);
  for (uint32_t i = 0; i < in.len; ++i) data[i] = payload_byte(first + i);
  return net::build_ip_tcp(ip, t, data.data(), data.size());
}

namespace {

class EngineSide : public Side {
 public:
  // On TOE_ENGINE's engine; on rtl, parameters with no Verilated build skip the test.
  EngineSide(const model::EngineConfig& ecfg, Profile p)
      : h_(toe::test::make_engine_or_skip(ecfg, hcfg().engine), hcfg()) {
    h_.set_wire_log(false);
    h_.listen(kPort, p == Profile::kDiscard ? sim::App::kDiscard : sim::App::kHold);
    settle();
  }
  const char* name() const override { return "engine"; }
  std::vector<Raw> segment(const std::vector<uint8_t>& ip) override {
    std::vector<uint8_t> f;
    net::build_eth({kEngMac, kCliMac, net::kEtherTypeIpv4}, f);
    f.insert(f.end(), ip.begin(), ip.end());
    if (f.size() < 60) f.resize(60, 0);
    h_.inject(f);
    return settle();
  }
  std::vector<Raw> close() override {
    const uint32_t c = conn();
    if (c != model::kNoConn) h_.close(c);
    return settle();
  }
  std::vector<Raw> send(const std::vector<uint8_t>& data) override {
    const uint32_t c = conn();
    if (c != model::kNoConn) h_.send(c, data.data(), data.size());
    return settle();
  }
  std::vector<Raw> read() override {
    const uint32_t c = conn();
    if (c != model::kNoConn) h_.recv(c);
    return settle();
  }
  Pre pre() const override {
    Pre p;
    const uint32_t c = conn();
    if (c == model::kNoConn) return p;
    const model::Tcb& t = h_.engine().tcb(c);
    p.conn = true;
    p.state = t.state;
    p.iss = t.iss;
    p.snd_una = t.snd_una;
    p.snd_nxt = t.snd_nxt;
    p.rcv_nxt = t.rcv_nxt;
    p.rcv_wnd = model::rx_free(t, h_.engine().rx_buf_bytes());
    p.max_snd_wnd = t.max_snd_wnd;
    return p;
  }
  std::vector<TcpState> take_transitions() override {
    std::vector<TcpState> v;
    const auto& log = h_.state_log();
    for (; log_pos_ < log.size(); ++log_pos_) v.push_back(log[log_pos_].to);
    return v;
  }
  TcpState state() const override {
    const uint32_t c = conn();
    return c == model::kNoConn ? TcpState::CLOSED : h_.engine().tcb(c).state;
  }
  uint64_t delivered() override {
    const auto& ev = h_.events();
    for (; ev_pos_ < ev.size(); ++ev_pos_) {
      const model::Event& e = ev[ev_pos_];
      if (e.type == model::EvtType::kAccepted) rx_seen_[e.conn] = 0;
      if (e.type == model::EvtType::kData) {
        total_ += e.value - rx_seen_[e.conn];
        rx_seen_[e.conn] = e.value;
      }
    }
    return total_;
  }
  sim::Harness& harness() { return h_; }
  void diagnostics(Obs& o) override {
    const auto& ev = h_.events();
    for (; diag_ev_pos_ < ev.size(); ++diag_ev_pos_) o.events.push_back(ev[diag_ev_pos_].type);
    std::ostringstream d;
    for (size_t i = 0; i < size_t(model::Counter::kCount); ++i) {
      const uint64_t v = h_.engine().counter(static_cast<model::Counter>(i));
      if (v != counters_[i] && static_cast<model::Counter>(i) != model::Counter::kFramesIn &&
          static_cast<model::Counter>(i) != model::Counter::kFramesOut)
        d << (d.tellp() ? " " : "") << model::to_string(static_cast<model::Counter>(i)) << "+" << (v - counters_[i]);
      counters_[i] = v;
    }
    if (std::getenv("TOE_DIFF_TCB")) {
      const uint32_t c = conn();
      if (c != model::kNoConn) {
        const model::Tcb& t = h_.engine().tcb(c);
        d << " [tcb una " << t.snd_una - t.iss << " nxt " << t.snd_nxt - t.iss << " wnd " << t.snd_wnd << " rcv_nxt "
          << t.rcv_nxt - t.irs << " tx_wr " << t.tx_wr << " rx_wr " << t.rx_wr << " rx_rd " << t.rx_rd << " fin_pending "
          << t.fin_pending << " unacked_segs " << t.unacked_segs << "]";
      }
    }
    o.diag = d.str();
  }

 private:
  static sim::HarnessConfig hcfg() {
    sim::HarnessConfig c;
    c.timers = false;  // no retransmissions: every output is a reply to the step
    return c;
  }
  uint32_t conn() const {
    for (uint32_t i = 0; i < h_.engine().sessions(); ++i) {
      const model::Tcb& t = h_.engine().tcb(i);
      if (t.state != TcpState::CLOSED && t.rport == kCliPort) return i;
    }
    return model::kNoConn;
  }
  std::vector<Raw> settle() {
    if (!h_.run_until_idle(200000)) error = "engine did not go quiet within 200000 cycles";
    std::vector<Raw> out;
    for (const auto& f : h_.take_output()) {
      net::Frame fr;
      const net::ParseError e = net::parse_frame(f, fr);
      if (e != net::ParseError::kOk || !fr.has_tcp) {
        error = std::string("engine sent an unparsable frame: ") + net::to_string(e);
        continue;
      }
      out.push_back(raw_of(fr.tcp, fr.payload_len));
    }
    return out;
  }
  sim::Harness h_;
  size_t log_pos_ = 0, ev_pos_ = 0, diag_ev_pos_ = 0;
  std::array<uint64_t, size_t(model::Counter::kCount)> counters_{};
  std::map<uint32_t, uint32_t> rx_seen_;
  uint64_t total_ = 0;
};

class LwipSide : public Side {
 public:
  explicit LwipSide(Profile p) : p_(cfg()) {
    listener_ = p_.listen(kPort, p == Profile::kDiscard ? sim::PeerApp::kDiscard : sim::PeerApp::kManual);
    if (listener_ < 0) error = "lwIP refused to listen";
  }
  const char* name() const override { return "lwIP"; }
  std::vector<Raw> segment(const std::vector<uint8_t>& ip) override {
    p_.input(ip);
    return settle();
  }
  std::vector<Raw> close() override {
    const int c = conn();
    if (c > 0) p_.shutdown_tx(c);  // the engine's close is a half close: FIN, keep receiving
    return settle();
  }
  std::vector<Raw> send(const std::vector<uint8_t>& data) override {
    const int c = conn();
    if (c > 0) p_.send(c, data);
    return settle();
  }
  std::vector<Raw> read() override {
    const int c = conn();
    if (c > 0) p_.take_received(c);
    return settle();
  }
  Pre pre() const override {
    Pre p;
    const int c = conn();
    if (c <= 0) return p;
    const sim::PeerTcb t = p_.tcb(c);
    p.conn = t.valid;
    p.state = p_.state(c);
    p.iss = t.iss;
    p.snd_una = t.snd_una;
    p.snd_nxt = t.snd_nxt;
    p.rcv_nxt = t.rcv_nxt;
    p.rcv_wnd = t.rcv_wnd;
    return p;
  }
  std::vector<TcpState> take_transitions() override {
    std::vector<TcpState> v;
    for (int c : p_.connections()) {
      if (p_.remote_port(c) != kCliPort) continue;
      const auto log = p_.state_log(c);
      size_t& pos = log_pos_[c];
      for (; pos < log.size(); ++pos) v.push_back(log[pos]);
    }
    return v;
  }
  TcpState state() const override {
    const int c = conn();
    return c > 0 ? p_.state(c) : TcpState::CLOSED;
  }
  uint64_t delivered() override {
    uint64_t n = 0;
    for (int c : p_.connections())
      if (p_.remote_port(c) == kCliPort) n += p_.bytes_received(c);
    return n;
  }
  uint64_t now_ns() const { return p_.now_ns(); }

 private:
  static sim::LwipPeerConfig cfg() {
    sim::LwipPeerConfig c;
    c.local_ip = kSrvIp;
    return c;
  }
  int conn() const {
    int found = -1;
    for (int c : p_.connections())
      if (p_.remote_port(c) == kCliPort && p_.state(c) != TcpState::CLOSED) found = c;
    return found;
  }
  // lwIP delays the ACK of in-order data (up to one 250 ms fast-timer tick); the engine ACKs at
  // once. A pending delayed ACK (RCV.NXT beyond the last ACK sent) is flushed by running lwIP's
  // timers up to the next fast tick: the comparison is of what each side says in reply to a step,
  // not when (TM3 allows < 500 ms). Nothing else advances lwIP's clock, so no retransmission
  // timer (RTO >= 2.5 s here) ever fires within a sequence.
  std::vector<Raw> settle() {
    std::vector<Raw> out;
    auto take = [&] {
      for (const auto& pkt : p_.take_output()) {
        net::Frame fr;
        const net::ParseError e = net::parse_ip_packet(pkt.data(), pkt.size(), fr);
        if (e != net::ParseError::kOk || !fr.has_tcp) {
          error = std::string("lwIP sent an unparsable packet: ") + net::to_string(e);
          continue;
        }
        Raw r = raw_of(fr.tcp, fr.payload_len);
        if ((r.flags & kA) && !(r.flags & kR)) {
          last_ack_ = r.ack;
          have_last_ack_ = true;
        }
        out.push_back(r);
      }
    };
    take();
    for (int i = 0; i < 2; ++i) {
      const int c = conn();
      if (c <= 0) break;
      const sim::PeerTcb t = p_.tcb(c);
      if (!t.valid || (have_last_ack_ && t.rcv_nxt == last_ack_)) break;
      if (p_.state(c) == TcpState::SYN_RECEIVED) break;
      p_.advance_to(p_.next_timer_ns());
      take();
    }
    return out;
  }
  sim::LwipPeer p_;
  int listener_ = -1;
  std::map<int, size_t> log_pos_;
  uint32_t last_ack_ = 0;
  bool have_last_ack_ = false;
};

}  // namespace

std::unique_ptr<Side> make_engine_side(const model::EngineConfig& ecfg, Profile p) {
  return std::make_unique<EngineSide>(ecfg, p);
}
std::unique_ptr<Side> make_lwip_side(Profile p) { return std::make_unique<LwipSide>(p); }

}  // namespace toe::differential
