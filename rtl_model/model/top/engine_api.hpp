// SPDX-License-Identifier: Apache-2.0
// toe::model::EngineApi: what a simulation sees of the fast path (toe_top),
// whichever implementation runs it: the C++ model (toe::model::Engine) or the
// Verilated RTL (toe::rtl::RtlEngine, sim/rtl_engine). The harness, toe_sim and
// the conformance/oracle tests talk to this interface only, so every one of them
// runs on either (`--engine model|rtl`, or TOE_ENGINE=rtl in the environment).
//
// Ports: outputs() are the Moore outputs of this cycle; clock(in) is one rising
// edge with the inputs of this cycle. The rest are the debug/host views (the
// MMIO windows of later issues read the same memories): they never advance time.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>

#include "fsm/fsm_pkg.hpp"
#include "toe_types.hpp"

namespace toe::model {

struct EngineConfig;
struct EngineIn;
struct EngineOut;

class EngineApi {
 public:
  virtual ~EngineApi() = default;

  virtual const EngineOut& outputs() const = 0;
  virtual void clock(const EngineIn& in) = 0;
  virtual void reset() = 0;
  virtual uint64_t cycle() const = 0;

  virtual const EngineConfig& config() const = 0;
  // Runtime registers (MAC, IP, MSS, ISN ...): changes apply from the next clock.
  virtual EngineConfig& registers() = 0;
  virtual uint64_t counter(Counter c) const = 0;

  // The TCB of conn as the table holds it now (throws std::out_of_range for a bad conn).
  virtual const Tcb& tcb(uint32_t conn) const = 0;
  virtual uint32_t sessions() const = 0;
  virtual uint32_t active_sessions() const = 0;
  virtual uint32_t half_open() const = 0;
  // A frame is in tx_build (built, or waiting for its payload): not yet visible on m_axis_tx.
  virtual bool tx_building() const = 0;
  // Work in flight that no output port shows yet: a frame in tx_build, a payload
  // being copied into a receive buffer, an event queued (possibly held for its copy).
  virtual bool busy() const = 0;
  // The tables are being initialised: the first Buckets clocks after a reset (toe_top's
  // initialising_o), in which the engine takes no frame and no command.
  virtual bool initialising() const = 0;
  // Buffer windows: host reads received bytes / writes bytes to send. Offsets are
  // the host's running pointers (mod 2^32); the engine wraps them.
  virtual void host_read_rx(uint32_t conn, uint32_t offset, uint8_t* dst, uint32_t n) const = 0;
  virtual void host_write_tx(uint32_t conn, uint32_t offset, const uint8_t* src, uint32_t n) = 0;
  virtual uint32_t rx_buf_bytes() const = 0;
  virtual uint32_t tx_buf_bytes() const = 0;
  // "model" or "rtl".
  virtual const char* kind() const = 0;

  // Idle skipping. can_skip(): nothing is in flight, so a clock with idle inputs (no rx beat,
  // no command) would change only the time (the cycle count, the challenge-ACK token bucket,
  // the ISN clock) and no output. skip_idle(n): n such clocks at once, leaving the state,
  // outputs and counters as n calls of clock() with idle inputs would (std::logic_error unless
  // can_skip()). An engine that cannot tell says false.
  virtual bool can_skip() const { return false; }
  virtual void skip_idle(uint64_t /*n*/) { throw std::logic_error("EngineApi::skip_idle: this engine cannot skip"); }

  // Debug trace (the RTL's trace port): every TCB state change.
  std::function<void(uint64_t cycle, uint32_t conn, TcpState from, TcpState to)> on_state_change;
};

}  // namespace toe::model
