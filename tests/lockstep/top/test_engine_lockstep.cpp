// SPDX-License-Identifier: Apache-2.0
// toe_engine: the Verilated engine behind its generated register block (toe_reg_top).
//
// The configuration is written over the register bus only; CTRL.SOFT_RESET then restarts
// the engine, and from that clock on toe_engine runs in lockstep with the C++ model
// configured with the same values directly: every output port compared on every clock
// while a connection is accepted and carries data, with a bad checksum and a stray frame
// between. Then the counters, interrupts, ENABLE, refused accesses and SOFT_RESET are
// checked through the bus.
//
// Harness (fixture EngineLockstep, Stimulus, configured, tcp_frame, diff): engine_lockstep.{hpp,cpp},
// library toe_engine_lockstep.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "engine_lockstep.hpp"
#include "toe_regs.h"

namespace {

using namespace toe::lockstep::engine;
using toe::model::Cmd;
using toe::model::CmdOp;
using toe::model::Counter;
using toe::model::EngineConfig;
using toe::model::EngineIn;
using toe::model::EngineOut;
using toe::TcpState;
namespace net = toe::net;

TEST_F(EngineLockstep, ProgrammedOverTheBusTheEngineMatchesTheModelOnEveryPort) {
  const EngineConfig cfg = configured();
  EXPECT_EQ(read(TOE_REG_SESSIONS_OFFSET), kSessions);
  program(cfg);
  // ENABLE, FIXED_ISN_EN and the soft reset in one write: the engine restarts with the registers.
  write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_SOFT_RESET_MASK |
                                 TOE_REG_CTRL_FIXED_ISN_EN_MASK);
  EngineOut rtl = idle();  // the clock SOFT_RESET is high: the engine is held in reset
  EXPECT_EQ(read(TOE_REG_CTRL_OFFSET), TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_FIXED_ISN_EN_MASK);
  // That read was the engine's first clock after its reset: the model starts there.
  rtl = EngineOut{};
  toe::rtl::read_streams(*v_, rtl, kDataBytes);

  toe::model::Engine model(cfg);
  model.clock(EngineIn{});  // the clock of the CTRL read above (idle inputs)
  ASSERT_EQ(diff(model.outputs(), rtl), "") << "after the soft reset";
  EXPECT_EQ(read(TOE_REG_STATUS_OFFSET) & TOE_REG_STATUS_READY_MASK, TOE_REG_STATUS_READY_MASK);
  model.clock(EngineIn{});
  toe::rtl::read_streams(*v_, rtl, kDataBytes);
  ASSERT_EQ(diff(model.outputs(), rtl), "");

  Stimulus stim;
  Cmd listen;
  listen.op = CmdOp::kListen;
  listen.port = 80;
  stim.command(listen);
  const uint32_t iss = 1000;
  stim.frame(tcp_frame(cfg, cfg.local_ip, 40000, iss, 0, net::kSyn, "", true));
  stim.frame(tcp_frame(cfg, cfg.local_ip, 40000, iss + 1, cfg.fixed_isn + 1, net::kAck));
  stim.frame(tcp_frame(cfg, cfg.local_ip, 40000, iss + 1, cfg.fixed_isn + 1, net::kAck | net::kPsh,
                       "hello, registers"));
  stim.frame(tcp_frame(cfg, cfg.local_ip, 40000, iss + 17, cfg.fixed_isn + 1, net::kAck | net::kPsh,
                       "second segment: ACK_EVERY is 2"));
  std::vector<uint8_t> bad = tcp_frame(cfg, cfg.local_ip, 40000, iss + 47, cfg.fixed_isn + 1, net::kAck, "x");
  bad[54] ^= 0xFF;  // the payload byte (after 14 + 20 + 20 header bytes): the TCP checksum fails
  stim.frame(bad);
  stim.frame(tcp_frame(cfg, kPeerIp ^ 0xFF, 40001, 7, 0, net::kSyn));  // to another IP address

  uint64_t cycles = 0;
  for (; cycles < 4000; ++cycles) {
    const EngineIn in = stim.next(rtl);
    rtl = clock(in);
    model.clock(in);
    ASSERT_EQ(diff(model.outputs(), rtl), "") << "cycle " << model.cycle();
    if (stim.done() && cycles > 2000) break;
  }
  ASSERT_TRUE(stim.done()) << "the stimulus did not drain";
  for (int i = 0; i < 50; ++i) {
    rtl = idle();
    model.clock(EngineIn{});
    ASSERT_EQ(diff(model.outputs(), rtl), "") << "cycle " << model.cycle();
  }

