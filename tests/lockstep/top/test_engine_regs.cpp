// toe_engine: the Verilated engine behind its generated register block (toe_reg_top).
//
// The configuration is written over the register bus only; CTRL.SOFT_RESET then restarts
// the engine, and from that clock on toe_engine runs in lockstep with the C++ model
// configured with the same values directly: every output port compared on every clock
// while a connection is accepted and carries data, with a bad checksum and a stray frame
// between. Then the counters, interrupts, ENABLE, refused accesses and SOFT_RESET are
// checked through the bus.
#include <gtest/gtest.h>
#include <verilated.h>

#include <cstdint>
#include <cstdio>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "Vtoe_engine.h"
#include "top/engine.hpp"
#include "stream_ports.hpp"
#include "toe/net/codec.hpp"
#include "toe_regs.h"

namespace {

using toe::model::Cmd;
using toe::model::CmdOp;
using toe::model::Counter;
using toe::model::EngineConfig;
using toe::model::EngineIn;
using toe::model::EngineOut;
using toe::TcpState;
namespace net = toe::net;

constexpr uint32_t kDataBytes = 8;  // the Verilated build's DataBytes (CMakeLists.txt)
constexpr uint32_t kSessions = 16;
constexpr uint32_t kBufBytes = 4096;  // RxBufBytes = TxBufBytes of the build
constexpr uint32_t kPeerIp = 0xC0A80109;  // 192.168.1.9
const net::MacAddr kPeerMac{{0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0x09}};

EngineConfig configured() {
  EngineConfig c;
  c.sessions = kSessions;
  c.data_bytes = kDataBytes;
  c.rx_buf_bytes = kBufBytes;
  c.tx_buf_bytes = kBufBytes;
  c.local_mac = net::MacAddr{{0x02, 0x11, 0x22, 0x33, 0x44, 0x55}};
  c.local_ip = 0xC0A80102;  // 192.168.1.2
  c.mss = 1200;
  c.mss_floor = 100;
  c.rcv_wscale = 5;
  c.fixed_isn_en = true;
  c.fixed_isn = 0x12345678;
  c.isn_secret[0] = 1;
  c.isn_secret[1] = 2;
  c.isn_secret[2] = 3;
  c.isn_secret[3] = 4;
  c.clock_mhz = 100;
  c.ack_every = 2;
  c.chal_conn_cycles = 5000;
  c.chal_global_burst = 3;
  c.chal_global_cycles = 20000;
  c.max_half_open = 4;
  return c;
}

std::vector<uint8_t> tcp_frame(const EngineConfig& c, uint32_t dst_ip, uint16_t sport, uint32_t seq,
                               uint32_t ack, uint8_t flags, const std::string& payload = "",
                               bool syn_options = false) {
  net::EthHeader eth;
  eth.dst = c.local_mac;
  eth.src = kPeerMac;
  eth.ethertype = net::kEtherTypeIpv4;
  net::Ipv4Header ip;
  ip.src = kPeerIp;
  ip.dst = dst_ip;
  ip.ttl = 64;
  ip.protocol = net::kIpProtoTcp;
  net::TcpHeader tcp;
  tcp.src_port = sport;
  tcp.dst_port = 80;
  tcp.seq = seq;
  tcp.ack = ack;
  tcp.flags = flags;
  tcp.window = 65535;
  if (syn_options) {
    tcp.opts.has_mss = true;
    tcp.opts.mss = 60;  // below MSS_FLOOR: raised to it
    tcp.opts.has_wscale = true;
    tcp.opts.wscale = 3;
  }
  return net::build_tcp_frame(eth, ip, tcp, reinterpret_cast<const uint8_t*>(payload.data()),
                              payload.size());
}

class EngineRegs : public ::testing::Test {
 protected:
  struct Bus {
    bool req = false, we = false;
    uint32_t addr = 0, wdata = 0;
  };

  EngineRegs() : ctx_(std::make_unique<VerilatedContext>()) {
    ctx_->randReset(0);
    v_ = std::make_unique<Vtoe_engine>(ctx_.get(), "toe_engine");
    v_->clk_i = 0;
    v_->rst_ni = 1;
    v_->eval();
    v_->rst_ni = 0;
    v_->eval();
    v_->rst_ni = 1;
    v_->eval();
  }
  ~EngineRegs() override { v_->final(); }

