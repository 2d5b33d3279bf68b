// SPDX-License-Identifier: Apache-2.0
// The firmware on a real RV32 core: a Verilated PicoRV32 (rv32im) running the firmware image
// against the Verilated toe_engine, on one clock (sim/rv32soc, toe::rv32soc::Rv32Soc). Labels
// firmware;rtl.
//
//   Rv32Soc.SelfTestProgram         the harness from the core's side (rv32/soc_selftest.c): the
//                                   port answers, BUS_ERR counts refusals (a read-only store, byte
//                                   and halfword stores outside TX_FRAME, a hole) and clears on
//                                   read, byte stores into TX_FRAME are taken and the frame leaves
//                                   the engine byte-exact, INTR, TIME, MUL/DIV, CONSOLE, EXIT
//   Rv32Soc.UnmappedAccessStops, StoreToFlashStops, TrapStops, CycleLimitStops
//                                   hand-assembled programs: the run stops with a clear error,
//                                   never hangs
//   FwRv32.Boots                    the image's self-test passes and toe_fw_init succeeds
//                                   (console), no refused access
//   FwRv32.ArpRequestAnswered       an ARP request for the engine's address: the reply, byte for
//                                   byte
//   FwRv32.PingAnswered             an ICMP echo request: the reply byte for byte (same payload,
//                                   both checksums verify)
//   FwRv32Fast.WholeConnectionWithALossAndTimeWait
//                                   time at 100 us a clock: handshake, 100 bytes whose first
//                                   transmission is lost and sent again by the firmware's timer,
//                                   the host's close, the peer's FIN, TIME_WAIT freed by the
//                                   firmware after 2*MSL (120 s)
//   FwRv32.SynAckRetransmittedAfterOneSecond
//                                   a SYN to the listener: SYN-ACK; no ACK: the firmware's timer
//                                   sends it again 1 s later (initial RTO), so CTRL.EVQ_EN is set
//                                   (the retx_arm went to the firmware, not to evt_*); the ACK
//                                   establishes the connection, no further retransmission
// FwRv32.* skip when the build has no firmware image (global property TOE_FW_PICORV32_BIN), the
// self-test when riscv64-unknown-elf-gcc is missing. Every run prints its cycles, wall time and
// cycles per second.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <vector>

#include "Vpicorv32.h"
#include "engine_lockstep.hpp"  // configured(), tcp_frame(), kPeerIp, kPeerMac: the lockstep tests' engine
#include "rv32_soc.hpp"
#include "toe/net/codec.hpp"
#include "toe_defs.h"
#include "toe_fw_regs.h"
#include "toe_regs.h"

namespace {

using toe::rv32soc::Rv32Soc;
using toe::rv32soc::RunState;
namespace net = toe::net;
namespace eng = toe::lockstep::engine;

// The SoC clock as the firmware sees it (TIME_LO/HI): 1 cycle per microsecond, the slowest the
// harness offers. Core and engine together simulate at about 10^5 clocks per second on this
// machine (each run prints its rate; the Verilated engine's eval is nearly all of it), and the
// retransmission test has to wait for the initial RTO, 1 s of SoC time: 10^6 clocks, ~10 s of wall
// time; at 100 cycles/us it would be 1000 s. The firmware does not mind: PicoRV32 takes about 4
// clocks an instruction (a firmware port access 2 more), so a pass of its poll loop costs well
// under a millisecond of SoC time even at this clock, small against the 1 s being measured.
constexpr uint32_t kCyclesPerUs = 1;

// Prints what a run cost when it goes out of scope.
class RunReport {
 public:
  RunReport(const Rv32Soc& soc, std::string name)
      : soc_(soc), name_(std::move(name)), c0_(soc.cycles()), t0_(std::chrono::steady_clock::now()) {}
  ~RunReport() {
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    const uint64_t n = soc_.cycles() - c0_;
    std::printf("[ rv32soc ] %s: %llu cycles (%.3f s of SoC time at %u cycles/us, %u us/cycle), %llu instructions fetched, "
                "%.2f s wall, %.0f cycles/s\n",
                name_.c_str(), static_cast<unsigned long long>(n),
                double(n) * soc_.us_per_cycle() / soc_.cycles_per_us() / 1e6,
                soc_.cycles_per_us(), soc_.us_per_cycle(), static_cast<unsigned long long>(soc_.counters().fetches), wall,
                wall > 0 ? double(n) / wall : 0.0);
  }

