// SPDX-License-Identifier: Apache-2.0
// toe::platform_test::HostApp: the host side of the platform tests, through the device's host
// register port only (what the C driver of the driver issue will do, written here in C++ for the
// tests): a poll loop over the host event queue (EVQ_*) and, per connection, the buffer windows
// (RX_WINDOW / TX_WINDOW with RX_WIN_BASE / TX_WIN_BASE at the running pointers) and the commands
// rx_consume / tx_push / close issued through CMD.
//
// Roles, per listening port or per active open:
//   kEcho    writes back every byte it reads (as transmit space allows); closes once the peer
//            has closed and everything read has been pushed;
//   kSink    reads and keeps every byte (received); closes once the peer has closed;
//   kSource  sends source_bytes bytes of the pattern byte i = (i*7 + 3) & 0xff, then closes;
//            keeps every byte it receives (received), as kSink.
// Every register access is blocking (TlmInitiator::rd/wr: the caller's thread waits for the
// annotated delay), so simulated time runs while the host works, as on a real CPU.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "tlm_bench.hpp"

namespace toe::platform_test {

class HostApp {
 public:
  enum class Role { kEcho, kSink, kSource };

  struct Conn {
    Role role = Role::kSink;
    uint64_t source_left = 0, source_sent = 0;
    uint32_t rx_rd = 0, rx_wr = 0;     // bytes consumed / delivered (mod 2^32)
    uint32_t tx_wr = 0, acked = 0;     // bytes pushed / acknowledged (mod 2^32)
    bool opened = false;               // accepted or connected
    bool peer_closed = false, close_sent = false;
    bool closed = false, reset = false, timed_out = false;
    std::vector<uint8_t> received;     // kSink, kSource (unless check_pattern)
    uint64_t received_bytes = 0;       // every byte read, kept or not
    uint64_t mismatch_at = ~uint64_t(0);  // check_pattern: the first byte that differs (none: ~0)
    uint64_t echoed = 0;               // kEcho
  };

  // tx_buf_bytes: the device's TxBufBytes (the transmit space is tx_buf_bytes - (tx_wr - acked)).
  HostApp(TlmInitiator& cpu, uint32_t tx_buf_bytes);

  void listen(uint16_t port, Role role);
  // Active open; the connection appears in conns() once event opened names it. Returns the tag.
  uint32_t connect(uint32_t ip, uint16_t port, uint16_t lport, const net::MacAddr& mac, Role role,
                   uint64_t source_bytes = 0);
  // For an accepted connection of a kSource listener.
  void set_source_bytes(uint16_t listen_port, uint64_t n) { listen_source_[listen_port] = n; }

  // One pass: every event in the host queue taken, every connection served. True if anything
  // happened (an event, a byte moved, a command issued).
  bool poll();

  // Called with every event taken from the host queue (e.g. SlowPathTimers::host_event: the
  // firmware's timers restart on acked).
  std::function<void(uint32_t type, uint32_t conn, uint32_t value)> on_event;

  const std::map<uint32_t, Conn>& conns() const { return conns_; }
  uint64_t events() const { return events_; }
  // Copy through the buffer windows by DMI (DeviceTlm grants it with the model behind it) instead
  // of one bus access per word; a denied grant falls back to the bus. Off by default.
  void use_dmi(bool on) { dmi_ = on; }
  // Keep every byte read in Conn::received (the default), or (on) check each against the
  // kSource pattern, byte i = pattern(i), without keeping it: a long transfer checked byte for
  // byte without holding it in memory (received_bytes, mismatch_at).
  void check_pattern(bool on) { check_pattern_ = on; }
  static uint8_t pattern(uint64_t i) { return uint8_t((i * 7 + 3) & 0xFF); }
  uint64_t dmi_copies() const { return dmi_copies_; }
  // Connections that ended (closed, reset or timed out).
  size_t finished() const;
  // Connections whose connect failed (event connect_failed), by tag.
  size_t connect_failures() const { return connect_failures_; }

 private:
  void handle(uint32_t type, uint32_t conn, uint32_t value, uint16_t lport);
  bool serve(uint32_t id, Conn& c);
  void command(uint32_t conn, uint32_t op, uint32_t value);
  // n bytes of the receive buffer from rx_rd / into the transmit buffer at tx_wr, by words.
  void read_rx(uint32_t conn, uint32_t from, uint8_t* dst, uint32_t n);
  void write_tx(uint32_t conn, uint32_t at, const uint8_t* src, uint32_t n);
  void select(uint32_t conn);
  // n bytes at window offset woff of the transmit (tx: from data) or receive window (into data)
  // by DMI, each linear piece the device grants, then wait its latency; false if denied.
  bool dmi_copy(bool tx, uint32_t woff, uint8_t* data, uint32_t n);

  TlmInitiator& cpu_;
  uint32_t tx_buf_;
  uint32_t next_tag_ = 1;
  uint32_t selected_ = ~0u;
  uint64_t events_ = 0;
  bool dmi_ = false;
  bool check_pattern_ = false;
  uint64_t dmi_copies_ = 0;
  size_t connect_failures_ = 0;
  std::map<uint16_t, Role> listen_role_;
  std::map<uint16_t, uint64_t> listen_source_;
  std::map<uint32_t, Conn> pending_;  // by tag: active opens not yet opened
  std::map<uint32_t, Conn> conns_;    // by connection
};

}  // namespace toe::platform_test
