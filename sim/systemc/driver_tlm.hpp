// SPDX-License-Identifier: Apache-2.0
// toe::sc::DriverTlm: the driver's MMIO transport (toe_mmio_t) over a TLM-2.0
// initiator socket, for a driver running in an SC_THREAD against the device's host port
// (sim/systemc DeviceTlm::host). Every access is a blocking b_transport followed by a wait for
// the delay the target annotated, so simulated time runs while the driver works, as on a CPU;
// wait() sleeps until the device's interrupt line rises or the timeout passes (at once when the
// line is high); now_us() is sc_time_stamp(). A response other than TLM_OK_RESPONSE is
// TOE_BUS_ERR. All functions must be called from an SC_THREAD.
// Temporal decoupling (set_quantum, TLM-2.0 loosely timed; zero, the default, waits out every
// access): an access is issued at sc_time_stamp() plus the time the driver has run ahead, its
// annotated delay adds to that, and the thread waits only once it reaches the quantum; wait()
// first waits out the time run ahead; now_us() is the driver's local time.
#pragma once

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <cstdint>
#include <vector>

#include "toe/net/codec.hpp"
#include "toe/toe_driver.h"
#include "top/engine_config.hpp"

namespace toe::sc {

class Platform;
class SlowPathTimers;

class DriverTlm : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<DriverTlm> socket;

  // irq: the device's interrupt line (e.g. Platform::irq).
  DriverTlm(sc_core::sc_module_name name, const sc_core::sc_signal<bool>& irq);

  const toe_mmio_t* mmio() const { return &mmio_; }

  // The driver opened on a platform's host port (this socket bound to p.dev.host): toe_open with
  // the device's buffer sizes (no register reports them yet) and an event hook that gives each
  // host event to the platform's SlowPathTimers when it runs them (the firmware timers learn the
  // host's events so; FirmwareNode reads its own event queue), then to `hook` (may be null);
  // then toe_configure with the platform's MAC and IPv4 address, ENABLE set. `conns` is resized
  // to the device's sessions. From the SC_THREAD that owns `dev`; `p` and this module outlive it.
  toe_result_t open(toe_dev_t& dev, std::vector<toe_conn_t>& conns, Platform& p, toe_event_hook_t hook = nullptr,
                    void* hook_ctx = nullptr);
  // The same on a device that is not a Platform's: `params` are the device's build parameters,
  // `timers` (may be null) learns the host's events; `mss` 0 leaves the device's.
  toe_result_t open(toe_dev_t& dev, std::vector<toe_conn_t>& conns, const model::EngineParams& params,
                    const net::MacAddr& mac, uint32_t ipv4, uint16_t mss, SlowPathTimers* timers,
                    toe_event_hook_t hook = nullptr, void* hook_ctx = nullptr);
  void set_quantum(const sc_core::sc_time& q) { quantum_ = q; }
  const sc_core::sc_time& local_offset() const { return offset_; }
  void sync();  // waits out the time run ahead
  uint64_t accesses() const { return accesses_; }
  uint64_t errors() const { return errors_; }

 private:
  static toe_bus_status_t read32(void* ctx, uint32_t offset, uint32_t* value);
  static toe_bus_status_t write32(void* ctx, uint32_t offset, uint32_t value, uint8_t be);
  static toe_bus_status_t wait_irq(void* ctx, uint32_t timeout_us);
  static uint64_t now_us(void* ctx);
  toe_bus_status_t access(tlm::tlm_command cmd, uint32_t offset, uint32_t* data, uint8_t be);
  static void event_hook(void* ctx, uint32_t type, uint32_t conn, uint32_t value);

  SlowPathTimers* timers_ = nullptr;  // open(): learns the host's events
  toe_event_hook_t hook_ = nullptr;
  void* hook_ctx_ = nullptr;

  const sc_core::sc_signal<bool>& irq_;
  toe_mmio_t mmio_;
  uint64_t accesses_ = 0, errors_ = 0;
  sc_core::sc_time quantum_ = sc_core::SC_ZERO_TIME, offset_ = sc_core::SC_ZERO_TIME;
};

}  // namespace toe::sc
