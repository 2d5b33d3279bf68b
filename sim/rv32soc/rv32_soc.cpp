// SPDX-License-Identifier: Apache-2.0
// The RV32 SoC: a Verilated PicoRV32 and the Verilated toe_engine on one clock (rv32_soc.hpp).
#include "rv32_soc.hpp"

#include <verilated.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <utility>

#include "Vpicorv32.h"
#include "Vtoe_engine.h"
#include "stream_ports.hpp"
#include "toe_regs.h"
#include "top/engine.hpp"

namespace toe::rv32soc {

namespace {

std::string hex(uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%08x", v);
  return b;
}

}  // namespace

const char* to_string(RunState s) {
  switch (s) {
    case RunState::kRunning: return "running";
    case RunState::kExited: return "exited";
    case RunState::kError: return "error";
    case RunState::kCycleLimit: return "cycle limit";
  }
  return "?";
}

Rv32Soc::Rv32Soc(uint32_t cycles_per_us)
    : ctx_(std::make_unique<VerilatedContext>()),
      mem_(kMemSize, 0),
      cycles_per_us_(std::max(1u, cycles_per_us)),
      console_echo_(std::getenv("TOE_RV32SOC_CONSOLE") != nullptr) {
  ctx_->randReset(0);  // every register starts at 0 (PicoRV32's register file included)
  eng_ = std::make_unique<Vtoe_engine>(ctx_.get(), "toe_engine");
  core_ = std::make_unique<Vpicorv32>(ctx_.get(), "picorv32");
  // The engine: an asynchronous reset pulse, as engine_lockstep does.
  eng_->clk_i = 0;
  eng_->rst_ni = 1;
  eng_->eval();
  eng_->rst_ni = 0;
  eng_->eval();
  eng_->rst_ni = 1;
  eng_->eval();
  // The core: a synchronous reset, held (and clocked) until start().
  core_->clk = 0;
  core_->resetn = 0;
  core_->mem_ready = 0;
  core_->mem_rdata = 0;
  core_->pcpi_wr = 0;
  core_->pcpi_rd = 0;
  core_->pcpi_wait = 0;
  core_->pcpi_ready = 0;
  core_->irq = 0;
  core_->eval();
}

Rv32Soc::~Rv32Soc() {
  core_->final();
  eng_->final();
}

bool Rv32Soc::load_image(const std::vector<uint8_t>& image, std::string* error) {
  if (image.size() > kMemSize) {
    if (error) *error = "image of " + std::to_string(image.size()) + " bytes does not fit in " + std::to_string(kMemSize);
    return false;
  }
  std::fill(mem_.begin(), mem_.end(), 0);
  std::copy(image.begin(), image.end(), mem_.begin());
  return true;
}

bool Rv32Soc::load_image_file(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (error) *error = "cannot read " + path;
    return false;
  }
  const std::vector<uint8_t> image((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return load_image(image, error);
}

void Rv32Soc::set_cycles_per_us(uint32_t n) { cycles_per_us_ = std::max(1u, n); }
void Rv32Soc::set_us_per_cycle(uint32_t n) { us_per_cycle_ = std::max(1u, n); }

void Rv32Soc::start() {
  // PicoRV32 resets synchronously: make sure it has seen a few clocks with resetn low.
  while (counters_.cycles < 4) tick();
  started_ = true;
}

bool Rv32Soc::fw_intr() const { return eng_->fw_intr_o; }

uint32_t Rv32Soc::peek32(uint32_t addr) const {
  if (addr > kMemSize - 4) return 0;
  return uint32_t(mem_[addr]) | uint32_t(mem_[addr + 1]) << 8 | uint32_t(mem_[addr + 2]) << 16 |
         uint32_t(mem_[addr + 3]) << 24;
}

void Rv32Soc::poke32(uint32_t addr, uint32_t value) {
  if (addr > kMemSize - 4) return;
  for (uint32_t i = 0; i < 4; ++i) mem_[addr + i] = uint8_t(value >> (8 * i));
}

void Rv32Soc::push_rx_frame(std::vector<uint8_t> frame) {
  if (!frame.empty()) rx_queue_.push_back(std::move(frame));
}

void Rv32Soc::stop(RunState s, const std::string& why) {
  if (state_ != RunState::kRunning) return;
  state_ = s;
  if (s != RunState::kExited) {
    std::ostringstream o;
    // PicoRV32 may fetch the next instruction before a load or store completes: the faulting
    // instruction is one of the last two fetched.
    o << why << " (cycle " << counters_.cycles << ", last instruction fetches " << hex(prev_fetch_) << ", "
      << hex(last_fetch_) << ")";
    error_ = o.str();
    std::fprintf(stderr, "rv32soc: stopped: %s\n", error_.c_str());
  }
}

uint32_t Rv32Soc::soc_reg_read(uint32_t off) {
  const uint64_t us = now_us();
  switch (off) {
    case kRegTimeLo:
      time_hi_ = uint32_t(us >> 32);
      return uint32_t(us);
    case kRegTimeHi: return time_hi_;
    case kRegBusErr: {
      const uint32_t v = bus_err_;
      bus_err_ = 0;
      return v;
    }
    case kRegIntr: return eng_->fw_intr_o ? 1u : 0u;
    case kRegSeed: {  // splitmix64 (Steele, Lea, Flood 2014)
      uint64_t z = (seed_state_ += 0x9e3779b97f4a7c15ull);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
      return uint32_t((z ^ (z >> 31)) >> 32);
    }
    case kRegConsole:
    case kRegExit: return 0;
    default: break;
  }
  stop(RunState::kError, "read of an unmapped SoC register " + hex(kRegsBase + off));
  return 0;
}

void Rv32Soc::soc_reg_write(uint32_t off, uint32_t value) {
  switch (off) {
    case kRegConsole: {
      const char c = char(value & 0xFF);
      console_.push_back(c);
      if (console_echo_) std::fputc(c, stderr);
      return;
    }
    case kRegExit:
      exit_code_ = int(value);
      stop(RunState::kExited, "");
      return;
    case kRegTimeLo:
    case kRegTimeHi:
    case kRegBusErr:
    case kRegIntr:
    case kRegSeed:
      stop(RunState::kError, "write to the read-only SoC register " + hex(kRegsBase + off));
      return;
    default: break;
  }
  stop(RunState::kError, "write to an unmapped SoC register " + hex(kRegsBase + off));
}

void Rv32Soc::serve_core(bool* ready, uint32_t* rdata) {
  const Vpicorv32& c = *core_;
  if (!c.mem_valid) return;
  const uint32_t addr = c.mem_addr;
  const uint8_t wstrb = c.mem_wstrb;
  const bool instr = c.mem_instr, write = wstrb != 0;
  const char* what = instr ? "instruction fetch" : write ? "store" : "load";
  if (instr && addr >= kMemSize) {
    stop(RunState::kError, std::string(what) + " from " + hex(addr) + ", outside memory");
    return;
  }
  if (addr < kMemSize) {  // flash and RAM, zero wait states
    if (write) {
      if (addr < kRamBase) {
        stop(RunState::kError, "store to flash at " + hex(addr));
        return;
      }
      for (uint32_t i = 0; i < 4; ++i)
        if ((wstrb >> i) & 1u) mem_[addr + i] = uint8_t(c.mem_wdata >> (8 * i));
      ++counters_.stores;
    } else {
      *rdata = peek32(addr & ~3u);
      if (instr) {
        ++counters_.fetches;
        prev_fetch_ = last_fetch_;
        last_fetch_ = addr;
      } else {
        ++counters_.loads;
      }
    }
    *ready = true;
    return;
  }
  if (addr - kPortBase < kPortSize) {  // the engine's firmware port
    if (port_phase_ == Phase::kIdle) {
      fw_req_ = true;
      fw_we_ = write;
      fw_addr_ = addr - kPortBase;
      fw_wdata_ = c.mem_wdata;
      fw_be_ = write ? wstrb : uint8_t(0xF);
      port_phase_ = Phase::kRequest;
    } else if (port_phase_ == Phase::kWait && eng_->fw_valid_o) {
      *ready = true;
      *rdata = eng_->fw_rdata_o;
      if (eng_->fw_err_o) {
        ++bus_err_;
        ++counters_.port_errors;
      }
      ++(write ? counters_.port_writes : counters_.port_reads);
      ++(write ? counters_.stores : counters_.loads);
      port_phase_ = Phase::kIdle;
    }
    return;
  }
  if (addr - kRegsBase <= kRegSeed) {  // the SoC registers (TIME_LO .. SEED)
    const uint32_t off = addr - kRegsBase;
    if (write) {
      if (wstrb != 0xF) {
        stop(RunState::kError, "store with byte enables " + hex(wstrb) + " to the SoC register " + hex(addr) +
                                   " (32-bit stores only)");
        return;
      }
      soc_reg_write(off, c.mem_wdata);
      ++counters_.stores;
    } else {
      *rdata = soc_reg_read(off);
      ++counters_.loads;
    }
    *ready = true;
    return;
  }
  stop(RunState::kError, std::string(what) + " at the unmapped address " + hex(addr));
}

void Rv32Soc::tick() {
  Vtoe_engine& e = *eng_;
  Vpicorv32& c = *core_;
  // Every output is a register (the engine is Moore, as is PicoRV32's memory interface): the
  // inputs of this clock follow from the outputs after the last edge.
  bool mem_ready = false;
  uint32_t mem_rdata = 0;
  const bool active = core_active();
  if (active) serve_core(&mem_ready, &mem_rdata);
  if (!core_active()) mem_ready = false;  // stopped by this very access: the core does not finish it
  // The host port's access.
  if (host_.phase == Phase::kWait && e.reg_valid_o) {
    host_.rdata = e.reg_rdata_o;
    host_.err = e.reg_err_o;
    host_.phase = Phase::kIdle;
  }
  // The streams.
  model::EngineIn in;
  in.tx_tready = true;
  in.evt_ready = true;
  if (!rx_queue_.empty()) {
    const std::vector<uint8_t>& f = rx_queue_.front();
    const size_t n = std::min<size_t>(kDataBytes, f.size() - rx_pos_);
    in.rx.tvalid = true;
    for (size_t i = 0; i < n; ++i) in.rx.tdata[i] = f[rx_pos_ + i];
    in.rx.tkeep = (1ull << n) - 1;
    in.rx.tlast = rx_pos_ + n == f.size();
  }
  toe::rtl::drive_streams(e, in, kDataBytes);
  e.fw_req_i = fw_req_ && port_phase_ == Phase::kRequest;
  e.fw_we_i = fw_we_;
  e.fw_addr_i = static_cast<uint16_t>(fw_addr_);
  e.fw_wdata_i = fw_wdata_;
  e.fw_be_i = fw_be_;
  e.reg_req_i = host_.phase == Phase::kRequest;
  e.reg_we_i = host_.we;
  e.reg_addr_i = static_cast<uint16_t>(host_.addr);
  e.reg_wdata_i = host_.wdata;
  e.reg_be_i = host_.be;
  c.resetn = started_ ? 1 : 0;
  c.mem_ready = mem_ready;
  c.mem_rdata = mem_rdata;

  // The low half of the clock: what is taken at the edge.
  e.clk_i = 0;
  e.eval();
  const bool clock_core = active || !started_;
  if (clock_core) {
    c.clk = 0;
    c.eval();
  }
  const bool fw_taken = e.fw_req_i && e.fw_ready_o;
  const bool reg_taken = e.reg_req_i && e.reg_ready_o;
  const bool rx_taken = in.rx.tvalid && e.s_axis_rx_tready_o;
  model::EngineOut out;
  toe::rtl::read_streams(e, out, kDataBytes);

  // The edge.
  e.clk_i = 1;
  e.eval();
  if (clock_core) {
    c.clk = 1;
    c.eval();
  }
  ++counters_.cycles;
  if (active) ++counters_.core_cycles;

  if (fw_taken) {
    port_phase_ = Phase::kWait;
    fw_req_ = false;
  }
  if (reg_taken) host_.phase = Phase::kWait;
  if (rx_taken) {
    rx_pos_ += kDataBytes;
    if (in.rx.tlast) {
      rx_queue_.pop_front();
      rx_pos_ = 0;
      ++counters_.rx_frames;
    }
  }
  if (out.tx.tvalid) {  // tready is always 1
    for (uint32_t i = 0; i < kDataBytes; ++i)
      if ((out.tx.tkeep >> i) & 1u) tx_cur_.push_back(out.tx.tdata[i]);
    if (out.tx.tlast) {
      tx_frames_.push_back({std::move(tx_cur_), counters_.cycles});
      tx_cur_.clear();
      ++counters_.tx_frames;
    }
  }
  if (out.evt_valid) {  // evt_ready is always 1
    StreamEvent ev;
    ev.type = uint8_t(out.evt.type);
    ev.state = uint8_t(out.evt.state);
    ev.conn = out.evt.conn;
    ev.value = out.evt.value;
    ev.lport = out.evt.lport;
    ev.cycle = counters_.cycles;
    stream_events_.push_back(ev);
  }
  if (active && c.trap) stop(RunState::kError, "the core trapped (illegal instruction, misaligned access, ecall or ebreak)");
}

RunState Rv32Soc::step(uint64_t n) {
  for (uint64_t i = 0; i < n && running(); ++i) {
    if (cycle_limit_ != 0 && counters_.cycles >= cycle_limit_) {
      stop(RunState::kCycleLimit, "cycle limit " + std::to_string(cycle_limit_) + " reached");
      break;
    }
    tick();
  }
  return state_;
}

bool Rv32Soc::run_until(const std::function<bool()>& pred, uint64_t max_cycles) {
  for (uint64_t i = 0; i < max_cycles; ++i) {
    if (pred()) return true;
    if (step(1) != RunState::kRunning) return pred();
  }
  return pred();
}

RunState Rv32Soc::run_until_us(uint64_t us) {
  const uint64_t until = (us * cycles_per_us_ + us_per_cycle_ - 1) / us_per_cycle_;
  while (running() && counters_.cycles < until) step(std::min<uint64_t>(until - counters_.cycles, 4096));
  return state_;
}

uint32_t Rv32Soc::host_access(bool we, uint32_t addr, uint32_t wdata, uint8_t be, bool* err) {
  host_ = HostAccess{};
  host_.phase = Phase::kRequest;
  host_.we = we;
  host_.addr = addr;
  host_.wdata = wdata;
  host_.be = be;
  ++counters_.host_accesses;
  // The answer comes within a few clocks (5 for a buffer window; reg_ready_o is low only while one
  // is being walked or in a SOFT_RESET clock). The core runs meanwhile unless the run has stopped.
  for (int i = 0; host_.phase != Phase::kIdle; ++i) {
    if (i > 64) {
      stop(RunState::kError, "the host port did not answer an access to " + hex(addr));
      host_.phase = Phase::kIdle;
      if (err) *err = true;
      return 0;
    }
    if (running() && cycle_limit_ != 0 && counters_.cycles >= cycle_limit_)
      stop(RunState::kCycleLimit, "cycle limit " + std::to_string(cycle_limit_) + " reached");
    tick();
  }
  if (err) *err = host_.err;
  return host_.rdata;
}

uint32_t Rv32Soc::host_read(uint32_t addr, bool* err) { return host_access(false, addr, 0, 0xF, err); }

bool Rv32Soc::host_write(uint32_t addr, uint32_t data, uint8_t be) {
  bool err = false;
  host_access(true, addr, data, be, &err);
  return !err;
}

void Rv32Soc::program_engine(const model::EngineConfig& c) {
  const auto& m = c.local_mac.b;
  host_write(TOE_REG_MAC_ADDR_LO_OFFSET, uint32_t(m[2]) << 24 | uint32_t(m[3]) << 16 | uint32_t(m[4]) << 8 | m[5]);
  host_write(TOE_REG_MAC_ADDR_HI_OFFSET, uint32_t(m[0]) << 8 | m[1]);
  host_write(TOE_REG_IPV4_ADDR_OFFSET, c.local_ip);
  host_write(TOE_REG_MSS_OFFSET, c.mss);
  host_write(TOE_REG_MSS_FLOOR_OFFSET, c.mss_floor);
  host_write(TOE_REG_RCV_WSCALE_OFFSET, c.rcv_wscale);
  host_write(TOE_REG_FIXED_ISN_OFFSET, c.fixed_isn);
  for (uint32_t i = 0; i < 4; ++i) host_write(TOE_REG_ISN_SECRET_0_OFFSET + 4 * i, c.isn_secret[i]);
  host_write(TOE_REG_CLOCK_MHZ_OFFSET, c.clock_mhz);
  host_write(TOE_REG_ACK_EVERY_OFFSET, c.ack_every);
  host_write(TOE_REG_CHAL_CONN_CYCLES_OFFSET, c.chal_conn_cycles);
  host_write(TOE_REG_CHAL_GLOBAL_BURST_OFFSET, c.chal_global_burst);
  host_write(TOE_REG_CHAL_GLOBAL_CYCLES_OFFSET, c.chal_global_cycles);
  host_write(TOE_REG_MAX_HALF_OPEN_OFFSET, c.max_half_open);
}

}  // namespace toe::rv32soc
