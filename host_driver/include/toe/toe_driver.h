/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file toe_driver.h
 * @brief toecore host driver: a socket-like API over the engine's host register port (MMIO).
 *
 * C11, usable from C++ as is. No global state: every call takes the device handle, which the
 * caller allocates (a ::toe_dev_t, with caller-provided storage for the per-connection state);
 * one process may drive several devices, one thread per handle. No heap anywhere. Every call
 * returns a ::toe_result_t; every blocking call takes a timeout in microseconds (0: do not
 * block, ::TOE_WOULD_BLOCK when the call cannot complete now).
 *
 * Everything the driver does goes through a ::toe_mmio_t transport (32-bit register reads and
 * writes, a wait for the interrupt line, a clock), so the same code runs against a simulated
 * device in the same process, a device served over a socket, or a mapped PCIe BAR.
 *
 * Register offsets, fields and codes come from the generated toe_regs.h; commands, events and
 * TCP states from toe_defs.h (see docs/registers.md and docs/defs.md).
 *
 * Connections are named by the engine's session index (EVQ_CONN, CONN_SEL): a `uint32_t conn`
 * from 0 to the device's SESSIONS - 1.
 */
#ifndef TOE_DRIVER_H_
#define TOE_DRIVER_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Result of every driver call. */
typedef enum toe_result {
  /** The call did what it was asked. */
  TOE_OK = 0,
  /** A blocking call's timeout passed before it could complete. */
  TOE_TIMED_OUT = 1,
  /** A non-blocking call (timeout 0) cannot complete now. */
  TOE_WOULD_BLOCK = 2,
  /** connect: the peer answered with a RST (nothing listens there), or the engine could not
   *  open the connection (no free session, or the 4-tuple is in use: event connect_failed). */
  TOE_REFUSED = 3,
  /** The peer reset the connection (event reset); the connection is gone. */
  TOE_RESET = 4,
  /** The connection is closed for this operation: recv after the peer's FIN and every byte
   *  read (end of stream), send after toe_shutdown, any call after toe_abort or event closed. */
  TOE_CLOSED = 5,
  /** No such connection: out of range, not opened, or the device says the session is free. */
  TOE_NO_CONN = 6,
  /** A bad argument (null pointer, zero port, ...); nothing was done. */
  TOE_BAD_ARG = 7,
  /** toe_open: TYPE or VERSION's MAJOR is not one this driver knows (toe_device_info says
   *  what was found). */
  TOE_UNKNOWN_DEVICE = 8,
  /** The device answered an access with an error response; toe_last_bus_error() holds the
   *  LAST_ERROR value read right after it. */
  TOE_BUS_ERROR = 9,
  /** The device's command queue stayed full for the handle's command timeout. */
  TOE_QUEUE_FULL = 10,
  /** The connection timed out: the firmware gave up retransmitting (event timed_out). */
  TOE_CONN_TIMED_OUT = 11,
  /** A table of the driver is full (pending connects). */
  TOE_NO_RESOURCES = 12,
  /** The transport lost the device (no answer at all: e.g. a server that went away). */
  TOE_TRANSPORT_ERROR = 13,
  /** connect by IP address: the firmware's ARP got no answer from the peer (event timed_out
   *  for the attempt: conn 0xFFFFFFFF, value = its tag). */
  TOE_NO_ROUTE = 14,
  /** connect by IP address while no firmware runs on the device to resolve the peer (the
   *  device refused CMD with LAST_ERROR NO_FIRMWARE). */
  TOE_NO_FIRMWARE = 15,
} toe_result_t;

/** The name of a result code ("TOE_OK", ...); "TOE_?" for a value that is none. */
const char *toe_result_str(toe_result_t result);

/** Status of one transport access. */
typedef enum toe_bus_status {
  /** The device answered with an OK response. */
  TOE_BUS_OK = 0,
  /** The device answered with an error response (LAST_ERROR says why). */
  TOE_BUS_ERR = 1,
  /** No answer: the transport lost the device. The driver returns ::TOE_TRANSPORT_ERROR. */
  TOE_BUS_LINK_DOWN = 2,
} toe_bus_status_t;

