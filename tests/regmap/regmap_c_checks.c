/* SPDX-License-Identifier: Apache-2.0 */
/* Compiled as C11 (-pedantic): the generated toe_regs.h (toe_fw_regs.h with TOE_TEST_FW_MAP,
 * regmap_under_test.h) must work from plain C, and every value in it must be a constant
 * expression (they appear in static initialisers and case labels below). A register, field,
 * value or window missing from the header fails the build here, naming the macro. */
#include "regmap_c_checks.h"

#include "regmap_expected.h"
#include "regmap_under_test.h"

#define REG_ROW(name, x_offset, x_reset, x_access)                              \
  {#name, TOE_T_REG(name##_OFFSET), x_offset, TOE_T_REG(name##_RESET), x_reset, \
   TOE_T_REG(name##_ACCESS), TOE_ACCESS_##x_access},
const struct toe_c_reg_row toe_c_reg_rows[] = {TOE_EXPECTED_REGS(REG_ROW)};
const size_t toe_c_reg_row_count = sizeof toe_c_reg_rows / sizeof toe_c_reg_rows[0];

#define FIELD_ROW(reg, field, x_lsb, x_mask)                                                     \
  {#reg, #field, TOE_T_REG(reg##_##field##_LSB), x_lsb, TOE_T_REG(reg##_##field##_MASK), x_mask, \
   TOE_T_REG(reg##_##field##_WIDTH)},
const struct toe_c_field_row toe_c_field_rows[] = {TOE_EXPECTED_FIELDS(FIELD_ROW)};
const size_t toe_c_field_row_count = sizeof toe_c_field_rows / sizeof toe_c_field_rows[0];

#define VALUE_ROW(reg, field, name, x_value) \
  {#reg, #field, #name, TOE_T_REG(reg##_##field##_##name), x_value},
const struct toe_c_value_row toe_c_value_rows[] = {TOE_EXPECTED_VALUES(VALUE_ROW)};
const size_t toe_c_value_row_count = sizeof toe_c_value_rows / sizeof toe_c_value_rows[0];

/* A map may have no windows, and C has no empty initialiser: a last all-0 row that the count
 * leaves out. */
#define WINDOW_ROW(uname, name, x_base, x_size) \
  {name, TOE_T_REG(uname##_BASE), x_base, TOE_T_REG(uname##_SIZE), x_size},
const struct toe_c_window_row toe_c_window_rows[] = {TOE_EXPECTED_WINDOWS(WINDOW_ROW){0, 0u, 0u,
                                                                                      0u, 0u}};
const size_t toe_c_window_row_count = TOE_EXPECTED_WINDOW_COUNT;

const uint32_t toe_c_reg_count = TOE_T_REG(COUNT);
const uint32_t toe_c_expected_reg_count = TOE_EXPECTED_REG_COUNT;
const uint32_t toe_c_device_type = TOE_T_TOP(DEVICE_TYPE);
const uint32_t toe_c_device_version = TOE_T_TOP(DEVICE_VERSION);

#define OFFSET_CASE(name, x_offset, x_reset, x_access) case TOE_T_REG(name##_OFFSET):
int toe_c_offset_is_mapped(uint32_t offset) {
  switch (offset) {
    TOE_EXPECTED_REGS(OFFSET_CASE)
    return 1;
    default:
      return 0;
  }
}

uint32_t toe_c_field_get_version_minor(uint32_t value) {
  return TOE_T_REG(FIELD_GET)(value, VERSION, MINOR);
}

uint32_t toe_c_field_prep_last_error_code(uint32_t code) {
  return TOE_T_REG(FIELD_PREP)(LAST_ERROR, CODE, code);
}
