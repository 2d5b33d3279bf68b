// SPDX-License-Identifier: Apache-2.0
// Random receive-side stimulus for the rx lockstep tests: frames (valid TCP,
// ARP, other protocols, and every malformation class rx_parse and rx_csum
// tell apart) cut into AXI-stream beats with idle cycles and backpressure.
#pragma once

#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include "toe/net/codec.hpp"
#include "toe_types.hpp"

namespace toe::lockstep {

struct RxFrame {
  std::vector<uint8_t> bytes;
  bool tuser = false;   // MAC error flagged on the tlast beat
  const char* kind = "";  // what the generator meant it to be (for reports)
};

// Frames addressed (mostly) to local_mac/local_ip.
class FrameGen {
 public:
  FrameGen(uint64_t seed, const net::MacAddr& local_mac, uint32_t local_ip);
  RxFrame next();
  // Frames of lo..hi bytes are lengthened to hi + 1 bytes (see model_misses_tlast_overflow).
  void avoid_lengths(size_t lo, size_t hi) {
    avoid_lo_ = lo;
    avoid_hi_ = hi;
  }

 private:
  RxFrame valid_tcp(bool raw_options);
  std::vector<uint8_t> random_options();  // raw TCP option bytes, length a multiple of 4 (0..40)
  std::vector<uint8_t> payload();
  uint32_t below(uint32_t n) { return n ? static_cast<uint32_t>(rng_() % n) : 0; }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  uint8_t byte() { return static_cast<uint8_t>(rng_()); }

  std::mt19937_64 rng_;
  net::MacAddr mac_;
  uint32_t ip_;
  size_t avoid_lo_ = 1, avoid_hi_ = 0;
};

// True while the C++ RxParse misses an oversize frame whose bytes past
// kMaxFrameBytes all arrive in its tlast beat (RxParse::eval clears
// oversize_d_ before it tests it, so only an overflow in an earlier beat
// counts). The RTL drops every frame longer than kMaxFrameBytes; while the
// model differs, the tests leave those lengths out (avoid_lengths).
bool model_misses_tlast_overflow(uint32_t data_bytes);

// Recomputes the IPv4 header and TCP checksums of an Ethernet/IPv4/TCP frame
// in place, as far as its (possibly corrupted) length fields allow.
void fix_checksums(std::vector<uint8_t>& f);

// Drives one AXI-stream input: frames from a FrameGen cut into beats of
// data_bytes (tkeep all ones except on the tlast beat, contiguous from lane
// 0 there; sometimes a null beat in the middle or a null tlast beat), with
// idle cycles (tvalid low) and backpressure (tready low) at the given rates.
// A beat, once presented, stays until it is taken.
class BeatSource {
 public:
  BeatSource(uint64_t seed, uint32_t data_bytes, double idle, double not_ready, FrameGen& gen);
  // The inputs of this cycle.
  void drive(model::AxisBeat& beat, bool& tready);
  // After the clock edge: was the beat taken?
  void advance(bool fire);
  uint64_t frames_done() const { return frames_done_; }
  const RxFrame& current_frame() const { return frame_; }

 private:
  void load_frame();

  std::mt19937_64 rng_;
  uint32_t db_;
  double idle_, not_ready_;
  FrameGen& gen_;
  RxFrame frame_;
  std::deque<model::AxisBeat> beats_;
  bool presenting_ = false;
  model::AxisBeat cur_{};
  uint64_t frames_done_ = 0;
};

}  // namespace toe::lockstep
