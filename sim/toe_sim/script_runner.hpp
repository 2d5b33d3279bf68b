// SPDX-License-Identifier: Apache-2.0
// toe_sim script: the runner of a packetdrill script (private to toe_sim; see script.hpp,
// docs/scripts.md). The peer's segments are injected as written; the engine's are compared
// field by field with the expected ones; system calls go through the host driver
// (host_driver/: toe_* calls on the device's host port, in ScriptBed), with the socket
// semantics of Linux (blocking and non-blocking, errno values). Its members are defined in
//   script_run.cpp       the line loop, time and tolerance, blocked calls, host configuration, run_script
//   script_expect.cpp    the peer's segments (inject) and the engine's (expect, option matching)
//   script_syscalls.cpp  the system calls, the socket state and %{ }% blocks
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "script.hpp"
#include "script_bed.hpp"
#include "toe/toe_driver.h"

namespace toe::toesim::script_detail {

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

constexpr uint32_t kNoConn = UINT32_MAX;

struct Sock {
  enum class Kind { kNew, kListener, kConn } kind = Kind::kNew;
  bool nonblock = false;
  uint16_t port = 0;  // bound / listening port
  uint32_t conn = kNoConn;  // the driver's connection, once known
  uint32_t tag = 0;         // active open: the driver's tag until toe_connect_wait answers
  bool active = false;      // connect() was called
  bool passive = false;     // from accept()
  // The connection's identity in the driver's table (entries are reused once freed): its
  // toe_conn_t.accept_seq (accepted) or toe_conn_t.tag (opened).
  uint32_t ident = 0;
  toe_conn_t st{};  // the driver's state of the connection, as last seen while the entry was ours
  bool refused = false;    // the active open failed before it had a connection (RST, connect_failed)
  bool no_answer = false;  // the active open timed out (SYN retransmissions, no route)
  // The socket's receive queue in host memory: bytes the runner has taken from the device
  // (toe_recv, at each wake-up) and the script has not read. As in Linux, data that came before a
  // RST is still read after it: the engine frees the connection, and its buffer, at the RST.
  uint64_t rxq = 0;
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
  ScriptRunner(const std::string& path, Script script, Options& o, ScriptBed& bed)
      : path_(path), sc_(std::move(script)), o_(o), bed_(bed) {
    bind_port_ = sc_.cfg.bind_port ? *sc_.cfg.bind_port
                                   : (o.listen_ports.empty() ? kDefaultPort : o.listen_ports.front());
    connect_port_ = sc_.cfg.connect_port ? *sc_.cfg.connect_port
                                         : (o.peer_port > 0 ? uint16_t(o.peer_port) : kDefaultPort);
    // --tolerance-ms on the command line (other than its default) overrides the script.
    tol_us_ = o.tolerance_ms != 10 ? int64_t(o.tolerance_ms * 1000) : sc_.cfg.tolerance_us;
  }

  nlohmann::json host_config = nlohmann::json::object();

  // Returns the number of expectations checked; throws Failure.
  int run();

 private:
  // ---- time (script_run.cpp)
  int64_t now_us() const { return int64_t(bed_.cycles_to_ns(bed_.cycle()) / 1000); }
  uint64_t us_to_cycles(int64_t us) const { return bed_.ns_to_cycles(uint64_t(std::max<int64_t>(us, 0)) * 1000); }
  int64_t cycle_us(uint64_t c) const { return int64_t(bed_.cycles_to_ns(c) / 1000); }
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

  // Runs to script time t (microseconds), completing a blocked call on the way: the bed sleeps
  // until an engine frame or an interrupt, and with a call blocked no further than the clock at
  // which it would time out, so a timeout is reported at its time.
  uint64_t skip_stop(uint64_t target) const {
    if (!pending_) return target;
    target = std::min(target, us_to_cycles(pending_->end + pending_->tol + 1));
    // A poll's own timeout ends its wait: idle spans are not skipped past it.
    return wake_us_ >= 0 ? std::min(target, us_to_cycles(wake_us_)) : target;
  }
  int64_t wake_us_ = -1;  // the pending call's own deadline (poll's timeout), or -1
  void advance_to(int64_t t);
  void settle();
  bool run_until(const std::function<bool()>& pred, uint64_t limit);

  std::string where(const ScriptLine& l) const { return path_ + ":" + std::to_string(l.line) + ": "; }
  [[noreturn]] void fail(const std::string& what) { throw Failure{where(*line_) + what}; }
  [[noreturn]] void fail_at(const ScriptLine& l, const std::string& what) { throw Failure{where(l) + what}; }
  [[noreturn]] void script_error(const std::string& what) { throw UsageError(where(*line_) + what); }
  [[noreturn]] void unsupported(const std::string& what) { throw ScriptUnsupported(where(*line_) + "unsupported: " + what); }

  // ---- host configuration (script_run.cpp)
  void shell(const ScriptLine& l);

  // ---- flows
  using FlowKey = std::pair<uint16_t, uint16_t>;  // local (engine) port, peer port
  FlowKey flow_of(const PacketSpec& p) const;

