// SPDX-License-Identifier: Apache-2.0
#include "top_lockstep.hpp"

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "rtl_engine.hpp"
#include "rng.hpp"
#include "toe/net/codec.hpp"

namespace toe::lockstep {
namespace {

using model::AxisBeat;
using model::Cmd;
using model::CmdOp;
using model::EngineApi;
using model::EngineIn;
using model::EngineOut;
using model::Event;
using model::EvtType;
using model::Tcb;

using test::Rng;

// ---- VCD of every port of one side -------------------------------------------------------
struct Sample {
  EngineIn in;
  EngineOut out;
};

void write_vcd(const std::string& path, const std::deque<std::pair<uint64_t, Sample>>& hist, uint32_t data_bytes) {
  FILE* f = std::fopen(path.c_str(), "w");
  if (!f) throw std::runtime_error("cannot write " + path);
  struct Sig {
    const char* name;
    unsigned width;
  };
  const unsigned db = data_bytes * 8;
  const std::vector<Sig> sigs = {
      {"s_axis_rx_tdata_i", db}, {"s_axis_rx_tkeep_i", data_bytes}, {"s_axis_rx_tvalid_i", 1},
      {"s_axis_rx_tlast_i", 1}, {"s_axis_rx_tuser_i", 1}, {"s_axis_rx_tready_o", 1},
      {"m_axis_tx_tdata_o", db}, {"m_axis_tx_tkeep_o", data_bytes}, {"m_axis_tx_tvalid_o", 1},
      {"m_axis_tx_tlast_o", 1}, {"m_axis_tx_tready_i", 1}, {"cmd_valid_i", 1}, {"cmd_ready_o", 1},
      {"cmd_op_i", 4}, {"cmd_conn_i", 32}, {"cmd_value_i", 32}, {"evt_valid_o", 1}, {"evt_ready_i", 1},
      {"evt_type_o", 5}, {"evt_conn_o", 32}, {"evt_value_o", 32}, {"evt_lport_o", 16}, {"evt_state_o", 4}};
  std::fprintf(f, "$timescale 1ns $end\n$scope module toe_top $end\n");
  std::fprintf(f, "$var wire 1 ! clk_i $end\n");
  for (size_t i = 0; i < sigs.size(); ++i) std::fprintf(f, "$var wire %u s%zu %s $end\n", sigs[i].width, i, sigs[i].name);
  std::fprintf(f, "$upscope $end\n$enddefinitions $end\n");
  auto bytes_bits = [](const uint8_t* b, unsigned nbytes) {
    std::string s;
    for (int i = int(nbytes) - 1; i >= 0; --i)
      for (int k = 7; k >= 0; --k) s += ((b[i] >> k) & 1) ? '1' : '0';
    return s;
  };
  auto int_bits = [](uint64_t v, unsigned w) {
    std::string s;
    for (int k = int(w) - 1; k >= 0; --k) s += ((v >> k) & 1) ? '1' : '0';
    return s;
  };
  for (const auto& [cyc, s] : hist) {
    std::fprintf(f, "#%" PRIu64 "\n1!\n", cyc * 8);
    const std::vector<std::string> v = {
        bytes_bits(s.in.rx.tdata.data(), data_bytes), int_bits(s.in.rx.tkeep, data_bytes),
        int_bits(s.in.rx.tvalid, 1), int_bits(s.in.rx.tlast, 1), int_bits(s.in.rx.tuser, 1),
        int_bits(s.out.rx_tready, 1), bytes_bits(s.out.tx.tdata.data(), data_bytes),
        int_bits(s.out.tx.tkeep, data_bytes), int_bits(s.out.tx.tvalid, 1), int_bits(s.out.tx.tlast, 1),
        int_bits(s.in.tx_tready, 1), int_bits(s.in.cmd_valid, 1), int_bits(s.out.cmd_ready, 1),
        int_bits(uint64_t(s.in.cmd.op), 4), int_bits(s.in.cmd.conn, 32), int_bits(s.in.cmd.value, 32),
        int_bits(s.out.evt_valid, 1), int_bits(s.in.evt_ready, 1), int_bits(uint64_t(s.out.evt.type), 4),
        int_bits(s.out.evt.conn, 32), int_bits(s.out.evt.value, 32), int_bits(s.out.evt.lport, 16),
        int_bits(uint64_t(s.out.evt.state), 4)};
    for (size_t i = 0; i < v.size(); ++i) {
      if (sigs[i].width == 1)
        std::fprintf(f, "%ss%zu\n", v[i].c_str(), i);
      else
        std::fprintf(f, "b%s s%zu\n", v[i].c_str(), i);
    }
    std::fprintf(f, "#%" PRIu64 "\n0!\n", cyc * 8 + 4);
  }
  std::fclose(f);
}

std::string hex(uint64_t v) {
  char b[32];
  std::snprintf(b, sizeof b, "0x%" PRIx64, v);
  return b;
}
std::string hex_bytes(const uint8_t* b, uint32_t n) {
  std::string s = "0x";
  char t[4];
  for (int i = int(n) - 1; i >= 0; --i) {
    std::snprintf(t, sizeof t, "%02x", b[i]);
    s += t;
  }
  return s;
}

// ---- stimulus --------------------------------------------------------------------------
constexpr uint32_t kLocalIp = 0x0A000002;
const net::MacAddr kLocalMac{{0x02, 0, 0, 0, 0, 0x02}};
const uint16_t kListenPorts[] = {80, 81, 443};

struct Peer {
  uint32_t ip;
  uint16_t port;
  net::MacAddr mac;
};

class Stimulus {
 public:
  Stimulus(const TopConfig& cfg, const EngineApi& model) : cfg_(cfg), m_(model), rng_(cfg.seed) {
    for (uint32_t i = 0; i < 24; ++i) {
      Peer p;
      p.ip = 0x0A000100 + 1 + rng_.below(6);
      p.port = static_cast<uint16_t>(1024 + rng_.below(8));
      p.mac = net::MacAddr{{0x02, 0, 0, 0, 1, uint8_t(i)}};
      peers_.push_back(p);
    }
  }

