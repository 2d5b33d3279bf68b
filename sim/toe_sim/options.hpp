// SPDX-License-Identifier: Apache-2.0
// toe_sim: the command-line options shared by its modes (replay, script, demo)
// and the errors its modes raise.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness.hpp"
#include "toe/net/codec.hpp"

namespace toe::toesim {

// A usage error (bad option value, unknown syntax, unreadable input): exit 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// --engine rtl with parameters (--sessions, --data-bits) no Verilated build of
// the RTL has: exit 4 (the rtl twins of the scenario tests count it as skipped).
struct NoRtlBuild : UsageError {
  using UsageError::UsageError;
};

// The peer's MAC wherever toe_sim plays the peer (raw-IP replay, scripts, demo).
inline net::MacAddr peer_mac_default() { return net::MacAddr{{0x02, 0, 0, 0, 0, 0x01}}; }
// First local port of active opens (IANA dynamic range).
constexpr uint16_t kFirstEphemeralPort = 49152;

struct Options {
  // Raw option text as given (validated and converted by finalize()).
  std::string engine = "model";  // --engine: the default is the model whatever TOE_ENGINE says
  std::string local_ip_text, local_mac_text = "02:00:00:00:00:02";
  std::vector<std::string> listen_text;
  std::string connect_text;
  std::string app_text = "echo";
  std::vector<std::string> arp_text;
  std::string fixed_isn_text;
  uint32_t mss = 1460;
  int64_t msl_ms = -1;  // -1: the mode's default
  uint32_t clock_mhz = 125;
  uint32_t data_bits = 64;
  uint32_t sessions = 16;
  std::string pcap, vcd, ladder, stats;
  bool progress = false;

  // replay
  double lead_ms = 10, tail_ms = 100;
  // script
  std::string peer_ip_text, peer_mac_text;
  int peer_port = -1;  // -1: the mode's default
  double tolerance_ms = 10;

  // Converted values (after finalize()).
  sim::EngineKind engine_kind = sim::EngineKind::kModel;
  uint32_t local_ip = 0;
  net::MacAddr local_mac;
  std::vector<uint16_t> listen_ports;
  bool has_connect = false;
  uint32_t connect_ip = 0;
  uint16_t connect_port = 0;
  sim::App app = sim::App::kEcho;
  uint64_t source_bytes = 0;
  std::map<uint32_t, net::MacAddr> arp;
  std::optional<uint32_t> fixed_isn;
  uint32_t peer_ip = 0;
  net::MacAddr peer_mac;

  // Checks every value; throws UsageError naming the option and what was
  // expected. default_local_ip/default_peer_ip: the mode's defaults.
  void finalize(const std::string& default_local_ip, const std::string& default_peer_ip);
  model::EngineConfig engine_config() const;
  sim::HarnessConfig harness_config(uint64_t default_msl_ms) const;
};

// Parsers used for options and scripts (throw UsageError with `what` in the message).
uint32_t parse_ipv4_or_throw(const std::string& text, const std::string& what);
net::MacAddr parse_mac_or_throw(const std::string& text, const std::string& what);
uint16_t parse_port_or_throw(const std::string& text, const std::string& what);

}  // namespace toe::toesim
