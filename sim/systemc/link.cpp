// SPDX-License-Identifier: Apache-2.0
// toe::sc::Link: see link.hpp (time model, impairments and the order of the random draws).
#include "link.hpp"

#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace toe::sc {

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

namespace {

constexpr uint64_t kNegative = uint64_t(1) << 63;  // sc_time values from here on wrapped

void check_probability(double p, const char* field) {
  if (!(p >= 0.0 && p <= 1.0)) {  // NaN fails both
    std::ostringstream m;
    m << "LinkConfig::" << field << " must be in [0, 1], got " << p;
    throw std::invalid_argument(m.str());
  }
}

void check_delay(const sc_time& t, const char* field) {
  if (t.value() >= kNegative)
    throw std::invalid_argument(std::string("LinkConfig::") + field + " must not be negative (the sc_time wrapped)");
}

// A draw as a probability test: the top 53 bits as a double in [0, 1).
bool happens(uint64_t draw, double p) { return double(draw >> 11) * 0x1.0p-53 < p; }

}  // namespace

void validate(const LinkConfig& cfg) {
  check_delay(cfg.propagation_delay, "propagation_delay");
  check_delay(cfg.reorder_delay, "reorder_delay");
  check_probability(cfg.loss_probability, "loss_probability");
  check_probability(cfg.reorder_probability, "reorder_probability");
  check_probability(cfg.duplication_probability, "duplication_probability");
  check_probability(cfg.corruption_probability, "corruption_probability");
  if (cfg.reorder_probability > 0.0 && cfg.reorder_delay == SC_ZERO_TIME)
    throw std::invalid_argument("LinkConfig::reorder_delay must be > 0 when reorder_probability > 0");
}

std::ostream& operator<<(std::ostream& os, const LinkCounters& c) {
  return os << "in " << c.frames_in << " (" << c.bytes_in << " B) out " << c.frames_out << " (" << c.bytes_out
            << " B) lost " << c.lost << " reordered " << c.reordered << " duplicated " << c.duplicated
            << " corrupted " << c.corrupted;
}

const char* to_string(LinkDirection d) { return d == LinkDirection::AtoB ? "a->b" : "b->a"; }

LinkConfig Link::checked(const LinkConfig& c, LinkDirection d) {
  try {
    validate(c);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("Link ") + to_string(d) + ": " + e.what());
  }
  return c;
}

Link::Link(sc_core::sc_module_name name, const LinkConfig& a_to_b, const LinkConfig& b_to_a)
    : sc_module(name),
      from_a("from_a"),
      to_b("to_b"),
      from_b("from_b"),
      to_a("to_a"),
      ab_(LinkDirection::AtoB, checked(a_to_b, LinkDirection::AtoB)),
      ba_(LinkDirection::BtoA, checked(b_to_a, LinkDirection::BtoA)) {
  SC_THREAD(in_ab);
  SC_THREAD(out_ab);
  SC_THREAD(in_ba);
  SC_THREAD(out_ba);
}

sc_time Link::serialization(size_t bytes, uint64_t rate_bps) {
  if (rate_bps == 0) return SC_ZERO_TIME;
  // Ticks of the time resolution, rounded up: bits * ticks_per_second / rate.
  const unsigned __int128 ticks_per_s = sc_time(1, sc_core::SC_SEC).value();
  const unsigned __int128 bits = (static_cast<unsigned __int128>(bytes) + kOverheadBytes) * 8;
  const unsigned __int128 ticks = (bits * ticks_per_s + rate_bps - 1) / rate_bps;
  if (ticks >= kNegative) throw std::overflow_error("Link: serialization time beyond sc_time's range");
  return sc_time::from_value(static_cast<uint64_t>(ticks));
}

void Link::take(sc_core::sc_fifo_in<EthFrame>& in, Lane& l) {
  for (;;) {
    EthFrame f = in.read();
    LinkDecision d;
    d.index = l.count.frames_in++;
    l.count.bytes_in += f.data.size();

    // Six draws per frame, always, in this order (link.hpp).
    const uint64_t r_loss = l.rng();
    const uint64_t r_corrupt = l.rng();
    const uint64_t r_corrupt_at = l.rng();
    const uint64_t r_corrupt_mask = l.rng();
    const uint64_t r_reorder = l.rng();
    const uint64_t r_dup = l.rng();

    const sc_time send = f.time > l.wire_free ? f.time : l.wire_free;
    l.wire_free = send + serialization(f.data.size(), l.cfg.rate_bps);
    d.delivery = l.wire_free + l.cfg.propagation_delay;

    // For on_sent: the frame as the sender sent it (before corruption), stamped with its send
    // time. Built by constructor: GCC 12 at -O3 warns (-Wnonnull) on a copy-assignment into an
    // empty vector here.
    const EthFrame as_sent = on_sent ? EthFrame{std::vector<uint8_t>(f.data), send} : EthFrame{};
    d.lost = happens(r_loss, l.cfg.loss_probability);
    if (!d.lost) {
      d.corrupted = !f.data.empty() && happens(r_corrupt, l.cfg.corruption_probability);
      if (d.corrupted) {
        d.corrupt_at = r_corrupt_at % f.data.size();
        f.data[d.corrupt_at] ^= static_cast<uint8_t>(1 + r_corrupt_mask % 255);
      }
      d.reordered = happens(r_reorder, l.cfg.reorder_probability);
      if (d.reordered) d.delivery += l.cfg.reorder_delay;
      d.duplicated = happens(r_dup, l.cfg.duplication_probability);
    }
    l.count.lost += d.lost;
    l.count.corrupted += d.corrupted;
    l.count.reordered += d.reordered;
    l.count.duplicated += d.duplicated;
    if (on_frame) on_frame(l.dir, d);
    if (on_sent) on_sent(l.dir, as_sent, d);
    if (d.lost) continue;

    f.time = d.delivery;
    EthFrame copy;
    if (d.duplicated) copy = f;
    l.pending.emplace(std::make_pair(d.delivery.value(), l.seq++), std::move(f));
    if (d.duplicated) l.pending.emplace(std::make_pair(d.delivery.value(), l.seq++), std::move(copy));
    l.queued.notify(SC_ZERO_TIME);
  }
}

void Link::deliver(sc_core::sc_fifo_out<EthFrame>& out, Lane& l) {
  for (;;) {
    if (l.pending.empty()) {
      wait(l.queued);
      continue;
    }
    auto first = l.pending.begin();
    const sc_time now = sc_core::sc_time_stamp();
    const sc_time at = sc_time::from_value(first->first.first);
    if (at > now) {
      wait(at - now, l.queued);  // an earlier frame may be queued meanwhile
      continue;
    }
    EthFrame f = std::move(first->second);
    l.pending.erase(first);
    const size_t n = f.data.size();
    if (on_deliver) on_deliver(l.dir, f);
    out.write(f);
    ++l.count.frames_out;
    l.count.bytes_out += n;
  }
}

void Link::print(std::ostream& os) const {
  os << name() << " a->b: " << ab_.count << "\n" << name() << " b->a: " << ba_.count << "\n";
}

}  // namespace toe::sc
