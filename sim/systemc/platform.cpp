// SPDX-License-Identifier: Apache-2.0
// Platform: device, link, lwIP peer and slow-path timers wired together (see platform.hpp).
#include "platform.hpp"

#include <ostream>

namespace toe::sc {

LwipNodeConfig PlatformConfig::default_lwip() {
  LwipNodeConfig c;
  c.peer.local_ip = 0x0A000001;  // 10.0.0.1
  c.mac = net::MacAddr{{0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0x01}};
  c.gateway_mac = net::MacAddr{{0x02, 0x11, 0x22, 0x33, 0x44, 0x55}};
  return c;
}

namespace {
LwipNodeConfig lwip_of(const PlatformConfig& c) {
  LwipNodeConfig l = c.lwip;
  l.gateway_mac = c.engine_mac;  // every frame lwIP sends goes to the engine
  return l;
}
}  // namespace

Platform::Platform(sc_core::sc_module_name name, const PlatformConfig& cfg)
    : sc_core::sc_module(name),
      dev("dev", cfg.device),
      irq("irq"),
      link("link", cfg.to_peer, cfg.to_device),
      lwip("lwip", lwip_of(cfg)),
      cfg_(cfg),
      dev_out_("dev_out", 256),
      dev_in_("dev_in", 256),
      peer_in_("peer_in", 256),
      peer_out_("peer_out", 256) {
  dev.irq(irq);
  dev.eth_tx(dev_out_);
  link.from_a(dev_out_);
  link.to_b(peer_in_);
  lwip.eth_in(peer_in_);
  lwip.eth_out(peer_out_);
  link.from_b(peer_out_);
  link.to_a(dev_in_);
  dev.eth_rx(dev_in_);
  if (cfg.slow_path == PlatformConfig::SlowPath::kTimers && cfg.timers_on)
    timers = std::make_unique<SlowPathTimers>("timers", dev, cfg.timers);
  if (cfg.slow_path == PlatformConfig::SlowPath::kFirmware)
    firmware = std::make_unique<FirmwareNode>("firmware", dev, cfg.firmware);
}

uint32_t Platform::mac_lo() const {
  const auto& m = cfg_.engine_mac.b;
  return uint32_t(m[2]) << 24 | uint32_t(m[3]) << 16 | uint32_t(m[4]) << 8 | m[5];
}

uint32_t Platform::mac_hi() const {
  const auto& m = cfg_.engine_mac.b;
  return uint32_t(m[0]) << 8 | m[1];
}

void Platform::print(std::ostream& os) const {
  os << "link " << to_string(LinkDirection::AtoB) << " (device->peer): " << link.counters(LinkDirection::AtoB)
     << "\nlink " << to_string(LinkDirection::BtoA) << " (peer->device): " << link.counters(LinkDirection::BtoA)
     << "\n";
  if (timers) os << "timers: " << timers->counters() << "\n";
  if (firmware) firmware->print(os);
}

}  // namespace toe::sc