 private:
  const Rv32Soc& soc_;
  std::string name_;
  uint64_t c0_;
  std::chrono::steady_clock::time_point t0_;
};

std::vector<uint8_t> image_of(std::initializer_list<uint32_t> words) {
  std::vector<uint8_t> img;
  for (uint32_t w : words)
    for (int i = 0; i < 4; ++i) img.push_back(uint8_t(w >> (8 * i)));
  return img;
}

// ---- the harness -----------------------------------------------------------------------------

// rv32/soc_selftest.c's frame: 61 bytes, byte i = 7i + 3.
constexpr size_t kSelfTestFrameLen = 61;

TEST(Rv32Soc, SelfTestProgram) {
#ifndef TOE_RV32_SELFTEST_BIN
  GTEST_SKIP() << "no riscv64-unknown-elf-gcc in this build: rv32/soc_selftest.c not built";
#else
  Rv32Soc soc(10);
  std::string err;
  ASSERT_TRUE(soc.load_image_file(TOE_RV32_SELFTEST_BIN, &err)) << err;
  RunReport report(soc, "soc_selftest");
  // The engine enabled (a frame from TX_FRAME leaves only then), nothing else configured.
  ASSERT_TRUE(soc.host_write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK));
  soc.start();
  soc.step(2000000);
  ASSERT_EQ(soc.state(), RunState::kExited) << soc.error() << "\nconsole:\n" << soc.console();
  EXPECT_EQ(soc.exit_code(), 0) << soc.console();
  EXPECT_NE(soc.console().find("soc self-test passed\n"), std::string::npos) << soc.console();
  EXPECT_EQ(soc.counters().port_errors, 4u) << "a read-only store, a byte store, a halfword store, a hole";
  // The frame the core wrote a byte at a time.
  ASSERT_EQ(soc.tx_frames().size(), 1u);
  std::vector<uint8_t> want(kSelfTestFrameLen);
  for (size_t i = 0; i < want.size(); ++i) want[i] = uint8_t(i * 7 + 3);
  EXPECT_EQ(soc.tx_frames()[0].data, want);
  EXPECT_GT(soc.counters().port_writes, kSelfTestFrameLen);
  // The engine's own count of refusals agrees (its firmware port's BUS_ERRORS is not readable from
  // the host: the core's BUS_ERR reads above checked it).
  EXPECT_EQ(soc.host_read(TOE_REG_BUS_ERRORS_OFFSET), 0u) << "the host port counts its own";
#endif
}

// Hand-assembled: lui a0, 0x50000; lw a1, 0(a0).
TEST(Rv32Soc, UnmappedAccessStops) {
  Rv32Soc soc(1);
  ASSERT_TRUE(soc.load_image(image_of({0x50000537u, 0x00052583u, 0x0000006Fu})));
  soc.start();
  EXPECT_EQ(soc.step(1000), RunState::kError);
  EXPECT_NE(soc.error().find("load at the unmapped address 0x50000000"), std::string::npos) << soc.error();
  EXPECT_NE(soc.error().find("last instruction fetches 0x00000004, 0x00000008"), std::string::npos) << soc.error();
  EXPECT_EQ(soc.step(10), RunState::kError) << "stays stopped";
  // The engine is still there for the host.
  bool err = true;
  EXPECT_EQ(soc.host_read(TOE_REG_CTRL_OFFSET, &err), 0u);
  EXPECT_FALSE(err);
}

// sw a1, 0(zero): a store to flash.
TEST(Rv32Soc, StoreToFlashStops) {
  Rv32Soc soc(1);
  ASSERT_TRUE(soc.load_image(image_of({0x00B02023u, 0x0000006Fu})));
  soc.start();
  EXPECT_EQ(soc.step(1000), RunState::kError);
  EXPECT_NE(soc.error().find("store to flash at 0x00000000"), std::string::npos) << soc.error();
}

