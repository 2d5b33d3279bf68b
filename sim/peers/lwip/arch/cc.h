// SPDX-License-Identifier: Apache-2.0
/* lwIP port, compiler/platform part: a hosted GCC/Clang build (lwIP's arch.h defaults
 * give printf diagnostics, packed structs, stdint types). */
#ifndef TOE_LWIP_ARCH_CC_H
#define TOE_LWIP_ARCH_CC_H
#include <stdio.h>
#include <stdlib.h>
#ifndef BYTE_ORDER
#define BYTE_ORDER __BYTE_ORDER__ /* GCC/Clang: 1234 or 4321, the values lwIP (and glibc) use */
#endif
#define LWIP_PLATFORM_ASSERT(x) do { fprintf(stderr, "lwIP assertion \"%s\" failed at %s:%d\n", x, __FILE__, __LINE__); fflush(NULL); abort(); } while (0)
#endif
