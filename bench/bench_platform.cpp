// SPDX-License-Identifier: Apache-2.0
// Platform benchmark (issue 13): simulated time per wall-clock second of the whole TLM platform
// (toe::sc::Platform: DeviceTlm with the C++ model, Link, LwipNode, SlowPathTimers) with the host
// side working through the host register port (tests/platform's HostApp: EVQ_*, CMD, buffer
// windows). Not run by CI; figures go to docs/performance.md.
//
//   build/default/bench/bench_platform [--mb N] [--conns N] [--kib-per-conn N] [--json out.json]
//
// Scenarios, each with idle skipping on and off (DeviceTlmConfig::idle_skip) and the host copying
// through the buffer windows by DMI or by one bus access per word (HostApp::use_dmi), in one
// process:
//   bulk    one lwIP client sends --mb MiB to the host (a sink reading them through the receive
//           window) over a 1 Gb/s link, 64-bit datapath; until the connection is closed;
//   bulk_tx the host sends --mb MiB (through the transmit window) to an lwIP listener;
//   conns   --conns lwIP clients at once, each sending --kib-per-conn KiB to the host's sink.
// Every byte is checked against the pattern sent (byte i = (i*7 + 3) & 0xff); a run that does not
// finish or delivers other bytes prints so and makes the exit status 1.
// Printed per run: simulated seconds, wall seconds, their ratio (simulated / wall: >= 1 means
// faster than real time), the payload rate in simulated time, and the host's register accesses.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <systemc>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "host_app.hpp"
#include "platform.hpp"
#include "tlm_bench.hpp"
#include "toe_regs.h"

namespace {

using Clock = std::chrono::steady_clock;
using sc_core::sc_time;
using toe::platform_test::HostApp;
using toe::platform_test::TlmInitiator;

double g_quantum_us = 1.0;       // --quantum-us: the device's quantum (DeviceTlmConfig::quantum)
double g_host_quantum_us = 0.0;  // --host-quantum-us: the host CPU's (TlmInitiator::set_quantum)

struct Result {
  double sim_s = 0, wall_s = 0;
  uint64_t bytes = 0, events = 0;
  bool finished = false;
  bool corrupt = false;  // a connection's bytes differ from what its client sent
  uint64_t dmi_copies = 0;
  uint64_t clocks = 0, evaluated = 0;  // engine clocks, and those evaluated one by one (not skipped or spanned)
};

// The platform, a host CPU on its host port running HostApp as a sink, and lwIP clients that
// each send `bytes` and close.
struct Run : sc_core::sc_module {
  toe::sc::Platform p;
  TlmInitiator cpu{"cpu"};
  HostApp host;
  int clients;
  size_t bytes;
  std::vector<int> conns;
  std::vector<size_t> sent;
  bool done = false;

  SC_HAS_PROCESS(Run);
  Run(sc_core::sc_module_name n, const toe::sc::PlatformConfig& cfg, int clients_, size_t bytes_, bool dmi)
      : sc_core::sc_module(n), p("p", cfg), host(cpu, cfg.device.params.tx_buf_bytes), clients(clients_), bytes(bytes_) {
    cpu.socket.bind(p.dev.host);
    host.use_dmi(dmi);
    cpu.set_quantum(sc_time(g_host_quantum_us, sc_core::SC_US));
    host.check_pattern(true);  // every byte checked against the pattern the clients send, not kept
    SC_THREAD(run);
  }

  // bulk_tx: the host sends `bytes` of the pattern to an lwIP listener (kManual), which this
  // thread drains, checking every byte, and closes once the host has; the run ends there.
  bool tx = false;
  uint64_t tx_received = 0;
  bool tx_corrupt = false;

