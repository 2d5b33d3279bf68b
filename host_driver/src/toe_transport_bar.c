/* SPDX-License-Identifier: Apache-2.0 */
/* The raw-BAR transport: the device's registers mapped into the process (a PCIe BAR through
 * sysfs resourceN or a UIO map), 32-bit volatile loads and stores at the offset, the interrupt
 * from a UIO file. What a PCIe BAR cannot say is found from the device's own registers: a
 * refused access (a read completes as all ones, a posted write is lost) from BUS_ERRORS, a
 * device that is gone from TYPE reading all ones. */
#define _GNU_SOURCE /* ppoll */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "toe/toe_transport.h"
#include "toe_regs.h"
#include "toe_transport_internal.h"

static volatile uint32_t *reg(const toe_mmio_bar_t *t, uint32_t off) {
  return (volatile uint32_t *)(volatile void *)(t->base + off);
}

static int in_window(const toe_mmio_bar_t *t, uint32_t off) {
  return (off & 3u) == 0 && (size_t)off + 4u <= t->size;
}

/* A refused access since the last look: BUS_ERRORS moved (a read of it flushes the posted
 * writes before it, as any PCIe read does). */
static toe_bus_status_t check_refused(toe_mmio_bar_t *t) {
  const uint32_t n = *reg(t, TOE_REG_BUS_ERRORS_OFFSET);
  if (n == 0xFFFFFFFFu && *reg(t, TOE_REG_TYPE_OFFSET) == 0xFFFFFFFFu) {
    t->link_down = 1;
    return TOE_BUS_LINK_DOWN;
  }
  if (n == t->bus_errors) return TOE_BUS_OK;
  t->bus_errors = n;
  return TOE_BUS_ERR;
}

static toe_bus_status_t bar_read32(void *ctx, uint32_t offset, uint32_t *value) {
  toe_mmio_bar_t *t = (toe_mmio_bar_t *)ctx;
  *value = 0;
  if (t->link_down || t->base == NULL) return TOE_BUS_LINK_DOWN;
  if (!in_window(t, offset)) return TOE_BUS_ERR;
  const uint32_t v = *reg(t, offset);
  ++t->accesses;
  /* All ones: a value, a refused read, or a device that is gone (PCIe completes both as ~0). */
  if (v == 0xFFFFFFFFu) {
    const toe_bus_status_t st = check_refused(t);
    if (st != TOE_BUS_OK) return st;
  }
  *value = v;
  return TOE_BUS_OK;
}

static toe_bus_status_t bar_write32(void *ctx, uint32_t offset, uint32_t value, uint8_t be) {
  toe_mmio_bar_t *t = (toe_mmio_bar_t *)ctx;
  if (t->link_down || t->base == NULL) return TOE_BUS_LINK_DOWN;
  if (!in_window(t, offset) || (be & 0xFu) == 0) return TOE_BUS_ERR;
  if ((be & 0xFu) == 0xFu) {
    *reg(t, offset) = value;
  } else {
    /* Byte stores: the root complex sends them with those byte enables. */
    volatile uint8_t *b = t->base + offset;
    for (unsigned i = 0; i < 4; ++i) {
      if (((unsigned)be >> i) & 1u) b[i] = (uint8_t)(value >> (8u * i));
    }
  }
  ++t->accesses;
  return t->check_writes ? check_refused(t) : TOE_BUS_OK;
}

