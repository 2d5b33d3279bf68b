// SPDX-License-Identifier: Apache-2.0
// The harness of the differential tests (see differential_harness.hpp).
#include "differential_harness.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>

namespace toe::differential {

model::EngineConfig engine_config() {
  model::EngineConfig e;
  e.sessions = 4;
  e.data_bytes = 8;
  e.rx_buf_bytes = 4096;
  e.tx_buf_bytes = 4096;
  e.fixed_isn_en = true;
  e.fixed_isn = kEngIss;
  e.chal_conn_cycles = 1;         // every challenge ACK visible: lwIP does not throttle (RS1/SY1)
  e.chal_global_burst = 1u << 30;
  return e;
}

namespace {

class DiffRun {
  // Bytes each side took in kFill steps: subtracted from its ACK numbers (this connection) and from
  // its delivered count, so the two sides' different window sizes do not show.
  struct Fill {
    uint32_t seq = 0;
    uint64_t bytes = 0;
  };

 public:
  DiffRun(const RunConfig& rc)
      : rc_(rc), eng_(make_engine_side(engine_config(), rc.profile)), lw_(make_lwip_side(rc.profile)) {
    for (View* v : {&ve_, &vl_}) {
      v->rcv_nxt = rc.cli_isn;
      v->snd_nxt = 0;
    }
  }

  Result run(const std::vector<Step>& steps) {
    Result r;
    std::ostringstream log;
    log << "client ISN " << hex(rc_.cli_isn) << ", server app "
        << (rc_.profile == Profile::kDiscard ? "discard" : "hold") << "\n";
    for (size_t i = 0; i < steps.size(); ++i) {
      const Step& st = steps[i];
      Pre pe = eng_->pre(), pl = lw_->pre();
      pe.delivered = eng_->delivered() - fill_e_.bytes;
      pl.delivered = lw_->delivered() - fill_l_.bytes;
      const View ve0 = ve_, vl0 = vl_;
      In ie, il;
      Obs oe, ol;
      if (precondition(st, pe, pl)) {
        oe = exec(*eng_, ve_, fill_e_, st, ie);
        ol = exec(*lw_, vl_, fill_l_, st, il);
      } else {
        oe.skipped = ol.skipped = true;
        oe.state = pe.state;
        ol.state = pl.state;
        oe.delivered = eng_->delivered() - fill_e_.bytes;
        ol.delivered = lw_->delivered() - fill_l_.bytes;
      }
      eng_->diagnostics(oe);
      // History the predicates need (lwIP's out-of-order queue).
      if (st.op == Op::kSeg && il.seg_len() > 0 && pl.conn && seq_gt(il.seq, pl.rcv_nxt) &&
          seq_lt(il.seq, pl.rcv_nxt + pl.rcv_wnd) && !has(il, kR) && !has(il, kS))
        hist_next_.ooo_queued = true;
      if (st.op == Op::kSeg && st.mss >= 0 && !has(il, kS) && pl.conn) hist_next_.mss_on_non_syn = true;
      log << "step " << i << ": " << st.str() << "\n" << "   in  engine: " << in_str(ie, ve0, fill_e_.seq)
          << "\n   in  lwIP  : " << in_str(il, vl0, fill_l_.seq) << "\n   out engine: " << oe.str()
          << "\n   out lwIP  : " << ol.str() << "\n";
      if (!eng_->error.empty() || !lw_->error.empty()) {
        r.ok = false;
        log << "   INFRASTRUCTURE: " << eng_->error << " " << lw_->error << "\n";
        break;
      }
      const Ctx c{st, SideCtx{ie, pe, oe, ve0}, SideCtx{il, pl, ol, vl0}, hist_};
      std::vector<size_t> used;
      if (equal(oe, ol, c, used)) {
        for (size_t u : used) note(r, u);
        hist_ = hist_next_;
        continue;
      }
      size_t row = kNumDivergences;
      for (size_t k = 0; k < kNumDivergences; ++k)
        if (kDivergences[k].step && (rc_.allow_engine_bugs || kDivergences[k].kind != Kind::kEngineBug) &&
            kDivergences[k].step(c)) {
          row = k;
          break;
        }
      if (row == kNumDivergences) {
        r.ok = false;
        log << "   ^^^ DIFFERENCE not in the divergence table\n";
        break;
      }
      note(r, row);
      log << "   (divergence " << kDivergences[row].key << " / " << kDivergences[row].id << " ["
          << kind_str(kDivergences[row].kind) << "]: " << kDivergences[row].what << ")\n";
      if (kDivergences[row].kind != Kind::kStep) {
        r.stopped = true;
        break;
      }
      hist_ = hist_next_;
    }
    if (!r.ok) {
      std::ostringstream o;
      if (rc_.has_seed) o << "seed " << rc_.seed << "\n";
      o << log.str();
      r.report = o.str();
    }
    last_log_ = log.str();
    return r;
  }
  const std::string& log() const { return last_log_; }

