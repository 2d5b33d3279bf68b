// SPDX-License-Identifier: Apache-2.0
// toectl: look at (and poke) a toecore device from the command line, through the driver's
// out-of-process transports: a `toe_sim serve --socket PATH` server, a BAR file served by
// `toe_sim serve --bar-file PATH`, or the device's PCIe BAR mapped raw (--bar: sysfs resource0
// or a UIO device; --uio for its interrupt). See host_driver/README.md ("toectl").
//
//   toectl (--socket PATH | --bar-file PATH | --bar PATH [--uio PATH]) info | conns [-a] | counters | read REG |
//          write REG VALUE | events [--pop [--follow] [--timeout-ms MS]]
//
// Register names and fields come from the generated table (toe_regs_table.hpp), TCP states,
// events and counter names from toe_defs.h.
//
// Exit codes: 0 done; 1 the device refused an access (the message names LAST_ERROR's code);
// 2 usage error (a bad register name, offset or value); 3 no device (nothing serves there,
// the server went away, or TYPE/VERSION is not one this toectl knows).
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "toe/toe_driver.h"
#include "toe/toe_transport.h"
#include "toe/toe_wire.h"
#include "toe_defs.h"
#include "toe_regs.h"
#include "toe_regs_table.hpp"

namespace {

namespace rm = toe::regmap;

// Exits with a code and a message.
struct Exit : std::runtime_error {
  int code;
  Exit(int c, const std::string& m) : std::runtime_error(m), code(c) {}
};

const char* last_error_name(uint32_t code) {
  switch (code) {
    case TOE_REG_LAST_ERROR_CODE_NONE: return "NONE";
    case TOE_REG_LAST_ERROR_CODE_UNMAPPED: return "UNMAPPED";
    case TOE_REG_LAST_ERROR_CODE_READ_ONLY: return "READ_ONLY";
    case TOE_REG_LAST_ERROR_CODE_MISALIGNED: return "MISALIGNED";
    case TOE_REG_LAST_ERROR_CODE_BAD_SIZE: return "BAD_SIZE";
    case TOE_REG_LAST_ERROR_CODE_NO_CONN: return "NO_CONN";
    case TOE_REG_LAST_ERROR_CODE_QUEUE_FULL: return "QUEUE_FULL";
    case TOE_REG_LAST_ERROR_CODE_QUEUE_EMPTY: return "QUEUE_EMPTY";
    case TOE_REG_LAST_ERROR_CODE_BAD_COMMAND: return "BAD_COMMAND";
    case TOE_REG_LAST_ERROR_CODE_OUTSIDE_BUFFER: return "OUTSIDE_BUFFER";
    default: return "?";
  }
}

std::string hex(uint32_t v, int digits = 8) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%0*" PRIX32, digits, v);
  return buf;
}

std::string ip_text(uint32_t ip) {
  return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 0xFF) + "." + std::to_string((ip >> 8) & 0xFF) +
         "." + std::to_string(ip & 0xFF);
}

// The device: one of the two transports, raw accesses with clear errors.
class Device {
 public:
  Device(const std::string& socket_path, const std::string& bar_file, const std::string& raw_bar,
         const std::string& uio) {
    toe_result_t r;
    if (!socket_path.empty()) {
      r = toe_mmio_unix_open(&unix_, socket_path.c_str());
      mmio_ = &unix_.mmio;
      where_ = "socket " + socket_path;
      kind_ = Kind::kUnix;
    } else if (!bar_file.empty()) {
      r = toe_mmio_mmap_open(&bar_, bar_file.c_str(), TOE_MAILBOX_BYTES);
      mmio_ = &bar_.mmio;
      where_ = "bar file " + bar_file;
      kind_ = Kind::kBarFile;
    } else {
      r = toe_mmio_bar_open(&raw_, raw_bar.c_str(), kWindowBytes, uio.empty() ? nullptr : uio.c_str());
      mmio_ = &raw_.mmio;
      where_ = "BAR " + raw_bar;
      kind_ = Kind::kRaw;
    }
    if (r == TOE_BAD_ARG) throw Exit(2, where_ + ": not a usable path");
    if (r != TOE_OK) throw Exit(3, where_ + ": no device " + (kind_ == Kind::kRaw ? "mapped" : "served") + " there (" +
                                       std::strerror(errno) + ")");
  }
  ~Device() {
    switch (kind_) {
      case Kind::kUnix:
        toe_mmio_unix_close(&unix_);
        break;
      case Kind::kBarFile:
        toe_mmio_mmap_close(&bar_);
        break;
      case Kind::kRaw:
        toe_mmio_bar_close(&raw_);
        break;
    }
  }
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  const toe_mmio_t* mmio() const { return mmio_; }
  // Simulated time from a served device; on a mapped BAR the host's monotonic clock.
  uint64_t time_ns() const {
    if (kind_ == Kind::kUnix) return unix_.time_ns;
    if (kind_ == Kind::kBarFile) return bar_.time_ns;
    return raw_.mmio.now_us(raw_.mmio.ctx) * 1000u;
  }

