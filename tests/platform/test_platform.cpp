// SPDX-License-Identifier: Apache-2.0
// The platform end to end (sim/systemc/platform.hpp): the device, the link and lwIP as the peer,
// the host side through the TLM host port only (HostApp: CMD, EVQ_*, the buffer windows; no
// back door), the C firmware of firmware/ on the firmware port (FirmwareNode; one test with the
// C++ timer policy, SlowPathTimers, instead). Each test checks the bytes both
// ways, byte for byte, and how the connections ended.
//   Platform.EchoOf64KiBToAnLwipClient         lwIP connects, sends 64 KiB, reads the echo, closes
//   Platform.ActiveOpenToAnLwipListener        the host connects out, sends 32 KiB, reads the echo
//   Platform.OneMegabyteEachWayAtLoss/{0,1,5}  1 MB echoed with loss, reordering and duplication
//   Platform.HundredConnectionsAtOnce          100 lwIP clients at once (Sessions = 128)
// test_platform_rtl runs them with the Verilated toe_engine behind the device (rtl.*).
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "host_app.hpp"
#include "platform.hpp"
#include "tlm_bench.hpp"
#include "toe_regs.h"

#ifndef TOE_PLATFORM_ENGINE
#define TOE_PLATFORM_ENGINE "model"
#endif

namespace {

using namespace toe::platform_test;
using sc_core::sc_time;
using sc_core::SC_MS;
using sc_core::SC_SEC;
using sc_core::SC_US;
using toe::sc::Platform;
using toe::sc::PlatformConfig;
using toe::sim::PeerApp;

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

// The platform, a host CPU on its host port running HostApp, and a script thread.
struct Bed : sc_core::sc_module {
  Platform p;
  TlmInitiator cpu{"cpu"};
  HostApp host;
  std::function<void()> setup;  // the host's set-up (listen, connect), in the thread after the configuration
  std::function<bool()> step;   // one round of the test's own work; true when the test is done
  bool done = false;
  uint64_t rounds = 0;

  SC_HAS_PROCESS(Bed);
  Bed(sc_core::sc_module_name n, const PlatformConfig& cfg)
      : sc_core::sc_module(n), p("p", cfg), host(cpu, cfg.device.params.tx_buf_bytes) {
    sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    cpu.socket.bind(p.dev.host);
    host.on_event = [this](uint32_t type, uint32_t conn, uint32_t value) {
      if (!p.timers) return;
      toe::model::Event e;
      e.type = toe::model::EvtType(type);
      e.conn = conn;
      e.value = value;
      p.timers->host_event(e);
    };
    SC_THREAD(run);
  }

  void run() {
    cpu.wr(TOE_REG_MAC_ADDR_LO_OFFSET, p.mac_lo());
    cpu.wr(TOE_REG_MAC_ADDR_HI_OFFSET, p.mac_hi());
    cpu.wr(TOE_REG_IPV4_ADDR_OFFSET, p.config().engine_ip);
    cpu.wr(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK);
    cpu.wr(TOE_REG_INTR_ENABLE_OFFSET, TOE_REG_INTR_ENABLE_EVQ_NOT_EMPTY_MASK);
    if (setup) setup();
    for (;;) {
      const bool busy = host.poll();
      ++rounds;
      if (step && step()) break;
      p.lwip.poke();
      if (busy) continue;
      // Nothing to do: sleep until the host event queue fills (irq), as a driver would, or
      // 200 us (the lwIP side's own work: its sends as its window opens).
      cpu.wr(TOE_REG_INTR_STATE_OFFSET, TOE_REG_INTR_STATE_EVQ_NOT_EMPTY_MASK);
      if (!p.irq.read()) wait(sc_time(200, SC_US), p.irq.posedge_event());
    }
    done = true;
    sc_core::sc_stop();
  }

