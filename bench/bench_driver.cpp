// SPDX-License-Identifier: Apache-2.0
// Host driver benchmark (issue 14): what an application sees through the C driver
// (host_driver/, the toe_* API), in process and out of process. Not run by CI; figures go to
// docs/performance.md ("Host driver").
//
//   build/.../bench/bench_driver [--mb N] [--conns N] [--kib-per-conn N] [--reads N]
//                                [--toe-sim PATH] [--json out.json]
//
// Transports, one platform configuration (the C++ model, 64-bit datapath, 125 MHz; a 1 Gb/s link
// with 5 us propagation each way; the firmware timers with a 10 ms RTO and MSL; lwIP the peer):
//   in-process      the driver in an SC_THREAD on the device's host port (tests/driver's
//                   DriverTlm: one b_transport per register access, windows by the bus);
//   out-of-process  the driver in this process, the platform in `toe_sim serve --socket PATH`
//                   (started here; host_driver's toe_transport: one socket round trip per access).
// Runs:
//   goodput 1 conn   the driver connects to an lwIP listener whose application sends --mb MiB
//                    (source:BYTES, byte i = (7i+3) & 0xff) and closes; the driver reads it all
//                    with toe_recv (checked byte for byte), shuts down, waits for the close;
//   goodput N conns  --conns connections to that listener (each --kib-per-conn KiB), opened one
//                    after the other with toe_connect, then read round-robin (Sessions 128);
//   mmio             --reads register reads (TYPE) through the transport's read32: wall ns per
//                    read (mean), for the socket, the BAR-file mailbox and the in-process bus.
// Goodput is host-visible: bytes the application received, from the first toe_connect to the
// last byte read, per second of simulated time and per second of wall time (MB = 10^6 bytes).
// The ratios printed at the end are between rows of this one run.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <systemc>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "platform.hpp"
#include "tlm_bench.hpp"  // fresh_simulation
#include "driver_tlm.hpp"
#include "toe/toe_driver.h"
#include "toe/toe_transport.h"
#include "toe/toe_wire.h"
#include "toe_regs.h"

#ifndef TOE_SIM_PATH
#define TOE_SIM_PATH "toe_sim"
#endif

