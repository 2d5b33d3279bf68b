// SPDX-License-Identifier: Apache-2.0
#include "vcd.hpp"

#include <cerrno>
#include <cstring>
#include <ctime>

#include "options.hpp"

namespace toe::toesim {
namespace {

enum : size_t {
  kCycle,
  kRxTdata,
  kRxTkeep,
  kRxTvalid,
  kRxTready,
  kRxTlast,
  kRxTuser,
  kTxTdata,
  kTxTkeep,
  kTxTvalid,
  kTxTready,
  kTxTlast,
  kTxTuser,
  kCmdValid,
  kCmdReady,
  kEvtValid,
  kEvtReady,
  kNumSignals
};

uint64_t pack(const model::AxisBeat& b, uint32_t bytes) {
  uint64_t v = 0;
  for (uint32_t i = 0; i < bytes; ++i) v |= uint64_t(b.tdata[i]) << (8 * i);
  return v;
}

std::string vcd_id(size_t n) {
  // Printable identifiers '!'..'~', base 94.
  std::string s;
  do {
    s.push_back(static_cast<char>('!' + n % 94));
    n /= 94;
  } while (n);
  return s;
}

}  // namespace

VcdWriter::VcdWriter(const std::string& path, uint32_t data_bits, uint32_t clock_mhz)
    : path_(path), data_bits_(data_bits), clock_mhz_(clock_mhz), ps_(1000 % clock_mhz != 0) {
  f_ = std::fopen(path.c_str(), "w");
  if (!f_) throw UsageError("--vcd " + path + ": cannot create the file: " + std::strerror(errno));
  std::setvbuf(f_, nullptr, _IOFBF, 1 << 20);
  const uint32_t keep = data_bits / 8;
  const struct {
    const char* name;
    uint32_t width;
  } defs[kNumSignals] = {
      {"cycle", 64},
      {"s_axis_rx_tdata", data_bits},
      {"s_axis_rx_tkeep", keep},
      {"s_axis_rx_tvalid", 1},
      {"s_axis_rx_tready", 1},
      {"s_axis_rx_tlast", 1},
      {"s_axis_rx_tuser", 1},
      {"m_axis_tx_tdata", data_bits},
      {"m_axis_tx_tkeep", keep},
      {"m_axis_tx_tvalid", 1},
      {"m_axis_tx_tready", 1},
      {"m_axis_tx_tlast", 1},
      {"m_axis_tx_tuser", 1},
      {"s_cmd_valid", 1},
      {"s_cmd_ready", 1},
      {"m_evt_valid", 1},
      {"m_evt_ready", 1},
  };
  for (size_t i = 0; i < kNumSignals; ++i) sig_.push_back({defs[i].name, vcd_id(i), defs[i].width, 0, true});

  std::time_t now = std::time(nullptr);
  char date[64];
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", std::localtime(&now));
  std::fprintf(f_, "$date %s $end\n", date);
  std::fprintf(f_, "$version toe_sim (toecore cycle-accurate model) $end\n");
  std::fprintf(f_,
               "$comment\n  Ports of toe_top, sampled once per clock cycle (%u MHz). cycle is the clock\n"
               "  cycle number, updated at every time where another signal changes.\n$end\n",
               clock_mhz);
  std::fprintf(f_, "$timescale %s $end\n", ps_ ? "1ps" : "1ns");
  std::fprintf(f_, "$scope module toe_top $end\n");
  for (const Signal& s : sig_) {
    if (s.width == 1)
      std::fprintf(f_, "$var wire 1 %s %s $end\n", s.id.c_str(), s.name.c_str());
    else
      std::fprintf(f_, "$var wire %u %s %s [%u:0] $end\n", s.width, s.id.c_str(), s.name.c_str(), s.width - 1);
  }
  std::fprintf(f_, "$upscope $end\n$enddefinitions $end\n");
}

VcdWriter::~VcdWriter() {
  if (f_) std::fclose(f_);
}

uint64_t VcdWriter::time_of(uint64_t cycle) const {
  return ps_ ? cycle * 1000000 / clock_mhz_ : cycle * 1000 / clock_mhz_;
}

void VcdWriter::set(size_t i, uint64_t v, bool known) {
  Signal& s = sig_[i];
  if (s.width < 64) v &= (uint64_t(1) << s.width) - 1;
  if (first_ || s.value != v || s.known != known) {
    s.value = v;
    s.known = known;
    changed_.push_back(i);
  }
}

void VcdWriter::write_value(const Signal& s) {
  if (s.width == 1) {
    std::fputc(!s.known ? 'x' : (s.value ? '1' : '0'), f_);
    std::fputs(s.id.c_str(), f_);
    std::fputc('\n', f_);
    return;
  }
  char buf[80];
  size_t n = 0;
  buf[n++] = 'b';
  if (!s.known) {
    buf[n++] = 'x';
  } else {
    int top = 63;
    while (top > 0 && !((s.value >> top) & 1u)) --top;
    for (int b = top; b >= 0; --b) buf[n++] = ((s.value >> b) & 1u) ? '1' : '0';
  }
  buf[n++] = ' ';
  std::fwrite(buf, 1, n, f_);
  std::fputs(s.id.c_str(), f_);
  std::fputc('\n', f_);
}

void VcdWriter::sample(uint64_t cycle, const PortSample& p) {
  if (!f_) return;
  changed_.clear();
  const uint32_t bytes = data_bits_ / 8;
  set(kRxTdata, pack(p.rx, bytes));
  set(kRxTkeep, p.rx.tkeep);
  set(kRxTvalid, p.rx.tvalid);
  set(kRxTready, p.rx_tready);
  set(kRxTlast, p.rx.tlast);
  set(kRxTuser, p.rx.tuser);
  set(kTxTdata, pack(p.tx, bytes));
  set(kTxTkeep, p.tx.tkeep);
  set(kTxTvalid, p.tx.tvalid);
  set(kTxTready, p.tx_tready);
  set(kTxTlast, p.tx.tlast);
  set(kTxTuser, p.tx.tuser);
  set(kCmdValid, p.cmd_valid > 0, p.cmd_valid >= 0);
  set(kCmdReady, p.cmd_ready);
  set(kEvtValid, p.evt_valid);
  set(kEvtReady, p.evt_ready);
  if (changed_.empty()) return;
  set(kCycle, cycle);
  last_time_ = time_of(cycle);
  std::fprintf(f_, "#%llu\n", static_cast<unsigned long long>(last_time_));
  if (first_) std::fputs("$dumpvars\n", f_);
  for (size_t i : changed_) write_value(sig_[i]);
  if (first_) std::fputs("$end\n", f_);
  first_ = false;
}

void VcdWriter::close(uint64_t end_cycle) {
  if (!f_) return;
  const uint64_t t = time_of(end_cycle);
  if (first_ || t > last_time_) std::fprintf(f_, "#%llu\n", static_cast<unsigned long long>(t));
  std::fclose(f_);
  f_ = nullptr;
}

}  // namespace toe::toesim
