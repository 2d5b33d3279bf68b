#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Write defs_expected.h: what toe_defs.h / toe_defs.hpp must contain, read straight from
toe_defs.toml.

Deliberately independent of scripts/toegen (it imports nothing from it and shares no code),
so that the C and C++ tests compare the generator's output with a second reading of the
description rather than with itself. It only reads; validation is the generator's job. The
spelling rules it applies are the documented ones (rtl_model/regmap/README.md):
tx_push -> TOE_CMD_TX_PUSH / kTxPush, SYN_SENT -> TOE_STATE_SYN_SENT / SYN_SENT,
RxBufBytes -> TOE_PARAM_RX_BUF_BYTES_*; a parameter's MIN / MAX are those of its engine
rules (the largest min, the smallest max, 0xFFFFFFFF when none).

Usage: gen_defs_expectations.py --in toe_defs.toml --out defs_expected.h
"""
import argparse
import re
import tomllib


def camel(snake):
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--in", dest="src", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    with open(args.src, "rb") as fh:
        doc = tomllib.load(fh)

    lines = ["/* Expectations read from toe_defs.toml by tests/regmap/gen_defs_expectations.py. */",
             "#ifndef TOE_DEFS_EXPECTED_H_", "#define TOE_DEFS_EXPECTED_H_", ""]

    states = doc["tcp_state"]["value"]
    lines.append("/* X(NAME, value): toe::TcpState::NAME, TOE_STATE_NAME */")
    lines.append("#define TOE_EXPECTED_STATES(X) \\")
    lines += [f"  X({s['name']}, {s['value']}u) \\" for s in states]
    lines += ["", f"#define TOE_EXPECTED_STATE_COUNT {len(states)}u", ""]

    for key, macro, prefix in (("cmd_op", "CMDS", "TOE_CMD"), ("evt_type", "EVTS", "TOE_EVT")):
        who = "from" if key == "cmd_op" else "for"
        lines.append(f"/* X(UPPER, kCamel, \"name\", value, firmware) */")
        lines.append(f"#define TOE_EXPECTED_{macro}(X) \\")
        for v in doc[key]["value"]:
            fw = 1 if v[who] == "firmware" else 0
            lines.append(f"  X({v['name'].upper()}, k{camel(v['name'])}, \"{v['name']}\", "
                         f"{v['value']}u, {fw}) \\")
        lines += ["", f"#define TOE_EXPECTED_{macro[:-1]}_COUNT {len(doc[key]['value'])}u", ""]

    counters = doc["counter"]["value"]
    lines.append("/* X(UPPER, kCamel, \"name\", index, drop) */")
    lines.append("#define TOE_EXPECTED_COUNTERS(X) \\")
    for i, c in enumerate(counters):
        lines.append(f"  X({c['name'].upper()}, k{camel(c['name'])}, \"{c['name']}\", {i}u, "
                     f"{1 if c.get('drop', False) else 0}) \\")
    lines += ["", f"#define TOE_EXPECTED_COUNTER_COUNT {len(counters)}u", ""]

    params = doc["params"]["param"]
    lines.append("/* X(UPPER, field, \"Name\", default, engine min, engine max) */")
    lines.append("#define TOE_EXPECTED_PARAMS(X) \\")
    for p in params:
        upper = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", p["name"]).upper()
        mins = [r["min"] for r in p["rules"] if "min" in r]
        maxs = [r["max"] for r in p["rules"] if "max" in r]
        lo = max(mins) if mins else 0
        hi = min(maxs) if maxs else 0xFFFFFFFF
        lines.append(f"  X({upper}, {p['field']}, \"{p['name']}\", {p['default']}u, {lo}u, "
                     f"0x{hi:X}u) \\")
    lines += ["", f"#define TOE_EXPECTED_PARAM_COUNT {len(params)}u", ""]
    lines.append("#endif")
    with open(args.out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
