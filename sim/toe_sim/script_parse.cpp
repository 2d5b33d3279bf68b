// SPDX-License-Identifier: Apache-2.0
// Parser of toe_sim's packetdrill subset (see script.hpp).
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "options.hpp"
#include "script.hpp"

namespace toe::toesim {
namespace {

struct LineError {
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
  uint64_t number(const std::string& what, uint64_t max = 0xFFFFFFFFull) {
    ws();
    const char* p = s_.c_str() + i_;
    if (!std::isdigit(static_cast<unsigned char>(*p))) throw LineError{"expected " + what + " (a number)" + near()};
    errno = 0;
    char* end = nullptr;
    const unsigned long long v = std::strtoull(p, &end, 10);
    if (errno || v > max) throw LineError{what + " is out of range (at most " + std::to_string(max) + ")" + near()};
    i_ += size_t(end - p);
    return v;
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

uint8_t parse_flags(const std::string& t) {
  if (t.empty()) throw LineError{"expected TCP flags (S F R P . U E W, e.g. S. or F.)"};
  uint8_t f = 0;
  for (char c : t) {
    switch (c) {
      case 'S':
        f |= net::kSyn;
        break;
      case 'F':
        f |= net::kFin;
        break;
      case 'R':
        f |= net::kRst;
        break;
      case 'P':
        f |= net::kPsh;
        break;
      case '.':
        f |= net::kAck;
        break;
      case 'U':
        f |= net::kUrg;
        break;
      case 'E':
        f |= net::kEce;
        break;
      case 'W':
        f |= net::kCwr;
        break;
      default:
        throw LineError{"'" + t + "' is not a set of TCP flags (expected letters of S F R P . U E W)"};
    }
  }
  return f;
}

void parse_options(Cursor& c, net::TcpOptions& o) {
  // After '<': items separated by ',' up to '>'.
  const size_t close = c.str().find('>', c.pos());
  if (close == std::string::npos) throw LineError{"expected '>' closing the TCP options"};
  const std::string body = c.str().substr(c.pos(), close - c.pos());
  c.seek(close + 1);
  std::stringstream ss(body);
  std::string item;
  while (std::getline(ss, item, ',')) {
    item = trim(item);
    Cursor ic(item);
    const std::string name = ic.word();
    if (name == "nop" || name == "eol") {
    } else if (name == "mss") {
      o.has_mss = true;
      o.mss = static_cast<uint16_t>(ic.number("the MSS", 65535));
    } else if (name == "wscale") {
      o.has_wscale = true;
      o.wscale = static_cast<uint8_t>(ic.number("the window scale", 14));
    } else if (name == "sackOK") {
      o.sack_permitted = true;
    } else if (name == "TS") {
      if (ic.word() != "val") throw LineError{"expected 'TS val N ecr N' in the options"};
      o.has_ts = true;
      o.ts_val = static_cast<uint32_t>(ic.number("TS val"));
      if (ic.word() != "ecr") throw LineError{"expected 'TS val N ecr N' in the options"};
      o.ts_ecr = static_cast<uint32_t>(ic.number("TS ecr"));
    } else if (name == "sack") {
      while (!ic.done()) {
        if (o.sack_count >= 3) throw LineError{"at most 3 SACK blocks"};
        net::SackBlock b;
        b.left = static_cast<uint32_t>(ic.number("a SACK block's left edge"));
        ic.expect(':', "in a SACK block L:R");
        b.right = static_cast<uint32_t>(ic.number("a SACK block's right edge"));
        o.sack[o.sack_count++] = b;
      }
    } else {
      throw LineError{"unknown TCP option '" + item +
                      "' (expected mss N, wscale N, nop, eol, sackOK, TS val N ecr N, sack L:R)"};
    }
    if (!ic.done()) throw LineError{"unexpected '" + trim(ic.rest()) + "' in TCP option '" + item + "'"};
  }
}

PacketSpec parse_packet(Cursor& c) {
  PacketSpec p;
  c.ws();
  p.inbound = c.peek() == '<';
  c.seek(c.pos() + 1);
  p.flags = parse_flags(c.token());
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
      if (p.has_opts) throw LineError{"TCP options given twice"};
      p.has_opts = true;
      parse_options(c, p.opts);
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
    } else {
      c.seek(at);
      throw LineError{"unexpected '" + trim(c.rest()) + "' (expected ack N, win N or <options>)"};
    }
  }
  if (p.has_ack && !(p.flags & net::kAck)) throw LineError{"'ack' given but the flags have no '.' (ACK)"};
  return p;
}

SyscallSpec parse_syscall(Cursor& c) {
  SyscallSpec s;
  s.name = c.word();
  if (s.name.empty()) throw LineError{"expected a packet (< or >) or a system call" + c.near()};
  static const char* const known[] = {"socket",   "bind",       "listen",     "accept", "connect",
                                      "write",    "send",       "read",       "recv",   "close",
                                      "shutdown", "setsockopt", "getsockopt", "fcntl",  "ioctl"};
  bool ok = false;
  for (const char* k : known) ok = ok || s.name == k;
  if (!ok)
    throw LineError{"unsupported system call '" + s.name +
                    "' (supported: socket, bind, listen, accept, connect, write, send, read, recv, close, shutdown; "
                    "ignored: setsockopt, getsockopt, fcntl, ioctl)"};
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
      const size_t q = str.find('"', i + 1);
      if (q == std::string::npos) throw LineError{"unterminated string in the arguments"};
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
    s.err = c.word();
    if (s.err.empty()) throw LineError{"unexpected '" + trim(c.rest()) + "' after the return value"};
    c.ws();
    if (c.peek() == '(') {  // packetdrill's "(Operation now in progress)"
      const size_t close = str.find(')', c.pos());
      if (close == std::string::npos) throw LineError{"expected ')' after the errno text"};
      c.seek(close + 1);
    }
    if (!c.done()) throw LineError{"unexpected '" + trim(c.rest()) + "' after the return value"};
  }
  return s;
}

}  // namespace

