// SPDX-License-Identifier: Apache-2.0
// toe_engine's host register port in lockstep with model::EngineDevice (the fixture
// EngineLockstep compares every output port on every clock):
//   - every refusal of the host port answered err, recorded in LAST_ERROR and counted in
//     BUS_ERRORS; a refusal counted by the very next access on either port (a BUS_ERRORS read
//     on the clock after the refused access's answer sees it: the raw-BAR transport finds a
//     refused read that way);
//   - the CONN_* registers read every cycle while the TCB changes under them;
//   - random host-bus traffic while frames arrive.
// Part of the binary test_engine_lockstep (labels lockstep;rtl); harness: engine_lockstep.{hpp,cpp}.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "engine_lockstep.hpp"
#include "toe_defs.h"
#include "toe_fw_regs.h"
#include "toe_regs.h"

using namespace toe::lockstep::engine;
using toe::model::CmdOp;
using toe::model::EngineConfig;
using toe::TcpState;
namespace net = toe::net;

// The host port's own refusals: each answers err, changes nothing, is recorded in LAST_ERROR
// with its offset and counted in BUS_ERRORS.
TEST_F(EngineLockstep, HostPortRefusalsAreRecordedAndCounted) {
  const uint32_t addr_lsb = TOE_REG_LAST_ERROR_ADDR_LSB;
  EXPECT_EQ(read(TOE_REG_CMD_STATUS_OFFSET), 4u << TOE_REG_CMD_STATUS_DEPTH_LSB);
  EXPECT_EQ(read(TOE_REG_EVQ_STATUS_OFFSET), 16u << TOE_REG_EVQ_STATUS_DEPTH_LSB);
  uint32_t refused = 0;
  auto expect_refused = [&](const Bus& b, uint32_t code) {
    bool err = false;
    EXPECT_EQ(access(b, &err), 0u);
    EXPECT_TRUE(err) << std::hex << b.addr;
    ++refused;
    EXPECT_EQ(read(TOE_REG_LAST_ERROR_OFFSET), (b.addr << addr_lsb) | code) << std::hex << b.addr;
  };
  // Byte enables other than all four, on a read and on a write (MSS keeps its value).
  expect_refused({true, false, TOE_REG_TYPE_OFFSET, 0, 0x3}, TOE_REG_LAST_ERROR_CODE_BAD_SIZE);
  expect_refused({true, true, TOE_REG_MSS_OFFSET, 100, 0x1}, TOE_REG_LAST_ERROR_CODE_BAD_SIZE);
  EXPECT_EQ(read(TOE_REG_MSS_OFFSET), TOE_REG_MSS_RESET);
  // Commands: a firmware timer command and an unknown opcode; close and abort of a free
  // session and of one beyond the last; the CMD register keeps its last accepted OP.
  write(TOE_REG_CONN_SEL_OFFSET, 3);
  expect_refused({true, true, TOE_REG_CMD_OFFSET, TOE_CMD_RETRANSMIT}, TOE_REG_LAST_ERROR_CODE_BAD_COMMAND);
  expect_refused({true, true, TOE_REG_CMD_OFFSET, 15}, TOE_REG_LAST_ERROR_CODE_BAD_COMMAND);
  expect_refused({true, true, TOE_REG_CMD_OFFSET, TOE_CMD_CLOSE}, TOE_REG_LAST_ERROR_CODE_NO_CONN);
  write(TOE_REG_CONN_SEL_OFFSET, 99);
  EXPECT_EQ(read(TOE_REG_CONN_STATE_OFFSET), 0u) << "beyond the last session: the reset TCB";
  expect_refused({true, true, TOE_REG_CMD_OFFSET, TOE_CMD_ABORT}, TOE_REG_LAST_ERROR_CODE_NO_CONN);
  EXPECT_EQ(read(TOE_REG_CMD_OFFSET), 0u);
  // The event queue is empty: a pop is refused; a write of POP = 0 is no pop and no error.
  expect_refused({true, true, TOE_REG_EVQ_POP_OFFSET, 1}, TOE_REG_LAST_ERROR_CODE_QUEUE_EMPTY);
  write(TOE_REG_EVQ_POP_OFFSET, 0);
  // Windows: a free session, a write to the receive window, beyond the 4 KiB buffer, misaligned.
  expect_refused({true, false, TOE_REG_RX_WINDOW_BASE}, TOE_REG_LAST_ERROR_CODE_NO_CONN);
  expect_refused({true, true, TOE_REG_TX_WINDOW_BASE + 8, 1}, TOE_REG_LAST_ERROR_CODE_NO_CONN);
  expect_refused({true, true, TOE_REG_RX_WINDOW_BASE, 1}, TOE_REG_LAST_ERROR_CODE_READ_ONLY);
  expect_refused({true, false, TOE_REG_RX_WINDOW_BASE + kBufBytes}, TOE_REG_LAST_ERROR_CODE_OUTSIDE_BUFFER);
  expect_refused({true, true, TOE_REG_TX_WINDOW_BASE + 2, 1}, TOE_REG_LAST_ERROR_CODE_MISALIGNED);
  // Partial byte enables: a transmit-window write takes them (here: refused for the free
  // session, not for its size); nothing else does, and a window write needs at least one.
  expect_refused({true, true, TOE_REG_TX_WINDOW_BASE, 1, 0x6}, TOE_REG_LAST_ERROR_CODE_NO_CONN);
  expect_refused({true, true, TOE_REG_TX_WINDOW_BASE, 1, 0x0}, TOE_REG_LAST_ERROR_CODE_BAD_SIZE);
  expect_refused({true, false, TOE_REG_RX_WINDOW_BASE, 0, 0x6}, TOE_REG_LAST_ERROR_CODE_BAD_SIZE);
  EXPECT_EQ(read(TOE_REG_BUS_ERRORS_OFFSET), refused);
  // A listen needs no session: taken, and the queue drains into the engine.
  write(TOE_REG_CMD_PORTS_OFFSET, 80);
  write(TOE_REG_CMD_OFFSET, TOE_CMD_LISTEN);
  for (int i = 0; i < 4; ++i) idle();
  EXPECT_EQ(read(TOE_REG_CMD_STATUS_OFFSET) & TOE_REG_CMD_STATUS_PENDING_MASK, 0u);
  EXPECT_EQ(read(TOE_REG_CMD_OFFSET), TOE_CMD_LISTEN);
  EXPECT_EQ(read(TOE_REG_BUS_ERRORS_OFFSET), refused);
  EXPECT_EQ(mismatch_, "");
}

