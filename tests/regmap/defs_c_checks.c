/* SPDX-License-Identifier: Apache-2.0 */
/* Compiled as C11 (-pedantic), together with toe_regs.h: the generated toe_defs.h must work
 * from plain C beside the register header, and every value in it must be a constant
 * expression (they appear in static initialisers and case labels below). A state, opcode,
 * event, counter or parameter missing from the header fails the build here, naming the
 * macro. */
#include "defs_c_checks.h"

#include "defs_expected.h"
#include "toe_regs.h" /* first: TOE_PARAM_SESSIONS_DEFAULT is in both, and must agree */
#include "toe_defs.h"

#define STATE_ROW(NAME, x_value) {"TOE_STATE_" #NAME, TOE_STATE_##NAME, x_value, 0, #NAME, 0},
struct toe_c_code_row toe_c_state_rows[] = {TOE_EXPECTED_STATES(STATE_ROW)};
const size_t toe_c_state_row_count = sizeof toe_c_state_rows / sizeof toe_c_state_rows[0];

#define CMD_ROW(UPPER, kname, str, x_value, fw) {"TOE_CMD_" #UPPER, TOE_CMD_##UPPER, x_value, 0, str, fw},
struct toe_c_code_row toe_c_cmd_rows[] = {TOE_EXPECTED_CMDS(CMD_ROW)};
const size_t toe_c_cmd_row_count = sizeof toe_c_cmd_rows / sizeof toe_c_cmd_rows[0];

#define EVT_ROW(UPPER, kname, str, x_value, fw) {"TOE_EVT_" #UPPER, TOE_EVT_##UPPER, x_value, 0, str, fw},
struct toe_c_code_row toe_c_evt_rows[] = {TOE_EXPECTED_EVTS(EVT_ROW)};
const size_t toe_c_evt_row_count = sizeof toe_c_evt_rows / sizeof toe_c_evt_rows[0];

#define CNT_ROW(UPPER, kname, str, x_index, drop) {"TOE_CNT_" #UPPER, TOE_CNT_##UPPER, x_index, 0, str, drop},
struct toe_c_code_row toe_c_cnt_rows[] = {TOE_EXPECTED_COUNTERS(CNT_ROW)};
const size_t toe_c_cnt_row_count = sizeof toe_c_cnt_rows / sizeof toe_c_cnt_rows[0];

void toe_c_defs_init(void) {
  size_t i;
  for (i = 0; i < toe_c_state_row_count; ++i) {
    toe_c_state_rows[i].name =
        toe_c_state_rows[i].value <= TOE_STATE_MAX ? toe_state_names[toe_c_state_rows[i].value] : "";
  }
  for (i = 0; i < toe_c_cmd_row_count; ++i) {
    toe_c_cmd_rows[i].name =
        toe_c_cmd_rows[i].value <= TOE_CMD_MAX ? toe_cmd_names[toe_c_cmd_rows[i].value] : "";
  }
  for (i = 0; i < toe_c_evt_row_count; ++i) {
    toe_c_evt_rows[i].name =
        toe_c_evt_rows[i].value <= TOE_EVT_MAX ? toe_evt_names[toe_c_evt_rows[i].value] : "";
  }
  for (i = 0; i < toe_c_cnt_row_count; ++i) {
    toe_c_cnt_rows[i].name =
        toe_c_cnt_rows[i].value < TOE_CNT_COUNT ? toe_cnt_names[toe_c_cnt_rows[i].value] : "";
  }
}

#define PARAM_ROW(UPPER, field, str, x_def, x_min, x_max)                                 \
  {str, TOE_PARAM_##UPPER##_MIN, x_min, TOE_PARAM_##UPPER##_MAX, x_max,                  \
   TOE_PARAM_##UPPER##_DEFAULT, x_def},
const struct toe_c_param_row toe_c_param_rows[] = {TOE_EXPECTED_PARAMS(PARAM_ROW)};
const size_t toe_c_param_row_count = sizeof toe_c_param_rows / sizeof toe_c_param_rows[0];

const uint32_t toe_c_state_width = TOE_STATE_WIDTH;
const uint32_t toe_c_cmd_width = TOE_CMD_WIDTH;
const uint32_t toe_c_evt_width = TOE_EVT_WIDTH;
const uint32_t toe_c_cnt_width = TOE_CNT_WIDTH;
const uint32_t toe_c_state_max = TOE_STATE_MAX;
const uint32_t toe_c_cmd_max = TOE_CMD_MAX;
const uint32_t toe_c_evt_max = TOE_EVT_MAX;
const uint32_t toe_c_cnt_count = TOE_CNT_COUNT;
const uint32_t toe_c_cnt_drop_mask = TOE_CNT_DROP_MASK;
#define DROP_BIT(UPPER, kname, str, x_index, drop) | ((uint32_t)(drop) << (x_index))
const uint32_t toe_c_expected_drop_mask = 0u TOE_EXPECTED_COUNTERS(DROP_BIT);

const char* toe_c_evt_name_0(void) { return toe_evt_names[0]; }

#define CMD_CASE(UPPER, kname, str, x_value, fw) case TOE_CMD_##UPPER:
int toe_c_cmd_is_known(uint32_t op) {
  switch (op) {
    TOE_EXPECTED_CMDS(CMD_CASE)
    return 1;
    default:
      return 0;
  }
}

#define EVT_CASE(UPPER, kname, str, x_value, fw) case TOE_EVT_##UPPER:
int toe_c_evt_is_known(uint32_t type) {
  switch (type) {
    TOE_EXPECTED_EVTS(EVT_CASE)
    return 1;
    default:
      return 0;
  }
}