static uint64_t bar_now_us(void *ctx) {
  (void)ctx;
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* UIO: write 1 unmasks the interrupt (a level still high fires again at once), read returns the
 * interrupt count once one has come. Counts already there are drained first. Without a UIO
 * file: a short sleep (the driver reads its registers again after every wait). */
static toe_bus_status_t bar_wait(void *ctx, uint32_t timeout_us) {
  toe_mmio_bar_t *t = (toe_mmio_bar_t *)ctx;
  if (t->link_down || t->base == NULL) return TOE_BUS_LINK_DOWN;
  if (timeout_us == 0) return TOE_BUS_OK;
  if (t->irq_fd < 0) {
    const uint32_t us = timeout_us < t->poll_us ? timeout_us : t->poll_us;
    const struct timespec ts = {0, (long)us * 1000L};
    nanosleep(&ts, NULL);
    return TOE_BUS_OK;
  }
  struct pollfd pfd = {t->irq_fd, POLLIN, 0};
  uint32_t count = 0;
  const struct timespec zero = {0, 0};
  while (ppoll(&pfd, 1, &zero, NULL) == 1 && (pfd.revents & POLLIN)) {
    if (read(t->irq_fd, &count, sizeof count) != (ssize_t)sizeof count) goto gone;
    t->irq_count = count;
  }
  if (pfd.revents & (POLLHUP | POLLERR)) goto gone;
  const uint32_t one = 1;
  if (write(t->irq_fd, &one, sizeof one) != (ssize_t)sizeof one) goto gone;
  const struct timespec ts = {(time_t)(timeout_us / 1000000u), (long)(timeout_us % 1000000u) * 1000L};
  const int n = ppoll(&pfd, 1, &ts, NULL);
  if (n < 0) return errno == EINTR ? TOE_BUS_OK : TOE_BUS_LINK_DOWN;
  if (n == 1 && (pfd.revents & POLLIN)) {
    if (read(t->irq_fd, &count, sizeof count) != (ssize_t)sizeof count) goto gone;
    t->irq_count = count;
  } else if (n == 1) {
    goto gone;
  }
  return TOE_BUS_OK;
gone:
  t->link_down = 1;
  return TOE_BUS_LINK_DOWN;
}

toe_result_t toe_mmio_bar_attach(toe_mmio_bar_t *t, volatile void *base, size_t size, int irq_fd) {
  if (t == NULL || base == NULL || size < TOE_REG_BUS_ERRORS_OFFSET + 4u) return TOE_BAD_ARG;
  memset(t, 0, sizeof *t);
  t->bar_fd = -1;
  t->irq_fd = irq_fd;
  t->base = (volatile uint8_t *)base;
  t->size = size;
  t->poll_us = 100;
  t->check_writes = 1;
  t->mmio.ctx = t;
  t->mmio.read32 = bar_read32;
  t->mmio.write32 = bar_write32;
  t->mmio.wait = bar_wait;
  t->mmio.now_us = bar_now_us;
  t->bus_errors = *reg(t, TOE_REG_BUS_ERRORS_OFFSET);
  if (t->bus_errors == 0xFFFFFFFFu && *reg(t, TOE_REG_TYPE_OFFSET) == 0xFFFFFFFFu) {
    t->link_down = 1;
    errno = ENODEV;
    return TOE_TRANSPORT_ERROR;
  }
  return TOE_OK;
}

toe_result_t toe_mmio_bar_open(toe_mmio_bar_t *t, const char *bar_path, size_t size, const char *uio_path) {
  if (t == NULL || bar_path == NULL || size < TOE_REG_BUS_ERRORS_OFFSET + 4u) return TOE_BAD_ARG;
  memset(t, 0, sizeof *t);
  t->bar_fd = t->irq_fd = -1;
  int fd = -1;
  void *p = toe_tr_map_file(bar_path, size, O_SYNC, &fd);
  if (p == NULL) return TOE_TRANSPORT_ERROR;
  int irq = -1;
  if (uio_path != NULL) {
    irq = strcmp(uio_path, bar_path) == 0 ? fd : open(uio_path, O_RDWR | O_CLOEXEC);
    if (irq < 0) {
      const int e = errno;
      munmap(p, size);
      close(fd);
      errno = e;
      return TOE_TRANSPORT_ERROR;
    }
  }
  const toe_result_t r = toe_mmio_bar_attach(t, p, size, irq);
  t->bar_fd = fd;
  t->owns_mapping = 1;
  if (r != TOE_OK) {
    const int e = errno;
    toe_mmio_bar_close(t);
    errno = e;
  }
  return r;
}

void toe_mmio_bar_close(toe_mmio_bar_t *t) {
  if (t == NULL || t->base == NULL) return;
  if (t->owns_mapping) {
    munmap((void *)(uintptr_t)t->base, t->size);
    if (t->irq_fd >= 0 && t->irq_fd != t->bar_fd) close(t->irq_fd);
    close(t->bar_fd);
  }
  t->base = NULL;
  t->bar_fd = t->irq_fd = -1;
  t->link_down = 1;
}
