// SPDX-License-Identifier: Apache-2.0
#include "rx/rx_csum.hpp"


namespace toe::model {

// ---- rx_csum --------------------------------------------------------------------
void RxCsum::eval(bool in_valid, const SegMeta& in) {
  d_valid = in_valid;
  if (!in_valid) return;
  d = in;
  if (in.drop || !in.is_tcp) return;
  const uint8_t* ip = t_.slots[in.slot].data() + in.ip_off;
  const bool ip_ok = net::csum_fold(net::csum_add(0, ip, in.ip_hlen)) == 0;
  const uint16_t tcp_len = static_cast<uint16_t>(in.ip_total - in.ip_hlen);
  const bool tcp_ok =
      net::csum_fold(net::csum_add(net::tcp_pseudo_sum(in.sip, in.dip, tcp_len), ip + in.ip_hlen, tcp_len)) == 0;
  if (!ip_ok || !tcp_ok) {  // CK1: silent drop, counted
    d.drop = true;
    d.reason = Counter::kDropBadCsum;
  }
}

}  // namespace toe::model
