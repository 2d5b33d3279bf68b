// SPDX-License-Identifier: Apache-2.0
// toe_engine's firmware register port (toe_fw_regs.toml, toe_fw_reg_top), in lockstep with
// model::EngineDevice (the fixture EngineLockstep compares every output port, fw_* included, on
// every clock):
//   - identity, queue depths, every refusal with its LAST_ERROR code and the port's own
//     BUS_ERRORS (the host port's untouched);
//   - QUEUE_FULL: the host's commands go first, so with the host queue never empty the firmware's
//     fills and its fifth command is refused;
//   - the firmware's events in the port's queue once CTRL.EVQ_EN is 1 (retx_arm of a SYN-ACK, with
//     fw_intr_o while EVQ_NOT_EMPTY is enabled), the timer commands from the port acting on the
//     engine (retransmit sends the SYN-ACK again, give_up frees the connection), SOFT_RESET
//     emptying the queues and keeping the port's registers;
//   - the receive queue: ARP, ICMP, UDP (to the engine's MAC or broadcast) copied for the firmware
//     and read back byte-exact through RX_FRAME, TCP, other MACs and runts not; a full queue and a
//     frame longer than a slot dropped and counted; RXQ_POP;
//   - the transmit path: a frame written through TX_FRAME (an odd length, partial byte enables)
//     sent byte-exact between the engine's frames, TXQ_SENT, TX_DONE, BUSY and BAD_LENGTH;
//   - random traffic on both ports while frames of every kind arrive and the output stalls;
//   - the resolve queue (connect by IP address): the host's connect without a MAC in ARQ_*, full
//     and empty refusals, connect_resolved (the SYN to the resolved MAC, event opened) and
//     no_route (event timed_out with the tag), NO_FIRMWARE while EVQ_EN is 0;
//   - keepalive (the segment <SEQ=SND.UNA-1><ACK>), its answer as event peer_alive (once), and
//     event freed after a host abort;
//   - ISN_KEY: the engine's ISN key is the host's ISN_SECRET XOR the firmware's ISN_KEY (the
//     SYN-ACK's ISN compared on the wire, clock by clock), kept across SOFT_RESET.
// Binary test_engine_fw_port (library toe_engine_lockstep: the same Verilated toe_engine as
// test_engine_lockstep); labels lockstep;rtl.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "engine_lockstep.hpp"
#include "toe_defs.h"
#include "toe_fw_regs.h"
#include "toe_regs.h"

namespace {

using namespace toe::lockstep::engine;
using toe::model::CmdOp;
using toe::model::EngineIn;
namespace net = toe::net;

// A frame to `dst` with EtherType `etype` (and, for IPv4, protocol `proto` at byte 23), `len`
// bytes, the rest a pattern.
std::vector<uint8_t> raw_frame(const net::MacAddr& dst, uint16_t etype, uint8_t proto, size_t len) {
  std::vector<uint8_t> f(len);
  for (size_t i = 0; i < len; ++i) f[i] = uint8_t(i * 7 + 3);
  for (size_t i = 0; i < 6 && i < len; ++i) f[i] = dst.b[i];
  for (size_t i = 0; i < 6 && 6 + i < len; ++i) f[6 + i] = kPeerMac.b[i];
  if (len > 13) {
    f[12] = uint8_t(etype >> 8);
    f[13] = uint8_t(etype);
  }
  if (len > 23) f[23] = proto;
  return f;
}
const net::MacAddr kBroadcast{{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}};
const net::MacAddr kOtherMac{{0x02, 0x00, 0x00, 0x00, 0x00, 0x42}};

class FwPort : public EngineLockstep {
 protected:
  // Configured, enabled, listening on port 80 (the host's command), firmware events to the port.
  void start() {
    cfg_ = configured();
    program(cfg_);
    write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_SOFT_RESET_MASK | TOE_REG_CTRL_FIXED_ISN_EN_MASK);
    wait_ready();  // the reset's clock, then the tables' initialisation
    write(TOE_REG_CMD_PORTS_OFFSET, 80);
    write(TOE_REG_CMD_OFFSET, TOE_CMD_LISTEN);
    fw_write(TOE_FW_REG_CTRL_OFFSET, TOE_FW_REG_CTRL_EVQ_EN_MASK);
  }
  // Frames in until the stimulus is done and the engine has settled.
  void feed(Stimulus& s, int clocks = 400) {
    EngineDeviceOut out = idle();
    for (int i = 0; i < clocks; ++i) out = clock(s.next(out));
    EXPECT_TRUE(s.done());
  }
  uint32_t fw_count() {
    return (fw_read(TOE_FW_REG_EVQ_STATUS_OFFSET) & TOE_FW_REG_EVQ_STATUS_COUNT_MASK) >>
           TOE_FW_REG_EVQ_STATUS_COUNT_LSB;
  }
  // The head frame of the receive queue, through RX_FRAME.
  std::vector<uint8_t> read_head() {
    const uint32_t len = fw_read(TOE_FW_REG_RXQ_LEN_OFFSET);
    std::vector<uint8_t> f;
    for (uint32_t w = 0; w < len; w += 4) {
      const uint32_t v = fw_read(TOE_FW_REG_RX_FRAME_BASE + w);
      for (uint32_t i = 0; i < 4 && w + i < len; ++i) f.push_back(uint8_t(v >> (8 * i)));
    }
    return f;
  }
  uint32_t rx_count() {
    return (fw_read(TOE_FW_REG_RXQ_STATUS_OFFSET) & TOE_FW_REG_RXQ_STATUS_COUNT_MASK) >>
           TOE_FW_REG_RXQ_STATUS_COUNT_LSB;
  }
  // A frame into TX_FRAME (whole words, the last with the byte enables of its bytes), TXQ_LEN.
  void write_tx(const std::vector<uint8_t>& f) {
    for (uint32_t w = 0; w < f.size(); w += 4) {
      uint32_t v = 0;
      uint8_t be = 0;
      for (uint32_t i = 0; i < 4 && w + i < f.size(); ++i) {
        v |= uint32_t(f[w + i]) << (8 * i);
        be = uint8_t(be | (1u << i));
      }
      Bus b{true, true, TOE_FW_REG_TX_FRAME_BASE + w, v, be};
      b.fw = true;
      bool err = true;
      access(b, &err);
      EXPECT_FALSE(err) << "TX_FRAME word " << w;
    }
    fw_write(TOE_FW_REG_TXQ_LEN_OFFSET, uint32_t(f.size()));
  }
  EngineConfig cfg_;
};

