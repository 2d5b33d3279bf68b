// SPDX-License-Identifier: Apache-2.0
// The 4-tuple hashes, the C++ twin of rtl_model/rtl/toe_hash_pkg.sv: tuple_hash picks a
// connection's index bucket (Tables::bucket_of takes its low bits; toe_conn_lookup and toe_tables
// call it), isn_mix is the keyed part of the ISN (IsnMix / toe_isn_mix, two stages ahead of
// tcp_fsm).
#pragma once

#include <cstdint>

namespace toe {

// A cheap multiply-xorshift mix (two DSP multiplies in RTL). The fold (h ^= h >> 16) before the
// second multiply brings the ports' bits to the low half: without it a product's low bits saw
// only rport's low 6 bits, and one peer's connections to one port shared 64 buckets.
constexpr uint32_t tuple_hash(uint32_t rip, uint16_t rport, uint16_t lport) {
  uint32_t h = rip * 0x9E3779B1u;
  h ^= (uint32_t(rport) << 16 | lport);
  h ^= h >> 16;
  h *= 0x85EBCA77u;
  h ^= h >> 15;
  return h;
}

// IS1 (RFC 9293 3.4.1): ISN = M + F(4-tuple, secret). isn_mix is F: 4 rounds of HalfSipHash's
// SipRound (Aumasson and Bernstein's 32-bit SipHash; isn_sipround is that round, checked against
// the reference HalfSipHash-2-4 vectors in tests/unit/test_isn_mix.cpp) on a state loaded with the
// remote address, both ports and the local address under a 128-bit secret, folded to 32 bits.
// tcp_fsm adds M (its 4 us clock, toe::model::isn_hash) in the cycle it decides. The mix is
// computed in two pipeline stages ahead of the decision (IsnMix / toe_isn_mix): the state loaded
// and its first kIsnMixRoundsA rounds, then the rest and the fold. A SipRound's four adders stand
// two by two (v0 + v1 beside v2 + v3, then v0 + v3 beside v2 + v1), so a stage of two rounds waits
// on 4 adders in series.
struct IsnState {
  uint32_t a = 0, b = 0, c = 0, d = 0;  // SipHash's v0, v1, v2, v3
};
constexpr int kIsnMixRounds = 4;
constexpr int kIsnMixRoundsA = 2;  // rounds in the first stage (toe_isn_mix's half_q)
constexpr uint32_t isn_rotl(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }
constexpr IsnState isn_mix_init(const uint32_t (&secret)[4], uint32_t local_ip, uint32_t rip, uint16_t rport,
                                uint16_t lport) {
  return IsnState{secret[0] ^ rip, secret[1] ^ (uint32_t(rport) << 16 | lport), secret[2] ^ local_ip, secret[3]};
}
constexpr IsnState isn_sipround(IsnState s) {
  s.a += s.b; s.b = isn_rotl(s.b, 5);  s.b ^= s.a; s.a = isn_rotl(s.a, 16);
  s.c += s.d; s.d = isn_rotl(s.d, 8);  s.d ^= s.c;
  s.a += s.d; s.d = isn_rotl(s.d, 7);  s.d ^= s.a;
  s.c += s.b; s.b = isn_rotl(s.b, 13); s.b ^= s.c; s.c = isn_rotl(s.c, 16);
  return s;
}
constexpr IsnState isn_mix_rounds(IsnState s, int n) {
  for (int i = 0; i < n; ++i) s = isn_sipround(s);
  return s;
}
constexpr uint32_t isn_mix_fold(const IsnState& s) { return s.a ^ s.b ^ s.c ^ s.d; }
constexpr uint32_t isn_mix(const uint32_t (&secret)[4], uint32_t local_ip, uint32_t rip, uint16_t rport,
                           uint16_t lport) {
  return isn_mix_fold(isn_mix_rounds(isn_mix_init(secret, local_ip, rip, rport, lport), kIsnMixRounds));
}

// The all-zero key hashes to 0 (toe_tables' reset index key relies on it).
static_assert(tuple_hash(0, 0, 0) == 0, "tuple_hash(0, 0, 0) is 0");

}  // namespace toe
