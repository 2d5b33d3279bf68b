// SPDX-License-Identifier: Apache-2.0
// RtlDeviceEngine<V>: one Verilated toe_engine build V behind DeviceEngine (see
// rtl_device_engine.hpp). Included by the generated rtl_device_variant_<build>.cpp only, after
// V's headers (V.h and its root V___024root.h).
#pragma once

#include <verilated.h>

#include <cstdint>
#include <memory>
#include <string>

#include "device_engine.hpp"
#include "idle_taps.hpp"
#include "stream_ports.hpp"
#include "toe_fw_regs_table.hpp"
#include "toe_regs_table.hpp"

namespace toe::sc {

template <class V>
class RtlDeviceEngine final : public DeviceEngine {
 public:
  explicit RtlDeviceEngine(const model::EngineParams& p) : params_(p), ctx_(std::make_unique<VerilatedContext>()) {
    ctx_->randReset(0);  // every flop 0 before the first reset, as the model's members
    // Verilator 5.006 files a model's scopes (its public variables) under the thread's current
    // context, not the model's, and erases them from it on destruction: with several engines
    // (the idle-skip twin has two) each must be current while it is built and destroyed, else
    // the second's scopes are lost and the first's destructor locks a destroyed context.
    Verilated::threadContextp(ctx_.get());
    v_ = std::make_unique<V>(ctx_.get(), "toe_engine");
    bind_taps();
    drive(model::EngineDeviceIn{});
    v_->clk_i = 0;
    v_->rst_ni = 1;
    v_->eval();
    reset();
  }
  RtlDeviceEngine(const RtlDeviceEngine&) = delete;
  RtlDeviceEngine& operator=(const RtlDeviceEngine&) = delete;
  ~RtlDeviceEngine() override {
    v_->final();
    Verilated::threadContextp(ctx_.get());  // see the constructor
    v_.reset();
    Verilated::threadContextp(nullptr);
  }

  const model::EngineDeviceOut& outputs() const override { return out_; }

  void clock(const model::EngineDeviceIn& in) override {
    drive(in);
    v_->clk_i = 0;
    v_->eval();
    v_->clk_i = 1;
    v_->eval();
    read_outputs();
  }

  void reset() override {
    drive(model::EngineDeviceIn{});
    v_->rst_ni = 0;
    v_->eval();
    v_->rst_ni = 1;
    v_->eval();
    read_outputs();
  }

  bool peek_reg(uint32_t addr, uint32_t* value) const override {
    if (addr >= (uint32_t(1) << regmap::kAddrWidth) || regmap::find(addr) == nullptr) return false;
    V& v = *v_;
    // Only combinational logic runs: clk_i and rst_ni stay as they are, so no flop is written.
    const auto req = v.reg_req_i;
    const auto we = v.reg_we_i;
    const auto a = v.reg_addr_i;
    const auto be = v.reg_be_i;
    v.reg_req_i = 1;
    v.reg_we_i = 0;
    v.reg_addr_i = static_cast<uint16_t>(addr);
    v.reg_be_i = 0xF;
    v.eval();
    *value = v.rootp->toe_engine__DOT__u_regs__DOT__rdata_d;
    v.reg_req_i = req;
    v.reg_we_i = we;
    v.reg_addr_i = a;
    v.reg_be_i = be;
    v.eval();
    return true;
  }

  bool peek_fw_reg(uint32_t addr, uint32_t* value) const override {
    if (addr >= (uint32_t(1) << fw_regmap::kAddrWidth) || fw_regmap::find(addr) == nullptr) return false;
    V& v = *v_;
    const auto req = v.fw_req_i;
    const auto we = v.fw_we_i;
    const auto a = v.fw_addr_i;
    const auto be = v.fw_be_i;
    v.fw_req_i = 1;
    v.fw_we_i = 0;
    v.fw_addr_i = static_cast<uint16_t>(addr);
    v.fw_be_i = 0xF;
    v.eval();
    *value = v.rootp->toe_engine__DOT__u_fw_regs__DOT__rdata_d;
    v.fw_req_i = req;
    v.fw_we_i = we;
    v.fw_addr_i = a;
    v.fw_be_i = be;
    v.eval();
    return true;
  }

  const model::EngineParams& params() const override { return params_; }
  const char* kind() const override { return "rtl"; }

  // Idle skipping, as ModelDeviceEngine: the terms of EngineDevice::idle_settled read from the
  // RTL's state (Verilator-public through rtl_device_engine.vlt), and the time-dependent
  // registers of toe_tables advanced at once as Tables::idle_cycles advances the model's.
  bool can_skip() const override {
    const Taps& t = taps_;
    auto z = [](const rtl::Tap& x) { return x.zero(); };
    const bool intr_pending = (!z(t.evq_cnt) && z(t.intr_evq)) || (!z(t.fw_evq_cnt) && z(t.fw_intr_evq)) ||
                              (!z(t.rxq_count) && z(t.fw_intr_rxq)) || (!z(t.arq_cnt) && z(t.fw_intr_arq));
    return t.core_rst_n.get() != 0 && z(t.rx_in_frame) && z(t.tx_in_frame) && z(t.regs_valid) && z(t.win_cnt) &&
           z(t.win_valid) && z(t.cmd_cnt) && z(t.fw_regs_valid) && z(t.fw_cmd_cnt) && z(t.fw_win_valid) &&
           z(t.txq_busy) && z(t.tx_offered) && z(t.drop_moved) && core_.quiescent() && !intr_pending;
  }

