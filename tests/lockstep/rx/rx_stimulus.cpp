// SPDX-License-Identifier: Apache-2.0
#include "rx_stimulus.hpp"

#include <algorithm>

#include "rx/conn_lookup.hpp"
#include "rx/rx_csum.hpp"
#include "rx/rx_parse.hpp"

namespace toe::lockstep {
namespace {

constexpr size_t kEth = net::kEthHeaderLen;

uint16_t rd16(const std::vector<uint8_t>& f, size_t at) { return static_cast<uint16_t>(f[at] << 8 | f[at + 1]); }
uint32_t rd32(const std::vector<uint8_t>& f, size_t at) {
  return static_cast<uint32_t>(rd16(f, at)) << 16 | rd16(f, at + 2);
}
void wr16(std::vector<uint8_t>& f, size_t at, uint16_t v) {
  f[at] = static_cast<uint8_t>(v >> 8);
  f[at + 1] = static_cast<uint8_t>(v);
}

}  // namespace

void fix_checksums(std::vector<uint8_t>& f) {
  if (f.size() < kEth + 20) return;
  const size_t hlen = (f[kEth] & 0x0fu) * 4u;
  if (hlen < 20 || kEth + hlen > f.size()) return;
  wr16(f, kEth + 10, 0);
  wr16(f, kEth + 10, net::csum_fold(net::csum_add(0, &f[kEth], hlen)));
  const size_t total = rd16(f, kEth + 2);
  if (total < hlen + 20 || kEth + total > f.size()) return;
  const size_t tcp = kEth + hlen, tcp_len = total - hlen;
  wr16(f, tcp + 16, 0);
  const uint32_t pseudo = net::tcp_pseudo_sum(rd32(f, kEth + 12), rd32(f, kEth + 16), static_cast<uint16_t>(tcp_len));
  wr16(f, tcp + 16, net::csum_fold(net::csum_add(pseudo, &f[tcp], tcp_len)));
}

FrameGen::FrameGen(uint64_t seed, const net::MacAddr& local_mac, uint32_t local_ip)
    : rng_(seed), mac_(local_mac), ip_(local_ip) {}

std::vector<uint8_t> FrameGen::payload() {
  uint32_t n;
  const uint32_t r = below(100);
  if (r < 45)
    n = below(17);
  else if (r < 80)
    n = 17 + below(300);
  else if (r < 95)
    n = 317 + below(700);
  else
    n = 1017 + below(450);
  std::vector<uint8_t> p(n);
  for (auto& b : p) b = byte();
  return p;
}

// Option lists of every shape parse_tcp_options tells apart: well-formed
// known options (in any order, repeated), NOP/EOL padding, unknown kinds
// skipped by length, and the errors (length 0/1, wrong length for a known
// kind, an option or its length byte running past the header).
std::vector<uint8_t> FrameGen::random_options() {
  const size_t len = 4 * below(11);
  const bool allow_errors = chance(0.5);
  std::vector<uint8_t> o;
  while (o.size() < len) {
    std::vector<uint8_t> item;
    const uint32_t r = below(100);
    if (r < 15) {
      item = {1};  // NOP
    } else if (r < 19) {
      item = {0};  // EOL: whatever follows is ignored
      while (o.size() + item.size() < len) item.push_back(chance(0.5) ? 0 : byte());
    } else if (r < 32) {
      item = {2, 4, byte(), byte()};
    } else if (r < 42) {
      item = {3, 3, static_cast<uint8_t>(below(20))};
    } else if (r < 50) {
      item = {4, 2};
    } else if (r < 60) {
      item = {8, 10};
      for (int i = 0; i < 8; ++i) item.push_back(byte());
    } else if (r < 68) {
      const uint32_t blocks = 1 + below(4);
      item = {5, static_cast<uint8_t>(2 + 8 * blocks)};
      for (uint32_t i = 0; i < 8 * blocks; ++i) item.push_back(byte());
    } else if (r < 80) {  // unknown kind, skipped by its length
      uint8_t kind = static_cast<uint8_t>(6 + below(250));
      if (kind == 8) kind = 9;
      const uint32_t olen = 2 + below(allow_errors ? 12 : 6);
      item = {kind, static_cast<uint8_t>(olen)};
      for (uint32_t i = 2; i < olen; ++i) item.push_back(byte());
    } else if (allow_errors) {
      static const uint8_t known[] = {2, 3, 4, 5, 8};
      switch (below(6)) {
        case 0:  // length 0 or 1
          item = {static_cast<uint8_t>(2 + below(250)), static_cast<uint8_t>(below(2))};
          break;
        case 1: {  // a known kind with (usually) the wrong length
          const uint32_t olen = 2 + below(40);
          item = {known[below(5)], static_cast<uint8_t>(olen)};
          for (uint32_t i = 2; i < olen; ++i) item.push_back(byte());
          break;
        }
        case 2:  // a length far past the header
          item = {static_cast<uint8_t>(2 + below(250)), static_cast<uint8_t>(20 + below(236))};
          break;
        case 3:  // any byte at all
          item = {byte()};
          break;
        case 4: {  // SACK lengths around the legal ones
          const uint32_t olen = 2 + 8 * (1 + below(4)) + (chance(0.5) ? 0 : 1 + below(7));
          item = {5, static_cast<uint8_t>(olen)};
          for (uint32_t i = 2; i < olen; ++i) item.push_back(byte());
          break;
        }
        default:
          item = {2, 4, byte(), byte()};
          break;
      }
    } else {
      item = {1};
    }
    if (o.size() + item.size() > len && !allow_errors) {
      o.resize(len, chance(0.5) ? 1 : 0);  // pad with NOPs (or EOLs) instead
      break;
    }
    o.insert(o.end(), item.begin(), item.end());
  }
  o.resize(len);  // with errors allowed, the last option may run past the header
  return o;
}

RxFrame FrameGen::valid_tcp(bool raw_options) {
  net::EthHeader eth;
  eth.dst = mac_;
  for (auto& b : eth.src.b) b = byte();
  eth.src.b[0] &= 0xfe;
  net::Ipv4Header ip;
  ip.src = static_cast<uint32_t>(rng_());
  ip.dst = ip_;
  ip.id = static_cast<uint16_t>(rng_());
  ip.ttl = byte();
  ip.dscp_ecn = chance(0.2) ? byte() : 0;
  ip.df = chance(0.8);
  if (chance(0.15)) {
    ip.options_len = static_cast<uint8_t>(4 * (1 + below(10)));
    for (size_t i = 0; i < ip.options_len; ++i) ip.options[i] = byte();
  }
  net::TcpHeader t;
  t.src_port = static_cast<uint16_t>(rng_());
  t.dst_port = static_cast<uint16_t>(chance(0.5) ? 80 : rng_());
  t.seq = static_cast<uint32_t>(rng_());
  t.ack = static_cast<uint32_t>(rng_());
  t.flags = byte();
  t.window = static_cast<uint16_t>(rng_());
  t.urgent = chance(0.1) ? static_cast<uint16_t>(rng_()) : 0;
  t.reserved = chance(0.1) ? static_cast<uint8_t>(below(16)) : 0;
  if (!raw_options) {
    t.opts.has_mss = chance(0.4);
    t.opts.mss = static_cast<uint16_t>(rng_());
    t.opts.has_wscale = chance(0.3);
    t.opts.wscale = static_cast<uint8_t>(below(20));
    t.opts.sack_permitted = chance(0.3);
    t.opts.has_ts = chance(0.3);
    t.opts.ts_val = static_cast<uint32_t>(rng_());
    t.opts.ts_ecr = static_cast<uint32_t>(rng_());
    t.opts.sack_count = static_cast<uint8_t>(chance(0.2) ? 1 + below(4) : 0);
    for (auto& s : t.opts.sack) s = {static_cast<uint32_t>(rng_()), static_cast<uint32_t>(rng_())};
  }
  const std::vector<uint8_t> pl = payload();
  RxFrame fr;
  fr.kind = raw_options ? "tcp/raw-options" : "tcp";
  fr.bytes = net::build_tcp_frame(eth, ip, t, pl.data(), pl.size(), chance(0.7));
  if (raw_options) {
    // Replace the (empty) option list by raw bytes and fix the lengths.
    const std::vector<uint8_t> o = random_options();
    const size_t ihl = (fr.bytes[kEth] & 0x0fu) * 4u;
    const size_t opt_at = kEth + ihl + 20;
    const size_t total = rd16(fr.bytes, kEth + 2);
    fr.bytes.resize(kEth + total);  // drop the Ethernet padding first
    fr.bytes.insert(fr.bytes.begin() + static_cast<long>(opt_at), o.begin(), o.end());
    fr.bytes[kEth + ihl + 12] = static_cast<uint8_t>((20 + o.size()) / 4 << 4 | (fr.bytes[kEth + ihl + 12] & 0x0f));
    wr16(fr.bytes, kEth + 2, static_cast<uint16_t>(total + o.size()));
    fix_checksums(fr.bytes);
  }
  if (chance(0.1)) {  // trailing bytes after the IP packet (more than the minimum padding)
    const size_t extra = 1 + below(40);
    for (size_t i = 0; i < extra; ++i) fr.bytes.push_back(byte());
  }
  return fr;
}

RxFrame FrameGen::next() {
  RxFrame f;
  const uint32_t r = below(1000);
  if (r < 330) {
    f = valid_tcp(false);
  } else if (r < 500) {
    f = valid_tcp(true);
  } else if (r < 570) {  // CK1: a bit flipped somewhere past the Ethernet header
    f = valid_tcp(chance(0.3));
    const size_t at = kEth + below(static_cast<uint32_t>(f.bytes.size() - kEth));
    f.bytes[at] ^= static_cast<uint8_t>(1u << below(8));
    if (chance(0.3)) fix_checksums(f.bytes);  // unless the flip broke a length, only TCP's is then wrong
    else if (chance(0.3)) f.bytes[kEth + 10] ^= 0x01;  // and the IP header checksum too
    f.kind = "bad-checksum";
  } else if (r < 610) {  // HD2: not our MAC / IP
    f = valid_tcp(false);
    const uint32_t w = below(4);
    if (w == 0) f.bytes[below(6)] ^= static_cast<uint8_t>(1u << below(8));
    if (w == 1) std::fill(f.bytes.begin(), f.bytes.begin() + 6, 0xff);
    if (w == 2) f.bytes[kEth + 16 + below(4)] ^= static_cast<uint8_t>(1u << below(8));
    if (w == 3) f.bytes[0] |= 0x01;
    fix_checksums(f.bytes);
    f.kind = "not-for-us";
  } else if (r < 640) {  // HD2: fragment
    f = valid_tcp(false);
    if (chance(0.5)) f.bytes[kEth + 6] |= 0x20;  // MF
    if (chance(0.6)) {
      const uint16_t off = static_cast<uint16_t>(1 + below(0x1fff));
      f.bytes[kEth + 6] = static_cast<uint8_t>((f.bytes[kEth + 6] & 0xe0) | off >> 8);
      f.bytes[kEth + 7] = static_cast<uint8_t>(off);
    }
    if (chance(0.2)) f.bytes[kEth + 6] |= 0x80;  // the reserved bit alone is not a fragment
    fix_checksums(f.bytes);
    f.kind = "fragment";
  } else if (r < 670) {  // other IP protocols
    f = valid_tcp(false);
    static const uint8_t protos[] = {1, 17, 0, 41, 255};
    f.bytes[kEth + 9] = protos[below(5)];
    fix_checksums(f.bytes);
    f.kind = "not-tcp";
  } else if (r < 710) {  // ARP (well-formed or not)
    net::EthHeader eth;
    eth.dst = chance(0.5) ? net::MacAddr::broadcast() : mac_;
    for (auto& b : eth.src.b) b = byte();
    net::ArpPacket a;
    a.oper = static_cast<uint16_t>(1 + below(2));
    a.spa = static_cast<uint32_t>(rng_());
    a.tpa = ip_;
    f.bytes = net::build_arp_frame(eth, a, chance(0.5));
    if (chance(0.3)) f.bytes.resize(kEth + below(40));
    if (chance(0.2)) f.bytes[kEth + below(8)] ^= 0xff;
    f.kind = "arp";
  } else if (r < 730) {  // other ethertypes
    f = valid_tcp(false);
    static const uint16_t types[] = {0x86dd, 0x8100, 0x0801, 0x0000, 0x0805, 0x88cc};
    wr16(f.bytes, 12, types[below(6)]);
    f.kind = "ethertype";
  } else if (r < 800) {  // truncated anywhere
    f = valid_tcp(chance(0.5));
    const size_t keep = chance(0.7) ? std::min<size_t>(f.bytes.size(), 140) : f.bytes.size();
    f.bytes.resize(below(static_cast<uint32_t>(keep) + 1));
    f.kind = "truncated";
  } else if (r < 880) {  // header fields that lie
    f = valid_tcp(chance(0.3));
    const size_t ihl = (f.bytes[kEth] & 0x0fu) * 4u;
    switch (below(6)) {
      case 0: f.bytes[kEth] = static_cast<uint8_t>(0x40 | below(16)); break;          // IHL
      case 1: f.bytes[kEth] = static_cast<uint8_t>(below(16) << 4 | (f.bytes[kEth] & 0x0f)); break;  // version
      case 2: wr16(f.bytes, kEth + 2, static_cast<uint16_t>(rng_())); break;          // total length
      case 3: wr16(f.bytes, kEth + 2, static_cast<uint16_t>(rd16(f.bytes, kEth + 2) + below(9) - 4)); break;
      case 4:                                                                          // data offset
        f.bytes[kEth + ihl + 12] = static_cast<uint8_t>(below(16) << 4 | (f.bytes[kEth + ihl + 12] & 0x0f));
        break;
      default: wr16(f.bytes, kEth + 2, static_cast<uint16_t>(ihl + below(24))); break;  // TCP truncated
    }
    if (chance(0.7)) fix_checksums(f.bytes);
    f.kind = "lying-header";
  } else if (r < 900) {  // around and past the slot size
    f = valid_tcp(false);
    const size_t target = chance(0.8) ? 1530 + below(14) : 1537 + below(1500);
    while (f.bytes.size() < target) f.bytes.push_back(byte());
    if (f.bytes.size() > target) f.bytes.resize(target);
    f.kind = "oversize";
  } else if (r < 920) {  // anything
    f.bytes.resize(below(200));
    for (auto& b : f.bytes) b = byte();
    if (f.bytes.size() >= 14 && chance(0.5)) wr16(f.bytes, 12, 0x0800);
    f.kind = "garbage";
  } else {  // a well-formed segment with a large payload, or tiny frames
    if (chance(0.5)) {
      f = valid_tcp(false);
    } else {
      f.bytes.resize(below(15));
      for (auto& b : f.bytes) b = byte();
      f.kind = "runt";
    }
  }
  if (f.bytes.size() >= avoid_lo_ && f.bytes.size() <= avoid_hi_)
    while (f.bytes.size() <= avoid_hi_) f.bytes.push_back(byte());
  if (chance(0.03)) f.tuser = true;
  return f;
}

bool model_misses_tlast_overflow(uint32_t data_bytes) {
  // A well-formed segment of exactly kMaxFrameBytes bytes, then one byte more in the tlast beat.
  model::EngineConfig cfg;
  cfg.data_bytes = data_bytes;
  cfg.rx_buf_bytes = cfg.tx_buf_bytes = 64;
  net::EthHeader eth;
  eth.dst = cfg.local_mac;
  net::Ipv4Header ip;
  ip.dst = cfg.local_ip;
  net::TcpHeader tcp;
  std::vector<uint8_t> pl(model::kMaxFrameBytes - 54, 0x5a);
  std::vector<uint8_t> f = net::build_tcp_frame(eth, ip, tcp, pl.data(), pl.size());
  f.push_back(0);
  model::Tables t(cfg);
  model::RxParse parse(cfg.data_bytes, cfg.rx_slots, cfg, t);
  parse.reset();
  for (size_t at = 0; at < f.size(); at += data_bytes) {
    model::AxisBeat b;
    const size_t n = std::min<size_t>(data_bytes, f.size() - at);
    for (size_t i = 0; i < n; ++i) b.tdata[i] = f[at + i];
    b.tkeep = n == 64 ? ~0ull : (1ull << n) - 1;
    b.tvalid = true;
    b.tlast = at + n == f.size();
    parse.eval(b, true);
    parse.commit();
  }
  return !(parse.q_valid && parse.q.drop && parse.q.reason == model::Counter::kDropMalformed);
}

BeatSource::BeatSource(uint64_t seed, uint32_t data_bytes, double idle, double not_ready, FrameGen& gen)
    : rng_(seed), db_(data_bytes), idle_(idle), not_ready_(not_ready), gen_(gen) {}

void BeatSource::load_frame() {
  frame_ = gen_.next();
  const auto& b = frame_.bytes;
  std::uniform_real_distribution<double> u(0, 1);
  size_t at = 0;
  while (true) {
    model::AxisBeat beat;
    for (uint32_t i = 0; i < model::kMaxDataBytes; ++i) beat.tdata[i] = static_cast<uint8_t>(rng_());
    beat.tvalid = true;
    const size_t n = std::min<size_t>(db_, b.size() - at);
    for (size_t i = 0; i < n; ++i) beat.tdata[i] = b[at + i];
    beat.tkeep = n == 64 ? ~0ull : ((1ull << n) - 1);
    at += n;
    const bool end = at == b.size();
    if (u(rng_) < 0.01) {  // a null beat (no bytes) in the middle
      model::AxisBeat null = beat;
      null.tkeep = 0;
      beats_.push_back(null);
    }
    if (end && n == db_ && u(rng_) < 0.1) {
      // The frame ends on a beat boundary: sometimes tlast comes on an extra null beat.
      beats_.push_back(beat);
      beat.tkeep = 0;
      for (uint32_t i = 0; i < model::kMaxDataBytes; ++i) beat.tdata[i] = static_cast<uint8_t>(rng_());
    }
    if (end) {
      beat.tlast = true;
      beat.tuser = frame_.tuser;
      beats_.push_back(beat);
      break;
    }
    beat.tuser = u(rng_) < 0.05;  // tuser on a beat without tlast means nothing
    beats_.push_back(beat);
  }
}

void BeatSource::drive(model::AxisBeat& beat, bool& tready) {
  std::uniform_real_distribution<double> u(0, 1);
  if (!presenting_ && u(rng_) >= idle_) {
    if (beats_.empty()) load_frame();
    cur_ = beats_.front();
    presenting_ = true;
  }
  if (presenting_) {
    beat = cur_;
  } else {  // idle: tvalid low, everything else is noise
    beat = model::AxisBeat{};
    for (uint32_t i = 0; i < model::kMaxDataBytes; ++i) beat.tdata[i] = static_cast<uint8_t>(rng_());
    beat.tkeep = rng_();
    beat.tlast = rng_() & 1;
    beat.tuser = rng_() & 1;
  }
  tready = u(rng_) >= not_ready_;
}

void BeatSource::advance(bool fire) {
  if (!presenting_ || !fire) return;
  presenting_ = false;
  if (beats_.front().tlast) ++frames_done_;
  beats_.pop_front();
}

}  // namespace toe::lockstep
