// SPDX-License-Identifier: Apache-2.0
// The link model (sim/systemc/link.hpp): a source module on each end sends frames with known
// contents (the first 4 bytes: the frame's index, big-endian) at known times, a sink on each end
// records what arrives, its stamp and the time it was read. Checked: exact delivery times from
// propagation delay and rate (overhead and rounding included), loss count and fraction at 1 % and
// 5 % with the lost frames exactly the missing ones, reordering that reorders and loses nothing,
// duplicates as byte-identical extras, corruption of exactly one byte with the length kept, one
// seed one run (another seed another run), and bad configurations refused naming the field.
#include <gtest/gtest.h>

#include <systemc>

#include <cmath>
#include <cstdint>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "link.hpp"
#include "tlm_bench.hpp"  // fresh_simulation

namespace {

using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_PS;
using sc_core::SC_US;
using sc_core::SC_ZERO_TIME;
using toe::sc::EthFrame;
using toe::sc::Link;
using toe::sc::LinkConfig;
using toe::sc::LinkCounters;
using toe::sc::LinkDecision;
using toe::sc::LinkDirection;

// Writes its frames, each at its EthFrame::time.
struct Source : sc_core::sc_module {
  sc_core::sc_fifo_out<EthFrame> out{"out"};
  std::vector<EthFrame> frames;

  SC_HAS_PROCESS(Source);
  Source(sc_core::sc_module_name n, std::vector<EthFrame> f) : sc_module(n), frames(std::move(f)) {
    SC_THREAD(run);
  }
  void run() {
    for (const EthFrame& f : frames) {
      if (f.time > sc_core::sc_time_stamp()) wait(f.time - sc_core::sc_time_stamp());
      out.write(f);
    }
  }
};

struct Received {
  std::vector<uint8_t> data;
  sc_time stamp;    // EthFrame::time
  sc_time read_at;  // when the sink read it
  bool operator==(const Received& o) const {
    return data == o.data && stamp == o.stamp && read_at == o.read_at;
  }
};

struct Sink : sc_core::sc_module {
  sc_core::sc_fifo_in<EthFrame> in{"in"};
  std::vector<Received> got;

