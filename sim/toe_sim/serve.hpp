// SPDX-License-Identifier: Apache-2.0
// toe_sim serve: the SystemC platform (sim/systemc Platform: DeviceTlm, link, lwIP peer,
// firmware timers) with its host register port and interrupt line served to other processes:
// over a UNIX socket (--socket PATH) and/or a shared-memory mailbox in a BAR file
// (--bar-file PATH). The protocol and the mailbox: host_driver/include/toe/toe_wire.h; the
// client side: host_driver/include/toe/toe_transport.h. See host_driver/README.md ("toe_sim serve").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace toe::toesim {

struct ServeOptions {
  std::string socket_path;          // --socket
  std::string bar_file;             // --bar-file
  bool exit_on_disconnect = false;  // exit when the last socket client has gone
  std::string engine = "model";     // --engine model|rtl
  uint32_t sessions = 16;
  std::string engine_ip = "10.0.0.2";
  std::string peer_ip = "10.0.0.1";
  std::vector<uint16_t> peer_listen;  // lwIP listens on these ports
  uint16_t peer_connect = 0;          // lwIP connects to the engine's port, at peer_connect_at_ms
  double peer_connect_at_ms = 10;
  std::string peer_app = "echo";      // echo|discard|source:BYTES
  double loss = 0;                    // per frame, both directions
  double reorder = 0;                 // per frame, both directions: held back by reorder_delay_us
  double reorder_delay_us = 100;
  double duplicate = 0;               // per frame, both directions: one extra copy
  double delay_us = 0;                // propagation delay, each direction
  uint64_t rate_mbps = 0;             // the link's rate; 0: unlimited
  uint64_t seed = 1;
  std::string slow_path = "firmware";  // firmware|timers: the C firmware (FirmwareNode) or SlowPathTimers
  double rto_ms = 1000, msl_ms = 60000;
  bool quiet = false;
};

// Adds the serve subcommand's options to `cmd`.
void add_serve_options(CLI::App* cmd, ServeOptions& o);

// Runs the server until SIGINT/SIGTERM (or, with exit_on_disconnect, the last client gone).
// Returns the exit code: 0 a clean stop, 2 a bad option or path (the message says which).
int run_serve(const ServeOptions& o);

}  // namespace toe::toesim
