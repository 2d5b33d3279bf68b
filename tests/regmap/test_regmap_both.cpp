// SPDX-License-Identifier: Apache-2.0
// The host map (toe_regs.h, toe_regs_table.hpp: toe::regmap) and the firmware map
// (toe_fw_regs.h, toe_fw_regs_table.hpp: toe::fw_regmap) in one translation unit, with the
// definitions: nothing is defined twice, the two tables share the types of
// toe_regmap_types.hpp (so code can be templated over the map), and each map's own symbols
// stay in its namespace. The same for C (regmap_both_c.c, both include orders).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "regmap_both_c.h"
#include "toe_defs.h"
#include "toe_defs.hpp"
#include "toe_fw_regs.h"
#include "toe_fw_regs_table.hpp"
#include "toe_regs.h"
#include "toe_regs_table.hpp"

namespace {

// The types are one set: a function written against them takes either map's table.
static_assert(std::is_same_v<toe::regmap::Reg, toe::fw_regmap::Reg>);
static_assert(std::is_same_v<toe::regmap::Field, toe::fw_regmap::Field>);
static_assert(std::is_same_v<toe::regmap::Access, toe::fw_regmap::Access>);
static_assert(std::is_same_v<toe::regmap::Source, toe::fw_regmap::Source>);
static_assert(std::is_same_v<toe::regmap::Param, toe::fw_regmap::Param>);
static_assert(std::is_same_v<toe::regmap::Window, toe::fw_regmap::Window>);
static_assert(std::is_same_v<toe::regmap::PortBits, toe::fw_regmap::PortBits>);
// Each map's field values are its own.
static_assert(!std::is_same_v<toe::regmap::LastErrorCode, toe::fw_regmap::LastErrorCode>);

// A map as a template argument: the way a register block written once serves both ports.
struct HostMap {
  static constexpr const toe::regmap::Reg* regs = toe::regmap::kRegs;
  static constexpr std::size_t count = toe::regmap::kRegCount;
  static constexpr std::uint32_t addr_width = toe::regmap::kAddrWidth;
  static constexpr const toe::regmap::Reg* find(std::uint32_t off) {
    return toe::regmap::find(off);
  }
};
struct FwMap {
  static constexpr const toe::regmap::Reg* regs = toe::fw_regmap::kRegs;
  static constexpr std::size_t count = toe::fw_regmap::kRegCount;
  static constexpr std::uint32_t addr_width = toe::fw_regmap::kAddrWidth;
  static constexpr const toe::regmap::Reg* find(std::uint32_t off) {
    return toe::fw_regmap::find(off);
  }
};

template <typename Map>
constexpr std::size_t writable_count() {
  std::size_t n = 0;
  for (std::size_t i = 0; i < Map::count; ++i) {
    n += Map::regs[i].sw_writable() ? 1 : 0;
  }
  return n;
}

template <typename Map>
void check_map(std::uint32_t device_type, std::uint32_t c_count) {
  EXPECT_EQ(Map::count, c_count);
  ASSERT_GE(Map::count, 2u);
  EXPECT_STREQ(Map::regs[0].name, "TYPE");
  EXPECT_EQ(Map::regs[0].reset, device_type);
  EXPECT_GT(writable_count<Map>(), 0u);
  for (std::size_t i = 0; i < Map::count; ++i) {
    EXPECT_EQ(Map::find(Map::regs[i].offset), &Map::regs[i]) << Map::regs[i].name;
    EXPECT_LT(Map::regs[i].offset, 1u << Map::addr_width);
  }
}

TEST(RegmapBoth, TemplatedOverTheMap) {
  check_map<HostMap>(TOE_DEVICE_TYPE, TOE_REG_COUNT);
  check_map<FwMap>(TOE_FW_DEVICE_TYPE, TOE_FW_REG_COUNT);
  static_assert(writable_count<HostMap>() > 0, "usable at compile time");
}

TEST(RegmapBoth, EachMapHasItsOwnNames) {
  EXPECT_NE(TOE_DEVICE_TYPE, TOE_FW_DEVICE_TYPE) << "the two ports tell themselves apart";
  EXPECT_EQ(toe::regmap::kDeviceType, TOE_DEVICE_TYPE);
  EXPECT_EQ(toe::fw_regmap::kDeviceType, TOE_FW_DEVICE_TYPE);
  EXPECT_EQ(toe::fw_regmap::kDeviceVersion, TOE_FW_DEVICE_VERSION);
  EXPECT_EQ(toe::regmap::kAddrWidth, TOE_REG_ADDR_WIDTH);
  EXPECT_EQ(toe::fw_regmap::kAddrWidth, TOE_FW_REG_ADDR_WIDTH);
  EXPECT_EQ(toe::fw_regmap::kRegCount, TOE_FW_REG_COUNT);
  const toe::regmap::Reg* fw_le = toe::fw_regmap::find(std::string_view("LAST_ERROR"));
  ASSERT_NE(fw_le, nullptr);
  EXPECT_EQ(fw_le->offset, TOE_FW_REG_LAST_ERROR_OFFSET);
  EXPECT_EQ(toe::fw_regmap::kBusErrorOffset, TOE_FW_REG_LAST_ERROR_OFFSET);
  EXPECT_EQ(toe::regmap::kBusErrorOffset, TOE_REG_LAST_ERROR_OFFSET);
  EXPECT_EQ(static_cast<unsigned>(toe::fw_regmap::LastErrorCode::kUnmapped),
            TOE_FW_REG_LAST_ERROR_CODE_UNMAPPED);
  // The firmware port's parameter defaults are the definitions'.
  EXPECT_EQ(TOE_FW_PARAM_SESSIONS_DEFAULT, TOE_PARAM_SESSIONS_DEFAULT);
  EXPECT_EQ(toe::fw_regmap::find(std::string_view("SESSIONS"))->reset,
            TOE_FW_PARAM_SESSIONS_DEFAULT);
}

TEST(RegmapBoth, AccessCodesAreShared) {
  EXPECT_EQ(static_cast<unsigned>(toe::fw_regmap::Access::kRc), TOE_ACCESS_RC);
  EXPECT_EQ(static_cast<unsigned>(toe::fw_regmap::Access::kW1c), TOE_ACCESS_W1C);
  EXPECT_EQ(TOE_FW_REG_LAST_ERROR_ACCESS, TOE_ACCESS_RC);
}

void check_c_row(const toe_both_c_row& r, const char* order) {
  SCOPED_TRACE(order);
  EXPECT_EQ(r.host_type, TOE_DEVICE_TYPE);
  EXPECT_EQ(r.fw_type, TOE_FW_DEVICE_TYPE);
  EXPECT_EQ(r.host_count, TOE_REG_COUNT);
  EXPECT_EQ(r.fw_count, TOE_FW_REG_COUNT);
  EXPECT_EQ(r.host_last_error, TOE_REG_LAST_ERROR_OFFSET);
  EXPECT_EQ(r.fw_last_error, TOE_FW_REG_LAST_ERROR_OFFSET);
  EXPECT_EQ(r.host_major_3, 3u << TOE_REG_VERSION_MAJOR_LSB);
  EXPECT_EQ(r.fw_major_3, 3u << TOE_FW_REG_VERSION_MAJOR_LSB);
  EXPECT_EQ(r.access_rc, 3u);
  EXPECT_EQ(r.fw_last_error_access, 3u);
}

TEST(RegmapBoth, CHeadersTogetherInEitherOrder) {
  check_c_row(toe_both_c_host_first, "toe_regs.h first");
  check_c_row(toe_both_c_fw_first, "toe_fw_regs.h first");
}

}  // namespace
