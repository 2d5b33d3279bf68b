// SPDX-License-Identifier: Apache-2.0
#include "rx/rx_parse.hpp"

#include <cstring>


namespace toe::model {

// ---- rx_parse -------------------------------------------------------------------
void RxParse::eval(const AxisBeat& beat, bool beat_fire) {
  d_valid = false;
  pos_d_ = pos_q_;
  oversize_d_ = oversize_q_;
  slot_d_ = slot_q_;
  if (!beat_fire) return;
  // The slot being filled is private to rx_parse until tlast, so the bytes go
  // straight into it.
  uint8_t* s = t_.slots[slot_q_].data();
  for (uint32_t i = 0; i < data_bytes_; ++i) {
    if (!((beat.tkeep >> i) & 1u)) continue;
    if (pos_d_ < kMaxFrameBytes)
      s[pos_d_++] = beat.tdata[i];
    else
      oversize_d_ = true;
  }
  if (!beat.tlast) return;

  d_valid = true;
  d = SegMeta{};
  d.slot = slot_q_;
  const uint32_t len = pos_d_;
  const bool over = oversize_d_;  // bytes beyond the slot, this beat included
  pos_d_ = 0;
  oversize_d_ = false;
  slot_d_ = static_cast<uint8_t>((slot_q_ + 1) % rx_slots_);
  auto drop = [&](Counter c) {
    d.drop = true;
    d.reason = c;
  };
  if (beat.tuser) return drop(Counter::kDropMacError);
  if (over)
    return drop(Counter::kDropMalformed);
  net::Frame f;
  net::ParseOptions po;
  po.verify_ip_checksum = false;  // rx_csum's job
  po.verify_tcp_checksum = false;
  const net::ParseError e = net::parse_frame(s, len, f, po);
  switch (e) {
    case net::ParseError::kOk: break;
    case net::ParseError::kIpFragment: return drop(Counter::kDropFragment);  // HD2: dropped, counted
    case net::ParseError::kUnsupportedEthertype:
    case net::ParseError::kIpUnsupportedProtocol: return drop(Counter::kDropNotForUs);
    default:
      if (f.kind == net::Frame::Kind::kArp) return drop(Counter::kArpIn);
      return drop(Counter::kDropMalformed);  // HD1, OP1
  }
  if (f.kind == net::Frame::Kind::kArp) return drop(Counter::kArpIn);  // the firmware's (slow path)
  // HD2: only frames to our unicast MAC and IP (broadcast/multicast never reach TCP).
  if (f.eth.dst != regs_.local_mac || f.ip.dst != regs_.local_ip) return drop(Counter::kDropNotForUs);
  d.is_tcp = true;
  d.smac = f.eth.src;
  d.sip = f.ip.src;
  d.dip = f.ip.dst;
  d.sport = f.tcp.src_port;
  d.dport = f.tcp.dst_port;
  d.seq = f.tcp.seq;
  d.ack = f.tcp.ack;
  d.flags = f.tcp.flags;
  d.window = f.tcp.window;
  d.opts = f.tcp.opts;
  d.payload_off = static_cast<uint16_t>(f.payload - s);
  d.payload_len = static_cast<uint16_t>(f.payload_len);
  d.ip_off = static_cast<uint16_t>(net::kEthHeaderLen);
  d.ip_hlen = static_cast<uint16_t>(f.ip.ihl * 4u);
  d.ip_total = f.ip.total_length;
}

void RxParse::stream(const uint8_t* bytes, uint64_t n) {
  // As n calls of eval() with a full beat that is not the frame's last, each followed by commit().
  const uint64_t len = n * data_bytes_;
  const uint64_t room = kMaxFrameBytes - pos_q_;
  const uint64_t fit = len < room ? len : room;
  std::memcpy(t_.slots[slot_q_].data() + pos_q_, bytes, fit);
  pos_q_ += static_cast<uint32_t>(fit);
  if (fit < len) oversize_q_ = true;
  pos_d_ = pos_q_;
  oversize_d_ = oversize_q_;
  slot_d_ = slot_q_;
  d_valid = q_valid = false;
}

}  // namespace toe::model
