// SPDX-License-Identifier: Apache-2.0
// toe_sim demo: the product end to end. The engine (the C++ model, or --engine rtl: the Verilated
// toe_engine) as the SystemC/TLM-2.0 device, the C firmware in the loop on its firmware port
// (FirmwareNode), an application on the C host driver on its host port (DriverTlm + DriverApps),
// lwIP as every peer over a link with loss and reordering:
//   - the engine serves echo (port 7) to --clients lwIP clients, each sending --bytes and reading
//     them back; discard (9) to an lwIP source; source:N (19) to an lwIP discard client; and on
//     port 13 an app that aborts (RST) after 4 KiB;
//   - the engine connects out: check:--bytes to lwIP's echo listener (7007), and to a port where
//     nothing listens (7009): refused.
// It prints progress, a table per connection (role, app, addresses, bytes each way, retransmissions
// of the engine and of the peer counted on the wire, how it ended, lwIP's states), the link's and
// the firmware's counters, an ASCII ladder of the first connection, and writes demo.pcap (the
// engine's port), demo.vcd (interrupt, frame and byte counts over time), demo.svg (the first
// connection's ladder) and demo.json. Exit 0 when every connection ended as it should.
#pragma once

#include <cstdint>
#include <string>

namespace CLI {
class App;
}

namespace toe::toesim {

struct DemoOptions {
  std::string out_dir = "out";
  std::string pcap, vcd, ladder, stats;
  double loss_pct = 1.0;
  double reorder_pct = 1.0;
  unsigned clients = 4;
  uint64_t bytes = 256 * 1024;
  uint64_t seed = 1;
  uint32_t rto_min_ms = 200;  // the firmware's RTO floor (Linux's 200 ms for a LAN)
  uint32_t msl_ms = 500;      // the firmware's MSL: TIME_WAIT is 2*MSL
  std::string engine = "model";
};

void add_demo_options(CLI::App* demo, DemoOptions& d);
int run_demo(DemoOptions& d);

}  // namespace toe::toesim
