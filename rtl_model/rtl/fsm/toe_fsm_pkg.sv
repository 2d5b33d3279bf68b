// Types and codes of toe_tcp_fsm, the SystemVerilog twin of the C++ declarations in
// rtl_model/model/tcb.hpp (Tcb), tables.hpp (TxReq), toe_types.hpp (CmdOp, EvtType,
// Counter, Event) and rtl_model/include/toe/tcp_state.hpp (TcpState). Every numeric
// value equals the C++ one: the lockstep test (tests/lockstep/fsm) compares them bit
// for bit. Field widths are those of the C++ members, so a TCB read from the model
// packs into tcb_t without loss.
//
// Written for yosys 0.23 as well as Verilator: localparams and packed structs only,
// referenced as toe_fsm_pkg::Name (no import, no functions).
package toe_fsm_pkg;

  // ---- connection ids ------------------------------------------------------------
  // Connection ids leave the fsm as 32 bits, as in the model: NoConn (C++ kNoConn)
  // marks "no connection" (replies to segments without one, connect failures).
  localparam int unsigned ConnW  = 32;
  localparam logic [31:0] NoConn = 32'hFFFF_FFFF;

  // Frame slots between rx_parse and tcb_update (C++ kMaxRxSlots = 16): slot number width.
  localparam int unsigned SlotW = 4;

  // ---- RFC 9293 states (toe::TcpState) --------------------------------------------
  localparam int unsigned StateW = 4;
  localparam logic [StateW-1:0] StClosed      = 4'd0;
  localparam logic [StateW-1:0] StListen      = 4'd1;
  localparam logic [StateW-1:0] StSynSent     = 4'd2;
  localparam logic [StateW-1:0] StSynReceived = 4'd3;
  localparam logic [StateW-1:0] StEstablished = 4'd4;
  localparam logic [StateW-1:0] StFinWait1    = 4'd5;
  localparam logic [StateW-1:0] StFinWait2    = 4'd6;
  localparam logic [StateW-1:0] StCloseWait   = 4'd7;
  localparam logic [StateW-1:0] StClosing     = 4'd8;
  localparam logic [StateW-1:0] StLastAck     = 4'd9;
  localparam logic [StateW-1:0] StTimeWait    = 4'd10;

  // ---- commands (CmdOp); codes 12..15 are no command: refused like a bad conn -----
  localparam int unsigned CmdOpW = 4;
  localparam logic [CmdOpW-1:0] CmdNop            = 4'd0;
  localparam logic [CmdOpW-1:0] CmdListen         = 4'd1;
  localparam logic [CmdOpW-1:0] CmdUnlisten       = 4'd2;
  localparam logic [CmdOpW-1:0] CmdConnect        = 4'd3;
  localparam logic [CmdOpW-1:0] CmdClose          = 4'd4;
  localparam logic [CmdOpW-1:0] CmdAbort          = 4'd5;
  localparam logic [CmdOpW-1:0] CmdTxPush         = 4'd6;
  localparam logic [CmdOpW-1:0] CmdRxConsume      = 4'd7;
  localparam logic [CmdOpW-1:0] CmdRetransmit     = 4'd8;
  localparam logic [CmdOpW-1:0] CmdTimeWaitExpire = 4'd9;
  localparam logic [CmdOpW-1:0] CmdGiveUp         = 4'd10;
  localparam logic [CmdOpW-1:0] CmdSendAck        = 4'd11;

  // ---- events (EvtType) -------------------------------------------------------------
  localparam int unsigned EvtTypeW = 4;
  localparam logic [EvtTypeW-1:0] EvtConnected       = 4'd1;
  localparam logic [EvtTypeW-1:0] EvtAccepted        = 4'd2;
  localparam logic [EvtTypeW-1:0] EvtData            = 4'd3;
  localparam logic [EvtTypeW-1:0] EvtAcked           = 4'd4;
  localparam logic [EvtTypeW-1:0] EvtPeerClosed      = 4'd5;
  localparam logic [EvtTypeW-1:0] EvtClosed          = 4'd6;
  localparam logic [EvtTypeW-1:0] EvtReset           = 4'd7;
  localparam logic [EvtTypeW-1:0] EvtTimedOut        = 4'd8;
  localparam logic [EvtTypeW-1:0] EvtConnectFailed   = 4'd9;
  localparam logic [EvtTypeW-1:0] EvtTimeWaitEntered = 4'd10;
  localparam logic [EvtTypeW-1:0] EvtRetxArm         = 4'd11;
  localparam logic [EvtTypeW-1:0] EvtRetxDisarm      = 4'd12;
  localparam logic [EvtTypeW-1:0] EvtOpened          = 4'd13;
  localparam logic [EvtTypeW-1:0] EvtSynDropped      = 4'd14;
  localparam logic [EvtTypeW-1:0] EvtAckDelayed      = 4'd15;

  // Events one result can carry (C++ kMaxEventsPerResult) and the width of their count.
  localparam int unsigned MaxEvents = 6;
  localparam int unsigned NEvtW     = 3;

  // ---- counters (Counter); CntNone is kCount: "no counter" ---------------------------
  localparam int unsigned CntW = 5;
  localparam logic [CntW-1:0] CntFramesIn           = 5'd0;
  localparam logic [CntW-1:0] CntFramesOut          = 5'd1;
  localparam logic [CntW-1:0] CntDropBadCsum        = 5'd2;
  localparam logic [CntW-1:0] CntDropMalformed      = 5'd3;
  localparam logic [CntW-1:0] CntDropNotForUs       = 5'd4;
  localparam logic [CntW-1:0] CntDropNoConn         = 5'd5;
  localparam logic [CntW-1:0] CntDropFragment       = 5'd6;
  localparam logic [CntW-1:0] CntDropOverflow       = 5'd7;
  localparam logic [CntW-1:0] CntChallengeAcks      = 5'd8;
  localparam logic [CntW-1:0] CntRstSent            = 5'd9;
  localparam logic [CntW-1:0] CntDropMacError       = 5'd10;
  localparam logic [CntW-1:0] CntDropUnacceptable   = 5'd11;
  localparam logic [CntW-1:0] CntChallengeAckLimited = 5'd12;
  localparam logic [CntW-1:0] CntSynDropped         = 5'd13;
  localparam logic [CntW-1:0] CntHalfOpenEvicted    = 5'd14;
  localparam logic [CntW-1:0] CntEventsDropped      = 5'd15;
  localparam logic [CntW-1:0] CntArpIn              = 5'd16;
  localparam logic [CntW-1:0] CntNone               = 5'd17;

  // ---- TCP flag bits (byte 13 of the header) ------------------------------------------
  localparam logic [7:0] FlagFin = 8'h01;
  localparam logic [7:0] FlagSyn = 8'h02;
  localparam logic [7:0] FlagRst = 8'h04;
  localparam logic [7:0] FlagPsh = 8'h08;
  localparam logic [7:0] FlagAck = 8'h10;

  // MSS assumed when a SYN carries none (RFC 9293 3.7.1), and the largest shift (RFC 7323).
  localparam logic [15:0] DefaultMss = 16'd536;
  localparam logic [7:0]  MaxWscale  = 8'd14;

  // ---- the transmission control block (C++ Tcb), RFC 9293 names -------------------------
  // Running byte counts (rx_wr, rx_rd, tx_wr) are mod 2^32 like the sequence numbers.
  typedef struct packed {
    logic [StateW-1:0] state;
    logic        passive;       // opened from LISTEN (MUST-11)
    logic [31:0] rip;
    logic [15:0] rport;
    logic [15:0] lport;
    logic [47:0] rmac;          // first byte on the wire in bits [47:40]
    logic [31:0] iss;
    logic [31:0] snd_una;
    logic [31:0] snd_nxt;
    logic [31:0] snd_wnd;
    logic [31:0] snd_wl1;
    logic [31:0] snd_wl2;
    logic [31:0] max_snd_wnd;   // largest window offered by the peer (RFC 5961 5.2)
    logic [31:0] irs;
    logic [31:0] rcv_nxt;
    logic [15:0] snd_mss;
    logic [7:0]  snd_wscale;
    logic [7:0]  rcv_wscale;
    logic        ws_ok;
    logic        fin_pending;
    logic        fin_rcvd;
    logic        probe;
    logic [31:0] rx_wr;
    logic [31:0] rx_rd;
    logic [31:0] tx_wr;
    logic [63:0] last_tx_cycle;
    logic [63:0] chal_cycle;
    logic        chal_sent;
    logic [15:0] unacked_segs;
    logic [31:0] tag;
  } tcb_t;
  localparam int unsigned TcbW = 714;

  // ---- a segment to send (C++ TxReq) -----------------------------------------------------
  typedef struct packed {
    logic [31:0] conn;          // NoConn: reply to a segment without a connection
    logic [47:0] dmac;
    logic [31:0] dip;
    logic [15:0] sport;         // local
    logic [15:0] dport;         // remote
    logic [31:0] seq;
    logic [31:0] ack;
    logic [7:0]  flags;
    logic [15:0] window;
    logic        opt_mss;
    logic        opt_ws;
    logic [15:0] mss;
    logic [7:0]  wscale;
    logic [31:0] payload_len;   // data segments only (tx_arbiter); 0 from the fsm
    logic [31:0] payload_off;
  } txreq_t;
  localparam int unsigned TxReqW = 322;

  // ---- an event (C++ Event) ----------------------------------------------------------------
  typedef struct packed {
    logic [EvtTypeW-1:0] evt_type;
    logic [31:0]         conn;
    logic [31:0]         value;
    logic [15:0]         lport;
    logic [StateW-1:0]   state;  // state after the transition
  } evt_t;
  localparam int unsigned EvtW = 88;

endpackage
