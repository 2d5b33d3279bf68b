// SPDX-License-Identifier: Apache-2.0
// DriverApps: applications on the host driver (see driver_apps.hpp).
#include "driver_apps.hpp"

#include <algorithm>
#include <stdexcept>

#include "toe_defs.h"
#include "toe_regs.h"

namespace toe::toesim {

AppSpec AppSpec::parse(const std::string& text) {
  AppSpec a;
  const size_t colon = text.find(':');
  const std::string name = text.substr(0, colon);
  const bool sized = name == "source" || name == "check" || name == "abort";
  if (name == "echo") {
    a.kind = Kind::kEcho;
  } else if (name == "discard") {
    a.kind = Kind::kDiscard;
  } else if (name == "source") {
    a.kind = Kind::kSource;
  } else if (name == "check") {
    a.kind = Kind::kCheck;
  } else if (name == "abort") {
    a.kind = Kind::kAbort;
  } else if (name == "http") {
    a.kind = Kind::kHttp;
  } else {
    throw std::invalid_argument("'" + text + "' is not an app (expected echo, discard, http, source:N, check:N or abort:N)");
  }
  if (sized != (colon != std::string::npos))
    throw std::invalid_argument("'" + text + "': " + name + (sized ? " needs a byte count (" + name + ":N)" : " takes no count"));
  if (sized) {
    const std::string n = text.substr(colon + 1);
    if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos || n.size() > 15)
      throw std::invalid_argument("'" + text + "': the byte count must be a decimal number");
    a.bytes = std::stoull(n);
  }
  return a;
}

std::string AppSpec::str() const {
  switch (kind) {
    case Kind::kEcho: return "echo";
    case Kind::kDiscard: return "discard";
    case Kind::kSource: return "source:" + std::to_string(bytes);
    case Kind::kCheck: return "check:" + std::to_string(bytes);
    case Kind::kAbort: return "abort:" + std::to_string(bytes);
    case Kind::kHttp: return "http";
  }
  return "?";
}

const char* outcome_name(AppConn::Outcome o) {
  switch (o) {
    case AppConn::Outcome::kOpen: return "open";
    case AppConn::Outcome::kClosed: return "closed";
    case AppConn::Outcome::kReset: return "reset";
    case AppConn::Outcome::kRefused: return "refused";
    case AppConn::Outcome::kTimedOut: return "timed out";
    case AppConn::Outcome::kAborted: return "aborted";
    case AppConn::Outcome::kFailed: return "failed";
  }
  return "?";
}

bool AppConn::ok() const {
  if (error != TOE_OK) return false;
  switch (app.kind) {
    case AppSpec::Kind::kCheck:
      return outcome == Outcome::kClosed && bytes_in == app.bytes && bytes_out == app.bytes && mismatches == 0;
    case AppSpec::Kind::kSource: return outcome == Outcome::kClosed && bytes_out == app.bytes;
    case AppSpec::Kind::kAbort: return outcome == Outcome::kAborted && bytes_in >= app.bytes;
    case AppSpec::Kind::kEcho: return outcome == Outcome::kClosed && bytes_out == bytes_in;
    case AppSpec::Kind::kDiscard: return outcome == Outcome::kClosed;
    case AppSpec::Kind::kHttp: return outcome == Outcome::kClosed;
  }
  return false;
}

toe_result_t DriverApps::listen(uint16_t port, const AppSpec& app) {
  const toe_result_t r = toe_listen(&dev_, port);
  if (r == TOE_OK) listeners_.push_back(Listener{port, app});
  return r;
}

toe_result_t DriverApps::connect(const toe_connect_params_t& params, const AppSpec& app) {
  AppConn c;
  c.app = app;
  c.lport = params.lport;
  c.rport = params.port;
  c.rip = params.ipv4;
  c.t_open_us = now();
  if (c.app.kind == AppSpec::Kind::kHttp) c.http = std::make_shared<HttpSession>([this] { return counters_page(); });
  const toe_result_t r = toe_connect_start(&dev_, &params, &c.connect_tag);
  if (r != TOE_OK) {
    c.error = r;
    c.outcome = AppConn::Outcome::kFailed;
    c.t_done_us = c.t_open_us;
  }
  conns_.push_back(c);
  return r;
}

void DriverApps::finish(AppConn& c, AppConn::Outcome o, toe_result_t error) {
  c.outcome = o;
  c.error = error;
  c.t_done_us = now();
}

