// SPDX-License-Identifier: Apache-2.0
// toe_sim script: packetdrill's script language (github.com/google/packetdrill),
// run against the engine. The dialect and its semantics are described in
// docs/scripts.md; in short:
//
//   --tolerance_usecs=10000                                    option lines at the top
//   `../common/defaults.sh`                                    host configuration (sysctl ...)
//   0    socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
//   +0   setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
//   +0   bind(3, ..., ...) = 0
//   +0   listen(3, 1) = 0
//   +0...0.200 accept(3, ..., ...) = 4                         blocking: returns within the window
//   +.1  < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>   inject from the peer
//   +0   > S. 0:0(0) ack 1 <mss 1460,nop,wscale 7>             expect the engine's next segment
//   +0~+0.5 > . 1:1(0) ack 1                                   a time range (outbound only)
//   *    > F. 1:1(0) ack 1 <...>                               any time, any options
//   +0   write(4, ..., 10) = -1 EPIPE (Broken pipe)             errno names checked
//
// Numbers: each side's sequence numbers are relative to its ISN (the START of
// its first SYN); acks and SACK blocks relative to the other side's ISN.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace toe::toesim {

// A feature of packetdrill's language the engine or the runner does not have:
// exit 3, the message naming the feature (never a silent skip).
struct ScriptUnsupported : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One TCP option as written, in order (NOPs and EOLs included).
struct TcpOptSpec {
  enum class Kind : uint8_t { kNop, kEol, kMss, kWscale, kSackOk, kSack, kTs } kind = Kind::kNop;
  uint32_t a = 0, b = 0;                                  // mss / wscale / TS val, ecr
  std::vector<std::pair<uint32_t, uint32_t>> blocks;      // sack L:R ...
};

struct PacketSpec {
  bool inbound = true;  // '<' (peer to engine) or '>' (expected from the engine)
  uint8_t flags = 0;
  bool ae = false;  // the AE bit (AccECN, RFC 9768: header bit 8, once NS): flag A, or bit 2 of an ACE digit
  uint32_t start = 0, end = 0, len = 0;
  bool has_ack = false;
  uint32_t ack = 0;
  bool has_win = false;
  uint16_t win = 0;
  uint16_t urg = 0;
  int ecn = -1;  // IP ECN codepoint given by [noecn|ect0|ect1|ce] (-1: not given; 4: ect01, either ECT)
  enum class Opts : uint8_t { kNone, kAny, kList } opts = Opts::kNone;  // none / <...> / <list>
  std::vector<TcpOptSpec> opt_list;
  int src_port = -1, dst_port = -1;  // "SRC>DST" before the flags (-1: the current connection's)
};

struct SyscallSpec {
  std::string name;
  std::vector<std::string> args;
  long ret = 0;
  std::string err;          // errno name after a -1 return (e.g. EINPROGRESS)
  bool blocking = false;    // "...T": may block, returns by the end time
  int64_t end_us = 0;       // the end of "T1...T2", relative like T1
};

struct ScriptLine {
  int line = 0;
  enum class Time : uint8_t { kRelative, kAbsolute, kAny } time_kind = Time::kRelative;
  int64_t time_us = 0;
  bool range = false;     // T1~T2 (outbound packets only)
  int64_t time_end_us = 0;
  enum class Kind : uint8_t { kPacket, kSyscall, kShell, kCode } kind = Kind::kSyscall;
  PacketSpec pkt;
  SyscallSpec call;
  std::string shell;  // the text between the backquotes
  // kCode: a %{ python }% block (tcpi_* assertions): not run here, so unsupported when reached
  std::string text;   // the line without its time, for messages
};

// The option lines (packetdrill's command-line options, given in the script).
struct ScriptConfig {
  int64_t tolerance_us = 4000;  // packetdrill's default
  double tolerance_percent = 0;
  std::optional<uint16_t> mss;
  std::string local_ip, remote_ip;  // empty: the runner's defaults
  std::optional<uint16_t> bind_port, connect_port;
  bool strict_segments = false;
};

struct Script {
  ScriptConfig cfg;
  std::vector<ScriptLine> lines;
};

// Parses a whole script; throws UsageError "FILE:LINE: ..." on bad syntax and
// ScriptUnsupported "FILE:LINE: ..." on a construct the runner cannot run.
Script parse_script(const std::string& path);
Script parse_script_text(const std::string& text, const std::string& name);

}  // namespace toe::toesim
