// SPDX-License-Identifier: Apache-2.0
// toe_fw_txq: the firmware port's transmit path. Twin of the C++ toe::model::FwTxq
// (rtl_model/model/top/fw_txq.{hpp,cpp}), which describes it: a frame buffer the firmware writes
// (32-bit words with byte enables) and a sender streaming its first len bytes as DataBytes-wide
// beats once toe_engine grants it the output (start_i), one beat per clock the output takes.
// The buffer is a memory of W-byte words, W = max(DataBytes, 4); the beat is read from it
// combinationally (Moore: from the registered position).
module toe_fw_txq #(
  parameter int unsigned DataBytes = 8,
  parameter int unsigned BufBytes  = 2048   // a power of two
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  input  logic                   wr_i,       // a TX_FRAME write taken (never while busy)
  input  logic [$clog2(BufBytes)-1:2] wr_off_i,   // the word's byte offset, bits 1:0 (0) left out
  input  logic [31:0]            wr_data_i,
  input  logic [3:0]             wr_be_i,
  input  logic                   send_i,     // TXQ_SEND taken (never while busy)
  input  logic [11:0]            send_len_i,
  input  logic                   start_i,    // the output is ours from the next clock
  input  logic                   taken_i,    // the output took this clock's beat
  output logic                   busy_o,
  output logic                   act_o,
  output logic [8*DataBytes-1:0] tdata_o,
  output logic [DataBytes-1:0]   tkeep_o,
  output logic                   tlast_o,
  output logic [31:0]            sent_o
);
  localparam int unsigned W   = DataBytes > 4 ? DataBytes : 4;
  localparam int unsigned NW  = BufBytes / W;
  localparam int unsigned WAW = NW > 1 ? $clog2(NW) : 1;
  localparam int unsigned LW  = $clog2(W);

  logic [8*W-1:0] mem [NW];
  logic [11:0]    len_q, pos_q;   // no reset: loaded by send_i before use
  logic [12:0]    left;
  logic [31:0]    rbase;

  assign tlast_o = 13'(pos_q) + 13'(DataBytes) >= 13'(len_q);
  assign left    = len_q > pos_q ? 13'(len_q - pos_q) : 13'd0;
  assign rbase   = 32'(pos_q);
  assign tdata_o = mem[WAW'(rbase >> LW)][8*(rbase & (W - 1)) +: 8*DataBytes];
  always_comb begin
    for (int i = 0; i < DataBytes; i++) tkeep_o[i] = 13'(i) < left;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_o <= 1'b0;
      act_o  <= 1'b0;
      sent_o <= '0;
    end else begin
      if (send_i) busy_o <= 1'b1;
      if (start_i) act_o <= 1'b1;
      if (act_o && taken_i && tlast_o) begin
        busy_o <= 1'b0;
        act_o  <= 1'b0;
        sent_o <= sent_o + 32'd1;
      end
    end
  end

  logic [31:0] wbase;
  logic [WAW-1:0] waddr;  // one word: the 32-bit write never straddles two (W is a multiple of 4)
  logic [LW-1:0]  wlane;  // its first byte in the word
  assign wbase = 32'({wr_off_i, 2'b00});
  assign waddr = WAW'(wbase >> LW);
  assign wlane = LW'(wbase & (W - 1));
  always_ff @(posedge clk_i) begin
    if (send_i) begin
      len_q <= send_len_i;
      pos_q <= '0;
    end else if (act_o && taken_i && !tlast_o) begin
      pos_q <= pos_q + 12'(DataBytes);
    end
    if (wr_i) begin
      for (int i = 0; i < 4; i++) begin
        if (wr_be_i[i]) mem[waddr][8*(32'(wlane) + i) +: 8] <= wr_data_i[8*i +: 8];
      end
    end
  end
endmodule
