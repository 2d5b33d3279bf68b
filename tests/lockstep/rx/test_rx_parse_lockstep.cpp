// SPDX-License-Identifier: Apache-2.0
// toe_rx_parse (Verilated) in lockstep with toe::model::RxParse: the same
// beats on every clock, every output port compared on every clock (SegMeta
// valid, and every field when valid; the frame slot read port whenever it
// is read). Stops at the first mismatch, reports cycle, port, both values
// and the seed, and dumps a VCD of the RTL for the 200 cycles before it.
#include <gtest/gtest.h>

#include <array>
#include <iostream>
#include <random>

#include "Vtoe_rx_parse_db1.h"
#include "Vtoe_rx_parse_db1_s6.h"
#include "Vtoe_rx_parse_db2.h"
#include "Vtoe_rx_parse_db32.h"
#include "Vtoe_rx_parse_db64.h"
#include "Vtoe_rx_parse_db8.h"
#include "Vtoe_rx_parse_db8_s6.h"
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
using toe::model::RxParse;
using toe::model::Tables;

constexpr size_t kReasons = size_t(Counter::kCount) + 1;

struct RunResult {
  std::optional<Mismatch> mismatch;
  uint64_t frames = 0, slot_reads = 0, with_options = 0;
  std::array<uint64_t, kReasons> reasons{};  // by meta.reason (kCount: accepted)
};

std::string frame_note(const RxFrame& f) {
  std::ostringstream s;
  s << "last frame: " << f.kind << ", " << f.bytes.size() << " bytes" << (f.tuser ? ", tuser" : "") << ":";
  for (size_t i = 0; i < f.bytes.size() && i < 160; ++i) s << (i % 32 ? " " : "\n  ") << hex(f.bytes[i]).substr(2);
  return s.str();
}

EngineConfig make_config(uint32_t db, uint32_t slots, uint64_t seed) {
  std::mt19937_64 rng(seed);
  EngineConfig cfg;
  cfg.data_bytes = db;
  cfg.rx_slots = slots;
  cfg.rx_buf_bytes = cfg.tx_buf_bytes = 64;  // Tables wants buffers; rx_parse does not use them
  for (auto& b : cfg.local_mac.b) b = static_cast<uint8_t>(rng());
  cfg.local_mac.b[0] &= 0xfe;
  cfg.local_ip = static_cast<uint32_t>(rng());
  return cfg;
}

template <typename V>
RunResult run(uint32_t db, uint32_t slots, double idle, uint64_t seed, uint64_t cycles, const std::string& vcd = "",
              uint64_t trace_from = 0, uint64_t trace_to = 0) {
  RunResult res;
  const EngineConfig cfg = make_config(db, slots, seed);
  Tables tables(cfg);
  RxParse parse(cfg.data_bytes, cfg.rx_slots, cfg, tables);
  parse.reset();
  FrameGen gen(seed * 3 + 1, cfg.local_mac, cfg.local_ip);
  if (model_misses_tlast_overflow(db)) gen.avoid_lengths(toe::model::kMaxFrameBytes + 1, toe::model::kMaxFrameBytes + db);
  BeatSource src(seed * 5 + 2, db, idle, idle > 0 ? 0.2 : 0.0, gen);
  std::mt19937_64 rng(seed * 7 + 3);

  Dut<V> dut(vcd, trace_from, trace_to);
  dut->local_mac_i = mac_u64(cfg.local_mac);
  dut->local_ip_i = cfg.local_ip;
  dut.reset();

  const uint32_t words = toe::model::kMaxFrameBytes / db;
  uint32_t word_bits = 0;
  while ((1u << word_bits) < words) ++word_bits;
  std::array<uint8_t, 64> expect{}, got{};
  const uint64_t keep_mask = db == 64 ? ~0ull : (1ull << db) - 1;
  RxFrame last;

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
    dut->s_axis_rx_tuser_i = beat.tuser;

    // The slot read port returns the word as it was before this cycle's write.
    const bool rd = rng() % 3 == 0;
    uint32_t rd_slot = 0, rd_word = 0;
    if (rd) {
      rd_slot = static_cast<uint32_t>(rng() % slots);
      rd_word = static_cast<uint32_t>(rng() % words);
      std::copy_n(tables.slots[rd_slot].begin() + rd_word * db, db, expect.begin());
      dut->slot_rd_addr_i = rd_slot << word_bits | rd_word;
    }
    dut->slot_rd_en_i = rd;

    parse.eval(beat, fire);
    parse.commit();
    dut.tick();
    if (fire && beat.tlast) last = src.current_frame();

    if (auto m = diff_meta(*dut, parse.q_valid, parse.q, c)) {
      m->note = frame_note(last);
      res.mismatch = m;
      return res;
    }
    if (rd) {
      ++res.slot_reads;
      get_bytes(dut->slot_rd_data_o, got.data(), db);
      for (uint32_t i = 0; i < db; ++i) {
        if (got[i] != expect[i]) {
          res.mismatch = Mismatch{c, "slot_rd_data_o", got[i], expect[i],
                                  "byte " + std::to_string(i) + " of slot " + std::to_string(rd_slot) + " word " +
                                      std::to_string(rd_word)};
          return res;
        }
      }
    }
    if (parse.q_valid) {
      ++res.frames;
      ++res.reasons[size_t(parse.q.reason)];
      if (parse.q.opts.has_mss || parse.q.opts.has_ts || parse.q.opts.has_wscale) ++res.with_options;
    }
    src.advance(fire);
  }
  return res;
}

