/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw_stats: what the firmware counts (its own work; the engine's counters are read through
 * the port: toe_fw_stats_engine). All counters wrap modulo 2^32. */
#ifndef TOE_FW_STATS_H_
#define TOE_FW_STATS_H_

#include <stdint.h>

#include "toe_fw_hal.h"

#ifdef __cplusplus
extern "C" {
#endif

struct toe_fw_port;

struct toe_fw_stats {
  /* Register port. */
  uint32_t events;             /* firmware events taken from the event queue */
  uint32_t events_ignored;     /* of those, not the firmware's or for a connection out of range */
  uint32_t commands;           /* commands the port took */
  uint32_t commands_refused;   /* commands the port refused (QUEUE_FULL after retries, or other) */
  uint32_t bus_errors;         /* any refused access */
  uint32_t isn_keyed;          /* 1: the seed source's key was written to ISN_KEY at boot */
  /* Timers. */
  uint32_t retransmits;        /* retransmit commands */
  uint32_t give_ups;           /* give_up commands */
  uint32_t time_wait_expiries; /* time_wait_expire commands */
  uint32_t delayed_acks;       /* send_ack commands */
  uint32_t retx_restarts;      /* retransmission timers restarted by ACK progress */
  uint32_t rtt_samples;        /* RTT samples taken (flights not retransmitted) */
  uint32_t rtt_karn_skipped;   /* flights acknowledged after a retransmission: no sample (Karn) */
  uint32_t probes_answered;    /* zero-window probes answered (peer_alive): the retry count restarts */
  uint32_t keepalives;         /* keepalive commands */
  uint32_t keepalives_answered;/* keep-alives answered (peer_alive): the idle time restarts */
  uint32_t freed;              /* connections the engine freed (event freed) */
  /* Frames. */
  uint32_t frames_in;          /* frames taken from the receive queue */
  uint32_t frames_ignored;     /* of those, neither ARP nor ICMP echo for us */
  uint32_t frames_bad;         /* of those, malformed (lengths, checksums) */
  uint32_t frames_out;         /* frames sent through the transmit path */
  uint32_t tx_failed;          /* frames not sent: the transmit path stayed busy or refused */
  /* ARP and ICMP. */
  uint32_t arp_requests_in;    /* ARP requests for our address */
  uint32_t arp_replies_out;    /* ARP replies sent */
  uint32_t arp_requests_out;   /* ARP requests sent (resolution) */
  uint32_t arp_replies_in;     /* ARP replies taken into the cache */
  uint32_t arp_resolved;       /* resolutions that found an answer */
  uint32_t arp_failed;         /* resolutions that ended with no route */
  uint32_t icmp_echo_in;       /* echo requests for our address */
  uint32_t icmp_echo_out;      /* echo replies sent */
  /* Connect by IP address. */
  uint32_t connects_in;        /* requests taken from the resolve queue */
  uint32_t connects_resolved;  /* answered with connect_resolved */
  uint32_t connects_no_route;  /* answered with no_route */
};

/* The engine's counter `index` (TOE_CNT_*: toe_defs.h) through the port's CNT_* registers. */
toe_fw_result_t toe_fw_stats_engine(struct toe_fw_port *port, uint32_t index, uint32_t *value);

#ifdef __cplusplus
}
#endif

#endif /* TOE_FW_STATS_H_ */
