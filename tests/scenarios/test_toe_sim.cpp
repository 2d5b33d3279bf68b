// SPDX-License-Identifier: Apache-2.0
// toe_sim end to end: replay of the seed-002 capture, bad input, the demo,
// script failures, and every output format. Input pcaps are built here with
// toe_net; every pcap toe_sim writes goes through the trace lint (tshark).
// With TOE_ENGINE=model|rtl (the rtl.* twins) every toe_sim run gets that
// --engine; toe_sim's exit 4 (no Verilated build of the parameters) skips the test.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "engine_select.hpp"
#include "test_support.hpp"
#include "toe/net/codec.hpp"
#include "toe/net/pcap.hpp"

using namespace toe;
using namespace toe::net;
using toe::test::out_path;
using toe::test::TraceLintOk;
using toe::test::tshark_tcp_frames;

namespace {

struct SimResult {
  int status = -1;
  std::string out;  // stdout and stderr
};

// The engine the tests ask toe_sim for: TOE_ENGINE's, or none (toe_sim's default, the model).
std::string engine_env() {
  const char* e = std::getenv(toe::sim::kEngineEnvVar);
  return e ? e : "";
}

// Runs toe_sim; env: assignments put before the command (e.g. "TOE_ENGINE=rtl ").
SimResult toe_sim_raw(const std::string& args, const std::string& env = "") {
  SimResult r;
  const std::string cmd = env + "'" + TOE_SIM_EXE + "' " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

// Runs toe_sim on TOE_ENGINE's engine: `--engine E` after the mode, unless args names one.
SimResult toe_sim(std::string args) {
  const std::string engine = engine_env();
  const size_t sp = args.find(' ');
  const std::string mode = args.substr(0, sp);
  if (!engine.empty() && (mode == "replay" || mode == "script" || mode == "seeds" || mode == "demo") &&
      args.find("--engine") == std::string::npos)
    args.insert(mode.size(), " --engine " + engine);
  SimResult r = toe_sim_raw(args);
  if (r.status == 4 && engine == "rtl") toe::test::skip_test("toe_sim " + args + ": " + r.out);
  return r;
}

// What the stats file should say ran.
std::string expected_engine() { return engine_env().empty() ? "model" : engine_env(); }

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

nlohmann::json read_json(const std::string& path) {
  const auto j = nlohmann::json::parse(slurp(path), nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << path << " is not JSON";
  return j;
}

// The seed-002 capture (192.168.1.116:3337 -> 192.168.1.123:7788).
const MacAddr kClientMac{{0x02, 0x00, 0x00, 0x00, 0x01, 0x16}};
const MacAddr kServerMac{{0x02, 0x00, 0x00, 0x00, 0x01, 0x23}};
constexpr uint32_t kClientIp = 0xC0A80174, kServerIp = 0xC0A8017B;      // .116, .123
constexpr uint32_t kClientIsn = 3626544836u, kServerIsn = 1739326486u;  // 0x67AC0416
constexpr uint64_t kT0 = 1300000000123456789ull;                        // ns

std::vector<uint8_t> seed_segment(uint8_t flags, uint32_t seq, uint32_t ack, bool mss = false) {
  EthHeader eth;
  eth.dst = kServerMac;
  eth.src = kClientMac;
  Ipv4Header ip;
  ip.src = kClientIp;
  ip.dst = kServerIp;
  ip.id = 0x1234;
  ip.ttl = 128;
  TcpHeader t;
  t.src_port = 3337;
  t.dst_port = 7788;
  t.seq = seq;
  t.ack = ack;
  t.flags = flags;
  t.window = 8192;
  if (mss) {
    t.opts.has_mss = true;
    t.opts.mss = 1460;
  }
  return build_tcp_frame(eth, ip, t);
}

std::vector<uint8_t> seed_syn() { return seed_segment(kSyn, kClientIsn, 0, true); }

const std::string kSeedArgs =
    "--local-ip 192.168.1.123 --listen 7788 --fixed-isn 0x67AC0416 --local-mac 02:00:00:00:01:23";

}  // namespace

TEST(ToeSimReplay, Seed002SynGetsTheSeedsSynAck) {
  const std::string in = out_path("toe_sim_seed002_in.pcap"), out = out_path("toe_sim_seed002_out.pcap");
  const std::string all = out_path("toe_sim_seed002_all.pcap");
  {
    PcapWriter w(in);
    w.write(kT0, seed_syn());
  }
  ASSERT_TRUE(TraceLintOk(in));
  const SimResult r = toe_sim("replay '" + in + "' '" + out + "' " + kSeedArgs + " --pcap '" + all + "'");
  ASSERT_EQ(r.status, 0) << r.out;

  // tshark's view, independent of our codec.
  const auto frames = tshark_tcp_frames(out);
  ASSERT_FALSE(frames.empty());
  const auto& f = frames[0];
  EXPECT_EQ(f.src, "192.168.1.123");
  EXPECT_EQ(f.dst, "192.168.1.116");
  EXPECT_EQ(f.sport, 7788u);
  EXPECT_EQ(f.dport, 3337u);
  EXPECT_EQ(f.flags & 0x3Fu, unsigned(kSyn | kAck));
  EXPECT_EQ(f.seq, kServerIsn);
  EXPECT_EQ(f.ack, kClientIsn + 1);
  EXPECT_TRUE(TraceLintOk(all));
  EXPECT_EQ(tshark_tcp_frames(all).size(), frames.size() + 1);

  // OUT is on IN's time base: the answer follows the SYN by well under 10 us.
  const auto recs = PcapReader::read_all(out);
  ASSERT_FALSE(recs.empty());
  EXPECT_GT(recs[0].ts_ns, kT0);
  EXPECT_LT(recs[0].ts_ns, kT0 + 10000);
}

TEST(ToeSimReplay, Seed002HandshakeWritesEveryOutput) {
  const std::string in = out_path("toe_sim_hs_in.pcap"), out = out_path("toe_sim_hs_out.pcap");
  const std::string vcd = out_path("toe_sim_hs.vcd"), svg = out_path("toe_sim_hs.svg");
  const std::string stats = out_path("toe_sim_hs.json"), all = out_path("toe_sim_hs_all.pcap");
  {
    PcapWriter w(in);
    w.write(kT0, seed_syn());
    w.write(kT0 + 300000, seed_segment(kAck, kClientIsn + 1, kServerIsn + 1));
  }
  const SimResult r = toe_sim("replay '" + in + "' '" + out + "' " + kSeedArgs + " --tail-ms 1 --vcd '" + vcd +
                              "' --ladder '" + svg + "' --stats '" + stats + "' --pcap '" + all + "'");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(TraceLintOk(out));
  EXPECT_TRUE(TraceLintOk(all));

  const auto j = read_json(stats);
  EXPECT_EQ(j["mode"], "replay");
  EXPECT_EQ(j["engine"], expected_engine());
  EXPECT_EQ(j["frames_in"], 2);
  EXPECT_EQ(j["frames_out"], 1);
  EXPECT_EQ(j["counters"]["frames_in"], 2);
  EXPECT_EQ(j["counters"]["drop_malformed"], 0);
  EXPECT_GT(j["cycles"].get<uint64_t>(), 0u);
  EXPECT_GT(j["cycles_per_second"].get<double>(), 0.0);
  ASSERT_EQ(j["connections"].size(), 1u);
  const auto& c = j["connections"][0];
  EXPECT_EQ(c["local"], "192.168.1.123:7788");
  EXPECT_EQ(c["peer"], "192.168.1.116:3337");
  EXPECT_EQ(c["opened"], "passive");
  EXPECT_EQ(c["final_state"], "ESTABLISHED");
  EXPECT_EQ(c["states"], nlohmann::json({"LISTEN", "SYN_RECEIVED", "ESTABLISHED"}));
  EXPECT_EQ(c["peer_states"], nlohmann::json({"CLOSED", "SYN_SENT", "ESTABLISHED"}));

  const std::string s = slurp(svg);
  EXPECT_NE(s.find("<svg"), std::string::npos);
  EXPECT_NE(s.find("SYN seq=3626544836"), std::string::npos);
  EXPECT_NE(s.find("SYN,ACK seq=1739326486 ack=3626544837"), std::string::npos);
  EXPECT_NE(s.find("ACK seq=3626544837 ack=1739326487"), std::string::npos);
  EXPECT_NE(s.find("SYN_RECEIVED"), std::string::npos);
  EXPECT_NE(s.find("192.168.1.116:3337"), std::string::npos);

  const std::string v = slurp(vcd);
  EXPECT_NE(v.find("$timescale 1ns $end"), std::string::npos);
  EXPECT_NE(v.find("$scope module toe_top $end"), std::string::npos);
  for (const char* port :
       {"s_axis_rx_tvalid", "s_axis_rx_tready", "s_axis_rx_tlast", "s_axis_rx_tdata [63:0]", "s_axis_rx_tkeep [7:0]",
        "m_axis_tx_tvalid", "m_axis_tx_tready", "m_axis_tx_tlast", "m_axis_tx_tdata [63:0]", "m_axis_tx_tkeep [7:0]",
        "s_cmd_valid", "s_cmd_ready", "m_evt_valid", "cycle [63:0]"})
    EXPECT_NE(v.find(std::string(" ") + port + " $end"), std::string::npos) << port;
  EXPECT_NE(v.find("$enddefinitions $end"), std::string::npos);
  EXPECT_NE(v.find("$dumpvars"), std::string::npos);
}

TEST(ToeSimReplay, GarbageInputIsAClearUsageError) {
  const std::string in = out_path("toe_sim_garbage.pcap");
  std::ofstream(in) << "this is not a pcap file, just text\n";
  const SimResult r = toe_sim("replay '" + in + "' '" + out_path("toe_sim_garbage_out.pcap") + "'");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find(in), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("expected a pcap file"), std::string::npos) << r.out;
}

TEST(ToeSimReplay, MissingInputIsAClearUsageError) {
  const SimResult r = toe_sim("replay /nonexistent/in.pcap " + out_path("toe_sim_missing_out.pcap"));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("/nonexistent/in.pcap"), std::string::npos) << r.out;
}