namespace {

using Clock = std::chrono::steady_clock;
using sc_core::sc_time;

constexpr uint32_t kSecond = 1000000;  // us
constexpr uint16_t kPeerPort = 9000;

// What the application did, and how long it took.
struct Result {
  bool ok = false;
  std::string error;       // the first failure
  uint64_t bytes = 0;      // received by the application
  double sim_s = 0;        // simulated time, first connect to last byte
  double wall_s = 0;       // wall time, the same
  uint64_t accesses = 0;   // register accesses in that time
  double ns_per_read = 0;  // mmio runs
  double sim_ns_per_read = 0;
};

// The platform both transports run: serve's PlatformConfig for these options (serve.cpp).
toe::sc::PlatformConfig platform_config(uint32_t sessions) {
  toe::sc::PlatformConfig cfg;
  cfg.device.params.sessions = sessions;
  for (toe::sc::LinkConfig* l : {&cfg.to_peer, &cfg.to_device}) {
    l->rate_bps = 1000000000;
    l->propagation_delay = sc_time(5, sc_core::SC_US);
  }
  cfg.timers.rto_initial = sc_time(10, sc_core::SC_MS);
  cfg.timers.msl = sc_time(10, sc_core::SC_MS);
  return cfg;
}
// The same as toe_sim serve options.
std::vector<std::string> serve_args(uint32_t sessions, size_t bytes_per_conn) {
  return {"--sessions", std::to_string(sessions), "--rate-mbps", "1000", "--delay-us", "5", "--rto-ms", "10",
          "--msl-ms", "10", "--peer-listen", std::to_string(kPeerPort), "--peer-app",
          "source:" + std::to_string(bytes_per_conn)};
}

toe_result_t configure(toe_dev_t* dev) {
  const toe::sc::PlatformConfig defaults;
  toe_net_config_t net{};
  for (int i = 0; i < 6; ++i) net.mac[i] = defaults.engine_mac.b[size_t(i)];
  net.ipv4 = defaults.engine_ip;
  net.enable = 1;
  return toe_configure(dev, &net);
}

// The application, the same calls over either transport: `conns` connections to the lwIP
// source listener, every byte read and checked, then each shut down and freed.
template <typename Accesses>
void run_sink(toe_dev_t* dev, int conns, size_t bytes, Accesses accesses, Result& res) {
  const toe::sc::PlatformConfig defaults;
  const toe_mmio_t& mmio = dev->mmio;
  const auto fail = [&](const char* what, toe_result_t r) {
    res.error = std::string(what) + ": " + toe_result_str(r);
    return;
  };
  const auto t0 = Clock::now();
  const uint64_t s0 = mmio.now_us(mmio.ctx);
  const uint64_t a0 = accesses();
  std::vector<uint32_t> ids(size_t(conns), 0);
  std::vector<size_t> got(size_t(conns), 0);
  std::vector<bool> eof(size_t(conns), false);
  for (int k = 0; k < conns; ++k) {
    toe_connect_params_t cp{};
    cp.ipv4 = defaults.lwip.peer.local_ip;
    cp.port = kPeerPort;
    cp.lport = uint16_t(40000 + k);
    for (int i = 0; i < 6; ++i) cp.peer_mac[i] = defaults.lwip.mac.b[size_t(i)];
    const toe_result_t r = toe_connect(dev, &cp, 5 * kSecond, &ids[size_t(k)]);
    if (r != TOE_OK) return fail("toe_connect", r);
  }
  std::vector<uint8_t> buf(16384);
  int open = conns;
  while (open > 0) {
    bool moved = false;
    for (size_t k = 0; k < size_t(conns); ++k) {
      if (eof[k]) continue;
      size_t n = 0;
      const toe_result_t r = toe_recv(dev, ids[k], buf.data(), buf.size(), 0, &n);
      for (size_t i = 0; i < n; ++i) {
        if (buf[i] != uint8_t(((got[k] + i) * 7 + 3) & 0xFF)) {
          res.error = "byte " + std::to_string(got[k] + i) + " of connection " + std::to_string(k) + " differs";
          return;
        }
      }
      got[k] += n;
      res.bytes += n;
      moved = moved || n > 0;
      if (r == TOE_CLOSED) {
        eof[k] = true;
        --open;
      } else if (r != TOE_OK && r != TOE_WOULD_BLOCK) {
        return fail("toe_recv", r);
      }
    }
    if (!moved && open > 0) {
      const toe_result_t r = toe_wait_event(dev, 100000, nullptr);
      if (r != TOE_OK && r != TOE_TIMED_OUT) return fail("toe_wait_event", r);
    }
  }
  res.wall_s = std::chrono::duration<double>(Clock::now() - t0).count();
  res.sim_s = double(mmio.now_us(mmio.ctx) - s0) * 1e-6;
  res.accesses = accesses() - a0;
  for (size_t k = 0; k < size_t(conns); ++k) {
    if (got[k] != bytes) {
      res.error = "connection " + std::to_string(k) + ": " + std::to_string(got[k]) + " bytes";
      return;
    }
    const toe_result_t r = toe_shutdown(dev, ids[k]);
    if (r != TOE_OK) return fail("toe_shutdown", r);
  }
  for (size_t k = 0; k < size_t(conns); ++k) {
    for (int i = 0; i < 100 && !dev->conns[ids[k]].closed; ++i) {
      const toe_result_t r = toe_wait_event(dev, 100000, nullptr);
      if (r != TOE_OK && r != TOE_TIMED_OUT) return fail("toe_wait_event", r);
    }
    if (!dev->conns[ids[k]].closed) {
      res.error = "connection " + std::to_string(k) + " was not freed";
      return;
    }
  }
  res.ok = true;
}

// `reads` reads of TYPE through the transport alone (no driver call in between).
void run_reads(const toe_mmio_t& mmio, uint64_t reads, Result& res) {
  uint32_t v = 0;
  for (int i = 0; i < 1000; ++i) mmio.read32(mmio.ctx, TOE_REG_TYPE_OFFSET, &v);  // warm up
  const uint64_t s0 = mmio.now_us(mmio.ctx);
  const auto t0 = Clock::now();
  for (uint64_t i = 0; i < reads; ++i) {
    if (mmio.read32(mmio.ctx, TOE_REG_TYPE_OFFSET, &v) != TOE_BUS_OK || v != TOE_DEVICE_TYPE) {
      res.error = "read " + std::to_string(i) + " of TYPE failed";
      return;
    }
  }
  res.wall_s = std::chrono::duration<double>(Clock::now() - t0).count();
  res.sim_s = double(mmio.now_us(mmio.ctx) - s0) * 1e-6;
  res.ns_per_read = res.wall_s * 1e9 / double(reads);
  res.sim_ns_per_read = res.sim_s * 1e9 / double(reads);
  res.accesses = reads;
  res.ok = true;
}

// ---- in process ----------------------------------------------------------------------------

double g_driver_quantum_us = 0;  // --driver-quantum-us: DriverTlm::set_quantum (0: blocking)

struct InProcess : sc_core::sc_module {
  toe::sc::Platform p;
  toe::sc::DriverTlm bus;
  toe_dev_t dev{};
  std::vector<toe_conn_t> conns;  // DriverTlm::open
  int n_conns;
  size_t bytes;
  uint64_t reads;  // > 0: the mmio run instead of the sink
  Result res;

