// SPDX-License-Identifier: Apache-2.0
// Types of the decision segment (fsm/), the C++ side of toe_fsm_pkg.sv: the
// transmission control block (one entry of the TCB table, RFC 9293 names) and the
// transmit request that tcp_fsm and tx_arbiter hand to tx_build.
#pragma once

#include <cstdint>

#include "toe/net/codec.hpp"
#include "toe/tcp_state.hpp"
#include "toe_types.hpp"

namespace toe::model {

struct Tcb {
  TcpState state = TcpState::CLOSED;
  bool passive = false;  // opened from LISTEN (MUST-11: remember active vs passive)
  // 4-tuple (the local IP is the engine's)
  uint32_t rip = 0;
  uint16_t rport = 0, lport = 0;
  net::MacAddr rmac;
  // send sequence space
  uint32_t iss = 0, snd_una = 0, snd_nxt = 0;
  // SND.MAX: the highest sequence number sent + 1 (BSD's snd_max). SND.NXT goes back to SND.UNA
  // on retransmit; ACKs up to SND.MAX stay acceptable.
  uint32_t snd_max = 0;
  uint32_t snd_wnd = 0, snd_wl1 = 0, snd_wl2 = 0;
  uint32_t max_snd_wnd = 0;  // largest window the peer has offered (RFC 5961 5.2)
  // receive sequence space
  // RCV.WND is not stored: it is the receive buffer's free space, rx_free() below.
  uint32_t irs = 0, rcv_nxt = 0;
  // options
  uint16_t snd_mss = 536;  // segment size we send: min(peer MSS (floored), our MSS)
  uint8_t snd_wscale = 0, rcv_wscale = 0;
  bool ws_ok = false;  // window scaling in use (both SYNs carried the option)
  // close
  bool fin_pending = false;  // host asked to close: FIN after the transmit buffer drains
  bool fin_rcvd = false;
  bool probe = false;  // send one zero-window probe byte (TM4)
  bool probing = false;  // a zero-window probe or a keep-alive went: report its answer (peer_alive)
  // buffers: running byte counts, mod 2^32
  uint32_t rx_wr = 0;  // bytes written into the receive buffer (delivered)
  uint32_t rx_rd = 0;  // host's read pointer
  uint32_t tx_wr = 0;  // host's write pointer (bytes queued to send)
  // timers and limits (the firmware reads these; it owns the policy)
  uint64_t last_tx_cycle = 0;
  uint64_t chal_cycle = 0;      // last challenge ACK (per-connection limiter)
  bool chal_sent = false;
  uint16_t unacked_segs = 0;    // in-order data segments not yet ACKed (delayed ACK)
  uint32_t tag = 0;             // host's tag for an active open
};

// Free space of the receive buffer: the receive window before scaling.
inline uint32_t rx_free(const Tcb& t, uint32_t rx_buf_bytes) { return rx_buf_bytes - (t.rx_wr - t.rx_rd); }

// A control segment to send (ACK, RST, SYN, SYN-ACK, challenge ACK) or a data
// segment request, as handed to tx_arbiter/tx_build.
struct TxReq {
  uint32_t conn = kNoConn;  // kNoConn for replies to segments without a connection
  net::MacAddr dmac;
  uint32_t dip = 0;
  uint16_t sport = 0, dport = 0;  // local, remote
  uint32_t seq = 0, ack = 0;
  uint8_t flags = 0;
  uint16_t window = 0;
  bool opt_mss = false, opt_ws = false;
  uint16_t mss = 0;
  uint8_t wscale = 0;
  uint32_t payload_len = 0;  // data segments: bytes from the tx buffer at payload_off
  uint32_t payload_off = 0;
};

}  // namespace toe::model
