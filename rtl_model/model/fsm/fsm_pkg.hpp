// The transmission control block: one entry of the TCB table, RFC 9293 names.
#pragma once

#include <cstdint>

#include "toe/net/codec.hpp"
#include "toe/tcp_state.hpp"

namespace toe::model {

struct Tcb {
  TcpState state = TcpState::CLOSED;
  bool passive = false;  // opened from LISTEN (MUST-11: remember active vs passive)
  // 4-tuple (the local IP is the engine's)
  uint32_t rip = 0;
  uint16_t rport = 0, lport = 0;
  net::MacAddr rmac;
  // send sequence space
  uint32_t iss = 0, snd_una = 0, snd_nxt = 0, snd_wnd = 0, snd_wl1 = 0, snd_wl2 = 0;
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

}  // namespace toe::model
