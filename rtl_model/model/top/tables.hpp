// SPDX-License-Identifier: Apache-2.0
// Memories of the engine, shared by the stages that own their ports: the TCB
// table, the 4-tuple hash index, the listen table, per-connection buffers,
// free list and the FIFOs between stages. In RTL these are BRAMs/FIFOs; the
// stage that writes a memory does it in its commit().
#pragma once

#include <cstdint>
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

  uint32_t bucket_of(uint32_t rip, uint16_t rport, uint16_t lport) const;
  uint32_t lookup(uint32_t bucket, uint32_t rip, uint16_t rport, uint16_t lport) const;
  bool insert(uint32_t conn);
  void erase(uint32_t conn);
  bool listening(uint16_t port) const;
  bool bucket_has_room(uint32_t bucket) const;
};

}  // namespace toe::model
