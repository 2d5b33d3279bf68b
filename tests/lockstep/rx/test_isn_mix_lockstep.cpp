// SPDX-License-Identifier: Apache-2.0
// toe_isn_mix (Verilated) in lockstep with toe::model::IsnMix: a random 4-tuple every cycle (a
// few peers and ports now and then, as segments of one connection would repeat), the key
// registers LOCAL_IP and ISN_SECRET rewritten now and then, mix_o compared on every clock. The
// model's q is also checked against toe::isn_mix of the key presented two cycles before, with
// the registers of that cycle: the two stages together are the one function.
#include <gtest/gtest.h>

#include <iostream>
#include <random>

#include "Vtoe_isn_mix.h"
#include "rx/isn_mix.hpp"
#include "rx_lockstep.hpp"
#include "test_support.hpp"

namespace {

using namespace toe::lockstep;
using toe::model::EngineConfig;
using toe::model::IsnMix;

struct Presented {
  IsnMix::Key key;
  uint32_t local_ip = 0;
  uint32_t secret[4] = {0, 0, 0, 0};
};

std::optional<Mismatch> run(uint64_t seed, uint64_t cycles, double reg_rate, const std::string& vcd = "",
                            uint64_t trace_from = 0, uint64_t trace_to = 0) {
  EngineConfig cfg;
  IsnMix mix(cfg);  // cfg's LOCAL_IP and ISN_SECRET: the mix's key
  mix.reset();
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  Dut<Vtoe_isn_mix> dut(vcd, trace_from, trace_to);
  dut.reset();
  Presented prev;  // what was presented in the cycle before
  for (uint64_t c = 0; c < cycles; ++c) {
    IsnMix::Key key{static_cast<uint32_t>(rng()), static_cast<uint16_t>(rng()), static_cast<uint16_t>(rng())};
    if (rng() % 4 == 0) key = {0x0A000000u | static_cast<uint32_t>(rng() % 4), static_cast<uint16_t>(rng() % 8), 80};
    if (c == 0 || u(rng) < reg_rate) {
      cfg.local_ip = static_cast<uint32_t>(rng());
      for (uint32_t& w : cfg.isn_secret) w = static_cast<uint32_t>(rng());
    }
    dut->key_rip_i = key.ip;
    dut->key_rport_i = key.port;
    dut->key_lport_i = key.lport;
    dut->local_ip_i = cfg.local_ip;
    for (int k = 0; k < 4; ++k) dut->isn_secret_i[k] = cfg.isn_secret[k];
    mix.eval(key);
    mix.commit();
    dut.tick();
    if (dut->mix_o != mix.q) return Mismatch{c, "mix_o", dut->mix_o, mix.q, ""};
    // The model against the one function: after the clock of cycle c, q is the mix of what was
    // presented in cycle c - 1 (in cycle 0, of the reset state).
    if (c >= 1) {
      const uint32_t want = toe::isn_mix(prev.secret, prev.local_ip, prev.key.ip, prev.key.port, prev.key.lport);
      if (mix.q != want) return Mismatch{c, "IsnMix::q (rtl column) vs toe::isn_mix (model column)", mix.q, want, ""};
    }
    prev.key = key;
    prev.local_ip = cfg.local_ip;
    for (int k = 0; k < 4; ++k) prev.secret[k] = cfg.isn_secret[k];
  }
  return std::nullopt;
}

void lockstep(double reg_rate, uint64_t seed_base) {
  const uint64_t seed = lockstep_seed(seed_base);
  const uint64_t cycles = lockstep_cycles();
  const std::string what = "toe_isn_mix reg_rate=" + std::to_string(reg_rate) + " seed=" + std::to_string(seed);
  if (auto m = run(seed, cycles, reg_rate)) {
    const uint64_t at = m->cycle;
    const std::string vcd = toe::test::out_path("lockstep_isn_mix_seed" + std::to_string(seed) + ".vcd");
    run(seed, at + 1, reg_rate, vcd, at > 200 ? at - 200 : 0, at);
    FAIL() << what << ": " << describe(*m) << "\nVCD of the RTL, cycles " << (at > 200 ? at - 200 : 0) << ".."
           << at << ": " << vcd;
  }
  std::cout << "[" << what << "] " << cycles << " cycles\n";
}

}  // namespace

// The key registers rewritten in 1 % of the cycles, and in every cycle (each stage takes its own).
TEST(IsnMixLockstep, Registers1Pct) { lockstep(0.01, 4100); }
TEST(IsnMixLockstep, RegistersEveryCycle) { lockstep(1.0, 4101); }
