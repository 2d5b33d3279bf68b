// SPDX-License-Identifier: Apache-2.0
// The 4-tuple hash that picks a connection's index bucket (its low BucketW bits): the
// SystemVerilog twin of rtl_model/include/toe/hash.hpp, called by toe_conn_lookup (the segment's
// or the command's key) and toe_tables (its simulation check of the bucket a TCB write carries).
// (Assignments to the function name rather than `return`, and toe_hash_pkg::tuple_hash(...)
// rather than `import`: yosys 0.23 accepts neither.)
package toe_hash_pkg;

  // A multiply-xorshift mix of the remote address and both ports; both products modulo 2^32 (two
  // constant multipliers: DSP blocks on ECP5 and xc7).
  function automatic logic [31:0] tuple_hash(input logic [31:0] rip, input logic [15:0] rport,
                                             input logic [15:0] lport);
    logic [31:0] h;
    h = rip * 32'h9E37_79B1;
    h = h ^ {rport, lport};
    h = h ^ (h >> 16);
    h = h * 32'h85EB_CA77;
    tuple_hash = h ^ (h >> 15);
  endfunction

endpackage
