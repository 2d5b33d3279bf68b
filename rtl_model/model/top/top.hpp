// SPDX-License-Identifier: Apache-2.0
// toe::model::Engine: the cycle-accurate model of the fast path (toe_top).
//
//  s_axis_rx -> RxParse -> RxCsum -> ConnLookup -> TcpFsm -> TcbUpdate --+-> events (m_evt)
//                       \-> IsnMix (2 stages) -----> ^  (TCB table)      +-> ctrl responses
//  s_cmd (firmware/host commands) -> 2 registers ---+                          |
//  m_axis_tx <- TxCsum <- TxBuild <- TxArbiter <- {ctrl responses, tx buffers} -+
//
// Two-phase clocking: eval() computes every stage's next state from the
// current (committed) state and the input ports; commit() makes it current.
// Memories (TCB table, hash index, buffers) are written in commit() only.
// Latencies (cycles, fixed): RxParse 1 after tlast, RxCsum 1, ConnLookup 1,
// the command registers 2 (s_cmd to TcpFsm), IsnMix 2 (beside RxCsum and ConnLookup), TcpFsm 1, TcbUpdate 1, TxArbiter 1, TxBuild 1 + one cycle per transmit-buffer
// word of payload (TxBuild::fetch_cycles), TxCsum 1 (first beat out).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fsm/fsm_pkg.hpp"
#include "toe_types.hpp"
#include "top/engine_api.hpp"
#include "top/engine_config.hpp"

namespace toe::model {

// Per-cycle input and output ports of toe_top.
struct EngineIn {
  AxisBeat rx;            // s_axis_rx_*
  bool tx_tready = true;  // m_axis_tx_tready
  bool cmd_valid = false; // s_cmd_*
  Cmd cmd;
  bool evt_ready = true;  // m_evt_ready
};

struct EngineOut {
  bool rx_tready = false;  // s_axis_rx_tready
  AxisBeat tx;             // m_axis_tx_*
  bool cmd_ready = false;  // s_cmd_ready
  bool evt_valid = false;  // m_evt_*
  Event evt;
};

class Engine final : public EngineApi {
 public:
  explicit Engine(const EngineConfig& cfg);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // One clock: outputs are a function of the current state (Moore): call
  // outputs() to see them, then clock() with the inputs of this cycle.
  const EngineOut& outputs() const override { return out_q_; }
  void eval(const EngineIn& in);
  void commit();
  void clock(const EngineIn& in) override {
    eval(in);
    commit();
  }
  void reset() override;

  // Idle skipping (virtual platforms). quiescent(): nothing is in flight (no frame arriving or
  // in a stage, no segment or command in tcp_fsm, no response, ready connection, copy job or
  // event queued, nothing being sent, no stale SYN-cache head, the tables initialised after the
  // reset: initialising()), so a clock with idle inputs (no
  // rx beat, no command) changes only the time: the cycle count, the challenge-ACK token bucket
  // and the ISN clock. skip_idle(n): those n clocks at once, with the same result as n calls of
  // clock() with idle inputs (std::logic_error unless quiescent()). The outputs do not change.
  bool quiescent() const;
  // The tables are being initialised: the first Buckets clocks after a reset (toe_tables' init_q),
  // in which rx_tready and cmd_ready are 0.
  bool initialising() const override;
  void skip_idle(uint64_t n) override;
  bool can_skip() const override { return quiescent(); }