// A refusal is counted by the very next access: a BUS_ERRORS read taken on the clock after the
// refused access's answer (the bus ready again at once) returns the count with that refusal in
// it, on both ports. The raw-BAR transport detects a refused read by reading BUS_ERRORS next; a
// count that moved a clock later read as no refusal there.
TEST_F(EngineLockstep, ARefusalIsCountedByTheVeryNextAccess) {
  wait_ready();
  for (const bool fw : {false, true}) {
    const uint32_t count_at = fw ? TOE_FW_REG_BUS_ERRORS_OFFSET : TOE_REG_BUS_ERRORS_OFFSET;
    for (uint32_t k = 1; k <= 3; ++k) {
      // A read of a hole (UNMAPPED), then a write to a read-only register (READ_ONLY).
      Bus refused{true, k == 3, k == 3 ? (fw ? TOE_FW_REG_STATUS_OFFSET : TOE_REG_TYPE_OFFSET) : 0x0FF0u, 0};
      refused.fw = fw;
      bool err = false;
      access(refused, &err);
      EXPECT_TRUE(err) << (fw ? "firmware" : "host") << " port, refusal " << k;
      EXPECT_TRUE(fw ? v_->fw_ready_o : v_->reg_ready_o) << "the next access is taken on the next clock";
      Bus count{true, false, count_at, 0};
      count.fw = fw;
      EXPECT_EQ(access(count, &err), k) << (fw ? "firmware" : "host") << " port, refusal " << k;
      EXPECT_FALSE(err);
    }
  }
  EXPECT_EQ(read(TOE_REG_BUS_ERRORS_OFFSET), 3u) << "each port counts its own";
  EXPECT_EQ(mismatch_, "");
}

// Random host-bus traffic (every register, both windows, random byte enables, CMD and EVQ_POP
// writes) while frames arrive: both sides answer alike on every clock.
// The CONN_* registers are a registered read of the TCB issued at CONN_SEL's next value, with the
// TCB writes of the clock edge forwarded. Read every cycle while the TCB changes under them
// (tcp_fsm's writes: the state in the handshake, RCV_NXT as data arrives, SND_UNA as it is
// acknowledged; tx_arbiter's: SND_NXT as data goes out), each read must show the TCB of its own
// cycle, as the model's combinational read does; a read one write late differs from the model's.
TEST_F(EngineLockstep, ConnRegistersReadEveryCycleFollowEachTcbWrite) {
  const EngineConfig cfg = configured();
  program(cfg);
  write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_FIXED_ISN_EN_MASK);
  write(TOE_REG_CMD_PORTS_OFFSET, 80);
  write(TOE_REG_CMD_OFFSET, TOE_CMD_LISTEN);
  write(TOE_REG_CONN_SEL_OFFSET, 0);  // the first connection takes the first TCB
  const toe::model::Engine& model = dev_.engine();
  EngineDeviceOut out = idle();
  auto poll = [&](Stimulus& s, uint32_t reg, int cycles) {
    uint32_t changes = 0, last = 0;
    for (int i = 0; i < cycles && mismatch_.empty(); ++i) {
      out = clock(s.next(out), Bus{true, false, reg, 0});
      if (out.reg_valid && out.reg_rdata != last) ++changes;
      if (out.reg_valid) last = out.reg_rdata;
    }
    EXPECT_TRUE(s.done());
    return changes;
  };
  const uint32_t iss = 5000;
  Stimulus hs;
  hs.frame(tcp_frame(cfg, cfg.local_ip, 40000, iss, 0, net::kSyn, "", true));
  hs.frame(tcp_frame(cfg, cfg.local_ip, 40000, iss + 1, cfg.fixed_isn + 1, net::kAck));
  EXPECT_GE(poll(hs, TOE_REG_CONN_STATE_OFFSET, 400), 2u) << "CLOSED -> SYN_RECEIVED -> ESTABLISHED";
  ASSERT_EQ(mismatch_, "");
  ASSERT_EQ(model.tcb(0).state, TcpState::ESTABLISHED);
  Stimulus data;
  for (uint32_t k = 0; k < 4; ++k) {
    data.frame(tcp_frame(cfg, cfg.local_ip, 40000, iss + 1 + 8 * k, cfg.fixed_isn + 1,
                         net::kAck | net::kPsh, "8 bytes!"));
  }
  EXPECT_GE(poll(data, TOE_REG_CONN_RCV_NXT_OFFSET, 600), 4u) << "one RCV_NXT per segment";
  ASSERT_EQ(mismatch_, "");
  host_write_tx(0, 0, "twelve bytes");
  Stimulus push;
  Cmd p;
  p.op = CmdOp::kTxPush;
  p.conn = 0;
  p.value = 12;
  push.command(p);
  EXPECT_GE(poll(push, TOE_REG_CONN_SND_NXT_OFFSET, 400), 1u) << "tx_arbiter advances SND_NXT";
  ASSERT_EQ(mismatch_, "");
  Stimulus ack;
  ack.frame(tcp_frame(cfg, cfg.local_ip, 40000, iss + 33, cfg.fixed_isn + 13, net::kAck));
  EXPECT_GE(poll(ack, TOE_REG_CONN_SND_UNA_OFFSET, 400), 1u) << "the ACK advances SND_UNA";
  EXPECT_EQ(mismatch_, "");
  EXPECT_EQ(read(TOE_REG_CONN_SND_UNA_OFFSET), cfg.fixed_isn + 13);
}