TEST_F(FwPort, IdentityAndEveryRefusal) {
  EXPECT_EQ(fw_read(TOE_FW_REG_TYPE_OFFSET), 0x544F4546u);  // "TOEF"
  EXPECT_EQ(fw_read(TOE_FW_REG_VERSION_OFFSET), TOE_FW_REG_VERSION_RESET);
  EXPECT_EQ(fw_read(TOE_FW_REG_SESSIONS_OFFSET), kSessions);
  EXPECT_EQ(fw_read(TOE_FW_REG_CMD_STATUS_OFFSET), 4u << TOE_FW_REG_CMD_STATUS_DEPTH_LSB);
  EXPECT_EQ(fw_read(TOE_FW_REG_EVQ_STATUS_OFFSET), 16u << TOE_FW_REG_EVQ_STATUS_DEPTH_LSB);
  wait_ready();  // STATUS.READY: 0 until the tables are initialised after the reset
  EXPECT_EQ(fw_read(TOE_FW_REG_STATUS_OFFSET), TOE_FW_REG_STATUS_READY_MASK);
  // The engine's addresses, as the host writes them.
  const EngineConfig cfg = configured();
  program(cfg);
  EXPECT_EQ(fw_read(TOE_FW_REG_MAC_ADDR_LO_OFFSET), read(TOE_REG_MAC_ADDR_LO_OFFSET));
  EXPECT_EQ(fw_read(TOE_FW_REG_MAC_ADDR_HI_OFFSET), read(TOE_REG_MAC_ADDR_HI_OFFSET));
  EXPECT_EQ(fw_read(TOE_FW_REG_IPV4_ADDR_OFFSET), cfg.local_ip);
  uint32_t refused = 0;
  auto expect_refused = [&](Bus b, uint32_t code) {
    b.fw = true;
    bool err = false;
    EXPECT_EQ(access(b, &err), 0u);
    EXPECT_TRUE(err) << std::hex << b.addr;
    ++refused;
    EXPECT_EQ(fw_read(TOE_FW_REG_LAST_ERROR_OFFSET), (b.addr << TOE_FW_REG_LAST_ERROR_ADDR_LSB) | code)
        << std::hex << b.addr;
    EXPECT_EQ(fw_read(TOE_FW_REG_LAST_ERROR_OFFSET), 0u) << "cleared by the read";
  };
  expect_refused({true, false, TOE_FW_REG_TYPE_OFFSET, 0, 0x1}, TOE_FW_REG_LAST_ERROR_CODE_BAD_SIZE);
  expect_refused({true, true, TOE_FW_REG_CMD_CONN_OFFSET, 3, 0xE}, TOE_FW_REG_LAST_ERROR_CODE_BAD_SIZE);
  EXPECT_EQ(fw_read(TOE_FW_REG_CMD_CONN_OFFSET), 0u) << "a refused write changes nothing";
  expect_refused({true, false, 0x00C}, TOE_FW_REG_LAST_ERROR_CODE_UNMAPPED);
  expect_refused({true, false, 0x0FFC}, TOE_FW_REG_LAST_ERROR_CODE_UNMAPPED);
  expect_refused({true, false, TOE_FW_REG_CMD_OFFSET + 2}, TOE_FW_REG_LAST_ERROR_CODE_MISALIGNED);
  expect_refused({true, true, TOE_FW_REG_STATUS_OFFSET, 1}, TOE_FW_REG_LAST_ERROR_CODE_READ_ONLY);
  expect_refused({true, true, TOE_FW_REG_CNT_FRAMES_IN_OFFSET, 1}, TOE_FW_REG_LAST_ERROR_CODE_READ_ONLY);
  // Host commands and unknown opcodes are not the firmware's.
  expect_refused({true, true, TOE_FW_REG_CMD_OFFSET, TOE_CMD_LISTEN}, TOE_FW_REG_LAST_ERROR_CODE_BAD_COMMAND);
  expect_refused({true, true, TOE_FW_REG_CMD_OFFSET, TOE_CMD_CLOSE}, TOE_FW_REG_LAST_ERROR_CODE_BAD_COMMAND);
  expect_refused({true, true, TOE_FW_REG_CMD_OFFSET, 15}, TOE_FW_REG_LAST_ERROR_CODE_BAD_COMMAND);
  // A connection beyond the last session.
  fw_write(TOE_FW_REG_CMD_CONN_OFFSET, kSessions);
  expect_refused({true, true, TOE_FW_REG_CMD_OFFSET, TOE_CMD_RETRANSMIT}, TOE_FW_REG_LAST_ERROR_CODE_NO_CONN);
  EXPECT_EQ(fw_read(TOE_FW_REG_CMD_OFFSET), 0u) << "CMD keeps the last OP taken";
  expect_refused({true, true, TOE_FW_REG_EVQ_POP_OFFSET, 1}, TOE_FW_REG_LAST_ERROR_CODE_QUEUE_EMPTY);
  fw_write(TOE_FW_REG_EVQ_POP_OFFSET, 0);  // POP = 0: no pop, no error
  EXPECT_EQ(fw_read(TOE_FW_REG_BUS_ERRORS_OFFSET), refused);
  EXPECT_EQ(read(TOE_REG_BUS_ERRORS_OFFSET), 0u) << "the host port counts its own";
  // A timer command for a session in range is taken (the engine ignores it for a free session).
  fw_write(TOE_FW_REG_CMD_CONN_OFFSET, kSessions - 1);
  fw_write(TOE_FW_REG_CMD_OFFSET, TOE_CMD_SEND_ACK);
  EXPECT_EQ(fw_read(TOE_FW_REG_CMD_OFFSET), TOE_CMD_SEND_ACK);
  for (int i = 0; i < 4; ++i) idle();
  EXPECT_EQ(fw_read(TOE_FW_REG_CMD_STATUS_OFFSET) & TOE_FW_REG_CMD_STATUS_PENDING_MASK, 0u);
  EXPECT_EQ(fw_read(TOE_FW_REG_BUS_ERRORS_OFFSET), refused);
  EXPECT_EQ(mismatch_, "");
}

