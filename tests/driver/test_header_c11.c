/* SPDX-License-Identifier: Apache-2.0 */
/* The public header compiles as C11 with -Wall -Wextra -Werror -pedantic (tests/driver/
 * CMakeLists.txt sets the flags) and links from C: a C program that sets up the structs and
 * calls the library. Exit status 0 when the calls answer as documented. */
#include <stdio.h>
#include <string.h>

#include "toe/toe_driver.h"

static toe_bus_status_t rd(void *ctx, uint32_t offset, uint32_t *value) {
  (void)ctx;
  (void)offset;
  *value = 0;
  return TOE_BUS_OK;
}

static toe_bus_status_t wr(void *ctx, uint32_t offset, uint32_t value, uint8_t be) {
  (void)ctx;
  (void)offset;
  (void)value;
  (void)be;
  return TOE_BUS_OK;
}

static toe_bus_status_t wt(void *ctx, uint32_t timeout_us) {
  (void)ctx;
  (void)timeout_us;
  return TOE_BUS_OK;
}

static uint64_t now(void *ctx) {
  (void)ctx;
  return 0;
}

int main(void) {
  toe_mmio_t mmio = {NULL, rd, wr, wt, now};
  toe_conn_t conns[2];
  toe_dev_t dev;
  toe_device_info_t info;
  /* A device reading TYPE 0 is not a toecore device. */
  const toe_result_t r = toe_open(&dev, &mmio, conns, 2, NULL);
  if (r != TOE_UNKNOWN_DEVICE || toe_device_info(&dev, &info) != TOE_OK || info.type != 0) {
    fprintf(stderr, "toe_open: %s\n", toe_result_str(r));
    return 1;
  }
  if (strcmp(toe_result_str(TOE_WOULD_BLOCK), "TOE_WOULD_BLOCK") != 0) return 1;
  return 0;
}
