// SPDX-License-Identifier: Apache-2.0
// The 4-tuple hash that picks a connection's index bucket (Tables::bucket_of takes its low bits),
// the C++ twin of rtl_model/rtl/toe_hash_pkg.sv (called by toe_conn_lookup and toe_tables).
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

// The all-zero key hashes to 0 (toe_tables' reset index key relies on it).
static_assert(tuple_hash(0, 0, 0) == 0, "tuple_hash(0, 0, 0) is 0");

}  // namespace toe