TEST_F(FwPort, AFullCommandQueueIsRefusedNeverDropped) {
  start();
  fw_write(TOE_FW_REG_CMD_CONN_OFFSET, 1);
  // Both ports write CMD on every clock: the host's queue (first in line) never empties, so the
  // firmware's is not served and fills.
  bool refused_full = false;
  uint32_t taken = 0;
  for (int i = 0; i < 12 && !refused_full; ++i) {
    EngineDeviceIn in;
    in.reg_req = true;
    in.reg_we = true;
    in.reg_addr = TOE_REG_CMD_OFFSET;
    in.reg_wdata = TOE_CMD_NOP;
    in.fw_req = true;
    in.fw_we = true;
    in.fw_addr = TOE_FW_REG_CMD_OFFSET;
    in.fw_wdata = TOE_CMD_RETRANSMIT;
    const EngineDeviceOut out = clock(in);
    ASSERT_EQ(mismatch_, "");
    ASSERT_TRUE(out.fw_valid);  // the answer to this clock's access
    if (out.fw_err) {
      refused_full = true;
    } else {
      ++taken;
    }
  }
  ASSERT_TRUE(refused_full);
  EXPECT_EQ(taken, 4u) << "the queue's depth";
  EXPECT_EQ(fw_read(TOE_FW_REG_LAST_ERROR_OFFSET),
            (uint32_t(TOE_FW_REG_CMD_OFFSET) << TOE_FW_REG_LAST_ERROR_ADDR_LSB) | TOE_FW_REG_LAST_ERROR_CODE_QUEUE_FULL);
  // Once the host stops, the four are served.
  for (int i = 0; i < 12; ++i) idle();
  EXPECT_EQ(fw_read(TOE_FW_REG_CMD_STATUS_OFFSET) & TOE_FW_REG_CMD_STATUS_PENDING_MASK, 0u);
  EXPECT_EQ(mismatch_, "");
}

TEST_F(FwPort, TimerEventsAndCommandsGoThroughThePort) {
  start();
  fw_write(TOE_FW_REG_INTR_ENABLE_OFFSET, TOE_FW_REG_INTR_ENABLE_EVQ_NOT_EMPTY_MASK);
  EXPECT_FALSE(v_->fw_intr_o);
  Stimulus syn;
  syn.frame(tcp_frame(cfg_, cfg_.local_ip, 40100, 7000, 0, net::kSyn));
  const size_t sent = tx_frames_.size();
  feed(syn);
  ASSERT_EQ(tx_frames_.size(), sent + 1) << "the SYN-ACK";
  // The SYN-ACK armed the retransmission timer: retx_arm, in the firmware's queue (not on evt_*).
  ASSERT_GE(fw_count(), 1u);
  EXPECT_TRUE(v_->fw_intr_o);
  EXPECT_FALSE(v_->evt_valid_o);
  const uint32_t ev = fw_read(TOE_FW_REG_EVQ_EVENT_OFFSET);
  EXPECT_EQ((ev & TOE_FW_REG_EVQ_EVENT_EVT_MASK) >> TOE_FW_REG_EVQ_EVENT_EVT_LSB, uint32_t(TOE_EVT_RETX_ARM));
  EXPECT_EQ((ev & TOE_FW_REG_EVQ_EVENT_STATE_MASK) >> TOE_FW_REG_EVQ_EVENT_STATE_LSB, uint32_t(TOE_STATE_SYN_RECEIVED));
  EXPECT_EQ((ev & TOE_FW_REG_EVQ_EVENT_LPORT_MASK) >> TOE_FW_REG_EVQ_EVENT_LPORT_LSB, 80u);
  const uint32_t conn = fw_read(TOE_FW_REG_EVQ_CONN_OFFSET);
  ASSERT_LT(conn, kSessions);
  EXPECT_EQ(fw_read(TOE_FW_REG_EVQ_VALUE_OFFSET), cfg_.fixed_isn) << "SND.UNA (the ISS) of the SYN-ACK's flight";
  while (fw_count() != 0) fw_write(TOE_FW_REG_EVQ_POP_OFFSET, TOE_FW_REG_EVQ_POP_POP_MASK);
  EXPECT_EQ(fw_read(TOE_FW_REG_EVQ_EVENT_OFFSET), 0u) << "an empty queue reads 0";
  // The interrupt cause is sticky until cleared (w1c), and not set again while the queue is empty.
  EXPECT_TRUE(v_->fw_intr_o);
  fw_write(TOE_FW_REG_INTR_STATE_OFFSET, TOE_FW_REG_INTR_STATE_EVQ_NOT_EMPTY_MASK);
  idle();
  EXPECT_FALSE(v_->fw_intr_o);

  // retransmit: the SYN-ACK again, the same sequence number.
  fw_write(TOE_FW_REG_CMD_CONN_OFFSET, conn);
  fw_write(TOE_FW_REG_CMD_OFFSET, TOE_CMD_RETRANSMIT);
  for (int i = 0; i < 200; ++i) idle();
  ASSERT_EQ(tx_frames_.size(), sent + 2);
  net::Frame a, b;
  ASSERT_EQ(net::parse_frame(tx_frames_[sent], a), net::ParseError::kOk);
  ASSERT_EQ(net::parse_frame(tx_frames_[sent + 1], b), net::ParseError::kOk);
  EXPECT_EQ(b.tcp.flags, net::kSyn | net::kAck);
  EXPECT_EQ(b.tcp.seq, a.tcp.seq);
  // give_up: the half-open connection is freed (the host's CONN_STATE shows it).
  write(TOE_REG_CONN_SEL_OFFSET, conn);
  EXPECT_NE(read(TOE_REG_CONN_STATE_OFFSET) & TOE_REG_CONN_STATE_STATE_MASK, uint32_t(TOE_STATE_CLOSED));
  fw_write(TOE_FW_REG_CMD_OFFSET, TOE_CMD_GIVE_UP);
  for (int i = 0; i < 200; ++i) idle();
  EXPECT_EQ(read(TOE_REG_CONN_STATE_OFFSET) & TOE_REG_CONN_STATE_STATE_MASK, uint32_t(TOE_STATE_CLOSED));

  // SOFT_RESET empties the port's queues and keeps its registers.
  Stimulus syn2;
  syn2.frame(tcp_frame(cfg_, cfg_.local_ip, 40101, 9000, 0, net::kSyn));
  feed(syn2);
  ASSERT_GE(fw_count(), 1u);
  write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_SOFT_RESET_MASK | TOE_REG_CTRL_FIXED_ISN_EN_MASK);
  EXPECT_FALSE(v_->fw_ready_o) << "not ready in the clock the engine is held";
  idle();
  EXPECT_EQ(fw_count(), 0u);
  EXPECT_EQ(fw_read(TOE_FW_REG_CTRL_OFFSET), TOE_FW_REG_CTRL_EVQ_EN_MASK);
  EXPECT_EQ(fw_read(TOE_FW_REG_CMD_CONN_OFFSET), conn);
  EXPECT_EQ(mismatch_, "");
}

