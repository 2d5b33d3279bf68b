// SPDX-License-Identifier: Apache-2.0
// Unit tests of the host driver (host_driver/, toe_driver.h) against the strict mock transport
// (mock_mmio.hpp): every call's exact sequence of register reads and writes, waits and clock
// reads, and every error path (unknown device, bus error, link down, queue full, timeout,
// would block, reset, refused, closed, no such connection, bad arguments).
// Here: results, open, configure and listen, the command queue, poll, wait and accept, two
// devices, and the mock itself; the connection calls in test_driver_unit_conn.cpp.
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

// ---- results -----------------------------------------------------------------------------

TEST(DriverResult, EveryCodeHasItsOwnName) {
  std::set<std::string> names;
  for (int r = TOE_OK; r <= TOE_TRANSPORT_ERROR; ++r) {
    const std::string s = toe_result_str(toe_result_t(r));
    EXPECT_EQ(s.rfind("TOE_", 0), 0u) << r;
    EXPECT_NE(s, "TOE_?") << r;
    names.insert(s);
  }
  EXPECT_EQ(names.size(), size_t(TOE_TRANSPORT_ERROR) + 1);
  EXPECT_STREQ(toe_result_str(TOE_OK), "TOE_OK");
  EXPECT_STREQ(toe_result_str(TOE_REFUSED), "TOE_REFUSED");
  EXPECT_STREQ(toe_result_str(toe_result_t(99)), "TOE_?");
}

// ---- open ----------------------------------------------------------------------------------

TEST_F(DriverTest, OpenReadsTypeVersionAndSessions) {
  open(16);
  toe_device_info_t info{};
  ASSERT_EQ(toe_device_info(&dev, &info), TOE_OK);
  EXPECT_EQ(info.type, TOE_DEVICE_TYPE);
  EXPECT_EQ(info.version, TOE_DEVICE_VERSION);
  EXPECT_EQ(info.sessions, 16u);
  EXPECT_EQ(toe_last_bus_error(&dev), 0u);
}

TEST_F(DriverTest, OpenRefusesAnUnknownTypeAndSaysWhatItFound) {
  m.expect_read(TOE_REG_TYPE_OFFSET, 0x4E494331);
  EXPECT_EQ(toe_open(&dev, m.mmio(), conns.data(), 16, nullptr), TOE_UNKNOWN_DEVICE);
  toe_device_info_t info{};
  ASSERT_EQ(toe_device_info(&dev, &info), TOE_OK);
  EXPECT_EQ(info.type, 0x4E494331u);
}

TEST_F(DriverTest, OpenRefusesAnotherMajorVersion) {
  const uint32_t other = TOE_DEVICE_VERSION + (1u << TOE_REG_VERSION_MAJOR_LSB);
  m.expect_read(TOE_REG_TYPE_OFFSET, TOE_DEVICE_TYPE);
  m.expect_read(TOE_REG_VERSION_OFFSET, other);
  EXPECT_EQ(toe_open(&dev, m.mmio(), conns.data(), 16, nullptr), TOE_UNKNOWN_DEVICE);
  toe_device_info_t info{};
  ASSERT_EQ(toe_device_info(&dev, &info), TOE_OK);
  EXPECT_EQ(info.version, other);
}

TEST_F(DriverTest, OpenAcceptsANewerMinorAndPatch) {
  m.expect_read(TOE_REG_TYPE_OFFSET, TOE_DEVICE_TYPE);
  m.expect_read(TOE_REG_VERSION_OFFSET, (TOE_DEVICE_VERSION & TOE_REG_VERSION_MAJOR_MASK) | 0xFF07u);
  m.expect_read(TOE_REG_SESSIONS_OFFSET, 4);
  m.expect_read(TOE_REG_TX_BUF_BYTES_OFFSET, 8192);
  m.expect_read(TOE_REG_RX_BUF_BYTES_OFFSET, 2048);
  m.expect_read(TOE_REG_STATUS_OFFSET, TOE_REG_STATUS_READY_MASK);
  EXPECT_EQ(toe_open(&dev, m.mmio(), conns.data(), 16, nullptr), TOE_OK);
}

