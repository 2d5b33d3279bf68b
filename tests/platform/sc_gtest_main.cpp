// SPDX-License-Identifier: Apache-2.0
// sc_main of the platform test binaries: SystemC's main() calls it; it runs the GoogleTest
// tests (each test builds its own Bench in a fresh kernel context, tlm_bench.hpp).
#include <gtest/gtest.h>

#include <systemc>

int sc_main(int argc, char* argv[]) {
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
