// SPDX-License-Identifier: Apache-2.0
// toe::toesim::ScriptBed: what a packetdrill script (toe_sim script) runs against: the device on
// the SystemC platform's parts, with the host driver on its host port and the slow path's timers
// on its firmware port; the script plays the peer on the device's Ethernet port.
//
//   runner (SC_THREAD: the script's lines, the system calls through the host driver)
//     --toe_* calls--> host driver --DriverTlm (TLM-2.0)--> dev.host      irq --> wakes the runner
//     --inject()----> [to_dev] --> dev.eth_rx
//   dev.eth_tx --> [from_dev] --> collector (SC_THREAD) --> engine_frames() (the runner's to check)
//   SlowPathTimers --> dev.fw (retransmission, TIME_WAIT, delayed ACK; the host's events via the
//                      driver's event hook)
//
// Time: the script's time 0 is the moment the runner starts (after toe_open and toe_configure);
// cycle() counts the engine's clocks from there. The runner's thread sleeps in wait_until() until
// a clock, an engine frame or the interrupt line's rising edge; on the way out it takes the host
// events (service(): INTR_STATE cleared, then toe_poll), so the driver's view of every connection
// is current whenever the runner looks, and the host event queue never fills.
#pragma once

#include <systemc>

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "driver_tlm.hpp"
#include "sim_run.hpp"  // WireFrame
#include "slow_path_timers.hpp"
#include "toe/toe_driver.h"
#include "toe_device_tlm.hpp"

namespace toe::toesim {

struct ScriptBedConfig {
  toe::sc::DeviceTlmConfig device;      // params, clock, engine ("model" or "rtl")
  toe::sc::SlowPathTimersConfig timers;  // the firmware's timer policy
  net::MacAddr mac;                      // the engine's MAC, IPv4 address and MSS (toe_configure)
  uint32_t ipv4 = 0;
  uint16_t mss = 1460;
  std::optional<uint32_t> fixed_isn;  // CTRL.FIXED_ISN_EN and FIXED_ISN (tests)
  uint32_t clock_mhz = 125;           // CLOCK_MHZ (the engine's ISN clock and rate limits)
};

class ScriptBed : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(ScriptBed);
  // Throws std::invalid_argument as DeviceTlm and SlowPathTimers do for a bad configuration.
  ScriptBed(sc_core::sc_module_name name, const ScriptBedConfig& cfg);

  // Run in the bed's SC_THREAD once the driver has opened and configured the device; it calls
  // sc_stop() itself or returns (then the bed stops the simulation).
  std::function<void()> body;
  std::string error;  // set (and body not run) when the driver could not open the device

  // ---- the host driver (from body)
  toe_dev_t& drv() { return drv_; }
  const std::vector<toe_conn_t>& conns() const { return conns_; }
  // A register access through the driver's transport (host configuration, interrupt handling).
  bool write_reg(uint32_t offset, uint32_t value);
  bool read_reg(uint32_t offset, uint32_t* value);
  // A register's value without a bus cycle or side effect (TLM transport_dbg): counters at the end.
  uint32_t peek_reg(uint32_t offset);
  // Interrupt service: if the line is high, clear INTR_STATE and take the host events.
  void service();

  // ---- time (from body)
  uint64_t cycle() const;
  uint32_t clock_mhz() const { return cfg_.clock_mhz; }
  uint64_t ns_to_cycles(uint64_t ns) const { return ns * cfg_.clock_mhz / 1000; }
  uint64_t cycles_to_ns(uint64_t c) const { return c * 1000 / cfg_.clock_mhz; }
  // Sleeps until clock `limit` (script time), an engine frame or the interrupt line's rising
  // edge, whichever comes first (one clock at least); then service().
  void wait_until(uint64_t limit);

  // ---- the wire
  // A frame from the peer, offered to the device from now on.
  void inject(const std::vector<uint8_t>& frame);
  // Engine frames not yet taken by the runner, oldest first (cycle: the first beat's clock).
  std::deque<WireFrame>& engine_frames() { return pending_; }
  // Both directions in time order (pcap, ladder, statistics).
  std::vector<WireFrame> wire() const;
  uint64_t frames_in() const { return frames_in_; }
  uint64_t frames_out() const { return frames_out_; }
  // Frames still on their way into the device (given to inject(), not yet read by it).
  size_t rx_queued() const { return size_t(to_dev_.num_available()); }

  const char* engine_kind() const { return cfg_.device.engine == "rtl" ? "rtl" : "model"; }
  const toe::sc::SlowPathTimers& timers() const { return timers_; }
  uint64_t bus_accesses() const { return bus_.accesses(); }

  const char* kind() const override { return "toe::toesim::ScriptBed"; }

 private:
  void run();
  void collect();

  ScriptBedConfig cfg_;
  toe::sc::DeviceTlm dev_;
  sc_core::sc_signal<bool> irq_;
  toe::sc::SlowPathTimers timers_;
  toe::sc::DriverTlm bus_;
  sc_core::sc_fifo<toe::sc::EthFrame> to_dev_, from_dev_;
  sc_core::sc_event frame_ev_;
  sc_core::sc_time base_ = sc_core::SC_ZERO_TIME;
  toe_dev_t drv_{};
  std::vector<toe_conn_t> conns_;
  std::vector<WireFrame> wire_;
  std::deque<WireFrame> pending_;
  uint64_t frames_in_ = 0, frames_out_ = 0;
};

}  // namespace toe::toesim
