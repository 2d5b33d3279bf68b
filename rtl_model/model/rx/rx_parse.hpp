// SPDX-License-Identifier: Apache-2.0
// toe_rx_parse: collects the beats of a frame into a frame slot and, on the
// cycle after tlast, presents the parsed headers as SegMeta.
// Header formats (all big-endian):
//   Ethernet  | dst mac 6 | src mac 6 | ethertype 2 |
//   IPv4      |ver/ihl|tos| total len | id | flags/frag | ttl | proto | csum | src | dst | opts..|
//   TCP       | sport | dport | seq 4 | ack 4 | off/rsvd | flags | window | csum | urg | opts..|
#pragma once

#include "top/tables.hpp"

namespace toe::model {

class RxParse {
 public:
  // data_bytes: DataBytes; rx_slots: RxSlots; regs: local_mac and local_ip (cfg_* ports).
  RxParse(uint32_t data_bytes, uint32_t rx_slots, const EngineRegs& regs, Tables& t)
      : data_bytes_(data_bytes), rx_slots_(rx_slots), regs_(regs), t_(t) {}
  void reset() {
    q_valid = d_valid = false;
    pos_q_ = pos_d_ = 0;
    oversize_q_ = oversize_d_ = false;
    slot_q_ = slot_d_ = 0;
  }
  // beat_fire: a beat was transferred this cycle (tvalid && tready).
  void eval(const AxisBeat& beat, bool beat_fire);
  void commit() {
    q_valid = d_valid;
    q = d;
    pos_q_ = pos_d_;
    oversize_q_ = oversize_d_;
    slot_q_ = slot_d_;
  }
  bool q_valid = false;  // out_valid
  SegMeta q;             // out
  bool d_valid_out() const { return d_valid; }  // a frame ended this cycle
  bool idle() const { return !q_valid && pos_q_ == 0; }  // no frame in flight
  bool in_frame() const { return pos_q_ != 0 || oversize_q_; }  // a frame's first beats have arrived
  // n clocks, each with a full beat (every tkeep bit set, not tlast) taken: bytes[0, n * DataBytes)
  // in order (Engine::run_span; q_valid stays 0).
  void stream(const uint8_t* bytes, uint64_t n);

 private:
  uint32_t data_bytes_, rx_slots_;
  const EngineRegs& regs_;
  Tables& t_;
  uint32_t pos_q_ = 0, pos_d_ = 0;
  bool oversize_q_ = false, oversize_d_ = false;
  uint8_t slot_q_ = 0, slot_d_ = 0;
  bool d_valid = false;
  SegMeta d;
};

}  // namespace toe::model