  // One clock of toe_engine: streams and bus driven, rising edge; the outputs after it.
  EngineOut clock(const EngineIn& in) { return clock(in, Bus{}); }
  EngineOut clock(const EngineIn& in, const Bus& b) {
    toe::rtl::drive_streams(*v_, in, kDataBytes);
    v_->reg_req_i = b.req;
    v_->reg_we_i = b.we;
    v_->reg_addr_i = static_cast<uint16_t>(b.addr);
    v_->reg_wdata_i = b.wdata;
    v_->clk_i = 0;
    v_->eval();
    v_->clk_i = 1;
    v_->eval();
    EngineOut out;
    toe::rtl::read_streams(*v_, out, kDataBytes);
    if (out.tx.tvalid && in.tx_tready) collect_tx(out.tx);
    return out;
  }
  EngineOut idle() { return clock(EngineIn{}); }

  // The host buffer ports: one byte per clock.
  std::string host_read_rx(uint32_t conn, uint32_t off, uint32_t n) {
    std::string s;
    for (uint32_t i = 0; i < n; ++i) {
      v_->host_rx_addr_i = conn * kBufBytes + off + i;
      idle();
      s.push_back(static_cast<char>(v_->host_rx_rdata_o));
    }
    return s;
  }
  void host_write_tx(uint32_t conn, uint32_t off, const std::string& data) {
    for (uint32_t i = 0; i < data.size(); ++i) {
      v_->host_tx_we_i = 1;
      v_->host_tx_addr_i = conn * kBufBytes + off + i;
      v_->host_tx_wdata_i = static_cast<uint8_t>(data[i]);
      idle();
    }
    v_->host_tx_we_i = 0;
  }

  uint32_t read(uint32_t addr, bool expect_err = false) {
    clock(EngineIn{}, {true, false, addr, 0});
    EXPECT_TRUE(v_->reg_valid_o) << "read 0x" << std::hex << addr;
    EXPECT_EQ(bool(v_->reg_err_o), expect_err) << "read 0x" << std::hex << addr;
    return v_->reg_rdata_o;
  }
  void write(uint32_t addr, uint32_t data, bool expect_err = false) {
    clock(EngineIn{}, {true, true, addr, data});
    EXPECT_TRUE(v_->reg_valid_o) << "write 0x" << std::hex << addr;
    EXPECT_EQ(bool(v_->reg_err_o), expect_err) << "write 0x" << std::hex << addr;
  }

  // The configuration, over the bus only.
  void program(const EngineConfig& c) {
    const auto& m = c.local_mac.b;
    write(TOE_REG_MAC_ADDR_LO_OFFSET, uint32_t(m[2]) << 24 | uint32_t(m[3]) << 16 | uint32_t(m[4]) << 8 | m[5]);
    write(TOE_REG_MAC_ADDR_HI_OFFSET, uint32_t(m[0]) << 8 | m[1]);
    write(TOE_REG_IPV4_ADDR_OFFSET, c.local_ip);
    write(TOE_REG_MSS_OFFSET, c.mss);
    write(TOE_REG_MSS_FLOOR_OFFSET, c.mss_floor);
    write(TOE_REG_RCV_WSCALE_OFFSET, c.rcv_wscale);
    write(TOE_REG_FIXED_ISN_OFFSET, c.fixed_isn);
    for (uint32_t i = 0; i < 4; ++i) write(TOE_REG_ISN_SECRET_0_OFFSET + 4 * i, c.isn_secret[i]);
    write(TOE_REG_CLOCK_MHZ_OFFSET, c.clock_mhz);
    write(TOE_REG_ACK_EVERY_OFFSET, c.ack_every);
    write(TOE_REG_CHAL_CONN_CYCLES_OFFSET, c.chal_conn_cycles);
    write(TOE_REG_CHAL_GLOBAL_BURST_OFFSET, c.chal_global_burst);
    write(TOE_REG_CHAL_GLOBAL_CYCLES_OFFSET, c.chal_global_cycles);
    write(TOE_REG_MAX_HALF_OPEN_OFFSET, c.max_half_open);
  }

