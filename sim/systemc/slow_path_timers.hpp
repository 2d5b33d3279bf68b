// SPDX-License-Identifier: Apache-2.0
// toe::sc::SlowPathTimers: the firmware's timer policy (retransmission, TIME_WAIT, delayed ACK)
// played against a DeviceTlm through its firmware register port, as firmware would (until the
// firmware of firmware/ runs there):
//
//   dev.fw_irq --> irq_ (sc_signal) --wakes--> read EVQ_STATUS, EVQ_EVENT/CONN/VALUE, EVQ_POP
//     (retx_arm / retx_disarm / time_wait_entered / ack_delayed)                 | per-connection
//   fw (simple_initiator_socket) --> dev.fw: CMD_CONN, CMD                       | timers
//     (retransmit / give_up / time_wait_expire / send_ack) <---------------------+
//
// The constructor binds `fw` to dev.fw and dev.fw_irq to its own signal; at the start of the
// simulation it sets the port's CTRL.EVQ_EN (the firmware's events to the port's queue, none on
// DeviceTlm::take_events() any more) and INTR_ENABLE.EVQ_NOT_EMPTY. The events and commands are
// those marked `for = "firmware"` / `from = "firmware"` in rtl_model/regmap/toe_defs.toml. A
// command the port refuses with QUEUE_FULL is retried every 4 clocks (up to 64 times; then
// counted in SlowPathCounters::refused); any other refusal is counted there too. It has no ARP:
// a connect by IP address (the port's resolve queue) is answered at once with command no_route
// (the host sees timed_out for it), never left waiting.
//
// Policy: the rules sim/harness/harness.cpp applies (Harness::handle_event and Harness::timers,
// HarnessConfig's rto_initial_ms, rto_max_ms, max_retries, msl_ms, delayed_ack_ms), in SystemC
// time, per connection:
//   retx_arm, timer stopped    start it: RTO = rto_initial, retries = 0, deadline = the event's
//                              time + RTO; remember the event's value (SND.NXT).
//   retx_disarm                stop it, retries = 0.
//   deadline reached           retries == max_retries: command give_up and stop every timer of
//                              the connection (the engine frees it). Otherwise ++retries, RTO =
//                              min(2 * RTO, rto_max) (RFC 6298 5.5), deadline = now + RTO, command
//                              retransmit (RFC 6298 5.4).
//   time_wait_entered          stop the retransmission timer; TIME_WAIT deadline = the event's
//                              time + 2 * msl (again on every time_wait_entered: the peer's FIN
//                              retransmitted restarts 2*MSL, TW2); when reached: command
//                              time_wait_expire and stop every timer of the connection.
//   ack_delayed, not running   deadline = the event's time + delayed_ack; when reached: command
//                              send_ack (the engine ACKs only if one is still owed).
// At one instant the due timers go out per connection in increasing connection order, each
// connection's in the harness's order: send_ack, time_wait_expire, then retransmit or give_up.
//
// Where this differs from the harness, and why. The harness also restarts the retransmission
// timer (RTO = rto_initial, retries = 0, RFC 6298 5.3) on "acked" and stops the timers on
// "closed", "reset" and "timed_out"; those are host events, which the firmware stream does not
// carry. The engine emits retx_arm (value SND.UNA) when it sends a segment while nothing is
// outstanding (model tx_arbiter, w_.retx_arm) and on each ACK that moves SND.UNA while data is
// still outstanding (model tcp_fsm); a retransmission sends none (SND.MAX is kept, so data is
// still outstanding), a zero-window probe leaving with nothing else outstanding sends one with
// SND.UNA unchanged. Rule chosen:
//   retx_arm, timer running, value == the remembered one: no ACK progress since: nothing
//     changes, so the backoff (RTO doubling) and the retry count go on (a dead peer is given
//     up on).
//   retx_arm, timer running, value != the remembered one: SND.UNA moved (ACK progress): restart
//     as on "acked" (RTO = rto_initial, retries = 0, deadline = the event's time + RTO, RFC
//     6298 5.3) and remember the new value. host_event() applies the harness's rules for
//     acked, closed, reset and timed_out exactly, for a platform whose host driver reads the
//     host event queue. Without it, a timer of a
// connection closed by the host path (RST, LAST_ACK acknowledged, abort) still fires: the
// engine refuses the command for a free connection (CNT_DROP_NO_CONN counts it), and a new
// connection on the same id starts with its own retx_arm (a new value: the timer restarts).
//
// Time. An SC_THREAD drains the event queue when fw_irq rises (or every `poll`, a safety net)
// and otherwise sleeps until the earliest deadline. Deadlines count from the time the event was
// read (at most the device's quantum after the edge the engine emitted it at, plus the reads
// before it). Each register access waits for its annotated delay (the clocks the bus took), so
// commands reach the engine at the deadline plus two accesses. An event the engine emitted in the last quantum may not be collected yet when a deadline
// falls: the harness's timers had the same granularity (every 1024 clocks). The thread never
// stops polling, so sc_start() without a time limit does not return while one exists.
// The host must drain its event queue: the engine's firmware and host events leave one queue in
// order, and while the host event queue (EVQ_*, 16 deep) is full a host event at its head holds
// the firmware events behind it (model::EngineDevice), so timers would start late.
#pragma once

