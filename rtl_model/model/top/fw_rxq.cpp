// SPDX-License-Identifier: Apache-2.0
// FwRxq (toe_fw_rxq): see fw_rxq.hpp.
#include "top/fw_rxq.hpp"

#include <algorithm>
#include <cstring>

namespace toe::model {

FwRxq::FwRxq(uint32_t data_bytes) : data_bytes_(data_bytes), mem_(kSlots * kSlotBytes, 0) {
  writes_.reserve(64);
  reset();
}

void FwRxq::reset() {
  const uint32_t rd_data = q_.rd_data;
  const std::array<uint32_t, kSlots> len = q_.len;
  q_ = State{};
  q_.rd_data = rd_data;  // no reset (as the RTL's read register)
  q_.len = len;          // the lengths' memory keeps its words
  d_ = q_;
  writes_.clear();
  active_ = false;
}

void FwRxq::eval(const In& in) {
  writes_.clear();
  active_ = in.beat || in.rd || in.pop;
  if (!active_) return;  // nothing changes this clock
  d_ = q_;
  if (in.rd) {
    const uint32_t base = q_.rd * kSlotBytes + (in.rd_off & (kSlotBytes - 1) & ~3u);
    d_.rd_data = uint32_t(mem_[base]) | uint32_t(mem_[base + 1]) << 8 | uint32_t(mem_[base + 2]) << 16 |
                 uint32_t(mem_[base + 3]) << 24;
  }
  bool push = false;
  if (in.beat) {
    const AxisBeat& b = *in.beat;
    const bool start = !q_.cap_active;
    const uint32_t slot = (q_.rd + q_.count) % kSlots;
    const bool ok = start ? q_.count < kSlots : q_.cap_ok;
    uint32_t pos = start ? 0 : q_.cap_len;
    bool dst_local = start ? true : q_.dst_local, dst_bc = start ? true : q_.dst_bc;
    uint16_t etype = start ? 0 : q_.etype;
    uint8_t proto = start ? 0 : q_.proto;
    uint32_t n = 0;
    for (uint32_t i = 0; i < data_bytes_; ++i) {
      if (((b.tkeep >> i) & 1u) == 0) continue;
      const uint32_t p = pos + i;
      const uint8_t v = b.tdata[i];
      ++n;
      if (p < 6) {
        dst_local = dst_local && v == in.local_mac.b[p];
        dst_bc = dst_bc && v == 0xFF;
      }
      if (p == 12) etype = uint16_t((etype & 0x00FF) | (v << 8));
      if (p == 13) etype = uint16_t((etype & 0xFF00) | v);
      if (p == 23) proto = v;
      if (ok && p < kSlotBytes) writes_.push_back({slot * kSlotBytes + p, v});
    }
    pos = (pos + n) > 0xFFF ? 0xFFF : pos + n;  // saturates (12 bits): long frames stay long
    d_.cap_active = !b.tlast;
    d_.cap_ok = ok;
    d_.cap_len = pos;
    d_.dst_local = dst_local;
    d_.dst_bc = dst_bc;
    d_.etype = etype;
    d_.proto = proto;
    if (b.tlast) {
      const bool ipv4 = etype == 0x0800;
      const bool for_fw = pos >= 14 && (dst_local || dst_bc) && !b.tuser && !(ipv4 && (pos < 24 || proto == 6));
      if (for_fw && ok && pos <= kSlotBytes) {
        push = true;
        d_.len[slot] = pos;
      } else if (for_fw) {
        ++d_.dropped;
      }
    }
  }
  if (in.pop) d_.rd = (q_.rd + 1) % kSlots;
  d_.count = q_.count + (push ? 1 : 0) - (in.pop ? 1 : 0);
}

void FwRxq::commit() {
  if (!active_) return;
  active_ = false;
  q_ = d_;
  for (const Write& w : writes_) mem_[w.addr] = w.byte;
  writes_.clear();
}

void FwRxq::stream(const uint8_t* bytes, uint64_t n, const net::MacAddr& local_mac) {
  const uint64_t len = n * data_bytes_;
  const uint32_t slot = (q_.rd + q_.count) % kSlots;
  uint64_t i = 0;
  // The classified bytes (destination, EtherType, protocol), one by one.
  for (; i < len && q_.cap_len + i < 24; ++i) {
    const uint64_t p = q_.cap_len + i;
    const uint8_t v = bytes[i];
    if (p < 6) {
      q_.dst_local = q_.dst_local && v == local_mac.b[p];
      q_.dst_bc = q_.dst_bc && v == 0xFF;
    }
    if (p == 12) q_.etype = uint16_t((q_.etype & 0x00FF) | (v << 8));
    if (p == 13) q_.etype = uint16_t((q_.etype & 0xFF00) | v);
    if (p == 23) q_.proto = v;
    if (q_.cap_ok) mem_[slot * kSlotBytes + p] = v;
  }
  // The rest into the slot, as far as it reaches.
  const uint64_t p = q_.cap_len + i;
  if (q_.cap_ok && p < kSlotBytes && i < len) {
    const uint64_t fit = std::min<uint64_t>(len - i, kSlotBytes - p);
    std::memcpy(&mem_[slot * kSlotBytes + p], bytes + i, fit);
  }
  q_.cap_len = uint32_t(std::min<uint64_t>(q_.cap_len + len, 0xFFF));  // saturates, as eval's
  d_ = q_;
}

}  // namespace toe::model