// A device still initialising its tables (STATUS.READY 0 after a reset): toe_open reads STATUS
// until READY, for the command timeout from the first read that found it 0.
TEST_F(DriverTest, OpenWaitsForStatusReady) {
  toe_config_t c{};
  c.cmd_timeout_us = 100;
  expect_identity(m, 16, TOE_PARAM_TX_BUF_BYTES_DEFAULT, TOE_PARAM_RX_BUF_BYTES_DEFAULT, false);
  m.expect_read(TOE_REG_STATUS_OFFSET, 0);  // not ready
  m.expect_now(1000);
  m.expect_read(TOE_REG_STATUS_OFFSET, 0);
  m.expect_now(1099);
  m.expect_read(TOE_REG_STATUS_OFFSET, TOE_REG_STATUS_READY_MASK);
  EXPECT_EQ(toe_open(&dev, m.mmio(), conns.data(), 16, &c), TOE_OK);
  EXPECT_TRUE(m.verify());
}

TEST_F(DriverTest, OpenTimesOutWhenStatusReadyStaysZero) {
  toe_config_t c{};
  c.cmd_timeout_us = 100;
  expect_identity(m, 16, TOE_PARAM_TX_BUF_BYTES_DEFAULT, TOE_PARAM_RX_BUF_BYTES_DEFAULT, false);
  m.expect_read(TOE_REG_STATUS_OFFSET, 0);
  m.expect_now(1000);
  m.expect_read(TOE_REG_STATUS_OFFSET, 0);
  m.expect_now(1100);
  EXPECT_EQ(toe_open(&dev, m.mmio(), conns.data(), 16, &c), TOE_TIMED_OUT);
  EXPECT_TRUE(m.verify());
}

// The buffer sizes come from the device (map 0.3: TX_BUF_BYTES, RX_BUF_BYTES); the send path
// wraps at the device's size, not the compile-time default.
TEST_F(DriverTest, OpenTakesTheBufferSizesFromTheDevice) {
  expect_identity(m, 4, 2048, 1024);
  ASSERT_EQ(toe_open(&dev, m.mmio(), conns.data(), 16, nullptr), TOE_OK);
  toe_device_info_t info{};
  ASSERT_EQ(toe_device_info(&dev, &info), TOE_OK);
  EXPECT_EQ(info.tx_buf_bytes, 2048u);
  EXPECT_EQ(info.rx_buf_bytes, 1024u);
  EXPECT_EQ(dev.cfg.tx_buf_bytes, 2048u);
  EXPECT_EQ(dev.cfg.rx_buf_bytes, 1024u);
}

TEST_F(DriverTest, OpenRefusesAConfiguredBufferSizeTheDeviceContradicts) {
  toe_config_t c{};
  c.rx_buf_bytes = 4096;
  expect_identity(m, 4, 4096, 2048, false);
  EXPECT_EQ(toe_open(&dev, m.mmio(), conns.data(), 16, &c), TOE_BAD_ARG);
  c.rx_buf_bytes = 2048;  // the same size is a check that passes
  expect_identity(m, 4, 4096, 2048);
  EXPECT_EQ(toe_open(&dev, m.mmio(), conns.data(), 16, &c), TOE_OK);
}

TEST_F(DriverTest, OpenRefusesAZeroBufferSize) {
  expect_identity(m, 4, 0, 2048, false);
  EXPECT_EQ(toe_open(&dev, m.mmio(), conns.data(), 16, nullptr), TOE_BAD_ARG);
  expect_identity(m, 4, 2048, 0, false);
  EXPECT_EQ(toe_open(&dev, m.mmio(), conns.data(), 16, nullptr), TOE_BAD_ARG);
  // Larger than the 16 KiB windows is a buffer the window base slides over.
  expect_identity(m, 4, 65536, 65536);
  EXPECT_EQ(toe_open(&dev, m.mmio(), conns.data(), 16, nullptr), TOE_OK);
}

