// SPDX-License-Identifier: Apache-2.0
// The generated SV decoder (toe_reg_top, Verilated) in lockstep with a reference register
// block that applies each register's policy from the C++ table alone. Every cycle of every
// test compares valid_o, err_o, rdata_o and all of reg2hw_o; the directed tests then check
// the behaviours the docs promise (refusals from outside, refuse_i / refuse_code_i, among
// them), and a random test covers the rest.
#include <gtest/gtest.h>
#include <verilated.h>

#include <cstdint>
#include <cstdio>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "Vtoe_reg_top.h"
#include "toe_regs.h"
#include "toe_regs_table.hpp"

#if !defined(TOE_TEST_SESSIONS) || !defined(TOE_TEST_TX_BUF_BYTES) || !defined(TOE_TEST_RX_BUF_BYTES)
#error "TOE_TEST_SESSIONS, TOE_TEST_TX_BUF_BYTES, TOE_TEST_RX_BUF_BYTES: the -G values the model was Verilated with"
#endif

namespace {

using toe::regmap::Access;
using toe::regmap::kRegs;
using toe::regmap::PortBits;
using toe::regmap::Reg;
using toe::regmap::Source;

using Bits = std::vector<std::uint32_t>;  // a packed struct port, word 0 = bits 31:0

std::uint32_t width_mask(std::uint32_t width) {
  return width >= 32 ? 0xFFFFFFFFu : (1u << width) - 1u;
}

std::uint32_t get_bits(const Bits& v, std::uint32_t lsb, std::uint32_t width) {
  std::uint32_t out = 0;
  for (std::uint32_t i = 0; i < width; ++i) {
    const std::uint32_t b = lsb + i;
    out |= ((v[b / 32] >> (b % 32)) & 1u) << i;
  }
  return out;
}

void set_bits(Bits& v, std::uint32_t lsb, std::uint32_t width, std::uint32_t value) {
  for (std::uint32_t i = 0; i < width; ++i) {
    const std::uint32_t b = lsb + i;
    v[b / 32] = (v[b / 32] & ~(1u << (b % 32))) | (((value >> i) & 1u) << (b % 32));
  }
}

Bits zero_bits(std::uint32_t width) { return Bits((width + 31) / 32, 0u); }

// Verilator maps a port to CData/SData/IData/QData or VlWide<N> by width.
template <typename T>
void to_port(T& port, const Bits& v) {
  if constexpr (std::is_integral_v<T>) {
    std::uint64_t x = v[0];
    if (v.size() > 1) x |= static_cast<std::uint64_t>(v[1]) << 32;
    port = static_cast<T>(x);
  } else {
    for (std::size_t i = 0; i < v.size(); ++i) port[i] = v[i];
  }
}

template <typename T>
Bits from_port(const T& port, std::uint32_t width) {
  Bits v = zero_bits(width);
  if constexpr (std::is_integral_v<T>) {
    const std::uint64_t x = port;
    v[0] = static_cast<std::uint32_t>(x);
    if (v.size() > 1) v[1] = static_cast<std::uint32_t>(x >> 32);
  } else {
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = port[i];
  }
  return v;
}

const PortBits* port_entry(const PortBits* table, std::size_t n, const std::string& reg,
                           const std::string& field, const char* role) {
  for (std::size_t i = 0; i < n; ++i) {
    if (table[i].reg == reg && table[i].field == field && table[i].role == std::string(role)) {
      return &table[i];
    }
  }
  return nullptr;
}

// A field as the policy sees it (a register without fields is one field from bit 0), with
// its hw2reg inputs looked up once.
struct EffField {
  std::string name;
  std::uint32_t lsb;
  std::uint32_t width;
  Access access;
  bool self_clear;
  const PortBits* d;    // ro value / rc load value
  const PortBits* de;   // rc load enable
  const PortBits* set;  // w1c set pulses
};

const std::vector<EffField>& fields_of(const Reg& r) {
  static const std::vector<std::vector<EffField>> cache = [] {
    std::vector<std::vector<EffField>> all;
    for (const Reg& reg : kRegs) {
      std::vector<EffField> out;
      if (reg.field_count == 0) {
        std::uint32_t w = 0;
        while (w < 32 && ((reg.read_mask >> w) & 1u)) ++w;
        out.push_back({reg.name, 0, w, reg.access, false, nullptr, nullptr, nullptr});
      }
      for (std::size_t i = 0; i < reg.field_count; ++i) {
        const auto& f = reg.fields[i];
        out.push_back({f.name, f.lsb, f.width, f.access, f.self_clear, nullptr, nullptr, nullptr});
      }
      for (EffField& f : out) {
        const auto* t = toe::regmap::kHw2Reg;
        const std::size_t n = std::size(toe::regmap::kHw2Reg);
        f.d = port_entry(t, n, reg.name, f.name, "d");
        f.de = port_entry(t, n, reg.name, f.name, "de");
        f.set = port_entry(t, n, reg.name, f.name, "set");
      }
      all.push_back(out);
    }
    return all;
  }();
  return cache[static_cast<std::size_t>(&r - kRegs)];
}

// The register that records refused accesses, and its CODE field (the width of
// refuse_code_i); nullptr if the map has none.
const Reg* bus_error_reg() {
  for (const Reg& r : kRegs) {
    if (r.source == Source::kBusError) return &r;
  }
  return nullptr;
}

std::uint32_t refuse_code_width() {
  const Reg* r = bus_error_reg();
  for (std::size_t i = 0; r && i < r->field_count; ++i) {
    if (std::string(r->fields[i].name) == "CODE") return r->fields[i].width;
  }
  ADD_FAILURE() << "no bus_error register with a CODE field";
  return 0;
}

struct Response {
  bool valid = false;
  bool err = false;
  std::uint32_t rdata = 0;
};

// The register block as data: what the C++ model's register block does, in 80 lines.
class ReferenceRegs {
 public:
  ReferenceRegs() { reset(); }

