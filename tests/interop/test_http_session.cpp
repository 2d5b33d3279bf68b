// SPDX-License-Identifier: Apache-2.0
// HttpSession (sim/toe_sim/http_session.hpp), the protocol side of DriverApps' http app, alone:
// requests split at every byte, pipelined, keep-alive and close, bad requests, large bodies
// produced in pieces.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "driver_apps.hpp"  // pattern_byte
#include "http_session.hpp"

namespace toe::toesim {
namespace {

// Everything the session has to send, consumed `chunk` bytes at a time.
std::string drain(HttpSession& s, size_t chunk = 1000) {
  std::string out;
  std::vector<uint8_t> buf(chunk);
  for (size_t n; (n = s.peek(buf.data(), buf.size())) > 0;) {
    out.append(reinterpret_cast<const char*>(buf.data()), n);
    s.consume(n);
  }
  return out;
}

void feed(HttpSession& s, const std::string& t) { s.feed(reinterpret_cast<const uint8_t*>(t.data()), t.size()); }

std::string pattern(size_t n) {
  std::string p(n, '\0');
  for (size_t i = 0; i < n; ++i) p[i] = char(pattern_byte(i));
  return p;
}

// The responses in `out`: (status, body) pairs, parsed by Content-Length.
std::vector<std::pair<int, std::string>> responses(const std::string& out) {
  std::vector<std::pair<int, std::string>> r;
  size_t p = 0;
  while (p < out.size()) {
    const size_t end = out.find("\r\n\r\n", p);
    if (end == std::string::npos) break;
    const std::string head = out.substr(p, end - p);
    const int status = std::stoi(head.substr(9, 3));
    const size_t cl = head.find("Content-Length: ");
    const size_t len = std::stoul(head.substr(cl + 16));
    r.emplace_back(status, out.substr(end + 4, len));
    p = end + 4 + len;
  }
  return r;
}

TEST(HttpSession, BytesWithContentLengthAndPattern) {
  HttpSession s;
  feed(s, "GET /bytes/100000 HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string out = drain(s, 1460);
  EXPECT_NE(out.find("Content-Length: 100000\r\n"), std::string::npos);
  const auto r = responses(out);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].first, 200);
  EXPECT_EQ(r[0].second, pattern(100000));
  EXPECT_FALSE(s.finished());  // keep-alive
}

TEST(HttpSession, RequestSplitAtEveryByte) {
  HttpSession s;
  const std::string req = "GET /bytes/7 HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\n\r\n";
  for (size_t i = 0; i + 1 < req.size(); ++i) {
    feed(s, req.substr(i, 1));
    EXPECT_FALSE(s.has_output()) << "answered after " << i + 1 << " bytes";
  }
  feed(s, req.substr(req.size() - 1));
  const auto r = responses(drain(s));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].second, pattern(7));
}

TEST(HttpSession, PipelinedInOrderAndCloseEndsIt) {
  HttpSession s([] { return std::string("frames_in 1\n"); });
  feed(s,
       "GET /bytes/3 HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET /no HTTP/1.1\r\nHost: x\r\n\r\n"
       "GET /bytes/2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /bytes/9 HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string out = drain(s, 5);
  const auto r = responses(out);
  ASSERT_EQ(r.size(), 4u);  // the request after Connection: close is not answered
  EXPECT_EQ(r[0], std::make_pair(200, pattern(3)));
  EXPECT_EQ(r[1], std::make_pair(200, std::string("frames_in 1\n")));
  EXPECT_EQ(r[2].first, 404);
  EXPECT_EQ(r[3], std::make_pair(200, pattern(2)));
  EXPECT_NE(out.rfind("Connection: close"), std::string::npos);
  EXPECT_TRUE(s.finished());
  EXPECT_EQ(s.requests(), 4u);
}

TEST(HttpSession, PipelinedBeyondTheQueueWaits) {
  HttpSession s;
  std::string many;
  for (int i = 0; i < 100; ++i) many += "GET /bytes/1 HTTP/1.1\r\nHost: x\r\n\r\n";
  feed(s, many);
  EXPECT_FALSE(s.want_input());
  EXPECT_EQ(responses(drain(s)).size(), 100u);  // parsed as the queue drains
}

TEST(HttpSession, Http10ClosesUnlessKeepAlive) {
  HttpSession a;
  feed(a, "GET /bytes/1 HTTP/1.0\r\n\r\n");
  drain(a);
  EXPECT_TRUE(a.finished());
  HttpSession b;
  feed(b, "GET /bytes/1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  drain(b);
  EXPECT_FALSE(b.finished());
}

TEST(HttpSession, BadRequestsGet400AndClose) {
  for (const char* bad : {"BOGUS\r\n\r\n", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", "GET / HTTP/1.1\r\n\r\n",
                          "GET / HTTP/1.1\r\nHost x\r\n\r\n", "GET /bytes/abc HTTP/1.1\r\nHost: x\r\n\r\n",
                          "GET /bytes/99999999999999999 HTTP/1.1\r\nHost: x\r\n\r\n",
                          "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
                          "get / HTTP/1.1\r\nHost: x\r\n\r\n"}) {
    HttpSession s;
    feed(s, bad);
    const std::string out = drain(s);
    EXPECT_EQ(out.substr(0, 12), "HTTP/1.1 400") << bad;
    EXPECT_TRUE(s.finished()) << bad;
    EXPECT_EQ(s.bad_requests(), 1u);
  }
  HttpSession huge;
  feed(huge, "GET /" + std::string(20000, 'a'));
  EXPECT_EQ(drain(huge).substr(0, 12), "HTTP/1.1 400");
}

TEST(HttpSession, BodySkippedHeadAndMethods) {
  HttpSession s;
  feed(s, "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhel");
  feed(s, "loHEAD /bytes/50 HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string out = drain(s);
  const auto r = responses(out);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].first, 405);
  EXPECT_EQ(r[1].first, 200);
  EXPECT_NE(out.find("Content-Length: 50\r\n"), std::string::npos);
  EXPECT_EQ(out.find(pattern(50)), std::string::npos);  // HEAD: no body
}

TEST(HttpSession, LfLineEndingsAndPeerClose) {
  HttpSession s;
  feed(s, "GET /bytes/4 HTTP/1.1\nHost: x\n\nGET /bytes/");
  s.peer_closed();
  EXPECT_FALSE(s.finished());  // a response still to send
  EXPECT_EQ(responses(drain(s)).size(), 1u);
  EXPECT_TRUE(s.finished());
}

}  // namespace
}  // namespace toe::toesim
