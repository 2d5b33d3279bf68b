// SPDX-License-Identifier: Apache-2.0
// The pin-level swap test: one SystemC testbench (Bench, below) built twice, once around the
// Verilated `--sc` model of toe_engine (Vtoe_engine_sc) and once around the C++ model's
// pin-level module (toe::sc::EnginePins, sim/systemc/pin). Both instances are bound to the same
// input signals; at every falling clock edge every output of one is compared with the same output
// of the other. The binding code is a single template: if a port's name or type differed, this
// file would not compile.
//
// Stimulus (seeded, --seed S, --cycles N): reset; the registers programmed over the bus; a
// listener opened; then random traffic: TCP frames from a few peers to the listener (SYNs, ACKs
// with data, FINs, RSTs, at plausible and implausible sequence numbers), junk frames, random
// register accesses (holes, read-only writes, misaligned offsets, CTRL with ENABLE and
// SOFT_RESET), commands, back-pressure on the transmit stream and the event port, host buffer
// port reads and writes. The run fails on the first differing port (named, with the cycle and
// both values) and also when the traffic did not exercise the engine (no frame sent, no event,
// no refused access, no interrupt): a comparison of two idle devices proves nothing.
//
// Build parameters: 16 sessions, DataBytes 8, 4 KiB buffers (kSessions.. below and
// tests/platform/pin/CMakeLists.txt's -G options must agree).
#include <systemc>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "Vtoe_engine_sc.h"
#include "pin/toe_engine_pins.hpp"
#include "toe/net/codec.hpp"
#include "toe_fw_regs.h"
#include "toe_regs.h"