/**
 * The MMIO transport: a small table of functions and the context they get.
 *
 * Offsets are byte offsets into the device's 64 KiB register window (TOE_REG_*_OFFSET,
 * TOE_REG_*_WINDOW_BASE + n); every access is 32 bits.
 */
typedef struct toe_mmio {
  /** Passed as the first argument of every function below. */
  void *ctx;
  /** Read the 32-bit register at `offset` into `*value`. */
  toe_bus_status_t (*read32)(void *ctx, uint32_t offset, uint32_t *value);
  /** Write `value` to `offset`; `byte_enables` bit i enables bits 8i+7..8i (0xF: the whole
   *  word; only transmit-window writes use less). */
  toe_bus_status_t (*write32)(void *ctx, uint32_t offset, uint32_t value, uint8_t byte_enables);
  /** Block until the device's interrupt line is high or `timeout_us` has passed; return at
   *  once when the line is already high. A simulation transport advances simulated time. */
  toe_bus_status_t (*wait)(void *ctx, uint32_t timeout_us);
  /** The transport's clock in microseconds (simulated time for a simulation transport). */
  uint64_t (*now_us)(void *ctx);
} toe_mmio_t;

/** Per-connection state the driver keeps (caller-provided storage, one entry per session).
 *  The fields are the driver's: read them through the API, never write them. */
typedef struct toe_conn {
  uint8_t in_use;       /**< accepted or opened by a connect */
  uint8_t established;  /**< event connected or accepted seen */
  uint8_t accept_ready; /**< accepted, not yet returned by toe_accept */
  uint8_t peer_closed;  /**< event peer_closed: the peer's FIN */
  uint8_t closed;       /**< event closed: fully closed and freed */
  uint8_t reset;        /**< event reset: the peer's RST */
  uint8_t timed_out;    /**< event timed_out */
  uint8_t shut;         /**< toe_shutdown issued */
  uint8_t aborted;      /**< toe_abort issued */
  uint16_t lport;       /**< local port (accepted: the listener's) */
  uint32_t tag;         /**< connect: the tag of the command; 0 for an accepted one */
  uint32_t accept_seq;  /**< order of acceptance */
  uint32_t rx_wr;       /**< receive write pointer: bytes delivered (mod 2^32) */
  uint32_t rx_rd;       /**< receive read pointer: bytes consumed (mod 2^32) */
  uint32_t tx_wr;       /**< transmit write pointer: bytes pushed (mod 2^32) */
  uint32_t acked;       /**< transmit bytes acknowledged (mod 2^32) */
} toe_conn_t;

/** How many active opens may be pending (issued, not yet connected or failed) at once. */
#define TOE_MAX_PENDING_CONNECTS 8u

/** A pending active open (the driver's). */
typedef struct toe_pending_connect {
  uint32_t tag;    /**< 0: the entry is free */
  uint32_t conn;   /**< the session from event opened; UINT32_MAX before */
  uint8_t failed;  /**< event connect_failed */
  uint8_t no_route; /**< event timed_out for the attempt: the firmware could not resolve the peer */
  uint8_t cancel;  /**< toe_connect_cancel: abort the connection once opened */
} toe_pending_connect_t;

/** Called with every event the driver takes from the host event queue (type TOE_EVT_*, the
 *  connection, the value), before the driver applies it. For tracing, and for a platform
 *  whose firmware timers learn the host's events. May not call the driver. */
typedef void (*toe_event_hook_t)(void *ctx, uint32_t type, uint32_t conn, uint32_t value);

/** Options of toe_open(). Zero-initialise, then set what differs from the defaults. */
typedef struct toe_config {
  /** The device's transmit buffer per connection (TxBufBytes), in bytes. 0: what the device
   *  reports (TX_BUF_BYTES, register map 0.3 and later), or TOE_PARAM_TX_BUF_BYTES_DEFAULT on an
   *  older device. Non-zero: a check; toe_open() returns ::TOE_BAD_ARG if the device reports
   *  another size (the pointers would wrap at the wrong modulus). */
  uint32_t tx_buf_bytes;
  /** The device's receive buffer per connection (RxBufBytes); as tx_buf_bytes (RX_BUF_BYTES). */
  uint32_t rx_buf_bytes;
  /** How long a command waits for room in the command queue (QUEUE_FULL) before the call
   *  returns ::TOE_QUEUE_FULL, in microseconds; 0: 1000. */
  uint32_t cmd_timeout_us;
  /** Optional event hook (see ::toe_event_hook_t) and its context. */
  toe_event_hook_t event_hook;
  void *event_hook_ctx; /**< passed to `event_hook` as its first argument */
} toe_config_t;

