// SPDX-License-Identifier: Apache-2.0
// toe::toesim::TapNode: a Linux TAP device as one end of a toe::sc::Link, and the pacer that
// keeps simulated time behind the wall clock (toe_sim tap):
//
//   TAP fd --read (non-blocking)--> [pad to 60 B] --> eth_out (sc_fifo_out<EthFrame>) --> link
//   TAP fd <--write-- eth_in (sc_fifo_in<EthFrame>) <-- link                  (tx thread)
//
// Pacing (the pace thread). Simulated time never runs ahead of wall time (the steady clock since
// the simulation started): each time the thread runs, at simulated time T and wall time W >= T,
//   - it reads every frame the TAP holds and writes them to eth_out stamped T;
//   - if the simulation is behind (W >= T + slice), it lets the simulation run one slice
//     (wait(slice)) without sleeping: a busy engine runs as fast as it can and falls behind;
//   - else it sleeps in ppoll(2) on the TAP and the wake fd until the wall clock reaches the
//     simulation's next event (sc_time_to_pending_activity, at most one slice ahead), or a frame
//     arrives, or the wake fd is readable, then lets the simulation run to min(wall, that event).
// So no process ever runs at a simulated time the wall clock has not reached; timers (the
// firmware's, the driver's timeouts) run in simulated time, which follows the wall clock while
// the engine keeps up.
#pragma once

#include <systemc>

#include <chrono>
#include <cstdint>
#include <string>

#include "toe/net/codec.hpp"
#include "toe_device_tlm.hpp"  // EthFrame

namespace toe::toesim {

using toe::sc::EthFrame;

// Opens (creating it if need be) the TAP device `ifname` in the caller's network namespace:
// /dev/net/tun, TUNSETIFF IFF_TAP|IFF_NO_PI, non-blocking. Returns the fd and the interface's
// MAC (SIOCGIFHWADDR) in *mac. Throws UsageError naming --ifname.
int open_tap(const std::string& ifname, net::MacAddr* mac);

struct TapCounters {
  uint64_t frames_from_tap = 0, bytes_from_tap = 0;
  uint64_t frames_to_tap = 0, bytes_to_tap = 0;
  uint64_t write_errors = 0;  // frames the TAP refused (its queue full, the interface down)
  uint64_t sleeps = 0;        // times the pacer slept
  uint64_t max_behind_us = 0; // the most the simulation fell behind the wall clock
};

class TapNode : public sc_core::sc_module {
 public:
  sc_core::sc_fifo_in<EthFrame> eth_in;    // frames to the TAP (from the link)
  sc_core::sc_fifo_out<EthFrame> eth_out;  // frames from the TAP (to the link)

  SC_HAS_PROCESS(TapNode);
  // tap_fd: open_tap's; wake_fd: readable when the pacer should return at once (a signal's pipe;
  // -1: none). slice: the pacer's step.
  TapNode(sc_core::sc_module_name name, int tap_fd, int wake_fd,
          sc_core::sc_time slice = sc_core::sc_time(1, sc_core::SC_MS));

  const TapCounters& counters() const { return c_; }
  // Wall seconds since the simulation started (the pacer's clock).
  double wall_seconds() const;

  const char* kind() const override { return "toe::toesim::TapNode"; }

 private:
  void pace();
  void tx();
  size_t drain();  // frames read from the TAP into eth_out
  uint64_t wall_ns() const;

  int fd_, wake_fd_;
  sc_core::sc_time slice_;
  std::chrono::steady_clock::time_point t0_;
  bool started_ = false;
  TapCounters c_;
};

}  // namespace toe::toesim
