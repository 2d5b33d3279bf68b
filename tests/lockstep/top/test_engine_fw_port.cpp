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
//   - random traffic on both ports while frames arrive.
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

class FwPort : public EngineLockstep {
 protected:
  // Configured, enabled, listening on port 80 (the host's command), firmware events to the port.
  void start() {
    cfg_ = configured();
    program(cfg_);
    write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_SOFT_RESET_MASK | TOE_REG_CTRL_FIXED_ISN_EN_MASK);
    idle();
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
  EngineConfig cfg_;
};

TEST_F(FwPort, IdentityAndEveryRefusal) {
  EXPECT_EQ(fw_read(TOE_FW_REG_TYPE_OFFSET), 0x544F4546u);  // "TOEF"
  EXPECT_EQ(fw_read(TOE_FW_REG_VERSION_OFFSET), TOE_FW_REG_VERSION_RESET);
  EXPECT_EQ(fw_read(TOE_FW_REG_SESSIONS_OFFSET), kSessions);
  EXPECT_EQ(fw_read(TOE_FW_REG_CMD_STATUS_OFFSET), 4u << TOE_FW_REG_CMD_STATUS_DEPTH_LSB);
  EXPECT_EQ(fw_read(TOE_FW_REG_EVQ_STATUS_OFFSET), 16u << TOE_FW_REG_EVQ_STATUS_DEPTH_LSB);
  EXPECT_EQ(fw_read(TOE_FW_REG_STATUS_OFFSET), TOE_FW_REG_STATUS_READY_MASK);
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
  EXPECT_EQ(fw_read(TOE_FW_REG_EVQ_VALUE_OFFSET), cfg_.fixed_isn + 1) << "SND.NXT after the SYN-ACK";
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

}  // namespace
