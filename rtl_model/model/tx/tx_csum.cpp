// SPDX-License-Identifier: Apache-2.0
#include "tx/tx_csum.hpp"

#include <algorithm>
#include <cstring>

namespace toe::model {

void TxCsum::reset() {
  stream_q_ = stream_d_ = done_q_ = done_d_ = false;
  pos_q_ = pos_d_ = 0;
  beat_q_ = beat_d_ = AxisBeat{};
}

void TxCsum::eval(bool beat_taken) {
  done_d_ = false;
  stream_d_ = stream_q_;
  pos_d_ = pos_q_;
  if (stream_q_ && beat_taken) {
    pos_d_ += data_bytes_;
    if (pos_d_ >= frame_.size()) {
      stream_d_ = false;
      done_d_ = true;
    }
  }
}

void TxCsum::eval_move(bool move, const std::vector<uint8_t>& built) {
  if (move) {
    stream_d_ = true;
    pos_d_ = 0;
  }
  // Output beat presented next cycle.
  beat_d_ = AxisBeat{};
  if (stream_d_) {
    const std::vector<uint8_t>& f = move ? built : frame_;
    const uint32_t w = data_bytes_;
    const uint32_t n = std::min<uint32_t>(w, uint32_t(f.size()) - pos_d_);
    std::memcpy(beat_d_.tdata.data(), f.data() + pos_d_, n);
    beat_d_.tkeep = n >= 64 ? ~0ull : ((1ull << n) - 1);
    beat_d_.tvalid = true;
    beat_d_.tlast = pos_d_ + w >= f.size();
  }
}

void TxCsum::commit(bool move, std::vector<uint8_t>& built) {
  if (move) std::swap(frame_, built);
  stream_q_ = stream_d_;
  pos_q_ = pos_d_;
  beat_q_ = beat_d_;
  done_q_ = done_d_;
}

uint64_t TxCsum::span_limit() const {
  if (!stream_q_ || done_q_) return 0;
  const uint64_t size = frame_.size();
  return pos_q_ + data_bytes_ < size ? (size - pos_q_ - 1) / data_bytes_ : 0;  // beats before the last
}

void TxCsum::run(uint64_t n, std::vector<uint8_t>& out) {
  // As n clocks of eval(true), eval_move(false) and commit: beats at pos_q_, +w, ... are taken,
  // none the last, and the beat after them is presented.
  const size_t bytes = size_t(n) * data_bytes_;
  out.insert(out.end(), frame_.begin() + pos_q_, frame_.begin() + pos_q_ + bytes);
  pos_q_ += uint32_t(bytes);
  pos_d_ = pos_q_;
  stream_d_ = stream_q_;
  done_d_ = done_q_;
  eval_move(false, frame_);
  beat_q_ = beat_d_;
}

}  // namespace toe::model
