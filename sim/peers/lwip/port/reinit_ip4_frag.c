// SPDX-License-Identifier: Apache-2.0
/* lwIP's ip4_frag.c verbatim, plus a reset of the reassembly queue (its pbufs
 * come from pools that lwip_init() re-initialises). */
#include "core/ipv4/ip4_frag.c"

#include "toe_lwip_port.h"

void toe_lwip_reset_ip4_frag(void) {
#if IP_REASSEMBLY
  reassdatagrams = NULL;
  ip_reass_pbufcount = 0;
#endif
}
