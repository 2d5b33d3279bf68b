# SPDX-License-Identifier: Apache-2.0
"""toe_param_check.sv: module toe_param_check, the engine's build-parameter rules as
elaboration-time checks (the same rules toe::params::check applies to EngineConfig)."""
from __future__ import annotations

from .model import UINT32_MAX, RegMap
from .names import banner, one_line, upper_snake

OUTPUT = "toe_param_check.sv"


def emit(rm: RegMap) -> str:
    d = rm.defs
    o = [banner(d, "// ", "// ")]
    o.append(f"""//
// Elaboration-time checks of the build parameters of {d.sv_module}: the engine's rules from
// {d.source_name}, the same ones toe::params::check (toe_defs.hpp)
// applies to {d.cpp_struct}. A bad value stops elaboration with $error naming the parameter,
// the rule and the value, e.g. "{d.sv_module}: Sessions must be even, got 7". No ports and no
// logic: {d.sv_module} instantiates it once with its parameters passed through.
module toe_param_check #(
""")
    for i, p in enumerate(d.params):
        o.append(f"  // {one_line(p.desc)}\n")
        o.append(f"  parameter int unsigned {p.name} = toe_defs_pkg::{p.name}Default" +
                 ("," if i + 1 < len(d.params) else "") + "\n")
    o.append(") ();\n")
    for p in d.params:
        lim = p.limits("engine")
        base = f"gen_bad_{upper_snake(p.name).lower()}"
        pkg = f"toe_defs_pkg::{p.name}"
        checks = []
        if lim.min > 0 or lim.max < UINT32_MAX:
            cond = " ||\n      ".join(([f"{p.name} < {pkg}Min"] if lim.min > 0 else []) +
                                       ([f"{p.name} > {pkg}Max"] if lim.max < UINT32_MAX else []))
            checks.append(("range", cond, lim.range_text()))
        if lim.power_of_two:
            checks.append(("pow2", f"({p.name} & ({p.name} - 1)) != 0", "a power of two"))
        if lim.even:
            checks.append(("even", f"{p.name} % 2 != 0", "even"))
        if lim.multiple_of:
            checks.append(("multiple", f"{p.name} % {lim.multiple_of} != 0",
                           f"a multiple of {lim.multiple_of}"))
        o.append(f"\n  // {p.name} ({d.cpp_struct}.{p.field})\n")
        for tag, cond, must in checks:
            o.append(f"  if ({cond}) begin : {base}_{tag}\n")
            o.append(f"    $error(\"{d.sv_module}: {p.name} must be {must}, got %0d\", {p.name});\n")
            o.append("  end\n")
    o.append("\nendmodule\n")
    return "".join(o)