  // Busy spans (the frame-at-a-time step of virtual platforms). span_limit(rx): how many clocks
  // from now can be applied at once by run_span, 0 if none: clocks with no command, ready on
  // m_axis_tx and m_evt, and (rx) a beat on s_axis_rx at every one of them, each a full beat
  // (every tkeep bit set) and none the frame's last, or (!rx) no beat at all, over which only a
  // frame's bytes arriving in rx_parse's slot, rx_copy's walk through its head job and a frame
  // being sent on m_axis_tx change (nothing else in flight: no frame parsed or in a stage after
  // rx_parse, no command, no response, ready connection or event that can leave, nothing built
  // behind the frame being sent, no stale SYN-cache head). Limited by rx_copy's head job (the span
  // ends before the clock that reads its last word) and by the frame being sent (before the clock
  // of its last beat). An rx span needs a frame under way in rx_parse and s_axis_rx ready.
  // run_span(rx, n, tx): those n clocks (n <= span_limit(rx != nullptr)), with the same result as
  // n calls of clock(); rx holds their n * DataBytes bytes (nullptr: no beats); the bytes of the
  // n beats m_axis_tx sends over them (full beats, none the frame's last) are appended to *tx
  // (needed when sending(), else may be nullptr). Only m_axis_tx's beat changes over a span.
  // Throws std::logic_error for n beyond the limit or a missing tx.
  uint64_t span_limit(bool rx) const;
  void run_span(const uint8_t* rx, uint64_t n, std::vector<uint8_t>* tx = nullptr);
  bool sending() const { return out_q_.tx.tvalid; }

  uint64_t cycle() const override { return cycle_; }
  const EngineConfig& config() const override { return cfg_; }
  EngineConfig& registers() override { return cfg_; }  // runtime registers (MAC, IP, MSS, ISN ...)
  uint64_t counter(Counter c) const override;
  // All of them, indexed by Counter (valid for the Engine's life).
  const uint64_t* counter_values() const;

  // Debug/host views (the MMIO windows of later issues read the same memories).
  const Tcb& tcb(uint32_t conn) const override {
    if (conn >= cfg_.sessions) no_conn(conn);
    return tcbs_[conn];
  }
  uint32_t sessions() const override { return cfg_.sessions; }
  uint32_t active_sessions() const override;
  uint32_t half_open() const override;
  // Events in the event queue and responses in the response queue (toe_tables' evt_cnt_q and
  // rsp_cnt_q): the ready signals need 32 and 8 free entries.
  uint32_t events_queued() const;
  uint32_t responses_queued() const;
  // A frame is in tx_build (built, or waiting for its payload): not yet visible on m_axis_tx.
  bool tx_building() const override;
  bool busy() const override;
  // Buffer windows: host reads received bytes / writes bytes to send. Offsets
  // are the host's running pointers (mod 2^32); the engine wraps them.
  void host_read_rx(uint32_t conn, uint32_t offset, uint8_t* dst, uint32_t n) const override;
  void host_write_tx(uint32_t conn, uint32_t offset, const uint8_t* src, uint32_t n) override;
  // The buffers themselves (rx_buf_bytes() / tx_buf_bytes() bytes from the pointer, offset 0
  // first), for a TLM target's direct memory interface: a pointer stays valid for the Engine's
  // life. Throws std::out_of_range for a bad conn.
  const uint8_t* rx_buffer(uint32_t conn) const;
  uint8_t* tx_buffer(uint32_t conn);
  uint32_t rx_buf_bytes() const override { return cfg_.rx_buf_bytes; }
  uint32_t tx_buf_bytes() const override { return cfg_.tx_buf_bytes; }

  // The ISN of a 4-tuple at `cycle`, CLOCK_MHZ unchanged since the reset (IS1): for tests.
  uint32_t isn_for(uint32_t rip, uint16_t rport, uint16_t lport, uint64_t cycle) const;

  const char* kind() const override { return "model"; }

  struct Impl;

 private:
  EngineConfig cfg_;
  std::unique_ptr<Impl> impl_;
  EngineOut out_q_, out_d_;
  uint64_t cycle_ = 0;
  bool cmd_slot_free_ = true;
  // The command registers: the command accepted on s_cmd in one cycle goes to tcp_fsm two cycles
  // later (toe_top's cq1_*, then cq_*), so that its key is known two cycles before the decision
  // (the ISN mix) and its connection one cycle before (toe_tables reads ahead for cq1_*).
  bool cmd_fire_ = false, cmd_q1_valid_ = false, cmd_q_valid_ = false;
  Cmd cmd_in_, cmd_q1_, cmd_q_;
  const Tcb* tcbs_ = nullptr;  // the TCB table (Tables::tcb, sessions entries), set at reset
  [[noreturn]] static void no_conn(uint32_t conn);
};

}  // namespace toe::model
