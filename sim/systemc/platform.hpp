// SPDX-License-Identifier: Apache-2.0
// toe::sc::Platform: the virtual platform the driver and firmware plug into: the device
// (DeviceTlm: the C++ model or the Verilated toe_engine), its Ethernet link (Link) to an lwIP
// peer (LwipNode), and the slow path's timers (SlowPathTimers, the firmware's policy played on
// the device's firmware register port until the firmware of firmware/ runs there).
//
//   host MMIO initiator --> dev.host (simple_target_socket)            irq --> irq (sc_signal)
//   dev.eth_tx --> [dev_out] --> link a->b --> [peer_in]  --> lwip.eth_in
//   dev.eth_rx <-- [dev_in]  <-- link b->a <-- [peer_out] <-- lwip.eth_out
//   timers.fw or firmware.fw --> dev.fw (the firmware port); dev.fw_irq --> the same
//
// The host side is whoever binds an initiator socket to `dev.host` (tests/platform's HostApp,
// the driver of the driver issue); the platform itself runs no host code. Addresses: the engine
// and the peer are on one /24 (PlatformConfig::engine_ip, lwip.peer.local_ip); the peer sends
// every frame to the engine's MAC (the engine does no ARP).
#pragma once

#include <systemc>

#include <cstdint>
#include <iosfwd>
#include <memory>

#include "firmware_node.hpp"
#include "link.hpp"
#include "lwip_node.hpp"
#include "slow_path_timers.hpp"
#include "toe/net/codec.hpp"
#include "toe_device_tlm.hpp"

namespace toe::sc {

struct PlatformConfig {
  DeviceTlmConfig device;                                             // params, clock, quantum, engine
  net::MacAddr engine_mac{{0x02, 0x11, 0x22, 0x33, 0x44, 0x55}};
  uint32_t engine_ip = 0x0A000002;                                    // 10.0.0.2
  LinkConfig to_peer;                                                 // device -> lwIP (seeded)
  LinkConfig to_device;                                               // lwIP -> device (its own seed)
  LwipNodeConfig lwip = default_lwip();                               // 10.0.0.1, 02:aa:bb:cc:dd:01
  // The slow path on the firmware port: the C++ timer policy (SlowPathTimers, the default), the
  // C firmware of firmware/ in the loop (FirmwareNode: timers, RFC 6298, ARP, ICMP), or nothing.
  enum class SlowPath { kTimers, kFirmware, kNone };
  SlowPath slow_path = SlowPath::kTimers;
  bool timers_on = true;                                              // kTimers only: false = kNone
  SlowPathTimersConfig timers;
  FirmwareNodeConfig firmware;

  static LwipNodeConfig default_lwip();
};

class Platform : public sc_core::sc_module {
 public:
  // Throws what its parts throw for a bad config (Link, LwipNode, SlowPathTimers, DeviceTlm).
  Platform(sc_core::sc_module_name name, const PlatformConfig& cfg);

  const PlatformConfig& config() const { return cfg_; }
  // The engine's MAC and IP as register values (MAC_ADDR_LO/HI, IPV4_ADDR): for the host's
  // configuration.
  uint32_t mac_lo() const;
  uint32_t mac_hi() const;

  DeviceTlm dev;
  sc_core::sc_signal<bool> irq;
  Link link;
  LwipNode lwip;
  std::unique_ptr<SlowPathTimers> timers;  // kTimers (and timers_on) only
  std::unique_ptr<FirmwareNode> firmware;  // kFirmware only

  const char* kind() const override { return "toe::sc::Platform"; }
  // The link's counters and the timers' (one line each).
  void print(std::ostream& os) const override;

 private:
  PlatformConfig cfg_;
  sc_core::sc_fifo<EthFrame> dev_out_, dev_in_, peer_in_, peer_out_;
};

}  // namespace toe::sc
