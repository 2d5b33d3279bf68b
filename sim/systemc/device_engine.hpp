// SPDX-License-Identifier: Apache-2.0
// toe::sc::DeviceEngine: what the TLM device (toe_device_tlm.hpp) clocks, one toe_engine
// cycle at a time: the ports of toe_engine (model::EngineDeviceIn / EngineDeviceOut: streams,
// command and event ports, the host and firmware register buses, the interrupts), its reset, and a
// side-effect-free register peek. The device knows nothing else of what is behind it, so the
// Verilated toe_engine stands here in place of the C++ model.
//
//   ModelDeviceEngine   the C++ model, model::EngineDevice (rtl_model/model/top/engine.hpp).
//   RtlDeviceEngine     the Verilated toe_engine (rtl_device_engine.hpp, library toe_systemc_rtl,
//                       built when the CMake option TOE_RTL_ENGINE is ON).
//   make_device_engine  either, by name.
//
// Same two-phase contract as EngineDevice: outputs() are this cycle's outputs; clock(in)
// drives the inputs for one cycle and takes the rising edge.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "top/engine.hpp"

namespace toe::sc {

class DeviceEngine {
 public:
  virtual ~DeviceEngine() = default;

  virtual const model::EngineDeviceOut& outputs() const = 0;
  virtual void clock(const model::EngineDeviceIn& in) = 0;
  // rst_ni: registers to their reset values, the engine and the wrapper reset.
  virtual void reset() = 0;
  // The value a register read of `addr` issued now would return, without its side effects (no
  // clock, no rc clear, no LAST_ERROR change); false for a hole or a misaligned offset.
  virtual bool peek_reg(uint32_t addr, uint32_t* value) const = 0;
  // The same for the firmware port's registers.
  virtual bool peek_fw_reg(uint32_t addr, uint32_t* value) const = 0;
  // The build parameters (DataBytes sets the stream width).
  virtual const model::EngineParams& params() const = 0;
  // "model" or "rtl".
  virtual const char* kind() const = 0;
  // Idle skipping (DeviceTlmConfig::idle_skip). can_skip(): a clock with idle inputs would change
  // only the time, so no output changes over an idle span (the model: EngineDevice::idle_settled;
  // the Verilated engine: RtlDeviceEngine; an engine that cannot tell says false and is clocked
  // every cycle). skip(in, n): n clocks
  // with the idle inputs `in`, with the result of n calls of clock(in) (the default makes them).
  virtual bool can_skip() const { return false; }
  // Direct memory access to a buffer window (model::EngineDevice::dmi_window): the linear piece
  // of the window holding offset woff. An engine that cannot expose its buffers says false.
  virtual bool dmi_window(bool tx, uint32_t woff, model::EngineDevice::DmiPiece* piece) {
    (void)tx;
    (void)woff;
    (void)piece;
    return false;
  }
  // The selected connection (CONN_SEL) and whether it is in use (DMI grants follow it).
  virtual bool conn_sel_in_use() const { return false; }
  virtual void skip(const model::EngineDeviceIn& in, uint64_t n) {
    while (n-- > 0) clock(in);
  }
  // Busy spans (model::EngineDevice::span_limit / run_span): clocks with no command and no
  // register access, tx and evt ready, and (rx) a full beat that is not the frame's last at each,
  // applied at once. span_limit(rx): how many (0: none; an engine that cannot tell says 0).
  // run_span(rx, n, tx): n such clocks, rx their n * DataBytes bytes (nullptr: no beats); the
  // bytes of the beats m_axis_tx sends over them (a frame past its first beat) appended to *tx.
  virtual uint64_t span_limit(bool rx) const {
    (void)rx;
    return 0;
  }
  virtual void run_span(const uint8_t* rx, uint64_t n, std::vector<uint8_t>* tx) {
    (void)rx;
    (void)tx;
    if (n != 0) throw std::logic_error("DeviceEngine::run_span: this engine has no spans");
  }
};

// The C++ model behind the device.
class ModelDeviceEngine final : public DeviceEngine {
 public:
  // p: the build parameters; throws std::invalid_argument for parameters the model refuses.
  explicit ModelDeviceEngine(const model::EngineParams& p) : params_(p), dev_(p) {}

  const model::EngineDeviceOut& outputs() const override { return dev_.outputs(); }
  void clock(const model::EngineDeviceIn& in) override { dev_.clock(in); }
  void reset() override { dev_.reset(); }
  bool peek_reg(uint32_t addr, uint32_t* value) const override { return dev_.peek_reg(addr, value); }
  bool peek_fw_reg(uint32_t addr, uint32_t* value) const override { return dev_.peek_fw_reg(addr, value); }
  const model::EngineParams& params() const override { return params_; }
  const char* kind() const override { return "model"; }
  bool can_skip() const override { return dev_.idle_settled(); }
  void skip(const model::EngineDeviceIn& in, uint64_t n) override { dev_.skip_idle(in, n); }
  uint64_t span_limit(bool rx) const override { return dev_.span_limit(rx); }
  void run_span(const uint8_t* rx, uint64_t n, std::vector<uint8_t>* tx) override { dev_.run_span(rx, n, tx); }
  bool dmi_window(bool tx, uint32_t woff, model::EngineDevice::DmiPiece* piece) override {
    return dev_.dmi_window(tx, woff, piece);
  }
  bool conn_sel_in_use() const override { return dev_.conn_sel_in_use(); }

 private:
  model::EngineParams params_;
  model::EngineDevice dev_;
};

// The engine named `kind` with build parameters p: "model" (ModelDeviceEngine) or "rtl" (the
// Verilated build with exactly these parameters). Throws std::invalid_argument for another
// name, for "rtl" in a build without it (TOE_RTL_ENGINE OFF), and for parameters the model
// refuses or no Verilated build has (the message lists the builds).
std::unique_ptr<DeviceEngine> make_device_engine(const std::string& kind, const model::EngineParams& p);

}  // namespace toe::sc
