// SPDX-License-Identifier: Apache-2.0
// toe_sim script: runs a packetdrill script against the engine (see script.hpp,
// docs/scripts.md). The peer's segments are injected as written; the engine's
// are compared field by field with the expected ones; system calls go to the
// harness's host model (the application side of the engine), with the socket
// semantics of Linux (blocking and non-blocking, errno values).
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include "modes.hpp"
#include "script.hpp"
#include "sim_run.hpp"

namespace toe::toesim {

// script_host.cpp: host-configuration commands (`...` lines).
struct HostConfigResult {
  std::vector<std::string> applied, ignored;
  std::optional<uint8_t> rcv_wscale;
  std::optional<uint16_t> mss;
};
HostConfigResult apply_host_commands(const std::string& commands, const std::string& script_path);

namespace {

struct Failure {
  std::string msg;
};

constexpr uint16_t kDefaultPort = 8080;       // packetdrill's bind and connect port
constexpr uint16_t kPassivePeerPort = 40000;  // the peer's port when it opens

struct Result {
  long ret = 0;
  std::string err;  // errno name when ret == -1
  std::string text() const { return ret == -1 ? "-1 " + err : std::to_string(ret); }
};

struct Sock {
  enum class Kind { kNew, kListener, kConn } kind = Kind::kNew;
  bool nonblock = false;
  uint16_t port = 0;  // bound / listening port
  uint32_t conn = model::kNoConn;
  uint32_t tag = 0;       // active open: the harness's tag until the connection is known
  bool active = false;    // connect() was called
  size_t ev_from = 0;     // this connection's events start here (connection ids are reused)
  size_t accept_scan = 0;  // listener: next event to look at
  uint64_t read = 0;
  bool shut_wr = false, shut_rd = false;
  bool err_reported = false;  // the pending socket error was returned once
};

// The 4-tuple's ports and each side's ISN.
struct Flow {
  std::optional<uint32_t> peer_isn, engine_isn;
};

// A raw TCP option of a frame.
struct RawOpt {
  uint8_t kind;
  std::vector<uint8_t> data;
};

class ScriptRunner {
 public:
  ScriptRunner(const std::string& path, Script script, Options& o, SimRun& run)
      : path_(path), sc_(std::move(script)), o_(o), run_(run), h_(run.harness()) {
    bind_port_ = sc_.cfg.bind_port ? *sc_.cfg.bind_port
                                   : (o.listen_ports.empty() ? kDefaultPort : o.listen_ports.front());
    connect_port_ = sc_.cfg.connect_port ? *sc_.cfg.connect_port
                                         : (o.peer_port > 0 ? uint16_t(o.peer_port) : kDefaultPort);
    // --tolerance-ms on the command line (other than its default) overrides the script.
    tol_us_ = o.tolerance_ms != 10 ? int64_t(o.tolerance_ms * 1000) : sc_.cfg.tolerance_us;
  }

  nlohmann::json host_config = nlohmann::json::object();

  // Returns the number of expectations checked; throws Failure.
  int run() {
    for (const ScriptLine& l : sc_.lines) {
      line_ = &l;
      const bool inbound = l.kind == ScriptLine::Kind::kPacket && l.pkt.inbound;
      int64_t offset = 0;
      int64_t t = 0;
      switch (l.time_kind) {
        case ScriptLine::Time::kAbsolute:
          t = l.time_us;
          break;
        case ScriptLine::Time::kRelative:
          offset = (last_inbound_ && inbound) ? last_time_us_ : now_us();
          t = offset + l.time_us;
          break;
        case ScriptLine::Time::kAny:
          offset = now_us();
          t = offset;
          break;
      }
      int64_t t_end = t;
      if (l.range) t_end = l.time_kind == ScriptLine::Time::kAbsolute ? l.time_end_us : offset + l.time_end_us;
      const int64_t tol = tolerance(t);
      switch (l.kind) {
        case ScriptLine::Kind::kPacket:
          if (l.pkt.inbound) {
            advance_to(t);
            inject(l.pkt);
            settle();
          } else {
            expect(l, t, t_end, tol);
            ++checked_;
          }
          break;
        case ScriptLine::Kind::kSyscall: {
          finish_pending();
          advance_to(t);
          int64_t end = t;
          if (l.call.blocking) end = l.time_kind == ScriptLine::Time::kAbsolute ? l.call.end_us : offset + l.call.end_us;
          syscall(l, t, end, tol);
          ++checked_;
          break;
        }
        case ScriptLine::Kind::kShell:
          advance_to(t);
          shell(l);
          break;
        case ScriptLine::Kind::kCode:
          finish_pending();
          advance_to(t);
          code(l);
          ++checked_;
          break;
      }
      last_inbound_ = inbound;
      last_time_us_ = t;
    }
    finish_pending();
    // Let the last reactions happen, and note (not fail) what was not checked, as packetdrill does.
    run_.run_to(run_.cycle() + us_to_cycles(tol_us_));
    if (!run_.engine_frames().empty())
      std::cerr << path_ << ": note: " << run_.engine_frames().size()
                << " engine segment(s) after the last line were not checked, the first: "
                << got_text(run_.engine_frames().front(), nullptr) << "\n";
    return checked_;
  }

