// SPDX-License-Identifier: Apache-2.0
// toe_conn_lookup (Verilated) in lockstep with toe::model::ConnLookup, over
// random SegMeta inputs (dropped or not, TCP or not, every field random) at
// several Sessions values. Every output port is compared on every clock; the
// combinational index read address is compared with Tables::bucket_of of the
// key presented (the next cycle's segment's, else a random one), and the bucket
// read with the segment's in the cycle it enters.
#include <gtest/gtest.h>

#include <iostream>
#include <random>

#include "Vtoe_conn_lookup_s1.h"
#include "Vtoe_conn_lookup_s100.h"
#include "Vtoe_conn_lookup_s16.h"
#include "Vtoe_conn_lookup_s65536.h"
#include "rx_lockstep.hpp"
#include "rx/conn_lookup.hpp"
#include "rx/rx_csum.hpp"
#include "rx/rx_parse.hpp"
#include "test_support.hpp"

namespace {

using namespace toe::lockstep;
using toe::model::ConnLookup;
using toe::model::Counter;
using toe::model::EngineConfig;
using toe::model::SegMeta;
using toe::model::Tables;

SegMeta random_meta(std::mt19937_64& rng) {
  SegMeta m;
  m.drop = rng() % 10 < 3;
  m.reason = static_cast<Counter>(rng() % (size_t(Counter::kCount) + 1));
  m.is_tcp = rng() % 10 < 8;
  m.smac = mac_from_u64(rng());
  m.sip = static_cast<uint32_t>(rng());
  if (rng() % 4 == 0) m.sip = 0x0A000000u | static_cast<uint32_t>(rng() % 4);  // few peers, many ports
  m.dip = static_cast<uint32_t>(rng());
  m.sport = static_cast<uint16_t>(rng());
  m.dport = static_cast<uint16_t>(rng() % 2 ? 80 : rng());
  m.seq = static_cast<uint32_t>(rng());
  m.ack = static_cast<uint32_t>(rng());
  m.flags = static_cast<uint8_t>(rng());
  m.window = static_cast<uint16_t>(rng());
  m.opts.has_mss = rng() & 1;
  m.opts.mss = static_cast<uint16_t>(rng());
  m.opts.has_wscale = rng() & 1;
  m.opts.wscale = static_cast<uint8_t>(rng());
  m.opts.sack_permitted = rng() & 1;
  m.opts.has_ts = rng() & 1;
  m.opts.ts_val = static_cast<uint32_t>(rng());
  m.opts.ts_ecr = static_cast<uint32_t>(rng());
  m.payload_off = static_cast<uint16_t>(rng());
  m.payload_len = static_cast<uint16_t>(rng());
  m.ip_off = static_cast<uint16_t>(rng());
  m.ip_hlen = static_cast<uint16_t>(rng());
  m.ip_total = static_cast<uint16_t>(rng());
  m.slot = static_cast<uint8_t>(rng() % toe::model::kMaxRxSlots);
  m.bucket = 0;  // as rx_csum hands it on
  return m;
}

struct RunResult {
  std::optional<Mismatch> mismatch;
  uint64_t hashed = 0;
};

template <typename V>
RunResult run(uint32_t sessions, double idle, uint64_t seed, uint64_t cycles, const std::string& vcd = "",
              uint64_t trace_from = 0, uint64_t trace_to = 0) {
  RunResult res;
  EngineConfig cfg;
  cfg.sessions = sessions;
  cfg.rx_buf_bytes = cfg.tx_buf_bytes = 64;
  Tables tables(cfg);
  ConnLookup lookup(tables);
  lookup.reset();
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  Dut<V> dut(vcd, trace_from, trace_to);
  dut.reset();

  // The key hashed in a cycle is the next cycle's segment's (toe_top: the segment rx_csum takes in),
  // else an alternate key (toe_top: the command offered), so the stimulus runs a cycle ahead.
  // (No segment in cycle 0: none was presented before it.)
  bool next_valid = false;
  SegMeta next = random_meta(rng);
  uint32_t bucket_q = 0;  // the bucket hashed the cycle before: the one read now
  for (uint64_t c = 0; c < cycles; ++c) {
    const bool valid = next_valid;
    const SegMeta in = next;
    next_valid = u(rng) >= idle;
    next = random_meta(rng);
    drive_meta(*dut, valid, in);
    uint32_t key_sip = next.sip;
    uint16_t key_sport = next.sport, key_dport = next.dport;
    if (!next_valid) {
      key_sip = static_cast<uint32_t>(rng());
      key_sport = static_cast<uint16_t>(rng());
      key_dport = static_cast<uint16_t>(rng());
    }
    dut->key_sip_i = key_sip;
    dut->key_sport_i = key_sport;
    dut->key_dport_i = key_dport;
    dut.settle();
    const bool hashed = in.is_tcp && !in.drop;
    const uint32_t bucket = tables.bucket_of(key_sip, key_sport, key_dport);
    if (dut->index_rd_bucket_o != bucket) {
      res.mismatch = Mismatch{c, "index_rd_bucket_o", dut->index_rd_bucket_o, bucket, ""};
      return res;
    }
    if (c > 0 && dut->index_bucket_o != bucket_q) {
      res.mismatch = Mismatch{c, "index_bucket_o", dut->index_bucket_o, bucket_q, ""};
      return res;
    }
    bucket_q = bucket;
    lookup.eval(valid, in);
    lookup.commit();
    dut.tick();
    if (auto m = diff_meta(*dut, lookup.q_valid, lookup.q, c)) {
      res.mismatch = m;
      return res;
    }
    if (lookup.q_valid && dut->meta_bucket_o != lookup.q.bucket) {
      res.mismatch = Mismatch{c, "meta_bucket_o", dut->meta_bucket_o, lookup.q.bucket, ""};
      return res;
    }
    if (valid && hashed) ++res.hashed;
  }
  return res;
}

template <typename V>
void lockstep(uint32_t sessions, int idle_pct) {
  const uint64_t seed = lockstep_seed(3000 + sessions + idle_pct);
  const uint64_t cycles = lockstep_cycles();
  const double idle = idle_pct / 100.0;
  const RunResult r = run<V>(sessions, idle, seed, cycles);
  const std::string what = "toe_conn_lookup Sessions=" + std::to_string(sessions) + " idle=" +
                           std::to_string(idle_pct) + "% seed=" + std::to_string(seed);
  if (r.mismatch) {
    const uint64_t at = r.mismatch->cycle;
    const std::string vcd = toe::test::out_path("lockstep_conn_lookup_s" + std::to_string(sessions) + "_idle" +
                                                std::to_string(idle_pct) + "_seed" + std::to_string(seed) + ".vcd");
    run<V>(sessions, idle, seed, at + 1, vcd, at > 200 ? at - 200 : 0, at);
    FAIL() << what << ": " << describe(*r.mismatch) << "\nVCD of the RTL, cycles " << (at > 200 ? at - 200 : 0)
           << ".." << at << ": " << vcd;
  }
  std::cout << "[" << what << "] " << cycles << " cycles, " << r.hashed << " segments hashed\n";
  EXPECT_GT(r.hashed, 0u);
}

}  // namespace

TEST(ConnLookupLockstep, S1Idle0) { lockstep<Vtoe_conn_lookup_s1>(1, 0); }
TEST(ConnLookupLockstep, S1Idle30) { lockstep<Vtoe_conn_lookup_s1>(1, 30); }
TEST(ConnLookupLockstep, S16Idle0) { lockstep<Vtoe_conn_lookup_s16>(16, 0); }
TEST(ConnLookupLockstep, S16Idle30) { lockstep<Vtoe_conn_lookup_s16>(16, 30); }
TEST(ConnLookupLockstep, S16Idle70) { lockstep<Vtoe_conn_lookup_s16>(16, 70); }
TEST(ConnLookupLockstep, S100Idle0) { lockstep<Vtoe_conn_lookup_s100>(100, 0); }
TEST(ConnLookupLockstep, S100Idle30) { lockstep<Vtoe_conn_lookup_s100>(100, 30); }
TEST(ConnLookupLockstep, S65536Idle0) { lockstep<Vtoe_conn_lookup_s65536>(65536, 0); }
TEST(ConnLookupLockstep, S65536Idle70) { lockstep<Vtoe_conn_lookup_s65536>(65536, 70); }