/** What toe_open() found on the device. */
typedef struct {
  uint32_t type;     /**< TYPE ("TOE1" is TOE_DEVICE_TYPE) */
  uint32_t version;  /**< VERSION, 0x00MMmmpp */
  uint32_t sessions; /**< SESSIONS: connections the device holds */
  uint32_t tx_buf_bytes; /**< TX_BUF_BYTES (0.3+), else the configured or default size */
  uint32_t rx_buf_bytes; /**< RX_BUF_BYTES (0.3+), else the configured or default size */
} toe_device_info_t;

/** The device handle. The caller allocates it (stack, static, or its own heap) and passes it
 *  to toe_open(); the fields are the driver's. */
typedef struct toe_dev {
  toe_mmio_t mmio;             /**< the transport, copied at toe_open() */
  toe_config_t cfg;            /**< the configuration, copied at toe_open() (defaults filled in) */
  toe_device_info_t info;      /**< what toe_open() found */
  toe_conn_t *conns;           /**< caller storage, `n_conns` entries */
  uint32_t n_conns;            /**< entries in `conns` */
  uint32_t selected;           /**< CONN_SEL as last written; UINT32_MAX: unknown */
  uint32_t last_bus_error;     /**< LAST_ERROR read after the last error response */
  uint32_t next_tag;           /**< tag of the next connect (never 0) */
  uint32_t accept_count;       /**< acceptances so far (toe_conn_t.accept_seq) */
  uint32_t syn_dropped;        /**< events syn_dropped seen */
  uint32_t unknown_events;     /**< events for no connection the driver knows */
  toe_pending_connect_t pending[TOE_MAX_PENDING_CONNECTS]; /**< active opens not yet named by the device */
} toe_dev_t;

/** The engine's own addresses, for toe_configure(). */
typedef struct toe_net_config {
  uint8_t mac[6];    /**< the engine's MAC, mac[0] first on the wire */
  uint32_t ipv4;     /**< the engine's IPv4 address, most significant byte first (192.168.1.2 is 0xC0A80102) */
  uint16_t mss;      /**< MSS to send and advertise; 0: leave the device's (1460 after reset) */
  uint8_t enable;    /**< 1: CTRL.ENABLE (traffic flows); 0: the engine drops every frame */
} toe_net_config_t;

/** An active open, for toe_connect(). */
typedef struct toe_connect_params {
  uint32_t ipv4;        /**< peer address, most significant byte first */
  uint16_t port;        /**< peer port (not 0) */
  uint16_t lport;       /**< local port (not 0) */
  /** The peer's (or next hop's) MAC; all zero: connect by IP address, the device's firmware
   *  resolves the peer (ARP; register map 0.4 and later, else ::TOE_BAD_ARG). */
  uint8_t peer_mac[6];
} toe_connect_params_t;

/** A connection as the device's TCB shows it now (CONN_* registers), for toe_conn_info(). */
typedef struct {
  uint32_t state;       /**< TCP state, TOE_STATE_* (toe_state_names[] names it) */
  uint8_t passive;      /**< 1: accepted; 0: opened by connect */
  uint8_t fin_rcvd;     /**< the peer's FIN has arrived */
  uint8_t fin_pending;  /**< our FIN waits for the transmit buffer to drain */
  uint16_t lport;       /**< local port */
  uint16_t rport;       /**< peer port */
  uint32_t remote_ipv4; /**< peer address */
  uint32_t snd_una;     /**< SND.UNA */
  uint32_t snd_nxt;     /**< SND.NXT */
  uint32_t rcv_nxt;     /**< RCV.NXT */
  uint32_t snd_wnd;     /**< SND.WND, bytes */
  uint32_t rx_queued;   /**< received, not consumed by the host (CONN_RX_WR - CONN_RX_RD) */
  uint32_t tx_queued;   /**< pushed, not acknowledged by the peer (CONN_TX_WR - (SND.UNA - ISS - 1)) */
  /* CONN_OPTS (register map 0.5 and later; all 0 on an older device): what the handshake agreed. */
  uint16_t snd_mss;     /**< the largest segment the engine sends (the peer's MSS capped by ours) */
  uint8_t ws_ok;        /**< 1: window scaling in use (both SYNs offered it) */
  uint8_t snd_wscale;   /**< the peer's window scale (0 unless ws_ok) */
  uint8_t rcv_wscale;   /**< the engine's window scale (0 unless ws_ok) */
} toe_conn_info_t;