TEST_F(EngineLockstep, RandomHostBusTrafficMatchesTheModel) {
  const EngineConfig cfg = configured();
  program(cfg);
  write(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK);
  write(TOE_REG_CMD_PORTS_OFFSET, 80);
  write(TOE_REG_CMD_OFFSET, TOE_CMD_LISTEN);
  Stimulus s;
  for (uint16_t p = 0; p < 6; ++p) {
    s.frame(tcp_frame(cfg, cfg.local_ip, uint16_t(41000 + p), 1000, 0, net::kSyn, "", true));
    s.frame(tcp_frame(cfg, cfg.local_ip, uint16_t(41000 + p), 1001, cfg.fixed_isn + 1, net::kAck));
    s.frame(tcp_frame(cfg, cfg.local_ip, uint16_t(41000 + p), 1001, cfg.fixed_isn + 1, net::kAck | net::kPsh,
                      "data for the window " + std::to_string(p)));
  }
  uint64_t x = 0x9E3779B97F4A7C15ull;
  auto rnd = [&](uint32_t n) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return uint32_t(x % n);
  };
  const uint32_t regs[] = {TOE_REG_CONN_SEL_OFFSET, TOE_REG_CONN_STATE_OFFSET, TOE_REG_CONN_RX_WR_OFFSET,
                           TOE_REG_CMD_OFFSET, TOE_REG_CMD_STATUS_OFFSET, TOE_REG_CMD_VALUE_OFFSET,
                           TOE_REG_EVQ_STATUS_OFFSET, TOE_REG_EVQ_EVENT_OFFSET, TOE_REG_EVQ_CONN_OFFSET,
                           TOE_REG_EVQ_POP_OFFSET, TOE_REG_TX_WIN_BASE_OFFSET, TOE_REG_RX_WIN_BASE_OFFSET,
                           TOE_REG_LAST_ERROR_OFFSET, TOE_REG_BUS_ERRORS_OFFSET, TOE_REG_INTR_STATE_OFFSET,
                           TOE_REG_CNT_FRAMES_IN_OFFSET, TOE_REG_TX_WINDOW_BASE, TOE_REG_RX_WINDOW_BASE,
                           TOE_REG_RX_WINDOW_BASE + kBufBytes - 4, 0x7FF0};
  EngineDeviceOut out = idle();
  uint32_t answers = 0, errors = 0;
  for (int i = 0; i < 6000 && mismatch_.empty(); ++i) {
    EngineIn in = s.next(out);
    in.evt_ready = rnd(4) != 0;
    Bus b;
    if (rnd(3) == 0) {
      b.req = true;
      b.we = rnd(2) == 0;
      b.addr = regs[rnd(sizeof(regs) / sizeof(regs[0]))] + (rnd(40) == 0 ? 2 : 0);
      b.wdata = rnd(4) == 0 ? rnd(16) : (b.addr == TOE_REG_CONN_SEL_OFFSET ? rnd(20) : uint32_t(x));
      b.be = rnd(30) == 0 ? uint8_t(rnd(16)) : 0xF;
    }
    out = clock(in, b);
    if (out.reg_valid) ++answers;
    if (out.reg_err) ++errors;
  }
  EXPECT_TRUE(s.done());
  EXPECT_GT(answers, 1000u);
  EXPECT_GT(errors, 50u);
  EXPECT_EQ(mismatch_, "");
}
