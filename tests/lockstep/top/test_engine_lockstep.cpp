// SPDX-License-Identifier: Apache-2.0
// toe_engine: the Verilated engine behind its generated register block (toe_reg_top), in
// lockstep with its C++ twin model::EngineDevice from the reset on: both get the same inputs
// (streams, register bus, host buffer ports) and every output port, the register bus's
// valid/rdata/err and intr_o included, is compared on every clock (the fixture does it).
//
// The configuration is written over the register bus only, on both; after CTRL.SOFT_RESET a
// connection is accepted and carries data, with a bad checksum and a stray frame between. Then
// the counters, interrupts (DROP, EVQ_NOT_EMPTY, a set against a clear), ENABLE (switched
// mid-frame, acting between frames only), refused accesses and LAST_ERROR, and SOFT_RESET (mid
// frame, and the clock it holds the engine) are checked through the bus, RTL and model alike.
//
// Harness (fixture EngineLockstep, Stimulus, configured, built, tcp_frame, beats_of, diff):
// engine_lockstep.{hpp,cpp}, library toe_engine_lockstep.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "engine_lockstep.hpp"
#include "toe_defs.h"
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
  EXPECT_TRUE(dev_.core_in_reset());
  EngineOut rtl = idle();  // the clock SOFT_RESET is high: the engine is held in reset
  EXPECT_EQ(read(TOE_REG_CTRL_OFFSET), TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_FIXED_ISN_EN_MASK);
  // That read was the engine's first clock after its reset.
  ASSERT_EQ(mismatch_, "") << "after the soft reset";
  EXPECT_FALSE(dev_.core_in_reset());
  // STATUS.READY: 0 while the engine initialises its tables (Buckets clocks), then 1.
  EXPECT_EQ(read(TOE_REG_STATUS_OFFSET) & TOE_REG_STATUS_READY_MASK, 0u);
  wait_ready();
  EXPECT_EQ(read(TOE_REG_STATUS_OFFSET) & TOE_REG_STATUS_READY_MASK, TOE_REG_STATUS_READY_MASK);
  ASSERT_EQ(mismatch_, "");
  rtl = rtl_outputs();  // the outputs now, for the stimulus
  // The model's configuration came over the bus: the Engine's cfg ports hold what was written.
  const toe::model::Engine& model = dev_.engine();
  const toe::model::EngineRegs& got = model.config();
  EXPECT_EQ(got.local_mac, cfg.local_mac);
  EXPECT_EQ(got.local_ip, cfg.local_ip);
  EXPECT_EQ(got.mss, cfg.mss);
  EXPECT_EQ(got.mss_floor, cfg.mss_floor);
  EXPECT_EQ(got.rcv_wscale, cfg.rcv_wscale);
  EXPECT_EQ(got.fixed_isn_en, cfg.fixed_isn_en);
  EXPECT_EQ(got.fixed_isn, cfg.fixed_isn);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(got.isn_secret[i], cfg.isn_secret[i]);
  EXPECT_EQ(got.clock_mhz, cfg.clock_mhz);
  EXPECT_EQ(got.ack_every, cfg.ack_every);
  EXPECT_EQ(got.chal_conn_cycles, cfg.chal_conn_cycles);
  EXPECT_EQ(got.chal_global_burst, cfg.chal_global_burst);
  EXPECT_EQ(got.chal_global_cycles, cfg.chal_global_cycles);
  EXPECT_EQ(got.max_half_open, cfg.max_half_open);

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
    ASSERT_EQ(mismatch_, "") << "cycle " << model.cycle();
    if (stim.done() && cycles > 2000) break;
  }
  ASSERT_TRUE(stim.done()) << "the stimulus did not drain";
  for (int i = 0; i < 50; ++i) {
    rtl = idle();
    ASSERT_EQ(mismatch_, "") << "cycle " << model.cycle();
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
  // Written in two parts, the second from an unaligned offset (byte enables).
  host_write_tx(conn, 0, "po");
  host_write_tx(conn, 2, "ng!");
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
  wait_ready();
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

TEST_F(EngineLockstep, RefusedAccessesAreRecordedInLastErrorAndChangeNothing) {
  const uint32_t addr_lsb = TOE_REG_LAST_ERROR_ADDR_LSB;
  EXPECT_EQ(read(TOE_REG_LAST_ERROR_OFFSET), TOE_REG_LAST_ERROR_CODE_NONE);

  // A write to a read-only register: err, LAST_ERROR holds READ_ONLY and the offset, the value stays.
  write(TOE_REG_SESSIONS_OFFSET, 99, true);
  EXPECT_EQ(read(TOE_REG_SESSIONS_OFFSET), kSessions);
  EXPECT_EQ(read(TOE_REG_LAST_ERROR_OFFSET),
            (TOE_REG_SESSIONS_OFFSET << addr_lsb) | TOE_REG_LAST_ERROR_CODE_READ_ONLY);
  EXPECT_EQ(read(TOE_REG_LAST_ERROR_OFFSET), TOE_REG_LAST_ERROR_CODE_NONE) << "cleared by the read";
  // Every register without a software-writable field: constants, core values, LAST_ERROR (rc).
  for (const uint32_t addr : {TOE_REG_TYPE_OFFSET, TOE_REG_VERSION_OFFSET, TOE_REG_STATUS_OFFSET,
                              TOE_REG_LAST_ERROR_OFFSET, TOE_REG_CNT_FRAMES_IN_OFFSET,
                              TOE_REG_CNT_ARP_IN_OFFSET}) {
    write(addr, 0xFFFFFFFFu, true);
    EXPECT_EQ(read(TOE_REG_LAST_ERROR_OFFSET), (addr << addr_lsb) | TOE_REG_LAST_ERROR_CODE_READ_ONLY)
        << std::hex << addr;
  }
  EXPECT_EQ(read(TOE_REG_TYPE_OFFSET), TOE_REG_TYPE_RESET);
  EXPECT_EQ(read(TOE_REG_VERSION_OFFSET), TOE_REG_VERSION_RESET);
  EXPECT_EQ(read(TOE_REG_CNT_FRAMES_IN_OFFSET), 0u);

  // A hole: err and rdata 0 on a read, err on a write; UNMAPPED with the offset.
  EXPECT_EQ(read(0x02C, true), 0u);
  EXPECT_EQ(read(TOE_REG_LAST_ERROR_OFFSET), (0x02Cu << addr_lsb) | TOE_REG_LAST_ERROR_CODE_UNMAPPED);
  write(0x030, 0x12345678u, true);
  // A later refused access overwrites the record: a misaligned read of MSS.
  EXPECT_EQ(read(TOE_REG_MSS_OFFSET + 2, true), 0u);
  EXPECT_EQ(read(TOE_REG_LAST_ERROR_OFFSET),
            ((TOE_REG_MSS_OFFSET + 2) << addr_lsb) | TOE_REG_LAST_ERROR_CODE_MISALIGNED);
  write(0x7FFC, 1, true);
  EXPECT_EQ(read(TOE_REG_LAST_ERROR_OFFSET), (0x7FFCu << addr_lsb) | TOE_REG_LAST_ERROR_CODE_UNMAPPED);
  EXPECT_EQ(read(TOE_REG_MSS_OFFSET), TOE_REG_MSS_RESET) << "the refused accesses changed nothing";

  // Accepted writes keep only the bits of their fields; SOFT_RESET reads 0; a W1C write of 0
  // clears nothing and is no error.
  write(TOE_REG_MSS_OFFSET, 0xFFFF0400u);
  EXPECT_EQ(read(TOE_REG_MSS_OFFSET), 0x0400u);
  write(TOE_REG_RCV_WSCALE_OFFSET, 0x1FFu);
  EXPECT_EQ(read(TOE_REG_RCV_WSCALE_OFFSET), 0xFFu);
  write(TOE_REG_INTR_ENABLE_OFFSET, 0xFFFFFFFFu);
  EXPECT_EQ(read(TOE_REG_INTR_ENABLE_OFFSET),
            TOE_REG_INTR_ENABLE_DROP_MASK | TOE_REG_INTR_ENABLE_EVQ_NOT_EMPTY_MASK);
  write(TOE_REG_INTR_STATE_OFFSET, 0);
  write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_SOFT_RESET_MASK | TOE_REG_CTRL_FIXED_ISN_EN_MASK);
  EXPECT_EQ(read(TOE_REG_CTRL_OFFSET), TOE_REG_CTRL_FIXED_ISN_EN_MASK);
  EXPECT_EQ(read(TOE_REG_LAST_ERROR_OFFSET), TOE_REG_LAST_ERROR_CODE_NONE);
  EXPECT_EQ(mismatch_, "");
}

