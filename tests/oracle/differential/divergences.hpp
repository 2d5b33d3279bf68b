// SPDX-License-Identifier: Apache-2.0
// The divergence table of the differential tests: every allowed difference between the engine
// and lwIP is one row (its key, CONFORMANCE.md ID, where it comes from, what differs, its kind and
// its predicate), documented in docs/divergences.md. A difference no row explains fails the test.
// The rows' match counts over the process are printed when the test program ends.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "stacks.hpp"

namespace toe::differential {

struct SideCtx {
  const In& in;
  const Pre& pre;
  const Obs& obs;
  const View& view;  // before the step
};
struct Hist {
  bool ooo_queued = false;       // lwIP queued an out-of-order data segment earlier (ooseq)
  bool mss_on_non_syn = false;    // a non-SYN segment with an MSS option reached a connection
};
struct Ctx {
  const Step& st;
  SideCtx e, l;  // engine, lwIP
  const Hist& hist;
};

enum class Kind : uint8_t {
  kSegment,    // two segments that differ only as described count as equal (field normalisation)
  kOutput,     // a normalisation of each side's output sequence of one step (applied to both)
  kStep,       // this step's difference is explained: ignore it, keep comparing
  kStop,       // explained, and the two sides' states differ from here on: stop comparing this sequence
  kEngineBug,  // an engine bug, kept out of CI until fixed (stop comparing): reported, not "allowed"
};
const char* kind_str(Kind k);

// Where a row comes from.
enum class Src : uint8_t {
  kNorm,    // a value that must differ (ISN, buffer sizes) or an equivalent encoding: normalised
  kListed,  // named in the "lwIP differs" column of CONFORMANCE.md for this ID
  kFound,   // a legitimate difference found by this test, not (yet) in CONFORMANCE.md
  kBug,     // an engine bug (kind kEngineBug)
};
const char* src_str(Src s);

struct Divergence {
  const char* key;   // stable short name, used by the scripted tests and docs/divergences.md
  const char* id;    // CONFORMANCE.md ID
  Src src;
  const char* what;  // the difference
  Kind kind;
  bool (*seg)(const NSeg& e, const NSeg& l, const Ctx& c);  // kSegment
  bool (*step)(const Ctx& c);                               // kStep, kStop, kEngineBug
  bool (*outs)(std::vector<NSeg>& out);                     // kOutput: normalise, true if it changed
};

// The table (divergences.cpp).
extern const Divergence kDivergences[];
extern const size_t kNumDivergences;

// The kSegment rows' predicates (the harness applies a row's normalisation by which one it is).
bool seg_window_nonzero(const NSeg& e, const NSeg& l, const Ctx& c);
bool seg_rst_window(const NSeg& e, const NSeg& l, const Ctx& c);
bool seg_rst_ack(const NSeg& e, const NSeg& l, const Ctx& c);

// Counts one match of row `row` (the counts are printed at the end of the test program).
void count_row_hit(size_t row);

}  // namespace toe::differential
