// SPDX-License-Identifier: Apache-2.0
// Connect by IP address (firmware port 0.5, toe_fw_connect) against the C++ model, through the
// host port as a driver writes it and the firmware's HAL (the fixture FwModel:
// fw_model_fixture.hpp):
//   FwModel.ConnectByIpAddressResolvesThenOpens         the ARP request, the peer's reply,
//                                                       connect_resolved: the SYN to the resolved
//                                                       MAC, event opened with the host's tag; a
//                                                       second connect answered from the cache
//   FwModel.ConnectByIpAddressWithNoArpAnswerIsNoRoute  3 requests 1 s apart, then no_route: the
//                                                       host's timed_out (conn none, the tag) 3 s
//                                                       after the connect, no SYN
//   FwModel.ConnectByIpAddressIsRefusedWithoutFirmwareOrRoom
//                                                       NO_FIRMWARE before the firmware boots;
//                                                       the resolve queue's 4 entries, QUEUE_FULL,
//                                                       drained by one poll into the table
// Binary test_fw_unit (label firmware).
#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "fw_model_fixture.hpp"
#include "model_port.hpp"
#include "toe_defs.h"
#include "toe_fw.h"
#include "toe_fw_regs.h"
#include "toe_regs.h"

namespace {

using namespace toe::fw_test;
namespace net = toe::net;

// The host's connect without a MAC (CMD_MAC 0), as a driver writes it.
void host_connect_by_ip(ModelPort& p, uint32_t ip, uint16_t port, uint16_t lport, uint32_t tag) {
  p.host_write(TOE_REG_CMD_IP_OFFSET, ip);
  p.host_write(TOE_REG_CMD_PORTS_OFFSET, uint32_t(lport) << 16 | port);
  p.host_write(TOE_REG_CMD_MAC_LO_OFFSET, 0);
  p.host_write(TOE_REG_CMD_MAC_HI_OFFSET, 0);
  p.host_write(TOE_REG_CMD_TAG_OFFSET, tag);
  p.host_write(TOE_REG_CMD_OFFSET, TOE_CMD_CONNECT);
}
bool is_arp_request_for(const SentFrame& f, uint32_t ip) {
  return f.data.size() >= 42 && f.data[12] == 0x08 && f.data[13] == 0x06 && f.data[21] == 1 &&
         (uint32_t(f.data[38]) << 24 | uint32_t(f.data[39]) << 16 | uint32_t(f.data[40]) << 8 | f.data[41]) == ip;
}

// The request reaches the firmware, its ARP request goes out, the peer's reply resolves it and
// connect_resolved opens the connection: the SYN to the peer's MAC, event opened with the tag.
// A second connect to the same peer is answered from the cache (no ARP request).
TEST_F(FwModel, ConnectByIpAddressResolvesThenOpens) {
  boot();
  host_connect_by_ip(port, kPeerIp, 7000, 50000, 77);
  run_for(500);
  ASSERT_EQ(port.sent.size(), 1u);
  EXPECT_TRUE(is_arp_request_for(port.sent[0], kPeerIp));
  port.inject(arp_frame(kEngineMac, kPeerMac, 2, kPeerMac, kPeerIp, kEngineMac, kEngineIp));
  run_for(1000);
  ASSERT_EQ(port.sent.size(), 2u);
  net::Frame syn;
  ASSERT_TRUE(is_tcp(port.sent[1], net::kSyn, &syn));
  EXPECT_EQ(syn.eth.dst, kPeerMac);
  EXPECT_EQ(syn.ip.dst, kPeerIp);
  EXPECT_EQ(syn.tcp.dst_port, 7000);
  EXPECT_EQ(syn.tcp.src_port, 50000);
  bool opened = false;
  for (const HostEvent& e : port.host_events) opened |= e.type == TOE_EVT_OPENED && e.value == 77;
  EXPECT_TRUE(opened) << "event opened, value = the host's tag";
  EXPECT_EQ(fw.stats.connects_in, 1u);
  EXPECT_EQ(fw.stats.connects_resolved, 1u);
  host_connect_by_ip(port, kPeerIp, 7000, 50001, 78);
  run_for(1000);
  ASSERT_EQ(port.sent.size(), 3u) << "no second ARP request";
  ASSERT_TRUE(is_tcp(port.sent[2], net::kSyn, &syn));
  EXPECT_EQ(syn.tcp.src_port, 50001);
  EXPECT_EQ(fw.stats.connects_resolved, 2u);
  uint32_t v = 1;
  ASSERT_TRUE(port.device().peek_fw_reg(TOE_FW_REG_ARQ_STATUS_OFFSET, &v));
  EXPECT_EQ(v & TOE_FW_REG_ARQ_STATUS_COUNT_MASK, 0u) << "the resolve queue drained";
  EXPECT_EQ(fw.stats.bus_errors, 0u);
}

// Nobody answers: the request and arp_retries (2) more, 1 s apart, then no_route; the host sees
// timed_out with no connection and its tag 3 s after the connect, and no SYN ever leaves.
TEST_F(FwModel, ConnectByIpAddressWithNoArpAnswerIsNoRoute) {
  boot();
  const uint64_t t0 = port.now_us();
  host_connect_by_ip(port, kOtherIp, 7000, 50000, 79);
  const HostEvent* to = nullptr;
  // The host's queue looked at every millisecond (the event's time to within 1 ms).
  ASSERT_TRUE(run_until(
      [&] {
        port.drain_host_events();
        for (const HostEvent& e : port.host_events)
          if (e.type == TOE_EVT_TIMED_OUT) to = &e;
        return to != nullptr;
      },
      5 * kSec, kMs));
  ASSERT_EQ(port.sent.size(), 3u);
  for (const SentFrame& f : port.sent) EXPECT_TRUE(is_arp_request_for(f, kOtherIp));
  EXPECT_EQ(to->conn, 0xFFFFFFFFu);
  EXPECT_EQ(to->value, 79u);
  EXPECT_NEAR(double(to->at_us - t0) / 1e6, 3.0, 0.002);
  EXPECT_EQ(port.host_events.size(), 1u) << "nothing opened";
  EXPECT_EQ(fw.stats.connects_no_route, 1u);
}

// Without the firmware's port enabled a connect by IP address is refused (NO_FIRMWARE); with
// it, the resolve queue takes four and refuses the fifth (QUEUE_FULL) until the firmware polls.
TEST_F(FwModel, ConnectByIpAddressIsRefusedWithoutFirmwareOrRoom) {
  port.configure();
  EXPECT_THROW(host_connect_by_ip(port, kPeerIp, 7000, 50000, 1), std::runtime_error);
  EXPECT_EQ(port.host_read(TOE_REG_LAST_ERROR_OFFSET) & TOE_REG_LAST_ERROR_CODE_MASK,
            uint32_t(TOE_REG_LAST_ERROR_CODE_NO_FIRMWARE));
  port.listen(80);
  ASSERT_EQ(toe_fw_init(&fw, port.hal(), &cfg), TOE_FW_OK);  // EVQ_EN on; no poll yet
  for (uint16_t i = 0; i < 4; ++i) host_connect_by_ip(port, kOtherIp, 7000, uint16_t(50000 + i), 10u + i);
  EXPECT_THROW(host_connect_by_ip(port, kOtherIp, 7000, 50004, 14), std::runtime_error);
  EXPECT_EQ(port.host_read(TOE_REG_LAST_ERROR_OFFSET) & TOE_REG_LAST_ERROR_CODE_MASK,
            uint32_t(TOE_REG_LAST_ERROR_CODE_QUEUE_FULL));
  uint32_t st = 0;
  ASSERT_TRUE(port.device().peek_fw_reg(TOE_FW_REG_ARQ_STATUS_OFFSET, &st));
  EXPECT_EQ(st, 4u | 4u << TOE_FW_REG_ARQ_STATUS_DEPTH_LSB);
  uint32_t tag = 0;
  ASSERT_TRUE(port.device().peek_fw_reg(TOE_FW_REG_ARQ_TAG_OFFSET, &tag));
  EXPECT_EQ(tag, 10u) << "the oldest first";
  run_for(100);
  ASSERT_TRUE(port.device().peek_fw_reg(TOE_FW_REG_ARQ_STATUS_OFFSET, &st));
  EXPECT_EQ(st & TOE_FW_REG_ARQ_STATUS_COUNT_MASK, 0u);
  EXPECT_EQ(fw.stats.connects_in, 4u);
  EXPECT_EQ(toe_fw_connect_waiting(&fw), 4u) << "all four wait for the one ARP resolution";
  EXPECT_EQ(port.sent.size(), 1u) << "one request for the one address";
  run_for(5 * kSec);
  EXPECT_EQ(fw.stats.connects_no_route, 4u);
  EXPECT_EQ(toe_fw_connect_waiting(&fw), 0u);
}

}  // namespace
