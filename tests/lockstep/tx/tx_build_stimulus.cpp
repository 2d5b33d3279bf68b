// SPDX-License-Identifier: Apache-2.0
// Stimulus of the toe_tx_build lockstep test (see tx_build_stimulus.hpp).
#include "tx_build_stimulus.hpp"

#include <algorithm>
#include <cstdlib>
#include <sstream>

namespace toe::lockstep {

using model::kNoConn;
using model::TxReq;

uint64_t mac_to_u64(const toe::net::MacAddr& m) {
  uint64_t v = 0;
  for (int i = 0; i < 6; ++i) v = (v << 8) | m.b[size_t(i)];
  return v;
}

std::string hex_bytes(const uint8_t* p, size_t n) {
  std::ostringstream os;
  os << std::hex;
  for (size_t i = 0; i < n; ++i) os << (i ? " " : "") << (p[i] < 16 ? "0" : "") << unsigned(p[i]);
  return os.str();
}

uint64_t env_u64(const char* name, uint64_t dflt) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 0) : dflt;
}

TxReq Stimulus::request(uint32_t sessions, uint32_t buf_bytes) {
  TxReq r;
  for (auto& b : r.dmac.b) b = static_cast<uint8_t>(rng());
  r.dip = u32();
  r.sport = static_cast<uint16_t>(rng());
  r.dport = static_cast<uint16_t>(rng());
  r.seq = u32();
  r.ack = u32();
  r.window = static_cast<uint16_t>(rng());
  r.conn = below(sessions);
  static constexpr uint8_t kCtl[] = {0x02, 0x12, 0x10, 0x04, 0x14, 0x11, 0x18, 0x19};
  if (chance(0.35)) {  // control segment
    r.flags = chance(0.85) ? kCtl[below(sizeof kCtl)] : static_cast<uint8_t>(rng());
    r.opt_mss = chance(0.5);
    r.opt_ws = chance(0.5);
    if (chance(0.2)) r.conn = kNoConn;
    r.payload_off = u32();
  } else {  // data segment
    r.flags = chance(0.9) ? (chance(0.5) ? 0x10 : 0x18) : static_cast<uint8_t>(rng());
    r.opt_mss = chance(0.05);
    r.opt_ws = chance(0.05);
    const uint32_t k = below(100);
    static constexpr uint32_t kEdge[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 63, 64, 65, 127, 128, 1459, 1460};
    if (k < 20) r.payload_len = 1 + below(70);
    else if (k < 28) r.payload_len = kEdge[below(sizeof kEdge / sizeof kEdge[0])];
    else if (k < 98) r.payload_len = 1 + below(1460);
    else r.payload_len = 1461 + below(3000);  // longer than a frame holds: both clamp to 1536
    // Offsets: anywhere (the buffer wraps them), often just before the end of the buffer.
    r.payload_off = chance(0.25) ? buf_bytes - 1 - below(std::min<uint32_t>(buf_bytes, 80)) + buf_bytes * below(4)
                                 : u32();
  }
  r.mss = static_cast<uint16_t>(rng());
  r.wscale = chance(0.9) ? static_cast<uint8_t>(below(15)) : static_cast<uint8_t>(rng());
  return r;
}

}  // namespace toe::lockstep
