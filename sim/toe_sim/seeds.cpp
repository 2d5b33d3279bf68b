// SPDX-License-Identifier: Apache-2.0
// toe_sim seeds: the engine and a scripted peer (a small TCP endpoint written
// here) play the seeds' textbook scenarios on one engine:
//   1. passive open (three-way handshake), data echoed, the peer closes first
//   2. active open, the engine sends data and closes first, TIME_WAIT expires
//   3. a SYN to a closed port is answered with RST,ACK
#include <deque>
#include <filesystem>
#include <iostream>

#include "modes.hpp"
#include "sim_run.hpp"
#include "toe/seq.hpp"

namespace toe::toesim {
namespace {

using net::kAck;
using net::kFin;
using net::kPsh;
using net::kRst;
using net::kSyn;

// A minimal TCP endpoint on the peer's side: enough for the demo's
// scenarios (in-order delivery, no loss), answering after a host delay.
class DemoPeer {
 public:
  DemoPeer(SimRun& run, const Options& o, uint16_t port, uint16_t engine_port, uint32_t iss)
      : run_(run), o_(o), port_(port), eport_(engine_port), iss_(iss), snd_nxt_(iss) {}

  void open() {
    send(kSyn, "");
    state = TcpState::SYN_SENT;
  }
  void listen() { state = TcpState::LISTEN; }
  void write(const std::string& data) { send(kAck | kPsh, data); }
  void close() {
    send(kAck | kFin, "");
    fin_sent_ = true;
    state = state == TcpState::CLOSE_WAIT ? TcpState::LAST_ACK : TcpState::FIN_WAIT_1;
  }

  // Sends what is due (call every cycle).
  void poll() {
    while (!q_.empty() && q_.front().first <= run_.cycle()) {
      run_.inject(q_.front().second);
      q_.pop_front();
    }
  }

  void on_frame(const WireFrame& w) {
    net::Frame f;
    if (net::parse_frame(w.data, f) != net::ParseError::kOk || !f.has_tcp) return;
    if (f.ip.dst != o_.peer_ip || f.tcp.dst_port != port_) return;
    if (state != TcpState::LISTEN && f.tcp.src_port != eport_) return;
    const net::TcpHeader& t = f.tcp;
    if (t.has(kRst)) {
      state = TcpState::CLOSED;
      return;
    }
    switch (state) {
      case TcpState::SYN_SENT:
        if (t.has(kSyn) && t.has(kAck) && t.ack == snd_nxt_) {
          rcv_nxt_ = t.seq + 1;
          state = TcpState::ESTABLISHED;
          send(kAck, "");
        }
        return;
      case TcpState::LISTEN:
        if (t.has(kSyn) && !t.has(kAck)) {
          eport_ = t.src_port;
          rcv_nxt_ = t.seq + 1;
          state = TcpState::SYN_RECEIVED;
          send(kSyn | kAck, "");
        }
        return;
      case TcpState::CLOSED:
        return;
      default:
        break;
    }
    bool need_ack = false;
    if (state == TcpState::SYN_RECEIVED && t.has(kAck) && t.ack == snd_nxt_) state = TcpState::ESTABLISHED;
    if (f.payload_len) {
      if (t.seq == rcv_nxt_) {
        received.append(reinterpret_cast<const char*>(f.payload), f.payload_len);
        rcv_nxt_ += uint32_t(f.payload_len);
      }
      need_ack = true;
    }
    if (t.has(kAck) && fin_sent_ && t.ack == snd_nxt_) {
      if (state == TcpState::FIN_WAIT_1)
        state = TcpState::FIN_WAIT_2;
      else if (state == TcpState::CLOSING)
        state = TcpState::TIME_WAIT;
      else if (state == TcpState::LAST_ACK)
        state = TcpState::CLOSED;
    }
    if (t.has(kFin) && t.seq + uint32_t(f.payload_len) == rcv_nxt_) {
      rcv_nxt_ += 1;
      need_ack = true;
      if (state == TcpState::ESTABLISHED)
        state = TcpState::CLOSE_WAIT;
      else if (state == TcpState::FIN_WAIT_1)
        state = TcpState::CLOSING;
      else if (state == TcpState::FIN_WAIT_2)
        state = TcpState::TIME_WAIT;
    }
    if (need_ack) send(kAck, "");
  }

  TcpState state = TcpState::CLOSED;
  std::string received;

 private:
  void send(uint8_t flags, const std::string& payload) {
    net::EthHeader eth;
    eth.dst = o_.local_mac;
    eth.src = o_.peer_mac;
    net::Ipv4Header ip;
    ip.src = o_.peer_ip;
    ip.dst = o_.local_ip;
    ip.id = ip_id_++;
    net::TcpHeader t;
    t.src_port = port_;
    t.dst_port = eport_;
    t.seq = snd_nxt_;
    t.ack = (flags & kAck) ? rcv_nxt_ : 0;
    t.flags = flags;
    t.window = 65535;
    if (flags & kSyn) {
      t.opts.has_mss = true;
      t.opts.mss = 1460;
    }
    snd_nxt_ += uint32_t(payload.size()) + ((flags & (kSyn | kFin)) ? 1u : 0u);
    const uint64_t at = run_.cycle() + run_.ns_to_cycles(kHostDelayNs);
    q_.push_back(
        {at, net::build_tcp_frame(eth, ip, t, reinterpret_cast<const uint8_t*>(payload.data()), payload.size())});
  }

