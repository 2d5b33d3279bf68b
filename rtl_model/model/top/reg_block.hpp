// SPDX-License-Identifier: Apache-2.0
// toe::model::RegBlockT<Map>: the twin of a generated register decoder (toe_reg_top for the host
// port, toe_fw_reg_top for the firmware port; scripts/toegen/emit_sv_top.py), driven by that
// map's generated table. Registers are indexed by their place in Map::regs() (offset order).
//
// Map is one of the traits below (HostMap: rtl_model/regmap/toe_regs.toml; FwMap:
// toe_fw_regs.toml): the table, its address width and the three LAST_ERROR codes the decoder
// decides itself. Two-phase clocking: eval() computes the next state, commit() makes it current.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "top/engine_config.hpp"
#include "toe_fw_regs_table.hpp"
#include "toe_regs_table.hpp"

namespace toe::model {

// The host port's map (toe_regs.toml).
struct HostMap {
  static constexpr std::size_t kRegCount = regmap::kRegCount;
  static constexpr uint32_t kAddrWidth = regmap::kAddrWidth;
  static constexpr const regmap::Reg* regs() { return regmap::kRegs; }
  static constexpr const regmap::Reg* find(uint32_t offset) { return regmap::find(offset); }
  static constexpr uint32_t kUnmapped = uint32_t(regmap::LastErrorCode::kUnmapped);
  static constexpr uint32_t kReadOnly = uint32_t(regmap::LastErrorCode::kReadOnly);
  static constexpr uint32_t kMisaligned = uint32_t(regmap::LastErrorCode::kMisaligned);
};

// The firmware port's map (toe_fw_regs.toml).
struct FwMap {
  static constexpr std::size_t kRegCount = fw_regmap::kRegCount;
  static constexpr uint32_t kAddrWidth = fw_regmap::kAddrWidth;
  static constexpr const regmap::Reg* regs() { return fw_regmap::kRegs; }
  static constexpr const regmap::Reg* find(uint32_t offset) { return fw_regmap::find(offset); }
  static constexpr uint32_t kUnmapped = uint32_t(fw_regmap::LastErrorCode::kUnmapped);
  static constexpr uint32_t kReadOnly = uint32_t(fw_regmap::LastErrorCode::kReadOnly);
  static constexpr uint32_t kMisaligned = uint32_t(fw_regmap::LastErrorCode::kMisaligned);
};

template <class Map>
class RegBlockT {
 public:
  static constexpr std::size_t kRegCount = Map::kRegCount;
  using Values = std::array<uint32_t, kRegCount>;

  // What the core drives (hw2reg_t) that a read returns: ro fields of core registers read
  // `value`. (The w1c sets go to eval on their own.)
  struct Hw {
    Values value{};
  };

  // p: the build parameters (a const register's reset_param names one, e.g. SESSIONS).
  // Throws std::logic_error for a policy the table holds and this block does not implement
  // (an rc field loaded by the core) or a build parameter it does not know.
  explicit RegBlockT(const params::Values& p) : params_(p) {
    for (std::size_t i = 0; i < kRegCount; ++i) {
      const regmap::Reg& r = reg(i);
      if (r.rc_mask != 0 && r.source != regmap::Source::kBusError) {
        throw std::logic_error(std::string("RegBlock: rc register loaded by the core: ") + r.name);
      }
      if (r.source == regmap::Source::kConst && r.reset_param) param_value(r.reset_param);
      // The registers a clock changes without an access to them (eval's per-register rule
      // leaves every other one as it is unless it is the one accessed).
      if (r.self_clear_mask != 0 || r.w1c_mask != 0) background_[background_count_++] = i;
      if (r.source == regmap::Source::kBusError) {
        bus_error_ = i;
        code_ = field(i, "CODE");
        addr_ = field(i, "ADDR");
      }
    }
    reset();
  }

  void reset() {
    for (std::size_t i = 0; i < kRegCount; ++i) q_[i] = reg(i).reset & stored_mask(reg(i));
    pending_count_ = 0;
    valid_q_ = err_q_ = valid_d_ = err_d_ = false;
    rdata_q_ = rdata_d_ = 0;
  }

