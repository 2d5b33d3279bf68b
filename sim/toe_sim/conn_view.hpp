// SPDX-License-Identifier: Apache-2.0
// Connections as seen from the wire: the run's TCP segments grouped by
// 4-tuple (and by incarnation when a tuple is reused), the engine's TCB state
// changes attached, and the peer's states inferred from the segments it sends
// and receives (RFC 9293 names). Used by the ladder diagram and the stats.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim_run.hpp"

namespace toe::toesim {

struct ConnItem {
  enum class Kind : uint8_t { kSegment, kEngineState, kPeerState };
  Kind kind;
  uint64_t cycle;
  // segment
  bool from_engine = false;
  net::TcpHeader tcp;
  size_t len = 0;
  bool csum_ok = true;
  // state change
  TcpState state = TcpState::CLOSED;
};

struct ConnView {
  uint32_t local_ip = 0, peer_ip = 0;
  uint16_t local_port = 0, peer_port = 0;
  std::string opened = "none";  // "passive", "active" or "none" (no TCB: e.g. RST to a closed port)
  std::vector<ConnItem> items;  // in time order
  // Initial states ("" when unknown) and every state each side went through.
  std::string engine_initial, peer_initial;
  std::vector<std::string> engine_states, peer_states;
  std::string engine_final, peer_final;  // "" when unknown
  uint64_t bytes_in = 0, bytes_out = 0;  // payload bytes (peer->engine, engine->peer), retransmissions counted once
  uint64_t segments_in = 0, segments_out = 0;
  uint64_t first_cycle = 0, last_cycle = 0;
  std::string local_str() const;
  std::string peer_str() const;
};

std::vector<ConnView> build_conn_views(const std::vector<WireFrame>& wire, const std::vector<StateRec>& states,
                                       uint32_t local_ip);

// The "connections" rows of a --stats file: one object per view (the engine's states only
// when the run knew them: engine_states), times in ns.
nlohmann::json conn_rows_json(const std::vector<ConnView>& views, bool engine_states,
                              const std::function<uint64_t(uint64_t)>& cycles_to_ns);
// Writes j to a --stats file and says so on `info`; UsageError when the file cannot be written.
void write_stats_file(const std::string& path, const nlohmann::json& j, std::ostream& info);

}  // namespace toe::toesim