 private:
  // ---- time
  int64_t now_us() const { return int64_t(run_.cycles_to_ns(run_.cycle()) / 1000); }
  uint64_t us_to_cycles(int64_t us) const { return run_.ns_to_cycles(uint64_t(std::max<int64_t>(us, 0)) * 1000); }
  int64_t cycle_us(uint64_t c) const { return int64_t(run_.cycles_to_ns(c) / 1000); }
  // packetdrill's: tolerance_usecs, or tolerance_percent of the time since the last event if larger.
  int64_t tolerance(int64_t t) const {
    const double dyn = sc_.cfg.tolerance_percent / 100.0 * double(t - last_time_us_);
    return std::max<int64_t>(tol_us_, int64_t(dyn));
  }
  static std::string secs(int64_t us) {
    char b[32];
    std::snprintf(b, sizeof b, "%.6f", double(us) / 1e6);
    return b;
  }
  static std::string fmt_ms(double ms) {
    char b[32];
    std::snprintf(b, sizeof b, "%g", ms);
    return b;
  }

  // Runs to script time t (microseconds), completing a blocked call on the way.
  // Idle spans are skipped (SimRun::skip_idle_until): with a call blocked, no further than the
  // clock at which it would time out, so a timeout is reported at the clock it would be stepped to.
  uint64_t skip_stop(uint64_t target) const {
    return pending_ ? std::min(target, us_to_cycles(pending_->end + pending_->tol + 1)) : target;
  }
  void advance_to(int64_t t) {
    const uint64_t target = us_to_cycles(t);
    while (run_.cycle() < target) {
      if (!run_.skip_idle_until(skip_stop(target))) run_.step();
      poll_pending();
    }
  }
  // As Linux handles a packet before the script's next line: until the engine has
  // taken the injected frame and has nothing in flight (at most 100 us).
  void settle() {
    const uint64_t limit = run_.cycle() + us_to_cycles(100);
    // A blocked call sees the line's segments all at once (its pieces too), as Linux would.
    settling_ = true;
    run_until([&] { return h_.rx_pending() == 0; }, limit);
    const uint64_t pipeline = run_.cycle() + us_to_cycles(2);  // the receive pipeline's stages
    run_until([&] { return run_.cycle() >= pipeline && !run_.engine().busy(); }, limit);
    settling_ = false;
    poll_pending();
  }
  // Steps until pred() holds or the cycle `limit`. idle_skip: pred() depends on the engine's
  // output only (not on the time), so idle spans may be skipped.
  bool run_until(const std::function<bool()>& pred, uint64_t limit, bool idle_skip = false) {
    while (!pred()) {
      if (run_.cycle() >= limit) return false;
      if (!idle_skip || !run_.skip_idle_until(skip_stop(limit))) run_.step();
      poll_pending();
    }
    return true;
  }

  std::string where(const ScriptLine& l) const { return path_ + ":" + std::to_string(l.line) + ": "; }
  [[noreturn]] void fail(const std::string& what) { throw Failure{where(*line_) + what}; }
  [[noreturn]] void fail_at(const ScriptLine& l, const std::string& what) { throw Failure{where(l) + what}; }
  [[noreturn]] void script_error(const std::string& what) { throw UsageError(where(*line_) + what); }
  [[noreturn]] void unsupported(const std::string& what) { throw ScriptUnsupported(where(*line_) + "unsupported: " + what); }

  // ---- host configuration
  void shell(const ScriptLine& l) {
    const HostConfigResult r = apply_host_commands(l.shell, path_);
    if (r.rcv_wscale) run_.engine().registers().rcv_wscale = *r.rcv_wscale;
    if (r.mss) run_.engine().registers().mss = *r.mss;
    for (const std::string& a : r.applied) host_config["applied"].push_back(a);
    for (const std::string& a : r.ignored) host_config["ignored"].push_back(a);
    if (!r.applied.empty()) {
      std::cerr << where(l) << "note: host configuration applied to the engine:";
      for (const std::string& a : r.applied) std::cerr << " " << a << ";";
      std::cerr << "\n";
    }
    if (!r.ignored.empty()) {
      std::cerr << where(l) << "note: host configuration ignored (no engine equivalent):";
      for (const std::string& a : r.ignored) std::cerr << " " << a << ";";
      std::cerr << "\n";
    }
  }

  // ---- flows
  using FlowKey = std::pair<uint16_t, uint16_t>;  // local (engine) port, peer port
  FlowKey flow_of(const PacketSpec& p) const {
    if (p.src_port >= 0) return p.inbound ? FlowKey{uint16_t(p.dst_port), uint16_t(p.src_port)}
                                          : FlowKey{uint16_t(p.src_port), uint16_t(p.dst_port)};
    return cur_;
  }

