// SPDX-License-Identifier: Apache-2.0
// toe_tx_arbiter: when tx_build can take a frame, picks (in priority order) a
// control response from the response queue or the next connection with data
// (or a FIN) to send, segmented to min(SND.MSS, usable window). Twin of the
// C++ class toe::model::TxArbiter (rtl_model/model/tx/tx_arbiter.hpp/.cpp). Latency 1.
//
// The decision is combinational on the tables' current state (toe_top reads
// the queue heads and the TCB of the ready queue's head); toe_top applies the
// writes (pop_rsp_o, pop_ready_o/requeue_o, the TCB write wr_*) in the model's
// commit order. q_* is the request handed to tx_build the next cycle (valid for
// one cycle); retx_* the retransmission-arm event of that cycle's TCB write
// (a segment sent with nothing outstanding), registered with it and pushed by
// toe_tables the next cycle (C++ TxArbiter::retx), so that the event queue's
// write does not wait on the choice.
module toe_tx_arbiter #(
  parameter int unsigned Sessions   = 16,
  parameter int unsigned RxBufBytes = 16384,
  parameter int unsigned TxBufBytes = 16384,
  localparam int unsigned IdxW      = (Sessions > 1) ? $clog2(Sessions) : 1
) (
  input  logic                           clk_i,
  input  logic                           rst_ni,

  input  logic                           build_ready_i,  // tx_build ready and no request registered
  input  logic [31:0]                    fsm_conn_i,     // the TCB tcp_fsm decides for this cycle, written or not (NoConn: none)
  input  logic [63:0]                    cycle_i,

  input  logic                           rsp_valid_i,    // response queue not empty
  input  logic [toe_fsm_pkg::TxReqW-1:0] rsp_front_i,
  input  logic                           ready_valid_i,  // ready queue not empty
  input  logic [IdxW-1:0]                ready_conn_i,   // its head
  input  logic [toe_fsm_pkg::TcbW-1:0]   tcb_i,          // TCB of ready_conn_i

  output logic                           pop_rsp_o,
  output logic                           pop_ready_o,
  output logic                           requeue_o,      // push ready_conn_i back (more to send)
  output logic                           wr_o,           // write wr_tcb_o to TCB ready_conn_i
  output logic [toe_fsm_pkg::TcbW-1:0]   wr_tcb_o,
  output logic                           retx_valid_o,   // the retx_arm event of the cycle before's write:
  output logic [IdxW-1:0]                retx_conn_o,    //   its connection, SND.UNA (the event's value),
  output logic [31:0]                    retx_una_o,     //   local port and state
  output logic [15:0]                    retx_lport_o,
  output logic [toe_defs_pkg::StateW-1:0] retx_state_o,

  output logic                           q_valid_o,
  output logic [toe_fsm_pkg::TxReqW-1:0] q_o
);

  localparam logic [31:0] RxBufW = 32'(RxBufBytes);
  localparam logic [31:0] TxMask = 32'(TxBufBytes) - 32'd1;

  toe_fsm_pkg::tcb_t tcb;

  toe_fsm_pkg::tcb_t wtcb;
  toe_fsm_pkg::txreq_t req;
  logic                d_valid;
  logic                retx_arm;  // the TCB write arms the retransmission timer (C++ ArbWrite::retx_arm)
  logic [31:0]         data_end, data_end1, avail, wnd_end, room, mss, len, rx_free, win;
  logic [31:0]         nxt, nxt_mss, nxt_one;
  logic                probe, fin, active, lt_a, lt_r, a_le_r, a_le_m, r_le_m, len_avail, len_nz,
                       to_end, sends;

  assign tcb = tcb_i;

  // The model's decision (TxArbiter::eval) arranged so that no carry chain waits on the segment
  // length: len = min(avail, room, SND.MSS) (a probe: 1) is chosen by three compares run side by
  // side, and what depends on len is derived from those compares and from sums formed beside
  // them, not from len itself (the model adds and compares in series):
  //   len == avail  <=>  avail <= room && avail <= SND.MSS (avail > 0; a probe: avail == 1);
  //   SND.NXT + len is data_end, wnd_end, SND.NXT + SND.MSS or SND.NXT + 1 (each summed
  //   beside the compares), data_end + 1 with the FIN;
  //   more to send after it (requeue)  <=>  SND.MSS < avail && SND.MSS < room (no probe).
  // avail and room are 0 unless SND.NXT is before data_end (wnd_end): then avail (room) > 0.
  always_comb begin
    d_valid     = 1'b0;
    pop_rsp_o   = 1'b0;
    pop_ready_o = 1'b0;
    requeue_o   = 1'b0;
    wr_o        = 1'b0;
    retx_arm    = 1'b0;
    req         = '0;
    wtcb        = tcb;
    // data_end = ISS + 1 + tx_wr and data_end + 1, each one adder
    data_end    = 32'(({1'b0, tcb.iss, 1'b1} + {1'b0, tcb.tx_wr, 1'b1}) >> 1);
    data_end1   = tcb.iss + tcb.tx_wr + 32'd2;
    lt_a        = toe_seq_pkg::seq_lt(tcb.snd_nxt, data_end);
    avail       = lt_a ? data_end - tcb.snd_nxt : 32'd0;
    wnd_end     = tcb.snd_una + tcb.snd_wnd;
    lt_r        = toe_seq_pkg::seq_lt(tcb.snd_nxt, wnd_end);
    room        = lt_r ? wnd_end - tcb.snd_nxt : 32'd0;
    mss         = {16'h0, tcb.snd_mss};
    nxt_mss     = tcb.snd_nxt + mss;
    nxt_one     = tcb.snd_nxt + 32'd1;
    a_le_r      = avail <= room;
    a_le_m      = avail <= mss;
    r_le_m      = room <= mss;
    len_avail   = a_le_r && a_le_m;  // avail is the least of the three: len == avail
    len_nz      = lt_a && lt_r && mss != 32'd0;
    probe       = !len_nz && lt_a && tcb.probe;
    // the segment reaches data_end (len == avail, avail > 0), where the FIN may follow
    to_end      = lt_a && (probe ? avail == 32'd1 : len_avail);
    fin         = tcb.fin_pending && (lt_a ? to_end : tcb.snd_nxt == data_end);
    if (probe)                 len = 32'd1;
    else if (!len_nz)          len = 32'd0;
    else if (len_avail)        len = avail;
    else if (r_le_m)           len = room;
    else                       len = mss;
    if (fin)                   nxt = data_end1;
    else if (probe)            nxt = nxt_one;
    else if (len_avail)        nxt = data_end;  // (no len, no FIN: nothing sent, nxt unused)
    else if (r_le_m)           nxt = wnd_end;
    else                       nxt = nxt_mss;
    sends   = len_nz || probe || fin;
    rx_free = RxBufW - (tcb.rx_wr - tcb.rx_rd);
    win     = rx_free >> tcb.rcv_wscale;
    active  = tcb.state == toe_defs_pkg::StEstablished || tcb.state == toe_defs_pkg::StCloseWait ||
              tcb.state == toe_defs_pkg::StFinWait1 || tcb.state == toe_defs_pkg::StClosing ||
              tcb.state == toe_defs_pkg::StLastAck;
    if (build_ready_i) begin
      if (rsp_valid_i) begin  // control responses first
        d_valid   = 1'b1;
        pop_rsp_o = 1'b1;
        req       = rsp_front_i;
      end else if (ready_valid_i && fsm_conn_i != 32'(ready_conn_i)) begin
        // (the head's TCB is being written by tcp_fsm this cycle: try again next cycle)
        pop_ready_o = 1'b1;
        if (active && sends) begin
          d_valid          = 1'b1;
          req.conn         = 32'(ready_conn_i);
          req.dmac         = tcb.rmac;
          req.dip          = tcb.rip;
          req.sport        = tcb.lport;
          req.dport        = tcb.rport;
          req.seq          = tcb.snd_nxt;
          req.ack          = tcb.rcv_nxt;
          req.flags        = toe_fsm_pkg::FlagAck | (fin ? toe_fsm_pkg::FlagFin : 8'h0) |
                             (to_end ? toe_fsm_pkg::FlagPsh : 8'h0);
          req.window       = (win > 32'h0000_FFFF) ? 16'hFFFF : win[15:0];
          req.payload_len  = len;
          req.payload_off  = (tcb.snd_nxt - tcb.iss - 32'd1) & TxMask;
          wr_o             = 1'b1;
          retx_arm         = tcb.snd_una == tcb.snd_max;  // nothing outstanding: a new flight
          wtcb.snd_nxt     = nxt;
          if (toe_seq_pkg::seq_gt(nxt, tcb.snd_max)) wtcb.snd_max = nxt;
          wtcb.unacked_segs = 16'd0;  // the segment carries the ACK
          wtcb.last_tx_cycle = cycle_i;
          if (probe) wtcb.probe = 1'b0;
          requeue_o        = !probe && !a_le_m && !r_le_m;  // SND.MSS < avail, SND.MSS < room
        end
      end
    end
  end

  assign wr_tcb_o = wtcb;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      q_valid_o    <= 1'b0;
      q_o          <= '0;
      retx_valid_o <= 1'b0;
      retx_conn_o  <= '0;
      retx_una_o   <= '0;
      retx_lport_o <= '0;
      retx_state_o <= '0;
    end else begin
      q_valid_o    <= d_valid;
      if (d_valid) q_o <= req;
      retx_valid_o <= wr_o && retx_arm;
      if (wr_o && retx_arm) begin
        retx_conn_o  <= ready_conn_i;
        retx_una_o   <= wtcb.snd_una;
        retx_lport_o <= wtcb.lport;
        retx_state_o <= wtcb.state;
      end
    end
  end

endmodule