namespace {

using toe::sc::vl_sc_t;

constexpr unsigned kDataBytes = 8, kSessions = 16, kBufBytes = 4096;
using Pins = toe::sc::EnginePins<kDataBytes>;

// Every input of toe_engine, as signals both devices read.
struct Inputs {
  using data_t = vl_sc_t<8 * kDataBytes>;
  using keep_t = vl_sc_t<kDataBytes>;
  sc_core::sc_signal<bool> rst_ni{"rst_ni"};
  sc_core::sc_signal<bool> reg_req{"reg_req"}, reg_we{"reg_we"};
  sc_core::sc_signal<vl_sc_t<toe::regmap::kAddrWidth>> reg_addr{"reg_addr"};
  sc_core::sc_signal<uint32_t> reg_wdata{"reg_wdata"}, reg_be{"reg_be"};
  sc_core::sc_signal<bool> fw_req{"fw_req"}, fw_we{"fw_we"};
  sc_core::sc_signal<vl_sc_t<toe::fw_regmap::kAddrWidth>> fw_addr{"fw_addr"};
  sc_core::sc_signal<uint32_t> fw_wdata{"fw_wdata"}, fw_be{"fw_be"};
  sc_core::sc_signal<data_t> rx_tdata{"rx_tdata"};
  sc_core::sc_signal<keep_t> rx_tkeep{"rx_tkeep"};
  sc_core::sc_signal<bool> rx_tvalid{"rx_tvalid"}, rx_tlast{"rx_tlast"}, rx_tuser{"rx_tuser"};
  sc_core::sc_signal<bool> tx_tready{"tx_tready"};
  sc_core::sc_signal<bool> cmd_valid{"cmd_valid"};
  sc_core::sc_signal<uint32_t> cmd_op{"cmd_op"}, cmd_conn{"cmd_conn"}, cmd_ip{"cmd_ip"}, cmd_port{"cmd_port"},
      cmd_lport{"cmd_lport"}, cmd_value{"cmd_value"}, cmd_tag{"cmd_tag"};
  sc_core::sc_signal<uint64_t> cmd_mac{"cmd_mac"};
  sc_core::sc_signal<bool> evt_ready{"evt_ready"};
};

// Every output of toe_engine, one set per device. X is the output-port list, used to declare,
// bind and compare them all.
#define TOE_ENGINE_OUTPUTS(X)                                                                       \
  X(bool, reg_ready_o) X(bool, reg_valid_o) X(uint32_t, reg_rdata_o) X(bool, reg_err_o) X(bool, intr_o)                   \
  X(bool, fw_ready_o) X(bool, fw_valid_o) X(uint32_t, fw_rdata_o) X(bool, fw_err_o) X(bool, fw_intr_o)      \
  X(bool, s_axis_rx_tready_o) X(Inputs::data_t, m_axis_tx_tdata_o) X(Inputs::keep_t, m_axis_tx_tkeep_o) \
  X(bool, m_axis_tx_tvalid_o) X(bool, m_axis_tx_tlast_o) X(bool, cmd_ready_o) X(bool, evt_valid_o)   \
  X(uint32_t, evt_type_o) X(uint32_t, evt_conn_o) X(uint32_t, evt_value_o) X(uint32_t, evt_lport_o)  \
  X(uint32_t, evt_state_o)

struct Outputs : sc_core::sc_module {  // a module: each set's signals get names of their own
  explicit Outputs(sc_core::sc_module_name n) : sc_core::sc_module(n) {}
#define TOE_DECLARE(T, name) sc_core::sc_signal<T> name{#name};
  TOE_ENGINE_OUTPUTS(TOE_DECLARE)
#undef TOE_DECLARE
};

// The testbench's half that knows the device: one template, instantiated for both.
template <class Dut>
void bind(Dut& d, sc_core::sc_clock& clk, Inputs& in, Outputs& out) {
  d.clk_i(clk);
  d.rst_ni(in.rst_ni);
  d.reg_req_i(in.reg_req);
  d.reg_we_i(in.reg_we);
  d.reg_addr_i(in.reg_addr);
  d.reg_wdata_i(in.reg_wdata);
  d.reg_be_i(in.reg_be);
  d.fw_req_i(in.fw_req);
  d.fw_we_i(in.fw_we);
  d.fw_addr_i(in.fw_addr);
  d.fw_wdata_i(in.fw_wdata);
  d.fw_be_i(in.fw_be);
  d.s_axis_rx_tdata_i(in.rx_tdata);
  d.s_axis_rx_tkeep_i(in.rx_tkeep);
  d.s_axis_rx_tvalid_i(in.rx_tvalid);
  d.s_axis_rx_tlast_i(in.rx_tlast);
  d.s_axis_rx_tuser_i(in.rx_tuser);
  d.m_axis_tx_tready_i(in.tx_tready);
  d.cmd_valid_i(in.cmd_valid);
  d.cmd_op_i(in.cmd_op);
  d.cmd_conn_i(in.cmd_conn);
  d.cmd_ip_i(in.cmd_ip);
  d.cmd_port_i(in.cmd_port);
  d.cmd_lport_i(in.cmd_lport);
  d.cmd_mac_i(in.cmd_mac);
  d.cmd_value_i(in.cmd_value);
  d.cmd_tag_i(in.cmd_tag);
  d.evt_ready_i(in.evt_ready);
#define TOE_BIND(T, name) d.name(out.name);
  TOE_ENGINE_OUTPUTS(TOE_BIND)
#undef TOE_BIND
}

template <class T>
std::string show(const T& v) {
  std::ostringstream s;
  if constexpr (std::is_integral_v<T>)
    s << "0x" << std::hex << uint64_t(v);
  else
    s << v;
  return s.str();
}

const toe::net::MacAddr kLocalMac{{0x02, 0x11, 0x22, 0x33, 0x44, 0x55}};
constexpr uint32_t kLocalIp = 0xC0A80102;  // 192.168.1.2
constexpr uint16_t kListenPort = 80;

struct Bench : sc_core::sc_module {
  sc_core::sc_clock clk{"clk", 10, sc_core::SC_NS};
  Inputs in;
  Outputs rtl_out{"rtl_out"}, model_out{"model_out"};
  Vtoe_engine_sc rtl{"rtl"};
  Pins pins;
  std::mt19937_64 rng;
  uint64_t cycles;
  uint64_t cycle = 0;
  std::string mismatch;
  // what the traffic did (both devices agree on it, or the run already failed)
  uint64_t frames_out = 0, events = 0, reg_errors = 0, reg_reads = 0, intr_cycles = 0, frames_in = 0;
  uint64_t fw_accesses = 0, fw_errors = 0, fw_intr_cycles = 0;

