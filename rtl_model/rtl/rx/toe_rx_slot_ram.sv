// SPDX-License-Identifier: Apache-2.0
// The rx frame slots (C++ Tables::slots): RxSlots x FrameBytes bytes, one word
// of DataBytes bytes per address. Simple dual port: a write port with byte
// enables (rx_parse) and a read port with one cycle of latency (tcb_update's
// payload copy). Written so that yosys infers block RAM (SB_RAM40_4K on
// iCE40, RAMB36E1 on 7-series) and Verilator simulates it directly.
//
// A read of the address written in the same cycle returns the old word
// (read-first). The pipeline never reads the slot being filled, so the
// block RAM's own read-during-write mode does not matter in use.
module toe_rx_slot_ram #(
  // Word width in bytes (the datapath width).
  parameter int unsigned DataBytes = 8,
  // Number of words (RxSlots * FrameBytes / DataBytes).
  parameter int unsigned Words = 16 * 1536 / 8,
  // Address width.
  parameter int unsigned AddrW = $clog2(Words)
) (
  input  logic                   clk_i,

  input  logic                   wr_en_i,
  input  logic [DataBytes-1:0]   wr_be_i,
  input  logic [AddrW-1:0]       wr_addr_i,
  input  logic [DataBytes*8-1:0] wr_data_i,

  input  logic                   rd_en_i,
  input  logic [AddrW-1:0]       rd_addr_i,
  output logic [DataBytes*8-1:0] rd_data_o
);

  logic [DataBytes*8-1:0] mem [Words];

  always_ff @(posedge clk_i) begin
    if (wr_en_i) begin
      for (int i = 0; i < DataBytes; i++) begin
        if (wr_be_i[i]) mem[wr_addr_i][8*i +: 8] <= wr_data_i[8*i +: 8];
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (rd_en_i) rd_data_o <= mem[rd_addr_i];
  end

endmodule