TEST(ToeSimReplay, TruncatedFrameIsDroppedAndCounted) {
  const std::string in = out_path("toe_sim_trunc_in.pcap"), out = out_path("toe_sim_trunc_out.pcap");
  const std::string stats = out_path("toe_sim_trunc.json");
  {
    PcapWriter w(in);
    std::vector<uint8_t> cut = seed_syn();
    cut.resize(30);  // Ethernet header and 16 bytes of IPv4
    w.write(kT0, cut);
    w.write(kT0 + 1000000, seed_syn());  // the engine carries on
  }
  const SimResult r =
      toe_sim("replay '" + in + "' '" + out + "' " + kSeedArgs + " --tail-ms 1 --stats '" + stats + "'");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = read_json(stats);
  EXPECT_EQ(j["counters"]["drop_malformed"], 1);
  EXPECT_EQ(j["counters"]["frames_in"], 2);
  EXPECT_EQ(j["frames_in"], 2);
  const auto frames = tshark_tcp_frames(out);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].seq, kServerIsn);
}

TEST(ToeSimReplay, EmptyAndOversizeFramesNeverCrash) {
  const std::string in = out_path("toe_sim_odd_in.pcap"), out = out_path("toe_sim_odd_out.pcap");
  const std::string stats = out_path("toe_sim_odd.json");
  {
    PcapWriter w(in);
    w.write(kT0, std::vector<uint8_t>{});
    w.write(kT0 + 1000, std::vector<uint8_t>(5000, 0xAB));
    w.write(kT0 + 2000000, seed_syn());
  }
  const SimResult r =
      toe_sim("replay '" + in + "' '" + out + "' " + kSeedArgs + " --tail-ms 1 --stats '" + stats + "'");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = read_json(stats);
  EXPECT_EQ(j["frames_in"], 3);
  EXPECT_EQ(j["counters"]["drop_malformed"], 2);  // the empty and the oversize frame
  EXPECT_EQ(tshark_tcp_frames(out).size(), 1u);
}