std::vector<ScriptLine> parse_script_text(const std::string& text, const std::string& name) {
  std::vector<ScriptLine> out;
  std::stringstream ss(text);
  std::string raw;
  int lineno = 0;
  bool in_block = false;
  while (std::getline(ss, raw)) {
    ++lineno;
    // Comments: /* ... */ (may span lines), // to the end, # at the start.
    std::string line;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (in_block) {
        if (raw.compare(i, 2, "*/") == 0) {
          in_block = false;
          ++i;
        }
        continue;
      }
      if (raw.compare(i, 2, "/*") == 0) {
        in_block = true;
        ++i;
        continue;
      }
      if (raw.compare(i, 2, "//") == 0) break;
      line += raw[i];
    }
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    ScriptLine sl;
    sl.line = lineno;
    try {
      Cursor c(line);
      c.ws();
      const char ch = c.peek();
      if (ch == '+' || ch == '.' || std::isdigit(static_cast<unsigned char>(ch))) {
        const bool rel = ch == '+';
        const char* p = line.c_str() + c.pos() + (rel ? 1 : 0);
        char* end = nullptr;
        errno = 0;
        const double t = std::strtod(p, &end);
        if (end == p || errno || !(t >= 0))
          throw LineError{"expected a time (+T relative or T absolute, in seconds)" + c.near()};
        sl.time_kind = rel ? ScriptLine::Time::kRelative : ScriptLine::Time::kAbsolute;
        sl.time = t;
        c.seek(size_t(end - line.c_str()));
        if (c.peek() == '~') throw LineError{"time ranges (T1~T2) are not supported"};
      } else if (ch == '*') {
        sl.time_kind = ScriptLine::Time::kAny;
        c.seek(c.pos() + 1);
      }
      c.ws();
      sl.text = trim(c.rest());
      if (c.peek() == '<' || c.peek() == '>') {
        sl.is_packet = true;
        sl.pkt = parse_packet(c);
      } else if (c.peek() == '`') {
        throw LineError{"shell commands (`...`) are not supported"};
      } else {
        sl.call = parse_syscall(c);
      }
    } catch (const LineError& e) {
      throw UsageError(name + ":" + std::to_string(lineno) + ": cannot parse '" + line + "': " + e.what);
    }
    out.push_back(sl);
  }
  if (in_block) throw UsageError(name + ":" + std::to_string(lineno) + ": unterminated /* comment");
  return out;
}

std::vector<ScriptLine> parse_script(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw UsageError(path + ": cannot open the script: " + std::strerror(errno));
  std::stringstream ss;
  ss << f.rdbuf();
  return parse_script_text(ss.str(), path);
}

}  // namespace toe::toesim
