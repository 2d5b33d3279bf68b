// SPDX-License-Identifier: Apache-2.0
// HttpSession: DriverApps' http app, the protocol side (see http_session.hpp).
#include "http_session.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <vector>

#include "driver_apps.hpp"  // pattern_byte

namespace toe::toesim {

namespace {

constexpr size_t kMaxHead = 16 * 1024;
constexpr uint64_t kMaxBytes = uint64_t(1) << 40;

std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  const size_t b = s.find_last_not_of(" \t");
  return s.substr(a, b - a + 1);
}

bool decimal(const std::string& s, uint64_t limit, uint64_t* v) {
  if (s.empty() || s.size() > 15 || s.find_first_not_of("0123456789") != std::string::npos) return false;
  *v = std::stoull(s);
  return *v < limit;
}

// The end of the head (the blank line) in `in`: the index just past it, or npos.
size_t head_end(const std::string& in) {
  for (size_t i = in.find('\n'); i != std::string::npos; i = in.find('\n', i + 1)) {
    if (i + 1 < in.size() && in[i + 1] == '\n') return i + 2;
    if (i + 2 < in.size() && in[i + 1] == '\r' && in[i + 2] == '\n') return i + 3;
  }
  return std::string::npos;
}

}  // namespace

void HttpSession::respond(int status, const char* reason, const std::string& body, bool close, bool head_only,
                          const std::string& extra) {
  Response r;
  r.head = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\nServer: toecore-driver\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\nContent-Type: text/plain\r\n" + extra +
           (close ? "Connection: close\r\n" : "") + "\r\n";
  if (!head_only) r.body = body;
  out_.push_back(std::move(r));
  if (close) closing_ = true;
}

bool HttpSession::parse_one() {
  if (skip_ > 0) {
    const size_t n = size_t(std::min<uint64_t>(skip_, in_.size()));
    in_.erase(0, n);
    skip_ -= n;
    if (skip_ > 0) return false;
  }
  // Blank lines before a request line are ignored (RFC 9112 2.2).
  while (!in_.empty() && (in_[0] == '\r' || in_[0] == '\n')) in_.erase(0, 1);
  const size_t end = head_end(in_);
  if (end == std::string::npos) {
    if (in_.size() > kMaxHead) {
      ++bad_;
      respond(400, "Bad Request", "request head too long\n", true, false);
    }
    return false;
  }
  if (end > kMaxHead) {
    ++bad_;
    respond(400, "Bad Request", "request head too long\n", true, false);
    return false;
  }
  std::string head = in_.substr(0, end);
  in_.erase(0, end);
  ++requests_;
  std::vector<std::string> lines;
  for (size_t p = 0; p < head.size();) {
    size_t nl = head.find('\n', p);
    std::string l = head.substr(p, nl - p);
    if (!l.empty() && l.back() == '\r') l.pop_back();
    if (!l.empty()) lines.push_back(l);
    p = nl + 1;
  }
  auto bad = [&](const std::string& why) {
    ++bad_;
    respond(400, "Bad Request", why + "\n", true, false);
    return false;
  };
  if (lines.empty()) return bad("empty request");
  // Request line.
  const std::string& rl = lines[0];
  const size_t s1 = rl.find(' '), s2 = s1 == std::string::npos ? s1 : rl.find(' ', s1 + 1);
  if (s1 == std::string::npos || s2 == std::string::npos || rl.find(' ', s2 + 1) != std::string::npos)
    return bad("bad request line");
  const std::string method = rl.substr(0, s1), target = rl.substr(s1 + 1, s2 - s1 - 1), version = rl.substr(s2 + 1);
  if (method.empty() || target.empty() || method.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos)
    return bad("bad request line");
  if (version != "HTTP/1.1" && version != "HTTP/1.0") return bad("bad HTTP version");
  bool keep = version == "HTTP/1.1", host = false, has_len = false;
  uint64_t len = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(':');
    if (colon == std::string::npos || colon == 0 || lines[i][0] == ' ' || lines[i][0] == '\t' ||
        lines[i].find_first_of(" \t") < colon)
      return bad("bad header line");
    const std::string name = lower(lines[i].substr(0, colon)), value = trim(lines[i].substr(colon + 1));
    if (name == "host") {
      host = true;
    } else if (name == "connection") {
      const std::string v = lower(value);
      if (v.find("close") != std::string::npos) keep = false;
      if (v.find("keep-alive") != std::string::npos && v.find("close") == std::string::npos) keep = true;
    } else if (name == "content-length") {
      uint64_t v = 0;
      if (has_len || !decimal(value, kMaxBytes, &v)) return bad("bad Content-Length");
      has_len = true;
      len = v;
    } else if (name == "transfer-encoding") {
      return bad("Transfer-Encoding is not supported");
    }
  }
  if (version == "HTTP/1.1" && !host) return bad("HTTP/1.1 request without Host");
  skip_ = len;
  const bool head_only = method == "HEAD";
  if (method != "GET" && method != "HEAD") {
    respond(405, "Method Not Allowed", "only GET and HEAD\n", !keep, false, "Allow: GET, HEAD\r\n");
    return true;
  }
  if (target == "/") {
    respond(200, "OK", page_ ? page_() : std::string(), !keep, head_only);
    return true;
  }
  const std::string prefix = "/bytes/";
  if (target.compare(0, prefix.size(), prefix) == 0) {
    uint64_t n = 0;
    if (!decimal(target.substr(prefix.size()), kMaxBytes, &n)) return bad("bad byte count in " + target);
    Response r;
    r.head = "HTTP/1.1 200 OK\r\nServer: toecore-driver\r\nContent-Length: " + std::to_string(n) +
             "\r\nContent-Type: application/octet-stream\r\n" + (keep ? "" : "Connection: close\r\n") + "\r\n";
    r.pattern = !head_only;
    r.pattern_len = head_only ? 0 : n;
    out_.push_back(std::move(r));
    if (!keep) closing_ = true;
    return true;
  }
  respond(404, "Not Found", "no such page: " + target + "\n", !keep, head_only);
  return true;
}

