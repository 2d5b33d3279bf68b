// SPDX-License-Identifier: Apache-2.0
// The ladder diagram (SVG): one sequence diagram per connection, stacked
// vertically. Peer on the left, engine on the right, every segment an arrow
// labelled with its flags, seq, ack and length, each side's states written
// along its time line, the time in microseconds beside each arrow.
#pragma once

#include <string>
#include <vector>

#include "conn_view.hpp"

namespace toe::toesim {

// Renders the diagram; times are shown in microseconds (cycle / clock_mhz).
std::string render_ladder(const std::vector<ConnView>& conns, const std::string& title, uint32_t clock_mhz);

// Writes it; throws UsageError naming the file when it cannot be written.
void write_ladder(const std::string& path, const std::vector<ConnView>& conns, const std::string& title,
                  uint32_t clock_mhz);

// "SYN,ACK" style flag names (Wireshark's order).
std::string flag_names(uint8_t flags);

}  // namespace toe::toesim
