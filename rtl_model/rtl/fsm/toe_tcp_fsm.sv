// SPDX-License-Identifier: Apache-2.0
// toe_tcp_fsm: the RFC 9293 state machine with every sequence/ACK check (RFC 5961
// challenge ACKs included), for one segment or one command per cycle. Twin of the C++
// class toe::model::TcpFsm (rtl_model/model/fsm/tcp_fsm.hpp/.cpp): the same decisions, the
// same FsmResult, latency 1. The code below follows TcpFsm's member functions in order
// (eval_segment, segment_no_conn, segment_listen, segment_syn_sent, segment_sync,
// eval_command); their helpers (count, event, reply_ack, challenge_ack, reply_rst, send_syn,
// reset_peer, close_conn) are the TOE_FSM_* macros. A response names its kind, and p_result (after
// the decision) builds it, and the TCB written, from the TCB the decision leaves.
//
// Per cycle (as Engine::eval): a segment (seg_valid_i) wins over a command (cmd_valid_i);
// with neither the result is not valid.
//
// The module holds no table. The top (toe_top) reads them and presents, in the same cycle:
//   lk_hit_i/lk_conn_i        index lookup (8 ways) of the segment's 4-tuple, or of the
//                             connect command's (C++ Tables::lookup)
//   listen_hit_i              the listen CAM holds the segment's dport (Tables::listening)
//   tcb_i                     the TCB of lk_conn_i for a segment, of cmd_conn_i for a
//                             per-connection command, with the pending write forwarded
//   ho_flag_i                 half_open_flag[] of that same connection
//   bucket_room_i             the segment's (or connect's) bucket has a free way
//   free_valid_i/free_conn_i  free list not empty / its head
//   half_open_count_i, ho_head_valid_i/ho_head_i/ho_head_flag_i: the SYN cache (DS1)
//   chal_token_avail_i        the global challenge-ACK bucket holds a token (chal_tokens != 0)
//   listen_match_*            the LAST valid listen entry whose port is cmd_port_i
//   listen_free_*             the FIRST invalid listen entry
//   isn_ticks_i               cycle_i / (4 * clock MHz): the 4-us ISN clock (IS1)
//   isn_mix_i                 the keyed ISN mix (toe_hash_pkg::isn_mix_*) of this cycle's segment's or
//                             command's 4-tuple: toe_isn_mix's mix_o, computed in the two cycles
//                             before (C++ IsnMix::q), so its 16 adders are not on the decision's
//                             path; a new connection's ISS is it plus isn_ticks_i
// and applies the registered result (q_*) to the tables, as TcpFsm::commit does.
//
// Outputs: res_* is this cycle's result (C++ TcpFsm::d, combinational), q_* the
// registered one (C++ TcpFsm::q). q_* keeps its value while res_valid_o is 0, as q = d
// does in the model (d keeps the last result over idle cycles). The response itself is built
// from the registered result (q_rsp_o, p_rsp): res_* has its valid bit only. Conn ids are 32 bits with
// toe_fsm_pkg::NoConn as "none". The counters a result raises are res_count_o =
// {second, first}, CntNone when unused. Events: res_evt_o holds MaxEvents slots of
// toe_fsm_pkg::evt_t, slot i in bits [i*EvtW +: EvtW]; the first res_n_evt_o are valid.
module toe_tcp_fsm #(
  // TCB entries, connection ids 0 .. Sessions-1 (1 .. 65,536).
  parameter int unsigned Sessions   = 16,
  // Receive buffer bytes per connection (power of two): the receive window before scaling.
  parameter int unsigned RxBufBytes = 16384,
  // Transmit buffer bytes per connection (power of two): how far tx_push may run ahead.
  parameter int unsigned TxBufBytes = 16384,
  // Width of a table index (conn id inside the tables).
  localparam int unsigned IdxW      = (Sessions > 1) ? $clog2(Sessions) : 1
) (
  input  logic                                      clk_i,
  input  logic                                      rst_ni,

  // ---- segment (C++ SegMeta, the fields the fsm reads) ----
  input  logic                                      seg_valid_i,
  input  logic                                      seg_drop_i,
  input  logic [toe_defs_pkg::CntW-1:0]              seg_reason_i,
  input  logic                                      seg_is_tcp_i,
  input  logic [47:0]                               seg_smac_i,
  input  logic [31:0]                               seg_sip_i,
  input  logic [15:0]                               seg_sport_i,
  input  logic [15:0]                               seg_dport_i,
  input  logic [31:0]                               seg_seq_i,
  input  logic [31:0]                               seg_ack_i,
  input  logic [7:0]                                seg_flags_i,
  input  logic [15:0]                               seg_window_i,
  input  logic                                      seg_has_mss_i,
  input  logic [15:0]                               seg_mss_i,
  input  logic                                      seg_has_wscale_i,
  input  logic [7:0]                                seg_wscale_i,
  input  logic [15:0]                               seg_payload_off_i,
  input  logic [15:0]                               seg_payload_len_i,
  input  logic [toe_fsm_pkg::SlotW-1:0]             seg_slot_i,

  // ---- command (C++ Cmd) ----
  input  logic                                      cmd_valid_i,
  input  logic [toe_defs_pkg::CmdOpW-1:0]            cmd_op_i,
  input  logic [31:0]                               cmd_conn_i,
  input  logic [31:0]                               cmd_ip_i,
  input  logic [15:0]                               cmd_port_i,
  input  logic [15:0]                               cmd_lport_i,
  input  logic [47:0]                               cmd_mac_i,
  input  logic [31:0]                               cmd_value_i,
  input  logic [31:0]                               cmd_tag_i,

  // ---- table reads (see above) ----
  input  logic                                      lk_hit_i,
  input  logic [IdxW-1:0]                           lk_conn_i,
  input  logic                                      listen_hit_i,
  input  logic [toe_fsm_pkg::TcbW-1:0]              tcb_i,
  input  logic                                      ho_flag_i,
  input  logic                                      bucket_room_i,
  input  logic                                      free_valid_i,
  input  logic [IdxW-1:0]                           free_conn_i,
  input  logic [IdxW:0]                             half_open_count_i,
  input  logic                                      ho_head_valid_i,
  input  logic [IdxW-1:0]                           ho_head_i,
  input  logic                                      ho_head_flag_i,
  input  logic                                      chal_token_avail_i,
  input  logic                                      listen_match_valid_i,
  input  logic [15:0]                               listen_match_slot_i,
  input  logic                                      listen_free_valid_i,
  input  logic [15:0]                               listen_free_slot_i,
  input  logic [63:0]                               cycle_i,
  input  logic [31:0]                               isn_ticks_i,
  input  logic [31:0]                               isn_mix_i,

  // ---- configuration registers (EngineConfig) ----
  input  logic [15:0]                               mss_i,
  input  logic [15:0]                               mss_floor_i,
  input  logic [7:0]                                rcv_wscale_i,
  input  logic                                      fixed_isn_en_i,
  input  logic [31:0]                               fixed_isn_i,
  input  logic [31:0]                               ack_every_i,
  input  logic [31:0]                               chal_conn_cycles_i, // resolved: 0 means 0 here
  input  logic [31:0]                               max_half_open_i,    // resolved: sessions/2 default

  // ---- result of this cycle (C++ TcpFsm::d) ----
  output logic                                      res_valid_o,
  output logic                                      res_tcb_write_o,
  output logic [31:0]                               res_conn_o,
  output logic [toe_fsm_pkg::TcbW-1:0]              res_tcb_o,
  output logic                                      res_index_insert_o,
  output logic                                      res_free_conn_o,
  output logic                                      res_rsp_valid_o,
  output logic [toe_fsm_pkg::NEvtW-1:0]             res_n_evt_o,
  output logic [toe_fsm_pkg::MaxEvents*toe_fsm_pkg::EvtW-1:0] res_evt_o,
  output logic [toe_defs_pkg::StateW-1:0]            res_via_o,
  output logic                                      res_payload_o,
  output logic [toe_fsm_pkg::SlotW-1:0]             res_slot_o,
  output logic [15:0]                               res_payload_off_o,
  output logic [15:0]                               res_payload_len_o,
  output logic [31:0]                               res_rx_off_o,
  output logic                                      res_release_slot_o,
  output logic                                      res_tx_kick_o,
  output logic                                      res_half_open_add_o,
  output logic                                      res_half_open_done_o,
  output logic [31:0]                               res_evict_conn_o,
  output logic [2*toe_defs_pkg::CntW-1:0]            res_count_o,
  output logic                                      res_chal_token_used_o,
  output logic                                      res_listen_write_o,
  output logic [15:0]                               res_listen_slot_o,
  output logic                                      res_listen_valid_o,
  output logic [15:0]                               res_listen_port_o,

  // ---- registered result (C++ TcpFsm::q_valid / q) ----
  output logic                                      q_valid_o,
  output logic                                      q_tcb_write_o,
  output logic [31:0]                               q_conn_o,
  output logic [toe_fsm_pkg::TcbW-1:0]              q_tcb_o,
  output logic                                      q_index_insert_o,
  output logic                                      q_free_conn_o,
  output logic                                      q_rsp_valid_o,
  output logic [toe_fsm_pkg::TxReqW-1:0]            q_rsp_o,
  output logic [toe_fsm_pkg::NEvtW-1:0]             q_n_evt_o,
  output logic [toe_fsm_pkg::MaxEvents*toe_fsm_pkg::EvtW-1:0] q_evt_o,
  output logic [toe_defs_pkg::StateW-1:0]            q_via_o,
  output logic                                      q_payload_o,
  output logic [toe_fsm_pkg::SlotW-1:0]             q_slot_o,
  output logic [15:0]                               q_payload_off_o,
  output logic [15:0]                               q_payload_len_o,
  output logic [31:0]                               q_rx_off_o,
  output logic                                      q_release_slot_o,
  output logic                                      q_tx_kick_o,
  output logic                                      q_half_open_add_o,
  output logic                                      q_half_open_done_o,
  output logic [31:0]                               q_evict_conn_o,
  output logic [2*toe_defs_pkg::CntW-1:0]            q_count_o,
  output logic                                      q_chal_token_used_o,
  output logic                                      q_listen_write_o,
  output logic [15:0]                               q_listen_slot_o,
  output logic                                      q_listen_valid_o,
  output logic [15:0]                               q_listen_port_o
);

  localparam logic [31:0] RxBufW    = 32'(RxBufBytes);
  localparam logic [31:0] TxBufW    = 32'(TxBufBytes);
  localparam logic [31:0] SessionsW = 32'(Sessions);

  // toe_fsm_pkg repeats two widths of the generated toe_defs_pkg (see there): they must agree.
  if (toe_fsm_pkg::StateW != toe_defs_pkg::StateW || toe_fsm_pkg::EvtTypeW != toe_defs_pkg::EvtTypeW)
  begin : gen_bad_pkg_widths
    $error("toe_tcp_fsm: toe_fsm_pkg's StateW/EvtTypeW differ from toe_defs_pkg's");
  end

  // ---- helpers on flat values (yosys 0.23: no struct arguments) -----------------------
  // Free space of the receive buffer: the receive window before scaling (C++ rx_free).
  function automatic logic [31:0] rx_free(input logic [31:0] rx_wr, input logic [31:0] rx_rd);
    rx_free = RxBufW - (rx_wr - rx_rd);
  endfunction

  function automatic logic [15:0] sat16(input logic [31:0] x);
    sat16 = (x > 32'h0000_FFFF) ? 16'hFFFF : x[15:0];
  endfunction

  // The window we advertise (C++ TcpFsm::adv_window).
  function automatic logic [15:0] adv_window(input logic [31:0] rx_wr, input logic [31:0] rx_rd,
                                             input logic [7:0] rcv_wscale);
    adv_window = sat16(rx_free(rx_wr, rx_rd) >> rcv_wscale);
  endfunction

  // a + b == k without a carry chain: the sum's bits are a ^ b ^ carry, so a + b == k iff each
  // bit's carry in is a ^ b ^ k, and that carry, with k's bit, fixes the carry out:
  // (a & b) | ((a | b) & ~k), bit by bit (no carry ripples).
  function automatic logic sum_is(input logic [31:0] a, input logic [31:0] b, input logic [31:0] k);
    logic [30:0] cout;  // out of bits 0..30 (bit 31's goes nowhere)
    cout   = (a[30:0] & b[30:0]) | ((a[30:0] | b[30:0]) & ~k[30:0]);
    sum_is = (a ^ b ^ k) == {cout, 1'b0};
  endfunction

  // (32'(sat16(f >> w)) << w) < t, the advertised window of a buffer with f bytes free as the peer
  // reads it, below t: f >> w above 16 bits is f with a bit set at w + 16 or above, and
  // (f >> w) << w is f with its w low bits cleared, so no shifter stands on f's path, only masks
  // that depend on w.
  function automatic logic adv_window_lt(input logic [31:0] f, input logic [7:0] w,
                                         input logic [31:0] t);
    logic [8:0] w16;
    w16 = {1'b0, w} + 9'd16;
    adv_window_lt = ((f & (32'hFFFF_FFFF << w16)) != 32'h0) ? (32'h0000_FFFF << w) < t
                                                             : (f & (32'hFFFF_FFFF << w)) < t;
  endfunction

  // RFC 9293 "synchronized": not CLOSED, LISTEN, SYN-SENT or SYN-RECEIVED.
  function automatic logic synchronized(input logic [toe_defs_pkg::StateW-1:0] s);
    synchronized = s != toe_defs_pkg::StClosed && s != toe_defs_pkg::StListen &&
                   s != toe_defs_pkg::StSynSent && s != toe_defs_pkg::StSynReceived;
  endfunction

  // ---- ISN (IS1, C++ isn_of): the mix of the segment's or the command's 4-tuple, from
  // toe_conn_lookup a cycle ahead, plus the 4-us clock now; or FIXED_ISN (tests only).
  logic [31:0] isn;
  assign isn = fixed_isn_en_i ? fixed_isn_i : isn_mix_i + isn_ticks_i;

  // ---- segment fields ------------------------------------------------------------------
  logic        seg_fin, seg_syn, seg_rst, seg_ack;
  logic [31:0] seg_len;     // SEG.LEN: payload, plus one each for SYN and FIN
  logic [15:0] peer_mss;    // the peer's MSS option, floored (OP2), or 536
  logic [7:0]  peer_wscale; // the peer's shift, at most 14 (OP3)
  always_comb begin
    seg_fin = (seg_flags_i & toe_fsm_pkg::FlagFin) != 8'h0;
    seg_syn = (seg_flags_i & toe_fsm_pkg::FlagSyn) != 8'h0;
    seg_rst = (seg_flags_i & toe_fsm_pkg::FlagRst) != 8'h0;
    seg_ack = (seg_flags_i & toe_fsm_pkg::FlagAck) != 8'h0;
    seg_len = 32'(seg_payload_len_i) + 32'(seg_syn) + 32'(seg_fin);
    peer_mss = !seg_has_mss_i ? toe_fsm_pkg::DefaultMss
             : (seg_mss_i < mss_floor_i) ? mss_floor_i : seg_mss_i;
    peer_wscale = (seg_wscale_i > toe_fsm_pkg::MaxWscale) ? toe_fsm_pkg::MaxWscale : seg_wscale_i;
  end

  // ---- the result (C++ FsmResult d) ----------------------------------------------------
  logic                                valid_d;
  logic                                tcb_write_d;
  logic [31:0]                         conn_d;
  toe_fsm_pkg::tcb_t                   tcb_d;
  logic                                index_insert_d;
  logic                                free_conn_d;
  logic                                rsp_valid_d;
  logic [toe_fsm_pkg::NEvtW-1:0]       n_evt_d;
  logic [toe_fsm_pkg::MaxEvents*toe_fsm_pkg::EvtW-1:0] evt_d;
  // An event slot as the decision writes it: {type, value, state} (TOE_FSM_EVENT).
  localparam int unsigned EvnW = toe_fsm_pkg::EvtTypeW + 32 + toe_fsm_pkg::StateW;
  logic [toe_fsm_pkg::MaxEvents*EvnW-1:0] evn_d;
  logic [toe_defs_pkg::StateW-1:0]      via_d;
  logic                                payload_d;
  logic [toe_fsm_pkg::SlotW-1:0]       slot_d;
  logic [15:0]                         payload_off_d;
  logic [15:0]                         payload_len_d;
  logic [31:0]                         rx_off_d;
  logic                                release_slot_d;
  logic                                tx_kick_d;
  logic                                half_open_add_d;
  logic                                half_open_done_d;
  logic [31:0]                         evict_conn_d;
  logic [toe_defs_pkg::CntW-1:0]        count0_d, count1_d;
  logic                                chal_token_used_d;
  logic                                listen_write_d;
  logic [15:0]                         listen_slot_d;
  logic                                listen_valid_d;
  logic [15:0]                         listen_port_d;

  // The kind of response (rsp_valid_d 1): p_rsp builds the response from it, after the register.
  localparam logic [2:0] RspAck       = 3'd0;  // reply_ack: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
  localparam logic [2:0] RspRstPeer   = 3'd1;  // reset_peer: <SEQ=SND.NXT><CTL=RST>
  localparam logic [2:0] RspSyn       = 3'd2;  // send_syn, without ACK (connect)
  localparam logic [2:0] RspSynAck    = 3'd3;  // send_syn, with ACK
  localparam logic [2:0] RspKeepalive = 3'd4;  // <SEQ=SND.UNA-1><ACK=RCV.NXT><CTL=ACK>
  localparam logic [2:0] RspRstSeg    = 3'd5;  // reply_rst: <SEQ=SEG.ACK><CTL=RST>
  localparam logic [2:0] RspRstAckSeg = 3'd6;  // reply_rst: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
  logic [2:0]                          rsp_kind;

  // ---- working values of the decision (locals of the C++ member functions) -----------
  toe_fsm_pkg::tcb_t                   tcb;          // the connection's TCB as it is updated
  toe_fsm_pkg::tcb_t                   ntcb;         // a new connection's TCB (C++ `n`): p_ntcb
  toe_fsm_pkg::tcb_t                   tcb_none;     // the reset TCB (C++ Tcb{}): events of no connection
  logic [31:0]                         conn;         // the connection decided on
  logic                                done;         // C++ `return` taken
  logic                                cache_full;
  logic [toe_defs_pkg::StateW-1:0]      state_in, state_after_ack;
  logic [31:0]                         wnd;          // receive window (C++ rx_free)
  logic                                ok;           // segment acceptable (RFC 9293 3.10.7.4)
  logic                                need_ack, in_order, can_take;
  logic [31:0]                         una_acked;    // SEG.ACK - ISS - 1: the bytes SEG.ACK acknowledges
  logic [31:0]                         acked, new_wnd, room, rest;
  logic [15:0]                         skip, take;   // their low bits: the payload's offset and length
  logic                                progress;     // the ACK moved SND.UNA
  logic [31:0]                         una_in;       // SND.UNA before the ACK is processed
  logic [31:0]                         seq_pay;      // SEG.SEQ + the payload: RCV.NXT after the text, if all taken
  logic                                fits, trim;   // the text's rest below the room / above it
  logic                                took_text;    // the text went through the receive step
  logic [31:0]                         una_base;     // tx_push: SND.UNA - ISS - 1, the unacked data's start
  logic                                base_tx;      // tx_push: the unacked data starts at tx_wr (min)
  logic [31:0]                         ahead_u;      // tx_push: the new pointer past SND.UNA - ISS - 1
  logic [31:0]                         sws_thresh;   // min(RCV.BUFF/2, MSS): receiver SWS avoidance

  // count(c): the first two counters a result raises.
`define TOE_FSM_COUNT(cnt) \
    begin \
      if (count0_d == toe_defs_pkg::CntNone) count0_d = (cnt); \
      else count1_d = (cnt); \
    end

  // event(type, tcb, value): the state comes from the TCB given. The slot keeps the type,
  // the value and the state (evn_d); p_result adds the connection and the local port, which are
  // the same for every event of a result: the connection is conn_d (NoConn for the events that
  // name none: a SYN dropped, a connect failed or not routed, whose results have no connection),
  // and the port is the lport of the TCB the events read: ntcb for a new connection and for a
  // connect failed or not routed (the command's port), the reset TCB for a SYN dropped (port 0,
  // as the model's event on its default TCB), else the connection's TCB, whose 4-tuple a
  // decision never changes.
`define TOE_FSM_EVENT(typ, t, val) \
    begin \
      if (32'(n_evt_d) == toe_fsm_pkg::MaxEvents) \
        `TOE_FSM_COUNT(toe_defs_pkg::CntEventsDropped) \
      else begin \
        for (int k = 0; k < toe_fsm_pkg::MaxEvents; k++) \
          if (32'(n_evt_d) == k) \
            evn_d[k*EvnW +: EvnW] = {(typ), (val), t.state}; \
        n_evt_d = n_evt_d + 1'b1; \
      end \
    end

  // The responses (C++ respond_on, reply_ack, reset_peer, send_syn, reply_rst) name their kind
  // (rsp_kind); p_rsp builds the response from it once, from the registered result. A response on the
  // connection (all kinds but the two RSTs to a segment's sender) reads the TCB the result writes
  // (ntcb for a new connection, else tcb as updated): on every path the fields it reads (the
  // 4-tuple, MAC, ISS, SND.UNA, SND.NXT, RCV.NXT, the receive buffer, the window options) are
  // final when the response is decided, as the lockstep tests check against the model.

  // reply_ack(tcb): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
`define TOE_FSM_REPLY_ACK \
    begin \
      rsp_valid_d = 1'b1; \
      rsp_kind    = RspAck; \
    end

  // reset_peer(tcb): <SEQ=SND.NXT><CTL=RST> (abort, give up).
`define TOE_FSM_RESET_PEER \
    begin \
      rsp_valid_d = 1'b1; \
      rsp_kind    = RspRstPeer; \
      `TOE_FSM_COUNT(toe_defs_pkg::CntRstSent) \
    end

  // send_syn(tcb, with_ack): our SYN or SYN-ACK, window never scaled, MSS and WS options.
`define TOE_FSM_SEND_SYN(with_ack) \
    begin \
      rsp_valid_d = 1'b1; \
      rsp_kind    = (with_ack) ? RspSynAck : RspSyn; \
    end

  // reply_rst(seg, ...): a RST to the segment's sender, no connection: <SEQ=SEG.ACK><CTL=RST>
  // (with_ack 0), or <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> (with_ack 1).
`define TOE_FSM_REPLY_RST(with_ack) \
    begin \
      rsp_valid_d = 1'b1; \
      rsp_kind    = (with_ack) ? RspRstAckSeg : RspRstSeg; \
      `TOE_FSM_COUNT(toe_defs_pkg::CntRstSent) \
    end

  // close_conn(conn, tcb, why): CLOSED, freed, the host told why.
`define TOE_FSM_CLOSE_CONN(cn, why) \
    begin \
      tcb.state   = toe_defs_pkg::StClosed; \
      conn_d      = (cn); \
      tcb_write_d = 1'b1; \
      free_conn_d = 1'b1; \
      if (ho_flag_i) half_open_done_d = 1'b1; \
      `TOE_FSM_EVENT(why, tcb, 32'h0) \
      `TOE_FSM_EVENT(toe_defs_pkg::EvtFreed, tcb, 32'h0) \
    end

  // challenge_ack(tcb): RFC 5961 7, at most one per chal_conn_cycles per connection and
  // one per token of the global bucket.
`define TOE_FSM_CHALLENGE_ACK \
    begin \
      if ((tcb.chal_sent && (cycle_i - tcb.chal_cycle) < {32'h0, chal_conn_cycles_i}) || \
          !chal_token_avail_i) begin \
        `TOE_FSM_COUNT(toe_defs_pkg::CntChallengeAckLimited) \
      end else begin \
        tcb_write_d        = 1'b1; \
        chal_token_used_d  = 1'b1; \
        `TOE_FSM_COUNT(toe_defs_pkg::CntChallengeAcks) \
        `TOE_FSM_REPLY_ACK \
      end \
    end

  // ---- a new connection's TCB (C++ `n`), built beside the decision ------------------------
  // A segment's (a SYN in LISTEN: SYN-RECEIVED) or a command's (a connect: SYN-SENT; its 4-tuple
  // also names a connect that fails or is not routed). The decision writes it (index_insert_d)
  // and its events read it on those paths only; built outside the decision's branches, it adds
  // no multiplexer at their joins.
  always_comb begin : p_ntcb
    tcb_none         = '0;
    tcb_none.snd_mss = toe_fsm_pkg::DefaultMss;
    ntcb             = tcb_none;
    if (seg_valid_i) begin
      ntcb.state       = toe_defs_pkg::StSynReceived;
      ntcb.passive     = 1'b1;
      ntcb.rip         = seg_sip_i;
      ntcb.rport       = seg_sport_i;
      ntcb.lport       = seg_dport_i;
      ntcb.rmac        = seg_smac_i;
      ntcb.irs         = seg_seq_i;
      ntcb.rcv_nxt     = seg_seq_i + 32'd1;
      ntcb.snd_wnd     = 32'(seg_window_i);  // a SYN's window is never scaled
      ntcb.max_snd_wnd = 32'(seg_window_i);
      ntcb.snd_wl1     = seg_seq_i;
      ntcb.snd_wl2     = isn;
      ntcb.snd_mss     = (peer_mss < mss_i) ? peer_mss : mss_i;
      if (seg_has_wscale_i) begin
        ntcb.ws_ok      = 1'b1;
        ntcb.snd_wscale = peer_wscale;
        ntcb.rcv_wscale = rcv_wscale_i;
      end
    end else begin
      ntcb.state       = toe_defs_pkg::StSynSent;
      ntcb.rip         = cmd_ip_i;
      ntcb.rport       = cmd_port_i;
      ntcb.lport       = cmd_lport_i;
      ntcb.rmac        = cmd_mac_i;
      ntcb.snd_mss     = mss_i;
      ntcb.ws_ok       = 1'b1;  // offered; kept only if the SYN-ACK carries one too
      ntcb.rcv_wscale  = rcv_wscale_i;
      ntcb.tag         = cmd_tag_i;
    end
    ntcb.iss           = isn;
    ntcb.snd_una       = isn;
    ntcb.snd_nxt       = isn + 32'd1;
    ntcb.snd_max       = isn + 32'd1;
    ntcb.last_tx_cycle = cycle_i;
  end

  // Two compares of a narrow value with a 32-bit configuration register, made on the narrow
  // value's bits (a limit with a bit set above them is never reached), so that no 32-bit carry
  // chain stands on the decision's path (the upper bits' test depends on the configuration only):
  //   ho_full     the SYN cache is full: half_open_count_i >= max_half_open_i (C++ cache_full);
  //   ack_m1_hi   ack_every_i - 1 has a bit set above the 16 of unacked_segs, so
  //               32'(unacked_segs) >= ack_every_i - 1 is the 16-bit compare and !ack_m1_hi.
  logic        ho_full, ack_m1_hi;
  logic [31:0] ack_m1;
  assign ho_full   = (max_half_open_i >> (IdxW + 1)) == 32'h0 && half_open_count_i >= max_half_open_i[IdxW:0];
  assign ack_m1    = ack_every_i - 32'd1;
  assign ack_m1_hi = ack_m1[31:16] != 16'h0;

  always_comb begin
    // FsmResult{}
    valid_d           = 1'b0;
    tcb_write_d       = 1'b0;
    conn_d            = toe_fsm_pkg::NoConn;
    index_insert_d    = 1'b0;
    free_conn_d       = 1'b0;
    rsp_valid_d       = 1'b0;
    rsp_kind          = RspAck;
    n_evt_d           = '0;
    evn_d             = '0;
    via_d             = toe_defs_pkg::StClosed;
    payload_d         = 1'b0;
    slot_d            = '0;
    payload_off_d     = '0;
    payload_len_d     = '0;
    rx_off_d          = '0;
    release_slot_d    = 1'b0;
    tx_kick_d         = 1'b0;
    half_open_add_d   = 1'b0;
    half_open_done_d  = 1'b0;
    evict_conn_d      = toe_fsm_pkg::NoConn;
    count0_d          = toe_defs_pkg::CntNone;
    count1_d          = toe_defs_pkg::CntNone;
    chal_token_used_d = 1'b0;
    listen_write_d    = 1'b0;
    listen_slot_d     = '0;
    listen_valid_d    = 1'b0;
    listen_port_d     = '0;
    // locals
    tcb             = tcb_i;
    conn            = toe_fsm_pkg::NoConn;
    done            = 1'b0;
    cache_full      = 1'b0;
    state_in        = tcb.state;
    state_after_ack = tcb.state;
    wnd             = rx_free(tcb.rx_wr, tcb.rx_rd);
    ok              = 1'b0;
    need_ack        = 1'b0;
    in_order        = 1'b1;
    can_take        = 1'b0;
    una_acked       = seg_ack_i + ~tcb.iss;  // SEG.ACK - ISS - 1 in one adder
    acked           = '0;
    progress        = 1'b0;
    una_in          = tcb.snd_una;
    seq_pay         = seg_seq_i + 32'(seg_payload_len_i);
    fits            = 1'b0;
    trim            = 1'b0;
    took_text       = 1'b0;
    new_wnd         = '0;
    skip            = '0;
    room            = '0;
    take            = '0;
    rest            = '0;
    una_base        = '0;
    base_tx         = 1'b0;
    ahead_u         = '0;
    sws_thresh      = ((RxBufW >> 1) < 32'(tcb.snd_mss)) ? (RxBufW >> 1) : 32'(tcb.snd_mss);

    if (seg_valid_i) begin
      // ================= eval_segment =================
      valid_d        = 1'b1;
      release_slot_d = 1'b1;
      slot_d         = seg_slot_i;
      if (seg_drop_i) begin
        `TOE_FSM_COUNT(seg_reason_i)
      end else if (!seg_is_tcp_i) begin
        // not ours: only the slot goes back
      end else if (!lk_hit_i && !listen_hit_i) begin
        // ---- segment_no_conn: HS1 (RFC 9293 3.10.7.1) ----
        `TOE_FSM_COUNT(toe_defs_pkg::CntDropNoConn)
        if (seg_rst) begin
          // never answer a RST
        end else if (seg_ack) begin
          `TOE_FSM_REPLY_RST(1'b0)
        end else begin
          `TOE_FSM_REPLY_RST(1'b1)
        end
      end else if (!lk_hit_i) begin
        // ---- segment_listen: HS2 (RFC 9293 3.10.7.2), bounded SYN cache (DS1) ----
        if (seg_rst) begin
          `TOE_FSM_COUNT(toe_defs_pkg::CntDropUnacceptable)
        end else if (seg_ack) begin
          `TOE_FSM_REPLY_RST(1'b0)
        end else if (!seg_syn || seg_fin) begin  // SYN+FIN: dropped (documented choice)
          `TOE_FSM_COUNT(toe_defs_pkg::CntDropUnacceptable)
        end else if (!bucket_room_i) begin       // the 8 ways of this hash bucket in use
          `TOE_FSM_COUNT(toe_defs_pkg::CntDropOverflow)
        end else begin
          // Allocate: the free list, else evict the oldest half-open connection when the
          // SYN cache is full (established connections are never evicted).
          conn       = free_valid_i ? 32'(free_conn_i) : toe_fsm_pkg::NoConn;
          cache_full = ho_full;
          if (cache_full || !free_valid_i) begin
            if (ho_head_valid_i && ho_head_flag_i) begin
              evict_conn_d = 32'(ho_head_i);
              conn         = 32'(ho_head_i);
              `TOE_FSM_COUNT(toe_defs_pkg::CntHalfOpenEvicted)
            end else begin
              `TOE_FSM_COUNT(toe_defs_pkg::CntSynDropped)
              `TOE_FSM_EVENT(toe_defs_pkg::EvtSynDropped, tcb_none,
                             32'(seg_dport_i))
              done = 1'b1;
            end
          end
          if (!done) begin
            // ntcb: the SYN-RECEIVED TCB of this segment (p_ntcb). Data on a SYN is not queued (documented choice): only the SYN is ACKed.
            conn_d          = conn;
            tcb_write_d     = 1'b1;
            index_insert_d  = 1'b1;
            half_open_add_d = 1'b1;
            `TOE_FSM_SEND_SYN(1'b1)
            `TOE_FSM_EVENT(toe_defs_pkg::EvtRetxArm, ntcb, ntcb.snd_una)
          end
        end
      end else if (tcb.state == toe_defs_pkg::StSynSent) begin
        // ---- segment_syn_sent: HS3, HS4, HS5 (RFC 9293 3.10.7.3) ----
        conn   = 32'(lk_conn_i);
        conn_d = conn;
        if (seg_ack && (toe_seq_pkg::seq_leq(seg_ack_i, tcb.iss) ||
                        toe_seq_pkg::seq_gt(seg_ack_i, tcb.snd_nxt))) begin
          `TOE_FSM_COUNT(toe_defs_pkg::CntDropUnacceptable)
          if (!seg_rst) `TOE_FSM_REPLY_RST(1'b0)
        end else if (seg_rst) begin
          if (seg_ack) `TOE_FSM_CLOSE_CONN(conn, toe_defs_pkg::EvtReset)  // acceptable ACK: reset
          else `TOE_FSM_COUNT(toe_defs_pkg::CntDropUnacceptable)          // HS4: bare RST ignored
        end else if (!seg_syn) begin
          `TOE_FSM_COUNT(toe_defs_pkg::CntDropUnacceptable)
        end else begin
          tcb.irs     = seg_seq_i;
          tcb.rcv_nxt = seg_seq_i + 32'd1;
          tcb.snd_mss = (peer_mss < mss_i) ? peer_mss : mss_i;
          if (seg_has_wscale_i) begin
            tcb.snd_wscale = peer_wscale;
          end else begin
            tcb.ws_ok      = 1'b0;
            tcb.snd_wscale = 8'h0;
            tcb.rcv_wscale = 8'h0;
          end
          tcb.snd_wnd     = 32'(seg_window_i);
          tcb.max_snd_wnd = 32'(seg_window_i);
          tcb.snd_wl1     = seg_seq_i;
          tcb.snd_wl2     = seg_ack_i;
          tcb_write_d     = 1'b1;
          if (seg_ack) begin
            tcb.snd_una = seg_ack_i;
            tcb.state   = toe_defs_pkg::StEstablished;
            `TOE_FSM_REPLY_ACK
            `TOE_FSM_EVENT(toe_defs_pkg::EvtConnected, tcb, 32'h0)  // HS8
            `TOE_FSM_EVENT(toe_defs_pkg::EvtRetxDisarm, tcb, 32'h0)
            tx_kick_d = 1'b1;
          end else begin
            // HS5: simultaneous open: SYN,ACK from SYN-RECEIVED, remembering we were active.
            tcb.state         = toe_defs_pkg::StSynReceived;
            tcb.last_tx_cycle = cycle_i;  // the SYN-ACK goes now: the retransmission timer restarts
            `TOE_FSM_SEND_SYN(1'b1)
          end
        end
      end else begin
        // ---- segment_sync: SYN-RECEIVED and the synchronized states (3.10.7.4) ----
        conn   = 32'(lk_conn_i);
        conn_d = conn;
        if (seg_syn && tcb.state == toe_defs_pkg::StSynReceived && seg_seq_i == tcb.irs &&
            !seg_ack && !seg_rst) begin
          // HS7: the peer's SYN again (our SYN-ACK was lost): answer it again.
          `TOE_FSM_SEND_SYN(1'b1)
        end else if (tcb.state == toe_defs_pkg::StTimeWait && seg_rst) begin
          // TW3: RFC 1337: every RST in TIME-WAIT is ignored.
          `TOE_FSM_COUNT(toe_defs_pkg::CntDropUnacceptable)
        end else if (tcb.state == toe_defs_pkg::StTimeWait && seg_fin && !seg_syn &&
                     seg_seq_i + seg_len == tcb.rcv_nxt) begin
          // TW2: the peer's FIN retransmitted exactly: re-ACK and restart 2*MSL (a SYN+FIN is not one).
          `TOE_FSM_REPLY_ACK
          `TOE_FSM_EVENT(toe_defs_pkg::EvtTimeWaitEntered, tcb, 32'h0)
        end else begin
          // 1. sequence number check (SQ1, SQ2)
          if (seg_len == 32'h0)
            ok = (wnd == 32'h0) ? seg_seq_i == tcb.rcv_nxt
                                : toe_seq_pkg::seq_in_window(seg_seq_i, tcb.rcv_nxt, wnd);
          else
            ok = wnd != 32'h0 &&
                 (toe_seq_pkg::seq_in_window(seg_seq_i, tcb.rcv_nxt, wnd) ||
                  toe_seq_pkg::seq_in_window(seg_seq_i + seg_len - 32'd1, tcb.rcv_nxt, wnd));
          // FN4: a bare FIN at RCV.NXT needs no buffer space: accepted at zero window.
          if (!ok && wnd == 32'h0 && seg_fin && seg_payload_len_i == 16'h0 &&
              seg_seq_i == tcb.rcv_nxt)
            ok = 1'b1;
          // RFC 5961 3.2: a RST is judged by its sequence number alone.
          if (seg_rst)
            ok = (wnd == 32'h0) ? seg_seq_i == tcb.rcv_nxt
                                : toe_seq_pkg::seq_in_window(seg_seq_i, tcb.rcv_nxt, wnd);

          if (!ok) begin
            `TOE_FSM_COUNT(toe_defs_pkg::CntDropUnacceptable)
            if (!seg_rst) `TOE_FSM_CHALLENGE_ACK  // rate-limited (DS2)
          end else if (seg_rst) begin
            // 2. RST (RS1, RS2, RS3)
            if (seg_seq_i != tcb.rcv_nxt) `TOE_FSM_CHALLENGE_ACK
            else if (tcb.state == toe_defs_pkg::StClosing || tcb.state == toe_defs_pkg::StLastAck)
              `TOE_FSM_CLOSE_CONN(conn, toe_defs_pkg::EvtClosed)
            else  // SYN-RECEIVED from LISTEN: freed, the listener stays (RS3)
              `TOE_FSM_CLOSE_CONN(conn, toe_defs_pkg::EvtReset)
          end else if (seg_syn) begin
            // 4. SYN (RFC 5961 4 / SY1, TW4, HS7): challenge ACK, no state change.
            `TOE_FSM_CHALLENGE_ACK
          end else if (!seg_ack) begin
            // 5. ACK field (SQ3 .. SQ6)
            `TOE_FSM_COUNT(toe_defs_pkg::CntDropUnacceptable)
          end else begin
            if (tcb.state == toe_defs_pkg::StSynReceived) begin
              if (!(toe_seq_pkg::seq_lt(tcb.snd_una, seg_ack_i) &&
                    toe_seq_pkg::seq_leq(seg_ack_i, tcb.snd_nxt))) begin  // HS6
                `TOE_FSM_COUNT(toe_defs_pkg::CntDropUnacceptable)
                `TOE_FSM_REPLY_RST(1'b0)
                done = 1'b1;
              end else begin
                // A close requested in SYN-RECEIVED with data queued takes effect now.
                tcb.state = tcb.fin_pending ? toe_defs_pkg::StFinWait1 : toe_defs_pkg::StEstablished;
                tcb.snd_una = seg_ack_i;
                tcb.snd_wnd = 32'(seg_window_i) << tcb.snd_wscale;
                if (tcb.snd_wnd > tcb.max_snd_wnd) tcb.max_snd_wnd = tcb.snd_wnd;
                tcb.snd_wl1 = seg_seq_i;
                tcb.snd_wl2 = seg_ack_i;
                if (ho_flag_i) half_open_done_d = 1'b1;
                `TOE_FSM_EVENT(tcb.passive ? toe_defs_pkg::EvtAccepted : toe_defs_pkg::EvtConnected,
                               tcb, 32'h0)  // HS8
                if (tcb.snd_una == tcb.snd_max)
                  `TOE_FSM_EVENT(toe_defs_pkg::EvtRetxDisarm, tcb, 32'h0)
                else  // ACK progress with data still outstanding: the timer restarts (RFC 6298 5.3)
                  `TOE_FSM_EVENT(toe_defs_pkg::EvtRetxArm, tcb, tcb.snd_una)
                tx_kick_d = 1'b1;
              end
            end else if (toe_seq_pkg::seq_gt(seg_ack_i, tcb.snd_max)) begin
              // SQ4: ACKs something not yet sent (SND.MAX: see tcb_t)
              `TOE_FSM_COUNT(toe_defs_pkg::CntDropUnacceptable)
              `TOE_FSM_CHALLENGE_ACK
              done = 1'b1;
            end else if ($signed(seg_ack_i - tcb.snd_una +
                                 {tcb.max_snd_wnd[31:1], tcb.max_snd_wnd[0] || tcb.max_snd_wnd == 32'h0}) < 0) begin
              // SQ5 (RFC 5961 5.2): SEG.ACK < SND.UNA - max(MAX.SND.WND, 1), as SEG.ACK - SND.UNA
              // + max(MAX.SND.WND, 1) negative (the difference beside the maximum, no compare
              // before the subtraction).
              `TOE_FSM_COUNT(toe_defs_pkg::CntDropUnacceptable)
              `TOE_FSM_CHALLENGE_ACK
              done = 1'b1;
            end else begin
              progress = toe_seq_pkg::seq_lt(una_in, seg_ack_i);
              if (progress) begin
                tcb.snd_una = seg_ack_i;
                if (toe_seq_pkg::seq_gt(seg_ack_i, tcb.snd_nxt)) tcb.snd_nxt = seg_ack_i;  // sent before a go-back
                tx_kick_d = 1'b1;
              end
              // SQ6: window update only for SND.UNA <= SEG.ACK <= SND.NXT and the WL1/WL2 rule.
              // (Below, SND.UNA after the update is SEG.ACK where progress holds, else as it came:
              // each test on it is made on both and the answer chosen, so no carry chain waits on
              // the choice. SND.UNA <= SEG.ACK holds after the update iff it held before.)
              if (toe_seq_pkg::seq_leq(una_in, seg_ack_i) &&
                  (toe_seq_pkg::seq_lt(tcb.snd_wl1, seg_seq_i) ||
                   (tcb.snd_wl1 == seg_seq_i && toe_seq_pkg::seq_leq(tcb.snd_wl2, seg_ack_i)))) begin
                new_wnd = 32'(seg_window_i) << tcb.snd_wscale;
                if (new_wnd > tcb.snd_wnd) tx_kick_d = 1'b1;
                tcb.snd_wnd = new_wnd;
                if (new_wnd > tcb.max_snd_wnd) tcb.max_snd_wnd = new_wnd;
                tcb.snd_wl1 = seg_seq_i;
                tcb.snd_wl2 = seg_ack_i;
              end
              if (progress) begin  // SND.UNA is SEG.ACK
                acked = (una_acked > tcb.tx_wr) ? tcb.tx_wr : una_acked;
                `TOE_FSM_EVENT(toe_defs_pkg::EvtAcked, tcb, acked)
                // The timer restarts on ACK progress with data still outstanding (RFC 6298 5.3),
                // and runs when everything sent is acknowledged but the window closed with data
                // queued (TM4: its expiry sends the probe). The data's end, ISS + 1 + tx_wr, is
                // past SEG.ACK iff SEG.ACK - ISS - 1 - tx_wr is negative.
                if (seg_ack_i == tcb.snd_max &&
                    !(tcb.snd_wnd == 32'h0 && toe_seq_pkg::seq_lt(una_acked, tcb.tx_wr)))
                  `TOE_FSM_EVENT(toe_defs_pkg::EvtRetxDisarm, tcb, 32'h0)
                else
                  `TOE_FSM_EVENT(toe_defs_pkg::EvtRetxArm, tcb, seg_ack_i)
              end
              // TM4, keep-alive: the answer to a probe. One that moves SND.UNA was reported above.
              if (tcb.probing && (progress || seg_len == 32'h0)) begin
                tcb.probing = 1'b0;
                if (!progress) `TOE_FSM_EVENT(toe_defs_pkg::EvtPeerAlive, tcb, tcb.snd_wnd)
              end
              // Our FIN acknowledged: SND.UNA = ISS + 1 + tx_wr + 1 (the data's end and the FIN),
              // tested as ISS + tx_wr = SND.UNA - 2 without a carry chain.
              if (tcb.fin_pending && (progress ? sum_is(tcb.iss, tcb.tx_wr, seg_ack_i - 32'd2)
                                               : sum_is(tcb.iss, tcb.tx_wr, una_in - 32'd2))) begin
                if (tcb.state == toe_defs_pkg::StFinWait1) begin
                  tcb.state = toe_defs_pkg::StFinWait2;
                end else if (tcb.state == toe_defs_pkg::StClosing) begin
                  tcb.state = toe_defs_pkg::StTimeWait;
                  `TOE_FSM_EVENT(toe_defs_pkg::EvtTimeWaitEntered, tcb, 32'h0)
                end else if (tcb.state == toe_defs_pkg::StLastAck) begin
                  `TOE_FSM_CLOSE_CONN(conn, toe_defs_pkg::EvtClosed)
                  done = 1'b1;
                end
              end
            end

            if (!done) begin
              state_after_ack = tcb.state;
              // 7. segment text (in order only; out of order, data or FIN: duplicate ACK)
              if (seg_len != 32'h0 && toe_seq_pkg::seq_gt(seg_seq_i, tcb.rcv_nxt)) begin
                in_order = 1'b0;
                need_ack = 1'b1;
              end
              if (seg_payload_len_i != 16'h0 && in_order) begin
                can_take = tcb.state == toe_defs_pkg::StEstablished ||
                           tcb.state == toe_defs_pkg::StFinWait1 ||
                           tcb.state == toe_defs_pkg::StFinWait2;
                if (can_take) begin
                  // The model's skip, rest = payload - skip and take = min(rest, room), and
                  // RCV.NXT and the buffer's write offset moved by take, in a form where no carry
                  // chain waits on take: rest is SEG.SEQ + payload - RCV.NXT; RCV.NXT + take is
                  // seq_pay when all fits (rest <= room), else RCV.NXT + room; rx_wr + room is
                  // rx_rd + RxBufBytes (the buffer full).
                  took_text = 1'b1;
                  skip = 16'(tcb.rcv_nxt - seg_seq_i);  // already received part
                  room = wnd;                      // the buffer is as it came
                  rest = seq_pay - tcb.rcv_nxt;
                  fits = rest < room;
                  trim = room < rest;              // take < rest: trimmed at the window
                  take = fits ? rest[15:0] : room[15:0];
                  if (rest != 32'h0 && room != 32'h0) begin  // take != 0
                    payload_d     = 1'b1;
                    payload_off_d = seg_payload_off_i + skip;
                    payload_len_d = take;
                    rx_off_d      = tcb.rx_wr;
                    tcb.rcv_nxt   = trim ? tcb.rcv_nxt + room : seq_pay;
                    tcb.rx_wr     = trim ? tcb.rx_rd + RxBufW : tcb.rx_wr + rest;
                    `TOE_FSM_EVENT(toe_defs_pkg::EvtData, tcb, tcb.rx_wr)
                  end
                  if (trim) in_order = 1'b0;  // trimmed at the window: FIN waits
                  // unacked_segs + 1 (16 bits) >= ack_every, and == 1, tested on unacked_segs as
                  // it came (no carry chain before the compare)
                  if (ack_every_i == 32'h0 || (tcb.unacked_segs != 16'hFFFF && !ack_m1_hi &&
                      tcb.unacked_segs >= ack_m1[15:0]) || trim)
                    need_ack = 1'b1;
                  else if (tcb.unacked_segs == 16'h0)  // TM3: the delayed-ACK timer starts
                    `TOE_FSM_EVENT(toe_defs_pkg::EvtAckDelayed, tcb, 32'h0)
                  tcb.unacked_segs = tcb.unacked_segs + 16'd1;
                end
                // CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT: text after the FIN ignored (FN2).
              end
              // 8. FIN, only when in sequence (FN1): SEG.SEQ + payload = RCV.NXT. After text taken
              // and not trimmed, RCV.NXT is seq_pay already; otherwise RCV.NXT is as it came.
              if (seg_fin && in_order && (took_text || seq_pay == tcb.rcv_nxt) && !tcb.fin_rcvd) begin
                tcb.rcv_nxt  = seq_pay + 32'd1;
                tcb.fin_rcvd = 1'b1;
                need_ack     = 1'b1;
                if (tcb.state == toe_defs_pkg::StEstablished) begin
                  tcb.state = toe_defs_pkg::StCloseWait;
                end else if (tcb.state == toe_defs_pkg::StFinWait1) begin
                  tcb.state = toe_defs_pkg::StClosing;  // FN3: simultaneous close
                end else if (tcb.state == toe_defs_pkg::StFinWait2) begin
                  tcb.state = toe_defs_pkg::StTimeWait;
                  `TOE_FSM_EVENT(toe_defs_pkg::EvtTimeWaitEntered, tcb, 32'h0)
                end
                `TOE_FSM_EVENT(toe_defs_pkg::EvtPeerClosed, tcb, 32'h0)
              end
              if (need_ack) begin
                tcb.unacked_segs = 16'h0;
                `TOE_FSM_REPLY_ACK
              end
              // FN5: ESTABLISHED reached and left within this segment: reported in the trace.
              if (state_after_ack == toe_defs_pkg::StEstablished &&
                  state_in != toe_defs_pkg::StEstablished && tcb.state != state_after_ack)
                via_d = state_after_ack;
                tcb_write_d = 1'b1;
            end
          end
        end
      end
    end else if (cmd_valid_i) begin
      // ================= eval_command =================
      valid_d = 1'b1;
      if (cmd_op_i == toe_defs_pkg::CmdNop) begin
        // nothing
      end else if (cmd_op_i == toe_defs_pkg::CmdListen || cmd_op_i == toe_defs_pkg::CmdUnlisten) begin
        if (listen_match_valid_i) begin
          listen_write_d = 1'b1;
          listen_slot_d  = listen_match_slot_i;
        end else if (cmd_op_i == toe_defs_pkg::CmdListen && listen_free_valid_i) begin
          listen_write_d = 1'b1;
          listen_slot_d  = listen_free_slot_i;
        end else begin
          `TOE_FSM_COUNT(toe_defs_pkg::CntDropOverflow)
        end
        if (listen_write_d) begin
          listen_valid_d = cmd_op_i == toe_defs_pkg::CmdListen;
          listen_port_d  = cmd_port_i;
        end
      end else if (cmd_op_i == toe_defs_pkg::CmdNoRoute) begin
        // a connect by IP address the firmware could not resolve (the event's port: ntcb's, cmd_lport_i)
        `TOE_FSM_EVENT(toe_defs_pkg::EvtTimedOut, tcb_none, cmd_tag_i)
      end else if (cmd_op_i == toe_defs_pkg::CmdConnect || cmd_op_i == toe_defs_pkg::CmdConnectResolved) begin
        // the host's, or the firmware's with the MAC it resolved (ntcb: the SYN-SENT TCB, p_ntcb)
        if (!free_valid_i || !bucket_room_i || lk_hit_i) begin
          `TOE_FSM_EVENT(toe_defs_pkg::EvtConnectFailed, tcb_none, cmd_tag_i)
        end else begin
          conn               = 32'(free_conn_i);
          conn_d             = conn;
          tcb_write_d        = 1'b1;
          index_insert_d     = 1'b1;
          `TOE_FSM_SEND_SYN(1'b0)
          `TOE_FSM_EVENT(toe_defs_pkg::EvtOpened, ntcb, cmd_tag_i)
          `TOE_FSM_EVENT(toe_defs_pkg::EvtRetxArm, ntcb, ntcb.snd_una)
        end
      end else if (cmd_conn_i >= SessionsW || tcb.state == toe_defs_pkg::StClosed) begin
        // per-connection command on no connection
        `TOE_FSM_COUNT(toe_defs_pkg::CntDropNoConn)
      end else begin
        // ---- per-connection commands ----
        conn        = cmd_conn_i;
        conn_d      = conn;
        tcb_write_d = 1'b1;
        case (cmd_op_i)
          toe_defs_pkg::CmdClose: begin
            if (tcb.state == toe_defs_pkg::StSynSent) begin
              `TOE_FSM_CLOSE_CONN(conn, toe_defs_pkg::EvtClosed)
              done = 1'b1;
            end else if (tcb.state == toe_defs_pkg::StSynReceived && tcb.tx_wr != 32'h0) begin
              tcb.fin_pending = 1'b1;  // data queued: FIN after it, once ESTABLISHED
            end else begin
              if (tcb.state == toe_defs_pkg::StSynReceived || tcb.state == toe_defs_pkg::StEstablished) begin
                tcb.state = toe_defs_pkg::StFinWait1;
              end else if (tcb.state == toe_defs_pkg::StCloseWait) begin
                tcb.state = toe_defs_pkg::StLastAck;
              end else begin
                tcb_write_d = 1'b0;
                done        = 1'b1;
              end
              if (!done) begin
                tcb.fin_pending = 1'b1;
                tx_kick_d       = 1'b1;
              end
            end
          end
          toe_defs_pkg::CmdAbort: begin
            if (tcb.state != toe_defs_pkg::StSynSent) `TOE_FSM_RESET_PEER
            `TOE_FSM_CLOSE_CONN(conn, toe_defs_pkg::EvtReset)
            done = 1'b1;
          end
          toe_defs_pkg::CmdTxPush: begin
            // Not past the unacked data by more than the buffer, not behind the old pointer, the
            // unacked data starting at min(SND.UNA - ISS - 1, tx_wr) (C++ unacked_base). The
            // bounds are tested from either start and the minimum's compare chooses: from tx_wr,
            // the pointer cannot be behind it (the distance is unsigned), only too far past it.
            una_base = tcb.snd_una + ~tcb.iss;
            base_tx  = una_base > tcb.tx_wr;
            ahead_u  = cmd_value_i - una_base;
            if ((base_tx ? cmd_value_i - tcb.tx_wr > TxBufW
                         : ahead_u > TxBufW || ahead_u < tcb.tx_wr - una_base) || tcb.fin_pending) begin
              `TOE_FSM_COUNT(toe_defs_pkg::CntDropOverflow)
              tcb_write_d = 1'b0;
              done        = 1'b1;
            end else begin
              tcb.tx_wr = cmd_value_i;
              tx_kick_d = 1'b1;
              // TM4: data queued at a zero window with nothing outstanding: the timer runs (its
              // expiry sends the probe); while it runs, the firmware takes the same value again
              // as no news.
              if (synchronized(tcb.state) && tcb.snd_wnd == 32'h0 && tcb.snd_una == tcb.snd_max &&
                  cmd_value_i != una_base)
                `TOE_FSM_EVENT(toe_defs_pkg::EvtRetxArm, tcb, tcb.snd_una)
            end
          end
          toe_defs_pkg::CmdRxConsume: begin
            if (cmd_value_i - tcb.rx_rd > tcb.rx_wr - tcb.rx_rd) begin  // beyond what was delivered
              `TOE_FSM_COUNT(toe_defs_pkg::CntDropOverflow)
              tcb_write_d = 1'b0;
              done        = 1'b1;
            end else begin
              // Window update when the window opens past min(RCV.BUFF/2, MSS) (receiver SWS
              // avoidance, RFC 9293 3.8.6.2.2): the advertised window (C++ adv_window) before
              // and after, scaled back, against the threshold.
              if (synchronized(tcb.state) &&
                  adv_window_lt(rx_free(tcb.rx_wr, tcb.rx_rd), tcb.rcv_wscale, sws_thresh) &&
                  !adv_window_lt(rx_free(tcb.rx_wr, cmd_value_i), tcb.rcv_wscale, sws_thresh))
                `TOE_FSM_REPLY_ACK
              tcb.rx_rd = cmd_value_i;
            end
          end
          toe_defs_pkg::CmdRetransmit: begin
            if (tcb.state == toe_defs_pkg::StSynSent) begin
              `TOE_FSM_SEND_SYN(1'b0)
            end else if (tcb.state == toe_defs_pkg::StSynReceived) begin
              `TOE_FSM_SEND_SYN(1'b1)
            end else begin
              if (tcb.snd_una != tcb.snd_max) begin
                tcb.snd_nxt = tcb.snd_una;  // go back to SND.UNA
                tx_kick_d   = 1'b1;
              end
              // TM4: a zero window with data queued: a probe of one byte (also with data
              // outstanding beyond the window, whose window update may have been lost)
              if (tcb.snd_wnd == 32'h0 && tcb.tx_wr != tcb.snd_una - tcb.iss - 32'd1) begin
                tcb.probe   = 1'b1;
                tcb.probing = 1'b1;
                tx_kick_d   = 1'b1;
              end
            end
            tcb.last_tx_cycle = cycle_i;
          end
          toe_defs_pkg::CmdTimeWaitExpire: begin
            if (tcb.state == toe_defs_pkg::StTimeWait) begin
              `TOE_FSM_CLOSE_CONN(conn, toe_defs_pkg::EvtClosed)
              done = 1'b1;
            end else begin
              tcb_write_d = 1'b0;
            end
          end
          toe_defs_pkg::CmdGiveUp: begin
            if (synchronized(tcb.state)) `TOE_FSM_RESET_PEER
            `TOE_FSM_CLOSE_CONN(conn, toe_defs_pkg::EvtTimedOut)
            done = 1'b1;
          end
          toe_defs_pkg::CmdKeepalive: begin  // RFC 9293 3.8.4: <SEQ=SND.UNA-1><ACK=RCV.NXT><CTL=ACK>
            if (tcb.state == toe_defs_pkg::StEstablished || tcb.state == toe_defs_pkg::StCloseWait) begin
              rsp_valid_d = 1'b1;
              rsp_kind    = RspKeepalive;
              tcb.probing = 1'b1;
            end else begin
              tcb_write_d = 1'b0;
            end
          end
          toe_defs_pkg::CmdSendAck: begin  // delayed-ACK timer expired: ACK if still owed
            if (synchronized(tcb.state) && tcb.unacked_segs != 16'h0) begin
              tcb.unacked_segs = 16'h0;
              `TOE_FSM_REPLY_ACK
            end
          end
          default: begin
            tcb_write_d = 1'b0;
          end
        endcase
      end
    end
  end

`undef TOE_FSM_COUNT
`undef TOE_FSM_EVENT
`undef TOE_FSM_REPLY_ACK
`undef TOE_FSM_RESET_PEER
`undef TOE_FSM_SEND_SYN
`undef TOE_FSM_REPLY_RST
`undef TOE_FSM_CLOSE_CONN
`undef TOE_FSM_CHALLENGE_ACK

  // ---- the TCB written, built once from the decision's TCB -----------------------------
  // The result writes ntcb for a new connection (index_insert_d: a SYN in LISTEN, a connect),
  // else the connection's TCB as the decision left it, with the challenge-ACK stamp when one is
  // sent. With tcb_write_d and index_insert_d 0, tcb_d is not the model's (FsmResult's default
  // TCB), and only the response (p_rsp) reads it.
  always_comb begin : p_result
    tcb_d = index_insert_d ? ntcb : tcb;
    if (chal_token_used_d) begin
      tcb_d.chal_sent  = 1'b1;
      tcb_d.chal_cycle = cycle_i;
    end
    // The events: {type, conn, value, lport, state} (evt_t), conn and lport the result's.
    for (int k = 0; k < toe_fsm_pkg::MaxEvents; k++) begin
      evt_d[k*toe_fsm_pkg::EvtW +: toe_fsm_pkg::EvtW] =
          {evn_d[k*EvnW + toe_fsm_pkg::StateW + 32 +: toe_fsm_pkg::EvtTypeW], conn_d,
           evn_d[k*EvnW + toe_fsm_pkg::StateW +: 32],
           (index_insert_d || (conn_d == toe_fsm_pkg::NoConn && !seg_valid_i)) ? ntcb.lport
           : (conn_d == toe_fsm_pkg::NoConn) ? 16'h0 : tcb.lport,
           evn_d[k*EvnW +: toe_fsm_pkg::StateW]};
    end
  end

  // ---- the registered result (C++ TcpFsm::commit: q_valid = d_valid; q = d) ------------
  logic                                valid_q;
  logic                                tcb_write_q;
  logic [31:0]                         conn_q;
  toe_fsm_pkg::tcb_t                   tcb_q;
  logic                                index_insert_q;
  logic                                free_conn_q;
  logic                                rsp_valid_q;
  logic [2:0]                          rsp_kind_q;
  logic [15:0]                         rsp_mss_q;    // mss_i when decided (a SYN's MSS option)
  logic [47:0]                         rst_mac_q;    // a RST to the segment's sender: its MAC, IP, ports,
  logic [31:0]                         rst_ip_q;     // and SEG.ACK (<SEQ=SEG.ACK><CTL=RST>) or
  logic [15:0]                         rst_sport_q;  // SEG.SEQ + SEG.LEN (<SEQ=0><ACK=SEG.SEQ+SEG.LEN>
  logic [15:0]                         rst_dport_q;  // <CTL=RST,ACK>)
  logic [31:0]                         rst_num_q;
  toe_fsm_pkg::txreq_t                 rsp_q;        // the response, built from the above (p_rsp)
  logic [toe_fsm_pkg::NEvtW-1:0]       n_evt_q;
  logic [toe_fsm_pkg::MaxEvents*toe_fsm_pkg::EvtW-1:0] evt_q;
  logic [toe_defs_pkg::StateW-1:0]      via_q;
  logic                                payload_q;
  logic [toe_fsm_pkg::SlotW-1:0]       slot_q;
  logic [15:0]                         payload_off_q;
  logic [15:0]                         payload_len_q;
  logic [31:0]                         rx_off_q;
  logic                                release_slot_q;
  logic                                tx_kick_q;
  logic                                half_open_add_q;
  logic                                half_open_done_q;
  logic [31:0]                         evict_conn_q;
  logic [toe_defs_pkg::CntW-1:0]        count0_q, count1_q;
  logic                                chal_token_used_q;
  logic                                listen_write_q;
  logic [15:0]                         listen_slot_q;
  logic                                listen_valid_q;
  logic [15:0]                         listen_port_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) valid_q <= 1'b0;
    else         valid_q <= valid_d;
  end

  // The result's fields need no reset: they are read only with q_valid_o.
  always_ff @(posedge clk_i) begin
    if (valid_d) begin
      tcb_write_q       <= tcb_write_d;
      conn_q            <= conn_d;
      tcb_q             <= tcb_d;
      index_insert_q    <= index_insert_d;
      free_conn_q       <= free_conn_d;
      rsp_valid_q       <= rsp_valid_d;
      rsp_kind_q        <= rsp_kind;
      rsp_mss_q         <= mss_i;
      rst_mac_q         <= seg_smac_i;
      rst_ip_q          <= seg_sip_i;
      rst_sport_q       <= seg_dport_i;
      rst_dport_q       <= seg_sport_i;
      rst_num_q         <= (rsp_kind == RspRstAckSeg) ? seg_seq_i + seg_len : seg_ack_i;
      n_evt_q           <= n_evt_d;
      evt_q             <= evt_d;
      via_q             <= via_d;
      payload_q         <= payload_d;
      slot_q            <= slot_d;
      payload_off_q     <= payload_off_d;
      payload_len_q     <= payload_len_d;
      rx_off_q          <= rx_off_d;
      release_slot_q    <= release_slot_d;
      tx_kick_q         <= tx_kick_d;
      half_open_add_q   <= half_open_add_d;
      half_open_done_q  <= half_open_done_d;
      evict_conn_q      <= evict_conn_d;
      count0_q          <= count0_d;
      count1_q          <= count1_d;
      chal_token_used_q <= chal_token_used_d;
      listen_write_q    <= listen_write_d;
      listen_slot_q     <= listen_slot_d;
      listen_valid_q    <= listen_valid_d;
      listen_port_q     <= listen_port_d;
    end
  end

  // ---- the response, built from the registered result (C++ respond_on, reply_ack, reset_peer,
  // send_syn, reply_rst: the TxReq of FsmResult q) --------------------------------------------
  // A response on the connection reads the TCB the result writes (tcb_q: ntcb for a new
  // connection, else the connection's as the decision left it; not its challenge-ACK fields),
  // a RST to a segment's sender the segment's fields registered with it. Built after the
  // register, its window's subtractions, shift and saturation are not on the decision's path;
  // the result has no combinational response (res_*), as nothing reads one in the cycle it is
  // decided (toe_tcb_update pushes q_rsp_o).
  always_comb begin : p_rsp
    rsp_q        = '0;
    rsp_q.conn   = conn_q;
    rsp_q.dmac   = tcb_q.rmac;
    rsp_q.dip    = tcb_q.rip;
    rsp_q.sport  = tcb_q.lport;
    rsp_q.dport  = tcb_q.rport;
    rsp_q.seq    = tcb_q.snd_nxt;
    rsp_q.ack    = tcb_q.rcv_nxt;
    rsp_q.flags  = toe_fsm_pkg::FlagAck;
    rsp_q.window = adv_window(tcb_q.rx_wr, tcb_q.rx_rd, tcb_q.rcv_wscale);
    case (rsp_kind_q)
      RspRstPeer: begin
        rsp_q.ack    = 32'h0;
        rsp_q.flags  = toe_fsm_pkg::FlagRst;
        rsp_q.window = 16'h0;
      end
      RspSyn, RspSynAck: begin
        rsp_q.seq     = tcb_q.iss;
        if (rsp_kind_q == RspSyn) rsp_q.ack = 32'h0;
        rsp_q.flags   = toe_fsm_pkg::FlagSyn | ((rsp_kind_q == RspSynAck) ? toe_fsm_pkg::FlagAck : 8'h0);
        rsp_q.window  = sat16(rx_free(tcb_q.rx_wr, tcb_q.rx_rd));
        rsp_q.opt_mss = 1'b1;
        rsp_q.mss     = rsp_mss_q;
        rsp_q.opt_ws  = tcb_q.ws_ok;
        rsp_q.wscale  = tcb_q.rcv_wscale;
      end
      RspKeepalive: rsp_q.seq = tcb_q.snd_una - 32'd1;
      RspRstSeg, RspRstAckSeg: begin
        rsp_q.conn   = toe_fsm_pkg::NoConn;
        rsp_q.dmac   = rst_mac_q;
        rsp_q.dip    = rst_ip_q;
        rsp_q.sport  = rst_sport_q;
        rsp_q.dport  = rst_dport_q;
        rsp_q.seq    = (rsp_kind_q == RspRstAckSeg) ? 32'h0 : rst_num_q;
        rsp_q.ack    = (rsp_kind_q == RspRstAckSeg) ? rst_num_q : 32'h0;
        rsp_q.flags  = toe_fsm_pkg::FlagRst | ((rsp_kind_q == RspRstAckSeg) ? toe_fsm_pkg::FlagAck : 8'h0);
        rsp_q.window = 16'h0;
      end
      default: ;
    endcase
  end

  assign res_valid_o           = valid_d;
  assign res_tcb_write_o       = tcb_write_d;
  assign res_conn_o            = conn_d;
  assign res_tcb_o             = tcb_d;
  assign res_index_insert_o    = index_insert_d;
  assign res_free_conn_o       = free_conn_d;
  assign res_rsp_valid_o       = rsp_valid_d;
  assign res_n_evt_o           = n_evt_d;
  assign res_evt_o             = evt_d;
  assign res_via_o             = via_d;
  assign res_payload_o         = payload_d;
  assign res_slot_o            = slot_d;
  assign res_payload_off_o     = payload_off_d;
  assign res_payload_len_o     = payload_len_d;
  assign res_rx_off_o          = rx_off_d;
  assign res_release_slot_o    = release_slot_d;
  assign res_tx_kick_o         = tx_kick_d;
  assign res_half_open_add_o   = half_open_add_d;
  assign res_half_open_done_o  = half_open_done_d;
  assign res_evict_conn_o      = evict_conn_d;
  assign res_count_o           = {count1_d, count0_d};
  assign res_chal_token_used_o = chal_token_used_d;
  assign res_listen_write_o    = listen_write_d;
  assign res_listen_slot_o     = listen_slot_d;
  assign res_listen_valid_o    = listen_valid_d;
  assign res_listen_port_o     = listen_port_d;

  assign q_valid_o             = valid_q;
  assign q_tcb_write_o         = tcb_write_q;
  assign q_conn_o              = conn_q;
  assign q_tcb_o               = tcb_q;
  assign q_index_insert_o      = index_insert_q;
  assign q_free_conn_o         = free_conn_q;
  assign q_rsp_valid_o         = rsp_valid_q;
  assign q_rsp_o               = rsp_q;
  assign q_n_evt_o             = n_evt_q;
  assign q_evt_o               = evt_q;
  assign q_via_o               = via_q;
  assign q_payload_o           = payload_q;
  assign q_slot_o              = slot_q;
  assign q_payload_off_o       = payload_off_q;
  assign q_payload_len_o       = payload_len_q;
  assign q_rx_off_o            = rx_off_q;
  assign q_release_slot_o      = release_slot_q;
  assign q_tx_kick_o           = tx_kick_q;
  assign q_half_open_add_o     = half_open_add_q;
  assign q_half_open_done_o    = half_open_done_q;
  assign q_evict_conn_o        = evict_conn_q;
  assign q_count_o             = {count1_q, count0_q};
  assign q_chal_token_used_o   = chal_token_used_q;
  assign q_listen_write_o      = listen_write_q;
  assign q_listen_slot_o       = listen_slot_q;
  assign q_listen_valid_o      = listen_valid_q;
  assign q_listen_port_o       = listen_port_q;

endmodule