TEST(ToeSimReplay, RawIpInputIsWrappedInEthernet) {
  const std::string in = out_path("toe_sim_rawip_in.pcap"), out = out_path("toe_sim_rawip_out.pcap");
  {
    PcapWriter w(in, LinkType::kRawIp);
    const std::vector<uint8_t> f = seed_syn();
    w.write(kT0, std::vector<uint8_t>(f.begin() + long(kEthHeaderLen), f.end()));
  }
  const SimResult r = toe_sim("replay '" + in + "' '" + out + "' " + kSeedArgs + " --tail-ms 1");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto frames = tshark_tcp_frames(out);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].ack, kClientIsn + 1);
}

TEST(ToeSimReplay, ActiveOpenAtTheStartWithEightBitDatapath) {
  const std::string in = out_path("toe_sim_empty_in.pcap"), out = out_path("toe_sim_connect_out.pcap");
  { PcapWriter w(in); }
  const SimResult r = toe_sim("replay '" + in + "' '" + out +
                              "' --connect 10.0.0.1:80 --arp 10.0.0.1=02:00:00:00:00:01 --fixed-isn 1000 --data-bits 8 "
                              "--tail-ms 1 --vcd '" +
                              out_path("toe_sim_connect.vcd") + "'");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto frames = tshark_tcp_frames(out);
  ASSERT_GE(frames.size(), 1u);
  EXPECT_EQ(frames[0].flags & 0x3Fu, unsigned(kSyn));
  EXPECT_EQ(frames[0].seq, 0x1000u);
  EXPECT_EQ(frames[0].sport, 49152u);
  EXPECT_EQ(frames[0].dport, 80u);
  EXPECT_NE(slurp(out_path("toe_sim_connect.vcd")).find("s_axis_rx_tdata [7:0]"), std::string::npos);
}

