// SPDX-License-Identifier: Apache-2.0
// EngineDevice (toe_engine): Engine behind the generated register block (see engine.hpp).
#include "top/engine.hpp"

#include <array>
#include <string>

namespace toe::model {

// ---- EngineDevice (toe_engine) -------------------------------------------------------
namespace {

using regmap::kRegs;
using Code = regmap::LastErrorCode;
using FwCode = fw_regmap::LastErrorCode;
constexpr uint32_t put(const regmap::Field& f, uint32_t v) { return RegBlock::put(f, v); }
// A MAC address from its two registers (MAC_ADDR_LO: bytes 2..5, MAC_ADDR_HI: bytes 0..1).
net::MacAddr mac_of(uint32_t lo, uint32_t hi) {
  return net::MacAddr{{uint8_t(hi >> 8), uint8_t(hi), uint8_t(lo >> 24), uint8_t(lo >> 16), uint8_t(lo >> 8), uint8_t(lo)}};
}
constexpr uint32_t get(const regmap::Field& f, uint32_t r) { return RegBlock::get(f, r); }

constexpr size_t kCtrl = RegBlock::index("CTRL");
constexpr size_t kStatus = RegBlock::index("STATUS");
constexpr size_t kBusErrors = RegBlock::index("BUS_ERRORS");
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

// The connection registers, the command and the host event queue.
constexpr size_t kConnSel = RegBlock::index("CONN_SEL");
constexpr size_t kConnState = RegBlock::index("CONN_STATE");
constexpr size_t kConnPorts = RegBlock::index("CONN_PORTS");
constexpr size_t kConnRemoteIp = RegBlock::index("CONN_REMOTE_IP");
constexpr size_t kConnSndUna = RegBlock::index("CONN_SND_UNA");
constexpr size_t kConnSndNxt = RegBlock::index("CONN_SND_NXT");
constexpr size_t kConnRcvNxt = RegBlock::index("CONN_RCV_NXT");
constexpr size_t kConnSndWnd = RegBlock::index("CONN_SND_WND");
constexpr size_t kConnRxWr = RegBlock::index("CONN_RX_WR");
constexpr size_t kConnRxRd = RegBlock::index("CONN_RX_RD");
constexpr size_t kConnTxWr = RegBlock::index("CONN_TX_WR");
constexpr size_t kConnIss = RegBlock::index("CONN_ISS");
constexpr size_t kConnIrs = RegBlock::index("CONN_IRS");
constexpr size_t kConnTag = RegBlock::index("CONN_TAG");
constexpr size_t kConnOpts = RegBlock::index("CONN_OPTS");
constexpr size_t kCmdIp = RegBlock::index("CMD_IP");
constexpr size_t kCmdPorts = RegBlock::index("CMD_PORTS");
constexpr size_t kCmdMacLo = RegBlock::index("CMD_MAC_LO");
constexpr size_t kCmdMacHi = RegBlock::index("CMD_MAC_HI");
constexpr size_t kCmdValue = RegBlock::index("CMD_VALUE");
constexpr size_t kCmdTag = RegBlock::index("CMD_TAG");
constexpr size_t kCmdReg = RegBlock::index("CMD");
constexpr size_t kCmdStatus = RegBlock::index("CMD_STATUS");
constexpr size_t kEvqStatus = RegBlock::index("EVQ_STATUS");
constexpr size_t kEvqEvent = RegBlock::index("EVQ_EVENT");
constexpr size_t kEvqConn = RegBlock::index("EVQ_CONN");
constexpr size_t kEvqValue = RegBlock::index("EVQ_VALUE");
constexpr size_t kEvqPop = RegBlock::index("EVQ_POP");
constexpr size_t kTxWinBase = RegBlock::index("TX_WIN_BASE");
constexpr size_t kRxWinBase = RegBlock::index("RX_WIN_BASE");

// The two buffer windows of the generated table.
constexpr const regmap::Window& window(std::string_view name) {
  for (const regmap::Window& w : regmap::kWindows) {
    if (name == w.name) return w;
  }
  throw std::invalid_argument("no such window");
}
constexpr regmap::Window kTxWin = window("tx_window");
constexpr regmap::Window kRxWin = window("rx_window");

// A field of a register by name, looked up at compile time (a lookup walks the names).
#define TOE_FIELD(Block, reg, name)                                \
  ([]() -> const regmap::Field& {                                  \
    static constexpr regmap::Field kField = Block::field(reg, name); \
    return kField;                                                 \
  }())

// INTR_STATE.DROP: toe_engine compares the low 5 bits of each drop counter with the last
// cycle's (a counter moves by at most 15 a cycle, so they change exactly when it moves).
constexpr uint32_t kDropLoMask = 0x1F;

// The drop counters (defs::is_drop), by index.
struct DropCounters {
  std::array<size_t, size_t(Counter::kCount)> index{};
  size_t count = 0;
};
constexpr DropCounters kDropCounters = [] {
  DropCounters d;
  for (size_t c = 0; c < size_t(Counter::kCount); ++c) {
    if (defs::is_drop(Counter(c))) d.index[d.count++] = c;
  }
  return d;
}();

// The register of each counter (defs::kCounters), kRegCount for one that has none.
constexpr std::array<size_t, size_t(Counter::kCount)> kCounterReg = [] {
  std::array<size_t, size_t(Counter::kCount)> a{};
  for (size_t c = 0; c < a.size(); ++c) {
    a[c] = defs::kCounters[c].reg ? RegBlock::index(defs::kCounters[c].reg) : regmap::kRegCount;
  }
  return a;
}();

// Who issues a command / consumes an event, and the commands that name a connection, as bit
// masks by opcode / event type (toe_defs_pkg's CmdHostMask, CmdConnMask, EvtHostMask for the
// RTL, from the same description).
constexpr bool args_name_conn(std::string_view a) {
  for (size_t pos = 0; pos <= a.size();) {
    size_t end = a.find(',', pos);
    if (end == std::string_view::npos) end = a.size();
    std::string_view w = a.substr(pos, end - pos);
    while (!w.empty() && w.front() == ' ') w.remove_prefix(1);
    while (!w.empty() && w.back() == ' ') w.remove_suffix(1);
    if (w == "conn") return true;
    pos = end + 1;
  }
  return false;
}
constexpr uint32_t cmd_mask(defs::Party from, bool conn_only) {
  uint32_t m = 0;
  for (const defs::CmdOpInfo& c : defs::kCmdOps) {
    if (conn_only ? args_name_conn(c.args) : c.from == from) m |= 1u << uint32_t(c.op);
  }
  return m;
}
constexpr uint32_t kCmdHostMask = cmd_mask(defs::Party::kHost, false);
constexpr uint32_t kCmdFwMask = cmd_mask(defs::Party::kFirmware, false);
constexpr uint32_t kCmdConnMask = cmd_mask(defs::Party::kHost, true);
constexpr uint32_t kEvtHostMask = [] {
  uint32_t m = 0;
  for (const defs::EvtTypeInfo& e : defs::kEvtTypes) {
    if (e.consumer == defs::Party::kHost) m |= 1u << uint32_t(e.type);
  }
  return m;
}();
constexpr bool host_command(uint32_t op) { return op < 32 && ((kCmdHostMask >> op) & 1u) != 0; }
constexpr bool fw_command(uint32_t op) { return op < 32 && ((kCmdFwMask >> op) & 1u) != 0; }
constexpr bool names_conn(uint32_t op) { return op < 32 && ((kCmdConnMask >> op) & 1u) != 0; }
constexpr bool host_event(EvtType t) { return uint32_t(t) < 32 && ((kEvtHostMask >> uint32_t(t)) & 1u) != 0; }

// The firmware port (toe_fw_regs.toml).
constexpr size_t kFwStatus = FwRegBlock::index("STATUS");
constexpr size_t kFwBusErrors = FwRegBlock::index("BUS_ERRORS");
constexpr size_t kFwCtrl = FwRegBlock::index("CTRL");
constexpr uint32_t kFwEvqEn = FwRegBlock::field(kFwCtrl, "EVQ_EN").mask();
constexpr size_t kFwIntrState = FwRegBlock::index("INTR_STATE");
constexpr size_t kFwIntrEnable = FwRegBlock::index("INTR_ENABLE");
constexpr size_t kFwIsnKey[4] = {FwRegBlock::index("ISN_KEY_0"), FwRegBlock::index("ISN_KEY_1"),
                                  FwRegBlock::index("ISN_KEY_2"), FwRegBlock::index("ISN_KEY_3")};
constexpr uint32_t kFwEvqNotEmpty = FwRegBlock::field(kFwIntrState, "EVQ_NOT_EMPTY").mask();
constexpr size_t kFwCmdConn = FwRegBlock::index("CMD_CONN");
constexpr size_t kFwCmd = FwRegBlock::index("CMD");
constexpr size_t kFwCmdStatus = FwRegBlock::index("CMD_STATUS");
constexpr size_t kFwEvqStatus = FwRegBlock::index("EVQ_STATUS");
constexpr size_t kFwEvqEvent = FwRegBlock::index("EVQ_EVENT");
constexpr size_t kFwEvqConn = FwRegBlock::index("EVQ_CONN");
constexpr size_t kFwEvqValue = FwRegBlock::index("EVQ_VALUE");
constexpr size_t kFwEvqPop = FwRegBlock::index("EVQ_POP");
constexpr uint32_t kFwRxqNotEmpty = FwRegBlock::field(kFwIntrState, "RXQ_NOT_EMPTY").mask();
constexpr uint32_t kFwTxDone = FwRegBlock::field(kFwIntrState, "TX_DONE").mask();
constexpr size_t kFwRxqStatus = FwRegBlock::index("RXQ_STATUS");
constexpr size_t kFwRxqLen = FwRegBlock::index("RXQ_LEN");
constexpr size_t kFwRxqPop = FwRegBlock::index("RXQ_POP");
constexpr size_t kFwRxqDropped = FwRegBlock::index("RXQ_DROPPED");
constexpr size_t kFwTxqLen = FwRegBlock::index("TXQ_LEN");
constexpr size_t kFwTxqSend = FwRegBlock::index("TXQ_SEND");
constexpr size_t kFwTxqStatus = FwRegBlock::index("TXQ_STATUS");
constexpr size_t kFwTxqSent = FwRegBlock::index("TXQ_SENT");
constexpr size_t kFwCmdIp = FwRegBlock::index("CMD_IP");
constexpr size_t kFwCmdPorts = FwRegBlock::index("CMD_PORTS");
constexpr size_t kFwCmdMacLo = FwRegBlock::index("CMD_MAC_LO");
constexpr size_t kFwCmdMacHi = FwRegBlock::index("CMD_MAC_HI");
constexpr size_t kFwCmdTag = FwRegBlock::index("CMD_TAG");
constexpr size_t kFwArqStatus = FwRegBlock::index("ARQ_STATUS");
constexpr size_t kFwArqIp = FwRegBlock::index("ARQ_IP");
constexpr size_t kFwArqPorts = FwRegBlock::index("ARQ_PORTS");
constexpr size_t kFwArqTag = FwRegBlock::index("ARQ_TAG");
constexpr size_t kFwArqPop = FwRegBlock::index("ARQ_POP");
constexpr uint32_t kFwArqNotEmpty = FwRegBlock::field(kFwIntrState, "ARQ_NOT_EMPTY").mask();
constexpr size_t kFwMacLo = FwRegBlock::index("MAC_ADDR_LO");
constexpr size_t kFwMacHi = FwRegBlock::index("MAC_ADDR_HI");
constexpr size_t kFwIpv4 = FwRegBlock::index("IPV4_ADDR");
constexpr const regmap::Window& fw_window(std::string_view name) {
  for (const regmap::Window& w : fw_regmap::kWindows) {
    if (name == w.name) return w;
  }
  throw std::invalid_argument("no such window");
}
constexpr regmap::Window kRxFrame = fw_window("rx_frame");
constexpr regmap::Window kTxFrame = fw_window("tx_frame");
static_assert(kRxFrame.size == FwRxq::kSlotBytes && kTxFrame.size == FwTxq::kBufBytes);
constexpr uint32_t kMinFrame = 14;  // TXQ_SEND: at least an Ethernet header
constexpr std::array<size_t, size_t(Counter::kCount)> kFwCounterReg = [] {
  std::array<size_t, size_t(Counter::kCount)> a{};
  for (size_t c = 0; c < a.size(); ++c) {
    a[c] = defs::kCounters[c].reg ? FwRegBlock::index(defs::kCounters[c].reg) : fw_regmap::kRegCount;
  }
  return a;
}();

// An interrupt line: each INTR_STATE field and the INTR_ENABLE field of the same name. The maps
// put the two at the same bits (checked at compile time), so the line is one AND.
template <class Block>
constexpr bool intr_fields_aligned(size_t state, size_t enable) {
  const regmap::Reg& st = Block::reg(state);
  for (size_t f = 0; f < st.field_count; ++f) {
    if (Block::field(enable, st.fields[f].name).mask() != st.fields[f].mask()) return false;
  }
  return true;
}
template <class Block>
bool intr_line(const Block& b, size_t state, size_t enable) {
  return (b.q(state) & b.q(enable) & Block::reg(state).w1c_mask) != 0;
}
static_assert(intr_fields_aligned<FwRegBlock>(kFwIntrState, kFwIntrEnable));
static_assert(intr_fields_aligned<RegBlock>(kIntrState, kIntrEnable));

EngineConfig config_of(const EngineParams& p) {
  EngineConfig c;
  static_cast<EngineParams&>(c) = p;
  return c;
}

}  // namespace

EngineDevice::EngineDevice(const EngineParams& p) : params_(p), engine_(config_of(p)), regs_(p), fw_regs_(p), rxq_(p.data_bytes), txq_(p.data_bytes) {
  reset();
}

net::MacAddr EngineDevice::local_mac() const { return mac_of(regs_.q(kMacLo), regs_.q(kMacHi)); }

bool EngineDevice::core_in_reset() const { return (regs_.q(kCtrl) & kSoftReset) != 0; }
bool EngineDevice::core_ready() const { return !core_in_reset() && !engine_.initialising(); }

RegBlock::Hw EngineDevice::hw_values() const {
  RegBlock::Hw hw;
  fill_hw(hw);
  return hw;
}

void EngineDevice::fill_hw(RegBlock::Hw& hw) const {
  // Every value this writes is written on every call (a read reuses the block's buffer).
  hw.value[kStatus] = core_ready() ? kReady : 0;
  // With the refusal answered this cycle (the register block's err) counted: an access taken on
  // the next clock sees it.
  hw.value[kBusErrors] = bus_errors_q_ + (regs_.err() ? 1u : 0u);
  for (size_t c = 0; c < size_t(Counter::kCount); ++c) {
    if (kCounterReg[c] < regmap::kRegCount) hw.value[kCounterReg[c]] = uint32_t(engine_.counter(Counter(c)));
  }
  // CONN_*: the TCB of CONN_SEL (the reset TCB beyond the last session, as toe_top's dbg port).
  const uint32_t sel = regs_.q(kConnSel);
  static const Tcb kResetTcb{};
  const Tcb& t = sel < params_.sessions ? engine_.tcb(sel) : kResetTcb;
  hw.value[kConnState] = put(TOE_FIELD(RegBlock, kConnState, "STATE"), uint32_t(t.state)) |
                         put(TOE_FIELD(RegBlock, kConnState, "PASSIVE"), t.passive) |
                         put(TOE_FIELD(RegBlock, kConnState, "FIN_PENDING"), t.fin_pending) |
                         put(TOE_FIELD(RegBlock, kConnState, "FIN_RCVD"), t.fin_rcvd);
  hw.value[kConnPorts] = put(TOE_FIELD(RegBlock, kConnPorts, "LPORT"), t.lport) | put(TOE_FIELD(RegBlock, kConnPorts, "RPORT"), t.rport);
  hw.value[kConnRemoteIp] = t.rip;
  hw.value[kConnSndUna] = t.snd_una;
  hw.value[kConnSndNxt] = t.snd_nxt;
  hw.value[kConnRcvNxt] = t.rcv_nxt;
  hw.value[kConnSndWnd] = t.snd_wnd;
  hw.value[kConnRxWr] = t.rx_wr;
  hw.value[kConnRxRd] = t.rx_rd;
  hw.value[kConnTxWr] = t.tx_wr;
  hw.value[kConnIss] = t.iss;
  hw.value[kConnIrs] = t.irs;
  hw.value[kConnTag] = t.tag;
  hw.value[kConnOpts] = put(TOE_FIELD(RegBlock, kConnOpts, "SND_MSS"), t.snd_mss) |
                        put(TOE_FIELD(RegBlock, kConnOpts, "SND_WSCALE"), t.ws_ok ? t.snd_wscale : 0u) |
                        put(TOE_FIELD(RegBlock, kConnOpts, "RCV_WSCALE"), t.ws_ok ? t.rcv_wscale : 0u) |
                        put(TOE_FIELD(RegBlock, kConnOpts, "WS_OK"), t.ws_ok);
  hw.value[kCmdStatus] = put(TOE_FIELD(RegBlock, kCmdStatus, "PENDING"), cmdq_.count()) | put(TOE_FIELD(RegBlock, kCmdStatus, "DEPTH"), kCmdDepth);
  hw.value[kEvqStatus] = put(TOE_FIELD(RegBlock, kEvqStatus, "COUNT"), evq_.count()) | put(TOE_FIELD(RegBlock, kEvqStatus, "DEPTH"), kEvqDepth);
  if (evq_.count() != 0) {
    const Event& e = evq_.head();
    hw.value[kEvqEvent] = put(TOE_FIELD(RegBlock, kEvqEvent, "EVT"), uint32_t(e.type)) |
                          put(TOE_FIELD(RegBlock, kEvqEvent, "STATE"), uint32_t(e.state)) | put(TOE_FIELD(RegBlock, kEvqEvent, "LPORT"), e.lport);
    hw.value[kEvqConn] = e.conn;
    hw.value[kEvqValue] = e.value;
  } else {
    hw.value[kEvqEvent] = hw.value[kEvqConn] = hw.value[kEvqValue] = 0;
  }
}

FwRegBlock::Hw EngineDevice::fw_hw_values() const {
  FwRegBlock::Hw hw;
  fill_fw_hw(hw);
  return hw;
}

void EngineDevice::fill_fw_hw(FwRegBlock::Hw& hw) const {
  // Every value this writes is written on every call (a read reuses the block's buffer).
  hw.value[kFwStatus] = core_ready() ? FwRegBlock::put(TOE_FIELD(FwRegBlock, kFwStatus, "READY"), 1) : 0;
  hw.value[kFwBusErrors] = fw_bus_errors_q_ + (fw_regs_.err() ? 1u : 0u);  // as kBusErrors
  for (size_t c = 0; c < size_t(Counter::kCount); ++c) {
    if (kFwCounterReg[c] < fw_regmap::kRegCount) hw.value[kFwCounterReg[c]] = uint32_t(engine_.counter(Counter(c)));
  }
  hw.value[kFwCmdStatus] =
      FwRegBlock::put(TOE_FIELD(FwRegBlock, kFwCmdStatus, "PENDING"), fw_cmdq_.count()) | FwRegBlock::put(TOE_FIELD(FwRegBlock, kFwCmdStatus, "DEPTH"), kFwCmdDepth);
  hw.value[kFwEvqStatus] =
      FwRegBlock::put(TOE_FIELD(FwRegBlock, kFwEvqStatus, "COUNT"), fw_evq_.count()) | FwRegBlock::put(TOE_FIELD(FwRegBlock, kFwEvqStatus, "DEPTH"), kFwEvqDepth);
  if (!fw_evq_.empty()) {
    const Event& e = fw_evq_.head();
    hw.value[kFwEvqEvent] = FwRegBlock::put(TOE_FIELD(FwRegBlock, kFwEvqEvent, "EVT"), uint32_t(e.type)) |
                            FwRegBlock::put(TOE_FIELD(FwRegBlock, kFwEvqEvent, "STATE"), uint32_t(e.state)) |
                            FwRegBlock::put(TOE_FIELD(FwRegBlock, kFwEvqEvent, "LPORT"), e.lport);
    hw.value[kFwEvqConn] = e.conn;
    hw.value[kFwEvqValue] = e.value;
  } else {
    hw.value[kFwEvqEvent] = hw.value[kFwEvqConn] = hw.value[kFwEvqValue] = 0;
  }
  hw.value[kFwArqStatus] =
      FwRegBlock::put(TOE_FIELD(FwRegBlock, kFwArqStatus, "COUNT"), arq_.count()) | FwRegBlock::put(TOE_FIELD(FwRegBlock, kFwArqStatus, "DEPTH"), kArqDepth);
  if (!arq_.empty()) {
    const Cmd& a = arq_.head();
    hw.value[kFwArqIp] = a.ip;
    hw.value[kFwArqPorts] = FwRegBlock::put(TOE_FIELD(FwRegBlock, kFwArqPorts, "PORT"), a.port) | FwRegBlock::put(TOE_FIELD(FwRegBlock, kFwArqPorts, "LPORT"), a.lport);
    hw.value[kFwArqTag] = a.tag;
  } else {
    hw.value[kFwArqIp] = hw.value[kFwArqPorts] = hw.value[kFwArqTag] = 0;
  }
  hw.value[kFwRxqStatus] =
      FwRegBlock::put(TOE_FIELD(FwRegBlock, kFwRxqStatus, "COUNT"), rxq_.count()) | FwRegBlock::put(TOE_FIELD(FwRegBlock, kFwRxqStatus, "DEPTH"), FwRxq::kSlots);
  hw.value[kFwRxqLen] = rxq_.head_len();
  hw.value[kFwRxqDropped] = rxq_.dropped();
  hw.value[kFwTxqStatus] = FwRegBlock::put(TOE_FIELD(FwRegBlock, kFwTxqStatus, "BUSY"), txq_.busy());
  hw.value[kFwTxqSent] = txq_.sent();
  hw.value[kFwMacLo] = regs_.q(kMacLo);
  hw.value[kFwMacHi] = regs_.q(kMacHi);
  hw.value[kFwIpv4] = regs_.q(kIpv4);
}

bool EngineDevice::peek_fw_reg(uint32_t addr, uint32_t* value) const {
  return fw_regs_.peek(addr, fw_hw_values(), value);
}

bool EngineDevice::peek_reg(uint32_t addr, uint32_t* value) const {
  // hw2reg values as eval computes them from this cycle's state (the w1c sets do not matter
  // to a read: they land at the edge).
  return regs_.peek(addr, hw_values(), value);
}

void EngineDevice::drive_config() {
  EngineRegs& r = engine_.registers();
  r.local_mac = mac_of(regs_.q(kMacLo), regs_.q(kMacHi));
  r.local_ip = regs_.q(kIpv4);
  r.mss = uint16_t(regs_.q(kMss));
  r.mss_floor = uint16_t(regs_.q(kMssFloor));
  r.rcv_wscale = uint8_t(regs_.q(kRcvWscale));
  r.fixed_isn_en = (regs_.q(kCtrl) & kFixedIsnEn) != 0;
  r.fixed_isn = regs_.q(kFixedIsn);
  // The ISN key: the host port's ISN_SECRET XOR the firmware port's ISN_KEY.
  for (size_t i = 0; i < 4; ++i) r.isn_secret[i] = regs_.q(kIsnSecret[i]) ^ fw_regs_.q(kFwIsnKey[i]);
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
  // The queues and the window walk (their memories keep their contents, as the RTL's).
  cmdq_.clear();
  evq_.clear();
  fw_cmdq_.clear();
  fw_evq_.clear();
  arq_.clear();
  rxq_.reset();
  txq_.reset();
  fw_win_valid_q_ = fw_win_valid_d_ = fw_win_rx_q_ = fw_win_rx_d_ = false;
  tx_offered_q_ = tx_offered_d_ = false;
  win_q_ = win_d_ = Window{};
}

void EngineDevice::reset() {
  regs_.reset();
  fw_regs_.reset();
  drive_config();
  reset_core();
  core_clocked_ = false;
  host_tx_we_ = false;
  bus_errors_q_ = bus_errors_d_ = 0;
  fw_bus_errors_q_ = fw_bus_errors_d_ = 0;
  update_outputs();  // host_rx_q_ keeps its value: toe_rx_copy's read register has no reset
}

uint32_t EngineDevice::conn_sel() const { return regs_.q(kConnSel); }

bool EngineDevice::conn_sel_in_use() const {
  const uint32_t sel = regs_.q(kConnSel);
  return sel < params_.sessions && engine_.tcb(sel).state != TcpState::CLOSED;
}

bool EngineDevice::dmi_window(bool tx, uint32_t woff, DmiPiece* piece) {
  const uint32_t size = tx ? params_.tx_buf_bytes : params_.rx_buf_bytes;
  if (!conn_sel_in_use() || woff >= size || core_in_reset()) return false;
  const uint32_t sel = regs_.q(kConnSel);
  const uint32_t b = (regs_.q(tx ? kTxWinBase : kRxWinBase) & ~3u) & (size - 1);
  uint8_t* buf = tx ? engine_.tx_buffer(sel) : const_cast<uint8_t*>(engine_.rx_buffer(sel));
  if (woff < size - b) {
    *piece = DmiPiece{buf + b, 0, size - b - 1};
  } else {
    *piece = DmiPiece{buf, size - b, size - 1};
  }
  return true;
}

bool EngineDevice::intr_pending() const {
  // A queue that holds an entry sets its INTR_STATE bit at the next clock: until it has, a
  // clock still changes a register.
  const uint32_t host = evq_.empty() ? 0 : kEvqNotEmpty;
  const uint32_t fw = (fw_evq_.empty() ? 0 : kFwEvqNotEmpty) | (rxq_.count() == 0 ? 0 : kFwRxqNotEmpty) |
                     (arq_.empty() ? 0 : kFwArqNotEmpty);
  return (regs_.q(kIntrState) & host) != host || (fw_regs_.q(kFwIntrState) & fw) != fw;
}

bool EngineDevice::fw_tx_start() const {
  const bool enable = (regs_.q(kCtrl) & kEnable) != 0;
  return txq_.busy() && !txq_.act() && !frames_q_.tx_in_frame && !tx_offered_q_ && enable;
}

bool EngineDevice::drop_pending() const {
  // A drop counter moved at the last clock: the next clock sets INTR_STATE.DROP.
  const uint64_t* counters = engine_.counter_values();
  for (size_t k = 0; k < kDropCounters.count; ++k) {
    const size_t c = kDropCounters.index[k];
    if ((counters[c] & kDropLoMask) != drop_lo_q_[c]) return true;
  }
  return false;
}

void EngineDevice::eval(const EngineDeviceIn& in) {
  const uint32_t ctrl = regs_.q(kCtrl);
  const bool enable = (ctrl & kEnable) != 0;
  // A beat that starts a frame decides; the rest of the frame follows it.
  const bool rx_discard = frames_q_.rx_in_frame ? frames_q_.rx_discard : !enable;
  const bool tx_hold = frames_q_.tx_in_frame ? false : !enable;
  const EngineOut& core_out = engine_.outputs();  // this cycle's

  // ---- the bus front: refusals decided here, the window walk, the queues' pushes and pops
  const uint32_t addr = in.reg_addr & ((1u << regmap::kAddrWidth) - 1u);
  const bool take = in.reg_req && win_q_.cnt == 0 && !core_in_reset();
  const bool in_txw = (addr & ~(kTxWin.size - 1)) == kTxWin.base;
  const bool in_rxw = (addr & ~(kRxWin.size - 1)) == kRxWin.base;
  const bool in_win = in_txw || in_rxw;
  const uint32_t woff = addr & ((in_txw ? kTxWin.size : kRxWin.size) - 1);
  const uint32_t sel = regs_.q(kConnSel);
  const bool sel_in_use = sel < params_.sessions && engine_.tcb(sel).state != TcpState::CLOSED;
  const uint32_t op = in.reg_wdata & 0xF;
  const bool is_cmd = in.reg_we && addr == kRegs[kCmdReg].offset;
  const bool is_pop = in.reg_we && addr == kRegs[kEvqPop].offset && (in.reg_wdata & 1u) != 0;
  // A connect by IP address: connect with no MAC, for the firmware to resolve.
  const bool is_resolve = is_cmd && op == uint32_t(CmdOp::kConnect) && regs_.q(kCmdMacLo) == 0 && regs_.q(kCmdMacHi) == 0;
  const bool fw_evq_en = (fw_regs_.q(kFwCtrl) & kFwEvqEn) != 0;
  bool refuse = true;
  Code code = Code::kNone;
  // Byte enables: all four, except a transmit-window write, which stores the enabled bytes.
  const uint32_t be = in.reg_be & 0xFu;
  if (in_txw && in.reg_we ? be == 0 : be != 0xF) {
    code = Code::kBadSize;
  } else if (in_win && (addr & 3u) != 0) {
    code = Code::kMisaligned;
  } else if (in_rxw && in.reg_we) {
    code = Code::kReadOnly;
  } else if (in_win && woff >= (in_txw ? params_.tx_buf_bytes : params_.rx_buf_bytes)) {
    code = Code::kOutsideBuffer;
  } else if (in_win && !sel_in_use) {
    code = Code::kNoConn;
  } else if (is_cmd && !host_command(op)) {
    code = Code::kBadCommand;
  } else if (is_cmd && names_conn(op) && !sel_in_use) {
    code = Code::kNoConn;
  } else if (is_resolve && !fw_evq_en) {
    code = Code::kNoFirmware;
  } else if (is_resolve ? arq_.full() : is_cmd && cmdq_.count() == kCmdDepth) {
    code = Code::kQueueFull;
  } else if (is_pop && evq_.count() == 0) {
    code = Code::kQueueEmpty;
  } else {
    refuse = false;
  }
  const bool win_go = take && in_win && !refuse;
  const bool cmd_push = take && is_cmd && !is_resolve && !refuse;
  const bool arq_push = take && is_resolve && !refuse;
  const bool evq_pop = take && is_pop && !refuse;

  // The window walk: byte cnt-1 written or addressed in cycles 1..4, a read's byte cnt-2 here.
  win_d_ = win_q_;
  win_d_.valid = false;
  const uint32_t byte = (win_q_.cnt - 1) & 3u;
  host_tx_we_ = win_q_.cnt >= 1 && win_q_.cnt <= 4 && win_q_.we && win_q_.tx && ((win_q_.be >> byte) & 1u) != 0;
  host_tx_addr_ = win_q_.addr + byte;
  host_tx_wdata_ = uint8_t(win_q_.data >> (8 * byte));
  if (win_q_.cnt >= 1 && win_q_.cnt <= 4 && !win_q_.we && !win_q_.tx) {
    const uint32_t a = win_q_.addr + byte;
    engine_.host_read_rx(a / params_.rx_buf_bytes, a % params_.rx_buf_bytes, &host_rx_d_, 1);
  } else {
    host_rx_d_ = host_rx_q_;  // not read again by the window before it is addressed anew
  }
  if (win_go) {
    const uint32_t buf = in_txw ? params_.tx_buf_bytes : params_.rx_buf_bytes;
    const uint32_t base = regs_.q(in_txw ? kTxWinBase : kRxWinBase) & ~3u;
    win_d_.cnt = 1;
    win_d_.we = in.reg_we;
    win_d_.tx = in_txw;
    win_d_.be = be;
    win_d_.addr = sel * buf + ((base + woff) & (buf - 1));
    win_d_.data = in.reg_we ? in.reg_wdata : 0;
  } else if (win_q_.cnt != 0) {
    if (win_q_.cnt >= 2 && !win_q_.we && !win_q_.tx) {
      const uint32_t b = (win_q_.cnt - 2) & 3u;
      win_d_.data = (win_q_.data & ~(0xFFu << (8 * b))) | (uint32_t(host_rx_q_) << (8 * b));
    }
    if (win_q_.cnt == 5) {
      win_d_.cnt = 0;
      win_d_.valid = true;
    } else {
      ++win_d_.cnt;
    }
  }

  // ---- the firmware bus front
  const uint32_t fw_addr = in.fw_addr & ((1u << fw_regmap::kAddrWidth) - 1u);
  const bool fw_take = in.fw_req && !core_in_reset();
  const uint32_t fw_op = in.fw_wdata & 0xF;
  const bool fw_is_cmd = in.fw_we && fw_addr == FwRegBlock::reg(kFwCmd).offset;
  const bool fw_is_pop = in.fw_we && fw_addr == FwRegBlock::reg(kFwEvqPop).offset && (in.fw_wdata & 1u) != 0;
  const bool fw_is_rx_pop = in.fw_we && fw_addr == FwRegBlock::reg(kFwRxqPop).offset && (in.fw_wdata & 1u) != 0;
  const bool fw_is_arq_pop = in.fw_we && fw_addr == FwRegBlock::reg(kFwArqPop).offset && (in.fw_wdata & 1u) != 0;
  const bool fw_is_send = in.fw_we && fw_addr == FwRegBlock::reg(kFwTxqSend).offset && (in.fw_wdata & 1u) != 0;
  const bool in_rxf = (fw_addr & ~(kRxFrame.size - 1)) == kRxFrame.base;
  const bool in_txf = (fw_addr & ~(kTxFrame.size - 1)) == kTxFrame.base;
  const uint32_t send_len = fw_regs_.q(kFwTxqLen);
  const uint32_t fw_be = in.fw_be & 0xFu;
  bool fw_refuse = true;
  FwCode fw_code = FwCode::kNone;
  if (in_txf && in.fw_we ? fw_be == 0 : fw_be != 0xF) {
    fw_code = FwCode::kBadSize;
  } else if ((in_rxf || in_txf) && (fw_addr & 3u) != 0) {
    fw_code = FwCode::kMisaligned;
  } else if (in_rxf && in.fw_we) {
    fw_code = FwCode::kReadOnly;
  } else if (in_rxf && rxq_.count() == 0) {
    fw_code = FwCode::kQueueEmpty;
  } else if (in_txf && in.fw_we && txq_.busy()) {
    fw_code = FwCode::kBusy;
  } else if (fw_is_cmd && !fw_command(fw_op)) {
    fw_code = FwCode::kBadCommand;
  } else if (fw_is_cmd && names_conn(fw_op) && fw_regs_.q(kFwCmdConn) >= params_.sessions) {
    fw_code = FwCode::kNoConn;
  } else if (fw_is_cmd && fw_cmdq_.full()) {
    fw_code = FwCode::kQueueFull;
  } else if (fw_is_pop && fw_evq_.empty()) {
    fw_code = FwCode::kQueueEmpty;
  } else if (fw_is_rx_pop && rxq_.count() == 0) {
    fw_code = FwCode::kQueueEmpty;
  } else if (fw_is_arq_pop && arq_.empty()) {
    fw_code = FwCode::kQueueEmpty;
  } else if (fw_is_send && txq_.busy()) {
    fw_code = FwCode::kBusy;
  } else if (fw_is_send && (send_len < kMinFrame || send_len > FwTxq::kBufBytes)) {
    fw_code = FwCode::kBadLength;
  } else {
    fw_refuse = false;
  }
  const bool fw_cmd_push = fw_take && fw_is_cmd && !fw_refuse;
  const bool fw_evq_pop = fw_take && fw_is_pop && !fw_refuse;
  const bool arq_pop = fw_take && fw_is_arq_pop && !fw_refuse;
  const bool fw_win_go = fw_take && (in_rxf || in_txf) && !fw_refuse;
  fw_win_valid_d_ = fw_win_go;
  fw_win_rx_d_ = fw_win_go && in_rxf;
  const bool fw_start = fw_tx_start();
  {
    FwRxq::In r;
    r.beat = in.rx.tvalid && out_.rx_tready && !rx_discard ? &in.rx : nullptr;
    r.local_mac = mac_of(regs_.q(kMacLo), regs_.q(kMacHi));
    r.rd = fw_win_go && in_rxf;
    r.rd_off = fw_addr;
    r.pop = fw_take && fw_is_rx_pop && !fw_refuse;
    rxq_.eval(r);
    FwTxq::In t;
    t.wr = fw_win_go && in_txf && in.fw_we;
    t.wr_off = fw_addr;
    t.wr_data = in.fw_wdata;
    t.wr_be = uint8_t(fw_be);
    t.send = fw_take && fw_is_send && !fw_refuse;
    t.send_len = send_len;
    t.start = fw_start;
    t.taken = txq_.act() && in.tx_tready;
    txq_.eval(t);
  }
  const bool fw_tx_done = txq_.act() && in.tx_tready && txq_.last();
  tx_offered_d_ = out_.tx.tvalid && !in.tx_tready;

  // The host command queue first, then the firmware's, then the stream.
  const bool cmd_pop = !cmdq_.empty() && core_out.cmd_ready;
  const bool fw_cmd_pop = cmdq_.empty() && !fw_cmdq_.empty() && core_out.cmd_ready;
  Cmd host_cmd;
  if (cmd_push || arq_push) {
    host_cmd.op = CmdOp(op);
    host_cmd.conn = sel;
    host_cmd.ip = regs_.q(kCmdIp);
    const uint32_t ports = regs_.q(kCmdPorts);
    host_cmd.port = uint16_t(get(RegBlock::field(kCmdPorts, "PORT"), ports));
    host_cmd.lport = uint16_t(get(RegBlock::field(kCmdPorts, "LPORT"), ports));
    host_cmd.mac = mac_of(regs_.q(kCmdMacLo), regs_.q(kCmdMacHi));
    host_cmd.value = regs_.q(kCmdValue);
    host_cmd.tag = regs_.q(kCmdTag);
  }
  cmdq_.step(cmd_push, host_cmd, cmd_pop);
  arq_.step(arq_push, host_cmd, arq_pop);
  Cmd fw_cmd;
  if (fw_cmd_push) {
    fw_cmd.op = CmdOp(fw_op);
    fw_cmd.conn = fw_regs_.q(kFwCmdConn);
    fw_cmd.ip = fw_regs_.q(kFwCmdIp);
    const uint32_t ports = fw_regs_.q(kFwCmdPorts);
    fw_cmd.port = uint16_t(FwRegBlock::get(FwRegBlock::field(kFwCmdPorts, "PORT"), ports));
    fw_cmd.lport = uint16_t(FwRegBlock::get(FwRegBlock::field(kFwCmdPorts, "LPORT"), ports));
    fw_cmd.mac = mac_of(fw_regs_.q(kFwCmdMacLo), fw_regs_.q(kFwCmdMacHi));
    fw_cmd.tag = fw_regs_.q(kFwCmdTag);
  }
  fw_cmdq_.step(fw_cmd_push, fw_cmd, fw_cmd_pop);

  // Events: the host's into the host event queue, the firmware's into the firmware event queue
  // (fw CTRL.EVQ_EN) or out on evt.
  const bool evt_host = host_event(core_out.evt.type);
  const bool evq_push = core_out.evt_valid && evt_host && !evq_.full();
  const bool fw_evq_push = core_out.evt_valid && !evt_host && fw_evq_en && !fw_evq_.full();
  Event e = core_out.evt;
  e.hold = false;
  evq_.step(evq_push, e, evq_pop);
  fw_evq_.step(fw_evq_push, e, fw_evq_pop);

  core_clocked_ = !core_in_reset();
  if (core_clocked_) {
    drive_config();
    // toe_top takes its challenge-ACK tokens from cfg_chal_global_burst_i on its first clock
    // after a reset: reset again with this cycle's registers.
    if (core_fresh_) engine_.reset();
    core_fresh_ = false;
    EngineIn core_in = in;
    core_in.rx.tvalid = in.rx.tvalid && !rx_discard;
    core_in.tx_tready = in.tx_tready && !tx_hold && !txq_.act() && !fw_start;
    if (cmdq_.count() != 0) {
      core_in.cmd_valid = true;
      core_in.cmd = cmdq_.head();
    } else if (!fw_cmdq_.empty()) {
      core_in.cmd_valid = true;
      core_in.cmd = fw_cmdq_.head();
    }
    core_in.evt_ready = evt_host ? !evq_.full() : fw_evq_en ? !fw_evq_.full() : in.evt_ready;
    // A quiescent Engine with no beat and no command changes only the time this clock
    // (Engine::skip_idle's contract): commit applies that without evaluating its stages.
    core_idle_ = !core_in.rx.tvalid && !core_in.cmd_valid && engine_.quiescent();
    if (!core_idle_) engine_.eval(core_in);
  }

  // hw2reg (eval leaves the Engine's outputs and counters as they are this cycle). The values
  // matter to a read only: computed for one.
  const bool host_read = take && !win_go && !in.reg_we;
  if (host_read) fill_hw(hw_buf_);
  bool drop_moved = false;  // (the other counters' drop_lo stay 0)
  const uint64_t* counters = engine_.counter_values();
  for (size_t k = 0; k < kDropCounters.count; ++k) {
    const size_t c = kDropCounters.index[k];
    const uint64_t n = counters[c];
    if ((n & kDropLoMask) != drop_lo_q_[c]) drop_moved = true;
    drop_lo_d_[c] = uint8_t(n & kDropLoMask);
  }
  const uint32_t intr_set = (evq_.count() != 0 ? kEvqNotEmpty : 0) | (drop_moved ? kDrop : 0);
  regs_.eval(take && !win_go, in.reg_we, in.reg_addr, in.reg_wdata, host_read ? &hw_buf_ : nullptr, kIntrState, intr_set,
             refuse, uint32_t(code));
  bus_errors_d_ = bus_errors_q_ + (regs_.err() ? 1 : 0);

  const bool fw_read = fw_take && !fw_win_go && !in.fw_we;
  if (fw_read) fill_fw_hw(fw_hw_buf_);
  const uint32_t fw_intr_set = (!fw_evq_.empty() ? kFwEvqNotEmpty : 0) | (rxq_.count() != 0 ? kFwRxqNotEmpty : 0) |
                               (fw_tx_done ? kFwTxDone : 0) | (!arq_.empty() ? kFwArqNotEmpty : 0);
  fw_regs_.eval(fw_take && !fw_win_go, in.fw_we, in.fw_addr, in.fw_wdata, fw_read ? &fw_hw_buf_ : nullptr, kFwIntrState,
                fw_intr_set, fw_refuse, uint32_t(fw_code));
  fw_bus_errors_d_ = fw_bus_errors_q_ + (fw_regs_.err() ? 1 : 0);

  // The wrapper's frame state.
  frames_d_ = frames_q_;
  if (in.rx.tvalid && out_.rx_tready) {
    frames_d_.rx_in_frame = !in.rx.tlast;
    frames_d_.rx_discard = rx_discard;
  }
  if (out_.tx.tvalid && in.tx_tready) frames_d_.tx_in_frame = !out_.tx.tlast;
}

void EngineDevice::commit() {
  if (core_clocked_) {
    if (core_idle_)
      engine_.skip_idle(1);
    else
      engine_.commit();
    frames_q_ = frames_d_;
    drop_lo_q_ = drop_lo_d_;
    cmdq_.commit();
    evq_.commit();
    fw_cmdq_.commit();
    fw_evq_.commit();
    arq_.commit();
    rxq_.commit();
    txq_.commit();
    fw_win_valid_q_ = fw_win_valid_d_;
    fw_win_rx_q_ = fw_win_rx_d_;
    tx_offered_q_ = tx_offered_d_;
    win_q_ = win_d_;
  }
  if (host_tx_we_) {
    engine_.host_write_tx(host_tx_addr_ / params_.tx_buf_bytes, host_tx_addr_ % params_.tx_buf_bytes,
                          &host_tx_wdata_, 1);
  }
  host_rx_q_ = host_rx_d_;
  bus_errors_q_ = bus_errors_d_;
  fw_bus_errors_q_ = fw_bus_errors_d_;
  regs_.commit();
  fw_regs_.commit();
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
  if (txq_.act()) {
    out_.tx = txq_.beat();
  } else {
    out_.tx.tvalid = core.tx.tvalid && !tx_hold && !fw_tx_start();
  }
  out_.cmd_ready = core.cmd_ready && cmdq_.empty() && fw_cmdq_.empty();
  out_.evt_valid = core.evt_valid && !host_event(core.evt.type) && (fw_regs_.q(kFwCtrl) & kFwEvqEn) == 0;
  out_.reg_ready = win_q_.cnt == 0 && !core_in_reset();
  out_.reg_valid = regs_.valid() || win_q_.valid;
  out_.reg_rdata = win_q_.valid ? (win_q_.we ? 0 : win_q_.data) : regs_.rdata();
  out_.reg_err = regs_.err();
  out_.intr = intr_line(regs_, kIntrState, kIntrEnable);
  out_.fw_ready = !core_in_reset();
  out_.fw_valid = fw_regs_.valid() || fw_win_valid_q_;
  out_.fw_rdata = fw_win_valid_q_ ? (fw_win_rx_q_ ? rxq_.rd_data() : 0) : fw_regs_.rdata();
  out_.fw_err = fw_regs_.err();
  out_.fw_intr = intr_line(fw_regs_, kFwIntrState, kFwIntrEnable);
}

}  // namespace toe::model
