// SPDX-License-Identifier: Apache-2.0
#include "options.hpp"

#include <cerrno>
#include <cstdlib>

namespace toe::toesim {
namespace {

bool parse_u64(const std::string& s, uint64_t& out, int base = 10) {
  if (s.empty() || s[0] == '-' || s[0] == '+') return false;
  errno = 0;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(s.c_str(), &end, base);
  if (errno != 0 || end == s.c_str() || *end != '\0') return false;
  out = v;
  return true;
}

}  // namespace

uint32_t parse_ipv4_or_throw(const std::string& text, const std::string& what) {
  uint32_t ip = 0;
  if (!net::parse_ip(text, ip)) throw UsageError(what + ": '" + text + "' is not an IPv4 address (expected A.B.C.D)");
  return ip;
}

net::MacAddr parse_mac_or_throw(const std::string& text, const std::string& what) {
  net::MacAddr m;
  if (!net::MacAddr::parse(text, m))
    throw UsageError(what + ": '" + text + "' is not a MAC address (expected six hex bytes, 02:00:00:00:00:02)");
  return m;
}

uint16_t parse_port_or_throw(const std::string& text, const std::string& what) {
  uint64_t v = 0;
  if (!parse_u64(text, v) || v == 0 || v > 65535)
    throw UsageError(what + ": '" + text + "' is not a TCP port (expected 1..65535)");
  return static_cast<uint16_t>(v);
}

void Options::finalize(const std::string& default_local_ip, const std::string& default_peer_ip) {
  try {
    engine_kind = sim::parse_engine_kind(engine);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--engine: ") + e.what());
  }
  local_ip = parse_ipv4_or_throw(local_ip_text.empty() ? default_local_ip : local_ip_text, "--local-ip");
  local_mac = parse_mac_or_throw(local_mac_text, "--local-mac");
  if (local_mac.is_multicast())
    throw UsageError("--local-mac: " + local_mac_text + " is a multicast address (expected unicast)");
  peer_ip = parse_ipv4_or_throw(peer_ip_text.empty() ? default_peer_ip : peer_ip_text, "--peer-ip");
  peer_mac = peer_mac_text.empty() ? peer_mac_default() : parse_mac_or_throw(peer_mac_text, "--peer-mac");
  if (peer_port != -1 && (peer_port < 1 || peer_port > 65535))
    throw UsageError("--peer-port: " + std::to_string(peer_port) + " is not a TCP port (expected 1..65535)");

  listen_ports.clear();
  for (const std::string& item : listen_text) {
    size_t pos = 0;
    while (pos <= item.size()) {
      size_t comma = item.find(',', pos);
      if (comma == std::string::npos) comma = item.size();
      listen_ports.push_back(parse_port_or_throw(item.substr(pos, comma - pos), "--listen"));
      pos = comma + 1;
    }
  }

  has_connect = !connect_text.empty();
  if (has_connect) {
    const size_t colon = connect_text.rfind(':');
    if (colon == std::string::npos)
      throw UsageError("--connect: '" + connect_text + "' lacks a port (expected A.B.C.D:PORT)");
    connect_ip = parse_ipv4_or_throw(connect_text.substr(0, colon), "--connect");
    connect_port = parse_port_or_throw(connect_text.substr(colon + 1), "--connect");
  }

  if (app_text == "echo") {
    app = sim::App::kEcho;
  } else if (app_text == "discard") {
    app = sim::App::kDiscard;
  } else if (app_text.rfind("source:", 0) == 0) {
    app = sim::App::kSource;
    if (!parse_u64(app_text.substr(7), source_bytes))
      throw UsageError("--app: '" + app_text + "': expected source:BYTES with BYTES a decimal count");
  } else {
    throw UsageError("--app: '" + app_text + "' is not an application (expected echo, discard or source:BYTES)");
  }

  arp.clear();
  for (const std::string& a : arp_text) {
    const size_t eq = a.find('=');
    if (eq == std::string::npos) throw UsageError("--arp: '" + a + "': expected A.B.C.D=MAC");
    arp[parse_ipv4_or_throw(a.substr(0, eq), "--arp")] = parse_mac_or_throw(a.substr(eq + 1), "--arp");
  }
  if (has_connect && !arp.count(connect_ip))
    throw UsageError("--connect " + connect_text + ": no neighbour entry for " + net::ip_str(connect_ip) +
                     " (the engine has no ARP resolver yet: add --arp " + net::ip_str(connect_ip) + "=MAC)");

  fixed_isn.reset();
  if (!fixed_isn_text.empty()) {
    std::string t = fixed_isn_text;
    if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) t = t.substr(2);
    uint64_t v = 0;
    if (!parse_u64(t, v, 16) || v > 0xFFFFFFFFull)
      throw UsageError("--fixed-isn: '" + fixed_isn_text + "' is not a 32-bit hex number (expected e.g. 0x67AC0416)");
    fixed_isn = static_cast<uint32_t>(v);
  }

  if (mss < 64 || mss > 9000)
    throw UsageError("--mss: " + std::to_string(mss) + " is out of range (expected 64..9000)");
  if (clock_mhz < 1 || clock_mhz > 2000)
    throw UsageError("--clock-mhz: " + std::to_string(clock_mhz) + " is out of range (expected 1..2000)");
  if (data_bits != 8 && data_bits != 64)
    throw UsageError("--data-bits: " + std::to_string(data_bits) + " is not supported (expected 8 or 64)");
  {  // the one validation of the engine's parameters (toe_defs.hpp), as Engine applies it
    model::EngineParams p;
    p.sessions = sessions;
    p.data_bytes = data_bits / 8;
    const std::string bad = params::check(p);
    if (!bad.empty()) throw UsageError("--sessions " + std::to_string(sessions) + ": " + bad);
  }
  if (msl_ms < -1) throw UsageError("--msl-ms: expected a count of milliseconds >= 0");
  if (!(lead_ms >= 0)) throw UsageError("--lead-ms: expected a time >= 0");
  if (!(tail_ms >= 0)) throw UsageError("--tail-ms: expected a time >= 0");
  if (!(tolerance_ms > 0)) throw UsageError("--tolerance-ms: expected a time > 0");
}

model::EngineConfig Options::engine_config() const {
  model::EngineConfig c;
  c.sessions = sessions;
  c.data_bytes = data_bits / 8;
  c.local_mac = local_mac;
  c.local_ip = local_ip;
  c.mss = static_cast<uint16_t>(mss);
  c.clock_mhz = clock_mhz;
  if (fixed_isn) {
    c.fixed_isn_en = true;
    c.fixed_isn = *fixed_isn;
  }
  return c;
}

sim::HarnessConfig Options::harness_config(uint64_t default_msl_ms) const {
  sim::HarnessConfig h = [] {
    try {
      return sim::HarnessConfig{};  // reads TOE_ENGINE (replaced by --engine below)
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
  }();
  h.engine = engine_kind;
  h.msl_ms = msl_ms >= 0 ? static_cast<uint64_t>(msl_ms) : default_msl_ms;
  return h;
}

}  // namespace toe::toesim