  // refuse: the logic around the block refuses this access (refuse_i): it answers err, changes
  // nothing and is recorded in LAST_ERROR with refuse_code (before the block's own checks:
  // misaligned, unmapped, read-only). hw: the core's values, needed by a read only (nullptr
  // otherwise: a read then answers 0 from core registers); set_reg / set: the w1c bits the core
  // sets this clock (in one register; set 0: none).
  void eval(bool req, bool we, uint32_t addr, uint32_t wdata, const Hw* hw, std::size_t set_reg, uint32_t set,
            bool refuse = false, uint32_t refuse_code = 0) {
    if (!req) {  // no access: only the self-clearing bits fall and the set lands
      pending_count_ = 0;
      auto idle_next = [&](std::size_t i) {
        const regmap::Reg& r = reg(i);
        uint32_t d = q_[i] & ~r.self_clear_mask;
        if (i == set_reg) d |= set & r.w1c_mask;
        if (d != q_[i]) pending_[pending_count_++] = {i, d};
      };
      for (std::size_t k = 0; k < background_count_; ++k) idle_next(background_[k]);
      if (bus_error_ < kRegCount && !is_background(bus_error_)) idle_next(bus_error_);
      valid_d_ = err_d_ = false;
      rdata_d_ = 0;
      return;
    }
    addr &= (1u << Map::kAddrWidth) - 1u;
    const regmap::Reg* hit = Map::find(addr);  // nullptr for a hole or a misaligned offset
    const std::size_t hit_i = hit ? std::size_t(hit - Map::regs()) : kRegCount;
    const bool misaligned = (addr & 3u) != 0;
    const bool unmapped = hit == nullptr;
    const bool write_read_only = we && (unmapped || !hit->sw_writable());
    const bool bus_err = req && (refuse || misaligned || unmapped || write_read_only);
    uint32_t code = Map::kReadOnly;
    if (refuse) {
      code = refuse_code;
    } else if (misaligned) {
      code = Map::kMisaligned;
    } else if (unmapped) {
      code = Map::kUnmapped;
    }

    // Register i's next value. Only the accessed register, the self-clearing and w1c ones and
    // LAST_ERROR can change; the others keep their value.
    auto next = [&](std::size_t i) {
      const regmap::Reg& r = reg(i);
      const bool selected = req && !bus_err && i == hit_i;
      uint32_t d = q_[i] & ~r.self_clear_mask;  // a self-clearing bit is 1 for one cycle only
      if (selected && we) {
        d = (d & ~r.write_mask) | (wdata & r.write_mask);
        d &= ~(wdata & r.w1c_mask);
      }
      if (i == set_reg) d |= set & r.w1c_mask;  // a set wins over a clear
      if (r.source == regmap::Source::kBusError) {
        if (bus_err) {
          d = (d & ~r.rc_mask) | ((put(code_, code) | put(addr_, addr)) & r.rc_mask);
        } else if (selected && !we) {
          d &= ~r.rc_mask;  // cleared by the read
        }
      }
      if (d != q_[i]) pending_[pending_count_++] = {i, d};
    };
    pending_count_ = 0;
    for (std::size_t k = 0; k < background_count_; ++k) next(background_[k]);
    if (bus_error_ < kRegCount && bus_error_ != hit_i) next(bus_error_);
    if (hit_i < kRegCount && !is_background(hit_i)) next(hit_i);

    valid_d_ = req;
    err_d_ = bus_err;
    static const Hw kNoValues{};
    rdata_d_ = (req && !we && hit && !bus_err) ? read_value(hit_i, hw ? *hw : kNoValues) : 0;
  }

  void commit() {
    for (std::size_t k = 0; k < pending_count_; ++k) q_[pending_[k].reg] = pending_[k].value;
    pending_count_ = 0;
    valid_q_ = valid_d_;
    err_q_ = err_d_;
    rdata_q_ = rdata_d_;
  }

