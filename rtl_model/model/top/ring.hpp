// SPDX-License-Identifier: Apache-2.0
// toe::model::Ring: the register ports' fixed-size queues, the twin of toe_ring
// (rtl_model/rtl/top/toe_ring.sv): a ring with a count; a reset (clear) leaves its memory as it
// is. step() is one clock's push and pop (the pop takes this cycle's head; both at once keep the
// count). The caller never pushes a full ring nor pops an empty one.
#pragma once

#include <array>
#include <cstdint>

namespace toe::model {

template <typename T, uint32_t N>
struct Ring {
  static_assert(N > 0 && N <= 128, "toe_ring's count is 8 bits");
  std::array<T, N> mem{};
  uint32_t rd = 0, wr = 0, count = 0;
  bool empty() const { return count == 0; }
  bool full() const { return count == N; }
  const T& head() const { return mem[rd]; }
  void clear() { rd = wr = count = 0; }
  void step(bool push, const T& v, bool pop) {
    if (push) {
      mem[wr] = v;
      wr = (wr + 1) % N;
    }
    if (pop) rd = (rd + 1) % N;
    count = count + (push ? 1 : 0) - (pop ? 1 : 0);
  }
};

}  // namespace toe::model