void HttpSession::feed(const uint8_t* data, size_t n) {
  if (closing_) return;  // after a closing response nothing more is answered
  in_.append(reinterpret_cast<const char*>(data), n);
  while (want_input() && parse_one()) {
  }
}

size_t HttpSession::peek(uint8_t* buf, size_t cap) const {
  size_t got = 0;
  for (const Response& r : out_) {
    uint64_t off = r.off;
    while (got < cap && off < r.size()) {
      if (off < r.head.size()) {
        const size_t k = std::min<size_t>(cap - got, r.head.size() - size_t(off));
        std::memcpy(buf + got, r.head.data() + off, k);
        got += k;
        off += k;
      } else if (r.pattern) {
        const uint64_t b = off - r.head.size();
        const size_t k = size_t(std::min<uint64_t>(cap - got, r.pattern_len - b));
        for (size_t i = 0; i < k; ++i) buf[got + i] = pattern_byte(b + i);
        got += k;
        off += k;
      } else {
        const size_t b = size_t(off - r.head.size());
        const size_t k = std::min<size_t>(cap - got, r.body.size() - b);
        std::memcpy(buf + got, r.body.data() + b, k);
        got += k;
        off += k;
      }
    }
    if (got == cap) break;
  }
  return got;
}

void HttpSession::consume(size_t n) {
  while (n > 0 && !out_.empty()) {
    Response& r = out_.front();
    const uint64_t k = std::min<uint64_t>(n, r.size() - r.off);
    r.off += k;
    n -= size_t(k);
    if (r.off == r.size()) out_.pop_front();
  }
  // Room again: parse what waited.
  if (!closing_) {
    while (want_input() && parse_one()) {
    }
  }
}

}  // namespace toe::toesim
