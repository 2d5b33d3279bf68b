// SPDX-License-Identifier: Apache-2.0
// toe_tx_csum: takes a built frame from toe_tx_build, completes its TCP
// checksum with the payload sum, and streams it on m_axis_tx in DataBytes-wide
// beats. The streaming half of toe::model::TxBuild (the model's tx_csum stage:
// stream_q_, pos_q_, beat_q_, done_q_).
//
// A beat at frame byte p = beat * DataBytes is assembled lane by lane:
//
//   lane i, frame byte q = p + i:   q < H            header byte q (b_hdr_i, checksum inserted)
//                                   H <= q < H + len  payload: a byte of the two-word window
//                                   H + len <= q < F  padding (0)
//                                   q >= F            0, tkeep low
//
// The payload sits in the frame slot as the transmit buffer's words: payload byte j is
// byte (lane0 + j) of the slot, and frame byte q = j + H. With s = lane0 - H,
// r = s mod DataBytes and c = floor(s / DataBytes), beat b takes its payload from slot
// words b+c (lanes r..) and b+c+1, held in lo_q and hi_q:
//
//   +-------------------------+-------------------------+
//   | hi_q = word b+c+1       | lo_q = word b+c         |   window >> 8r -> the beat's payload lanes
//   +-------------------------+-------------------------+
//
// Slot words 0 and 1 come from toe_tx_build's registers (b_h0_i, b_h1_i) so the first beat
// is ready the cycle the frame moves in; word b+c+2 is read ahead from the slot RAM (registered
// read, addressed from the next state) and shifts in when a beat is taken.
module toe_tx_csum #(
  // Datapath width in bytes (1, 2, 4, ..., 64).
  parameter int unsigned DataBytes = 8,
  // Lane index width (derived).
  localparam int unsigned LaneBits = (DataBytes > 1) ? $clog2(DataBytes) : 1,
  // Frame slot RAM address width (derived): slot bit and 2048 / DataBytes words.
  localparam int unsigned RamAddrBits = $clog2(2048 / DataBytes) + 1
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,

  // The built frame (toe_tx_build), valid while b_ready_i.
  input  logic                    b_ready_i,
  input  logic [8*62-1:0]         b_hdr_i,      // header bytes, TCP checksum 0
  input  logic [20:0]             b_hsum_i,     // pseudo header + TCP header sum
  input  logic [25:0]             b_psum_i,     // payload sum (lanes as if at an even offset)
  input  logic                    b_swap_i,     // payload at an odd offset: swap the sum's bytes
  input  logic [10:0]             b_len_i,      // payload bytes
  input  logic [6:0]              b_hlen_i,     // header bytes H
  input  logic [11:0]             b_flen_i,     // frame bytes F
  input  logic [LaneBits-1:0]     b_r_i,
  input  logic signed [8:0]       b_c2_i,       // c + 2
  input  logic                    b_slot_i,
  input  logic [8*DataBytes-1:0]  b_h0_i,       // slot words 0 and 1
  input  logic [8*DataBytes-1:0]  b_h1_i,
  output logic                    move_o,       // the built frame is taken this cycle

  // Frame slot RAM read port.
  output logic [RamAddrBits-1:0]  ram_raddr_o,
  input  logic [8*DataBytes-1:0]  ram_rdata_i,

  output logic [8*DataBytes-1:0]  m_axis_tx_tdata_o,
  output logic [DataBytes-1:0]    m_axis_tx_tkeep_o,
  output logic                    m_axis_tx_tvalid_o,
  output logic                    m_axis_tx_tlast_o,
  input  logic                    m_axis_tx_tready_i,
  output logic                    frame_done_o
);

  localparam int unsigned LaneLog = $clog2(DataBytes);
  localparam int unsigned HdrBytes = 62;
  localparam int unsigned HdrBeats = (HdrBytes + DataBytes - 1) / DataBytes;
  localparam int unsigned SlotBits = RamAddrBits - 1;

  function automatic logic [15:0] fold16(input logic [31:0] s);
    logic [16:0] t;
    t = {1'b0, s[15:0]} + {1'b0, s[31:16]};
    fold16 = t[15:0] + {15'b0, t[16]};
  endfunction

  // Lanes below n (0..DataBytes) set.
  function automatic logic [DataBytes-1:0] lanes_below(input logic [6:0] n);
    lanes_below = ~({DataBytes{1'b1}} << n);
  endfunction

  // min(max(x - p, 0), DataBytes): how many lanes of the beat at p lie below frame byte x.
  function automatic logic [6:0] lanes_before(input logic [15:0] x, input logic [15:0] p);
    if (x <= p) lanes_before = 7'd0;
    else if (x - p >= 16'(DataBytes)) lanes_before = 7'(DataBytes);
    else lanes_before = 7'(x - p);
  endfunction

  // ---- stream state --------------------------------------------------------------------------
  logic                   s_valid_q, s_valid_d;   // a frame is streaming (model: stream_q_)
  logic [11:0]            s_beat_q, s_beat_d;     // beat on the output (model: pos_q_ / DataBytes)
  logic [8*HdrBytes-1:0]  s_hdr_q, s_hdr_d;
  logic [10:0]            s_len_q, s_len_d;
  logic [6:0]             s_hlen_q, s_hlen_d;
  logic [11:0]            s_flen_q, s_flen_d;
  logic [LaneBits-1:0]    s_r_q, s_r_d;
  logic signed [8:0]      s_c2_q, s_c2_d;
  logic                   s_slot_q, s_slot_d;
  logic [8*DataBytes-1:0] lo_q, lo_d, hi_q, hi_d;
  logic [8*DataBytes-1:0] tdata_d;
  logic [DataBytes-1:0]   tkeep_d;
  logic                   tlast_d;
  logic                   taken, fin, adv;
  logic [15:0]            tcp_csum;
  logic [8*HdrBytes-1:0]  b_hdr_csum;

  // TCP checksum of the built frame: header sum + payload sum.
  always_comb begin
    logic [15:0] psum;
    psum = fold16({6'd0, b_psum_i});
    if (b_swap_i) psum = {psum[7:0], psum[15:8]};
    tcp_csum = ~fold16({11'd0, b_hsum_i} + {16'd0, psum});
    b_hdr_csum = b_hdr_i;
    b_hdr_csum[8*50 +: 8] = tcp_csum[15:8];
    b_hdr_csum[8*51 +: 8] = tcp_csum[7:0];
  end

  assign taken = m_axis_tx_tvalid_o && m_axis_tx_tready_i;
  assign fin = s_valid_q && taken && m_axis_tx_tlast_o;
  assign adv = s_valid_q && taken && !m_axis_tx_tlast_o;

  always_comb begin
    s_valid_d = s_valid_q && !fin;
    s_beat_d = s_beat_q;
    s_hdr_d = s_hdr_q;
    s_len_d = s_len_q;
    s_hlen_d = s_hlen_q;
    s_flen_d = s_flen_q;
    s_r_d = s_r_q;
    s_c2_d = s_c2_q;
    s_slot_d = s_slot_q;
    lo_d = lo_q;
    hi_d = hi_q;
    move_o = b_ready_i && !s_valid_d;
    if (move_o) begin
      s_valid_d = 1'b1;
      s_beat_d = 12'd0;
      s_hdr_d = b_hdr_csum;
      s_len_d = b_len_i;
      s_hlen_d = b_hlen_i;
      s_flen_d = b_flen_i;
      s_r_d = b_r_i;
      s_c2_d = b_c2_i;
      s_slot_d = b_slot_i;
      lo_d = b_h0_i;                                // word c (c is 0 or negative)
      hi_d = (b_c2_i == 9'sd2) ? b_h1_i : b_h0_i;   // word c + 1
    end else if (adv) begin
      s_beat_d = s_beat_q + 12'd1;
      lo_d = hi_q;
      hi_d = ram_rdata_i;                           // word (beat + 1) + c + 1
    end
  end

  // Read ahead: slot word (next beat) + c + 2.
  always_comb begin
    logic [11:0] w;
    w = s_beat_d + {{3{s_c2_d[8]}}, s_c2_d};
    ram_raddr_o = {s_slot_d, w[SlotBits-1:0]};
  end

  // The beat for the next cycle, from the next state.
  always_comb begin
    logic [15:0] p;
    logic [8*DataBytes*HdrBeats-1:0] hdr_pad;
    logic [8*DataBytes-1:0] hdr_beat, pay;
    logic [2*8*DataBytes-1:0] window;
    logic [DataBytes-1:0] hdr_lanes, pay_lanes;
    p = {4'b0, s_beat_d} << LaneLog;
    // Header lanes: a frame moving in starts at beat 0, straight from toe_tx_build (no
    // header-wide multiplexer in front of the beat selection); later beats from s_hdr_q.
    hdr_pad = '0;
    hdr_beat = '0;
    if (move_o) begin
      hdr_pad[8*HdrBytes-1:0] = b_hdr_csum;
      hdr_beat = hdr_pad[8*DataBytes-1:0];
    end else begin
      hdr_pad[8*HdrBytes-1:0] = s_hdr_q;
      if (32'(s_beat_d) < HdrBeats) hdr_beat = hdr_pad[8*DataBytes*32'(s_beat_d) +: 8*DataBytes];
    end
    window = {hi_d, lo_d} >> {s_r_d, 3'b000};
    pay = window[8*DataBytes-1:0];
    hdr_lanes = lanes_below(lanes_before({9'd0, s_hlen_d}, p));
    pay_lanes = lanes_below(lanes_before({9'd0, s_hlen_d} + {5'd0, s_len_d}, p)) & ~hdr_lanes;
    tkeep_d = lanes_below(lanes_before({4'd0, s_flen_d}, p));
    for (int i = 0; i < DataBytes; i++) begin
      tdata_d[8*i +: 8] = hdr_lanes[i] ? hdr_beat[8*i +: 8] : pay_lanes[i] ? pay[8*i +: 8] : 8'd0;
    end
    tlast_d = p + 16'(DataBytes) >= {4'd0, s_flen_d};
    if (!s_valid_d) begin
      tdata_d = '0;
      tkeep_d = '0;
      tlast_d = 1'b0;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s_valid_q <= 1'b0;
      s_beat_q <= 12'd0;
      m_axis_tx_tdata_o <= '0;
      m_axis_tx_tkeep_o <= '0;
      m_axis_tx_tvalid_o <= 1'b0;
      m_axis_tx_tlast_o <= 1'b0;
      frame_done_o <= 1'b0;
    end else begin
      s_valid_q <= s_valid_d;
      s_beat_q <= s_beat_d;
      m_axis_tx_tdata_o <= tdata_d;
      m_axis_tx_tkeep_o <= tkeep_d;
      m_axis_tx_tvalid_o <= s_valid_d;
      m_axis_tx_tlast_o <= tlast_d;
      frame_done_o <= fin;
    end
  end

  // Frame fields and the payload window: only meaningful while s_valid_q, so not reset.
  always_ff @(posedge clk_i) begin
    s_hdr_q <= s_hdr_d;
    s_len_q <= s_len_d;
    s_hlen_q <= s_hlen_d;
    s_flen_q <= s_flen_d;
    s_r_q <= s_r_d;
    s_c2_q <= s_c2_d;
    s_slot_q <= s_slot_d;
    lo_q <= lo_d;
    hi_q <= hi_d;
  end

endmodule
