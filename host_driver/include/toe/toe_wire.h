/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file toe_wire.h
 * @brief The MMIO wire protocol between a driver process and `toe_sim serve`: one request,
 *        one response, both 16 bytes, little-endian. Used on the UNIX socket
 *        (toe_mmio_unix_open) and, with the same encoding, in the shared-memory mailbox of a
 *        BAR file (toe_mmio_mmap_open).
 *
 * Request (client -> server):
 *
 *     byte  0      op            TOE_WIRE_OP_*
 *     byte  1      byte_enables  WRITE32: bit i enables bits 8i+7..8i (0xF: the whole word)
 *     bytes 2..3   0
 *     bytes 4..7   offset        READ32/WRITE32: byte offset in the 64 KiB register window
 *     bytes 8..11  value         WRITE32: the data; WAIT: the timeout in microseconds;
 *                                HELLO: TOE_WIRE_VERSION
 *     bytes 12..15 0
 *
 * Response (server -> client), one per request, in order:
 *
 *     byte  0      status        TOE_WIRE_STATUS_*
 *     byte  1      irq           the device's interrupt line after the request (0 or 1)
 *     bytes 2..3   0
 *     bytes 4..7   value         READ32: the data; HELLO: the server's TOE_WIRE_VERSION;
 *                                WAIT: 1 if the line is high, 0 if the timeout passed
 *     bytes 8..15  time_ns       simulated time after the request, in nanoseconds
 *
 * Time. The server's simulated time moves only while it serves a request: an access takes
 * the clocks the device's bus takes, a WAIT runs the simulation until the interrupt line is
 * high or the timeout has passed. Between requests the simulation stands still (the client is
 * an infinitely fast CPU), as for a driver in an SC_THREAD of the same process.
 */
#ifndef TOE_WIRE_H_
#define TOE_WIRE_H_

#include <stdint.h>

#define TOE_WIRE_VERSION 1u /**< the protocol's version (HELLO and the mailbox) */
#define TOE_WIRE_MSG_BYTES 16u /**< every request and response is this long */

#define TOE_WIRE_OP_HELLO 1u   /**< protocol check: value = TOE_WIRE_VERSION */
#define TOE_WIRE_OP_READ32 2u  /**< read the register at offset */
#define TOE_WIRE_OP_WRITE32 3u /**< write value at offset with byte_enables */
#define TOE_WIRE_OP_WAIT 4u    /**< run until the interrupt line is high, at most value us */
#define TOE_WIRE_OP_NOW 5u     /**< nothing; the response carries the time */

#define TOE_WIRE_STATUS_OK 0u          /**< OK response */
#define TOE_WIRE_STATUS_BUS_ERROR 1u   /**< the device answered with an error response */
#define TOE_WIRE_STATUS_BAD_REQUEST 2u /**< unknown op or version: the server did nothing */

/*
 * The BAR-file mailbox (toe_sim serve --bar-file PATH; toe_mmio_mmap_open): plain shared
 * memory cannot trap a load or a store, so the device is reached through a register mailbox
 * in the first TOE_MAILBOX_BYTES of the file. 32-bit words, native byte order (both ends
 * are on one machine):
 *
 *     0x00 magic       TOE_MAILBOX_MAGIC once the server has set the mailbox up
 *     0x04 version     TOE_WIRE_VERSION
 *     0x08 state       TOE_MAILBOX_SERVING while a server serves it; TOE_MAILBOX_GONE after
 *     0x0C server_pid  the serving process
 *     0x10 doorbell    the client writes a request, then the request's sequence number here
 *     0x14 completion  the server writes the response, then the same number here
 *     0x20 request     16 bytes, encoded as on the socket
 *     0x30 response    16 bytes, encoded as on the socket
 *
 * Both ends may sleep on the doorbell and completion words with futex(2) (shared, not
 * private: the mapping is shared between processes). One request is in flight at a time;
 * clients take flock(LOCK_EX) on the file around each request, so several clients (a driver
 * and toectl) take turns.
 */
#define TOE_MAILBOX_BYTES 4096u /**< the mailbox: the first page of the BAR file */
#define TOE_MAILBOX_MAGIC 0x4D454F54u /**< "TOEM" in memory order on a little-endian host */
#define TOE_MAILBOX_SERVING 1u /**< STATE: a server serves the file */
#define TOE_MAILBOX_GONE 2u /**< STATE: the server has stopped */
#define TOE_MAILBOX_MAGIC_OFF 0x00u /**< word: TOE_MAILBOX_MAGIC */
#define TOE_MAILBOX_VERSION_OFF 0x04u /**< word: TOE_WIRE_VERSION */
#define TOE_MAILBOX_STATE_OFF 0x08u /**< word: SERVING or GONE */
#define TOE_MAILBOX_PID_OFF 0x0Cu /**< word: the server's process id */
#define TOE_MAILBOX_DOORBELL_OFF 0x10u /**< word: the client's request count (futex) */
#define TOE_MAILBOX_COMPLETION_OFF 0x14u /**< word: the server's answered count (futex) */
#define TOE_MAILBOX_REQUEST_OFF 0x20u /**< the 16-byte request */
#define TOE_MAILBOX_RESPONSE_OFF 0x30u /**< the 16-byte response */

/** Store v little-endian at p. */
static inline void toe_wire_put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

/** Load a little-endian 32-bit value from p. */
static inline uint32_t toe_wire_get32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#endif /* TOE_WIRE_H_ */
