// SPDX-License-Identifier: Apache-2.0
#include "fsm/tcb_update.hpp"

namespace toe::model {

void TcbUpdate::apply(const FsmResult& r) {
  for (Counter c : r.count)
    if (c != Counter::kCount) t_.count(c);
  if (r.rsp_valid && !t_.rsp.push(r.rsp)) t_.count(Counter::kDropOverflow);
  for (uint8_t i = 0; i < r.n_evt; ++i) {
    Event e = r.evt[i];
    e.hold = r.payload && e.type == EvtType::kData;  // leaves once rx_copy has written the bytes
    if (!t_.evt.push(e)) {
      t_.count(Counter::kEventsDropped);
      if (e.hold) --t_.copy_credit;
    }
  }
}

}  // namespace toe::model
