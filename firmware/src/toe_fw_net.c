/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw_net: byte loops and the Internet checksum (see toe_fw_net.h). */
#include "toe_fw_net.h"

void toe_fw_copy(uint8_t *dst, const uint8_t *src, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = src[i];
}

void toe_fw_zero(uint8_t *dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = 0;
}

int toe_fw_equal(const uint8_t *a, const uint8_t *b, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return 0;
  return 1;
}

uint32_t toe_fw_csum_add(uint32_t sum, const uint8_t *data, size_t n) {
  size_t i = 0;
  for (; i + 1 < n; i += 2) {
    sum += (uint32_t)data[i] << 8 | data[i + 1];
    if (sum & 0x80000000u) sum = (sum & 0xFFFFu) + (sum >> 16); /* keep headroom */
  }
  if (i < n) sum += (uint32_t)data[i] << 8; /* odd length: padded with a zero byte */
  return sum;
}

uint16_t toe_fw_csum_fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xFFFFu) + (sum >> 16);
  return (uint16_t)~sum;
}
