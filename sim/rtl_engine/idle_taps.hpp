// SPDX-License-Identifier: Apache-2.0
// Idle skipping of a Verilated core (toe_top and below), shared by RtlEngine (the toe_top builds,
// sim/rtl_engine) and RtlDeviceEngine (the toe_engine builds, sim/systemc):
//   CoreIdleTaps::quiescent()  Engine::quiescent, term by term, on the RTL's flops (the
//                              variables idle_taps.vlt makes Verilator-public);
//   CoreIdleTaps::advance(n)   toe_tables' time registers (cycle counter, challenge-ACK token
//                              bucket, ISN clock) as n idle clocks leave them: the arithmetic of
//                              the model's Tables::idle_cycles on the RTL's widths. The caller
//                              then re-evaluates the model (eval()) so the combinational logic
//                              sees the new time.
#pragma once

#include <verilated.h>
#include <verilated_syms.h>  // VerilatedScope, VerilatedVar

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace toe::rtl {

// One Verilator-public variable of up to 64 bits.
struct Tap {
  void* p = nullptr;
  int type = 0;
  uint64_t get() const {
    switch (type) {
      case VLVT_UINT8: return *static_cast<const CData*>(p);
      case VLVT_UINT16: return *static_cast<const SData*>(p);
      case VLVT_UINT32: return *static_cast<const IData*>(p);
      default: return *static_cast<const QData*>(p);
    }
  }
  void set(uint64_t x) const {
    switch (type) {
      case VLVT_UINT8: *static_cast<CData*>(p) = CData(x); break;
      case VLVT_UINT16: *static_cast<SData*>(p) = SData(x); break;
      case VLVT_UINT32: *static_cast<IData*>(p) = IData(x); break;
      default: *static_cast<QData*>(p) = x; break;
    }
  }
  bool zero() const { return get() == 0; }

  // The variable `var` of scope `scope` (full, from the model's name), or std::logic_error
  // naming it and the .vlt file that should have made it public.
  static Tap find(const VerilatedContext& ctx, const std::string& scope, const char* var, const char* vlt) {
    const VerilatedScope* s = ctx.scopeFind(scope.c_str());
    const VerilatedVar* x = s ? s->varFind(var) : nullptr;
    if (!x || (x->vltype() != VLVT_UINT8 && x->vltype() != VLVT_UINT16 && x->vltype() != VLVT_UINT32 &&
               x->vltype() != VLVT_UINT64) || x->dims() > 1)
      throw std::logic_error(std::string("no Verilator-public scalar ") + scope + "." + var + " (" + vlt + ")");
    return Tap{x->datap(), x->vltype()};
  }
};

struct CoreIdleTaps {
  Tap c_valid, l_valid, q_valid, a_valid, cq1_valid, cq_valid, build_ready, frame_done, ho_head_valid, ho_head_flag;
  Tap p_meta_valid, p_beat, p_oversize, p_keep_err, wr_valid, s_valid;
  Tap rsp_cnt, txr_cnt, evt_cnt, cj_cnt, tokens_loaded, init_busy;
  Tap cycle, refill, tokens, isn_pre, isn_ticks;

  // top: the scope of the toe_top instance, e.g. "toe_top.toe_top".
  void bind(const VerilatedContext& ctx, const std::string& top) {
    auto f = [&](const std::string& sub, const char* var) {
      return Tap::find(ctx, sub.empty() ? top : top + "." + sub, var, "sim/rtl_engine/idle_taps.vlt");
    };
    c_valid = f("", "c_valid");
    l_valid = f("", "l_valid");
    q_valid = f("", "q_valid");
    a_valid = f("", "a_valid");
    cq1_valid = f("", "cq1_valid");
    cq_valid = f("", "cq_valid");
    build_ready = f("", "build_ready");
    frame_done = f("", "frame_done");
    ho_head_valid = f("", "t_ho_head_valid");
    ho_head_flag = f("", "t_ho_head_flag");
    p_meta_valid = f("u_rx_parse", "meta_valid_q");
    p_beat = f("u_rx_parse", "beat_q");
    p_oversize = f("u_rx_parse", "oversize_q");
    p_keep_err = f("u_rx_parse", "keep_err_q");
    wr_valid = f("u_rx_copy", "wr_valid_q");
    s_valid = f("u_tx_build.u_csum", "s_valid_q");
    rsp_cnt = f("u_tables", "rsp_cnt_q");
    txr_cnt = f("u_tables", "txr_cnt_q");
    evt_cnt = f("u_tables", "evt_cnt_q");
    cj_cnt = f("u_tables", "cj_cnt_q");
    tokens_loaded = f("u_tables", "tokens_loaded_q");
    init_busy = f("u_tables", "init_busy_q");
    cycle = f("u_tables", "cycle_q");
    refill = f("u_tables", "refill_q");
    tokens = f("u_tables", "tokens_q");
    isn_pre = f("u_tables", "isn_pre_q");
    isn_ticks = f("u_tables", "isn_ticks_q");
  }

  // Engine::quiescent: no frame in a stage, no segment or command in tcp_fsm or the command
  // registers (cq1_valid, cq_valid), nothing queued
  // (responses, ready connections, events, copy jobs), nothing being built or sent, no stale
  // SYN-cache head; and the token bucket loaded and the tables initialised after the reset.
  bool quiescent() const {
    return !tokens_loaded.zero() && init_busy.zero() && p_meta_valid.zero() && p_beat.zero() && p_oversize.zero() &&
           p_keep_err.zero() && c_valid.zero() && l_valid.zero() && q_valid.zero() && a_valid.zero() &&
           cq1_valid.zero() && cq_valid.zero() && wr_valid.zero() && !build_ready.zero() && frame_done.zero() && s_valid.zero() &&
           rsp_cnt.zero() && txr_cnt.zero() && evt_cnt.zero() && cj_cnt.zero() &&
           !(!ho_head_valid.zero() && ho_head_flag.zero());
  }

  // n idle clocks at once (Tables::idle_cycles): CLOCK_MHZ and the global challenge-ACK
  // burst / period as the registers hold them.
  void advance(uint64_t n, uint32_t mhz, uint32_t burst, uint32_t gcycles) const {
    if (n == 0) return;
    const uint64_t now = cycle.get();
    const uint64_t period = gcycles ? gcycles : uint64_t(mhz) * 10000;
    const uint64_t last = now + n - 1;
    const uint64_t first = std::max(now, refill.get() + period);
    if (first <= last) {
      const uint64_t k = period ? 1 + (last - first) / period : n;
      refill.set(period ? first + (k - 1) * period : last);
      const uint32_t tok = uint32_t(tokens.get());
      const uint64_t room = tok < burst ? burst - tok : 0;
      tokens.set(tok + uint32_t(std::min<uint64_t>(k, room)));
    }
    const uint32_t p = uint32_t(mhz << 2);
    uint32_t pre = uint32_t(isn_pre.get());
    uint32_t ticks = uint32_t(isn_ticks.get());
    if (p <= 1) {
      pre = 0;
      ticks += uint32_t(n);
    } else {
      uint64_t left = n;
      if (uint32_t(pre + 1u) >= p) {
        pre = 0;
        ++ticks;
        --left;
      }
      const uint64_t total = uint64_t(pre) + left;
      ticks += uint32_t(total / p);
      pre = uint32_t(total % p);
    }
    isn_pre.set(pre);
    isn_ticks.set(ticks);
    cycle.set(now + n);
  }
};

}  // namespace toe::rtl
