// SPDX-License-Identifier: Apache-2.0
// toe::model::Ring: the register ports' fixed-size queues, the twin of toe_ring
// (rtl_model/rtl/top/toe_ring.sv): a ring with a count; a reset (clear) leaves its memory as it
// is. Two-phase as the model's blocks: step() is one clock's push and pop, computed from this
// cycle's state (the pop takes this cycle's head; both at once keep the count); commit() takes
// the edge. The memory is written at commit only (no copy of it per clock). The caller never
// pushes a full ring nor pops an empty one.
#pragma once

#include <array>
#include <cstdint>

namespace toe::model {

template <typename T, uint32_t N>
class Ring {
 public:
  static_assert(N > 0 && N <= 128, "toe_ring's count is 8 bits");
  bool empty() const { return count_ == 0; }
  bool full() const { return count_ == N; }
  uint32_t count() const { return count_; }
  const T& head() const { return mem_[rd_]; }
  void clear() {
    rd_ = wr_ = count_ = 0;
    rd_d_ = wr_d_ = count_d_ = 0;
    push_d_ = false;
  }
  void step(bool push, const T& v, bool pop) {
    push_d_ = push;
    if (push) v_d_ = v;
    wr_d_ = push ? (wr_ + 1) % N : wr_;
    rd_d_ = pop ? (rd_ + 1) % N : rd_;
    count_d_ = count_ + (push ? 1 : 0) - (pop ? 1 : 0);
  }
  void commit() {
    if (push_d_) mem_[wr_] = v_d_;
    push_d_ = false;
    rd_ = rd_d_;
    wr_ = wr_d_;
    count_ = count_d_;
  }

 private:
  std::array<T, N> mem_{};
  uint32_t rd_ = 0, wr_ = 0, count_ = 0;
  uint32_t rd_d_ = 0, wr_d_ = 0, count_d_ = 0;
  bool push_d_ = false;
  T v_d_{};
};

}  // namespace toe::model
