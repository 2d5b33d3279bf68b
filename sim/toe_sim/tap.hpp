// SPDX-License-Identifier: Apache-2.0
// toe_sim tap: the product with Linux's own TCP as the peer. The engine (DeviceTlm: the C++ model
// or the Verilated RTL) with the C firmware in the loop on its firmware port (FirmwareNode: ARP,
// ICMP echo, timers) and the host driver's apps on its host port (DriverTlm + DriverApps), its
// Ethernet port on a Link (loss, reordering, ... seeded) to a TAP device (TapNode) in the caller's
// network namespace. Simulated time follows the wall clock (tap_node.hpp). Runs until
// SIGINT/SIGTERM, then shuts its connections down (FIN), lets them finish for --grace-ms, writes
// --pcap, --stats, --ladder and exits 0. Usage errors exit 2 (the message names the option).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace toe::toesim {

struct TapOptions {
  std::string ifname;
  std::string local_ip;
  std::string local_mac = "02:00:00:00:00:02";
  std::vector<std::string> listen;   // PORT:APP
  std::vector<std::string> connect;  // IP:PORT:APP
  std::string engine = "model";
  uint32_t sessions = 0;             // 0: 128 (model), 16 (rtl)
  uint32_t buf_kib = 0;              // rx/tx buffer per connection; 0: 64 (model), the RTL's (rtl)
  double loss_pct = 0, reorder_pct = 0, duplicate_pct = 0;
  double reorder_delay_us = 200, delay_us = 0;
  uint64_t rate_mbps = 1000;
  uint64_t seed = 1;
  uint32_t rto_min_ms = 200, msl_ms = 500;
  uint32_t grace_ms = 3000;
  double slice_us = 1000;
  std::string pcap, stats, ladder;
  bool quiet = false;
};

void add_tap_options(CLI::App* cmd, TapOptions& o);
int run_tap(TapOptions& o);

}  // namespace toe::toesim