/**
 * Open a device: read TYPE, VERSION and SESSIONS (and, from register map 0.3 on, TX_BUF_BYTES
 * and RX_BUF_BYTES) through `mmio` and set up `dev`; then wait until STATUS.READY reads 1 (the
 * engine is out of reset and has initialised its tables, which takes a clock per session after
 * a reset), reading STATUS for at most the handle's command timeout.
 *
 * @param dev      The handle to set up (caller storage; any previous content is discarded).
 * @param mmio     The transport (copied; its functions must all be set).
 * @param conns    Storage for the per-connection state, `n_conns` entries.
 * @param n_conns  At least the device's SESSIONS.
 * @param cfg      Options; NULL for the defaults.
 * @return ::TOE_OK; ::TOE_UNKNOWN_DEVICE for another TYPE or VERSION major (the values are in
 *         toe_device_info()); ::TOE_NO_RESOURCES when `n_conns` < SESSIONS; ::TOE_BAD_ARG
 *         (also a configured buffer size the device contradicts, or a size it reports as 0),
 *         ::TOE_BUS_ERROR, ::TOE_TRANSPORT_ERROR; ::TOE_TIMED_OUT when STATUS.READY stayed 0.
 */
toe_result_t toe_open(toe_dev_t *dev, const toe_mmio_t *mmio, toe_conn_t *conns, uint32_t n_conns,
                      const toe_config_t *cfg);

/**
 * What toe_open() read from the device (also after ::TOE_UNKNOWN_DEVICE).
 *
 * @param dev   The handle.
 * @param info  Out: TYPE, VERSION, SESSIONS, the buffer sizes.
 * @return ::TOE_OK or ::TOE_BAD_ARG.
 */
toe_result_t toe_device_info(const toe_dev_t *dev, toe_device_info_t *info);

/**
 * The LAST_ERROR value read after the last error response (fields TOE_REG_LAST_ERROR_*:
 * CODE and ADDR); 0 when no access has failed since toe_open.
 *
 * @param dev  The handle.
 * @return The register value.
 */
uint32_t toe_last_bus_error(const toe_dev_t *dev);

/**
 * Program the engine's MAC, IPv4 address and MSS, enable the event-queue interrupt, and set
 * CTRL.ENABLE as asked.
 *
 * @param dev  The handle.
 * @param net  The addresses.
 * @return ::TOE_OK, ::TOE_BAD_ARG, ::TOE_BUS_ERROR, ::TOE_TRANSPORT_ERROR.
 */
toe_result_t toe_configure(toe_dev_t *dev, const toe_net_config_t *net);

/**
 * Listen on a local port (command listen). Connections to it arrive through toe_accept().
 *
 * @param dev   The handle.
 * @param port  The local port (not 0).
 * @return ::TOE_OK, ::TOE_BAD_ARG, ::TOE_QUEUE_FULL, ::TOE_BUS_ERROR, ::TOE_TRANSPORT_ERROR.
 */
toe_result_t toe_listen(toe_dev_t *dev, uint16_t port);

/**
 * Stop listening on a local port (command unlisten); accepted connections stay.
 *
 * @param dev   The handle.
 * @param port  The local port (not 0).
 * @return As toe_listen().
 */
toe_result_t toe_unlisten(toe_dev_t *dev, uint16_t port);

/**
 * Take the events the host event queue holds and apply them to the connections' state.
 * Every other call polls too; call this when only waiting for events.
 *
 * @param dev     The handle.
 * @param events  Out (may be NULL): how many events were taken.
 * @return ::TOE_OK, ::TOE_BUS_ERROR, ::TOE_TRANSPORT_ERROR (and what an abort of a cancelled
 *         connect returns).
 */
