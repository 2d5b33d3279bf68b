/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw_timers: the per-connection timers of the slow path, driven by the engine's firmware
 * events and acting through its firmware commands (toe_defs.toml: for / from "firmware").
 *
 *   retx_arm (value SND.UNA)   the engine sent with nothing outstanding, or an ACK moved SND.UNA
 *                              while data, SYN or FIN is still outstanding.
 *     timer stopped            start it: deadline = now + RTO (toe_fw_rto_current); the flight
 *                              starts now (timed: its first segment's RTT sample is taken at the
 *                              next ACK progress or retx_disarm); in SYN_SENT or SYN_RECEIVED the
 *                              connection is new: its estimator starts afresh.
 *     running, same value      no ACK progress (a zero-window probe leaving with nothing else
 *                              outstanding): nothing changes, so the backoff and the retry count
 *                              go on (a dead peer is given up on). A retransmission itself sends
 *                              no retx_arm: the engine keeps SND.MAX, so data is still outstanding.
 *     running, new value       ACK progress: the flight's sample if it is still timed (Karn:
 *                              none if it was retransmitted); restart, deadline = now + RTO
 *                              (RFC 6298 5.3), retries = 0, backoff cleared (new data was
 *                              acknowledged: the path works again; lwIP's tcp_receive does the
 *                              same. Keeping it until the next sample would let a bulk transfer
 *                              whose pipe never drains double its RTO at every loss.)
 *   retx_disarm                everything acknowledged: stop; the flight's sample if still timed.
 *   deadline reached           retries = the limit (max_syn_retries in the handshake, else
 *                              max_retries): command give_up, forget the connection. Otherwise
 *                              retries + 1, RTO doubled (5.5), deadline = now + RTO, command
 *                              retransmit (5.4).
 *   time_wait_entered          stop the retransmission timer; deadline = now + 2 * MSL (again on
 *                              every time_wait_entered: a retransmitted FIN restarts it, TW2);
 *                              when reached: command time_wait_expire, forget the connection.
 *   ack_delayed                unless running: deadline = now + delayed_ack; when reached: command
 *                              send_ack (the engine ACKs only if one is still owed).
 *   peer_alive                 the peer answered a probe without moving SND.UNA.
 *     retransmission running   a zero-window probe (TM4): retries = 0, so the connection lives as
 *                              long as probes are answered (MUST-37); the backoff stays (probes
 *                              at RTO * 2^n, capped). Unanswered, the retries run out: give_up.
 *     keep-alive running       answered: the idle time starts again.
 *   keep-alive (cfg keepalive_idle_s != 0): on retx_disarm in ESTABLISHED or CLOSE-WAIT (all
 *                              acknowledged) the idle timer starts (retx_at, in chunks of at most
 *                              30 min for the 32-bit clock); retx_arm stops it (the retransmission
 *                              timer watches the peer then). Idle time up: command keepalive, then
 *                              every keepalive_intvl_s while unanswered; after keepalive_probes
 *                              unanswered: give_up. "Idle" is "since everything we sent was
 *                              acknowledged": a connection that only receives sends a keep-alive
 *                              per idle time, which the peer answers (harmless, one ACK).
 *   freed                      the engine freed the connection (closed, reset, aborted, timed
 *                              out): forget it.
 * At one instant a connection's due timers go out in this order: send_ack, time_wait_expire,
 * retransmit or give_up; connections in increasing id order.
 *
 * A new connection on an id starts over at its first retx_arm (handshake state). */
#ifndef TOE_FW_TIMERS_H_
#define TOE_FW_TIMERS_H_

#include <stdint.h>

#include "toe_fw_config.h"
#include "toe_fw_net.h"
#include "toe_fw_port.h"
#include "toe_fw_rto.h"

#ifdef __cplusplus
extern "C" {
#endif

struct toe_fw;

/* 32 bytes per connection. */
struct toe_fw_conn {
  struct toe_fw_rto rto;
  toe_fw_time_t retx_at;  /* the retransmission deadline, or TIME_WAIT's */
  toe_fw_time_t arm_at;   /* the flight's start (the retx_arm that started the timer) */
  uint32_t armed_value;   /* retx_arm's value when the timer last (re)started */
  toe_fw_time_t dack_at;  /* the delayed ACK's deadline */
  uint8_t retries;        /* retransmissions since the flight started or last progressed, or
                           * unanswered probes; keep-alive: idle chunks left, then keep-alives */
  uint8_t flags;          /* TOE_FW_CONN_* */
};
#define TOE_FW_CONN_RETX 0x01u          /* the retransmission timer runs */
#define TOE_FW_CONN_TIME_WAIT 0x02u     /* the TIME_WAIT timer runs (in retx_at) */
#define TOE_FW_CONN_DACK 0x04u          /* the delayed-ACK timer runs */
#define TOE_FW_CONN_RETRANSMITTED 0x08u /* this flight was retransmitted (Karn: no sample) */
#define TOE_FW_CONN_HANDSHAKE 0x10u     /* the flight is a SYN or SYN-ACK */
#define TOE_FW_CONN_TIMED 0x20u         /* the flight's RTT sample is still to be taken */
#define TOE_FW_CONN_KEEPALIVE 0x40u     /* the keep-alive timer runs (in retx_at) */
#define TOE_FW_CONN_KA_PROBING 0x80u    /* keep-alives are going out (retries counts them) */

struct toe_fw_timers {
  struct toe_fw_conn conn[TOE_FW_MAX_CONNS];
  toe_fw_time_t earliest; /* no running timer's deadline is before it (while earliest_valid) */
  uint8_t earliest_valid; /* 0: no timer runs */
};

void toe_fw_timers_init(struct toe_fw *fw);
/* One firmware event at fw->now. */
void toe_fw_timers_event(struct toe_fw *fw, const struct toe_fw_event *ev);
/* Every due timer at fw->now, its command issued. The table is walked only when the earliest
 * deadline has come (a pass woken by an event costs the same at 16 and at 256 connections). */
void toe_fw_timers_fire(struct toe_fw *fw);
/* 1 and *until_us (from fw->now; 0 when due) when a timer runs, else 0. */
int toe_fw_timers_next(const struct toe_fw *fw, uint32_t *until_us);

#ifdef __cplusplus
}
#endif

#endif /* TOE_FW_TIMERS_H_ */
