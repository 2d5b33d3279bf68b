// SPDX-License-Identifier: Apache-2.0
// libFuzzer target over toe::net's packet codec (issue item 9).
//
// Each input is fed, as-is, to every parser entry point (parse_frame with
// checksum verification on and off, parse_ip_packet, parse_tcp_options), and
// the results are cross-checked:
//   * verification on/off agree (on may only add a checksum error);
//   * parse_frame of an IPv4 frame == parse_ip_packet of its IP part;
//   * the TCP payload lies inside the input;
//   * a frame that parses as TCP, rebuilt with build_tcp_frame/build_ip_tcp from
//     the parsed headers, re-parses (checksums verified) to the same headers;
//   * an ARP frame rebuilt with build_arp_frame re-parses to the same packet;
//   * MAC/IP address text (the input itself, and parsed addresses) round-trips
//     through MacAddr::parse/str and parse_ip/ip_str.
// A violated invariant aborts via __builtin_trap so libFuzzer records a crash.
// Memory errors and UB are caught by ASan/UBSan (see CMakeLists.txt).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "toe/net/codec.hpp"

using namespace toe::net;

namespace {

#define FUZZ_CHECK(cond)        \
  do {                          \
    if (!(cond)) __builtin_trap(); \
  } while (0)

volatile size_t g_sink;  // keeps describe()/flags_str() results observable

void consume(const std::string& s) { g_sink = g_sink + s.size(); }

void consume_frame(const Frame& f) {
  consume(describe(f));
  if (f.has_tcp) consume(flags_str(f.tcp.flags));
  // Touch every payload byte so ASan checks the payload pointer/length.
  if (f.payload_len) g_sink = g_sink + csum_add(0, f.payload, f.payload_len);
}

bool in_buffer(const uint8_t* p, size_t n, const uint8_t* base, size_t len) {
  if (n == 0) return true;
  const auto pu = reinterpret_cast<uintptr_t>(p), bu = reinterpret_cast<uintptr_t>(base);
  return pu >= bu && pu - bu <= len && n <= len - (pu - bu);
}

bool is_checksum_error(ParseError e) {
  return e == ParseError::kIpBadChecksum || e == ParseError::kTcpBadChecksum;
}

// Every successfully parsed headers struct must compare equal to itself.
void check_reflexive(const Frame& f) {
  FUZZ_CHECK(f.eth == f.eth);
  if (f.kind == Frame::Kind::kArp) FUZZ_CHECK(f.arp == f.arp);
  if (f.kind == Frame::Kind::kIpv4) FUZZ_CHECK(f.ip == f.ip);
  if (f.has_tcp) FUZZ_CHECK(f.tcp == f.tcp);
}

// The codec emits TCP options in a fixed layout; unknown options vanish and the
// known ones are re-laid out, so data_offset may differ. Compare after copying
// the derived fields (IHL, total length, data offset, checksums) from `re`.
void check_tcp_roundtrip(const Frame& orig, const uint8_t* rebuilt, size_t rebuilt_len, bool has_eth) {
  Frame re;
  const ParseOptions verify{};  // both checksums verified: the builder computes them
  const ParseError e = has_eth ? parse_frame(rebuilt, rebuilt_len, re, verify)
                               : parse_ip_packet(rebuilt, rebuilt_len, re, verify);
  FUZZ_CHECK(e == ParseError::kOk);
  FUZZ_CHECK(re.kind == Frame::Kind::kIpv4);
  FUZZ_CHECK(re.has_tcp);

  if (has_eth) FUZZ_CHECK(re.eth == orig.eth);

  Ipv4Header ip = orig.ip;
  ip.ihl = re.ip.ihl;
  ip.total_length = re.ip.total_length;
  ip.checksum = re.ip.checksum;
  FUZZ_CHECK(ip.ihl == orig.ip.ihl);  // IP options are copied verbatim
  FUZZ_CHECK(re.ip == ip);

  TcpHeader tcp = orig.tcp;
  tcp.data_offset = re.tcp.data_offset;
  tcp.checksum = re.tcp.checksum;
  // The builder keeps only the SACK blocks that fit in 40 bytes beside the
  // other options; one more block must not have fitted.
  if (re.tcp.opts.sack_count < tcp.opts.sack_count) {
    TcpOptions one_more = re.tcp.opts;
    one_more.sack_count = static_cast<uint8_t>(one_more.sack_count + 1);
    FUZZ_CHECK(re.tcp.opts.encoded_len() - (re.tcp.opts.sack_count ? 4 + 8u * re.tcp.opts.sack_count : 0) + 4 +
                   8u * one_more.sack_count > 40);
    tcp.opts.sack_count = re.tcp.opts.sack_count;
  }
  FUZZ_CHECK(re.tcp.opts == tcp.opts);
  FUZZ_CHECK(re.tcp.data_offset == 5 + re.tcp.opts.encoded_len() / 4);
  FUZZ_CHECK(re.tcp == tcp);

  FUZZ_CHECK(re.payload_len == orig.payload_len);
  FUZZ_CHECK(orig.payload_len == 0 || std::memcmp(re.payload, orig.payload, orig.payload_len) == 0);
  FUZZ_CHECK(in_buffer(re.payload, re.payload_len, rebuilt, rebuilt_len));
  consume_frame(re);
}

void roundtrip_tcp(const Frame& f) {
  // Options the canonical layout cannot hold in 40 bytes (e.g. MSS +
  // SACK-permitted + 4 SACK blocks, packed on the wire) lose the SACK blocks
  // that do not fit; encoded_len() never exceeds 40 (regression seed
  // seed-tcp-opts-canonical-overflow.bin once wrapped the data offset to 0).
  const size_t opt_len = f.tcp.opts.encoded_len();
  FUZZ_CHECK(opt_len <= 40);
  const size_t total = kIpv4MinHeaderLen + f.ip.options_len + kTcpMinHeaderLen + opt_len + f.payload_len;
  if (total > 0xffff) return;

  const std::vector<uint8_t> frame = build_tcp_frame(f.eth, f.ip, f.tcp, f.payload, f.payload_len);
  FUZZ_CHECK(frame.size() == (kEthHeaderLen + total < 60 ? 60 : kEthHeaderLen + total));
  check_tcp_roundtrip(f, frame.data(), frame.size(), /*has_eth=*/true);

  const std::vector<uint8_t> pkt = build_ip_tcp(f.ip, f.tcp, f.payload, f.payload_len);
  FUZZ_CHECK(pkt.size() == total);
  FUZZ_CHECK(std::memcmp(pkt.data(), frame.data() + kEthHeaderLen, total) == 0);
  check_tcp_roundtrip(f, pkt.data(), pkt.size(), /*has_eth=*/false);
}

void roundtrip_arp(const Frame& f) {
  const std::vector<uint8_t> frame = build_arp_frame(f.eth, f.arp);
  FUZZ_CHECK(frame.size() == 60);
  Frame re;
  FUZZ_CHECK(parse_frame(frame.data(), frame.size(), re) == ParseError::kOk);
  FUZZ_CHECK(re.kind == Frame::Kind::kArp);
  FUZZ_CHECK(re.eth == f.eth);
  FUZZ_CHECK(re.arp == f.arp);
  consume_frame(re);
}

// Address text helpers (used on command-line input by the tools): parsing
// arbitrary text must be safe; printing then re-parsing must be exact.
void check_address_text(const uint8_t* data, size_t size) {
  if (size > 64) return;
  const std::string text(reinterpret_cast<const char*>(data), size);
  MacAddr m;
  if (MacAddr::parse(text, m)) {
    MacAddr back;
    FUZZ_CHECK(MacAddr::parse(m.str(), back) && back == m);
    FUZZ_CHECK(m.is_multicast() || !m.is_broadcast());
  }
  uint32_t ip = 0;
  if (parse_ip(text, ip)) {
    uint32_t back = ~ip;
    FUZZ_CHECK(parse_ip(ip_str(ip), back) && back == ip);
  }
}

void check_frame_addresses(const Frame& f) {
  for (const MacAddr* m : {&f.eth.dst, &f.eth.src}) {
    MacAddr back;
    FUZZ_CHECK(MacAddr::parse(m->str(), back) && back == *m);
    FUZZ_CHECK(m->is_broadcast() == (*m == MacAddr::broadcast()));
  }
  for (uint32_t a : {f.ip.src, f.ip.dst}) {
    uint32_t back = ~a;
    FUZZ_CHECK(parse_ip(ip_str(a), back) && back == a);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // (1) parse_frame, checksum verification on and off.
  Frame on, off;
  ParseOptions no_verify;
  no_verify.verify_ip_checksum = false;
  no_verify.verify_tcp_checksum = false;
  const ParseError e_on = parse_frame(data, size, on);
  const ParseError e_off = parse_frame(data, size, off, no_verify);
  FUZZ_CHECK(e_on < ParseError::kCount && e_off < ParseError::kCount);
  consume(to_string(e_on));
  consume_frame(on);
  consume_frame(off);
  FUZZ_CHECK(in_buffer(on.payload, on.payload_len, data, size));
  FUZZ_CHECK(in_buffer(off.payload, off.payload_len, data, size));
  FUZZ_CHECK(!is_checksum_error(e_off));
  if (e_off == ParseError::kOk) {
    FUZZ_CHECK(e_on == ParseError::kOk || is_checksum_error(e_on));
  } else {
    // Verification can only turn a later error into an (earlier) IP checksum error.
    FUZZ_CHECK(e_on == e_off || e_on == ParseError::kIpBadChecksum);
  }
  if (e_on == ParseError::kOk) {
    FUZZ_CHECK(e_off == ParseError::kOk);
    FUZZ_CHECK(on.kind == off.kind && on.has_tcp == off.has_tcp && on.eth == off.eth);
    if (on.kind == Frame::Kind::kArp) FUZZ_CHECK(on.arp == off.arp);
    if (on.kind == Frame::Kind::kIpv4) FUZZ_CHECK(on.ip == off.ip);
    if (on.has_tcp) FUZZ_CHECK(on.tcp == off.tcp && on.payload == off.payload &&
                               on.payload_len == off.payload_len);
  }
  if (e_off == ParseError::kOk) check_reflexive(off);

  // (2) parse_ip_packet on the raw bytes, and on the IP part of an IPv4 frame
  // (which must agree with parse_frame).
  Frame raw;
  consume(to_string(parse_ip_packet(data, size, raw)));
  consume_frame(raw);
  FUZZ_CHECK(in_buffer(raw.payload, raw.payload_len, data, size));
  if (size >= kEthHeaderLen && off.eth.ethertype == kEtherTypeIpv4) {
    Frame ipf;
    const ParseError e_ip = parse_ip_packet(data + kEthHeaderLen, size - kEthHeaderLen, ipf, no_verify);
    FUZZ_CHECK(e_ip == e_off);
    if (e_ip == ParseError::kOk) {
      FUZZ_CHECK(ipf.ip == off.ip && ipf.has_tcp == off.has_tcp);
      if (ipf.has_tcp)
        FUZZ_CHECK(ipf.tcp == off.tcp && ipf.payload == off.payload && ipf.payload_len == off.payload_len);
    }
  }
  Frame raw_off;
  if (parse_ip_packet(data, size, raw_off, no_verify) == ParseError::kOk && raw_off.has_tcp) {
    check_reflexive(raw_off);
    roundtrip_tcp(raw_off);  // eth is default-constructed here: still a valid round trip
  }

  // (3) parse_tcp_options over the whole input (and the standalone TCP parser).
  TcpOptions opts;
  const ParseError e_opt = parse_tcp_options(data, size, opts);
  FUZZ_CHECK(e_opt == ParseError::kOk || e_opt == ParseError::kTcpOptionOverrun ||
             e_opt == ParseError::kTcpBadOptionLength);
  if (e_opt == ParseError::kOk) {
    FUZZ_CHECK(opts == opts);
    FUZZ_CHECK(opts.sack_count <= opts.sack.size());
    g_sink = g_sink + opts.encoded_len();
    FUZZ_CHECK(opts.encoded_len() <= 40);
    std::vector<uint8_t> enc;
    build_tcp_options(opts, enc);
    FUZZ_CHECK(enc.size() == opts.encoded_len());
    TcpOptions back;
    FUZZ_CHECK(parse_tcp_options(enc.data(), enc.size(), back) == ParseError::kOk);
    FUZZ_CHECK(back.sack_count <= opts.sack_count);  // SACK blocks that did not fit are dropped
    TcpOptions expect = opts;
    expect.sack_count = back.sack_count;
    FUZZ_CHECK(back == expect);
  }
  TcpHeader th;
  consume(to_string(parse_tcp(data, size, 0x0A000001, 0x0A000002, th)));

  // (4) Round trips through the builders.
  if (e_off == ParseError::kOk && off.has_tcp) roundtrip_tcp(off);
  if (e_off == ParseError::kOk && off.kind == Frame::Kind::kArp) roundtrip_arp(off);

  // (5) Address text helpers.
  if (e_off == ParseError::kOk) check_frame_addresses(off);
  check_address_text(data, size);
  return 0;
}