// A device from before map 0.3 has no size registers: the configuration (or the default) holds
// and nothing else is read.
TEST_F(DriverTest, OpenOnAnOlderMinorUsesTheConfiguredSizes) {
  toe_config_t c{};
  c.tx_buf_bytes = 512;
  m.expect_read(TOE_REG_TYPE_OFFSET, TOE_DEVICE_TYPE);
  m.expect_read(TOE_REG_VERSION_OFFSET, (TOE_DEVICE_VERSION & TOE_REG_VERSION_MAJOR_MASK) | 0x0200u);
  m.expect_read(TOE_REG_SESSIONS_OFFSET, 4);
  m.expect_read(TOE_REG_STATUS_OFFSET, TOE_REG_STATUS_READY_MASK);
  ASSERT_EQ(toe_open(&dev, m.mmio(), conns.data(), 16, &c), TOE_OK);
  EXPECT_TRUE(m.verify());
  toe_device_info_t info{};
  ASSERT_EQ(toe_device_info(&dev, &info), TOE_OK);
  EXPECT_EQ(info.tx_buf_bytes, 512u);
  EXPECT_EQ(info.rx_buf_bytes, uint32_t(TOE_PARAM_RX_BUF_BYTES_DEFAULT));
}

TEST_F(DriverTest, OpenBusErrorReadsLastError) {
  m.expect_read(TOE_REG_TYPE_OFFSET, 0, TOE_BUS_ERR);
  m.expect_read(TOE_REG_LAST_ERROR_OFFSET, last_error(TOE_REG_LAST_ERROR_CODE_UNMAPPED, 0));
  EXPECT_EQ(toe_open(&dev, m.mmio(), conns.data(), 16, nullptr), TOE_BUS_ERROR);
  EXPECT_EQ(toe_last_bus_error(&dev), TOE_REG_LAST_ERROR_CODE_UNMAPPED);
}

TEST_F(DriverTest, OpenLinkDownIsATransportError) {
  m.expect_read(TOE_REG_TYPE_OFFSET, 0, TOE_BUS_LINK_DOWN);
  EXPECT_EQ(toe_open(&dev, m.mmio(), conns.data(), 16, nullptr), TOE_TRANSPORT_ERROR);
}

TEST_F(DriverTest, OpenNeedsStorageForEverySession) {
  m.expect_read(TOE_REG_TYPE_OFFSET, TOE_DEVICE_TYPE);
  m.expect_read(TOE_REG_VERSION_OFFSET, TOE_DEVICE_VERSION);
  m.expect_read(TOE_REG_SESSIONS_OFFSET, 128);
  EXPECT_EQ(toe_open(&dev, m.mmio(), conns.data(), 16, nullptr), TOE_NO_RESOURCES);
}

TEST_F(DriverTest, OpenRefusesBadArguments) {
  EXPECT_EQ(toe_open(nullptr, m.mmio(), conns.data(), 16, nullptr), TOE_BAD_ARG);
  EXPECT_EQ(toe_open(&dev, nullptr, conns.data(), 16, nullptr), TOE_BAD_ARG);
  EXPECT_EQ(toe_open(&dev, m.mmio(), nullptr, 16, nullptr), TOE_BAD_ARG);
  EXPECT_EQ(toe_open(&dev, m.mmio(), conns.data(), 0, nullptr), TOE_BAD_ARG);
  toe_mmio_t partial = *m.mmio();
  partial.wait = nullptr;
  EXPECT_EQ(toe_open(&dev, &partial, conns.data(), 16, nullptr), TOE_BAD_ARG);
  EXPECT_EQ(toe_device_info(&dev, nullptr), TOE_BAD_ARG);
  EXPECT_EQ(toe_last_bus_error(nullptr), 0u);
}

// ---- configure, listen ----------------------------------------------------------------------

TEST_F(DriverTest, ConfigureWritesAddressesInterruptAndEnable) {
  open();
  toe_net_config_t net{{0x02, 0x11, 0x22, 0x33, 0x44, 0x55}, 0xC0A80102, 1400, 1};
  m.expect_write(TOE_REG_MAC_ADDR_LO_OFFSET, 0x22334455);
  m.expect_write(TOE_REG_MAC_ADDR_HI_OFFSET, 0x0211);
  m.expect_write(TOE_REG_IPV4_ADDR_OFFSET, 0xC0A80102);
  m.expect_write(TOE_REG_MSS_OFFSET, 1400);
  m.expect_write(TOE_REG_INTR_ENABLE_OFFSET, TOE_REG_INTR_ENABLE_EVQ_NOT_EMPTY_MASK);
  m.expect_write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK);
  EXPECT_EQ(toe_configure(&dev, &net), TOE_OK);
}