#include <systemc>

#include <cstdint>
#include <iosfwd>
#include <map>

#include <tlm_utils/simple_initiator_socket.h>

#include "toe_device_tlm.hpp"

namespace toe::sc {

struct SlowPathTimersConfig {
  sc_core::sc_time rto_initial{1, sc_core::SC_SEC};  // RFC 6298 2.1 (HarnessConfig::rto_initial_ms)
  sc_core::sc_time rto_max{60, sc_core::SC_SEC};     // the backoff's cap (rto_max_ms)
  uint32_t max_retries = 8;                          // retransmissions before give_up (HS9)
  sc_core::sc_time msl{60, sc_core::SC_SEC};         // TIME_WAIT lasts 2 * msl (TW1)
  sc_core::sc_time delayed_ack{40, sc_core::SC_MS};  // send_ack after this (TM3)
  sc_core::sc_time poll{1, sc_core::SC_MS};          // the event queue is read at least this often
};

struct SlowPathCounters {
  uint64_t retransmits = 0;         // retransmit commands
  uint64_t give_ups = 0;            // give_up commands
  uint64_t time_wait_expiries = 0;  // time_wait_expire commands
  uint64_t delayed_acks = 0;        // send_ack commands
  uint64_t retx_restarts = 0;       // retransmission timers restarted (value changed, or acked)
  uint64_t events = 0;              // firmware events collected
  uint64_t refused = 0;             // commands the firmware port refused (after the retries)
  uint64_t no_route = 0;            // connects by IP address answered no_route (no ARP here)
};
// "retransmits 2 give_ups 0 time_wait_expiries 1 delayed_acks 3 retx_restarts 0 events 9"
std::ostream& operator<<(std::ostream& os, const SlowPathCounters& c);

class SlowPathTimers : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(SlowPathTimers);
  // Throws std::invalid_argument (naming the field) for a zero rto_initial or poll, or an
  // rto_max below rto_initial.
  SlowPathTimers(sc_core::sc_module_name name, DeviceTlm& dev, const SlowPathTimersConfig& cfg = {});

  tlm_utils::simple_initiator_socket<SlowPathTimers> fw;  // bound to dev.fw

  // A host event (from the host event queue, EVQ_*) at time t, for a platform that reads it:
  // acked restarts a running retransmission timer (RFC 6298 5.3: RTO = rto_initial, retries =
  // 0, deadline = t + RTO); closed, reset and timed_out stop every timer of the connection.
  // Other types are ignored. From a process.
  void host_event(const model::Event& e, const sc_core::sc_time& t = sc_core::sc_time_stamp());

  const SlowPathTimersConfig& config() const { return cfg_; }
  const SlowPathCounters& counters() const { return count_; }
  uint64_t retransmits() const { return count_.retransmits; }
  uint64_t give_ups() const { return count_.give_ups; }
  uint64_t time_wait_expiries() const { return count_.time_wait_expiries; }
  uint64_t delayed_acks() const { return count_.delayed_acks; }

  // The connection's retransmission timer: running, and if so its deadline, RTO and retries.
  bool retx_running(uint32_t conn) const;
  sc_core::sc_time retx_deadline(uint32_t conn) const;
  sc_core::sc_time rto(uint32_t conn) const;
  uint32_t retries(uint32_t conn) const;

  const char* kind() const override { return "toe::sc::SlowPathTimers"; }
  void print(std::ostream& os) const override;  // the counters

 private:
  struct Timers {
    bool retx = false;
    sc_core::sc_time retx_deadline;
    sc_core::sc_time rto;
    uint32_t retries = 0;
    uint32_t armed_value = 0;  // retx_arm's value (SND.UNA) when the timer last (re)started
    bool tw = false;
    sc_core::sc_time tw_deadline;
    bool dack = false;
    sc_core::sc_time dack_deadline;
    bool any() const { return retx || tw || dack; }
  };

  void run();
  // The firmware port: one access (waits for its delay); false if it was refused.
  bool access(bool we, uint32_t addr, uint32_t* data);
  void drain();
  void handle(const TimedEvent& te);
  void restart_retx(Timers& t, const sc_core::sc_time& at);
  void fire(const sc_core::sc_time& now);
  void issue(model::CmdOp op, uint32_t conn);
  const Timers* find(uint32_t conn) const;

  DeviceTlm& dev_;
  SlowPathTimersConfig cfg_;
  sc_core::sc_signal<bool> irq_;
  std::map<uint32_t, Timers> conns_;  // connections with a timer running
  sc_core::sc_event changed_;         // host_event() changed a deadline
  SlowPathCounters count_;
};

}  // namespace toe::sc
