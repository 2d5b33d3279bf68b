// SPDX-License-Identifier: Apache-2.0
// toe_sim script: the host-configuration commands of a packetdrill script
// (`...` lines, and the shell files they name, such as defaults.sh). Linux
// settings with an engine equivalent are applied; the others are reported as
// ignored, by name. Nothing is run by a shell.
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "script.hpp"

namespace toe::toesim {

struct HostConfigResult {
  std::vector<std::string> applied, ignored;
  std::optional<uint8_t> rcv_wscale;
  std::optional<uint16_t> mss;
};

namespace {

// $(( ... )) integer arithmetic: + - * / and parentheses.
struct Arith {
  const std::string& s;
  size_t i = 0;
  void ws() {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  }
  int64_t atom() {
    ws();
    if (i < s.size() && s[i] == '(') {
      ++i;
      const int64_t v = sum();
      ws();
      if (i < s.size() && s[i] == ')') ++i;
      return v;
    }
    int64_t v = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) v = v * 10 + (s[i++] - '0');
    return v;
  }
  int64_t product() {
    int64_t v = atom();
    for (;;) {
      ws();
      if (i < s.size() && s[i] == '*') {
        ++i;
        v *= atom();
      } else if (i < s.size() && s[i] == '/') {
        ++i;
        const int64_t d = atom();
        v = d ? v / d : 0;
      } else {
        return v;
      }
    }
  }
  int64_t sum() {
    int64_t v = product();
    for (;;) {
      ws();
      if (i < s.size() && s[i] == '+') {
        ++i;
        v += product();
      } else if (i < s.size() && s[i] == '-') {
        ++i;
        v -= product();
      } else {
        return v;
      }
    }
  }
};

std::string expand(const std::string& w) {
  std::string out;
  for (size_t i = 0; i < w.size(); ++i) {
    if (w.compare(i, 3, "$((") == 0) {
      const size_t e = w.find("))", i);
      if (e != std::string::npos) {
        const std::string expr = w.substr(i + 3, e - i - 3);
        Arith a{expr};
        out += std::to_string(a.sum());
        i = e + 1;
        continue;
      }
    }
    out += w[i];
  }
  return out;
}

// Shell-like words: quotes group, redirections end the command.
std::vector<std::string> words(const std::string& cmd) {
  std::vector<std::string> out;
  std::string cur;
  bool have = false;
  char q = 0;
  for (size_t i = 0; i < cmd.size(); ++i) {
    const char c = cmd[i];
    if (q) {
      if (c == q) q = 0;
      else cur += c;
      continue;
    }
    if (c == '"' || c == '\'') {
      q = c;
      have = true;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (have) out.push_back(expand(cur));
      cur.clear();
      have = false;
      continue;
    }
    if (c == '>' || c == '<' || (c == '2' && i + 1 < cmd.size() && cmd[i + 1] == '>' && !have)) break;
    cur += c;
    have = true;
  }
  if (have) out.push_back(expand(cur));
  return out;
}

int ilog2(uint64_t v) {
  int r = -1;
  while (v) {
    v >>= 1;
    ++r;
  }
  return r;
}

void sysctl(const std::string& name, const std::string& value, HostConfigResult& r) {
  if (name == "net.ipv4.tcp_rmem") {
    std::stringstream ss(value);
    uint64_t mn = 0, def = 0, mx = 0;
    if (ss >> mn >> def >> mx) {
      // Linux's tcp_select_initial_window: the scale that lets the largest buffer
      // (tcp_rmem[2], at least rmem_max's default 212992) be announced.
      const uint64_t space = std::max<uint64_t>(mx, 212992);
      const int ws = std::min(14, std::max(0, ilog2(space) - 15));
      r.rcv_wscale = uint8_t(ws);
      r.applied.push_back(name + "=\"" + value + "\" (receive window scale " + std::to_string(ws) + ")");
      return;
    }
  }
  r.ignored.push_back(name + "=" + value);
}

void command(const std::string& cmd, const std::string& dir, int depth, HostConfigResult& r) {
  const std::vector<std::string> w = words(cmd);
  if (w.empty()) return;
  if (w[0] == "sysctl") {
    for (size_t i = 1; i < w.size(); ++i) {
      if (!w[i].empty() && w[i][0] == '-') continue;  // -q, -w, -e
      const size_t eq = w[i].find('=');
      if (eq == std::string::npos) {
        r.ignored.push_back("sysctl " + w[i]);
        continue;
      }
      sysctl(w[i].substr(0, eq), w[i].substr(eq + 1), r);
    }
    return;
  }
  // set_sysctls.py /proc/sys/net/ipv4/NAME=VALUE ...
  if (w[0].size() >= 14 && w[0].compare(w[0].size() - 14, 14, "set_sysctls.py") == 0) {
    for (size_t i = 1; i < w.size(); ++i) {
      std::string a = w[i];
      const size_t eq = a.find('=');
      if (a.compare(0, 10, "/proc/sys/") != 0 || eq == std::string::npos) {
        r.ignored.push_back(w[0] + " " + a);
        continue;
      }
      std::string name = a.substr(10, eq - 10);
      for (char& ch : name)
        if (ch == '/') ch = '.';
      sysctl(name, a.substr(eq + 1), r);
    }
    return;
  }
  if (w.size() == 1 && w[0].size() > 3 && w[0].compare(w[0].size() - 3, 3, ".sh") == 0 && depth < 4) {
    const std::string path = w[0][0] == '/' ? w[0] : dir + "/" + w[0];
    std::ifstream f(path);
    if (!f) {
      r.ignored.push_back(w[0] + " (cannot read it)");
      return;
    }
    const size_t slash = path.rfind('/');
    const std::string sub = slash == std::string::npos ? "." : path.substr(0, slash);
    std::string line;
    while (std::getline(f, line)) {
      const size_t h = line.find('#');
      if (h != std::string::npos) line.resize(h);
      command(line, sub, depth + 1, r);
    }
    return;
  }
  std::string t;
  for (const std::string& x : w) t += (t.empty() ? "" : " ") + x;
  // ip route add|change|replace ... advmss N: the MSS Linux announces on that route.
  if (w[0] == "ip" && w.size() > 2 && w[1] == "route") {
    for (size_t i = 2; i + 1 < w.size(); ++i)
      if (w[i] == "advmss") {
        const unsigned long v = std::strtoul(w[i + 1].c_str(), nullptr, 10);
        if (v >= 64 && v <= 65535) {
          r.mss = uint16_t(v);
          r.applied.push_back("advmss " + w[i + 1] + " (the engine's MSS) from '" + t + "'");
          for (size_t j = 2; j < w.size(); ++j)
            if (w[j] == "mtu" || w[j] == "initcwnd" || w[j] == "initrwnd" || w[j] == "rto_min")
              r.ignored.push_back("route " + w[j] + " of '" + t + "'");
          return;
        }
      }
  }
  r.ignored.push_back(t);
}

}  // namespace

HostConfigResult apply_host_commands(const std::string& commands, const std::string& script_path) {
  HostConfigResult r;
  const size_t slash = script_path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : script_path.substr(0, slash);
  std::string cur;
  for (size_t i = 0; i <= commands.size(); ++i) {
    const char c = i < commands.size() ? commands[i] : '\n';
    if (c == '\\' && i + 1 < commands.size() && commands[i + 1] == '\n') {  // line continuation
      ++i;
      continue;
    }
    if (c == '\n' || c == ';' || (c == '&' && i + 1 < commands.size() && commands[i + 1] == '&')) {
      command(cur, dir, 0, r);
      cur.clear();
      if (c == '&') ++i;
      continue;
    }
    cur += c;
  }
  return r;
}

}  // namespace toe::toesim
