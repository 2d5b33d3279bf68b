// SPDX-License-Identifier: Apache-2.0
/* lwIP's timeouts.c verbatim, plus a reset of its timeout list. */
#include "core/timeouts.c"

#include "toe_lwip_port.h"

void toe_lwip_reset_timeouts(void) {
  /* The sys_timeo entries live in a memp pool that lwip_init() re-initialises. */
  next_timeout = NULL;
  current_timeout_due_time = 0;
#if LWIP_TCP
  tcpip_tcp_timer_active = 0;
#endif
}
