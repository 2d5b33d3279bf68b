// SPDX-License-Identifier: Apache-2.0
// Helpers of the rx lockstep tests: moving bytes in and out of Verilated
// ports of any width, driving and comparing the SegMeta ports (named like
// the C++ fields), clocking with an optional VCD window, and the report of
// the first mismatch.
#pragma once

#include <verilated.h>
#include <verilated_vcd_c.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>

#include "top/tables.hpp"

namespace toe::lockstep {

// ---- ports of any width ---------------------------------------------------------
// Byte i of the buffer is bits [8i+7:8i] of the port (lane i of a beat).
template <typename T>
void set_bytes(T& port, const uint8_t* b, size_t n) {
  if constexpr (std::is_integral_v<T>) {
    uint64_t v = 0;
    for (size_t i = 0; i < n && i < sizeof(T); ++i) v |= uint64_t(b[i]) << (8 * i);
    port = static_cast<T>(v);
  } else {  // VlWide<N>
    for (size_t w = 0; w < sizeof(T) / sizeof(uint32_t); ++w) {
      uint32_t v = 0;
      for (size_t k = 0; k < 4; ++k)
        if (4 * w + k < n) v |= uint32_t(b[4 * w + k]) << (8 * k);
      port[w] = v;
    }
  }
}

template <typename T>
void get_bytes(const T& port, uint8_t* b, size_t n) {
  if constexpr (std::is_integral_v<T>) {
    for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(uint64_t(port) >> (8 * i));
  } else {
    for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(port[i / 4] >> (8 * (i % 4)));
  }
}

inline uint64_t mac_u64(const net::MacAddr& m) {
  uint64_t v = 0;
  for (uint8_t x : m.b) v = v << 8 | x;
  return v;
}

inline net::MacAddr mac_from_u64(uint64_t v) {
  net::MacAddr m;
  for (int i = 5; i >= 0; --i, v >>= 8) m.b[static_cast<size_t>(i)] = static_cast<uint8_t>(v);
  return m;
}

// ---- SegMeta ports ----------------------------------------------------------------
// X(port name without meta_ and _i/_o, value of the C++ field as uint64_t)
#define TOE_RX_META_FIELDS(X, m)                 \
  X(drop, (m).drop)                              \
  X(reason, uint64_t((m).reason))                \
  X(is_tcp, (m).is_tcp)                          \
  X(smac, ::toe::lockstep::mac_u64((m).smac))    \
  X(sip, (m).sip)                                \
  X(dip, (m).dip)                                \
  X(sport, (m).sport)                            \
  X(dport, (m).dport)                            \
  X(seq, (m).seq)                                \
  X(ack, (m).ack)                                \
  X(flags, (m).flags)                            \
  X(window, (m).window)                          \
  X(has_mss, (m).opts.has_mss)                   \
  X(mss, (m).opts.mss)                           \
  X(has_wscale, (m).opts.has_wscale)             \
  X(wscale, (m).opts.wscale)                     \
  X(sack_permitted, (m).opts.sack_permitted)     \
  X(has_ts, (m).opts.has_ts)                     \
  X(ts_val, (m).opts.ts_val)                     \
  X(ts_ecr, (m).opts.ts_ecr)                     \
  X(payload_off, (m).payload_off)                \
  X(payload_len, (m).payload_len)                \
  X(ip_off, (m).ip_off)                          \
  X(ip_hlen, (m).ip_hlen)                        \
  X(ip_total, (m).ip_total)                      \
  X(slot, (m).slot)

struct Mismatch {
  uint64_t cycle = 0;
  std::string port;
  uint64_t rtl = 0, model = 0;
  std::string note;
};

// Drives meta_*_i of a Verilated stage from a SegMeta.
template <typename V>
void drive_meta(V& v, bool valid, const model::SegMeta& m) {
  v.meta_valid_i = valid;
#define TOE_DRIVE(name, value) v.meta_##name##_i = static_cast<std::remove_reference_t<decltype(v.meta_##name##_i)>>(value);
  TOE_RX_META_FIELDS(TOE_DRIVE, m)
#undef TOE_DRIVE
}

// Compares meta_*_o with the model's output register: valid on every cycle,
// every field when valid. Returns the first port that differs.
template <typename V>
std::optional<Mismatch> diff_meta(const V& v, bool valid, const model::SegMeta& m, uint64_t cycle) {
  if (bool(v.meta_valid_o) != valid) return Mismatch{cycle, "meta_valid_o", v.meta_valid_o, valid, ""};
  if (!valid) return std::nullopt;
#define TOE_CMP(name, value)                                                       \
  if (uint64_t(v.meta_##name##_o) != uint64_t(value))                              \
    return Mismatch{cycle, "meta_" #name "_o", uint64_t(v.meta_##name##_o), uint64_t(value), ""};
  TOE_RX_META_FIELDS(TOE_CMP, m)
#undef TOE_CMP
  return std::nullopt;
}

// ---- clocking and tracing -------------------------------------------------------------
// One Verilated module with its own context. With a VCD path, cycles
// [trace_from, trace_to] are dumped (two samples per cycle: clock low, high).
template <typename V>
class Dut {
 public:
  explicit Dut(const std::string& vcd_path = "", uint64_t trace_from = 0, uint64_t trace_to = 0)
      : ctx_(std::make_unique<VerilatedContext>()), from_(trace_from), to_(trace_to) {
    if (!vcd_path.empty()) ctx_->traceEverOn(true);
    top_ = std::make_unique<V>(ctx_.get(), "dut");
    if (!vcd_path.empty()) {
      vcd_ = std::make_unique<VerilatedVcdC>();
      top_->trace(vcd_.get(), 99);
      vcd_->open(vcd_path.c_str());
    }
  }
  ~Dut() {
    top_->final();
    if (vcd_) vcd_->close();
  }
  Dut(const Dut&) = delete;
  Dut& operator=(const Dut&) = delete;

  V& operator*() { return *top_; }
  V* operator->() { return top_.get(); }

  void reset() {
    top_->clk_i = 0;
    top_->rst_ni = 0;
    top_->eval();
    top_->rst_ni = 1;
    top_->eval();
  }
  // The inputs are set: evaluate with the clock low (combinational outputs).
  void settle() {
    top_->clk_i = 0;
    top_->eval();
  }
  // The inputs are set; one rising edge.
  void tick() {
    top_->clk_i = 0;
    top_->eval();
    dump(2 * cycle_);
    top_->clk_i = 1;
    top_->eval();
    dump(2 * cycle_ + 1);
    ++cycle_;
  }
  uint64_t cycle() const { return cycle_; }

 private:
  void dump(uint64_t t) {
    if (vcd_ && cycle_ >= from_ && cycle_ <= to_) vcd_->dump(t);
  }
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<V> top_;
  std::unique_ptr<VerilatedVcdC> vcd_;
  uint64_t from_, to_, cycle_ = 0;
};

// ---- run parameters ------------------------------------------------------------------
inline uint64_t env_u64(const char* name, uint64_t dflt) {
  const char* s = std::getenv(name);
  return s && *s ? std::strtoull(s, nullptr, 0) : dflt;
}
// TOE_LOCKSTEP_CYCLES and TOE_LOCKSTEP_SEED override the defaults of every test.
inline uint64_t lockstep_cycles(uint64_t dflt = 1000000) { return env_u64("TOE_LOCKSTEP_CYCLES", dflt); }
inline uint64_t lockstep_seed(uint64_t dflt) { return env_u64("TOE_LOCKSTEP_SEED", dflt); }

inline std::string hex(uint64_t v) {
  std::ostringstream s;
  s << "0x" << std::hex << v;
  return s.str();
}

inline std::string describe(const Mismatch& m) {
  std::ostringstream s;
  s << "first mismatch at cycle " << m.cycle << ", port " << m.port << ": rtl " << hex(m.rtl) << " ("
    << m.rtl << "), model " << hex(m.model) << " (" << m.model << ")";
  if (!m.note.empty()) s << "; " << m.note;
  return s.str();
}

}  // namespace toe::lockstep
