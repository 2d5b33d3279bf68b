// SPDX-License-Identifier: Apache-2.0
// toe::sc::LwipNode: see lwip_node.hpp (frames in and out, time, API calls).
#include "lwip_node.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

namespace toe::sc {

using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_ZERO_TIME;

namespace {

constexpr size_t kMinFrame = 60;  // Ethernet's minimum without FCS: shorter frames are padded

const LwipNodeConfig& checked(const LwipNodeConfig& cfg) {
  if (cfg.mac.is_multicast())
    throw std::invalid_argument("LwipNodeConfig::mac must be a unicast address, got " + cfg.mac.str());
  return cfg;
}

}  // namespace

LwipNode::LwipNode(sc_core::sc_module_name name, const LwipNodeConfig& cfg)
    : sc_core::sc_module(name), eth_in("eth_in"), eth_out("eth_out"), cfg_(checked(cfg)), peer_(cfg.peer),
      poke_("poke") {
  SC_THREAD(run);
}

uint64_t LwipNode::to_ns(const sc_time& t) { return static_cast<uint64_t>(t / sc_time(1, SC_NS)); }

sim::LwipPeer& LwipNode::peer() {
  if (sc_core::sc_is_running()) {
    sync();
    poke();
  }
  return peer_;
}

void LwipNode::poke() {
  if (sc_core::sc_is_running()) poke_.notify(SC_ZERO_TIME);
}

void LwipNode::sync() { peer_.advance_to(to_ns(sc_core::sc_time_stamp())); }

bool LwipNode::answer_arp(const std::vector<uint8_t>& d) {
  if (d.size() < net::kEthHeaderLen || uint16_t(d[12] << 8 | d[13]) != net::kEtherTypeArp) return false;
  net::MacAddr dst;
  std::copy_n(d.begin(), 6, dst.b.begin());
  net::ArpPacket req;
  if ((dst != cfg_.mac && !dst.is_broadcast()) ||
      net::parse_arp(d.data() + net::kEthHeaderLen, d.size() - net::kEthHeaderLen, req) != net::ParseError::kOk ||
      req.oper != 1 || req.tpa != cfg_.peer.local_ip) {
    return false;
  }
  net::ArpPacket rep = req;
  rep.oper = 2;
  rep.sha = cfg_.mac;
  rep.spa = cfg_.peer.local_ip;
  rep.tha = req.sha;
  rep.tpa = req.spa;
  net::EthHeader eth;
  eth.dst = req.sha;
  eth.src = cfg_.mac;
  eth.ethertype = net::kEtherTypeArp;
  eth_out.write(EthFrame{net::build_arp_frame(eth, rep), sc_core::sc_time_stamp()});
  ++arp_replies_;
  ++frames_out_;
  return true;
}

void LwipNode::deliver(const EthFrame& f) {
  const std::vector<uint8_t>& d = f.data;
  if (answer_arp(d)) return;
  bool take = d.size() >= net::kEthHeaderLen;
  if (take) {
    net::MacAddr dst;
    std::copy_n(d.begin(), 6, dst.b.begin());
    const uint16_t ethertype = uint16_t(d[12] << 8 | d[13]);
    take = (dst == cfg_.mac || dst.is_broadcast()) && ethertype == net::kEtherTypeIpv4;
  }
  if (!take) {
    ++dropped_;
    return;
  }
  sync();  // lwIP at the frame's time: its timers due before it run first
  peer_.input(d.data() + net::kEthHeaderLen, d.size() - net::kEthHeaderLen);
  ++frames_in_;
}

void LwipNode::flush() {
  for (std::vector<uint8_t>& pkt : peer_.take_output()) {
    std::vector<uint8_t> frame;
    frame.reserve(std::max(kMinFrame, net::kEthHeaderLen + pkt.size()));
    net::EthHeader eth;
    eth.dst = cfg_.gateway_mac;
    eth.src = cfg_.mac;
    eth.ethertype = net::kEtherTypeIpv4;
    net::build_eth(eth, frame);
    frame.insert(frame.end(), pkt.begin(), pkt.end());
    if (frame.size() < kMinFrame) frame.resize(kMinFrame, 0);
    eth_out.write(EthFrame{std::move(frame), sc_core::sc_time_stamp()});
    ++frames_out_;
  }
}

void LwipNode::run() {
  constexpr uint64_t kNever = std::numeric_limits<uint64_t>::max();
  for (;;) {
    EthFrame f;
    while (eth_in.nb_read(f)) held_.push_back(std::move(f));
    const sc_time now = sc_core::sc_time_stamp();
    while (!held_.empty() && held_.front().time <= now) {
      deliver(held_.front());
      held_.pop_front();
      flush();  // lwIP's answer goes out now, before the next frame is taken
    }
    sync();  // timers due by now
    flush();
    // Sleep until the earliest of a frame, a held frame's time, lwIP's next timer and a poke.
    // (flush() may have blocked: the time is read again.)
    const sc_time t = sc_core::sc_time_stamp();
    bool timed = false;
    sc_time wake;
    if (!held_.empty()) {
      timed = true;
      wake = held_.front().time > t ? held_.front().time - t : SC_ZERO_TIME;
    }
    const uint64_t next = peer_.next_timer_ns();
    if (next != kNever) {
      const sc_time due(double(next), SC_NS);
      const sc_time until = due > t ? due - t : SC_ZERO_TIME;
      wake = timed ? std::min(wake, until) : until;
      timed = true;
    }
    if (timed && wake == SC_ZERO_TIME) continue;  // a held frame or a timer due at once
    if (timed)
      wait(wake, eth_in.data_written_event() | poke_);
    else
      wait(eth_in.data_written_event() | poke_);
  }
}

}  // namespace toe::sc
