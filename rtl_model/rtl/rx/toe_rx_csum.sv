// SPDX-License-Identifier: Apache-2.0
// toe_rx_csum: IPv4 header and TCP checksums of the segment rx_parse presents.
// Twin of the C++ class toe::model::RxCsum (rtl_model/model/rx/rx_csum.hpp
// and .cpp): SegMeta in, SegMeta out one cycle later, with drop set and
// reason CntDropBadCsum when the frame passed rx_parse (not dropped, TCP) but
// either checksum is wrong (CK1: silent drop, counted).
//
// The C++ model reads the frame slot; this module instead watches the same
// beats as rx_parse and adds them up while they arrive, so no slot read is
// needed. Per beat, each byte is classified by its frame offset p:
//
//   p:   0 .. 13      14 .. 14+IHL*4-1      14+IHL*4 .. 14+total-1     ...
//       +----------+---------------------+--------------------------+---------+
//       | Ethernet |    IPv4 header      |  TCP header + payload    | padding |
//       +----------+---------------------+--------------------------+---------+
//                   ip_sum                tcp_sum (+ pseudo header)
//
// (IHL from byte 14, total length from bytes 16-17, taken from the beat that
// carries them.) A byte at an even offset is the high byte of a 16-bit word,
// at an odd offset the low byte; both sums are plain (unfolded) integers, so
// a segment of odd length is padded with zero as RFC 1071 asks. At tlast the
// two sums are latched; in the next cycle (when rx_parse presents the meta)
// they are folded with the pseudo header (source, destination, protocol 6,
// TCP length = ip_total - ip_hlen from the meta) and checked:
//
//   ip_ok  = fold(ip_sum) == 16'hFFFF
//   tcp_ok = fold(tcp_sum + pseudo) == 16'hFFFF
//
// which is the codec's csum_fold(...) == 0. Sums of frames rx_parse drops are
// garbage and unused. The stream rules are rx_parse's (tkeep all ones except on
// the tlast beat, contiguous from lane 0 there).
//
// Latency: 1 (meta_valid_o the cycle after meta_valid_i); outputs hold their
// value until the next valid input, as the model's.
module toe_rx_csum #(
  // Datapath width in bytes: 1 (8-bit) .. 64 (512-bit), a power of two.
  parameter int unsigned DataBytes = 8
) (
  input  logic clk_i,
  input  logic rst_ni,

  // The receive stream, as seen by rx_parse.
  input  logic [DataBytes*8-1:0] s_axis_rx_tdata_i,
  input  logic [DataBytes-1:0]   s_axis_rx_tkeep_i,
  input  logic                   s_axis_rx_tvalid_i,
  input  logic                   s_axis_rx_tready_i,
  input  logic                   s_axis_rx_tlast_i,

  // SegMeta in (from rx_parse).
  input  logic        meta_valid_i,
  input  logic        meta_drop_i,
  input  logic [4:0]  meta_reason_i,
  input  logic        meta_is_tcp_i,
  input  logic [47:0] meta_smac_i,
  input  logic [31:0] meta_sip_i,
  input  logic [31:0] meta_dip_i,
  input  logic [15:0] meta_sport_i,
  input  logic [15:0] meta_dport_i,
  input  logic [31:0] meta_seq_i,
  input  logic [31:0] meta_ack_i,
  input  logic [7:0]  meta_flags_i,
  input  logic [15:0] meta_window_i,
  input  logic        meta_has_mss_i,
  input  logic [15:0] meta_mss_i,
  input  logic        meta_has_wscale_i,
  input  logic [7:0]  meta_wscale_i,
  input  logic        meta_sack_permitted_i,
  input  logic        meta_has_ts_i,
  input  logic [31:0] meta_ts_val_i,
  input  logic [31:0] meta_ts_ecr_i,
  input  logic [15:0] meta_payload_off_i,
  input  logic [15:0] meta_payload_len_i,
  input  logic [15:0] meta_ip_off_i,
  input  logic [15:0] meta_ip_hlen_i,
  input  logic [15:0] meta_ip_total_i,
  input  logic [3:0]  meta_slot_i,

  // SegMeta out (to conn_lookup).
  output logic        meta_valid_o,
  output logic        meta_drop_o,
  output logic [4:0]  meta_reason_o,
  output logic        meta_is_tcp_o,
  output logic [47:0] meta_smac_o,
  output logic [31:0] meta_sip_o,
  output logic [31:0] meta_dip_o,
  output logic [15:0] meta_sport_o,
  output logic [15:0] meta_dport_o,
  output logic [31:0] meta_seq_o,
  output logic [31:0] meta_ack_o,
  output logic [7:0]  meta_flags_o,
  output logic [15:0] meta_window_o,
  output logic        meta_has_mss_o,
  output logic [15:0] meta_mss_o,
  output logic        meta_has_wscale_o,
  output logic [7:0]  meta_wscale_o,
  output logic        meta_sack_permitted_o,
  output logic        meta_has_ts_o,
  output logic [31:0] meta_ts_val_o,
  output logic [31:0] meta_ts_ecr_o,
  output logic [15:0] meta_payload_off_o,
  output logic [15:0] meta_payload_len_o,
  output logic [15:0] meta_ip_off_o,
  output logic [15:0] meta_ip_hlen_o,
  output logic [15:0] meta_ip_total_o,
  output logic [3:0]  meta_slot_o
);

  if (DataBytes < 1 || DataBytes > 64 || (DataBytes & (DataBytes - 1)) != 0) begin : gen_bad_width
    $error("toe_rx_csum: DataBytes must be 1, 2, 4, 8, 16, 32 or 64");
  end

  localparam int unsigned FrameBytes   = toe_rx_pkg::FrameBytes;
  localparam int unsigned EthHdrBytes  = toe_rx_pkg::EthHdrBytes;
  localparam int unsigned WordsPerSlot = FrameBytes / DataBytes;
  localparam int unsigned BeatW        = $clog2(WordsPerSlot + 1);
  localparam int unsigned LaneW        = (DataBytes > 1) ? $clog2(DataBytes) : 1;
  // A beat adds at most DataBytes * 255 * 256; a frame at most 2^27.
  localparam int unsigned BeatSumW     = 16 + LaneW + 1;
  localparam int unsigned SumW         = 32;

  // ---------------------------------------------------------------------------
  // Per-beat classification of bytes
  // ---------------------------------------------------------------------------
  logic             fire, frame_end;
  logic [BeatW-1:0] beat_q, beat_d;
  logic [3:0]       ihl_q, ihl_cur;
  logic [15:0]      total_q, total_cur;

  assign fire      = s_axis_rx_tvalid_i & s_axis_rx_tready_i;
  assign frame_end = fire & s_axis_rx_tlast_i;

  // The IPv4 fields that bound the two sums, from this beat when it carries them.
  localparam int unsigned IhlBeat  = 14 / DataBytes, IhlLane  = 14 % DataBytes;
  localparam int unsigned TotHBeat = 16 / DataBytes, TotHLane = 16 % DataBytes;
  localparam int unsigned TotLBeat = 17 / DataBytes, TotLLane = 17 % DataBytes;

  always_comb begin
    ihl_cur   = ihl_q;
    total_cur = total_q;
    if (fire && beat_q == BeatW'(IhlBeat) && s_axis_rx_tkeep_i[IhlLane])
      ihl_cur = s_axis_rx_tdata_i[8*IhlLane +: 4];
    if (fire && beat_q == BeatW'(TotHBeat) && s_axis_rx_tkeep_i[TotHLane])
      total_cur[15:8] = s_axis_rx_tdata_i[8*TotHLane +: 8];
    if (fire && beat_q == BeatW'(TotLBeat) && s_axis_rx_tkeep_i[TotLLane])
      total_cur[7:0] = s_axis_rx_tdata_i[8*TotLLane +: 8];
  end

  // Frame offsets are {beat_q, lane}: a bound B splits into the beat that holds
  // it (B / DataBytes) and the lane (B % DataBytes). below(B) marks the lanes
  // of this beat whose offset is < B.
  localparam int unsigned BoundW = 17;  // 14 + 65535 fits
  logic [BoundW-1:0] ip_end, tcp_end;
  logic [DataBytes-1:0] below_ip_start, below_ip_end, below_tcp_end;

  assign ip_end  = BoundW'(EthHdrBytes) + BoundW'({ihl_cur, 2'b00});
  assign tcp_end = BoundW'(EthHdrBytes) + BoundW'(total_cur);

  function automatic logic [DataBytes-1:0] lanes_below(input logic [BoundW-1:0] bound,
                                                       input logic [BeatW-1:0] beat);
    logic [BoundW-1:0] bound_beat;
    logic [LaneW-1:0]  bound_lane;
    bound_beat = bound >> LaneW;
    bound_lane = (DataBytes > 1) ? bound[LaneW-1:0] : '0;
    if (DataBytes == 1) bound_beat = bound;
    if (BoundW'(beat) < bound_beat) begin
      lanes_below = '1;
    end else if (BoundW'(beat) == bound_beat) begin
      for (int i = 0; i < DataBytes; i++) lanes_below[i] = LaneW'(i) < bound_lane;
    end else begin
      lanes_below = '0;
    end
  endfunction

  assign below_ip_start = lanes_below(BoundW'(EthHdrBytes), beat_q);
  assign below_ip_end   = lanes_below(ip_end, beat_q);
  assign below_tcp_end  = lanes_below(tcp_end, beat_q);

  // Sums of this beat: high byte at even offsets, low byte at odd ones.
  logic [DataBytes-1:0] in_ip, in_tcp;
  logic [BeatSumW-1:0]  beat_ip_sum, beat_tcp_sum;

  assign in_ip  = s_axis_rx_tkeep_i & ~below_ip_start & below_ip_end;
  assign in_tcp = s_axis_rx_tkeep_i & ~below_ip_end & below_tcp_end;

  if (DataBytes == 1) begin : gen_sum_byte
    // One byte per beat: its offset (the beat count) says high or low byte.
    logic [15:0] word;
    assign word         = beat_q[0] ? {8'h00, s_axis_rx_tdata_i} : {s_axis_rx_tdata_i, 8'h00};
    assign beat_ip_sum  = in_ip[0]  ? BeatSumW'(word) : '0;
    assign beat_tcp_sum = in_tcp[0] ? BeatSumW'(word) : '0;
  end else begin : gen_sum_words
    // Beats start at even offsets: lanes 2w, 2w+1 form word w.
    always_comb begin
      beat_ip_sum  = '0;
      beat_tcp_sum = '0;
      for (int w = 0; w < DataBytes / 2; w++) begin
        beat_ip_sum = beat_ip_sum +
                      BeatSumW'({in_ip[2*w] ? s_axis_rx_tdata_i[16*w +: 8] : 8'h00,
                                 in_ip[2*w+1] ? s_axis_rx_tdata_i[16*w+8 +: 8] : 8'h00});
        beat_tcp_sum = beat_tcp_sum +
                       BeatSumW'({in_tcp[2*w] ? s_axis_rx_tdata_i[16*w +: 8] : 8'h00,
                                  in_tcp[2*w+1] ? s_axis_rx_tdata_i[16*w+8 +: 8] : 8'h00});
      end
    end
  end

  // ---------------------------------------------------------------------------
  // Accumulation; the sums of a frame are latched at its tlast beat
  // ---------------------------------------------------------------------------
  logic [SumW-1:0] acc_ip_q, acc_tcp_q, acc_ip_d, acc_tcp_d;
  logic [SumW-1:0] fin_ip_q, fin_tcp_q;
  logic [SumW-1:0] sum_ip_now, sum_tcp_now;

  assign sum_ip_now  = acc_ip_q + SumW'(beat_ip_sum);
  assign sum_tcp_now = acc_tcp_q + SumW'(beat_tcp_sum);

  always_comb begin
    beat_d    = beat_q;
    acc_ip_d  = acc_ip_q;
    acc_tcp_d = acc_tcp_q;
    if (frame_end) begin
      beat_d    = '0;
      acc_ip_d  = '0;
      acc_tcp_d = '0;
    end else if (fire) begin
      // Only full beats advance (a null beat carries no bytes); the count
      // saturates past the last slot word like rx_parse's.
      if ((&s_axis_rx_tkeep_i) && beat_q != BeatW'(WordsPerSlot)) beat_d = beat_q + BeatW'(1);
      acc_ip_d  = sum_ip_now;
      acc_tcp_d = sum_tcp_now;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      beat_q    <= '0;
      acc_ip_q  <= '0;
      acc_tcp_q <= '0;
    end else begin
      beat_q    <= beat_d;
      acc_ip_q  <= acc_ip_d;
      acc_tcp_q <= acc_tcp_d;
    end
  end

  always_ff @(posedge clk_i) begin
    ihl_q   <= ihl_cur;
    total_q <= total_cur;
    if (frame_end) begin
      fin_ip_q  <= sum_ip_now;
      fin_tcp_q <= sum_tcp_now;
    end
  end

  // ---------------------------------------------------------------------------
  // Verdict (the cycle rx_parse presents the frame)
  // ---------------------------------------------------------------------------
  function automatic logic [15:0] fold(input logic [SumW-1:0] s);
    logic [16:0] s1;
    s1   = {1'b0, s[31:16]} + {1'b0, s[15:0]};
    fold = s1[15:0] + {15'd0, s1[16]};
  endfunction

  logic [15:0]     tcp_seg_len;
  logic [SumW-1:0] tcp_total;
  logic            csum_bad;

  assign tcp_seg_len = meta_ip_total_i - meta_ip_hlen_i;
  assign tcp_total   = fin_tcp_q + SumW'(meta_sip_i[31:16]) + SumW'(meta_sip_i[15:0]) +
                       SumW'(meta_dip_i[31:16]) + SumW'(meta_dip_i[15:0]) +
                       SumW'(toe_rx_pkg::IpProtoTcp) + SumW'(tcp_seg_len);
  assign csum_bad    = !meta_drop_i && meta_is_tcp_i &&
                       ((fold(fin_ip_q) != 16'hFFFF) || (fold(tcp_total) != 16'hFFFF));

  logic meta_valid_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) meta_valid_q <= 1'b0;
    else         meta_valid_q <= meta_valid_i;
  end
  assign meta_valid_o = meta_valid_q;

  always_ff @(posedge clk_i) begin
    if (meta_valid_i) begin
      meta_drop_o           <= meta_drop_i | csum_bad;
      meta_reason_o         <= csum_bad ? toe_defs_pkg::CntDropBadCsum : meta_reason_i;
      meta_is_tcp_o         <= meta_is_tcp_i;
      meta_smac_o           <= meta_smac_i;
      meta_sip_o            <= meta_sip_i;
      meta_dip_o            <= meta_dip_i;
      meta_sport_o          <= meta_sport_i;
      meta_dport_o          <= meta_dport_i;
      meta_seq_o            <= meta_seq_i;
      meta_ack_o            <= meta_ack_i;
      meta_flags_o          <= meta_flags_i;
      meta_window_o         <= meta_window_i;
      meta_has_mss_o        <= meta_has_mss_i;
      meta_mss_o            <= meta_mss_i;
      meta_has_wscale_o     <= meta_has_wscale_i;
      meta_wscale_o         <= meta_wscale_i;
      meta_sack_permitted_o <= meta_sack_permitted_i;
      meta_has_ts_o         <= meta_has_ts_i;
      meta_ts_val_o         <= meta_ts_val_i;
      meta_ts_ecr_o         <= meta_ts_ecr_i;
      meta_payload_off_o    <= meta_payload_off_i;
      meta_payload_len_o    <= meta_payload_len_i;
      meta_ip_off_o         <= meta_ip_off_i;
      meta_ip_hlen_o        <= meta_ip_hlen_i;
      meta_ip_total_o       <= meta_ip_total_i;
      meta_slot_o           <= meta_slot_i;
    end
  end

endmodule
