// SPDX-License-Identifier: Apache-2.0
// Stimulus of the toe_tcp_fsm lockstep tests (see tcp_fsm_stimulus.hpp).
#include "tcp_fsm_stimulus.hpp"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "toe/seq.hpp"

namespace toe::lockstep {

namespace {

using model::CmdOp;
using model::Counter;
using model::Tcb;

// A 32-bit value near the places sequence numbers go wrong: 0, the 2^31 and 2^32 wraps.
uint32_t seq_base(Rng& r) {
  switch (r.below(5)) {
    case 0: return 0xFFFFFFFFu - r.below(3000);
    case 1: return r.below(3000);
    case 2: return 0x80000000u + r.below(3000) - 1500;
    default: return r.u32();
  }
}

uint32_t small(Rng& r) {
  switch (r.below(4)) {
    case 0: return 0;
    case 1: return r.below(4);
    case 2: return r.below(2000);
    default: return r.below(70000);
  }
}

const std::array<uint16_t, 4> kRports{80, 1234, 40000, 65535};
const std::array<uint16_t, 4> kLports{80, 443, 5001, 0};

uint16_t any_port(Rng& r, const std::array<uint16_t, 4>& pool) {
  return r.chance(85) ? pick(r, pool) : uint16_t(r.u32());
}
uint32_t any_ip(Rng& r) { return r.chance(85) ? pick(r, kIps) : r.u32(); }

// Free receive buffer of `t` (the buffer size is the Tables', i.e. the harness's RxBufBytes).
uint32_t rx_free(const model::Tables& tab, const Tcb& t) { return (tab.rx_mask + 1) - (t.rx_wr - t.rx_rd); }

// A random TCB, mostly self-consistent (SND.UNA <= SND.NXT, data queued, windows), with the
// exceptions the fsm must survive too.
Tcb random_tcb(Rng& r, const model::EngineConfig& cfg, uint64_t cycle) {
  Tcb t;
  static const std::array<TcpState, 16> kStates{
      TcpState::SYN_SENT,    TcpState::SYN_RECEIVED, TcpState::SYN_RECEIVED, TcpState::ESTABLISHED,
      TcpState::ESTABLISHED, TcpState::ESTABLISHED,  TcpState::FIN_WAIT_1,   TcpState::FIN_WAIT_2,
      TcpState::CLOSE_WAIT,  TcpState::CLOSING,      TcpState::LAST_ACK,     TcpState::TIME_WAIT,
      TcpState::CLOSED,      TcpState::LISTEN,       TcpState::SYN_SENT,     TcpState::FIN_WAIT_1};
  t.state = pick(r, kStates);
  const bool syn_state = t.state == TcpState::SYN_SENT || t.state == TcpState::SYN_RECEIVED;
  t.passive = r.chance(50);
  t.rip = any_ip(r);
  t.rport = any_port(r, kRports);
  t.lport = any_port(r, kLports);
  for (auto& b : t.rmac.b) b = uint8_t(r.u32());
  t.iss = seq_base(r);
  t.irs = seq_base(r);
  const uint32_t acked = syn_state ? 0 : small(r);
  t.snd_una = t.iss + (syn_state ? 0 : 1) + acked;
  t.snd_nxt = syn_state ? t.iss + 1 : t.snd_una + (r.chance(40) ? 0 : small(r));
  if (r.chance(5)) std::swap(t.snd_una, t.snd_nxt);
  t.tx_wr = (t.snd_nxt - t.iss - 1) + (r.chance(50) ? 0 : r.below(cfg.tx_buf_bytes + 2));
  if (r.chance(10)) t.tx_wr = r.u32();
  t.fin_pending = r.chance(30);
  if (t.fin_pending && r.chance(60)) {  // our FIN sent: SND.NXT one past the data
    t.snd_nxt = t.iss + 1 + t.tx_wr + 1;
    t.snd_una = r.chance(50) ? t.snd_nxt - 1 : t.snd_nxt - r.below(200);
  }
  // SND.MAX: SND.NXT, or beyond it after a go-back (sometimes a wild value)
  t.snd_max = r.chance(70) ? t.snd_nxt : t.snd_nxt + small(r);
  if (r.chance(3)) t.snd_max = r.u32();
  t.snd_wnd = pick(r, std::array<uint32_t, 5>{0, 1, 65535, 65535u << 7, r.u32() >> r.below(32)});
  t.max_snd_wnd = r.chance(80) ? std::max(t.snd_wnd, r.u32() >> r.below(32)) : r.below(3);
  const uint32_t rcvd = small(r);
  t.fin_rcvd = r.chance(20);
  t.rcv_nxt = t.irs + 1 + rcvd + (t.fin_rcvd ? 1 : 0);
  t.snd_wl1 = r.chance(70) ? t.rcv_nxt - r.below(3) : t.irs + r.below(5);
  t.snd_wl2 = r.chance(70) ? t.snd_una - r.below(3) + 1 : r.u32();
  t.rx_rd = r.chance(50) ? r.below(5000) : r.u32();
  const uint32_t rx_buf = cfg.rx_buf_bytes;
  t.rx_wr = t.rx_rd + pick(r, std::array<uint32_t, 6>{0, rx_buf, rx_buf - 1, r.below(rx_buf + 1),
                                                      r.below(rx_buf + 1), rx_buf + 1 + r.below(100)});
  t.snd_mss = pick(r, std::array<uint16_t, 5>{536, 1460, 64, 9000, uint16_t(r.u32())});
  t.snd_wscale = uint8_t(r.below(15));
  t.rcv_wscale = r.chance(70) ? cfg.rcv_wscale : uint8_t(r.below(15));
  t.ws_ok = r.chance(60);
  t.probe = r.chance(10);
  t.probing = r.chance(10);
  t.last_tx_cycle = r.chance(50) ? cycle - r.below(100000) : r.next();
  t.chal_sent = r.chance(50);
  const uint64_t per_conn = cfg.chal_conn_cycles ? cfg.chal_conn_cycles : uint64_t(cfg.clock_mhz) * 1000;
  t.chal_cycle = cycle - pick(r, std::array<uint64_t, 5>{0, per_conn - 1, per_conn, per_conn + 1, r.next()});
  t.unacked_segs = pick(r, std::array<uint16_t, 5>{0, 1, 2, uint16_t(cfg.ack_every - 1), uint16_t(r.u32())});
  t.tag = r.u32();
  return t;
}

// A segment aimed at `t` (its tuple or another), with seq/ack at the edges of its windows.
model::SegMeta random_segment(Rng& r, const model::Tables& tab, const Tcb& t, const Tcb& other) {
  model::SegMeta m;
  m.drop = r.chance(2);
  m.reason = static_cast<Counter>(r.below(18));
  m.is_tcp = !r.chance(2);
  for (auto& b : m.smac.b) b = uint8_t(r.u32());
  const uint32_t tuple = r.below(100);
  if (tuple < 60) {
    m.sip = t.rip, m.sport = t.rport, m.dport = t.lport;
  } else if (tuple < 75) {
    m.sip = other.rip, m.sport = other.rport, m.dport = other.lport;
  } else {
    m.sip = any_ip(r), m.sport = any_port(r, kRports), m.dport = any_port(r, kLports);
  }
  m.dip = r.u32();
  static const std::array<uint8_t, 16> kFlags{
      net::kAck, net::kAck, net::kAck | net::kPsh, net::kSyn, net::kSyn | net::kAck, net::kFin | net::kAck,
      net::kFin | net::kAck | net::kPsh, net::kRst, net::kRst | net::kAck, net::kSyn | net::kFin,
      net::kSyn | net::kRst, net::kFin, 0, net::kSyn | net::kAck | net::kFin, net::kAck, net::kAck};
  m.flags = r.chance(80) ? pick(r, kFlags) : uint8_t(r.u32());
  m.payload_len = pick(r, std::array<uint16_t, 8>{0, 0, 0, 1, uint16_t(1 + r.below(64)),
                                                  uint16_t(1 + r.below(1460)), uint16_t(r.below(5000)),
                                                  uint16_t(r.chance(20) ? r.u32() : r.below(300))});
  m.payload_off = r.chance(90) ? uint16_t(54 + 4 * r.below(11)) : uint16_t(r.u32());
  const uint32_t wnd = rx_free(tab, t);
  const uint32_t len = m.payload_len + ((m.flags & net::kSyn) ? 1u : 0u) + ((m.flags & net::kFin) ? 1u : 0u);
  const std::array<uint32_t, 14> seqs{t.rcv_nxt,        t.rcv_nxt,         t.rcv_nxt - 1,     t.rcv_nxt + 1,
                                      t.rcv_nxt + wnd - 1, t.rcv_nxt + wnd, t.rcv_nxt + wnd + 1, t.irs,
                                      t.irs + 1,        t.rcv_nxt - len,   t.rcv_nxt - len + 1, r.u32(),
                                      t.rcv_nxt + r.below(100) - 50, t.rcv_nxt - m.payload_len};
  m.seq = pick(r, seqs);
  const uint32_t data_end = t.iss + 1 + t.tx_wr;
  const std::array<uint32_t, 14> acks{t.snd_nxt,
                                      r.chance(50) ? t.snd_max : t.snd_max + 1,
                                      t.snd_una,
                                      t.snd_una + 1,
                                      t.snd_nxt + 1,
                                      t.snd_nxt - 1,
                                      t.iss,
                                      t.iss + 1,
                                      t.snd_una - std::max<uint32_t>(t.max_snd_wnd, 1),
                                      t.snd_una - std::max<uint32_t>(t.max_snd_wnd, 1) - 1,
                                      data_end + 1,
                                      r.u32(),
                                      t.snd_una + r.below(100),
                                      t.snd_wl2};
  m.ack = pick(r, acks);
  if (tuple < 60 && r.chance(30)) {  // a plausible segment: in sequence, ACKs what was sent
    m.flags = uint8_t(net::kAck | (r.chance(40) ? net::kPsh : 0) | (r.chance(30) ? net::kFin : 0));
    m.payload_len = r.chance(25) ? 0 : uint16_t(1 + r.below(std::min<uint32_t>(wnd, 1460) + 1));
    m.seq = t.rcv_nxt;
    m.ack = r.chance(50) ? t.snd_nxt : (t.fin_pending && r.chance(50) ? data_end + 1 : t.snd_una + r.below(3));
  }
  m.window = pick(r, std::array<uint16_t, 4>{0, 1, 65535, uint16_t(r.u32())});
  m.opts.has_mss = r.chance(40);
  m.opts.mss = pick(r, std::array<uint16_t, 9>{0, 1, 63, 64, 65, 536, 1460, 65535, uint16_t(r.u32())});
  m.opts.has_wscale = r.chance(40);
  m.opts.wscale = r.chance(90) ? uint8_t(r.below(17)) : uint8_t(r.u32());
  m.slot = uint8_t(r.below(model::kMaxRxSlots));
  m.bucket = tab.bucket_of(m.sip, m.sport, m.dport);
  return m;
}

model::Cmd random_command(Rng& r, const Tcb& t, uint32_t conn, uint32_t sessions, uint32_t tx_buf_bytes) {
  model::Cmd c;
  c.op = r.chance(97) ? static_cast<CmdOp>(r.below(15)) : static_cast<CmdOp>(15);
  c.conn = pick(r, std::array<uint32_t, 8>{conn, conn, conn, conn, r.below(sessions), sessions, r.u32(),
                                           model::kNoConn});
  if (r.chance(40)) {
    c.ip = t.rip, c.port = t.rport, c.lport = t.lport;
  } else {
    c.ip = any_ip(r), c.port = any_port(r, r.chance(50) ? kLports : kRports), c.lport = any_port(r, kLports);
  }
  for (auto& b : c.mac.b) b = uint8_t(r.u32());
  const uint32_t unacked_base = std::min<uint32_t>(t.snd_una - t.iss - 1, t.tx_wr);
  const uint32_t tx = tx_buf_bytes;
  switch (c.op) {
    case CmdOp::kTxPush:
      c.value = unacked_base + pick(r, std::array<uint32_t, 6>{0, tx, tx + 1, r.below(tx), t.tx_wr - unacked_base,
                                                               r.u32()});
      break;
    case CmdOp::kRxConsume: {
      const uint32_t have = t.rx_wr - t.rx_rd;
      c.value = t.rx_rd + pick(r, std::array<uint32_t, 6>{0, have, have + 1, r.below(have + 1),
                                                          r.below(have + 1), r.u32()});
      break;
    }
    default:
      c.value = r.u32();
      break;
  }
  c.tag = r.u32();
  return c;
}

// The live connection of a peer, or kNoConn.
uint32_t conn_of(const model::Tables& t, const Peer& p) {
  return t.lookup(t.bucket_of(p.ip, p.port, p.lport), p.ip, p.port, p.lport);
}

}  // namespace

uint64_t env_or(const char* name, uint64_t dflt) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 0) : dflt;
}

