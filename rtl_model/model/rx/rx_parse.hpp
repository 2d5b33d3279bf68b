// toe_rx_parse: collects the beats of a frame into a frame slot and, on the
// cycle after tlast, presents the parsed headers as SegMeta.
// Header formats (all big-endian):
//   Ethernet  | dst mac 6 | src mac 6 | ethertype 2 |
//   IPv4      |ver/ihl|tos| total len | id | flags/frag | ttl | proto | csum | src | dst | opts..|
//   TCP       | sport | dport | seq 4 | ack 4 | off/rsvd | flags | window | csum | urg | opts..|
#pragma once

#include "tables.hpp"

namespace toe::model {

class RxParse {
 public:
  RxParse(const EngineConfig& cfg, Tables& t) : cfg_(cfg), t_(t) {}
  void reset() {
    q_valid = d_valid = false;
    pos_q_ = pos_d_ = 0;
    oversize_q_ = oversize_d_ = false;
    slot_q_ = slot_d_ = 0;
  }
  // beat_fire: a beat was transferred this cycle (tvalid && tready).
  void eval(const AxisBeat& beat, bool beat_fire);
  void commit() {
    q_valid = d_valid;
    q = d;
    pos_q_ = pos_d_;
    oversize_q_ = oversize_d_;
    slot_q_ = slot_d_;
  }
  bool q_valid = false;  // out_valid
  SegMeta q;             // out
  bool d_valid_out() const { return d_valid; }  // a frame ended this cycle

 private:
  const EngineConfig& cfg_;
  Tables& t_;
  uint32_t pos_q_ = 0, pos_d_ = 0;
  bool oversize_q_ = false, oversize_d_ = false;
  uint8_t slot_q_ = 0, slot_d_ = 0;
  bool d_valid = false;
  SegMeta d;
};

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
