/* SPDX-License-Identifier: Apache-2.0 */
/* Rows filled in by regmap_c_checks.c (compiled as C11) for test_regmap_c.cpp to check:
 * each pairs what the generated toe_regs.h says with what regmap_expected.h (a second,
 * independent reading of toe_regs.toml) says. */
#ifndef TOE_TESTS_REGMAP_C_CHECKS_H_
#define TOE_TESTS_REGMAP_C_CHECKS_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct toe_c_reg_row {
  const char* name;
  uint32_t offset, expected_offset;
  uint32_t reset, expected_reset;
  uint32_t access, expected_access;
};

struct toe_c_field_row {
  const char* reg;
  const char* field;
  uint32_t lsb, expected_lsb;
  uint32_t mask, expected_mask;
  uint32_t width; /* TOE_REG_<R>_<F>_WIDTH */
};

struct toe_c_value_row {
  const char* reg;
  const char* field;
  const char* value;
  uint32_t actual, expected;
};

struct toe_c_window_row {
  const char* name; /* the group's name, "tx_window" */
  uint32_t base, expected_base; /* TOE_REG_<NAME>_BASE */
  uint32_t size, expected_size; /* TOE_REG_<NAME>_SIZE */
};

extern const struct toe_c_reg_row toe_c_reg_rows[];
extern const size_t toe_c_reg_row_count;
extern const struct toe_c_field_row toe_c_field_rows[];
extern const size_t toe_c_field_row_count;
extern const struct toe_c_value_row toe_c_value_rows[];
extern const size_t toe_c_value_row_count;
/* One row per window group of the TOML (none: toe_c_window_row_count is 0). */
extern const struct toe_c_window_row toe_c_window_rows[];
extern const size_t toe_c_window_row_count;

/* TOE_REG_COUNT, TOE_EXPECTED_REG_COUNT, TOE_DEVICE_TYPE, TOE_DEVICE_VERSION, as C sees them. */
extern const uint32_t toe_c_reg_count, toe_c_expected_reg_count;
extern const uint32_t toe_c_device_type, toe_c_device_version;

/* 1 if offset is one of the expected registers' TOE_REG_<NAME>_OFFSET (a switch over all of
 * them, so two registers at one offset would not even compile). */
int toe_c_offset_is_mapped(uint32_t offset);

/* TOE_REG_FIELD_GET / TOE_REG_FIELD_PREP as C sees them. */
uint32_t toe_c_field_get_version_minor(uint32_t value);
uint32_t toe_c_field_prep_last_error_code(uint32_t code);

#ifdef __cplusplus
}
#endif

#endif