void random_config(FsmLockstep& h, Rng& r) {
  model::EngineConfig& c = h.cfg();
  c.mss = pick(r, std::array<uint16_t, 6>{1460, 536, 9000, 64, 1, uint16_t(r.u32())});
  c.mss_floor = pick(r, std::array<uint16_t, 5>{64, 0, 536, 2000, uint16_t(r.u32())});
  c.rcv_wscale = uint8_t(r.below(15));
  c.fixed_isn_en = r.chance(20);
  c.fixed_isn = seq_base(r);
  if (r.chance(50)) {
    for (uint32_t& s : c.isn_secret) s = r.u32();
  } else {
    c.isn_secret[0] = 0x9e3779b9u, c.isn_secret[1] = 0x7f4a7c15u, c.isn_secret[2] = 0xf39cc060u,
    c.isn_secret[3] = 0x5ced6b8bu;
  }
  c.local_ip = r.chance(70) ? 0x0A000002u : r.u32();
  c.clock_mhz = pick(r, std::array<uint32_t, 4>{125, 250, 1, 1 + r.below(1000)});
  c.ack_every = pick(r, std::array<uint32_t, 5>{1, 1, 2, 3, r.chance(50) ? 0u : r.u32()});
  c.chal_conn_cycles = pick(r, std::array<uint32_t, 4>{0, 10, 1000, r.u32()});
  c.max_half_open = pick(r, std::array<uint32_t, 5>{0, 1, 4, h.params().sessions, r.below(40)});
  h.sync_registers();
}

