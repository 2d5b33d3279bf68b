/* SPDX-License-Identifier: Apache-2.0 */
/* Which register map the checks of regmap_c_checks.c, test_regmap_c.cpp and
 * test_regmap_table.cpp read: the host map (toe_regs.h, toe_regs_table.hpp) by default, the
 * firmware map (toe_fw_regs.h, toe_fw_regs_table.hpp) when TOE_TEST_FW_MAP is defined. The
 * checks spell every generated name through these macros, so that one source checks both:
 *   TOE_T_REG(CTRL_OFFSET)   TOE_REG_CTRL_OFFSET / TOE_FW_REG_CTRL_OFFSET
 *   TOE_T_TOP(DEVICE_TYPE)   TOE_DEVICE_TYPE     / TOE_FW_DEVICE_TYPE
 *   toe_t_map::kRegs         toe::regmap::kRegs  / toe::fw_regmap::kRegs (C++ only)
 * TOE_T_REG(name##_OFFSET) inside another macro pastes first, then expands. */
#ifndef TOE_TESTS_REGMAP_UNDER_TEST_H_
#define TOE_TESTS_REGMAP_UNDER_TEST_H_

#ifdef TOE_TEST_FW_MAP
#include "toe_fw_regs.h"
#define TOE_T_REG(x) TOE_FW_REG_##x
#define TOE_T_TOP(x) TOE_FW_##x
#define TOE_T_MAP_NAME "fw"
#define TOE_T_DEVICE_TYPE_PIN 0x544F4546u /* "TOEF" */
#ifdef __cplusplus
#include "toe_fw_regs_table.hpp"
namespace toe_t_map = toe::fw_regmap;
#endif
#else
#include "toe_regs.h"
#define TOE_T_REG(x) TOE_REG_##x
#define TOE_T_TOP(x) TOE_##x
#define TOE_T_MAP_NAME "host"
#define TOE_T_DEVICE_TYPE_PIN 0x544F4531u /* "TOE1" */
#ifdef __cplusplus
#include "toe_regs_table.hpp"
namespace toe_t_map = toe::regmap;
#endif
#endif

#endif