TEST(ToeSimUsage, BadOptionsExitTwoNamingTheOption) {
  struct Case {
    std::string args, says;
  } cases[] = {
      {"seeds --local-ip 10.0.0", "--local-ip"},
      {"seeds --engine verilog", "--engine: 'verilog' is not an engine (expected model or rtl)"},
      {"seeds --data-bits 32", "--data-bits"},
      {"seeds --app source:lots", "--app"},
      {"seeds --fixed-isn xyz", "--fixed-isn"},
      {"demo --loss 75", "--loss"},
      {"demo --engine verilog", "--engine"},
      {"demo --bytes 0", "--bytes"},
      {"demo --clients x", "--clients"},
      {"replay a.pcap b.pcap --connect 10.0.0.1:80", "--arp"},
      {"replay a.pcap b.pcap --listen 70000", "--listen"},
      {"replay a.pcap", "OUT"},
      {"frobnicate", "frobnicate"},
      {"", "subcommand"},
  };
  for (const Case& c : cases) {
    const SimResult r = toe_sim(c.args);
    EXPECT_EQ(r.status, 2) << c.args << "\n" << r.out;
    EXPECT_NE(r.out.find(c.says), std::string::npos) << c.args << "\n" << r.out;
  }
  EXPECT_EQ(toe_sim("--help").status, 0);
}

TEST(ToeSimUsage, EngineRtlInABuildWithoutTheRtlEngineExitsTwoSayingSo) {
  if (toe::sim::rtl_engine_built()) GTEST_SKIP() << "this build has the RTL engine";
  const SimResult r = toe_sim_raw("seeds --engine rtl");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("toe_sim: --engine rtl: this build has no RTL engine (sim/rtl_engine not built)"),
            std::string::npos)
      << r.out;
  const SimResult d = toe_sim_raw("demo --engine rtl --out-dir '" + out_path("toe_sim_demo_no_rtl") + "'");
  EXPECT_EQ(d.status, 2) << d.out;
  EXPECT_NE(d.out.find("toe_sim: --engine rtl: this build has no RTL engine"), std::string::npos) << d.out;
}

TEST(ToeSimUsage, TheDefaultEngineIsTheModelWhateverToeEngineSays) {
  const std::string dir = out_path("toe_sim_default_engine");
  const SimResult r = toe_sim_raw("seeds --out-dir '" + dir + "'", "TOE_ENGINE=rtl ");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(read_json(dir + "/toe_seeds.json")["engine"], "model");
}

