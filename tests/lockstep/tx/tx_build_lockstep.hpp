// SPDX-License-Identifier: Apache-2.0
// Lockstep harness of toe_tx_build (rtl_model/rtl/tx, Verilated) and toe::model::TxBuild, for
// test_tx_build_lockstep.cpp: run_lockstep<V> drives both with the same random stream of transmit
// requests (Stimulus: control segments with and without options, data segments of 1..1460 bytes at
// random buffer offsets, wrapping, a few longer than a frame holds) and the same random
// m_axis_tx_tready; the RTL reads its payload from a copy of the model's transmit buffers through
// txbuf_rd_*. Every output port is compared on every clock. lockstep<V> runs one configuration,
// and on a mismatch names the cycle, the port, both values and the seed and repeats the run with a
// VCD of the RTL around the mismatch. V: the Verilated toe_tx_build of that configuration (one
// PREFIX per configuration, tests/lockstep/tx/CMakeLists.txt), hence templates in this header.
//
// Environment: TOE_LOCKSTEP_SEED, TOE_LOCKSTEP_CYCLES (defaults per test: 2-4 million cycles).
#pragma once

#include <gtest/gtest.h>
#include <verilated.h>
#include <verilated_vcd_c.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "top/top.hpp"
#include "top/tables.hpp"
#include "test_support.hpp"
#include "toe/net/codec.hpp"
#include "toe/net/pcap.hpp"
#include "tx/tx_arbiter.hpp"
#include "tx/tx_build.hpp"
#include "tx_build_stimulus.hpp"

