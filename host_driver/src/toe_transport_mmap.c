/* SPDX-License-Identifier: Apache-2.0 */
/* The mapped-BAR-file transport: each access goes through the mailbox (toe_wire.h). */
#define _GNU_SOURCE /* syscall, flock */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "toe/toe_transport.h"
#include "toe/toe_wire.h"
#include "toe_transport_internal.h"

static uint32_t *word(const toe_mmio_mmap_t *t, uint32_t off) { return (uint32_t *)(uintptr_t)(t->base + off); }

static uint32_t load(const toe_mmio_mmap_t *t, uint32_t off) { return __atomic_load_n(word(t, off), __ATOMIC_ACQUIRE); }

static int server_alive(const toe_mmio_mmap_t *t) {
  if (load(t, TOE_MAILBOX_STATE_OFF) != TOE_MAILBOX_SERVING) return 0;
  const pid_t pid = (pid_t)load(t, TOE_MAILBOX_PID_OFF);
  return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

static toe_bus_status_t transact(toe_mmio_mmap_t *t, uint32_t op, uint32_t offset, uint32_t value,
                                 uint8_t be, uint32_t *out) {
  if (t->link_down || t->base == NULL) return TOE_BUS_LINK_DOWN;
  if (!server_alive(t)) {
    t->link_down = 1;
    return TOE_BUS_LINK_DOWN;
  }
  while (flock(t->fd, LOCK_EX) != 0) {
    if (errno != EINTR) {
      t->link_down = 1;
      return TOE_BUS_LINK_DOWN;
    }
  }
  uint8_t req[TOE_WIRE_MSG_BYTES] = {0}, rsp[TOE_WIRE_MSG_BYTES];
  req[0] = (uint8_t)op;
  req[1] = be;
  toe_wire_put32(req + 4, offset);
  toe_wire_put32(req + 8, value);
  for (unsigned i = 0; i < TOE_WIRE_MSG_BYTES; ++i) t->base[TOE_MAILBOX_REQUEST_OFF + i] = req[i];
  const uint32_t seq = load(t, TOE_MAILBOX_DOORBELL_OFF) + 1u;
  __atomic_store_n(word(t, TOE_MAILBOX_DOORBELL_OFF), seq, __ATOMIC_RELEASE);
  syscall(SYS_futex, word(t, TOE_MAILBOX_DOORBELL_OFF), FUTEX_WAKE, 1, NULL, NULL, 0);
  toe_bus_status_t st = TOE_BUS_OK;
  for (;;) {
    const uint32_t done = load(t, TOE_MAILBOX_COMPLETION_OFF);
    if (done == seq) break;
    if (!server_alive(t)) {
      st = TOE_BUS_LINK_DOWN;
      break;
    }
    const struct timespec ts = {0, (long)(t->poll_ms ? t->poll_ms : 10u) * 1000000L};
    syscall(SYS_futex, word(t, TOE_MAILBOX_COMPLETION_OFF), FUTEX_WAIT, done, &ts, NULL, 0);
  }
  if (st == TOE_BUS_OK) {
    for (unsigned i = 0; i < TOE_WIRE_MSG_BYTES; ++i) rsp[i] = t->base[TOE_MAILBOX_RESPONSE_OFF + i];
  }
  flock(t->fd, LOCK_UN);
  if (st != TOE_BUS_OK) {
    t->link_down = 1;
    return st;
  }
  t->irq = rsp[1];
  t->time_ns = (uint64_t)toe_wire_get32(rsp + 8) | (uint64_t)toe_wire_get32(rsp + 12) << 32;
  if (out) *out = toe_wire_get32(rsp + 4);
  if (rsp[0] == TOE_WIRE_STATUS_OK) return TOE_BUS_OK;
  if (rsp[0] == TOE_WIRE_STATUS_BUS_ERROR) return TOE_BUS_ERR;
  t->link_down = 1;
  return TOE_BUS_LINK_DOWN;
}

static toe_bus_status_t mmap_read32(void *ctx, uint32_t offset, uint32_t *value) {
  *value = 0;
  return transact((toe_mmio_mmap_t *)ctx, TOE_WIRE_OP_READ32, offset, 0, 0xF, value);
}

static toe_bus_status_t mmap_write32(void *ctx, uint32_t offset, uint32_t value, uint8_t be) {
  return transact((toe_mmio_mmap_t *)ctx, TOE_WIRE_OP_WRITE32, offset, value, be, NULL);
}

static toe_bus_status_t mmap_wait(void *ctx, uint32_t timeout_us) {
  return transact((toe_mmio_mmap_t *)ctx, TOE_WIRE_OP_WAIT, 0, timeout_us, 0, NULL);
}

static uint64_t mmap_now_us(void *ctx) { return ((toe_mmio_mmap_t *)ctx)->time_ns / 1000u; }

toe_result_t toe_mmio_mmap_open(toe_mmio_mmap_t *t, const char *path, size_t size) {
  if (t == NULL || path == NULL || size < TOE_MAILBOX_BYTES) return TOE_BAD_ARG;
  memset(t, 0, sizeof *t);
  t->fd = -1;
  int fd = -1;
  void *p = toe_tr_map_file(path, size, 0, &fd);
  if (p == NULL) return TOE_TRANSPORT_ERROR;
  t->fd = fd;
  t->base = (volatile uint8_t *)p;
  t->size = size;
  t->mmio.ctx = t;
  t->mmio.read32 = mmap_read32;
  t->mmio.write32 = mmap_write32;
  t->mmio.wait = mmap_wait;
  t->mmio.now_us = mmap_now_us;
  if (load(t, TOE_MAILBOX_MAGIC_OFF) != TOE_MAILBOX_MAGIC || load(t, TOE_MAILBOX_VERSION_OFF) != TOE_WIRE_VERSION) {
    toe_mmio_mmap_close(t);
    errno = EPROTO;
    return TOE_TRANSPORT_ERROR;
  }
  if (!server_alive(t)) {
    toe_mmio_mmap_close(t);
    errno = ECONNREFUSED;
    return TOE_TRANSPORT_ERROR;
  }
  uint32_t version = 0;
  if (transact(t, TOE_WIRE_OP_HELLO, 0, TOE_WIRE_VERSION, 0, &version) != TOE_BUS_OK || version != TOE_WIRE_VERSION) {
    toe_mmio_mmap_close(t);
    errno = EPROTO;
    return TOE_TRANSPORT_ERROR;
  }
  return TOE_OK;
}

void toe_mmio_mmap_close(toe_mmio_mmap_t *t) {
  if (t == NULL || t->base == NULL) return;
  munmap((void *)(uintptr_t)t->base, t->size);
  close(t->fd);
  t->base = NULL;
  t->fd = -1;
  t->link_down = 1;
}

void *toe_tr_map_file(const char *path, size_t size, int flags, int *fd) {
  const int f = open(path, O_RDWR | O_CLOEXEC | flags);
  if (f < 0) return NULL;
  void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
  if (p == MAP_FAILED) {
    const int e = errno;
    close(f);
    errno = e;
    return NULL;
  }
  *fd = f;
  return p;
}