uint64_t random_cycle(Rng& r) {
  switch (r.below(4)) {
    case 0: return r.below(1000000);
    case 1: return (uint64_t(1) << 32) + r.below(2000000) - 1000000;
    case 2: return ~uint64_t(0) - r.below(1000000);
    default: return r.next() >> r.below(40);
  }
}

void Coverage::add(const model::FsmResult& q, const Stimulus& s, const Tcb& main_tcb) {
  for (Counter c : q.count)
    if (c != Counter::kCount) counters.insert(int(c));
  for (unsigned i = 0; i < q.n_evt; ++i) events.insert(int(q.evt[i].type));
  if (q.via != TcpState::CLOSED) vias.insert(int(q.via));
  if (s.kind == Stimulus::Kind::kSegment && q.conn != model::kNoConn) states_seg.insert(int(main_tcb.state));
  if (s.kind == Stimulus::Kind::kCommand) ops.insert(int(s.cmd.op));
  payload += q.payload;
  evict += q.evict_conn != model::kNoConn;
  ho_add += q.half_open_add;
  ho_done += q.half_open_done;
  listen += q.listen_write;
  chal_used += q.chal_token_used;
  insert += q.index_insert;
  freed += q.free_conn;
  kick += q.tx_kick;
  rsp += q.rsp_valid;
  six_events += q.n_evt == model::kMaxEventsPerResult;
}