TEST_F(FwPort, KeepaliveItsAnswerAndFreedThroughThePort) {
  start();
  Stimulus hs;
  hs.frame(tcp_frame(cfg_, cfg_.local_ip, 40102, 7000, 0, net::kSyn));
  feed(hs);
  Stimulus ack;
  ack.frame(tcp_frame(cfg_, cfg_.local_ip, 40102, 7001, cfg_.fixed_isn + 1, net::kAck));
  feed(ack);
  const uint32_t conn = fw_read(TOE_FW_REG_EVQ_CONN_OFFSET);
  ASSERT_LT(conn, kSessions);
  while (fw_count() != 0) fw_write(TOE_FW_REG_EVQ_POP_OFFSET, TOE_FW_REG_EVQ_POP_POP_MASK);
  // keepalive: <SEQ=SND.UNA-1><ACK=RCV.NXT><CTL=ACK>, no data.
  const size_t sent = tx_frames_.size();
  fw_write(TOE_FW_REG_CMD_CONN_OFFSET, conn);
  fw_write(TOE_FW_REG_CMD_OFFSET, TOE_CMD_KEEPALIVE);
  for (int i = 0; i < 200; ++i) idle();
  ASSERT_EQ(tx_frames_.size(), sent + 1);
  net::Frame k;
  ASSERT_EQ(net::parse_frame(tx_frames_[sent], k), net::ParseError::kOk);
  EXPECT_EQ(k.tcp.flags, net::kAck);
  EXPECT_EQ(k.tcp.seq, cfg_.fixed_isn) << "SND.UNA - 1";
  EXPECT_EQ(k.tcp.ack, 7001u);
  EXPECT_EQ(k.payload_len, 0u);
  EXPECT_EQ(fw_count(), 0u);
  // The peer's answer: event peer_alive (value SND.WND), once.
  Stimulus answer;
  answer.frame(tcp_frame(cfg_, cfg_.local_ip, 40102, 7001, cfg_.fixed_isn + 1, net::kAck));
  feed(answer);
  ASSERT_EQ(fw_count(), 1u);
  uint32_t ev = fw_read(TOE_FW_REG_EVQ_EVENT_OFFSET);
  EXPECT_EQ((ev & TOE_FW_REG_EVQ_EVENT_EVT_MASK) >> TOE_FW_REG_EVQ_EVENT_EVT_LSB, uint32_t(TOE_EVT_PEER_ALIVE));
  EXPECT_EQ((ev & TOE_FW_REG_EVQ_EVENT_STATE_MASK) >> TOE_FW_REG_EVQ_EVENT_STATE_LSB, uint32_t(TOE_STATE_ESTABLISHED));
  EXPECT_EQ(fw_read(TOE_FW_REG_EVQ_CONN_OFFSET), conn);
  EXPECT_NE(fw_read(TOE_FW_REG_EVQ_VALUE_OFFSET), 0u) << "SND.WND: the peer's window";
  fw_write(TOE_FW_REG_EVQ_POP_OFFSET, TOE_FW_REG_EVQ_POP_POP_MASK);
  Stimulus again;  // a second pure ACK answers nothing: no event
  again.frame(tcp_frame(cfg_, cfg_.local_ip, 40102, 7001, cfg_.fixed_isn + 1, net::kAck));
  feed(again);
  EXPECT_EQ(fw_count(), 0u);
  // The host aborts: the firmware hears freed (state CLOSED) after the host's reset.
  write(TOE_REG_CONN_SEL_OFFSET, conn);
  write(TOE_REG_CMD_OFFSET, TOE_CMD_ABORT);
  for (int i = 0; i < 200; ++i) idle();
  ASSERT_EQ(fw_count(), 1u);
  ev = fw_read(TOE_FW_REG_EVQ_EVENT_OFFSET);
  EXPECT_EQ((ev & TOE_FW_REG_EVQ_EVENT_EVT_MASK) >> TOE_FW_REG_EVQ_EVENT_EVT_LSB, uint32_t(TOE_EVT_FREED));
  EXPECT_EQ((ev & TOE_FW_REG_EVQ_EVENT_STATE_MASK) >> TOE_FW_REG_EVQ_EVENT_STATE_LSB, uint32_t(TOE_STATE_CLOSED));
  EXPECT_EQ(fw_read(TOE_FW_REG_EVQ_CONN_OFFSET), conn);
  // keepalive on a connection that is not ESTABLISHED or CLOSE-WAIT: nothing sent.
  const size_t before = tx_frames_.size();
  fw_write(TOE_FW_REG_CMD_OFFSET, TOE_CMD_KEEPALIVE);
  for (int i = 0; i < 200; ++i) idle();
  EXPECT_EQ(tx_frames_.size(), before);
  EXPECT_EQ(mismatch_, "");
}

TEST_F(FwPort, IsnKeyIsTheHostSecretXorTheFirmwareKey) {
  cfg_ = configured();
  program(cfg_);  // ISN_SECRET from the configuration
  const uint32_t key[4] = {0xdeadbeefu, 0x01020304u, 0x80000001u, 0x5a5a5a5au};
  for (uint32_t i = 0; i < 4; ++i) fw_write(TOE_FW_REG_ISN_KEY_0_OFFSET + 4 * i, key[i]);
  // The keyed hash, not FIXED_ISN.
  write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_SOFT_RESET_MASK);
  idle();
  for (uint32_t i = 0; i < 4; ++i) {
    EXPECT_EQ(fw_read(TOE_FW_REG_ISN_KEY_0_OFFSET + 4 * i), key[i]) << "kept across SOFT_RESET";
    EXPECT_EQ(read(TOE_REG_ISN_SECRET_0_OFFSET + 4 * i), cfg_.isn_secret[i]) << "the host's half unchanged";
    EXPECT_EQ(dev_.engine().config().isn_secret[i], cfg_.isn_secret[i] ^ key[i]) << "the key word " << i;
  }
  write(TOE_REG_CMD_PORTS_OFFSET, 80);
  write(TOE_REG_CMD_OFFSET, TOE_CMD_LISTEN);
  // Two SYNs: the SYN-ACKs' ISNs come from the XORed key on both sides (every port compared).
  Stimulus syn;
  syn.frame(tcp_frame(cfg_, cfg_.local_ip, 40200, 7000, 0, net::kSyn));
  syn.frame(tcp_frame(cfg_, cfg_.local_ip, 40201, 8000, 0, net::kSyn));
  const size_t sent = tx_frames_.size();
  feed(syn);
  ASSERT_EQ(tx_frames_.size(), sent + 2);
  net::Frame a, b;
  ASSERT_EQ(net::parse_frame(tx_frames_[sent], a), net::ParseError::kOk);
  ASSERT_EQ(net::parse_frame(tx_frames_[sent + 1], b), net::ParseError::kOk);
  EXPECT_EQ(a.tcp.flags, net::kSyn | net::kAck);
  EXPECT_NE(a.tcp.seq, cfg_.fixed_isn);
  EXPECT_NE(a.tcp.seq, b.tcp.seq) << "another 4-tuple, another ISN";
  EXPECT_EQ(mismatch_, "");
}