  // ---- the peer's segments
  void inject(const PacketSpec& p) {
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

  void send_frame(const FlowKey& k, uint32_t seq, uint32_t ack, uint8_t flags, const PacketSpec& p,
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
    b.push_back(uint8_t(((20 + opts.size()) / 4) << 4));
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
    run_.inject(b);
  }

  static void encode_opt(const TcpOptSpec& o, uint32_t sack_base, std::vector<uint8_t>& out) {
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

  // ---- the engine's segments
  struct Seg {
    bool ok = false;  // IPv4/TCP, parsed
    net::Frame f;
    uint8_t ecn = 0;
    std::vector<RawOpt> opts;
  };
  static Seg decode(const WireFrame& w) {
    Seg s;
    s.ok = net::parse_frame(w.data, s.f) == net::ParseError::kOk && s.f.has_tcp;
    if (!s.ok) return s;
    const std::vector<uint8_t>& d = w.data;
    const size_t ip = 14, ihl = size_t(d[ip] & 0xF) * 4, tcp = ip + ihl;
    s.ecn = d[ip + 1] & 3;
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
  static uint32_t be32(const std::vector<uint8_t>& v, size_t i) {
    return uint32_t(v[i]) << 24 | uint32_t(v[i + 1]) << 16 | uint32_t(v[i + 2]) << 8 | v[i + 3];
  }

  std::string opts_text(const std::vector<RawOpt>& opts, const Flow* fl) const {
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
  std::string got_text(const WireFrame& w, const PacketSpec* like) const {
    const Seg s = decode(w);
    if (!s.ok) return "a frame that is not TCP (" + net::describe(s.f) + ")";
    const net::Frame& f = s.f;
    const auto it = flows_.find(FlowKey{f.tcp.src_port, f.tcp.dst_port});
    const Flow* fl = it == flows_.end() ? nullptr : &it->second;
    const uint32_t seq = fl && fl->engine_isn ? f.tcp.seq - *fl->engine_isn : f.tcp.seq;
    const uint32_t len = static_cast<uint32_t>(f.payload_len);
    std::string t = f.tcp.flags ? net::flags_str(f.tcp.flags) : "-";
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
  static bool opts_match(const std::vector<TcpOptSpec>& want, const std::vector<RawOpt>& got, const Flow& fl) {
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

  void expect(const ScriptLine& l, int64_t t, int64_t t_end, int64_t tol) {
    const PacketSpec& p = l.pkt;
    const FlowKey k = flow_of(p);
    const uint64_t from = run_.cycle();
    const uint64_t limit = l.time_kind == ScriptLine::Time::kAny ? from + us_to_cycles(10 * 1000000)
                                                                : std::max(from, us_to_cycles(t_end + tol));
    auto& q = run_.engine_frames();
    if (!run_until([&] { return !q.empty(); }, limit, true))
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
      if (!run_until([&] { return q.size() > parts; }, limit, true)) break;
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
              s.f.tcp.dst_port == k.second && flags == p.flags && len == p.len;
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

  // ---- system calls
  Sock& sock(int fd) {
    auto it = fds_.find(fd);
    if (it == fds_.end()) script_error("file descriptor " + std::to_string(fd) + " is not open in this script");
    return it->second;
  }
  int fd_arg(const SyscallSpec& c) {
    if (c.args.empty()) script_error(c.name + ": expected a file descriptor as the first argument");
    char* end = nullptr;
    const long fd = std::strtol(c.args[0].c_str(), &end, 10);
    if (end == c.args[0].c_str() || *end) script_error(c.name + ": '" + c.args[0] + "' is not a file descriptor");
    return int(fd);
  }
  long count_arg(const SyscallSpec& c, size_t i) {
    if (c.args.size() <= i) script_error(c.name + ": expected a byte count as argument " + std::to_string(i + 1));
    char* end = nullptr;
    const long n = std::strtol(c.args[i].c_str(), &end, 0);
    if (end == c.args[i].c_str() || *end || n < 0)
      script_error(c.name + ": '" + c.args[i] + "' is not a byte count");
    return n;
  }
  // "[1]" -> 1
  static std::optional<long> bracket_int(const std::string& a) {
    if (a.size() < 3 || a.front() != '[' || a.back() != ']') return std::nullopt;
    char* end = nullptr;
    const std::string in = a.substr(1, a.size() - 2);
    const long v = std::strtol(in.c_str(), &end, 0);
    if (end == in.c_str() || *end) return std::nullopt;
    return v;
  }

  bool saw_since(model::EvtType t, uint32_t conn, size_t from) const {
    const auto& ev = h_.events();
    for (size_t i = from; i < ev.size(); ++i)
      if (ev[i].type == t && ev[i].conn == conn) return true;
    return false;
  }
  // The connection behind s, once the engine has opened it (active opens take a moment).
  bool has_conn(Sock& s) {
    if (s.conn == model::kNoConn && s.active) {
      s.conn = h_.conn_of_tag(s.tag);
      if (s.conn != model::kNoConn) {
        // Events of this connection start at its "opened" event.
        const auto& ev = h_.events();
        for (size_t i = s.ev_from; i < ev.size(); ++i)
          if (ev[i].type == model::EvtType::kOpened && ev[i].conn == s.conn) {
            s.ev_from = i;
            break;
          }
      }
    }
    return s.conn != model::kNoConn;
  }
  bool ev(Sock& s, model::EvtType t) { return has_conn(s) && saw_since(t, s.conn, s.ev_from); }
  bool connected(Sock& s) { return ev(s, model::EvtType::kConnected) || (!s.active && s.conn != model::kNoConn); }
  // The socket error Linux would hold (tcp_reset / the retry limit), or "".
  std::string sock_error(Sock& s) {
    if (s.active && s.conn == model::kNoConn && !has_conn(s)) {
      // no connection yet: connect failed for want of a session?
      return "";
    }
    if (ev(s, model::EvtType::kTimedOut)) return "ETIMEDOUT";
    if (ev(s, model::EvtType::kConnectFailed)) return "ECONNREFUSED";
    if (ev(s, model::EvtType::kReset)) {
      if (!connected(s)) return "ECONNREFUSED";
      if (ev(s, model::EvtType::kPeerClosed)) return "EPIPE";
      return "ECONNRESET";
    }
    return "";
  }
  uint64_t avail(Sock& s) { return has_conn(s) ? h_.bytes_received(s.conn) - s.read : 0; }

  // One attempt of a call that may block: a result, or nothing (it would block).
  using Attempt = std::function<std::optional<Result>()>;

  struct Pending {
    const ScriptLine* line;
    Attempt attempt;
    int64_t start, end, tol;
  };
  std::optional<Pending> pending_;
  bool settling_ = false;

  void check_result(const ScriptLine& l, const Result& r) {
    const SyscallSpec& c = l.call;
    std::string want_err = c.err == "EWOULDBLOCK" ? "EAGAIN" : c.err;
    if (r.ret != c.ret || (c.ret == -1 && r.err != want_err)) fail_at(l, "expected " + l.text + ", got " + r.text());
  }
  void complete(const Pending& p, const Result& r) {
    check_result(*p.line, r);
    const int64_t at = now_us();
    if (at < p.end - p.tol || at > p.end + p.tol) {
      if (p.line->call.blocking)
        fail_at(*p.line, "timing error: expected " + p.line->text + " to return at " + secs(p.end) +
                             " s but it returned at " + secs(at) + " s; tolerance " + secs(p.tol) + " s");
      fail_at(*p.line, "timing error: " + p.line->text + " blocked until " + secs(at) + " s (called at " +
                           secs(p.start) + " s; tolerance " + secs(p.tol) + " s; write T1...T2 for a blocking call)");
    }
  }
  void poll_pending() {
    if (!pending_ || settling_) return;
    if (std::optional<Result> r = pending_->attempt()) {
      const Pending p = *pending_;
      pending_.reset();
      complete(p, *r);
      return;
    }
    if (now_us() > pending_->end + pending_->tol) {
      const Pending p = *pending_;
      pending_.reset();
      if (!p.line->call.blocking)
        fail_at(*p.line, p.line->text + " blocked: it had not returned by " + secs(p.end + p.tol) +
                             " s (write T1...T2 for a call that blocks)");
      fail_at(*p.line, "expected " + p.line->text + " to return by " + secs(p.end + p.tol) +
                           " s, but it was still blocked");
    }
  }
  void finish_pending() {
    while (pending_) {
      run_.step();
      poll_pending();
    }
  }
  // Starts a call at time t that returns by `end` (t when not written T1...T2).
  void call(const ScriptLine& l, int64_t t, int64_t end, int64_t tol, Attempt a) {
    if (std::optional<Result> r = a()) {
      complete(Pending{&l, a, t, end, tol}, *r);
      return;
    }
    pending_ = Pending{&l, std::move(a), t, end, tol};
  }

  // ---- %{ python }%: assertions on the tcpi_* fields the engine can report
  static int linux_state(TcpState st) {  // Linux's TCP_* numbering (include/net/tcp_states.h)
    switch (st) {
      case TcpState::ESTABLISHED: return 1;
      case TcpState::SYN_SENT: return 2;
      case TcpState::SYN_RECEIVED: return 3;
      case TcpState::FIN_WAIT_1: return 4;
      case TcpState::FIN_WAIT_2: return 5;
      case TcpState::TIME_WAIT: return 6;
      case TcpState::CLOSED: return 7;
      case TcpState::CLOSE_WAIT: return 8;
      case TcpState::LAST_ACK: return 9;
      case TcpState::LISTEN: return 10;
      case TcpState::CLOSING: return 11;
    }
    return 7;
  }
  void code(const ScriptLine& l) {
    const std::string& text = l.text;
    const size_t a = text.find("%{"), b = text.rfind("}%");
    if (a == std::string::npos || b == std::string::npos || b < a) script_error("expected %{ ... }%");
    const std::string body = text.substr(a + 2, b - a - 2);
    // The fields of the socket the latest system call used (packetdrill's socket under test).
    auto it = fds_.find(last_fd_);
    if (it == fds_.end()) unsupported("%{ }% with no open socket to take tcpi_* from");
    Sock& s = it->second;
    std::map<std::string, long> v;
    if (s.kind == Sock::Kind::kListener) {
      v["tcpi_state"] = 10;
    } else if (!has_conn(s) || ev(s, model::EvtType::kClosed) || ev(s, model::EvtType::kReset) ||
               ev(s, model::EvtType::kTimedOut)) {
      v["tcpi_state"] = 7;
    } else {
      const model::Tcb& tcb = run_.engine().tcb(s.conn);
      v["tcpi_state"] = linux_state(tcb.state);
      v["tcpi_snd_mss"] = tcb.snd_mss;
      v["tcpi_snd_wscale"] = tcb.ws_ok ? tcb.snd_wscale : 0;
      v["tcpi_rcv_wscale"] = tcb.ws_ok ? tcb.rcv_wscale : 0;
      v["tcpi_options"] = tcb.ws_ok ? 4 : 0;  // TCPI_OPT_WSCALE; no timestamps, SACK or ECN
    }
    // Every tcpi_* name the block uses must be one of them.
    for (size_t i = body.find("tcpi_"); i != std::string::npos; i = body.find("tcpi_", i + 1)) {
      size_t e = i;
      while (e < body.size() && (std::isalnum(static_cast<unsigned char>(body[e])) || body[e] == '_')) ++e;
      const std::string name = body.substr(i, e - i);
      if (!v.count(name)) unsupported("%{ }% field " + name + " (the engine reports tcpi_state, tcpi_snd_mss, tcpi_snd_wscale, tcpi_rcv_wscale, tcpi_options)");
    }
    std::string py = "import sys, textwrap\n";
    const char* const consts[] = {"TCP_ESTABLISHED=1", "TCP_SYN_SENT=2", "TCP_SYN_RECV=3", "TCP_FIN_WAIT1=4",
                                  "TCP_FIN_WAIT2=5", "TCP_TIME_WAIT=6", "TCP_CLOSE=7", "TCP_CLOSE_WAIT=8",
                                  "TCP_LAST_ACK=9", "TCP_LISTEN=10", "TCP_CLOSING=11", "TCPI_OPT_TIMESTAMPS=1",
                                  "TCPI_OPT_SACK=2", "TCPI_OPT_WSCALE=4", "TCPI_OPT_ECN=8"};
    for (const char* k : consts) py += std::string(k) + "\n";
    for (const auto& [name, val] : v) py += name + "=" + std::to_string(val) + "\n";
    py += "try:\n  exec(compile(textwrap.dedent(" + nlohmann::json(body).dump() + ").strip() + '\\n', 'code', 'exec'))\n";
    py += "except AssertionError as e:\n  print('assertion failed' + (': ' + str(e) if str(e) else '')); sys.exit(1)\n";
    py += "except Exception as e:\n  print('error: %s: %s' % (type(e).__name__, e)); sys.exit(2)\n";
    char tmpl[] = "/tmp/toe_sim_code_XXXXXX";
    const int tfd = mkstemp(tmpl);
    if (tfd < 0) script_error("%{ }%: cannot write a temporary file");
    {
      std::ofstream f(tmpl);
      f << py;
    }
    ::close(tfd);
    std::string out;
    FILE* p = popen(("python3 " + std::string(tmpl) + " 2>&1").c_str(), "r");
    if (!p) script_error("%{ }%: cannot run python3");
    char buf[256];
    while (fgets(buf, sizeof buf, p)) out += buf;
    const int st = pclose(p);
    std::remove(tmpl);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    const int rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    std::string vals;
    for (const auto& [name, val] : v) vals += (vals.empty() ? "" : ", ") + name + "=" + std::to_string(val);
    if (rc == 1) fail("%{ }% " + out + " (" + vals + ")");
    if (rc != 0) script_error("%{ }%: " + (out.empty() ? "python3 failed" : out));
  }

  void syscall(const ScriptLine& l, int64_t t, int64_t end, int64_t tol) {
    const SyscallSpec& c = l.call;
    if ((c.name == "socket" || c.name == "accept") && c.ret >= 0) {
      last_fd_ = int(c.ret);
    } else if (!c.args.empty() && c.name != "socket") {
      char* e = nullptr;
      const long fd = std::strtol(c.args[0].c_str(), &e, 10);
      if (e != c.args[0].c_str() && !*e) last_fd_ = int(fd);
    }
    const std::string& n = c.name;
    auto now = [&](Result r) { call(l, t, end, tol, [r] { return std::optional<Result>(r); }); };
    auto has = [&](const std::string& a, const char* w) { return a.find(w) != std::string::npos; };
    if (n == "socket") {
      if (c.args.size() != 3) script_error("socket: expected 3 arguments");
      if (has(c.args[0], "AF_INET6") || has(c.args[0], "PF_INET6")) unsupported("IPv6 sockets");
      if (!has(c.args[1], "SOCK_STREAM")) unsupported("socket type '" + c.args[1] + "' (only SOCK_STREAM)");
      if (c.ret < 0) unsupported("a failing socket()");
      if (fds_.count(int(c.ret))) script_error("socket: file descriptor " + std::to_string(c.ret) + " is already open");
      Sock s;
      s.nonblock = has(c.args[1], "SOCK_NONBLOCK");
      s.ev_from = h_.events().size();
      fds_[int(c.ret)] = s;
      return now(Result{c.ret, ""});
    }
    if (n == "setsockopt" || n == "getsockopt") {
      Sock& s = sock(fd_arg(c));
      if (c.args.size() != 5) script_error(n + ": expected 5 arguments");
      const std::string& opt = c.args[2];
      const std::optional<long> v = bracket_int(c.args[3]);
      if (n == "setsockopt") {
        if (opt == "SO_REUSEADDR" || opt == "SO_REUSEPORT") return now(Result{0, ""});
        // The engine sends at once: no Nagle algorithm to turn off.
        if (opt == "TCP_NODELAY" && v && *v == 1) return now(Result{0, ""});
        unsupported("setsockopt " + opt + (c.args[3].empty() ? "" : " " + c.args[3]));
      }
      if (opt == "SO_ERROR") {
        std::string e = sock_error(s);
        long val = 0;
        if (e == "ECONNREFUSED") val = 111;
        else if (e == "ECONNRESET") val = 104;
        else if (e == "ETIMEDOUT") val = 110;
        else if (e == "EPIPE") val = 32;
        const std::optional<long> want = bracket_int(c.args[3]);
        const std::string wn = c.args[3].size() > 2 ? c.args[3].substr(1, c.args[3].size() - 2) : "";
        const bool match = (want && *want == val) || (!want && wn == e);
        if (c.ret == 0 && !match) fail("expected " + l.text + ", got SO_ERROR " + (e.empty() ? "0" : e));
        return now(Result{0, ""});
      }
      if (opt == "TCP_MAXSEG" && s.kind == Sock::Kind::kConn && has_conn(s)) {
        // The MSS the engine sends with (its own capped by the peer's).
        const long mss = long(run_.engine().tcb(s.conn).snd_mss);
        if (c.ret == 0 && (!v || *v != mss)) fail("expected " + l.text + ", got TCP_MAXSEG [" + std::to_string(mss) + "]");
        return now(Result{0, ""});
      }
      unsupported("getsockopt " + opt);
    }
    if (n == "fcntl") {
      Sock& s = sock(fd_arg(c));
      if (c.args.size() >= 2 && c.args[1] == "F_SETFL" && c.args.size() == 3) {
        s.nonblock = has(c.args[2], "O_NONBLOCK");
        return now(Result{0, ""});
      }
      if (c.args.size() == 2 && c.args[1] == "F_GETFL") return now(Result{0x2 | (s.nonblock ? 0x800 : 0), ""});
      unsupported("fcntl " + (c.args.size() > 1 ? c.args[1] : std::string()));
    }
    if (n == "bind") {
      Sock& s = sock(fd_arg(c));
      s.port = bind_port_;
      for (const std::string& a : c.args) {
        const size_t h = a.find("htons(");
        if (h != std::string::npos) s.port = static_cast<uint16_t>(std::strtoul(a.c_str() + h + 6, nullptr, 10));
      }
      return now(Result{0, ""});
    }
    if (n == "listen") {
      Sock& s = sock(fd_arg(c));
      if (s.port == 0) s.port = bind_port_;
      s.kind = Sock::Kind::kListener;
      s.accept_scan = h_.events().size();
      h_.listen(s.port, sim::App::kNone);
      cur_ = FlowKey{s.port, o_.peer_port > 0 ? uint16_t(o_.peer_port) : kPassivePeerPort};
      return now(Result{0, ""});
    }
    if (n == "accept" || n == "accept4") {
      const int fd = fd_arg(c);
      if (sock(fd).kind != Sock::Kind::kListener) return now(Result{-1, "EINVAL"});
      const int newfd = int(c.ret);
      if (newfd >= 0 && fds_.count(newfd))
        script_error("accept: file descriptor " + std::to_string(newfd) + " is already open");
      return call(l, t, end, tol, [this, fd, newfd]() -> std::optional<Result> {
        Sock& ls = fds_.at(fd);
        const auto& ev = h_.events();
        for (; ls.accept_scan < ev.size(); ++ls.accept_scan)
          if (ev[ls.accept_scan].type == model::EvtType::kAccepted && ev[ls.accept_scan].lport == ls.port) {
            Sock a;
            a.kind = Sock::Kind::kConn;
            a.conn = ev[ls.accept_scan].conn;
            a.ev_from = ls.accept_scan;
            ++ls.accept_scan;
            if (newfd < 0) return Result{long(fds_.size() + 3), ""};
            fds_[newfd] = a;
            return Result{newfd, ""};
          }
        if (ls.nonblock) return Result{-1, "EAGAIN"};
        return std::nullopt;
      });
    }
    if (n == "connect") {
      const int fd = fd_arg(c);
      Sock& s = sock(fd);
      if (s.kind == Sock::Kind::kListener) return now(Result{-1, "EISCONN"});
      if (s.active) {
        if (connected(s)) return now(Result{-1, "EISCONN"});
        return now(Result{-1, "EALREADY"});  // a second connect while the first is under way
      }
      s.active = true;
      s.kind = Sock::Kind::kConn;
      s.ev_from = h_.events().size();
      const uint16_t lport = uint16_t(kFirstEphemeralPort + connects_++);
      cur_ = FlowKey{lport, connect_port_};
      flows_.erase(cur_);
      s.tag = h_.connect(o_.peer_ip, connect_port_, lport, o_.peer_mac, sim::App::kNone);
      if (s.nonblock) return now(Result{-1, "EINPROGRESS"});
      return call(l, t, end, tol, [this, fd]() -> std::optional<Result> {
        Sock& cs = fds_.at(fd);
        if (connected(cs)) return Result{0, ""};
        const std::string e = sock_error(cs);
        if (!e.empty()) {
          cs.err_reported = true;
          return Result{-1, e};
        }
        return std::nullopt;
      });
    }
    if (n == "write" || n == "send" || n == "sendto") {
      const int fd = fd_arg(c);
      const long len = count_arg(c, 2);
      bool dontwait = false;
      if (n != "write" && c.args.size() >= 4 && c.args[3] != "0") {
        if (c.args[3] == "MSG_DONTWAIT") dontwait = true;
        else unsupported(n + " flags " + c.args[3]);
      }
      if (n == "write" && c.args.size() != 3) script_error("write: expected 3 arguments");
      if (c.args.size() > 1 && c.args[1] == "NULL") return now(Result{-1, "EFAULT"});
      // A blocking write returns once every byte is in the send buffer.
      auto done = std::make_shared<long>(0);
      return call(l, t, end, tol, [this, fd, len, dontwait, done]() -> std::optional<Result> {
        Sock& s = fds_.at(fd);
        const bool nb = s.nonblock || dontwait;
        if (s.kind != Sock::Kind::kConn) return Result{-1, "EPIPE"};
        const std::string e = sock_error(s);
        if (!e.empty()) {
          if (!s.err_reported) {
            s.err_reported = true;
            return Result{-1, e};
          }
          return Result{-1, "EPIPE"};
        }
        if (s.shut_wr) return Result{-1, "EPIPE"};
        if (!connected(s)) {
          if (nb) return Result{-1, "EAGAIN"};
          return std::nullopt;
        }
        const size_t space = h_.tx_space(s.conn);
        if (space == 0 && *done == 0 && nb) return Result{-1, "EAGAIN"};
        std::vector<uint8_t> data(std::min<size_t>(size_t(len - *done), space), 0);
        if (!data.empty()) *done += long(h_.send(s.conn, data.data(), data.size()));
        if (nb || *done == len) return Result{*done, ""};
        return std::nullopt;
      });
    }
    if (n == "read" || n == "recv" || n == "recvfrom") {
      const int fd = fd_arg(c);
      const long len = count_arg(c, 2);
      bool dontwait = false;
      if (n != "read" && c.args.size() >= 4 && c.args[3] != "0") {
        if (c.args[3] == "MSG_DONTWAIT") dontwait = true;
        else unsupported(n + " flags " + c.args[3]);
      }
      if (n == "read" && c.args.size() != 3) script_error("read: expected 3 arguments");
      if (c.args.size() > 1 && c.args[1] == "NULL") return now(Result{-1, "EFAULT"});
      return call(l, t, end, tol, [this, fd, len, dontwait]() -> std::optional<Result> {
        Sock& s = fds_.at(fd);
        const bool nb = s.nonblock || dontwait;
        if (s.kind != Sock::Kind::kConn) return Result{-1, "ENOTCONN"};
        if (const uint64_t a = avail(s); a > 0 && len > 0) {
          const uint64_t r = std::min<uint64_t>(a, uint64_t(len));
          s.read += r;
          return Result{long(r), ""};
        }
        const std::string e = sock_error(s);
        if (!e.empty() && !s.err_reported && e != "EPIPE") {
          s.err_reported = true;
          return Result{-1, e};
        }
        if (!e.empty() || s.shut_rd || ev(s, model::EvtType::kPeerClosed) || len == 0) return Result{0, ""};
        if (nb) return Result{-1, "EAGAIN"};
        return std::nullopt;
      });
    }
    if (n == "shutdown") {
      const int fd = fd_arg(c);
      Sock& s = sock(fd);
      if (c.args.size() != 2) script_error("shutdown: expected 2 arguments");
      const std::string& how = c.args[1];
      const bool rd = how == "SHUT_RD" || how == "SHUT_RDWR", wr = how == "SHUT_WR" || how == "SHUT_RDWR";
      if (!rd && !wr) script_error("shutdown: '" + how + "' is not SHUT_RD, SHUT_WR or SHUT_RDWR");
      if (s.kind == Sock::Kind::kListener) {
        unlisten(s);
        return now(Result{0, ""});
      }
      if (s.kind != Sock::Kind::kConn || (s.active && !connected(s) && sock_error(s).empty()))
        return now(Result{-1, "ENOTCONN"});
      if (rd) s.shut_rd = true;
      if (wr && !s.shut_wr) {
        s.shut_wr = true;
        if (sock_error(s).empty()) h_.close(s.conn);
      }
      return now(Result{0, ""});
    }
    if (n == "close") {
      const int fd = fd_arg(c);
      Sock& s = sock(fd);
      if (s.kind == Sock::Kind::kListener) {
        unlisten(s);
      } else if (s.kind == Sock::Kind::kConn) {
        if (!has_conn(s)) {
          // Not opened yet: nothing to tell the peer.
        } else if (s.active && !connected(s)) {
          if (sock_error(s).empty()) h_.abort(s.conn);  // SYN_SENT: drop the TCB (RFC 9293 3.10.4)
        } else if (sock_error(s).empty() && !ev(s, model::EvtType::kClosed)) {
          // Linux resets when unread data is thrown away (RFC 9293 3.10.4, RFC 2525 2.17).
          if (avail(s) > 0) h_.abort(s.conn);
          else if (!s.shut_wr) h_.close(s.conn);
        }
      }
      fds_.erase(fd);
      return now(Result{0, ""});
    }
    if (n == "ioctl" && c.args.size() == 3 && (c.args[1] == "SIOCINQ" || c.args[1] == "FIONREAD")) {
      Sock& s = sock(fd_arg(c));
      if (s.kind != Sock::Kind::kConn) return now(Result{-1, "EINVAL"});
      const long a = long(avail(s));
      const std::optional<long> want = bracket_int(c.args[2]);
      if (c.ret == 0 && (!want || *want != a)) fail("expected " + l.text + ", got " + c.args[1] + " [" + std::to_string(a) + "]");
      return now(Result{0, ""});
    }
    if (n == "ioctl") unsupported("ioctl " + (c.args.size() > 1 ? c.args[1] : std::string()));
    if (n == "sendmsg" || n == "recvmsg" || n == "writev" || n == "readv" || n == "poll" ||
        n == "epoll_create" || n == "epoll_ctl" || n == "epoll_wait" || n == "sendfile" || n == "splice" ||
        n == "getsockname" || n == "getpeername" || n == "open" || n == "pipe" || n == "socketpair" ||
        n == "select" || n == "usleep" || n == "sleep")
      unsupported("system call " + n);
    script_error("unknown system call '" + n + "'");
  }

  void unlisten(Sock& s) {
    model::Cmd cmd;
    cmd.op = model::CmdOp::kUnlisten;
    cmd.port = s.port;
    h_.command(cmd);
    s.kind = Sock::Kind::kNew;
  }

  std::string path_;
  Script sc_;
  Options& o_;
  SimRun& run_;
  sim::Harness& h_;
  const ScriptLine* line_ = nullptr;
  std::map<int, Sock> fds_;
  std::map<FlowKey, Flow> flows_;
  FlowKey cur_{kDefaultPort, kPassivePeerPort};
  uint16_t bind_port_, connect_port_;
  uint16_t connects_ = 0;
  int64_t tol_us_ = 4000;
  bool last_inbound_ = false;
  int64_t last_time_us_ = 0;
  uint16_t ip_id_ = 1;
  int checked_ = 0;
  int last_fd_ = -1;
};

}  // namespace

int run_script(const std::string& script_path, Options& o) {
  Script script;
  try {
    script = parse_script(script_path);
  } catch (const ScriptUnsupported& e) {
    std::cerr << "toe_sim: " << e.what() << "\n";
    return 3;
  }
  if (o.local_ip_text.empty() && !script.cfg.local_ip.empty()) o.local_ip_text = script.cfg.local_ip;
  if (o.peer_ip_text.empty() && !script.cfg.remote_ip.empty()) o.peer_ip_text = script.cfg.remote_ip;
  o.finalize("192.168.0.1", "192.0.2.1");
  SimRun run(o, o.engine_config(), o.harness_config(60000), 0, "toe_sim script " + script_path);
  ScriptRunner r(script_path, std::move(script), o, run);
  int rc = 0;
  run.stats_extra()["mode"] = "script";
  run.stats_extra()["script"] = script_path;
  try {
    const int n = r.run();
    run.stats_extra()["ok"] = true;
    std::cout << "toe_sim: " << script_path << ": "
              << (n == 1 ? "the expectation" : "all " + std::to_string(n) + " expectations") << " held\n";
  } catch (const Failure& f) {
    run.stats_extra()["ok"] = false;
    run.stats_extra()["failure"] = f.msg;
    std::cerr << f.msg << "\n";
    rc = 1;
  } catch (const ScriptUnsupported& e) {
    run.stats_extra()["ok"] = false;
    run.stats_extra()["unsupported"] = e.what();
    std::cerr << "toe_sim: " << e.what() << "\n";
    rc = 3;
  }
  if (!r.host_config.empty()) run.stats_extra()["host_config"] = r.host_config;
  run.finish(std::cout);
  return rc;
}

}  // namespace toe::toesim