TEST(ToeSimSeeds, RunsTheSeedScenariosAndWritesLintCleanOutputs) {
  const std::string dir = out_path("toe_sim_seeds");
  const SimResult r = toe_sim("seeds --out-dir '" + dir + "'");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("all scenarios passed"), std::string::npos) << r.out;
  EXPECT_TRUE(TraceLintOk(dir + "/toe_seeds.pcap"));
  const auto j = read_json(dir + "/toe_seeds.json");
  EXPECT_EQ(j["engine"], expected_engine());
  ASSERT_EQ(j["connections"].size(), 3u);
  EXPECT_EQ(j["connections"][0]["states"],
            nlohmann::json({"LISTEN", "SYN_RECEIVED", "ESTABLISHED", "CLOSE_WAIT", "LAST_ACK", "CLOSED"}));
  EXPECT_EQ(j["connections"][0]["peer_final_state"], "TIME_WAIT");
  EXPECT_EQ(j["connections"][0]["bytes_in"], 16);
  EXPECT_EQ(j["connections"][0]["bytes_out"], 16);
  EXPECT_EQ(j["connections"][1]["states"],
            nlohmann::json({"CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "TIME_WAIT", "CLOSED"}));
  EXPECT_EQ(j["connections"][1]["bytes_out"], 3000);
  EXPECT_EQ(j["connections"][2]["peer_final_state"], "CLOSED");
  EXPECT_EQ(j["counters"]["rst_sent"], 1);
  const std::string svg = slurp(dir + "/toe_seeds.svg");
  EXPECT_NE(svg.find("RST,ACK seq=0 ack=778"), std::string::npos);
  EXPECT_NE(svg.find("FIN_WAIT_2"), std::string::npos);
}

// The product demo: firmware and driver in the loop, lwIP peers over a lossy link. Smaller than
// the default run (2 clients of 64 KiB) with 2 % loss, so that losses happen and are recovered.
// The rtl twin (about 6 s: idle clocks are skipped on the RTL too) also runs the model with the
// same arguments and checks that both runs agree on every connection and every link counter.
TEST(ToeSimDemo, EveryConnectionEndsAsItShouldAndTheOutputsAgree) {
  const std::string dir = out_path("toe_sim_demo");
  const bool rtl = expected_engine() == "rtl";
  const std::string args = "demo --clients 2 --bytes 65536 --loss 2 --seed 7 --out-dir '";
  const SimResult r = toe_sim(args + dir + "'");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("every connection ended as it should"), std::string::npos) << r.out;
  EXPECT_TRUE(TraceLintOk(dir + "/demo.pcap"));
  const auto j = read_json(dir + "/demo.json");
  EXPECT_EQ(j["engine"], expected_engine());
  EXPECT_EQ(j["ok"], true);
  EXPECT_NE(j["firmware"]["name"].get<std::string>().find("firmware"), std::string::npos);
  EXPECT_NE(j["driver"]["name"].get<std::string>().find("toe_driver"), std::string::npos);
  EXPECT_EQ(j["link"]["loss_pct"], 2.0);
  const uint64_t lost = j["link"]["engine_to_peer"]["lost"].get<uint64_t>() + j["link"]["peer_to_engine"]["lost"].get<uint64_t>();
  EXPECT_GT(lost, 0u) << "2 % of a few thousand frames";
  if (rtl) {
    const std::string mdir = out_path("toe_sim_demo_model");
    const SimResult m = toe_sim(args.substr(0, 4) + " --engine model" + args.substr(4) + mdir + "'");
    ASSERT_EQ(m.status, 0) << m.out;
    const auto jm = read_json(mdir + "/demo.json");
    EXPECT_EQ(j["connections"], jm["connections"]) << "the RTL and the model differ";
    EXPECT_EQ(j["link"], jm["link"]);
    EXPECT_EQ(slurp(dir + "/demo.pcap"), slurp(mdir + "/demo.pcap")) << "the wire differs";
  }
  // 2 echo servers, discard, source, abort, the client, the refused connect.
  ASSERT_EQ(j["connections"].size(), 7u);
  std::map<std::string, int> ends;
  uint64_t retx = 0;
  for (const auto& c : j["connections"]) {
    EXPECT_TRUE(c["ok"].get<bool>()) << c.dump();
    ++ends[c["end"].get<std::string>()];
    retx += c["retransmissions_engine"].get<uint64_t>() + c["retransmissions_peer"].get<uint64_t>();
    if (c["app"] == "echo") {
      EXPECT_EQ(c["bytes_in"], 65536);
      EXPECT_EQ(c["bytes_out"], 65536);
      // lwIP closed first (FIN_WAIT_2 is skipped when the engine's ACK and FIN come as one segment).
      const std::string st = c["lwip_states"].get<std::string>();
      EXPECT_EQ(st.rfind("SYN_SENT ESTABLISHED FIN_WAIT_1 ", 0), 0u) << st;
      EXPECT_EQ(st.substr(st.size() - 9), "TIME_WAIT") << st;
    }
  }
  EXPECT_EQ(ends["closed"], 5);
  EXPECT_EQ(ends["refused"], 1);
  EXPECT_EQ(ends["aborted"], 1);
  EXPECT_GT(retx, 0u) << "losses were recovered by retransmission";
  // The ASCII ladder: the first connection (the engine's client) sends full-sized segments, and
  // every label is printed whole (the arrows widen for it), e.g. "len=1460", never "len=14".
  const size_t ladder = r.out.find("ladder of the first connection");
  ASSERT_NE(ladder, std::string::npos) << r.out;
  const std::string lad = r.out.substr(ladder);
  EXPECT_NE(lad.find(" len=1460 -"), std::string::npos) << lad;
  EXPECT_NE(lad.find("|<-"), std::string::npos) << lad;  // from the engine (right) to lwIP
  EXPECT_NE(lad.find("->|"), std::string::npos) << lad;
  const std::string svg = slurp(dir + "/demo.svg");
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("SYN,ACK"), std::string::npos);
  const std::string vcd = slurp(dir + "/demo.vcd");
  EXPECT_NE(vcd.find("$var wire 32 \" engine_tx_frames $end"), std::string::npos);
}

TEST(ToeSimScript, FailureNamesTheLineWhatWasExpectedAndWhatCame) {
  const std::string pkt = out_path("toe_sim_fail.pkt"), pcap = out_path("toe_sim_fail.pcap");
  std::ofstream(pkt) << "// expects the wrong ack\n"
                        "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                        "+0 bind(3, ..., ...) = 0\n"
                        "+0 listen(3, 1) = 0\n"
                        "+0 < S 0:0(0) win 8192 <mss 1460>\n"
                        "+0 > S. 0:0(0) ack 2 <mss 1460>\n";
  const SimResult r = toe_sim("script '" + pkt + "' --pcap '" + pcap + "'");
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find(pkt + ":6: expected > S. 0:0(0) ack 2 <mss 1460>, got S. 0:0(0) ack 1 <mss 1460>"),
            std::string::npos)
      << r.out;
  EXPECT_TRUE(TraceLintOk(pcap));  // outputs are written on failure too
}

TEST(ToeSimScript, NothingArrivingIsReported) {
  const std::string pkt = out_path("toe_sim_nothing.pkt");
  std::ofstream(pkt) << "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                        "+0 listen(3, 1) = 0\n"
                        "+0 < . 1:1(0) ack 1 win 8192\n"  // to a listener: RST
                        "+0 > R 1:1(0)\n"
                        "+0 > R 1:1(0)\n";
  const SimResult r = toe_sim("script '" + pkt + "' --tolerance-ms 2");
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find(pkt + ":5: expected > R 1:1(0) at "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(", got nothing by "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" s (tolerance 2 ms)"), std::string::npos) << r.out;
}

