// Modulo-2^32 sequence-number comparisons (RFC 9293 3.4, MUST-1): the
// SystemVerilog twin of rtl_model/include/toe/seq.hpp and toe/seq.h.
// Never compare sequence numbers with a raw < or >.
package toe_seq_pkg;

  function automatic logic seq_lt(input logic [31:0] a, input logic [31:0] b);
    logic signed [31:0] d;
    d = $signed(a - b);
    return d < 0;
  endfunction

  function automatic logic seq_leq(input logic [31:0] a, input logic [31:0] b);
    logic signed [31:0] d;
    d = $signed(a - b);
    return d <= 0;
  endfunction

  function automatic logic seq_gt(input logic [31:0] a, input logic [31:0] b);
    return seq_lt(b, a);
  endfunction

  function automatic logic seq_geq(input logic [31:0] a, input logic [31:0] b);
    return seq_leq(b, a);
  endfunction

  // lo <= x < lo + len, modulo 2^32.
  function automatic logic seq_in_window(input logic [31:0] x, input logic [31:0] lo,
                                         input logic [31:0] len);
    return (x - lo) < len;
  endfunction

endpackage
