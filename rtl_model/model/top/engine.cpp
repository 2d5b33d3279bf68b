// Engine (toe_top) glue and the rx_parse, rx_csum, tx_arbiter, tx_build/tx_csum stages.
#include "engine.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "rx_copy.hpp"
#include "rx_parse.hpp"
#include "tcp_fsm.hpp"
#include "toe/seq.hpp"
#include "tx_path.hpp"

namespace toe::model {

// ---- names --------------------------------------------------------------------
const char* to_string(CmdOp op) {
  switch (op) {
    case CmdOp::kNop: return "nop";
    case CmdOp::kListen: return "listen";
    case CmdOp::kUnlisten: return "unlisten";
    case CmdOp::kConnect: return "connect";
    case CmdOp::kClose: return "close";
    case CmdOp::kAbort: return "abort";
    case CmdOp::kTxPush: return "tx_push";
    case CmdOp::kRxConsume: return "rx_consume";
    case CmdOp::kRetransmit: return "retransmit";
    case CmdOp::kTimeWaitExpire: return "time_wait_expire";
    case CmdOp::kGiveUp: return "give_up";
    case CmdOp::kSendAck: return "send_ack";
  }
  return "?";
}

const char* to_string(EvtType t) {
  switch (t) {
    case EvtType::kConnected: return "connected";
    case EvtType::kAccepted: return "accepted";
    case EvtType::kData: return "data";
    case EvtType::kAcked: return "acked";
    case EvtType::kPeerClosed: return "peer_closed";
    case EvtType::kClosed: return "closed";
    case EvtType::kReset: return "reset";
    case EvtType::kTimedOut: return "timed_out";
    case EvtType::kConnectFailed: return "connect_failed";
    case EvtType::kTimeWaitEntered: return "time_wait_entered";
    case EvtType::kRetxArm: return "retx_arm";
    case EvtType::kRetxDisarm: return "retx_disarm";
    case EvtType::kOpened: return "opened";
    case EvtType::kSynDropped: return "syn_dropped";
    case EvtType::kAckDelayed: return "ack_delayed";
  }
  return "?";
}

const char* to_string(Counter c) {
  switch (c) {
    case Counter::kFramesIn: return "frames_in";
    case Counter::kFramesOut: return "frames_out";
    case Counter::kDropBadCsum: return "drop_bad_csum";
    case Counter::kDropMalformed: return "drop_malformed";
    case Counter::kDropNotForUs: return "drop_not_for_us";
    case Counter::kDropNoConn: return "drop_no_conn";
    case Counter::kDropFragment: return "drop_fragment";
    case Counter::kDropOverflow: return "drop_overflow";
    case Counter::kChallengeAcks: return "challenge_acks";
    case Counter::kRstSent: return "rst_sent";
    case Counter::kDropMacError: return "drop_mac_error";
    case Counter::kDropUnacceptable: return "drop_unacceptable";
    case Counter::kChallengeAckLimited: return "challenge_ack_limited";
    case Counter::kSynDropped: return "syn_dropped";
    case Counter::kHalfOpenEvicted: return "half_open_evicted";
    case Counter::kEventsDropped: return "events_dropped";
    case Counter::kArpIn: return "arp_in";
    case Counter::kCount: break;
  }
  return "?";
}

// ---- rx_parse -------------------------------------------------------------------
void RxParse::eval(const AxisBeat& beat, bool beat_fire) {
  d_valid = false;
  pos_d_ = pos_q_;
  oversize_d_ = oversize_q_;
  slot_d_ = slot_q_;
  if (!beat_fire) return;
  // The slot being filled is private to rx_parse until tlast, so the bytes go
  // straight into it.
  uint8_t* s = t_.slots[slot_q_].data();
  for (uint32_t i = 0; i < cfg_.data_bytes; ++i) {
    if (!((beat.tkeep >> i) & 1u)) continue;
    if (pos_d_ < kMaxFrameBytes)
      s[pos_d_++] = beat.tdata[i];
    else
      oversize_d_ = true;
  }
  if (!beat.tlast) return;

  d_valid = true;
  d = SegMeta{};
  d.slot = slot_q_;
  const uint32_t len = pos_d_;
  const bool over = oversize_d_;  // bytes beyond the slot, this beat included
  pos_d_ = 0;
  oversize_d_ = false;
  slot_d_ = static_cast<uint8_t>((slot_q_ + 1) % cfg_.rx_slots);
  auto drop = [&](Counter c) {
    d.drop = true;
    d.reason = c;
  };
  if (beat.tuser) return drop(Counter::kDropMacError);
  if (over)
    return drop(Counter::kDropMalformed);
  net::Frame f;
  net::ParseOptions po;
  po.verify_ip_checksum = false;  // rx_csum's job
  po.verify_tcp_checksum = false;
  const net::ParseError e = net::parse_frame(s, len, f, po);
  switch (e) {
    case net::ParseError::kOk: break;
    case net::ParseError::kIpFragment: return drop(Counter::kDropFragment);  // HD2: dropped, counted
    case net::ParseError::kUnsupportedEthertype:
    case net::ParseError::kIpUnsupportedProtocol: return drop(Counter::kDropNotForUs);
    default:
      if (f.kind == net::Frame::Kind::kArp) return drop(Counter::kArpIn);
      return drop(Counter::kDropMalformed);  // HD1, OP1
  }
  if (f.kind == net::Frame::Kind::kArp) return drop(Counter::kArpIn);  // the firmware's (slow path)
  // HD2: only frames to our unicast MAC and IP (broadcast/multicast never reach TCP).
  if (f.eth.dst != cfg_.local_mac || f.ip.dst != cfg_.local_ip) return drop(Counter::kDropNotForUs);
  d.is_tcp = true;
  d.smac = f.eth.src;
  d.sip = f.ip.src;
  d.dip = f.ip.dst;
  d.sport = f.tcp.src_port;
  d.dport = f.tcp.dst_port;
  d.seq = f.tcp.seq;
  d.ack = f.tcp.ack;
  d.flags = f.tcp.flags;
  d.window = f.tcp.window;
  d.opts = f.tcp.opts;
  d.payload_off = static_cast<uint16_t>(f.payload - s);
  d.payload_len = static_cast<uint16_t>(f.payload_len);
  d.ip_off = static_cast<uint16_t>(net::kEthHeaderLen);
  d.ip_hlen = static_cast<uint16_t>(f.ip.ihl * 4u);
  d.ip_total = f.ip.total_length;
}

// ---- rx_csum --------------------------------------------------------------------
void RxCsum::eval(bool in_valid, const SegMeta& in) {
  d_valid = in_valid;
  if (!in_valid) return;
  d = in;
  if (in.drop || !in.is_tcp) return;
  const uint8_t* ip = t_.slots[in.slot].data() + in.ip_off;
  const bool ip_ok = net::csum_fold(net::csum_add(0, ip, in.ip_hlen)) == 0;
  const uint16_t tcp_len = static_cast<uint16_t>(in.ip_total - in.ip_hlen);
  const bool tcp_ok =
      net::csum_fold(net::csum_add(net::tcp_pseudo_sum(in.sip, in.dip, tcp_len), ip + in.ip_hlen, tcp_len)) == 0;
  if (!ip_ok || !tcp_ok) {  // CK1: silent drop, counted
    d.drop = true;
    d.reason = Counter::kDropBadCsum;
  }
}

// ---- tx_arbiter -------------------------------------------------------------------
void TxArbiter::eval(bool build_ready, uint32_t fsm_conn, uint64_t cycle) {
  d_valid = false;
  wr_ = requeue_ = pop_rsp_ = pop_ready_ = retx_arm_ = false;
  if (!build_ready) return;
  if (!t_.rsp.empty()) {  // control responses first
    d = t_.rsp.front();
    d_valid = true;
    pop_rsp_ = true;
    return;
  }
  if (t_.tx_ready.empty()) return;
  const uint32_t conn = t_.tx_ready.front();
  if (conn == fsm_conn) return;  // tcp_fsm owns this TCB this cycle: try again next cycle
  pop_ready_ = true;
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
  d.window = static_cast<uint16_t>(std::min<uint32_t>(rx_free(tcb, cfg_.rx_buf_bytes) >> tcb.rcv_wscale, 0xFFFF));
  d.payload_len = len;
  d.payload_off = (tcb.snd_nxt - tcb.iss - 1) & t_.tx_mask;
  d_valid = true;
  wr_ = true;
  wr_conn_ = conn;
  wr_tcb_ = tcb;
  retx_arm_ = tcb.snd_una == tcb.snd_nxt;
  wr_tcb_.snd_nxt = tcb.snd_nxt + len + (fin ? 1 : 0);
  wr_tcb_.unacked_segs = 0;  // the segment carries the ACK
  wr_tcb_.last_tx_cycle = cycle;
  if (probe) wr_tcb_.probe = false;
  requeue_ = !probe && avail > len && room > len;
}

void TxArbiter::commit() {
  if (pop_rsp_) t_.rsp.pop();
  if (pop_ready_) {
    const uint32_t conn = t_.tx_ready.pop();
    t_.tx_queued[conn] = 0;
    if (requeue_) {
      t_.tx_queued[conn] = 1;
      t_.tx_ready.push(conn);
    }
  }
  if (wr_) {
    t_.tcb[wr_conn_] = wr_tcb_;
    if (retx_arm_) {
      Event e;
      e.type = EvtType::kRetxArm;
      e.conn = wr_conn_;
      e.value = wr_tcb_.snd_nxt;
      e.lport = wr_tcb_.lport;
      e.state = wr_tcb_.state;
      t_.evt.push(e);
    }
  }
  q_valid = d_valid;
  q = d;
}

// ---- tx_build + tx_csum -------------------------------------------------------------
void TxBuild::reset() {
  built_q_ = built_d_ = stage_q_ = stream_q_ = stream_d_ = done_q_ = done_d_ = false;
  wait_q_ = wait_d_ = 0;
  pos_q_ = pos_d_ = 0;
  beat_q_ = beat_d_ = AxisBeat{};
}

uint32_t TxBuild::fetch_cycles(const TxReq& r) const {
  const uint32_t n = std::min<uint32_t>(r.payload_len, kMaxFrameBytes);
  if (n == 0) return 0;
  const uint32_t w = cfg_.data_bytes;
  return ((r.payload_off & (w - 1)) + n + w - 1) / w;
}

void TxBuild::build_frame(const TxReq& r, std::vector<uint8_t>& f) const {
  net::EthHeader eth{r.dmac, cfg_.local_mac, net::kEtherTypeIpv4};
  net::Ipv4Header ip;
  ip.src = cfg_.local_ip;
  ip.dst = r.dip;
  ip.df = true;
  ip.ttl = 64;
  net::TcpHeader t;
  t.src_port = r.sport;
  t.dst_port = r.dport;
  t.seq = r.seq;
  t.ack = r.ack;
  t.flags = r.flags;
  t.window = r.window;
  t.opts.has_mss = r.opt_mss;
  t.opts.mss = r.mss;
  t.opts.has_wscale = r.opt_ws;
  t.opts.wscale = r.wscale;
  uint8_t payload[kMaxFrameBytes];
  const uint32_t n = std::min<uint32_t>(r.payload_len, sizeof payload);
  if (n) {
    const uint8_t* base = &t_.tx_buf[size_t(r.conn) * (t_.tx_mask + 1)];
    for (uint32_t i = 0; i < n; ++i) payload[i] = base[(r.payload_off + i) & t_.tx_mask];
  }
  f = net::build_tcp_frame(eth, ip, t, payload, n);  // checksums: tx_csum's part of the work
}

void TxBuild::eval(bool in_valid, const TxReq& in, bool beat_taken) {
  done_d_ = false;
  // tx_csum: stream the current frame
  stream_d_ = stream_q_;
  pos_d_ = pos_q_;
  if (stream_q_ && beat_taken) {
    pos_d_ += cfg_.data_bytes;
    if (pos_d_ >= stream_qf_.size()) {
      stream_d_ = false;
      done_d_ = true;
    }
  }
  move_ = false;
  if (built_q_ && wait_q_ == 0 && !stream_d_) {  // payload complete, tx_csum free: tx_build -> tx_csum
    move_ = true;
    stream_d_ = true;
    pos_d_ = 0;
  }
  built_d_ = built_q_ && !move_;
  wait_d_ = wait_q_ ? wait_q_ - 1 : 0;
  accept_ = in_valid;
  if (in_valid) {
    build_frame(in, built_df_);
    built_d_ = true;
    wait_d_ = fetch_cycles(in);
  }
  // Output beat presented next cycle.
  beat_d_ = AxisBeat{};
  if (stream_d_) {
    const std::vector<uint8_t>& f = move_ ? built_qf_ : stream_qf_;
    const uint32_t w = cfg_.data_bytes;
    const uint32_t n = std::min<uint32_t>(w, uint32_t(f.size()) - pos_d_);
    std::memcpy(beat_d_.tdata.data(), f.data() + pos_d_, n);
    beat_d_.tkeep = n >= 64 ? ~0ull : ((1ull << n) - 1);
    beat_d_.tvalid = true;
    beat_d_.tlast = pos_d_ + w >= f.size();
  }
}

void TxBuild::commit() {
  if (move_) std::swap(stream_qf_, built_qf_);
  if (accept_) std::swap(built_qf_, built_df_);
  built_q_ = built_d_;
  wait_q_ = wait_d_;
  stage_q_ = built_q_;
  stream_q_ = stream_d_;
  pos_q_ = pos_d_;
  beat_q_ = beat_d_;
  done_q_ = done_d_;
}

// ---- rx_copy ---------------------------------------------------------------------------
void RxCopy::eval() {
  wr_d_ = WriteStage{};
  pop_ = false;
  word_d_ = word_q_;
  if (t_.copy_jobs.empty()) return;
  const CopyJob& j = t_.copy_jobs.front();
  const uint32_t w = cfg_.data_bytes;
  const uint32_t last = (uint32_t(j.off) + j.len - 1) / w;
  const uint32_t k = j.off / w + word_q_;
  wr_d_.valid = true;
  wr_d_.last = k == last;
  wr_d_.conn = j.conn;
  wr_d_.slot = j.slot;
  wr_d_.lo = static_cast<uint16_t>(std::max<uint32_t>(j.off, k * w));
  wr_d_.hi = static_cast<uint16_t>(std::min<uint32_t>(uint32_t(j.off) + j.len, (k + 1) * w));
  wr_d_.dst = j.rx_off + (wr_d_.lo - j.off);
  pop_ = wr_d_.last;
  word_d_ = wr_d_.last ? 0 : word_q_ + 1;
}

void RxCopy::commit() {
  if (wr_q_.valid) {
    uint8_t* base = &t_.rx_buf[size_t(wr_q_.conn) * (t_.rx_mask + 1)];
    const uint8_t* src = t_.slots[wr_q_.slot].data();
    for (uint32_t i = wr_q_.lo; i < wr_q_.hi; ++i) base[(wr_q_.dst + (i - wr_q_.lo)) & t_.rx_mask] = src[i];
    if (wr_q_.last) {
      --t_.slots_busy;
      t_.slot_busy[wr_q_.slot] = 0;
      ++t_.copy_credit;
    }
  }
  if (pop_) t_.copy_jobs.pop();
  wr_q_ = wr_d_;
  word_q_ = word_d_;
}

// ---- Engine ------------------------------------------------------------------------
struct Engine::Impl {
  Impl(const EngineConfig& cfg, Engine& e)
      : t(cfg), parse(cfg, t), csum(t), lookup(t), fsm(cfg, t, e), update(t), copy(cfg, t), arb(cfg, t),
        build(cfg, t) {}
  Tables t;
  RxParse parse;
  RxCsum csum;
  ConnLookup lookup;
  TcpFsm fsm;
  TcbUpdate update;
  RxCopy copy;
  TxArbiter arb;
  TxBuild build;
  bool rx_fire = false, tx_taken = false, evt_fire = false;
};

Engine::Engine(const EngineConfig& cfg) : cfg_(cfg), counters_(size_t(Counter::kCount), 0) {
  impl_ = std::make_unique<Impl>(cfg_, *this);
  reset();
}

Engine::~Engine() = default;

void Engine::reset() {
  impl_->t.reset();
  impl_->t.chal_tokens = cfg_.chal_global_burst;
  impl_->parse.reset();
  impl_->csum.reset();
  impl_->lookup.reset();
  impl_->fsm.reset();
  impl_->copy.reset();
  impl_->arb.reset();
  impl_->build.reset();
  std::fill(counters_.begin(), counters_.end(), 0);
  cycle_ = 0;
  out_q_ = EngineOut{};
  out_q_.rx_tready = true;
  out_q_.cmd_ready = true;
}

void Engine::eval(const EngineIn& in) {
  Impl& m = *impl_;
  m.rx_fire = out_q_.rx_tready && in.rx.tvalid;
  m.tx_taken = out_q_.tx.tvalid && in.tx_tready;
  m.evt_fire = out_q_.evt_valid && in.evt_ready;
  const bool cmd_fire = out_q_.cmd_ready && in.cmd_valid;

  m.parse.eval(in.rx, m.rx_fire);
  m.csum.eval(m.parse.q_valid, m.parse.q);
  m.lookup.eval(m.csum.q_valid, m.csum.q);
  if (m.lookup.q_valid)
    m.fsm.eval_segment(m.lookup.q, cycle_);
  else if (cmd_fire)
    m.fsm.eval_command(in.cmd, cycle_);
  else
    m.fsm.eval_idle();
  m.copy.eval();
  m.arb.eval(m.build.ready() && !m.arb.q_valid, m.fsm.busy_conn(), cycle_);
  m.build.eval(m.arb.q_valid, m.arb.q, m.tx_taken);
  // The command slot is free next cycle iff no segment reaches tcp_fsm then.
  cmd_slot_free_ = !m.csum.q_valid;
}

void Engine::commit() {
  Impl& m = *impl_;
  Tables& t = m.t;
  if (m.evt_fire) {
    if (t.evt.front().hold) --t.copy_credit;
    t.evt.pop();
  }
  if (m.parse.d_valid_out()) {
    ++counters_[size_t(Counter::kFramesIn)];
    ++t.slots_busy;
    t.slot_busy[t.fill_slot] = 1;
    t.fill_slot = static_cast<uint8_t>((t.fill_slot + 1) % cfg_.rx_slots);
  }
  if (m.fsm.q_valid) m.update.apply(m.fsm.q, counters_);
  m.fsm.commit();
  m.copy.commit();
  m.arb.commit();
  if (m.build.frame_done_pulse()) ++counters_[size_t(Counter::kFramesOut)];  // the pulse of this cycle
  m.build.commit();
  m.lookup.commit();
  m.csum.commit();
  m.parse.commit();
  // challenge-ACK token bucket refill
  const uint64_t period = cfg_.chal_global_cycles ? cfg_.chal_global_cycles : uint64_t(cfg_.clock_mhz) * 10000;
  if (cycle_ - t.chal_refill_cycle >= period) {
    t.chal_refill_cycle = cycle_;
    if (t.chal_tokens < cfg_.chal_global_burst) ++t.chal_tokens;
  }
  ++cycle_;
  // Moore outputs for the next cycle.
  // The slot the next frame goes to must be free: slots are released out of order (a long
  // payload copy holds its slot while short frames behind it release theirs).
  out_q_.rx_tready = t.slots_busy + 3 < cfg_.rx_slots && !t.slot_busy[t.fill_slot] && t.rsp.free() >= 8 &&
                     t.evt.free() >= 32;
  out_q_.tx = m.build.beat();
  out_q_.cmd_ready = cmd_slot_free_ && t.rsp.free() >= 8 && t.evt.free() >= 32;
  out_q_.evt_valid = !t.evt.empty() && !(t.evt.front().hold && t.copy_credit <= 0);
  if (out_q_.evt_valid) {
    out_q_.evt = t.evt.front();
    out_q_.evt.hold = false;
  }
}

const Tcb& Engine::tcb(uint32_t conn) const {
  if (conn >= impl_->t.tcb.size()) throw std::out_of_range("Engine::tcb: no connection " + std::to_string(conn));
  return impl_->t.tcb[conn];
}

uint32_t Engine::active_sessions() const { return uint32_t(impl_->t.tcb.size() - impl_->t.free_list.size()); }
uint32_t Engine::half_open() const { return impl_->t.half_open_count; }
bool Engine::tx_building() const { return !impl_->build.ready(); }
bool Engine::busy() const { return !impl_->build.ready() || impl_->copy.busy() || !impl_->t.evt.empty(); }

void Engine::host_read_rx(uint32_t conn, uint32_t offset, uint8_t* dst, uint32_t n) const {
  const Tables& t = impl_->t;
  if (conn >= t.tcb.size()) throw std::out_of_range("host_read_rx: no connection " + std::to_string(conn));
  const uint8_t* base = &t.rx_buf[size_t(conn) * (t.rx_mask + 1)];
  for (uint32_t i = 0; i < n; ++i) dst[i] = base[(offset + i) & t.rx_mask];
}

void Engine::host_write_tx(uint32_t conn, uint32_t offset, const uint8_t* src, uint32_t n) {
  Tables& t = impl_->t;
  if (conn >= t.tcb.size()) throw std::out_of_range("host_write_tx: no connection " + std::to_string(conn));
  uint8_t* base = &t.tx_buf[size_t(conn) * (t.tx_mask + 1)];
  for (uint32_t i = 0; i < n; ++i) base[(offset + i) & t.tx_mask] = src[i];
}

uint32_t Engine::isn_for(uint32_t rip, uint16_t rport, uint16_t lport, uint64_t cycle) const {
  if (cfg_.fixed_isn_en) return cfg_.fixed_isn;
  // IS1 (RFC 9293 3.4.1): ISN = M + F(4-tuple, secret); M a 4-microsecond clock,
  // F a keyed ARX mix (4 rounds; a few adders and rotators in RTL).
  auto rotl = [](uint32_t x, int r) { return (x << r) | (x >> (32 - r)); };
  uint32_t a = cfg_.isn_secret[0] ^ rip, b = cfg_.isn_secret[1] ^ ((uint32_t(rport) << 16) | lport);
  uint32_t c = cfg_.isn_secret[2] ^ cfg_.local_ip, dd = cfg_.isn_secret[3];
  for (int i = 0; i < 4; ++i) {
    a += b; dd ^= a; dd = rotl(dd, 16);
    c += dd; b ^= c; b = rotl(b, 12);
    a += b; dd ^= a; dd = rotl(dd, 8);
    c += dd; b ^= c; b = rotl(b, 7);
  }
  const uint32_t ticks = static_cast<uint32_t>(cycle / (4ull * cfg_.clock_mhz));
  return (a ^ b ^ c ^ dd) + ticks;
}

}  // namespace toe::model
