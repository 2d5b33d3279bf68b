/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw: the engine's slow-path firmware (C11, no heap, no OS), all of it through the engine's
 * firmware register port (toe_fw_port) and a HAL (toe_fw_hal.h):
 *
 *   toe_fw_init(&fw, &hal, &cfg)   checks the port (TYPE, VERSION, SESSIONS), the configuration
 *                                  and the table sizes; boots the port (CTRL.EVQ_EN, interrupts)
 *   toe_fw_poll(&fw)               interrupt causes cleared, the event queue drained into the
 *                                  timers (toe_fw_timers), the receive queue's frames answered
 *                                  (ARP: toe_fw_arp, ICMP echo: toe_fw_icmp), due timers fired,
 *                                  connects by IP address resolved (toe_fw_connect)
 *   toe_fw_next_deadline_us(&fw)   when the next timer falls due (HAL time), UINT64_MAX if none:
 *                                  sleep until then or the port's interrupt, then poll again
 *
 * A bare-metal main is: init; for (;;) { poll; wait for the interrupt or the deadline; }.
 * Memory: struct toe_fw holds everything, sized at compile time (TOE_FW_MAX_CONNS,
 * TOE_FW_ARP_ENTRIES: toe_fw_config.h); one instance per engine, no global state. */
#ifndef TOE_FW_H_
#define TOE_FW_H_

#include <stdint.h>

#include "toe_fw_arp.h"
#include "toe_fw_config.h"
#include "toe_fw_connect.h"
#include "toe_fw_hal.h"
#include "toe_fw_net.h"
#include "toe_fw_port.h"
#include "toe_fw_stats.h"
#include "toe_fw_timers.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Frames handled per poll at most (the receive queue has 4 slots); the rest wait for the next. */
#define TOE_FW_FRAMES_PER_POLL 8u

struct toe_fw {
  const struct toe_fw_hal *hal;
  struct toe_fw_config cfg;
  struct toe_fw_stats stats;
  struct toe_fw_port port;
  uint8_t mac[6];         /* the engine's addresses, read before each frame is answered */
  uint32_t ip;
  uint64_t now64;         /* HAL time of the last clock reading */
  toe_fw_time_t now;      /* its low 32 bits */
  uint16_t ip_id;         /* identification of the IPv4 packets the firmware sends */
  struct toe_fw_timers timers;
  struct toe_fw_arp arp;
  struct toe_fw_connects connects;
};

/* cfg NULL: toe_fw_config_default. TOE_FW_BAD_ARG (config), TOE_FW_NO_DEVICE (port),
 * TOE_FW_TOO_SMALL (SESSIONS > TOE_FW_MAX_CONNS), TOE_FW_BUS_ERROR (boot). */
toe_fw_result_t toe_fw_init(struct toe_fw *fw, const struct toe_fw_hal *hal, const struct toe_fw_config *cfg);
toe_fw_result_t toe_fw_poll(struct toe_fw *fw);
uint64_t toe_fw_next_deadline_us(const struct toe_fw *fw);

/* Reads the HAL clock into fw->now64 / fw->now. */
void toe_fw_clock(struct toe_fw *fw);

#ifdef __cplusplus
}
#endif

#endif /* TOE_FW_H_ */