// An all-zero word is an illegal instruction: PicoRV32 traps (no IRQ support built in).
TEST(Rv32Soc, TrapStops) {
  Rv32Soc soc(1);
  ASSERT_TRUE(soc.load_image(image_of({0x00000013u /* nop */, 0x00000000u})));
  soc.start();
  EXPECT_EQ(soc.step(1000), RunState::kError);
  EXPECT_NE(soc.error().find("trapped"), std::string::npos) << soc.error();
}

// j . forever: the cycle limit ends it.
TEST(Rv32Soc, CycleLimitStops) {
  Rv32Soc soc(1);
  ASSERT_TRUE(soc.load_image(image_of({0x0000006Fu})));
  soc.set_cycle_limit(5000);
  soc.start();
  EXPECT_EQ(soc.step(100000), RunState::kCycleLimit);
  EXPECT_EQ(soc.cycles(), 5000u);
  EXPECT_NE(soc.error().find("cycle limit 5000"), std::string::npos) << soc.error();
  EXPECT_GT(soc.counters().fetches, 500u);
}

// ---- the firmware image ----------------------------------------------------------------------

const net::MacAddr kBroadcast{{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}};

class FwRv32 : public ::testing::Test {
 protected:
  void SetUp() override {
#ifndef TOE_FW_PICORV32_BIN
    GTEST_SKIP() << "no firmware image in this build (global property TOE_FW_PICORV32_BIN)";
#else
    soc_ = std::make_unique<Rv32Soc>(kCyclesPerUs);
    soc_->set_us_per_cycle(us_per_cycle_);
    std::string err;
    ASSERT_TRUE(soc_->load_image_file(TOE_FW_PICORV32_BIN, &err)) << err;
    report_ = std::make_unique<RunReport>(*soc_, ::testing::UnitTest::GetInstance()->current_test_info()->name());
    // The host's part, before the microcontroller boots: the engine's addresses and parameters,
    // enabled (fixed ISN), a listener on port 80.
    cfg_ = eng::configured();
    soc_->program_engine(cfg_);
    ASSERT_TRUE(soc_->host_write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_SOFT_RESET_MASK |
                                                          TOE_REG_CTRL_FIXED_ISN_EN_MASK));
    ASSERT_TRUE(soc_->host_write(TOE_REG_CMD_PORTS_OFFSET, 80));
    ASSERT_TRUE(soc_->host_write(TOE_REG_CMD_OFFSET, TOE_CMD_LISTEN));
    soc_->start();
    const uint64_t boot_start = soc_->cycles();
    ASSERT_TRUE(soc_->run_until([&] { return soc_->console().find(" sessions)\n") != std::string::npos; },
                                20000000))
        << to_string(soc_->state()) << " " << soc_->error() << "\nconsole:\n" << soc_->console();
    boot_cycles_ = soc_->cycles() - boot_start;
#endif
  }
  void TearDown() override {
    if (soc_ && HasFailure()) std::printf("console:\n%s\n", soc_->console().c_str());
    report_.reset();
  }

  // Runs until the engine has sent `n` frames more than `before`; false if the run stopped or
  // `max_us` of SoC time passed.
  bool await_tx(size_t before, size_t n, uint64_t max_us) {
    return soc_->run_until([&] { return soc_->tx_frames().size() >= before + n; },
                           max_us * soc_->cycles_per_us() / soc_->us_per_cycle() + 1);
  }

  uint32_t conn_state(uint32_t conn) {
    soc_->host_write(TOE_REG_CONN_SEL_OFFSET, conn);
    return soc_->host_read(TOE_REG_CONN_STATE_OFFSET) & TOE_REG_CONN_STATE_STATE_MASK;
  }

  std::unique_ptr<Rv32Soc> soc_;
  std::unique_ptr<RunReport> report_;
  eng::EngineConfig cfg_;
  uint64_t boot_cycles_ = 0;
  uint32_t us_per_cycle_ = 1;  // Rv32Soc::set_us_per_cycle, before the boot
};

// Time 100 times faster than the clock (100 us a clock): TIME_WAIT's 2*MSL (120 s) in 1.2e6 clocks.
class FwRv32Fast : public FwRv32 {
 protected:
  FwRv32Fast() { us_per_cycle_ = 100; }
};

