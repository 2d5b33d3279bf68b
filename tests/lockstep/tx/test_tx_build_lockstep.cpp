// SPDX-License-Identifier: Apache-2.0
// toe_tx_build (rtl_model/rtl/tx, Verilated) in lockstep with toe::model::TxBuild, at each
// Verilated configuration, with 0/30/70 % backpressure: every output port compared on every clock
// (harness tx_build_lockstep.hpp, stimulus tx_build_stimulus.{hpp,cpp}: library toe_tx_build_stimulus).
//
// Environment: TOE_LOCKSTEP_SEED, TOE_LOCKSTEP_CYCLES (defaults per test: 2-4 million cycles).
#include <gtest/gtest.h>

#include "Vtoe_tx_build_w1.h"
#include "Vtoe_tx_build_w2.h"
#include "Vtoe_tx_build_w64.h"
#include "Vtoe_tx_build_w64s.h"
#include "Vtoe_tx_build_w8.h"
#include "tx_build_lockstep.hpp"

namespace {

using toe::lockstep::Config;
using toe::lockstep::lockstep;

// The configurations Verilated in CMakeLists.txt (keep in step with it).
constexpr Config kW1{1, 4, 2048};
constexpr Config kW2{2, 2, 128};
constexpr Config kW8{8, 5, 4096};
constexpr Config kW64{64, 3, 4096};
constexpr Config kW64s{64, 1, 64};  // one word per connection: every long payload wraps

}  // namespace

TEST(TxBuildLockstep, W1NoBackpressure) { lockstep<Vtoe_tx_build_w1>("w1_bp0", kW1, 0.0, 101, 4000000); }
TEST(TxBuildLockstep, W1Backpressure30) { lockstep<Vtoe_tx_build_w1>("w1_bp30", kW1, 0.3, 102, 4000000); }
TEST(TxBuildLockstep, W1Backpressure70) { lockstep<Vtoe_tx_build_w1>("w1_bp70", kW1, 0.7, 103, 4000000); }
TEST(TxBuildLockstep, W2Backpressure30) { lockstep<Vtoe_tx_build_w2>("w2_bp30", kW2, 0.3, 201, 2000000); }
TEST(TxBuildLockstep, W8NoBackpressure) { lockstep<Vtoe_tx_build_w8>("w8_bp0", kW8, 0.0, 801, 2000000); }
TEST(TxBuildLockstep, W8Backpressure30) {
  lockstep<Vtoe_tx_build_w8>("w8_bp30", kW8, 0.3, 802, 2000000, "lockstep_tx_w8_bp30.pcap");
}
TEST(TxBuildLockstep, W8Backpressure70) { lockstep<Vtoe_tx_build_w8>("w8_bp70", kW8, 0.7, 803, 2000000); }
TEST(TxBuildLockstep, W64NoBackpressure) { lockstep<Vtoe_tx_build_w64>("w64_bp0", kW64, 0.0, 6401, 2000000); }
TEST(TxBuildLockstep, W64Backpressure30) { lockstep<Vtoe_tx_build_w64>("w64_bp30", kW64, 0.3, 6402, 2000000); }
TEST(TxBuildLockstep, W64Backpressure70) { lockstep<Vtoe_tx_build_w64>("w64_bp70", kW64, 0.7, 6403, 2000000); }
TEST(TxBuildLockstep, W64SmallBufferBackpressure30) {
  lockstep<Vtoe_tx_build_w64s>("w64s_bp30", kW64s, 0.3, 6404, 2000000);
}
