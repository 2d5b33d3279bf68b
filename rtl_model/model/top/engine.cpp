// SPDX-License-Identifier: Apache-2.0
// EngineDevice (toe_engine): Engine behind the generated register block (see engine.hpp).
#include "top/engine.hpp"

#include <array>
#include <string>

namespace toe::model {

namespace {

using regmap::kRegs;

// Bits of a register that a flop holds (rw, w1c, rc fields); the others read the core or a
// constant.
constexpr uint32_t stored_mask(const regmap::Reg& r) { return r.write_mask | r.w1c_mask | r.rc_mask; }

// The value of the build parameter called `name` (toe_defs.toml's SV name, e.g. "Sessions").
uint32_t param_value(const params::Values& p, const char* name) {
  for (const params::Param& d : params::kParams) {
    if (std::string_view(name) == d.name) return p.*d.member;
  }
  throw std::logic_error(std::string("RegBlock: no build parameter ") + name);
}

uint32_t put(const regmap::Field& f, uint32_t v) { return (v << f.lsb) & f.mask(); }
uint32_t get(const regmap::Field& f, uint32_t reg) { return (reg & f.mask()) >> f.lsb; }

}  // namespace

// ---- RegBlock (toe_reg_top) --------------------------------------------------------
RegBlock::RegBlock(const params::Values& p) : params_(p) {
  for (const regmap::Reg& r : kRegs) {
    if (r.rc_mask != 0 && r.source != regmap::Source::kBusError) {
      throw std::logic_error(std::string("RegBlock: rc register loaded by the core: ") + r.name);
    }
    if (r.source == regmap::Source::kConst && r.reset_param) param_value(p, r.reset_param);
  }
  reset();
}

void RegBlock::reset() {
  for (size_t i = 0; i < regmap::kRegCount; ++i) q_[i] = kRegs[i].reset & stored_mask(kRegs[i]);
  q_d_ = q_;
  valid_q_ = err_q_ = valid_d_ = err_d_ = false;
  rdata_q_ = rdata_d_ = 0;
}

uint32_t RegBlock::read_value(size_t i, const Hw& hw) const {
  const regmap::Reg& r = kRegs[i];
  if (r.source == regmap::Source::kConst) {
    const uint32_t v = r.reset_param ? param_value(params_, r.reset_param) : r.reset;
    return v & r.read_mask;
  }
  const uint32_t keep = stored_mask(r);
  return ((q_[i] & keep) | (hw.value[i] & ~keep)) & r.read_mask;
}

void RegBlock::eval(bool req, bool we, uint32_t addr, uint32_t wdata, const Hw& hw) {
  addr &= (1u << regmap::kAddrWidth) - 1u;
  const regmap::Reg* hit = regmap::find(addr);  // nullptr for a hole or a misaligned offset
  const size_t hit_i = hit ? size_t(hit - kRegs) : regmap::kRegCount;
  const bool misaligned = (addr & 3u) != 0;
  const bool unmapped = hit == nullptr;
  const bool write_read_only = we && (unmapped || !hit->sw_writable());
  const bool bus_err = req && (misaligned || unmapped || write_read_only);
  regmap::LastErrorCode code = regmap::LastErrorCode::kReadOnly;
  if (misaligned) {
    code = regmap::LastErrorCode::kMisaligned;
  } else if (unmapped) {
    code = regmap::LastErrorCode::kUnmapped;
  }

  for (size_t i = 0; i < regmap::kRegCount; ++i) {
    const regmap::Reg& r = kRegs[i];
    const bool selected = req && i == hit_i;
    uint32_t d = q_[i] & ~r.self_clear_mask;  // a self-clearing bit is 1 for one cycle only
    if (selected && we) {
      d = (d & ~r.write_mask) | (wdata & r.write_mask);
      d &= ~(wdata & r.w1c_mask);
    }
    d |= hw.set[i] & r.w1c_mask;  // a set wins over a clear
    if (r.source == regmap::Source::kBusError) {
      if (bus_err) {
        d = (d & ~r.rc_mask) | ((put(field(i, "CODE"), uint32_t(code)) | put(field(i, "ADDR"), addr)) & r.rc_mask);
      } else if (selected && !we) {
        d &= ~r.rc_mask;  // cleared by the read
      }
    }
    q_d_[i] = d;
  }

  valid_d_ = req;
  err_d_ = bus_err;
  rdata_d_ = (req && !we && hit) ? read_value(hit_i, hw) : 0;
}

bool RegBlock::peek(uint32_t addr, const Hw& hw, uint32_t* value) const {
  addr &= (1u << regmap::kAddrWidth) - 1u;
  const regmap::Reg* hit = regmap::find(addr);  // nullptr for a hole or a misaligned offset
  if (hit == nullptr) return false;
  *value = read_value(size_t(hit - kRegs), hw);
  return true;
}

void RegBlock::commit() {
  q_ = q_d_;
  valid_q_ = valid_d_;
  err_q_ = err_d_;
  rdata_q_ = rdata_d_;
}

// ---- EngineDevice (toe_engine) -------------------------------------------------------
namespace {

constexpr size_t kCtrl = RegBlock::index("CTRL");
constexpr size_t kStatus = RegBlock::index("STATUS");
constexpr size_t kIntrState = RegBlock::index("INTR_STATE");
constexpr size_t kIntrEnable = RegBlock::index("INTR_ENABLE");
constexpr uint32_t kEnable = RegBlock::field(kCtrl, "ENABLE").mask();
constexpr uint32_t kSoftReset = RegBlock::field(kCtrl, "SOFT_RESET").mask();
constexpr uint32_t kFixedIsnEn = RegBlock::field(kCtrl, "FIXED_ISN_EN").mask();
constexpr uint32_t kReady = RegBlock::field(kStatus, "READY").mask();
constexpr uint32_t kEvqNotEmpty = RegBlock::field(kIntrState, "EVQ_NOT_EMPTY").mask();
constexpr uint32_t kDrop = RegBlock::field(kIntrState, "DROP").mask();

// reg2hw -> toe_top's cfg_* ports.
constexpr size_t kMacLo = RegBlock::index("MAC_ADDR_LO");
constexpr size_t kMacHi = RegBlock::index("MAC_ADDR_HI");
constexpr size_t kIpv4 = RegBlock::index("IPV4_ADDR");
constexpr size_t kMss = RegBlock::index("MSS");
constexpr size_t kMssFloor = RegBlock::index("MSS_FLOOR");
constexpr size_t kRcvWscale = RegBlock::index("RCV_WSCALE");
constexpr size_t kFixedIsn = RegBlock::index("FIXED_ISN");
constexpr size_t kIsnSecret[4] = {RegBlock::index("ISN_SECRET_0"), RegBlock::index("ISN_SECRET_1"),
                                  RegBlock::index("ISN_SECRET_2"), RegBlock::index("ISN_SECRET_3")};
constexpr size_t kClockMhz = RegBlock::index("CLOCK_MHZ");
constexpr size_t kAckEvery = RegBlock::index("ACK_EVERY");
constexpr size_t kChalConnCycles = RegBlock::index("CHAL_CONN_CYCLES");
constexpr size_t kChalGlobalBurst = RegBlock::index("CHAL_GLOBAL_BURST");
constexpr size_t kChalGlobalCycles = RegBlock::index("CHAL_GLOBAL_CYCLES");
constexpr size_t kMaxHalfOpen = RegBlock::index("MAX_HALF_OPEN");

// INTR_STATE.DROP: toe_engine compares the low 5 bits of each drop counter with the last
// cycle's (a counter moves by at most 15 a cycle, so they change exactly when it moves).
constexpr uint32_t kDropLoMask = 0x1F;

// The register of each counter (defs::kCounters), kRegCount for one that has none.
constexpr std::array<size_t, size_t(Counter::kCount)> kCounterReg = [] {
  std::array<size_t, size_t(Counter::kCount)> a{};
  for (size_t c = 0; c < a.size(); ++c) {
    a[c] = defs::kCounters[c].reg ? RegBlock::index(defs::kCounters[c].reg) : regmap::kRegCount;
  }
  return a;
}();

// Address bits of a host buffer port: $clog2(Sessions * BufBytes).
uint32_t addr_mask(uint64_t bytes) {
  uint32_t bits = 0;
  while ((uint64_t(1) << bits) < bytes) ++bits;
  return bits >= 32 ? 0xFFFFFFFFu : (1u << bits) - 1u;
}

EngineConfig config_of(const EngineParams& p) {
  EngineConfig c;
  static_cast<EngineParams&>(c) = p;
  return c;
}

}  // namespace

EngineDevice::EngineDevice(const EngineParams& p) : params_(p), engine_(config_of(p)), regs_(p) { reset(); }

bool EngineDevice::core_in_reset() const { return (regs_.q(kCtrl) & kSoftReset) != 0; }

bool EngineDevice::peek_reg(uint32_t addr, uint32_t* value) const {
  // hw2reg values as eval computes them from this cycle's state (the w1c sets do not matter
  // to a read: they land at the edge).
  RegBlock::Hw hw;
  hw.value[kStatus] = core_in_reset() ? 0 : kReady;
  for (size_t c = 0; c < size_t(Counter::kCount); ++c) {
    if (kCounterReg[c] < regmap::kRegCount) hw.value[kCounterReg[c]] = uint32_t(engine_.counter(Counter(c)));
  }
  return regs_.peek(addr, hw, value);
}

void EngineDevice::drive_config() {
  EngineRegs& r = engine_.registers();
  const uint32_t lo = regs_.q(kMacLo), hi = regs_.q(kMacHi);
  r.local_mac = net::MacAddr{{uint8_t(hi >> 8), uint8_t(hi), uint8_t(lo >> 24), uint8_t(lo >> 16),
                              uint8_t(lo >> 8), uint8_t(lo)}};
  r.local_ip = regs_.q(kIpv4);
  r.mss = uint16_t(regs_.q(kMss));
  r.mss_floor = uint16_t(regs_.q(kMssFloor));
  r.rcv_wscale = uint8_t(regs_.q(kRcvWscale));
  r.fixed_isn_en = (regs_.q(kCtrl) & kFixedIsnEn) != 0;
  r.fixed_isn = regs_.q(kFixedIsn);
  for (size_t i = 0; i < 4; ++i) r.isn_secret[i] = regs_.q(kIsnSecret[i]);
  r.clock_mhz = regs_.q(kClockMhz);
  r.ack_every = regs_.q(kAckEvery);
  r.chal_conn_cycles = regs_.q(kChalConnCycles);
  r.chal_global_burst = regs_.q(kChalGlobalBurst);
  r.chal_global_cycles = regs_.q(kChalGlobalCycles);
  r.max_half_open = regs_.q(kMaxHalfOpen);
}

void EngineDevice::reset_core() {
  engine_.reset();
  frames_q_ = frames_d_ = Frames{};
  drop_lo_q_.fill(0);
  drop_lo_d_.fill(0);
  core_fresh_ = true;
}

void EngineDevice::reset() {
  regs_.reset();
  drive_config();
  reset_core();
  core_clocked_ = false;
  host_tx_we_ = false;
  update_outputs();  // host_rx_q_ keeps its value: toe_rx_copy's read register has no reset
}

uint64_t EngineDevice::skip_idle(const EngineDeviceIn& in, uint64_t n) {
  if (in.rx.tvalid || in.cmd_valid || in.reg_req || in.host_tx_we)
    throw std::invalid_argument("EngineDevice::skip_idle: the inputs are not idle (an rx beat, a command, a "
                                "register access or a host buffer write)");
  if (n == 0) return 0;
  clock(in);
  --n;
  uint64_t skipped = 0;
  if (idle_settled() && n >= 2) {
    skipped = n - 1;
    engine_.skip_idle(skipped);
    n = 1;
  }
  while (n-- > 0) clock(in);
  return skipped;
}

bool EngineDevice::idle_settled() const {
  return !core_in_reset() && !core_fresh_ && !frames_q_.rx_in_frame && !frames_q_.tx_in_frame && !regs_.valid() &&
         engine_.quiescent();
}

void EngineDevice::eval(const EngineDeviceIn& in) {
  const uint32_t ctrl = regs_.q(kCtrl);
  const bool enable = (ctrl & kEnable) != 0;
  // A beat that starts a frame decides; the rest of the frame follows it.
  const bool rx_discard = frames_q_.rx_in_frame ? frames_q_.rx_discard : !enable;
  const bool tx_hold = frames_q_.tx_in_frame ? false : !enable;

  core_clocked_ = !core_in_reset();
  if (core_clocked_) {
    drive_config();
    // toe_top takes its challenge-ACK tokens from cfg_chal_global_burst_i on its first clock
    // after a reset: reset again with this cycle's registers.
    if (core_fresh_) engine_.reset();
    core_fresh_ = false;
    EngineIn core_in = in;
    core_in.rx.tvalid = in.rx.tvalid && !rx_discard;
    core_in.tx_tready = in.tx_tready && !tx_hold;
    engine_.eval(core_in);
  }

  // hw2reg (eval leaves the Engine's outputs and counters as they are this cycle).
  RegBlock::Hw hw;
  hw.value[kStatus] = core_in_reset() ? 0 : kReady;
  bool drop_moved = false;
  for (size_t c = 0; c < size_t(Counter::kCount); ++c) {
    const uint64_t n = engine_.counter(Counter(c));
    const size_t reg = kCounterReg[c];
    if (reg < regmap::kRegCount) hw.value[reg] = uint32_t(n);
    const bool drop = defs::is_drop(Counter(c));
    if (drop && (n & kDropLoMask) != drop_lo_q_[c]) drop_moved = true;
    drop_lo_d_[c] = drop ? uint8_t(n & kDropLoMask) : 0;
  }
  hw.set[kIntrState] = (engine_.outputs().evt_valid ? kEvqNotEmpty : 0) | (drop_moved ? kDrop : 0);
  regs_.eval(in.reg_req, in.reg_we, in.reg_addr, in.reg_wdata, hw);

  // The wrapper's frame state.
  frames_d_ = frames_q_;
  if (in.rx.tvalid && out_.rx_tready) {
    frames_d_.rx_in_frame = !in.rx.tlast;
    frames_d_.rx_discard = rx_discard;
  }
  if (out_.tx.tvalid && in.tx_tready) frames_d_.tx_in_frame = !out_.tx.tlast;

  // Host buffer ports: the write lands at the edge; the read register samples the buffer
  // as it is this cycle.
  host_tx_we_ = in.host_tx_we;
  host_tx_addr_ = in.host_tx_addr & addr_mask(uint64_t(params_.sessions) * params_.tx_buf_bytes);
  host_tx_wdata_ = in.host_tx_wdata;
  const uint32_t ra = in.host_rx_addr & addr_mask(uint64_t(params_.sessions) * params_.rx_buf_bytes);
  host_rx_d_ = 0;  // beyond the last connection (Sessions not a power of 2): the RTL reads nothing defined
  if (ra / params_.rx_buf_bytes < params_.sessions) {
    engine_.host_read_rx(ra / params_.rx_buf_bytes, ra % params_.rx_buf_bytes, &host_rx_d_, 1);
  }
}

void EngineDevice::commit() {
  if (core_clocked_) {
    engine_.commit();
    frames_q_ = frames_d_;
    drop_lo_q_ = drop_lo_d_;
  }
  if (host_tx_we_ && host_tx_addr_ / params_.tx_buf_bytes < params_.sessions) {
    engine_.host_write_tx(host_tx_addr_ / params_.tx_buf_bytes, host_tx_addr_ % params_.tx_buf_bytes,
                          &host_tx_wdata_, 1);
  }
  host_rx_q_ = host_rx_d_;
  regs_.commit();
  // SOFT_RESET now 1: toe_top and the wrapper's flops are reset right after this edge.
  if (core_in_reset()) reset_core();
  update_outputs();
}

void EngineDevice::update_outputs() {
  const EngineOut& core = engine_.outputs();
  static_cast<EngineOut&>(out_) = core;
  const bool enable = (regs_.q(kCtrl) & kEnable) != 0;
  const bool rx_discard = frames_q_.rx_in_frame ? frames_q_.rx_discard : !enable;
  const bool tx_hold = frames_q_.tx_in_frame ? false : !enable;
  out_.rx_tready = rx_discard || core.rx_tready;
  out_.tx.tvalid = core.tx.tvalid && !tx_hold;
  out_.reg_valid = regs_.valid();
  out_.reg_rdata = regs_.rdata();
  out_.reg_err = regs_.err();
  // intr_o: each INTR_STATE field and the INTR_ENABLE field of the same name.
  const regmap::Reg& st = kRegs[kIntrState];
  bool intr = false;
  for (size_t f = 0; f < st.field_count; ++f) {
    const regmap::Field& en = RegBlock::field(kIntrEnable, st.fields[f].name);
    intr = intr || (get(st.fields[f], regs_.q(kIntrState)) & get(en, regs_.q(kIntrEnable))) != 0;
  }
  out_.intr = intr;
  out_.host_rx_rdata = host_rx_q_;
}

}  // namespace toe::model