  // The stored fields of register i (rw, w1c, rc; self-clearing bits while they are 1):
  // reg2hw. Bits that no stored field holds are 0.
  uint32_t q(std::size_t i) const { return q_[i]; }
  bool valid() const { return valid_q_; }
  uint32_t rdata() const { return rdata_q_; }
  bool err() const { return err_q_; }

  // The value a read of `addr` would return, without the read's side effects (rc fields are
  // not cleared, nothing is recorded in LAST_ERROR, nothing is clocked); hw as for eval.
  // False, and *value untouched, for a hole or a misaligned offset.
  bool peek(uint32_t addr, const Hw& hw, uint32_t* value) const {
    addr &= (1u << Map::kAddrWidth) - 1u;
    const regmap::Reg* hit = Map::find(addr);
    if (hit == nullptr) return false;
    *value = read_value(std::size_t(hit - Map::regs()), hw);
    return true;
  }

  static constexpr const regmap::Reg& reg(std::size_t i) { return Map::regs()[i]; }
  // The index of a register, and one of its fields, by name (a name the table does not hold
  // fails to compile when used in a constant expression).
  static constexpr std::size_t index(std::string_view name) {
    for (std::size_t i = 0; i < kRegCount; ++i) {
      if (name == reg(i).name) return i;
    }
    throw std::invalid_argument("RegBlock::index: no such register");
  }
  static constexpr const regmap::Field& field(std::size_t i, std::string_view name) {
    const regmap::Reg& r = reg(i);
    for (std::size_t f = 0; f < r.field_count; ++f) {
      if (name == r.fields[f].name) return r.fields[f];
    }
    throw std::invalid_argument("RegBlock::field: no such field");
  }
  // A value shifted into a field / a field's value out of a register's.
  static constexpr uint32_t put(const regmap::Field& f, uint32_t v) { return (v << f.lsb) & f.mask(); }
  static constexpr uint32_t get(const regmap::Field& f, uint32_t r) { return (r & f.mask()) >> f.lsb; }
  static constexpr uint32_t put(std::size_t i, std::string_view name, uint32_t v) { return put(field(i, name), v); }

 private:
  // Bits of a register that a flop holds (rw, w1c, rc fields); the others read the core or a
  // constant.
  static constexpr uint32_t stored_mask(const regmap::Reg& r) { return r.write_mask | r.w1c_mask | r.rc_mask; }

  // The value of the build parameter called `name` (toe_defs.toml's SV name, e.g. "Sessions").
  uint32_t param_value(const char* name) const {
    for (const params::Param& d : params::kParams) {
      if (std::string_view(name) == d.name) return params_.*d.member;
    }
    throw std::logic_error(std::string("RegBlock: no build parameter ") + name);
  }

  uint32_t read_value(std::size_t i, const Hw& hw) const {
    const regmap::Reg& r = reg(i);
    if (r.source == regmap::Source::kConst) {
      const uint32_t v = r.reset_param ? param_value(r.reset_param) : r.reset;
      return v & r.read_mask;
    }
    const uint32_t keep = stored_mask(r);
    return ((q_[i] & keep) | (hw.value[i] & ~keep)) & r.read_mask;
  }

  params::Values params_;
  std::array<std::size_t, kRegCount> background_{};  // self-clearing or w1c registers
  std::size_t background_count_ = 0;
  std::size_t bus_error_ = kRegCount;  // LAST_ERROR, and its fields
  regmap::Field code_{}, addr_{};
  bool is_background(std::size_t i) const {
    return (reg(i).self_clear_mask | reg(i).w1c_mask) != 0;
  }
  Values q_{};
  // This clock's register changes, applied at commit (at most the background registers,
  // LAST_ERROR and the accessed one).
  struct Change {
    std::size_t reg;
    uint32_t value;
  };
  std::array<Change, kRegCount + 2> pending_{};
  std::size_t pending_count_ = 0;
  bool valid_q_ = false, err_q_ = false, valid_d_ = false, err_d_ = false;
  uint32_t rdata_q_ = 0, rdata_d_ = 0;
};

using RegBlock = RegBlockT<HostMap>;      // toe_reg_top
using FwRegBlock = RegBlockT<FwMap>;      // toe_fw_reg_top

}  // namespace toe::model
