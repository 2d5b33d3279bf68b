// SPDX-License-Identifier: Apache-2.0
// toe_sim demo: the product end to end on the SystemC platform (see demo.hpp).
#include "demo.hpp"

#include <CLI/CLI.hpp>

#include <systemc>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "conn_view.hpp"
#include "demo_common.hpp"
#include "driver_apps.hpp"
#include "driver_tlm.hpp"
#include "ladder.hpp"
#include "options.hpp"
#include "platform.hpp"
#include "toe/net/pcap.hpp"
#include "toe_defs.h"

namespace toe::toesim {

namespace {

using sc_core::sc_time;
using sc_core::SC_MS;
using sc_core::SC_SEC;
using sc_core::SC_US;
using sim::PeerApp;
using toe::sc::EthFrame;
using toe::sc::LinkDecision;
using toe::sc::LinkDirection;
using toe::sc::Platform;
using toe::sc::PlatformConfig;

constexpr uint16_t kEchoPort = 7, kDiscardPort = 9, kAbortPort = 13, kSourcePort = 19;
constexpr uint16_t kPeerEchoPort = 7007, kPeerClosedPort = 7009;

// An lwIP client of the engine's echo server: sends `size` bytes of the pattern, reads them back,
// closes.
struct LwipEchoClient {
  int conn = -1;
  uint64_t size = 0, sent = 0;
  std::vector<uint8_t> back;
  bool close_sent = false;
};

// The driver's connections, as the demo reports them.
struct Row {
  std::string role, app, local, peer, engine_end, lwip_states;
  uint64_t bytes_in = 0, bytes_out = 0;
  uint64_t retx_engine = 0, retx_peer = 0;
  bool ok = false;
  double t_open_ms = 0, t_done_ms = 0;
};

// Minimal VCD of a few platform signals (1 ns timescale). Changes may be recorded out of time
// order (a frame is stamped with its send time, which may lie ahead of the recording process's
// time): they are kept and written in time order by close().
class Vcd {
 public:
  explicit Vcd(const std::string& path) : path_(path), os_(path) {
    if (!os_) throw UsageError("--vcd " + path + ": cannot be written");
  }
  // Declares a signal; ids in order of declaration.
  size_t add(const std::string& name, unsigned width) {
    sigs_.push_back(Sig{std::string(1, char('!' + sigs_.size())), name, width});
    return sigs_.size() - 1;
  }
  void set(uint64_t t_ns, size_t i, uint64_t v) { changes_.push_back(Change{t_ns, i, v}); }
  void close(uint64_t end_ns) {
    os_ << "$date toe_sim demo $end\n$timescale 1 ns $end\n$scope module platform $end\n";
    for (const Sig& s : sigs_) os_ << "$var wire " << s.width << " " << s.id << " " << s.name << " $end\n";
    os_ << "$upscope $end\n$enddefinitions $end\n";
    std::stable_sort(changes_.begin(), changes_.end(), [](const Change& a, const Change& b) { return a.t < b.t; });
    std::vector<uint64_t> value(sigs_.size(), ~uint64_t(0));
    uint64_t last_t = ~uint64_t(0);
    for (const Change& c : changes_) {
      if (value[c.sig] == c.value) continue;
      value[c.sig] = c.value;
      if (c.t != last_t) os_ << "#" << c.t << "\n";
      last_t = c.t;
      const Sig& s = sigs_[c.sig];
      if (s.width == 1) {
        os_ << (c.value ? '1' : '0') << s.id << "\n";
      } else {
        std::string b;
        for (unsigned k = s.width; k-- > 0;) b += ((c.value >> k) & 1) ? '1' : '0';
        const size_t nz = b.find('1');
        os_ << "b" << (nz == std::string::npos ? "0" : b.substr(nz)) << " " << s.id << "\n";
      }
    }
    os_ << "#" << std::max<uint64_t>(end_ns, last_t == ~uint64_t(0) ? 0 : last_t) << "\n";
    os_.flush();
    if (!os_) throw UsageError("--vcd " + path_ + ": write failed");
  }

