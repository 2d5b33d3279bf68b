// SPDX-License-Identifier: Apache-2.0
// toe_engine: the engine as a host sees it: toe_top with the register block generated from
// rtl_model/regmap/toe_regs.toml (toe_reg_top) in front of its configuration ports.
//
//   reg bus --> toe_reg_top --reg2hw--> cfg_* ---> toe_top <-- s_axis_rx, cmd
//                   ^ hw2reg: counters,             |    --> m_axis_tx, evt
//                   |  status, interrupt causes  <--+
//
// What the wrapper adds to toe_top (toe_top itself is the C++ Engine's twin, cycle for cycle):
//   CTRL.ENABLE      0: a frame that starts arriving is accepted and discarded before the
//                    engine (it reaches no counter); a frame the engine has not started to send
//                    is held. The switch acts only between frames, never inside one.
//   CTRL.SOFT_RESET  the one-cycle pulse resets toe_top (tables, queues, counters) and this
//                    wrapper's frame state; the registers keep their values.
//   STATUS.READY     1 whenever the engine is not held in reset (toe_top's tables need no
//                    clearing walk: their valid bits reset).
//   INTR_STATE       EVQ_NOT_EMPTY while an event is offered; DROP when any CNT_DROP_* moved.
//   intr_o           any INTR_STATE bit whose INTR_ENABLE bit is set.
//   CNT_*            the low 32 bits of toe_top's 64-bit counters (C++ enum Counter order).
//
// The register bus is toe_reg_top's: req/we/addr/wdata in, valid/rdata/err one cycle later;
// an unmapped, read-only or misaligned access answers err and is recorded in LAST_ERROR.
module toe_engine #(
  parameter int unsigned Sessions      = 16,
  parameter int unsigned DataBytes     = 8,
  parameter int unsigned RxBufBytes    = 16384,
  parameter int unsigned TxBufBytes    = 16384,
  parameter int unsigned ListenEntries = 16,
  parameter int unsigned RspDepth      = 64,
  parameter int unsigned EvtDepth      = 4096,
  parameter int unsigned RxSlots       = 16
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  // register bus (toe_reg_top)
  input  logic                   reg_req_i,
  input  logic                   reg_we_i,
  input  logic [toe_reg_pkg::TOE_REG_ADDR_WIDTH-1:0] reg_addr_i,
  input  logic [31:0]            reg_wdata_i,
  output logic                   reg_valid_o,
  output logic [31:0]            reg_rdata_o,
  output logic                   reg_err_o,
  output logic                   intr_o,
  // frames in / out
  input  logic [8*DataBytes-1:0] s_axis_rx_tdata_i,
  input  logic [DataBytes-1:0]   s_axis_rx_tkeep_i,
  input  logic                   s_axis_rx_tvalid_i,
  input  logic                   s_axis_rx_tlast_i,
  input  logic                   s_axis_rx_tuser_i,
  output logic                   s_axis_rx_tready_o,
  output logic [8*DataBytes-1:0] m_axis_tx_tdata_o,
  output logic [DataBytes-1:0]   m_axis_tx_tkeep_o,
  output logic                   m_axis_tx_tvalid_o,
  output logic                   m_axis_tx_tlast_o,
  input  logic                   m_axis_tx_tready_i,
  // host commands and events (toe_top's)
  input  logic                   cmd_valid_i,
  output logic                   cmd_ready_o,
  input  logic [3:0]             cmd_op_i,
  input  logic [31:0]            cmd_conn_i,
  input  logic [31:0]            cmd_ip_i,
  input  logic [15:0]            cmd_port_i,
  input  logic [15:0]            cmd_lport_i,
  input  logic [47:0]            cmd_mac_i,
  input  logic [31:0]            cmd_value_i,
  input  logic [31:0]            cmd_tag_i,
  output logic                   evt_valid_o,
  input  logic                   evt_ready_i,
  output logic [3:0]             evt_type_o,
  output logic [31:0]            evt_conn_o,
  output logic [31:0]            evt_value_o,
  output logic [15:0]            evt_lport_o,
  output logic [3:0]             evt_state_o,
  // host buffer ports (toe_top's): transmit-buffer byte write, receive-buffer byte read
  input  logic                   host_tx_we_i,
  input  logic [$clog2(Sessions * TxBufBytes)-1:0] host_tx_addr_i,
  input  logic [7:0]             host_tx_wdata_i,
  input  logic [$clog2(Sessions * RxBufBytes)-1:0] host_rx_addr_i,
  output logic [7:0]             host_rx_rdata_o
);

  localparam int unsigned NCnt = toe_defs_pkg::NCnt;

  toe_reg_pkg::reg2hw_t reg2hw;
  toe_reg_pkg::hw2reg_t hw2reg;

  toe_reg_top #(.Sessions(Sessions)) u_regs (
    .clk_i, .rst_ni,
    .req_i(reg_req_i), .we_i(reg_we_i), .addr_i(reg_addr_i), .wdata_i(reg_wdata_i),
    .valid_o(reg_valid_o), .rdata_o(reg_rdata_o), .err_o(reg_err_o),
    .reg2hw_o(reg2hw), .hw2reg_i(hw2reg)
  );

  // The engine's reset: the pin, or SOFT_RESET's one-cycle pulse (a register output).
  logic core_rst_n;
  assign core_rst_n = rst_ni && !reg2hw.ctrl.soft_reset;

  // ---- CTRL.ENABLE, applied between frames ------------------------------------------------
  logic rx_in_frame_q, rx_discard_q, tx_in_frame_q;
  logic rx_discard, tx_hold;
  logic core_rx_tready, core_tx_tvalid;
  // A beat that starts a frame decides; the rest of the frame follows it.
  assign rx_discard = rx_in_frame_q ? rx_discard_q : !reg2hw.ctrl.enable;
  assign tx_hold    = tx_in_frame_q ? 1'b0 : !reg2hw.ctrl.enable;
  assign s_axis_rx_tready_o = rx_discard ? 1'b1 : core_rx_tready;
  assign m_axis_tx_tvalid_o = core_tx_tvalid && !tx_hold;

  always_ff @(posedge clk_i or negedge core_rst_n) begin
    if (!core_rst_n) begin
      rx_in_frame_q <= 1'b0;
      rx_discard_q  <= 1'b0;
      tx_in_frame_q <= 1'b0;
    end else begin
      if (s_axis_rx_tvalid_i && s_axis_rx_tready_o) begin
        rx_in_frame_q <= !s_axis_rx_tlast_i;
        rx_discard_q  <= rx_discard;
      end
      if (m_axis_tx_tvalid_o && m_axis_tx_tready_i) tx_in_frame_q <= !m_axis_tx_tlast_o;
    end
  end

  // ---- the engine -------------------------------------------------------------------------
  logic [64*NCnt-1:0] cnt;
  /* verilator lint_off PINCONNECTEMPTY */
  toe_top #(
    .Sessions(Sessions), .DataBytes(DataBytes), .RxBufBytes(RxBufBytes), .TxBufBytes(TxBufBytes),
    .ListenEntries(ListenEntries), .RspDepth(RspDepth), .EvtDepth(EvtDepth), .RxSlots(RxSlots)
  ) u_top (
    .clk_i, .rst_ni(core_rst_n),
    .s_axis_rx_tdata_i, .s_axis_rx_tkeep_i, .s_axis_rx_tvalid_i(s_axis_rx_tvalid_i && !rx_discard),
    .s_axis_rx_tlast_i, .s_axis_rx_tuser_i, .s_axis_rx_tready_o(core_rx_tready),
    .m_axis_tx_tdata_o, .m_axis_tx_tkeep_o, .m_axis_tx_tvalid_o(core_tx_tvalid), .m_axis_tx_tlast_o,
    .m_axis_tx_tready_i(m_axis_tx_tready_i && !tx_hold),
    .cmd_valid_i, .cmd_ready_o, .cmd_op_i, .cmd_conn_i, .cmd_ip_i, .cmd_port_i, .cmd_lport_i, .cmd_mac_i,
    .cmd_value_i, .cmd_tag_i,
    .evt_valid_o, .evt_ready_i, .evt_type_o, .evt_conn_o, .evt_value_o, .evt_lport_o, .evt_state_o,
    .cfg_local_mac_i({reg2hw.mac_addr_hi, reg2hw.mac_addr_lo}),
    .cfg_local_ip_i(reg2hw.ipv4_addr),
    .cfg_mss_i(reg2hw.mss),
    .cfg_mss_floor_i(reg2hw.mss_floor),
    .cfg_rcv_wscale_i(reg2hw.rcv_wscale),
    .cfg_fixed_isn_en_i(reg2hw.ctrl.fixed_isn_en),
    .cfg_fixed_isn_i(reg2hw.fixed_isn),
    .cfg_isn_secret_i({reg2hw.isn_secret_3, reg2hw.isn_secret_2, reg2hw.isn_secret_1, reg2hw.isn_secret_0}),
    .cfg_clock_mhz_i(reg2hw.clock_mhz),
    .cfg_ack_every_i(reg2hw.ack_every),
    .cfg_chal_conn_cycles_i(reg2hw.chal_conn_cycles),
    .cfg_chal_global_burst_i(reg2hw.chal_global_burst),
    .cfg_chal_global_cycles_i(reg2hw.chal_global_cycles),
    .cfg_max_half_open_i(reg2hw.max_half_open),
    .cnt_o(cnt),
    .trace_valid_o(), .trace_conn_o(), .trace_from_o(), .trace_to_o(),
    .cycle_o(), .tx_building_o(), .busy_o(), .active_sessions_o(), .half_open_o(),
    .dbg_conn_i(32'h0), .dbg_tcb_o(),
    .host_tx_we_i, .host_tx_addr_i, .host_tx_wdata_i, .host_rx_addr_i, .host_rx_rdata_o
  );
  /* verilator lint_on PINCONNECTEMPTY */

  // ---- hw2reg -----------------------------------------------------------------------------
  // DROP: a drop counter (toe_defs_pkg::CntDropMask, from toe_defs.toml) moved this cycle. A
  // counter moves by at most 15 a cycle, so its low 5 bits change exactly when it moves.
  localparam logic [NCnt-1:0] DropMask = toe_defs_pkg::CntDropMask;
  logic [4:0] drop_lo_q [NCnt];
  logic       drop_moved;
  always_comb begin
    drop_moved = 1'b0;
    for (int c = 0; c < NCnt; c++) begin
      if (DropMask[c] && cnt[64*c +: 5] != drop_lo_q[c]) drop_moved = 1'b1;
    end
  end
  always_ff @(posedge clk_i or negedge core_rst_n) begin
    if (!core_rst_n) begin
      for (int c = 0; c < NCnt; c++) drop_lo_q[c] <= '0;
    end else begin
      for (int c = 0; c < NCnt; c++) drop_lo_q[c] <= DropMask[c] ? cnt[64*c +: 5] : 5'd0;
    end
  end

  always_comb begin
    hw2reg = '0;
    hw2reg.status.ready                = core_rst_n;
    hw2reg.intr_state.evq_not_empty    = evt_valid_o;
    hw2reg.intr_state.drop             = drop_moved;
    hw2reg.cnt_frames_in               = cnt[64*0  +: 32];
    hw2reg.cnt_frames_out              = cnt[64*1  +: 32];
    hw2reg.cnt_drop_bad_csum           = cnt[64*2  +: 32];
    hw2reg.cnt_drop_malformed          = cnt[64*3  +: 32];
    hw2reg.cnt_drop_not_for_us         = cnt[64*4  +: 32];
    hw2reg.cnt_drop_no_conn            = cnt[64*5  +: 32];
    hw2reg.cnt_drop_fragment           = cnt[64*6  +: 32];
    hw2reg.cnt_drop_overflow           = cnt[64*7  +: 32];
    hw2reg.cnt_challenge_acks          = cnt[64*8  +: 32];
    hw2reg.cnt_rst_sent                = cnt[64*9  +: 32];
    hw2reg.cnt_drop_mac_error          = cnt[64*10 +: 32];
    hw2reg.cnt_drop_unacceptable       = cnt[64*11 +: 32];
    hw2reg.cnt_challenge_ack_limited   = cnt[64*12 +: 32];
    hw2reg.cnt_syn_dropped             = cnt[64*13 +: 32];
    hw2reg.cnt_half_open_evicted       = cnt[64*14 +: 32];
    hw2reg.cnt_events_dropped          = cnt[64*15 +: 32];
    hw2reg.cnt_arp_in                  = cnt[64*16 +: 32];
  end

  assign intr_o = |({reg2hw.intr_state.drop, reg2hw.intr_state.evq_not_empty} &
                    {reg2hw.intr_enable.drop, reg2hw.intr_enable.evq_not_empty});

endmodule
