// SPDX-License-Identifier: Apache-2.0
// The host driver against the SystemC platform (sim/systemc/platform.hpp): the C driver runs in
// an SC_THREAD on the device's host port through DriverTlm (sim/systemc), with the device's interrupt line
// for its waits; lwIP is the peer, driven from a second SC_THREAD. The firmware's timers
// (SlowPathTimers) learn the host's events through the driver's event hook.
//   DriverPlatform.EchoServerServes64KiBToAnLwipClient  toe_listen/accept/recv/send/shutdown
//   DriverPlatform.ConnectToAnLwipListener              toe_connect, 32 KiB echoed, conn_info
//   DriverPlatform.ConnectToAClosedPortIsRefused        lwIP answers RST: TOE_REFUSED
//   DriverPlatform.PeerResetIsReportedAsReset           lwIP aborts: the next recv is TOE_RESET
//   DriverPlatform.AbortSendsARstToThePeer              toe_abort: lwIP sees the RST
//   DriverPlatform.HalfCloseThenReadUntilEndOfStream    toe_shutdown, then recv until TOE_CLOSED
//   DriverPlatform.BlockingCallsTimeOutAtTheirTime      accept and recv time out on simulated time
// The suite through the driver, with the C firmware of firmware/ as the slow path
// (PlatformConfig::SlowPath::kFirmware: FirmwareNode on the firmware port, RFC 6298 with the
// test's 10 ms floor, TIME_WAIT 2 * 10 ms):
//   DriverPlatformLoss.OneMegabyteEachWayToAnLwipEchoListener/{0,1,5}pct
//        the driver connects to an lwIP echo listener, sends 1 MiB and reads back 1 MiB
//        byte-exact over a link with that loss (and 1 % reordering and duplication when lossy),
//        shuts down, reads to end of stream; the connection ends closed (TIME_WAIT expired)
//   DriverPlatform.HundredConnectionsToADriverEchoServer
//        100 lwIP clients at once to an echo server written on the driver (accept, recv, send,
//        shutdown, one loop over every connection), 2000..5663 bytes each, byte-exact, each
//        connection closed cleanly on both sides
// Each of these prints its wall and simulated time ("[ wall ]").
// test_driver_platform_rtl runs the same tests with the Verilated toe_engine behind the device
// (TOE_PLATFORM_ENGINE "rtl"; ctest names rtl.*, label rtl). The lossy 1 MiB runs are not
// registered there: lwIP's own retransmission timer makes them last 10-80 simulated seconds,
// billions of clocks for the Verilated engine, which evaluates every clock.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "platform.hpp"
#include "tlm_bench.hpp"  // fresh_simulation
#include "driver_tlm.hpp"
#include "toe/toe_driver.h"
#include "toe_defs.h"
#include "toe_regs.h"

#ifndef TOE_PLATFORM_ENGINE
#define TOE_PLATFORM_ENGINE "model"
#endif

namespace {

using sc_core::sc_time;
using sc_core::SC_MS;
using sc_core::SC_SEC;
using sc_core::SC_US;
using toe::sc::DriverTlm;
using toe::sc::Platform;
using toe::sc::PlatformConfig;
using toe::sim::PeerApp;

constexpr uint32_t kSecond = 1000000;  // us

std::vector<uint8_t> pattern_bytes(size_t n, uint64_t seed) {
  std::vector<uint8_t> v(n);
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (auto& b : v) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    b = uint8_t(x);
  }
  return v;
}

PlatformConfig base_config() {
  PlatformConfig c;
  c.device.engine = TOE_PLATFORM_ENGINE;
  c.timers.rto_initial = sc_time(10, SC_MS);
  c.timers.msl = sc_time(10, SC_MS);
  return c;
}

bool lwip_done(toe::TcpState s) { return s == toe::TcpState::CLOSED || s == toe::TcpState::TIME_WAIT; }

