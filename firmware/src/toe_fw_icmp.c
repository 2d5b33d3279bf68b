/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw_icmp: echo replies (see toe_fw_icmp.h). */
#include "toe_fw_icmp.h"

#include "toe_fw.h"

/* Adds the frame bytes [from, to) to a checksum whose message starts at an even frame offset:
 * the bytes in head below TOE_FW_HEAD_BYTES, the rest read from RX_FRAME by words. */
static toe_fw_result_t sum_frame(struct toe_fw *fw, const uint8_t *head, uint32_t from, uint32_t to, uint32_t *sum) {
  uint32_t s = *sum;
  uint32_t o = from;
  for (; o < to && o < TOE_FW_HEAD_BYTES; ++o) s += (o & 1u) ? head[o] : (uint32_t)head[o] << 8;
  for (; o < to; o += 4) { /* o is a multiple of 4 here */
    uint32_t w = 0;
    toe_fw_result_t r = toe_fw_port_rx_word(&fw->port, o, &w);
    if (r != TOE_FW_OK) return r;
    for (uint32_t i = 0; i < 4 && o + i < to; ++i) {
      const uint32_t b = (w >> (8u * i)) & 0xFFu;
      s += (i & 1u) ? b : b << 8;
    }
    if (s & 0x80000000u) s = (s & 0xFFFFu) + (s >> 16);
  }
  *sum = s;
  return TOE_FW_OK;
}

void toe_fw_icmp_input(struct toe_fw *fw, uint8_t *head, uint32_t len) {
  const uint32_t have = len < TOE_FW_HEAD_BYTES ? len : TOE_FW_HEAD_BYTES;
  uint8_t *ip = head + TOE_FW_ETH_HLEN;
  if (have < TOE_FW_ETH_HLEN + TOE_FW_IPV4_HLEN) {
    ++fw->stats.frames_bad;
    return;
  }
  const uint32_t ihl = 4u * (ip[0] & 0xFu);
  const uint32_t total = toe_fw_get16(ip + 2);
  if ((ip[0] >> 4) != 4u || ihl < TOE_FW_IPV4_HLEN || TOE_FW_ETH_HLEN + ihl + 8u > have || total < ihl + 8u ||
      TOE_FW_ETH_HLEN + total > len || toe_fw_csum_fold(toe_fw_csum_add(0, ip, ihl)) != 0) {
    ++fw->stats.frames_bad;
    return;
  }
  uint8_t *icmp = ip + ihl;
  if (ip[9] != TOE_FW_IPPROTO_ICMP || (toe_fw_get16(ip + 6) & 0x3FFFu) != 0 || fw->ip == 0 ||
      toe_fw_get32(ip + 16) != fw->ip || icmp[0] != TOE_FW_ICMP_ECHO_REQUEST || icmp[1] != 0) {
    ++fw->stats.frames_ignored; /* not an echo request for us, or a fragment */
    return;
  }
  /* Pass 1: the ICMP message's sum without its first word (type, code, checksum). */
  const uint32_t start = TOE_FW_ETH_HLEN + ihl, end = TOE_FW_ETH_HLEN + total;
  uint32_t rest = 0;
  if (sum_frame(fw, head, start + 4u, end, &rest) != TOE_FW_OK) return;
  if (toe_fw_csum_fold(rest + toe_fw_get16(icmp) + toe_fw_get16(icmp + 2)) != 0) {
    ++fw->stats.frames_bad;
    return;
  }
  ++fw->stats.icmp_echo_in;
  /* The reply's start, in place. */
  uint8_t peer_mac[6];
  toe_fw_copy(peer_mac, head + 6, 6);
  toe_fw_copy(head, peer_mac, 6);
  toe_fw_copy(head + 6, fw->mac, 6);
  const uint32_t peer_ip = toe_fw_get32(ip + 12);
  toe_fw_put16(ip + 4, fw->ip_id++);
  toe_fw_put16(ip + 6, 0);
  ip[8] = fw->cfg.ip_ttl;
  toe_fw_put16(ip + 10, 0);
  toe_fw_put32(ip + 12, fw->ip);
  toe_fw_put32(ip + 16, peer_ip);
  toe_fw_put16(ip + 10, toe_fw_csum_fold(toe_fw_csum_add(0, ip, ihl)));
  icmp[0] = TOE_FW_ICMP_ECHO_REPLY;
  icmp[1] = 0;
  toe_fw_put16(icmp + 2, toe_fw_csum_fold(rest)); /* type 0, code 0: the first word adds 0 */
  /* Pass 2: copy. */
  toe_fw_result_t r = toe_fw_port_tx_begin(&fw->port);
  if (r == TOE_FW_OK) r = toe_fw_port_tx_write(&fw->port, 0, head, end < have ? end : have);
  for (uint32_t o = have; r == TOE_FW_OK && o < end; o += 4) {
    uint32_t w = 0;
    r = toe_fw_port_rx_word(&fw->port, o, &w);
    if (r == TOE_FW_OK) r = toe_fw_port_tx_word(&fw->port, o, w, 0xFu);
  }
  uint32_t out = end;
  if (r == TOE_FW_OK && out < TOE_FW_ETH_MIN_FRAME) {
    r = toe_fw_port_tx_zero(&fw->port, out, TOE_FW_ETH_MIN_FRAME);
    out = TOE_FW_ETH_MIN_FRAME;
  }
  if (r == TOE_FW_OK) r = toe_fw_port_tx_send(&fw->port, out);
  if (r == TOE_FW_OK) {
    ++fw->stats.frames_out;
    ++fw->stats.icmp_echo_out;
  } else {
    ++fw->stats.tx_failed;
  }
}
