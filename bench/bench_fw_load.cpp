// SPDX-License-Identifier: Apache-2.0
// bench_fw_load: the firmware's load on its core. Runs firmware/target/bench_tick.c (the firmware
// library built for PicoRV32, over a port in RAM) on the Verilated PicoRV32 of sim/rv32soc at one
// cycle a microsecond, reads its console lines
//   toe_fw_bench: sessions N idle I armed A fire F commands C
// and prints, per session count, the cycles of one pass of the main loop (toe_fw_poll +
// toe_fw_next_deadline_us) with no timer running, with N retransmission timers running and none
// due (a pass woken by an event), with one deadline passed (the walk of the timer table) and
// with all N due at once; then what that means for one core at --mhz (50): in the worst case,
// every connection's deadline passing once per --deadline-ms (1000: an RTO at its 1 s floor),
// the share of the core 256 sessions take and how many connections it keeps within --budget (0.5).
//
//   bench_fw_load [--image bench_tick.bin] [--mhz 50] [--deadline-ms 1000] [--budget 0.5] [--json F]
//
// Exit status 0 when the program ran to EXIT 0 and every figure was read; the JSON holds the same
// figures. Cycle counts are exact (the SoC is cycle-accurate and the program deterministic);
// the real port's register accesses take two clocks more each than this port in RAM.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "rv32_soc.hpp"

