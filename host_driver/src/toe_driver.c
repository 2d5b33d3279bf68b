/* SPDX-License-Identifier: Apache-2.0 */
/* toecore host driver (see include/toe/toe_driver.h and README.md).
 *
 * Every register access goes through dev->mmio. Offsets, fields and codes come from the
 * generated toe_regs.h, opcodes, events and states from toe_defs.h.
 *
 * Pointers. Per connection the driver keeps four running byte counts mod 2^32, as the engine
 * does: rx_wr (the last data event), rx_rd (the last rx_consume), tx_wr (the last tx_push),
 * acked (the last acked event). Invariants: rx_wr - rx_rd <= rx_buf_bytes (the engine never
 * delivers more than the buffer holds) and tx_wr - acked <= tx_buf_bytes (toe_send never copies
 * more than that room).
 *
 * Blocking. A blocking call clears INTR_STATE.EVQ_NOT_EMPTY, takes the queued events, tries;
 * if it must wait it calls mmio.wait until the interrupt line or its deadline (at most
 * kWaitSliceUs at a time), and tries again. An event arriving after the clear raises the line,
 * so no wakeup is lost.
 */
#include "toe/toe_driver.h"

#include <string.h>

#include "toe_defs.h"
#include "toe_regs.h"

enum {
  kWaitSliceUs = 10000,      /* longest single wait: a missed interrupt costs at most this */
  kCmdTimeoutUsDefault = 1000,
  kMaxEventsPerPoll = 256,   /* a poll ends after this many events (the queue may refill) */
};

#define TOE_NO_SESSION UINT32_MAX

static const uint32_t kDriverMajor = TOE_REG_FIELD_GET(TOE_DEVICE_VERSION, VERSION, MAJOR);

const char *toe_result_str(toe_result_t result) {
  switch (result) {
    case TOE_OK: return "TOE_OK";
    case TOE_TIMED_OUT: return "TOE_TIMED_OUT";
    case TOE_WOULD_BLOCK: return "TOE_WOULD_BLOCK";
    case TOE_REFUSED: return "TOE_REFUSED";
    case TOE_RESET: return "TOE_RESET";
    case TOE_CLOSED: return "TOE_CLOSED";
    case TOE_NO_CONN: return "TOE_NO_CONN";
    case TOE_BAD_ARG: return "TOE_BAD_ARG";
    case TOE_UNKNOWN_DEVICE: return "TOE_UNKNOWN_DEVICE";
    case TOE_BUS_ERROR: return "TOE_BUS_ERROR";
    case TOE_QUEUE_FULL: return "TOE_QUEUE_FULL";
    case TOE_CONN_TIMED_OUT: return "TOE_CONN_TIMED_OUT";
    case TOE_NO_RESOURCES: return "TOE_NO_RESOURCES";
    case TOE_TRANSPORT_ERROR: return "TOE_TRANSPORT_ERROR";
    case TOE_NO_ROUTE: return "TOE_NO_ROUTE";
    case TOE_NO_FIRMWARE: return "TOE_NO_FIRMWARE";
  }
  return "TOE_?";
}

/* ---- register access ------------------------------------------------------------------- */

/* After a failed access: LINK_DOWN -> TRANSPORT_ERROR; an error response -> LAST_ERROR read
 * into dev->last_bus_error, then NO_CONN for a session the device says is free, else
 * BUS_ERROR. The selection is forgotten (the next access re-selects). */
static toe_result_t bus_fail(toe_dev_t *dev, toe_bus_status_t st) {
  dev->selected = TOE_NO_SESSION;
  if (st == TOE_BUS_LINK_DOWN) return TOE_TRANSPORT_ERROR;
  uint32_t le = 0;
  const toe_bus_status_t st2 = dev->mmio.read32(dev->mmio.ctx, TOE_REG_LAST_ERROR_OFFSET, &le);
  if (st2 == TOE_BUS_LINK_DOWN) return TOE_TRANSPORT_ERROR;
  dev->last_bus_error = st2 == TOE_BUS_OK ? le : 0;
  if (TOE_REG_FIELD_GET(dev->last_bus_error, LAST_ERROR, CODE) == TOE_REG_LAST_ERROR_CODE_NO_CONN) return TOE_NO_CONN;
  if (TOE_REG_FIELD_GET(dev->last_bus_error, LAST_ERROR, CODE) == TOE_REG_LAST_ERROR_CODE_NO_FIRMWARE)
    return TOE_NO_FIRMWARE;
  return TOE_BUS_ERROR;
}

