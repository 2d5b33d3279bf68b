// SPDX-License-Identifier: Apache-2.0
// toe::sc::SlowPathTimers: see slow_path_timers.hpp (the policy, where it differs from
// sim/harness/harness.cpp and why, and its time model).
#include "slow_path_timers.hpp"

#include <algorithm>
#include <ostream>
#include <stdexcept>

#include "toe_fw_regs.h"

namespace toe::sc {

using model::CmdOp;
using model::EvtType;
using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

namespace {

const SlowPathTimersConfig& checked(const SlowPathTimersConfig& c) {
  if (c.rto_initial == SC_ZERO_TIME) throw std::invalid_argument("SlowPathTimersConfig::rto_initial must be > 0");
  if (c.rto_max < c.rto_initial)
    throw std::invalid_argument("SlowPathTimersConfig::rto_max must be >= rto_initial");
  if (c.poll == SC_ZERO_TIME) throw std::invalid_argument("SlowPathTimersConfig::poll must be > 0");
  return c;
}

}  // namespace

std::ostream& operator<<(std::ostream& os, const SlowPathCounters& c) {
  return os << "retransmits " << c.retransmits << " give_ups " << c.give_ups << " time_wait_expiries "
            << c.time_wait_expiries << " delayed_acks " << c.delayed_acks << " retx_restarts " << c.retx_restarts
            << " events " << c.events << " refused " << c.refused << " no_route " << c.no_route;
}

SlowPathTimers::SlowPathTimers(sc_core::sc_module_name name, DeviceTlm& dev, const SlowPathTimersConfig& cfg)
    : sc_core::sc_module(name), fw("fw"), dev_(dev), cfg_(checked(cfg)), irq_("irq"), changed_("changed") {
  fw.bind(dev.fw);
  dev.fw_irq(irq_);
  SC_THREAD(run);
}

bool SlowPathTimers::access(bool we, uint32_t addr, uint32_t* data) {
  // Static: a payload on an SC_THREAD's stack is never destroyed (the thread never returns),
  // which leaks its extension array; b_transport returns before the next access reuses it.
  static tlm::tlm_generic_payload tx;
  tx.set_byte_enable_ptr(nullptr);
  tx.set_byte_enable_length(0);
  sc_time delay = SC_ZERO_TIME;
  tx.set_command(we ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  tx.set_address(addr);
  tx.set_data_ptr(reinterpret_cast<unsigned char*>(data));
  tx.set_data_length(4);
  tx.set_streaming_width(4);
  tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  fw->b_transport(tx, delay);
  wait(delay);
  return tx.is_response_ok();
}

void SlowPathTimers::drain() {
  for (;;) {
    uint32_t v = TOE_FW_REG_INTR_STATE_EVQ_NOT_EMPTY_MASK | TOE_FW_REG_INTR_STATE_ARQ_NOT_EMPTY_MASK;
    access(true, TOE_FW_REG_INTR_STATE_OFFSET, &v);  // cleared first: set again by what comes later
    // Connects by IP address: no ARP here, so no route.
    for (;;) {
      uint32_t arq = 0;
      access(false, TOE_FW_REG_ARQ_STATUS_OFFSET, &arq);
      if ((arq & TOE_FW_REG_ARQ_STATUS_COUNT_MASK) == 0) break;
      uint32_t ports = 0, tag = 0, pop = TOE_FW_REG_ARQ_POP_POP_MASK;
      access(false, TOE_FW_REG_ARQ_PORTS_OFFSET, &ports);
      access(false, TOE_FW_REG_ARQ_TAG_OFFSET, &tag);
      access(true, TOE_FW_REG_ARQ_POP_OFFSET, &pop);
      access(true, TOE_FW_REG_CMD_PORTS_OFFSET, &ports);  // the same PORT / LPORT layout
      access(true, TOE_FW_REG_CMD_TAG_OFFSET, &tag);
      issue(CmdOp::kNoRoute, 0);
      ++count_.no_route;
    }
    uint32_t status = 0;
    access(false, TOE_FW_REG_EVQ_STATUS_OFFSET, &status);
    uint32_t n = (status & TOE_FW_REG_EVQ_STATUS_COUNT_MASK) >> TOE_FW_REG_EVQ_STATUS_COUNT_LSB;
    if (n == 0) return;
    for (; n > 0; --n) {
      uint32_t ev = 0, conn = 0, value = 0, pop = TOE_FW_REG_EVQ_POP_POP_MASK;
      access(false, TOE_FW_REG_EVQ_EVENT_OFFSET, &ev);
      access(false, TOE_FW_REG_EVQ_CONN_OFFSET, &conn);
      access(false, TOE_FW_REG_EVQ_VALUE_OFFSET, &value);
      access(true, TOE_FW_REG_EVQ_POP_OFFSET, &pop);
      TimedEvent te;
      te.evt.type = EvtType((ev & TOE_FW_REG_EVQ_EVENT_EVT_MASK) >> TOE_FW_REG_EVQ_EVENT_EVT_LSB);
      te.evt.state = TcpState((ev & TOE_FW_REG_EVQ_EVENT_STATE_MASK) >> TOE_FW_REG_EVQ_EVENT_STATE_LSB);
      te.evt.lport = uint16_t((ev & TOE_FW_REG_EVQ_EVENT_LPORT_MASK) >> TOE_FW_REG_EVQ_EVENT_LPORT_LSB);
      te.evt.conn = conn;
      te.evt.value = value;
      te.time = sc_core::sc_time_stamp();
      handle(te);
    }
  }
}

const SlowPathTimers::Timers* SlowPathTimers::find(uint32_t conn) const {
  auto it = conns_.find(conn);
  return it == conns_.end() ? nullptr : &it->second;
}

bool SlowPathTimers::retx_running(uint32_t conn) const {
  const Timers* t = find(conn);
  return t && t->retx;
}
sc_time SlowPathTimers::retx_deadline(uint32_t conn) const {
  const Timers* t = find(conn);
  return t && t->retx ? t->retx_deadline : SC_ZERO_TIME;
}
sc_time SlowPathTimers::rto(uint32_t conn) const {
  const Timers* t = find(conn);
  return t && t->retx ? t->rto : SC_ZERO_TIME;
}
uint32_t SlowPathTimers::retries(uint32_t conn) const {
  const Timers* t = find(conn);
  return t ? t->retries : 0;
}

void SlowPathTimers::print(std::ostream& os) const { os << name() << ": " << count_ << '\n'; }

void SlowPathTimers::restart_retx(Timers& t, const sc_time& at) {
  t.retx = true;
  t.rto = cfg_.rto_initial;
  t.retries = 0;
  t.retx_deadline = at + t.rto;
}

void SlowPathTimers::handle(const TimedEvent& te) {
  const model::Event& e = te.evt;
  ++count_.events;
  if (e.conn == model::kNoConn) return;
  switch (e.type) {
    case EvtType::kRetxArm: {
      Timers& t = conns_[e.conn];
      if (!t.retx) {
        restart_retx(t, te.time);
      } else if (e.value != t.armed_value) {  // SND.UNA moved (header comment)
        restart_retx(t, te.time);
        ++count_.retx_restarts;
      }  // else: the echo of our own retransmission; the backoff goes on
      t.armed_value = e.value;
      break;
    }
    case EvtType::kRetxDisarm: {
      auto it = conns_.find(e.conn);
      if (it != conns_.end()) {
        it->second.retx = false;
        it->second.retries = 0;
      }
      break;
    }
    case EvtType::kTimeWaitEntered: {
      Timers& t = conns_[e.conn];
      t.retx = false;
      t.tw = true;
      t.tw_deadline = te.time + 2 * cfg_.msl;
      break;
    }
    case EvtType::kAckDelayed: {
      Timers& t = conns_[e.conn];
      if (!t.dack) {
        t.dack = true;
        t.dack_deadline = te.time + cfg_.delayed_ack;
      }
      break;
    }
    case EvtType::kPeerAlive: {  // a zero-window probe answered: the peer lives (MUST-37)
      auto it = conns_.find(e.conn);
      if (it != conns_.end() && it->second.retx) it->second.retries = 0;
      break;
    }
    case EvtType::kFreed:
      conns_.erase(e.conn);
      break;
    default:  // host events: not on this stream
      break;
  }
}

void SlowPathTimers::host_event(const model::Event& e, const sc_time& t) {
  auto it = conns_.find(e.conn);
  if (it == conns_.end()) return;
  switch (e.type) {
    case EvtType::kAcked:
      it->second.retries = 0;
      if (it->second.retx) {  // RFC 6298 5.3: new data acknowledged: restart the timer
        restart_retx(it->second, t);
        ++count_.retx_restarts;
      }
      break;
    case EvtType::kClosed:
    case EvtType::kReset:
    case EvtType::kTimedOut:
      conns_.erase(it);
      break;
    default:
      break;
  }
  changed_.notify(SC_ZERO_TIME);
}

void SlowPathTimers::issue(CmdOp op, uint32_t conn) {
  uint32_t c = conn;
  access(true, TOE_FW_REG_CMD_CONN_OFFSET, &c);
  for (int tries = 0;; ++tries) {
    uint32_t o = uint32_t(op);
    if (access(true, TOE_FW_REG_CMD_OFFSET, &o)) return;
    uint32_t last_error = 0;
    access(false, TOE_FW_REG_LAST_ERROR_OFFSET, &last_error);
    const uint32_t code = (last_error & TOE_FW_REG_LAST_ERROR_CODE_MASK) >> TOE_FW_REG_LAST_ERROR_CODE_LSB;
    if (code != TOE_FW_REG_LAST_ERROR_CODE_QUEUE_FULL || tries == 64) {
      ++count_.refused;
      return;
    }
    wait(4 * dev_.clock_period());
  }
}

void SlowPathTimers::fire(const sc_time& now) {
  for (auto it = conns_.begin(); it != conns_.end();) {
    const uint32_t conn = it->first;
    Timers& t = it->second;
    bool freed = false;
    if (t.dack && now >= t.dack_deadline) {
      t.dack = false;
      issue(CmdOp::kSendAck, conn);
      ++count_.delayed_acks;
    }
    if (t.tw && now >= t.tw_deadline) {
      issue(CmdOp::kTimeWaitExpire, conn);
      ++count_.time_wait_expiries;
      freed = true;  // TIME_WAIT -> CLOSED: the connection is freed
    }
    if (!freed && t.retx && now >= t.retx_deadline) {
      if (t.retries >= cfg_.max_retries) {
        issue(CmdOp::kGiveUp, conn);
        ++count_.give_ups;
        freed = true;  // the engine frees the connection (RST first if synchronized)
      } else {
        ++t.retries;
        t.rto = std::min(t.rto * 2.0, cfg_.rto_max);  // back off (RFC 6298 5.5, TM1)
        t.retx_deadline = now + t.rto;
        issue(CmdOp::kRetransmit, conn);
        ++count_.retransmits;
      }
    }
    if (freed || !t.any())
      it = conns_.erase(it);
    else
      ++it;
  }
}

void SlowPathTimers::run() {
  // Boot: the firmware's events to the port's queue, its interrupt on.
  uint32_t v = TOE_FW_REG_CTRL_EVQ_EN_MASK;
  access(true, TOE_FW_REG_CTRL_OFFSET, &v);
  v = TOE_FW_REG_INTR_ENABLE_EVQ_NOT_EMPTY_MASK | TOE_FW_REG_INTR_ENABLE_ARQ_NOT_EMPTY_MASK;
  access(true, TOE_FW_REG_INTR_ENABLE_OFFSET, &v);
  for (;;) {
    drain();
    const sc_time now = sc_core::sc_time_stamp();
    fire(now);
    sc_time wake = cfg_.poll;
    for (const auto& [conn, t] : conns_) {
      (void)conn;
      if (t.retx) wake = std::min(wake, t.retx_deadline > now ? t.retx_deadline - now : SC_ZERO_TIME);
      if (t.tw) wake = std::min(wake, t.tw_deadline > now ? t.tw_deadline - now : SC_ZERO_TIME);
      if (t.dack) wake = std::min(wake, t.dack_deadline > now ? t.dack_deadline - now : SC_ZERO_TIME);
    }
    // A deadline already past (an event collected late): fire at once, one delta later.
    if (wake != SC_ZERO_TIME && !irq_.read()) wait(wake, irq_.posedge_event() | changed_);
  }
}

}  // namespace toe::sc
