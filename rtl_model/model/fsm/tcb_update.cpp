// SPDX-License-Identifier: Apache-2.0
#include "fsm/tcb_update.hpp"

namespace toe::model {

void TcbUpdate::apply(const FsmResult& r, std::vector<uint64_t>& counters) {
  for (Counter c : r.count)
    if (c != Counter::kCount) ++counters[size_t(c)];
  if (r.rsp_valid && !t_.rsp.push(r.rsp)) ++counters[size_t(Counter::kDropOverflow)];
  for (uint8_t i = 0; i < r.n_evt; ++i) {
    Event e = r.evt[i];
    e.hold = r.payload && e.type == EvtType::kData;  // leaves once rx_copy has written the bytes
    if (!t_.evt.push(e)) {
      ++counters[size_t(Counter::kEventsDropped)];
      if (e.hold) --t_.copy_credit;
    }
  }
}

}  // namespace toe::model