TEST(ToeSimScript, BadIovecsAndPollFlagsExitTwoNamingTheLine) {
  const std::string pkt = out_path("toe_sim_iov.pkt");
  std::ofstream(pkt) << "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                        "+0 writev(3, [{..., 10}, {..., 20}], 3) = 30\n";
  SimResult r = toe_sim("script '" + pkt + "'");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find(pkt + ":2: writev: 2 iovecs written, count 3"), std::string::npos) << r.out;
  std::ofstream(pkt) << "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                        "+0 poll([{fd=3, events=POLLIN|POLLSOON, revents=0}], 1, 0) = 0\n";
  r = toe_sim("script '" + pkt + "'");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find(pkt + ":2: poll: 'POLLSOON' is not a poll flag"), std::string::npos) << r.out;
  std::ofstream(pkt) << "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                        "+0 sendmsg(3, {msg_name(...)=..., msg_iov(1)=[{..., 10}], msg_control(...)=..., "
                        "msg_flags=0}, 0) = 10\n";
  r = toe_sim("script '" + pkt + "'");
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_NE(r.out.find("unsupported: sendmsg with msg_control"), std::string::npos) << r.out;
}

TEST(ToeSimScript, UnknownSyntaxExitsTwoNamingTheLine) {
  const std::string pkt = out_path("toe_sim_syntax.pkt");
  std::ofstream(pkt) << "// fine\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < S 0:0(0) window 5\n";
  const SimResult r = toe_sim("script '" + pkt + "'");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find(pkt + ":3: cannot parse"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("expected ack N, win N, urg N or <options>"), std::string::npos) << r.out;
}

// ---- packetdrill's dialect and semantics (sim/toe_sim/script_*.cpp, docs/scripts.md)

namespace {
// A passive open every case below starts from (the engine answers <mss 1460>).
const char* const kAccepted =
    "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
    "+0 bind(3, ..., ...) = 0\n"
    "+0 listen(3, 1) = 0\n"
    "+0 < S 0:0(0) win 8192 <mss 1460>\n"
    "+0 > S. 0:0(0) ack 1 <mss 1460>\n"
    "+.001 < . 1:1(0) ack 1 win 8192\n"
    "+0 accept(3, ..., ...) = 4\n";

SimResult script(const std::string& name, const std::string& text, const std::string& args = "") {
  const std::string pkt = out_path(name + ".pkt");
  std::ofstream(pkt) << text;
  return toe_sim("script '" + pkt + "' " + args);
}
}  // namespace

TEST(ToeSimScript, UnsupportedFeaturesExitThreeNamingThem) {
  SimResult r = script("pd_unsup_sockopt", std::string(kAccepted) + "+0 setsockopt(4, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0\n");
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_NE(r.out.find("pd_unsup_sockopt.pkt:8: unsupported: setsockopt SO_LINGER"), std::string::npos) << r.out;
  r = script("pd_unsup_python", std::string(kAccepted) + "+0 %{ assert tcpi_snd_cwnd == 10 }%\n");
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_NE(r.out.find("pd_unsup_python.pkt:8: unsupported: %{ }% field tcpi_snd_cwnd"), std::string::npos) << r.out;
  r = script("pd_unsup_option", "--so_filename=x.so\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_NE(r.out.find("unsupported: option --so_filename"), std::string::npos) << r.out;
  r = script("pd_unsup_icmp", "0 < icmp unreachable port_unreachable [1:1(0)]\n");
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_NE(r.out.find("unsupported: 'icmp' packets"), std::string::npos) << r.out;
}

TEST(ToeSimScript, BadSyntaxAndUnknownOptionsExitTwo) {
  SimResult r = script("pd_bad_option", "--no_such_option=1\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("pd_bad_option.pkt:1: cannot parse '--no_such_option=1': unknown option --no_such_option"),
            std::string::npos) << r.out;
  r = script("pd_bad_range", "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0~+1 listen(3, 1) = 0\n");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("pd_bad_range.pkt:2: cannot parse"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("time range can only be used with outbound packets"), std::string::npos) << r.out;
}

TEST(ToeSimScript, OptionsAreComparedInOrderWithTheirNops) {
  // The engine sends <mss 1460,nop,wscale 7>; the same options in another layout do not match.
  const std::string open = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 bind(3, ..., ...) = 0\n+0 listen(3, 1) = 0\n"
                           "+0 < S 0:0(0) win 8192 <mss 1460,sackOK,nop,nop,nop,wscale 7>\n";
  SimResult r = script("pd_opts_ok", open + "+0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 7>\n");
  EXPECT_EQ(r.status, 0) << r.out;
  r = script("pd_opts_order", open + "+0 > S. 0:0(0) ack 1 <nop,wscale 7,mss 1460>\n");
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("got S. 0:0(0) ack 1 <mss 1460,nop,wscale 7>"), std::string::npos) << r.out;
  r = script("pd_opts_none", open + "+0 > S. 0:0(0) ack 1\n");  // none written: none expected
  EXPECT_EQ(r.status, 1) << r.out;
  r = script("pd_opts_any", open + "+0 > S. 0:0(0) ack 1 <...>\n");
  EXPECT_EQ(r.status, 0) << r.out;
}

TEST(ToeSimScript, TimingIsCheckedBothWays) {
  // The engine ACKs at once: expected 20 ms later, that is early.
  SimResult r = script("pd_early", std::string(kAccepted) + "+.001 < P. 1:11(10) ack 1 win 8192\n+.02 > . 1:1(0) ack 11\n");
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("pd_early.pkt:9: timing error: expected > . 1:1(0) ack 11 at 0.022"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("tolerance 0.004000 s"), std::string::npos) << r.out;  // packetdrill's default
  // A range that holds it, and --tolerance_usecs wide enough.
  r = script("pd_range", std::string(kAccepted) + "+.001 < P. 1:11(10) ack 1 win 8192\n+0~+.02 > . 1:1(0) ack 11\n");
  EXPECT_EQ(r.status, 0) << r.out;
  // Spaces around the ~ (the kernel's selftests write "+.02 ~ +1.1").
  r = script("pd_range_spaced", std::string(kAccepted) + "+.001 < P. 1:11(10) ack 1 win 8192\n+0 ~ +.02 > . 1:1(0) ack 11\n");
  EXPECT_EQ(r.status, 0) << r.out;
  r = script("pd_tolerance", "--tolerance_usecs=25000\n" + std::string(kAccepted) +
                                 "+.001 < P. 1:11(10) ack 1 win 8192\n+.02 > . 1:1(0) ack 11\n");
  EXPECT_EQ(r.status, 0) << r.out;
}

TEST(ToeSimScript, SegmentsCoalesceUnlessStrict) {
  // 3000 bytes leave as MSS-sized segments; one expected segment stands for them.
  const std::string body = std::string(kAccepted) + "+0 write(4, ..., 3000) = 3000\n+0 > P. 1:3001(3000) ack 1\n";
  SimResult r = script("pd_coalesce", body);
  EXPECT_EQ(r.status, 0) << r.out;
  r = script("pd_strict", "--strict_segments\n" + body);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("got . 1:1461(1460) ack 1"), std::string::npos) << r.out;
}

