// SPDX-License-Identifier: Apache-2.0
#include "engine_factory.hpp"

#include <cstdlib>

#ifdef TOE_HAVE_RTL_ENGINE
#include "rtl_engine.hpp"
#endif

namespace toe::sim {

EngineKind parse_engine_kind(const std::string& text) {
  if (text == "model") return EngineKind::kModel;
  if (text == "rtl") return EngineKind::kRtl;
  throw std::invalid_argument("'" + text + "' is not an engine (expected model or rtl)");
}

const char* to_string(EngineKind k) { return k == EngineKind::kRtl ? "rtl" : "model"; }

EngineKind engine_kind_from_env() {
  const char* v = std::getenv(kEngineEnvVar);
  if (!v || !*v) return EngineKind::kModel;
  try {
    return parse_engine_kind(v);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string(kEngineEnvVar) + ": " + e.what());
  }
}

bool rtl_engine_built() {
#ifdef TOE_HAVE_RTL_ENGINE
  return true;
#else
  return false;
#endif
}

std::unique_ptr<model::EngineApi> make_engine(EngineKind kind, const model::EngineConfig& cfg) {
  if (kind == EngineKind::kModel) return std::make_unique<model::Engine>(cfg);
#ifdef TOE_HAVE_RTL_ENGINE
  return toe::rtl::make_rtl_engine(cfg);
#else
  throw EngineUnavailable("--engine rtl: this build has no RTL engine (sim/rtl_engine not built)");
#endif
}

std::string engine_parameters_str(const model::EngineConfig& c) {
  return model::describe(c) + " max_half_open=" + std::to_string(c.max_half_open);
}

}  // namespace toe::sim
