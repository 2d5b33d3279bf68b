// SPDX-License-Identifier: Apache-2.0
// toe_sim script: runs a packetdrill script against the engine (see script.hpp,
// docs/scripts.md). The peer's segments are injected as written; the engine's
// are compared field by field with the expected ones; system calls go to the
// harness's host model (the application side of the engine), with the socket
// semantics of Linux (blocking and non-blocking, errno values).
// The runner (script_runner.hpp): here its line loop, time, blocked calls and host
// configuration, and run_script; the segments in script_expect.cpp, the system calls in
// script_syscalls.cpp.
#include <algorithm>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "modes.hpp"
#include "script.hpp"
#include "script_runner.hpp"
#include "sim_run.hpp"

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
  run_.run_to(run_.cycle() + us_to_cycles(tol_us_));
  if (!run_.engine_frames().empty())
    std::cerr << path_ << ": note: " << run_.engine_frames().size()
              << " engine segment(s) after the last line were not checked, the first: "
              << got_text(run_.engine_frames().front(), nullptr) << "\n";
  return checked_;
}

void ScriptRunner::advance_to(int64_t t) {
  const uint64_t target = us_to_cycles(t);
  while (run_.cycle() < target) {
    if (!run_.skip_idle_until(skip_stop(target))) run_.step();
    poll_pending();
  }
}

// As Linux handles a packet before the script's next line: until the engine has
// taken the injected frame and has nothing in flight (at most 100 us).
void ScriptRunner::settle() {
  const uint64_t limit = run_.cycle() + us_to_cycles(100);
  // A blocked call sees the line's segments all at once (its pieces too), as Linux would.
  settling_ = true;
  run_until([&] { return h_.rx_pending() == 0; }, limit);
  const uint64_t pipeline = run_.cycle() + us_to_cycles(2);  // the receive pipeline's stages
  run_until([&] { return run_.cycle() >= pipeline && !run_.engine().busy(); }, limit);
  settling_ = false;
  poll_pending();
}

// Steps until pred() holds or the cycle `limit`. idle_skip: pred() depends on the engine's
// output only (not on the time), so idle spans may be skipped.
bool ScriptRunner::run_until(const std::function<bool()>& pred, uint64_t limit, bool idle_skip) {
  while (!pred()) {
    if (run_.cycle() >= limit) return false;
    if (!idle_skip || !run_.skip_idle_until(skip_stop(limit))) run_.step();
    poll_pending();
  }
  return true;
}

// ---- host configuration
void ScriptRunner::shell(const ScriptLine& l) {
  const HostConfigResult r = apply_host_commands(l.shell, path_);
  if (r.rcv_wscale) run_.engine().registers().rcv_wscale = *r.rcv_wscale;
  if (r.mss) run_.engine().registers().mss = *r.mss;
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
    run_.step();
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
  SimRun run(o, o.engine_config(), o.harness_config(60000), 0, "toe_sim script " + script_path);
  ScriptRunner r(script_path, std::move(script), o, run);
  int rc = 0;
  run.stats_extra()["mode"] = "script";
  run.stats_extra()["script"] = script_path;
  try {
    const int n = r.run();
    run.stats_extra()["ok"] = true;
    std::cout << "toe_sim: " << script_path << ": "
              << (n == 1 ? "the expectation" : "all " + std::to_string(n) + " expectations") << " held\n";
  } catch (const Failure& f) {
    run.stats_extra()["ok"] = false;
    run.stats_extra()["failure"] = f.msg;
    std::cerr << f.msg << "\n";
    rc = 1;
  } catch (const ScriptUnsupported& e) {
    run.stats_extra()["ok"] = false;
    run.stats_extra()["unsupported"] = e.what();
    std::cerr << "toe_sim: " << e.what() << "\n";
    rc = 3;
  }
  if (!r.host_config.empty()) run.stats_extra()["host_config"] = r.host_config;
  run.finish(std::cout);
  return rc;
}

}  // namespace toe::toesim
