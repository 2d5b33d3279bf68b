// SPDX-License-Identifier: Apache-2.0
// toe::sim::Harness: drives the engine (the C++ model or the Verilated RTL,
// whichever HarnessConfig::engine names: see engine_factory.hpp) cycle by cycle:
// frames in and out of the AXI streams (with optional idle cycles and
// backpressure), commands in, events out, and a host model for the socket-like
// side (send/recv/close, and the --app behaviours echo|discard|source).
// It also plays the slow path's timers (retransmission, TIME_WAIT) until the
// firmware runs in the simulation.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "top/top.hpp"
#include "top/engine_api.hpp"
#include "engine_factory.hpp"

namespace toe::sim {

using model::Cmd;
using model::CmdOp;
using model::EngineApi;
using model::EngineConfig;
using model::Event;
using model::EvtType;

// kNone: the host reads everything delivered and keeps it; kHold: the host
// never reads (the receive window only closes); kEcho/kDiscard/kSource: --app.
enum class App { kNone, kHold, kEcho, kDiscard, kSource };

struct HarnessConfig {
  // Stream stimulus: probability of an idle cycle on the rx input and of
  // tready low on the tx output (0 = none), from a seeded generator.
  double rx_idle = 0.0, tx_backpressure = 0.0;
  uint64_t seed = 1;
  // Slow-path timers played by the harness (the firmware's policy, RFC 6298):
  bool timers = true;
  uint64_t rto_initial_ms = 1000, rto_max_ms = 60000;
  uint32_t max_retries = 8;    // SYN/SYN-ACK/data retransmissions before giving up (HS9)
  uint64_t msl_ms = 60000;     // TW1: TIME_WAIT lasts 2*MSL
  uint64_t delayed_ack_ms = 40;  // TM3: ACK owed (ack_every > 1) sent after at most this
  // Which implementation runs: TOE_ENGINE (model when unset), so the environment
  // switches every harness-based test; toe_sim sets it from --engine.
  EngineKind engine = engine_kind_from_env();
  // Idle skipping (run, run_to, skip_idle_until): spans in which nothing is queued, nothing is
  // in flight and no timer is due are applied at once (EngineApi::skip_idle), with the same
  // result as clocking through them. Off: every clock evaluated (the equivalence tests compare).
  bool idle_skip = true;
};

struct StateChange {
  uint64_t cycle;
  uint32_t conn;
  TcpState from, to;
};

struct FrameRecord {
  uint64_t cycle;  // cycle of the last beat
  bool out;        // sent by the engine (true) or injected (false)
  std::vector<uint8_t> data;
};

class Harness {
 public:
  // Makes the engine with make_engine(hcfg.engine, ecfg) (throws what it throws).
  explicit Harness(const EngineConfig& ecfg, const HarnessConfig& hcfg = {});
  // Drives an engine made elsewhere (hcfg.engine is then not used).
  explicit Harness(std::unique_ptr<EngineApi> engine, const HarnessConfig& hcfg = {});
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;
  EngineApi& engine() { return *engine_; }
  const EngineApi& engine() const { return *engine_; }

  // ---- time
  void step();                          // one clock
  void run(uint64_t cycles) { run_to(cycle() + cycles); }
  void run_to(uint64_t target);         // until cycle() == target, idle spans skipped
  // If idle skipping is on and nothing can happen before `target` but the passing of time (no
  // frame or command queued or being sent, no event, no host work, the engine quiescent, no
  // on_cycle hook, no random idle/backpressure stimulus), moves to the earlier of `target` and
  // the clock before the next due timer check at once; returns whether it moved.
  bool skip_idle_until(uint64_t target);
  uint64_t skipped_cycles() const { return skipped_; }
  void run_ms(double ms) { run(static_cast<uint64_t>(ms * 1000.0 * engine_->config().clock_mhz)); }
  // Runs until nothing is queued or in flight, at most max_cycles; returns false on timeout.
  bool run_until_idle(uint64_t max_cycles = 1000000);
  uint64_t cycle() const { return engine_->cycle(); }
  uint64_t now_ns() const { return cycle() * 1000 / engine_->config().clock_mhz; }

