// SPDX-License-Identifier: Apache-2.0
// Modulo-2^32 sequence helpers, C++ and C, at and across the wrap (issue 2, item 7).
#include <gtest/gtest.h>

#include <random>

#include "toe/seq.hpp"

extern "C" int toe_seq_c_agrees(uint32_t a, uint32_t b, uint32_t len);

using namespace toe;

TEST(Seq, AcrossTheWrap) {
  EXPECT_TRUE(seq_lt(0xFFFFFFFFu, 0u));
  EXPECT_TRUE(seq_lt(0xFFFFFFF0u, 0x10u));
  EXPECT_FALSE(seq_lt(0x10u, 0xFFFFFFF0u));
  EXPECT_TRUE(seq_gt(0u, 0xFFFFFFFFu));
  EXPECT_TRUE(seq_leq(5u, 5u));
  EXPECT_TRUE(seq_geq(5u, 5u));
  EXPECT_FALSE(seq_lt(5u, 5u));
  EXPECT_FALSE(seq_gt(5u, 5u));
  // Half the space away: 2^31 is "less than" by the signed-difference rule.
  EXPECT_TRUE(seq_lt(0u, 0x7FFFFFFFu));
  EXPECT_TRUE(seq_lt(0x80000000u, 0u));
}

TEST(Seq, InWindowAcrossTheWrap) {
  EXPECT_TRUE(seq_in_window(0xFFFFFFFFu, 0xFFFFFFF0u, 0x20u));
  EXPECT_TRUE(seq_in_window(0x0Fu, 0xFFFFFFF0u, 0x20u));
  EXPECT_FALSE(seq_in_window(0x10u, 0xFFFFFFF0u, 0x20u));  // lo + len is outside
  EXPECT_TRUE(seq_in_window(0xFFFFFFF0u, 0xFFFFFFF0u, 0x20u));
  EXPECT_FALSE(seq_in_window(0xFFFFFFEFu, 0xFFFFFFF0u, 0x20u));
  EXPECT_FALSE(seq_in_window(7u, 7u, 0u));  // empty window holds nothing
}

TEST(Seq, OrderingPropertiesOnRandomPairs) {
  std::mt19937 rng(1);
  for (int i = 0; i < 100000; ++i) {
    const uint32_t a = rng(), d = rng() & 0x7FFFFFFFu;
    const uint32_t b = a + d;  // b is d ahead of a
    EXPECT_EQ(seq_lt(a, b), d != 0);
    EXPECT_EQ(seq_gt(b, a), d != 0);
    EXPECT_TRUE(seq_leq(a, b));
    EXPECT_TRUE(seq_geq(b, a));
    EXPECT_EQ(seq_lt(a, b), !seq_geq(a, b));
  }
}

TEST(Seq, CHeaderAgreesWithCpp) {
  std::mt19937 rng(2);
  const uint32_t edges[] = {0u, 1u, 0x7FFFFFFFu, 0x80000000u, 0x80000001u, 0xFFFFFFFEu, 0xFFFFFFFFu};
  for (uint32_t a : edges)
    for (uint32_t b : edges)
      for (uint32_t len : edges) EXPECT_EQ(toe_seq_c_agrees(a, b, len), 1) << a << " " << b << " " << len;
  for (int i = 0; i < 10000; ++i) EXPECT_EQ(toe_seq_c_agrees(rng(), rng(), rng()), 1);
}
