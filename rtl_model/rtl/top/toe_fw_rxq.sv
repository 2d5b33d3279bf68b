// SPDX-License-Identifier: Apache-2.0
// toe_fw_rxq: the firmware port's receive queue. Twin of the C++ toe::model::FwRxq
// (rtl_model/model/top/fw_rxq.{hpp,cpp}), which describes it: every beat the engine takes is
// copied into slot (rd + count) mod Slots (when one was free as the frame started) and the frame
// classified from its bytes 0..5, 12..13 and 23; at its last beat a frame for the firmware is
// queued (its length with it) or counted as dropped. A window read returns the head frame's 4
// bytes at an offset, registered; pop frees the head slot.
//
// The slots are W byte-lane memories of Slots * SlotBytes / W bytes each, W = max(DataBytes, 4): a
// beat writes its bytes into the lanes of one word (beats start at a multiple of DataBytes), a read
// takes 4 lanes of one word.
module toe_fw_rxq #(
  parameter int unsigned DataBytes = 8,
  parameter int unsigned Slots     = 4,       // a power of two
  parameter int unsigned SlotBytes = 2048     // a power of two
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  input  logic                   beat_i,      // a beat the engine takes
  input  logic [8*DataBytes-1:0] tdata_i,
  input  logic [DataBytes-1:0]   tkeep_i,
  input  logic                   tlast_i,
  input  logic                   tuser_i,
  input  logic [47:0]            local_mac_i, // first byte on the wire in bits 47:40
  input  logic                   rd_i,        // a window read taken
  input  logic [$clog2(SlotBytes)-1:2] rd_off_i,  // the word's byte offset, bits 1:0 (0) left out
  input  logic                   pop_i,
  output logic [7:0]             count_o,
  output logic [11:0]            head_len_o,
  output logic [31:0]            rd_data_o,   // the read taken last clock
  output logic [31:0]            dropped_o
);
  localparam int unsigned W    = DataBytes > 4 ? DataBytes : 4;
  localparam int unsigned NW   = Slots * SlotBytes / W;
  localparam int unsigned WAW  = $clog2(NW);
  localparam int unsigned SW   = Slots > 1 ? $clog2(Slots) : 1;
  localparam int unsigned LW   = $clog2(W);

  logic [11:0]    len_q [Slots];
  logic [SW-1:0]  rd_q;
  logic           cap_active_q, cap_ok_q, dst_local_q, dst_bc_q;
  logic [11:0]    cap_len_q;
  logic [15:0]    etype_q;
  logic [7:0]     proto_q;

  assign head_len_o = count_o != 8'd0 ? len_q[rd_q] : 12'd0;

  // This beat's view of the frame.
  logic           start, ok, dst_local, dst_bc, push, for_fw;
  logic [SW-1:0]  slot;
  logic [12:0]    pos, p, len_next;
  logic [15:0]    etype;
  logic [7:0]     proto;
  logic [6:0]     n;
  always_comb begin
    start     = !cap_active_q;
    slot      = SW'((32'(rd_q) + 32'(count_o)) % Slots);
    ok        = start ? (count_o < 8'(Slots)) : cap_ok_q;
    pos       = start ? 13'd0 : {1'b0, cap_len_q};
    dst_local = start ? 1'b1 : dst_local_q;
    dst_bc    = start ? 1'b1 : dst_bc_q;
    etype     = start ? 16'd0 : etype_q;
    proto     = start ? 8'd0 : proto_q;
    n         = '0;
    for (int i = 0; i < DataBytes; i++) begin
      p = pos + 13'(i);
      if (tkeep_i[i]) begin
        n = n + 7'd1;
        if (p < 13'd6) begin
          dst_local = dst_local && tdata_i[8*i +: 8] == local_mac_i[8*(5 - int'(p[2:0])) +: 8];
          dst_bc    = dst_bc && tdata_i[8*i +: 8] == 8'hFF;
        end
        if (p == 13'd12) etype[15:8] = tdata_i[8*i +: 8];
        if (p == 13'd13) etype[7:0] = tdata_i[8*i +: 8];
        if (p == 13'd23) proto = tdata_i[8*i +: 8];
      end
    end
    len_next = (pos + 13'(n)) > 13'hFFF ? 13'hFFF : pos + 13'(n);
    for_fw   = len_next >= 13'd14 && (dst_local || dst_bc) && !tuser_i &&
               !(etype == 16'h0800 && (len_next < 13'd24 || proto == 8'd6));
    push     = beat_i && tlast_i && for_fw && ok && len_next <= 13'(SlotBytes);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rd_q         <= '0;
      count_o      <= '0;
      cap_active_q <= 1'b0;
      cap_ok_q     <= 1'b0;
      dst_local_q  <= 1'b0;
      dst_bc_q     <= 1'b0;
      cap_len_q    <= '0;
      etype_q      <= '0;
      proto_q      <= '0;
      dropped_o    <= '0;
    end else begin
      if (beat_i) begin
        cap_active_q <= !tlast_i;
        cap_ok_q     <= ok;
        cap_len_q    <= len_next[11:0];
        dst_local_q  <= dst_local;
        dst_bc_q     <= dst_bc;
        etype_q      <= etype;
        proto_q      <= proto;
        if (tlast_i && for_fw && !push) dropped_o <= dropped_o + 32'd1;
      end
      if (pop_i) rd_q <= SW'((32'(rd_q) + 32'd1) % Slots);
      count_o <= count_o + 8'(push) - 8'(pop_i);
    end
  end

  // The memories (no reset): the lengths, the bytes, the read register. The bytes are W lane
  // memories of one byte per word, so each is a plain memory (one write port with one enable, one
  // registered read with an enable) that maps to block RAM; a memory of W-byte words written with
  // byte enables maps to 1-bit-wide ECP5 block RAMs (its 9-bit bytes do not fit 8-bit lanes). A
  // beat's bytes fall in one word (DataBytes divides W and a beat starts at a multiple of
  // DataBytes): lane j takes the beat's byte j - wlane. The read takes lane j of one word; the 4
  // bytes are selected after the registers.
  logic [31:0]    base;   // byte address of this beat's first byte
  logic [31:0]    raddr;  // byte address of the read
  logic [WAW-1:0] waddr;
  logic [LW-1:0]  wlane;  // the beat's first byte in its word
  logic [8*W-1:0] rd_word_q;
  logic [LW-1:0]  rd_lane_q;
  assign base  = 32'(slot) * SlotBytes + 32'(pos);
  assign raddr = 32'(rd_q) * SlotBytes + 32'({rd_off_i, 2'b00});
  assign waddr = WAW'(base >> LW);
  assign wlane = LW'(base & (W - 1));
  assign rd_data_o = rd_word_q[8*rd_lane_q +: 32];
  always_ff @(posedge clk_i) begin
    if (push) len_q[slot] <= len_next[11:0];
    if (rd_i) rd_lane_q <= LW'(raddr & (W - 1));
  end
  for (genvar j = 0; j < W; j++) begin : g_lane
    logic [7:0] mem [NW];
    logic       we;
    logic [7:0] wd;
    always_comb begin
      we = 1'b0;
      wd = '0;
      for (int i = 0; i < DataBytes; i++) begin
        if (32'(wlane) + 32'(i) == 32'(j) && tkeep_i[i] && 32'(pos) + 32'(i) < SlotBytes) begin
          we = beat_i && ok;
          wd = tdata_i[8*i +: 8];
        end
      end
    end
    always_ff @(posedge clk_i) begin
      if (we) mem[waddr] <= wd;
    end
    always_ff @(posedge clk_i) begin
      if (rd_i) rd_word_q[8*j +: 8] <= mem[WAW'(raddr >> LW)];
    end
  end
endmodule
