// SPDX-License-Identifier: Apache-2.0
#include "harness.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace toe::sim {

Harness::Harness(const EngineConfig& ecfg, const HarnessConfig& hcfg) : Harness(make_engine(hcfg.engine, ecfg), hcfg) {}

Harness::Harness(std::unique_ptr<EngineApi> engine, const HarnessConfig& hcfg)
    : hcfg_(hcfg), engine_(std::move(engine)), rng_(hcfg.seed), rx_idle_(hcfg.rx_idle), tx_bp_(hcfg.tx_backpressure) {
  if (!engine_) throw std::invalid_argument("Harness: no engine");
  engine_->on_state_change = [this](uint64_t cyc, uint32_t conn, TcpState from, TcpState to) {
    state_log_.push_back({cyc, conn, from, to});
  };
}

void Harness::inject(const std::vector<uint8_t>& frame, bool mac_error) { rx_q_.push_back({frame, mac_error}); }

std::vector<std::vector<uint8_t>> Harness::take_output() {
  std::vector<std::vector<uint8_t>> out;
  out.swap(tx_out_);
  return out;
}

void Harness::step() {
  EngineApi& e = *engine_;
  const model::EngineOut& o = e.outputs();
  model::EngineIn in;
  const uint32_t w = e.config().data_bytes;
  // rx stream
  const bool idle = hcfg_.rx_idle > 0 && rx_idle_(rng_);
  if (!rx_q_.empty() && !idle) {
    const RxFrame& f = rx_q_.front();
    const size_t n = std::min<size_t>(w, f.data.size() - rx_pos_);
    in.rx.tvalid = true;
    std::copy_n(f.data.begin() + long(rx_pos_), n, in.rx.tdata.begin());
    in.rx.tkeep = n >= 64 ? ~0ull : ((1ull << n) - 1);
    in.rx.tlast = rx_pos_ + n >= f.data.size();
    in.rx.tuser = in.rx.tlast && f.mac_error;
  }
  in.tx_tready = !(hcfg_.tx_backpressure > 0 && tx_bp_(rng_));
  if (!cmd_q_.empty()) {
    in.cmd_valid = true;
    in.cmd = cmd_q_.front();
  }
  in.evt_ready = true;
  const bool rx_fire = o.rx_tready && in.rx.tvalid;
  const bool tx_fire = o.tx.tvalid && in.tx_tready;
  const bool cmd_fire = o.cmd_ready && in.cmd_valid;
  const bool evt_fire = o.evt_valid && in.evt_ready;
  const model::AxisBeat tx_beat = o.tx;
  const Event evt = o.evt;
  if (on_cycle) on_cycle(e.cycle(), in, o);
  e.clock(in);
  if (rx_fire) {
    const size_t n = std::min<size_t>(w, rx_q_.front().data.size() - rx_pos_);
    rx_pos_ += n;
    if (in.rx.tlast) {
      if (log_wire_) wire_log_.push_back({e.cycle() - 1, false, rx_q_.front().data});
      rx_q_.pop_front();
      rx_pos_ = 0;
    }
  }
  if (tx_fire) {
    for (uint32_t i = 0; i < w; ++i)
      if ((tx_beat.tkeep >> i) & 1u) tx_cur_.push_back(tx_beat.tdata[i]);
    if (tx_beat.tlast) {
      if (log_wire_) wire_log_.push_back({e.cycle() - 1, true, tx_cur_});
      if (on_tx_frame) on_tx_frame(tx_cur_);
      tx_out_.push_back(std::move(tx_cur_));
      tx_cur_.clear();
    }
  }
  if (cmd_fire) cmd_q_.pop_front();
  if (evt_fire) handle_event(evt);
  if (!dirty_.empty()) {
    std::vector<uint32_t> d;
    d.swap(dirty_);
    for (uint32_t c : d) app_service(c);
  }
  if (hcfg_.timers && (e.cycle() & 1023) == 0) timers();
}

