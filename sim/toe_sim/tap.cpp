// SPDX-License-Identifier: Apache-2.0
// toe_sim tap: Linux's own TCP as the peer through a TAP device (see tap.hpp, tap_node.hpp).
//
//   DriverTlm (host driver + DriverApps) --> dev.host        FirmwareNode --> dev.fw
//   dev.eth_tx --> [dev_out] --> link a->b --> [tap_in]  --> TapNode --> TAP fd --> Linux
//   dev.eth_rx <-- [dev_in]  <-- link b->a <-- [tap_out] <-- TapNode <-- TAP fd <-- Linux
#include "tap.hpp"

#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <signal.h>
#include <unistd.h>

#include <systemc>

#include <algorithm>
#include <cmath>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "conn_view.hpp"
#include "demo_common.hpp"
#include "driver_apps.hpp"
#include "driver_tlm.hpp"
#include "firmware_node.hpp"
#include "ladder.hpp"
#include "link.hpp"
#include "options.hpp"
#include "tap_node.hpp"
#include "toe/net/pcap.hpp"
#include "toe_defs.h"
#include "toe_device_tlm.hpp"
#include "toe_regs.h"

namespace toe::toesim {

namespace {

using sc_core::sc_time;
using sc_core::SC_MS;
using sc_core::SC_US;
using toe::sc::EthFrame;
using toe::sc::LinkDecision;
using toe::sc::LinkDirection;

volatile sig_atomic_t g_signal = 0;
int g_pipe[2] = {-1, -1};

void on_signal(int sig) {
  g_signal = sig;
  const char c = 1;
  [[maybe_unused]] const ssize_t n = write(g_pipe[1], &c, 1);
}

struct ListenSpec {
  uint16_t port;
  AppSpec app;
};
struct ConnectSpec {
  uint32_t ip;
  uint16_t port;
  AppSpec app;
};

AppSpec app_or_throw(const std::string& text, const std::string& opt) {
  try {
    return AppSpec::parse(text);
  } catch (const std::invalid_argument& e) {
    throw UsageError(opt + ": " + e.what());
  }
}

ListenSpec parse_listen(const std::string& t) {
  const size_t c = t.find(':');
  if (c == std::string::npos) throw UsageError("--listen " + t + ": expected PORT:APP (e.g. 80:http)");
  return ListenSpec{parse_port_or_throw(t.substr(0, c), "--listen " + t), app_or_throw(t.substr(c + 1), "--listen " + t)};
}

ConnectSpec parse_connect(const std::string& t) {
  const size_t c1 = t.find(':'), c2 = c1 == std::string::npos ? c1 : t.find(':', c1 + 1);
  if (c2 == std::string::npos) throw UsageError("--connect " + t + ": expected IP:PORT:APP (e.g. 10.0.0.1:5000:source:1000)");
  return ConnectSpec{parse_ipv4_or_throw(t.substr(0, c1), "--connect " + t),
                     parse_port_or_throw(t.substr(c1 + 1, c2 - c1 - 1), "--connect " + t),
                     app_or_throw(t.substr(c2 + 1), "--connect " + t)};
}

std::string mac_text(const net::MacAddr& m) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", m.b[0], m.b[1], m.b[2], m.b[3], m.b[4], m.b[5]);
  return buf;
}

// The interface holding `ip` in this namespace, or "".
std::string local_owner(uint32_t ip) {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return "";
  std::string owner;
  for (ifaddrs* a = list; a; a = a->ifa_next) {
    if (a->ifa_addr && a->ifa_addr->sa_family == AF_INET &&
        ntohl(reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr.s_addr) == ip)
      owner = a->ifa_name;
  }
  freeifaddrs(list);
  return owner;
}

// The world: device, link, TAP, firmware, driver.
struct TapBed : sc_core::sc_module {
  toe::sc::DeviceTlm dev;
  sc_core::sc_signal<bool> irq;
  toe::sc::Link link;
  TapNode tap;
  toe::sc::FirmwareNode firmware;
  toe::sc::DriverTlm bus;
  sc_core::sc_fifo<EthFrame> dev_out, dev_in, tap_in, tap_out;