  void collect_tx(const toe::model::AxisBeat& b) {
    for (uint32_t i = 0; i < kDataBytes; ++i) {
      if ((b.tkeep >> i) & 1u) tx_cur_.push_back(b.tdata[i]);
    }
    if (b.tlast) {
      tx_frames_.push_back(tx_cur_);
      tx_cur_.clear();
    }
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vtoe_engine> v_;
  std::vector<uint8_t> tx_cur_;
  std::vector<std::vector<uint8_t>> tx_frames_;
};

// Stimulus for both sides: frames (beat by beat, as rx_tready allows) and commands.
class Stimulus {
 public:
  void frame(std::vector<uint8_t> f) { frames_.push_back(std::move(f)); }
  void command(const Cmd& c) { cmds_.push_back(c); }
  bool done() const { return frames_.empty() && cmds_.empty(); }

  // This cycle's inputs, given the outputs both sides show (equal, or the test has failed).
  EngineIn next(const EngineOut& out) {
    EngineIn in;
    if (!cmds_.empty()) {
      in.cmd_valid = true;
      in.cmd = cmds_.front();
      if (out.cmd_ready) cmds_.pop_front();
    }
    if (!frames_.empty()) {
      const std::vector<uint8_t>& f = frames_.front();
      const size_t n = std::min<size_t>(kDataBytes, f.size() - pos_);
      in.rx.tvalid = true;
      for (size_t i = 0; i < n; ++i) in.rx.tdata[i] = f[pos_ + i];
      in.rx.tkeep = (n == 64) ? ~0ull : ((1ull << n) - 1);
      in.rx.tlast = pos_ + n == f.size();
      if (out.rx_tready) {
        pos_ += n;
        if (pos_ == f.size()) {
          frames_.pop_front();
          pos_ = 0;
        }
      }
    }
    return in;
  }

 private:
  std::deque<std::vector<uint8_t>> frames_;
  std::deque<Cmd> cmds_;
  size_t pos_ = 0;
};

std::string diff(const EngineOut& a, const EngineOut& b) {
  if (a.rx_tready != b.rx_tready) return "s_axis_rx_tready";
  if (a.cmd_ready != b.cmd_ready) return "cmd_ready";
  if (a.tx.tvalid != b.tx.tvalid) return "m_axis_tx_tvalid";
  if (a.tx.tvalid) {
    if (a.tx.tkeep != b.tx.tkeep) return "m_axis_tx_tkeep";
    if (a.tx.tlast != b.tx.tlast) return "m_axis_tx_tlast";
    for (uint32_t i = 0; i < kDataBytes; ++i) {
      if (a.tx.tdata[i] != b.tx.tdata[i]) return "m_axis_tx_tdata byte " + std::to_string(i);
    }
  }
  if (a.evt_valid != b.evt_valid) return "evt_valid";
  if (a.evt_valid) {
    if (a.evt.type != b.evt.type) return "evt_type";
    if (a.evt.conn != b.evt.conn) return "evt_conn";
    if (a.evt.value != b.evt.value) return "evt_value";
    if (a.evt.lport != b.evt.lport) return "evt_lport";
    if (a.evt.state != b.evt.state) return "evt_state";
  }
  return "";
}

TEST_F(EngineRegs, ProgrammedOverTheBusTheEngineMatchesTheModelOnEveryPort) {
  const EngineConfig cfg = configured();
  EXPECT_EQ(read(TOE_REG_SESSIONS_OFFSET), kSessions);
  program(cfg);
  // ENABLE, FIXED_ISN_EN and the soft reset in one write: the engine restarts with the registers.
  write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_SOFT_RESET_MASK |
                                 TOE_REG_CTRL_FIXED_ISN_EN_MASK);
  EngineOut rtl = idle();  // the clock SOFT_RESET is high: the engine is held in reset
  EXPECT_EQ(read(TOE_REG_CTRL_OFFSET), TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_FIXED_ISN_EN_MASK);
  // That read was the engine's first clock after its reset: the model starts there.
  rtl = EngineOut{};
  toe::rtl::read_streams(*v_, rtl, kDataBytes);

