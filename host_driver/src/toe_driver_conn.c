/* SPDX-License-Identifier: Apache-2.0 */
/* toecore host driver: the connection and data calls (accept, connect, send, recv, acked,
 * shutdown, abort, connection info), on the helpers of toe_driver.c (toe_driver_internal.h). The
 * pointer invariants and the blocking scheme are described at the top of toe_driver.c. */
#include <string.h>

#include "toe/toe_driver.h"
#include "toe_defs.h"
#include "toe_driver_internal.h"
#include "toe_regs.h"

/* ---- connections ------------------------------------------------------------------------- */

/* The connection, if the driver holds it open: NO_CONN (out of range, not in use, not yet
 * established), CLOSED (aborted), RESET, CONN_TIMED_OUT. */
static toe_result_t open_conn(toe_dev_t *dev, uint32_t conn, toe_conn_t **out) {
  if (conn >= toe_drv_capacity(dev)) return TOE_NO_CONN;
  toe_conn_t *c = &dev->conns[conn];
  if (!c->in_use || !c->established) return TOE_NO_CONN;
  if (c->aborted) return TOE_CLOSED;
  if (c->reset) return TOE_RESET;
  if (c->timed_out) return TOE_CONN_TIMED_OUT;
  *out = c;
  return TOE_OK;
}

typedef struct {
  uint16_t lport;
  uint32_t *conn;
} accept_arg_t;

static toe_result_t try_accept(toe_dev_t *dev, void *arg) {
  accept_arg_t *a = (accept_arg_t *)arg;
  toe_conn_t *best = NULL;
  uint32_t best_i = 0, best_age = 0;
  for (uint32_t i = 0; i < toe_drv_capacity(dev); ++i) {
    toe_conn_t *c = &dev->conns[i];
    if (!c->in_use || !c->accept_ready || (a->lport != 0 && c->lport != a->lport)) continue;
    if (c->reset || c->closed || c->timed_out) {  /* gone before it was accepted: skip it */
      c->accept_ready = 0;
      continue;
    }
    const uint32_t age = dev->accept_count - c->accept_seq;
    if (best == NULL || age > best_age) {
      best = c;
      best_i = i;
      best_age = age;
    }
  }
  if (best == NULL) return TOE_WOULD_BLOCK;
  best->accept_ready = 0;
  *a->conn = best_i;
  return TOE_OK;
}

toe_result_t toe_accept(toe_dev_t *dev, uint16_t lport, uint32_t timeout_us, uint32_t *conn) {
  if (dev == NULL || conn == NULL) return TOE_BAD_ARG;
  accept_arg_t a = {lport, conn};
  return toe_drv_run_blocking(dev, timeout_us, try_accept, &a);
}

toe_result_t toe_connect_start(toe_dev_t *dev, const toe_connect_params_t *params, uint32_t *tag) {
  if (dev == NULL || params == NULL || tag == NULL || params->port == 0 || params->lport == 0) return TOE_BAD_ARG;
  toe_pending_connect_t *p = NULL;
  for (uint32_t i = 0; i < TOE_MAX_PENDING_CONNECTS && p == NULL; ++i) {
    if (dev->pending[i].tag == 0) p = &dev->pending[i];
  }
  if (p == NULL) return TOE_NO_RESOURCES;
  /* No MAC: a connect by IP address, which needs a device whose firmware resolves it (0.4+). */
  const int by_ip = (toe_drv_mac_lo(params->peer_mac) | toe_drv_mac_hi(params->peer_mac)) == 0;
  if (by_ip && TOE_REG_FIELD_GET(dev->info.version, VERSION, MAJOR) == 0 &&
      TOE_REG_FIELD_GET(dev->info.version, VERSION, MINOR) < 4u)
    return TOE_BAD_ARG;
  const uint32_t t = dev->next_tag;
  dev->next_tag = dev->next_tag + 1 == 0 ? 1 : dev->next_tag + 1;
  toe_result_t r;
  if ((r = toe_drv_wr(dev, TOE_REG_CMD_IP_OFFSET, params->ipv4)) != TOE_OK) return r;
  if ((r = toe_drv_wr(dev, TOE_REG_CMD_PORTS_OFFSET,
              TOE_REG_FIELD_PREP(CMD_PORTS, LPORT, params->lport) | TOE_REG_FIELD_PREP(CMD_PORTS, PORT, params->port))) !=
      TOE_OK) {
    return r;
  }
  if ((r = toe_drv_wr(dev, TOE_REG_CMD_MAC_LO_OFFSET, toe_drv_mac_lo(params->peer_mac))) != TOE_OK) return r;
  if ((r = toe_drv_wr(dev, TOE_REG_CMD_MAC_HI_OFFSET, toe_drv_mac_hi(params->peer_mac))) != TOE_OK) return r;
  if ((r = toe_drv_wr(dev, TOE_REG_CMD_TAG_OFFSET, t)) != TOE_OK) return r;
  if ((r = toe_drv_command(dev, TOE_CMD_CONNECT, 0, 0, 0)) != TOE_OK) return r;
  toe_drv_free_pending(p);
  p->tag = t;
  *tag = t;
  return TOE_OK;
}

