// SPDX-License-Identifier: Apache-2.0
// toe::sc::FirmwareNode: the C firmware on DeviceTlm's firmware port (see firmware_node.hpp).
#include "firmware_node.hpp"

#include <algorithm>
#include <ostream>
#include <stdexcept>

#include "toe_fw_regs.h"
#include "toe_regs.h"

namespace toe::sc {

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

toe_fw_config FirmwareNodeConfig::defaults() {
  toe_fw_config c;
  toe_fw_config_default(&c);
  return c;
}

namespace {
const FirmwareNodeConfig& checked(const FirmwareNodeConfig& c) {
  if (toe_fw_config_check(&c.fw) != TOE_FW_OK)
    throw std::invalid_argument("FirmwareNodeConfig::fw refused by toe_fw_config_check");
  if (c.poll == SC_ZERO_TIME) throw std::invalid_argument("FirmwareNodeConfig::poll must be > 0");
  return c;
}
}  // namespace

FirmwareNode::FirmwareNode(sc_core::sc_module_name name, DeviceTlm& dev, const FirmwareNodeConfig& cfg)
    : sc_core::sc_module(name), fw("fw"), dev_(dev), cfg_(checked(cfg)), irq_("irq") {
  fw.bind(dev.fw);
  dev.fw_irq(irq_);
  hal_.ctx = this;
  hal_.read32 = &FirmwareNode::hal_read32;
  hal_.write32 = &FirmwareNode::hal_write32;
  hal_.now_us = &FirmwareNode::hal_now_us;
#ifndef TOE_FW_REG_MAC_ADDR_LO_OFFSET
  hal_.engine_addr = &FirmwareNode::hal_engine_addr;
#endif
  if (cfg_.seed != 0) hal_.seed = &FirmwareNode::hal_seed;
  SC_THREAD(run);
}

toe_fw_result_t FirmwareNode::access(bool we, uint32_t addr, uint32_t* data, uint8_t be) {
  // Static: a payload on an SC_THREAD's stack is never destroyed (the thread never returns),
  // which leaks its extension array; b_transport returns before the next access reuses it.
  static tlm::tlm_generic_payload tx;
  tx.set_byte_enable_ptr(nullptr);
  tx.set_byte_enable_length(0);
  sc_time delay = SC_ZERO_TIME;
  unsigned char enables[4];
  for (int i = 0; i < 4; ++i) enables[i] = (be >> i) & 1u ? TLM_BYTE_ENABLED : TLM_BYTE_DISABLED;
  tx.set_command(we ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  tx.set_address(addr);
  tx.set_data_ptr(reinterpret_cast<unsigned char*>(data));
  tx.set_data_length(4);
  tx.set_streaming_width(4);
  if (we && (be & 0xFu) != 0xFu) {
    tx.set_byte_enable_ptr(enables);
    tx.set_byte_enable_length(4);
  }
  tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  fw->b_transport(tx, delay);
  wait(delay);
  ++accesses_;
  return tx.is_response_ok() ? TOE_FW_OK : TOE_FW_BUS_ERROR;
}

toe_fw_result_t FirmwareNode::hal_read32(void* ctx, uint32_t offset, uint32_t* value) {
  return static_cast<FirmwareNode*>(ctx)->access(false, offset, value, 0xF);
}

toe_fw_result_t FirmwareNode::hal_write32(void* ctx, uint32_t offset, uint32_t value, uint8_t be) {
  return static_cast<FirmwareNode*>(ctx)->access(true, offset, &value, be);
}

uint64_t FirmwareNode::hal_now_us(void*) {
  return sc_core::sc_time_stamp().value() / sc_time(1, sc_core::SC_US).value();
}

toe_fw_result_t FirmwareNode::hal_seed(void* ctx, uint32_t key[4]) {
  uint64_t s = static_cast<FirmwareNode*>(ctx)->cfg_.seed;
  for (int i = 0; i < 4; ++i) {  // splitmix64 (Steele, Lea, Flood 2014), the high half of each
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    key[i] = uint32_t((z ^ (z >> 31)) >> 32);
  }
  return TOE_FW_OK;
}

toe_fw_result_t FirmwareNode::hal_engine_addr(void* ctx, uint8_t mac[6], uint32_t* ip) {
  auto* self = static_cast<FirmwareNode*>(ctx);
  auto peek = [&](uint32_t addr) { return self->dev_.peek_host(addr); };
  const uint32_t lo = peek(TOE_REG_MAC_ADDR_LO_OFFSET), hi = peek(TOE_REG_MAC_ADDR_HI_OFFSET);
  *ip = peek(TOE_REG_IPV4_ADDR_OFFSET);
  mac[0] = uint8_t(hi >> 8);
  mac[1] = uint8_t(hi);
  mac[2] = uint8_t(lo >> 24);
  mac[3] = uint8_t(lo >> 16);
  mac[4] = uint8_t(lo >> 8);
  mac[5] = uint8_t(lo);
  return TOE_FW_OK;
}

void FirmwareNode::run() {
  boot_ = toe_fw_init(&fw_, &hal_, &cfg_.fw);
  if (boot_ != TOE_FW_OK) {
    SC_REPORT_ERROR("toe::sc::FirmwareNode", (std::string("toe_fw_init: ") + toe_fw_result_name(boot_)).c_str());
    return;
  }
  booted_ = true;
  for (;;) {
    if (toe_fw_poll(&fw_) != TOE_FW_OK) ++poll_errors_;
    ++polls_;
    if (irq_.read()) continue;  // more came while polling
    const uint64_t now = hal_now_us(nullptr);
    const uint64_t next = toe_fw_next_deadline_us(&fw_);
    sc_time sleep = cfg_.poll;
    if (next != UINT64_MAX) sleep = std::min(sleep, next > now ? sc_time(double(next - now), sc_core::SC_US) : SC_ZERO_TIME);
    // A deadline already past: poll again one delta later.
    if (sleep == SC_ZERO_TIME)
      wait(SC_ZERO_TIME);
    else
      wait(sleep, irq_.posedge_event() | kick_);
  }
}

void FirmwareNode::print(std::ostream& os) const { os << name() << ": " << fw_.stats << '\n'; }

}  // namespace toe::sc

std::ostream& operator<<(std::ostream& os, const toe_fw_stats& s) {
  return os << "events " << s.events << " retransmits " << s.retransmits << " give_ups " << s.give_ups
            << " time_wait_expiries " << s.time_wait_expiries << " delayed_acks " << s.delayed_acks
            << " retx_restarts " << s.retx_restarts << " rtt_samples " << s.rtt_samples << " rtt_karn_skipped "
            << s.rtt_karn_skipped << " probes_answered " << s.probes_answered << " keepalives " << s.keepalives
            << " freed " << s.freed << " frames_in " << s.frames_in << " frames_out " << s.frames_out
            << " arp_replies_out " << s.arp_replies_out << " icmp_echo_out " << s.icmp_echo_out
            << " commands_refused " << s.commands_refused << " bus_errors " << s.bus_errors;
}
