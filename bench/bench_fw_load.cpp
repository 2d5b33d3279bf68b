// SPDX-License-Identifier: Apache-2.0
// bench_fw_load: the firmware's load on its core. Runs firmware/target/bench_tick.c (the firmware
// library built for PicoRV32, over a port in RAM) on the Verilated PicoRV32 of sim/rv32soc at one
// cycle a microsecond, reads its console lines
//   toe_fw_bench: sessions N idle I armed A fire F commands C
// and prints, per session count, the cycles of one pass of the main loop (toe_fw_poll +
// toe_fw_next_deadline_us) with no timer running, with N retransmission timers running (none
// due), and with all N falling due at once; then what that means for one core at --mhz (50):
// the cost per connection per pass, and how many connections the core keeps if it makes a pass
// every --tick-us (1000: the firmware's clock granularity G) using at most --budget (0.5) of its
// cycles for them.
//
//   bench_fw_load [--image bench_tick.bin] [--mhz 50] [--tick-us 1000] [--budget 0.5] [--json F]
//
// Exit status 0 when the program ran to EXIT 0 and every figure was read; the JSON holds the same
// figures. Cycle counts are exact (the SoC is cycle-accurate and the program deterministic);
// the real port's register accesses take two clocks more each than this port in RAM.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "rv32_soc.hpp"

namespace {

struct Pass {
  uint64_t idle = 0, armed = 0, fire = 0, commands = 0;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"The firmware's main-loop cost on PicoRV32 at 16 and 256 sessions"};
  std::string image =
#ifdef TOE_FW_PICORV32_BENCH_BIN
      TOE_FW_PICORV32_BENCH_BIN;
#else
      "";
#endif
  double mhz = 50, budget = 0.5;
  uint32_t tick_us = 1000;
  std::string json_path;
  app.add_option("--image", image, "bench_tick.bin (the PicoRV32 target's build)");
  app.add_option("--mhz", mhz, "the core's clock")->check(CLI::PositiveNumber);
  app.add_option("--tick-us", tick_us, "a main-loop pass every this many microseconds")->check(CLI::PositiveNumber);
  app.add_option("--budget", budget, "share of the core's cycles for the passes")->check(CLI::Range(0.01, 1.0));
  app.add_option("--json", json_path, "write the figures as JSON");
  CLI11_PARSE(app, argc, argv);
  if (image.empty()) {
    std::fprintf(stderr, "bench_fw_load: no image (--image; the build has no PicoRV32 firmware target)\n");
    return 2;
  }

  toe::rv32soc::Rv32Soc soc(1);
  std::string err;
  if (!soc.load_image_file(image, &err)) {
    std::fprintf(stderr, "bench_fw_load: %s\n", err.c_str());
    return 2;
  }
  soc.start();
  soc.run_until([&] { return !soc.running(); }, 200000000);
  if (soc.state() != toe::rv32soc::RunState::kExited || soc.exit_code() != 0) {
    std::fprintf(stderr, "bench_fw_load: the program did not exit 0 (%s)\nconsole:\n%s\n", soc.error().c_str(),
                 soc.console().c_str());
    return 1;
  }
  std::map<uint64_t, Pass> by_sessions;
  std::istringstream lines(soc.console());
  for (std::string line; std::getline(lines, line);) {
    std::istringstream in(line);
    std::string tag, k1, k2, k3, k4, k5;
    uint64_t n = 0;
    Pass p;
    if (in >> tag >> k1 >> n >> k2 >> p.idle >> k3 >> p.armed >> k4 >> p.fire >> k5 >> p.commands &&
        tag == "toe_fw_bench:" && k1 == "sessions" && k2 == "idle" && k3 == "armed" && k4 == "fire" &&
        k5 == "commands")
      by_sessions[n] = p;
  }
  if (by_sessions.count(16) == 0 || by_sessions.count(256) == 0) {
    std::fprintf(stderr, "bench_fw_load: no figures for 16 and 256 sessions in the console:\n%s\n",
                 soc.console().c_str());
    return 1;
  }
  nlohmann::json j;
  j["core"] = "PicoRV32 (rv32im, Verilated), the firmware library at -Os over a port in RAM";
  std::printf("%-9s %10s %12s %12s %14s %10s\n", "sessions", "idle", "armed", "fire_all", "per_fire", "commands");
  for (const auto& [n, p] : by_sessions) {
    std::printf("%-9llu %10llu %12llu %12llu %14.1f %10llu\n", static_cast<unsigned long long>(n),
                static_cast<unsigned long long>(p.idle), static_cast<unsigned long long>(p.armed),
                static_cast<unsigned long long>(p.fire), double(p.fire) / double(n),
                static_cast<unsigned long long>(p.commands));
    j["sessions"][std::to_string(n)] = {{"idle_pass_cycles", p.idle},
                                        {"armed_pass_cycles", p.armed},
                                        {"fire_all_pass_cycles", p.fire},
                                        {"commands", p.commands}};
    if (p.commands != n) {
      std::fprintf(stderr, "bench_fw_load: %llu sessions fell due but %llu commands went out\n",
                   static_cast<unsigned long long>(n), static_cast<unsigned long long>(p.commands));
      return 1;
    }
  }
  const Pass& a = by_sessions[16];
  const Pass& b = by_sessions[256];
  // A pass costs about base + per_conn * N (the timer table is walked twice: fire and next).
  const double per_conn = (double(b.armed) - double(a.armed)) / (256.0 - 16.0);
  const double base = double(a.armed) - per_conn * 16.0;
  const double cycles_per_tick = mhz * tick_us * budget;
  const double keeps = per_conn > 0 ? (cycles_per_tick - base) / per_conn : 0.0;
  const double per_fire = (double(b.fire) - double(b.armed)) / 256.0;
  std::printf("a pass: %.0f + %.1f cycles per connection; a timer firing %.0f cycles more\n", base, per_conn, per_fire);
  std::printf("at %.0f MHz, a pass every %u us within %.0f%% of the core: %.0f connections "
              "(%.1f us a pass at 256 sessions)\n",
              mhz, tick_us, budget * 100, keeps, double(b.armed) / mhz);
  j["pass_base_cycles"] = base;
  j["pass_cycles_per_connection"] = per_conn;
  j["firing_cycles"] = per_fire;
  j["mhz"] = mhz;
  j["tick_us"] = tick_us;
  j["budget"] = budget;
  j["connections_per_core"] = keeps;
  if (!json_path.empty()) {
    std::ofstream out(json_path);
    out << j.dump(2) << "\n";
    if (!out) {
      std::fprintf(stderr, "bench_fw_load: cannot write %s\n", json_path.c_str());
      return 2;
    }
  }
  return 0;
}
