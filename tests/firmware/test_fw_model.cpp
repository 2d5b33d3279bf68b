// SPDX-License-Identifier: Apache-2.0
// The firmware (firmware/) against the C++ model of the engine (model::EngineDevice through
// ModelPort: every HAL access a clocked bus cycle on the model's firmware port), the peer's
// frames injected on the model's receive stream and its frames captured off the transmit stream:
//   FwModel.BootsThePort                      TYPE/VERSION/SESSIONS read, EVQ_EN and interrupts on
//   FwModel.SeedKeysTheIsnHash                IS1, RFC 6528: the seed source's key lands in ISN_KEY
//                                             and keys the hash (the SYN-ACK's ISN is the one a
//                                             host ISN_SECRET of that key gives, not the unkeyed one)
//   FwModel.BootStopsOnAFailedSeedSource      an error or an all-zero key: TOE_FW_NO_SEED
//   FwModel.SynAckBacksOffThenGivesUp         HS9/TM2: the SYN-ACK again at 1, 2, 4 ... 32, 60 s,
//                                             give_up at 183 s, the connection freed, no RST
//   FwModel.RttSampleFromACleanHandshake      a 3 ms handshake gives SRTT 3 ms (RFC 6298 2.2)
//   FwModel.KarnNoSampleAfterARetransmission  the SYN-ACK retransmitted: no sample, base RTO 3 s (5.7)
//   FwModel.DelayedAckAfterTheDelay           TM3: ACK_EVERY 2, one segment ACKed 200 ms later
//   FwModel.TimeWaitExpiresAfterTwiceTheMsl   TW1: the engine closes first, CLOSED 2*MSL later
//   FwModel.AckProgressRestartsTheTimer       TM1, RFC 6298 5.3: a partial ACK restarts the
//                                             timer (retransmission 1 s after it, not after the
//                                             send); progress after a timeout clears the backoff
//   FwModel.AckBeyondAGoBackIsAccepted        TM4: data outstanding past a zero window: the
//                                             retransmission is a 1-byte probe (SND.NXT goes
//                                             back), and the peer's ACK of everything ever sent
//                                             (SND.MAX) is taken: timer stopped, no challenge ACK
//   FwModel.ArpRequestAnsweredByteExact       the reply's bytes, padded to 60
//   FwModel.ArpIgnoresOtherTargets            a request for another address: no reply
//   FwModel.ArpResolveRetriesThenNoRoute      request byte-exact, retries, "no route", the hold
//   FwModel.ArpResolveAnsweredAndExpires      a reply resolves; the entry expires
//   FwModel.ArpTableFull                      every entry pending: TOE_FW_FULL
//   FwModel.IcmpEchoReplyByteExact            56, 33 and 1400 data bytes: the replies' bytes and
//                                             both checksums (checked with toe_net's checksum)
//   FwModel.IcmpBadChecksumOrFragmentIgnored  no reply
// Connect by IP address: test_fw_connect.cpp. Binary test_fw_unit (label firmware).
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

#include "fw_model_fixture.hpp"
#include "model_port.hpp"
#include "toe_defs.h"
#include "toe_fw.h"
#include "toe_fw_regs.h"
#include "toe_regs.h"