typedef struct {
  uint32_t tag;
  uint32_t *conn;
} connect_arg_t;

static toe_result_t try_connect(toe_dev_t *dev, void *arg) {
  connect_arg_t *a = (connect_arg_t *)arg;
  toe_pending_connect_t *p = toe_drv_find_pending(dev, a->tag);
  if (p == NULL || p->cancel) return TOE_BAD_ARG;
  if (p->failed || p->no_route) {
    const toe_result_t r = p->failed ? TOE_REFUSED : TOE_NO_ROUTE;
    toe_drv_free_pending(p);
    return r;
  }
  if (p->conn == TOE_NO_SESSION) return TOE_WOULD_BLOCK;
  const toe_conn_t *c = &dev->conns[p->conn];
  toe_result_t r = TOE_WOULD_BLOCK;
  if (c->reset || c->closed) {
    r = TOE_REFUSED;
  } else if (c->timed_out) {
    r = TOE_CONN_TIMED_OUT;
  } else if (c->established) {
    *a->conn = p->conn;
    r = TOE_OK;
  }
  if (r != TOE_WOULD_BLOCK) toe_drv_free_pending(p);
  return r;
}

toe_result_t toe_connect_wait(toe_dev_t *dev, uint32_t tag, uint32_t timeout_us, uint32_t *conn) {
  if (dev == NULL || conn == NULL || toe_drv_find_pending(dev, tag) == NULL) return TOE_BAD_ARG;
  connect_arg_t a = {tag, conn};
  return toe_drv_run_blocking(dev, timeout_us, try_connect, &a);
}

toe_result_t toe_connect_cancel(toe_dev_t *dev, uint32_t tag) {
  if (dev == NULL) return TOE_BAD_ARG;
  toe_pending_connect_t *p = toe_drv_find_pending(dev, tag);
  if (p == NULL) return TOE_BAD_ARG;
  if (p->conn == TOE_NO_SESSION) {
    p->cancel = 1;  /* aborted when event opened names it (dispatch) */
    return TOE_OK;
  }
  const uint32_t conn = p->conn;
  toe_drv_free_pending(p);
  toe_conn_t *c = &dev->conns[conn];
  if (c->reset || c->closed || c->timed_out || c->aborted) return TOE_OK;
  c->aborted = 1;
  return toe_drv_command(dev, TOE_CMD_ABORT, conn, 0, 0);
}

toe_result_t toe_connect(toe_dev_t *dev, const toe_connect_params_t *params, uint32_t timeout_us,
                         uint32_t *conn) {
  if (dev == NULL || conn == NULL) return TOE_BAD_ARG;
  uint32_t tag = 0;
  toe_result_t r = toe_connect_start(dev, params, &tag);
  if (r != TOE_OK) return r;
  r = toe_connect_wait(dev, tag, timeout_us, conn);
  if (r == TOE_TIMED_OUT || r == TOE_WOULD_BLOCK) {
    const toe_result_t rc = toe_connect_cancel(dev, tag);
    if (rc != TOE_OK) return rc;
  }
  return r;
}

/* ---- data ----------------------------------------------------------------------------------- */

static uint32_t min_u32(uint32_t a, uint32_t b) { return a < b ? a : b; }

