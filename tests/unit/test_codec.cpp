// SPDX-License-Identifier: Apache-2.0
// Round trips and byte-exact building for the packet codec (issue 2, item 5).
#include <gtest/gtest.h>

#include <random>

#include "test_support.hpp"
#include "toe/net/codec.hpp"
#include "toe/net/pcap.hpp"

using namespace toe::net;

namespace {

MacAddr random_mac(std::mt19937& rng) {
  MacAddr m;
  for (auto& b : m.b) b = static_cast<uint8_t>(rng());
  m.b[0] &= 0xfe;  // unicast
  return m;
}

TcpOptions random_options(std::mt19937& rng) {
  TcpOptions o;
  o.has_mss = rng() & 1;
  if (o.has_mss) o.mss = static_cast<uint16_t>(rng());
  o.has_wscale = rng() & 1;
  if (o.has_wscale) o.wscale = static_cast<uint8_t>(rng() % 15);
  o.sack_permitted = rng() & 1;
  o.has_ts = rng() & 1;
  if (o.has_ts) {
    o.ts_val = rng();
    o.ts_ecr = rng();
  }
  // 40 bytes of option space: MSS 4 + WS 4 + SACKOK 4 + TS 12 = 24 leaves 16 -> 1 SACK block.
  const size_t room = 40 - o.encoded_len();
  const unsigned max_blocks = room >= 4 ? static_cast<unsigned>((room - 4) / 8) : 0;
  o.sack_count = static_cast<uint8_t>(max_blocks ? rng() % (std::min(max_blocks, 3u) + 1) : 0);
  for (unsigned i = 0; i < o.sack_count; ++i) o.sack[i] = {static_cast<uint32_t>(rng()), static_cast<uint32_t>(rng())};
  return o;
}

}  // namespace

TEST(Codec, RandomTcpFramesRoundTripAndPassTraceLint) {
  std::mt19937 rng(20261122);
  const std::string path = toe::test::out_path("codec_roundtrip.pcap");
  {
    PcapWriter pw(path);
    for (int i = 0; i < 5000; ++i) {
      EthHeader eth{random_mac(rng), random_mac(rng), kEtherTypeIpv4};
      Ipv4Header ip;
      ip.dscp_ecn = static_cast<uint8_t>(rng());
      ip.id = static_cast<uint16_t>(rng());
      ip.df = rng() & 1;
      ip.ttl = static_cast<uint8_t>(1 + rng() % 255);
      ip.src = rng() | 0x01000000u;
      ip.dst = rng() | 0x01000000u;
      if (rng() % 4 == 0) {  // IP options are carried opaquely (NOPs + EOL)
        ip.options_len = static_cast<uint8_t>(4 * (1 + rng() % 10));
        for (unsigned k = 0; k < ip.options_len; ++k) ip.options[k] = 1;
        ip.options[ip.options_len - 1] = 0;
      }
      TcpHeader t;
      t.src_port = static_cast<uint16_t>(1 + rng() % 65535);
      t.dst_port = static_cast<uint16_t>(1 + rng() % 65535);
      t.seq = rng();
      t.ack = rng();
      t.flags = static_cast<uint8_t>(rng());
      t.window = static_cast<uint16_t>(rng());
      t.urgent = static_cast<uint16_t>(rng());
      t.opts = random_options(rng);
      std::vector<uint8_t> payload(rng() % 1461);
      for (auto& b : payload) b = static_cast<uint8_t>(rng());

      const auto frame = build_tcp_frame(eth, ip, t, payload.data(), payload.size());
      Frame f;
      ASSERT_EQ(parse_frame(frame, f), ParseError::kOk) << "frame " << i;
      ASSERT_TRUE(f.has_tcp);
      EXPECT_EQ(f.eth, eth);
      // Fill in the fields that building derives, then the rest must be equal.
      ip.ihl = static_cast<uint8_t>(5 + ip.options_len / 4);
      ip.total_length = static_cast<uint16_t>(ip.ihl * 4 + 20 + t.opts.encoded_len() + payload.size());
      ip.checksum = f.ip.checksum;
      EXPECT_EQ(f.ip, ip) << "frame " << i;
      t.data_offset = static_cast<uint8_t>(5 + t.opts.encoded_len() / 4);
      t.checksum = f.tcp.checksum;
      EXPECT_EQ(f.tcp, t) << "frame " << i;
      ASSERT_EQ(f.payload_len, payload.size());
      EXPECT_TRUE(std::equal(payload.begin(), payload.end(), f.payload));
      // Byte-exact: rebuilding the parsed headers gives the same bytes.
      EXPECT_EQ(build_tcp_frame(f.eth, f.ip, f.tcp, f.payload, f.payload_len), frame);
      pw.write(1000000000ull + i * 1000ull, frame);
    }
  }
  EXPECT_TRUE(toe::test::TraceLintOk(path));
}

