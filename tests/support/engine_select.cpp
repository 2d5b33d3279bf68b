// SPDX-License-Identifier: Apache-2.0
#include "engine_select.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <utility>

namespace toe::test {
namespace {

void record_skip(const std::string& why) { GTEST_SKIP() << why; }

}  // namespace

sim::EngineKind engine_kind() { return sim::engine_kind_from_env(); }

void skip_test(const std::string& why) {
  record_skip(why);
  throw ::testing::AssertionException(
      ::testing::TestPartResult(::testing::TestPartResult::kSkip, __FILE__, __LINE__, why.c_str()));
}

std::unique_ptr<model::EngineApi> make_engine_or_skip(const model::EngineConfig& cfg, sim::EngineKind kind) {
  if (kind != sim::EngineKind::kRtl) return sim::make_engine(kind, cfg);
  try {
    return sim::make_engine(kind, cfg);
  } catch (const std::invalid_argument& e) {
    skip_test("engine rtl: no Verilated build of the RTL for " + sim::engine_parameters_str(cfg) + " (" + e.what() +
              ")");
  }
}

std::unique_ptr<sim::Harness> make_harness_or_skip(const model::EngineConfig& ecfg, const sim::HarnessConfig& hcfg) {
  return std::make_unique<sim::Harness>(make_engine_or_skip(ecfg, hcfg.engine), hcfg);
}

}  // namespace toe::test
