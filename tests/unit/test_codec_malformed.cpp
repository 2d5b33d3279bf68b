// SPDX-License-Identifier: Apache-2.0
// Every malformation class the codec names gets fed and its typed error checked
// (issue 2, item 5). Frames start from a valid SYN and are broken one way each.
#include <gtest/gtest.h>

#include "toe/net/codec.hpp"

using namespace toe::net;

namespace {

std::vector<uint8_t> valid_syn() {
  Ipv4Header ip;
  ip.src = 0x0A000001;
  ip.dst = 0x0A000002;
  TcpHeader t;
  t.src_port = 1234;
  t.dst_port = 80;
  t.seq = 100;
  t.flags = kSyn;
  t.window = 65535;
  t.opts.has_mss = true;
  t.opts.mss = 1460;
  const uint8_t data[] = {1, 2, 3, 4, 5, 6, 7, 8};
  return build_tcp_frame({}, ip, t, data, sizeof data);
}
constexpr size_t kIp = kEthHeaderLen;  // IPv4 header offset
constexpr size_t kTcp = kIp + 20;      // TCP header offset

void fix_ip_csum(std::vector<uint8_t>& f) {
  const size_t ihl = (f[kIp] & 0x0f) * 4u;
  f[kIp + 10] = f[kIp + 11] = 0;
  const uint16_t c = csum_fold(csum_add(0, &f[kIp], ihl));
  f[kIp + 10] = static_cast<uint8_t>(c >> 8);
  f[kIp + 11] = static_cast<uint8_t>(c);
}

void fix_tcp_csum(std::vector<uint8_t>& f) {
  const size_t tot = (f[kIp + 2] << 8) | f[kIp + 3];
  const size_t tcp_len = tot - 20;
  f[kTcp + 16] = f[kTcp + 17] = 0;
  const uint16_t c = csum_fold(csum_add(tcp_pseudo_sum(0x0A000001, 0x0A000002, static_cast<uint16_t>(tcp_len)),
                                        &f[kTcp], tcp_len));
  f[kTcp + 16] = static_cast<uint8_t>(c >> 8);
  f[kTcp + 17] = static_cast<uint8_t>(c);
}

ParseError parse(const std::vector<uint8_t>& f) {
  Frame out;
  return parse_frame(f, out);
}

// Replace the TCP options area (4 bytes, MSS) with `opts` (exactly 4 bytes).
std::vector<uint8_t> with_options(std::array<uint8_t, 4> opts) {
  auto f = valid_syn();
  std::copy(opts.begin(), opts.end(), f.begin() + kTcp + 20);
  fix_tcp_csum(f);
  return f;
}

}  // namespace

TEST(CodecMalformed, ValidBaseParses) { EXPECT_EQ(parse(valid_syn()), ParseError::kOk); }

TEST(CodecMalformed, EthernetTruncatedAtEveryLengthBelow14) {
  auto f = valid_syn();
  for (size_t n = 0; n < kEthHeaderLen; ++n) {
    Frame out;
    EXPECT_EQ(parse_frame(f.data(), n, out), ParseError::kEthTruncated) << n;
  }
}

TEST(CodecMalformed, UnsupportedEthertype) {
  auto f = valid_syn();
  f[12] = 0x86;
  f[13] = 0xdd;  // IPv6
  EXPECT_EQ(parse(f), ParseError::kUnsupportedEthertype);
}

TEST(CodecMalformed, ArpTruncatedAndUnsupported) {
  auto f = build_arp_frame({}, ArpPacket{}, false);
  Frame out;
  EXPECT_EQ(parse_frame(f.data(), f.size() - 1, out), ParseError::kArpTruncated);
  f[kIp + 4] = 8;  // hlen 8
  EXPECT_EQ(parse(f), ParseError::kArpUnsupported);
}

TEST(CodecMalformed, IpTruncatedEveryLengthBelowHeader) {
  auto f = valid_syn();
  for (size_t n = kIp; n < kIp + 20; ++n) {
    Frame out;
    EXPECT_EQ(parse_frame(f.data(), n, out), ParseError::kIpTruncated) << n;
  }
}

TEST(CodecMalformed, IpHeaderLongerThanFrame) {
  auto f = valid_syn();
  f.resize(kIp + 22);
  f[kIp] = 0x46;  // IHL 6 = 24 bytes, only 22 present
  EXPECT_EQ(parse(f), ParseError::kIpTruncated);
}

TEST(CodecMalformed, IpBadVersion) {
  auto f = valid_syn();
  f[kIp] = 0x65;
  EXPECT_EQ(parse(f), ParseError::kIpBadVersion);
}

TEST(CodecMalformed, IpBadIhl) {
  auto f = valid_syn();
  for (uint8_t ihl = 0; ihl < 5; ++ihl) {
    f[kIp] = static_cast<uint8_t>(0x40 | ihl);
    EXPECT_EQ(parse(f), ParseError::kIpBadIhl) << int(ihl);
  }
}

