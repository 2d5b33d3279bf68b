#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The helpers of test_tap.py (toe_sim tap against Linux's own TCP): addresses, byte patterns,
failures (Fail, check, sh), the network namespace with its TAP device (Netns), toe_sim tap in it
(TapSim), the pcap lint with its excuses (lint_pcap), Linux's view of the connections
(linux_view: ss, nstat) and socket helpers (connect, recv_exact, recv_all, echo_round)."""
import ctypes
import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading

SKIP = 77
ENGINE = "10.0.0.2"
LINUX = "10.0.0.1"
CLONE_NEWNET = 0x40000000


def pattern(n, start=0):
    return bytes(((i * 7 + 3) & 0xFF) for i in range(start, start + n))


def sha_pattern(n):
    h = hashlib.sha256()
    block = pattern(7 * 256 * 64)  # the pattern repeats every 256 bytes
    left = n
    while left:
        k = min(left, len(block))
        h.update(block[:k])
        left -= k
    return h.hexdigest()


class Fail(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Fail(what)


def sh(*cmd, check_rc=True):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if check_rc and r.returncode != 0:
        raise Fail(f"{' '.join(cmd)}: exit {r.returncode}: {r.stderr.strip()}")
    return r.stdout


class Netns:
    def __init__(self, name):
        self.name = name
        self.orig = os.open("/proc/self/ns/net", os.O_RDONLY)

    def __enter__(self):
        sh("ip", "netns", "add", self.name)
        try:
            fd = os.open(f"/var/run/netns/{self.name}", os.O_RDONLY)
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.setns(fd, CLONE_NEWNET) != 0:
                raise Fail(f"setns: errno {ctypes.get_errno()}")
            os.close(fd)
            sh("ip", "link", "set", "lo", "up")
            sh("ip", "tuntap", "add", "dev", "tap0", "mode", "tap")
            sh("ip", "addr", "add", f"{LINUX}/24", "dev", "tap0")
            sh("sysctl", "-q", "net.ipv6.conf.tap0.disable_ipv6=1")
            sh("ip", "link", "set", "tap0", "up")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.setns(self.orig, CLONE_NEWNET)
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True)
        return False


def cap_linux_rto(ms):
    """Cap Linux's retransmission timeout in this network namespace (net.ipv4.tcp_rto_max_ms, Linux
    6.15 and later; default 120 s). Returns the cap set, or None where the kernel has no such knob.

    Why the lossy cases want it: the engine keeps no out-of-order segments and sends no timestamps
    (docs/architecture.md). When a retransmission of Linux's is lost or reordered during its loss
    recovery, Linux (Reno without SACK: nothing tells it which segment is missing) waits for its
    RTO, and that RTO doubles each time: with no timestamps, an ACK of retransmitted data gives no
    RTT sample (Karn), so nothing clears the backoff until an ACK covers fresh data alone. A run of
    such rounds was captured: 0.2, 0.4, 0.8, 1.7, 3.3, 6.6, 7.4 s between Linux's retransmissions
    while the engine duplicate-ACKed every out-of-order segment at once, as it should; the
    500 kB echo then made no progress for 20 s. A cap of 2 s bounds the wait per round: a stall
    of 20 s then takes a dozen failed rounds in a row instead of seven. An engine that stopped
    answering still fails the test (Linux retries every 2 s, nothing moves)."""
    path = "/proc/sys/net/ipv4/tcp_rto_max_ms"
    if not os.path.exists(path):
        return None
    with open(path, "w") as f:
        f.write(str(ms))
    return ms


class TapSim:
    """toe_sim tap in the current namespace."""

    def __init__(self, args, out, name, extra):
        self.pcap = os.path.join(out, f"tap_{name}.pcap")
        self.stats = os.path.join(out, f"tap_{name}.json")
        self.ladder = os.path.join(out, f"tap_{name}.svg")
        self.cmd = [args.toe_sim, "tap", "--ifname", "tap0", "--local-ip", ENGINE, "--pcap", self.pcap,
                    "--stats", self.stats, "--ladder", self.ladder] + extra
        self.lint = args.lint
        self.p = None

    def __enter__(self):
        self.p = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.p.stdout.readline()
        while line and "ready" not in line:
            line = self.p.stdout.readline()
        if not line:
            out, err = self.p.communicate(timeout=10)
            raise Fail(f"toe_sim tap did not start: exit {self.p.returncode}: {err.strip()}")
        return self

    def stop(self, timeout=30):
        self.p.send_signal(signal.SIGINT)
        out, err = self.p.communicate(timeout=timeout)
        self.stderr = err
        check(self.p.returncode == 0, f"toe_sim tap exit {self.p.returncode} after SIGINT: {err.strip()}")
        with open(self.stats) as f:
            self.j = json.load(f)
        lint_pcap(self.lint, self.pcap)
        return self.j

    def __exit__(self, etype, *exc):
        if self.p and self.p.poll() is None:
            # A failure: stop it the normal way to keep its outputs for the post-mortem.
            self.p.send_signal(signal.SIGINT)
            try:
                _, err = self.p.communicate(timeout=15)
                print(f"toe_sim tap (stopped after a failure): {err.strip()[:2000]}")
                print(f"its outputs: {self.stats} {self.pcap}")
                with open(self.stats) as f:
                    j = json.load(f)
                print(f"engine counters: {j['counters']}; tap: {j['tap']}; connections: {len(j['connections'])}, "
                      f"not closed: {[r for r in j['connections'] if r['end'] != 'closed'][:5]}")
            except (OSError, ValueError, KeyError):
                pass
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        return False


def lint_pcap(lint, pcap):
    """scripts/trace_lint.py, with one excuse: Linux sends a TCP checksum of 0xffff where 0x0000 was
    computed (its incremental update, RFC 1624: the same value in one's complement, valid for any
    receiver), which tshark flags as bad. Only frames from Linux with exactly that are excused."""
    r = subprocess.run([sys.executable, lint, pcap], capture_output=True, text=True)
    if r.returncode == 0:
        return
    frames = {}
    other = []
    for line in (r.stdout + r.stderr).splitlines():
        m = re.search(r"frame (\d+): (.*)$", line)
        if m:
            frames.setdefault(int(m.group(1)), set()).add(m.group(2))
        elif "no problems" not in line and line.strip():
            other.append(line)
    rfc1624 = {"bad TCP checksum", "TCP Checksum 0xffff instead of 0x0000 (see RFC 1624)"}
    excused = [n for n, msgs in frames.items() if msgs == rfc1624]
    if excused:
        flt = " || ".join(f"frame.number=={n}" for n in excused)
        src = sh("tshark", "-r", pcap, "-Y", flt, "-T", "fields", "-e", "ip.src").split()
        excused = excused if src and all(a == LINUX for a in src) else []
    # tshark flags an ACK of bytes it saw only in a retransmission that was cut at other boundaries
    # than the original (a retransmission that also carries new bytes does not advance its view of
    # the sender): excused when the capture does hold a segment covering the acknowledged byte.
    unseen = "ACKed segment that wasn't captured (common at capture start)"
    acked = [n for n, msgs in frames.items() if msgs == {unseen}]
    if acked:
        rows = sh("tshark", "-r", pcap, "-Y", "tcp", "-T", "fields", "-e", "frame.number", "-e", "ip.src", "-e",
                  "tcp.srcport", "-e", "tcp.dstport", "-e", "tcp.seq_raw", "-e", "tcp.ack_raw", "-e", "tcp.len",
                  "-e", "tcp.flags.syn", "-e", "tcp.flags.fin").splitlines()
        high = {}  # (src, sport, dport) -> highest sequence end sent (mod 2^32, as a count from the first)
        covered = set()
        for line in rows:
            f = line.split("\t")
            if len(f) < 9:
                continue
            n, src, sp, dp, seq, ack, ln = int(f[0]), f[1], f[2], f[3], int(f[4]), int(f[5] or 0), int(f[6] or 0)
            end = (seq + ln + (f[7] in ("1", "True")) + (f[8] in ("1", "True"))) & 0xFFFFFFFF
            key = (src, sp, dp)
            if key not in high or ((end - high[key]) & 0xFFFFFFFF) < 0x80000000:
                high[key] = end
            if n in acked:
                peer = next((k for k in high if k[1] == dp and k[2] == sp and k[0] != src), None)
                if peer and ((high[peer] - ack) & 0xFFFFFFFF) < 0x80000000:
                    covered.add(n)
        excused += [n for n in acked if n in covered]
    bad = {n: m for n, m in frames.items() if n not in excused}
    check(not bad and (frames or not other), f"trace_lint {pcap}: {r.stdout}{r.stderr}")
    print(f"trace_lint: {len(excused)} frame(s) excused (Linux's 0xffff checksums for 0x0000, RFC 1624; ACKs of "
          f"bytes the capture holds in a repacketized retransmission)")


def linux_view(allow_resets=False, allow_stray_rsts=False):
    """ss: every TCP connection with the engine is gone or in TIME-WAIT; nstat: no resets."""
    out = sh("ss", "-tanH")
    for line in out.splitlines():
        f = line.split()
        if len(f) < 5 or f[0] == "LISTEN":
            continue
        if ENGINE in f[3] or ENGINE in f[4]:
            check(f[0] == "TIME-WAIT", f"ss: a connection with the engine is {f[0]}: {line}")
    if not allow_resets:
        ns = sh("nstat", "-asz")
        vals = {}
        for line in ns.splitlines():
            f = line.split()
            if len(f) >= 2 and f[1].isdigit():
                vals[f[0]] = int(f[1])
        keys = ("TcpEstabResets",) if allow_stray_rsts else ("TcpOutRsts", "TcpEstabResets")
        for k in keys + ("TcpAttemptFails", "TcpExtTCPAbortOnData", "TcpExtTCPAbortOnClose",
                         "TcpExtTCPAbortOnTimeout"):
            check(vals.get(k, 0) == 0, f"nstat: {k} = {vals.get(k)}")
    return out


def wait_time_wait_ok():
    # Linux closed first on these: its sockets sit in TIME-WAIT (shown by ss), nothing else.
    return linux_view()


def connect(port, timeout=20):
    s = socket.create_connection((ENGINE, port), timeout=timeout)
    return s


def recv_exact(s, n):
    buf = bytearray()
    while len(buf) < n:
        b = s.recv(min(1 << 16, n - len(buf)))
        if not b:
            break
        buf += b
    return bytes(buf)


def recv_all(s):
    buf = bytearray()
    while True:
        b = s.recv(1 << 16)
        if not b:
            return bytes(buf)
        buf += b


def echo_round(port, data, stall_s=20):
    """Send data to an echo server and read it back, both at once. A socket timeout bounds each
    send and recv call: the round fails when the connection makes no progress for stall_s seconds,
    not when it is slow overall (sendall's timeout would bound the whole transfer, and a lossy
    link that recovers by retransmission timeouts is slow by design; ctest's TIMEOUT bounds the
    test)."""
    s = connect(port, timeout=stall_s)
    got = bytearray()
    failed = []

    def reader():
        try:
            got.extend(recv_exact(s, len(data)))
        except OSError as e:
            failed.append(e)

    t = threading.Thread(target=reader)
    t.start()
    view, sent = memoryview(data), 0
    try:
        while sent < len(data):
            sent += s.send(view[sent:sent + (1 << 16)])
    except OSError as e:
        raise OSError(f"echo_round: {sent} of {len(data)} B sent, {len(got)} B back, "
                      f"then no progress for {stall_s} s ({e})") from e
    t.join()
    if failed:
        raise OSError(f"echo_round: all {len(data)} B sent, {len(got)} B back, then no progress "
                      f"for {stall_s} s ({failed[0]})")
    s.shutdown(socket.SHUT_WR)
    rest = recv_all(s)
    s.close()
    return bytes(got) + rest