  toe::model::Engine model(cfg);
  model.clock(EngineIn{});  // the clock of the CTRL read above (idle inputs)
  ASSERT_EQ(diff(model.outputs(), rtl), "") << "after the soft reset";
  EXPECT_EQ(read(TOE_REG_STATUS_OFFSET) & TOE_REG_STATUS_READY_MASK, TOE_REG_STATUS_READY_MASK);
  model.clock(EngineIn{});
  toe::rtl::read_streams(*v_, rtl, kDataBytes);
  ASSERT_EQ(diff(model.outputs(), rtl), "");

  Stimulus stim;
  Cmd listen;
  listen.op = CmdOp::kListen;
  listen.port = 80;
  stim.command(listen);
  const uint32_t iss = 1000;
  stim.frame(tcp_frame(cfg, cfg.local_ip, 40000, iss, 0, net::kSyn, "", true));
  stim.frame(tcp_frame(cfg, cfg.local_ip, 40000, iss + 1, cfg.fixed_isn + 1, net::kAck));
  stim.frame(tcp_frame(cfg, cfg.local_ip, 40000, iss + 1, cfg.fixed_isn + 1, net::kAck | net::kPsh,
                       "hello, registers"));
  stim.frame(tcp_frame(cfg, cfg.local_ip, 40000, iss + 17, cfg.fixed_isn + 1, net::kAck | net::kPsh,
                       "second segment: ACK_EVERY is 2"));
  std::vector<uint8_t> bad = tcp_frame(cfg, cfg.local_ip, 40000, iss + 47, cfg.fixed_isn + 1, net::kAck, "x");
  bad[54] ^= 0xFF;  // the payload byte (after 14 + 20 + 20 header bytes): the TCP checksum fails
  stim.frame(bad);
  stim.frame(tcp_frame(cfg, kPeerIp ^ 0xFF, 40001, 7, 0, net::kSyn));  // to another IP address

  uint64_t cycles = 0;
  for (; cycles < 4000; ++cycles) {
    const EngineIn in = stim.next(rtl);
    rtl = clock(in);
    model.clock(in);
    ASSERT_EQ(diff(model.outputs(), rtl), "") << "cycle " << model.cycle();
    if (stim.done() && cycles > 2000) break;
  }
  ASSERT_TRUE(stim.done()) << "the stimulus did not drain";
  for (int i = 0; i < 50; ++i) {
    rtl = idle();
    model.clock(EngineIn{});
    ASSERT_EQ(diff(model.outputs(), rtl), "") << "cycle " << model.cycle();
  }

  // What was sent follows the registers: the SYN-ACK from the programmed MAC and IP, with
  // the fixed ISN, our MSS and window scale; then ACKs (one for two data segments).
  ASSERT_GE(tx_frames_.size(), 2u);
  net::Frame synack;
  ASSERT_EQ(net::parse_frame(tx_frames_[0], synack), net::ParseError::kOk);
  EXPECT_EQ(synack.eth.src, cfg.local_mac);
  EXPECT_EQ(synack.eth.dst, kPeerMac);
  EXPECT_EQ(synack.ip.src, cfg.local_ip);
  EXPECT_EQ(synack.tcp.flags, net::kSyn | net::kAck);
  EXPECT_EQ(synack.tcp.seq, cfg.fixed_isn);
  EXPECT_EQ(synack.tcp.ack, iss + 1);
  ASSERT_TRUE(synack.tcp.opts.has_mss);
  EXPECT_EQ(synack.tcp.opts.mss, cfg.mss);
  ASSERT_TRUE(synack.tcp.opts.has_wscale);
  EXPECT_EQ(synack.tcp.opts.wscale, cfg.rcv_wscale);

  // Every counter, through the bus, equals the model's.
  const uint32_t first = TOE_REG_CNT_FRAMES_IN_OFFSET;
  for (uint32_t c = 0; c < static_cast<uint32_t>(Counter::kCount); ++c) {
    EXPECT_EQ(read(first + 4 * c), uint32_t(model.counter(static_cast<Counter>(c))))
        << toe::model::to_string(static_cast<Counter>(c));
  }
  EXPECT_EQ(read(TOE_REG_CNT_FRAMES_IN_OFFSET), 6u);
  EXPECT_EQ(read(TOE_REG_CNT_DROP_BAD_CSUM_OFFSET), 1u);
  EXPECT_EQ(read(TOE_REG_CNT_DROP_NOT_FOR_US_OFFSET), 1u);
  EXPECT_EQ(read(TOE_REG_CNT_FRAMES_OUT_OFFSET), static_cast<uint32_t>(tx_frames_.size()));

