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
 *   hold                for toectl's test: connect_echo's connection with 1000 bytes echoed,
 *                       then "held" on stdout, held open until stdin closes (the server is the
 *                       caller's: TOE_SIM is then the socket path)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "toe/toe_driver.h"
#include "toe/toe_transport.h"
#include "toe/toe_wire.h"
#include "toe_defs.h"

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

/* Starts `toe_sim serve` with `extra` options (NULL-terminated) and waits for its ready line. */
static void server_start(server_t *s, const char *toe_sim, int use_bar, const char *const *extra) {
  snprintf(s->sock, sizeof s->sock, "/tmp/toe_serve_test_%d.sock", (int)getpid());
  snprintf(s->bar, sizeof s->bar, "/tmp/toe_serve_test_%d.bar", (int)getpid());
  unlink(s->sock);
  unlink(s->bar);
  int out[2];
  CHECK(pipe(out) == 0, "pipe");
  const char *argv[32];
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

static void server_stop(server_t *s) {
  CHECK(kill(s->pid, SIGTERM) == 0, "kill");
  int st = 0;
  CHECK(waitpid(s->pid, &st, 0) == s->pid, "waitpid");
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the server did not exit 0 on SIGTERM (status %d)", st);
  CHECK(access(s->sock, F_OK) != 0, "the socket %s was left behind", s->sock);
  unlink(s->bar);
}

/* The transport (unix or BAR) as a toe_mmio_t. */
typedef struct link {
  toe_mmio_unix_t u;
  toe_mmio_mmap_t m;
  const toe_mmio_t *mmio;
} link_t;

static void link_open(link_t *l, const server_t *s, int use_bar) {
  toe_result_t r;
  if (use_bar) {
    r = toe_mmio_mmap_open(&l->m, s->bar, TOE_MAILBOX_BYTES);
    l->mmio = &l->m.mmio;
  } else {
    r = toe_mmio_unix_open(&l->u, s->sock);
    l->mmio = &l->u.mmio;
  }
  CHECK(r == TOE_OK, "transport open: %s (%s)", toe_result_str(r), strerror(errno));
}

static toe_dev_t dev;
static toe_conn_t conns[64];

static void open_device(const link_t *l) {
  toe_result_t r = toe_open(&dev, l->mmio, conns, 64, NULL);
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

static int scenario_connect_echo(const char *toe_sim, int use_bar) {
  server_t s;
  const char *extra[] = {"--peer-listen", "9000", "--peer-app", "echo", NULL};
  server_start(&s, toe_sim, use_bar, extra);
  link_t l;
  link_open(&l, &s, use_bar);
  open_device(&l);
  const uint32_t conn = connect_and_echo(40000, 32 * 1024);
  toe_conn_info_t ci;
  CHECK(toe_conn_info(&dev, conn, &ci) == TOE_OK, "conn_info");
  CHECK(ci.state == TOE_STATE_ESTABLISHED, "state %u", ci.state);
  CHECK(ci.lport == 40000 && ci.rport == 9000 && ci.remote_ipv4 == kPeerIp, "addresses");
  CHECK(ci.snd_una == ci.snd_nxt, "everything acknowledged");
  close_and_drain(conn);
  if (use_bar) {
    toe_mmio_mmap_close(&l.m);
  } else {
    toe_mmio_unix_close(&l.u);
  }
  server_stop(&s);
  printf("ok: 32768 bytes echoed through %s\n", use_bar ? "the BAR file" : "the socket");
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
  (void)arg;
  uint32_t conn = 0;
  accept_result = toe_accept(&dev, 7, 3600u * kSecond, &conn); /* an hour of simulated time */
  return NULL;
}

static int scenario_server_gone(const char *toe_sim, int use_bar) {
  server_t s;
  server_start(&s, toe_sim, use_bar, NULL);
  link_t l;
  link_open(&l, &s, use_bar);
  open_device(&l);
  CHECK(toe_listen(&dev, 7) == TOE_OK, "toe_listen");
  pthread_t th;
  accept_result = TOE_OK;
  CHECK(pthread_create(&th, NULL, accept_thread, NULL) == 0, "pthread_create");
  CHECK(kill(s.pid, SIGKILL) == 0, "kill");
  int st = 0;
  CHECK(waitpid(s.pid, &st, 0) == s.pid, "waitpid");
  pthread_join(th, NULL);
  CHECK(accept_result == TOE_TRANSPORT_ERROR, "toe_accept with the server gone: %s", toe_result_str(accept_result));
  uint32_t v = 0;
  CHECK(l.mmio->read32(l.mmio->ctx, 0, &v) == TOE_BUS_LINK_DOWN, "the next access: link down");
  CHECK(toe_listen(&dev, 8) == TOE_TRANSPORT_ERROR, "the next call: TOE_TRANSPORT_ERROR");
  unlink(s.sock);
  unlink(s.bar);
  printf("ok: TOE_TRANSPORT_ERROR once the server was killed (%s)\n", use_bar ? "BAR file" : "socket");
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
  if (strcmp(sc, "bar_connect_echo") == 0) return scenario_connect_echo(argv[1], 1);
  if (strcmp(sc, "accept_source") == 0) return scenario_accept_source(argv[1]);
  if (strcmp(sc, "server_gone") == 0) return scenario_server_gone(argv[1], 0);
  if (strcmp(sc, "bar_server_gone") == 0) return scenario_server_gone(argv[1], 1);
  if (strcmp(sc, "hold") == 0) return scenario_hold(argv[1]);
  fprintf(stderr, "unknown scenario %s\n", sc);
  return 2;
}
