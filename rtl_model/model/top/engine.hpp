// SPDX-License-Identifier: Apache-2.0
// toe::model::EngineDevice: the cycle-accurate model of toe_engine (rtl/top/toe_engine.sv), the
// engine as a host sees it: Engine (toe_top's twin) behind the host register port, whose
// register block (RegBlock, the twin of the generated toe_reg_top) is driven by the table
// generated from rtl_model/regmap/toe_regs.toml.
//
//   host bus --> bus front --+--> RegBlock --reg2hw--> Engine::registers(), CONN_SEL, CMD args
//                            |       ^ hw2reg: counters, status, CONN_* (the selected TCB),
//                            |       |  queues, interrupt causes
//                            +--> buffer windows (5-cycle byte walk) --> the Engine's buffers
//   fw bus ----> fw front --+---> FwRegBlock (toe_fw_regs.toml): CMD_CONN, CMD, EVQ_*, CTRL, RXQ_*, TXQ_*
//                           +---> RX_FRAME window <-- FwRxq: frames the fast path does not
//                           |                          terminate, copied from the rx stream
//                           +---> TX_FRAME window --> FwTxq --> m_axis_tx between two frames
//   CMD writes ----> host command queue (kCmdDepth) ---+
//   fw CMD writes -> firmware command queue (kFwCmdDepth) +--> Engine cmd (in this order of
//   cmd (the command stream of a test bench) ----------+    priority)
//   Engine evt --+--> host events (defs: for host) --> host event queue (kEvqDepth): EVQ_*
//                +--> firmware events --+--> fw CTRL.EVQ_EN = 1: firmware event queue (fw EVQ_*)
//                                       +--> fw CTRL.EVQ_EN = 0: evt (a test bench's stream)
//
// The host bus, the refusals and what the wrapper adds to toe_top (CTRL.ENABLE between frames,
// CTRL.SOFT_RESET, STATUS.READY, INTR_STATE, intr, CNT_*, CONN_*) are described in
// toe_engine.sv's header; this class reproduces them cycle for cycle. Every access policy
// (rw, ro, w1c, rc, self-clearing) and every offset comes from the generated table
// toe_regs_table.hpp.
//
// Two-phase clocking as Engine: outputs() are the Moore outputs of this cycle; eval(in) computes
// the next state, commit() makes it current; clock(in) is both.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "top/engine_config.hpp"
#include "top/fw_rxq.hpp"
#include "top/fw_txq.hpp"
#include "top/reg_block.hpp"
#include "top/ring.hpp"
#include "top/top.hpp"

namespace toe::model {

// Per-cycle input and output ports of toe_engine: toe_top's streams (EngineIn / EngineOut; cmd
// and evt are the firmware's streams) and the host register bus and intr_o.
struct EngineDeviceIn : EngineIn {
  bool reg_req = false;       // reg_req_i (taken when reg_ready is 1)
  bool reg_we = false;        // reg_we_i
  uint32_t reg_addr = 0;      // reg_addr_i (regmap::kAddrWidth bits used)
  uint32_t reg_wdata = 0;     // reg_wdata_i
  uint8_t reg_be = 0xF;       // reg_be_i: byte enables; 0xF, or (a transmit-window write) any but 0
  bool fw_req = false;        // fw_req_i: the firmware register bus (taken when fw_ready is 1)
  bool fw_we = false;         // fw_we_i
  uint32_t fw_addr = 0;       // fw_addr_i (fw_regmap::kAddrWidth bits used)
  uint32_t fw_wdata = 0;      // fw_wdata_i
  uint8_t fw_be = 0xF;        // fw_be_i: all four, or the access is refused (BAD_SIZE)
};

struct EngineDeviceOut : EngineOut {
  bool reg_ready = true;       // reg_ready_o
  bool reg_valid = false;      // reg_valid_o
  uint32_t reg_rdata = 0;      // reg_rdata_o
  bool reg_err = false;        // reg_err_o
  bool intr = false;           // intr_o
  bool fw_ready = true;        // fw_ready_o
  bool fw_valid = false;       // fw_valid_o
  uint32_t fw_rdata = 0;       // fw_rdata_o
  bool fw_err = false;         // fw_err_o
  bool fw_intr = false;        // fw_intr_o
};

class EngineDevice {
 public:
  // The build parameters (toe_engine's parameters); throws std::invalid_argument as Engine.
  explicit EngineDevice(const EngineParams& p);
  EngineDevice(const EngineDevice&) = delete;
  EngineDevice& operator=(const EngineDevice&) = delete;