 private:
  // Server-application steps happen only where both sides can take them the same way: the
  // application has a connection (ESTABLISHED or CLOSE_WAIT: a host learns of a passive
  // connection at accept), and, for a send, nothing is in flight (lwIP's Nagle algorithm holds a
  // second small segment until the first is acknowledged; the engine leaves that to the host).
  static bool precondition(const Step& st, const Pre& e, const Pre& l) {
    auto open = [](const Pre& p) { return p.conn && (p.state == TcpState::ESTABLISHED || p.state == TcpState::CLOSE_WAIT); };
    switch (st.op) {
      case Op::kSeg:
      case Op::kRead:
      case Op::kFill: return true;
      case Op::kClose: return open(e) && open(l);
      case Op::kSend: return open(e) && open(l) && e.snd_una == e.snd_nxt && l.snd_una == l.snd_nxt;
    }
    return true;
  }

  static void note(Result& r, size_t row) {
    count_row_hit(row);
    if (std::find(r.rows.begin(), r.rows.end(), row) == r.rows.end()) r.rows.push_back(row);
  }

  std::string in_str(const In& in, const View& v, uint32_t fill) const {
    if (!in.is_seg) return "-";
    std::ostringstream o;
    o << flags_str(in.flags) << " seq " << rel(in.seq - rc_.cli_isn - fill) << " ack "
      << (v.have_iss ? rel(in.ack - v.iss) : std::to_string(in.ack)) << " len " << in.len
      << "   (abs seq " << in.seq << " ack " << in.ack << ")";
    return o.str();
  }

  // RCV.NXT comes from the side's last ACK; RCV.WND is the side's own receive-window variable
  // (engine: free receive buffer; lwIP: pcb->rcv_wnd), the window its acceptability test uses. lwIP
  // announces a grown window only in steps of min(TCP_WND/4, 2*MSS), so its announced window can
  // lag rcv_wnd: probing the announced edge would probe the middle of lwIP's real window.
  In resolve(const Step& st, const View& v, const Pre& pre) const {
    In in;
    in.is_seg = true;
    in.flags = st.flags;
    in.len = st.len;
    in.dport = st.dport;
    uint32_t s = 0;
    switch (st.sb) {
      case SB::kIsn: s = rc_.cli_isn; break;
      case SB::kNxt: s = v.rcv_nxt; break;
      case SB::kWnd: s = v.rcv_nxt + (pre.conn ? pre.rcv_wnd : 65535u); break;  // no connection: any constant
    }
    in.seq = s + static_cast<uint32_t>(st.so);
    uint32_t a = 0;
    switch (st.ab) {
      case AB::kRaw: a = 0; break;
      case AB::kIss: a = v.iss; break;
      case AB::kSnd: a = v.snd_nxt; break;
    }
    in.ack = a + static_cast<uint32_t>(st.ao);
    return in;
  }

  // SEQ relative to the side's ISN; a RST answering a segment: relative to that segment's ACK
  // field (RFC 9293 <SEQ=SEG.ACK><RST>; the client may have put anything there).
  NSeg norm(const Raw& r, const View& v, uint32_t fill, const In& in) const {
    NSeg n;
    n.flags = r.flags;
    n.seq = v.have_iss ? r.seq - v.iss : r.seq;
    if ((r.flags & kR) && in.is_seg) {
      n.seq = r.seq - in.ack;
      n.rst_rel = true;
    }
    n.ack = r.ack - rc_.cli_isn - fill;
    n.win = r.win;
    n.len = r.len;
    n.has_mss = r.has_mss;
    n.mss = r.mss;
    n.has_ws = r.has_ws;
    return n;
  }

  Obs exec(Side& s, View& v, Fill& fill, const Step& st, In& in) {
    Obs o;
    std::vector<Raw> out;
    switch (st.op) {
      case Op::kSeg: {
        in = resolve(st, v, s.pre());
        out = s.segment(client_packet(in, st.win, st.mss));
        break;
      }
      case Op::kClose:
        out = s.close();
        break;
      case Op::kSend: {
        std::vector<uint8_t> d(st.len);
        for (size_t i = 0; i < d.size(); ++i) d[i] = static_cast<uint8_t>(sent_ + i);
        out = s.send(d);
        break;
      }
      case Op::kRead:
        out = s.read();
        break;
      case Op::kFill: {
        // In-order data until the side advertises a zero window; only the last reply is compared.
        for (int guard = 0; guard < 200 && v.wnd > 0; ++guard) {
          Step d = in_seq(kA, static_cast<uint16_t>(std::min<uint32_t>(v.wnd, 1000)));
          In fin = resolve(d, v, Pre{});
          auto r = s.segment(client_packet(fin, kCliWin, -1));
          fill.seq += fin.len;
          fill.bytes += fin.len;
          for (const Raw& x : r) v.learn(x);
          if (!r.empty()) out = {r.back()};
          else out.clear();
          if (r.empty()) break;
        }
        for (const Raw& x : out) o.out.push_back(norm(x, v, fill.seq, In{}));
        o.trans = s.take_transitions();
        o.state = s.state();
        o.delivered = s.delivered() - fill.bytes;
        return o;
      }
    }
    for (const Raw& x : out) {
      v.learn(x);
      if (x.flags & kS) fill.seq = 0;  // a new connection: its sequence space has no fill
      o.out.push_back(norm(x, v, fill.seq, in));
    }
    o.trans = s.take_transitions();
    o.state = s.state();
    o.delivered = s.delivered() - fill.bytes;
    return o;
  }

