// SPDX-License-Identifier: Apache-2.0
// Pieces the product's runs share (toe_sim demo, toe_sim tap): frames as captured on the engine's
// port, retransmissions counted on the wire, the first connection's ASCII ladder.
#pragma once

#include <systemc>

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "conn_view.hpp"

namespace toe::toesim {

inline uint64_t ns_of(const sc_core::sc_time& t) { return t.value() / sc_core::sc_time(1, sc_core::SC_NS).value(); }

// A frame as one side sent it (Link::on_sent) or the engine received it (Link::on_deliver).
struct Captured {
  uint64_t t_ns;
  bool from_engine;
  bool lost;  // sent, and the link lost it
  std::vector<uint8_t> data;
};

// "A.B.C.D:PORT"
std::string ip_port(uint32_t ip, uint16_t port);

// Segments that repeat sequence space already sent in their direction (SYN, FIN and data), by
// (engine port, peer port, from engine).
void count_retransmissions(const std::vector<Captured>& cap, uint32_t engine_ip,
                           std::map<std::tuple<uint16_t, uint16_t, bool>, uint64_t>& retx);

// The connection's segments as text, one line each, engine on the right (the first 40);
// peer_name labels the left column ("lwIP", "Linux").
std::string ascii_ladder(const ConnView& v, uint32_t clock_mhz, const std::string& peer_name = "lwIP");

}  // namespace toe::toesim
