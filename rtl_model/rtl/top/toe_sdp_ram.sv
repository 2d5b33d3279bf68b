// SPDX-License-Identifier: Apache-2.0
// A simple dual-port memory: Depth words of Width bits, one write port and one read port with one
// cycle of latency. It has no other read, so yosys maps it as a whole to block RAM where the
// depth pays for one (RAMB18/RAMB36 on 7-series, DP16KD on ECP5), and to LUT RAM below that.
// The tables keep copies of a memory in it, written like the original, for a reader that can issue
// its address a cycle ahead (toe_tables: tx_arbiter's TCB).
//
// A read of the address written at the same clock edge returns the old word (read-first). Its
// users forward the word written at that edge from a register of their own, so the block RAM's own
// read-during-write mode does not matter.
module toe_sdp_ram #(
  parameter int unsigned Width = 8,
  parameter int unsigned Depth = 16,
  parameter int unsigned AddrW = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic             clk_i,

  input  logic             wr_en_i,
  input  logic [AddrW-1:0] wr_addr_i,
  input  logic [Width-1:0] wr_data_i,

  input  logic [AddrW-1:0] rd_addr_i,
  output logic [Width-1:0] rd_data_o
);

  logic [Width-1:0] mem [Depth];

  always_ff @(posedge clk_i) begin
    if (wr_en_i) mem[wr_addr_i] <= wr_data_i;
  end

  always_ff @(posedge clk_i) begin
    rd_data_o <= mem[rd_addr_i];
  end

endmodule
