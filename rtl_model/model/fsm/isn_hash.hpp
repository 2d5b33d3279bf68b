// SPDX-License-Identifier: Apache-2.0
// The initial send sequence number (IS1, RFC 9293 3.4.1): ISN = M + F(4-tuple,
// secret), M a 4-microsecond clock, F a keyed ARX mix of 4 rounds (a few
// adders and rotators in RTL: toe_tcp_fsm's isn_hash function). A pure
// function of the registers, the 4-tuple and M: `ticks`, the engine's 4 us clock (Tables::isn_ticks,
// toe_tables' isn_ticks_q: one tick every 4 x CLOCK_MHZ cycles, counted as the clock runs, so a
// CLOCK_MHZ written at run time changes the rate from then on).
#pragma once

#include <cstdint>

#include "top/engine_config.hpp"

namespace toe::model {

uint32_t isn_hash(const EngineRegs& regs, uint32_t rip, uint16_t rport, uint16_t lport, uint32_t ticks);

}  // namespace toe::model