  // The host buffer ports: the received bytes read back through host_rx_*, as the model holds
  // them; bytes written through host_tx_* and pushed go out in a segment.
  const uint32_t conn = 0;  // the first connection takes the first TCB
  ASSERT_EQ(model.tcb(conn).state, TcpState::ESTABLISHED);
  const std::string rx = "hello, registerssecond segment: ACK_EVERY is 2";
  std::string want(rx.size(), '\0');
  model.host_read_rx(conn, 0, reinterpret_cast<uint8_t*>(want.data()), uint32_t(want.size()));
  EXPECT_EQ(want, rx);
  EXPECT_EQ(host_read_rx(conn, 0, uint32_t(rx.size())), rx);
  host_write_tx(conn, 0, "pong!");
  Stimulus push;
  Cmd p;
  p.op = CmdOp::kTxPush;
  p.conn = conn;
  p.value = 5;
  push.command(p);
  const size_t before = tx_frames_.size();
  for (int i = 0; i < 300; ++i) rtl = clock(push.next(rtl));
  ASSERT_TRUE(push.done());
  ASSERT_EQ(tx_frames_.size(), before + 1);
  net::Frame seg;
  ASSERT_EQ(net::parse_frame(tx_frames_.back(), seg), net::ParseError::kOk);
  EXPECT_EQ(seg.tcp.seq, cfg.fixed_isn + 1);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(seg.payload), seg.payload_len), "pong!");
}

