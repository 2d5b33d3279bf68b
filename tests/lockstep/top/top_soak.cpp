// SPDX-License-Identifier: Apache-2.0
// top_soak: the long whole-engine lockstep run (bench target, not in CI) and the
// model-vs-RTL speed figure: the same stimulus drives both, and the time spent in each
// side's clock() is measured in the same run.
//
//   build/default/tests/lockstep/top/top_soak --cycles 1000000000 --seed 7 [--idle 30 --bp 30 | --sweep]
//
// One line per chunk (flushed, so a long run can be watched), then the totals.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "top_lockstep.hpp"

int main(int argc, char** argv) {
  CLI::App app{"toe_top lockstep soak: model vs Verilated RTL on every port every clock"};
  uint64_t cycles = 10000000, seed = 1, chunk = 10000000;
  uint32_t idle = 0, bp = 0;
  std::string vcd_dir = ".";
  bool sweep = false;
  app.add_option("--cycles", cycles, "total clock cycles")->check(CLI::PositiveNumber);
  app.add_option("--seed", seed, "first stimulus seed (each chunk uses the next)");
  app.add_option("--chunk", chunk, "cycles per run (a fresh reset and seed per chunk)")->check(CLI::PositiveNumber);
  app.add_option("--idle", idle, "rx idle cycles (%)")->check(CLI::Range(0, 99));
  app.add_option("--bp", bp, "tx/event backpressure (%)")->check(CLI::Range(0, 99));
  app.add_flag("--sweep", sweep,
               "chunk i runs rx idle {0,30,70}[i%3] and backpressure {0,30,70}[(i/3)%3] (overrides --idle/--bp)");
  app.add_option("--vcd-dir", vcd_dir, "where the VCDs of a mismatch go");
  CLI11_PARSE(app, argc, argv);
  double ms = 0, rs = 0;
  uint64_t done = 0, frames = 0;
  static constexpr uint32_t kLevels[3] = {0, 30, 70};
  for (uint64_t s = seed; done < cycles; ++s) {
    toe::lockstep::TopConfig c;
    c.seed = s;
    const uint64_t i = s - seed;
    c.rx_idle_pct = sweep ? kLevels[i % 3] : idle;
    const uint32_t b = sweep ? kLevels[(i / 3) % 3] : bp;
    c.tx_bp_pct = b;
    c.evt_bp_pct = b / 2;
    c.vcd_dir = vcd_dir;
    const auto r = toe::lockstep::run_top_lockstep(c, std::min(chunk, cycles - done));
    std::printf("seed %llu (idle %u%%, bp %u%%): %s\n", static_cast<unsigned long long>(s), c.rx_idle_pct, b,
                r.report().c_str());
    std::fflush(stdout);
    if (!r.ok) return 1;
    done += r.cycles;
    frames += r.frames_in + r.frames_out;
    ms += r.model_seconds;
    rs += r.rtl_seconds;
  }
  std::printf("%llu cycles, %llu frames in+out, zero mismatches\n", static_cast<unsigned long long>(done),
              static_cast<unsigned long long>(frames));
  std::printf("model: %.2f M cycles/s   Verilated RTL: %.2f M cycles/s   model/RTL speed ratio: %.1fx\n",
              done / ms / 1e6, done / rs / 1e6, rs / ms);
  return 0;
}