  // Runs until step() says done or `limit` of simulated time; true when done.
  bool go(const sc_time& limit) {
    sc_core::sc_start(limit);
    return done;
  }
};

// How long a test may run in simulated time: a busy simulated second costs the Verilated engine
// far more wall time than the model, so a stuck run must end sooner there.
sc_time limit(double model_seconds, double rtl_seconds) {
  return sc_time(std::string(TOE_PLATFORM_ENGINE) == "rtl" ? rtl_seconds : model_seconds, SC_SEC);
}

// What the host saw of each connection, for failure messages.
std::string describe(const HostApp& h) {
  std::ostringstream os;
  for (const auto& [id, c] : h.conns()) {
    os << "conn " << id << ": opened " << c.opened << " rx " << c.rx_rd << "/" << c.rx_wr << " tx " << c.acked << "/"
       << c.tx_wr << " source_sent " << c.source_sent << " received " << c.received.size() << " echoed " << c.echoed
       << " peer_closed " << c.peer_closed << " close_sent " << c.close_sent << " closed " << c.closed << " reset "
       << c.reset << " timed_out " << c.timed_out << "\n";
  }
  os << h.events() << " events, " << h.connect_failures() << " connect failures";
  return os.str();
}

PlatformConfig base_config() {
  PlatformConfig c;
  c.device.engine = TOE_PLATFORM_ENGINE;
  // The slow path is the C firmware of firmware/ (FirmwareNode), with a policy quicker than
  // RFC 6298's 1 s and a real MSL (the link's round trip is tens of microseconds): simulated time
  // stays short.
  c.slow_path = PlatformConfig::SlowPath::kFirmware;
  c.firmware.fw.rto_initial_ms = 10;
  c.firmware.fw.rto_min_ms = 10;
  c.firmware.fw.rto_syn_reinit_ms = 0;
  c.firmware.fw.msl_ms = 10;
  return c;
}

// lwIP is done with a connection once it is closed or waiting out its TIME_WAIT (2 * lwIP's
// MSL of 60 s: longer than the tests run).
bool lwip_done(toe::TcpState s) { return s == toe::TcpState::CLOSED || s == toe::TcpState::TIME_WAIT; }

// An lwIP client (kManual) that sends `data` to port and reads back the echo, then closes.
struct EchoClient {
  toe::sim::LwipPeer& peer;
  int conn = -1;
  std::vector<uint8_t> data;
  size_t sent = 0;
  std::vector<uint8_t> back;
  bool close_sent = false;