TEST_F(FwPort, ConnectByIpAddressThroughTheResolveQueue) {
  start();
  fw_write(TOE_FW_REG_INTR_ENABLE_OFFSET, TOE_FW_REG_INTR_ENABLE_ARQ_NOT_EMPTY_MASK);
  auto host_connect = [&](uint16_t lport, uint32_t tag, uint32_t mac_lo, bool expect_err) {
    write(TOE_REG_CMD_IP_OFFSET, kPeerIp);
    write(TOE_REG_CMD_PORTS_OFFSET, uint32_t(lport) << 16 | 7000u);
    write(TOE_REG_CMD_MAC_LO_OFFSET, mac_lo);
    write(TOE_REG_CMD_MAC_HI_OFFSET, 0);
    write(TOE_REG_CMD_TAG_OFFSET, tag);
    write(TOE_REG_CMD_OFFSET, TOE_CMD_CONNECT, expect_err);
  };
  // No MAC: into the resolve queue (not the command queue), the firmware's interrupt up.
  EXPECT_FALSE(v_->fw_intr_o);
  for (uint32_t i = 0; i < 4; ++i) host_connect(uint16_t(50000 + i), 100 + i, 0, false);
  host_connect(50004, 104, 0, true);
  EXPECT_EQ(read(TOE_REG_LAST_ERROR_OFFSET),
            (uint32_t(TOE_REG_CMD_OFFSET) << TOE_REG_LAST_ERROR_ADDR_LSB) | TOE_REG_LAST_ERROR_CODE_QUEUE_FULL);
  EXPECT_EQ(read(TOE_REG_CMD_STATUS_OFFSET) & TOE_REG_CMD_STATUS_PENDING_MASK, 0u);
  idle();
  EXPECT_TRUE(v_->fw_intr_o);
  EXPECT_EQ(fw_read(TOE_FW_REG_ARQ_STATUS_OFFSET), 4u | 4u << TOE_FW_REG_ARQ_STATUS_DEPTH_LSB);
  for (uint32_t i = 0; i < 4; ++i) {
    EXPECT_EQ(fw_read(TOE_FW_REG_ARQ_IP_OFFSET), kPeerIp);
    EXPECT_EQ(fw_read(TOE_FW_REG_ARQ_PORTS_OFFSET), (50000u + i) << 16 | 7000u);
    EXPECT_EQ(fw_read(TOE_FW_REG_ARQ_TAG_OFFSET), 100u + i);
    fw_write(TOE_FW_REG_ARQ_POP_OFFSET, TOE_FW_REG_ARQ_POP_POP_MASK);
  }
  EXPECT_EQ(fw_read(TOE_FW_REG_ARQ_STATUS_OFFSET), 4u << TOE_FW_REG_ARQ_STATUS_DEPTH_LSB);
  EXPECT_EQ(fw_read(TOE_FW_REG_ARQ_TAG_OFFSET), 0u) << "an empty queue reads 0";
  fw_write(TOE_FW_REG_ARQ_POP_OFFSET, TOE_FW_REG_ARQ_POP_POP_MASK, true);
  EXPECT_EQ(fw_read(TOE_FW_REG_LAST_ERROR_OFFSET),
            (uint32_t(TOE_FW_REG_ARQ_POP_OFFSET) << TOE_FW_REG_LAST_ERROR_ADDR_LSB) |
                TOE_FW_REG_LAST_ERROR_CODE_QUEUE_EMPTY);
  // connect_resolved: the SYN to the resolved MAC, event opened with the host's tag. CMD_CONN
  // beyond the last session does not matter to it (it names no connection).
  fw_write(TOE_FW_REG_CMD_CONN_OFFSET, 0xFFFF);
  fw_write(TOE_FW_REG_CMD_IP_OFFSET, kPeerIp);
  fw_write(TOE_FW_REG_CMD_PORTS_OFFSET, 50000u << 16 | 7000u);
  fw_write(TOE_FW_REG_CMD_MAC_LO_OFFSET, 0xCCDD0001u);
  fw_write(TOE_FW_REG_CMD_MAC_HI_OFFSET, 0x02BBu);
  fw_write(TOE_FW_REG_CMD_TAG_OFFSET, 100);
  const size_t sent = tx_frames_.size();
  fw_write(TOE_FW_REG_CMD_OFFSET, TOE_CMD_CONNECT_RESOLVED);
  for (int i = 0; i < 200; ++i) idle();
  ASSERT_EQ(tx_frames_.size(), sent + 1);
  net::Frame syn;
  ASSERT_EQ(net::parse_frame(tx_frames_[sent], syn), net::ParseError::kOk);
  EXPECT_EQ(syn.tcp.flags, net::kSyn);
  EXPECT_EQ(syn.eth.dst, (net::MacAddr{{0x02, 0xBB, 0xCC, 0xDD, 0x00, 0x01}}));
  EXPECT_EQ(syn.tcp.src_port, 50000);
  EXPECT_EQ(read(TOE_REG_EVQ_EVENT_OFFSET) & TOE_REG_EVQ_EVENT_EVT_MASK, uint32_t(TOE_EVT_OPENED));
  EXPECT_EQ(read(TOE_REG_EVQ_VALUE_OFFSET), 100u);
  write(TOE_REG_EVQ_POP_OFFSET, TOE_REG_EVQ_POP_POP_MASK);
  // no_route: event timed_out, no connection, the tag, the local port.
  fw_write(TOE_FW_REG_CMD_PORTS_OFFSET, 50001u << 16 | 7000u);
  fw_write(TOE_FW_REG_CMD_TAG_OFFSET, 101);
  fw_write(TOE_FW_REG_CMD_OFFSET, TOE_CMD_NO_ROUTE);
  for (int i = 0; i < 50; ++i) idle();
  const uint32_t ev = read(TOE_REG_EVQ_EVENT_OFFSET);
  EXPECT_EQ(ev & TOE_REG_EVQ_EVENT_EVT_MASK, uint32_t(TOE_EVT_TIMED_OUT));
  EXPECT_EQ((ev & TOE_REG_EVQ_EVENT_LPORT_MASK) >> TOE_REG_EVQ_EVENT_LPORT_LSB, 50001u);
  EXPECT_EQ(read(TOE_REG_EVQ_CONN_OFFSET), 0xFFFFFFFFu);
  EXPECT_EQ(read(TOE_REG_EVQ_VALUE_OFFSET), 101u);
  write(TOE_REG_EVQ_POP_OFFSET, TOE_REG_EVQ_POP_POP_MASK);
  EXPECT_EQ(tx_frames_.size(), sent + 1) << "nothing sent for no_route";
  // A MAC given: the command queue as before. The firmware's port off: NO_FIRMWARE.
  host_connect(50010, 110, 0x00000042u, false);
  fw_write(TOE_FW_REG_CTRL_OFFSET, 0);
  host_connect(50011, 111, 0, true);
  EXPECT_EQ(read(TOE_REG_LAST_ERROR_OFFSET),
            (uint32_t(TOE_REG_CMD_OFFSET) << TOE_REG_LAST_ERROR_ADDR_LSB) | TOE_REG_LAST_ERROR_CODE_NO_FIRMWARE);
  EXPECT_EQ(mismatch_, "");
}