TEST_F(EngineLockstep, EnableSwitchesOnlyBetweenFrames) {
  const EngineConfig cfg = configured();
  program(cfg);
  write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_SOFT_RESET_MASK);
  idle();

  // Four frames back to back, none for us (each counts in FRAMES_IN and DROP_NOT_FOR_US when the
  // engine sees it). ENABLE goes to 0 on the third beat of A and back to 1 on the third beat of
  // C: A is taken whole, B and C are discarded whole, D is taken.
  std::vector<std::vector<uint8_t>> f;
  for (uint16_t port = 41000; port < 41004; ++port) f.push_back(tcp_frame(cfg, kPeerIp ^ 0xFF, port, 7, 0, net::kSyn));
  Stimulus s;
  for (const auto& x : f) s.frame(x);
  const size_t off_at = 2, on_at = beats_of(f[0]) + beats_of(f[1]) + 2;
  EngineDeviceOut out = idle();
  size_t beats = 0;
  bool off_written = false, on_written = false;
  for (int i = 0; i < 2000 && !s.done(); ++i) {
    const EngineIn in = s.next(out);
    Bus b;
    const bool taken = in.rx.tvalid && out.rx_tready;
    if (taken && beats == off_at) {
      b = {true, true, TOE_REG_CTRL_OFFSET, 0};
      off_written = true;
    } else if (taken && beats == on_at) {
      b = {true, true, TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK};
      on_written = true;
    }
    if (taken) ++beats;
    out = clock(in, b);
    ASSERT_EQ(mismatch_, "");
  }
  ASSERT_TRUE(s.done());
  ASSERT_TRUE(off_written && on_written);
  for (int i = 0; i < 100; ++i) idle();
  EXPECT_EQ(read(TOE_REG_CNT_FRAMES_IN_OFFSET), 2u);
  EXPECT_EQ(read(TOE_REG_CNT_DROP_NOT_FOR_US_OFFSET), 2u);
  EXPECT_EQ(read(TOE_REG_CNT_DROP_MALFORMED_OFFSET), 0u) << "no frame was cut";
  EXPECT_EQ(dev_.engine().counter(Counter::kFramesIn), 2u);

  // Transmit: ENABLE goes to 0 with the first beat of the SYN-ACK; that frame goes out whole,
  // the SYN of an active open after it is held until ENABLE is 1 again.
  Stimulus open;
  Cmd listen;
  listen.op = CmdOp::kListen;
  listen.port = 80;
  open.command(listen);
  open.frame(tcp_frame(cfg, cfg.local_ip, 40010, 3000, 0, net::kSyn));
  const size_t sent_before = tx_frames_.size();
  out = idle();
  bool cut = false;
  for (int i = 0; i < 600; ++i) {
    const EngineIn in = open.next(out);
    Bus b;
    if (!cut && out.tx.tvalid && in.tx_tready) {
      b = {true, true, TOE_REG_CTRL_OFFSET, 0};
      cut = true;
    }
    out = clock(in, b);
    ASSERT_EQ(mismatch_, "");
  }
  ASSERT_TRUE(cut);
  ASSERT_TRUE(open.done());
  ASSERT_EQ(tx_frames_.size(), sent_before + 1);
  EXPECT_TRUE(tx_cur_.empty());
  net::Frame synack;
  ASSERT_EQ(net::parse_frame(tx_frames_.back(), synack), net::ParseError::kOk);
  EXPECT_EQ(synack.tcp.flags, net::kSyn | net::kAck);
  EXPECT_EQ(synack.tcp.ack, 3001u);
  Stimulus connect;
  Cmd o;
  o.op = CmdOp::kConnect;
  o.ip = kPeerIp;
  o.port = 5000;
  o.lport = 6000;
  o.mac = kPeerMac;
  connect.command(o);
  out = idle();
  for (int i = 0; i < 300; ++i) {
    out = clock(connect.next(out));
    EXPECT_FALSE(out.tx.tvalid);
  }
  EXPECT_TRUE(dev_.engine().outputs().tx.tvalid) << "toe_top offers the SYN, the wrapper holds it";
  EXPECT_EQ(tx_frames_.size(), sent_before + 1);
  write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK);
  for (int i = 0; i < 200; ++i) idle();
  ASSERT_EQ(tx_frames_.size(), sent_before + 2);
  net::Frame syn;
  ASSERT_EQ(net::parse_frame(tx_frames_.back(), syn), net::ParseError::kOk);
  EXPECT_EQ(syn.tcp.flags, net::kSyn);
  EXPECT_EQ(syn.tcp.dst_port, 5000);
  EXPECT_EQ(mismatch_, "");
}

