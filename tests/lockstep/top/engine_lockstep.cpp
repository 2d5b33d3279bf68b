// SPDX-License-Identifier: Apache-2.0
// Lockstep harness of toe_engine against model::EngineDevice (see engine_lockstep.hpp).
#include "engine_lockstep.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "toe_regs.h"

namespace toe::lockstep::engine {

model::EngineParams built() {
  model::EngineParams p;
  p.sessions = kSessions;
  p.data_bytes = kDataBytes;
  p.rx_buf_bytes = kBufBytes;
  p.tx_buf_bytes = kBufBytes;
  return p;
}

EngineConfig configured() {
  EngineConfig c;
  static_cast<model::EngineParams&>(c) = built();
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

std::string diff(const EngineDeviceOut& a, const EngineDeviceOut& b) {
  const std::string streams = diff(static_cast<const EngineOut&>(a), static_cast<const EngineOut&>(b));
  if (!streams.empty()) return streams;
  if (a.reg_ready != b.reg_ready) return "reg_ready";
  if (a.reg_valid != b.reg_valid) return "reg_valid";
  if (a.reg_rdata != b.reg_rdata) return "reg_rdata";
  if (a.reg_err != b.reg_err) return "reg_err";
  if (a.intr != b.intr) return "intr";
  if (a.fw_ready != b.fw_ready) return "fw_ready";
  if (a.fw_valid != b.fw_valid) return "fw_valid";
  if (a.fw_rdata != b.fw_rdata) return "fw_rdata";
  if (a.fw_err != b.fw_err) return "fw_err";
  if (a.fw_intr != b.fw_intr) return "fw_intr";
  return "";
}

EngineLockstep::EngineLockstep() : ctx_(std::make_unique<VerilatedContext>()), dev_(built()) {
  ctx_->randReset(0);
  v_ = std::make_unique<Vtoe_engine>(ctx_.get(), "toe_engine");
  v_->clk_i = 0;
  v_->rst_ni = 1;
  v_->eval();
  v_->rst_ni = 0;
  v_->eval();
  v_->rst_ni = 1;
  v_->eval();
  dev_.reset();
  compare("after the reset");
}

EngineLockstep::~EngineLockstep() { v_->final(); }

EngineDeviceOut EngineLockstep::rtl_outputs() const {
  EngineDeviceOut out;
  toe::rtl::read_streams(*v_, out, kDataBytes);
  out.reg_valid = v_->reg_valid_o;
  out.reg_rdata = v_->reg_rdata_o;
  out.reg_err = v_->reg_err_o;
  out.intr = v_->intr_o;
  out.reg_ready = v_->reg_ready_o;
  out.fw_ready = v_->fw_ready_o;
  out.fw_valid = v_->fw_valid_o;
  out.fw_rdata = v_->fw_rdata_o;
  out.fw_err = v_->fw_err_o;
  out.fw_intr = v_->fw_intr_o;
  return out;
}

void EngineLockstep::compare(const char* when) {
  const std::string d = diff(dev_.outputs(), rtl_outputs());
  if (d.empty() || !mismatch_.empty()) return;
  mismatch_ = d + " " + when;
  ADD_FAILURE() << "toe_engine and EngineDevice differ on " << mismatch_;
}

EngineDeviceOut EngineLockstep::clock(const EngineDeviceIn& in) {
  toe::rtl::drive_streams(*v_, in, kDataBytes);
  v_->reg_req_i = in.reg_req;
  v_->reg_we_i = in.reg_we;
  v_->reg_addr_i = static_cast<uint16_t>(in.reg_addr);
  v_->reg_wdata_i = in.reg_wdata;
  v_->reg_be_i = in.reg_be;
  v_->fw_req_i = in.fw_req;
  v_->fw_we_i = in.fw_we;
  v_->fw_addr_i = static_cast<uint16_t>(in.fw_addr);
  v_->fw_wdata_i = in.fw_wdata;
  v_->fw_be_i = in.fw_be;
  v_->clk_i = 0;
  v_->eval();
  v_->clk_i = 1;
  v_->eval();
  dev_.clock(in);
  ++clocks_;
  const std::string when = "at clock " + std::to_string(clocks_) + " after the reset";
  compare(when.c_str());
  const EngineDeviceOut out = rtl_outputs();
  if (out.tx.tvalid && in.tx_tready) collect_tx(out.tx);
  return out;
}

EngineDeviceOut EngineLockstep::clock(const EngineIn& in, const Bus& b) {
  EngineDeviceIn d;
  static_cast<EngineIn&>(d) = in;
  if (b.fw) {
    d.fw_req = b.req;
    d.fw_we = b.we;
    d.fw_addr = b.addr;
    d.fw_wdata = b.wdata;
    d.fw_be = b.be;
  } else {
    d.reg_req = b.req;
    d.reg_we = b.we;
    d.reg_addr = b.addr;
    d.reg_wdata = b.wdata;
    d.reg_be = b.be;
  }
  return clock(d);
}

uint32_t EngineLockstep::access(const Bus& b, bool* err) {
  // Hold the request until it is taken, then wait for the answer (5 cycles for a window).
  int waited = 0;
  while (!(b.fw ? v_->fw_ready_o : v_->reg_ready_o)) {
    idle();
    if (++waited > 16) {
      ADD_FAILURE() << (b.fw ? "fw_ready_o" : "reg_ready_o") << " stays low";
      return 0;
    }
  }
  EngineDeviceOut out = clock(EngineIn{}, b);
  for (int i = 0; !(b.fw ? out.fw_valid : out.reg_valid); ++i) {
    if (i > 16) {
      ADD_FAILURE() << "no answer to the access at 0x" << std::hex << b.addr;
      return 0;
    }
    out = idle();
  }
  *err = b.fw ? out.fw_err : out.reg_err;
  return b.fw ? out.fw_rdata : out.reg_rdata;
}

uint32_t EngineLockstep::fw_read(uint32_t addr, bool expect_err) {
  bool err = false;
  Bus b{true, false, addr, 0};
  b.fw = true;
  const uint32_t v = access(b, &err);
  EXPECT_EQ(err, expect_err) << "firmware port read 0x" << std::hex << addr;
  return v;
}

void EngineLockstep::fw_write(uint32_t addr, uint32_t data, bool expect_err) {
  bool err = false;
  Bus b{true, true, addr, data};
  b.fw = true;
  access(b, &err);
  EXPECT_EQ(err, expect_err) << "firmware port write 0x" << std::hex << addr;
}

uint32_t EngineLockstep::read(uint32_t addr, bool expect_err) {
  bool err = false;
  const uint32_t v = access({true, false, addr, 0}, &err);
  EXPECT_EQ(err, expect_err) << "read 0x" << std::hex << addr;
  return v;
}

void EngineLockstep::write(uint32_t addr, uint32_t data, bool expect_err) {
  bool err = false;
  access({true, true, addr, data}, &err);
  EXPECT_EQ(err, expect_err) << "write 0x" << std::hex << addr;
}

std::string EngineLockstep::host_read_rx(uint32_t conn, uint32_t off, uint32_t n) {
  write(TOE_REG_CONN_SEL_OFFSET, conn);
  write(TOE_REG_RX_WIN_BASE_OFFSET, off & ~3u);
  std::string s;
  for (uint32_t w = 0; s.size() < (off & 3u) + n; w += 4) {
    const uint32_t v = read(TOE_REG_RX_WINDOW_BASE + w);
    for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>(v >> (8 * i)));
  }
  return s.substr(off & 3u, n);
}

void EngineLockstep::host_write_tx(uint32_t conn, uint32_t off, const std::string& data) {
  // From any offset: whole words, the first and last with the byte enables of their bytes.
  write(TOE_REG_CONN_SEL_OFFSET, conn);
  write(TOE_REG_TX_WIN_BASE_OFFSET, off & ~3u);
  const uint32_t lead = off & 3u, end = lead + uint32_t(data.size());
  for (uint32_t w = 0; w < end; w += 4) {
    uint32_t v = 0;
    uint8_t be = 0;
    for (uint32_t i = 0; i < 4; ++i) {
      if (w + i < lead || w + i >= end) continue;
      v |= uint32_t(uint8_t(data[w + i - lead])) << (8 * i);
      be = uint8_t(be | (1u << i));
    }
    bool err = false;
    access({true, true, TOE_REG_TX_WINDOW_BASE + w, v, be}, &err);
    EXPECT_FALSE(err) << "transmit window word " << w;
  }
}

uint64_t EngineLockstep::wait_ready() {
  uint64_t waited = 0;
  for (;;) {
    uint32_t status = 0;
    EXPECT_TRUE(dev_.peek_reg(TOE_REG_STATUS_OFFSET, &status));
    const bool ready = (status & TOE_REG_STATUS_READY_MASK) != 0;
    EXPECT_EQ(ready, !dev_.core_in_reset() && !dev_.engine().initialising()) << "after " << waited << " clocks";
    if (ready) return waited;
    EXPECT_FALSE(dev_.engine().outputs().cmd_ready) << "a command taken before STATUS.READY";
    EXPECT_FALSE(dev_.engine().outputs().rx_tready) << "a frame taken before STATUS.READY";
    if (++waited > 70000) {
      ADD_FAILURE() << "STATUS.READY did not rise in 70,000 clocks";
      return waited;
    }
    idle();
  }
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
