// SPDX-License-Identifier: Apache-2.0
// make_device_engine: the engine behind the TLM device, by name (see device_engine.hpp).
#include "device_engine.hpp"

#include <stdexcept>

#ifdef TOE_HAVE_RTL_DEVICE_ENGINE
#include "rtl_device_engine.hpp"
#endif

namespace toe::sc {

std::unique_ptr<DeviceEngine> make_device_engine(const std::string& kind, const model::EngineParams& p) {
  if (kind == "model") return std::make_unique<ModelDeviceEngine>(p);
  if (kind == "rtl") {
#ifdef TOE_HAVE_RTL_DEVICE_ENGINE
    return make_rtl_device_engine(p);
#else
    throw std::invalid_argument(
        "make_device_engine(\"rtl\"): the Verilated toe_engine is not compiled into this build "
        "(configure with -DTOE_RTL_ENGINE=ON)");
#endif
  }
  throw std::invalid_argument("make_device_engine: unknown engine \"" + kind + "\" (\"model\" or \"rtl\")");
}

}  // namespace toe::sc
