/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw_timers: retransmission, give-up, zero-window probing, TIME_WAIT, delayed ACK and
 * keep-alive per connection (see toe_fw_timers.h for the rules). */
#include "toe_fw_timers.h"

#include "toe_defs.h"
#include "toe_fw.h"

static void forget(struct toe_fw_conn *c) {
  toe_fw_rto_init(&c->rto);
  c->retx_at = 0;
  c->arm_at = 0;
  c->armed_value = 0;
  c->dack_at = 0;
  c->retries = 0;
  c->flags = 0;
}

/* The earliest deadline of any running timer (or earlier: a timer restarted later leaves it
 * early, which costs one walk that finds nothing due). Every deadline set is noted here: after
 * each event, and after each connection's pass in toe_fw_timers_fire. */
static void note(struct toe_fw_timers *t, toe_fw_time_t at) {
  if (!t->earliest_valid || !toe_fw_due(at, t->earliest)) {
    t->earliest = at;
    t->earliest_valid = 1;
  }
}

static void note_conn(struct toe_fw_timers *t, const struct toe_fw_conn *c) {
  if (c->flags & (TOE_FW_CONN_RETX | TOE_FW_CONN_TIME_WAIT | TOE_FW_CONN_KEEPALIVE)) note(t, c->retx_at);
  if (c->flags & TOE_FW_CONN_DACK) note(t, c->dack_at);
}

void toe_fw_timers_init(struct toe_fw *fw) {
  for (uint32_t i = 0; i < TOE_FW_MAX_CONNS; ++i) forget(&fw->timers.conn[i]);
  fw->timers.earliest = 0;
  fw->timers.earliest_valid = 0;
}

/* The first ACK progress (or retx_disarm) after the flight started: its RTT sample, unless the
 * flight was retransmitted (Karn's rule, RFC 6298 3; a handshake's then applies 5.7). One per
 * flight: TOE_FW_CONN_TIMED is cleared. */
static void end_flight(struct toe_fw *fw, struct toe_fw_conn *c) {
  if (!(c->flags & TOE_FW_CONN_TIMED)) return;
  if (!(c->flags & TOE_FW_CONN_RETRANSMITTED)) {
    toe_fw_rto_sample(&c->rto, &fw->cfg, fw->now - c->arm_at);
    ++fw->stats.rtt_samples;
  } else {
    ++fw->stats.rtt_karn_skipped;
    if (c->flags & TOE_FW_CONN_HANDSHAKE) toe_fw_rto_syn_reinit(&c->rto, &fw->cfg);
  }
  c->flags = (uint8_t)(c->flags & ~(TOE_FW_CONN_TIMED | TOE_FW_CONN_RETRANSMITTED));
}

/* Keep-alive idle time in chunks short enough for the 32-bit microsecond clock (30 min). */
#define KA_CHUNK_S 1800u
static uint32_t ka_chunks(const struct toe_fw_config *cfg) {
  return (cfg->keepalive_idle_s + KA_CHUNK_S - 1u) / KA_CHUNK_S;
}

/* The keep-alive's idle phase: retries counts the idle chunks still to wait; the first chunk
 * takes the remainder, so the chunks add up to keepalive_idle_s exactly. */
static void start_keepalive(struct toe_fw *fw, struct toe_fw_conn *c) {
  const uint32_t n = ka_chunks(&fw->cfg);
  const uint32_t chunk_s = fw->cfg.keepalive_idle_s / n;
  c->flags = (uint8_t)((c->flags & TOE_FW_CONN_DACK) | TOE_FW_CONN_KEEPALIVE);
  c->retries = (uint8_t)(n - 1u);
  c->retx_at = fw->now + 1000000u * (chunk_s + fw->cfg.keepalive_idle_s % n);
}

