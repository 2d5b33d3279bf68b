// SPDX-License-Identifier: Apache-2.0
// The fixture of test_fw_unit (test_fw_model.cpp, test_fw_connect.cpp): the firmware (toe_fw)
// on ModelPort (the HAL on the C++ model's firmware port), and the frame helpers its tests share.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "model_port.hpp"
#include "toe_defs.h"
#include "toe_fw.h"
#include "toe_regs.h"

namespace toe::fw_test {

inline constexpr uint64_t kSec = 1000000;
inline constexpr uint64_t kMs = 1000;

class FwModel : public ::testing::Test {
 protected:
  void SetUp() override { toe_fw_config_default(&cfg); }
  void boot() {
    port.configure();
    port.listen(80);
    ASSERT_EQ(toe_fw_init(&fw, port.hal(), &cfg), TOE_FW_OK);
  }
  void run_for(uint64_t us) { port.run(fw, port.now_us() + us); }
  // Runs until pred() holds (checking every `step`), at most `limit`; true when it did.
  template <class P>
  bool run_until(P pred, uint64_t limit, uint64_t step = 10) {
    const uint64_t end = port.now_us() + limit;
    while (!pred()) {
      if (port.now_us() >= end) return false;
      run_for(step);
    }
    return true;
  }
  // The peer's SYN to port 80; returns the SYN-ACK (parsed).
  net::Frame syn(uint16_t sport, uint32_t iss) {
    const size_t before = port.sent.size();
    port.inject(tcp_to_engine(sport, 80, iss, 0, net::kSyn));
    EXPECT_TRUE(run_until([&] { return port.sent.size() > before; }, 1000));
    net::Frame f;
    EXPECT_TRUE(is_tcp(port.sent.back(), net::kSyn | net::kAck, &f));
    return f;
  }
  // The connection the firmware's timers know (the one with a timer running).
  uint32_t timed_conn() {
    for (uint32_t i = 0; i < TOE_FW_MAX_CONNS; ++i)
      if (fw.timers.conn[i].flags != 0) return i;
    ADD_FAILURE() << "no connection has a timer";
    return 0;
  }
  // A full passive open from the peer (sport, ISS 1000); returns the engine's conn.
  uint32_t establish(uint16_t sport, net::Frame* syn_ack = nullptr) {
    const net::Frame sa = syn(sport, 1000);
    port.inject(tcp_to_engine(sport, 80, 1001, sa.tcp.seq + 1, net::kAck));
    EXPECT_TRUE(run_until([&] { return accepted() >= 0; }, 1000));
    if (syn_ack) *syn_ack = sa;
    return uint32_t(accepted());
  }
  int accepted() {
    for (const HostEvent& e : port.host_events)
      if (e.type == TOE_EVT_ACCEPTED) return int(e.conn);
    return -1;
  }

  ModelPort port;
  toe_fw_config cfg{};
  toe_fw fw{};
};

inline net::MacAddr as_mac(const uint8_t* m) { return net::MacAddr{{m[0], m[1], m[2], m[3], m[4], m[5]}}; }
inline const net::MacAddr kBroadcast{{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}};
inline const net::MacAddr kZeroMac{};
inline constexpr uint32_t kOtherIp = 0x0A000009;  // 10.0.0.9

inline std::vector<uint8_t> arp_frame(const net::MacAddr& dst, const net::MacAddr& src, uint16_t oper,
                                      const net::MacAddr& sha, uint32_t spa, const net::MacAddr& tha, uint32_t tpa) {
  net::EthHeader eth;
  eth.dst = dst;
  eth.src = src;
  eth.ethertype = net::kEtherTypeArp;
  net::ArpPacket a;
  a.oper = oper;
  a.sha = sha;
  a.spa = spa;
  a.tha = tha;
  a.tpa = tpa;
  return net::build_arp_frame(eth, a);
}

// The host queues `bytes` bytes on `conn` (pattern i & 0xFF) from tx byte `from`: the transmit
// window (TX_WIN_BASE 0) written word by word, then tx_push to from + bytes.
inline void host_send(ModelPort& port, uint32_t conn, uint32_t from, uint32_t bytes) {
  port.host_write(TOE_REG_CONN_SEL_OFFSET, conn);
  for (uint32_t off = from & ~3u; off < from + bytes; off += 4) {
    uint32_t w = 0;
    for (uint32_t b = 0; b < 4; ++b) w |= ((off + b) & 0xFFu) << (8 * b);
    port.host_write(TOE_REG_TX_WINDOW_BASE + off, w);
  }
  port.host_write(TOE_REG_CMD_VALUE_OFFSET, from + bytes);
  port.host_write(TOE_REG_CMD_OFFSET, TOE_CMD_TX_PUSH);
}

inline std::vector<net::Frame> data_segments(const std::vector<SentFrame>& sent, size_t from, std::vector<uint64_t>* at = nullptr) {
  std::vector<net::Frame> out;
  for (size_t i = from; i < sent.size(); ++i) {
    net::Frame f;
    if ((is_tcp(sent[i], net::kAck, &f) || is_tcp(sent[i], net::kAck | net::kPsh, &f)) && f.payload_len > 0) {
      out.push_back(f);
      if (at) at->push_back(sent[i].at_us);
    }
  }
  return out;
}

}  // namespace toe::fw_test
