/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw_connect: connect by IP address (see toe_fw_connect.h). */
#include "toe_fw_connect.h"

#include "toe_defs.h"
#include "toe_fw.h"
#include "toe_fw_regs.h"

void toe_fw_connect_init(struct toe_fw *fw) {
  toe_fw_zero((uint8_t *)&fw->connects, sizeof fw->connects);
}

uint32_t toe_fw_connect_waiting(const struct toe_fw *fw) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < TOE_FW_CONNECTS; ++i) n += fw->connects.req[i].used;
  return n;
}

/* connect_resolved with the peer's MAC, or no_route (mac NULL). */
static toe_fw_result_t answer(struct toe_fw *fw, const struct toe_fw_connect_req *q, const uint8_t *mac) {
  struct toe_fw_port *port = &fw->port;
  const uint32_t ports = ((uint32_t)q->port << TOE_FW_REG_CMD_PORTS_PORT_LSB) |
                         ((uint32_t)q->lport << TOE_FW_REG_CMD_PORTS_LPORT_LSB);
  toe_fw_result_t r = toe_fw_port_write(port, TOE_FW_REG_CMD_PORTS_OFFSET, ports);
  if (r == TOE_FW_OK) r = toe_fw_port_write(port, TOE_FW_REG_CMD_TAG_OFFSET, q->tag);
  if (r == TOE_FW_OK && mac != 0) {
    r = toe_fw_port_write(port, TOE_FW_REG_CMD_IP_OFFSET, q->ip);
    if (r == TOE_FW_OK)
      r = toe_fw_port_write(port, TOE_FW_REG_CMD_MAC_LO_OFFSET,
                            ((uint32_t)mac[2] << 24) | ((uint32_t)mac[3] << 16) | ((uint32_t)mac[4] << 8) |
                                (uint32_t)mac[5]);
    if (r == TOE_FW_OK)
      r = toe_fw_port_write(port, TOE_FW_REG_CMD_MAC_HI_OFFSET, ((uint32_t)mac[0] << 8) | (uint32_t)mac[1]);
  }
  if (r != TOE_FW_OK) {
    ++fw->stats.commands_refused;
    return TOE_FW_REFUSED;
  }
  /* CMD_CONN is not read by these two commands: the command path's conn write is harmless. */
  r = toe_fw_port_command(port, 0, mac != 0 ? TOE_CMD_CONNECT_RESOLVED : TOE_CMD_NO_ROUTE);
  if (r == TOE_FW_OK) {
    if (mac != 0)
      ++fw->stats.connects_resolved;
    else
      ++fw->stats.connects_no_route;
  }
  return r;
}

/* The head of the resolve queue into a free entry; TOE_FW_EMPTY when the queue is empty. */
static toe_fw_result_t take(struct toe_fw *fw, struct toe_fw_connect_req *q) {
  struct toe_fw_port *port = &fw->port;
  uint32_t st = 0, ports = 0;
  toe_fw_result_t r = toe_fw_port_read(port, TOE_FW_REG_ARQ_STATUS_OFFSET, &st);
  if (r != TOE_FW_OK) return r;
  if (TOE_FW_REG_FIELD_GET(st, ARQ_STATUS, COUNT) == 0) return TOE_FW_EMPTY;
  if ((r = toe_fw_port_read(port, TOE_FW_REG_ARQ_IP_OFFSET, &q->ip)) != TOE_FW_OK) return r;
  if ((r = toe_fw_port_read(port, TOE_FW_REG_ARQ_PORTS_OFFSET, &ports)) != TOE_FW_OK) return r;
  if ((r = toe_fw_port_read(port, TOE_FW_REG_ARQ_TAG_OFFSET, &q->tag)) != TOE_FW_OK) return r;
  if ((r = toe_fw_port_write(port, TOE_FW_REG_ARQ_POP_OFFSET, TOE_FW_REG_ARQ_POP_POP_MASK)) != TOE_FW_OK) return r;
  q->port = (uint16_t)TOE_FW_REG_FIELD_GET(ports, ARQ_PORTS, PORT);
  q->lport = (uint16_t)TOE_FW_REG_FIELD_GET(ports, ARQ_PORTS, LPORT);
  q->used = 1;
  ++fw->stats.connects_in;
  return TOE_FW_OK;
}

toe_fw_result_t toe_fw_connect_poll(struct toe_fw *fw) {
  /* Take what the table has room for. */
  for (uint32_t i = 0; i < TOE_FW_CONNECTS; ++i) {
    if (fw->connects.req[i].used) continue;
    const toe_fw_result_t r = take(fw, &fw->connects.req[i]);
    if (r == TOE_FW_EMPTY) break;
    if (r != TOE_FW_OK) return r;
  }
  /* Answer what ARP has decided (a first call asks: toe_fw_arp_resolve sends the request). */
  for (uint32_t i = 0; i < TOE_FW_CONNECTS; ++i) {
    struct toe_fw_connect_req *q = &fw->connects.req[i];
    if (!q->used) continue;
    uint8_t mac[6];
    const toe_fw_result_t a = toe_fw_arp_resolve(fw, q->ip, mac);
    if (a == TOE_FW_PENDING || a == TOE_FW_FULL) continue; /* FULL: every entry pending; again later */
    q->used = 0;
    (void)answer(fw, q, a == TOE_FW_OK ? mac : 0);
  }
  return TOE_FW_OK;
}
