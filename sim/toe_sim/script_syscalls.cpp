// SPDX-License-Identifier: Apache-2.0
// toe_sim script: the runner's system calls (script_runner.hpp) through the host driver
// (toe_listen, toe_accept, toe_connect_start / toe_connect_wait, toe_send, toe_recv,
// toe_shutdown, toe_abort, toe_conn_info: every call non-blocking, a blocked system call tried
// again as the device interrupts), with the socket semantics of Linux (blocking and
// non-blocking, errno values), the sockets' state (the driver's per-connection state), and
// %{ python }% blocks (assertions on the tcpi_* fields the engine can report).
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "script.hpp"
#include "script_runner.hpp"
#include "toe/toe_driver.h"

namespace toe::toesim::script_detail {

// ---- system calls
Sock& ScriptRunner::sock(int fd) {
  auto it = fds_.find(fd);
  if (it == fds_.end()) script_error("file descriptor " + std::to_string(fd) + " is not open in this script");
  return it->second;
}

int ScriptRunner::fd_arg(const SyscallSpec& c) {
  if (c.args.empty()) script_error(c.name + ": expected a file descriptor as the first argument");
  char* end = nullptr;
  const long fd = std::strtol(c.args[0].c_str(), &end, 10);
  if (end == c.args[0].c_str() || *end) script_error(c.name + ": '" + c.args[0] + "' is not a file descriptor");
  return int(fd);
}

long ScriptRunner::count_arg(const SyscallSpec& c, size_t i) {
  if (c.args.size() <= i) script_error(c.name + ": expected a byte count as argument " + std::to_string(i + 1));
  char* end = nullptr;
  const long n = std::strtol(c.args[i].c_str(), &end, 0);
  if (end == c.args[i].c_str() || *end || n < 0)
    script_error(c.name + ": '" + c.args[i] + "' is not a byte count");
  return n;
}

// "[1]" -> 1
std::optional<long> ScriptRunner::bracket_int(const std::string& a) {
  if (a.size() < 3 || a.front() != '[' || a.back() != ']') return std::nullopt;
  char* end = nullptr;
  const std::string in = a.substr(1, a.size() - 2);
  const long v = std::strtol(in.c_str(), &end, 0);
  if (end == in.c_str() || *end) return std::nullopt;
  return v;
}

void ScriptRunner::refresh(Sock& s) {
  if (s.conn == kNoConn) return;
  const toe_conn_t& c = bed_.conns()[s.conn];
  const bool mine = c.in_use && (s.passive ? c.tag == 0 && c.accept_seq == s.ident : c.tag == s.ident);
  if (mine) {
    s.st = c;
  } else if (!s.st.closed && !s.st.reset && !s.st.timed_out) {
    s.st.closed = 1;  // freed, and the entry reused by another connection: this one is over
  }
}

// The connection behind s: an active open's once toe_connect_wait names it (after the handshake).
bool ScriptRunner::has_conn(Sock& s) {
  if (s.conn == kNoConn && s.active && s.tag != 0) {
    uint32_t conn = kNoConn;
    const toe_result_t r = toe_connect_wait(&drv(), s.tag, 0, &conn);
    if (r == TOE_OK) {
      s.conn = conn;
      s.ident = s.tag;
      s.tag = 0;
    } else if (r == TOE_CONN_TIMED_OUT || r == TOE_NO_ROUTE) {
      s.no_answer = true;
      s.tag = 0;
    } else if (r != TOE_WOULD_BLOCK) {  // TOE_REFUSED: RST or connect_failed
      s.refused = true;
      s.tag = 0;
    }
  }
  refresh(s);
  return s.conn != kNoConn;
}

void ScriptRunner::pump(Sock& s) {
  if (s.kind != Sock::Kind::kConn) return;
  while (has_conn(s) && !s.st.closed && !s.st.reset && !s.st.timed_out && s.st.rx_wr != s.st.rx_rd) {
    std::vector<uint8_t> buf(s.st.rx_wr - s.st.rx_rd);
    size_t got = 0;
    const toe_result_t r = toe_recv(&drv(), s.conn, buf.data(), buf.size(), 0, &got);
    refresh(s);
    if (r != TOE_OK || got == 0) break;
    s.rxq += got;
  }
}

void ScriptRunner::pump_all() {
  for (auto& [fd, s] : fds_) pump(s);
}

// The socket error Linux would hold (tcp_reset / the retry limit), or "".
std::string ScriptRunner::sock_error(Sock& s) {
  const bool c = has_conn(s);
  if (s.no_answer) return "ETIMEDOUT";
  if (s.refused) return "ECONNREFUSED";
  if (!c) return "";
  if (s.st.timed_out) return "ETIMEDOUT";
  if (s.st.reset) {
    if (!s.st.established) return "ECONNREFUSED";
    if (s.st.peer_closed) return "EPIPE";
    return "ECONNRESET";
  }
  return "";
}

// ---- %{ python }%: assertions on the tcpi_* fields the engine can report
int ScriptRunner::linux_state(TcpState st) {  // Linux's TCP_* numbering (include/net/tcp_states.h)
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

void ScriptRunner::code(const ScriptLine& l) {
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
  } else if (s.kind == Sock::Kind::kConn && !has_conn(s) && s.tag != 0) {
    v["tcpi_state"] = 2;  // the active open has not finished its handshake: SYN_SENT
  } else if (!has_conn(s) || gone(s)) {
    v["tcpi_state"] = 7;
  } else {
    // The connection as the device shows it (CONN_STATE, CONN_OPTS through toe_conn_info).
    toe_conn_info_t info{};
    if (!conn_info(s, &info)) fail("%{ }%: toe_conn_info failed for the connection");
    v["tcpi_state"] = linux_state(TcpState(info.state));
    v["tcpi_snd_mss"] = info.snd_mss;
    v["tcpi_snd_wscale"] = info.snd_wscale;
    v["tcpi_rcv_wscale"] = info.rcv_wscale;
    v["tcpi_options"] = info.ws_ok ? 4 : 0;  // TCPI_OPT_WSCALE; no timestamps, SACK or ECN
    // The retransmission timer as the slow path keeps it (SlowPathTimers: RFC 6298's RTO, its
    // backoff and the consecutive timeouts): the running RTO, else the one the next arm uses.
    const toe::sc::SlowPathTimers& tm = bed_.timers();
    const sc_core::sc_time rto = tm.retx_running(s.conn) ? tm.rto(s.conn) : tm.config().rto_initial;
    v["tcpi_rto"] = long(rto.to_seconds() * 1e6 + 0.5);
    v["tcpi_retransmits"] = long(tm.retries(s.conn));
  }
  // Every tcpi_* name the block uses must be one of them.
  for (size_t i = body.find("tcpi_"); i != std::string::npos; i = body.find("tcpi_", i + 1)) {
    size_t e = i;
    while (e < body.size() && (std::isalnum(static_cast<unsigned char>(body[e])) || body[e] == '_')) ++e;
    const std::string name = body.substr(i, e - i);
    if (!v.count(name)) unsupported("%{ }% field " + name + " (the engine reports tcpi_state, tcpi_snd_mss, tcpi_snd_wscale, tcpi_rcv_wscale, tcpi_options, tcpi_rto, tcpi_retransmits)");
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

void ScriptRunner::syscall(const ScriptLine& l, int64_t t, int64_t end, int64_t tol) {
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
    toe_conn_info_t info{};
    if (opt == "TCP_MAXSEG" && s.kind == Sock::Kind::kConn && conn_info(s, &info)) {
      // The MSS the engine sends with (CONN_OPTS.SND_MSS: its own capped by the peer's).
      const long mss = long(info.snd_mss);
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
    if (s.kind != Sock::Kind::kListener) {
      const toe_result_t r = toe_listen(&drv(), s.port);
      if (r == TOE_NO_RESOURCES) return now(Result{-1, "ENOBUFS"});  // the listen table is full
      if (r != TOE_OK) return now(Result{-1, "EADDRINUSE"});
    }
    s.kind = Sock::Kind::kListener;
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
      uint32_t conn = kNoConn;
      const toe_result_t r = toe_accept(&drv(), ls.port, 0, &conn);
      if (r == TOE_OK) {
        Sock a;
        a.kind = Sock::Kind::kConn;
        a.passive = true;
        a.conn = conn;
        a.ident = bed_.conns()[conn].accept_seq;
        refresh(a);
        if (newfd < 0) return Result{long(fds_.size() + 3), ""};
        fds_[newfd] = a;
        return Result{newfd, ""};
      }
      if (r != TOE_WOULD_BLOCK) fail(std::string("toe_accept: ") + toe_result_str(r));
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
    const uint16_t lport = uint16_t(kFirstEphemeralPort + connects_++);
    toe_connect_params_t cp{};
    cp.ipv4 = o_.peer_ip;
    cp.port = connect_port_;
    cp.lport = lport;
    for (size_t i = 0; i < 6; ++i) cp.peer_mac[i] = o_.peer_mac.b[i];
    uint32_t tag = 0;
    const toe_result_t r = toe_connect_start(&drv(), &cp, &tag);
    if (r == TOE_NO_RESOURCES) return now(Result{-1, "EAGAIN"});  // too many opens pending (Linux: no port)
    if (r != TOE_OK) fail(std::string("toe_connect_start: ") + toe_result_str(r));
    s.active = true;
    s.kind = Sock::Kind::kConn;
    s.tag = tag;
    cur_ = FlowKey{lport, connect_port_};
    flows_.erase(cur_);
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
    if (n == "write" && c.args.size() != 3) script_error("write: expected 3 arguments");
    const bool dontwait = n != "write" && msg_dontwait(c, 3);
    if (c.args.size() > 1 && c.args[1] == "NULL") return now(Result{-1, "EFAULT"});
    return do_write(l, t, end, tol, fd, len, dontwait);
  }
  if (n == "read" || n == "recv" || n == "recvfrom") {
    const int fd = fd_arg(c);
    const long len = count_arg(c, 2);
    if (n == "read" && c.args.size() != 3) script_error("read: expected 3 arguments");
    const bool dontwait = n != "read" && msg_dontwait(c, 3);
    if (c.args.size() > 1 && c.args[1] == "NULL") return now(Result{-1, "EFAULT"});
    return do_read(l, t, end, tol, fd, len, dontwait);
  }
  // The vector calls: writev(fd, [{..., N}, ...], count), sendmsg(fd, {msg_name(...)=...,
  // msg_iov(count)=[{..., N}, ...], msg_flags=0}, flags); readv and recvmsg the same way.
  if (n == "writev" || n == "readv") {
    const int fd = fd_arg(c);
    if (c.args.size() != 3) script_error(n + ": expected 3 arguments");
    const long len = iov_total(c.args[1], count_arg(c, 2), n);
    return n == "writev" ? do_write(l, t, end, tol, fd, len, false) : do_read(l, t, end, tol, fd, len, false);
  }
  if (n == "sendmsg" || n == "recvmsg") {
    const int fd = fd_arg(c);
    if (c.args.size() != 3) script_error(n + ": expected 3 arguments");
    const std::string& m = c.args[1];
    const size_t io = m.find("msg_iov(");
    if (io == std::string::npos) script_error(n + ": expected msg_iov(N)=[...] in the message");
    const size_t close = m.find(')', io), eq = m.find('=', io);
    if (close == std::string::npos || eq == std::string::npos) script_error(n + ": expected msg_iov(N)=[...]");
    char* e = nullptr;
    const long count = std::strtol(m.c_str() + io + 8, &e, 10);
    if (e != m.c_str() + close) script_error(n + ": msg_iov(" + m.substr(io + 8, close - io - 8) + ") is not a count");
    size_t a = m.find('[', eq), depth = 0, b = a;
    for (; b < m.size(); ++b) {
      if (m[b] == '[') ++depth;
      if (m[b] == ']' && --depth == 0) break;
    }
    if (a == std::string::npos || b >= m.size()) script_error(n + ": expected msg_iov(N)=[...]");
    if (m.find("msg_control") != std::string::npos) unsupported(n + " with msg_control (ancillary data)");
    const long len = iov_total(m.substr(a, b - a + 1), count, n);
    const bool dontwait = msg_dontwait(c, 2);
    return n == "sendmsg" ? do_write(l, t, end, tol, fd, len, dontwait) : do_read(l, t, end, tol, fd, len, dontwait);
  }
  if (n == "poll") return poll(l, t, end, tol);
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
      if (sock_error(s).empty()) toe_shutdown(&drv(), s.conn);  // FIN once the buffer drains
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
        // SYN_SENT: drop the TCB (RFC 9293 3.10.4); the driver aborts it once the engine names it.
        if (s.tag != 0) toe_connect_cancel(&drv(), s.tag);
      } else if (sock_error(s).empty() && !s.st.closed) {
        // Linux resets when unread data is thrown away (RFC 9293 3.10.4, RFC 2525 2.17).
        if (avail(s) > 0) toe_abort(&drv(), s.conn);
        else if (!s.shut_wr) toe_shutdown(&drv(), s.conn);
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
  if (n == "epoll_create" || n == "epoll_ctl" || n == "epoll_wait" || n == "sendfile" || n == "splice" ||
      n == "getsockname" || n == "getpeername" || n == "open" || n == "pipe" || n == "socketpair" ||
      n == "select" || n == "usleep" || n == "sleep")
    unsupported("system call " + n);
  script_error("unknown system call '" + n + "'");
}

// MSG_DONTWAIT or 0 in argument i (absent: 0); any other flag is not supported.
bool ScriptRunner::msg_dontwait(const SyscallSpec& c, size_t i) {
  if (c.args.size() <= i || c.args[i] == "0") return false;
  if (c.args[i] == "MSG_DONTWAIT") return true;
  unsupported(c.name + " flags " + c.args[i]);
}

// "[{..., 1000}, {..., 2000}]" with `count` entries -> 3000.
long ScriptRunner::iov_total(const std::string& list, long count, const std::string& call) {
  if (list.size() < 2 || list.front() != '[' || list.back() != ']')
    script_error(call + ": expected the iovecs as [{..., N}, ...], not '" + list + "'");
  long total = 0, entries = 0;
  for (size_t i = 1; i + 1 < list.size();) {
    const size_t a = list.find('{', i);
    if (a == std::string::npos || a + 1 >= list.size() - 1) break;
    const size_t b = list.find('}', a);
    if (b == std::string::npos) script_error(call + ": an iovec without its '}'");
    const std::string iov = list.substr(a + 1, b - a - 1);
    const size_t comma = iov.rfind(',');
    const std::string num = comma == std::string::npos ? "" : iov.substr(comma + 1);
    char* e = nullptr;
    const long v = std::strtol(num.c_str(), &e, 0);
    if (num.empty() || e == num.c_str() || v < 0) script_error(call + ": iovec '{" + iov + "}' has no length");
    while (*e == ' ') ++e;
    if (*e) script_error(call + ": iovec '{" + iov + "}' has no length");
    total += v;
    ++entries;
    i = b + 1;
  }
  if (entries != count)
    script_error(call + ": " + std::to_string(entries) + " iovecs written, count " + std::to_string(count));
  return total;
}

void ScriptRunner::do_write(const ScriptLine& l, int64_t t, int64_t end, int64_t tol, int fd, long len, bool dontwait) {
  // A blocking write returns once every byte is in the send buffer.
  auto done = std::make_shared<long>(0);
  call(l, t, end, tol, [this, fd, len, dontwait, done]() -> std::optional<Result> {
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
    const size_t space = tx_space(s);
    if (space == 0 && *done == 0 && nb) return Result{-1, "EAGAIN"};
    const std::vector<uint8_t> data(std::min<size_t>(size_t(len - *done), space), 0);
    if (!data.empty()) {
      size_t sent = 0;
      const toe_result_t r = toe_send(&drv(), s.conn, data.data(), data.size(), 0, &sent);
      if (r == TOE_OK) *done += long(sent);
      refresh(s);
      if (r != TOE_OK && r != TOE_WOULD_BLOCK) {
        const std::string e2 = sock_error(s);  // reset or timed out meanwhile
        if (!e2.empty() && *done == 0) {
          s.err_reported = true;
          return Result{-1, e2};
        }
        if (*done == 0) return Result{-1, "EPIPE"};
        return Result{*done, ""};
      }
    }
    if (nb || *done == len) return Result{*done, ""};
    return std::nullopt;
  });
}

void ScriptRunner::do_read(const ScriptLine& l, int64_t t, int64_t end, int64_t tol, int fd, long len, bool dontwait) {
  call(l, t, end, tol, [this, fd, len, dontwait]() -> std::optional<Result> {
    Sock& s = fds_.at(fd);
    const bool nb = s.nonblock || dontwait;
    if (s.kind != Sock::Kind::kConn) return Result{-1, "ENOTCONN"};
    if (const uint64_t a = avail(s); a > 0 && len > 0) {
      const uint64_t r = std::min<uint64_t>(a, uint64_t(len));
      s.rxq -= r;
      return Result{long(r), ""};
    }
    const std::string e = sock_error(s);
    if (!e.empty() && !s.err_reported && e != "EPIPE") {
      s.err_reported = true;
      return Result{-1, e};
    }
    if (!e.empty() || s.shut_rd || peer_closed(s) || len == 0) return Result{0, ""};
    if (nb) return Result{-1, "EAGAIN"};
    return std::nullopt;
  });
}

namespace {
// poll(2)'s bits (asm-generic/poll.h).
constexpr unsigned kPollIn = 0x1, kPollPri = 0x2, kPollOut = 0x4, kPollErr = 0x8, kPollHup = 0x10, kPollNval = 0x20,
                   kPollRdNorm = 0x40, kPollRdBand = 0x80, kPollWrNorm = 0x100, kPollWrBand = 0x200,
                   kPollRdHup = 0x2000;
const std::map<std::string, unsigned>& poll_names() {
  static const std::map<std::string, unsigned> m = {
      {"POLLIN", kPollIn},         {"POLLPRI", kPollPri},       {"POLLOUT", kPollOut},       {"POLLERR", kPollErr},
      {"POLLHUP", kPollHup},       {"POLLNVAL", kPollNval},     {"POLLRDNORM", kPollRdNorm}, {"POLLRDBAND", kPollRdBand},
      {"POLLWRNORM", kPollWrNorm}, {"POLLWRBAND", kPollWrBand}, {"POLLRDHUP", kPollRdHup}};
  return m;
}
std::string trim(const std::string& v) {
  const size_t a = v.find_first_not_of(" \t"), b = v.find_last_not_of(" \t");
  return a == std::string::npos ? "" : v.substr(a, b - a + 1);
}
std::string poll_text(unsigned v) {
  std::string out;
  for (const auto& [name, bit] : poll_names())
    if (v & bit) out += (out.empty() ? "" : "|") + name;
  return out.empty() ? "0" : out;
}
}  // namespace

// Linux's tcp_poll(): what a TCP socket in this state reports.
unsigned ScriptRunner::poll_events(Sock& s) {
  if (s.kind == Sock::Kind::kListener) {
    // A connection the driver holds for toe_accept on this port (toe_accept's own test).
    for (const toe_conn_t& c : bed_.conns())
      if (c.in_use && c.accept_ready && c.lport == s.port && !c.reset && !c.closed && !c.timed_out)
        return kPollIn | kPollRdNorm;
    return 0;
  }
  // A socket never connected is in TCP_CLOSE: hung up, and writable as far as poll goes.
  if (s.kind != Sock::Kind::kConn) return kPollOut | kPollWrNorm | kPollHup;
  const bool over = gone(s);
  unsigned m = 0;
  const bool rcv_shut = over || s.shut_rd || peer_closed(s);
  const bool snd_shut = over || s.shut_wr;
  if (rcv_shut && snd_shut) m |= kPollHup;
  if (rcv_shut) m |= kPollIn | kPollRdNorm | kPollRdHup;
  if (over || connected(s)) {  // not in SYN-SENT (or SYN-RECEIVED)
    if (avail(s) > 0) m |= kPollIn | kPollRdNorm;
    if (snd_shut || tx_space(s) > 0) m |= kPollOut | kPollWrNorm;
  }
  if (!sock_error(s).empty() && !s.err_reported) m |= kPollErr;  // sk_err (EPIPE in CLOSE-WAIT)
  return m;
}

// poll([{fd=N, events=A|B, revents=C}, ...], nfds, timeout_ms) = count: each socket's revents
// as Linux's tcp_poll() gives them (POLLERR and POLLHUP whether asked or not); it returns at once
// when one is ready or the timeout is 0, else when one becomes ready or the timeout passes (-1:
// no timeout). Each revents written is checked.
void ScriptRunner::poll(const ScriptLine& l, int64_t t, int64_t end, int64_t tol) {
  const SyscallSpec& c = l.call;
  if (c.args.size() != 3) script_error("poll: expected 3 arguments");
  struct Entry {
    int fd;
    unsigned events;
    std::optional<unsigned> revents;
  };
  auto flags = [&](const std::string& v) {
    unsigned out = 0;
    size_t i = 0;
    while (i <= v.size()) {
      const size_t bar = v.find('|', i);
      const std::string w = trim(v.substr(i, bar == std::string::npos ? std::string::npos : bar - i));
      char* e = nullptr;
      const unsigned long num = std::strtoul(w.c_str(), &e, 0);
      if (!w.empty() && !*e) {
        out |= unsigned(num);
      } else if (poll_names().count(w)) {
        out |= poll_names().at(w);
      } else {
        script_error("poll: '" + w + "' is not a poll flag");
      }
      if (bar == std::string::npos) break;
      i = bar + 1;
    }
    return out;
  };
  std::vector<Entry> ents;
  const std::string& list = c.args[0];
  for (size_t i = 0; (i = list.find('{', i)) != std::string::npos;) {
    const size_t b = list.find('}', i);
    if (b == std::string::npos) script_error("poll: a pollfd without its '}'");
    Entry en{-1, 0, std::nullopt};
    std::string body = list.substr(i + 1, b - i - 1);
    for (size_t k = 0; k <= body.size();) {
      const size_t comma = body.find(',', k);
      const std::string field = trim(body.substr(k, comma == std::string::npos ? std::string::npos : comma - k));
      const size_t eq = field.find('=');
      if (eq == std::string::npos) script_error("poll: expected fd=, events= and revents= in '{" + body + "}'");
      const std::string key = trim(field.substr(0, eq)), val = trim(field.substr(eq + 1));
      if (key == "fd") en.fd = int(std::strtol(val.c_str(), nullptr, 10));
      else if (key == "events") en.events = flags(val);
      else if (key == "revents") en.revents = flags(val);
      else script_error("poll: unknown pollfd field '" + key + "'");
      if (comma == std::string::npos) break;
      k = comma + 1;
    }
    if (en.fd < 0) script_error("poll: a pollfd without fd=");
    sock(en.fd);
    ents.push_back(en);
    i = b + 1;
  }
  if (long(ents.size()) != count_arg(c, 1))
    script_error("poll: " + std::to_string(ents.size()) + " pollfds written, nfds " + c.args[1]);
  char* e = nullptr;
  const long timeout_ms = std::strtol(c.args[2].c_str(), &e, 10);
  if (e == c.args[2].c_str() || *e || timeout_ms < -1) script_error("poll: '" + c.args[2] + "' is not a timeout");
  const int64_t deadline = timeout_ms < 0 ? -1 : now_us() + timeout_ms * 1000;
  wake_us_ = deadline;
  auto attempt = [this, ents, deadline, &l]() -> std::optional<Result> {
    std::vector<unsigned> got;
    long ready = 0;
    for (const Entry& en : ents) {
      auto it = fds_.find(en.fd);
      const unsigned r = it == fds_.end() ? kPollNval : poll_events(it->second) & (en.events | kPollErr | kPollHup);
      got.push_back(r);
      if (r) ++ready;
    }
    if (ready == 0 && (deadline < 0 || now_us() < deadline)) return std::nullopt;
    wake_us_ = -1;
    for (size_t i = 0; i < ents.size(); ++i)
      if (ents[i].revents && *ents[i].revents != got[i])
        fail_at(l, "expected " + l.text + ", got revents=" + poll_text(got[i]) + " for fd " + std::to_string(ents[i].fd));
    return Result{ready, ""};
  };
  call(l, t, end, tol, attempt);
}

void ScriptRunner::unlisten(Sock& s) {
  toe_unlisten(&drv(), s.port);
  s.kind = Sock::Kind::kNew;
}

}  // namespace toe::toesim::script_detail
