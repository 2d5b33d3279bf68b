// SPDX-License-Identifier: Apache-2.0
// The C++ table (toe_regs_table.hpp) against the C header (toe_regs.h), and the table's own
// invariants: sorted, aligned, no overlaps, masks consistent with fields, find() exact. Built
// twice: for the host map and, with TOE_TEST_FW_MAP, for the firmware map (toe_fw_regs.h,
// toe::fw_regmap; see regmap_under_test.h).
#include <gtest/gtest.h>

#include <cstdint>
#include <iterator>
#include <set>
#include <string>

#include "regmap_expected.h"
#include "regmap_under_test.h"

namespace {

using toe_t_map::Access;
using toe_t_map::Field;
using toe_t_map::kRegCount;
using toe_t_map::kRegs;
using toe_t_map::Reg;

std::uint32_t width_mask(std::uint32_t width) {
  return width >= 32 ? 0xFFFFFFFFu : (1u << width) - 1u;
}

TEST(RegmapTable, AccessEnumMatchesC) {
  EXPECT_EQ(static_cast<unsigned>(Access::kRw), TOE_ACCESS_RW);
  EXPECT_EQ(static_cast<unsigned>(Access::kRo), TOE_ACCESS_RO);
  EXPECT_EQ(static_cast<unsigned>(Access::kW1c), TOE_ACCESS_W1C);
  EXPECT_EQ(static_cast<unsigned>(Access::kRc), TOE_ACCESS_RC);
}

TEST(RegmapTable, ConstantsMatchC) {
  EXPECT_EQ(kRegCount, TOE_T_REG(COUNT));
  EXPECT_EQ(toe_t_map::kDeviceType, TOE_T_TOP(DEVICE_TYPE));
  EXPECT_EQ(toe_t_map::kDeviceVersion, TOE_T_TOP(DEVICE_VERSION));
  EXPECT_EQ(1u << toe_t_map::kAddrWidth, TOE_T_REG(WINDOW_SIZE));
}

// One entry per register named in the expectations: the table agrees with the C macros.
TEST(RegmapTable, EveryRegisterMatchesTheCHeader) {
  std::set<std::string> named;
#define CHECK_REG(name, x_offset, x_reset, x_access)                       \
  {                                                                        \
    SCOPED_TRACE("register " #name);                                       \
    named.insert(#name);                                                   \
    const Reg* r = toe_t_map::find(std::string_view(#name));               \
    ASSERT_NE(r, nullptr) << #name " missing from kRegs";                  \
    EXPECT_EQ(r->offset, TOE_T_REG(name##_OFFSET));                        \
    EXPECT_EQ(r->reset, TOE_T_REG(name##_RESET));                          \
    EXPECT_EQ(static_cast<unsigned>(r->access), TOE_T_REG(name##_ACCESS)); \
    EXPECT_EQ(toe_t_map::find(TOE_T_REG(name##_OFFSET)), r);               \
    EXPECT_EQ(r->offset, x_offset);                                        \
    EXPECT_EQ(r->reset, x_reset);                                          \
    EXPECT_EQ(static_cast<unsigned>(r->access), TOE_ACCESS_##x_access);    \
  }
  TOE_EXPECTED_REGS(CHECK_REG)
#undef CHECK_REG
  for (const Reg& r : kRegs) {
    EXPECT_TRUE(named.count(r.name)) << "kRegs has " << r.name << ", the TOML does not";
  }
}

TEST(RegmapTable, EveryFieldMatchesTheCHeader) {
#define CHECK_FIELD(reg, field, x_lsb, x_mask)                           \
  {                                                                      \
    SCOPED_TRACE("field " #reg "." #field);                              \
    const Reg* r = toe_t_map::find(std::string_view(#reg));              \
    ASSERT_NE(r, nullptr);                                               \
    const Field* f = nullptr;                                            \
    for (std::size_t i = 0; i < r->field_count; ++i) {                   \
      if (std::string(r->fields[i].name) == #field) {                    \
        f = &r->fields[i];                                               \
      }                                                                  \
    }                                                                    \
    ASSERT_NE(f, nullptr) << #field " missing from the table";           \
    EXPECT_EQ(f->lsb, TOE_T_REG(reg##_##field##_LSB));                   \
    EXPECT_EQ(f->width, TOE_T_REG(reg##_##field##_WIDTH));               \
    EXPECT_EQ(f->mask(), TOE_T_REG(reg##_##field##_MASK));               \
    EXPECT_EQ(f->reset, (TOE_T_REG(reg##_RESET) & f->mask()) >> f->lsb); \
    EXPECT_EQ(f->lsb, x_lsb);                                            \
    EXPECT_EQ(f->mask(), x_mask);                                        \
  }
  TOE_EXPECTED_FIELDS(CHECK_FIELD)
#undef CHECK_FIELD
}

TEST(RegmapTable, SortedAlignedWithoutOverlap) {
  ASSERT_GT(kRegCount, 2u);
  for (std::size_t i = 0; i < kRegCount; ++i) {
    SCOPED_TRACE(kRegs[i].name);
    EXPECT_EQ(kRegs[i].offset % 4, 0u);
    EXPECT_LT(kRegs[i].offset, 1u << toe_t_map::kAddrWidth);
    if (i > 0) {
      EXPECT_GE(kRegs[i].offset, kRegs[i - 1].offset + 4) << "after " << kRegs[i - 1].name;
    }
  }
  EXPECT_STREQ(kRegs[0].name, "TYPE");
  EXPECT_STREQ(kRegs[1].name, "VERSION");
}

TEST(RegmapTable, FieldsAndMasksAreConsistent) {
  for (const Reg& r : kRegs) {
    SCOPED_TRACE(r.name);
    std::uint32_t all = 0, rw = 0, w1c = 0, rc = 0, sc = 0;
    for (std::size_t i = 0; i < r.field_count; ++i) {
      const Field& f = r.fields[i];
      SCOPED_TRACE(f.name);
      ASSERT_GE(f.width, 1u);
      ASSERT_LE(f.lsb + f.width, 32u);
      EXPECT_EQ(all & f.mask(), 0u) << "fields overlap";
      EXPECT_EQ(f.reset & ~width_mask(f.width), 0u);
      all |= f.mask();
      rw |= f.access == Access::kRw ? f.mask() : 0;
      w1c |= f.access == Access::kW1c ? f.mask() : 0;
      rc |= f.access == Access::kRc ? f.mask() : 0;
      sc |= f.self_clear ? f.mask() : 0;
      if (f.self_clear) {
        EXPECT_EQ(f.access, Access::kRw);
      }
    }
    if (r.field_count == 0) {
      // One implicit field from bit 0 with the register's access.
      EXPECT_EQ(r.fields, nullptr);
      EXPECT_NE(r.read_mask, 0u);
      EXPECT_EQ(r.read_mask & (r.read_mask + 1), 0u) << "implicit field must start at bit 0";
      all = r.read_mask;
      rw = r.access == Access::kRw ? all : 0;
      w1c = r.access == Access::kW1c ? all : 0;
      rc = r.access == Access::kRc ? all : 0;
    }
    EXPECT_EQ(r.read_mask, all & ~sc) << "self-clearing bits read as 0";
    EXPECT_EQ(r.write_mask, rw);
    EXPECT_EQ(r.w1c_mask, w1c);
    EXPECT_EQ(r.rc_mask, rc);
    EXPECT_EQ(r.self_clear_mask, sc);
    EXPECT_EQ(r.reset & ~r.read_mask, 0u) << "reset sets unimplemented bits";
  }
}

TEST(RegmapTable, ResetParamsNameDeclaredParams) {
  int with_param = 0;
  for (const Reg& r : kRegs) {
    if (r.reset_param == nullptr) continue;
    SCOPED_TRACE(r.name);
    ++with_param;
    EXPECT_EQ(r.access, Access::kRo);
    EXPECT_EQ(r.source, toe_t_map::Source::kConst);
    bool found = false;
    for (const auto& p : toe_t_map::kParams) {
      if (std::string(p.name) == r.reset_param) {
        found = true;
        EXPECT_EQ(r.reset, p.default_value);
      }
    }
    EXPECT_TRUE(found) << r.reset_param;
  }
  EXPECT_GE(with_param, 1);  // SESSIONS
  EXPECT_STREQ(toe_t_map::find(std::string_view("SESSIONS"))->reset_param, "Sessions");
}

TEST(RegmapTable, FindIsExact) {
  std::set<std::uint32_t> offsets;
  for (const Reg& r : kRegs) offsets.insert(r.offset);
  for (std::uint32_t off = 0; off < (1u << toe_t_map::kAddrWidth); ++off) {
    const Reg* r = toe_t_map::find(off);
    if (offsets.count(off)) {
      ASSERT_NE(r, nullptr) << off;
      EXPECT_EQ(r->offset, off);
    } else {
      EXPECT_EQ(r, nullptr) << "hole or misaligned offset " << off;
    }
  }
  EXPECT_EQ(toe_t_map::find(std::string_view("NO_SUCH_REGISTER")), nullptr);
  static_assert(toe_t_map::find(TOE_T_REG(VERSION_OFFSET))->offset == TOE_T_REG(VERSION_OFFSET),
                "find() is constexpr");
}

TEST(RegmapTable, BusErrorRegisterIsLastError) {
  const Reg* r = toe_t_map::find(toe_t_map::kBusErrorOffset);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->source, toe_t_map::Source::kBusError);
  EXPECT_EQ(r->offset, TOE_T_REG(LAST_ERROR_OFFSET));
  EXPECT_EQ(static_cast<unsigned>(toe_t_map::LastErrorCode::kUnmapped),
            TOE_T_REG(LAST_ERROR_CODE_UNMAPPED));
  EXPECT_EQ(static_cast<unsigned>(toe_t_map::LastErrorCode::kMisaligned),
            TOE_T_REG(LAST_ERROR_CODE_MISALIGNED));
#ifndef TOE_TEST_FW_MAP
  EXPECT_EQ(static_cast<unsigned>(toe_t_map::LastErrorCode::kBadSize),
            TOE_T_REG(LAST_ERROR_CODE_BAD_SIZE));
#endif
}

// One entry per window group of the TOML: the table agrees with the C macros; find_window()
// finds a window's first and last byte and nothing around it; no register lies in a window.
TEST(RegmapTable, EveryWindowMatchesTheCHeader) {
  using toe_t_map::find_window;
  using toe_t_map::Window;
  EXPECT_EQ(toe_t_map::kWindowCount, std::size_t{TOE_EXPECTED_WINDOW_COUNT});
  std::size_t named = 0;
#define CHECK_WINDOW(uname, name, x_base, x_size)           \
  {                                                         \
    SCOPED_TRACE("window " name);                           \
    ++named;                                                \
    const Window* w = find_window(std::string_view(name));  \
    ASSERT_NE(w, nullptr) << name " missing from kWindows"; \
    EXPECT_EQ(w->base, TOE_T_REG(uname##_BASE));            \
    EXPECT_EQ(w->size, TOE_T_REG(uname##_SIZE));            \
    EXPECT_EQ(w->base, x_base);                             \
    EXPECT_EQ(w->size, x_size);                             \
    EXPECT_LE(std::uint64_t{w->base} + w->size,             \
              std::uint64_t{1} << toe_t_map::kAddrWidth);   \
    EXPECT_EQ(find_window(w->base), w);                     \
    EXPECT_EQ(find_window(w->base + w->size - 1), w);       \
    EXPECT_NE(find_window(w->base + w->size), w);           \
    if (w->base > 0) {                                      \
      EXPECT_NE(find_window(w->base - 1), w);               \
    }                                                       \
  }
  TOE_EXPECTED_WINDOWS(CHECK_WINDOW)
#undef CHECK_WINDOW
  EXPECT_EQ(named, toe_t_map::kWindowCount);
  for (const Reg& r : kRegs) {
    EXPECT_EQ(find_window(r.offset), nullptr) << "register " << r.name << " inside a window";
  }
  EXPECT_EQ(find_window(std::string_view("no_such_window")), nullptr);
  static_assert(find_window(TOE_T_REG(TYPE_OFFSET)) == nullptr, "find_window() is constexpr");
}

// The port layout tiles reg2hw_t / hw2reg_t exactly and names only real fields.
void check_port(const toe_t_map::PortBits* bits, std::size_t n, std::uint32_t width,
                const char* what) {
  SCOPED_TRACE(what);
  std::uint32_t pos = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& b = bits[i];
    SCOPED_TRACE(b.member);
    EXPECT_EQ(b.lsb, pos);
    pos += b.width;
    const Reg* r = toe_t_map::find(std::string_view(b.reg));
    ASSERT_NE(r, nullptr);
    bool field_ok = r->field_count == 0 && std::string(b.field) == r->name;
    for (std::size_t f = 0; f < r->field_count; ++f) {
      field_ok |= std::string(r->fields[f].name) == b.field;
    }
    EXPECT_TRUE(field_ok);
  }
  EXPECT_EQ(pos, width);
}

TEST(RegmapTable, PortLayoutTilesTheStructs) {
  check_port(toe_t_map::kReg2Hw, std::size(toe_t_map::kReg2Hw), toe_t_map::kReg2HwWidth,
             "reg2hw");
  check_port(toe_t_map::kHw2Reg, std::size(toe_t_map::kHw2Reg), toe_t_map::kHw2RegWidth,
             "hw2reg");
}

}  // namespace
