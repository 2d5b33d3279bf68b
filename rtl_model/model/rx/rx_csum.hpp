// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "top/tables.hpp"

namespace toe::model {

// toe_rx_csum: IPv4 header and TCP checksums (in RTL accumulated per beat
// while the frame arrives; the verdict is registered here). Latency 1.
class RxCsum {
 public:
  explicit RxCsum(Tables& t) : t_(t) {}
  void reset() { q_valid = d_valid = false; }
  void eval(bool in_valid, const SegMeta& in);
  void commit() {
    q_valid = d_valid;
    q = d;
  }
  bool q_valid = false;
  SegMeta q;

 private:
  Tables& t_;
  bool d_valid = false;
  SegMeta d;
};

}  // namespace toe::model
