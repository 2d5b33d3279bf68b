// SPDX-License-Identifier: Apache-2.0
// The pieces toe_sim demo and toe_sim tap share (see demo_common.hpp).
#include "demo_common.hpp"

#include <algorithm>
#include <iomanip>
#include <sstream>
#include <vector>

#include "ladder.hpp"
#include "toe/net/codec.hpp"

namespace toe::toesim {

std::string ip_port(uint32_t ip, uint16_t port) { return net::ip_str(ip) + ":" + std::to_string(port); }

// Segments that repeat sequence space already sent in their direction (SYN, FIN and data).
void count_retransmissions(const std::vector<Captured>& cap, uint32_t engine_ip,
                           std::map<std::tuple<uint16_t, uint16_t, bool>, uint64_t>& retx) {
  std::map<std::tuple<uint16_t, uint16_t, bool>, uint32_t> high;  // (engine port, peer port, from engine)
  for (const Captured& c : cap) {
    net::Frame f;
    if (net::parse_frame(c.data, f) != net::ParseError::kOk || !f.has_tcp) continue;
    const bool from_engine = f.ip.src == engine_ip;
    const uint16_t eport = from_engine ? f.tcp.src_port : f.tcp.dst_port;
    const uint16_t pport = from_engine ? f.tcp.dst_port : f.tcp.src_port;
    const uint32_t len = uint32_t(f.payload_len) + (f.tcp.has(net::kSyn) ? 1 : 0) + (f.tcp.has(net::kFin) ? 1 : 0);
    if (len == 0) continue;
    const auto key = std::make_tuple(eport, pport, from_engine);
    const uint32_t end = f.tcp.seq + len;
    auto it = high.find(key);
    if (f.tcp.has(net::kSyn) && !f.tcp.has(net::kAck) && it != high.end() && it->second != f.tcp.seq + 1) {
      high.erase(it);  // a new incarnation of the 4-tuple
      it = high.end();
    }
    if (it == high.end()) {
      high[key] = end;
    } else if (int32_t(end - it->second) <= 0) {
      ++retx[key];
    } else {
      it->second = end;
    }
  }
}


// The first connection's segments as text, one line each, engine on the right.
std::string ascii_ladder(const ConnView& v, uint32_t clock_mhz, const std::string& peer_name) {
  // The first 40 segments, each label whole: the arrows are as wide as the longest label needs.
  struct Row {
    uint64_t cycle;
    bool from_engine;
    std::string label;
  };
  std::vector<Row> rows;
  size_t w = 44;
  for (const ConnItem& it : v.items) {
    if (it.kind != ConnItem::Kind::kSegment) continue;
    if (rows.size() == 40) break;
    std::ostringstream label;
    label << flag_names(it.tcp.flags) << " seq=" << it.tcp.seq;
    if (it.tcp.has(net::kAck)) label << " ack=" << it.tcp.ack;
    if (it.len) label << " len=" << it.len;
    rows.push_back({it.cycle, it.from_engine, label.str()});
    w = std::max(w, rows.back().label.size() + 8);
  }
  std::ostringstream os;
  const std::string left = peer_name + " " + v.peer_str(), right = "engine " + v.local_str();
  os << "  time (ms)   " << left << std::string(w + 3 > left.size() + right.size() ? w + 3 - left.size() - right.size() : 1, ' ')
     << right << "\n";
  for (const Row& r : rows) {
    const size_t pad = w - r.label.size() - 2;
    const std::string body = std::string(pad / 2, '-') + " " + r.label + " " + std::string(pad - pad / 2, '-');
    os << "  " << std::right << std::setw(9) << std::fixed << std::setprecision(3)
       << double(r.cycle) / clock_mhz / 1000.0 << "   |" << (r.from_engine ? "<" + body : body + ">") << "|\n";
  }
  const uint64_t all = v.segments_in + v.segments_out;
  if (all > rows.size()) os << "  ... " << all << " segments in all\n";
  return os.str();
}


}  // namespace toe::toesim
