// SPDX-License-Identifier: Apache-2.0
// A simple dual-port memory: Depth words of Width bits, one write port and one read port with one
// cycle of latency. It has no other read, so yosys maps it as a whole to block RAM where the
// depth pays for one (RAMB18/RAMB36 on 7-series, DP16KD on ECP5), and to LUT RAM below that.
// Any depth (a power of two or not). Its users: toe_tx_build's frame slots, toe_tcb_ram's copies
// of the TCB tables (one per reader), the index ways, and toe_tables' key table, flags and queue
// banks, each read with its address issued a cycle ahead.
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
// tool chooses. A memory HugeDepth words deep or deeper has no attribute again: the tool puts it in
// its largest RAM, URAM288 on UltraScale+ (synth_xilinx -uram), block RAM elsewhere; "block"
// would keep it out of URAM (65,536 sessions: the TCB copies in 5,169 RAMB36E2, more than any part
// has). LUT RAM never wins at that depth.
//
// DeepSlices (a block-RAM memory deeper than 4,096 words): the memory is stored as columns
// (g_cols.g_col[c].cmem) of the width a block RAM holds at that depth whole: 4 bits up to 8,192
// words, 2 up to 16,384, 1 beyond (RAMB36's 8K x 4, 16K x 2 and 32K x 1; DP16KD's 8K x 2 and
// 16K x 1 on ECP5). Left whole, yosys picks the RAMB36 shape by its count and stacks 4K x 9
// blocks four deep with a 4-to-1 multiplexer behind every bit (toe_tcb_ram's 16,384 x 605 copy,
// synthesised alone: 272 RAMB36 and 1,229 LUTs, against 302 RAMB36 + 1 RAMB18 and 615 LUTs as
// columns), which made the engine's LUTs grow with the sessions. A write-first read (Transparent) is then the columns'
// read-first read with the word written at that edge forwarded (the register, compare and
// multiplexer yosys would add to each column). g_mem.mem also holds the whole words there
// (written alike, read by nothing in the design, so synthesis removes it), so the simulation's
// hierarchical references to it work at any size.
module toe_sdp_ram #(
  parameter int unsigned Width = 8,
  parameter int unsigned Depth = 16,
  parameter int unsigned AddrW = (Depth > 1) ? $clog2(Depth) : 1,
  parameter bit          Transparent = 1'b0,
  parameter int unsigned BlockDepth = 512,
  parameter int unsigned HugeDepth = 65536,
  parameter bit          DeepSlices = 1'b0
) (
  input  logic             clk_i,

  input  logic             wr_en_i,
  input  logic [AddrW-1:0] wr_addr_i,
  input  logic [Width-1:0] wr_data_i,

  input  logic [AddrW-1:0] rd_addr_i,
  output logic [Width-1:0] rd_data_o
);

  localparam bit InBlock = BlockDepth != 0 && Depth >= BlockDepth && (HugeDepth == 0 || Depth < HugeDepth);
  localparam int unsigned ColW = !(DeepSlices && InBlock && Depth > 4096) ? Width :
                                 (Depth <= 8192) ? 4 : (Depth <= 16384) ? 2 : 1;
  localparam int unsigned Cols = (Width + ColW - 1) / ColW;

  // The memory, g_mem.mem: in block RAM, or as the tool chooses (one name, two branches, only the
  // attribute differs). With columns (g_cols.g_col[c].cmem) it is written but never read in the
  // design, and synthesis removes it; the simulation's backdoors read it.
  if (InBlock) begin : g_mem
    /* verilator lint_off UNUSEDSIGNAL */
    (* ram_style = "block" *) logic [Width-1:0] mem [Depth];  // not read with columns
    /* verilator lint_on UNUSEDSIGNAL */
  end else begin : g_mem
    logic [Width-1:0] mem [Depth];
  end

  always_ff @(posedge clk_i) begin
    if (wr_en_i) g_mem.mem[wr_addr_i] <= wr_data_i;
  end

  if (Cols > 1) begin : g_cols
    /* verilator lint_off UNUSEDSIGNAL */
    logic [Cols*ColW-1:0] rd_cols;  // the columns' read (the last column's unused bits not read)
    /* verilator lint_on UNUSEDSIGNAL */
    logic [Cols*ColW-1:0] wd_cols;
    assign wd_cols = (Cols*ColW)'(wr_data_i);
    for (genvar c = 0; c < Cols; c++) begin : g_col  // the last column may be partly unused
      (* ram_style = "block" *) logic [ColW-1:0] cmem [Depth];
      logic [ColW-1:0] rd_q;
      always_ff @(posedge clk_i) begin
        if (wr_en_i) cmem[wr_addr_i] <= wd_cols[c*ColW +: ColW];
        rd_q <= cmem[rd_addr_i];
      end
      assign rd_cols[c*ColW +: ColW] = rd_q;
    end
    if (Transparent) begin : gen_write_first
      // The word written at the edge, forwarded when it is the word read.
      logic             fwd_q;
      logic [Width-1:0] wd_q;
      always_ff @(posedge clk_i) begin
        fwd_q <= wr_en_i && wr_addr_i == rd_addr_i;
        wd_q  <= wr_data_i;
      end
      assign rd_data_o = fwd_q ? wd_q : rd_cols[Width-1:0];
    end else begin : gen_read_first
      assign rd_data_o = rd_cols[Width-1:0];
    end
  end

  // Whole words are read from g_mem.mem.
  if (Cols == 1 && Transparent) begin : gen_write_first
    logic [AddrW-1:0] rd_addr_q;
    always_ff @(posedge clk_i) begin
      rd_addr_q <= rd_addr_i;
    end
    assign rd_data_o = g_mem.mem[rd_addr_q];
  end
  if (Cols == 1 && !Transparent) begin : gen_read_first
    always_ff @(posedge clk_i) begin
      rd_data_o <= g_mem.mem[rd_addr_i];
    end
  end

endmodule