TEST_F(EngineLockstep, SoftResetMidFrameResetsTheEngineAndKeepsTheRegisters) {
  const EngineConfig cfg = configured();
  program(cfg);
  write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_SOFT_RESET_MASK |
                                 TOE_REG_CTRL_FIXED_ISN_EN_MASK);
  // STATUS.READY is 0 in the clock SOFT_RESET holds the engine (the bus is not ready then), and
  // while the engine initialises its tables after it (Buckets clocks, which take no frame and no
  // command); 1 from the clock it takes traffic. Each read is compared with the RTL's.
  uint32_t status = 0;
  ASSERT_TRUE(dev_.peek_reg(TOE_REG_STATUS_OFFSET, &status));
  EXPECT_EQ(status & TOE_REG_STATUS_READY_MASK, 0u);
  EXPECT_FALSE(rtl_outputs().reg_ready);
  idle();  // the reset clock
  const uint64_t first = clocks_;  // now the engine's first clock after the reset
  uint64_t buckets = 1;
  while (buckets < dev_.engine().sessions()) buckets *= 2;
  EXPECT_EQ(read(TOE_REG_STATUS_OFFSET) & TOE_REG_STATUS_READY_MASK, 0u) << "the RTL's read too";
  wait_ready();
  EXPECT_EQ(clocks_ - first, buckets) << "READY rises when the Buckets clocks of initialisation end";
  EXPECT_TRUE(dev_.engine().outputs().cmd_ready);
  EXPECT_EQ(read(TOE_REG_STATUS_OFFSET) & TOE_REG_STATUS_READY_MASK, TOE_REG_STATUS_READY_MASK);
  ASSERT_EQ(mismatch_, "");

  // A connection is accepted; SOFT_RESET arrives on the third beat of the SYN-ACK going out and
  // again in the middle of the data frame that follows. What is left of each frame after the
  // reset is a new frame to the wrapper.
  Stimulus s;
  Cmd listen;
  listen.op = CmdOp::kListen;
  listen.port = 80;
  s.command(listen);
  s.frame(tcp_frame(cfg, cfg.local_ip, 40020, 100, 0, net::kSyn));
  EngineDeviceOut out = idle();
  size_t tx_beats = 0;
  bool reset_tx = false;
  for (int i = 0; i < 600; ++i) {
    const EngineIn in = s.next(out);
    Bus b;
    if (out.tx.tvalid && in.tx_tready && ++tx_beats == 3) {
      b = {true, true, TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_SOFT_RESET_MASK |
                                                TOE_REG_CTRL_FIXED_ISN_EN_MASK};
      reset_tx = true;
    }
    out = clock(in, b);
    ASSERT_EQ(mismatch_, "");
  }
  ASSERT_TRUE(reset_tx);
  EXPECT_FALSE(out.tx.tvalid) << "nothing left to send after the reset";
  EXPECT_EQ(dev_.engine().active_sessions(), 0u);
  EXPECT_EQ(read(TOE_REG_CNT_FRAMES_OUT_OFFSET), 0u);
  tx_cur_.clear();  // the SYN-ACK's first beats

  const std::vector<uint8_t> data = tcp_frame(cfg, cfg.local_ip, 40020, 101, cfg.fixed_isn + 1,
                                              net::kAck | net::kPsh, "sixteen bytes!!!");
  Stimulus rx;
  rx.frame(data);
  out = idle();
  size_t beats = 0;
  bool reset_rx = false;
  for (int i = 0; i < 400; ++i) {
    const EngineIn in = rx.next(out);
    Bus b;
    if (in.rx.tvalid && out.rx_tready && beats++ == 4) {
      b = {true, true, TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_SOFT_RESET_MASK |
                                                TOE_REG_CTRL_FIXED_ISN_EN_MASK};
      reset_rx = true;
    }
    out = clock(in, b);
    ASSERT_EQ(mismatch_, "");
  }
  ASSERT_TRUE(reset_rx);
  ASSERT_TRUE(rx.done());
  // The tail (after the beat of the reset clock, which nobody took) reached the engine as a frame
  // of its own, its first bytes taken for a destination MAC address that is not ours.
  EXPECT_EQ(read(TOE_REG_CNT_FRAMES_IN_OFFSET), 1u);
  EXPECT_EQ(read(TOE_REG_CNT_DROP_NOT_FOR_US_OFFSET), 1u);
  EXPECT_EQ(dev_.engine().counter(Counter::kDropNotForUs), 1u);
  EXPECT_EQ(dev_.engine().counter(Counter::kDropMalformed), 0u);

  // The registers kept their values, on both sides.
  EXPECT_EQ(read(TOE_REG_IPV4_ADDR_OFFSET), cfg.local_ip);
  EXPECT_EQ(read(TOE_REG_FIXED_ISN_OFFSET), cfg.fixed_isn);
  EXPECT_EQ(read(TOE_REG_CTRL_OFFSET), TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_FIXED_ISN_EN_MASK);
  EXPECT_EQ(dev_.engine().config().local_ip, cfg.local_ip);
  EXPECT_EQ(dev_.engine().config().fixed_isn, cfg.fixed_isn);
  EXPECT_EQ(mismatch_, "");
}

