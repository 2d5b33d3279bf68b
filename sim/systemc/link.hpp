// SPDX-License-Identifier: Apache-2.0
// toe::sc::Link: the Ethernet link between two ends, a and b (DeviceTlm and a peer: lwIP
// endpoints today, a TAP later), as two independent directions of EthFrame channels:
//
//   from_a (sc_fifo_in<EthFrame>)  --[a->b: rate, delay, loss, reorder, dup, corrupt]--> to_b (sc_fifo_out)
//   to_a   (sc_fifo_out<EthFrame>) <--[b->a: the same, its own LinkConfig and seed]---- from_b (sc_fifo_in)
//
// Bind it between two ends with one sc_fifo<EthFrame> per port, e.g. DeviceTlm::eth_tx ->
// from_a, to_a -> DeviceTlm::eth_rx, and the peer's output -> from_b, to_b -> its input.
//
// Time, per direction. A frame's send time is the later of its EthFrame::time (the sender's
// stamp: DeviceTlm stamps an eth_tx frame with the edge of its first beat, and may write it up to
// one quantum later) and the end of the previous frame's serialization (one frame on the wire
// at a time, in the order read). Its serialization takes
//     ceil((data.size() + kOverheadBytes) * 8 / rate_bps seconds), in units of the time resolution,
// where kOverheadBytes = 24 is what the wire carries around the frame's bytes (EthFrame holds
// destination MAC to the end of the payload): preamble and SFD (8), FCS (4) and the minimum
// inter-frame gap (12); rate_bps 0 is an unlimited rate (no serialization time). The frame is
// delivered whole (its last bit received) at
//     delivery = send + serialization + propagation_delay  (+ reorder_delay when held back).
// Frames are written to the output at their delivery time, by delivery time, ties in the order
// they were read (a duplicate right after its original); EthFrame::time of an output frame is its
// delivery time. A frame whose delivery time has passed when it is read (its sender stamped it
// late) is written at once, still stamped with its delivery time. A full output sc_fifo holds
// the direction's output back (the stamps are unchanged).
//
// Impairments, per frame, in this order (each frame draws six 64-bit numbers from the direction's
// std::mt19937_64 seeded with LinkConfig::seed, whatever the outcome, so frame k's decisions
// depend on the seed and k only; a probability p is taken when (draw >> 11) * 2^-53 < p):
//   loss         the frame is not delivered (it still took its serialization time); nothing
//                else happens to it;
//   corruption   one byte (position draw % size) is XORed with 1 + draw % 255 (never 0): exactly
//                one byte differs, the length never changes; an empty frame is never corrupted;
//   reordering   the frame is held back by reorder_delay after its delivery time, so frames
//                delivered within that time overtake it (the wire is not held);
//   duplication  a byte-identical copy (corruption included) is delivered right after the
//                frame, at the same time; it takes no serialization time (made past the wire).
// Counters per direction (counters()): frames and bytes read (in), written (out, duplicates
// included), and the frames lost, reordered, duplicated and corrupted. on_frame, when set, is
// called with each frame's decisions as it is read (index: 0, 1, ... per direction); on_deliver
// with each frame as it is delivered; on_sent with each frame as sent.
#pragma once

#include <systemc>

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <random>
#include <utility>

#include "toe_device_tlm.hpp"  // EthFrame