namespace {

struct Pass {
  uint64_t idle = 0, armed = 0, one = 0, one_commands = 0, fire = 0, commands = 0, event1 = 0, event16 = 0,
           events_left = 0;
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
  uint32_t deadline_ms = 1000;  // ms: every connection's deadline passes once this often
  std::string json_path;
  app.add_option("--image", image, "bench_tick.bin (the PicoRV32 target's build)");
  app.add_option("--mhz", mhz, "the core's clock")->check(CLI::PositiveNumber);
  app.add_option("--deadline-ms", deadline_ms, "every connection's timer deadline passes once this often (its RTO)")
      ->check(CLI::PositiveNumber);
  app.add_option("--budget", budget, "share of the core's cycles for the timers")->check(CLI::Range(0.01, 1.0));
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
    std::string tag, k1, k2, k3, k4, k5, k6, k7, k8, k9, k10;
    uint64_t n = 0;
    Pass p;
    if (in >> tag >> k1 >> n >> k2 >> p.idle >> k3 >> p.armed >> k4 >> p.one >> k5 >> p.one_commands >> k6 >>
            p.fire >> k7 >> p.commands >> k8 >> p.event1 >> k9 >> p.event16 >> k10 >> p.events_left &&
        tag == "toe_fw_bench:" && k1 == "sessions" && k2 == "idle" && k3 == "armed" && k4 == "one" &&
        k5 == "one_commands" && k6 == "fire" && k7 == "commands" && k8 == "event1" && k9 == "event16" &&
        k10 == "events_left")
      by_sessions[n] = p;
  }
  if (by_sessions.count(16) == 0 || by_sessions.count(256) == 0) {
    std::fprintf(stderr, "bench_fw_load: no figures for 16 and 256 sessions in the console:\n%s\n",
                 soc.console().c_str());
    return 1;
  }
  nlohmann::json j;
  j["core"] = "PicoRV32 (rv32im, Verilated), the firmware library at -Os over a port in RAM";
  std::printf("%-9s %8s %8s %10s %10s %10s %8s %9s\n", "sessions", "idle", "armed", "one_due", "all_due",
              "commands", "1_event", "16_events");
  for (const auto& [n, p] : by_sessions) {
    std::printf("%-9llu %8llu %8llu %10llu %10llu %10llu %8llu %9llu\n", static_cast<unsigned long long>(n),
                static_cast<unsigned long long>(p.idle), static_cast<unsigned long long>(p.armed),
                static_cast<unsigned long long>(p.one), static_cast<unsigned long long>(p.fire),
                static_cast<unsigned long long>(p.commands), static_cast<unsigned long long>(p.event1),
                static_cast<unsigned long long>(p.event16));
    j["sessions"][std::to_string(n)] = {{"idle_pass_cycles", p.idle},
                                        {"armed_pass_cycles", p.armed},
                                        {"one_due_pass_cycles", p.one},
                                        {"all_due_pass_cycles", p.fire},
                                        {"commands", p.commands},
                                        {"one_event_pass_cycles", p.event1},
                                        {"sixteen_events_pass_cycles", p.event16}};
    if (p.commands != n || p.one_commands != 1 || p.events_left != 0) {
      std::fprintf(stderr, "bench_fw_load: %llu sessions fell due but %llu commands went out\n",
                   static_cast<unsigned long long>(n), static_cast<unsigned long long>(p.commands));
      return 1;
    }
  }
  const Pass& a = by_sessions[16];
  const Pass& b = by_sessions[256];
  // A pass with nothing due costs `armed` whatever N (the earliest deadline is cached); a pass in
  // which a deadline has passed walks the table: base + walk * N, plus `firing` per timer that fires.
  const double walk = (double(b.one) - double(a.one)) / (256.0 - 16.0);
  const double base = double(a.one) - walk * 16.0;
  const double firing = (double(b.fire) - double(b.one)) / 255.0;
  // Worst case: every connection's deadline passes once per --tick-us * 1000 (its RTO, 1 s at
  // the floor): N walks of the table and N firings per second, N * (base + walk * N + firing).
  const double per_s = 1000.0 / double(deadline_ms);
  auto load = [&](double n) { return per_s * n * (base + walk * n + firing); };
  const double cycles_s = mhz * 1e6 * budget;
  // Largest N with load(N) <= cycles_s: walk * per_s * N^2 + (base + firing) * per_s * N - cycles_s = 0.
  const double qa = walk * per_s, qb = (base + firing) * per_s;
  const double keeps = qa > 0 ? (-qb + std::sqrt(qb * qb + 4 * qa * cycles_s)) / (2 * qa) : cycles_s / qb;
  std::printf("a pass with nothing due: %llu cycles at 16 and %llu at 256 sessions (%.1f us at %.0f MHz)\n",
              static_cast<unsigned long long>(a.armed), static_cast<unsigned long long>(b.armed),
              double(b.armed) / mhz, mhz);
  std::printf("a pass with a deadline passed: %.0f + %.1f cycles per connection; a timer firing %.0f cycles\n", base,
              walk, firing);
  std::printf("worst case, every deadline passing once per %.0f ms: 256 sessions take %.1f%% of a %.0f MHz core; "
              "within %.0f%% of it the core keeps %.0f connections\n",
              double(deadline_ms), 100.0 * load(256) / (mhz * 1e6), mhz, budget * 100, keeps);
  j["walk_base_cycles"] = base;
  j["walk_cycles_per_connection"] = walk;
  j["firing_cycles"] = firing;
  j["mhz"] = mhz;
  j["deadline_interval_ms"] = deadline_ms;
  j["budget"] = budget;
  j["load_256_sessions"] = load(256) / (mhz * 1e6);
  j["connections_per_core"] = keeps;
  // Events: the 15 more of a burst of 16 cost (event16 - event1) / 15 each.
  const double per_event = (double(b.event16) - double(b.event1)) / 15.0;
  std::printf("an event (retx_arm of ACK progress): %llu cycles alone in a pass, %.0f each in a burst: "
              "%.0f to %.0f events a second in %.0f%% of a %.0f MHz core\n",
              static_cast<unsigned long long>(b.event1), per_event, cycles_s / double(b.event1), cycles_s / per_event,
              budget * 100, mhz);
  j["event_alone_cycles"] = b.event1;
  j["event_in_burst_cycles"] = per_event;
  j["events_per_second"] = {cycles_s / double(b.event1), cycles_s / per_event};
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
