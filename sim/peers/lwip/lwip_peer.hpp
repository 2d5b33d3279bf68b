// SPDX-License-Identifier: Apache-2.0
// toe::sim::LwipPeer: lwIP 2.1.3 (raw API, NO_SYS) as a simulated TCP peer and
// behavioural oracle, driven packet by packet in virtual time.
//
// It works at the IPv4 layer: input() hands one IPv4 packet to lwIP's
// ip_input; every IPv4 packet lwIP sends is captured and returned, in order, by
// take_output(). Time only moves in advance_to(), which runs lwIP's timers
// (TCP's 250 ms tick, IP reassembly) at their due virtual times, so
// retransmissions and TIME_WAIT expiry happen in virtual time.
//
// lwIP keeps global state, so at most one LwipPeer exists at a time in a
// process (the constructor throws std::logic_error otherwise). The destructor
// frees everything and the next instance starts from exactly the same state
// (ISN counter, IP ID, ephemeral ports, timer phase): same inputs, same bytes out.
//
// Connection ids and listener ids are small positive integers from one
// counter; they are never reused within an instance. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "toe/tcp_state.hpp"

namespace toe::sim {

struct LwipPeerConfig {
  uint32_t local_ip = 0x0A000001;  // 10.0.0.1 (host order); the netif is /24, default route
  // MSS lwIP advertises and its send-MSS cap. lwIP's TCP_MSS (1460) is the compile-time
  // ceiling; a smaller value is applied through the interface MTU (mss + 40). 64..1460.
  uint16_t mss = 1460;
};

// What the peer does with each connection (same meanings as toe_sim --app).
//  kEcho    sends back every byte it receives; received bytes are tcp_recved() as they
//           are handed to tcp_write(), so a peer that does not read sees lwIP's receive
//           window close (back-pressure); closes its side once the peer has closed its
//           and every echoed byte is queued.
//  kDiscard reads and drops (counted in bytes_received()); closes once the peer has.
//  kSource  sends source_bytes bytes of the pattern byte[i] = (i*7 + 3) & 0xff, i counted
//           from 0 at the first byte of the connection, then closes (tcp_close);
//           incoming data is read and dropped (counted).
//  kManual  nothing automatic: bytes are kept for take_received(), and lwIP's window is
//           reopened (tcp_recved) only when take_received() takes them; send()/close()
//           are the test's. A FIN only sets peer_closed().
enum class PeerApp { kEcho, kDiscard, kSource, kManual };

// byte i of a kSource stream
constexpr uint8_t source_pattern_byte(uint64_t i) { return static_cast<uint8_t>((i * 7 + 3) & 0xff); }

// How lwIP ended a connection (its err callback), if it did.
enum class PeerError { kNone, kReset /*ERR_RST: RST received*/, kAborted /*ERR_ABRT: tcp_abort,
  retransmission limit, or lwIP out of memory*/, kClosed /*ERR_CLSD*/ };

// lwIP's send/receive variables of one connection, named as in RFC 9293.
struct PeerTcb {
  uint32_t snd_una = 0;     // pcb->lastack
  uint32_t snd_nxt = 0;     // pcb->snd_nxt
  uint32_t snd_wnd = 0;     // pcb->snd_wnd (the peer's advertised window)
  uint32_t rcv_nxt = 0;     // pcb->rcv_nxt
  uint32_t rcv_wnd = 0;     // pcb->rcv_wnd (lwIP's free receive space)
  uint32_t iss = 0;         // ISN lwIP chose (recorded when the pcb was created)
  uint32_t rcv_ann_wnd = 0; // pcb->rcv_ann_wnd (the window lwIP advertises)
  uint16_t mss = 0;         // pcb->mss (effective send MSS)
  bool valid = false;       // false once lwIP freed the pcb (all other fields 0)
};

class LwipPeer {
 public:
  explicit LwipPeer(const LwipPeerConfig& cfg = {});
  ~LwipPeer();
  LwipPeer(const LwipPeer&) = delete;
  LwipPeer& operator=(const LwipPeer&) = delete;

