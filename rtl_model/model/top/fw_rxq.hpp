// SPDX-License-Identifier: Apache-2.0
// toe::model::FwRxq: the firmware port's receive queue, the twin of toe_fw_rxq
// (rtl_model/rtl/top/toe_fw_rxq.sv). It watches every beat the engine takes and keeps, for the
// firmware, the frames the fast path does not terminate:
//
//   beats taken --> capture into slot (rd + count) mod kSlots (if one was free when the frame
//                   started), classify from bytes 0..5 (destination), 12..13 (EtherType), 23
//                   (IPv4 protocol)
//   last beat  --> for the firmware (to our MAC or broadcast, >= 14 bytes, no tuser, not IPv4/TCP
//                   and not an IPv4 frame too short to carry its protocol byte):
//                   captured whole and <= kSlotBytes: queued (its length with it); else dropped,
//                   counted. Any other frame: forgotten.
//   window read (offset w) --> the head frame's bytes w .. w+3, answered next clock
//   pop --> the head slot freed
//
// Beats have their bytes from lane 0 (tkeep contiguous: the stream's rule); a frame's byte p is
// lane p mod DataBytes of its (p / DataBytes)-th beat.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "toe/net/codec.hpp"
#include "toe_types.hpp"

namespace toe::model {

class FwRxq {
 public:
  static constexpr uint32_t kSlots = 4;
  static constexpr uint32_t kSlotBytes = 2048;

  struct In {
    const AxisBeat* beat = nullptr;  // a beat the engine takes this clock (nullptr: none)
    net::MacAddr local_mac{};
    bool rd = false;  // a window read taken this clock
    uint32_t rd_off = 0;
    bool pop = false;  // the head frame freed this clock (never with the queue empty)
  };

  explicit FwRxq(uint32_t data_bytes);
  void reset();
  void eval(const In& in);
  void commit();

  uint32_t count() const { return q_.count; }
  uint32_t head_len() const { return q_.count ? q_.len[q_.rd] : 0; }
  uint32_t rd_data() const { return q_.rd_data; }  // the read taken last clock
  uint32_t dropped() const { return q_.dropped; }
  bool in_frame() const { return q_.cap_active; }
  // n clocks, each taking a full beat (every tkeep bit set, not the last) of the frame under way
  // (in_frame()), with no window read or pop: bytes[0, n * DataBytes) in order. The same as n
  // calls of eval() and commit() (EngineDevice::run_span).
  void stream(const uint8_t* bytes, uint64_t n, const net::MacAddr& local_mac);

 private:
  struct State {
    uint32_t rd = 0, count = 0;
    std::array<uint32_t, kSlots> len{};
    bool cap_active = false, cap_ok = false, dst_local = false, dst_bc = false;
    uint32_t cap_len = 0;  // bytes of the frame so far
    uint16_t etype = 0;
    uint8_t proto = 0;
    uint32_t rd_data = 0;
    uint32_t dropped = 0;
  };
  uint32_t data_bytes_;
  std::vector<uint8_t> mem_;  // kSlots * kSlotBytes (no reset, as the RTL's)
  State q_, d_;
  struct Write {
    uint32_t addr;
    uint8_t byte;
  };
  std::vector<Write> writes_;  // this clock's bytes, written at commit
  bool active_ = false;        // eval had something to do (d_ is this clock's next state)
};

}  // namespace toe::model
