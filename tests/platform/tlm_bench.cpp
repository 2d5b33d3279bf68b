// SPDX-License-Identifier: Apache-2.0
// Testbench of the TLM-2.0 device (see tlm_bench.hpp).
#include "tlm_bench.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <utility>

#include "toe_regs.h"

namespace toe::platform_test {

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

std::vector<uint8_t> tcp_frame(uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
                               const std::string& payload) {
  net::EthHeader eth;
  eth.dst = kLocalMac;
  eth.src = kPeerMac;
  eth.ethertype = net::kEtherTypeIpv4;
  net::Ipv4Header ip;
  ip.src = kPeerIp;
  ip.dst = kLocalIp;
  ip.ttl = 64;
  ip.protocol = net::kIpProtoTcp;
  net::TcpHeader tcp;
  tcp.src_port = sport;
  tcp.dst_port = dport;
  tcp.seq = seq;
  tcp.ack = ack;
  tcp.flags = flags;
  tcp.window = 65535;
  return net::build_tcp_frame(eth, ip, tcp, reinterpret_cast<const uint8_t*>(payload.data()), payload.size());
}

// ---- TlmInitiator ----------------------------------------------------------------------------
TlmInitiator::TlmInitiator(sc_core::sc_module_name name) : sc_core::sc_module(name), socket("socket") {
  socket.register_invalidate_direct_mem_ptr(this, &TlmInitiator::invalidate);
}

TlmInitiator::Result TlmInitiator::raw(tlm::tlm_command cmd, uint64_t addr, unsigned length,
                                       unsigned streaming_width, const std::vector<unsigned char>* byte_enables,
                                       const sc_time& delay) {
  std::vector<unsigned char> data(length ? length : 1, 0);
  std::vector<unsigned char> be;
  tlm::tlm_generic_payload tx;
  tx.set_command(cmd);
  tx.set_address(addr);
  tx.set_data_ptr(data.data());
  tx.set_data_length(length);
  tx.set_streaming_width(streaming_width);
  if (byte_enables) {
    be = *byte_enables;
    tx.set_byte_enable_ptr(be.data());
    tx.set_byte_enable_length(unsigned(be.size()));
  }
  tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  Result r;
  r.delay = delay;
  socket->b_transport(tx, r.delay);
  r.status = tx.get_response_status();
  if (length >= 4) std::memcpy(&r.data, data.data(), 4);
  return r;
}

TlmInitiator::Result TlmInitiator::read(uint32_t addr, const sc_time& delay) {
  return raw(tlm::TLM_READ_COMMAND, addr, 4, 4, nullptr, delay);
}

TlmInitiator::Result TlmInitiator::write(uint32_t addr, uint32_t data, const sc_time& delay) {
  uint32_t d = data;
  unsigned char bytes[4];
  std::memcpy(bytes, &d, 4);
  tlm::tlm_generic_payload tx;
  tx.set_command(tlm::TLM_WRITE_COMMAND);
  tx.set_address(addr);
  tx.set_data_ptr(bytes);
  tx.set_data_length(4);
  tx.set_streaming_width(4);
  tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  Result r;
  r.delay = delay;
  socket->b_transport(tx, r.delay);
  r.status = tx.get_response_status();
  return r;
}

uint32_t TlmInitiator::rd(uint32_t addr) {
  const Result r = read(addr, offset_);
  EXPECT_EQ(r.status, tlm::TLM_OK_RESPONSE) << "read 0x" << std::hex << addr;
  offset_ = SC_ZERO_TIME;
  advance(r.delay);
  return r.data;
}

void TlmInitiator::wr(uint32_t addr, uint32_t data) {
  const Result r = write(addr, data, offset_);
  EXPECT_EQ(r.status, tlm::TLM_OK_RESPONSE) << "write 0x" << std::hex << addr;
  offset_ = SC_ZERO_TIME;
  advance(r.delay);
}

void TlmInitiator::advance(const sc_time& d) {
  offset_ += d;
  if (offset_ >= quantum_) sync();
}

void TlmInitiator::sync() {
  const sc_time t = offset_;
  offset_ = SC_ZERO_TIME;
  wait(t);
}

void TlmInitiator::wr_lanes(uint32_t addr, uint32_t data, uint8_t lanes) {
  if (lanes == 0xF) {
    wr(addr, data);
    return;
  }
  unsigned char bytes[4], enables[4];
  std::memcpy(bytes, &data, 4);
  for (unsigned i = 0; i < 4; ++i) enables[i] = ((lanes >> i) & 1u) ? TLM_BYTE_ENABLED : TLM_BYTE_DISABLED;
  tlm::tlm_generic_payload tx;
  tx.set_command(tlm::TLM_WRITE_COMMAND);
  tx.set_address(addr);
  tx.set_data_ptr(bytes);
  tx.set_data_length(4);
  tx.set_streaming_width(4);
  tx.set_byte_enable_ptr(enables);
  tx.set_byte_enable_length(4);
  tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_time delay = offset_;
  socket->b_transport(tx, delay);
  EXPECT_EQ(tx.get_response_status(), tlm::TLM_OK_RESPONSE) << "write (lanes 0x" << std::hex << unsigned(lanes)
                                                            << ") 0x" << addr;
  offset_ = SC_ZERO_TIME;
  advance(delay);
}

unsigned TlmInitiator::dbg_read(uint64_t addr, unsigned char* dst, unsigned length) {
  tlm::tlm_generic_payload tx;
  tx.set_command(tlm::TLM_READ_COMMAND);
  tx.set_address(addr);
  tx.set_data_ptr(dst);
  tx.set_data_length(length);
  tx.set_streaming_width(length);
  return socket->transport_dbg(tx);
}

unsigned TlmInitiator::dbg_write(uint64_t addr, unsigned char* src, unsigned length) {
  tlm::tlm_generic_payload tx;
  tx.set_command(tlm::TLM_WRITE_COMMAND);
  tx.set_address(addr);
  tx.set_data_ptr(src);
  tx.set_data_length(length);
  tx.set_streaming_width(length);
  return socket->transport_dbg(tx);
}

void TlmInitiator::invalidate(sc_dt::uint64 start, sc_dt::uint64 end) {
  ++invalidations;
  inv_start = start;
  inv_end = end;
}

bool TlmInitiator::get_dmi(uint64_t addr, tlm::tlm_dmi& dmi) {
  tlm::tlm_generic_payload tx;
  tx.set_command(tlm::TLM_READ_COMMAND);
  tx.set_address(addr);
  return socket->get_direct_mem_ptr(tx, dmi);
}

// ---- Bench -----------------------------------------------------------------------------------
Bench::Bench(sc_core::sc_module_name name, const sc::DeviceTlmConfig& cfg)
    : sc_core::sc_module(name), dev("dev", cfg), cpu("cpu"), fw_cpu("fw_cpu"), irq("irq"), fw_irq("fw_irq"), wire_in("wire_in"), wire_out("wire_out") {
  // sc_stop() ends every run: no "Simulation stopped by user" note per test.
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  cpu.socket.bind(dev.host);
  fw_cpu.socket.bind(dev.fw);
  dev.irq(irq);
  dev.fw_irq(fw_irq);
  dev.eth_rx(wire_in);
  dev.eth_tx(wire_out);
  SC_THREAD(script_thread);
}

bool Bench::run(std::function<void(Bench&)> script, const sc_time& limit) {
  script_ = std::move(script);
  sc_core::sc_start(limit);
  return done_;
}

void Bench::script_thread() {
  if (script_) script_(*this);
  done_ = true;
  sc_core::sc_stop();
}

void Bench::configure() {
  const auto& m = kLocalMac.b;
  cpu.wr(TOE_REG_MAC_ADDR_LO_OFFSET, uint32_t(m[2]) << 24 | uint32_t(m[3]) << 16 | uint32_t(m[4]) << 8 | m[5]);
  cpu.wr(TOE_REG_MAC_ADDR_HI_OFFSET, uint32_t(m[0]) << 8 | m[1]);
  cpu.wr(TOE_REG_IPV4_ADDR_OFFSET, kLocalIp);
  cpu.wr(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK);
}

void Bench::send(const std::vector<uint8_t>& frame) { wire_in.write(sc::EthFrame{frame, sc_core::sc_time_stamp()}); }

bool Bench::receive(sc::EthFrame& f, const sc_time& timeout) {
  if (wire_out.nb_read(f)) return true;
  wait(timeout, wire_out.data_written_event());
  return wire_out.nb_read(f);
}

void fresh_simulation() {
  static bool first = true;
  if (!first) {
    // The kernel keeps its state in the current context; the next Bench elaborates in a new one.
    sc_core::sc_curr_simcontext = new sc_core::sc_simcontext;
    sc_core::sc_default_global_context = sc_core::sc_curr_simcontext;
  }
  first = false;
}

}  // namespace toe::platform_test
