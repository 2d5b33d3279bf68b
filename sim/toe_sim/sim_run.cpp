// SPDX-License-Identifier: Apache-2.0
#include "sim_run.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <utility>

#include "conn_view.hpp"
#include "ladder.hpp"
#include "toe/net/pcap.hpp"
#include "vcd.hpp"

namespace toe::toesim {
namespace {

// The harness around the engine --engine names; the engine's refusals become
// toe_sim's usage errors (exit 2), or exit 4 for parameters the RTL was not built with.
std::unique_ptr<sim::Harness> make_harness(const model::EngineConfig& ecfg, const sim::HarnessConfig& hcfg) {
  std::unique_ptr<model::EngineApi> e;
  try {
    e = sim::make_engine(hcfg.engine, ecfg);
  } catch (const sim::EngineUnavailable& x) {
    throw UsageError(x.what());
  } catch (const std::invalid_argument& x) {
    if (hcfg.engine == sim::EngineKind::kRtl)
      throw NoRtlBuild("--engine rtl: no Verilated build of the RTL for " + sim::engine_parameters_str(ecfg) + ": " +
                       x.what());
    throw UsageError(x.what());
  }
  return std::make_unique<sim::Harness>(std::move(e), hcfg);
}

}  // namespace

SimRun::SimRun(const Options& o, const model::EngineConfig& ecfg, const sim::HarnessConfig& hcfg, uint64_t ts_base_ns,
               std::string title)
    : o_(o),
      h_(make_harness(ecfg, hcfg)),
      clock_mhz_(ecfg.clock_mhz),
      base_ns_(ts_base_ns),
      title_(std::move(title)) {
  h_->set_wire_log(false);  // toe_sim keeps its own (with injection times)
  last_tuple_.resize(ecfg.sessions);
  // Keep the harness's own trace, and note each connection's 4-tuple as it was
  // at the change (a freed TCB is cleared before the hook runs).
  auto prev = h_->engine().on_state_change;
  h_->engine().on_state_change = [this, prev](uint64_t cyc, uint32_t conn, TcpState from, TcpState to) {
    if (prev) prev(cyc, conn, from, to);
    StateRec r{cyc, conn, from, to, 0, 0, 0, false};
    const model::Tcb& t = h_->engine().tcb(conn);
    if (t.state != TcpState::CLOSED || t.rport != 0) {
      r.rip = t.rip;
      r.rport = t.rport;
      r.lport = t.lport;
      r.passive = t.passive;
    } else if (conn < last_tuple_.size()) {
      r.rip = last_tuple_[conn].rip;
      r.rport = last_tuple_[conn].rport;
      r.lport = last_tuple_[conn].lport;
      r.passive = last_tuple_[conn].passive;
    }
    if (conn < last_tuple_.size()) last_tuple_[conn] = r;
    states_.push_back(r);
  };
  h_->on_tx_frame = [this](const std::vector<uint8_t>& f) {
    WireFrame w{h_->cycle() - 1, true, f};
    ++frames_out_;
    wire_.push_back(w);
    pending_.push_back(w);
    tx_done_ = true;
    if (on_engine_frame) on_engine_frame(w);
  };
  if (!o_.vcd.empty()) {
    vcd_ = std::make_unique<VcdWriter>(o_.vcd, ecfg.data_bytes * 8, ecfg.clock_mhz);
    h_->on_cycle = [this](uint64_t cyc, const model::EngineIn& in, const model::EngineOut& out) {
      PortSample p;
      p.rx = in.rx;
      p.rx_tready = out.rx_tready;
      p.tx = out.tx;
      p.tx_tready = in.tx_tready;
      p.cmd_valid = in.cmd_valid ? 1 : 0;
      p.cmd_ready = out.cmd_ready;
      p.evt_valid = out.evt_valid;
      p.evt_ready = in.evt_ready;
      vcd_->sample(cyc, p);
    };
  }
  show_progress_ = o_.progress || isatty(STDERR_FILENO);
  wall_start_ = last_progress_ = std::chrono::steady_clock::now();
}

SimRun::~SimRun() = default;

void SimRun::inject(const std::vector<uint8_t>& frame) {
  wire_.push_back({cycle(), false, frame});
  ++frames_in_;
  h_->inject(frame);
}

void SimRun::step() {
  h_->step();
  if (tx_done_) {
    h_->take_output();  // toe_sim keeps its own copy
    tx_done_ = false;
  }
  if (show_progress_ && (cycle() & 0xFFFF) == 0) progress(false);
}

void SimRun::run_to(uint64_t target) {
  while (cycle() < target)
    if (!skip_idle_until(target)) step();
}

bool SimRun::run_until(const std::function<bool()>& pred, uint64_t limit) {
  while (!pred()) {
    if (cycle() >= limit) return false;
    step();
  }
  return true;
}

void SimRun::progress(bool final) {
  const auto now = std::chrono::steady_clock::now();
  if (!final && now - last_progress_ < std::chrono::seconds(1)) return;
  if (final && !progress_shown_) return;
  const double secs = std::chrono::duration<double>(now - last_progress_).count();
  const double rate = secs > 0 ? double(cycle() - last_progress_cycle_) / secs : 0.0;
  last_progress_ = now;
  last_progress_cycle_ = cycle();
  const double sim_ms = double(cycles_to_ns(cycle())) / 1e6;
  const bool tty = isatty(STDERR_FILENO);
  std::fprintf(stderr, "%stoe_sim: %.3f ms simulated, frames in %llu out %llu, %.1f Mcycles/s%s", tty ? "\r" : "",
               sim_ms, static_cast<unsigned long long>(frames_in_), static_cast<unsigned long long>(frames_out_),
               rate / 1e6, tty ? "   " : "\n");
  if (final && tty) std::fputc('\n', stderr);
  std::fflush(stderr);
  progress_shown_ = true;
}

void SimRun::finish(std::ostream& info) {
  if (finished_) return;
  finished_ = true;
  progress(true);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count();
  if (vcd_) {
    vcd_->close(cycle());
    info << "toe_sim: wrote " << o_.vcd << " (VCD, open in GTKWave)\n";
  }
  if (!o_.pcap.empty()) {
    try {
      net::PcapWriter w(o_.pcap);
      for (const WireFrame& f : wire_) w.write(ts_ns(f.cycle), f.data);
      w.flush();
    } catch (const net::PcapError& e) {
      throw UsageError(std::string("--pcap: ") + e.what());
    }
    info << "toe_sim: wrote " << o_.pcap << " (" << wire_.size() << " frames, both directions)\n";
  }
  std::vector<ConnView> conns;
  if (!o_.ladder.empty() || !o_.stats.empty()) conns = build_conn_views(wire_, states_, engine().config().local_ip);
  if (!o_.ladder.empty()) {
    write_ladder(o_.ladder, conns, title_, clock_mhz_);
    info << "toe_sim: wrote " << o_.ladder << " (ladder diagram, " << conns.size() << " connection"
         << (conns.size() == 1 ? "" : "s") << ")\n";
  }
  if (!o_.stats.empty()) {
    using nlohmann::json;
    json j;
    j["tool"] = "toe_sim";
    j["title"] = title_;
    j["engine"] = engine().kind();  // what ran: "model" or "rtl"
    const model::EngineConfig& c = engine().config();
    j["config"] = {{"sessions", c.sessions},         {"data_bits", c.data_bytes * 8},
                   {"clock_mhz", c.clock_mhz},       {"local_ip", net::ip_str(c.local_ip)},
                   {"local_mac", c.local_mac.str()}, {"mss", c.mss},
                   {"fixed_isn", c.fixed_isn_en}};
    json counters = json::object();
    for (size_t i = 0; i < size_t(model::Counter::kCount); ++i) {
      const auto k = static_cast<model::Counter>(i);
      counters[model::to_string(k)] = engine().counter(k);
    }
    j["counters"] = counters;
    j["cycles"] = cycle();
    j["sim_time_ns"] = cycles_to_ns(cycle());
    j["wall_seconds"] = wall;
    j["cycles_per_second"] = wall > 0 ? double(cycle()) / wall : 0.0;
    j["frames_in"] = frames_in_;
    j["frames_out"] = frames_out_;
    j["connections"] = conn_rows_json(conns, true, [this](uint64_t cyc) { return cycles_to_ns(cyc); });
    for (auto it = extra_.begin(); it != extra_.end(); ++it) j[it.key()] = it.value();
    write_stats_file(o_.stats, j, info);
  }
}

}  // namespace toe::toesim
