// SPDX-License-Identifier: Apache-2.0
// Which engine the tests run on, and the one place a test is skipped because
// the RTL has no Verilated build of its parameters.
//
// Every harness-based test runs on the engine TOE_ENGINE names (model when
// unset; ctest's rtl.* twins set TOE_ENGINE=rtl). The RTL is Verilated for a
// fixed set of parameter combinations (sessions, data_bytes, buffer sizes,
// FIFO depths ...): a test whose EngineConfig has none is skipped on rtl,
// with a message naming the parameters, and runs normally on the model.
#pragma once

#include <memory>
#include <string>

#include "engine_factory.hpp"
#include "harness.hpp"

namespace toe::test {

// The engine the tests run on (TOE_ENGINE; a bad value throws std::invalid_argument).
sim::EngineKind engine_kind();

// Ends the running test as skipped, from any depth (a helper, a constructor):
// records GTEST_SKIP() << why and throws ::testing::AssertionException, which
// GoogleTest takes as "already reported" (TearDown still runs).
[[noreturn]] void skip_test(const std::string& why);

// make_engine(kind, cfg); when kind is rtl and no Verilated build matches cfg
// (make_rtl_engine throws std::invalid_argument), skip_test() naming cfg's
// parameters. Every other error propagates (on the model, bad parameters fail).
std::unique_ptr<model::EngineApi> make_engine_or_skip(const model::EngineConfig& cfg,
                                                      sim::EngineKind kind = engine_kind());
// A harness on make_engine_or_skip(ecfg, hcfg.engine).
std::unique_ptr<sim::Harness> make_harness_or_skip(const model::EngineConfig& ecfg, const sim::HarnessConfig& hcfg);

}  // namespace toe::test
