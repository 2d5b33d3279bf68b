// SPDX-License-Identifier: Apache-2.0
// toe_sim replay IN.pcap OUT.pcap: the frames of IN injected at their
// timestamps, every frame the engine sends written to OUT on IN's time base.
#include <iostream>

#include "modes.hpp"
#include "sim_run.hpp"
#include "toe/net/pcap.hpp"

namespace toe::toesim {

int run_replay(const std::string& in_path, const std::string& out_path, Options& o) {
  o.finalize("10.0.0.2", "10.0.0.1");

  std::vector<net::PcapRecord> recs;
  net::LinkType lt = net::LinkType::kEthernet;
  try {
    net::PcapReader r(in_path);
    lt = r.link_type();
    net::PcapRecord rec;
    while (true) {
      try {
        if (!r.next(rec)) break;
      } catch (const net::PcapError& e) {
        throw UsageError(std::string(e.what()) + " (record " + std::to_string(recs.size() + 1) +
                         "; expected a pcap record header and data)");
      }
      recs.push_back(rec);
    }
  } catch (const net::PcapError& e) {
    throw UsageError(std::string(e.what()) + " (expected a pcap file of Ethernet or raw IPv4 frames)");
  }

  // The run starts --lead-ms before IN's first frame (at 0 if IN is empty).
  uint64_t first_ns = 0;
  for (size_t i = 0; i < recs.size(); ++i)
    if (i == 0 || recs[i].ts_ns < first_ns) first_ns = recs[i].ts_ns;
  const uint64_t lead_ns = static_cast<uint64_t>(o.lead_ms * 1e6);
  const uint64_t start_ns = recs.empty() ? 0 : (first_ns >= lead_ns ? first_ns - lead_ns : 0);

  SimRun run(o, o.engine_config(), o.harness_config(60000), start_ns, "toe_sim replay " + in_path);
  std::unique_ptr<net::PcapWriter> out;
  try {
    out = std::make_unique<net::PcapWriter>(out_path);
  } catch (const net::PcapError& e) {
    throw UsageError(std::string("OUT: ") + e.what());
  }
  run.on_engine_frame = [&](const WireFrame& w) { out->write(run.ts_ns(w.cycle), w.data); };

  sim::Harness& h = run.harness();
  for (uint16_t p : o.listen_ports) h.listen(p, o.app, o.source_bytes);
  if (o.has_connect)
    h.connect(o.connect_ip, o.connect_port, kFirstEphemeralPort, o.arp.at(o.connect_ip), o.app, o.source_bytes);

  uint64_t last_inject = 0;
  for (const net::PcapRecord& rec : recs) {
    const uint64_t at = rec.ts_ns > start_ns ? run.ns_to_cycles(rec.ts_ns - start_ns) : 0;
    run.run_to(at);
    run.engine_frames().clear();
    if (lt == net::LinkType::kRawIp) {
      // Raw IP: wrap in Ethernet from a fixed peer MAC to ours.
      net::EthHeader eth;
      eth.dst = o.local_mac;
      eth.src = o.peer_mac;
      eth.ethertype = net::kEtherTypeIpv4;
      std::vector<uint8_t> f;
      net::build_eth(eth, f);
      f.insert(f.end(), rec.data.begin(), rec.data.end());
      run.inject(f);
    } else {
      run.inject(rec.data);  // malformed or not, the engine judges it
    }
    last_inject = run.cycle();
  }
  run.run_to(last_inject + run.ms_to_cycles(o.tail_ms));
  run.engine_frames().clear();
  out->flush();

  run.stats_extra()["mode"] = "replay";
  run.stats_extra()["input"] = in_path;
  run.stats_extra()["output"] = out_path;
  run.stats_extra()["input_link_type"] = lt == net::LinkType::kRawIp ? "raw_ipv4" : "ethernet";
  run.stats_extra()["time_base_ns"] = start_ns;
  std::cout << "toe_sim: replayed " << recs.size() << " frame" << (recs.size() == 1 ? "" : "s") << " from " << in_path
            << "; the engine sent " << out->count() << " to " << out_path << "\n";
  run.finish(std::cout);
  return 0;
}

}  // namespace toe::toesim
