// SPDX-License-Identifier: Apache-2.0
// RtlEngine<V>: one Verilated toe_top (class V) as a toe::model::EngineApi.
// Included by the per-build sources generated in sim/rtl_engine/CMakeLists.txt.
//
// clock(in): the inputs are driven with clk low and settled, then the rising
// edge is evaluated; outputs() are the registered outputs after the edge (the
// model's out_q_). The debug views (tcb, buffers) read the RTL's memories
// through Verilator-public variables, found by name in the model's scope table
// (toe_top's own debug port, dbg_conn_next_i/dbg_tcb_o, is a registered read):
// the TCB through toe_tcb_ram's simulation backdoor (toe_top.u_tables.u_tcb.peek_conn,
// peek_tcb: written, evaluated, read without a clock edge), and the transmit and receive
// buffers' DataBytes banks toe_top.u_tables.gen_txb[k].mem and toe_top.u_rx_copy.gen_rxb[k].mem
// (buffer byte a in bank a mod DataBytes at a / DataBytes).
#pragma once

#include <verilated.h>
#include <verilated_syms.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bitfields.hpp"
#include "idle_taps.hpp"
#include "toe_defs.hpp"
#include "top/top.hpp"
#include "top/engine_api.hpp"
#include "stream_ports.hpp"

namespace toe::rtl {

template <class V>
class RtlEngine final : public model::EngineApi {
 public:
  explicit RtlEngine(const model::EngineConfig& cfg)
      : cfg_(cfg), ctx_(std::make_unique<VerilatedContext>()) {
    ctx_->randReset(0);
    // Verilator 5.006 files a model's scopes (its public variables) under the thread's current
    // context, not the model's, and erases them from it on destruction: with several engines in
    // a process each must be current while it is built and destroyed (RtlDeviceEngine does the same).
    Verilated::threadContextp(ctx_.get());
    v_ = std::make_unique<V>(ctx_.get(), kModelName);
    peek_conn_ = static_cast<uint32_t*>(public_var("toe_top.u_tables.u_tcb", "peek_conn", VLVT_UINT32, 32));
    peek_tcb_ = static_cast<const uint32_t*>(public_var("toe_top.u_tables.u_tcb", "peek_tcb", VLVT_WDATA, kTcbW));
    for (uint32_t k = 0; k < cfg_.data_bytes; ++k) {
      rx_banks_.push_back(public_array("toe_top.u_rx_copy.gen_rxb[" + std::to_string(k) + "]", "mem"));
      tx_banks_.push_back(public_array("toe_top.u_tables.gen_txb[" + std::to_string(k) + "]", "mem"));
    }
    idle_.bind(*ctx_, std::string(kModelName) + ".toe_top");
    reset();
  }
  ~RtlEngine() override {
    v_->final();
    Verilated::threadContextp(ctx_.get());  // see the constructor
    v_.reset();
    Verilated::threadContextp(nullptr);
  }

  const model::EngineOut& outputs() const override { return out_; }

  void clock(const model::EngineIn& in) override {
    drive_cfg();
    drive_streams(*v_, in, cfg_.data_bytes);
    v_->clk_i = 0;
    v_->eval();
    v_->clk_i = 1;
    v_->eval();
    ctx_->timeInc(1);
    read_outputs();
    trace();
  }

  void reset() override {
    drive_cfg();
    v_->host_tx_we_i = 0;  // the host windows use the buffers' public arrays (host_read_rx/host_write_tx)
    v_->host_tx_addr_i = 0;
    v_->host_tx_wdata_i = 0;
    v_->host_rx_addr_i = 0;
    v_->clk_i = 0;
    v_->rst_ni = 1;  // a falling edge: the reset is asynchronous
    v_->eval();
    v_->rst_ni = 0;
    v_->eval();
    v_->rst_ni = 1;
    v_->eval();
    read_outputs();
  }

  uint64_t cycle() const override { return v_->cycle_o; }
  const model::EngineConfig& config() const override { return cfg_; }
  model::EngineConfig& registers() override { return cfg_; }
  uint64_t counter(model::Counter c) const override {
    constexpr size_t kWords = 2 * defs::kCounterCount;  // cnt_o: 64 bits per counter (toe_defs.toml)
    uint32_t words[kWords + 2] = {};
    port_to_words(v_->cnt_o, words, kWords);
    return get_field(words, 64 * unsigned(c), 64);
  }

  const model::Tcb& tcb(uint32_t conn) const override {
    if (conn >= cfg_.sessions) throw std::out_of_range("RtlEngine::tcb: no connection " + std::to_string(conn));
    *peek_conn_ = conn;
    v_->eval();  // combinational read: no clock edge
    uint32_t words[(kTcbW + 31) / 32] = {};
    std::memcpy(words, peek_tcb_, sizeof words);
    tcb_cache_ = unpack_tcb(words);
    return tcb_cache_;
  }
  uint32_t sessions() const override { return cfg_.sessions; }
  uint32_t active_sessions() const override { return v_->active_sessions_o; }
  uint32_t half_open() const override { return v_->half_open_o; }
  bool tx_building() const override { return v_->tx_building_o; }
  bool busy() const override { return v_->busy_o; }
  bool initialising() const override { return v_->initialising_o; }