  // What was sent follows the registers: the SYN-ACK from the programmed MAC and IP, with
  // the fixed ISN, our MSS and window scale; then ACKs (one for two data segments).
  ASSERT_GE(tx_frames_.size(), 2u);
  net::Frame synack;
  ASSERT_EQ(net::parse_frame(tx_frames_[0], synack), net::ParseError::kOk);
  EXPECT_EQ(synack.eth.src, cfg.local_mac);
  EXPECT_EQ(synack.eth.dst, kPeerMac);
  EXPECT_EQ(synack.ip.src, cfg.local_ip);
  EXPECT_EQ(synack.tcp.flags, net::kSyn | net::kAck);
  EXPECT_EQ(synack.tcp.seq, cfg.fixed_isn);
  EXPECT_EQ(synack.tcp.ack, iss + 1);
  ASSERT_TRUE(synack.tcp.opts.has_mss);
  EXPECT_EQ(synack.tcp.opts.mss, cfg.mss);
  ASSERT_TRUE(synack.tcp.opts.has_wscale);
  EXPECT_EQ(synack.tcp.opts.wscale, cfg.rcv_wscale);

  // Every counter, through the bus, equals the model's.
  const uint32_t first = TOE_REG_CNT_FRAMES_IN_OFFSET;
  for (uint32_t c = 0; c < static_cast<uint32_t>(Counter::kCount); ++c) {
    EXPECT_EQ(read(first + 4 * c), uint32_t(model.counter(static_cast<Counter>(c))))
        << toe::model::to_string(static_cast<Counter>(c));
  }
  EXPECT_EQ(read(TOE_REG_CNT_FRAMES_IN_OFFSET), 6u);
  EXPECT_EQ(read(TOE_REG_CNT_DROP_BAD_CSUM_OFFSET), 1u);
  EXPECT_EQ(read(TOE_REG_CNT_DROP_NOT_FOR_US_OFFSET), 1u);
  EXPECT_EQ(read(TOE_REG_CNT_FRAMES_OUT_OFFSET), static_cast<uint32_t>(tx_frames_.size()));

  // The host buffer ports: the received bytes read back through host_rx_*, as the model holds
  // them; bytes written through host_tx_* and pushed go out in a segment.
  const uint32_t conn = 0;  // the first connection takes the first TCB
  ASSERT_EQ(model.tcb(conn).state, TcpState::ESTABLISHED);
  const std::string rx = "hello, registerssecond segment: ACK_EVERY is 2";
  std::string want(rx.size(), '\0');
  model.host_read_rx(conn, 0, reinterpret_cast<uint8_t*>(want.data()), uint32_t(want.size()));
  EXPECT_EQ(want, rx);
  EXPECT_EQ(host_read_rx(conn, 0, uint32_t(rx.size())), rx);
  host_write_tx(conn, 0, "pong!");
  Stimulus push;
  Cmd p;
  p.op = CmdOp::kTxPush;
  p.conn = conn;
  p.value = 5;
  push.command(p);
  const size_t before = tx_frames_.size();
  for (int i = 0; i < 300; ++i) rtl = clock(push.next(rtl));
  ASSERT_TRUE(push.done());
  ASSERT_EQ(tx_frames_.size(), before + 1);
  net::Frame seg;
  ASSERT_EQ(net::parse_frame(tx_frames_.back(), seg), net::ParseError::kOk);
  EXPECT_EQ(seg.tcp.seq, cfg.fixed_isn + 1);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(seg.payload), seg.payload_len), "pong!");
}