  void run() {
    if (tx) return run_tx();
    configure();
    host.listen(7, HostApp::Role::kSink);
    toe::sim::LwipPeer& peer = p.lwip.peer();
    std::vector<uint8_t> chunk(64 * 1024);  // the pattern (a whole number of its 256-byte periods)
    for (size_t i = 0; i < chunk.size(); ++i) chunk[i] = HostApp::pattern(i);
    for (int i = 0; i < clients; ++i) conns.push_back(peer.connect(p.config().engine_ip, 7, 0, toe::sim::PeerApp::kManual));
    sent.assign(conns.size(), 0);
    std::vector<bool> closed(conns.size(), false);
    for (;;) {
      const bool busy = host.poll();
      bool all = true;
      for (size_t i = 0; i < conns.size(); ++i) {
        if (sent[i] < bytes) {
          const size_t space = peer.send_space(conns[i]);
          const size_t at = sent[i] % chunk.size();  // the stream continues the pattern
          if (space > 0) sent[i] += peer.send(conns[i], chunk.data() + at, std::min({space, bytes - sent[i], chunk.size() - at}));
        } else if (!closed[i]) {
          peer.close(conns[i]);
          closed[i] = true;
        }
        all = all && closed[i];
      }
      p.lwip.poke();
      if (all && host.finished() == conns.size()) break;
      if (busy) continue;
      cpu.wr(TOE_REG_INTR_STATE_OFFSET, TOE_REG_INTR_STATE_EVQ_NOT_EMPTY_MASK);
      cpu.sync();  // (decoupled: back to global time before looking at irq)
      if (!p.irq.read()) wait(sc_time(200, sc_core::SC_US), p.irq.posedge_event());
    }
    done = true;
    sc_core::sc_stop();
  }

  void configure() {
    cpu.wr(TOE_REG_MAC_ADDR_LO_OFFSET, p.mac_lo());
    cpu.wr(TOE_REG_MAC_ADDR_HI_OFFSET, p.mac_hi());
    cpu.wr(TOE_REG_IPV4_ADDR_OFFSET, p.config().engine_ip);
    cpu.wr(TOE_REG_MAX_HALF_OPEN_OFFSET, p.config().device.params.sessions);
    cpu.wr(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK);
    cpu.wr(TOE_REG_INTR_ENABLE_OFFSET, TOE_REG_INTR_ENABLE_EVQ_NOT_EMPTY_MASK);
  }

  void run_tx() {
    configure();
    toe::sim::LwipPeer& peer = p.lwip.peer();
    const int listener = peer.listen(9000, toe::sim::PeerApp::kManual);
    const toe::sc::PlatformConfig& c = p.config();
    host.connect(c.lwip.peer.local_ip, 9000, 40000, c.lwip.mac, HostApp::Role::kSource, bytes);
    int conn = -1;
    bool closed = false;
    for (;;) {
      const bool busy = host.poll();
      if (conn < 0 && !peer.accepted(listener).empty()) conn = peer.accepted(listener).front();
      bool took = false;
      if (conn >= 0) {
        const std::vector<uint8_t> got = peer.take_received(conn);
        for (size_t i = 0; i < got.size(); ++i) tx_corrupt = tx_corrupt || got[i] != HostApp::pattern(tx_received + i);
        tx_received += got.size();
        took = !got.empty();
        if (!closed && peer.peer_closed(conn)) {
          peer.close(conn);
          closed = true;
        }
      }
      p.lwip.poke();
      // Done when lwIP has every byte and the host's FIN (the host's side then waits out
      // TIME-WAIT, 2 MSL of simulated time that says nothing about the transfer).
      if (closed) break;
      if (busy || took) continue;
      cpu.wr(TOE_REG_INTR_STATE_OFFSET, TOE_REG_INTR_STATE_EVQ_NOT_EMPTY_MASK);
      cpu.sync();
      if (!p.irq.read()) wait(sc_time(200, sc_core::SC_US), p.irq.posedge_event());
    }
    done = true;
    sc_core::sc_stop();
  }
};


Result measure(bool skip, bool dmi, int clients, size_t bytes, uint32_t sessions, bool tx = false) {
  toe::platform_test::fresh_simulation();
  toe::sc::PlatformConfig cfg;
  cfg.device.idle_skip = skip;
  cfg.device.quantum = sc_time(g_quantum_us, sc_core::SC_US);
  cfg.device.params.sessions = sessions;
  cfg.device.params.data_bytes = 8;
  cfg.to_peer.rate_bps = cfg.to_device.rate_bps = 1000000000;
  cfg.to_peer.propagation_delay = cfg.to_device.propagation_delay = sc_time(5, sc_core::SC_US);
  Run r("run", cfg, clients, bytes, dmi);
  r.tx = tx;
  const auto t0 = Clock::now();
  sc_core::sc_start(sc_time(600, sc_core::SC_SEC));
  Result res;
  res.wall_s = std::chrono::duration<double>(Clock::now() - t0).count();
  res.sim_s = sc_core::sc_time_stamp().to_seconds();
  res.finished = r.done;
  // Every connection got exactly what its client sent, byte for byte.
  if (tx) {
    res.bytes = r.tx_received;
    res.corrupt = r.tx_corrupt || r.tx_received != bytes;
  } else {
    for (const auto& [id, c] : r.host.conns()) {
      res.bytes += c.received_bytes;
      if (c.received_bytes != bytes || c.mismatch_at != ~uint64_t(0)) res.corrupt = true;
    }
  }
  res.events = r.host.events();
  res.dmi_copies = r.host.dmi_copies();
  res.clocks = r.p.dev.cycles();
  res.evaluated = r.p.dev.cycles() - r.p.dev.skipped_cycles() - r.p.dev.spanned_cycles();
  return res;
}

}  // namespace

