// SPDX-License-Identifier: Apache-2.0
// toe_tcp_fsm (RTL, Verilated) in lockstep with the C++ TcpFsm.
//
//  TcpFsmLockstep.RandomState...   one cycle per trial from a random but consistent world: a
//      Tables with a random TCB (any state, sequence variables near each other and near the
//      2^32 wrap) in the index, other connections, listeners, free list, SYN cache and
//      challenge-ACK tokens; then a random segment (all 8 flag bits, seq/ack at the edges of
//      the windows), a random command (every CmdOp, valid and invalid conns) or an idle
//      cycle. Every FsmResult field is compared, combinationally and after the clock.
//  TcpFsmLockstep.Conversations... short random conversations: the C++ result is committed to the
//      Tables (TcpFsm::commit) and the next cycle's RTL inputs are read from them, as the top
//      forwards its pending write.
// A mismatch prints the trial's seed, the field, both values and the inputs. Trial counts:
// TOE_FSM_TRIALS / TOE_FSM_CONVERSATIONS (compile definitions, environment overrides);
// TOE_FSM_SEED changes the base seed. The harness is tcp_fsm_lockstep.hpp, the generators
// tcp_fsm_stimulus.hpp (library toe_tcp_fsm_lockstep, one per Verilated parameter set).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "tcp_fsm_stimulus.hpp"

#ifndef TOE_FSM_SESSIONS
#error "TOE_FSM_SESSIONS, TOE_FSM_RXBUF and TOE_FSM_TXBUF must be the Verilated parameters"
#endif
#ifndef TOE_FSM_TRIALS
#define TOE_FSM_TRIALS 1000000
#endif
#ifndef TOE_FSM_CONVERSATIONS
#define TOE_FSM_CONVERSATIONS 3000
#endif

