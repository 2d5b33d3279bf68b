// SPDX-License-Identifier: Apache-2.0
// toe_engine: the engine as a host sees it: toe_top behind the host register port, whose register
// block is generated from rtl_model/regmap/toe_regs.toml (toe_reg_top). Twin of the C++
// toe::model::EngineDevice (rtl_model/model/top/engine.{hpp,cpp}), cycle for cycle.
//
//   host bus --> bus front --+--> toe_reg_top --reg2hw--> cfg_*, CONN_SEL, CMD args --> toe_top
//                            |        ^ hw2reg: counters, status, CONN_* (the selected TCB),
//                            |        |  queues, interrupt causes
//                            +--> buffer windows (5-cycle byte walk) --> toe_top host_tx/host_rx
//   fw bus ----> fw front --+---> toe_fw_reg_top (toe_fw_regs.toml): CMD_CONN, CMD, EVQ_*, CTRL, RXQ_*, TXQ_*
//                           +---> RX_FRAME window <-- toe_fw_rxq: frames the fast path does not
//                           |                          terminate, copied from the rx stream
//                           +---> TX_FRAME window --> toe_fw_txq --> m_axis_tx between two frames
//   CMD connect, CMD_MAC 0 -> resolve queue (ArqDepth) --> fw ARQ_*: the firmware resolves the
//                            peer (ARP), then issues connect_resolved or no_route
//   CMD writes ----> host command queue (CmdDepth) ------+
//   fw CMD writes -> firmware command queue (FwCmdDepth) +--> toe_top cmd (in this order of
//   cmd_* (the command stream of a test bench) ----------+    priority)
//   toe_top evt --+--> host events (EvtHostMask) --> host event queue (EvqDepth): EVQ_*
//                 +--> firmware events --+--> fw CTRL.EVQ_EN = 1: firmware event queue (fw EVQ_*)
//                                        +--> fw CTRL.EVQ_EN = 0: evt_* (a test bench's stream)
//
// Host bus: reg_req_i is taken when reg_ready_o is 1 (hold it until then); the answer
// (reg_valid_o with reg_rdata_o / reg_err_o) comes one cycle after a register access is taken
// and 5 cycles after a buffer-window access is taken (reg_ready_o is 0 in between). reg_be_i
// are the byte enables (AXI4-Lite WSTRB; a bus without them ties 4'hF): a transmit-window write
// stores the enabled bytes, every other access needs all four. An access is refused (err, nothing
// changes, LAST_ERROR records why, BUS_ERRORS counts it) for: other byte enables (BAD_SIZE; a
// transmit-window write with none); a hole, a misaligned offset, a write to a read-only register (the
// decoder's own checks); a CMD write whose OP is not a host command (BAD_COMMAND), names no
// session in use where the command needs one (NO_CONN), or finds the command queue full
// (QUEUE_FULL); a connect by IP address (connect with CMD_MAC_LO/HI 0) while the firmware's
// CTRL.EVQ_EN is 0 (NO_FIRMWARE) or the resolve queue is full (QUEUE_FULL); EVQ_POP.POP = 1 with the host event queue empty (QUEUE_EMPTY); a window
// access that is misaligned, a write to the receive window (READ_ONLY), at or beyond the
// buffer size (OUTSIDE_BUFFER) or for a free session (NO_CONN).
//
// Firmware bus (fw_*): the same handshake, every access answered one cycle after it is taken
// (registers and the two frame windows alike; fw_ready_o is 0 only in the SOFT_RESET cycle).
// Refused: byte enables other than all four, or none on a TX_FRAME write (BAD_SIZE); a
// misaligned window access; a write to RX_FRAME (READ_ONLY); an RX_FRAME read or RXQ_POP.POP = 1
// with the receive queue empty, EVQ_POP.POP = 1 with the event queue empty, ARQ_POP.POP = 1 with
// the resolve queue empty (QUEUE_EMPTY); a
// TX_FRAME write or TXQ_SEND.SEND = 1 while a frame is being sent (BUSY); TXQ_SEND with TXQ_LEN
// outside 14 .. 2048 (BAD_LENGTH); the decoder's own checks; a CMD write whose OP is not a
// firmware command (BAD_COMMAND), one that names a connection with CMD_CONN at or beyond
// Sessions (NO_CONN), or the queue full (QUEUE_FULL). fw_intr_o: fw INTR_STATE (EVQ_NOT_EMPTY,
// RXQ_NOT_EMPTY, ARQ_NOT_EMPTY while their queue holds an entry; TX_DONE when a frame from
// TX_FRAME has left) & fw INTR_ENABLE.
// The firmware's frame (toe_fw_txq) takes m_axis_tx at a frame boundary, while ENABLE is 1 and no
// beat offered last clock is still waiting: in that clock nothing is offered, then its beats go
// out and toe_top's wait (their tready held low) until its last beat has been taken.
//
// What else the wrapper adds to toe_top (toe_top itself is the C++ Engine's twin):
//   CTRL.ENABLE      0: a frame that starts arriving is accepted and discarded before the
//                    engine (it reaches no counter); a frame the engine has not started to send
//                    is held. The switch acts only between frames, never inside one.
//   CTRL.SOFT_RESET  the one-cycle pulse resets toe_top (tables, queues, counters), the command
//                    and host event queues, the window walk and this wrapper's frame state; the
//                    registers keep their values.
//   STATUS.READY     1 once the engine is out of reset and its tables are initialised (toe_top's
//                    initialising_o: the first Buckets clocks after a reset, which take no traffic).
//   INTR_STATE       EVQ_NOT_EMPTY while the host event queue holds an event; DROP when any
//                    CNT_DROP_* moved.
//   intr_o           any INTR_STATE bit whose INTR_ENABLE bit is set.
//   CNT_*            the low 32 bits of toe_top's 64-bit counters (C++ enum Counter order).
//   CONN_*           the TCB of CONN_SEL through toe_top's dbg_conn_next_i/dbg_tcb_o: a registered
//                    read issued at CONN_SEL's next value (reg2hw.conn_sel_next), so it shows the
//                    TCB of CONN_SEL as it stands in the cycle, as a combinational read would.
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
  // host register bus
  input  logic                   reg_req_i,
  output logic                   reg_ready_o,
  input  logic                   reg_we_i,
  input  logic [toe_reg_pkg::TOE_REG_ADDR_WIDTH-1:0] reg_addr_i,
  input  logic [31:0]            reg_wdata_i,
  input  logic [3:0]             reg_be_i,
  output logic                   reg_valid_o,
  output logic [31:0]            reg_rdata_o,
  output logic                   reg_err_o,
  output logic                   intr_o,
  // firmware register bus
  input  logic                   fw_req_i,
  output logic                   fw_ready_o,
  input  logic                   fw_we_i,
  input  logic [toe_fw_reg_pkg::TOE_FW_REG_ADDR_WIDTH-1:0] fw_addr_i,
  input  logic [31:0]            fw_wdata_i,
  input  logic [3:0]             fw_be_i,
  output logic                   fw_valid_o,
  output logic [31:0]            fw_rdata_o,
  output logic                   fw_err_o,
  output logic                   fw_intr_o,
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
  // a test bench's command and event streams (toe_top's, behind the two ports' queues)
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
  output logic [3:0]             evt_state_o
);

  localparam int unsigned NCnt     = toe_defs_pkg::NCnt;
  localparam int unsigned AW       = toe_reg_pkg::TOE_REG_ADDR_WIDTH;
  localparam int unsigned CmdDepth = 4;    // host command queue (CMD_STATUS.DEPTH)
  localparam int unsigned EvqDepth = 16;   // host event queue (EVQ_STATUS.DEPTH)
  localparam int unsigned FwCmdDepth = 4;  // firmware command queue (fw CMD_STATUS.DEPTH)
  localparam int unsigned FwEvqDepth = 16; // firmware event queue (fw EVQ_STATUS.DEPTH)
  localparam int unsigned ArqDepth = 4;    // the firmware's resolve queue (fw ARQ_STATUS.DEPTH)
  localparam int unsigned HostTxAW = $clog2(Sessions * TxBufBytes);
  localparam int unsigned HostRxAW = $clog2(Sessions * RxBufBytes);
  localparam int unsigned CodeW    = 4;    // LAST_ERROR.CODE

  // CMD.OP and EVQ_POP.POP are stored by the decoder but acted on here from the bus write
  // itself (the wrapper decides the refusal in the same cycle): their reg2hw bits are unused.
  /* verilator lint_off UNUSEDSIGNAL */
  toe_reg_pkg::reg2hw_t reg2hw;
  /* verilator lint_on UNUSEDSIGNAL */
  toe_reg_pkg::hw2reg_t hw2reg;
  // The firmware port's registers (its bus front is below; the host's refusals read EVQ_EN).
  /* verilator lint_off UNUSEDSIGNAL */
  toe_fw_reg_pkg::reg2hw_t fw_reg2hw;
  /* verilator lint_on UNUSEDSIGNAL */
  toe_fw_reg_pkg::hw2reg_t fw_hw2reg;

  // The engine's reset: the pin, or SOFT_RESET's one-cycle pulse (a register output).
  logic core_rst_n;
  logic core_init;  // then toe_top initialises its tables (STATUS.READY 0)
  assign core_rst_n = rst_ni && !reg2hw.ctrl.soft_reset;

  // ---- the selected connection (CONN_SEL) ---------------------------------------------------
  /* verilator lint_off UNUSEDSIGNAL */
  toe_fsm_pkg::tcb_t sel_tcb;  // the CONN_* registers show some of its fields
  /* verilator lint_on UNUSEDSIGNAL */
  logic [toe_fsm_pkg::TcbW-1:0] sel_tcb_v;
  logic sel_in_use;  // a session in use: CONN_SEL below Sessions and not free
  assign sel_tcb    = sel_tcb_v;
  assign sel_in_use = sel_tcb.state != toe_defs_pkg::StClosed;

  // ---- the host bus front -----------------------------------------------------------------
  logic [2:0]  win_cnt_q;       // 0: idle; 1..5: a window access's cycles
  logic        bus_take;        // an access taken this cycle
  // Not ready while a window access is under way, nor in the cycle SOFT_RESET holds the engine
  // (an access taken then would be lost with the queues and the window walk).
  assign reg_ready_o = (win_cnt_q == 3'd0) && core_rst_n;
  assign bus_take    = reg_req_i && reg_ready_o;

  logic in_txw, in_rxw, in_win;
  logic [31:0]   woff;          // offset in the window
  logic [AW-1:0] woff_tx, woff_rx;
  assign in_txw = (reg_addr_i & ~AW'(toe_reg_pkg::TOE_REG_TX_WINDOW_SIZE - 1)) == toe_reg_pkg::TOE_REG_TX_WINDOW_BASE;
  assign in_rxw = (reg_addr_i & ~AW'(toe_reg_pkg::TOE_REG_RX_WINDOW_SIZE - 1)) == toe_reg_pkg::TOE_REG_RX_WINDOW_BASE;
  assign in_win = in_txw || in_rxw;
  assign woff_tx = reg_addr_i & AW'(toe_reg_pkg::TOE_REG_TX_WINDOW_SIZE - 1);
  assign woff_rx = reg_addr_i & AW'(toe_reg_pkg::TOE_REG_RX_WINDOW_SIZE - 1);
  assign woff    = in_txw ? 32'(woff_tx) : 32'(woff_rx);

  logic [7:0] cmd_cnt_q, evq_cnt_q, arq_cnt;
  logic [3:0] wr_op;
  logic       is_cmd, is_pop, is_resolve;
  assign wr_op  = reg_wdata_i[3:0];
  assign is_cmd = reg_we_i && reg_addr_i == toe_reg_pkg::TOE_REG_CMD_OFFSET;
  // A connect by IP address: connect with no MAC, for the firmware to resolve.
  assign is_resolve = is_cmd && wr_op == toe_defs_pkg::CmdConnect && reg2hw.cmd_mac_lo == '0 &&
                      reg2hw.cmd_mac_hi == '0;
  assign is_pop = reg_we_i && reg_addr_i == toe_reg_pkg::TOE_REG_EVQ_POP_OFFSET && reg_wdata_i[0];

  // Refusals decided here (toe_reg_top records them: refuse_i / refuse_code_i).
  logic             refuse;
  logic [CodeW-1:0] refuse_code;
  always_comb begin
    refuse      = 1'b1;
    refuse_code = toe_reg_pkg::TOE_REG_LAST_ERROR_CODE_NONE;
    // Byte enables: all four, except a transmit-window write, which stores the enabled bytes
    // (at least one).
    if (in_txw && reg_we_i ? reg_be_i == 4'h0 : reg_be_i != 4'hF) begin
      refuse_code = toe_reg_pkg::TOE_REG_LAST_ERROR_CODE_BAD_SIZE;
    end else if (in_win && reg_addr_i[1:0] != 2'b00) begin
      refuse_code = toe_reg_pkg::TOE_REG_LAST_ERROR_CODE_MISALIGNED;
    end else if (in_rxw && reg_we_i) begin
      refuse_code = toe_reg_pkg::TOE_REG_LAST_ERROR_CODE_READ_ONLY;
    end else if (in_win && woff >= (in_txw ? 32'(TxBufBytes) : 32'(RxBufBytes))) begin
      refuse_code = toe_reg_pkg::TOE_REG_LAST_ERROR_CODE_OUTSIDE_BUFFER;
    end else if (in_win && !sel_in_use) begin
      refuse_code = toe_reg_pkg::TOE_REG_LAST_ERROR_CODE_NO_CONN;
    end else if (is_cmd && !toe_defs_pkg::CmdHostMask[wr_op]) begin
      refuse_code = toe_reg_pkg::TOE_REG_LAST_ERROR_CODE_BAD_COMMAND;
    end else if (is_cmd && toe_defs_pkg::CmdConnMask[wr_op] && !sel_in_use) begin
      refuse_code = toe_reg_pkg::TOE_REG_LAST_ERROR_CODE_NO_CONN;
    end else if (is_resolve && !fw_reg2hw.ctrl.evq_en) begin
      refuse_code = toe_reg_pkg::TOE_REG_LAST_ERROR_CODE_NO_FIRMWARE;
    end else if (is_resolve ? arq_cnt == 8'(ArqDepth) : is_cmd && cmd_cnt_q == 8'(CmdDepth)) begin
      refuse_code = toe_reg_pkg::TOE_REG_LAST_ERROR_CODE_QUEUE_FULL;
    end else if (is_pop && evq_cnt_q == 8'd0) begin
      refuse_code = toe_reg_pkg::TOE_REG_LAST_ERROR_CODE_QUEUE_EMPTY;
    end else begin
      refuse = 1'b0;
    end
  end

  logic win_go, cmd_push, evq_pop, arq_push;
  assign win_go   = bus_take && in_win && !refuse;
  assign cmd_push = bus_take && is_cmd && !is_resolve && !refuse;
  assign arq_push = bus_take && is_resolve && !refuse;
  assign evq_pop  = bus_take && is_pop && !refuse;

  logic        regs_valid, regs_err;
  logic [31:0] regs_rdata;
  toe_reg_top #(.Sessions(Sessions), .TxBufBytes(TxBufBytes), .RxBufBytes(RxBufBytes)) u_regs (
    .clk_i, .rst_ni,
    .req_i(bus_take && !win_go), .we_i(reg_we_i), .addr_i(reg_addr_i), .wdata_i(reg_wdata_i),
    .refuse_i(refuse), .refuse_code_i(refuse_code),
    .valid_o(regs_valid), .rdata_o(regs_rdata), .err_o(regs_err),
    .reg2hw_o(reg2hw), .hw2reg_i(hw2reg)
  );

  // ---- the firmware bus front ----------------------------------------------------------------
  localparam int unsigned FwAW = toe_fw_reg_pkg::TOE_FW_REG_ADDR_WIDTH;
  // CMD.OP, EVQ_POP.POP and ARQ_POP.POP act from the bus write itself (as on the host port).
  logic [7:0] fw_cmd_cnt, fw_evq_cnt, rxq_count;
  logic [3:0] fw_wr_op;
  logic       fw_take, fw_is_cmd, fw_is_pop, fw_is_rx_pop, fw_is_arq_pop, fw_is_send, in_rxf, in_txf;
  logic       txq_busy, txq_act;
  logic [11:0] send_len;
  assign fw_ready_o = core_rst_n;
  assign fw_take    = fw_req_i && fw_ready_o;
  assign fw_wr_op   = fw_wdata_i[3:0];
  assign fw_is_cmd  = fw_we_i && fw_addr_i == FwAW'(toe_fw_reg_pkg::TOE_FW_REG_CMD_OFFSET);
  assign fw_is_pop  = fw_we_i && fw_addr_i == FwAW'(toe_fw_reg_pkg::TOE_FW_REG_EVQ_POP_OFFSET) && fw_wdata_i[0];
  assign fw_is_rx_pop = fw_we_i && fw_addr_i == FwAW'(toe_fw_reg_pkg::TOE_FW_REG_RXQ_POP_OFFSET) && fw_wdata_i[0];
  assign fw_is_arq_pop = fw_we_i && fw_addr_i == FwAW'(toe_fw_reg_pkg::TOE_FW_REG_ARQ_POP_OFFSET) && fw_wdata_i[0];
  assign fw_is_send = fw_we_i && fw_addr_i == FwAW'(toe_fw_reg_pkg::TOE_FW_REG_TXQ_SEND_OFFSET) && fw_wdata_i[0];
  assign in_rxf = (fw_addr_i & ~FwAW'(toe_fw_reg_pkg::TOE_FW_REG_RX_FRAME_SIZE - 1)) == toe_fw_reg_pkg::TOE_FW_REG_RX_FRAME_BASE;
  assign in_txf = (fw_addr_i & ~FwAW'(toe_fw_reg_pkg::TOE_FW_REG_TX_FRAME_SIZE - 1)) == toe_fw_reg_pkg::TOE_FW_REG_TX_FRAME_BASE;
  assign send_len = fw_reg2hw.txq_len;

  logic             fw_refuse;
  logic [CodeW-1:0] fw_refuse_code;
  always_comb begin
    fw_refuse      = 1'b1;
    fw_refuse_code = toe_fw_reg_pkg::TOE_FW_REG_LAST_ERROR_CODE_NONE;
    if (in_txf && fw_we_i ? fw_be_i == 4'h0 : fw_be_i != 4'hF) begin
      fw_refuse_code = toe_fw_reg_pkg::TOE_FW_REG_LAST_ERROR_CODE_BAD_SIZE;
    end else if ((in_rxf || in_txf) && fw_addr_i[1:0] != 2'b00) begin
      fw_refuse_code = toe_fw_reg_pkg::TOE_FW_REG_LAST_ERROR_CODE_MISALIGNED;
    end else if (in_rxf && fw_we_i) begin
      fw_refuse_code = toe_fw_reg_pkg::TOE_FW_REG_LAST_ERROR_CODE_READ_ONLY;
    end else if (in_rxf && rxq_count == 8'd0) begin
      fw_refuse_code = toe_fw_reg_pkg::TOE_FW_REG_LAST_ERROR_CODE_QUEUE_EMPTY;
    end else if (in_txf && fw_we_i && txq_busy) begin
      fw_refuse_code = toe_fw_reg_pkg::TOE_FW_REG_LAST_ERROR_CODE_BUSY;
    end else if (fw_is_cmd && !toe_defs_pkg::CmdFwMask[fw_wr_op]) begin
      fw_refuse_code = toe_fw_reg_pkg::TOE_FW_REG_LAST_ERROR_CODE_BAD_COMMAND;
    end else if (fw_is_cmd && toe_defs_pkg::CmdConnMask[fw_wr_op] && 32'(fw_reg2hw.cmd_conn) >= 32'(Sessions)) begin
      fw_refuse_code = toe_fw_reg_pkg::TOE_FW_REG_LAST_ERROR_CODE_NO_CONN;
    end else if (fw_is_cmd && fw_cmd_cnt == 8'(FwCmdDepth)) begin
      fw_refuse_code = toe_fw_reg_pkg::TOE_FW_REG_LAST_ERROR_CODE_QUEUE_FULL;
    end else if (fw_is_pop && fw_evq_cnt == 8'd0) begin
      fw_refuse_code = toe_fw_reg_pkg::TOE_FW_REG_LAST_ERROR_CODE_QUEUE_EMPTY;
    end else if (fw_is_rx_pop && rxq_count == 8'd0) begin
      fw_refuse_code = toe_fw_reg_pkg::TOE_FW_REG_LAST_ERROR_CODE_QUEUE_EMPTY;
    end else if (fw_is_arq_pop && arq_cnt == 8'd0) begin
      fw_refuse_code = toe_fw_reg_pkg::TOE_FW_REG_LAST_ERROR_CODE_QUEUE_EMPTY;
    end else if (fw_is_send && txq_busy) begin
      fw_refuse_code = toe_fw_reg_pkg::TOE_FW_REG_LAST_ERROR_CODE_BUSY;
    end else if (fw_is_send && (send_len < 12'd14 || 32'(send_len) > 32'(toe_fw_reg_pkg::TOE_FW_REG_TX_FRAME_SIZE))) begin
      fw_refuse_code = toe_fw_reg_pkg::TOE_FW_REG_LAST_ERROR_CODE_BAD_LENGTH;
    end else begin
      fw_refuse = 1'b0;
    end
  end

  logic fw_cmd_push, fw_evq_pop, fw_win_go, arq_pop;
  assign fw_cmd_push = fw_take && fw_is_cmd && !fw_refuse;
  assign arq_pop     = fw_take && fw_is_arq_pop && !fw_refuse;
  assign fw_evq_pop  = fw_take && fw_is_pop && !fw_refuse;
  assign fw_win_go   = fw_take && (in_rxf || in_txf) && !fw_refuse;

  logic        fw_regs_valid;
  logic [31:0] fw_regs_rdata;
  toe_fw_reg_top #(.Sessions(Sessions)) u_fw_regs (
    .clk_i, .rst_ni,
    .req_i(fw_take && !fw_win_go), .we_i(fw_we_i), .addr_i(fw_addr_i), .wdata_i(fw_wdata_i),
    .refuse_i(fw_refuse), .refuse_code_i(fw_refuse_code),
    .valid_o(fw_regs_valid), .rdata_o(fw_regs_rdata), .err_o(fw_err_o),
    .reg2hw_o(fw_reg2hw), .hw2reg_i(fw_hw2reg)
  );

  // A frame-window access is answered the next clock (an RX_FRAME read from toe_fw_rxq's read
  // register; TX_FRAME reads 0).
  logic        fw_win_valid_q, fw_win_rx_q;
  logic [31:0] rxq_rd_data;
  always_ff @(posedge clk_i or negedge core_rst_n) begin
    if (!core_rst_n) begin
      fw_win_valid_q <= 1'b0;
      fw_win_rx_q    <= 1'b0;
    end else begin
      fw_win_valid_q <= fw_win_go;
      fw_win_rx_q    <= fw_win_go && in_rxf;
    end
  end
  assign fw_valid_o = fw_regs_valid || fw_win_valid_q;
  assign fw_rdata_o = fw_win_valid_q ? (fw_win_rx_q ? rxq_rd_data : 32'd0) : fw_regs_rdata;

  // BUS_ERRORS reads the count with the refusal answered this cycle in it (fw_bus_errors_d), so
  // an access taken on the next clock already sees it.
  logic [31:0] fw_bus_errors_q, fw_bus_errors_d;
  assign fw_bus_errors_d = fw_bus_errors_q + {31'd0, fw_err_o};
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) fw_bus_errors_q <= '0;
    else fw_bus_errors_q <= fw_bus_errors_d;
  end

  // ---- buffer windows: 4 bytes walked over cycles 1..4, the read's last byte back in 5 ------
  logic        win_we_q, win_tx_q, win_valid_q;
  logic [3:0]  win_be_q;        // the write's byte enables
  logic [31:0] win_addr_q;      // buffer address (conn * buffer bytes + offset) of byte 0
  logic [31:0] win_data_q;      // the write's data, or the bytes read so far
  logic [31:0] win_addr;
  logic [31:0] win_ofs;
  assign win_ofs  = in_txw ? (((reg2hw.tx_win_base & ~32'd3) + woff) & 32'(TxBufBytes - 1))
                           : (((reg2hw.rx_win_base & ~32'd3) + woff) & 32'(RxBufBytes - 1));
  assign win_addr = in_txw ? reg2hw.conn_sel * 32'(TxBufBytes) + win_ofs
                           : reg2hw.conn_sel * 32'(RxBufBytes) + win_ofs;

  logic [7:0]          host_rx_rdata;
  logic                host_tx_we;
  logic [HostTxAW-1:0] host_tx_addr;
  logic [HostRxAW-1:0] host_rx_addr;
  logic [7:0]          host_tx_wdata;
  logic [1:0]          win_byte;
  logic [1:0]          win_rd_byte;   // the byte of a receive-window read arriving this cycle
  assign win_byte      = 2'(win_cnt_q - 3'd1);
  assign win_rd_byte   = 2'(win_cnt_q - 3'd2);
  assign host_tx_we    = win_cnt_q >= 3'd1 && win_cnt_q <= 3'd4 && win_we_q && win_tx_q && win_be_q[win_byte];
  assign host_tx_addr  = HostTxAW'(win_addr_q + 32'(win_byte));
  assign host_tx_wdata = win_data_q[{win_byte, 3'b000} +: 8];
  assign host_rx_addr  = HostRxAW'(win_addr_q + 32'(win_byte));

  always_ff @(posedge clk_i or negedge core_rst_n) begin
    if (!core_rst_n) begin
      win_cnt_q   <= 3'd0;
      win_we_q    <= 1'b0;
      win_tx_q    <= 1'b0;
      win_valid_q <= 1'b0;
      win_be_q    <= '0;
      win_addr_q  <= '0;
      win_data_q  <= '0;
    end else begin
      win_valid_q <= 1'b0;
      if (win_go) begin
        win_cnt_q  <= 3'd1;
        win_we_q   <= reg_we_i;
        win_tx_q   <= in_txw;
        win_be_q   <= reg_be_i;
        win_addr_q <= win_addr;
        win_data_q <= reg_we_i ? reg_wdata_i : 32'd0;
      end else if (win_cnt_q != 3'd0) begin
        // A read of the receive window: the byte addressed last cycle is here now.
        if (win_cnt_q >= 3'd2 && !win_we_q && !win_tx_q) win_data_q[{win_rd_byte, 3'b000} +: 8] <= host_rx_rdata;
        if (win_cnt_q == 3'd5) begin
          win_cnt_q   <= 3'd0;
          win_valid_q <= 1'b1;
        end else begin
          win_cnt_q <= win_cnt_q + 3'd1;
        end
      end
    end
  end

  assign reg_valid_o = regs_valid || win_valid_q;
  assign reg_rdata_o = win_valid_q ? (win_we_q ? 32'd0 : win_data_q) : regs_rdata;
  assign reg_err_o   = regs_err;

  // As the firmware port's: read as bus_errors_d, the answer of this cycle counted.
  logic [31:0] bus_errors_q, bus_errors_d;
  assign bus_errors_d = bus_errors_q + {31'd0, regs_err};
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) bus_errors_q <= '0;
    else bus_errors_q <= bus_errors_d;
  end

  // ---- the host command queue ---------------------------------------------------------------
  typedef struct packed {
    logic [3:0]  op;
    logic [31:0] conn;
    logic [31:0] ip;
    logic [15:0] port;
    logic [15:0] lport;
    logic [47:0] mac;
    logic [31:0] value;
    logic [31:0] tag;
  } cmd_t;
  cmd_t cmd_new, cmd_head;
  logic top_cmd_ready, cmd_pop, fw_cmd_pop;
  assign cmd_new = '{op: wr_op, conn: reg2hw.conn_sel, ip: reg2hw.cmd_ip, port: reg2hw.cmd_ports.port,
                     lport: reg2hw.cmd_ports.lport, mac: {reg2hw.cmd_mac_hi, reg2hw.cmd_mac_lo},
                     value: reg2hw.cmd_value, tag: reg2hw.cmd_tag};
  // The host's queue goes first, then the firmware's, then the stream.
  assign cmd_pop     = cmd_cnt_q != 8'd0 && top_cmd_ready;
  assign fw_cmd_pop  = cmd_cnt_q == 8'd0 && fw_cmd_cnt != 8'd0 && top_cmd_ready;
  assign cmd_ready_o = top_cmd_ready && cmd_cnt_q == 8'd0 && fw_cmd_cnt == 8'd0;

  toe_ring #(.Depth(CmdDepth), .T(cmd_t)) u_cmdq (
    .clk_i, .rst_ni(core_rst_n), .push_i(cmd_push), .data_i(cmd_new), .pop_i(cmd_pop),
    .head_o(cmd_head), .count_o(cmd_cnt_q)
  );

  // The firmware's command queue: the op and the fw CMD_* arguments.
  typedef struct packed {
    logic [3:0]  op;
    logic [15:0] conn;
    logic [31:0] ip;
    logic [15:0] port;
    logic [15:0] lport;
    logic [47:0] mac;
    logic [31:0] tag;
  } fw_cmd_t;
  fw_cmd_t fw_cmd_head;
  toe_ring #(.Depth(FwCmdDepth), .T(fw_cmd_t)) u_fw_cmdq (
    .clk_i, .rst_ni(core_rst_n), .push_i(fw_cmd_push),
    .data_i('{op: fw_wr_op, conn: fw_reg2hw.cmd_conn, ip: fw_reg2hw.cmd_ip, port: fw_reg2hw.cmd_ports.port,
              lport: fw_reg2hw.cmd_ports.lport, mac: {fw_reg2hw.cmd_mac_hi, fw_reg2hw.cmd_mac_lo},
              tag: fw_reg2hw.cmd_tag}),
    .pop_i(fw_cmd_pop), .head_o(fw_cmd_head), .count_o(fw_cmd_cnt)
  );

  // The resolve queue: the host's connects by IP address, for the firmware (fw ARQ_*).
  typedef struct packed {
    logic [31:0] ip;
    logic [15:0] port;
    logic [15:0] lport;
    logic [31:0] tag;
  } arq_t;
  arq_t arq_head_raw, arq_head;
  toe_ring #(.Depth(ArqDepth), .T(arq_t)) u_arq (
    .clk_i, .rst_ni(core_rst_n), .push_i(arq_push),
    .data_i('{ip: reg2hw.cmd_ip, port: reg2hw.cmd_ports.port, lport: reg2hw.cmd_ports.lport, tag: reg2hw.cmd_tag}),
    .pop_i(arq_pop), .head_o(arq_head_raw), .count_o(arq_cnt)
  );
  assign arq_head = (arq_cnt != 8'd0) ? arq_head_raw : '0;

  // ---- events: the host's into the host event queue, the firmware's out on evt_* ------------
  typedef struct packed {
    logic [4:0]  typ;
    logic [3:0]  state;
    logic [15:0] lport;
    logic [31:0] conn;
    logic [31:0] value;
  } evt_t;
  evt_t evq_head_raw, evq_head, fw_evq_head_raw, fw_evq_head, top_evt;
  logic        top_evt_valid, top_evt_ready, top_evt_host, evq_push, fw_evq_push;
  logic [4:0]  top_evt_type;
  logic [3:0]  top_evt_state;
  logic [31:0] top_evt_conn, top_evt_value;
  logic [15:0] top_evt_lport;
  assign top_evt       = '{typ: top_evt_type, state: top_evt_state, lport: top_evt_lport,
                           conn: top_evt_conn, value: top_evt_value};
  assign top_evt_host  = toe_defs_pkg::EvtHostMask[top_evt_type];
  assign top_evt_ready = top_evt_host ? (evq_cnt_q != 8'(EvqDepth))
                       : fw_reg2hw.ctrl.evq_en ? (fw_evq_cnt != 8'(FwEvqDepth)) : evt_ready_i;
  assign evq_push      = top_evt_valid && top_evt_host && evq_cnt_q != 8'(EvqDepth);
  assign fw_evq_push   = top_evt_valid && !top_evt_host && fw_reg2hw.ctrl.evq_en && fw_evq_cnt != 8'(FwEvqDepth);
  assign evt_valid_o   = top_evt_valid && !top_evt_host && !fw_reg2hw.ctrl.evq_en;
  assign evt_type_o    = top_evt_type;
  assign evt_conn_o    = top_evt_conn;
  assign evt_value_o   = top_evt_value;
  assign evt_lport_o   = top_evt_lport;
  assign evt_state_o   = top_evt_state;
  assign evq_head      = (evq_cnt_q != 8'd0) ? evq_head_raw : '0;
  assign fw_evq_head   = (fw_evq_cnt != 8'd0) ? fw_evq_head_raw : '0;

  toe_ring #(.Depth(EvqDepth), .T(evt_t)) u_evq (
    .clk_i, .rst_ni(core_rst_n), .push_i(evq_push), .data_i(top_evt), .pop_i(evq_pop),
    .head_o(evq_head_raw), .count_o(evq_cnt_q)
  );
  toe_ring #(.Depth(FwEvqDepth), .T(evt_t)) u_fw_evq (
    .clk_i, .rst_ni(core_rst_n), .push_i(fw_evq_push), .data_i(top_evt), .pop_i(fw_evq_pop),
    .head_o(fw_evq_head_raw), .count_o(fw_evq_cnt)
  );

  // ---- CTRL.ENABLE, applied between frames ------------------------------------------------
  logic rx_in_frame_q, rx_discard_q, tx_in_frame_q, tx_offered_q;
  logic rx_discard, tx_hold, fw_tx_start;
  logic core_rx_tready, core_tx_tvalid, core_tx_tlast;
  logic [8*DataBytes-1:0] core_tx_tdata, txq_tdata;
  logic [DataBytes-1:0]   core_tx_tkeep, txq_tkeep;
  logic                   txq_tlast;
  // A beat that starts a frame decides; the rest of the frame follows it.
  assign rx_discard = rx_in_frame_q ? rx_discard_q : !reg2hw.ctrl.enable;
  assign tx_hold    = tx_in_frame_q ? 1'b0 : !reg2hw.ctrl.enable;
  // The firmware's frame takes the output at a boundary (nothing offered and waiting).
  assign fw_tx_start = txq_busy && !txq_act && !tx_in_frame_q && !tx_offered_q && reg2hw.ctrl.enable;
  assign s_axis_rx_tready_o = rx_discard ? 1'b1 : core_rx_tready;
  assign m_axis_tx_tvalid_o = txq_act ? 1'b1 : core_tx_tvalid && !tx_hold && !fw_tx_start;
  assign m_axis_tx_tdata_o  = txq_act ? txq_tdata : core_tx_tdata;
  assign m_axis_tx_tkeep_o  = txq_act ? txq_tkeep : core_tx_tkeep;
  assign m_axis_tx_tlast_o  = txq_act ? txq_tlast : core_tx_tlast;

  always_ff @(posedge clk_i or negedge core_rst_n) begin
    if (!core_rst_n) begin
      rx_in_frame_q <= 1'b0;
      rx_discard_q  <= 1'b0;
      tx_in_frame_q <= 1'b0;
      tx_offered_q  <= 1'b0;
    end else begin
      if (s_axis_rx_tvalid_i && s_axis_rx_tready_o) begin
        rx_in_frame_q <= !s_axis_rx_tlast_i;
        rx_discard_q  <= rx_discard;
      end
      if (m_axis_tx_tvalid_o && m_axis_tx_tready_i) tx_in_frame_q <= !m_axis_tx_tlast_o;
      tx_offered_q <= m_axis_tx_tvalid_o && !m_axis_tx_tready_i;
    end
  end

  // ---- the firmware's frames ------------------------------------------------------------------
  logic [31:0] rxq_dropped, txq_sent;
  logic [11:0] rxq_head_len;
  logic        fw_tx_done;
  assign fw_tx_done = txq_act && m_axis_tx_tready_i && txq_tlast;
  toe_fw_rxq #(.DataBytes(DataBytes), .Slots(4), .SlotBytes(toe_fw_reg_pkg::TOE_FW_REG_RX_FRAME_SIZE)) u_fw_rxq (
    .clk_i, .rst_ni(core_rst_n),
    .beat_i(s_axis_rx_tvalid_i && s_axis_rx_tready_o && !rx_discard),
    .tdata_i(s_axis_rx_tdata_i), .tkeep_i(s_axis_rx_tkeep_i), .tlast_i(s_axis_rx_tlast_i),
    .tuser_i(s_axis_rx_tuser_i), .local_mac_i({reg2hw.mac_addr_hi, reg2hw.mac_addr_lo}),
    .rd_i(fw_win_go && in_rxf), .rd_off_i(fw_addr_i[$clog2(toe_fw_reg_pkg::TOE_FW_REG_RX_FRAME_SIZE)-1:2]),
    .pop_i(fw_take && fw_is_rx_pop && !fw_refuse),
    .count_o(rxq_count), .head_len_o(rxq_head_len), .rd_data_o(rxq_rd_data), .dropped_o(rxq_dropped)
  );
  toe_fw_txq #(.DataBytes(DataBytes), .BufBytes(toe_fw_reg_pkg::TOE_FW_REG_TX_FRAME_SIZE)) u_fw_txq (
    .clk_i, .rst_ni(core_rst_n),
    .wr_i(fw_win_go && in_txf && fw_we_i),
    .wr_off_i(fw_addr_i[$clog2(toe_fw_reg_pkg::TOE_FW_REG_TX_FRAME_SIZE)-1:2]),
    .wr_data_i(fw_wdata_i), .wr_be_i(fw_be_i),
    .send_i(fw_take && fw_is_send && !fw_refuse), .send_len_i(send_len),
    .start_i(fw_tx_start), .taken_i(txq_act && m_axis_tx_tready_i),
    .busy_o(txq_busy), .act_o(txq_act), .tdata_o(txq_tdata), .tkeep_o(txq_tkeep), .tlast_o(txq_tlast),
    .sent_o(txq_sent)
  );

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
    .m_axis_tx_tdata_o(core_tx_tdata), .m_axis_tx_tkeep_o(core_tx_tkeep), .m_axis_tx_tvalid_o(core_tx_tvalid),
    .m_axis_tx_tlast_o(core_tx_tlast),
    .m_axis_tx_tready_i(m_axis_tx_tready_i && !tx_hold && !txq_act && !fw_tx_start),
    .cmd_valid_i(cmd_cnt_q != 8'd0 || fw_cmd_cnt != 8'd0 || cmd_valid_i), .cmd_ready_o(top_cmd_ready),
    .cmd_op_i(cmd_cnt_q != 8'd0 ? cmd_head.op : fw_cmd_cnt != 8'd0 ? fw_cmd_head.op : cmd_op_i),
    .cmd_conn_i(cmd_cnt_q != 8'd0 ? cmd_head.conn : fw_cmd_cnt != 8'd0 ? 32'(fw_cmd_head.conn) : cmd_conn_i),
    .cmd_ip_i(cmd_cnt_q != 8'd0 ? cmd_head.ip : fw_cmd_cnt != 8'd0 ? fw_cmd_head.ip : cmd_ip_i),
    .cmd_port_i(cmd_cnt_q != 8'd0 ? cmd_head.port : fw_cmd_cnt != 8'd0 ? fw_cmd_head.port : cmd_port_i),
    .cmd_lport_i(cmd_cnt_q != 8'd0 ? cmd_head.lport : fw_cmd_cnt != 8'd0 ? fw_cmd_head.lport : cmd_lport_i),
    .cmd_mac_i(cmd_cnt_q != 8'd0 ? cmd_head.mac : fw_cmd_cnt != 8'd0 ? fw_cmd_head.mac : cmd_mac_i),
    .cmd_value_i(cmd_cnt_q != 8'd0 ? cmd_head.value : fw_cmd_cnt != 8'd0 ? '0 : cmd_value_i),
    .cmd_tag_i(cmd_cnt_q != 8'd0 ? cmd_head.tag : fw_cmd_cnt != 8'd0 ? fw_cmd_head.tag : cmd_tag_i),
    .evt_valid_o(top_evt_valid), .evt_ready_i(top_evt_ready), .evt_type_o(top_evt_type),
    .evt_conn_o(top_evt_conn), .evt_value_o(top_evt_value), .evt_lport_o(top_evt_lport),
    .evt_state_o(top_evt_state),
    .cfg_local_mac_i({reg2hw.mac_addr_hi, reg2hw.mac_addr_lo}),
    .cfg_local_ip_i(reg2hw.ipv4_addr),
    .cfg_mss_i(reg2hw.mss),
    .cfg_mss_floor_i(reg2hw.mss_floor),
    .cfg_rcv_wscale_i(reg2hw.rcv_wscale),
    .cfg_fixed_isn_en_i(reg2hw.ctrl.fixed_isn_en),
    .cfg_fixed_isn_i(reg2hw.fixed_isn),
    .cfg_isn_secret_i({reg2hw.isn_secret_3, reg2hw.isn_secret_2, reg2hw.isn_secret_1, reg2hw.isn_secret_0}
                      ^ {fw_reg2hw.isn_key_3, fw_reg2hw.isn_key_2, fw_reg2hw.isn_key_1, fw_reg2hw.isn_key_0}),
    .cfg_clock_mhz_i(reg2hw.clock_mhz),
    .cfg_ack_every_i(reg2hw.ack_every),
    .cfg_chal_conn_cycles_i(reg2hw.chal_conn_cycles),
    .cfg_chal_global_burst_i(reg2hw.chal_global_burst),
    .cfg_chal_global_cycles_i(reg2hw.chal_global_cycles),
    .cfg_max_half_open_i(reg2hw.max_half_open),
    .cnt_o(cnt),
    .trace_valid_o(), .trace_conn_o(), .trace_from_o(), .trace_to_o(),
    .cycle_o(), .tx_building_o(), .busy_o(), .active_sessions_o(), .half_open_o(), .initialising_o(core_init),
    .dbg_conn_next_i(reg2hw.conn_sel_next), .dbg_tcb_o(sel_tcb_v),
    .host_tx_we_i(host_tx_we), .host_tx_addr_i(host_tx_addr), .host_tx_wdata_i(host_tx_wdata),
    .host_rx_addr_i(host_rx_addr), .host_rx_rdata_o(host_rx_rdata)
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
    hw2reg.status.ready                = core_rst_n && !core_init;
    hw2reg.bus_errors                  = bus_errors_d;
    hw2reg.intr_state.evq_not_empty    = evq_cnt_q != 8'd0;
    hw2reg.intr_state.drop             = drop_moved;
    hw2reg.conn_state.state            = sel_tcb.state;
    hw2reg.conn_state.passive          = sel_tcb.passive;
    hw2reg.conn_state.fin_pending      = sel_tcb.fin_pending;
    hw2reg.conn_state.fin_rcvd         = sel_tcb.fin_rcvd;
    hw2reg.conn_ports.lport            = sel_tcb.lport;
    hw2reg.conn_ports.rport            = sel_tcb.rport;
    hw2reg.conn_remote_ip              = sel_tcb.rip;
    hw2reg.conn_snd_una                = sel_tcb.snd_una;
    hw2reg.conn_snd_nxt                = sel_tcb.snd_nxt;
    hw2reg.conn_rcv_nxt                = sel_tcb.rcv_nxt;
    hw2reg.conn_snd_wnd                = sel_tcb.snd_wnd;
    hw2reg.conn_rx_wr                  = sel_tcb.rx_wr;
    hw2reg.conn_rx_rd                  = sel_tcb.rx_rd;
    hw2reg.conn_tx_wr                  = sel_tcb.tx_wr;
    hw2reg.conn_iss                    = sel_tcb.iss;
    hw2reg.conn_irs                    = sel_tcb.irs;
    hw2reg.conn_tag                    = sel_tcb.tag;
    hw2reg.conn_opts.snd_mss           = sel_tcb.snd_mss;
    hw2reg.conn_opts.snd_wscale        = sel_tcb.ws_ok ? 4'(sel_tcb.snd_wscale) : 4'd0;
    hw2reg.conn_opts.rcv_wscale        = sel_tcb.ws_ok ? 4'(sel_tcb.rcv_wscale) : 4'd0;
    hw2reg.conn_opts.ws_ok             = sel_tcb.ws_ok;
    hw2reg.cmd_status.pending          = cmd_cnt_q;
    hw2reg.cmd_status.depth            = 8'(CmdDepth);
    hw2reg.evq_status.count            = evq_cnt_q;
    hw2reg.evq_status.depth            = 8'(EvqDepth);
    hw2reg.evq_event.evt               = 4'(evq_head.typ);  // the host's events are all below 16
    hw2reg.evq_event.state             = evq_head.state;
    hw2reg.evq_event.lport             = evq_head.lport;
    hw2reg.evq_conn                    = evq_head.conn;
    hw2reg.evq_value                   = evq_head.value;
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

  always_comb begin
    fw_hw2reg = '0;
    fw_hw2reg.status.ready             = core_rst_n && !core_init;
    fw_hw2reg.bus_errors               = fw_bus_errors_d;
    fw_hw2reg.intr_state.evq_not_empty = fw_evq_cnt != 8'd0;
    fw_hw2reg.intr_state.rxq_not_empty = rxq_count != 8'd0;
    fw_hw2reg.intr_state.tx_done       = fw_tx_done;
    fw_hw2reg.intr_state.arq_not_empty = arq_cnt != 8'd0;
    fw_hw2reg.arq_status.count         = arq_cnt;
    fw_hw2reg.arq_status.depth         = 8'(ArqDepth);
    fw_hw2reg.arq_ip                   = arq_head.ip;
    fw_hw2reg.arq_ports.port           = arq_head.port;
    fw_hw2reg.arq_ports.lport          = arq_head.lport;
    fw_hw2reg.arq_tag                  = arq_head.tag;
    fw_hw2reg.rxq_status.count         = rxq_count;
    fw_hw2reg.rxq_status.depth         = 8'd4;
    fw_hw2reg.rxq_len                  = 32'(rxq_head_len);
    fw_hw2reg.rxq_dropped              = rxq_dropped;
    fw_hw2reg.txq_status.busy          = txq_busy;
    fw_hw2reg.txq_sent                 = txq_sent;
    fw_hw2reg.mac_addr_lo              = reg2hw.mac_addr_lo;
    fw_hw2reg.mac_addr_hi              = reg2hw.mac_addr_hi;
    fw_hw2reg.ipv4_addr                = reg2hw.ipv4_addr;
    fw_hw2reg.cmd_status.pending       = fw_cmd_cnt;
    fw_hw2reg.cmd_status.depth         = 8'(FwCmdDepth);
    fw_hw2reg.evq_status.count         = fw_evq_cnt;
    fw_hw2reg.evq_status.depth         = 8'(FwEvqDepth);
    fw_hw2reg.evq_event.evt            = fw_evq_head.typ;
    fw_hw2reg.evq_event.state          = fw_evq_head.state;
    fw_hw2reg.evq_event.lport          = fw_evq_head.lport;
    fw_hw2reg.evq_conn                 = fw_evq_head.conn;
    fw_hw2reg.evq_value                = fw_evq_head.value;
    fw_hw2reg.cnt_frames_in            = hw2reg.cnt_frames_in;
    fw_hw2reg.cnt_frames_out           = hw2reg.cnt_frames_out;
    fw_hw2reg.cnt_drop_bad_csum        = hw2reg.cnt_drop_bad_csum;
    fw_hw2reg.cnt_drop_malformed       = hw2reg.cnt_drop_malformed;
    fw_hw2reg.cnt_drop_not_for_us      = hw2reg.cnt_drop_not_for_us;
    fw_hw2reg.cnt_drop_no_conn         = hw2reg.cnt_drop_no_conn;
    fw_hw2reg.cnt_drop_fragment        = hw2reg.cnt_drop_fragment;
    fw_hw2reg.cnt_drop_overflow        = hw2reg.cnt_drop_overflow;
    fw_hw2reg.cnt_challenge_acks       = hw2reg.cnt_challenge_acks;
    fw_hw2reg.cnt_rst_sent             = hw2reg.cnt_rst_sent;
    fw_hw2reg.cnt_drop_mac_error       = hw2reg.cnt_drop_mac_error;
    fw_hw2reg.cnt_drop_unacceptable    = hw2reg.cnt_drop_unacceptable;
    fw_hw2reg.cnt_challenge_ack_limited = hw2reg.cnt_challenge_ack_limited;
    fw_hw2reg.cnt_syn_dropped          = hw2reg.cnt_syn_dropped;
    fw_hw2reg.cnt_half_open_evicted    = hw2reg.cnt_half_open_evicted;
    fw_hw2reg.cnt_events_dropped       = hw2reg.cnt_events_dropped;
    fw_hw2reg.cnt_arp_in               = hw2reg.cnt_arp_in;
  end

  assign fw_intr_o = |({fw_reg2hw.intr_state.arq_not_empty, fw_reg2hw.intr_state.tx_done,
                        fw_reg2hw.intr_state.rxq_not_empty, fw_reg2hw.intr_state.evq_not_empty} &
                       {fw_reg2hw.intr_enable.arq_not_empty, fw_reg2hw.intr_enable.tx_done,
                        fw_reg2hw.intr_enable.rxq_not_empty, fw_reg2hw.intr_enable.evq_not_empty});

  assign intr_o = |({reg2hw.intr_state.drop, reg2hw.intr_state.evq_not_empty} &
                    {reg2hw.intr_enable.drop, reg2hw.intr_enable.evq_not_empty});

endmodule
