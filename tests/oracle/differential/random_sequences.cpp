// SPDX-License-Identifier: Apache-2.0
// The randomized sequences of the differential tests (see random_sequences.hpp).
#include "random_sequences.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace toe::differential {

std::vector<Step> random_sequence(std::mt19937_64& rng, Profile& profile, uint32_t& cli_isn) {
  auto pick = [&](uint32_t n) { return static_cast<uint32_t>(rng() % n); };
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  profile = chance(0.2) ? Profile::kHold : Profile::kDiscard;
  switch (pick(4)) {
    case 0: cli_isn = 0xFFFFFFFFu - pick(64); break;  // SQ7: the client's sequence space wraps
    case 1: cli_isn = pick(64); break;
    default: cli_isn = static_cast<uint32_t>(rng()); break;
  }
  std::vector<Step> v;
  v.push_back(syn());
  if (!chance(0.15)) v.push_back(in_seq(kA, chance(0.2) ? static_cast<uint16_t>(1 + pick(32)) : 0));
  const uint32_t n = 3 + pick(6);
  bool closed = false;
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t r = pick(100);
    if (r < 6 && !closed) {
      v.push_back(op(Op::kClose));
      closed = true;
      continue;
    }
    if (r < 14) {
      v.push_back(op(Op::kSend, static_cast<uint16_t>(1 + pick(40))));
      continue;
    }
    if (r < 16 && profile == Profile::kHold) {
      v.push_back(op(Op::kRead));
      continue;
    }
    Step s;
    s.flags = 0;
    if (!chance(0.05)) s.flags |= kA;
    if (chance(0.3)) s.flags |= kP;
    if (chance(0.12)) s.flags |= kF;
    if (chance(0.07)) s.flags |= kR;
    if (chance(0.05)) s.flags |= kS;
    s.len = chance(0.45) ? 0 : static_cast<uint16_t>(1 + pick(chance(0.8) ? 16 : 64));
    if (chance(0.03)) s.mss = static_cast<int32_t>(pick(200));  // OP2: MSS on any segment (0 included)
    if ((s.flags & kS) && s.mss < 0 && chance(0.7)) s.mss = 1460;
    switch (pick(12)) {
      case 0: s.sb = SB::kNxt; s.so = -1; break;
      case 1: s.sb = SB::kNxt; s.so = 1; break;
      case 2: s.sb = SB::kWnd; s.so = -1; break;
      case 3: s.sb = SB::kWnd; s.so = 0; break;
      case 4: s.sb = SB::kWnd; s.so = 1; break;
      case 5: s.sb = SB::kNxt; s.so = chance(0.5) ? (1 << 30) : -(1 << 20); break;  // far
      case 6: s.sb = SB::kNxt; s.so = 2 + pick(20); break;                              // a gap
      case 7: s.sb = SB::kNxt; s.so = -static_cast<int64_t>(1 + pick(20)); break;       // old
      default: s.sb = SB::kNxt; s.so = 0; break;                                         // exact
    }
    switch (pick(20)) {
      case 0: case 1: s.ab = AB::kSnd; s.ao = -1; break;  // SND.NXT-1 (= SND.UNA after a FIN, or a dup ACK)
      case 2: s.ab = AB::kSnd; s.ao = 1; break;
      case 3: s.ab = AB::kSnd; s.ao = 1 + pick(100); break;
      case 4: s.ab = AB::kSnd; s.ao = chance(0.5) ? (1 << 30) : -(1 << 20); break;
      case 5: s.ab = AB::kRaw; s.ao = 0; break;
      default: s.ab = AB::kSnd; s.ao = 0; break;
    }
    v.push_back(s);
  }
  return v;
}

void randomized(uint64_t base_seed, int count) {
  int stopped = 0, failed = 0;
  const bool keep_going = std::getenv("TOE_DIFF_KEEPGOING") != nullptr;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < count; ++i) {
    const uint64_t seed = base_seed + static_cast<uint64_t>(i);
    std::mt19937_64 rng(seed);
    RunConfig rc;
    rc.seed = seed;
    rc.has_seed = true;
    const std::vector<Step> steps = random_sequence(rng, rc.profile, rc.cli_isn);
    const Result r = run_sequence(rc, steps);
    if (!r.ok) {
      ++failed;
      if (!keep_going) {
        ADD_FAILURE() << "randomized sequence " << i << " (reproduce: TOE_DIFF_SEED=" << seed << ")\n" << r.report;
        return;
      }
      // Exploration mode: one line per failure, the failing step.
      const size_t at = r.report.rfind("step ");
      std::printf("FAIL seed %" PRIu64 ": %s", seed, r.report.substr(at).c_str());
      continue;
    }
    if (r.stopped) ++stopped;
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%d sequences in %.1f s, %d stopped at an explained divergence, %d failed\n", count, s, stopped,
              failed);
  EXPECT_EQ(failed, 0);
}

void randomized_shard(uint64_t base, int count) {
  if (const char* env = std::getenv("TOE_DIFF_SEED")) {
    randomized(std::strtoull(env, nullptr, 10), 1);
    return;
  }
  if (const char* b = std::getenv("TOE_DIFF_BASE")) base = std::strtoull(b, nullptr, 10);
  if (const char* n = std::getenv("TOE_DIFF_COUNT")) count = std::atoi(n);
  randomized(base, count);
}

}  // namespace toe::differential