// One connection's work; true when anything moved.
bool DriverApps::serve(AppConn& c) {
  using K = AppSpec::Kind;
  bool moved = false;
  if (c.connect_tag != 0) {
    uint32_t conn = UINT32_MAX;
    const toe_result_t r = toe_connect_wait(&dev_, c.connect_tag, 0, &conn);
    if (r == TOE_WOULD_BLOCK) return false;
    c.connect_tag = 0;
    if (r == TOE_REFUSED) {
      finish(c, AppConn::Outcome::kRefused);
      return true;
    }
    if (r == TOE_CONN_TIMED_OUT) {
      finish(c, AppConn::Outcome::kTimedOut);
      return true;
    }
    if (r != TOE_OK) {
      finish(c, AppConn::Outcome::kFailed, r);
      return true;
    }
    c.conn = conn;
    moved = true;
  }
  const toe_conn_t& dc = dev_.conns[c.conn];
  auto failed = [&](toe_result_t r) {
    if (r == TOE_RESET) {
      finish(c, AppConn::Outcome::kReset);
    } else if (r == TOE_CONN_TIMED_OUT) {
      finish(c, AppConn::Outcome::kTimedOut);
    } else {
      finish(c, AppConn::Outcome::kFailed, r);
    }
  };
  // Send: echo's pending bytes, or the pattern of source / check.
  const bool sends_pattern = c.app.kind == K::kSource || c.app.kind == K::kCheck;
  if (!c.shut && !shutting_ && sends_pattern && c.bytes_out < c.app.bytes) {
    uint8_t chunk[2048];
    const size_t n = size_t(std::min<uint64_t>(sizeof chunk, c.app.bytes - c.bytes_out));
    for (size_t i = 0; i < n; ++i) chunk[i] = pattern_byte(c.bytes_out + i);
    size_t sent = 0;
    const toe_result_t r = toe_send(&dev_, c.conn, chunk, n, 0, &sent);
    if (r != TOE_OK && r != TOE_WOULD_BLOCK) {
      failed(r);
      return true;
    }
    c.bytes_out += sent;
    moved = moved || sent > 0;
  }
  if (!c.shut && c.pending_off < c.pending.size()) {
    size_t sent = 0;
    const toe_result_t r =
        toe_send(&dev_, c.conn, c.pending.data() + c.pending_off, c.pending.size() - c.pending_off, 0, &sent);
    if (r != TOE_OK && r != TOE_WOULD_BLOCK) {
      failed(r);
      return true;
    }
    c.pending_off += sent;
    c.bytes_out += sent;
    moved = moved || sent > 0;
  }
  if (c.app.kind == K::kHttp && !c.shut) {
    for (int round = 0; round < 8 && c.http->has_output(); ++round) {
      const size_t n = c.http->peek(buf_.data(), buf_.size());
      size_t sent = 0;
      const toe_result_t r = toe_send(&dev_, c.conn, buf_.data(), n, 0, &sent);
      if (r != TOE_OK && r != TOE_WOULD_BLOCK) {
        failed(r);
        return true;
      }
      c.http->consume(sent);
      c.bytes_out += sent;
      moved = moved || sent > 0;
      if (sent < n) break;
    }
  }
  // Receive (echo only once what it holds is written back, so its memory stays bounded; http
  // while its session takes input, and after the shutdown to drain what still comes).
  const bool http_reads = c.app.kind != K::kHttp || c.shut || c.http->want_input();
  if (!c.eof && c.pending_off == c.pending.size() && http_reads) {
    size_t got = 0;
    const toe_result_t r = toe_recv(&dev_, c.conn, buf_.data(), buf_.size(), 0, &got);
    if (r == TOE_CLOSED) {
      c.eof = true;
      if (c.http) c.http->peer_closed();
      moved = true;
    } else if (r != TOE_OK && r != TOE_WOULD_BLOCK) {
      failed(r);
      return true;
    }
    if (got > 0) {
      moved = true;
      if (c.app.kind == K::kCheck) {
        for (size_t i = 0; i < got; ++i) c.mismatches += buf_[i] != pattern_byte(c.bytes_in + i) ? 1 : 0;
      }
      c.bytes_in += got;
      if (c.app.kind == K::kHttp && !c.shut) c.http->feed(buf_.data(), got);
      if ((c.app.kind == K::kEcho || c.app.kind == K::kAbort) && !c.shut) {  // after a shutdown: read and drop
        c.pending.assign(buf_.begin(), buf_.begin() + long(got));
        c.pending_off = 0;
      }
    }
  }
  if (c.app.kind == K::kAbort && c.bytes_in >= c.app.bytes) {
    const toe_result_t r = toe_abort(&dev_, c.conn);
    if (r != TOE_OK) {
      failed(r);
    } else {
      finish(c, AppConn::Outcome::kAborted);
    }
    return true;
  }
  // Half-close once this side has said everything.
  bool said_all = false;
  switch (c.app.kind) {
    case K::kEcho:
    case K::kDiscard: said_all = c.eof && c.pending_off == c.pending.size(); break;
    case K::kSource: said_all = c.bytes_out == c.app.bytes; break;
    case K::kCheck: said_all = c.bytes_in >= c.app.bytes || c.eof; break;
    case K::kAbort: said_all = c.eof && c.pending_off == c.pending.size(); break;
    case K::kHttp: said_all = c.http->finished(); break;
  }
  if (shutting_ && c.pending_off == c.pending.size() && (!c.http || !c.http->has_output())) said_all = true;
  if (said_all && !c.shut) {
    const toe_result_t r = toe_shutdown(&dev_, c.conn);
    if (r != TOE_OK) {
      failed(r);
      return true;
    }
    c.shut = true;
    moved = true;
  }
  if (dc.reset) {
    finish(c, AppConn::Outcome::kReset);
    return true;
  }
  if (dc.timed_out) {
    finish(c, AppConn::Outcome::kTimedOut);
    return true;
  }
  if (dc.closed) {
    finish(c, AppConn::Outcome::kClosed);
    return true;
  }
  return moved;
}