  const EngineDeviceOut& outputs() const { return out_; }
  void eval(const EngineDeviceIn& in);
  void commit();
  void clock(const EngineDeviceIn& in) {
    eval(in);
    commit();
  }
  // rst_ni: the registers to their reset values, the Engine and the wrapper reset.
  void reset();

  // Idle skipping: n clocks with the idle inputs `in` (no rx beat, no command, no register
  // access; std::invalid_argument otherwise), with the same result as n
  // calls of clock(in). The first clock runs (it settles a register response, a drop-counter
  // edge, a SOFT_RESET pulse); if the device is then settled (not in reset, no frame half
  // through the wrapper, the Engine quiescent: Engine::quiescent) all but the last of the rest
  // are applied at once (Engine::skip_idle), and the last runs. Returns the clocks applied at
  // once (0 when the device was not settled: then every clock ran).
  uint64_t skip_idle(const EngineDeviceIn& in, uint64_t n);
  // Settled: a clock with idle inputs would change only the time (not in reset, no frame half
  // through the wrapper, no register response out or window access under way, no host command
  // queued, no event the host queue cannot take, no drop counter moved at the last clock (its
  // INTR_STATE.DROP edge still to come), the Engine quiescent). Then every output
  // stays as it is over an idle span, and skip_idle applies all but its last clock at once.
  bool idle_settled() const;
  // Busy spans (Engine::span_limit / run_span, for the TLM device): clocks with no command, no
  // register access on either bus, ready on m_axis_tx and evt, and (rx) a full beat of the frame
  // under way at every one, none its last, or (!rx) no beat. span_limit(rx): how many can be
  // applied at once (0: none): the wrapper settled as idle_settled() says, except that (rx) a
  // frame is under way and not discarded and a frame may be half sent, and the Engine's own
  // limit. run_span(rx, n, tx): those n clocks, rx holding their n * DataBytes bytes (nullptr: no
  // beats), the bytes m_axis_tx sends over them appended to *tx (full beats, none the frame's
  // last; needed while a frame is being sent), with the result of n calls of clock(); no other
  // output changes over them. Throws std::logic_error for n beyond the limit.
  uint64_t span_limit(bool rx) const;
  void run_span(const uint8_t* rx, uint64_t n, std::vector<uint8_t>* tx = nullptr);

  // The engine behind the registers (counters, TCBs, buffers: views that do not advance time).
  const Engine& engine() const { return engine_; }
  // The register block (reg2hw values, for tests).
  const RegBlock& regs() const { return regs_; }
  // True while CTRL.SOFT_RESET holds the Engine in reset (STATUS.READY = 0).
  bool core_in_reset() const;
  // STATUS.READY: out of reset and the tables initialised (Engine::initialising).
  bool core_ready() const;
  // The value a register read of `addr` issued now would return, without its side effects: no
  // clock, no rc clear, no LAST_ERROR change (for debuggers: the TLM target's transport_dbg).
  // False, and *value untouched, for a hole or a misaligned offset.
  bool peek_reg(uint32_t addr, uint32_t* value) const;

  // Direct memory access to a buffer window (a TLM target's DMI): the part of the window holding
  // window offset `woff` (below the window's size) that maps linearly onto the selected
  // connection's buffer, as CONN_SEL and TX_WIN_BASE / RX_WIN_BASE stand now. Window byte w is
  // buffer byte (BASE with its low 2 bits cleared + w) mod the buffer size, so the window's
  // first buffer-size bytes are two linear pieces: [0, size - b) at buffer byte b and
  // [size - b, size) at buffer byte 0. False when the window access would be refused (no
  // session in use, woff at or beyond the buffer).
  struct DmiPiece {
    uint8_t* ptr = nullptr;  // buffer byte of window offset `first`
    uint32_t first = 0, last = 0;  // window offsets, inclusive
  };
  bool dmi_window(bool tx, uint32_t woff, DmiPiece* piece);
  // The selected connection (CONN_SEL) and whether it is a session in use now.
  uint32_t conn_sel() const;
  bool conn_sel_in_use() const;