void Harness::run_to(uint64_t target) {
  while (engine_->cycle() < target)
    if (!skip_idle_until(target)) step();
}

bool Harness::skip_idle_until(uint64_t target) {
  EngineApi& e = *engine_;
  const uint64_t now = e.cycle();
  if (!hcfg_.idle_skip || target < now + 2 || on_cycle || hcfg_.rx_idle > 0 || hcfg_.tx_backpressure > 0 ||
      !rx_q_.empty() || !cmd_q_.empty() || !tx_cur_.empty() || !dirty_.empty() || e.outputs().tx.tvalid ||
      e.outputs().evt_valid || !e.can_skip())
    return false;
  // timers() runs after the clocks that end on a multiple of 1024 and acts once a deadline has
  // passed: stop one clock before the first such check at or after the earliest deadline, so
  // that check is stepped.
  uint64_t stop = target;
  if (hcfg_.timers) {
    for (const auto& [conn, h] : conns_) {
      for (const auto& [armed, deadline] : {std::pair{h.dack_armed, h.dack_deadline},
                                            std::pair{h.tw_armed, h.tw_deadline},
                                            std::pair{h.retx_armed, h.retx_deadline}}) {
        if (!armed) continue;
        const uint64_t check = std::max(deadline, now + 1);
        stop = std::min(stop, ((check + 1023) & ~uint64_t(1023)) - 1);
      }
    }
  }
  if (stop < now + 2) return false;
  e.skip_idle(stop - now);
  skipped_ += stop - now;
  return true;
}

bool Harness::run_until_idle(uint64_t max_cycles) {
  // Idle: nothing queued on any input, nothing streaming out, and a quiet
  // stretch long enough for the pipeline (and host reactions) to drain.
  uint64_t quiet = 0;
  for (uint64_t i = 0; i < max_cycles; ++i) {
    const size_t frames_before = tx_out_.size() + wire_log_.size();
    const size_t ev_before = events_.size();
    step();
    // engine busy(): work no port shows yet (a frame in tx_build, a payload being copied, a queued event).
    const bool busy = !rx_q_.empty() || !cmd_q_.empty() || engine_->outputs().tx.tvalid || engine_->busy() ||
                      engine_->outputs().evt_valid || !tx_cur_.empty();
    if (busy || tx_out_.size() + wire_log_.size() != frames_before || events_.size() != ev_before)
      quiet = 0;
    else if (++quiet >= 64)
      return true;
  }
  return false;
}

Harness::HostConn& Harness::host(uint32_t conn) { return conns_[conn]; }

void Harness::listen(uint16_t port, App app, uint64_t source_bytes) {
  listen_apps_[port] = {app, source_bytes};
  Cmd c;
  c.op = CmdOp::kListen;
  c.port = port;
  command(c);
}

uint32_t Harness::connect(uint32_t ip, uint16_t port, uint16_t lport, const net::MacAddr& mac, App app,
                          uint64_t source_bytes) {
  const uint32_t tag = next_tag_++;
  tag_apps_[tag] = {app, source_bytes};
  Cmd c;
  c.op = CmdOp::kConnect;
  c.ip = ip;
  c.port = port;
  c.lport = lport;
  c.mac = mac;
  c.tag = tag;
  command(c);
  return tag;
}

uint32_t Harness::conn_of_tag(uint32_t tag) const {
  auto it = tag_conn_.find(tag);
  return it == tag_conn_.end() ? model::kNoConn : it->second;
}

size_t Harness::tx_space(uint32_t conn) const {
  auto it = conns_.find(conn);
  if (it == conns_.end()) return 0;
  return engine_->tx_buf_bytes() - (it->second.tx_wr - it->second.tx_acked);
}

size_t Harness::send(uint32_t conn, const uint8_t* data, size_t len) {
  HostConn& h = host(conn);
  if (!h.open || h.close_sent) return 0;
  const size_t n = std::min(len, tx_space(conn));
  if (!n) return 0;
  engine_->host_write_tx(conn, h.tx_wr, data, uint32_t(n));
  h.tx_wr += uint32_t(n);
  Cmd c;
  c.op = CmdOp::kTxPush;
  c.conn = conn;
  c.value = h.tx_wr;
  command(c);
  return n;
}