  SC_HAS_PROCESS(Bench);
  Bench(sc_core::sc_module_name n, uint64_t seed, uint64_t cycles_)
      : sc_core::sc_module(n), pins("pins", params()), rng(seed), cycles(cycles_) {
    bind(rtl, clk, in, rtl_out);
    bind(pins, clk, in, model_out);
    SC_THREAD(run);
  }

  static toe::model::EngineParams params() {
    toe::model::EngineParams p;
    p.sessions = kSessions;
    p.data_bytes = kDataBytes;
    p.rx_buf_bytes = kBufBytes;
    p.tx_buf_bytes = kBufBytes;
    return p;
  }

  // Every output of both devices, compared; the first difference is kept.
  void compare() {
#define TOE_CMP(T, name)                                                                          \
  if (mismatch.empty() && !(rtl_out.name.read() == model_out.name.read()))                        \
    mismatch = "cycle " + std::to_string(cycle) + ": " #name " Verilated " + show(rtl_out.name.read()) + \
               ", model " + show(model_out.name.read());
    TOE_ENGINE_OUTPUTS(TOE_CMP)
#undef TOE_CMP
  }

  // ---- stimulus -------------------------------------------------------------------------
  std::deque<std::pair<uint32_t, std::pair<bool, uint32_t>>> regq;  // addr, (we, data)
  std::deque<std::pair<uint32_t, std::pair<bool, uint32_t>>> fwq;   // the firmware port's
  std::deque<std::vector<uint8_t>> frames;
  size_t pos = 0;
  struct Peer {
    uint32_t ip;
    uint16_t port;
    uint32_t seq;
  };
  std::vector<Peer> peers;

  uint64_t rnd(uint64_t n) { return rng() % n; }

  void program() {
    const auto& m = kLocalMac.b;
    auto w = [&](uint32_t a, uint32_t d) { regq.push_back({a, {true, d}}); };
    w(TOE_REG_MAC_ADDR_LO_OFFSET, uint32_t(m[2]) << 24 | uint32_t(m[3]) << 16 | uint32_t(m[4]) << 8 | m[5]);
    w(TOE_REG_MAC_ADDR_HI_OFFSET, uint32_t(m[0]) << 8 | m[1]);
    w(TOE_REG_IPV4_ADDR_OFFSET, kLocalIp);
    w(TOE_REG_MSS_OFFSET, 536);
    w(TOE_REG_CLOCK_MHZ_OFFSET, 1);  // short timers: the challenge-ACK limits act within the run
    w(TOE_REG_ACK_EVERY_OFFSET, 2);
    w(TOE_REG_INTR_ENABLE_OFFSET, 0xFFFFFFFFu);
    w(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK);
  }

  std::vector<uint8_t> frame(const Peer& p, uint32_t seq, uint32_t ack, uint8_t flags, size_t len) {
    toe::net::EthHeader eth;
    eth.dst = rnd(50) ? kLocalMac : toe::net::MacAddr{{0x02, 0, 0, 0, 0, 0x77}};
    eth.src = toe::net::MacAddr{{0x02, 0xAA, 0, 0, 0, uint8_t(p.ip)}};
    eth.ethertype = toe::net::kEtherTypeIpv4;
    toe::net::Ipv4Header ip;
    ip.src = p.ip;
    ip.dst = rnd(40) ? kLocalIp : kLocalIp + 1;
    ip.ttl = 64;
    ip.protocol = toe::net::kIpProtoTcp;
    toe::net::TcpHeader tcp;
    tcp.src_port = p.port;
    tcp.dst_port = rnd(30) ? kListenPort : uint16_t(81);
    tcp.seq = seq;
    tcp.ack = ack;
    tcp.flags = flags;
    tcp.window = uint16_t(rnd(2) ? 65535 : rnd(4096));
    std::vector<uint8_t> payload(len);
    for (auto& b : payload) b = uint8_t(rng());
    std::vector<uint8_t> f = toe::net::build_tcp_frame(eth, ip, tcp, payload.data(), payload.size());
    if (rnd(60) == 0 && f.size() > 20) f[14 + rnd(f.size() - 14)] ^= uint8_t(1 + rnd(255));  // corrupted
    return f;
  }

