// SPDX-License-Identifier: Apache-2.0
// Shared helpers for the test suites: where to write outputs, and the trace
// lint (scripts/trace_lint.py, tshark) that every pcap the tests write goes through.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace toe::test {

// A fresh path under the build tree's test-out/ directory (created on demand);
// test-out/rtl/ when TOE_ENGINE=rtl (the rtl.* twins run beside the model's runs).
std::string out_path(const std::string& name);

// Runs the trace lint over a pcap; failure carries tshark's complaints.
// `allow`: expert messages (substrings) tolerated, for tests that inject
// deliberately bad segments (e.g. "ACKed segment that wasn't captured").
::testing::AssertionResult TraceLintOk(const std::string& pcap_path, const std::vector<std::string>& allow = {});

// One TCP frame as tshark decoded it (independent of our codec).
struct TsharkTcp {
  std::string src, dst;
  unsigned sport = 0, dport = 0, flags = 0;
  std::string flags_str;
  uint32_t seq = 0, ack = 0;
  unsigned len = 0, win = 0;
};
// Lints the file and returns tshark's view of each TCP frame (fails the test on lint errors).
std::vector<TsharkTcp> tshark_tcp_frames(const std::string& pcap_path);

}  // namespace toe::test
