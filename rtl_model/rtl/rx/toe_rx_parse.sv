// SPDX-License-Identifier: Apache-2.0
// toe_rx_parse: collects the beats of a received frame into a frame slot and,
// on the cycle after the tlast beat, presents the parsed headers as SegMeta.
// Twin of the C++ class toe::model::RxParse (rtl_model/model/rx/rx_parse.hpp
// and .cpp): same ports, same latency, same verdicts.
//
// Header formats (all big-endian; byte offsets from the start of the frame,
// the IPv4 header at 14, the TCP header at T = 14 + IHL*4):
//
//   Ethernet II
//   +-------+-------+-------+-------+-------+-------+
//   |  0 ..  5  destination MAC (must be local_mac) |
//   |  6 .. 11  source MAC            -> meta_smac  |
//   | 12 .. 13  ethertype  0x0800 IPv4, 0x0806 ARP  |
//   +-------+-------+-------+-------+-------+-------+
//
//   IPv4 (at 14)
//   +-----------+-----------+-----------------------+
//   | ver | IHL |  DSCP/ECN |     total length      |   14
//   +-----------+-----------+-----------------------+
//   |     identification    | flags |  frag offset  |   18   MF or offset != 0: fragment
//   +-----------+-----------+-----------------------+
//   |    TTL    | protocol  |    header checksum    |   22   protocol 6: TCP
//   +-----------+-----------+-----------------------+
//   |                 source address                |   26   -> meta_sip
//   +-----------------------------------------------+
//   |               destination address             |   30   -> meta_dip (must be local_ip)
//   +-----------------------------------------------+
//   |          options (IHL*4 - 20 bytes)           |   34
//   +-----------------------------------------------+
//
//   TCP (at T)
//   +-----------------------+-----------------------+
//   |      source port      |   destination port    |   T
//   +-----------------------+-----------------------+
//   |                sequence number                |   T+4
//   +-----------------------------------------------+
//   |             acknowledgment number             |   T+8
//   +-----+-----+-----------+-----------------------+
//   | off | rsvd|   flags   |        window         |   T+12
//   +-----+-----+-----------+-----------------------+
//   |       checksum        |    urgent pointer     |   T+16
//   +-----------------------+-----------------------+
//   |     options (off*4 - 20 bytes, at most 40)    |   T+20
//   +-----------------------------------------------+
//   |                    payload                    |   T+off*4
//   +-----------------------------------------------+
//
// Verdicts, in this order (those of toe::net::parse_frame with checksums not
// verified; rx_csum checks them one cycle later):
//   tuser on the tlast beat                  -> drop, CntDropMacError
//   more than FrameBytes bytes               -> drop, CntDropMalformed
//   tkeep not as below (RTL only)            -> drop, CntDropMalformed
//   shorter than 14 bytes                    -> drop, CntDropMalformed
//   ethertype ARP                            -> drop, CntArpIn (the firmware's)
//   ethertype not IPv4                       -> drop, CntDropNotForUs
//   IPv4 truncated, version != 4, IHL < 5,
//     total length < IHL*4 or past the frame -> drop, CntDropMalformed
//   fragment                                 -> drop, CntDropFragment
//   protocol not TCP                         -> drop, CntDropNotForUs
//   TCP truncated, data offset < 5 or past
//     the segment, bad options (below)       -> drop, CntDropMalformed
//   destination MAC or IP not ours           -> drop, CntDropNotForUs
//   otherwise meta_is_tcp_o = 1, meta_reason_o = CntNone, every field set.
// A dropped frame's fields are all zero except drop, reason and slot.
//
// TCP options (toe::net::parse_tcp_options): EOL ends the list, NOP is one
// byte, every other option has a length byte: length 0/1 -> bad length; an
// option (or its length byte) running past the header -> overrun; MSS must
// have length 4, WS 3, SACK-permitted 2, timestamps 10, SACK 10/18/26/34;
// unknown kinds are skipped by their length. The last MSS/WS/TS wins. SACK
// blocks are checked but not output (tcp_fsm does not use them).
//
// Stream: byte i of a beat is s_axis_rx_tdata_i[8i+7:8i]. tkeep must be all
// ones on a beat without tlast (or all zeros: a null beat, ignored) and
// contiguous from lane 0 on the tlast beat (all zeros allowed there too), the
// usual convention of Ethernet MACs. This keeps every beat aligned to a slot
// word. (The C++ model packs any tkeep pattern; a frame breaking this rule is
// dropped here as malformed, see README.md.)
//
// Latency: meta_valid_o is 1 for one cycle, the cycle after the tlast beat
// was transferred; the other meta outputs hold until the next frame ends.
//
// How the headers are kept: frame bytes 0..33 (Ethernet, fixed IPv4 header)
// in registers; the TCP header in registers of its own, aligned to its start
// (each beat's bytes land where the frame's IHL puts them), so no IHL-indexed
// selection is needed at the end. The options:
//   DataBytes = 1   walked byte by byte as they arrive (a small state machine;
//                   the tlast cycle only adds the last byte);
//   DataBytes > 1   walked in the tlast cycle over the 40 option bytes: a chain
//                   of up to 40 one-hot steps from the tlast beat's bytes to
//                   the meta registers. This is the longest path of the
//                   receive side, and most of the area at DataBytes >= 8
//                   (about 800 small comparators); a walk per beat, over the
//                   lanes of each beat, would bound the chain to DataBytes steps.
//
// Frame slots: the beats are written to slot meta_slot (round robin over
// RxSlots, one per frame, dropped or not) at word = beat number. The read
// port (tcb_update's payload copy) is word wide: slot_rd_addr_i = {slot, word
// within the slot}, slot_rd_data_o one cycle after slot_rd_en_i, byte i of
// the word at frame byte word*DataBytes + i.
module toe_rx_parse #(
  // Datapath width in bytes: 1 (8-bit) .. 64 (512-bit), a power of two.
  parameter int unsigned DataBytes = 8,
  // Frame slots (C++ EngineConfig::rx_slots): 4 .. 16, RxSlots x 1,536 bytes of RAM.
  parameter int unsigned RxSlots   = 16
) (
  input  logic clk_i,
  input  logic rst_ni,

  // Local addresses (configuration registers). MAC byte 0 (first on the
  // wire) in [47:40]; IPv4 address in host order (10.0.0.2 = 32'h0A000002).
  input  logic [47:0] local_mac_i,
  input  logic [31:0] local_ip_i,

  // Received frames. s_axis_rx_tready_i is the engine's own tready (computed
  // at the top level): a beat is taken when tvalid && tready.
  input  logic [DataBytes*8-1:0] s_axis_rx_tdata_i,
  input  logic [DataBytes-1:0]   s_axis_rx_tkeep_i,
  input  logic                   s_axis_rx_tvalid_i,
  input  logic                   s_axis_rx_tready_i,
  input  logic                   s_axis_rx_tlast_i,
  input  logic                   s_axis_rx_tuser_i,

  // SegMeta (C++ field names).
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
  output logic [3:0]  meta_slot_o,

  // Frame slot read port: {slot[3:0], word within the slot}.
  input  logic                                  slot_rd_en_i,
  input  logic [4+$clog2(1536/DataBytes)-1:0]   slot_rd_addr_i,
  output logic [DataBytes*8-1:0]                slot_rd_data_o
);

  localparam int unsigned FrameBytes  = toe_rx_pkg::FrameBytes;
  localparam int unsigned HdrBytes    = toe_rx_pkg::HdrBytes;
  localparam int unsigned EthHdrBytes = toe_rx_pkg::EthHdrBytes;

  if (DataBytes < 1 || DataBytes > 64 || (DataBytes & (DataBytes - 1)) != 0) begin : gen_bad_width
    $error("toe_rx_parse: DataBytes must be 1, 2, 4, 8, 16, 32 or 64");
  end
  if (RxSlots < toe_defs_pkg::RxSlotsMin || RxSlots > toe_defs_pkg::RxSlotsMax) begin : gen_bad_slots
    $error("toe_rx_parse: RxSlots must be 4 .. 16");
  end

  // Words (beats) of one slot, and the beat counter that saturates one past
  // the last word (any byte arriving there makes the frame oversize).
  localparam int unsigned WordsPerSlot = FrameBytes / DataBytes;
  localparam int unsigned WordW        = $clog2(WordsPerSlot);
  localparam int unsigned BeatW        = $clog2(WordsPerSlot + 1);
  localparam int unsigned RamWords     = RxSlots * WordsPerSlot;
  localparam int unsigned RamAddrW     = $clog2(RamWords);
  localparam int unsigned CntW         = $clog2(DataBytes + 1);
  localparam logic [DataBytes-1:0] KeepOne = 1;

  // ---------------------------------------------------------------------------
  // Beat bookkeeping
  // ---------------------------------------------------------------------------
  logic                 fire, frame_end;
  logic [BeatW-1:0]     beat_q, beat_d;         // full beats of the frame so far
  logic                 oversize_q, oversize_d;
  logic                 keep_err_q, keep_err_d;
  logic [3:0]           slot_q, slot_d;
  logic [CntW-1:0]      keep_cnt, beat_bytes;
  logic                 keep_full, keep_none, keep_low, keep_bad;
  logic                 at_limit, overflow;
  logic [11:0]          frame_len;

  assign fire      = s_axis_rx_tvalid_i & s_axis_rx_tready_i;
  assign frame_end = fire & s_axis_rx_tlast_i;

  always_comb begin
    keep_cnt = '0;
    for (int i = 0; i < DataBytes; i++) keep_cnt = keep_cnt + CntW'(s_axis_rx_tkeep_i[i]);
  end
  assign keep_full  = &s_axis_rx_tkeep_i;
  assign keep_none  = ~|s_axis_rx_tkeep_i;
  assign keep_low   = ((s_axis_rx_tkeep_i + KeepOne) & s_axis_rx_tkeep_i) == '0;
  assign keep_bad   = s_axis_rx_tlast_i ? ~keep_low : ~(keep_full | keep_none);
  assign beat_bytes = s_axis_rx_tlast_i ? keep_cnt : (keep_full ? CntW'(DataBytes) : '0);
  assign at_limit   = beat_q == BeatW'(WordsPerSlot);
  assign overflow   = at_limit & (beat_bytes != '0);
  assign frame_len  = 12'(beat_q) * 12'(DataBytes) + 12'(beat_bytes);

  always_comb begin
    beat_d     = beat_q;
    oversize_d = oversize_q;
    keep_err_d = keep_err_q;
    slot_d     = slot_q;
    if (frame_end) begin
      beat_d     = '0;
      oversize_d = 1'b0;
      keep_err_d = 1'b0;
      slot_d     = (slot_q == 4'(RxSlots - 1)) ? 4'd0 : slot_q + 4'd1;
    end else if (fire) begin
      if (keep_full && !at_limit) beat_d = beat_q + BeatW'(1);
      oversize_d = oversize_q | overflow;
      keep_err_d = keep_err_q | keep_bad;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      beat_q     <= '0;
      oversize_q <= 1'b0;
      keep_err_q <= 1'b0;
      slot_q     <= '0;
    end else begin
      beat_q     <= beat_d;
      oversize_q <= oversize_d;
      keep_err_q <= keep_err_d;
      slot_q     <= slot_d;
    end
  end

  // ---------------------------------------------------------------------------
  // Frame slot memory
  // ---------------------------------------------------------------------------
  logic [RamAddrW-1:0] ram_wr_addr, ram_rd_addr;

  assign ram_wr_addr = RamAddrW'(slot_q) * RamAddrW'(WordsPerSlot) + RamAddrW'(beat_q);
  assign ram_rd_addr = RamAddrW'(slot_rd_addr_i[WordW +: 4]) * RamAddrW'(WordsPerSlot) +
                       RamAddrW'(slot_rd_addr_i[WordW-1:0]);

  toe_rx_slot_ram #(
    .DataBytes(DataBytes),
    .Words    (RamWords),
    .AddrW    (RamAddrW)
  ) u_slot_ram (
    .clk_i    (clk_i),
    .wr_en_i  (fire & ~at_limit),
    .wr_be_i  (s_axis_rx_tkeep_i),
    .wr_addr_i(ram_wr_addr),
    .wr_data_i(s_axis_rx_tdata_i),
    .rd_en_i  (slot_rd_en_i),
    .rd_addr_i(ram_rd_addr),
    .rd_data_o(slot_rd_data_o)
  );

  // ---------------------------------------------------------------------------
  // Header bytes, as of the end of this beat (this beat's bytes merged in):
  //   hdr_cur  frame bytes 0 .. 33 (Ethernet and the fixed IPv4 header)
  //   tcp_cur  the TCP header from its own start T = 14 + IHL*4, aligned
  //            (bytes T .. T+59 when DataBytes > 1: header and options;
  //            T .. T+15 when DataBytes = 1, whose options are walked per byte)
  // A byte of the beat lands in tcp_cur at the place the frame's IHL gives it;
  // the IHL byte (14) always arrives with or before the first TCP byte (34).
  // ---------------------------------------------------------------------------
  localparam int unsigned TcpBytes = (DataBytes == 1) ? 16 : 60;

  logic [HdrBytes*8-1:0] hdr_q, hdr_cur;
  logic [TcpBytes*8-1:0] tcp_q, tcp_cur;
  logic [3:0]            ip_ihl;

  assign ip_ihl = hdr_cur[8*14 +: 4];
  logic [31:0]           tcp_at;  // DataBytes 1: this beat's place in the TCP header (T = 14 + 4*IHL)
  assign tcp_at = 32'(beat_q) - 32'd14 - {26'd0, ip_ihl, 2'b00};

  always_comb begin
    for (int p = 0; p < HdrBytes; p++) begin
      if (fire && beat_q == BeatW'(p / DataBytes))
        hdr_cur[8*p +: 8] = s_axis_rx_tdata_i[8*(p % DataBytes) +: 8];
      else
        hdr_cur[8*p +: 8] = hdr_q[8*p +: 8];
    end
    tcp_cur = tcp_q;
    if (DataBytes == 1) begin
      // one byte a beat, frame byte beat_q: TCP header byte beat_q - T (one subtraction, not a
      // compare per IHL and byte); below T the difference wraps past every k
      for (int k = 0; k < TcpBytes; k++) begin
        if (fire && ip_ihl >= 4'd5 && tcp_at == 32'(k))
          tcp_cur[8*k +: 8] = s_axis_rx_tdata_i[7:0];
      end
    end else begin
      for (int k = 0; k < TcpBytes; k++) begin
        for (int m = 5; m <= 15; m++) begin
          if (fire && ip_ihl == 4'(m) && beat_q == BeatW'((14 + 4*m + k) / DataBytes))
            tcp_cur[8*k +: 8] = s_axis_rx_tdata_i[8*((14 + 4*m + k) % DataBytes) +: 8];
        end
      end
    end
  end

  always_ff @(posedge clk_i) begin
    hdr_q <= hdr_cur;
    tcp_q <= tcp_cur;
  end

  // ---------------------------------------------------------------------------
  // Parse (combinational, used in the tlast cycle)
  // ---------------------------------------------------------------------------
  logic [15:0] ethertype, ip_total, tcp_len;
  logic [13:0] ip_frag;    // MF and fragment offset
  logic [3:0]  ip_ver, tcp_doff;
  logic [5:0]  ip_hlen, tcp_hlen;
  logic [11:0] ip_avail;   // bytes after the Ethernet header
  logic [47:0] eth_dst, eth_src;
  logic [31:0] ip_src, ip_dst;
  logic [7:0]  ip_proto;

  assign eth_dst   = hdr_cur[0 +: 48];
  assign eth_src   = hdr_cur[48 +: 48];
  assign ethertype = {hdr_cur[8*12 +: 8], hdr_cur[8*13 +: 8]};
  assign ip_ver    = hdr_cur[8*14 + 4 +: 4];
  assign ip_hlen   = {ip_ihl, 2'b00};
  assign ip_total  = {hdr_cur[8*16 +: 8], hdr_cur[8*17 +: 8]};
  assign ip_frag   = {hdr_cur[8*20 +: 6], hdr_cur[8*21 +: 8]};
  assign ip_proto  = hdr_cur[8*23 +: 8];
  assign ip_avail  = frame_len - 12'(EthHdrBytes);
  assign tcp_len   = ip_total - 16'(ip_hlen);
  assign tcp_doff  = tcp_cur[8*12 + 4 +: 4];
  assign tcp_hlen  = {tcp_doff, 2'b00};

  // MAC/IP byte order: byte 0 of the field in the most significant bits.
  function automatic logic [47:0] be48(input logic [47:0] b);
    be48 = {b[7:0], b[15:8], b[23:16], b[31:24], b[39:32], b[47:40]};
  endfunction
  function automatic logic [31:0] be32(input logic [31:0] b);
    be32 = {b[7:0], b[15:8], b[23:16], b[31:24]};
  endfunction
  function automatic logic [15:0] be16(input logic [15:0] b);
    be16 = {b[7:0], b[15:8]};
  endfunction

  assign ip_src = be32(hdr_cur[8*26 +: 32]);
  assign ip_dst = be32(hdr_cur[8*30 +: 32]);

  // Checksum, urgent pointer and the reserved bits are not part of SegMeta.
  logic unused_tcp_fields;

  // ---- TCP options -----------------------------------------------------------
  // The result of the codec's walk over the options, as of the end of this beat.
  logic        opt_err, opt_has_mss, opt_has_ws, opt_sackok, opt_has_ts;
  logic [15:0] opt_mss;
  logic [7:0]  opt_ws;
  logic [63:0] opt_ts;

  if (DataBytes == 1) begin : gen_opt_walk_bytes
    // 8-bit datapath: the walk follows the bytes as they arrive, one per beat.
    // State: where the next option starts (0: not reached yet, i.e. at the
    // start of the options), an option whose length byte comes next, the
    // option whose value bytes are being captured, EOL seen, an error.
    localparam logic [1:0] CapNone = 2'd0, CapMss = 2'd1, CapWs = 2'd2, CapTs = 2'd3;
    logic [10:0] next_q, next_d, pend_pos_q, pend_pos_d, cap_pos_q, cap_pos_d;
    logic [7:0]  pend_kind_q, pend_kind_d;
    logic [1:0]  cap_q, cap_d;
    logic        pend_q, pend_d, stop_q, stop_d, err_q, err_d;
    logic        has_mss_q, has_mss_d, has_ws_q, has_ws_d, sackok_q, sackok_d, has_ts_q, has_ts_d;
    logic [15:0] mss_q, mss_d;
    logic [7:0]  ws_q, ws_d;
    logic [63:0] ts_q, ts_d;
    logic [10:0] pos, opt_begin, opt_end, start, cap_rel;
    logic [7:0]  b;
    logic        in_opts;

    assign pos       = 11'(beat_q);
    assign b         = s_axis_rx_tdata_i[7:0];
    assign opt_begin = 11'(EthHdrBytes) + 11'(ip_hlen) + 11'd20;
    assign opt_end   = 11'(EthHdrBytes) + 11'(ip_hlen) + 11'(tcp_hlen);
    assign in_opts   = fire && s_axis_rx_tkeep_i[0] && !at_limit && pos >= opt_begin && pos < opt_end;
    assign start     = (next_q == '0) ? opt_begin : next_q;
    assign cap_rel   = pos - cap_pos_q;

    always_comb begin
      next_d = next_q;  pend_d = pend_q;  pend_kind_d = pend_kind_q;  pend_pos_d = pend_pos_q;
      cap_d = cap_q;  cap_pos_d = cap_pos_q;  stop_d = stop_q;  err_d = err_q;
      has_mss_d = has_mss_q;  has_ws_d = has_ws_q;  sackok_d = sackok_q;  has_ts_d = has_ts_q;
      mss_d = mss_q;  ws_d = ws_q;  ts_d = ts_q;
      if (in_opts && !stop_q && !err_q) begin
        if (pend_q) begin
          // b is the length of the option that started at pend_pos.
          if (b < 8'd2 || 12'(pend_pos_q) + 12'(b) > 12'(opt_end) ||
              (pend_kind_q == 8'd2 && b != 8'd4) || (pend_kind_q == 8'd3 && b != 8'd3) ||
              (pend_kind_q == 8'd4 && b != 8'd2) || (pend_kind_q == 8'd8 && b != 8'd10) ||
              (pend_kind_q == 8'd5 && (b < 8'd10 || b[2:0] != 3'd2)))
            err_d = 1'b1;
          next_d    = pend_pos_q + 11'(b);
          pend_d    = 1'b0;
          cap_pos_d = pend_pos_q;
          cap_d     = (pend_kind_q == 8'd2) ? CapMss :
                      (pend_kind_q == 8'd3) ? CapWs  :
                      (pend_kind_q == 8'd8) ? CapTs  : CapNone;
        end else if (pos == start) begin
          // b is the kind of an option.
          if (b == 8'd0) begin
            stop_d = 1'b1;
          end else if (b == 8'd1) begin
            next_d = pos + 11'd1;
          end else if (pos + 11'd1 >= opt_end) begin
            err_d = 1'b1;
          end else begin
            pend_d      = 1'b1;
            pend_kind_d = b;
            pend_pos_d  = pos;
          end
          if (b == 8'd2) has_mss_d = 1'b1;
          if (b == 8'd3) has_ws_d  = 1'b1;
          if (b == 8'd4) sackok_d  = 1'b1;
          if (b == 8'd8) has_ts_d  = 1'b1;
        end
        // Value bytes of the option being captured (the last of a kind wins).
        if (cap_q == CapMss && cap_rel == 11'd2) mss_d[15:8] = b;
        if (cap_q == CapMss && cap_rel == 11'd3) mss_d[7:0]  = b;
        if (cap_q == CapWs  && cap_rel == 11'd2) ws_d        = b;
        if (cap_q == CapTs  && cap_rel >= 11'd2 && cap_rel <= 11'd9) ts_d = {ts_q[55:0], b};
      end
    end

    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        next_q <= '0;  pend_q <= 1'b0;  cap_q <= CapNone;  stop_q <= 1'b0;  err_q <= 1'b0;
        has_mss_q <= 1'b0;  has_ws_q <= 1'b0;  sackok_q <= 1'b0;  has_ts_q <= 1'b0;
      end else if (frame_end) begin
        next_q <= '0;  pend_q <= 1'b0;  cap_q <= CapNone;  stop_q <= 1'b0;  err_q <= 1'b0;
        has_mss_q <= 1'b0;  has_ws_q <= 1'b0;  sackok_q <= 1'b0;  has_ts_q <= 1'b0;
      end else begin
        next_q <= next_d;  pend_q <= pend_d;  cap_q <= cap_d;  stop_q <= stop_d;  err_q <= err_d;
        has_mss_q <= has_mss_d;  has_ws_q <= has_ws_d;  sackok_q <= sackok_d;  has_ts_q <= has_ts_d;
      end
    end

    always_ff @(posedge clk_i) begin
      pend_kind_q <= pend_kind_d;
      pend_pos_q  <= pend_pos_d;
      cap_pos_q   <= cap_pos_d;
      // An option absent from a frame reads as zero (the model's fresh TcpOptions).
      mss_q       <= frame_end ? '0 : mss_d;
      ws_q        <= frame_end ? '0 : ws_d;
      ts_q        <= frame_end ? '0 : ts_d;
    end

    assign opt_err     = err_d;
    assign opt_has_mss = has_mss_d;
    assign opt_has_ws  = has_ws_d;
    assign opt_sackok  = sackok_d;
    assign opt_has_ts  = has_ts_d;
    assign opt_mss     = mss_d;
    assign opt_ws      = ws_d;
    assign opt_ts      = ts_d;
    assign unused_tcp_fields = ^tcp_cur[8*12 +: 4];

  end else begin : gen_opt_walk_frame
    // Wider datapaths: the walk over up to 40 option bytes, in the tlast cycle.
    // start[j]: an option starts at option byte j (the codec's loop visits j).
    // Each start points at the next one (NOP: j+1, others: j+length), so the
    // starts are found left to right as one-hot reachability.
    localparam int unsigned OptBytes = 40;
    logic [(OptBytes+1)*8-1:0] opt;  // option bytes, and a zero byte past the end
    logic [OptBytes-1:0] start, eol, nop, bad, mss_hit, ws_hit, ts_hit, sackok_hit;
    logic [OptBytes-1:0] mss_sel, ws_sel, ts_sel;
    logic [5:0]          opt_len;
    logic                reach;
    logic [7:0]          okind, olen;

    assign opt     = {8'h00, tcp_cur[8*20 +: OptBytes*8]};
    assign opt_len = tcp_hlen - 6'd20;

    always_comb begin
      for (int i = 0; i < OptBytes; i++) begin
        okind  = opt[8*i +: 8];
        olen   = opt[8*(i+1) +: 8];
        eol[i] = okind == 8'd0;
        nop[i] = okind == 8'd1;
        // Checks of an option with a length byte (meaningful where one starts).
        bad[i] = !eol[i] && !nop[i] &&
                 ((7'(i + 1) >= 7'(opt_len)) ||          // no room for the length byte
                  (olen < 8'd2) ||                       // length 0/1
                  (9'(i) + 9'(olen) > 9'(opt_len)) ||    // runs past the header
                  (okind == 8'd2 && olen != 8'd4) ||     // MSS
                  (okind == 8'd3 && olen != 8'd3) ||     // window scale
                  (okind == 8'd4 && olen != 8'd2) ||     // SACK permitted
                  (okind == 8'd8 && olen != 8'd10) ||    // timestamps
                  (okind == 8'd5 && (olen < 8'd10 || olen[2:0] != 3'd2)));  // SACK
        mss_hit[i]    = okind == 8'd2;
        ws_hit[i]     = okind == 8'd3;
        sackok_hit[i] = okind == 8'd4;
        ts_hit[i]     = okind == 8'd8;
      end
    end

    always_comb begin
      start    = '0;
      start[0] = opt_len != 6'd0;
      for (int j = 1; j < OptBytes; j++) begin
        reach = 1'b0;
        for (int i = 0; i < j; i++) begin
          if (start[i] && ((nop[i] && j == i + 1) ||
                           (!eol[i] && !nop[i] && opt[8*(i+1) +: 8] == 8'(j - i))))
            reach = 1'b1;
        end
        start[j] = reach && (6'(j) < opt_len);
      end
    end

    // Fields of the last MSS / WS / TS option (an error anywhere drops the
    // frame, so options past an error need no masking).
    always_comb begin
      mss_sel = '0;
      ws_sel  = '0;
      ts_sel  = '0;
      opt_mss = '0;
      opt_ws  = '0;
      opt_ts  = '0;
      for (int i = 0; i < OptBytes; i++) begin
        mss_sel[i] = start[i] && mss_hit[i] && ((start & mss_hit) >> (i + 1)) == '0;
        ws_sel[i]  = start[i] && ws_hit[i]  && ((start & ws_hit)  >> (i + 1)) == '0;
        ts_sel[i]  = start[i] && ts_hit[i]  && ((start & ts_hit)  >> (i + 1)) == '0;
      end
      for (int i = 0; i <= OptBytes - 4; i++) begin
        if (mss_sel[i]) opt_mss = opt_mss | be16(opt[8*(i+2) +: 16]);
      end
      for (int i = 0; i <= OptBytes - 3; i++) begin
        if (ws_sel[i]) opt_ws = opt_ws | opt[8*(i+2) +: 8];
      end
      for (int i = 0; i <= OptBytes - 10; i++) begin
        if (ts_sel[i]) opt_ts = opt_ts | {be32(opt[8*(i+2) +: 32]), be32(opt[8*(i+6) +: 32])};
      end
    end

    assign opt_err     = |(start & bad);
    assign opt_has_mss = |(start & mss_hit);
    assign opt_has_ws  = |(start & ws_hit);
    assign opt_sackok  = |(start & sackok_hit);
    assign opt_has_ts  = |(start & ts_hit);
    assign unused_tcp_fields = ^{tcp_cur[8*16 +: 32], tcp_cur[8*12 +: 4]};
  end

  // ---- verdict -----------------------------------------------------------------
  logic       eth_short, ip_err, tcp_err, is_frag, for_us;
  logic       drop_d;
  logic [4:0] reason_d;

  assign eth_short = frame_len < 12'(EthHdrBytes);
  assign ip_err    = (ip_avail < 12'd20) || (ip_ver != 4'd4) || (ip_ihl < 4'd5) ||
                     (ip_avail < 12'(ip_hlen)) || (ip_total < 16'(ip_hlen)) ||
                     (ip_total > 16'(ip_avail));
  assign is_frag   = ip_frag != 14'd0;
  assign tcp_err   = (tcp_len < 16'd20) || (tcp_doff < 4'd5) || (16'(tcp_hlen) > tcp_len) || opt_err;
  assign for_us    = (eth_dst == be48(local_mac_i)) && (ip_dst == local_ip_i);

  always_comb begin
    drop_d   = 1'b1;
    reason_d = toe_defs_pkg::CntDropMalformed;
    if (s_axis_rx_tuser_i) begin
      reason_d = toe_defs_pkg::CntDropMacError;
    end else if (oversize_q || overflow || keep_err_q || keep_bad || eth_short) begin
      reason_d = toe_defs_pkg::CntDropMalformed;
    end else if (ethertype == toe_rx_pkg::EtherTypeArp) begin
      reason_d = toe_defs_pkg::CntArpIn;
    end else if (ethertype != toe_rx_pkg::EtherTypeIpv4) begin
      reason_d = toe_defs_pkg::CntDropNotForUs;
    end else if (ip_err) begin
      reason_d = toe_defs_pkg::CntDropMalformed;
    end else if (is_frag) begin
      reason_d = toe_defs_pkg::CntDropFragment;
    end else if (ip_proto != toe_rx_pkg::IpProtoTcp) begin
      reason_d = toe_defs_pkg::CntDropNotForUs;
    end else if (tcp_err) begin
      reason_d = toe_defs_pkg::CntDropMalformed;
    end else if (!for_us) begin
      reason_d = toe_defs_pkg::CntDropNotForUs;
    end else begin
      drop_d   = 1'b0;
      reason_d = toe_defs_pkg::CntNone;
    end
  end

  // ---------------------------------------------------------------------------
  // SegMeta registers
  // ---------------------------------------------------------------------------
  logic meta_valid_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) meta_valid_q <= 1'b0;
    else         meta_valid_q <= frame_end;
  end
  assign meta_valid_o = meta_valid_q;

  always_ff @(posedge clk_i) begin
    if (frame_end) begin
      // Fields of a dropped frame are zero (the model starts from SegMeta{}).
      meta_drop_o           <= drop_d;
      meta_reason_o         <= reason_d;
      meta_slot_o           <= slot_q;
      meta_is_tcp_o         <= !drop_d;
      meta_smac_o           <= drop_d ? '0 : be48(eth_src);
      meta_sip_o            <= drop_d ? '0 : ip_src;
      meta_dip_o            <= drop_d ? '0 : ip_dst;
      meta_sport_o          <= drop_d ? '0 : be16(tcp_cur[0 +: 16]);
      meta_dport_o          <= drop_d ? '0 : be16(tcp_cur[16 +: 16]);
      meta_seq_o            <= drop_d ? '0 : be32(tcp_cur[32 +: 32]);
      meta_ack_o            <= drop_d ? '0 : be32(tcp_cur[64 +: 32]);
      meta_flags_o          <= drop_d ? '0 : tcp_cur[8*13 +: 8];
      meta_window_o         <= drop_d ? '0 : be16(tcp_cur[8*14 +: 16]);
      meta_has_mss_o        <= !drop_d && opt_has_mss;
      meta_mss_o            <= drop_d ? '0 : opt_mss;
      meta_has_wscale_o     <= !drop_d && opt_has_ws;
      meta_wscale_o         <= drop_d ? '0 : opt_ws;
      meta_sack_permitted_o <= !drop_d && opt_sackok;
      meta_has_ts_o         <= !drop_d && opt_has_ts;
      meta_ts_val_o         <= drop_d ? '0 : opt_ts[63:32];
      meta_ts_ecr_o         <= drop_d ? '0 : opt_ts[31:0];
      meta_payload_off_o    <= drop_d ? '0 : 16'(EthHdrBytes) + 16'(ip_hlen) + 16'(tcp_hlen);
      meta_payload_len_o    <= drop_d ? '0 : tcp_len - 16'(tcp_hlen);
      meta_ip_off_o         <= drop_d ? '0 : 16'(EthHdrBytes);
      meta_ip_hlen_o        <= drop_d ? '0 : 16'(ip_hlen);
      meta_ip_total_o       <= drop_d ? '0 : ip_total;
    end
  end

endmodule
