// SPDX-License-Identifier: Apache-2.0
// Lockstep harness of toe_tcp_fsm and the C++ TcpFsm (see tcp_fsm_lockstep.hpp).
#include "tcp_fsm_lockstep.hpp"

#include <verilated.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <iterator>
#include <sstream>
#include <type_traits>
#include <utility>
#include <vector>

#include "Vtoe_tcp_fsm.h"
#include "bitfields.hpp"
#include "toe/hash.hpp"

namespace toe::lockstep {

namespace {

using model::Event;
using model::EvtType;
using model::FsmResult;
using model::Tcb;
using model::TxReq;

// Bit fields, MAC packing and the TCB layout are shared with the RTL engine (sim/rtl_engine/bitfields.hpp).
using rtl::from_u64;
using rtl::get_field;
using rtl::mac_u64;
using rtl::set_field;
using rtl::to_u64;
using rtl::Unpacker;
using rtl::visit_tcb;

// ---- the packed structs of toe_fsm_pkg, field by field, MSB first ----------------
using rtl::kTcbW;
constexpr unsigned kTxReqW = 322, kEvtW = 89;

template <class V, class T>
void visit_txreq(V& v, T& r) {
  v("conn", 32, r.conn);
  v("dmac", 48, r.dmac);
  v("dip", 32, r.dip);
  v("sport", 16, r.sport);
  v("dport", 16, r.dport);
  v("seq", 32, r.seq);
  v("ack", 32, r.ack);
  v("flags", 8, r.flags);
  v("window", 16, r.window);
  v("opt_mss", 1, r.opt_mss);
  v("opt_ws", 1, r.opt_ws);
  v("mss", 16, r.mss);
  v("wscale", 8, r.wscale);
  v("payload_len", 32, r.payload_len);
  v("payload_off", 32, r.payload_off);
}

template <class V, class T>
void visit_evt(V& v, T& e) {
  v("type", 5, e.type);
  v("conn", 32, e.conn);
  v("value", 32, e.value);
  v("lport", 16, e.lport);
  v("state", 4, e.state);
}

struct Packer {
  uint32_t* w;
  unsigned pos;  // one above the next field's MSB
  template <class T>
  void operator()(const char*, unsigned width, const T& x) {
    pos -= width;
    set_field(w, pos, width, to_u64(x));
  }
};

struct Lister {
  std::vector<std::pair<const char*, uint64_t>> out;
  template <class T>
  void operator()(const char* name, unsigned, const T& x) {
    out.emplace_back(name, to_u64(x));
  }
};

template <class T, class VisitFn>
std::string diff_struct(const char* prefix, const T& a, const T& b, VisitFn visit) {
  Lister la, lb;
  visit(la, a);
  visit(lb, b);
  for (size_t i = 0; i < la.out.size(); ++i) {
    if (la.out[i].second != lb.out[i].second) {
      char buf[256];
      std::snprintf(buf, sizeof buf, "%s.%s: cpp=0x%" PRIx64 " rtl=0x%" PRIx64, prefix, la.out[i].first,
                    la.out[i].second, lb.out[i].second);
      return buf;
    }
  }
  return "";
}

template <class T, class VisitFn>
std::string list_struct(const T& a, VisitFn visit) {
  Lister l;
  visit(l, a);
  std::ostringstream os;
  for (size_t i = 0; i < l.out.size(); ++i) {
    os << (i ? " " : "") << l.out[i].first << "=0x" << std::hex << l.out[i].second << std::dec;
  }
  return os.str();
}

// Verilator gives a port of > 64 bits as VlWide<N>, else an integer.
template <class P>
void port_from_words(P& port, const uint32_t* w) {
  if constexpr (std::is_integral_v<P>)
    port = static_cast<P>(get_field(w, 0, 64));
  else
    for (size_t i = 0; i < std::size(port.m_storage); ++i) port[i] = w[i];
}
template <class P>
void words_from_port(const P& port, uint32_t* w, size_t n) {
  if constexpr (std::is_integral_v<P>) {
    w[0] = uint32_t(uint64_t(port));
    if (n > 1) w[1] = uint32_t(uint64_t(port) >> 32);
  } else {
    for (size_t i = 0; i < n; ++i) w[i] = port[i];
  }
}

std::string fmt_u(const char* field, uint64_t a, uint64_t b) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s: cpp=0x%" PRIx64 " rtl=0x%" PRIx64, field, a, b);
  return buf;
}

}  // namespace

