// SPDX-License-Identifier: Apache-2.0
// The divergence table of the differential tests (see divergences.hpp).
#include "divergences.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cinttypes>
#include <cstdio>

namespace toe::differential {

const char* kind_str(Kind k) {
  switch (k) {
    case Kind::kSegment: return "segment";
    case Kind::kOutput: return "output";
    case Kind::kStep: return "step";
    case Kind::kStop: return "stop";
    case Kind::kEngineBug: return "ENGINE_BUG";
  }
  return "?";
}
const char* src_str(Src s) {
  switch (s) {
    case Src::kNorm: return "normalise";
    case Src::kListed: return "listed";
    case Src::kFound: return "found";
    case Src::kBug: return "ENGINE_BUG";
  }
  return "?";
}

namespace {

// ---- helpers for the predicates
bool synchronized(TcpState s) {
  return s != TcpState::CLOSED && s != TcpState::LISTEN && s != TcpState::SYN_SENT && s != TcpState::SYN_RECEIVED;
}
// RFC 9293 3.10.7.4 acceptability against a given window.
bool acceptable(const In& in, uint32_t rcv_nxt, uint32_t wnd) {
  const uint32_t len = in.seg_len();
  if (len == 0) return wnd == 0 ? in.seq == rcv_nxt : toe::seq_in_window(in.seq, rcv_nxt, wnd);
  return wnd != 0 && (toe::seq_in_window(in.seq, rcv_nxt, wnd) || toe::seq_in_window(in.seq + len - 1, rcv_nxt, wnd));
}
bool is_pure_ack(const NSeg& s) { return s.flags == kA && s.len == 0; }

}  // namespace

// ---- kSegment rows
bool seg_window_nonzero(const NSeg& e, const NSeg& l, const Ctx&) { return (e.win == 0) == (l.win == 0); }
bool seg_rst_window(const NSeg& e, const NSeg& l, const Ctx&) { return (e.flags & kR) && (l.flags & kR); }
bool seg_rst_ack(const NSeg& e, const NSeg& l, const Ctx& c) {
  // lwIP's tcp_rst() always sends <SEQ=SEG.ACK><ACK=SEG.SEQ+SEG.LEN><RST,ACK>; the engine sends
  // RFC 9293's <SEQ=SEG.ACK><RST> when the offending segment had ACK on (HS1, HS6) or
  // <SEQ=0><ACK=SEG.SEQ+SEG.LEN><RST,ACK> when it had ACK off (HS1).
  if (!(e.flags & kR) || l.flags != (kR | kA) || e.len || l.len) return false;
  const In& ie = c.e.in;
  if (!ie.is_seg || !c.l.in.is_seg) return false;
  if (has(ie, kA)) return e.flags == kR && e.seq == l.seq;  // same SEQ=SEG.ACK; lwIP adds an ACK
  // ACK bit off: engine seq 0 / ack = SEG.SEQ+SEG.LEN; lwIP seq = the ack field, same ack.
  return e.flags == (kR | kA) && e.ack == l.ack;
}

namespace {

// ---- kOutput rows
// A pure ACK followed, in the same step, by a segment with the same SEQ acknowledging at least as
// much (data or FIN) is dropped: lwIP piggybacks the ACK of a FIN on its own FIN when its
// application closes in the FIN's callback; the engine ACKs first and sends the FIN when its host
// closes a few cycles later. Both orders are the same acknowledgment.
bool out_coalesce_acks(std::vector<NSeg>& v) {
  bool changed = false;
  for (size_t i = 0; i + 1 < v.size();) {
    const NSeg& a = v[i];
    const NSeg& b = v[i + 1];
    if (a.flags == kA && a.len == 0 && (b.flags & kA) && !(b.flags & kR) && b.seq == a.seq && seq_geq(b.ack, a.ack)) {
      v.erase(v.begin() + static_cast<std::ptrdiff_t>(i));
      changed = true;
    } else {
      ++i;
    }
  }
  return changed;
}

// ---- step rows
// Helpers: what a side did in the step.
bool quiet(const SideCtx& x) { return x.obs.out.empty() && x.obs.trans.empty() && x.obs.delivered == x.pre.delivered; }
bool challenge_only(const SideCtx& x) {  // one pure ACK, nothing else changed
  return x.obs.out.size() == 1 && is_pure_ack(x.obs.out[0]) && x.obs.trans.empty() && x.obs.delivered == x.pre.delivered;
}
bool entered_fin_state(const Obs& o) {
  for (TcpState s : o.trans)
    if (s == TcpState::CLOSE_WAIT || s == TcpState::CLOSING || s == TcpState::TIME_WAIT || s == TcpState::LAST_ACK)
      return true;
  return false;
}
bool took_text(const SideCtx& x) { return x.obs.delivered > x.pre.delivered || entered_fin_state(x.obs); }
bool plain_seg(const Ctx& c) { return c.st.op == Op::kSeg && !has(c.e.in, kR) && !has(c.e.in, kS); }

// HS2: SYN+FIN in LISTEN: lwIP answers as for a SYN; the engine drops it.
bool hs2_syn_fin(const Ctx& c) {
  return c.st.op == Op::kSeg && has(c.e.in, kS) && has(c.e.in, kF) && !has(c.e.in, kR) && !has(c.e.in, kA) &&
         !c.e.pre.conn && !c.l.pre.conn && quiet(c.e) && !c.l.obs.out.empty() &&
         c.l.obs.out[0].flags == (kS | kA);
}
// HS6: SYN-RECEIVED, an ACK with a bad sequence number: the engine checks the sequence first
// (ACK + drop); lwIP does no sequence check and goes by the ACK field (ESTABLISHED, or RST).
bool hs6_no_seq_check(const Ctx& c) {
  return plain_seg(c) && c.e.pre.state == TcpState::SYN_RECEIVED && c.l.pre.state == TcpState::SYN_RECEIVED &&
         has(c.e.in, kA) && !acceptable(c.e.in, c.e.pre.rcv_nxt, c.e.pre.rcv_wnd) && challenge_only(c.e);
}
// The same without the ACK bit: the engine ACKs the unacceptable segment, lwIP ignores a segment
// without ACK in SYN-RECEIVED; nothing changes on either side.
bool hs6_no_seq_check_no_ack(const Ctx& c) {
  return plain_seg(c) && c.e.pre.state == TcpState::SYN_RECEIVED && c.l.pre.state == TcpState::SYN_RECEIVED &&
         !has(c.e.in, kA) && !acceptable(c.e.in, c.e.pre.rcv_nxt, c.e.pre.rcv_wnd) && challenge_only(c.e) &&
         quiet(c.l);
}
// HS7: a SYN in SYN-RECEIVED that is not a retransmission of the first: the engine sends a
// challenge ACK, lwIP ignores it (or, with an acceptable ACK, completes the handshake).
bool hs7_other_syn(const Ctx& c) {
  return c.st.op == Op::kSeg && c.e.pre.state == TcpState::SYN_RECEIVED && c.l.pre.state == TcpState::SYN_RECEIVED &&
         has(c.e.in, kS) && !has(c.e.in, kR) && (c.e.in.seq != c.e.pre.rcv_nxt - 1 || has(c.e.in, kA)) &&
         challenge_only(c.e);
}
// SQ1: lwIP processes the ACK field (SND.UNA, the send window, FIN-acknowledged transitions) of a
// segment that fails the sequence test; the engine drops the segment whole (challenge ACK).
bool sq1_ack_of_unacceptable(const Ctx& c) {
  return plain_seg(c) && synchronized(c.e.pre.state) && has(c.e.in, kA) &&
         !acceptable(c.e.in, c.e.pre.rcv_nxt, c.e.pre.rcv_wnd) && challenge_only(c.e) &&
         seq_geq(c.l.in.ack, c.l.pre.snd_una) && seq_leq(c.l.in.ack, c.l.pre.snd_nxt) &&
         (!c.l.obs.trans.empty() || std::any_of(c.l.obs.out.begin(), c.l.obs.out.end(), [](const NSeg& x) {
           return x.len > 0 || (x.flags & kF);
         }));
}
// SQ2: zero receive window, a zero-length segment at RCV.NXT: acceptable, the engine says nothing,
// lwIP ACKs.
bool sq2_zero_window_ack(const Ctx& c) {
  return plain_seg(c) && synchronized(c.e.pre.state) && c.e.pre.rcv_wnd == 0 && c.e.in.seg_len() == 0 &&
         c.e.in.seq == c.e.pre.rcv_nxt && quiet(c.e) && challenge_only(c.l);
}
// SQ3: text without the ACK bit in a synchronized state: the engine drops the segment, lwIP
// processes the text (delivers data, takes a FIN, or queues it out of order with a duplicate ACK).
bool sq3_no_ack_data(const Ctx& c) {
  return plain_seg(c) && synchronized(c.e.pre.state) && !has(c.e.in, kA) && c.e.in.seg_len() > 0 &&
         acceptable(c.e.in, c.e.pre.rcv_nxt, c.e.pre.rcv_wnd) && quiet(c.e) && (took_text(c.l) || challenge_only(c.l));
}
// SQ4: SEG.ACK > SND.NXT: the engine ACKs and drops the segment; lwIP sends an ACK and then
// processes the text.
bool sq4_ack_beyond(const Ctx& c) {
  return plain_seg(c) && synchronized(c.e.pre.state) && has(c.e.in, kA) && seq_gt(c.e.in.ack, c.e.pre.snd_nxt) &&
         c.e.in.seg_len() > 0 && challenge_only(c.e) && !c.l.obs.out.empty() && is_pure_ack(c.l.obs.out[0]);
}
// SQ5: SEG.ACK older than SND.UNA - MAX.SND.WND: the engine ACKs and drops; lwIP treats it as a
// duplicate ACK (no reply to a zero-length segment) and processes the text.
bool sq5_ack_too_old(const Ctx& c) {
  return plain_seg(c) && synchronized(c.e.pre.state) && has(c.e.in, kA) &&
         seq_lt(c.e.in.ack, c.e.pre.snd_una - std::max<uint32_t>(c.e.pre.max_snd_wnd, 1)) && challenge_only(c.e) &&
         (quiet(c.l) || took_text(c.l) || !c.l.obs.out.empty());
}
// RS1: a RST at exactly RCV.NXT+RCV.WND: lwIP's window test is inclusive (challenge ACK), the
// engine's is not (out of window: silently dropped).
bool rs1_upper_bound(const Ctx& c) {
  return c.st.op == Op::kSeg && c.l.pre.conn && c.l.pre.state != TcpState::SYN_SENT &&
         c.l.pre.state == c.e.pre.state && has(c.l.in, kR) && !has(c.l.in, kS) &&
         c.l.in.seq == c.l.pre.rcv_nxt + c.l.pre.rcv_wnd && quiet(c.e) && challenge_only(c.l);
}
// RS1: SYN+RST outside the receive window: the engine drops it (RFC 9293 3.10.7.4: an unacceptable
// segment with RST is dropped; RFC 5961 3.2 judges a RST by SEG.SEQ); lwIP takes the SYN first and ACKs.
bool rs1_syn_rst_out_of_window(const Ctx& c) {
  return c.st.op == Op::kSeg && c.e.pre.conn &&
         (synchronized(c.e.pre.state) || c.e.pre.state == TcpState::SYN_RECEIVED) && has(c.e.in, kR) && has(c.e.in, kS) &&
         !toe::seq_in_window(c.e.in.seq, c.e.pre.rcv_nxt, c.e.pre.rcv_wnd) && quiet(c.e) && challenge_only(c.l);
}
// FN4: a FIN at zero receive window: the engine takes a bare FIN at RCV.NXT; lwIP rejects it and ACKs.
bool fn4_fin_zero_window(const Ctx& c) {
  return plain_seg(c) && synchronized(c.e.pre.state) && c.e.pre.rcv_wnd == 0 && has(c.e.in, kF) && c.e.in.len == 0 &&
         c.e.in.seq == c.e.pre.rcv_nxt && entered_fin_state(c.e.obs) && challenge_only(c.l);
}
// TW4: a SYN in TIME-WAIT: the engine sends a challenge ACK; lwIP a RST (in window) or an ACK.
bool tw4_syn_time_wait(const Ctx& c) {
  return c.st.op == Op::kSeg && c.e.pre.state == TcpState::TIME_WAIT && c.l.pre.state == TcpState::TIME_WAIT &&
         has(c.e.in, kS) && !has(c.e.in, kR) && challenge_only(c.e) && c.l.obs.out.size() == 1 &&
         c.l.obs.out[0].len == 0;
}
// OP2: an MSS option on a non-SYN segment: lwIP adopts it (0 -> TCP_MSS, else the value, down to 1);
// the engine ignores it (MUST-65). Seen when the server next sends: lwIP's segments are smaller.
bool op2_mss_non_syn(const Ctx& c) {
  if (c.st.op != Op::kSend || !c.hist.mss_on_non_syn || c.e.obs.out.size() != 1 || c.l.obs.out.empty()) return false;
  return c.l.obs.out[0].len < c.e.obs.out[0].len;
}
uint32_t max_ack(const Obs& o, uint32_t dflt) {
  uint32_t a = dflt;
  for (const NSeg& s : o.out)
    if ((s.flags & kA) && !(s.flags & kR) && seq_gt(s.ack, a)) a = s.ack;
  return a;
}
bool ooseq_queue(const Ctx& c) {
  if (!c.hist.ooo_queued || c.st.op != Op::kSeg) return false;
  return c.l.obs.delivered > c.e.obs.delivered || seq_gt(max_ack(c.l.obs, 0), max_ack(c.e.obs, 0)) ||
         (entered_fin_state(c.l.obs) && !entered_fin_state(c.e.obs));
}

// FN2: text beyond RCV.NXT after the peer's FIN (CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT): both
// ignore it; the engine sends its immediate duplicate ACK for out-of-order text, lwIP stays silent.
// lwIP, for its part, ACKs such text when its SEQ is below RCV.NXT (it tests SEQ alone there); the
// engine finds the segment acceptable (its text reaches into the window) and ignores it silently.
bool fn2_text_after_fin(const Ctx& c) {
  const TcpState s = c.e.pre.state;
  auto quiet_or_ack = [](const Obs& o) { return o.out.empty() || (o.out.size() == 1 && is_pure_ack(o.out[0])); };
  return c.st.op == Op::kSeg &&
         (s == TcpState::CLOSE_WAIT || s == TcpState::CLOSING || s == TcpState::LAST_ACK || s == TcpState::TIME_WAIT) &&
         c.l.pre.state == s && !has(c.e.in, kR) && !has(c.e.in, kS) && c.e.in.seg_len() > 0 && quiet_or_ack(c.e.obs) &&
         quiet_or_ack(c.l.obs) && c.e.obs.out.size() != c.l.obs.out.size() && c.e.obs.trans == c.l.obs.trans &&
         c.e.obs.delivered == c.l.obs.delivered;  // (the same segment may ACK our FIN on both sides)
}

// TW2: TIME-WAIT: lwIP ACKs every segment with SEG.LEN > 0 (and restarts 2*MSL on any FIN) and
// ignores zero-length ones whatever their SEQ/ACK; the engine ACKs what fails the sequence or ACK
// test and an exact retransmission of the peer's FIN, and ignores other acceptable segments.
bool tw2_time_wait_replies(const Ctx& c) {
  auto quiet_or_ack = [](const Obs& o) { return o.out.empty() || (o.out.size() == 1 && is_pure_ack(o.out[0])); };
  return c.st.op == Op::kSeg && c.e.pre.state == TcpState::TIME_WAIT && c.l.pre.state == TcpState::TIME_WAIT &&
         !has(c.e.in, kS) && !has(c.e.in, kR) && quiet_or_ack(c.e.obs) && quiet_or_ack(c.l.obs) &&
         c.e.obs.trans.empty() && c.l.obs.trans.empty() && c.e.obs.delivered == c.l.obs.delivered &&
         (c.l.obs.out.empty() ? c.e.in.seg_len() == 0 : c.e.in.seg_len() > 0);
}

// TM1 (found): lwIP retransmits the oldest unacknowledged segment on the third duplicate ACK (RFC
// 5681 fast retransmit; it counts duplicates even from segments failing the sequence test); the
// engine retransmits on the firmware's timer only. Everything else in the step is the same.
bool tm1_fast_retransmit(const Ctx& c) {
  if (!plain_seg(c) || !synchronized(c.l.pre.state) || !has(c.l.in, kA) || c.l.in.ack != c.l.pre.snd_una ||
      c.l.pre.snd_una == c.l.pre.snd_nxt)
    return false;
  const uint32_t una_rel = c.l.pre.snd_una - c.l.pre.iss;
  std::vector<NSeg> rest;
  bool retx = false;
  for (const NSeg& x : c.l.obs.out) {
    if (!retx && x.seq == una_rel && (x.len > 0 || (x.flags & kF)))
      retx = true;
    else
      rest.push_back(x);
  }
  if (!retx || rest.size() != c.e.obs.out.size()) return false;
  for (size_t i = 0; i < rest.size(); ++i)
    if (rest[i].flags != c.e.obs.out[i].flags || rest[i].seq != c.e.obs.out[i].seq || rest[i].ack != c.e.obs.out[i].ack)
      return false;
  return c.e.obs.trans == c.l.obs.trans && c.e.obs.delivered == c.l.obs.delivered;
}

}  // namespace

extern const Divergence kDivergences[] = {
    // ---- normalisations
    {"win-nonzero", "SQ1", Src::kNorm,
     "window compared only as zero / non-zero: the values follow each side's buffer (engine rx buffer 4 KB "
     "here, lwIP TCP_WND 65535 less unread data, announced in steps, minus 1 after a FIN)",
     Kind::kSegment, seg_window_nonzero, nullptr, nullptr},
    {"rst-window", "HS1", Src::kListed,
     "window field of a RST not compared (meaningless; lwIP puts TCP_WND there, byte-swapped twice; the engine 0)",
     Kind::kSegment, seg_rst_window, nullptr, nullptr},
    {"ack-coalesce", "TM3", Src::kNorm,
     "a pure ACK immediately followed, in the same step, by a segment with the same SEQ acknowledging at least as "
     "much is dropped before comparing (lwIP piggybacks the ACK of a FIN on the FIN its application sends at once; "
     "the engine ACKs, then its host closes)",
     Kind::kOutput, nullptr, nullptr, out_coalesce_acks},
    // ---- listed in CONFORMANCE.md's "lwIP differs" column
    {"rst-form", "HS1", Src::kListed,
     "RST form: lwIP always sends <SEQ=SEG.ACK><ACK=SEG.SEQ+SEG.LEN><RST,ACK>; the engine the RFC 9293 forms "
     "(<SEQ=SEG.ACK><RST> if the ACK bit was on, <SEQ=0><ACK=SEG.SEQ+SEG.LEN><RST,ACK> if off)",
     Kind::kSegment, seg_rst_ack, nullptr, nullptr},
    {"syn-fin-listen", "HS2", Src::kListed, "SYN+FIN in LISTEN: lwIP answers it as a SYN, the engine drops it",
     Kind::kStop, nullptr, hs2_syn_fin, nullptr},
    {"synrcvd-no-seq-check", "HS6", Src::kListed,
     "SYN-RECEIVED, an ACK failing the sequence test: the engine ACKs and drops it; lwIP does no sequence check "
     "(ESTABLISHED on a good ACK, RST on a bad one)",
     Kind::kStop, nullptr, hs6_no_seq_check, nullptr},
    {"synrcvd-no-seq-check-noack", "HS6", Src::kListed,
     "SYN-RECEIVED, a segment without ACK failing the sequence test: the engine ACKs it, lwIP ignores it",
     Kind::kStep, nullptr, hs6_no_seq_check_no_ack, nullptr},
    {"synrcvd-other-syn", "HS7", Src::kListed,
     "SYN in SYN-RECEIVED other than a retransmission of the first: the engine sends a challenge ACK, lwIP ignores "
     "it (or, carrying an acceptable ACK, completes the handshake)",
     Kind::kStop, nullptr, hs7_other_syn, nullptr},
    {"ack-of-unacceptable", "SQ1", Src::kListed,
     "segment failing the sequence test: the engine ACKs and drops it whole; lwIP still applies its ACK field "
     "(window update, SND.UNA, FIN acknowledged -> FIN-WAIT-2/TIME-WAIT/CLOSED) and may send",
     Kind::kStop, nullptr, sq1_ack_of_unacceptable, nullptr},
    {"zero-window-ack", "SQ2", Src::kListed,
     "zero window, zero-length segment at RCV.NXT: lwIP ACKs it, the engine does not (acceptable, nothing to say)",
     Kind::kStep, nullptr, sq2_zero_window_ack, nullptr},
    {"no-ack-bit", "SQ3", Src::kListed,
     "text without the ACK bit in a synchronized state: the engine drops it, lwIP processes it",
     Kind::kStop, nullptr, sq3_no_ack_data, nullptr},
    {"ack-beyond-snd-nxt", "SQ4", Src::kListed,
     "SEG.ACK > SND.NXT with text: the engine ACKs and drops, lwIP ACKs and then processes the text",
     Kind::kStop, nullptr, sq4_ack_beyond, nullptr},
    {"ack-too-old", "SQ5", Src::kListed,
     "SEG.ACK < SND.UNA - MAX.SND.WND: the engine ACKs and drops, lwIP takes it as a duplicate ACK (no reply to a "
     "zero-length segment) and processes the text",
     Kind::kStop, nullptr, sq5_ack_too_old, nullptr},
    {"rst-upper-bound", "RS1", Src::kListed,
     "RST at exactly RCV.NXT+RCV.WND: lwIP's bound is inclusive (challenge ACK), the engine drops it",
     Kind::kStep, nullptr, rs1_upper_bound, nullptr},
    {"fin-zero-window", "FN4", Src::kListed,
     "FIN at zero receive window: the engine accepts a bare FIN at RCV.NXT (documented policy), lwIP rejects it "
     "and ACKs",
     Kind::kStop, nullptr, fn4_fin_zero_window, nullptr},
    {"syn-rst-out-of-window", "RS1", Src::kFound,
     "SYN+RST outside the receive window: the engine drops it silently (RST rule), lwIP answers the SYN with an ACK",
     Kind::kStep, nullptr, rs1_syn_rst_out_of_window, nullptr},
    {"syn-time-wait", "TW4", Src::kListed,
     "SYN in TIME-WAIT: the engine sends a challenge ACK; lwIP a RST (SYN in window) or an ACK",
     Kind::kStep, nullptr, tw4_syn_time_wait, nullptr},
    {"mss-non-syn", "OP2", Src::kListed,
     "MSS option on a non-SYN segment: lwIP adopts it (even from an unacceptable segment; 0 means 1460), the "
     "engine ignores it (MUST-65); seen when the server next sends",
     Kind::kStop, nullptr, op2_mss_non_syn, nullptr},
    // ---- found here, not in CONFORMANCE.md
    {"time-wait-replies", "TW2", Src::kFound,
     "TIME-WAIT: lwIP ACKs any segment with SEG.LEN > 0 and ignores zero-length ones; the engine ACKs segments "
     "failing the sequence/ACK tests and an exact FIN retransmission, and ignores other acceptable ones",
     Kind::kStep, nullptr, tw2_time_wait_replies, nullptr},
    {"text-after-fin", "FN2", Src::kFound,
     "text or FIN after the peer's FIN: both ignore it; the engine dup-ACKs one beyond RCV.NXT (lwIP does not), "
     "lwIP ACKs one starting below RCV.NXT (the engine, finding it acceptable, does not)",
     Kind::kStep, nullptr, fn2_text_after_fin, nullptr},
    {"ooseq-queue", "FN1", Src::kFound,
     "lwIP queues out-of-order segments (TCP_QUEUE_OOSEQ, a FIN included) and ACKs past them once the gap is "
     "filled; the engine keeps in-order data only (documented choice: duplicate ACK, the peer retransmits)",
     Kind::kStop, nullptr, ooseq_queue, nullptr},
    {"fast-retransmit", "TM1", Src::kFound,
     "lwIP retransmits the oldest unacknowledged segment (or FIN) on the 3rd duplicate ACK (RFC 5681 fast "
     "retransmit), counting duplicates even from unacceptable segments; the engine only on the firmware's timer",
     Kind::kStop, nullptr, tm1_fast_retransmit, nullptr},
};
extern const size_t kNumDivergences = sizeof(kDivergences) / sizeof(kDivergences[0]);

namespace {

// Match counts per row, over the whole process (printed at the end of the test program).
std::array<uint64_t, sizeof(kDivergences) / sizeof(kDivergences[0])> g_row_hits{};

void print_hits() {
  for (size_t k = 0; k < kNumDivergences; ++k)
    std::printf("  %-28s %-4s %-10s %-10s %8" PRIu64 "\n", kDivergences[k].key, kDivergences[k].id,
                src_str(kDivergences[k].src), kind_str(kDivergences[k].kind), g_row_hits[k]);
}
struct HitPrinter : ::testing::Environment {
  void TearDown() override { print_hits(); }
};
const auto* const kHitPrinter = ::testing::AddGlobalTestEnvironment(new HitPrinter);

}  // namespace

void count_row_hit(size_t row) { ++g_row_hits[row]; }

}  // namespace toe::differential
