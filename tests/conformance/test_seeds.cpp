// SPDX-License-Identifier: Apache-2.0
// The seeds' scenarios (../shared/seeds): the captured handshake of seed 002,
// and a whole connection life with data both ways, drawn from a real run.
#include "engine_fixture.hpp"
#include "toe/net/pcap.hpp"

using namespace toe;
using namespace toe::net;
using namespace toe::test;

class Seeds : public EngineTest {};

// Seed 002: 192.168.1.116:3337 -> 192.168.1.123:7788, SYN seq 3626544836;
// SYN-ACK seq 1739326486 ack 3626544837; ACK 3626544837 / 1739326487.
TEST_F(Seeds, Seed002CapturedHandshakeAnsweredWithTheCapturedNumbers) {
  lint_allow.clear();
  uint32_t client = 0, server = 0;
  ASSERT_TRUE(parse_ip("192.168.1.116", client));
  ASSERT_TRUE(parse_ip("192.168.1.123", server));
  ecfg.local_ip = server;
  ecfg.fixed_isn = 0x67AC0416;  // 1739326486
  start();
  h->listen(7788);
  run_quiet();
  auto syn = [&](uint8_t flags, uint32_t seq, uint32_t ack) {
    Ipv4Header ip;
    ip.src = client;
    ip.dst = server;
    TcpHeader t;
    t.src_port = 3337;
    t.dst_port = 7788;
    t.seq = seq;
    t.ack = ack;
    t.flags = flags;
    t.window = 8192;
    if (flags == kSyn) {
      t.opts.has_mss = true;
      t.opts.mss = 1460;
    }
    return build_tcp_frame({ecfg.local_mac, peer_mac(), kEtherTypeIpv4}, ip, t);
  };
  auto out = exchange(syn(kSyn, 3626544836u, 0));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, kSyn | kAck);
  EXPECT_EQ(out[0].seq, 1739326486u);
  EXPECT_EQ(out[0].ack, 3626544837u);
  EXPECT_TRUE(exchange(syn(kAck, 3626544837u, 1739326487u)).empty());
  ASSERT_EQ(h->accepted().size(), 1u);
  EXPECT_EQ(state(h->accepted()[0]), TcpState::ESTABLISHED);

  // tshark (not our codec) reads the three frames back with these numbers.
  const std::string path = out_path("seed002_engine.pcap");
  {
    PcapWriter w(path);
    for (const auto& r : h->wire_log()) w.write(r.cycle * 1000 / ecfg.clock_mhz, r.data);
  }
  const auto frames = tshark_tcp_frames(path);
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[1].src, "192.168.1.123");
  EXPECT_EQ(frames[1].sport, 7788u);
  EXPECT_EQ(frames[1].dport, 3337u);
  EXPECT_EQ(frames[1].flags_str.find('S') != std::string::npos, true);
  EXPECT_EQ(frames[1].seq, 1739326486u);
  EXPECT_EQ(frames[1].ack, 3626544837u);
}

TEST_F(Seeds, WholeConnectionLifeWithEchoAndFourWayClose) {
  // Seeds 000/001/004: handshake, data, and the four-way close the client starts.
  lint_allow.clear();
  hcfg.timers = true;
  app = sim::App::kEcho;
  start();
  const uint32_t c = establish_passive();
  auto out = exchange(seg(kAck | kPsh, kPeerIss + 1, kIss + 1, "hello, toe"));
  // One ACK for the data (immediate), then the echo; or the echo carrying the ACK.
  size_t echoed = 0;
  for (const Seg& s : out) echoed += s.len;
  EXPECT_EQ(echoed, 10u);
  EXPECT_EQ(out.back().ack, kPeerIss + 11);
  exchange(seg(kAck, kPeerIss + 11, kIss + 11));
  // Client closes; the echo app closes its side once the peer has closed.
  out = exchange(seg(kAck | kFin, kPeerIss + 11, kIss + 11));
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.back().flags & kFin, kFin);
  EXPECT_EQ(out.back().seq, kIss + 11);
  EXPECT_EQ(out.back().ack, kPeerIss + 12);
  EXPECT_EQ(state(c), TcpState::LAST_ACK);
  exchange(seg(kAck, kPeerIss + 12, kIss + 12));
  EXPECT_EQ(state(c), TcpState::CLOSED);
}
