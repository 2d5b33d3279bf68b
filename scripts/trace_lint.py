#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Trace lint: an independent check of a pcap with tshark (Wireshark's dissectors).

Fails (exit 1) on any bad IPv4 or TCP checksum, any malformed packet, and any
of the expert messages in FATAL_EXPERT (bogus header length, ACKed unseen
segment). It is a lint, not a verdict: TCP analysis notes such as
retransmissions are printed with --verbose but do not fail.

  trace_lint.py FILE.pcap [--verbose]       lint
  trace_lint.py FILE.pcap --dump            print one JSON object per TCP frame
                                            (flags, seq/ack raw, ports, length) after linting
"""
import argparse
import json
import shutil
import subprocess
import sys

FIELDS = [
    "frame.number", "ip.src", "ip.dst", "tcp.srcport", "tcp.dstport", "tcp.flags.str",
    "tcp.seq_raw", "tcp.ack_raw", "tcp.len", "tcp.window_size_value",
    "ip.checksum.status", "tcp.checksum.status", "_ws.malformed", "_ws.expert.message",
    "tcp.analysis.flags", "tcp.flags",
]
# Expert messages that mean the trace itself is broken.
FATAL_EXPERT = ("bogus", "malformed", "checksum", "ACKed segment that wasn't captured",
                "header length", "Bad checksum")
CSUM_BAD = "0"  # Wireshark's PROTO_CHECKSUM_E_BAD


def run_tshark(path):
    tshark = shutil.which("tshark")
    if not tshark:
        sys.exit("trace_lint: tshark not found (scripts/setup.sh installs it)")
    cmd = [tshark, "-n", "-r", path, "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE",
           "-o", "tcp.relative_sequence_numbers:FALSE",
           # TCP payload is shown as data: application dissectors (HTTP, IPP, ...)
           # would call arbitrary payload "malformed", which says nothing about TCP.
           "-d", "tcp.port==1-65535,data", "-T", "fields", "-E", "separator=\t",
           "-E", "occurrence=a", "-E", "aggregator=|"]
    for f in FIELDS:
        cmd += ["-e", f]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"trace_lint: tshark failed on {path}: {p.stderr.strip()}")
    rows = []
    for line in p.stdout.splitlines():
        cols = line.split("\t")
        cols += [""] * (len(FIELDS) - len(cols))
        rows.append(dict(zip(FIELDS, cols)))
    return rows


def lint(path, verbose=False, allow=()):
    rows = run_tshark(path)
    problems = []
    for r in rows:
        n = r["frame.number"]
        if CSUM_BAD in r["ip.checksum.status"].split("|"):
            problems.append(f"frame {n}: bad IPv4 header checksum")
        if CSUM_BAD in r["tcp.checksum.status"].split("|"):
            problems.append(f"frame {n}: bad TCP checksum")
        if r["_ws.malformed"]:
            problems.append(f"frame {n}: malformed packet")
        for msg in filter(None, r["_ws.expert.message"].split("|")):
            if any(k.lower() in msg.lower() for k in FATAL_EXPERT) and \
                    not any(a.lower() in msg.lower() for a in allow):
                problems.append(f"frame {n}: {msg}")
            elif verbose:
                print(f"trace_lint: note: frame {n}: {msg}")
    return rows, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pcap")
    ap.add_argument("--dump", action="store_true", help="print one JSON object per TCP frame")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--allow", action="append", default=[], metavar="TEXT",
                    help="do not fail on expert messages containing TEXT (for tests that inject "
                         "deliberately bad segments, e.g. --allow \"ACKed segment\")")
    a = ap.parse_args()
    rows, problems = lint(a.pcap, a.verbose, a.allow)
    if a.dump:
        for r in rows:
            if not r["tcp.srcport"]:
                continue
            print(json.dumps({
                "frame": int(r["frame.number"]), "src": r["ip.src"], "dst": r["ip.dst"],
                "sport": int(r["tcp.srcport"]), "dport": int(r["tcp.dstport"]),
                "flags": int(r["tcp.flags"], 16), "flags_str": r["tcp.flags.str"],
                "seq": int(r["tcp.seq_raw"]), "ack": int(r["tcp.ack_raw"] or 0),
                "len": int(r["tcp.len"] or 0), "win": int(r["tcp.window_size_value"] or 0)}))
    for p in problems:
        print(f"trace_lint: {a.pcap}: {p}", file=sys.stderr)
    if problems:
        sys.exit(1)
    if not a.dump:
        print(f"trace_lint: {a.pcap}: {len(rows)} frames, no problems")


if __name__ == "__main__":
    main()
