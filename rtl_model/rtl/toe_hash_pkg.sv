// SPDX-License-Identifier: Apache-2.0
// The 4-tuple hashes, the SystemVerilog twin of rtl_model/include/toe/hash.hpp: tuple_hash picks a
// connection's index bucket (its low BucketW bits), called by toe_conn_lookup (the segment's or the
// command's key) and toe_tables (its simulation check of the bucket a TCB write carries); isn_mix_*
// are the keyed part of the ISN, in toe_isn_mix's two stages ahead of toe_tcp_fsm.
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

  // IS1 (RFC 9293 3.4.1): ISN = M + F(4-tuple, secret); F is 4 rounds of HalfSipHash's SipRound on
  // a state loaded from the remote address, both ports and the local address under the secret
  // (toe::isn_mix), computed by toe_isn_mix in two stages of two rounds: isn_mix_init loads the
  // state, isn_mix_round2 runs two rounds, isn_mix_fold folds it to 32 bits. The state is
  // {d, c, b, a} (a in [31:0]; SipHash's v3, v2, v1, v0); secret[k] is isn_secret[k] in
  // [32k +: 32]. A round's four adders stand two by two, so two rounds wait on 4 adders in series.
  // toe_tcp_fsm adds M.
  function automatic logic [127:0] isn_mix_init(input logic [127:0] secret, input logic [31:0] local_ip,
                                                input logic [31:0] rip, input logic [15:0] rport,
                                                input logic [15:0] lport);
    isn_mix_init = {secret[127:96], secret[95:64] ^ local_ip, secret[63:32] ^ {rport, lport},
                    secret[31:0] ^ rip};
  endfunction

  function automatic logic [127:0] isn_mix_round2(input logic [127:0] s);
    logic [31:0] a, b, c, d;
    {d, c, b, a} = s;
    for (int i = 0; i < 2; i++) begin
      a = a + b; b = {b[26:0], b[31:27]}; b = b ^ a; a = {a[15:0], a[31:16]};  // rotl 5, 16
      c = c + d; d = {d[23:0], d[31:24]}; d = d ^ c;                         // rotl 8
      a = a + d; d = {d[24:0], d[31:25]}; d = d ^ a;                         // rotl 7
      c = c + b; b = {b[18:0], b[31:19]}; b = b ^ c; c = {c[15:0], c[31:16]};  // rotl 13, 16
    end
    isn_mix_round2 = {d, c, b, a};
  endfunction

  function automatic logic [31:0] isn_mix_fold(input logic [127:0] s);
    isn_mix_fold = s[31:0] ^ s[63:32] ^ s[95:64] ^ s[127:96];
  endfunction

endpackage
