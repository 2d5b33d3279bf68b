// SPDX-License-Identifier: Apache-2.0
// toe_tcb_ram: the TCB memory of toe_tables (the C++ Tables' array of Tcb), built so that block
// RAM can hold it: every memory has one write port and one registered read, and every read is
// issued a cycle before the cycle that uses it. A RAM primitive: no model twin of its own (the
// model's Tables holds the array, which its stages read in the cycle).
//
// The TCB is three narrow tables, split by the stage that writes each field:
//   main  the fields only tcp_fsm writes (tcb_main_of: all but the transmit fields; 602 bits);
//   txf,  the transmit fields (tcb_tx_of: snd_nxt, snd_max, probe, last_tx_cycle, unacked_segs;
//   txa   145 bits), which tx_arbiter writes too: tcp_fsm's copy and tx_arbiter's, read from
//         whichever wrote the entry last (a live-value table, below).
// main holds the entry's valid bit too: tcp_fsm's write sets it, its free clears it (wvld_f_i 0:
// the rest of the write is then never read); it has no reset, so after a reset init_i clears it,
// one entry a cycle.
// tx_arbiter never writes the entry tcp_fsm writes in the same cycle, nor a free entry (it writes
// only in a synchronized state, and the fields outside tcb_tx_of as it read them), so this reads
// as the model's one array with whole-TCB writes. On a tie tx_arbiter's write wins (it comes after
// tcp_fsm's in Engine::commit): tcp_fsm's then reaches neither main nor txf (we_main_o).
// The live-value table is memory too, one bit per entry in two halves, one per writer: lf (a
// one-bit memory per reader) and la (a column of txa); the entry is tx_arbiter's when they
// differ. tx_arbiter writes la as the complement of lf, read at its entry (arb_addr_o, the entry
// it writes); tcp_fsm writes lf as la, read at its entry (fsm_addr_o: toe_tables checks that a
// write other than an insert is at the entry read). An insert from the free list (ins_f_i)
// leaves lf: a free entry's last write was tcp_fsm's (its free; tx_arbiter writes only in a
// synchronized state), so it reads as tcp_fsm's already. An insert that evicts (evict_f_i) takes
// the SYN cache's oldest entry, which tx_arbiter may have written (a close in SYN-RECEIVED moves
// it to FIN-WAIT-1 and keeps its SYN-cache flag): lf is written as la read at that entry (a copy
// of la read at evict_addr_n_i, the SYN-cache order's next head). init_i clears both.
//
// Three readers, each with copies of the three tables of its own (gen_rd: toe_sdp_ram, all
// written alike): tcp_fsm (fsm_*), tx_arbiter (arb_*) and the debug read of the CONN_* registers
// (dbg_*). Each names the entry it reads next cycle (<r>_addr_n_i); <r>_tcb_o then shows that
// entry as it stands in that cycle, as the model's eval reads it: the copies read write-first
// (toe_sdp_ram's Transparent mode: the address registered, the memory read after the edge, so a
// write at that edge to the same entry is seen; in LUT RAM at no cost, in block RAM with the
// forwarding yosys adds). For the debug read an entry not valid (main's valid bit)
// or not named (dbg_ok_n_i 0) reads as the reset TCB. For tcp_fsm and tx_arbiter it reads as
// CLOSED, the reset TCB's state, with its other fields as the memories hold them (a freed entry's
// last TCB, or nothing written yet): neither decides on more than the state of a CLOSED entry
// (tcp_fsm drops a command on it, and a segment never names it: the index holds valid entries
// only; tx_arbiter pops it from the ready queue unsent), so both decide as on the reset TCB,
// without 743 masking gates each.
module toe_tcb_ram #(
  parameter int unsigned Sessions = 16,
  localparam int unsigned IdxW    = (Sessions > 1) ? $clog2(Sessions) : 1,
  localparam int unsigned TcbW    = toe_fsm_pkg::TcbW
) (
  input  logic                clk_i,  // no reset: every bit is memory (init_i clears the valid bits)
  input  logic                init_i,         // clear entry init_addr_i's valid bit (no other write)
  input  logic [IdxW-1:0]     init_addr_i,

  // tcp_fsm's write and tx_arbiter's, whole TCBs
  input  logic                we_f_i,
  input  logic [IdxW-1:0]     wa_f_i,
  input  logic [TcbW-1:0]     wd_f_i,
  input  logic                wvld_f_i,       // the entry's valid bit written with it (0: freed)
  input  logic                ins_f_i,        // the write is an insert (a free or an evicted entry) ...
  input  logic                evict_f_i,      // ... that evicts: wa_f_i is the entry evict_addr_n_i named
  input  logic [IdxW-1:0]     evict_addr_n_i, // the entry an insert next cycle would evict
  input  logic                we_a_i,
  input  logic [IdxW-1:0]     wa_a_i,
  input  logic [TcbW-1:0]     wd_a_i,
  output logic                we_main_o,      // tcp_fsm's write reaches main and txf

  // the reads: the entry named now is shown next cycle
  input  logic [IdxW-1:0]     fsm_addr_n_i,
  output logic [IdxW-1:0]     fsm_addr_o,     // the entry fsm_tcb_o shows
  output logic [TcbW-1:0]     fsm_tcb_o,
  input  logic [IdxW-1:0]     arb_addr_n_i,
  output logic [IdxW-1:0]     arb_addr_o,
  output logic [TcbW-1:0]     arb_tcb_o,
  input  logic [IdxW-1:0]     dbg_addr_n_i,
  input  logic                dbg_ok_n_i,     // 0: no entry (dbg_tcb_o reads as the reset TCB)
  output logic [TcbW-1:0]     dbg_tcb_o
);

  localparam int unsigned TxFW  = 145;
  localparam int unsigned MainW = TcbW - TxFW;
  localparam int unsigned RdFsm = 0, RdArb = 1, RdDbg = 2, NRd = 3;

  // A TCB's parts in the narrow tables, and the TCB they make up (tcb_join), as bit ranges of the
  // packed tcb_t (MSB first: state .. snd_una [746:566], snd_nxt and snd_max [565:502], snd_wnd ..
  // fin_rcvd [501:275], probe [274], probing .. tx_wr [273:177], last_tx_cycle [176:113],
  // chal_cycle and chal_sent [112:48], unacked_segs [47:32], tag [31:0]). A wrong range shows as a
  // TCB mismatch in the lockstep tests, which compare every table read with the model's.
  /* verilator lint_off UNUSEDSIGNAL */  // each takes some of the bits
  function automatic logic [TxFW-1:0] tcb_tx_of(input logic [TcbW-1:0] v);
    tcb_tx_of = {v[565:502], v[274], v[176:113], v[47:32]};
  endfunction
  function automatic logic [MainW-1:0] tcb_main_of(input logic [TcbW-1:0] v);
    tcb_main_of = {v[746:566], v[501:275], v[273:177], v[112:48], v[31:0]};
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */
  function automatic logic [TcbW-1:0] tcb_join(input logic [MainW-1:0] m, input logic [TxFW-1:0] x);
    tcb_join = {m[601:421], x[144:81], m[420:194], x[80], m[193:97], x[79:16], m[96:32], x[15:0], m[31:0]};
  endfunction
  // The ranges hold for the tcb_t of 747 bits only.
  if (TcbW != 747) begin : gen_bad_tcb
    $error("toe_tcb_ram: tcb_t changed: update the bit ranges of tcb_tx_of/tcb_main_of/tcb_join");
  end

  // The reset TCB (C++ Tcb{}: all 0 but the default MSS), which an entry not valid reads as.
  toe_fsm_pkg::tcb_t tcb_reset;
  logic [TcbW-1:0]   tcb_reset_v;
  always_comb begin
    tcb_reset = '0;
    tcb_reset.snd_mss = toe_fsm_pkg::DefaultMss;
  end
  assign tcb_reset_v = tcb_reset;

  // One TCB as the model sees it (full) or as tcp_fsm and tx_arbiter need it (state only).
  localparam int unsigned StW = toe_fsm_pkg::StateW;
  function automatic logic [TcbW-1:0] tcb_read(input logic vld, input logic [MainW-1:0] m,
                                                input logic [TxFW-1:0] x, input logic [TcbW-1:0] rst,
                                                input logic full);
    logic [TcbW-1:0] t;
    t = tcb_join(m, x);
    if (full) tcb_read = vld ? t : rst;
    else      tcb_read = {vld ? t[TcbW-1 -: StW] : rst[TcbW-1 -: StW], t[TcbW-StW-1:0]};
  endfunction

  // ---- the writes ------------------------------------------------------------------------
  logic [MainW-1:0]    wd_main;
  logic [TxFW-1:0]     wd_txf, wd_txa;
  assign we_main_o = we_f_i && !(we_a_i && wa_a_i == wa_f_i);
  always_comb begin
    wd_main = tcb_main_of(wd_f_i);
    wd_txf  = tcb_tx_of(wd_f_i);
    wd_txa  = tcb_tx_of(wd_a_i);
  end

  // The live-value table's halves as each reader reads them (its entry, write-first), and their
  // writes: lf by tcp_fsm (not on an insert), la by tx_arbiter (with txa), both by init_i.
  logic            lf_rd [NRd];
  logic            la_rd [NRd];
  logic            lf_we, xa_we;
  logic [IdxW-1:0] lf_wa, xa_wa;
  logic            lf_wd;
  logic [TxFW:0]   xa_wd;
  logic            la_ev;  // la at the entry an insert would evict (evict_addr_n_i of the cycle before)
  assign lf_we = init_i || (we_main_o && (!ins_f_i || evict_f_i));
  assign lf_wa = init_i ? init_addr_i : wa_f_i;
  assign lf_wd = !init_i && (ins_f_i ? la_ev : la_rd[RdFsm]);
  assign xa_we = init_i || we_a_i;
  assign xa_wa = init_i ? init_addr_i : wa_a_i;
  assign xa_wd = {wd_txa, !init_i && !lf_rd[RdArb]};
  toe_sdp_ram #(.Width(1), .Depth(Sessions), .AddrW(IdxW), .Transparent(1'b1)) u_la_ev (
    .clk_i, .wr_en_i(xa_we), .wr_addr_i(xa_wa), .wr_data_i(xa_wd[0]),
    .rd_addr_i(evict_addr_n_i), .rd_data_o(la_ev));

  // main's write: tcp_fsm's, with the valid bit, or the initialisation's.
  logic             mw_en;
  logic [IdxW-1:0]  mw_addr;
  logic [MainW:0]   mw_data;
  assign mw_en   = init_i || we_main_o;
  assign mw_addr = init_i ? init_addr_i : wa_f_i;
  assign mw_data = {wd_main, wvld_f_i && !init_i};

  // ---- the readers ---------------------------------------------------------------------
  logic [IdxW-1:0] rd_addr_q [NRd];
  logic [TcbW-1:0] rd_tcb    [NRd];
  for (genvar k = 0; k < NRd; k++) begin : gen_rd
    logic [IdxW-1:0]  addr_n;
    logic             ok_n;
    logic [MainW:0]   main_rd;  // the entry addr_q names, written-first: {fields, valid}
    logic [TxFW-1:0]  txf_rd;
    logic [TxFW:0]    txa_rd;   // {fields, la}
    logic [IdxW-1:0]  addr_q;
    logic             ok_q;
    assign addr_n = (k == RdFsm) ? fsm_addr_n_i : (k == RdArb) ? arb_addr_n_i : dbg_addr_n_i;
    assign ok_n   = (k == RdDbg) ? dbg_ok_n_i : 1'b1;
    toe_sdp_ram #(.Width(MainW + 1), .Depth(Sessions), .AddrW(IdxW), .Transparent(1'b1), .DeepSlices(1'b1)) u_main (
      .clk_i, .wr_en_i(mw_en), .wr_addr_i(mw_addr), .wr_data_i(mw_data),
      .rd_addr_i(addr_n), .rd_data_o(main_rd));
    toe_sdp_ram #(.Width(TxFW), .Depth(Sessions), .AddrW(IdxW), .Transparent(1'b1), .DeepSlices(1'b1)) u_txf (
      .clk_i, .wr_en_i(we_main_o), .wr_addr_i(wa_f_i), .wr_data_i(wd_txf),
      .rd_addr_i(addr_n), .rd_data_o(txf_rd));
    toe_sdp_ram #(.Width(TxFW + 1), .Depth(Sessions), .AddrW(IdxW), .Transparent(1'b1), .DeepSlices(1'b1)) u_txa (
      .clk_i, .wr_en_i(xa_we), .wr_addr_i(xa_wa), .wr_data_i(xa_wd),
      .rd_addr_i(addr_n), .rd_data_o(txa_rd));
    toe_sdp_ram #(.Width(1), .Depth(Sessions), .AddrW(IdxW), .Transparent(1'b1)) u_lf (
      .clk_i, .wr_en_i(lf_we), .wr_addr_i(lf_wa), .wr_data_i(lf_wd),
      .rd_addr_i(addr_n), .rd_data_o(lf_rd[k]));
    assign la_rd[k] = txa_rd[0];
    always_ff @(posedge clk_i) begin : p_rd
      addr_q <= addr_n;
      ok_q   <= ok_n;
    end
    assign rd_addr_q[k] = addr_q;
    assign rd_tcb[k]    = tcb_read(ok_q && main_rd[0], main_rd[MainW:1],
                                   (lf_rd[k] ^ la_rd[k]) ? txa_rd[TxFW:1] : txf_rd, tcb_reset_v,
                                   k == RdDbg);
  end
  assign fsm_addr_o = rd_addr_q[RdFsm];
  assign fsm_tcb_o  = rd_tcb[RdFsm];
  assign arb_addr_o = rd_addr_q[RdArb];
  assign arb_tcb_o  = rd_tcb[RdArb];
  assign dbg_tcb_o  = rd_tcb[RdDbg];