  void reset() {
    stored_.clear();
    for (const Reg& r : kRegs) stored_.push_back(r.reset);
    rsp_ = Response{};
  }

  static std::uint32_t param_value(const char* name) {
    if (std::string(name) == "Sessions") return TOE_TEST_SESSIONS;
    if (std::string(name) == "TxBufBytes") return TOE_TEST_TX_BUF_BYTES;
    if (std::string(name) == "RxBufBytes") return TOE_TEST_RX_BUF_BYTES;
    ADD_FAILURE() << "no test value for parameter " << name;
    return 0;
  }

  static std::uint32_t hw(const Bits& hw2reg, const Reg& r, const EffField& f,
                          const PortBits* p) {
    EXPECT_NE(p, nullptr) << r.name << "." << f.name << " lacks a hw2reg input";
    return p ? get_bits(hw2reg, p->lsb, p->width) : 0;
  }

  std::uint32_t& stored(const Reg& r) { return stored_[static_cast<std::size_t>(&r - kRegs)]; }
  std::uint32_t stored(const Reg& r) const {
    return stored_[static_cast<std::size_t>(&r - kRegs)];
  }

  std::uint32_t read_value(const Reg& r, const Bits& hw2reg) const {
    std::uint32_t v = 0;
    for (const EffField& f : fields_of(r)) {
      if (f.self_clear) continue;  // reads as 0
      std::uint32_t x;
      if (r.source == Source::kConst) {
        x = (r.reset_param ? param_value(r.reset_param) : r.reset) >> f.lsb;
      } else if (f.access == Access::kRo) {
        x = hw(hw2reg, r, f, f.d);
      } else {
        x = stored(r) >> f.lsb;
      }
      v |= (x & width_mask(f.width)) << f.lsb;
    }
    return v;
  }

