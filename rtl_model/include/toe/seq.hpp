// SPDX-License-Identifier: Apache-2.0
// Modulo-2^32 sequence-number comparisons for C++ (see toe/seq.h for C and
// rtl_model/rtl/toe_seq_pkg.sv for SystemVerilog). Never compare sequence
// numbers with a raw < or >.
#pragma once

#include <cstdint>

namespace toe {

constexpr bool seq_lt(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) < 0; }
constexpr bool seq_leq(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) <= 0; }
constexpr bool seq_gt(uint32_t a, uint32_t b) { return seq_lt(b, a); }
constexpr bool seq_geq(uint32_t a, uint32_t b) { return seq_leq(b, a); }
// lo <= x < lo + len, modulo 2^32.
constexpr bool seq_in_window(uint32_t x, uint32_t lo, uint32_t len) { return x - lo < len; }

}  // namespace toe
