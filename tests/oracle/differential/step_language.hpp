// SPDX-License-Identifier: Apache-2.0
// The step language of the differential tests (tests/oracle): what the synthetic client, or the
// server application, does in one step, symbolically. A step names its sequence and
// acknowledgment numbers relative to what each side has said so far (e.g. "RCV.NXT+WND-1",
// "SND.NXT+1"); the harness (differential_harness.hpp) resolves them per side, so the same script
// runs on the engine and on lwIP. A script is a std::vector<Step>:
//   scripted(after_handshake({in_seq(kA | kP, 10), at(kA, SB::kWnd, 0), op(Op::kSend, 5)}), {...});
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "toe/net/codec.hpp"

namespace toe::differential {

// The synthetic client and the two servers.
inline constexpr uint32_t kCliIp = 0x0A000001;  // the synthetic client, 10.0.0.1
inline constexpr uint32_t kSrvIp = 0x0A000002;  // both servers, 10.0.0.2
inline constexpr uint16_t kCliPort = 40000, kPort = 80, kClosedPort = 81;
inline const net::MacAddr kCliMac{{0x02, 0, 0, 0, 0, 0x01}};
inline const net::MacAddr kEngMac{{0x02, 0, 0, 0, 0, 0x02}};
inline constexpr uint32_t kEngIss = 1000000;  // the engine's fixed ISN (tests only, IS1)
inline constexpr uint16_t kCliWin = 65535;

inline constexpr uint8_t kF = net::kFin, kS = net::kSyn, kR = net::kRst, kP = net::kPsh, kA = net::kAck;

// Formatting for the logs: 0x%08x; a signed offset (+n / -n); a sequence difference as a signed
// offset; TCP flags ("(none)" for none).
std::string hex(uint32_t v);
std::string signed_off(int64_t v);
std::string rel(uint32_t v);
std::string flags_str(uint8_t f);

enum class SB : uint8_t {  // where a segment's sequence number is taken from
  kIsn,  // the client's ISN (SYNs)
  kNxt,  // the side's RCV.NXT as the client knows it (the last ACK the side sent)
  kWnd,  // that + the side's receive window RCV.WND (see DiffRun::resolve)
};
enum class AB : uint8_t {  // where a segment's acknowledgment number is taken from
  kRaw,  // the offset itself (e.g. 0 on a SYN)
  kIss,  // the side's ISN (as learned from its SYN-ACK)
  kSnd,  // the side's SND.NXT as the client knows it (highest sequence it sent, +1 per SYN/FIN)
};
enum class Op : uint8_t {
  kSeg,    // a segment from the client
  kClose,  // the server application closes (engine: close; lwIP: tcp_shutdown(tx), i.e. FIN, keep reading)
  kSend,   // the server application sends `len` bytes
  kRead,   // the server application reads everything it holds (hold profile)
  kFill,   // the client fills the side's receive window with in-order data (per side; see DiffRun::exec)
};

struct Step {
  Op op = Op::kSeg;
  uint8_t flags = 0;
  SB sb = SB::kNxt;
  int64_t so = 0;
  AB ab = AB::kSnd;
  int64_t ao = 0;
  uint16_t len = 0;
  uint16_t win = kCliWin;
  int32_t mss = -1;  // MSS option value (-1: no option)
  uint16_t dport = kPort;
  std::string str() const;  // as the log shows it
};

// The step constructors. seg: a client segment, every field given; syn: the client's SYN (MSS
// 1460 option) at ISN+so; in_seq: the in-sequence segment (seq = RCV.NXT, ack = SND.NXT);
// op: a server-application step (or kFill); to_port: the same step to another port.
Step seg(uint8_t flags, SB sb, int64_t so, AB ab, int64_t ao, uint16_t len = 0, uint16_t win = kCliWin);
Step syn(int64_t so = 0);
Step in_seq(uint8_t flags, uint16_t len = 0);
Step op(Op o, uint16_t len = 0);
Step to_port(Step s, uint16_t port);
// Frequently used client segments: ack = SND.NXT, seq from sb + so.
Step at(uint8_t flags, SB sb, int64_t so, uint16_t len = 0);
Step with_mss(Step s, int32_t mss);

// Script prefixes: the handshake (SYN, ACK) then `more`; the handshake, data, the server's close
// and the client's FIN (TIME-WAIT, server closed first) then `more`.
std::vector<Step> after_handshake(std::initializer_list<Step> more);
std::vector<Step> in_time_wait(std::initializer_list<Step> more);

}  // namespace toe::differential
