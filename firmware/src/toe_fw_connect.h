/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw_connect: connect by IP address. The host's connect without a MAC lands in the engine's
 * resolve queue (port 0.5: ARQ_*, interrupt ARQ_NOT_EMPTY); the firmware resolves the peer's MAC
 * with its ARP cache (toe_fw_arp) and answers each request with a command:
 *
 *   resolved (cache hit, or the peer's ARP reply)   connect_resolved: CMD_IP, CMD_PORTS,
 *                                                   CMD_MAC_LO/HI, CMD_TAG; the engine opens the
 *                                                   connection as for a host connect (event
 *                                                   opened, value = tag)
 *   no answer (arp_retries + 1 requests, arp_retry_ms apart), or a failed entry still held
 *                                                   no_route: CMD_PORTS (LPORT), CMD_TAG; the
 *                                                   host sees event timed_out, conn 0xFFFFFFFF,
 *                                                   value = tag
 *
 * A request is taken from the queue (ARQ_POP) into a table of TOE_FW_CONNECTS entries (16 bytes
 * each) while it waits; when the table is full the requests stay in the engine's queue, and the
 * host's further connects by IP address are refused there (QUEUE_FULL): nothing is dropped.
 * The peer is resolved on the link (no gateway: the engine has no netmask or route). */
#ifndef TOE_FW_CONNECT_H_
#define TOE_FW_CONNECT_H_

#include <stdint.h>

#include "toe_fw_hal.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef TOE_FW_CONNECTS
#define TOE_FW_CONNECTS 8
#endif

struct toe_fw;

struct toe_fw_connect_req {
  uint32_t ip;
  uint16_t port, lport;
  uint32_t tag;
  uint32_t used; /* 1: waiting for ARP */
};

struct toe_fw_connects {
  struct toe_fw_connect_req req[TOE_FW_CONNECTS];
};

void toe_fw_connect_init(struct toe_fw *fw);
/* The resolve queue taken into the table (while it has room), then every waiting request
 * answered whose peer ARP has resolved or given up on (at fw->now). */
toe_fw_result_t toe_fw_connect_poll(struct toe_fw *fw);
/* Requests waiting for ARP. */
uint32_t toe_fw_connect_waiting(const struct toe_fw *fw);

#ifdef __cplusplus
}
#endif

#endif /* TOE_FW_CONNECT_H_ */
