/* SPDX-License-Identifier: Apache-2.0 */
/* A trapping register window (see trap_bar.h). */
#define _GNU_SOURCE /* REG_ERR, REG_EFL, REG_RIP */
#include "trap_bar.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <ucontext.h>
#include <unistd.h>

#define PAGE 4096u
#define EFLAGS_TF 0x100

static struct {
  volatile uint8_t *base;
  size_t size;
  const toe_mmio_t *dev;
  int pending, write;
  uint32_t off;
  unsigned width;
  uintptr_t page;
  uint64_t loads, stores;
} g;

static struct {
  const toe_mmio_t *dev;
  const uint8_t *line;
  int fd, stop, running;
  pthread_t thread;
} irq;

static void die(const char *msg) {
  const ssize_t n = write(2, msg, strlen(msg));
  (void)n;
  _exit(3);
}

int trap_bar_supported(void) {
#if defined(__x86_64__)
  return 1;
#else
  return 0;
#endif
}

#if defined(__x86_64__)
/* The width of the store at `ip`: MOV r/m8 (88, C6) is 1 byte, MOV r/m32 (89, C7) 4, or 2 with
 * an operand-size prefix; a 64-bit store (REX.W) or any other instruction is not a register
 * access the device has. */
static unsigned store_width(const uint8_t *ip) {
  int opsize16 = 0, rexw = 0;
  for (;; ++ip) {
    if (*ip == 0x66) {
      opsize16 = 1;
    } else if (*ip == 0xF0 || *ip == 0xF2 || *ip == 0xF3 || *ip == 0x2E || *ip == 0x3E || *ip == 0x26 ||
               *ip == 0x36 || *ip == 0x64 || *ip == 0x65 || *ip == 0x67) {
    } else {
      break;
    }
  }
  if ((*ip & 0xF0) == 0x40) {
    rexw = (*ip & 0x08) != 0;
    ++ip;
  }
  if (*ip == 0x88 || *ip == 0xC6) return 1;
  if ((*ip == 0x89 || *ip == 0xC7) && !rexw) return opsize16 ? 2u : 4u;
  die("trap_bar: a store into the register window that is not an 8/16/32-bit MOV\n");
  return 0;
}

static void on_segv(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = (ucontext_t *)ctx;
  const uintptr_t a = (uintptr_t)si->si_addr, b = (uintptr_t)g.base;
  if (g.base == NULL || a < b || a >= b + g.size || g.pending) {
    signal(sig, SIG_DFL); /* not ours: fault again, without us */
    return;
  }
  g.off = (uint32_t)(a - b);
  g.page = a & ~(uintptr_t)(PAGE - 1u);
  g.write = (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
  if (mprotect((void *)g.page, PAGE, PROT_READ | PROT_WRITE) != 0) die("trap_bar: mprotect\n");
  if (g.write) {
    g.width = store_width((const uint8_t *)uc->uc_mcontext.gregs[REG_RIP]);
    if ((g.off & 3u) + g.width > 4u) die("trap_bar: a store across a register\n");
  } else {
    uint32_t v = 0;
    if (g.dev->read32(g.dev->ctx, g.off & ~3u, &v) != TOE_BUS_OK) v = 0xFFFFFFFFu;
    *(volatile uint32_t *)(volatile void *)(g.base + (g.off & ~3u)) = v;
    ++g.loads;
  }
  g.pending = 1;
  uc->uc_mcontext.gregs[REG_EFL] |= EFLAGS_TF;
}

static void on_trap(int sig, siginfo_t *si, void *ctx) {
  (void)si;
  ucontext_t *uc = (ucontext_t *)ctx;
  if (!g.pending) {
    signal(sig, SIG_DFL);
    raise(sig);
    return;
  }
  if (g.write) {
    const uint32_t word = *(volatile uint32_t *)(volatile void *)(g.base + (g.off & ~3u));
    const uint8_t be = (uint8_t)(((1u << g.width) - 1u) << (g.off & 3u));
    (void)g.dev->write32(g.dev->ctx, g.off & ~3u, word, be); /* posted: an error is the device's */
    ++g.stores;
  }
  if (mprotect((void *)g.page, PAGE, PROT_NONE) != 0) die("trap_bar: mprotect\n");
  g.pending = 0;
  uc->uc_mcontext.gregs[REG_EFL] &= ~(greg_t)EFLAGS_TF;
}
#endif

volatile void *trap_bar_create(const toe_mmio_t *device, size_t size) {
#if defined(__x86_64__)
  if (g.base != NULL || device == NULL || size == 0 || size % PAGE != 0) {
    errno = EINVAL;
    return NULL;
  }
  void *p = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return NULL;
  memset(&g, 0, sizeof g);
  g.base = (volatile uint8_t *)p;
  g.size = size;
  g.dev = device;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sa.sa_sigaction = on_segv;
  if (sigaction(SIGSEGV, &sa, NULL) != 0) return NULL;
  sa.sa_sigaction = on_trap;
  if (sigaction(SIGTRAP, &sa, NULL) != 0) return NULL;
  return p;
#else
  (void)device;
  (void)size;
  errno = ENOSYS;
  return NULL;
#endif
}

static void *irq_main(void *arg) {
  (void)arg;
  uint32_t count = 0, unmask = 0;
  while (read(irq.fd, &unmask, sizeof unmask) == (ssize_t)sizeof unmask) {
    /* Unmasked: wait on the device in slices of 200 us of its time until the line is high. */
    for (;;) {
      if (__atomic_load_n(&irq.stop, __ATOMIC_ACQUIRE)) goto out;
      if (irq.dev->wait(irq.dev->ctx, 200) != TOE_BUS_OK) goto out;
      if (*irq.line) break;
    }
    ++count;
    if (write(irq.fd, &count, sizeof count) != (ssize_t)sizeof count) break;
  }
out:
  shutdown(irq.fd, SHUT_RDWR); /* the transport's next wait sees the hang-up: the device is gone */
  return NULL;
}

int trap_bar_irq_start(const toe_mmio_t *irq_device, const uint8_t *irq_line) {
  int sv[2];
  if (irq.running || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return -1;
  irq.dev = irq_device;
  irq.line = irq_line;
  irq.fd = sv[1];
  irq.stop = 0;
  if (pthread_create(&irq.thread, NULL, irq_main, NULL) != 0) {
    close(sv[0]);
    close(sv[1]);
    return -1;
  }
  irq.running = 1;
  return sv[0];
}

void trap_bar_destroy(void) {
  if (irq.running) {
    __atomic_store_n(&irq.stop, 1, __ATOMIC_RELEASE);
    shutdown(irq.fd, SHUT_RDWR);
    pthread_join(irq.thread, NULL);
    close(irq.fd);
    irq.running = 0;
  }
  if (g.base != NULL) {
    munmap((void *)(uintptr_t)g.base, g.size);
    g.base = NULL;
  }
}

uint64_t trap_bar_loads(void) { return g.loads; }
uint64_t trap_bar_stores(void) { return g.stores; }