TEST_F(FwRv32, Boots) {
  const std::string& con = soc_->console();
  EXPECT_NE(con.find("toe_fw: self-test passed ("), std::string::npos) << con;
  EXPECT_NE(con.find("toe_fw: running (16 sessions)\n"), std::string::npos) << con;
  // The ISN key from the SoC's SEED register (the RTL's ISN_KEY; the XOR itself is checked in
  // lockstep by test_engine_fw_port).
  EXPECT_NE(con.find("toe_fw: ISN key written from the seed source\n"), std::string::npos) << con;
  EXPECT_EQ(con.find("FAIL"), std::string::npos) << con;
  EXPECT_EQ(soc_->state(), RunState::kRunning) << soc_->error();
  EXPECT_EQ(soc_->counters().port_errors, 0u) << "no access refused while booting";
  std::printf("[ rv32soc ] boot: %llu cycles (%.1f ms of SoC time), %llu instructions fetched, "
              "%llu port reads, %llu port writes\n",
              static_cast<unsigned long long>(boot_cycles_), double(boot_cycles_) / kCyclesPerUs / 1e3,
              static_cast<unsigned long long>(soc_->counters().fetches),
              static_cast<unsigned long long>(soc_->counters().port_reads),
              static_cast<unsigned long long>(soc_->counters().port_writes));
  // Idle, it keeps polling without touching anything it should not.
  soc_->step(100000);
  EXPECT_EQ(soc_->state(), RunState::kRunning) << soc_->error();
  EXPECT_TRUE(soc_->tx_frames().empty());
  EXPECT_EQ(soc_->counters().port_errors, 0u);
}

TEST_F(FwRv32, ArpRequestAnswered) {
  net::EthHeader eth;
  eth.dst = kBroadcast;
  eth.src = eng::kPeerMac;
  eth.ethertype = net::kEtherTypeArp;
  net::ArpPacket req;
  req.oper = 1;
  req.sha = eng::kPeerMac;
  req.spa = eng::kPeerIp;
  req.tpa = cfg_.local_ip;
  const uint64_t pushed = soc_->cycles();
  soc_->push_rx_frame(net::build_arp_frame(eth, req));
  ASSERT_TRUE(await_tx(0, 1, 100000)) << soc_->error();
  // Ethernet to the asker from us, ARP reply: sha/spa ours, tha/tpa the asker's, padded to 60.
  const std::vector<uint8_t> want = {
      0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0x09,  0x02, 0x11, 0x22, 0x33, 0x44, 0x55,  0x08, 0x06,  // Ethernet
      0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02,                                         // reply
      0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0xC0, 0xA8, 0x01, 0x02,                             // sha, spa
      0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0x09, 0xC0, 0xA8, 0x01, 0x09,                             // tha, tpa
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};                                  // padding
  ASSERT_EQ(soc_->tx_frames().size(), 1u);
  EXPECT_EQ(soc_->tx_frames()[0].data, want);
  std::printf("[ rv32soc ] ARP reply %.1f us after the request\n",
              double(soc_->tx_frames()[0].cycle - pushed) / kCyclesPerUs);
  // A request for another address: nothing.
  req.tpa = cfg_.local_ip + 1;
  soc_->push_rx_frame(net::build_arp_frame(eth, req));
  soc_->step(100000);
  EXPECT_EQ(soc_->tx_frames().size(), 1u);
  EXPECT_EQ(soc_->state(), RunState::kRunning) << soc_->error();
  EXPECT_EQ(soc_->counters().port_errors, 0u);
}

