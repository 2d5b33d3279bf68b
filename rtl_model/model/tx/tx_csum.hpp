// SPDX-License-Identifier: Apache-2.0
// toe_tx_csum: takes the built frame from tx_build (checksums inserted) and
// streams it on m_axis_tx in DataBytes-wide beats; its first beat appears the
// cycle after the move. Holds one frame. Instantiated by TxBuild, as
// toe_tx_csum is by toe_tx_build.
#pragma once

#include <cstdint>
#include <vector>

#include "toe_types.hpp"

namespace toe::model {

class TxCsum {
 public:
  // data_bytes: DataBytes, the beat width.
  explicit TxCsum(uint32_t data_bytes) : data_bytes_(data_bytes) {}
  void reset();
  // First half of the cycle: the current beat was taken (or not). After it,
  // free() says whether a built frame can move in this cycle.
  void eval(bool beat_taken);
  bool free() const { return !stream_d_; }
  // Second half: move says the built frame moves in this cycle; computes the beat of the next cycle.
  void eval_move(bool move, const std::vector<uint8_t>& built);
  // On a move, swaps the built frame in (built gets the old buffer back).
  void commit(bool move, std::vector<uint8_t>& built);
  const AxisBeat& beat() const { return beat_q_; }
  bool frame_done_pulse() const { return done_q_; }
  bool streaming() const { return stream_q_; }
  // Busy spans (Engine::run_span): clocks whose beat is taken and is not the frame's last, up to
  // the one before the last beat; run(n, out) appends those n beats' bytes to out.
  uint64_t span_limit() const;
  void run(uint64_t n, std::vector<uint8_t>& out);

 private:
  uint32_t data_bytes_;
  bool stream_q_ = false, stream_d_ = false;
  std::vector<uint8_t> frame_;  // the frame being streamed
  uint32_t pos_q_ = 0, pos_d_ = 0;
  AxisBeat beat_q_, beat_d_;
  bool done_q_ = false, done_d_ = false;
};

}  // namespace toe::model
