/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file toe_transport.h
 * @brief Out-of-process MMIO transports for the driver (Linux): a UNIX socket to
 *        `toe_sim serve --socket PATH`, and a mapped BAR file served by
 *        `toe_sim serve --bar-file PATH` (the wire protocol and the mailbox: toe_wire.h).
 *
 * Each transport is a struct the caller allocates; after a successful open its `mmio` member
 * is the ::toe_mmio_t to give toe_open(). One transport per thread. When the server goes away
 * (the socket closes, the mailbox says gone, or its process no longer exists) every access
 * returns ::TOE_BUS_LINK_DOWN (the driver: ::TOE_TRANSPORT_ERROR) and keeps doing so.
 * now_us() is the simulated time the last response carried (no round trip).
 */
#ifndef TOE_TRANSPORT_H_
#define TOE_TRANSPORT_H_

#include <stddef.h>
#include <stdint.h>

#include "toe/toe_driver.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A UNIX-socket transport (the fields are the transport's). */
typedef struct toe_mmio_unix {
  toe_mmio_t mmio;   /**< give this to toe_open() */
  int fd;            /**< the connected socket; -1 when closed */
  int link_down;     /**< the server went away */
  uint8_t irq;       /**< the interrupt line, as the last response said */
  uint64_t time_ns;  /**< simulated time, as the last response said */
  uint64_t requests; /**< requests answered */
} toe_mmio_unix_t;

/**
 * Connect to a `toe_sim serve --socket` server at `path` and check its protocol version.
 *
 * @return ::TOE_OK; ::TOE_BAD_ARG (null, or a path longer than a socket address holds);
 *         ::TOE_TRANSPORT_ERROR when nothing serves at `path` (errno says why) or the server
 *         speaks another protocol version.
 */
toe_result_t toe_mmio_unix_open(toe_mmio_unix_t *t, const char *path);

/** Close the socket (the server sees the client go). Safe on a closed transport. */
void toe_mmio_unix_close(toe_mmio_unix_t *t);

/** A mapped-BAR-file transport (the fields are the transport's). */
typedef struct toe_mmio_mmap {
  toe_mmio_t mmio;          /**< give this to toe_open() */
  int fd;                   /**< the file; -1 when closed */
  volatile uint8_t *base;   /**< the mapping */
  size_t size;              /**< its length */
  int link_down;            /**< the server went away */
  uint8_t irq;              /**< the interrupt line, as the last response said */
  uint64_t time_ns;         /**< simulated time, as the last response said */
  uint32_t poll_ms;         /**< how often a waiting client checks the server is alive (10) */
} toe_mmio_mmap_t;

/**
 * Map `size` bytes of the BAR file at `path` (MAP_SHARED) and check its mailbox (toe_wire.h):
 * the magic, the version and a serving server.
 *
 * @return ::TOE_OK; ::TOE_BAD_ARG (null, or `size` below TOE_MAILBOX_BYTES);
 *         ::TOE_TRANSPORT_ERROR when the file cannot be opened or mapped, or holds no mailbox
 *         of this version; ::TOE_UNKNOWN_DEVICE never (toe_open checks the device).
 */
toe_result_t toe_mmio_mmap_open(toe_mmio_mmap_t *t, const char *path, size_t size);

/** Unmap and close. Safe on a closed transport. */
void toe_mmio_mmap_close(toe_mmio_mmap_t *t);

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif /* TOE_TRANSPORT_H_ */
