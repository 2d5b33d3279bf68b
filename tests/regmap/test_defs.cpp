// SPDX-License-Identifier: Apache-2.0
// The shared definitions: the C header as a C11 compiler sees it (defs_c_checks.c) and the C++
// header, each against a second reading of toe_defs.toml (defs_expected.h, written by
// gen_defs_expectations.py, not by the generator), and against each other; the counters
// against the register map's CNT_* registers.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "defs_c_checks.h"
#include "defs_expected.h"
#include "toe_defs.h"
#include "toe_defs.hpp"
#include "toe_regs_table.hpp"

namespace {

using toe::TcpState;
using toe::model::CmdOp;
using toe::model::Counter;
using toe::model::EvtType;

class DefsC : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { toe_c_defs_init(); }
};

void expect_rows(const toe_c_code_row* rows, std::size_t n, std::size_t expected_n) {
  EXPECT_EQ(n, expected_n);
  for (std::size_t i = 0; i < n; ++i) {
    const toe_c_code_row& r = rows[i];
    SCOPED_TRACE(r.macro);
    EXPECT_EQ(r.value, r.expected);
    EXPECT_STREQ(r.name, r.expected_name) << "toe_*_names[" << r.value << "]";
  }
}

TEST_F(DefsC, EveryCodeHasItsValueAndName) {
  expect_rows(toe_c_state_rows, toe_c_state_row_count, TOE_EXPECTED_STATE_COUNT);
  expect_rows(toe_c_cmd_rows, toe_c_cmd_row_count, TOE_EXPECTED_CMD_COUNT);
  expect_rows(toe_c_evt_rows, toe_c_evt_row_count, TOE_EXPECTED_EVT_COUNT);
  expect_rows(toe_c_cnt_rows, toe_c_cnt_row_count, TOE_EXPECTED_COUNTER_COUNT);
  EXPECT_STREQ(toe_c_evt_name_0(), "?") << "value 0 is no event";
}

TEST_F(DefsC, CountsWidthsAndDropMask) {
  EXPECT_EQ(toe_c_cnt_count, TOE_EXPECTED_COUNTER_COUNT);
  EXPECT_EQ(toe_c_cnt_drop_mask, toe_c_expected_drop_mask);
  EXPECT_NE(toe_c_cnt_drop_mask, 0u);
  EXPECT_EQ(toe_c_state_max + 1, TOE_EXPECTED_STATE_COUNT) << "states are 0..MAX";
  EXPECT_EQ(toe_c_cmd_max + 1, TOE_EXPECTED_CMD_COUNT) << "opcodes are 0..MAX";
  for (const auto& [max, width] : {std::pair{toe_c_state_max, toe_c_state_width},
                                   std::pair{toe_c_cmd_max, toe_c_cmd_width},
                                   std::pair{toe_c_evt_max, toe_c_evt_width},
                                   std::pair{toe_c_cnt_count, toe_c_cnt_width}}) {
    EXPECT_LT(max, 1u << width) << "every code (and counters' 'none' = COUNT) fits the width";
  }
}

TEST_F(DefsC, OpcodeAndEventSwitchesCoverExactlyTheListedCodes) {
  for (uint32_t v = 0; v < 16; ++v) {
    EXPECT_EQ(toe_c_cmd_is_known(v), v <= toe_c_cmd_max) << v;
    EXPECT_EQ(toe_c_evt_is_known(v), v >= 1 && v <= toe_c_evt_max) << v;
  }
}

TEST_F(DefsC, ParameterRangesAndDefaults) {
  EXPECT_EQ(toe_c_param_row_count, TOE_EXPECTED_PARAM_COUNT);
  for (std::size_t i = 0; i < toe_c_param_row_count; ++i) {
    const toe_c_param_row& p = toe_c_param_rows[i];
    SCOPED_TRACE(p.name);
    EXPECT_EQ(p.min, p.expected_min);
    EXPECT_EQ(p.max, p.expected_max);
    EXPECT_EQ(p.def, p.expected_def);
    EXPECT_LE(p.min, p.def);
    EXPECT_LE(p.def, p.max);
  }
  // The register map's build parameter is the same one (toe_regs.h is included too).
  EXPECT_EQ(TOE_PARAM_SESSIONS_DEFAULT, toe::regmap::kParams[0].default_value);
}