  // ---- the peer's segments (script_expect.cpp)
  void inject(const PacketSpec& p);
  void send_frame(const FlowKey& k, uint32_t seq, uint32_t ack, uint8_t flags, const PacketSpec& p,
                  const std::vector<uint8_t>& opts, uint32_t len);
  static void encode_opt(const TcpOptSpec& o, uint32_t sack_base, std::vector<uint8_t>& out);

  // ---- the engine's segments (script_expect.cpp)
  struct Seg {
    bool ok = false;  // IPv4/TCP, parsed
    net::Frame f;
    uint8_t ecn = 0;
    bool ae = false;  // the AE bit (header byte 12, bit 0)
    std::vector<RawOpt> opts;
  };
  static Seg decode(const WireFrame& w);
  static uint32_t be32(const std::vector<uint8_t>& v, size_t i);
  std::string opts_text(const std::vector<RawOpt>& opts, const Flow* fl) const;
  std::string got_text(const WireFrame& w, const PacketSpec* like) const;
  static bool opts_match(const std::vector<TcpOptSpec>& want, const std::vector<RawOpt>& got, const Flow& fl);
  void expect(const ScriptLine& l, int64_t t, int64_t t_end, int64_t tol);

  // ---- system calls (script_syscalls.cpp)
  Sock& sock(int fd);
  int fd_arg(const SyscallSpec& c);
  long count_arg(const SyscallSpec& c, size_t i);
  static std::optional<long> bracket_int(const std::string& a);
  toe_dev_t& drv() { return bed_.drv(); }
  // The socket's view of its connection, from the driver (refresh: its table entry, while the
  // entry is still this connection; has_conn: asks toe_connect_wait for an active open's).
  void refresh(Sock& s);
  bool has_conn(Sock& s);
  bool connected(Sock& s) { return has_conn(s) && s.st.established; }
  bool peer_closed(Sock& s) { return has_conn(s) && s.st.peer_closed; }
  bool gone(Sock& s) {  // reset, timed out, freed, or the open failed
    return s.refused || s.no_answer || (has_conn(s) && (s.st.reset || s.st.timed_out || s.st.closed));
  }
  std::string sock_error(Sock& s);
  // Takes what the device holds for s into its receive queue (toe_recv); for every socket.
  void pump(Sock& s);
  void pump_all();
  uint64_t avail(Sock& s) {
    pump(s);
    return s.rxq;
  }
  uint32_t tx_space(Sock& s) {
    return has_conn(s) ? drv().info.tx_buf_bytes - std::min(drv().info.tx_buf_bytes, s.st.tx_wr - s.st.acked) : 0;
  }
  // The device's view of s's connection (toe_conn_info: CONN_STATE, CONN_OPTS ...); false when
  // there is none.
  bool conn_info(Sock& s, toe_conn_info_t* info) {
    return has_conn(s) && !gone(s) && toe_conn_info(&drv(), s.conn, info) == TOE_OK;
  }

  // ---- blocked calls (script_run.cpp)
  // One attempt of a call that may block: a result, or nothing (it would block).
  using Attempt = std::function<std::optional<Result>()>;

  struct Pending {
    const ScriptLine* line;
    Attempt attempt;
    int64_t start, end, tol;
  };
  std::optional<Pending> pending_;
  bool settling_ = false;

  void check_result(const ScriptLine& l, const Result& r);
  void complete(const Pending& p, const Result& r);
  void poll_pending();
  void finish_pending();
  void call(const ScriptLine& l, int64_t t, int64_t end, int64_t tol, Attempt a);

  // ---- %{ python }% (script_syscalls.cpp)
  static int linux_state(TcpState st);
  void code(const ScriptLine& l);

  void syscall(const ScriptLine& l, int64_t t, int64_t end, int64_t tol);
  // write/send/sendto/writev/sendmsg and read/recv/recvfrom/readv/recvmsg: `len` bytes
  // (the sum of the iovecs' lengths for the vector calls).
  void do_write(const ScriptLine& l, int64_t t, int64_t end, int64_t tol, int fd, long len, bool dontwait);
  void do_read(const ScriptLine& l, int64_t t, int64_t end, int64_t tol, int fd, long len, bool dontwait);
  long iov_total(const std::string& list, long count, const std::string& call);
  bool msg_dontwait(const SyscallSpec& c, size_t i);
  void poll(const ScriptLine& l, int64_t t, int64_t end, int64_t tol);
  unsigned poll_events(Sock& s);  // Linux's tcp_poll mask for s
  void unlisten(Sock& s);

  std::string path_;
  Script sc_;
  Options& o_;
  ScriptBed& bed_;
  const ScriptLine* line_ = nullptr;
  std::map<int, Sock> fds_;
  std::map<FlowKey, Flow> flows_;
  FlowKey cur_{kDefaultPort, kPassivePeerPort};
  uint16_t bind_port_, connect_port_;
  uint16_t connects_ = 0;
  int64_t tol_us_ = 4000;
  uint64_t last_frame_beats_ = 0;  // beats of the last frame injected (settle)
  bool last_inbound_ = false;
  int64_t last_time_us_ = 0;
  uint16_t ip_id_ = 1;
  int checked_ = 0;
  int last_fd_ = -1;
};

}  // namespace toe::toesim::script_detail