  // Inputs of the next cycle. write_tx: host writes to do on both sides first.
  EngineIn next(std::vector<std::pair<uint32_t, std::vector<uint8_t>>>& write_tx, uint32_t& write_off) {
    EngineIn in;
    const EngineOut& o = m_.outputs();
    // rx: present a beat (held until taken)
    if (!beat_pending_) {
      if (frame_.empty() || pos_ >= frame_.size()) new_frame();
      if (!rng_.chance(cfg_.rx_idle_pct)) make_beat();
    }
    if (beat_pending_) in.rx = beat_;
    if (beat_pending_ && o.rx_tready) {  // taken this cycle
      beat_pending_ = false;
      pos_ += cfg_.engine.data_bytes;
      // (no draw when chase_half_open_pct is 0: the other runs' stimulus is as before)
      if (beat_.tlast && frame_syn_ && cfg_.chase_half_open_pct > 0 && !cmd_pending_ && repeat_gap_ < 0 &&
          rng_.chance(cfg_.chase_half_open_pct))
        chase_half_open();
    }
    // commands: offered until taken; a connect taken is offered again at once or a cycle later
    // when cfg_.repeat_connect_pct says so (the same 4-tuple decided one or two cycles after it)
    if (!cmd_pending_ && repeat_gap_ >= 0 && repeat_gap_-- == 0) {
      cmd_ = repeat_cmd_;
      cmd_pending_ = repeating_ = true;
    } else if (!cmd_pending_ && repeat_gap_ < 0 && rng_.chance(cfg_.cmd_pct)) {
      make_cmd(write_tx, write_off);
    }
    if (cmd_pending_) {
      in.cmd_valid = true;
      in.cmd = cmd_;
      if (o.cmd_ready) {
        cmd_pending_ = false;
        ++commands;
        // (no draw when repeat_connect_pct is 0: the other runs' stimulus is as before)
        if (cfg_.repeat_connect_pct > 0 && cmd_.op == CmdOp::kConnect && !repeating_ &&
            rng_.chance(cfg_.repeat_connect_pct)) {
          repeat_cmd_ = cmd_;
          repeat_gap_ = int(rng_.below(2));
        } else {
          repeat_gap_ = -1;
        }
        repeating_ = false;
      }
    }
    in.tx_tready = !rng_.chance(cfg_.tx_bp_pct);
    in.evt_ready = !rng_.chance(cfg_.evt_bp_pct);
    return in;
  }

  uint64_t commands = 0;