  SC_HAS_PROCESS(InProcess);
  InProcess(sc_core::sc_module_name n, const toe::sc::PlatformConfig& cfg, int n_conns_, size_t bytes_, uint64_t reads_)
      : sc_core::sc_module(n), p("p", cfg), bus("bus", p.irq), n_conns(n_conns_), bytes(bytes_), reads(reads_) {
    bus.socket.bind(p.dev.host);
    bus.set_quantum(sc_core::sc_time(g_driver_quantum_us, sc_core::SC_US));
    if (reads == 0 && p.lwip.peer().listen(kPeerPort, toe::sim::PeerApp::kSource, bytes) < 0)
      res.error = "lwIP cannot listen";
    SC_THREAD(run);
  }

  void run() {
    const toe_result_t r = bus.open(dev, conns, p);
    if (r != TOE_OK) {
      res.error = std::string("open: ") + toe_result_str(r);
    } else if (reads > 0) {
      run_reads(*bus.mmio(), reads, res);
    } else if (res.error.empty()) {
      run_sink(&dev, n_conns, bytes, [this] { return bus.accesses(); }, res);
    }
    sc_core::sc_stop();
  }
};

Result in_process(int conns, size_t bytes, uint32_t sessions, uint64_t reads) {
  toe::platform_test::fresh_simulation();
  InProcess run("run", platform_config(sessions), conns, bytes, reads);
  sc_core::sc_start(sc_time(600, sc_core::SC_SEC));
  if (!run.res.ok && run.res.error.empty()) run.res.error = "not finished in 600 s of simulated time";
  return run.res;
}

// ---- out of process ------------------------------------------------------------------------

// `toe_sim serve` in a child process (its stderr summary to /dev/null), serving the socket or the
// BAR file, not both: a server with a BAR file polls its doorbell and sleeps up to 1 ms between
// polls, which would be the socket's latency.
struct Server {
  pid_t pid = -1;
  std::string sock, bar;