static void start_retx(struct toe_fw *fw, struct toe_fw_conn *c, uint32_t value, int handshake) {
  c->flags = (uint8_t)((c->flags & (TOE_FW_CONN_DACK)) | TOE_FW_CONN_RETX | TOE_FW_CONN_TIMED |
                       (handshake ? TOE_FW_CONN_HANDSHAKE : 0u));
  c->retries = 0;
  c->arm_at = fw->now;
  c->armed_value = value;
  c->retx_at = fw->now + toe_fw_rto_current(&c->rto, &fw->cfg);
}

void toe_fw_timers_event(struct toe_fw *fw, const struct toe_fw_event *ev) {
  if (ev->conn >= fw->port.sessions || ev->conn >= TOE_FW_MAX_CONNS) {
    ++fw->stats.events_ignored;
    return;
  }
  struct toe_fw_conn *c = &fw->timers.conn[ev->conn];
  switch (ev->type) {
    case TOE_EVT_RETX_ARM: {
      const int handshake = ev->state == TOE_STATE_SYN_SENT || ev->state == TOE_STATE_SYN_RECEIVED;
      const int running = (c->flags & TOE_FW_CONN_RETX) != 0;
      if (handshake && (!running || ev->value != c->armed_value)) {
        forget(c); /* a new connection on this id: its estimator starts afresh */
        start_retx(fw, c, ev->value, 1);
      } else if (!running) {
        start_retx(fw, c, ev->value, 0);
      } else if (ev->value != c->armed_value) {
        /* SND.UNA moved, data still outstanding: the flight's first segment is acknowledged
         * (its RTT sample, Karn permitting); restart (RFC 6298 5.3) with the backoff cleared
         * and the retry count at 0 (new data acknowledged, as lwIP's tcp_receive does). */
        end_flight(fw, c);
        toe_fw_rto_clear_backoff(&c->rto);
        c->flags = (uint8_t)(c->flags & ~TOE_FW_CONN_HANDSHAKE);
        c->retries = 0;
        c->armed_value = ev->value;
        c->retx_at = fw->now + toe_fw_rto_current(&c->rto, &fw->cfg);
        ++fw->stats.retx_restarts;
      } /* else: the echo of our own retransmit (SND.UNA has not moved) */
      break;
    }
    case TOE_EVT_RETX_DISARM:
      if (c->flags & TOE_FW_CONN_RETX) end_flight(fw, c);
      c->flags = (uint8_t)(c->flags & TOE_FW_CONN_DACK);
      c->retries = 0;
      if (fw->cfg.keepalive_idle_s != 0 &&
          (ev->state == TOE_STATE_ESTABLISHED || ev->state == TOE_STATE_CLOSE_WAIT))
        start_keepalive(fw, c);
      break;
    case TOE_EVT_PEER_ALIVE:
      if (c->flags & TOE_FW_CONN_RETX) {
        /* A zero-window probe answered: the peer lives, so the retry count restarts and the
         * connection is kept as long as probes are answered (MUST-37); the backoff stays. */
        c->retries = 0;
        ++fw->stats.probes_answered;
      } else if (c->flags & TOE_FW_CONN_KEEPALIVE) {
        start_keepalive(fw, c);
        ++fw->stats.keepalives_answered;
      }
      break;
    case TOE_EVT_FREED:
      forget(c);
      ++fw->stats.freed;
      break;
    case TOE_EVT_TIME_WAIT_ENTERED:
      c->flags = TOE_FW_CONN_TIME_WAIT;
      c->retries = 0;
      c->retx_at = fw->now + 2000u * fw->cfg.msl_ms;
      break;
    case TOE_EVT_ACK_DELAYED:
      if (!(c->flags & (TOE_FW_CONN_DACK | TOE_FW_CONN_TIME_WAIT))) {
        c->flags = (uint8_t)(c->flags | TOE_FW_CONN_DACK);
        c->dack_at = fw->now + 1000u * fw->cfg.delayed_ack_ms;
      }
      break;
    default: /* host events never come on this queue */
      ++fw->stats.events_ignored;
      break;
  }
  note_conn(&fw->timers, c);
}