TEST_F(EngineLockstep, DropAndEventInterrupts) {
  const EngineConfig cfg = configured();
  program(cfg);
  write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_SOFT_RESET_MASK);
  idle();
  write(TOE_REG_INTR_ENABLE_OFFSET, TOE_REG_INTR_ENABLE_DROP_MASK);
  auto send = [&](const std::vector<uint8_t>& f, bool clear_every_clock) {
    Stimulus s;
    s.frame(f);
    EngineDeviceOut out = idle();
    int intr_clocks = 0;
    for (int i = 0; i < 400; ++i) {
      const Bus b = clear_every_clock ? Bus{true, true, TOE_REG_INTR_STATE_OFFSET, TOE_REG_INTR_STATE_DROP_MASK}
                                      : Bus{};
      out = clock(s.next(out), b);
      if (out.intr) ++intr_clocks;
    }
    EXPECT_TRUE(s.done());
    return intr_clocks;
  };

  // A frame the engine takes (a SYN to a listener: answered with a SYN-ACK) is no drop.
  Stimulus listen;
  Cmd l;
  l.op = CmdOp::kListen;
  l.port = 80;
  listen.command(l);
  EngineDeviceOut lo = idle();
  for (int i = 0; i < 20; ++i) lo = clock(listen.next(lo));
  ASSERT_TRUE(listen.done());
  const size_t sent = tx_frames_.size();
  EXPECT_EQ(send(tcp_frame(cfg, cfg.local_ip, 40030, 1, 0, net::kSyn), false), 0);
  EXPECT_EQ(tx_frames_.size(), sent + 1);
  EXPECT_EQ(read(TOE_REG_INTR_STATE_OFFSET) & TOE_REG_INTR_STATE_DROP_MASK, 0u);
  // A bad checksum is: DROP is set and, enabled, raises intr until cleared.
  std::vector<uint8_t> bad = tcp_frame(cfg, cfg.local_ip, 40031, 1, 0, net::kAck, "x");
  bad[54] ^= 0x5A;
  EXPECT_GT(send(bad, false), 100);
  EXPECT_EQ(read(TOE_REG_CNT_DROP_BAD_CSUM_OFFSET), 1u);
  EXPECT_EQ(read(TOE_REG_INTR_STATE_OFFSET) & TOE_REG_INTR_STATE_DROP_MASK, TOE_REG_INTR_STATE_DROP_MASK);
  EXPECT_TRUE(v_->intr_o);
  EXPECT_TRUE(dev_.outputs().intr);
  write(TOE_REG_INTR_STATE_OFFSET, TOE_REG_INTR_STATE_DROP_MASK);
  EXPECT_FALSE(idle().intr);
  // Cleared in every clock while another drop happens: the set wins in the clock the counter
  // moves, so intr is high for exactly the one clock after it.
  EXPECT_EQ(send(tcp_frame(cfg, kPeerIp ^ 0xFF, 40032, 1, 0, net::kSyn), true), 1);
  EXPECT_EQ(read(TOE_REG_CNT_DROP_NOT_FOR_US_OFFSET), 1u);
  EXPECT_EQ(read(TOE_REG_INTR_STATE_OFFSET) & TOE_REG_INTR_STATE_DROP_MASK, 0u);
  // Disabled, the cause is still recorded but intr stays low.
  write(TOE_REG_INTR_ENABLE_OFFSET, 0);
  EXPECT_EQ(send(tcp_frame(cfg, kPeerIp ^ 0xFF, 40033, 1, 0, net::kSyn), false), 0);
  EXPECT_EQ(read(TOE_REG_INTR_STATE_OFFSET) & TOE_REG_INTR_STATE_DROP_MASK, TOE_REG_INTR_STATE_DROP_MASK);

  // EVQ_NOT_EMPTY: the events so far were the firmware's (the SYN-ACK arms its retransmit
  // timer: on evt_*, not in the host queue). An active open issued through CMD reports event
  // opened in the host event queue; the firmware's stream is held (evt_ready low) meanwhile.
  EXPECT_EQ(read(TOE_REG_INTR_STATE_OFFSET) & TOE_REG_INTR_STATE_EVQ_NOT_EMPTY_MASK, 0u);
  EXPECT_EQ(read(TOE_REG_EVQ_STATUS_OFFSET) & TOE_REG_EVQ_STATUS_COUNT_MASK, 0u);
  write(TOE_REG_INTR_ENABLE_OFFSET, TOE_REG_INTR_ENABLE_EVQ_NOT_EMPTY_MASK);
  write(TOE_REG_CMD_IP_OFFSET, kPeerIp);
  write(TOE_REG_CMD_PORTS_OFFSET, 6001u << TOE_REG_CMD_PORTS_LPORT_LSB | 5000u);
  const auto& pm = kPeerMac.b;
  write(TOE_REG_CMD_MAC_LO_OFFSET, uint32_t(pm[2]) << 24 | uint32_t(pm[3]) << 16 | uint32_t(pm[4]) << 8 | pm[5]);
  write(TOE_REG_CMD_MAC_HI_OFFSET, uint32_t(pm[0]) << 8 | pm[1]);
  write(TOE_REG_CMD_TAG_OFFSET, 7);
  EngineIn held;
  held.evt_ready = false;
  EngineDeviceOut out = clock(held, {true, true, TOE_REG_CMD_OFFSET, TOE_CMD_CONNECT});
  EXPECT_FALSE(out.reg_err);
  for (int i = 0; i < 50; ++i) out = clock(held);
  EXPECT_TRUE(out.intr);
  // The firmware's retx_arm waits on evt_* (evt_ready low); the host's opened went to its queue.
  EXPECT_TRUE(out.evt_valid);
  EXPECT_EQ(out.evt.type, toe::model::EvtType::kRetxArm);
  EXPECT_EQ(read(TOE_REG_EVQ_STATUS_OFFSET) & TOE_REG_EVQ_STATUS_COUNT_MASK, 1u);
  const uint32_t ev = read(TOE_REG_EVQ_EVENT_OFFSET);
  EXPECT_EQ(ev & TOE_REG_EVQ_EVENT_EVT_MASK, TOE_EVT_OPENED);
  EXPECT_EQ((ev & TOE_REG_EVQ_EVENT_STATE_MASK) >> TOE_REG_EVQ_EVENT_STATE_LSB, TOE_STATE_SYN_SENT);
  EXPECT_EQ(read(TOE_REG_EVQ_VALUE_OFFSET), 7u);
  const uint32_t conn = read(TOE_REG_EVQ_CONN_OFFSET);
  write(TOE_REG_CONN_SEL_OFFSET, conn);
  EXPECT_EQ(read(TOE_REG_CONN_STATE_OFFSET) & TOE_REG_CONN_STATE_STATE_MASK, TOE_STATE_SYN_SENT);
  EXPECT_EQ(read(TOE_REG_CONN_PORTS_OFFSET), 5000u << TOE_REG_CONN_PORTS_RPORT_LSB | 6001u);
  EXPECT_EQ(read(TOE_REG_CONN_REMOTE_IP_OFFSET), kPeerIp);
  EXPECT_EQ(read(TOE_REG_CONN_TAG_OFFSET), 7u);
  out = clock(held, {true, false, TOE_REG_INTR_STATE_OFFSET, 0});
  EXPECT_EQ(out.reg_rdata, TOE_REG_INTR_STATE_EVQ_NOT_EMPTY_MASK | TOE_REG_INTR_STATE_DROP_MASK);
  // While the queue holds an event, a clear does not stick; once it is popped, it does.
  clock(held, {true, true, TOE_REG_INTR_STATE_OFFSET, TOE_REG_INTR_STATE_EVQ_NOT_EMPTY_MASK});
  EXPECT_TRUE(clock(held).intr);
  write(TOE_REG_EVQ_POP_OFFSET, TOE_REG_EVQ_POP_POP_MASK);
  EXPECT_EQ(read(TOE_REG_EVQ_STATUS_OFFSET) & TOE_REG_EVQ_STATUS_COUNT_MASK, 0u);
  EXPECT_EQ(read(TOE_REG_EVQ_EVENT_OFFSET), 0u);
  write(TOE_REG_INTR_STATE_OFFSET, TOE_REG_INTR_STATE_EVQ_NOT_EMPTY_MASK);
  EXPECT_FALSE(idle().intr);
  // The firmware takes its event.
  for (int i = 0; i < 10 && out.evt_valid; ++i) out = idle();
  EXPECT_FALSE(out.evt_valid);
  EXPECT_EQ(mismatch_, "");
}

