// SPDX-License-Identifier: Apache-2.0
// The 4-tuple hashes, the C++ twin of rtl_model/rtl/toe_hash_pkg.sv: tuple_hash picks a
// connection's index bucket (Tables::bucket_of takes its low bits; toe_conn_lookup and toe_tables
// call it), isn_mix is the keyed part of the ISN (ConnLookup / toe_conn_lookup, a stage ahead of
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

// IS1 (RFC 9293 3.4.1): ISN = M + F(4-tuple, secret). isn_mix is F: a keyed ARX mix of 4 rounds
// (16 adders and rotators in series) of the remote address, both ports and the local address
// under a 128-bit secret. tcp_fsm adds M (its 4 us clock, toe::model::isn_hash) in the cycle it
// decides; the mix is computed the cycle before, in conn_lookup's stage, so that its 16 adders are
// not on the decision's path.
constexpr uint32_t isn_rotl(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }
constexpr uint32_t isn_mix(const uint32_t (&secret)[4], uint32_t local_ip, uint32_t rip, uint16_t rport,
                           uint16_t lport) {
  uint32_t a = secret[0] ^ rip, b = secret[1] ^ (uint32_t(rport) << 16 | lport);
  uint32_t c = secret[2] ^ local_ip, d = secret[3];
  for (int i = 0; i < 4; ++i) {
    a += b; d ^= a; d = isn_rotl(d, 16);
    c += d; b ^= c; b = isn_rotl(b, 12);
    a += b; d ^= a; d = isn_rotl(d, 8);
    c += d; b ^= c; b = isn_rotl(b, 7);
  }
  return a ^ b ^ c ^ d;
}

// The all-zero key hashes to 0 (toe_tables' reset index key relies on it).
static_assert(tuple_hash(0, 0, 0) == 0, "tuple_hash(0, 0, 0) is 0");

}  // namespace toe
