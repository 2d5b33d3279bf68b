// SPDX-License-Identifier: Apache-2.0
// toe::sc::LwipNode: one lwIP stack (sim::LwipPeer, sim/peers/lwip/lwip_peer.hpp) on an Ethernet
// frame channel, so it can sit at one end of a Link with the DeviceTlm at the other:
//
//   eth_in  (sc_fifo_in<EthFrame>)  --[dst mac or broadcast, IPv4: strip 14 bytes]--> LwipPeer::input
//   eth_out (sc_fifo_out<EthFrame>) <--[dst gateway_mac, src mac, 0x0800 + packet]--- LwipPeer output
//
// Frames in. An Ethernet II frame whose destination is LwipNodeConfig::mac or the broadcast
// address and whose ethertype is IPv4 (0x0800) loses its 14-byte header and the IPv4 packet goes
// to LwipPeer::input (lwIP trims Ethernet padding by the IP total length and drops what it
// refuses, as it would on a wire). An ARP request (to mac or broadcast) for lwIP's address is
// answered by the node itself (lwIP runs at the IPv4 layer and has no ARP: the node is its
// Ethernet shim), with a reply from mac to the asker, written at once (arp_replies()). Every
// other frame (another destination, multicast, other ARP, VLAN, shorter than 14 bytes) is
// counted in dropped_frames() and dropped. Frames are taken in the order read; a frame is given to lwIP at the later of
// its EthFrame::time and the time it was read (a Link writes each frame at its delivery time,
// stamped with it, so that is the time it was read), and a frame stamped in the future holds the
// ones behind it until its time.
// Frames out. Every IPv4 packet lwIP emits is framed with destination gateway_mac (the engine's
// MAC: every packet goes to the engine, which does no ARP), source mac and ethertype 0x0800, and
// written to eth_out (a blocking write: a full channel holds lwIP's output back) stamped with
// sc_time_stamp() at the write. Frames shorter than 60 bytes are padded with zeros to 60, as a
// MAC pads them on a wire (a bare TCP segment is 54 bytes).
//
// Time. lwIP's virtual time follows SystemC time: before every input, and whenever lwIP has a
// timer due (LwipPeer::next_timer_ns: TCP's 250 ms tick, IP reassembly), LwipPeer::advance_to(
// sc_time_stamp() in ns) runs the timers due up to now at their own due times (ms resolution).
// One SC_THREAD waits for the earliest of: a frame written to eth_in, the time of a held frame,
// lwIP's next timer, and poke(); when lwIP has no timer pending it sleeps until a frame or a
// poke. lwIP never runs ahead of SystemC time.
//
// API calls. peer() is the LwipPeer (listen, connect, send, close, state, tcb ...). Called while
// the simulation runs, it first brings lwIP's time to sc_time_stamp() (so the call sees lwIP at
// the caller's time, its due timers run) and pokes the thread: whatever the call makes lwIP send
// (connect's SYN, send's segments, close's FIN) is written to eth_out in the next delta cycle, at
// the caller's time, once the caller yields. poke() alone does the second half (for a reference
// to the peer kept across waits). Before sc_start, peer() only returns the peer; the thread
// collects that output at time 0.
//
// lwIP keeps global state, so at most one LwipPeer, hence one LwipNode, exists in a process at a
// time: constructing a second throws std::logic_error (LwipPeer's constructor).
#pragma once

#include <systemc>

#include <cstdint>
#include <deque>

#include "lwip_peer.hpp"
#include "toe/net/codec.hpp"
#include "toe_device_tlm.hpp"  // EthFrame

namespace toe::sc {

struct LwipNodeConfig {
  sim::LwipPeerConfig peer;  // lwIP's address (local_ip, a /24 with a default route) and MSS
  net::MacAddr mac;          // this node's MAC: frames in are taken for it (or broadcast)
  net::MacAddr gateway_mac;  // the engine's MAC: the destination of every frame out
};

class LwipNode : public sc_core::sc_module {
 public:
  sc_core::sc_fifo_in<EthFrame> eth_in;    // frames from the wire
  sc_core::sc_fifo_out<EthFrame> eth_out;  // frames to the wire

  SC_HAS_PROCESS(LwipNode);
  // Throws std::invalid_argument for a multicast (or broadcast) `mac`, and std::logic_error when
  // another LwipPeer exists (see the header comment).
  LwipNode(sc_core::sc_module_name name, const LwipNodeConfig& cfg);

  // The lwIP stack; while the simulation runs, synced to sc_time_stamp() and poked (see the
  // header comment).
  sim::LwipPeer& peer();
  // Makes the thread collect lwIP's output in the next delta cycle (after an API call made on a
  // reference to the peer). No effect before sc_start.
  void poke();
  // lwIP's time brought to sc_time_stamp(): its timers due up to now run; their output is
  // written at the next collection (poke() or the thread's next wake).
  void sync();

  const LwipNodeConfig& config() const { return cfg_; }
  uint64_t frames_in() const { return frames_in_; }    // frames given to lwIP
  uint64_t frames_out() const { return frames_out_; }  // frames written to eth_out
  uint64_t dropped_frames() const { return dropped_; }  // frames read and not given to lwIP
  uint64_t arp_replies() const { return arp_replies_; }  // ARP requests for lwIP's address answered

  const char* kind() const override { return "toe::sc::LwipNode"; }

 private:
  void run();
  void deliver(const EthFrame& f);
  void flush();
  bool answer_arp(const std::vector<uint8_t>& d);  // true: an ARP request for us, answered
  static uint64_t to_ns(const sc_core::sc_time& t);

  LwipNodeConfig cfg_;
  sim::LwipPeer peer_;
  std::deque<EthFrame> held_;  // read from eth_in, not yet given to lwIP (in order)
  sc_core::sc_event poke_;
  uint64_t frames_in_ = 0;
  uint64_t frames_out_ = 0;
  uint64_t dropped_ = 0;
  uint64_t arp_replies_ = 0;
};

}  // namespace toe::sc
