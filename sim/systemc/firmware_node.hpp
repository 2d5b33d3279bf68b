// SPDX-License-Identifier: Apache-2.0
// toe::sc::FirmwareNode: the C firmware of firmware/ (toe_fw) in the loop, on a DeviceTlm's
// firmware register port, in place of SlowPathTimers:
//
//   dev.fw_irq --> irq_ (sc_signal) --wakes--> toe_fw_poll(): events, frames, due timers
//   fw (simple_initiator_socket) --> dev.fw: every HAL read32 / write32 one b_transport
//
// The HAL (firmware/src/toe_fw_hal.h): read32 / write32 are b_transport on `fw` followed by
// wait(delay) (the bus cycles the access took pass on the firmware's clock, as on a core),
// write32's byte enables become the payload's byte-enable array; now_us is sc_time_stamp() in
// whole microseconds. engine_addr: until the firmware port carries its own MAC_ADDR_LO/HI and
// IPV4_ADDR mirrors (toe_fw_regs.h defines TOE_FW_REG_MAC_ADDR_LO_OFFSET), they are peeked from
// the host port with transport_dbg (side-effect free).
// seed: FirmwareNodeConfig::seed's splitmix64 words (the ISN key toe_fw_init writes to ISN_KEY);
// none when the seed is 0.
//
// One SC_THREAD: toe_fw_init at time 0 (the port's CTRL.EVQ_EN and interrupts), then forever:
// toe_fw_poll, then sleep until fw_irq rises or the firmware's next deadline
// (toe_fw_next_deadline_us), at most FirmwareNodeConfig::poll (a safety net). A poll that
// fails (a refused access the firmware cannot get past) is counted in poll_errors() and the
// loop goes on. The constructor binds `fw` to dev.fw and dev.fw_irq to its own signal, as
// SlowPathTimers does: a device has one or the other.
#pragma once

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <cstdint>
#include <iosfwd>

#include "toe_device_tlm.hpp"
#include "toe_fw.h"

namespace toe::sc {

struct FirmwareNodeConfig {
  toe_fw_config fw = defaults();                    // the firmware's policy (toe_fw_config.h)
  sc_core::sc_time poll{10, sc_core::SC_MS};        // the longest sleep without a deadline
  // The seed source behind the HAL's seed hook (toe_fw_init keys the ISN hash with it): 128
  // bits from splitmix64 words of this seed, reproducible run to run; 0: no seed source (the
  // host's ISN_SECRET alone keys the hash).
  uint64_t seed = 0x746f65636f7265ull;  // "toecore"
  static toe_fw_config defaults();
};

class FirmwareNode : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(FirmwareNode);
  // Throws std::invalid_argument for a configuration toe_fw_config_check refuses or a zero poll.
  FirmwareNode(sc_core::sc_module_name name, DeviceTlm& dev, const FirmwareNodeConfig& cfg = {});

  tlm_utils::simple_initiator_socket<FirmwareNode> fw;  // bound to dev.fw

  // The firmware's state (its statistics, timers, ARP cache); valid once booted().
  const toe_fw& firmware() const { return fw_; }
  toe_fw& firmware() { return fw_; }
  const toe_fw_stats& stats() const { return fw_.stats; }
  bool booted() const { return booted_; }
  toe_fw_result_t boot_result() const { return boot_; }
  uint64_t polls() const { return polls_; }
  uint64_t poll_errors() const { return poll_errors_; }
  uint64_t accesses() const { return accesses_; }

  // Wakes the firmware's thread now (after a call into the firmware from another process, e.g.
  // toe_fw_arp_resolve, whose timer the thread must see).
  void kick() { kick_.notify(sc_core::SC_ZERO_TIME); }

  const char* kind() const override { return "toe::sc::FirmwareNode"; }
  void print(std::ostream& os) const override;  // the firmware's statistics, one line

 private:
  void run();
  toe_fw_result_t access(bool we, uint32_t addr, uint32_t* data, uint8_t be);
  static toe_fw_result_t hal_read32(void* ctx, uint32_t offset, uint32_t* value);
  static toe_fw_result_t hal_write32(void* ctx, uint32_t offset, uint32_t value, uint8_t be);
  static uint64_t hal_now_us(void* ctx);
  static toe_fw_result_t hal_engine_addr(void* ctx, uint8_t mac[6], uint32_t* ip);
  static toe_fw_result_t hal_seed(void* ctx, uint32_t key[4]);

  DeviceTlm& dev_;
  FirmwareNodeConfig cfg_;
  sc_core::sc_signal<bool> irq_;
  sc_core::sc_event kick_;
  toe_fw_hal hal_{};
  toe_fw fw_{};
  bool booted_ = false;
  toe_fw_result_t boot_ = TOE_FW_OK;
  uint64_t polls_ = 0, poll_errors_ = 0, accesses_ = 0;
};

}  // namespace toe::sc

// "events 12 retransmits 2 give_ups 0 ..." (global, where toe_fw_stats is, so lookup finds it).
std::ostream& operator<<(std::ostream& os, const toe_fw_stats& s);
