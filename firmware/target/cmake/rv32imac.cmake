# SPDX-License-Identifier: Apache-2.0
# RV32IMAC, riscv64-unknown-elf-gcc + picolibc; QEMU virt (32-bit) with semihosting.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)
set(CMAKE_C_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(TOE_FW_ARCH_FLAGS -march=rv32imac -mabi=ilp32 -mcmodel=medany)
# virt: RAM from 0x8000_0000.
set(TOE_FW_QEMU_MEMORY -Wl,--defsym=__flash=0x80000000 -Wl,--defsym=__flash_size=0x200000
    -Wl,--defsym=__ram=0x80200000 -Wl,--defsym=__ram_size=0x200000)
set(TOE_FW_QEMU_COMMAND qemu-system-riscv32 -M virt -display none -monitor none -serial none -bios none
    -chardev stdio,id=sh0 -semihosting-config enable=on,target=native,chardev=sh0 -kernel)
