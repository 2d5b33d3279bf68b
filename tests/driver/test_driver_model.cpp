// SPDX-License-Identifier: Apache-2.0
// The host driver against the C++ model of toe_engine (EngineDevice), no SystemC: two devices
// back to back (ModelPair, model_pair.hpp), a driver handle on each, in one thread (any access
// clocks both). Two devices in one process, each its own toe_dev_t.
//   DriverModel.EchoBetweenTwoDevices          B connects to A, 48 KiB echoed byte-exact, both close
//   DriverModel.ConnectToAClosedPortIsRefused  no listener on A: A's RST gives B TOE_REFUSED
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

#include "model_pair.hpp"
#include "toe/toe_driver.h"
#include "toe_defs.h"

namespace {

using toe::driver_test::ModelPair;

constexpr uint32_t kIpA = 0x0A000002, kIpB = 0x0A000003;
constexpr uint8_t kMacA[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x0A};
constexpr uint8_t kMacB[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x0B};

struct Side {
  toe_dev_t dev{};
  std::array<toe_conn_t, 16> conns{};
};

class DriverModel : public ::testing::Test {
 protected:
  ModelPair pair;
  Side a, b;

  void SetUp() override {
    ASSERT_EQ(toe_open(&a.dev, pair.mmio(0), a.conns.data(), 16, nullptr), TOE_OK);
    ASSERT_EQ(toe_open(&b.dev, pair.mmio(1), b.conns.data(), 16, nullptr), TOE_OK);
    toe_net_config_t na{{kMacA[0], kMacA[1], kMacA[2], kMacA[3], kMacA[4], kMacA[5]}, kIpA, 0, 1};
    toe_net_config_t nb{{kMacB[0], kMacB[1], kMacB[2], kMacB[3], kMacB[4], kMacB[5]}, kIpB, 0, 1};
    ASSERT_EQ(toe_configure(&a.dev, &na), TOE_OK);
    ASSERT_EQ(toe_configure(&b.dev, &nb), TOE_OK);
  }

  toe_connect_params_t to_a(uint16_t port) const {
    toe_connect_params_t p{};
    p.ipv4 = kIpA;
    p.port = port;
    p.lport = 40000;
    for (int i = 0; i < 6; ++i) p.peer_mac[i] = kMacA[i];
    return p;
  }
};

TEST_F(DriverModel, EchoBetweenTwoDevices) {
  ASSERT_EQ(toe_listen(&a.dev, 80), TOE_OK);
  const toe_connect_params_t p = to_a(80);
  uint32_t cb = ~0u, ca = ~0u;
  ASSERT_EQ(toe_connect(&b.dev, &p, 100000, &cb), TOE_OK);
  ASSERT_EQ(toe_accept(&a.dev, 80, 100000, &ca), TOE_OK);

  std::vector<uint8_t> data(48 * 1024);
  for (size_t i = 0; i < data.size(); ++i) data[i] = uint8_t(i * 13 + 5);
  std::vector<uint8_t> back, buf(4096);
  size_t off = 0;
  bool b_shut = false, a_done = false;
  for (int guard = 0; guard < 100000; ++guard) {
    bool did = false;
    size_t n = 0;
    if (off < data.size()) {  // B sends
      const toe_result_t r = toe_send(&b.dev, cb, data.data() + off, data.size() - off, 0, &n);
      ASSERT_TRUE(r == TOE_OK || r == TOE_WOULD_BLOCK) << toe_result_str(r);
      off += n;
      did = did || n > 0;
    } else if (!b_shut) {
      ASSERT_EQ(toe_shutdown(&b.dev, cb), TOE_OK);
      b_shut = true;
    }
    if (!a_done) {  // A echoes what fits
      uint32_t acked = 0, unacked = 0;
      ASSERT_EQ(toe_acked(&a.dev, ca, &acked, &unacked), TOE_OK);
      const size_t room = std::min<size_t>(buf.size(), 16384 - unacked);
      if (room > 0) {
        toe_result_t r = toe_recv(&a.dev, ca, buf.data(), room, 0, &n);
        if (r == TOE_CLOSED) {
          ASSERT_EQ(toe_shutdown(&a.dev, ca), TOE_OK);
          a_done = true;
        } else {
          ASSERT_TRUE(r == TOE_OK || r == TOE_WOULD_BLOCK) << toe_result_str(r);
          size_t sent = 0;
          if (n > 0) {
            ASSERT_EQ(toe_send(&a.dev, ca, buf.data(), n, 0, &sent), TOE_OK);
          }
          ASSERT_EQ(sent, n);
          did = did || n > 0;
        }
      }
    }
    const toe_result_t r = toe_recv(&b.dev, cb, buf.data(), buf.size(), 0, &n);  // B reads the echo
    if (r == TOE_CLOSED) break;
    ASSERT_TRUE(r == TOE_OK || r == TOE_WOULD_BLOCK) << toe_result_str(r);
    back.insert(back.end(), buf.begin(), buf.begin() + long(n));
    did = did || n > 0;
    if (!did) {
      const toe_result_t w = toe_wait_event(&b.dev, 100, nullptr);
      ASSERT_TRUE(w == TOE_OK || w == TOE_TIMED_OUT) << toe_result_str(w);
    }
  }
  EXPECT_TRUE(a_done);
  ASSERT_EQ(back.size(), data.size());
  EXPECT_TRUE(back == data) << "the echo differs";
  // A closed second (LAST_ACK -> CLOSED once B acknowledges its FIN); B waits in TIME_WAIT
  // (no firmware here to end it).
  for (int i = 0; i < 100 && !a.dev.conns[ca].closed; ++i) ASSERT_EQ(toe_poll(&a.dev, nullptr), TOE_OK);
  EXPECT_EQ(a.dev.conns[ca].closed, 1);
  toe_conn_info_t info{};
  ASSERT_EQ(toe_conn_info(&b.dev, cb, &info), TOE_OK);
  EXPECT_EQ(info.state, TOE_STATE_TIME_WAIT);
  EXPECT_EQ(info.tx_queued, 0u);
  EXPECT_EQ(toe_last_bus_error(&a.dev), 0u);
  EXPECT_EQ(toe_last_bus_error(&b.dev), 0u);
}

TEST_F(DriverModel, ConnectToAClosedPortIsRefused) {
  const toe_connect_params_t p = to_a(81);
  uint32_t cb = ~0u;
  EXPECT_EQ(toe_connect(&b.dev, &p, 100000, &cb), TOE_REFUSED);
}

}  // namespace