template <typename V>
void lockstep(uint32_t db, int idle_pct, uint32_t slots = toe::model::kMaxRxSlots) {
  const uint64_t seed = lockstep_seed(1000 + 100 * db + idle_pct + 10000 * (toe::model::kMaxRxSlots - slots));
  const uint64_t cycles = lockstep_cycles(db == 1 ? 3000000 : 1000000);  // few frames per cycle at 8 bits
  const double idle = idle_pct / 100.0;
  const RunResult r = run<V>(db, slots, idle, seed, cycles);
  const std::string what = "toe_rx_parse DataBytes=" + std::to_string(db) + " RxSlots=" + std::to_string(slots) +
                           " idle=" + std::to_string(idle_pct) + "% seed=" + std::to_string(seed);
  if (r.mismatch) {
    const uint64_t at = r.mismatch->cycle;
    const std::string vcd = toe::test::out_path("lockstep_rx_parse_db" + std::to_string(db) + "_s" +
                                                std::to_string(slots) + "_idle" + std::to_string(idle_pct) + "_seed" +
                                                std::to_string(seed) + ".vcd");
    run<V>(db, slots, idle, seed, at + 1, vcd, at > 200 ? at - 200 : 0, at);
    FAIL() << what << ": " << describe(*r.mismatch) << "\nVCD of the RTL, cycles " << (at > 200 ? at - 200 : 0)
           << ".." << at << ": " << vcd;
  }
  if (model_misses_tlast_overflow(db))
    std::cout << "NOTE: the C++ RxParse misses oversize frames whose extra bytes all come in the tlast beat;"
                 " frames of " << toe::model::kMaxFrameBytes + 1 << ".." << toe::model::kMaxFrameBytes + db
              << " bytes left out\n";
  std::cout << "[" << what << "] " << cycles << " cycles, " << r.frames << " frames (" << r.reasons[size_t(Counter::kCount)]
            << " accepted, " << r.with_options << " with MSS/WS/TS; malformed "
            << r.reasons[size_t(Counter::kDropMalformed)] << ", not for us " << r.reasons[size_t(Counter::kDropNotForUs)]
            << ", fragment " << r.reasons[size_t(Counter::kDropFragment)] << ", ARP "
            << r.reasons[size_t(Counter::kArpIn)] << ", MAC error " << r.reasons[size_t(Counter::kDropMacError)]
            << "), " << r.slot_reads << " slot reads\n";
  // The stimulus reaches every verdict.
  EXPECT_GT(r.reasons[size_t(Counter::kCount)], 0u);
  EXPECT_GT(r.with_options, 0u);
  for (Counter c : {Counter::kDropMalformed, Counter::kDropNotForUs, Counter::kDropFragment, Counter::kArpIn,
                    Counter::kDropMacError})
    EXPECT_GT(r.reasons[size_t(c)], 0u) << to_string(c);
}

}  // namespace

TEST(RxParseLockstep, Db1Idle0) { lockstep<Vtoe_rx_parse_db1>(1, 0); }
TEST(RxParseLockstep, Db1Idle30) { lockstep<Vtoe_rx_parse_db1>(1, 30); }
TEST(RxParseLockstep, Db1Idle70) { lockstep<Vtoe_rx_parse_db1>(1, 70); }
TEST(RxParseLockstep, Db2Idle30) { lockstep<Vtoe_rx_parse_db2>(2, 30); }
TEST(RxParseLockstep, Db8Idle0) { lockstep<Vtoe_rx_parse_db8>(8, 0); }
TEST(RxParseLockstep, Db8Idle30) { lockstep<Vtoe_rx_parse_db8>(8, 30); }
TEST(RxParseLockstep, Db8Idle70) { lockstep<Vtoe_rx_parse_db8>(8, 70); }
TEST(RxParseLockstep, Db32Idle30) { lockstep<Vtoe_rx_parse_db32>(32, 30); }
TEST(RxParseLockstep, Db64Idle0) { lockstep<Vtoe_rx_parse_db64>(64, 0); }
TEST(RxParseLockstep, Db64Idle30) { lockstep<Vtoe_rx_parse_db64>(64, 30); }
TEST(RxParseLockstep, Db64Idle70) { lockstep<Vtoe_rx_parse_db64>(64, 70); }
// Fewer frame slots (RxSlots 6: the slot number wraps at 5, the slot RAM is 6 x 1,536 bytes).
TEST(RxParseLockstep, Db1Slots6Idle30) { lockstep<Vtoe_rx_parse_db1_s6>(1, 30, 6); }
TEST(RxParseLockstep, Db8Slots6Idle0) { lockstep<Vtoe_rx_parse_db8_s6>(8, 0, 6); }
