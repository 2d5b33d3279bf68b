// SPDX-License-Identifier: Apache-2.0
// toe_sim serve: the platform's host port over a UNIX socket and a BAR-file mailbox (see
// serve.hpp and host_driver/include/toe/toe_wire.h).
//
// One SC_THREAD (ServeHost::run) is the host CPU of every client: it blocks in poll(2) (and,
// with a BAR file, on the mailbox's doorbell futex) while no request is pending, so simulated
// time stands still between requests, and serves one request at a time, in the order they are
// read, with a TLM-2.0 initiator on the device's host port (an access waits for the delay the
// device annotated; WAIT runs the simulation until the interrupt line is high or the timeout
// has passed). Several socket clients (a driver and toectl) are served turn by turn.
//
// The firmware timers (SlowPathTimers) learn the host's events as the in-process driver
// tests' event hook tells them: before a write of EVQ_POP.POP is passed on, the server reads
// the head event (EVQ_EVENT, EVQ_CONN, EVQ_VALUE) itself and gives it to timers->host_event;
// those three extra reads take bus time like any access.
#include "serve.hpp"

#include <CLI/CLI.hpp>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <algorithm>
#include <cstring>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "options.hpp"  // UsageError, parsers
#include "platform.hpp"
#include "toe/toe_wire.h"
#include "toe_regs.h"

namespace toe::toesim {

namespace {

using sc_core::sc_time;
using sc_core::SC_MS;
using sc_core::SC_US;

volatile sig_atomic_t g_signal = 0;  // the signal that asks the server to stop
int g_sig_pipe[2] = {-1, -1};        // written by the handler: wakes poll(2)

void on_signal(int sig) {
  g_signal = sig;
  const char c = 1;
  [[maybe_unused]] const ssize_t n = write(g_sig_pipe[1], &c, 1);
}

std::string errno_text() { return std::strerror(errno); }

int futex(uint32_t* addr, int op, uint32_t val, const struct timespec* ts) {
  return int(syscall(SYS_futex, addr, op, val, ts, nullptr, 0));
}

// The listening socket at `path`; throws UsageError for a path that cannot be served.
int listen_unix(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof addr.sun_path)
    throw UsageError("--socket " + path + ": a UNIX socket path must be 1.." +
                     std::to_string(sizeof addr.sun_path - 1) + " bytes long");
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  struct stat st{};
  if (lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) throw UsageError("--socket " + path + ": exists and is not a socket; not replacing it");
    const int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const bool live = probe >= 0 && connect(probe, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    if (probe >= 0) close(probe);
    if (live) throw UsageError("--socket " + path + ": in use (a server is listening there)");
    unlink(path.c_str());  // a stale socket of a server that is gone
  }
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) throw UsageError("--socket " + path + ": socket: " + errno_text());
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, 8) != 0) {
    const std::string e = errno_text();
    close(fd);
    throw UsageError("--socket " + path + ": cannot listen there: " + e);
  }
  return fd;
}

// The BAR file's mailbox, mapped; throws UsageError for a file that cannot be served.
struct BarFile {
  int fd = -1;
  uint8_t* base = nullptr;
  uint32_t* word(uint32_t off) const { return reinterpret_cast<uint32_t*>(base + off); }
  uint32_t load(uint32_t off) const { return __atomic_load_n(word(off), __ATOMIC_ACQUIRE); }
  void store(uint32_t off, uint32_t v) const { __atomic_store_n(word(off), v, __ATOMIC_RELEASE); }

