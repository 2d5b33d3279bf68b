// SPDX-License-Identifier: Apache-2.0
// Lockstep harness of toe_engine (see engine_lockstep.hpp).
#include "engine_lockstep.hpp"

#include <algorithm>
#include <utility>

#include "toe_regs.h"

namespace toe::lockstep::engine {

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
                               uint32_t ack, uint8_t flags, const std::string& payload, bool syn_options) {
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

EngineLockstep::EngineLockstep() : ctx_(std::make_unique<VerilatedContext>()) {
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

EngineLockstep::~EngineLockstep() { v_->final(); }

EngineOut EngineLockstep::clock(const EngineIn& in, const Bus& b) {
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

std::string EngineLockstep::host_read_rx(uint32_t conn, uint32_t off, uint32_t n) {
  std::string s;
  for (uint32_t i = 0; i < n; ++i) {
    v_->host_rx_addr_i = conn * kBufBytes + off + i;
    idle();
    s.push_back(static_cast<char>(v_->host_rx_rdata_o));
  }
  return s;
}

void EngineLockstep::host_write_tx(uint32_t conn, uint32_t off, const std::string& data) {
  for (uint32_t i = 0; i < data.size(); ++i) {
    v_->host_tx_we_i = 1;
    v_->host_tx_addr_i = conn * kBufBytes + off + i;
    v_->host_tx_wdata_i = static_cast<uint8_t>(data[i]);
    idle();
  }
  v_->host_tx_we_i = 0;
}

uint32_t EngineLockstep::read(uint32_t addr, bool expect_err) {
  clock(EngineIn{}, {true, false, addr, 0});
  EXPECT_TRUE(v_->reg_valid_o) << "read 0x" << std::hex << addr;
  EXPECT_EQ(bool(v_->reg_err_o), expect_err) << "read 0x" << std::hex << addr;
  return v_->reg_rdata_o;
}

void EngineLockstep::write(uint32_t addr, uint32_t data, bool expect_err) {
  clock(EngineIn{}, {true, true, addr, data});
  EXPECT_TRUE(v_->reg_valid_o) << "write 0x" << std::hex << addr;
  EXPECT_EQ(bool(v_->reg_err_o), expect_err) << "write 0x" << std::hex << addr;
}

void EngineLockstep::program(const EngineConfig& c) {
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

void EngineLockstep::collect_tx(const model::AxisBeat& b) {
  for (uint32_t i = 0; i < kDataBytes; ++i) {
    if ((b.tkeep >> i) & 1u) tx_cur_.push_back(b.tdata[i]);
  }
  if (b.tlast) {
    tx_frames_.push_back(tx_cur_);
    tx_cur_.clear();
  }
}

EngineIn Stimulus::next(const EngineOut& out) {
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

}  // namespace toe::lockstep::engine
