// SPDX-License-Identifier: Apache-2.0
// toe_sim: runs the engine (the cycle-accurate model, or the Verilated RTL with --engine rtl) in a
// demo, a pcap replay, or a packetdrill-style script, and writes what
// happened as pcap, VCD, ladder SVG and JSON statistics; or serves the SystemC platform's host
// port to driver processes (serve: serve.hpp). See sim/README.md.
//
// Exit codes: 0 success, 1 a check failed (script expectation, demo
// scenario), 2 usage error or bad input (the message names the file, line or
// option and what was expected; also --engine rtl in a build without the RTL
// engine), 4 --engine rtl with parameters no Verilated build of the RTL has.
#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include <cstdlib>
#include <systemc>

#include "demo.hpp"
#include "modes.hpp"
#include "serve.hpp"
#include "tap.hpp"

namespace {

using toe::toesim::NoRtlBuild;
using toe::toesim::Options;
using toe::toesim::UsageError;

void add_common(CLI::App* a, Options& o) {
  a->add_option("--engine", o.engine, "model|rtl: the C++ model or the Verilated RTL (not TOE_ENGINE)")
      ->capture_default_str();
  a->add_option("--local-ip", o.local_ip_text, "the engine's IPv4 address (A.B.C.D)");
  a->add_option("--local-mac", o.local_mac_text, "the engine's MAC")->capture_default_str();
  a->add_option("--listen", o.listen_text, "PORT[,PORT]: listen with --app")->allow_extra_args(false);
  a->add_option("--connect", o.connect_text, "A.B.C.D:PORT: one active open at the start (needs --arp)");
  a->add_option("--app", o.app_text, "echo|discard|source:BYTES")->capture_default_str();
  a->add_option("--arp", o.arp_text, "A.B.C.D=MAC: a static neighbour")->allow_extra_args(false);
  a->add_option("--fixed-isn", o.fixed_isn_text, "HEX: fixed initial sequence number (tests only)");
  a->add_option("--mss", o.mss, "our MSS")->capture_default_str();
  a->add_option("--msl-ms", o.msl_ms, "MSL in ms (TIME_WAIT is 2*MSL; default 60000, demo 1)");
  a->add_option("--clock-mhz", o.clock_mhz, "engine clock")->capture_default_str();
  a->add_option("--data-bits", o.data_bits, "datapath width: 8|64")->capture_default_str();
  a->add_option("--sessions", o.sessions, "TCB entries")->capture_default_str();
  a->add_option("--pcap", o.pcap, "FILE: everything on the wire, both directions");
  a->add_option("--vcd", o.vcd, "FILE: toe_top's ports every cycle");
  a->add_option("--ladder", o.ladder, "FILE.svg: sequence diagram of each connection");
  a->add_option("--stats", o.stats, "FILE.json: counters, connections, speed");
  a->add_flag("--progress", o.progress, "progress on stderr once a second (default: when stderr is a terminal)");
}

void check_writable(const std::string& path, const std::string& opt) {
  if (path.empty()) return;
  std::ofstream f(path, std::ios::app);
  if (!f) throw UsageError(opt + " " + path + ": cannot write the file: " + std::strerror(errno));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"toe_sim: the toecore TCP offload engine in simulation (see sim/README.md)"};
  app.require_subcommand(1);
  Options o;
  std::string in_pcap, out_pcap, script, out_dir = ".";

  CLI::App* replay = app.add_subcommand(
      "replay",
      "inject the frames of IN at their timestamps; every frame the engine sends goes to OUT, on IN's time base");
  replay->add_option("IN", in_pcap, "input pcap (Ethernet or raw IPv4)")->required();
  replay->add_option("OUT", out_pcap, "output pcap (the engine's frames)")->required();
  replay->add_option("--lead-ms", o.lead_ms, "start this long before IN's first frame")->capture_default_str();
  replay->add_option("--tail-ms", o.tail_ms, "run this long after the last frame")->capture_default_str();
  replay->add_option("--peer-mac", o.peer_mac_text, "source MAC given to raw-IP frames (02:00:00:00:00:01)");
  add_common(replay, o);

