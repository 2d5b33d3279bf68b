// SPDX-License-Identifier: Apache-2.0
#include "tx/tx_arbiter.hpp"

#include <algorithm>

#include "toe/seq.hpp"

namespace toe::model {

// ---- tx_arbiter -------------------------------------------------------------------
void TxArbiter::eval(bool build_ready, uint32_t fsm_conn, uint64_t cycle) {
  d_valid = false;
  w_ = ArbWrite{};
  if (!build_ready) return;
  if (!t_.rsp.empty()) {  // control responses first
    d = t_.rsp.front();
    d_valid = true;
    w_.pop_rsp = true;
    return;
  }
  if (t_.tx_ready.empty()) return;
  const uint32_t conn = t_.tx_ready.front();
  if (conn == fsm_conn) return;  // tcp_fsm decides for this TCB this cycle: next cycle
  w_.pop_ready = true;
  const Tcb& tcb = t_.tcb[conn];
  switch (tcb.state) {
    case TcpState::ESTABLISHED:
    case TcpState::CLOSE_WAIT:
    case TcpState::FIN_WAIT_1:
    case TcpState::CLOSING:
    case TcpState::LAST_ACK:
      break;
    default:
      return;
  }
  const uint32_t data_end = tcb.iss + 1 + tcb.tx_wr;
  const uint32_t avail = seq_lt(tcb.snd_nxt, data_end) ? data_end - tcb.snd_nxt : 0;
  const uint32_t wnd_end = tcb.snd_una + tcb.snd_wnd;
  const uint32_t room = seq_lt(tcb.snd_nxt, wnd_end) ? wnd_end - tcb.snd_nxt : 0;
  uint32_t len = std::min({avail, room, uint32_t(tcb.snd_mss)});
  bool probe = false;
  if (len == 0 && avail > 0 && tcb.probe) {
    len = 1;
    probe = true;
  }
  const bool fin = tcb.fin_pending && tcb.snd_nxt + len == data_end;
  if (len == 0 && !fin) return;
  d = TxReq{};
  d.conn = conn;
  d.dmac = tcb.rmac;
  d.dip = tcb.rip;
  d.sport = tcb.lport;
  d.dport = tcb.rport;
  d.seq = tcb.snd_nxt;
  d.ack = tcb.rcv_nxt;
  d.flags = static_cast<uint8_t>(net::kAck | (fin ? net::kFin : 0) | (len && len == avail ? net::kPsh : 0));
  d.window = static_cast<uint16_t>(std::min<uint32_t>(rx_free(tcb, rx_buf_bytes_) >> tcb.rcv_wscale, 0xFFFF));
  d.payload_len = len;
  d.payload_off = (tcb.snd_nxt - tcb.iss - 1) & t_.tx_mask;
  d_valid = true;
  w_.wr = true;
  w_.conn = conn;
  w_.tcb = tcb;
  w_.retx_arm = tcb.snd_una == tcb.snd_max;  // nothing outstanding: a new flight
  w_.tcb.snd_nxt = tcb.snd_nxt + len + (fin ? 1 : 0);
  if (seq_gt(w_.tcb.snd_nxt, tcb.snd_max)) w_.tcb.snd_max = w_.tcb.snd_nxt;
  w_.tcb.unacked_segs = 0;  // the segment carries the ACK
  w_.tcb.last_tx_cycle = cycle;
  if (probe) w_.tcb.probe = false;
  w_.requeue = !probe && avail > len && room > len;
}

void TxArbiter::commit() {
  q_valid = d_valid;
  if (d_valid) q = d;  // (q is read only while q_valid)
  retx_valid = w_.wr && w_.retx_arm;
  if (retx_valid) {
    retx = Event{};
    retx.type = EvtType::kRetxArm;
    retx.conn = w_.conn;
    retx.value = w_.tcb.snd_una;
    retx.lport = w_.tcb.lport;
    retx.state = w_.tcb.state;
  }
}

}  // namespace toe::model
