// SPDX-License-Identifier: Apache-2.0
// The C header, as compiled by a C11 compiler (regmap_c_checks.c), against a second reading of
// toe_regs.toml (regmap_expected.h, written by gen_expectations.py, not by the generator).
// Built twice: for the host map and, with TOE_TEST_FW_MAP, for the firmware map
// (toe_fw_regs.h against toe_fw_regs.toml; see regmap_under_test.h).
#include <gtest/gtest.h>

#include <string>

#include "regmap_c_checks.h"
#include "regmap_under_test.h"

namespace {

TEST(RegmapC, EveryRegisterHasItsOffsetResetAndAccess) {
  ASSERT_GT(toe_c_reg_row_count, 0u);
  for (size_t i = 0; i < toe_c_reg_row_count; ++i) {
    const toe_c_reg_row& r = toe_c_reg_rows[i];
    SCOPED_TRACE(std::string("register ") + r.name);
    EXPECT_EQ(r.offset, r.expected_offset) << "TOE_REG_" << r.name << "_OFFSET";
    EXPECT_EQ(r.reset, r.expected_reset) << "TOE_REG_" << r.name << "_RESET";
    EXPECT_EQ(r.access, r.expected_access) << "TOE_REG_" << r.name << "_ACCESS";
    EXPECT_EQ(r.offset % 4, 0u);
  }
}

TEST(RegmapC, RegisterCountMatches) {
  EXPECT_EQ(toe_c_reg_count, toe_c_expected_reg_count);
  EXPECT_EQ(toe_c_reg_row_count, toe_c_expected_reg_count);
}

TEST(RegmapC, EveryFieldHasItsPositionAndMask) {
  for (size_t i = 0; i < toe_c_field_row_count; ++i) {
    const toe_c_field_row& f = toe_c_field_rows[i];
    SCOPED_TRACE(std::string("field ") + f.reg + "." + f.field);
    EXPECT_EQ(f.lsb, f.expected_lsb);
    EXPECT_EQ(f.mask, f.expected_mask);
    EXPECT_EQ(f.mask >> f.lsb, f.width >= 32 ? 0xFFFFFFFFu : (1u << f.width) - 1u) << "_WIDTH";
  }
}

TEST(RegmapC, EveryFieldValueMatches) {
  for (size_t i = 0; i < toe_c_value_row_count; ++i) {
    const toe_c_value_row& v = toe_c_value_rows[i];
    SCOPED_TRACE(std::string("value ") + v.reg + "." + v.field + "." + v.value);
    EXPECT_EQ(v.actual, v.expected);
  }
}

TEST(RegmapC, EveryWindowHasItsBaseAndSize) {
  EXPECT_EQ(toe_c_window_rows[toe_c_window_row_count].name, nullptr) << "the last row is 0";
  for (size_t i = 0; i < toe_c_window_row_count; ++i) {
    const toe_c_window_row& w = toe_c_window_rows[i];
    SCOPED_TRACE(std::string("window ") + w.name);
    EXPECT_EQ(w.base, w.expected_base) << "_BASE";
    EXPECT_EQ(w.size, w.expected_size) << "_SIZE";
    EXPECT_EQ(w.base % 4, 0u);
    EXPECT_NE(w.size, 0u);
    EXPECT_EQ(w.size & (w.size - 1), 0u) << "a power of two";
    for (size_t j = 0; j < toe_c_reg_row_count; ++j) {
      const toe_c_reg_row& r = toe_c_reg_rows[j];
      EXPECT_FALSE(r.offset - w.base < w.size) << "register " << r.name << " inside the window";
    }
  }
}

TEST(RegmapC, DeviceIdentityIsTypeAndVersionResets) {
  EXPECT_EQ(toe_c_device_type, TOE_T_DEVICE_TYPE_PIN) << TOE_T_MAP_NAME;
  bool type_seen = false;
  bool version_seen = false;
  for (size_t i = 0; i < toe_c_reg_row_count; ++i) {
    const toe_c_reg_row& r = toe_c_reg_rows[i];
    if (std::string(r.name) == "TYPE") {
      type_seen = true;
      EXPECT_EQ(r.offset, 0x000u);
      EXPECT_EQ(r.reset, toe_c_device_type);
    } else if (std::string(r.name) == "VERSION") {
      version_seen = true;
      EXPECT_EQ(r.offset, 0x004u);
      EXPECT_EQ(r.reset, toe_c_device_version);
    }
  }
  EXPECT_TRUE(type_seen);
  EXPECT_TRUE(version_seen);
}

TEST(RegmapC, OffsetSwitchCoversExactlyTheRegisters) {
  size_t mapped = 0;
  for (uint32_t off = 0; off < 0x10000u; ++off) {
    mapped += toe_c_offset_is_mapped(off) ? 1 : 0;
  }
  EXPECT_EQ(mapped, toe_c_reg_row_count);
}

TEST(RegmapC, FieldHelpers) {
  EXPECT_EQ(toe_c_field_get_version_minor(0x00030201u), 0x02u);
  EXPECT_EQ(toe_c_field_prep_last_error_code(0x3u), 0x3u);
  EXPECT_EQ(toe_c_field_prep_last_error_code(0x13u), 0x3u);  // masked to the 4-bit field
}

}  // namespace
