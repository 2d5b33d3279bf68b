/* SPDX-License-Identifier: Apache-2.0 */
/* toecore host driver, internal: the helpers toe_driver.c defines and toe_driver_conn.c uses.
 * Not installed, not part of the API (names toe_drv_*). */
#ifndef TOE_DRIVER_INTERNAL_H_
#define TOE_DRIVER_INTERNAL_H_

#include <stdint.h>

#include "toe/toe_driver.h"

/* A session id the device never names (CONN_SEL unknown, a pending connect not yet opened). */
#define TOE_NO_SESSION UINT32_MAX

/* One register access; a refused one reads LAST_ERROR (toe_last_bus_error) and returns
 * TOE_NO_CONN, TOE_NO_FIRMWARE or TOE_BUS_ERROR; a lost device TOE_TRANSPORT_ERROR. */
toe_result_t toe_drv_rd(toe_dev_t *dev, uint32_t offset, uint32_t *value);
toe_result_t toe_drv_wr(toe_dev_t *dev, uint32_t offset, uint32_t value);
toe_result_t toe_drv_wr_be(toe_dev_t *dev, uint32_t offset, uint32_t value, uint8_t be);
/* CONN_SEL = conn, unless it already is. */
toe_result_t toe_drv_select_conn(toe_dev_t *dev, uint32_t conn);
/* A MAC packed as MAC_ADDR_LO / MAC_ADDR_HI (and CMD_MAC_LO / CMD_MAC_HI). */
uint32_t toe_drv_mac_lo(const uint8_t m[6]);
uint32_t toe_drv_mac_hi(const uint8_t m[6]);
/* Queue command op (for conn if the opcode names one; CMD_VALUE first if has_value); a full
 * queue is retried for the handle's command timeout (TOE_QUEUE_FULL after). */
toe_result_t toe_drv_command(toe_dev_t *dev, uint32_t op, uint32_t conn, int has_value, uint32_t value);
/* The pending connect of tag (NULL for 0 or none), and freeing one. */
toe_pending_connect_t *toe_drv_find_pending(toe_dev_t *dev, uint32_t tag);
void toe_drv_free_pending(toe_pending_connect_t *p);
/* Connections the driver tracks: min(n_conns, SESSIONS). */
uint32_t toe_drv_capacity(const toe_dev_t *dev);
/* Takes the queued events into the per-connection state (*taken: how many; may be NULL). */
toe_result_t toe_drv_poll_events(toe_dev_t *dev, uint32_t *taken);
/* Poll and try until fn returns anything but TOE_WOULD_BLOCK, or timeout_us passes (0: once). */
typedef toe_result_t (*toe_drv_try_fn)(toe_dev_t *dev, void *arg);
toe_result_t toe_drv_run_blocking(toe_dev_t *dev, uint32_t timeout_us, toe_drv_try_fn fn, void *arg);

#endif /* TOE_DRIVER_INTERNAL_H_ */
