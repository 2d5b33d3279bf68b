#!/usr/bin/env python3
"""Synthesis report for the RTL: LUT / FF / BRAM per module and configuration, for iCE40
(yosys synth_ice40) and Xilinx 7-series (yosys synth_xilinx -family xc7).

  scripts/fpga_report.py [--only NAME] [--json OUT.json] [--markdown] [--pnr]

Modules whose sources are not in the tree yet are listed as "not built". Exit status 1 if
any synthesis that should run fails. Figures go to docs/performance.md (see README there).

The engine_* configurations synthesise the whole engine, toe_engine (toe_top behind the
register block that scripts/gen_regs.py generates from rtl_model/regmap/toe_regs.toml, into a
temporary directory). engine_16_8b takes about 16 minutes (iCE40) and 7 (xc7), engine_1024_64b
(xc7 only) about 21 CPU minutes and 5 GiB; for iCE40
the coarse step runs without yosys's SAT-based `share` pass, which exhausts memory on the
whole engine (the other steps are synth_ice40's own, run with -run). The per-connection
buffers are kept (toe_engine's host buffer ports reach them), so the figures include
Sessions x (RxBufBytes + TxBufBytes) bytes of buffer RAM. --family ice40|xc7 runs one family.

--pnr also places and routes the small configuration (16 sessions, 8-bit datapath) of each
module on an iCE40 HX8K with nextpnr-ice40 and prints LCs, BRAMs and Fmax at 125 MHz (see
scripts/fpga_pnr.py, which does it, and for any top module); exit status 1 then also when a
configuration does not place and route (e.g. does not fit the HX8K).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RTL = os.path.join(ROOT, "rtl_model", "rtl")

# toe_engine's sources (the generated register package and decoder are added by run()).
ENGINE_SOURCES = ["toe_seq_pkg.sv", "fsm/toe_fsm_pkg.sv", "rx/toe_rx_pkg.sv", "fsm/toe_tcp_fsm.sv",
                  "rx/toe_rx_slot_ram.sv", "rx/toe_rx_parse.sv", "rx/toe_rx_csum.sv", "rx/toe_conn_lookup.sv",
                  "tx/*.sv", "top/*.sv"]

# synth_ice40's coarse step without `share` (yosys 0.23 synth_ice40 -h, "coarse:").
ICE40_COARSE_NOSHARE = ("opt_expr; opt_clean; check; opt -nodffe -nosdff; fsm; opt; wreduce; peepopt; "
                        "opt_clean; techmap -map +/cmp2lut.v -D LUT_WIDTH=4; opt_expr; opt_clean; "
                        "memory_dff; wreduce t:$mul; alumacc; opt; memory -nomap; opt_clean")

# The whole engine's top: its register block is generated (regmap_sources), it is read with
# deferred elaboration (so chparam reaches the submodules and the default, large configuration is
# never elaborated), and synth_ice40 runs its coarse step without `share`.
ENGINE_TOP = "toe_engine"


def read_cmd(top, files, params):
    """Reads `files` and elaborates `top` with `params` (ends with ';')."""
    chparam = " ".join(f"chparam -set {k} {v} {top};" for k, v in params.items())
    if top == ENGINE_TOP:
        return f"read_verilog -sv -defer {' '.join(files)}; {chparam} hierarchy -top {top};"
    return f"read_verilog -sv {' '.join(files)}; hierarchy -top {top}; {chparam} hierarchy -top {top};"


def synth_ice40_cmd(top, opts="", no_share=None):
    """The synth_ice40 command(s) for `top` (opts: further synth_ice40 options, e.g. -json F);
    no_share (default: top is the engine) runs the coarse step without `share`."""
    opt = f"-top {top}" + (f" {opts}" if opts else "")
    if no_share if no_share is not None else top == ENGINE_TOP:
        return f"synth_ice40 {opt} -run :coarse; {ICE40_COARSE_NOSHARE}; synth_ice40 {opt} -run map_ram:"
    return f"synth_ice40 {opt}"

# (name, top module, sources relative to rtl_model/rtl, parameters)
CONFIGS = [
    ("seq_pkg", "toe_seq_tb", ["toe_seq_pkg.sv", "../../tests/unit/toe_seq_tb.sv"], {}),
    ("rx_parse_8b", "toe_rx_parse", ["toe_seq_pkg.sv", "rx/*.sv"], {"DataBytes": 1}),
    ("rx_parse_64b", "toe_rx_parse", ["toe_seq_pkg.sv", "rx/*.sv"], {"DataBytes": 8}),
    ("rx_csum_8b", "toe_rx_csum", ["toe_seq_pkg.sv", "rx/*.sv"], {"DataBytes": 1}),
    ("conn_lookup_16", "toe_conn_lookup", ["toe_seq_pkg.sv", "rx/*.sv"], {"Sessions": 16}),
    ("conn_lookup_1024", "toe_conn_lookup", ["toe_seq_pkg.sv", "rx/*.sv"], {"Sessions": 1024}),
    ("tx_build_8b", "toe_tx_build", ["toe_seq_pkg.sv", "tx/*.sv"], {"DataBytes": 1}),
    ("tx_build_64b", "toe_tx_build", ["toe_seq_pkg.sv", "tx/*.sv"], {"DataBytes": 8}),
    ("tcp_fsm_16", "toe_tcp_fsm", ["toe_seq_pkg.sv", "fsm/*.sv"], {"Sessions": 16}),
    ("tcp_fsm_1024", "toe_tcp_fsm", ["toe_seq_pkg.sv", "fsm/*.sv"], {"Sessions": 1024}),
    # The whole engine (16 sessions, 8-bit): 64-byte buffers,
    # a 64-entry event queue and a 16-entry response queue.
    ("engine_16_8b", "toe_engine", ENGINE_SOURCES,
     {"Sessions": 16, "DataBytes": 1, "RxBufBytes": 64, "TxBufBytes": 64, "EvtDepth": 64, "RspDepth": 16}),
    # The same with 4 frame slots instead of 16 (RxSlots: the slot RAM is 48 of its 60 iCE40 BRAMs).
    ("engine_4slots_16_8b", "toe_engine", ENGINE_SOURCES,
     {"Sessions": 16, "DataBytes": 1, "RxBufBytes": 64, "TxBufBytes": 64, "EvtDepth": 64, "RspDepth": 16,
      "RxSlots": 4}),
    # 1,024 sessions, 64-bit: 64-byte buffers (64 KiB each way in all), 1,024 events, 64 responses.
    ("engine_1024_64b", "toe_engine", ENGINE_SOURCES,
     {"Sessions": 1024, "DataBytes": 8, "RxBufBytes": 64, "TxBufBytes": 64, "EvtDepth": 1024, "RspDepth": 64}),
]

# Configurations synthesised for one family only, and why.
FAMILY_ONLY = {
    "engine_1024_64b": ("xc7", "iCE40 skipped: it has no LUT RAM, so 1,024 TCBs (714 bits each) and the "
                               "index would be about a million flip-flops; no iCE40 part holds them"),
}


def sources(patterns):
    import glob
    out = []
    for p in patterns:
        hits = sorted(glob.glob(os.path.join(RTL, p)))
        if not hits:
            return None
        # packages first
        hits.sort(key=lambda f: (not f.endswith("_pkg.sv"), f))
        out += [h for h in hits if h not in out]
    return out


def yosys(script):
    p = subprocess.run(["yosys", "-q", "-p", script], capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def stat_counts(text, kind):
    cells = dict((m.group(2), int(m.group(1))) for m in re.finditer(r"^\s+(\d+)\s+(\S+)\s*$", text, re.M))
    if not cells:  # yosys 0.23 prints "     CELLTYPE   COUNT"
        cells = dict((m.group(1), int(m.group(2))) for m in re.finditer(r"^\s+(\$?\w+)\s+(\d+)\s*$", text, re.M))
    if kind == "ice40":
        lut = cells.get("SB_LUT4", 0)
        ff = sum(v for k, v in cells.items() if k.startswith("SB_DFF"))
        bram = cells.get("SB_RAM40_4K", 0)
    else:
        lut = sum(v for k, v in cells.items() if re.fullmatch(r"LUT\d", k))
        ff = sum(v for k, v in cells.items() if re.fullmatch(r"FD\w*", k))
        bram = sum(v for k, v in cells.items() if k.startswith("RAMB"))
    return {"lut": lut, "ff": ff, "bram": bram}


def regmap_sources(work):
    """Generates the register package and decoder into work; returns their paths (package first)."""
    p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gen_regs.py"), "--out-dir", work],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"gen_regs.py: {(p.stdout + p.stderr).strip()}")
    return [os.path.join(work, "toe_reg_pkg.sv"), os.path.join(work, "toe_reg_top.sv")]


def run(name, top, files, params, families=("ice40", "xc7")):
    res = {"name": name, "top": top, "params": params}
    for kind in ("ice40", "xc7"):
        if kind not in families:
            res[kind] = {"skipped": True}
    if top == ENGINE_TOP:  # the whole engine: deferred elaboration, so chparam reaches the submodules
        work = tempfile.mkdtemp(prefix="toe_fpga_")
        try:
            files = regmap_sources(work) + files
        except RuntimeError as e:
            res["ice40"] = res["xc7"] = {"error": str(e)}
            return res
    prep = read_cmd(top, files, params)
    flows = (("ice40", synth_ice40_cmd(top)), ("xc7", f"synth_xilinx -family xc7 -top {top}"))
    try:
        for kind, synth in flows:
            if kind not in families:
                continue
            rc, out = yosys(f"{prep} {synth}; tee -o /dev/stdout stat")
            if rc != 0:
                res[kind] = {"error": out.strip().splitlines()[-1] if out.strip() else f"yosys exit {rc}"}
            else:
                res[kind] = stat_counts(out, kind)
    finally:
        if top == ENGINE_TOP:
            shutil.rmtree(work, ignore_errors=True)
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", help="run only configurations whose name contains this")
    ap.add_argument("--json")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--pnr", action="store_true",
                    help="also place and route the small configurations on an iCE40 HX8K (scripts/fpga_pnr.py)")
    ap.add_argument("--family", choices=("ice40", "xc7", "both"), default="both",
                    help="synthesise for one family only (the other's columns read 'skipped')")
    a = ap.parse_args()
    families = ("ice40", "xc7") if a.family == "both" else (a.family,)
    if not shutil.which("yosys"):
        sys.exit("fpga_report: yosys not found (scripts/setup.sh installs it)")
    results, failed = [], False
    for name, top, pats, params in CONFIGS:
        if a.only and a.only not in name:
            continue
        files = sources(pats)
        if files is None:
            results.append({"name": name, "top": top, "params": params, "missing": True})
            continue
        fams = families
        if name in FAMILY_ONLY:
            only, why = FAMILY_ONLY[name]
            fams = tuple(f for f in families if f == only)
            if len(fams) < len(families):
                print(f"fpga_report: {name}: {why}", file=sys.stderr)
        r = run(name, top, files, params, fams)
        failed |= any("error" in r[k] for k in ("ice40", "xc7"))
        results.append(r)
    if a.markdown:
        print("| configuration | top | iCE40 LUT4 | iCE40 FF | iCE40 BRAM | xc7 LUT | xc7 FF | xc7 BRAM |")
        print("|---|---|---|---|---|---|---|---|")
    for r in results:
        if r.get("missing"):
            line = f"| {r['name']} | {r['top']} | not built | | | | | |" if a.markdown else f"{r['name']:18} not built"
        else:
            cells = []
            for k in ("ice40", "xc7"):
                v = r[k]
                if "error" in v:
                    cells += ["error", "", ""]
                elif v.get("skipped"):
                    cells += ["skipped", "", ""]
                else:
                    cells += [str(v["lut"]), str(v["ff"]), str(v["bram"])]
            line = (f"| {r['name']} | {r['top']} | " + " | ".join(cells) + " |") if a.markdown else \
                f"{r['name']:18} ice40 lut {cells[0]:>6} ff {cells[1]:>6} bram {cells[2]:>3}   " \
                f"xc7 lut {cells[3]:>6} ff {cells[4]:>6} bram {cells[5]:>3}"
        print(line)
        for k in ("ice40", "xc7"):
            if not r.get("missing") and "error" in r[k]:
                print(f"fpga_report: {r['name']} {k}: {r[k]['error']}", file=sys.stderr)
    if a.pnr:
        failed |= not place_and_route(a, results)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=2)
    sys.exit(1 if failed else 0)


def place_and_route(a, results):
    """Out-of-context P&R of fpga_pnr.PNR_NAMES (those --only selects) on an iCE40 HX8K at 125 MHz."""
    import fpga_pnr
    if not shutil.which("nextpnr-ice40"):
        print("fpga_report: nextpnr-ice40 not found (scripts/setup.sh installs it)", file=sys.stderr)
        return False
    cfg = {c[0]: c for c in CONFIGS}
    ok = True
    print()
    if a.markdown:
        print("| module | parameters | LCs used / total | wrapper FFs | BRAM used / total | Fmax MHz | at 125 MHz |")
        print("|---|---|---|---|---|---|---|")
    for name in fpga_pnr.PNR_NAMES:
        if a.only and a.only not in name:
            continue
        _, top, pats, params = cfg[name]
        files = sources(pats)
        if files is None:
            continue
        r = fpga_pnr.pnr(name, top, files, params)
        print(fpga_pnr.line(r, a.markdown), flush=True)
        ok &= r["status"] == "routed"
        if r["status"] == "error":
            print(f"fpga_report: {name} place and route: {r['message']}", file=sys.stderr)
        for x in results:
            if x["name"] == name:
                x["pnr_ice40_hx8k"] = r
    return ok


if __name__ == "__main__":
    main()
