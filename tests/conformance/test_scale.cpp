// SPDX-License-Identifier: Apache-2.0
// Scale (issue 3, item 10): 65,536 connections at once in the model, and a
// flood of 1,000,000 SYNs from random sources that leaves established
// connections untouched (DS1). Label "slow": not run under the sanitizers.
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <unordered_map>

#include "engine_select.hpp"
#include "harness.hpp"
#include "toe/net/codec.hpp"

using namespace toe;
using namespace toe::net;

namespace {

constexpr uint32_t kLocalIp = 0x0A000002;
const MacAddr kPeerMac{{0x02, 0, 0, 0, 0, 0x01}};

std::vector<uint8_t> seg(uint32_t sip, uint16_t sport, uint16_t dport, uint8_t flags, uint32_t seq, uint32_t ack,
                         const std::string& payload = "") {
  Ipv4Header ip;
  ip.src = sip;
  ip.dst = kLocalIp;
  TcpHeader t;
  t.src_port = sport;
  t.dst_port = dport;
  t.seq = seq;
  t.ack = ack;
  t.flags = flags;
  t.window = 65535;
  if (flags & kSyn) {
    t.opts.has_mss = true;
    t.opts.mss = 1460;
  }
  return build_tcp_frame({MacAddr{{0x02, 0, 0, 0, 0, 0x02}}, kPeerMac, kEtherTypeIpv4}, ip, t,
                         reinterpret_cast<const uint8_t*>(payload.data()), payload.size());
}

uint64_t key(uint32_t ip, uint16_t port) { return (uint64_t(ip) << 16) | port; }

struct Peer {
  uint32_t ip;
  uint16_t port;
  uint32_t iss;       // engine's ISN for this connection
  std::string echo;   // bytes the engine echoed
  bool fin = false;
};

}  // namespace

TEST(Scale, Connections65536EstablishedCarryDataAndClose) {
  model::EngineConfig cfg;
  cfg.sessions = 65536;
  cfg.rx_buf_bytes = 256;
  cfg.tx_buf_bytes = 256;
  cfg.data_bytes = 8;
  sim::HarnessConfig hc;
  hc.timers = false;
  const auto hp = toe::test::make_harness_or_skip(cfg, hc);  // TOE_ENGINE
  sim::Harness& h = *hp;
  h.set_wire_log(false);
  h.listen(80, sim::App::kEcho);
  h.run_until_idle();
  const auto t0 = std::chrono::steady_clock::now();

  std::vector<Peer> peers;
  std::unordered_map<uint64_t, size_t> by_key;
  for (uint32_t i = 0; i < 65536; ++i) {
    peers.push_back({0x0B000000u | (i >> 8), static_cast<uint16_t>(1024 + (i & 0xff)), 0, "", false});
    by_key[key(peers.back().ip, peers.back().port)] = i;
  }
  auto collect = [&](std::vector<std::vector<uint8_t>> frames) {
    for (const auto& f : frames) {
      Frame pf;
      ASSERT_EQ(parse_frame(f, pf), ParseError::kOk);
      auto it = by_key.find(key(pf.ip.dst, pf.tcp.dst_port));
      ASSERT_NE(it, by_key.end());
      Peer& p = peers[it->second];
      if (pf.tcp.flags == (kSyn | kAck)) p.iss = pf.tcp.seq;
      if (pf.payload_len) p.echo.append(reinterpret_cast<const char*>(pf.payload), pf.payload_len);
      if (pf.tcp.has(kFin)) p.fin = true;
    }
  };
  // Open in batches below the SYN-cache bound.
  const size_t batch = 8192;
  for (size_t b = 0; b < peers.size(); b += batch) {
    for (size_t i = b; i < b + batch; ++i) h.inject(seg(peers[i].ip, peers[i].port, 80, kSyn, 100, 0));
    ASSERT_TRUE(h.run_until_idle(10000000));
    collect(h.take_output());
    for (size_t i = b; i < b + batch; ++i) h.inject(seg(peers[i].ip, peers[i].port, 80, kAck, 101, peers[i].iss + 1));
    ASSERT_TRUE(h.run_until_idle(10000000));
  }
  EXPECT_EQ(h.accepted().size(), 65536u);
  EXPECT_EQ(h.engine().active_sessions(), 65536u);
  // Every connection carries data at once: 64 bytes each, echoed back.
  for (size_t i = 0; i < peers.size(); ++i)
    h.inject(seg(peers[i].ip, peers[i].port, 80, kAck | kPsh, 101, peers[i].iss + 1,
                 "payload-" + std::to_string(i) + std::string(50, 'x')));
  ASSERT_TRUE(h.run_until_idle(50000000));
  collect(h.take_output());
  size_t good = 0;
  for (size_t i = 0; i < peers.size(); ++i)
    good += peers[i].echo == "payload-" + std::to_string(i) + std::string(50, 'x');
  EXPECT_EQ(good, 65536u);
  // Close: the peer's FIN; the echo app closes its side; the peer ACKs the engine's FIN.
  for (size_t i = 0; i < peers.size(); ++i) {
    const uint32_t sent = 101 + 8 + uint32_t(std::to_string(i).size()) + 50;
    h.inject(seg(peers[i].ip, peers[i].port, 80, kAck | kFin, sent, peers[i].iss + 1 + uint32_t(peers[i].echo.size())));
  }
  ASSERT_TRUE(h.run_until_idle(50000000));
  collect(h.take_output());
  size_t fins = 0;
  for (size_t i = 0; i < peers.size(); ++i) {
    fins += peers[i].fin;
    const uint32_t sent = 101 + 8 + uint32_t(std::to_string(i).size()) + 50;
    h.inject(seg(peers[i].ip, peers[i].port, 80, kAck, sent + 1, peers[i].iss + 2 + uint32_t(peers[i].echo.size())));
  }
  EXPECT_EQ(fins, 65536u);
  ASSERT_TRUE(h.run_until_idle(50000000));
  EXPECT_EQ(h.engine().active_sessions(), 0u);
  EXPECT_EQ(h.engine().counter(model::Counter::kDropOverflow), 0u);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("65536 connections: %llu cycles in %.1f s (%.1f M cycles/s)\n",
              static_cast<unsigned long long>(h.cycle()), s, h.cycle() / s / 1e6);
}

