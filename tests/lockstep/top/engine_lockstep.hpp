// SPDX-License-Identifier: Apache-2.0
// Lockstep harness of toe_engine: the Verilated engine (toe_top behind its generated register
// block, toe_reg_top) at 16 sessions, 8-bit data, 4 KiB buffers (tests/lockstep/top/CMakeLists.txt),
// for test_engine_lockstep.cpp.
//   EngineLockstep   the GoogleTest fixture: the Verilated toe_engine, one clock with the streams
//                    and the register bus driven, register reads and writes (each checked for its
//                    response), the configuration written over the bus only, the host buffer
//                    ports, and every frame the engine sent (tx_frames_).
//   Stimulus         frames (beat by beat, as rx_tready allows) and commands for both sides.
//   configured, tcp_frame, diff
//                    the configuration the tests program, a frame from the peer, the first output
//                    port where two EngineOut differ.
#pragma once

#include <gtest/gtest.h>
#include <verilated.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "Vtoe_engine.h"
#include "stream_ports.hpp"
#include "toe/net/codec.hpp"
#include "top/top.hpp"

namespace toe::lockstep::engine {

using model::Cmd;
using model::EngineConfig;
using model::EngineIn;
using model::EngineOut;

inline constexpr uint32_t kDataBytes = 8;  // the Verilated build's DataBytes (CMakeLists.txt)
inline constexpr uint32_t kSessions = 16;
inline constexpr uint32_t kBufBytes = 4096;  // RxBufBytes = TxBufBytes of the build
inline constexpr uint32_t kPeerIp = 0xC0A80109;  // 192.168.1.9
inline const net::MacAddr kPeerMac{{0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0x09}};

// The configuration the tests program over the bus (and give the model directly).
EngineConfig configured();

// A TCP frame from the peer (kPeerIp, kPeerMac) to dst_ip:80.
std::vector<uint8_t> tcp_frame(const EngineConfig& c, uint32_t dst_ip, uint16_t sport, uint32_t seq,
                               uint32_t ack, uint8_t flags, const std::string& payload = "",
                               bool syn_options = false);

// The first output port where a and b differ, or "".
std::string diff(const EngineOut& a, const EngineOut& b);

class EngineLockstep : public ::testing::Test {
 protected:
  struct Bus {
    bool req = false, we = false;
    uint32_t addr = 0, wdata = 0;
  };

  EngineLockstep();
  ~EngineLockstep() override;

  // One clock of toe_engine: streams and bus driven, rising edge; the outputs after it.
  EngineOut clock(const EngineIn& in) { return clock(in, Bus{}); }
  EngineOut clock(const EngineIn& in, const Bus& b);
  EngineOut idle() { return clock(EngineIn{}); }

  // The host buffer ports: one byte per clock.
  std::string host_read_rx(uint32_t conn, uint32_t off, uint32_t n);
  void host_write_tx(uint32_t conn, uint32_t off, const std::string& data);

  // A register access over the bus; expects the response in the same clock, err as given.
  uint32_t read(uint32_t addr, bool expect_err = false);
  void write(uint32_t addr, uint32_t data, bool expect_err = false);

  // The configuration, over the bus only.
  void program(const EngineConfig& c);

  void collect_tx(const model::AxisBeat& b);

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vtoe_engine> v_;
  std::vector<uint8_t> tx_cur_;
  std::vector<std::vector<uint8_t>> tx_frames_;
};

// Stimulus for both sides: frames (beat by beat, as rx_tready allows) and commands.
class Stimulus {
 public:
  void frame(std::vector<uint8_t> f) { frames_.push_back(std::move(f)); }
  void command(const Cmd& c) { cmds_.push_back(c); }
  bool done() const { return frames_.empty() && cmds_.empty(); }

  // This cycle's inputs, given the outputs both sides show (equal, or the test has failed).
  EngineIn next(const EngineOut& out);

 private:
  std::deque<std::vector<uint8_t>> frames_;
  std::deque<Cmd> cmds_;
  size_t pos_ = 0;
};

}  // namespace toe::lockstep::engine