std::string describe_tcb(const Tcb& t) { return list_struct(t, [](auto& v, const auto& x) { visit_tcb(v, x); }); }

std::string diff_results(const FsmResult& a, const FsmResult& b, bool with_rsp) {
#define TOE_CMP(f)                                                         \
  do {                                                                     \
    if (to_u64(a.f) != to_u64(b.f)) return fmt_u(#f, to_u64(a.f), to_u64(b.f)); \
  } while (0)
  TOE_CMP(tcb_write);
  TOE_CMP(conn);
  TOE_CMP(index_insert);
  TOE_CMP(free_conn);
  if (a.tcb_write || a.index_insert) {
    std::string d = diff_struct("tcb", a.tcb, b.tcb, [](auto& v, const auto& x) { visit_tcb(v, x); });
    if (!d.empty()) return d;
  }
  TOE_CMP(rsp_valid);
  if (a.rsp_valid && with_rsp) {
    std::string d = diff_struct("rsp", a.rsp, b.rsp, [](auto& v, const auto& x) { visit_txreq(v, x); });
    if (!d.empty()) return d;
  }
  TOE_CMP(n_evt);
  for (unsigned i = 0; i < a.n_evt && i < model::kMaxEventsPerResult; ++i) {
    const std::string name = "evt[" + std::to_string(i) + "]";
    std::string d = diff_struct(name.c_str(), a.evt[i], b.evt[i], [](auto& v, const auto& x) { visit_evt(v, x); });
    if (!d.empty()) return d;
  }
  TOE_CMP(via);
  TOE_CMP(payload);
  TOE_CMP(slot);
  if (a.payload) {
    TOE_CMP(payload_off);
    TOE_CMP(payload_len);
    TOE_CMP(rx_off);
  }
  TOE_CMP(release_slot);
  TOE_CMP(tx_kick);
  TOE_CMP(half_open_add);
  TOE_CMP(half_open_done);
  TOE_CMP(evict_conn);
  TOE_CMP(count[0]);
  TOE_CMP(count[1]);
  TOE_CMP(chal_token_used);
  TOE_CMP(listen_write);
  if (a.listen_write) {
    TOE_CMP(listen_slot);
    TOE_CMP(listen_val.valid);
    TOE_CMP(listen_val.port);
  }
#undef TOE_CMP
  return "";
}

FsmLockstep::FsmLockstep(const FsmParams& p) : p_(p) {
  cfg_.sessions = p.sessions;
  cfg_.rx_buf_bytes = p.rx_buf_bytes;
  cfg_.tx_buf_bytes = p.tx_buf_bytes;
  cfg_.listen_entries = 4;
  cfg_.rsp_fifo_depth = 4;
  cfg_.evt_fifo_depth = 4;
  tables_ = std::make_unique<model::Tables>(cfg_);
  // Frame slots large enough for any payload_off + payload_len a random SegMeta carries,
  // so that TcpFsm::commit may copy whatever the fsm decided.
  tables_->slots.assign(model::kMaxRxSlots, std::vector<uint8_t>(size_t(1) << 17, 0));
  fsm_ = std::make_unique<model::TcpFsm>(model::TcpFsm::Params{cfg_.sessions, cfg_.rx_buf_bytes, cfg_.tx_buf_bytes}, cfg_, *tables_);
  ctx_ = std::make_unique<VerilatedContext>();
  rtl_ = std::make_unique<Vtoe_tcp_fsm>(ctx_.get());
  reset();
}

FsmLockstep::~FsmLockstep() { rtl_->final(); }

void FsmLockstep::reset() {
  fsm_->reset();
  rtl_->seg_valid_i = 0;
  rtl_->cmd_valid_i = 0;
  rtl_->clk_i = 0;
  rtl_->rst_ni = 0;
  rtl_->eval();
  rtl_->clk_i = 1;
  rtl_->eval();
  rtl_->clk_i = 0;
  rtl_->rst_ni = 1;
  rtl_->eval();
}

TableReads FsmLockstep::reads_for(const Stimulus& s, Rng& junk) const {
  const model::Tables& t = *tables_;
  TableReads r;
  // Junk for every read the RTL must not depend on in this case.
  r.lk_hit = junk.chance(50);
  r.lk_conn = junk.below(p_.sessions);
  r.listen_hit = junk.chance(50);
  {
    std::vector<uint32_t> w((kTcbW + 31) / 32);
    for (auto& x : w) x = junk.u32();
    Unpacker u{w.data(), kTcbW};
    visit_tcb(u, r.tcb);
  }
  r.ho_flag = junk.chance(50);
  r.bucket_room = junk.chance(50);
  r.listen_match_valid = junk.chance(50);
  r.listen_match_slot = junk.below(t.listen.size());
  r.listen_free_valid = junk.chance(50);
  r.listen_free_slot = junk.below(t.listen.size());

  uint32_t tcb_conn = model::kNoConn;
  if (s.kind == Stimulus::Kind::kSegment) {
    const model::SegMeta& m = s.seg;
    const uint32_t lk = t.lookup(m.bucket, m.sip, m.sport, m.dport);
    r.lk_hit = lk != model::kNoConn;
    if (r.lk_hit) r.lk_conn = lk;
    tcb_conn = lk;
    r.listen_hit = t.listening(m.dport);
    r.bucket_room = t.bucket_has_room(m.bucket);
  } else if (s.kind == Stimulus::Kind::kCommand) {
    const model::Cmd& c = s.cmd;
    if (c.op == model::CmdOp::kConnect || c.op == model::CmdOp::kConnectResolved) {
      const uint32_t bucket = t.bucket_of(c.ip, c.port, c.lport);
      const uint32_t lk = t.lookup(bucket, c.ip, c.port, c.lport);
      r.lk_hit = lk != model::kNoConn;
      if (r.lk_hit) r.lk_conn = lk;
      r.bucket_room = t.bucket_has_room(bucket);
    }
    tcb_conn = c.conn;
    bool match = false, free_found = false;
    for (uint32_t i = 0; i < t.listen.size(); ++i) {
      if (t.listen[i].valid && t.listen[i].port == c.port) {
        match = true;
        r.listen_match_slot = i;  // the last match, as the model's loop has it
      }
      if (!t.listen[i].valid && !free_found) {
        free_found = true;
        r.listen_free_slot = i;
      }
    }
    r.listen_match_valid = match;
    r.listen_free_valid = free_found;
  }
  if (tcb_conn < p_.sessions) {
    r.tcb = t.tcb[tcb_conn];
    r.ho_flag = t.half_open_flag[tcb_conn] != 0;
  }
  r.free_valid = !t.free_list.empty();
  r.free_conn = r.free_valid ? t.free_list.front() : junk.below(p_.sessions);
  r.half_open_count = t.half_open_count;
  r.ho_head_valid = !t.half_open.empty();
  r.ho_head = r.ho_head_valid ? t.half_open.front() : junk.below(p_.sessions);
  r.ho_head_flag = r.ho_head_valid ? t.half_open_flag[r.ho_head] != 0 : junk.chance(50);
  r.chal_token_avail = t.chal_tokens != 0;
  r.isn_ticks = static_cast<uint32_t>(s.cycle / (4ull * cfg_.clock_mhz));
  // conn_lookup's ISN mix of the segment's or the command's key (with the registers as they are
  // now: the engine computes it a cycle ahead, the fsm only adds isn_ticks).
  r.isn_mix = s.kind == Stimulus::Kind::kSegment ? toe::isn_mix(cfg_.isn_secret, cfg_.local_ip, s.seg.sip, s.seg.sport, s.seg.dport)
            : s.kind == Stimulus::Kind::kCommand ? toe::isn_mix(cfg_.isn_secret, cfg_.local_ip, s.cmd.ip, s.cmd.port, s.cmd.lport)
                                                 : junk.u32();
  return r;
}

void FsmLockstep::drive(const Stimulus& s, const TableReads& r) {
  Vtoe_tcp_fsm& m = *rtl_;
  const model::SegMeta& g = s.seg;
  m.seg_valid_i = s.kind == Stimulus::Kind::kSegment;
  m.seg_drop_i = g.drop;
  m.seg_reason_i = uint8_t(g.reason);
  m.seg_is_tcp_i = g.is_tcp;
  m.seg_smac_i = mac_u64(g.smac);
  m.seg_sip_i = g.sip;
  m.seg_sport_i = g.sport;
  m.seg_dport_i = g.dport;
  m.seg_seq_i = g.seq;
  m.seg_ack_i = g.ack;
  m.seg_flags_i = g.flags;
  m.seg_window_i = g.window;
  m.seg_has_mss_i = g.opts.has_mss;
  m.seg_mss_i = g.opts.mss;
  m.seg_has_wscale_i = g.opts.has_wscale;
  m.seg_wscale_i = g.opts.wscale;
  m.seg_payload_off_i = g.payload_off;
  m.seg_payload_len_i = g.payload_len;
  m.seg_slot_i = g.slot;

  const model::Cmd& c = s.cmd;
  // A command next to a segment is not taken (the segment has the cycle): driven anyway.
  m.cmd_valid_i = s.kind == Stimulus::Kind::kCommand || (s.kind == Stimulus::Kind::kSegment && (g.seq & 1));
  m.cmd_op_i = uint8_t(c.op);
  m.cmd_conn_i = c.conn;
  m.cmd_ip_i = c.ip;
  m.cmd_port_i = c.port;
  m.cmd_lport_i = c.lport;
  m.cmd_mac_i = mac_u64(c.mac);
  m.cmd_value_i = c.value;
  m.cmd_tag_i = c.tag;

  m.lk_hit_i = r.lk_hit;
  m.lk_conn_i = r.lk_conn;
  m.listen_hit_i = r.listen_hit;
  {
    uint32_t w[(kTcbW + 31) / 32] = {};
    Packer pk{w, kTcbW};
    visit_tcb(pk, r.tcb);
    port_from_words(m.tcb_i, w);
  }
  m.ho_flag_i = r.ho_flag;
  m.bucket_room_i = r.bucket_room;
  m.free_valid_i = r.free_valid;
  m.free_conn_i = r.free_conn;
  m.half_open_count_i = r.half_open_count;
  m.ho_head_valid_i = r.ho_head_valid;
  m.ho_head_i = r.ho_head;
  m.ho_head_flag_i = r.ho_head_flag;
  m.chal_token_avail_i = r.chal_token_avail;
  m.listen_match_valid_i = r.listen_match_valid;
  m.listen_match_slot_i = r.listen_match_slot;
  m.listen_free_valid_i = r.listen_free_valid;
  m.listen_free_slot_i = r.listen_free_slot;
  m.cycle_i = s.cycle;
  m.isn_ticks_i = r.isn_ticks;
  m.isn_mix_i = r.isn_mix;

  const model::EngineConfig& e = cfg_;
  m.mss_i = cfg_.mss;
  m.mss_floor_i = cfg_.mss_floor;
  m.rcv_wscale_i = cfg_.rcv_wscale;
  m.fixed_isn_en_i = e.fixed_isn_en;
  m.fixed_isn_i = e.fixed_isn;
  m.ack_every_i = cfg_.ack_every;
  m.chal_conn_cycles_i =
      static_cast<uint32_t>(cfg_.chal_conn_cycles ? cfg_.chal_conn_cycles : uint64_t(cfg_.clock_mhz) * 1000);
  m.max_half_open_i = cfg_.sessions_or_default_half_open();
}

FsmResult FsmLockstep::rtl_result(bool registered, bool& valid) const {
  const Vtoe_tcp_fsm& m = *rtl_;
  FsmResult r;
  uint32_t tcb_w[(kTcbW + 31) / 32], rsp_w[(kTxReqW + 31) / 32], evt_w[(6 * kEvtW + 31) / 32];
#define TOE_READ(P)                                                          \
  valid = m.P##valid_o;                                                      \
  r.tcb_write = m.P##tcb_write_o;                                            \
  r.conn = m.P##conn_o;                                                      \
  words_from_port(m.P##tcb_o, tcb_w, std::size(tcb_w));                      \
  r.index_insert = m.P##index_insert_o;                                      \
  r.free_conn = m.P##free_conn_o;                                            \
  r.rsp_valid = m.P##rsp_valid_o;                                            \
  r.n_evt = m.P##n_evt_o;                                                    \
  words_from_port(m.P##evt_o, evt_w, std::size(evt_w));                      \
  r.via = static_cast<TcpState>(m.P##via_o);                                 \
  r.payload = m.P##payload_o;                                                \
  r.slot = m.P##slot_o;                                                      \
  r.payload_off = m.P##payload_off_o;                                        \
  r.payload_len = m.P##payload_len_o;                                        \
  r.rx_off = m.P##rx_off_o;                                                  \
  r.release_slot = m.P##release_slot_o;                                      \
  r.tx_kick = m.P##tx_kick_o;                                                \
  r.half_open_add = m.P##half_open_add_o;                                    \
  r.half_open_done = m.P##half_open_done_o;                                  \
  r.evict_conn = m.P##evict_conn_o;                                          \
  r.count[0] = static_cast<model::Counter>(m.P##count_o & 0x1F);             \
  r.count[1] = static_cast<model::Counter>((m.P##count_o >> 5) & 0x1F);      \
  r.chal_token_used = m.P##chal_token_used_o;                                \
  r.listen_write = m.P##listen_write_o;                                      \
  r.listen_slot = m.P##listen_slot_o;                                        \
  r.listen_val.valid = m.P##listen_valid_o;                                  \
  r.listen_val.port = m.P##listen_port_o;
  if (registered) {
    TOE_READ(q_)
  } else {
    TOE_READ(res_)
  }
#undef TOE_READ
  Unpacker ut{tcb_w, kTcbW};
  visit_tcb(ut, r.tcb);
  if (registered) {  // the response is built from the registered result only (no res_rsp_o)
    words_from_port(m.q_rsp_o, rsp_w, std::size(rsp_w));
    Unpacker ur{rsp_w, kTxReqW};
    visit_txreq(ur, r.rsp);
  }
  for (unsigned i = 0; i < model::kMaxEventsPerResult; ++i) {
    Unpacker ue{evt_w, (i + 1) * kEvtW};  // slot i in bits [i*EvtW +: EvtW]
    visit_evt(ue, r.evt[i]);
  }
  return r;
}

std::string FsmLockstep::describe(const Stimulus& s, const TableReads& r) const {
  std::ostringstream os;
  os << "  cycle=" << s.cycle << "\n";
  if (s.kind == Stimulus::Kind::kSegment) {
    const model::SegMeta& m = s.seg;
    os << std::hex << "  segment: drop=" << m.drop << " reason=" << int(m.reason) << " is_tcp=" << m.is_tcp
       << " sip=0x" << m.sip << " sport=" << std::dec << m.sport << " dport=" << m.dport << std::hex
       << " seq=0x" << m.seq << " ack=0x" << m.ack << " flags=" << net::flags_str(m.flags) << " (0x"
       << int(m.flags) << ") window=0x" << m.window << std::dec << " mss=" << m.opts.has_mss << "/"
       << m.opts.mss << " ws=" << m.opts.has_wscale << "/" << int(m.opts.wscale)
       << " payload_off=" << m.payload_off << " payload_len=" << m.payload_len << " slot=" << int(m.slot)
       << " bucket=" << m.bucket << "\n";
  } else if (s.kind == Stimulus::Kind::kCommand) {
    const model::Cmd& c = s.cmd;
    os << "  command: " << model::to_string(c.op) << " (" << int(c.op) << ") conn=" << c.conn << std::hex
       << " ip=0x" << c.ip << std::dec << " port=" << c.port << " lport=" << c.lport << std::hex
       << " value=0x" << c.value << " tag=0x" << c.tag << std::dec << "\n";
  } else {
    os << "  idle\n";
  }
  os << "  reads: lk_hit=" << r.lk_hit << " lk_conn=" << r.lk_conn << " listen_hit=" << r.listen_hit
     << " ho_flag=" << r.ho_flag << " bucket_room=" << r.bucket_room << " free=" << r.free_valid << "/"
     << r.free_conn << " half_open_count=" << r.half_open_count << " ho_head=" << r.ho_head_valid << "/"
     << r.ho_head << "/" << r.ho_head_flag << " chal_token=" << r.chal_token_avail
     << " listen_match=" << r.listen_match_valid << "/" << r.listen_match_slot
     << " listen_free=" << r.listen_free_valid << "/" << r.listen_free_slot << " isn_ticks=" << r.isn_ticks << " isn_mix=0x" << std::hex << r.isn_mix << std::dec
     << "\n";
  os << "  tcb_i (" << to_string(r.tcb.state) << "): " << describe_tcb(r.tcb) << "\n";
  const model::EngineConfig& e = cfg_;
  os << std::hex << "  config: mss=" << std::dec << cfg_.mss << " mss_floor=" << cfg_.mss_floor
     << " rcv_wscale=" << int(cfg_.rcv_wscale) << " ack_every=" << cfg_.ack_every
     << " chal_conn_cycles=" << cfg_.chal_conn_cycles << " clock_mhz=" << cfg_.clock_mhz
     << " max_half_open=" << cfg_.sessions_or_default_half_open() << " fixed_isn=" << e.fixed_isn_en << "/"
     << e.fixed_isn << std::hex << " local_ip=0x" << e.local_ip << std::dec << "\n";
  return os.str();
}

std::string FsmLockstep::step(const Stimulus& s, Rng& junk) {
  const TableReads r = reads_for(s, junk);
  tables_->isn_ticks = r.isn_ticks;  // the RTL's isn_ticks_i
  drive(s, r);
  const std::string inputs_before = describe(s, r);
  rtl_->clk_i = 0;
  rtl_->eval();
  switch (s.kind) {
    case Stimulus::Kind::kSegment: fsm_->eval_segment(s.seg, r.isn_mix, s.cycle); break;
    case Stimulus::Kind::kCommand: fsm_->eval_command(s.cmd, r.isn_mix, s.cycle); break;
    case Stimulus::Kind::kIdle: fsm_->eval_idle(); break;
  }
  // The tables take the writes (as toe_tables does), then q = d.
  if (fsm_->res_valid()) tables_->apply_fsm(fsm_->res(), s.cycle, {});
  tables_->clean_half_open();
  fsm_->commit();
  const FsmResult& want = fsm_->q;
  bool valid = false;
  const FsmResult comb = rtl_result(false, valid);
  if (valid != fsm_->q_valid)
    return fmt_u("res_valid", fsm_->q_valid, valid) + "\n" + inputs_before;
  if (valid) {
    const std::string d = diff_results(want, comb, /*with_rsp=*/false);
    if (!d.empty()) return "combinational res_" + d + "\n" + inputs_before;
  }
  rtl_->clk_i = 1;
  rtl_->eval();
  const FsmResult reg = rtl_result(true, valid);
  rtl_->clk_i = 0;
  rtl_->eval();
  if (valid != fsm_->q_valid) return fmt_u("q_valid", fsm_->q_valid, valid) + "\n" + inputs_before;
  if (valid) have_q_ = true;
  if (have_q_) {  // q holds the last valid result over idle cycles, on both sides
    const std::string d = diff_results(want, reg);
    if (!d.empty()) return "registered q_" + d + "\n" + inputs_before;
  }
  return "";
}

}  // namespace toe::lockstep
