// SPDX-License-Identifier: Apache-2.0
// Modulo-2^32 sequence-number comparisons (RFC 9293 3.4, MUST-1): the
// SystemVerilog twin of rtl_model/include/toe/seq.hpp and toe/seq.h.
// Never compare sequence numbers with a raw < or >.
// (Written with assignments to the function name rather than `return`, which
// yosys 0.23 does not accept; call as toe_seq_pkg::seq_lt(...), since yosys
// 0.23 does not accept `import` either.)
package toe_seq_pkg;

  // a < b: the difference a - b, read as a signed 32-bit number, is negative.
  function automatic logic seq_lt(input logic [31:0] a, input logic [31:0] b);
    logic [31:0] d;
    d = a - b;
    seq_lt = $signed(d) < 0;
  endfunction

  function automatic logic seq_leq(input logic [31:0] a, input logic [31:0] b);
    logic [31:0] d;
    d = a - b;
    seq_leq = $signed(d) <= 0;
  endfunction

  function automatic logic seq_gt(input logic [31:0] a, input logic [31:0] b);
    seq_gt = seq_lt(b, a);
  endfunction

  function automatic logic seq_geq(input logic [31:0] a, input logic [31:0] b);
    seq_geq = seq_leq(b, a);
  endfunction

  // lo <= x < lo + len, modulo 2^32.
  function automatic logic seq_in_window(input logic [31:0] x, input logic [31:0] lo,
                                         input logic [31:0] len);
    logic [31:0] d;
    d = x - lo;
    seq_in_window = d < len;
  endfunction

endpackage
