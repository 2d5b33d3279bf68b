// SPDX-License-Identifier: Apache-2.0
// The host driver against the SystemC platform (see test_driver_platform.cpp; the bench in
// driver_platform_bed.hpp):
// The suite through the driver, with the C firmware of firmware/ as the slow path
// (PlatformConfig::SlowPath::kFirmware: FirmwareNode on the firmware port, RFC 6298 with the
// test's 10 ms floor, TIME_WAIT 2 * 10 ms):
//   DriverPlatformLoss.OneMegabyteEachWayToAnLwipEchoListener/{0,1,5}pct
//        the driver connects to an lwIP echo listener, sends 1 MiB and reads back 1 MiB
//        byte-exact over a link with that loss (and 1 % reordering and duplication when lossy),
//        shuts down, reads to end of stream; the connection ends closed (TIME_WAIT expired)
//   DriverPlatform.ConnectByIpAddressTheFirmwareResolvesThePeer
//        toe_connect with no MAC: the firmware's ARP request, lwIP's node answers, 64 KiB echoed
//   DriverPlatform.ConnectByIpAddressToNobodyIsNoRoute
//        no MAC, an address nobody has: TOE_NO_ROUTE after the firmware's 3 ARP requests (3 s)
//   DriverPlatform.HundredConnectionsToADriverEchoServer
//        100 lwIP clients at once to an echo server written on the driver (accept, recv, send,
//        shutdown, one loop over every connection), 2000..5663 bytes each, byte-exact, each
//        connection closed cleanly on both sides
// Each of these prints its wall and simulated time ("[ wall ]").
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "driver_platform_bed.hpp"
#include "platform.hpp"
#include "tlm_bench.hpp"  // fresh_simulation
#include "driver_tlm.hpp"
#include "toe/toe_driver.h"
#include "toe_defs.h"
#include "toe_regs.h"