  // Reads or writes; a refusal throws Exit(1) naming LAST_ERROR's code (read right after).
  uint32_t read(uint32_t offset, const std::string& what) {
    uint32_t v = 0;
    check(mmio_->read32(mmio_->ctx, offset, &v), "read " + what);
    return v;
  }
  void write(uint32_t offset, uint32_t value, const std::string& what) {
    check(mmio_->write32(mmio_->ctx, offset, value, 0xF), "write " + what);
  }
  bool wait(uint32_t timeout_us) {
    check(mmio_->wait(mmio_->ctx, timeout_us), "wait");
    return true;
  }

 private:
  void check(toe_bus_status_t st, const std::string& what) {
    if (st == TOE_BUS_OK) return;
    if (st == TOE_BUS_LINK_DOWN) throw Exit(3, what + ": the device is gone (" + where_ + ")");
    uint32_t le = 0;
    std::string why = "LAST_ERROR unreadable";
    if (mmio_->read32(mmio_->ctx, TOE_REG_LAST_ERROR_OFFSET, &le) == TOE_BUS_OK) {
      why = std::string(last_error_name(TOE_REG_FIELD_GET(le, LAST_ERROR, CODE))) + ", LAST_ERROR " + hex(le);
    }
    throw Exit(1, what + ": refused by the device (" + why + ")");
  }

  toe_mmio_unix_t unix_{};
  toe_mmio_mmap_t bar_{};
  toe_mmio_bar_t raw_{};
  const toe_mmio_t* mmio_ = nullptr;
  std::string where_;
  enum class Kind { kUnix, kBarFile, kRaw } kind_ = Kind::kUnix;
  static constexpr size_t kWindowBytes = 0x10000;  // the host port's 64 KiB
};

// A register by name (any case) or offset (0x.. or decimal); throws Exit(2) otherwise.
struct Target {
  uint32_t offset;
  const rm::Reg* reg;  // nullptr: an offset with no register (a window word, or a hole)
  std::string label;
};

Target resolve(const std::string& text) {
  std::string upper;
  for (char c : text) upper += char(std::toupper(static_cast<unsigned char>(c)));
  if (const rm::Reg* r = rm::find(std::string_view(upper))) return {r->offset, r, r->name};
  if (!text.empty() && std::isdigit(static_cast<unsigned char>(text[0]))) {
    size_t used = 0;
    unsigned long v = 0;
    try {
      v = std::stoul(text, &used, 0);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != text.size()) throw Exit(2, "'" + text + "': not a register name or an offset");
    if (v >= (1ul << rm::kAddrWidth))
      throw Exit(2, "offset " + text + ": beyond the register window (0.." + hex((1u << rm::kAddrWidth) - 1, 4) + ")");
    if (v % 4 != 0) throw Exit(2, "offset " + text + ": not a multiple of 4 (every access is 32 bits)");
    const uint32_t off = uint32_t(v);
    if (const rm::Reg* r = rm::find(off)) return {off, r, r->name};
    if (const rm::Window* w = rm::find_window(off)) return {off, nullptr, std::string(w->name) + "+" + hex(off - w->base, 4)};
    return {off, nullptr, hex(off, 4)};
  }
  throw Exit(2, "no register named '" + text + "' (the names are in docs/registers.md)");
}

