// The transmit path: toe_tx_arbiter -> toe_tx_build -> toe_tx_csum.
#pragma once

#include "tables.hpp"

namespace toe::model {

// toe_tx_arbiter: when tx_build can take a frame, picks (in priority order) a
// control response from the response FIFO or the next connection with data
// (or a FIN) to send, segmented to min(SND.MSS, usable window). Latency 1.
class TxArbiter {
 public:
  TxArbiter(const EngineConfig& cfg, Tables& t) : cfg_(cfg), t_(t) {}
  void reset() { q_valid = d_valid = false; }
  // build_ready: tx_build can accept; fsm_conn: connection tcp_fsm writes this cycle.
  void eval(bool build_ready, uint32_t fsm_conn, uint64_t cycle);
  void commit();
  bool q_valid = false;
  TxReq q;

 private:
  const EngineConfig& cfg_;
  Tables& t_;
  bool d_valid = false;
  TxReq d;
  // pending TCB write (data segments advance SND.NXT)
  bool wr_ = false;
  uint32_t wr_conn_ = kNoConn;
  Tcb wr_tcb_;
  bool requeue_ = false;
  bool pop_rsp_ = false, pop_ready_ = false;
  bool retx_arm_ = false;
};

// toe_tx_build + toe_tx_csum: forms the frame (Ethernet, IPv4, TCP, payload
// from the transmit buffer), inserts the checksums, and streams it out in
// DataBytes-wide beats. Holds one frame in tx_csum and one being streamed.
// The payload arrives from the transmit buffer one DataBytes word per cycle
// (the RTL's read port), so a frame taken at cycle t can move to tx_csum at
// t + 1 + fetch_cycles(r) at the earliest (t + 1 without payload).
class TxBuild {
 public:
  TxBuild(const EngineConfig& cfg, Tables& t) : cfg_(cfg), t_(t) {}
  void reset();
  bool ready() const { return !stage_q_; }  // can accept a TxReq this cycle
  // Transmit-buffer words the payload of r spans: ceil((payload_off mod DataBytes + len) / DataBytes).
  uint32_t fetch_cycles(const TxReq& r) const;
  void eval(bool in_valid, const TxReq& in, bool beat_taken);
  void commit();
  const AxisBeat& beat() const { return beat_q_; }
  bool frame_done_pulse() const { return done_q_; }

 private:
  void build_frame(const TxReq& r, std::vector<uint8_t>& f) const;
  const EngineConfig& cfg_;
  Tables& t_;
  // tx_build register: built frame waiting for checksum
  bool built_q_ = false, built_d_ = false;
  uint32_t wait_q_ = 0, wait_d_ = 0;  // cycles until the built frame's payload has arrived
  std::vector<uint8_t> built_qf_, built_df_;
  // tx_csum register: frame being streamed
  bool stage_q_ = false;  // tx_build's output holds a frame (back-pressure)
  bool stream_q_ = false, stream_d_ = false;
  std::vector<uint8_t> stream_qf_, stream_df_;
  uint32_t pos_q_ = 0, pos_d_ = 0;
  AxisBeat beat_q_, beat_d_;
  bool done_q_ = false, done_d_ = false;
  bool move_ = false, accept_ = false;
};

}  // namespace toe::model