TEST_F(EngineLockstep, InterruptsEnableRefusedAccessesAndSoftReset) {
  const EngineConfig cfg = configured();
  program(cfg);
  write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_SOFT_RESET_MASK);
  idle();
  EXPECT_EQ(read(TOE_REG_STATUS_OFFSET) & TOE_REG_STATUS_READY_MASK, TOE_REG_STATUS_READY_MASK);
  EXPECT_FALSE(v_->intr_o);

  auto send = [&](const std::vector<uint8_t>& f) {
    Stimulus s;
    s.frame(f);
    EngineOut out = idle();
    for (int i = 0; i < 400; ++i) out = clock(s.next(out));
    EXPECT_TRUE(s.done());
  };

  // A dropped frame sets INTR_STATE.DROP; the interrupt follows INTR_ENABLE; W1C clears it.
  send(tcp_frame(cfg, kPeerIp ^ 0xFF, 40001, 7, 0, net::kSyn));
  EXPECT_EQ(read(TOE_REG_CNT_DROP_NOT_FOR_US_OFFSET), 1u);
  EXPECT_EQ(read(TOE_REG_INTR_STATE_OFFSET) & TOE_REG_INTR_STATE_DROP_MASK, TOE_REG_INTR_STATE_DROP_MASK);
  EXPECT_FALSE(v_->intr_o);
  write(TOE_REG_INTR_ENABLE_OFFSET, TOE_REG_INTR_ENABLE_DROP_MASK);
  idle();
  EXPECT_TRUE(v_->intr_o);
  write(TOE_REG_INTR_STATE_OFFSET, TOE_REG_INTR_STATE_DROP_MASK);
  idle();
  EXPECT_EQ(read(TOE_REG_INTR_STATE_OFFSET) & TOE_REG_INTR_STATE_DROP_MASK, 0u);
  EXPECT_FALSE(v_->intr_o);

  // ENABLE 0: frames are taken and discarded before the engine (no counter moves), nothing is sent.
  write(TOE_REG_CTRL_OFFSET, 0);
  const size_t sent_before = tx_frames_.size();
  send(tcp_frame(cfg, kPeerIp ^ 0xFF, 40001, 7, 0, net::kSyn));
  Stimulus listen;
  Cmd c;
  c.op = CmdOp::kListen;
  c.port = 80;
  listen.command(c);
  EngineOut out = idle();
  for (int i = 0; i < 20; ++i) out = clock(listen.next(out));
  ASSERT_TRUE(listen.done());
  send(tcp_frame(cfg, cfg.local_ip, 40002, 500, 0, net::kSyn));
  for (int i = 0; i < 200; ++i) idle();
  EXPECT_EQ(read(TOE_REG_CNT_FRAMES_IN_OFFSET), 1u);  // the first frame only
  EXPECT_EQ(read(TOE_REG_CNT_DROP_NOT_FOR_US_OFFSET), 1u);
  EXPECT_EQ(tx_frames_.size(), sent_before);
  // An active open while disabled: its SYN is held, not sent, until ENABLE is set again.
  Stimulus open;
  Cmd o;
  o.op = CmdOp::kConnect;
  o.ip = kPeerIp;
  o.port = 5000;
  o.lport = 6000;
  o.mac = kPeerMac;
  o.tag = 1;
  open.command(o);
  out = idle();
  for (int i = 0; i < 20; ++i) out = clock(open.next(out));
  ASSERT_TRUE(open.done());
  for (int i = 0; i < 200; ++i) {
    EXPECT_FALSE(idle().tx.tvalid);
  }
  EXPECT_EQ(tx_frames_.size(), sent_before);
  EXPECT_TRUE(tx_cur_.empty());
  // ENABLE 1: the held SYN goes out, and the next SYN is answered.
  write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK);
  for (int i = 0; i < 200; ++i) idle();
  ASSERT_EQ(tx_frames_.size(), sent_before + 1);
  net::Frame syn;
  ASSERT_EQ(net::parse_frame(tx_frames_.back(), syn), net::ParseError::kOk);
  EXPECT_EQ(syn.tcp.flags, net::kSyn);
  EXPECT_EQ(syn.tcp.dst_port, 5000);
  EXPECT_EQ(syn.tcp.src_port, 6000);
  send(tcp_frame(cfg, cfg.local_ip, 40003, 900, 0, net::kSyn));
  for (int i = 0; i < 200; ++i) idle();
  ASSERT_EQ(tx_frames_.size(), sent_before + 2);
  net::Frame synack;
  ASSERT_EQ(net::parse_frame(tx_frames_.back(), synack), net::ParseError::kOk);
  EXPECT_EQ(synack.tcp.flags, net::kSyn | net::kAck);
  EXPECT_EQ(synack.tcp.ack, 901u);
  EXPECT_EQ(read(TOE_REG_CNT_FRAMES_IN_OFFSET), 2u);

  // Refused accesses answer err and are recorded; they change nothing.
  read(0x0FFC, true);
  EXPECT_EQ(read(TOE_REG_LAST_ERROR_OFFSET) & TOE_REG_LAST_ERROR_CODE_MASK, TOE_REG_LAST_ERROR_CODE_UNMAPPED);
  write(TOE_REG_CNT_FRAMES_IN_OFFSET, 0, true);
  EXPECT_EQ(read(TOE_REG_CNT_FRAMES_IN_OFFSET), 2u);

  // SOFT_RESET: counters and connections go, the configuration stays.
  write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_SOFT_RESET_MASK);
  idle();
  EXPECT_EQ(read(TOE_REG_CNT_FRAMES_IN_OFFSET), 0u);
  EXPECT_EQ(read(TOE_REG_CNT_FRAMES_OUT_OFFSET), 0u);
  EXPECT_EQ(read(TOE_REG_IPV4_ADDR_OFFSET), cfg.local_ip);
  EXPECT_EQ(read(TOE_REG_MSS_OFFSET), cfg.mss);
  // No listener any more: a SYN to port 80 is answered with a RST.
  send(tcp_frame(cfg, cfg.local_ip, 40004, 77, 0, net::kSyn));
  for (int i = 0; i < 200; ++i) idle();
  net::Frame rst;
  ASSERT_EQ(net::parse_frame(tx_frames_.back(), rst), net::ParseError::kOk);
  EXPECT_TRUE(rst.tcp.flags & net::kRst);
  EXPECT_EQ(read(TOE_REG_CNT_RST_SENT_OFFSET), 1u);
}

}  // namespace
