// SPDX-License-Identifier: Apache-2.0
// The fixture of the host driver's unit tests (test_driver_unit.cpp, test_driver_unit_conn.cpp):
// a driver handle on the strict mock transport (mock_mmio.hpp), and the register values and
// expectation helpers the tests share.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <tuple>
#include <vector>

#include "mock_mmio.hpp"
#include "toe/toe_driver.h"
#include "toe_defs.h"
#include "toe_regs.h"

namespace toe::driver_test {

inline constexpr uint32_t kEvqPop = TOE_REG_EVQ_POP_POP_MASK;
inline constexpr uint32_t kIntrEvq = TOE_REG_INTR_STATE_EVQ_NOT_EMPTY_MASK;

inline uint32_t last_error(uint32_t code, uint32_t addr) { return code | addr << TOE_REG_LAST_ERROR_ADDR_LSB; }
inline uint32_t cmd_status(uint32_t pending, uint32_t depth) {
  return TOE_REG_FIELD_PREP(CMD_STATUS, PENDING, pending) | TOE_REG_FIELD_PREP(CMD_STATUS, DEPTH, depth);
}
inline uint32_t evq_event(uint32_t type, uint32_t state = 0, uint32_t lport = 0) {
  return TOE_REG_FIELD_PREP(EVQ_EVENT, EVT, type) | TOE_REG_FIELD_PREP(EVQ_EVENT, STATE, state) |
         TOE_REG_FIELD_PREP(EVQ_EVENT, LPORT, lport);
}

// The reads of toe_open on a device of this driver's register map: TYPE, VERSION, SESSIONS,
// TX_BUF_BYTES, RX_BUF_BYTES, and STATUS (READY) unless ready is false (the sizes make it fail,
// or the test states the STATUS reads itself).
inline void expect_identity(MockMmio& m, uint32_t sessions, uint32_t tx_buf = TOE_PARAM_TX_BUF_BYTES_DEFAULT,
                            uint32_t rx_buf = TOE_PARAM_RX_BUF_BYTES_DEFAULT, bool ready = true) {
  m.expect_read(TOE_REG_TYPE_OFFSET, TOE_DEVICE_TYPE);
  m.expect_read(TOE_REG_VERSION_OFFSET, TOE_DEVICE_VERSION);
  m.expect_read(TOE_REG_SESSIONS_OFFSET, sessions);
  m.expect_read(TOE_REG_TX_BUF_BYTES_OFFSET, tx_buf);
  m.expect_read(TOE_REG_RX_BUF_BYTES_OFFSET, rx_buf);
  if (ready) m.expect_read(TOE_REG_STATUS_OFFSET, TOE_REG_STATUS_READY_MASK);
}

class DriverTest : public ::testing::Test {
 protected:
  MockMmio m;
  toe_dev_t dev{};
  std::array<toe_conn_t, 16> conns{};
  toe_config_t cfg{};
  std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> hooked;  // events seen by the hook

  void open(uint32_t sessions = 16) {
    cfg.event_hook = [](void* ctx, uint32_t type, uint32_t conn, uint32_t value) {
      static_cast<DriverTest*>(ctx)->hooked.emplace_back(type, conn, value);
    };
    cfg.event_hook_ctx = this;
    expect_identity(m, sessions, cfg.tx_buf_bytes ? cfg.tx_buf_bytes : TOE_PARAM_TX_BUF_BYTES_DEFAULT,
                    cfg.rx_buf_bytes ? cfg.rx_buf_bytes : TOE_PARAM_RX_BUF_BYTES_DEFAULT);
    ASSERT_EQ(toe_open(&dev, m.mmio(), conns.data(), uint32_t(conns.size()), &cfg), TOE_OK);
    ASSERT_TRUE(m.verify());
  }
  // One event at the head of the queue, taken and popped.
  void expect_event(uint32_t type, uint32_t conn, uint32_t value, uint32_t lport = 0) {
    m.expect_read(TOE_REG_EVQ_EVENT_OFFSET, evq_event(type, 0, lport));
    m.expect_read(TOE_REG_EVQ_CONN_OFFSET, conn);
    m.expect_read(TOE_REG_EVQ_VALUE_OFFSET, value);
    m.expect_write(TOE_REG_EVQ_POP_OFFSET, kEvqPop);
  }
  void expect_empty() { m.expect_read(TOE_REG_EVQ_EVENT_OFFSET, 0); }
  // Events, then the empty queue, taken by toe_poll.
  void poll_in(const std::vector<std::tuple<uint32_t, uint32_t, uint32_t, uint32_t>>& evs) {
    for (const auto& [t, c, v, p] : evs) expect_event(t, c, v, p);
    expect_empty();
    uint32_t n = 0;
    ASSERT_EQ(toe_poll(&dev, &n), TOE_OK);
    EXPECT_EQ(n, evs.size());
    ASSERT_TRUE(m.verify());
  }
  // A connection accepted on lport (event accepted) and taken by toe_accept.
  void accept(uint32_t conn, uint16_t lport = 80) {
    poll_in({{TOE_EVT_ACCEPTED, conn, 0, lport}});
    expect_empty();
    uint32_t got = ~0u;
    ASSERT_EQ(toe_accept(&dev, lport, 0, &got), TOE_OK);
    ASSERT_EQ(got, conn);
    ASSERT_TRUE(m.verify());
  }
};

}  // namespace toe::driver_test