  net::MacAddr engine_mac, linux_mac;
  uint32_t engine_ip = 0;
  uint32_t grace_ms = 3000;
  std::vector<ListenSpec> listens;
  std::vector<ConnectSpec> connects;
  bool quiet = false;

  toe_dev_t drv{};
  std::vector<toe_conn_t> conns;
  std::unique_ptr<DriverApps> apps;
  std::string error;  // a driver call that failed before the apps ran
  std::string stop_reason;
  bool grace_expired = false;
  std::set<size_t> time_wait;  // connections left in TIME_WAIT (the engine closed first) at the stop

  SC_HAS_PROCESS(TapBed);
  TapBed(sc_core::sc_module_name n, const toe::sc::DeviceTlmConfig& dcfg, const toe::sc::LinkConfig& to_linux,
         const toe::sc::LinkConfig& to_engine, int tap_fd, int wake_fd, sc_time slice,
         const toe::sc::FirmwareNodeConfig& fcfg)
      : sc_core::sc_module(n),
        dev("dev", dcfg),
        irq("irq"),
        link("link", to_linux, to_engine),
        tap("tap", tap_fd, wake_fd, slice),
        firmware("firmware", dev, fcfg),
        bus("bus", irq),
        dev_out("dev_out", 256),
        dev_in("dev_in", 256),
        tap_in("tap_in", 256),
        tap_out("tap_out", 256),
        conns(dcfg.params.sessions) {
    dev.irq(irq);
    dev.eth_tx(dev_out);
    link.from_a(dev_out);
    link.to_b(tap_in);
    tap.eth_in(tap_in);
    tap.eth_out(tap_out);
    link.from_b(tap_out);
    link.to_a(dev_in);
    dev.eth_rx(dev_in);
    bus.socket.bind(dev.host);
    SC_THREAD(host);
  }

  uint64_t now_us() const { return ns_of(sc_core::sc_time_stamp()) / 1000; }

  void host() {
    toe_config_t cfg{};
    cfg.tx_buf_bytes = dev_params.tx_buf_bytes;
    cfg.rx_buf_bytes = dev_params.rx_buf_bytes;
    toe_result_t r = toe_open(&drv, bus.mmio(), conns.data(), uint32_t(conns.size()), &cfg);
    if (r == TOE_OK) {
      toe_net_config_t net{};
      for (int i = 0; i < 6; ++i) net.mac[i] = engine_mac.b[size_t(i)];
      net.ipv4 = engine_ip;
      net.enable = 1;
      r = toe_configure(&drv, &net);
    }
    if (r != TOE_OK) {
      error = std::string("the driver could not open the device: ") + toe_result_str(r);
      sc_core::sc_stop();
      return;
    }
    apps = std::make_unique<DriverApps>(drv);
    for (const ListenSpec& l : listens) {
      r = apps->listen(l.port, l.app);
      if (r != TOE_OK) {
        error = "--listen " + std::to_string(l.port) + ":" + l.app.str() + ": the engine refused the listener (" +
                toe_result_str(r) + ")";
        sc_core::sc_stop();
        return;
      }
    }
    uint16_t lport = 49152;
    for (const ConnectSpec& c : connects) {
      toe_connect_params_t p{};
      p.ipv4 = c.ip;
      p.port = c.port;
      p.lport = lport++;
      // No MAC: connect by IP address, the firmware asks Linux by ARP (toe_fw_connect).
      apps->connect(p, c.app);
    }
    if (!quiet) {
      std::printf("toe_sim tap: ready\n");
      std::fflush(stdout);
    }
    uint64_t grace_end = 0;
    for (;;) {
      if (g_signal != 0 && !apps->shutting_down()) {
        stop_reason = g_signal == SIGINT ? "SIGINT" : "SIGTERM";
        apps->shutdown_all();
        grace_end = now_us() + uint64_t(grace_ms) * 1000;
      }
      const bool moved = apps->step();
      if (apps->shutting_down()) {
        bool all = true;
        for (size_t i = 0; i < apps->conns().size(); ++i) {
          const AppConn& c = apps->conns()[i];
          if (c.done()) continue;
          // Closed on our side first: TIME_WAIT is the engine's to finish, the connection is over.
          toe_conn_info_t info{};
          if (c.shut && c.eof && c.conn != UINT32_MAX && toe_conn_info(&drv, c.conn, &info) == TOE_OK &&
              info.state == TOE_STATE_TIME_WAIT) {
            time_wait.insert(i);
            continue;
          }
          all = false;
        }
        if (all) break;
        if (now_us() >= grace_end) {
          grace_expired = true;
          break;
        }
      }
      if (!moved) toe_wait_event(&drv, apps->shutting_down() ? 2000 : 20000, nullptr);
    }
    sc_core::sc_stop();
  }

