// SPDX-License-Identifier: Apache-2.0
// The two stacks of the differential tests behind one interface (Side): the engine (on the engine
// TOE_ENGINE names, through the cycle-level sim::Harness) and lwIP 2.1.3 (sim::LwipPeer), both a
// server listening on port 80; and what the client sends them and learns from them:
//   Raw      one segment a side sent, absolute values
//   NSeg     the same normalised: sequence numbers relative to the side's ISN / the client's ISN
//   View     the client's knowledge of one side (its ISN, RCV.NXT, window, SND.NXT)
//   Pre      a side's connection variables just before a step
//   In       the resolved input of one step for one side
//   Obs      what a side did in one step (segments, states entered, bytes delivered)
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "step_language.hpp"
#include "toe/net/codec.hpp"
#include "toe/seq.hpp"
#include "top/top.hpp"

namespace toe::differential {

struct Raw {  // one segment as sent, absolute values
  uint8_t flags = 0;
  uint32_t seq = 0, ack = 0;
  uint16_t win = 0;
  uint32_t len = 0;
  bool has_mss = false, has_ws = false;
  uint16_t mss = 0;
  uint16_t sport = 0, dport = 0;
};

struct NSeg {  // normalised: sequence numbers relative to the side's ISN / the client's ISN
  uint8_t flags = 0;
  uint32_t seq = 0, ack = 0;
  uint16_t win = 0;
  uint32_t len = 0;
  bool has_mss = false, has_ws = false;
  uint16_t mss = 0;
  bool rst_rel = false;  // seq is relative to the ACK field of the segment answered
  std::string str() const;  // as the log shows it
};

// The client's knowledge of one side, learned from that side's segments.
struct View {
  bool have_iss = false;
  uint32_t iss = 0;      // the side's ISN (from its SYN-ACK)
  uint32_t rcv_nxt = 0;  // the last ACK number it sent
  uint32_t wnd = 0;      // the last window it advertised
  uint32_t snd_nxt = 0;  // highest sequence number it used + 1
  void learn(const Raw& r) {
    if (r.flags & kS) {
      iss = r.seq;
      have_iss = true;
      snd_nxt = r.seq;
    }
    if ((r.flags & kA) && !(r.flags & kR)) {
      rcv_nxt = r.ack;
      wnd = r.win;
    }
    if (r.flags & kR) return;
    const uint32_t end = r.seq + r.len + ((r.flags & kS) ? 1 : 0) + ((r.flags & kF) ? 1 : 0);
    if (seq_gt(end, snd_nxt)) snd_nxt = end;
  }
};

// A side's connection variables just before a step (absolute), for the divergence predicates.
struct Pre {
  bool conn = false;
  TcpState state = TcpState::CLOSED;
  uint32_t iss = 0, snd_una = 0, snd_nxt = 0, rcv_nxt = 0, rcv_wnd = 0;
  uint32_t max_snd_wnd = 0;  // engine only (RFC 5961 5.2 bound)
  uint64_t delivered = 0;    // bytes delivered to the application before the step (less the fill)
};

// The resolved input of one step for one side.
struct In {
  bool is_seg = false;
  uint8_t flags = 0;
  uint32_t seq = 0, ack = 0, len = 0;
  uint16_t dport = kPort;
  uint32_t seg_len() const { return len + ((flags & kS) ? 1 : 0) + ((flags & kF) ? 1 : 0); }
};

// What a side did in one step.
struct Obs {
  std::vector<NSeg> out;
  std::vector<TcpState> trans;  // states entered during the step, in order
  TcpState state = TcpState::CLOSED;
  uint64_t delivered = 0;       // bytes delivered to the application so far (less the fill)
  bool skipped = false;         // a server-app step whose precondition did not hold (no-op on both)
  std::vector<model::EvtType> events;  // engine only: host events of the step
  std::string diag;                    // engine only: counters that moved
  std::string str() const;  // as the log shows it
};

inline bool has(const In& in, uint8_t f) { return (in.flags & f) != 0; }

Raw raw_of(const net::TcpHeader& t, size_t payload_len);
// The payload byte at client sequence number seq.
uint8_t payload_byte(uint32_t seq);
// The client's IP packet for `in` (window `win`, an MSS option unless mss < 0).
std::vector<uint8_t> client_packet(const In& in, uint16_t win, int32_t mss);

enum class Profile { kDiscard, kHold };  // server app: discard (reads, closes after the peer) / never reads

class Side {
 public:
  virtual ~Side() = default;
  virtual const char* name() const = 0;
  virtual std::vector<Raw> segment(const std::vector<uint8_t>& ip_packet) = 0;
  virtual std::vector<Raw> close() = 0;
  virtual std::vector<Raw> send(const std::vector<uint8_t>& data) = 0;
  virtual std::vector<Raw> read() = 0;
  virtual Pre pre() const = 0;
  virtual std::vector<TcpState> take_transitions() = 0;
  virtual TcpState state() const = 0;
  virtual uint64_t delivered() = 0;
  virtual void diagnostics(Obs&) {}
  std::string error;  // set on an infrastructure failure (e.g. the engine never went quiet)
};

// The engine side: on TOE_ENGINE's engine (on rtl, parameters with no Verilated build skip the
// test), no timers (every output is a reply to the step), listening on kPort.
std::unique_ptr<Side> make_engine_side(const model::EngineConfig& ecfg, Profile p);
// The lwIP side: a LwipPeer at kSrvIp listening on kPort.
std::unique_ptr<Side> make_lwip_side(Profile p);

}  // namespace toe::differential