void DriverApps::shutdown_all() {
  if (shutting_) return;
  shutting_ = true;
  for (const Listener& l : listeners_) (void)toe_unlisten(&dev_, l.port);
  listeners_.clear();
  for (AppConn& c : conns_) {
    if (c.done()) continue;
    if (c.http) c.http->stop();
    if (c.connect_tag != 0 && toe_connect_cancel(&dev_, c.connect_tag) == TOE_OK) {
      c.connect_tag = 0;
      finish(c, AppConn::Outcome::kFailed, TOE_CLOSED);
    }
  }
}

std::string DriverApps::counters_page() {
  std::string page = "toecore engine counters (CNT_* registers, read by the host driver)\n";
  for (uint32_t i = 0; i < TOE_CNT_COUNT; ++i) {
    uint32_t v = 0;
    const bool ok = dev_.mmio.read32(dev_.mmio.ctx, TOE_REG_CNT_FRAMES_IN_OFFSET + 4 * i, &v) == TOE_BUS_OK;
    page += std::string(toe_cnt_names[i]) + " " + (ok ? std::to_string(v) : std::string("?")) + "\n";
  }
  uint64_t in = 0, out = 0;
  size_t open = 0;
  for (const AppConn& c : conns_) {
    in += c.bytes_in;
    out += c.bytes_out;
    open += c.done() ? 0 : 1;
  }
  page += "driver_connections " + std::to_string(conns_.size()) + "\ndriver_connections_open " + std::to_string(open) +
          "\ndriver_bytes_in " + std::to_string(in) + "\ndriver_bytes_out " + std::to_string(out) + "\n";
  return page;
}

bool DriverApps::step() {
  bool moved = false;
  for (const Listener& l : listeners_) {
    uint32_t conn = UINT32_MAX;
    toe_result_t r;
    while ((r = toe_accept(&dev_, l.port, 0, &conn)) == TOE_OK) {
      AppConn c;
      c.conn = conn;
      c.passive = true;
      c.app = l.app;
      c.lport = l.port;
      c.t_open_us = now();
      if (c.app.kind == AppSpec::Kind::kHttp) c.http = std::make_shared<HttpSession>([this] { return counters_page(); });
      toe_conn_info_t info{};
      if (toe_conn_info(&dev_, conn, &info) == TOE_OK) {
        c.rport = info.rport;
        c.rip = info.remote_ipv4;
      }
      conns_.push_back(c);
      ++accepted_;
      moved = true;
    }
    if (r != TOE_WOULD_BLOCK && error_ == TOE_OK) error_ = r;
  }
  for (AppConn& c : conns_) {
    if (!c.done()) moved = serve(c) || moved;
  }
  return moved;
}

bool DriverApps::run(uint64_t deadline_us) {
  for (;;) {
    const bool moved = step();
    const bool all_done =
        accepted_ >= expected_accepts_ && std::all_of(conns_.begin(), conns_.end(), [](const AppConn& c) { return c.done(); });
    if (all_done) return true;
    if (error_ != TOE_OK) return false;
    const uint64_t t = now();
    if (t >= deadline_us) return false;
    if (!moved) {
      const toe_result_t r = toe_wait_event(&dev_, uint32_t(std::min<uint64_t>(deadline_us - t, 100000)), nullptr);
      if (r != TOE_OK && r != TOE_TIMED_OUT) {
        error_ = r;
        return false;
      }
    }
  }
}

}  // namespace toe::toesim