static toe_result_t rd(toe_dev_t *dev, uint32_t offset, uint32_t *value) {
  const toe_bus_status_t st = dev->mmio.read32(dev->mmio.ctx, offset, value);
  return st == TOE_BUS_OK ? TOE_OK : bus_fail(dev, st);
}

static toe_result_t wr_be(toe_dev_t *dev, uint32_t offset, uint32_t value, uint8_t be) {
  const toe_bus_status_t st = dev->mmio.write32(dev->mmio.ctx, offset, value, be);
  return st == TOE_BUS_OK ? TOE_OK : bus_fail(dev, st);
}

static toe_result_t wr(toe_dev_t *dev, uint32_t offset, uint32_t value) { return wr_be(dev, offset, value, 0xF); }

static toe_result_t select_conn(toe_dev_t *dev, uint32_t conn) {
  if (dev->selected == conn) return TOE_OK;
  const toe_result_t r = wr(dev, TOE_REG_CONN_SEL_OFFSET, conn);
  if (r == TOE_OK) dev->selected = conn;
  return r;
}

static uint32_t mac_lo(const uint8_t m[6]) {
  return (uint32_t)m[2] << 24 | (uint32_t)m[3] << 16 | (uint32_t)m[4] << 8 | m[5];
}
static uint32_t mac_hi(const uint8_t m[6]) { return (uint32_t)m[0] << 8 | m[1]; }

/* Queue command `op` (for `conn` if the opcode names one; CMD_VALUE first if has_value). A
 * full queue (LAST_ERROR.CODE QUEUE_FULL) is retried, watching CMD_STATUS, for the handle's
 * command timeout. */
static toe_result_t command(toe_dev_t *dev, uint32_t op, uint32_t conn, int has_value, uint32_t value) {
  toe_result_t r;
  if ((TOE_CMD_CONN_MASK >> op) & 1u) {
    r = select_conn(dev, conn);
    if (r != TOE_OK) return r;
  }
  if (has_value) {
    r = wr(dev, TOE_REG_CMD_VALUE_OFFSET, value);
    if (r != TOE_OK) return r;
  }
  r = wr(dev, TOE_REG_CMD_OFFSET, op);
  if (r != TOE_BUS_ERROR ||
      TOE_REG_FIELD_GET(dev->last_bus_error, LAST_ERROR, CODE) != TOE_REG_LAST_ERROR_CODE_QUEUE_FULL) {
    return r;
  }
  /* The refused write changed nothing (CONN_SEL and the arguments stand): retry CMD alone. */
  dev->selected = (TOE_CMD_CONN_MASK >> op) & 1u ? conn : dev->selected;
  const uint64_t deadline = dev->mmio.now_us(dev->mmio.ctx) + dev->cfg.cmd_timeout_us;
  for (;;) {
    uint32_t status = 0;
    r = rd(dev, TOE_REG_CMD_STATUS_OFFSET, &status);
    if (r != TOE_OK) return r;
    if (TOE_REG_FIELD_GET(status, CMD_STATUS, PENDING) < TOE_REG_FIELD_GET(status, CMD_STATUS, DEPTH)) {
      r = wr(dev, TOE_REG_CMD_OFFSET, op);
      if (r != TOE_BUS_ERROR ||
          TOE_REG_FIELD_GET(dev->last_bus_error, LAST_ERROR, CODE) != TOE_REG_LAST_ERROR_CODE_QUEUE_FULL) {
        return r;
      }
      dev->selected = (TOE_CMD_CONN_MASK >> op) & 1u ? conn : dev->selected;
    }
    if (dev->mmio.now_us(dev->mmio.ctx) >= deadline) return TOE_QUEUE_FULL;
  }
}

/* ---- events ---------------------------------------------------------------------------- */