// An ICMP echo message over IPv4 in Ethernet, both checksums computed with toe_net's checksum
// (as tests/firmware/test_fw_model.cpp builds them).
std::vector<uint8_t> icmp_echo(uint8_t type, uint16_t id, uint16_t seq, const std::vector<uint8_t>& data,
                               const net::MacAddr& dmac, const net::MacAddr& smac, uint32_t src, uint32_t dst,
                               uint16_t ip_id, uint16_t flags, uint8_t ttl) {
  std::vector<uint8_t> f(14 + 20 + 8 + data.size());
  for (size_t i = 0; i < 6; ++i) {
    f[i] = dmac.b[i];
    f[6 + i] = smac.b[i];
  }
  f[12] = 0x08;
  f[13] = 0x00;
  uint8_t* ip = f.data() + 14;
  const size_t total = 20 + 8 + data.size();
  ip[0] = 0x45;
  ip[2] = uint8_t(total >> 8);
  ip[3] = uint8_t(total);
  ip[4] = uint8_t(ip_id >> 8);
  ip[5] = uint8_t(ip_id);
  ip[6] = uint8_t(flags >> 8);
  ip[7] = uint8_t(flags);
  ip[8] = ttl;
  ip[9] = net::kIpProtoIcmp;
  for (int i = 0; i < 4; ++i) {
    ip[12 + i] = uint8_t(src >> (24 - 8 * i));
    ip[16 + i] = uint8_t(dst >> (24 - 8 * i));
  }
  const uint16_t ipsum = net::csum_fold(net::csum_add(0, ip, 20));
  ip[10] = uint8_t(ipsum >> 8);
  ip[11] = uint8_t(ipsum);
  uint8_t* icmp = ip + 20;
  icmp[0] = type;
  icmp[4] = uint8_t(id >> 8);
  icmp[5] = uint8_t(id);
  icmp[6] = uint8_t(seq >> 8);
  icmp[7] = uint8_t(seq);
  std::copy(data.begin(), data.end(), icmp + 8);
  const uint16_t sum = net::csum_fold(net::csum_add(0, icmp, 8 + data.size()));
  icmp[2] = uint8_t(sum >> 8);
  icmp[3] = uint8_t(sum);
  if (f.size() < 60) f.resize(60, 0);
  return f;
}

TEST_F(FwRv32, PingAnswered) {
  std::vector<uint8_t> data(56);
  for (size_t i = 0; i < data.size(); ++i) data[i] = uint8_t(i * 13 + 5);
  soc_->push_rx_frame(icmp_echo(8, 0x1234, 1, data, cfg_.local_mac, eng::kPeerMac, eng::kPeerIp, cfg_.local_ip,
                                0x4321, 0x4000, 17));
  ASSERT_TRUE(await_tx(0, 1, 100000)) << soc_->error();
  const std::vector<uint8_t>& got = soc_->tx_frames()[0].data;
  // The reply: addresses swapped, type 0, the same identifier, sequence and data; the firmware's
  // own IPv4 header (identification 0 for its first datagram, no flags, TTL 64).
  const std::vector<uint8_t> want =
      icmp_echo(0, 0x1234, 1, data, eng::kPeerMac, cfg_.local_mac, cfg_.local_ip, eng::kPeerIp, 0, 0, 64);
  EXPECT_EQ(got, want);
  ASSERT_GE(got.size(), 14u + 20 + 8 + data.size());
  EXPECT_EQ(net::csum_fold(net::csum_add(0, got.data() + 14, 20)), 0u) << "IPv4 header checksum";
  EXPECT_EQ(net::csum_fold(net::csum_add(0, got.data() + 34, 8 + data.size())), 0u) << "ICMP checksum";
  EXPECT_TRUE(std::equal(data.begin(), data.end(), got.begin() + 42)) << "the same payload";
  EXPECT_EQ(soc_->counters().port_errors, 0u);
}

