// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "toe/hash.hpp"
#include "top/engine_config.hpp"
#include "top/tables.hpp"

namespace toe::model {

// toe_conn_lookup: hashes the 4-tuple to a bucket of the index (the ways of
// the bucket are read here and compared in tcp_fsm, with forwarding of the
// index writes of the segment ahead). Latency 1.
//
// It also computes the keyed part of the ISN (toe::isn_mix, IS1) of the key it hashes: the
// segment's, or in a cycle with no segment the alternate key (Engine: the command offered now,
// which reaches tcp_fsm next cycle if it is accepted). q_isn_mix is registered every cycle; tcp_fsm
// adds its 4 us clock to it (isn_of). So the mix's 16 adders sit in this stage, not in the decision.
class ConnLookup {
 public:
  // The key hashed in a cycle with no segment (toe_conn_lookup's alt_*).
  struct Key {
    uint32_t ip = 0;
    uint16_t port = 0, lport = 0;
  };
  ConnLookup(Tables& t, const EngineRegs& regs) : t_(t), regs_(regs) {}
  void reset() {
    q_valid = d_valid = false;
    q_isn_mix = d_isn_mix = 0;
  }
  void eval(bool in_valid, const SegMeta& in, const Key& alt) {
    d_valid = in_valid;
    d = in;
    if (in_valid && in.is_tcp && !in.drop) d.bucket = t_.bucket_of(in.sip, in.sport, in.dport);
    d_isn_mix = in_valid ? isn_mix(regs_.isn_secret, regs_.local_ip, in.sip, in.sport, in.dport)
                         : isn_mix(regs_.isn_secret, regs_.local_ip, alt.ip, alt.port, alt.lport);
  }
  void commit() {
    q_valid = d_valid;
    q = d;
    q_isn_mix = d_isn_mix;
  }
  bool q_valid = false;
  SegMeta q;
  uint32_t q_isn_mix = 0;  // toe_conn_lookup's isn_mix_o

 private:
  Tables& t_;
  const EngineRegs& regs_;
  bool d_valid = false;
  SegMeta d;
  uint32_t d_isn_mix = 0;
};

}  // namespace toe::model
