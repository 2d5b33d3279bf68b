// SPDX-License-Identifier: Apache-2.0
// A value-change dump of toe_top's ports, one sample per clock cycle, written
// by hand (IEEE 1364 VCD): only changes are written.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "toe_types.hpp"

namespace toe::toesim {

// The port values of one cycle (the names are toe_top's).
struct PortSample {
  model::AxisBeat rx;  // s_axis_rx_* (inputs)
  bool rx_tready = false;
  model::AxisBeat tx;  // m_axis_tx_* (outputs)
  bool tx_tready = true;
  int cmd_valid = 0;   // -1: not observable (written as x)
  bool cmd_ready = false;
  bool evt_valid = false, evt_ready = true;
};

class VcdWriter {
 public:
  // Throws UsageError naming the file when it cannot be created.
  VcdWriter(const std::string& path, uint32_t data_bits, uint32_t clock_mhz);
  ~VcdWriter();
  VcdWriter(const VcdWriter&) = delete;
  VcdWriter& operator=(const VcdWriter&) = delete;
  void sample(uint64_t cycle, const PortSample& p);
  // Writes the final timestamp and closes the file.
  void close(uint64_t end_cycle);
  const std::string& path() const { return path_; }

 private:
  struct Signal {
    std::string name, id;
    uint32_t width;
    uint64_t value;
    bool known;  // false: x
  };
  void set(size_t i, uint64_t v, bool known = true);
  void write_value(const Signal& s);
  uint64_t time_of(uint64_t cycle) const;

  std::string path_;
  FILE* f_ = nullptr;
  uint32_t data_bits_, clock_mhz_;
  bool ps_ = false;  // timescale 1ps (clock periods that are not whole ns)
  std::vector<Signal> sig_;
  std::vector<size_t> changed_;
  bool first_ = true;
  uint64_t last_time_ = 0;
};

}  // namespace toe::toesim
