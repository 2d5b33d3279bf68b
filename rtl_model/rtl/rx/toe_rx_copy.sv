// SPDX-License-Identifier: Apache-2.0
// toe_rx_copy: moves the payload of an accepted segment from its frame slot
// into the connection's receive buffer, one slot word (DataBytes bytes) per
// cycle, then frees the slot. Twin of the C++ class toe::model::RxCopy
// (rtl_model/model/rx/rx_copy.hpp/.cpp); owns the receive buffers.
//
//   cycle t    job at the head of the queue (job_valid_i): slot word k of its
//              payload is read through rx_parse's slot port (data at t+1);
//              the job advances one word per cycle, pop_o on its last word.
//   cycle t+1  that word's payload bytes [lo, hi) are written to the receive
//              buffer of the connection at rx_off + (lo - off), one write per
//              byte lane; release_o on the job's last word (the slot is free,
//              the held data event may leave).
//
// Receive buffers: Sessions x RxBufBytes bytes; byte b of connection c is
// buffer byte a = c * RxBufBytes + (b mod RxBufBytes), held in bank a mod
// DataBytes at word a / DataBytes (gen_rxb[a mod DataBytes].mem). A slot word's
// bytes go to consecutive buffer bytes, so each of the DataBytes banks takes at
// most one of them: one write port per bank (block RAM) rather than DataBytes
// write ports on one memory (flip-flops). The host reads them through the buffer
// window (the simulation reads the banks' arrays itself).
module toe_rx_copy #(
  parameter int unsigned DataBytes  = 8,
  parameter int unsigned Sessions   = 16,
  parameter int unsigned RxBufBytes = 16384,
  localparam int unsigned IdxW      = (Sessions > 1) ? $clog2(Sessions) : 1,
  localparam int unsigned SlotWordW = $clog2(1536 / DataBytes),
  localparam int unsigned BufAddrW  = $clog2(Sessions * RxBufBytes),
  localparam int unsigned BankWords = Sessions * RxBufBytes / DataBytes,
  localparam int unsigned BankAW    = (BankWords > 1) ? $clog2(BankWords) : 1,
  localparam int unsigned LaneW     = (DataBytes > 1) ? $clog2(DataBytes) : 1
) (
  input  logic                          clk_i,
  input  logic                          rst_ni,

  // Head of the copy queue (C++ Tables::copy_jobs front).
  input  logic                          job_valid_i,
  input  logic [IdxW-1:0]               job_conn_i,
  input  logic [3:0]                    job_slot_i,
  input  logic [15:0]                   job_off_i,     // payload offset in the slot
  input  logic [15:0]                   job_len_i,     // bytes (>= 1)
  input  logic [31:0]                   job_rx_off_i,  // receive-buffer running offset
  output logic                          pop_o,

  // rx_parse's slot read port: {slot, word}, data the next cycle.
  output logic                          slot_rd_en_o,
  output logic [4+SlotWordW-1:0]        slot_rd_addr_o,
  input  logic [8*DataBytes-1:0]        slot_rd_data_i,

  output logic                          release_o,     // a job's last bytes written this cycle
  output logic [3:0]                    release_slot_o, // ... and its slot
  output logic                          busy_o,        // a word is in the write stage

  // Host read port of the receive buffers: byte conn * RxBufBytes + offset, data the next cycle.
  input  logic [BufAddrW-1:0]           host_rd_addr_i,
  output logic [7:0]                    host_rd_data_o
);

  localparam logic [31:0] W      = 32'(DataBytes);
  localparam logic [31:0] RxMask = 32'(RxBufBytes) - 32'd1;
  localparam logic [31:0] LaneMask = W - 32'd1;          // DataBytes is a power of two
  localparam int unsigned LaneSh   = $clog2(DataBytes);

  if (RxBufBytes < DataBytes || (RxBufBytes & (RxBufBytes - 1)) != 0) begin : gen_bad_rxbuf
    $error("toe_rx_copy: RxBufBytes must be a power of two and at least DataBytes");
  end

  // Read stage.
  logic [15:0] word_q, word_d;
  logic [31:0] first_w, last_w, k, lo, hi;
  always_comb begin
    first_w = 32'(job_off_i) / W;
    last_w  = (32'(job_off_i) + 32'(job_len_i) - 32'd1) / W;
    k       = first_w + 32'(word_q);
    lo      = (32'(job_off_i) > k * W) ? 32'(job_off_i) : k * W;
    hi      = (32'(job_off_i) + 32'(job_len_i) < (k + 32'd1) * W) ? 32'(job_off_i) + 32'(job_len_i)
                                                                 : (k + 32'd1) * W;
    pop_o          = job_valid_i && k == last_w;
    word_d         = !job_valid_i ? word_q : (pop_o ? 16'd0 : word_q + 16'd1);
    slot_rd_en_o   = job_valid_i;
    slot_rd_addr_o = {job_slot_i, k[SlotWordW-1:0]};
  end

  // Write stage registers.
  logic            wr_valid_q, wr_last_q;
  logic [IdxW-1:0] wr_conn_q;
  logic [3:0]      wr_slot_q;
  logic [15:0]     wr_lo_q, wr_hi_q;
  logic [31:0]     wr_dst_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      word_q     <= '0;
      wr_valid_q <= 1'b0;
      wr_last_q  <= 1'b0;
      wr_conn_q  <= '0;
      wr_slot_q  <= '0;
      wr_lo_q    <= '0;
      wr_hi_q    <= '0;
      wr_dst_q   <= '0;
    end else begin
      word_q     <= word_d;
      wr_valid_q <= job_valid_i;
      wr_last_q  <= pop_o;
      if (job_valid_i) begin
        wr_conn_q <= job_conn_i;
        wr_slot_q <= job_slot_i;
        wr_lo_q   <= lo[15:0];
        wr_hi_q   <= hi[15:0];
        wr_dst_q  <= job_rx_off_i + (lo - 32'(job_off_i));
      end
    end
  end

  // Byte lanes: lane i holds slot byte (lo rounded down to a word) + i; it goes to
  // buffer byte conn * RxBufBytes + ((dst0 + i) mod RxBufBytes), dst0 = rx_off + base - lo.
  // Bank bk takes lane (bk - dst0) mod DataBytes.
  logic [15:0] base;
  logic [31:0] dst0;
  assign base = wr_lo_q & ~16'(DataBytes - 1);
  assign dst0 = wr_dst_q + 32'(base) - 32'(wr_lo_q);

  // Host read: every bank at the word (each bank's registered read, rd_q), the byte picked by
  // the registered bank index. (rd_q is each bank's own register, not an element of an array
  // the banks share: synthesis reads such an array as a memory of its own, and the bank's read
  // register is then no longer one it can fold into a block RAM.)
  logic [8*DataBytes-1:0] host_rd_w;
  logic [LaneW-1:0]       host_bank_q;
  always_ff @(posedge clk_i) host_bank_q <= LaneW'(32'(host_rd_addr_i) & LaneMask);
  assign host_rd_data_o = host_rd_w[8*32'(host_bank_q) +: 8];

  for (genvar bk = 0; bk < DataBytes; bk++) begin : gen_rxb
    logic [7:0] mem [BankWords] /*verilator public_flat_rw*/;
    logic [31:0] lane, off;
    logic        we;
    always_comb begin
      lane = (32'(bk) - dst0) & LaneMask;
      off  = (dst0 + lane) & RxMask;
      we   = wr_valid_q && 32'(base) + lane >= 32'(wr_lo_q) && 32'(base) + lane < 32'(wr_hi_q);
    end
    always_ff @(posedge clk_i) begin
      if (we) mem[BankAW'((32'(wr_conn_q) * 32'(RxBufBytes) + off) >> LaneSh)] <= slot_rd_data_i[8*lane +: 8];
    end
    logic [7:0] rd_q;
    always_ff @(posedge clk_i) rd_q <= mem[BankAW'(32'(host_rd_addr_i) >> LaneSh)];
    assign host_rd_w[8*bk +: 8] = rd_q;
  end

  assign release_o      = wr_valid_q && wr_last_q;
  assign release_slot_o = wr_slot_q;
  assign busy_o    = wr_valid_q;

endmodule