  explicit BarFile(const std::string& path) {
    fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) throw UsageError("--bar-file " + path + ": cannot open: " + errno_text());
    struct stat st{};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      close(fd);
      throw UsageError("--bar-file " + path + ": not a regular file");
    }
    if (st.st_size < off_t(TOE_MAILBOX_BYTES) && ftruncate(fd, TOE_MAILBOX_BYTES) != 0) {
      const std::string e = errno_text();
      close(fd);
      throw UsageError("--bar-file " + path + ": cannot size it: " + e);
    }
    void* p = mmap(nullptr, TOE_MAILBOX_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
      const std::string e = errno_text();
      close(fd);
      throw UsageError("--bar-file " + path + ": cannot map it: " + e);
    }
    base = static_cast<uint8_t*>(p);
    if (load(TOE_MAILBOX_MAGIC_OFF) == TOE_MAILBOX_MAGIC && load(TOE_MAILBOX_STATE_OFF) == TOE_MAILBOX_SERVING) {
      const pid_t pid = pid_t(load(TOE_MAILBOX_PID_OFF));
      if (pid > 0 && pid != getpid() && (kill(pid, 0) == 0 || errno == EPERM)) {
        munmap(base, TOE_MAILBOX_BYTES);
        close(fd);
        throw UsageError("--bar-file " + path + ": in use (served by process " + std::to_string(pid) + ")");
      }
    }
    store(TOE_MAILBOX_MAGIC_OFF, 0);
    std::memset(base, 0, TOE_MAILBOX_BYTES);
    store(TOE_MAILBOX_VERSION_OFF, TOE_WIRE_VERSION);
    store(TOE_MAILBOX_PID_OFF, uint32_t(getpid()));
    store(TOE_MAILBOX_STATE_OFF, TOE_MAILBOX_SERVING);
    store(TOE_MAILBOX_MAGIC_OFF, TOE_MAILBOX_MAGIC);
  }
  ~BarFile() {
    store(TOE_MAILBOX_STATE_OFF, TOE_MAILBOX_GONE);
    futex(word(TOE_MAILBOX_COMPLETION_OFF), FUTEX_WAKE, INT32_MAX, nullptr);
    munmap(base, TOE_MAILBOX_BYTES);
    close(fd);
  }
};

sim::PeerApp parse_app(const std::string& text, size_t* bytes) {
  *bytes = 0;
  if (text == "echo") return sim::PeerApp::kEcho;
  if (text == "discard") return sim::PeerApp::kDiscard;
  if (text.rfind("source:", 0) == 0) {
    try {
      size_t used = 0;
      const unsigned long long n = std::stoull(text.substr(7), &used);
      if (used == text.size() - 7) {
        *bytes = size_t(n);
        return sim::PeerApp::kSource;
      }
    } catch (const std::exception&) {
    }
  }
  throw UsageError("--peer-app " + text + ": expected echo, discard or source:BYTES");
}

