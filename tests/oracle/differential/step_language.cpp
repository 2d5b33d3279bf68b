// SPDX-License-Identifier: Apache-2.0
// The step language of the differential tests (see step_language.hpp).
#include "step_language.hpp"

#include <cstdio>
#include <sstream>

namespace toe::differential {

std::string hex(uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%08x", v);
  return b;
}
std::string signed_off(int64_t v) { return (v >= 0 ? "+" : "") + std::to_string(v); }
std::string rel(uint32_t v) { return signed_off(static_cast<int32_t>(v)); }
std::string flags_str(uint8_t f) { return f ? net::flags_str(f) : std::string("(none)"); }

std::string Step::str() const {
  std::ostringstream o;
  switch (op) {
    case Op::kClose: return "server app: close";
    case Op::kSend: return "server app: send " + std::to_string(len) + " bytes";
    case Op::kRead: return "server app: read";
    case Op::kFill: return "client: fill the receive window";
    case Op::kSeg: break;
  }
  static const char* sbn[] = {"ISN", "RCV.NXT", "RCV.NXT+WND"};
  static const char* abn[] = {"", "ISS", "SND.NXT"};
  o << "client: " << flags_str(flags) << " seq=" << sbn[int(sb)] << signed_off(so) << " ack=";
  if (ab == AB::kRaw)
    o << ao;
  else
    o << abn[int(ab)] << signed_off(ao);
  o << " len " << len << " win " << win;
  if (mss >= 0) o << " <mss " << mss << ">";
  if (dport != kPort) o << " dport " << dport;
  return o.str();
}

Step seg(uint8_t flags, SB sb, int64_t so, AB ab, int64_t ao, uint16_t len, uint16_t win) {
  Step s;
  s.flags = flags;
  s.sb = sb;
  s.so = so;
  s.ab = ab;
  s.ao = ao;
  s.len = len;
  s.win = win;
  return s;
}
Step syn(int64_t so) {
  Step s = seg(kS, SB::kIsn, so, AB::kRaw, 0);
  s.mss = 1460;
  return s;
}
Step in_seq(uint8_t flags, uint16_t len) { return seg(flags, SB::kNxt, 0, AB::kSnd, 0, len); }
Step op(Op o, uint16_t len) {
  Step s;
  s.op = o;
  s.len = len;
  return s;
}
Step to_port(Step s, uint16_t port) {
  s.dport = port;
  return s;
}
Step at(uint8_t flags, SB sb, int64_t so, uint16_t len) { return seg(flags, sb, so, AB::kSnd, 0, len); }
Step with_mss(Step s, int32_t mss) {
  s.mss = mss;
  return s;
}

namespace {
const std::vector<Step> kHandshake = {syn(), in_seq(kA)};
}  // namespace

std::vector<Step> after_handshake(std::initializer_list<Step> more) {
  std::vector<Step> v = kHandshake;
  v.insert(v.end(), more.begin(), more.end());
  return v;
}
std::vector<Step> in_time_wait(std::initializer_list<Step> more) {
  std::vector<Step> v = after_handshake({in_seq(kA | kP, 5), op(Op::kClose), in_seq(kA | kF)});
  v.insert(v.end(), more.begin(), more.end());
  return v;
}

}  // namespace toe::differential