  // One clock edge with these bus and hw2reg inputs. refuse: the access is refused from
  // outside (refuse_i); it changes no register and LAST_ERROR records refuse_code.
  void clock(bool req, bool we, std::uint32_t addr, std::uint32_t wdata, const Bits& hw2reg,
             bool refuse = false, std::uint32_t refuse_code = 0) {
    const Reg* hit = toe::regmap::find(addr);  // nullptr for holes and misaligned offsets
    const bool misaligned = (addr & 3u) != 0;
    const bool err = req && (refuse || misaligned || !hit || (we && !hit->sw_writable()));
    const bool ok = req && !refuse;  // an access refused from outside has no side effect
    std::uint32_t code = 0;
    if (refuse) {
      code = refuse_code;
    } else if (misaligned) {
      code = static_cast<std::uint32_t>(toe::regmap::LastErrorCode::kMisaligned);
    } else if (!hit) {
      code = static_cast<std::uint32_t>(toe::regmap::LastErrorCode::kUnmapped);
    } else {
      code = static_cast<std::uint32_t>(toe::regmap::LastErrorCode::kReadOnly);
    }
    Response rsp;
    rsp.valid = req;
    rsp.err = err;
    rsp.rdata = (ok && !we && hit) ? read_value(*hit, hw2reg) : 0;

    // Each register's next state depends only on itself and the inputs: update in place.
    for (const Reg& r : kRegs) {
      const bool wr = ok && we && hit == &r;
      const bool rd = ok && !we && hit == &r;
      const std::uint32_t q = stored(r);
      std::uint32_t d = q;
      for (const EffField& f : fields_of(r)) {
        const std::uint32_t m = width_mask(f.width);
        const std::uint32_t fq = (q >> f.lsb) & m;
        const std::uint32_t fw = (wdata >> f.lsb) & m;
        std::uint32_t fd = fq;
        if (f.access == Access::kRw) {
          fd = wr ? fw : (f.self_clear ? 0 : fq);
        } else if (f.access == Access::kW1c) {
          fd = (fq & ~(wr ? fw : 0)) | hw(hw2reg, r, f, f.set);
        } else if (f.access == Access::kRc && r.source == Source::kBusError) {
          fd = err ? ((f.name == "CODE" ? code : addr) & m) : (rd ? 0 : fq);
        } else if (f.access == Access::kRc) {
          fd = hw(hw2reg, r, f, f.de) ? hw(hw2reg, r, f, f.d) : (rd ? 0 : fq);
        }
        d = (d & ~(m << f.lsb)) | (fd << f.lsb);
      }
      stored(r) = d;
    }
    rsp_ = rsp;
  }

  Response response() const { return rsp_; }

  Bits reg2hw() const {
    Bits v = zero_bits(toe::regmap::kReg2HwWidth);
    for (const PortBits& p : toe::regmap::kReg2Hw) {
      const Reg* r = toe::regmap::find(std::string_view(p.reg));
      for (const EffField& f : fields_of(*r)) {
        if (f.name == p.field) {
          set_bits(v, p.lsb, p.width, (stored(*r) >> f.lsb) & width_mask(f.width));
        }
      }
    }
    return v;
  }

 private:
  std::vector<std::uint32_t> stored_;  // per kRegs entry: value of its stored fields
  Response rsp_;
};

class RegTop : public ::testing::Test {
 protected:
  RegTop() : ctx_(std::make_unique<VerilatedContext>()), top_(std::make_unique<Vtoe_reg_top>(ctx_.get())) {
    hw2reg_ = zero_bits(toe::regmap::kHw2RegWidth);
    top_->clk_i = 0;
    top_->rst_ni = 0;
    top_->req_i = 0;
    to_port(top_->hw2reg_i, hw2reg_);
    top_->eval();
    top_->clk_i = 1;
    top_->eval();
    top_->clk_i = 0;
    top_->rst_ni = 1;
    top_->eval();
    ref_.reset();
    compare("after reset");
  }

  ~RegTop() override { top_->final(); }

  void compare(const std::string& when) {
    const Response want = ref_.response();
    ASSERT_EQ(static_cast<bool>(top_->valid_o), want.valid) << when;
    ASSERT_EQ(static_cast<bool>(top_->err_o), want.err) << when;
    ASSERT_EQ(top_->rdata_o, want.rdata) << when;
    const Bits got = from_port(top_->reg2hw_o, toe::regmap::kReg2HwWidth);
    const Bits exp = ref_.reg2hw();
    for (const PortBits& p : toe::regmap::kReg2Hw) {
      if (std::string_view(p.role) == "next") continue;  // checked before the edge (cycle)
      ASSERT_EQ(get_bits(got, p.lsb, p.width), get_bits(exp, p.lsb, p.width))
          << when << ": reg2hw." << p.member;
    }
  }

  // The `next` members (a register with next = true) before the clock edge against the stored
  // value after it.
  void compare_next(const Bits& before_edge, const std::string& when) {
    const Bits exp = ref_.reg2hw();
    for (const PortBits& p : toe::regmap::kReg2Hw) {
      if (std::string_view(p.role) != "next") continue;
      ASSERT_EQ(get_bits(before_edge, p.lsb, p.width), get_bits(exp, p.lsb, p.width))
          << when << ": reg2hw." << p.member << " before the edge";
    }
  }

