/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The driver in its own process against `toe_sim serve` (C11, the out-of-process transports).
 *
 *   test_driver_serve TOE_SIM SCENARIO
 *
 * Each scenario starts `TOE_SIM serve` itself (fork/exec, its stdout on a pipe), waits for the
 * server's ready line (no fixed sleeps), runs, stops the server with SIGTERM and checks that it
 * exited 0. Exit 0 on success; the first failure is printed.
 *
 *   connect_echo        unix socket: connect to the lwIP listener (--peer-listen 9000, echo),
 *                       32 KiB echoed byte-exact, conn_info, shutdown, recv to end of stream
 *   accept_source       unix socket: listen on 7; lwIP connects (--peer-connect 7, source:20000);
 *                       accept, 20000 bytes of the source pattern, end of stream, close
 *   bar_connect_echo    connect_echo through the BAR-file mailbox (--bar-file)
 *   server_gone         unix socket: the server is killed (SIGKILL) while a toe_accept waits:
 *                       TOE_TRANSPORT_ERROR (the transport's TOE_BUS_LINK_DOWN), no hang
 *   bar_server_gone     the same through the BAR file
 *   raw_connect_echo    connect_echo through the raw-BAR transport (toe_mmio_bar_t: volatile
 *                       loads and stores, the UIO interrupt) on a trapping window (trap_bar.h)
 *                       whose every access reaches the served device; first its refusals: a
 *                       read-only write, a hole, beyond the window (TOE_BUS_ERR, LAST_ERROR)
 *   errors              unix socket: a connect to a closed port refused, an abort's RST
 *                       (CNT_RST_SENT), recv / accept / connect timing out at their simulated time
 *   threads             two servers, two devices in this process, each driven by its own thread
 *                       (one through the socket, one through the BAR file): 64 KiB echoed on each
 *   raw_open            toe_mmio_bar_open on plain files: missing, too small, all ones (no
 *                       device: ENODEV), zeros (toe_open: TOE_UNKNOWN_DEVICE, TYPE 0 found)
 *   raw_server_gone     server_gone through the raw BAR: reads come back all ones, TYPE too,
 *                       the transport says link down
 *   loss_echo_N         (N = 0, 1, 5) unix socket, the C firmware as the slow path (--slow-path
 *                       firmware): connect to the lwIP echo listener over a 1 Gb/s link with 20 us
 *                       delay, N % loss, and for N > 0 1 % reordering and 1 % duplication; 1 MiB
 *                       sent and read back byte-exact, shutdown, end of stream, the connection
 *                       freed after TIME_WAIT; the server's summary shows no give-up, and for
 *                       N > 0 losses, reordering, duplicates and firmware retransmissions
 *   hundred             unix socket, 128 sessions, the firmware: 100 connections to the lwIP echo
 *                       listener, all open at once, 2000..5663 bytes each echoed byte-exact, each
 *                       shut down, read to end of stream and freed
 *   hold                for toectl's test: connect_echo's connection with 1000 bytes echoed,
 *                       then "held" on stdout, held open until stdin closes (the server is the
 *                       caller's: TOE_SIM is then the socket path)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "toe/toe_driver.h"
#include "toe/toe_transport.h"
#include "toe/toe_wire.h"
#include "toe_defs.h"
#include "toe_regs.h"
#include "trap_bar.h"

#define CHECK(cond, ...)                                        \
  do {                                                          \
    if (!(cond)) {                                              \
      fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                             \
      fprintf(stderr, "\n");                                    \
      exit(1);                                                  \
    }                                                           \
  } while (0)

static const uint32_t kSecond = 1000000u;
static const uint32_t kEngineIp = 0x0A000002u, kPeerIp = 0x0A000001u;
static const uint8_t kEngineMac[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
static const uint8_t kPeerMac[6] = {0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0x01};

typedef struct server {
  pid_t pid;
  char sock[108];
  char bar[108];
} server_t;

/* Starts `toe_sim serve` with `extra` options (NULL-terminated) and waits for its ready line;
 * its stderr (the summary at the stop) goes to the file `log` when not NULL. */
static void server_spawn(server_t *s, const char *toe_sim, int use_bar, const char *const *extra, const char *log) {
  static int servers;
  const int k = servers++;
  snprintf(s->sock, sizeof s->sock, "/tmp/toe_serve_test_%d_%d.sock", (int)getpid(), k);
  snprintf(s->bar, sizeof s->bar, "/tmp/toe_serve_test_%d_%d.bar", (int)getpid(), k);
  unlink(s->sock);
  unlink(s->bar);
  int out[2];
  CHECK(pipe(out) == 0, "pipe");
  const char *argv[48];
  int n = 0;
  argv[n++] = toe_sim;
  argv[n++] = "serve";
  argv[n++] = use_bar ? "--bar-file" : "--socket";
  argv[n++] = use_bar ? s->bar : s->sock;
  argv[n++] = "--rto-ms";
  argv[n++] = "10";
  argv[n++] = "--msl-ms";
  argv[n++] = "10";
  for (; extra && *extra; ++extra) argv[n++] = *extra;
  argv[n] = NULL;
  s->pid = fork();
  CHECK(s->pid >= 0, "fork");
  if (s->pid == 0) {
    dup2(out[1], 1);
    if (log) {
      const int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (fd >= 0) dup2(fd, 2);
    }
    close(out[0]);
    close(out[1]);
    execv(toe_sim, (char *const *)argv);
    perror("execv");
    _exit(127);
  }
  close(out[1]);
  FILE *f = fdopen(out[0], "r");
  char line[512];
  int ready = 0;
  while (!ready && fgets(line, sizeof line, f)) ready = strstr(line, "toe_sim serve: ready") != NULL;
  CHECK(ready, "the server printed no ready line");
  /* The rest of stdout is not read: the server writes nothing more there. */
}

static void server_start(server_t *s, const char *toe_sim, int use_bar, const char *const *extra) {
  server_spawn(s, toe_sim, use_bar, extra, NULL);
}

/* The summary a server started with a log printed at its stop (after server_stop): the file's
 * text into buf (NUL-terminated), echoed on stderr; the file removed. */
static void server_summary(const char *log, char *buf, size_t cap) {
  FILE *f = fopen(log, "r");
  CHECK(f != NULL, "the server's log %s: %s", log, strerror(errno));
  const size_t n = fread(buf, 1, cap - 1, f);
  buf[n] = 0;
  fclose(f);
  unlink(log);
  fputs(buf, stderr);
}

/* The number after `key` in the summary's line starting with `line` (0 if absent). */
static unsigned long summary_count(const char *summary, const char *line, const char *key) {
  const char *l = strstr(summary, line);
  if (l == NULL) return 0;
  const char *end = strchr(l, '\n');
  const char *k = strstr(l, key);
  if (k == NULL || (end != NULL && k > end)) return 0;
  return strtoul(k + strlen(key), NULL, 10);
}

static void server_stop(server_t *s) {
  CHECK(kill(s->pid, SIGTERM) == 0, "kill");
  int st = 0;
  CHECK(waitpid(s->pid, &st, 0) == s->pid, "waitpid");
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the server did not exit 0 on SIGTERM (status %d)", st);
  CHECK(access(s->sock, F_OK) != 0, "the socket %s was left behind", s->sock);
  unlink(s->bar);
}

/* The transport as a toe_mmio_t: kind 0 the UNIX socket, 1 the BAR-file mailbox, 2 the raw BAR
 * on a trapping window (trap_bar.h) served over two socket connections (accesses, interrupt). */
enum { kSocket = 0, kBarFile = 1, kRawBar = 2 };
static const char *const kKindName[] = {"the socket", "the BAR file", "the raw BAR (trapped window, UIO-style interrupt)"};
typedef struct link {
  int kind;
  toe_mmio_unix_t u, irq;
  toe_mmio_mmap_t m;
  toe_mmio_bar_t b;
  int irq_fd;
  const toe_mmio_t *mmio;
} link_t;

static void link_open(link_t *l, const server_t *s, int kind) {
  toe_result_t r;
  l->kind = kind;
  if (kind == kBarFile) {
    r = toe_mmio_mmap_open(&l->m, s->bar, TOE_MAILBOX_BYTES);
    l->mmio = &l->m.mmio;
  } else {
    r = toe_mmio_unix_open(&l->u, s->sock);
    l->mmio = &l->u.mmio;
  }
  CHECK(r == TOE_OK, "transport open: %s (%s)", toe_result_str(r), strerror(errno));
  if (kind == kRawBar) {
    r = toe_mmio_unix_open(&l->irq, s->sock);
    CHECK(r == TOE_OK, "interrupt connection: %s (%s)", toe_result_str(r), strerror(errno));
    volatile void *w = trap_bar_create(&l->u.mmio, 0x10000);
    CHECK(w != NULL, "trap_bar_create: %s", strerror(errno));
    l->irq_fd = trap_bar_irq_start(&l->irq.mmio, &l->irq.irq);
    CHECK(l->irq_fd >= 0, "trap_bar_irq_start");
    r = toe_mmio_bar_attach(&l->b, w, 0x10000, l->irq_fd);
    CHECK(r == TOE_OK, "toe_mmio_bar_attach: %s", toe_result_str(r));
    l->mmio = &l->b.mmio;
  }
}

static void link_close(link_t *l) {
  if (l->kind == kBarFile) {
    toe_mmio_mmap_close(&l->m);
    return;
  }
  if (l->kind == kRawBar) {
    toe_mmio_bar_close(&l->b);
    trap_bar_destroy();
    close(l->irq_fd);
    toe_mmio_unix_close(&l->irq);
  }
  toe_mmio_unix_close(&l->u);
}

/* One device per thread (the driver keeps no global state; the threads scenario runs two). */
static _Thread_local toe_dev_t dev;
static _Thread_local toe_conn_t conns[256];

static void open_device(const link_t *l) {
  toe_result_t r = toe_open(&dev, l->mmio, conns, 256, NULL);
  CHECK(r == TOE_OK, "toe_open: %s", toe_result_str(r));
  toe_net_config_t net;
  memset(&net, 0, sizeof net);
  memcpy(net.mac, kEngineMac, 6);
  net.ipv4 = kEngineIp;
  net.enable = 1;
  r = toe_configure(&dev, &net);
  CHECK(r == TOE_OK, "toe_configure: %s", toe_result_str(r));
}

static uint8_t pattern(size_t i) { return (uint8_t)(i * 13u + (i >> 8)); }

/* Connect to the lwIP echo listener on 9000 from lport, send n bytes, read them back. */
static uint32_t connect_and_echo(uint16_t lport, size_t n) {
  toe_connect_params_t cp;
  memset(&cp, 0, sizeof cp);
  cp.ipv4 = kPeerIp;
  cp.port = 9000;
  cp.lport = lport;
  memcpy(cp.peer_mac, kPeerMac, 6);
  uint32_t conn = 0;
  toe_result_t r = toe_connect(&dev, &cp, kSecond, &conn);
  CHECK(r == TOE_OK, "toe_connect: %s", toe_result_str(r));
  size_t sent = 0, got = 0;
  uint8_t buf[4096];
  while (got < n) {
    if (sent < n) {
      size_t k = n - sent < sizeof buf ? n - sent : sizeof buf, did = 0;
      for (size_t i = 0; i < k; ++i) buf[i] = pattern(sent + i);
      r = toe_send(&dev, conn, buf, k, 0, &did);
      CHECK(r == TOE_OK || r == TOE_WOULD_BLOCK, "toe_send: %s", toe_result_str(r));
      sent += did;
    }
    size_t k = 0;
    r = toe_recv(&dev, conn, buf, sizeof buf, sent < n ? 0 : kSecond, &k);
    CHECK(r == TOE_OK || r == TOE_WOULD_BLOCK, "toe_recv: %s after %zu bytes", toe_result_str(r), got);
    for (size_t i = 0; i < k; ++i) CHECK(buf[i] == pattern(got + i), "byte %zu differs", got + i);
    got += k;
    if (r == TOE_WOULD_BLOCK && sent >= n) continue;
    if (k == 0 && sent < n) {
      r = toe_wait_event(&dev, 100000, NULL);
      CHECK(r == TOE_OK || r == TOE_TIMED_OUT, "toe_wait_event: %s", toe_result_str(r));
    }
  }
  return conn;
}

static void close_and_drain(uint32_t conn) {
  toe_result_t r = toe_shutdown(&dev, conn);
  CHECK(r == TOE_OK, "toe_shutdown: %s", toe_result_str(r));
  uint8_t buf[256];
  size_t k = 0;
  for (;;) {
    r = toe_recv(&dev, conn, buf, sizeof buf, 2 * kSecond, &k);
    if (r != TOE_OK) break;
    CHECK(k == 0, "unexpected data after the echo");
  }
  CHECK(r == TOE_CLOSED, "recv to end of stream: %s", toe_result_str(r));
}

/* The raw BAR's own checks before the driver runs: a register read, a write the device refuses
 * (a read-only register) and a read of a hole are TOE_BUS_ERR, found through BUS_ERRORS, with
 * LAST_ERROR naming them. */
static void raw_bar_checks(link_t *l) {
  const toe_mmio_t *m = l->mmio;
  uint32_t v = 0;
  CHECK(m->read32(m->ctx, TOE_REG_TYPE_OFFSET, &v) == TOE_BUS_OK && v == TOE_DEVICE_TYPE, "TYPE 0x%08x", v);
  CHECK(m->write32(m->ctx, TOE_REG_TYPE_OFFSET, 0, 0xF) == TOE_BUS_ERR, "a write to TYPE (ro) is refused");
  CHECK(m->read32(m->ctx, TOE_REG_LAST_ERROR_OFFSET, &v) == TOE_BUS_OK, "LAST_ERROR");
  CHECK(TOE_REG_FIELD_GET(v, LAST_ERROR, CODE) == TOE_REG_LAST_ERROR_CODE_READ_ONLY &&
            TOE_REG_FIELD_GET(v, LAST_ERROR, ADDR) == TOE_REG_TYPE_OFFSET,
        "LAST_ERROR 0x%08x", v);
  CHECK(m->read32(m->ctx, 0x1000, &v) == TOE_BUS_ERR, "a read of the hole at 0x1000 is refused");
  CHECK(m->read32(m->ctx, TOE_REG_LAST_ERROR_OFFSET, &v) == TOE_BUS_OK &&
            TOE_REG_FIELD_GET(v, LAST_ERROR, CODE) == TOE_REG_LAST_ERROR_CODE_UNMAPPED,
        "LAST_ERROR 0x%08x", v);
  CHECK(m->read32(m->ctx, 0x10000, &v) == TOE_BUS_ERR, "beyond the window: refused by the transport");
  CHECK(l->b.bus_errors == 2, "BUS_ERRORS %u", l->b.bus_errors);
}

static int scenario_connect_echo(const char *toe_sim, int kind) {
  if (kind == kRawBar && !trap_bar_supported()) {
    printf("skipped: the trapping window needs x86-64\n");
    return 77;
  }
  server_t s;
  const char *extra[] = {"--peer-listen", "9000", "--peer-app", "echo", NULL};
  server_start(&s, toe_sim, kind == kBarFile, extra);
  link_t l;
  link_open(&l, &s, kind);
  if (kind == kRawBar) raw_bar_checks(&l);
  open_device(&l);
  const uint32_t conn = connect_and_echo(40000, 32 * 1024);
  toe_conn_info_t ci;
  CHECK(toe_conn_info(&dev, conn, &ci) == TOE_OK, "conn_info");
  CHECK(ci.state == TOE_STATE_ESTABLISHED, "state %u", ci.state);
  CHECK(ci.lport == 40000 && ci.rport == 9000 && ci.remote_ipv4 == kPeerIp, "addresses");
  CHECK(ci.snd_una == ci.snd_nxt, "everything acknowledged");
  close_and_drain(conn);
  if (kind == kRawBar) {
    /* Every access the driver made was one trapped load or store, plus the transport's
     * BUS_ERRORS checks (loads too); interrupts came through the UIO-style descriptor. */
    const uint64_t loads = trap_bar_loads(), stores = trap_bar_stores();
    CHECK(loads + stores >= l.b.accesses && stores > 1000 && loads > 1000, "loads %llu stores %llu accesses %llu",
          (unsigned long long)loads, (unsigned long long)stores, (unsigned long long)l.b.accesses);
    CHECK(l.b.irq_count > 0, "no interrupt came through the UIO descriptor");
    printf("raw BAR: %llu trapped loads, %llu trapped stores, %u interrupts\n", (unsigned long long)loads,
           (unsigned long long)stores, l.b.irq_count);
  }
  link_close(&l);
  server_stop(&s);
  printf("ok: 32768 bytes echoed through %s\n", kKindName[kind]);
  return 0;
}

static int scenario_accept_source(const char *toe_sim) {
  server_t s;
  const char *extra[] = {"--peer-connect", "7", "--peer-connect-at-ms", "5", "--peer-app", "source:20000", NULL};
  server_start(&s, toe_sim, 0, extra);
  link_t l;
  link_open(&l, &s, 0);
  open_device(&l);
  CHECK(toe_listen(&dev, 7) == TOE_OK, "toe_listen");
  uint32_t conn = 0;
  toe_result_t r = toe_accept(&dev, 7, kSecond, &conn);
  CHECK(r == TOE_OK, "toe_accept: %s", toe_result_str(r));
  uint8_t buf[3000];
  size_t total = 0;
  for (;;) {
    size_t k = 0;
    r = toe_recv(&dev, conn, buf, sizeof buf, 2 * kSecond, &k);
    if (r != TOE_OK) break;
    for (size_t i = 0; i < k; ++i)
      CHECK(buf[i] == (uint8_t)(((total + i) * 7u + 3u) & 0xFFu), "byte %zu differs", total + i);
    total += k;
  }
  CHECK(r == TOE_CLOSED, "recv: %s after %zu bytes", toe_result_str(r), total);
  CHECK(total == 20000, "%zu bytes", total);
  CHECK(toe_shutdown(&dev, conn) == TOE_OK, "toe_shutdown");
  while (!dev.conns[conn].closed && !dev.conns[conn].reset) {
    r = toe_wait_event(&dev, kSecond, NULL);
    CHECK(r == TOE_OK, "waiting for the close: %s", toe_result_str(r));
  }
  toe_mmio_unix_close(&l.u);
  server_stop(&s);
  printf("ok: accepted, 20000 bytes of the source pattern, closed\n");
  return 0;
}

static toe_result_t accept_result;
static void *accept_thread(void *arg) {
  toe_dev_t *d = (toe_dev_t *)arg; /* the main thread's device */
  uint32_t conn = 0;
  accept_result = toe_accept(d, 7, 3600u * kSecond, &conn); /* an hour of simulated time */
  return NULL;
}

static int scenario_server_gone(const char *toe_sim, int kind) {
  if (kind == kRawBar && !trap_bar_supported()) {
    printf("skipped: the trapping window needs x86-64\n");
    return 77;
  }
  server_t s;
  server_start(&s, toe_sim, kind == kBarFile, NULL);
  link_t l;
  link_open(&l, &s, kind);
  open_device(&l);
  CHECK(toe_listen(&dev, 7) == TOE_OK, "toe_listen");
  pthread_t th;
  accept_result = TOE_OK;
  CHECK(pthread_create(&th, NULL, accept_thread, &dev) == 0, "pthread_create");
  CHECK(kill(s.pid, SIGKILL) == 0, "kill");
  int st = 0;
  CHECK(waitpid(s.pid, &st, 0) == s.pid, "waitpid");
  pthread_join(th, NULL);
  CHECK(accept_result == TOE_TRANSPORT_ERROR, "toe_accept with the server gone: %s", toe_result_str(accept_result));
  uint32_t v = 0;
  CHECK(l.mmio->read32(l.mmio->ctx, 0, &v) == TOE_BUS_LINK_DOWN, "the next access: link down");
  CHECK(toe_listen(&dev, 8) == TOE_TRANSPORT_ERROR, "the next call: TOE_TRANSPORT_ERROR");
  if (kind == kRawBar) link_close(&l);
  unlink(s.sock);
  unlink(s.bar);
  printf("ok: TOE_TRANSPORT_ERROR once the server was killed (%s)\n", kKindName[kind]);
  return 0;
}

/* toe_mmio_bar_open on files standing for a BAR: a missing file, a too-small size, a BAR of
 * all ones (no device there), and a BAR of zeros (a device, but not ours: toe_open refuses it
 * and says what it found). */
static int scenario_raw_open(void) {
  toe_mmio_bar_t b;
  errno = 0;
  CHECK(toe_mmio_bar_open(&b, "/nonexistent/resource0", 0x10000, NULL) == TOE_TRANSPORT_ERROR && errno == ENOENT,
        "a missing file: errno %d", errno);
  char path[] = "/tmp/toe_raw_bar_XXXXXX";
  const int fd = mkstemp(path);
  CHECK(fd >= 0, "mkstemp");
  static uint8_t page[0x10000];
  memset(page, 0xFF, sizeof page);
  CHECK(write(fd, page, sizeof page) == (ssize_t)sizeof page, "write");
  CHECK(toe_mmio_bar_open(&b, path, 8, NULL) == TOE_BAD_ARG, "a window too small for BUS_ERRORS");
  errno = 0;
  CHECK(toe_mmio_bar_open(&b, path, sizeof page, NULL) == TOE_TRANSPORT_ERROR && errno == ENODEV,
        "all ones: no device (errno %d)", errno);
  memset(page, 0, sizeof page);
  CHECK(pwrite(fd, page, sizeof page, 0) == (ssize_t)sizeof page, "pwrite");
  CHECK(toe_mmio_bar_open(&b, path, sizeof page, path) == TOE_OK, "zeros: a window");
  toe_dev_t d;
  toe_conn_t c[4];
  CHECK(toe_open(&d, &b.mmio, c, 4, NULL) == TOE_UNKNOWN_DEVICE, "TYPE 0 is not a toecore device");
  CHECK(d.info.type == 0, "toe_open says what it found: TYPE 0x%08x", d.info.type);
  CHECK(b.mmio.write32(b.mmio.ctx, 2, 0, 0xF) == TOE_BUS_ERR, "a misaligned offset is refused by the transport");
  toe_mmio_bar_close(&b);
  toe_mmio_bar_close(&b);
  close(fd);
  unlink(path);
  printf("ok: toe_mmio_bar_open refuses a missing file, a short window and a BAR of all ones; toe_open a BAR of zeros\n");
  return 0;
}

/* Two devices in one process, each driven by its own thread: two servers, one reached through
 * the socket and one through the BAR file, 64 KiB echoed on each at the same time. */
typedef struct dev_thread {
  const server_t *server;
  int kind;
  uint16_t lport;
  uint64_t echoed;
} dev_thread_t;

static void *device_thread(void *arg) {
  dev_thread_t *t = (dev_thread_t *)arg;
  link_t l;
  link_open(&l, t->server, t->kind);
  open_device(&l);
  const uint32_t conn = connect_and_echo(t->lport, 64 * 1024);
  toe_conn_info_t ci;
  CHECK(toe_conn_info(&dev, conn, &ci) == TOE_OK && ci.lport == t->lport, "this thread's own connection");
  close_and_drain(conn);
  t->echoed = 64 * 1024;
  link_close(&l);
  return NULL;
}

static int scenario_threads(const char *toe_sim) {
  server_t s[2];
  const char *extra[] = {"--peer-listen", "9000", "--peer-app", "echo", NULL};
  server_start(&s[0], toe_sim, 0, extra);
  server_start(&s[1], toe_sim, 1, extra);
  dev_thread_t t[2] = {{&s[0], kSocket, 41000, 0}, {&s[1], kBarFile, 42000, 0}};
  pthread_t th[2];
  for (int i = 0; i < 2; ++i) CHECK(pthread_create(&th[i], NULL, device_thread, &t[i]) == 0, "pthread_create");
  for (int i = 0; i < 2; ++i) pthread_join(th[i], NULL);
  CHECK(t[0].echoed == 65536 && t[1].echoed == 65536, "both devices echoed");
  server_stop(&s[0]);
  server_stop(&s[1]);
  printf("ok: two devices, two threads (the socket and the BAR file), 65536 bytes echoed on each\n");
  return 0;
}

/* The error cases out of process: a connect to a port lwIP does not listen on is refused; an
 * abort sends a RST (CNT_RST_SENT counts it); recv, accept and connect time out at their
 * simulated time (the socket's now_us: the time the last response carried), to the clock's
 * microsecond. */
static uint64_t timed_us(uint64_t t0) { return dev.mmio.now_us(dev.mmio.ctx) - t0; }

static int scenario_errors(const char *toe_sim) {
  server_t s;
  const char *extra[] = {"--peer-listen", "9000", "--peer-app", "echo", NULL};
  server_start(&s, toe_sim, 0, extra);
  link_t l;
  link_open(&l, &s, kSocket);
  open_device(&l);
  toe_connect_params_t cp;
  memset(&cp, 0, sizeof cp);
  cp.ipv4 = kPeerIp;
  cp.port = 9001;
  cp.lport = 40100;
  memcpy(cp.peer_mac, kPeerMac, 6);
  uint32_t conn = 0;
  toe_result_t r = toe_connect(&dev, &cp, kSecond, &conn);
  CHECK(r == TOE_REFUSED, "a connect to a closed port: %s", toe_result_str(r));

  cp.port = 9000;
  cp.lport = 40101;
  r = toe_connect(&dev, &cp, kSecond, &conn);
  CHECK(r == TOE_OK, "toe_connect: %s", toe_result_str(r));
  uint8_t buf[64];
  size_t k = 0;
  uint64_t t0 = dev.mmio.now_us(dev.mmio.ctx);
  r = toe_recv(&dev, conn, buf, sizeof buf, 7000, &k);
  uint64_t took = timed_us(t0);
  CHECK(r == TOE_TIMED_OUT && took + 1 >= 7000 && took < 8000, "recv: %s after %llu us", toe_result_str(r),
        (unsigned long long)took);
  uint32_t rst0 = 0, rst1 = 0;
  CHECK(l.mmio->read32(l.mmio->ctx, TOE_REG_CNT_RST_SENT_OFFSET, &rst0) == TOE_BUS_OK, "CNT_RST_SENT");
  CHECK(toe_abort(&dev, conn) == TOE_OK, "toe_abort");
  CHECK(toe_wait_event(&dev, 1000, NULL) != TOE_TRANSPORT_ERROR, "wait");
  CHECK(l.mmio->read32(l.mmio->ctx, TOE_REG_CNT_RST_SENT_OFFSET, &rst1) == TOE_BUS_OK, "CNT_RST_SENT");
  CHECK(rst1 == rst0 + 1, "the abort sent one RST (CNT_RST_SENT %u -> %u)", rst0, rst1);

  CHECK(toe_listen(&dev, 7) == TOE_OK, "toe_listen");
  t0 = dev.mmio.now_us(dev.mmio.ctx);
  r = toe_accept(&dev, 7, 25000, &conn);
  took = timed_us(t0);
  CHECK(r == TOE_TIMED_OUT && took + 1 >= 25000 && took < 26000, "accept: %s after %llu us", toe_result_str(r),
        (unsigned long long)took);
  cp.ipv4 = kPeerIp + 98; /* nobody */
  cp.lport = 40102;
  t0 = dev.mmio.now_us(dev.mmio.ctx);
  r = toe_connect(&dev, &cp, 13000, &conn);
  took = timed_us(t0);
  CHECK(r == TOE_TIMED_OUT && took + 1 >= 13000 && took < 14000, "connect to nobody: %s after %llu us",
        toe_result_str(r), (unsigned long long)took);
  link_close(&l);
  server_stop(&s);
  printf("ok: refused, an abort's RST, recv / accept / connect timed out at their time\n");
  return 0;
}

static double wall_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The data of connection k (of the hundred), byte i. */
static uint8_t stream_byte(uint32_t k, size_t i) { return (uint8_t)((i * 31u + k * 7u + (i >> 9)) & 0xFFu); }

/* One connection of an echo run: what is sent, what came back. */
typedef struct stream {
  uint32_t conn;
  uint32_t k;   /* stream_byte's k */
  size_t n;     /* bytes to send */
  size_t sent, got;
  int shut, eof, freed;
} stream_t;

/* Connect from lport to the lwIP listener on 9000. */
static uint32_t connect_to_peer(uint16_t lport) {
  toe_connect_params_t cp;
  memset(&cp, 0, sizeof cp);
  cp.ipv4 = kPeerIp;
  cp.port = 9000;
  cp.lport = lport;
  memcpy(cp.peer_mac, kPeerMac, 6);
  uint32_t conn = 0;
  const toe_result_t r = toe_connect(&dev, &cp, 5 * kSecond, &conn);
  CHECK(r == TOE_OK, "toe_connect from %u: %s", (unsigned)lport, toe_result_str(r));
  return conn;
}

/* Drives every stream until each has sent its bytes, read them back (checked byte by byte), shut
 * down, read to end of stream and seen the engine free the connection: non-blocking sends and
 * receives, toe_wait_event when nothing moved. Any other result fails the run. */
static void run_streams(stream_t *s, size_t count) {
  uint8_t buf[4096];
  size_t finished = 0;
  unsigned idle_waits = 0;
  while (finished < count) {
    int moved = 0;
    finished = 0;
    for (size_t j = 0; j < count; ++j) {
      stream_t *t = &s[j];
      if (t->freed) {
        ++finished;
        continue;
      }
      toe_result_t r;
      if (t->sent < t->n) {
        size_t k = t->n - t->sent < sizeof buf ? t->n - t->sent : sizeof buf, did = 0;
        for (size_t i = 0; i < k; ++i) buf[i] = stream_byte(t->k, t->sent + i);
        r = toe_send(&dev, t->conn, buf, k, 0, &did);
        CHECK(r == TOE_OK || r == TOE_WOULD_BLOCK, "toe_send on %u: %s", t->conn, toe_result_str(r));
        t->sent += did;
        moved |= did > 0;
      } else if (!t->shut) {
        r = toe_shutdown(&dev, t->conn);
        CHECK(r == TOE_OK, "toe_shutdown on %u: %s", t->conn, toe_result_str(r));
        t->shut = 1;
      }
      if (!t->eof) {
        size_t k = 0;
        r = toe_recv(&dev, t->conn, buf, sizeof buf, 0, &k);
        CHECK(r == TOE_OK || r == TOE_WOULD_BLOCK || r == TOE_CLOSED, "toe_recv on %u: %s after %zu bytes", t->conn,
              toe_result_str(r), t->got);
        for (size_t i = 0; i < k; ++i)
          CHECK(buf[i] == stream_byte(t->k, t->got + i), "conn %u: byte %zu differs", t->conn, t->got + i);
        t->got += k;
        moved |= k > 0;
        if (r == TOE_CLOSED) {
          CHECK(t->got == t->n, "conn %u: end of stream after %zu of %zu bytes", t->conn, t->got, t->n);
          t->eof = 1;
          moved = 1;
        }
      }
      if (t->eof) {
        const toe_conn_t *c = &dev.conns[t->conn];
        CHECK(!c->reset && !c->timed_out, "conn %u: reset %d timed out %d", t->conn, c->reset, c->timed_out);
        t->freed = c->closed;
      }
    }
    if (!moved && finished < count) {
      const toe_result_t r = toe_wait_event(&dev, 100000, NULL);
      CHECK(r == TOE_OK || r == TOE_TIMED_OUT, "toe_wait_event: %s", toe_result_str(r));
      CHECK(++idle_waits < 2000, "no progress for 200 s of simulated time (%zu of %zu finished)", finished, count);
    } else {
      idle_waits = 0;
    }
  }
}

static int scenario_loss_echo(const char *toe_sim, int pct) {
  server_t s;
  char loss[16];
  snprintf(loss, sizeof loss, "%.2f", pct / 100.0);
  const char *impair = pct > 0 ? "0.01" : "0";
  const char *extra[] = {"--slow-path", "firmware", "--rate-mbps", "1000", "--delay-us", "20",
                         "--loss", loss, "--reorder", impair, "--duplicate", impair, "--seed", "41",
                         "--peer-listen", "9000", "--peer-app", "echo", NULL};
  char log[108], summary[8192];
  snprintf(log, sizeof log, "/tmp/toe_serve_test_%d.log", (int)getpid());
  server_spawn(&s, toe_sim, 0, extra, log);
  const double t0 = wall_now();
  link_t l;
  link_open(&l, &s, 0);
  open_device(&l);
  stream_t st;
  memset(&st, 0, sizeof st);
  st.conn = connect_to_peer(40000);
  st.k = 1;
  st.n = 1024u * 1024u;
  run_streams(&st, 1);
  const double sim_s = (double)l.mmio->now_us(l.mmio->ctx) * 1e-6;
  toe_mmio_unix_close(&l.u);
  server_stop(&s);
  server_summary(log, summary, sizeof summary);
  /* The link did lose, reorder and duplicate frames, and the firmware recovered the engine's. */
  const unsigned long lost = summary_count(summary, "link a->b", " lost ") + summary_count(summary, "link b->a", " lost ");
  const unsigned long dup =
      summary_count(summary, "link a->b", " duplicated ") + summary_count(summary, "link b->a", " duplicated ");
  const unsigned long reord =
      summary_count(summary, "link a->b", " reordered ") + summary_count(summary, "link b->a", " reordered ");
  if (pct > 0) {
    CHECK(lost > 0 && dup > 0 && reord > 0, "lost %lu, duplicated %lu, reordered %lu frames", lost, dup, reord);
    CHECK(summary_count(summary, "platform.firmware:", " retransmits ") > 0, "the firmware retransmitted");
  } else {
    CHECK(lost == 0 && dup == 0 && reord == 0, "a clean link: lost %lu, duplicated %lu, reordered %lu", lost, dup, reord);
  }
  CHECK(strstr(summary, "platform.firmware:") != NULL, "the firmware was the slow path");
  CHECK(strstr(summary, " give_ups 0 ") != NULL, "the firmware never gave up");
  printf("ok: 1 MiB each way at %d %% loss through the socket, byte-exact, closed (%.2f s wall, %.3f s simulated)\n",
         pct, wall_now() - t0, sim_s);
  return 0;
}

static int scenario_hundred(const char *toe_sim) {
  server_t s;
  const char *extra[] = {"--slow-path", "firmware", "--sessions", "128", "--peer-listen", "9000",
                         "--peer-app", "echo", NULL};
  server_start(&s, toe_sim, 0, extra);
  const double t0 = wall_now();
  link_t l;
  link_open(&l, &s, 0);
  open_device(&l);
  enum { kConns = 100 };
  static stream_t st[kConns];
  memset(st, 0, sizeof st);
  for (uint32_t k = 0; k < kConns; ++k) {
    st[k].conn = connect_to_peer((uint16_t)(40000 + k));
    st[k].k = k;
    st[k].n = 2000u + 37u * k;
  }
  for (uint32_t a = 0; a < kConns; ++a)
    for (uint32_t b = a + 1; b < kConns; ++b) CHECK(st[a].conn != st[b].conn, "two connections on session %u", st[a].conn);
  run_streams(st, kConns);
  size_t total = 0;
  for (uint32_t k = 0; k < kConns; ++k) total += st[k].got;
  const double sim_s = (double)l.mmio->now_us(l.mmio->ctx) * 1e-6;
  toe_mmio_unix_close(&l.u);
  server_stop(&s);
  printf("ok: 100 connections, %zu bytes echoed byte-exact, all closed (%.2f s wall, %.3f s simulated)\n", total,
         wall_now() - t0, sim_s);
  return 0;
}

static int scenario_hold(const char *sock) {
  link_t l;
  CHECK(toe_mmio_unix_open(&l.u, sock) == TOE_OK, "open %s: %s", sock, strerror(errno));
  l.mmio = &l.u.mmio;
  open_device(&l);
  connect_and_echo(40000, 1000);
  printf("held\n");
  fflush(stdout);
  char c;
  while (read(0, &c, 1) > 0) {
  }
  toe_mmio_unix_close(&l.u);
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s TOE_SIM|SOCKET SCENARIO\n", argv[0]);
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  const char *sc = argv[2];
  if (strcmp(sc, "connect_echo") == 0) return scenario_connect_echo(argv[1], 0);
  if (strcmp(sc, "bar_connect_echo") == 0) return scenario_connect_echo(argv[1], kBarFile);
  if (strcmp(sc, "raw_connect_echo") == 0) return scenario_connect_echo(argv[1], kRawBar);
  if (strcmp(sc, "accept_source") == 0) return scenario_accept_source(argv[1]);
  if (strcmp(sc, "server_gone") == 0) return scenario_server_gone(argv[1], 0);
  if (strcmp(sc, "bar_server_gone") == 0) return scenario_server_gone(argv[1], kBarFile);
  if (strcmp(sc, "raw_open") == 0) return scenario_raw_open();
  if (strcmp(sc, "threads") == 0) return scenario_threads(argv[1]);
  if (strcmp(sc, "errors") == 0) return scenario_errors(argv[1]);
  if (strcmp(sc, "raw_server_gone") == 0) return scenario_server_gone(argv[1], kRawBar);
  if (strcmp(sc, "loss_echo_0") == 0) return scenario_loss_echo(argv[1], 0);
  if (strcmp(sc, "loss_echo_1") == 0) return scenario_loss_echo(argv[1], 1);
  if (strcmp(sc, "loss_echo_5") == 0) return scenario_loss_echo(argv[1], 5);
  if (strcmp(sc, "hundred") == 0) return scenario_hundred(argv[1]);
  if (strcmp(sc, "hold") == 0) return scenario_hold(argv[1]);
  fprintf(stderr, "unknown scenario %s\n", sc);
  return 2;
}