TEST_F(FwPort, WithEvqEnOffTheEventsLeaveOnTheStream) {
  start();
  fw_write(TOE_FW_REG_CTRL_OFFSET, 0);
  Stimulus syn;
  syn.frame(tcp_frame(cfg_, cfg_.local_ip, 40200, 100, 0, net::kSyn));
  EngineDeviceOut out = idle();
  bool saw_retx_arm = false;
  for (int i = 0; i < 400; ++i) {
    out = clock(syn.next(out));
    if (out.evt_valid && out.evt.type == toe::model::EvtType::kRetxArm) saw_retx_arm = true;
  }
  EXPECT_TRUE(saw_retx_arm);
  EXPECT_EQ(fw_count(), 0u);
  EXPECT_EQ(mismatch_, "");
}

// Random traffic on both ports (the firmware's whole map, holes and misaligned offsets, random
// opcodes and connections, EVQ_POP, CTRL.EVQ_EN switched, byte enables) while frames arrive.
TEST_F(FwPort, RandomTrafficOnBothPortsMatchesTheModel) {
  start();
  Stimulus s;
  for (uint16_t p = 0; p < 6; ++p) {
    s.frame(tcp_frame(cfg_, cfg_.local_ip, uint16_t(42000 + p), 1000, 0, net::kSyn, "", true));
    s.frame(tcp_frame(cfg_, cfg_.local_ip, uint16_t(42000 + p), 1001, cfg_.fixed_isn + 1, net::kAck));
    s.frame(tcp_frame(cfg_, cfg_.local_ip, uint16_t(42000 + p), 1001, cfg_.fixed_isn + 1, net::kAck | net::kPsh,
                      "firmware " + std::to_string(p)));
  }
  uint64_t x = 0xC2B2AE3D27D4EB4Full;
  auto rnd = [&](uint32_t n) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return uint32_t(x % n);
  };
  const uint32_t fw_regs[] = {TOE_FW_REG_CMD_CONN_OFFSET,  TOE_FW_REG_CMD_OFFSET,       TOE_FW_REG_CMD_STATUS_OFFSET,
                              TOE_FW_REG_EVQ_STATUS_OFFSET, TOE_FW_REG_EVQ_EVENT_OFFSET, TOE_FW_REG_EVQ_CONN_OFFSET,
                              TOE_FW_REG_EVQ_VALUE_OFFSET,  TOE_FW_REG_EVQ_POP_OFFSET,   TOE_FW_REG_CTRL_OFFSET,
                              TOE_FW_REG_INTR_STATE_OFFSET, TOE_FW_REG_INTR_ENABLE_OFFSET, TOE_FW_REG_LAST_ERROR_OFFSET,
                              TOE_FW_REG_BUS_ERRORS_OFFSET, TOE_FW_REG_CNT_FRAMES_IN_OFFSET, 0x0C, 0x0FFC};
  EngineDeviceOut out = idle();
  uint32_t answers = 0, errors = 0, intr = 0;
  for (int i = 0; i < 6000 && mismatch_.empty(); ++i) {
    EngineIn core = s.next(out);
    core.evt_ready = rnd(4) != 0;
    EngineDeviceIn in;
    static_cast<EngineIn&>(in) = core;
    if (rnd(2) == 0) {
      in.fw_req = true;
      in.fw_we = rnd(2) == 0;
      in.fw_addr = fw_regs[rnd(sizeof(fw_regs) / sizeof(fw_regs[0]))] + (rnd(40) == 0 ? 2 : 0);
      in.fw_wdata = in.fw_addr == TOE_FW_REG_CMD_CONN_OFFSET ? rnd(kSessions + 3)
                    : in.fw_addr == TOE_FW_REG_CMD_OFFSET    ? (rnd(4) ? 8 + rnd(4) : rnd(16))
                    : in.fw_addr == TOE_FW_REG_CTRL_OFFSET   ? (rnd(8) ? 1u : 0u)
                                                             : uint32_t(x);
      in.fw_be = rnd(30) == 0 ? uint8_t(rnd(16)) : 0xF;
    }
    if (rnd(8) == 0) {  // the host reads its event queue and pops now and then
      in.reg_req = true;
      in.reg_we = rnd(2) == 0;
      in.reg_addr = in.reg_we ? TOE_REG_EVQ_POP_OFFSET : TOE_REG_EVQ_EVENT_OFFSET;
      in.reg_wdata = 1;
    }
    out = clock(in);
    if (out.fw_valid) ++answers;
    if (out.fw_err) ++errors;
    if (out.fw_intr) ++intr;
  }
  EXPECT_TRUE(s.done());
  EXPECT_GT(answers, 2000u);
  EXPECT_GT(errors, 100u);
  EXPECT_EQ(mismatch_, "");
}

