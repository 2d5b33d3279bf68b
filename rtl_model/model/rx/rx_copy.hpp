// SPDX-License-Identifier: Apache-2.0
// toe_rx_copy: moves the payload of an accepted segment from its frame slot
// into the connection's receive buffer, one slot word (DataBytes bytes) per
// cycle, and then frees the slot. tcp_fsm queues a job per segment with
// payload (Tables::copy_jobs, at most one per slot, so the queue never fills).
//
// Timing (the RTL's, fixed):
//   cycle t      the job is at the head of the queue: slot word k of the payload
//                is read (the slot RAM's read port, registered: data at t+1);
//                the job advances one word per cycle, the words of the next job
//                follow without a gap.
//   cycle t+1    that word's payload bytes [lo, hi) are written to the receive
//                buffer at rx_off + (lo - payload_off) (byte lanes: any
//                alignment in one write).
//   last word    the cycle its bytes are written, the slot is released and the
//                data event of the segment (held at the head of the event queue
//                until then, Event::hold) may leave.
// A job of len bytes at slot offset off takes ceil(((off mod DataBytes) + len)
// / DataBytes) read cycles: never more than the frame took to arrive, so the
// copy keeps up with line rate.
#pragma once

#include "top/tables.hpp"

namespace toe::model {

class RxCopy {
 public:
  // data_bytes: DataBytes, the slot and receive-buffer word.
  RxCopy(uint32_t data_bytes, Tables& t) : data_bytes_(data_bytes), t_(t) {}
  void reset() {
    word_q_ = word_d_ = 0;
    wr_q_ = wr_d_ = WriteStage{};
  }
  void eval();
  // This cycle's table writes (toe_rx_copy's release/pop ports): Tables::apply_copy in commit.
  bool release() const { return wr_q_.valid && wr_q_.last; }  // the job's last word is written
  uint8_t release_slot() const { return wr_q_.slot; }
  bool pop() const { return pop_; }                           // the job leaves the queue
  void commit();  // writes this cycle's bytes into the receive buffer; registers the stage
  bool busy() const { return wr_q_.valid || !t_.copy_jobs.empty(); }
  // Clocks that can run without a job leaving the queue or a slot released (Engine::span_limit):
  // up to, not including, the clock that reads the head job's last word; unlimited when idle.
  uint64_t span_limit() const;
  void run(uint64_t n);  // n clocks of eval() and commit() within span_limit()

 private:
  struct WriteStage {
    bool valid = false, last = false;
    uint32_t conn = 0;
    uint8_t slot = 0;
    uint16_t lo = 0, hi = 0;  // slot byte range of this word's payload
    uint32_t dst = 0;         // receive-buffer offset of byte lo
  };
  uint32_t data_bytes_;
  Tables& t_;
  uint32_t word_q_ = 0, word_d_ = 0;  // word of the head job being read
  bool pop_ = false;
  WriteStage wr_q_, wr_d_;
};

}  // namespace toe::model