int sc_main(int argc, char** argv) {
  CLI::App app{"Platform benchmark: simulated time per wall second, bulk and many connections"};
  double mb = 16;
  int conns = 100;
  double kib = 64;
  std::string json_out;
  bool dmi_only = false, skip_only = false;
  app.add_option("--mb", mb, "MiB the bulk client sends")->check(CLI::PositiveNumber);
  app.add_option("--conns", conns, "clients of the many-connections run (at most 120)")->check(CLI::Range(1, 120));
  app.add_option("--kib-per-conn", kib, "KiB each of them sends")->check(CLI::PositiveNumber);
  app.add_option("--json", json_out, "also write the figures as JSON");
  app.add_flag("--dmi-only", dmi_only, "only the runs with the windows copied by DMI");
  app.add_flag("--skip-only", skip_only, "only the runs with idle skipping and busy spans on");
  app.add_option("--quantum-us", g_quantum_us, "the device's quantum in us (default 1)")->check(CLI::PositiveNumber);
  app.add_option("--host-quantum-us", g_host_quantum_us,
                 "the host CPU's quantum in us: temporally decoupled register accesses (default 0: each "
                 "access waits for its delay)")
      ->check(CLI::NonNegativeNumber);
  CLI11_PARSE(app, argc, argv);
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);

  nlohmann::json j = nlohmann::json::array();
  bool ok = true;  // every run finished, every byte as sent
  auto report = [&](const char* name, bool skip, bool dmi, const Result& r) {
    const double ratio = r.wall_s > 0 ? r.sim_s / r.wall_s : 0;
    std::printf("%-7s idle_skip=%d dmi=%d  %s  simulated %.4f s  wall %.2f s  simulated/wall %.4f  payload %.1f "
                "Mb/s (simulated)  %llu bytes  %llu host events  %llu DMI copies  %llu of %llu clocks evaluated "
                "(%.2f us of wall each)\n",
                name, skip ? 1 : 0, dmi ? 1 : 0, !r.finished ? "NOT FINISHED" : r.corrupt ? "BYTES DIFFER" : "finished",
                r.sim_s, r.wall_s, ratio,
                r.sim_s > 0 ? double(r.bytes) * 8 / r.sim_s / 1e6 : 0.0, (unsigned long long)r.bytes,
                (unsigned long long)r.events, (unsigned long long)r.dmi_copies, (unsigned long long)r.evaluated,
                (unsigned long long)r.clocks, r.evaluated ? r.wall_s * 1e6 / double(r.evaluated) : 0.0);
    std::fflush(stdout);
    ok = ok && r.finished && !r.corrupt;
    j.push_back({{"run", name}, {"idle_skip", skip}, {"dmi", dmi}, {"finished", r.finished}, {"byte_exact", !r.corrupt},
                 {"simulated_s", r.sim_s}, {"wall_s", r.wall_s}, {"simulated_per_wall", ratio}, {"bytes", r.bytes},
                 {"host_events", r.events}, {"dmi_copies", r.dmi_copies}, {"clocks", r.clocks},
                 {"clocks_evaluated", r.evaluated}});
  };
  for (bool dmi : {true, false}) {
    if (dmi_only && !dmi) continue;
    for (bool skip : {true, false}) {
      if (skip_only && !skip) continue;
      report("bulk", skip, dmi, measure(skip, dmi, 1, size_t(mb * 1024 * 1024), 16));
      report("bulk_tx", skip, dmi, measure(skip, dmi, 1, size_t(mb * 1024 * 1024), 16, true));
      report("conns", skip, dmi, measure(skip, dmi, conns, size_t(kib * 1024), 128));
    }
  }
  if (!json_out.empty()) std::ofstream(json_out) << j.dump(2) << "\n";
  return ok ? 0 : 1;
}