TEST_F(FwPort, FramesTheFastPathDoesNotTerminateAreHandedUp) {
  start();
  fw_write(TOE_FW_REG_INTR_ENABLE_OFFSET, TOE_FW_REG_INTR_ENABLE_RXQ_NOT_EMPTY_MASK);
  net::EthHeader eth;
  eth.dst = kBroadcast;
  eth.src = kPeerMac;
  eth.ethertype = net::kEtherTypeArp;
  net::ArpPacket arp;
  arp.sha = kPeerMac;
  arp.spa = kPeerIp;
  arp.tpa = cfg_.local_ip;
  const std::vector<uint8_t> arp_req = net::build_arp_frame(eth, arp);  // padded to 60
  const std::vector<uint8_t> icmp = raw_frame(cfg_.local_mac, net::kEtherTypeIpv4, net::kIpProtoIcmp, 98);
  const std::vector<uint8_t> udp = raw_frame(kBroadcast, net::kEtherTypeIpv4, 17, 71);
  Stimulus s;
  s.frame(arp_req);
  s.frame(tcp_frame(cfg_, cfg_.local_ip, 40300, 1, 0, net::kSyn));                  // the fast path's
  s.frame(raw_frame(kOtherMac, net::kEtherTypeArp, 0, 60));                         // not for us
  s.frame(icmp);
  s.frame(raw_frame(cfg_.local_mac, net::kEtherTypeArp, 0, 12));                    // a runt
  s.frame(raw_frame(cfg_.local_mac, net::kEtherTypeIpv4, net::kIpProtoIcmp, 20));  // no protocol byte
  s.frame(udp);
  feed(s, 900);
  EXPECT_TRUE(v_->fw_intr_o);
  ASSERT_EQ(rx_count(), 3u);
  EXPECT_EQ(read_head(), arp_req);
  fw_write(TOE_FW_REG_RXQ_POP_OFFSET, TOE_FW_REG_RXQ_POP_POP_MASK);
  EXPECT_EQ(read_head(), icmp);
  fw_write(TOE_FW_REG_RXQ_POP_OFFSET, TOE_FW_REG_RXQ_POP_POP_MASK);
  EXPECT_EQ(read_head(), udp);
  fw_write(TOE_FW_REG_RXQ_POP_OFFSET, TOE_FW_REG_RXQ_POP_POP_MASK);
  EXPECT_EQ(rx_count(), 0u);
  EXPECT_EQ(fw_read(TOE_FW_REG_RXQ_LEN_OFFSET), 0u);
  EXPECT_EQ(fw_read(TOE_FW_REG_RXQ_DROPPED_OFFSET), 0u);
  EXPECT_EQ(read(TOE_REG_CNT_ARP_IN_OFFSET), 2u) << "the fast path still counts what it sees";
  // Empty: reads and pops are refused.
  fw_read(TOE_FW_REG_RX_FRAME_BASE, true);
  EXPECT_EQ(fw_read(TOE_FW_REG_LAST_ERROR_OFFSET) & TOE_FW_REG_LAST_ERROR_CODE_MASK, TOE_FW_REG_LAST_ERROR_CODE_QUEUE_EMPTY);
  fw_write(TOE_FW_REG_RXQ_POP_OFFSET, 1, true);
  EXPECT_EQ(fw_read(TOE_FW_REG_LAST_ERROR_OFFSET) & TOE_FW_REG_LAST_ERROR_CODE_MASK, TOE_FW_REG_LAST_ERROR_CODE_QUEUE_EMPTY);
  // Five frames for four slots: the fifth is dropped, counted; a frame longer than a slot too.
  Stimulus five;
  for (int i = 0; i < 5; ++i) five.frame(raw_frame(cfg_.local_mac, 0x88B5, 0, size_t(60 + i)));
  feed(five, 900);
  EXPECT_EQ(rx_count(), 4u);
  EXPECT_EQ(fw_read(TOE_FW_REG_RXQ_DROPPED_OFFSET), 1u);
  EXPECT_EQ(fw_read(TOE_FW_REG_RXQ_LEN_OFFSET), 60u);
  for (int i = 0; i < 4; ++i) fw_write(TOE_FW_REG_RXQ_POP_OFFSET, 1);
  Stimulus big;
  big.frame(raw_frame(cfg_.local_mac, 0x88B5, 0, 2100));
  big.frame(raw_frame(cfg_.local_mac, 0x88B5, 0, 2048));  // exactly a slot: kept
  feed(big, 900);
  EXPECT_EQ(fw_read(TOE_FW_REG_RXQ_DROPPED_OFFSET), 2u);
  ASSERT_EQ(rx_count(), 1u);
  EXPECT_EQ(read_head(), raw_frame(cfg_.local_mac, 0x88B5, 0, 2048));
  // Misaligned and write accesses to the window.
  fw_read(TOE_FW_REG_RX_FRAME_BASE + 1, true);
  EXPECT_EQ(fw_read(TOE_FW_REG_LAST_ERROR_OFFSET) & TOE_FW_REG_LAST_ERROR_CODE_MASK, TOE_FW_REG_LAST_ERROR_CODE_MISALIGNED);
  fw_write(TOE_FW_REG_RX_FRAME_BASE, 1, true);
  EXPECT_EQ(fw_read(TOE_FW_REG_LAST_ERROR_OFFSET) & TOE_FW_REG_LAST_ERROR_CODE_MASK, TOE_FW_REG_LAST_ERROR_CODE_READ_ONLY);
  EXPECT_EQ(mismatch_, "");
}