  static bool exact(const NSeg& a, const NSeg& b) {
    return a.flags == b.flags && a.seq == b.seq && ((a.flags & kA) == 0 || a.ack == b.ack) && a.win == b.win &&
           a.len == b.len && a.has_mss == b.has_mss && (!a.has_mss || a.mss == b.mss) && a.has_ws == b.has_ws;
  }
  // Equal with the field normalisations of the kSegment rows, applied one field group at a time.
  static bool equal_seg(const NSeg& e, const NSeg& l, const Ctx& c, std::vector<size_t>& used) {
    if (exact(e, l)) return true;
    NSeg a = e, b = l;
    std::vector<size_t> u;
    for (size_t k = 0; k < kNumDivergences; ++k) {
      const Divergence& d = kDivergences[k];
      if (d.kind != Kind::kSegment || !d.seg(a, b, c)) continue;
      // Apply the row's normalisation: make the fields it covers equal.
      if (d.seg == seg_window_nonzero || d.seg == seg_rst_window) {
        if (a.win == b.win) continue;
        b.win = a.win;
      } else if (d.seg == seg_rst_ack) {
        if (a.flags == b.flags && a.seq == b.seq && a.ack == b.ack) continue;
        b.flags = a.flags;
        b.seq = a.seq;
        b.ack = a.ack;
      }
      u.push_back(k);
      if (exact(a, b)) {
        used.insert(used.end(), u.begin(), u.end());
        return true;
      }
    }
    return false;
  }
  static bool equal_out(const std::vector<NSeg>& e, const std::vector<NSeg>& l, const Ctx& c,
                        std::vector<size_t>& used) {
    if (e.size() != l.size()) return false;
    for (size_t i = 0; i < e.size(); ++i)
      if (!equal_seg(e[i], l[i], c, used)) return false;
    return true;
  }
  static bool equal(const Obs& e, const Obs& l, const Ctx& c, std::vector<size_t>& used) {
    if (e.trans != l.trans || e.state != l.state || e.delivered != l.delivered) return false;
    std::vector<size_t> direct;
    if (equal_out(e.out, l.out, c, direct)) {
      used.insert(used.end(), direct.begin(), direct.end());
      return true;
    }
    std::vector<NSeg> a = e.out, b = l.out;
    for (size_t k = 0; k < kNumDivergences; ++k) {
      if (kDivergences[k].kind != Kind::kOutput) continue;
      const bool ca = kDivergences[k].outs(a), cb = kDivergences[k].outs(b);
      if (!ca && !cb) continue;
      std::vector<size_t> u;
      if (equal_out(a, b, c, u)) {
        used.push_back(k);
        used.insert(used.end(), u.begin(), u.end());
        return true;
      }
    }
    return false;
  }

  RunConfig rc_;
  std::unique_ptr<Side> eng_;  // the engine
  std::unique_ptr<Side> lw_;   // lwIP
  View ve_, vl_;
  Fill fill_e_, fill_l_;
  Hist hist_, hist_next_;
  uint8_t sent_ = 0;
  std::string last_log_;
};

}  // namespace

Result run_sequence(const RunConfig& rc, const std::vector<Step>& steps) {
  DiffRun d(rc);
  return d.run(steps);
}

void scripted(const std::vector<Step>& steps, const std::vector<std::string>& expect_keys, RunConfig rc) {
  const Result r = run_sequence(rc, steps);
  std::vector<std::string> got;
  for (size_t k : r.rows)
    if (kDivergences[k].src != Src::kNorm && kDivergences[k].seg != seg_rst_window) got.push_back(kDivergences[k].key);
  std::sort(got.begin(), got.end());
  std::vector<std::string> want = expect_keys;
  std::sort(want.begin(), want.end());
  EXPECT_TRUE(r.ok) << r.report;
  EXPECT_EQ(got, want) << "divergence rows used differ from the expected ones";
  if (::testing::Test::HasFailure() || std::getenv("TOE_DIFF_VERBOSE")) {
    DiffRun d(rc);
    d.run(steps);
    std::printf("%s", d.log().c_str());
  }
}
RunConfig hold() {
  RunConfig rc;
  rc.profile = Profile::kHold;
  return rc;
}
RunConfig strict() {
  RunConfig rc;
  rc.allow_engine_bugs = false;
  return rc;
}

}  // namespace toe::differential