TEST_F(DriverTest, ConfigureWithoutMssLeavesItAndCanDisable) {
  open();
  toe_net_config_t net{{0, 0, 0, 0, 0, 1}, 0x0A000002, 0, 0};
  m.expect_write(TOE_REG_MAC_ADDR_LO_OFFSET, 0x1);
  m.expect_write(TOE_REG_MAC_ADDR_HI_OFFSET, 0);
  m.expect_write(TOE_REG_IPV4_ADDR_OFFSET, 0x0A000002);
  m.expect_write(TOE_REG_INTR_ENABLE_OFFSET, TOE_REG_INTR_ENABLE_EVQ_NOT_EMPTY_MASK);
  m.expect_write(TOE_REG_CTRL_OFFSET, 0);
  EXPECT_EQ(toe_configure(&dev, &net), TOE_OK);
  EXPECT_EQ(toe_configure(&dev, nullptr), TOE_BAD_ARG);
}

TEST_F(DriverTest, ConfigureStopsAtABusError) {
  open();
  toe_net_config_t net{{0x02, 0x11, 0x22, 0x33, 0x44, 0x55}, 0xC0A80102, 0, 1};
  m.expect_write(TOE_REG_MAC_ADDR_LO_OFFSET, 0x22334455);
  m.expect_write(TOE_REG_MAC_ADDR_HI_OFFSET, 0x0211, 0xF, TOE_BUS_ERR);
  m.expect_read(TOE_REG_LAST_ERROR_OFFSET, last_error(TOE_REG_LAST_ERROR_CODE_READ_ONLY, TOE_REG_MAC_ADDR_HI_OFFSET));
  EXPECT_EQ(toe_configure(&dev, &net), TOE_BUS_ERROR);
  EXPECT_EQ(TOE_REG_FIELD_GET(toe_last_bus_error(&dev), LAST_ERROR, ADDR), TOE_REG_MAC_ADDR_HI_OFFSET);
}

TEST_F(DriverTest, ListenAndUnlistenWritePortThenCommand) {
  open();
  m.expect_write(TOE_REG_CMD_PORTS_OFFSET, 80);
  m.expect_write(TOE_REG_CMD_OFFSET, TOE_CMD_LISTEN);
  EXPECT_EQ(toe_listen(&dev, 80), TOE_OK);
  m.expect_write(TOE_REG_CMD_PORTS_OFFSET, 80);
  m.expect_write(TOE_REG_CMD_OFFSET, TOE_CMD_UNLISTEN);
  EXPECT_EQ(toe_unlisten(&dev, 80), TOE_OK);
  EXPECT_EQ(toe_listen(&dev, 0), TOE_BAD_ARG);
  EXPECT_EQ(toe_unlisten(nullptr, 80), TOE_BAD_ARG);
}

// ---- the command queue ----------------------------------------------------------------------

TEST_F(DriverTest, AFullCommandQueueIsWaitedForAndTheCommandRetried) {
  open();
  m.expect_write(TOE_REG_CMD_PORTS_OFFSET, 80);
  m.expect_write(TOE_REG_CMD_OFFSET, TOE_CMD_LISTEN, 0xF, TOE_BUS_ERR);
  m.expect_read(TOE_REG_LAST_ERROR_OFFSET, last_error(TOE_REG_LAST_ERROR_CODE_QUEUE_FULL, TOE_REG_CMD_OFFSET));
  m.expect_now(100);
  m.expect_read(TOE_REG_CMD_STATUS_OFFSET, cmd_status(4, 4));
  m.expect_now(101);
  m.expect_read(TOE_REG_CMD_STATUS_OFFSET, cmd_status(3, 4));
  m.expect_write(TOE_REG_CMD_OFFSET, TOE_CMD_LISTEN);
  EXPECT_EQ(toe_listen(&dev, 80), TOE_OK);
}