// The platform, the driver on its host port (host thread) and the lwIP side (peer thread).
struct Bed : sc_core::sc_module {
  Platform p;
  DriverTlm bus;
  toe_dev_t dev{};
  std::vector<toe_conn_t> conns;  // DriverTlm::open: the device's SESSIONS
  std::function<void(Bed&)> host;   // the driver's work, after toe_open and toe_configure
  std::function<bool()> peer_step;  // one round of the lwIP side; true when it is done
  bool host_done = false, peer_done = false;
  toe_result_t open_result = TOE_BUS_ERROR;

  SC_HAS_PROCESS(Bed);
  Bed(sc_core::sc_module_name n, const PlatformConfig& cfg) : sc_core::sc_module(n), p("p", cfg), bus("bus", p.irq) {
    sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    bus.socket.bind(p.dev.host);
    SC_THREAD(host_thread);
    SC_THREAD(peer_thread);
  }

  void host_thread() {
    open_result = bus.open(dev, conns, p);
    if (open_result == TOE_OK && host) host(*this);
    host_done = true;
    finish();
  }

  void peer_thread() {
    for (;;) {
      if (!peer_done && peer_step) peer_done = peer_step();
      if (!peer_step) peer_done = true;
      p.lwip.poke();
      if (peer_done && host_done) break;
      wait(sc_time(50, SC_US));
    }
    finish();
  }

  void finish() {
    if (host_done && peer_done) sc_core::sc_stop();
  }

  bool go(const sc_time& limit) {
    sc_core::sc_start(limit);
    return host_done && peer_done;
  }

  // In the host thread: BUS_ERRORS through the driver's transport.
  uint32_t bus_errors() {
    uint32_t v = ~0u;
    bus.mmio()->read32(bus.mmio()->ctx, TOE_REG_BUS_ERRORS_OFFSET, &v);
    return v;
  }
};

// An lwIP client (kManual) that sends `data` and reads back the echo, then closes.
struct EchoClient {
  toe::sim::LwipPeer& peer;
  int conn = -1;
  std::vector<uint8_t> data;
  size_t sent = 0;
  std::vector<uint8_t> back;
  bool close_sent = false;

  void round() {
    if (conn < 0) return;
    if (sent < data.size()) {
      const size_t space = peer.send_space(conn);
      if (space > 0) sent += peer.send(conn, data.data() + sent, std::min(space, data.size() - sent));
    }
    const std::vector<uint8_t> got = peer.take_received(conn);
    back.insert(back.end(), got.begin(), got.end());
    if (!close_sent && back.size() >= data.size()) {
      peer.close(conn);
      close_sent = true;
    }
  }
};

// In the host thread: echo everything received on conn until the peer closes, then shut down
// and wait for the connection to end. The result of the first call that was not OK.
toe_result_t echo(toe_dev_t* dev, uint32_t conn, uint64_t* echoed) {
  std::vector<uint8_t> buf(4096);
  for (;;) {
    size_t got = 0;
    toe_result_t r = toe_recv(dev, conn, buf.data(), buf.size(), 2 * kSecond, &got);
    if (r == TOE_CLOSED) break;
    if (r != TOE_OK) return r;
    size_t off = 0;
    while (off < got) {
      size_t sent = 0;
      r = toe_send(dev, conn, buf.data() + off, got - off, 2 * kSecond, &sent);
      if (r != TOE_OK) return r;
      off += sent;
    }
    *echoed += got;
  }
  toe_result_t r = toe_shutdown(dev, conn);
  if (r != TOE_OK) return r;
  while (!dev->conns[conn].closed && !dev->conns[conn].reset) {
    r = toe_wait_event(dev, kSecond, nullptr);
    if (r != TOE_OK) return r;
  }
  return dev->conns[conn].reset ? TOE_RESET : TOE_OK;
}

class DriverPlatform : public ::testing::Test {
 protected:
  void SetUp() override { toe::platform_test::fresh_simulation(); }
};

