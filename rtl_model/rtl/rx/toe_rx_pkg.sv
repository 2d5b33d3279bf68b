// SPDX-License-Identifier: Apache-2.0
// Constants of the receive segment (toe_rx_parse, toe_rx_csum), the SystemVerilog
// twin of rtl_model/model/rx/rx_pkg.hpp; the numbers shared with C and C++ (counters,
// parameter ranges) are in the generated toe_defs_pkg.
//
// Written for yosys 0.23 as well as Verilator: localparams only (no packed
// multi-dimensional arrays, no functions with `return`).
package toe_rx_pkg;

  // The bytes of one frame slot (C++ kMaxFrameBytes): longer frames are dropped as malformed.
  // The slot count RxSlots and its range are build parameters (toe_defs_pkg::RxSlotsMin/Max).
  localparam int unsigned FrameBytes = 1536;

  // Leading bytes of a frame rx_parse keeps in registers: Ethernet (14) and
  // the fixed IPv4 header (20); the TCP header is kept aligned apart.
  localparam int unsigned HdrBytes = 34;

  // Drop reasons are counter numbers (toe_defs_pkg::Cnt*, CntNone: not dropped), generated
  // from rtl_model/regmap/toe_defs.toml with the C++ enum class Counter.

  // Ethernet / IPv4 / TCP constants.
  localparam logic [15:0] EtherTypeIpv4 = 16'h0800;
  localparam logic [15:0] EtherTypeArp  = 16'h0806;
  localparam logic [7:0]  IpProtoTcp    = 8'd6;
  localparam int unsigned EthHdrBytes   = 14;

endpackage
