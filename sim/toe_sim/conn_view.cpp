// SPDX-License-Identifier: Apache-2.0
#include "conn_view.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <ostream>
#include <tuple>

#include "options.hpp"  // UsageError

#include "toe/seq.hpp"

namespace toe::toesim {
namespace {

using net::kAck;
using net::kFin;
using net::kRst;
using net::kSyn;

// The peer's side of the connection, inferred from what it sends and receives.
class PeerFsm {
 public:
  explicit PeerFsm(TcpState initial) : st_(initial) {}
  TcpState state() const { return st_; }

  // Returns the states entered (in order).
  std::vector<TcpState> on_send(const ConnItem& s) {
    std::vector<TcpState> out;
    const uint8_t f = s.tcp.flags;
    if (f & kRst) {
      if (st_ != TcpState::CLOSED && st_ != TcpState::LISTEN) go(TcpState::CLOSED, out);
      return out;
    }
    if ((f & kSyn) && !(f & kAck) && st_ == TcpState::CLOSED) {
      iss_ = s.tcp.seq;
      go(TcpState::SYN_SENT, out);
    } else if ((f & kSyn) && (f & kAck)) {
      iss_ = s.tcp.seq;
    }
    if (f & kFin) {
      fin_sent_ = true;
      fin_seq_ = s.tcp.seq + uint32_t(s.len) + ((f & kSyn) ? 1u : 0u);
      if (st_ == TcpState::ESTABLISHED || st_ == TcpState::SYN_RECEIVED)
        go(TcpState::FIN_WAIT_1, out);
      else if (st_ == TcpState::CLOSE_WAIT)
        go(TcpState::LAST_ACK, out);
    }
    return out;
  }

  std::vector<TcpState> on_recv(const ConnItem& s) {
    std::vector<TcpState> out;
    const uint8_t f = s.tcp.flags;
    const bool ack = (f & kAck) != 0;
    if (f & kRst) {
      if (st_ == TcpState::SYN_SENT) {
        if (ack && s.tcp.ack == iss_ + 1) go(TcpState::CLOSED, out);
      } else if (st_ != TcpState::CLOSED && st_ != TcpState::LISTEN) {
        go(TcpState::CLOSED, out);
      }
      return out;
    }
    if ((f & kSyn) && !ack) {
      if (st_ == TcpState::LISTEN || st_ == TcpState::SYN_SENT) go(TcpState::SYN_RECEIVED, out);
      return out;
    }
    if ((f & kSyn) && ack) {
      if (st_ == TcpState::SYN_SENT && s.tcp.ack == iss_ + 1) go(TcpState::ESTABLISHED, out);
    } else if (ack && st_ == TcpState::SYN_RECEIVED && seq_geq(s.tcp.ack, iss_ + 1)) {
      go(TcpState::ESTABLISHED, out);
    }
    const bool fin = (f & kFin) != 0;
    const bool fin_acked = fin_sent_ && ack && seq_geq(s.tcp.ack, fin_seq_ + 1);
    switch (st_) {
      case TcpState::ESTABLISHED:
        if (fin) go(TcpState::CLOSE_WAIT, out);
        break;
      case TcpState::FIN_WAIT_1:
        if (fin && fin_acked)
          go(TcpState::TIME_WAIT, out);
        else if (fin)
          go(TcpState::CLOSING, out);
        else if (fin_acked)
          go(TcpState::FIN_WAIT_2, out);
        break;
      case TcpState::FIN_WAIT_2:
        if (fin) go(TcpState::TIME_WAIT, out);
        break;
      case TcpState::CLOSING:
        if (fin_acked) go(TcpState::TIME_WAIT, out);
        break;
      case TcpState::LAST_ACK:
        if (fin_acked) go(TcpState::CLOSED, out);
        break;
      default:
        break;
    }
    return out;
  }