TEST_F(DriverPlatform, EchoServerServes64KiBToAnLwipClient) {
  PlatformConfig cfg = base_config();
  Bed bed("bed", cfg);
  toe::sim::LwipPeer& peer = bed.p.lwip.peer();
  EchoClient client{peer};
  client.data = pattern_bytes(64 * 1024, 1);
  toe_result_t accept_r = TOE_BUS_ERROR, echo_r = TOE_BUS_ERROR;
  uint64_t echoed = 0;
  uint32_t bus_errors = ~0u;
  bed.host = [&](Bed& b) {
    ASSERT_EQ(toe_listen(&b.dev, 7), TOE_OK);
    uint32_t conn = ~0u;
    accept_r = toe_accept(&b.dev, 7, kSecond, &conn);
    if (accept_r != TOE_OK) return;
    echo_r = echo(&b.dev, conn, &echoed);
    bus_errors = b.bus_errors();
  };
  int rounds = 0;
  bed.peer_step = [&] {
    if (client.conn < 0 && ++rounds == 4) client.conn = peer.connect(cfg.engine_ip, 7, 0, PeerApp::kManual);
    client.round();
    return client.close_sent && lwip_done(peer.state(client.conn));
  };
  ASSERT_TRUE(bed.go(sc_time(30, SC_SEC))) << "not finished: " << client.back.size() << " bytes back, accept "
                                          << toe_result_str(accept_r) << ", echo " << toe_result_str(echo_r);
  EXPECT_EQ(bed.open_result, TOE_OK);
  EXPECT_EQ(accept_r, TOE_OK);
  EXPECT_EQ(echo_r, TOE_OK);
  EXPECT_EQ(echoed, client.data.size());
  EXPECT_TRUE(client.back == client.data) << "the echo differs (" << client.back.size() << " bytes)";
  EXPECT_FALSE(peer.was_reset(client.conn));
  EXPECT_EQ(bus_errors, 0u) << "no access was refused";
}

TEST_F(DriverPlatform, ConnectToAnLwipListener) {
  PlatformConfig cfg = base_config();
  Bed bed("bed", cfg);
  toe::sim::LwipPeer& peer = bed.p.lwip.peer();
  ASSERT_GE(peer.listen(9000, PeerApp::kEcho), 0);
  const std::vector<uint8_t> data = pattern_bytes(32 * 1024, 2);
  std::vector<uint8_t> back;
  toe_result_t connect_r = TOE_BUS_ERROR, end_r = TOE_BUS_ERROR;
  toe_conn_info_t info{};
  bed.host = [&](Bed& b) {
    toe_connect_params_t cp{};
    cp.ipv4 = cfg.lwip.peer.local_ip;
    cp.port = 9000;
    cp.lport = 40000;
    for (int i = 0; i < 6; ++i) cp.peer_mac[i] = cfg.lwip.mac.b[size_t(i)];
    uint32_t conn = ~0u;
    connect_r = toe_connect(&b.dev, &cp, kSecond, &conn);
    if (connect_r != TOE_OK) return;
    ASSERT_EQ(toe_conn_info(&b.dev, conn, &info), TOE_OK);
    size_t off = 0;
    std::vector<uint8_t> buf(4096);
    bool shut = false;
    for (;;) {
      bool did = false;
      if (off < data.size()) {
        size_t sent = 0;
        const toe_result_t r = toe_send(&b.dev, conn, data.data() + off, data.size() - off, 0, &sent);
        if (r != TOE_OK && r != TOE_WOULD_BLOCK) {
          end_r = r;
          return;
        }
        off += sent;
        did = did || sent > 0;
      } else if (!shut) {
        ASSERT_EQ(toe_shutdown(&b.dev, conn), TOE_OK);
        shut = true;
      }
      size_t got = 0;
      const toe_result_t r = toe_recv(&b.dev, conn, buf.data(), buf.size(), 0, &got);
      if (r == TOE_CLOSED) break;
      if (r != TOE_OK && r != TOE_WOULD_BLOCK) {
        end_r = r;
        return;
      }
      back.insert(back.end(), buf.begin(), buf.begin() + long(got));
      did = did || got > 0;
      if (!did) {
        const toe_result_t w = toe_wait_event(&b.dev, 100000, nullptr);
        if (w != TOE_OK && w != TOE_TIMED_OUT) {
          end_r = w;
          return;
        }
      }
    }
    end_r = TOE_OK;
  };
  ASSERT_TRUE(bed.go(sc_time(30, SC_SEC))) << "not finished: connect " << toe_result_str(connect_r) << ", "
                                          << back.size() << " bytes back";
  ASSERT_EQ(connect_r, TOE_OK);
  EXPECT_EQ(end_r, TOE_OK);
  EXPECT_EQ(info.state, TOE_STATE_ESTABLISHED);
  EXPECT_EQ(info.passive, 0);
  EXPECT_EQ(info.lport, 40000);
  EXPECT_EQ(info.rport, 9000);
  EXPECT_EQ(info.remote_ipv4, cfg.lwip.peer.local_ip);
  EXPECT_EQ(info.snd_nxt, info.snd_una) << "nothing sent yet";
  EXPECT_TRUE(back == data) << "the echo differs (" << back.size() << " bytes)";
}

