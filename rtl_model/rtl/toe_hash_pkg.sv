// SPDX-License-Identifier: Apache-2.0
// The 4-tuple hashes, the SystemVerilog twin of rtl_model/include/toe/hash.hpp: tuple_hash picks a
// connection's index bucket (its low BucketW bits), called by toe_conn_lookup (the segment's or the
// command's key) and toe_tables (its simulation check of the bucket a TCB write carries); isn_mix
// is the keyed part of the ISN, called by toe_conn_lookup a stage ahead of toe_tcp_fsm.
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

  // IS1 (RFC 9293 3.4.1): ISN = M + F(4-tuple, secret); this is F, a keyed ARX mix of 4 rounds
  // (16 adders and rotators in series) of the remote address, both ports and the local address.
  // secret[k] is isn_secret[k] in [32k +: 32]. toe_tcp_fsm adds M.
  function automatic logic [31:0] isn_mix(input logic [127:0] secret, input logic [31:0] local_ip,
                                          input logic [31:0] rip, input logic [15:0] rport,
                                          input logic [15:0] lport);
    logic [31:0] a, b, c, d;
    a = secret[31:0] ^ rip;
    b = secret[63:32] ^ {rport, lport};
    c = secret[95:64] ^ local_ip;
    d = secret[127:96];
    for (int i = 0; i < 4; i++) begin
      a = a + b; d = d ^ a; d = {d[15:0], d[31:16]};  // rotl 16
      c = c + d; b = b ^ c; b = {b[19:0], b[31:20]};  // rotl 12
      a = a + b; d = d ^ a; d = {d[23:0], d[31:24]};  // rotl 8
      c = c + d; b = b ^ c; b = {b[24:0], b[31:25]};  // rotl 7
    end
    isn_mix = a ^ b ^ c ^ d;
  endfunction

endpackage