  CLI::App* scr = app.add_subcommand(
      "script", "run a packetdrill-style script; exit 0 iff every expectation held (1 otherwise, 2 bad syntax)");
  scr->add_option("FILE", script, "the script (.pkt)")->required();
  scr->add_option("--peer-ip", o.peer_ip_text, "the peer's address (default 192.0.2.1; local default 192.168.0.1)");
  scr->add_option("--peer-mac", o.peer_mac_text, "the peer's MAC (02:00:00:00:00:01)");
  scr->add_option("--peer-port", o.peer_port,
                  "the peer's port (default 8080 when the engine connects, 40000 when the peer does)");
  scr->add_option("--tolerance-ms", o.tolerance_ms, "how long past its time an expectation may take")
      ->capture_default_str();
  add_common(scr, o);

  CLI::App* seeds = app.add_subcommand(
      "seeds", "the seeds' scenarios (handshake, echo, both four-way closes, RST) against a scripted peer");
  seeds->add_option("--out-dir", out_dir, "where the outputs go when none is named")->capture_default_str();
  seeds->add_option("--peer-ip", o.peer_ip_text, "the peer's address (default 10.0.0.1)");
  add_common(seeds, o);

  toe::toesim::DemoOptions dopt;
  CLI::App* demo = app.add_subcommand(
      "demo",
      "the product end to end: the engine with its firmware in the loop and an application on the host driver, "
      "lwIP clients and servers over a link with loss and reordering; echo, discard, source, an abort, a refused "
      "connect; a table, a ladder, demo.pcap/.vcd/.svg/.json");
  toe::toesim::add_demo_options(demo, dopt);

  toe::toesim::ServeOptions so;
  CLI::App* serve = app.add_subcommand(
      "serve",
      "run the SystemC platform (device, link, lwIP peer, firmware timers) and serve its host port and "
      "interrupt line to driver processes over a UNIX socket and/or a BAR-file mailbox, until SIGINT/SIGTERM");
  toe::toesim::add_serve_options(serve, so);

  toe::toesim::TapOptions topt;
  CLI::App* tap = app.add_subcommand(
      "tap",
      "Linux's own TCP as the peer: the engine (firmware and driver apps in the loop) on a TAP device in this "
      "network namespace, paced by the wall clock, until SIGINT/SIGTERM");
  toe::toesim::add_tap_options(tap, topt);

  if (argc > 1 && argv[1][0] != '-') {
    const std::string mode = argv[1];
    if (mode != "replay" && mode != "script" && mode != "demo" && mode != "seeds" && mode != "serve" && mode != "tap") {
      std::cerr << "toe_sim: unknown mode '" << mode << "' (expected demo, seeds, replay, script, serve or tap; see --help)\n";
      return 2;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }

  try {
    for (const auto& [path, opt] :
         {std::pair<std::string, const char*>{o.pcap, "--pcap"}, {o.ladder, "--ladder"}, {o.stats, "--stats"}})
      check_writable(path, opt);
    if (*replay) return toe::toesim::run_replay(in_pcap, out_pcap, o);
    if (*scr) return toe::toesim::run_script(script, o);
    if (*seeds) return toe::toesim::run_seeds(o, out_dir);
    if (*demo) {
      setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 0);
      return toe::toesim::run_demo(dopt);
    }
    if (*tap) {
      setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 0);
      return toe::toesim::run_tap(topt);
    }
    if (*serve) {
      setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 0);  // stdout carries the ready line
      return toe::toesim::run_serve(so);
    }
  } catch (const NoRtlBuild& e) {
    std::cerr << "toe_sim: " << e.what() << "\n";
    return 4;
  } catch (const UsageError& e) {
    std::cerr << "toe_sim: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "toe_sim: internal error: " << e.what() << "\n";
    return 3;
  }
  return 2;
}

// SystemC's library defines main() calling sc_main(); toe_sim has its own main() and starts the
// kernel from run_serve, so this is never called. It exists for the library's reference.
int sc_main(int, char**) { return 2; }