Trial build_world(FsmLockstep& h, Rng& r) {
  model::Tables& t = h.tables();
  const uint32_t sessions = h.params().sessions;
  random_config(h, r);
  t.reset();
  t.chal_tokens = r.chance(80) ? 1 + r.below(100) : 0;
  Trial tr;
  tr.s.cycle = random_cycle(r);
  const model::EngineConfig& cfg = h.cfg();

  // The connection under test and a few others.
  const uint32_t c0 = r.below(sessions);
  tr.main_tcb = random_tcb(r, cfg, tr.s.cycle);
  std::vector<uint32_t> used{c0};
  t.tcb[c0] = tr.main_tcb;
  if (r.chance(92)) t.insert(c0);
  Tcb other = random_tcb(r, cfg, tr.s.cycle);
  for (uint32_t k = r.below(5); k > 0; --k) {
    const uint32_t c = r.below(sessions);
    if (std::find(used.begin(), used.end(), c) != used.end()) continue;
    used.push_back(c);
    other = random_tcb(r, cfg, tr.s.cycle);
    if (r.chance(30)) other.rip = tr.main_tcb.rip, other.lport = tr.main_tcb.lport;  // same peer, other port
    t.tcb[c] = other;
    t.insert(c);
  }

  // Free list: a random subset of the rest, in random order (sometimes empty).
  t.free_list.clear();
  if (!r.chance(15)) {
    std::vector<uint32_t> rest;
    for (uint32_t c = 0; c < sessions; ++c)
      if (std::find(used.begin(), used.end(), c) == used.end() && r.chance(60)) rest.push_back(c);
    for (size_t i = rest.size(); i > 1; --i) std::swap(rest[i - 1], rest[r.below(uint32_t(i))]);
    for (uint32_t c : rest) t.free_list.push(c);
  }
  // SYN cache: a few entries, some already done (flag clear); a count around the bound.
  t.half_open.clear();
  for (uint32_t k = r.below(4); k > 0; --k) t.half_open.push(r.chance(40) ? c0 : r.below(sessions));
  for (uint32_t c = 0; c < sessions; ++c) t.half_open_flag[c] = r.chance(40);
  t.half_open_count = r.chance(50) ? r.below(sessions + 1)
                                   : std::min(sessions, cfg.sessions_or_default_half_open() - r.below(2));
  // Listeners: sometimes the ports the segment or the command will use, duplicates included.
  for (auto& l : t.listen) {
    l.valid = r.chance(50);
    l.port = r.chance(60) ? any_port(r, kLports) : tr.main_tcb.lport;
  }

  const uint32_t kind = r.below(100);
  tr.s.seg = random_segment(r, t, tr.main_tcb, other);
  tr.s.cmd = random_command(r, tr.main_tcb, c0, sessions, cfg.tx_buf_bytes);
  if (kind < 62) {
    tr.s.kind = Stimulus::Kind::kSegment;
  } else if (kind < 95) {
    tr.s.kind = Stimulus::Kind::kCommand;
  } else {
    tr.s.kind = Stimulus::Kind::kIdle;
  }
  // A full bucket: all 8 ways of the segment's (or connect's) bucket taken.
  if (r.chance(8)) {
    const uint32_t b = tr.s.kind == Stimulus::Kind::kCommand
                           ? t.bucket_of(tr.s.cmd.ip, tr.s.cmd.port, tr.s.cmd.lport)
                           : tr.s.seg.bucket;
    for (uint32_t w = 0; w < model::kIndexWays; ++w) {
      model::IndexEntry& e = t.index[size_t(b) * model::kIndexWays + w];
      if (e.conn == model::kNoConn) e = model::IndexEntry{r.u32(), uint16_t(r.u32()), 7, r.below(sessions)};
    }
  }
  return tr;
}