  bool start(const std::string& toe_sim, const std::vector<std::string>& extra, bool use_bar, std::string& error) {
    sock = "/tmp/toe_bench_driver_" + std::to_string(getpid()) + ".sock";
    bar = "/tmp/toe_bench_driver_" + std::to_string(getpid()) + ".bar";
    unlink(sock.c_str());
    unlink(bar.c_str());
    std::vector<std::string> args = {toe_sim, "serve"};
    if (use_bar) {
      args.insert(args.end(), {"--bar-file", bar});
    } else {
      args.insert(args.end(), {"--socket", sock});
    }
    args.insert(args.end(), extra.begin(), extra.end());
    int out[2];
    if (pipe(out) != 0) {
      error = "pipe";
      return false;
    }
    pid = fork();
    if (pid < 0) {
      error = "fork";
      return false;
    }
    if (pid == 0) {
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      dup2(out[1], 1);
      const int null = open("/dev/null", O_WRONLY);
      if (null >= 0) dup2(null, 2);
      close(out[0]);
      close(out[1]);
      execv(toe_sim.c_str(), argv.data());
      _exit(127);
    }
    close(out[1]);
    FILE* f = fdopen(out[0], "r");
    char line[512];
    bool ready = false;
    while (!ready && std::fgets(line, sizeof line, f)) ready = std::strstr(line, "toe_sim serve: ready") != nullptr;
    std::fclose(f);
    if (!ready) error = "no ready line from " + toe_sim + " serve";
    return ready;
  }

  void stop() {
    if (pid <= 0) return;
    kill(pid, SIGTERM);
    int st = 0;
    waitpid(pid, &st, 0);
    pid = -1;
    unlink(sock.c_str());
    unlink(bar.c_str());
  }
  ~Server() { stop(); }
};

Result out_of_process(const std::string& toe_sim, int conns, size_t bytes, uint32_t sessions) {
  Result res;
  Server s;
  if (!s.start(toe_sim, serve_args(sessions, bytes), false, res.error)) return res;
  toe_mmio_unix_t t;
  if (toe_mmio_unix_open(&t, s.sock.c_str()) != TOE_OK) {
    res.error = "toe_mmio_unix_open " + s.sock;
    return res;
  }
  static toe_conn_t storage[256];
  toe_dev_t dev;
  toe_result_t r = toe_open(&dev, &t.mmio, storage, 256, nullptr);
  if (r == TOE_OK) r = configure(&dev);
  if (r != TOE_OK)
    res.error = std::string("open: ") + toe_result_str(r);
  else
    run_sink(&dev, conns, bytes, [&t] { return t.requests; }, res);
  toe_mmio_unix_close(&t);
  return res;
}

// The register read's round trip over the socket (bar = false) or the BAR-file mailbox.
Result out_of_process_reads(const std::string& toe_sim, uint64_t reads, bool bar) {
  Result res;
  Server s;
  if (!s.start(toe_sim, serve_args(16, 1), bar, res.error)) return res;
  if (bar) {
    toe_mmio_mmap_t t;
    if (toe_mmio_mmap_open(&t, s.bar.c_str(), TOE_MAILBOX_BYTES) != TOE_OK) {
      res.error = "toe_mmio_mmap_open " + s.bar;
      return res;
    }
    run_reads(t.mmio, reads, res);
    toe_mmio_mmap_close(&t);
  } else {
    toe_mmio_unix_t t;
    if (toe_mmio_unix_open(&t, s.sock.c_str()) != TOE_OK) {
      res.error = "toe_mmio_unix_open " + s.sock;
      return res;
    }
    run_reads(t.mmio, reads, res);
    toe_mmio_unix_close(&t);
  }
  return res;
}

}  // namespace

