// SPDX-License-Identifier: Apache-2.0
#include "rx/rx_copy.hpp"

#include <algorithm>

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

}  // namespace toe::model
