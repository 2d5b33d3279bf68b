/* SPDX-License-Identifier: Apache-2.0 */
/* regmap_both_c.c with the firmware map's header included first. */
#define TOE_BOTH_FW_FIRST 1
#include "regmap_both_c.c"
