/* SPDX-License-Identifier: Apache-2.0 */
/* Rows filled in by defs_c_checks.c (compiled as C11) for test_defs.cpp to check: each pairs
 * what the generated toe_defs.h says with what defs_expected.h (a second, independent reading
 * of toe_defs.toml) says. */
#ifndef TOE_TESTS_DEFS_C_CHECKS_H_
#define TOE_TESTS_DEFS_C_CHECKS_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One TCP state, command, event or counter: its TOE_* macro and the name in toe_*_names[]. */
struct toe_c_code_row {
  const char* macro;         /* e.g. "TOE_CMD_TX_PUSH" */
  uint32_t value, expected;  /* the macro; the value in the TOML */
  const char* name;          /* toe_cmd_names[value] as C sees it */
  const char* expected_name; /* the name in the TOML ("tx_push") */
  int flag;                  /* events / commands: for / from firmware; counters: drop */
};

struct toe_c_param_row {
  const char* name; /* "Sessions" */
  uint32_t min, expected_min;
  uint32_t max, expected_max;
  uint32_t def, expected_def;
};

/* Filled in by toe_c_defs_init() (names are read from the arrays, not constant expressions). */
extern struct toe_c_code_row toe_c_state_rows[];
extern struct toe_c_code_row toe_c_cmd_rows[];
extern struct toe_c_code_row toe_c_evt_rows[];
extern struct toe_c_code_row toe_c_cnt_rows[];
extern const size_t toe_c_state_row_count, toe_c_cmd_row_count, toe_c_evt_row_count,
    toe_c_cnt_row_count;
void toe_c_defs_init(void);

extern const struct toe_c_param_row toe_c_param_rows[];
extern const size_t toe_c_param_row_count;

/* TOE_STATE_WIDTH, TOE_CMD_WIDTH, TOE_EVT_WIDTH, TOE_CNT_WIDTH, TOE_STATE_MAX, TOE_CMD_MAX,
 * TOE_EVT_MAX, TOE_CNT_COUNT, TOE_CNT_DROP_MASK as C sees them; the drop mask the TOML gives. */
extern const uint32_t toe_c_state_width, toe_c_cmd_width, toe_c_evt_width, toe_c_cnt_width;
extern const uint32_t toe_c_state_max, toe_c_cmd_max, toe_c_evt_max, toe_c_cnt_count;
extern const uint32_t toe_c_cnt_drop_mask, toe_c_expected_drop_mask;
/* toe_evt_names[0] (no event: "?"). */
const char* toe_c_evt_name_0(void);

/* 1 if the code is one of the listed ones (a switch over all of them, so two with one value
 * would not even compile). */
int toe_c_cmd_is_known(uint32_t op);
int toe_c_evt_is_known(uint32_t type);

#ifdef __cplusplus
}
#endif

#endif