class ServeHost : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<ServeHost> bus;
  std::string stop_reason;
  uint64_t requests = 0;

  SC_HAS_PROCESS(ServeHost);
  ServeHost(sc_core::sc_module_name n, sc::Platform& p, int listen_fd, BarFile* bar, const ServeOptions& o)
      : sc_core::sc_module(n), bus("bus"), p_(p), listen_fd_(listen_fd), bar_(bar), o_(o) {
    bus.bind(p_.dev.host);
    SC_THREAD(run);
    if (o_.peer_connect != 0) SC_THREAD(peer_connect);
  }
  ~ServeHost() override {
    for (int fd : clients_) close(fd);
  }

 private:
  void peer_connect() {
    wait(sc_time(o_.peer_connect_at_ms, SC_MS));
    size_t bytes = 0;
    const sim::PeerApp app = parse_app(o_.peer_app, &bytes);
    p_.lwip.peer().connect(p_.config().engine_ip, o_.peer_connect, 0, app, bytes);
    p_.lwip.poke();
  }

  // One bus access; the TLM response.
  bool access(bool write, uint32_t offset, uint32_t* data, uint8_t be) {
    unsigned char bytes[4], enables[4];
    std::memcpy(bytes, data, 4);
    // Static: a payload on an SC_THREAD's stack is never destroyed (the thread never returns),
    // which leaks its extension array; b_transport returns before the next access reuses it.
    static tlm::tlm_generic_payload tx;
    tx.set_byte_enable_ptr(nullptr);
    tx.set_byte_enable_length(0);
    tx.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    tx.set_address(offset);
    tx.set_data_ptr(bytes);
    tx.set_data_length(4);
    tx.set_streaming_width(4);
    if (be != 0xF) {
      for (unsigned i = 0; i < 4; ++i) enables[i] = ((be >> i) & 1u) ? TLM_BYTE_ENABLED : TLM_BYTE_DISABLED;
      tx.set_byte_enable_ptr(enables);
      tx.set_byte_enable_length(4);
    }
    tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_time delay = sc_core::SC_ZERO_TIME;
    bus->b_transport(tx, delay);
    wait(delay);
    if (tx.get_response_status() != tlm::TLM_OK_RESPONSE) return false;
    if (!write) std::memcpy(data, bytes, 4);
    return true;
  }

  // The head of the host event queue to the firmware timers, before a pop.
  void tell_timers() {
    if (!p_.timers) return;
    uint32_t ev = 0, conn = 0, value = 0;
    if (!access(false, TOE_REG_EVQ_EVENT_OFFSET, &ev, 0xF) || TOE_REG_FIELD_GET(ev, EVQ_EVENT, EVT) == 0) return;
    if (!access(false, TOE_REG_EVQ_CONN_OFFSET, &conn, 0xF)) return;
    if (!access(false, TOE_REG_EVQ_VALUE_OFFSET, &value, 0xF)) return;
    model::Event e;
    e.type = model::EvtType(TOE_REG_FIELD_GET(ev, EVQ_EVENT, EVT));
    e.conn = conn;
    e.value = value;
    p_.timers->host_event(e);
  }

  // Serves one request (16 bytes) into rsp (16 bytes).
  void serve(const uint8_t* req, uint8_t* rsp) {
    const uint32_t op = req[0], be = req[1], offset = toe_wire_get32(req + 4), value = toe_wire_get32(req + 8);
    uint32_t out = 0;
    uint8_t status = TOE_WIRE_STATUS_OK;
    switch (op) {
      case TOE_WIRE_OP_HELLO:
        out = TOE_WIRE_VERSION;
        hello_seen_ = true;
        if (value != TOE_WIRE_VERSION) status = TOE_WIRE_STATUS_BAD_REQUEST;
        break;
      case TOE_WIRE_OP_READ32:
        if (!access(false, offset, &out, 0xF)) status = TOE_WIRE_STATUS_BUS_ERROR;
        break;
      case TOE_WIRE_OP_WRITE32: {
        uint32_t v = value;
        if (offset == TOE_REG_EVQ_POP_OFFSET && (v & TOE_REG_EVQ_POP_POP_MASK) && be == 0xF) tell_timers();
        if (!access(true, offset, &v, uint8_t(be & 0xF))) status = TOE_WIRE_STATUS_BUS_ERROR;
        break;
      }
      case TOE_WIRE_OP_WAIT: {
        const sc_time deadline = sc_core::sc_time_stamp() + sc_time(double(value), SC_US);
        // In slices of at most 10 ms, so that a signal stops a long wait.
        while (!p_.irq.read() && sc_core::sc_time_stamp() < deadline && g_signal == 0) {
          sc_time left = deadline - sc_core::sc_time_stamp();
          if (left > sc_time(10, SC_MS)) left = sc_time(10, SC_MS);
          wait(left, p_.irq.posedge_event());
        }
        out = p_.irq.read() ? 1u : 0u;
        break;
      }
      case TOE_WIRE_OP_NOW:
        break;
      default:
        status = TOE_WIRE_STATUS_BAD_REQUEST;
    }
    ++requests;
    const uint64_t ns = sc_core::sc_time_stamp().value() / sc_time(1, sc_core::SC_NS).value();
    std::memset(rsp, 0, TOE_WIRE_MSG_BYTES);
    rsp[0] = status;
    rsp[1] = p_.irq.read() ? 1 : 0;
    toe_wire_put32(rsp + 4, out);
    toe_wire_put32(rsp + 8, uint32_t(ns));
    toe_wire_put32(rsp + 12, uint32_t(ns >> 32));
  }

  static bool read_all(int fd, uint8_t* p, size_t n) {
    while (n > 0) {
      const ssize_t r = recv(fd, p, n, 0);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return false;
      p += r;
      n -= size_t(r);
    }
    return true;
  }

  static bool write_all(int fd, const uint8_t* p, size_t n) {
    while (n > 0) {
      const ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return false;
      p += w;
      n -= size_t(w);
    }
    return true;
  }

  // Serves a pending mailbox request; false if none was pending.
  bool serve_bar() {
    const uint32_t bell = bar_->load(TOE_MAILBOX_DOORBELL_OFF);
    if (bell == bar_->load(TOE_MAILBOX_COMPLETION_OFF)) return false;
    uint8_t req[TOE_WIRE_MSG_BYTES], rsp[TOE_WIRE_MSG_BYTES];
    std::memcpy(req, bar_->base + TOE_MAILBOX_REQUEST_OFF, sizeof req);
    serve(req, rsp);
    std::memcpy(bar_->base + TOE_MAILBOX_RESPONSE_OFF, rsp, sizeof rsp);
    bar_->store(TOE_MAILBOX_COMPLETION_OFF, bell);
    futex(bar_->word(TOE_MAILBOX_COMPLETION_OFF), FUTEX_WAKE, INT32_MAX, nullptr);
    return true;
  }

  void run() {
    for (;;) {
      if (g_signal != 0) {
        stop_reason = g_signal == SIGINT ? "SIGINT" : "SIGTERM";
        break;
      }
      if (o_.exit_on_disconnect && hello_seen_ && clients_.empty()) {
        stop_reason = "the last client disconnected";
        break;
      }
      std::vector<pollfd> fds;
      fds.push_back({g_sig_pipe[0], POLLIN, 0});
      if (listen_fd_ >= 0) fds.push_back({listen_fd_, POLLIN, 0});
      for (int fd : clients_) fds.push_back({fd, POLLIN, 0});
      const int n = poll(fds.data(), fds.size(), bar_ ? 0 : -1);
      if (n < 0 && errno != EINTR) {
        stop_reason = "poll: " + errno_text();
        break;
      }
      bool busy = false;
      if (n > 0) {
        size_t i = 1;
        if (listen_fd_ >= 0) {
          if (fds[i].revents & POLLIN) {
            const int c = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (c >= 0) {
              clients_.push_back(c);
            }
          }
          ++i;
        }
        for (; i < fds.size(); ++i) {
          if (fds[i].revents == 0) continue;
          busy = true;
          const int fd = fds[i].fd;
          uint8_t req[TOE_WIRE_MSG_BYTES], rsp[TOE_WIRE_MSG_BYTES];
          bool ok = read_all(fd, req, sizeof req);
          if (ok) {
            serve(req, rsp);
            ok = write_all(fd, rsp, sizeof rsp);
          }
          if (!ok) {
            close(fd);
            clients_.erase(std::find(clients_.begin(), clients_.end(), fd));
          }
        }
      }
      if (bar_) {
        if (serve_bar()) busy = true;
        if (!busy) {
          const struct timespec ts = {0, 1000000};  // 1 ms: the socket clients' and signals' latency
          futex(bar_->word(TOE_MAILBOX_DOORBELL_OFF), FUTEX_WAIT, bar_->load(TOE_MAILBOX_COMPLETION_OFF), &ts);
        }
      }
    }
    sc_core::sc_stop();
  }

  sc::Platform& p_;
  int listen_fd_;
  BarFile* bar_;
  const ServeOptions& o_;
  std::vector<int> clients_;
  bool hello_seen_ = false;  // a client said HELLO (a probe that only connects does not count)
};

