#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Goodput of bulk transfers between Linux's own TCP and the engine through `toe_sim tap`
(issue 16, item 4): both directions (engine -> Linux: an http GET /bytes/N; Linux -> engine:
N bytes to the discard app), each at the given loss rates (with as much reordering), for each
engine given (model, rtl). One toe_sim tap session per transfer, in a network namespace of its
own (tests/interop/test_tap.py's Netns and TapSim); the payload is checked (sha256 / count).

Prints a Markdown table and, with --json F, writes the figures: simulated seconds (toe_sim's
stats, the whole session), wall seconds of the transfer (Linux's side), MB/s of each.

    sudo bench/tap_goodput.py --toe-sim build/lw/sim/toe_sim/toe_sim
    sudo bench/tap_goodput.py --toe-sim build/default/sim/toe_sim/toe_sim --engine model --engine rtl \\
        --bytes model=10000000 --bytes rtl=200000

Needs root (or CAP_NET_ADMIN) and /dev/net/tun, like ctest -L interop."""
import argparse
import hashlib
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "interop"))
import test_tap as tt  # noqa: E402


def one(args, engine, loss, direction, n, out):
    extra = ["--engine", engine, "--listen", "80:http", "--listen", "9:discard", "--seed", "11"]
    if loss > 0:
        extra += ["--loss", str(loss), "--reorder", str(loss)]
        if engine == "model":
            extra += ["--buf-kib", "16"]  # as TapInterop.loss: short go-back bursts
    name = f"{engine}_{direction}_{loss}"
    with tt.Netns(f"toe-bench-{os.getpid()}-{name.replace('_', '')}"):
        with tt.TapSim(args, out, name, extra) as sim:
            t0 = time.monotonic()
            if direction == "to_linux":
                c, r, body = tt.http_get(f"/bytes/{n}", "close")
                c.close()
                ok = r.status == 200 and hashlib.sha256(body).hexdigest() == tt.sha_pattern(n)
            else:
                ok = tt.send_to_discard(9, n)
            wall = time.monotonic() - t0
            time.sleep(0.3)
            j = sim.stop(timeout=300)
    if direction == "to_engine":
        ok = ok and any(r["bytes_in"] == n for r in j["connections"])
    retx = sum(r.get("retransmissions_engine", 0) for r in j["connections"])
    lost = j["link"]["engine_to_linux"]["lost"] + j["link"]["linux_to_engine"]["lost"]
    return {"engine": engine, "direction": direction, "loss_pct": loss, "bytes": n, "ok": ok,
            "wall_s": wall, "simulated_s": j["simulated_s"], "wall_mb_s": n / wall / 1e6,
            "simulated_mb_s": n / j["simulated_s"] / 1e6 if j["simulated_s"] > 0 else 0.0,
            "frames_lost": lost, "engine_retransmissions": retx}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--toe-sim", required=True)
    ap.add_argument("--engine", action="append", choices=["model", "rtl"])
    ap.add_argument("--loss", action="append", type=float, help="loss in %% (default: 0 and 2; both "
                    "engines skip idle clocks, so an RTO costs its simulated time in wall time)")
    ap.add_argument("--bytes", action="append", default=[], help="ENGINE=N bytes per transfer "
                    "(default model=10000000, rtl=200000; the RTL moves about 0.09 MB/s)")
    ap.add_argument("--json")
    a = ap.parse_args()
    a.lint = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "trace_lint.py")
    engines = a.engine or ["model"]
    losses = a.loss or [0.0, 2.0]
    sizes = {"model": 10_000_000, "rtl": 200_000}
    for b in a.bytes:
        e, _, v = b.partition("=")
        if e not in sizes or not v.isdigit():
            ap.error(f"--bytes {b}: ENGINE=N with ENGINE model or rtl")
        sizes[e] = int(v)
    if os.geteuid() != 0 or not os.path.exists("/dev/net/tun"):
        print("needs root and /dev/net/tun", file=sys.stderr)
        return 2
    rows = []
    with tempfile.TemporaryDirectory() as out:
        for e in engines:
            for loss in losses:
                for d in ("to_linux", "to_engine"):
                    try:
                        r = one(a, e, loss, d, sizes[e], out)
                    except (tt.Fail, OSError, tt.subprocess.SubprocessError) as ex:  # a row, not the end
                        r = {"engine": e, "direction": d, "loss_pct": loss, "bytes": sizes[e], "ok": False,
                             "error": f"{type(ex).__name__}: {ex}", "wall_s": 0.0, "simulated_s": 0.0,
                             "wall_mb_s": 0.0, "simulated_mb_s": 0.0, "frames_lost": 0, "engine_retransmissions": 0}
                    print(f"{e} {d} {loss} %: {r['bytes']} B, {r['simulated_s']:.3f} s simulated, "
                          f"{r['wall_s']:.2f} s wall, ok {r['ok']}", file=sys.stderr)
                    rows.append(r)
    print("| engine | direction | loss | bytes | simulated s | simulated MB/s | wall s | wall MB/s | "
          "frames lost | engine retransmissions | intact |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        d = "engine -> Linux (GET)" if r["direction"] == "to_linux" else "Linux -> engine (discard)"
        print(f"| {r['engine']} | {d} | {r['loss_pct']:g} % | {r['bytes']:,} | {r['simulated_s']:.3f} | "
              f"{r['simulated_mb_s']:.2f} | {r['wall_s']:.2f} | {r['wall_mb_s']:.2f} | {r['frames_lost']} | "
              f"{r['engine_retransmissions']} | {'yes' if r['ok'] else 'NO: ' + r.get('error', 'payload differs')} |")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=2)
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
