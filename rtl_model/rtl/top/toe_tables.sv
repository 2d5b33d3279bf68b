// SPDX-License-Identifier: Apache-2.0
// toe_tables: the engine's memories and queues, and their next state. Twin of the C++ struct
// toe::model::Tables (rtl_model/model/top/tables.hpp/.cpp); toe_top instantiates it beside the
// stages, as the model's Engine holds a Tables that its stages read and write.
//
//   the TCB memory, the 4-tuple index (8-way buckets), the listen table, the free list, the
//   SYN-cache order, the ready queue, the response and event queues, the copy queue, the frame
//   slots' busy bits, the transmit buffers, the challenge-ACK token bucket, the counters, the
//   cycle count and the ISN clock.
//
// tcp_fsm, tx_arbiter and rx_copy see the tables as they are at the start of the cycle (the
// model's eval). Every memory whose depth grows with Sessions is read registered, the address
// issued a cycle ahead: tcp_fsm's index lookup, TCB and key (at the key it decides on next cycle
// and the connection found), tx_arbiter's TCB (at the ready queue's next front), the debug read's
// TCB (at the connection toe_engine's CONN_SEL holds next cycle), the flags, the key at the
// SYN-cache order's next head, and the queues' heads (gen_half_bank); each sees the writes of
// that edge (forwarded here, or read write-first). The listen table and the response and copy
// queues, whose sizes are fixed, are read combinationally. The index's valid bits are memories in
// u_index (a set and a clear bit per way), read at one row only, the looked-up bucket's: an entry
// leaves the index at the way the key recorded for it, and tcp_fsm inserts at the bucket it looked
// up. Those memories have no reset: after a reset init_q clears them, one bucket a cycle, and
// until it is done the engine takes neither a frame nor a command (C++ Tables::init_left).
// The TCB is toe_tcb_ram (u_tcb): three narrow tables, each copied per reader; the event queue's
// memory is toe_evt_ram (u_evt). Writes: each stage offers its result (tcp_fsm's res_*,
// tcb_update's pushes, rx_copy's pop and release, tx_arbiter's pops and TCB write); p_tables_d
// applies them in the order of the model's Engine::commit (event pop, frame count, tcb_update,
// tcp_fsm, rx_copy, tx_arbiter, token refill) and computes the Moore outputs of the next cycle;
// p_regs clocks the registers, p_mems the memories' write ports. The memories have no reset
// (valid bits and pointers do), so synthesis keeps them as memories.
module toe_tables #(
  parameter int unsigned Sessions      = 16,
  parameter int unsigned DataBytes     = 8,
  parameter int unsigned TxBufBytes    = 16384,
  parameter int unsigned ListenEntries = 16,
  parameter int unsigned RspDepth      = 64,
  parameter int unsigned EvtDepth      = 4096,
  parameter int unsigned RxSlots       = 16,
  localparam int unsigned IdxW         = (Sessions > 1) ? $clog2(Sessions) : 1,
  localparam int unsigned BucketW      = IdxW,
  localparam int unsigned NCnt         = toe_defs_pkg::NCnt,
  localparam int unsigned TcbW         = toe_fsm_pkg::TcbW,
  localparam int unsigned TxReqW       = toe_fsm_pkg::TxReqW,
  localparam int unsigned EvtW         = toe_fsm_pkg::EvtW,
  localparam int unsigned EntW         = EvtW + 1,             // {hold, event}
  localparam int unsigned NarW         = EntW - 32 + IdxW + 1,   // an entry as queued (evt_pack)
  localparam int unsigned EvtConnLo    = EvtW - 37,              // the connection: event bits [EvtConnLo +: 32]
  localparam int unsigned CntW         = toe_defs_pkg::CntW,
  localparam int unsigned HostTxAW     = $clog2(Sessions * TxBufBytes),
  localparam int unsigned TxAddrW      = ($clog2(Sessions) + $clog2(TxBufBytes / DataBytes) > 0) ?
                                         $clog2(Sessions) + $clog2(TxBufBytes / DataBytes) : 1
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,

  // runtime registers the tables use (the challenge-ACK token bucket, the ISN clock)
  input  logic [31:0]            cfg_clock_mhz_i,
  input  logic [31:0]            cfg_chal_global_burst_i,
  input  logic [31:0]            cfg_chal_global_cycles_i,  // 0: clock_mhz * 10000

  // the key tcp_fsm decides on: conn_lookup's segment, or else the command
  // the port tcp_fsm looks up in the listen table: its segment's destination port, else its
  // command's port (tcp_fsm reads listen_hit_o for a segment only, listen_match_*/listen_free_*
  // for a command only, so one set of compares serves both)
  input  logic [15:0]            listen_port_i,
  // what tcp_fsm decides on next cycle: the segment in conn_lookup now (pre_seg_i), else the
  // command in toe_top's first command register, cq1_* (the TCB and the index are read for it a
  // cycle ahead: the index's ways at pre2_bucket_i, the cycle before)
  input  logic                   pre_seg_i,
  input  logic [31:0]            pre_seg_sip_i,
  input  logic [15:0]            pre_seg_sport_i,
  input  logic [15:0]            pre_seg_dport_i,
  input  logic [BucketW-1:0]     pre_bucket_i,   // the bucket of that key (conn_lookup hashed either)
  input  logic [BucketW-1:0]     pre2_bucket_i,  // the bucket of what is here next cycle (its read address)
  input  logic [31:0]            pre_cmd_conn_i,
  input  logic [31:0]            pre_cmd_ip_i,
  input  logic [15:0]            pre_cmd_port_i,
  input  logic [15:0]            pre_cmd_lport_i,
  // reads for tcp_fsm (C++ TcpFsm::eval_*)
  output logic                   lk_hit_o,
  output logic [IdxW-1:0]        lk_conn_o,
  output logic                   listen_hit_o,
  output logic [TcbW-1:0]        tcb_o,
  output logic                   ho_flag_o,
  output logic                   bucket_room_o,
  output logic                   free_valid_o,
  output logic [IdxW-1:0]        free_conn_o,
  output logic [IdxW:0]          half_open_count_o,
  output logic                   ho_head_valid_o,
  output logic [IdxW-1:0]        ho_head_o,
  output logic                   ho_head_flag_o,
  output logic                   chal_token_avail_o,
  output logic                   listen_match_valid_o,
  output logic [15:0]            listen_match_slot_o,
  output logic                   listen_free_valid_o,
  output logic [15:0]            listen_free_slot_o,
  output logic [31:0]            isn_ticks_o,

  // tcp_fsm's result (its res_* ports: the writes of this cycle)
  input  logic                   res_valid_i,
  input  logic                   res_tcb_write_i,
  input  logic [31:0]            res_conn_i,
  input  logic [TcbW-1:0]        res_tcb_i,
  input  logic                   res_index_insert_i,
  input  logic                   res_free_conn_i,
  input  logic [3:0]             res_via_i,
  input  logic                   res_payload_i,
  input  logic [3:0]             res_slot_i,
  input  logic [15:0]            res_payload_off_i,
  input  logic [15:0]            res_payload_len_i,
  input  logic [31:0]            res_rx_off_i,
  input  logic                   res_release_slot_i,
  input  logic                   res_tx_kick_i,
  input  logic                   res_half_open_add_i,
  input  logic                   res_half_open_done_i,
  input  logic [31:0]            res_evict_conn_i,
  input  logic                   res_chal_token_used_i,
  input  logic                   res_listen_write_i,
  input  logic [15:0]            res_listen_slot_i,
  input  logic                   res_listen_valid_i,
  input  logic [15:0]            res_listen_port_i,

  // tcb_update's pushes (counters, the response, the events with their hold bit)
  input  logic                   upd_rsp_push_i,
  input  logic [TxReqW-1:0]      upd_rsp_data_i,
  input  logic [toe_fsm_pkg::NEvtW-1:0] upd_evt_n_i,
  input  logic [toe_fsm_pkg::MaxEvents*EntW-1:0] upd_evt_i,
  input  logic [2*CntW-1:0]      upd_count_i,

  // rx_copy: the copy queue's head, its pop and the slot it releases
  output logic                   job_valid_o,
  output logic [IdxW-1:0]        job_conn_o,
  output logic [3:0]             job_slot_o,
  output logic [15:0]            job_off_o,
  output logic [15:0]            job_len_o,
  output logic [31:0]            job_rx_off_o,
  input  logic                   copy_pop_i,
  input  logic                   copy_release_i,
  input  logic [3:0]             copy_release_slot_i,
  input  logic                   frame_end_i,    // a frame ends on s_axis_rx this cycle: its slot is busy

  // tx_arbiter: the response queue's head, the ready queue's head and its TCB; its writes
  output logic                   rsp_valid_o,
  output logic [TxReqW-1:0]      rsp_front_o,
  output logic                   ready_valid_o,
  output logic [IdxW-1:0]        ready_conn_o,
  output logic [TcbW-1:0]        tcb_arb_o,
  input  logic                   arb_pop_rsp_i,
  input  logic                   arb_pop_ready_i,
  input  logic                   arb_requeue_i,
  input  logic                   arb_wr_i,
  input  logic [TcbW-1:0]        arb_wr_tcb_i,
  input  logic                   arb_retx_valid_i,   // tx_arbiter's retx_arm event (of its write the cycle before)
  input  logic [IdxW-1:0]        arb_retx_conn_i,
  input  logic [31:0]            arb_retx_una_i,
  input  logic [15:0]            arb_retx_lport_i,
  input  logic [toe_defs_pkg::StateW-1:0] arb_retx_state_i,

  // tx_build: the transmit buffers' word reads, and the frame-sent pulse (counted)
  input  logic                   txbuf_rd_en_i,
  input  logic [TxAddrW-1:0]     txbuf_rd_addr_i,
  output logic [8*DataBytes-1:0] txbuf_rd_data_o,
  input  logic                   frame_done_i,

  // the host's transmit-buffer byte write; the debug TCB read (registered: dbg_tcb_o shows the
  // TCB, as it stands, of the connection dbg_conn_next_i named in the cycle before)
  input  logic                   host_tx_we_i,
  input  logic [HostTxAW-1:0]    host_tx_addr_i,
  input  logic [7:0]             host_tx_wdata_i,
  input  logic [31:0]            dbg_conn_next_i,
  output logic [TcbW-1:0]        dbg_tcb_o,

  // toe_top's Moore outputs, registered here
  output logic                   rx_tready_o,
  output logic                   cmd_ready_o,
  output logic                   evt_valid_o,
  input  logic                   evt_ready_i,
  output logic [4:0]             evt_type_o,
  output logic [31:0]            evt_conn_o,
  output logic [31:0]            evt_value_o,
  output logic [15:0]            evt_lport_o,
  output logic [3:0]             evt_state_o,
  output logic [64*NCnt-1:0]     cnt_o,
  output logic [2:0]             trace_valid_o,
  output logic [3*32-1:0]        trace_conn_o,
  output logic [3*4-1:0]         trace_from_o,
  output logic [3*4-1:0]         trace_to_o,
  output logic [63:0]            cycle_o,
  output logic [31:0]            active_sessions_o,
  output logic [31:0]            half_open_o,
  output logic                   init_busy_o,         // the tables' initialisation after a reset (init_q)
  output logic                   evt_pending_o,   // the event queue holds an entry
  output logic                   copy_pending_o   // the copy queue holds a job
);

  // ---- derived sizes ------------------------------------------------------------------
  localparam int unsigned Buckets  = 1 << IdxW;           // smallest power of two >= Sessions (2 at 1)
  localparam int unsigned Ways     = 8;
  localparam int unsigned SlotIW   = $clog2(RxSlots);      // index of a slot / copy job (2 .. 4 bits)
  localparam int unsigned RspPW    = (RspDepth > 1) ? $clog2(RspDepth) : 1;
  localparam int unsigned EvtPW    = (EvtDepth > 1) ? $clog2(EvtDepth) : 1;
  localparam int unsigned LstW     = (ListenEntries > 1) ? $clog2(ListenEntries) : 1;
  localparam logic [31:0] NoConn   = toe_fsm_pkg::NoConn;
  localparam logic [31:0] SessionsW = 32'(Sessions);

  if (Sessions > Buckets) begin : gen_bad_buckets
    $error("toe_tables: Buckets must hold Sessions");
  end

  // The event queue takes up to EvtPorts pushes a cycle, at consecutive entries (toe_evt_ram: 8
  // interleaved banks, one write port each; EvtDepth is a multiple of 8: toe_param_check).
  // The free list and the ready queue take two pushes a cycle, at consecutive entries: two banks
  // each (entry a in bank a % 2), one write port per bank (Sessions is even: toe_param_check).
  localparam int unsigned HalfW = (Sessions > 2) ? IdxW - 1 : 1;

  // The bucket of a 4-tuple (C++ Tables::bucket_of): the low bits of toe_conn_lookup's hash.
  function automatic logic [BucketW-1:0] bucket_of(input logic [31:0] rip, input logic [15:0] rport,
                                                   input logic [15:0] lport);
    bucket_of = (Sessions > 1) ? BucketW'(toe_hash_pkg::tuple_hash(rip, rport, lport)) : '0;
  endfunction

  // The pointers and counts of the queues are 32-bit variables (as the model's), but a pointer is
  // below its queue's depth n and a count at most n: each step masks its result to the bits those
  // need (span(n): ones up to n's highest bit), so the bits above are constant zeros and synthesis
  // drops them along every chain of steps, registers included.
  function automatic logic [31:0] span(input int unsigned n);
    logic [31:0] m;
    m = 32'(n);
    m = m | (m >> 1); m = m | (m >> 2); m = m | (m >> 4); m = m | (m >> 8); m = m | (m >> 16);
    span = m;
  endfunction

  // Count c (<= n) plus or minus one (within 0 .. n).
  function automatic logic [31:0] inc_cnt(input logic [31:0] c, input int unsigned n);
    inc_cnt = (c + 32'd1) & span(n);
  endfunction
  function automatic logic [31:0] dec_cnt(input logic [31:0] c, input int unsigned n);
    dec_cnt = (c - 32'd1) & span(n);
  endfunction

  // Pointer p (< n) advanced by a (< n), modulo n.
  function automatic logic [31:0] add_mod(input logic [31:0] p, input logic [31:0] a, input int unsigned n);
    logic [31:0] t;
    t = p + a;
    add_mod = ((t >= 32'(n)) ? t - 32'(n) : t) & span(n - 1);
  endfunction

  // Pointer p (< n) advanced by one, modulo n.
  function automatic logic [31:0] inc_mod(input logic [31:0] p, input int unsigned n);
    inc_mod = add_mod(p, 32'd1, n);
  endfunction

  // An event entry as the queue holds it: the connection (an entry's number, or NoConn: tcp_fsm
  // and tx_arbiter name no other) in IdxW + 1 bits, {NoConn, number}, not 32. Simulation checks
  // every push (below).
  function automatic logic [NarW-1:0] evt_pack(input logic [EntW-1:0] e);
    evt_pack = {e[EntW-1:EvtConnLo+32], e[EvtConnLo +: 32] == NoConn, e[EvtConnLo +: IdxW], e[EvtConnLo-1:0]};
  endfunction
  function automatic logic [EntW-1:0] evt_unpack(input logic [NarW-1:0] n);
    evt_unpack = {n[NarW-1:NarW-6], n[EvtConnLo + IdxW] ? NoConn : 32'(n[EvtConnLo +: IdxW]), n[EvtConnLo-1:0]};
  endfunction
  // A queued entry in toe_evt_ram: the bits each push brings ({hold, type}, value, state: evt_own)
  // and the ones all events of one result share (the connection, as packed, and the local port:
  // evt_shared; tcp_fsm's result names one connection and one TCB for all its events, and
  // simulation checks every push, below); evt_join puts them back in evt_pack's order.
  localparam int unsigned OwnW = 6 + 32 + toe_defs_pkg::StateW;
  localparam int unsigned ShW  = IdxW + 1 + 16;
  /* verilator lint_off UNUSEDSIGNAL */  // each takes some of the bits
  function automatic logic [OwnW-1:0] evt_own(input logic [NarW-1:0] n);
    evt_own = {n[NarW-1:NarW-6], n[EvtConnLo-1 -: 32], n[toe_defs_pkg::StateW-1:0]};
  endfunction
  function automatic logic [ShW-1:0] evt_shared(input logic [NarW-1:0] n);
    evt_shared = {n[EvtConnLo +: IdxW + 1], n[toe_defs_pkg::StateW +: 16]};
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */
  function automatic logic [NarW-1:0] evt_join(input logic [OwnW-1:0] o, input logic [ShW-1:0] h);
    evt_join = {o[OwnW-1 -: 6], h[ShW-1 -: IdxW + 1], o[OwnW-7 -: 32], h[15:0], o[toe_defs_pkg::StateW-1:0]};
  endfunction
  if (EvtConnLo != 32 + 16 + toe_defs_pkg::StateW) begin : gen_bad_evt
    $error("toe_tables: evt_t changed: update evt_own/evt_shared/evt_join");
  end

  // The consumer takes the event on evt_* this cycle.
  logic evt_fire;
  assign evt_fire = evt_valid_o && evt_ready_i;

  // ---- the tables -----------------------------------------------------------------------
  // Memories are not reset: valid bits say which entries hold data (flip-flops; the index's are
  // memories in u_index, cleared by init_q after a reset).
  // The TCB is toe_tcb_ram (u_tcb, below): its three narrow tables (the fields only tcp_fsm
  // writes; the transmit fields, in tcp_fsm's copy and tx_arbiter's, with a live-value table),
  // each copied per reader, every read registered. Beside it:
  //   key         the state, the index bucket of the 4-tuple and the way that holds the entry's
  //               index entry, written with tcp_fsm's TCB, for the reads that need only them (the
  //               trace's state before; the bucket and the way of the evicted and the freed
  //               entry): the bucket is hashed once, as the TCB is written, and the entry leaves
  //               the index at the way it was inserted at, with no read of the index's ways;
  //               and the set bit its index entry was written with (u_index: the removal writes
  //               the way's clear bit to it).
  //               Its valid bit (0: the entry reads as the reset TCB: key_reset) is written with
  //               it, 0 when tcp_fsm frees the entry, as u_tcb's is; and so is the entry's
  //               SYN-cache flag, which changes only with tcp_fsm's TCB write.
  //               A memory in two copies written alike (u_key_f, u_key_v, below), each read
  //               registered, its address issued a cycle ahead: at tcp_fsm's connection
  //               (rd_conn_n) and at the SYN-cache order's head (ho_h0_n), the entry an eviction
  //               takes. tcp_fsm writes the connection read for it, or an insert's: the evicted
  //               entry, or the free list's head, whose valid bit is 0 (checked under Verilator).
  localparam int unsigned KeyW  = toe_fsm_pkg::StateW + BucketW + 1 + 3 + 1;
  logic [KeyW+1:0]            key_f_q, key_v_q;  // {SYN-cache flag, valid, state, bucket, indexed, way, set bit}
  // The initialisation after a reset: init_q is the bucket whose valid bits are cleared now.
  logic [BucketW-1:0]         init_q;
  logic                       init_busy_q, init_busy_d;
  assign init_busy_d = init_busy_q && init_q != BucketW'(Buckets - 1);
  // The index's entries are toe_index_ram (u_index, below): one memory per way, Buckets deep,
  // each read at the looked-up bucket only (the key and the connection): an entry leaves the
  // index at the bucket and the way the key recorded.
  logic [BucketW-1:0]         eb_v, eb_f;
  // The state (the trace), the bucket and the index way of tcp_fsm's connection (st_f, eb_f,
  // ix_f: it has an index entry, wy_f: its way) and of the evicted one (st_v, eb_v, ix_v, wy_v)
  // at the start of the cycle, from the key; res_bucket: the bucket of the TCB tcp_fsm writes (its
  // index insert, and the key's entry); res_ixw: the key's {indexed, way} of that write.
  logic [3:0]                 st_v, st_f;
  logic                       ix_v, ix_f;
  logic [2:0]                 wy_v, wy_f;
  logic                       s_v, s_f;                          // the set bit of their index entry
  logic [BucketW-1:0]         res_bucket;
  logic [4:0]                 res_ixw;
  /* verilator lint_off UNUSEDSIGNAL */  // the 4-tuple and the state are read
  toe_fsm_pkg::tcb_t          res_tcb;                           // res_tcb_i as its fields
  /* verilator lint_on UNUSEDSIGNAL */
  logic [KeyW-1:0]            key_reset;  // the key's view of an entry not valid (the reset TCB): closed, 4-tuple 0
  logic [ListenEntries-1:0]   lst_valid_q;
  logic [15:0]                lst_port_q  [ListenEntries];
  logic [IdxW-1:0]            free_rd;                           // the entry at the free list's head
  logic [31:0]                free_head_q, free_tail_q, free_cnt_q;  // the queue of freed entries
  logic [31:0]                fresh_q;                           // entries fresh_q .. Sessions-1 never used
  logic [31:0]                ho_head_q, ho_tail_q, ho_cnt_q;   // SYN-cache order queue
  // The SYN-cache order and the ready queue are memories in two banks each (gen_half_bank: entry
  // a in bank a mod 2), read registered: the entries the next cycle's heads can be are read a
  // cycle ahead (below), so neither queue's head is a combinational read of its memory.
  logic [1:0]                 ho_pops;                           // the order's pops this cycle (0..2)
  logic [IdxW-1:0]            ho_bank_rd [2], txr_bank_rd [2];   // the banks' reads (gen_half_bank)
  // The SYN-cache flags (C++ half_open_flag) and the ready-queue flags (C++ tx_queued) are
  // memories, one bit per entry, each read registered and issued a cycle ahead (p_flags, below).
  logic [31:0]                half_open_q;                       // C++ half_open_count
  logic [31:0]                txr_head_q, txr_tail_q, txr_cnt_q;
  logic                       ho_f_fsm, ho_f_h0, ho_f_h1;        // the SYN-cache flag of tcp_fsm's
                                                                 // connection, of the order's head and the entry after
  logic [IdxW-1:0]            ho_h0_q, ho_h1_q;                  // those two entries (the order's head and the next)
  logic [IdxW-1:0]            ho_h0_n, ho_h1_n;                  // and of the next cycle (p_ho_next)
  logic                       ho_new;                            // the flag written with tcp_fsm's TCB
  logic                       txq_q1_f, txq_q2_f, txq_q1_a;      // the ready-queue flag's two halves (below)
  logic                       txq_set;                           // tcp_fsm's kick queues its connection
  logic                       ho_clr_c_s, ho_set_c_s;            // p_tables_d's ho_clr_c, ho_set_c (the checks)
  logic [TxReqW-1:0]          rsp_mem_q [RspDepth];
  logic [31:0]                rsp_head_q, rsp_tail_q, rsp_cnt_q;
  logic [NarW-1:0]            evt_rd_head;                       // the entry at the head after the pop
  logic [31:0]                evt_head_q, evt_tail_q, evt_cnt_q;
  logic [IdxW-1:0]            cj_conn_q  [RxSlots];
  logic [3:0]                 cj_slot_q  [RxSlots];
  logic [15:0]                cj_off_q   [RxSlots];
  logic [15:0]                cj_len_q   [RxSlots];
  logic [31:0]                cj_rxoff_q [RxSlots];
  logic [31:0]                cj_head_q, cj_tail_q, cj_cnt_q;
  logic [31:0]                slots_busy_q;
  logic [RxSlots-1:0]         slot_busy_q;                       // per slot: a frame not yet released
  logic [3:0]                 fill_q;                            // the slot rx_parse fills next
  logic signed [31:0]         credit_q;                          // C++ copy_credit
  logic [31:0]                tokens_q;                          // C++ chal_tokens (once loaded)
  logic                       tokens_loaded_q;                   // 0 after reset: the tokens are the burst
  logic [31:0]                tokens;
  assign tokens = tokens_loaded_q ? tokens_q : cfg_chal_global_burst_i;
  logic [63:0]                refill_q;                          // C++ chal_refill_cycle
  logic [63:0]                cycle_q;
  logic [31:0]                isn_pre_q, isn_ticks_q;            // cycle / (4 * clock MHz)
  logic [63:0]                cnt_q [NCnt];

  // ---- table reads for tcp_fsm (C++ TcpFsm::eval_*: the tables at the start of the cycle) --
  // The index and the TCB are read a cycle ahead (see "tcp_fsm's reads, issued a cycle ahead"
  // below); the listen table is read in the cycle, from its registers.
  logic               lk_hit_q, bucket_room_q, lmatch_valid, lfree_valid;
  logic [IdxW-1:0]    lk_conn_q, rd_conn_q;  // rd_conn_q: the entry tcb_fsm shows (u_tcb's fsm read)
  logic [15:0]        lmatch_slot, lfree_slot;
  always_comb begin
    lmatch_valid = 1'b0;
    lmatch_slot = '0;
    lfree_valid = 1'b0;
    lfree_slot = '0;
    for (int i = 0; i < ListenEntries; i++) begin
      if (lst_valid_q[i] && lst_port_q[i] == listen_port_i) begin  // the last one wins
        lmatch_valid = 1'b1;
        lmatch_slot  = 16'(i);
      end
    end
    for (int i = ListenEntries - 1; i >= 0; i--) begin       // the first one wins
      if (!lst_valid_q[i]) begin
        lfree_valid = 1'b1;
        lfree_slot  = 16'(i);
      end
    end
  end

  // The free list: the never-used entries in order, then the freed ones (C++ free_list order).
  logic            free_valid;
  logic [IdxW-1:0] free_conn;
  assign free_valid = fresh_q < SessionsW || free_cnt_q != 0;
  assign free_conn  = (fresh_q < SessionsW) ? fresh_q[IdxW-1:0] : free_rd;

  // TCB reads: an entry never written reads as the reset TCB.
  toe_fsm_pkg::tcb_t tcb_fsm;
  toe_fsm_pkg::tcb_t tcb_arb;
  toe_fsm_pkg::tcb_t tcb_dbg;
  logic [IdxW-1:0]   txr_front;
  // Every TCB read is issued a cycle ahead (toe_tcb_ram, below).
  assign dbg_tcb_o = tcb_dbg;

  // The challenge-ACK refill period (C++ default for 0: clock MHz * 10,000 cycles).
  logic [63:0] refill_period;
  assign refill_period = (cfg_chal_global_cycles_i != 0) ? {32'h0, cfg_chal_global_cycles_i}
                                                         : {32'h0, cfg_clock_mhz_i} * 64'd10000;

  // Transmit buffers: written by the host a byte at a time (host_tx_* or the simulation's array
  // access), read by tx_build a word at a time (data the next cycle). DataBytes byte-wide banks
  // (gen_txb[k].mem, buffer byte a in bank a mod DataBytes at a / DataBytes), as toe_rx_copy's
  // receive buffers: each bank has one write port and one read, so the buffers are stored once,
  // not once per byte lane of the read (one memory read at DataBytes addresses a cycle was
  // copied DataBytes times). Each bank's read register is its own (gen_txb[k].rd_q).
  localparam int unsigned TxBankW = $clog2(Sessions * TxBufBytes / DataBytes);
  for (genvar k = 0; k < DataBytes; k++) begin : gen_txb
    logic [7:0] mem [Sessions * TxBufBytes / DataBytes] /*verilator public_flat_rw*/;
    logic [7:0] rd_q;
    always_ff @(posedge clk_i) begin
      if (host_tx_we_i && 32'(host_tx_addr_i) % DataBytes == k)
        mem[TxBankW'(32'(host_tx_addr_i) / DataBytes)] <= host_tx_wdata_i;
    end
    always_ff @(posedge clk_i) begin
      if (txbuf_rd_en_i) rd_q <= mem[TxBankW'(txbuf_rd_addr_i)];
    end
    assign txbuf_rd_data_o[8*k +: 8] = rd_q;
  end

  // ---- the tables' next state (C++ Engine::commit order) --------------------------------
  // p_tables_d computes, from the tables at the start of the cycle, every register's next value
  // (*_d) and the write ports of the memories; p_regs and p_mems clock them. The memories have
  // no reset (valid bits and pointers do), so synthesis keeps them as memories.
  logic [31:0] tr_conn_q [3], tr_conn_d [3];
  logic [3:0]  tr_from_q [3], tr_from_d [3], tr_to_q [3], tr_to_d [3];
  logic [2:0]  tr_valid_q, tr_valid_d;
  logic        rx_tready_q, rx_tready_d, cmd_ready_q, cmd_ready_d, evt_valid_q, evt_valid_d;
  logic [NarW-1:0] evt_out_q, evt_out_d;  // as queued (evt_pack)
  logic [EvtW-1:0] evt_out;                // the entry on evt_* (its hold bit aside)
  logic [3:0]  cnt_inc [NCnt];
  logic [ListenEntries-1:0] lst_valid_d;
  logic [31:0] evt_head_d, evt_tail_d, evt_cnt_d, rsp_head_d, rsp_tail_d, rsp_cnt_d;
  logic [31:0] free_head_d, free_tail_d, free_cnt_d, fresh_d, ho_head_d, ho_tail_d, ho_cnt_d, half_open_d;
  logic [31:0] txr_head_d, txr_tail_d, txr_cnt_d, cj_head_d, cj_tail_d, cj_cnt_d, slots_busy_d, tokens_d;
  logic signed [31:0] credit_d;
  logic [RxSlots-1:0] slot_busy_d;
  logic [3:0]  fill_d;
  logic        refill_we;
  logic        isn_wrap;

  // Memory write ports (at most one write per port and cycle).
  localparam int unsigned EvtPorts = toe_fsm_pkg::MaxEvents + 1;   // tcb_update's events, the retx arm
  logic                   tcb_we_f, tcb_we_a;                    // tcp_fsm's result, tx_arbiter's update
  logic                   tcb_we_fm;                             // tcp_fsm's write reaches the tables
  logic                   tcb_init;                              // init_q clears entry init_q's valid bit
  logic [IdxW-1:0]        tcb_wa_f, tcb_wa_a;
  logic [TcbW-1:0]        tcb_wd_f, tcb_wd_a;
  logic                   idx_we;
  logic                   iv_clr_v, iv_clr_f;                    // the evicted, the freed connection's way cleared
  logic                   idx_ws;                                // the set bit of the inserted way
  logic                   idx_clr;                               // either's removal (never both: checked below)
  logic [BucketW+2:0]     idx_clr_a;                             //   bucket * Ways + way
  logic                   idx_clr_s;                             //   its set bit
  logic [Ways-1:0]        pk_vm, fk_vm_q;                        // the valid ways of the bucket looked up (below)
  logic [Ways-1:0]        pk_c, fk_c_q;                          // and its clear bits
  toe_fsm_pkg::tcb_t      idx_wkey;                              // the inserted TCB (its 4-tuple)
  logic [BucketW+2:0]     idx_wa;                                // bucket * Ways + way
  logic [IdxW-1:0]        idx_wconn;
  logic                   rsp_we;
  logic [RspPW-1:0]       rsp_wa;
  logic [EvtPorts-1:0]    evt_we;                                // push j: at entry evt_tail_q + j (mod EvtDepth)
  logic [EvtPorts-1:0]    evt_retx;                              // push j is the retx arm's (else tcb_update's j-th)
  logic [NarW-1:0]        retx_ent;                              // the retx arm's event, as queued
  logic [1:0]             free_we;                               // the evicted entry, the freed one
  logic [IdxW-1:0]        free_wa [2], free_wd [2];
  logic                   ho_we;
  logic [IdxW-1:0]        ho_wa;
  logic [1:0]             txr_we;                                // tcp_fsm's kick, tx_arbiter's requeue
  logic [IdxW-1:0]        txr_wa [2], txr_wd [2];
  logic                   cj_we;
  logic [SlotIW-1:0]      cj_wa;
  logic                   lst_we;
  logic [LstW-1:0]        lst_wa;

  // The event tx_arbiter's retransmission arm pushes (C++ TxArbiter::commit): its connection (the
  // ready queue's front, an entry), the TCB it writes.
  assign retx_ent = evt_pack({1'b0, toe_defs_pkg::EvtRetxArm, 32'(arb_retx_conn_i), arb_retx_una_i, arb_retx_lport_i,
                              arb_retx_state_i});

  always_comb begin : p_tables_d
    logic [31:0] eh, et, ec, rh, rt, rc, fh, ft, fc, fr, hh, ht, hc, xh, xt, xc, jh, jt, jc, sb, hoc, tok;
    logic [1:0]  hp;                                   // the SYN-cache order's pops
    logic signed [31:0] cr;
    logic [RxSlots-1:0] sbm;
    logic [3:0]  fl;
    logic [NarW-1:0] first_push;                        // the first entry pushed into an empty queue
    logic [NarW-1:0] nar;                               // the head entry after this cycle
    logic [2:0]  np;                                    // tcb_update's events pushed (a prefix of its n)
    logic [2:0]  nh;                                    // its events dropped with the hold bit
    logic [31:0] room;
    logic [31:0] v, c;
    logic [IdxW-1:0] vi, ci, hd;
    logic [3:0]  st_before, st_after, st_from;
    logic [BucketW-1:0] ib;
    logic [Ways-1:0] vm;                               // the inserted bucket's valid ways
    logic        erased;
    logic [Ways-1:0] emask;                            // the evicted connection's way, if indexed
    logic        ho_clr_v, ho_clr_c, ho_set_c, hflag, ins_done, ho_pushed;
    logic [31:0] sb_other;                             // slots_busy after every step but tcp_fsm's
    logic        fsm_rel;                              // tcp_fsm frees its segment's slot now
    eh = evt_head_q; et = evt_tail_q; ec = evt_cnt_q;
    rh = rsp_head_q; rt = rsp_tail_q; rc = rsp_cnt_q;
    fh = free_head_q; ft = free_tail_q; fc = free_cnt_q; fr = fresh_q;
    hh = ho_head_q; ht = ho_tail_q; hc = ho_cnt_q; hoc = half_open_q; hp = '0;
    xh = txr_head_q; xt = txr_tail_q; xc = txr_cnt_q;
    jh = cj_head_q; jt = cj_tail_q; jc = cj_cnt_q;
    sb = slots_busy_q; cr = credit_q; tok = tokens; sbm = slot_busy_q; fl = fill_q;
    for (int i = 0; i < NCnt; i++) cnt_inc[i] = '0;
    first_push = '0; nar = '0;
    nh = '0; room = '0;
    ho_clr_v = 1'b0; ho_clr_c = 1'b0; ho_set_c = 1'b0; ins_done = 1'b0; ho_pushed = 1'b0;
    v = res_evict_conn_i; c = res_conn_i;
    vi = v[IdxW-1:0]; ci = c[IdxW-1:0];
    hd = '0; hflag = 1'b0; st_before = '0; st_after = '0; st_from = '0; ib = '0;
    erased = 1'b0; emask = '0;
    lst_valid_d = lst_valid_q;
    vm = '0; iv_clr_v = 1'b0; iv_clr_f = 1'b0;
    ho_new = 1'b0; txq_set = 1'b0;
    tr_valid_d = '0;
    for (int i = 0; i < 3; i++) begin
      tr_conn_d[i] = tr_conn_q[i]; tr_from_d[i] = tr_from_q[i]; tr_to_d[i] = tr_to_q[i];
    end
    tcb_we_f = 1'b0; tcb_wa_f = ci; tcb_wd_f = res_tcb_i;
    tcb_we_a = 1'b0; tcb_wa_a = txr_front; tcb_wd_a = arb_wr_tcb_i;
    idx_we = 1'b0; idx_wa = '0; idx_wconn = ci; idx_wkey = res_tcb_i; idx_ws = 1'b0;
    rsp_we = 1'b0; rsp_wa = rt[RspPW-1:0];
    evt_we = '0; evt_retx = '0; np = '0;
    free_we = '0; free_wa[0] = '0; free_wa[1] = '0; free_wd[0] = vi; free_wd[1] = ci;
    ho_we = 1'b0; ho_wa = ht[IdxW-1:0];
    txr_we = '0; txr_wa[0] = '0; txr_wa[1] = '0; txr_wd[0] = ci; txr_wd[1] = txr_front;
    cj_we = 1'b0; cj_wa = jt[SlotIW-1:0];
    lst_we = 1'b0; lst_wa = res_listen_slot_i[LstW-1:0];

    // 1. the event taken by the consumer
    if (evt_fire) begin
      if (evt_out_q[NarW-1]) cr = cr - 1;  // the head entry (the one on evt_*), with its hold bit
      eh = inc_mod(eh, EvtDepth);
      ec = dec_cnt(ec, EvtDepth);
    end
    // 2. a frame ended: counted, its slot busy
    if (frame_end_i) begin
      cnt_inc[toe_defs_pkg::CntFramesIn] = cnt_inc[toe_defs_pkg::CntFramesIn] + 1;
      sb = inc_cnt(sb, RxSlots);
      sbm[SlotIW'(fl)] = 1'b1;
      fl = (fl == 4'(RxSlots - 1)) ? 4'd0 : fl + 4'd1;
    end
    // 3. tcb_update: counters, the response, the events (C++ TcbUpdate::apply)
    for (int k = 0; k < 2; k++) begin
      if (upd_count_i[k*CntW +: CntW] != toe_defs_pkg::CntNone)
        cnt_inc[upd_count_i[k*CntW +: CntW]] = cnt_inc[upd_count_i[k*CntW +: CntW]] + 1;
    end
    if (upd_rsp_push_i) begin
      if (rc == 32'(RspDepth)) begin
        cnt_inc[toe_defs_pkg::CntDropOverflow] = cnt_inc[toe_defs_pkg::CntDropOverflow] + 1;
      end else begin
        rsp_we = 1'b1;
        rsp_wa = rt[RspPW-1:0];
        rt = inc_mod(rt, RspDepth);
        rc = inc_cnt(rc, RspDepth);
      end
    end
    // Its events: as many as the queue has room for are pushed, in order (the model pushes them
    // one by one while there is room); the rest are counted as dropped, their hold bits released.
    room = 32'(EvtDepth) - ec;
    np = (32'(upd_evt_n_i) < room) ? upd_evt_n_i : 3'(room);
    for (int k = 0; k < toe_fsm_pkg::MaxEvents; k++) begin
      if (3'(k) < np) begin
        evt_we[k] = 1'b1;
      end else if (3'(k) < upd_evt_n_i) begin
        cnt_inc[toe_defs_pkg::CntEventsDropped] = cnt_inc[toe_defs_pkg::CntEventsDropped] + 1;
        if (upd_evt_i[k*EntW + EvtW]) nh = nh + 3'd1;
      end
    end
    cr = cr - 32'(nh);
    if (ec == 0 && np != 0) first_push = evt_pack(upd_evt_i[EntW-1:0]);
    et = add_mod(et, 32'(np), EvtDepth);
    ec = (ec + 32'(np)) & span(EvtDepth);
    // 4. tcp_fsm's writes (C++ TcpFsm::commit). A TCB reset clears the entry's valid bit (the
    // evicted entry is the one tcp_fsm writes, checked below; a free writes the valid bit 0).
    if (res_valid_i) begin
      st_before = (c < SessionsW) ? st_f : toe_defs_pkg::StClosed;
      if (v != NoConn) begin  // SYN cache full: the oldest half-open goes
        if (v != c) begin
          tr_valid_d[0] = 1'b1; tr_conn_d[0] = v; tr_from_d[0] = st_v; tr_to_d[0] = toe_defs_pkg::StClosed;
        end
        // the way the key recorded (C++ Tables::erase: the way that holds the connection; a way
        // already cleared stays so)
        for (int w = 0; w < Ways; w++) begin
          emask[w] = ix_v && wy_v == 3'(w);
        end
        erased = 1'b1;
        iv_clr_v = ix_v;
        ho_clr_v = 1'b1;
        hh = inc_mod(hh, Sessions);
        hp = hp + 2'd1;
        hc = dec_cnt(hc, Sessions);
        hoc = dec_cnt(hoc, Sessions);
        if (v != c) begin
          free_we[0] = 1'b1; free_wa[0] = ft[IdxW-1:0];
          ft = inc_mod(ft, Sessions);
          fc = inc_cnt(fc, Sessions);
        end
      end
      if (res_index_insert_i) begin
        if (c != v) begin  // c was the free list's head
          if (fr < SessionsW) begin
            fr = inc_cnt(fr, Sessions);
          end else begin
            fh = inc_mod(fh, Sessions);
            fc = dec_cnt(fc, Sessions);
          end
        end
        tcb_we_f = 1'b1;
        ib = res_bucket;
        vm = fk_vm_q;  // the bucket looked up (ib is fk_bucket_q: checked in simulation, below)
        for (int w = 0; w < Ways; w++) begin
          if ((!vm[w] || (erased && ib == eb_v && emask[w])) && !ins_done) begin
            idx_we = 1'b1;
            idx_wa = (BucketW + 3)'(32'(ib) * Ways + w);
            // valid: the set bit the complement of the way's clear bit (the eviction's, if it
            // clears this very way now)
            idx_ws = !((erased && ib == eb_v && emask[w]) ? s_v : fk_c_q[w]);
            ins_done = 1'b1;  // the first free way
          end
        end
      end
      hflag = ho_f_fsm && !(ho_clr_v && vi == ci);  // the flag of rd_conn_q, which is ci (checked below)
      if (res_half_open_done_i && hflag) begin
        ho_clr_c = 1'b1;
        hoc = dec_cnt(hoc, Sessions);
      end
      if (res_half_open_add_i) begin
        ho_set_c = 1'b1;
        hoc = inc_cnt(hoc, Sessions);
        if (hc != SessionsW) begin  // a full order queue (stale entries behind a live head) drops it
          ho_we = 1'b1; ho_wa = ht[IdxW-1:0];
          ht = inc_mod(ht, Sessions);
          hc = inc_cnt(hc, Sessions);
          ho_pushed = 1'b1;
        end
      end
      if (res_free_conn_i) begin
        iv_clr_f = ix_f;  // its way, as for the evicted one
        tcb_we_f = 1'b1;  // its valid bit cleared (tcb_wvld_f)
        free_we[1] = 1'b1; free_wa[1] = ft[IdxW-1:0];
        ft = inc_mod(ft, Sessions);
        fc = inc_cnt(fc, Sessions);
      end else if (res_tcb_write_i) begin
        tcb_we_f = 1'b1;
      end
      if (res_payload_i) begin  // rx_copy moves the bytes and frees the slot
        cj_we = 1'b1; cj_wa = jt[SlotIW-1:0];
        jt = inc_mod(jt, RxSlots);
        jc = inc_cnt(jc, RxSlots);
      end else if (res_release_slot_i) begin
        sb = dec_cnt(sb, RxSlots);
        sbm[SlotIW'(res_slot_i)] = 1'b0;
      end
      if (res_tx_kick_i && !res_free_conn_i && !(txq_q1_f ^ txq_q2_f)) begin
        txq_set = 1'b1;
        txr_we[0] = 1'b1; txr_wa[0] = xt[IdxW-1:0];
        xt = inc_mod(xt, Sessions);
        xc = inc_cnt(xc, Sessions);
      end
      if (res_listen_write_i) begin
        lst_valid_d[res_listen_slot_i[LstW-1:0]] = res_listen_valid_i;
        lst_we = 1'b1;
      end
      if (c < SessionsW) begin  // the trace (C++ on_state_change)
        st_after = res_free_conn_i ? toe_defs_pkg::StClosed : (res_tcb_write_i ? res_tcb.state : st_before);
        st_from  = (v == c) ? toe_defs_pkg::StClosed : st_before;
        if (res_via_i != toe_defs_pkg::StClosed && res_via_i != st_from) begin
          tr_valid_d[1] = 1'b1; tr_conn_d[1] = c; tr_from_d[1] = st_from; tr_to_d[1] = res_via_i;
          tr_valid_d[2] = 1'b1; tr_conn_d[2] = c; tr_from_d[2] = res_via_i; tr_to_d[2] = st_after;
        end else if (st_before != st_after || (res_index_insert_i && v == c)) begin
          tr_valid_d[1] = 1'b1; tr_conn_d[1] = c; tr_from_d[1] = st_from; tr_to_d[1] = st_after;
        end
      end
      if (res_chal_token_used_i && tok != 0) tok = tok - 1;
      // The SYN-cache flag tcp_fsm's TCB write takes (the evicted entry is ci): set, cleared,
      // 0 for an entry inserted from the free list (a free entry's flag is 0), else as read.
      ho_new = ho_set_c || (!ho_clr_c && !ho_clr_v && !res_index_insert_i && ho_f_fsm);
    end
    // The index's valid bits (u_index): the inserted way's set bit written (idx_we, idx_ws), the
    // evicted or the freed connection's way's clear bit (idx_clr, below).
    // Background clean-up of the SYN-cache order: one stale head per cycle.
    if (hc != 0) begin
      if (ho_pushed && hh == ho_tail_q) hd = ci;  // the head is the entry pushed this cycle
      else hd = (hh == ho_head_q) ? ho_h0_q : ho_h1_q;  // the head, or the one after an eviction's pop
      hflag = (hh == ho_head_q) ? ho_f_h0 : ho_f_h1;
      if (res_valid_i && ho_clr_v && hd == vi) hflag = 1'b0;
      if (res_valid_i && ho_clr_c && hd == ci) hflag = 1'b0;
      if (res_valid_i && ho_set_c && hd == ci) hflag = 1'b1;
      if (!hflag) begin
        hh = inc_mod(hh, Sessions);
        hp = hp + 2'd1;
        hc = dec_cnt(hc, Sessions);
      end
    end
    // 5. rx_copy (C++ RxCopy::commit)
    if (copy_release_i) begin
      sb = dec_cnt(sb, RxSlots);
      for (int i = 0; i < RxSlots; i++) if (copy_release_slot_i == 4'(i)) sbm[i] = 1'b0;
      cr = cr + 1;
    end
    if (copy_pop_i) begin
      jh = inc_mod(jh, RxSlots);
      jc = dec_cnt(jc, RxSlots);
    end
    // 6. tx_arbiter (C++ TxArbiter::commit)
    if (arb_pop_rsp_i) begin
      rh = inc_mod(rh, RspDepth);
      rc = dec_cnt(rc, RspDepth);
    end
    if (arb_pop_ready_i) begin
      xh = inc_mod(xh, Sessions);
      xc = dec_cnt(xc, Sessions);
      if (arb_requeue_i) begin
        txr_we[1] = 1'b1; txr_wa[1] = xt[IdxW-1:0];
        xt = inc_mod(xt, Sessions);
        xc = inc_cnt(xc, Sessions);
      end
    end
    if (arb_wr_i) begin  // a valid entry's (a synchronized state), never tcp_fsm's (busy_conn)
      tcb_we_a = 1'b1;
    end
    if (arb_retx_valid_i && ec != 32'(EvtDepth)) begin  // the push after tcb_update's (of the cycle before's write)
      for (int j = 0; j < EvtPorts; j++) evt_retx[j] = 3'(j) == np;
      evt_we = evt_we | evt_retx;
      if (ec == 0) first_push = retx_ent;
      et = inc_mod(et, EvtDepth);
      ec = inc_cnt(ec, EvtDepth);
    end
    // frames out: the pulse of this cycle
    if (frame_done_i) cnt_inc[toe_defs_pkg::CntFramesOut] = cnt_inc[toe_defs_pkg::CntFramesOut] + 1;
    // 7. challenge-ACK token bucket refill
    refill_we = cycle_q - refill_q >= refill_period;
    if (refill_we && tok < cfg_chal_global_burst_i) tok = tok + 1;
    isn_wrap = isn_pre_q + 32'd1 >= (cfg_clock_mhz_i << 2);

    evt_head_d = eh; evt_tail_d = et; evt_cnt_d = ec;
    rsp_head_d = rh; rsp_tail_d = rt; rsp_cnt_d = rc;
    free_head_d = fh; free_tail_d = ft; free_cnt_d = fc; fresh_d = fr;
    ho_head_d = hh; ho_tail_d = ht; ho_cnt_d = hc; half_open_d = hoc; ho_pops = hp;
    txr_head_d = xh; txr_tail_d = xt; txr_cnt_d = xc;
    cj_head_d = jh; cj_tail_d = jt; cj_cnt_d = jc;
    slots_busy_d = sb; credit_d = cr; tokens_d = tok; slot_busy_d = sbm; fill_d = fl;

    // Moore outputs of the next cycle (C++ Engine::commit's tail)
    // the slot the next frame goes to must be free (slots are released out of order). sb is
    // slots_busy after the frame's, tcp_fsm's and rx_copy's steps, each one count up or down
    // modulo the span: the test on it is made with and without tcp_fsm's release, on the count
    // after the other two, so the decision only chooses (no carry chain after it).
    fsm_rel  = res_valid_i && !res_payload_i && res_release_slot_i;
    sb_other = slots_busy_q;
    if (frame_end_i) sb_other = inc_cnt(sb_other, RxSlots);
    if (copy_release_i) sb_other = dec_cnt(sb_other, RxSlots);
    rx_tready_d = !init_busy_d && (fsm_rel ? dec_cnt(sb_other, RxSlots) + 3 < RxSlots : sb_other + 3 < RxSlots) &&
                  !sbm[SlotIW'(fl)] && 32'(RspDepth) - rc >= 8 && 32'(EvtDepth) - ec >= 32;
    // a command accepted next cycle reaches tcp_fsm three cycles from now, as a frame ending now
    // would: the slot is free iff none ends now (C++ Engine::cmd_slot_free_)
    cmd_ready_d = !init_busy_d && !frame_end_i && 32'(RspDepth) - rc >= 8 && 32'(EvtDepth) - ec >= 32;
    // The head after this cycle: an entry pushed this cycle when the queue was empty after the pop.
    nar = (evt_fire ? (evt_cnt_q - 1 == 0) : (evt_cnt_q == 0)) ? first_push : evt_rd_head;
    evt_valid_d = ec != 0 && !(nar[NarW-1] && cr <= 0);
    ho_clr_c_s = ho_clr_c; ho_set_c_s = ho_set_c;
    evt_out_d = (ec != 0 && !(nar[NarW-1] && cr <= 0)) ? nar : evt_out_q;  // held otherwise, as the model's
  end

  // ---- the registers (reset) --------------------------------------------------------------
  always_ff @(posedge clk_i or negedge rst_ni) begin : p_regs
    if (!rst_ni) begin
      init_q      <= '0;
      init_busy_q <= 1'b1;
      lst_valid_q <= '0;
      for (int i = 0; i < NCnt; i++) cnt_q[i] <= '0;
      free_head_q <= '0; free_tail_q <= '0; free_cnt_q <= '0; fresh_q <= '0;
      ho_head_q <= '0; ho_tail_q <= '0; ho_cnt_q <= '0; half_open_q <= '0;
      txr_head_q <= '0; txr_tail_q <= '0; txr_cnt_q <= '0;
      rsp_head_q <= '0; rsp_tail_q <= '0; rsp_cnt_q <= '0;
      evt_head_q <= '0; evt_tail_q <= '0; evt_cnt_q <= '0;
      cj_head_q <= '0; cj_tail_q <= '0; cj_cnt_q <= '0;
      slots_busy_q <= '0; credit_q <= '0; slot_busy_q <= '0; fill_q <= '0;
      tokens_q <= '0; tokens_loaded_q <= 1'b0; refill_q <= '0;
      cycle_q <= '0; isn_pre_q <= '0; isn_ticks_q <= '0;
      tr_valid_q <= '0;
      for (int i = 0; i < 3; i++) begin
        tr_conn_q[i] <= '0; tr_from_q[i] <= '0; tr_to_q[i] <= '0;
      end
      rx_tready_q <= 1'b0; cmd_ready_q <= 1'b0; evt_valid_q <= 1'b0;  // not before init_q is done
      // the model's Event{} (type closed, conn none) until the first event
      evt_out_q <= evt_pack({1'b0, toe_defs_pkg::EvtClosed, NoConn, 32'h0, 16'h0, toe_defs_pkg::StClosed});
    end else begin
      lst_valid_q <= lst_valid_d;
      if (init_busy_q) init_q <= init_q + 1'b1;
      init_busy_q <= init_busy_d;
      for (int i = 0; i < NCnt; i++) cnt_q[i] <= cnt_q[i] + 64'(cnt_inc[i]);
      evt_head_q <= evt_head_d; evt_tail_q <= evt_tail_d; evt_cnt_q <= evt_cnt_d;
      rsp_head_q <= rsp_head_d; rsp_tail_q <= rsp_tail_d; rsp_cnt_q <= rsp_cnt_d;
      free_head_q <= free_head_d; free_tail_q <= free_tail_d; free_cnt_q <= free_cnt_d; fresh_q <= fresh_d;
      ho_head_q <= ho_head_d; ho_tail_q <= ho_tail_d; ho_cnt_q <= ho_cnt_d; half_open_q <= half_open_d;
      txr_head_q <= txr_head_d; txr_tail_q <= txr_tail_d; txr_cnt_q <= txr_cnt_d;
      cj_head_q <= cj_head_d; cj_tail_q <= cj_tail_d; cj_cnt_q <= cj_cnt_d;
      slots_busy_q <= slots_busy_d; credit_q <= credit_d; tokens_q <= tokens_d; tokens_loaded_q <= 1'b1;
      slot_busy_q <= slot_busy_d; fill_q <= fill_d;
      if (refill_we) refill_q <= cycle_q;
      cycle_q <= cycle_q + 64'd1;
      if (isn_wrap) begin
        isn_pre_q   <= '0;
        isn_ticks_q <= isn_ticks_q + 32'd1;
      end else begin
        isn_pre_q <= isn_pre_q + 32'd1;
      end
      tr_valid_q <= tr_valid_d;
      for (int i = 0; i < 3; i++) begin
        tr_conn_q[i] <= tr_conn_d[i]; tr_from_q[i] <= tr_from_d[i]; tr_to_q[i] <= tr_to_d[i];
      end
      rx_tready_q <= rx_tready_d; cmd_ready_q <= cmd_ready_d; evt_valid_q <= evt_valid_d;
      evt_out_q <= evt_out_d;
    end
  end

  // ---- the memories (write ports; no reset) -----------------------------------------------
  always_ff @(posedge clk_i) begin : p_mems
    if (rsp_we) rsp_mem_q[rsp_wa] <= upd_rsp_data_i;
    if (cj_we) begin
      cj_conn_q[cj_wa]  <= res_conn_i[IdxW-1:0];
      cj_slot_q[cj_wa]  <= res_slot_i;
      cj_off_q[cj_wa]   <= res_payload_off_i;
      cj_len_q[cj_wa]   <= res_payload_len_i;
      cj_rxoff_q[cj_wa] <= res_rx_off_i;
    end
    if (lst_we) lst_port_q[lst_wa] <= res_listen_port_i;
  end

  // ---- the TCB (toe_tcb_ram): registered reads, issued a cycle ahead -------------------------
  // tcp_fsm's at the connection it decides on next cycle (rd_conn_n, below); tx_arbiter's at the
  // ready queue's front of the next cycle (txr_front_n: the head after this cycle's pops, with
  // this cycle's pushes forwarded); the debug read's at dbg_conn_next_i (CONN_SEL after this
  // cycle's write). Each sees the TCB as it stands in its cycle (the model's eval).
  logic [IdxW-1:0] txr_front_n, rd_conn_n;
  logic [TcbW-1:0] tcb_fsm_v, tcb_arb_v, tcb_dbg_v;
  // The ready queue's front of the next cycle: its front now (txr_front), or the entry after it
  // after a pop (read from the banks a cycle ahead: entry head + 1 is in the bank other than the
  // head's, Sessions being even), this cycle's pushes forwarded.
  always_comb begin
    txr_front_n = arb_pop_ready_i ? txr_bank_rd[!txr_head_q[0]] : txr_front;
    for (int k = 0; k < 2; k++) begin
      if (txr_we[k] && txr_wa[k] == txr_head_d[IdxW-1:0]) txr_front_n = txr_wd[k];
    end
  end
  assign tcb_init = init_busy_q && 32'(init_q) < SessionsW;
  toe_tcb_ram #(.Sessions(Sessions)) u_tcb (
    .clk_i, .init_i(tcb_init), .init_addr_i(init_q[IdxW-1:0]),
    .we_f_i(tcb_we_f), .wa_f_i(tcb_wa_f), .wd_f_i(tcb_wd_f), .wvld_f_i(!res_free_conn_i),
    .ins_f_i(res_index_insert_i), .evict_f_i(res_evict_conn_i != NoConn), .evict_addr_n_i(ho_h0_n),
    .we_a_i(tcb_we_a), .wa_a_i(tcb_wa_a), .wd_a_i(tcb_wd_a), .we_main_o(tcb_we_fm),
    .fsm_addr_n_i(rd_conn_n), .fsm_addr_o(rd_conn_q), .fsm_tcb_o(tcb_fsm_v),
    .arb_addr_n_i(txr_front_n), .arb_addr_o(txr_front), .arb_tcb_o(tcb_arb_v),
    .dbg_addr_n_i(dbg_conn_next_i[IdxW-1:0]), .dbg_ok_n_i(dbg_conn_next_i < SessionsW && !init_busy_q),
    .dbg_tcb_o(tcb_dbg_v));
  assign tcb_fsm = tcb_fsm_v;
  assign tcb_arb = tcb_arb_v;
  assign tcb_dbg = tcb_dbg_v;

  // ---- tcp_fsm's reads, issued a cycle ahead ------------------------------------------------
  // The key tcp_fsm decides on next cycle (the segment's, else the command's) is looked up now in
  // the index as it stands after this cycle's writes: each way read at the key's bucket (a
  // registered read, its address, pre2_bucket_i, given the cycle before). The ways are compared as
  // they stand at the start of the cycle (u_index), and this cycle's writes are applied to the
  // answer, so that the lookup does not wait on the decision that makes them:
  //   - tcp_fsm's insert: its key is the key it decides on (fk_key_q: a SYN's or a connect's own,
  //     checked under Verilator), so the next key finds it iff the two keys are equal (ins_same,
  //     a compare of two registers) and tcp_fsm inserts: then the connection is the inserted one;
  //   - the removals (the evicted and the freed entry): the way found is cleared now, so the key
  //     is not found (no two valid ways hold one key: an insert follows a lookup that missed).
  // Only the insert's connection reaches the TCB's read address; the removals reach lk_hit_q only.
  // The bucket's valid bits (pk_vm: their row, with this cycle's three bit writes forwarded;
  // fk_vm_q holds it for tcp_fsm's insert next cycle) give the room. The TCB is read at the
  // connection found (a command's own) at the clock edge, a write at that edge seen (toe_tcb_ram
  // reads write-first), as for tx_arbiter. Next cycle tcp_fsm sees the index and the TCB as they
  // stand at the start of its cycle, as the model's eval does.
  logic [31:0]        pk_rip;
  logic [15:0]        pk_rport, pk_lport;
  logic [BucketW-1:0] pk_bucket;
  logic               lk_hit_n, bucket_room_n;
  logic [IdxW-1:0]    lk_conn_n;
  logic               raw_hit, ins_same, ins_fwd, raw_cleared;  // the lookup before this cycle's writes, and after
  logic [IdxW-1:0]    raw_conn;
  logic [2:0]         raw_way;
  logic [63:0]        fk_key_q;      // the key tcp_fsm decides on, its bucket and the bucket's valid ways
  logic [BucketW-1:0] fk_bucket_q;
  assign pk_rip    = pre_seg_i ? pre_seg_sip_i   : pre_cmd_ip_i;
  assign pk_rport  = pre_seg_i ? pre_seg_sport_i : pre_cmd_port_i;
  assign pk_lport  = pre_seg_i ? pre_seg_dport_i : pre_cmd_lport_i;
  assign pk_bucket = pre_bucket_i;  // conn_lookup's hash of the segment's key, else of the command's
  // The bucket's valid bits' next value (one row read, the bit writes forwarded).
  logic [Ways-1:0] idx_rd_vm, idx_rd_c;  // the bucket's valid and clear bits at the start of the cycle
  assign idx_clr   = iv_clr_v || iv_clr_f;
  assign idx_clr_a = iv_clr_v ? {eb_v, wy_v} : {eb_f, wy_f};
  assign idx_clr_s = iv_clr_v ? s_v : s_f;
  always_comb begin : p_idx_valid_rd
    pk_vm = idx_rd_vm;
    if (iv_clr_v && eb_v == pk_bucket) pk_vm[wy_v] = 1'b0;
    if (idx_we && idx_wa[BucketW+2:3] == pk_bucket) pk_vm[idx_wa[2:0]] = 1'b1;
    if (iv_clr_f && eb_f == pk_bucket) pk_vm[wy_f] = 1'b0;
    pk_c = idx_rd_c;
    if (idx_clr && idx_clr_a[BucketW+2:3] == pk_bucket) pk_c[idx_clr_a[2:0]] = idx_clr_s;
  end
  toe_index_ram #(.Buckets(Buckets), .ConnW(IdxW)) u_index (
    .clk_i, .init_i(init_busy_q), .init_bucket_i(init_q),
    .we_i(idx_we), .wa_i(idx_wa), .wkey_i({idx_wkey.rip, idx_wkey.rport, idx_wkey.lport}), .wconn_i(idx_wconn),
    .ws_i(idx_ws), .clr_i(idx_clr), .clr_a_i(idx_clr_a), .clr_s_i(idx_clr_s),
    .rd_bucket_n_i(pre2_bucket_i), .rd_key_i({pk_rip, pk_rport, pk_lport}),
    .rd_vm_o(idx_rd_vm), .rd_c_o(idx_rd_c), .rd_valid_i(pk_vm),
    .hit_o(raw_hit), .conn_o(raw_conn), .way_o(raw_way), .room_o(bucket_room_n));
  assign ins_same    = {pk_rip, pk_rport, pk_lport} == fk_key_q;
  assign ins_fwd     = ins_same && res_valid_i && res_index_insert_i;
  assign raw_cleared = (iv_clr_v && eb_v == pk_bucket && wy_v == raw_way) ||
                       (iv_clr_f && eb_f == pk_bucket && wy_f == raw_way);
  assign lk_hit_n    = ins_fwd || (raw_hit && !raw_cleared);
  assign lk_conn_n   = ins_fwd ? res_conn_i[IdxW-1:0] : raw_conn;  // the read address needs only the insert
  assign rd_conn_n = pre_seg_i ? lk_conn_n : ((pre_cmd_conn_i < SessionsW) ? pre_cmd_conn_i[IdxW-1:0] : '0);
  always_ff @(posedge clk_i) begin : p_fsm_read
    lk_hit_q       <= lk_hit_n;
    fk_key_q       <= {pk_rip, pk_rport, pk_lport};
    fk_bucket_q    <= pk_bucket;
    fk_vm_q        <= pk_vm;
    fk_c_q         <= pk_c;
    lk_conn_q      <= lk_conn_n;
    bucket_room_q  <= bucket_room_n;
  end

  // ---- the SYN-cache and ready-queue flags: one-bit memories, reads issued a cycle ahead ------
  // The SYN-cache flag changes only with tcp_fsm's TCB write, at its connection (checked below):
  // three copies, written alike, read at the connection tcp_fsm decides on next cycle (rd_conn_n)
  // and at the order's next head and the entry after it (ho_h0_n, ho_h1_n: the order queue's
  // entries at the head after this cycle's pops, this cycle's push forwarded; the clean-up reads
  // the second when an eviction pops the first). The ready-queue flag has two writers, tcp_fsm's
  // kick (at its connection) and tx_arbiter's pop (at the ready queue's front), never at one entry
  // in a cycle (checked below): each writes a half of its own (q1, q2), and the flag is their
  // exclusive or. The kick sets it (q1 the complement of q2), the pop leaves it as the requeue
  // says (q2 the requeue bit xor q1), each reading the other half at its own connection: q1 and q2
  // at rd_conn_n, q1 at txr_front_n. After a reset init_q clears every copy, with the TCBs.
  // The order's entries at its head now, as they stand at the start of the cycle: the first two
  // registered (ho_h0_q, ho_h1_q), the third and the fourth from the banks (read a cycle ahead at
  // the head plus 2 and 3: entry head + 2 is in the head's bank). A cycle pops at most two
  // (an eviction and the clean-up), so the next cycle's first two are among them.
  always_comb begin : p_ho_next
    logic [IdxW-1:0] h1;
    logic [IdxW-1:0] win [4];
    win[0] = ho_h0_q;
    win[1] = ho_h1_q;
    win[2] = ho_bank_rd[ho_head_q[0]];
    win[3] = ho_bank_rd[!ho_head_q[0]];
    h1 = IdxW'(inc_mod(ho_head_d, Sessions));
    ho_h0_n = (ho_we && ho_wa == ho_head_d[IdxW-1:0]) ? res_conn_i[IdxW-1:0] : win[ho_pops];
    ho_h1_n = (ho_we && ho_wa == h1) ? res_conn_i[IdxW-1:0] : win[ho_pops + 2'd1];
  end
  always_ff @(posedge clk_i) begin : p_ho_heads
    ho_h0_q <= ho_h0_n;
    ho_h1_q <= ho_h1_n;
  end
  logic            key_we, q1_we, q2_we;
  logic [IdxW-1:0] key_wa, q1_wa, q2_wa;
  logic            q1_wd, q2_wd;
  logic [KeyW+1:0] key_wd;
  // The key and the SYN-cache flag with tcp_fsm's TCB (u_tcb: unless tx_arbiter writes the same
  // entry, whose write comes after tcp_fsm's in the model's commit and leaves these fields as
  // they were; tcb_wd_f is res_tcb_i).
  assign key_we  = tcb_init || tcb_we_fm;
  assign key_wa  = tcb_init ? init_q[IdxW-1:0] : tcb_wa_f;
  assign key_wd  = tcb_init ? '0 : {ho_new, !res_free_conn_i, res_tcb.state, res_bucket, res_ixw};
  assign q1_we   = tcb_init || txq_set;
  assign q1_wa   = tcb_init ? init_q[IdxW-1:0] : res_conn_i[IdxW-1:0];
  assign q1_wd   = !tcb_init && !txq_q2_f;
  assign q2_we   = tcb_init || arb_pop_ready_i;
  assign q2_wa   = tcb_init ? init_q[IdxW-1:0] : txr_front;
  assign q2_wd   = !tcb_init && (arb_requeue_i ^ txq_q1_a);
  toe_sdp_ram #(.Width(KeyW + 2), .Depth(Sessions), .AddrW(IdxW), .Transparent(1'b1), .DeepSlices(1'b1)) u_key_f (
    .clk_i, .wr_en_i(key_we), .wr_addr_i(key_wa), .wr_data_i(key_wd), .rd_addr_i(rd_conn_n), .rd_data_o(key_f_q));
  toe_sdp_ram #(.Width(KeyW + 2), .Depth(Sessions), .AddrW(IdxW), .Transparent(1'b1), .DeepSlices(1'b1)) u_key_v (
    .clk_i, .wr_en_i(key_we), .wr_addr_i(key_wa), .wr_data_i(key_wd), .rd_addr_i(ho_h0_n), .rd_data_o(key_v_q));
  assign ho_f_fsm = key_f_q[KeyW+1];
  assign ho_f_h0  = key_v_q[KeyW+1];
  toe_sdp_ram #(.Width(1), .Depth(Sessions), .AddrW(IdxW), .Transparent(1'b1)) u_ho_h1 (
    .clk_i, .wr_en_i(key_we), .wr_addr_i(key_wa), .wr_data_i(key_wd[KeyW+1]), .rd_addr_i(ho_h1_n), .rd_data_o(ho_f_h1));
  toe_sdp_ram #(.Width(1), .Depth(Sessions), .AddrW(IdxW), .Transparent(1'b1)) u_txq1_fsm (
    .clk_i, .wr_en_i(q1_we), .wr_addr_i(q1_wa), .wr_data_i(q1_wd), .rd_addr_i(rd_conn_n), .rd_data_o(txq_q1_f));
  toe_sdp_ram #(.Width(1), .Depth(Sessions), .AddrW(IdxW), .Transparent(1'b1)) u_txq1_arb (
    .clk_i, .wr_en_i(q1_we), .wr_addr_i(q1_wa), .wr_data_i(q1_wd), .rd_addr_i(txr_front_n), .rd_data_o(txq_q1_a));
  toe_sdp_ram #(.Width(1), .Depth(Sessions), .AddrW(IdxW), .Transparent(1'b1)) u_txq2_fsm (
    .clk_i, .wr_en_i(q2_we), .wr_addr_i(q2_wa), .wr_data_i(q2_wd), .rd_addr_i(rd_conn_n), .rd_data_o(txq_q2_f));
`ifdef VERILATOR
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
    end else if (res_valid_i) begin
      if ((ho_clr_c_s || ho_set_c_s) && !tcb_we_fm)
        $error("toe_tables: connection %0d's SYN-cache flag changes without its TCB write", res_conn_i);
      if ((tcb_we_fm && !res_index_insert_i) || ho_clr_c_s || txq_set)
        if (res_conn_i[IdxW-1:0] != rd_conn_q || res_conn_i >= SessionsW)
          $error("toe_tables: tcp_fsm writes connection %0d, not the one read for it (%0d)", res_conn_i, rd_conn_q);
      if (txq_set && arb_pop_ready_i && txr_front == res_conn_i[IdxW-1:0])
        $error("toe_tables: connection %0d is kicked and popped from the ready queue in one cycle", res_conn_i);
      // the next lookup's insert forward (ins_fwd) takes the inserted key to be the one decided on,
      // and the insert to find a way
      if (res_index_insert_i && ({res_tcb.rip, res_tcb.rport, res_tcb.lport} != fk_key_q || !idx_we))
        $error("toe_tables: connection %0d is inserted with a key not decided on, or without a way", res_conn_i);
    end
  end
`endif

  // ---- the free list's, the ready queue's and the SYN-cache order's banks -------------------
  // Every read registered, its address issued a cycle ahead (a push at it this cycle is read,
  // write-first), so block RAM can hold the banks; each bank reads at the row of the entry of
  // its parity among those read (the other bank's word there is read and not used):
  //   the free list: its head after this cycle's pop (free_rd, tcp_fsm's next allocation);
  //   the ready queue: the entry after its next head (txr_front_n above, after a pop);
  //   the SYN-cache order: its next head plus 2 and plus 3 (p_ho_next, above).
  logic [IdxW-1:0] free_bank_rd [2];
  logic [IdxW-1:0] ho_e2, ho_e3, txr_e1;  // the order's next head plus 2 and 3, the ready queue's plus 1
  assign free_rd = free_bank_rd[free_head_q[0]];
  assign ho_e2   = IdxW'(add_mod(ho_head_d, 32'd2, Sessions));
  assign ho_e3   = IdxW'(add_mod(ho_head_d, 32'd3, Sessions));
  assign txr_e1  = IdxW'(inc_mod(txr_head_d, Sessions));
  for (genvar b = 0; b < 2; b++) begin : gen_half_bank
    logic             f_we, x_we;
    logic [HalfW-1:0] f_wa, x_wa;
    logic [IdxW-1:0]  f_wd, x_wd;
    always_comb begin
      f_we = 1'b0; f_wa = '0; f_wd = '0;
      x_we = 1'b0; x_wa = '0; x_wd = '0;
      for (int k = 0; k < 2; k++) begin
        if (free_we[k] && free_wa[k][0] == 1'(b)) begin
          f_we = 1'b1; f_wa = HalfW'(free_wa[k] >> 1); f_wd = free_wd[k];
        end
        if (txr_we[k] && txr_wa[k][0] == 1'(b)) begin
          x_we = 1'b1; x_wa = HalfW'(txr_wa[k] >> 1); x_wd = txr_wd[k];
        end
      end
    end
    toe_sdp_ram #(.Width(IdxW), .Depth(Sessions / 2), .AddrW(HalfW), .Transparent(1'b1)) u_free (
      .clk_i, .wr_en_i(f_we), .wr_addr_i(f_wa), .wr_data_i(f_wd),
      .rd_addr_i(HalfW'(free_head_d[IdxW-1:0] >> 1)), .rd_data_o(free_bank_rd[b]));
    toe_sdp_ram #(.Width(IdxW), .Depth(Sessions / 2), .AddrW(HalfW), .Transparent(1'b1)) u_txr (
      .clk_i, .wr_en_i(x_we), .wr_addr_i(x_wa), .wr_data_i(x_wd),
      .rd_addr_i(HalfW'(txr_e1 >> 1)), .rd_data_o(txr_bank_rd[b]));
    // the order takes one push a cycle, at its tail
    toe_sdp_ram #(.Width(IdxW), .Depth(Sessions / 2), .AddrW(HalfW), .Transparent(1'b1)) u_ho (
      .clk_i, .wr_en_i(ho_we && ho_wa[0] == 1'(b)), .wr_addr_i(HalfW'(ho_wa >> 1)),
      .wr_data_i(res_conn_i[IdxW-1:0]),
      .rd_addr_i(HalfW'(((ho_e2[0] == 1'(b)) ? ho_e2 : ho_e3) >> 1)),
      .rd_data_o(ho_bank_rd[b]));
  end

  // ---- the index's ways ---------------------------------------------------------------------
  // The buckets of the evicted and the freed connection (C++ Tables::erase: the bucket of the
  // 4-tuple in the TCB as it is at the start of the cycle), and of the TCB tcp_fsm writes.
  // The written TCB's bucket without a hash of its own: a TCB tcp_fsm writes keeps its entry's
  // 4-tuple (the bucket the key recorded), or takes the key it decided on (a SYN's, a connect's),
  // whose bucket was looked up with it (fk_bucket_q); a reset TCB leaves the index, and its entry's
  // valid bit is cleared, so its bucket is never read. Simulation checks it against the hash.
  assign res_tcb    = res_tcb_i;
  assign res_bucket = ({res_tcb.rip, res_tcb.rport, res_tcb.lport} == fk_key_q) ? fk_bucket_q : eb_f;
`ifdef VERILATOR
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
    end else if (tcb_we_fm && res_tcb.state != toe_defs_pkg::StClosed &&
        res_bucket != bucket_of(res_tcb.rip, res_tcb.rport, res_tcb.lport)) begin
      $error("toe_tables: the bucket of connection %0d's TCB is not its key's or its entry's", res_conn_i);
    end
  end
  // tcp_fsm inserts the key it decided on: the bucket looked up for it, whose valid ways fk_vm_q holds.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
    end else if (res_valid_i && res_index_insert_i && res_bucket != fk_bucket_q) begin
      $error("toe_tables: connection %0d is inserted at bucket %0d, not at the one looked up (%0d)",
             res_conn_i, res_bucket, fk_bucket_q);
    end
  end
  // The evicted entry is the one tcp_fsm writes (C++ TcpFsm::segment_listen takes it), so the
  // valid bits have one write a cycle (the key's, u_tcb's).
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
    end else if (res_valid_i && res_evict_conn_i != NoConn && res_evict_conn_i != res_conn_i) begin
      $error("toe_tables: connection %0d is evicted for connection %0d", res_evict_conn_i, res_conn_i);
    end
  end
  // key's reads: the evicted entry is the SYN-cache order's head, and tcp_fsm's connection is the
  // one read for it unless it inserts one.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
    end else if (res_valid_i) begin
      if (res_evict_conn_i != NoConn && res_evict_conn_i != 32'(ho_h0_q))
        $error("toe_tables: connection %0d is evicted, not the SYN cache's head (%0d)", res_evict_conn_i, ho_h0_q);
      if (res_conn_i < SessionsW && !res_index_insert_i && res_conn_i[IdxW-1:0] != rd_conn_q)
        $error("toe_tables: tcp_fsm's result names connection %0d, not the one read for it (%0d)",
               res_conn_i, rd_conn_q);
    end
  end
  // An entry leaves the index by eviction (a SYN's) or by a free (a close), never both in a cycle:
  // u_index has one clear port.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
    end else if (iv_clr_v && iv_clr_f) begin
      $error("toe_tables: connection %0d is evicted and connection %0d freed in one cycle",
             res_evict_conn_i, res_conn_i);
    end
  end
  // The event queue holds a connection as {NoConn, number} (evt_pack): no push names another.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
    end else begin
      for (int j = 0; j < toe_fsm_pkg::MaxEvents; j++) begin
        if (evt_we[j] && !evt_retx[j] && upd_evt_i[j*EntW + EvtConnLo +: 32] != NoConn &&
            upd_evt_i[j*EntW + EvtConnLo +: 32] >= SessionsW) begin
          $error("toe_tables: an event names connection %0d, not an entry", upd_evt_i[j*EntW + EvtConnLo +: 32]);
        end
        if (evt_we[j] && !evt_retx[j] && evt_shared(evt_pack(upd_evt_i[j*EntW +: EntW])) != evt_sh[ShW-1:0]) begin
          $error("toe_tables: event %0d of a result names another connection or port than event 0", j);
        end
      end
    end
  end
`endif
  assign key_reset  = {toe_defs_pkg::StClosed, bucket_of(32'h0, 16'h0, 16'h0), 1'b0, 3'd0, 1'b0};
  logic [KeyW:0] key_rd_v, key_rd_f;
  always_comb begin
    key_rd_v = key_v_q[KeyW:0];  // the evicted entry: tcp_fsm evicts the SYN-cache order's head (ho_head_o)
    // tcp_fsm's connection: the one read for it, else an insert's (the evicted entry, or the free
    // list's head, not valid)
    key_rd_f = !res_index_insert_i ? key_f_q[KeyW:0]
             : (res_evict_conn_i == res_conn_i) ? key_v_q[KeyW:0] : '0;
    {st_v, eb_v, ix_v, wy_v, s_v} = key_rd_v[KeyW] ? key_rd_v[KeyW-1:0] : key_reset;
    {st_f, eb_f, ix_f, wy_f, s_f} = key_rd_f[KeyW] ? key_rd_f[KeyW-1:0] : key_reset;
  end
  // The way tcp_fsm's TCB write records: the way it inserts now and its set bit, else the ones its
  // entry has (none once the entry was evicted this cycle).
  assign res_ixw = idx_we ? {1'b1, idx_wa[2:0], idx_ws}
                          : {ix_f && !(res_evict_conn_i == res_conn_i), wy_f, s_f};

  // ---- the event queue's memory (toe_evt_ram: 8 banks, the cycle's pushes at consecutive entries) --
  logic [EvtPW-1:0]       evt_head_rd_a;  // the head after this cycle's pop
  logic [EvtPorts*OwnW-1:0] evt_wn;       // the cycle's j-th push, as queued (evt_pack), its own bits
  logic [2*ShW-1:0]       evt_sh;         // the shared bits: tcb_update's events (push 0's), the retx arm's
  logic [OwnW+ShW-1:0]    evt_rd_ram;
  assign evt_head_rd_a = evt_fire ? EvtPW'(inc_mod(evt_head_q, EvtDepth)) : evt_head_q[EvtPW-1:0];
  always_comb begin
    for (int j = 0; j < EvtPorts; j++) begin
      evt_wn[OwnW*j +: OwnW] = evt_own(retx_ent);
      if (j < toe_fsm_pkg::MaxEvents && !evt_retx[j])
        evt_wn[OwnW*j +: OwnW] = evt_own(evt_pack(upd_evt_i[j*EntW +: EntW]));
    end
    evt_sh = {evt_shared(retx_ent), evt_shared(evt_pack(upd_evt_i[EntW-1:0]))};
  end
  toe_evt_ram #(.Depth(EvtDepth), .Width(OwnW), .ShW(ShW), .Ports(EvtPorts)) u_evt (
    .clk_i, .we_i(evt_we), .wd_i(evt_wn), .sel_i(evt_retx), .sh_i(evt_sh), .tail_i(evt_tail_q[EvtPW-1:0]),
    .rd_addr_i(evt_head_rd_a), .rd_data_o(evt_rd_ram));
  assign evt_rd_head = evt_join(evt_rd_ram[OwnW+ShW-1:ShW], evt_rd_ram[ShW-1:0]);

  // ---- reads ------------------------------------------------------------------------------
  assign lk_hit_o             = lk_hit_q;
  assign lk_conn_o            = lk_conn_q;
  assign listen_hit_o         = lmatch_valid;  // a segment's port listened on
  assign tcb_o                = tcb_fsm;
  assign ho_flag_o            = ho_f_fsm;
  assign bucket_room_o        = bucket_room_q;
  assign free_valid_o         = free_valid;
  assign free_conn_o          = free_conn;
  assign half_open_count_o    = half_open_q[IdxW:0];
  assign ho_head_valid_o      = ho_cnt_q != 0;
  assign ho_head_o            = ho_h0_q;
  assign ho_head_flag_o       = ho_f_h0;
  assign chal_token_avail_o   = tokens != 0;
  assign listen_match_valid_o = lmatch_valid;
  assign listen_match_slot_o  = lmatch_slot;
  assign listen_free_valid_o  = lfree_valid;
  assign listen_free_slot_o   = lfree_slot;
  assign isn_ticks_o          = isn_ticks_q;
  assign job_valid_o          = cj_cnt_q != 0;
  assign job_conn_o           = cj_conn_q[cj_head_q[SlotIW-1:0]];
  assign job_slot_o           = cj_slot_q[cj_head_q[SlotIW-1:0]];
  assign job_off_o            = cj_off_q[cj_head_q[SlotIW-1:0]];
  assign job_len_o            = cj_len_q[cj_head_q[SlotIW-1:0]];
  assign job_rx_off_o         = cj_rxoff_q[cj_head_q[SlotIW-1:0]];
  assign rsp_valid_o          = rsp_cnt_q != 0;
  assign rsp_front_o          = rsp_mem_q[rsp_head_q[RspPW-1:0]];
  assign ready_valid_o        = txr_cnt_q != 0;
  assign ready_conn_o         = txr_front;
  assign tcb_arb_o            = tcb_arb;

  // ---- Moore outputs ----------------------------------------------------------------------
  assign rx_tready_o = rx_tready_q;
  assign cmd_ready_o = cmd_ready_q;
  assign evt_valid_o = evt_valid_q;
  // evt_t = {evt_type, conn, value, lport, state}
  assign evt_out     = EvtW'(evt_unpack(evt_out_q));
  assign evt_type_o  = evt_out[EvtW-1 -: 5];
  assign evt_conn_o  = evt_out[EvtW-6 -: 32];
  assign evt_value_o = evt_out[EvtW-38 -: 32];
  assign evt_lport_o = evt_out[EvtW-70 -: 16];
  assign evt_state_o = evt_out[3:0];
  for (genvar i = 0; i < NCnt; i++) begin : gen_cnt
    assign cnt_o[64*i +: 64] = cnt_q[i];
  end
  for (genvar i = 0; i < 3; i++) begin : gen_trace
    assign trace_conn_o[32*i +: 32] = tr_conn_q[i];
    assign trace_from_o[4*i +: 4]   = tr_from_q[i];
    assign trace_to_o[4*i +: 4]     = tr_to_q[i];
  end
  assign trace_valid_o     = tr_valid_q;
  assign cycle_o           = cycle_q;
  assign active_sessions_o = fresh_q - free_cnt_q;
  assign half_open_o       = half_open_q;
  assign init_busy_o       = init_busy_q;
  assign evt_pending_o     = evt_cnt_q != 0;
  assign copy_pending_o    = cj_cnt_q != 0;

endmodule