static toe_pending_connect_t *find_pending(toe_dev_t *dev, uint32_t tag) {
  if (tag == 0) return NULL;
  for (uint32_t i = 0; i < TOE_MAX_PENDING_CONNECTS; ++i) {
    if (dev->pending[i].tag == tag) return &dev->pending[i];
  }
  return NULL;
}

static void free_pending(toe_pending_connect_t *p) {
  p->tag = 0;
  p->conn = TOE_NO_SESSION;
  p->failed = 0;
  p->no_route = 0;
  p->cancel = 0;
}

static uint32_t capacity(const toe_dev_t *dev) {
  return dev->n_conns < dev->info.sessions ? dev->n_conns : dev->info.sessions;
}

/* An attempt that ended before it had a connection: connect_failed, or (no_route) the
 * firmware's ARP got no answer. A cancelled attempt is forgotten. */
static void pending_failed(toe_dev_t *dev, uint32_t tag, int no_route) {
  toe_pending_connect_t *p = find_pending(dev, tag);
  if (p == NULL) {
    ++dev->unknown_events;
  } else if (p->cancel) {
    free_pending(p);
  } else if (no_route) {
    p->no_route = 1;
  } else {
    p->failed = 1;
  }
}

static toe_result_t dispatch(toe_dev_t *dev, uint32_t ev, uint32_t conn, uint32_t value) {
  const uint32_t type = TOE_REG_FIELD_GET(ev, EVQ_EVENT, EVT);
  const uint16_t lport = (uint16_t)TOE_REG_FIELD_GET(ev, EVQ_EVENT, LPORT);
  if (dev->cfg.event_hook) dev->cfg.event_hook(dev->cfg.event_hook_ctx, type, conn, value);
  const int known = conn < capacity(dev);
  toe_conn_t *c = known ? &dev->conns[conn] : NULL;
  switch (type) {
    case TOE_EVT_OPENED: {
      toe_pending_connect_t *p = find_pending(dev, value);
      if (!known || p == NULL) {
        ++dev->unknown_events;
        return TOE_OK;
      }
      memset(c, 0, sizeof *c);
      c->in_use = 1;
      c->tag = value;
      c->lport = lport;
      p->conn = conn;
      if (p->cancel) {
        free_pending(p);
        c->aborted = 1;
        return command(dev, TOE_CMD_ABORT, conn, 0, 0);
      }
      return TOE_OK;
    }
    case TOE_EVT_CONNECT_FAILED:
      pending_failed(dev, value, 0);
      return TOE_OK;
    case TOE_EVT_TIMED_OUT:
      if (conn != TOE_NO_SESSION) break;  /* a connection's: below */
      pending_failed(dev, value, 1);      /* a connect by IP address: no_route */
      return TOE_OK;
    case TOE_EVT_ACCEPTED:
      if (!known) {
        ++dev->unknown_events;
        return TOE_OK;
      }
      memset(c, 0, sizeof *c);
      c->in_use = 1;
      c->established = 1;
      c->accept_ready = 1;
      c->lport = lport;
      c->accept_seq = dev->accept_count++;
      return TOE_OK;
    case TOE_EVT_SYN_DROPPED:
      ++dev->syn_dropped;
      return TOE_OK;
    default:
      break;
  }
  if (c == NULL || !c->in_use) {
    ++dev->unknown_events;
    return TOE_OK;
  }
  switch (type) {
    case TOE_EVT_CONNECTED: c->established = 1; break;
    case TOE_EVT_DATA: c->rx_wr = value; break;
    case TOE_EVT_ACKED: c->acked = value; break;
    case TOE_EVT_PEER_CLOSED: c->peer_closed = 1; break;
    case TOE_EVT_CLOSED: c->closed = 1; break;
    case TOE_EVT_RESET: c->reset = 1; break;
    case TOE_EVT_TIMED_OUT: c->timed_out = 1; break;
    default: ++dev->unknown_events; break;
  }
  return TOE_OK;
}

/* Take every queued event (at most kMaxEventsPerPoll): EVQ_EVENT (0: empty), EVQ_CONN,
 * EVQ_VALUE, EVQ_POP. */