  // n clocks with the idle inputs `in`: the first runs; if the engine is then settled, all but
  // the last of the rest are applied at once; the last runs (EngineDevice::skip_idle's order).
  void skip(const model::EngineDeviceIn& in, uint64_t n) override {
    if (n == 0) return;
    clock(in);
    --n;
    if (n >= 2 && !in.rx.tvalid && !in.cmd_valid && !in.reg_req && !in.fw_req && can_skip()) {
      advance_idle(n - 1);
      n = 1;
    }
    while (n-- > 0) clock(in);
  }

 private:
  // The engine's own terms of idle_settled (rtl_device_engine.vlt); the core's are core_.
  struct Taps {
    rtl::Tap core_rst_n, rx_in_frame, tx_in_frame, tx_offered, regs_valid, fw_regs_valid, win_cnt, win_valid,
        fw_win_valid, cmd_cnt, fw_cmd_cnt, evq_cnt, fw_evq_cnt, rxq_count, arq_cnt, txq_busy, drop_moved;
    rtl::Tap intr_evq, fw_intr_evq, fw_intr_rxq, fw_intr_arq, clock_mhz, chal_burst, chal_cycles;
  };

  rtl::Tap tap(const std::string& scope, const char* var) const {
    return rtl::Tap::find(*ctx_, "toe_engine.toe_engine" + (scope.empty() ? std::string() : "." + scope), var,
                          "sim/systemc/rtl_device_engine.vlt");
  }

  void bind_taps() {
    Taps& t = taps_;
    t.core_rst_n = tap("", "core_rst_n");
    t.rx_in_frame = tap("", "rx_in_frame_q");
    t.tx_in_frame = tap("", "tx_in_frame_q");
    t.tx_offered = tap("", "tx_offered_q");
    t.regs_valid = tap("", "regs_valid");
    t.fw_regs_valid = tap("", "fw_regs_valid");
    t.win_cnt = tap("", "win_cnt_q");
    t.win_valid = tap("", "win_valid_q");
    t.fw_win_valid = tap("", "fw_win_valid_q");
    t.cmd_cnt = tap("", "cmd_cnt_q");
    t.fw_cmd_cnt = tap("", "fw_cmd_cnt");
    t.evq_cnt = tap("", "evq_cnt_q");
    t.fw_evq_cnt = tap("", "fw_evq_cnt");
    t.rxq_count = tap("", "rxq_count");
    t.arq_cnt = tap("", "arq_cnt");
    t.txq_busy = tap("", "txq_busy");
    t.drop_moved = tap("", "drop_moved");
    t.intr_evq = tap("u_regs", "intr_state_evq_not_empty_q");
    t.fw_intr_evq = tap("u_fw_regs", "intr_state_evq_not_empty_q");
    t.fw_intr_rxq = tap("u_fw_regs", "intr_state_rxq_not_empty_q");
    t.fw_intr_arq = tap("u_fw_regs", "intr_state_arq_not_empty_q");
    t.clock_mhz = tap("u_regs", "clock_mhz_q");
    t.chal_burst = tap("u_regs", "chal_global_burst_q");
    t.chal_cycles = tap("u_regs", "chal_global_cycles_q");
    core_.bind(*ctx_, "toe_engine.toe_engine.u_top");
  }

  // n idle clocks at once: the core's time registers advanced (CoreIdleTaps::advance, with the
  // register block's CLOCK_MHZ and challenge-ACK settings), then the combinational logic
  // re-evaluated with the clock as it is.
  void advance_idle(uint64_t n) {
    core_.advance(n, uint32_t(taps_.clock_mhz.get()), uint32_t(taps_.chal_burst.get()),
                  uint32_t(taps_.chal_cycles.get()));
    v_->eval();
    read_outputs();
  }

  void drive(const model::EngineDeviceIn& in) {
    V& v = *v_;
    rtl::drive_streams(v, in, params_.data_bytes);
    v.reg_req_i = in.reg_req;
    v.reg_we_i = in.reg_we;
    v.reg_addr_i = static_cast<uint16_t>(in.reg_addr);
    v.reg_wdata_i = in.reg_wdata;
    v.reg_be_i = in.reg_be;
    v.fw_req_i = in.fw_req;
    v.fw_we_i = in.fw_we;
    v.fw_addr_i = static_cast<uint16_t>(in.fw_addr);
    v.fw_wdata_i = in.fw_wdata;
    v.fw_be_i = in.fw_be;
  }

  void read_outputs() {
    const V& v = *v_;
    rtl::read_streams(v, out_, params_.data_bytes);
    out_.reg_ready = v.reg_ready_o;
    out_.reg_valid = v.reg_valid_o;
    out_.reg_rdata = v.reg_rdata_o;
    out_.reg_err = v.reg_err_o;
    out_.intr = v.intr_o;
    out_.fw_ready = v.fw_ready_o;
    out_.fw_valid = v.fw_valid_o;
    out_.fw_rdata = v.fw_rdata_o;
    out_.fw_err = v.fw_err_o;
    out_.fw_intr = v.fw_intr_o;
  }

  model::EngineParams params_;
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<V> v_;
  model::EngineDeviceOut out_;
  Taps taps_;
  rtl::CoreIdleTaps core_;
};

}  // namespace toe::sc
