/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A trapping register window for the raw-BAR transport's tests (x86-64 Linux): a mapping
 * whose loads and stores reach a real device, as a PCIe BAR's do, with no hardware.
 *
 * The window is mapped PROT_NONE. A load or store in it faults (SIGSEGV, with the exact
 * address and, in the page-fault error code, whether it was a write). For a load the handler
 * reads the register from the device and puts the value in the page; for a store it notes the
 * store's width from the instruction's opcode. It then opens the page and single-steps the
 * instruction (EFLAGS.TF); the SIGTRAP after it sends the stored bytes to the device with their
 * byte enables and closes the page again. Every access is therefore exactly one device access,
 * in program order, with its side effects (clear on read, pops) as on hardware. A refused read
 * reads as all ones and a refused write is dropped, as a PCIe BAR behaves.
 *
 * The interrupt: a UIO-style file descriptor (a socket pair); after the transport writes 1 to
 * unmask, a thread waits on the device (its own connection) until the interrupt line is high
 * and then writes the 32-bit count, as /dev/uioN does.
 *
 * One window per process (the signal handlers are process-wide); the device is reached through
 * any toe_mmio_t (here: a UNIX-socket connection to `toe_sim serve`).
 */
#ifndef TOE_TESTS_TRAP_BAR_H_
#define TOE_TESTS_TRAP_BAR_H_

#include <stddef.h>
#include <stdint.h>

#include "toe/toe_driver.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Whether this machine can trap (x86-64). */
int trap_bar_supported(void);

/** Map a `size`-byte trapping window onto `device` (kept by the caller) and install the
 *  handlers. Returns the window, or NULL (errno says why). */
volatile void *trap_bar_create(const toe_mmio_t *device, size_t size);

/** Start the interrupt thread on `irq_device` (its own connection, kept by the caller).
 *  Returns the UIO-style file descriptor the transport uses, or -1. */
int trap_bar_irq_start(const toe_mmio_t *irq_device, const uint8_t *irq_line);

/** Stop the interrupt thread and unmap the window. */
void trap_bar_destroy(void);

/** Loads and stores trapped so far. */
uint64_t trap_bar_loads(void);
uint64_t trap_bar_stores(void);

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif /* TOE_TESTS_TRAP_BAR_H_ */
