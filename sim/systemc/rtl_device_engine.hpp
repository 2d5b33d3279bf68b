// SPDX-License-Identifier: Apache-2.0
// The Verilated toe_engine (rtl_model/rtl/top/toe_engine.sv, plain --cc) behind DeviceEngine
// (library toe_systemc_rtl, built when the CMake option TOE_RTL_ENGINE is ON).
//
// Each Verilated build has fixed parameters; the builds of this library are listed in
// RTL_DEVICE_BUILDS in sim/systemc/CMakeLists.txt (the parameter sets the platform tests use).
// make_rtl_device_engine() picks the build whose parameters equal the requested ones.
//
// The engine (RtlDeviceEngine<V>, rtl_device_engine_impl.hpp):
//   clock(in)   drives every input port (streams through toe::rtl::drive_streams, register bus,
//               host buffer ports), then one rising edge of clk_i; outputs() are read back
//               (toe::rtl::read_streams, reg_*_o, intr_o, host_rx_rdata_o).
//   reset()     rst_ni low then high (asynchronous), inputs idle: as EngineDevice::reset().
//   peek_reg()  no clock edge: the register bus inputs are set to a read of addr and only the
//               combinational logic is evaluated; the value is toe_reg_top's read mux (rdata_d,
//               made readable by rtl_device_engine.vlt), then the inputs are put back and
//               evaluated again. No flop changes (no rc clear, no LAST_ERROR change). Holes and
//               misaligned offsets: false, from the generated table (regmap::find).
//   can_skip()  EngineDevice::idle_settled, term by term, on the RTL's state (the flops and
//               nets rtl_device_engine.vlt makes Verilator-public; read after the edge).
//   skip(in, n) EngineDevice::skip_idle's order: one clock; if settled, all but the last of the
//               rest at once (toe_tables' cycle_q, refill_q, tokens_q, isn_pre_q, isn_ticks_q
//               written as n clocks leave them, Tables::idle_cycles' closed form, then the
//               combinational logic evaluated); the last clock.
#pragma once

#include <memory>
#include <string>

#include "device_engine.hpp"

namespace toe::sc {

// The Verilated toe_engine with parameters p. Throws std::invalid_argument, naming the builds
// compiled in, when none has exactly these parameters.
std::unique_ptr<DeviceEngine> make_rtl_device_engine(const model::EngineParams& p);

// "  <name> (sessions=... data_bytes=... ...)\n" for each build compiled in.
std::string describe_rtl_device_builds();

}  // namespace toe::sc