TEST_F(DriverTest, ACommandQueueFullPastTheCommandTimeoutIsQueueFull) {
  cfg.cmd_timeout_us = 50;
  open();
  m.expect_write(TOE_REG_CMD_PORTS_OFFSET, 80);
  m.expect_write(TOE_REG_CMD_OFFSET, TOE_CMD_LISTEN, 0xF, TOE_BUS_ERR);
  m.expect_read(TOE_REG_LAST_ERROR_OFFSET, last_error(TOE_REG_LAST_ERROR_CODE_QUEUE_FULL, TOE_REG_CMD_OFFSET));
  m.expect_now(100);
  m.expect_read(TOE_REG_CMD_STATUS_OFFSET, cmd_status(4, 4));
  m.expect_now(120);
  // Room seen, but another writer took it first: refused again, and the time is up.
  m.expect_read(TOE_REG_CMD_STATUS_OFFSET, cmd_status(3, 4));
  m.expect_write(TOE_REG_CMD_OFFSET, TOE_CMD_LISTEN, 0xF, TOE_BUS_ERR);
  m.expect_read(TOE_REG_LAST_ERROR_OFFSET, last_error(TOE_REG_LAST_ERROR_CODE_QUEUE_FULL, TOE_REG_CMD_OFFSET));
  m.expect_now(150);
  EXPECT_EQ(toe_listen(&dev, 80), TOE_QUEUE_FULL);
}

TEST_F(DriverTest, ACommandRefusedForAnotherReasonIsABusError) {
  open();
  m.expect_write(TOE_REG_CMD_PORTS_OFFSET, 80);
  m.expect_write(TOE_REG_CMD_OFFSET, TOE_CMD_LISTEN, 0xF, TOE_BUS_ERR);
  m.expect_read(TOE_REG_LAST_ERROR_OFFSET, last_error(TOE_REG_LAST_ERROR_CODE_BAD_COMMAND, TOE_REG_CMD_OFFSET));
  EXPECT_EQ(toe_listen(&dev, 80), TOE_BUS_ERROR);
  EXPECT_EQ(TOE_REG_FIELD_GET(toe_last_bus_error(&dev), LAST_ERROR, CODE), TOE_REG_LAST_ERROR_CODE_BAD_COMMAND);
}

// ---- poll, wait, accept ---------------------------------------------------------------------

TEST_F(DriverTest, PollTakesEveryEventAndTellsTheHook) {
  open();
  poll_in({{TOE_EVT_ACCEPTED, 3, 0, 80}, {TOE_EVT_DATA, 3, 100, 80}, {TOE_EVT_SYN_DROPPED, 0xFFFFFFFF, 80, 80}});
  ASSERT_EQ(hooked.size(), 3u);
  EXPECT_EQ(hooked[1], std::make_tuple(uint32_t(TOE_EVT_DATA), 3u, 100u));
  EXPECT_EQ(dev.syn_dropped, 1u);
  EXPECT_EQ(dev.conns[3].rx_wr, 100u);
  EXPECT_EQ(toe_poll(nullptr, nullptr), TOE_BAD_ARG);
}

TEST_F(DriverTest, PollCountsEventsForConnectionsItDoesNotKnow) {
  open();
  poll_in({{TOE_EVT_DATA, 5, 10, 0}, {TOE_EVT_ACCEPTED, 40, 0, 80}, {TOE_EVT_OPENED, 1, 77, 0}});
  EXPECT_EQ(dev.unknown_events, 3u);
}

TEST_F(DriverTest, PollStopsAtABusError) {
  open();
  m.expect_read(TOE_REG_EVQ_EVENT_OFFSET, evq_event(TOE_EVT_DATA));
  m.expect_read(TOE_REG_EVQ_CONN_OFFSET, 0);
  m.expect_read(TOE_REG_EVQ_VALUE_OFFSET, 0);
  m.expect_write(TOE_REG_EVQ_POP_OFFSET, kEvqPop, 0xF, TOE_BUS_ERR);
  m.expect_read(TOE_REG_LAST_ERROR_OFFSET, last_error(TOE_REG_LAST_ERROR_CODE_QUEUE_EMPTY, TOE_REG_EVQ_POP_OFFSET));
  EXPECT_EQ(toe_poll(&dev, nullptr), TOE_BUS_ERROR);
}

