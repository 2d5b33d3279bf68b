// SPDX-License-Identifier: Apache-2.0
/* lwIP's netif.c verbatim, plus a reset of the interface list and numbering. */
#include "core/netif.c"

#include "toe_lwip_port.h"

void toe_lwip_reset_netif(void) {
  netif_list = NULL;
  netif_default = NULL;
  netif_num = 0;
}
