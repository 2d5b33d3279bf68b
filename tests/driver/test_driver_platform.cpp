// SPDX-License-Identifier: Apache-2.0
// The host driver against the SystemC platform (sim/systemc/platform.hpp): the C driver runs in
// an SC_THREAD on the device's host port through DriverTlm (sim/systemc), with the device's interrupt line
// for its waits; lwIP is the peer, driven from a second SC_THREAD. The firmware's timers
// (SlowPathTimers) learn the host's events through the driver's event hook.
//   DriverPlatform.EchoServerServes64KiBToAnLwipClient  toe_listen/accept/recv/send/shutdown
//   DriverPlatform.ADecoupledDriverEchoes64KiBTheSame    the same with DriverTlm temporally decoupled
//   DriverPlatform.ConnectToAnLwipListener              toe_connect, 32 KiB echoed, conn_info
//   DriverPlatform.ConnectToAClosedPortIsRefused        lwIP answers RST: TOE_REFUSED
//   DriverPlatform.PeerResetIsReportedAsReset           lwIP aborts: the next recv is TOE_RESET
//   DriverPlatform.AbortSendsARstToThePeer              toe_abort: lwIP sees the RST
//   DriverPlatform.HalfCloseThenReadUntilEndOfStream    toe_shutdown, then recv until TOE_CLOSED
//   DriverPlatform.BlockingCallsTimeOutAtTheirTime      accept and wait_event time out on simulated time
//   DriverPlatform.RecvSendAndConnectTimeOutAtTheirTime recv, send (window full), connect_wait and
//        connect (nobody answers) time out on simulated time
//   DriverPlatform.ConnectByIpAddressNeedsARPOnTheFirmwarePort
//        no MAC: the timer policy (no ARP) answers no_route at once (TOE_NO_ROUTE); with nothing
//        on the firmware port the device refuses it (TOE_NO_FIRMWARE)
// The suite through the driver, with the C firmware as the slow path, is in
// test_driver_platform_suite.cpp; the bench (Bed) and the fixture in driver_platform_bed.hpp.
// test_driver_platform_rtl runs the same tests with the Verilated toe_engine behind the device
// (TOE_PLATFORM_ENGINE "rtl"; ctest names rtl.*, label rtl). Its lossy 1 MiB runs last 10-80
// simulated seconds (lwIP's own retransmission timer), mostly idle clocks the device skips, yet
// about half a minute of wall time each: label heavy (tests/driver/CMakeLists.txt).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
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