toe_result_t toe_poll(toe_dev_t *dev, uint32_t *events);

/**
 * Wait for an event: return once the host event queue has given at least one event, or after
 * `timeout_us`.
 *
 * @param dev         The handle.
 * @param timeout_us  How long to wait; 0: just poll.
 * @param events      Out (may be NULL): how many events were taken.
 * @return ::TOE_OK (events taken), ::TOE_WOULD_BLOCK (timeout 0, none), ::TOE_TIMED_OUT,
 *         or what toe_poll() returns.
 */
toe_result_t toe_wait_event(toe_dev_t *dev, uint32_t timeout_us, uint32_t *events);

/**
 * Accept a connection: the oldest one accepted (event accepted: the final ACK of the
 * handshake has arrived) and not yet returned.
 *
 * @param dev         The handle.
 * @param lport       The listening port; 0: any.
 * @param timeout_us  How long to wait; 0: do not block.
 * @param conn        Out: the connection.
 * @return ::TOE_OK, ::TOE_WOULD_BLOCK, ::TOE_TIMED_OUT, ::TOE_BAD_ARG, bus results.
 */
toe_result_t toe_accept(toe_dev_t *dev, uint16_t lport, uint32_t timeout_us, uint32_t *conn);

/**
 * Start an active open (command connect) and return at once with its tag. With an all-zero
 * MAC the device's firmware resolves the peer first (connect by IP address).
 *
 * @param dev     The handle.
 * @param params  Peer address, ports and MAC (all zero: resolve it).
 * @param tag     Out: the attempt, for toe_connect_wait() / toe_connect_cancel().
 * @return ::TOE_OK, ::TOE_BAD_ARG (also a zero MAC on a device before map 0.4),
 *         ::TOE_NO_RESOURCES (TOE_MAX_PENDING_CONNECTS pending), ::TOE_QUEUE_FULL,
 *         ::TOE_NO_FIRMWARE (zero MAC, no firmware to resolve it), bus results.
 */
toe_result_t toe_connect_start(toe_dev_t *dev, const toe_connect_params_t *params, uint32_t *tag);

/**
 * Wait for an active open to complete: the SYN-ACK has arrived and the ACK is sent (event
 * connected).
 *
 * @param dev         The handle.
 * @param tag         From toe_connect_start().
 * @param timeout_us  How long to wait; 0: do not block.
 * @param conn        Out: the connection (on ::TOE_OK).
 * @return ::TOE_OK; ::TOE_WOULD_BLOCK / ::TOE_TIMED_OUT (still pending: call again or cancel);
 *         ::TOE_REFUSED (RST from the peer, or connect_failed); ::TOE_CONN_TIMED_OUT (the
 *         firmware gave up); ::TOE_NO_ROUTE (connect by IP address: nobody answered the
 *         firmware's ARP); ::TOE_BAD_ARG (no such attempt); bus results. The attempt is
 *         forgotten on every result but the two "still pending" ones.
 */
toe_result_t toe_connect_wait(toe_dev_t *dev, uint32_t tag, uint32_t timeout_us, uint32_t *conn);

/**
 * Give up an active open: abort its connection (now if the device has named it, else when it
 * does) and forget the attempt.
 *
 * @param dev  The handle.
 * @param tag  From toe_connect_start().
 * @return ::TOE_OK, ::TOE_BAD_ARG, bus results.
 */
toe_result_t toe_connect_cancel(toe_dev_t *dev, uint32_t tag);

/**
 * Active open, blocking: toe_connect_start() then toe_connect_wait(); on ::TOE_TIMED_OUT (or
 * ::TOE_WOULD_BLOCK for timeout 0) the attempt is cancelled.
 *
 * @param dev         The handle.
 * @param params      Peer address, ports and MAC.
 * @param timeout_us  How long to wait for the handshake.
 * @param conn        Out: the connection (on ::TOE_OK).
 * @return As toe_connect_wait().
 */
toe_result_t toe_connect(toe_dev_t *dev, const toe_connect_params_t *params, uint32_t timeout_us,
                         uint32_t *conn);