  void new_frame() {
    if (peers.empty() || rnd(6) == 0) {
      peers.push_back({0x0A000000u + uint32_t(rnd(1u << 16)), uint16_t(1024 + rnd(60000)), uint32_t(rng())});
      if (peers.size() > 24) peers.erase(peers.begin());
    }
    Peer& p = peers[rnd(peers.size())];
    const uint64_t k = rnd(20);
    if (k < 5) {
      frames.push_back(frame(p, p.seq, 0, toe::net::kSyn, 0));
      ++p.seq;
    } else if (k < 15) {  // ACK (with data): the ack number is a guess, so some are challenged
      const size_t len = rnd(3) ? rnd(700) : 0;
      frames.push_back(frame(p, p.seq, uint32_t(0x12345679u + rnd(4096)), toe::net::kAck | toe::net::kPsh, len));
      p.seq += uint32_t(len);
    } else if (k < 17) {
      frames.push_back(frame(p, p.seq, 0, toe::net::kAck | toe::net::kFin, 0));
      ++p.seq;
    } else if (k < 18) {
      frames.push_back(frame(p, p.seq + uint32_t(rnd(3)), 0, toe::net::kRst, 0));
    } else {  // junk: random bytes of random length
      std::vector<uint8_t> f(14 + rnd(120));
      for (auto& b : f) b = uint8_t(rng());
      frames.push_back(f);
    }
  }

  void random_reg() {
    const uint64_t k = rnd(10);
    uint32_t a = uint32_t(rnd(0x480));  // holes, misaligned offsets, counters, identity, CONN_*, CMD, EVQ ...
    if (k < 5) a &= ~3u;
    if (k == 8) a = (rnd(2) ? TOE_REG_TX_WINDOW_BASE : TOE_REG_RX_WINDOW_BASE) + uint32_t(rnd(kBufBytes + 64));
    if (k == 9) {  // CTRL: ENABLE off now and then, a SOFT_RESET rarely
      uint32_t v = TOE_REG_CTRL_ENABLE_MASK;
      if (rnd(4) == 0) v = 0;
      if (rnd(30) == 0) v |= TOE_REG_CTRL_SOFT_RESET_MASK;
      regq.push_back({TOE_REG_CTRL_OFFSET, {true, v}});
      return;
    }
    const bool we = rnd(4) == 0 && a != TOE_REG_CTRL_OFFSET && a != TOE_REG_IPV4_ADDR_OFFSET &&
                    a != TOE_REG_MAC_ADDR_LO_OFFSET && a != TOE_REG_MAC_ADDR_HI_OFFSET;
    regq.push_back({a, {we, uint32_t(rng())}});
  }

  // The firmware port: its whole map with holes and misaligned offsets, the timer commands (and
  // others, refused) for connections in range and beyond, EVQ_POP, CTRL.EVQ_EN on and off.
  void random_fw() {
    const uint64_t k = rnd(10);
    if (k < 3) {  // a command
      fwq.push_back({TOE_FW_REG_CMD_CONN_OFFSET, {true, uint32_t(rnd(kSessions + 2))}});
      fwq.push_back({TOE_FW_REG_CMD_OFFSET, {true, uint32_t(rnd(5) ? 8 + rnd(4) : rnd(16))}});
      return;
    }
    if (k < 5) {  // drain an event
      fwq.push_back({TOE_FW_REG_EVQ_EVENT_OFFSET, {false, 0}});
      fwq.push_back({TOE_FW_REG_EVQ_POP_OFFSET, {true, 1}});
      return;
    }
    if (k == 5) {
      fwq.push_back({TOE_FW_REG_CTRL_OFFSET, {true, rnd(4) ? TOE_FW_REG_CTRL_EVQ_EN_MASK : 0u}});
      return;
    }
    uint32_t a = uint32_t(rnd(0x200));
    if (k < 8) a &= ~3u;
    fwq.push_back({a, {rnd(3) == 0, uint32_t(rng())}});
  }

