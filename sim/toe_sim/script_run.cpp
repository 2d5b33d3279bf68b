// SPDX-License-Identifier: Apache-2.0
// toe_sim script: runs a packetdrill script against the engine (see script.hpp,
// docs/scripts.md). The peer's segments are injected as written; the engine's
// are compared field by field with the expected ones; system calls go through
// the host driver to the device's host port (ScriptBed), with the socket
// semantics of Linux (blocking and non-blocking, errno values).
// The runner (script_runner.hpp): here its line loop, time, blocked calls and host
// configuration, and run_script; the segments in script_expect.cpp, the system calls in
// script_syscalls.cpp.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "conn_view.hpp"
#include "ladder.hpp"
#include "modes.hpp"
#include "script.hpp"
#include "script_bed.hpp"
#include "script_runner.hpp"
#include "toe/net/pcap.hpp"
#include "toe_defs.h"
#include "toe_regs.h"

namespace toe::toesim {

// script_host.cpp: host-configuration commands (`...` lines).
struct HostConfigResult {
  std::vector<std::string> applied, ignored;
  std::optional<uint8_t> rcv_wscale;
  std::optional<uint16_t> mss;
};
HostConfigResult apply_host_commands(const std::string& commands, const std::string& script_path);

namespace script_detail {

// Returns the number of expectations checked; throws Failure.
int ScriptRunner::run() {
  for (const ScriptLine& l : sc_.lines) {
    line_ = &l;
    const bool inbound = l.kind == ScriptLine::Kind::kPacket && l.pkt.inbound;
    int64_t offset = 0;
    int64_t t = 0;
    switch (l.time_kind) {
      case ScriptLine::Time::kAbsolute:
        t = l.time_us;
        break;
      case ScriptLine::Time::kRelative:
        offset = (last_inbound_ && inbound) ? last_time_us_ : now_us();
        t = offset + l.time_us;
        break;
      case ScriptLine::Time::kAny:
        offset = now_us();
        t = offset;
        break;
    }
    int64_t t_end = t;
    if (l.range) t_end = l.time_kind == ScriptLine::Time::kAbsolute ? l.time_end_us : offset + l.time_end_us;
    const int64_t tol = tolerance(t);
    switch (l.kind) {
      case ScriptLine::Kind::kPacket:
        if (l.pkt.inbound) {
          advance_to(t);
          inject(l.pkt);
          settle();
        } else {
          expect(l, t, t_end, tol);
          ++checked_;
        }
        break;
      case ScriptLine::Kind::kSyscall: {
        finish_pending();
        advance_to(t);
        int64_t end = t;
        if (l.call.blocking) end = l.time_kind == ScriptLine::Time::kAbsolute ? l.call.end_us : offset + l.call.end_us;
        syscall(l, t, end, tol);
        ++checked_;
        break;
      }
      case ScriptLine::Kind::kShell:
        advance_to(t);
        shell(l);
        break;
      case ScriptLine::Kind::kCode:
        finish_pending();
        advance_to(t);
        code(l);
        ++checked_;
        break;
    }
    last_inbound_ = inbound;
    last_time_us_ = t;
  }
  finish_pending();
  // Let the last reactions happen, and note (not fail) what was not checked, as packetdrill does.
  const uint64_t end = bed_.cycle() + us_to_cycles(tol_us_);
  while (bed_.cycle() < end) bed_.wait_until(end);
  if (!bed_.engine_frames().empty())
    std::cerr << path_ << ": note: " << bed_.engine_frames().size()
              << " engine segment(s) after the last line were not checked, the first: "
              << got_text(bed_.engine_frames().front(), nullptr) << "\n";
  return checked_;
}

void ScriptRunner::advance_to(int64_t t) {
  const uint64_t target = us_to_cycles(t);
  while (bed_.cycle() < target) {
    bed_.wait_until(skip_stop(target));
    poll_pending();
  }
}

// As Linux handles a packet before the script's next line: until the device has taken the
// injected frames and the receive pipeline has passed them on (their beats, then 2 us; at most
// 100 us), and the host has taken the events they caused.
void ScriptRunner::settle() {
  const uint64_t limit = bed_.cycle() + us_to_cycles(100);
  // A blocked call sees the line's segments all at once (its pieces too), as Linux would.
  settling_ = true;
  run_until([&] { return bed_.rx_queued() == 0; }, limit);
  const uint64_t pipeline = std::min(limit, bed_.cycle() + last_frame_beats_ + us_to_cycles(2));
  while (bed_.cycle() < pipeline) bed_.wait_until(pipeline);
  bed_.service();
  settling_ = false;
  poll_pending();
}

// Runs until pred() holds or the clock `limit`, waking at each engine frame and interrupt.
bool ScriptRunner::run_until(const std::function<bool()>& pred, uint64_t limit) {
  while (!pred()) {
    if (bed_.cycle() >= limit) return false;
    bed_.wait_until(skip_stop(limit));
    poll_pending();
  }
  return true;
}

// ---- host configuration
void ScriptRunner::shell(const ScriptLine& l) {
  const HostConfigResult r = apply_host_commands(l.shell, path_);
  // Registers of the device's host port, written through the driver's transport.
  if (r.rcv_wscale && !bed_.write_reg(TOE_REG_RCV_WSCALE_OFFSET, *r.rcv_wscale))
    script_error("the device refused RCV_WSCALE " + std::to_string(*r.rcv_wscale));
  if (r.mss && !bed_.write_reg(TOE_REG_MSS_OFFSET, *r.mss)) script_error("the device refused MSS " + std::to_string(*r.mss));
  for (const std::string& a : r.applied) host_config["applied"].push_back(a);
  for (const std::string& a : r.ignored) host_config["ignored"].push_back(a);
  if (!r.applied.empty()) {
    std::cerr << where(l) << "note: host configuration applied to the engine:";
    for (const std::string& a : r.applied) std::cerr << " " << a << ";";
    std::cerr << "\n";
  }
  if (!r.ignored.empty()) {
    std::cerr << where(l) << "note: host configuration ignored (no engine equivalent):";
    for (const std::string& a : r.ignored) std::cerr << " " << a << ";";
    std::cerr << "\n";
  }
}

ScriptRunner::FlowKey ScriptRunner::flow_of(const PacketSpec& p) const {
  if (p.src_port >= 0) return p.inbound ? FlowKey{uint16_t(p.dst_port), uint16_t(p.src_port)}
                                        : FlowKey{uint16_t(p.src_port), uint16_t(p.dst_port)};
  return cur_;
}

void ScriptRunner::check_result(const ScriptLine& l, const Result& r) {
  const SyscallSpec& c = l.call;
  std::string want_err = c.err == "EWOULDBLOCK" ? "EAGAIN" : c.err;
  if (r.ret != c.ret || (c.ret == -1 && r.err != want_err)) fail_at(l, "expected " + l.text + ", got " + r.text());
}

void ScriptRunner::complete(const Pending& p, const Result& r) {
  check_result(*p.line, r);
  const int64_t at = now_us();
  if (at < p.end - p.tol || at > p.end + p.tol) {
    if (p.line->call.blocking)
      fail_at(*p.line, "timing error: expected " + p.line->text + " to return at " + secs(p.end) +
                           " s but it returned at " + secs(at) + " s; tolerance " + secs(p.tol) + " s");
    fail_at(*p.line, "timing error: " + p.line->text + " blocked until " + secs(at) + " s (called at " +
                         secs(p.start) + " s; tolerance " + secs(p.tol) + " s; write T1...T2 for a blocking call)");
  }
}

void ScriptRunner::poll_pending() {
  pump_all();
  if (!pending_ || settling_) return;
  if (std::optional<Result> r = pending_->attempt()) {
    const Pending p = *pending_;
    pending_.reset();
    complete(p, *r);
    return;
  }
  if (now_us() > pending_->end + pending_->tol) {
    const Pending p = *pending_;
    pending_.reset();
    if (!p.line->call.blocking)
      fail_at(*p.line, p.line->text + " blocked: it had not returned by " + secs(p.end + p.tol) +
                           " s (write T1...T2 for a call that blocks)");
    fail_at(*p.line, "expected " + p.line->text + " to return by " + secs(p.end + p.tol) +
                         " s, but it was still blocked");
  }
}

void ScriptRunner::finish_pending() {
  while (pending_) {
    bed_.wait_until(skip_stop(bed_.cycle() + us_to_cycles(1000000)));
    poll_pending();
  }
}

// Starts a call at time t that returns by `end` (t when not written T1...T2).
void ScriptRunner::call(const ScriptLine& l, int64_t t, int64_t end, int64_t tol, Attempt a) {
  if (std::optional<Result> r = a()) {
    complete(Pending{&l, a, t, end, tol}, *r);
    return;
  }
  pending_ = Pending{&l, std::move(a), t, end, tol};
}

}  // namespace script_detail

using script_detail::Failure;
using script_detail::ScriptRunner;

namespace {

// --pcap, --ladder and --stats of a script run (as SimRun::finish writes them for the other modes).
void write_outputs(const Options& o, ScriptBed& bed, const std::string& title, const nlohmann::json& extra,
                   double wall, std::ostream& info) {
  const std::vector<WireFrame> wire = bed.wire();
  if (!o.pcap.empty()) {
    try {
      net::PcapWriter w(o.pcap);
      for (const WireFrame& f : wire) w.write(bed.cycles_to_ns(f.cycle), f.data);
      w.flush();
    } catch (const net::PcapError& e) {
      throw UsageError(std::string("--pcap: ") + e.what());
    }
    info << "toe_sim: wrote " << o.pcap << " (" << wire.size() << " frames, both directions)\n";
  }
  std::vector<ConnView> conns;
  if (!o.ladder.empty() || !o.stats.empty()) conns = build_conn_views(wire, {}, o.local_ip);
  if (!o.ladder.empty()) {
    write_ladder(o.ladder, conns, title, bed.clock_mhz());
    info << "toe_sim: wrote " << o.ladder << " (ladder diagram, " << conns.size() << " connection"
         << (conns.size() == 1 ? "" : "s") << ")\n";
  }
  if (o.stats.empty()) return;
  using nlohmann::json;
  json j;
  j["tool"] = "toe_sim";
  j["title"] = title;
  j["engine"] = bed.engine_kind();
  j["config"] = {{"sessions", o.sessions},           {"data_bits", o.data_bits},
                 {"clock_mhz", o.clock_mhz},         {"local_ip", net::ip_str(o.local_ip)},
                 {"local_mac", o.local_mac.str()},   {"mss", o.mss},
                 {"fixed_isn", o.fixed_isn.has_value()}};
  // The device's counters (CNT_*), read without side effects at the end.
  json counters = json::object();
  for (uint32_t i = 0; i < TOE_CNT_COUNT; ++i)
    counters[toe_cnt_names[i]] = bed.peek_reg(TOE_REG_CNT_FRAMES_IN_OFFSET + 4 * i);
  j["counters"] = counters;
  const uint64_t cycles = bed.cycle();
  j["cycles"] = cycles;
  j["sim_time_ns"] = bed.cycles_to_ns(cycles);
  j["wall_seconds"] = wall;
  j["cycles_per_second"] = wall > 0 ? double(cycles) / wall : 0.0;
  j["frames_in"] = bed.frames_in();
  j["frames_out"] = bed.frames_out();
  j["host_bus_accesses"] = bed.bus_accesses();
  const toe::sc::SlowPathCounters& tc = bed.timers().counters();
  j["timers"] = {{"retransmits", tc.retransmits}, {"give_ups", tc.give_ups},
                 {"time_wait_expiries", tc.time_wait_expiries}, {"delayed_acks", tc.delayed_acks}};
  // No engine states: the TCB is inside the device (its CONN_* registers show one at a time).
  j["connections"] = conn_rows_json(conns, false, [&bed](uint64_t c) { return bed.cycles_to_ns(c); });
  for (auto it = extra.begin(); it != extra.end(); ++it) j[it.key()] = it.value();
  write_stats_file(o.stats, j, info);
}

}  // namespace

int run_script(const std::string& script_path, Options& o) {
  Script script;
  try {
    script = parse_script(script_path);
  } catch (const ScriptUnsupported& e) {
    std::cerr << "toe_sim: " << e.what() << "\n";
    return 3;
  }
  if (o.local_ip_text.empty() && !script.cfg.local_ip.empty()) o.local_ip_text = script.cfg.local_ip;
  if (o.peer_ip_text.empty() && !script.cfg.remote_ip.empty()) o.peer_ip_text = script.cfg.remote_ip;
  o.finalize("192.168.0.1", "192.0.2.1");
  if (!o.vcd.empty())
    throw UsageError("--vcd: not in script mode (the script runs on the SystemC platform through the host driver; "
                     "replay, seeds and demo write VCD)");
  for (const auto& [path, opt] : {std::pair<std::string, const char*>{o.pcap, "--pcap"}, {o.stats, "--stats"}, {o.ladder, "--ladder"}}) {
    if (path.empty()) continue;
    std::ofstream f(path, std::ios::app);
    if (!f) throw UsageError(std::string(opt) + " " + path + ": cannot write the file: " + std::strerror(errno));
  }
  const model::EngineConfig ecfg = o.engine_config();
  const sim::HarnessConfig hcfg = o.harness_config(60000);
  ScriptBedConfig bc;
  bc.device.params = ecfg;  // the build parameters (EngineParams)
  bc.device.clock_period = sc_core::sc_time(1000.0 / double(o.clock_mhz), sc_core::SC_NS);
  bc.device.engine = o.engine_kind == sim::EngineKind::kRtl ? "rtl" : "model";
  bc.timers.rto_initial = sc_core::sc_time(double(hcfg.rto_initial_ms), sc_core::SC_MS);
  bc.timers.rto_max = sc_core::sc_time(double(hcfg.rto_max_ms), sc_core::SC_MS);
  bc.timers.max_retries = hcfg.max_retries;
  bc.timers.msl = sc_core::sc_time(double(hcfg.msl_ms), sc_core::SC_MS);
  bc.timers.delayed_ack = sc_core::sc_time(double(hcfg.delayed_ack_ms), sc_core::SC_MS);
  bc.mac = ecfg.local_mac;
  bc.ipv4 = ecfg.local_ip;
  bc.mss = ecfg.mss;
  if (ecfg.fixed_isn_en) bc.fixed_isn = ecfg.fixed_isn;
  bc.clock_mhz = o.clock_mhz;
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  std::unique_ptr<ScriptBed> bed;
  try {
    bed = std::make_unique<ScriptBed>("script", bc);
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    if (bc.device.engine == "rtl" && what.find("not compiled into this build") != std::string::npos)
      throw UsageError("--engine rtl: this build has no RTL engine (configure with -DTOE_RTL_ENGINE=ON)");
    if (bc.device.engine == "rtl") throw NoRtlBuild("--engine rtl: " + what);
    throw UsageError(std::string("script: ") + what);
  }
  const std::string title = "toe_sim script " + script_path;
  ScriptRunner r(script_path, std::move(script), o, *bed);
  int rc = 0;
  nlohmann::json extra = nlohmann::json::object();
  extra["mode"] = "script";
  extra["script"] = script_path;
  std::exception_ptr thrown;
  bed->body = [&] {
    try {
      const int n = r.run();
      extra["ok"] = true;
      std::cout << "toe_sim: " << script_path << ": "
                << (n == 1 ? "the expectation" : "all " + std::to_string(n) + " expectations") << " held\n";
    } catch (const Failure& f) {
      extra["ok"] = false;
      extra["failure"] = f.msg;
      std::cerr << f.msg << "\n";
      rc = 1;
    } catch (const ScriptUnsupported& e) {
      extra["ok"] = false;
      extra["unsupported"] = e.what();
      std::cerr << "toe_sim: " << e.what() << "\n";
      rc = 3;
    } catch (...) {
      thrown = std::current_exception();
    }
  };
  const auto wall0 = std::chrono::steady_clock::now();
  sc_core::sc_start();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  if (!bed->error.empty()) throw std::runtime_error(bed->error);
  if (thrown) std::rethrow_exception(thrown);
  if (!r.host_config.empty()) extra["host_config"] = r.host_config;
  write_outputs(o, *bed, title, extra, wall, std::cout);
  return rc;
}

}  // namespace toe::toesim
