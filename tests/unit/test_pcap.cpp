// SPDX-License-Identifier: Apache-2.0
// pcap through libpcap, checked by tshark (issue 2, items 6 and 10, and the
// seed-002 acceptance point).
#include <gtest/gtest.h>

#include <fstream>

#include "test_support.hpp"
#include "toe/net/codec.hpp"
#include "toe/net/pcap.hpp"

using namespace toe::net;

namespace {

std::vector<uint8_t> seg(uint32_t sip, uint16_t sport, uint32_t dip, uint16_t dport, uint8_t flags, uint32_t seq,
                         uint32_t ack, const MacAddr& smac, const MacAddr& dmac) {
  Ipv4Header ip;
  ip.src = sip;
  ip.dst = dip;
  TcpHeader t;
  t.src_port = sport;
  t.dst_port = dport;
  t.seq = seq;
  t.ack = ack;
  t.flags = flags;
  t.window = 65535;
  return build_tcp_frame({dmac, smac, kEtherTypeIpv4}, ip, t);
}

}  // namespace

// Seed 002 (../shared/seeds/002_6bb5066b48e801e4.txt): the captured handshake
// 192.168.1.116:3337 -> 192.168.1.123:7788.
TEST(Pcap, Seed002HandshakeReadBackByTshark) {
  uint32_t a = 0, b = 0;
  ASSERT_TRUE(parse_ip("192.168.1.116", a));
  ASSERT_TRUE(parse_ip("192.168.1.123", b));
  MacAddr ma, mb;
  ASSERT_TRUE(MacAddr::parse("02:00:00:00:01:16", ma));
  ASSERT_TRUE(MacAddr::parse("02:00:00:00:01:23", mb));
  const std::string path = toe::test::out_path("seed002_handshake.pcap");
  {
    PcapWriter w(path);
    w.write(1000000000ull, seg(a, 3337, b, 7788, kSyn, 3626544836u, 0, ma, mb));
    w.write(1000100000ull, seg(b, 7788, a, 3337, kSyn | kAck, 1739326486u, 3626544837u, mb, ma));
    w.write(1000200000ull, seg(a, 3337, b, 7788, kAck, 3626544837u, 1739326487u, ma, mb));
  }
  const auto frames = toe::test::tshark_tcp_frames(path);
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0].src, "192.168.1.116");
  EXPECT_EQ(frames[0].sport, 3337u);
  EXPECT_EQ(frames[0].dport, 7788u);
  EXPECT_EQ(frames[0].flags, 0x002u);
  EXPECT_EQ(frames[0].seq, 3626544836u);
  EXPECT_EQ(frames[1].src, "192.168.1.123");
  EXPECT_EQ(frames[1].flags, 0x012u);
  EXPECT_EQ(frames[1].seq, 1739326486u);
  EXPECT_EQ(frames[1].ack, 3626544837u);
  EXPECT_EQ(frames[2].flags, 0x010u);
  EXPECT_EQ(frames[2].seq, 3626544837u);
  EXPECT_EQ(frames[2].ack, 1739326487u);

  // And our own reader gives back the same bytes and timestamps.
  LinkType lt;
  const auto recs = PcapReader::read_all(path, &lt);
  EXPECT_EQ(lt, LinkType::kEthernet);
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[1].ts_ns, 1000100000ull);
  Frame f;
  ASSERT_EQ(parse_frame(recs[1].data, f), ParseError::kOk);
  EXPECT_EQ(f.tcp.seq, 1739326486u);
}

TEST(Pcap, RawIpFilesAreReadable) {
  const std::string path = toe::test::out_path("rawip.pcap");
  Ipv4Header ip;
  ip.src = 0x0A000001;
  ip.dst = 0x0A000002;
  TcpHeader t;
  t.flags = kSyn;
  t.seq = 42;
  const auto pkt = build_ip_tcp(ip, t, nullptr, 0);
  {
    PcapWriter w(path, LinkType::kRawIp);
    w.write(5, pkt);
  }
  EXPECT_TRUE(toe::test::TraceLintOk(path));
  PcapReader r(path);
  EXPECT_EQ(r.link_type(), LinkType::kRawIp);
  PcapRecord rec;
  ASSERT_TRUE(r.next(rec));
  EXPECT_EQ(rec.data, pkt);
  EXPECT_EQ(rec.ts_ns, 5u);
  Frame f;
  ASSERT_EQ(parse_ip_packet(rec.data.data(), rec.data.size(), f), ParseError::kOk);
  EXPECT_EQ(f.tcp.seq, 42u);
  EXPECT_FALSE(r.next(rec));
}

TEST(Pcap, MissingFileNamesThePath) {
  try {
    PcapReader r("/nonexistent/dir/x.pcap");
    FAIL() << "no exception";
  } catch (const PcapError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/dir/x.pcap"), std::string::npos);
  }
  EXPECT_THROW(PcapWriter("/nonexistent/dir/y.pcap"), PcapError);
}

TEST(Pcap, GarbageFileIsRefusedWithTheName) {
  const std::string path = toe::test::out_path("garbage.pcap");
  std::ofstream(path) << "this is not a pcap file at all, not even close";
  try {
    PcapReader r(path);
    FAIL() << "no exception";
  } catch (const PcapError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos);
  }
}

TEST(TraceLint, CatchesABadTcpChecksum) {
  const std::string path = toe::test::out_path("badcsum.pcap");
  Ipv4Header ip;
  ip.src = 0x0A000001;
  ip.dst = 0x0A000002;
  TcpHeader t;
  t.flags = kAck;
  auto frame = build_tcp_frame({}, ip, t);
  frame[kEthHeaderLen + 20 + 16] ^= 0x55;
  {
    PcapWriter w(path);
    w.write(1, frame);
  }
  EXPECT_FALSE(toe::test::TraceLintOk(path));
}

TEST(TraceLint, CatchesABadIpChecksum) {
  const std::string path = toe::test::out_path("badipcsum.pcap");
  Ipv4Header ip;
  ip.src = 0x0A000001;
  ip.dst = 0x0A000002;
  TcpHeader t;
  t.flags = kAck;
  auto frame = build_tcp_frame({}, ip, t);
  frame[kEthHeaderLen + 10] ^= 0x55;
  {
    PcapWriter w(path);
    w.write(1, frame);
  }
  EXPECT_FALSE(toe::test::TraceLintOk(path));
}