  void host_read_rx(uint32_t conn, uint32_t offset, uint8_t* dst, uint32_t n) const override {
    if (conn >= cfg_.sessions) throw std::out_of_range("host_read_rx: no connection " + std::to_string(conn));
    const uint32_t lanes = cfg_.data_bytes;  // a power of two
    for (uint32_t i = 0; i < n; ++i) {
      const size_t a = size_t(conn) * cfg_.rx_buf_bytes + ((offset + i) & (cfg_.rx_buf_bytes - 1));
      dst[i] = rx_banks_[a & (lanes - 1)][a / lanes];
    }
  }
  void host_write_tx(uint32_t conn, uint32_t offset, const uint8_t* src, uint32_t n) override {
    if (conn >= cfg_.sessions) throw std::out_of_range("host_write_tx: no connection " + std::to_string(conn));
    const uint32_t lanes = cfg_.data_bytes;
    for (uint32_t i = 0; i < n; ++i) {
      const size_t a = size_t(conn) * cfg_.tx_buf_bytes + ((offset + i) & (cfg_.tx_buf_bytes - 1));
      tx_banks_[a & (lanes - 1)][a / lanes] = src[i];
    }
  }
  uint32_t rx_buf_bytes() const override { return cfg_.rx_buf_bytes; }
  uint32_t tx_buf_bytes() const override { return cfg_.tx_buf_bytes; }
  const char* kind() const override { return "rtl"; }

  // Idle skipping: Engine::quiescent's terms on the RTL's flops, and toe_tables' time registers
  // advanced as n idle clocks would leave them (idle_taps.hpp), then the logic re-evaluated.
  bool can_skip() const override { return idle_.quiescent(); }
  void skip_idle(uint64_t n) override {
    if (!can_skip()) throw std::logic_error("RtlEngine::skip_idle: the engine is not quiescent");
    idle_.advance(n, cfg_.clock_mhz, cfg_.chal_global_burst, cfg_.chal_global_cycles);
    v_->eval();
    read_outputs();
  }

  V& top() { return *v_; }

 private:
  static constexpr const char* kModelName = "toe_top";  // the Verilated model's name: the scopes' prefix

  // The storage of a Verilator-public byte array (scope below the model's name).
  uint8_t* public_array(const std::string& scope, const char* var) const {
    const VerilatedScope* s = ctx_->scopeFind((std::string(kModelName) + "." + scope).c_str());
    const VerilatedVar* v = s ? s->varFind(var) : nullptr;
    if (!v || v->vltype() != VLVT_UINT8)
      throw std::logic_error("RtlEngine: no Verilator-public byte array " + scope + "." + var);
    return static_cast<uint8_t*>(v->datap());
  }

  // The storage of a Verilator-public variable of `bits` bits and type `type` (VLVT_UINT32, or
  // VLVT_WDATA: 32-bit words, least significant first).
  void* public_var(const std::string& scope, const char* var, int type, int bits) const {
    const VerilatedScope* s = ctx_->scopeFind((std::string(kModelName) + "." + scope).c_str());
    const VerilatedVar* v = s ? s->varFind(var) : nullptr;
    if (!v || v->vltype() != type || v->dims() != 1 || v->packed().elements() != bits)
      throw std::logic_error("RtlEngine: no Verilator-public " + std::to_string(bits) + "-bit variable " + scope +
                             "." + var + " (toe_tcb_ram.sv, under `ifdef VERILATOR)");
    return v->datap();
  }

  void drive_cfg() {
    v_->cfg_local_mac_i = mac_u64(cfg_.local_mac);
    v_->cfg_local_ip_i = cfg_.local_ip;
    v_->cfg_mss_i = cfg_.mss;
    v_->cfg_mss_floor_i = cfg_.mss_floor;
    v_->cfg_rcv_wscale_i = cfg_.rcv_wscale;
    v_->cfg_fixed_isn_en_i = cfg_.fixed_isn_en;
    v_->cfg_fixed_isn_i = cfg_.fixed_isn;
    for (int i = 0; i < 4; ++i) v_->cfg_isn_secret_i[i] = cfg_.isn_secret[i];
    v_->cfg_clock_mhz_i = cfg_.clock_mhz;
    v_->cfg_ack_every_i = cfg_.ack_every;
    v_->cfg_chal_conn_cycles_i = cfg_.chal_conn_cycles;
    v_->cfg_chal_global_burst_i = cfg_.chal_global_burst;
    v_->cfg_chal_global_cycles_i = cfg_.chal_global_cycles;
    v_->cfg_max_half_open_i = cfg_.max_half_open;
  }

  void read_outputs() { read_streams(*v_, out_, cfg_.data_bytes); }

  void trace() {
    if (!on_state_change || !v_->trace_valid_o) return;
    uint32_t conn[3];
    port_to_words(v_->trace_conn_o, conn, 3);
    const uint64_t cyc = cycle() - 1;  // the clock that made the change
    for (unsigned i = 0; i < 3; ++i) {
      if (!((v_->trace_valid_o >> i) & 1u)) continue;
      on_state_change(cyc, conn[i], static_cast<TcpState>((v_->trace_from_o >> (4 * i)) & 0xF),
                      static_cast<TcpState>((v_->trace_to_o >> (4 * i)) & 0xF));
    }
  }

  model::EngineConfig cfg_;
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<V> v_;
  uint32_t* peek_conn_ = nullptr;        // toe_tcb_ram.peek_conn
  const uint32_t* peek_tcb_ = nullptr;   // toe_tcb_ram.peek_tcb (kTcbW bits)
  std::vector<uint8_t*> rx_banks_;
  std::vector<uint8_t*> tx_banks_;  // toe_top.u_tables.gen_txb[k].mem, as rx_banks_
  model::EngineOut out_;
  mutable model::Tcb tcb_cache_;
  CoreIdleTaps idle_;
};

}  // namespace toe::rtl