TEST_F(FwPort, FramesFromTheFirmwareGoOutBetweenTheEnginesFrames) {
  start();
  fw_write(TOE_FW_REG_INTR_ENABLE_OFFSET, TOE_FW_REG_INTR_ENABLE_TX_DONE_MASK);
  const std::vector<uint8_t> reply = raw_frame(kPeerMac, net::kEtherTypeArp, 0, 61);  // an odd length
  write_tx(reply);
  EXPECT_EQ(fw_read(TOE_FW_REG_TX_FRAME_BASE), 0u) << "TX_FRAME reads 0";
  // Lengths outside 14 .. 2048.
  fw_write(TOE_FW_REG_TXQ_LEN_OFFSET, 13);
  fw_write(TOE_FW_REG_TXQ_SEND_OFFSET, 1, true);
  EXPECT_EQ(fw_read(TOE_FW_REG_LAST_ERROR_OFFSET) & TOE_FW_REG_LAST_ERROR_CODE_MASK, TOE_FW_REG_LAST_ERROR_CODE_BAD_LENGTH);
  fw_write(TOE_FW_REG_TXQ_LEN_OFFSET, 2049);
  fw_write(TOE_FW_REG_TXQ_SEND_OFFSET, 1, true);
  EXPECT_EQ(fw_read(TOE_FW_REG_LAST_ERROR_OFFSET) & TOE_FW_REG_LAST_ERROR_CODE_MASK, TOE_FW_REG_LAST_ERROR_CODE_BAD_LENGTH);
  fw_write(TOE_FW_REG_TXQ_LEN_OFFSET, uint32_t(reply.size()));
  // A SYN arrives as the firmware sends: the SYN-ACK and the firmware's frame both go out whole,
  // the output stalling now and then.
  Stimulus syn;
  syn.frame(tcp_frame(cfg_, cfg_.local_ip, 40400, 1, 0, net::kSyn));
  const size_t before = tx_frames_.size();
  EngineDeviceOut out = idle();
  bool sent = false, busy_refused = false;
  for (int i = 0; i < 600; ++i) {
    EngineIn core = syn.next(out);
    core.tx_tready = (i % 5) != 0;
    Bus b;
    if (!sent && i == 40) {
      b = {true, true, TOE_FW_REG_TXQ_SEND_OFFSET, 1};
      b.fw = true;
      sent = true;
    } else if (i == 42 || i == 44) {  // while busy: a second send and a buffer write
      b = {true, true, i == 42 ? uint32_t(TOE_FW_REG_TXQ_SEND_OFFSET) : uint32_t(TOE_FW_REG_TX_FRAME_BASE), 1};
      b.fw = true;
    }
    out = clock(core, b);
    if ((i == 42 || i == 44) && out.fw_valid && out.fw_err) busy_refused = true;
    ASSERT_EQ(mismatch_, "");
  }
  EXPECT_TRUE(busy_refused);
  ASSERT_EQ(tx_frames_.size(), before + 2);
  bool saw_reply = false, saw_synack = false;
  for (size_t k = before; k < tx_frames_.size(); ++k) {
    if (tx_frames_[k] == reply) {
      saw_reply = true;
      continue;
    }
    net::Frame f;
    ASSERT_EQ(net::parse_frame(tx_frames_[k], f), net::ParseError::kOk);
    if (f.tcp.flags == (net::kSyn | net::kAck)) saw_synack = true;
  }
  EXPECT_TRUE(saw_reply);
  EXPECT_TRUE(saw_synack);
  EXPECT_EQ(fw_read(TOE_FW_REG_TXQ_SENT_OFFSET), 1u);
  EXPECT_EQ(fw_read(TOE_FW_REG_TXQ_STATUS_OFFSET), 0u);
  EXPECT_TRUE(v_->fw_intr_o) << "TX_DONE";
  EXPECT_EQ(fw_read(TOE_FW_REG_INTR_STATE_OFFSET) & TOE_FW_REG_INTR_STATE_TX_DONE_MASK, TOE_FW_REG_INTR_STATE_TX_DONE_MASK);
  // Byte enables: none on a TX_FRAME write is refused, as is a misaligned one.
  Bus none{true, true, TOE_FW_REG_TX_FRAME_BASE, 1, 0};
  none.fw = true;
  bool err = false;
  access(none, &err);
  EXPECT_TRUE(err);
  fw_write(TOE_FW_REG_TX_FRAME_BASE + 2, 1, true);
  EXPECT_EQ(mismatch_, "");
}

// Random traffic on both ports, every kind of frame in, the output stalling, firmware frames out.
TEST_F(FwPort, RandomFramesBothWaysMatchTheModel) {
  start();
  uint64_t x = 0x2545F4914F6CDD1Dull;
  auto rnd = [&](uint32_t n) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return uint32_t(x % n);
  };
  Stimulus s;
  for (int k = 0; k < 40; ++k) {
    switch (rnd(5)) {
      case 0: s.frame(raw_frame(rnd(2) ? kBroadcast : cfg_.local_mac, net::kEtherTypeArp, 0, 42 + rnd(30))); break;
      case 1: s.frame(raw_frame(cfg_.local_mac, net::kEtherTypeIpv4, net::kIpProtoIcmp, 30 + rnd(200))); break;
      case 2: s.frame(raw_frame(rnd(2) ? kOtherMac : cfg_.local_mac, 0x88B5, 0, 10 + rnd(300))); break;
      case 3: s.frame(tcp_frame(cfg_, cfg_.local_ip, uint16_t(43000 + k), 1000, 0, net::kSyn)); break;
      default: s.frame(raw_frame(cfg_.local_mac, net::kEtherTypeIpv4, 17, 40 + rnd(100))); break;
    }
  }
  const uint32_t fw_regs[] = {TOE_FW_REG_RXQ_STATUS_OFFSET, TOE_FW_REG_RXQ_LEN_OFFSET,  TOE_FW_REG_RXQ_POP_OFFSET,
                              TOE_FW_REG_RXQ_DROPPED_OFFSET, TOE_FW_REG_TXQ_LEN_OFFSET, TOE_FW_REG_TXQ_SEND_OFFSET,
                              TOE_FW_REG_TXQ_STATUS_OFFSET, TOE_FW_REG_TXQ_SENT_OFFSET, TOE_FW_REG_INTR_STATE_OFFSET,
                              TOE_FW_REG_RX_FRAME_BASE,     TOE_FW_REG_RX_FRAME_BASE + 0x40, TOE_FW_REG_TX_FRAME_BASE,
                              TOE_FW_REG_TX_FRAME_BASE + 0x7FC, TOE_FW_REG_EVQ_POP_OFFSET};
  EngineDeviceOut out = idle();
  uint32_t answers = 0, errors = 0, rx_reads = 0;
  for (int i = 0; i < 12000 && mismatch_.empty(); ++i) {
    EngineIn core = s.next(out);
    core.tx_tready = rnd(4) != 0;
    EngineDeviceIn in;
    static_cast<EngineIn&>(in) = core;
    if (rnd(2) == 0) {
      in.fw_req = true;
      in.fw_we = rnd(2) == 0;
      in.fw_addr = fw_regs[rnd(sizeof(fw_regs) / sizeof(fw_regs[0]))] + (rnd(50) == 0 ? 2 : 0);
      in.fw_wdata = in.fw_addr == TOE_FW_REG_TXQ_LEN_OFFSET ? 10 + rnd(120) : rnd(3) ? 1u : uint32_t(x);
      in.fw_be = rnd(20) == 0 ? uint8_t(rnd(16)) : 0xF;
    }
    out = clock(in);
    if (out.fw_valid) ++answers;
    if (out.fw_err) ++errors;
    // An RX_FRAME read answered without error: a frame was there.
    if (in.fw_req && !in.fw_we && (in.fw_addr & ~0x7FFu) == TOE_FW_REG_RX_FRAME_BASE && out.fw_valid && !out.fw_err)
      ++rx_reads;
  }
  EXPECT_TRUE(s.done());
  EXPECT_GT(answers, 4000u);
  EXPECT_GT(errors, 100u);
  EXPECT_GT(fw_read(TOE_FW_REG_TXQ_SENT_OFFSET), 5u) << "firmware frames went out";
  EXPECT_GT(rx_reads, 20u) << "frames were handed up and read";
  EXPECT_EQ(mismatch_, "");
}

}  // namespace
