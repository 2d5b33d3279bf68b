// SPDX-License-Identifier: Apache-2.0
// Tables (toe_tables, rtl_model/rtl/top/toe_tables.sv): the engine's memories and queues,
// and their writes. The TCB table, the 4-tuple hash index, the listen table, the free list,
// the SYN-cache order, the ready queue, the response and event queues, the copy queue, the
// frame slots' busy bits, the transmit buffers, the challenge-ACK token bucket and the
// counters. (The receive buffers are here too; in the RTL they are toe_rx_copy's banks.)
//
// The stages read the tables in their eval() as they are at the start of the cycle (the RTL's
// combinational reads) and offer their writes on ports (TcpFsm::res(), TxArbiter::writes(),
// RxCopy::release()/pop()); Engine::commit applies them with the methods below, in the order
// toe_tables' p_tables_d does (steps 1 to 7).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "fifo.hpp"
#include "fsm/fsm_pkg.hpp"
#include "rx/rx_pkg.hpp"
#include "toe_types.hpp"
#include "top/engine_config.hpp"

namespace toe::model {

constexpr uint32_t kIndexWays = 8;   // hash index: buckets of 8 ways, compared in parallel

struct IndexEntry {
  uint32_t rip = 0;
  uint16_t rport = 0, lport = 0;
  uint32_t conn = kNoConn;  // kNoConn: empty way
};

// A payload copy from a frame slot to a receive buffer (tcp_fsm -> rx_copy).
struct CopyJob {
  uint32_t conn = 0;
  uint8_t slot = 0;
  uint16_t off = 0, len = 0;  // payload bytes in the slot
  uint32_t rx_off = 0;        // receive-buffer running offset of the first byte
};

struct ListenEntry {
  bool valid = false;
  uint16_t port = 0;
};

struct FsmResult;  // tcp_fsm's result (fsm/tcp_fsm.hpp): its res_* ports

// A TCB state change (cycle, conn, from, to): toe_top's trace_* ports, EngineApi::on_state_change.
using StateTrace = std::function<void(uint64_t, uint32_t, TcpState, TcpState)>;

// tx_arbiter's writes of one cycle (toe_tables' arb_* ports).
struct ArbWrite {
  bool pop_rsp = false;    // the response at the head was taken
  bool pop_ready = false;  // the ready queue's head was taken ...
  bool requeue = false;    // ... and goes to its tail again (more to send)
  bool wr = false;         // the TCB of the ready queue's head is written:
  uint32_t conn = kNoConn;
  Tcb tcb;
  bool retx_arm = false;   // ... and a retransmission-timer arm event follows (TxArbiter::retx, next cycle)
};

struct Tables {
  explicit Tables(const EngineConfig& cfg);
  void reset();

  std::vector<Tcb> tcb;
  std::vector<IndexEntry> index;  // buckets * kIndexWays
  uint32_t buckets = 0;
  std::vector<ListenEntry> listen;
  std::vector<uint8_t> rx_buf, tx_buf;
  uint32_t rx_mask = 0, tx_mask = 0;
  Fifo<uint32_t> free_list;
  Fifo<uint32_t> half_open;          // SYN cache order (oldest first), DS1
  uint32_t half_open_count = 0;
  std::vector<uint8_t> half_open_flag;
  Fifo<uint32_t> tx_ready;           // connections with something to send
  std::vector<uint8_t> tx_queued;
  Fifo<TxReq> rsp;                   // control responses, tcp_fsm -> tx_arbiter
  Fifo<Event> evt;                   // events out
  std::vector<std::vector<uint8_t>> slots;  // rx frame slots
  uint32_t slots_busy = 0;
  std::vector<uint8_t> slot_busy;    // per slot: holds a frame not yet released
  uint8_t fill_slot = 0;             // the slot rx_parse fills next (round robin)
  Fifo<CopyJob> copy_jobs;           // payload copies, tcp_fsm -> rx_copy (one per busy slot at most)
  // Data events waiting for their copy: copies completed minus held data events
  // popped (or dropped); a held event at the head leaves only while it is > 0.
  int32_t copy_credit = 0;
  // challenge-ACK global token bucket
  uint32_t chal_tokens = 0;
  uint64_t chal_refill_cycle = 0;
  std::vector<uint64_t> counters;    // enum Counter order (toe_top's cnt_o)
  // The ISN's 4 us clock (isn_hash's M): isn_ticks counts up once every 4 x CLOCK_MHZ cycles,
  // isn_pre the cycles since the last tick (toe_tables' isn_ticks_q, isn_pre_q).
  uint32_t isn_pre = 0, isn_ticks = 0;
  // The tables' initialisation after a reset (toe_tables' init_q): the RTL keeps the index's
  // valid bits in memories, which have no reset, and clears them one bucket a cycle; until the
  // last bucket is cleared (`buckets` cycles) the engine takes neither a frame nor a command.
  uint32_t init_left = 0;

  // ---- the writes of one cycle, in commit order (toe_tables' p_tables_d) -----------------
  void pop_event();                  // 1. the consumer took the event at the head
  void frame_in();                   // 2. a frame ended on s_axis_rx: counted, its slot busy
  void count(Counter c) { ++counters[size_t(c)]; }
  //                                    3. tcb_update's pushes: TcbUpdate::apply
  // 4. tcp_fsm's writes (a valid result), then one stale SYN-cache head cleared (every cycle).
  void apply_fsm(const FsmResult& r, uint64_t cycle, const StateTrace& trace);
  void clean_half_open();
  // 5. rx_copy: the last word of a job written (its slot released), the job popped.
  void apply_copy(bool release, uint8_t release_slot, bool pop);
  void apply_arb(const ArbWrite& w);  // 6. tx_arbiter, then the retransmission-arm event of
  void push_retx_arm(const Event& e); //    its write of the cycle before (TxArbiter::retx)
  // 7. the challenge-ACK token bucket's refill (period: regs.chal_global_cycles, 0: clock MHz * 10,000).
  void refill_tokens(uint64_t cycle, const EngineRegs& regs);
  void tick_isn_clock(const EngineRegs& regs);  //   and the ISN clock's prescaler (CLOCK_MHZ now)
  // Steps 7 over n idle cycles at once, the first at `cycle` (the same result as n calls of
  // refill_tokens and tick_isn_clock with the cycle counting up; Engine::skip_idle).
  void idle_cycles(uint64_t cycle, uint64_t n, const EngineRegs& regs);

  uint32_t bucket_of(uint32_t rip, uint16_t rport, uint16_t lport) const;
  uint32_t lookup(uint32_t bucket, uint32_t rip, uint16_t rport, uint16_t lport) const;
  bool insert(uint32_t conn);
  void erase(uint32_t conn);
  bool listening(uint16_t port) const;
  bool bucket_has_room(uint32_t bucket) const;
};

}  // namespace toe::model
