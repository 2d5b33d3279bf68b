#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""toe_sim tap against Linux's own TCP (ctest label interop; see tests/README.md).

Each case makes its own network namespace (toe-<pid>-<case>) with a TAP device tap0 (Linux
10.0.0.1/24, IPv6 off), enters it (setns), runs `toe_sim tap` there (engine 10.0.0.2), talks to
it with Linux sockets (and curl), stops it with SIGINT, and checks: toe_sim's exit code and
stats JSON, the pcap through scripts/trace_lint.py, `ss -tan` (no connection to the engine left
but TIME-WAIT), `nstat` (no resets where none belong). The namespace is deleted whatever happens.
Exit 0 pass, 1 fail, 77 skipped (not root, or no /dev/net/tun).

  test_tap.py --toe-sim PATH --lint scripts/trace_lint.py --out DIR CASE

The shared helpers (namespace, toe_sim tap, pcap lint, ss/nstat, sockets) are in tap_helpers.py.
"""
import argparse
import hashlib
import os
import selectors
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time

from tap_helpers import (SKIP, ENGINE, LINUX, pattern, sha_pattern, Fail, check, sh, Netns, TapSim,
                         linux_view, wait_time_wait_ok, connect, recv_all, echo_round, cap_linux_rto)


# --- cases -------------------------------------------------------------------------------

def icmp_checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return (~s) & 0xFFFF


def case_ping(args, out):
    with TapSim(args, out, "ping", []) as sim:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        s.settimeout(2)
        rtts = []
        for seq in range(5):
            payload = pattern(56)
            hdr = struct.pack("!BBHHH", 8, 0, 0, 0x1234, seq)
            pkt = struct.pack("!BBHHH", 8, 0, icmp_checksum(hdr + payload), 0x1234, seq) + payload
            t0 = time.monotonic()
            s.sendto(pkt, (ENGINE, 0))
            while True:
                r = s.recv(2048)
                ihl = (r[0] & 0xF) * 4
                typ, _, _, ident, rseq = struct.unpack("!BBHHH", r[ihl:ihl + 8])
                if typ == 0 and ident == 0x1234 and rseq == seq:
                    check(r[ihl + 8:] == payload, "ping: the reply's payload differs")
                    rtts.append((time.monotonic() - t0) * 1000)
                    break
            time.sleep(0.05)
        j = sim.stop()
    check(j["firmware"]["icmp_echo_out"] >= 5, f"firmware icmp_echo_out {j['firmware']['icmp_echo_out']}")
    check(j["firmware"]["arp_replies_out"] >= 1, "the firmware answered no ARP request")
    print(f"ping: 5 replies, RTT min {min(rtts):.3f} ms avg {sum(rtts) / len(rtts):.3f} ms max {max(rtts):.3f} ms")
    linux_view()


def case_echo(args, out):
    with TapSim(args, out, "echo", ["--listen", "7:echo"]) as sim:
        data = pattern(200000)
        back = echo_round(7, data)
        check(back == data, f"echo: {len(back)} bytes back of {len(data)}, or they differ")
        time.sleep(0.3)
        j = sim.stop()
    rows = j["connections"]
    check(len(rows) == 1 and rows[0]["bytes_in"] == 200000 and rows[0]["bytes_out"] == 200000 and rows[0]["end"] == "closed",
          f"echo rows {rows}")
    print(f"echo: 200000 bytes round trip; simulated {j['simulated_s']:.2f} s in {j['wall_s']:.2f} s")
    v = wait_time_wait_ok()
    check("TIME-WAIT" in v, "ss: Linux closed first and shows no TIME-WAIT")


def http_get(path, conn_hdr=None):
    import http.client
    c = http.client.HTTPConnection(ENGINE, 80, timeout=30)
    h = {"Connection": conn_hdr} if conn_hdr else {}
    c.request("GET", path, headers=h)
    r = c.getresponse()
    body = r.read()
    return c, r, body


def case_http(args, out):
    n = 10_000_000
    # TIME_WAIT (2*MSL) outlasts the case: the two connections the engine closes first must still
    # hold it at the stop however slowly this build runs (under ASan the 10 MB GET leaves the
    # simulation tens of seconds behind the wall clock, and it catches up during the later steps).
    with TapSim(args, out, "http", ["--listen", "80:http", "--msl-ms", "60000"]) as sim:
        t0 = time.monotonic()
        if shutil.which("curl"):
            r = subprocess.run(["curl", "-sS", "--max-time", "100", "-w", "%{http_code}", "-o", "-",
                                f"http://{ENGINE}/bytes/{n}"], capture_output=True)
            check(r.returncode == 0, f"curl: exit {r.returncode}: {r.stderr.decode()}")
            body, code = r.stdout[:-3], r.stdout[-3:].decode()
        else:
            print("curl is not installed: http.client instead")
            c, resp, body = http_get(f"/bytes/{n}", "close")
            code = str(resp.status)
            c.close()
        dt = time.monotonic() - t0
        check(code == "200", f"GET /bytes/{n}: status {code}")
        check(len(body) == n and hashlib.sha256(body).hexdigest() == sha_pattern(n), "GET /bytes: sha256 differs")
        print(f"http: GET /bytes/{n}: sha256 ok, {n / dt / 1e6:.2f} MB/s wall ({dt:.1f} s)")
        # Keep-alive: two requests on one connection, then GET / (the counters).
        import http.client
        c = http.client.HTTPConnection(ENGINE, 80, timeout=30)
        for path in ("/bytes/1000", "/bytes/5"):
            c.request("GET", path)
            r = c.getresponse()
            b = r.read()
            check(r.status == 200 and b == pattern(int(path.split("/")[-1])), f"keep-alive {path}")
        c.request("GET", "/")
        r = c.getresponse()
        page = r.read().decode()
        check(r.status == 200 and "frames_in" in page and "drop_not_for_us" in page, f"GET /: {page[:200]}")
        c.request("GET", "/nothing")
        r = c.getresponse()
        r.read()
        check(r.status == 404, f"GET /nothing: {r.status}")
        c.close()
        # Pipelined requests, split across segments (one byte at a time for the first).
        s = connect(80)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        req = (b"GET /bytes/10 HTTP/1.1\r\nHost: e\r\n\r\n" + b"GET /bytes/3 HTTP/1.1\r\nHost: e\r\n\r\n" +
               b"GET /bytes/4 HTTP/1.1\r\nHost: e\r\nConnection: close\r\n\r\n")
        for i in range(20):
            s.send(req[i:i + 1])
            time.sleep(0.005)
        s.sendall(req[20:])
        resp = recv_all(s)
        s.close()
        parts = resp.split(b"HTTP/1.1 200 OK")
        check(len(parts) == 4 and resp.endswith(pattern(4)) and b"Connection: close" in parts[3],
              f"pipelined: {resp[:300]!r}")
        # A bad request: 400 and the connection closes.
        s = connect(80)
        s.sendall(b"BOGUS\r\n\r\n")
        resp = recv_all(s)
        s.close()
        check(resp.startswith(b"HTTP/1.1 400 "), f"bad request: {resp[:100]!r}")
        time.sleep(0.3)
        j = sim.stop()
    # The engine closed first after Connection: close and the 400: those wait in TIME_WAIT.
    check(all(r["end"] in ("closed", "time_wait") and r["ok"] for r in j["connections"]), f"http rows {j['connections']}")
    check([r["end"] for r in j["connections"]].count("time_wait") == 2, f"http rows {j['connections']}")
    linux_view()


def send_to_discard(port, n):
    """n bytes of the pattern to the discard app, then a half-close; True when it sent nothing back
    and closed."""
    s = connect(port)
    block = pattern(65536)
    left = n
    while left:
        k = min(left, len(block))
        s.sendall(block[:k])
        left -= k
    s.shutdown(socket.SHUT_WR)
    ok = recv_all(s) == b""
    s.close()
    return ok


def case_discard(args, out):
    n = 10_000_000
    with TapSim(args, out, "discard", ["--listen", "9:discard"]) as sim:
        t0 = time.monotonic()
        check(send_to_discard(9, n), "discard sent data")
        dt = time.monotonic() - t0
        time.sleep(0.3)
        j = sim.stop()
    rows = j["connections"]
    check(len(rows) == 1 and rows[0]["bytes_in"] == n and rows[0]["end"] == "closed", f"discard rows {rows}")
    print(f"discard: {n} bytes counted by the engine's app, {n / dt / 1e6:.2f} MB/s wall ({dt:.1f} s)")
    linux_view()


def case_connect(args, out):
    n = 300000
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((LINUX, 5000))
    ls.listen(4)
    ls.settimeout(20)
    got = {}

    def server():
        c, _ = ls.accept()
        data = bytearray()
        while True:  # echo everything back until the engine closes
            b = c.recv(65536)
            if not b:
                break
            data += b
            c.sendall(b)
        got["data"] = bytes(data)
        c.close()

    t = threading.Thread(target=server)
    t.start()
    with TapSim(args, out, "connect", ["--connect", f"{LINUX}:5000:check:{n}"]) as sim:
        t.join(60)
        check("data" in got and got["data"] == pattern(n), "connect: Linux's listener did not get the pattern")
        time.sleep(0.3)
        j = sim.stop()
    ls.close()
    rows = j["connections"]
    check(len(rows) == 1 and rows[0]["bytes_in"] == n and rows[0]["bytes_out"] == n and rows[0].get("mismatches", 0) == 0,
          f"connect rows {rows}")
    fw = j["firmware"]
    check(fw["connects_resolved"] == 1 and fw["arp_requests_out"] >= 1,
          f"connect by IP address: the firmware did not resolve Linux's MAC by ARP ({fw})")
    print(f"connect: the engine sent {n} bytes to Linux's listener and read them back "
          f"(connected by IP address: Linux's MAC from the firmware's ARP)")
    linux_view()


def connect_many(count, batch=25):
    """count connections to the echo port, `batch` handshakes at a time (below the engine's SYN
    cache of Sessions / 2, which evicts the oldest half-open connection when full)."""
    socks = []
    while len(socks) < count:
        group = []
        for _ in range(min(batch, count - len(socks))):
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex((ENGINE, 7))
            group.append(s)
        sel = selectors.DefaultSelector()
        for s in group:
            sel.register(s, selectors.EVENT_WRITE)
        left, deadline = len(group), time.monotonic() + 30
        while left and time.monotonic() < deadline:
            for key, _ in sel.select(timeout=1):
                err = key.fileobj.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                check(err == 0, f"connect: {os.strerror(err)}")
                sel.unregister(key.fileobj)
                left -= 1
        check(left == 0, f"connect: {left} of {len(group)} handshakes not done in 30 s")
        socks += group
    return socks


def parallel_echo(count, size):
    sel = selectors.DefaultSelector()
    data = pattern(size)
    socks = []
    for s in connect_many(count):
        st = {"sent": 0, "back": bytearray(), "shut": False}
        sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE, st)
        socks.append((s, st))
    deadline = time.monotonic() + 90
    open_ = count
    while open_ and time.monotonic() < deadline:
        for key, ev in sel.select(timeout=1):
            s, st = key.fileobj, key.data
            if ev & selectors.EVENT_WRITE and st["sent"] < size:
                try:
                    st["sent"] += s.send(data[st["sent"]:])
                except BlockingIOError:
                    pass
                if st["sent"] == size and not st["shut"]:
                    s.shutdown(socket.SHUT_WR)
                    st["shut"] = True
                    sel.modify(s, selectors.EVENT_READ, st)
            if ev & selectors.EVENT_READ:
                try:
                    b = s.recv(65536)
                except BlockingIOError:
                    continue
                if not b:
                    sel.unregister(s)
                    open_ -= 1
                else:
                    st["back"] += b
    for s, st in socks:
        check(bytes(st["back"]) == data, f"parallel: a connection got {len(st['back'])} bytes back of {size}")
        s.close()


def case_parallel(args, out):
    with TapSim(args, out, "parallel", ["--listen", "7:echo"]) as sim:
        t0 = time.monotonic()
        parallel_echo(100, 20000)
        dt = time.monotonic() - t0
        time.sleep(0.3)
        j = sim.stop()
    rows = j["connections"]
    check(len(rows) == 100 and all(r["end"] == "closed" and r["bytes_in"] == 20000 for r in rows), "parallel rows")
    print(f"parallel: 100 echo connections of 20000 bytes in {dt:.1f} s")
    linux_view()


def case_loss(args, out, n=200_000, per_conn=2000, echo_bytes=20_000, name="loss"):
    # 16 KiB buffers (windows of 11 segments): the engine has no fast retransmit and resends its
    # whole window from SND.UNA on a timeout; small windows keep those bursts short. Linux's RTO
    # backoff is capped at 2 s in this namespace (cap_linux_rto says why).
    cap = cap_linux_rto(2000)
    print(f"{name}: Linux's RTO capped at {cap} ms" if cap else f"{name}: this kernel has no tcp_rto_max_ms")
    with TapSim(args, out, name, ["--listen", "7:echo", "--listen", "80:http", "--loss", "2", "--reorder", "2",
                                    "--seed", "7", "--buf-kib", "16"]) as sim:
        parallel_echo(100, per_conn)
        c, r, body = http_get(f"/bytes/{n}", "close")
        c.close()
        check(r.status == 200 and hashlib.sha256(body).hexdigest() == sha_pattern(n), "loss: GET /bytes sha256")
        data = pattern(echo_bytes)
        check(echo_round(7, data) == data, "loss: echo")
        time.sleep(0.3)
        j = sim.stop()
    lost = j["link"]["engine_to_linux"]["lost"] + j["link"]["linux_to_engine"]["lost"]
    retx = sum(r["retransmissions_engine"] for r in j["connections"])
    check(lost > 0 and j["link"]["engine_to_linux"]["reordered"] > 0, f"loss: the link lost {lost}")
    # The http response said Connection: close: the engine closed first and may sit in TIME_WAIT.
    check(all(r["end"] in ("closed", "time_wait") and r["ok"] for r in j["connections"]),
          f"loss rows {[r for r in j['connections'] if r['end'] != 'closed']}")
    print(f"loss: 2 % loss and reordering: {lost} frames lost, {retx} retransmissions by the engine; all intact")
    # A segment the link held back (reordering) may arrive after its connection closed: the side
    # that has no connection any more answers it with a RST (RFC 9293 3.10.7.1), which belongs
    # here. No established connection may be reset, nothing aborted.
    linux_view(allow_stray_rsts=True)


def raw_frames():
    """Well-formed frames the engine does not handle: IPv6 UDP, IPv4 multicast UDP, VLAN-tagged IPv4
    UDP, an ARP request for another address."""
    mac = bytes.fromhex(sh("ip", "-br", "link", "show", "tap0").split()[2].replace(":", ""))
    eng = bytes.fromhex("020000000002")
    src6, dst6 = bytes.fromhex("fe80" + "00" * 13 + "01"), bytes.fromhex("fe80" + "00" * 13 + "02")
    data = b"not for you"
    udp_len = 8 + len(data)
    pseudo = src6 + dst6 + struct.pack("!I3xB", udp_len, 17)
    csum = icmp_checksum(pseudo + struct.pack("!HHHH", 5000, 5001, udp_len, 0) + data) or 0xFFFF
    v6 = eng + mac + b"\x86\xdd" + struct.pack("!IHBB", 0x60000000, udp_len, 17, 64) + src6 + dst6 + \
        struct.pack("!HHHH", 5000, 5001, udp_len, csum) + data

    def ipv4_udp(dst):
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 1, 0, 1, 17, 0, socket.inet_aton(LINUX),
                         socket.inet_aton(dst))
        ip = ip[:10] + struct.pack("!H", icmp_checksum(ip)) + ip[12:]
        return ip + struct.pack("!HHHH", 5000, 5001, udp_len, 0) + data
    mc = bytes.fromhex("01005e000001") + mac + b"\x08\x00" + ipv4_udp("224.0.0.1")
    vlan = eng + mac + b"\x81\x00\x00\x05\x08\x00" + ipv4_udp(ENGINE)
    arp = b"\xff" * 6 + mac + b"\x08\x06" + struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + mac + \
        socket.inet_aton(LINUX) + bytes(6) + socket.inet_aton("10.0.0.77")
    return [v6, mc, vlan, arp]


def case_junk(args, out):
    with TapSim(args, out, "junk", ["--listen", "7:echo"]) as sim:
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        s.bind(("tap0", 0))
        for f in raw_frames() * 5:
            s.send(f)
        s.close()
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for _ in range(5):
            u.sendto(b"hello", (ENGINE, 9999))
        u.close()
        time.sleep(0.2)
        check(echo_round(7, b"still alive") == b"still alive", "junk: echo after the junk")
        time.sleep(0.3)
        j = sim.stop()
    c = j["counters"]
    dropped = sum(v for k, v in c.items() if k.startswith("drop_"))
    check(dropped >= 20 and c["arp_in"] >= 5, f"junk: the engine counted {dropped} drops: {c}")
    print(f"junk: {dropped} frames dropped and counted ({c}), echo still works")
    # Linux answers nothing with a reset here (the UDP is ICMP-unreachable territory, not TCP).
    linux_view()


def case_bad_input(args, out):
    def run(extra, want):
        r = subprocess.run([args.toe_sim, "tap"] + extra, capture_output=True, text=True, timeout=20)
        check(r.returncode == 2 and want in r.stderr, f"{extra}: exit {r.returncode}, stderr {r.stderr.strip()!r}")
        print(f"  {' '.join(extra)} -> exit 2: {r.stderr.strip()}")
    base = ["--ifname", "tap0", "--local-ip", ENGINE]
    run(["--ifname", "lo", "--local-ip", ENGINE], "--ifname")
    run(["--ifname", "x" * 20, "--local-ip", ENGINE], "--ifname")
    run(base + ["--listen", "80"], "--listen")
    run(base + ["--listen", "99999:echo"], "--listen")
    run(base + ["--listen", "80:bogus"], "--listen")
    run(base + ["--listen", "80:echo", "--listen", "80:http"], "--listen")
    run(base + ["--connect", "10.0.0.1:5000"], "--connect")
    run(base + ["--connect", "10.0.0:5000:echo"], "--connect")
    run(["--ifname", "tap0", "--local-ip", LINUX], "--local-ip")
    with TapSim(args, out, "busy", []) as sim:
        run(base, "--ifname")  # the TAP is in use
        sim.stop()


def case_rtl(args, out):
    # The Verilated RTL behind the device (--engine rtl): it evaluates every clock, so simulated
    # time runs far behind the wall clock (the pacer never sleeps); Linux's timers see a slow
    # peer. Small transfers: a ping, an echo round trip and an http GET, with the firmware and the
    # driver's apps in the loop as with the model.
    with TapSim(args, out, "rtl", ["--engine", "rtl", "--listen", "7:echo", "--listen", "80:http"]) as sim:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        s.settimeout(20)
        payload = pattern(56)
        hdr = struct.pack("!BBHHH", 8, 0, 0, 0x4321, 1)
        s.sendto(struct.pack("!BBHHH", 8, 0, icmp_checksum(hdr + payload), 0x4321, 1) + payload, (ENGINE, 0))
        while True:
            r = s.recv(2048)
            ihl = (r[0] & 0xF) * 4
            typ, _, _, ident, rseq = struct.unpack("!BBHHH", r[ihl:ihl + 8])
            if typ == 0 and ident == 0x4321 and rseq == 1:
                check(r[ihl + 8:] == payload, "rtl: the ping reply's payload differs")
                break
        data = pattern(20_000)
        check(echo_round(7, data) == data, "rtl: echo")
        n = 100_000
        c, r, body = http_get(f"/bytes/{n}", "close")
        c.close()
        check(r.status == 200 and hashlib.sha256(body).hexdigest() == sha_pattern(n), "rtl: GET /bytes sha256")
        time.sleep(0.3)
        j = sim.stop(timeout=120)
    check(j["engine"] == "rtl", f"rtl: the stats name engine {j['engine']}")
    check(all(r["ok"] for r in j["connections"]) and len(j["connections"]) == 2, f"rtl rows {j['connections']}")
    print(f"rtl: ping, 20000 bytes echoed and {n} bytes over http on the Verilated engine")
    linux_view()


def case_loss_bulk(args, out):
    # 2 MB from the http app and 500 kB echoed through 2 % loss and reordering (about 20 s).
    case_loss(args, out, n=2_000_000, per_conn=20_000, echo_bytes=500_000, name="loss_bulk")


CASES = {"loss_bulk": case_loss_bulk, "rtl": case_rtl, "ping": case_ping, "echo": case_echo, "http": case_http, "discard": case_discard, "connect": case_connect,
         "parallel": case_parallel, "loss": case_loss, "junk": case_junk, "bad_input": case_bad_input}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--toe-sim", required=True)
    ap.add_argument("--lint", required=True)
    ap.add_argument("--out", default=".")
    ap.add_argument("case", choices=sorted(CASES))
    a = ap.parse_args()
    if os.geteuid() != 0:
        print("SKIP: not root: a network namespace and a TAP device need root (or CAP_NET_ADMIN)")
        return SKIP
    if not os.path.exists("/dev/net/tun"):
        print("SKIP: no /dev/net/tun: this kernel or container has no TUN/TAP")
        return SKIP
    for tool in ("ip", "ss", "nstat"):
        if not shutil.which(tool):
            print(f"SKIP: {tool} is not installed (iproute2)")
            return SKIP
    os.makedirs(a.out, exist_ok=True)
    a.out = os.path.abspath(a.out)
    try:
        with Netns(f"toe-{os.getpid()}-{a.case.replace('_', '')}"):
            CASES[a.case](a, a.out)
    except Fail as e:
        print(f"FAIL {a.case}: {e}")
        return 1
    except (OSError, subprocess.SubprocessError) as e:
        print(f"FAIL {a.case}: {type(e).__name__}: {e}")
        return 1
    print(f"PASS {a.case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