/* One connection's due timers, their commands issued. */
static void fire_conn(struct toe_fw *fw, uint32_t id) {
  struct toe_fw_conn *c = &fw->timers.conn[id];
  if ((c->flags & TOE_FW_CONN_DACK) && toe_fw_due(fw->now, c->dack_at)) {
    c->flags = (uint8_t)(c->flags & ~TOE_FW_CONN_DACK);
    toe_fw_port_command(&fw->port, id, TOE_CMD_SEND_ACK);
    ++fw->stats.delayed_acks;
  }
  if ((c->flags & TOE_FW_CONN_TIME_WAIT) && toe_fw_due(fw->now, c->retx_at)) {
    toe_fw_port_command(&fw->port, id, TOE_CMD_TIME_WAIT_EXPIRE);
    ++fw->stats.time_wait_expiries;
    forget(c); /* TIME_WAIT -> CLOSED: the engine frees the connection */
    return;
  }
  if ((c->flags & TOE_FW_CONN_RETX) && toe_fw_due(fw->now, c->retx_at)) {
    const uint8_t limit = (c->flags & TOE_FW_CONN_HANDSHAKE) ? fw->cfg.max_syn_retries : fw->cfg.max_retries;
    if (c->retries >= limit) {
      toe_fw_port_command(&fw->port, id, TOE_CMD_GIVE_UP);
      ++fw->stats.give_ups;
      forget(c); /* the engine frees the connection (RST first if synchronized) */
      return;
    }
    ++c->retries;
    c->flags = (uint8_t)(c->flags | TOE_FW_CONN_RETRANSMITTED);
    toe_fw_rto_backoff(&c->rto, &fw->cfg);
    c->retx_at = fw->now + toe_fw_rto_current(&c->rto, &fw->cfg);
    toe_fw_port_command(&fw->port, id, TOE_CMD_RETRANSMIT);
    ++fw->stats.retransmits;
  }
  if ((c->flags & TOE_FW_CONN_KEEPALIVE) && toe_fw_due(fw->now, c->retx_at)) {
    if (!(c->flags & TOE_FW_CONN_KA_PROBING) && c->retries > 0) { /* another idle chunk */
      --c->retries;
      c->retx_at = fw->now + 1000000u * (fw->cfg.keepalive_idle_s / ka_chunks(&fw->cfg));
      return;
    }
    if (!(c->flags & TOE_FW_CONN_KA_PROBING)) {
      c->flags = (uint8_t)(c->flags | TOE_FW_CONN_KA_PROBING);
      c->retries = 0;
    }
    if (c->retries >= fw->cfg.keepalive_probes) {
      toe_fw_port_command(&fw->port, id, TOE_CMD_GIVE_UP);
      ++fw->stats.give_ups;
      forget(c);
      return;
    }
    ++c->retries;
    c->retx_at = fw->now + 1000000u * fw->cfg.keepalive_intvl_s;
    toe_fw_port_command(&fw->port, id, TOE_CMD_KEEPALIVE);
    ++fw->stats.keepalives;
  }
}

void toe_fw_timers_fire(struct toe_fw *fw) {
  struct toe_fw_timers *t = &fw->timers;
  /* Nothing runs, or nothing is due yet: no walk (the common pass, woken by an event). */
  if (!t->earliest_valid || !toe_fw_due(fw->now, t->earliest)) return;
  t->earliest_valid = 0;
  const uint32_t n = fw->port.sessions < TOE_FW_MAX_CONNS ? fw->port.sessions : TOE_FW_MAX_CONNS;
  for (uint32_t id = 0; id < n; ++id) {
    if (t->conn[id].flags == 0) continue;
    fire_conn(fw, id);
    note_conn(t, &t->conn[id]);
  }
}

int toe_fw_timers_next(const struct toe_fw *fw, uint32_t *until_us) {
  if (!fw->timers.earliest_valid) {
    *until_us = 0;
    return 0;
  }
  *until_us = toe_fw_until(fw->now, fw->timers.earliest);
  return 1;
}