 private:
  struct Sig {
    std::string id, name;
    unsigned width;
  };
  struct Change {
    uint64_t t;
    size_t sig;
    uint64_t value;
  };
  std::string path_;
  std::ofstream os_;
  std::vector<Sig> sigs_;
  std::vector<Change> changes_;
};

// The world: the platform (device, link, lwIP, firmware), the driver on the host port.
struct DemoBed : sc_core::sc_module {
  Platform p;
  toe::sc::DriverTlm bus;
  toe_dev_t dev{};
  std::vector<toe_conn_t> conns;
  std::unique_ptr<DriverApps> apps;
  std::function<void(DemoBed&)> host;
  std::function<bool()> peer_step;
  bool host_done = false, peer_done = false;
  toe_result_t open_result = TOE_BUS_ERROR;

  SC_HAS_PROCESS(DemoBed);
  DemoBed(sc_core::sc_module_name n, const PlatformConfig& cfg)
      : sc_core::sc_module(n), p("p", cfg), bus("bus", p.irq) {
    bus.socket.bind(p.dev.host);
    SC_THREAD(host_thread);
    SC_THREAD(peer_thread);
  }

  void host_thread() {
    open_result = bus.open(dev, conns, p);
    if (open_result == TOE_OK) {
      apps = std::make_unique<DriverApps>(dev);
      if (host) host(*this);
    }
    host_done = true;
    finish();
  }

  void peer_thread() {
    for (;;) {
      if (!peer_done && peer_step) peer_done = peer_step();
      p.lwip.poke();
      if (peer_done && host_done) break;
      wait(sc_time(100, SC_US));
    }
    finish();
  }