  // The outputs as they were at the last clock edge (sampled at the falling edge before it).
  struct Seen {
    bool rx_tready = false, cmd_ready = false, tx_valid = false, tx_last = false, evt_valid = false,
         reg_ready = false, fw_ready = false;
  } seen;

  void drive_fw() {  // as drive_reg, on the firmware port
    if (in.fw_req.read() && !seen.fw_ready) return;
    if (!fwq.empty() && !in.fw_req.read()) {
      const auto r = fwq.front();
      fwq.pop_front();
      in.fw_req.write(true);
      in.fw_addr.write(r.first);
      in.fw_we.write(r.second.first);
      in.fw_wdata.write(r.second.second);
      in.fw_be.write(cycle >= 40 && rnd(60) == 0 ? uint32_t(rnd(16)) : 0xFu);
    } else {
      in.fw_req.write(false);
    }
  }

  void drive_reg() {  // one access at a time, held until taken (reg_ready at the edge)
    if (in.reg_req.read() && !seen.reg_ready) return;
    if (!regq.empty() && !in.reg_req.read()) {
      const auto r = regq.front();
      regq.pop_front();
      in.reg_req.write(true);
      in.reg_addr.write(r.first);
      in.reg_we.write(r.second.first);
      in.reg_wdata.write(r.second.second);
      in.reg_be.write(cycle >= 40 && rnd(40) == 0 ? uint32_t(rnd(16)) : 0xFu);
    } else {
      in.reg_req.write(false);
    }
  }

  void drive(bool took, bool cmd_took) {
    drive_reg();
    drive_fw();
    // frames, beat by beat as tready allows (the devices agree on tready, or the run failed)
    if (took) {
      pos += kDataBytes;
      if (in.rx_tlast.read()) {
        frames.pop_front();
        pos = 0;
        ++frames_in;
      }
    }
    if (frames.empty() && rnd(8) == 0) new_frame();
    const bool gap = !frames.empty() && pos == 0 && rnd(4) == 0;  // idle cycles between frames
    if (!frames.empty() && !gap && (pos > 0 || !took || rnd(2))) {
      const std::vector<uint8_t>& f = frames.front();
      const size_t n = std::min<size_t>(kDataBytes, f.size() - pos);
      uint8_t b[kDataBytes] = {};
      for (size_t i = 0; i < n; ++i) b[i] = f[pos + i];
      uint64_t d = 0;
      for (unsigned i = 0; i < kDataBytes; ++i) d |= uint64_t(b[i]) << (8 * i);
      in.rx_tdata.write(d);
      in.rx_tkeep.write(uint32_t((1u << n) - 1));
      in.rx_tvalid.write(true);
      in.rx_tlast.write(pos + n >= f.size());
      in.rx_tuser.write(pos + n >= f.size() && rnd(200) == 0);
    } else {
      in.rx_tvalid.write(false);
      in.rx_tdata.write(rng());  // not valid: anything
    }
    in.tx_tready.write(rnd(10) != 0);
    in.evt_ready.write(rnd(6) != 0);
    // commands: listen now and then, the rest random
    if (in.cmd_valid.read() && !cmd_took) {
      // held until taken
    } else if (rnd(200) == 0) {
      in.cmd_valid.write(true);
      const bool listen = rnd(3) == 0;
      in.cmd_op.write(listen ? uint32_t(toe::model::CmdOp::kListen) : uint32_t(rnd(16)));
      in.cmd_conn.write(uint32_t(rnd(kSessions + 2)));
      in.cmd_ip.write(peers.empty() ? 0 : peers[rnd(peers.size())].ip);
      in.cmd_port.write(listen ? kListenPort : uint32_t(rnd(65536)));
      in.cmd_lport.write(uint32_t(rnd(65536)));
      in.cmd_mac.write(rng() & 0xFFFFFFFFFFFFull);
      in.cmd_value.write(uint32_t(rnd(5000)));
      in.cmd_tag.write(uint32_t(rng()));
    } else {
      in.cmd_valid.write(false);
    }
    if (rnd(40) == 0) random_reg();
    if (rnd(30) == 0) random_fw();
  }

