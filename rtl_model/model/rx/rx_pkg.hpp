// SPDX-License-Identifier: Apache-2.0
// Types of the receive segment (rx/), the C++ side of toe_rx_pkg.sv: the
// metadata of a segment as it moves from rx_parse down to tcp_fsm.
#pragma once

#include <cstdint>

#include "toe/net/codec.hpp"
#include "toe_types.hpp"

namespace toe::model {

constexpr uint32_t kMinRxSlots = 4;   // frame slots between rx_parse and tcb_update (EngineConfig::rx_slots):
constexpr uint32_t kMaxRxSlots = 16;  // 3 in flight + 1, up to what a 4-bit slot number holds

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