TEST(CodecMalformed, IpTotalLengthLies) {
  auto f = valid_syn();
  f[kIp + 2] = 0x05;  // 1280 bytes claimed, fewer present
  f[kIp + 3] = 0x00;
  fix_ip_csum(f);
  EXPECT_EQ(parse(f), ParseError::kIpLengthLies);
  f[kIp + 2] = 0;
  f[kIp + 3] = 19;  // less than the header
  fix_ip_csum(f);
  EXPECT_EQ(parse(f), ParseError::kIpLengthLies);
}

TEST(CodecMalformed, IpBadChecksum) {
  auto f = valid_syn();
  f[kIp + 10] ^= 0x01;
  EXPECT_EQ(parse(f), ParseError::kIpBadChecksum);
  Frame out;
  ParseOptions po;
  po.verify_ip_checksum = false;
  EXPECT_EQ(parse_frame(f, out, po), ParseError::kOk);
}

TEST(CodecMalformed, IpFragmentsRecognised) {
  auto f = valid_syn();
  f[kIp + 6] = 0x20;  // MF
  fix_ip_csum(f);
  Frame out;
  EXPECT_EQ(parse_frame(f, out), ParseError::kIpFragment);
  EXPECT_TRUE(out.ip.mf);
  f[kIp + 6] = 0x00;
  f[kIp + 7] = 0x10;  // offset 16*8
  fix_ip_csum(f);
  EXPECT_EQ(parse_frame(f, out), ParseError::kIpFragment);
  EXPECT_EQ(out.ip.frag_offset, 16);
}

TEST(CodecMalformed, NonTcpProtocolNamed) {
  auto f = valid_syn();
  f[kIp + 9] = kIpProtoIcmp;
  fix_ip_csum(f);
  EXPECT_EQ(parse(f), ParseError::kIpUnsupportedProtocol);
}

TEST(CodecMalformed, TcpTruncated) {
  auto f = valid_syn();
  f.resize(kTcp + 19);
  f[kIp + 2] = 0;
  f[kIp + 3] = 39;
  fix_ip_csum(f);
  EXPECT_EQ(parse(f), ParseError::kTcpTruncated);
}

TEST(CodecMalformed, TcpBadDataOffset) {
  auto f = valid_syn();
  for (uint8_t off = 0; off < 5; ++off) {
    f[kTcp + 12] = static_cast<uint8_t>(off << 4);
    EXPECT_EQ(parse(f), ParseError::kTcpBadDataOffset) << int(off);
  }
}

TEST(CodecMalformed, TcpDataOffsetBeyondSegment) {
  auto f = valid_syn();
  f[kTcp + 12] = 0xf0;  // 60-byte header in a 32-byte segment
  EXPECT_EQ(parse(f), ParseError::kTcpHeaderOverrun);
}

TEST(CodecMalformed, TcpOptionOverrun) {
  EXPECT_EQ(parse(with_options({1, 1, 1, 2})), ParseError::kTcpOptionOverrun);      // kind without length
  EXPECT_EQ(parse(with_options({2, 8, 0, 0})), ParseError::kTcpOptionOverrun);      // length past header
  EXPECT_EQ(parse(with_options({1, 1, 99, 3})), ParseError::kTcpOptionOverrun);    // unknown kind, too long
}

TEST(CodecMalformed, TcpBadOptionLength) {
  EXPECT_EQ(parse(with_options({2, 0, 0, 0})), ParseError::kTcpBadOptionLength);    // length 0
  EXPECT_EQ(parse(with_options({2, 1, 0, 0})), ParseError::kTcpBadOptionLength);    // length 1
  EXPECT_EQ(parse(with_options({2, 3, 0, 0})), ParseError::kTcpBadOptionLength);    // MSS length 3
  EXPECT_EQ(parse(with_options({3, 4, 0, 0})), ParseError::kTcpBadOptionLength);    // WS length 4
  EXPECT_EQ(parse(with_options({4, 4, 0, 0})), ParseError::kTcpBadOptionLength);    // SACK-OK length 4
  // Odd NOPs then EOL: fine.
  EXPECT_EQ(parse(with_options({1, 1, 1, 0})), ParseError::kOk);
}

TEST(CodecMalformed, TcpBadChecksum) {
  auto f = valid_syn();
  f.back() ^= 0xff;  // payload byte
  EXPECT_EQ(parse(f), ParseError::kTcpBadChecksum);
  Frame out;
  ParseOptions po;
  po.verify_tcp_checksum = false;
  EXPECT_EQ(parse_frame(f, out, po), ParseError::kOk);
}

TEST(CodecMalformed, EveryErrorHasAName) {
  for (int e = 0; e < static_cast<int>(ParseError::kCount); ++e)
    EXPECT_STRNE(to_string(static_cast<ParseError>(e)), "unknown parse error") << e;
}

TEST(CodecMalformed, EveryPrefixOfAValidFrameIsRejectedWithoutOverrun) {
  // Under ASan this also proves no read past the given length.
  const auto f = valid_syn();
  for (size_t n = 0; n < f.size(); ++n) {
    std::vector<uint8_t> prefix(f.begin(), f.begin() + n);  // exact-size heap buffer
    Frame out;
    const ParseError e = parse_frame(prefix.data(), prefix.size(), out);
    EXPECT_NE(e, ParseError::kOk) << n;  // every proper prefix is short of the IP total length
  }
}
