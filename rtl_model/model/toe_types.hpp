// SPDX-License-Identifier: Apache-2.0
// Port and metadata types of the fast path, declared once for the C++ model
// (the RTL twins are the packages toe_fsm_pkg and toe_rx_pkg). Streams between stages are
// valid/ready with AXI-stream names (tdata tkeep tvalid tready tlast tuser).
#pragma once

#include <array>
#include <cstdint>

#include "toe/net/codec.hpp"
#include "toe/tcp_state.hpp"

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
enum class CmdOp : uint8_t {
  kNop = 0,
  kListen = 1,        // port: open a listener
  kUnlisten = 2,      // port
  kConnect = 3,       // ip, port, lport, mac, tag: active open (conn allocated by hardware)
  kClose = 4,         // conn: send FIN once the transmit buffer has drained
  kAbort = 5,         // conn: send RST, free
  kTxPush = 6,        // conn, value: host's transmit write pointer (bytes written, mod 2^32)
  kRxConsume = 7,     // conn, value: host's receive read pointer (bytes consumed, mod 2^32)
  kRetransmit = 8,    // conn: retransmission timer expired (go back to SND.UNA)
  kTimeWaitExpire = 9,// conn: 2*MSL elapsed (TIME_WAIT -> CLOSED)
  kGiveUp = 10,       // conn: retry limit reached: RST if synchronized, free, tell host "timed out"
  kSendAck = 11,      // conn: delayed-ACK timer expired: ACK if one is still owed
};
const char* to_string(CmdOp op);

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
enum class EvtType : uint8_t {
  kConnected = 1,     // active open complete (SYN-ACK received, ACK sent)      [HS8]
  kAccepted = 2,      // passive open complete (final ACK received)             [HS8]
  kData = 3,          // value: receive write pointer (bytes delivered, mod 2^32)
  kAcked = 4,         // value: bytes of the transmit buffer acknowledged (mod 2^32)
  kPeerClosed = 5,    // FIN received in sequence
  kClosed = 6,        // connection fully closed and freed
  kReset = 7,         // RST received (or sent on abort) and freed
  kTimedOut = 8,      // firmware gave up (retry limit)
  kConnectFailed = 9, // no free session / no route
  kTimeWaitEntered = 10,  // to firmware: start the 2*MSL timer
  kRetxArm = 11,      // to firmware: unacknowledged data/SYN/FIN outstanding (value: SND.NXT)
  kRetxDisarm = 12,   // to firmware: everything acknowledged
  kOpened = 13,       // active open issued: conn allocated for tag (value = tag)
  kSynDropped = 14,   // half-open limit reached (value: listening port)
  kAckDelayed = 15,   // to firmware: an ACK is owed (ack_every > 1): send kSendAck within the delay
};
const char* to_string(EvtType t);

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

// ---- drop reasons / counters (mirror the register map's CNT_* registers) -----
enum class Counter : uint8_t {
  kFramesIn, kFramesOut, kDropBadCsum, kDropMalformed, kDropNotForUs, kDropNoConn, kDropFragment,
  kDropOverflow, kChallengeAcks, kRstSent, kDropMacError, kDropUnacceptable, kChallengeAckLimited,
  kSynDropped, kHalfOpenEvicted, kEventsDropped, kArpIn,
  kCount
};
const char* to_string(Counter c);

}  // namespace toe::model
