// SPDX-License-Identifier: Apache-2.0
// The bench of the host driver's tests on the SystemC platform (test_driver_platform.cpp,
// test_driver_platform_suite.cpp): Bed, the platform with the driver in an SC_THREAD on the
// device's host port through DriverTlm and lwIP driven from a second SC_THREAD; an lwIP echo
// client; a driver echo loop; the DriverPlatform fixture.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
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

namespace toe::driver_platform_test {

using sc_core::sc_time;
using sc_core::SC_MS;
using sc_core::SC_SEC;
using sc_core::SC_US;
using toe::sc::DriverTlm;
using toe::sc::Platform;
using toe::sc::PlatformConfig;
using toe::sim::PeerApp;

constexpr uint32_t kSecond = 1000000;  // us

inline std::vector<uint8_t> pattern_bytes(size_t n, uint64_t seed) {
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

inline PlatformConfig base_config() {
  PlatformConfig c;
  c.device.engine = TOE_PLATFORM_ENGINE;
  c.timers.rto_initial = sc_time(10, SC_MS);
  c.timers.msl = sc_time(10, SC_MS);
  return c;
}

// An active open to lwIP (its address and MAC from cfg) on `port`, from `lport`.
inline toe_connect_params_t lwip_connect_params(const PlatformConfig& cfg, uint16_t port, uint16_t lport) {
  toe_connect_params_t cp{};
  cp.ipv4 = cfg.lwip.peer.local_ip;
  cp.port = port;
  cp.lport = lport;
  for (int i = 0; i < 6; ++i) cp.peer_mac[i] = cfg.lwip.mac.b[size_t(i)];
  return cp;
}

inline bool lwip_done(toe::TcpState s) { return s == toe::TcpState::CLOSED || s == toe::TcpState::TIME_WAIT; }

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
inline toe_result_t echo(toe_dev_t* dev, uint32_t conn, uint64_t* echoed) {
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

}  // namespace toe::driver_platform_test