uint32_t parse_value(const std::string& text) {
  size_t used = 0;
  unsigned long long v = 0;
  try {
    v = std::stoull(text, &used, 0);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || v > 0xFFFFFFFFull || text[0] == '-')
    throw Exit(2, "value '" + text + "': expected a 32-bit number (0x.. or decimal)");
  return uint32_t(v);
}

void print_reg(const Target& t, uint32_t v) {
  std::printf("%-12s %s = %s\n", t.label.c_str(), hex(t.offset, 4).c_str(), hex(v).c_str());
  if (t.reg == nullptr) return;
  for (size_t i = 0; i < t.reg->field_count; ++i) {
    const rm::Field& f = t.reg->fields[i];
    std::printf("  %-14s %" PRIu32 "\n", f.name, (v & f.mask()) >> f.lsb);
  }
}

// ---- commands ------------------------------------------------------------------------------

int cmd_info(Device& d) {
  const uint32_t type = d.read(TOE_REG_TYPE_OFFSET, "TYPE");
  const uint32_t version = d.read(TOE_REG_VERSION_OFFSET, "VERSION");
  const uint32_t sessions = d.read(TOE_REG_SESSIONS_OFFSET, "SESSIONS");
  char ascii[5] = {char(type >> 24), char(type >> 16), char(type >> 8), char(type), 0};
  for (char& c : ascii)
    if (c != 0 && !std::isprint(static_cast<unsigned char>(c))) c = '.';
  std::printf("TYPE        %s \"%s\"%s\n", hex(type).c_str(), ascii, type == TOE_DEVICE_TYPE ? "" : " (not a toecore device)");
  std::printf("VERSION     %" PRIu32 ".%" PRIu32 ".%" PRIu32 "\n", TOE_REG_FIELD_GET(version, VERSION, MAJOR),
              TOE_REG_FIELD_GET(version, VERSION, MINOR), TOE_REG_FIELD_GET(version, VERSION, PATCH));
  std::printf("SESSIONS    %" PRIu32 "\n", sessions);
  if (type != TOE_DEVICE_TYPE) return 3;
  if (TOE_REG_FIELD_GET(version, VERSION, MAJOR) > 0 || TOE_REG_FIELD_GET(version, VERSION, MINOR) >= 3) {
    const uint32_t tx = d.read(TOE_REG_TX_BUF_BYTES_OFFSET, "TX_BUF_BYTES");
    const uint32_t rx = d.read(TOE_REG_RX_BUF_BYTES_OFFSET, "RX_BUF_BYTES");
    std::printf("buffers     tx %" PRIu32 " rx %" PRIu32 " bytes per session\n", tx, rx);
  }
  const uint32_t ctrl = d.read(TOE_REG_CTRL_OFFSET, "CTRL");
  const uint32_t status = d.read(TOE_REG_STATUS_OFFSET, "STATUS");
  std::printf("state       %s, %s\n", TOE_REG_FIELD_GET(status, STATUS, READY) ? "ready" : "not ready (in reset or initialising its tables)",
              TOE_REG_FIELD_GET(ctrl, CTRL, ENABLE) ? "enabled" : "disabled");
  const uint32_t lo = d.read(TOE_REG_MAC_ADDR_LO_OFFSET, "MAC_ADDR_LO");
  const uint32_t hi = d.read(TOE_REG_MAC_ADDR_HI_OFFSET, "MAC_ADDR_HI");
  const uint32_t ip = d.read(TOE_REG_IPV4_ADDR_OFFSET, "IPV4_ADDR");
  const uint32_t mss = d.read(TOE_REG_MSS_OFFSET, "MSS");
  std::printf("address     %s %02x:%02x:%02x:%02x:%02x:%02x MSS %" PRIu32 "\n", ip_text(ip).c_str(),
              unsigned(hi >> 8 & 0xFF), unsigned(hi & 0xFF), unsigned(lo >> 24), unsigned(lo >> 16 & 0xFF),
              unsigned(lo >> 8 & 0xFF), unsigned(lo & 0xFF), mss);
  const uint32_t evq = d.read(TOE_REG_EVQ_STATUS_OFFSET, "EVQ_STATUS");
  const uint32_t is = d.read(TOE_REG_INTR_STATE_OFFSET, "INTR_STATE");
  const uint32_t ie = d.read(TOE_REG_INTR_ENABLE_OFFSET, "INTR_ENABLE");
  std::printf("events      %" PRIu32 " queued of %" PRIu32 "; INTR_STATE %s INTR_ENABLE %s\n",
              TOE_REG_FIELD_GET(evq, EVQ_STATUS, COUNT), TOE_REG_FIELD_GET(evq, EVQ_STATUS, DEPTH), hex(is, 1).c_str(),
              hex(ie, 1).c_str());
  std::printf("bus errors  %" PRIu32 "\n", d.read(TOE_REG_BUS_ERRORS_OFFSET, "BUS_ERRORS"));
  return 0;
}

