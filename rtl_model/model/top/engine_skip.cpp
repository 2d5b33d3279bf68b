// SPDX-License-Identifier: Apache-2.0
// EngineDevice's virtual-platform steps: idle skipping (skip_idle, idle_settled) and busy spans
// (span_limit, run_span), many clocks applied at once with the result of clocking each (see
// engine.hpp). The RTL has no twin of these: it is clocked; test_skip_idle and test_busy_span
// compare them with clocking every cycle.
#include <stdexcept>
#include <vector>

#include "top/engine.hpp"

namespace toe::model {

uint64_t EngineDevice::skip_idle(const EngineDeviceIn& in, uint64_t n) {
  if (in.rx.tvalid || in.cmd_valid || in.reg_req || in.fw_req)
    throw std::invalid_argument("EngineDevice::skip_idle: the inputs are not idle (an rx beat, a command or a "
                                "register access)");
  if (n == 0) return 0;
  clock(in);
  --n;
  uint64_t skipped = 0;
  if (idle_settled() && n >= 2) {
    skipped = n - 1;
    engine_.skip_idle(skipped);
    n = 1;
  }
  while (n-- > 0) clock(in);
  return skipped;
}

bool EngineDevice::idle_settled() const {
  // A firmware event waits for evt_ready, a host event for room: both are the Engine's
  // evt_valid, which quiescent() counts as work.
  return !drop_pending() && !core_in_reset() && !core_fresh_ && !frames_q_.rx_in_frame && !frames_q_.tx_in_frame && !regs_.valid() &&
         win_q_.cnt == 0 && !win_q_.valid && cmdq_.empty() && !fw_regs_.valid() && fw_cmdq_.empty() &&
         !fw_win_valid_q_ && !txq_.busy() && !tx_offered_q_ && engine_.quiescent() && !intr_pending();
}

uint64_t EngineDevice::span_limit(bool rx) const {
  const bool wrapper = !drop_pending() && !core_in_reset() && !core_fresh_ && !regs_.valid() && win_q_.cnt == 0 &&
                       !win_q_.valid && cmdq_.empty() && !fw_regs_.valid() && fw_cmdq_.empty() && !fw_win_valid_q_ &&
                       !txq_.busy() && !tx_offered_q_ && !intr_pending();
  if (!wrapper) return 0;
  if (rx ? !(frames_q_.rx_in_frame && !frames_q_.rx_discard && rxq_.in_frame()) : frames_q_.rx_in_frame) return 0;
  // A frame being sent: past its first beat (the wrapper has let it through).
  if (engine_.sending() != frames_q_.tx_in_frame) return 0;
  return engine_.span_limit(rx);
}

void EngineDevice::run_span(const uint8_t* rx, uint64_t n, std::vector<uint8_t>* tx) {
  if (n == 0) return;
  if (n > span_limit(rx != nullptr)) throw std::logic_error("EngineDevice::run_span: the span is longer than span_limit");
  if (rx) rxq_.stream(rx, n, local_mac());
  engine_.run_span(rx, n, tx);
  update_outputs();  // m_axis_tx's beat moved on
}

}  // namespace toe::model
