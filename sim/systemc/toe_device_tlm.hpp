// SPDX-License-Identifier: Apache-2.0
// toe::sc::DeviceTlm: toe_engine as a TLM-2.0 loosely-timed device, around a DeviceEngine
// (device_engine.hpp: the C++ model, or the Verilated toe_engine; DeviceTlmConfig::engine).
//
//   host (simple_target_socket) --b_transport--> register bus  -+
//        transport_dbg ------> side-effect-free register peek    |   DeviceEngine
//        get_direct_mem_ptr -> the buffer windows (model engine) +-> (toe_engine, one
//   eth_rx (sc_fifo_in<EthFrame>) --beat by beat--> s_axis_rx    |    clock at a time)
//   eth_tx (sc_fifo_out<EthFrame>) <--whole frames-- m_axis_tx   |
//   irq (sc_out<bool>) <-- intr_o                                |
//   fw (simple_target_socket) --b_transport--> firmware register bus (toe_fw_regs.toml)
//      transport_dbg, get_direct_mem_ptr (none) as the host port's |
//   fw_irq (sc_out<bool>) <-- fw_intr_o                         -+
//   command() / take_events(): toe_engine's cmd_* / evt_* streams, for a test bench that plays
//                              the firmware without its port (evt_* carries the firmware's
//                              events while the firmware port's CTRL.EVQ_EN is 0). Host commands
//                              and events go through the host port (CMD, EVQ_*), the firmware's
//                              through the firmware port (CMD_CONN/CMD, EVQ_*).
//
// Time. The engine's clock edges are at k * clock_period (k = 0, 1, ...). The device keeps the
// time of the next edge the engine has not taken yet (model_time()). Every input lands on the
// edge it would land on in a cycle-by-cycle co-simulation:
//   - b_transport, command() and reset() first clock the engine through every edge before the
//     caller's time (sc_time_stamp() + delay), with whatever frames and commands are due;
//   - a frame read from eth_rx is offered from the first edge at or after max(its time, the
//     time it was read); the engine takes it beat by beat as s_axis_rx_tready allows.
// An SC_THREAD paced by a tlm_utils::tlm_quantumkeeper wakes at the end of each quantum
// (DeviceTlmConfig::quantum, default 1 us = 125 clocks at 125 MHz; SC_ZERO_TIME: the global
// quantum, and with both zero at every clock) and clocks the engine, cycle by cycle, through
// every edge before that time. So the engine never runs ahead of global time except to serve
// an initiator whose own local time is ahead, and outputs (eth_tx frames, events, irq) are
// computed at most one quantum after their edge: frames and events carry their edge's time
// as a timestamp; irq is written (by an SC_METHOD, its only driver) in the delta cycle after
// the clock that changed intr_o is computed.
//
// Register port (host): the 0x10000-byte window of rtl_model/regmap/toe_regs.toml, 32-bit
// accesses only, data in host byte order (a uint32_t copied to/from the data pointer).
//   b_transport: the access goes on the register bus at the first edge at or after the caller's
//     time where reg_ready is 1 (a buffer-window access keeps it 0 for 5 clocks); it completes
//     when reg_valid comes (1 clock later for a register, 5 for a window), and delay is set so
//     that sc_time_stamp() + delay is that completion time. Every access inside the window goes
//     on the bus, so the device itself refuses, records (LAST_ERROR) and counts (BUS_ERRORS)
//     what it cannot do. reg_be: a whole word, all four or the payload's byte enables; a 1- or
//     2-byte access inside one word, its lanes (address aligned down; a transmit-window write
//     stores just those bytes, so a driver writes from any pointer); anything else (a longer
//     length, a word crossed, a streaming width other than the length) none. The device
//     refuses byte enables other than all four except on a transmit-window write (BAD_SIZE).
//     Responses (from LAST_ERROR.CODE after an err):
//       TLM_OK_RESPONSE                 the bus answered without err (a read returns rdata);
//       TLM_ADDRESS_ERROR_RESPONSE      UNMAPPED, MISALIGNED, OUTSIDE_BUFFER, or an address
//                                       beyond the window (refused here: the bus has 16 address
//                                       bits and would alias; no bus cycle, not recorded);
//       TLM_COMMAND_ERROR_RESPONSE      READ_ONLY, NO_CONN, QUEUE_FULL, QUEUE_EMPTY, BAD_COMMAND;
//       TLM_BURST_ERROR_RESPONSE        BAD_SIZE for a length, alignment or streaming width the
//                                       bus cannot carry, or a partial word where it takes none;
//       TLM_BYTE_ENABLE_ERROR_RESPONSE  BAD_SIZE for byte enables other than all four.
//     TLM_IGNORE_COMMAND inside the window answers TLM_OK_RESPONSE without a bus cycle; a null
//     data pointer answers TLM_GENERIC_ERROR_RESPONSE.
//   transport_dbg: reads only (a debug write transfers 0 bytes); each byte is the byte of its
//     register's value as a read issued now would return it, with no side effect (no clock, no
//     rc clear, no LAST_ERROR change); bytes in holes read 0; the transfer stops at the end of
//     the window. Returns the bytes transferred.
//   get_direct_mem_ptr: granted on the buffer windows only, with the C++ model behind the device
//     (the Verilated engine's buffers are not exposed: denied there), for the selected
//     connection (CONN_SEL a session in use) as CONN_SEL and the window base stand at the
//     request: TX_WINDOW write-only, RX_WINDOW read-only, over the linear piece of the window
//     holding the address (window byte w is buffer byte (BASE + w) mod the buffer size, so the
//     first buffer-size bytes of a window are two pieces, each a range of its own), with a
//     latency of one clock per access. A DMI write lands in the buffer as a bus write would and
//     a read sees what a bus read would, without the 5-clock walk; the host still issues
//     tx_push / rx_consume through CMD. Denied (granted access none, over the denied range):
//     the registers, a window beyond the buffer or with no session selected, beyond the map.
//     Every grant is invalidated (invalidate_direct_mem_ptr over both windows) when a host
//     write to CONN_SEL, TX_WIN_BASE, RX_WIN_BASE or CTRL is taken, when the selected session
//     is freed, and on reset().
// Firmware port (fw): the 0x1000-byte map of toe_fw_regs.toml, the same rules as the host
//   port's (b_transport, responses from its own LAST_ERROR, transport_dbg, no DMI); every access
//   a register (answered 1 clock after it is taken). fw_irq follows fw_intr_o as irq intr_o.
// Idle skipping (DeviceTlmConfig::idle_skip, on by default): when no frame is due or half fed,
// no command waits, no frame is half sent, the engine offers no event and no beat, and the
// engine says a clock would change only the time (DeviceEngine::can_skip: the C++ model's
// EngineDevice::idle_settled; the Verilated engine: the same terms read from the RTL's state),
// the clocks up to the next due frame or the time being caught up to are applied at once
// (DeviceEngine::skip). The ports show
// the same values on the same edges as when every clock is evaluated (tests/platform/
// test_idle_skip.cpp compares both); cycles() counts every clock, skipped_cycles() those skipped.
// Busy spans (the same setting): while a frame is fed, rx_copy moves a payload, a frame is sent
// or a built one waits for its payload, and nothing else is in flight (DeviceEngine::span_limit:
// the model's EngineDevice::span_limit; the Verilated engine has none), the clocks up to the fed
// frame's last beat, the copy's last word, the sent frame's last beat, the next due frame or the
// time being caught up to are applied at once (DeviceEngine::run_span). No output but m_axis_tx's
// beat changes over a span; the beats sent join the frame under way (stamped, as always, with
// its first beat's edge); spanned_cycles() counts the clocks.
// While the device is idle in that sense and no frame waits, the clock thread sleeps until
// something arrives (a frame on eth_rx, an access, a command, a reset: `activity_`), instead of
// waking every quantum: whatever arrives first catches the engine up, skipping, to its time.
// Reset: the method reset(), not a port: the engine's rst_ni at the caller's time; a frame
// half fed to the engine, a frame half sent and the commands not yet taken are dropped.
#pragma once

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include <cstdint>
#include <deque>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "device_engine.hpp"
#include "toe_fw_regs_table.hpp"
#include "toe_regs_table.hpp"

