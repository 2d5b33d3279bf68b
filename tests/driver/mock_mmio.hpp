// SPDX-License-Identifier: Apache-2.0
// toe::driver_test::MockMmio: a strict mock of the driver's MMIO transport (toe_mmio_t), in the
// style of OpenTitan's mock_mmio: the test states the exact ordered sequence of transport calls
// it expects (reads with the value and status to return, writes with the value and byte enables
// expected, waits with the timeout expected, clock reads with the time to return); any call
// that is not the next expected one is a test failure (and answers TOE_BUS_LINK_DOWN, so the
// driver stops), and expectations left over at the end are a failure too (verify(), called by
// the destructor).
#pragma once

#include <cstdint>
#include <deque>
#include <string>

#include "toe/toe_driver.h"

namespace toe::driver_test {

class MockMmio {
 public:
  MockMmio();
  ~MockMmio();
  MockMmio(const MockMmio&) = delete;
  MockMmio& operator=(const MockMmio&) = delete;

  // The transport to hand to toe_open.
  const toe_mmio_t* mmio() const { return &mmio_; }

  // Expectations, in order.
  void expect_read(uint32_t offset, uint32_t value, toe_bus_status_t st = TOE_BUS_OK);
  void expect_write(uint32_t offset, uint32_t value, uint8_t be = 0xF, toe_bus_status_t st = TOE_BUS_OK);
  void expect_wait(uint32_t timeout_us, toe_bus_status_t st = TOE_BUS_OK);
  void expect_now(uint64_t now_us);

  // Fails the test for every expectation not consumed; clears them. True if none was left.
  bool verify();
  size_t left() const { return q_.size(); }

 private:
  enum class Kind { kRead, kWrite, kWait, kNow };
  struct Exp {
    Kind kind;
    uint32_t offset = 0;
    uint32_t value = 0;
    uint8_t be = 0xF;
    toe_bus_status_t st = TOE_BUS_OK;
    uint64_t now = 0;
  };
  static std::string describe(const Exp& e);
  bool next(Kind k, const std::string& got, Exp* e);

  static toe_bus_status_t read32(void* ctx, uint32_t offset, uint32_t* value);
  static toe_bus_status_t write32(void* ctx, uint32_t offset, uint32_t value, uint8_t be);
  static toe_bus_status_t wait(void* ctx, uint32_t timeout_us);
  static uint64_t now_us(void* ctx);

  toe_mmio_t mmio_;
  std::deque<Exp> q_;
  bool failed_ = false;  // after the first deviation every call answers LINK_DOWN silently
};

}  // namespace toe::driver_test
