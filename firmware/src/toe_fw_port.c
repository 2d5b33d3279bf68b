/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw_port: the firmware register port (see toe_fw_port.h). */
#include "toe_fw_port.h"

#include "toe_defs.h"
#include "toe_fw_net.h"
#include "toe_fw_regs.h"

/* The read-only mirrors of the engine's addresses (same packing as the host map's MAC_ADDR_LO,
 * MAC_ADDR_HI, IPV4_ADDR), until toe_fw_regs.h names them. */
#ifdef TOE_FW_REG_MAC_ADDR_LO_OFFSET
#define TOE_FW_MAC_LO TOE_FW_REG_MAC_ADDR_LO_OFFSET
#define TOE_FW_MAC_HI TOE_FW_REG_MAC_ADDR_HI_OFFSET
#define TOE_FW_IPV4 TOE_FW_REG_IPV4_ADDR_OFFSET
#else
#define TOE_FW_MAC_LO 0x0C0u
#define TOE_FW_MAC_HI 0x0C4u
#define TOE_FW_IPV4 0x0C8u
#endif

/* How often a QUEUE_FULL command is tried again, and TXQ_STATUS polled while BUSY: each try is
 * a bus access, during which the engine runs. */
#define TOE_FW_CMD_TRIES 64u
#define TOE_FW_TX_POLLS 4096u

static toe_fw_result_t refused(struct toe_fw_port *port) {
  ++port->stats->bus_errors;
  uint32_t e = 0;
  if (port->hal->read32(port->hal->ctx, TOE_FW_REG_LAST_ERROR_OFFSET, &e) == TOE_FW_OK) port->last_error = e;
  return TOE_FW_BUS_ERROR;
}

toe_fw_result_t toe_fw_port_read(struct toe_fw_port *port, uint32_t offset, uint32_t *value) {
  if (port->hal->read32(port->hal->ctx, offset, value) != TOE_FW_OK) return refused(port);
  return TOE_FW_OK;
}

toe_fw_result_t toe_fw_port_write(struct toe_fw_port *port, uint32_t offset, uint32_t value) {
  if (port->hal->write32(port->hal->ctx, offset, value, 0xFu) != TOE_FW_OK) return refused(port);
  return TOE_FW_OK;
}

toe_fw_result_t toe_fw_port_open(struct toe_fw_port *port, const struct toe_fw_hal *hal, struct toe_fw_stats *stats) {
  if (port == 0 || hal == 0 || stats == 0 || hal->read32 == 0 || hal->write32 == 0 || hal->now_us == 0)
    return TOE_FW_BAD_ARG;
  port->hal = hal;
  port->stats = stats;
  port->sessions = 0;
  port->last_error = 0;
  uint32_t type = 0, version = 0, sessions = 0;
  if (toe_fw_port_read(port, TOE_FW_REG_TYPE_OFFSET, &type) != TOE_FW_OK ||
      toe_fw_port_read(port, TOE_FW_REG_VERSION_OFFSET, &version) != TOE_FW_OK)
    return TOE_FW_NO_DEVICE;
  if (type != TOE_FW_DEVICE_TYPE ||
      TOE_FW_REG_FIELD_GET(version, VERSION, MAJOR) != TOE_FW_REG_FIELD_GET(TOE_FW_DEVICE_VERSION, VERSION, MAJOR))
    return TOE_FW_NO_DEVICE;
  if (toe_fw_port_read(port, TOE_FW_REG_SESSIONS_OFFSET, &sessions) != TOE_FW_OK) return TOE_FW_NO_DEVICE;
  port->sessions = sessions;
  port->version = version;
  return TOE_FW_OK;
}

toe_fw_result_t toe_fw_port_isn_key(struct toe_fw_port *port, const uint32_t key[4]) {
  for (uint32_t i = 0; i < 4u; ++i) {
    const toe_fw_result_t r = toe_fw_port_write(port, TOE_FW_REG_ISN_KEY_0_OFFSET + 4u * i, key[i]);
    if (r != TOE_FW_OK) return r;
  }
  return TOE_FW_OK;
}

