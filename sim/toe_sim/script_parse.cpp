// SPDX-License-Identifier: Apache-2.0
// Parser of packetdrill's script language (see script.hpp, docs/scripts.md).
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "options.hpp"
#include "script.hpp"
#include "toe/net/codec.hpp"

namespace toe::toesim {
namespace {

struct LineError {
  std::string what;
};
struct LineUnsupported {
  std::string what;
};

std::string trim(const std::string& s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

class Cursor {
 public:
  explicit Cursor(const std::string& s) : s_(s) {}
  void ws() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool done() {
    ws();
    return i_ >= s_.size();
  }
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  char peek_at(size_t k) const { return i_ + k < s_.size() ? s_[i_ + k] : '\0'; }
  bool eat(char c) {
    ws();
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  void expect(char c, const std::string& what) {
    if (!eat(c)) throw LineError{"expected '" + std::string(1, c) + "' " + what + near()};
  }
  std::string word() {  // letters, digits, '_'
    ws();
    const size_t a = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_')) ++i_;
    return s_.substr(a, i_ - a);
  }
  std::string token() {  // up to white space
    ws();
    const size_t a = i_;
    while (i_ < s_.size() && !std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
    return s_.substr(a, i_ - a);
  }
  bool at_digit() {
    ws();
    return std::isdigit(static_cast<unsigned char>(peek()));
  }
  uint64_t number(const std::string& what, uint64_t max = 0xFFFFFFFFull) {
    ws();
    const char* p = s_.c_str() + i_;
    if (!std::isdigit(static_cast<unsigned char>(*p))) throw LineError{"expected " + what + " (a number)" + near()};
    errno = 0;
    char* end = nullptr;
    const unsigned long long v = std::strtoull(p, &end, 0);  // decimal or 0x hex
    if (errno || v > max) throw LineError{what + " is out of range (at most " + std::to_string(max) + ")" + near()};
    i_ += size_t(end - p);
    return v;
  }
  // A time in seconds ("0", ".1", "1.25"), as microseconds.
  int64_t seconds(const std::string& what) {
    ws();
    const size_t a = i_;
    while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
    if (peek() == '.' && peek_at(1) != '.') {
      ++i_;
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
    }
    const std::string t = s_.substr(a, i_ - a);
    if (t.empty() || t == ".") {
      i_ = a;
      throw LineError{"expected " + what + " (seconds)" + near()};
    }
    return static_cast<int64_t>(std::strtod(t.c_str(), nullptr) * 1e6 + 0.5);
  }
  std::string rest() const { return i_ < s_.size() ? s_.substr(i_) : ""; }
  std::string near() const {
    const std::string r = trim(rest());
    return r.empty() ? " at the end of the line" : " at '" + r.substr(0, 24) + "'";
  }
  size_t pos() const { return i_; }
  void seek(size_t p) { i_ = p; }
  const std::string& str() const { return s_; }

 private:
  const std::string& s_;
  size_t i_ = 0;
};

// packetdrill's flags: S F R P . U E W A (A: AccECN's AE bit), or in place of E, W and A one
// ACE digit 0-7 (AccECN's counter field: ECE bit 0, CWR bit 1, AE bit 2).
uint8_t parse_flags(const std::string& t, bool* ae) {
  *ae = false;
  if (t == "-") return 0;  // no flags at all
  if (t.empty()) throw LineError{"expected TCP flags (S F R P . U E W A, e.g. S. or F., or - for none)"};
  uint8_t f = 0;
  int ace = -1;
  bool ecn_letter = false;
  for (char c : t) {
    if (c >= '0' && c <= '7') {
      if (ace >= 0) throw LineError{"'" + t + "': two ACE digits"};
      ace = c - '0';
      continue;
    }
    switch (c) {
      case 'A': *ae = true; ecn_letter = true; break;
      case 'S': f |= net::kSyn; break;
      case 'F': f |= net::kFin; break;
      case 'R': f |= net::kRst; break;
      case 'P': f |= net::kPsh; break;
      case '.': f |= net::kAck; break;
      case 'U': f |= net::kUrg; break;
      case 'E': f |= net::kEce; ecn_letter = true; break;
      case 'W': f |= net::kCwr; ecn_letter = true; break;
      default:
        throw LineError{"'" + t + "' is not a set of TCP flags (expected letters of S F R P . U E W A, an ACE digit 0-7, or -)"};
    }
  }
  if (ace >= 0) {
    if (ecn_letter) throw LineError{"'" + t + "': an ACE digit and E, W or A together"};
    if (ace & 1) f |= net::kEce;
    if (ace & 2) f |= net::kCwr;
    *ae = (ace & 4) != 0;
  }
  return f;
}

void parse_options(Cursor& c, PacketSpec& p) {
  // After '<': "..." or items separated by ',' up to '>'.
  const size_t close = c.str().find('>', c.pos());
  if (close == std::string::npos) throw LineError{"expected '>' closing the TCP options"};
  const std::string body = trim(c.str().substr(c.pos(), close - c.pos()));
  c.seek(close + 1);
  if (body == "...") {
    if (p.inbound) throw LineError{"<...> (any options) can only be used with outbound packets"};
    p.opts = PacketSpec::Opts::kAny;
    return;
  }
  p.opts = PacketSpec::Opts::kList;
  std::stringstream ss(body);
  std::string item;
  while (std::getline(ss, item, ',')) {
    item = trim(item);
    Cursor ic(item);
    const std::string name = ic.word();
    TcpOptSpec o;
    if (name == "nop") {
      o.kind = TcpOptSpec::Kind::kNop;
    } else if (name == "eol") {
      o.kind = TcpOptSpec::Kind::kEol;
    } else if (name == "mss") {
      o.kind = TcpOptSpec::Kind::kMss;
      o.a = static_cast<uint32_t>(ic.number("the MSS", 65535));
    } else if (name == "wscale") {
      o.kind = TcpOptSpec::Kind::kWscale;
      o.a = static_cast<uint32_t>(ic.number("the window scale", 255));
    } else if (name == "sackOK") {
      o.kind = TcpOptSpec::Kind::kSackOk;
    } else if (name == "TS") {
      o.kind = TcpOptSpec::Kind::kTs;
      if (ic.word() != "val") throw LineError{"expected 'TS val N ecr N' in the options"};
      o.a = static_cast<uint32_t>(ic.number("TS val"));
      if (ic.word() != "ecr") throw LineError{"expected 'TS val N ecr N' in the options"};
      o.b = static_cast<uint32_t>(ic.number("TS ecr"));
    } else if (name == "sack") {
      o.kind = TcpOptSpec::Kind::kSack;
      while (!ic.done()) {
        const uint32_t l = static_cast<uint32_t>(ic.number("a SACK block's left edge"));
        ic.expect(':', "in a SACK block L:R");
        const uint32_t r = static_cast<uint32_t>(ic.number("a SACK block's right edge"));
        o.blocks.emplace_back(l, r);
      }
      if (o.blocks.empty() || o.blocks.size() > 4) throw LineError{"a SACK option has 1 to 4 blocks"};
    } else if (name == "md5" || name == "FO" || name == "FOEXP" || name == "exp" || name == "mpcapable" || name == "dss" ||
               name == "mp_join" || name == "tarr" || name == "ECN") {  // ECN: AccECN's counters (RFC 9768)
      throw LineUnsupported{"TCP option '" + name + "' (the engine has no such option)"};
    } else {
      throw LineError{"unknown TCP option '" + item +
                      "' (expected mss N, wscale N, nop, eol, sackOK, TS val N ecr N, sack L:R ...)"};
    }
    if (!ic.done()) throw LineError{"unexpected '" + trim(ic.rest()) + "' in TCP option '" + item + "'"};
    p.opt_list.push_back(o);
  }
}

// "[ect0]", "(tos 0x2)" ...: the IP fields before the flags.
void parse_ip_info(Cursor& c, PacketSpec& p, char close) {
  const size_t end = c.str().find(close, c.pos());
  if (end == std::string::npos) throw LineError{std::string("expected '") + close + "' closing the IP fields"};
  const std::string body = trim(c.str().substr(c.pos(), end - c.pos()));
  c.seek(end + 1);
  if (body == "noecn" || body == "no_ecn") p.ecn = 0;
  else if (body == "ect0") p.ecn = 2;
  else if (body == "ect1") p.ecn = 1;
  else if (body == "ce") p.ecn = 3;
  else if (body == "ect01") {
    if (p.inbound) throw LineError{"[ect01] can only be used with outbound packets"};
    p.ecn = 4;
  } else {
    throw LineUnsupported{"IP fields '" + body + "' (supported: noecn, ect0, ect1, ect01, ce)"};
  }
}

PacketSpec parse_packet(Cursor& c) {
  PacketSpec p;
  c.ws();
  p.inbound = c.peek() == '<';
  c.seek(c.pos() + 1);
  c.ws();
  if (c.peek() == '[' || c.peek() == '(') {
    const char close = c.peek() == '[' ? ']' : ')';
    c.seek(c.pos() + 1);
    parse_ip_info(c, p, close);
  }
  // Other protocols and encapsulations.
  {
    const size_t at = c.pos();
    const std::string w = c.word();
    if (w == "icmp" || w == "udp" || w == "udplite" || w == "gre" || w == "mpls" || w == "ipv4" || w == "ipv6" ||
        w == "psp")
      throw LineUnsupported{"'" + w + "' packets (only TCP segments are supported)"};
    c.seek(at);
  }
  // "SRC>DST" ports.
  if (c.at_digit()) {
    const size_t at = c.pos();
    const uint64_t a = c.number("the source port", 65535);
    if (c.peek() == '>') {
      c.seek(c.pos() + 1);
      p.src_port = int(a);
      p.dst_port = int(c.number("the destination port", 65535));
    } else {
      c.seek(at);
    }
  }
  p.flags = parse_flags(c.token(), &p.ae);
  c.ws();
  p.start = static_cast<uint32_t>(c.number("START of START:END(LEN)"));
  c.expect(':', "in START:END(LEN)");
  p.end = static_cast<uint32_t>(c.number("END of START:END(LEN)"));
  c.expect('(', "in START:END(LEN)");
  p.len = static_cast<uint32_t>(c.number("LEN of START:END(LEN)", 65535));
  c.expect(')', "in START:END(LEN)");
  if (uint32_t(p.end - p.start) != p.len)
    throw LineError{"START:END(LEN) is inconsistent: " + std::to_string(p.end) + " - " + std::to_string(p.start) +
                    " is not " + std::to_string(p.len)};
  while (!c.done()) {
    if (c.eat('<')) {
      if (p.opts != PacketSpec::Opts::kNone) throw LineError{"TCP options given twice"};
      parse_options(c, p);
      continue;
    }
    const size_t at = c.pos();
    const std::string kw = c.word();
    if (kw == "ack") {
      p.has_ack = true;
      p.ack = static_cast<uint32_t>(c.number("the ack number"));
    } else if (kw == "win") {
      p.has_win = true;
      p.win = static_cast<uint16_t>(c.number("the window", 65535));
    } else if (kw == "urg") {
      p.urg = static_cast<uint16_t>(c.number("the urgent pointer", 65535));
    } else {
      c.seek(at);
      throw LineError{"unexpected '" + trim(c.rest()) + "' (expected ack N, win N, urg N or <options>)"};
    }
  }
  if (p.has_ack && !(p.flags & net::kAck)) throw LineError{"'ack' given but the flags have no '.' (ACK)"};
  return p;
}

SyscallSpec parse_syscall(Cursor& c) {
  SyscallSpec s;
  s.name = c.word();
  if (s.name.empty()) throw LineError{"expected a packet (< or >), a system call or `command`" + c.near()};
  c.expect('(', "after the system call name");
  // Arguments up to the matching ')', split at top-level commas.
  int depth = 0;
  std::string cur;
  bool closed = false;
  const std::string& str = c.str();
  size_t i = c.pos();
  for (; i < str.size(); ++i) {
    const char ch = str[i];
    if (ch == '"') {
      size_t q = i + 1;
      while (q < str.size() && str[q] != '"') q += str[q] == '\\' ? 2 : 1;
      if (q >= str.size()) throw LineError{"unterminated string in the arguments"};
      cur += str.substr(i, q - i + 1);
      i = q;
      continue;
    }
    if (ch == '(' || ch == '[' || ch == '{') ++depth;
    if (ch == ')' || ch == ']' || ch == '}') {
      if (depth == 0 && ch == ')') {
        closed = true;
        break;
      }
      --depth;
    }
    if (ch == ',' && depth == 0) {
      s.args.push_back(trim(cur));
      cur.clear();
    } else {
      cur += ch;
    }
  }
  if (!closed) throw LineError{"expected ')' closing the arguments of " + s.name};
  if (!trim(cur).empty() || !s.args.empty()) s.args.push_back(trim(cur));
  c.seek(i + 1);
  c.expect('=', "and a return value after the system call (e.g. = 0)");
  c.ws();
  bool neg = false;
  if (c.peek() == '-') {
    neg = true;
    c.seek(c.pos() + 1);
  }
  const long v = static_cast<long>(c.number("the return value", 0x7FFFFFFF));
  s.ret = neg ? -v : v;
  if (!c.done()) {
    if (c.peek() != '(') {
      s.err = c.word();
      if (s.err.empty()) throw LineError{"unexpected '" + trim(c.rest()) + "' after the return value"};
      if (!neg) throw LineError{"an errno name (" + s.err + ") after a return value other than -1"};
    }
    c.ws();
    if (c.peek() == '(') {  // packetdrill's note: "(Operation now in progress)", "(flags O_RDWR)"
      const size_t close = str.rfind(')');
      if (close == std::string::npos || close < c.pos()) throw LineError{"expected ')' after the note"};
      c.seek(close + 1);
    }
    if (!c.done()) throw LineError{"unexpected '" + trim(c.rest()) + "' after the return value"};
  }
  return s;
}

// packetdrill's options (config.c), given as "--name=value" lines.
void parse_option_line(const std::string& line, ScriptConfig& cfg) {
  const size_t eq = line.find('=');
  const std::string name = line.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
  const std::string value = eq == std::string::npos ? "" : trim(line.substr(eq + 1));
  auto need_value = [&] {
    if (value.empty()) throw LineError{"option --" + name + " needs a value (--" + name + "=...)"};
  };
  auto num = [&](uint64_t max) {
    need_value();
    Cursor c(value);
    const uint64_t v = c.number("the value of --" + name, max);
    if (!c.done()) throw LineError{"the value of --" + name + " is not a number: '" + value + "'"};
    return v;
  };
  if (name == "tolerance_usecs") {
    cfg.tolerance_us = static_cast<int64_t>(num(1000000000));
  } else if (name == "tolerance_percent") {
    cfg.tolerance_percent = double(num(100));
  } else if (name == "mss") {
    cfg.mss = static_cast<uint16_t>(num(65535));
  } else if (name == "local_ip") {
    need_value();
    cfg.local_ip = value;
  } else if (name == "remote_ip") {
    need_value();
    cfg.remote_ip = value;
  } else if (name == "bind_port") {
    cfg.bind_port = static_cast<uint16_t>(num(65535));
  } else if (name == "connect_port") {
    cfg.connect_port = static_cast<uint16_t>(num(65535));
  } else if (name == "strict_segments") {
    if (!value.empty()) throw LineError{"option --strict_segments takes no value"};
    cfg.strict_segments = true;
  } else if (name == "ip_version") {
    need_value();
    if (value != "ipv4") throw LineUnsupported{"option --ip_version=" + value + " (only ipv4)"};
  } else if (name == "non_fatal" || name == "dry_run" || name == "verbose" || name == "debug") {
    if (name == "non_fatal") throw LineUnsupported{"option --non_fatal (every failure here is fatal)"};
  } else {
    static const char* const known[] = {"code_command", "code_format", "code_sockopt", "gateway_ip", "netmask_ip",
                                        "speed", "mtu", "init_scripts", "wire_client", "wire_server",
                                        "wire_server_ip", "wire_server_at", "wire_server_port", "wire_client_dev",
                                        "wire_server_dev", "so_filename", "so_flags", "tcp_ts_ecr_scaled",
                                        "tcp_ts_tick_usecs", "is_anyip", "send_omit_free", "psp_udp_dport",
                                        "define"};
    for (const char* k : known)
      if (name == k) throw LineUnsupported{"option --" + name};
    throw LineError{"unknown option --" + name};
  }
}

// One statement: a logical line (a backquoted command may span lines).
struct Stmt {
  int line;
  std::string text;
};

std::vector<Stmt> split_statements(const std::string& text, const std::string& name) {
  std::vector<Stmt> out;
  std::stringstream ss(text);
  std::string raw;
  int lineno = 0;
  bool in_block = false, in_quote = false, in_code = false;
  int depth = 0;  // ( [ { still open: a system call's arguments go on
  Stmt cur{0, ""};
  while (std::getline(ss, raw)) {
    ++lineno;
    std::string line;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (in_code) {  // %{ python }%: kept whole, comments and all
        if (raw.compare(i, 2, "}%") == 0) {
          in_code = false;
          line += "}%";
          ++i;
        } else {
          line += raw[i];
        }
        continue;
      }
      if (in_block) {
        if (raw.compare(i, 2, "*/") == 0) {
          in_block = false;
          ++i;
        }
        continue;
      }
      if (!in_quote && raw.compare(i, 2, "%{") == 0) {
        in_code = true;
        line += "%{";
        ++i;
        continue;
      }
      if (!in_quote && raw.compare(i, 2, "/*") == 0) {
        in_block = true;
        ++i;
        continue;
      }
      if (!in_quote && raw.compare(i, 2, "//") == 0) break;
      if (raw[i] == '`') in_quote = !in_quote;
      if (!in_quote) {
        if (raw[i] == '(' || raw[i] == '[' || raw[i] == '{') ++depth;
        if ((raw[i] == ')' || raw[i] == ']' || raw[i] == '}') && depth > 0) --depth;
      }
      line += raw[i];
    }
    if (cur.text.empty()) {
      const std::string t = trim(line);
      if (t.empty() || t[0] == '#') {
        in_quote = false;
        depth = 0;
        continue;
      }
      cur.line = lineno;
      cur.text = t;
    } else {
      cur.text += "\n" + line;
    }
    if (in_quote || in_code || depth > 0) continue;  // the statement goes on on the next line
    out.push_back(cur);
    cur = Stmt{0, ""};
  }
  if (in_block) throw UsageError(name + ":" + std::to_string(lineno) + ": unterminated /* comment");
  if (in_quote) throw UsageError(name + ":" + std::to_string(cur.line) + ": unterminated `command`");
  if (in_code) throw UsageError(name + ":" + std::to_string(cur.line) + ": unterminated %{ }% block");
  if (!cur.text.empty()) throw UsageError(name + ":" + std::to_string(cur.line) + ": unbalanced brackets");
  return out;
}

}  // namespace

Script parse_script_text(const std::string& text, const std::string& name) {
  Script sc;
  bool events_started = false;
  for (const Stmt& st : split_statements(text, name)) {
    const std::string& line = st.text;
    ScriptLine sl;
    sl.line = st.line;
    try {
      if (line.compare(0, 2, "--") == 0) {
        if (events_started) throw LineError{"option lines must come before the first event"};
        parse_option_line(line, sc.cfg);
        continue;
      }
      events_started = true;
      Cursor c(line);
      c.ws();
      const char ch = c.peek();
      if (ch == '+') {
        c.seek(c.pos() + 1);
        sl.time_kind = ScriptLine::Time::kRelative;
        sl.time_us = c.seconds("a time after '+'");
      } else if (ch == '.' && c.peek_at(1) != '.') {
        sl.time_kind = ScriptLine::Time::kAbsolute;
        sl.time_us = c.seconds("a time");
      } else if (std::isdigit(static_cast<unsigned char>(ch))) {
        sl.time_kind = ScriptLine::Time::kAbsolute;
        sl.time_us = c.seconds("a time");
      } else if (ch == '*') {
        sl.time_kind = ScriptLine::Time::kAny;
        c.seek(c.pos() + 1);
      } else if (ch != '`' && !(ch == '%' && c.peek_at(1) == '{')) {
        throw LineError{"expected a time (+T relative, T absolute, * any) at the start of the line"};
      }
      c.ws();
      if (c.peek() == '~') {  // T1~T2 or +T1~+T2 (spaces around the ~ allowed, as packetdrill's lexer)
        c.seek(c.pos() + 1);
        c.ws();
        const bool rel = c.peek() == '+';
        if (rel != (sl.time_kind == ScriptLine::Time::kRelative))
          throw LineError{"a time range is +T1~+T2 or T1~T2"};
        if (rel) c.seek(c.pos() + 1);
        sl.range = true;
        sl.time_end_us = c.seconds("the end of the time range");
        if (sl.time_end_us < sl.time_us) throw LineError{"time range is backwards"};
      }
      bool blocking = false;
      int64_t end_us = 0;
      c.ws();
      if (c.peek() == '.' && c.peek_at(1) == '.' && c.peek_at(2) == '.') {  // T1...T2 (system calls)
        c.seek(c.pos() + 3);
        blocking = true;
        end_us = c.seconds("the end time of a blocking call (T1...T2)");
        if (end_us < sl.time_us && sl.time_kind == ScriptLine::Time::kAbsolute)
          throw LineError{"time range is backwards"};
      }
      c.ws();
      sl.text = trim(c.rest());
      if (c.peek() == '<' || c.peek() == '>') {
        if (blocking) throw LineError{"T1...T2 is for system calls; packets take T1~T2"};
        sl.kind = ScriptLine::Kind::kPacket;
        sl.pkt = parse_packet(c);
        if (sl.time_kind == ScriptLine::Time::kAny && sl.pkt.inbound)
          throw LineError{"event time * can only be used with outbound packets"};
        if (sl.range && sl.pkt.inbound) throw LineError{"event time range can only be used with outbound packets"};
      } else if (c.peek() == '%' && c.peek_at(1) == '{') {
        sl.kind = ScriptLine::Kind::kCode;  // run: unsupported, when reached
      } else if (c.peek() == '`') {
        const size_t close = line.rfind('`');
        if (close <= c.pos()) throw LineError{"unterminated `command`"};
        sl.kind = ScriptLine::Kind::kShell;
        sl.shell = line.substr(c.pos() + 1, close - c.pos() - 1);
        c.seek(close + 1);
        if (!c.done()) throw LineError{"unexpected '" + trim(c.rest()) + "' after the `command`"};
        if (blocking || sl.range) throw LineError{"time ranges are for outbound packets and system calls"};
      } else {
        sl.kind = ScriptLine::Kind::kSyscall;
        sl.call = parse_syscall(c);
        sl.call.blocking = blocking;
        sl.call.end_us = end_us;
        if (sl.time_kind == ScriptLine::Time::kAny) throw LineError{"event time * can only be used with outbound packets"};
        if (sl.range) throw LineError{"event time range can only be used with outbound packets"};
      }
    } catch (const LineError& e) {
      throw UsageError(name + ":" + std::to_string(st.line) + ": cannot parse '" + line + "': " + e.what);
    } catch (const LineUnsupported& e) {
      throw ScriptUnsupported(name + ":" + std::to_string(st.line) + ": unsupported: " + e.what);
    }
    sc.lines.push_back(sl);
  }
  return sc;
}

Script parse_script(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw UsageError(path + ": cannot open the script: " + std::strerror(errno));
  std::stringstream ss;
  ss << f.rdbuf();
  return parse_script_text(ss.str(), path);
}

}  // namespace toe::toesim