namespace {

using namespace toe::driver_platform_test;  // the bench and the fixture (driver_platform_bed.hpp)

// ---- The suite through the driver ----------------------------------------------------

// The platform with the C firmware as the slow path, with the test's policy (10 ms RTO floor and
// initial RTO, MSL 10 ms) instead of RFC 6298's 1 s and a real MSL.
PlatformConfig firmware_config() {
  PlatformConfig c = base_config();
  c.slow_path = PlatformConfig::SlowPath::kFirmware;
  c.firmware.fw.rto_initial_ms = 10;
  c.firmware.fw.rto_min_ms = 10;
  c.firmware.fw.msl_ms = 10;
  return c;
}

// test_platform's lossy link: 1 Gb/s, 20 us each way, `loss` per frame, and with loss 1 %
// reordering (held back 100 us) and 1 % duplication; each direction its own seed.
void impair(PlatformConfig& cfg, double loss, uint64_t seed) {
  for (toe::sc::LinkConfig* l : {&cfg.to_peer, &cfg.to_device}) {
    l->propagation_delay = sc_time(20, SC_US);
    l->rate_bps = 1000000000;
    l->loss_probability = loss;
    l->reorder_probability = loss > 0 ? 0.01 : 0.0;
    l->reorder_delay = sc_time(100, SC_US);
    l->duplication_probability = loss > 0 ? 0.01 : 0.0;
  }
  cfg.to_peer.seed = seed;
  cfg.to_device.seed = seed + 1;
}

// Prints (and records) the wall time a test's simulation took and the simulated time it reached.
void report_wall(const std::string& what, std::chrono::steady_clock::time_point t0) {
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double simulated = sc_core::sc_time_stamp().to_seconds();
  std::printf("[ wall     ] %s: %.2f s wall, %.3f s simulated\n", what.c_str(), wall, simulated);
  std::fflush(stdout);
  std::ostringstream os;
  os << wall;
  ::testing::Test::RecordProperty("wall_s", os.str());
}

// What the driver's client (echo_client) saw.
struct ClientRun {
  toe_result_t connect = TOE_BUS_ERROR;  // toe_connect
  toe_result_t end = TOE_BUS_ERROR;      // the first call that failed, or TOE_OK
  uint32_t conn = ~0u;
  std::vector<uint8_t> back;             // what was read back, in order
  bool closed = false, reset = false, timed_out = false;  // how the connection ended
  uint32_t bus_errors = ~0u;
};

// In the host thread: connect from lport to the lwIP listener at `port`, send `data` and read
// the echo at the same time (non-blocking calls, toe_wait_event when neither moved), shut down
// once everything is sent, read to end of stream, then wait until the engine freed the
// connection (event closed, after TIME_WAIT). by_ip: no MAC given (the firmware resolves it).
void echo_client(Bed& b, uint16_t port, uint16_t lport, const std::vector<uint8_t>& data, ClientRun& out,
                 bool by_ip = false) {
  toe_connect_params_t cp{};
  cp.ipv4 = b.p.config().lwip.peer.local_ip;
  cp.port = port;
  cp.lport = lport;
  if (!by_ip)
    for (int i = 0; i < 6; ++i) cp.peer_mac[i] = b.p.config().lwip.mac.b[size_t(i)];
  out.connect = toe_connect(&b.dev, &cp, 5 * kSecond, &out.conn);
  if (out.connect != TOE_OK) return;
  const uint32_t conn = out.conn;
  std::vector<uint8_t> buf(8192);
  size_t off = 0;
  bool shut = false;
  for (;;) {
    bool moved = false;
    if (off < data.size()) {
      size_t sent = 0;
      const toe_result_t r = toe_send(&b.dev, conn, data.data() + off, data.size() - off, 0, &sent);
      if (r != TOE_OK && r != TOE_WOULD_BLOCK) {
        out.end = r;
        return;
      }
      off += sent;
      moved = moved || sent > 0;
    } else if (!shut) {
      const toe_result_t r = toe_shutdown(&b.dev, conn);
      if (r != TOE_OK) {
        out.end = r;
        return;
      }
      shut = true;
    }
    size_t got = 0;
    const toe_result_t r = toe_recv(&b.dev, conn, buf.data(), buf.size(), 0, &got);
    if (r == TOE_CLOSED) break;
    if (r != TOE_OK && r != TOE_WOULD_BLOCK) {
      out.end = r;
      return;
    }
    out.back.insert(out.back.end(), buf.begin(), buf.begin() + long(got));
    moved = moved || got > 0;
    if (!moved) {
      const toe_result_t w = toe_wait_event(&b.dev, 100000, nullptr);
      if (w != TOE_OK && w != TOE_TIMED_OUT) {
        out.end = w;
        return;
      }
    }
  }
  const toe_conn_t& c = b.dev.conns[conn];
  for (int i = 0; i < 50 && !c.closed && !c.reset && !c.timed_out; ++i) {
    const toe_result_t w = toe_wait_event(&b.dev, 100000, nullptr);
    if (w != TOE_OK && w != TOE_TIMED_OUT) {
      out.end = w;
      return;
    }
  }
  out.closed = c.closed;
  out.reset = c.reset;
  out.timed_out = c.timed_out;
  out.end = TOE_OK;
}

class DriverPlatformLoss : public DriverPlatform, public ::testing::WithParamInterface<int> {};

TEST_P(DriverPlatformLoss, OneMegabyteEachWayToAnLwipEchoListener) {
  PlatformConfig cfg = firmware_config();
  const double loss = GetParam() / 100.0;
  impair(cfg, loss, 31 + uint64_t(GetParam()));
  Bed bed("bed", cfg);
  ASSERT_TRUE(bed.p.firmware);
  ASSERT_FALSE(bed.p.timers);
  toe::sim::LwipPeer& peer = bed.p.lwip.peer();
  const int listener = peer.listen(9000, PeerApp::kEcho);
  ASSERT_GE(listener, 0);
  const std::vector<uint8_t> data = pattern_bytes(1024 * 1024, 5 + uint64_t(GetParam()));
  ClientRun run;
  bed.host = [&](Bed& b) {
    echo_client(b, 9000, 40000, data, run);
    run.bus_errors = b.bus_errors();
  };
  // lwIP's side is done once its connection is freed (it closes after the driver's FIN).
  bed.peer_step = [&] {
    const std::vector<int> acc = peer.accepted(listener);
    return !acc.empty() && peer.state(acc[0]) == toe::TcpState::CLOSED;
  };
  const auto t0 = std::chrono::steady_clock::now();
  const bool finished = bed.go(sc_time(600, SC_SEC));
  report_wall("1 MiB each way at " + std::to_string(GetParam()) + " % loss", t0);
  ASSERT_TRUE(finished) << "not finished: connect " << toe_result_str(run.connect) << ", end "
                        << toe_result_str(run.end) << ", " << run.back.size() << " bytes back";
  EXPECT_EQ(bed.open_result, TOE_OK);
  ASSERT_EQ(run.connect, TOE_OK) << toe_result_str(run.connect);
  EXPECT_EQ(run.end, TOE_OK) << toe_result_str(run.end);
  EXPECT_EQ(run.back.size(), data.size());
  EXPECT_TRUE(run.back == data) << "the echo differs";
  EXPECT_TRUE(run.closed) << "the engine freed the connection after TIME_WAIT";
  EXPECT_FALSE(run.reset);
  EXPECT_FALSE(run.timed_out);
  EXPECT_EQ(run.bus_errors, 0u) << "no access was refused";
  const std::vector<int> acc = peer.accepted(listener);
  ASSERT_EQ(acc.size(), 1u);
  EXPECT_EQ(peer.bytes_received(acc[0]), data.size());
  EXPECT_FALSE(peer.was_reset(acc[0]));
  EXPECT_EQ(peer.state(acc[0]), toe::TcpState::CLOSED);
  EXPECT_TRUE(bed.p.firmware->booted());
  EXPECT_EQ(bed.p.firmware->stats().give_ups, 0u);
  const auto& ab = bed.p.link.counters(toe::sc::LinkDirection::AtoB);
  const auto& ba = bed.p.link.counters(toe::sc::LinkDirection::BtoA);
  if (loss > 0) {
    EXPECT_GT(ab.lost + ba.lost, 0u);
    EXPECT_GT(ab.reordered + ba.reordered, 0u);
    EXPECT_GT(ab.duplicated + ba.duplicated, 0u);
    EXPECT_GT(bed.p.firmware->stats().retransmits, 0u) << "the engine's losses were recovered by the firmware";
  } else {
    EXPECT_EQ(ab.lost + ba.lost, 0u);
  }
  std::ostringstream os;
  bed.p.print(os);
  RecordProperty("platform", os.str());
}

INSTANTIATE_TEST_SUITE_P(Loss, DriverPlatformLoss, ::testing::Values(0, 1, 5),
                         [](const ::testing::TestParamInfo<int>& i) { return std::to_string(i.param) + "pct"; });

// One connection of the driver's echo server.
struct Served {
  uint32_t conn = ~0u;
  std::vector<uint8_t> pending;  // received, not yet sent back
  size_t off = 0;                // of pending, sent
  uint64_t echoed = 0;
  bool eof = false, shut = false, done = false;
  bool closed = false, reset = false;
  toe_result_t error = TOE_OK;  // the first call that failed
};

TEST_F(DriverPlatform, ConnectByIpAddressTheFirmwareResolvesThePeer) {
  PlatformConfig cfg = firmware_config();
  Bed bed("bed", cfg);
  ASSERT_GE(bed.p.lwip.peer().listen(9000, PeerApp::kEcho), 0);
  const std::vector<uint8_t> data = pattern_bytes(64 * 1024, 7);
  ClientRun run;
  bed.host = [&](Bed& b) {
    echo_client(b, 9000, 40000, data, run, true);
    run.bus_errors = b.bus_errors();
  };
  ASSERT_TRUE(bed.go(sc_time(30, SC_SEC))) << "connect " << toe_result_str(run.connect);
  ASSERT_EQ(run.connect, TOE_OK);
  EXPECT_EQ(run.end, TOE_OK);
  EXPECT_TRUE(run.back == data) << "the echo differs (" << run.back.size() << " bytes)";
  EXPECT_EQ(bed.p.lwip.arp_replies(), 1u) << "one ARP request, answered";
  ASSERT_TRUE(bed.p.firmware);
  EXPECT_EQ(bed.p.firmware->stats().connects_resolved, 1u);
  EXPECT_EQ(bed.p.firmware->stats().arp_requests_out, 1u);
  EXPECT_EQ(run.bus_errors, 0u);
}

TEST_F(DriverPlatform, ConnectByIpAddressToNobodyIsNoRoute) {
  PlatformConfig cfg = firmware_config();
  Bed bed("bed", cfg);
  toe_result_t r = TOE_BUS_ERROR;
  sc_time took;
  bed.host = [&](Bed& b) {
    toe_connect_params_t cp{};
    cp.ipv4 = b.p.config().lwip.peer.local_ip + 50;  // on the link, nobody there
    cp.port = 9000;
    cp.lport = 40001;
    uint32_t conn = ~0u;
    const sc_time t0 = sc_core::sc_time_stamp();
    r = toe_connect(&b.dev, &cp, 10 * kSecond, &conn);
    took = sc_core::sc_time_stamp() - t0;
  };
  ASSERT_TRUE(bed.go(sc_time(30, SC_SEC)));
  EXPECT_EQ(r, TOE_NO_ROUTE) << toe_result_str(r);
  EXPECT_GE(took, sc_time(3, SC_SEC)) << "the request and 2 retries, 1 s apart, then given up";
  EXPECT_LT(took, sc_time(3.1, SC_SEC));
  EXPECT_EQ(bed.p.lwip.arp_replies(), 0u);
  ASSERT_TRUE(bed.p.firmware);
  EXPECT_EQ(bed.p.firmware->stats().connects_no_route, 1u);
  EXPECT_EQ(bed.p.firmware->stats().arp_requests_out, 3u);
}

TEST_F(DriverPlatform, HundredConnectionsToADriverEchoServer) {
  PlatformConfig cfg = firmware_config();
  cfg.device.params.sessions = 128;
  cfg.device.params.rx_buf_bytes = 4096;
  cfg.device.params.tx_buf_bytes = 4096;
  Bed bed("bed", cfg);
  ASSERT_TRUE(bed.p.firmware);
  toe::sim::LwipPeer& peer = bed.p.lwip.peer();
  constexpr size_t kClients = 100;
  std::vector<EchoClient> clients;
  for (size_t i = 0; i < kClients; ++i) {
    clients.push_back(EchoClient{peer});
    clients.back().data = pattern_bytes(2000 + 37 * i, 100 + i);
  }
  std::vector<Served> served;
  toe_result_t loop_r = TOE_OK;
  uint32_t bus_errors = ~0u;
  bed.host = [&](Bed& b) {
    // All 100 SYNs arrive together: let the SYN cache hold them all (its default is Sessions / 2).
    ASSERT_EQ(b.bus.mmio()->write32(b.bus.mmio()->ctx, TOE_REG_MAX_HALF_OPEN_OFFSET, 128, 0xF), TOE_BUS_OK);
    ASSERT_EQ(toe_listen(&b.dev, 7), TOE_OK);
    std::vector<uint8_t> buf(4096);
    for (;;) {
      bool moved = false;
      uint32_t c = ~0u;
      toe_result_t r;
      while ((r = toe_accept(&b.dev, 7, 0, &c)) == TOE_OK) {
        served.push_back(Served{});
        served.back().conn = c;
        moved = true;
      }
      if (r != TOE_WOULD_BLOCK) {
        loop_r = r;
        return;
      }
      size_t done = 0;
      for (Served& s : served) {
        if (s.done) {
          ++done;
          continue;
        }
        if (s.off < s.pending.size()) {
          size_t sent = 0;
          r = toe_send(&b.dev, s.conn, s.pending.data() + s.off, s.pending.size() - s.off, 0, &sent);
          if (r != TOE_OK && r != TOE_WOULD_BLOCK) s.error = r;
          s.off += sent;
          s.echoed += sent;
          moved = moved || sent > 0;
        }
        if (s.error == TOE_OK && s.off == s.pending.size() && !s.eof) {
          size_t got = 0;
          r = toe_recv(&b.dev, s.conn, buf.data(), buf.size(), 0, &got);
          if (r == TOE_CLOSED) {
            s.eof = true;
          } else if (r != TOE_OK && r != TOE_WOULD_BLOCK) {
            s.error = r;
          }
          s.pending.assign(buf.begin(), buf.begin() + long(got));
          s.off = 0;
          moved = moved || got > 0;
        }
        if (s.error == TOE_OK && s.eof && s.off == s.pending.size() && !s.shut) {
          s.error = toe_shutdown(&b.dev, s.conn);
          s.shut = true;
          moved = true;
        }
        const toe_conn_t& dc = b.dev.conns[s.conn];
        if (s.error != TOE_OK || (s.shut && (dc.closed || dc.reset || dc.timed_out))) {
          s.closed = dc.closed;
          s.reset = dc.reset;
          s.done = true;
        }
      }
      if (served.size() == kClients && done == kClients) break;
      if (!moved) {
        r = toe_wait_event(&b.dev, 100000, nullptr);
        if (r != TOE_OK && r != TOE_TIMED_OUT) {
          loop_r = r;
          return;
        }
      }
    }
    bus_errors = b.bus_errors();
  };
  int rounds = 0;
  bed.peer_step = [&] {
    if (++rounds == 4) {
      for (auto& cl : clients) cl.conn = peer.connect(cfg.engine_ip, 7, 0, PeerApp::kManual);
    }
    bool all = rounds > 4;
    for (auto& cl : clients) {
      cl.round();
      all = all && cl.close_sent && lwip_done(peer.state(cl.conn));
    }
    return all;
  };
  const auto t0 = std::chrono::steady_clock::now();
  const bool finished = bed.go(sc_time(120, SC_SEC));
  report_wall("100 connections through the driver's echo server", t0);
  size_t done = 0, lwip_resets = 0;
  for (const Served& s : served) done += s.done ? 1 : 0;
  for (const auto& cl : clients) lwip_resets += peer.was_reset(cl.conn) ? 1 : 0;
  ASSERT_TRUE(finished) << served.size() << " accepted, " << done << " done; lwIP saw " << lwip_resets
                        << " resets; loop " << toe_result_str(loop_r);
  EXPECT_EQ(loop_r, TOE_OK) << toe_result_str(loop_r);
  EXPECT_EQ(bus_errors, 0u) << "no access was refused";
  EXPECT_EQ(lwip_resets, 0u);
  for (size_t i = 0; i < clients.size(); ++i) EXPECT_TRUE(clients[i].back == clients[i].data) << "client " << i;
  ASSERT_EQ(served.size(), kClients);
  std::map<uint32_t, int> sessions;
  uint64_t echoed = 0, expected = 0;
  for (const Served& s : served) {
    ++sessions[s.conn];
    echoed += s.echoed;
    EXPECT_EQ(s.error, TOE_OK) << "conn " << s.conn << ": " << toe_result_str(s.error);
    EXPECT_TRUE(s.closed) << "conn " << s.conn << " was not freed";
    EXPECT_FALSE(s.reset) << "conn " << s.conn;
  }
  for (const auto& cl : clients) expected += cl.data.size();
  EXPECT_EQ(sessions.size(), kClients) << "100 sessions at once";
  EXPECT_EQ(echoed, expected);
  EXPECT_EQ(bed.p.firmware->stats().give_ups, 0u);
}

}  // namespace