TEST_F(FwRv32, SynAckRetransmittedAfterOneSecond) {
  soc_->push_rx_frame(eng::tcp_frame(cfg_, cfg_.local_ip, 40100, 7000, 0, net::kSyn));
  ASSERT_TRUE(await_tx(0, 1, 100000)) << soc_->error();
  net::Frame a;
  ASSERT_EQ(net::parse_frame(soc_->tx_frames()[0].data, a), net::ParseError::kOk);
  ASSERT_TRUE(a.has_tcp);
  EXPECT_EQ(a.tcp.flags, net::kSyn | net::kAck);
  EXPECT_EQ(a.tcp.seq, cfg_.fixed_isn);
  EXPECT_EQ(a.tcp.ack, 7001u);
  const uint64_t first = soc_->tx_frames()[0].cycle;
  // No ACK: the firmware's retransmission timer (initial RTO 1 s) sends the SYN-ACK again.
  ASSERT_TRUE(await_tx(0, 2, 1500000)) << to_string(soc_->state()) << " " << soc_->error();
  net::Frame b;
  ASSERT_EQ(net::parse_frame(soc_->tx_frames()[1].data, b), net::ParseError::kOk);
  ASSERT_TRUE(b.has_tcp);
  EXPECT_EQ(b.tcp.flags, net::kSyn | net::kAck);
  EXPECT_EQ(b.tcp.seq, a.tcp.seq);
  EXPECT_EQ(b.tcp.ack, a.tcp.ack);
  const double after_s = double(soc_->tx_frames()[1].cycle - first) / kCyclesPerUs / 1e6;
  std::printf("[ rv32soc ] SYN-ACK retransmitted %.6f s after the first\n", after_s);
  EXPECT_GE(after_s, 1.0);
  EXPECT_LT(after_s, 1.05) << "the firmware's reaction to retx_arm and to its deadline: milliseconds";
  // The retransmission timer ran on the firmware's queue (CTRL.EVQ_EN = 1): nothing on evt_*.
  EXPECT_TRUE(soc_->stream_events().empty()) << soc_->stream_events().size() << " events on evt_*, the first type "
                                              << int(soc_->stream_events().empty() ? 0 : soc_->stream_events()[0].type);
  // The peer's ACK establishes the connection.
  soc_->push_rx_frame(eng::tcp_frame(cfg_, cfg_.local_ip, 40100, 7001, cfg_.fixed_isn + 1, net::kAck));
  soc_->step(20000);
  uint32_t established = 0;
  for (uint32_t c = 0; c < eng::kSessions; ++c)
    if (conn_state(c) == TOE_STATE_ESTABLISHED) ++established;
  EXPECT_EQ(established, 1u);
  // Nothing more is sent meanwhile (the next retransmission would be due 2 s after the last: not
  // waited for, it would cost 20 s of wall time).
  soc_->step(200000);
  EXPECT_EQ(soc_->tx_frames().size(), 2u);
  EXPECT_EQ(soc_->state(), RunState::kRunning) << soc_->error();
  EXPECT_EQ(soc_->counters().port_errors, 0u);
}

