# SPDX-License-Identifier: Apache-2.0
# RV32IM for PicoRV32 (ENABLE_MUL, ENABLE_DIV, no compressed instructions), riscv64-unknown-elf-gcc
# + picolibc: the image of the SoC in toe_fw_soc.h, run on the Verilated core beside the engine's
# RTL (sim/rv32soc). No QEMU target: the core itself runs it.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)
set(CMAKE_C_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(TOE_FW_ARCH_FLAGS -march=rv32im -mabi=ilp32)