  SC_HAS_PROCESS(Sink);
  explicit Sink(sc_core::sc_module_name n) : sc_module(n) { SC_THREAD(run); }
  void run() {
    for (;;) {
      EthFrame f = in.read();
      got.push_back({f.data, f.time, sc_core::sc_time_stamp()});
    }
  }
};

// What one direction delivered.
struct Direction {
  std::vector<Received> got;
  std::vector<LinkDecision> decisions;  // on_frame, in order
  LinkCounters counters;
};
struct Outcome {
  Direction ab, ba;
  std::string printed;  // Link::print
};

// One simulation, in a fresh kernel context, until nothing is left to do.
Outcome simulate(const LinkConfig& ab, const LinkConfig& ba, std::vector<EthFrame> from_a, std::vector<EthFrame> from_b = {}) {
  toe::platform_test::fresh_simulation();
  Outcome r;
  {
    sc_core::sc_fifo<EthFrame> a_out("a_out", 64), b_in("b_in", 64), b_out("b_out", 64), a_in("a_in", 64);
    Source src_a("src_a", std::move(from_a)), src_b("src_b", std::move(from_b));
    Sink sink_a("sink_a"), sink_b("sink_b");
    Link link("link", ab, ba);
    src_a.out(a_out);
    link.from_a(a_out);
    link.to_b(b_in);
    sink_b.in(b_in);
    src_b.out(b_out);
    link.from_b(b_out);
    link.to_a(a_in);
    sink_a.in(a_in);
    link.on_frame = [&r](LinkDirection d, const LinkDecision& x) {
      (d == LinkDirection::AtoB ? r.ab : r.ba).decisions.push_back(x);
    };
    sc_core::sc_start();
    r.ab.got = sink_b.got;
    r.ba.got = sink_a.got;
    r.ab.counters = link.counters(LinkDirection::AtoB);
    r.ba.counters = link.counters(LinkDirection::BtoA);
    EXPECT_EQ(link.in_flight(LinkDirection::AtoB), 0u);
    EXPECT_EQ(link.in_flight(LinkDirection::BtoA), 0u);
    std::ostringstream os;
    link.print(os);
    r.printed = os.str();
  }
  return r;
}

// A frame whose first 4 bytes are `index` (big-endian), the rest a pattern of it.
EthFrame frame(uint32_t index, size_t len, const sc_time& t) {
  EthFrame f{std::vector<uint8_t>(len), t};
  for (size_t j = 0; j < len; ++j) f.data[j] = static_cast<uint8_t>(index * 7 + j * 13);
  f.data[0] = static_cast<uint8_t>(index >> 24);
  f.data[1] = static_cast<uint8_t>(index >> 16);
  f.data[2] = static_cast<uint8_t>(index >> 8);
  f.data[3] = static_cast<uint8_t>(index);
  return f;
}
uint32_t index_of(const std::vector<uint8_t>& d) {
  return uint32_t(d[0]) << 24 | uint32_t(d[1]) << 16 | uint32_t(d[2]) << 8 | d[3];
}

// n frames, one every `spacing` from 0, of lengths 60..1459.
std::vector<EthFrame> frames(uint32_t n, const sc_time& spacing) {
  std::vector<EthFrame> v;
  for (uint32_t i = 0; i < n; ++i) v.push_back(frame(i, 60 + (i * 37) % 1400, spacing * double(i)));
  return v;
}

TEST(Link, DelayAndRateGiveExactDeliveryTimes) {
  LinkConfig ab;  // 1 Gbit/s, 5 us: 8 ns a byte, 24 bytes of overhead a frame
  ab.propagation_delay = sc_time(5, SC_US);
  ab.rate_bps = 1000000000;
  LinkConfig ba;  // unlimited rate: the delay alone
  ba.propagation_delay = sc_time(1, SC_US);
  const std::vector<EthFrame> from_a = {frame(0, 64, SC_ZERO_TIME), frame(1, 1500, SC_ZERO_TIME),
                                        frame(2, 100, sc_time(20, SC_US))};
  const std::vector<EthFrame> from_b = {frame(0, 60, sc_time(3, SC_US)), frame(1, 60, sc_time(3, SC_US))};
  const Outcome r = simulate(ab, ba, from_a, from_b);

  // 0: sent 0, 88 B on the wire = 704 ns, +5 us. 1: waits for 0, sent 704 ns, 1524 B = 12192 ns.
  // 2: sent 20 us (the wire is free), 124 B = 992 ns.
  const std::vector<sc_time> want_ab = {sc_time(5704, SC_NS), sc_time(17896, SC_NS), sc_time(25992, SC_NS)};
  ASSERT_EQ(r.ab.got.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(r.ab.got[i].data, from_a[i].data) << i;
    EXPECT_EQ(r.ab.got[i].stamp, want_ab[i]) << i;
    EXPECT_EQ(r.ab.got[i].read_at, want_ab[i]) << i;
    EXPECT_EQ(r.ab.decisions[i].delivery, want_ab[i]) << i;
  }
  ASSERT_EQ(r.ba.got.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {  // a tie: in the order sent
    EXPECT_EQ(r.ba.got[i].data, from_b[i].data) << i;
    EXPECT_EQ(r.ba.got[i].stamp, sc_time(4, SC_US)) << i;
    EXPECT_EQ(r.ba.got[i].read_at, sc_time(4, SC_US)) << i;
  }

  EXPECT_EQ(r.ab.counters.frames_in, 3u);
  EXPECT_EQ(r.ab.counters.frames_out, 3u);
  EXPECT_EQ(r.ab.counters.bytes_in, 64u + 1500u + 100u);
  EXPECT_EQ(r.ab.counters.bytes_out, 64u + 1500u + 100u);
  EXPECT_EQ(r.ab.counters.lost + r.ab.counters.reordered + r.ab.counters.duplicated + r.ab.counters.corrupted, 0u);
  std::ostringstream os;
  os << r.ba.counters;
  EXPECT_EQ(os.str(), "in 2 (120 B) out 2 (120 B) lost 0 reordered 0 duplicated 0 corrupted 0");
  EXPECT_EQ(r.printed, "link a->b: in 3 (1664 B) out 3 (1664 B) lost 0 reordered 0 duplicated 0 corrupted 0\n"
                       "link b->a: " + os.str() + "\n");
}

TEST(Link, SerializationCountsTheOverheadAndRoundsUp) {
  ASSERT_EQ(sc_core::sc_get_time_resolution(), sc_time(1, SC_PS));
  EXPECT_EQ(Link::serialization(1500, 1000000000), sc_time(12192, SC_NS));
  EXPECT_EQ(Link::serialization(64, 10000000), sc_time(70400, SC_NS));  // 704 bits at 10 Mbit/s
  // 704 bits at 3 Gbit/s: 234666.67 ps, rounded up.
  EXPECT_EQ(Link::serialization(64, 3000000000), sc_time::from_value(234667));
  EXPECT_EQ(Link::serialization(0, 1000000000), sc_time(192, SC_NS));  // the overhead alone
  EXPECT_EQ(Link::serialization(1500, 0), SC_ZERO_TIME);
}

TEST(Link, LossMatchesItsProbabilityAndTheLostAreTheMissing) {
  constexpr uint32_t kFrames = 20000;
  for (double p : {0.01, 0.05}) {
    SCOPED_TRACE(p);
    LinkConfig ab;
    ab.propagation_delay = sc_time(2, SC_US);
    ab.loss_probability = p;
    ab.seed = 7;
    const std::vector<EthFrame> sent = frames(kFrames, sc_time(1, SC_US));
    const Outcome r = simulate(ab, LinkConfig{}, sent);

    const LinkCounters& c = r.ab.counters;
    EXPECT_EQ(c.frames_in, kFrames);
    EXPECT_EQ(c.lost, kFrames - r.ab.got.size());
    EXPECT_EQ(c.frames_out, r.ab.got.size());
    // Within 4 standard deviations of the binomial.
    const double sd = std::sqrt(p * (1 - p) / kFrames);
    EXPECT_NEAR(double(c.lost) / kFrames, p, 4 * sd);
    EXPECT_GT(c.lost, 0u);

    std::set<uint32_t> lost;
    ASSERT_EQ(r.ab.decisions.size(), size_t(kFrames));
    for (const LinkDecision& d : r.ab.decisions)
      if (d.lost) lost.insert(uint32_t(d.index));
    EXPECT_EQ(lost.size(), c.lost);
    // The delivered ones in order, intact and on time; the missing ones exactly the lost ones.
    std::set<uint32_t> missing;
    size_t k = 0;
    for (uint32_t i = 0; i < kFrames; ++i) {
      if (k < r.ab.got.size() && index_of(r.ab.got[k].data) == i) {
        EXPECT_EQ(r.ab.got[k].data, sent[i].data) << i;
        EXPECT_EQ(r.ab.got[k].stamp, sent[i].time + ab.propagation_delay) << i;
        ++k;
      } else {
        missing.insert(i);
      }
    }
    EXPECT_EQ(k, r.ab.got.size());
    EXPECT_EQ(missing, lost);
  }
}

TEST(Link, ReorderingReordersAndLosesNothing) {
  constexpr uint32_t kFrames = 2000;
  LinkConfig ab;
  ab.propagation_delay = sc_time(2, SC_US);
  ab.reorder_probability = 0.1;
  ab.reorder_delay = sc_time(10, SC_US);
  ab.seed = 3;
  const std::vector<EthFrame> sent = frames(kFrames, sc_time(1, SC_US));
  const Outcome r = simulate(ab, LinkConfig{}, sent);

  ASSERT_EQ(r.ab.got.size(), size_t(kFrames));
  std::set<uint32_t> seen;
  size_t overtaken = 0;
  for (size_t k = 0; k < r.ab.got.size(); ++k) {
    const Received& g = r.ab.got[k];
    const uint32_t i = index_of(g.data);
    ASSERT_LT(i, kFrames);
    EXPECT_TRUE(seen.insert(i).second) << "frame " << i << " twice";
    EXPECT_EQ(g.data, sent[i].data) << i;
    const bool held = r.ab.decisions[i].reordered;
    EXPECT_EQ(g.stamp, sent[i].time + ab.propagation_delay + (held ? ab.reorder_delay : SC_ZERO_TIME)) << i;
    EXPECT_EQ(g.read_at, g.stamp) << i;
    if (k > 0) {
      EXPECT_LE(r.ab.got[k - 1].stamp, g.stamp) << k;  // by delivery time
      overtaken += index_of(r.ab.got[k - 1].data) > i;
    }
  }
  size_t held = 0;
  for (const LinkDecision& d : r.ab.decisions) held += d.reordered;
  EXPECT_EQ(r.ab.counters.reordered, held);
  EXPECT_GT(held, kFrames / 20);
  EXPECT_LT(held, kFrames / 5);
  EXPECT_GT(overtaken, 0u);  // the order changed
  EXPECT_EQ(r.ab.counters.lost, 0u);
  EXPECT_EQ(r.ab.counters.frames_out, kFrames);
}

TEST(Link, DuplicatesAreByteIdenticalExtras) {
  constexpr uint32_t kFrames = 2000;
  LinkConfig ab;
  ab.propagation_delay = sc_time(2, SC_US);
  ab.duplication_probability = 0.1;
  ab.seed = 5;
  const std::vector<EthFrame> sent = frames(kFrames, sc_time(1, SC_US));
  const Outcome r = simulate(ab, LinkConfig{}, sent);

  const LinkCounters& c = r.ab.counters;
  EXPECT_GT(c.duplicated, kFrames / 20);
  EXPECT_LT(c.duplicated, kFrames / 5);
  ASSERT_EQ(r.ab.got.size(), kFrames + c.duplicated);
  EXPECT_EQ(c.frames_out, kFrames + c.duplicated);
  size_t k = 0;
  for (uint32_t i = 0; i < kFrames; ++i) {
    const size_t copies = r.ab.decisions[i].duplicated ? 2 : 1;
    for (size_t n = 0; n < copies; ++n, ++k) {
      ASSERT_LT(k, r.ab.got.size());
      EXPECT_EQ(r.ab.got[k].data, sent[i].data) << i;
      EXPECT_EQ(r.ab.got[k].stamp, sent[i].time + ab.propagation_delay) << i;
    }
  }
  EXPECT_EQ(k, r.ab.got.size());
}

TEST(Link, CorruptionChangesExactlyOneByteAndKeepsTheLength) {
  constexpr uint32_t kFrames = 2000;
  LinkConfig ab;
  ab.corruption_probability = 0.2;
  ab.seed = 9;
  const std::vector<EthFrame> sent = frames(kFrames, sc_time(1, SC_US));
  const Outcome r = simulate(ab, LinkConfig{}, sent);

  ASSERT_EQ(r.ab.got.size(), size_t(kFrames));  // in order: nothing else happens
  size_t corrupted = 0;
  for (uint32_t i = 0; i < kFrames; ++i) {
    const std::vector<uint8_t>& got = r.ab.got[i].data;
    ASSERT_EQ(got.size(), sent[i].data.size()) << i;
    std::vector<size_t> diff;
    for (size_t j = 0; j < got.size(); ++j)
      if (got[j] != sent[i].data[j]) diff.push_back(j);
    const LinkDecision& d = r.ab.decisions[i];
    if (d.corrupted) {
      ++corrupted;
      ASSERT_EQ(diff.size(), 1u) << i;
      EXPECT_EQ(diff[0], d.corrupt_at) << i;
    } else {
      EXPECT_TRUE(diff.empty()) << i;
    }
  }
  EXPECT_EQ(r.ab.counters.corrupted, corrupted);
  EXPECT_GT(corrupted, kFrames / 10);
  EXPECT_LT(corrupted, kFrames * 3 / 10);
}

TEST(Link, OneSeedOneRunAnotherSeedAnother) {
  auto impaired = [](uint64_t seed) {
    LinkConfig c;
    c.propagation_delay = sc_time(3, SC_US);
    c.rate_bps = 100000000;
    c.loss_probability = 0.05;
    c.reorder_probability = 0.1;
    c.reorder_delay = sc_time(40, SC_US);
    c.duplication_probability = 0.05;
    c.corruption_probability = 0.05;
    c.seed = seed;
    return c;
  };
  const std::vector<EthFrame> sent = frames(1000, sc_time(20, SC_US));
  const Outcome one = simulate(impaired(11), impaired(12), sent, sent);
  const Outcome two = simulate(impaired(11), impaired(12), sent, sent);
  const Outcome other = simulate(impaired(13), impaired(14), sent, sent);

  EXPECT_EQ(one.ab.got, two.ab.got);
  EXPECT_EQ(one.ba.got, two.ba.got);
  EXPECT_EQ(one.printed, two.printed);
  EXPECT_NE(one.ab.got, other.ab.got);
  EXPECT_NE(one.ba.got, other.ba.got);
  EXPECT_NE(one.ab.got, one.ba.got);  // each direction its own seed
  for (const Outcome* r : {&one, &other})
    for (const Direction* d : {&r->ab, &r->ba}) {
      const LinkCounters& c = d->counters;
      EXPECT_EQ(c.frames_in, sent.size());
      EXPECT_EQ(c.frames_out, c.frames_in - c.lost + c.duplicated);
      EXPECT_EQ(d->got.size(), c.frames_out);
      EXPECT_GT(c.lost, 0u);
      EXPECT_GT(c.reordered, 0u);
      EXPECT_GT(c.duplicated, 0u);
      EXPECT_GT(c.corrupted, 0u);
    }
}

// validate(cfg) throws std::invalid_argument whose message names `field`.
void expect_refused(const LinkConfig& cfg, const std::string& field) {
  try {
    toe::sc::validate(cfg);
    ADD_FAILURE() << field << " accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("LinkConfig::" + field), std::string::npos) << e.what();
  }
}

TEST(Link, BadConfigsAreRefusedNamingTheField) {
  const sc_time negative = sc_time(1, SC_NS) - sc_time(2, SC_NS);  // sc_time wraps
  for (double p : {-0.01, 1.01, std::nan("")}) {
    SCOPED_TRACE(p);
    LinkConfig c;
    c.loss_probability = p;
    expect_refused(c, "loss_probability");
    c = LinkConfig{};
    c.reorder_probability = p;
    c.reorder_delay = sc_time(1, SC_US);
    expect_refused(c, "reorder_probability");
    c = LinkConfig{};
    c.duplication_probability = p;
    expect_refused(c, "duplication_probability");
    c = LinkConfig{};
    c.corruption_probability = p;
    expect_refused(c, "corruption_probability");
  }
  LinkConfig c;
  c.propagation_delay = negative;
  expect_refused(c, "propagation_delay");
  c = LinkConfig{};
  c.reorder_delay = negative;
  expect_refused(c, "reorder_delay");
  c = LinkConfig{};
  c.reorder_probability = 0.5;  // held back by nothing
  expect_refused(c, "reorder_delay");

  // The edges are accepted.
  c = LinkConfig{};
  c.loss_probability = 1.0;
  c.corruption_probability = 0.0;
  c.reorder_probability = 1.0;
  c.reorder_delay = sc_time(1, SC_PS);
  EXPECT_NO_THROW(toe::sc::validate(c));

  // The module refuses them too, naming the direction.
  toe::platform_test::fresh_simulation();
  LinkConfig bad;
  bad.duplication_probability = 2.0;
  try {
    Link link("link", LinkConfig{}, bad);
    ADD_FAILURE() << "Link accepted a bad b->a config";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("b->a"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("LinkConfig::duplication_probability"), std::string::npos) << e.what();
  }
}

}  // namespace
