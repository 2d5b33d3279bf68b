// SPDX-License-Identifier: Apache-2.0
// ModelPort: the firmware's HAL on model::EngineDevice (see model_port.hpp).
#include "model_port.hpp"

#include <algorithm>
#include <stdexcept>

#include "toe_defs.h"
#include "toe_fw_regs.h"
#include "toe_regs.h"

namespace toe::fw_test {

namespace {
constexpr int kMaxBusWait = 64;  // clocks an access may wait for ready or valid
}

ModelPort::ModelPort(const model::EngineParams& p)
    : dev_(std::make_unique<model::EngineDevice>(p)), beat_bytes_(p.data_bytes) {
  hal_.ctx = this;
  hal_.read32 = &ModelPort::hal_read32;
  hal_.write32 = &ModelPort::hal_write32;
  hal_.now_us = &ModelPort::hal_now_us;
#ifndef TOE_FW_REG_MAC_ADDR_LO_OFFSET
  // The port has no mirrors of the engine's addresses yet: read the host port's, side-effect free.
  hal_.engine_addr = &ModelPort::hal_engine_addr;
#endif
}

void ModelPort::step(const Bus* bus) {
  model::EngineDeviceIn in;
  if (!rx_.empty()) {
    const std::vector<uint8_t>& f = rx_.front();
    const size_t n = std::min<size_t>(beat_bytes_, f.size() - rx_pos_);
    in.rx.tvalid = true;
    std::copy_n(f.begin() + std::ptrdiff_t(rx_pos_), n, in.rx.tdata.begin());
    in.rx.tkeep = n >= 64 ? ~uint64_t(0) : (uint64_t(1) << n) - 1;
    in.rx.tlast = rx_pos_ + n == f.size();
  }
  in.tx_tready = true;
  in.evt_ready = true;
  if (bus && bus->fw) {
    in.fw_req = true;
    in.fw_we = bus->we;
    in.fw_addr = bus->addr;
    in.fw_wdata = bus->wdata;
    in.fw_be = bus->be;
  } else if (bus) {
    in.reg_req = true;
    in.reg_we = bus->we;
    in.reg_addr = bus->addr;
    in.reg_wdata = bus->wdata;
    in.reg_be = bus->be;
  }
  const model::EngineDeviceOut before = dev_->outputs();
  dev_->clock(in);
  if (in.rx.tvalid && before.rx_tready) {
    rx_pos_ += std::min<size_t>(beat_bytes_, rx_.front().size() - rx_pos_);
    if (in.rx.tlast) {
      rx_.pop_front();
      rx_pos_ = 0;
    }
  }
  if (before.tx.tvalid) {
    if (tx_cur_.empty()) tx_first_ = cycle_;
    for (uint32_t i = 0; i < beat_bytes_; ++i)
      if ((before.tx.tkeep >> i) & 1u) tx_cur_.push_back(before.tx.tdata[i]);
    if (before.tx.tlast) {
      sent.push_back({std::move(tx_cur_), tx_first_ / kClockMhz});
      tx_cur_.clear();
    }
  }
  ++cycle_;
}

bool ModelPort::access(const Bus& b, uint32_t* rdata) {
  auto ready = [&] { return b.fw ? dev_->outputs().fw_ready : dev_->outputs().reg_ready; };
  auto valid = [&] { return b.fw ? dev_->outputs().fw_valid : dev_->outputs().reg_valid; };
  for (int n = 0; !ready(); ++n) {
    if (n > kMaxBusWait) throw std::runtime_error("bus never ready");
    step(nullptr);
  }
  step(&b);
  for (int n = 0; !valid(); ++n) {
    if (n > kMaxBusWait) throw std::runtime_error("bus never answered");
    step(nullptr);
  }
  const model::EngineDeviceOut& o = dev_->outputs();
  if (rdata) *rdata = b.fw ? o.fw_rdata : o.reg_rdata;
  return !(b.fw ? o.fw_err : o.reg_err);
}

toe_fw_result_t ModelPort::fw_access(bool we, uint32_t addr, uint32_t wdata, uint8_t be, uint32_t* rdata) {
  ++fw_accesses;
  Bus b;
  b.fw = true;
  b.we = we;
  b.addr = addr;
  b.wdata = wdata;
  b.be = be;
  return access(b, rdata) ? TOE_FW_OK : TOE_FW_BUS_ERROR;
}

void ModelPort::host_write(uint32_t addr, uint32_t value) {
  Bus b;
  b.we = true;
  b.addr = addr;
  b.wdata = value;
  if (!access(b, nullptr)) throw std::runtime_error("host write refused at " + std::to_string(addr));
}

uint32_t ModelPort::host_read(uint32_t addr) {
  Bus b;
  b.addr = addr;
  uint32_t v = 0;
  if (!access(b, &v)) throw std::runtime_error("host read refused at " + std::to_string(addr));
  return v;
}

void ModelPort::configure() {
  const auto& m = kEngineMac.b;
  host_write(TOE_REG_MAC_ADDR_LO_OFFSET, uint32_t(m[2]) << 24 | uint32_t(m[3]) << 16 | uint32_t(m[4]) << 8 | m[5]);
  host_write(TOE_REG_MAC_ADDR_HI_OFFSET, uint32_t(m[0]) << 8 | m[1]);
  host_write(TOE_REG_IPV4_ADDR_OFFSET, kEngineIp);
  host_write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK);
}

void ModelPort::listen(uint16_t port) {
  host_write(TOE_REG_CMD_PORTS_OFFSET, port);
  host_write(TOE_REG_CMD_OFFSET, TOE_CMD_LISTEN);
}

