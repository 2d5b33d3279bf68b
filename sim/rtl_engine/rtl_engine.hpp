// SPDX-License-Identifier: Apache-2.0
// toe::rtl: the Verilated RTL (rtl_model/rtl/top/toe_top.sv) behind the same
// interface as the C++ model (toe::model::EngineApi), so the harness, toe_sim
// and every conformance/oracle/scenario test run on it unchanged
// (`--engine rtl`, TOE_ENGINE=rtl).
//
// Verilator fixes parameters at build time: each parameter set below is a
// separate Verilated model (sim/rtl_engine/CMakeLists.txt); make_rtl_engine
// picks the one matching the EngineConfig's parameters (sessions, data_bytes,
// rx/tx buffer bytes, listen entries, queue depths) and refuses any other with
// a message listing the builds. Runtime registers (MAC, IP, MSS, ISN, limits)
// are ports: any value works.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "top/top.hpp"
#include "top/engine_api.hpp"

namespace toe::rtl {

struct RtlBuild {
  const char* name;
  model::EngineParams params;  // the -G parameters it was Verilated with
  std::unique_ptr<model::EngineApi> (*make)(const model::EngineConfig&);
};

// The parameter sets Verilated into this build.
const std::vector<RtlBuild>& rtl_builds();
// "name (sessions=.. data_bytes=.. ...)" for each build, one per line.
std::string describe_rtl_builds();
// The RTL engine for cfg; std::invalid_argument when no build has its parameters.
std::unique_ptr<model::EngineApi> make_rtl_engine(const model::EngineConfig& cfg);

}  // namespace toe::rtl
