// SPDX-License-Identifier: Apache-2.0
// toe_sim script: runs a packetdrill-subset script against the engine (see script.hpp).
#include <algorithm>
#include <iostream>
#include <map>
#include <optional>

#include "modes.hpp"
#include "script.hpp"
#include "sim_run.hpp"

namespace toe::toesim {
namespace {

struct Failure {
  std::string msg;
};

constexpr uint16_t kDefaultPort = 8080;       // packetdrill's
constexpr uint16_t kPassivePeerPort = 40000;  // the peer's port when it opens

struct Sock {
  enum class Kind { kSocket, kListener, kConn } kind = Kind::kSocket;
  uint16_t port = 0;  // listener: the listening port
  uint32_t conn = model::kNoConn;
  uint32_t tag = 0;   // active open, until the connection is known
  uint64_t read = 0;  // bytes the script has read
  uint64_t written = 0;
};

class ScriptRunner {
 public:
  ScriptRunner(const std::string& path, std::vector<ScriptLine> lines, Options& o, SimRun& run)
      : path_(path), lines_(std::move(lines)), o_(o), run_(run), h_(run.harness()) {
    bind_port_ = o.listen_ports.empty() ? kDefaultPort : o.listen_ports.front();
  }

  // Returns the number of expectations checked; throws Failure.
  int run() {
    double t_prev = 0;
    for (const ScriptLine& l : lines_) {
      line_ = &l;
      double t = t_prev;
      switch (l.time_kind) {
        case ScriptLine::Time::kRelative:
          t = t_prev + l.time;
          break;
        case ScriptLine::Time::kAbsolute:
          t = l.time;
          break;
        default:
          break;
      }
      t_prev = t;
      const uint64_t at = run_.ms_to_cycles(t * 1000.0);
      if (l.is_packet && !l.pkt.inbound) {
        expect(l, std::max(at, run_.cycle()) + tolerance());
        ++checked_;
        continue;
      }
      run_.run_to(at);
      if (l.is_packet) {
        no_unexpected();
        inject(l.pkt);
      } else {
        syscall(l, std::max(at, run_.cycle()) + tolerance());
      }
    }
    // Let the last reactions happen, and note (not fail) what was not checked.
    run_.run_to(run_.cycle() + tolerance());
    if (!run_.engine_frames().empty())
      std::cerr << path_ << ": note: " << run_.engine_frames().size()
                << " engine frame(s) after the last line were not checked, the first: "
                << got_text(run_.engine_frames().front(), nullptr) << "\n";
    return checked_;
  }

 private:
  uint64_t tolerance() const { return run_.ms_to_cycles(o_.tolerance_ms); }
  std::string where() const { return path_ + ":" + std::to_string(line_->line) + ": "; }
  [[noreturn]] void fail(const std::string& what) { throw Failure{where() + what}; }
  // A mistake in the script itself (not the engine's): exit 2.
  [[noreturn]] void script_error(const std::string& what) { throw UsageError(where() + what); }

  // Ports of the connection the packets belong to.
  uint16_t local_port() const { return active_ ? kFirstEphemeralPort : bind_port_; }
  uint16_t peer_port() const {
    if (o_.peer_port > 0) return static_cast<uint16_t>(o_.peer_port);
    return active_ ? kDefaultPort : kPassivePeerPort;
  }

  void inject(const PacketSpec& p) {
    net::EthHeader eth;
    eth.dst = o_.local_mac;
    eth.src = o_.peer_mac;
    net::Ipv4Header ip;
    ip.src = o_.peer_ip;
    ip.dst = o_.local_ip;
    ip.id = ip_id_++;
    net::TcpHeader t;
    t.src_port = peer_port();
    t.dst_port = local_port();
    t.flags = p.flags;
    if (!peer_isn_) {
      t.seq = p.start;  // absolute until the peer's first SYN, whose START is its ISN
      if (p.flags & net::kSyn) peer_isn_ = p.start;
    } else {
      t.seq = *peer_isn_ + p.start;
    }
    t.ack = p.has_ack ? (engine_isn_ ? *engine_isn_ + p.ack : p.ack) : 0;
    t.window = p.has_win ? p.win : 65535;
    if (p.has_opts) t.opts = p.opts;
    const std::vector<uint8_t> payload(p.len, 0);
    run_.inject(net::build_tcp_frame(eth, ip, t, payload.data(), payload.size()));
  }

