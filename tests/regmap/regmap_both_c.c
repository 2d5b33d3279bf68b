/* SPDX-License-Identifier: Apache-2.0 */
/* Compiled as C11 (-pedantic), twice: the host map's toe_regs.h, the firmware map's
 * toe_fw_regs.h and toe_defs.h in one translation unit, in this order and (with
 * TOE_BOTH_FW_FIRST, regmap_both_c_fw_first.c) with the firmware map's first. No macro may be
 * defined twice with a different value (the build's -Werror makes that a failure); the
 * shared TOE_ACCESS_* codes are the same for both. */
#ifdef TOE_BOTH_FW_FIRST
#include "toe_fw_regs.h"
#include "toe_defs.h"
#include "toe_regs.h"
#define TOE_BOTH_ROW toe_both_c_fw_first
#else
#include "toe_regs.h"
#include "toe_defs.h"
#include "toe_fw_regs.h"
#define TOE_BOTH_ROW toe_both_c_host_first
#endif

#include "regmap_both_c.h"

const struct toe_both_c_row TOE_BOTH_ROW = {
    TOE_DEVICE_TYPE,
    TOE_FW_DEVICE_TYPE,
    TOE_REG_COUNT,
    TOE_FW_REG_COUNT,
    TOE_REG_LAST_ERROR_OFFSET,
    TOE_FW_REG_LAST_ERROR_OFFSET,
    TOE_REG_FIELD_PREP(VERSION, MAJOR, 3u),
    TOE_FW_REG_FIELD_PREP(VERSION, MAJOR, 3u),
    TOE_ACCESS_RC,
    TOE_FW_REG_LAST_ERROR_ACCESS,
};