// A whole connection on the core: handshake; 100 bytes from the host, the first transmission
// "lost" (not acknowledged) and sent again by the firmware's retransmission timer; the host
// closes first, the peer's FIN puts the engine in TIME_WAIT, and the firmware's 2*MSL timer
// (120 s with the default MSL) frees the connection.
TEST_F(FwRv32Fast, WholeConnectionWithALossAndTimeWait) {
  auto parsed = [&](size_t i) {
    net::Frame f;
    EXPECT_EQ(net::parse_frame(soc_->tx_frames()[i].data, f), net::ParseError::kOk);
    return f;
  };
  auto at_s = [&](size_t i) { return double(soc_->tx_frames()[i].cycle) * soc_->us_per_cycle() / 1e6; };
  const uint32_t isn = cfg_.fixed_isn;
  soc_->push_rx_frame(eng::tcp_frame(cfg_, cfg_.local_ip, 40200, 7000, 0, net::kSyn));
  ASSERT_TRUE(await_tx(0, 1, 1000000)) << soc_->error();
  EXPECT_EQ(parsed(0).tcp.flags, net::kSyn | net::kAck);
  soc_->push_rx_frame(eng::tcp_frame(cfg_, cfg_.local_ip, 40200, 7001, isn + 1, net::kAck));
  soc_->step(2000);
  uint32_t conn = eng::kSessions;
  for (uint32_t c = 0; c < eng::kSessions; ++c)
    if (conn_state(c) == TOE_STATE_ESTABLISHED) conn = c;
  ASSERT_LT(conn, eng::kSessions);
  // 100 bytes (byte i = i * 7 + 3) through the transmit window, then tx_push.
  soc_->host_write(TOE_REG_CONN_SEL_OFFSET, conn);
  for (uint32_t w = 0; w < 100; w += 4) {
    uint32_t v = 0;
    for (uint32_t i = 0; i < 4; ++i) v |= uint32_t(((w + i) * 7 + 3) & 0xFF) << (8 * i);
    soc_->host_write(TOE_REG_TX_WINDOW_BASE + w, v);
  }
  soc_->host_write(TOE_REG_CMD_VALUE_OFFSET, 100);
  soc_->host_write(TOE_REG_CMD_OFFSET, TOE_CMD_TX_PUSH);
  const size_t first = soc_->tx_frames().size();
  ASSERT_TRUE(await_tx(first, 1, 1000000)) << soc_->error();
  const net::Frame d = parsed(first);
  ASSERT_EQ(d.payload_len, 100u);
  EXPECT_EQ(d.tcp.seq, isn + 1);
  for (size_t i = 0; i < 100; ++i) ASSERT_EQ(d.payload[i], uint8_t(i * 7 + 3)) << "byte " << i;
  // Lost: no ACK. The firmware's timer sends it again after the RTO (at least the 1 s floor).
  ASSERT_TRUE(await_tx(first, 2, 10000000)) << to_string(soc_->state()) << " " << soc_->error();
  const net::Frame r = parsed(first + 1);
  EXPECT_EQ(r.tcp.seq, d.tcp.seq);
  EXPECT_EQ(r.payload_len, 100u);
  const double rto = at_s(first + 1) - at_s(first);
  std::printf("[ rv32soc ] data retransmitted %.3f s after the first transmission\n", rto);
  EXPECT_GE(rto, 1.0);
  EXPECT_LT(rto, 5.0);
  soc_->push_rx_frame(eng::tcp_frame(cfg_, cfg_.local_ip, 40200, 7001, isn + 101, net::kAck));
  soc_->step(2000);
  // The host closes: FIN; the peer ACKs it and sends its own: TIME_WAIT, our ACK.
  const size_t before_fin = soc_->tx_frames().size();
  soc_->host_write(TOE_REG_CONN_SEL_OFFSET, conn);
  soc_->host_write(TOE_REG_CMD_OFFSET, TOE_CMD_CLOSE);
  ASSERT_TRUE(await_tx(before_fin, 1, 1000000)) << soc_->error();
  const net::Frame fin = parsed(before_fin);
  EXPECT_EQ(fin.tcp.flags & net::kFin, net::kFin);
  EXPECT_EQ(fin.tcp.seq, isn + 101);
  soc_->push_rx_frame(eng::tcp_frame(cfg_, cfg_.local_ip, 40200, 7001, isn + 102, net::kAck | net::kFin));
  ASSERT_TRUE(await_tx(before_fin, 2, 1000000)) << soc_->error();
  EXPECT_EQ(parsed(before_fin + 1).tcp.ack, 7002u) << "the ACK of the peer's FIN";
  ASSERT_EQ(conn_state(conn), uint32_t(TOE_STATE_TIME_WAIT));
  const uint64_t entered = soc_->now_us();
  // 2*MSL = 120 s: still in TIME_WAIT just before, CLOSED just after.
  soc_->run_until_us(entered + 119500000);
  EXPECT_EQ(conn_state(conn), uint32_t(TOE_STATE_TIME_WAIT));
  uint64_t closed_at = 0;
  for (int i = 0; i < 2000 && closed_at == 0; ++i) {  // 1 ms steps, at most 2 s
    soc_->run_until_us(soc_->now_us() + 1000);
    if (conn_state(conn) == TOE_STATE_CLOSED) closed_at = soc_->now_us();
  }
  ASSERT_NE(closed_at, 0u) << "TIME_WAIT never expired";
  const double held = double(closed_at - entered) / 1e6;
  std::printf("[ rv32soc ] TIME_WAIT held %.3f s\n", held);
  EXPECT_GE(held, 120.0);
  // Plus the firmware's reaction (reading time_wait_entered, then the poll that finds the deadline
  // due): a few thousand clocks, which at 100 us a clock is some 0.1 s each.
  EXPECT_LT(held, 121.0);
  EXPECT_EQ(soc_->state(), RunState::kRunning) << soc_->error();
  EXPECT_EQ(soc_->counters().port_errors, 0u);
  EXPECT_TRUE(soc_->stream_events().empty());
}

}  // namespace
