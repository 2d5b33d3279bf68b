/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw_port: the engine's firmware register port (rtl_model/regmap/toe_fw_regs.toml,
 * docs/fw_registers.md), one HAL access at a time.
 *
 *   open / boot      TYPE and VERSION checked, SESSIONS read; CTRL.EVQ_EN = 1 (the firmware's
 *                    events to this port's queue), INTR_ENABLE = EVQ_NOT_EMPTY | RXQ_NOT_EMPTY
 *   irq_ack          INTR_STATE cleared (w1c): a cause still holding sets its bit again
 *   event_pop        the head of the event queue (EVQ_EVENT, EVQ_CONN, EVQ_VALUE), then EVQ_POP
 *   command          CMD_CONN, CMD; QUEUE_FULL retried while the engine takes the queue
 *   rx_*             the receive queue's head frame (RXQ_LEN, RX_FRAME reads), RXQ_POP
 *   tx_*             TX_FRAME (byte enables), TXQ_LEN, TXQ_SEND, once TXQ_STATUS.BUSY is 0
 *   engine_addr      the engine's MAC and IPv4 address (the HAL's hook, or the port's mirrors)
 * Every refused access is counted in stats->bus_errors. */
#ifndef TOE_FW_PORT_H_
#define TOE_FW_PORT_H_

#include <stddef.h>
#include <stdint.h>

#include "toe_fw_hal.h"
#include "toe_fw_stats.h"

#ifdef __cplusplus
extern "C" {
#endif

struct toe_fw_port {
  const struct toe_fw_hal *hal;
  struct toe_fw_stats *stats;
  uint32_t sessions;   /* SESSIONS: connection ids 0 .. sessions - 1 */
  uint32_t version;    /* VERSION (0x00MMmmpp) */
  uint32_t last_error; /* LAST_ERROR of the last refused access (read after it) */
};

/* One event of the queue (EVQ_EVENT's fields, EVQ_CONN, EVQ_VALUE). */
struct toe_fw_event {
  uint8_t type;   /* TOE_EVT_* */
  uint8_t state;  /* TOE_STATE_*: the connection's state after the event */
  uint16_t lport;
  uint32_t conn;
  uint32_t value;
};

/* TOE_FW_NO_DEVICE when TYPE is not "TOEF" or VERSION's major differs from toe_fw_regs.h's. */
toe_fw_result_t toe_fw_port_open(struct toe_fw_port *port, const struct toe_fw_hal *hal, struct toe_fw_stats *stats);
/* The firmware's half of the ISN key (ISN_KEY_0..3, port 0.4): TOE_FW_NO_DEVICE on an older port. */
toe_fw_result_t toe_fw_port_isn_key(struct toe_fw_port *port, const uint32_t key[4]);
toe_fw_result_t toe_fw_port_boot(struct toe_fw_port *port);

toe_fw_result_t toe_fw_port_read(struct toe_fw_port *port, uint32_t offset, uint32_t *value);
toe_fw_result_t toe_fw_port_write(struct toe_fw_port *port, uint32_t offset, uint32_t value);

toe_fw_result_t toe_fw_port_irq_ack(struct toe_fw_port *port);
/* TOE_FW_EMPTY when the queue is empty. */
toe_fw_result_t toe_fw_port_event_pop(struct toe_fw_port *port, struct toe_fw_event *ev);
/* TOE_FW_REFUSED when the port refused it (stats->commands_refused counts it). */
toe_fw_result_t toe_fw_port_command(struct toe_fw_port *port, uint32_t conn, uint32_t op);

/* The head frame's length; TOE_FW_EMPTY (and *len = 0) when the queue is empty. */
toe_fw_result_t toe_fw_port_rx_len(struct toe_fw_port *port, uint32_t *len);
/* n bytes of the head frame from byte `offset` (any alignment). */
toe_fw_result_t toe_fw_port_rx_read(struct toe_fw_port *port, uint32_t offset, uint8_t *dst, uint32_t n);
/* The word at `offset` (a multiple of 4): bytes offset .. offset+3, byte offset in bits 7:0. */
toe_fw_result_t toe_fw_port_rx_word(struct toe_fw_port *port, uint32_t offset, uint32_t *word);
toe_fw_result_t toe_fw_port_rx_pop(struct toe_fw_port *port);

/* Waits (polls TXQ_STATUS a bounded number of times) for the transmit path to be free:
 * TOE_FW_BUSY if it stays busy. Call before writing a frame. */
toe_fw_result_t toe_fw_port_tx_begin(struct toe_fw_port *port);
/* n bytes into TX_FRAME from byte `offset` (any alignment: partial words by byte enables). */
toe_fw_result_t toe_fw_port_tx_write(struct toe_fw_port *port, uint32_t offset, const uint8_t *src, uint32_t n);
toe_fw_result_t toe_fw_port_tx_word(struct toe_fw_port *port, uint32_t offset, uint32_t word, uint8_t be);
/* TXQ_LEN = len, TXQ_SEND. */
toe_fw_result_t toe_fw_port_tx_send(struct toe_fw_port *port, uint32_t len);

/* A whole frame from src (len bytes, 14 .. 2048): tx_begin, TX_FRAME, zeros up to 60 bytes
 * (TOE_FW_ETH_MIN_FRAME), TXQ_LEN, TXQ_SEND. stats->frames_out or stats->tx_failed counts it. */
toe_fw_result_t toe_fw_port_tx_frame(struct toe_fw_port *port, const uint8_t *src, uint32_t len);
/* Zeros into TX_FRAME bytes from .. to - 1 (padding). */
toe_fw_result_t toe_fw_port_tx_zero(struct toe_fw_port *port, uint32_t from, uint32_t to);

toe_fw_result_t toe_fw_port_engine_addr(struct toe_fw_port *port, uint8_t mac[6], uint32_t *ip);

#ifdef __cplusplus
}
#endif

#endif /* TOE_FW_PORT_H_ */
