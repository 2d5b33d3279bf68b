// SPDX-License-Identifier: Apache-2.0
// toe::toesim::HttpSession: the protocol side of DriverApps' `http` app, a small HTTP/1.1 server
// on one connection, independent of the driver (bytes in, bytes out), so it can be tested alone.
//
//   GET /bytes/N   200, Content-Length N, N bytes of the pattern (byte i = (i*7+3) mod 256,
//                  pattern_byte), generated as sent (a 10 MB body needs no 10 MB buffer)
//   GET /          200, a text/plain page: what page() returns (the engine's counters)
//   HEAD           the same headers, no body
//   other targets  404; other methods 405 (Allow: GET, HEAD); both keep the connection
//   bad requests   400 and the connection closes: a request line that is not METHOD SP TARGET SP
//                  HTTP/1.x, a header line without a colon, HTTP/1.1 without Host, a bad or
//                  repeated Content-Length, Transfer-Encoding, a head over 16 KiB, an N that is
//                  not a decimal number below 2^40
// Requests may come in any pieces (split across segments) and several at once (pipelined):
// feed() parses every complete one and queues its response in order; a request body
// (Content-Length) is skipped. Keep-alive is HTTP/1.1's default; `Connection: close` (or
// HTTP/1.0 without `Connection: keep-alive`) closes after that response, and later requests are
// not answered. Lines may end in CRLF or LF.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>

namespace toe::toesim {

class HttpSession {
 public:
  explicit HttpSession(std::function<std::string()> page = {}) : page_(std::move(page)) {}

  // Bytes received; parses every complete request (while want_input()).
  void feed(const uint8_t* data, size_t n);
  // The peer closed its side: a partial request is dropped; close once the output is sent.
  void peer_closed() { peer_closed_ = true; }
  // Whether to read more: false after a closing response, or while 32 responses wait.
  bool want_input() const { return !closing_ && out_.size() < 32; }

  // Output not yet consumed: copies up to cap bytes of it into buf, returns how many (0: none).
  size_t peek(uint8_t* buf, size_t cap) const;
  void consume(size_t n);
  bool has_output() const { return !out_.empty(); }
  // Time to shut down (FIN): the output is all consumed and a response said close, or the peer
  // closed.
  bool finished() const { return out_.empty() && (closing_ || peer_closed_); }
  // Stop answering further requests (the app is shutting down): close after what is queued.
  void stop() { closing_ = true; }

  uint64_t requests() const { return requests_; }
  uint64_t bad_requests() const { return bad_; }

 private:
  struct Response {
    std::string head;
    std::string body;          // when !pattern
    uint64_t pattern_len = 0;  // when pattern
    bool pattern = false;
    uint64_t off = 0;  // bytes of head + body consumed
    uint64_t size() const { return head.size() + (pattern ? pattern_len : body.size()); }
  };
  bool parse_one();  // one request from in_; false when none is complete
  void respond(int status, const char* reason, const std::string& body, bool close, bool head_only,
               const std::string& extra = "");

  std::function<std::string()> page_;
  std::string in_;
  uint64_t skip_ = 0;  // request body bytes still to skip
  std::deque<Response> out_;
  bool closing_ = false, peer_closed_ = false;
  uint64_t requests_ = 0, bad_ = 0;
};

}  // namespace toe::toesim
