// SPDX-License-Identifier: Apache-2.0
// MockMmio: the strict mock transport (see mock_mmio.hpp).
#include "mock_mmio.hpp"

#include <gtest/gtest.h>

#include <cstdio>

namespace toe::driver_test {

namespace {
std::string hex(uint64_t v) {
  char b[32];
  std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
  return b;
}
}  // namespace

MockMmio::MockMmio() : mmio_{this, &MockMmio::read32, &MockMmio::write32, &MockMmio::wait, &MockMmio::now_us} {}

MockMmio::~MockMmio() { verify(); }

void MockMmio::expect_read(uint32_t offset, uint32_t value, toe_bus_status_t st) {
  Exp e{Kind::kRead};
  e.offset = offset;
  e.value = value;
  e.st = st;
  q_.push_back(e);
}

void MockMmio::expect_write(uint32_t offset, uint32_t value, uint8_t be, toe_bus_status_t st) {
  Exp e{Kind::kWrite};
  e.offset = offset;
  e.value = value;
  e.be = be;
  e.st = st;
  q_.push_back(e);
}

void MockMmio::expect_wait(uint32_t timeout_us, toe_bus_status_t st) {
  Exp e{Kind::kWait};
  e.value = timeout_us;
  e.st = st;
  q_.push_back(e);
}

void MockMmio::expect_now(uint64_t now_us) {
  Exp e{Kind::kNow};
  e.now = now_us;
  q_.push_back(e);
}

bool MockMmio::verify() {
  const bool clean = q_.empty();
  for (const Exp& e : q_) ADD_FAILURE() << "expected and never seen: " << describe(e);
  q_.clear();
  return clean;
}

std::string MockMmio::describe(const Exp& e) {
  switch (e.kind) {
    case Kind::kRead: return "read32(" + hex(e.offset) + ")";
    case Kind::kWrite: return "write32(" + hex(e.offset) + ", " + hex(e.value) + ", be " + hex(e.be) + ")";
    case Kind::kWait: return "wait(" + std::to_string(e.value) + " us)";
    case Kind::kNow: return "now_us()";
  }
  return "?";
}

bool MockMmio::next(Kind k, const std::string& got, Exp* e) {
  if (failed_) return false;
  if (q_.empty()) {
    ADD_FAILURE() << "unexpected " << got << ": no more accesses expected";
    failed_ = true;
    return false;
  }
  *e = q_.front();
  q_.pop_front();
  if (e->kind != k) {
    ADD_FAILURE() << "unexpected " << got << ": expected " << describe(*e);
    failed_ = true;
    return false;
  }
  return true;
}

toe_bus_status_t MockMmio::read32(void* ctx, uint32_t offset, uint32_t* value) {
  auto* m = static_cast<MockMmio*>(ctx);
  Exp e{Kind::kRead};
  if (!m->next(Kind::kRead, "read32(" + hex(offset) + ")", &e)) return TOE_BUS_LINK_DOWN;
  if (e.offset != offset) {
    ADD_FAILURE() << "unexpected read32(" << hex(offset) << "): expected " << describe(e);
    m->failed_ = true;
    return TOE_BUS_LINK_DOWN;
  }
  *value = e.value;
  return e.st;
}

toe_bus_status_t MockMmio::write32(void* ctx, uint32_t offset, uint32_t value, uint8_t be) {
  auto* m = static_cast<MockMmio*>(ctx);
  Exp e{Kind::kWrite};
  Exp got{Kind::kWrite};
  got.offset = offset;
  got.value = value;
  got.be = be;
  if (!m->next(Kind::kWrite, describe(got), &e)) return TOE_BUS_LINK_DOWN;
  if (e.offset != offset || e.value != value || e.be != be) {
    ADD_FAILURE() << "unexpected " << describe(got) << ": expected " << describe(e);
    m->failed_ = true;
    return TOE_BUS_LINK_DOWN;
  }
  return e.st;
}

toe_bus_status_t MockMmio::wait(void* ctx, uint32_t timeout_us) {
  auto* m = static_cast<MockMmio*>(ctx);
  Exp e{Kind::kWait};
  if (!m->next(Kind::kWait, "wait(" + std::to_string(timeout_us) + " us)", &e)) return TOE_BUS_LINK_DOWN;
  if (e.value != timeout_us) {
    ADD_FAILURE() << "unexpected wait(" << timeout_us << " us): expected " << describe(e);
    m->failed_ = true;
    return TOE_BUS_LINK_DOWN;
  }
  return e.st;
}

uint64_t MockMmio::now_us(void* ctx) {
  auto* m = static_cast<MockMmio*>(ctx);
  Exp e{Kind::kNow};
  if (!m->next(Kind::kNow, "now_us()", &e)) return UINT64_MAX;  // ends any wait loop
  return e.now;
}

}  // namespace toe::driver_test