model::SegMeta peer_segment(Rng& r, const model::Tables& t, const Peer& p) {
  model::SegMeta m;
  m.is_tcp = true;
  m.smac.b = {0x02, 0, 0, 0, 0, uint8_t(p.port)};
  m.sip = p.ip, m.sport = p.port, m.dport = p.lport;
  m.slot = uint8_t(r.below(model::kMaxRxSlots));
  m.payload_off = 54;
  m.window = r.chance(10) ? 0 : uint16_t(1000 + r.below(64536));
  m.opts.has_mss = r.chance(60);
  m.opts.mss = uint16_t(r.chance(80) ? 1460 : r.below(2000));
  m.opts.has_wscale = r.chance(60);
  m.opts.wscale = uint8_t(r.below(16));
  const uint32_t c = conn_of(t, p);
  if (c == model::kNoConn) {
    m.flags = r.chance(80) ? uint8_t(net::kSyn) : pick(r, std::array<uint8_t, 4>{net::kAck, net::kRst, net::kFin, 0});
    m.seq = seq_base(r);
    m.ack = r.u32();
  } else {
    const Tcb& tcb = t.tcb[c];
    const uint32_t wnd = rx_free(t, tcb);
    if (tcb.state == TcpState::SYN_SENT) {
      m.flags = r.chance(80) ? uint8_t(net::kSyn | net::kAck) : uint8_t(net::kSyn);
      m.seq = seq_base(r);
      m.ack = r.chance(85) ? tcb.snd_nxt : tcb.snd_nxt + r.below(3) - 1;
    } else {
      m.flags = net::kAck;
      if (r.chance(30)) m.flags |= net::kPsh;
      if (r.chance(12)) m.flags |= net::kFin;
      if (r.chance(3)) m.flags = net::kRst;
      if (r.chance(3)) m.flags |= net::kSyn;
      if (!(m.flags & net::kRst) || r.chance(30))
        m.payload_len = r.chance(50) ? 0 : uint16_t(1 + r.below(std::min<uint32_t>(1400, wnd + 100)));
      m.seq = r.chance(85) ? tcb.rcv_nxt : tcb.rcv_nxt + r.below(200) - 100;
      if (tcb.state == TcpState::SYN_RECEIVED && r.chance(15)) m.seq = tcb.irs;
      const uint32_t inflight = tcb.snd_nxt - tcb.snd_una;
      m.ack = r.chance(60) ? tcb.snd_nxt : tcb.snd_una + (inflight ? r.below(inflight + 1) : 0);
      if (r.chance(5)) m.ack = tcb.snd_nxt + 1 + r.below(10);
    }
  }
  m.bucket = t.bucket_of(m.sip, m.sport, m.dport);
  return m;
}

