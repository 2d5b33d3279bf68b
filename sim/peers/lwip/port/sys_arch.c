// SPDX-License-Identifier: Apache-2.0
/* NO_SYS port: sys_now() from the wrapper's virtual clock, and the reset hub. */
#include "lwip/opt.h"
#include "lwip/sys.h"
#include "lwip/pbuf.h"

#include "toe_lwip_port.h"

uint32_t toe_lwip_now_ms;

u32_t sys_now(void) { return toe_lwip_now_ms; }

void toe_lwip_reset_all(void) {
  toe_lwip_now_ms = 0;
  toe_lwip_reset_tcp();
  toe_lwip_reset_timeouts();
  toe_lwip_reset_ip4();
  toe_lwip_reset_netif();
  toe_lwip_reset_ip4_frag();
#if LWIP_TCP && TCP_QUEUE_OOSEQ && NO_SYS && PBUF_POOL_FREE_OOSEQ
  pbuf_free_ooseq_pending = 0;
#endif
}
