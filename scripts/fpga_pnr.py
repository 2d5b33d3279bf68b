#!/usr/bin/env python3
"""Out-of-context place and route of RTL modules on an iCE40 HX8K (CT256): LC and BRAM
use and Fmax, with yosys 0.23 (synth_ice40) and nextpnr-ice40.

  scripts/fpga_pnr.py [--only NAME] [--markdown] [--json OUT.json]    # the small configurations
  scripts/fpga_pnr.py --top MODULE -P NAME=VALUE ... -f FILE_OR_GLOB ...   # any module, e.g. toe_top

A module has far more ports than the package has pins, so the script generates a wrapper
`toe_ooc_<module>` with four pins (boards/ice40_hx8k/toe_ooc.pcf: clk_i, rst_ni, sin_i, q_o):
  - every module input bit is a register; its D is the XOR of three taps (a distinct triple
    per bit) of a shift register loaded from sin_i, so the inputs are independent and an
    input the module ignores is removed with its register;
  - every module output bit is registered, and the registers fold into one bit through a
    pipelined tree of 4-input XORs (one register per LUT), which drives q_o;
  - the module's clock is clk_i; its reset (rst_ni / rst_n active low, rst_i / rst / reset
    active high, or --reset) comes from the rst_ni pin, asserted asynchronously and released
    through a two-register synchroniser.
So every path through the module is register to register and timed against --freq; the
wrapper's own paths are one LUT deep. Reported LCs include the wrapper's (about one LC per
used input bit and per output bit, plus the shift register and the XOR tree: the `wrapper`
column counts its flip-flops).

Generated files go to build/fpga/<name>/ (wrapper, yosys and nextpnr logs, netlist, .asc,
nextpnr's JSON report). A design that does not fit (nextpnr: no BELs left for ICESTORM_LC
or ICESTORM_RAM) is reported with the numbers nextpnr gives. Exit status 0 iff every
configuration was placed and routed (with --require-fmax: and met the frequency).
Figures go to docs/performance.md ("Place and route on the iCE40 HX8K").
"""
import argparse
import glob
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fpga_report  # noqa: E402  (CONFIGS, sources, stat_counts)

PCF = os.path.join(ROOT, "boards", "ice40_hx8k", "toe_ooc.pcf")
OUT = os.path.join(ROOT, "build", "fpga")

# The small configuration (16 sessions, 8-bit datapath) of every module in fpga_report.CONFIGS,
# plus tx_build at 64 bits (it fits), then the whole engine at that configuration. Slowest last
# (tcp_fsm: minutes of synthesis; engine_16_8b: ~16 minutes and ~4 GiB).
PNR_NAMES = ["tx_build_8b", "tx_build_64b", "rx_parse_8b", "rx_csum_8b", "conn_lookup_16", "tcp_fsm_16",
             "engine_16_8b"]

CLOCK_NAMES = ["clk_i", "clk", "clock", "clk_in"]
RESET_LOW = ["rst_ni", "rst_n", "rstn", "resetn", "reset_n", "arst_ni"]
RESET_HIGH = ["rst_i", "rst", "reset", "reset_i", "arst_i"]


def resolve_files(patterns):
    """Globs relative to the current directory, else to the repository root; *_pkg.sv first
    (stable, so packages keep the order given)."""
    out = []
    for p in patterns:
        hits = []
        for base in ([""] if os.path.isabs(p) else [os.getcwd(), ROOT]):
            hits = sorted(glob.glob(os.path.join(base, p)))
            if hits:
                break
        if not hits:
            sys.exit(f"fpga_pnr: no file matches {p}")
        out += [os.path.abspath(h) for h in hits if os.path.abspath(h) not in out]
    out.sort(key=lambda f: not f.endswith("_pkg.sv"))
    return out


