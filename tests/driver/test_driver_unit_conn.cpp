// SPDX-License-Identifier: Apache-2.0
// Unit tests of the host driver (host_driver/, toe_driver.h) against the strict mock transport
// (mock_mmio.hpp), the connection calls: connect, send, recv, shutdown, abort, acked and
// connection info, each call's exact register sequence and error paths (the fixture in
// driver_unit_fixture.hpp; the rest of the driver in test_driver_unit.cpp).
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "driver_unit_fixture.hpp"
#include "mock_mmio.hpp"
#include "toe/toe_driver.h"
#include "toe_defs.h"
#include "toe_regs.h"

namespace {

using namespace toe::driver_test;  // the fixture and its helpers (driver_unit_fixture.hpp)

// ---- connect --------------------------------------------------------------------------------

class ConnectTest : public DriverTest {
 protected:
  toe_connect_params_t p{0x0A000001, 9000, 40000, {0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0x01}};
  // by_ip: no MAC (CMD_MAC 0, connect by IP address); cmd_status: the CMD write's answer.
  void expect_connect_command(uint32_t tag, bool by_ip = false, toe_bus_status_t cmd_status = TOE_BUS_OK) {
    m.expect_write(TOE_REG_CMD_IP_OFFSET, 0x0A000001);
    m.expect_write(TOE_REG_CMD_PORTS_OFFSET, 40000u << 16 | 9000u);
    m.expect_write(TOE_REG_CMD_MAC_LO_OFFSET, by_ip ? 0u : 0xBBCCDD01u);
    m.expect_write(TOE_REG_CMD_MAC_HI_OFFSET, by_ip ? 0u : 0x02AAu);
    m.expect_write(TOE_REG_CMD_TAG_OFFSET, tag);
    m.expect_write(TOE_REG_CMD_OFFSET, TOE_CMD_CONNECT, 0xF, cmd_status);
  }
};

TEST_F(ConnectTest, ConnectReturnsOnConnected) {
  open();
  expect_connect_command(1);
  m.expect_write(TOE_REG_INTR_STATE_OFFSET, kIntrEvq);
  expect_event(TOE_EVT_OPENED, 5, 1);
  expect_empty();
  m.expect_now(0);
  m.expect_wait(1000);
  m.expect_write(TOE_REG_INTR_STATE_OFFSET, kIntrEvq);
  expect_event(TOE_EVT_CONNECTED, 5, 0);
  expect_empty();
  uint32_t conn = ~0u;
  ASSERT_EQ(toe_connect(&dev, &p, 1000, &conn), TOE_OK);
  EXPECT_EQ(conn, 5u);
  EXPECT_EQ(dev.conns[5].tag, 1u);
  for (const auto& e : dev.pending) EXPECT_EQ(e.tag, 0u) << "the attempt is forgotten";
}

TEST_F(ConnectTest, ConnectToAClosedPortIsRefused) {
  open();
  expect_connect_command(1);
  m.expect_write(TOE_REG_INTR_STATE_OFFSET, kIntrEvq);
  expect_event(TOE_EVT_OPENED, 5, 1);
  expect_event(TOE_EVT_RESET, 5, 0);
  expect_empty();
  uint32_t conn = ~0u;
  EXPECT_EQ(toe_connect(&dev, &p, 1000, &conn), TOE_REFUSED);
}

TEST_F(ConnectTest, ConnectFailedIsRefused) {
  open();
  expect_connect_command(1);
  m.expect_write(TOE_REG_INTR_STATE_OFFSET, kIntrEvq);
  expect_event(TOE_EVT_CONNECT_FAILED, 0xFFFFFFFF, 1);
  expect_empty();
  uint32_t conn = ~0u;
  EXPECT_EQ(toe_connect(&dev, &p, 1000, &conn), TOE_REFUSED);
}

TEST_F(ConnectTest, TheFirmwareGivingUpIsConnTimedOut) {
  open();
  expect_connect_command(1);
  m.expect_write(TOE_REG_INTR_STATE_OFFSET, kIntrEvq);
  expect_event(TOE_EVT_OPENED, 2, 1);
  expect_event(TOE_EVT_TIMED_OUT, 2, 0);
  expect_empty();
  uint32_t conn = ~0u;
  EXPECT_EQ(toe_connect(&dev, &p, 1000, &conn), TOE_CONN_TIMED_OUT);
}

TEST_F(ConnectTest, NonBlockingStartThenWait) {
  open();
  uint32_t tag = 0;
  expect_connect_command(1);
  ASSERT_EQ(toe_connect_start(&dev, &p, &tag), TOE_OK);
  EXPECT_EQ(tag, 1u);
  uint32_t conn = ~0u;
  expect_event(TOE_EVT_OPENED, 9, 1);
  expect_empty();
  EXPECT_EQ(toe_connect_wait(&dev, tag, 0, &conn), TOE_WOULD_BLOCK);
  expect_event(TOE_EVT_CONNECTED, 9, 0);
  expect_empty();
  EXPECT_EQ(toe_connect_wait(&dev, tag, 0, &conn), TOE_OK);
  EXPECT_EQ(conn, 9u);
  EXPECT_EQ(toe_connect_wait(&dev, tag, 0, &conn), TOE_BAD_ARG) << "forgotten once done";
  // The next tag.
  expect_connect_command(2);
  ASSERT_EQ(toe_connect_start(&dev, &p, &tag), TOE_OK);
  EXPECT_EQ(tag, 2u);
}

TEST_F(ConnectTest, ATimedOutConnectIsAbortedWhenTheDeviceNamesIt) {
  open();
  expect_connect_command(1);
  m.expect_write(TOE_REG_INTR_STATE_OFFSET, kIntrEvq);
  expect_empty();
  m.expect_now(0);
  m.expect_wait(100);
  m.expect_write(TOE_REG_INTR_STATE_OFFSET, kIntrEvq);
  expect_empty();
  m.expect_now(100);
  uint32_t conn = ~0u;
  ASSERT_EQ(toe_connect(&dev, &p, 100, &conn), TOE_TIMED_OUT);
  // Event opened arrives later: the driver aborts the connection.
  expect_event(TOE_EVT_OPENED, 6, 1);
  m.expect_write(TOE_REG_CONN_SEL_OFFSET, 6);
  m.expect_write(TOE_REG_CMD_OFFSET, TOE_CMD_ABORT);
  expect_empty();
  ASSERT_EQ(toe_poll(&dev, nullptr), TOE_OK);
  for (const auto& e : dev.pending) EXPECT_EQ(e.tag, 0u);
}

TEST_F(ConnectTest, CancelAfterOpenedAbortsAtOnce) {
  open();
  uint32_t tag = 0;
  expect_connect_command(1);
  ASSERT_EQ(toe_connect_start(&dev, &p, &tag), TOE_OK);
  poll_in({{TOE_EVT_OPENED, 3, 1, 40000}});
  m.expect_write(TOE_REG_CONN_SEL_OFFSET, 3);
  m.expect_write(TOE_REG_CMD_OFFSET, TOE_CMD_ABORT);
  EXPECT_EQ(toe_connect_cancel(&dev, tag), TOE_OK);
  EXPECT_EQ(toe_connect_cancel(&dev, tag), TOE_BAD_ARG);
}

// Connect by IP address (an all-zero MAC): the same register sequence with CMD_MAC 0; the
// device's firmware resolves the peer.
TEST_F(ConnectTest, ConnectByIpAddressReturnsOnConnected) {
  open();
  toe_connect_params_t q = p;
  std::memset(q.peer_mac, 0, sizeof q.peer_mac);
  expect_connect_command(1, true);
  m.expect_write(TOE_REG_INTR_STATE_OFFSET, kIntrEvq);
  expect_event(TOE_EVT_OPENED, 3, 1);
  expect_event(TOE_EVT_CONNECTED, 3, 0);
  expect_empty();
  uint32_t conn = ~0u;
  ASSERT_EQ(toe_connect(&dev, &q, 1000, &conn), TOE_OK);
  EXPECT_EQ(conn, 3u);
}

// The firmware's ARP got no answer: event timed_out with no connection and the attempt's tag.
TEST_F(ConnectTest, ConnectByIpAddressWithNoArpAnswerIsNoRoute) {
  open();
  toe_connect_params_t q = p;
  std::memset(q.peer_mac, 0, sizeof q.peer_mac);
  uint32_t tag = 0, conn = ~0u;
  expect_connect_command(1, true);
  ASSERT_EQ(toe_connect_start(&dev, &q, &tag), TOE_OK);
  // Another connection's timed_out is that connection's, not the attempt's.
  expect_event(TOE_EVT_TIMED_OUT, 7, 0);
  expect_empty();
  EXPECT_EQ(toe_connect_wait(&dev, tag, 0, &conn), TOE_WOULD_BLOCK);
  expect_event(TOE_EVT_TIMED_OUT, 0xFFFFFFFF, tag, 40000);
  expect_empty();
  EXPECT_EQ(toe_connect_wait(&dev, tag, 0, &conn), TOE_NO_ROUTE);
  EXPECT_EQ(toe_connect_wait(&dev, tag, 0, &conn), TOE_BAD_ARG) << "forgotten once done";
  EXPECT_STREQ(toe_result_str(TOE_NO_ROUTE), "TOE_NO_ROUTE");
}

// No firmware runs: the device refuses the CMD write (LAST_ERROR NO_FIRMWARE).
TEST_F(ConnectTest, ConnectByIpAddressWithoutFirmwareIsNoFirmware) {
  open();
  toe_connect_params_t q = p;
  std::memset(q.peer_mac, 0, sizeof q.peer_mac);
  uint32_t tag = 0;
  expect_connect_command(1, true, TOE_BUS_ERR);
  m.expect_read(TOE_REG_LAST_ERROR_OFFSET, last_error(TOE_REG_LAST_ERROR_CODE_NO_FIRMWARE, TOE_REG_CMD_OFFSET));
  EXPECT_EQ(toe_connect_start(&dev, &q, &tag), TOE_NO_FIRMWARE);
  for (const auto& e : dev.pending) EXPECT_EQ(e.tag, 0u) << "nothing pending";
}

// A device before register map 0.4 has no resolve queue: a zero MAC is refused by the driver.
TEST_F(ConnectTest, ConnectByIpAddressOnAnOlderDeviceIsABadArgument) {
  m.expect_read(TOE_REG_TYPE_OFFSET, TOE_DEVICE_TYPE);
  m.expect_read(TOE_REG_VERSION_OFFSET, (TOE_DEVICE_VERSION & TOE_REG_VERSION_MAJOR_MASK) | 0x0300u);
  m.expect_read(TOE_REG_SESSIONS_OFFSET, 16);
  m.expect_read(TOE_REG_TX_BUF_BYTES_OFFSET, TOE_PARAM_TX_BUF_BYTES_DEFAULT);
  m.expect_read(TOE_REG_RX_BUF_BYTES_OFFSET, TOE_PARAM_RX_BUF_BYTES_DEFAULT);
  m.expect_read(TOE_REG_STATUS_OFFSET, TOE_REG_STATUS_READY_MASK);
  ASSERT_EQ(toe_open(&dev, m.mmio(), conns.data(), uint32_t(conns.size()), nullptr), TOE_OK);
  toe_connect_params_t q = p;
  std::memset(q.peer_mac, 0, sizeof q.peer_mac);
  uint32_t tag = 0;
  EXPECT_EQ(toe_connect_start(&dev, &q, &tag), TOE_BAD_ARG);
  EXPECT_TRUE(m.verify()) << "nothing written";
}

TEST_F(ConnectTest, PendingConnectsAreLimited) {
  open();
  uint32_t tag = 0;
  for (uint32_t i = 1; i <= TOE_MAX_PENDING_CONNECTS; ++i) {
    expect_connect_command(i);
    ASSERT_EQ(toe_connect_start(&dev, &p, &tag), TOE_OK);
  }
  EXPECT_EQ(toe_connect_start(&dev, &p, &tag), TOE_NO_RESOURCES);
}

TEST_F(ConnectTest, BadArguments) {
  open();
  uint32_t tag = 0, conn = 0;
  toe_connect_params_t q = p;
  q.port = 0;
  EXPECT_EQ(toe_connect_start(&dev, &q, &tag), TOE_BAD_ARG);
  q = p;
  q.lport = 0;
  EXPECT_EQ(toe_connect(&dev, &q, 10, &conn), TOE_BAD_ARG);
  EXPECT_EQ(toe_connect(&dev, &p, 10, nullptr), TOE_BAD_ARG);
  EXPECT_EQ(toe_connect_wait(&dev, 42, 0, &conn), TOE_BAD_ARG);
  EXPECT_EQ(toe_connect_cancel(&dev, 42), TOE_BAD_ARG);
}

// ---- send ---------------------------------------------------------------------------------

TEST_F(DriverTest, SendCopiesWordsWithByteEnablesAndPushes) {
  open();
  accept(2);
  const uint8_t a[6] = {1, 2, 3, 4, 5, 6};
  expect_empty();
  m.expect_write(TOE_REG_CONN_SEL_OFFSET, 2);
  m.expect_write(TOE_REG_TX_WIN_BASE_OFFSET, 0);
  m.expect_write(TOE_REG_TX_WINDOW_BASE + 0, 0x04030201, 0xF);
  m.expect_write(TOE_REG_TX_WINDOW_BASE + 4, 0x00000605, 0x3);
  m.expect_write(TOE_REG_CMD_VALUE_OFFSET, 6);
  m.expect_write(TOE_REG_CMD_OFFSET, TOE_CMD_TX_PUSH);
  size_t sent = 0;
  ASSERT_EQ(toe_send(&dev, 2, a, sizeof a, 0, &sent), TOE_OK);
  EXPECT_EQ(sent, 6u);
  // From an unaligned pointer (6): the base at 4, the first word's lanes 2 and 3. CONN_SEL
  // stays selected.
  const uint8_t b[5] = {7, 8, 9, 10, 11};
  expect_empty();
  m.expect_write(TOE_REG_TX_WIN_BASE_OFFSET, 4);
  m.expect_write(TOE_REG_TX_WINDOW_BASE + 0, 0x08070000, 0xC);
  m.expect_write(TOE_REG_TX_WINDOW_BASE + 4, 0x000B0A09, 0x7);
  m.expect_write(TOE_REG_CMD_VALUE_OFFSET, 11);
  m.expect_write(TOE_REG_CMD_OFFSET, TOE_CMD_TX_PUSH);
  ASSERT_EQ(toe_send(&dev, 2, b, sizeof b, 0, &sent), TOE_OK);
  EXPECT_EQ(sent, 5u);
  uint32_t acked = 1, unacked = 0;
  expect_empty();
  ASSERT_EQ(toe_acked(&dev, 2, &acked, &unacked), TOE_OK);
  EXPECT_EQ(acked, 0u);
  EXPECT_EQ(unacked, 11u);
}

TEST_F(DriverTest, SendNeverCopiesMoreThanTheFreeSpaceAndWraps) {
  cfg.tx_buf_bytes = 64;
  open();
  accept(1);
  std::vector<uint8_t> data(100);
  for (size_t i = 0; i < data.size(); ++i) data[i] = uint8_t(i);
  auto word = [&](size_t i) {
    return uint32_t(data[i]) | uint32_t(data[i + 1]) << 8 | uint32_t(data[i + 2]) << 16 | uint32_t(data[i + 3]) << 24;
  };
  expect_empty();
  m.expect_write(TOE_REG_CONN_SEL_OFFSET, 1);
  m.expect_write(TOE_REG_TX_WIN_BASE_OFFSET, 0);
  for (uint32_t w = 0; w < 64; w += 4) m.expect_write(TOE_REG_TX_WINDOW_BASE + w, word(w));
  m.expect_write(TOE_REG_CMD_VALUE_OFFSET, 64);
  m.expect_write(TOE_REG_CMD_OFFSET, TOE_CMD_TX_PUSH);
  size_t sent = 0;
  ASSERT_EQ(toe_send(&dev, 1, data.data(), data.size(), 0, &sent), TOE_OK);
  EXPECT_EQ(sent, 64u);
  // Full: nothing is copied.
  expect_empty();
  EXPECT_EQ(toe_send(&dev, 1, data.data(), data.size(), 0, &sent), TOE_WOULD_BLOCK);
  EXPECT_EQ(sent, 0u);
  // 10 bytes acknowledged: 10 more, at byte count 64 (the device wraps it to buffer byte 0).
  expect_event(TOE_EVT_ACKED, 1, 10);
  expect_empty();
  m.expect_write(TOE_REG_TX_WIN_BASE_OFFSET, 64);
  m.expect_write(TOE_REG_TX_WINDOW_BASE + 0, word(0));
  m.expect_write(TOE_REG_TX_WINDOW_BASE + 4, word(4));
  m.expect_write(TOE_REG_TX_WINDOW_BASE + 8, uint32_t(data[8]) | uint32_t(data[9]) << 8, 0x3);
  m.expect_write(TOE_REG_CMD_VALUE_OFFSET, 74);
  m.expect_write(TOE_REG_CMD_OFFSET, TOE_CMD_TX_PUSH);
  ASSERT_EQ(toe_send(&dev, 1, data.data(), data.size(), 0, &sent), TOE_OK);
  EXPECT_EQ(sent, 10u);
}

TEST_F(DriverTest, SendSplitsACopyThatWouldPassTheBufferEnd) {
  cfg.tx_buf_bytes = 64;
  open();
  accept(1);
  // Pointers at 2 (two bytes sent and acknowledged) so the next 64 start mid-word: the first
  // piece is 62 bytes (window offsets 0..63), the second 2 bytes from base 64.
  poll_in({{TOE_EVT_ACKED, 1, 2, 0}});
  dev.conns[1].tx_wr = 2;
  std::vector<uint8_t> data(64, 0xAB);
  expect_empty();
  m.expect_write(TOE_REG_CONN_SEL_OFFSET, 1);
  m.expect_write(TOE_REG_TX_WIN_BASE_OFFSET, 0);
  m.expect_write(TOE_REG_TX_WINDOW_BASE + 0, 0xABAB0000, 0xC);
  for (uint32_t w = 4; w < 64; w += 4) m.expect_write(TOE_REG_TX_WINDOW_BASE + w, 0xABABABAB);
  m.expect_write(TOE_REG_TX_WIN_BASE_OFFSET, 64);
  m.expect_write(TOE_REG_TX_WINDOW_BASE + 0, 0x0000ABAB, 0x3);
  m.expect_write(TOE_REG_CMD_VALUE_OFFSET, 66);
  m.expect_write(TOE_REG_CMD_OFFSET, TOE_CMD_TX_PUSH);
  size_t sent = 0;
  ASSERT_EQ(toe_send(&dev, 1, data.data(), data.size(), 0, &sent), TOE_OK);
  EXPECT_EQ(sent, 64u);
}

TEST_F(DriverTest, BlockingSendWaitsForAnAck) {
  cfg.tx_buf_bytes = 64;
  open();
  accept(1);
  dev.conns[1].tx_wr = 64;  // full
  const uint8_t x = 0x5A;
  m.expect_write(TOE_REG_INTR_STATE_OFFSET, kIntrEvq);
  expect_empty();
  m.expect_now(0);
  m.expect_wait(200);
  m.expect_write(TOE_REG_INTR_STATE_OFFSET, kIntrEvq);
  expect_event(TOE_EVT_ACKED, 1, 1);
  expect_empty();
  m.expect_write(TOE_REG_CONN_SEL_OFFSET, 1);
  m.expect_write(TOE_REG_TX_WIN_BASE_OFFSET, 64);
  m.expect_write(TOE_REG_TX_WINDOW_BASE + 0, 0x5A, 0x1);
  m.expect_write(TOE_REG_CMD_VALUE_OFFSET, 65);
  m.expect_write(TOE_REG_CMD_OFFSET, TOE_CMD_TX_PUSH);
  size_t sent = 0;
  ASSERT_EQ(toe_send(&dev, 1, &x, 1, 200, &sent), TOE_OK);
  EXPECT_EQ(sent, 1u);
}

TEST_F(DriverTest, SendAfterThePeersResetIsReset) {
  open();
  accept(1);
  poll_in({{TOE_EVT_RESET, 1, 0, 0}});
  const uint8_t x = 1;
  size_t sent = 0;
  expect_empty();
  EXPECT_EQ(toe_send(&dev, 1, &x, 1, 0, &sent), TOE_RESET);
  expect_empty();
  uint8_t buf[4];
  EXPECT_EQ(toe_recv(&dev, 1, buf, sizeof buf, 0, &sent), TOE_RESET);
  expect_empty();
  EXPECT_EQ(toe_shutdown(&dev, 1), TOE_RESET);
}

TEST_F(DriverTest, SendOnANoConnectionAndBadArguments) {
  open();
  const uint8_t x = 1;
  size_t sent = 0;
  expect_empty();
  EXPECT_EQ(toe_send(&dev, 3, &x, 1, 0, &sent), TOE_NO_CONN);
  expect_empty();
  EXPECT_EQ(toe_send(&dev, 999, &x, 1, 0, &sent), TOE_NO_CONN);
  EXPECT_EQ(toe_send(&dev, 3, nullptr, 1, 0, &sent), TOE_BAD_ARG);
  EXPECT_EQ(toe_send(&dev, 3, &x, 1, 0, nullptr), TOE_BAD_ARG);
  EXPECT_EQ(toe_send(&dev, 3, &x, 0, 0, &sent), TOE_OK);
  EXPECT_EQ(sent, 0u);
}

TEST_F(DriverTest, AWindowAccessToAFreedSessionIsNoConn) {
  open();
  accept(1);
  const uint8_t x = 1;
  size_t sent = 0;
  expect_empty();
  m.expect_write(TOE_REG_CONN_SEL_OFFSET, 1);
  m.expect_write(TOE_REG_TX_WIN_BASE_OFFSET, 0);
  m.expect_write(TOE_REG_TX_WINDOW_BASE, 1, 0x1, TOE_BUS_ERR);
  m.expect_read(TOE_REG_LAST_ERROR_OFFSET, last_error(TOE_REG_LAST_ERROR_CODE_NO_CONN, TOE_REG_TX_WINDOW_BASE));
  EXPECT_EQ(toe_send(&dev, 1, &x, 1, 0, &sent), TOE_NO_CONN);
  EXPECT_EQ(sent, 0u);
  // The selection is written again after an error.
  expect_empty();
  m.expect_write(TOE_REG_CONN_SEL_OFFSET, 1);
  m.expect_write(TOE_REG_TX_WIN_BASE_OFFSET, 0);
  m.expect_write(TOE_REG_TX_WINDOW_BASE, 1, 0x1);
  m.expect_write(TOE_REG_CMD_VALUE_OFFSET, 1);
  m.expect_write(TOE_REG_CMD_OFFSET, TOE_CMD_TX_PUSH);
  EXPECT_EQ(toe_send(&dev, 1, &x, 1, 0, &sent), TOE_OK);
}

// ---- recv ---------------------------------------------------------------------------------

TEST_F(DriverTest, RecvReadsWordsFromTheReadPointerAndConsumes) {
  open();
  accept(4);
  poll_in({{TOE_EVT_DATA, 4, 7, 0}});
  uint8_t buf[16] = {};
  size_t got = 0;
  expect_empty();
  m.expect_write(TOE_REG_CONN_SEL_OFFSET, 4);
  m.expect_write(TOE_REG_RX_WIN_BASE_OFFSET, 0);
  m.expect_read(TOE_REG_RX_WINDOW_BASE + 0, 0x44332211);
  m.expect_read(TOE_REG_RX_WINDOW_BASE + 4, 0x88776655);
  m.expect_write(TOE_REG_CMD_VALUE_OFFSET, 5);
  m.expect_write(TOE_REG_CMD_OFFSET, TOE_CMD_RX_CONSUME);
  ASSERT_EQ(toe_recv(&dev, 4, buf, 5, 0, &got), TOE_OK);
  ASSERT_EQ(got, 5u);
  EXPECT_EQ(0, std::memcmp(buf, "\x11\x22\x33\x44\x55", 5));
  // The rest (bytes 5 and 6) from base 4, lead 1.
  expect_empty();
  m.expect_write(TOE_REG_RX_WIN_BASE_OFFSET, 4);
  m.expect_read(TOE_REG_RX_WINDOW_BASE + 0, 0x88776655);
  m.expect_write(TOE_REG_CMD_VALUE_OFFSET, 7);
  m.expect_write(TOE_REG_CMD_OFFSET, TOE_CMD_RX_CONSUME);
  ASSERT_EQ(toe_recv(&dev, 4, buf, sizeof buf, 0, &got), TOE_OK);
  ASSERT_EQ(got, 2u);
  EXPECT_EQ(buf[0], 0x66);
  EXPECT_EQ(buf[1], 0x77);
  expect_empty();
  EXPECT_EQ(toe_recv(&dev, 4, buf, sizeof buf, 0, &got), TOE_WOULD_BLOCK);
}

TEST_F(DriverTest, RecvAfterThePeersFinAndEveryByteIsClosed) {
  open();
  accept(4);
  poll_in({{TOE_EVT_DATA, 4, 1, 0}, {TOE_EVT_PEER_CLOSED, 4, 0, 0}});
  uint8_t buf[4];
  size_t got = 0;
  expect_empty();
  m.expect_write(TOE_REG_CONN_SEL_OFFSET, 4);
  m.expect_write(TOE_REG_RX_WIN_BASE_OFFSET, 0);
  m.expect_read(TOE_REG_RX_WINDOW_BASE, 0x99);
  m.expect_write(TOE_REG_CMD_VALUE_OFFSET, 1);
  m.expect_write(TOE_REG_CMD_OFFSET, TOE_CMD_RX_CONSUME);
  ASSERT_EQ(toe_recv(&dev, 4, buf, sizeof buf, 0, &got), TOE_OK);
  EXPECT_EQ(got, 1u);
  expect_empty();
  EXPECT_EQ(toe_recv(&dev, 4, buf, sizeof buf, 0, &got), TOE_CLOSED);
  // Still sends (half-close) until shut.
  const uint8_t x = 1;
  size_t sent = 0;
  expect_empty();
  m.expect_write(TOE_REG_TX_WIN_BASE_OFFSET, 0);
  m.expect_write(TOE_REG_TX_WINDOW_BASE, 1, 0x1);
  m.expect_write(TOE_REG_CMD_VALUE_OFFSET, 1);
  m.expect_write(TOE_REG_CMD_OFFSET, TOE_CMD_TX_PUSH);
  EXPECT_EQ(toe_send(&dev, 4, &x, 1, 0, &sent), TOE_OK);
}

TEST_F(DriverTest, RecvTimesOut) {
  open();
  accept(4);
  uint8_t buf[4];
  size_t got = 0;
  m.expect_write(TOE_REG_INTR_STATE_OFFSET, kIntrEvq);
  expect_empty();
  m.expect_now(50);
  m.expect_wait(20);
  m.expect_write(TOE_REG_INTR_STATE_OFFSET, kIntrEvq);
  expect_empty();
  m.expect_now(70);
  EXPECT_EQ(toe_recv(&dev, 4, buf, sizeof buf, 20, &got), TOE_TIMED_OUT);
  EXPECT_EQ(toe_recv(&dev, 4, buf, 0, 20, &got), TOE_BAD_ARG);
  EXPECT_EQ(toe_recv(&dev, 4, nullptr, 4, 20, &got), TOE_BAD_ARG);
}

TEST_F(DriverTest, RecvOfATimedOutConnectionIsConnTimedOut) {
  open();
  accept(4);
  poll_in({{TOE_EVT_TIMED_OUT, 4, 0, 0}});
  uint8_t buf[4];
  size_t got = 0;
  expect_empty();
  EXPECT_EQ(toe_recv(&dev, 4, buf, sizeof buf, 0, &got), TOE_CONN_TIMED_OUT);
}

// ---- shutdown, abort, acked, info -----------------------------------------------------------

TEST_F(DriverTest, ShutdownIssuesCloseOnceAndStopsSends) {
  open();
  accept(3);
  expect_empty();
  m.expect_write(TOE_REG_CONN_SEL_OFFSET, 3);
  m.expect_write(TOE_REG_CMD_OFFSET, TOE_CMD_CLOSE);
  ASSERT_EQ(toe_shutdown(&dev, 3), TOE_OK);
  expect_empty();
  ASSERT_EQ(toe_shutdown(&dev, 3), TOE_OK);
  const uint8_t x = 1;
  size_t sent = 0;
  expect_empty();
  EXPECT_EQ(toe_send(&dev, 3, &x, 1, 0, &sent), TOE_CLOSED);
  expect_empty();
  EXPECT_EQ(toe_shutdown(&dev, 8), TOE_NO_CONN);
  EXPECT_EQ(toe_shutdown(nullptr, 3), TOE_BAD_ARG);
}

TEST_F(DriverTest, AbortIssuesAbortAndLaterCallsAreClosed) {
  open();
  accept(3);
  expect_empty();
  m.expect_write(TOE_REG_CONN_SEL_OFFSET, 3);
  m.expect_write(TOE_REG_CMD_OFFSET, TOE_CMD_ABORT);
  ASSERT_EQ(toe_abort(&dev, 3), TOE_OK);
  // The engine reports its own RST as event reset: still closed, not reset, for the caller.
  poll_in({{TOE_EVT_RESET, 3, 0, 0}});
  uint8_t buf[4];
  size_t got = 0;
  expect_empty();
  EXPECT_EQ(toe_recv(&dev, 3, buf, sizeof buf, 0, &got), TOE_CLOSED);
  expect_empty();
  EXPECT_EQ(toe_abort(&dev, 3), TOE_OK);
  expect_empty();
  EXPECT_EQ(toe_abort(&dev, 5), TOE_NO_CONN);
}

TEST_F(DriverTest, AbortOfAConnectionAlreadyResetIssuesNothing) {
  open();
  accept(3);
  expect_event(TOE_EVT_RESET, 3, 0);
  expect_empty();
  ASSERT_EQ(toe_abort(&dev, 3), TOE_OK);
}

TEST_F(DriverTest, AckedReportsTheLastAckedValue) {
  open();
  accept(0);
  dev.conns[0].tx_wr = 1000;
  expect_event(TOE_EVT_ACKED, 0, 600);
  expect_empty();
  uint32_t acked = 0, unacked = 0;
  ASSERT_EQ(toe_acked(&dev, 0, &acked, &unacked), TOE_OK);
  EXPECT_EQ(acked, 600u);
  EXPECT_EQ(unacked, 400u);
  expect_empty();
  EXPECT_EQ(toe_acked(&dev, 9, &acked, nullptr), TOE_NO_CONN);
  EXPECT_EQ(toe_acked(&dev, 0, nullptr, nullptr), TOE_BAD_ARG);
}

TEST_F(DriverTest, ConnInfoReadsTheSelectedTcb) {
  open();
  const uint32_t iss = 0xFFFFFFF0;  // wraps: SND.UNA - ISS - 1 crosses 2^32
  m.expect_write(TOE_REG_CONN_SEL_OFFSET, 5);
  m.expect_read(TOE_REG_CONN_STATE_OFFSET, TOE_STATE_ESTABLISHED | TOE_REG_CONN_STATE_PASSIVE_MASK);
  m.expect_read(TOE_REG_CONN_PORTS_OFFSET, 40000u << 16 | 80u);
  m.expect_read(TOE_REG_CONN_REMOTE_IP_OFFSET, 0x0A000001);
  m.expect_read(TOE_REG_CONN_SND_UNA_OFFSET, iss + 1 + 100);
  m.expect_read(TOE_REG_CONN_SND_NXT_OFFSET, iss + 1 + 150);
  m.expect_read(TOE_REG_CONN_RCV_NXT_OFFSET, 5001);
  m.expect_read(TOE_REG_CONN_SND_WND_OFFSET, 65535);
  m.expect_read(TOE_REG_CONN_RX_WR_OFFSET, 300);
  m.expect_read(TOE_REG_CONN_RX_RD_OFFSET, 200);
  m.expect_read(TOE_REG_CONN_TX_WR_OFFSET, 180);
  m.expect_read(TOE_REG_CONN_ISS_OFFSET, iss);
  m.expect_read(TOE_REG_CONN_OPTS_OFFSET, 1u << TOE_REG_CONN_OPTS_WS_OK_LSB | 7u << TOE_REG_CONN_OPTS_RCV_WSCALE_LSB |
                                             2u << TOE_REG_CONN_OPTS_SND_WSCALE_LSB | 1400u);
  toe_conn_info_t info{};
  ASSERT_EQ(toe_conn_info(&dev, 5, &info), TOE_OK);
  EXPECT_EQ(info.snd_mss, 1400);
  EXPECT_EQ(info.ws_ok, 1);
  EXPECT_EQ(info.snd_wscale, 2);
  EXPECT_EQ(info.rcv_wscale, 7);
  EXPECT_EQ(info.state, TOE_STATE_ESTABLISHED);
  EXPECT_EQ(info.passive, 1);
  EXPECT_EQ(info.fin_rcvd, 0);
  EXPECT_EQ(info.lport, 80);
  EXPECT_EQ(info.rport, 40000);
  EXPECT_EQ(info.remote_ipv4, 0x0A000001u);
  EXPECT_EQ(info.snd_una, iss + 101);
  EXPECT_EQ(info.snd_nxt, iss + 151);
  EXPECT_EQ(info.rcv_nxt, 5001u);
  EXPECT_EQ(info.snd_wnd, 65535u);
  EXPECT_EQ(info.rx_queued, 100u);
  EXPECT_EQ(info.tx_queued, 80u);
  EXPECT_EQ(toe_conn_info(&dev, 16, &info), TOE_NO_CONN);
  EXPECT_EQ(toe_conn_info(&dev, 5, nullptr), TOE_BAD_ARG);
}

TEST_F(DriverTest, ConnInfoInSynSentCountsNothingAcknowledged) {
  open();
  m.expect_write(TOE_REG_CONN_SEL_OFFSET, 1);
  m.expect_read(TOE_REG_CONN_STATE_OFFSET, TOE_STATE_SYN_SENT);
  for (uint32_t off = TOE_REG_CONN_PORTS_OFFSET; off <= TOE_REG_CONN_RX_RD_OFFSET; off += 4) m.expect_read(off, 0);
  m.expect_read(TOE_REG_CONN_TX_WR_OFFSET, 10);
  m.expect_read(TOE_REG_CONN_ISS_OFFSET, 1234);
  m.expect_read(TOE_REG_CONN_OPTS_OFFSET, 536);
  toe_conn_info_t info{};
  ASSERT_EQ(toe_conn_info(&dev, 1, &info), TOE_OK);
  EXPECT_EQ(info.tx_queued, 10u);
  EXPECT_EQ(info.snd_mss, 536);
  EXPECT_EQ(info.ws_ok, 0);
}

TEST_F(DriverTest, ConnInfoBusErrorReadsLastError) {
  open();
  m.expect_write(TOE_REG_CONN_SEL_OFFSET, 1);
  m.expect_read(TOE_REG_CONN_STATE_OFFSET, 0, TOE_BUS_ERR);
  m.expect_read(TOE_REG_LAST_ERROR_OFFSET, last_error(TOE_REG_LAST_ERROR_CODE_UNMAPPED, TOE_REG_CONN_STATE_OFFSET));
  toe_conn_info_t info{};
  EXPECT_EQ(toe_conn_info(&dev, 1, &info), TOE_BUS_ERROR);
  EXPECT_NE(toe_last_bus_error(&dev), 0u);
}

}  // namespace
