// SPDX-License-Identifier: Apache-2.0
// The registry of Verilated toe_engine builds and make_rtl_device_engine (see
// rtl_device_engine.hpp).
#include "rtl_device_engine.hpp"

#include <sstream>
#include <stdexcept>

namespace toe::sc {

// make_rtl_device_<name> of every build (generated: rtl_device_builds.inc).
#define TOE_RTL_DEVICE_BUILD(name, s, d, rx, tx, l, rsp, evt, slots) \
  std::unique_ptr<DeviceEngine> make_rtl_device_##name(const model::EngineParams&);
#include "rtl_device_builds.inc"
#undef TOE_RTL_DEVICE_BUILD

namespace {

struct Build {
  const char* name;
  model::EngineParams params;
  std::unique_ptr<DeviceEngine> (*make)(const model::EngineParams&);
};

const Build kBuilds[] = {
#define TOE_RTL_DEVICE_BUILD(name, s, d, rx, tx, l, rsp, evt, slots) \
  {#name, model::EngineParams{s, d, rx, tx, l, rsp, evt, slots}, &make_rtl_device_##name},
#include "rtl_device_builds.inc"
#undef TOE_RTL_DEVICE_BUILD
};

}  // namespace

std::string describe_rtl_device_builds() {
  std::ostringstream os;
  for (const Build& b : kBuilds) os << "  " << b.name << " (" << model::describe(b.params) << ")\n";
  return os.str();
}

std::unique_ptr<DeviceEngine> make_rtl_device_engine(const model::EngineParams& p) {
  // The one parameter validation (toe_defs.hpp), with its messages, before looking for a build.
  const std::string bad = params::check(p);
  if (!bad.empty()) throw std::invalid_argument(bad);
  for (const Build& b : kBuilds)
    if (model::same_params(b.params, p)) return b.make(p);
  std::ostringstream os;
  os << "make_device_engine(\"rtl\"): no Verilated toe_engine build for " << model::describe(p)
     << "; this build has:\n"
     << describe_rtl_device_builds() << "(add one to RTL_DEVICE_BUILDS in sim/systemc/CMakeLists.txt)";
  throw std::invalid_argument(os.str());
}

}  // namespace toe::sc