TEST(Scale, SynFloodOfOneMillionLeavesEstablishedConnectionsUntouched) {
  model::EngineConfig cfg;
  cfg.sessions = 1024;
  cfg.max_half_open = 256;
  cfg.rx_buf_bytes = 1024;
  cfg.tx_buf_bytes = 1024;
  sim::HarnessConfig hc;
  hc.timers = false;
  const auto hp = toe::test::make_harness_or_skip(cfg, hc);  // TOE_ENGINE
  sim::Harness& h = *hp;
  h.set_wire_log(false);
  h.listen(80, sim::App::kEcho);
  h.run_until_idle();
  // 16 established connections first.
  std::vector<uint32_t> iss(16);
  for (uint16_t i = 0; i < 16; ++i) h.inject(seg(0x0A000001, uint16_t(2000 + i), 80, kSyn, 7, 0));
  ASSERT_TRUE(h.run_until_idle());
  for (const auto& f : h.take_output()) {
    Frame pf;
    ASSERT_EQ(parse_frame(f, pf), ParseError::kOk);
    iss[pf.tcp.dst_port - 2000] = pf.tcp.seq;
  }
  for (uint16_t i = 0; i < 16; ++i) h.inject(seg(0x0A000001, uint16_t(2000 + i), 80, kAck, 8, iss[i] + 1));
  ASSERT_TRUE(h.run_until_idle());
  const auto established = h.accepted();
  ASSERT_EQ(established.size(), 16u);

  const auto t0 = std::chrono::steady_clock::now();
  const uint64_t c0 = h.cycle();
  std::mt19937 rng(99);
  uint64_t synacks = 0;
  const int kFlood = 1000000, kChunk = 20000;
  for (int done = 0; done < kFlood; done += kChunk) {
    for (int i = 0; i < kChunk; ++i)
      h.inject(seg(0xC0000000u | (rng() & 0x3FFFFFFFu), static_cast<uint16_t>(1024 + rng() % 60000), 80, kSyn,
                   rng(), 0));
    ASSERT_TRUE(h.run_until_idle(100000000));
    for (const auto& f : h.take_output()) synacks += f[kEthHeaderLen + 20 + 13] == (kSyn | kAck);
    ASSERT_LE(h.engine().half_open(), cfg.max_half_open);
  }
  const uint64_t cycles = h.cycle() - c0;
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(h.engine().counter(model::Counter::kFramesIn), 32u + uint64_t(kFlood));
  EXPECT_EQ(synacks, uint64_t(kFlood));  // every SYN answered from the bounded cache (oldest evicted)
  EXPECT_GT(h.engine().counter(model::Counter::kHalfOpenEvicted), uint64_t(kFlood) - 2 * cfg.max_half_open);
  // Line rate: one 60-byte SYN per 8 beats at 64 bits; allow the SYN-ACK stream's small overhead.
  EXPECT_LT(double(cycles) / kFlood, 9.0);
  // The established connections are untouched and still work.
  for (uint16_t i = 0; i < 16; ++i) {
    EXPECT_EQ(h.engine().tcb(established[i]).state, TcpState::ESTABLISHED);
    h.inject(seg(0x0A000001, uint16_t(2000 + i), 80, kAck | kPsh, 8, iss[i] + 1, "ping"));
  }
  ASSERT_TRUE(h.run_until_idle());
  size_t pongs = 0;
  for (const auto& f : h.take_output()) {
    Frame pf;
    ASSERT_EQ(parse_frame(f, pf), ParseError::kOk);
    pongs += pf.payload_len == 4;
  }
  EXPECT_EQ(pongs, 16u);
  std::printf("SYN flood: %d SYNs, %.2f cycles/SYN, %.1f s wall, %.2f M SYN/s simulated\n", kFlood,
              double(cycles) / kFlood, s, kFlood / s / 1e6);
}
