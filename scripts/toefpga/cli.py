# SPDX-License-Identifier: Apache-2.0
"""The command lines: report_main (scripts/fpga_report.py) and pnr_main (scripts/fpga_pnr.py).
Each takes its script's docstring as the --help description."""
import argparse
import json
import os
import shutil
import sys

from . import configs, pnr, report, sources, synth


def _parser(description):
    return argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)


def _write_json(path, results):
    if path:
        with open(path, "w") as f:
            json.dump(results, f, indent=2)


def report_main(description=None, argv=None):
    ap = _parser(description)
    ap.add_argument("--only", help="run only configurations whose name contains this")
    ap.add_argument("--json")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--pnr", action="store_true",
                    help="also place and route the small configurations on an iCE40 HX8K (scripts/fpga_pnr.py)")
    ap.add_argument("--family", choices=("ice40", "xc7", "both"), default="both",
                    help="synthesise for one family only (the other's columns read 'skipped')")
    a = ap.parse_args(argv)
    families = synth.FAMILIES if a.family == "both" else (a.family,)
    if not shutil.which("yosys"):
        sys.exit("fpga_report: yosys not found (scripts/setup.sh installs it)")
    results, failed = [], False
    for cfg in configs.selected(a.only):
        if configs.built(cfg) and len(report.families_of(cfg, families)) < len(families):
            print(f"fpga_report: {cfg.name}: {cfg.family_why}", file=sys.stderr)
        r = report.run_config(cfg, families)
        failed |= report.failed(r)
        results.append(r)
    if a.markdown:
        print(report.HEADER_MD)
    for r in results:
        print(report.line(r, a.markdown))
        for k in synth.FAMILIES:
            if not r.get("missing") and "error" in r[k]:
                print(f"fpga_report: {r['name']} {k}: {r[k]['error']}", file=sys.stderr)
    if a.pnr:
        failed |= not _report_pnr(a, results)
    _write_json(a.json, results)
    sys.exit(1 if failed else 0)


def _report_pnr(a, results):
    """fpga_report --pnr: out-of-context P&R of configs.PNR_NAMES (those --only selects) on an
    iCE40 HX8K at 125 MHz; the results go into `results` as pnr_ice40_hx8k."""
    if not shutil.which("nextpnr-ice40"):
        print("fpga_report: nextpnr-ice40 not found (scripts/setup.sh installs it)", file=sys.stderr)
        return False
    ok = True
    print()
    if a.markdown:
        print(pnr.header_md())
    for cfg in configs.selected(a.only, configs.PNR_NAMES):
        if not configs.built(cfg):
            continue
        r = pnr.pnr_config(cfg)
        print(pnr.line(r, a.markdown), flush=True)
        ok &= r["status"] == "routed"
        if r["status"] == "error":
            print(f"fpga_report: {cfg.name} place and route: {r['message']}", file=sys.stderr)
        for x in results:
            if x["name"] == cfg.name:
                x["pnr_ice40_hx8k"] = r
    return ok


def pnr_main(description=None, argv=None):
    ap = _parser(description)
    ap.add_argument("--only", help="default list: run only configurations whose name contains this")
    ap.add_argument("--top", help="module to place and route (instead of the default list)")
    ap.add_argument("-P", "--param", action="append", default=[], metavar="NAME=VALUE", help="parameter of --top")
    ap.add_argument("-f", "--files", action="append", default=[], metavar="LIST_OR_GLOB",
                    help="sources of --top: source lists (*.f, e.g. rtl_model/rtl/top/toe_top.f) or globs; "
                         "relative to the current directory or the repository")
    ap.add_argument("--name", help="name of the --top run (its folder under --out)")
    ap.add_argument("--clock", help="clock port of --top (default: clk_i, clk ...)")
    ap.add_argument("--reset", help="reset port of --top (default: rst_ni, rst_n ... or rst_i, rst ...)")
    ap.add_argument("--reset-active-high", action="store_true")
    ap.add_argument("--freq", type=float, default=125.0, help="target MHz (default 125)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--abc9", action="store_true", help="synth_ice40 -abc9 (timing-driven mapping)")
    ap.add_argument("--pcf", default=pnr.PCF)
    ap.add_argument("--out", default=pnr.OUT, help="work folder (default build/fpga)")
    ap.add_argument("--timeout", type=int, default=7200, help="seconds per tool run")
    ap.add_argument("--require-fmax", action="store_true", help="exit 1 if a design misses --freq")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    for tool in ("yosys", "nextpnr-ice40"):
        if not shutil.which(tool):
            sys.exit(f"fpga_pnr: {tool} not found (scripts/setup.sh installs it)")
    opts = dict(out=a.out, freq=a.freq, seed=a.seed, pcf=a.pcf, clock=a.clock, reset=a.reset,
                reset_active_low=(False if a.reset_active_high else None), abc9=a.abc9, timeout=a.timeout)

    if a.top:
        if not a.files:
            sys.exit("fpga_pnr: --top needs -f/--files")
        params = dict(p.split("=", 1) for p in a.param)
        name = a.name or "_".join([a.top] + [f"{k}{v}" for k, v in params.items()])
        try:
            files = sources.resolve(a.files, sources.GenDir(pnr.work_dir(name, a.out)), "fpga_pnr")
        except sources.SourceError as e:
            sys.exit(str(e))
        jobs = [lambda: pnr.pnr(name, a.top, files, params, **opts)]
        names = [name]
    else:
        cfgs = configs.selected(a.only, configs.PNR_NAMES)
        jobs = [lambda c=c: pnr.pnr_config(c, **opts) for c in cfgs]
        names = [c.name for c in cfgs]

    if a.markdown:
        print(pnr.header_md(a.freq))
    results, ok = [], True
    for name, job in zip(names, jobs):
        r = job()
        results.append(r)
        print(pnr.line(r, a.markdown), flush=True)
        if r["status"] != "routed" or (a.require_fmax and not r["passed"]):
            ok = False
        if r["status"] == "error":
            print(f"fpga_pnr: {name}: {r['message']} (logs in {os.path.join(a.out, name)})", file=sys.stderr)
    _write_json(a.json, results)
    sys.exit(0 if ok else 1)
