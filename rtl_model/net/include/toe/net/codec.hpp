// SPDX-License-Identifier: Apache-2.0
// toe::net: the project's one packet codec. Parses and builds Ethernet II,
// ARP, IPv4 and TCP. Parsing never reads past the buffer it is given and
// names each malformation with a ParseError; building is byte-exact.
//
// Used by the model's testbenches, toe_sim, the tests and the tools.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace toe::net {

// ---- addresses --------------------------------------------------------------
struct MacAddr {
  std::array<uint8_t, 6> b{};
  bool operator==(const MacAddr& o) const { return b == o.b; }
  bool operator!=(const MacAddr& o) const { return b != o.b; }
  bool is_broadcast() const;
  bool is_multicast() const { return (b[0] & 1u) != 0; }  // includes broadcast
  std::string str() const;                                // "02:00:00:00:00:02"
  static bool parse(const std::string& text, MacAddr& out);
  static MacAddr broadcast();
};

// IPv4 addresses are host-order uint32_t throughout (10.0.0.2 == 0x0A000002).
std::string ip_str(uint32_t ip);
bool parse_ip(const std::string& text, uint32_t& out);

// ---- header structs (host byte order) -----------------------------------------
constexpr uint16_t kEtherTypeIpv4 = 0x0800;
constexpr uint16_t kEtherTypeArp = 0x0806;
constexpr uint8_t kIpProtoTcp = 6;
constexpr uint8_t kIpProtoIcmp = 1;
constexpr size_t kEthHeaderLen = 14;
constexpr size_t kIpv4MinHeaderLen = 20;
constexpr size_t kTcpMinHeaderLen = 20;
constexpr size_t kArpLen = 28;

struct EthHeader {
  MacAddr dst, src;
  uint16_t ethertype = kEtherTypeIpv4;
  bool operator==(const EthHeader& o) const {
    return dst == o.dst && src == o.src && ethertype == o.ethertype;
  }
};

struct ArpPacket {
  uint16_t htype = 1, ptype = kEtherTypeIpv4;
  uint8_t hlen = 6, plen = 4;
  uint16_t oper = 1;  // 1 request, 2 reply
  MacAddr sha;
  uint32_t spa = 0;
  MacAddr tha;
  uint32_t tpa = 0;
  bool operator==(const ArpPacket& o) const;
};

struct Ipv4Header {
  uint8_t ihl = 5;          // header length in 32-bit words (derived on build)
  uint8_t dscp_ecn = 0;
  uint16_t total_length = 0;  // derived on build
  uint16_t id = 0;
  bool df = true, mf = false;
  uint16_t frag_offset = 0;  // in 8-byte units
  uint8_t ttl = 64;
  uint8_t protocol = kIpProtoTcp;
  uint16_t checksum = 0;  // derived on build; as read on parse
  uint32_t src = 0, dst = 0;
  uint8_t options_len = 0;  // bytes, multiple of 4, at most 40
  std::array<uint8_t, 40> options{};
  bool is_fragment() const { return mf || frag_offset != 0; }
  bool operator==(const Ipv4Header& o) const;
};

// TCP flag bits as they sit in byte 13 of the header.
enum TcpFlag : uint8_t {
  kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08,
  kAck = 0x10, kUrg = 0x20, kEce = 0x40, kCwr = 0x80,
};
std::string flags_str(uint8_t flags);  // tcpdump style: "S", "S.", "F.", "R", "P." ...

struct SackBlock {
  uint32_t left = 0, right = 0;
  bool operator==(const SackBlock& o) const { return left == o.left && right == o.right; }
};

// Options the engine understands. Building emits them in a fixed, aligned
// layout (MSS, NOP+WS, NOP NOP+SACK-permitted, NOP NOP+TS, NOP NOP+SACK), so
// parse(build(h)) == h.
struct TcpOptions {
  bool has_mss = false;
  uint16_t mss = 0;
  bool has_wscale = false;
  uint8_t wscale = 0;
  bool sack_permitted = false;
  bool has_ts = false;
  uint32_t ts_val = 0, ts_ecr = 0;
  uint8_t sack_count = 0;  // 0..4 as parsed; building keeps the blocks that fit in the
                           // 40 bytes of option space after the other options
  std::array<SackBlock, 4> sack{};
  size_t encoded_len() const;  // bytes, padded to a multiple of 4
  bool operator==(const TcpOptions& o) const;
};

struct TcpHeader {
  uint16_t src_port = 0, dst_port = 0;
  uint32_t seq = 0, ack = 0;
  uint8_t data_offset = 5;  // 32-bit words; derived on build
  uint8_t reserved = 0;     // the 4 reserved bits (incl. the old NS bit), kept for round trips
  uint8_t flags = 0;
  uint16_t window = 0;
  uint16_t checksum = 0;  // derived on build; as read on parse
  uint16_t urgent = 0;
  TcpOptions opts;
  bool has(uint8_t f) const { return (flags & f) != 0; }
  bool operator==(const TcpHeader& o) const;
};

