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
 *
 * This file: register access, commands, events, blocking, open and configure. The connection
 * and data calls are in toe_driver_conn.c; the helpers both use are declared (toe_drv_*) in
 * toe_driver_internal.h.
 */
#include "toe/toe_driver.h"

#include <string.h>

#include "toe_defs.h"
#include "toe_driver_internal.h"
#include "toe_regs.h"

enum {
  kWaitSliceUs = 10000,      /* longest single wait: a missed interrupt costs at most this */
  kCmdTimeoutUsDefault = 1000,
  kMaxEventsPerPoll = 256,   /* a poll ends after this many events (the queue may refill) */
};


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

toe_result_t toe_drv_rd(toe_dev_t *dev, uint32_t offset, uint32_t *value) {
  const toe_bus_status_t st = dev->mmio.read32(dev->mmio.ctx, offset, value);
  return st == TOE_BUS_OK ? TOE_OK : bus_fail(dev, st);
}

toe_result_t toe_drv_wr_be(toe_dev_t *dev, uint32_t offset, uint32_t value, uint8_t be) {
  const toe_bus_status_t st = dev->mmio.write32(dev->mmio.ctx, offset, value, be);
  return st == TOE_BUS_OK ? TOE_OK : bus_fail(dev, st);
}

toe_result_t toe_drv_wr(toe_dev_t *dev, uint32_t offset, uint32_t value) { return toe_drv_wr_be(dev, offset, value, 0xF); }

toe_result_t toe_drv_select_conn(toe_dev_t *dev, uint32_t conn) {
  if (dev->selected == conn) return TOE_OK;
  const toe_result_t r = toe_drv_wr(dev, TOE_REG_CONN_SEL_OFFSET, conn);
  if (r == TOE_OK) dev->selected = conn;
  return r;
}

uint32_t toe_drv_mac_lo(const uint8_t m[6]) {
  return (uint32_t)m[2] << 24 | (uint32_t)m[3] << 16 | (uint32_t)m[4] << 8 | m[5];
}
uint32_t toe_drv_mac_hi(const uint8_t m[6]) { return (uint32_t)m[0] << 8 | m[1]; }

/* Queue command `op` (for `conn` if the opcode names one; CMD_VALUE first if has_value). A
 * full queue (LAST_ERROR.CODE QUEUE_FULL) is retried, watching CMD_STATUS, for the handle's
 * command timeout. */
