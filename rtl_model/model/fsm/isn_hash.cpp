// SPDX-License-Identifier: Apache-2.0
#include "fsm/isn_hash.hpp"

namespace toe::model {

uint32_t isn_hash(const EngineRegs& regs, uint32_t rip, uint16_t rport, uint16_t lport, uint32_t ticks) {
  if (regs.fixed_isn_en) return regs.fixed_isn;
  // IS1 (RFC 9293 3.4.1): ISN = M + F(4-tuple, secret); M a 4-microsecond clock,
  // F a keyed ARX mix (4 rounds; a few adders and rotators in RTL).
  auto rotl = [](uint32_t x, int r) { return (x << r) | (x >> (32 - r)); };
  uint32_t a = regs.isn_secret[0] ^ rip, b = regs.isn_secret[1] ^ ((uint32_t(rport) << 16) | lport);
  uint32_t c = regs.isn_secret[2] ^ regs.local_ip, dd = regs.isn_secret[3];
  for (int i = 0; i < 4; ++i) {
    a += b; dd ^= a; dd = rotl(dd, 16);
    c += dd; b ^= c; b = rotl(b, 12);
    a += b; dd ^= a; dd = rotl(dd, 8);
    c += dd; b ^= c; b = rotl(b, 7);
  }
  return (a ^ b ^ c ^ dd) + ticks;
}

}  // namespace toe::model
