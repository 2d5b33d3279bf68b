// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "top/tables.hpp"

namespace toe::model {

// toe_conn_lookup: hashes the 4-tuple to a bucket of the index (the ways of
// the bucket are read here and compared in tcp_fsm, with forwarding of the
// index writes of the segment ahead). Latency 1.
class ConnLookup {
 public:
  explicit ConnLookup(Tables& t) : t_(t) {}
  void reset() { q_valid = d_valid = false; }
  void eval(bool in_valid, const SegMeta& in) {
    d_valid = in_valid;
    d = in;
    if (in_valid && in.is_tcp && !in.drop) d.bucket = t_.bucket_of(in.sip, in.sport, in.dport);
  }
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