TEST_F(DriverTest, WaitEventReturnsOnceAnEventCame) {
  open();
  m.expect_write(TOE_REG_INTR_STATE_OFFSET, kIntrEvq);
  expect_empty();
  m.expect_now(1000);
  m.expect_wait(300);
  m.expect_write(TOE_REG_INTR_STATE_OFFSET, kIntrEvq);
  expect_event(TOE_EVT_DATA, 0, 1);
  expect_empty();
  uint32_t n = 0;
  EXPECT_EQ(toe_wait_event(&dev, 300, &n), TOE_OK);
  EXPECT_EQ(n, 1u);
  expect_empty();
  EXPECT_EQ(toe_wait_event(&dev, 0, &n), TOE_WOULD_BLOCK);
}

TEST_F(DriverTest, AcceptWithoutTimeoutWouldBlock) {
  open();
  expect_empty();
  uint32_t conn = ~0u;
  EXPECT_EQ(toe_accept(&dev, 80, 0, &conn), TOE_WOULD_BLOCK);
  EXPECT_EQ(toe_accept(&dev, 80, 0, nullptr), TOE_BAD_ARG);
}

TEST_F(DriverTest, AcceptWaitsForTheAcceptedEvent) {
  open();
  m.expect_write(TOE_REG_INTR_STATE_OFFSET, kIntrEvq);
  expect_empty();
  m.expect_now(1000);
  m.expect_wait(500);
  m.expect_write(TOE_REG_INTR_STATE_OFFSET, kIntrEvq);
  expect_event(TOE_EVT_ACCEPTED, 7, 0, 80);
  expect_empty();
  uint32_t conn = ~0u;
  EXPECT_EQ(toe_accept(&dev, 80, 500, &conn), TOE_OK);
  EXPECT_EQ(conn, 7u);
}

TEST_F(DriverTest, AcceptTimesOutAtItsDeadline) {
  open();
  m.expect_write(TOE_REG_INTR_STATE_OFFSET, kIntrEvq);
  expect_empty();
  m.expect_now(1000);
  m.expect_wait(500);
  m.expect_write(TOE_REG_INTR_STATE_OFFSET, kIntrEvq);
  expect_empty();
  m.expect_now(1200);  // woken early (spurious): waits for the rest
  m.expect_wait(300);
  m.expect_write(TOE_REG_INTR_STATE_OFFSET, kIntrEvq);
  expect_empty();
  m.expect_now(1500);
  uint32_t conn = ~0u;
  EXPECT_EQ(toe_accept(&dev, 80, 500, &conn), TOE_TIMED_OUT);
}

TEST_F(DriverTest, ALongWaitIsCutIntoSlices) {
  open();
  m.expect_write(TOE_REG_INTR_STATE_OFFSET, kIntrEvq);
  expect_empty();
  m.expect_now(0);
  m.expect_wait(10000);
  m.expect_write(TOE_REG_INTR_STATE_OFFSET, kIntrEvq);
  expect_empty();
  m.expect_now(10000);
  m.expect_wait(5000);
  m.expect_write(TOE_REG_INTR_STATE_OFFSET, kIntrEvq);
  expect_empty();
  m.expect_now(15000);
  uint32_t conn = ~0u;
  EXPECT_EQ(toe_accept(&dev, 0, 15000, &conn), TOE_TIMED_OUT);
}

TEST_F(DriverTest, ATransportLostDuringAWaitEndsTheCall) {
  open();
  m.expect_write(TOE_REG_INTR_STATE_OFFSET, kIntrEvq);
  expect_empty();
  m.expect_now(0);
  m.expect_wait(100, TOE_BUS_LINK_DOWN);
  uint32_t conn = ~0u;
  EXPECT_EQ(toe_accept(&dev, 0, 100, &conn), TOE_TRANSPORT_ERROR);
}

