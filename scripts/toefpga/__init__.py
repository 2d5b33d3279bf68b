# SPDX-License-Identifier: Apache-2.0
"""toefpga: synthesis and place and route of the RTL (stdlib only).

Every run reads its SystemVerilog files from the RTL's source lists, one per block
(rtl_model/rtl/<seg>/toe_<stage>.f; format at the top of rtl_model/rtl/toe_rtl_sources.cmake).
One module per step; nothing here imports a command line:

  sources.py   a block's .f list -> its ordered SV files; $GEN (the generated register block)
  configs.py   the configurations (name, top, source list, parameters) and the P&R selection
  synth.py     the families (FAMILY), the yosys commands (read, synth_ice40, synth_xilinx,
               synth_ecp5) and the stat parser
  report.py    LUT / FF / BRAM of one configuration per family, as a text or markdown line
  pnr.py       the targets (BOARD: iCE40 HX8K, ECP5-25F), out-of-context wrapper, yosys +
               nextpnr, the log parser, the figures and goals
  cli.py       the command lines (scripts/fpga_report.py, scripts/fpga_pnr.py)

Imports point one way: cli -> report, pnr -> configs -> sources; report, pnr -> synth.
"""
import os

# The repository (scripts/toefpga/ is two levels down) and its RTL.
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RTL = os.path.join(ROOT, "rtl_model", "rtl")
