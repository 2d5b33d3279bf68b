// SPDX-License-Identifier: Apache-2.0
// toe_tcp_fsm: RFC 9293 3.10.7 segment arrival processing, with RFC 5961
// (challenge ACKs, ACK range), RFC 7323 window scale, and the engine's
// documented choices (docs/architecture.md, "Conformance ownership").
#include "fsm/tcp_fsm.hpp"

#include <algorithm>

#include "fsm/isn_hash.hpp"
#include "toe/seq.hpp"

namespace toe::model {

namespace {
uint32_t seg_len(const SegMeta& m) {
  return m.payload_len + (m.has(net::kSyn) ? 1u : 0u) + (m.has(net::kFin) ? 1u : 0u);
}
bool synchronized(TcpState s) {
  return s != TcpState::CLOSED && s != TcpState::LISTEN && s != TcpState::SYN_SENT &&
         s != TcpState::SYN_RECEIVED;
}
}  // namespace

uint16_t TcpFsm::adv_window(const Tcb& tcb) const {
  const uint32_t w = rx_free(tcb, p_.rx_buf_bytes) >> tcb.rcv_wscale;
  return static_cast<uint16_t>(std::min<uint32_t>(w, 0xFFFF));
}

void TcpFsm::count(Counter c) {
  if (d.count[0] == Counter::kCount)
    d.count[0] = c;
  else
    d.count[1] = c;
}

void TcpFsm::event(EvtType type, uint32_t conn, const Tcb& tcb, uint32_t value) {
  if (d.n_evt >= kMaxEventsPerResult) {  // cannot happen with the current rules; counted if it does
    count(Counter::kEventsDropped);
    return;
  }
  Event& e = d.evt[d.n_evt++];
  e.type = type;
  e.conn = conn;
  e.value = value;
  e.lport = tcb.lport;
  e.state = tcb.state;
}

TxReq& TcpFsm::respond_on(const Tcb& tcb) {
  d.rsp_valid = true;
  TxReq& r = d.rsp;
  r = TxReq{};
  r.conn = d.conn;
  r.dmac = tcb.rmac;
  r.dip = tcb.rip;
  r.sport = tcb.lport;
  r.dport = tcb.rport;
  return r;
}

void TcpFsm::reset_peer(const Tcb& tcb) {  // <SEQ=SND.NXT><CTL=RST> (abort, give up)
  TxReq& r = respond_on(tcb);
  r.seq = tcb.snd_nxt;
  r.flags = net::kRst;
  count(Counter::kRstSent);
}

void TcpFsm::reply_ack(const Tcb& tcb) {
  TxReq& r = respond_on(tcb);
  r.seq = tcb.snd_nxt;
  r.ack = tcb.rcv_nxt;
  r.flags = net::kAck;
  r.window = adv_window(tcb);
}

void TcpFsm::challenge_ack(const Tcb& tcb_in, uint64_t cycle) {
  // RFC 5961 7: per connection at most one per chal_conn_cycles, and a global budget.
  Tcb& tcb = d.tcb;
  tcb = tcb_in;
  const uint64_t per_conn = regs_.chal_conn_cycles ? regs_.chal_conn_cycles : uint64_t(regs_.clock_mhz) * 1000;
  if ((tcb.chal_sent && cycle - tcb.chal_cycle < per_conn) || t_.chal_tokens == 0) {
    count(Counter::kChallengeAckLimited);
    return;
  }
  tcb.chal_sent = true;
  tcb.chal_cycle = cycle;
  d.tcb_write = true;
  d.chal_token_used = true;
  count(Counter::kChallengeAcks);
  reply_ack(tcb);
}

void TcpFsm::reply_rst(const SegMeta& m, uint32_t seq, uint32_t ack, bool with_ack) {
  d.rsp_valid = true;
  TxReq& r = d.rsp;
  r = TxReq{};
  r.conn = kNoConn;
  r.dmac = m.smac;
  r.dip = m.sip;
  r.sport = m.dport;
  r.dport = m.sport;
  r.seq = seq;
  r.ack = with_ack ? ack : 0;
  r.flags = static_cast<uint8_t>(net::kRst | (with_ack ? net::kAck : 0));
  r.window = 0;
  count(Counter::kRstSent);
}

void TcpFsm::send_syn(const Tcb& tcb, bool with_ack) {
  TxReq& r = respond_on(tcb);
  r.seq = tcb.iss;
  r.ack = with_ack ? tcb.rcv_nxt : 0;
  r.flags = static_cast<uint8_t>(net::kSyn | (with_ack ? net::kAck : 0));
  r.window = static_cast<uint16_t>(std::min<uint32_t>(rx_free(tcb, p_.rx_buf_bytes), 0xFFFF));  // never scaled
  r.opt_mss = true;
  r.mss = regs_.mss;
  r.opt_ws = tcb.ws_ok;
  r.wscale = tcb.rcv_wscale;
}

void TcpFsm::close_conn(uint32_t conn, Tcb& tcb, EvtType why) {
  tcb.state = TcpState::CLOSED;
  d.conn = conn;
  d.tcb = tcb;
  d.tcb_write = true;
  d.free_conn = true;
  if (t_.half_open_flag[conn]) d.half_open_done = true;
  event(why, conn, tcb);
  event(EvtType::kFreed, conn, tcb);  // the firmware forgets the connection's timers
}

// ---- segments -----------------------------------------------------------------
void TcpFsm::eval_segment(const SegMeta& m, uint32_t isn_mix, uint64_t cycle) {
  d = FsmResult{};
  d_valid = true;
  d.release_slot = true;
  d.slot = m.slot;
  if (m.drop) {
    count(m.reason);
    return;
  }
  if (!m.is_tcp) return;
  const uint32_t conn = t_.lookup(m.bucket, m.sip, m.sport, m.dport);
  if (conn == kNoConn) {
    if (t_.listening(m.dport))
      segment_listen(m, isn_mix, cycle);
    else
      segment_no_conn(m);
    return;
  }
  Tcb tcb = t_.tcb[conn];
  d.conn = conn;
  if (tcb.state == TcpState::SYN_SENT)
    segment_syn_sent(m, conn, tcb, cycle);
  else
    segment_sync(m, conn, tcb, cycle);
}

// HS1: no connection and no listener (RFC 9293 3.10.7.1).
void TcpFsm::segment_no_conn(const SegMeta& m) {
  count(Counter::kDropNoConn);
  if (m.has(net::kRst)) return;  // never answer a RST
  if (m.has(net::kAck))
    reply_rst(m, m.ack, 0, false);
  else
    reply_rst(m, 0, m.seq + seg_len(m), true);
}

// HS2: LISTEN (RFC 9293 3.10.7.2), with a bounded SYN cache (DS1).
void TcpFsm::segment_listen(const SegMeta& m, uint32_t isn_mix, uint64_t cycle) {
  if (m.has(net::kRst)) {
    count(Counter::kDropUnacceptable);
    return;
  }
  if (m.has(net::kAck)) {
    reply_rst(m, m.ack, 0, false);
    return;
  }
  if (!m.has(net::kSyn) || m.has(net::kFin)) {  // SYN+FIN: dropped (documented choice)
    count(Counter::kDropUnacceptable);
    return;
  }
  if (!t_.bucket_has_room(m.bucket)) {  // 8 ways of this hash bucket in use
    count(Counter::kDropOverflow);
    return;
  }
  // Allocate: the free list, else evict the oldest half-open connection when
  // the SYN cache is full (established connections are never evicted).
  uint32_t conn = t_.free_list.empty() ? kNoConn : t_.free_list.front();
  const bool cache_full = t_.half_open_count >= half_open_limit(p_.sessions, regs_);
  if (cache_full || conn == kNoConn) {
    if (!t_.half_open.empty() && t_.half_open_flag[t_.half_open.front()]) {
      d.evict_conn = t_.half_open.front();
      if (conn == kNoConn || cache_full) conn = d.evict_conn;
      count(Counter::kHalfOpenEvicted);
    } else {
      count(Counter::kSynDropped);
      event(EvtType::kSynDropped, kNoConn, Tcb{}, m.dport);
      return;
    }
  }
  Tcb n{};
  n.state = TcpState::SYN_RECEIVED;
  n.passive = true;
  n.rip = m.sip;
  n.rport = m.sport;
  n.lport = m.dport;
  n.rmac = m.smac;
  n.irs = m.seq;
  n.rcv_nxt = m.seq + 1;
  n.iss = isn_of(regs_, isn_mix, t_.isn_ticks);
  n.snd_una = n.iss;
  n.snd_nxt = n.iss + 1;
  n.snd_max = n.snd_nxt;
  n.snd_wnd = m.window;  // a SYN's window is never scaled
  n.max_snd_wnd = m.window;
  n.snd_wl1 = m.seq;
  n.snd_wl2 = n.iss;
  const uint16_t peer_mss = m.opts.has_mss ? std::max<uint16_t>(m.opts.mss, regs_.mss_floor) : 536;
  n.snd_mss = std::min(peer_mss, regs_.mss);
  if (m.opts.has_wscale) {
    n.ws_ok = true;
    n.snd_wscale = std::min<uint8_t>(m.opts.wscale, 14);  // OP3
    n.rcv_wscale = regs_.rcv_wscale;
  }
  n.last_tx_cycle = cycle;
  // Data on a SYN is not queued (documented choice): only the SYN is ACKed.
  d.conn = conn;
  d.tcb = n;
  d.tcb_write = true;
  d.index_insert = true;
  d.half_open_add = true;
  send_syn(n, true);
  event(EvtType::kRetxArm, conn, n, n.snd_una);
}

// HS3, HS4, HS5: SYN-SENT (RFC 9293 3.10.7.3).
void TcpFsm::segment_syn_sent(const SegMeta& m, uint32_t conn, Tcb& tcb, uint64_t cycle) {
  const bool has_ack = m.has(net::kAck);
  if (has_ack && (seq_leq(m.ack, tcb.iss) || seq_gt(m.ack, tcb.snd_nxt))) {
    count(Counter::kDropUnacceptable);
    if (!m.has(net::kRst)) reply_rst(m, m.ack, 0, false);
    return;
  }
  if (m.has(net::kRst)) {
    if (has_ack) close_conn(conn, tcb, EvtType::kReset);  // acceptable ACK: reset
    else count(Counter::kDropUnacceptable);                // HS4: bare RST ignored
    return;
  }
  if (!m.has(net::kSyn)) {
    count(Counter::kDropUnacceptable);
    return;
  }
  tcb.irs = m.seq;
  tcb.rcv_nxt = m.seq + 1;
  const uint16_t peer_mss = m.opts.has_mss ? std::max<uint16_t>(m.opts.mss, regs_.mss_floor) : 536;
  tcb.snd_mss = std::min(peer_mss, regs_.mss);
  if (m.opts.has_wscale) {
    tcb.snd_wscale = std::min<uint8_t>(m.opts.wscale, 14);
  } else {
    tcb.ws_ok = false;
    tcb.snd_wscale = tcb.rcv_wscale = 0;
  }
  tcb.snd_wnd = m.window;
  tcb.max_snd_wnd = m.window;
  tcb.snd_wl1 = m.seq;
  tcb.snd_wl2 = m.ack;
  d.tcb_write = true;
  if (has_ack) {
    tcb.snd_una = m.ack;
    tcb.state = TcpState::ESTABLISHED;
    d.tcb = tcb;
    reply_ack(tcb);
    event(EvtType::kConnected, conn, tcb);  // HS8: connect() completes here
    event(EvtType::kRetxDisarm, conn, tcb);
    d.tx_kick = true;
  } else {
    // HS5: simultaneous open: SYN,ACK from SYN-RECEIVED, remembering we were active.
    tcb.state = TcpState::SYN_RECEIVED;
    tcb.last_tx_cycle = cycle;  // the SYN-ACK goes now: the retransmission timer restarts
    d.tcb = tcb;
    send_syn(tcb, true);
  }
}

// SYN-RECEIVED and the synchronized states (RFC 9293 3.10.7.4, RFC 5961).
void TcpFsm::segment_sync(const SegMeta& m, uint32_t conn, Tcb& tcb, uint64_t cycle) {
  const uint32_t len = seg_len(m);
  const TcpState state_in = tcb.state;
  // HS7: the peer's SYN again in SYN-RECEIVED (our SYN-ACK was lost): answer it again.
  if (m.has(net::kSyn) && tcb.state == TcpState::SYN_RECEIVED && m.seq == tcb.irs && !m.has(net::kAck) &&
      !m.has(net::kRst)) {
    send_syn(tcb, true);
    return;
  }
  // TW3: RFC 1337: every RST in TIME-WAIT is ignored.
  if (tcb.state == TcpState::TIME_WAIT && m.has(net::kRst)) {
    count(Counter::kDropUnacceptable);
    return;
  }
  // TW2: the peer's FIN retransmitted exactly: re-ACK and restart 2*MSL. A SYN+FIN is not one
  // (it goes through the checks below: unacceptable, ACKed, no restart).
  if (tcb.state == TcpState::TIME_WAIT && m.has(net::kFin) && !m.has(net::kRst) && !m.has(net::kSyn) &&
      m.seq + len == tcb.rcv_nxt) {
    reply_ack(tcb);
    event(EvtType::kTimeWaitEntered, conn, tcb);
    return;
  }
  // 1. sequence number check (SQ1, SQ2)
  const uint32_t wnd = rx_free(tcb, p_.rx_buf_bytes);
  bool ok;
  if (len == 0)
    ok = wnd == 0 ? m.seq == tcb.rcv_nxt : seq_in_window(m.seq, tcb.rcv_nxt, wnd);
  else
    ok = wnd != 0 && (seq_in_window(m.seq, tcb.rcv_nxt, wnd) || seq_in_window(m.seq + len - 1, tcb.rcv_nxt, wnd));
  // FN4: a bare FIN at RCV.NXT needs no buffer space: accepted at zero window.
  if (!ok && wnd == 0 && m.has(net::kFin) && m.payload_len == 0 && m.seq == tcb.rcv_nxt) ok = true;
  // RFC 5961 3.2: a RST is judged by its sequence number alone.
  if (m.has(net::kRst)) ok = wnd == 0 ? m.seq == tcb.rcv_nxt : seq_in_window(m.seq, tcb.rcv_nxt, wnd);
  if (!ok) {
    count(Counter::kDropUnacceptable);
    if (!m.has(net::kRst)) challenge_ack(tcb, cycle);  // <SEQ=SND.NXT><ACK=RCV.NXT><ACK>, rate-limited (DS2)
    return;
  }
  // 2. RST (RS1, RS2, RS3, TW3)
  if (m.has(net::kRst)) {
    if (m.seq != tcb.rcv_nxt) {
      challenge_ack(tcb, cycle);
      return;
    }
    switch (tcb.state) {
      case TcpState::CLOSING:
      case TcpState::LAST_ACK:
        close_conn(conn, tcb, EvtType::kClosed);
        return;
      default:  // SYN-RECEIVED from LISTEN: freed, the listener stays (RS3)
        close_conn(conn, tcb, EvtType::kReset);
        return;
    }
  }
  // 4. SYN (RFC 5961 4 / SY1, TW4, HS7): challenge ACK, no state change.
  if (m.has(net::kSyn)) {
    challenge_ack(tcb, cycle);
    return;
  }
  // 5. ACK field (SQ3 .. SQ6)
  if (!m.has(net::kAck)) {
    count(Counter::kDropUnacceptable);
    return;
  }
  bool need_ack = false;
  if (tcb.state == TcpState::SYN_RECEIVED) {
    if (!(seq_lt(tcb.snd_una, m.ack) && seq_leq(m.ack, tcb.snd_nxt))) {  // HS6
      count(Counter::kDropUnacceptable);
      reply_rst(m, m.ack, 0, false);
      return;
    }
    // A close requested in SYN-RECEIVED with data queued takes effect now (RFC 9293 3.10.4).
    tcb.state = tcb.fin_pending ? TcpState::FIN_WAIT_1 : TcpState::ESTABLISHED;
    tcb.snd_una = m.ack;
    tcb.snd_wnd = uint32_t(m.window) << tcb.snd_wscale;
    tcb.max_snd_wnd = std::max(tcb.max_snd_wnd, tcb.snd_wnd);
    tcb.snd_wl1 = m.seq;
    tcb.snd_wl2 = m.ack;
    if (t_.half_open_flag[conn]) d.half_open_done = true;
    event(tcb.passive ? EvtType::kAccepted : EvtType::kConnected, conn, tcb);  // HS8
    if (tcb.snd_una == tcb.snd_max)
      event(EvtType::kRetxDisarm, conn, tcb);
    else  // ACK progress with data still outstanding: the timer restarts (RFC 6298 5.3)
      event(EvtType::kRetxArm, conn, tcb, tcb.snd_una);
    d.tx_kick = true;
  } else {
    if (seq_gt(m.ack, tcb.snd_max)) {  // SQ4: ACKs something not yet sent (SND.MAX: see Tcb)
      count(Counter::kDropUnacceptable);
      challenge_ack(tcb, cycle);
      return;
    }
    if (seq_lt(m.ack, tcb.snd_una - std::max<uint32_t>(tcb.max_snd_wnd, 1))) {  // SQ5 (RFC 5961 5.2)
      count(Counter::kDropUnacceptable);
      challenge_ack(tcb, cycle);
      return;
    }
    const uint32_t data_end = tcb.iss + 1 + tcb.tx_wr;
    const bool progress = seq_lt(tcb.snd_una, m.ack);
    if (progress) {
      tcb.snd_una = m.ack;
      if (seq_gt(tcb.snd_una, tcb.snd_nxt)) tcb.snd_nxt = tcb.snd_una;  // sent before a go-back
      d.tx_kick = true;
    }
    // SQ6: window update only for SND.UNA <= SEG.ACK <= SND.NXT and the WL1/WL2 rule
    if (seq_leq(tcb.snd_una, m.ack) &&
        (seq_lt(tcb.snd_wl1, m.seq) || (tcb.snd_wl1 == m.seq && seq_leq(tcb.snd_wl2, m.ack)))) {
      const uint32_t w = uint32_t(m.window) << tcb.snd_wscale;
      if (w > tcb.snd_wnd) d.tx_kick = true;
      tcb.snd_wnd = w;
      tcb.max_snd_wnd = std::max(tcb.max_snd_wnd, w);
      tcb.snd_wl1 = m.seq;
      tcb.snd_wl2 = m.ack;
    }
    if (progress) {
      const uint32_t acked = std::min<uint32_t>(tcb.snd_una - tcb.iss - 1, tcb.tx_wr);
      event(EvtType::kAcked, conn, tcb, acked);
      // The timer restarts on ACK progress with data still outstanding (RFC 6298 5.3), and runs
      // when everything sent is acknowledged but the window closed with data queued (TM4: its
      // expiry sends the probe).
      if (tcb.snd_una == tcb.snd_max && !(tcb.snd_wnd == 0 && seq_lt(tcb.snd_una, data_end)))
        event(EvtType::kRetxDisarm, conn, tcb);
      else
        event(EvtType::kRetxArm, conn, tcb, tcb.snd_una);
    }
    // TM4, keep-alive: the answer to a probe. One that moves SND.UNA was reported above.
    if (tcb.probing && (progress || len == 0)) {
      tcb.probing = false;
      if (!progress) event(EvtType::kPeerAlive, conn, tcb, tcb.snd_wnd);
    }
    // Our FIN acknowledged?
    if (tcb.fin_pending && tcb.snd_una == data_end + 1) {
      if (tcb.state == TcpState::FIN_WAIT_1) {
        tcb.state = TcpState::FIN_WAIT_2;
      } else if (tcb.state == TcpState::CLOSING) {
        tcb.state = TcpState::TIME_WAIT;
        event(EvtType::kTimeWaitEntered, conn, tcb);
      } else if (tcb.state == TcpState::LAST_ACK) {
        close_conn(conn, tcb, EvtType::kClosed);
        return;
      }
    }
  }
  const TcpState state_after_ack = tcb.state;
  // 7. segment text (in order only; out of order, data or FIN: immediate duplicate ACK)
  bool in_order = true;
  if (len > 0 && seq_gt(m.seq, tcb.rcv_nxt)) {
    in_order = false;
    need_ack = true;
  }
  if (m.payload_len > 0 && in_order) {
    const bool can_take = tcb.state == TcpState::ESTABLISHED || tcb.state == TcpState::FIN_WAIT_1 ||
                          tcb.state == TcpState::FIN_WAIT_2;
    if (can_take) {
      {
        const uint32_t skip = tcb.rcv_nxt - m.seq;  // already received part
        const uint32_t room = rx_free(tcb, p_.rx_buf_bytes);
        const uint32_t n = std::min<uint32_t>(m.payload_len - skip, room);
        if (n) {
          d.payload = true;
          d.payload_off = static_cast<uint16_t>(m.payload_off + skip);
          d.payload_len = static_cast<uint16_t>(n);
          d.rx_off = tcb.rx_wr;
          tcb.rcv_nxt += n;
          tcb.rx_wr += n;
          event(EvtType::kData, conn, tcb, tcb.rx_wr);
        }
        if (n < m.payload_len - skip) in_order = false;  // trimmed at the window: FIN waits
        if (++tcb.unacked_segs >= regs_.ack_every || n < m.payload_len - skip)
          need_ack = true;
        else if (tcb.unacked_segs == 1)
          event(EvtType::kAckDelayed, conn, tcb);  // TM3: the firmware's delayed-ACK timer starts
      }
    }
    // CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT: text after the peer's FIN is ignored (FN2).
  }
  // 8. FIN, only when in sequence (FN1)
  if (m.has(net::kFin) && in_order && m.seq + m.payload_len == tcb.rcv_nxt && !tcb.fin_rcvd) {
    tcb.rcv_nxt += 1;
    tcb.fin_rcvd = true;
    need_ack = true;
    switch (tcb.state) {
      case TcpState::ESTABLISHED:
        tcb.state = TcpState::CLOSE_WAIT;
        break;
      case TcpState::FIN_WAIT_1:
        tcb.state = TcpState::CLOSING;  // FN3: simultaneous close
        break;
      case TcpState::FIN_WAIT_2:
        tcb.state = TcpState::TIME_WAIT;
        event(EvtType::kTimeWaitEntered, conn, tcb);
        break;
      default:
        break;
    }
    event(EvtType::kPeerClosed, conn, tcb);
  }
  if (need_ack) {
    tcb.unacked_segs = 0;
    reply_ack(tcb);
  }
  // FN5: ESTABLISHED reached and left within this segment (the handshake's ACK carries a FIN)
  // is reported in the trace too. (FIN-WAIT-1 -> TIME-WAIT on a FIN that ACKs our FIN is one
  // transition, as RFC 9293's FIN processing and lwIP have it.)
  if (state_after_ack == TcpState::ESTABLISHED && state_in != TcpState::ESTABLISHED && tcb.state != state_after_ack)
    d.via = state_after_ack;
  d.tcb = tcb;
  d.tcb_write = true;
}

// ---- commands -----------------------------------------------------------------
void TcpFsm::eval_command(const Cmd& c, uint32_t isn_mix, uint64_t cycle) {
  d = FsmResult{};
  d_valid = true;
  switch (c.op) {
    case CmdOp::kNop:
      return;
    case CmdOp::kListen:
    case CmdOp::kUnlisten: {
      int slot = -1;
      for (size_t i = 0; i < t_.listen.size(); ++i) {
        if (t_.listen[i].valid && t_.listen[i].port == c.port) slot = int(i);
      }
      if (c.op == CmdOp::kListen && slot < 0)
        for (size_t i = 0; i < t_.listen.size() && slot < 0; ++i)
          if (!t_.listen[i].valid) slot = int(i);
      if (slot < 0) {
        count(Counter::kDropOverflow);
        return;
      }
      d.listen_write = true;
      d.listen_slot = static_cast<uint16_t>(slot);
      d.listen_val = ListenEntry{c.op == CmdOp::kListen, c.port};
      return;
    }
    case CmdOp::kNoRoute: {  // a connect by IP address the firmware could not resolve
      Tcb n{};
      n.rip = c.ip;
      n.rport = c.port;
      n.lport = c.lport;
      event(EvtType::kTimedOut, kNoConn, n, c.tag);
      return;
    }
    case CmdOp::kConnect:
    case CmdOp::kConnectResolved: {  // the host's, or the firmware's with the MAC it resolved
      Tcb n{};
      n.rip = c.ip;
      n.rport = c.port;
      n.lport = c.lport;
      const uint32_t bucket = t_.bucket_of(c.ip, c.port, c.lport);
      if (t_.free_list.empty() || !t_.bucket_has_room(bucket) ||
          t_.lookup(bucket, c.ip, c.port, c.lport) != kNoConn) {
        event(EvtType::kConnectFailed, kNoConn, n, c.tag);
        return;
      }
      const uint32_t conn = t_.free_list.front();
      n.state = TcpState::SYN_SENT;
      n.rmac = c.mac;
      n.iss = isn_of(regs_, isn_mix, t_.isn_ticks);
      n.snd_una = n.iss;
      n.snd_nxt = n.iss + 1;
      n.snd_max = n.snd_nxt;
      n.snd_mss = regs_.mss;
      n.ws_ok = true;  // offered; kept only if the SYN-ACK carries one too
      n.rcv_wscale = regs_.rcv_wscale;
      n.tag = c.tag;
      n.last_tx_cycle = cycle;
      d.conn = conn;
      d.tcb = n;
      d.tcb_write = true;
      d.index_insert = true;
      send_syn(n, false);
      event(EvtType::kOpened, conn, n, c.tag);
      event(EvtType::kRetxArm, conn, n, n.snd_una);
      return;
    }
    default:
      break;
  }
  // Per-connection commands.
  if (c.conn >= t_.tcb.size() || t_.tcb[c.conn].state == TcpState::CLOSED) {
    count(Counter::kDropNoConn);
    return;
  }
  const uint32_t conn = c.conn;
  Tcb tcb = t_.tcb[conn];
  d.conn = conn;
  d.tcb_write = true;
  switch (c.op) {
    case CmdOp::kClose:
      if (tcb.state == TcpState::SYN_SENT) {
        close_conn(conn, tcb, EvtType::kClosed);
        return;
      }
      if (tcb.state == TcpState::SYN_RECEIVED && tcb.tx_wr != 0) {
        tcb.fin_pending = true;  // data queued: FIN after it, once ESTABLISHED (RFC 9293 3.10.4)
        break;
      }
      if (tcb.state == TcpState::SYN_RECEIVED || tcb.state == TcpState::ESTABLISHED) {
        tcb.state = TcpState::FIN_WAIT_1;
      } else if (tcb.state == TcpState::CLOSE_WAIT) {
        tcb.state = TcpState::LAST_ACK;
      } else {
        d.tcb_write = false;
        return;
      }
      tcb.fin_pending = true;
      d.tx_kick = true;
      break;
    case CmdOp::kAbort:
      if (tcb.state != TcpState::SYN_SENT) reset_peer(tcb);
      close_conn(conn, tcb, EvtType::kReset);
      return;
    case CmdOp::kTxPush: {
      // The new write pointer must not pass the unacked data by more than the buffer (it would
      // overwrite it) nor move behind the old one (bytes already queued, maybe sent, would go).
      const uint32_t unacked_base = std::min<uint32_t>(tcb.snd_una - tcb.iss - 1, tcb.tx_wr);
      const uint32_t ahead = c.value - unacked_base;
      if (ahead > p_.tx_buf_bytes || ahead < tcb.tx_wr - unacked_base || tcb.fin_pending) {
        count(Counter::kDropOverflow);
        d.tcb_write = false;
        return;
      }
      tcb.tx_wr = c.value;
      d.tx_kick = true;
      // TM4: data queued at a zero window with nothing outstanding: the timer runs (its expiry
      // sends the probe); while it runs, the firmware takes the same value again as no news.
      if (synchronized(tcb.state) && tcb.snd_wnd == 0 && tcb.snd_una == tcb.snd_max && c.value != tcb.snd_una - tcb.iss - 1)
        event(EvtType::kRetxArm, conn, tcb, tcb.snd_una);
      break;
    }
    case CmdOp::kRxConsume: {
      if (c.value - tcb.rx_rd > tcb.rx_wr - tcb.rx_rd) {  // reads beyond what was delivered
        count(Counter::kDropOverflow);
        d.tcb_write = false;
        return;
      }
      const uint16_t before = adv_window(tcb);
      tcb.rx_rd = c.value;
      const uint16_t after = adv_window(tcb);
      // Window update when the window opens past min(RCV.BUFF/2, MSS) (receiver SWS
      // avoidance, RFC 9293 3.8.6.2.2; a buffer smaller than one MSS still gets updates).
      const uint32_t thresh = std::min<uint32_t>(p_.rx_buf_bytes / 2, tcb.snd_mss);
      if (synchronized(tcb.state) && (uint32_t(before) << tcb.rcv_wscale) < thresh &&
          (uint32_t(after) << tcb.rcv_wscale) >= thresh)
        reply_ack(tcb);
      break;
    }
    case CmdOp::kRetransmit:
      if (tcb.state == TcpState::SYN_SENT) {
        send_syn(tcb, false);
      } else if (tcb.state == TcpState::SYN_RECEIVED) {
        send_syn(tcb, true);
      } else {
        if (tcb.snd_una != tcb.snd_max) {
          tcb.snd_nxt = tcb.snd_una;  // go back to SND.UNA
          d.tx_kick = true;
        }
        // TM4: a zero window with data queued: a probe of one byte (also with data outstanding
        // beyond the window, whose window update may have been lost)
        if (tcb.snd_wnd == 0 && tcb.tx_wr != tcb.snd_una - tcb.iss - 1) {
          tcb.probe = true;
          tcb.probing = true;
          d.tx_kick = true;
        }
      }
      tcb.last_tx_cycle = cycle;
      break;
    case CmdOp::kTimeWaitExpire:
      if (tcb.state == TcpState::TIME_WAIT) {
        close_conn(conn, tcb, EvtType::kClosed);
        return;
      }
      d.tcb_write = false;
      break;
    case CmdOp::kGiveUp:
      if (synchronized(tcb.state)) reset_peer(tcb);
      close_conn(conn, tcb, EvtType::kTimedOut);
      return;
    case CmdOp::kKeepalive:  // RFC 9293 3.8.4: <SEQ=SND.UNA-1><ACK=RCV.NXT><CTL=ACK>, no data
      if (tcb.state == TcpState::ESTABLISHED || tcb.state == TcpState::CLOSE_WAIT) {
        TxReq& r = respond_on(tcb);
        r.seq = tcb.snd_una - 1;
        r.ack = tcb.rcv_nxt;
        r.flags = net::kAck;
        r.window = adv_window(tcb);
        tcb.probing = true;
      } else {
        d.tcb_write = false;
      }
      break;
    case CmdOp::kSendAck:  // delayed-ACK timer expired: ACK if still owed
      if (synchronized(tcb.state) && tcb.unacked_segs > 0) {
        tcb.unacked_segs = 0;
        reply_ack(tcb);
      }
      break;
    default:
      d.tcb_write = false;
      break;
  }
  d.tcb = tcb;
}

}  // namespace toe::model

namespace toe::model {

void TcpFsm::commit() {
  q_valid = d_valid;
  if (d_valid) q = d;  // (q is read only while q_valid)
}

}  // namespace toe::model
