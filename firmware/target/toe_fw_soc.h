/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw_soc: the memory map of the microcontroller beside the engine, as the firmware's target
 * builds (firmware/target) see it. One map for every target; a board may move the bases
 * (-DTOE_FW_SOC_PORT_BASE=... / -DTOE_FW_SOC_REGS_BASE=...).
 *
 *   0x0000_0000  64 KiB  code and read-only data ("flash"; the reset vector of the RV32 core)
 *   0x0001_0000  64 KiB  RAM (data, bss, stack)
 *   0x4000_0000   8 KiB  the engine's firmware register port (toe_fw_regs.h: byte offsets)
 *   0x4001_0000          the SoC's own registers, below (32-bit accesses only)
 *
 * The SoC registers:
 *   TIME_LO   0x00  r   microseconds since reset, low word; reading it latches TIME_HI
 *   TIME_HI   0x04  r   the high word latched by the last TIME_LO read
 *   BUS_ERR   0x08  rc  accesses to the firmware port the engine refused (fw_err) since the last
 *                       read of BUS_ERR; the read clears it (the MMIO HAL reads it after each
 *                       access that can be refused, so a refusal is seen as on a bus with errors)
 *   INTR      0x0C  r   bit 0: the engine's fw_intr line
 *   CONSOLE   0x10  w   one character of log output (bits 7:0)
 *   EXIT      0x14  w   a simulation harness stops the run with this exit code (no effect on a
 *                       board)
 *   SEED      0x18  r   the seed source: each read returns the next 32 bits (a board's TRNG; a
 *                       simulator's words from its seed); the firmware keys the ISN hash with four
 *                       of them at boot
 * The Cortex-M4 and RV32 QEMU builds use semihosting instead of CONSOLE / EXIT and have no engine. */
#ifndef TOE_FW_SOC_H_
#define TOE_FW_SOC_H_

#ifndef TOE_FW_SOC_PORT_BASE
#define TOE_FW_SOC_PORT_BASE 0x40000000u
#endif
#ifndef TOE_FW_SOC_REGS_BASE
#define TOE_FW_SOC_REGS_BASE 0x40010000u
#endif
#define TOE_FW_SOC_PORT_SIZE 0x2000u

#define TOE_FW_SOC_TIME_LO 0x00u
#define TOE_FW_SOC_TIME_HI 0x04u
#define TOE_FW_SOC_BUS_ERR 0x08u
#define TOE_FW_SOC_INTR 0x0Cu
#define TOE_FW_SOC_CONSOLE 0x10u
#define TOE_FW_SOC_EXIT 0x14u
#define TOE_FW_SOC_SEED 0x18u

#define TOE_FW_SOC_FLASH_BASE 0x00000000u
#define TOE_FW_SOC_FLASH_SIZE 0x00010000u
#define TOE_FW_SOC_RAM_BASE 0x00010000u
#define TOE_FW_SOC_RAM_SIZE 0x00010000u

#endif /* TOE_FW_SOC_H_ */
