// SPDX-License-Identifier: Apache-2.0
// FwTxq (toe_fw_txq): see fw_txq.hpp.
#include "top/fw_txq.hpp"

namespace toe::model {

FwTxq::FwTxq(uint32_t data_bytes) : data_bytes_(data_bytes), mem_(kBufBytes, 0) { reset(); }

void FwTxq::reset() {
  const uint32_t len = q_.len, pos = q_.pos;
  q_ = State{};
  q_.len = len;  // len and pos are loaded before use; the RTL resets neither
  q_.pos = pos;
  d_ = q_;
  wr_ = false;
  active_ = false;
}

bool FwTxq::last() const { return q_.pos + data_bytes_ >= q_.len; }

AxisBeat FwTxq::beat() const {
  AxisBeat b;
  b.tvalid = q_.act;
  const uint32_t left = q_.len > q_.pos ? q_.len - q_.pos : 0;
  const uint32_t n = left < data_bytes_ ? left : data_bytes_;
  for (uint32_t i = 0; i < data_bytes_; ++i) b.tdata[i] = mem_[(q_.pos + i) % kBufBytes];
  b.tkeep = n >= 64 ? ~uint64_t(0) : (uint64_t(1) << n) - 1;
  b.tlast = last();
  return b;
}

void FwTxq::eval(const In& in) {
  active_ = in.wr || in.send || in.start || (q_.act && in.taken);
  if (!active_) return;  // nothing changes this clock
  d_ = q_;
  wr_ = in.wr;
  wr_off_ = in.wr_off & (kBufBytes - 1) & ~3u;
  wr_data_ = in.wr_data;
  wr_be_ = in.wr_be;
  if (in.send) {
    d_.busy = true;
    d_.len = in.send_len;
    d_.pos = 0;
  }
  if (in.start) d_.act = true;
  if (q_.act && in.taken) {
    if (last()) {
      d_.busy = false;
      d_.act = false;
      ++d_.sent;
    } else {
      d_.pos = q_.pos + data_bytes_;
    }
  }
}

void FwTxq::commit() {
  if (!active_) return;
  active_ = false;
  q_ = d_;
  if (wr_) {
    for (uint32_t i = 0; i < 4; ++i) {
      if ((wr_be_ >> i) & 1u) mem_[wr_off_ + i] = uint8_t(wr_data_ >> (8 * i));
    }
  }
  wr_ = false;
}

}  // namespace toe::model
