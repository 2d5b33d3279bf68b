// SPDX-License-Identifier: Apache-2.0
// toe_rx_csum (Verilated) in lockstep with toe::model::RxCsum. Both get the
// same beats (the RTL adds the checksums up while they arrive; the model reads
// the frame slot that its RxParse filled) and the same SegMeta input, the
// C++ RxParse's output register. Every output port is compared on every
// clock; the first mismatch is reported with cycle, port, both values and
// the seed, with a VCD of the RTL for the 200 cycles before it.
#include <gtest/gtest.h>

#include <array>
#include <iostream>
#include <random>

#include "Vtoe_rx_csum_db1.h"
#include "Vtoe_rx_csum_db2.h"
#include "Vtoe_rx_csum_db32.h"
#include "Vtoe_rx_csum_db64.h"
#include "Vtoe_rx_csum_db8.h"
#include "rx_lockstep.hpp"
#include "rx/conn_lookup.hpp"
#include "rx/rx_csum.hpp"
#include "rx/rx_parse.hpp"
#include "rx_stimulus.hpp"
#include "test_support.hpp"

namespace {

using namespace toe::lockstep;
using toe::model::AxisBeat;
using toe::model::Counter;
using toe::model::EngineConfig;
using toe::model::RxCsum;
using toe::model::RxParse;
using toe::model::Tables;

struct RunResult {
  std::optional<Mismatch> mismatch;
  uint64_t frames = 0, checked = 0, bad_csum = 0, odd_len = 0;
};

template <typename V>
RunResult run(uint32_t db, double idle, uint64_t seed, uint64_t cycles, const std::string& vcd = "",
              uint64_t trace_from = 0, uint64_t trace_to = 0) {
  RunResult res;
  std::mt19937_64 cfg_rng(seed);
  EngineConfig cfg;
  cfg.data_bytes = db;
  cfg.rx_buf_bytes = cfg.tx_buf_bytes = 64;
  for (auto& b : cfg.local_mac.b) b = static_cast<uint8_t>(cfg_rng());
  cfg.local_mac.b[0] &= 0xfe;
  cfg.local_ip = static_cast<uint32_t>(cfg_rng());
  Tables tables(cfg);
  RxParse parse(cfg.data_bytes, cfg.rx_slots, cfg, tables);
  RxCsum csum(tables);
  parse.reset();
  csum.reset();
  FrameGen gen(seed * 3 + 1, cfg.local_mac, cfg.local_ip);
  if (model_misses_tlast_overflow(db)) gen.avoid_lengths(toe::model::kMaxFrameBytes + 1, toe::model::kMaxFrameBytes + db);
  BeatSource src(seed * 5 + 2, db, idle, idle > 0 ? 0.2 : 0.0, gen);

  Dut<V> dut(vcd, trace_from, trace_to);
  dut.reset();
  const uint64_t keep_mask = db == 64 ? ~0ull : (1ull << db) - 1;

  for (uint64_t c = 0; c < cycles; ++c) {
    AxisBeat beat;
    bool tready = true;
    src.drive(beat, tready);
    const bool fire = beat.tvalid && tready;
    set_bytes(dut->s_axis_rx_tdata_i, beat.tdata.data(), db);
    dut->s_axis_rx_tkeep_i = beat.tkeep & keep_mask;
    dut->s_axis_rx_tvalid_i = beat.tvalid;
    dut->s_axis_rx_tready_i = tready;
    dut->s_axis_rx_tlast_i = beat.tlast;
    drive_meta(*dut, parse.q_valid, parse.q);

    const bool in_valid = parse.q_valid;
    const toe::model::SegMeta in = parse.q;
    parse.eval(beat, fire);
    csum.eval(parse.q_valid, parse.q);
    csum.commit();
    parse.commit();
    dut.tick();

    if (auto m = diff_meta(*dut, csum.q_valid, csum.q, c)) {
      m->note = "input meta: drop " + std::to_string(in.drop) + " reason " + std::to_string(int(in.reason)) +
                " ip_hlen " + std::to_string(in.ip_hlen) + " ip_total " + std::to_string(in.ip_total) + " slot " +
                std::to_string(in.slot);
      res.mismatch = m;
      return res;
    }
    if (in_valid) {
      ++res.frames;
      if (!in.drop && in.is_tcp) {
        ++res.checked;
        if (csum.q.drop) ++res.bad_csum;
        if ((in.ip_total - in.ip_hlen) % 2) ++res.odd_len;
      }
    }
    src.advance(fire);
  }
  return res;
}

template <typename V>
void lockstep(uint32_t db, int idle_pct) {
  const uint64_t seed = lockstep_seed(2000 + 100 * db + idle_pct);
  const uint64_t cycles = lockstep_cycles(db == 1 ? 3000000 : 1000000);  // few frames per cycle at 8 bits
  const double idle = idle_pct / 100.0;
  const RunResult r = run<V>(db, idle, seed, cycles);
  const std::string what = "toe_rx_csum DataBytes=" + std::to_string(db) + " idle=" + std::to_string(idle_pct) +
                           "% seed=" + std::to_string(seed);
  if (r.mismatch) {
    const uint64_t at = r.mismatch->cycle;
    const std::string vcd = toe::test::out_path("lockstep_rx_csum_db" + std::to_string(db) + "_idle" +
                                                std::to_string(idle_pct) + "_seed" + std::to_string(seed) + ".vcd");
    run<V>(db, idle, seed, at + 1, vcd, at > 200 ? at - 200 : 0, at);
    FAIL() << what << ": " << describe(*r.mismatch) << "\nVCD of the RTL, cycles " << (at > 200 ? at - 200 : 0)
           << ".." << at << ": " << vcd;
  }
  std::cout << "[" << what << "] " << cycles << " cycles, " << r.frames << " frames, " << r.checked
            << " checked (" << r.bad_csum << " bad checksum, " << r.odd_len << " of odd TCP length)\n";
  EXPECT_GT(r.checked - r.bad_csum, 0u);
  EXPECT_GT(r.bad_csum, 0u);
  EXPECT_GT(r.odd_len, 0u);
}

}  // namespace

TEST(RxCsumLockstep, Db1Idle0) { lockstep<Vtoe_rx_csum_db1>(1, 0); }
TEST(RxCsumLockstep, Db1Idle30) { lockstep<Vtoe_rx_csum_db1>(1, 30); }
TEST(RxCsumLockstep, Db1Idle70) { lockstep<Vtoe_rx_csum_db1>(1, 70); }
TEST(RxCsumLockstep, Db2Idle30) { lockstep<Vtoe_rx_csum_db2>(2, 30); }
TEST(RxCsumLockstep, Db8Idle0) { lockstep<Vtoe_rx_csum_db8>(8, 0); }
TEST(RxCsumLockstep, Db8Idle30) { lockstep<Vtoe_rx_csum_db8>(8, 30); }
TEST(RxCsumLockstep, Db8Idle70) { lockstep<Vtoe_rx_csum_db8>(8, 70); }
TEST(RxCsumLockstep, Db32Idle30) { lockstep<Vtoe_rx_csum_db32>(32, 30); }
TEST(RxCsumLockstep, Db64Idle0) { lockstep<Vtoe_rx_csum_db64>(64, 0); }
TEST(RxCsumLockstep, Db64Idle30) { lockstep<Vtoe_rx_csum_db64>(64, 30); }
TEST(RxCsumLockstep, Db64Idle70) { lockstep<Vtoe_rx_csum_db64>(64, 70); }