int sc_main(int argc, char** argv) {
  CLI::App app{"Host driver benchmark: goodput through the driver in and out of process, MMIO round trip"};
  double mb = 2;
  int conns = 100;
  double kib = 16;
  uint64_t reads = 200000;
  std::string toe_sim = TOE_SIM_PATH;
  std::string json_out;
  app.add_option("--mb", mb, "MiB of the one-connection run")->check(CLI::PositiveNumber);
  app.add_option("--conns", conns, "connections of the many-connections run (at most 120)")->check(CLI::Range(1, 120));
  app.add_option("--kib-per-conn", kib, "KiB each of them receives")->check(CLI::PositiveNumber);
  app.add_option("--reads", reads, "register reads of the MMIO round-trip runs")->check(CLI::PositiveNumber);
  app.add_option("--toe-sim", toe_sim, "the toe_sim program (serve)")->capture_default_str();
  app.add_option("--json", json_out, "also write the figures as JSON");
  app.add_option("--driver-quantum-us", g_driver_quantum_us,
                 "in process: the driver temporally decoupled with this quantum in us (DriverTlm::set_quantum; "
                 "default 0: every access waits for its delay)")
      ->check(CLI::NonNegativeNumber);
  CLI11_PARSE(app, argc, argv);
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  signal(SIGPIPE, SIG_IGN);

  nlohmann::json j = nlohmann::json::array();
  bool all_ok = true;
  auto goodput = [&](const char* run, const char* where, int n, size_t bytes, const Result& r) {
    all_ok = all_ok && r.ok;
    const double total = double(r.bytes);
    const double sim_mbs = r.sim_s > 0 ? total / r.sim_s / 1e6 : 0, wall_mbs = r.wall_s > 0 ? total / r.wall_s / 1e6 : 0;
    std::printf("%-8s %-14s %3d x %7.0f KiB  %s  simulated %.4f s  wall %6.2f s  goodput %7.2f MB/s simulated  "
                "%6.3f MB/s wall  simulated/wall %.4f  %llu accesses (%.0f per KiB)\n",
                run, where, n, double(bytes) / 1024, r.ok ? "byte-exact" : ("FAILED: " + r.error).c_str(), r.sim_s,
                r.wall_s, sim_mbs, wall_mbs, r.wall_s > 0 ? r.sim_s / r.wall_s : 0, (unsigned long long)r.accesses,
                total > 0 ? double(r.accesses) / (total / 1024) : 0.0);
    std::fflush(stdout);
    j.push_back({{"run", run}, {"transport", where}, {"connections", n}, {"bytes_per_connection", bytes},
                 {"ok", r.ok}, {"error", r.error}, {"bytes", r.bytes}, {"simulated_s", r.sim_s}, {"wall_s", r.wall_s},
                 {"simulated_MBps", sim_mbs}, {"wall_MBps", wall_mbs}, {"accesses", r.accesses}});
    return wall_mbs;
  };
  auto mmio = [&](const char* where, const Result& r) {
    all_ok = all_ok && r.ok;
    std::printf("%-8s %-14s %llu reads of TYPE  %s  wall %.3f s  %.0f ns per read (wall)  %.1f ns per read "
                "(simulated)\n",
                "mmio", where, (unsigned long long)r.accesses, r.ok ? "ok" : ("FAILED: " + r.error).c_str(), r.wall_s,
                r.ns_per_read, r.sim_ns_per_read);
    std::fflush(stdout);
    j.push_back({{"run", "mmio"}, {"transport", where}, {"reads", r.accesses}, {"ok", r.ok}, {"wall_s", r.wall_s},
                 {"ns_per_read", r.ns_per_read}, {"simulated_ns_per_read", r.sim_ns_per_read}});
    return r.ns_per_read;
  };

  const size_t one = size_t(mb * 1024 * 1024), each = size_t(kib * 1024);
  const double in1 = goodput("goodput", "in-process", 1, one, in_process(1, one, 16, 0));
  const double out1 = goodput("goodput", "out-of-process", 1, one, out_of_process(toe_sim, 1, one, 16));
  const double inn = goodput("goodput", "in-process", conns, each, in_process(conns, each, 128, 0));
  const double outn = goodput("goodput", "out-of-process", conns, each, out_of_process(toe_sim, conns, each, 128));
  const double rin = mmio("in-process", in_process(1, 0, 16, reads));
  const double rsock = mmio("socket", out_of_process_reads(toe_sim, reads, false));
  const double rbar = mmio("bar-file", out_of_process_reads(toe_sim, reads, true));
  std::printf("ratios (this run): wall goodput in-process / out-of-process: 1 conn %.1f, %d conns %.1f; "
              "ns per read socket / in-process %.1f, bar-file / socket %.2f\n",
              out1 > 0 ? in1 / out1 : 0.0, conns, outn > 0 ? inn / outn : 0.0, rin > 0 ? rsock / rin : 0.0,
              rsock > 0 ? rbar / rsock : 0.0);
  if (!json_out.empty()) std::ofstream(json_out) << j.dump(2) << "\n";
  return all_ok ? 0 : 1;
}
