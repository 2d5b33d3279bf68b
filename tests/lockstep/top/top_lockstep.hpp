// SPDX-License-Identifier: Apache-2.0
// Whole-engine lockstep: the C++ model (toe::model::Engine) and the Verilated
// RTL (toe_top, through toe::rtl::RtlEngine) driven by the same randomized
// stimulus on every clock, every output port compared on every clock (AXI
// streams, command and event handshakes, the counters, the state trace), and
// the receive-buffer bytes of every data event compared.
//
// The first mismatch stops the run: the report names the cycle, the port, both
// values and the seed, and two VCD files (model.vcd, rtl.vcd) hold every port
// of each side over the cycles around it, with the same signal names.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "top/top.hpp"

namespace toe::lockstep {

struct TopConfig {
  model::EngineConfig engine;
  uint64_t seed = 1;
  uint32_t rx_idle_pct = 0;   // idle cycles between rx beats (%)
  uint32_t tx_bp_pct = 0;     // m_axis_tx_tready low (%)
  uint32_t evt_bp_pct = 0;    // m_evt_ready low (%)
  uint32_t cmd_pct = 3;       // a command offered in a cycle (%)
  uint32_t repeat_connect_pct = 0;  // a connect taken offered again, at once or a cycle later (%)
  // As a SYN's last beat is taken, a connect to a half-open connection's 4-tuple offered at once or
  // a cycle later (%): decided a cycle before or after that SYN, which may evict it
  uint32_t chase_half_open_pct = 0;
  std::string vcd_dir = ".";  // where the mismatch VCDs go
};

struct TopResult {
  bool ok = true;
  uint64_t cycles = 0;
  uint64_t frames_in = 0, frames_out = 0, events = 0, commands = 0, data_checks = 0;
  uint64_t max_active = 0;
  uint64_t max_events_queued = 0;     // the model's event queue at its fullest
  uint64_t max_responses_queued = 0;  // and its response queue
  // Wall-clock seconds inside each side's clock() (same inputs, same cycles).
  double model_seconds = 0, rtl_seconds = 0;
  // first mismatch
  uint64_t cycle = 0;
  std::string port, model_value, rtl_value, vcd_model, vcd_rtl;
  std::string report() const;
};

// Runs `cycles` clocks; stops at the first mismatch.
TopResult run_top_lockstep(const TopConfig& cfg, uint64_t cycles);

}  // namespace toe::lockstep