static toe_result_t poll_events(toe_dev_t *dev, uint32_t *taken) {
  uint32_t n = 0;
  toe_result_t r = TOE_OK;
  while (n < kMaxEventsPerPoll) {
    uint32_t ev = 0, conn = 0, value = 0;
    r = rd(dev, TOE_REG_EVQ_EVENT_OFFSET, &ev);
    if (r != TOE_OK || TOE_REG_FIELD_GET(ev, EVQ_EVENT, EVT) == 0) break;
    if ((r = rd(dev, TOE_REG_EVQ_CONN_OFFSET, &conn)) != TOE_OK) break;
    if ((r = rd(dev, TOE_REG_EVQ_VALUE_OFFSET, &value)) != TOE_OK) break;
    if ((r = wr(dev, TOE_REG_EVQ_POP_OFFSET, TOE_REG_EVQ_POP_POP_MASK)) != TOE_OK) break;
    ++n;
    if ((r = dispatch(dev, ev, conn, value)) != TOE_OK) break;
  }
  if (taken) *taken = n;
  return r;
}

/* ---- blocking ---------------------------------------------------------------------------- */

typedef toe_result_t (*try_fn)(toe_dev_t *dev, void *arg);

/* Poll and try until `fn` returns anything but WOULD_BLOCK, or the timeout passes. */
static toe_result_t run_blocking(toe_dev_t *dev, uint32_t timeout_us, try_fn fn, void *arg) {
  uint64_t deadline = 0;
  int started = 0;
  for (;;) {
    toe_result_t r;
    if (timeout_us != 0) {
      r = wr(dev, TOE_REG_INTR_STATE_OFFSET, TOE_REG_INTR_STATE_EVQ_NOT_EMPTY_MASK);
      if (r != TOE_OK) return r;
    }
    r = poll_events(dev, NULL);
    if (r != TOE_OK) return r;
    r = fn(dev, arg);
    if (r != TOE_WOULD_BLOCK || timeout_us == 0) return r;
    const uint64_t now = dev->mmio.now_us(dev->mmio.ctx);
    if (!started) {
      deadline = now + timeout_us;
      started = 1;
    }
    if (now >= deadline) return TOE_TIMED_OUT;
    const uint64_t left = deadline - now;
    const toe_bus_status_t st = dev->mmio.wait(dev->mmio.ctx, left > kWaitSliceUs ? kWaitSliceUs : (uint32_t)left);
    if (st == TOE_BUS_LINK_DOWN) return TOE_TRANSPORT_ERROR;
  }
}

/* ---- open and configure ------------------------------------------------------------------ */

/* The buffer sizes: the device's TX_BUF_BYTES / RX_BUF_BYTES (map 0.3+), checked against the
 * configuration; on an older device the configuration or the defaults. */
static toe_result_t open_buffers(toe_dev_t *dev) {
  uint32_t tx = TOE_PARAM_TX_BUF_BYTES_DEFAULT, rx = TOE_PARAM_RX_BUF_BYTES_DEFAULT;
  if (TOE_REG_FIELD_GET(dev->info.version, VERSION, MINOR) >= 3u || TOE_REG_FIELD_GET(dev->info.version, VERSION, MAJOR) > 0u) {
    toe_result_t r = rd(dev, TOE_REG_TX_BUF_BYTES_OFFSET, &tx);
    if (r != TOE_OK) return r;
    if ((r = rd(dev, TOE_REG_RX_BUF_BYTES_OFFSET, &rx)) != TOE_OK) return r;
    if (tx == 0 || rx == 0) return TOE_BAD_ARG;  /* larger than a window is fine: WIN_BASE slides */
    if ((dev->cfg.tx_buf_bytes != 0 && dev->cfg.tx_buf_bytes != tx) ||
        (dev->cfg.rx_buf_bytes != 0 && dev->cfg.rx_buf_bytes != rx))
      return TOE_BAD_ARG;
  } else {
    if (dev->cfg.tx_buf_bytes != 0) tx = dev->cfg.tx_buf_bytes;
    if (dev->cfg.rx_buf_bytes != 0) rx = dev->cfg.rx_buf_bytes;
  }
  dev->cfg.tx_buf_bytes = dev->info.tx_buf_bytes = tx;
  dev->cfg.rx_buf_bytes = dev->info.rx_buf_bytes = rx;
  return TOE_OK;
}

