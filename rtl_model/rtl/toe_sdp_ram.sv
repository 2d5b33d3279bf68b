// SPDX-License-Identifier: Apache-2.0
// A simple dual-port memory: Depth words of Width bits, one write port and one read port with one
// cycle of latency. It has no other read, so yosys maps it as a whole to block RAM where the
// depth pays for one (RAMB18/RAMB36 on 7-series, DP16KD on ECP5), and to LUT RAM below that.
// Any depth (a power of two or not). Its users: toe_tx_build's frame slots, and toe_tcb_ram's
// copies of the TCB tables, one per reader, each read with its address issued a cycle ahead.
//
// A read of the address written at the same clock edge returns the old word (read-first), unless
// Transparent is 1: then the read address is registered and the memory read after the edge, so
// the read returns the word written at that edge (write-first). That costs nothing in LUT RAM
// (its read is asynchronous, behind the address register); in block RAM yosys adds the
// forwarding (a register of the written word, an address compare and a multiplexer). Users of
// the read-first mode never read the address being written (toe_tx_build: the slot it fills is
// never the slot toe_tx_csum streams), so the block RAM's own read-during-write mode does not
// matter.
//
// A memory BlockDepth words deep or deeper is held in block RAM (the attribute ram_style =
// "block", which yosys's memory mapping honours): left to its cost estimate, yosys maps a narrow
// memory (toe_tables' one-bit flags, Sessions deep) to LUT RAM at any depth (1,024 x 1: 16 RAM64M
// on xc7, where one RAMB18 holds 16,384 x 1), so the LUTs would grow with the sessions. 0: the
// tool chooses.
module toe_sdp_ram #(
  parameter int unsigned Width = 8,
  parameter int unsigned Depth = 16,
  parameter int unsigned AddrW = (Depth > 1) ? $clog2(Depth) : 1,
  parameter bit          Transparent = 1'b0,
  parameter int unsigned BlockDepth = 512
) (
  input  logic             clk_i,

  input  logic             wr_en_i,
  input  logic [AddrW-1:0] wr_addr_i,
  input  logic [Width-1:0] wr_data_i,

  input  logic [AddrW-1:0] rd_addr_i,
  output logic [Width-1:0] rd_data_o
);

  // One name (g_mem.mem) for the memory in both branches: only its attribute differs.
  if (BlockDepth != 0 && Depth >= BlockDepth) begin : g_mem
    (* ram_style = "block" *) logic [Width-1:0] mem [Depth];
  end else begin : g_mem
    logic [Width-1:0] mem [Depth];
  end

  always_ff @(posedge clk_i) begin
    if (wr_en_i) g_mem.mem[wr_addr_i] <= wr_data_i;
  end

  if (Transparent) begin : gen_write_first
    logic [AddrW-1:0] rd_addr_q;
    always_ff @(posedge clk_i) begin
      rd_addr_q <= rd_addr_i;
    end
    assign rd_data_o = g_mem.mem[rd_addr_q];
  end else begin : gen_read_first
    always_ff @(posedge clk_i) begin
      rd_data_o <= g_mem.mem[rd_addr_i];
    end
  end

endmodule