  // The firmware port's register block, and peek_reg for it.
  const FwRegBlock& fw_regs() const { return fw_regs_; }
  bool peek_fw_reg(uint32_t addr, uint32_t* value) const;

  static constexpr uint32_t kCmdDepth = 4;     // host command queue (CMD_STATUS.DEPTH)
  static constexpr uint32_t kEvqDepth = 16;    // host event queue (EVQ_STATUS.DEPTH)
  static constexpr uint32_t kFwCmdDepth = 4;   // firmware command queue (fw CMD_STATUS.DEPTH)
  static constexpr uint32_t kFwEvqDepth = 16;  // firmware event queue (fw EVQ_STATUS.DEPTH)
  static constexpr uint32_t kArqDepth = 4;     // the firmware's resolve queue (fw ARQ_STATUS.DEPTH)

 private:
  net::MacAddr local_mac() const;  // MAC_ADDR_LO / MAC_ADDR_HI
  void drive_config();
  void reset_core();
  void update_outputs();
  RegBlock::Hw hw_values() const;
  FwRegBlock::Hw fw_hw_values() const;
  // The same into a buffer kept between reads (no zeroing per read): every value each writes it
  // writes on every call.
  void fill_hw(RegBlock::Hw& hw) const;
  void fill_fw_hw(FwRegBlock::Hw& hw) const;
  RegBlock::Hw hw_buf_;
  FwRegBlock::Hw fw_hw_buf_;

  EngineParams params_;
  Engine engine_;
  RegBlock regs_;
  FwRegBlock fw_regs_;
  EngineDeviceOut out_;

  // The wrapper's frame state (toe_engine.sv rx_in_frame_q, rx_discard_q, tx_in_frame_q) and
  // the low 5 bits of the drop counters of the last cycle (drop_lo_q).
  struct Frames {
    bool rx_in_frame = false, rx_discard = false, tx_in_frame = false;
  };
  Frames frames_q_, frames_d_;
  std::array<uint8_t, size_t(Counter::kCount)> drop_lo_q_{}, drop_lo_d_{};
  bool core_clocked_ = false;  // eval ran the Engine this cycle
  bool core_idle_ = false;     // ... and it was quiescent with idle inputs: only its time moves
  bool core_fresh_ = true;     // the Engine has not been clocked since its reset

  // The buffer-window walk (toe_engine.sv win_*_q): cnt 0 idle, 1..5 the access's cycles.
  struct Window {
    uint32_t cnt = 0;
    bool we = false, tx = false, valid = false;
    uint32_t be = 0;  // the write's byte enables
    uint32_t addr = 0, data = 0;
  };
  Window win_q_, win_d_;
  uint8_t host_rx_q_ = 0, host_rx_d_ = 0;  // toe_rx_copy's host read register (no reset)
  bool host_tx_we_ = false;                // a transmit-window byte lands at this edge
  uint32_t host_tx_addr_ = 0;
  uint8_t host_tx_wdata_ = 0;
  uint32_t bus_errors_q_ = 0, bus_errors_d_ = 0;

  Ring<Cmd, kCmdDepth> cmdq_;
  Ring<Event, kEvqDepth> evq_;
  Ring<Cmd, kFwCmdDepth> fw_cmdq_;  // the op and the fw CMD_* arguments (value 0)
  Ring<Cmd, kArqDepth> arq_;        // the resolve queue: the host's connects by IP address (fw ARQ_*)
  FwRxq rxq_;
  FwTxq txq_;
  // A firmware window access answered this clock (toe_engine fw_win_valid_q, fw_win_rx_q), and
  // a beat offered on m_axis_tx and not taken last clock (tx_offered_q).
  bool fw_win_valid_q_ = false, fw_win_valid_d_ = false, fw_win_rx_q_ = false, fw_win_rx_d_ = false;
  bool tx_offered_q_ = false, tx_offered_d_ = false;
  // The firmware's frame takes the output from the next clock: state only (Moore).
  bool fw_tx_start() const;
  // An interrupt cause whose INTR_STATE bit the next clock sets (not settled while one is).
  bool intr_pending() const;
  bool drop_pending() const;  // a drop counter moved at the last clock (INTR_STATE.DROP follows)
  Ring<Event, kFwEvqDepth> fw_evq_;
  uint32_t fw_bus_errors_q_ = 0, fw_bus_errors_d_ = 0;
};

}  // namespace toe::model
