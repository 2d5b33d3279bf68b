// SPDX-License-Identifier: Apache-2.0
#include "rx/rx_copy.hpp"

#include <algorithm>
#include <cstring>

namespace toe::model {

// ---- rx_copy ---------------------------------------------------------------------------
void RxCopy::eval() {
  wr_d_ = WriteStage{};
  pop_ = false;
  word_d_ = word_q_;
  if (t_.copy_jobs.empty()) return;
  const CopyJob& j = t_.copy_jobs.front();
  const uint32_t w = data_bytes_;
  const uint32_t last = (uint32_t(j.off) + j.len - 1) / w;
  const uint32_t k = j.off / w + word_q_;
  wr_d_.valid = true;
  wr_d_.last = k == last;
  wr_d_.conn = j.conn;
  wr_d_.slot = j.slot;
  wr_d_.lo = static_cast<uint16_t>(std::max<uint32_t>(j.off, k * w));
  wr_d_.hi = static_cast<uint16_t>(std::min<uint32_t>(uint32_t(j.off) + j.len, (k + 1) * w));
  wr_d_.dst = j.rx_off + (wr_d_.lo - j.off);
  pop_ = wr_d_.last;
  word_d_ = wr_d_.last ? 0 : word_q_ + 1;
}

void RxCopy::commit() {
  if (wr_q_.valid) {
    uint8_t* base = &t_.rx_buf[size_t(wr_q_.conn) * (t_.rx_mask + 1)];
    const uint8_t* src = t_.slots[wr_q_.slot].data();
    for (uint32_t i = wr_q_.lo; i < wr_q_.hi; ++i) base[(wr_q_.dst + (i - wr_q_.lo)) & t_.rx_mask] = src[i];
  }
  wr_q_ = wr_d_;
  word_q_ = word_d_;
}

uint64_t RxCopy::span_limit() const {
  if (wr_q_.valid && wr_q_.last) return 0;  // the release is this clock's
  if (t_.copy_jobs.empty()) return ~uint64_t(0);
  const CopyJob& j = t_.copy_jobs.front();
  const uint32_t last = (uint32_t(j.off) + j.len - 1) / data_bytes_;
  const uint32_t k = j.off / data_bytes_ + word_q_;
  return last - k;
}

void RxCopy::run(uint64_t n) {
  if (n == 0 || !busy()) return;
  // n clocks within span_limit(): wr_q_'s word and the head job's words k .. k+n-2 are written,
  // word k+n-1 is read (the write stage's), the job stays at the head. The words are adjacent, so
  // the bytes are one run: slot bytes [wr_q_.lo or the job's first, end of word k+n-2).
  const CopyJob& j = t_.copy_jobs.front();
  const uint32_t w = data_bytes_;
  const uint32_t k = j.off / w + word_q_;
  const uint32_t lo = wr_q_.valid ? wr_q_.lo : std::max<uint32_t>(j.off, k * w);
  const uint32_t hi = std::min<uint32_t>(uint32_t(j.off) + j.len, uint32_t(k + n - 1) * w);
  if (hi > lo) {
    uint8_t* base = &t_.rx_buf[size_t(j.conn) * (t_.rx_mask + 1)];
    const uint8_t* src = t_.slots[j.slot].data();
    const uint32_t size = t_.rx_mask + 1;
    uint32_t dst = (j.rx_off + (lo - j.off)) & t_.rx_mask;
    for (uint32_t i = lo; i < hi;) {
      const uint32_t run = std::min(hi - i, size - dst);
      std::memcpy(base + dst, src + i, run);
      i += run;
      dst = (dst + run) & t_.rx_mask;
    }
  }
  word_q_ += uint32_t(n - 1);
  eval();  // the last clock's read: word k+n-1 into the write stage
  wr_q_ = wr_d_;
  word_q_ = word_d_;
}

}  // namespace toe::model