namespace toe::lockstep {

using model::AxisBeat;
using model::EngineConfig;
using model::kMaxFrameBytes;
using model::kNoConn;
using model::Tables;
using model::TxBuild;
using model::TxReq;

// ---- the reference -------------------------------------------------------------------------
// The C++ TxBuild (its built stage waits fetch_cycles() for the payload words, as the RTL reads
// the transmit buffer one DataBytes word per cycle).
class Reference : public TxBuild {
 public:
  using TxBuild::TxBuild;
  bool holding() const { return false; }
};

// ---- Verilator port helpers (CData/SData/IData/QData or VlWide<N> by width) ---------------
template <typename T>
void put_bytes(T& port, const uint8_t* src, size_t n) {
  if constexpr (std::is_integral_v<T>) {
    uint64_t v = 0;
    std::memcpy(&v, src, std::min(n, sizeof v));
    port = static_cast<T>(v);
  } else {
    for (size_t w = 0; w < std::size(port.m_storage); ++w) {
      uint32_t v = 0;
      for (size_t b = 0; b < 4 && 4 * w + b < n; ++b) v |= uint32_t(src[4 * w + b]) << (8 * b);
      port[w] = v;
    }
  }
}

template <typename T>
void get_bytes(const T& port, uint8_t* dst, size_t n) {
  if constexpr (std::is_integral_v<T>) {
    const uint64_t v = port;
    for (size_t b = 0; b < n; ++b) dst[b] = static_cast<uint8_t>(v >> (8 * b));
  } else {
    for (size_t b = 0; b < n; ++b) dst[b] = static_cast<uint8_t>(port[b / 4] >> (8 * (b % 4)));
  }
}

template <typename T>
uint64_t get_u64(const T& port) {
  if constexpr (std::is_integral_v<T>) {
    return port;
  } else {
    return uint64_t(port[0]) | (uint64_t(port[1]) << 32);
  }
}


// ---- one lockstep run ----------------------------------------------------------------------
struct Config {
  uint32_t data_bytes, sessions, tx_buf_bytes;
};

struct RunResult {
  bool ok = true;
  uint64_t mismatch_cycle = 0;
  std::string what;
  uint64_t cycles = 0, frames = 0, payload_bytes = 0, beats = 0;
  // what the stimulus reached
  uint64_t resets = 0, refreshes = 0, wrapped = 0, clamped = 0, both_options = 0, back_to_back = 0,
           payload_in_first_word = 0;
};

struct RunOptions {
  uint64_t seed = 1;
  uint64_t cycles = 1000000;
  double tready_low = 0.0;          // probability m_axis_tx_tready is low in a cycle
  std::string vcd;                  // when set: VCD of the RTL from cycle vcd_from to the end
  uint64_t vcd_from = 0;
  toe::net::PcapWriter* pcap = nullptr;  // frames the RTL produced (first pcap_frames)
  uint64_t pcap_frames = 0;
};

template <class V>
RunResult run_lockstep(const Config& c, const RunOptions& o) {
  RunResult res;
  EngineConfig cfg;
  cfg.data_bytes = c.data_bytes;
  cfg.sessions = c.sessions;
  cfg.tx_buf_bytes = c.tx_buf_bytes;
  Tables t(cfg);
  Reference ref(cfg.data_bytes, cfg, t);
  Stimulus s(o.seed);
  for (auto& b : t.tx_buf) b = static_cast<uint8_t>(s.rng());
  std::vector<uint8_t> mem = t.tx_buf;  // the RTL's transmit buffer memory (the top owns it)

  auto ctx = std::make_unique<VerilatedContext>();
  ctx->traceEverOn(!o.vcd.empty());
  auto top = std::make_unique<V>(ctx.get());
  std::unique_ptr<VerilatedVcdC> vcd;
  uint64_t vtime = 0;
  auto dump = [&] {
    if (vcd) vcd->dump(vtime);
    ++vtime;
  };

  const uint32_t w = c.data_bytes;
  const uint64_t keep_mask = w >= 64 ? ~0ull : (1ull << w) - 1;
  auto set_regs = [&] {
    top->local_mac_i = mac_to_u64(cfg.local_mac);
    top->local_ip_i = cfg.local_ip;
  };
  auto rtl_reset = [&] {
    top->rst_ni = 0;
    top->clk_i = 0;
    top->eval();
    top->rst_ni = 1;
    top->eval();
  };
  set_regs();
  top->m_axis_tx_tready_i = 0;
  top->req_valid_i = 0;
  rtl_reset();
  ref.reset();

  bool pending = false;
  TxReq req;
  std::vector<uint8_t> rd_word(w);
  std::vector<uint8_t> frame;
  double req_rate = 0.7;
  bool last_taken = false;
  uint64_t next_refresh = 20000;
  bool drain = false;

  for (uint64_t cyc = 0; cyc < o.cycles; ++cyc) {
    if (!o.vcd.empty() && !vcd && cyc >= o.vcd_from) {
      vcd = std::make_unique<VerilatedVcdC>();
      top->trace(vcd.get(), 99);
      vcd->open(o.vcd.c_str());
    }
    // --- inputs of this cycle
    if (cyc % 20000 == 0) req_rate = std::array<double, 4>{0.05, 0.3, 0.7, 1.0}[s.below(4)];
    if (!pending && !drain && s.chance(req_rate)) {
      req = s.request(c.sessions, c.tx_buf_bytes);
      pending = true;
    }
    const bool tready = !s.chance(o.tready_low);
    const bool idle = ref.ready() && !ref.beat().tvalid && !ref.holding();
    // The buffer and the runtime registers change only while nothing is in flight (the host
    // writes only bytes past those in flight; the registers are sampled when a request is taken):
    // every 20k..80k cycles the requests pause until the pipeline is empty.
    if (cyc >= next_refresh) drain = true;
    if (drain && idle) {
      drain = false;
      next_refresh = cyc + 20000 + s.below(60000);
      const uint32_t n = 1 + s.below(2000), off = s.below(uint32_t(mem.size()));
      for (uint32_t i = 0; i < n; ++i) mem[(off + i) % mem.size()] = t.tx_buf[(off + i) % mem.size()] = uint8_t(s.rng());
      for (auto& b : cfg.local_mac.b) b = static_cast<uint8_t>(s.rng());
      cfg.local_ip = s.u32();
      set_regs();
      ++res.refreshes;
    }
    // A reset now and then, anywhere in a frame.
    if (s.rng() % 200000 == 0) {
      ref.reset();
      rtl_reset();
      pending = false;
      last_taken = false;
      frame.clear();  // a frame cut short by the reset is not a frame
      ++res.resets;
    }

    // --- compare the outputs (registered: a function of the state before this edge)
    const AxisBeat& mb = ref.beat();
    uint8_t rtl_data[64];
    get_bytes(top->m_axis_tx_tdata_o, rtl_data, w);
    const uint64_t rtl_keep = get_u64(top->m_axis_tx_tkeep_o) & keep_mask;
    std::ostringstream diff;
    if (bool(top->ready_o) != ref.ready()) diff << "ready_o: rtl " << int(top->ready_o) << " model " << ref.ready();
    else if (bool(top->m_axis_tx_tvalid_o) != mb.tvalid)
      diff << "m_axis_tx_tvalid_o: rtl " << int(top->m_axis_tx_tvalid_o) << " model " << mb.tvalid;
    else if (bool(top->m_axis_tx_tlast_o) != mb.tlast)
      diff << "m_axis_tx_tlast_o: rtl " << int(top->m_axis_tx_tlast_o) << " model " << mb.tlast;
    else if (rtl_keep != (mb.tkeep & keep_mask))
      diff << std::hex << "m_axis_tx_tkeep_o: rtl 0x" << rtl_keep << " model 0x" << (mb.tkeep & keep_mask);
    else if (std::memcmp(rtl_data, mb.tdata.data(), w) != 0)
      diff << "m_axis_tx_tdata_o: rtl [" << hex_bytes(rtl_data, w) << "] model [" << hex_bytes(mb.tdata.data(), w)
           << "]";
    else if (bool(top->frame_done_o) != ref.frame_done_pulse())
      diff << "frame_done_o: rtl " << int(top->frame_done_o) << " model " << ref.frame_done_pulse();
    if (!diff.str().empty()) {
      res.ok = false;
      res.mismatch_cycle = cyc;
      res.what = diff.str();
      break;
    }

    // --- frames out (for the pcap and the counts)
    if (mb.tvalid && last_taken) ++res.back_to_back;
    last_taken = mb.tvalid && tready && mb.tlast;
    if (mb.tvalid && tready) {
      ++res.beats;
      for (uint32_t i = 0; i < w; ++i)
        if ((mb.tkeep >> i) & 1) frame.push_back(mb.tdata[i]);
      if (mb.tlast) {
        ++res.frames;
        if (o.pcap && o.pcap->count() < o.pcap_frames) o.pcap->write(res.frames * 1000, frame);
        frame.clear();
      }
    }

    // --- one clock, both sides
    const bool accept = pending && ref.ready();
    if (accept) {
      const uint32_t n = std::min<uint32_t>(req.payload_len, kMaxFrameBytes);
      const uint32_t hlen = 54 + (req.opt_mss ? 4 : 0) + (req.opt_ws ? 4 : 0);
      res.payload_bytes += n;
      res.wrapped += n && (req.payload_off & (c.tx_buf_bytes - 1)) + n > c.tx_buf_bytes;
      res.clamped += req.payload_len > kMaxFrameBytes;
      res.both_options += req.opt_mss && req.opt_ws;
      res.payload_in_first_word += n && (req.payload_off & (w - 1)) >= hlen;
    }
    ref.eval(accept, req, mb.tvalid && tready);
    top->req_valid_i = pending;
    top->req_conn_i = req.conn;
    top->req_dmac_i = mac_to_u64(req.dmac);
    top->req_dip_i = req.dip;
    top->req_sport_i = req.sport;
    top->req_dport_i = req.dport;
    top->req_seq_i = req.seq;
    top->req_ack_i = req.ack;
    top->req_flags_i = req.flags;
    top->req_window_i = req.window;
    top->req_opt_mss_i = req.opt_mss;
    top->req_mss_i = req.mss;
    top->req_opt_ws_i = req.opt_ws;
    top->req_wscale_i = req.wscale;
    top->req_payload_len_i = req.payload_len;
    top->req_payload_off_i = req.payload_off;
    top->m_axis_tx_tready_i = tready;
    put_bytes(top->txbuf_rd_data_i, rd_word.data(), w);
    top->clk_i = 0;
    top->eval();
    dump();
    // The transmit buffer: a registered read (data the cycle after the address). Cycles
    // without a read get random data, so a word read at the wrong time shows.
    const bool rd = top->txbuf_rd_en_o;
    const uint64_t addr = get_u64(top->txbuf_rd_addr_o);
    top->clk_i = 1;
    top->eval();
    dump();
    ref.commit();
    if (accept) pending = false;
    if (rd) {
      if ((addr + 1) * w > mem.size()) {
        res.ok = false;
        res.mismatch_cycle = cyc;
        res.what = "txbuf_rd_addr_o out of range: " + std::to_string(addr);
        break;
      }
      std::memcpy(rd_word.data(), &mem[addr * w], w);
    } else {
      for (auto& b : rd_word) b = static_cast<uint8_t>(s.rng());
    }
    res.cycles = cyc + 1;
  }
  if (vcd) vcd->close();
  top->final();
  return res;
}

template <class V>
void lockstep(const char* name, const Config& c, double tready_low, uint64_t default_seed,
              uint64_t default_cycles, const std::string& pcap_name = "") {
  RunOptions o;
  o.seed = env_u64("TOE_LOCKSTEP_SEED", default_seed);
  o.cycles = env_u64("TOE_LOCKSTEP_CYCLES", default_cycles);
  o.tready_low = tready_low;
  std::unique_ptr<toe::net::PcapWriter> pcap;
  std::string pcap_path;
  if (!pcap_name.empty()) {
    pcap_path = toe::test::out_path(pcap_name);
    pcap = std::make_unique<toe::net::PcapWriter>(pcap_path);
    o.pcap = pcap.get();
    o.pcap_frames = 4000;
  }
  const RunResult r = run_lockstep<V>(c, o);
  if (!r.ok) {
    RunOptions again = o;
    again.pcap = nullptr;
    again.cycles = r.mismatch_cycle + 4;
    again.vcd_from = r.mismatch_cycle > 200 ? r.mismatch_cycle - 200 : 0;
    again.vcd = toe::test::out_path(std::string("lockstep_tx_") + name + ".vcd");
    run_lockstep<V>(c, again);
    FAIL() << name << " (DataBytes " << c.data_bytes << ", Sessions " << c.sessions << ", TxBufBytes "
           << c.tx_buf_bytes << ", tready low " << tready_low * 100 << "%): first mismatch at cycle "
           << r.mismatch_cycle << ", seed " << o.seed << ": " << r.what << "\n  VCD of the RTL from cycle "
           << again.vcd_from << ": " << again.vcd << "\n  replay: TOE_LOCKSTEP_SEED=" << o.seed;
  }
  auto u = [](uint64_t v) { return static_cast<unsigned long long>(v); };
  std::printf("[ lockstep ] %s: %llu cycles, %llu frames, %llu beats, %llu payload bytes, seed %llu%s\n"
              "[ lockstep ]   reached: %llu wrapped, %llu clamped, %llu with MSS+WS, %llu back to back, "
              "%llu payload in the first word, %llu resets, %llu buffer/register changes\n",
              name, u(r.cycles), u(r.frames), u(r.beats), u(r.payload_bytes), u(o.seed),
              "", u(r.wrapped), u(r.clamped),
              u(r.both_options), u(r.back_to_back), u(r.payload_in_first_word), u(r.resets), u(r.refreshes));
  EXPECT_EQ(r.cycles, o.cycles);
  if (o.cycles >= 1000000) {  // the default runs must reach what they are meant to
    EXPECT_GT(r.frames, o.cycles / 2000) << "too few frames: the stimulus is not exercising the streamer";
    EXPECT_GT(r.wrapped, 0u);
    EXPECT_GT(r.clamped, 0u);
    EXPECT_GT(r.both_options, 0u);
    EXPECT_GT(r.back_to_back, 0u);
    EXPECT_GT(r.resets, 0u);
    EXPECT_GT(r.refreshes, 0u);
    if (c.data_bytes == 64) {
      EXPECT_GT(r.payload_in_first_word, 0u);
    }
  }
  if (pcap) {
    pcap.reset();  // flush and close
    EXPECT_TRUE(toe::test::TraceLintOk(pcap_path));
  }
}

}  // namespace toe::lockstep