// ---- parse ------------------------------------------------------------------
enum class ParseError : uint8_t {
  kOk = 0,
  kEthTruncated,         // fewer than 14 bytes
  kUnsupportedEthertype, // neither IPv4 nor ARP (also 802.1Q/LLC)
  kArpTruncated,
  kArpUnsupported,       // not Ethernet/IPv4 ARP
  kIpTruncated,          // fewer bytes than a 20-byte header, or than IHL says
  kIpBadVersion,
  kIpBadIhl,             // IHL < 5
  kIpLengthLies,         // total length < IHL*4 or > bytes available
  kIpBadChecksum,
  kIpFragment,           // recognised; the TCP layer is not parsed
  kIpUnsupportedProtocol,// not TCP (ICMP etc.): IP header valid, TCP not parsed
  kTcpTruncated,         // fewer than 20 bytes of TCP in the IP payload
  kTcpBadDataOffset,     // data offset < 5
  kTcpHeaderOverrun,     // data offset points past the IP payload
  kTcpOptionOverrun,     // an option's length runs past the header
  kTcpBadOptionLength,   // option length 0/1, or wrong for a known kind
  kTcpBadChecksum,
  kCount
};
const char* to_string(ParseError e);

struct ParseOptions {
  bool verify_ip_checksum = true;
  bool verify_tcp_checksum = true;
};

// A parsed frame. Pointers alias the caller's buffer.
struct Frame {
  enum class Kind : uint8_t { kNone, kArp, kIpv4 };
  Kind kind = Kind::kNone;
  EthHeader eth;
  ArpPacket arp;
  Ipv4Header ip;
  bool has_tcp = false;
  TcpHeader tcp;
  const uint8_t* payload = nullptr;  // TCP payload
  size_t payload_len = 0;
};

ParseError parse_arp(const uint8_t* data, size_t len, ArpPacket& out);
// Parses an IPv4 header; on kOk, l4/l4_len give the IP payload (trimmed to the
// IP total length: Ethernet padding is not payload).
ParseError parse_ipv4(const uint8_t* data, size_t len, Ipv4Header& out, const uint8_t** l4,
                      size_t* l4_len, const ParseOptions& po = {});
// Parses a TCP header in an IP payload whose addresses give the pseudo-header.
ParseError parse_tcp(const uint8_t* data, size_t len, uint32_t src_ip, uint32_t dst_ip,
                     TcpHeader& out, const ParseOptions& po = {});
ParseError parse_tcp_options(const uint8_t* data, size_t len, TcpOptions& out);
// A raw IPv4 packet (no link header): IPv4 and, if present, TCP.
ParseError parse_ip_packet(const uint8_t* data, size_t len, Frame& out, const ParseOptions& po = {});
// An Ethernet II frame: ARP, or IPv4 and, if present, TCP.
ParseError parse_frame(const uint8_t* data, size_t len, Frame& out, const ParseOptions& po = {});
inline ParseError parse_frame(const std::vector<uint8_t>& f, Frame& out, const ParseOptions& po = {}) {
  return parse_frame(f.data(), f.size(), out, po);
}

// ---- build ------------------------------------------------------------------
// Appends to `out`. Derived fields (IHL, total length, data offset, checksums)
// are computed; the corresponding input fields are ignored.
void build_eth(const EthHeader& h, std::vector<uint8_t>& out);
void build_arp(const ArpPacket& a, std::vector<uint8_t>& out);
void build_tcp_options(const TcpOptions& o, std::vector<uint8_t>& out);
// An IPv4 packet carrying TCP: ip.protocol is forced to TCP.
std::vector<uint8_t> build_ip_tcp(const Ipv4Header& ip, const TcpHeader& tcp, const uint8_t* payload,
                                  size_t payload_len);
// Ethernet + IPv4 + TCP + payload; padded with zeros to the 60-byte Ethernet
// minimum when pad_to_min is set.
std::vector<uint8_t> build_tcp_frame(const EthHeader& eth, const Ipv4Header& ip, const TcpHeader& tcp,
                                     const uint8_t* payload = nullptr, size_t payload_len = 0,
                                     bool pad_to_min = true);
std::vector<uint8_t> build_arp_frame(const EthHeader& eth, const ArpPacket& arp, bool pad_to_min = true);

// ---- checksums --------------------------------------------------------------
// 32-bit one's-complement accumulator over big-endian 16-bit words; fold with csum_fold.
uint32_t csum_add(uint32_t sum, const uint8_t* data, size_t len);
uint16_t csum_fold(uint32_t sum);  // returns the one's complement of the folded sum
uint32_t tcp_pseudo_sum(uint32_t src_ip, uint32_t dst_ip, uint16_t tcp_len);

// ---- one-line summary, for logs and errors -------------------------------------
std::string describe(const Frame& f);  // "10.0.0.1:1234 > 10.0.0.2:80 S. seq 1 ack 2 win 65535 len 0"

}  // namespace toe::net
