// SPDX-License-Identifier: Apache-2.0
// The SystemVerilog sequence helpers (rtl_model/rtl/toe_seq_pkg.sv), Verilated,
// agree with the C++ ones at and across the wrap.
#include <gtest/gtest.h>

#include <random>

#include "Vtoe_seq_tb.h"
#include "toe/seq.hpp"

namespace {

void check(Vtoe_seq_tb& m, uint32_t a, uint32_t b, uint32_t len) {
  m.a_i = a;
  m.b_i = b;
  m.len_i = len;
  m.eval();
  ASSERT_EQ(bool(m.lt_o), toe::seq_lt(a, b)) << a << " " << b;
  ASSERT_EQ(bool(m.leq_o), toe::seq_leq(a, b)) << a << " " << b;
  ASSERT_EQ(bool(m.gt_o), toe::seq_gt(a, b)) << a << " " << b;
  ASSERT_EQ(bool(m.geq_o), toe::seq_geq(a, b)) << a << " " << b;
  ASSERT_EQ(bool(m.in_window_o), toe::seq_in_window(a, b, len)) << a << " " << b << " " << len;
}

}  // namespace

TEST(SeqSv, AgreesWithCppAtTheEdgesAndAcrossTheWrap) {
  Vtoe_seq_tb m;
  const uint32_t edges[] = {0u, 1u, 2u, 0x7FFFFFFEu, 0x7FFFFFFFu, 0x80000000u, 0x80000001u, 0xFFFFFFFEu, 0xFFFFFFFFu};
  for (uint32_t a : edges)
    for (uint32_t b : edges)
      for (uint32_t len : edges) check(m, a, b, len);
  // Spot values across the wrap, both directions.
  check(m, 0xFFFFFFF0u, 0x10u, 0x20u);
  check(m, 0x10u, 0xFFFFFFF0u, 0x20u);
  std::mt19937 rng(5);
  for (int i = 0; i < 200000; ++i) check(m, rng(), rng(), rng());
  m.final();
}