  static constexpr uint64_t kHostDelayNs = 20000;  // the peer host answers after 20 us
  SimRun& run_;
  const Options& o_;
  uint16_t port_, eport_;
  uint32_t iss_, snd_nxt_, rcv_nxt_ = 0;
  bool fin_sent_ = false;
  uint16_t ip_id_ = 1;
  std::deque<std::pair<uint64_t, std::vector<uint8_t>>> q_;
};

std::string states_str(const std::vector<TcpState>& v) {
  std::string s;
  for (TcpState t : v) s += (s.empty() ? "" : " ") + std::string(to_string(t));
  return s;
}

}  // namespace

int run_seeds(Options& o, const std::string& out_dir) {
  o.finalize("10.0.0.2", "10.0.0.1");
  if (o.pcap.empty() && o.vcd.empty() && o.ladder.empty() && o.stats.empty()) {
    std::filesystem::create_directories(out_dir);
    const std::filesystem::path d(out_dir);
    o.pcap = (d / "toe_seeds.pcap").string();
    o.vcd = (d / "toe_seeds.vcd").string();
    o.ladder = (d / "toe_seeds.svg").string();
    o.stats = (d / "toe_seeds.json").string();
  }
  SimRun run(o, o.engine_config(), o.harness_config(1), 0, "toe_sim seeds");
  sim::Harness& h = run.harness();
  constexpr uint16_t kEchoPort = 7788, kClosedPort = 9, kPeerServerPort = 8080;
  DemoPeer a(run, o, 3337, kEchoPort, 3626544836u);  // the seeds' client
  DemoPeer b(run, o, kPeerServerPort, kFirstEphemeralPort, 1000);
  DemoPeer c(run, o, 3338, kClosedPort, 777);
  run.on_engine_frame = [&](const WireFrame& w) {
    a.on_frame(w);
    b.on_frame(w);
    c.on_frame(w);
  };
  auto until = [&](const std::function<bool()>& cond, double limit_ms) {
    const uint64_t limit = run.cycle() + run.ms_to_cycles(limit_ms);
    return run.run_until(
        [&] {
          a.poll();
          b.poll();
          c.poll();
          run.engine_frames().clear();
          return cond();
        },
        limit);
  };
  auto pause = [&](double us) { until([] { return false; }, us / 1000.0); };
  int failures = 0;
  auto report = [&](const std::string& what, bool ok, const std::string& detail) {
    std::cout << (ok ? "  ok    " : "  FAIL  ") << what << "\n        " << detail << "\n";
    if (!ok) ++failures;
  };
  // The engine's states of the connection on a local port (from its TCB trace).
  auto states_of_port = [&](uint16_t lport) {
    std::vector<TcpState> v;
    for (const StateRec& r : run.states()) {
      if (r.lport != lport) continue;
      if (v.empty()) v.push_back(r.passive ? TcpState::LISTEN : r.from);
      v.push_back(r.to);
    }
    return v;
  };
  auto engine_closed = [&](uint16_t lport) {
    const std::vector<TcpState> v = states_of_port(lport);
    return v.size() > 1 && v.back() == TcpState::CLOSED;
  };
  std::cout << "toe_sim seeds: engine " << net::ip_str(o.local_ip) << ", peer " << net::ip_str(o.peer_ip) << "\n";

  // 1. Passive open, echo, the peer closes first.
  h.listen(kEchoPort, sim::App::kEcho);
  pause(1);
  a.open();
  const std::string msg = "hello, toecore!\n";
  bool ok = until([&] { return a.state == TcpState::ESTABLISHED; }, 10);
  if (ok) {
    a.write(msg);
    ok = until([&] { return a.received.size() >= msg.size(); }, 10);
  }
  if (ok) {
    a.close();
    ok = until([&] { return a.state == TcpState::TIME_WAIT; }, 10);
  }
  pause(50);
  report("three-way handshake, echo, four-way close (peer closes first)",
         ok && a.received == msg && engine_closed(kEchoPort),
         "engine: " + states_str(states_of_port(kEchoPort)) + "; peer ends in " + to_string(a.state) + ", echoed " +
             std::to_string(a.received.size()) + " bytes");

  // 2. Active open, the engine sends and closes first.
  constexpr uint64_t kSourceBytes = 3000;
  b.listen();
  h.connect(o.peer_ip, kPeerServerPort, kFirstEphemeralPort, o.peer_mac, sim::App::kSource, kSourceBytes);
  ok = until([&] { return b.state == TcpState::CLOSE_WAIT && b.received.size() >= kSourceBytes; }, 20);
  if (ok) {
    b.close();
    ok = until([&] { return b.state == TcpState::CLOSED; }, 10);
  }
  // TIME_WAIT lasts 2*MSL (--msl-ms; 1 ms in the demo).
  const double msl = double(o.harness_config(1).msl_ms);
  ok = ok && until([&] { return engine_closed(kFirstEphemeralPort); }, 2 * msl + 5);
  bool data_ok = b.received.size() == kSourceBytes;
  for (size_t i = 0; data_ok && i < b.received.size(); ++i) data_ok = uint8_t(b.received[i]) == sim::source_byte(i);
  report("active open, " + std::to_string(kSourceBytes) + " bytes sent, four-way close (engine closes first)",
         ok && data_ok,
         "engine: " + states_str(states_of_port(kFirstEphemeralPort)) + "; peer ends in " + to_string(b.state));

  // 3. SYN to a closed port.
  c.open();
  ok = until([&] { return c.state == TcpState::CLOSED; }, 10);
  pause(50);
  report("SYN to closed port " + std::to_string(kClosedPort) + " answered with RST,ACK", ok,
         "rst_sent counter " + std::to_string(h.engine().counter(model::Counter::kRstSent)));

  run.stats_extra()["mode"] = "seeds";
  run.stats_extra()["ok"] = failures == 0;
  run.finish(std::cout);
  std::cout << (failures ? "toe_sim seeds: FAILED\n" : "toe_sim seeds: all scenarios passed\n");
  return failures ? 1 : 0;
}

}  // namespace toe::toesim
