// SPDX-License-Identifier: Apache-2.0
// toe_tx_build: forms the frame of one transmit request (Ethernet, IPv4, TCP,
// payload from the transmit buffer) and hands it to its tx_csum, which streams
// it. The payload arrives from the transmit buffer one DataBytes word per
// cycle (the RTL's read port), so a frame taken at cycle t can move to tx_csum
// at t + 1 + fetch_cycles(r) at the earliest (t + 1 without payload).
#pragma once

#include <vector>

#include "top/tables.hpp"
#include "tx/tx_csum.hpp"

namespace toe::model {

class TxBuild {
 public:
  // data_bytes: DataBytes; regs: local_mac and local_ip (sampled when a request is taken).
  TxBuild(uint32_t data_bytes, const EngineRegs& regs, Tables& t)
      : data_bytes_(data_bytes), regs_(regs), t_(t), csum_(data_bytes) {}
  void reset();
  bool ready() const { return !stage_q_; }  // can accept a TxReq this cycle
  // Nothing built, nothing being sent, no frame-sent pulse: an idle cycle changes nothing here.
  bool idle() const {
    return !stage_q_ && !built_q_ && !csum_.streaming() && !csum_.frame_done_pulse() && !beat().tvalid;
  }
  // Transmit-buffer words the payload of r spans: ceil((payload_off mod DataBytes + len) / DataBytes).
  uint32_t fetch_cycles(const TxReq& r) const;
  void eval(bool in_valid, const TxReq& in, bool beat_taken);
  void commit();
  const AxisBeat& beat() const { return csum_.beat(); }
  // Busy spans (not idle()): clocks over which a frame built waits for its payload (until the
  // clock its wait ends) or for tx_csum, and a frame being sent has its beats taken (up to the one
  // before its last: TxCsum::span_limit); 0 when neither bounds them or a frame-sent pulse is
  // out. run(n, out): those clocks, the bytes of the beats sent appended to out.
  uint64_t span_limit() const;
  void run(uint64_t n, std::vector<uint8_t>* out);
  bool frame_done_pulse() const { return csum_.frame_done_pulse(); }

 private:
  void build_frame(const TxReq& r, std::vector<uint8_t>& f) const;
  uint32_t data_bytes_;
  const EngineRegs& regs_;
  Tables& t_;
  TxCsum csum_;  // u_tx_csum
  // tx_build register: built frame waiting for its payload and for tx_csum
  bool built_q_ = false, built_d_ = false;
  uint32_t wait_q_ = 0, wait_d_ = 0;  // cycles until the built frame's payload has arrived
  std::vector<uint8_t> built_qf_, built_df_;
  bool stage_q_ = false;  // tx_build's output holds a frame (back-pressure)
  bool move_ = false, accept_ = false;
};

}  // namespace toe::model