toe_result_t toe_open(toe_dev_t *dev, const toe_mmio_t *mmio, toe_conn_t *conns, uint32_t n_conns,
                      const toe_config_t *cfg) {
  if (dev == NULL || mmio == NULL || conns == NULL || n_conns == 0 || mmio->read32 == NULL ||
      mmio->write32 == NULL || mmio->wait == NULL || mmio->now_us == NULL) {
    return TOE_BAD_ARG;
  }
  memset(dev, 0, sizeof *dev);
  dev->mmio = *mmio;
  if (cfg) dev->cfg = *cfg;
  if (dev->cfg.cmd_timeout_us == 0) dev->cfg.cmd_timeout_us = kCmdTimeoutUsDefault;
  dev->conns = conns;
  dev->n_conns = n_conns;
  dev->selected = TOE_NO_SESSION;
  dev->next_tag = 1;
  for (uint32_t i = 0; i < TOE_MAX_PENDING_CONNECTS; ++i) free_pending(&dev->pending[i]);
  memset(conns, 0, sizeof *conns * n_conns);

  toe_result_t r = rd(dev, TOE_REG_TYPE_OFFSET, &dev->info.type);
  if (r != TOE_OK) return r;
  if (dev->info.type != TOE_DEVICE_TYPE) return TOE_UNKNOWN_DEVICE;
  r = rd(dev, TOE_REG_VERSION_OFFSET, &dev->info.version);
  if (r != TOE_OK) return r;
  if (TOE_REG_FIELD_GET(dev->info.version, VERSION, MAJOR) != kDriverMajor) return TOE_UNKNOWN_DEVICE;
  r = rd(dev, TOE_REG_SESSIONS_OFFSET, &dev->info.sessions);
  if (r != TOE_OK) return r;
  if (n_conns < dev->info.sessions) return TOE_NO_RESOURCES;
  return open_buffers(dev);
}

toe_result_t toe_device_info(const toe_dev_t *dev, toe_device_info_t *info) {
  if (dev == NULL || info == NULL) return TOE_BAD_ARG;
  *info = dev->info;
  return TOE_OK;
}

uint32_t toe_last_bus_error(const toe_dev_t *dev) { return dev ? dev->last_bus_error : 0; }

toe_result_t toe_configure(toe_dev_t *dev, const toe_net_config_t *net) {
  if (dev == NULL || net == NULL) return TOE_BAD_ARG;
  toe_result_t r;
  if ((r = wr(dev, TOE_REG_MAC_ADDR_LO_OFFSET, mac_lo(net->mac))) != TOE_OK) return r;
  if ((r = wr(dev, TOE_REG_MAC_ADDR_HI_OFFSET, mac_hi(net->mac))) != TOE_OK) return r;
  if ((r = wr(dev, TOE_REG_IPV4_ADDR_OFFSET, net->ipv4)) != TOE_OK) return r;
  if (net->mss != 0 && (r = wr(dev, TOE_REG_MSS_OFFSET, net->mss)) != TOE_OK) return r;
  if ((r = wr(dev, TOE_REG_INTR_ENABLE_OFFSET, TOE_REG_INTR_ENABLE_EVQ_NOT_EMPTY_MASK)) != TOE_OK) return r;
  return wr(dev, TOE_REG_CTRL_OFFSET, net->enable ? TOE_REG_CTRL_ENABLE_MASK : 0u);
}

static toe_result_t port_command(toe_dev_t *dev, uint16_t port, uint32_t op) {
  if (dev == NULL || port == 0) return TOE_BAD_ARG;
  const toe_result_t r = wr(dev, TOE_REG_CMD_PORTS_OFFSET, TOE_REG_FIELD_PREP(CMD_PORTS, PORT, port));
  if (r != TOE_OK) return r;
  return command(dev, op, 0, 0, 0);
}