TEST_F(DriverPlatform, ConnectToAClosedPortIsRefused) {
  PlatformConfig cfg = base_config();
  Bed bed("bed", cfg);
  toe_result_t r = TOE_BUS_ERROR;
  bed.host = [&](Bed& b) {
    toe_connect_params_t cp{};
    cp.ipv4 = cfg.lwip.peer.local_ip;
    cp.port = 9001;
    cp.lport = 40001;
    for (int i = 0; i < 6; ++i) cp.peer_mac[i] = cfg.lwip.mac.b[size_t(i)];
    uint32_t conn = ~0u;
    r = toe_connect(&b.dev, &cp, kSecond, &conn);
  };
  ASSERT_TRUE(bed.go(sc_time(5, SC_SEC)));
  EXPECT_EQ(r, TOE_REFUSED) << toe_result_str(r);
}

TEST_F(DriverPlatform, PeerResetIsReportedAsReset) {
  PlatformConfig cfg = base_config();
  Bed bed("bed", cfg);
  toe::sim::LwipPeer& peer = bed.p.lwip.peer();
  int conn = -1;
  toe_result_t first = TOE_BUS_ERROR, second = TOE_BUS_ERROR;
  bool aborted = false;
  bed.host = [&](Bed& b) {
    ASSERT_EQ(toe_listen(&b.dev, 7), TOE_OK);
    uint32_t c = ~0u;
    ASSERT_EQ(toe_accept(&b.dev, 7, kSecond, &c), TOE_OK);
    uint8_t buf[64];
    size_t got = 0;
    // The peer sends nothing and aborts: the recv that was waiting returns TOE_RESET.
    first = toe_recv(&b.dev, c, buf, sizeof buf, kSecond, &got);
    second = toe_send(&b.dev, c, buf, 1, 0, &got);
  };
  int rounds = 0;
  bed.peer_step = [&] {
    ++rounds;
    if (conn < 0 && rounds == 4) conn = peer.connect(cfg.engine_ip, 7, 0, PeerApp::kManual);
    if (conn >= 0 && !aborted && peer.state(conn) == toe::TcpState::ESTABLISHED && rounds > 40) {
      peer.abort(conn);
      aborted = true;
    }
    return aborted;
  };
  ASSERT_TRUE(bed.go(sc_time(5, SC_SEC)));
  EXPECT_EQ(first, TOE_RESET) << toe_result_str(first);
  EXPECT_EQ(second, TOE_RESET) << toe_result_str(second);
}

TEST_F(DriverPlatform, AbortSendsARstToThePeer) {
  PlatformConfig cfg = base_config();
  Bed bed("bed", cfg);
  toe::sim::LwipPeer& peer = bed.p.lwip.peer();
  int conn = -1;
  toe_result_t after = TOE_BUS_ERROR;
  bed.host = [&](Bed& b) {
    ASSERT_EQ(toe_listen(&b.dev, 7), TOE_OK);
    uint32_t c = ~0u;
    ASSERT_EQ(toe_accept(&b.dev, 7, kSecond, &c), TOE_OK);
    ASSERT_EQ(toe_abort(&b.dev, c), TOE_OK);
    uint8_t buf[4];
    size_t got = 0;
    after = toe_recv(&b.dev, c, buf, sizeof buf, 0, &got);
  };
  int rounds = 0;
  bed.peer_step = [&] {
    if (conn < 0 && ++rounds == 4) conn = peer.connect(cfg.engine_ip, 7, 0, PeerApp::kManual);
    return conn >= 0 && peer.was_reset(conn);
  };
  ASSERT_TRUE(bed.go(sc_time(5, SC_SEC))) << "lwIP saw no RST";
  EXPECT_EQ(after, TOE_CLOSED);
}