namespace {

using namespace toe::fw_test;
namespace net = toe::net;

// The fixture FwModel and the frame helpers: fw_model_fixture.hpp.

TEST_F(FwModel, BootsThePort) {
  boot();
  uint32_t v = 0;
  ASSERT_TRUE(port.device().peek_fw_reg(TOE_FW_REG_CTRL_OFFSET, &v));
  EXPECT_EQ(v, TOE_FW_REG_CTRL_EVQ_EN_MASK);
  ASSERT_TRUE(port.device().peek_fw_reg(TOE_FW_REG_INTR_ENABLE_OFFSET, &v));
  EXPECT_EQ(v, TOE_FW_REG_INTR_ENABLE_EVQ_NOT_EMPTY_MASK | TOE_FW_REG_INTR_ENABLE_RXQ_NOT_EMPTY_MASK |
                   TOE_FW_REG_INTR_ENABLE_ARQ_NOT_EMPTY_MASK);
  EXPECT_EQ(fw.port.sessions, 16u);
  EXPECT_EQ(fw.stats.bus_errors, 0u);
  EXPECT_EQ(toe_fw_next_deadline_us(&fw), UINT64_MAX) << "nothing to time";
  toe_fw_config bad = cfg;
  bad.delayed_ack_ms = 0;
  toe_fw other{};
  EXPECT_EQ(toe_fw_init(&other, port.hal(), &bad), TOE_FW_BAD_ARG);
}

// The ISN of the SYN-ACK to the same SYN at the same time, on a fresh engine whose firmware
// booted with `seed` (none if empty) and whose host port's ISN_SECRET is `host_secret`.
uint32_t syn_ack_isn(const std::array<uint32_t, 4>* seed, const std::array<uint32_t, 4>& host_secret,
                     toe_fw_stats* stats = nullptr) {
  ModelPort p;
  if (seed) p.set_seed(*seed);
  p.configure();
  for (uint32_t i = 0; i < 4; ++i) p.host_write(TOE_REG_ISN_SECRET_0_OFFSET + 4 * i, host_secret[i]);
  p.listen(80);
  toe_fw fw{};
  EXPECT_EQ(toe_fw_init(&fw, p.hal(), nullptr), TOE_FW_OK);
  for (uint32_t i = 0; i < 4; ++i) {
    uint32_t v = 0;
    EXPECT_TRUE(p.device().peek_fw_reg(TOE_FW_REG_ISN_KEY_0_OFFSET + 4 * i, &v));
    EXPECT_EQ(v, seed ? (*seed)[i] : 0u) << "ISN_KEY_" << i;
  }
  p.run(fw, 100);
  p.inject(tcp_to_engine(40000, 80, 1000, 0, net::kSyn));
  p.run(fw, 1000);
  net::Frame f;
  EXPECT_FALSE(p.sent.empty());
  if (p.sent.empty() || !is_tcp(p.sent.back(), net::kSyn | net::kAck, &f)) {
    ADD_FAILURE() << "no SYN-ACK";
    return 0;
  }
  if (stats) *stats = fw.stats;
  return f.tcp.seq;
}

TEST_F(FwModel, SeedKeysTheIsnHash) {
  const std::array<uint32_t, 4> key = {0x01234567u, 0x89abcdefu, 0xfedcba98u, 0x76543210u};
  const std::array<uint32_t, 4> zero{}, other = {0x01234567u, 0x89abcdefu, 0xfedcba98u, 0x76543211u};
  toe_fw_stats keyed{}, unkeyed{};
  const uint32_t none = syn_ack_isn(nullptr, zero, &unkeyed);
  const uint32_t fw_key = syn_ack_isn(&key, zero, &keyed);
  const uint32_t host_key = syn_ack_isn(nullptr, key, nullptr);
  EXPECT_EQ(unkeyed.isn_keyed, 0u) << "no seed source: nothing written";
  EXPECT_EQ(keyed.isn_keyed, 1u);
  EXPECT_NE(fw_key, none) << "the firmware's key changed the ISN";
  EXPECT_EQ(fw_key, host_key) << "the key is ISN_SECRET ^ ISN_KEY: the same key from either port";
  // Both halves together: ISN_SECRET = key and ISN_KEY = key cancel out.
  EXPECT_EQ(syn_ack_isn(&key, key, nullptr), none);
  // One key bit differs: another ISN.
  EXPECT_NE(syn_ack_isn(&other, zero, nullptr), fw_key);
}

TEST_F(FwModel, BootStopsOnAFailedSeedSource) {
  port.configure();
  port.set_seed({1, 2, 3, 4}, TOE_FW_BUS_ERROR);
  EXPECT_EQ(toe_fw_init(&fw, port.hal(), &cfg), TOE_FW_NO_SEED);
  port.set_seed({0, 0, 0, 0});
  EXPECT_EQ(toe_fw_init(&fw, port.hal(), &cfg), TOE_FW_NO_SEED) << "an all-zero key is no key";
  uint32_t v = 1;
  ASSERT_TRUE(port.device().peek_fw_reg(TOE_FW_REG_CTRL_OFFSET, &v));
  EXPECT_EQ(v, 0u) << "the port was not booted";
  EXPECT_STREQ(toe_fw_result_name(TOE_FW_NO_SEED), "TOE_FW_NO_SEED");
  port.set_seed({0, 0, 0, 1});
  EXPECT_EQ(toe_fw_init(&fw, port.hal(), &cfg), TOE_FW_OK);
  ASSERT_TRUE(port.device().peek_fw_reg(TOE_FW_REG_ISN_KEY_3_OFFSET, &v));
  EXPECT_EQ(v, 1u);
}

TEST_F(FwModel, SynAckBacksOffThenGivesUp) {
  boot();  // the defaults: RTO 1 s doubling to 60 s, 7 retries
  const net::Frame first = syn(40000, 1000);
  const uint64_t t0 = port.sent.back().at_us;
  const uint32_t conn = timed_conn();
  EXPECT_EQ(port.conn_state(conn), TOE_STATE_SYN_RECEIVED);
  run_for(200 * kSec);
  std::vector<SentFrame> synacks;
  for (const SentFrame& f : port.sent) {
    EXPECT_FALSE(is_tcp(f, net::kRst) || is_tcp(f, net::kRst | net::kAck)) << "no RST: never synchronized";
    if (is_tcp(f, net::kSyn | net::kAck)) synacks.push_back(f);
  }
  ASSERT_EQ(synacks.size(), 8u) << "the SYN-ACK and 7 retransmissions";
  const double gaps[] = {1, 2, 4, 8, 16, 32, 60};
  for (size_t i = 1; i < synacks.size(); ++i) {
    net::Frame f;
    ASSERT_TRUE(is_tcp(synacks[i], net::kSyn | net::kAck, &f));
    EXPECT_EQ(f.tcp.seq, first.tcp.seq) << "the same SYN-ACK";
    EXPECT_NEAR(synacks[i].at_s() - synacks[i - 1].at_s(), gaps[i - 1], 50e-6) << "retransmission " << i;
  }
  EXPECT_EQ(fw.stats.retransmits, 7u);
  EXPECT_EQ(fw.stats.give_ups, 1u);
  EXPECT_EQ(port.conn_state(conn), TOE_STATE_CLOSED) << "give_up freed it";
  EXPECT_EQ(fw.timers.conn[conn].flags, 0u);
  // Given up 183 s after the first SYN-ACK (at least 3 minutes, MUST-23): the time the engine
  // freed it is not on the wire; the firmware's last deadline was.
  EXPECT_GE(port.now_us() - t0, 183 * kSec);
  EXPECT_EQ(fw.stats.bus_errors, 0u);
  EXPECT_EQ(fw.stats.commands_refused, 0u);
}

TEST_F(FwModel, RttSampleFromACleanHandshake) {
  cfg.rto_min_ms = 1;  // see the estimator's own RTO, not the floor
  boot();
  const net::Frame sa = syn(40000, 1000);
  const uint32_t conn = timed_conn();
  run_for(3 * kMs);
  port.inject(tcp_to_engine(40000, 80, 1001, sa.tcp.seq + 1, net::kAck));
  ASSERT_TRUE(run_until([&] { return accepted() >= 0; }, 1000));
  run_for(100);
  EXPECT_EQ(fw.stats.rtt_samples, 1u);
  EXPECT_EQ(fw.stats.rtt_karn_skipped, 0u);
  const toe_fw_conn& c = fw.timers.conn[conn];
  EXPECT_NEAR(double(c.rto.srtt_us), 3000.0, 60.0) << "SYN-ACK sent to its ACK taken, in us";
  EXPECT_EQ(c.rto.rttvar_us, c.rto.srtt_us / 2);
  EXPECT_EQ(c.flags & TOE_FW_CONN_RETX, 0u) << "retx_disarm stopped the timer";
}

TEST_F(FwModel, KarnNoSampleAfterARetransmission) {
  boot();
  const net::Frame sa = syn(40000, 1000);
  const uint32_t conn = timed_conn();
  ASSERT_TRUE(run_until([&] { return port.sent.size() == 2; }, 2 * kSec, 1000));
  EXPECT_TRUE(is_tcp(port.sent[1], net::kSyn | net::kAck)) << "retransmitted after 1 s";
  port.inject(tcp_to_engine(40000, 80, 1001, sa.tcp.seq + 1, net::kAck));
  ASSERT_TRUE(run_until([&] { return accepted() >= 0; }, 1000));
  run_for(100);
  EXPECT_EQ(fw.stats.rtt_samples, 0u) << "Karn: the ACK may answer either SYN-ACK";
  EXPECT_EQ(fw.stats.rtt_karn_skipped, 1u);
  const toe_fw_conn& c = fw.timers.conn[conn];
  EXPECT_EQ(c.rto.flags & TOE_FW_RTO_HAS_SAMPLE, 0u);
  EXPECT_EQ(toe_fw_rto_current(&c.rto, &fw.cfg), 3000000u) << "RFC 6298 5.7: 3 s once data flows";
}

TEST_F(FwModel, DelayedAckAfterTheDelay) {
  boot();
  port.host_write(TOE_REG_ACK_EVERY_OFFSET, 2);
  net::Frame sa;
  const uint32_t conn = establish(40000, &sa);
  const size_t before = port.sent.size();
  const std::vector<uint8_t> data{'p', 'i', 'n', 'g'};
  port.inject(tcp_to_engine(40000, 80, 1001, sa.tcp.seq + 1, net::kAck | net::kPsh, data));
  const uint64_t t = port.now_us();
  run_for(150 * kMs);
  EXPECT_EQ(port.sent.size(), before) << "no ACK before the delay";
  ASSERT_TRUE(run_until([&] { return port.sent.size() > before; }, 100 * kMs, 100))
      << "events " << fw.stats.events << " delayed_acks " << fw.stats.delayed_acks << " host events "
      << port.host_events.size() << " commands " << fw.stats.commands << " flags " << int(fw.timers.conn[conn].flags) << " ignored "
      << fw.stats.events_ignored << " conn " << conn << " now " << fw.now << " dack_at " << fw.timers.conn[conn].dack_at;
  net::Frame ack;
  ASSERT_TRUE(net::parse_frame(port.sent.back().data, ack) == net::ParseError::kOk && ack.has_tcp);
  ASSERT_TRUE(is_tcp(port.sent.back(), net::kAck, &ack)) << net::describe(ack);
  EXPECT_EQ(ack.tcp.ack, 1001u + data.size());
  EXPECT_NEAR(double(port.sent.back().at_us - t) / 1e3, 200.0, 0.1) << "ms after the segment";
  EXPECT_EQ(fw.stats.delayed_acks, 1u);
}

TEST_F(FwModel, TimeWaitExpiresAfterTwiceTheMsl) {
  cfg.msl_ms = 500;
  boot();
  net::Frame sa;
  const uint32_t conn = establish(40000, &sa);
  const size_t before = port.sent.size();
  port.host_command(conn, TOE_CMD_CLOSE);
  ASSERT_TRUE(run_until([&] { return port.sent.size() > before; }, 1000));
  net::Frame fin;
  ASSERT_TRUE(is_tcp(port.sent.back(), net::kFin | net::kAck, &fin));
  // The peer ACKs our FIN and sends its own: FIN_WAIT_1 -> TIME_WAIT.
  port.inject(tcp_to_engine(40000, 80, 1001, fin.tcp.seq + 1, net::kFin | net::kAck));
  ASSERT_TRUE(run_until([&] { return port.conn_state(conn) == TOE_STATE_TIME_WAIT; }, 1000));
  const uint64_t entered = port.now_us();
  run_for(990 * kMs);
  EXPECT_EQ(port.conn_state(conn), TOE_STATE_TIME_WAIT);
  ASSERT_TRUE(run_until([&] { return port.conn_state(conn) == TOE_STATE_CLOSED; }, 20 * kMs, 100));
  EXPECT_NEAR(double(port.now_us() - entered) / 1e3, 1000.0, 0.5) << "2 * MSL, in ms";
  EXPECT_EQ(fw.stats.time_wait_expiries, 1u);
  EXPECT_EQ(fw.stats.retransmits, 0u);
}

// host_send, data_segments: fw_model_fixture.hpp.

TEST_F(FwModel, AckProgressRestartsTheTimer) {
  boot();  // RTO 1 s (floor), doubling
  net::Frame sa;
  const uint32_t conn = establish(40000, &sa);
  const uint32_t iss = sa.tcp.seq;
  size_t mark = port.sent.size();
  host_send(port, conn, 0, 3000);
  ASSERT_TRUE(run_until([&] { return data_segments(port.sent, mark).size() == 3; }, 1000));
  // 600 ms later the peer ACKs the first segment only.
  run_for(600 * kMs);
  const uint64_t acked_at = port.now_us();
  port.inject(tcp_to_engine(40000, 80, 1001, iss + 1 + 1460, net::kAck));
  mark = port.sent.size();
  std::vector<uint64_t> at;
  ASSERT_TRUE(run_until([&] { return !data_segments(port.sent, mark).empty(); }, 3 * kSec, 1000));
  std::vector<net::Frame> re = data_segments(port.sent, mark, &at);
  EXPECT_EQ(re[0].tcp.seq, iss + 1 + 1460) << "go back to SND.UNA";
  EXPECT_NEAR(double(at[0] - acked_at) / 1e3, 1000.0, 2.0) << "ms after the partial ACK (5.3), not after the send";
  EXPECT_EQ(fw.stats.retransmits, 1u);
  EXPECT_GE(fw.stats.retx_restarts, 1u);
  EXPECT_EQ(fw.timers.conn[conn].rto.backoff, 1u) << "5.5: doubled";
  // 100 ms after the retransmission the peer ACKs the second segment: progress clears the
  // backoff, so the next retransmission is 1 s after this ACK (2 s with the backoff kept).
  run_for(100 * kMs);
  const uint64_t acked2_at = port.now_us();
  port.inject(tcp_to_engine(40000, 80, 1001, iss + 1 + 2920, net::kAck));
  run_for(1000);
  EXPECT_EQ(fw.timers.conn[conn].rto.backoff, 0u);
  EXPECT_EQ(fw.timers.conn[conn].retries, 0u);
  mark = port.sent.size();
  at.clear();
  ASSERT_TRUE(run_until([&] { return !data_segments(port.sent, mark).empty(); }, 3 * kSec, 1000));
  re = data_segments(port.sent, mark, &at);
  EXPECT_EQ(re[0].tcp.seq, iss + 1 + 2920);
  EXPECT_NEAR(double(at[0] - acked2_at) / 1e3, 1000.0, 2.0) << "ms after the second ACK";
  // Everything acknowledged: the timer stops.
  port.inject(tcp_to_engine(40000, 80, 1001, iss + 1 + 3000, net::kAck));
  run_for(1000);
  EXPECT_EQ(fw.timers.conn[conn].flags & TOE_FW_CONN_RETX, 0u);
  EXPECT_EQ(fw.stats.bus_errors, 0u);
}

TEST_F(FwModel, AckBeyondAGoBackIsAccepted) {
  boot();
  net::Frame sa;
  const uint32_t conn = establish(40000, &sa);
  const uint32_t iss = sa.tcp.seq;
  size_t mark = port.sent.size();
  host_send(port, conn, 0, 2000);
  ASSERT_TRUE(run_until([&] { return data_segments(port.sent, mark).size() == 2; }, 1000));
  // The first segment ACKed with a zero window; the window update that would follow is "lost".
  port.inject(tcp_to_engine(40000, 80, 1001, iss + 1 + 1460, net::kAck, {}, 0));
  mark = port.sent.size();
  ASSERT_TRUE(run_until([&] { return !data_segments(port.sent, mark).empty(); }, 3 * kSec, 1000));
  const std::vector<net::Frame> re = data_segments(port.sent, mark);
  ASSERT_EQ(re.size(), 1u);
  EXPECT_EQ(re[0].tcp.seq, iss + 1 + 1460) << "SND.NXT back at SND.UNA";
  EXPECT_EQ(re[0].payload_len, 1u) << "a zero-window probe of one byte";
  // The peer had received the whole second segment before: it ACKs SND.MAX, window open.
  const uint32_t before_challenges = port.host_read(TOE_REG_CNT_CHALLENGE_ACKS_OFFSET);
  mark = port.sent.size();
  port.inject(tcp_to_engine(40000, 80, 1001, iss + 1 + 2000, net::kAck));
  run_for(1000);
  port.host_write(TOE_REG_CONN_SEL_OFFSET, conn);
  EXPECT_EQ(port.host_read(TOE_REG_CONN_SND_UNA_OFFSET), iss + 1 + 2000) << "the ACK of SND.MAX taken";
  EXPECT_EQ(port.host_read(TOE_REG_CNT_CHALLENGE_ACKS_OFFSET), before_challenges) << "not 'ACKs unsent data'";
  EXPECT_EQ(fw.timers.conn[conn].flags & TOE_FW_CONN_RETX, 0u) << "retx_disarm";
  EXPECT_EQ(data_segments(port.sent, mark).size(), 0u) << "nothing left to send";
}

// ---- ARP --------------------------------------------------------------------------------------

TEST_F(FwModel, ArpRequestAnsweredByteExact) {
  boot();
  port.inject(arp_frame(kBroadcast, kPeerMac, 1, kPeerMac, kPeerIp, kZeroMac, kEngineIp));
  ASSERT_TRUE(run_until([&] { return !port.sent.empty(); }, 1000));
  // Written out by hand: Ethernet to the requester, ARP reply, sha/spa ours, tha/tpa the asker's.
  const std::vector<uint8_t> want = {
      0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0x01,  0x02, 0x11, 0x22, 0x33, 0x44, 0x55,  0x08, 0x06,  // Ethernet
      0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02,                                         // reply
      0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0x0A, 0x00, 0x00, 0x02,                             // sha, spa
      0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0x01, 0x0A, 0x00, 0x00, 0x01,                             // tha, tpa
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};                                  // padding
  ASSERT_EQ(port.sent.size(), 1u);
  EXPECT_EQ(port.sent[0].data, want);
  EXPECT_EQ(fw.stats.arp_requests_in, 1u);
  EXPECT_EQ(fw.stats.arp_replies_out, 1u);
  uint8_t mac[6];
  EXPECT_EQ(toe_fw_arp_lookup(&fw, kPeerIp, mac), TOE_FW_OK) << "the asker is learned (a free slot)";
  EXPECT_EQ(as_mac(mac), kPeerMac);
}

TEST_F(FwModel, ArpIgnoresOtherTargets) {
  boot();
  port.inject(arp_frame(kBroadcast, kPeerMac, 1, kPeerMac, kPeerIp, kZeroMac, kOtherIp));
  run_for(1000);
  EXPECT_TRUE(port.sent.empty());
  EXPECT_EQ(fw.stats.frames_in, 1u);
  EXPECT_EQ(fw.stats.frames_ignored, 1u);
  uint8_t mac[6];
  EXPECT_EQ(toe_fw_arp_lookup(&fw, kPeerIp, mac), TOE_FW_EMPTY) << "not learned from a request for another";
}

struct ArpDone {
  std::vector<std::pair<uint32_t, bool>> calls;  // ip, resolved
  static void cb(void* user, uint32_t ip, const uint8_t* mac) {
    static_cast<ArpDone*>(user)->calls.push_back({ip, mac != nullptr});
  }
};

TEST_F(FwModel, ArpResolveRetriesThenNoRoute) {
  ArpDone done;
  cfg.arp_done = &ArpDone::cb;
  cfg.arp_done_user = &done;
  boot();
  uint8_t mac[6];
  EXPECT_EQ(toe_fw_arp_resolve(&fw, kOtherIp, mac), TOE_FW_PENDING);
  const uint64_t t0 = port.now_us();
  run_for(10 * kSec);
  const std::vector<uint8_t> request = {
      0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,  0x02, 0x11, 0x22, 0x33, 0x44, 0x55,  0x08, 0x06,
      0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
      0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0x0A, 0x00, 0x00, 0x02,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0A, 0x00, 0x00, 0x09,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  ASSERT_EQ(port.sent.size(), 3u) << "the request and arp_retries (2) more";
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(port.sent[i].data, request) << i;
    EXPECT_NEAR(double(port.sent[i].at_us - t0) / 1e6, double(i), 1e-4) << i;
  }
  ASSERT_EQ(done.calls.size(), 1u);
  EXPECT_EQ(done.calls[0], std::make_pair(kOtherIp, false));
  EXPECT_EQ(fw.stats.arp_failed, 1u);
  // Failed at 3 s, held for 5 s: at 10 s the entry is gone.
  EXPECT_EQ(toe_fw_arp_lookup(&fw, kOtherIp, mac), TOE_FW_EMPTY);
  EXPECT_EQ(toe_fw_arp_resolve(&fw, kOtherIp, mac), TOE_FW_PENDING) << "asked again";
  run_for(3500 * kMs);
  EXPECT_EQ(toe_fw_arp_resolve(&fw, kOtherIp, mac), TOE_FW_NO_ROUTE) << "no route while held";
}

TEST_F(FwModel, ArpResolveAnsweredAndExpires) {
  ArpDone done;
  cfg.arp_done = &ArpDone::cb;
  cfg.arp_done_user = &done;
  cfg.arp_lifetime_ms = 10000;
  boot();
  uint8_t mac[6];
  EXPECT_EQ(toe_fw_arp_resolve(&fw, kPeerIp, mac), TOE_FW_PENDING);
  run_for(500);
  port.inject(arp_frame(kEngineMac, kPeerMac, 2, kPeerMac, kPeerIp, kEngineMac, kEngineIp));
  run_for(500);
  ASSERT_EQ(toe_fw_arp_resolve(&fw, kPeerIp, mac), TOE_FW_OK);
  EXPECT_EQ(as_mac(mac), kPeerMac);
  ASSERT_EQ(done.calls.size(), 1u);
  EXPECT_EQ(done.calls[0], std::make_pair(kPeerIp, true));
  EXPECT_EQ(port.sent.size(), 1u) << "no retry once answered";
  run_for(9 * kSec);
  EXPECT_EQ(toe_fw_arp_lookup(&fw, kPeerIp, mac), TOE_FW_OK);
  run_for(2 * kSec);
  EXPECT_EQ(toe_fw_arp_lookup(&fw, kPeerIp, mac), TOE_FW_EMPTY) << "expired after its lifetime";
}

TEST_F(FwModel, ArpTableFull) {
  boot();
  uint8_t mac[6];
  for (uint32_t i = 0; i < TOE_FW_ARP_ENTRIES; ++i)
    EXPECT_EQ(toe_fw_arp_resolve(&fw, 0x0A000100 + i, mac), TOE_FW_PENDING) << i;
  EXPECT_EQ(toe_fw_arp_resolve(&fw, 0x0A000200, mac), TOE_FW_FULL) << "pending entries are never evicted";
  EXPECT_EQ(toe_fw_arp_resolve(&fw, 0x0A000100, mac), TOE_FW_PENDING) << "one already asked for";
}

// ---- ICMP -------------------------------------------------------------------------------------
// An echo message over IPv4 in Ethernet, both checksums computed with toe_net's checksum.
std::vector<uint8_t> icmp_echo(uint8_t type, uint16_t id, uint16_t seq, const std::vector<uint8_t>& data,
                               const net::MacAddr& dmac, const net::MacAddr& smac, uint32_t src, uint32_t dst,
                               uint16_t ip_id, uint16_t flags, uint8_t ttl) {
  std::vector<uint8_t> f(14 + 20 + 8 + data.size());
  for (int i = 0; i < 6; ++i) {
    f[size_t(i)] = dmac.b[size_t(i)];
    f[6 + size_t(i)] = smac.b[size_t(i)];
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
  ip[9] = 1;
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

std::vector<uint8_t> payload(size_t n) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = uint8_t(i * 13 + 5);
  return v;
}

TEST_F(FwModel, IcmpEchoReplyByteExact) {
  boot();
  uint16_t reply_id = 0;
  for (size_t n : {size_t(56), size_t(33), size_t(1400), size_t(1)}) {
    const std::vector<uint8_t> data = payload(n);
    const size_t before = port.sent.size();
    port.inject(icmp_echo(8, 0x1234, uint16_t(n), data, kEngineMac, kPeerMac, kPeerIp, kEngineIp, 0x4321, 0x4000, 17));
    ASSERT_TRUE(run_until([&] { return port.sent.size() > before; }, 1000)) << n;
    const std::vector<uint8_t> want =
        icmp_echo(0, 0x1234, uint16_t(n), data, kPeerMac, kEngineMac, kEngineIp, kPeerIp, reply_id++, 0, 64);
    EXPECT_EQ(port.sent.back().data, want) << n << " data bytes";
    // Both checksums verify (a correct header folds to 0).
    const std::vector<uint8_t>& got = port.sent.back().data;
    EXPECT_EQ(net::csum_fold(net::csum_add(0, got.data() + 14, 20)), 0u);
    EXPECT_EQ(net::csum_fold(net::csum_add(0, got.data() + 34, 8 + n)), 0u);
  }
  EXPECT_EQ(fw.stats.icmp_echo_in, 4u);
  EXPECT_EQ(fw.stats.icmp_echo_out, 4u);
  EXPECT_EQ(fw.stats.bus_errors, 0u);
}

TEST_F(FwModel, IcmpBadChecksumOrFragmentIgnored) {
  boot();
  std::vector<uint8_t> bad = icmp_echo(8, 1, 1, payload(40), kEngineMac, kPeerMac, kPeerIp, kEngineIp, 1, 0, 64);
  bad[14 + 20 + 8 + 3] ^= 0x40;  // a data byte: the ICMP checksum no longer holds
  port.inject(bad);
  port.inject(icmp_echo(8, 1, 2, payload(40), kEngineMac, kPeerMac, kPeerIp, kEngineIp, 2, 0x2000, 64));  // MF
  port.inject(icmp_echo(8, 1, 3, payload(40), kEngineMac, kPeerMac, kPeerIp, kOtherIp, 3, 0, 64));  // not ours
  run_for(2000);
  EXPECT_TRUE(port.sent.empty());
  EXPECT_EQ(fw.stats.frames_in, 3u);
  EXPECT_EQ(fw.stats.frames_bad, 1u);
  EXPECT_EQ(fw.stats.frames_ignored, 2u);
}

}  // namespace