toe_fw_result_t toe_fw_port_boot(struct toe_fw_port *port) {
  toe_fw_result_t r = toe_fw_port_write(port, TOE_FW_REG_CTRL_OFFSET, TOE_FW_REG_CTRL_EVQ_EN_MASK);
  if (r != TOE_FW_OK) return r;
  r = toe_fw_port_write(port, TOE_FW_REG_INTR_ENABLE_OFFSET,
                        TOE_FW_REG_INTR_ENABLE_EVQ_NOT_EMPTY_MASK | TOE_FW_REG_INTR_ENABLE_RXQ_NOT_EMPTY_MASK |
                            TOE_FW_REG_INTR_ENABLE_ARQ_NOT_EMPTY_MASK);
  if (r != TOE_FW_OK) return r;
  return toe_fw_port_irq_ack(port);
}

toe_fw_result_t toe_fw_port_irq_ack(struct toe_fw_port *port) {
  return toe_fw_port_write(port, TOE_FW_REG_INTR_STATE_OFFSET,
                           TOE_FW_REG_INTR_STATE_EVQ_NOT_EMPTY_MASK | TOE_FW_REG_INTR_STATE_RXQ_NOT_EMPTY_MASK |
                               TOE_FW_REG_INTR_STATE_TX_DONE_MASK |
                               TOE_FW_REG_INTR_STATE_ARQ_NOT_EMPTY_MASK);
}

toe_fw_result_t toe_fw_port_event_pop(struct toe_fw_port *port, struct toe_fw_event *ev) {
  uint32_t head = 0, conn = 0, value = 0;
  toe_fw_result_t r = toe_fw_port_read(port, TOE_FW_REG_EVQ_EVENT_OFFSET, &head);
  if (r != TOE_FW_OK) return r;
  if (TOE_FW_REG_FIELD_GET(head, EVQ_EVENT, EVT) == 0) return TOE_FW_EMPTY;
  if ((r = toe_fw_port_read(port, TOE_FW_REG_EVQ_CONN_OFFSET, &conn)) != TOE_FW_OK) return r;
  if ((r = toe_fw_port_read(port, TOE_FW_REG_EVQ_VALUE_OFFSET, &value)) != TOE_FW_OK) return r;
  if ((r = toe_fw_port_write(port, TOE_FW_REG_EVQ_POP_OFFSET, TOE_FW_REG_EVQ_POP_POP_MASK)) != TOE_FW_OK) return r;
  ev->type = (uint8_t)TOE_FW_REG_FIELD_GET(head, EVQ_EVENT, EVT);
  ev->state = (uint8_t)TOE_FW_REG_FIELD_GET(head, EVQ_EVENT, STATE);
  ev->lport = (uint16_t)TOE_FW_REG_FIELD_GET(head, EVQ_EVENT, LPORT);
  ev->conn = conn;
  ev->value = value;
  ++port->stats->events;
  return TOE_FW_OK;
}

toe_fw_result_t toe_fw_port_command(struct toe_fw_port *port, uint32_t conn, uint32_t op) {
  if (toe_fw_port_write(port, TOE_FW_REG_CMD_CONN_OFFSET, conn) != TOE_FW_OK) {
    ++port->stats->commands_refused;
    return TOE_FW_REFUSED;
  }
  for (uint32_t tries = 0;; ++tries) {
    if (toe_fw_port_write(port, TOE_FW_REG_CMD_OFFSET, op) == TOE_FW_OK) {
      ++port->stats->commands;
      return TOE_FW_OK;
    }
    if (TOE_FW_REG_FIELD_GET(port->last_error, LAST_ERROR, CODE) != TOE_FW_REG_LAST_ERROR_CODE_QUEUE_FULL ||
        tries + 1 >= TOE_FW_CMD_TRIES) {
      ++port->stats->commands_refused;
      return TOE_FW_REFUSED;
    }
    /* The queue is full: wait for the engine to take one (each read is a bus cycle). */
    for (uint32_t n = 0; n < TOE_FW_CMD_TRIES; ++n) {
      uint32_t st = 0;
      if (toe_fw_port_read(port, TOE_FW_REG_CMD_STATUS_OFFSET, &st) != TOE_FW_OK) break;
      if (TOE_FW_REG_FIELD_GET(st, CMD_STATUS, PENDING) < TOE_FW_REG_FIELD_GET(st, CMD_STATUS, DEPTH)) break;
    }
  }
}

