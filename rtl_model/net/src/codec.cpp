// SPDX-License-Identifier: Apache-2.0
// Implementation of toe::net (see codec.hpp). Every read is bounds-checked
// against the length the caller gave; nothing is read past it.
#include "toe/net/codec.hpp"

#include <cctype>
#include <cstdio>
#include <cstring>

namespace toe::net {
namespace {

inline uint16_t rd16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
inline uint32_t rd32(const uint8_t* p) {
  return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
         (static_cast<uint32_t>(p[2]) << 8) | p[3];
}
inline void put16(std::vector<uint8_t>& v, uint16_t x) {
  v.push_back(static_cast<uint8_t>(x >> 8));
  v.push_back(static_cast<uint8_t>(x));
}
inline void put32(std::vector<uint8_t>& v, uint32_t x) {
  put16(v, static_cast<uint16_t>(x >> 16));
  put16(v, static_cast<uint16_t>(x));
}
inline void set16(uint8_t* p, uint16_t x) {
  p[0] = static_cast<uint8_t>(x >> 8);
  p[1] = static_cast<uint8_t>(x);
}
void put_mac(std::vector<uint8_t>& v, const MacAddr& m) {
  for (uint8_t x : m.b) v.push_back(x);  // (a range insert trips GCC 12's -Wstringop-overflow at -O3)
}
MacAddr rd_mac(const uint8_t* p) {
  MacAddr m;
  std::memcpy(m.b.data(), p, 6);
  return m;
}

// TCP option kinds
constexpr uint8_t kOptEol = 0, kOptNop = 1, kOptMss = 2, kOptWs = 3, kOptSackPerm = 4, kOptSack = 5,
                  kOptTs = 8;

}  // namespace

// ---- addresses --------------------------------------------------------------
bool MacAddr::is_broadcast() const {
  for (uint8_t x : b)
    if (x != 0xff) return false;
  return true;
}

std::string MacAddr::str() const {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
  return buf;
}

bool MacAddr::parse(const std::string& text, MacAddr& out) {
  // Exactly hh:hh:hh:hh:hh:hh (hex digits, either case).
  if (text.size() != 17) return false;
  for (size_t i = 0; i < 17; ++i) {
    const char c = text[i];
    if (i % 3 == 2 ? c != ':' : !std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  unsigned v[6];
  char tail;
  if (std::sscanf(text.c_str(), "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
                  &tail) != 6)
    return false;
  for (int i = 0; i < 6; ++i) out.b[i] = static_cast<uint8_t>(v[i]);
  return true;
}

MacAddr MacAddr::broadcast() {
  MacAddr m;
  m.b.fill(0xff);
  return m;
}

std::string ip_str(uint32_t ip) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
  return buf;
}

bool parse_ip(const std::string& text, uint32_t& out) {
  // Dotted quad of decimal digits only (no spaces, signs or hex).
  for (char ch : text)
    if (ch != '.' && !std::isdigit(static_cast<unsigned char>(ch))) return false;
  unsigned a, b, c, d;
  char tail;
  if (std::sscanf(text.c_str(), "%3u.%3u.%3u.%3u%c", &a, &b, &c, &d, &tail) != 4) return false;
  if (a > 255 || b > 255 || c > 255 || d > 255) return false;
  out = (a << 24) | (b << 16) | (c << 8) | d;
  return true;
}

// ---- equality -----------------------------------------------------------------
bool ArpPacket::operator==(const ArpPacket& o) const {
  return htype == o.htype && ptype == o.ptype && hlen == o.hlen && plen == o.plen && oper == o.oper &&
         sha == o.sha && spa == o.spa && tha == o.tha && tpa == o.tpa;
}

bool Ipv4Header::operator==(const Ipv4Header& o) const {
  return ihl == o.ihl && dscp_ecn == o.dscp_ecn && total_length == o.total_length && id == o.id &&
         df == o.df && mf == o.mf && frag_offset == o.frag_offset && ttl == o.ttl &&
         protocol == o.protocol && checksum == o.checksum && src == o.src && dst == o.dst &&
         options_len == o.options_len &&
         std::memcmp(options.data(), o.options.data(), options_len) == 0;
}

bool TcpOptions::operator==(const TcpOptions& o) const {
  if (has_mss != o.has_mss || (has_mss && mss != o.mss)) return false;
  if (has_wscale != o.has_wscale || (has_wscale && wscale != o.wscale)) return false;
  if (sack_permitted != o.sack_permitted) return false;
  if (has_ts != o.has_ts || (has_ts && (ts_val != o.ts_val || ts_ecr != o.ts_ecr))) return false;
  if (sack_count != o.sack_count) return false;
  for (unsigned i = 0; i < sack_count && i < sack.size(); ++i)
    if (!(sack[i] == o.sack[i])) return false;
  return true;
}

bool TcpHeader::operator==(const TcpHeader& o) const {
  return src_port == o.src_port && dst_port == o.dst_port && seq == o.seq && ack == o.ack &&
         data_offset == o.data_offset && reserved == o.reserved && flags == o.flags &&
         window == o.window && checksum == o.checksum && urgent == o.urgent && opts == o.opts;
}

std::string flags_str(uint8_t f) {
  // tcpdump order: S F P R U E W then '.' for ACK
  std::string s;
  if (f & kSyn) s += 'S';
  if (f & kFin) s += 'F';
  if (f & kPsh) s += 'P';
  if (f & kRst) s += 'R';
  if (f & kUrg) s += 'U';
  if (f & kEce) s += 'E';
  if (f & kCwr) s += 'W';
  if (f & kAck) s += '.';
  if (s.empty()) s = "none";
  return s;
}

const char* to_string(ParseError e) {
  switch (e) {
    case ParseError::kOk: return "ok";
    case ParseError::kEthTruncated: return "ethernet header truncated";
    case ParseError::kUnsupportedEthertype: return "unsupported ethertype";
    case ParseError::kArpTruncated: return "ARP packet truncated";
    case ParseError::kArpUnsupported: return "ARP not Ethernet/IPv4";
    case ParseError::kIpTruncated: return "IPv4 header truncated";
    case ParseError::kIpBadVersion: return "IP version is not 4";
    case ParseError::kIpBadIhl: return "IPv4 IHL below 5";
    case ParseError::kIpLengthLies: return "IPv4 total length inconsistent with header or frame";
    case ParseError::kIpBadChecksum: return "bad IPv4 header checksum";
    case ParseError::kIpFragment: return "IPv4 fragment";
    case ParseError::kIpUnsupportedProtocol: return "IP protocol is not TCP";
    case ParseError::kTcpTruncated: return "TCP header truncated";
    case ParseError::kTcpBadDataOffset: return "TCP data offset below 5";
    case ParseError::kTcpHeaderOverrun: return "TCP data offset past the segment";
    case ParseError::kTcpOptionOverrun: return "TCP option runs past the header";
    case ParseError::kTcpBadOptionLength: return "TCP option with a bad length";
    case ParseError::kTcpBadChecksum: return "bad TCP checksum";
    case ParseError::kCount: break;
  }
  return "unknown parse error";
}

// ---- checksums --------------------------------------------------------------
uint32_t csum_add(uint32_t sum, const uint8_t* data, size_t len) {
  uint64_t s = sum;
  size_t i = 0;
  for (; i + 1 < len; i += 2) s += rd16(data + i);
  if (i < len) s += static_cast<uint32_t>(data[i]) << 8;
  while (s >> 32) s = (s & 0xffffffffu) + (s >> 32);
  return static_cast<uint32_t>(s);
}

uint16_t csum_fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffffu) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

uint32_t tcp_pseudo_sum(uint32_t src_ip, uint32_t dst_ip, uint16_t tcp_len) {
  uint64_t s = (src_ip >> 16) + (src_ip & 0xffff) + (dst_ip >> 16) + (dst_ip & 0xffff) + kIpProtoTcp + tcp_len;
  while (s >> 32) s = (s & 0xffffffffu) + (s >> 32);
  return static_cast<uint32_t>(s);
}

// ---- parse ------------------------------------------------------------------
ParseError parse_arp(const uint8_t* d, size_t len, ArpPacket& a) {
  if (len < kArpLen) return ParseError::kArpTruncated;
  a.htype = rd16(d);
  a.ptype = rd16(d + 2);
  a.hlen = d[4];
  a.plen = d[5];
  if (a.htype != 1 || a.ptype != kEtherTypeIpv4 || a.hlen != 6 || a.plen != 4)
    return ParseError::kArpUnsupported;
  a.oper = rd16(d + 6);
  a.sha = rd_mac(d + 8);
  a.spa = rd32(d + 14);
  a.tha = rd_mac(d + 18);
  a.tpa = rd32(d + 24);
  return ParseError::kOk;
}

ParseError parse_ipv4(const uint8_t* d, size_t len, Ipv4Header& h, const uint8_t** l4, size_t* l4_len,
                      const ParseOptions& po) {
  if (len < kIpv4MinHeaderLen) return ParseError::kIpTruncated;
  if ((d[0] >> 4) != 4) return ParseError::kIpBadVersion;
  h.ihl = d[0] & 0x0f;
  if (h.ihl < 5) return ParseError::kIpBadIhl;
  const size_t hlen = h.ihl * 4u;
  if (len < hlen) return ParseError::kIpTruncated;
  h.dscp_ecn = d[1];
  h.total_length = rd16(d + 2);
  if (h.total_length < hlen || h.total_length > len) return ParseError::kIpLengthLies;
  h.id = rd16(d + 4);
  const uint16_t ff = rd16(d + 6);
  h.df = (ff & 0x4000) != 0;
  h.mf = (ff & 0x2000) != 0;
  h.frag_offset = ff & 0x1fff;
  h.ttl = d[8];
  h.protocol = d[9];
  h.checksum = rd16(d + 10);
  h.src = rd32(d + 12);
  h.dst = rd32(d + 16);
  h.options_len = static_cast<uint8_t>(hlen - kIpv4MinHeaderLen);
  h.options.fill(0);
  std::memcpy(h.options.data(), d + kIpv4MinHeaderLen, h.options_len);
  if (po.verify_ip_checksum && csum_fold(csum_add(0, d, hlen)) != 0) return ParseError::kIpBadChecksum;
  if (l4) *l4 = d + hlen;
  if (l4_len) *l4_len = h.total_length - hlen;
  return ParseError::kOk;
}

ParseError parse_tcp_options(const uint8_t* d, size_t len, TcpOptions& o) {
  o = TcpOptions{};
  size_t i = 0;
  while (i < len) {
    const uint8_t kind = d[i];
    if (kind == kOptEol) break;
    if (kind == kOptNop) {
      ++i;
      continue;
    }
    if (i + 1 >= len) return ParseError::kTcpOptionOverrun;
    const uint8_t olen = d[i + 1];
    if (olen < 2) return ParseError::kTcpBadOptionLength;
    if (i + olen > len) return ParseError::kTcpOptionOverrun;
    const uint8_t* p = d + i + 2;
    switch (kind) {
      case kOptMss:
        if (olen != 4) return ParseError::kTcpBadOptionLength;
        o.has_mss = true;
        o.mss = rd16(p);
        break;
      case kOptWs:
        if (olen != 3) return ParseError::kTcpBadOptionLength;
        o.has_wscale = true;
        o.wscale = p[0];
        break;
      case kOptSackPerm:
        if (olen != 2) return ParseError::kTcpBadOptionLength;
        o.sack_permitted = true;
        break;
      case kOptTs:
        if (olen != 10) return ParseError::kTcpBadOptionLength;
        o.has_ts = true;
        o.ts_val = rd32(p);
        o.ts_ecr = rd32(p + 4);
        break;
      case kOptSack: {
        if (olen < 10 || (olen - 2) % 8 != 0) return ParseError::kTcpBadOptionLength;
        const unsigned n = (olen - 2u) / 8u;
        o.sack_count = static_cast<uint8_t>(n < o.sack.size() ? n : o.sack.size());
        for (unsigned k = 0; k < o.sack_count; ++k) o.sack[k] = {rd32(p + 8 * k), rd32(p + 8 * k + 4)};
        break;
      }
      default:
        break;  // unknown option: skipped by its length
    }
    i += olen;
  }
  return ParseError::kOk;
}

ParseError parse_tcp(const uint8_t* d, size_t len, uint32_t src_ip, uint32_t dst_ip, TcpHeader& t,
                     const ParseOptions& po) {
  if (len < kTcpMinHeaderLen) return ParseError::kTcpTruncated;
  t.src_port = rd16(d);
  t.dst_port = rd16(d + 2);
  t.seq = rd32(d + 4);
  t.ack = rd32(d + 8);
  t.data_offset = d[12] >> 4;
  t.reserved = d[12] & 0x0f;
  t.flags = d[13];
  t.window = rd16(d + 14);
  t.checksum = rd16(d + 16);
  t.urgent = rd16(d + 18);
  if (t.data_offset < 5) return ParseError::kTcpBadDataOffset;
  const size_t hlen = t.data_offset * 4u;
  if (hlen > len) return ParseError::kTcpHeaderOverrun;
  const ParseError oe = parse_tcp_options(d + kTcpMinHeaderLen, hlen - kTcpMinHeaderLen, t.opts);
  if (oe != ParseError::kOk) return oe;
  if (po.verify_tcp_checksum && len <= 0xffff &&
      csum_fold(csum_add(tcp_pseudo_sum(src_ip, dst_ip, static_cast<uint16_t>(len)), d, len)) != 0)
    return ParseError::kTcpBadChecksum;
  return ParseError::kOk;
}

ParseError parse_ip_packet(const uint8_t* d, size_t len, Frame& f, const ParseOptions& po) {
  f.kind = Frame::Kind::kIpv4;
  f.has_tcp = false;
  f.payload = nullptr;
  f.payload_len = 0;
  const uint8_t* l4 = nullptr;
  size_t l4_len = 0;
  ParseError e = parse_ipv4(d, len, f.ip, &l4, &l4_len, po);
  if (e != ParseError::kOk) return e;
  if (f.ip.is_fragment()) return ParseError::kIpFragment;
  if (f.ip.protocol != kIpProtoTcp) return ParseError::kIpUnsupportedProtocol;
  e = parse_tcp(l4, l4_len, f.ip.src, f.ip.dst, f.tcp, po);
  if (e != ParseError::kOk) return e;
  f.has_tcp = true;
  const size_t hlen = f.tcp.data_offset * 4u;
  f.payload = l4 + hlen;
  f.payload_len = l4_len - hlen;
  return ParseError::kOk;
}

ParseError parse_frame(const uint8_t* d, size_t len, Frame& f, const ParseOptions& po) {
  f.kind = Frame::Kind::kNone;
  f.has_tcp = false;
  f.payload = nullptr;
  f.payload_len = 0;
  if (len < kEthHeaderLen) return ParseError::kEthTruncated;
  f.eth.dst = rd_mac(d);
  f.eth.src = rd_mac(d + 6);
  f.eth.ethertype = rd16(d + 12);
  if (f.eth.ethertype == kEtherTypeArp) {
    f.kind = Frame::Kind::kArp;
    return parse_arp(d + kEthHeaderLen, len - kEthHeaderLen, f.arp);
  }
  if (f.eth.ethertype != kEtherTypeIpv4) return ParseError::kUnsupportedEthertype;
  return parse_ip_packet(d + kEthHeaderLen, len - kEthHeaderLen, f, po);
}

// ---- build ------------------------------------------------------------------
namespace {
size_t fixed_options_len(const TcpOptions& o) {
  return (o.has_mss ? 4u : 0u) + (o.has_wscale ? 4u : 0u) + (o.sack_permitted ? 4u : 0u) + (o.has_ts ? 12u : 0u);
}
// SACK blocks that fit in the 40 bytes of option space after the others.
unsigned sack_blocks_that_fit(const TcpOptions& o) {
  const size_t used = fixed_options_len(o);
  const unsigned room = used + 4 + 8 <= 40 ? static_cast<unsigned>((40 - used - 4) / 8) : 0;
  const unsigned want = o.sack_count > 4 ? 4u : o.sack_count;
  return want < room ? want : room;
}
}  // namespace

size_t TcpOptions::encoded_len() const {
  const unsigned blocks = sack_blocks_that_fit(*this);
  return fixed_options_len(*this) + (blocks ? 4 + 8u * blocks : 0);
}

void build_tcp_options(const TcpOptions& o, std::vector<uint8_t>& v) {
  if (o.has_mss) {
    v.insert(v.end(), {kOptMss, 4});
    put16(v, o.mss);
  }
  if (o.has_wscale) v.insert(v.end(), {kOptNop, kOptWs, 3, o.wscale});
  if (o.sack_permitted) v.insert(v.end(), {kOptNop, kOptNop, kOptSackPerm, 2});
  if (o.has_ts) {
    v.insert(v.end(), {kOptNop, kOptNop, kOptTs, 10});
    put32(v, o.ts_val);
    put32(v, o.ts_ecr);
  }
  const unsigned n = sack_blocks_that_fit(o);
  if (n) {
    v.insert(v.end(), {kOptNop, kOptNop, kOptSack, static_cast<uint8_t>(2 + 8 * n)});
    for (unsigned k = 0; k < n; ++k) {
      put32(v, o.sack[k].left);
      put32(v, o.sack[k].right);
    }
  }
}

void build_eth(const EthHeader& h, std::vector<uint8_t>& v) {
  put_mac(v, h.dst);
  put_mac(v, h.src);
  put16(v, h.ethertype);
}

void build_arp(const ArpPacket& a, std::vector<uint8_t>& v) {
  put16(v, a.htype);
  put16(v, a.ptype);
  v.push_back(a.hlen);
  v.push_back(a.plen);
  put16(v, a.oper);
  put_mac(v, a.sha);
  put32(v, a.spa);
  put_mac(v, a.tha);
  put32(v, a.tpa);
}

namespace {
void append_ip_tcp(const Ipv4Header& ip, const TcpHeader& t, const uint8_t* payload, size_t plen,
                   std::vector<uint8_t>& v) {
  const size_t ip_start = v.size();
  size_t optlen = ip.options_len & ~3u;
  if (optlen > 40) optlen = 40;
  const size_t ihl_bytes = kIpv4MinHeaderLen + optlen;
  const size_t tcp_opt = t.opts.encoded_len();
  const size_t tcp_hlen = kTcpMinHeaderLen + tcp_opt;
  const size_t total = ihl_bytes + tcp_hlen + plen;
  v.push_back(static_cast<uint8_t>(0x40 | (ihl_bytes / 4)));
  v.push_back(ip.dscp_ecn);
  put16(v, static_cast<uint16_t>(total));
  put16(v, ip.id);
  put16(v, static_cast<uint16_t>((ip.df ? 0x4000 : 0) | (ip.mf ? 0x2000 : 0) | (ip.frag_offset & 0x1fff)));
  v.push_back(ip.ttl);
  v.push_back(kIpProtoTcp);
  put16(v, 0);
  put32(v, ip.src);
  put32(v, ip.dst);
  v.insert(v.end(), ip.options.begin(), ip.options.begin() + optlen);
  set16(&v[ip_start + 10], csum_fold(csum_add(0, &v[ip_start], ihl_bytes)));

  const size_t tcp_start = v.size();
  put16(v, t.src_port);
  put16(v, t.dst_port);
  put32(v, t.seq);
  put32(v, t.ack);
  v.push_back(static_cast<uint8_t>(((tcp_hlen / 4) << 4) | (t.reserved & 0x0f)));
  v.push_back(t.flags);
  put16(v, t.window);
  put16(v, 0);
  put16(v, t.urgent);
  build_tcp_options(t.opts, v);
  if (plen) v.insert(v.end(), payload, payload + plen);
  const size_t tcp_len = v.size() - tcp_start;
  const uint32_t s = csum_add(tcp_pseudo_sum(ip.src, ip.dst, static_cast<uint16_t>(tcp_len)), &v[tcp_start], tcp_len);
  set16(&v[tcp_start + 16], csum_fold(s));
}
}  // namespace

std::vector<uint8_t> build_ip_tcp(const Ipv4Header& ip, const TcpHeader& tcp, const uint8_t* payload,
                                  size_t payload_len) {
  std::vector<uint8_t> v;
  v.reserve(60 + tcp.opts.encoded_len() + payload_len);
  append_ip_tcp(ip, tcp, payload, payload_len, v);
  return v;
}

std::vector<uint8_t> build_tcp_frame(const EthHeader& eth, const Ipv4Header& ip, const TcpHeader& tcp,
                                     const uint8_t* payload, size_t payload_len, bool pad_to_min) {
  std::vector<uint8_t> v;
  v.reserve(kEthHeaderLen + 60 + tcp.opts.encoded_len() + payload_len);
  EthHeader e = eth;
  e.ethertype = kEtherTypeIpv4;
  build_eth(e, v);
  append_ip_tcp(ip, tcp, payload, payload_len, v);
  if (pad_to_min && v.size() < 60) v.resize(60, 0);
  return v;
}

std::vector<uint8_t> build_arp_frame(const EthHeader& eth, const ArpPacket& arp, bool pad_to_min) {
  std::vector<uint8_t> v;
  EthHeader e = eth;
  e.ethertype = kEtherTypeArp;
  build_eth(e, v);
  build_arp(arp, v);
  if (pad_to_min && v.size() < 60) v.resize(60, 0);
  return v;
}

std::string describe(const Frame& f) {
  char buf[200];
  if (f.kind == Frame::Kind::kArp) {
    std::snprintf(buf, sizeof buf, "ARP %s %s tell %s", f.arp.oper == 1 ? "who-has" : "reply",
                  ip_str(f.arp.tpa).c_str(), ip_str(f.arp.spa).c_str());
    return buf;
  }
  if (f.kind != Frame::Kind::kIpv4) return "non-IP frame";
  if (!f.has_tcp) {
    std::snprintf(buf, sizeof buf, "%s > %s proto %u", ip_str(f.ip.src).c_str(), ip_str(f.ip.dst).c_str(),
                  f.ip.protocol);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%s:%u > %s:%u %s seq %u ack %u win %u len %zu", ip_str(f.ip.src).c_str(),
                f.tcp.src_port, ip_str(f.ip.dst).c_str(), f.tcp.dst_port, flags_str(f.tcp.flags).c_str(),
                f.tcp.seq, f.tcp.ack, f.tcp.window, f.payload_len);
  return buf;
}

}  // namespace toe::net
