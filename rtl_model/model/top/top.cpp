// SPDX-License-Identifier: Apache-2.0
// Engine (toe_top): the stages joined, the port handshakes and the commit order.
#include "top/top.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "fsm/isn_hash.hpp"
#include "fsm/tcb_update.hpp"
#include "fsm/tcp_fsm.hpp"
#include "rx/conn_lookup.hpp"
#include "rx/isn_mix.hpp"
#include "rx/rx_copy.hpp"
#include "rx/rx_csum.hpp"
#include "rx/rx_parse.hpp"
#include "top/tables.hpp"
#include "tx/tx_arbiter.hpp"
#include "tx/tx_build.hpp"

namespace toe::model {

// ---- Engine ------------------------------------------------------------------------
struct Engine::Impl {
  explicit Impl(const EngineConfig& cfg)
      : t(cfg),
        parse(cfg.data_bytes, cfg.rx_slots, cfg, t),
        csum(t),
        lookup(t),
        mix(cfg),
        fsm({cfg.sessions, cfg.rx_buf_bytes, cfg.tx_buf_bytes}, cfg, t),
        update(t),
        copy(cfg.data_bytes, t),
        arb(cfg.rx_buf_bytes, t),
        build(cfg.data_bytes, cfg, t) {}
  Tables t;
  RxParse parse;
  RxCsum csum;
  ConnLookup lookup;
  IsnMix mix;
  TcpFsm fsm;
  TcbUpdate update;
  RxCopy copy;
  TxArbiter arb;
  TxBuild build;
  bool rx_fire = false, tx_taken = false, evt_fire = false;
};

namespace {
// The one validation of the parameters (toe_defs.hpp, from rtl_model/regmap/toe_defs.toml; the
// RTL's toe_param_check applies the same rules at elaboration).
const EngineConfig& checked(const EngineConfig& cfg) {
  const std::string bad = params::check(params::values_of(cfg));
  if (!bad.empty()) throw std::invalid_argument(bad);
  return cfg;
}
}  // namespace

Engine::Engine(const EngineConfig& cfg) : cfg_(checked(cfg)) {
  impl_ = std::make_unique<Impl>(cfg_);
  reset();
}

Engine::~Engine() = default;

void Engine::reset() {
  impl_->t.reset();
  impl_->t.chal_tokens = cfg_.chal_global_burst;
  impl_->parse.reset();
  impl_->csum.reset();
  impl_->lookup.reset();
  impl_->mix.reset();
  impl_->fsm.reset();
  impl_->copy.reset();
  impl_->arb.reset();
  impl_->build.reset();
  if (impl_->t.tcb.size() != cfg_.sessions) throw std::logic_error("Engine: the TCB table is not SESSIONS long");
  tcbs_ = impl_->t.tcb.data();
  cycle_ = 0;
  cmd_slot_free_ = true;
  cmd_fire_ = cmd_q1_valid_ = cmd_q_valid_ = false;
  cmd_in_ = cmd_q1_ = cmd_q_ = Cmd{};
  out_q_ = EngineOut{};
  out_q_.rx_tready = false;  // the tables are initialised first (Tables::init_left)
  out_q_.cmd_ready = false;
}

void Engine::eval(const EngineIn& in) {
  Impl& m = *impl_;
  m.rx_fire = out_q_.rx_tready && in.rx.tvalid;
  m.tx_taken = out_q_.tx.tvalid && in.tx_tready;
  m.evt_fire = out_q_.evt_valid && in.evt_ready;
  cmd_fire_ = out_q_.cmd_ready && in.cmd_valid;
  cmd_in_ = in.cmd;

  m.parse.eval(in.rx, m.rx_fire);
  m.csum.eval(m.parse.q_valid, m.parse.q);
  m.lookup.eval(m.csum.q_valid, m.csum.q);
  // The ISN mix of the segment rx_parse hands on now, else of the command offered now: a command
  // accepted now has no segment beside it (cmd_slot_free_), so either's mix reaches tcp_fsm with
  // it, two cycles later.
  m.mix.eval(m.parse.q_valid ? IsnMix::Key{m.parse.q.sip, m.parse.q.sport, m.parse.q.dport}
                             : IsnMix::Key{in.cmd.ip, in.cmd.port, in.cmd.lport});
  if (m.lookup.q_valid)
    m.fsm.eval_segment(m.lookup.q, m.mix.q, cycle_);
  else if (cmd_q_valid_)
    m.fsm.eval_command(cmd_q_, m.mix.q, cycle_);
  else
    m.fsm.eval_idle();
  m.copy.eval();
  m.arb.eval(m.build.ready() && !m.arb.q_valid, m.fsm.busy_conn(), cycle_);
  m.build.eval(m.arb.q_valid, m.arb.q, m.tx_taken);
  // A command accepted next cycle reaches tcp_fsm three cycles from now (the two command
  // registers), as the segment of a frame that ends now would: its slot is free iff none ends now
  // (rx_csum and conn_lookup pass every segment on).
  cmd_slot_free_ = !m.parse.d_valid_out();
}

void Engine::commit() {
  Impl& m = *impl_;
  Tables& t = m.t;
  // The tables' writes in toe_tables' order (p_tables_d steps 1 to 7), then the stages register.
  if (m.evt_fire) t.pop_event();
  if (m.parse.d_valid_out()) t.frame_in();
  if (m.fsm.q_valid) m.update.apply(m.fsm.q);
  if (m.fsm.res_valid()) t.apply_fsm(m.fsm.res(), cycle_, on_state_change);
  t.clean_half_open();
  t.apply_copy(m.copy.release(), m.copy.release_slot(), m.copy.pop());
  t.apply_arb(m.arb.writes());
  if (m.arb.retx_valid) t.push_retx_arm(m.arb.retx);  // the choice of the cycle before's
  if (m.build.frame_done_pulse()) t.count(Counter::kFramesOut);  // the pulse of this cycle
  t.refill_tokens(cycle_, cfg_);
  t.tick_isn_clock(cfg_);
  if (t.init_left != 0) --t.init_left;  // one more bucket of the index cleared
  m.fsm.commit();
  m.copy.commit();
  m.arb.commit();
  m.build.commit();
  m.lookup.commit();
  m.mix.commit();
  m.csum.commit();
  m.parse.commit();
  cmd_q_valid_ = cmd_q1_valid_;
  if (cmd_q1_valid_) cmd_q_ = cmd_q1_;
  cmd_q1_valid_ = cmd_fire_;
  if (cmd_fire_) cmd_q1_ = cmd_in_;
  ++cycle_;
  // Moore outputs for the next cycle.
  // The slot the next frame goes to must be free: slots are released out of order (a long
  // payload copy holds its slot while short frames behind it release theirs).
  out_q_.rx_tready = t.init_left == 0 && t.slots_busy + 3 < cfg_.rx_slots && !t.slot_busy[t.fill_slot] &&
                     t.rsp.free() >= 8 && t.evt.free() >= 32;
  out_q_.tx = m.build.beat();
  out_q_.cmd_ready = t.init_left == 0 && cmd_slot_free_ && t.rsp.free() >= 8 && t.evt.free() >= 32;
  out_q_.evt_valid = !t.evt.empty() && !(t.evt.front().hold && t.copy_credit <= 0);
  if (out_q_.evt_valid) {
    out_q_.evt = t.evt.front();
    out_q_.evt.hold = false;
  }
}

bool Engine::initialising() const { return impl_->t.init_left != 0; }

bool Engine::quiescent() const {
  const Impl& m = *impl_;
  const Tables& t = m.t;
  const bool stale_ho_head = !t.half_open.empty() && !t.half_open_flag[t.half_open.front()];
  // (m.arb.retx_valid, a retransmission-arm event still to push, comes only with m.arb.q_valid.)
  return t.init_left == 0 && m.parse.idle() && !m.csum.q_valid && !m.lookup.q_valid && !m.fsm.q_valid &&
         !m.copy.busy() && !m.arb.q_valid && m.build.idle() && t.rsp.empty() && t.tx_ready.empty() && t.evt.empty() &&
         t.copy_jobs.empty() && !stale_ho_head && cmd_slot_free_ && !cmd_q1_valid_ && !cmd_q_valid_;
}

void Engine::skip_idle(uint64_t n) {
  if (!quiescent()) throw std::logic_error("Engine::skip_idle: the engine is not quiescent");
  impl_->t.idle_cycles(cycle_, n, cfg_);
  cycle_ += n;
}

uint64_t Engine::span_limit(bool rx) const {
  const Impl& m = *impl_;
  const Tables& t = m.t;
  const bool stale_ho_head = !t.half_open.empty() && !t.half_open_flag[t.half_open.front()];
  // (A response or a ready connection waits while tx_build holds a frame: the arbiter is idle.)
  if (m.parse.q_valid || m.csum.q_valid || m.lookup.q_valid || m.fsm.q_valid || m.arb.q_valid ||
      (m.build.ready() && (!t.rsp.empty() || !t.tx_ready.empty())) || out_q_.evt_valid || stale_ho_head ||
      !cmd_slot_free_ || cmd_q1_valid_ || cmd_q_valid_ || t.init_left != 0)
    return 0;
  if (rx ? !(m.parse.in_frame() && out_q_.rx_tready) : m.parse.in_frame()) return 0;
  const uint64_t tx_limit = m.build.idle() ? ~uint64_t(0) : m.build.span_limit();
  return std::min(tx_limit, m.copy.span_limit());
}

void Engine::run_span(const uint8_t* rx, uint64_t n, std::vector<uint8_t>* tx) {
  if (n == 0) return;
  if (n > span_limit(rx != nullptr)) throw std::logic_error("Engine::run_span: the span is longer than span_limit");
  Impl& m = *impl_;
  if (sending() && tx == nullptr) throw std::logic_error("Engine::run_span: a frame is being sent and tx is null");
  if (rx) m.parse.stream(rx, n);
  m.copy.run(n);
  if (!m.build.idle()) {
    m.build.run(n, tx);
    out_q_.tx = m.build.beat();
  }
  m.t.idle_cycles(cycle_, n, cfg_);
  cycle_ += n;
}

void Engine::no_conn(uint32_t conn) { throw std::out_of_range("Engine::tcb: no connection " + std::to_string(conn)); }

uint64_t Engine::counter(Counter c) const { return impl_->t.counters[static_cast<size_t>(c)]; }
const uint64_t* Engine::counter_values() const { return impl_->t.counters.data(); }

uint32_t Engine::active_sessions() const { return uint32_t(impl_->t.tcb.size() - impl_->t.free_list.size()); }
uint32_t Engine::half_open() const { return impl_->t.half_open_count; }
uint32_t Engine::events_queued() const { return static_cast<uint32_t>(impl_->t.evt.size()); }
uint32_t Engine::responses_queued() const { return static_cast<uint32_t>(impl_->t.rsp.size()); }
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

const uint8_t* Engine::rx_buffer(uint32_t conn) const {
  const Tables& t = impl_->t;
  if (conn >= t.tcb.size()) throw std::out_of_range("rx_buffer: no connection " + std::to_string(conn));
  return &t.rx_buf[size_t(conn) * (t.rx_mask + 1)];
}

uint8_t* Engine::tx_buffer(uint32_t conn) {
  Tables& t = impl_->t;
  if (conn >= t.tcb.size()) throw std::out_of_range("tx_buffer: no connection " + std::to_string(conn));
  return &t.tx_buf[size_t(conn) * (t.tx_mask + 1)];
}

uint32_t Engine::isn_for(uint32_t rip, uint16_t rport, uint16_t lport, uint64_t cycle) const {
  // M at `cycle` with CLOCK_MHZ unchanged since the reset (the engine counts it as it runs).
  const uint64_t per_tick = 4ull * cfg_.clock_mhz;
  return isn_hash(cfg_, rip, rport, lport, static_cast<uint32_t>(per_tick ? cycle / per_tick : cycle));
}

}  // namespace toe::model
