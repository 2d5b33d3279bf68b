// SPDX-License-Identifier: Apache-2.0
#include "top/tables.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

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
  reset();
}

void Tables::reset() {
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
}

uint32_t Tables::bucket_of(uint32_t rip, uint16_t rport, uint16_t lport) const {
  // A cheap multiply-xorshift mix (two DSP multiplies in RTL).
  uint32_t h = rip * 0x9E3779B1u;
  h ^= (uint32_t(rport) << 16 | lport);
  h *= 0x85EBCA77u;
  h ^= h >> 15;
  return h & (buckets - 1);
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

}  // namespace toe::model
