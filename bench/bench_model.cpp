// SPDX-License-Identifier: Apache-2.0
// Model throughput benchmark (issue 3, item 11): simulated cycles and segments
// per wall-clock second for a SYN flood, bulk transfer and mixed traffic at 1,
// 1,000 and 65,536 connections, plus SYN->SYN-ACK and data->ACK latency in
// cycles. Prints a table (and JSON with --json FILE). Not run by CI.
//
//   build/default/bench/bench_model [--segments N] [--json out.json]
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>

#include "harness.hpp"
#include "toe/net/codec.hpp"

using namespace toe;
using namespace toe::net;

namespace {

constexpr uint32_t kLocalIp = 0x0A000002;
const MacAddr kLocalMac{{0x02, 0, 0, 0, 0, 0x02}}, kPeerMac{{0x02, 0, 0, 0, 0, 0x01}};

std::vector<uint8_t> seg(uint32_t sip, uint16_t sport, uint8_t flags, uint32_t seq, uint32_t ack, size_t len) {
  Ipv4Header ip;
  ip.src = sip;
  ip.dst = kLocalIp;
  TcpHeader t;
  t.src_port = sport;
  t.dst_port = 80;
  t.seq = seq;
  t.ack = ack;
  t.flags = flags;
  t.window = 65535;
  std::vector<uint8_t> p(len, 0x5a);
  return build_tcp_frame({kLocalMac, kPeerMac, kEtherTypeIpv4}, ip, t, p.data(), p.size());
}

struct Conn {
  uint32_t ip;
  uint16_t port;
  uint32_t iss, nxt;
};

struct Result {
  std::string traffic;
  uint32_t conns;
  uint64_t segments, cycles;
  double seconds;
};

model::EngineConfig config(uint32_t conns) {
  model::EngineConfig c;
  c.sessions = conns < 16 ? 16 : conns;
  c.rx_buf_bytes = conns > 1000 ? 4096 : 65536;
  c.tx_buf_bytes = 256;
  c.fixed_isn_en = true;
  c.fixed_isn = 1000;
  c.max_half_open = c.sessions;
  return c;
}

// Establishes `n` connections (not timed).
std::vector<Conn> establish(sim::Harness& h, uint32_t n) {
  std::vector<Conn> v;
  for (uint32_t i = 0; i < n; ++i) v.push_back({0x0B000000u | (i >> 8), uint16_t(1024 + (i & 0xff)), 1000, 101});
  for (uint32_t b = 0; b < n; b += 8192) {
    for (uint32_t i = b; i < std::min(n, b + 8192); ++i) h.inject(seg(v[i].ip, v[i].port, kSyn, 100, 0, 0));
    h.run_until_idle(100000000);
    for (uint32_t i = b; i < std::min(n, b + 8192); ++i) h.inject(seg(v[i].ip, v[i].port, kAck, 101, 1001, 0));
    h.run_until_idle(100000000);
    h.take_output();
  }
  return v;
}

Result timed(const std::string& name, uint32_t conns, sim::Harness& h, const std::vector<std::vector<uint8_t>>& frames) {
  const uint64_t c0 = h.cycle();
  const auto t0 = std::chrono::steady_clock::now();
  size_t i = 0;
  while (i < frames.size()) {  // keep the input queue short, as a MAC would
    for (size_t k = 0; k < 256 && i < frames.size(); ++k) h.inject(frames[i++]);
    while (h.rx_pending() > 64) h.step();
    h.take_output();
  }
  h.run_until_idle(100000000);
  h.take_output();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return {name, conns, frames.size(), h.cycle() - c0, s};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"toecore model throughput benchmark"};
  uint64_t segments = 200000;
  std::string json_path;
  app.add_option("--segments", segments, "segments per run")->check(CLI::PositiveNumber);
  app.add_option("--json", json_path, "also write the results as JSON");
  CLI11_PARSE(app, argc, argv);

  std::vector<Result> results;
  std::mt19937 rng(1);
  for (uint32_t conns : {1u, 1000u, 65536u}) {
    sim::HarnessConfig hc;
    hc.timers = false;
    {  // SYN flood from random sources (engine sized for `conns` sessions)
      sim::Harness h(config(conns), hc);
      h.set_wire_log(false);
      h.listen(80, sim::App::kDiscard);
      h.run_until_idle();
      std::vector<std::vector<uint8_t>> f;
      for (uint64_t i = 0; i < segments; ++i)
        f.push_back(seg(0xC0000000u | (rng() & 0x3FFFFFFF), uint16_t(1024 + rng() % 60000), kSyn, rng(), 0, 0));
      results.push_back(timed("syn_flood", conns, h, f));
    }
    {  // bulk: 1460-byte segments round robin over the connections, host discards
      sim::Harness h(config(conns), hc);
      h.set_wire_log(false);
      h.listen(80, sim::App::kDiscard);
      h.run_until_idle();
      auto v = establish(h, conns);
      std::vector<std::vector<uint8_t>> f;
      for (uint64_t i = 0; i < segments; ++i) {
        Conn& c = v[i % conns];
        f.push_back(seg(c.ip, c.port, kAck | kPsh, c.nxt, 1001, 1460));
        c.nxt += 1460;
      }
      results.push_back(timed("bulk", conns, h, f));
    }
    {  // mixed: data, pure ACKs, SYNs, segments to closed ports, out-of-window segments
      sim::Harness h(config(conns), hc);
      h.set_wire_log(false);
      h.listen(80, sim::App::kDiscard);
      h.run_until_idle();
      auto v = establish(h, conns);
      std::vector<std::vector<uint8_t>> f;
      for (uint64_t i = 0; i < segments; ++i) {
        Conn& c = v[rng() % conns];
        switch (rng() % 5) {
          case 0: f.push_back(seg(c.ip, c.port, kAck | kPsh, c.nxt, 1001, 200)); c.nxt += 200; break;
          case 1: f.push_back(seg(c.ip, c.port, kAck, c.nxt, 1001, 0)); break;
          case 2: f.push_back(seg(0xC0000000u | (rng() & 0xFFFF), uint16_t(1024 + rng() % 60000), kSyn, rng(), 0, 0)); break;
          case 3: f.push_back(seg(c.ip, uint16_t(c.port + 30000), kAck, 5, 5, 0)); break;  // no connection: RST
          default: f.push_back(seg(c.ip, c.port, kAck, c.nxt + 10000000, 1001, 10)); break;  // unacceptable
        }
      }
      results.push_back(timed("mixed", conns, h, f));
    }
  }

  std::printf("%-10s %7s %10s %12s %8s %12s %12s %10s\n", "traffic", "conns", "segments", "cycles", "wall_s",
              "Mcycles/s", "Msegments/s", "cyc/seg");
  nlohmann::json j = nlohmann::json::array();
  for (const Result& r : results) {
    std::printf("%-10s %7u %10llu %12llu %8.2f %12.2f %12.3f %10.2f\n", r.traffic.c_str(), r.conns,
                static_cast<unsigned long long>(r.segments), static_cast<unsigned long long>(r.cycles), r.seconds,
                r.cycles / r.seconds / 1e6, r.segments / r.seconds / 1e6, double(r.cycles) / r.segments);
    j.push_back({{"traffic", r.traffic}, {"conns", r.conns}, {"segments", r.segments}, {"cycles", r.cycles},
                 {"wall_s", r.seconds}, {"mcycles_per_s", r.cycles / r.seconds / 1e6},
                 {"msegments_per_s", r.segments / r.seconds / 1e6}});
  }
  if (!json_path.empty()) std::ofstream(json_path) << j.dump(2) << "\n";
  return 0;
}
