// SPDX-License-Identifier: Apache-2.0
// toe::fw_test::ModelPort: the firmware's HAL (firmware/src/toe_fw_hal.h) on the C++ model of
// the engine, toe::model::EngineDevice, clocked by the test in one thread: every HAL access
// holds fw_req until fw_ready, then clocks until fw_valid (fw_err: TOE_FW_BUS_ERROR), as the
// RTL's bus would. now_us() is the cycle count at 125 MHz. The test's side of the engine:
//   host_write / host_read   the host register port (the same clocking), for the engine's
//                            configuration (MAC, IP, CTRL.ENABLE, ACK_EVERY, listen, close) and its
//                            host event queue (drained into host_events by every run)
//   inject(frame)            a frame onto s_axis_rx, beat by beat, as soon as the engine takes it
//   sent                     every frame off m_axis_tx, with the time of its first beat
//   run(fw, until_us)        the firmware's main loop against the model: poll, then clock until
//                            the firmware's next deadline, fw_intr or until_us (idle clocks
//                            skipped while the model is settled and nothing is being fed)
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "toe/net/codec.hpp"
#include "toe_fw.h"
#include "top/engine.hpp"

namespace toe::fw_test {

inline constexpr uint32_t kEngineIp = 0x0A000002;  // 10.0.0.2
inline constexpr uint32_t kPeerIp = 0x0A000001;    // 10.0.0.1
inline const net::MacAddr kEngineMac{{0x02, 0x11, 0x22, 0x33, 0x44, 0x55}};
inline const net::MacAddr kPeerMac{{0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0x01}};

struct SentFrame {
  std::vector<uint8_t> data;
  uint64_t at_us = 0;  // first beat
  double at_s() const { return double(at_us) / 1e6; }
};

struct HostEvent {
  uint32_t type = 0, conn = 0, value = 0;
  uint64_t at_us = 0;
};

class ModelPort {
 public:
  static constexpr uint64_t kClockMhz = 125;

  explicit ModelPort(const model::EngineParams& p = {});

  const toe_fw_hal* hal() const { return &hal_; }
  // Gives the HAL a seed source (toe_fw_hal.seed) that returns `key` and `result`.
  void set_seed(const std::array<uint32_t, 4>& key, toe_fw_result_t result = TOE_FW_OK) {
    seed_key_ = key;
    seed_result_ = result;
    hal_.seed = &ModelPort::hal_seed;
  }
  model::EngineDevice& device() { return *dev_; }
  uint64_t now_us() const { return cycle_ / kClockMhz; }
  uint64_t cycles() const { return cycle_; }

  void host_write(uint32_t addr, uint32_t value);
  uint32_t host_read(uint32_t addr);
  // MAC_ADDR_LO/HI, IPV4_ADDR (kEngineMac, kEngineIp), CTRL.ENABLE.
  void configure();
  void listen(uint16_t port);
  void host_command(uint32_t conn, uint32_t op);
  uint32_t conn_state(uint32_t conn);
  // Pops the host event queue into host_events.
  void drain_host_events();

  void inject(std::vector<uint8_t> frame);
  // Clocks n cycles (skipping idle ones when nothing is fed and the model is settled).
  void idle(uint64_t n);
  // The firmware's main loop until until_us (absolute).
  void run(toe_fw& fw, uint64_t until_us);
  // One HAL access (for tests that look at the bus themselves).
  toe_fw_result_t fw_access(bool we, uint32_t addr, uint32_t wdata, uint8_t be, uint32_t* rdata);

  std::vector<SentFrame> sent;
  std::vector<HostEvent> host_events;
  uint64_t fw_accesses = 0;  // HAL accesses made

 private:
  struct Bus {
    bool fw = false, we = false;
    uint32_t addr = 0, wdata = 0;
    uint8_t be = 0xF;
  };
  void step(const Bus* bus);
  // n clocks, or fewer if stop_on_fw_intr and fw_intr is (or becomes) 1.
  void advance(uint64_t n, bool stop_on_fw_intr);
  bool access(const Bus& b, uint32_t* rdata);

  static toe_fw_result_t hal_read32(void* ctx, uint32_t offset, uint32_t* value);
  static toe_fw_result_t hal_write32(void* ctx, uint32_t offset, uint32_t value, uint8_t be);
  static uint64_t hal_now_us(void* ctx);
  static toe_fw_result_t hal_engine_addr(void* ctx, uint8_t mac[6], uint32_t* ip);
  static toe_fw_result_t hal_seed(void* ctx, uint32_t key[4]) {
    const auto* self = static_cast<const ModelPort*>(ctx);
    for (size_t i = 0; i < 4; ++i) key[i] = self->seed_key_[i];
    return self->seed_result_;
  }

  std::unique_ptr<model::EngineDevice> dev_;
  uint32_t beat_bytes_;
  toe_fw_hal hal_{};
  std::array<uint32_t, 4> seed_key_{};
  toe_fw_result_t seed_result_ = TOE_FW_OK;
  uint64_t cycle_ = 0;
  std::deque<std::vector<uint8_t>> rx_;
  size_t rx_pos_ = 0;
  std::vector<uint8_t> tx_cur_;
  uint64_t tx_first_ = 0;
};

// Frames the tests send (from kPeerMac / kPeerIp to the engine) and parse.
std::vector<uint8_t> tcp_to_engine(uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
                                   const std::vector<uint8_t>& payload = {}, uint16_t window = 65535);
bool is_tcp(const SentFrame& f, uint8_t flags, net::Frame* parsed = nullptr);

}  // namespace toe::fw_test
