/* SPDX-License-Identifier: Apache-2.0 */
/* What regmap_both_c.c (the host and firmware C headers in one C translation unit, in both
 * orders) saw, for test_regmap_both.cpp to check. */
#ifndef TOE_TESTS_REGMAP_BOTH_C_H_
#define TOE_TESTS_REGMAP_BOTH_C_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct toe_both_c_row {
  uint32_t host_type, fw_type;                   /* TOE_DEVICE_TYPE, TOE_FW_DEVICE_TYPE */
  uint32_t host_count, fw_count;                 /* TOE_REG_COUNT, TOE_FW_REG_COUNT */
  uint32_t host_last_error, fw_last_error;       /* the LAST_ERROR offsets */
  uint32_t host_major_3, fw_major_3;             /* *_FIELD_PREP(VERSION, MAJOR, 3) */
  uint32_t access_rc, fw_last_error_access;      /* TOE_ACCESS_RC, the fw LAST_ERROR's */
};

extern const struct toe_both_c_row toe_both_c_host_first; /* toe_regs.h included first */
extern const struct toe_both_c_row toe_both_c_fw_first;   /* toe_fw_regs.h first */

#ifdef __cplusplus
}
#endif

#endif
