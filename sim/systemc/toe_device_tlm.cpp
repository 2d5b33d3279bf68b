// SPDX-License-Identifier: Apache-2.0
// DeviceTlm: toe_engine as a TLM-2.0 loosely-timed device (see toe_device_tlm.hpp).
#include "toe_device_tlm.hpp"

#include <algorithm>
#include <cstring>
#include <ostream>
#include <stdexcept>
#include <utility>

#include "toe_fw_regs.h"
#include "toe_regs.h"

namespace toe::sc {

using sc_core::sc_time;
using sc_core::sc_time_stamp;
using sc_core::SC_ZERO_TIME;

std::ostream& operator<<(std::ostream& os, const EthFrame& f) {
  return os << f.data.size() << " bytes @ " << f.time;
}

sc_time DeviceTlm::QuantumKeeper::compute_local_quantum() {
  if (quantum_ == SC_ZERO_TIME) return tlm_utils::tlm_quantumkeeper::compute_local_quantum();
  // To the next multiple of the quantum, as the global quantum does.
  const sc_time now = sc_time_stamp();
  return quantum_ - sc_time::from_value(now.value() % quantum_.value());
}

DeviceTlm::DeviceTlm(sc_core::sc_module_name name, const DeviceTlmConfig& cfg)
    : DeviceTlm(name, cfg, make_device_engine(cfg.engine, cfg.params)) {}

DeviceTlm::DeviceTlm(sc_core::sc_module_name name, const DeviceTlmConfig& cfg, std::unique_ptr<DeviceEngine> engine)
    : sc_core::sc_module(name),
      host("host"),
      irq("irq"),
      eth_rx("eth_rx"),
      eth_tx("eth_tx"),
      fw("fw"),
      fw_irq("fw_irq"),
      engine_(std::move(engine)),
      period_(cfg.clock_period),
      qk_(cfg.quantum),
      idle_skip_(cfg.idle_skip) {
  if (period_ == SC_ZERO_TIME) throw std::invalid_argument("DeviceTlm: the clock period is zero");
  if (!engine_) throw std::invalid_argument("DeviceTlm: no engine");
  host.register_b_transport(this, &DeviceTlm::b_transport);
  host.register_transport_dbg(this, &DeviceTlm::transport_dbg);
  host.register_get_direct_mem_ptr(this, &DeviceTlm::get_direct_mem_ptr);
  fw.register_b_transport(this, &DeviceTlm::fw_b_transport);
  fw.register_transport_dbg(this, &DeviceTlm::fw_transport_dbg);
  fw.register_get_direct_mem_ptr(this, &DeviceTlm::fw_get_direct_mem_ptr);
  SC_THREAD(clock_thread);
  SC_THREAD(rx_thread);
  SC_THREAD(tx_thread);
  SC_METHOD(irq_method);
  sensitive << irq_changed_;
  dont_initialize();
}

// ---- time ------------------------------------------------------------------------------------
void DeviceTlm::clock_thread() {
  for (;;) {
    // Sleep to the end of this quantum, then compute its clocks: the engine stays behind global
    // time, so every input reaches it on its own edge.
    qk_.reset();
    const sc_time left = qk_.until_sync();
    qk_.set(left == SC_ZERO_TIME ? period_ : left);  // no quantum at all: every clock
    qk_.sync();
    catch_up(sc_time_stamp());
    if (idle_skip_ && asleep_ok()) wait(activity_);
  }
}

bool DeviceTlm::asleep_ok() const {
  return rx_frames_.empty() && cmds_.empty() && tx_cur_.empty() && !engine_->outputs().evt_valid &&
         !engine_->outputs().tx.tvalid && engine_->can_skip();
}

void DeviceTlm::catch_up(const sc_time& t) {
  while (next_edge_ < t) {
    if (idle_skip_ && cmds_.empty() && rx_pos_ == 0 && tx_cur_.empty() && !engine_->outputs().evt_valid &&
        !engine_->outputs().tx.tvalid && engine_->can_skip()) {
      // The edges before t and before the next frame's time (the edge at or after it offers it).
      sc_time limit = t;
      if (!rx_frames_.empty()) limit = std::min(limit, rx_frames_.front().time);
      const uint64_t p = period_.value();
      const uint64_t n = limit > next_edge_ ? (limit.value() - next_edge_.value() + p - 1) / p : 0;
      if (n >= 2) {
        model::EngineDeviceIn idle;  // as step() drives it with nothing due
        idle.tx_tready = true;
        idle.evt_ready = true;
        engine_->skip(idle, n);
        next_edge_ += sc_time::from_value(n * p);
        cycles_ += n;
        skipped_ += n;
        update_irq();
        continue;
      }
    }
    if (idle_skip_ && cmds_.empty() && !engine_->outputs().evt_valid &&
        engine_->outputs().tx.tvalid == !tx_cur_.empty()) {
      // A busy span: the edges before t, and (a frame half fed) before its last beat, or (none)
      // before the next frame's time; the engine bounds the rest (a frame half sent: before its
      // last beat; the beats it sends go on tx_cur_).
      const uint64_t p = period_.value();
      uint64_t n = (t.value() - next_edge_.value() + p - 1) / p;
      const bool rx = rx_pos_ > 0;
      const uint32_t beat_bytes = engine_->params().data_bytes;
      if (rx) {
        n = std::min<uint64_t>(n, (rx_frames_.front().data.size() - rx_pos_ - 1) / beat_bytes);
      } else if (!rx_frames_.empty()) {
        const sc_time due = rx_frames_.front().time;
        n = std::min<uint64_t>(n, due > next_edge_ ? (due.value() - next_edge_.value() + p - 1) / p : 0);
      }
      if (n >= 2) n = std::min(n, engine_->span_limit(rx));
      if (n >= 2) {
        engine_->run_span(rx ? rx_frames_.front().data.data() + rx_pos_ : nullptr, n, &tx_cur_);
        if (rx) rx_pos_ += n * beat_bytes;
        next_edge_ += sc_time::from_value(n * p);
        cycles_ += n;
        spanned_ += n;
        continue;
      }
    }
    step(nullptr);
  }
}

void DeviceTlm::step(const BusAccess* bus) {
  model::EngineDeviceIn in;
  const uint32_t beat_bytes = engine_->params().data_bytes;
  // Frames: the front one is offered once due, and stays offered until it has been taken.
  if (!rx_frames_.empty() && (rx_pos_ > 0 || rx_frames_.front().time <= next_edge_)) {
    const std::vector<uint8_t>& f = rx_frames_.front().data;
    const size_t n = std::min<size_t>(beat_bytes, f.size() - rx_pos_);
    in.rx.tvalid = true;
    std::copy_n(f.begin() + std::ptrdiff_t(rx_pos_), n, in.rx.tdata.begin());
    in.rx.tkeep = n >= 64 ? ~uint64_t(0) : (uint64_t(1) << n) - 1;
    in.rx.tlast = rx_pos_ + n == f.size();
  }
  if (!cmds_.empty()) {
    in.cmd_valid = true;
    in.cmd = cmds_.front();
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

  // This cycle's outputs: what the handshakes of this edge take (m_axis_tx and evt are always
  // ready, so a valid beat or event is taken at this edge).
  const model::EngineDeviceOut& out = engine_->outputs();
  const bool rx_taken = in.rx.tvalid && out.rx_tready;
  const bool cmd_taken = in.cmd_valid && out.cmd_ready;
  if (out.evt_valid) events_.push_back({out.evt, next_edge_});
  if (out.tx.tvalid) {
    if (tx_cur_.empty()) tx_first_ = next_edge_;
    for (uint32_t i = 0; i < beat_bytes; ++i) {
      if ((out.tx.tkeep >> i) & 1u) tx_cur_.push_back(out.tx.tdata[i]);
    }
    if (out.tx.tlast) {
      tx_frames_.push_back({std::move(tx_cur_), tx_first_});
      tx_cur_.clear();
      tx_ready_.notify(SC_ZERO_TIME);
    }
  }

  engine_->clock(in);

  if (rx_taken) {
    rx_pos_ += std::min<size_t>(beat_bytes, rx_frames_.front().data.size() - rx_pos_);
    if (in.rx.tlast) {
      rx_frames_.pop_front();
      rx_pos_ = 0;
    }
  }
  if (cmd_taken) cmds_.pop_front();

  next_edge_ += period_;
  ++cycles_;
  update_irq();
  if (dmi_granted_ && !engine_->conn_sel_in_use()) invalidate_windows();  // the session was freed
}

void DeviceTlm::update_irq() {
  const bool intr = engine_->outputs().intr, fw_intr = engine_->outputs().fw_intr;
  if (intr == irq_q_ && fw_intr == fw_irq_q_) return;
  irq_q_ = intr;
  fw_irq_q_ = fw_intr;
  irq_changed_.notify(SC_ZERO_TIME);
}

void DeviceTlm::irq_method() {
  irq.write(irq_q_);
  if (fw_irq.size() != 0) fw_irq->write(fw_irq_q_);
}

// ---- frame channel ---------------------------------------------------------------------------
void DeviceTlm::rx_thread() {
  for (;;) {
    EthFrame f = eth_rx.read();
    if (f.data.empty()) continue;  // nothing to put on the stream
    f.time = std::max(f.time, sc_time_stamp());
    rx_frames_.push_back(std::move(f));
    activity_.notify(SC_ZERO_TIME);
  }
}

void DeviceTlm::tx_thread() {
  for (;;) {
    while (tx_frames_.empty()) wait(tx_ready_);
    EthFrame f = std::move(tx_frames_.front());
    tx_frames_.pop_front();
    eth_tx.write(f);
  }
}

// ---- back doors and reset --------------------------------------------------------------------
void DeviceTlm::command(const model::Cmd& c, const sc_time& delay) {
  catch_up(sc_time_stamp() + delay);
  cmds_.push_back(c);
  activity_.notify(SC_ZERO_TIME);
}

std::vector<TimedEvent> DeviceTlm::take_events() {
  std::vector<TimedEvent> out;
  out.swap(events_);
  return out;
}

void DeviceTlm::reset(const sc_time& delay) {
  catch_up(sc_time_stamp() + delay);
  engine_->reset();
  if (rx_pos_ > 0) {
    rx_frames_.pop_front();
    rx_pos_ = 0;
  }
  tx_cur_.clear();
  cmds_.clear();
  update_irq();
  activity_.notify(SC_ZERO_TIME);
  dmi_granted_ = false;
  host->invalidate_direct_mem_ptr(0, ~uint64_t(0));
  if (fw.size() != 0) fw->invalidate_direct_mem_ptr(0, ~uint64_t(0));
}

// ---- register port ---------------------------------------------------------------------------
void DeviceTlm::transport(bool fw_port, tlm::tlm_generic_payload& tx, sc_time& delay) {
  tx.set_dmi_allowed(false);
  const uint64_t addr = tx.get_address();
  const tlm::tlm_command cmd = tx.get_command();
  if (addr >= (fw_port ? kFwWindowBytes : kWindowBytes)) {
    tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if (cmd == tlm::TLM_IGNORE_COMMAND) {
    tx.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  if (tx.get_data_ptr() == nullptr) {
    tx.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    return;
  }
  // The byte enables of the bus. A whole word: all four, or the payload's byte enables. A 1- or
  // 2-byte access inside one word: its lanes (the address aligned down). The device takes what
  // it can (a transmit-window write stores its enabled bytes) and refuses the rest (BAD_SIZE),
  // recorded and counted; anything longer or crossing a word goes on the bus with none.
  const unsigned len = tx.get_data_length();
  const unsigned lane = unsigned(addr & 3u);
  // (A whole word at a misaligned address goes on the bus as it is: MISALIGNED.)
  const bool bad_length = !(len == 4 || ((len == 1 || len == 2) && lane + len <= 4)) ||
                          tx.get_streaming_width() != len;
  const unsigned shift = len == 4 ? 0 : lane;
  uint8_t be = 0;
  if (!bad_length) {
    const unsigned char* en = tx.get_byte_enable_ptr();
    const unsigned en_len = tx.get_byte_enable_length();
    for (unsigned i = 0; i < len; ++i) {
      const bool on = en == nullptr || (en_len != 0 && en[i % en_len] == TLM_BYTE_ENABLED);
      if (on) be = uint8_t(be | (1u << (shift + i)));
    }
  }
  const bool bad_enables = !bad_length && tx.get_byte_enable_ptr() != nullptr && be != 0xF;

  const sc_time now = sc_time_stamp();
  catch_up(now + delay);
  BusAccess a;
  a.fw = fw_port;
  a.we = cmd == tlm::TLM_WRITE_COMMAND;
  a.addr = uint32_t(bad_length || len == 4 ? addr : addr & ~uint64_t(3));
  a.be = be;
  if (a.we && !bad_length) {
    uint8_t bytes[4] = {};
    std::memcpy(bytes + shift, tx.get_data_ptr(), len);
    std::memcpy(&a.wdata, bytes, 4);
  }
  // Held until reg_ready, taken at an edge; then clocked until reg_valid.
  auto ready = [&] { return fw_port ? engine_->outputs().fw_ready : engine_->outputs().reg_ready; };
  auto valid = [&] { return fw_port ? engine_->outputs().fw_valid : engine_->outputs().reg_valid; };
  unsigned waited = 0;
  while (!ready() && waited++ < kBusTimeoutCycles) step(nullptr);
  bool answered = false;
  if (ready()) {
    step(&a);
    for (unsigned n = 0; !valid() && n < kBusTimeoutCycles; ++n) step(nullptr);
    answered = valid();
  }
  delay = next_edge_ - now;
  activity_.notify(SC_ZERO_TIME);  // the access may have started something (a write to CTRL ...)
  if (!answered) {
    tx.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    return;
  }
  const model::EngineDeviceOut& out = engine_->outputs();
  // A grant follows CONN_SEL, the window bases and the engine's reset (CTRL.SOFT_RESET).
  if (!fw_port && a.we && (a.addr == TOE_REG_CONN_SEL_OFFSET || a.addr == TOE_REG_TX_WIN_BASE_OFFSET ||
                           a.addr == TOE_REG_RX_WIN_BASE_OFFSET || a.addr == TOE_REG_CTRL_OFFSET))
    invalidate_windows();
  if (fw_port ? out.fw_err : out.reg_err) {
    // The two maps number their LAST_ERROR codes alike where they share them (1 .. 8).
    static_assert(TOE_FW_REG_LAST_ERROR_CODE_BAD_SIZE == TOE_REG_LAST_ERROR_CODE_BAD_SIZE &&
                  TOE_FW_REG_LAST_ERROR_CODE_UNMAPPED == TOE_REG_LAST_ERROR_CODE_UNMAPPED &&
                  TOE_FW_REG_LAST_ERROR_CODE_MISALIGNED == TOE_REG_LAST_ERROR_CODE_MISALIGNED &&
                  TOE_FW_REG_LAST_ERROR_CODE_LSB == TOE_REG_LAST_ERROR_CODE_LSB &&
                  TOE_FW_REG_LAST_ERROR_CODE_MASK == TOE_REG_LAST_ERROR_CODE_MASK);
    uint32_t last_error = 0;
    if (fw_port)
      engine_->peek_fw_reg(TOE_FW_REG_LAST_ERROR_OFFSET, &last_error);
    else
      engine_->peek_reg(TOE_REG_LAST_ERROR_OFFSET, &last_error);
    const uint32_t code = (last_error & TOE_REG_LAST_ERROR_CODE_MASK) >> TOE_REG_LAST_ERROR_CODE_LSB;
    if (code == TOE_REG_LAST_ERROR_CODE_BAD_SIZE) {
      tx.set_response_status(bad_enables ? tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE : tlm::TLM_BURST_ERROR_RESPONSE);
    } else if (code == TOE_REG_LAST_ERROR_CODE_UNMAPPED || code == TOE_REG_LAST_ERROR_CODE_MISALIGNED ||
               (!fw_port && code == TOE_REG_LAST_ERROR_CODE_OUTSIDE_BUFFER)) {
      tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    } else {  // READ_ONLY, NO_CONN, QUEUE_FULL, QUEUE_EMPTY, BAD_COMMAND
      tx.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
    }
    return;
  }
  const uint32_t rdata = fw_port ? out.fw_rdata : out.reg_rdata;
  if (!a.we) std::memcpy(tx.get_data_ptr(), &rdata, 4);  // a read is always a whole word
  tx.set_response_status(tlm::TLM_OK_RESPONSE);
}

uint32_t DeviceTlm::peek_host(uint32_t addr) {
  uint32_t v = 0;
  tlm::tlm_generic_payload tx;
  tx.set_command(tlm::TLM_READ_COMMAND);
  tx.set_address(addr);
  tx.set_data_ptr(reinterpret_cast<unsigned char*>(&v));
  tx.set_data_length(4);
  tx.set_streaming_width(4);
  debug(false, tx);
  return v;
}

unsigned int DeviceTlm::debug(bool fw_port, tlm::tlm_generic_payload& tx) {
  if (tx.get_command() != tlm::TLM_READ_COMMAND) return 0;
  const uint64_t window = fw_port ? kFwWindowBytes : kWindowBytes;
  const uint64_t addr = tx.get_address();
  unsigned char* dst = tx.get_data_ptr();
  unsigned int n = 0;
  for (; n < tx.get_data_length(); ++n) {
    const uint64_t a = addr + n;
    if (a >= window) break;
    uint32_t word = 0;  // a hole reads 0
    if (fw_port)
      engine_->peek_fw_reg(uint32_t(a & ~uint64_t(3)), &word);
    else
      engine_->peek_reg(uint32_t(a & ~uint64_t(3)), &word);
    unsigned char bytes[4];
    std::memcpy(bytes, &word, 4);
    dst[n] = bytes[a & 3u];
  }
  return n;
}

bool DeviceTlm::get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi) {
  const uint64_t addr = tx.get_address();
  const bool in_tx = addr - TOE_REG_TX_WINDOW_BASE < TOE_REG_TX_WINDOW_SIZE;
  const bool in_rx = addr - TOE_REG_RX_WINDOW_BASE < TOE_REG_RX_WINDOW_SIZE;
  model::EngineDevice::DmiPiece piece;
  if (!(in_tx || in_rx) ||
      !engine_->dmi_window(in_tx, uint32_t(addr - (in_tx ? TOE_REG_TX_WINDOW_BASE : TOE_REG_RX_WINDOW_BASE)), &piece)) {
    return no_dmi(kWindowBytes, tx, dmi);
  }
  const uint64_t base = in_tx ? TOE_REG_TX_WINDOW_BASE : TOE_REG_RX_WINDOW_BASE;
  dmi.set_dmi_ptr(piece.ptr);
  dmi.set_start_address(base + piece.first);
  dmi.set_end_address(base + piece.last);
  dmi.set_granted_access(in_tx ? tlm::tlm_dmi::DMI_ACCESS_WRITE : tlm::tlm_dmi::DMI_ACCESS_READ);
  dmi.set_read_latency(period_);
  dmi.set_write_latency(period_);
  dmi_granted_ = true;
  return true;
}

void DeviceTlm::invalidate_windows() {
  if (!dmi_granted_) return;
  dmi_granted_ = false;
  host->invalidate_direct_mem_ptr(TOE_REG_TX_WINDOW_BASE, TOE_REG_TX_WINDOW_BASE + TOE_REG_TX_WINDOW_SIZE - 1);
  host->invalidate_direct_mem_ptr(TOE_REG_RX_WINDOW_BASE, TOE_REG_RX_WINDOW_BASE + TOE_REG_RX_WINDOW_SIZE - 1);
}

bool DeviceTlm::no_dmi(uint64_t window, tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi) {
  // No DMI anywhere (the buffer windows are walked by the device). The denied range lets an
  // initiator stop asking for it.
  dmi.allow_none();
  if (tx.get_address() < window) {
    dmi.set_start_address(0);
    dmi.set_end_address(window - 1);
  } else {
    dmi.set_start_address(window);
    dmi.set_end_address(~uint64_t(0));
  }
  return false;
}

}  // namespace toe::sc
