# SPDX-License-Identifier: Apache-2.0
# The flash and RAM of a firmware image (ELF): flash = text + data (the initial values are stored
# in flash), RAM = data + bss (size -B counts the linker script's .stack reservation in bss). With FLASH_GOAL /
# RAM_GOAL: fails when the image is over either (CHECK=OFF: only says so). Run: cmake -DSIZE=<target size tool>
# -DELF=... -DTARGET=... -DFLASH_GOAL=... -DRAM_GOAL=... -P image_size.cmake
execute_process(COMMAND ${SIZE} -B ${ELF} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${SIZE} failed on ${ELF}")
endif()
# "   text    data     bss     dec     hex filename" then the numbers.
string(REGEX MATCH "\n[ \t]*([0-9]+)[ \t]+([0-9]+)[ \t]+([0-9]+)" _ "${out}")
set(text ${CMAKE_MATCH_1})
set(data ${CMAKE_MATCH_2})
set(bss ${CMAKE_MATCH_3})
math(EXPR flash "${text} + ${data}")
math(EXPR ram "${data} + ${bss}")
message("firmware image ${TARGET}: flash ${flash} bytes (text ${text} + data ${data}), RAM ${ram} bytes "
        "(data ${data} + bss ${bss}, the stack included)")
if(DEFINED CHECK AND NOT CHECK)
  set(level WARNING)
else()
  set(level FATAL_ERROR)
endif()
if(flash GREATER FLASH_GOAL)
  message(${level} "flash ${flash} bytes is over the goal of ${FLASH_GOAL}")
elseif(ram GREATER RAM_GOAL)
  message(${level} "RAM ${ram} bytes is over the goal of ${RAM_GOAL}")
else()
  message("within the goals: flash <= ${FLASH_GOAL}, RAM <= ${RAM_GOAL}")
endif()
