// SPDX-License-Identifier: Apache-2.0
// The initial send sequence number (IS1, RFC 9293 3.4.1): ISN = M + F(4-tuple,
// secret), M a 4-microsecond clock, F a keyed mix of 4 SipRounds (toe::isn_mix,
// include/toe/hash.hpp). The engine computes F in two stages beside rx_csum and conn_lookup
// (IsnMix::q, toe_isn_mix's mix_o) and tcp_fsm adds M in the cycle it decides (isn_of, toe_tcp_fsm's
// `isn`): `ticks`, the engine's 4 us clock (Tables::isn_ticks, toe_tables' isn_ticks_q: one tick every
// 4 x CLOCK_MHZ cycles, counted as the clock runs, so a CLOCK_MHZ written at run time changes the
// rate from then on). FIXED_ISN_EN replaces both (tests only).
#pragma once

#include <cstdint>

#include "top/engine_config.hpp"

namespace toe::model {

// The ISN from F (`mix`) and M.
inline uint32_t isn_of(const EngineRegs& regs, uint32_t mix, uint32_t ticks) {
  return regs.fixed_isn_en ? regs.fixed_isn : mix + ticks;
}
// The whole ISN of a 4-tuple with the registers as they are (Engine::isn_for, for tests).
uint32_t isn_hash(const EngineRegs& regs, uint32_t rip, uint16_t rport, uint16_t lport, uint32_t ticks);

}  // namespace toe::model
