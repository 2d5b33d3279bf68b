// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <vector>

#include "fsm/tcp_fsm.hpp"

namespace toe::model {

// toe_tcb_update: writes the TCB, the index and the receive buffer, pushes
// the response and the events. Latency 1 (effects visible from the next cycle;
// tcp_fsm forwards its own pending write).
class TcbUpdate {
 public:
  explicit TcbUpdate(Tables& t) : t_(t) {}
  // Applies r (the fsm's registered result) to the memories. Called in commit.
  void apply(const FsmResult& r, std::vector<uint64_t>& counters);

 private:
  Tables& t_;
};

}  // namespace toe::model