namespace toe::sc {

// A whole Ethernet frame (destination MAC to the end of the payload, no FCS) on the frame
// channel. time: on eth_rx, the earliest edge the device may offer its first beat at (a time
// already past means at once); on eth_tx, the edge at which the engine sent its first beat.
struct EthFrame {
  std::vector<uint8_t> data;
  sc_core::sc_time time;
};
// For sc_fifo's print() and dump(): "<n> bytes @ <time>".
std::ostream& operator<<(std::ostream& os, const EthFrame& f);

// An event from the engine's event port (m_evt), with the edge at which it was taken.
struct TimedEvent {
  model::Event evt;
  sc_core::sc_time time;
};

struct DeviceTlmConfig {
  model::EngineParams params;                              // toe_engine's build parameters
  sc_core::sc_time clock_period{8, sc_core::SC_NS};        // 125 MHz
  sc_core::sc_time quantum{1, sc_core::SC_US};             // SC_ZERO_TIME: the global quantum
  std::string engine = "model";                            // make_device_engine: "model" or "rtl"
  bool idle_skip = true;                                   // skip idle clocks (header comment)
};

class DeviceTlm : public sc_core::sc_module {
 public:
  // The register window (bytes) and the clocks from the edge that takes an access to the one
  // at which its response has been sampled.
  static constexpr uint64_t kWindowBytes = uint64_t(1) << regmap::kAddrWidth;
  static constexpr uint64_t kFwWindowBytes = uint64_t(1) << fw_regmap::kAddrWidth;
  // The most clocks an access may wait for reg_ready and then for reg_valid (a window access
  // takes 5); beyond it b_transport answers TLM_GENERIC_ERROR_RESPONSE.
  static constexpr unsigned kBusTimeoutCycles = 64;

