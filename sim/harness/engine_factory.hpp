// SPDX-License-Identifier: Apache-2.0
// Which implementation of the fast path a simulation runs: the C++ model
// (toe::model::Engine) or the Verilated RTL (toe::rtl::RtlEngine, sim/rtl_engine).
// Both are a toe::model::EngineApi; the harness, toe_sim and the tests make
// theirs here, so swapping is one switch: `--engine model|rtl` (toe_sim) or
// TOE_ENGINE=model|rtl in the environment (every harness-based test).
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "top/top.hpp"
#include "top/engine_api.hpp"

namespace toe::sim {

enum class EngineKind { kModel, kRtl };

// "model" or "rtl"; anything else throws std::invalid_argument naming the bad
// value and the allowed ones.
EngineKind parse_engine_kind(const std::string& text);
const char* to_string(EngineKind k);

// TOE_ENGINE: unset or empty = model; a bad value throws like parse_engine_kind.
constexpr const char* kEngineEnvVar = "TOE_ENGINE";
EngineKind engine_kind_from_env();

// True when this build links the Verilated RTL (sim/rtl_engine, TOE_HAVE_RTL_ENGINE).
bool rtl_engine_built();

// kRtl in a build without the RTL engine: the message says so.
struct EngineUnavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Makes the engine. kModel: toe::model::Engine (std::invalid_argument on bad
// parameters). kRtl: toe::rtl::make_rtl_engine (std::invalid_argument when no
// Verilated build matches cfg's parameters), or EngineUnavailable
// (a std::runtime_error) when this build has no RTL engine.
std::unique_ptr<model::EngineApi> make_engine(EngineKind kind, const model::EngineConfig& cfg);

// The elaboration-time parameters of cfg (the ones a Verilated build is made
// for), e.g. "sessions=16 data_bytes=8 rx_buf_bytes=65536 tx_buf_bytes=65536
// listen_entries=16 rsp_fifo_depth=64 evt_fifo_depth=4096 rx_slots=16 max_half_open=0".
std::string engine_parameters_str(const model::EngineConfig& cfg);

}  // namespace toe::sim
