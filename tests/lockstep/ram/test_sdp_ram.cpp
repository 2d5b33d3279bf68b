// SPDX-License-Identifier: Apache-2.0
// toe_sdp_ram against a plain array, clock by clock: random writes (half the clocks) and reads,
// with the read address often the one written at the same edge. Write-first (Transparent): the
// read after an edge shows the word at the address given before it, the edge's write included;
// read-first: the word as it stood before the edge. Each configuration is Verilated with its own
// parameters (CMakeLists.txt); the columns (DeepSlices) must read exactly as whole words do.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "Vtoe_sdp_ram_cols1_rf.h"
#include "Vtoe_sdp_ram_cols2_wf.h"
#include "Vtoe_sdp_ram_cols4_rf.h"
#include "Vtoe_sdp_ram_cols4_wf.h"
#include "Vtoe_sdp_ram_whole_rf.h"
#include "Vtoe_sdp_ram_whole_wf.h"
#include "verilated.h"

namespace {

// Runs `clocks` random clocks on a Verilated toe_sdp_ram of `width` x `depth`; returns the number
// of reads that differed from the array (the first few are reported).
template <class V>
uint64_t run(unsigned width, unsigned depth, bool write_first, uint64_t clocks, uint32_t seed) {
  auto ctx = std::make_unique<VerilatedContext>();
  auto v = std::make_unique<V>(ctx.get());
  std::mt19937 rng(seed);
  const uint32_t mask = width >= 32 ? ~0u : (1u << width) - 1u;
  std::vector<uint32_t> ref(depth, 0);
  // The memory has no reset: write every word first (through the port), as toe_tables' users do
  // before they read an entry.
  auto edge = [&] {
    v->clk_i = 0;
    v->eval();
    v->clk_i = 1;
    v->eval();
  };
  for (unsigned a = 0; a < depth; ++a) {
    v->wr_en_i = 1;
    v->wr_addr_i = a;
    v->wr_data_i = rng() & mask;
    ref[a] = v->wr_data_i;
    v->rd_addr_i = 0;
    edge();
  }
  uint64_t bad = 0, same_address = 0;
  uint32_t last = 0;  // the address the previous read named
  for (uint64_t c = 0; c < clocks; ++c) {
    const bool we = rng() & 1;
    // Addresses from a small window now and then, so that reads meet the writes.
    const uint32_t wa = (rng() & 3) ? rng() % depth : last;
    const uint32_t ra = (rng() % 3 == 0) ? wa : rng() % depth;
    const uint32_t wd = rng() & mask;
    v->wr_en_i = we;
    v->wr_addr_i = wa;
    v->wr_data_i = wd;
    v->rd_addr_i = ra;
    const uint32_t before = ref[ra];
    if (we) ref[wa] = wd;
    edge();
    const uint32_t want = write_first ? ref[ra] : before;
    if (we && wa == ra) ++same_address;
    if (uint32_t(v->rd_data_o) != want && ++bad <= 5)
      ADD_FAILURE() << "clock " << c << ": read " << ra << (we ? " (written " : " (no write") << (we ? std::to_string(wa) : "")
                    << ") gave 0x" << std::hex << uint32_t(v->rd_data_o) << ", the array 0x" << want;
    last = ra;
  }
  EXPECT_GT(same_address, clocks / 10) << "the stimulus reads the word written at the same edge often";
  return bad;
}

constexpr uint64_t kClocks = 200000;

TEST(SdpRam, FourBitColumnsWriteFirst) { EXPECT_EQ((run<Vtoe_sdp_ram_cols4_wf>(11, 5000, true, kClocks, 1)), 0u); }
TEST(SdpRam, FourBitColumnsReadFirst) { EXPECT_EQ((run<Vtoe_sdp_ram_cols4_rf>(11, 5000, false, kClocks, 2)), 0u); }
TEST(SdpRam, TwoBitColumnsWriteFirst) { EXPECT_EQ((run<Vtoe_sdp_ram_cols2_wf>(5, 9000, true, kClocks, 3)), 0u); }
TEST(SdpRam, OneBitColumnsReadFirst) { EXPECT_EQ((run<Vtoe_sdp_ram_cols1_rf>(3, 17000, false, kClocks, 4)), 0u); }
TEST(SdpRam, WholeWordsWriteFirst) { EXPECT_EQ((run<Vtoe_sdp_ram_whole_wf>(11, 5000, true, kClocks, 5)), 0u); }
TEST(SdpRam, WholeWordsReadFirst) { EXPECT_EQ((run<Vtoe_sdp_ram_whole_rf>(5, 9000, false, kClocks, 6)), 0u); }

}  // namespace
