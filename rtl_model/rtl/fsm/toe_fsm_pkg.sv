// SPDX-License-Identifier: Apache-2.0
// Types of the decision segment (fsm/), the SystemVerilog twin of the C++ declarations in
// rtl_model/model/fsm/fsm_pkg.hpp (Tcb, TxReq) and toe_types.hpp (Event). Every numeric
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

  // The states, command opcodes, event types and counter numbers are generated from
  // rtl_model/regmap/toe_defs.toml into toe_defs_pkg (toe_defs_pkg::StClosed, CmdListen,
  // EvtData, CntDropNoConn, ...), shared with the C++ model, the firmware and the driver.
  // The two widths the structs below need are repeated here because yosys 0.23 does not take
  // a reference to another package inside a package; toe_tcp_fsm checks at elaboration that
  // they equal toe_defs_pkg's.
  localparam int unsigned StateW   = 4;  // toe_defs_pkg::StateW
  localparam int unsigned EvtTypeW = 5;  // toe_defs_pkg::EvtTypeW

  // Events one result can carry (C++ kMaxEventsPerResult) and the width of their count.
  localparam int unsigned MaxEvents = 6;
  localparam int unsigned NEvtW     = 3;

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
    logic [31:0] snd_max;       // highest sequence number sent + 1 (SND.NXT goes back on retransmit)
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
    logic        probing;       // a zero-window probe or a keep-alive went: report its answer (peer_alive)
    logic [31:0] rx_wr;
    logic [31:0] rx_rd;
    logic [31:0] tx_wr;
    logic [63:0] last_tx_cycle;
    logic [63:0] chal_cycle;
    logic        chal_sent;
    logic [15:0] unacked_segs;
    logic [31:0] tag;
  } tcb_t;
  localparam int unsigned TcbW = 747;

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
    logic [StateW-1:0] state;  // state after the transition
  } evt_t;
  localparam int unsigned EvtW = 89;

endpackage
