// SPDX-License-Identifier: Apache-2.0
// toe::model::FwTxq: the firmware port's transmit path, the twin of toe_fw_txq
// (rtl_model/rtl/top/toe_fw_txq.sv): a frame buffer of kBufBytes that the firmware writes
// (TX_FRAME, 32-bit words with byte enables), and a sender that streams its first `len` bytes
// as DataBytes-wide beats once the wrapper grants it the output (start), one beat per clock the
// output takes (taken).
//
//   send(len) --> busy --start (granted by toe_engine at a frame boundary)--> act: beats
//   last beat taken --> done (this clock), sent + 1, busy = act = 0
#pragma once

#include <cstdint>
#include <vector>

#include "toe_types.hpp"

namespace toe::model {

class FwTxq {
 public:
  static constexpr uint32_t kBufBytes = 2048;

  struct In {
    bool wr = false;  // a TX_FRAME write taken this clock (never while busy)
    uint32_t wr_off = 0;
    uint32_t wr_data = 0;
    uint8_t wr_be = 0;
    bool send = false;  // TXQ_SEND taken (never while busy; len checked by the wrapper)
    uint32_t send_len = 0;
    bool start = false;  // the output is ours from the next clock (only while busy and not act)
    bool taken = false;  // the output took this clock's beat (only while act)
  };

  explicit FwTxq(uint32_t data_bytes);
  void reset();
  void eval(const In& in);
  void commit();

  bool busy() const { return q_.busy; }
  bool act() const { return q_.act; }
  // This clock's beat while act (tvalid = act).
  AxisBeat beat() const;
  bool last() const;  // the beat is the frame's last
  uint32_t sent() const { return q_.sent; }

 private:
  struct State {
    bool busy = false, act = false;
    uint32_t len = 0, pos = 0;
    uint32_t sent = 0;
  };
  uint32_t data_bytes_;
  std::vector<uint8_t> mem_;  // no reset, as the RTL's
  State q_, d_;
  bool wr_ = false;
  uint32_t wr_off_ = 0, wr_data_ = 0;
  uint8_t wr_be_ = 0;
  bool active_ = false;  // eval had something to do (d_ is this clock's next state)
};

}  // namespace toe::model
