// SPDX-License-Identifier: Apache-2.0
// The randomized sequences of the differential tests: a random client (and server application)
// behaviour after a handshake, run on both stacks by the harness.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "differential_harness.hpp"

namespace toe::differential {

// One random sequence: the server profile (hold 20 %), the client's ISN (near the 2^32 wrap, near
// 0, or anywhere), the SYN, usually the handshake ACK, then 3..8 client segments (any flags, seq and
// ack at the window edges, gaps, old and far values; MSS options) and server-application steps.
std::vector<Step> random_sequence(std::mt19937_64& rng, Profile& profile, uint32_t& cli_isn);

// Runs `count` random sequences from seeds base_seed, base_seed+1, ...; a failure names the seed.
void randomized(uint64_t base_seed, int count);

// CI: 2 x 25,000 sequences (seeds 1..50000), two tests so ctest -j2 runs them side by side. Local
// exploration: TOE_DIFF_SEED=<seed> replays one sequence (printing it on failure), TOE_DIFF_COUNT=<n>
// and TOE_DIFF_BASE=<seed> run more, TOE_DIFF_KEEPGOING=1 lists every failure instead of the first.
void randomized_shard(uint64_t base, int count);

}  // namespace toe::differential