// ---- the C++ header against the expectations and the C header -------------------------------

TEST(DefsCpp, TcpStatesMatchCAndToml) {
#define CHECK_STATE(NAME, x_value)                                   \
  EXPECT_EQ(static_cast<uint32_t>(TcpState::NAME), x_value) << #NAME; \
  EXPECT_EQ(static_cast<uint32_t>(TcpState::NAME), TOE_STATE_##NAME); \
  EXPECT_STREQ(toe::to_string(TcpState::NAME), #NAME);                \
  EXPECT_STREQ(toe_state_names[TOE_STATE_##NAME], #NAME);
  TOE_EXPECTED_STATES(CHECK_STATE)
#undef CHECK_STATE
  EXPECT_STREQ(toe::to_string(static_cast<TcpState>(15)), "?");
  ASSERT_EQ(std::size(toe::defs::kStates), TOE_EXPECTED_STATE_COUNT);
  for (const auto& s : toe::defs::kStates) EXPECT_STREQ(s.name, toe::to_string(s.state));
  EXPECT_EQ(toe::defs::kStateWidth, TOE_STATE_WIDTH);
}

TEST(DefsCpp, CommandsMatchCAndToml) {
#define CHECK_CMD(UPPER, kname, str, x_value, fw)                       \
  EXPECT_EQ(static_cast<uint32_t>(CmdOp::kname), x_value) << str;       \
  EXPECT_EQ(static_cast<uint32_t>(CmdOp::kname), TOE_CMD_##UPPER) << str; \
  EXPECT_STREQ(toe::model::to_string(CmdOp::kname), str);               \
  EXPECT_STREQ(toe_cmd_names[TOE_CMD_##UPPER], str);
  TOE_EXPECTED_CMDS(CHECK_CMD)
#undef CHECK_CMD
  EXPECT_STREQ(toe::model::to_string(static_cast<CmdOp>(15)), "?");
  ASSERT_EQ(std::size(toe::defs::kCmdOps), TOE_EXPECTED_CMD_COUNT);
  std::size_t i = 0;
#define CHECK_CMD_INFO(UPPER, kname, str, x_value, fw)                              \
  EXPECT_EQ(toe::defs::kCmdOps[i].op, CmdOp::kname);                                 \
  EXPECT_STREQ(toe::defs::kCmdOps[i].name, str);                                     \
  EXPECT_EQ(toe::defs::kCmdOps[i].from == toe::defs::Party::kFirmware, fw != 0) << str; \
  ++i;
  TOE_EXPECTED_CMDS(CHECK_CMD_INFO)
#undef CHECK_CMD_INFO
  EXPECT_EQ(toe::defs::kCmdOpWidth, TOE_CMD_WIDTH);
}

TEST(DefsCpp, EventsMatchCAndToml) {
#define CHECK_EVT(UPPER, kname, str, x_value, fw)                          \
  EXPECT_EQ(static_cast<uint32_t>(EvtType::kname), x_value) << str;        \
  EXPECT_EQ(static_cast<uint32_t>(EvtType::kname), TOE_EVT_##UPPER) << str; \
  EXPECT_STREQ(toe::model::to_string(EvtType::kname), str);                \
  EXPECT_STREQ(toe_evt_names[TOE_EVT_##UPPER], str);
  TOE_EXPECTED_EVTS(CHECK_EVT)
#undef CHECK_EVT
  EXPECT_STREQ(toe::model::to_string(static_cast<EvtType>(0)), "?");
  ASSERT_EQ(std::size(toe::defs::kEvtTypes), TOE_EXPECTED_EVT_COUNT);
  std::size_t i = 0;
#define CHECK_EVT_INFO(UPPER, kname, str, x_value, fw)                                    \
  EXPECT_EQ(toe::defs::kEvtTypes[i].type, EvtType::kname);                                 \
  EXPECT_STREQ(toe::defs::kEvtTypes[i].name, str);                                         \
  EXPECT_EQ(toe::defs::kEvtTypes[i].consumer == toe::defs::Party::kFirmware, fw != 0) << str; \
  ++i;
  TOE_EXPECTED_EVTS(CHECK_EVT_INFO)
#undef CHECK_EVT_INFO
  EXPECT_EQ(toe::defs::kEvtTypeWidth, TOE_EVT_WIDTH);
}

TEST(DefsCpp, CountersMatchCAndToml) {
#define CHECK_CNT(UPPER, kname, str, x_index, drop)                           \
  EXPECT_EQ(static_cast<uint32_t>(Counter::kname), x_index) << str;          \
  EXPECT_EQ(static_cast<uint32_t>(Counter::kname), TOE_CNT_##UPPER) << str;  \
  EXPECT_STREQ(toe::model::to_string(Counter::kname), str);                  \
  EXPECT_STREQ(toe_cnt_names[TOE_CNT_##UPPER], str);                         \
  EXPECT_EQ(toe::defs::is_drop(Counter::kname), drop != 0) << str;           \
  EXPECT_EQ(((TOE_CNT_DROP_MASK >> TOE_CNT_##UPPER) & 1u) != 0, drop != 0) << str;
  TOE_EXPECTED_COUNTERS(CHECK_CNT)
#undef CHECK_CNT
  EXPECT_EQ(static_cast<uint32_t>(Counter::kCount), TOE_CNT_COUNT);
  EXPECT_STREQ(toe::model::to_string(Counter::kCount), "?");
  EXPECT_FALSE(toe::defs::is_drop(Counter::kCount));
  ASSERT_EQ(toe::defs::kCounterCount, TOE_EXPECTED_COUNTER_COUNT);
  for (std::size_t i = 0; i < toe::defs::kCounterCount; ++i) {
    const auto& c = toe::defs::kCounters[i];
    EXPECT_EQ(static_cast<std::size_t>(c.counter), i) << "kCounters is in index order";
    EXPECT_STREQ(c.name, toe::model::to_string(c.counter));
    EXPECT_NE(std::string(c.desc), "") << c.name;
  }
  EXPECT_EQ(toe::defs::kCounterWidth, TOE_CNT_WIDTH);
}

// The counters group of the register map is generated from the counters: register i of the
// group is counter i, named CNT_<NAME>, with the counter's description.
TEST(DefsCpp, EveryCounterHasItsRegister) {
  const toe::regmap::Reg* first = toe::regmap::find("CNT_FRAMES_IN");
  ASSERT_NE(first, nullptr);
  for (const auto& c : toe::defs::kCounters) {
    SCOPED_TRACE(c.name);
    ASSERT_NE(c.reg, nullptr);
    EXPECT_EQ(std::string(c.reg), "CNT_" + [&] {
      std::string u = c.name;
      for (char& ch : u) ch = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch);
      return u;
    }());
    const toe::regmap::Reg* r = toe::regmap::find(c.reg);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->offset, first->offset + 4 * static_cast<uint32_t>(c.counter));
    EXPECT_EQ(r->access, toe::regmap::Access::kRo);
    EXPECT_STREQ(r->desc, c.desc);
  }
}

// Every name the enums give is known at compile time: the to_string()s are constexpr.
static_assert(toe::to_string(TcpState::SYN_RECEIVED)[0] == 'S');
static_assert(toe::model::to_string(CmdOp::kTimeWaitExpire)[0] == 't');
static_assert(toe::model::to_string(EvtType::kAckDelayed)[0] == 'a');
static_assert(toe::model::to_string(Counter::kArpIn)[0] == 'a');
static_assert(toe::defs::is_drop(Counter::kDropBadCsum) && !toe::defs::is_drop(Counter::kFramesIn));

}  // namespace
