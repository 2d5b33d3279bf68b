// SPDX-License-Identifier: Apache-2.0
// toe_sim's run: the harness around the engine, plus everything a run can
// write (pcap, VCD, ladder SVG, JSON statistics) and the progress line.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "harness.hpp"
#include "options.hpp"

namespace toe::toesim {

class VcdWriter;

// A frame on the wire: injected (out=false, stamped when it reached the
// engine's MAC) or sent by the engine (out=true, stamped at its last beat).
struct WireFrame {
  uint64_t cycle;
  bool out;
  std::vector<uint8_t> data;
};

// A TCB state change with the connection's 4-tuple as it was then.
struct StateRec {
  uint64_t cycle;
  uint32_t conn;
  TcpState from, to;
  uint32_t rip;
  uint16_t rport, lport;
  bool passive;
};

class SimRun {
 public:
  // ts_base_ns: the timestamp of cycle 0 in every written file.
  SimRun(const Options& o, const model::EngineConfig& ecfg, const sim::HarnessConfig& hcfg, uint64_t ts_base_ns,
         std::string title);
  ~SimRun();

  sim::Harness& harness() { return *h_; }
  model::EngineApi& engine() { return h_->engine(); }
  const Options& options() const { return o_; }

  void inject(const std::vector<uint8_t>& frame);
  void step();
  // Runs to `cycle`, idle spans skipped (Harness::skip_idle_until; --vcd turns skipping off).
  void run_to(uint64_t cycle);
  // One skip of an idle span towards `target` (Harness::skip_idle_until); whether it moved.
  bool skip_idle_until(uint64_t target) { return h_->skip_idle_until(target); }
  // Steps until pred() holds or the cycle `limit` is reached; returns pred().
  bool run_until(const std::function<bool()>& pred, uint64_t limit);

  uint64_t cycle() const { return h_->cycle(); }
  uint64_t ns_to_cycles(uint64_t ns) const { return ns * clock_mhz_ / 1000; }
  uint64_t ms_to_cycles(double ms) const { return static_cast<uint64_t>(ms * 1000.0 * clock_mhz_); }
  uint64_t cycles_to_ns(uint64_t c) const { return c * 1000 / clock_mhz_; }
  uint64_t ts_ns(uint64_t cycle) const { return base_ns_ + cycles_to_ns(cycle); }

  // Engine frames not yet taken by the mode, oldest first.
  std::deque<WireFrame>& engine_frames() { return pending_; }
  const std::vector<WireFrame>& wire() const { return wire_; }
  const std::vector<StateRec>& states() const { return states_; }
  uint64_t frames_in() const { return frames_in_; }
  uint64_t frames_out() const { return frames_out_; }
  // Called for every engine frame as it completes.
  std::function<void(const WireFrame&)> on_engine_frame;

  // Mode-specific entries of the statistics file.
  nlohmann::json& stats_extra() { return extra_; }
  // Ends the run: closes the VCD, writes --pcap, --ladder and --stats, and
  // says on `info` what was written.
  void finish(std::ostream& info);

 private:
  void progress(bool final);

  Options o_;
  std::unique_ptr<sim::Harness> h_;
  uint32_t clock_mhz_;
  uint64_t base_ns_;
  std::string title_;
  std::vector<WireFrame> wire_;
  std::deque<WireFrame> pending_;
  std::vector<StateRec> states_;
  std::vector<StateRec> last_tuple_;  // per conn
  uint64_t frames_in_ = 0, frames_out_ = 0;
  bool tx_done_ = false;
  // VCD: a shadow of the harness's rx stream (it does not expose its inputs).
  std::unique_ptr<VcdWriter> vcd_;
  // progress
  bool show_progress_ = false, progress_shown_ = false;
  std::chrono::steady_clock::time_point wall_start_, last_progress_;
  uint64_t last_progress_cycle_ = 0;
  nlohmann::json extra_ = nlohmann::json::object();
  bool finished_ = false;
};

}  // namespace toe::toesim