  void finish() {
    if (host_done && peer_done) sc_core::sc_stop();
  }
};

}  // namespace

void add_demo_options(CLI::App* demo, DemoOptions& d) {
  demo->add_option("--out-dir", d.out_dir, "where demo.pcap, demo.vcd, demo.svg and demo.json go")->capture_default_str();
  demo->add_option("--pcap", d.pcap, "the engine's port as a pcap (default OUT_DIR/demo.pcap)");
  demo->add_option("--vcd", d.vcd, "interrupt, frames and byte counts over time (default OUT_DIR/demo.vcd)");
  demo->add_option("--ladder", d.ladder, "the first connection as an SVG ladder (default OUT_DIR/demo.svg)");
  demo->add_option("--stats", d.stats, "the figures as JSON (default OUT_DIR/demo.json)");
  demo->add_option("--loss", d.loss_pct, "frames lost per 100, each direction")->capture_default_str()->check(CLI::Range(0.0, 50.0));
  demo->add_option("--reorder", d.reorder_pct, "frames held back 200 us per 100, each direction")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 50.0));
  demo->add_option("--clients", d.clients, "lwIP clients of the engine's echo server")->capture_default_str()->check(CLI::Range(1, 64));
  demo->add_option("--bytes", d.bytes, "bytes each echo client sends (and the engine's client)")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t(1), uint64_t(64) << 20));
  demo->add_option("--seed", d.seed, "the link model's seed")->capture_default_str();
  demo->add_option("--rto-min-ms", d.rto_min_ms, "the firmware's RTO floor (RFC 6298 says 1000; Linux uses 200)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 60000u));
  demo->add_option("--msl-ms", d.msl_ms, "the firmware's MSL (TIME_WAIT lasts 2*MSL)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 120000u));
  demo->add_option("--engine", d.engine, "model or rtl (the Verilated toe_engine behind the TLM device)")
      ->capture_default_str()
      ->check(CLI::IsMember({"model", "rtl"}));
}

int run_demo(DemoOptions& d) {
  if (d.pcap.empty() || d.vcd.empty() || d.ladder.empty() || d.stats.empty()) {
    std::filesystem::create_directories(d.out_dir);
    const std::filesystem::path dir(d.out_dir);
    if (d.pcap.empty()) d.pcap = (dir / "demo.pcap").string();
    if (d.vcd.empty()) d.vcd = (dir / "demo.vcd").string();
    if (d.ladder.empty()) d.ladder = (dir / "demo.svg").string();
    if (d.stats.empty()) d.stats = (dir / "demo.json").string();
  }
  const auto wall0 = std::chrono::steady_clock::now();
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);

  PlatformConfig cfg;
  cfg.device.engine = d.engine;
  cfg.device.params.sessions = 16;
  cfg.slow_path = PlatformConfig::SlowPath::kFirmware;
  // The firmware's policy: RFC 6298 with, by default, Linux's 200 ms floor for a LAN and a 1 s
  // TIME_WAIT (MSL 500 ms), so the demo ends in seconds of simulated time.
  cfg.firmware.fw.rto_min_ms = d.rto_min_ms;
  cfg.firmware.fw.rto_initial_ms = std::max<uint32_t>(cfg.firmware.fw.rto_initial_ms, d.rto_min_ms);
  cfg.firmware.fw.msl_ms = d.msl_ms;
  for (toe::sc::LinkConfig* l : {&cfg.to_peer, &cfg.to_device}) {
    l->rate_bps = 1000000000;  // 1 GbE
    l->propagation_delay = sc_time(10, SC_US);
    l->loss_probability = d.loss_pct / 100.0;
    l->reorder_probability = d.reorder_pct / 100.0;
    l->reorder_delay = sc_time(200, SC_US);
  }
  cfg.to_peer.seed = d.seed;
  cfg.to_device.seed = d.seed + 1;
  std::unique_ptr<DemoBed> bed;
  try {
    bed = std::make_unique<DemoBed>("demo", cfg);
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    if (d.engine == "rtl" && what.find("not compiled into this build") != std::string::npos)
      throw UsageError("--engine rtl: this build has no RTL engine (configure with -DTOE_RTL_ENGINE=ON)");
    if (d.engine == "rtl") throw NoRtlBuild("--engine rtl: " + what);
    throw;
  }
  DemoBed& b = *bed;
  const uint32_t engine_ip = cfg.engine_ip, peer_ip = cfg.lwip.peer.local_ip;
  const uint32_t clock_mhz = uint32_t(1000000 / (cfg.device.clock_period.to_seconds() * 1e12));

  // Captures and the VCD.
  std::vector<Captured> sent, pcap_frames;
  Vcd vcd(d.vcd);
  const size_t v_irq = vcd.add("host_irq", 1), v_tx = vcd.add("engine_tx_frames", 32),
               v_rx = vcd.add("engine_rx_frames", 32), v_lost = vcd.add("frames_lost", 32),
               v_open = vcd.add("connections_open", 8), v_out = vcd.add("host_bytes_out", 32),
               v_in = vcd.add("host_bytes_in", 32);
  uint64_t n_tx = 0, n_rx = 0, n_lost = 0;
  b.p.link.on_sent = [&](LinkDirection dir, const EthFrame& f, const LinkDecision& dec) {
    const uint64_t t = ns_of(f.time);
    sent.push_back(Captured{t, dir == LinkDirection::AtoB, dec.lost, f.data});
    if (dir == LinkDirection::AtoB) {
      pcap_frames.push_back(Captured{t, true, dec.lost, f.data});
      vcd.set(t, v_tx, ++n_tx);
    }
    if (dec.lost) vcd.set(t, v_lost, ++n_lost);
  };
  b.p.link.on_deliver = [&](LinkDirection dir, const EthFrame& f) {
    if (dir != LinkDirection::BtoA) return;
    const uint64_t t = ns_of(sc_core::sc_time_stamp());
    pcap_frames.push_back(Captured{t, false, false, f.data});
    vcd.set(t, v_rx, ++n_rx);
  };

  // The host: the driver's apps.
  const uint64_t echo_bytes = d.bytes;
  const uint64_t abort_after = 4096;
  toe_connect_params_t to_echo{}, to_closed{};
  to_echo.ipv4 = peer_ip;
  to_echo.port = kPeerEchoPort;
  to_echo.lport = 40000;
  to_closed.ipv4 = peer_ip;
  to_closed.port = kPeerClosedPort;
  to_closed.lport = 40001;
  for (int i = 0; i < 6; ++i) to_echo.peer_mac[i] = to_closed.peer_mac[i] = cfg.lwip.mac.b[size_t(i)];
  bool host_ok = false;
  const size_t n_clients = d.clients;
  b.host = [&](DemoBed& bd) {
    DriverApps& a = *bd.apps;
    if (a.listen(kEchoPort, AppSpec{AppSpec::Kind::kEcho, 0}) != TOE_OK ||
        a.listen(kDiscardPort, AppSpec{AppSpec::Kind::kDiscard, 0}) != TOE_OK ||
        a.listen(kSourcePort, AppSpec{AppSpec::Kind::kSource, echo_bytes / 2}) != TOE_OK ||
        a.listen(kAbortPort, AppSpec{AppSpec::Kind::kAbort, abort_after}) != TOE_OK)
      return;
    a.expect_accepts(n_clients + 3);
    a.connect(to_echo, AppSpec{AppSpec::Kind::kCheck, echo_bytes});
    a.connect(to_closed, AppSpec{AppSpec::Kind::kCheck, 1});
    // Progress and the VCD's counters while the apps run.
    uint64_t last_print = 0;
    size_t last_done = 0;
    const uint64_t deadline = a.conns().empty() ? 0 : 600ull * 1000000;
    for (;;) {
      const bool moved = a.step();
      uint64_t in = 0, out = 0;
      size_t open = 0, done = 0;
      for (const AppConn& c : a.conns()) {
        in += c.bytes_in;
        out += c.bytes_out;
        open += c.done() ? 0 : 1;
        done += c.done() ? 1 : 0;
      }
      const uint64_t now = ns_of(sc_core::sc_time_stamp());
      vcd.set(now, v_open, open);
      vcd.set(now, v_out, out);
      vcd.set(now, v_in, in);
      vcd.set(now, v_irq, bd.p.irq.read());
      if (done != last_done || now - last_print >= 2000000000ull) {
        last_print = now;
        last_done = done;
        std::printf("  [%8.3f ms sim] %zu connections done, %zu open; host read %llu B, wrote %llu B; %llu frames lost\n",
                    double(now) / 1e6, done, open, (unsigned long long)in, (unsigned long long)out,
                    (unsigned long long)n_lost);
        std::fflush(stdout);
      }
      if (done == n_clients + 5 && open == 0) break;
      if (a.error() != TOE_OK || now / 1000 >= deadline) return;
      if (!moved) toe_wait_event(&bd.dev, 20000, nullptr);
    }
    host_ok = true;
  };

  // The lwIP side.
  sim::LwipPeer& peer = b.p.lwip.peer();
  const int echo_listener = peer.listen(kPeerEchoPort, PeerApp::kEcho);
  std::vector<LwipEchoClient> clients(n_clients);
  int discard_client = -1, source_client = -1, abort_client = -1;
  uint64_t abort_sent = 0;
  int rounds = 0;
  b.peer_step = [&] {
    ++rounds;
    if (rounds == 10) {  // 1 ms in: the engine listens by then
      for (size_t i = 0; i < clients.size(); ++i) {
        clients[i].conn = peer.connect(engine_ip, kEchoPort, 0, PeerApp::kManual);
        clients[i].size = echo_bytes;
      }
      discard_client = peer.connect(engine_ip, kDiscardPort, 0, PeerApp::kSource, size_t(echo_bytes / 2));
      source_client = peer.connect(engine_ip, kSourcePort, 0, PeerApp::kDiscard);
      abort_client = peer.connect(engine_ip, kAbortPort, 0, PeerApp::kManual);
    }
    if (rounds <= 10) return false;
    bool all = true;
    for (LwipEchoClient& c : clients) {
      if (c.conn < 0) continue;
      const toe::TcpState st = peer.state(c.conn);
      if (st == toe::TcpState::ESTABLISHED || st == toe::TcpState::CLOSE_WAIT) {
        while (c.sent < c.size) {
          uint8_t chunk[1024];
          const size_t n = size_t(std::min<uint64_t>(sizeof chunk, c.size - c.sent));
          for (size_t k = 0; k < n; ++k) chunk[k] = pattern_byte(c.sent + k);
          const size_t took = peer.send(c.conn, chunk, n);
          c.sent += took;
          if (took < n) break;
        }
        const std::vector<uint8_t> got = peer.take_received(c.conn);
        c.back.insert(c.back.end(), got.begin(), got.end());
        if (c.back.size() >= c.size && !c.close_sent) {
          peer.close(c.conn);
          c.close_sent = true;
        }
      }
      const bool ended = st == toe::TcpState::CLOSED || st == toe::TcpState::TIME_WAIT;
      all = all && ((c.close_sent && ended) || peer.was_reset(c.conn));
    }
    if (abort_client >= 0 && peer.state(abort_client) == toe::TcpState::ESTABLISHED && abort_sent < 4 * abort_after) {
      uint8_t chunk[1024];
      for (size_t k = 0; k < sizeof chunk; ++k) chunk[k] = pattern_byte(abort_sent + k);
      abort_sent += peer.send(abort_client, chunk, sizeof chunk);
      (void)peer.take_received(abort_client);
    }
    for (int c : {discard_client, source_client}) {
      const toe::TcpState st = c < 0 ? toe::TcpState::CLOSED : peer.state(c);
      all = all && (st == toe::TcpState::CLOSED || st == toe::TcpState::TIME_WAIT);
    }
    all = all && (abort_client < 0 || peer.state(abort_client) == toe::TcpState::CLOSED);
    return all;
  };

  std::printf("toe_sim demo: engine %s (%s) with the firmware in the loop and the host driver; lwIP %s;\n"
              "  link 1 Gb/s, 10 us, %.1f %% loss and %.1f %% reordering each way (seed %llu)\n",
              net::ip_str(engine_ip).c_str(), d.engine.c_str(), net::ip_str(peer_ip).c_str(), d.loss_pct, d.reorder_pct,
              (unsigned long long)d.seed);
  std::fflush(stdout);
  sc_core::sc_start(sc_time(900, SC_SEC));
  const double sim_s = sc_core::sc_time_stamp().to_seconds();
  vcd.close(ns_of(sc_core::sc_time_stamp()));
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();

  // The pcap: the engine's port (frames it sent, as sent; frames it received, as delivered).
  std::stable_sort(pcap_frames.begin(), pcap_frames.end(),
                   [](const Captured& x, const Captured& y) { return x.t_ns < y.t_ns; });
  {
    net::PcapWriter w(d.pcap, net::LinkType::kEthernet);
    for (const Captured& c : pcap_frames) w.write(c.t_ns, c.data);
  }
  // Connections as seen from the wire, for the ladders.
  std::vector<WireFrame> wire;
  for (const Captured& c : pcap_frames) wire.push_back(WireFrame{c.t_ns * clock_mhz / 1000, c.from_engine, c.data});
  const std::vector<ConnView> views = build_conn_views(wire, {}, engine_ip);
  std::map<std::tuple<uint16_t, uint16_t, bool>, uint64_t> retx;
  count_retransmissions(sent, engine_ip, retx);

  // The table.
  std::vector<Row> rows;
  size_t failures = 0;
  if (!b.apps) {
    std::printf("toe_sim demo: FAILED: the driver could not open the device: %s\n", toe_result_str(b.open_result));
    return 1;
  }
  const DriverApps& a = *b.apps;
  for (const AppConn& c : a.conns()) {
    Row r;
    r.role = c.passive ? "server" : "client";
    r.app = c.app.str();
    r.local = ip_port(engine_ip, c.lport);
    r.peer = c.rport ? ip_port(c.rip, c.rport) : "-";
    r.bytes_in = c.bytes_in;
    r.bytes_out = c.bytes_out;
    r.engine_end = outcome_name(c.outcome);
    if (c.conn != UINT32_MAX) {
      // The engine's port on the wire: the listener's for a server, the connect's local port for
      // a client; the peer's port from the driver.
      r.retx_engine = retx[std::make_tuple(c.lport, c.rport, true)];
      r.retx_peer = retx[std::make_tuple(c.lport, c.rport, false)];
    }
    r.t_open_ms = double(c.t_open_us) / 1000;
    r.t_done_ms = double(c.t_done_us) / 1000;
    // What a good end is: refused for the connect to the closed port, aborted for abort:N, else
    // the app's own check.
    const bool expect_refused = !c.passive && c.rport == kPeerClosedPort;
    r.ok = expect_refused ? c.outcome == AppConn::Outcome::kRefused : c.ok();
    for (int pc : peer.connections()) {
      if (peer.local_port(pc) == c.rport && peer.remote_port(pc) == c.lport) {
        for (toe::TcpState s : peer.state_log(pc)) r.lwip_states += (r.lwip_states.empty() ? "" : " ") + std::string(to_string(s));
      }
    }
    failures += r.ok ? 0 : 1;
    rows.push_back(r);
  }
  // lwIP's side of the echo clients: byte-exact.
  size_t lwip_ok = 0;
  for (const LwipEchoClient& c : clients) {
    bool same = c.back.size() == c.size;
    for (size_t i = 0; same && i < c.back.size(); ++i) same = c.back[i] == pattern_byte(i);
    lwip_ok += same ? 1 : 0;
  }
  const bool abort_seen = abort_client >= 0 && peer.was_reset(abort_client);
  const bool all_ok = host_ok && failures == 0 && lwip_ok == clients.size() && abort_seen &&
                      rows.size() == n_clients + 5;

  std::printf("\n  %-3s %-6s %-13s %-16s %-16s %9s %9s %5s %5s  %-9s %s\n", "#", "role", "app", "engine", "peer",
              "bytes in", "bytes out", "retx", "p.rtx", "end", "lwIP states");
  uint64_t tot_in = 0, tot_out = 0, tot_retx = 0, tot_pretx = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    std::printf("  %-3zu %-6s %-13s %-16s %-16s %9llu %9llu %5llu %5llu  %-9s %s%s\n", i, r.role.c_str(), r.app.c_str(),
                r.local.c_str(), r.peer.c_str(), (unsigned long long)r.bytes_in, (unsigned long long)r.bytes_out,
                (unsigned long long)r.retx_engine, (unsigned long long)r.retx_peer, r.engine_end.c_str(),
                r.lwip_states.c_str(), r.ok ? "" : "   <-- FAILED");
    tot_in += r.bytes_in;
    tot_out += r.bytes_out;
    tot_retx += r.retx_engine;
    tot_pretx += r.retx_peer;
  }
  const auto& ab = b.p.link.counters(LinkDirection::AtoB);
  const auto& ba = b.p.link.counters(LinkDirection::BtoA);
  std::printf("  %-3s %-6s %-13s %-16s %-16s %9llu %9llu %5llu %5llu\n", "", "total", "", "", "",
              (unsigned long long)tot_in, (unsigned long long)tot_out, (unsigned long long)tot_retx,
              (unsigned long long)tot_pretx);
  std::printf("\n  link engine->lwIP: %llu frames, %llu lost, %llu reordered; lwIP->engine: %llu frames, %llu lost, %llu "
              "reordered\n",
              (unsigned long long)ab.frames_in, (unsigned long long)ab.lost, (unsigned long long)ab.reordered,
              (unsigned long long)ba.frames_in, (unsigned long long)ba.lost, (unsigned long long)ba.reordered);
  if (b.p.firmware) {
    const toe_fw_stats& fs = b.p.firmware->stats();
    std::printf("  firmware: %u retransmit commands, %u give-ups, %u TIME_WAIT expiries, %u RTT samples (%u skipped by Karn)\n",
                fs.retransmits, fs.give_ups, fs.time_wait_expiries, fs.rtt_samples, fs.rtt_karn_skipped);
  }
  std::printf("  simulated %.3f s in %.2f s of wall time (%.3f simulated s per wall s)\n", sim_s, wall_s,
              wall_s > 0 ? sim_s / wall_s : 0.0);

  // The first connection's ladder: ASCII here, SVG in the file.
  if (!views.empty()) {
    std::printf("\n  ladder of the first connection (all of it in %s):\n%s", d.ladder.c_str(),
                ascii_ladder(views.front(), clock_mhz).c_str());
    write_ladder(d.ladder, {views.front()}, "toe_sim demo: the first connection", clock_mhz);
  }

  nlohmann::json j;
  j["mode"] = "demo";
  j["engine"] = d.engine;
  j["firmware"] = {{"name", "toecore firmware (firmware/, C11) in the loop: FirmwareNode"},
                   {"rto_min_ms", cfg.firmware.fw.rto_min_ms},
                   {"msl_ms", cfg.firmware.fw.msl_ms}};
  j["driver"] = {{"name", "toe_driver (host_driver/, C11)"}, {"transport", "TLM-2.0 host port (DriverTlm)"}};
  j["link"] = {{"loss_pct", d.loss_pct},
               {"reorder_pct", d.reorder_pct},
               {"seed", d.seed},
               {"engine_to_peer", {{"frames", ab.frames_in}, {"lost", ab.lost}, {"reordered", ab.reordered}}},
               {"peer_to_engine", {{"frames", ba.frames_in}, {"lost", ba.lost}, {"reordered", ba.reordered}}}};
  j["simulated_s"] = sim_s;
  j["wall_s"] = wall_s;
  j["ok"] = all_ok;
  nlohmann::json cj = nlohmann::json::array();
  for (const Row& r : rows) {
    cj.push_back({{"role", r.role},
                  {"app", r.app},
                  {"engine", r.local},
                  {"peer", r.peer},
                  {"bytes_in", r.bytes_in},
                  {"bytes_out", r.bytes_out},
                  {"retransmissions_engine", r.retx_engine},
                  {"retransmissions_peer", r.retx_peer},
                  {"end", r.engine_end},
                  {"lwip_states", r.lwip_states},
                  {"open_ms", r.t_open_ms},
                  {"done_ms", r.t_done_ms},
                  {"ok", r.ok}});
  }
  j["connections"] = cj;
  j["totals"] = {{"bytes_in", tot_in}, {"bytes_out", tot_out}, {"retransmissions_engine", tot_retx},
                 {"retransmissions_peer", tot_pretx}};
  {
    std::ofstream os(d.stats);
    if (!os) throw UsageError("--stats " + d.stats + ": cannot be written");
    os << j.dump(2) << "\n";
  }
  std::printf("\n  outputs: %s (Wireshark) %s (GTKWave) %s (browser) %s\n", d.pcap.c_str(), d.vcd.c_str(),
              d.ladder.c_str(), d.stats.c_str());
  std::printf("toe_sim demo: %s\n", all_ok ? "every connection ended as it should"
                                            : "FAILED (see the rows marked FAILED)");
  (void)echo_listener;
  return all_ok ? 0 : 1;
}

}  // namespace toe::toesim