const char* ss_state(uint32_t s) {
  static const char* const names[TOE_STATE_MAX + 1] = {"CLOSED",     "LISTEN",     "SYN-SENT",   "SYN-RECV",
                                                       "ESTAB",      "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT",
                                                       "CLOSING",    "LAST-ACK",   "TIME-WAIT"};
  return s <= TOE_STATE_MAX ? names[s] : "?";
}

int cmd_conns(Device& d, bool all) {
  std::vector<toe_conn_t> conns(256);
  toe_dev_t dev;
  const toe_result_t r = toe_open(&dev, d.mmio(), conns.data(), uint32_t(conns.size()), nullptr);
  if (r == TOE_TRANSPORT_ERROR) throw Exit(3, "the device is gone");
  if (r != TOE_OK) throw Exit(3, std::string("toe_open: ") + toe_result_str(r));
  toe_device_info_t di{};
  toe_device_info(&dev, &di);
  const uint32_t local_ip = d.read(TOE_REG_IPV4_ADDR_OFFSET, "IPV4_ADDR");
  // CONN_SEL is the device's, shared with the application: put it back afterwards.
  const uint32_t sel = d.read(TOE_REG_CONN_SEL_OFFSET, "CONN_SEL");
  std::printf("%-11s %6s %6s %-21s %-21s %4s %10s %10s %10s %5s %7s\n", "State", "Recv-Q", "Send-Q",
              "Local Address:Port", "Peer Address:Port", "Conn", "SND.UNA", "SND.NXT", "RCV.NXT", "MSS", "WScale");
  for (uint32_t c = 0; c < di.sessions; ++c) {
    toe_conn_info_t ci{};
    const toe_result_t rc = toe_conn_info(&dev, c, &ci);
    if (rc == TOE_TRANSPORT_ERROR) throw Exit(3, "the device is gone");
    if (rc != TOE_OK) throw Exit(1, "CONN_SEL " + std::to_string(c) + ": " + toe_result_str(rc));
    if (ci.state == TOE_STATE_CLOSED && !all) continue;
    const std::string local = ip_text(local_ip) + ":" + std::to_string(ci.lport);
    const std::string peer = ci.state == TOE_STATE_CLOSED ? "*:*" : ip_text(ci.remote_ipv4) + ":" + std::to_string(ci.rport);
    // WScale: the peer's and ours, as ss -i shows them ("-": no scaling).
    const std::string ws = ci.ws_ok ? std::to_string(ci.snd_wscale) + "," + std::to_string(ci.rcv_wscale) : "-";
    std::printf("%-11s %6" PRIu32 " %6" PRIu32 " %-21s %-21s %4" PRIu32 " %10" PRIu32 " %10" PRIu32 " %10" PRIu32
                " %5u %7s\n",
                ss_state(ci.state), ci.rx_queued, ci.tx_queued, local.c_str(), peer.c_str(), c, ci.snd_una, ci.snd_nxt,
                ci.rcv_nxt, unsigned(ci.snd_mss), ws.c_str());
  }
  d.write(TOE_REG_CONN_SEL_OFFSET, sel, "CONN_SEL");
  return 0;
}

