// SPDX-License-Identifier: Apache-2.0
// The engine's stream ports (frames in/out, commands, events) on a Verilated model:
// toe_top (RtlEngine) and toe_engine (toe_top behind the register block) have the same
// port names for them, so one pair of templates drives and reads both.
#pragma once

#include <cstdint>
#include <type_traits>

#include "bitfields.hpp"
#include "top/top.hpp"

namespace toe::rtl {

// Sets every stream input of v from in (data_bytes: the DataBytes parameter of the build).
template <class V>
void drive_streams(V& v, const model::EngineIn& in, uint32_t data_bytes) {
  uint32_t words[16] = {};
  for (uint32_t i = 0; i < data_bytes; ++i) words[i / 4] |= uint32_t(in.rx.tdata[i]) << (8 * (i % 4));
  words_to_port(v.s_axis_rx_tdata_i, words, 8 * data_bytes);
  v.s_axis_rx_tkeep_i = static_cast<std::remove_reference_t<decltype(v.s_axis_rx_tkeep_i)>>(in.rx.tkeep);
  v.s_axis_rx_tvalid_i = in.rx.tvalid;
  v.s_axis_rx_tlast_i = in.rx.tlast;
  v.s_axis_rx_tuser_i = in.rx.tuser;
  v.m_axis_tx_tready_i = in.tx_tready;
  v.cmd_valid_i = in.cmd_valid;
  v.cmd_op_i = static_cast<uint8_t>(in.cmd.op);
  v.cmd_conn_i = in.cmd.conn;
  v.cmd_ip_i = in.cmd.ip;
  v.cmd_port_i = in.cmd.port;
  v.cmd_lport_i = in.cmd.lport;
  v.cmd_mac_i = mac_u64(in.cmd.mac);
  v.cmd_value_i = in.cmd.value;
  v.cmd_tag_i = in.cmd.tag;
  v.evt_ready_i = in.evt_ready;
}

// Reads every stream output of v into out.
template <class V>
void read_streams(const V& v, model::EngineOut& out, uint32_t data_bytes) {
  out.rx_tready = v.s_axis_rx_tready_o;
  out.cmd_ready = v.cmd_ready_o;
  uint32_t words[16] = {};
  port_to_words(v.m_axis_tx_tdata_o, words, (data_bytes + 3) / 4);
  out.tx = model::AxisBeat{};
  for (uint32_t i = 0; i < data_bytes; ++i) out.tx.tdata[i] = uint8_t(words[i / 4] >> (8 * (i % 4)));
  out.tx.tkeep = uint64_t(v.m_axis_tx_tkeep_o);
  out.tx.tvalid = v.m_axis_tx_tvalid_o;
  out.tx.tlast = v.m_axis_tx_tlast_o;
  out.evt_valid = v.evt_valid_o;
  out.evt = model::Event{};
  out.evt.type = static_cast<model::EvtType>(v.evt_type_o);
  out.evt.conn = v.evt_conn_o;
  out.evt.value = v.evt_value_o;
  out.evt.lport = v.evt_lport_o;
  out.evt.state = static_cast<TcpState>(v.evt_state_o);
}

}  // namespace toe::rtl
