// SPDX-License-Identifier: Apache-2.0
// The ISN's keyed mix (toe::isn_mix, IS1; its RTL twin toe_hash_pkg's isn_mix_*, checked against
// it in lockstep by test_isn_mix_lockstep). Two properties, neither of which the lockstep can see:
// - its round, toe::isn_sipround, is HalfSipHash's SipRound: HalfSipHash-2-4 built on it gives the
//   reference implementation's published outputs (github.com/veorq/SipHash, vectors.h,
//   vectors_hsip32: key bytes 0..7, message bytes 0..n-1, 32-bit output);
// - the mix spreads every bit of the 4-tuple and the local address over the whole ISN: flipping one
//   input bit flips each output bit with probability about one half (the strict avalanche
//   criterion), so an off-path peer learns nothing of one connection's ISN from another's.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <random>
#include <vector>

#include "toe/hash.hpp"

namespace {

using toe::IsnState;

uint32_t le32(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

// HalfSipHash-2-4 with a 32-bit output, written from the paper's description around the round
// under test (toe::isn_mix_rounds runs toe::isn_sipround; v0..v3 are IsnState's a..d).
uint32_t halfsiphash24(const std::vector<uint8_t>& in, const uint8_t (&key)[8]) {
  const uint32_t k0 = le32(key), k1 = le32(key + 4);
  IsnState v{k0, k1, 0x6c796765u ^ k0, 0x74656462u ^ k1};
  const size_t full = in.size() - in.size() % 4;
  for (size_t i = 0; i < full; i += 4) {
    const uint32_t m = le32(&in[i]);
    v.d ^= m;
    v = toe::isn_mix_rounds(v, 2);
    v.a ^= m;
  }
  uint32_t b = uint32_t(in.size()) << 24;
  for (size_t i = full; i < in.size(); ++i) b |= uint32_t(in[i]) << (8 * (i - full));
  v.d ^= b;
  v = toe::isn_mix_rounds(v, 2);
  v.a ^= b;
  v.c ^= 0xff;
  v = toe::isn_mix_rounds(v, 4);
  return v.b ^ v.d;
}

TEST(IsnMix, RoundIsHalfSipHashsSipRound) {
  // vectors_hsip32[n] of the reference, as little-endian words.
  struct Vector {
    size_t len;
    uint8_t out[4];
  };
  const Vector vectors[] = {
      {0, {0xa9, 0x35, 0x9f, 0x5b}},  {1, {0x27, 0x47, 0x5a, 0xb8}},  {2, {0xfa, 0x62, 0xa6, 0x03}},
      {3, {0x8a, 0xfe, 0xe7, 0x04}},  {4, {0x2a, 0x6e, 0x46, 0x89}},  {7, {0x8b, 0xcf, 0x63, 0xc5}},
      {8, {0xd0, 0xb8, 0x84, 0x8f}},  {11, {0x08, 0x08, 0x30, 0x50}}, {12, {0x57, 0xf0, 0x87, 0x2f}},
      {15, {0x74, 0xfe, 0x2b, 0x97}},
  };
  uint8_t key[8];
  for (int i = 0; i < 8; ++i) key[i] = uint8_t(i);
  for (const Vector& v : vectors) {
    std::vector<uint8_t> in(v.len);
    for (size_t i = 0; i < v.len; ++i) in[i] = uint8_t(i);
    EXPECT_EQ(halfsiphash24(in, key), le32(v.out)) << "message of " << v.len << " bytes";
  }
}

// Each of the 96 input bits (remote address, both ports, local address), flipped under random
// secrets and keys: every output bit flips in 50 % +- 6 % of 4,000 trials (the sampling's standard
// deviation is 0.8 %, so the worst of the 3,072 pairs is expected near 3 %; with two rounds instead
// of four some output bits never see some input bits: 50 %).
TEST(IsnMix, EveryInputBitReachesEveryIsnBit) {
  std::mt19937_64 rng(17);
  constexpr int kTrials = 4000;
  double worst = 0;
  int worst_in = -1, worst_out = -1;
  for (int bit = 0; bit < 96; ++bit) {
    std::vector<int> flips(32, 0);
    for (int t = 0; t < kTrials; ++t) {
      uint32_t secret[4];
      for (uint32_t& w : secret) w = uint32_t(rng());
      uint32_t x[3] = {uint32_t(rng()), uint32_t(rng()), uint32_t(rng())};  // rip, ports, local address
      uint32_t y[3] = {x[0], x[1], x[2]};
      y[bit / 32] ^= 1u << (bit % 32);
      const uint32_t a = toe::isn_mix(secret, x[2], x[0], uint16_t(x[1] >> 16), uint16_t(x[1]));
      const uint32_t b = toe::isn_mix(secret, y[2], y[0], uint16_t(y[1] >> 16), uint16_t(y[1]));
      for (int o = 0; o < 32; ++o) flips[o] += int((a ^ b) >> o & 1);
    }
    for (int o = 0; o < 32; ++o) {
      const double dev = std::fabs(double(flips[o]) / kTrials - 0.5);
      if (dev > worst) worst = dev, worst_in = bit, worst_out = o;
    }
  }
  std::cout << "worst pair: input bit " << worst_in << ", ISN bit " << worst_out << ", 0.5 +- " << worst << "\n";
  EXPECT_LT(worst, 0.06) << "input bit " << worst_in << " flips ISN bit " << worst_out << " with probability 0.5 +- "
                         << worst;
}

}  // namespace