int cmd_counters(Device& d) {
  for (uint32_t i = 0; i < TOE_CNT_COUNT; ++i) {
    std::string reg = "CNT_";
    for (const char* p = toe_cnt_names[i]; *p; ++p) reg += char(std::toupper(static_cast<unsigned char>(*p)));
    const rm::Reg* r = rm::find(std::string_view(reg));
    if (r == nullptr) throw Exit(3, "no register " + reg + " in the table (a build mismatch)");
    std::printf("%-22s %" PRIu32 "\n", toe_cnt_names[i], d.read(r->offset, reg));
  }
  return 0;
}

int cmd_read(Device& d, const Target& t) {
  print_reg(t, d.read(t.offset, t.label));
  return 0;
}

int cmd_write(Device& d, const Target& t, uint32_t v) {
  d.write(t.offset, v, t.label);
  std::printf("%-12s %s <- %s\n", t.label.c_str(), hex(t.offset, 4).c_str(), hex(v).c_str());
  return 0;
}

void print_event(uint64_t time_ns, uint32_t ev, uint32_t conn, uint32_t value) {
  const uint32_t type = TOE_REG_FIELD_GET(ev, EVQ_EVENT, EVT);
  std::printf("%12.6f  %-16s conn %-4" PRIu32 " lport %-5" PRIu32 " value %" PRIu32 "\n", double(time_ns) / 1e9,
              type <= TOE_EVT_MAX ? toe_evt_names[type] : "?", conn, TOE_REG_FIELD_GET(ev, EVQ_EVENT, LPORT), value);
}

