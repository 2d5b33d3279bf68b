// The registry of Verilated toe_top builds and make_rtl_engine (see rtl_engine.hpp).
#include <sstream>
#include <stdexcept>

#include "rtl_engine.hpp"

namespace toe::rtl {

// make_<name> of every build (generated: rtl_builds.inc).
#define TOE_RTL_BUILD(name, s, d, rx, tx, l, rsp, evt, slots) \
  std::unique_ptr<model::EngineApi> make_##name(const model::EngineConfig&);
#include "rtl_builds.inc"
#undef TOE_RTL_BUILD

const std::vector<RtlBuild>& rtl_builds() {
  static const std::vector<RtlBuild> builds = {
#define TOE_RTL_BUILD(name, s, d, rx, tx, l, rsp, evt, slots) {#name, s, d, rx, tx, l, rsp, evt, slots, &make_##name},
#include "rtl_builds.inc"
#undef TOE_RTL_BUILD
  };
  return builds;
}

std::string describe_rtl_builds() {
  std::ostringstream os;
  for (const RtlBuild& b : rtl_builds())
    os << "  " << b.name << " (sessions=" << b.sessions << " data_bytes=" << b.data_bytes
       << " rx_buf_bytes=" << b.rx_buf_bytes << " tx_buf_bytes=" << b.tx_buf_bytes
       << " listen_entries=" << b.listen_entries << " rsp_fifo_depth=" << b.rsp_fifo_depth
       << " evt_fifo_depth=" << b.evt_fifo_depth << " rx_slots=" << b.rx_slots << ")\n";
  return os.str();
}

std::unique_ptr<model::EngineApi> make_rtl_engine(const model::EngineConfig& cfg) {
  model::Engine check(cfg);  // the model's parameter checks, with their messages
  for (const RtlBuild& b : rtl_builds()) {
    if (b.sessions == cfg.sessions && b.data_bytes == cfg.data_bytes && b.rx_buf_bytes == cfg.rx_buf_bytes &&
        b.tx_buf_bytes == cfg.tx_buf_bytes && b.listen_entries == cfg.listen_entries &&
        b.rsp_fifo_depth == cfg.rsp_fifo_depth && b.evt_fifo_depth == cfg.evt_fifo_depth &&
        b.rx_slots == cfg.rx_slots)
      return b.make(cfg);
  }
  std::ostringstream os;
  os << "--engine rtl: no Verilated build for sessions=" << cfg.sessions << " data_bytes=" << cfg.data_bytes
     << " rx_buf_bytes=" << cfg.rx_buf_bytes << " tx_buf_bytes=" << cfg.tx_buf_bytes
     << " listen_entries=" << cfg.listen_entries << " rsp_fifo_depth=" << cfg.rsp_fifo_depth
     << " evt_fifo_depth=" << cfg.evt_fifo_depth << " rx_slots=" << cfg.rx_slots << "; this build has:\n"
     << describe_rtl_builds() << "(add one to TOE_RTL_BUILDS in sim/rtl_engine/CMakeLists.txt)";
  throw std::invalid_argument(os.str());
}

}  // namespace toe::rtl