std::vector<uint8_t> Harness::recv(uint32_t conn) {
  HostConn& h = host(conn);
  std::vector<uint8_t> out(h.rx_wr - h.rx_rd);
  if (out.empty()) return out;
  engine_->host_read_rx(conn, h.rx_rd, out.data(), uint32_t(out.size()));
  h.rx_rd = h.rx_wr;
  Cmd c;
  c.op = CmdOp::kRxConsume;
  c.conn = conn;
  c.value = h.rx_rd;
  command(c);
  return out;
}

bool Harness::saw(EvtType t, uint32_t conn) const {
  for (const Event& e : events_)
    if (e.type == t && (conn == model::kNoConn || e.conn == conn)) return true;
  return false;
}

std::vector<uint32_t> Harness::accepted() const {
  std::vector<uint32_t> v;
  for (const Event& e : events_)
    if (e.type == EvtType::kAccepted) v.push_back(e.conn);
  return v;
}

std::vector<TcpState> Harness::states_of(uint32_t conn) const {
  std::vector<TcpState> v;
  for (const StateChange& s : state_log_) {
    if (s.conn != conn) continue;
    if (v.empty()) v.push_back(s.from);
    v.push_back(s.to);
  }
  return v;
}

uint64_t Harness::bytes_received(uint32_t conn) const {
  auto it = conns_.find(conn);
  return it == conns_.end() ? 0 : it->second.received_bytes;
}

const std::vector<uint8_t>& Harness::received(uint32_t conn) const {
  static const std::vector<uint8_t> empty;
  auto it = conns_.find(conn);
  return it == conns_.end() ? empty : it->second.received;
}

void Harness::handle_event(const Event& e) {
  events_.push_back(e);
  const uint64_t now = engine_->cycle();
  switch (e.type) {
    case EvtType::kOpened: {
      tag_conn_[e.value] = e.conn;
      HostConn& h = conns_[e.conn] = HostConn{};
      auto it = tag_apps_.find(e.value);
      if (it != tag_apps_.end()) {
        h.app = it->second.first;
        h.source_left = it->second.second;
      }
      h.open = true;
      break;
    }
    case EvtType::kAccepted: {
      HostConn& h = conns_[e.conn] = HostConn{};
      auto it = listen_apps_.find(e.lport);
      if (it != listen_apps_.end()) {
        h.app = it->second.first;
        h.source_left = it->second.second;
      }
      dirty_.push_back(e.conn);
      break;
    }
    case EvtType::kConnected:
      dirty_.push_back(e.conn);
      break;
    case EvtType::kData:
      host(e.conn).rx_wr = e.value;
      dirty_.push_back(e.conn);
      break;
    case EvtType::kAcked: {
      HostConn& h = host(e.conn);
      h.tx_acked = e.value;
      h.retries = 0;
      if (h.retx_armed) {  // RFC 6298 5.3: new data acknowledged: restart the timer
        h.rto_cycles = ms_to_cycles(hcfg_.rto_initial_ms);
        h.retx_deadline = now + h.rto_cycles;
      }
      dirty_.push_back(e.conn);
      break;
    }
    case EvtType::kPeerClosed:
      host(e.conn).peer_closed = true;
      dirty_.push_back(e.conn);
      break;
    case EvtType::kClosed:
    case EvtType::kReset:
    case EvtType::kTimedOut: {
      auto it = conns_.find(e.conn);
      if (it != conns_.end()) {
        it->second.open = false;
        it->second.retx_armed = false;
        it->second.tw_armed = false;
      }
      break;
    }
    case EvtType::kRetxArm: {
      HostConn& h = host(e.conn);
      if (!h.retx_armed) {
        h.retx_armed = true;
        h.rto_cycles = ms_to_cycles(hcfg_.rto_initial_ms);
        h.retx_deadline = now + h.rto_cycles;
      }
      break;
    }
    case EvtType::kRetxDisarm:
      host(e.conn).retx_armed = false;
      host(e.conn).retries = 0;
      break;
    case EvtType::kPeerAlive:  // a zero-window probe answered: the peer lives (MUST-37)
      host(e.conn).retries = 0;
      break;
    case EvtType::kAckDelayed: {
      HostConn& h = host(e.conn);
      if (!h.dack_armed) {
        h.dack_armed = true;
        h.dack_deadline = now + ms_to_cycles(hcfg_.delayed_ack_ms);
      }
      break;
    }
    case EvtType::kTimeWaitEntered: {
      HostConn& h = host(e.conn);
      h.retx_armed = false;
      h.tw_armed = true;
      h.tw_deadline = now + 2 * ms_to_cycles(hcfg_.msl_ms);
      break;
    }
    default:
      break;
  }
}

