// SPDX-License-Identifier: Apache-2.0
// Lockstep harness of toe_engine: the Verilated engine (toe_top behind its generated register
// block, toe_reg_top) at 16 sessions, 8-bit data, 4 KiB buffers (tests/lockstep/top/CMakeLists.txt)
// against its C++ twin model::EngineDevice (rtl_model/model/top/engine.hpp), for
// test_engine_lockstep.cpp.
//   EngineLockstep   the GoogleTest fixture: the Verilated toe_engine and an EngineDevice with
//                    the same parameters, clocked together from their reset with the same inputs
//                    (streams, the firmware command/event streams, the register bus); every output port of both is
//                    compared on every clock (the first difference fails the test and is kept in
//                    mismatch_). Register reads and writes (each checked for its response), the
//                    configuration written over the bus only (on both), the buffer windows, and
//                    every frame the engine sent (tx_frames_).
//   Stimulus         frames (beat by beat, as rx_tready allows) and commands for both sides.
//   configured, built, tcp_frame, beats_of, diff
//                    the configuration the tests program, the build parameters, a frame from the
//                    peer and its beats, the first output port where two EngineOut (or
//                    EngineDeviceOut) differ.
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
#include "top/engine.hpp"
#include "top/top.hpp"

namespace toe::lockstep::engine {

using model::Cmd;
using model::EngineConfig;
using model::EngineDeviceIn;
using model::EngineDeviceOut;
using model::EngineIn;
using model::EngineOut;

inline constexpr uint32_t kDataBytes = 8;  // the Verilated build's DataBytes (CMakeLists.txt)
inline constexpr uint32_t kSessions = 16;
inline constexpr uint32_t kBufBytes = 4096;  // RxBufBytes = TxBufBytes of the build
inline constexpr uint32_t kPeerIp = 0xC0A80109;  // 192.168.1.9
inline const net::MacAddr kPeerMac{{0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0x09}};

// The configuration the tests program over the bus (on the RTL and the model alike).
EngineConfig configured();

// The build parameters of the Verilated toe_engine (the model is built with the same).
model::EngineParams built();

// The beats a frame takes on the kDataBytes-wide stream.
inline size_t beats_of(const std::vector<uint8_t>& f) { return (f.size() + kDataBytes - 1) / kDataBytes; }

// A TCP frame from the peer (kPeerIp, kPeerMac) to dst_ip:80.
std::vector<uint8_t> tcp_frame(const EngineConfig& c, uint32_t dst_ip, uint16_t sport, uint32_t seq,
                               uint32_t ack, uint8_t flags, const std::string& payload = "",
                               bool syn_options = false);

// The first output port where a and b differ, or "" (tx data and event fields only while valid).
std::string diff(const EngineOut& a, const EngineOut& b);
// The same over every port of toe_engine: the streams, then reg_ready/valid/rdata/err, intr, then
// the firmware port's.
std::string diff(const EngineDeviceOut& a, const EngineDeviceOut& b);

class EngineLockstep : public ::testing::Test {
 protected:
  struct Bus {
    bool req = false, we = false;
    uint32_t addr = 0, wdata = 0;
    uint8_t be = 0xF;
    bool fw = false;  // the firmware port (fw_*) instead of the host port (reg_*)
  };

  EngineLockstep();
  ~EngineLockstep() override;

  // One clock of toe_engine and of the model: every input driven on both, rising edge, every
  // output port compared; the RTL's outputs after it.
  EngineDeviceOut clock(const EngineDeviceIn& in);
  EngineDeviceOut clock(const EngineIn& in) { return clock(in, Bus{}); }
  EngineDeviceOut clock(const EngineIn& in, const Bus& b);
  EngineDeviceOut idle() { return clock(EngineIn{}); }
  // The RTL's output ports now.
  EngineDeviceOut rtl_outputs() const;

  // The buffer windows over the bus: CONN_SEL, the window base, then whole words (a write
  // from any offset: its first and last words with the byte enables of their bytes).
  std::string host_read_rx(uint32_t conn, uint32_t off, uint32_t n);
  void host_write_tx(uint32_t conn, uint32_t off, const std::string& data);

  // One access over the bus: held until reg_ready, then clocked until reg_valid (every clock
  // compared); *err and the read data. A failure is added if the bus does not answer.
  uint32_t access(const Bus& b, bool* err);
  // A register access; expects err as given. Returns the read data.
  uint32_t read(uint32_t addr, bool expect_err = false);
  void write(uint32_t addr, uint32_t data, bool expect_err = false);
  // The same on the firmware port.
  uint32_t fw_read(uint32_t addr, bool expect_err = false);
  void fw_write(uint32_t addr, uint32_t data, bool expect_err = false);

  // Idle clocks until STATUS.READY reads 1 (the tables initialised after a reset), checking on
  // each that READY is 0 exactly while the engine initialises, and that it takes no frame and no
  // command meanwhile; a failure is added if it does not rise within 70,000 clocks. Returns the
  // clocks waited.
  uint64_t wait_ready();

  // The configuration, over the bus only (both sides see the same writes).
  void program(const EngineConfig& c);

  void collect_tx(const model::AxisBeat& b);

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vtoe_engine> v_;
  model::EngineDevice dev_;  // the C++ twin
  uint64_t clocks_ = 0;      // clocks since the reset
  std::string mismatch_;     // the first output port that differed, and when ("": none)
  std::vector<uint8_t> tx_cur_;
  std::vector<std::vector<uint8_t>> tx_frames_;

 private:
  void compare(const char* when);
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
