// SPDX-License-Identifier: Apache-2.0
#include "tx/tx_build.hpp"

#include <algorithm>

namespace toe::model {

void TxBuild::reset() {
  built_q_ = built_d_ = stage_q_ = false;
  wait_q_ = wait_d_ = 0;
  move_ = accept_ = false;
  csum_.reset();
}

uint32_t TxBuild::fetch_cycles(const TxReq& r) const {
  const uint32_t n = std::min<uint32_t>(r.payload_len, kMaxFrameBytes);
  if (n == 0) return 0;
  const uint32_t w = data_bytes_;
  return ((r.payload_off & (w - 1)) + n + w - 1) / w;
}

void TxBuild::build_frame(const TxReq& r, std::vector<uint8_t>& f) const {
  net::EthHeader eth{r.dmac, regs_.local_mac, net::kEtherTypeIpv4};
  net::Ipv4Header ip;
  ip.src = regs_.local_ip;
  ip.dst = r.dip;
  ip.df = true;
  ip.ttl = 64;
  net::TcpHeader t;
  t.src_port = r.sport;
  t.dst_port = r.dport;
  t.seq = r.seq;
  t.ack = r.ack;
  t.flags = r.flags;
  t.window = r.window;
  t.opts.has_mss = r.opt_mss;
  t.opts.mss = r.mss;
  t.opts.has_wscale = r.opt_ws;
  t.opts.wscale = r.wscale;
  uint8_t payload[kMaxFrameBytes];
  const uint32_t n = std::min<uint32_t>(r.payload_len, sizeof payload);
  if (n) {
    const uint8_t* base = &t_.tx_buf[size_t(r.conn) * (t_.tx_mask + 1)];
    for (uint32_t i = 0; i < n; ++i) payload[i] = base[(r.payload_off + i) & t_.tx_mask];
  }
  f = net::build_tcp_frame(eth, ip, t, payload, n);  // checksums: tx_csum's part of the work
}

void TxBuild::eval(bool in_valid, const TxReq& in, bool beat_taken) {
  csum_.eval(beat_taken);
  // payload complete, tx_csum free: tx_build -> tx_csum
  move_ = built_q_ && wait_q_ == 0 && csum_.free();
  built_d_ = built_q_ && !move_;
  wait_d_ = wait_q_ ? wait_q_ - 1 : 0;
  accept_ = in_valid;
  if (in_valid) {
    build_frame(in, built_df_);
    built_d_ = true;
    wait_d_ = fetch_cycles(in);
  }
  csum_.eval_move(move_, built_qf_);
}

void TxBuild::commit() {
  csum_.commit(move_, built_qf_);
  if (accept_) std::swap(built_qf_, built_df_);
  built_q_ = built_d_;
  wait_q_ = wait_d_;
  stage_q_ = built_q_;
}

uint64_t TxBuild::span_limit() const {
  if (csum_.frame_done_pulse()) return 0;
  const uint64_t sending = csum_.streaming() ? csum_.span_limit() : ~uint64_t(0);
  if (!built_q_) return csum_.streaming() ? sending : 0;
  // A built frame moves at the first clock that starts with its wait over and tx_csum free.
  if (wait_q_ == 0) return csum_.streaming() ? sending : 0;
  return std::min<uint64_t>(wait_q_, sending);
}

void TxBuild::run(uint64_t n, std::vector<uint8_t>* out) {
  if (csum_.streaming()) csum_.run(n, *out);
  // (A wait still running is at least n long: span_limit; one over stays over.)
  if (built_q_ && wait_q_ != 0) wait_q_ = wait_d_ = wait_q_ - uint32_t(n);
}

}  // namespace toe::model
