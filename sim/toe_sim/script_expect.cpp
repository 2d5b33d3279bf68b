// SPDX-License-Identifier: Apache-2.0
// toe_sim script: the runner's segments (script_runner.hpp): the peer's, injected as the
// script writes them (relative numbers, options, pieces of the MSS), and the engine's,
// compared field by field with the expected ones (coalescing, option matching, timing).
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "script.hpp"
#include "script_runner.hpp"

namespace toe::toesim::script_detail {

// ---- the peer's segments
void ScriptRunner::inject(const PacketSpec& p) {
  const FlowKey k = flow_of(p);
  Flow& f = flows_[k];
  uint32_t seq = p.start;
  if ((p.flags & net::kSyn) && !(p.flags & net::kAck)) f = Flow{};  // a new connection on this 4-tuple
  if (!f.peer_isn) {
    if (p.flags & net::kSyn) f.peer_isn = p.start;  // absolute until the peer's first SYN
  } else {
    seq = *f.peer_isn + p.start;
  }
  // ACK set and no "ack" written: relative 0, as packetdrill maps it (the engine's ISN).
  const uint32_t ack = (p.flags & net::kAck) ? (f.engine_isn ? *f.engine_isn + p.ack : p.ack) : 0;
  std::vector<uint8_t> opts;
  for (const TcpOptSpec& o : p.opt_list) encode_opt(o, f.engine_isn.value_or(0), opts);
  if (opts.size() > 40) script_error("the TCP options take " + std::to_string(opts.size()) + " bytes (at most 40)");
  while (opts.size() % 4) opts.push_back(0);  // EOL padding
  // A segment larger than the link carries (packetdrill injects it whole, as a
  // GRO aggregate of --mss segments) goes on the wire as the peer would send it:
  // in --mss pieces, else in pieces of the MSS the engine announced.
  const uint32_t room = uint32_t(1500 - 40 - opts.size());
  const uint32_t piece = sc_.cfg.mss ? *sc_.cfg.mss : (p.len <= room ? p.len : std::min<uint32_t>(o_.mss, room));
  if (p.len == 0 || piece >= p.len) {
    send_frame(k, seq, ack, p.flags, p, opts, p.len);
    return;
  }
  for (uint32_t off = 0; off < p.len; off += piece) {
    const uint32_t n = std::min(piece, p.len - off);
    const bool last = off + n == p.len;
    uint8_t fl = p.flags;
    if (!last) fl &= uint8_t(~(net::kPsh | net::kFin));
    if (off) fl &= uint8_t(~net::kSyn);
    send_frame(k, seq + off + ((p.flags & net::kSyn) && off ? 1 : 0), ack, fl, p, opts, n);
  }
}

void ScriptRunner::send_frame(const FlowKey& k, uint32_t seq, uint32_t ack, uint8_t flags, const PacketSpec& p,
                              const std::vector<uint8_t>& opts, uint32_t len) {
  std::vector<uint8_t> b;
  const size_t tcp_len = 20 + opts.size() + len;
  // Ethernet
  b.insert(b.end(), o_.local_mac.b.begin(), o_.local_mac.b.end());
  b.insert(b.end(), o_.peer_mac.b.begin(), o_.peer_mac.b.end());
  b.push_back(0x08);
  b.push_back(0x00);
  // IPv4
  const size_t ip = b.size();
  const uint16_t total = uint16_t(20 + tcp_len);
  const uint16_t id = ip_id_++;
  const uint8_t iph[20] = {0x45, uint8_t(p.ecn > 0 ? p.ecn & 3 : 0), uint8_t(total >> 8), uint8_t(total), uint8_t(id >> 8),
                           uint8_t(id), 0x40, 0, 64, 6, 0, 0,
                           uint8_t(o_.peer_ip >> 24), uint8_t(o_.peer_ip >> 16), uint8_t(o_.peer_ip >> 8), uint8_t(o_.peer_ip),
                           uint8_t(o_.local_ip >> 24), uint8_t(o_.local_ip >> 16), uint8_t(o_.local_ip >> 8), uint8_t(o_.local_ip)};
  b.insert(b.end(), iph, iph + 20);
  const uint16_t ipc = net::csum_fold(net::csum_add(0, b.data() + ip, 20));
  b[ip + 10] = uint8_t(ipc >> 8);
  b[ip + 11] = uint8_t(ipc);
  // TCP
  const size_t tcp = b.size();
  auto put16 = [&](uint16_t v) { b.push_back(uint8_t(v >> 8)); b.push_back(uint8_t(v)); };
  auto put32 = [&](uint32_t v) { put16(uint16_t(v >> 16)); put16(uint16_t(v)); };
  put16(k.second);
  put16(k.first);
  put32(seq);
  put32(ack);
  b.push_back(uint8_t(((20 + opts.size()) / 4) << 4 | (p.ae ? 1 : 0)));  // data offset, AE
  b.push_back(flags);
  put16(p.has_win ? p.win : 65535);
  put16(0);
  put16(p.urg);
  b.insert(b.end(), opts.begin(), opts.end());
  b.insert(b.end(), len, 0);
  uint8_t pseudo[12] = {uint8_t(o_.peer_ip >> 24), uint8_t(o_.peer_ip >> 16), uint8_t(o_.peer_ip >> 8), uint8_t(o_.peer_ip),
                        uint8_t(o_.local_ip >> 24), uint8_t(o_.local_ip >> 16), uint8_t(o_.local_ip >> 8), uint8_t(o_.local_ip),
                        0, 6, uint8_t(tcp_len >> 8), uint8_t(tcp_len)};
  const uint16_t tc = net::csum_fold(net::csum_add(net::csum_add(0, pseudo, 12), b.data() + tcp, tcp_len));
  b[tcp + 16] = uint8_t(tc >> 8);
  b[tcp + 17] = uint8_t(tc);
  const uint64_t beat = std::max<uint64_t>(1, o_.data_bits / 8);
  last_frame_beats_ = (b.size() + beat - 1) / beat;
  bed_.inject(b);
}

void ScriptRunner::encode_opt(const TcpOptSpec& o, uint32_t sack_base, std::vector<uint8_t>& out) {
  auto put32 = [&](uint32_t v) { for (int s = 24; s >= 0; s -= 8) out.push_back(uint8_t(v >> s)); };
  switch (o.kind) {
    case TcpOptSpec::Kind::kNop: out.push_back(1); break;
    case TcpOptSpec::Kind::kEol: out.push_back(0); break;
    case TcpOptSpec::Kind::kMss: out.insert(out.end(), {2, 4, uint8_t(o.a >> 8), uint8_t(o.a)}); break;
    case TcpOptSpec::Kind::kWscale: out.insert(out.end(), {3, 3, uint8_t(o.a)}); break;
    case TcpOptSpec::Kind::kSackOk: out.insert(out.end(), {4, 2}); break;
    case TcpOptSpec::Kind::kSack:
      out.push_back(5);
      out.push_back(uint8_t(2 + 8 * o.blocks.size()));
      for (const auto& bl : o.blocks) {
        put32(sack_base + bl.first);
        put32(sack_base + bl.second);
      }
      break;
    case TcpOptSpec::Kind::kTs:
      out.insert(out.end(), {8, 10});
      put32(o.a);
      put32(o.b);
      break;
  }
}

ScriptRunner::Seg ScriptRunner::decode(const WireFrame& w) {
  Seg s;
  s.ok = net::parse_frame(w.data, s.f) == net::ParseError::kOk && s.f.has_tcp;
  if (!s.ok) return s;
  const std::vector<uint8_t>& d = w.data;
  const size_t ip = 14, ihl = size_t(d[ip] & 0xF) * 4, tcp = ip + ihl;
  s.ecn = d[ip + 1] & 3;
  s.ae = (d[tcp + 12] & 1) != 0;
  const size_t doff = size_t(d[tcp + 12] >> 4) * 4;
  for (size_t i = tcp + 20; i < tcp + doff && i < d.size();) {
    const uint8_t kind = d[i];
    if (kind == 0 || kind == 1) {
      s.opts.push_back({kind, {}});
      ++i;
      if (kind == 0) break;  // the rest is padding
      continue;
    }
    if (i + 1 >= d.size()) break;
    const size_t len = d[i + 1];
    if (len < 2 || i + len > tcp + doff) break;
    s.opts.push_back({kind, std::vector<uint8_t>(d.begin() + long(i + 2), d.begin() + long(i + len))});
    i += len;
  }
  return s;
}

uint32_t ScriptRunner::be32(const std::vector<uint8_t>& v, size_t i) {
  return uint32_t(v[i]) << 24 | uint32_t(v[i + 1]) << 16 | uint32_t(v[i + 2]) << 8 | v[i + 3];
}

std::string ScriptRunner::opts_text(const std::vector<RawOpt>& opts, const Flow* fl) const {
  std::string s = "<";
  for (size_t i = 0; i < opts.size(); ++i) {
    const RawOpt& o = opts[i];
    if (i) s += ",";
    switch (o.kind) {
      case 0: s += "eol"; break;
      case 1: s += "nop"; break;
      case 2: s += o.data.size() == 2 ? "mss " + std::to_string(o.data[0] << 8 | o.data[1]) : "mss ?"; break;
      case 3: s += o.data.size() == 1 ? "wscale " + std::to_string(o.data[0]) : "wscale ?"; break;
      case 4: s += "sackOK"; break;
      case 5:
        s += "sack";
        for (size_t b = 0; b + 8 <= o.data.size(); b += 8) {
          const uint32_t base = fl && fl->peer_isn ? *fl->peer_isn : 0;
          s += " " + std::to_string(be32(o.data, b) - base) + ":" + std::to_string(be32(o.data, b + 4) - base);
        }
        break;
      case 8:
        s += o.data.size() == 8 ? "TS val " + std::to_string(be32(o.data, 0)) + " ecr " + std::to_string(be32(o.data, 4))
                                : "TS ?";
        break;
      default: s += "option " + std::to_string(o.kind); break;
    }
  }
  return s + ">";
}

// The engine's segment in the script's (relative) notation.
std::string ScriptRunner::got_text(const WireFrame& w, const PacketSpec* like) const {
  const Seg s = decode(w);
  if (!s.ok) return "a frame that is not TCP (" + net::describe(s.f) + ")";
  const net::Frame& f = s.f;
  const auto it = flows_.find(FlowKey{f.tcp.src_port, f.tcp.dst_port});
  const Flow* fl = it == flows_.end() ? nullptr : &it->second;
  const uint32_t seq = fl && fl->engine_isn ? f.tcp.seq - *fl->engine_isn : f.tcp.seq;
  const uint32_t len = static_cast<uint32_t>(f.payload_len);
  std::string t = f.tcp.flags || s.ae ? net::flags_str(f.tcp.flags) + (s.ae ? "A" : "") : "-";
  t += " " + std::to_string(seq) + ":" + std::to_string(seq + len) + "(" + std::to_string(len) + ")";
  if (f.tcp.has(net::kAck)) t += " ack " + std::to_string(fl && fl->peer_isn ? f.tcp.ack - *fl->peer_isn : f.tcp.ack);
  if (!like || like->has_win) t += " win " + std::to_string(f.tcp.window);
  if (f.tcp.urgent) t += " urg " + std::to_string(f.tcp.urgent);
  if (!s.opts.empty() || (like && like->opts == PacketSpec::Opts::kList)) t += " " + opts_text(s.opts, fl);
  if (s.ecn) t = std::string(s.ecn == 2 ? "[ect0] " : s.ecn == 1 ? "[ect1] " : "[ce] ") + t;
  const FlowKey want = like ? flow_of(*like) : cur_;
  if (f.ip.src != o_.local_ip || f.ip.dst != o_.peer_ip || f.tcp.src_port != want.first ||
      f.tcp.dst_port != want.second)
    t += " (" + net::ip_str(f.ip.src) + ":" + std::to_string(f.tcp.src_port) + " > " + net::ip_str(f.ip.dst) + ":" +
         std::to_string(f.tcp.dst_port) + ")";
  return t;
}

// Options compared in order, NOPs and EOLs included; numbers relative where the script's are.
bool ScriptRunner::opts_match(const std::vector<TcpOptSpec>& want, const std::vector<RawOpt>& got, const Flow& fl) {
  if (want.size() != got.size()) return false;
  for (size_t i = 0; i < want.size(); ++i) {
    const TcpOptSpec& w = want[i];
    const RawOpt& g = got[i];
    switch (w.kind) {
      case TcpOptSpec::Kind::kNop: if (g.kind != 1) return false; break;
      case TcpOptSpec::Kind::kEol: if (g.kind != 0) return false; break;
      case TcpOptSpec::Kind::kMss:
        if (g.kind != 2 || g.data.size() != 2 || uint32_t(g.data[0] << 8 | g.data[1]) != w.a) return false;
        break;
      case TcpOptSpec::Kind::kWscale:
        if (g.kind != 3 || g.data.size() != 1 || g.data[0] != w.a) return false;
        break;
      case TcpOptSpec::Kind::kSackOk: if (g.kind != 4) return false; break;
      case TcpOptSpec::Kind::kSack: {
        if (g.kind != 5 || g.data.size() != 8 * w.blocks.size()) return false;
        const uint32_t base = fl.peer_isn.value_or(0);
        for (size_t b = 0; b < w.blocks.size(); ++b)
          if (be32(g.data, 8 * b) - base != w.blocks[b].first || be32(g.data, 8 * b + 4) - base != w.blocks[b].second)
            return false;
        break;
      }
      case TcpOptSpec::Kind::kTs:
        // TS val is the engine's own clock; the echo must be what the peer sent.
        if (g.kind != 8 || g.data.size() != 8 || be32(g.data, 4) != w.b) return false;
        break;
    }
  }
  return true;
}

void ScriptRunner::expect(const ScriptLine& l, int64_t t, int64_t t_end, int64_t tol) {
  const PacketSpec& p = l.pkt;
  const FlowKey k = flow_of(p);
  const uint64_t from = bed_.cycle();
  const uint64_t limit = l.time_kind == ScriptLine::Time::kAny ? from + us_to_cycles(10 * 1000000)
                                                              : std::max(from, us_to_cycles(t_end + tol));
  auto& q = bed_.engine_frames();
  // The device hands a frame over up to one quantum (1 us) after its first beat: wait that much
  // longer; the timing check below judges the frame by its first beat.
  const uint64_t wait_limit = limit + us_to_cycles(2);
  if (!run_until([&] { return !q.empty() && q.front().cycle <= limit; }, wait_limit))
    fail("expected " + l.text + (l.time_kind == ScriptLine::Time::kAny ? "" : " at " + secs(t) + " s") +
         ", got nothing by " + secs(cycle_us(limit)) + " s (tolerance " + fmt_ms(double(tol) / 1000) + " ms)");
  Seg s = decode(q.front());
  // Learn the engine's ISN from its first SYN on this flow.
  if (s.ok && s.f.tcp.has(net::kSyn) && (p.flags & net::kSyn) && s.f.tcp.src_port == k.first &&
      s.f.tcp.dst_port == k.second && !flows_[k].engine_isn)
    flows_[k].engine_isn = s.f.tcp.seq - p.start;
  Flow& fl = flows_[k];
  // Segments sent apart may stand for one larger expected segment (packetdrill's
  // TSO/GSO coalescing), unless --strict_segments.
  size_t parts = 1;
  uint32_t len = s.ok ? uint32_t(s.f.payload_len) : 0;
  uint8_t flags = s.ok ? s.f.tcp.flags : 0;
  net::TcpHeader last = s.f.tcp;
  uint32_t next_seq = s.f.tcp.seq + len;
  while (s.ok && !sc_.cfg.strict_segments && len < p.len && !(flags & (net::kFin | net::kSyn | net::kRst))) {
    if (!run_until([&] { return q.size() > parts; }, wait_limit)) break;
    const Seg n = decode(q[parts]);
    if (!n.ok || n.f.tcp.src_port != s.f.tcp.src_port || n.f.tcp.dst_port != s.f.tcp.dst_port ||
        n.f.tcp.seq != next_seq || n.f.payload_len == 0 || len + n.f.payload_len > p.len)
      break;
    last = n.f.tcp;
    len += uint32_t(n.f.payload_len);
    next_seq += uint32_t(n.f.payload_len);
    flags |= n.f.tcp.flags;
    ++parts;
  }
  const WireFrame first = q.front();
  const uint64_t arrival = q[parts - 1].cycle;
  bool ok = s.ok && s.f.ip.src == o_.local_ip && s.f.ip.dst == o_.peer_ip && s.f.tcp.src_port == k.first &&
            s.f.tcp.dst_port == k.second && flags == p.flags && s.ae == p.ae && len == p.len;
  if (ok) ok = (fl.engine_isn ? s.f.tcp.seq - *fl.engine_isn : s.f.tcp.seq) == p.start;
  if (ok && p.has_ack) ok = (fl.peer_isn ? last.ack - *fl.peer_isn : last.ack) == p.ack;
  if (ok && p.has_win) ok = last.window == p.win;
  if (ok && p.urg) ok = s.f.tcp.urgent == p.urg;
  if (ok && p.ecn >= 0) ok = p.ecn == 4 ? (s.ecn == 1 || s.ecn == 2) : s.ecn == p.ecn;
  if (ok && p.opts != PacketSpec::Opts::kAny) ok = opts_match(p.opt_list, s.opts, fl);
  if (!ok) {
    std::string got = got_text(first, &p);
    if (parts > 1) got += " and " + std::to_string(parts - 1) + " more segment(s) coalesced";
    got += ", sent at " + secs(cycle_us(first.cycle)) + " s";
    if (cycle_us(first.cycle) < t - tol) got += " (before this line's time: a segment no line expected?)";
    fail("expected " + l.text + ", got " + got);
  }
  for (size_t i = 0; i < parts; ++i) q.pop_front();

  const int64_t at = cycle_us(arrival);
  if (l.time_kind != ScriptLine::Time::kAny && (at < t - tol || at > t_end + tol)) {
    if (l.range)
      fail("timing error: expected " + l.text + " in time range " + secs(t) + "~" + secs(t_end) +
           " s but it happened at " + secs(at) + " s; tolerance " + secs(tol) + " s");
    fail("timing error: expected " + l.text + " at " + secs(t) + " s but it happened at " + secs(at) +
         " s; tolerance " + secs(tol) + " s");
  }
}

}  // namespace toe::toesim::script_detail