  // Drive the RTL's inputs and settle them, without a clock edge.
  void drive(bool req, bool we, std::uint32_t addr, std::uint32_t wdata, bool refuse = false,
             std::uint32_t refuse_code = 0) {
    top_->req_i = req;
    top_->we_i = we;
    top_->addr_i = static_cast<std::remove_reference_t<decltype(top_->addr_i)>>(addr);
    top_->wdata_i = wdata;
    top_->refuse_i = refuse;
    top_->refuse_code_i =
        static_cast<std::remove_reference_t<decltype(top_->refuse_code_i)>>(refuse_code);
    to_port(top_->hw2reg_i, hw2reg_);
    top_->eval();
  }

  // One cycle: drive the inputs, clock both, compare. Returns the RTL's response.
  Response cycle(bool req, bool we, std::uint32_t addr, std::uint32_t wdata, bool refuse = false,
                 std::uint32_t refuse_code = 0) {
    drive(req, we, addr, wdata, refuse, refuse_code);
    const Bits next = from_port(top_->reg2hw_o, toe::regmap::kReg2HwWidth);
    top_->clk_i = 1;
    top_->eval();
    top_->clk_i = 0;
    top_->eval();
    ref_.clock(req, we, addr, wdata, hw2reg_, refuse, refuse_code);
    char what[128];
    std::snprintf(what, sizeof what,
                  "cycle %llu (req %d we %d addr 0x%04X wdata 0x%08X refuse %d code %u)",
                  static_cast<unsigned long long>(cycles_), req, we, addr, wdata, refuse,
                  refuse_code);
    ++cycles_;
    compare_next(next, what);
    compare(what);
    return {static_cast<bool>(top_->valid_o), static_cast<bool>(top_->err_o), top_->rdata_o};
  }

  Response read(std::uint32_t addr) { return cycle(true, false, addr, 0); }
  Response write(std::uint32_t addr, std::uint32_t data) { return cycle(true, true, addr, data); }
  // Accesses refused from outside (refuse_i) with this code.
  Response refused_read(std::uint32_t addr, std::uint32_t code) {
    return cycle(true, false, addr, 0, true, code);
  }
  Response refused_write(std::uint32_t addr, std::uint32_t data, std::uint32_t code) {
    return cycle(true, true, addr, data, true, code);
  }
  Bits reg2hw() const { return from_port(top_->reg2hw_o, toe::regmap::kReg2HwWidth); }
  void idle() { cycle(false, false, 0, 0); }

