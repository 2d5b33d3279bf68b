/* SPDX-License-Identifier: Apache-2.0 */
/* The UNIX-socket transport: one request and one response per access (toe_wire.h). */
#define _GNU_SOURCE /* MSG_NOSIGNAL */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "toe/toe_transport.h"
#include "toe/toe_wire.h"

static int write_all(int fd, const uint8_t *p, size_t n) {
  while (n > 0) {
    const ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += (size_t)w;
    n -= (size_t)w;
  }
  return 0;
}

static int read_all(int fd, uint8_t *p, size_t n) {
  while (n > 0) {
    const ssize_t r = recv(fd, p, n, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1; /* 0: the server closed the socket */
    p += (size_t)r;
    n -= (size_t)r;
  }
  return 0;
}

/* One request; the response's status, and value into *value. */
static toe_bus_status_t transact(toe_mmio_unix_t *t, uint32_t op, uint32_t offset, uint32_t value,
                                 uint8_t be, uint32_t *out) {
  if (t->link_down || t->fd < 0) return TOE_BUS_LINK_DOWN;
  uint8_t req[TOE_WIRE_MSG_BYTES] = {0}, rsp[TOE_WIRE_MSG_BYTES];
  req[0] = (uint8_t)op;
  req[1] = be;
  toe_wire_put32(req + 4, offset);
  toe_wire_put32(req + 8, value);
  if (write_all(t->fd, req, sizeof req) != 0 || read_all(t->fd, rsp, sizeof rsp) != 0) {
    t->link_down = 1;
    return TOE_BUS_LINK_DOWN;
  }
  ++t->requests;
  t->irq = rsp[1];
  t->time_ns = (uint64_t)toe_wire_get32(rsp + 8) | (uint64_t)toe_wire_get32(rsp + 12) << 32;
  if (out) *out = toe_wire_get32(rsp + 4);
  if (rsp[0] == TOE_WIRE_STATUS_OK) return TOE_BUS_OK;
  if (rsp[0] == TOE_WIRE_STATUS_BUS_ERROR) return TOE_BUS_ERR;
  t->link_down = 1; /* a request the server did not understand: no device to talk to */
  return TOE_BUS_LINK_DOWN;
}

static toe_bus_status_t unix_read32(void *ctx, uint32_t offset, uint32_t *value) {
  *value = 0;
  return transact((toe_mmio_unix_t *)ctx, TOE_WIRE_OP_READ32, offset, 0, 0xF, value);
}

static toe_bus_status_t unix_write32(void *ctx, uint32_t offset, uint32_t value, uint8_t be) {
  return transact((toe_mmio_unix_t *)ctx, TOE_WIRE_OP_WRITE32, offset, value, be, NULL);
}

static toe_bus_status_t unix_wait(void *ctx, uint32_t timeout_us) {
  return transact((toe_mmio_unix_t *)ctx, TOE_WIRE_OP_WAIT, 0, timeout_us, 0, NULL);
}

static uint64_t unix_now_us(void *ctx) { return ((toe_mmio_unix_t *)ctx)->time_ns / 1000u; }

toe_result_t toe_mmio_unix_open(toe_mmio_unix_t *t, const char *path) {
  if (t == NULL || path == NULL) return TOE_BAD_ARG;
  memset(t, 0, sizeof *t);
  t->fd = -1;
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  const size_t len = strlen(path);
  if (len == 0 || len >= sizeof addr.sun_path) return TOE_BAD_ARG;
  memcpy(addr.sun_path, path, len + 1);
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return TOE_TRANSPORT_ERROR;
  if (connect(fd, (const struct sockaddr *)&addr, sizeof addr) != 0) {
    const int e = errno;
    close(fd);
    errno = e;
    return TOE_TRANSPORT_ERROR;
  }
  t->fd = fd;
  t->mmio.ctx = t;
  t->mmio.read32 = unix_read32;
  t->mmio.write32 = unix_write32;
  t->mmio.wait = unix_wait;
  t->mmio.now_us = unix_now_us;
  uint32_t version = 0;
  if (transact(t, TOE_WIRE_OP_HELLO, 0, TOE_WIRE_VERSION, 0, &version) != TOE_BUS_OK ||
      version != TOE_WIRE_VERSION) {
    toe_mmio_unix_close(t);
    errno = EPROTO;
    return TOE_TRANSPORT_ERROR;
  }
  return TOE_OK;
}

void toe_mmio_unix_close(toe_mmio_unix_t *t) {
  if (t == NULL || t->fd < 0) return;
  close(t->fd);
  t->fd = -1;
  t->link_down = 1;
}