TEST_F(EngineLockstep, SoftResetHoldsTheEngineForOneClock) {
  EngineConfig cfg = configured();
  program(cfg);
  write(TOE_REG_CHAL_GLOBAL_BURST_OFFSET, 0);
  cfg.chal_global_burst = 0;
  write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_SOFT_RESET_MASK |
                                 TOE_REG_CTRL_FIXED_ISN_EN_MASK);
  // The clock the engine is held: the host bus is not ready (an access taken then would be lost
  // with the queues and the window walk), a command offered is not taken (toe_top's cmd_ready is 0
  // from its reset until its tables are initialised, Buckets clocks later), and the engine fills
  // its token bucket from CHAL_GLOBAL_BURST (now 0, not the 3 of the first reset) on its first
  // clock.
  EXPECT_FALSE(rtl_outputs().reg_ready);
  EngineIn in;
  in.cmd_valid = true;
  in.cmd.op = CmdOp::kListen;
  in.cmd.port = 80;
  EXPECT_FALSE(clock(in, {true, false, TOE_REG_TYPE_OFFSET, 0}).cmd_ready);
  EXPECT_FALSE(rtl_outputs().reg_valid) << "the access offered in the reset clock was not taken";

  auto run = [&](Stimulus& s, int clocks) {
    EngineDeviceOut out = idle();
    for (int i = 0; i < clocks; ++i) out = clock(s.next(out));
    EXPECT_TRUE(s.done());
  };
  // No listener: the SYN is answered with a RST.
  Stimulus syn;
  syn.frame(tcp_frame(cfg, cfg.local_ip, 40040, 10, 0, net::kSyn));
  run(syn, 300);
  EXPECT_EQ(read(TOE_REG_CNT_RST_SENT_OFFSET), 1u);
  EXPECT_EQ(dev_.engine().config().chal_global_burst, 0u);
  // With a listener, a connection; a SYN on it would get a challenge ACK, but the bucket is empty.
  Stimulus est;
  Cmd listen;
  listen.op = CmdOp::kListen;
  listen.port = 80;
  est.command(listen);
  est.frame(tcp_frame(cfg, cfg.local_ip, 40041, 500, 0, net::kSyn));
  est.frame(tcp_frame(cfg, cfg.local_ip, 40041, 501, cfg.fixed_isn + 1, net::kAck));
  est.frame(tcp_frame(cfg, cfg.local_ip, 40041, 9000, 0, net::kSyn));
  run(est, 800);
  EXPECT_EQ(dev_.engine().tcb(0).state, TcpState::ESTABLISHED);
  EXPECT_EQ(read(TOE_REG_CNT_CHALLENGE_ACKS_OFFSET), 0u);
  EXPECT_EQ(read(TOE_REG_CNT_CHALLENGE_ACK_LIMITED_OFFSET), 1u);
  EXPECT_EQ(mismatch_, "");
}

}  // namespace
