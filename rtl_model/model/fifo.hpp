// SPDX-License-Identifier: Apache-2.0
// A bounded FIFO (a BRAM/LUTRAM FIFO in RTL): push/pop, fixed capacity.
#pragma once

#include <cstddef>
#include <vector>

namespace toe::model {

template <class T>
class Fifo {
 public:
  explicit Fifo(size_t capacity = 1) : buf_(capacity ? capacity : 1) {}
  void resize(size_t capacity) {
    buf_.assign(capacity ? capacity : 1, T{});
    clear();
  }
  void clear() { head_ = tail_ = count_ = 0; }
  bool empty() const { return count_ == 0; }
  bool full() const { return count_ == buf_.size(); }
  size_t size() const { return count_; }
  size_t capacity() const { return buf_.size(); }
  size_t free() const { return buf_.size() - count_; }
  bool push(const T& v) {
    if (full()) return false;
    buf_[tail_] = v;
    tail_ = tail_ + 1 == buf_.size() ? 0 : tail_ + 1;
    ++count_;
    return true;
  }
  const T& front() const { return buf_[head_]; }
  T pop() {
    T v = buf_[head_];
    head_ = head_ + 1 == buf_.size() ? 0 : head_ + 1;
    --count_;
    return v;
  }

 private:
  std::vector<T> buf_;
  size_t head_ = 0, tail_ = 0, count_ = 0;
};

}  // namespace toe::model