  // Engine frames that no expectation took, before the script injects more.
  void no_unexpected() {
    if (run_.engine_frames().empty()) return;
    fail("unexpected engine frame before this line: " + got_text(run_.engine_frames().front(), nullptr));
  }

  // The engine's frame in the script's (relative) notation.
  std::string got_text(const WireFrame& w, const PacketSpec* like) const {
    net::Frame f;
    const net::ParseError e = net::parse_frame(w.data, f);
    if (e != net::ParseError::kOk || !f.has_tcp)
      return "a frame that is not TCP (" + std::string(net::to_string(e)) + ", " + net::describe(f) + ")";
    const uint32_t seq = engine_isn_ ? f.tcp.seq - *engine_isn_ : f.tcp.seq;
    const uint32_t len = static_cast<uint32_t>(f.payload_len);
    std::string s = net::flags_str(f.tcp.flags) + " " + std::to_string(seq) + ":" + std::to_string(seq + len) + "(" +
                    std::to_string(len) + ")";
    if (f.tcp.has(net::kAck)) s += " ack " + std::to_string(peer_isn_ ? f.tcp.ack - *peer_isn_ : f.tcp.ack);
    if (!like || like->has_win) s += " win " + std::to_string(f.tcp.window);
    if (!like || like->has_opts) s += " " + opts_text(f.tcp.opts);
    if (f.ip.src != o_.local_ip || f.ip.dst != o_.peer_ip || f.tcp.src_port != local_port() ||
        f.tcp.dst_port != peer_port())
      s += " (" + net::ip_str(f.ip.src) + ":" + std::to_string(f.tcp.src_port) + " > " + net::ip_str(f.ip.dst) + ":" +
           std::to_string(f.tcp.dst_port) + ")";
    return s;
  }

  static std::string opts_text(const net::TcpOptions& o) {
    std::vector<std::string> v;
    if (o.has_mss) v.push_back("mss " + std::to_string(o.mss));
    if (o.sack_permitted) v.push_back("sackOK");
    if (o.has_ts) v.push_back("TS val " + std::to_string(o.ts_val) + " ecr " + std::to_string(o.ts_ecr));
    if (o.has_wscale) v.push_back("wscale " + std::to_string(o.wscale));
    std::string s = "<";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + v[i];
    return s + ">";
  }

  static bool opts_match(const net::TcpOptions& want, const net::TcpOptions& got) {
    // Layout (nop, eol) is not compared; the TS values are the engine's own clock.
    return want.has_mss == got.has_mss && (!want.has_mss || want.mss == got.mss) && want.has_wscale == got.has_wscale &&
           (!want.has_wscale || want.wscale == got.wscale) && want.sack_permitted == got.sack_permitted &&
           want.has_ts == got.has_ts;
  }

  void expect(const ScriptLine& l, uint64_t deadline) {
    const PacketSpec& p = l.pkt;
    const uint64_t from = run_.cycle();
    if (!run_.run_until([&] { return !run_.engine_frames().empty(); }, deadline)) {
      const double ms = double(run_.cycles_to_ns(deadline - from)) / 1e6;
      fail("expected " + l.text + ", got nothing within " + fmt_ms(ms) + " ms");
    }
    const WireFrame w = run_.engine_frames().front();
    run_.engine_frames().pop_front();
    net::Frame f;
    const bool tcp = net::parse_frame(w.data, f) == net::ParseError::kOk && f.has_tcp;
    // Learn the engine's ISN from its first SYN.
    if (tcp && f.tcp.has(net::kSyn) && (p.flags & net::kSyn) && !engine_isn_) engine_isn_ = f.tcp.seq - p.start;
    bool ok = tcp && f.ip.src == o_.local_ip && f.ip.dst == o_.peer_ip && f.tcp.src_port == local_port() &&
              f.tcp.dst_port == peer_port() && f.tcp.flags == p.flags && f.payload_len == p.len;
    if (ok) {
      const uint32_t seq = engine_isn_ ? f.tcp.seq - *engine_isn_ : f.tcp.seq;
      ok = seq == p.start;
    }
    if (ok && p.has_ack) ok = (peer_isn_ ? f.tcp.ack - *peer_isn_ : f.tcp.ack) == p.ack;
    if (ok && p.has_win) ok = f.tcp.window == p.win;
    if (ok && p.has_opts) ok = opts_match(p.opts, f.tcp.opts);
    if (!ok) fail("expected " + l.text + ", got " + got_text(w, &p));
  }

