// SPDX-License-Identifier: Apache-2.0
// The TLM-2.0 device (sim/systemc/toe_device_tlm.hpp) with the C++ model behind it (test_device_tlm)
// and with the Verilated toe_engine behind it (test_device_tlm_rtl: TOE_PLATFORM_ENGINE "rtl",
// the same tests, ctest names rtl.*), checked through its host socket, irq line and frame channel only: identity from the generated
// header, a rw round trip, each error response and what LAST_ERROR records, side-effect-free
// transport_dbg, DMI refused, the annotated delay and simulated time, the DROP interrupt after a
// malformed frame, and a SYN to a listening port answered by a SYN-ACK on the wire, the listen
// issued through the CMD registers.
//
// Bench, TlmInitiator, tcp_frame: tlm_bench.{hpp,cpp} (library toe_platform_bench).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <memory>
#include <stdexcept>
#include <vector>

#include "tlm_bench.hpp"
#include "toe_defs.h"
#include "toe_fw_regs.h"
#include "toe_regs.h"

// The engine behind the device: make_device_engine's name.
#ifndef TOE_PLATFORM_ENGINE
#define TOE_PLATFORM_ENGINE "model"
#endif

namespace {

using namespace toe::platform_test;
using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_US;
using sc_core::SC_ZERO_TIME;
namespace net = toe::net;

class DeviceTlmTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fresh_simulation();
    cfg_.params.sessions = 16;
    cfg_.params.data_bytes = 8;
    cfg_.engine = TOE_PLATFORM_ENGINE;
    adjust(cfg_);
    bench_ = std::make_unique<Bench>("bench", cfg_);
  }
  virtual void adjust(toe::sc::DeviceTlmConfig&) {}

  const sc_time& period() const { return cfg_.clock_period; }
  uint32_t last_error_code(uint32_t v) const {
    return (v & TOE_REG_LAST_ERROR_CODE_MASK) >> TOE_REG_LAST_ERROR_CODE_LSB;
  }
  uint32_t last_error_addr(uint32_t v) const {
    return (v & TOE_REG_LAST_ERROR_ADDR_MASK) >> TOE_REG_LAST_ERROR_ADDR_LSB;
  }

  toe::sc::DeviceTlmConfig cfg_;
  std::unique_ptr<Bench> bench_;
};

TEST_F(DeviceTlmTest, IdentityRegistersHoldTheGeneratedValues) {
  EXPECT_STREQ(bench_->dev.engine_kind(), TOE_PLATFORM_ENGINE);
  ASSERT_TRUE(bench_->run([&](Bench& b) {
    EXPECT_EQ(b.cpu.rd(TOE_REG_TYPE_OFFSET), TOE_DEVICE_TYPE);
    EXPECT_EQ(b.cpu.rd(TOE_REG_TYPE_OFFSET), TOE_REG_TYPE_RESET);
    EXPECT_EQ(b.cpu.rd(TOE_REG_VERSION_OFFSET), TOE_DEVICE_VERSION);
    EXPECT_EQ(b.cpu.rd(TOE_REG_SESSIONS_OFFSET), cfg_.params.sessions);
  }));
}

TEST_F(DeviceTlmTest, ReadWriteRegisterRoundTrip) {
  ASSERT_TRUE(bench_->run([&](Bench& b) {
    EXPECT_EQ(b.cpu.rd(TOE_REG_MSS_OFFSET), TOE_REG_MSS_RESET);
    b.cpu.wr(TOE_REG_MSS_OFFSET, 1200);
    EXPECT_EQ(b.cpu.rd(TOE_REG_MSS_OFFSET), 1200u);
    b.cpu.wr(TOE_REG_IPV4_ADDR_OFFSET, 0xDEADBEEF);
    EXPECT_EQ(b.cpu.rd(TOE_REG_IPV4_ADDR_OFFSET), 0xDEADBEEFu);
    // MAC_ADDR_HI holds bits 15:0 only.
    b.cpu.wr(TOE_REG_MAC_ADDR_HI_OFFSET, 0xFFFF0211);
    EXPECT_EQ(b.cpu.rd(TOE_REG_MAC_ADDR_HI_OFFSET), 0x0211u);
    EXPECT_EQ(b.cpu.rd(TOE_REG_LAST_ERROR_OFFSET), 0u) << "nothing was refused";
  }));
}

