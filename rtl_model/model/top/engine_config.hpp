// SPDX-License-Identifier: Apache-2.0
// EngineConfig: the build parameters of toe_top (EngineParams, RTL parameters)
// and the reset values of its runtime registers (EngineRegs, the cfg_* ports /
// the register map). Stages get the parameters they use by value and read the
// registers through a const EngineRegs& (the RTL's cfg_* inputs).
#pragma once

#include <cstdint>
#include <string>

#include "toe/net/codec.hpp"
#include "toe_defs.hpp"

namespace toe::model {

// Elaboration-time parameters (RTL parameters of toe_top): generated from
// rtl_model/regmap/toe_defs.toml with their defaults and rules (params::check, the one
// validation; the RTL's toe_param_check enforces the same rules at elaboration).
using EngineParams = params::Values;

// "sessions=16 data_bytes=8 ..." (every parameter, in the description's order).
inline std::string describe(const EngineParams& p) {
  std::string s;
  for (const params::Param& d : params::kParams) {
    if (!s.empty()) s += ' ';
    s += d.field;
    s += '=';
    s += std::to_string(p.*d.member);
  }
  return s;
}

inline bool same_params(const EngineParams& a, const EngineParams& b) {
  for (const params::Param& d : params::kParams)
    if (a.*d.member != b.*d.member) return false;
  return true;
}

// Runtime registers (cfg_* ports of toe_top): changes apply from the next clock.
struct EngineRegs {
  net::MacAddr local_mac{{0x02, 0, 0, 0, 0, 0x02}};
  uint32_t local_ip = 0x0A000002;  // 10.0.0.2
  uint16_t mss = 1460;             // our MSS (advertised, and cap on what we send)
  uint16_t mss_floor = 64;         // OP2: a peer MSS below this is raised to it
  uint8_t rcv_wscale = 7;          // window scale we offer (when the peer offers one)
  bool fixed_isn_en = false;       // IS1: tests only
  uint32_t fixed_isn = 0;
  uint32_t isn_secret[4] = {0x9e3779b9u, 0x7f4a7c15u, 0xf39cc060u, 0x5ced6b8bu};
  uint32_t clock_mhz = 125;        // for the ISN clock (4 us ticks) and rate limits
  uint32_t ack_every = 1;          // ACK every Nth in-order data segment (1 = immediate); firmware's
                                   // delayed-ACK timer (kSendAck) covers the rest (TM3)
  // RS1/SY1/DS2 challenge-ACK limiter: per connection at most one per
  // chal_conn_cycles; globally a token bucket of chal_global_burst refilled
  // once per chal_global_cycles.
  uint32_t chal_conn_cycles = 0;   // 0: clock_mhz * 1000 (1 ms)
  uint32_t chal_global_burst = 100;
  uint32_t chal_global_cycles = 0; // 0: clock_mhz * 10000 (10 ms per token: 100/s)
  uint32_t max_half_open = 0;      // MaxHalfOpen (0: sessions/2, at least 1): SYN cache bound (DS1)
};

// The SYN-cache bound in force: max_half_open, or max(sessions / 2, 1) when it is 0.
inline uint32_t half_open_limit(uint32_t sessions, const EngineRegs& r) {
  if (r.max_half_open) return r.max_half_open;
  return sessions / 2 ? sessions / 2 : 1;
}

struct EngineConfig : EngineParams, EngineRegs {
  uint32_t sessions_or_default_half_open() const { return half_open_limit(sessions, *this); }
};

}  // namespace toe::model
