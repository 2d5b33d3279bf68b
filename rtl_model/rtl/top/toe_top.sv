// SPDX-License-Identifier: Apache-2.0
// toe_top: the fast path of the TCP offload engine. Twin of the C++ class
// toe::model::Engine (rtl_model/model/top/top.hpp/.cpp) together with the
// tables it holds (C++ Tables, top/tables.hpp): same ports, same parameters, and
// the same value on every output port on every clock (tests/lockstep/top).
//
//  s_axis_rx -> rx_parse -> rx_csum -> conn_lookup -> tcp_fsm -> tcb_update --+-> m_evt
//                  | slots                              ^ cmd        |         +-> responses
//                  +---------------> rx_copy -> receive buffers      |              |
//  m_axis_tx <- tx_csum <- tx_build <- tx_arbiter <- {responses, tx_ready queue} <--+
//
// The tables (TCB memory, 4-tuple index of 8-way buckets, listen table, free
// list, SYN-cache order, ready queue, response and event queues, copy queue,
// transmit buffers, counters) are toe_tables (u_tables), the twin of the
// model's Tables: the stages read them as they are at the start of the cycle
// and offer their writes, which toe_tables applies in the order of the model's
// Engine::commit. The registered outputs are toe_tables' (and tx_build's).
//
// Ports (C++ EngineIn / EngineOut; the outputs are registered: Moore):
//   s_axis_rx_*  frames in (tuser on the last beat: MAC error)
//   m_axis_tx_*  frames out
//   cmd_*        commands (C++ Cmd: op, conn, ip, port, lport, mac, value, tag)
//   evt_*        events (C++ Event: type, conn, value, lport, state)
//   cfg_*        runtime registers (C++ EngineConfig, register map); the
//                challenge-ACK and half-open limits as written (0: default)
//   cnt_o        the counters, C++ enum Counter c in [64*c +: 64]
//   trace_*      TCB state changes of the last clock (C++ on_state_change):
//                slot 0 a SYN-cache eviction, slots 1, 2 the result's conn
//                (two when it passed through a state within the segment)
//   cycle_o, tx_building_o, busy_o, active_sessions_o, half_open_o: status
//   initialising_o  the tables are being initialised, the first Buckets clocks after a reset
//                   (C++ Engine::initialising); s_axis_rx_tready and cmd_ready are 0 meanwhile
module toe_top #(
  parameter int unsigned Sessions      = 16,     // TCB entries (1 .. 65,536)
  parameter int unsigned DataBytes     = 8,      // datapath bytes (1 .. 64, power of two)
  parameter int unsigned RxBufBytes    = 16384,  // receive buffer per connection (power of two >= 64)
  parameter int unsigned TxBufBytes    = 16384,  // transmit buffer per connection (power of two >= 64)
  parameter int unsigned ListenEntries = 16,     // listen table entries
  parameter int unsigned RspDepth      = 64,     // control-response queue
  parameter int unsigned EvtDepth      = 4096,   // event queue
  parameter int unsigned RxSlots       = 16,     // frame slots of 1,536 bytes (4 .. 16)
  localparam int unsigned IdxW         = (Sessions > 1) ? $clog2(Sessions) : 1,
  localparam int unsigned NCnt         = toe_defs_pkg::NCnt,
  localparam int unsigned HostTxAW     = $clog2(Sessions * TxBufBytes),
  localparam int unsigned HostRxAW     = $clog2(Sessions * RxBufBytes)
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,

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
  output logic [4:0]             evt_type_o,
  output logic [31:0]            evt_conn_o,
  output logic [31:0]            evt_value_o,
  output logic [15:0]            evt_lport_o,
  output logic [3:0]             evt_state_o,

  input  logic [47:0]            cfg_local_mac_i,
  input  logic [31:0]            cfg_local_ip_i,
  input  logic [15:0]            cfg_mss_i,
  input  logic [15:0]            cfg_mss_floor_i,
  input  logic [7:0]             cfg_rcv_wscale_i,
  input  logic                   cfg_fixed_isn_en_i,
  input  logic [31:0]            cfg_fixed_isn_i,
  input  logic [127:0]           cfg_isn_secret_i,     // isn_secret[k] in [32k +: 32]
  input  logic [31:0]            cfg_clock_mhz_i,
  input  logic [31:0]            cfg_ack_every_i,
  input  logic [31:0]            cfg_chal_conn_cycles_i,   // 0: clock_mhz * 1000
  input  logic [31:0]            cfg_chal_global_burst_i,
  input  logic [31:0]            cfg_chal_global_cycles_i, // 0: clock_mhz * 10000
  input  logic [31:0]            cfg_max_half_open_i,      // 0: max(Sessions / 2, 1)

  output logic [64*NCnt-1:0]     cnt_o,

  output logic [2:0]             trace_valid_o,
  output logic [3*32-1:0]        trace_conn_o,
  output logic [3*4-1:0]         trace_from_o,
  output logic [3*4-1:0]         trace_to_o,

  output logic [63:0]            cycle_o,
  output logic                   tx_building_o,
  output logic                   busy_o,
  output logic [31:0]            active_sessions_o,
  output logic [31:0]            half_open_o,
  output logic                   initialising_o,

  // Debug read of one TCB (the CONN_* registers): dbg_tcb_o is the TCB, as it stands, of the
  // connection dbg_conn_next_i named in the cycle before (a registered read issued a cycle ahead,
  // the writes of the edge forwarded); the reset value for a free entry or one beyond Sessions.
  input  logic [31:0]            dbg_conn_next_i,
  output logic [toe_fsm_pkg::TcbW-1:0] dbg_tcb_o,
  // host buffer ports: transmit-buffer byte write, receive-buffer byte read (data the next cycle);
  // address conn * buffer bytes + offset. The simulation reaches the buffers through their
  // public arrays instead (C++ host_write_tx / host_read_rx) and leaves these idle.
  input  logic                   host_tx_we_i,
  input  logic [HostTxAW-1:0]    host_tx_addr_i,
  input  logic [7:0]             host_tx_wdata_i,
  input  logic [HostRxAW-1:0]    host_rx_addr_i,
  output logic [7:0]             host_rx_rdata_o
);


  // ---- derived sizes ------------------------------------------------------------------
  localparam int unsigned BucketW  = IdxW;
  localparam int unsigned SlotWordW = $clog2(1536 / DataBytes);
  localparam int unsigned EvtW     = toe_fsm_pkg::EvtW;
  localparam int unsigned EntW     = EvtW + 1;             // {hold, event}
  localparam int unsigned TcbW     = toe_fsm_pkg::TcbW;
  localparam int unsigned TxReqW   = toe_fsm_pkg::TxReqW;
  localparam int unsigned CntW     = toe_defs_pkg::CntW;
  localparam int unsigned TxAddrW  = ($clog2(Sessions) + $clog2(TxBufBytes / DataBytes) > 0) ?
                                     $clog2(Sessions) + $clog2(TxBufBytes / DataBytes) : 1;
  localparam logic [31:0] NoConn   = toe_fsm_pkg::NoConn;
  localparam logic [31:0] DefHalfOpen = (Sessions / 2 > 0) ? 32'(Sessions / 2) : 32'd1;

  // The parameter rules (rtl_model/regmap/toe_defs.toml; the C++ toe::params::check applies the
  // same ones to EngineConfig): a bad value stops elaboration with the parameter named. Among them:
  // Sessions even (the free list and the ready queue take two pushes a cycle into two banks),
  // EvtDepth a multiple of 8 (the event queue's banks, in toe_tables) and at least 32.
  toe_param_check #(
    .Sessions(Sessions), .DataBytes(DataBytes), .RxBufBytes(RxBufBytes), .TxBufBytes(TxBufBytes),
    .ListenEntries(ListenEntries), .RspDepth(RspDepth), .EvtDepth(EvtDepth), .RxSlots(RxSlots)
  ) u_param_check ();

  // ---- handshakes of this cycle ---------------------------------------------------------
  logic rx_fire, cmd_fire;
  assign rx_fire  = s_axis_rx_tready_o && s_axis_rx_tvalid_i;
  assign cmd_fire = cmd_ready_o && cmd_valid_i;

  // ---- the command registers: a command accepted this cycle goes to tcp_fsm two cycles later ----
  // (C++ Engine cmd_q1_, cmd_q_), so that its key is known two cycles before the decision (the ISN
  // mix's two stages, and the index hash: toe_tables' index read is issued then) and its connection
  // and index entry one cycle before (toe_tables reads ahead for cq1_*). cmd_ready_o promises the
  // slot: no frame ends in the cycle before the acceptance, so no segment enters rx_csum beside the
  // command (the mix's first stage, conn_lookup's hash), conn_lookup the cycle after (cq1_*) or
  // tcp_fsm the cycle after that (cq_*).
  logic        cq1_valid, cq_valid;
  logic [3:0]  cq1_op, cq_op;
  logic [31:0] cq1_conn, cq1_ip, cq1_value, cq1_tag, cq_conn, cq_ip, cq_value, cq_tag;
  logic [15:0] cq1_port, cq1_lport, cq_port, cq_lport;
  logic [47:0] cq1_mac, cq_mac;
  always_ff @(posedge clk_i or negedge rst_ni) begin : p_cmd_reg
    if (!rst_ni) begin
      cq1_valid <= 1'b0;
      cq1_op <= '0; cq1_conn <= '0; cq1_ip <= '0; cq1_port <= '0; cq1_lport <= '0; cq1_mac <= '0;
      cq1_value <= '0; cq1_tag <= '0;
      cq_valid <= 1'b0;
      cq_op <= '0; cq_conn <= '0; cq_ip <= '0; cq_port <= '0; cq_lport <= '0; cq_mac <= '0;
      cq_value <= '0; cq_tag <= '0;
    end else begin
      cq1_valid <= cmd_fire;
      if (cmd_fire) begin
        cq1_op <= cmd_op_i; cq1_conn <= cmd_conn_i; cq1_ip <= cmd_ip_i; cq1_port <= cmd_port_i;
        cq1_lport <= cmd_lport_i; cq1_mac <= cmd_mac_i; cq1_value <= cmd_value_i; cq1_tag <= cmd_tag_i;
      end
      cq_valid <= cq1_valid;
      if (cq1_valid) begin
        cq_op <= cq1_op; cq_conn <= cq1_conn; cq_ip <= cq1_ip; cq_port <= cq1_port;
        cq_lport <= cq1_lport; cq_mac <= cq1_mac; cq_value <= cq1_value; cq_tag <= cq1_tag;
      end
    end
  end

  // ---- rx_parse -> rx_csum -> conn_lookup ------------------------------------------------
  logic        p_valid, p_drop, p_is_tcp, p_has_mss, p_has_ws, p_sack, p_has_ts;
  logic [4:0]  p_reason;
  logic [47:0] p_smac;
  logic [31:0] p_sip, p_dip, p_seq, p_ack, p_tsv, p_tse;
  logic [15:0] p_sport, p_dport, p_window, p_mss, p_poff, p_plen, p_ipoff, p_iphlen, p_iptotal;
  logic [7:0]  p_flags, p_ws;
  logic [3:0]  p_slot;
  logic        slot_rd_en;
  logic [4+SlotWordW-1:0] slot_rd_addr;
  logic [8*DataBytes-1:0] slot_rd_data;

  toe_rx_parse #(.DataBytes(DataBytes), .RxSlots(RxSlots)) u_rx_parse (
    .clk_i, .rst_ni,
    .local_mac_i(cfg_local_mac_i), .local_ip_i(cfg_local_ip_i),
    .s_axis_rx_tdata_i, .s_axis_rx_tkeep_i, .s_axis_rx_tvalid_i,
    .s_axis_rx_tready_i(s_axis_rx_tready_o), .s_axis_rx_tlast_i, .s_axis_rx_tuser_i,
    .meta_valid_o(p_valid), .meta_drop_o(p_drop), .meta_reason_o(p_reason), .meta_is_tcp_o(p_is_tcp),
    .meta_smac_o(p_smac), .meta_sip_o(p_sip), .meta_dip_o(p_dip), .meta_sport_o(p_sport),
    .meta_dport_o(p_dport), .meta_seq_o(p_seq), .meta_ack_o(p_ack), .meta_flags_o(p_flags),
    .meta_window_o(p_window), .meta_has_mss_o(p_has_mss), .meta_mss_o(p_mss),
    .meta_has_wscale_o(p_has_ws), .meta_wscale_o(p_ws), .meta_sack_permitted_o(p_sack),
    .meta_has_ts_o(p_has_ts), .meta_ts_val_o(p_tsv), .meta_ts_ecr_o(p_tse),
    .meta_payload_off_o(p_poff), .meta_payload_len_o(p_plen), .meta_ip_off_o(p_ipoff),
    .meta_ip_hlen_o(p_iphlen), .meta_ip_total_o(p_iptotal), .meta_slot_o(p_slot),
    .slot_rd_en_i(slot_rd_en), .slot_rd_addr_i(slot_rd_addr), .slot_rd_data_o(slot_rd_data)
  );

  // A frame ends this cycle (C++ RxParse::d_valid_out): its meta is valid next cycle.
  logic frame_end;
  assign frame_end = rx_fire && s_axis_rx_tlast_i;

  logic        c_valid, c_drop, c_is_tcp, c_has_mss, c_has_ws, c_sack, c_has_ts;
  logic [4:0]  c_reason;
  logic [47:0] c_smac;
  logic [31:0] c_sip, c_dip, c_seq, c_ack, c_tsv, c_tse;
  logic [15:0] c_sport, c_dport, c_window, c_mss, c_poff, c_plen, c_ipoff, c_iphlen, c_iptotal;
  logic [7:0]  c_flags, c_ws;
  logic [3:0]  c_slot;

  toe_rx_csum #(.DataBytes(DataBytes)) u_rx_csum (
    .clk_i, .rst_ni,
    .s_axis_rx_tdata_i, .s_axis_rx_tkeep_i, .s_axis_rx_tvalid_i,
    .s_axis_rx_tready_i(s_axis_rx_tready_o), .s_axis_rx_tlast_i,
    .meta_valid_i(p_valid), .meta_drop_i(p_drop), .meta_reason_i(p_reason), .meta_is_tcp_i(p_is_tcp),
    .meta_smac_i(p_smac), .meta_sip_i(p_sip), .meta_dip_i(p_dip), .meta_sport_i(p_sport),
    .meta_dport_i(p_dport), .meta_seq_i(p_seq), .meta_ack_i(p_ack), .meta_flags_i(p_flags),
    .meta_window_i(p_window), .meta_has_mss_i(p_has_mss), .meta_mss_i(p_mss),
    .meta_has_wscale_i(p_has_ws), .meta_wscale_i(p_ws), .meta_sack_permitted_i(p_sack),
    .meta_has_ts_i(p_has_ts), .meta_ts_val_i(p_tsv), .meta_ts_ecr_i(p_tse),
    .meta_payload_off_i(p_poff), .meta_payload_len_i(p_plen), .meta_ip_off_i(p_ipoff),
    .meta_ip_hlen_i(p_iphlen), .meta_ip_total_i(p_iptotal), .meta_slot_i(p_slot),
    .meta_valid_o(c_valid), .meta_drop_o(c_drop), .meta_reason_o(c_reason), .meta_is_tcp_o(c_is_tcp),
    .meta_smac_o(c_smac), .meta_sip_o(c_sip), .meta_dip_o(c_dip), .meta_sport_o(c_sport),
    .meta_dport_o(c_dport), .meta_seq_o(c_seq), .meta_ack_o(c_ack), .meta_flags_o(c_flags),
    .meta_window_o(c_window), .meta_has_mss_o(c_has_mss), .meta_mss_o(c_mss),
    .meta_has_wscale_o(c_has_ws), .meta_wscale_o(c_ws), .meta_sack_permitted_o(c_sack),
    .meta_has_ts_o(c_has_ts), .meta_ts_val_o(c_tsv), .meta_ts_ecr_o(c_tse),
    .meta_payload_off_o(c_poff), .meta_payload_len_o(c_plen), .meta_ip_off_o(c_ipoff),
    .meta_ip_hlen_o(c_iphlen), .meta_ip_total_o(c_iptotal), .meta_slot_o(c_slot)
  );

  logic        l_valid, l_drop, l_is_tcp, l_has_mss, l_has_ws;
  logic [4:0]  l_reason;
  logic [47:0] l_smac;
  logic [31:0] l_sip, l_seq, l_ack;
  logic [15:0] l_sport, l_dport, l_window, l_mss, l_poff, l_plen;
  logic [7:0]  l_flags, l_ws;
  logic [3:0]  l_slot;
  // The key of what reaches tcp_fsm two cycles from now: the segment rx_parse hands on now, else
  // the command offered now (cmd_ready_o promises no segment beside an accepted one). conn_lookup
  // hashes it now (the index's read address, c_bucket_n) and toe_isn_mix starts its mix.
  logic [31:0]        k_sip;
  logic [15:0]        k_sport, k_dport;
  logic [BucketW-1:0] c_bucket_n;  // its bucket: toe_tables' index read, issued a cycle ahead
  logic [BucketW-1:0] c_bucket;    // the bucket of the segment in conn_lookup now, else of the command (cq1_*)
  assign k_sip   = p_valid ? p_sip   : cmd_ip_i;
  assign k_sport = p_valid ? p_sport : cmd_port_i;
  assign k_dport = p_valid ? p_dport : cmd_lport_i;
  /* verilator lint_off PINCONNECTEMPTY */
  toe_conn_lookup #(.Sessions(Sessions)) u_conn_lookup (
    .clk_i, .rst_ni,
    .meta_valid_i(c_valid), .meta_drop_i(c_drop), .meta_reason_i(c_reason), .meta_is_tcp_i(c_is_tcp),
    .meta_smac_i(c_smac), .meta_sip_i(c_sip), .meta_dip_i(c_dip), .meta_sport_i(c_sport),
    .meta_dport_i(c_dport), .meta_seq_i(c_seq), .meta_ack_i(c_ack), .meta_flags_i(c_flags),
    .meta_window_i(c_window), .meta_has_mss_i(c_has_mss), .meta_mss_i(c_mss),
    .meta_has_wscale_i(c_has_ws), .meta_wscale_i(c_ws), .meta_sack_permitted_i(c_sack),
    .meta_has_ts_i(c_has_ts), .meta_ts_val_i(c_tsv), .meta_ts_ecr_i(c_tse),
    .meta_payload_off_i(c_poff), .meta_payload_len_i(c_plen), .meta_ip_off_i(c_ipoff),
    .meta_ip_hlen_i(c_iphlen), .meta_ip_total_i(c_iptotal), .meta_slot_i(c_slot),
    .key_sip_i(k_sip), .key_sport_i(k_sport), .key_dport_i(k_dport),
    .index_rd_bucket_o(c_bucket_n), .index_bucket_o(c_bucket),
    .meta_valid_o(l_valid), .meta_drop_o(l_drop), .meta_reason_o(l_reason), .meta_is_tcp_o(l_is_tcp),
    .meta_smac_o(l_smac), .meta_sip_o(l_sip), .meta_dip_o(), .meta_sport_o(l_sport),
    .meta_dport_o(l_dport), .meta_seq_o(l_seq), .meta_ack_o(l_ack), .meta_flags_o(l_flags),
    .meta_window_o(l_window), .meta_has_mss_o(l_has_mss), .meta_mss_o(l_mss),
    .meta_has_wscale_o(l_has_ws), .meta_wscale_o(l_ws), .meta_sack_permitted_o(),
    .meta_has_ts_o(), .meta_ts_val_o(), .meta_ts_ecr_o(),
    .meta_payload_off_o(l_poff), .meta_payload_len_o(l_plen), .meta_ip_off_o(),
    .meta_ip_hlen_o(), .meta_ip_total_o(), .meta_slot_o(l_slot), .meta_bucket_o()
  );
  /* verilator lint_on PINCONNECTEMPTY */

  // ---- the ISN mix, beside rx_csum and conn_lookup ----------------------------------------
  // The mix of k_* (above) reaches tcp_fsm with its segment or command, two cycles later.
  logic [31:0] l_isn_mix;   // the ISN mix of the segment now in tcp_fsm, else of the command (cq_*)
  toe_isn_mix u_isn_mix (
    .clk_i, .rst_ni,
    .key_rip_i(k_sip), .key_rport_i(k_sport), .key_lport_i(k_dport),
    .local_ip_i(cfg_local_ip_i), .isn_secret_i(cfg_isn_secret_i), .mix_o(l_isn_mix)
  );


  // ---- wires between the stages and the tables ------------------------------------------
  logic               t_lk_hit, t_listen_hit, t_ho_flag, t_bucket_room, t_free_valid;
  logic [IdxW-1:0]    t_lk_conn, t_free_conn, t_ho_head, t_ready_conn;
  logic [TcbW-1:0]    t_tcb, t_tcb_arb;
  logic [IdxW:0]      t_half_open_count;
  logic               t_ho_head_valid, t_ho_head_flag, t_chal_token_avail;
  logic               t_lmatch_valid, t_lfree_valid;
  logic [15:0]        t_lmatch_slot, t_lfree_slot;
  logic [31:0]        t_isn_ticks;
  logic [63:0]        t_cycle;
  logic               t_job_valid;
  logic [IdxW-1:0]    t_job_conn;
  logic [3:0]         t_job_slot;
  logic [15:0]        t_job_off, t_job_len;
  logic [31:0]        t_job_rx_off;
  logic               t_rsp_valid, t_ready_valid;
  logic [TxReqW-1:0]  t_rsp_front;
  logic               t_evt_pending, t_copy_pending;

  // Resolved limits (C++ defaults for 0).
  logic [31:0] chal_conn_cycles, max_half_open;
  assign chal_conn_cycles = (cfg_chal_conn_cycles_i != 0) ? cfg_chal_conn_cycles_i : cfg_clock_mhz_i * 32'd1000;
  assign max_half_open    = (cfg_max_half_open_i != 0) ? cfg_max_half_open_i : DefHalfOpen;

  // ---- tcp_fsm --------------------------------------------------------------------------
  logic                        r_valid, r_tcb_write, r_index_insert, r_free_conn, r_payload;
  logic                        r_release_slot, r_tx_kick, r_ho_add, r_ho_done, r_chal_used, r_lst_write;
  logic                        r_lst_valid;
  logic [31:0]                 r_conn, r_rx_off, r_evict;
  logic [TcbW-1:0]             r_tcb;
  logic [3:0]                  r_via;
  logic [3:0]                  r_slot;
  logic [15:0]                 r_poff, r_plen, r_lst_slot, r_lst_port;
  logic                        q_valid, q_rsp_valid, q_payload;
  logic [TxReqW-1:0]           q_rsp;
  logic [toe_fsm_pkg::NEvtW-1:0] q_n_evt;
  logic [toe_fsm_pkg::MaxEvents*EvtW-1:0] q_evt;
  logic [2*CntW-1:0]           q_count;

  /* verilator lint_off PINCONNECTEMPTY */
  toe_tcp_fsm #(.Sessions(Sessions), .RxBufBytes(RxBufBytes), .TxBufBytes(TxBufBytes)) u_tcp_fsm (
    .clk_i, .rst_ni,
    .seg_valid_i(l_valid), .seg_drop_i(l_drop), .seg_reason_i(l_reason), .seg_is_tcp_i(l_is_tcp),
    .seg_smac_i(l_smac), .seg_sip_i(l_sip), .seg_sport_i(l_sport), .seg_dport_i(l_dport),
    .seg_seq_i(l_seq), .seg_ack_i(l_ack), .seg_flags_i(l_flags), .seg_window_i(l_window),
    .seg_has_mss_i(l_has_mss), .seg_mss_i(l_mss), .seg_has_wscale_i(l_has_ws), .seg_wscale_i(l_ws),
    .seg_payload_off_i(l_poff), .seg_payload_len_i(l_plen), .seg_slot_i(l_slot),
    .cmd_valid_i(cq_valid), .cmd_op_i(cq_op), .cmd_conn_i(cq_conn), .cmd_ip_i(cq_ip), .cmd_port_i(cq_port),
    .cmd_lport_i(cq_lport), .cmd_mac_i(cq_mac), .cmd_value_i(cq_value), .cmd_tag_i(cq_tag),
    .lk_hit_i(t_lk_hit), .lk_conn_i(t_lk_conn), .listen_hit_i(t_listen_hit), .tcb_i(t_tcb),
    .ho_flag_i(t_ho_flag), .bucket_room_i(t_bucket_room),
    .free_valid_i(t_free_valid), .free_conn_i(t_free_conn),
    .half_open_count_i(t_half_open_count), .ho_head_valid_i(t_ho_head_valid),
    .ho_head_i(t_ho_head), .ho_head_flag_i(t_ho_head_flag),
    .chal_token_avail_i(t_chal_token_avail),
    .listen_match_valid_i(t_lmatch_valid), .listen_match_slot_i(t_lmatch_slot),
    .listen_free_valid_i(t_lfree_valid), .listen_free_slot_i(t_lfree_slot),
    .cycle_i(t_cycle), .isn_ticks_i(t_isn_ticks), .isn_mix_i(l_isn_mix),
    .mss_i(cfg_mss_i), .mss_floor_i(cfg_mss_floor_i),
    .rcv_wscale_i(cfg_rcv_wscale_i), .fixed_isn_en_i(cfg_fixed_isn_en_i), .fixed_isn_i(cfg_fixed_isn_i),
    .ack_every_i(cfg_ack_every_i),
    .chal_conn_cycles_i(chal_conn_cycles), .max_half_open_i(max_half_open),
    .res_valid_o(r_valid), .res_tcb_write_o(r_tcb_write), .res_conn_o(r_conn), .res_tcb_o(r_tcb),
    .res_index_insert_o(r_index_insert), .res_free_conn_o(r_free_conn), .res_rsp_valid_o(),
    .res_n_evt_o(), .res_evt_o(), .res_via_o(r_via), .res_payload_o(r_payload),
    .res_slot_o(r_slot), .res_payload_off_o(r_poff), .res_payload_len_o(r_plen), .res_rx_off_o(r_rx_off),
    .res_release_slot_o(r_release_slot), .res_tx_kick_o(r_tx_kick), .res_half_open_add_o(r_ho_add),
    .res_half_open_done_o(r_ho_done), .res_evict_conn_o(r_evict), .res_count_o(),
    .res_chal_token_used_o(r_chal_used), .res_listen_write_o(r_lst_write),
    .res_listen_slot_o(r_lst_slot), .res_listen_valid_o(r_lst_valid), .res_listen_port_o(r_lst_port),
    .q_valid_o(q_valid), .q_tcb_write_o(), .q_conn_o(), .q_tcb_o(), .q_index_insert_o(),
    .q_free_conn_o(), .q_rsp_valid_o(q_rsp_valid), .q_rsp_o(q_rsp), .q_n_evt_o(q_n_evt), .q_evt_o(q_evt),
    .q_via_o(), .q_payload_o(q_payload), .q_slot_o(), .q_payload_off_o(), .q_payload_len_o(),
    .q_rx_off_o(), .q_release_slot_o(), .q_tx_kick_o(), .q_half_open_add_o(), .q_half_open_done_o(),
    .q_evict_conn_o(), .q_count_o(q_count), .q_chal_token_used_o(), .q_listen_write_o(),
    .q_listen_slot_o(), .q_listen_valid_o(), .q_listen_port_o()
  );
  /* verilator lint_on PINCONNECTEMPTY */

  // ---- tcb_update -----------------------------------------------------------------------
  logic                      u_rsp_push;
  logic [TxReqW-1:0]         u_rsp_data;
  logic [toe_fsm_pkg::NEvtW-1:0] u_evt_n;
  logic [toe_fsm_pkg::MaxEvents*EntW-1:0] u_evt;
  logic [2*CntW-1:0]         u_count;
  toe_tcb_update u_tcb_update (
    .q_valid_i(q_valid), .q_rsp_valid_i(q_rsp_valid), .q_rsp_i(q_rsp), .q_n_evt_i(q_n_evt),
    .q_evt_i(q_evt), .q_payload_i(q_payload), .q_count_i(q_count),
    .rsp_push_o(u_rsp_push), .rsp_data_o(u_rsp_data), .evt_push_n_o(u_evt_n), .evt_push_o(u_evt),
    .count_o(u_count)
  );

  // ---- rx_copy --------------------------------------------------------------------------
  logic cp_pop, cp_release, cp_busy;
  logic [3:0] cp_release_slot;
  toe_rx_copy #(.DataBytes(DataBytes), .Sessions(Sessions), .RxBufBytes(RxBufBytes)) u_rx_copy (
    .clk_i, .rst_ni,
    .job_valid_i(t_job_valid), .job_conn_i(t_job_conn), .job_slot_i(t_job_slot),
    .job_off_i(t_job_off), .job_len_i(t_job_len), .job_rx_off_i(t_job_rx_off), .pop_o(cp_pop),
    .slot_rd_en_o(slot_rd_en), .slot_rd_addr_o(slot_rd_addr), .slot_rd_data_i(slot_rd_data),
    .release_o(cp_release), .release_slot_o(cp_release_slot), .busy_o(cp_busy),
    .host_rd_addr_i(host_rx_addr_i), .host_rd_data_o(host_rx_rdata_o)
  );

  // ---- tx_arbiter -> tx_build -----------------------------------------------------------
  logic               build_ready, a_pop_rsp, a_pop_ready, a_requeue, a_wr, a_retx_valid, a_valid;
  logic [TcbW-1:0]    a_wr_tcb;
  logic [IdxW-1:0]    a_retx_conn;
  logic [31:0]        a_retx_una;
  logic [15:0]        a_retx_lport;
  logic [toe_defs_pkg::StateW-1:0] a_retx_state;
  logic [TxReqW-1:0]  a_req;
  toe_tx_arbiter #(.Sessions(Sessions), .RxBufBytes(RxBufBytes), .TxBufBytes(TxBufBytes)) u_tx_arbiter (
    .clk_i, .rst_ni,
    .build_ready_i(build_ready && !a_valid), .fsm_conn_i(r_valid ? r_conn : NoConn),
    .cycle_i(t_cycle),
    .rsp_valid_i(t_rsp_valid), .rsp_front_i(t_rsp_front),
    .ready_valid_i(t_ready_valid), .ready_conn_i(t_ready_conn), .tcb_i(t_tcb_arb),
    .pop_rsp_o(a_pop_rsp), .pop_ready_o(a_pop_ready), .requeue_o(a_requeue), .wr_o(a_wr),
    .wr_tcb_o(a_wr_tcb), .retx_valid_o(a_retx_valid), .retx_conn_o(a_retx_conn),
    .retx_una_o(a_retx_una), .retx_lport_o(a_retx_lport), .retx_state_o(a_retx_state), .q_valid_o(a_valid), .q_o(a_req)
  );

  toe_fsm_pkg::txreq_t areq;
  assign areq = a_req;
  logic                 txb_rd_en;
  logic [TxAddrW-1:0]   txb_rd_addr;
  logic [8*DataBytes-1:0] txb_rd_data;
  logic                 frame_done;
  toe_tx_build #(.DataBytes(DataBytes), .Sessions(Sessions), .TxBufBytes(TxBufBytes)) u_tx_build (
    .clk_i, .rst_ni,
    .req_valid_i(a_valid), .ready_o(build_ready), .req_conn_i(areq.conn), .req_dmac_i(areq.dmac),
    .req_dip_i(areq.dip), .req_sport_i(areq.sport), .req_dport_i(areq.dport), .req_seq_i(areq.seq),
    .req_ack_i(areq.ack), .req_flags_i(areq.flags), .req_window_i(areq.window),
    .req_opt_mss_i(areq.opt_mss), .req_mss_i(areq.mss), .req_opt_ws_i(areq.opt_ws),
    .req_wscale_i(areq.wscale), .req_payload_len_i(areq.payload_len), .req_payload_off_i(areq.payload_off),
    .local_mac_i(cfg_local_mac_i), .local_ip_i(cfg_local_ip_i),
    .txbuf_rd_en_o(txb_rd_en), .txbuf_rd_addr_o(txb_rd_addr), .txbuf_rd_data_i(txb_rd_data),
    .m_axis_tx_tdata_o, .m_axis_tx_tkeep_o, .m_axis_tx_tvalid_o, .m_axis_tx_tlast_o,
    .m_axis_tx_tready_i, .frame_done_o(frame_done)
  );

  // ---- the tables -----------------------------------------------------------------------
  toe_tables #(
    .Sessions(Sessions), .DataBytes(DataBytes), .TxBufBytes(TxBufBytes), .ListenEntries(ListenEntries),
    .RspDepth(RspDepth), .EvtDepth(EvtDepth), .RxSlots(RxSlots)
  ) u_tables (
    .clk_i, .rst_ni,
    .cfg_clock_mhz_i, .cfg_chal_global_burst_i, .cfg_chal_global_cycles_i,
    .listen_port_i(l_valid ? l_dport : cq_port),
    .pre_seg_i(c_valid), .pre_seg_sip_i(c_sip), .pre_seg_sport_i(c_sport), .pre_seg_dport_i(c_dport),
    .pre_bucket_i(c_bucket), .pre2_bucket_i(c_bucket_n), .pre_cmd_conn_i(cq1_conn), .pre_cmd_ip_i(cq1_ip),
    .pre_cmd_port_i(cq1_port), .pre_cmd_lport_i(cq1_lport),
    .lk_hit_o(t_lk_hit), .lk_conn_o(t_lk_conn), .listen_hit_o(t_listen_hit), .tcb_o(t_tcb),
    .ho_flag_o(t_ho_flag), .bucket_room_o(t_bucket_room), .free_valid_o(t_free_valid),
    .free_conn_o(t_free_conn), .half_open_count_o(t_half_open_count), .ho_head_valid_o(t_ho_head_valid),
    .ho_head_o(t_ho_head), .ho_head_flag_o(t_ho_head_flag), .chal_token_avail_o(t_chal_token_avail),
    .listen_match_valid_o(t_lmatch_valid), .listen_match_slot_o(t_lmatch_slot),
    .listen_free_valid_o(t_lfree_valid), .listen_free_slot_o(t_lfree_slot), .isn_ticks_o(t_isn_ticks),
    .res_valid_i(r_valid), .res_tcb_write_i(r_tcb_write), .res_conn_i(r_conn), .res_tcb_i(r_tcb),
    .res_index_insert_i(r_index_insert), .res_free_conn_i(r_free_conn), .res_via_i(r_via),
    .res_payload_i(r_payload), .res_slot_i(r_slot), .res_payload_off_i(r_poff),
    .res_payload_len_i(r_plen), .res_rx_off_i(r_rx_off), .res_release_slot_i(r_release_slot),
    .res_tx_kick_i(r_tx_kick), .res_half_open_add_i(r_ho_add), .res_half_open_done_i(r_ho_done),
    .res_evict_conn_i(r_evict), .res_chal_token_used_i(r_chal_used), .res_listen_write_i(r_lst_write),
    .res_listen_slot_i(r_lst_slot), .res_listen_valid_i(r_lst_valid), .res_listen_port_i(r_lst_port),
    .upd_rsp_push_i(u_rsp_push), .upd_rsp_data_i(u_rsp_data), .upd_evt_n_i(u_evt_n), .upd_evt_i(u_evt),
    .upd_count_i(u_count),
    .job_valid_o(t_job_valid), .job_conn_o(t_job_conn), .job_slot_o(t_job_slot), .job_off_o(t_job_off),
    .job_len_o(t_job_len), .job_rx_off_o(t_job_rx_off),
    .copy_pop_i(cp_pop), .copy_release_i(cp_release), .copy_release_slot_i(cp_release_slot),
    .frame_end_i(frame_end),
    .rsp_valid_o(t_rsp_valid), .rsp_front_o(t_rsp_front), .ready_valid_o(t_ready_valid),
    .ready_conn_o(t_ready_conn), .tcb_arb_o(t_tcb_arb),
    .arb_pop_rsp_i(a_pop_rsp), .arb_pop_ready_i(a_pop_ready), .arb_requeue_i(a_requeue), .arb_wr_i(a_wr),
    .arb_wr_tcb_i(a_wr_tcb), .arb_retx_valid_i(a_retx_valid), .arb_retx_conn_i(a_retx_conn),
    .arb_retx_una_i(a_retx_una), .arb_retx_lport_i(a_retx_lport), .arb_retx_state_i(a_retx_state),
    .txbuf_rd_en_i(txb_rd_en), .txbuf_rd_addr_i(txb_rd_addr), .txbuf_rd_data_o(txb_rd_data),
    .frame_done_i(frame_done),
    .host_tx_we_i, .host_tx_addr_i, .host_tx_wdata_i, .dbg_conn_next_i, .dbg_tcb_o,
    .rx_tready_o(s_axis_rx_tready_o), .cmd_ready_o, .evt_valid_o, .evt_ready_i, .evt_type_o, .evt_conn_o,
    .evt_value_o, .evt_lport_o, .evt_state_o, .cnt_o, .trace_valid_o, .trace_conn_o, .trace_from_o,
    .trace_to_o, .cycle_o(t_cycle), .active_sessions_o, .half_open_o, .init_busy_o(initialising_o),
    .evt_pending_o(t_evt_pending), .copy_pending_o(t_copy_pending)
  );

  // ---- outputs --------------------------------------------------------------------------
  assign cycle_o       = t_cycle;
  assign tx_building_o = !build_ready;
  assign busy_o        = !build_ready || cp_busy || t_copy_pending || t_evt_pending;

endmodule
