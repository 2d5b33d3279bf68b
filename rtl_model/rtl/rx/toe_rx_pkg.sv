// Constants of the receive path (toe_rx_parse, toe_rx_csum, toe_conn_lookup),
// the SystemVerilog twin of the constants in rtl_model/model/toe_types.hpp and
// tables.hpp. Kept here until the shared toe_pkg.sv exists; the values must
// stay equal to the C++ ones (the lockstep tests compare them numerically).
//
// Written for yosys 0.23 as well as Verilator: localparams only (no packed
// multi-dimensional arrays, no functions with `return`).
package toe_rx_pkg;

  // Frame slots between rx_parse and tcb_update: the parameter RxSlots of
  // toe_rx_parse and toe_top (C++ EngineConfig::rx_slots) is MinRxSlots ..
  // MaxRxSlots (C++ kMinRxSlots, kMaxRxSlots; a slot number is 4 bits). The
  // bytes of one slot (C++ kMaxFrameBytes): longer frames are dropped as malformed.
  localparam int unsigned MinRxSlots = 4;
  localparam int unsigned MaxRxSlots = 16;
  localparam int unsigned FrameBytes = 1536;

  // Leading bytes of a frame rx_parse keeps in registers: Ethernet (14) and
  // the fixed IPv4 header (20); the TCP header is kept aligned apart.
  localparam int unsigned HdrBytes = 34;

  // Width of a drop reason (C++ enum class Counter, kCount = "no drop").
  localparam int unsigned ReasonW = 5;

  // Counter codes used by the receive path (C++ enum class Counter).
  localparam logic [ReasonW-1:0] CntDropBadCsum   = 5'd2;
  localparam logic [ReasonW-1:0] CntDropMalformed = 5'd3;
  localparam logic [ReasonW-1:0] CntDropNotForUs  = 5'd4;
  localparam logic [ReasonW-1:0] CntDropFragment  = 5'd6;
  localparam logic [ReasonW-1:0] CntDropMacError  = 5'd10;
  localparam logic [ReasonW-1:0] CntArpIn         = 5'd16;
  localparam logic [ReasonW-1:0] CntNone          = 5'd17;  // kCount: not dropped

  // Ethernet / IPv4 / TCP constants.
  localparam logic [15:0] EtherTypeIpv4 = 16'h0800;
  localparam logic [15:0] EtherTypeArp  = 16'h0806;
  localparam logic [7:0]  IpProtoTcp    = 8'd6;
  localparam int unsigned EthHdrBytes   = 14;

endpackage