TEST_F(DriverTest, AcceptTakesTheOldestOfItsPortAndSkipsResetOnes) {
  open();
  poll_in({{TOE_EVT_ACCEPTED, 4, 0, 80},
           {TOE_EVT_ACCEPTED, 1, 0, 81},
           {TOE_EVT_ACCEPTED, 2, 0, 80},
           {TOE_EVT_ACCEPTED, 0, 0, 80},
           {TOE_EVT_RESET, 4, 0, 80}});
  uint32_t conn = ~0u;
  expect_empty();
  ASSERT_EQ(toe_accept(&dev, 80, 0, &conn), TOE_OK);
  EXPECT_EQ(conn, 2u);
  expect_empty();
  ASSERT_EQ(toe_accept(&dev, 80, 0, &conn), TOE_OK);
  EXPECT_EQ(conn, 0u);
  expect_empty();
  EXPECT_EQ(toe_accept(&dev, 80, 0, &conn), TOE_WOULD_BLOCK);
  expect_empty();
  ASSERT_EQ(toe_accept(&dev, 0, 0, &conn), TOE_OK);
  EXPECT_EQ(conn, 1u);
}

// Two devices in one process: no shared state between handles.
TEST(DriverTwoDevices, HandlesAreIndependent) {
  MockMmio a, b;
  toe_dev_t da{}, db{};
  std::array<toe_conn_t, 4> ca{}, cb{};
  for (MockMmio* m : {&a, &b}) expect_identity(*m, 4);
  ASSERT_EQ(toe_open(&da, a.mmio(), ca.data(), 4, nullptr), TOE_OK);
  ASSERT_EQ(toe_open(&db, b.mmio(), cb.data(), 4, nullptr), TOE_OK);
  a.expect_read(TOE_REG_EVQ_EVENT_OFFSET, evq_event(TOE_EVT_ACCEPTED, 0, 80));
  a.expect_read(TOE_REG_EVQ_CONN_OFFSET, 1);
  a.expect_read(TOE_REG_EVQ_VALUE_OFFSET, 0);
  a.expect_write(TOE_REG_EVQ_POP_OFFSET, kEvqPop);
  a.expect_read(TOE_REG_EVQ_EVENT_OFFSET, 0);
  ASSERT_EQ(toe_poll(&da, nullptr), TOE_OK);
  b.expect_read(TOE_REG_EVQ_EVENT_OFFSET, 0);
  uint32_t conn = 0;
  EXPECT_EQ(toe_accept(&db, 80, 0, &conn), TOE_WOULD_BLOCK);
  a.expect_read(TOE_REG_EVQ_EVENT_OFFSET, 0);
  EXPECT_EQ(toe_accept(&da, 80, 0, &conn), TOE_OK);
  EXPECT_EQ(conn, 1u);
}

}  // namespace

// ---- the mock itself: it must catch every deviation ----------------------------------------

namespace mock_self_test {

void wrong_value() {
  MockMmio m;
  m.expect_write(TOE_REG_CTRL_OFFSET, 1);
  EXPECT_EQ(m.mmio()->write32(m.mmio()->ctx, TOE_REG_CTRL_OFFSET, 2, 0xF), TOE_BUS_LINK_DOWN);
}
void wrong_byte_enables() {
  MockMmio m;
  m.expect_write(TOE_REG_TX_WINDOW_BASE, 1, 0x1);
  m.mmio()->write32(m.mmio()->ctx, TOE_REG_TX_WINDOW_BASE, 1, 0xF);
}
void wrong_kind() {
  MockMmio m;
  m.expect_write(TOE_REG_CTRL_OFFSET, 1);
  uint32_t v = 0;
  m.mmio()->read32(m.mmio()->ctx, TOE_REG_CTRL_OFFSET, &v);
}
void unexpected() {
  MockMmio m;
  EXPECT_EQ(m.mmio()->now_us(m.mmio()->ctx), UINT64_MAX);
}
void leftover() {
  MockMmio m;
  m.expect_wait(5);
}

}  // namespace mock_self_test

TEST(DriverMock, FailsOnEveryDeviation) {
  EXPECT_NONFATAL_FAILURE(mock_self_test::wrong_value(), "expected write32(0x10, 0x1");
  EXPECT_NONFATAL_FAILURE(mock_self_test::wrong_byte_enables(), "be 0x1");
  EXPECT_NONFATAL_FAILURE(mock_self_test::wrong_kind(), "unexpected read32(0x10)");
  EXPECT_NONFATAL_FAILURE(mock_self_test::unexpected(), "no more accesses expected");
  EXPECT_NONFATAL_FAILURE(mock_self_test::leftover(), "expected and never seen: wait(5 us)");
}