TEST_F(EngineRegs, InterruptsEnableRefusedAccessesAndSoftReset) {
  const EngineConfig cfg = configured();
  program(cfg);
  write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_SOFT_RESET_MASK);
  idle();
  EXPECT_EQ(read(TOE_REG_STATUS_OFFSET) & TOE_REG_STATUS_READY_MASK, TOE_REG_STATUS_READY_MASK);
  EXPECT_FALSE(v_->intr_o);

  auto send = [&](const std::vector<uint8_t>& f) {
    Stimulus s;
    s.frame(f);
    EngineOut out = idle();
    for (int i = 0; i < 400; ++i) out = clock(s.next(out));
    EXPECT_TRUE(s.done());
  };

  // A dropped frame sets INTR_STATE.DROP; the interrupt follows INTR_ENABLE; W1C clears it.
  send(tcp_frame(cfg, kPeerIp ^ 0xFF, 40001, 7, 0, net::kSyn));
  EXPECT_EQ(read(TOE_REG_CNT_DROP_NOT_FOR_US_OFFSET), 1u);
  EXPECT_EQ(read(TOE_REG_INTR_STATE_OFFSET) & TOE_REG_INTR_STATE_DROP_MASK, TOE_REG_INTR_STATE_DROP_MASK);
  EXPECT_FALSE(v_->intr_o);
  write(TOE_REG_INTR_ENABLE_OFFSET, TOE_REG_INTR_ENABLE_DROP_MASK);
  idle();
  EXPECT_TRUE(v_->intr_o);
  write(TOE_REG_INTR_STATE_OFFSET, TOE_REG_INTR_STATE_DROP_MASK);
  idle();
  EXPECT_EQ(read(TOE_REG_INTR_STATE_OFFSET) & TOE_REG_INTR_STATE_DROP_MASK, 0u);
  EXPECT_FALSE(v_->intr_o);

  // ENABLE 0: frames are taken and discarded before the engine (no counter moves), nothing is sent.
  write(TOE_REG_CTRL_OFFSET, 0);
  const size_t sent_before = tx_frames_.size();
  send(tcp_frame(cfg, kPeerIp ^ 0xFF, 40001, 7, 0, net::kSyn));
  Stimulus listen;
  Cmd c;
  c.op = CmdOp::kListen;
  c.port = 80;
  listen.command(c);
  EngineOut out = idle();
  for (int i = 0; i < 20; ++i) out = clock(listen.next(out));
  ASSERT_TRUE(listen.done());
  send(tcp_frame(cfg, cfg.local_ip, 40002, 500, 0, net::kSyn));
  for (int i = 0; i < 200; ++i) idle();
  EXPECT_EQ(read(TOE_REG_CNT_FRAMES_IN_OFFSET), 1u);  // the first frame only
  EXPECT_EQ(read(TOE_REG_CNT_DROP_NOT_FOR_US_OFFSET), 1u);
  EXPECT_EQ(tx_frames_.size(), sent_before);
  // An active open while disabled: its SYN is held, not sent, until ENABLE is set again.
  Stimulus open;
  Cmd o;
  o.op = CmdOp::kConnect;
  o.ip = kPeerIp;
  o.port = 5000;
  o.lport = 6000;
  o.mac = kPeerMac;
  o.tag = 1;
  open.command(o);
  out = idle();
  for (int i = 0; i < 20; ++i) out = clock(open.next(out));
  ASSERT_TRUE(open.done());
  for (int i = 0; i < 200; ++i) {
    EXPECT_FALSE(idle().tx.tvalid);
  }
  EXPECT_EQ(tx_frames_.size(), sent_before);
  EXPECT_TRUE(tx_cur_.empty());
  // ENABLE 1: the held SYN goes out, and the next SYN is answered.
  write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK);
  for (int i = 0; i < 200; ++i) idle();
  ASSERT_EQ(tx_frames_.size(), sent_before + 1);
  net::Frame syn;
  ASSERT_EQ(net::parse_frame(tx_frames_.back(), syn), net::ParseError::kOk);
  EXPECT_EQ(syn.tcp.flags, net::kSyn);
  EXPECT_EQ(syn.tcp.dst_port, 5000);
  EXPECT_EQ(syn.tcp.src_port, 6000);
  send(tcp_frame(cfg, cfg.local_ip, 40003, 900, 0, net::kSyn));
  for (int i = 0; i < 200; ++i) idle();
  ASSERT_EQ(tx_frames_.size(), sent_before + 2);
  net::Frame synack;
  ASSERT_EQ(net::parse_frame(tx_frames_.back(), synack), net::ParseError::kOk);
  EXPECT_EQ(synack.tcp.flags, net::kSyn | net::kAck);
  EXPECT_EQ(synack.tcp.ack, 901u);
  EXPECT_EQ(read(TOE_REG_CNT_FRAMES_IN_OFFSET), 2u);

  // Refused accesses answer err and are recorded; they change nothing.
  read(0x0FFC, true);
  EXPECT_EQ(read(TOE_REG_LAST_ERROR_OFFSET) & TOE_REG_LAST_ERROR_CODE_MASK, TOE_REG_LAST_ERROR_CODE_UNMAPPED);
  write(TOE_REG_CNT_FRAMES_IN_OFFSET, 0, true);
  EXPECT_EQ(read(TOE_REG_CNT_FRAMES_IN_OFFSET), 2u);

  // SOFT_RESET: counters and connections go, the configuration stays.
  write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_SOFT_RESET_MASK);
  idle();
  EXPECT_EQ(read(TOE_REG_CNT_FRAMES_IN_OFFSET), 0u);
  EXPECT_EQ(read(TOE_REG_CNT_FRAMES_OUT_OFFSET), 0u);
  EXPECT_EQ(read(TOE_REG_IPV4_ADDR_OFFSET), cfg.local_ip);
  EXPECT_EQ(read(TOE_REG_MSS_OFFSET), cfg.mss);
  // No listener any more: a SYN to port 80 is answered with a RST.
  send(tcp_frame(cfg, cfg.local_ip, 40004, 77, 0, net::kSyn));
  for (int i = 0; i < 200; ++i) idle();
  net::Frame rst;
  ASSERT_EQ(net::parse_frame(tx_frames_.back(), rst), net::ParseError::kOk);
  EXPECT_TRUE(rst.tcp.flags & net::kRst);
  EXPECT_EQ(read(TOE_REG_CNT_RST_SENT_OFFSET), 1u);
}

}  // namespace
