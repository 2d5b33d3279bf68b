// SPDX-License-Identifier: Apache-2.0
// toe_tcp_fsm: the RFC 9293 state machine with every sequence/ACK check
// (RFC 5961 challenge ACKs included), for one segment or one command per
// cycle. Reads the TCB, decides, and hands TcbUpdate the new TCB, the
// response to send, the events and the payload to store. Latency 1.
#pragma once

#include <functional>

#include "top/tables.hpp"

namespace toe::model {

// Events one segment can raise: acked, retx_disarm (or accepted/connected),
// data, peer_closed, time_wait_entered; one spare.
constexpr uint8_t kMaxEventsPerResult = 6;

// What tcp_fsm decided for one segment/command; applied by tcb_update.
struct FsmResult {
  bool tcb_write = false;
  uint32_t conn = kNoConn;
  Tcb tcb;                      // new TCB value (tcb_write)
  bool index_insert = false;    // new connection: add to the hash index
  bool free_conn = false;       // connection closed: erase from index, return to free list
  bool rsp_valid = false;
  TxReq rsp;
  uint8_t n_evt = 0;
  Event evt[kMaxEventsPerResult];
  TcpState via = TcpState::CLOSED;  // a state passed through within this segment (trace only)
  bool payload = false;         // copy payload_len bytes from slot to rx buffer at rx_off
  uint8_t slot = 0;
  uint16_t payload_off = 0, payload_len = 0;
  uint32_t rx_off = 0;
  bool release_slot = false;
  bool tx_kick = false;         // connection has something to send: queue for tx_arbiter
  bool half_open_add = false, half_open_done = false;
  uint32_t evict_conn = kNoConn;  // SYN cache eviction of the oldest half-open
  Counter count[2] = {Counter::kCount, Counter::kCount};
  bool chal_token_used = false;
  bool listen_write = false;
  uint16_t listen_slot = 0;
  ListenEntry listen_val;
};

class TcpFsm {
 public:
  // The parameters tcp_fsm uses (RTL parameters of toe_tcp_fsm).
  struct Params {
    uint32_t sessions = 16;
    uint32_t rx_buf_bytes = 16384;
    uint32_t tx_buf_bytes = 16384;
  };
  TcpFsm(const Params& p, const EngineRegs& regs, Tables& t) : p_(p), regs_(regs), t_(t) {}
  void reset() { q_valid = d_valid = false; }
  // isn_mix: the keyed ISN mix of the segment's or the command's 4-tuple (IsnMix::q,
  // toe_tcp_fsm's isn_mix_i), computed in the two cycles before; a new connection's ISS is it plus the
  // 4 us clock (isn_of).
  void eval_segment(const SegMeta& m, uint32_t isn_mix, uint64_t cycle);
  void eval_command(const Cmd& c, uint32_t isn_mix, uint64_t cycle);
  void eval_idle() { d_valid = false; }
  // The result of this cycle (toe_tcp_fsm's res_* ports): the writes Tables::apply_fsm makes
  // in commit when res_valid().
  bool res_valid() const { return d_valid; }
  const FsmResult& res() const { return d; }
  // Registers the result (q: tcb_update's input next cycle).
  void commit();
  bool q_valid = false;
  FsmResult q;  // valid while q_valid (not rewritten while it is 0)
  // The connection this cycle's result concerns (tx_arbiter leaves it alone this cycle): d.conn
  // whether or not its TCB is written, so that tx_arbiter's choice waits only on which connection
  // tcp_fsm decides for (known from the lookup, the command or the free list), not on the decision.
  uint32_t busy_conn() const { return d_valid ? d.conn : kNoConn; }

 private:
  void segment_no_conn(const SegMeta& m);
  void segment_listen(const SegMeta& m, uint32_t isn_mix, uint64_t cycle);
  void segment_syn_sent(const SegMeta& m, uint32_t conn, Tcb& tcb, uint64_t cycle);
  void segment_sync(const SegMeta& m, uint32_t conn, Tcb& tcb, uint64_t cycle);
  TxReq& respond_on(const Tcb& tcb);  // a response on this connection's 4-tuple
  void reset_peer(const Tcb& tcb);
  void reply_ack(const Tcb& tcb);
  void challenge_ack(const Tcb& tcb, uint64_t cycle);
  void reply_rst(const SegMeta& m, uint32_t seq, uint32_t ack, bool with_ack);
  void send_syn(const Tcb& tcb, bool with_ack);
  void event(EvtType type, uint32_t conn, const Tcb& tcb, uint32_t value = 0);
  void count(Counter c);
  void close_conn(uint32_t conn, Tcb& tcb, EvtType why);
  uint16_t adv_window(const Tcb& tcb) const;

  Params p_;
  const EngineRegs& regs_;
  Tables& t_;
  bool d_valid = false;
  FsmResult d;
};

}  // namespace toe::model
