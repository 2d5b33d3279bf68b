// SPDX-License-Identifier: Apache-2.0
// RtlDeviceEngine<V>: one Verilated toe_engine build V behind DeviceEngine (see
// rtl_device_engine.hpp). Included by the generated rtl_device_variant_<build>.cpp only, after
// V's headers (V.h and its root V___024root.h).
#pragma once

#include <verilated.h>

#include <cstdint>
#include <memory>

#include "device_engine.hpp"
#include "stream_ports.hpp"
#include "toe_fw_regs_table.hpp"
#include "toe_regs_table.hpp"

namespace toe::sc {

template <class V>
class RtlDeviceEngine final : public DeviceEngine {
 public:
  explicit RtlDeviceEngine(const model::EngineParams& p) : params_(p), ctx_(std::make_unique<VerilatedContext>()) {
    ctx_->randReset(0);  // every flop 0 before the first reset, as the model's members
    v_ = std::make_unique<V>(ctx_.get(), "toe_engine");
    drive(model::EngineDeviceIn{});
    v_->clk_i = 0;
    v_->rst_ni = 1;
    v_->eval();
    reset();
  }
  RtlDeviceEngine(const RtlDeviceEngine&) = delete;
  RtlDeviceEngine& operator=(const RtlDeviceEngine&) = delete;
  ~RtlDeviceEngine() override { v_->final(); }

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

 private:
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
};

}  // namespace toe::sc
