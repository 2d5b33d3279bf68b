// SPDX-License-Identifier: Apache-2.0
// ScriptBed: the device, the host driver and the slow path's timers for toe_sim script (see
// script_bed.hpp).
#include "script_bed.hpp"

#include <algorithm>
#include <utility>

#include "toe_regs.h"

namespace toe::toesim {

using sc_core::sc_time;

ScriptBed::ScriptBed(sc_core::sc_module_name name, const ScriptBedConfig& cfg)
    : sc_core::sc_module(name),
      cfg_(cfg),
      dev_("dev", cfg.device),
      irq_("irq"),
      timers_("timers", dev_, cfg.timers),
      bus_("bus", irq_),
      to_dev_("to_dev", 4096),
      from_dev_("from_dev", 4096),
      frame_ev_("frame_ev") {
  dev_.irq(irq_);
  dev_.eth_rx(to_dev_);
  dev_.eth_tx(from_dev_);
  bus_.socket.bind(dev_.host);
  SC_THREAD(run);
  set_stack_size(size_t(8) << 20);  // the whole runner (and ASan's larger frames) runs on it
  SC_THREAD(collect);
}

void ScriptBed::run() {
  toe_result_t r = bus_.open(drv_, conns_, cfg_.device.params, cfg_.mac, cfg_.ipv4, cfg_.mss, &timers_);
  uint32_t ctrl = 0;
  if (r == TOE_OK && cfg_.clock_mhz != 125 && !write_reg(TOE_REG_CLOCK_MHZ_OFFSET, cfg_.clock_mhz)) r = TOE_BUS_ERROR;
  if (r == TOE_OK && cfg_.fixed_isn) {
    if (!write_reg(TOE_REG_FIXED_ISN_OFFSET, *cfg_.fixed_isn) || !read_reg(TOE_REG_CTRL_OFFSET, &ctrl) ||
        !write_reg(TOE_REG_CTRL_OFFSET, ctrl | TOE_REG_CTRL_FIXED_ISN_EN_MASK))
      r = TOE_BUS_ERROR;
  }
  if (r != TOE_OK) {
    error = std::string("the host driver could not open and configure the device: ") + toe_result_str(r);
  } else {
    base_ = sc_core::sc_time_stamp();
    if (body) body();
  }
  sc_core::sc_stop();
}

void ScriptBed::collect() {
  for (;;) {
    const toe::sc::EthFrame f = from_dev_.read();
    const uint64_t c = f.time > base_ ? uint64_t((f.time - base_) / dev_.clock_period()) : 0;
    WireFrame w{c, true, f.data};
    ++frames_out_;
    wire_.push_back(w);
    pending_.push_back(std::move(w));
    frame_ev_.notify(sc_core::SC_ZERO_TIME);
  }
}

uint64_t ScriptBed::cycle() const {
  const sc_time now = sc_core::sc_time_stamp();
  return now > base_ ? uint64_t((now - base_) / dev_.clock_period()) : 0;
}

void ScriptBed::wait_until(uint64_t limit) {
  const sc_time until = base_ + dev_.clock_period() * double(limit);
  const sc_time now = sc_core::sc_time_stamp();
  // At least one clock: a caller whose limit has passed (by the rounding of microseconds to
  // clocks) still sees time move.
  wait(until > now ? until - now : dev_.clock_period(), frame_ev_ | irq_.posedge_event());
  service();
}

void ScriptBed::service() {
  if (!irq_.read()) return;
  // Clear every cause first: an event that arrives after the clear raises the line again.
  write_reg(TOE_REG_INTR_STATE_OFFSET, TOE_REG_INTR_STATE_EVQ_NOT_EMPTY_MASK | TOE_REG_INTR_STATE_DROP_MASK);
  toe_poll(&drv_, nullptr);
}

void ScriptBed::inject(const std::vector<uint8_t>& frame) {
  wire_.push_back(WireFrame{cycle(), false, frame});
  ++frames_in_;
  to_dev_.write(toe::sc::EthFrame{frame, sc_core::sc_time_stamp()});
}

bool ScriptBed::write_reg(uint32_t offset, uint32_t value) {
  const toe_mmio_t* m = bus_.mmio();
  return m->write32(m->ctx, offset, value, 0xF) == TOE_BUS_OK;
}

bool ScriptBed::read_reg(uint32_t offset, uint32_t* value) {
  const toe_mmio_t* m = bus_.mmio();
  return m->read32(m->ctx, offset, value) == TOE_BUS_OK;
}

uint32_t ScriptBed::peek_reg(uint32_t offset) { return dev_.peek_host(offset); }

std::vector<WireFrame> ScriptBed::wire() const {
  std::vector<WireFrame> w = wire_;
  std::stable_sort(w.begin(), w.end(), [](const WireFrame& a, const WireFrame& b) { return a.cycle < b.cycle; });
  return w;
}

}  // namespace toe::toesim
