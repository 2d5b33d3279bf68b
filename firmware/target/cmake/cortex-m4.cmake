# SPDX-License-Identifier: Apache-2.0
# Cortex-M4 (Thumb-2, soft float), arm-none-eabi-gcc + picolibc; QEMU mps2-an386 with semihosting.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(TOE_FW_ARCH_FLAGS -mcpu=cortex-m4 -mthumb)
# mps2-an386: code from 0, SRAM at 0x2000_0000.
set(TOE_FW_QEMU_MEMORY -Wl,--defsym=__flash=0x0 -Wl,--defsym=__flash_size=0x400000
    -Wl,--defsym=__ram=0x20000000 -Wl,--defsym=__ram_size=0x400000)
set(TOE_FW_QEMU_COMMAND qemu-system-arm -M mps2-an386 -display none -monitor none -serial none
    -chardev stdio,id=sh0 -semihosting-config enable=on,target=native,chardev=sh0 -kernel)
