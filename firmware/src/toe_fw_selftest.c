/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw_selftest: the boot-time checks (see toe_fw_selftest.h). */
#include "toe_fw_selftest.h"

#include <stdint.h>

#include "toe_fw_config.h"
#include "toe_fw_net.h"
#include "toe_fw_rto.h"

static int csum_rfc1071_example(void) {
  /* RFC 1071 section 3: the 16-bit sum of these bytes is ddf2 (checksum 220d). */
  static const uint8_t data[8] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  const uint32_t whole = toe_fw_csum_add(0, data, 8);
  const uint32_t pieces = toe_fw_csum_add(toe_fw_csum_add(0, data, 2), data + 2, 6);
  return toe_fw_csum_fold(whole) == 0x220du && toe_fw_csum_fold(pieces) == 0x220du;
}

static int csum_odd_tail(void) {
  /* An odd last byte is the high byte of a word padded with zero. */
  static const uint8_t data[3] = {0x12, 0x34, 0x56};
  return toe_fw_csum_fold(toe_fw_csum_add(0, data, 3)) == (uint16_t)~(uint16_t)(0x1234u + 0x5600u);
}

static int big_endian_fields(void) {
  uint8_t b[6];
  toe_fw_put32(b, 0x0a000002u);
  toe_fw_put16(b + 4, 0x0806u);
  return b[0] == 0x0a && b[3] == 0x02 && b[4] == 0x08 && b[5] == 0x06 && toe_fw_get32(b) == 0x0a000002u &&
         toe_fw_get16(b + 4) == 0x0806u;
}

static int clock_wraps(void) {
  /* A deadline 21 us after 0xfffffff0 lies past the wrap. */
  const toe_fw_time_t before = 0xfffffff0u, at = before + 21u;
  return !toe_fw_due(before, at) && toe_fw_until(before, at) == 21u && toe_fw_due(at, at) && toe_fw_due(at + 1u, at) &&
         toe_fw_until(at + 5u, at) == 0u;
}

static int config_defaults(void) {
  struct toe_fw_config c;
  toe_fw_config_default(&c);
  return toe_fw_config_check(&c) == TOE_FW_OK && c.rto_initial_ms == 1000u && c.rto_min_ms == 1000u &&
         c.rto_max_ms >= 60000u && c.delayed_ack_ms < 500u;
}

static int rto_first_sample(void) {
  struct toe_fw_config c;
  toe_fw_config_default(&c);
  struct toe_fw_rto e;
  toe_fw_rto_init(&e);
  if (toe_fw_rto_current(&e, &c) != 1000000u) return 0; /* 2.1 */
  toe_fw_rto_sample(&e, &c, 100000u);                   /* 2.2: SRTT 100 ms, RTTVAR 50 ms */
  return e.srtt_us == 100000u && e.rttvar_us == 50000u && toe_fw_rto_current(&e, &c) == 1000000u; /* 2.4 */
}

static int rto_schedule(void) {
  /* 1+2+4+8+16+32+60+60 s: give-up no sooner than 3 minutes (MUST-23). */
  struct toe_fw_config c;
  toe_fw_config_default(&c);
  struct toe_fw_rto e;
  toe_fw_rto_init(&e);
  uint64_t t = toe_fw_rto_current(&e, &c);
  for (uint8_t i = 0; i < c.max_syn_retries; ++i) {
    toe_fw_rto_backoff(&e, &c);
    t += toe_fw_rto_current(&e, &c);
  }
  return t == 183000000u;
}

struct check {
  const char *name;
  int (*run)(void);
};

static const struct check checks[] = {
    {"csum_rfc1071_example", csum_rfc1071_example},
    {"csum_odd_tail", csum_odd_tail},
    {"big_endian_fields", big_endian_fields},
    {"clock_wraps", clock_wraps},
    {"config_defaults", config_defaults},
    {"rto_first_sample", rto_first_sample},
    {"rto_schedule", rto_schedule},
};

unsigned toe_fw_selftest_count(void) { return (unsigned)(sizeof checks / sizeof checks[0]); }

unsigned toe_fw_selftest(const char **failed) {
  for (unsigned i = 0; i < toe_fw_selftest_count(); ++i) {
    if (!checks[i].run()) {
      if (failed != 0) *failed = checks[i].name;
      return i + 1u;
    }
  }
  if (failed != 0) *failed = 0;
  return 0;
}
