// SPDX-License-Identifier: Apache-2.0
// toe_evt_ram: the memory of toe_tables' event queue, which takes up to Ports pushes a cycle at
// consecutive entries. A RAM primitive: no model twin of its own (the model's Tables holds the
// queue, a ring it pushes one entry at a time).
//
// Depth entries of Width + ShW bits in Banks = 8 interleaved banks: entry a is row a / 8 of bank
// a % 8, so one cycle's pushes (at most 8, at consecutive entries) land in distinct banks and each
// bank has one write port. The j-th push of a cycle (we_i[j], wd_i[j], sel_i[j]) writes entry
// tail_i + j (mod Depth): {wd_i[j], sh_i[sel_i[j]]}. The pushes a cycle takes are a prefix (we_i
// is 0..01..1). An entry's last ShW bits are one of two values a cycle shares (sh_i: the fields
// that every push of one source holds alike), so only Width bits and the selection move with each
// push. Bank b takes push (b - e0) mod 8, e0 = tail_i mod 8, at the tail's row or the next one:
// an 8:1 multiplexer per bank and bit, indexed by b - e0 (smaller on ECP5 than the pushes rotated
// by e0 in three shared stages of 2:1 multiplexers: docs/performance.md). rd_data_o is entry
// rd_addr_i, read combinationally.
module toe_evt_ram #(
  parameter int unsigned Depth = 64,     // a multiple of 8
  parameter int unsigned Width = 64,     // the bits each push brings
  parameter int unsigned ShW   = 1,      // the bits shared (sh_i)
  parameter int unsigned Ports = 8,      // at most 8
  localparam int unsigned AddrW = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic                   clk_i,
  input  logic [Ports-1:0]       we_i,
  input  logic [Ports*Width-1:0] wd_i,     // push j in [Width*j +: Width]
  input  logic [Ports-1:0]       sel_i,    // push j takes sh_i[ShW*sel_i[j] +: ShW]
  input  logic [2*ShW-1:0]       sh_i,
  input  logic [AddrW-1:0]       tail_i,   // the entry push 0 writes
  input  logic [AddrW-1:0]       rd_addr_i,
  output logic [Width+ShW-1:0]   rd_data_o
);

  localparam int unsigned Banks = 8;
  localparam int unsigned Rows  = Depth / Banks;
  localparam int unsigned RowW  = (Rows > 1) ? $clog2(Rows) : 1;

  if (Depth % Banks != 0 || Depth < Banks) begin : gen_bad_depth
    $error("toe_evt_ram: Depth must be a multiple of 8");
  end
  if (Ports > Banks) begin : gen_bad_ports
    $error("toe_evt_ram: at most 8 pushes a cycle");
  end

  logic [2:0]      e0;
  logic [RowW-1:0] row0, row1;           // the tail's row, the next one
  logic [Width+1:0] push [Banks];        // {we, sel, wd} of push j (none for j >= Ports)
  logic [Width+1:0] bank_in [Banks];     // what bank b takes: push (b - e0) mod 8
  logic [Width+ShW-1:0] bank_rd [Banks];
  assign e0   = tail_i[2:0];
  assign row0 = RowW'(tail_i[AddrW-1:3]);
  assign row1 = (32'(row0) == Rows - 1) ? '0 : row0 + RowW'(1);
  always_comb begin
    for (int j = 0; j < Banks; j++) begin
      push[j] = (j < Ports) ? {we_i[j], sel_i[j], wd_i[Width*j +: Width]} : '0;
    end
    for (int b = 0; b < Banks; b++) begin
      bank_in[b] = push[3'(3'(b) - e0)];
    end
  end
  for (genvar b = 0; b < Banks; b++) begin : gen_bank
    logic [Width+ShW-1:0] mem [Rows];
    logic             next_row;  // the push it takes, j = (b - e0) mod 8, has e0 + j >= 8
    assign next_row = 3'(3'(b) - e0) > 3'(3'd7 - e0);
    always_ff @(posedge clk_i) begin
      if (bank_in[b][Width+1])
        mem[next_row ? row1 : row0] <= {bank_in[b][Width-1:0], bank_in[b][Width] ? sh_i[2*ShW-1:ShW] : sh_i[ShW-1:0]};
    end
    assign bank_rd[b] = mem[rd_addr_i[AddrW-1:3]];
  end
  assign rd_data_o = bank_rd[rd_addr_i[2:0]];

endmodule
