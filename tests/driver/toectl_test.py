#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""toectl against a served platform (ctest driver.toectl).

    toectl_test.py TOE_SIM TOECTL TEST_DRIVER_SERVE

Starts `toe_sim serve --socket` (and later `--bar-file`) with an lwIP echo listener on 9000,
waits for its ready line, and checks toectl's output and exit codes: info, counters, read and
write by name and offset, a bad name, a misaligned offset, a refused write (READ_ONLY) and an
unmapped read (UNMAPPED), events (peek), conns while test_driver_serve's "hold" scenario keeps
a connection open (its "held" line is the handshake), and a server that is gone. No sleeps:
every step waits on a line or a process.
"""
import os
import re
import signal
import subprocess
import sys
import tempfile

TOE_SIM, TOECTL, HOLDER = sys.argv[1:4]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def start_server(args):
    p = subprocess.Popen([TOE_SIM, "serve", *args, "--peer-listen", "9000", "--rto-ms", "10", "--msl-ms", "10"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    if "toe_sim serve: ready" not in line:
        p.kill()
        sys.exit("the server printed no ready line: %r %s" % (line, p.stderr.read()))
    return p


def stop_server(p):
    p.send_signal(signal.SIGTERM)
    rc = p.wait(timeout=10)
    check(rc == 0, "the server exits 0 on SIGTERM (got %d)" % rc)


def ctl(where, *args):
    r = subprocess.run([TOECTL, *where, *args], capture_output=True, text=True, timeout=20)
    return r.returncode, r.stdout, r.stderr


def expect(where, args, rc, out=None, err=None):
    got_rc, got_out, got_err = ctl(where, *args)
    name = "toectl " + " ".join(args)
    check(got_rc == rc, "%s: exit %d, expected %d (stderr %r)" % (name, got_rc, rc, got_err))
    if out is not None:
        check(re.fullmatch(out, got_out, re.S) is not None, "%s: stdout %r does not match %r" % (name, got_out, out))
    if err is not None:
        check(re.search(err, got_err) is not None, "%s: stderr %r does not match %r" % (name, got_err, err))
    return got_out


tmp = tempfile.mkdtemp(prefix="toectl_test_")
sock = os.path.join(tmp, "s.sock")
bar = os.path.join(tmp, "bar")
S = ["--socket", sock]

server = start_server(["--socket", sock])
try:
    expect(S, ["info"], 0,
           r"TYPE        0x544F4531 \"TOE1\"\nVERSION     \d+\.\d+\.\d+\nSESSIONS    16\n"
           r"buffers     tx 16384 rx 16384 bytes per session\n"
           # the first accesses after the start: the engine may still initialise its tables
           r"state       (ready|not ready \(in reset or initialising its tables\)), disabled\n"
           r"address     0\.0\.0\.0 00:00:00:00:00:00 MSS 1460\n"
           r"events      0 queued of 16; INTR_STATE 0x0 INTR_ENABLE 0x0\nbus errors  0\n")
    out = expect(S, ["counters"], 0)
    names = [l.split()[0] for l in out.splitlines()]
    check(names[:3] == ["frames_in", "frames_out", "drop_bad_csum"] and "arp_in" in names, "counter names: %r" % names)
    check(all(l.split()[1] == "0" for l in out.splitlines()), "counters all 0 at the start")
    expect(S, ["read", "mss"], 0, r"MSS          0x004C = 0x000005B4\n")
    expect(S, ["write", "MSS", "1400"], 0, r"MSS          0x004C <- 0x00000578\n")
    expect(S, ["read", "0x4c"], 0, r"MSS          0x004C = 0x00000578\n")
    expect(S, ["read", "CTRL"], 0, r"CTRL         0x0010 = 0x00000000\n  ENABLE         0\n  SOFT_RESET     0\n"
                                   r"  FIXED_ISN_EN   0\n")
    expect(S, ["read", "NO_SUCH_REG"], 2, "", r"no register named 'NO_SUCH_REG'")
    expect(S, ["write", "NO_SUCH_REG", "1"], 2, "", r"no register named")
    expect(S, ["read", "0x13"], 2, "", r"not a multiple of 4")
    expect(S, ["read", "0x10000"], 2, "", r"beyond the register window")
    expect(S, ["write", "MSS", "0x1FFFFFFFF"], 2, "", r"expected a 32-bit number")
    expect(S, ["write", "TYPE", "1"], 1, "", r"write TYPE: refused by the device \(READ_ONLY, LAST_ERROR 0x00000002\)")
    expect(S, ["read", "0x30"], 1, "", r"read 0x0030: refused by the device \(UNMAPPED, LAST_ERROR 0x00300001\)")
    expect(S, ["read", "BUS_ERRORS"], 0, r"BUS_ERRORS   0x001C = 0x00000002\n")
    expect(S, ["events"], 0, r"0 queued of 16\n")
    expect(S, ["events", "--follow"], 2, "", r"--follow needs --pop")

    # A connection held open by the driver in another process: conns shows it.
    holder = subprocess.Popen([HOLDER, sock, "hold"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = holder.stdout.readline()
    check(line == "held\n", "the holder connected and echoed (%r)" % line)
    out = expect(S, ["conns"], 0)
    lines = out.splitlines()
    check(lines[0].split()[:4] == ["State", "Recv-Q", "Send-Q", "Local"], "conns header %r" % lines[0])
    check(len(lines) == 2, "one connection listed: %r" % lines)
    if len(lines) == 2:
        f = lines[1].split()
        check(f[:5] == ["ESTAB", "0", "0", "10.0.0.2:40000", "10.0.0.1:9000"], "conns row %r" % f)
        check(f[6] == f[7], "SND.UNA == SND.NXT: everything acknowledged (%r)" % f)
        # CONN_OPTS: the MSS the handshake with lwIP agreed (at most the engine's 1460), scaling.
        check(len(f) == 11 and f[9].isdigit() and 536 <= int(f[9]) <= 1460, "MSS column (%r)" % f)
        check(len(f) == 11 and re.fullmatch(r"-|\d+,\d+", f[10]) is not None, "WScale column (%r)" % f)
    check(len(expect(S, ["conns", "-a"], 0).splitlines()) == 17, "conns -a: every session")
    out = expect(S, ["info"], 0)
    check("state       ready, enabled\naddress     10.0.0.2 02:11:22:33:44:55 MSS 1400\n" in out, "info after configure: %r" % out)
    out = expect(S, ["counters"], 0)
    check(re.search(r"^frames_in +[1-9]\d*$", out, re.M) is not None, "frames_in counted: %r" % out)
    holder.stdin.close()
    check(holder.wait(timeout=10) == 0, "the holder exits 0")
    # Real events with nobody driving: toectl aborts the held connection itself (CONN_SEL, then
    # CMD = abort); the engine sends its RST and queues "reset", which events shows (peek, still
    # queued), then --pop takes; --follow then watches 5 ms of simulated time and finds nothing.
    expect(S, ["write", "CONN_SEL", "0"], 0)
    expect(S, ["write", "CMD", "5"], 0)
    for _ in range(20):  # the device runs while toectl accesses it: look until the event is there
        if ctl(S, "events")[1].startswith("1 queued"):
            break
    expect(S, ["events"], 0, r"1 queued of 16\nhead: +[0-9.]+  reset +conn 0 +lport 40000 value 0\n")
    expect(S, ["events", "--pop"], 0, r" +[0-9.]+  reset +conn 0 +lport 40000 value 0\n")
    expect(S, ["events"], 0, r"0 queued of 16\n")
    expect(S, ["events", "--pop", "--follow", "--timeout-ms", "5"], 0, r"")
    out = expect(S, ["counters"], 0)
    check(re.search(r"^rst_sent +1$", out, re.M) is not None, "rst_sent 1 after the abort: %r" % out)
finally:
    stop_server(server)

check(not os.path.exists(sock), "the socket is removed on SIGTERM")
expect(S, ["info"], 3, "", r"no device served there")

# The BAR file: the same tool through the mailbox.
server = start_server(["--bar-file", bar])
try:
    B = ["--bar-file", bar]
    expect(B, ["info"], 0, r"TYPE        0x544F4531 \"TOE1\"\n.*SESSIONS    16\n.*")
    expect(B, ["write", "TYPE", "1"], 1, "", r"READ_ONLY")
    expect(B, ["read", "IPV4_ADDR"], 0, r"IPV4_ADDR    0x0048 = 0x00000000\n")
finally:
    stop_server(server)
expect(["--bar-file", bar], ["info"], 3, "", r"no device served there")

# The raw BAR (--bar): a mapping of zeros is a device, but not a toecore one; a missing file and
# --uio without --bar are refused.
zeros = os.path.join(tmp, "zeros_bar")
with open(zeros, "wb") as f:
    f.write(bytes(0x10000))
expect(["--bar", zeros], ["info"], 3, r"TYPE        0x00000000 \"\" \(not a toecore device\)\n.*")
expect(["--bar", os.path.join(tmp, "nothing")], ["info"], 3, "", r"no device mapped there \(No such file")
expect(["--uio", zeros], ["info"], 2, "", r"--uio requires --bar")

if failures:
    print("%d failure(s)" % len(failures))
    sys.exit(1)
print("ok")
