// SPDX-License-Identifier: Apache-2.0
#include "top/tables.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "fsm/tcp_fsm.hpp"
#include "toe/hash.hpp"

namespace toe::model {

Tables::Tables(const EngineConfig& cfg) {
  // The block rules (a table set for one stage's test may be smaller than an engine's); the
  // engine checks its own, stricter rules (Engine::Engine).
  const std::string bad = params::check(params::values_of(cfg), params::Scope::kBlock);
  if (!bad.empty()) throw std::invalid_argument(bad);
  tcb.resize(cfg.sessions);
  buckets = 1;
  while (buckets < cfg.sessions) buckets <<= 1;  // mean occupancy <= 1 of 8 ways: overflow ~1e-6 per bucket
  index.resize(size_t(buckets) * kIndexWays);
  listen.resize(cfg.listen_entries);
  rx_buf.assign(size_t(cfg.sessions) * cfg.rx_buf_bytes, 0);
  tx_buf.assign(size_t(cfg.sessions) * cfg.tx_buf_bytes, 0);
  rx_mask = cfg.rx_buf_bytes - 1;
  tx_mask = cfg.tx_buf_bytes - 1;
  free_list.resize(cfg.sessions);
  half_open.resize(cfg.sessions);
  half_open_flag.assign(cfg.sessions, 0);
  tx_ready.resize(cfg.sessions);
  tx_queued.assign(cfg.sessions, 0);
  rsp.resize(cfg.rsp_fifo_depth);
  evt.resize(cfg.evt_fifo_depth);
  slots.assign(cfg.rx_slots, std::vector<uint8_t>(kMaxFrameBytes, 0));
  copy_jobs.resize(cfg.rx_slots);
  slot_busy.assign(cfg.rx_slots, 0);
  chal_tokens = cfg.chal_global_burst;
  counters.assign(size_t(Counter::kCount), 0);
  reset();
}

void Tables::reset() {
  init_left = buckets;
  for (auto& t : tcb) t = Tcb{};
  for (auto& e : index) e = IndexEntry{};
  for (auto& l : listen) l = ListenEntry{};
  free_list.clear();
  for (uint32_t i = 0; i < tcb.size(); ++i) free_list.push(i);
  half_open.clear();
  half_open_count = 0;
  std::fill(half_open_flag.begin(), half_open_flag.end(), 0);
  tx_ready.clear();
  std::fill(tx_queued.begin(), tx_queued.end(), 0);
  rsp.clear();
  evt.clear();
  slots_busy = 0;
  std::fill(slot_busy.begin(), slot_busy.end(), 0);
  fill_slot = 0;
  copy_jobs.clear();
  copy_credit = 0;
  chal_refill_cycle = 0;
  std::fill(counters.begin(), counters.end(), 0);
  isn_pre = isn_ticks = 0;
}

uint32_t Tables::bucket_of(uint32_t rip, uint16_t rport, uint16_t lport) const {
  return toe::tuple_hash(rip, rport, lport) & (buckets - 1);
}

uint32_t Tables::lookup(uint32_t bucket, uint32_t rip, uint16_t rport, uint16_t lport) const {
  const IndexEntry* b = &index[size_t(bucket) * kIndexWays];
  for (uint32_t w = 0; w < kIndexWays; ++w)
    if (b[w].conn != kNoConn && b[w].rip == rip && b[w].rport == rport && b[w].lport == lport) return b[w].conn;
  return kNoConn;
}

bool Tables::insert(uint32_t conn) {
  const Tcb& t = tcb[conn];
  IndexEntry* b = &index[size_t(bucket_of(t.rip, t.rport, t.lport)) * kIndexWays];
  for (uint32_t w = 0; w < kIndexWays; ++w) {
    if (b[w].conn == kNoConn) {
      b[w] = IndexEntry{t.rip, t.rport, t.lport, conn};
      return true;
    }
  }
  return false;
}

void Tables::erase(uint32_t conn) {
  const Tcb& t = tcb[conn];
  IndexEntry* b = &index[size_t(bucket_of(t.rip, t.rport, t.lport)) * kIndexWays];
  for (uint32_t w = 0; w < kIndexWays; ++w)
    if (b[w].conn == conn) b[w] = IndexEntry{};
}

bool Tables::bucket_has_room(uint32_t bucket) const {
  const IndexEntry* b = &index[size_t(bucket) * kIndexWays];
  for (uint32_t w = 0; w < kIndexWays; ++w)
    if (b[w].conn == kNoConn) return true;
  return false;
}

bool Tables::listening(uint16_t port) const {
  for (const auto& l : listen)
    if (l.valid && l.port == port) return true;
  return false;
}

// ---- the writes (toe_tables' p_tables_d) ------------------------------------------------------
void Tables::pop_event() {
  if (evt.front().hold) --copy_credit;
  evt.pop();
}

void Tables::frame_in() {
  count(Counter::kFramesIn);
  ++slots_busy;
  slot_busy[fill_slot] = 1;
  fill_slot = static_cast<uint8_t>((fill_slot + 1) % slots.size());
}

void Tables::apply_fsm(const FsmResult& r, uint64_t cycle, const StateTrace& trace) {
  const uint32_t conn_for_trace = r.conn;
  const TcpState before = conn_for_trace < tcb.size() ? tcb[conn_for_trace].state : TcpState::CLOSED;
  if (r.evict_conn != kNoConn) {  // SYN cache full: the oldest half-open goes
    const uint32_t v = r.evict_conn;
    if (trace && v != r.conn) trace(cycle, v, tcb[v].state, TcpState::CLOSED);
    erase(v);
    tcb[v] = Tcb{};
    half_open_flag[v] = 0;
    half_open.pop();
    --half_open_count;
    if (v != r.conn) free_list.push(v);
  }
  if (r.index_insert) {
    if (r.conn != r.evict_conn) free_list.pop();  // r.conn was its head
    tcb[r.conn] = r.tcb;
    insert(r.conn);
  }
  if (r.half_open_done && half_open_flag[r.conn]) {
    half_open_flag[r.conn] = 0;
    --half_open_count;
  }
  if (r.half_open_add) {
    half_open_flag[r.conn] = 1;
    ++half_open_count;
    half_open.push(r.conn);
  }
  if (r.free_conn) {
    erase(r.conn);
    tcb[r.conn] = Tcb{};
    free_list.push(r.conn);
  } else if (r.tcb_write) {
    tcb[r.conn] = r.tcb;
  }
  if (r.payload) {  // rx_copy moves the bytes and releases the slot
    CopyJob j;
    j.conn = r.conn;
    j.slot = r.slot;
    j.off = r.payload_off;
    j.len = r.payload_len;
    j.rx_off = r.rx_off;
    copy_jobs.push(j);
  } else if (r.release_slot) {
    --slots_busy;
    slot_busy[r.slot] = 0;
  }
  if (r.tx_kick && !r.free_conn && !tx_queued[r.conn]) {
    tx_queued[r.conn] = 1;
    tx_ready.push(r.conn);
  }
  if (r.listen_write) listen[r.listen_slot] = r.listen_val;
  if (trace && conn_for_trace < tcb.size()) {
    const TcpState after = r.free_conn ? TcpState::CLOSED : (r.tcb_write ? r.tcb.state : before);
    const TcpState from = r.evict_conn == r.conn ? TcpState::CLOSED : before;
    if (r.via != TcpState::CLOSED && r.via != from) {
      trace(cycle, conn_for_trace, from, r.via);
      trace(cycle, conn_for_trace, r.via, after);
    } else if (before != after || (r.index_insert && r.evict_conn == r.conn)) {
      trace(cycle, conn_for_trace, from, after);
    }
  }
  if (r.chal_token_used && chal_tokens) --chal_tokens;
}

void Tables::clean_half_open() {
  // Background clean-up of the SYN cache order: one stale head per cycle.
  if (!half_open.empty() && !half_open_flag[half_open.front()]) half_open.pop();
}

void Tables::apply_copy(bool release, uint8_t release_slot, bool pop) {
  if (release) {
    --slots_busy;
    slot_busy[release_slot] = 0;
    ++copy_credit;
  }
  if (pop) copy_jobs.pop();
}

void Tables::apply_arb(const ArbWrite& w) {
  if (w.pop_rsp) rsp.pop();
  if (w.pop_ready) {
    const uint32_t conn = tx_ready.pop();
    tx_queued[conn] = 0;
    if (w.requeue) {
      tx_queued[conn] = 1;
      tx_ready.push(conn);
    }
  }
  if (w.wr) tcb[w.conn] = w.tcb;
}

void Tables::push_retx_arm(const Event& e) { evt.push(e); }  // dropped when full (the RTL's too)

void Tables::tick_isn_clock(const EngineRegs& regs) {
  // 32-bit arithmetic, as the RTL's: CLOCK_MHZ 0 ticks every cycle.
  if (uint32_t(isn_pre + 1u) >= uint32_t(regs.clock_mhz << 2)) {
    isn_pre = 0;
    ++isn_ticks;
  } else {
    ++isn_pre;
  }
}

void Tables::idle_cycles(uint64_t cycle, uint64_t n, const EngineRegs& regs) {
  if (n == 0) return;
  // The token bucket: a refill at every cycle c with c - chal_refill_cycle >= period.
  const uint64_t period = regs.chal_global_cycles ? regs.chal_global_cycles : uint64_t(regs.clock_mhz) * 10000;
  const uint64_t last = cycle + n - 1;
  const uint64_t first = std::max(cycle, chal_refill_cycle + period);
  if (first <= last) {
    const uint64_t k = period ? 1 + (last - first) / period : n;  // the refills in [cycle, last]
    chal_refill_cycle = period ? first + (k - 1) * period : last;
    const uint64_t room = chal_tokens < regs.chal_global_burst ? regs.chal_global_burst - chal_tokens : 0;
    chal_tokens += static_cast<uint32_t>(std::min<uint64_t>(k, room));
  }
  // The ISN clock: a tick when isn_pre + 1 >= P (32-bit P = CLOCK_MHZ << 2), else isn_pre + 1.
  const uint32_t p = uint32_t(regs.clock_mhz << 2);
  if (p <= 1) {  // a tick every cycle
    isn_pre = 0;
    isn_ticks += static_cast<uint32_t>(n);
    return;
  }
  uint64_t left = n;
  if (uint32_t(isn_pre + 1u) >= p) {  // at or past the period (CLOCK_MHZ lowered): the first cycle ticks
    isn_pre = 0;
    ++isn_ticks;
    --left;
  }
  const uint64_t total = uint64_t(isn_pre) + left;  // isn_pre < p from here on
  isn_ticks += static_cast<uint32_t>(total / p);
  isn_pre = static_cast<uint32_t>(total % p);
}

void Tables::refill_tokens(uint64_t cycle, const EngineRegs& regs) {
  const uint64_t period = regs.chal_global_cycles ? regs.chal_global_cycles : uint64_t(regs.clock_mhz) * 10000;
  if (cycle - chal_refill_cycle >= period) {
    chal_refill_cycle = cycle;
    if (chal_tokens < regs.chal_global_burst) ++chal_tokens;
  }
}

}  // namespace toe::model
