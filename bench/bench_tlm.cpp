// SPDX-License-Identifier: Apache-2.0
// TLM platform benchmark (issue 13): what the TLM-2.0 device (toe::sc::DeviceTlm around the C++
// model, sim/systemc) costs in wall time. Not run by CI; figures go to docs/performance.md.
//
//   build/default/bench/bench_tlm [--idle-ms N] [--accesses N] [--quantum-ns N] [--json out.json]
//
// Measures, in one process, one after the other:
//   idle        the device with nothing to do for --idle-ms of simulated time, then one register
//               read (which catches the engine up): simulated time per wall second, and the wall
//               time an idle simulated second costs (issue 13's goal: under 10 ms), with idle
//               skipping (DeviceTlmConfig::idle_skip, the default) and without;
//   mmio        --accesses register reads (TYPE) through the host socket's b_transport from an
//               initiator thread that keeps its own quantum: wall ns per access (the engine is
//               clocked up to the initiator's time on each access, one clock per access);
//   raw model   the same number of clocks of model::EngineDevice called directly (no SystemC):
//               the ratio idle-TLM (no skipping) / raw is what the SystemC layer costs per clock.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>

#include "toe_device_tlm.hpp"
#include "toe_regs.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

toe::model::EngineParams params() {
  toe::model::EngineParams p;
  p.sessions = 16;
  p.data_bytes = 8;
  p.rx_buf_bytes = 4096;
  p.tx_buf_bytes = 4096;
  return p;
}

// An initiator that waits `idle` of simulated time, then reads TYPE n times, keeping its own
// time with a quantum keeper.
struct Reader : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Reader> socket{"socket"};
  sc_core::sc_time idle;
  uint64_t n;
  uint64_t errors = 0;
  double wall = 0;
  SC_HAS_PROCESS(Reader);
  Reader(sc_core::sc_module_name name, const sc_core::sc_time& idle_, uint64_t n_)
      : sc_core::sc_module(name), idle(idle_), n(n_) {
    SC_THREAD(run);
  }
  void run() {
    const auto t0 = Clock::now();
    wait(idle);
    tlm_utils::tlm_quantumkeeper qk;
    qk.reset();
    tlm::tlm_generic_payload tx;
    uint32_t data = 0;
    for (uint64_t i = 0; i < n; ++i) {
      tx.set_command(tlm::TLM_READ_COMMAND);
      tx.set_address(TOE_REG_TYPE_OFFSET);
      tx.set_data_ptr(reinterpret_cast<unsigned char*>(&data));
      tx.set_data_length(4);
      tx.set_streaming_width(4);
      tx.set_byte_enable_ptr(nullptr);
      tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
      sc_core::sc_time delay = qk.get_local_time();
      socket->b_transport(tx, delay);
      qk.set(delay);
      if (tx.get_response_status() != tlm::TLM_OK_RESPONSE || data != TOE_REG_TYPE_RESET) ++errors;
      if (qk.need_sync()) qk.sync();
    }
    wall = seconds_since(t0);
    sc_core::sc_stop();
  }
};

struct Platform : sc_core::sc_module {
  toe::sc::DeviceTlm dev;
  sc_core::sc_signal<bool> irq{"irq"};
  sc_core::sc_fifo<toe::sc::EthFrame> rx{"rx", 4}, tx{"tx", 4096};
  Reader reader;
  Platform(sc_core::sc_module_name n, const toe::sc::DeviceTlmConfig& c, const sc_core::sc_time& idle,
           uint64_t accesses)
      : sc_core::sc_module(n), dev("dev", c), reader("reader", idle, accesses) {
    dev.irq(irq);
    dev.eth_rx(rx);
    dev.eth_tx(tx);
    reader.socket.bind(dev.host);
  }
};

void fresh_simulation() {
  // Each measurement elaborates its own platform in a new kernel context.
  sc_core::sc_curr_simcontext = new sc_core::sc_simcontext;
  sc_core::sc_default_global_context = sc_core::sc_curr_simcontext;
}

}  // namespace