/* n bytes from src into the transmit buffer at byte count `at`, by words through the window
 * (TX_WIN_BASE at `at` with its low 2 bits cleared; byte enables for a partial first or last
 * word), in pieces that stay inside the window and the buffer. */
static toe_result_t write_tx(toe_dev_t *dev, uint32_t conn, uint32_t at, const uint8_t *src, uint32_t n) {
  const uint32_t limit = min_u32(TOE_REG_TX_WINDOW_SIZE, dev->cfg.tx_buf_bytes);
  toe_result_t r = toe_drv_select_conn(dev, conn);
  if (r != TOE_OK) return r;
  while (n > 0) {
    const uint32_t lead = at & 3u;
    const uint32_t piece = min_u32(n, limit - lead);
    if ((r = toe_drv_wr(dev, TOE_REG_TX_WIN_BASE_OFFSET, at & ~3u)) != TOE_OK) return r;
    for (uint32_t w = 0; w < lead + piece; w += 4) {
      uint32_t v = 0;
      uint8_t be = 0;
      for (uint32_t i = 0; i < 4; ++i) {
        if (w + i < lead || w + i >= lead + piece) continue;
        v |= (uint32_t)src[w + i - lead] << (8 * i);
        be = (uint8_t)(be | (1u << i));
      }
      if ((r = toe_drv_wr_be(dev, TOE_REG_TX_WINDOW_BASE + w, v, be)) != TOE_OK) return r;
    }
    src += piece;
    at += piece;
    n -= piece;
  }
  return TOE_OK;
}

/* n bytes of the receive buffer from byte count `from` into dst (RX_WIN_BASE at `from` with
 * its low 2 bits cleared, whole words). */
static toe_result_t read_rx(toe_dev_t *dev, uint32_t conn, uint32_t from, uint8_t *dst, uint32_t n) {
  const uint32_t limit = min_u32(TOE_REG_RX_WINDOW_SIZE, dev->cfg.rx_buf_bytes);
  toe_result_t r = toe_drv_select_conn(dev, conn);
  if (r != TOE_OK) return r;
  while (n > 0) {
    const uint32_t lead = from & 3u;
    const uint32_t piece = min_u32(n, limit - lead);
    if ((r = toe_drv_wr(dev, TOE_REG_RX_WIN_BASE_OFFSET, from & ~3u)) != TOE_OK) return r;
    for (uint32_t w = 0; w < lead + piece; w += 4) {
      uint32_t v = 0;
      if ((r = toe_drv_rd(dev, TOE_REG_RX_WINDOW_BASE + w, &v)) != TOE_OK) return r;
      for (uint32_t i = 0; i < 4; ++i) {
        if (w + i >= lead && w + i < lead + piece) dst[w + i - lead] = (uint8_t)(v >> (8 * i));
      }
    }
    dst += piece;
    from += piece;
    n -= piece;
  }
  return TOE_OK;
}

typedef struct {
  uint32_t conn;
  const uint8_t *data;
  size_t len;
  size_t *done;
} io_arg_t;

static toe_result_t try_send(toe_dev_t *dev, void *arg) {
  io_arg_t *a = (io_arg_t *)arg;
  toe_conn_t *c = NULL;
  toe_result_t r = open_conn(dev, a->conn, &c);
  if (r != TOE_OK) return r;
  if (c->shut || c->closed) return TOE_CLOSED;
  const uint32_t space = dev->cfg.tx_buf_bytes - (c->tx_wr - c->acked);
  if (space == 0) return TOE_WOULD_BLOCK;
  const uint32_t n = a->len < space ? (uint32_t)a->len : space;
  if ((r = write_tx(dev, a->conn, c->tx_wr, a->data, n)) != TOE_OK) return r;
  if ((r = toe_drv_command(dev, TOE_CMD_TX_PUSH, a->conn, 1, c->tx_wr + n)) != TOE_OK) return r;
  c->tx_wr += n;
  *a->done = n;
  return TOE_OK;
}

