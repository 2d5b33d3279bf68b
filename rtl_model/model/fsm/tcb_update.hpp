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
  // Pushes r's (the fsm's registered result) counts, response and events into the tables.
  // Called in commit (toe_tables' step 3).
  void apply(const FsmResult& r);

 private:
  Tables& t_;
};

}  // namespace toe::model
