/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file toe_transport.h
 * @brief Out-of-process MMIO transports for the driver (Linux): a UNIX socket to
 *        `toe_sim serve --socket PATH`, a mapped BAR file served by
 *        `toe_sim serve --bar-file PATH` (the wire protocol and the mailbox: toe_wire.h), and
 *        a raw BAR (volatile loads and stores on a mapped PCIe BAR, the interrupt from UIO).
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

/**
 * A raw-BAR transport: the device's 64 KiB register window mapped into this process, as a
 * driver on Linux reaches a PCIe BAR (sysfs `resourceN`, or map 0 of a UIO device), with
 * 32-bit volatile loads and stores at the offset (byte stores for partial transmit-window
 * writes) and the interrupt from a UIO file (write 1 to unmask, read the count when it fires).
 * A PCIe BAR answers a refused read with all ones and drops a refused (posted) write, so the
 * transport asks the device: after every write (when `check_writes`, the default) and after a
 * read of all ones it reads BUS_ERRORS; a change is ::TOE_BUS_ERR (the driver then reads
 * LAST_ERROR), and TYPE reading all ones as well is a device that is gone (::TOE_BUS_LINK_DOWN).
 * That assumes one process drives the device. now_us() is CLOCK_MONOTONIC. The fields are the
 * transport's.
 */
typedef struct toe_mmio_bar {
  toe_mmio_t mmio;          /**< give this to toe_open() */
  volatile uint8_t *base;   /**< the register window */
  size_t size;              /**< its length (accesses beyond it are refused here) */
  int bar_fd;               /**< the mapped file (toe_mmio_bar_open); -1 otherwise */
  int irq_fd;               /**< the UIO file; -1: wait() sleeps `poll_us` and returns */
  int owns_mapping;         /**< toe_mmio_bar_close() unmaps and closes */
  int check_writes;         /**< read BUS_ERRORS after every write (1) */
  int link_down;            /**< the device is gone */
  uint32_t bus_errors;      /**< BUS_ERRORS as last read */
  uint32_t irq_count;       /**< UIO's interrupt count as last read */
  uint32_t poll_us;         /**< the sleep of wait() without a UIO file (100) */
  uint64_t accesses;        /**< loads and stores made for the driver */
} toe_mmio_bar_t;

/**
 * Map `size` bytes at offset 0 of `bar_path` (a sysfs `resource0`, a UIO device, or any file
 * with the device's register semantics) and, if `uio_path` is not NULL, open it for the
 * interrupt (it may name the same file as `bar_path`). Reads BUS_ERRORS once.
 *
 * @return ::TOE_OK; ::TOE_BAD_ARG (null, or `size` too small to hold BUS_ERRORS);
 *         ::TOE_TRANSPORT_ERROR when a file cannot be opened or mapped (errno says why) or the
 *         device reads as gone (ENODEV). toe_open() checks TYPE and VERSION.
 */
toe_result_t toe_mmio_bar_open(toe_mmio_bar_t *t, const char *bar_path, size_t size, const char *uio_path);

/**
 * Use a register window the caller has mapped (`base`, `size` bytes) and a UIO-style interrupt
 * file `irq_fd` (-1: none). The caller keeps both; toe_mmio_bar_close() leaves them alone.
 *
 * @return as toe_mmio_bar_open().
 */
toe_result_t toe_mmio_bar_attach(toe_mmio_bar_t *t, volatile void *base, size_t size, int irq_fd);

/** Unmap and close what toe_mmio_bar_open() opened. Safe on a closed transport. */
void toe_mmio_bar_close(toe_mmio_bar_t *t);

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif /* TOE_TRANSPORT_H_ */
