// SPDX-License-Identifier: Apache-2.0
// Lockstep harness of toe_tcp_fsm (rtl_model/rtl/fsm, Verilated) and the C++ TcpFsm.
//
// The C++ side is a TcpFsm over a Tables (the world) and the registers of cfg(). The RTL
// side gets exactly what the top (toe_top) would read from that Tables for the segment or
// command of the cycle (lk_hit/lk_conn, listen_hit, tcb, ho_flag, bucket_room, free list,
// SYN cache, chal tokens, listen match/free slots, ISN ticks). Inputs the RTL must ignore in
// a given case (tcb_i on a miss, ...) are filled with random junk, so a dependency on them
// shows as a mismatch.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "top/top.hpp"
#include "rng.hpp"
#include "top/tables.hpp"
#include "fsm/tcp_fsm.hpp"

class Vtoe_tcp_fsm;
class VerilatedContext;

namespace toe::lockstep {

// The parameters the model was Verilated with (tests/lockstep/fsm/CMakeLists.txt).
struct FsmParams {
  uint32_t sessions = 16;
  uint32_t rx_buf_bytes = 4096;
  uint32_t tx_buf_bytes = 4096;
};

using test::Rng;

// What one cycle feeds the fsm.
struct Stimulus {
  enum class Kind { kIdle, kSegment, kCommand } kind = Kind::kIdle;
  model::SegMeta seg;
  model::Cmd cmd;
  uint64_t cycle = 0;
};

// The table reads the RTL gets (and the junk for the ignored ones), kept for the report.
struct TableReads {
  bool lk_hit = false;
  uint32_t lk_conn = 0;
  bool listen_hit = false;
  model::Tcb tcb;
  bool ho_flag = false;
  bool bucket_room = false;
  bool free_valid = false;
  uint32_t free_conn = 0;
  uint32_t half_open_count = 0;
  bool ho_head_valid = false;
  uint32_t ho_head = 0;
  bool ho_head_flag = false;
  bool chal_token_avail = false;
  bool listen_match_valid = false;
  uint32_t listen_match_slot = 0;
  bool listen_free_valid = false;
  uint32_t listen_free_slot = 0;
  uint32_t isn_ticks = 0;
  uint32_t isn_mix = 0;  // not a table read: conn_lookup's, a cycle ahead
};

class FsmLockstep {
 public:
  explicit FsmLockstep(const FsmParams& p);
  ~FsmLockstep();

  model::EngineConfig& cfg() { return cfg_; }
  model::Tables& tables() { return *tables_; }
  const FsmParams& params() const { return p_; }
  // Both sides read the runtime registers from cfg() as it is at each step: nothing to copy.
  void sync_registers() {}

  // One clock of both sides: computes the table reads from tables() (junk from `junk`),
  // evaluates, compares the combinational result, commits the C++ side (which writes the
  // tables), clocks the RTL and compares the registered result. Returns "" or a report of
  // the first mismatch (field, both values, the inputs).
  std::string step(const Stimulus& s, Rng& junk);

  const model::FsmResult& last() const { return fsm_->q; }
  bool last_valid() const { return fsm_->q_valid; }
  void reset();

 private:
  TableReads reads_for(const Stimulus& s, Rng& junk) const;
  void drive(const Stimulus& s, const TableReads& r);
  model::FsmResult rtl_result(bool registered, bool& valid) const;
  std::string describe(const Stimulus& s, const TableReads& r) const;

  FsmParams p_;
  model::EngineConfig cfg_;
  std::unique_ptr<model::Tables> tables_;
  std::unique_ptr<model::TcpFsm> fsm_;
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vtoe_tcp_fsm> rtl_;
  bool have_q_ = false;  // a valid result has been registered since construction
};

// Field-by-field comparison: "" when equal, else "field: cpp=... rtl=...". with_rsp 0 leaves the
// response's fields out (the RTL builds the response from its registered result only: q_rsp_o).
std::string diff_results(const model::FsmResult& cpp, const model::FsmResult& rtl, bool with_rsp = true);
std::string describe_tcb(const model::Tcb& t);

}  // namespace toe::lockstep