toe_result_t toe_send(toe_dev_t *dev, uint32_t conn, const void *data, size_t len, uint32_t timeout_us,
                      size_t *sent) {
  if (dev == NULL || sent == NULL || (data == NULL && len > 0)) return TOE_BAD_ARG;
  *sent = 0;
  if (len == 0) return TOE_OK;
  io_arg_t a = {conn, (const uint8_t *)data, len, sent};
  return toe_drv_run_blocking(dev, timeout_us, try_send, &a);
}

static toe_result_t try_recv(toe_dev_t *dev, void *arg) {
  io_arg_t *a = (io_arg_t *)arg;
  toe_conn_t *c = NULL;
  toe_result_t r = open_conn(dev, a->conn, &c);
  if (r != TOE_OK) return r;
  const uint32_t avail = c->rx_wr - c->rx_rd;
  if (c->closed) return TOE_CLOSED;  /* freed: what is left cannot be read */
  if (avail == 0) return c->peer_closed ? TOE_CLOSED : TOE_WOULD_BLOCK;
  const uint32_t n = a->len < avail ? (uint32_t)a->len : avail;
  /* data is the caller's buffer, written through a const-free alias */
  if ((r = read_rx(dev, a->conn, c->rx_rd, (uint8_t *)(uintptr_t)a->data, n)) != TOE_OK) return r;
  c->rx_rd += n;
  *a->done = n;
  return toe_drv_command(dev, TOE_CMD_RX_CONSUME, a->conn, 1, c->rx_rd);
}

toe_result_t toe_recv(toe_dev_t *dev, uint32_t conn, void *buf, size_t cap, uint32_t timeout_us,
                      size_t *received) {
  if (dev == NULL || buf == NULL || cap == 0 || received == NULL) return TOE_BAD_ARG;
  *received = 0;
  io_arg_t a = {conn, (const uint8_t *)buf, cap, received};
  return toe_drv_run_blocking(dev, timeout_us, try_recv, &a);
}

toe_result_t toe_acked(toe_dev_t *dev, uint32_t conn, uint32_t *acked, uint32_t *unacked) {
  if (dev == NULL || acked == NULL) return TOE_BAD_ARG;
  const toe_result_t r = toe_drv_poll_events(dev, NULL);
  if (r != TOE_OK) return r;
  if (conn >= toe_drv_capacity(dev) || !dev->conns[conn].in_use) return TOE_NO_CONN;
  const toe_conn_t *c = &dev->conns[conn];
  *acked = c->acked;
  if (unacked) *unacked = c->tx_wr - c->acked;
  return TOE_OK;
}

toe_result_t toe_shutdown(toe_dev_t *dev, uint32_t conn) {
  if (dev == NULL) return TOE_BAD_ARG;
  toe_result_t r = toe_drv_poll_events(dev, NULL);
  if (r != TOE_OK) return r;
  toe_conn_t *c = NULL;
  if ((r = open_conn(dev, conn, &c)) != TOE_OK) return r;
  if (c->shut) return TOE_OK;
  if (c->closed) return TOE_CLOSED;
  if ((r = toe_drv_command(dev, TOE_CMD_CLOSE, conn, 0, 0)) != TOE_OK) return r;
  c->shut = 1;
  return TOE_OK;
}

toe_result_t toe_abort(toe_dev_t *dev, uint32_t conn) {
  if (dev == NULL) return TOE_BAD_ARG;
  const toe_result_t r = toe_drv_poll_events(dev, NULL);
  if (r != TOE_OK) return r;
  if (conn >= toe_drv_capacity(dev) || !dev->conns[conn].in_use) return TOE_NO_CONN;
  toe_conn_t *c = &dev->conns[conn];
  if (c->aborted) return TOE_OK;
  c->aborted = 1;
  c->accept_ready = 0;
  if (c->reset || c->closed || c->timed_out) return TOE_OK;  /* the engine freed it already */
  return toe_drv_command(dev, TOE_CMD_ABORT, conn, 0, 0);
}

