// SPDX-License-Identifier: Apache-2.0
// Testbench of the TLM-2.0 device (sim/systemc/toe_device_tlm.hpp), for tests/platform:
//   TlmInitiator  an initiator module on the device's host socket: 32-bit reads and writes
//                 (status, data and the annotated delay of each), raw transactions (length,
//                 streaming width, byte enables), debug reads and writes, DMI requests.
//   Bench         the device (the C++ model behind it), a TlmInitiator bound to its host port
//                 and one to its firmware port, its irq and fw_irq lines and its frame channels (wire_in, wire_out), and the test script
//                 run in an SC_THREAD by run(). Helpers in the script: configure() (the engine's
//                 addresses and CTRL.ENABLE over the bus), send() and receive() on the wire.
//   fresh_simulation  a new SystemC kernel context for the next Bench (one per test, so every
//                 test of the binary can run in one process).
//   tcp_frame     a TCP frame from the peer (kPeerMac, kPeerIp) to the engine, built by toe_net.
// The binary's sc_main (sc_gtest_main.cpp) runs the GoogleTest tests.
#pragma once

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "toe/net/codec.hpp"
#include "toe_device_tlm.hpp"

namespace toe::platform_test {

inline constexpr uint32_t kLocalIp = 0xC0A80102;  // 192.168.1.2: the engine
inline constexpr uint32_t kPeerIp = 0xC0A80109;   // 192.168.1.9
inline const net::MacAddr kLocalMac{{0x02, 0x11, 0x22, 0x33, 0x44, 0x55}};
inline const net::MacAddr kPeerMac{{0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0x09}};

// A TCP frame from kPeerMac/kPeerIp:sport to kLocalMac/kLocalIp:dport.
std::vector<uint8_t> tcp_frame(uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
                               const std::string& payload = "");

class TlmInitiator : public sc_core::sc_module {
 public:
  struct Result {
    tlm::tlm_response_status status = tlm::TLM_INCOMPLETE_RESPONSE;
    uint32_t data = 0;        // read data
    sc_core::sc_time delay;   // as the target annotated it
  };

  tlm_utils::simple_initiator_socket<TlmInitiator> socket;

  explicit TlmInitiator(sc_core::sc_module_name name);

  // One 32-bit access at sc_time_stamp() + delay; does not wait.
  Result read(uint32_t addr, const sc_core::sc_time& delay = sc_core::SC_ZERO_TIME);
  Result write(uint32_t addr, uint32_t data, const sc_core::sc_time& delay = sc_core::SC_ZERO_TIME);
  // Any transaction: length and streaming width in bytes, byte enables (nullptr: none).
  Result raw(tlm::tlm_command cmd, uint64_t addr, unsigned length, unsigned streaming_width,
             const std::vector<unsigned char>* byte_enables, const sc_core::sc_time& delay = sc_core::SC_ZERO_TIME);
  // A read or write expected to answer OK, then wait(delay): blocking use. A failure is a
  // GoogleTest failure naming the address. With a quantum (set_quantum), temporally decoupled
  // instead, as a TLM-2.0 loosely-timed initiator: the access is issued at sc_time_stamp() plus
  // the time this initiator has run ahead (local_offset()), the annotated delay adds to it, and
  // the thread waits only once it reaches the quantum.
  uint32_t rd(uint32_t addr);
  void wr(uint32_t addr, uint32_t data);
  // A 32-bit write storing only the byte lanes set in `lanes` (bit i: bits 8i+7..8i), through the
  // payload's byte enables; expected OK, then wait(delay).
  void wr_lanes(uint32_t addr, uint32_t data, uint8_t lanes);

  // Temporal decoupling: zero (the default) waits out every access; sync() waits out the time
  // run ahead (before waiting on a signal or an event); advance(d) adds d (a DMI copy's
  // latency) as an access does.
  void set_quantum(const sc_core::sc_time& q) { quantum_ = q; }
  const sc_core::sc_time& local_offset() const { return offset_; }
  void advance(const sc_core::sc_time& d);
  void sync();

  unsigned dbg_read(uint64_t addr, unsigned char* dst, unsigned length);
  unsigned dbg_write(uint64_t addr, unsigned char* src, unsigned length);
  bool get_dmi(uint64_t addr, tlm::tlm_dmi& dmi);
  // invalidate_direct_mem_ptr calls received, and the last range.
  uint64_t invalidations = 0, inv_start = 0, inv_end = 0;

 private:
  void invalidate(sc_dt::uint64 start, sc_dt::uint64 end);
  sc_core::sc_time quantum_ = sc_core::SC_ZERO_TIME, offset_ = sc_core::SC_ZERO_TIME;
};

class Bench : public sc_core::sc_module {
 public:
  Bench(sc_core::sc_module_name name, const sc::DeviceTlmConfig& cfg);

  sc::DeviceTlm dev;
  TlmInitiator cpu;     // on the host port
  TlmInitiator fw_cpu;  // on the firmware port
  sc_core::sc_signal<bool> irq, fw_irq;
  sc_core::sc_fifo<sc::EthFrame> wire_in;   // to the device
  sc_core::sc_fifo<sc::EthFrame> wire_out;  // from the device

  // Runs script in an SC_THREAD until it returns, or until `limit` of simulated time has
  // passed; true when it returned. Once per Bench.
  bool run(std::function<void(Bench&)> script, const sc_core::sc_time& limit = sc_core::sc_time(10, sc_core::SC_MS));

  // In a script: MAC_ADDR_LO/HI, IPV4_ADDR (kLocalMac, kLocalIp) and CTRL.ENABLE over the bus.
  void configure();
  // In a script: a frame onto the wire now, and the next frame off the wire within timeout
  // (false if none came).
  void send(const std::vector<uint8_t>& frame);
  bool receive(sc::EthFrame& f, const sc_core::sc_time& timeout);

 private:
  SC_HAS_PROCESS(Bench);
  void script_thread();

  std::function<void(Bench&)> script_;
  bool done_ = false;
};

// A new SystemC kernel context (the previous test's simulation is left behind); call before
// constructing a Bench.
void fresh_simulation();

}  // namespace toe::platform_test