TEST_F(DeviceTlmTest, WriteToReadOnlyIsACommandErrorRecordedInLastError) {
  ASSERT_TRUE(bench_->run([&](Bench& b) {
    const TlmInitiator::Result r = b.cpu.write(TOE_REG_TYPE_OFFSET, 0x12345678);
    EXPECT_EQ(r.status, tlm::TLM_COMMAND_ERROR_RESPONSE);
    wait(r.delay);
    EXPECT_EQ(b.cpu.rd(TOE_REG_TYPE_OFFSET), TOE_DEVICE_TYPE) << "the refused write changed nothing";
    const TlmInitiator::Result c = b.cpu.write(TOE_REG_CNT_FRAMES_IN_OFFSET, 7);
    EXPECT_EQ(c.status, tlm::TLM_COMMAND_ERROR_RESPONSE);
    wait(c.delay);
    const uint32_t le = b.cpu.rd(TOE_REG_LAST_ERROR_OFFSET);
    EXPECT_EQ(last_error_code(le), TOE_REG_LAST_ERROR_CODE_READ_ONLY);
    EXPECT_EQ(last_error_addr(le), TOE_REG_CNT_FRAMES_IN_OFFSET) << "the later refusal overwrote the first";
    EXPECT_EQ(b.cpu.rd(TOE_REG_LAST_ERROR_OFFSET), 0u) << "LAST_ERROR is cleared by a read";
    // LAST_ERROR itself is rc: a write to it is refused too, and recorded.
    EXPECT_EQ(b.cpu.write(TOE_REG_LAST_ERROR_OFFSET, 0).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(last_error_code(b.cpu.rd(TOE_REG_LAST_ERROR_OFFSET)), TOE_REG_LAST_ERROR_CODE_READ_ONLY);
  }));
}

TEST_F(DeviceTlmTest, HolesAndMisalignedOffsetsAreAddressErrors) {
  ASSERT_TRUE(bench_->run([&](Bench& b) {
    const uint32_t hole = 0x0FFC;
    ASSERT_EQ(toe::regmap::find(hole), nullptr);
    EXPECT_EQ(b.cpu.read(hole).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    uint32_t le = b.cpu.rd(TOE_REG_LAST_ERROR_OFFSET);
    EXPECT_EQ(last_error_code(le), TOE_REG_LAST_ERROR_CODE_UNMAPPED);
    EXPECT_EQ(last_error_addr(le), hole);
    EXPECT_EQ(b.cpu.write(hole, 1).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(last_error_code(b.cpu.rd(TOE_REG_LAST_ERROR_OFFSET)), TOE_REG_LAST_ERROR_CODE_UNMAPPED);

    EXPECT_EQ(b.cpu.read(TOE_REG_MSS_OFFSET + 2).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    le = b.cpu.rd(TOE_REG_LAST_ERROR_OFFSET);
    EXPECT_EQ(last_error_code(le), TOE_REG_LAST_ERROR_CODE_MISALIGNED);
    EXPECT_EQ(last_error_addr(le), TOE_REG_MSS_OFFSET + 2);

    // Beyond the register window: refused by the socket, no bus cycle, nothing recorded.
    const TlmInitiator::Result far = b.cpu.read(TOE_REG_WINDOW_SIZE + TOE_REG_TYPE_OFFSET, period());
    EXPECT_EQ(far.status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(far.delay, period());
    EXPECT_EQ(b.cpu.rd(TOE_REG_LAST_ERROR_OFFSET), 0u);
  }));
}

TEST_F(DeviceTlmTest, BurstsAndByteEnablesAreRefusedRecordedAndCounted) {
  ASSERT_TRUE(bench_->run([&](Bench& b) {
    b.cpu.wr(TOE_REG_MSS_OFFSET, 1000);
    const TlmInitiator::Result len8 = b.cpu.raw(tlm::TLM_WRITE_COMMAND, TOE_REG_MSS_OFFSET, 8, 8, nullptr);
    EXPECT_EQ(len8.status, tlm::TLM_BURST_ERROR_RESPONSE);
    EXPECT_GT(len8.delay, SC_ZERO_TIME) << "a bus cycle: the device refuses it (reg_be != 0xF)";
    const uint32_t le = b.cpu.rd(TOE_REG_LAST_ERROR_OFFSET);
    EXPECT_EQ(last_error_code(le), TOE_REG_LAST_ERROR_CODE_BAD_SIZE);
    EXPECT_EQ(last_error_addr(le), TOE_REG_MSS_OFFSET);
    EXPECT_EQ(b.cpu.raw(tlm::TLM_READ_COMMAND, TOE_REG_MSS_OFFSET, 8, 8, nullptr).status,
              tlm::TLM_BURST_ERROR_RESPONSE);
    EXPECT_EQ(b.cpu.raw(tlm::TLM_READ_COMMAND, TOE_REG_MSS_OFFSET, 2, 2, nullptr).status,
              tlm::TLM_BURST_ERROR_RESPONSE);
    EXPECT_EQ(b.cpu.raw(tlm::TLM_WRITE_COMMAND, TOE_REG_MSS_OFFSET, 4, 2, nullptr).status,
              tlm::TLM_BURST_ERROR_RESPONSE)
        << "streaming width 2";
    const std::vector<unsigned char> low_half{0xFF, 0xFF, 0x00, 0x00};
    EXPECT_EQ(b.cpu.raw(tlm::TLM_WRITE_COMMAND, TOE_REG_MSS_OFFSET, 4, 4, &low_half).status,
              tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    EXPECT_EQ(b.cpu.raw(tlm::TLM_READ_COMMAND, TOE_REG_MSS_OFFSET, 4, 4, &low_half).status,
              tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    EXPECT_EQ(last_error_code(b.cpu.rd(TOE_REG_LAST_ERROR_OFFSET)), TOE_REG_LAST_ERROR_CODE_BAD_SIZE);
    EXPECT_EQ(b.cpu.rd(TOE_REG_MSS_OFFSET), 1000u) << "no refused write landed";
    EXPECT_EQ(b.cpu.rd(TOE_REG_BUS_ERRORS_OFFSET), 6u) << "every refused access counted";
  }));
}

TEST_F(DeviceTlmTest, DebugTransportReadsWithoutSideEffects) {
  ASSERT_TRUE(bench_->run([&](Bench& b) {
    EXPECT_EQ(b.cpu.read(0x0FFC).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    wait(period());
    uint32_t dbg = 0;
    ASSERT_EQ(b.cpu.dbg_read(TOE_REG_LAST_ERROR_OFFSET, reinterpret_cast<unsigned char*>(&dbg), 4), 4u);
    EXPECT_EQ(last_error_code(dbg), TOE_REG_LAST_ERROR_CODE_UNMAPPED);
    uint32_t again = 0;
    ASSERT_EQ(b.cpu.dbg_read(TOE_REG_LAST_ERROR_OFFSET, reinterpret_cast<unsigned char*>(&again), 4), 4u);
    EXPECT_EQ(again, dbg) << "a debug read does not clear an rc register";
    // A bus read returns the same value, and clears it.
    EXPECT_EQ(b.cpu.rd(TOE_REG_LAST_ERROR_OFFSET), dbg);
    EXPECT_EQ(b.cpu.rd(TOE_REG_LAST_ERROR_OFFSET), 0u);
    // Debug reads of holes and misaligned offsets are not refused accesses.
    unsigned char bytes[16] = {};
    EXPECT_EQ(b.cpu.dbg_read(0x0FF8, bytes, 8), 8u);
    EXPECT_EQ(b.cpu.dbg_read(TOE_REG_TYPE_OFFSET + 1, bytes, 3), 3u);
    EXPECT_EQ(b.cpu.rd(TOE_REG_LAST_ERROR_OFFSET), 0u);
    // Several registers in one debug read: TYPE, VERSION, SESSIONS, as the bus reads them.
    uint32_t ident[3] = {};
    ASSERT_EQ(b.cpu.dbg_read(TOE_REG_TYPE_OFFSET, reinterpret_cast<unsigned char*>(ident), 12), 12u);
    EXPECT_EQ(ident[0], TOE_DEVICE_TYPE);
    EXPECT_EQ(ident[1], TOE_DEVICE_VERSION);
    EXPECT_EQ(ident[2], cfg_.params.sessions);
    // The window ends at 0x10000; debug writes are not supported.
    EXPECT_EQ(b.cpu.dbg_read(TOE_REG_WINDOW_SIZE - 4, bytes, 16), 4u);
    uint32_t mss = 1;
    EXPECT_EQ(b.cpu.dbg_write(TOE_REG_MSS_OFFSET, reinterpret_cast<unsigned char*>(&mss), 4), 0u);
    EXPECT_EQ(b.cpu.rd(TOE_REG_MSS_OFFSET), TOE_REG_MSS_RESET);
  }));
}

TEST_F(DeviceTlmTest, DirectMemoryAccessOnlyOnTheWindowsOfASessionInUse) {
  ASSERT_TRUE(bench_->run([&](Bench& b) {
    // Registers, beyond the map, and the windows with no session selected: denied.
    for (uint64_t addr : {uint64_t(TOE_REG_TYPE_OFFSET), uint64_t(TOE_REG_TX_WINDOW_BASE),
                          uint64_t(TOE_REG_RX_WINDOW_BASE), uint64_t(TOE_REG_WINDOW_SIZE)}) {
      tlm::tlm_dmi dmi;
      EXPECT_FALSE(b.cpu.get_dmi(addr, dmi)) << addr;
      EXPECT_TRUE(dmi.is_none_allowed());
      EXPECT_LE(dmi.get_start_address(), addr);
      EXPECT_GE(dmi.get_end_address(), addr);
    }
    // A connection: listen, SYN, ACK.
    b.configure();
    b.cpu.wr(TOE_REG_CTRL_OFFSET, TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_FIXED_ISN_EN_MASK);
    b.cpu.wr(TOE_REG_FIXED_ISN_OFFSET, 1000);
    b.cpu.wr(TOE_REG_CMD_PORTS_OFFSET, 80);
    b.cpu.wr(TOE_REG_CMD_OFFSET, TOE_CMD_LISTEN);
    b.send(tcp_frame(40000, 80, 5000, 0, net::kSyn));
    toe::sc::EthFrame synack;
    ASSERT_TRUE(b.receive(synack, sc_time(50, SC_US)));
    b.send(tcp_frame(40000, 80, 5001, 1001, net::kAck, "hello, dmi"));
    wait(sc_time(20, SC_US));
    uint32_t conn = 0;
    for (; conn < 16; ++conn) {
      b.cpu.wr(TOE_REG_CONN_SEL_OFFSET, conn);
      if ((b.cpu.rd(TOE_REG_CONN_STATE_OFFSET) & TOE_REG_CONN_STATE_STATE_MASK) == TOE_STATE_ESTABLISHED) break;
    }
    ASSERT_LT(conn, 16u);
    if (std::string(TOE_PLATFORM_ENGINE) == "rtl") {  // the Verilated engine's buffers are not exposed
      tlm::tlm_dmi none;
      EXPECT_FALSE(b.cpu.get_dmi(TOE_REG_RX_WINDOW_BASE, none));
      EXPECT_TRUE(none.is_none_allowed());
      return;
    }
    // The receive window, read-only: from base 0 one piece over the whole buffer, the bytes the
    // bus reads; from base 8 two pieces.
    const uint32_t size = cfg_.params.rx_buf_bytes;
    b.cpu.wr(TOE_REG_RX_WIN_BASE_OFFSET, 0);
    tlm::tlm_dmi rx;
    ASSERT_TRUE(b.cpu.get_dmi(TOE_REG_RX_WINDOW_BASE, rx));
    EXPECT_TRUE(rx.is_read_allowed());
    EXPECT_FALSE(rx.is_write_allowed());
    EXPECT_EQ(rx.get_start_address(), uint64_t(TOE_REG_RX_WINDOW_BASE));
    EXPECT_EQ(rx.get_end_address(), uint64_t(TOE_REG_RX_WINDOW_BASE) + size - 1);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(rx.get_dmi_ptr()), 10), "hello, dmi");
    const uint32_t word = b.cpu.rd(TOE_REG_RX_WINDOW_BASE + 4);
    uint32_t via_dmi = 0;
    std::memcpy(&via_dmi, rx.get_dmi_ptr() + 4, 4);
    EXPECT_EQ(word, via_dmi);
    const uint64_t inv = b.cpu.invalidations;
    b.cpu.wr(TOE_REG_RX_WIN_BASE_OFFSET, 8);
    EXPECT_EQ(b.cpu.invalidations, inv + 2) << "both windows invalidated by the base write";
    tlm::tlm_dmi first, second;
    ASSERT_TRUE(b.cpu.get_dmi(TOE_REG_RX_WINDOW_BASE, first));
    EXPECT_EQ(first.get_end_address(), uint64_t(TOE_REG_RX_WINDOW_BASE) + size - 8 - 1);
    EXPECT_EQ(first.get_dmi_ptr(), rx.get_dmi_ptr() + 8);
    ASSERT_TRUE(b.cpu.get_dmi(TOE_REG_RX_WINDOW_BASE + size - 8, second));
    EXPECT_EQ(second.get_start_address(), uint64_t(TOE_REG_RX_WINDOW_BASE) + size - 8);
    EXPECT_EQ(second.get_dmi_ptr(), rx.get_dmi_ptr());
    tlm::tlm_dmi beyond;
    EXPECT_FALSE(b.cpu.get_dmi(TOE_REG_RX_WINDOW_BASE + size, beyond)) << "beyond the buffer";
    // The transmit window: write-only; a DMI write is what the engine sends.
    b.cpu.wr(TOE_REG_TX_WIN_BASE_OFFSET, 0);
    tlm::tlm_dmi tx;
    ASSERT_TRUE(b.cpu.get_dmi(TOE_REG_TX_WINDOW_BASE, tx));
    EXPECT_TRUE(tx.is_write_allowed());
    EXPECT_FALSE(tx.is_read_allowed());
    std::memcpy(tx.get_dmi_ptr(), "by pointer", 10);
    b.cpu.wr(TOE_REG_CMD_VALUE_OFFSET, 10);
    b.cpu.wr(TOE_REG_CMD_OFFSET, TOE_CMD_TX_PUSH);
    toe::sc::EthFrame seg;
    net::Frame f;
    do {  // (an ACK of the peer's data may come first)
      ASSERT_TRUE(b.receive(seg, sc_time(50, SC_US))) << "no segment with the data";
      ASSERT_EQ(net::parse_frame(seg.data, f), net::ParseError::kOk);
    } while (f.payload_len == 0);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(f.payload), f.payload_len), "by pointer");
    // Freed (the peer's RST): every grant is invalidated; a reset too.
    const uint64_t before_rst = b.cpu.invalidations;
    b.send(tcp_frame(40000, 80, 5011, 0, net::kRst));
    wait(sc_time(20, SC_US));
    b.cpu.rd(TOE_REG_CONN_STATE_OFFSET);
    EXPECT_GT(b.cpu.invalidations, before_rst);
    EXPECT_FALSE(b.cpu.get_dmi(TOE_REG_TX_WINDOW_BASE, tx));
    const uint64_t before_reset = b.cpu.invalidations;
    b.dev.reset();
    EXPECT_EQ(b.cpu.invalidations, before_reset + 1);
    EXPECT_EQ(b.cpu.inv_start, 0u);
  }));
}

TEST_F(DeviceTlmTest, DelayIsAnnotatedPerBusCycleAndTimeAdvances) {
  ASSERT_TRUE(bench_->run([&](Bench& b) {
    const sc_time p = period();
    wait(100 * p);  // on a clock edge
    const sc_time t0 = sc_core::sc_time_stamp();
    const TlmInitiator::Result r1 = b.cpu.read(TOE_REG_TYPE_OFFSET);
    EXPECT_EQ(r1.status, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(r1.delay, p) << "a register answers one clock after the request";
    // Back to back in the initiator's local time: one access per clock.
    const TlmInitiator::Result r2 = b.cpu.read(TOE_REG_VERSION_OFFSET, r1.delay);
    EXPECT_EQ(r2.delay, r1.delay + p);
    const TlmInitiator::Result r3 = b.cpu.write(TOE_REG_MSS_OFFSET, 1000, r2.delay);
    EXPECT_EQ(r3.delay, r2.delay + p);
    EXPECT_EQ(sc_core::sc_time_stamp(), t0) << "b_transport annotates, it does not wait";
    wait(r3.delay);
    EXPECT_EQ(sc_core::sc_time_stamp(), t0 + 3 * p);
    // Between two edges: the access waits for the next edge.
    wait(sc_time(3, SC_NS));
    const TlmInitiator::Result r4 = b.cpu.read(TOE_REG_MSS_OFFSET);
    EXPECT_EQ(r4.data, 1000u);
    EXPECT_EQ(r4.delay, p - sc_time(3, SC_NS) + p);
    wait(r4.delay);
    // Simulated time runs on, and the engine with it: a long wait, then an access completes a
    // clock after the caller's time.
    wait(sc_time(10, SC_US));
    const sc_time t1 = sc_core::sc_time_stamp();
    const TlmInitiator::Result r5 = b.cpu.read(TOE_REG_STATUS_OFFSET);
    EXPECT_EQ(r5.data & TOE_REG_STATUS_READY_MASK, TOE_REG_STATUS_READY_MASK);
    EXPECT_EQ(r5.delay, p);
    EXPECT_GT(t1, t0 + sc_time(10, SC_US));
  }));
}

TEST_F(DeviceTlmTest, EnabledDropInterruptRaisesIrq) {
  ASSERT_TRUE(bench_->run([&](Bench& b) {
    b.configure();
    b.cpu.wr(TOE_REG_INTR_ENABLE_OFFSET, TOE_REG_INTR_ENABLE_DROP_MASK);
    wait(sc_time(2, SC_US));
    EXPECT_FALSE(b.irq.read());
    std::vector<uint8_t> truncated = tcp_frame(40000, 80, 1000, 0, net::kSyn);
    truncated.resize(net::kEthHeaderLen + 30);  // the TCP header is cut short
    b.send(truncated);
    wait(sc_time(5, SC_US));  // more than a quantum: the device has computed the drop
    EXPECT_TRUE(b.irq.read());
    EXPECT_EQ(b.cpu.rd(TOE_REG_CNT_DROP_MALFORMED_OFFSET), 1u);
    EXPECT_EQ(b.cpu.rd(TOE_REG_CNT_FRAMES_IN_OFFSET), 1u);
    EXPECT_NE(b.cpu.rd(TOE_REG_INTR_STATE_OFFSET) & TOE_REG_INTR_STATE_DROP_MASK, 0u);
    // W1C clears the cause and the line.
    b.cpu.wr(TOE_REG_INTR_STATE_OFFSET, TOE_REG_INTR_STATE_DROP_MASK);
    wait(sc_time(2, SC_US));
    EXPECT_FALSE(b.irq.read());
    EXPECT_EQ(b.cpu.rd(TOE_REG_INTR_STATE_OFFSET) & TOE_REG_INTR_STATE_DROP_MASK, 0u);
    // A drop with the enable off sets the cause, not the line.
    b.cpu.wr(TOE_REG_INTR_ENABLE_OFFSET, 0);
    b.send(truncated);
    wait(sc_time(5, SC_US));
    EXPECT_FALSE(b.irq.read());
    EXPECT_EQ(b.cpu.rd(TOE_REG_CNT_DROP_MALFORMED_OFFSET), 2u);
    EXPECT_NE(b.cpu.rd(TOE_REG_INTR_STATE_OFFSET) & TOE_REG_INTR_STATE_DROP_MASK, 0u);
  }));
}

TEST_F(DeviceTlmTest, SynToAListeningPortIsAnsweredWithASynAck) {
  ASSERT_TRUE(bench_->run([&](Bench& b) {
    b.configure();
    toe::model::Cmd listen;
    listen.op = toe::model::CmdOp::kListen;
    listen.port = 80;
    b.cpu.wr(TOE_REG_CMD_PORTS_OFFSET, listen.port);
    b.cpu.wr(TOE_REG_CMD_OFFSET, uint32_t(listen.op));
    wait(sc_time(1, SC_US));
    const uint32_t iss = 5000;
    const sc_time sent = sc_core::sc_time_stamp();
    b.send(tcp_frame(40000, 80, iss, 0, net::kSyn));
    toe::sc::EthFrame out;
    ASSERT_TRUE(b.receive(out, sc_time(50, SC_US))) << "no SYN-ACK";
    net::Frame f;
    ASSERT_EQ(net::parse_frame(out.data, f), net::ParseError::kOk);
    EXPECT_EQ(f.eth.src, kLocalMac);
    EXPECT_EQ(f.eth.dst, kPeerMac);
    EXPECT_EQ(f.ip.src, kLocalIp);
    EXPECT_EQ(f.ip.dst, kPeerIp);
    EXPECT_EQ(f.tcp.flags, net::kSyn | net::kAck);
    EXPECT_EQ(f.tcp.src_port, 80);
    EXPECT_EQ(f.tcp.dst_port, 40000);
    EXPECT_EQ(f.tcp.ack, iss + 1);
    // Stamped with the clock edge of its first beat: after the SYN, on the clock grid.
    EXPECT_GT(out.time, sent);
    EXPECT_EQ(out.time.value() % period().value(), 0u);
    EXPECT_LE(out.time, sc_core::sc_time_stamp());
    EXPECT_EQ(b.cpu.rd(TOE_REG_CNT_FRAMES_IN_OFFSET), 1u);
    EXPECT_EQ(b.cpu.rd(TOE_REG_CNT_FRAMES_OUT_OFFSET), 1u);
    // A SYN to a port nobody listens on is answered with a RST.
    b.send(tcp_frame(40001, 81, 77, 0, net::kSyn));
    ASSERT_TRUE(b.receive(out, sc_time(50, SC_US))) << "no RST";
    ASSERT_EQ(net::parse_frame(out.data, f), net::ParseError::kOk);
    EXPECT_NE(f.tcp.flags & net::kRst, 0);
    EXPECT_EQ(f.tcp.src_port, 81);
    EXPECT_EQ(f.tcp.dst_port, 40001);
  }));
}

TEST_F(DeviceTlmTest, AFrameIsOfferedNotBeforeItsTime) {
  ASSERT_TRUE(bench_->run([&](Bench& b) {
    b.configure();
    const sc_time due = sc_core::sc_time_stamp() + sc_time(20, SC_US);
    b.wire_in.write(toe::sc::EthFrame{tcp_frame(40000, 80, 1, 0, net::kSyn), due});
    wait(sc_time(10, SC_US));
    EXPECT_EQ(b.cpu.rd(TOE_REG_CNT_FRAMES_IN_OFFSET), 0u);
    wait(due + sc_time(10, SC_US) - sc_core::sc_time_stamp());
    EXPECT_EQ(b.cpu.rd(TOE_REG_CNT_FRAMES_IN_OFFSET), 1u);
    toe::sc::EthFrame rst;  // no listener: the engine answers with a RST after the frame's time
    ASSERT_TRUE(b.receive(rst, sc_time(10, SC_US)));
    EXPECT_GT(rst.time, due);
  }));
}

TEST_F(DeviceTlmTest, ResetRestoresTheRegisters) {
  ASSERT_TRUE(bench_->run([&](Bench& b) {
    b.configure();
    b.cpu.wr(TOE_REG_MSS_OFFSET, 536);
    b.cpu.wr(TOE_REG_INTR_ENABLE_OFFSET, TOE_REG_INTR_ENABLE_DROP_MASK);
    std::vector<uint8_t> truncated = tcp_frame(40000, 80, 1, 0, net::kSyn);
    truncated.resize(net::kEthHeaderLen + 30);
    b.send(truncated);
    wait(sc_time(5, SC_US));
    EXPECT_TRUE(b.irq.read());
    b.dev.reset();
    wait(period());
    EXPECT_FALSE(b.irq.read());
    EXPECT_EQ(b.cpu.rd(TOE_REG_MSS_OFFSET), TOE_REG_MSS_RESET);
    EXPECT_EQ(b.cpu.rd(TOE_REG_CTRL_OFFSET), TOE_REG_CTRL_RESET);
    EXPECT_EQ(b.cpu.rd(TOE_REG_CNT_DROP_MALFORMED_OFFSET), 0u);
    EXPECT_EQ(b.cpu.rd(TOE_REG_TYPE_OFFSET), TOE_DEVICE_TYPE);
  }));
}

// The firmware socket: its own map, its own error responses and LAST_ERROR, debug reads, no
// DMI; the firmware's events in its queue (CTRL.EVQ_EN) with fw_irq, and a timer command from it
// acting on the engine (retransmit: the SYN-ACK again on the wire).
TEST_F(DeviceTlmTest, FirmwarePortQueuesEventsAndTakesTimerCommands) {
  ASSERT_TRUE(bench_->run([&](Bench& b) {
    EXPECT_EQ(b.fw_cpu.rd(TOE_FW_REG_TYPE_OFFSET), 0x544F4546u);
    EXPECT_EQ(b.fw_cpu.rd(TOE_FW_REG_SESSIONS_OFFSET), 16u);
    EXPECT_EQ(b.fw_cpu.read(0x0FFC).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(b.fw_cpu.read(TOE_FW_REG_CMD_OFFSET + 2).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(b.fw_cpu.read(TOE_FW_REG_WINDOW_SIZE).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(b.fw_cpu.write(TOE_FW_REG_STATUS_OFFSET, 1).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(b.fw_cpu.write(TOE_FW_REG_CMD_OFFSET, TOE_CMD_LISTEN).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
    uint32_t le = b.fw_cpu.rd(TOE_FW_REG_LAST_ERROR_OFFSET);
    EXPECT_EQ((le & TOE_FW_REG_LAST_ERROR_CODE_MASK) >> TOE_FW_REG_LAST_ERROR_CODE_LSB,
              TOE_FW_REG_LAST_ERROR_CODE_BAD_COMMAND);
    EXPECT_EQ(b.fw_cpu.write(TOE_FW_REG_EVQ_POP_OFFSET, 1).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
    const std::vector<unsigned char> two = {TLM_BYTE_ENABLED, TLM_BYTE_ENABLED, TLM_BYTE_DISABLED, TLM_BYTE_DISABLED};
    EXPECT_EQ(b.fw_cpu.raw(tlm::TLM_WRITE_COMMAND, TOE_FW_REG_CMD_CONN_OFFSET, 4, 4, &two).status,
              tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    le = b.fw_cpu.rd(TOE_FW_REG_LAST_ERROR_OFFSET);
    EXPECT_EQ((le & TOE_FW_REG_LAST_ERROR_CODE_MASK) >> TOE_FW_REG_LAST_ERROR_CODE_LSB,
              TOE_FW_REG_LAST_ERROR_CODE_BAD_SIZE);
    // Six went on the bus (the access beyond the map is refused by the socket, no bus cycle).
    EXPECT_EQ(b.fw_cpu.rd(TOE_FW_REG_BUS_ERRORS_OFFSET), 6u);
    EXPECT_EQ(b.cpu.rd(TOE_REG_BUS_ERRORS_OFFSET), 0u) << "the host port counts its own";
    unsigned char type[4] = {};
    EXPECT_EQ(b.fw_cpu.dbg_read(TOE_FW_REG_TYPE_OFFSET, type, 4), 4u);
    EXPECT_EQ(type[0], 0x46);  // 'F', the low byte
    tlm::tlm_dmi dmi;
    EXPECT_FALSE(b.fw_cpu.get_dmi(0, dmi));

    b.configure();
    b.fw_cpu.wr(TOE_FW_REG_CTRL_OFFSET, TOE_FW_REG_CTRL_EVQ_EN_MASK);
    b.fw_cpu.wr(TOE_FW_REG_INTR_ENABLE_OFFSET, TOE_FW_REG_INTR_ENABLE_EVQ_NOT_EMPTY_MASK);
    b.cpu.wr(TOE_REG_CMD_PORTS_OFFSET, 80);
    b.cpu.wr(TOE_REG_CMD_OFFSET, TOE_CMD_LISTEN);
    EXPECT_FALSE(b.fw_irq.read());
    b.send(tcp_frame(40000, 80, 5000, 0, net::kSyn));
    toe::sc::EthFrame first, again;
    ASSERT_TRUE(b.receive(first, sc_time(50, SC_US))) << "no SYN-ACK";
    if (!b.fw_irq.read()) wait(b.fw_irq.posedge_event());
    const uint32_t ev = b.fw_cpu.rd(TOE_FW_REG_EVQ_EVENT_OFFSET);
    EXPECT_EQ((ev & TOE_FW_REG_EVQ_EVENT_EVT_MASK) >> TOE_FW_REG_EVQ_EVENT_EVT_LSB, uint32_t(TOE_EVT_RETX_ARM));
    const uint32_t conn = b.fw_cpu.rd(TOE_FW_REG_EVQ_CONN_OFFSET);
    b.fw_cpu.wr(TOE_FW_REG_EVQ_POP_OFFSET, 1);
    b.fw_cpu.wr(TOE_FW_REG_CMD_CONN_OFFSET, conn);
    b.fw_cpu.wr(TOE_FW_REG_CMD_OFFSET, TOE_CMD_RETRANSMIT);
    ASSERT_TRUE(b.receive(again, sc_time(50, SC_US))) << "no retransmitted SYN-ACK";
    net::Frame f1, f2;
    ASSERT_EQ(net::parse_frame(first.data, f1), net::ParseError::kOk);
    ASSERT_EQ(net::parse_frame(again.data, f2), net::ParseError::kOk);
    EXPECT_EQ(f2.tcp.flags, net::kSyn | net::kAck);
    EXPECT_EQ(f2.tcp.seq, f1.tcp.seq);
  }));
}

// The firmware's frames through the socket: an ARP request from the wire in the receive queue
// (fw_irq on RXQ_NOT_EMPTY), read back through RX_FRAME; a reply written to TX_FRAME, sent, on
// the wire byte-exact.
TEST_F(DeviceTlmTest, FirmwareFramesInAndOutThroughTheFirmwarePort) {
  ASSERT_TRUE(bench_->run([&](Bench& b) {
    b.configure();
    b.fw_cpu.wr(TOE_FW_REG_INTR_ENABLE_OFFSET, TOE_FW_REG_INTR_ENABLE_RXQ_NOT_EMPTY_MASK);
    net::EthHeader eth;
    eth.dst = net::MacAddr{{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}};
    eth.src = kPeerMac;
    eth.ethertype = net::kEtherTypeArp;
    net::ArpPacket arp;
    arp.sha = kPeerMac;
    arp.spa = kPeerIp;
    arp.tpa = kLocalIp;
    const std::vector<uint8_t> req = net::build_arp_frame(eth, arp);
    b.send(req);
    if (!b.fw_irq.read()) wait(sc_time(20, SC_US), b.fw_irq.posedge_event());
    ASSERT_TRUE(b.fw_irq.read()) << "no RXQ_NOT_EMPTY";
    const uint32_t len = b.fw_cpu.rd(TOE_FW_REG_RXQ_LEN_OFFSET);
    ASSERT_EQ(len, req.size());
    std::vector<uint8_t> got;
    for (uint32_t w = 0; w < len; w += 4) {
      const uint32_t v = b.fw_cpu.rd(TOE_FW_REG_RX_FRAME_BASE + w);
      for (uint32_t i = 0; i < 4 && w + i < len; ++i) got.push_back(uint8_t(v >> (8 * i)));
    }
    EXPECT_EQ(got, req);
    b.fw_cpu.wr(TOE_FW_REG_RXQ_POP_OFFSET, 1);
    EXPECT_EQ(b.fw_cpu.rd(TOE_FW_REG_RXQ_STATUS_OFFSET) & TOE_FW_REG_RXQ_STATUS_COUNT_MASK, 0u);
    // The reply, written from a byte pointer with the payload's byte enables on the last word.
    net::EthHeader reth;
    reth.dst = kPeerMac;
    reth.src = kLocalMac;
    reth.ethertype = net::kEtherTypeArp;
    net::ArpPacket rep = arp;
    rep.oper = 2;
    rep.sha = kLocalMac;
    rep.spa = kLocalIp;
    rep.tha = kPeerMac;
    rep.tpa = kPeerIp;
    const std::vector<uint8_t> reply = net::build_arp_frame(reth, rep, false);  // 42 bytes
    for (uint32_t w = 0; w < reply.size(); w += 4) {
      uint32_t v = 0;
      uint8_t lanes = 0;
      for (uint32_t i = 0; i < 4 && w + i < reply.size(); ++i) {
        v |= uint32_t(reply[w + i]) << (8 * i);
        lanes = uint8_t(lanes | (1u << i));
      }
      b.fw_cpu.wr_lanes(TOE_FW_REG_TX_FRAME_BASE + w, v, lanes);
    }
    b.fw_cpu.wr(TOE_FW_REG_TXQ_LEN_OFFSET, uint32_t(reply.size()));
    b.fw_cpu.wr(TOE_FW_REG_TXQ_SEND_OFFSET, 1);
    toe::sc::EthFrame out;
    ASSERT_TRUE(b.receive(out, sc_time(50, SC_US))) << "no frame from TX_FRAME";
    EXPECT_EQ(out.data, reply);
    EXPECT_EQ(b.fw_cpu.rd(TOE_FW_REG_TXQ_SENT_OFFSET), 1u);
    EXPECT_EQ(b.fw_cpu.rd(TOE_FW_REG_TXQ_STATUS_OFFSET), 0u);
  }));
}

TEST(DeviceEngineFactory, RefusesAnUnknownNameAndParametersWithoutAnEngine) {
  toe::model::EngineParams p;
  EXPECT_STREQ(toe::sc::make_device_engine(TOE_PLATFORM_ENGINE, p)->kind(), TOE_PLATFORM_ENGINE);
  EXPECT_THROW(toe::sc::make_device_engine("verilog", p), std::invalid_argument);
  p.sessions = 0;  // refused by the parameter rules, by either engine
  EXPECT_THROW(toe::sc::make_device_engine(TOE_PLATFORM_ENGINE, p), std::invalid_argument);
  p.sessions = 8;  // valid, but no Verilated build has it
  EXPECT_THROW(toe::sc::make_device_engine("rtl", p), std::invalid_argument);
}

// No quantum (neither the device's nor a global one): the clock thread wakes every clock; a
// 1-byte datapath and a 10 ns clock. The handshake is the same.
// A connection through the host port only: listen (CMD), accepted and data (EVQ_*), the bytes
// read through the receive window, rx_consume, the echo written through the transmit window,
// tx_push, the segment on the wire, close and its FIN.
TEST_F(DeviceTlmTest, AConnectionIsAcceptedEchoedAndClosedThroughTheHostPort) {
  ASSERT_TRUE(bench_->run([&](Bench& b) {
    b.configure();
    b.cpu.wr(TOE_REG_CMD_PORTS_OFFSET, 80);
    b.cpu.wr(TOE_REG_CMD_OFFSET, TOE_CMD_LISTEN);
    // The host's event loop: the head of the host event queue, popped.
    struct Ev {
      uint32_t type = 0, conn = 0, value = 0;
    };
    auto next_event = [&](uint32_t want, const sc_time& timeout) {
      const sc_time until = sc_core::sc_time_stamp() + timeout;
      while (sc_core::sc_time_stamp() < until) {
        const uint32_t head = b.cpu.rd(TOE_REG_EVQ_EVENT_OFFSET);
        if ((head & TOE_REG_EVQ_EVENT_EVT_MASK) == 0) {
          wait(sc_time(1, SC_US));
          continue;
        }
        Ev e{head & TOE_REG_EVQ_EVENT_EVT_MASK, b.cpu.rd(TOE_REG_EVQ_CONN_OFFSET), b.cpu.rd(TOE_REG_EVQ_VALUE_OFFSET)};
        b.cpu.wr(TOE_REG_EVQ_POP_OFFSET, TOE_REG_EVQ_POP_POP_MASK);
        if (e.type == want) return e;
      }
      ADD_FAILURE() << "no event " << want;
      return Ev{};
    };

    const uint32_t peer_iss = 7000;
    b.send(tcp_frame(40000, 80, peer_iss, 0, net::kSyn));
    toe::sc::EthFrame out;
    ASSERT_TRUE(b.receive(out, sc_time(50, SC_US))) << "no SYN-ACK";
    net::Frame f;
    ASSERT_EQ(net::parse_frame(out.data, f), net::ParseError::kOk);
    const uint32_t iss = f.tcp.seq;
    const std::string msg = "hello through the receive window, 41 bytes";
    b.send(tcp_frame(40000, 80, peer_iss + 1, iss + 1, net::kAck | net::kPsh, msg));
    const Ev acc = next_event(TOE_EVT_ACCEPTED, sc_time(100, SC_US));
    const Ev data = next_event(TOE_EVT_DATA, sc_time(100, SC_US));
    EXPECT_EQ(data.conn, acc.conn);
    ASSERT_EQ(data.value, msg.size());

    b.cpu.wr(TOE_REG_CONN_SEL_OFFSET, acc.conn);
    EXPECT_EQ(b.cpu.rd(TOE_REG_CONN_STATE_OFFSET) & TOE_REG_CONN_STATE_STATE_MASK, TOE_STATE_ESTABLISHED);
    EXPECT_EQ(b.cpu.rd(TOE_REG_CONN_PORTS_OFFSET), 40000u << TOE_REG_CONN_PORTS_RPORT_LSB | 80u);
    EXPECT_EQ(b.cpu.rd(TOE_REG_CONN_RCV_NXT_OFFSET), peer_iss + 1 + uint32_t(msg.size()));
    EXPECT_EQ(b.cpu.rd(TOE_REG_CONN_RX_WR_OFFSET), uint32_t(msg.size()));
    // The bytes, word by word through the receive window (a window access is 5 clocks).
    b.cpu.wr(TOE_REG_RX_WIN_BASE_OFFSET, 0);
    std::string got;
    for (uint32_t w = 0; got.size() < msg.size(); w += 4) {
      const TlmInitiator::Result r = b.cpu.read(TOE_REG_RX_WINDOW_BASE + w);
      ASSERT_EQ(r.status, tlm::TLM_OK_RESPONSE);
      EXPECT_GE(r.delay, period() * 5.0) << "a window access walks its 4 bytes";
      for (int i = 0; i < 4; ++i) got.push_back(char(r.data >> (8 * i)));
    }
    got.resize(msg.size());
    EXPECT_EQ(got, msg);
    b.cpu.wr(TOE_REG_CMD_VALUE_OFFSET, uint32_t(msg.size()));
    b.cpu.wr(TOE_REG_CMD_OFFSET, TOE_CMD_RX_CONSUME);

    // The echo: through the transmit window, then tx_push.
    b.cpu.wr(TOE_REG_TX_WIN_BASE_OFFSET, 0);
    for (uint32_t w = 0; w < msg.size(); w += 4) {
      uint32_t v = 0;
      for (uint32_t i = 0; i < 4 && w + i < msg.size(); ++i) v |= uint32_t(uint8_t(msg[w + i])) << (8 * i);
      EXPECT_EQ(b.cpu.write(TOE_REG_TX_WINDOW_BASE + w, v).status, tlm::TLM_OK_RESPONSE);
    }
    b.cpu.wr(TOE_REG_CMD_VALUE_OFFSET, uint32_t(msg.size()));
    b.cpu.wr(TOE_REG_CMD_OFFSET, TOE_CMD_TX_PUSH);
    std::string echoed;
    for (int i = 0; i < 6 && echoed.size() < msg.size(); ++i) {
      ASSERT_TRUE(b.receive(out, sc_time(100, SC_US))) << "no echo segment";
      ASSERT_EQ(net::parse_frame(out.data, f), net::ParseError::kOk);
      if (f.payload_len == 0) continue;  // the ACK of the peer's data
      EXPECT_EQ(f.tcp.seq, iss + 1 + uint32_t(echoed.size()));
      echoed.append(reinterpret_cast<const char*>(f.payload), f.payload_len);
    }
    EXPECT_EQ(echoed, msg);
    // The peer acknowledges it: event acked with the bytes acknowledged.
    b.send(tcp_frame(40000, 80, peer_iss + 1 + uint32_t(msg.size()), iss + 1 + uint32_t(msg.size()), net::kAck));
    EXPECT_EQ(next_event(TOE_EVT_ACKED, sc_time(100, SC_US)).value, uint32_t(msg.size()));
    // close: the FIN goes out, FIN_WAIT_1.
    b.cpu.wr(TOE_REG_CMD_OFFSET, TOE_CMD_CLOSE);
    bool fin = false;
    for (int i = 0; i < 4 && !fin; ++i) {
      ASSERT_TRUE(b.receive(out, sc_time(100, SC_US))) << "no FIN";
      ASSERT_EQ(net::parse_frame(out.data, f), net::ParseError::kOk);
      fin = (f.tcp.flags & net::kFin) != 0;
    }
    EXPECT_TRUE(fin);
    EXPECT_EQ(b.cpu.rd(TOE_REG_CONN_STATE_OFFSET) & TOE_REG_CONN_STATE_STATE_MASK, TOE_STATE_FIN_WAIT_1);
    EXPECT_EQ(b.cpu.rd(TOE_REG_BUS_ERRORS_OFFSET), 0u) << "no access was refused";
  }));
}

class DeviceTlmEveryClockTest : public DeviceTlmTest {
 protected:
  void adjust(toe::sc::DeviceTlmConfig& c) override {
    c.quantum = SC_ZERO_TIME;
    c.clock_period = sc_time(10, SC_NS);
    c.params.data_bytes = 1;
  }
};

TEST_F(DeviceTlmEveryClockTest, SynToAListeningPortIsAnsweredWithASynAck) {
  ASSERT_EQ(tlm_utils::tlm_quantumkeeper::get_global_quantum(), SC_ZERO_TIME);
  ASSERT_TRUE(bench_->run([&](Bench& b) {
    b.configure();
    toe::model::Cmd listen;
    listen.op = toe::model::CmdOp::kListen;
    listen.port = 80;
    b.cpu.wr(TOE_REG_CMD_PORTS_OFFSET, listen.port);
    b.cpu.wr(TOE_REG_CMD_OFFSET, uint32_t(listen.op));
    wait(sc_time(1, SC_US));
    b.send(tcp_frame(40000, 80, 9, 0, net::kSyn));
    toe::sc::EthFrame out;
    ASSERT_TRUE(b.receive(out, sc_time(50, SC_US))) << "no SYN-ACK";
    net::Frame f;
    ASSERT_EQ(net::parse_frame(out.data, f), net::ParseError::kOk);
    EXPECT_EQ(f.tcp.flags, net::kSyn | net::kAck);
    EXPECT_EQ(f.tcp.ack, 10u);
    EXPECT_EQ(out.time.value() % period().value(), 0u);
    // Every clock computed as it comes: one byte a clock, and the frame is on the wire right
    // after its last beat.
    EXPECT_LE(sc_core::sc_time_stamp() - out.time, period() * double(out.data.size() + 1));
    const TlmInitiator::Result r = b.cpu.read(TOE_REG_TYPE_OFFSET);
    EXPECT_EQ(r.delay, period());
  }));
}

}  // namespace
