// SPDX-License-Identifier: Apache-2.0
// Types of the receive segment (rx/), the C++ side of toe_rx_pkg.sv: the
// metadata of a segment as it moves from rx_parse down to tcp_fsm.
#pragma once

#include <cstdint>

#include "toe/net/codec.hpp"
#include "toe_defs.hpp"
#include "toe_types.hpp"

namespace toe::model {

// The range of RxSlots (EngineConfig::rx_slots), the frame slots between rx_parse and tcb_update:
// 3 in flight + 1, up to what a 4-bit slot number holds. From the parameter description
// (toe_defs.toml, params::kParams), as toe_defs_pkg::RxSlotsMin/Max in SV.
constexpr uint32_t rx_slots_bound(bool upper) {
  for (const params::Param& p : params::kParams)
    if (p.member == &params::Values::rx_slots) return upper ? p.engine.max : p.engine.min;
  return 0;
}
constexpr uint32_t kMinRxSlots = rx_slots_bound(false);
constexpr uint32_t kMaxRxSlots = rx_slots_bound(true);
static_assert(kMinRxSlots == 4 && kMaxRxSlots == 16, "a slot number is 4 bits (SegMeta::slot, toe_fsm_pkg::SlotW)");

// Metadata of one received segment as it moves down the rx pipeline.
struct SegMeta {
  bool drop = false;
  Counter reason = Counter::kCount;
  bool is_tcp = false;
  net::MacAddr smac;
  uint32_t sip = 0, dip = 0;
  uint16_t sport = 0, dport = 0;
  uint32_t seq = 0, ack = 0;
  uint8_t flags = 0;
  uint16_t window = 0;
  net::TcpOptions opts;
  uint16_t payload_off = 0, payload_len = 0;
  uint16_t ip_off = 0, ip_hlen = 0, ip_total = 0;  // for rx_csum
  uint8_t slot = 0;
  uint32_t bucket = 0;  // hash index bucket (conn_lookup)
  bool has(uint8_t f) const { return (flags & f) != 0; }
};

}  // namespace toe::model