  void run() {
    in.rst_ni.write(false);
    in.evt_ready.write(true);
    in.tx_tready.write(true);
    for (int i = 0; i < 3; ++i) wait(clk.negedge_event());
    in.rst_ni.write(true);
    program();
    // the listener (held until taken)
    in.cmd_valid.write(true);
    in.cmd_op.write(uint32_t(toe::model::CmdOp::kListen));
    in.cmd_port.write(kListenPort);
    for (cycle = 0; cycle < cycles; ++cycle) {
      wait(clk.negedge_event());
      compare();
      if (!mismatch.empty()) break;
      // What the clock edge just passed did: the inputs driven at the last falling edge met the
      // outputs seen then.
      const bool took = in.rx_tvalid.read() && seen.rx_tready;
      const bool cmd_took = in.cmd_valid.read() && seen.cmd_ready;
      if (seen.tx_valid && seen.tx_last && in.tx_tready.read()) ++frames_out;
      if (seen.evt_valid && in.evt_ready.read()) ++events;
      if (rtl_out.reg_valid_o.read()) ++reg_reads;
      if (rtl_out.reg_valid_o.read() && rtl_out.reg_err_o.read()) ++reg_errors;
      if (rtl_out.intr_o.read()) ++intr_cycles;
      if (rtl_out.fw_valid_o.read()) ++fw_accesses;
      if (rtl_out.fw_valid_o.read() && rtl_out.fw_err_o.read()) ++fw_errors;
      if (rtl_out.fw_intr_o.read()) ++fw_intr_cycles;
      seen = {rtl_out.s_axis_rx_tready_o.read(), rtl_out.cmd_ready_o.read(), rtl_out.m_axis_tx_tvalid_o.read(),
              rtl_out.m_axis_tx_tlast_o.read(), rtl_out.evt_valid_o.read(), rtl_out.reg_ready_o.read(),
              rtl_out.fw_ready_o.read()};
      if (cycle < 40) {  // the registers programmed, the listener opened
        if (cmd_took) in.cmd_valid.write(false);
        drive_reg();
        continue;
      }
      drive(took, cmd_took);
    }
    sc_core::sc_stop();
  }
};

}  // namespace

int sc_main(int argc, char** argv) {
  uint64_t seed = 1, cycles = 200000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--seed") {
      seed = std::strtoull(argv[i + 1], nullptr, 0);
    } else if (a == "--cycles") {
      cycles = std::strtoull(argv[i + 1], nullptr, 0);
    } else {
      std::fprintf(stderr, "usage: %s [--seed S] [--cycles N]\n", argv[0]);
      return 2;
    }
  }
  Bench bench("bench", seed, cycles);
  sc_core::sc_start();
  std::printf("seed %llu, %llu cycles: %llu frames in, %llu frames out, %llu events, %llu register "
              "responses (%llu refused), interrupt high %llu cycles; firmware port: %llu responses (%llu "
              "refused), interrupt high %llu cycles\n",
              (unsigned long long)seed, (unsigned long long)bench.cycle, (unsigned long long)bench.frames_in,
              (unsigned long long)bench.frames_out, (unsigned long long)bench.events,
              (unsigned long long)bench.reg_reads, (unsigned long long)bench.reg_errors,
              (unsigned long long)bench.intr_cycles, (unsigned long long)bench.fw_accesses,
              (unsigned long long)bench.fw_errors, (unsigned long long)bench.fw_intr_cycles);
  if (!bench.mismatch.empty()) {
    std::printf("FAIL: the Verilated toe_engine and the model's EnginePins differ: %s\n", bench.mismatch.c_str());
    return 1;
  }
  if (bench.frames_out == 0 || bench.events == 0 || bench.reg_errors == 0 || bench.intr_cycles == 0 ||
      bench.frames_in < 100 || bench.fw_accesses == 0 || bench.fw_errors == 0) {
    std::printf("FAIL: the traffic did not exercise the engine (see the figures above)\n");
    return 1;
  }
  std::printf("PASS: every output port equal on every cycle\n");
  return 0;
}