toe_fw_result_t toe_fw_port_rx_len(struct toe_fw_port *port, uint32_t *len) {
  uint32_t st = 0;
  *len = 0;
  toe_fw_result_t r = toe_fw_port_read(port, TOE_FW_REG_RXQ_STATUS_OFFSET, &st);
  if (r != TOE_FW_OK) return r;
  if (TOE_FW_REG_FIELD_GET(st, RXQ_STATUS, COUNT) == 0) return TOE_FW_EMPTY;
  return toe_fw_port_read(port, TOE_FW_REG_RXQ_LEN_OFFSET, len);
}

toe_fw_result_t toe_fw_port_rx_word(struct toe_fw_port *port, uint32_t offset, uint32_t *word) {
  if ((offset & 3u) != 0 || offset >= TOE_FW_REG_RX_FRAME_SIZE) return TOE_FW_BAD_ARG;
  return toe_fw_port_read(port, TOE_FW_REG_RX_FRAME_BASE + offset, word);
}

toe_fw_result_t toe_fw_port_rx_read(struct toe_fw_port *port, uint32_t offset, uint8_t *dst, uint32_t n) {
  if (offset > TOE_FW_REG_RX_FRAME_SIZE || n > TOE_FW_REG_RX_FRAME_SIZE - offset) return TOE_FW_BAD_ARG;
  uint32_t i = 0;
  while (i < n) {
    const uint32_t at = offset + i;
    uint32_t w = 0;
    toe_fw_result_t r = toe_fw_port_rx_word(port, at & ~3u, &w);
    if (r != TOE_FW_OK) return r;
    for (uint32_t lane = at & 3u; lane < 4u && i < n; ++lane, ++i) dst[i] = (uint8_t)(w >> (8u * lane));
  }
  return TOE_FW_OK;
}

toe_fw_result_t toe_fw_port_rx_pop(struct toe_fw_port *port) {
  return toe_fw_port_write(port, TOE_FW_REG_RXQ_POP_OFFSET, TOE_FW_REG_RXQ_POP_POP_MASK);
}

toe_fw_result_t toe_fw_port_tx_begin(struct toe_fw_port *port) {
  for (uint32_t n = 0; n < TOE_FW_TX_POLLS; ++n) {
    uint32_t st = 0;
    toe_fw_result_t r = toe_fw_port_read(port, TOE_FW_REG_TXQ_STATUS_OFFSET, &st);
    if (r != TOE_FW_OK) return r;
    if (TOE_FW_REG_FIELD_GET(st, TXQ_STATUS, BUSY) == 0) return TOE_FW_OK;
  }
  return TOE_FW_BUSY;
}

toe_fw_result_t toe_fw_port_tx_word(struct toe_fw_port *port, uint32_t offset, uint32_t word, uint8_t be) {
  if ((offset & 3u) != 0 || offset >= TOE_FW_REG_TX_FRAME_SIZE || (be & 0xFu) == 0) return TOE_FW_BAD_ARG;
  if (port->hal->write32(port->hal->ctx, TOE_FW_REG_TX_FRAME_BASE + offset, word, (uint8_t)(be & 0xFu)) != TOE_FW_OK)
    return refused(port);
  return TOE_FW_OK;
}