  model::EngineParams dev_params;
};

}  // namespace

void add_tap_options(CLI::App* cmd, TapOptions& o) {
  cmd->add_option("--ifname", o.ifname, "NAME: the TAP device (opened, or created, in this network namespace)")->required();
  cmd->add_option("--local-ip", o.local_ip, "A.B.C.D: the engine's address")->required();
  cmd->add_option("--local-mac", o.local_mac, "the engine's MAC")->capture_default_str();
  cmd->add_option("--listen", o.listen, "PORT:APP: listen with APP = echo|discard|http|source:N (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--connect", o.connect, "IP:PORT:APP: an active open at the start, to the TAP's MAC (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--engine", o.engine, "model|rtl")->capture_default_str()->check(CLI::IsMember({"model", "rtl"}));
  cmd->add_option("--sessions", o.sessions, "TCB entries (default 128 with the model, 16 with the RTL)");
  cmd->add_option("--buf-kib", o.buf_kib, "receive and transmit buffer per connection, KiB (default 64; model only)");
  cmd->add_option("--loss", o.loss_pct, "frames lost per 100, each direction")->capture_default_str()->check(CLI::Range(0.0, 50.0));
  cmd->add_option("--reorder", o.reorder_pct, "frames held back by --reorder-delay-us per 100, each direction")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 50.0));
  cmd->add_option("--reorder-delay-us", o.reorder_delay_us, "how long a reordered frame is held back")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 1e6));
  cmd->add_option("--duplicate", o.duplicate_pct, "frames delivered twice per 100, each direction")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 50.0));
  cmd->add_option("--delay-us", o.delay_us, "the link's propagation delay, each direction")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e6));
  cmd->add_option("--rate-mbps", o.rate_mbps, "the link's rate (0: unlimited)")->capture_default_str();
  cmd->add_option("--seed", o.seed, "the link model's seed")->capture_default_str();
  cmd->add_option("--rto-min-ms", o.rto_min_ms, "the firmware's RTO floor")->capture_default_str()->check(CLI::Range(1u, 60000u));
  cmd->add_option("--msl-ms", o.msl_ms, "the firmware's MSL (TIME_WAIT is 2*MSL)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 120000u));
  cmd->add_option("--grace-ms", o.grace_ms, "after SIGINT/SIGTERM: how long connections may take to close")
      ->capture_default_str()
      ->check(CLI::Range(0u, 600000u));
  cmd->add_option("--slice-us", o.slice_us, "the pacer's longest step")->capture_default_str()->check(CLI::Range(1.0, 100000.0));
  cmd->add_option("--pcap", o.pcap, "FILE: the engine's Ethernet port");
  cmd->add_option("--stats", o.stats, "FILE.json: counters and a row per connection");
  cmd->add_option("--ladder", o.ladder, "FILE.svg: the first connection's ladder");
  cmd->add_flag("--quiet", o.quiet, "no ready line and no summary");
}

