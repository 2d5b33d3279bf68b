// SPDX-License-Identifier: Apache-2.0
// toe::sc::EnginePins: the pin-level SystemC module of toe_engine around the C++ model
// (toe::model::EngineDevice). Its ports have exactly the names and the types of Verilator's
// `--sc` model of the same top (Vtoe_engine built with `verilator --sc --top-module toe_engine`),
// so a testbench binds one or the other without edits (tests/platform/pin/test_pin_swap.cpp
// builds one testbench for both and compares every output on every clock).
//
// Port types, as Verilator gives them: 1 bit bool, 2..32 bits uint32_t, 33..64 bits uint64_t,
// wider sc_dt::sc_bv<W>. They depend on one width of the build, the template parameter:
//   DataBytes   toe_engine's DataBytes (s_axis_rx_tdata_i / m_axis_tx_tdata_o are 8 x DataBytes
//               bits, the tkeeps DataBytes bits)
// The constructor takes the build parameters (EngineParams) and refuses ones whose width does not
// match the template's (std::invalid_argument naming it).
//
// Timing, as the RTL's: every output is registered (the model is Moore). On each rising edge of
// clk_i the inputs are sampled and the model clocks once (EngineDevice::clock); rst_ni is
// asynchronous and active low: while it is 0 the model is held in reset (its falling edge resets
// at once, and every rising clock edge while it is low resets again), as the RTL's
// `always_ff @(posedge clk_i or negedge rst_ni)`. Before the first reset the outputs are 0, as a
// Verilated model's (--x-initial zero) are; hold rst_ni low for the first edge, as with the RTL.
#pragma once

#include <systemc>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "top/engine.hpp"

namespace toe::sc {

// The C++ type Verilator's --sc model gives a port of `bits` bits.
template <unsigned bits>
using vl_sc_t = std::conditional_t<
    bits == 1, bool,
    std::conditional_t<bits <= 32, uint32_t, std::conditional_t<bits <= 64, uint64_t, sc_dt::sc_bv<bits>>>>;

namespace detail {

// Bytes <-> a data port's value (byte i in bits 8i+7..8i).
template <class T>
T bytes_to(const uint8_t* b, unsigned n) {
  if constexpr (std::is_same_v<T, bool>) {
    return n > 0 && (b[0] & 1);
  } else if constexpr (std::is_integral_v<T>) {
    uint64_t v = 0;
    for (unsigned i = 0; i < n; ++i) v |= uint64_t(b[i]) << (8 * i);
    return static_cast<T>(v);
  } else {
    T v;
    for (unsigned i = 0; i < n; ++i) v.range(8 * i + 7, 8 * i) = b[i];
    return v;
  }
}
template <class T>
void to_bytes(const T& v, uint8_t* b, unsigned n) {
  if constexpr (std::is_integral_v<T>) {
    for (unsigned i = 0; i < n; ++i) b[i] = uint8_t(uint64_t(v) >> (8 * i));
  } else {
    for (unsigned i = 0; i < n; ++i) b[i] = uint8_t(v.range(8 * i + 7, 8 * i).to_uint());
  }
}
// A port of at most 64 bits (keeps, addresses) <-> its value.
template <class T>
T from_u64(uint64_t m) {
  static_assert(std::is_integral_v<T>, "ports of at most 64 bits are integers");
  return static_cast<T>(m);
}
template <class T>
uint64_t to_u64(const T& v) {
  static_assert(std::is_integral_v<T>, "ports of at most 64 bits are integers");
  return uint64_t(v);
}

}  // namespace detail

template <unsigned DataBytes>
class EnginePins : public sc_core::sc_module {
 public:
  static_assert(DataBytes >= 1 && DataBytes <= 64 && (DataBytes & (DataBytes - 1)) == 0,
                "DataBytes: a power of two, 1 .. 64");
  using data_t = vl_sc_t<8 * DataBytes>;
  using keep_t = vl_sc_t<DataBytes>;