toe_result_t toe_drv_command(toe_dev_t *dev, uint32_t op, uint32_t conn, int has_value, uint32_t value) {
  toe_result_t r;
  if ((TOE_CMD_CONN_MASK >> op) & 1u) {
    r = toe_drv_select_conn(dev, conn);
    if (r != TOE_OK) return r;
  }
  if (has_value) {
    r = toe_drv_wr(dev, TOE_REG_CMD_VALUE_OFFSET, value);
    if (r != TOE_OK) return r;
  }
  r = toe_drv_wr(dev, TOE_REG_CMD_OFFSET, op);
  if (r != TOE_BUS_ERROR ||
      TOE_REG_FIELD_GET(dev->last_bus_error, LAST_ERROR, CODE) != TOE_REG_LAST_ERROR_CODE_QUEUE_FULL) {
    return r;
  }
  /* The refused write changed nothing (CONN_SEL and the arguments stand): retry CMD alone. */
  dev->selected = (TOE_CMD_CONN_MASK >> op) & 1u ? conn : dev->selected;
  const uint64_t deadline = dev->mmio.now_us(dev->mmio.ctx) + dev->cfg.cmd_timeout_us;
  for (;;) {
    uint32_t status = 0;
    r = toe_drv_rd(dev, TOE_REG_CMD_STATUS_OFFSET, &status);
    if (r != TOE_OK) return r;
    if (TOE_REG_FIELD_GET(status, CMD_STATUS, PENDING) < TOE_REG_FIELD_GET(status, CMD_STATUS, DEPTH)) {
      r = toe_drv_wr(dev, TOE_REG_CMD_OFFSET, op);
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

toe_pending_connect_t *toe_drv_find_pending(toe_dev_t *dev, uint32_t tag) {
  if (tag == 0) return NULL;
  for (uint32_t i = 0; i < TOE_MAX_PENDING_CONNECTS; ++i) {
    if (dev->pending[i].tag == tag) return &dev->pending[i];
  }
  return NULL;
}

void toe_drv_free_pending(toe_pending_connect_t *p) {
  p->tag = 0;
  p->conn = TOE_NO_SESSION;
  p->failed = 0;
  p->no_route = 0;
  p->cancel = 0;
}

uint32_t toe_drv_capacity(const toe_dev_t *dev) {
  return dev->n_conns < dev->info.sessions ? dev->n_conns : dev->info.sessions;
}

/* An attempt that ended before it had a connection: connect_failed, or (no_route) the
 * firmware's ARP got no answer. A cancelled attempt is forgotten. */
static void pending_failed(toe_dev_t *dev, uint32_t tag, int no_route) {
  toe_pending_connect_t *p = toe_drv_find_pending(dev, tag);
  if (p == NULL) {
    ++dev->unknown_events;
  } else if (p->cancel) {
    toe_drv_free_pending(p);
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
  const int known = conn < toe_drv_capacity(dev);
  toe_conn_t *c = known ? &dev->conns[conn] : NULL;
  switch (type) {
    case TOE_EVT_OPENED: {
      toe_pending_connect_t *p = toe_drv_find_pending(dev, value);
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
        toe_drv_free_pending(p);
        c->aborted = 1;
        return toe_drv_command(dev, TOE_CMD_ABORT, conn, 0, 0);
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
toe_result_t toe_drv_poll_events(toe_dev_t *dev, uint32_t *taken) {
  uint32_t n = 0;
  toe_result_t r = TOE_OK;
  while (n < kMaxEventsPerPoll) {
    uint32_t ev = 0, conn = 0, value = 0;
    r = toe_drv_rd(dev, TOE_REG_EVQ_EVENT_OFFSET, &ev);
    if (r != TOE_OK || TOE_REG_FIELD_GET(ev, EVQ_EVENT, EVT) == 0) break;
    if ((r = toe_drv_rd(dev, TOE_REG_EVQ_CONN_OFFSET, &conn)) != TOE_OK) break;
    if ((r = toe_drv_rd(dev, TOE_REG_EVQ_VALUE_OFFSET, &value)) != TOE_OK) break;
    if ((r = toe_drv_wr(dev, TOE_REG_EVQ_POP_OFFSET, TOE_REG_EVQ_POP_POP_MASK)) != TOE_OK) break;
    ++n;
    if ((r = dispatch(dev, ev, conn, value)) != TOE_OK) break;
  }
  if (taken) *taken = n;
  return r;
}

/* ---- blocking ---------------------------------------------------------------------------- */


/* Poll and try until `fn` returns anything but WOULD_BLOCK, or the timeout passes. */
toe_result_t toe_drv_run_blocking(toe_dev_t *dev, uint32_t timeout_us, toe_drv_try_fn fn, void *arg) {
  uint64_t deadline = 0;
  int started = 0;
  for (;;) {
    toe_result_t r;
    if (timeout_us != 0) {
      r = toe_drv_wr(dev, TOE_REG_INTR_STATE_OFFSET, TOE_REG_INTR_STATE_EVQ_NOT_EMPTY_MASK);
      if (r != TOE_OK) return r;
    }
    r = toe_drv_poll_events(dev, NULL);
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
    toe_result_t r = toe_drv_rd(dev, TOE_REG_TX_BUF_BYTES_OFFSET, &tx);
    if (r != TOE_OK) return r;
    if ((r = toe_drv_rd(dev, TOE_REG_RX_BUF_BYTES_OFFSET, &rx)) != TOE_OK) return r;
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

/* STATUS.READY: the engine is out of reset and its tables are initialised (a clock per session
 * after a reset); until then it takes no frame and no command. Read until it is 1, for the
 * command timeout from the first read that found it 0 (a ready device costs one read). */
static toe_result_t wait_ready(toe_dev_t *dev) {
  uint64_t deadline = 0;
  for (int first = 1;; first = 0) {
    uint32_t status = 0;
    const toe_result_t r = toe_drv_rd(dev, TOE_REG_STATUS_OFFSET, &status);
    if (r != TOE_OK) return r;
    if (TOE_REG_FIELD_GET(status, STATUS, READY)) return TOE_OK;
    const uint64_t now = dev->mmio.now_us(dev->mmio.ctx);
    if (first) {
      deadline = now + dev->cfg.cmd_timeout_us;
    } else if (now >= deadline) {
      return TOE_TIMED_OUT;
    }
  }
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
  for (uint32_t i = 0; i < TOE_MAX_PENDING_CONNECTS; ++i) toe_drv_free_pending(&dev->pending[i]);
  memset(conns, 0, sizeof *conns * n_conns);

  toe_result_t r = toe_drv_rd(dev, TOE_REG_TYPE_OFFSET, &dev->info.type);
  if (r != TOE_OK) return r;
  if (dev->info.type != TOE_DEVICE_TYPE) return TOE_UNKNOWN_DEVICE;
  r = toe_drv_rd(dev, TOE_REG_VERSION_OFFSET, &dev->info.version);
  if (r != TOE_OK) return r;
  if (TOE_REG_FIELD_GET(dev->info.version, VERSION, MAJOR) != kDriverMajor) return TOE_UNKNOWN_DEVICE;
  r = toe_drv_rd(dev, TOE_REG_SESSIONS_OFFSET, &dev->info.sessions);
  if (r != TOE_OK) return r;
  if (n_conns < dev->info.sessions) return TOE_NO_RESOURCES;
  r = open_buffers(dev);
  if (r != TOE_OK) return r;
  return wait_ready(dev);
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
  if ((r = toe_drv_wr(dev, TOE_REG_MAC_ADDR_LO_OFFSET, toe_drv_mac_lo(net->mac))) != TOE_OK) return r;
  if ((r = toe_drv_wr(dev, TOE_REG_MAC_ADDR_HI_OFFSET, toe_drv_mac_hi(net->mac))) != TOE_OK) return r;
  if ((r = toe_drv_wr(dev, TOE_REG_IPV4_ADDR_OFFSET, net->ipv4)) != TOE_OK) return r;
  if (net->mss != 0 && (r = toe_drv_wr(dev, TOE_REG_MSS_OFFSET, net->mss)) != TOE_OK) return r;
  if ((r = toe_drv_wr(dev, TOE_REG_INTR_ENABLE_OFFSET, TOE_REG_INTR_ENABLE_EVQ_NOT_EMPTY_MASK)) != TOE_OK) return r;
  return toe_drv_wr(dev, TOE_REG_CTRL_OFFSET, net->enable ? TOE_REG_CTRL_ENABLE_MASK : 0u);
}

static toe_result_t port_command(toe_dev_t *dev, uint16_t port, uint32_t op) {
  if (dev == NULL || port == 0) return TOE_BAD_ARG;
  const toe_result_t r = toe_drv_wr(dev, TOE_REG_CMD_PORTS_OFFSET, TOE_REG_FIELD_PREP(CMD_PORTS, PORT, port));
  if (r != TOE_OK) return r;
  return toe_drv_command(dev, op, 0, 0, 0);
}

toe_result_t toe_listen(toe_dev_t *dev, uint16_t port) { return port_command(dev, port, TOE_CMD_LISTEN); }

toe_result_t toe_unlisten(toe_dev_t *dev, uint16_t port) { return port_command(dev, port, TOE_CMD_UNLISTEN); }

toe_result_t toe_poll(toe_dev_t *dev, uint32_t *events) {
  if (dev == NULL) return TOE_BAD_ARG;
  return toe_drv_poll_events(dev, events);
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
      r = toe_drv_wr(dev, TOE_REG_INTR_STATE_OFFSET, TOE_REG_INTR_STATE_EVQ_NOT_EMPTY_MASK);
      if (r != TOE_OK) return r;
    }
    r = toe_drv_poll_events(dev, &n);
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