int run_tap(TapOptions& o) {
  // Everything checked before the TAP is touched.
  const uint32_t engine_ip = parse_ipv4_or_throw(o.local_ip, "--local-ip");
  const net::MacAddr engine_mac = parse_mac_or_throw(o.local_mac, "--local-mac");
  std::vector<ListenSpec> listens;
  std::set<uint16_t> ports;
  for (const std::string& t : o.listen) {
    listens.push_back(parse_listen(t));
    if (!ports.insert(listens.back().port).second)
      throw UsageError("--listen " + t + ": port " + std::to_string(listens.back().port) + " is already in use (listed twice)");
  }
  std::vector<ConnectSpec> connects;
  for (const std::string& t : o.connect) connects.push_back(parse_connect(t));
  if (connects.size() > TOE_MAX_PENDING_CONNECTS)
    throw UsageError("--connect: at most " + std::to_string(TOE_MAX_PENDING_CONNECTS) + " at once");
  const std::string owner = local_owner(engine_ip);
  if (!owner.empty())
    throw UsageError("--local-ip " + o.local_ip + ": address in use (this host's interface " + owner +
                     " has it; the engine needs an address of its own on the TAP's subnet)");

  toe::sc::DeviceTlmConfig dcfg;
  dcfg.engine = o.engine;
  const bool rtl = o.engine == "rtl";
  dcfg.params.sessions = o.sessions ? o.sessions : (rtl ? 16 : 128);
  if (!rtl || o.buf_kib) {
    const uint32_t kib = o.buf_kib ? o.buf_kib : 64;
    dcfg.params.rx_buf_bytes = dcfg.params.tx_buf_bytes = kib * 1024;
  }
  if (listens.size() > dcfg.params.listen_entries)
    throw UsageError("--listen: at most " + std::to_string(dcfg.params.listen_entries) + " listeners");
  toe::sc::LinkConfig l;
  l.rate_bps = o.rate_mbps * 1000000;
  l.propagation_delay = sc_time(o.delay_us, SC_US);
  l.loss_probability = o.loss_pct / 100;
  l.reorder_probability = o.reorder_pct / 100;
  l.reorder_delay = sc_time(o.reorder_delay_us, SC_US);
  l.duplication_probability = o.duplicate_pct / 100;
  toe::sc::LinkConfig to_linux = l, to_engine = l;
  to_linux.seed = o.seed;
  to_engine.seed = o.seed + 1;
  toe::sc::FirmwareNodeConfig fcfg;
  fcfg.fw.rto_min_ms = o.rto_min_ms;
  fcfg.fw.rto_initial_ms = std::max<uint32_t>(fcfg.fw.rto_initial_ms, o.rto_min_ms);
  fcfg.fw.msl_ms = o.msl_ms;

  for (const auto& [path, opt] : {std::pair<std::string, const char*>{o.pcap, "--pcap"}, {o.stats, "--stats"}, {o.ladder, "--ladder"}}) {
    if (path.empty()) continue;
    std::ofstream f(path, std::ios::app);
    if (!f) throw UsageError(std::string(opt) + " " + path + ": cannot write the file: " + std::strerror(errno));
  }

  net::MacAddr linux_mac;
  const int tap_fd = open_tap(o.ifname, &linux_mac);
  if (pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  struct sigaction sa{};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);

  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  std::unique_ptr<TapBed> bed;
  try {
    bed = std::make_unique<TapBed>("tap", dcfg, to_linux, to_engine, tap_fd, g_pipe[0], sc_time(o.slice_us, SC_US), fcfg);
  } catch (const std::invalid_argument& e) {
    close(tap_fd);
    const std::string what = e.what();
    if (rtl && what.find("not compiled into this build") != std::string::npos)
      throw UsageError("--engine rtl: this build has no RTL engine (configure with -DTOE_RTL_ENGINE=ON)");
    if (rtl) throw NoRtlBuild("--engine rtl: " + what);
    throw UsageError(std::string("tap: ") + what);
  }
  TapBed& b = *bed;
  b.engine_mac = engine_mac;
  b.linux_mac = linux_mac;
  b.engine_ip = engine_ip;
  b.grace_ms = o.grace_ms;
  b.listens = listens;
  b.connects = connects;
  b.quiet = o.quiet;
  b.dev_params = dcfg.params;
  const uint32_t clock_mhz = uint32_t(std::lround(1e-6 / dcfg.clock_period.to_seconds()));

  // Captures: the engine's port (frames it sent, as sent; frames it received, as delivered).
  const bool capture = !o.pcap.empty() || !o.stats.empty() || !o.ladder.empty();
  std::vector<Captured> sent, port;
  if (capture) {
    b.link.on_sent = [&](LinkDirection dir, const EthFrame& f, const LinkDecision& dec) {
      sent.push_back(Captured{ns_of(f.time), dir == LinkDirection::AtoB, dec.lost, f.data});
      if (dir == LinkDirection::AtoB) port.push_back(Captured{ns_of(f.time), true, dec.lost, f.data});
    };
    b.link.on_deliver = [&](LinkDirection dir, const EthFrame& f) {
      if (dir == LinkDirection::BtoA) port.push_back(Captured{ns_of(sc_core::sc_time_stamp()), false, false, f.data});
    };
  }
  if (!o.quiet) {
    std::printf("toe_sim tap: engine %s %s (%s, firmware in the loop, host driver apps) on %s (Linux's MAC %s); "
                "link %.1f %% loss, %.1f %% reordering (seed %llu)\n",
                net::ip_str(engine_ip).c_str(), o.local_mac.c_str(), o.engine.c_str(), o.ifname.c_str(),
                mac_text(linux_mac).c_str(), o.loss_pct, o.reorder_pct, (unsigned long long)o.seed);
    std::fflush(stdout);
  }
  const auto wall0 = std::chrono::steady_clock::now();
  sc_core::sc_start();
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  const double sim_s = sc_core::sc_time_stamp().to_seconds();
  close(tap_fd);
  if (!b.error.empty()) throw UsageError(b.error);

  // Engine counters, peeked (side-effect free) from the host port.
  auto peek = [&](uint32_t addr) { return b.dev.peek_host(addr); };
  nlohmann::json counters;
  for (uint32_t i = 0; i < TOE_CNT_COUNT; ++i) counters[toe_cnt_names[i]] = peek(TOE_REG_CNT_FRAMES_IN_OFFSET + 4 * i);

  std::stable_sort(port.begin(), port.end(), [](const Captured& x, const Captured& y) { return x.t_ns < y.t_ns; });
  if (!o.pcap.empty()) {
    net::PcapWriter w(o.pcap, net::LinkType::kEthernet);
    for (const Captured& c : port) w.write(c.t_ns, c.data);
  }
  std::vector<WireFrame> wire;
  for (const Captured& c : port) wire.push_back(WireFrame{c.t_ns * clock_mhz / 1000, c.from_engine, c.data});
  const std::vector<ConnView> views = capture ? build_conn_views(wire, {}, engine_ip) : std::vector<ConnView>{};
  std::map<std::tuple<uint16_t, uint16_t, bool>, uint64_t> retx;
  count_retransmissions(sent, engine_ip, retx);
  if (!o.ladder.empty() && !views.empty())
    write_ladder(o.ladder, {views.front()}, "toe_sim tap: the first connection (Linux on the left)", clock_mhz);

  nlohmann::json rows = nlohmann::json::array();
  uint64_t tot_in = 0, tot_out = 0;
  const std::vector<AppConn> none;
  const std::vector<AppConn>& cs = b.apps ? b.apps->conns() : none;
  for (size_t i = 0; i < cs.size(); ++i) {
    const AppConn& c = cs[i];
    const bool tw = b.time_wait.count(i) > 0;
    tot_in += c.bytes_in;
    tot_out += c.bytes_out;
    nlohmann::json r = {{"role", c.passive ? "server" : "client"},
                        {"app", c.app.str()},
                        {"engine", ip_port(engine_ip, c.lport)},
                        {"peer", c.rport ? ip_port(c.rip, c.rport) : "-"},
                        {"bytes_in", c.bytes_in},
                        {"bytes_out", c.bytes_out},
                        {"retransmissions_engine", retx[std::make_tuple(c.lport, c.rport, true)]},
                        {"retransmissions_peer", retx[std::make_tuple(c.lport, c.rport, false)]},
                        {"end", tw ? "time_wait" : outcome_name(c.outcome)},
                        {"ok", tw ? c.bytes_out == (c.app.kind == AppSpec::Kind::kCheck || c.app.kind == AppSpec::Kind::kSource
                                                        ? c.app.bytes
                                                        : c.bytes_out) &&
                                        c.mismatches == 0
                                  : c.ok()},
                        {"mismatches", c.mismatches},
                        {"open_ms", double(c.t_open_us) / 1000},
                        {"done_ms", double(c.t_done_us) / 1000}};
    if (c.http) r["http_requests"] = c.http->requests(), r["http_bad_requests"] = c.http->bad_requests();
    rows.push_back(r);
  }
  const TapCounters& tc = b.tap.counters();
  const toe_fw_stats& fs = b.firmware.stats();
  const auto& ab = b.link.counters(LinkDirection::AtoB);
  const auto& ba = b.link.counters(LinkDirection::BtoA);
  if (!o.stats.empty()) {
    nlohmann::json j;
    j["mode"] = "tap";
    j["engine"] = o.engine;
    j["ifname"] = o.ifname;
    j["engine_ip"] = net::ip_str(engine_ip);
    j["engine_mac"] = mac_text(engine_mac);
    j["linux_mac"] = mac_text(linux_mac);
    j["firmware"] = {{"name", "toecore firmware (firmware/, C11) in the loop: FirmwareNode"},
                     {"rto_min_ms", fcfg.fw.rto_min_ms},
                     {"msl_ms", fcfg.fw.msl_ms},
                     {"arp_replies_out", fs.arp_replies_out},
                     {"arp_requests_out", fs.arp_requests_out},
                     {"connects_resolved", fs.connects_resolved},
                     {"connects_no_route", fs.connects_no_route},
                     {"icmp_echo_out", fs.icmp_echo_out},
                     {"retransmits", fs.retransmits},
                     {"frames_in", fs.frames_in}};
    j["driver"] = {{"name", "toe_driver (host_driver/, C11)"}, {"transport", "TLM-2.0 host port (DriverTlm)"}};
    j["counters"] = counters;
    j["tap"] = {{"frames_from_linux", tc.frames_from_tap}, {"bytes_from_linux", tc.bytes_from_tap},
                {"frames_to_linux", tc.frames_to_tap},     {"bytes_to_linux", tc.bytes_to_tap},
                {"write_errors", tc.write_errors},         {"pacer_sleeps", tc.sleeps},
                {"max_behind_wall_us", tc.max_behind_us}};
    j["link"] = {{"loss_pct", o.loss_pct},
                 {"reorder_pct", o.reorder_pct},
                 {"duplicate_pct", o.duplicate_pct},
                 {"seed", o.seed},
                 {"engine_to_linux", {{"frames", ab.frames_in}, {"lost", ab.lost}, {"reordered", ab.reordered}, {"duplicated", ab.duplicated}}},
                 {"linux_to_engine", {{"frames", ba.frames_in}, {"lost", ba.lost}, {"reordered", ba.reordered}, {"duplicated", ba.duplicated}}}};
    j["simulated_s"] = sim_s;
    j["wall_s"] = wall_s;
    j["cycles"] = b.dev.cycles();
    j["stop"] = b.stop_reason;
    j["grace_expired"] = b.grace_expired;
    j["connections"] = rows;
    j["totals"] = {{"bytes_in", tot_in}, {"bytes_out", tot_out}, {"connections", rows.size()}};
    std::ofstream os(o.stats);
    os << j.dump(2) << "\n";
    if (!os) throw UsageError("--stats " + o.stats + ": write failed");
  }
  if (!o.quiet) {
    std::fprintf(stderr,
                 "toe_sim tap: stopped (%s%s) at simulated %.3f s after %.3f s of wall time; %zu connections, "
                 "%llu B in, %llu B out; Linux sent %llu frames, the engine %llu; firmware: %u ARP replies, %u ICMP "
                 "echo replies, %u retransmissions\n",
                 b.stop_reason.c_str(), b.grace_expired ? ", grace expired" : "", sim_s, wall_s, rows.size(),
                 (unsigned long long)tot_in, (unsigned long long)tot_out, (unsigned long long)tc.frames_from_tap,
                 (unsigned long long)tc.frames_to_tap, fs.arp_replies_out, fs.icmp_echo_out, fs.retransmits);
    if (!views.empty()) std::fprintf(stderr, "%s", ascii_ladder(views.front(), clock_mhz, "Linux").c_str());
  }
  return 0;
}

}  // namespace toe::toesim