  sc_core::sc_in<bool> clk_i{"clk_i"};
  sc_core::sc_in<bool> rst_ni{"rst_ni"};
  // host register bus
  sc_core::sc_in<bool> reg_req_i{"reg_req_i"};
  sc_core::sc_out<bool> reg_ready_o{"reg_ready_o"};
  sc_core::sc_in<bool> reg_we_i{"reg_we_i"};
  sc_core::sc_in<vl_sc_t<regmap::kAddrWidth>> reg_addr_i{"reg_addr_i"};
  sc_core::sc_in<uint32_t> reg_wdata_i{"reg_wdata_i"};
  sc_core::sc_in<uint32_t> reg_be_i{"reg_be_i"};
  sc_core::sc_out<bool> reg_valid_o{"reg_valid_o"};
  sc_core::sc_out<uint32_t> reg_rdata_o{"reg_rdata_o"};
  sc_core::sc_out<bool> reg_err_o{"reg_err_o"};
  sc_core::sc_out<bool> intr_o{"intr_o"};
  // firmware register bus
  sc_core::sc_in<bool> fw_req_i{"fw_req_i"};
  sc_core::sc_out<bool> fw_ready_o{"fw_ready_o"};
  sc_core::sc_in<bool> fw_we_i{"fw_we_i"};
  sc_core::sc_in<vl_sc_t<fw_regmap::kAddrWidth>> fw_addr_i{"fw_addr_i"};
  sc_core::sc_in<uint32_t> fw_wdata_i{"fw_wdata_i"};
  sc_core::sc_in<uint32_t> fw_be_i{"fw_be_i"};
  sc_core::sc_out<bool> fw_valid_o{"fw_valid_o"};
  sc_core::sc_out<uint32_t> fw_rdata_o{"fw_rdata_o"};
  sc_core::sc_out<bool> fw_err_o{"fw_err_o"};
  sc_core::sc_out<bool> fw_intr_o{"fw_intr_o"};
  // frames in / out
  sc_core::sc_in<data_t> s_axis_rx_tdata_i{"s_axis_rx_tdata_i"};
  sc_core::sc_in<keep_t> s_axis_rx_tkeep_i{"s_axis_rx_tkeep_i"};
  sc_core::sc_in<bool> s_axis_rx_tvalid_i{"s_axis_rx_tvalid_i"};
  sc_core::sc_in<bool> s_axis_rx_tlast_i{"s_axis_rx_tlast_i"};
  sc_core::sc_in<bool> s_axis_rx_tuser_i{"s_axis_rx_tuser_i"};
  sc_core::sc_out<bool> s_axis_rx_tready_o{"s_axis_rx_tready_o"};
  sc_core::sc_out<data_t> m_axis_tx_tdata_o{"m_axis_tx_tdata_o"};
  sc_core::sc_out<keep_t> m_axis_tx_tkeep_o{"m_axis_tx_tkeep_o"};
  sc_core::sc_out<bool> m_axis_tx_tvalid_o{"m_axis_tx_tvalid_o"};
  sc_core::sc_out<bool> m_axis_tx_tlast_o{"m_axis_tx_tlast_o"};
  sc_core::sc_in<bool> m_axis_tx_tready_i{"m_axis_tx_tready_i"};
  // commands and events
  sc_core::sc_in<bool> cmd_valid_i{"cmd_valid_i"};
  sc_core::sc_out<bool> cmd_ready_o{"cmd_ready_o"};
  sc_core::sc_in<uint32_t> cmd_op_i{"cmd_op_i"};
  sc_core::sc_in<uint32_t> cmd_conn_i{"cmd_conn_i"};
  sc_core::sc_in<uint32_t> cmd_ip_i{"cmd_ip_i"};
  sc_core::sc_in<uint32_t> cmd_port_i{"cmd_port_i"};
  sc_core::sc_in<uint32_t> cmd_lport_i{"cmd_lport_i"};
  sc_core::sc_in<uint64_t> cmd_mac_i{"cmd_mac_i"};  // first byte on the wire in bits 47:40
  sc_core::sc_in<uint32_t> cmd_value_i{"cmd_value_i"};
  sc_core::sc_in<uint32_t> cmd_tag_i{"cmd_tag_i"};
  sc_core::sc_out<bool> evt_valid_o{"evt_valid_o"};
  sc_core::sc_in<bool> evt_ready_i{"evt_ready_i"};
  sc_core::sc_out<uint32_t> evt_type_o{"evt_type_o"};
  sc_core::sc_out<uint32_t> evt_conn_o{"evt_conn_o"};
  sc_core::sc_out<uint32_t> evt_value_o{"evt_value_o"};
  sc_core::sc_out<uint32_t> evt_lport_o{"evt_lport_o"};
  sc_core::sc_out<uint32_t> evt_state_o{"evt_state_o"};

  SC_HAS_PROCESS(EnginePins);

