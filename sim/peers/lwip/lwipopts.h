// SPDX-License-Identifier: Apache-2.0
/* lwIP 2.1.3 configuration for the project's behavioural oracle (toe::sim::LwipPeer).
 *
 * NO_SYS, raw (callback) API only, IPv4 only, no link layer: packets enter and
 * leave at the IPv4 layer. Every TCP *behaviour* option keeps lwIP's default
 * (no window scaling, no SACK, no timestamps, no keepalive, RTO/retry limits,
 * TCP_MSL 60 s, Nagle on, delayed ACK on, out-of-sequence queueing on); only
 * sizes are raised so ~64 connections can each move 1 MB with a 64 KB window.
 * Keep it that way: CONFORMANCE.md's "lwIP differs" column describes these
 * defaults. */
#ifndef TOE_LWIPOPTS_H
#define TOE_LWIPOPTS_H

#include <stdint.h>

/* ---- system ---------------------------------------------------------------- */
#define NO_SYS                          1
#define SYS_LIGHTWEIGHT_PROT            0
#define LWIP_NETCONN                    0
#define LWIP_SOCKET                     0
#define LWIP_DONT_PROVIDE_BYTEORDER_FUNCTIONS 1 /* no htons() macros clashing with C++ headers */
#define LWIP_STATS                      0
/* LWIP_RAND stays undefined: no random ephemeral ports, fully reproducible runs. */

/* ---- protocols ---------------------------------------------------------------- */
#define LWIP_IPV4                       1
#define LWIP_IPV6                       0
#define LWIP_ARP                        0   /* no Ethernet: the netif carries raw IPv4 */
#define LWIP_ETHERNET                   0
#define LWIP_TCP                        1
#define LWIP_ICMP                       1   /* lwIP default */
#define LWIP_RAW                        0
#define LWIP_DHCP                       0
#define LWIP_DNS                        0
#define LWIP_IGMP                       0

/* ---- checksums: generated and checked everywhere ------------------------------ */
#define CHECKSUM_GEN_IP                 1
#define CHECKSUM_GEN_TCP                1
#define CHECKSUM_GEN_ICMP               1
#define CHECKSUM_CHECK_IP               1
#define CHECKSUM_CHECK_TCP              1
#define CHECKSUM_CHECK_ICMP             1

/* ---- TCP: sizes only; behaviour options are lwIP's defaults --------------------- */
#define TCP_MSS                         1460
#define TCP_WND                         65535   /* largest unscaled window */
#define TCP_SND_BUF                     65535
/* TCP_SND_QUEUELEN: lwIP's formula, (4*TCP_SND_BUF + TCP_MSS-1)/TCP_MSS = 180 */
#define LWIP_WND_SCALE                  0   /* default, stated for the reader */
#define LWIP_TCP_SACK_OUT               0   /* default */
#define LWIP_TCP_TIMESTAMPS             0   /* default */
#define LWIP_TCP_KEEPALIVE              0   /* default */
#define TCP_LISTEN_BACKLOG              0   /* default */

/* ---- memory: ~64 concurrent connections (plus TIME_WAIT), 64 KB queues each ---- */
#define MEM_ALIGNMENT                   8
#define MEM_SIZE                        (16 * 1024 * 1024) /* heap: tcp_write copies, RST/ACK pbufs */
#define MEMP_NUM_TCP_PCB                128
#define MEMP_NUM_TCP_PCB_LISTEN         16
#define MEMP_NUM_TCP_SEG                16384
#define MEMP_NUM_PBUF                   256
#define PBUF_POOL_SIZE                  4096   /* input pbufs (kept while queued out of order) */

/* ---- hooks -------------------------------------------------------------------------
 * The ISN hook reproduces lwIP's own tcp_next_iss() exactly (a counter from 6510
 * advanced by tcp_ticks) but with a counter the wrapper can reset between runs. */
#ifdef __cplusplus
extern "C" {
#endif
uint32_t toe_lwip_tcp_isn(void);
#ifdef __cplusplus
}
#endif
#define LWIP_HOOK_TCP_ISN(local_ip, local_port, remote_ip, remote_port) toe_lwip_tcp_isn()

#endif /* TOE_LWIPOPTS_H */
