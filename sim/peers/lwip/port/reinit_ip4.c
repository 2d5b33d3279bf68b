// SPDX-License-Identifier: Apache-2.0
/* lwIP's ip4.c verbatim, plus a reset of the IP identification counter. */
#include "core/ipv4/ip4.c"

#include "toe_lwip_port.h"

void toe_lwip_reset_ip4(void) {
  ip_id = 0;
#if LWIP_MULTICAST_TX_OPTIONS
  ip4_default_multicast_netif = NULL;
#endif
}
