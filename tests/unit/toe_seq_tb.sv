// SPDX-License-Identifier: Apache-2.0
// Test wrapper: exposes toe_seq_pkg's functions on ports so C++ can drive them.
module toe_seq_tb (
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  input  logic [31:0] len_i,
  output logic        lt_o,
  output logic        leq_o,
  output logic        gt_o,
  output logic        geq_o,
  output logic        in_window_o
);

  assign lt_o        = toe_seq_pkg::seq_lt(a_i, b_i);
  assign leq_o       = toe_seq_pkg::seq_leq(a_i, b_i);
  assign gt_o        = toe_seq_pkg::seq_gt(a_i, b_i);
  assign geq_o       = toe_seq_pkg::seq_geq(a_i, b_i);
  assign in_window_o = toe_seq_pkg::seq_in_window(a_i, b_i, len_i);
endmodule
