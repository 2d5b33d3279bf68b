// SPDX-License-Identifier: Apache-2.0
// A GoogleTest fixture around the engine (the model, or the Verilated RTL when
// TOE_ENGINE=rtl: engine_select.hpp): a peer at 10.0.0.1:40000 talking to
// the engine at 10.0.0.2, segments built relative to each side's ISN
// (lwIP's test style), every exchange recorded to a pcap that goes through
// the trace lint at the end of the test.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine_select.hpp"
#include "harness.hpp"
#include "test_support.hpp"
#include "toe/net/codec.hpp"

namespace toe::test {

// One segment the engine sent, as decoded by our codec.
struct Seg {
  uint8_t flags = 0;
  uint32_t seq = 0, ack = 0;
  uint16_t win = 0;
  size_t len = 0;
  net::TcpOptions opts;
  uint16_t sport = 0, dport = 0;
  uint32_t dip = 0;
  std::vector<uint8_t> payload;
  std::string str() const;
};

class EngineTest : public ::testing::Test {
 protected:
  static constexpr uint32_t kPeerIp = 0x0A000001, kLocalIp = 0x0A000002;
  static constexpr uint16_t kPeerPort = 40000, kPort = 80;
  static constexpr uint32_t kIss = 1000000;  // engine's fixed ISN
  static constexpr uint32_t kPeerIss = 5000;

  // Subclasses may adjust before SetUp via these.
  model::EngineConfig ecfg;
  sim::HarnessConfig hcfg;
  std::unique_ptr<sim::Harness> h;

  void SetUp() override;
  void TearDown() override;
  // Start the engine (call after changing ecfg/hcfg in the test body) on
  // TOE_ENGINE's implementation; on rtl, a config no Verilated build has skips the test.
  void start();

  net::MacAddr peer_mac() const;
  // A segment from the peer (ports default to the fixture's).
  std::vector<uint8_t> seg(uint8_t flags, uint32_t seq, uint32_t ack, const std::string& payload = "",
                           uint16_t win = 65535, const net::TcpOptions& opts = {}, uint16_t sport = kPeerPort,
                           uint16_t dport = kPort, uint32_t sip = kPeerIp) const;
  // Inject and run until quiet; returns what the engine sent.
  std::vector<Seg> exchange(const std::vector<uint8_t>& frame);
  std::vector<Seg> run_quiet();  // run until idle, return output
  static Seg decode(const std::vector<uint8_t>& frame);

  // Drives a passive open to ESTABLISHED (listen on kPort, SYN, SYN-ACK, ACK).
  // Returns the connection id. peer_wscale < 0: no window scale option.
  uint32_t establish_passive(int peer_wscale = -1, uint16_t peer_mss = 1460);
  // Active open to the peer; returns the conn id once the SYN is out (state SYN_SENT).
  uint32_t open_active(Seg* syn_out = nullptr);
  TcpState state(uint32_t conn) const { return h->engine().tcb(conn).state; }
  uint64_t count(model::Counter c) const { return h->engine().counter(c); }

  sim::App app = sim::App::kNone;     // host behaviour on connections establish_passive() opens
  uint32_t peer_nxt = kPeerIss + 1;  // the peer's next sequence number after establish
  std::string pcap_name;             // set by SetUp from the test name
  bool lint_skip = false;            // the test injects deliberately broken frames
  // Expert messages the lint tolerates: tests that inject ACKs for data never
  // sent provoke Wireshark's "ACKed segment that wasn't captured" on purpose.
  std::vector<std::string> lint_allow = {"ACKed segment that wasn't captured"};
};

}  // namespace toe::test