/**
 * Send: copy as much of `data` as the transmit buffer has room for (never more) into the
 * connection's transmit window at its write pointer, then push it (command tx_push). When no
 * room at all, wait up to `timeout_us` for the peer to acknowledge some.
 *
 * @param dev         The handle.
 * @param conn        The connection.
 * @param data        The bytes (may be unaligned).
 * @param len         How many; 0 sends nothing and returns ::TOE_OK.
 * @param timeout_us  How long to wait for room; 0: do not block.
 * @param sent        Out: bytes queued (0 .. len).
 * @return ::TOE_OK (at least one byte queued), ::TOE_WOULD_BLOCK, ::TOE_TIMED_OUT,
 *         ::TOE_RESET, ::TOE_CLOSED, ::TOE_CONN_TIMED_OUT, ::TOE_NO_CONN, ::TOE_BAD_ARG,
 *         ::TOE_QUEUE_FULL, bus results.
 */
toe_result_t toe_send(toe_dev_t *dev, uint32_t conn, const void *data, size_t len, uint32_t timeout_us,
                      size_t *sent);

/**
 * Receive: copy up to `cap` received bytes from the connection's receive window and release
 * them to the engine (command rx_consume). When none, wait up to `timeout_us`.
 *
 * @param dev         The handle.
 * @param conn        The connection.
 * @param buf         Where to copy.
 * @param cap         Room in `buf` (not 0).
 * @param timeout_us  How long to wait for data; 0: do not block.
 * @param received    Out: bytes copied.
 * @return ::TOE_OK (at least one byte), ::TOE_CLOSED (the peer's FIN and every byte read:
 *         end of stream), ::TOE_WOULD_BLOCK, ::TOE_TIMED_OUT, ::TOE_RESET,
 *         ::TOE_CONN_TIMED_OUT, ::TOE_NO_CONN, ::TOE_BAD_ARG, bus results.
 */
toe_result_t toe_recv(toe_dev_t *dev, uint32_t conn, void *buf, size_t cap, uint32_t timeout_us,
                      size_t *received);

/**
 * How much the peer has acknowledged: the last acked event's value (bytes of the transmit
 * stream, mod 2^32), and optionally how many pushed bytes it has not.
 *
 * @param dev        The handle.
 * @param conn       The connection.
 * @param acked      Out: bytes acknowledged (mod 2^32).
 * @param unacked    Out (may be NULL): bytes pushed and not yet acknowledged.
 * @return ::TOE_OK, ::TOE_NO_CONN, ::TOE_BAD_ARG, bus results of the poll.
 */
toe_result_t toe_acked(toe_dev_t *dev, uint32_t conn, uint32_t *acked, uint32_t *unacked);

/**
 * Half-close: the engine sends FIN once the transmit buffer has drained (command close); the
 * connection still receives until the peer closes. Further sends return ::TOE_CLOSED.
 *
 * @param dev   The handle.
 * @param conn  The connection.
 * @return ::TOE_OK (also when already shut), ::TOE_RESET, ::TOE_CLOSED, ::TOE_NO_CONN,
 *         ::TOE_QUEUE_FULL, bus results.
 */
toe_result_t toe_shutdown(toe_dev_t *dev, uint32_t conn);

/**
 * Abort: the engine sends RST and frees the connection (command abort). Later calls on it
 * return ::TOE_CLOSED.
 *
 * @param dev   The handle.
 * @param conn  The connection.
 * @return ::TOE_OK, ::TOE_NO_CONN, ::TOE_QUEUE_FULL, bus results.
 */
toe_result_t toe_abort(toe_dev_t *dev, uint32_t conn);

/**
 * The connection's TCB as the device shows it now (CONN_SEL, then the CONN_* registers).
 * Works for any session index, known to the driver or not (a free one reads as CLOSED).
 *
 * @param dev   The handle.
 * @param conn  The session (0 .. SESSIONS - 1).
 * @param info  Out.
 * @return ::TOE_OK, ::TOE_NO_CONN (out of range), ::TOE_BAD_ARG, bus results.
 */
toe_result_t toe_conn_info(toe_dev_t *dev, uint32_t conn, toe_conn_info_t *info);

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif /* TOE_DRIVER_H_ */