 private:
  void go(TcpState s, std::vector<TcpState>& out) {
    st_ = s;
    out.push_back(s);
  }
  TcpState st_;
  uint32_t iss_ = 0, fin_seq_ = 0;
  bool fin_sent_ = false;
};

// Payload bytes of one direction, each sequence number counted once when the
// direction's SYN was seen, else the plain sum.
struct ByteCount {
  bool has_isn = false, has_end = false;
  uint32_t isn = 0, max_end = 0;
  uint64_t sum = 0;
  void add(const ConnItem& s) {
    if (s.tcp.flags & kSyn) {
      has_isn = true;
      isn = s.tcp.seq;
    }
    if (!s.len) return;
    sum += s.len;
    const uint32_t start = s.tcp.seq + ((s.tcp.flags & kSyn) ? 1u : 0u);
    const uint32_t end = start + uint32_t(s.len);
    if (!has_end || seq_gt(end, max_end)) max_end = end;
    has_end = true;
  }
  uint64_t total() const { return has_isn ? (has_end ? uint32_t(max_end - (isn + 1)) : 0) : sum; }
};

struct Incarnation {
  ConnView v;
  bool had_tcb = false, ended = false, saw_rst = false;
};

}  // namespace

std::string ConnView::local_str() const { return net::ip_str(local_ip) + ":" + std::to_string(local_port); }
std::string ConnView::peer_str() const { return net::ip_str(peer_ip) + ":" + std::to_string(peer_port); }

std::vector<ConnView> build_conn_views(const std::vector<WireFrame>& wire, const std::vector<StateRec>& states,
                                       uint32_t local_ip) {
  // Segments of the run, parsed (checksum errors are still drawn, marked).
  struct Seg {
    uint64_t cycle;
    ConnItem item;
    uint32_t peer_ip;
    uint16_t peer_port, local_port;
  };
  std::vector<Seg> segs;
  for (const WireFrame& w : wire) {
    net::Frame f;
    bool ok = net::parse_frame(w.data, f) == net::ParseError::kOk && f.has_tcp;
    if (!ok) {
      net::ParseOptions lax;
      lax.verify_ip_checksum = lax.verify_tcp_checksum = false;
      f = net::Frame{};
      if (net::parse_frame(w.data, f, lax) != net::ParseError::kOk || !f.has_tcp) continue;
    }
    if (!w.out && f.ip.dst != local_ip) continue;
    Seg s;
    s.cycle = w.cycle;
    s.item.kind = ConnItem::Kind::kSegment;
    s.item.cycle = w.cycle;
    s.item.from_engine = w.out;
    s.item.tcp = f.tcp;
    s.item.len = f.payload_len;
    s.item.csum_ok = ok;
    s.peer_ip = w.out ? f.ip.dst : f.ip.src;
    s.peer_port = w.out ? f.tcp.dst_port : f.tcp.src_port;
    s.local_port = w.out ? f.tcp.src_port : f.tcp.dst_port;
    segs.push_back(s);
  }

  // One time line of state changes and segments (a state change sorts before
  // a segment of the same cycle).
  struct Ev {
    uint64_t cycle;
    int kind;  // 0 state, 1 segment
    size_t idx;
  };
  std::vector<Ev> evs;
  for (size_t i = 0; i < states.size(); ++i) evs.push_back({states[i].cycle, 0, i});
  for (size_t i = 0; i < segs.size(); ++i) evs.push_back({segs[i].cycle, 1, i});
  std::stable_sort(evs.begin(), evs.end(),
                   [](const Ev& a, const Ev& b) { return std::tie(a.cycle, a.kind) < std::tie(b.cycle, b.kind); });

  using Key = std::tuple<uint32_t, uint16_t, uint16_t>;  // peer ip, peer port, local port
  std::vector<Incarnation> incs;
  std::map<Key, size_t> current;
  auto open_new = [&](const Key& k) {
    Incarnation inc;
    inc.v.local_ip = local_ip;
    inc.v.peer_ip = std::get<0>(k);
    inc.v.peer_port = std::get<1>(k);
    inc.v.local_port = std::get<2>(k);
    incs.push_back(inc);
    current[k] = incs.size() - 1;
    return incs.size() - 1;
  };

  for (const Ev& e : evs) {
    if (e.kind == 0) {
      const StateRec& r = states[e.idx];
      const Key k{r.rip, r.rport, r.lport};
      auto it = current.find(k);
      size_t i;
      if (it == current.end() || (r.from == TcpState::CLOSED && incs[it->second].had_tcb))
        i = open_new(k);
      else
        i = it->second;
      Incarnation& inc = incs[i];
      if (!inc.had_tcb) {
        inc.had_tcb = true;
        inc.v.opened = r.passive ? "passive" : "active";
        inc.v.engine_initial = r.passive ? "LISTEN" : to_string(r.from);
        inc.v.engine_states.push_back(inc.v.engine_initial);
      }
      ConnItem item;
      item.kind = ConnItem::Kind::kEngineState;
      item.cycle = r.cycle;
      item.state = r.to;
      inc.v.items.push_back(item);
      inc.v.engine_states.push_back(to_string(r.to));
      if (r.to == TcpState::CLOSED) inc.ended = true;
    } else {
      const Seg& s = segs[e.idx];
      const Key k{s.peer_ip, s.peer_port, s.local_port};
      auto it = current.find(k);
      const bool syn_only = (s.item.tcp.flags & kSyn) && !(s.item.tcp.flags & kAck);
      size_t i;
      if (it == current.end() || (syn_only && (incs[it->second].ended || incs[it->second].saw_rst)))
        i = open_new(k);
      else
        i = it->second;
      incs[i].v.items.push_back(s.item);
      if (s.item.tcp.flags & kRst) incs[i].saw_rst = true;
    }
  }

  std::vector<ConnView> out;
  for (Incarnation& inc : incs) {
    ConnView& v = inc.v;
    if (!inc.had_tcb) {
      v.engine_initial = "no TCB";
      v.engine_final = "CLOSED";
      v.engine_states.push_back("CLOSED");
    } else {
      v.engine_final = v.engine_states.back();
    }
    // Peer states: inferred when the peer's first segment is a SYN, or the
    // engine's first is a SYN (the peer was listening).
    std::vector<ConnItem> items;
    const ConnItem* first = nullptr;
    for (const ConnItem& it : v.items)
      if (it.kind == ConnItem::Kind::kSegment) {
        first = &it;
        break;
      }
    bool infer = false;
    TcpState initial = TcpState::CLOSED;
    if (first && (first->tcp.flags & kSyn) && !(first->tcp.flags & kAck)) {
      infer = true;
      initial = first->from_engine ? TcpState::LISTEN : TcpState::CLOSED;
    }
    PeerFsm peer(initial);
    if (infer) {
      v.peer_initial = to_string(initial);
      v.peer_states.push_back(v.peer_initial);
    }
    ByteCount in, outb;
    for (const ConnItem& it : v.items) {
      if (it.kind != ConnItem::Kind::kSegment) {
        items.push_back(it);
        continue;
      }
      if (it.from_engine) {
        ++v.segments_out;
        outb.add(it);
      } else {
        ++v.segments_in;
        in.add(it);
      }
      if (!infer) {
        items.push_back(it);
        continue;
      }
      // A state the peer enters by sending is drawn before the arrow, one it
      // enters by receiving after it.
      if (it.from_engine) items.push_back(it);
      for (TcpState s : it.from_engine ? peer.on_recv(it) : peer.on_send(it)) {
        ConnItem p;
        p.kind = ConnItem::Kind::kPeerState;
        p.cycle = it.cycle;
        p.state = s;
        items.push_back(p);
        v.peer_states.push_back(to_string(s));
      }
      if (!it.from_engine) items.push_back(it);
    }
    v.items.swap(items);
    if (infer) v.peer_final = to_string(peer.state());
    v.bytes_in = in.total();
    v.bytes_out = outb.total();
    if (!v.items.empty()) {
      v.first_cycle = v.items.front().cycle;
      v.last_cycle = v.items.back().cycle;
    }
    out.push_back(std::move(v));
  }
  return out;
}

nlohmann::json conn_rows_json(const std::vector<ConnView>& views, bool engine_states,
                              const std::function<uint64_t(uint64_t)>& cycles_to_ns) {
  using nlohmann::json;
  json rows = json::array();
  for (const ConnView& v : views) {
    json r = {{"local", v.local_str()}, {"peer", v.peer_str()}, {"opened", v.opened}};
    if (engine_states) {
      r["final_state"] = v.engine_final;
      r["states"] = v.engine_states;
    }
    r["peer_final_state"] = v.peer_final.empty() ? json(nullptr) : json(v.peer_final);
    r["peer_states"] = v.peer_states;
    r["bytes_in"] = v.bytes_in;
    r["bytes_out"] = v.bytes_out;
    r["segments_in"] = v.segments_in;
    r["segments_out"] = v.segments_out;
    r["first_ns"] = cycles_to_ns(v.first_cycle);
    r["last_ns"] = cycles_to_ns(v.last_cycle);
    rows.push_back(std::move(r));
  }
  return rows;
}

void write_stats_file(const std::string& path, const nlohmann::json& j, std::ostream& info) {
  std::ofstream f(path);
  if (!f) throw UsageError("--stats " + path + ": cannot create the file: " + std::strerror(errno));
  f << j.dump(2) << "\n";
  if (!f) throw UsageError("--stats " + path + ": write failed");
  info << "toe_sim: wrote " << path << " (statistics)\n";
}

}  // namespace toe::toesim
