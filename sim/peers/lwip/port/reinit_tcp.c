// SPDX-License-Identifier: Apache-2.0
/* lwIP's tcp.c, compiled verbatim, plus access to its file-scope state.
 * (tcp.c is therefore removed from the plain source list in CMakeLists.txt.) */
#include "core/tcp.c"

#include "toe_lwip_port.h"

/* lwIP's default tcp_next_iss(), with its function-local counter moved here so
 * it can be reset: iss starts at 6510 and advances by tcp_ticks per call. */
static u32_t toe_iss = 6510;

uint32_t toe_lwip_tcp_isn(void) {
  toe_iss += tcp_ticks; /* XXX (sic, lwIP) */
  return toe_iss;
}

void toe_lwip_reset_tcp(void) {
  toe_iss = 6510;
  tcp_port = TCP_LOCAL_PORT_RANGE_START;
  tcp_ticks = 0;
  tcp_timer = 0;
  tcp_timer_ctr = 0;
  tcp_active_pcbs_changed = 0;
  tcp_bound_pcbs = NULL;
  tcp_listen_pcbs.pcbs = NULL;
  tcp_active_pcbs = NULL;
  tcp_tw_pcbs = NULL;
  tcp_input_pcb = NULL;
}