  // One round: push what fits, take what came; close once everything came back.
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

class PlatformTest : public ::testing::Test {
 protected:
  void SetUp() override { fresh_simulation(); }
};

TEST_F(PlatformTest, EchoOf64KiBToAnLwipClient) {
  PlatformConfig cfg = base_config();
  Bed bed("bed", cfg);
  bed.setup = [&] { bed.host.listen(7, HostApp::Role::kEcho); };
  toe::sim::LwipPeer& peer = bed.p.lwip.peer();
  EchoClient client{peer};
  client.data = pattern_bytes(64 * 1024, 1);
  bed.step = [&] {
    if (client.conn < 0 && bed.rounds == 20) client.conn = peer.connect(cfg.engine_ip, 7, 0, PeerApp::kManual);
    client.round();
    return client.close_sent && bed.host.finished() == 1 && lwip_done(peer.state(client.conn));
  };
  ASSERT_TRUE(bed.go(limit(60, 2))) << "not finished: " << client.back.size() << " bytes back\n"
                                     << describe(bed.host);
  EXPECT_EQ(client.back, client.data);
  ASSERT_EQ(bed.host.conns().size(), 1u);
  const HostApp::Conn& c = bed.host.conns().begin()->second;
  EXPECT_EQ(c.echoed, client.data.size());
  EXPECT_TRUE(c.closed);
  EXPECT_FALSE(c.reset);
  EXPECT_FALSE(peer.was_reset(client.conn));
  uint32_t refused = ~0u;
  ASSERT_EQ(bed.cpu.dbg_read(TOE_REG_BUS_ERRORS_OFFSET, reinterpret_cast<unsigned char*>(&refused), 4), 4u);
  EXPECT_EQ(refused, 0u) << "no access was refused";
}

// The same echo with the host copying through the windows by DMI: the model grants it (and the
// bytes are the same), the Verilated engine denies it and the host falls back to the bus.
TEST_F(PlatformTest, EchoOf64KiBWithTheWindowsByDmi) {
  PlatformConfig cfg = base_config();
  Bed bed("bed", cfg);
  bed.host.use_dmi(true);
  bed.setup = [&] { bed.host.listen(7, HostApp::Role::kEcho); };
  toe::sim::LwipPeer& peer = bed.p.lwip.peer();
  EchoClient client{peer};
  client.data = pattern_bytes(64 * 1024, 3);
  bed.step = [&] {
    if (client.conn < 0 && bed.rounds == 20) client.conn = peer.connect(cfg.engine_ip, 7, 0, PeerApp::kManual);
    client.round();
    return client.close_sent && bed.host.finished() == 1 && lwip_done(peer.state(client.conn));
  };
  ASSERT_TRUE(bed.go(limit(60, 2))) << "not finished: " << client.back.size() << " bytes back\n"
                                     << describe(bed.host);
  EXPECT_EQ(client.back, client.data);
  if (std::string(TOE_PLATFORM_ENGINE) == "model")
    EXPECT_GT(bed.host.dmi_copies(), 20u);
  else
    EXPECT_EQ(bed.host.dmi_copies(), 0u);
}

TEST_F(PlatformTest, ActiveOpenToAnLwipListener) {
  PlatformConfig cfg = base_config();
  Bed bed("bed", cfg);
  toe::sim::LwipPeer& peer = bed.p.lwip.peer();
  ASSERT_GE(peer.listen(9000, PeerApp::kEcho), 0);
  const uint64_t n = 32 * 1024;
  bed.setup = [&] { bed.host.connect(cfg.lwip.peer.local_ip, 9000, 40000, cfg.lwip.mac, HostApp::Role::kSource, n); };
  bed.step = [&] {
    if (bed.host.conns().empty()) return false;
    const HostApp::Conn& c = bed.host.conns().begin()->second;
    return c.closed || c.reset || c.timed_out;
  };
  ASSERT_TRUE(bed.go(limit(60, 2))) << describe(bed.host);
  const HostApp::Conn& c = bed.host.conns().begin()->second;
  EXPECT_TRUE(c.closed);
  EXPECT_EQ(c.source_sent, n);
  ASSERT_EQ(c.received.size(), n) << "the echo";
  for (uint64_t i = 0; i < n; ++i) {
    if (c.received[i] != uint8_t((i * 7 + 3) & 0xFF)) {
      ADD_FAILURE() << "byte " << i << " of the echo differs";
      break;
    }
  }
}

class PlatformLoss : public PlatformTest, public ::testing::WithParamInterface<int> {};

TEST_P(PlatformLoss, OneMegabyteEachWayIsEchoedByteExact) {
  // With loss, lwIP's own retransmissions (its 250 ms timer tick) make the run last simulated
  // seconds, most of them idle: the device skips those clocks (the RTL too).
  PlatformConfig cfg = base_config();
  const double loss = GetParam() / 100.0;
  for (toe::sc::LinkConfig* l : {&cfg.to_peer, &cfg.to_device}) {
    l->propagation_delay = sc_time(20, SC_US);
    l->rate_bps = 1000000000;
    l->loss_probability = loss;
    l->reorder_probability = loss > 0 ? 0.01 : 0.0;
    l->reorder_delay = sc_time(100, SC_US);
    l->duplication_probability = loss > 0 ? 0.01 : 0.0;
  }
  cfg.to_peer.seed = 11;
  cfg.to_device.seed = 12;
  Bed bed("bed", cfg);
  bed.setup = [&] { bed.host.listen(7, HostApp::Role::kEcho); };
  toe::sim::LwipPeer& peer = bed.p.lwip.peer();
  EchoClient client{peer};
  client.data = pattern_bytes(1024 * 1024, 2);
  bed.step = [&] {
    if (client.conn < 0 && bed.rounds == 20) client.conn = peer.connect(cfg.engine_ip, 7, 0, PeerApp::kManual);
    client.round();
    return client.close_sent && bed.host.finished() == 1 && lwip_done(peer.state(client.conn));
  };
  ASSERT_TRUE(bed.go(limit(600, 120))) << "not finished: " << client.back.size() << " bytes back\n"
                                       << describe(bed.host);
  EXPECT_EQ(client.back.size(), client.data.size());
  EXPECT_TRUE(client.back == client.data) << "the echo differs";
  const auto& ab = bed.p.link.counters(toe::sc::LinkDirection::AtoB);
  const auto& ba = bed.p.link.counters(toe::sc::LinkDirection::BtoA);
  if (loss > 0) {
    EXPECT_GT(ab.lost + ba.lost, 0u);
    EXPECT_GT(ab.duplicated + ba.duplicated, 0u);
    EXPECT_GT(bed.p.firmware->stats().retransmits, 0u) << "the engine's losses were recovered by the firmware";
    EXPECT_EQ(bed.p.firmware->stats().give_ups, 0u);
  }
  std::ostringstream os;
  bed.p.print(os);
  RecordProperty("platform", os.str());
}

// The same at 1 % loss with the C++ timer policy (SlowPathTimers, 10 ms RTO and MSL) on the
// firmware port instead of the C firmware: the platform's other slow path still carries a lossy
// transfer.
TEST_F(PlatformTest, OneMegabyteAtOnePercentLossWithSlowPathTimers) {
  PlatformConfig cfg = base_config();
  cfg.slow_path = PlatformConfig::SlowPath::kTimers;
  cfg.timers.rto_initial = sc_time(10, SC_MS);
  cfg.timers.msl = sc_time(10, SC_MS);
  for (toe::sc::LinkConfig* l : {&cfg.to_peer, &cfg.to_device}) {
    l->propagation_delay = sc_time(20, SC_US);
    l->rate_bps = 1000000000;
    l->loss_probability = 0.01;
    l->reorder_probability = 0.01;
    l->reorder_delay = sc_time(100, SC_US);
    l->duplication_probability = 0.01;
  }
  cfg.to_peer.seed = 21;
  cfg.to_device.seed = 22;
  Bed bed("bed", cfg);
  ASSERT_TRUE(bed.p.timers);
  ASSERT_FALSE(bed.p.firmware);
  bed.setup = [&] { bed.host.listen(7, HostApp::Role::kEcho); };
  toe::sim::LwipPeer& peer = bed.p.lwip.peer();
  EchoClient client{peer};
  client.data = pattern_bytes(1024 * 1024, 4);
  bed.step = [&] {
    if (client.conn < 0 && bed.rounds == 20) client.conn = peer.connect(cfg.engine_ip, 7, 0, PeerApp::kManual);
    client.round();
    return client.close_sent && bed.host.finished() == 1 && lwip_done(peer.state(client.conn));
  };
  ASSERT_TRUE(bed.go(limit(600, 120))) << "not finished: " << client.back.size() << " bytes back\n"
                                       << describe(bed.host);
  EXPECT_TRUE(client.back == client.data) << "the echo differs";
  EXPECT_GT(bed.p.timers->retransmits() + 0, 0u) << "the engine's losses were recovered by retransmit";
}

INSTANTIATE_TEST_SUITE_P(Loss, PlatformLoss, ::testing::Values(0, 1, 5),
                         [](const ::testing::TestParamInfo<int>& i) { return std::to_string(i.param) + "pct"; });

TEST_F(PlatformTest, HundredConnectionsAtOnce) {
  PlatformConfig cfg = base_config();
  cfg.device.params.sessions = 128;
  cfg.device.params.rx_buf_bytes = 4096;
  cfg.device.params.tx_buf_bytes = 4096;
  Bed bed("bed", cfg);
  bed.setup = [&] {
    // All 100 SYNs arrive together: let the SYN cache hold them all (its default is Sessions / 2).
    bed.cpu.wr(TOE_REG_MAX_HALF_OPEN_OFFSET, 128);
    bed.host.listen(7, HostApp::Role::kEcho);
  };
  toe::sim::LwipPeer& peer = bed.p.lwip.peer();
  std::vector<EchoClient> clients;
  for (int i = 0; i < 100; ++i) {
    clients.push_back(EchoClient{peer});
    clients.back().data = pattern_bytes(2000 + 37 * size_t(i), uint64_t(100 + i));
  }
  bed.step = [&] {
    if (bed.rounds == 20) {
      for (auto& c : clients) c.conn = peer.connect(cfg.engine_ip, 7, 0, PeerApp::kManual);
    }
    bool all = bed.rounds > 20;
    for (auto& c : clients) {
      c.round();
      all = all && c.close_sent && lwip_done(peer.state(c.conn));
    }
    return all && bed.host.finished() == clients.size();
  };
  size_t resets = 0;
  const bool finished = bed.go(sc_time(120, SC_SEC));
  for (const auto& c : clients) resets += peer.was_reset(c.conn) ? 1 : 0;
  ASSERT_TRUE(finished) << bed.host.finished() << " of 100 finished; lwIP saw " << resets << " resets";
  EXPECT_EQ(resets, 0u);
  for (size_t i = 0; i < clients.size(); ++i) EXPECT_TRUE(clients[i].back == clients[i].data) << "client " << i;
  EXPECT_EQ(bed.host.conns().size(), 100u);
  size_t closed = 0;
  for (const auto& [id, c] : bed.host.conns()) closed += c.closed ? 1 : 0;
  EXPECT_EQ(closed, 100u);
}

}  // namespace
