// SPDX-License-Identifier: Apache-2.0
// Engine selection (sim/harness/engine_factory.hpp, tests/support/engine_select.hpp):
// model|rtl by name or TOE_ENGINE, the factory's errors, and that the harness
// and the fixture run the engine TOE_ENGINE names.
#include <cstdlib>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

#include "engine_fixture.hpp"

using namespace toe;
using namespace toe::test;

namespace {

// Sets TOE_ENGINE for the scope and puts the previous value back.
class ScopedEngineEnv {
 public:
  explicit ScopedEngineEnv(const char* value) {
    if (const char* old = std::getenv(sim::kEngineEnvVar)) old_ = old;
    setenv(sim::kEngineEnvVar, value, 1);
  }
  ~ScopedEngineEnv() {
    if (old_)
      setenv(sim::kEngineEnvVar, old_->c_str(), 1);
    else
      unsetenv(sim::kEngineEnvVar);
  }
  ScopedEngineEnv(const ScopedEngineEnv&) = delete;
  ScopedEngineEnv& operator=(const ScopedEngineEnv&) = delete;

 private:
  std::optional<std::string> old_;
};

std::string what_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(EngineSelect, ParsesModelAndRtlAndNamesABadValue) {
  EXPECT_EQ(sim::parse_engine_kind("model"), sim::EngineKind::kModel);
  EXPECT_EQ(sim::parse_engine_kind("rtl"), sim::EngineKind::kRtl);
  EXPECT_STREQ(sim::to_string(sim::EngineKind::kRtl), "rtl");
  EXPECT_THROW(sim::parse_engine_kind("verilog"), std::invalid_argument);
  const std::string w = what_of([] { sim::parse_engine_kind("verilog"); });
  EXPECT_NE(w.find("'verilog'"), std::string::npos) << w;
  EXPECT_NE(w.find("model or rtl"), std::string::npos) << w;
  EXPECT_THROW(sim::parse_engine_kind(""), std::invalid_argument);
}

TEST(EngineSelect, EnvironmentVariableUnsetOrEmptyIsTheModel) {
  {
    ScopedEngineEnv e("");
    EXPECT_EQ(sim::engine_kind_from_env(), sim::EngineKind::kModel);
    EXPECT_EQ(sim::HarnessConfig{}.engine, sim::EngineKind::kModel);
  }
  {
    ScopedEngineEnv e("rtl");
    EXPECT_EQ(sim::engine_kind_from_env(), sim::EngineKind::kRtl);
    EXPECT_EQ(sim::HarnessConfig{}.engine, sim::EngineKind::kRtl);
  }
  {
    ScopedEngineEnv e("Model");
    EXPECT_THROW(sim::engine_kind_from_env(), std::invalid_argument);
    const std::string w = what_of([] { sim::engine_kind_from_env(); });
    EXPECT_NE(w.find("TOE_ENGINE"), std::string::npos) << w;
    EXPECT_NE(w.find("'Model'"), std::string::npos) << w;
    EXPECT_NE(w.find("model or rtl"), std::string::npos) << w;
  }
}

TEST(EngineSelect, TheFactoryMakesTheModelAndItRefusesBadParameters) {
  const auto e = sim::make_engine(sim::EngineKind::kModel, model::EngineConfig{});
  EXPECT_STREQ(e->kind(), "model");
  EXPECT_EQ(e->cycle(), 0u);
  model::EngineConfig bad;
  bad.data_bytes = 3;
  EXPECT_THROW(sim::make_engine(sim::EngineKind::kModel, bad), std::invalid_argument);
  // On the model a bad parameter is a failure, never a skip.
  EXPECT_THROW(make_engine_or_skip(bad, sim::EngineKind::kModel), std::invalid_argument);
  EXPECT_NE(sim::engine_parameters_str(model::EngineConfig{}).find("sessions=16 data_bytes=8"), std::string::npos);
  // rx_slots: 4..16 (three frames in flight plus one; a 4-bit slot number), named in the error.
  for (uint32_t slots : {0u, 3u, 17u}) {
    model::EngineConfig c;
    c.rx_slots = slots;
    const std::string w = what_of([&] { sim::make_engine(sim::EngineKind::kModel, c); });
    EXPECT_EQ(w, "EngineConfig.rx_slots must be 4..16, got " + std::to_string(slots));
  }
  for (uint32_t slots : {4u, 6u, 16u}) {
    model::EngineConfig c;
    c.rx_slots = slots;
    EXPECT_NO_THROW(sim::make_engine(sim::EngineKind::kModel, c)) << slots;
  }
}

TEST(EngineSelect, RtlInABuildWithoutTheRtlEngineSaysSo) {
  if (sim::rtl_engine_built()) GTEST_SKIP() << "this build has the RTL engine";
  const std::string w = what_of([] { sim::make_engine(sim::EngineKind::kRtl, model::EngineConfig{}); });
  EXPECT_EQ(w, "--engine rtl: this build has no RTL engine (sim/rtl_engine not built)");
  EXPECT_THROW(sim::make_engine(sim::EngineKind::kRtl, model::EngineConfig{}), sim::EngineUnavailable);
  // Not a skip either: asking for an engine the build lacks is an error.
  EXPECT_THROW(make_engine_or_skip(model::EngineConfig{}, sim::EngineKind::kRtl), std::runtime_error);
}

class EngineSelectFixture : public EngineTest {};

TEST_F(EngineSelectFixture, TheFixtureRunsTheEngineToeEngineNames) {
  start();
  EXPECT_STREQ(h->engine().kind(), sim::to_string(engine_kind()));
  EXPECT_EQ(h->engine().sessions(), ecfg.sessions);
  EXPECT_EQ(h->engine().rx_buf_bytes(), ecfg.rx_buf_bytes);
}
