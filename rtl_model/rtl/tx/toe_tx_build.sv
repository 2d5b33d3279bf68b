// SPDX-License-Identifier: Apache-2.0
// toe_tx_build: forms the Ethernet/IPv4/TCP frame of one transmit request and
// hands it to toe_tx_csum, which completes the TCP checksum and streams it.
// The twin of toe::model::TxBuild (rtl_model/model/tx/tx_build.hpp/.cpp), which
// holds its TxCsum (tx/tx_csum.hpp/.cpp) as this module holds toe_tx_csum: same ports, same cycle behaviour
// once the model waits for the payload as below (TxBuild::fetch_cycles; see
// README.md and tests/lockstep/tx/model_fetch_latency.patch).
//
// The frame (offsets in bytes; fields big-endian; what toe::net::build_tcp_frame makes):
//
//   0        6        12   14             18      20     22  23  24    26       30       34
//   +--------+--------+----+----+---+-----+-------+------+---+---+-----+--------+--------+
//   | dmac   | smac   |0800| 45 |00 |total| id 0  | 4000 |40 |06 |ipcs | sip    | dip    |
//   | req_   | local_ |    |ver |tos|     |       | DF   |TTL|TCP|     | local_ | req_   |
//   | dmac_i | mac_i  |    |IHL |   |     |       |      |   |   |     | ip_i   | dip_i  |
//   +--------+--------+----+----+---+-----+-------+------+---+---+-----+--------+--------+
//   34     36     38     42     46  47    48     50     52    54              H         H+len
//   +------+------+------+------+---+-----+------+------+-----+---------------+---------+-----+
//   |sport |dport | seq  | ack  |off|flags|window|tcpcs |urg 0| options       | payload | pad |
//   |      |      |      |      |<<4|     |      |      |     | (0, 4, 8 B)   |         |to 60|
//   +------+------+------+------+---+-----+------+------+-----+---------------+---------+-----+
//
//   options: req_opt_mss_i: 02 04 <mss>        then req_opt_ws_i: 01 03 03 <wscale>
//   H = 54 + 4*opt_mss + 4*opt_ws; total = H - 14 + len; len = min(req_payload_len_i, 1536);
//   the payload is bytes (req_payload_off_i + i) mod TxBufBytes of connection req_conn_i's
//   transmit buffer; frames shorter than 60 bytes are padded with zeros.
//
// Timing (identical in the model):
//   cycle t     req_valid_i && ready_o: the request is taken; the first payload word is read
//               (txbuf_rd_* is driven straight from the request ports in this cycle).
//   t+1..t+n    the payload arrives, one DataBytes word per cycle (registered read, latency 1),
//               n = ceil(((req_payload_off_i mod DataBytes) + len) / DataBytes), 0 without payload;
//               each word goes into a frame slot (toe_sdp_ram) and into the payload sum.
//   >= t+1+n    the frame is complete ("built"); it moves to toe_tx_csum as soon as that is free
//               (the cycle its last beat is taken at the latest), whose first beat appears the
//               cycle after. ready_o is low from t+1 until the cycle after the move.
//   The transmit buffer must not change under a frame between t and t+n (the host writes only
//   past the bytes in flight).
//
// Byte order on every bus: byte i of a beat or word is bits [8i+7:8i]; 48-bit MAC ports hold
// the first byte on the wire in bits [47:40].
module toe_tx_build #(
  // Datapath width in bytes (1, 2, 4, ..., 64): one m_axis_tx beat and one transmit-buffer word.
  parameter int unsigned DataBytes = 8,
  // Connections; connection c owns transmit-buffer words [c, c+1) * TxBufBytes/DataBytes.
  parameter int unsigned Sessions = 16,
  // Transmit buffer bytes per connection (a power of two, >= 64 and >= DataBytes).
  parameter int unsigned TxBufBytes = 16384,
  // Width of txbuf_rd_addr_o (derived): log2(Sessions) + log2(TxBufBytes/DataBytes), at least 1.
  localparam int unsigned TxAddrBits =
      ($clog2(Sessions) + $clog2(TxBufBytes / DataBytes) > 0) ?
      $clog2(Sessions) + $clog2(TxBufBytes / DataBytes) : 1
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,

  // Transmit request (toe::model::TxReq), taken when req_valid_i && ready_o.
  input  logic                    req_valid_i,
  output logic                    ready_o,
  input  logic [31:0]             req_conn_i,         // connection whose buffer holds the payload
  input  logic [47:0]             req_dmac_i,
  input  logic [31:0]             req_dip_i,
  input  logic [15:0]             req_sport_i,        // local port
  input  logic [15:0]             req_dport_i,        // remote port
  input  logic [31:0]             req_seq_i,
  input  logic [31:0]             req_ack_i,
  input  logic [7:0]              req_flags_i,
  input  logic [15:0]             req_window_i,
  input  logic                    req_opt_mss_i,
  input  logic [15:0]             req_mss_i,
  input  logic                    req_opt_ws_i,
  input  logic [7:0]              req_wscale_i,
  input  logic [31:0]             req_payload_len_i,  // bytes (frames carry at most 1536)
  input  logic [31:0]             req_payload_off_i,  // byte offset in the buffer (mod TxBufBytes)

  // Runtime registers, sampled when a request is taken.
  input  logic [47:0]             local_mac_i,
  input  logic [31:0]             local_ip_i,

  // Read port of the transmit buffers (owned by the top): word address
  // conn * TxBufBytes/DataBytes + word; data valid the cycle after txbuf_rd_en_o.
  output logic                    txbuf_rd_en_o,
  output logic [TxAddrBits-1:0]   txbuf_rd_addr_o,
  input  logic [8*DataBytes-1:0]  txbuf_rd_data_i,

  // Frames out.
  output logic [8*DataBytes-1:0]  m_axis_tx_tdata_o,
  output logic [DataBytes-1:0]    m_axis_tx_tkeep_o,
  output logic                    m_axis_tx_tvalid_o,
  output logic                    m_axis_tx_tlast_o,
  input  logic                    m_axis_tx_tready_i,
  output logic                    frame_done_o        // one-cycle pulse after a frame's last beat
);

  // ---- parameters ----------------------------------------------------------------------------
  localparam int unsigned LaneLog = $clog2(DataBytes);               // 0 at DataBytes == 1
  localparam int unsigned LaneBits = (LaneLog > 0) ? LaneLog : 1;
  localparam int unsigned WordBits = $clog2(TxBufBytes / DataBytes);  // 0: one word per connection
  localparam int unsigned WordW = (WordBits > 0) ? WordBits : 1;
  localparam int unsigned ConnLog = $clog2(Sessions);
  localparam int unsigned ConnW = (ConnLog > 0) ? ConnLog : 1;
  localparam int unsigned HdrBytes = 62;        // longest header: 14 + 20 + 20 + 8 (MSS, NOP+WS)
  localparam int unsigned SlotBytes = 2048;     // frame slot: 1536 payload bytes + word alignment
  localparam int unsigned SlotBits = $clog2(SlotBytes / DataBytes);
  localparam int unsigned RamAddrBits = SlotBits + 1;  // two slots: built and streaming

  // Elaboration-time checks.
  if (DataBytes < 1 || DataBytes > 64 || (DataBytes & (DataBytes - 1)) != 0) begin : gen_bad_width
    $error("toe_tx_build: DataBytes must be a power of two in 1..64");
  end
  if (TxBufBytes < 64 || TxBufBytes < DataBytes || (TxBufBytes & (TxBufBytes - 1)) != 0 ||
      TxBufBytes > 32'h8000_0000) begin : gen_bad_txbuf
    $error("toe_tx_build: TxBufBytes must be a power of two, >= 64 and >= DataBytes");
  end
  if (Sessions < 1 || Sessions > 65536) begin : gen_bad_sessions
    $error("toe_tx_build: Sessions must be in 1..65536");
  end

  // ---- the request as it is taken (combinational from the request ports) --------------------
  logic                   accept;
  logic [LaneBits-1:0]    in_lane;    // payload_off mod DataBytes: first payload byte's lane
  logic [10:0]            in_len;     // payload bytes in the frame
  logic [11:0]            in_end;     // in_lane + in_len: end of the payload in the fetched words
  logic [11:0]            in_words;   // transmit-buffer words to read
  logic [4:0]             in_optlen;
  logic [6:0]             in_hlen;    // H
  logic [11:0]            in_flen;    // frame bytes: max(60, H + len)
  logic signed [8:0]      in_shift;   // lane - H: payload byte j sits at frame byte j + H
  logic [LaneBits-1:0]    in_r;       // in_shift mod DataBytes
  logic signed [8:0]      in_c2;      // floor(in_shift / DataBytes) + 2
  logic [WordW-1:0]       in_word;    // first word within the connection's buffer
  logic [ConnW-1:0]       in_conn;
  logic [8*HdrBytes-1:0]  in_hdr;     // header bytes, TCP checksum 0
  logic [20:0]            in_hsum;    // pseudo header + TCP header, unfolded (20 words)
  logic [15:0]            in_ip_total;
  logic [15:0]            in_tcp_len;

  assign accept = req_valid_i && ready_o;
  assign in_lane = (LaneLog > 0) ? req_payload_off_i[LaneBits-1:0] : '0;
  assign in_len = (req_payload_len_i > 32'd1536) ? 11'd1536 : req_payload_len_i[10:0];
  assign in_end = {{(12 - LaneBits){1'b0}}, in_lane} + {1'b0, in_len};
  assign in_words = (in_len == 11'd0) ? 12'd0 : 12'((in_end + 12'(DataBytes - 1)) >> LaneLog);
  assign in_optlen = (req_opt_mss_i ? 5'd4 : 5'd0) + (req_opt_ws_i ? 5'd4 : 5'd0);
  assign in_hlen = 7'd54 + {2'b0, in_optlen};
  assign in_flen = ({5'b0, in_hlen} + {1'b0, in_len} < 12'd60) ? 12'd60 :
                   {5'b0, in_hlen} + {1'b0, in_len};
  assign in_shift = $signed({{(9 - LaneBits){1'b0}}, in_lane}) - $signed({2'b0, in_hlen});
  assign in_r = (LaneLog > 0) ? in_shift[LaneBits-1:0] : '0;
  assign in_c2 = (in_shift >>> LaneLog) + 9'sd2;
  assign in_word = (WordBits > 0) ? req_payload_off_i[LaneLog +: WordW] : '0;
  assign in_conn = (ConnLog > 0) ? req_conn_i[ConnW-1:0] : '0;
  assign in_ip_total = 16'd40 + {11'b0, in_optlen} + {5'b0, in_len};
  assign in_tcp_len = 16'd20 + {11'b0, in_optlen} + {5'b0, in_len};

  // Big-endian 16-bit word of the header at byte `at`.
  function automatic logic [15:0] hdr_w16(input logic [8*HdrBytes-1:0] h, input int unsigned at);
    hdr_w16 = {h[8*at +: 8], h[8*(at+1) +: 8]};
  endfunction

  // 32-bit one's-complement sum folded to 16 bits (end-around carry).
  function automatic logic [15:0] fold16(input logic [31:0] s);
    logic [16:0] t;
    t = {1'b0, s[15:0]} + {1'b0, s[31:16]};
    fold16 = t[15:0] + {15'b0, t[16]};
  endfunction

  always_comb begin
    logic [19:0] ip_sum;
    logic [15:0] ip_csum;
    in_hdr = '0;
    for (int i = 0; i < 6; i++) begin
      in_hdr[8*i +: 8] = req_dmac_i[8*(5-i) +: 8];
      in_hdr[8*(6+i) +: 8] = local_mac_i[8*(5-i) +: 8];
    end
    in_hdr[8*12 +: 8] = 8'h08;                       // EtherType IPv4
    in_hdr[8*14 +: 8] = 8'h45;                       // version 4, IHL 5
    in_hdr[8*16 +: 8] = in_ip_total[15:8];
    in_hdr[8*17 +: 8] = in_ip_total[7:0];
    in_hdr[8*20 +: 8] = 8'h40;                       // DF
    in_hdr[8*22 +: 8] = 8'd64;                       // TTL
    in_hdr[8*23 +: 8] = 8'd6;                        // TCP
    for (int i = 0; i < 4; i++) begin
      in_hdr[8*(26+i) +: 8] = local_ip_i[8*(3-i) +: 8];
      in_hdr[8*(30+i) +: 8] = req_dip_i[8*(3-i) +: 8];
      in_hdr[8*(38+i) +: 8] = req_seq_i[8*(3-i) +: 8];
      in_hdr[8*(42+i) +: 8] = req_ack_i[8*(3-i) +: 8];
    end
    in_hdr[8*34 +: 8] = req_sport_i[15:8];
    in_hdr[8*35 +: 8] = req_sport_i[7:0];
    in_hdr[8*36 +: 8] = req_dport_i[15:8];
    in_hdr[8*37 +: 8] = req_dport_i[7:0];
    in_hdr[8*46 +: 8] = {1'b0, in_optlen[4:2] + 3'd5, 4'b0};  // data offset in words
    in_hdr[8*47 +: 8] = req_flags_i;
    in_hdr[8*48 +: 8] = req_window_i[15:8];
    in_hdr[8*49 +: 8] = req_window_i[7:0];
    if (req_opt_mss_i) begin
      in_hdr[8*54 +: 32] = {req_mss_i[7:0], req_mss_i[15:8], 8'd4, 8'd2};
      if (req_opt_ws_i) in_hdr[8*58 +: 32] = {req_wscale_i, 8'd3, 8'd3, 8'd1};
    end else if (req_opt_ws_i) begin
      in_hdr[8*54 +: 32] = {req_wscale_i, 8'd3, 8'd3, 8'd1};
    end
    // IPv4 header checksum (header only: complete here).
    ip_sum = 20'd0;
    for (int i = 0; i < 10; i++) ip_sum = ip_sum + {4'd0, hdr_w16(in_hdr, 14 + 2*i)};
    ip_csum = ~fold16({12'd0, ip_sum});
    in_hdr[8*24 +: 8] = ip_csum[15:8];
    in_hdr[8*25 +: 8] = ip_csum[7:0];
    // TCP: pseudo header and header (option bytes past H are zero); the payload sum is added
    // and the checksum inserted by toe_tx_csum.
    in_hsum = {5'd0, local_ip_i[31:16]} + {5'd0, local_ip_i[15:0]} +
              {5'd0, req_dip_i[31:16]} + {5'd0, req_dip_i[15:0]} + 21'd6 + {5'd0, in_tcp_len};
    for (int i = 0; i < 14; i++) in_hsum = in_hsum + {5'd0, hdr_w16(in_hdr, 34 + 2*i)};
  end

  // ---- built stage ---------------------------------------------------------------------------
  logic                   b_valid_q, b_valid_d;   // a frame is built or being built (model: built_q_)
  logic [11:0]            b_wait_q, b_wait_d;     // cycles until its payload is complete
  logic [8*HdrBytes-1:0]  b_hdr_q;
  logic [20:0]            b_hsum_q;
  logic [10:0]            b_len_q;
  logic [6:0]             b_hlen_q;
  logic [11:0]            b_flen_q;
  logic [LaneBits-1:0]    b_r_q;
  logic signed [8:0]      b_c2_q;
  logic                   b_swap_q;               // payload starts at an odd buffer offset
  logic                   b_slot_q;               // frame slot it fills
  logic [ConnW-1:0]       b_conn_q;
  logic [LaneBits-1:0]    b_lane_q;
  logic [11:0]            b_end_q;
  logic                   move;                   // toe_tx_csum takes the built frame

  assign ready_o = !b_valid_q;

  always_comb begin
    b_valid_d = b_valid_q && !move;
    b_wait_d = (b_wait_q != 12'd0) ? b_wait_q - 12'd1 : 12'd0;
    if (accept) begin
      b_valid_d = 1'b1;
      b_wait_d = in_words;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      b_valid_q <= 1'b0;
      b_wait_q <= 12'd0;
      b_slot_q <= 1'b1;
    end else begin
      b_valid_q <= b_valid_d;
      b_wait_q <= b_wait_d;
      if (accept) b_slot_q <= !b_slot_q;
    end
  end

  // Request fields: only meaningful while b_valid_q, so not reset.
  always_ff @(posedge clk_i) begin
    if (accept) begin
      b_hdr_q <= in_hdr;
      b_hsum_q <= in_hsum;
      b_len_q <= in_len;
      b_hlen_q <= in_hlen;
      b_flen_q <= in_flen;
      b_r_q <= in_r;
      b_c2_q <= in_c2;
      b_swap_q <= req_payload_off_i[0] && (DataBytes > 1);
      b_conn_q <= in_conn;
      b_lane_q <= in_lane;
      b_end_q <= in_end;
    end
  end

  // ---- payload fetch: one word per cycle from the first word of the request -----------------
  logic                   rd_en;
  logic [WordW-1:0]       rd_word;
  logic [ConnW-1:0]       rd_conn;
  logic [63:0]            rd_addr_wide;
  logic                   unused_rd_addr;
  logic [WordW-1:0]       f_word_q;               // next word to read
  logic                   f_vld_q;                // txbuf_rd_data_i holds a payload word
  logic [11:0]            f_idx_q;                // its index in the payload's words
  logic [25:0]            acc_q, acc_d;           // payload sum (unfolded: < 768 * 0xffff)
  logic [8*DataBytes-1:0] h0_q, h1_q;             // payload words 0 and 1 (first beat at 512 bits)
  logic [DataBytes-1:0]   f_mask;                 // payload lanes of the arriving word
  logic [11:0]            f_rel_end;

  assign rd_en = (accept && in_words != 12'd0) || (b_valid_q && b_wait_q >= 12'd2);
  assign rd_word = accept ? in_word : f_word_q;
  assign rd_conn = accept ? in_conn : b_conn_q;
  assign rd_addr_wide = ({32'd0, {(32 - ConnW){1'b0}}, rd_conn} << WordBits) |
                        ((WordBits > 0) ? {{(64 - WordW){1'b0}}, rd_word} : 64'd0);
  assign txbuf_rd_en_o = rd_en;
  assign txbuf_rd_addr_o = rd_addr_wide[TxAddrBits-1:0];
  assign unused_rd_addr = ^rd_addr_wide[63:TxAddrBits];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      f_vld_q <= 1'b0;
    end else begin
      f_vld_q <= rd_en;
    end
  end

  always_ff @(posedge clk_i) begin
    if (rd_en) f_word_q <= (WordBits > 0) ? rd_word + 1'b1 : '0;
    if (accept) f_idx_q <= 12'd0;
    else if (f_vld_q) f_idx_q <= f_idx_q + 12'd1;
    acc_q <= acc_d;
    if (f_vld_q && f_idx_q == 12'd0) h0_q <= txbuf_rd_data_i;
    if (f_vld_q && f_idx_q == 12'd1) h1_q <= txbuf_rd_data_i;
  end

  // Lanes of the arriving word inside the payload, and its sum: payload byte j is the high byte
  // of a 16-bit word when j is even. Lanes are summed as if the payload started at an even
  // offset; toe_tx_csum swaps the folded sum's bytes when it did not (b_swap_q).
  assign f_rel_end = b_end_q - (f_idx_q << LaneLog);
  always_comb begin
    logic [DataBytes-1:0] lo_mask, hi_mask;
    lo_mask = (f_idx_q == 12'd0) ? ({DataBytes{1'b1}} << b_lane_q) : {DataBytes{1'b1}};
    hi_mask = (f_rel_end >= 12'(DataBytes)) ? {DataBytes{1'b1}} :
              ~({DataBytes{1'b1}} << f_rel_end[6:0]);
    f_mask = lo_mask & hi_mask;
    acc_d = acc_q;
    if (accept) begin
      acc_d = 26'd0;
    end else if (f_vld_q) begin
      for (int l = 0; l < DataBytes; l++) begin
        if (f_mask[l]) begin
          if ((DataBytes == 1) ? !f_idx_q[0] : (l % 2 == 0)) begin
            acc_d = acc_d + {10'd0, txbuf_rd_data_i[8*l +: 8], 8'd0};
          end else begin
            acc_d = acc_d + {18'd0, txbuf_rd_data_i[8*l +: 8]};
          end
        end
      end
    end
  end

  // ---- frame slots ---------------------------------------------------------------------------
  logic [RamAddrBits-1:0]   ram_raddr;
  logic [8*DataBytes-1:0]   ram_rdata;

  toe_sdp_ram #(
    .Width(8 * DataBytes),
    .Depth(2 * SlotBytes / DataBytes),
    .AddrW(RamAddrBits)
  ) u_frame_ram (
    .clk_i,
    .wr_en_i   (f_vld_q),
    .wr_addr_i ({b_slot_q, f_idx_q[SlotBits-1:0]}),
    .wr_data_i (txbuf_rd_data_i),
    .rd_addr_i (ram_raddr),
    .rd_data_o (ram_rdata)
  );

  // ---- tx_csum: checksum and streaming -------------------------------------------------------
  toe_tx_csum #(
    .DataBytes(DataBytes)
  ) u_csum (
    .clk_i,
    .rst_ni,
    .b_ready_i          (b_valid_q && b_wait_q == 12'd0),
    .b_hdr_i            (b_hdr_q),
    .b_hsum_i           (b_hsum_q),
    .b_psum_i           (acc_q),
    .b_swap_i           (b_swap_q),
    .b_len_i            (b_len_q),
    .b_hlen_i           (b_hlen_q),
    .b_flen_i           (b_flen_q),
    .b_r_i              (b_r_q),
    .b_c2_i             (b_c2_q),
    .b_slot_i           (b_slot_q),
    .b_h0_i             (h0_q),
    .b_h1_i             (h1_q),
    .move_o             (move),
    .ram_raddr_o        (ram_raddr),
    .ram_rdata_i        (ram_rdata),
    .m_axis_tx_tdata_o,
    .m_axis_tx_tkeep_o,
    .m_axis_tx_tvalid_o,
    .m_axis_tx_tlast_o,
    .m_axis_tx_tready_i,
    .frame_done_o
  );

  // Request bits the frame does not use: connection numbers past Sessions, offset bits past
  // the buffer size (the model wraps them away too).
  logic unused_req;
  assign unused_req = ^{req_conn_i, req_payload_off_i};

endmodule
