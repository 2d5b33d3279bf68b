/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw_net: the wire formats the firmware builds and parses (Ethernet II, ARP for IPv4 over
 * Ethernet, IPv4, ICMP), big-endian field access, the Internet checksum (RFC 1071), and the
 * firmware's clock arithmetic. No libc: the byte loops are here.
 *
 *  Ethernet II (14 bytes)       ARP, IPv4 over Ethernet (28 bytes, after the Ethernet header)
 *   0  dst MAC (6)               0  htype = 1 (2)       6  oper: 1 request, 2 reply (2)
 *   6  src MAC (6)               2  ptype = 0x0800 (2)  8  sha (6)   14 spa (4)
 *  12  EtherType (2)             4  hlen = 6, plen = 4  18 tha (6)   24 tpa (4)
 *
 *  IPv4 (20 bytes + options)                         ICMP echo (8 bytes + data)
 *   0  version 4, IHL (words)   1 TOS                 0  type: 8 request, 0 reply   1 code 0
 *   2  total length (2)         4 identification (2)  2  checksum (2, over the ICMP message)
 *   6  flags, fragment offset   8 TTL    9 protocol   4  identifier (2)  6 sequence number (2)
 *  10  header checksum (2)     12 src (4)  16 dst (4) 8  data
 */
#ifndef TOE_FW_NET_H_
#define TOE_FW_NET_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TOE_FW_ETH_HLEN 14u
#define TOE_FW_ETH_MIN_FRAME 60u /* without FCS: shorter frames are padded with zeros */
#define TOE_FW_ETHERTYPE_IPV4 0x0800u
#define TOE_FW_ETHERTYPE_ARP 0x0806u
#define TOE_FW_ARP_LEN 28u
#define TOE_FW_IPV4_HLEN 20u
#define TOE_FW_IPPROTO_ICMP 1u
#define TOE_FW_ICMP_ECHO_REPLY 0u
#define TOE_FW_ICMP_ECHO_REQUEST 8u

/* Big-endian fields. */
static inline uint16_t toe_fw_get16(const uint8_t *p) { return (uint16_t)((uint16_t)(p[0] << 8) | p[1]); }
static inline uint32_t toe_fw_get32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void toe_fw_put16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
}
static inline void toe_fw_put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

void toe_fw_copy(uint8_t *dst, const uint8_t *src, size_t n);
void toe_fw_zero(uint8_t *dst, size_t n);
int toe_fw_equal(const uint8_t *a, const uint8_t *b, size_t n); /* 1 when equal */

/* The Internet checksum, in pieces: sum = toe_fw_csum_add(sum, data, n) over the bytes in order
 * (a piece of odd length must be the last one), then toe_fw_csum_fold(sum): the one's complement
 * of the folded sum, to store in a header (a header with a correct checksum folds to 0). */
uint32_t toe_fw_csum_add(uint32_t sum, const uint8_t *data, size_t n);
uint16_t toe_fw_csum_fold(uint32_t sum);

/* The firmware's clock: microseconds, the low 32 bits of toe_fw_hal::now_us. Intervals are
 * below 2^31 us (about 35 minutes; toe_fw_config_check enforces it), so a deadline is due when
 * the signed difference is not negative. */
typedef uint32_t toe_fw_time_t;
static inline int toe_fw_due(toe_fw_time_t now, toe_fw_time_t at) { return (int32_t)(now - at) >= 0; }
/* Microseconds from now until at; 0 when due. */
static inline uint32_t toe_fw_until(toe_fw_time_t now, toe_fw_time_t at) {
  return toe_fw_due(now, at) ? 0u : (uint32_t)(at - now);
}

#ifdef __cplusplus
}
#endif

#endif /* TOE_FW_NET_H_ */
