// SPDX-License-Identifier: Apache-2.0
// toe::toesim::DriverApps: small applications on the host driver (host_driver/, toe_driver.h),
// many connections served by one thread with non-blocking calls, as a host program on the real
// device would: the demo's echo server and clients, later `toe_sim tap`'s APPs.
//
//   echo        writes back what it reads; shuts down (FIN) once the peer has closed and all is echoed
//   discard     reads and drops; shuts down once the peer has closed
//   source:N    sends N bytes of the pattern (byte i = (i*7+3) mod 256), then shuts down; reads and
//               drops what arrives
//   check:N     sends N bytes of the pattern and expects them back (an echo server at the other
//               end); every byte compared; shuts down once all N are back
//   abort:N     like echo, but aborts (RST) once it has read N bytes
//   http        a small HTTP/1.1 server (http_session.hpp): GET /bytes/N, GET / (the engine's
//               counters, read through the host registers), keep-alive, pipelining; shuts down
//               after a closing response or once the peer has closed and all is answered
//
// A connection is done when the device has freed it (event closed), the peer reset it, it timed
// out, or a call failed; a refused connect is done at once. step() makes one pass over
// everything (accepts, connects, sends, receives) and says whether anything moved; run() loops
// until every expected connection is done, sleeping on the device's interrupt when nothing moved.
// No call blocks except run()'s wait, so one slow connection never holds the others.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "http_session.hpp"

#include "toe/toe_driver.h"

namespace toe::toesim {

constexpr uint8_t pattern_byte(uint64_t i) { return static_cast<uint8_t>((i * 7 + 3) & 0xff); }

struct AppSpec {
  enum class Kind { kEcho, kDiscard, kSource, kCheck, kAbort, kHttp };
  Kind kind = Kind::kEcho;
  uint64_t bytes = 0;  // source / check / abort
  // "echo", "discard", "source:N", "check:N", "abort:N", "http"; throws std::invalid_argument naming
  // the text for anything else.
  static AppSpec parse(const std::string& text);
  std::string str() const;
};

struct AppConn {
  enum class Outcome { kOpen, kClosed, kReset, kRefused, kTimedOut, kAborted, kFailed };
  uint32_t conn = UINT32_MAX;  // the engine's session (UINT32_MAX: a connect that never opened)
  bool passive = false;        // accepted (server) or connected (client)
  uint16_t lport = 0, rport = 0;
  uint32_t rip = 0;
  AppSpec app;
  uint64_t bytes_in = 0, bytes_out = 0;  // read from / written to the driver
  uint64_t mismatches = 0;               // check: bytes that differed from the pattern
  uint64_t t_open_us = 0, t_done_us = 0;  // transport time
  Outcome outcome = Outcome::kOpen;
  toe_result_t error = TOE_OK;  // the call that failed (kFailed), else TOE_OK
  bool eof = false, shut = false;
  std::vector<uint8_t> pending;  // echo: read, not yet written back
  size_t pending_off = 0;
  uint32_t connect_tag = 0;  // an active open not yet established
  std::shared_ptr<HttpSession> http;  // http: the protocol state
  bool done() const { return outcome != Outcome::kOpen; }
  // check:N: every byte came back equal; others: no failed call and not reset.
  bool ok() const;
};

const char* outcome_name(AppConn::Outcome o);

class DriverApps {
 public:
  explicit DriverApps(toe_dev_t& dev) : dev_(dev) {}

  // toe_listen; accepted connections run `app`.
  toe_result_t listen(uint16_t port, const AppSpec& app);
  // toe_connect_start; the connection runs `app` once established.
  toe_result_t connect(const toe_connect_params_t& params, const AppSpec& app);
  // Shut every connection down (FIN) once what it holds is written (echo's pending bytes, http's
  // queued responses; source stops sending), stop listening (toe_unlisten) and accepting, cancel
  // pending connects. step() then runs them to their end.
  void shutdown_all();
  bool shutting_down() const { return shutting_; }
  // The engine's counters (CNT_*, read through the host registers), "name value" lines: http's
  // GET / page.
  std::string counters_page();
  // Connections still to be accepted before run() may return.
  void expect_accepts(size_t n) { expected_accepts_ += n; }

  // One pass; true when anything moved (a byte, an accept, a state).
  bool step();
  // step() until every connection is done and the expected accepts came, or the transport's
  // clock reaches deadline_us; returns whether all finished.
  bool run(uint64_t deadline_us);

  const std::vector<AppConn>& conns() const { return conns_; }
  toe_result_t error() const { return error_; }  // a listener or accept that failed

 private:
  bool serve(AppConn& c);
  void finish(AppConn& c, AppConn::Outcome o, toe_result_t error = TOE_OK);
  uint64_t now() const { return dev_.mmio.now_us(dev_.mmio.ctx); }

  struct Listener {
    uint16_t port;
    AppSpec app;
  };
  toe_dev_t& dev_;
  std::vector<Listener> listeners_;
  std::vector<AppConn> conns_;
  size_t expected_accepts_ = 0, accepted_ = 0;
  toe_result_t error_ = TOE_OK;
  bool shutting_ = false;
  std::vector<uint8_t> buf_ = std::vector<uint8_t>(8192);
};

}  // namespace toe::toesim
