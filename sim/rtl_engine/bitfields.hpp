// SPDX-License-Identifier: Apache-2.0
// Bit fields of Verilated ports and the packed structs of toe_fsm_pkg (Tcb,
// TxReq, Event), shared by the RTL engine wrapper and the lockstep tests.
// Verilator gives a port of up to 64 bits as an integer and a wider one as
// VlWide<N> (32-bit words, bit 0 = bit 0 of word 0).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <type_traits>

#include "fsm/fsm_pkg.hpp"
#include "toe/net/codec.hpp"

namespace toe::rtl {

inline uint64_t get_field(const uint32_t* w, unsigned lsb, unsigned width) {
  uint64_t v = 0;
  for (unsigned done = 0; done < width;) {
    const unsigned bit = lsb + done, word = bit / 32, off = bit % 32;
    const unsigned n = std::min(32u - off, width - done);
    const uint64_t chunk = (uint64_t(w[word]) >> off) & ((n == 32) ? 0xFFFFFFFFull : ((1ull << n) - 1));
    v |= chunk << done;
    done += n;
  }
  return v;
}

inline void set_field(uint32_t* w, unsigned lsb, unsigned width, uint64_t v) {
  for (unsigned done = 0; done < width;) {
    const unsigned bit = lsb + done, word = bit / 32, off = bit % 32;
    const unsigned n = std::min(32u - off, width - done);
    const uint32_t mask = (n == 32) ? 0xFFFFFFFFu : (((1u << n) - 1) << off);
    w[word] = (w[word] & ~mask) | (uint32_t(v >> done) << off & mask);
    done += n;
  }
}

// Port <-> 32-bit words.
template <class P>
void port_to_words(const P& port, uint32_t* w, size_t n) {
  if constexpr (std::is_integral_v<P>) {
    w[0] = uint32_t(uint64_t(port));
    if (n > 1) w[1] = uint32_t(uint64_t(port) >> 32);
  } else {
    for (size_t i = 0; i < n && i < std::size(port.m_storage); ++i) w[i] = port[i];
  }
}
template <class P>
void words_to_port(P& port, const uint32_t* w, unsigned bits) {
  if constexpr (std::is_integral_v<P>) {
    uint64_t v = w[0];
    if (bits > 32) v |= uint64_t(w[1]) << 32;
    port = static_cast<P>(v);
  } else {
    for (size_t i = 0; i < std::size(port.m_storage); ++i) port[i] = w[i];
  }
}

inline uint64_t mac_u64(const net::MacAddr& m) {  // first byte on the wire in bits 47:40
  uint64_t v = 0;
  for (uint8_t b : m.b) v = v << 8 | b;
  return v;
}
inline net::MacAddr u64_mac(uint64_t v) {
  net::MacAddr m;
  for (int i = 5; i >= 0; --i, v >>= 8) m.b[size_t(i)] = uint8_t(v);
  return m;
}

template <class T>
uint64_t to_u64(const T& x) {
  if constexpr (std::is_same_v<T, net::MacAddr>)
    return mac_u64(x);
  else
    return uint64_t(x);
}
template <class T>
void from_u64(T& x, uint64_t v) {
  if constexpr (std::is_same_v<T, net::MacAddr>)
    x = u64_mac(v);
  else if constexpr (std::is_same_v<T, bool>)
    x = v != 0;
  else
    x = static_cast<T>(v);
}

constexpr unsigned kTcbW = 747;

// toe_fsm_pkg::tcb_t, field by field, MSB first (the order of the packed struct).
template <class V, class T>
constexpr void visit_tcb(V& v, T& t) {
  v("state", 4, t.state);
  v("passive", 1, t.passive);
  v("rip", 32, t.rip);
  v("rport", 16, t.rport);
  v("lport", 16, t.lport);
  v("rmac", 48, t.rmac);
  v("iss", 32, t.iss);
  v("snd_una", 32, t.snd_una);
  v("snd_nxt", 32, t.snd_nxt);
  v("snd_max", 32, t.snd_max);
  v("snd_wnd", 32, t.snd_wnd);
  v("snd_wl1", 32, t.snd_wl1);
  v("snd_wl2", 32, t.snd_wl2);
  v("max_snd_wnd", 32, t.max_snd_wnd);
  v("irs", 32, t.irs);
  v("rcv_nxt", 32, t.rcv_nxt);
  v("snd_mss", 16, t.snd_mss);
  v("snd_wscale", 8, t.snd_wscale);
  v("rcv_wscale", 8, t.rcv_wscale);
  v("ws_ok", 1, t.ws_ok);
  v("fin_pending", 1, t.fin_pending);
  v("fin_rcvd", 1, t.fin_rcvd);
  v("probe", 1, t.probe);
  v("probing", 1, t.probing);
  v("rx_wr", 32, t.rx_wr);
  v("rx_rd", 32, t.rx_rd);
  v("tx_wr", 32, t.tx_wr);
  v("last_tx_cycle", 64, t.last_tx_cycle);
  v("chal_cycle", 64, t.chal_cycle);
  v("chal_sent", 1, t.chal_sent);
  v("unacked_segs", 16, t.unacked_segs);
  v("tag", 32, t.tag);
}

// The fields add up to the RTL's TcbW (Verilator -Wall catches a TcbW that is not $bits(tcb_t): WIDTH).
struct BitCounter {
  unsigned n = 0;
  template <class T>
  constexpr void operator()(const char*, unsigned width, T&) { n += width; }
};
constexpr unsigned tcb_bits() {
  BitCounter c;
  model::Tcb t;
  visit_tcb(c, t);
  return c.n;
}
static_assert(tcb_bits() == kTcbW, "visit_tcb's fields do not add up to kTcbW (toe_fsm_pkg::TcbW)");

struct Unpacker {
  const uint32_t* w;
  unsigned pos;  // one above the next field's MSB
  template <class T>
  void operator()(const char*, unsigned width, T& x) {
    pos -= width;
    from_u64(x, get_field(w, pos, width));
  }
};

inline model::Tcb unpack_tcb(const uint32_t* w) {
  model::Tcb t;
  Unpacker u{w, kTcbW};
  visit_tcb(u, t);
  return t;
}

}  // namespace toe::rtl