namespace toe::lockstep {
namespace {

using model::Counter;
using model::EvtType;
using model::Tcb;

constexpr FsmParams kParams{TOE_FSM_SESSIONS, TOE_FSM_RXBUF, TOE_FSM_TXBUF};

TEST(TcpFsmLockstep, RandomStateEveryResultFieldMatches) {
  FsmLockstep h(kParams);
  const uint64_t trials = env_or("TOE_FSM_TRIALS", TOE_FSM_TRIALS);
  const uint64_t base = env_or("TOE_FSM_SEED", 0x70EC0DE5EEDull);
  Coverage cov;
  for (uint64_t i = 0; i < trials; ++i) {
    const uint64_t seed = base + i;
    Rng r(seed);
    const Trial tr = build_world(h, r);
    const std::string err = h.step(tr.s, r);
    if (!err.empty()) {
      FAIL() << "trial " << i << " seed 0x" << std::hex << seed << std::dec
             << " (rerun: TOE_FSM_SEED=0x" << std::hex << seed << std::dec << " TOE_FSM_TRIALS=1)\n"
             << err << "  main tcb: " << describe_tcb(tr.main_tcb);
    }
    if (h.last_valid()) cov.add(h.last(), tr.s, tr.main_tcb);
  }
  std::printf("fsm lockstep: %llu random-state trials; %llu responses, %llu payloads, %llu inserts, %llu frees, "
              "%llu evictions, %llu listen writes, %llu challenge tokens, %llu six-event results\n",
              (unsigned long long)trials, (unsigned long long)cov.rsp, (unsigned long long)cov.payload,
              (unsigned long long)cov.insert, (unsigned long long)cov.freed, (unsigned long long)cov.evict,
              (unsigned long long)cov.listen, (unsigned long long)cov.chal_used,
              (unsigned long long)cov.six_events);
  if (trials < 100000) return;  // coverage is asserted on full runs only
  // Every counter the fsm raises, every event, every state and command reached.
  for (Counter c : {Counter::kDropNoConn, Counter::kDropOverflow, Counter::kChallengeAcks, Counter::kRstSent,
                    Counter::kDropUnacceptable, Counter::kChallengeAckLimited, Counter::kSynDropped,
                    Counter::kHalfOpenEvicted, Counter::kDropBadCsum})
    EXPECT_TRUE(cov.counters.count(int(c))) << "counter never raised: " << to_string(c);
  for (int e = 1; e <= 15; ++e) EXPECT_TRUE(cov.events.count(e)) << "event never raised: " << e;
  for (int s = 0; s <= 10; ++s) EXPECT_TRUE(cov.states_seg.count(s)) << "no segment on a TCB in state " << s;
  for (int o = 0; o <= 15; ++o) EXPECT_TRUE(cov.ops.count(o)) << "command never issued: " << o;
  EXPECT_TRUE(cov.vias.count(int(TcpState::ESTABLISHED)));
  EXPECT_GT(cov.payload, 0u);
  EXPECT_GT(cov.evict, 0u);
  EXPECT_GT(cov.ho_done, 0u);
  EXPECT_GT(cov.ho_add, 0u);
  EXPECT_GT(cov.listen, 0u);
  EXPECT_GT(cov.chal_used, 0u);
  EXPECT_GT(cov.kick, 0u);
  if (trials >= 500000) {  // FIN_WAIT_1 -> TIME_WAIT with data in one segment: rare
    EXPECT_GT(cov.six_events, 0u);
  }
}

TEST(TcpFsmLockstep, ConversationsCommittedResultsFeedTheNextCycle) {
  FsmLockstep h(kParams);
  const uint64_t conversations = env_or("TOE_FSM_CONVERSATIONS", TOE_FSM_CONVERSATIONS);
  const uint64_t base = env_or("TOE_FSM_SEED", 0xC0817E5A7Eull);
  const uint32_t sessions = h.params().sessions;
  uint64_t cycles = 0;
  Coverage cov;
  for (uint64_t i = 0; i < conversations; ++i) {
    const uint64_t seed = base + i;
    Rng r(seed);
    model::Tables& t = h.tables();
    random_config(h, r);
    h.cfg().chal_conn_cycles = r.chance(50) ? 0 : 50;
    h.cfg().max_half_open = r.below(5);
    t.reset();
    t.chal_tokens = 1 + r.below(5);
    t.listen[0] = model::ListenEntry{true, 80};
    std::vector<Peer> peers;
    for (uint32_t k = 2 + r.below(5); k > 0; --k)
      peers.push_back(Peer{pick(r, kIps), uint16_t(1024 + r.below(8)), r.chance(70) ? uint16_t(80) : uint16_t(5001)});
    uint64_t cycle = random_cycle(r);
    const uint32_t steps = 20 + r.below(80);
    for (uint32_t n = 0; n < steps; ++n, ++cycles) {
      Stimulus s;
      s.cycle = cycle;
      const uint32_t what = r.below(100);
      if (what < 60) {
        s.kind = Stimulus::Kind::kSegment;
        s.seg = peer_segment(r, t, peers[r.below(uint32_t(peers.size()))]);
      } else if (what < 85) {
        s.kind = Stimulus::Kind::kCommand;
        s.cmd = host_command(r, t, peers, sessions);
      } else if (what < 95) {
        arbiter_sends(r, t, sessions);
      }
      const std::string err = h.step(s, r);
      if (!err.empty()) {
        FAIL() << "conversation " << i << " step " << n << " seed 0x" << std::hex << seed << std::dec
               << " (rerun: TOE_FSM_SEED=0x" << std::hex << seed << std::dec << " TOE_FSM_CONVERSATIONS=1)\n"
               << err;
      }
      if (h.last_valid()) cov.add(h.last(), s, Tcb{});
      cycle += 1 + (r.chance(10) ? r.below(200000) : 0);
      if (r.chance(5)) t.chal_tokens += 1;  // the refill of the global bucket
    }
  }
  std::printf("fsm lockstep: %llu conversations, %llu cycles; %llu responses, %llu payloads, %llu inserts, "
              "%llu frees, %llu evictions\n",
              (unsigned long long)conversations, (unsigned long long)cycles, (unsigned long long)cov.rsp,
              (unsigned long long)cov.payload, (unsigned long long)cov.insert, (unsigned long long)cov.freed,
              (unsigned long long)cov.evict);
  if (conversations < 1000) return;
  for (int e : {1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13})
    EXPECT_TRUE(cov.events.count(e)) << "event never raised in a conversation: " << e;
  EXPECT_GT(cov.payload, 0u);
}

// The harness itself: a SYN to a listener must come back as a SYN-ACK on both sides.
TEST(TcpFsmLockstep, SynToListenerIsAnsweredBySynAck) {
  FsmLockstep h(kParams);
  h.cfg().fixed_isn_en = true;
  h.cfg().fixed_isn = 1000;
  h.sync_registers();
  model::Tables& t = h.tables();
  t.reset();
  t.listen[2] = model::ListenEntry{true, 80};
  Stimulus s;
  s.kind = Stimulus::Kind::kSegment;
  s.cycle = 5;
  s.seg.is_tcp = true;
  s.seg.sip = 0x0A000001;
  s.seg.sport = 1234;
  s.seg.dport = 80;
  s.seg.seq = 0xFFFFFFFF;
  s.seg.flags = net::kSyn;
  s.seg.window = 4000;
  s.seg.bucket = t.bucket_of(s.seg.sip, s.seg.sport, s.seg.dport);
  Rng r(1);
  ASSERT_EQ(h.step(s, r), "");
  const model::FsmResult& q = h.last();
  EXPECT_TRUE(q.rsp_valid);
  EXPECT_EQ(q.rsp.flags, net::kSyn | net::kAck);
  EXPECT_EQ(q.rsp.seq, 1000u);
  EXPECT_EQ(q.rsp.ack, 0u);  // SEG.SEQ + 1 across the wrap
  EXPECT_TRUE(q.index_insert);
  EXPECT_EQ(q.tcb.state, TcpState::SYN_RECEIVED);
  // ... and the final ACK, read back from the committed tables, completes the handshake.
  s.seg.flags = net::kAck;
  s.seg.seq = 0;
  s.seg.ack = 1001;
  s.cycle = 6;
  ASSERT_EQ(h.step(s, r), "");
  EXPECT_EQ(h.last().tcb.state, TcpState::ESTABLISHED);
  ASSERT_GE(h.last().n_evt, 1);
  EXPECT_EQ(h.last().evt[0].type, EvtType::kAccepted);
}

}  // namespace
}  // namespace toe::lockstep

