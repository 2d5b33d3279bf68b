// SPDX-License-Identifier: Apache-2.0
/* Compiled as C: checks toe/seq.h against plain definitions written independently. */
#include <stdint.h>

#include "toe/seq.h"

int toe_seq_c_agrees(uint32_t a, uint32_t b, uint32_t len);

int toe_seq_c_agrees(uint32_t a, uint32_t b, uint32_t len) {
  /* a < b when the distance b->a, read as unsigned, has its top bit set (so at
   * exactly 2^31 apart each is "less" than the other: the RFC's undefined case). */
  const int lt = (uint32_t)(a - b) >= 0x80000000u;
  const int gt = (uint32_t)(b - a) >= 0x80000000u;
  const int in = (a - b) < len; /* a in [b, b+len) */
  return toe_seq_lt(a, b) == lt && toe_seq_gt(a, b) == gt && toe_seq_leq(a, b) == (lt || a == b) &&
         toe_seq_geq(a, b) == (gt || a == b) && toe_seq_in_window(a, b, len) == in;
}