TEST_F(DriverPlatform, EchoServerServes64KiBToAnLwipClient) {
  PlatformConfig cfg = base_config();
  Bed bed("bed", cfg);
  toe::sim::LwipPeer& peer = bed.p.lwip.peer();
  EchoClient client{peer};
  client.data = pattern_bytes(64 * 1024, 1);
  toe_result_t accept_r = TOE_BUS_ERROR, echo_r = TOE_BUS_ERROR;
  toe_conn_info_t accepted_info{};
  uint64_t echoed = 0;
  uint32_t bus_errors = ~0u;
  bed.host = [&](Bed& b) {
    ASSERT_EQ(toe_listen(&b.dev, 7), TOE_OK);
    uint32_t conn = ~0u;
    accept_r = toe_accept(&b.dev, 7, kSecond, &conn);
    if (accept_r != TOE_OK) return;
    // HS8 (seed 003): accept returns once the final ACK has arrived: the engine is ESTABLISHED
    // (SYN-RECEIVED before it).
    ASSERT_EQ(toe_conn_info(&b.dev, conn, &accepted_info), TOE_OK);
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
  EXPECT_EQ(accepted_info.state, TOE_STATE_ESTABLISHED) << "accept returned before the final ACK";
  EXPECT_EQ(echo_r, TOE_OK);
  EXPECT_EQ(echoed, client.data.size());
  EXPECT_TRUE(client.back == client.data) << "the echo differs (" << client.back.size() << " bytes)";
  EXPECT_FALSE(peer.was_reset(client.conn));
  EXPECT_EQ(bus_errors, 0u) << "no access was refused";
}

TEST_F(DriverPlatform, ADecoupledDriverEchoes64KiBTheSame) {
  // DriverTlm::set_quantum: the driver runs ahead of simulated time by its accesses' delays and
  // waits once a microsecond has gathered; every byte still comes back, in order.
  PlatformConfig cfg = base_config();
  Bed bed("bed", cfg);
  bed.bus.set_quantum(sc_time(1, SC_US));
  toe::sim::LwipPeer& peer = bed.p.lwip.peer();
  EchoClient client{peer};
  client.data = pattern_bytes(64 * 1024, 2);
  toe_result_t echo_r = TOE_BUS_ERROR;
  uint64_t echoed = 0;
  sc_time ahead = sc_core::SC_ZERO_TIME;  // the driver's local offset right after toe_listen
  bed.host = [&](Bed& b) {
    ASSERT_EQ(toe_listen(&b.dev, 7), TOE_OK);
    ahead = b.bus.local_offset();
    uint32_t conn = ~0u;
    ASSERT_EQ(toe_accept(&b.dev, 7, kSecond, &conn), TOE_OK);
    echo_r = echo(&b.dev, conn, &echoed);
  };
  int rounds = 0;
  bed.peer_step = [&] {
    if (client.conn < 0 && ++rounds == 4) client.conn = peer.connect(cfg.engine_ip, 7, 0, PeerApp::kManual);
    client.round();
    return client.close_sent && lwip_done(peer.state(client.conn));
  };
  ASSERT_TRUE(bed.go(sc_time(30, SC_SEC))) << client.back.size() << " bytes back, echo " << toe_result_str(echo_r);
  EXPECT_GT(ahead, sc_core::SC_ZERO_TIME) << "the driver did not run ahead: not decoupled";
  EXPECT_LT(ahead, sc_time(1, SC_US));
  EXPECT_EQ(echo_r, TOE_OK);
  EXPECT_EQ(echoed, client.data.size());
  EXPECT_TRUE(client.back == client.data) << "the echo differs (" << client.back.size() << " bytes)";
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
  uint64_t engine_frames_at_connect = 0;
  bed.host = [&](Bed& b) {
    const toe_connect_params_t cp = lwip_connect_params(cfg, 9000, 40000);
    uint32_t conn = ~0u;
    connect_r = toe_connect(&b.dev, &cp, kSecond, &conn);
    if (connect_r != TOE_OK) return;
    // connect returns once the SYN-ACK has arrived and the ACK is sent: two frames out.
    engine_frames_at_connect = b.p.link.counters(toe::sc::LinkDirection::AtoB).frames_in;
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
  EXPECT_EQ(engine_frames_at_connect, 2u) << "the SYN and the ACK";
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
    const toe_connect_params_t cp = lwip_connect_params(cfg, 9001, 40001);
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

TEST_F(DriverPlatform, ConnectByIpAddressNeedsARPOnTheFirmwarePort) {
  for (const PlatformConfig::SlowPath sp : {PlatformConfig::SlowPath::kTimers, PlatformConfig::SlowPath::kNone}) {
    toe::platform_test::fresh_simulation();
    PlatformConfig cfg = base_config();
    cfg.slow_path = sp;
    Bed bed("bed", cfg);
    toe_result_t r = TOE_BUS_ERROR;
    sc_time took;
    bed.host = [&](Bed& b) {
      toe_connect_params_t cp{};
      cp.ipv4 = cfg.lwip.peer.local_ip;
      cp.port = 9000;
      cp.lport = 40000;
      uint32_t conn = ~0u;
      const sc_time t0 = sc_core::sc_time_stamp();
      r = toe_connect(&b.dev, &cp, kSecond, &conn);
      took = sc_core::sc_time_stamp() - t0;
    };
    ASSERT_TRUE(bed.go(sc_time(5, SC_SEC)));
    if (sp == PlatformConfig::SlowPath::kTimers) {
      EXPECT_EQ(r, TOE_NO_ROUTE) << toe_result_str(r);
      EXPECT_LT(took, sc_time(1, SC_MS)) << "answered at once, not at the driver's timeout";
      ASSERT_TRUE(bed.p.timers);
      EXPECT_EQ(bed.p.timers->counters().no_route, 1u);
    } else {
      EXPECT_EQ(r, TOE_NO_FIRMWARE) << toe_result_str(r);
      EXPECT_EQ(TOE_REG_FIELD_GET(toe_last_bus_error(&bed.dev), LAST_ERROR, CODE),
                uint32_t(TOE_REG_LAST_ERROR_CODE_NO_FIRMWARE));
    }
  }
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

// The other blocking calls, each timing out at its time (simulated): recv on a connection the
// peer sends nothing on, send once lwIP's window (it never reads: kManual) and the engine's
// transmit buffer are full, and an active open to an address nobody has (connect_wait, then
// connect, each cancelling the attempt).
TEST_F(DriverPlatform, RecvSendAndConnectTimeOutAtTheirTime) {
  PlatformConfig cfg = base_config();
  Bed bed("bed", cfg);
  toe::sim::LwipPeer& peer = bed.p.lwip.peer();
  ASSERT_GE(peer.listen(9000, PeerApp::kManual), 0);
  struct Timed {
    toe_result_t r = TOE_BUS_ERROR;
    sc_time took;
  } recv_t, send_t, wait_t, connect_t;
  size_t queued = 0, sent_timed_out = 1;
  toe_result_t still_blocked = TOE_BUS_ERROR;
  bed.host = [&](Bed& b) {
    const auto timed = [](Timed& t, const std::function<toe_result_t()>& call) {
      const sc_time t0 = sc_core::sc_time_stamp();
      t.r = call();
      t.took = sc_core::sc_time_stamp() - t0;
    };
    const toe_connect_params_t cp = lwip_connect_params(cfg, 9000, 40000);
    uint32_t conn = ~0u;
    ASSERT_EQ(toe_connect(&b.dev, &cp, kSecond, &conn), TOE_OK);
    std::vector<uint8_t> buf(64 * 1024, 0x5A);
    size_t got = 0;
    timed(recv_t, [&] { return toe_recv(&b.dev, conn, buf.data(), buf.size(), 7000, &got); });
    // Fill lwIP's window and the engine's buffer, then let the in-flight ACKs settle (5 ms).
    for (int i = 0; i < 200; ++i) {
      size_t k = 0;
      const toe_result_t r = toe_send(&b.dev, conn, buf.data(), buf.size(), 0, &k);
      ASSERT_TRUE(r == TOE_OK || r == TOE_WOULD_BLOCK) << toe_result_str(r);
      queued += k;
      const sc_time until = sc_core::sc_time_stamp() + sc_time(1, SC_MS);
      while (sc_core::sc_time_stamp() < until) (void)toe_wait_event(&b.dev, 1000, nullptr);
    }
    size_t k = 0;
    still_blocked = toe_send(&b.dev, conn, buf.data(), buf.size(), 0, &k);
    timed(send_t, [&] { return toe_send(&b.dev, conn, buf.data(), buf.size(), 9000, &sent_timed_out); });
    // An address nobody on the link has: the SYN goes unanswered.
    toe_connect_params_t nobody = cp;
    nobody.ipv4 = cfg.lwip.peer.local_ip + 98;
    nobody.lport = 40001;
    uint32_t tag = 0, c2 = ~0u;
    ASSERT_EQ(toe_connect_start(&b.dev, &nobody, &tag), TOE_OK);
    timed(wait_t, [&] { return toe_connect_wait(&b.dev, tag, 11000, &c2); });
    ASSERT_EQ(toe_connect_cancel(&b.dev, tag), TOE_OK);
    nobody.lport = 40002;
    timed(connect_t, [&] { return toe_connect(&b.dev, &nobody, 13000, &c2); });
    (void)toe_abort(&b.dev, conn);
  };
  ASSERT_TRUE(bed.go(sc_time(5, SC_SEC)));
  // The driver's clock (toe_mmio_t::now_us) counts whole microseconds: a deadline is met to
  // within one of them, so "at its time" is [T - 1 us, T + 1 ms).
  const sc_time us(1, SC_US);
  EXPECT_EQ(recv_t.r, TOE_TIMED_OUT);
  EXPECT_GE(recv_t.took, sc_time(7, SC_MS) - us);
  EXPECT_LT(recv_t.took, sc_time(8, SC_MS));
  EXPECT_GT(queued, 0u);
  EXPECT_EQ(still_blocked, TOE_WOULD_BLOCK) << "lwIP's window and the transmit buffer are full";
  EXPECT_EQ(send_t.r, TOE_TIMED_OUT);
  EXPECT_EQ(sent_timed_out, 0u);
  EXPECT_GE(send_t.took, sc_time(9, SC_MS) - us);
  EXPECT_LT(send_t.took, sc_time(10, SC_MS));
  EXPECT_EQ(wait_t.r, TOE_TIMED_OUT);
  EXPECT_GE(wait_t.took, sc_time(11, SC_MS) - us);
  EXPECT_LT(wait_t.took, sc_time(12, SC_MS));
  EXPECT_EQ(connect_t.r, TOE_TIMED_OUT);
  EXPECT_GE(connect_t.took, sc_time(13, SC_MS) - us);
  EXPECT_LT(connect_t.took, sc_time(14, SC_MS));
}

}  // namespace