void ModelPort::host_command(uint32_t conn, uint32_t op) {
  host_write(TOE_REG_CONN_SEL_OFFSET, conn);
  host_write(TOE_REG_CMD_OFFSET, op);
}

uint32_t ModelPort::conn_state(uint32_t conn) {
  host_write(TOE_REG_CONN_SEL_OFFSET, conn);
  return host_read(TOE_REG_CONN_STATE_OFFSET) & TOE_REG_CONN_STATE_STATE_MASK;
}

void ModelPort::drain_host_events() {
  for (;;) {
    const uint32_t head = host_read(TOE_REG_EVQ_EVENT_OFFSET);
    if ((head & TOE_REG_EVQ_EVENT_EVT_MASK) == 0) return;
    HostEvent e{head & TOE_REG_EVQ_EVENT_EVT_MASK, host_read(TOE_REG_EVQ_CONN_OFFSET),
                host_read(TOE_REG_EVQ_VALUE_OFFSET), now_us()};
    host_write(TOE_REG_EVQ_POP_OFFSET, TOE_REG_EVQ_POP_POP_MASK);
    host_events.push_back(e);
  }
}

void ModelPort::inject(std::vector<uint8_t> frame) { rx_.push_back(std::move(frame)); }

void ModelPort::idle(uint64_t n) { advance(n, false); }

void ModelPort::advance(uint64_t n, bool stop_on_fw_intr) {
  while (n > 0) {
    if (stop_on_fw_intr && dev_->outputs().fw_intr) return;
    if (rx_.empty() && tx_cur_.empty() && dev_->idle_settled() && n > 4) {
      // Settled: nothing changes but time until an input comes. An event queued in the last
      // clock raises fw_intr (INTR_STATE) a clock or two later: those clocks run first.
      for (int i = 0; i < 2; ++i, --n) {
        step(nullptr);
        if (stop_on_fw_intr && dev_->outputs().fw_intr) return;
      }
      if (!dev_->idle_settled()) continue;
      model::EngineDeviceIn in;
      in.tx_tready = true;
      in.evt_ready = true;
      dev_->skip_idle(in, n);
      cycle_ += n;
      return;
    }
    step(nullptr);
    --n;
  }
}

void ModelPort::run(toe_fw& fw, uint64_t until_us) {
  while (now_us() < until_us) {
    const toe_fw_result_t r = toe_fw_poll(&fw);
    if (r != TOE_FW_OK) throw std::runtime_error(std::string("toe_fw_poll: ") + toe_fw_result_name(r));
    drain_host_events();
    // Sleep until the firmware's next deadline, its interrupt or the end.
    const uint64_t wake = std::min(toe_fw_next_deadline_us(&fw), until_us);
    if (now_us() < wake) advance(wake * kClockMhz - cycle_, true);
  }
}

toe_fw_result_t ModelPort::hal_read32(void* ctx, uint32_t offset, uint32_t* value) {
  return static_cast<ModelPort*>(ctx)->fw_access(false, offset, 0, 0xF, value);
}

toe_fw_result_t ModelPort::hal_write32(void* ctx, uint32_t offset, uint32_t value, uint8_t be) {
  return static_cast<ModelPort*>(ctx)->fw_access(true, offset, value, be, nullptr);
}

uint64_t ModelPort::hal_now_us(void* ctx) { return static_cast<ModelPort*>(ctx)->now_us(); }

toe_fw_result_t ModelPort::hal_engine_addr(void* ctx, uint8_t mac[6], uint32_t* ip) {
  auto* self = static_cast<ModelPort*>(ctx);
  uint32_t lo = 0, hi = 0;
  self->dev_->peek_reg(TOE_REG_MAC_ADDR_LO_OFFSET, &lo);
  self->dev_->peek_reg(TOE_REG_MAC_ADDR_HI_OFFSET, &hi);
  self->dev_->peek_reg(TOE_REG_IPV4_ADDR_OFFSET, ip);
  mac[0] = uint8_t(hi >> 8);
  mac[1] = uint8_t(hi);
  mac[2] = uint8_t(lo >> 24);
  mac[3] = uint8_t(lo >> 16);
  mac[4] = uint8_t(lo >> 8);
  mac[5] = uint8_t(lo);
  return TOE_FW_OK;
}

std::vector<uint8_t> tcp_to_engine(uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
                                   const std::vector<uint8_t>& payload, uint16_t window) {
  net::EthHeader eth;
  eth.dst = kEngineMac;
  eth.src = kPeerMac;
  eth.ethertype = net::kEtherTypeIpv4;
  net::Ipv4Header ip;
  ip.src = kPeerIp;
  ip.dst = kEngineIp;
  net::TcpHeader tcp;
  tcp.src_port = sport;
  tcp.dst_port = dport;
  tcp.seq = seq;
  tcp.ack = ack;
  tcp.flags = flags;
  tcp.window = window;
  if (flags & net::kSyn) {
    tcp.opts.has_mss = true;
    tcp.opts.mss = 1460;
  }
  return net::build_tcp_frame(eth, ip, tcp, payload.data(), payload.size());
}

bool is_tcp(const SentFrame& f, uint8_t flags, net::Frame* parsed) {
  net::Frame p;
  if (net::parse_frame(f.data, p) != net::ParseError::kOk || !p.has_tcp || p.tcp.flags != flags) return false;
  if (parsed) *parsed = p;
  return true;
}

}  // namespace toe::fw_test