int cmd_events(Device& d, bool pop, bool follow, uint32_t timeout_ms) {
  if (!pop) {
    // The head first, then the count: only a pop removes events, so a head seen is counted
    // (on a simulated device time moves with every access, and an event may land in between).
    const uint32_t ev = d.read(TOE_REG_EVQ_EVENT_OFFSET, "EVQ_EVENT");
    uint32_t conn = 0, value = 0;
    if (TOE_REG_FIELD_GET(ev, EVQ_EVENT, EVT) != 0) {
      conn = d.read(TOE_REG_EVQ_CONN_OFFSET, "EVQ_CONN");
      value = d.read(TOE_REG_EVQ_VALUE_OFFSET, "EVQ_VALUE");
    }
    const uint64_t at = d.time_ns();
    const uint32_t st = d.read(TOE_REG_EVQ_STATUS_OFFSET, "EVQ_STATUS");
    std::printf("%" PRIu32 " queued of %" PRIu32 "\n", TOE_REG_FIELD_GET(st, EVQ_STATUS, COUNT),
                TOE_REG_FIELD_GET(st, EVQ_STATUS, DEPTH));
    if (TOE_REG_FIELD_GET(ev, EVQ_EVENT, EVT) == 0) return 0;
    std::printf("head: ");
    print_event(at, ev, conn, value);
    return 0;
  }
  const uint64_t end_ns = d.time_ns() + uint64_t(timeout_ms) * 1000000u;
  for (;;) {
    const uint32_t ev = d.read(TOE_REG_EVQ_EVENT_OFFSET, "EVQ_EVENT");
    if (TOE_REG_FIELD_GET(ev, EVQ_EVENT, EVT) != 0) {
      const uint32_t conn = d.read(TOE_REG_EVQ_CONN_OFFSET, "EVQ_CONN");
      const uint32_t value = d.read(TOE_REG_EVQ_VALUE_OFFSET, "EVQ_VALUE");
      d.write(TOE_REG_EVQ_POP_OFFSET, TOE_REG_EVQ_POP_POP_MASK, "EVQ_POP");
      print_event(d.time_ns(), ev, conn, value);
      std::fflush(stdout);
      continue;
    }
    if (!follow || d.time_ns() >= end_ns) return 0;
    // Simulated time runs only while a client waits: wait up to 1 ms (or for the line), then look.
    // EVQ_NOT_EMPTY is cleared first (as the driver does), or a bit left set by events already
    // popped would hold the line high and the wait would return at once, for ever.
    d.write(TOE_REG_INTR_STATE_OFFSET, TOE_REG_INTR_STATE_EVQ_NOT_EMPTY_MASK, "INTR_STATE");
    if (TOE_REG_FIELD_GET(d.read(TOE_REG_EVQ_STATUS_OFFSET, "EVQ_STATUS"), EVQ_STATUS, COUNT) != 0) continue;
    const uint64_t left_us = (end_ns - d.time_ns()) / 1000u;
    d.wait(uint32_t(left_us < 1000 ? (left_us ? left_us : 1) : 1000));
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"toectl: inspect a toecore device served by toe_sim serve (see host_driver/README.md)"};
  app.require_subcommand(1);
  std::string socket_path, bar_file, raw_bar, uio;
  auto* so = app.add_option("--socket", socket_path, "PATH: a toe_sim serve --socket server");
  auto* bo = app.add_option("--bar-file", bar_file, "PATH: a BAR file served by toe_sim serve --bar-file");
  auto* rbo = app.add_option("--bar", raw_bar,
                             "PATH: the device's BAR mapped raw (/sys/bus/pci/devices/BDF/resource0, or /dev/uioN)");
  auto* uo = app.add_option("--uio", uio, "PATH: with --bar, the UIO device whose interrupt events --follow waits on");
  so->excludes(bo);
  so->excludes(rbo);
  bo->excludes(rbo);
  uo->needs(rbo);

  auto* info = app.add_subcommand("info", "TYPE, VERSION, SESSIONS, state, addresses, event queue");
  bool all = false;
  auto* conns = app.add_subcommand("conns", "connections in the shape of ss -tan (writes CONN_SEL, then puts it back)");
  conns->add_flag("-a,--all", all, "also the free sessions");
  auto* counters = app.add_subcommand("counters", "the statistics counters (CNT_*) by name");
  std::string reg, value;
  auto* rd = app.add_subcommand("read", "read a register by name or offset");
  rd->add_option("REG", reg, "register name (CTRL) or byte offset (0x10)")->required();
  auto* wr = app.add_subcommand("write", "write a register by name or offset");
  wr->add_option("REG", reg, "register name or byte offset")->required();
  wr->add_option("VALUE", value, "32-bit value (0x.. or decimal)")->required();
  bool pop = false, follow = false;
  uint32_t timeout_ms = 1000;
  auto* events = app.add_subcommand(
      "events", "the host event queue: by default its length and head (nothing taken); --pop takes the events, "
                "which the application then never sees");
  events->add_flag("--pop", pop, "take (pop) and print every queued event");
  events->add_flag("--follow", follow, "with --pop: keep waiting for events for --timeout-ms of simulated time");
  events->add_option("--timeout-ms", timeout_ms, "with --follow: simulated time to watch")->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (socket_path.empty() && bar_file.empty() && raw_bar.empty()) {
    std::cerr << "toectl: give --socket PATH, --bar-file PATH or --bar PATH\n";
    return 2;
  }
  try {
    if (follow && !pop) throw Exit(2, "events --follow needs --pop");
    // Names and values are checked before the device is opened.
    std::optional<Target> target;
    uint32_t v = 0;
    if (*rd || *wr) target = resolve(reg);
    if (*wr) v = parse_value(value);
    Device d(socket_path, bar_file, raw_bar, uio);
    if (*info) return cmd_info(d);
    if (*conns) return cmd_conns(d, all);
    if (*counters) return cmd_counters(d);
    if (*rd) return cmd_read(d, *target);
    if (*wr) return cmd_write(d, *target, v);
    if (*events) return cmd_events(d, pop, follow, timeout_ms);
  } catch (const Exit& e) {
    std::fflush(stdout);
    std::cerr << "toectl: " << e.what() << "\n";
    return e.code;
  }
  return 2;
}
