// SPDX-License-Identifier: Apache-2.0
// A small fast generator (splitmix64) for randomized tests: one seed per trial makes every
// trial replayable. Header-only; the lockstep harnesses use it.
#pragma once

#include <cstdint>

namespace toe::test {

class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint32_t u32() { return static_cast<uint32_t>(next()); }
  uint32_t below(uint32_t n) { return n ? static_cast<uint32_t>((next() >> 32) % n) : 0; }
  bool chance(uint32_t percent) { return below(100) < percent; }

 private:
  uint64_t s_;
};

}  // namespace toe::test