model::Cmd host_command(Rng& r, const model::Tables& t, const std::vector<Peer>& peers, uint32_t sessions) {
  model::Cmd c;
  std::vector<uint32_t> live;
  for (uint32_t i = 0; i < sessions; ++i)
    if (t.tcb[i].state != TcpState::CLOSED) live.push_back(i);
  c.conn = !live.empty() && r.chance(90) ? live[r.below(uint32_t(live.size()))] : r.below(sessions + 2);
  const Tcb& tcb = c.conn < sessions ? t.tcb[c.conn] : t.tcb[0];
  static const std::array<CmdOp, 19> kOps{CmdOp::kConnect, CmdOp::kConnectResolved, CmdOp::kClose,      CmdOp::kClose,
                                          CmdOp::kAbort,   CmdOp::kTxPush,     CmdOp::kTxPush,     CmdOp::kTxPush,
                                          CmdOp::kRxConsume, CmdOp::kRxConsume, CmdOp::kRetransmit, CmdOp::kTimeWaitExpire,
                                          CmdOp::kGiveUp,  CmdOp::kSendAck,    CmdOp::kListen,     CmdOp::kUnlisten,
                                          CmdOp::kNoRoute, CmdOp::kConnect,    CmdOp::kKeepalive};
  c.op = pick(r, kOps);
  const Peer& p = peers[r.below(uint32_t(peers.size()))];
  c.ip = p.ip, c.port = p.port, c.lport = p.lport;
  if (c.op == CmdOp::kListen || c.op == CmdOp::kUnlisten) c.port = r.chance(80) ? 80 : 5001;
  c.mac.b = {0x02, 0, 0, 0, 1, uint8_t(p.port)};
  c.tag = r.u32();
  if (c.op == CmdOp::kTxPush) {
    c.value = tcb.tx_wr + (r.chance(90) ? r.below(3000) : r.u32());
  } else if (c.op == CmdOp::kRxConsume) {
    const uint32_t have = tcb.rx_wr - tcb.rx_rd;
    c.value = tcb.rx_rd + (r.chance(90) ? r.below(have + 1) : have + 1);
  } else {
    c.value = r.u32();
  }
  return c;
}

void arbiter_sends(Rng& r, model::Tables& t, uint32_t sessions) {
  const uint32_t c = r.below(sessions);
  Tcb& tcb = t.tcb[c];
  switch (tcb.state) {
    case TcpState::ESTABLISHED: case TcpState::CLOSE_WAIT: case TcpState::FIN_WAIT_1:
    case TcpState::CLOSING: case TcpState::LAST_ACK: break;
    default: return;
  }
  const uint32_t data_end = tcb.iss + 1 + tcb.tx_wr;
  const uint32_t avail = seq_lt(tcb.snd_nxt, data_end) ? data_end - tcb.snd_nxt : 0;
  const uint32_t len = std::min<uint32_t>(avail, tcb.snd_mss);
  const bool fin = tcb.fin_pending && tcb.snd_nxt + len == data_end;
  tcb.snd_nxt += len + (fin ? 1 : 0);
  if (seq_gt(tcb.snd_nxt, tcb.snd_max)) tcb.snd_max = tcb.snd_nxt;
  tcb.unacked_segs = 0;
}

}  // namespace toe::lockstep
