// SPDX-License-Identifier: Apache-2.0
// Stimulus of the toe_tcp_fsm lockstep tests (test_tcp_fsm_lockstep.cpp), on the harness of
// tcp_fsm_lockstep.hpp:
//   build_world      one random but consistent world for a one-cycle trial: a Tables with a
//                    random TCB (any state, sequence variables near each other and near the 2^32
//                    wrap) in the index, other connections, listeners, free list, SYN cache and
//                    challenge-ACK tokens; then a random segment (all 8 flag bits, seq/ack at the
//                    edges of the windows), a random command (every CmdOp, valid and invalid
//                    conns) or an idle cycle.
//   peer_segment, host_command, arbiter_sends
//                    the steps of a conversation: a plausible segment from a peer, a host
//                    command, what tx_arbiter writes when it sends.
//   Coverage         what the trials reached, so a generator that stops reaching something
//                    fails loudly.
// Buffer sizes come from the harness (FsmLockstep::cfg() and its Tables), i.e. from the
// parameters the model was Verilated with.
#pragma once

#include <array>
#include <cstdint>
#include <set>
#include <vector>

#include "tcp_fsm_lockstep.hpp"

namespace toe::lockstep {

// The value of environment variable `name` (any base strtoull reads), or `dflt` when unset or empty.
uint64_t env_or(const char* name, uint64_t dflt);

template <class T, size_t N>
T pick(Rng& r, const std::array<T, N>& a) {
  return a[r.below(N)];
}

// Peer addresses the generators favour (so that tuples collide).
inline const std::array<uint32_t, 4> kIps{0x0A000001u, 0x0A000003u, 0xC0A80001u, 0x0A000009u};

// Random runtime registers (MSS, window scale, ISN, ACK pacing, challenge-ACK and half-open limits) in h.cfg().
void random_config(FsmLockstep& h, Rng& r);

// A cycle count near 0, the 2^32 wrap or the 2^64 wrap, or anywhere.
uint64_t random_cycle(Rng& r);

// What the trials reached, so a generator that stops reaching something fails loudly.
struct Coverage {
  std::set<int> counters, events, vias, states_seg, ops;
  uint64_t payload = 0, evict = 0, ho_add = 0, ho_done = 0, listen = 0, chal_used = 0, insert = 0, freed = 0,
           kick = 0, rsp = 0, six_events = 0;
  // Adds what one registered result reached (main_tcb: the TCB the trial built, or {}).
  void add(const model::FsmResult& q, const Stimulus& s, const model::Tcb& main_tcb);
};

// ---- one random world, one cycle ----------------------------------------------------
struct Trial {
  Stimulus s;
  model::Tcb main_tcb;
};

// Resets h.tables() and h.cfg() to a random world and returns the cycle's input.
Trial build_world(FsmLockstep& h, Rng& r);

// ---- conversations: results committed, the next cycle reads the updated tables -------
struct Peer {
  uint32_t ip;
  uint16_t port, lport;
};

// A plausible segment from `p`: in sequence most of the time, with the errors peers make.
model::SegMeta peer_segment(Rng& r, const model::Tables& t, const Peer& p);

// A host command on a live connection (mostly) or any, from one of `peers`.
model::Cmd host_command(Rng& r, const model::Tables& t, const std::vector<Peer>& peers, uint32_t sessions);

// What tx_arbiter writes when it sends: SND.NXT over the data (and our FIN).
void arbiter_sends(Rng& r, model::Tables& t, uint32_t sessions);

}  // namespace toe::lockstep
