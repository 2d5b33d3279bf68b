// SPDX-License-Identifier: Apache-2.0
// HostApp: the host side of the platform tests over the host register port (see host_app.hpp).
#include "host_app.hpp"

#include <algorithm>
#include <cstring>

#include "toe_defs.h"
#include "toe_regs.h"

namespace toe::platform_test {

namespace {
constexpr uint32_t kChunk = 2048;  // bytes moved per connection per pass
}  // namespace

HostApp::HostApp(TlmInitiator& cpu, uint32_t tx_buf_bytes) : cpu_(cpu), tx_buf_(tx_buf_bytes) {}

void HostApp::listen(uint16_t port, Role role) {
  listen_role_[port] = role;
  cpu_.wr(TOE_REG_CMD_PORTS_OFFSET, port);
  command(0, TOE_CMD_LISTEN, 0);
}

uint32_t HostApp::connect(uint32_t ip, uint16_t port, uint16_t lport, const net::MacAddr& mac, Role role,
                          uint64_t source_bytes) {
  const uint32_t tag = next_tag_++;
  Conn c;
  c.role = role;
  c.source_left = source_bytes;
  pending_[tag] = c;
  const auto& m = mac.b;
  cpu_.wr(TOE_REG_CMD_IP_OFFSET, ip);
  cpu_.wr(TOE_REG_CMD_PORTS_OFFSET, uint32_t(lport) << TOE_REG_CMD_PORTS_LPORT_LSB | port);
  cpu_.wr(TOE_REG_CMD_MAC_LO_OFFSET, uint32_t(m[2]) << 24 | uint32_t(m[3]) << 16 | uint32_t(m[4]) << 8 | m[5]);
  cpu_.wr(TOE_REG_CMD_MAC_HI_OFFSET, uint32_t(m[0]) << 8 | m[1]);
  cpu_.wr(TOE_REG_CMD_TAG_OFFSET, tag);
  command(0, TOE_CMD_CONNECT, 0);
  return tag;
}

size_t HostApp::finished() const {
  size_t n = 0;
  for (const auto& [id, c] : conns_) n += (c.closed || c.reset || c.timed_out) ? 1 : 0;
  return n;
}

void HostApp::select(uint32_t conn) {
  if (conn == selected_) return;
  cpu_.wr(TOE_REG_CONN_SEL_OFFSET, conn);
  selected_ = conn;
}

void HostApp::command(uint32_t conn, uint32_t op, uint32_t value) {
  if ((TOE_CMD_CONN_MASK >> op) & 1u) select(conn);
  if (op == TOE_CMD_TX_PUSH || op == TOE_CMD_RX_CONSUME) cpu_.wr(TOE_REG_CMD_VALUE_OFFSET, value);
  // The command queue may be full for a moment: wait for room (CMD_STATUS), never drop.
  for (;;) {
    const uint32_t st = cpu_.rd(TOE_REG_CMD_STATUS_OFFSET);
    const uint32_t pending = (st & TOE_REG_CMD_STATUS_PENDING_MASK) >> TOE_REG_CMD_STATUS_PENDING_LSB;
    const uint32_t depth = (st & TOE_REG_CMD_STATUS_DEPTH_MASK) >> TOE_REG_CMD_STATUS_DEPTH_LSB;
    if (pending < depth) break;
  }
  cpu_.wr(TOE_REG_CMD_OFFSET, op);
}

bool HostApp::dmi_copy(bool tx, uint32_t woff, uint8_t* data, uint32_t n) {
  const uint64_t base = tx ? TOE_REG_TX_WINDOW_BASE : TOE_REG_RX_WINDOW_BASE;
  sc_core::sc_time latency = sc_core::SC_ZERO_TIME;
  for (uint32_t done = 0; done < n;) {
    tlm::tlm_dmi dmi;
    const uint64_t a = base + woff + done;
    if (!cpu_.get_dmi(a, dmi) || !(tx ? dmi.is_write_allowed() : dmi.is_read_allowed())) return false;
    const uint64_t avail = dmi.get_end_address() - a + 1;
    const uint32_t k = uint32_t(std::min<uint64_t>(avail, n - done));
    unsigned char* p = dmi.get_dmi_ptr() + (a - dmi.get_start_address());
    if (tx)
      std::copy_n(data + done, k, p);
    else
      std::copy_n(p, k, data + done);
    latency += (tx ? dmi.get_write_latency() : dmi.get_read_latency()) * double((k + 3) / 4);
    done += k;
  }
  ++dmi_copies_;
  cpu_.advance(latency);
  return true;
}

void HostApp::read_rx(uint32_t conn, uint32_t from, uint8_t* dst, uint32_t n) {
  select(conn);
  cpu_.wr(TOE_REG_RX_WIN_BASE_OFFSET, from & ~3u);
  const uint32_t lead = from & 3u;
  if (dmi_ && dmi_copy(false, lead, dst, n)) return;
  for (uint32_t w = 0; w < lead + n; w += 4) {
    const uint32_t v = cpu_.rd(TOE_REG_RX_WINDOW_BASE + w);
    for (uint32_t i = 0; i < 4; ++i) {
      if (w + i >= lead && w + i < lead + n) dst[w + i - lead] = uint8_t(v >> (8 * i));
    }
  }
}

void HostApp::write_tx(uint32_t conn, uint32_t at, const uint8_t* src, uint32_t n) {
  select(conn);
  cpu_.wr(TOE_REG_TX_WIN_BASE_OFFSET, at & ~3u);
  const uint32_t lead = at & 3u;
  if (dmi_ && dmi_copy(true, lead, const_cast<uint8_t*>(src), n)) return;
  for (uint32_t w = 0; w < lead + n; w += 4) {
    uint32_t v = 0;
    uint8_t lanes = 0;
    for (uint32_t i = 0; i < 4; ++i) {
      if (w + i < lead || w + i >= lead + n) continue;
      v |= uint32_t(src[w + i - lead]) << (8 * i);
      lanes = uint8_t(lanes | (1u << i));
    }
    cpu_.wr_lanes(TOE_REG_TX_WINDOW_BASE + w, v, lanes);
  }
}

bool HostApp::poll() {
  bool did = false;
  while ((cpu_.rd(TOE_REG_EVQ_STATUS_OFFSET) & TOE_REG_EVQ_STATUS_COUNT_MASK) != 0) {
    const uint32_t ev = cpu_.rd(TOE_REG_EVQ_EVENT_OFFSET);
    const uint32_t conn = cpu_.rd(TOE_REG_EVQ_CONN_OFFSET);
    const uint32_t value = cpu_.rd(TOE_REG_EVQ_VALUE_OFFSET);
    cpu_.wr(TOE_REG_EVQ_POP_OFFSET, TOE_REG_EVQ_POP_POP_MASK);
    handle(ev & TOE_REG_EVQ_EVENT_EVT_MASK, conn, value,
           uint16_t((ev & TOE_REG_EVQ_EVENT_LPORT_MASK) >> TOE_REG_EVQ_EVENT_LPORT_LSB));
    ++events_;
    did = true;
  }
  for (auto& [id, c] : conns_) did = serve(id, c) || did;
  return did;
}

void HostApp::handle(uint32_t type, uint32_t conn, uint32_t value, uint16_t lport) {
  if (on_event) on_event(type, conn, value);
  switch (type) {
    case TOE_EVT_OPENED: {  // the connection allocated for an active open (value: the tag)
      auto it = pending_.find(value);
      if (it == pending_.end()) return;
      conns_[conn] = it->second;
      pending_.erase(it);
      return;
    }
    case TOE_EVT_ACCEPTED: {
      Conn c;
      const auto r = listen_role_.find(lport);
      c.role = r == listen_role_.end() ? Role::kSink : r->second;
      const auto s = listen_source_.find(lport);
      if (s != listen_source_.end()) c.source_left = s->second;
      c.opened = true;
      conns_[conn] = c;
      return;
    }
    case TOE_EVT_CONNECT_FAILED:
      ++connect_failures_;
      return;
    default:
      break;
  }
  auto it = conns_.find(conn);
  if (it == conns_.end()) return;
  Conn& c = it->second;
  switch (type) {
    case TOE_EVT_CONNECTED: c.opened = true; break;
    case TOE_EVT_DATA: c.rx_wr = value; break;
    case TOE_EVT_ACKED: c.acked = value; break;
    case TOE_EVT_PEER_CLOSED: c.peer_closed = true; break;
    case TOE_EVT_CLOSED: c.closed = true; break;
    case TOE_EVT_RESET: c.reset = true; break;
    case TOE_EVT_TIMED_OUT: c.timed_out = true; break;
    default: break;
  }
}

bool HostApp::serve(uint32_t id, Conn& c) {
  if (!c.opened || c.closed || c.reset || c.timed_out) return false;
  bool did = false;
  uint8_t buf[kChunk];
  const uint32_t space = tx_buf_ - (c.tx_wr - c.acked);
  const uint32_t pending = c.rx_wr - c.rx_rd;
  if (c.role == Role::kEcho) {
    const uint32_t n = std::min({pending, space, kChunk});
    if (n > 0) {
      read_rx(id, c.rx_rd, buf, n);
      write_tx(id, c.tx_wr, buf, n);
      c.rx_rd += n;
      c.tx_wr += n;
      c.echoed += n;
      command(id, TOE_CMD_RX_CONSUME, c.rx_rd);
      command(id, TOE_CMD_TX_PUSH, c.tx_wr);
      did = true;
    }
    if (c.peer_closed && c.rx_rd == c.rx_wr && !c.close_sent) {
      command(id, TOE_CMD_CLOSE, 0);
      c.close_sent = true;
      did = true;
    }
    return did;
  }
  if (pending > 0) {  // kSink, kSource: keep what arrives
    const uint32_t n = std::min(pending, kChunk);
    read_rx(id, c.rx_rd, buf, n);
    if (check_pattern_) {
      // The pattern repeats every 256 bytes: one comparison against a table at the offset.
      static const std::vector<uint8_t> table = [] {
        std::vector<uint8_t> t(256 + kChunk);
        for (size_t i = 0; i < t.size(); ++i) t[i] = pattern(i);
        return t;
      }();
      if (c.mismatch_at == ~uint64_t(0) && std::memcmp(buf, &table[c.received_bytes % 256], n) != 0) {
        for (uint32_t i = 0; i < n; ++i) {
          if (buf[i] != pattern(c.received_bytes + i)) {
            c.mismatch_at = c.received_bytes + i;
            break;
          }
        }
      }
    } else {
      c.received.insert(c.received.end(), buf, buf + n);
    }
    c.received_bytes += n;
    c.rx_rd += n;
    command(id, TOE_CMD_RX_CONSUME, c.rx_rd);
    did = true;
  }
  if (c.role == Role::kSource && c.source_left > 0) {
    const uint32_t n = uint32_t(std::min<uint64_t>({c.source_left, space, kChunk}));
    if (n > 0) {
      for (uint32_t i = 0; i < n; ++i) buf[i] = pattern(c.source_sent + i);
      write_tx(id, c.tx_wr, buf, n);
      c.tx_wr += n;
      c.source_sent += n;
      c.source_left -= n;
      command(id, TOE_CMD_TX_PUSH, c.tx_wr);
      did = true;
    }
  }
  const bool done_sending = c.role != Role::kSource || c.source_left == 0;
  if (!c.close_sent && done_sending && c.rx_rd == c.rx_wr && (c.role == Role::kSource || c.peer_closed)) {
    command(id, TOE_CMD_CLOSE, 0);
    c.close_sent = true;
    did = true;
  }
  return did;
}

}  // namespace toe::platform_test
