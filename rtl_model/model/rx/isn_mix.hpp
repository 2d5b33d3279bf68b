// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "toe/hash.hpp"
#include "top/engine_config.hpp"

namespace toe::model {

// toe_isn_mix: the keyed part of the ISN (toe::isn_mix, IS1) of the 4-tuple presented, two
// cycles later: the first stage loads the state (the key, LOCAL_IP, ISN_SECRET) and runs
// kIsnMixRoundsA rounds (q_half), the second runs the rest and folds it (q). Engine presents the
// key of the segment rx_parse hands on, else of the command offered now; either reaches tcp_fsm
// two cycles later, which adds its 4 us clock (isn_of). Both registers load every cycle.
class IsnMix {
 public:
  struct Key {
    uint32_t ip = 0;  // remote address
    uint16_t port = 0, lport = 0;
  };
  explicit IsnMix(const EngineRegs& regs) : regs_(regs) {}
  void reset() {
    q_half = d_half = IsnState{};
    q = d = 0;
  }
  void eval(const Key& key) {
    d_half = isn_mix_rounds(isn_mix_init(regs_.isn_secret, regs_.local_ip, key.ip, key.port, key.lport),
                            kIsnMixRoundsA);
    d = isn_mix_fold(isn_mix_rounds(q_half, kIsnMixRounds - kIsnMixRoundsA));
  }
  void commit() {
    q_half = d_half;
    q = d;
  }
  IsnState q_half;  // toe_isn_mix's half_q
  uint32_t q = 0;   // mix_o

 private:
  const EngineRegs& regs_;
  IsnState d_half;
  uint32_t d = 0;
};

}  // namespace toe::model
