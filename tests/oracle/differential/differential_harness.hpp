// SPDX-License-Identifier: Apache-2.0
// The harness of the differential tests: one sequence of steps (step_language.hpp) run on both
// stacks (stacks.hpp), each step resolved per side from what that side has said so far, and what
// each emitted (flags, relative seq and ack, payload length, window zero/non-zero, MSS option),
// the states it went through, its current state and the bytes it delivered to its application
// compared after every step. Where the two have agreed so far, the resolved inputs are the same
// relative to each side's ISN; only window-relative positions differ, by the difference of the two
// receive windows (the engine's buffer here is 4 KB, lwIP's TCP_WND 65535), which is what makes
// "the window edge" comparable. A difference is allowed only by a row of the divergence table
// (divergences.hpp); anything else fails the run with both output sequences, the inputs that
// produced them and, for randomized sequences, the seed.
//
// Environment: TOE_DIFF_VERBOSE=1 prints every scripted run; TOE_DIFF_TCB=1 adds the engine's TCB
// after each step to the log.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "divergences.hpp"
#include "stacks.hpp"
#include "step_language.hpp"

namespace toe::differential {

struct RunConfig {
  uint32_t cli_isn = 5000;
  Profile profile = Profile::kDiscard;
  uint64_t seed = 0;        // for the report (randomized sequences)
  bool has_seed = false;
  bool allow_engine_bugs = true;  // false: rows of kind ENGINE_BUG (none now) do not apply
};

// The engine's configuration: 4 sessions, 8-bit, 4 KiB buffers, fixed ISN kEngIss, every challenge
// ACK visible.
model::EngineConfig engine_config();

struct Result {
  bool ok = true;
  std::string report;                 // on failure: the readable diff
  std::vector<size_t> rows;           // divergence rows that matched, in order
  bool stopped = false;
};

// Runs `steps` on both sides.
Result run_sequence(const RunConfig& rc, const std::vector<Step>& steps);

// Runs a scripted sequence; fails on any unexplained difference, and checks that exactly the
// expected divergence rows (by key) were needed, so a mask never hides more than the test names.
// The everyday normalisations (window value, RST window, ACK coalescing) are not listed.
void scripted(const std::vector<Step>& steps, const std::vector<std::string>& expect_keys, RunConfig rc = RunConfig{});

// Run configurations: the server application holds what it receives (never reads); no row of
// kind ENGINE_BUG may apply (regressions of former engine bugs).
RunConfig hold();
RunConfig strict();

}  // namespace toe::differential