TEST_F(DriverPlatform, HalfCloseThenReadUntilEndOfStream) {
  PlatformConfig cfg = base_config();
  Bed bed("bed", cfg);
  toe::sim::LwipPeer& peer = bed.p.lwip.peer();
  const std::vector<uint8_t> data = pattern_bytes(20000, 3);
  int conn = -1;
  size_t sent = 0;
  bool closed = false;
  std::vector<uint8_t> got_by_host;
  toe_result_t end_r = TOE_BUS_ERROR;
  bed.host = [&](Bed& b) {
    ASSERT_EQ(toe_listen(&b.dev, 7), TOE_OK);
    uint32_t c = ~0u;
    ASSERT_EQ(toe_accept(&b.dev, 7, kSecond, &c), TOE_OK);
    ASSERT_EQ(toe_shutdown(&b.dev, c), TOE_OK);  // our FIN first; we still receive
    std::vector<uint8_t> buf(3000);
    for (;;) {
      size_t got = 0;
      end_r = toe_recv(&b.dev, c, buf.data(), buf.size(), kSecond, &got);
      if (end_r != TOE_OK) break;
      got_by_host.insert(got_by_host.end(), buf.begin(), buf.begin() + long(got));
    }
  };
  int rounds = 0;
  bed.peer_step = [&] {
    if (conn < 0 && ++rounds == 4) conn = peer.connect(cfg.engine_ip, 7, 0, PeerApp::kManual);
    if (conn < 0) return false;
    if (sent < data.size()) {
      const size_t space = peer.send_space(conn);
      if (space > 0) sent += peer.send(conn, data.data() + sent, std::min(space, data.size() - sent));
    } else if (!closed) {
      peer.close(conn);
      closed = true;
    }
    return closed && lwip_done(peer.state(conn));
  };
  ASSERT_TRUE(bed.go(sc_time(10, SC_SEC))) << got_by_host.size() << " bytes, " << toe_result_str(end_r);
  EXPECT_EQ(end_r, TOE_CLOSED) << toe_result_str(end_r);
  EXPECT_TRUE(got_by_host == data) << got_by_host.size() << " bytes";
}

TEST_F(DriverPlatform, BlockingCallsTimeOutAtTheirTime) {
  PlatformConfig cfg = base_config();
  Bed bed("bed", cfg);
  toe_result_t ra = TOE_BUS_ERROR, rw = TOE_BUS_ERROR;
  sc_time t0, ta, tw;
  bed.host = [&](Bed& b) {
    ASSERT_EQ(toe_listen(&b.dev, 7), TOE_OK);
    uint32_t c = ~0u;
    t0 = sc_core::sc_time_stamp();
    ra = toe_accept(&b.dev, 7, 25000, &c);  // 25 ms: three slices of the driver's wait
    ta = sc_core::sc_time_stamp();
    rw = toe_wait_event(&b.dev, 3000, nullptr);
    tw = sc_core::sc_time_stamp();
  };
  ASSERT_TRUE(bed.go(sc_time(5, SC_SEC)));
  EXPECT_EQ(ra, TOE_TIMED_OUT);
  EXPECT_EQ(rw, TOE_TIMED_OUT);
  EXPECT_GE(ta - t0, sc_time(25, SC_MS));
  EXPECT_LT(ta - t0, sc_time(26, SC_MS));
  EXPECT_GE(tw - ta, sc_time(3, SC_MS));
  EXPECT_LT(tw - ta, sc_time(4, SC_MS));
}

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
// connection (event closed, after TIME_WAIT).
void echo_client(Bed& b, uint16_t port, uint16_t lport, const std::vector<uint8_t>& data, ClientRun& out) {
  toe_connect_params_t cp{};
  cp.ipv4 = b.p.config().lwip.peer.local_ip;
  cp.port = port;
  cp.lport = lport;
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
