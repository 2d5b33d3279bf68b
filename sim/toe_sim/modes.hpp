// SPDX-License-Identifier: Apache-2.0
// toe_sim's modes. Each returns the process exit code (0 success, 1 a check
// failed) and throws UsageError for bad input (exit 2).
#pragma once

#include <string>

#include "options.hpp"

namespace toe::toesim {

int run_replay(const std::string& in_pcap, const std::string& out_pcap, Options& o);
int run_script(const std::string& script_path, Options& o);
int run_seeds(Options& o, const std::string& out_dir);

}  // namespace toe::toesim