TEST(ToeSimScript, ErrnoValuesAreChecked) {
  SimResult r = script("pd_errno", std::string(kAccepted) + "+0 fcntl(4, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
                                                           "+0 read(4, ..., 10) = -1 ECONNRESET\n");
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("pd_errno.pkt:9: expected read(4, ..., 10) = -1 ECONNRESET, got -1 EAGAIN"), std::string::npos)
      << r.out;
}

TEST(ToeSimScript, HostConfigurationIsAppliedOrReportedIgnored) {
  // tcp_rmem's largest buffer sets the window scale as Linux derives it (15 MB: 8).
  const std::string text = "`sysctl -q net.ipv4.tcp_rmem=\"4096 540000 $((15*1024*1024))\"; sysctl -q net.ipv4.tcp_sack=1`\n"
                           "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 bind(3, ..., ...) = 0\n+0 listen(3, 1) = 0\n"
                           "+0 < S 0:0(0) win 8192 <mss 1460,nop,wscale 7>\n+0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 8>\n";
  SimResult r = script("pd_host", text);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("receive window scale 8"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ignored (no engine equivalent): net.ipv4.tcp_sack=1"), std::string::npos) << r.out;
}

TEST(ToeSimScript, PythonBlocksAssertOnTheEngineState) {
  SimResult r = script("pd_code_ok", std::string(kAccepted) +
                                         "+0 %{\n  assert tcpi_state == TCP_ESTABLISHED, tcpi_state\n  assert tcpi_snd_mss == 1460\n}%\n");
  EXPECT_EQ(r.status, 0) << r.out;
  r = script("pd_code_fail", std::string(kAccepted) + "+0 %{ assert tcpi_state == TCP_CLOSE_WAIT, tcpi_state }%\n");
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("pd_code_fail.pkt:8: %{ }% assertion failed: 1 ("), std::string::npos) << r.out;
}

TEST(ToeSimScript, RetransmissionTimerFieldsComeFromTheSlowPath) {
  // 10 bytes never acknowledged: the slow path's timer fires at RTO 1 s, then backs off to 2 s.
  SimResult r = script("pd_code_rto", std::string(kAccepted) +
                                          "+0 %{ assert tcpi_rto == 1000000, tcpi_rto }%\n"
                                          "+0 write(4, ..., 10) = 10\n"
                                          "+0 > P. 1:11(10) ack 1\n"
                                          "+1 > P. 1:11(10) ack 1\n"
                                          "+.1 %{\n  assert tcpi_retransmits == 1, tcpi_retransmits\n"
                                          "  assert tcpi_rto == 2000000, tcpi_rto\n}%\n");
  EXPECT_EQ(r.status, 0) << r.out;
  r = script("pd_code_rto_bad", std::string(kAccepted) + "+0 %{ assert tcpi_retransmits == 1 }%\n");
  EXPECT_EQ(r.status, 1) << r.out;
}