`ifdef VERILATOR
  logic [IdxW-1:0] ev_addr_q;
  always_ff @(posedge clk_i) ev_addr_q <= evict_addr_n_i;
  always_ff @(posedge clk_i) begin
    // lf's writes read la at the entry written (the assumptions above)
    if (we_main_o && ins_f_i && !evict_f_i &&
        (gen_rd[RdFsm].u_lf.g_mem.mem[wa_f_i] ^ gen_rd[RdFsm].u_txa.g_mem.mem[wa_f_i][0]))
      $error("toe_tcb_ram: entry %0d is inserted from the free list, but tx_arbiter wrote it last", wa_f_i);
    if (we_main_o && ins_f_i && evict_f_i && wa_f_i != ev_addr_q)
      $error("toe_tcb_ram: the insert evicts entry %0d, not the one read for it (%0d)", wa_f_i, ev_addr_q);
    if (we_main_o && !ins_f_i && wa_f_i != rd_addr_q[RdFsm])
      $error("toe_tcb_ram: tcp_fsm writes entry %0d, not the one read for it (%0d)", wa_f_i, rd_addr_q[RdFsm]);
    if (we_a_i && wa_a_i != rd_addr_q[RdArb])
      $error("toe_tcb_ram: tx_arbiter writes entry %0d, not the one read for it (%0d)", wa_a_i, rd_addr_q[RdArb]);
  end
  // ---- the simulation's backdoor (not synthesized) -------------------------------------------
  // RtlEngine::tcb (sim/rtl_engine) reads any TCB without a clock edge: it writes peek_conn and
  // evaluates; peek_tcb is that TCB as it stands, read combinationally from tcp_fsm's copies.
  /* verilator lint_off UNDRIVEN */
  logic [31:0]     peek_conn /*verilator public_flat_rw*/;
  /* verilator lint_on UNDRIVEN */
  logic [TcbW-1:0] peek_tcb /*verilator public_flat_rd*/;
  logic [IdxW-1:0] peek_idx;
  assign peek_idx = peek_conn[IdxW-1:0];
  assign peek_tcb = tcb_read(peek_conn < 32'(Sessions) && gen_rd[RdFsm].u_main.g_mem.mem[peek_idx][0],
                             gen_rd[RdFsm].u_main.g_mem.mem[peek_idx][MainW:1],
                             (gen_rd[RdFsm].u_lf.g_mem.mem[peek_idx][0] ^ gen_rd[RdFsm].u_txa.g_mem.mem[peek_idx][0]) ?
                               gen_rd[RdFsm].u_txa.g_mem.mem[peek_idx][TxFW:1] : gen_rd[RdFsm].u_txf.g_mem.mem[peek_idx],
                             tcb_reset_v, 1'b1);
`endif

endmodule