namespace toe::sc {

// One direction of the link. Probabilities in [0, 1]; delays are sc_time, which is unsigned: a
// negative delay (a negative double, or a difference taken the wrong way round) wraps to a value
// of 2^63 ticks or more, and is refused as negative.
struct LinkConfig {
  sc_core::sc_time propagation_delay = sc_core::SC_ZERO_TIME;  // from the last bit sent to received
  uint64_t rate_bps = 0;                                       // bit/s on the wire; 0: unlimited
  double loss_probability = 0.0;                               // per frame
  double reorder_probability = 0.0;                            // per frame: held back by reorder_delay
  sc_core::sc_time reorder_delay = sc_core::SC_ZERO_TIME;      // > 0 when reorder_probability > 0
  double duplication_probability = 0.0;                        // per frame: one extra copy
  double corruption_probability = 0.0;                         // per frame: one byte flipped
  uint64_t seed = 1;                                           // of the direction's std::mt19937_64
};

// Throws std::invalid_argument naming the field ("LinkConfig::loss_probability ...") for a
// probability outside [0, 1] (or NaN), a negative delay, or reorder_probability > 0 with a zero
// reorder_delay.
void validate(const LinkConfig& cfg);

struct LinkCounters {
  uint64_t frames_in = 0;
  uint64_t frames_out = 0;  // duplicates included
  uint64_t lost = 0;
  uint64_t reordered = 0;
  uint64_t duplicated = 0;
  uint64_t corrupted = 0;
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
};
// "in 10 (640 B) out 9 (576 B) lost 1 reordered 0 duplicated 0 corrupted 0"
std::ostream& operator<<(std::ostream& os, const LinkCounters& c);

enum class LinkDirection { AtoB, BtoA };
const char* to_string(LinkDirection d);  // "a->b", "b->a"

// What the link decided for one frame (on_frame).
struct LinkDecision {
  uint64_t index = 0;         // the frame's position in its direction's input, from 0
  bool lost = false;
  bool corrupted = false;
  size_t corrupt_at = 0;      // the byte changed, when corrupted
  bool reordered = false;
  bool duplicated = false;
  sc_core::sc_time delivery;  // the frame's delivery time (reorder_delay included)
};

class Link : public sc_core::sc_module {
 public:
  // Bytes the wire carries per frame beyond EthFrame::data: preamble+SFD 8, FCS 4, IFG 12.
  static constexpr uint64_t kOverheadBytes = 24;

  sc_core::sc_fifo_in<EthFrame> from_a;  // frames a sends
  sc_core::sc_fifo_out<EthFrame> to_b;   // ... as b receives them
  sc_core::sc_fifo_in<EthFrame> from_b;  // frames b sends
  sc_core::sc_fifo_out<EthFrame> to_a;   // ... as a receives them

  // Called for each frame read, with the direction and the decisions (from the reading process).
  std::function<void(LinkDirection, const LinkDecision&)> on_frame;
  // Called with each frame as it is written to its output (a receiver's capture: lost frames
  // never come, a duplicate comes twice, a corrupted one with its changed byte; EthFrame::time
  // is the delivery time), from the writing process, before the write.
  std::function<void(LinkDirection, const EthFrame&)> on_deliver;
  // Called with each frame as read, before any impairment (a sender's capture: lost frames
  // included; EthFrame::time is its send time, when its first bit goes on the wire), and the
  // decisions, right after on_frame.
  std::function<void(LinkDirection, const EthFrame&, const LinkDecision&)> on_sent;

  SC_HAS_PROCESS(Link);
  // Throws std::invalid_argument (validate(), prefixed with the direction) for a bad config.
  Link(sc_core::sc_module_name name, const LinkConfig& a_to_b, const LinkConfig& b_to_a);

  const LinkConfig& config(LinkDirection d) const { return lane(d).cfg; }
  const LinkCounters& counters(LinkDirection d) const { return lane(d).count; }
  // Frames read and not yet written, lost ones excluded.
  size_t in_flight(LinkDirection d) const { return lane(d).pending.size(); }
  // The serialization time of a frame of `bytes` bytes at rate_bps (0: unlimited).
  static sc_core::sc_time serialization(size_t bytes, uint64_t rate_bps);

  const char* kind() const override { return "toe::sc::Link"; }
  // Both directions' counters, one line each.
  void print(std::ostream& os) const override;

 private:
  struct Lane {
    Lane(LinkDirection d, const LinkConfig& c) : dir(d), cfg(c), rng(c.seed) {}
    LinkDirection dir;
    LinkConfig cfg;
    std::mt19937_64 rng;
    LinkCounters count;
    sc_core::sc_time wire_free = sc_core::SC_ZERO_TIME;  // end of the last serialization
    uint64_t seq = 0;                                    // ties: the order frames were queued
    // Frames to write, by (delivery time in ticks, seq).
    std::map<std::pair<uint64_t, uint64_t>, EthFrame> pending;
    sc_core::sc_event queued;
  };

  const Lane& lane(LinkDirection d) const { return d == LinkDirection::AtoB ? ab_ : ba_; }
  static LinkConfig checked(const LinkConfig& c, LinkDirection d);

  void in_ab() { take(from_a, ab_); }
  void out_ab() { deliver(to_b, ab_); }
  void in_ba() { take(from_b, ba_); }
  void out_ba() { deliver(to_a, ba_); }
  void take(sc_core::sc_fifo_in<EthFrame>& in, Lane& l);
  void deliver(sc_core::sc_fifo_out<EthFrame>& out, Lane& l);

  Lane ab_;
  Lane ba_;
};

}  // namespace toe::sc
