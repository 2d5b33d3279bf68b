// SPDX-License-Identifier: Apache-2.0
// toe_tx_arbiter: when tx_build can take a frame, picks (in priority order) a
// control response from the response FIFO or the next connection with data
// (or a FIN) to send, segmented to min(SND.MSS, usable window). Latency 1.
#pragma once

#include "top/tables.hpp"

namespace toe::model {

class TxArbiter {
 public:
  // rx_buf_bytes: RxBufBytes (the window it advertises is the receive buffer's free space).
  TxArbiter(uint32_t rx_buf_bytes, Tables& t) : rx_buf_bytes_(rx_buf_bytes), t_(t) {}
  void reset() {
    q_valid = d_valid = retx_valid = false;
    w_ = ArbWrite{};
  }
  // build_ready: tx_build can accept; fsm_conn: the connection tcp_fsm decides for this cycle
  // (TcpFsm::busy_conn: written or not).
  void eval(bool build_ready, uint32_t fsm_conn, uint64_t cycle);
  // This cycle's writes (toe_tx_arbiter's pop/requeue/wr ports): Tables::apply_arb in commit.
  const ArbWrite& writes() const { return w_; }
  void commit();  // registers the request (q: tx_build's input) and the retransmission-arm event
  bool q_valid = false;
  TxReq q;  // valid while q_valid (not rewritten while it is 0)
  // The retransmission-arm event of the cycle before's TCB write (ArbWrite::retx_arm: a segment
  // sent with nothing outstanding), registered with the request and pushed by Tables in this
  // cycle's commit (Tables::push_retx_arm), so that the event queue's write waits on a register,
  // not on the choice. A connection's events keep their order: tcp_fsm's are pushed a cycle after
  // its decision too (TcbUpdate), and tcp_fsm never decides for the connection chosen (busy_conn).
  bool retx_valid = false;
  Event retx;  // valid while retx_valid

 private:
  uint32_t rx_buf_bytes_;
  Tables& t_;
  bool d_valid = false;
  TxReq d;
  ArbWrite w_;  // the pops, the requeue and the TCB write (data segments advance SND.NXT)
};

}  // namespace toe::model