std::string mac_text(const net::MacAddr& m) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", m.b[0], m.b[1], m.b[2], m.b[3], m.b[4], m.b[5]);
  return buf;
}

std::string ip_text(uint32_t ip) {
  std::ostringstream s;
  s << (ip >> 24) << '.' << ((ip >> 16) & 0xFF) << '.' << ((ip >> 8) & 0xFF) << '.' << (ip & 0xFF);
  return s.str();
}

}  // namespace

void add_serve_options(CLI::App* cmd, ServeOptions& o) {
  cmd->add_option("--socket", o.socket_path, "PATH: serve MMIO and the interrupt line on this UNIX socket");
  cmd->add_option("--bar-file", o.bar_file, "PATH: serve them through a shared-memory mailbox in this file");
  cmd->add_flag("--exit-on-disconnect", o.exit_on_disconnect,
                "exit once the last socket client has disconnected (default: serve until SIGINT/SIGTERM)");
  cmd->add_option("--engine", o.engine, "model|rtl: the device behind the port")->capture_default_str();
  cmd->add_option("--sessions", o.sessions, "TCB entries")->capture_default_str();
  cmd->add_option("--engine-ip", o.engine_ip, "the engine's IPv4 address (the driver configures it)")
      ->capture_default_str();
  cmd->add_option("--peer-ip", o.peer_ip, "the lwIP peer's address (same /24)")->capture_default_str();
  cmd->add_option("--peer-listen", o.peer_listen, "PORT: lwIP listens there with --peer-app (repeatable)");
  cmd->add_option("--peer-connect", o.peer_connect, "PORT: lwIP connects to the engine's PORT, with --peer-app");
  cmd->add_option("--peer-connect-at-ms", o.peer_connect_at_ms, "simulated time of that connect")
      ->capture_default_str();
  cmd->add_option("--peer-app", o.peer_app, "echo|discard|source:BYTES: what lwIP does on each connection")
      ->capture_default_str();
  cmd->add_option("--loss", o.loss, "frame loss probability, each direction (0..1)")->capture_default_str();
  cmd->add_option("--reorder", o.reorder, "probability a frame is held back by --reorder-delay-us, each direction (0..1)")
      ->capture_default_str();
  cmd->add_option("--reorder-delay-us", o.reorder_delay_us, "how long a reordered frame is held back")
      ->capture_default_str();
  cmd->add_option("--duplicate", o.duplicate, "probability a frame is delivered twice, each direction (0..1)")
      ->capture_default_str();
  cmd->add_option("--delay-us", o.delay_us, "the link's propagation delay, each direction")->capture_default_str();
  cmd->add_option("--rate-mbps", o.rate_mbps, "the link's rate in Mb/s (0: unlimited)")->capture_default_str();
  cmd->add_option("--seed", o.seed, "the link's random seed")->capture_default_str();
  cmd->add_option("--slow-path", o.slow_path,
                  "firmware|timers: the firmware port's slow path, the C firmware of firmware/ in the loop "
                  "(FirmwareNode) or the C++ timer policy (SlowPathTimers)")
      ->capture_default_str();
  cmd->add_option("--rto-ms", o.rto_ms,
                  "the initial RTO (timers); with --slow-path firmware also the floor of a computed RTO")
      ->capture_default_str();
  cmd->add_option("--msl-ms", o.msl_ms, "MSL (TIME_WAIT is 2*MSL)")->capture_default_str();
  cmd->add_flag("--quiet", o.quiet, "no ready line and no summary");
}

