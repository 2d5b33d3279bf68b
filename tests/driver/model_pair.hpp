// SPDX-License-Identifier: Apache-2.0
// toe::driver_test::ModelPair: two engines (toe::model::EngineDevice, the C++ model of
// toe_engine) wired back to back (device 0's m_axis_tx to device 1's s_axis_rx and the other
// way), each with a driver transport (toe_mmio_t) on its host register bus. One clock domain:
// any access or wait through either transport clocks both devices, so a single thread can drive
// both handles with blocking calls. An access holds reg_req until reg_ready, then clocks until
// reg_valid (reg_err: TOE_BUS_ERR); wait() clocks until the device's intr_o or the timeout,
// skipping idle clocks when both devices are settled. now_us() is the cycle count at
// kClockMhz. No firmware: nothing retransmits, so the wire must be lossless (it is).
#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include "toe/toe_driver.h"
#include "top/engine.hpp"

namespace toe::driver_test {

class ModelPair {
 public:
  static constexpr uint64_t kClockMhz = 125;  // CLOCK_MHZ's reset value

  explicit ModelPair(const model::EngineParams& p = {});

  const toe_mmio_t* mmio(int i) const { return &port_[size_t(i)].mmio; }
  model::EngineDevice& device(int i) { return *dev_[size_t(i)]; }
  uint64_t cycles() const { return cycle_; }
  uint64_t skipped() const { return skipped_; }

 private:
  struct Port {
    ModelPair* pair;
    int index;
    toe_mmio_t mmio;
  };
  struct Bus {
    bool req = false, we = false;
    uint32_t addr = 0, wdata = 0;
    uint8_t be = 0xF;
  };
  void step(int who, const Bus& bus);
  model::EngineDeviceIn idle_in(int i) const;
  toe_bus_status_t access(int i, const Bus& bus, uint32_t* rdata);

  static toe_bus_status_t read32(void* ctx, uint32_t offset, uint32_t* value);
  static toe_bus_status_t write32(void* ctx, uint32_t offset, uint32_t value, uint8_t be);
  static toe_bus_status_t wait(void* ctx, uint32_t timeout_us);
  static uint64_t now_us(void* ctx);

  std::array<std::unique_ptr<model::EngineDevice>, 2> dev_;
  std::array<Port, 2> port_;
  uint64_t cycle_ = 0, skipped_ = 0;
};

}  // namespace toe::driver_test