TEST(ToeSimScript, SystemCallsGoThroughTheHostDriver) {
  // 3000 bytes in and 4000 out: each byte crosses the device's buffer windows on the host
  // port (one 32-bit access per word), so the driver's bus accesses are at least (3000 + 4000) / 4.
  const std::string stats = out_path("pd_driver.json");
  SimResult r = script("pd_driver",
                       std::string(kAccepted) +
                           "+0 < . 1:1001(1000) ack 1 win 65535\n+0 > . 1:1(0) ack 1001\n"
                           "+0 < . 1001:2001(1000) ack 1 win 65535\n+0 > . 1:1(0) ack 2001\n"
                           "+0 < P. 2001:3001(1000) ack 1 win 65535\n+0 > . 1:1(0) ack 3001\n"
                           "+0 read(4, ..., 5000) = 3000\n"
                           "+0 write(4, ..., 4000) = 4000\n"
                           "+0 > . 1:1461(1460) ack 3001\n+0 > . 1461:2921(1460) ack 3001\n"
                           "+0 > P. 2921:4001(1080) ack 3001\n",
                       "--stats '" + stats + "'");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = read_json(stats);
  ASSERT_TRUE(j.is_object()) << stats;
  EXPECT_GE(j["host_bus_accesses"].get<uint64_t>(), (3000u + 4000u) / 4) << j.dump(2);
  EXPECT_EQ(j["counters"]["frames_in"], 5) << j.dump(2);  // SYN, ACK and the three data segments
  EXPECT_EQ(j["engine"], expected_engine());
}

TEST(ToeSimScript, HandshakeFieldsComeFromTheDevice) {
  // CONN_OPTS through toe_conn_info: the peer's MSS (1200) under the engine's 1460, both scales.
  SimResult r = script("pd_conn_opts",
                       "0 socket(..., SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_TCP) = 3\n"
                       "+0 connect(3, ..., ...) = -1 EINPROGRESS\n"
                       "+0 > S 0:0(0) <mss 1460,nop,wscale 7>\n"
                       "+0 < S. 0:0(0) ack 1 win 65535 <mss 1200,nop,wscale 3>\n"
                       "+0 > . 1:1(0) ack 1\n"
                       "+0 getsockopt(3, IPPROTO_TCP, TCP_MAXSEG, [1200], [4]) = 0\n"
                       "+0 %{\n  assert tcpi_snd_mss == 1200, tcpi_snd_mss\n  assert tcpi_snd_wscale == 3\n"
                       "  assert tcpi_rcv_wscale == 7\n  assert tcpi_options == TCPI_OPT_WSCALE\n}%\n");
  EXPECT_EQ(r.status, 0) << r.out;
  r = script("pd_conn_opts_bad", "0 socket(..., SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_TCP) = 3\n"
                                 "+0 connect(3, ..., ...) = -1 EINPROGRESS\n"
                                 "+0 > S 0:0(0) <...>\n"
                                 "+0 < S. 0:0(0) ack 1 win 65535 <mss 1200>\n"
                                 "+0 > . 1:1(0) ack 1\n"
                                 "+0 getsockopt(3, IPPROTO_TCP, TCP_MAXSEG, [1460], [4]) = 0\n");
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("got TCP_MAXSEG [1200]"), std::string::npos) << r.out;
}

TEST(ToeSimScript, AccEcnFlagsAreWrittenAndCompared) {
  // The peer's AE bit (flag A, ACE digits) goes on the wire; the engine, without AccECN, never
  // sets it, so an expected A fails naming what came.
  const std::string head = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 bind(3, ..., ...) = 0\n"
                           "+0 listen(3, 1) = 0\n+0 < SEWA 0:0(0) win 8192 <mss 1460>\n"
                           "+0 > S. 0:0(0) ack 1 <mss 1460>\n+.001 < .5 1:1(0) ack 1 win 8192\n"
                           "+0 accept(3, ..., ...) = 4\n+0 < P.1 1:11(10) ack 1 win 8192\n";
  SimResult r = script("pd_ae_ok", head + "+0 > . 1:1(0) ack 11\n");
  EXPECT_EQ(r.status, 0) << r.out;
  r = script("pd_ae_expected", head + "+0 > .A 1:1(0) ack 11\n");
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("pd_ae_expected.pkt:9: expected > .A 1:1(0) ack 11, got . 1:1(0) ack 11"), std::string::npos)
      << r.out;
  r = script("pd_ae_bad", "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 listen(3, 1) = 0\n"
                          "+0 < SE4 0:0(0) win 8192\n");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("an ACE digit and E, W or A together"), std::string::npos) << r.out;
}
