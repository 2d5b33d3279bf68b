// SPDX-License-Identifier: Apache-2.0
// toe_tx_frame_ram: the frame store between toe_tx_build and toe_tx_csum.
//
// A simple dual-port RAM (one write port, one read port, one clock) with a
// registered read: rdata_o shows the word at the raddr_i of the previous
// cycle. Written as the block-RAM template both Verilator and yosys
// recognise (BRAM on iCE40/7-series). A read of the word written in the same
// cycle returns the old contents; toe_tx_build never does that (the slot it
// fills is never the slot toe_tx_csum streams).
module toe_tx_frame_ram #(
  // Word width in bits.
  parameter int unsigned Width = 64,
  // Words (a power of two).
  parameter int unsigned Depth = 512,
  // Address width (derived).
  localparam int unsigned AddrBits = $clog2(Depth)
) (
  input  logic                clk_i,
  input  logic                we_i,
  input  logic [AddrBits-1:0] waddr_i,
  input  logic [Width-1:0]    wdata_i,
  input  logic [AddrBits-1:0] raddr_i,
  output logic [Width-1:0]    rdata_o
);

  logic [Width-1:0] mem_q [Depth];

  always_ff @(posedge clk_i) begin
    if (we_i) mem_q[waddr_i] <= wdata_i;
    rdata_o <= mem_q[raddr_i];
  end

endmodule