void Harness::app_service(uint32_t conn) {
  auto it = conns_.find(conn);
  if (it == conns_.end()) return;
  HostConn& h = it->second;
  if (!h.open) return;
  const model::Tcb& t = engine_->tcb(conn);
  const bool can_send = t.state == TcpState::ESTABLISHED || t.state == TcpState::CLOSE_WAIT;
  if (h.rx_wr != h.rx_rd && h.app != App::kHold) {
    const std::vector<uint8_t> data = recv(conn);
    h.received_bytes += data.size();
    if (h.app != App::kDiscard) h.received.insert(h.received.end(), data.begin(), data.end());
    if (h.app == App::kEcho) h.echo_backlog.insert(h.echo_backlog.end(), data.begin(), data.end());
  }
  if (h.app == App::kEcho && can_send && !h.echo_backlog.empty()) {
    std::vector<uint8_t> chunk(h.echo_backlog.begin(),
                               h.echo_backlog.begin() + long(std::min(h.echo_backlog.size(), tx_space(conn))));
    const size_t n = send(conn, chunk.data(), chunk.size());
    h.echo_backlog.erase(h.echo_backlog.begin(), h.echo_backlog.begin() + long(n));
  }
  if (h.app == App::kSource && can_send && h.source_left > 0) {
    std::vector<uint8_t> chunk(std::min<uint64_t>(h.source_left, tx_space(conn)));
    for (size_t i = 0; i < chunk.size(); ++i) chunk[i] = source_byte(h.source_sent + i);
    const size_t n = send(conn, chunk.data(), chunk.size());
    h.source_sent += n;
    h.source_left -= n;
  }
  const bool done_sending = (h.app == App::kSource && h.source_left == 0) ||
                            ((h.app == App::kEcho || h.app == App::kDiscard) && h.peer_closed && h.echo_backlog.empty());
  if (done_sending && !h.close_sent && can_send) {
    h.close_sent = true;
    close(conn);
  }
}

void Harness::timers() {
  const uint64_t now = engine_->cycle();
  for (auto& [conn, h] : conns_) {
    if (h.dack_armed && now >= h.dack_deadline) {
      h.dack_armed = false;
      command({CmdOp::kSendAck, conn});
    }
    if (h.tw_armed && now >= h.tw_deadline) {
      h.tw_armed = false;
      command({CmdOp::kTimeWaitExpire, conn});
    }
    if (h.retx_armed && now >= h.retx_deadline) {
      if (h.retries >= hcfg_.max_retries) {
        h.retx_armed = false;
        command({CmdOp::kGiveUp, conn});
        continue;
      }
      ++h.retries;
      h.rto_cycles = std::min(h.rto_cycles * 2, ms_to_cycles(hcfg_.rto_max_ms));  // back off (TM1)
      h.retx_deadline = now + h.rto_cycles;
      command({CmdOp::kRetransmit, conn});
    }
  }
}

}  // namespace toe::sim
