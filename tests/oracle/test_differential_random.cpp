// SPDX-License-Identifier: Apache-2.0
// Differential tests, randomized: 50,000 random client sequences (random_sequences.hpp), each run on
// the engine and on lwIP and compared after every step (tests/oracle/differential, library
// toe_differential).
//
// Environment (local use): TOE_DIFF_SEED=<seed> replays one randomized sequence; TOE_DIFF_BASE /
// TOE_DIFF_COUNT choose the seeds; TOE_DIFF_KEEPGOING=1 lists every failing seed (one line each)
// instead of stopping at the first; TOE_DIFF_TCB=1 adds the engine's TCB after each step to the log.
#include <gtest/gtest.h>

#include "random_sequences.hpp"

namespace {

using namespace toe::differential;

TEST(DifferentialRandom, Seeds1To25000) { randomized_shard(1, 25000); }
TEST(DifferentialRandom, Seeds25001To50000) { randomized_shard(25001, 25000); }

}  // namespace
