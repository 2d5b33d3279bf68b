// SPDX-License-Identifier: Apache-2.0
#include "test_support.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <sys/wait.h>

namespace toe::test {
namespace {

struct CmdResult {
  int status = -1;
  std::string out;
};

CmdResult run(const std::string& cmd) {
  CmdResult r;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

std::string lint_cmd(const std::string& pcap, const char* extra) {
  return std::string("python3 '") + TOE_SOURCE_DIR + "/scripts/trace_lint.py' '" + pcap + "' " + extra;
}

}  // namespace

std::string out_path(const std::string& name) {
  std::filesystem::path dir = std::filesystem::path(TOE_TEST_OUT_DIR);
  // The rtl.* twins (TOE_ENGINE=rtl) may run beside their model runs: their own directory.
  const char* engine = std::getenv("TOE_ENGINE");
  if (engine && std::string(engine) == "rtl") dir /= "rtl";
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

::testing::AssertionResult TraceLintOk(const std::string& pcap_path, const std::vector<std::string>& allow) {
  std::string extra;
  for (const auto& a : allow) extra += " --allow \"" + a + "\"";
  const CmdResult r = run(lint_cmd(pcap_path, extra.c_str()));
  if (r.status == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "trace lint failed (exit " << r.status << "):\n" << r.out;
}

std::vector<TsharkTcp> tshark_tcp_frames(const std::string& pcap_path) {
  std::vector<TsharkTcp> out;
  // stderr is merged: the lint's complaints appear as non-JSON lines and fail the test.
  const CmdResult r = run(lint_cmd(pcap_path, "--dump"));
  EXPECT_EQ(r.status, 0) << r.out;
  size_t pos = 0;
  while (pos < r.out.size()) {
    size_t eol = r.out.find('\n', pos);
    if (eol == std::string::npos) eol = r.out.size();
    const std::string line = r.out.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.empty()) continue;
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) {
      ADD_FAILURE() << "unexpected trace lint output: " << line;
      continue;
    }
    TsharkTcp t;
    t.src = j["src"];
    t.dst = j["dst"];
    t.sport = j["sport"];
    t.dport = j["dport"];
    t.flags = j["flags"];
    t.flags_str = j["flags_str"];
    t.seq = j["seq"];
    t.ack = j["ack"];
    t.len = j["len"];
    t.win = j["win"];
    out.push_back(t);
  }
  return out;
}

}  // namespace toe::test
