// SPDX-License-Identifier: Apache-2.0
// toe_ring: the register ports' fixed-size queues (a ring with a count). Twin of the C++
// toe::model::Ring (rtl_model/model/top/ring.hpp). One push and one pop per clock, both at once
// keeping the count; the pop takes this cycle's head. The caller never pushes a full ring nor
// pops an empty one. The memory has no reset (a reset empties the ring, its words stay).
module toe_ring #(
  parameter int unsigned Depth = 4,        // a power of two, at most 128
  parameter type         T     = logic [31:0]
) (
  input  logic       clk_i,
  input  logic       rst_ni,
  input  logic       push_i,
  input  T           data_i,
  input  logic       pop_i,
  output T           head_o,   // the oldest entry (stale when the ring is empty)
  output logic [7:0] count_o
);
  localparam int unsigned PW = Depth > 1 ? $clog2(Depth) : 1;

  T           mem [Depth];
  logic [PW-1:0] rd_q, wr_q;

  assign head_o = mem[rd_q];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rd_q    <= '0;
      wr_q    <= '0;
      count_o <= '0;
    end else begin
      if (push_i) wr_q <= PW'((32'(wr_q) + 32'd1) % Depth);
      if (pop_i) rd_q <= PW'((32'(rd_q) + 32'd1) % Depth);
      count_o <= count_o + 8'(push_i) - 8'(pop_i);
    end
  end
  always_ff @(posedge clk_i) begin
    if (push_i) mem[wr_q] <= data_i;
  end
endmodule