toe_result_t toe_listen(toe_dev_t *dev, uint16_t port) { return port_command(dev, port, TOE_CMD_LISTEN); }

toe_result_t toe_unlisten(toe_dev_t *dev, uint16_t port) { return port_command(dev, port, TOE_CMD_UNLISTEN); }

toe_result_t toe_poll(toe_dev_t *dev, uint32_t *events) {
  if (dev == NULL) return TOE_BAD_ARG;
  return poll_events(dev, events);
}

toe_result_t toe_wait_event(toe_dev_t *dev, uint32_t timeout_us, uint32_t *events) {
  if (dev == NULL) return TOE_BAD_ARG;
  uint32_t taken = 0;
  uint64_t deadline = 0;
  int started = 0;
  for (;;) {
    toe_result_t r;
    uint32_t n = 0;
    if (timeout_us != 0) {
      r = wr(dev, TOE_REG_INTR_STATE_OFFSET, TOE_REG_INTR_STATE_EVQ_NOT_EMPTY_MASK);
      if (r != TOE_OK) return r;
    }
    r = poll_events(dev, &n);
    taken += n;
    if (events) *events = taken;
    if (r != TOE_OK) return r;
    if (taken > 0) return TOE_OK;
    if (timeout_us == 0) return TOE_WOULD_BLOCK;
    const uint64_t now = dev->mmio.now_us(dev->mmio.ctx);
    if (!started) {
      deadline = now + timeout_us;
      started = 1;
    }
    if (now >= deadline) return TOE_TIMED_OUT;
    const uint64_t left = deadline - now;
    const toe_bus_status_t st = dev->mmio.wait(dev->mmio.ctx, left > kWaitSliceUs ? kWaitSliceUs : (uint32_t)left);
    if (st == TOE_BUS_LINK_DOWN) return TOE_TRANSPORT_ERROR;
  }
}

/* ---- connections ------------------------------------------------------------------------- */

/* The connection, if the driver holds it open: NO_CONN (out of range, not in use, not yet
 * established), CLOSED (aborted), RESET, CONN_TIMED_OUT. */
