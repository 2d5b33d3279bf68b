// SPDX-License-Identifier: Apache-2.0
#include "fsm/isn_hash.hpp"

#include "toe/hash.hpp"

namespace toe::model {

uint32_t isn_hash(const EngineRegs& regs, uint32_t rip, uint16_t rport, uint16_t lport, uint32_t ticks) {
  return isn_of(regs, isn_mix(regs.isn_secret, regs.local_ip, rip, rport, lport), ticks);
}

}  // namespace toe::model
