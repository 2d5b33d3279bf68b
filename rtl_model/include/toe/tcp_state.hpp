// SPDX-License-Identifier: Apache-2.0
// RFC 9293 connection states, with the RFC's names (toe::TcpState, to_string): shared by the
// model, the lwIP oracle wrapper, toe_sim and the tests. Generated with the C (toe_defs.h) and
// SV (toe_defs_pkg) numbers from rtl_model/regmap/toe_defs.toml; this header only forwards.
#pragma once

#include "toe_defs.hpp"
