// SPDX-License-Identifier: Apache-2.0
// toe_sim script: a packetdrill subset.
//
//   // comment        # comment        /* comment */
//   0    socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
//   +0   setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0      (ignored; so are getsockopt, fcntl, ioctl)
//   +0   bind(3, ..., ...) = 0                                      (a htons(N) in the arguments sets the port)
//   +0   listen(3, 1) = 0                                           engine listens
//   +0   < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>  inject from the peer
//   +0   > S. 0:0(0) ack 1 <mss 1460,nop,wscale 7>                 expect the engine's next frame
//   +.1  < . 1:1(0) ack 1 win 257
//   +0   accept(3, ..., ...) = 4                                    wait for the accepted connection
//   +0   write(4, ..., 10) = 10 / read(4, ..., 10) = 10 / close(4) = 0 / shutdown(4, SHUT_WR) = 0
//   +0   connect(3, ..., ...) = -1 EINPROGRESS                      active open to the peer
//
// Times: +T relative to the previous line, T absolute (seconds), * or none:
// now. They only advance simulated time before a line acts; an expectation
// waits until max(its time, now) + --tolerance-ms.
// Numbers: the peer's ISN is the START of its first SYN, and its later
// sequence numbers are relative to it; the engine's sequence numbers are
// relative to its ISN, learned from its first SYN or SYN-ACK; acks are
// relative to the other side's ISN. Before an ISN is known, numbers are absolute.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "toe/net/codec.hpp"

namespace toe::toesim {

struct PacketSpec {
  bool inbound = true;  // '<' (peer to engine) or '>' (expected from the engine)
  uint8_t flags = 0;
  uint32_t start = 0, end = 0, len = 0;
  bool has_ack = false;
  uint32_t ack = 0;
  bool has_win = false;
  uint16_t win = 0;
  bool has_opts = false;
  net::TcpOptions opts;
};

struct SyscallSpec {
  std::string name;
  std::vector<std::string> args;
  long ret = 0;
  std::string err;  // errno name after a -1 return (e.g. EINPROGRESS)
};

struct ScriptLine {
  int line = 0;
  enum class Time : uint8_t { kNone, kRelative, kAbsolute, kAny } time_kind = Time::kNone;
  double time = 0;  // seconds
  bool is_packet = false;
  PacketSpec pkt;
  SyscallSpec call;
  std::string text;  // the line without its time, for messages
};

// Parses a whole script; throws UsageError "FILE:LINE: ..." on unknown syntax.
std::vector<ScriptLine> parse_script(const std::string& path);
std::vector<ScriptLine> parse_script_text(const std::string& text, const std::string& name);

}  // namespace toe::toesim