static toe_result_t open_conn(toe_dev_t *dev, uint32_t conn, toe_conn_t **out) {
  if (conn >= capacity(dev)) return TOE_NO_CONN;
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
  for (uint32_t i = 0; i < capacity(dev); ++i) {
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
  return run_blocking(dev, timeout_us, try_accept, &a);
}

toe_result_t toe_connect_start(toe_dev_t *dev, const toe_connect_params_t *params, uint32_t *tag) {
  if (dev == NULL || params == NULL || tag == NULL || params->port == 0 || params->lport == 0) return TOE_BAD_ARG;
  toe_pending_connect_t *p = NULL;
  for (uint32_t i = 0; i < TOE_MAX_PENDING_CONNECTS && p == NULL; ++i) {
    if (dev->pending[i].tag == 0) p = &dev->pending[i];
  }
  if (p == NULL) return TOE_NO_RESOURCES;
  /* No MAC: a connect by IP address, which needs a device whose firmware resolves it (0.4+). */
  const int by_ip = (mac_lo(params->peer_mac) | mac_hi(params->peer_mac)) == 0;
  if (by_ip && TOE_REG_FIELD_GET(dev->info.version, VERSION, MAJOR) == 0 &&
      TOE_REG_FIELD_GET(dev->info.version, VERSION, MINOR) < 4u)
    return TOE_BAD_ARG;
  const uint32_t t = dev->next_tag;
  dev->next_tag = dev->next_tag + 1 == 0 ? 1 : dev->next_tag + 1;
  toe_result_t r;
  if ((r = wr(dev, TOE_REG_CMD_IP_OFFSET, params->ipv4)) != TOE_OK) return r;
  if ((r = wr(dev, TOE_REG_CMD_PORTS_OFFSET,
              TOE_REG_FIELD_PREP(CMD_PORTS, LPORT, params->lport) | TOE_REG_FIELD_PREP(CMD_PORTS, PORT, params->port))) !=
      TOE_OK) {
    return r;
  }
  if ((r = wr(dev, TOE_REG_CMD_MAC_LO_OFFSET, mac_lo(params->peer_mac))) != TOE_OK) return r;
  if ((r = wr(dev, TOE_REG_CMD_MAC_HI_OFFSET, mac_hi(params->peer_mac))) != TOE_OK) return r;
  if ((r = wr(dev, TOE_REG_CMD_TAG_OFFSET, t)) != TOE_OK) return r;
  if ((r = command(dev, TOE_CMD_CONNECT, 0, 0, 0)) != TOE_OK) return r;
  free_pending(p);
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
  toe_pending_connect_t *p = find_pending(dev, a->tag);
  if (p == NULL || p->cancel) return TOE_BAD_ARG;
  if (p->failed || p->no_route) {
    const toe_result_t r = p->failed ? TOE_REFUSED : TOE_NO_ROUTE;
    free_pending(p);
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
  if (r != TOE_WOULD_BLOCK) free_pending(p);
  return r;
}

toe_result_t toe_connect_wait(toe_dev_t *dev, uint32_t tag, uint32_t timeout_us, uint32_t *conn) {
  if (dev == NULL || conn == NULL || find_pending(dev, tag) == NULL) return TOE_BAD_ARG;
  connect_arg_t a = {tag, conn};
  return run_blocking(dev, timeout_us, try_connect, &a);
}

toe_result_t toe_connect_cancel(toe_dev_t *dev, uint32_t tag) {
  if (dev == NULL) return TOE_BAD_ARG;
  toe_pending_connect_t *p = find_pending(dev, tag);
  if (p == NULL) return TOE_BAD_ARG;
  if (p->conn == TOE_NO_SESSION) {
    p->cancel = 1;  /* aborted when event opened names it (dispatch) */
    return TOE_OK;
  }
  const uint32_t conn = p->conn;
  free_pending(p);
  toe_conn_t *c = &dev->conns[conn];
  if (c->reset || c->closed || c->timed_out || c->aborted) return TOE_OK;
  c->aborted = 1;
  return command(dev, TOE_CMD_ABORT, conn, 0, 0);
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
  toe_result_t r = select_conn(dev, conn);
  if (r != TOE_OK) return r;
  while (n > 0) {
    const uint32_t lead = at & 3u;
    const uint32_t piece = min_u32(n, limit - lead);
    if ((r = wr(dev, TOE_REG_TX_WIN_BASE_OFFSET, at & ~3u)) != TOE_OK) return r;
    for (uint32_t w = 0; w < lead + piece; w += 4) {
      uint32_t v = 0;
      uint8_t be = 0;
      for (uint32_t i = 0; i < 4; ++i) {
        if (w + i < lead || w + i >= lead + piece) continue;
        v |= (uint32_t)src[w + i - lead] << (8 * i);
        be = (uint8_t)(be | (1u << i));
      }
      if ((r = wr_be(dev, TOE_REG_TX_WINDOW_BASE + w, v, be)) != TOE_OK) return r;
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
  toe_result_t r = select_conn(dev, conn);
  if (r != TOE_OK) return r;
  while (n > 0) {
    const uint32_t lead = from & 3u;
    const uint32_t piece = min_u32(n, limit - lead);
    if ((r = wr(dev, TOE_REG_RX_WIN_BASE_OFFSET, from & ~3u)) != TOE_OK) return r;
    for (uint32_t w = 0; w < lead + piece; w += 4) {
      uint32_t v = 0;
      if ((r = rd(dev, TOE_REG_RX_WINDOW_BASE + w, &v)) != TOE_OK) return r;
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
  if ((r = command(dev, TOE_CMD_TX_PUSH, a->conn, 1, c->tx_wr + n)) != TOE_OK) return r;
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
  return run_blocking(dev, timeout_us, try_send, &a);
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
  return command(dev, TOE_CMD_RX_CONSUME, a->conn, 1, c->rx_rd);
}

toe_result_t toe_recv(toe_dev_t *dev, uint32_t conn, void *buf, size_t cap, uint32_t timeout_us,
                      size_t *received) {
  if (dev == NULL || buf == NULL || cap == 0 || received == NULL) return TOE_BAD_ARG;
  *received = 0;
  io_arg_t a = {conn, (const uint8_t *)buf, cap, received};
  return run_blocking(dev, timeout_us, try_recv, &a);
}

toe_result_t toe_acked(toe_dev_t *dev, uint32_t conn, uint32_t *acked, uint32_t *unacked) {
  if (dev == NULL || acked == NULL) return TOE_BAD_ARG;
  const toe_result_t r = poll_events(dev, NULL);
  if (r != TOE_OK) return r;
  if (conn >= capacity(dev) || !dev->conns[conn].in_use) return TOE_NO_CONN;
  const toe_conn_t *c = &dev->conns[conn];
  *acked = c->acked;
  if (unacked) *unacked = c->tx_wr - c->acked;
  return TOE_OK;
}

toe_result_t toe_shutdown(toe_dev_t *dev, uint32_t conn) {
  if (dev == NULL) return TOE_BAD_ARG;
  toe_result_t r = poll_events(dev, NULL);
  if (r != TOE_OK) return r;
  toe_conn_t *c = NULL;
  if ((r = open_conn(dev, conn, &c)) != TOE_OK) return r;
  if (c->shut) return TOE_OK;
  if (c->closed) return TOE_CLOSED;
  if ((r = command(dev, TOE_CMD_CLOSE, conn, 0, 0)) != TOE_OK) return r;
  c->shut = 1;
  return TOE_OK;
}

toe_result_t toe_abort(toe_dev_t *dev, uint32_t conn) {
  if (dev == NULL) return TOE_BAD_ARG;
  const toe_result_t r = poll_events(dev, NULL);
  if (r != TOE_OK) return r;
  if (conn >= capacity(dev) || !dev->conns[conn].in_use) return TOE_NO_CONN;
  toe_conn_t *c = &dev->conns[conn];
  if (c->aborted) return TOE_OK;
  c->aborted = 1;
  c->accept_ready = 0;
  if (c->reset || c->closed || c->timed_out) return TOE_OK;  /* the engine freed it already */
  return command(dev, TOE_CMD_ABORT, conn, 0, 0);
}

toe_result_t toe_conn_info(toe_dev_t *dev, uint32_t conn, toe_conn_info_t *info) {
  if (dev == NULL || info == NULL) return TOE_BAD_ARG;
  if (conn >= dev->info.sessions) return TOE_NO_CONN;
  toe_result_t r = select_conn(dev, conn);
  if (r != TOE_OK) return r;
  uint32_t st = 0, ports = 0, tx_wr = 0, rx_wr = 0, rx_rd = 0, iss = 0;
  memset(info, 0, sizeof *info);
  if ((r = rd(dev, TOE_REG_CONN_STATE_OFFSET, &st)) != TOE_OK) return r;
  if ((r = rd(dev, TOE_REG_CONN_PORTS_OFFSET, &ports)) != TOE_OK) return r;
  if ((r = rd(dev, TOE_REG_CONN_REMOTE_IP_OFFSET, &info->remote_ipv4)) != TOE_OK) return r;
  if ((r = rd(dev, TOE_REG_CONN_SND_UNA_OFFSET, &info->snd_una)) != TOE_OK) return r;
  if ((r = rd(dev, TOE_REG_CONN_SND_NXT_OFFSET, &info->snd_nxt)) != TOE_OK) return r;
  if ((r = rd(dev, TOE_REG_CONN_RCV_NXT_OFFSET, &info->rcv_nxt)) != TOE_OK) return r;
  if ((r = rd(dev, TOE_REG_CONN_SND_WND_OFFSET, &info->snd_wnd)) != TOE_OK) return r;
  if ((r = rd(dev, TOE_REG_CONN_RX_WR_OFFSET, &rx_wr)) != TOE_OK) return r;
  if ((r = rd(dev, TOE_REG_CONN_RX_RD_OFFSET, &rx_rd)) != TOE_OK) return r;
  if ((r = rd(dev, TOE_REG_CONN_TX_WR_OFFSET, &tx_wr)) != TOE_OK) return r;
  if ((r = rd(dev, TOE_REG_CONN_ISS_OFFSET, &iss)) != TOE_OK) return r;
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
