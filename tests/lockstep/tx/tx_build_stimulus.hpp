// SPDX-License-Identifier: Apache-2.0
// Stimulus of the toe_tx_build lockstep test (test_tx_build_lockstep.cpp, harness
// tx_build_lockstep.hpp): the random stream of transmit requests, and the harness's helpers
// that do not depend on the Verilated model.
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "toe/net/codec.hpp"
#include "tx/tx_build.hpp"

namespace toe::lockstep {

// ---- helpers of the harness ----------------------------------------------------------------
uint64_t mac_to_u64(const toe::net::MacAddr& m);
std::string hex_bytes(const uint8_t* p, size_t n);
// The value of environment variable `name` (any base strtoull reads), or `dflt` when unset or empty.
uint64_t env_u64(const char* name, uint64_t dflt);

// ---- the random stimulus -------------------------------------------------------------------
struct Stimulus {
  std::mt19937_64 rng;
  explicit Stimulus(uint64_t seed) : rng(seed) {}
  uint32_t u32() { return static_cast<uint32_t>(rng()); }
  uint32_t below(uint32_t n) { return static_cast<uint32_t>(rng() % n); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; }

  // One random transmit request: a control segment (with or without options) or a data segment of
  // 1..1460 bytes (edge lengths, a few longer than a frame holds) at a random, often wrapping, offset.
  model::TxReq request(uint32_t sessions, uint32_t buf_bytes);
};

}  // namespace toe::lockstep
