// SPDX-License-Identifier: Apache-2.0
/* Modulo-2^32 sequence-number comparisons (RFC 9293 3.4, MUST-1), for C
 * (firmware, driver). The same helpers exist for C++ (toe/seq.hpp) and
 * SystemVerilog (rtl_model/rtl/toe_seq_pkg.sv); tests/unit/test_seq* check all three.
 * Never compare sequence numbers with a raw < or >. */
#ifndef TOE_SEQ_H
#define TOE_SEQ_H

#include <stdbool.h>
#include <stdint.h>

static inline bool toe_seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline bool toe_seq_leq(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
static inline bool toe_seq_gt(uint32_t a, uint32_t b) { return (int32_t)(b - a) < 0; }
static inline bool toe_seq_geq(uint32_t a, uint32_t b) { return (int32_t)(b - a) <= 0; }
/* lo <= x < lo + len, modulo 2^32 (len may be up to 2^32-1). */
static inline bool toe_seq_in_window(uint32_t x, uint32_t lo, uint32_t len) {
  return (uint32_t)(x - lo) < len;
}

#endif /* TOE_SEQ_H */
