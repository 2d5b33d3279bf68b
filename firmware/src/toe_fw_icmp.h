/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw_icmp: ICMP echo replies (RFC 792, RFC 1122 3.2.2.6) for the engine's IPv4 address.
 *
 * An echo request (type 8, code 0) in an unfragmented IPv4 packet to the engine's address, with
 * a correct IPv4 header checksum and ICMP checksum, is answered with an echo reply to its
 * sender: Ethernet to the request's source MAC; IPv4 with the request's header length, TOS and
 * options, a new identification, no fragment flags, TTL cfg.ip_ttl, the addresses swapped and
 * the header checksum computed; ICMP type 0, code 0, identifier, sequence number and data as
 * received, the checksum computed over the whole message. A frame shorter than 60 bytes is
 * padded with zeros. The message is not buffered: the first bytes come from the caller's copy of
 * the frame, the rest goes word by word from RX_FRAME to TX_FRAME (read twice: once to check and
 * sum it, once to copy it), so a 1500-byte ping needs no 1500 bytes of RAM. */
#ifndef TOE_FW_ICMP_H_
#define TOE_FW_ICMP_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct toe_fw;

/* The bytes of the head frame's start the caller reads (a multiple of 4, at least Ethernet +
 * the longest IPv4 header + the ICMP header). */
#define TOE_FW_HEAD_BYTES 96u

/* An IPv4 frame of len bytes at the head of the receive queue, whose first
 * min(len, TOE_FW_HEAD_BYTES) bytes are in head (modified: it becomes the reply's start). */
void toe_fw_icmp_input(struct toe_fw *fw, uint8_t *head, uint32_t len);

#ifdef __cplusplus
}
#endif

#endif /* TOE_FW_ICMP_H_ */