toe_result_t toe_conn_info(toe_dev_t *dev, uint32_t conn, toe_conn_info_t *info) {
  if (dev == NULL || info == NULL) return TOE_BAD_ARG;
  if (conn >= dev->info.sessions) return TOE_NO_CONN;
  toe_result_t r = toe_drv_select_conn(dev, conn);
  if (r != TOE_OK) return r;
  uint32_t st = 0, ports = 0, tx_wr = 0, rx_wr = 0, rx_rd = 0, iss = 0;
  memset(info, 0, sizeof *info);
  if ((r = toe_drv_rd(dev, TOE_REG_CONN_STATE_OFFSET, &st)) != TOE_OK) return r;
  if ((r = toe_drv_rd(dev, TOE_REG_CONN_PORTS_OFFSET, &ports)) != TOE_OK) return r;
  if ((r = toe_drv_rd(dev, TOE_REG_CONN_REMOTE_IP_OFFSET, &info->remote_ipv4)) != TOE_OK) return r;
  if ((r = toe_drv_rd(dev, TOE_REG_CONN_SND_UNA_OFFSET, &info->snd_una)) != TOE_OK) return r;
  if ((r = toe_drv_rd(dev, TOE_REG_CONN_SND_NXT_OFFSET, &info->snd_nxt)) != TOE_OK) return r;
  if ((r = toe_drv_rd(dev, TOE_REG_CONN_RCV_NXT_OFFSET, &info->rcv_nxt)) != TOE_OK) return r;
  if ((r = toe_drv_rd(dev, TOE_REG_CONN_SND_WND_OFFSET, &info->snd_wnd)) != TOE_OK) return r;
  if ((r = toe_drv_rd(dev, TOE_REG_CONN_RX_WR_OFFSET, &rx_wr)) != TOE_OK) return r;
  if ((r = toe_drv_rd(dev, TOE_REG_CONN_RX_RD_OFFSET, &rx_rd)) != TOE_OK) return r;
  if ((r = toe_drv_rd(dev, TOE_REG_CONN_TX_WR_OFFSET, &tx_wr)) != TOE_OK) return r;
  if ((r = toe_drv_rd(dev, TOE_REG_CONN_ISS_OFFSET, &iss)) != TOE_OK) return r;
  const uint32_t major = TOE_REG_FIELD_GET(dev->info.version, VERSION, MAJOR);
  if (major > 0u || TOE_REG_FIELD_GET(dev->info.version, VERSION, MINOR) >= 5u) {
    uint32_t opts = 0;
    if ((r = toe_drv_rd(dev, TOE_REG_CONN_OPTS_OFFSET, &opts)) != TOE_OK) return r;
    info->snd_mss = (uint16_t)TOE_REG_FIELD_GET(opts, CONN_OPTS, SND_MSS);
    info->ws_ok = (uint8_t)TOE_REG_FIELD_GET(opts, CONN_OPTS, WS_OK);
    info->snd_wscale = (uint8_t)TOE_REG_FIELD_GET(opts, CONN_OPTS, SND_WSCALE);
    info->rcv_wscale = (uint8_t)TOE_REG_FIELD_GET(opts, CONN_OPTS, RCV_WSCALE);
  }
  info->state = TOE_REG_FIELD_GET(st, CONN_STATE, STATE);
  info->passive = (uint8_t)TOE_REG_FIELD_GET(st, CONN_STATE, PASSIVE);
  info->fin_rcvd = (uint8_t)TOE_REG_FIELD_GET(st, CONN_STATE, FIN_RCVD);
  info->fin_pending = (uint8_t)TOE_REG_FIELD_GET(st, CONN_STATE, FIN_PENDING);
  info->lport = (uint16_t)TOE_REG_FIELD_GET(ports, CONN_PORTS, LPORT);
  info->rport = (uint16_t)TOE_REG_FIELD_GET(ports, CONN_PORTS, RPORT);
  info->rx_queued = rx_wr - rx_rd;
  /* Acknowledged stream bytes: SND.UNA - ISS - 1 once our SYN is acknowledged (after the FIN
   * is acknowledged it is one more than tx_wr: none queued). */
  const int syn_acked = info->state != TOE_STATE_CLOSED && info->state != TOE_STATE_LISTEN &&
                        info->state != TOE_STATE_SYN_SENT && info->state != TOE_STATE_SYN_RECEIVED;
  const uint32_t acked = syn_acked ? info->snd_una - iss - 1 : 0;
  const uint32_t q = tx_wr - acked;
  info->tx_queued = (int32_t)q < 0 ? 0 : q;
  return TOE_OK;
}
