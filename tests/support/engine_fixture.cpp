// SPDX-License-Identifier: Apache-2.0
#include "engine_fixture.hpp"

#include <sstream>

#include "toe/net/pcap.hpp"

namespace toe::test {

std::string Seg::str() const {
  std::ostringstream o;
  o << net::flags_str(flags) << " seq " << seq << " ack " << ack << " win " << win << " len " << len;
  return o.str();
}

void EngineTest::SetUp() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  pcap_name = std::string(info->test_suite_name()) + "." + info->name() + ".pcap";
  for (char& c : pcap_name)
    if (c == '/') c = '_';
  ecfg.sessions = 16;
  ecfg.data_bytes = 8;
  ecfg.rx_buf_bytes = 65536;
  ecfg.tx_buf_bytes = 65536;
  ecfg.fixed_isn_en = true;
  ecfg.fixed_isn = kIss;
  ecfg.chal_conn_cycles = 1;  // tests look at every reply; the limiter has its own tests
  ecfg.chal_global_burst = 1000000;
  hcfg.timers = false;        // tests drive timers explicitly unless they opt in
}

void EngineTest::start() { h = make_harness_or_skip(ecfg, hcfg); }

void EngineTest::TearDown() {
  if (!h || h->wire_log().empty()) return;
  const std::string path = out_path(pcap_name);
  {
    net::PcapWriter w(path);
    for (const auto& r : h->wire_log()) w.write(r.cycle * 1000 / ecfg.clock_mhz, r.data);
  }
  // Frames the tests corrupt on purpose (bad checksums, truncation) are not linted.
  if (!lint_skip) {
    EXPECT_TRUE(TraceLintOk(path, lint_allow));
  }
}

net::MacAddr EngineTest::peer_mac() const { return net::MacAddr{{0x02, 0, 0, 0, 0, 0x01}}; }

std::vector<uint8_t> EngineTest::seg(uint8_t flags, uint32_t seq, uint32_t ack, const std::string& payload,
                                     uint16_t win, const net::TcpOptions& opts, uint16_t sport, uint16_t dport,
                                     uint32_t sip) const {
  net::Ipv4Header ip;
  ip.src = sip;
  ip.dst = kLocalIp;
  net::TcpHeader t;
  t.src_port = sport;
  t.dst_port = dport;
  t.seq = seq;
  t.ack = ack;
  t.flags = flags;
  t.window = win;
  t.opts = opts;
  return net::build_tcp_frame({ecfg.local_mac, peer_mac(), net::kEtherTypeIpv4}, ip, t,
                              reinterpret_cast<const uint8_t*>(payload.data()), payload.size());
}

Seg EngineTest::decode(const std::vector<uint8_t>& frame) {
  net::Frame f;
  const net::ParseError e = net::parse_frame(frame, f);
  EXPECT_EQ(e, net::ParseError::kOk) << net::to_string(e);
  Seg s;
  s.flags = f.tcp.flags;
  s.seq = f.tcp.seq;
  s.ack = f.tcp.ack;
  s.win = f.tcp.window;
  s.len = f.payload_len;
  s.opts = f.tcp.opts;
  s.sport = f.tcp.src_port;
  s.dport = f.tcp.dst_port;
  s.dip = f.ip.dst;
  s.payload.assign(f.payload, f.payload + f.payload_len);
  return s;
}

std::vector<Seg> EngineTest::run_quiet() {
  EXPECT_TRUE(h->run_until_idle(2000000)) << "engine did not go quiet";
  std::vector<Seg> out;
  for (const auto& f : h->take_output()) out.push_back(decode(f));
  return out;
}

std::vector<Seg> EngineTest::exchange(const std::vector<uint8_t>& frame) {
  h->inject(frame);
  return run_quiet();
}

uint32_t EngineTest::establish_passive(int peer_wscale, uint16_t peer_mss) {
  if (!h) start();
  h->listen(kPort, app);
  run_quiet();
  net::TcpOptions o;
  o.has_mss = true;
  o.mss = peer_mss;
  if (peer_wscale >= 0) {
    o.has_wscale = true;
    o.wscale = static_cast<uint8_t>(peer_wscale);
  }
  auto out = exchange(seg(net::kSyn, kPeerIss, 0, "", 65535, o));
  EXPECT_EQ(out.size(), 1u);
  if (out.empty()) return model::kNoConn;
  EXPECT_EQ(out[0].flags, net::kSyn | net::kAck);
  out = exchange(seg(net::kAck, kPeerIss + 1, kIss + 1));
  EXPECT_TRUE(out.empty());
  const auto acc = h->accepted();
  EXPECT_EQ(acc.size(), 1u);
  peer_nxt = kPeerIss + 1;
  return acc.empty() ? model::kNoConn : acc.back();
}

uint32_t EngineTest::open_active(Seg* syn_out) {
  if (!h) start();
  const uint32_t tag = h->connect(kPeerIp, kPeerPort, kPort, peer_mac());
  auto out = run_quiet();
  EXPECT_EQ(out.size(), 1u);
  if (!out.empty() && syn_out) *syn_out = out[0];
  return h->conn_of_tag(tag);
}

}  // namespace toe::test
