// SPDX-License-Identifier: Apache-2.0
// DriverTlm: the driver's MMIO transport over a TLM-2.0 socket (see driver_tlm.hpp).
#include "driver_tlm.hpp"

#include <cstring>

#include "platform.hpp"

namespace toe::sc {

DriverTlm::DriverTlm(sc_core::sc_module_name name, const sc_core::sc_signal<bool>& irq)
    : sc_core::sc_module(name),
      socket("socket"),
      irq_(irq),
      mmio_{this, &DriverTlm::read32, &DriverTlm::write32, &DriverTlm::wait_irq, &DriverTlm::now_us} {}

toe_bus_status_t DriverTlm::access(tlm::tlm_command cmd, uint32_t offset, uint32_t* data, uint8_t be) {
  unsigned char bytes[4], enables[4];
  std::memcpy(bytes, data, 4);
  // Static: a payload on an SC_THREAD's stack is never destroyed (the thread never returns),
  // which leaks its extension array; b_transport returns before the next access reuses it.
  static tlm::tlm_generic_payload tx;
  tx.set_byte_enable_ptr(nullptr);
  tx.set_byte_enable_length(0);
  tx.set_command(cmd);
  tx.set_address(offset);
  tx.set_data_ptr(bytes);
  tx.set_data_length(4);
  tx.set_streaming_width(4);
  if (be != 0xF) {
    for (unsigned i = 0; i < 4; ++i) enables[i] = ((be >> i) & 1u) ? TLM_BYTE_ENABLED : TLM_BYTE_DISABLED;
    tx.set_byte_enable_ptr(enables);
    tx.set_byte_enable_length(4);
  }
  tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_core::sc_time delay = offset_;  // issued at the driver's local time
  socket->b_transport(tx, delay);
  offset_ = delay;
  if (offset_ >= quantum_) sync();
  ++accesses_;
  if (tx.get_response_status() != tlm::TLM_OK_RESPONSE) {
    ++errors_;
    return TOE_BUS_ERR;
  }
  if (cmd == tlm::TLM_READ_COMMAND) std::memcpy(data, bytes, 4);
  return TOE_BUS_OK;
}

toe_bus_status_t DriverTlm::read32(void* ctx, uint32_t offset, uint32_t* value) {
  *value = 0;
  return static_cast<DriverTlm*>(ctx)->access(tlm::TLM_READ_COMMAND, offset, value, 0xF);
}

toe_bus_status_t DriverTlm::write32(void* ctx, uint32_t offset, uint32_t value, uint8_t be) {
  return static_cast<DriverTlm*>(ctx)->access(tlm::TLM_WRITE_COMMAND, offset, &value, be);
}

void DriverTlm::sync() {
  const sc_core::sc_time t = offset_;
  offset_ = sc_core::SC_ZERO_TIME;
  wait(t);
}

toe_bus_status_t DriverTlm::wait_irq(void* ctx, uint32_t timeout_us) {
  auto* t = static_cast<DriverTlm*>(ctx);
  t->sync();  // back to global time before looking at the line
  if (t->irq_.read()) return TOE_BUS_OK;
  t->wait(sc_core::sc_time(double(timeout_us), sc_core::SC_US), t->irq_.posedge_event());
  return TOE_BUS_OK;
}

uint64_t DriverTlm::now_us(void* ctx) {
  const sc_core::sc_time local = sc_core::sc_time_stamp() + static_cast<DriverTlm*>(ctx)->offset_;
  return local.value() / sc_core::sc_time(1, sc_core::SC_US).value();
}

void DriverTlm::event_hook(void* ctx, uint32_t type, uint32_t conn, uint32_t value) {
  auto* t = static_cast<DriverTlm*>(ctx);
  if (t->timers_ != nullptr) {
    model::Event e;
    e.type = model::EvtType(type);
    e.conn = conn;
    e.value = value;
    t->timers_->host_event(e);
  }
  if (t->hook_ != nullptr) t->hook_(t->hook_ctx_, type, conn, value);
}

toe_result_t DriverTlm::open(toe_dev_t& dev, std::vector<toe_conn_t>& conns, Platform& p, toe_event_hook_t hook,
                             void* hook_ctx) {
  const PlatformConfig& pc = p.config();
  return open(dev, conns, pc.device.params, pc.engine_mac, pc.engine_ip, 0, p.timers.get(), hook, hook_ctx);
}

toe_result_t DriverTlm::open(toe_dev_t& dev, std::vector<toe_conn_t>& conns, const model::EngineParams& params,
                             const net::MacAddr& mac, uint32_t ipv4, uint16_t mss, SlowPathTimers* timers,
                             toe_event_hook_t hook, void* hook_ctx) {
  timers_ = timers;
  hook_ = hook;
  hook_ctx_ = hook_ctx;
  conns.assign(params.sessions, toe_conn_t{});
  toe_config_t cfg{};
  cfg.tx_buf_bytes = params.tx_buf_bytes;
  cfg.rx_buf_bytes = params.rx_buf_bytes;
  cfg.event_hook = &DriverTlm::event_hook;
  cfg.event_hook_ctx = this;
  toe_result_t r = toe_open(&dev, &mmio_, conns.data(), uint32_t(conns.size()), &cfg);
  if (r != TOE_OK) return r;
  toe_net_config_t net{};
  for (size_t i = 0; i < 6; ++i) net.mac[i] = mac.b[i];
  net.ipv4 = ipv4;
  net.mss = mss;
  net.enable = 1;
  return toe_configure(&dev, &net);
}

}  // namespace toe::sc