def run_logged(cmd, log, timeout):
    t0 = time.time()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout)
        rc, text = p.returncode, p.stdout
    except subprocess.TimeoutExpired as e:
        rc, text = -1, (e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")) + \
            f"\nfpga_pnr: timeout after {timeout} s\n"
    with open(log, "w") as f:
        f.write(" ".join(cmd) + "\n" + text)
    return rc, text, time.time() - t0


def last_error(text):
    """The first ERROR line (the cause), else the last line mentioning an error, else the last line."""
    lines = text.splitlines()
    errs = [l for l in lines if re.match(r"\s*ERROR", l)]
    if not errs:
        errs = [l for l in lines if "error" in l.lower() and not re.search(r"\d+ warnings?, \d+ errors?", l)][-1:]
    return (errs[0] if errs else (text.strip().splitlines() or ["(no output)"])[-1]).strip()


def module_ports(top, files, params, work, timeout):
    """Ports of `top` with `params` applied: [(name, direction, width)] in declaration order."""
    pj = os.path.join(work, "ports.json")
    script = f"{fpga_report.read_cmd(top, files, params)} blackbox =*; write_json {pj}"
    rc, text, _ = run_logged(["yosys", "-q", "-p", script], os.path.join(work, "ports.log"), timeout)
    if rc != 0:
        raise RuntimeError(f"yosys (ports): {last_error(text)}")
    mods = json.load(open(pj))["modules"]
    if top not in mods:
        raise RuntimeError(f"yosys (ports): no module {top}")
    return [(n, p["direction"], len(p["bits"])) for n, p in mods[top]["ports"].items()]


def make_wrapper(top, params, ports, clock=None, reset=None, reset_active_low=None):
    names = [n for n, _, _ in ports]
    ins = {n: w for n, d, w in ports if d == "input"}
    bad = [n for n, d, _ in ports if d not in ("input", "output")]
    if bad:
        raise RuntimeError(f"{top}: inout ports are not supported ({', '.join(bad)})")
    clock = clock or next((c for c in CLOCK_NAMES if ins.get(c) == 1), None)
    if clock is None or ins.get(clock) != 1:
        raise RuntimeError(f"{top}: no 1-bit clock input (tried {', '.join(CLOCK_NAMES)}; use --clock)")
    if reset is None:
        reset = next((r for r in RESET_LOW + RESET_HIGH if ins.get(r) == 1), None)
    if reset is not None:
        if ins.get(reset) != 1:
            raise RuntimeError(f"{top}: no 1-bit input {reset}")
        if reset_active_low is None:
            reset_active_low = reset in RESET_LOW or reset.endswith("n") or reset.endswith("ni")
    data_in = [(n, w) for n, d, w in ports if d == "input" and n not in (clock, reset)]
    data_out = [(n, w) for n, d, w in ports if d == "output"]
    ni = sum(w for _, w in data_in)
    no = sum(w for _, w in data_out)
    # Shift register of K bits: fan-out per tap about 3*ni/K (<= ~24), and enough distinct triples.
    k = max(16, math.ceil(ni / 8))
    while math.comb(k, 3) < ni:
        k += 1
    rng = random.Random(1)
    triples, seen = [], set()
    while len(triples) < ni:
        t = tuple(sorted(rng.sample(range(k), 3)))
        if t not in seen:
            seen.add(t)
            triples.append(t)

    w = f"toe_ooc_{top}"
    v = [f"// Generated by scripts/fpga_pnr.py: out-of-context wrapper of {top}",
         f"// ({', '.join(f'{a}={b}' for a, b in params.items()) or 'default parameters'}) for place and route.",
         f"// {ni} input bits from registers, {no} output bits into a registered XOR tree.",
         f"module {w} (", "  input  wire clk_i,", "  input  wire rst_ni,", "  input  wire sin_i,",
         "  output wire q_o", ");"]
    v += ["  // reset: asserted asynchronously, released synchronously",
          "  reg [1:0] ooc_rst_q;",
          "  always @(posedge clk_i or negedge rst_ni)",
          "    if (!rst_ni) ooc_rst_q <= 2'b00; else ooc_rst_q <= {ooc_rst_q[0], 1'b1};",
          "  wire ooc_rst_n = ooc_rst_q[1];",
          f"  reg [{k - 1}:0] ooc_src_q;",
          f"  always @(posedge clk_i) ooc_src_q <= {{ooc_src_q[{k - 2}:0], sin_i}};"]
    if ni:
        v.append(f"  reg [{ni - 1}:0] ooc_in_q;")
        v.append("  always @(posedge clk_i) begin")
        v += [f"    ooc_in_q[{i}] <= ooc_src_q[{a}] ^ ooc_src_q[{b}] ^ ooc_src_q[{c}];"
              for i, (a, b, c) in enumerate(triples)]
        v.append("  end")
    if no:
        v += [f"  wire [{no - 1}:0] ooc_out_w;", f"  reg [{no - 1}:0] ooc_x0_q;",
              "  always @(posedge clk_i) ooc_x0_q <= ooc_out_w;"]
        n, lvl = no, 0
        while n > 1:
            m = (n + 3) // 4
            v.append(f"  reg [{m - 1}:0] ooc_x{lvl + 1}_q;")
            v.append("  always @(posedge clk_i) begin")
            v += [f"    ooc_x{lvl + 1}_q[{j}] <= ^ooc_x{lvl}_q[{min(4 * j + 3, n - 1)}:{4 * j}];" for j in range(m)]
            v.append("  end")
            n, lvl = m, lvl + 1
        v.append(f"  assign q_o = ooc_x{lvl}_q[0];")
    else:
        v.append(f"  assign q_o = ooc_src_q[{k - 1}];")
    pstr = ", ".join(f".{a}({b})" for a, b in params.items())
    v.append(f"  {top} {'#(' + pstr + ') ' if pstr else ''}u_dut (")
    conns, lo_i, lo_o = [], 0, 0
    for n in names:
        wd = dict((p[0], p[2]) for p in ports)[n]
        if n == clock:
            conns.append(f"    .{n}(clk_i)")
        elif n == reset:
            conns.append(f"    .{n}({'ooc_rst_n' if reset_active_low else '!ooc_rst_n'})")
        elif n in ins:
            conns.append(f"    .{n}(ooc_in_q[{lo_i + wd - 1}:{lo_i}])")
            lo_i += wd
        else:
            conns.append(f"    .{n}(ooc_out_w[{lo_o + wd - 1}:{lo_o}])")
            lo_o += wd
    v.append(",\n".join(conns))
    v += ["  );", "endmodule", ""]
    info = {"clock": clock, "reset": reset, "reset_active_low": reset_active_low,
            "input_bits": ni, "output_bits": no, "shift_bits": k}
    return w, "\n".join(v), info


def wrapper_ffs(netlist, top):
    """Flip-flops of the wrapper itself (their Q net is one of the wrapper's ooc_* nets)."""
    m = netlist["modules"][top]
    bits = set()
    for n, d in m["netnames"].items():
        if n.startswith("ooc_") and n != "ooc_out_w":  # ooc_out_w: the module's outputs
            bits.update(b for b in d["bits"] if isinstance(b, int))
    count, in_used = 0, 0
    in_bits = set(b for b in m["netnames"].get("ooc_in_q", {}).get("bits", []) if isinstance(b, int))
    for c in m["cells"].values():
        if c["type"].startswith("SB_DFF"):
            q = c["connections"].get("Q", [None])[0]
            if q in bits:
                count += 1
            if q in in_bits:
                in_used += 1
    return count, in_used


def parse_nextpnr(text, report_path):
    r = {"util": {}}
    for m in re.finditer(r"^Info:\s+(ICESTORM_\w+|SB_\w+):\s+(\d+)/\s*(\d+)", text, re.M):
        r["util"][m.group(1)] = (int(m.group(2)), int(m.group(3)))
    fm = re.findall(r"Max frequency for clock\s+'([^']+)':\s+([\d.]+) MHz \((PASS|FAIL) at ([\d.]+) MHz\)", text)
    if fm:
        clk, f, verdict, target = fm[-1]
        r.update(clock_net=clk, fmax=float(f), passed=verdict == "PASS", target=float(target))
    m = re.search(r"([\d.]+) ns logic, ([\d.]+) ns routing", text)
    if m:
        r["path_logic_ns"], r["path_routing_ns"] = float(m.group(1)), float(m.group(2))
    if os.path.exists(report_path):
        try:
            rep = json.load(open(report_path))
            for cp in rep.get("critical_paths", []):
                nets = [s.get("net") for s in cp.get("path", []) if s.get("net")]
                if nets:
                    r["path_from"], r["path_to"] = nets[0], nets[-1]
                    logic = [s for s in cp["path"] if s.get("type") == "logic"]
                    # LUT outputs on the way, plus the endpoint's own LUT when the setup is taken
                    # at a LUT input (I0..I3: flip-flop packed with its D logic)
                    setup = [s for s in cp["path"] if s.get("type") == "setup"]
                    r["path_luts"] = sum(1 for s in logic if s.get("to", {}).get("port") == "O") + \
                        sum(1 for s in setup if re.fullmatch(r"I\d", s.get("to", {}).get("port", "")))
                    r["path_carries"] = sum(1 for s in logic if s.get("to", {}).get("port") == "COUT")
                    break
        except (ValueError, KeyError):
            pass
    nofit = re.search(r"no BELs remaining to implement cell type '(\w+)'", text)
    if nofit:
        r["nofit"] = nofit.group(1)
    return r


def pnr(name, top, files, params, out=OUT, freq=125.0, seed=1, pcf=PCF, device="hx8k", package="ct256",
        clock=None, reset=None, reset_active_low=None, abc9=False, timeout=7200):
    work = os.path.join(out, name)
    os.makedirs(work, exist_ok=True)
    res = {"name": name, "top": top, "params": params, "device": f"{device}-{package}", "freq": freq, "seed": seed}
    engine = top == fpga_report.ENGINE_TOP
    try:
        if engine:  # the register package and decoder are generated from rtl_model/regmap
            files = fpga_report.regmap_sources(work) + files
        ports = module_ports(top, files, params, work, timeout)
        wtop, text, info = make_wrapper(top, params, ports, clock, reset, reset_active_low)
    except RuntimeError as e:
        res.update(status="error", message=str(e))
        return res
    res.update(info)
    wv = os.path.join(work, f"{wtop}.v")
    with open(wv, "w") as f:
        f.write(text)
    sj = os.path.join(work, f"{wtop}.json")
    synth = fpga_report.synth_ice40_cmd(wtop, f"-json {sj}" + (" -abc9" if abc9 else ""), no_share=engine)
    script = (f"read_verilog -sv {'-defer ' if engine else ''}{' '.join(files)}; read_verilog {wv}; "
              f"hierarchy -top {wtop}; {synth}; tee -o /dev/stdout stat")
    rc, ytext, ys = run_logged(["yosys", "-q", "-p", script], os.path.join(work, "yosys.log"), timeout)
    res["synth_s"] = round(ys, 1)
    if rc != 0:
        res.update(status="error", message=f"yosys: {last_error(ytext)}")
        return res
    res["synth"] = fpga_report.stat_counts(ytext, "ice40")
    try:
        res["wrapper_ff"], res["input_bits_used"] = wrapper_ffs(json.load(open(sj)), wtop)
    except (ValueError, KeyError):
        pass
    rp = os.path.join(work, "nextpnr_report.json")
    if os.path.exists(rp):
        os.remove(rp)
    cmd = ["nextpnr-ice40", f"--{device}", "--package", package, "--pcf", pcf, "--freq", str(freq),
           "--seed", str(seed), "--json", sj, "--asc", os.path.join(work, f"{wtop}.asc"),
           "--report", rp, "--timing-allow-fail"]
    rc, ntext, ns = run_logged(cmd, os.path.join(work, "nextpnr.log"), timeout)
    res["pnr_s"] = round(ns, 1)
    res["cmd"] = " ".join(cmd)
    res.update(parse_nextpnr(ntext, rp))
    if rc == 0 and "fmax" in res:
        res["status"] = "routed"
    elif res.get("nofit") or any(u > a for u, a in res["util"].values()):
        res["status"] = "no-fit"
        over = [f"{k} {u}/{a}" for k, (u, a) in res["util"].items() if u > a]
        res["message"] = "does not fit the " + device.upper() + ": " + (", ".join(over) or
                                                                         f"no {res['nofit']} left")
    else:
        res.update(status="error", message=f"nextpnr: {last_error(ntext)}")
    return res


def fmt_params(p):
    return ", ".join(f"{k}={v}" for k, v in p.items()) or "defaults"


def line(r, markdown):
    u = r.get("util", {})
    lc = u.get("ICESTORM_LC")
    ram = u.get("ICESTORM_RAM")
    lcs = f"{lc[0]}/{lc[1]}" if lc else "-"
    rams = f"{ram[0]}/{ram[1]}" if ram else "-"
    wr = str(r.get("wrapper_ff", "-"))
    if r["status"] == "routed":
        fmax, verdict = f"{r['fmax']:.1f}", ("pass" if r["passed"] else "fail") + f" at {r['target']:g} MHz"
    elif r["status"] == "no-fit":
        fmax, verdict = "-", r["message"]
    else:
        fmax, verdict = "-", "error: " + r.get("message", "")
    path = ""
    if r.get("path_from"):
        path = f"{r['path_from']} -> {r['path_to']} ({r.get('path_luts', '?')} LUTs + " \
               f"{r.get('path_carries', '?')} carry steps, " \
               f"{r.get('path_logic_ns', 0):g} ns logic + {r.get('path_routing_ns', 0):g} ns routing)"
    if markdown:
        return f"| {r['top']} | {fmt_params(r['params'])} | {lcs} | {wr} | {rams} | {fmax} | {verdict} |"
    return (f"{r['name']:16} {r['top']} ({fmt_params(r['params'])}): LC {lcs} (wrapper FF {wr}), "
            f"BRAM {rams}, Fmax {fmax} MHz, {verdict}" + (f"\n{'':16} critical path: {path}" if path else ""))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", help="default list: run only configurations whose name contains this")
    ap.add_argument("--top", help="module to place and route (instead of the default list)")
    ap.add_argument("-P", "--param", action="append", default=[], metavar="NAME=VALUE", help="parameter of --top")
    ap.add_argument("-f", "--files", action="append", default=[], metavar="GLOB",
                    help="sources of --top (globs; relative to the current directory or the repository)")
    ap.add_argument("--name", help="name of the --top run (its folder under --out)")
    ap.add_argument("--clock", help="clock port of --top (default: clk_i, clk ...)")
    ap.add_argument("--reset", help="reset port of --top (default: rst_ni, rst_n ... or rst_i, rst ...)")
    ap.add_argument("--reset-active-high", action="store_true")
    ap.add_argument("--freq", type=float, default=125.0, help="target MHz (default 125)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--abc9", action="store_true", help="synth_ice40 -abc9 (timing-driven mapping)")
    ap.add_argument("--pcf", default=PCF)
    ap.add_argument("--out", default=OUT, help="work folder (default build/fpga)")
    ap.add_argument("--timeout", type=int, default=7200, help="seconds per tool run")
    ap.add_argument("--require-fmax", action="store_true", help="exit 1 if a design misses --freq")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--json")
    a = ap.parse_args()
    for tool in ("yosys", "nextpnr-ice40"):
        if not shutil.which(tool):
            sys.exit(f"fpga_pnr: {tool} not found (scripts/setup.sh installs it)")

    jobs = []
    if a.top:
        if not a.files:
            sys.exit("fpga_pnr: --top needs -f/--files")
        params = dict(p.split("=", 1) for p in a.param)
        name = a.name or "_".join([a.top] + [f"{k}{v}" for k, v in params.items()])
        jobs.append((name, a.top, resolve_files(a.files), params))
    else:
        cfg = {c[0]: c for c in fpga_report.CONFIGS}
        for n in PNR_NAMES:
            if a.only and a.only not in n:
                continue
            _, top, pats, params = cfg[n]
            jobs.append((n, top, fpga_report.sources(pats), params))

    if a.markdown:
        print(f"| module | parameters | LCs used / total | wrapper FFs | BRAM used / total | Fmax MHz | at {a.freq:g} MHz |")
        print("|---|---|---|---|---|---|---|")
    results, ok = [], True
    for name, top, files, params in jobs:
        r = pnr(name, top, files, params, out=a.out, freq=a.freq, seed=a.seed, pcf=a.pcf, clock=a.clock,
                reset=a.reset, reset_active_low=(False if a.reset_active_high else None), abc9=a.abc9,
                timeout=a.timeout)
        results.append(r)
        print(line(r, a.markdown), flush=True)
        if r["status"] != "routed" or (a.require_fmax and not r["passed"]):
            ok = False
        if r["status"] == "error":
            print(f"fpga_pnr: {name}: {r['message']} (logs in {os.path.join(a.out, name)})", file=sys.stderr)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=2)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
