// SPDX-License-Identifier: Apache-2.0
/* The wrapper's view of the lwIP port: virtual time, the ISN hook, and a full
 * reset of lwIP's file-scope state so that consecutive LwipPeer instances in
 * one process start from identical state (see README.md, "Re-initialisation"). */
#ifndef TOE_LWIP_PORT_H
#define TOE_LWIP_PORT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* sys_now() returns this (virtual milliseconds). */
extern uint32_t toe_lwip_now_ms;

/* Resets every piece of lwIP file-scope state that lwip_init() leaves alone:
 * tcp.c (tcp_ticks, tcp_timer, tcp_timer_ctr, tcp_port, PCB lists, ISN counter),
 * timeouts.c (timeout list, tcpip_tcp_timer_active), ip4.c (ip_id), netif.c
 * (netif_list, netif_default, netif_num), ip4_frag.c (reassembly list),
 * pbuf.c (pbuf_free_ooseq_pending) and the virtual clock. Memory pools and the
 * heap are re-initialised by lwip_init() itself. Call only with no lwIP object
 * in use, right before lwip_init(). */
void toe_lwip_reset_all(void);

/* Per-file parts of the above (defined in the reinit_*.c wrappers). */
void toe_lwip_reset_tcp(void);
void toe_lwip_reset_timeouts(void);
void toe_lwip_reset_ip4(void);
void toe_lwip_reset_netif(void);
void toe_lwip_reset_ip4_frag(void);

#ifdef __cplusplus
}
#endif

#endif /* TOE_LWIP_PORT_H */