  tlm_utils::simple_target_socket<DeviceTlm> host;  // host register port
  sc_core::sc_out<bool> irq;                        // intr_o
  sc_core::sc_fifo_in<EthFrame> eth_rx;             // frames from the wire
  sc_core::sc_fifo_out<EthFrame> eth_tx;            // frames to the wire
  // The firmware port and its interrupt may stay unbound (a platform without firmware).
  tlm_utils::simple_target_socket_optional<DeviceTlm> fw;  // firmware register port
  sc_core::sc_port<sc_core::sc_signal_inout_if<bool>, 1, sc_core::SC_ZERO_OR_MORE_BOUND> fw_irq;  // fw_intr_o

  SC_HAS_PROCESS(DeviceTlm);
  // The engine cfg.engine names behind the device (make_device_engine). Throws
  // std::invalid_argument for a clock period of zero, an engine name make_device_engine
  // refuses, or parameters the engine refuses.
  DeviceTlm(sc_core::sc_module_name name, const DeviceTlmConfig& cfg);
  // Any engine behind the device (its parameters are the engine's own; cfg.params is unused).
  DeviceTlm(sc_core::sc_module_name name, const DeviceTlmConfig& cfg, std::unique_ptr<DeviceEngine> engine);

  // rst_ni at sc_time_stamp() + delay (see the header comment). From a process only.
  void reset(const sc_core::sc_time& delay = sc_core::SC_ZERO_TIME);
  // Queues a command for the engine's command port from sc_time_stamp() + delay on; commands
  // go in order, each when s_cmd_ready takes it. From a process only.
  void command(const model::Cmd& c, const sc_core::sc_time& delay = sc_core::SC_ZERO_TIME);
  // The events the engine emitted since the last call, in order (m_evt_ready is always 1).
  std::vector<TimedEvent> take_events();