int sc_main(int argc, char** argv) {
  CLI::App app{"TLM platform benchmark: idle simulation speed and the cost of an MMIO access"};
  double idle_ms = 20;
  uint64_t accesses = 200000;
  uint64_t quantum_ns = 1000;
  std::string json_out;
  app.add_option("--idle-ms", idle_ms, "simulated milliseconds of the idle run")->check(CLI::PositiveNumber);
  app.add_option("--accesses", accesses, "register reads of the MMIO run")->check(CLI::PositiveNumber);
  app.add_option("--quantum-ns", quantum_ns, "the device's and the reader's quantum (ns)");
  app.add_option("--json", json_out, "also write the figures as JSON");
  CLI11_PARSE(app, argc, argv);

  toe::sc::DeviceTlmConfig cfg;
  cfg.params = params();
  cfg.quantum = sc_core::sc_time(double(quantum_ns), sc_core::SC_NS);
  tlm_utils::tlm_quantumkeeper::set_global_quantum(cfg.quantum);
  const double period_ns = cfg.clock_period.to_seconds() * 1e9;

  // idle, with and without idle skipping: idle_ms, then one read
  struct Idle {
    double wall = 0;
    uint64_t cycles = 0, skipped = 0;
  } idle[2];
  uint64_t errors = 0;
  for (int skip = 0; skip < 2; ++skip) {
    fresh_simulation();
    tlm_utils::tlm_quantumkeeper::set_global_quantum(cfg.quantum);
    toe::sc::DeviceTlmConfig c = cfg;
    c.idle_skip = skip == 1;
    Platform p(skip ? "idle_skip" : "idle", c, sc_core::sc_time(idle_ms, sc_core::SC_MS), 1);
    sc_core::sc_start();
    idle[skip] = {p.reader.wall, p.dev.cycles(), p.dev.skipped_cycles()};
    errors += p.reader.errors;
  }
  const uint64_t idle_cycles = idle[0].cycles;
  // mmio
  double mmio_wall = 0;
  uint64_t mmio_cycles = 0;
  {
    fresh_simulation();
    tlm_utils::tlm_quantumkeeper::set_global_quantum(cfg.quantum);
    Platform p("mmio", cfg, sc_core::SC_ZERO_TIME, accesses);
    sc_core::sc_start();
    mmio_wall = p.reader.wall;
    errors += p.reader.errors;
    mmio_cycles = p.dev.cycles();
  }
  // raw model, as many clocks as the idle run
  double raw_wall = 0;
  {
    toe::model::EngineDevice d(params());
    toe::model::EngineDeviceIn in;
    const auto t0 = Clock::now();
    for (uint64_t i = 0; i < idle_cycles; ++i) d.clock(in);
    raw_wall = seconds_since(t0);
  }

  const double sim_s = idle_ms / 1000.0;
  const double mmio_ns = mmio_wall / double(accesses) * 1e9;
  const double raw_cps = double(idle_cycles) / raw_wall, tlm_cps = double(idle_cycles) / idle[0].wall;
  std::printf("clock %.1f ns, quantum %llu ns, 16 sessions, 8-bit datapath, C++ model\n", period_ns,
              (unsigned long long)quantum_ns);
  nlohmann::json j = {{"clock_ns", period_ns}, {"quantum_ns", quantum_ns}};
  for (int skip = 0; skip < 2; ++skip) {
    const Idle& r = idle[skip];
    std::printf("idle   %-14s %.1f simulated ms (%llu clocks, %llu skipped) in %.4f wall s: %.3g simulated s "
                "per wall s; an idle simulated second costs %.3g ms of wall time\n",
                skip ? "(idle skip)" : "(every clock)", idle_ms, (unsigned long long)r.cycles,
                (unsigned long long)r.skipped, r.wall, sim_s / r.wall, r.wall / sim_s * 1000.0);
    j[skip ? "idle_skip" : "idle_every_clock"] = {{"sim_ms", idle_ms},
                                                   {"cycles", r.cycles},
                                                   {"skipped", r.skipped},
                                                   {"wall_s", r.wall},
                                                   {"sim_s_per_wall_s", sim_s / r.wall},
                                                   {"wall_ms_per_sim_s", r.wall / sim_s * 1000.0}};
  }
  std::printf("mmio   %llu register reads in %.3f wall s: %.0f ns per access (%llu clocks)\n",
              (unsigned long long)accesses, mmio_wall, mmio_ns, (unsigned long long)mmio_cycles);
  std::printf("clocks per wall second, every clock evaluated: TLM device %.3g, EngineDevice alone %.3g "
              "(TLM / raw = %.2f); read errors %llu\n",
              tlm_cps, raw_cps, tlm_cps / raw_cps, (unsigned long long)errors);
  j["mmio"] = {{"accesses", accesses}, {"wall_s", mmio_wall}, {"ns_per_access", mmio_ns}};
  j["clocks_per_s"] = {{"tlm", tlm_cps}, {"raw", raw_cps}};
  j["errors"] = errors;
  if (!json_out.empty()) std::ofstream(json_out) << j.dump(2) << "\n";
  return errors ? 1 : 0;
}