  // ---- wire side
  void inject(const std::vector<uint8_t>& frame, bool mac_error = false);
  size_t rx_pending() const { return rx_q_.size(); }
  std::vector<std::vector<uint8_t>> take_output();  // frames sent since the last call
  const std::vector<FrameRecord>& wire_log() const { return wire_log_; }
  void set_wire_log(bool on) { log_wire_ = on; }
  // Called for every frame the engine completes (e.g. to forward to a peer).
  std::function<void(const std::vector<uint8_t>&)> on_tx_frame;
  // Called once per clock with the engine's input and output ports of that
  // cycle, before the edge (VCD writers, lockstep comparison).
  std::function<void(uint64_t cycle, const model::EngineIn&, const model::EngineOut&)> on_cycle;

  // ---- host side
  void command(const Cmd& c) { cmd_q_.push_back(c); }
  void listen(uint16_t port, App app = App::kNone, uint64_t source_bytes = 0);
  // Active open; returns a tag. conn_of_tag() gives the connection once opened.
  uint32_t connect(uint32_t ip, uint16_t port, uint16_t lport, const net::MacAddr& mac, App app = App::kNone,
                   uint64_t source_bytes = 0);
  uint32_t conn_of_tag(uint32_t tag) const;
  size_t send(uint32_t conn, const uint8_t* data, size_t len);  // queue what fits
  size_t send(uint32_t conn, const std::string& s) { return send(conn, reinterpret_cast<const uint8_t*>(s.data()), s.size()); }
  std::vector<uint8_t> recv(uint32_t conn);  // everything delivered so far (consumed)
  void close(uint32_t conn) { command({CmdOp::kClose, conn}); }
  void abort(uint32_t conn) { command({CmdOp::kAbort, conn}); }
  size_t tx_space(uint32_t conn) const;

  const std::vector<Event>& events() const { return events_; }
  bool saw(EvtType t, uint32_t conn = model::kNoConn) const;
  std::vector<uint32_t> accepted() const;   // conns reported as accepted, in order
  const std::vector<StateChange>& state_log() const { return state_log_; }
  std::vector<TcpState> states_of(uint32_t conn) const;  // every state this conn went through
  uint64_t bytes_received(uint32_t conn) const;
  const std::vector<uint8_t>& received(uint32_t conn) const;  // kept by echo/discard/none apps

 private:
  struct HostConn {
    App app = App::kNone;
    uint64_t source_left = 0;
    uint32_t tx_wr = 0, tx_acked = 0, rx_rd = 0, rx_wr = 0;
    bool peer_closed = false, close_sent = false, open = true;
    std::deque<uint8_t> echo_backlog;
    std::vector<uint8_t> received;
    uint64_t received_bytes = 0;
    uint64_t source_sent = 0;
    // slow path
    bool retx_armed = false;
    uint64_t retx_deadline = 0, rto_cycles = 0;
    uint32_t retries = 0;
    bool tw_armed = false;
    uint64_t tw_deadline = 0;
    bool dack_armed = false;
    uint64_t dack_deadline = 0;
    uint32_t una_at_arm = 0;
  };
  void handle_event(const Event& e);
  void app_service(uint32_t conn);
  void timers();
  HostConn& host(uint32_t conn);
  uint64_t ms_to_cycles(uint64_t ms) const { return ms * 1000 * engine_->config().clock_mhz; }

  HarnessConfig hcfg_;
  std::unique_ptr<EngineApi> engine_;
  std::mt19937_64 rng_;
  std::bernoulli_distribution rx_idle_, tx_bp_;
  struct RxFrame {
    std::vector<uint8_t> data;
    bool mac_error;
  };
  std::deque<RxFrame> rx_q_;
  size_t rx_pos_ = 0;
  std::vector<uint8_t> tx_cur_;
  std::vector<std::vector<uint8_t>> tx_out_;
  std::vector<FrameRecord> wire_log_;
  bool log_wire_ = true;
  std::deque<Cmd> cmd_q_;
  std::vector<Event> events_;
  std::vector<StateChange> state_log_;
  std::map<uint32_t, HostConn> conns_;
  std::map<uint16_t, std::pair<App, uint64_t>> listen_apps_;
  std::map<uint32_t, std::pair<App, uint64_t>> tag_apps_;
  std::map<uint32_t, uint32_t> tag_conn_;
  uint32_t next_tag_ = 1;
  std::vector<TcpState> last_state_;
  std::vector<uint32_t> dirty_;
  uint64_t skipped_ = 0;
};

// The --app byte pattern of "source": byte i of the stream is (i*7+3) & 0xff.
inline uint8_t source_byte(uint64_t i) { return static_cast<uint8_t>((i * 7 + 3) & 0xff); }

}  // namespace toe::sim