  const sc_core::sc_time& clock_period() const { return period_; }
  // The time of the next clock edge the engine has not taken, and the clocks taken so far.
  const sc_core::sc_time& model_time() const { return next_edge_; }
  uint64_t cycles() const { return cycles_; }
  // Of those, the clocks applied at once by idle skipping (not evaluated one by one).
  uint64_t skipped_cycles() const { return skipped_; }
  // Of those, the clocks applied at once as busy spans (not evaluated one by one either).
  uint64_t spanned_cycles() const { return spanned_; }
  const char* engine_kind() const { return engine_->kind(); }

 private:
  // The quantum keeper of the clock thread: its own quantum when it has one, else the global
  // one; exposes the time left to its next sync point.
  class QuantumKeeper : public tlm_utils::tlm_quantumkeeper {
   public:
    explicit QuantumKeeper(const sc_core::sc_time& q) : quantum_(q) {}
    sc_core::sc_time until_sync() const { return m_next_sync_point - sc_core::sc_time_stamp(); }

   protected:
    sc_core::sc_time compute_local_quantum() override;

   private:
    sc_core::sc_time quantum_;
  };

  struct BusAccess {
    bool fw = false;  // the firmware port
    bool we = false;
    uint32_t addr = 0;
    uint32_t wdata = 0;
    uint8_t be = 0xF;
  };

  void b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) { transport(false, tx, delay); }
  void fw_b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) { transport(true, tx, delay); }
  void transport(bool fw, tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& tx) { return debug(false, tx); }

 public:
  // A host-port register's value as transport_dbg reads it (no clock, no side effect; a hole 0).
  uint32_t peek_host(uint32_t addr);

 private:
  unsigned int fw_transport_dbg(tlm::tlm_generic_payload& tx) { return debug(true, tx); }
  unsigned int debug(bool fw, tlm::tlm_generic_payload& tx);
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi);
  // Grants given since the last invalidation; the session they name while it is in use.
  bool dmi_granted_ = false;
  void invalidate_windows();
  bool fw_get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi) {
    return no_dmi(kFwWindowBytes, tx, dmi);
  }
  static bool no_dmi(uint64_t window, tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi);

  void clock_thread();
  void rx_thread();
  void tx_thread();
  // Clocks the engine through every edge before t.
  void catch_up(const sc_core::sc_time& t);
  // One clock of the engine at next_edge_: the due frame beat and command, and `bus` (or no
  // register access) on its inputs; beats, events and irq collected from its outputs.
  void step(const BusAccess* bus);
  // irq follows intr_o: written by irq_method alone (whichever process clocked the engine).
  void update_irq();
  void irq_method();

  std::unique_ptr<DeviceEngine> engine_;
  sc_core::sc_time period_;
  QuantumKeeper qk_;
  sc_core::sc_time next_edge_ = sc_core::SC_ZERO_TIME;
  uint64_t cycles_ = 0;
  bool idle_skip_ = true;
  sc_core::sc_event activity_;  // a frame, an access, a command or a reset arrived
  // Nothing in flight at the device or in the engine: the clock thread may sleep.
  bool asleep_ok() const;
  uint64_t skipped_ = 0;
  uint64_t spanned_ = 0;
  bool irq_q_ = false, fw_irq_q_ = false;
  sc_core::sc_event irq_changed_;

  std::deque<EthFrame> rx_frames_;  // read from eth_rx, in order
  size_t rx_pos_ = 0;               // bytes of the front one the engine has taken
  std::vector<uint8_t> tx_cur_;     // the frame the engine is sending
  sc_core::sc_time tx_first_;       // the edge of its first beat
  std::deque<EthFrame> tx_frames_;  // whole frames waiting for eth_tx
  sc_core::sc_event tx_ready_;
  std::deque<model::Cmd> cmds_;
  std::vector<TimedEvent> events_;
};

}  // namespace toe::sc