  EnginePins(sc_core::sc_module_name name, const model::EngineParams& p)
      : sc_core::sc_module(name), dev_(checked(p)) {
    SC_METHOD(on_edge);
    sensitive << clk_i.pos() << rst_ni.neg();
    dont_initialize();
  }

  // The model behind the pins (counters, TCBs, registers: views that do not advance time).
  const model::EngineDevice& device() const { return dev_; }

 private:
  static const model::EngineParams& checked(const model::EngineParams& p) {
    auto need = [](const char* port, unsigned want, unsigned have) {
      if (want != have)
        throw std::invalid_argument(std::string("EnginePins: ") + port + " is " + std::to_string(have) +
                                    " bits for these parameters; the template says " + std::to_string(want));
    };
    need("DataBytes", DataBytes, p.data_bytes);
    return p;
  }

  void on_edge() {
    if (!rst_ni.read()) {
      dev_.reset();
      write_outputs();
      return;
    }
    if (!clk_i.posedge()) return;
    model::EngineDeviceIn in;
    detail::to_bytes(s_axis_rx_tdata_i.read(), in.rx.tdata.data(), DataBytes);
    in.rx.tkeep = detail::to_u64(s_axis_rx_tkeep_i.read());
    in.rx.tvalid = s_axis_rx_tvalid_i.read();
    in.rx.tlast = s_axis_rx_tlast_i.read();
    in.rx.tuser = s_axis_rx_tuser_i.read();
    in.tx_tready = m_axis_tx_tready_i.read();
    in.cmd_valid = cmd_valid_i.read();
    in.cmd.op = static_cast<model::CmdOp>(cmd_op_i.read() & 0xF);
    in.cmd.conn = cmd_conn_i.read();
    in.cmd.ip = cmd_ip_i.read();
    in.cmd.port = static_cast<uint16_t>(cmd_port_i.read());
    in.cmd.lport = static_cast<uint16_t>(cmd_lport_i.read());
    uint64_t mac = cmd_mac_i.read();
    for (int i = 5; i >= 0; --i, mac >>= 8) in.cmd.mac.b[size_t(i)] = uint8_t(mac);
    in.cmd.value = cmd_value_i.read();
    in.cmd.tag = cmd_tag_i.read();
    in.evt_ready = evt_ready_i.read();
    in.reg_req = reg_req_i.read();
    in.reg_we = reg_we_i.read();
    in.reg_addr = static_cast<uint32_t>(detail::to_u64(reg_addr_i.read()));
    in.reg_wdata = reg_wdata_i.read();
    in.reg_be = static_cast<uint8_t>(reg_be_i.read() & 0xF);
    in.fw_req = fw_req_i.read();
    in.fw_we = fw_we_i.read();
    in.fw_addr = static_cast<uint32_t>(detail::to_u64(fw_addr_i.read()));
    in.fw_wdata = fw_wdata_i.read();
    in.fw_be = static_cast<uint8_t>(fw_be_i.read() & 0xF);
    dev_.clock(in);
    write_outputs();
  }

  void write_outputs() {
    const model::EngineDeviceOut& o = dev_.outputs();
    reg_ready_o.write(o.reg_ready);
    reg_valid_o.write(o.reg_valid);
    reg_rdata_o.write(o.reg_rdata);
    reg_err_o.write(o.reg_err);
    intr_o.write(o.intr);
    fw_ready_o.write(o.fw_ready);
    fw_valid_o.write(o.fw_valid);
    fw_rdata_o.write(o.fw_rdata);
    fw_err_o.write(o.fw_err);
    fw_intr_o.write(o.fw_intr);
    s_axis_rx_tready_o.write(o.rx_tready);
    m_axis_tx_tdata_o.write(detail::bytes_to<data_t>(o.tx.tdata.data(), DataBytes));
    m_axis_tx_tkeep_o.write(detail::from_u64<keep_t>(o.tx.tkeep));
    m_axis_tx_tvalid_o.write(o.tx.tvalid);
    m_axis_tx_tlast_o.write(o.tx.tlast);
    cmd_ready_o.write(o.cmd_ready);
    evt_valid_o.write(o.evt_valid);
    evt_type_o.write(uint32_t(o.evt.type));
    evt_conn_o.write(o.evt.conn);
    evt_value_o.write(o.evt.value);
    evt_lport_o.write(o.evt.lport);
    evt_state_o.write(uint32_t(o.evt.state));
  }

  model::EngineDevice dev_;
};

}  // namespace toe::sc
