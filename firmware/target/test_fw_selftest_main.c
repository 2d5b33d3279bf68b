/* SPDX-License-Identifier: Apache-2.0 */
/* The boot self-test alone (toe_fw_selftest), for a target with semihosting (QEMU): prints each
 * result and exits 0 when every check passed. */
#include <stdio.h>

#include "toe_fw_selftest.h"

int main(void) {
  const char *failed = 0;
  const unsigned bad = toe_fw_selftest(&failed);
  if (bad != 0u) {
    printf("toe_fw self-test FAILED: check %u %s\n", bad, failed);
    return 1;
  }
  printf("toe_fw self-test passed (%u checks)\n", toe_fw_selftest_count());
  return 0;
}
