// SPDX-License-Identifier: Apache-2.0
// toe_isn_mix: the keyed part of the ISN (IS1, RFC 9293 3.4.1: ISN = M + F(4-tuple, secret)) of
// the 4-tuple presented, two cycles later. Twin of the C++ class toe::model::IsnMix
// (rtl_model/model/rx/isn_mix.hpp).
//
// F is toe_hash_pkg's mix: 4 of HalfSipHash's SipRounds (16 32-bit adders, 8 in series). Stage
// one loads the state from the key, LOCAL_IP and ISN_SECRET and runs two rounds into half_q;
// stage two runs the other two and folds the state into mix_o. Each stage waits on 4 adders in
// series (a round's four stand two by two), and neither touches
// toe_tcp_fsm, which adds its 4-us clock M to mix_o in the cycle it decides.
//
// toe_top presents the key of the segment rx_parse hands on (in rx_csum's stage), else the
// command offered on s_cmd: either reaches toe_tcp_fsm two cycles later, the segment through
// rx_csum and conn_lookup, the command through the two command registers (cmd_ready promises that
// no segment takes the cycle). Both registers load every cycle; there is no valid.
//
// Latency: 2. The key registers are taken in the first stage's cycle.
module toe_isn_mix (
  input  logic         clk_i,
  input  logic         rst_ni,

  input  logic [31:0]  key_rip_i,    // remote address
  input  logic [15:0]  key_rport_i,  // remote port
  input  logic [15:0]  key_lport_i,  // local port
  input  logic [31:0]  local_ip_i,   // LOCAL_IP
  input  logic [127:0] isn_secret_i, // ISN_SECRET (isn_secret[k] in [32k +: 32])

  output logic [31:0]  mix_o
);

  // Stage one: the state after two rounds.
  logic [127:0] half_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin : p_half
    if (!rst_ni) half_q <= '0;
    else half_q <= toe_hash_pkg::isn_mix_round2(
        toe_hash_pkg::isn_mix_init(isn_secret_i, local_ip_i, key_rip_i, key_rport_i, key_lport_i));
  end

  // Stage two: the other two rounds, folded to 32 bits.
  always_ff @(posedge clk_i or negedge rst_ni) begin : p_mix
    if (!rst_ni) mix_o <= '0;
    else mix_o <= toe_hash_pkg::isn_mix_fold(toe_hash_pkg::isn_mix_round2(half_q));
  end

endmodule