int run_serve(const ServeOptions& o) {
  if (o.socket_path.empty() && o.bar_file.empty()) throw UsageError("serve: give --socket PATH and/or --bar-file PATH");
  size_t bytes = 0;
  parse_app(o.peer_app, &bytes);
  sc::PlatformConfig cfg;
  cfg.device.engine = o.engine;
  cfg.device.params.sessions = o.sessions;
  cfg.engine_ip = parse_ipv4_or_throw(o.engine_ip, "--engine-ip");
  cfg.lwip.peer.local_ip = parse_ipv4_or_throw(o.peer_ip, "--peer-ip");
  if ((cfg.engine_ip >> 8) != (cfg.lwip.peer.local_ip >> 8) || cfg.engine_ip == cfg.lwip.peer.local_ip)
    throw UsageError("--engine-ip and --peer-ip: two addresses of one /24");
  if (!(o.loss >= 0 && o.loss <= 1)) throw UsageError("--loss: a probability, 0..1");
  if (!(o.reorder >= 0 && o.reorder <= 1)) throw UsageError("--reorder: a probability, 0..1");
  if (!(o.duplicate >= 0 && o.duplicate <= 1)) throw UsageError("--duplicate: a probability, 0..1");
  if (!(o.reorder_delay_us > 0)) throw UsageError("--reorder-delay-us: a positive time");
  if (!(o.delay_us >= 0)) throw UsageError("--delay-us: a time, 0 or more");
  if (!(o.rto_ms > 0) || !(o.msl_ms >= 0) || !(o.peer_connect_at_ms >= 0))
    throw UsageError("--rto-ms, --msl-ms, --peer-connect-at-ms: positive times");
  for (sc::LinkConfig* l : {&cfg.to_peer, &cfg.to_device}) {
    l->loss_probability = o.loss;
    l->reorder_probability = o.reorder;
    l->reorder_delay = sc_time(o.reorder_delay_us, SC_US);
    l->duplication_probability = o.duplicate;
    l->propagation_delay = sc_time(o.delay_us, SC_US);
    l->rate_bps = o.rate_mbps * 1000000;
  }
  cfg.to_peer.seed = o.seed;
  cfg.to_device.seed = o.seed + 1;
  if (o.slow_path == "firmware") {
    cfg.slow_path = sc::PlatformConfig::SlowPath::kFirmware;
    if (o.rto_ms > 60000 || o.msl_ms > 3.6e6) throw UsageError("--rto-ms, --msl-ms: at most 60000 and 3600000 with the firmware");
    cfg.firmware.fw.rto_initial_ms = uint32_t(o.rto_ms);
    cfg.firmware.fw.rto_min_ms = uint32_t(o.rto_ms);
    cfg.firmware.fw.msl_ms = uint32_t(o.msl_ms);
    if (cfg.firmware.fw.rto_initial_ms == 0) throw UsageError("--rto-ms: at least 1 ms with the firmware");
  } else if (o.slow_path != "timers") {
    throw UsageError("--slow-path " + o.slow_path + ": expected timers or firmware");
  }
  cfg.timers.rto_initial = sc_time(o.rto_ms, SC_MS);
  if (cfg.timers.rto_max < cfg.timers.rto_initial) cfg.timers.rto_max = cfg.timers.rto_initial;
  cfg.timers.msl = sc_time(o.msl_ms, SC_MS);

  if (pipe2(g_sig_pipe, O_CLOEXEC | O_NONBLOCK) != 0) throw std::runtime_error("pipe: " + errno_text());
  struct sigaction sa{};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);

  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  std::unique_ptr<sc::Platform> platform;
  try {
    platform = std::make_unique<sc::Platform>("platform", cfg);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("serve: ") + e.what());
  }
  for (uint16_t port : o.peer_listen) {
    if (port == 0 || platform->lwip.peer().listen(port, parse_app(o.peer_app, &bytes), bytes) < 0)
      throw UsageError("--peer-listen " + std::to_string(port) + ": lwIP cannot listen there");
  }

  int listen_fd = -1;
  std::unique_ptr<BarFile> bar;
  if (!o.bar_file.empty()) bar = std::make_unique<BarFile>(o.bar_file);
  if (!o.socket_path.empty()) {
    try {
      listen_fd = listen_unix(o.socket_path);
    } catch (...) {
      bar.reset();
      throw;
    }
  }
  ServeHost host("serve", *platform, listen_fd, bar.get(), o);

  if (!o.quiet) {
    std::cout << "toe_sim serve: ready";
    if (!o.socket_path.empty()) std::cout << " socket " << o.socket_path;
    if (!o.bar_file.empty()) std::cout << " bar-file " << o.bar_file;
    std::cout << "; engine " << o.engine << " " << ip_text(cfg.engine_ip) << " " << mac_text(cfg.engine_mac)
              << " sessions " << o.sessions << " slow path " << o.slow_path << "; lwIP peer " << ip_text(cfg.lwip.peer.local_ip) << " "
              << mac_text(cfg.lwip.mac) << std::endl;
  }
  sc_core::sc_start();
  if (listen_fd >= 0) {
    close(listen_fd);
    unlink(o.socket_path.c_str());
  }
  bar.reset();
  if (!o.quiet) {
    std::cerr << "toe_sim serve: stopped (" << host.stop_reason << ") after " << host.requests
              << " requests at simulated " << sc_core::sc_time_stamp().to_seconds() << " s\n";
    platform->print(std::cerr);
    std::cerr << std::endl;
  }
  return 0;
}

}  // namespace toe::toesim
