# SPDX-License-Identifier: Apache-2.0
"""The synthesis report: LUT / FF / BRAM of one configuration for iCE40 (synth_ice40) and
Xilinx 7-series (synth_xilinx -family xc7), and its text or markdown line.

A result is a dict: name, top, params, and per family ("ice40", "xc7") {lut, ff, bram},
{error: message} or {skipped: True}; or name, top, params, missing: True ("not built").
"""
from . import configs, sources, synth


def run(name, top, files, params, families=synth.FAMILIES):
    """Synthesises `top` from `files` with `params` for each of `families`."""
    res = {"name": name, "top": top, "params": params}
    for kind in synth.FAMILIES:
        if kind not in families:
            res[kind] = {"skipped": True}
    prep = synth.read_cmd(top, files, params)
    for kind in synth.FAMILIES:
        if kind not in families:
            continue
        rc, out = synth.yosys(f"{prep} {synth.synth_cmd(kind, top)}; tee -o /dev/stdout stat")
        if rc != 0:
            res[kind] = {"error": out.strip().splitlines()[-1] if out.strip() else f"yosys exit {rc}"}
        else:
            res[kind] = synth.stat_counts(out, kind)
    return res


def families_of(cfg, families=synth.FAMILIES):
    """The families `cfg` is synthesised for, of `families`."""
    return tuple(f for f in families if cfg.family is None or f == cfg.family)


def run_config(cfg, families=synth.FAMILIES):
    """Synthesises configuration `cfg` (configs.Config); its $GEN files go to a temporary folder."""
    if not configs.built(cfg):
        return {"name": cfg.name, "top": cfg.top, "params": cfg.params, "missing": True}
    fams = families_of(cfg, families)
    with sources.GenDir() as gen:
        try:
            files = configs.files(cfg, gen)
        except sources.SourceError as e:
            res = {"name": cfg.name, "top": cfg.top, "params": cfg.params}
            for kind in synth.FAMILIES:
                res[kind] = {"error": str(e)} if kind in fams else {"skipped": True}
            return res
        return run(cfg.name, cfg.top, files, cfg.params, fams)


def failed(res):
    return not res.get("missing") and any("error" in res[k] for k in synth.FAMILIES)


HEADER_MD = ("| configuration | top | iCE40 LUT4 | iCE40 FF | iCE40 BRAM | xc7 LUT | xc7 FF | xc7 BRAM |\n"
             "|---|---|---|---|---|---|---|---|")


def line(r, markdown):
    """One result as a text line or a markdown table row (HEADER_MD)."""
    if r.get("missing"):
        return f"| {r['name']} | {r['top']} | not built | | | | | |" if markdown else f"{r['name']:18} not built"
    cells = []
    for k in synth.FAMILIES:
        v = r[k]
        if "error" in v:
            cells += ["error", "", ""]
        elif v.get("skipped"):
            cells += ["skipped", "", ""]
        else:
            cells += [str(v["lut"]), str(v["ff"]), str(v["bram"])]
    if markdown:
        return f"| {r['name']} | {r['top']} | " + " | ".join(cells) + " |"
    return (f"{r['name']:18} ice40 lut {cells[0]:>6} ff {cells[1]:>6} bram {cells[2]:>3}   "
            f"xc7 lut {cells[3]:>6} ff {cells[4]:>6} bram {cells[5]:>3}")