  // ---- packets and time ------------------------------------------------------------
  // Injects one IPv4 packet (no link header) at the current virtual time. Packets lwIP
  // rejects are simply dropped, as lwIP drops them. Empty or > 65535-byte input, or no
  // free pbuf, is counted in input_drops() and not passed to lwIP.
  void input(const uint8_t* ip_packet, size_t len);
  void input(const std::vector<uint8_t>& ip_packet) { input(ip_packet.data(), ip_packet.size()); }
  // IPv4 packets lwIP emitted since the last call, in order.
  std::vector<std::vector<uint8_t>> take_output();
  // Advances virtual time to now_ns (no-op if earlier than now_ns()), running every
  // lwIP timer that falls due on the way at its own due time (ms resolution).
  void advance_to(uint64_t now_ns);
  uint64_t now_ns() const;
  // Virtual time in ns of the next lwIP timer, or UINT64_MAX if none is pending.
  uint64_t next_timer_ns() const;
  uint64_t input_drops() const;

  // ---- opening ---------------------------------------------------------------------------
  // tcp_listen on local_ip:port. Returns a listener id, or -1 if lwIP refused (port in use,
  // out of memory).
  int listen(uint16_t port, PeerApp app, size_t source_bytes = 0);
  void close_listener(int listener);
  // Active open to remote_ip:remote_port from local_port (0: lwIP's ephemeral port).
  // Returns a connection id (the SYN is in take_output()), or -1 if lwIP refused.
  int connect(uint32_t remote_ip, uint16_t remote_port, uint16_t local_port, PeerApp app,
              size_t source_bytes = 0);

  // ---- connections -----------------------------------------------------------------------
  // Every connection id, in creation order: active opens, and passive ones from the moment
  // lwIP created their pcb (SYN_RECEIVED), before accept.
  std::vector<int> connections() const;
  // Connections lwIP's accept callback delivered for this listener, in order.
  std::vector<int> accepted(int listener) const;
  toe::TcpState state(int conn) const;  // CLOSED once lwIP freed the pcb
  // Every state the connection was seen in, in order, without consecutive repeats, sampled
  // at creation and after every input(), timer step, and API call; ends with CLOSED once
  // the pcb is freed.
  std::vector<toe::TcpState> state_log(int conn) const;
  PeerTcb tcb(int conn) const;
  uint16_t local_port(int conn) const;
  uint16_t remote_port(int conn) const;
  uint32_t remote_ip(int conn) const;

  // Queues as much as lwIP takes (tcp_write copy + tcp_output); returns the byte count.
  size_t send(int conn, const uint8_t* data, size_t len);
  size_t send(int conn, const std::vector<uint8_t>& data) { return send(conn, data.data(), data.size()); }
  size_t send_space(int conn) const;  // tcp_sndbuf()
  // Bytes delivered to the application and not yet taken (kManual only; other apps keep
  // none). For kManual this is also when lwIP's receive window reopens (tcp_recved).
  std::vector<uint8_t> take_received(int conn);
  uint64_t bytes_received(int conn) const;  // all bytes delivered to the app, any app
  uint64_t bytes_sent(int conn) const;      // all bytes the app handed to tcp_write
  bool peer_closed(int conn) const;         // FIN delivered (recv callback with NULL pbuf)

  // tcp_close: full close as in close(2) (lwIP sends RST instead of FIN if received data
  // was not consumed; data arriving afterwards is answered with RST).
  void close(int conn);
  // tcp_shutdown(tx only): FIN after queued data, receiving continues.
  void shutdown_tx(int conn);
  void abort(int conn);  // tcp_abort: RST, pcb freed (was_reset() becomes true)
  bool was_reset(int conn) const;  // err callback with ERR_RST or ERR_ABRT
  PeerError error(int conn) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace toe::sim