  static std::string fmt_ms(double ms) {
    char b[32];
    std::snprintf(b, sizeof b, "%g", ms);
    return b;
  }

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

  static long count_arg(const SyscallSpec& c, size_t i) {
    if (c.args.size() <= i) return -1;
    char* end = nullptr;
    const long n = std::strtol(c.args[i].c_str(), &end, 10);
    return (end == c.args[i].c_str() || *end) ? -1 : n;
  }

  // The connection behind fd, waiting (until the deadline) for an active open to get one.
  uint32_t conn_of(Sock& s, uint64_t deadline) {
    if (s.kind != Sock::Kind::kConn) script_error("file descriptor is not a connected socket");
    if (s.conn == model::kNoConn) {
      run_.run_until([&] { return h_.conn_of_tag(s.tag) != model::kNoConn; }, deadline);
      s.conn = h_.conn_of_tag(s.tag);
      if (s.conn == model::kNoConn) fail("the engine has not opened the connection (no session?)");
    }
    return s.conn;
  }

  bool conn_failed(uint32_t conn) const {
    return h_.saw(sim::EvtType::kReset, conn) || h_.saw(sim::EvtType::kTimedOut, conn);
  }

  void syscall(const ScriptLine& l, uint64_t deadline) {
    const SyscallSpec& c = l.call;
    const std::string& n = c.name;
    auto got = [&](long v) { fail("expected " + l.text + ", got " + std::to_string(v)); };
    if (n == "setsockopt" || n == "getsockopt" || n == "fcntl" || n == "ioctl") return;
    if (n == "socket") {
      fds_[int(c.ret)] = Sock{};
      return;
    }
    if (n == "bind") {
      (void)sock(fd_arg(c));
      for (const std::string& a : c.args) {
        const size_t h = a.find("htons(");
        if (h != std::string::npos) bind_port_ = static_cast<uint16_t>(std::strtoul(a.c_str() + h + 6, nullptr, 10));
      }
      return;
    }
    if (n == "listen") {
      Sock& s = sock(fd_arg(c));
      s.kind = Sock::Kind::kListener;
      s.port = bind_port_;
      h_.listen(s.port, sim::App::kNone);
      return;
    }
    if (n == "accept") {
      Sock& s = sock(fd_arg(c));
      if (s.kind != Sock::Kind::kListener) script_error("accept: file descriptor is not listening");
      const uint16_t port = s.port;
      auto find = [&]() -> std::optional<uint32_t> {
        const auto& ev = h_.events();
        for (; accept_scan_ < ev.size(); ++accept_scan_)
          if (ev[accept_scan_].type == sim::EvtType::kAccepted && ev[accept_scan_].lport == port) {
            return ev[accept_scan_++].conn;
          }
        return std::nullopt;
      };
      std::optional<uint32_t> conn = find();
      wait_start_ = run_.cycle();
      while (!conn && run_.cycle() < deadline) {
        run_.step();
        conn = find();
      }
      if (!conn)
        fail("expected " + l.text + ", but no connection was accepted within " +
             fmt_ms(double(run_.cycles_to_ns(run_.cycle() - wait_start_)) / 1e6) + " ms");
      Sock a;
      a.kind = Sock::Kind::kConn;
      a.conn = *conn;
      fds_[int(c.ret)] = a;
      return;
    }
    if (n == "connect") {
      Sock& s = sock(fd_arg(c));
      active_ = true;
      s.kind = Sock::Kind::kConn;
      s.tag = h_.connect(o_.peer_ip, peer_port(), kFirstEphemeralPort, o_.peer_mac, sim::App::kNone);
      return;
    }
    if (n == "write" || n == "send") {
      Sock& s = sock(fd_arg(c));
      const uint32_t conn = conn_of(s, deadline);
      const long len = count_arg(c, 2);
      if (len < 0) script_error(n + ": expected a byte count as the third argument");
      if (c.ret < 0) {
        if (!conn_failed(conn)) fail("expected " + l.text + ", but the connection is not reset");
        return;
      }
      std::vector<uint8_t> data(static_cast<size_t>(len));
      for (size_t i = 0; i < data.size(); ++i) data[i] = sim::source_byte(s.written + i);
      const size_t sent = h_.send(conn, data.data(), data.size());
      s.written += sent;
      if (long(sent) != c.ret) got(long(sent));
      return;
    }
    if (n == "read" || n == "recv") {
      Sock& s = sock(fd_arg(c));
      const uint32_t conn = conn_of(s, deadline);
      const long len = count_arg(c, 2);
      if (len < 0) script_error(n + ": expected a byte count as the third argument");
      auto avail = [&] { return h_.bytes_received(conn) - s.read; };
      if (c.ret < 0) {
        run_.run_until([&] { return conn_failed(conn); }, deadline);
        if (!conn_failed(conn)) fail("expected " + l.text + ", but the connection is not reset");
        return;
      }
      if (c.ret == 0) {
        run_.run_until([&] { return h_.saw(sim::EvtType::kPeerClosed, conn) || avail() > 0; }, deadline);
        if (avail() > 0) got(long(std::min<uint64_t>(avail(), uint64_t(len))));
        if (!h_.saw(sim::EvtType::kPeerClosed, conn))
          fail("expected " + l.text + " (end of stream), but no FIN arrived");
        return;
      }
      run_.run_until([&] { return avail() >= uint64_t(c.ret) || conn_failed(conn); }, deadline);
      const uint64_t r = std::min<uint64_t>(avail(), uint64_t(len));
      s.read += r;
      if (long(r) != c.ret) got(long(r));
      return;
    }
    if (n == "close" || n == "shutdown") {
      const int fd = fd_arg(c);
      Sock& s = sock(fd);
      if (s.kind == Sock::Kind::kListener) {
        model::Cmd cmd;
        cmd.op = model::CmdOp::kUnlisten;
        cmd.port = s.port;
        h_.command(cmd);
      } else if (s.kind == Sock::Kind::kConn) {
        h_.close(conn_of(s, deadline));
      }
      if (n == "close") fds_.erase(fd);
      return;
    }
    throw UsageError(where() + "unsupported system call '" + n +
                     "' (supported: socket, bind, listen, accept, connect, write, send, read, recv, close, "
                     "shutdown; ignored: setsockopt, getsockopt, fcntl, ioctl)");
  }

  std::string path_;
  std::vector<ScriptLine> lines_;
  Options& o_;
  SimRun& run_;
  sim::Harness& h_;
  const ScriptLine* line_ = nullptr;
  std::map<int, Sock> fds_;
  std::optional<uint32_t> peer_isn_, engine_isn_;
  bool active_ = false;
  uint16_t bind_port_;
  uint16_t ip_id_ = 1;
  size_t accept_scan_ = 0;
  uint64_t wait_start_ = 0;
  int checked_ = 0;
};

}  // namespace

int run_script(const std::string& script_path, Options& o) {
  o.finalize("192.168.0.1", "192.0.2.1");
  std::vector<ScriptLine> lines = parse_script(script_path);
  SimRun run(o, o.engine_config(), o.harness_config(60000), 0, "toe_sim script " + script_path);
  ScriptRunner r(script_path, std::move(lines), o, run);
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
  }
  run.finish(std::cout);
  return rc;
}

}  // namespace toe::toesim
