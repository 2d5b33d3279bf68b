// SPDX-License-Identifier: Apache-2.0
// The connection index's hash (model::Tables::bucket_of; its RTL twins toe_tables' bucket_of and
// toe_conn_lookup, checked against it in lockstep): one peer's connections to one local port,
// from the ports a client stack picks, spread over the whole index. Linux's connect() picks even
// ephemeral ports; before the hash folded its upper half down, a product's low bits saw only the
// peer port's low 6 bits, so such connections shared 32 of 128 buckets and about one run in ten
// of 100 connections found a full bucket (8 ways) and had its SYN dropped (CNT_DROP_OVERFLOW).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "top/engine_config.hpp"
#include "top/tables.hpp"

namespace {

using toe::model::EngineConfig;
using toe::model::Tables;

// Every bucket reachable from one peer and one local port, and each bucket's share within 2x
// of the mean.
TEST(BucketHash, OnePeersPortsReachEveryBucketEvenly) {
  EngineConfig cfg;
  cfg.sessions = 128;
  const Tables t(cfg);
  ASSERT_EQ(t.buckets, 128u);
  for (const uint32_t step : {1u, 2u}) {  // any port; even ports only (Linux's connect)
    std::vector<uint32_t> load(t.buckets, 0);
    uint32_t n = 0;
    for (uint32_t port = 32768; port < 61000; port += step, ++n) ++load[t.bucket_of(0x0A000001u, uint16_t(port), 7)];
    const uint32_t mean = n / t.buckets;
    EXPECT_EQ(std::count(load.begin(), load.end(), 0u), 0) << "step " << step << ": unreachable buckets";
    EXPECT_LE(*std::max_element(load.begin(), load.end()), 2 * mean) << "step " << step;
    EXPECT_GE(*std::min_element(load.begin(), load.end()), mean / 2) << "step " << step;
  }
}

// 100 connections from consecutive even ports (a burst of connect() calls): no bucket holds
// more than its 8 ways, with room to spare.
TEST(BucketHash, AHundredConsecutiveEvenPortsFitTheWays) {
  EngineConfig cfg;
  cfg.sessions = 128;
  const Tables t(cfg);
  for (uint32_t first = 32768; first < 60000; first += 998) {
    std::vector<uint32_t> load(t.buckets, 0);
    uint32_t worst = 0;
    for (uint32_t i = 0; i < 100; ++i)
      worst = std::max(worst, ++load[t.bucket_of(0x0A000001u, uint16_t(first + 2 * i), 7)]);
    EXPECT_LE(worst, 4u) << "ports from " << first;
  }
}

}  // namespace
