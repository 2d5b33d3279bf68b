// SPDX-License-Identifier: Apache-2.0
#include "ladder.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "options.hpp"

namespace toe::toesim {
namespace {

constexpr int kWidth = 980;
constexpr int kPeerX = 280, kEngineX = 740, kTimeX = 14;
constexpr int kSegRow = 46, kSegDrop = 30, kStateRow = 22;

std::string esc(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

std::string segment_label(const ConnItem& s) {
  std::string l = flag_names(s.tcp.flags) + " seq=" + std::to_string(s.tcp.seq);
  if (s.tcp.flags & net::kAck) l += " ack=" + std::to_string(s.tcp.ack);
  if (s.len) l += " len=" + std::to_string(s.len);
  if (!s.csum_ok) l += " [bad checksum]";
  return l;
}

// A state name beside a time line, on a light box, with a dot on the line.
void state_label(std::ostringstream& o, bool engine_side, int y, const std::string& name) {
  const int x = engine_side ? kEngineX + 10 : kPeerX - 10;
  const int w = int(name.size()) * 7 + 10;
  const int rx = engine_side ? x - 4 : x - w + 4;
  o << "<circle cx='" << (engine_side ? kEngineX : kPeerX) << "' cy='" << y << "' r='3' class='dot'/>\n";
  o << "<rect x='" << rx << "' y='" << y - 9 << "' width='" << w << "' height='17' rx='3' class='stbox'/>\n";
  o << "<text x='" << x << "' y='" << y + 4 << "' class='state' text-anchor='" << (engine_side ? "start" : "end")
    << "'>" << esc(name) << "</text>\n";
}

}  // namespace

std::string flag_names(uint8_t flags) {
  static const struct {
    uint8_t bit;
    const char* name;
  } names[] = {{net::kSyn, "SYN"}, {net::kFin, "FIN"}, {net::kRst, "RST"}, {net::kPsh, "PSH"},
               {net::kAck, "ACK"}, {net::kUrg, "URG"}, {net::kEce, "ECE"}, {net::kCwr, "CWR"}};
  std::string s;
  for (const auto& n : names)
    if (flags & n.bit) s += (s.empty() ? "" : ",") + std::string(n.name);
  return s.empty() ? "(no flags)" : s;
}

std::string render_ladder(const std::vector<ConnView>& conns, const std::string& title, uint32_t clock_mhz) {
  std::ostringstream o;
  int y = 30;
  o << "<text x='" << kTimeX << "' y='" << y << "' class='title'>" << esc(title) << "</text>\n";
  y += 20;
  o << "<text x='" << kTimeX << "' y='" << y
    << "' class='note'>Time runs downward, one row per event (not to scale); times are in \xC2\xB5s since the "
       "start of the run.</text>\n";
  y += 14;
  o << "<text x='" << kTimeX << "' y='" << y
    << "' class='note'>States: the engine's from its TCB trace, the peer's inferred from the segments it sends and "
       "receives (RFC 9293 names).</text>\n";
  y += 16;
  if (conns.empty()) {
    y += 24;
    o << "<text x='" << kTimeX << "' y='" << y << "' class='head'>No TCP segments in this run.</text>\n";
  }
  int n = 0;
  for (const ConnView& c : conns) {
    ++n;
    y += 34;
    std::string head = "Connection " + std::to_string(n) + ": " + c.peer_str() + " \xE2\x86\x94 " + c.local_str();
    if (c.opened == "passive")
      head += " (passive open)";
    else if (c.opened == "active")
      head += " (active open)";
    head += " \xE2\x80\x94 " + std::to_string(c.segments_in + c.segments_out) + " segments";
    o << "<text x='" << kTimeX << "' y='" << y << "' class='head'>" << esc(head) << "</text>\n";
    y += 14;
    // Column headings.
    for (int side = 0; side < 2; ++side) {
      const int x = side ? kEngineX : kPeerX;
      const std::string who = side ? "toe engine" : "peer";
      const std::string addr = side ? c.local_str() : c.peer_str();
      o << "<rect x='" << x - 90 << "' y='" << y << "' width='180' height='36' rx='4' class='hostbox'/>\n";
      o << "<text x='" << x << "' y='" << y + 15 << "' class='host' text-anchor='middle'>" << esc(who) << "</text>\n";
      o << "<text x='" << x << "' y='" << y + 30 << "' class='addr' text-anchor='middle'>" << esc(addr) << "</text>\n";
    }
    y += 36;
    const int line_top = y;
    std::ostringstream body;
    y += 16;
    // Initial states.
    if (!c.peer_initial.empty()) state_label(body, false, y, c.peer_initial);
    if (!c.engine_initial.empty()) state_label(body, true, y, c.engine_initial);
    y += kStateRow;
    // Rows: a segment row, or a state row shared by one label per side.
    // A state row is shared by both sides only for changes within 1 us; a
    // state change that stands apart in time gets its own time label.
    bool state_row_open = false, row_has[2] = {false, false};
    uint64_t row_cycle = 0, last_time_cycle = 0;
    bool any_time = false;
    auto time_label = [&](int ty, uint64_t cyc) {
      const double us = double(cyc) / double(clock_mhz);
      body << "<text x='" << kTimeX << "' y='" << ty << "' class='time'>" << fmt("%.3f", us) << " \xC2\xB5s</text>\n";
      last_time_cycle = cyc;
      any_time = true;
    };
    for (const ConnItem& it : c.items) {
      if (it.kind == ConnItem::Kind::kSegment) {
        if (state_row_open) y += kStateRow;
        state_row_open = false;
        y += 6;
        const bool e = it.from_engine;
        const int x1 = e ? kEngineX : kPeerX, x2 = e ? kPeerX : kEngineX;
        const int y1 = y, y2 = y + kSegDrop;
        const char* cls = (it.tcp.flags & net::kRst) ? "rst" : (e ? "out" : "in");
        body << "<line x1='" << x1 << "' y1='" << y1 << "' x2='" << (x2 + (e ? 4 : -4)) << "' y2='" << y2 << "' class='"
             << cls << (it.csum_ok ? "" : " bad") << "' marker-end='url(#ah-" << cls << ")'/>\n";
        const double ang = std::atan2(double(y2 - y1), double(x2 - x1)) * 180.0 / M_PI;
        const double a = e ? ang + 180.0 : ang;  // keep text upright
        const int mx = (x1 + x2) / 2, my = (y1 + y2) / 2;
        body << "<text x='" << mx << "' y='" << my - 5 << "' class='seg' text-anchor='middle' transform='rotate("
             << fmt("%.2f", a) << " " << mx << " " << my << ")'>" << esc(segment_label(it)) << "</text>\n";
        time_label(y1 + 4, it.cycle);
        y += kSegRow - 6;
      } else {
        const int side = it.kind == ConnItem::Kind::kEngineState ? 1 : 0;
        const bool near = it.cycle - std::min(it.cycle, row_cycle) <= clock_mhz;
        if (!state_row_open || row_has[side] || !near) {
          if (state_row_open) y += kStateRow;
          state_row_open = true;
          row_has[0] = row_has[1] = false;
          row_cycle = it.cycle;
          if (!any_time || it.cycle - std::min(it.cycle, last_time_cycle) > clock_mhz) time_label(y + 4, it.cycle);
        }
        row_has[side] = true;
        state_label(body, side == 1, y, to_string(it.state));
      }
    }
    if (state_row_open) y += kStateRow;
    y += 10;
    for (int x : {kPeerX, kEngineX})
      o << "<line x1='" << x << "' y1='" << line_top << "' x2='" << x << "' y2='" << y << "' class='life'/>\n";
    o << body.str();
  }
  y += 30;
  std::ostringstream svg;
  svg << "<?xml version='1.0' encoding='UTF-8'?>\n"
      << "<svg xmlns='http://www.w3.org/2000/svg' width='" << kWidth << "' height='" << y << "' viewBox='0 0 " << kWidth
      << " " << y << "'>\n"
      << "<style>\n"
         "text{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;fill:#222}\n"
         ".title{font-size:16px;font-weight:bold}.note{font-size:11px;fill:#666}\n"
         ".head{font-size:13px;font-weight:bold}.host{font-size:12px;font-weight:bold}.addr{font-size:12px}\n"
         ".seg{font-size:11px}.time{font-size:11px;fill:#555}.state{font-size:11px;font-weight:bold;fill:#6a1b9a}\n"
         ".hostbox{fill:#eef2f7;stroke:#555}.stbox{fill:#f6effa;stroke:#b39ddb}.dot{fill:#6a1b9a}\n"
         ".life{stroke:#444;stroke-width:2}\n"
         "line.in{stroke:#1f5fbf;stroke-width:1.5}line.out{stroke:#1a7f37;stroke-width:1.5}"
         "line.rst{stroke:#c62828;stroke-width:1.5}line.bad{stroke-dasharray:5,3}\n"
         "</style>\n<defs>\n";
  for (const auto& m : {std::pair<const char*, const char*>{"in", "#1f5fbf"}, {"out", "#1a7f37"}, {"rst", "#c62828"}})
    svg << "<marker id='ah-" << m.first
        << "' viewBox='0 0 10 10' refX='9' refY='5' markerWidth='8' markerHeight='8' orient='auto'>"
           "<path d='M0,0 L10,5 L0,10 z' fill='"
        << m.second << "'/></marker>\n";
  svg << "</defs>\n<rect width='100%' height='100%' fill='white'/>\n" << o.str() << "</svg>\n";
  return svg.str();
}

void write_ladder(const std::string& path, const std::vector<ConnView>& conns, const std::string& title,
                  uint32_t clock_mhz) {
  std::ofstream f(path, std::ios::binary);
  if (!f) throw UsageError("--ladder " + path + ": cannot create the file: " + std::strerror(errno));
  f << render_ladder(conns, title, clock_mhz);
  if (!f) throw UsageError("--ladder " + path + ": write failed");
}

}  // namespace toe::toesim