 private:
  // The connection of the model for this 4-tuple, if open.
  int find_conn(const Peer& p, uint16_t lport) const {
    for (uint32_t c = 0; c < m_.sessions(); ++c) {
      const Tcb& t = m_.tcb(c);
      if (t.state != TcpState::CLOSED && t.rip == p.ip && t.rport == p.port && t.lport == lport) return int(c);
    }
    return -1;
  }

  std::vector<int> open_conns() const {
    std::vector<int> v;
    for (uint32_t c = 0; c < m_.sessions(); ++c)
      if (m_.tcb(c).state != TcpState::CLOSED) v.push_back(int(c));
    return v;
  }

  void new_frame() {
    pos_ = 0;
    tuser_ = rng_.chance(1);
    const uint32_t kind = rng_.below(100);
    if (kind < 2) {  // ARP request
      net::ArpPacket a;
      a.oper = 1;
      a.sha = peers_[0].mac;
      a.spa = peers_[0].ip;
      a.tpa = kLocalIp;
      frame_ = net::build_arp_frame(net::EthHeader{net::MacAddr{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
                                                   peers_[0].mac, net::kEtherTypeArp},
                                    a);
      return;
    }
    // Connections of the engine are mostly what segments address.
    Peer p = peers_[rng_.below(uint32_t(peers_.size()))];
    uint16_t lport = kListenPorts[rng_.below(3)];
    const std::vector<int> open = open_conns();
    int conn = -1;
    if (!open.empty() && rng_.chance(75)) {
      conn = open[rng_.below(uint32_t(open.size()))];
      const Tcb& t = m_.tcb(uint32_t(conn));
      p.ip = t.rip;
      p.port = t.rport;
      p.mac = t.rmac;
      lport = t.lport;
    } else if (rng_.chance(10)) {
      lport = static_cast<uint16_t>(8000 + rng_.below(4));  // nobody listens
    } else {
      conn = find_conn(p, lport);
    }
    frame_syn_ = false;
    net::TcpHeader tcp;
    tcp.src_port = p.port;
    tcp.dst_port = lport;
    tcp.window = static_cast<uint16_t>(rng_.chance(10) ? rng_.below(64) : 1000 + rng_.below(64000));
    uint32_t plen = 0;
    if (conn < 0) {
      tcp.flags = rng_.chance(80) ? uint8_t(net::kSyn) : static_cast<uint8_t>(rng_.below(64));
      tcp.seq = static_cast<uint32_t>(rng_.next());
      tcp.ack = static_cast<uint32_t>(rng_.next());
    } else {
      const Tcb& t = m_.tcb(uint32_t(conn));
      const uint32_t r = rng_.below(100);
      if (t.state == TcpState::SYN_SENT) {
        tcp.flags = r < 70 ? uint8_t(net::kSyn | net::kAck) : (r < 85 ? uint8_t(net::kSyn) : uint8_t(net::kRst | net::kAck));
        tcp.seq = static_cast<uint32_t>(rng_.next());
        tcp.ack = rng_.chance(85) ? t.snd_nxt : static_cast<uint32_t>(rng_.next());
      } else {
        tcp.seq = rng_.chance(80) ? t.rcv_nxt : t.rcv_nxt + rng_.below(40000) - 20000;
        const uint32_t inflight = t.snd_nxt - t.snd_una;
        tcp.ack = rng_.chance(85) ? t.snd_una + (inflight ? rng_.below(inflight + 1) : 0)
                               : static_cast<uint32_t>(rng_.next());
        if (r < 55) tcp.flags = net::kAck;
        else if (r < 75) tcp.flags = uint8_t(net::kAck | net::kPsh);
        else if (r < 85) tcp.flags = uint8_t(net::kAck | net::kFin);
        else if (r < 89) tcp.flags = net::kRst;
        else if (r < 92) tcp.flags = uint8_t(net::kRst | net::kAck);
        else if (r < 95) tcp.flags = net::kSyn;
        else tcp.flags = static_cast<uint8_t>(rng_.below(64));
        if ((tcp.flags & net::kAck) && !(tcp.flags & (net::kRst | net::kSyn)) && rng_.chance(55))
          plen = rng_.chance(70) ? 1 + rng_.below(200) : 1 + rng_.below(1460);
      }
    }
    frame_syn_ = (tcp.flags & (net::kSyn | net::kAck | net::kRst)) == net::kSyn;
    if (tcp.flags & net::kSyn) {
      tcp.opts.has_mss = rng_.chance(80);
      tcp.opts.mss = static_cast<uint16_t>(rng_.below(1600));
      tcp.opts.has_wscale = rng_.chance(60);
      tcp.opts.wscale = static_cast<uint8_t>(rng_.below(16));
      tcp.opts.sack_permitted = rng_.chance(30);
    }
    if (rng_.chance(20)) {
      tcp.opts.has_ts = true;
      tcp.opts.ts_val = static_cast<uint32_t>(rng_.next());
    }
    net::Ipv4Header ip;
    ip.src = p.ip;
    ip.dst = rng_.chance(1) ? kLocalIp + 1 : kLocalIp;
    if (rng_.chance(1)) ip.mf = true;
    std::vector<uint8_t> payload(plen);
    for (auto& b : payload) b = static_cast<uint8_t>(rng_.next());
    net::EthHeader eth{rng_.chance(1) ? net::MacAddr{{0x02, 0, 0, 0, 0, 0x09}} : kLocalMac, p.mac, net::kEtherTypeIpv4};
    frame_ = net::build_tcp_frame(eth, ip, tcp, payload.data(), payload.size());
    const uint32_t bad = rng_.below(100);
    if (bad < 3) frame_[14 + 20 + 16] ^= uint8_t(1 + rng_.below(255));             // TCP checksum
    else if (bad < 4) frame_[14 + 10] ^= uint8_t(1 + rng_.below(255));             // IP checksum
    else if (bad < 5) frame_.resize(14 + rng_.below(uint32_t(frame_.size()) - 14));  // truncated
    else if (bad < 6) frame_.resize(1537 + rng_.below(200), 0x5a);                  // too long
  }

  void make_beat() {
    const uint32_t w = cfg_.engine.data_bytes;
    beat_ = AxisBeat{};
    const uint32_t n = std::min<uint32_t>(w, uint32_t(frame_.size()) - pos_);
    for (uint32_t i = 0; i < n; ++i) beat_.tdata[i] = frame_[pos_ + i];
    beat_.tkeep = n >= 64 ? ~0ull : ((1ull << n) - 1);
    beat_.tvalid = true;
    beat_.tlast = pos_ + w >= frame_.size();
    beat_.tuser = beat_.tlast && tuser_;
    beat_pending_ = true;
  }

  // A connect to the 4-tuple of a half-open connection (SYN_RECEIVED), offered at once (taken now, it
  // is decided the cycle before the SYN whose last beat was taken now) or a cycle later (taken
  // next cycle at the earliest, when the frame's end leaves the command no slot: decided the cycle
  // after it). When that SYN evicts the half-open connection, the connect decided after it must
  // find the 4-tuple gone from the index, the one decided before it must find it there.
  void chase_half_open() {
    std::vector<uint32_t> ho;
    for (uint32_t c = 0; c < m_.sessions(); ++c)
      if (m_.tcb(c).state == TcpState::SYN_RECEIVED) ho.push_back(c);
    if (ho.empty()) return;
    const Tcb& t = m_.tcb(ho[rng_.below(uint32_t(ho.size()))]);
    repeat_cmd_ = Cmd{};
    repeat_cmd_.op = CmdOp::kConnect;
    repeat_cmd_.ip = t.rip;
    repeat_cmd_.port = t.rport;
    repeat_cmd_.lport = t.lport;
    repeat_cmd_.mac = t.rmac;
    repeat_cmd_.tag = static_cast<uint32_t>(rng_.next());
    repeat_gap_ = int(rng_.below(2));
  }

  void make_cmd(std::vector<std::pair<uint32_t, std::vector<uint8_t>>>& write_tx, uint32_t& write_off) {
    cmd_ = Cmd{};
    cmd_pending_ = true;
    if (listens_ < 3) {
      cmd_.op = CmdOp::kListen;
      cmd_.port = kListenPorts[listens_++];
      return;
    }
    const std::vector<int> open = open_conns();
    const uint32_t conn = !open.empty() && rng_.chance(90) ? uint32_t(open[rng_.below(uint32_t(open.size()))])
                                                         : rng_.below(m_.sessions() + 2);
    cmd_.conn = conn;
    const uint32_t r = rng_.below(100);
    if (r < 8) {
      const Peer& p = peers_[rng_.below(uint32_t(peers_.size()))];
      cmd_.op = CmdOp::kConnect;
      cmd_.ip = p.ip;
      cmd_.port = p.port;
      cmd_.lport = static_cast<uint16_t>(40000 + rng_.below(16));
      cmd_.mac = p.mac;
      cmd_.tag = static_cast<uint32_t>(rng_.next());
    } else if (r < 40 && conn < m_.sessions() && !m_.tx_building()) {
      // (tx_build reads a frame's payload words after it took the request: the host must not
      // rewrite a buffer under it, e.g. a connection freed and reopened while its frame is built)
      const Tcb& t = m_.tcb(conn);
      cmd_.op = CmdOp::kTxPush;
      const uint32_t unacked_base = std::min<uint32_t>(t.snd_una - t.iss - 1, t.tx_wr);
      const uint32_t room = m_.tx_buf_bytes() - (t.tx_wr - unacked_base);
      if (rng_.chance(95) && room > 0 && !t.fin_pending) {
        const uint32_t n = 1 + rng_.below(std::min<uint32_t>(room, 4000));
        std::vector<uint8_t> bytes(n);
        for (auto& b : bytes) b = static_cast<uint8_t>(rng_.next());
        write_tx.emplace_back(conn, std::move(bytes));
        write_off = t.tx_wr;
        cmd_.value = t.tx_wr + n;
      } else {
        cmd_.value = t.tx_wr + m_.tx_buf_bytes() + 1 + rng_.below(100);  // refused: would overwrite
      }
    } else if (r < 60 && conn < m_.sessions()) {
      const Tcb& t = m_.tcb(conn);
      cmd_.op = CmdOp::kRxConsume;
      const uint32_t avail = t.rx_wr - t.rx_rd;
      cmd_.value = rng_.chance(95) ? t.rx_rd + (avail ? rng_.below(avail + 1) : 0) : t.rx_wr + 1 + rng_.below(10);
    } else if (r < 66) {
      cmd_.op = CmdOp::kClose;
    } else if (r < 69) {
      cmd_.op = CmdOp::kAbort;
    } else if (r < 77) {
      cmd_.op = CmdOp::kRetransmit;
    } else if (r < 81) {
      cmd_.op = CmdOp::kTimeWaitExpire;
    } else if (r < 83) {
      cmd_.op = CmdOp::kGiveUp;
    } else if (r < 90) {
      cmd_.op = CmdOp::kSendAck;
    } else if (r < 94) {
      cmd_.op = rng_.chance(50) ? CmdOp::kListen : CmdOp::kUnlisten;
      cmd_.port = static_cast<uint16_t>(rng_.chance(50) ? kListenPorts[rng_.below(3)] : 8000 + rng_.below(40));
    } else if (r < 97) {
      cmd_.op = CmdOp::kNop;
    } else {
      cmd_.op = static_cast<CmdOp>(12 + rng_.below(4));  // no such command
    }
  }

  const TopConfig& cfg_;
  const EngineApi& m_;
  Rng rng_;
  std::vector<Peer> peers_;
  std::vector<uint8_t> frame_;
  uint32_t pos_ = 0;
  bool tuser_ = false;
  bool frame_syn_ = false;  // frame_ is a SYN (no ACK, no RST)
  bool beat_pending_ = false;
  AxisBeat beat_;
  bool cmd_pending_ = false;
  int repeat_gap_ = -1;    // >= 0: idle cycles before repeat_cmd_ is offered
  bool repeating_ = false;  // cmd_ is a repeat (not repeated again)
  Cmd repeat_cmd_;
  Cmd cmd_;
  uint32_t listens_ = 0;
};

struct Trace {
  uint64_t cycle;
  uint32_t conn;
  TcpState from, to;
  bool operator==(const Trace& o) const {
    return cycle == o.cycle && conn == o.conn && from == o.from && to == o.to;
  }
};

}  // namespace

std::string TopResult::report() const {
  std::ostringstream os;
  if (ok) {
    os << "lockstep ok: " << cycles << " cycles, " << frames_in << " frames in, " << frames_out
       << " frames out, " << events << " events, " << commands << " commands, " << data_checks
       << " receive-buffer checks, up to " << max_active << " connections open, up to " << max_events_queued
       << " events and " << max_responses_queued << " responses queued";
  } else {
    os << "lockstep MISMATCH at cycle " << cycle << ", port " << port << ": model=" << model_value
       << " rtl=" << rtl_value << "\n  VCDs: " << vcd_model << " " << vcd_rtl;
  }
  return os.str();
}

TopResult run_top_lockstep(const TopConfig& cfg, uint64_t cycles) {
  model::Engine model(cfg.engine);
  std::unique_ptr<EngineApi> rtl = rtl::make_rtl_engine(cfg.engine);
  std::vector<Trace> tm, tr;
  model.on_state_change = [&](uint64_t c, uint32_t conn, TcpState f, TcpState t) { tm.push_back({c, conn, f, t}); };
  rtl->on_state_change = [&](uint64_t c, uint32_t conn, TcpState f, TcpState t) { tr.push_back({c, conn, f, t}); };
  Stimulus stim(cfg, model);
  TopResult res;
  std::deque<std::pair<uint64_t, Sample>> hm, hr;
  const uint32_t w = cfg.engine.data_bytes;
  uint64_t stop_at = ~0ull;
  auto fail = [&](uint64_t cyc, const std::string& port, const std::string& a, const std::string& b) {
    if (!res.ok) return;
    res.ok = false;
    res.cycle = cyc;
    res.port = port;
    res.model_value = a;
    res.rtl_value = b;
    stop_at = cyc + (getenv("TOE_LS_DEBUG") ? 400 : 16);  // a few cycles after it in the VCDs
  };
  for (uint64_t cyc = 0; cyc < cycles && cyc <= stop_at; ++cyc) {
    std::vector<std::pair<uint32_t, std::vector<uint8_t>>> writes;
    uint32_t woff = 0;
    const EngineIn in = stim.next(writes, woff);
    for (auto& [conn, bytes] : writes) {
      model.host_write_tx(conn, woff, bytes.data(), uint32_t(bytes.size()));
      rtl->host_write_tx(conn, woff, bytes.data(), uint32_t(bytes.size()));
    }
    // The event taken this cycle (checked against the receive buffers below).
    const bool evt_taken = model.outputs().evt_valid && in.evt_ready;
    const Event evt = model.outputs().evt;
    const uint32_t data_from = evt_taken && evt.type == EvtType::kData && evt.conn < model.sessions()
                                   ? model.tcb(evt.conn).rx_rd
                                   : 0;
    const auto t0 = std::chrono::steady_clock::now();
    model.clock(in);
    const auto t1 = std::chrono::steady_clock::now();
    rtl->clock(in);
    const auto t2 = std::chrono::steady_clock::now();
    res.model_seconds += std::chrono::duration<double>(t1 - t0).count();
    res.rtl_seconds += std::chrono::duration<double>(t2 - t1).count();
    hm.push_back({cyc, {in, model.outputs()}});
    hr.push_back({cyc, {in, rtl->outputs()}});
    if (hm.size() > 600) {
      hm.pop_front();
      hr.pop_front();
    }
    const EngineOut& a = model.outputs();
    const EngineOut& b = rtl->outputs();
    if (a.rx_tready != b.rx_tready) fail(cyc, "s_axis_rx_tready_o", hex(a.rx_tready), hex(b.rx_tready));
    if (a.tx.tvalid != b.tx.tvalid) fail(cyc, "m_axis_tx_tvalid_o", hex(a.tx.tvalid), hex(b.tx.tvalid));
    if (a.tx.tlast != b.tx.tlast) fail(cyc, "m_axis_tx_tlast_o", hex(a.tx.tlast), hex(b.tx.tlast));
    if (a.tx.tkeep != b.tx.tkeep) fail(cyc, "m_axis_tx_tkeep_o", hex(a.tx.tkeep), hex(b.tx.tkeep));
    if (!std::equal(a.tx.tdata.begin(), a.tx.tdata.begin() + w, b.tx.tdata.begin()))
      fail(cyc, "m_axis_tx_tdata_o", hex_bytes(a.tx.tdata.data(), w), hex_bytes(b.tx.tdata.data(), w));
    if (a.cmd_ready != b.cmd_ready) fail(cyc, "cmd_ready_o", hex(a.cmd_ready), hex(b.cmd_ready));
    if (a.evt_valid != b.evt_valid) fail(cyc, "evt_valid_o", hex(a.evt_valid), hex(b.evt_valid));
    if (a.evt.type != b.evt.type) fail(cyc, "evt_type_o", hex(uint64_t(a.evt.type)), hex(uint64_t(b.evt.type)));
    if (a.evt.conn != b.evt.conn) fail(cyc, "evt_conn_o", hex(a.evt.conn), hex(b.evt.conn));
    if (a.evt.value != b.evt.value) fail(cyc, "evt_value_o", hex(a.evt.value), hex(b.evt.value));
    if (a.evt.lport != b.evt.lport) fail(cyc, "evt_lport_o", hex(a.evt.lport), hex(b.evt.lport));
    if (a.evt.state != b.evt.state)
      fail(cyc, "evt_state_o", hex(uint64_t(a.evt.state)), hex(uint64_t(b.evt.state)));
    if (model.active_sessions() != rtl->active_sessions())
      fail(cyc, "active_sessions_o", hex(model.active_sessions()), hex(rtl->active_sessions()));
    if (model.half_open() != rtl->half_open()) fail(cyc, "half_open_o", hex(model.half_open()), hex(rtl->half_open()));
    if (model.tx_building() != rtl->tx_building())
      fail(cyc, "tx_building_o", hex(model.tx_building()), hex(rtl->tx_building()));
    if (model.busy() != rtl->busy()) fail(cyc, "busy_o", hex(model.busy()), hex(rtl->busy()));
    if (model.initialising() != rtl->initialising())
      fail(cyc, "initialising_o", hex(model.initialising()), hex(rtl->initialising()));
    for (uint32_t c = 0; c < uint32_t(model::Counter::kCount); ++c) {
      const auto cc = static_cast<model::Counter>(c);
      if (model.counter(cc) != rtl->counter(cc))
        fail(cyc, std::string("cnt_o[") + model::to_string(cc) + "]", hex(model.counter(cc)), hex(rtl->counter(cc)));
    }
    if (tm.size() != tr.size() || !std::equal(tm.begin(), tm.end(), tr.begin())) {
      const Trace x = tm.empty() ? Trace{} : tm.back(), y = tr.empty() ? Trace{} : tr.back();
      fail(cyc, "trace_*",
           std::to_string(tm.size()) + " changes, last conn " + std::to_string(x.conn) + " " + to_string(x.from) +
               "->" + to_string(x.to),
           std::to_string(tr.size()) + " changes, last conn " + std::to_string(y.conn) + " " + to_string(y.from) +
               "->" + to_string(y.to));
    }
    if (getenv("TOE_LS_DEBUG")) for (auto& t : tm) if (t.from == TcpState::CLOSED || t.to == TcpState::CLOSED) fprintf(stderr, "%lu conn %u %s->%s\n", (unsigned long)t.cycle, t.conn, to_string(t.from), to_string(t.to));
    tm.clear();
    tr.clear();
    if (evt_taken) ++res.events;
    if (evt_taken && evt.type == EvtType::kData && evt.conn < model.sessions()) {
      // The bytes this data event announces, read back from both receive buffers.
      const uint32_t n = std::min<uint32_t>(evt.value - data_from, model.rx_buf_bytes());
      std::vector<uint8_t> x(n), y(n);
      model.host_read_rx(evt.conn, data_from, x.data(), n);
      rtl->host_read_rx(evt.conn, data_from, y.data(), n);
      ++res.data_checks;
      if (x != y) {
        size_t i = 0;
        while (x[i] == y[i]) ++i;
        fail(cyc, "rx_buf[conn " + std::to_string(evt.conn) + "][" + std::to_string(data_from + i) + "]", hex(x[i]),
             hex(y[i]));
      }
    }
    res.max_active = std::max<uint64_t>(res.max_active, model.active_sessions());
    res.max_events_queued = std::max<uint64_t>(res.max_events_queued, model.events_queued());
    res.max_responses_queued = std::max<uint64_t>(res.max_responses_queued, model.responses_queued());
    res.cycles = cyc + 1;
  }
  res.frames_in = model.counter(model::Counter::kFramesIn);
  res.frames_out = model.counter(model::Counter::kFramesOut);
  res.commands = stim.commands;
  if (!res.ok) {
    char name[64];
    std::snprintf(name, sizeof name, "/lockstep_seed%" PRIu64 "_", cfg.seed);
    res.vcd_model = cfg.vcd_dir + name + "model.vcd";
    res.vcd_rtl = cfg.vcd_dir + name + "rtl.vcd";
    write_vcd(res.vcd_model, hm, w);
    write_vcd(res.vcd_rtl, hr, w);
    res.model_value += " (seed " + std::to_string(cfg.seed) + ")";
  }
  return res;
}

}  // namespace toe::lockstep