TEST(Codec, ArpRoundTrip) {
  std::mt19937 rng(7);
  for (int i = 0; i < 1000; ++i) {
    ArpPacket a;
    a.oper = static_cast<uint16_t>(1 + (rng() & 1));
    a.sha = random_mac(rng);
    a.tha = random_mac(rng);
    a.spa = rng();
    a.tpa = rng();
    EthHeader eth{MacAddr::broadcast(), a.sha, kEtherTypeArp};
    const auto frame = build_arp_frame(eth, a);
    ASSERT_EQ(frame.size(), 60u);
    Frame f;
    ASSERT_EQ(parse_frame(frame, f), ParseError::kOk);
    ASSERT_EQ(f.kind, Frame::Kind::kArp);
    EXPECT_EQ(f.arp, a);
    EXPECT_EQ(f.eth, eth);
  }
}

TEST(Codec, KnownChecksumsMatchRfc1071Example) {
  // RFC 1071 section 3 example: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2 before complement.
  const uint8_t d[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(csum_fold(csum_add(0, d, sizeof d)), static_cast<uint16_t>(~0xddf2));
  // Odd length pads with a zero byte.
  const uint8_t e[] = {0x12, 0x34, 0x56};
  EXPECT_EQ(csum_fold(csum_add(0, e, sizeof e)), static_cast<uint16_t>(~(0x1234 + 0x5600)));
}

TEST(Codec, EthernetPaddingIsNotPayload) {
  Ipv4Header ip;
  ip.src = 0x0A000001;
  ip.dst = 0x0A000002;
  TcpHeader t;
  t.flags = kAck;
  const auto frame = build_tcp_frame({}, ip, t);
  ASSERT_EQ(frame.size(), 60u);  // 54 bytes padded to 60
  Frame f;
  ASSERT_EQ(parse_frame(frame, f), ParseError::kOk);
  EXPECT_EQ(f.payload_len, 0u);
}

TEST(Codec, UnknownTcpOptionsAreSkippedByLength) {
  const uint8_t opts[] = {1, 30, 6, 1, 2, 3, 4, 2, 4, 0x05, 0xb4, 0, 0, 0};
  TcpOptions o;
  ASSERT_EQ(parse_tcp_options(opts, sizeof opts, o), ParseError::kOk);
  EXPECT_TRUE(o.has_mss);
  EXPECT_EQ(o.mss, 1460);
}

TEST(Codec, FlagsStringsFollowTcpdump) {
  EXPECT_EQ(flags_str(kSyn), "S");
  EXPECT_EQ(flags_str(kSyn | kAck), "S.");
  EXPECT_EQ(flags_str(kFin | kAck), "F.");
  EXPECT_EQ(flags_str(kRst | kAck), "R.");
  EXPECT_EQ(flags_str(kPsh | kAck), "P.");
  EXPECT_EQ(flags_str(0), "none");
}

TEST(Codec, AddressTextRoundTrip) {
  uint32_t ip = 0;
  ASSERT_TRUE(parse_ip("192.168.1.123", ip));
  EXPECT_EQ(ip, 0xC0A8017Bu);
  EXPECT_EQ(ip_str(ip), "192.168.1.123");
  EXPECT_FALSE(parse_ip("256.1.1.1", ip));
  EXPECT_FALSE(parse_ip("1.2.3", ip));
  EXPECT_FALSE(parse_ip("1.2.3.4x", ip));
  MacAddr m;
  ASSERT_TRUE(MacAddr::parse("02:00:00:00:00:02", m));
  EXPECT_EQ(m.str(), "02:00:00:00:00:02");
  EXPECT_FALSE(MacAddr::parse("02:00:00:00:00", m));
}
