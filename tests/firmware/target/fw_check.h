/* SPDX-License-Identifier: Apache-2.0 */
/* CHECK_EQ for the firmware's C unit tests (test_fw_rto.c, test_fw_arp.c): on the host and under
 * QEMU. Counts checks and failures in the including file's `checks` and `failures`, and prints
 * one line per failed check. */
#ifndef TOE_FW_CHECK_H_
#define TOE_FW_CHECK_H_

#include <stdio.h>

#define CHECK_EQ(got, want, what)                                                                  \
  do {                                                                                             \
    const unsigned long long g_ = (unsigned long long)(got), w_ = (unsigned long long)(want);      \
    ++checks;                                                                                      \
    if (g_ != w_) {                                                                                \
      ++failures;                                                                                  \
      printf("%s:%d: %s: got %llu, want %llu (%s)\n", __FILE__, __LINE__, #got, g_, w_, what);     \
    }                                                                                              \
  } while (0)

#endif /* TOE_FW_CHECK_H_ */
