/* SPDX-License-Identifier: Apache-2.0 */
/* toe_fw_selftest: the checks a firmware image runs at boot, before it touches the engine, on
 * the code the compiler made for its core: the Internet checksum (RFC 1071's own example, an odd
 * tail), big-endian field access, clock arithmetic across the 32-bit wrap, the configuration's
 * defaults, and the RFC 6298 estimator (initial RTO, first sample and the floor, the default
 * retry schedule of 183 s). No port access, no state: safe to run anywhere, any time. */
#ifndef TOE_FW_SELFTEST_H_
#define TOE_FW_SELFTEST_H_

#ifdef __cplusplus
extern "C" {
#endif

/* 0 when every check passed, else the number (1-based) of the first check that failed, with its
 * name in *failed (when failed is not NULL). */
unsigned toe_fw_selftest(const char **failed);

/* How many checks toe_fw_selftest runs. */
unsigned toe_fw_selftest_count(void);

#ifdef __cplusplus
}
#endif

#endif /* TOE_FW_SELFTEST_H_ */
