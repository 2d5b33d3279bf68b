// SPDX-License-Identifier: Apache-2.0
// The one validation of the build parameters, toe::params::check (toe_defs.hpp): every default
// is accepted, every rule refuses its violation with a message naming the parameter, the rule
// and the value, and today's configurations keep passing.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "defs_expected.h"
#include "toe_defs.h"
#include "toe_defs.hpp"

namespace {

using toe::params::check;
using toe::params::kParams;
using toe::params::Scope;
using toe::params::Values;

constexpr uint32_t kNoMax = 0xFFFFFFFFu;

// A struct shaped like model::EngineConfig: the same parameter fields, in another order, among
// others (values_of must not care).
struct FakeEngineConfig {
  uint32_t max_half_open = 0;
  uint32_t rx_slots = 16;
  uint32_t sessions = 16;
  uint16_t mss = 1460;
  uint32_t data_bytes = 8;
  uint32_t rx_buf_bytes = 16384;
  uint32_t tx_buf_bytes = 16384;
  uint32_t listen_entries = 16;
  uint32_t rsp_fifo_depth = 64;
  uint32_t evt_fifo_depth = 4096;
};

Values with(const char* field, uint32_t v) {
  Values out;
  for (const auto& p : kParams) {
    if (std::string(p.field) == field) out.*p.member = v;
  }
  return out;
}

TEST(DefsParams, DefaultsAreValidInBothScopes) {
  EXPECT_EQ(check(Values{}), "");
  EXPECT_EQ(check(Values{}, Scope::kBlock), "");
  EXPECT_EQ(check(toe::params::values_of(FakeEngineConfig{})), "");
  for (const auto& p : kParams) {
    SCOPED_TRACE(p.name);
    EXPECT_EQ(Values{}.*p.member, p.default_value) << "Values' initialiser is the default";
  }
}

TEST(DefsParams, TableMatchesTheTomlAndTheCHeader) {
  ASSERT_EQ(toe::params::kParamCount, TOE_EXPECTED_PARAM_COUNT);
  std::size_t i = 0;
#define CHECK_PARAM(UPPER, x_field, str, x_def, x_min, x_max)           \
  EXPECT_STREQ(kParams[i].name, str);                                   \
  EXPECT_STREQ(kParams[i].field, #x_field);                             \
  EXPECT_EQ(kParams[i].member, &Values::x_field) << str;                \
  EXPECT_EQ(kParams[i].default_value, x_def) << str;                    \
  EXPECT_EQ(kParams[i].engine.min, x_min) << str;                       \
  EXPECT_EQ(kParams[i].engine.max, x_max) << str;                       \
  EXPECT_EQ(kParams[i].engine.min, TOE_PARAM_##UPPER##_MIN) << str;     \
  EXPECT_EQ(kParams[i].engine.max, TOE_PARAM_##UPPER##_MAX) << str;     \
  EXPECT_EQ(kParams[i].default_value, TOE_PARAM_##UPPER##_DEFAULT) << str; \
  ++i;
  TOE_EXPECTED_PARAMS(CHECK_PARAM)
#undef CHECK_PARAM
}

TEST(DefsParams, EngineRulesIncludeTheBlockRules) {
  for (const auto& p : kParams) {
    SCOPED_TRACE(p.name);
    EXPECT_GE(p.engine.min, p.block.min);
    EXPECT_LE(p.engine.max, p.block.max);
    EXPECT_TRUE(p.engine.power_of_two || !p.block.power_of_two);
    EXPECT_TRUE(p.engine.even || !p.block.even);
    EXPECT_TRUE(p.block.multiple_of == 0 || p.engine.multiple_of % p.block.multiple_of == 0);
  }
}

// Each rule of each parameter, broken on its own (every other parameter at its default), is
// refused with "EngineConfig.<field> must be <rule>, got <value>"; the value just inside the
// rule is accepted.
TEST(DefsParams, EveryRuleRefusesItsViolationNamingTheParameter) {
  int broken = 0;
  for (Scope scope : {Scope::kBlock, Scope::kEngine}) {
    for (const auto& p : kParams) {
      const toe::params::Rules& r = p.rules(scope);
      const std::string field = p.field;
      SCOPED_TRACE(field + (scope == Scope::kEngine ? " (engine)" : " (block)"));
      auto expect_refused = [&](uint32_t v, const std::string& must) {
        EXPECT_EQ(check(with(p.field, v), scope),
                  "EngineConfig." + field + " must be " + must + ", got " + std::to_string(v));
        ++broken;
      };
      const std::string range = r.max == kNoMax ? ">= " + std::to_string(r.min)
                                                : std::to_string(r.min) + ".." + std::to_string(r.max);
      if (r.min > 0) {
        expect_refused(r.min - 1, range);
        EXPECT_EQ(check(with(p.field, r.min), scope), "") << "min itself is valid";
      }
      if (r.max != kNoMax) {
        expect_refused(r.max + 1, range);
        EXPECT_EQ(check(with(p.field, r.max), scope), "") << "max itself is valid";
      }
      if (r.power_of_two) expect_refused(3 * r.min, "a power of two");
      if (r.even) expect_refused(r.min + 1, "even");
      if (r.multiple_of != 0) {
        expect_refused(r.min + r.multiple_of / 2, "a multiple of " + std::to_string(r.multiple_of));
      }
    }
  }
  EXPECT_GT(broken, 20);
}

// The same cases written out by hand, so that a wrong table cannot pass by agreeing with itself;
// the messages are those the RTL's toe_param_check gives (after "toe_top: <Name>").
TEST(DefsParams, MessagesNameFieldRuleAndValue) {
  EXPECT_EQ(check(with("sessions", 7)), "EngineConfig.sessions must be even, got 7");
  EXPECT_EQ(check(with("sessions", 0)), "EngineConfig.sessions must be 2..65536, got 0");
  EXPECT_EQ(check(with("sessions", 65538)), "EngineConfig.sessions must be 2..65536, got 65538");
  EXPECT_EQ(check(with("data_bytes", 3)), "EngineConfig.data_bytes must be a power of two, got 3");
  EXPECT_EQ(check(with("data_bytes", 128)), "EngineConfig.data_bytes must be 1..64, got 128");
  EXPECT_EQ(check(with("rx_buf_bytes", 1000)), "EngineConfig.rx_buf_bytes must be a power of two, got 1000");
  EXPECT_EQ(check(with("tx_buf_bytes", 32)), "EngineConfig.tx_buf_bytes must be >= 64, got 32");
  EXPECT_EQ(check(with("listen_entries", 0)), "EngineConfig.listen_entries must be >= 1, got 0");
  EXPECT_EQ(check(with("rsp_fifo_depth", 7)), "EngineConfig.rsp_fifo_depth must be >= 8, got 7");
  EXPECT_EQ(check(with("evt_fifo_depth", 16)), "EngineConfig.evt_fifo_depth must be >= 32, got 16");
  EXPECT_EQ(check(with("evt_fifo_depth", 36)), "EngineConfig.evt_fifo_depth must be a multiple of 8, got 36");
  // Exactly the text tests/conformance/test_engine_select.cpp expects from the model today.
  for (uint32_t slots : {0u, 3u, 17u}) {
    EXPECT_EQ(check(with("rx_slots", slots)),
              "EngineConfig.rx_slots must be 4..16, got " + std::to_string(slots));
  }
  // The first broken parameter, in declaration order, is the one reported.
  Values two = with("sessions", 7);
  two.rx_slots = 3;
  EXPECT_EQ(check(two), "EngineConfig.sessions must be even, got 7");
}

// Configurations in use when the rules were written (tests/, sim/, bench/): the Verilated
// toe_top builds and every whole-engine test are valid engines; single-stage lockstep tests
// build model::Tables with values only a block accepts.
TEST(DefsParams, TodaysConfigurationsStayValid) {
  struct Build {
    uint32_t s, d, rx, tx, l, rsp, evt, slots;
  };
  // sim/rtl_engine TOE_RTL_BUILDS, and the engines of tests/ (engine_fixture, test_scale,
  // test_pipeline, oracle, lockstep/top) and bench_model's smallest.
  const std::vector<Build> engines = {
      {16, 8, 16384, 16384, 16, 64, 4096, 16}, {16, 8, 65536, 65536, 16, 64, 4096, 16},
      {4, 8, 4096, 4096, 16, 64, 4096, 16},    {16, 8, 64, 65536, 16, 64, 4096, 16},
      {16, 8, 4096, 65536, 16, 64, 4096, 16},  {16, 8, 256, 256, 16, 64, 4096, 16},
      {16, 1, 16384, 16384, 16, 64, 4096, 16}, {16, 1, 65536, 65536, 16, 64, 4096, 16},
      {16, 64, 65536, 65536, 16, 64, 4096, 16}, {16, 1, 16384, 16384, 16, 64, 4096, 4},
      {48, 1, 16384, 16384, 16, 64, 4096, 6},  {1024, 64, 1024, 1024, 16, 64, 4096, 16},
      {65536, 8, 256, 256, 16, 64, 4096, 16},  {65536, 8, 16384, 16384, 16, 64, 4096, 16},
  };
  for (const Build& b : engines) {
    const Values v{b.s, b.d, b.rx, b.tx, b.l, b.rsp, b.evt, b.slots};
    EXPECT_EQ(check(v), "") << "sessions " << b.s << " data_bytes " << b.d;
  }
  // Blocks on their own: toe_conn_lookup / toe_tx_build lockstep (Sessions 1, 3, 5, 100),
  // tcp_fsm lockstep (4-entry response and event queues).
  for (uint32_t s : {1u, 2u, 3u, 4u, 5u, 100u, 65536u}) {
    EXPECT_EQ(check(with("sessions", s), Scope::kBlock), "") << s;
  }
  Values fsm;
  fsm.listen_entries = 4;
  fsm.rsp_fifo_depth = 4;
  fsm.evt_fifo_depth = 4;
  EXPECT_EQ(check(fsm, Scope::kBlock), "");
  EXPECT_EQ(check(fsm), "EngineConfig.rsp_fifo_depth must be >= 8, got 4") << "not a whole engine";
  EXPECT_EQ(check(with("sessions", 1)), "EngineConfig.sessions must be 2..65536, got 1");
}

TEST(DefsParams, ValuesOfCopiesEveryParameterByName) {
  FakeEngineConfig c;
  c.sessions = 48;
  c.data_bytes = 1;
  c.rx_buf_bytes = 64;
  c.tx_buf_bytes = 128;
  c.listen_entries = 3;
  c.rsp_fifo_depth = 9;
  c.evt_fifo_depth = 40;
  c.rx_slots = 6;
  constexpr Values kDefaults = toe::params::values_of(FakeEngineConfig{});
  static_assert(kDefaults.sessions == 16 && kDefaults.rx_slots == 16);
  const Values v = toe::params::values_of(c);
  EXPECT_EQ(v.sessions, 48u);
  EXPECT_EQ(v.data_bytes, 1u);
  EXPECT_EQ(v.rx_buf_bytes, 64u);
  EXPECT_EQ(v.tx_buf_bytes, 128u);
  EXPECT_EQ(v.listen_entries, 3u);
  EXPECT_EQ(v.rsp_fifo_depth, 9u);
  EXPECT_EQ(v.evt_fifo_depth, 40u);
  EXPECT_EQ(v.rx_slots, 6u);
  EXPECT_EQ(check(v), "");
}

}  // namespace