  void set_hw(const char* reg, const char* field, const char* role, std::uint32_t value) {
    for (const PortBits& p : toe::regmap::kHw2Reg) {
      if (p.reg == std::string(reg) && p.field == std::string(field) &&
          p.role == std::string(role)) {
        set_bits(hw2reg_, p.lsb, p.width, value);
        return;
      }
    }
    FAIL() << "no hw2reg " << reg << "." << field << " " << role;
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vtoe_reg_top> top_;
  ReferenceRegs ref_;
  Bits hw2reg_;
  std::uint64_t cycles_ = 0;
};

TEST_F(RegTop, IdentityAndResetValues) {
  EXPECT_EQ(read(TOE_REG_TYPE_OFFSET).rdata, TOE_DEVICE_TYPE);
  EXPECT_EQ(read(TOE_REG_VERSION_OFFSET).rdata, TOE_DEVICE_VERSION);
  EXPECT_EQ(read(TOE_REG_SESSIONS_OFFSET).rdata, static_cast<std::uint32_t>(TOE_TEST_SESSIONS));
  EXPECT_EQ(read(TOE_REG_TX_BUF_BYTES_OFFSET).rdata, static_cast<std::uint32_t>(TOE_TEST_TX_BUF_BYTES));
  EXPECT_EQ(read(TOE_REG_RX_BUF_BYTES_OFFSET).rdata, static_cast<std::uint32_t>(TOE_TEST_RX_BUF_BYTES));
  EXPECT_EQ(read(TOE_REG_MSS_OFFSET).rdata, 1460u);
  for (const Reg& r : kRegs) {
    const Response rsp = read(r.offset);  // compared with the table-driven reference
    EXPECT_TRUE(rsp.valid) << r.name;
    EXPECT_FALSE(rsp.err) << r.name;
  }
}

TEST_F(RegTop, ResponseIsOneCycleLaterEvenBackToBack) {
  idle();
  EXPECT_FALSE(top_->valid_o);
  write(TOE_REG_FIXED_ISN_OFFSET, 0x12345678u);
  EXPECT_TRUE(top_->valid_o);
  EXPECT_EQ(read(TOE_REG_FIXED_ISN_OFFSET).rdata, 0x12345678u);  // the write took effect
  idle();
  EXPECT_FALSE(top_->valid_o);
}

TEST_F(RegTop, HoleIsRefusedAndRecordedInLastError) {
  const Response rsp = read(0x00Cu);
  EXPECT_TRUE(rsp.err);
  EXPECT_EQ(rsp.rdata, 0u);
  const std::uint32_t le = read(TOE_REG_LAST_ERROR_OFFSET).rdata;
  EXPECT_EQ(TOE_REG_FIELD_GET(le, LAST_ERROR, CODE), TOE_REG_LAST_ERROR_CODE_UNMAPPED);
  EXPECT_EQ(TOE_REG_FIELD_GET(le, LAST_ERROR, ADDR), 0x00Cu);
  EXPECT_EQ(read(TOE_REG_LAST_ERROR_OFFSET).rdata, 0u) << "clear on read";
  EXPECT_TRUE(write(0xFFFCu, 1u).err);
  EXPECT_TRUE(read(0x8000u).err) << "reserved buffer window has no registers yet";
}

TEST_F(RegTop, MisalignedIsRefused) {
  EXPECT_TRUE(read(TOE_REG_CTRL_OFFSET + 1).err);
  const std::uint32_t le = read(TOE_REG_LAST_ERROR_OFFSET).rdata;
  EXPECT_EQ(TOE_REG_FIELD_GET(le, LAST_ERROR, CODE), TOE_REG_LAST_ERROR_CODE_MISALIGNED);
  EXPECT_EQ(TOE_REG_FIELD_GET(le, LAST_ERROR, ADDR), TOE_REG_CTRL_OFFSET + 1);
}

TEST_F(RegTop, WriteToReadOnlyIsRefusedAndChangesNothing) {
  EXPECT_TRUE(write(TOE_REG_TYPE_OFFSET, 0u).err);
  EXPECT_EQ(read(TOE_REG_TYPE_OFFSET).rdata, TOE_DEVICE_TYPE);
  EXPECT_TRUE(write(TOE_REG_CNT_FRAMES_IN_OFFSET, 5u).err);
  EXPECT_TRUE(write(TOE_REG_LAST_ERROR_OFFSET, 0u).err) << "rc is read-only too";
  const std::uint32_t le = read(TOE_REG_LAST_ERROR_OFFSET).rdata;
  EXPECT_EQ(TOE_REG_FIELD_GET(le, LAST_ERROR, CODE), TOE_REG_LAST_ERROR_CODE_READ_ONLY);
  EXPECT_EQ(TOE_REG_FIELD_GET(le, LAST_ERROR, ADDR), TOE_REG_LAST_ERROR_OFFSET);
}

TEST_F(RegTop, RwKeepsOnlyImplementedBits) {
  EXPECT_FALSE(write(TOE_REG_MSS_OFFSET, 0xFFFF0000u | 536u).err);
  EXPECT_EQ(read(TOE_REG_MSS_OFFSET).rdata, 536u);
  write(TOE_REG_CTRL_OFFSET, 0xFFFFFFFFu);
  // Read in the very cycle SOFT_RESET is 1: it still reads as 0.
  EXPECT_EQ(read(TOE_REG_CTRL_OFFSET).rdata,
            TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_FIXED_ISN_EN_MASK);
}

TEST_F(RegTop, SoftResetIsAOneCyclePulse) {
  const auto* p = &toe::regmap::kReg2Hw[0];
  for (const PortBits& b : toe::regmap::kReg2Hw) {
    if (std::string(b.member) == "ctrl.soft_reset") p = &b;
  }
  ASSERT_STREQ(p->member, "ctrl.soft_reset");
  write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_SOFT_RESET_MASK);
  EXPECT_EQ(get_bits(from_port(top_->reg2hw_o, toe::regmap::kReg2HwWidth), p->lsb, 1), 1u);
  idle();
  EXPECT_EQ(get_bits(from_port(top_->reg2hw_o, toe::regmap::kReg2HwWidth), p->lsb, 1), 0u);
}

// CONN_SEL has next = true: reg2hw.conn_sel_next shows a write in its own cycle, before the
// edge; reg2hw.conn_sel from the edge on. A refused write changes neither.
TEST_F(RegTop, ConnSelNextLeadsTheStoredValueByOneCycle) {
  const PortBits* q = port_entry(toe::regmap::kReg2Hw, std::size(toe::regmap::kReg2Hw), "CONN_SEL",
                                 "CONN_SEL", "q");
  const PortBits* n = port_entry(toe::regmap::kReg2Hw, std::size(toe::regmap::kReg2Hw), "CONN_SEL",
                                 "CONN_SEL", "next");
  ASSERT_NE(q, nullptr);
  ASSERT_NE(n, nullptr);
  ASSERT_STREQ(n->member, "conn_sel_next");
  drive(true, true, TOE_REG_CONN_SEL_OFFSET, 7);
  EXPECT_EQ(get_bits(reg2hw(), n->lsb, n->width), 7u) << "next: before the edge";
  EXPECT_EQ(get_bits(reg2hw(), q->lsb, q->width), 0u) << "q: still the reset value";
  write(TOE_REG_CONN_SEL_OFFSET, 7);
  EXPECT_EQ(get_bits(reg2hw(), q->lsb, q->width), 7u);
  drive(true, true, TOE_REG_CONN_SEL_OFFSET, 9, true, 5);
  EXPECT_EQ(get_bits(reg2hw(), n->lsb, n->width), 7u) << "a refused write is not the next value";
  refused_write(TOE_REG_CONN_SEL_OFFSET, 9, 5);
  EXPECT_EQ(get_bits(reg2hw(), q->lsb, q->width), 7u);
  EXPECT_EQ(get_bits(reg2hw(), n->lsb, n->width), 7u);
}

TEST_F(RegTop, W1cSetByHardwareClearedByOneAndSetWins) {
  set_hw("INTR_STATE", "DROP", "set", 1);
  idle();
  set_hw("INTR_STATE", "DROP", "set", 0);
  EXPECT_EQ(read(TOE_REG_INTR_STATE_OFFSET).rdata, TOE_REG_INTR_STATE_DROP_MASK);
  write(TOE_REG_INTR_STATE_OFFSET, 0u);  // writing 0 leaves it
  EXPECT_EQ(read(TOE_REG_INTR_STATE_OFFSET).rdata, TOE_REG_INTR_STATE_DROP_MASK);
  set_hw("INTR_STATE", "DROP", "set", 1);
  write(TOE_REG_INTR_STATE_OFFSET, TOE_REG_INTR_STATE_DROP_MASK);  // clear and set together
  set_hw("INTR_STATE", "DROP", "set", 0);
  EXPECT_EQ(read(TOE_REG_INTR_STATE_OFFSET).rdata, TOE_REG_INTR_STATE_DROP_MASK);
  write(TOE_REG_INTR_STATE_OFFSET, TOE_REG_INTR_STATE_DROP_MASK);
  EXPECT_EQ(read(TOE_REG_INTR_STATE_OFFSET).rdata, 0u);
}

TEST_F(RegTop, RoReadsTheCoreLive) {
  set_hw("CNT_FRAMES_IN", "CNT_FRAMES_IN", "d", 0xDEADBEEFu);
  set_hw("STATUS", "READY", "d", 1);
  EXPECT_EQ(read(TOE_REG_CNT_FRAMES_IN_OFFSET).rdata, 0xDEADBEEFu);
  EXPECT_EQ(read(TOE_REG_STATUS_OFFSET).rdata, TOE_REG_STATUS_READY_MASK);
}

// ---- refusals decided outside the decoder (refuse_i, refuse_code_i) ----------------------

std::uint32_t last_error_code(std::uint32_t v) { return TOE_REG_FIELD_GET(v, LAST_ERROR, CODE); }
std::uint32_t last_error_addr(std::uint32_t v) { return TOE_REG_FIELD_GET(v, LAST_ERROR, ADDR); }

TEST_F(RegTop, RefusedWriteChangesNothingAndRecordsItsCode) {
  const std::uint32_t code = width_mask(refuse_code_width());  // any code: the decoder records it
  write(TOE_REG_MSS_OFFSET, 536u);
  const Response rsp = refused_write(TOE_REG_MSS_OFFSET, 1000u, code);
  EXPECT_TRUE(rsp.valid);
  EXPECT_TRUE(rsp.err);
  EXPECT_EQ(rsp.rdata, 0u);
  EXPECT_EQ(read(TOE_REG_MSS_OFFSET).rdata, 536u) << "the refused write did not store";
  const std::uint32_t le = read(TOE_REG_LAST_ERROR_OFFSET).rdata;
  EXPECT_EQ(last_error_code(le), code);
  EXPECT_EQ(last_error_addr(le), TOE_REG_MSS_OFFSET);
}

TEST_F(RegTop, RefusedWriteNeitherClearsW1cNorPulsesSelfClearing) {
  set_hw("INTR_STATE", "DROP", "set", 1);
  idle();
  set_hw("INTR_STATE", "DROP", "set", 0);
  EXPECT_TRUE(refused_write(TOE_REG_INTR_STATE_OFFSET, 0xFFFFFFFFu, 1u).err);
  EXPECT_EQ(read(TOE_REG_INTR_STATE_OFFSET).rdata, TOE_REG_INTR_STATE_DROP_MASK)
      << "a refused write of 1 does not clear";

  const PortBits* sr = port_entry(toe::regmap::kReg2Hw, std::size(toe::regmap::kReg2Hw), "CTRL",
                                  "SOFT_RESET", "q");
  ASSERT_NE(sr, nullptr);
  refused_write(TOE_REG_CTRL_OFFSET, 0xFFFFFFFFu, 1u);
  EXPECT_EQ(get_bits(reg2hw(), sr->lsb, 1), 0u) << "no SOFT_RESET pulse";
  EXPECT_EQ(read(TOE_REG_CTRL_OFFSET).rdata, 0u) << "ENABLE and FIXED_ISN_EN not stored";
}

TEST_F(RegTop, RefusedReadAnswersZeroAndDoesNotClear) {
  EXPECT_TRUE(read(0x00Cu).err);  // LAST_ERROR: UNMAPPED at 0x00C
  const Response type = refused_read(TOE_REG_TYPE_OFFSET, 1u);
  EXPECT_TRUE(type.err);
  EXPECT_EQ(type.rdata, 0u);
  // A refused read of the rc register: no clear-on-read; the refusal itself is recorded.
  const std::uint32_t code = width_mask(refuse_code_width());
  const Response le_rsp = refused_read(TOE_REG_LAST_ERROR_OFFSET, code);
  EXPECT_TRUE(le_rsp.err);
  EXPECT_EQ(le_rsp.rdata, 0u);
  const std::uint32_t le = read(TOE_REG_LAST_ERROR_OFFSET).rdata;
  EXPECT_EQ(last_error_code(le), code);
  EXPECT_EQ(last_error_addr(le), TOE_REG_LAST_ERROR_OFFSET);
  EXPECT_EQ(read(TOE_REG_LAST_ERROR_OFFSET).rdata, 0u) << "an accepted read clears";
}

TEST_F(RegTop, RefuseComesBeforeTheDecodersChecks) {
  const std::uint32_t code = width_mask(refuse_code_width());
  struct Case {
    bool we;
    std::uint32_t addr;
    const char* what;
  };
  const Case cases[] = {{false, TOE_REG_CTRL_OFFSET + 2, "misaligned"},
                        {false, 0x00Cu, "hole"},
                        {true, TOE_REG_TYPE_OFFSET, "write to read-only"},
                        {true, TOE_REG_LAST_ERROR_OFFSET, "write to rc"}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    EXPECT_TRUE(cycle(true, c.we, c.addr, 0u, true, code).err);
    const std::uint32_t le = read(TOE_REG_LAST_ERROR_OFFSET).rdata;
    EXPECT_EQ(last_error_code(le), code);
    EXPECT_EQ(last_error_addr(le), c.addr);
  }
}

TEST_F(RegTop, EveryRefuseCodeIsRecorded) {
  for (std::uint32_t code = 0; code <= width_mask(refuse_code_width()); ++code) {
    SCOPED_TRACE(code);
    EXPECT_TRUE(refused_write(TOE_REG_FIXED_ISN_OFFSET, code, code).err);
    const std::uint32_t le = read(TOE_REG_LAST_ERROR_OFFSET).rdata;
    EXPECT_EQ(last_error_code(le), code);
    EXPECT_EQ(last_error_addr(le), TOE_REG_FIXED_ISN_OFFSET);
  }
  EXPECT_EQ(read(TOE_REG_FIXED_ISN_OFFSET).rdata, 0u);
}

TEST_F(RegTop, RefuseWithoutRequestIsIgnored) {
  const Response rsp = cycle(false, true, TOE_REG_CTRL_OFFSET, 1u, true, 1u);
  EXPECT_FALSE(rsp.valid);
  EXPECT_FALSE(rsp.err);
  EXPECT_EQ(read(TOE_REG_LAST_ERROR_OFFSET).rdata, 0u);
}

// The logic around the decoder serves the windows; an access that reaches the decoder there
// is a hole (with no window in the map, there is nothing to check).
TEST_F(RegTop, WindowAddressesAreUnmappedInTheDecoder) {
  const std::uint32_t window = 1u << toe::regmap::kAddrWidth;
  for (std::uint32_t a = 0; a < window; a += 4) {
    const toe::regmap::Window* w = toe::regmap::find_window(a);
    // Each window's first and last word, and every 64th word between: reads and writes.
    if (w == nullptr || ((a - w->base) % 0x100u != 0 && a != w->base + w->size - 4)) continue;
    SCOPED_TRACE(w->name);
    EXPECT_TRUE(cycle(true, (a & 0x100u) != 0, a, 0xFFFFFFFFu).err);
    const std::uint32_t le = read(TOE_REG_LAST_ERROR_OFFSET).rdata;
    EXPECT_EQ(last_error_code(le), TOE_REG_LAST_ERROR_CODE_UNMAPPED);
    EXPECT_EQ(last_error_addr(le), a);
    if (HasFailure()) return;
  }
}

TEST_F(RegTop, RandomTrafficMatchesTheTable) {
  std::mt19937 rng(20240601u);
  std::vector<std::uint32_t> offsets;
  for (const Reg& r : kRegs) offsets.push_back(r.offset);
  const std::uint32_t window = 1u << toe::regmap::kAddrWidth;
  const std::uint32_t code_mask = width_mask(refuse_code_width());
  int refused_rc_reads = 0, refused_w1c_writes = 0, refused_self_clear_writes = 0;
  int refused_rw_writes = 0;
  for (int i = 0; i < 200000; ++i) {
    // Sparse hw2reg events, dense hw2reg values.
    for (const PortBits& p : toe::regmap::kHw2Reg) {
      const std::string role = p.role;
      const std::uint32_t r = rng();
      const std::uint32_t v = (role == "d") ? r : ((r % 8 == 0) ? rng() : 0u);
      set_bits(hw2reg_, p.lsb, p.width, v & width_mask(p.width));
    }
    const std::uint32_t pick = rng() % 16;
    std::uint32_t addr;
    if (pick < 12) {
      addr = offsets[rng() % offsets.size()];
    } else if (pick < 15) {
      addr = rng() % window;  // mostly holes, some misaligned
    } else {
      addr = offsets[rng() % offsets.size()] + 1 + rng() % 3;
    }
    const bool req = rng() % 4 != 0;
    const bool we = rng() % 2 == 0;
    const std::uint32_t wdata = (rng() % 4 == 0) ? 0xFFFFFFFFu : rng();
    // Refusals from outside on one access in 8 (and with req_i low, to be ignored).
    const bool refuse = rng() % 8 == 0;
    const std::uint32_t code = rng() & code_mask;
    cycle(req, we, addr, wdata, refuse, code);
    if (HasFatalFailure()) return;
    const Reg* hit = toe::regmap::find(addr);
    if (req && refuse && hit) {
      refused_rc_reads += !we && hit->rc_mask;
      refused_w1c_writes += we && hit->w1c_mask;
      refused_self_clear_writes += we && hit->self_clear_mask;
      refused_rw_writes += we && hit->write_mask;
    }
  }
  // The refusals reached every kind of side effect the map has.
  bool has_rc = false, has_w1c = false, has_self_clear = false;
  for (const Reg& r : kRegs) {
    has_rc |= r.rc_mask != 0;
    has_w1c |= r.w1c_mask != 0;
    has_self_clear |= r.self_clear_mask != 0;
  }
  EXPECT_GT(refused_rw_writes, 0);
  EXPECT_TRUE(!has_rc || refused_rc_reads > 0);
  EXPECT_TRUE(!has_w1c || refused_w1c_writes > 0);
  EXPECT_TRUE(!has_self_clear || refused_self_clear_writes > 0);
}

}  // namespace
