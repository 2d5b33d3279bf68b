/* SPDX-License-Identifier: Apache-2.0 */
/* The stack an image reserves (picolibc's linker script checks that it fits below the top of RAM,
 * where crt0 puts the stack pointer): TOE_FW_STACK_SIZE bytes (the build sets it; 1024 if not).
 * An absolute symbol of an object file: the script's DEFINED(__stack_size) does not see a
 * --defsym, which the linker applies after the script. Include it from one file of each image
 * (main.c, bench_tick.c). */
#ifndef TOE_FW_STACK_H_
#define TOE_FW_STACK_H_

#ifndef TOE_FW_STACK_SIZE
#define TOE_FW_STACK_SIZE 1024
#endif
#define TOE_FW_STR_(x) #x
#define TOE_FW_STR(x) TOE_FW_STR_(x)
__asm__(".globl __stack_size\n.equ __stack_size, " TOE_FW_STR(TOE_FW_STACK_SIZE));

#endif /* TOE_FW_STACK_H_ */