toe_fw_result_t toe_fw_port_tx_write(struct toe_fw_port *port, uint32_t offset, const uint8_t *src, uint32_t n) {
  if (offset > TOE_FW_REG_TX_FRAME_SIZE || n > TOE_FW_REG_TX_FRAME_SIZE - offset) return TOE_FW_BAD_ARG;
  uint32_t i = 0;
  while (i < n) {
    const uint32_t at = offset + i;
    uint32_t w = 0;
    uint8_t be = 0;
    for (uint32_t lane = at & 3u; lane < 4u && i < n; ++lane, ++i) {
      w |= (uint32_t)src[i] << (8u * lane);
      be = (uint8_t)(be | (1u << lane));
    }
    toe_fw_result_t r = toe_fw_port_tx_word(port, at & ~3u, w, be);
    if (r != TOE_FW_OK) return r;
  }
  return TOE_FW_OK;
}

toe_fw_result_t toe_fw_port_tx_send(struct toe_fw_port *port, uint32_t len) {
  toe_fw_result_t r = toe_fw_port_write(port, TOE_FW_REG_TXQ_LEN_OFFSET, len);
  if (r != TOE_FW_OK) return r;
  return toe_fw_port_write(port, TOE_FW_REG_TXQ_SEND_OFFSET, TOE_FW_REG_TXQ_SEND_SEND_MASK);
}

toe_fw_result_t toe_fw_port_tx_zero(struct toe_fw_port *port, uint32_t from, uint32_t to) {
  static const uint8_t zeros[4] = {0, 0, 0, 0};
  while (from < to) {
    const uint32_t n = 4u - (from & 3u) < to - from ? 4u - (from & 3u) : to - from;
    toe_fw_result_t r = toe_fw_port_tx_write(port, from, zeros, n);
    if (r != TOE_FW_OK) return r;
    from += n;
  }
  return TOE_FW_OK;
}

toe_fw_result_t toe_fw_port_tx_frame(struct toe_fw_port *port, const uint8_t *src, uint32_t len) {
  if (len < TOE_FW_ETH_HLEN || len > TOE_FW_REG_TX_FRAME_SIZE) return TOE_FW_BAD_ARG;
  toe_fw_result_t r = toe_fw_port_tx_begin(port);
  if (r == TOE_FW_OK) r = toe_fw_port_tx_write(port, 0, src, len);
  if (r == TOE_FW_OK && len < TOE_FW_ETH_MIN_FRAME) {
    r = toe_fw_port_tx_zero(port, len, TOE_FW_ETH_MIN_FRAME);
    len = TOE_FW_ETH_MIN_FRAME;
  }
  if (r == TOE_FW_OK) r = toe_fw_port_tx_send(port, len);
  if (r == TOE_FW_OK)
    ++port->stats->frames_out;
  else
    ++port->stats->tx_failed;
  return r;
}

toe_fw_result_t toe_fw_port_engine_addr(struct toe_fw_port *port, uint8_t mac[6], uint32_t *ip) {
  if (port->hal->engine_addr != 0) return port->hal->engine_addr(port->hal->ctx, mac, ip);
  uint32_t lo = 0, hi = 0;
  toe_fw_result_t r;
  if ((r = toe_fw_port_read(port, TOE_FW_MAC_LO, &lo)) != TOE_FW_OK) return r;
  if ((r = toe_fw_port_read(port, TOE_FW_MAC_HI, &hi)) != TOE_FW_OK) return r;
  if ((r = toe_fw_port_read(port, TOE_FW_IPV4, ip)) != TOE_FW_OK) return r;
  mac[0] = (uint8_t)(hi >> 8);
  mac[1] = (uint8_t)hi;
  mac[2] = (uint8_t)(lo >> 24);
  mac[3] = (uint8_t)(lo >> 16);
  mac[4] = (uint8_t)(lo >> 8);
  mac[5] = (uint8_t)lo;
  return TOE_FW_OK;
}

toe_fw_result_t toe_fw_stats_engine(struct toe_fw_port *port, uint32_t index, uint32_t *value) {
  if (index >= TOE_CNT_COUNT) return TOE_FW_BAD_ARG;
  return toe_fw_port_read(port, TOE_FW_REG_CNT_FRAMES_IN_OFFSET + 4u * index, value);
}
