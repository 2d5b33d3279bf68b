// SPDX-License-Identifier: Apache-2.0
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
#define TOE_RTL_BUILD(name, s, d, rx, tx, l, rsp, evt, slots) {#name, model::EngineParams{s, d, rx, tx, l, rsp, evt, slots}, &make_##name},
#include "rtl_builds.inc"
#undef TOE_RTL_BUILD
  };
  return builds;
}

std::string describe_rtl_builds() {
  std::ostringstream os;
  for (const RtlBuild& b : rtl_builds()) os << "  " << b.name << " (" << model::describe(b.params) << ")\n";
  return os.str();
}

std::unique_ptr<model::EngineApi> make_rtl_engine(const model::EngineConfig& cfg) {
  // The one parameter validation (toe_defs.hpp), with its messages, before looking for a build.
  const std::string bad = params::check(params::values_of(cfg));
  if (!bad.empty()) throw std::invalid_argument(bad);
  for (const RtlBuild& b : rtl_builds())
    if (model::same_params(b.params, cfg)) return b.make(cfg);
  std::ostringstream os;
  os << "--engine rtl: no Verilated build for " << model::describe(cfg) << "; this build has:\n"
     << describe_rtl_builds() << "(add one to TOE_RTL_BUILDS in sim/rtl_engine/CMakeLists.txt)";
  throw std::invalid_argument(os.str());
}

}  // namespace toe::rtl
