// SPDX-License-Identifier: Apache-2.0
// Port and metadata types of the fast path, declared once for the C++ model
// (the RTL twins are the packages toe_fsm_pkg and toe_rx_pkg). Streams between stages are
// valid/ready with AXI-stream names (tdata tkeep tvalid tready tlast tuser).
#pragma once

#include <array>
#include <cstdint>

#include "toe/net/codec.hpp"
#include "toe/tcp_state.hpp"
#include "toe_defs.hpp"

namespace toe::model {

constexpr uint32_t kMaxDataBytes = 64;  // widest datapath: 512 bits
constexpr uint32_t kMaxFrameBytes = 1536;
constexpr uint32_t kNoConn = 0xFFFFFFFFu;

// One beat of an AXI stream of Ethernet frames. tdata[i] is byte i of the
// beat (network order); tkeep bit i says it is valid. tuser on the last beat
// of an rx frame marks a MAC-level error (frame dropped).
struct AxisBeat {
  std::array<uint8_t, kMaxDataBytes> tdata{};
  uint64_t tkeep = 0;
  bool tvalid = false;
  bool tlast = false;
  bool tuser = false;
};

// ---- commands into the engine (from firmware / the host) ----------------------
// CmdOp, EvtType and Counter (with to_string) are generated from rtl_model/regmap/toe_defs.toml
// into toe_defs.hpp, with the same numbers in C (toe_defs.h) and SV (toe_defs_pkg).
struct Cmd {
  CmdOp op = CmdOp::kNop;
  uint32_t conn = kNoConn;
  uint32_t ip = 0;
  uint16_t port = 0, lport = 0;
  net::MacAddr mac;
  uint32_t value = 0;
  uint32_t tag = 0;
};

// ---- events out of the engine -------------------------------------------------
struct Event {
  EvtType type = EvtType::kClosed;
  uint32_t conn = kNoConn;
  uint32_t value = 0;
  uint16_t lport = 0;
  TcpState state = TcpState::CLOSED;  // state after the transition
  // Inside the engine only (always false on m_evt): a data event waiting in the
  // event queue for its payload copy (rx_copy) to finish.
  bool hold = false;
};

}  // namespace toe::model
