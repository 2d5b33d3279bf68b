// SPDX-License-Identifier: Apache-2.0
// toe_tx_arbiter: when tx_build can take a frame, picks (in priority order) a
// control response from the response queue or the next connection with data
// (or a FIN) to send, segmented to min(SND.MSS, usable window). Twin of the
// C++ class toe::model::TxArbiter (rtl_model/model/tx/tx_arbiter.hpp/.cpp). Latency 1.
//
// The decision is combinational on the tables' current state (toe_top reads
// the queue heads and the TCB of the ready queue's head); toe_top applies the
// writes (pop_rsp_o, pop_ready_o/requeue_o, the TCB write wr_*, the retx_arm
// event) in the model's commit order. q_* is the request handed to tx_build
// the next cycle (valid for one cycle).
module toe_tx_arbiter #(
  parameter int unsigned Sessions   = 16,
  parameter int unsigned RxBufBytes = 16384,
  parameter int unsigned TxBufBytes = 16384,
  localparam int unsigned IdxW      = (Sessions > 1) ? $clog2(Sessions) : 1
) (
  input  logic                           clk_i,
  input  logic                           rst_ni,

  input  logic                           build_ready_i,  // tx_build ready and no request registered
  input  logic [31:0]                    fsm_conn_i,     // the TCB tcp_fsm writes this cycle (NoConn: none)
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
  output logic                           retx_arm_o,     // push a retx_arm event (value SND.UNA)

  output logic                           q_valid_o,
  output logic [toe_fsm_pkg::TxReqW-1:0] q_o
);

  localparam logic [31:0] RxBufW = 32'(RxBufBytes);
  localparam logic [31:0] TxMask = 32'(TxBufBytes) - 32'd1;

  toe_fsm_pkg::tcb_t tcb;

  toe_fsm_pkg::tcb_t wtcb;
  toe_fsm_pkg::txreq_t req;
  logic                d_valid;
  logic [31:0]         data_end, avail, wnd_end, room, len, rx_free, win;
  logic                probe, fin, active;

  assign tcb = tcb_i;

  always_comb begin
    d_valid     = 1'b0;
    pop_rsp_o   = 1'b0;
    pop_ready_o = 1'b0;
    requeue_o   = 1'b0;
    wr_o        = 1'b0;
    retx_arm_o  = 1'b0;
    req         = '0;
    wtcb        = tcb;
    probe       = 1'b0;
    data_end    = tcb.iss + 32'd1 + tcb.tx_wr;
    avail       = toe_seq_pkg::seq_lt(tcb.snd_nxt, data_end) ? data_end - tcb.snd_nxt : 32'd0;
    wnd_end     = tcb.snd_una + tcb.snd_wnd;
    room        = toe_seq_pkg::seq_lt(tcb.snd_nxt, wnd_end) ? wnd_end - tcb.snd_nxt : 32'd0;
    len         = avail;
    if (room < len) len = room;
    if ({16'h0, tcb.snd_mss} < len) len = {16'h0, tcb.snd_mss};
    if (len == 32'd0 && avail != 32'd0 && tcb.probe) begin
      len   = 32'd1;
      probe = 1'b1;
    end
    fin     = tcb.fin_pending && (tcb.snd_nxt + len == data_end);
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
        if (active && (len != 32'd0 || fin)) begin
          d_valid          = 1'b1;
          req.conn         = 32'(ready_conn_i);
          req.dmac         = tcb.rmac;
          req.dip          = tcb.rip;
          req.sport        = tcb.lport;
          req.dport        = tcb.rport;
          req.seq          = tcb.snd_nxt;
          req.ack          = tcb.rcv_nxt;
          req.flags        = toe_fsm_pkg::FlagAck | (fin ? toe_fsm_pkg::FlagFin : 8'h0) |
                             ((len != 32'd0 && len == avail) ? toe_fsm_pkg::FlagPsh : 8'h0);
          req.window       = (win > 32'h0000_FFFF) ? 16'hFFFF : win[15:0];
          req.payload_len  = len;
          req.payload_off  = (tcb.snd_nxt - tcb.iss - 32'd1) & TxMask;
          wr_o             = 1'b1;
          retx_arm_o       = tcb.snd_una == tcb.snd_max;  // nothing outstanding: a new flight
          wtcb.snd_nxt     = tcb.snd_nxt + len + (fin ? 32'd1 : 32'd0);
          if (toe_seq_pkg::seq_gt(wtcb.snd_nxt, tcb.snd_max)) wtcb.snd_max = wtcb.snd_nxt;
          wtcb.unacked_segs = 16'd0;  // the segment carries the ACK
          wtcb.last_tx_cycle = cycle_i;
          if (probe) wtcb.probe = 1'b0;
          requeue_o        = !probe && avail > len && room > len;
        end
      end
    end
  end

  assign wr_tcb_o = wtcb;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      q_valid_o <= 1'b0;
      q_o       <= '0;
    end else begin
      q_valid_o <= d_valid;
      if (d_valid) q_o <= req;
    end
  end

endmodule
