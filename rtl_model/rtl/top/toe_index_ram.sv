// SPDX-License-Identifier: Apache-2.0
// toe_index_ram: the memory of toe_tables' 4-tuple index, a set-associative table of Buckets
// buckets x Ways ways, each way an entry {key, connection} and its valid bit, with the lookup of
// one key. A RAM primitive: no model twin of its own (the model's Tables holds the index, an array
// its lookup walks: Tables::lookup, top/tables.cpp).
//
// One memory per way ({key, connection, set bit}, toe_sdp_ram), Buckets deep, one write port: we_i
// writes way wa_i[2:0] of bucket wa_i >> 3. The read is registered, so block RAM can hold the ways
// where the depth pays for it: rd_bucket_n_i names the bucket looked up next cycle, and next cycle
// each way comes out as it stands then (write-first: a write at the clock edge between is seen).
//
// The valid bits are memories too, not flip-flops: a way is valid when its set bit (written with
// the entry, ws_i) differs from its clear bit (a memory of one bit per way, Buckets deep, written by
// clr_*). A cycle inserts at most one entry and removes at most one, possibly at the same way of
// two buckets, so each bit has one write port of its own: the insert writes the set bit as the
// complement of the clear bit (toe_tables reads it with the lookup), the removal writes the clear
// bit as the set bit its entry was inserted with (toe_tables' key_q records it). Neither memory
// has a reset: init_i clears both bits of every way of bucket init_bucket_i, one bucket a cycle
// after a reset (toe_tables' init_q), while no lookup, insert or removal runs.
//
// rd_vm_o / rd_c_o: the valid and the clear bits of the bucket looked up, as the memories stand at
// the start of the cycle; toe_tables forwards the cycle's bit writes into them. The lookup compares
// each way's key with rd_key_i, on the index as it stands at the start of the cycle: neither the
// entry written in the lookup's cycle nor the bit writes of that cycle are seen (toe_tables
// applies them to the result, so that the lookup does not wait on the writes). hit_o / conn_o /
// way_o: the first valid way (lowest number) whose key matches; room_o: a way of the bucket is not
// valid after the cycle's changes (rd_valid_i: the caller's, with the writes forwarded).
module toe_index_ram #(
  parameter int unsigned Buckets = 16,   // a power of two
  parameter int unsigned ConnW   = 4,    // the width of a connection (an entry number)
  localparam int unsigned Ways    = 8,
  localparam int unsigned BucketW = (Buckets > 1) ? $clog2(Buckets) : 1,
  localparam int unsigned KeyW    = 64   // {rip, rport, lport}
) (
  input  logic                 clk_i,
  input  logic                 init_i,        // clear bucket init_bucket_i's valid bits (no other access)
  input  logic [BucketW-1:0]   init_bucket_i,
  input  logic                 we_i,
  input  logic [BucketW+2:0]   wa_i,          // bucket * Ways + way
  input  logic [KeyW-1:0]      wkey_i,
  input  logic [ConnW-1:0]     wconn_i,
  input  logic                 ws_i,          // the set bit written with the entry
  input  logic                 clr_i,         // an entry leaves the index:
  input  logic [BucketW+2:0]   clr_a_i,       //   bucket * Ways + way
  input  logic                 clr_s_i,       //   the set bit it was inserted with
  input  logic [BucketW-1:0]   rd_bucket_n_i, // the bucket looked up next cycle
  input  logic [KeyW-1:0]      rd_key_i,      // the key looked up now, at rd_bucket_n_i of the cycle before
  output logic [Ways-1:0]      rd_vm_o,       // the valid bits of the bucket looked up now ...
  output logic [Ways-1:0]      rd_c_o,        // ... and its clear bits, at the start of the cycle
  input  logic [Ways-1:0]      rd_valid_i,    // the valid bits of the ways looked up now, after the cycle's writes
  output logic                 hit_o,
  output logic [ConnW-1:0]     conn_o,
  output logic [2:0]           way_o,
  output logic                 room_o
);

  if (Buckets < 2 || (Buckets & (Buckets - 1)) != 0) begin : gen_bad_buckets
    $error("toe_index_ram: Buckets must be a power of two, at least 2");
  end

  logic [KeyW-1:0]    way_key  [Ways];   // at the bucket looked up now
  logic [ConnW-1:0]   way_conn [Ways];
  logic [Ways-1:0]    way_vld;           // rd_vm_o
  // The write addresses: the initialisation's bucket, else the insert's and the removal's.
  logic [BucketW-1:0] wb, cb;
  assign wb = init_i ? init_bucket_i : wa_i[BucketW+2:3];
  assign cb = init_i ? init_bucket_i : clr_a_i[BucketW+2:3];
  for (genvar w = 0; w < Ways; w++) begin : gen_way
    logic                    we, ce, c_rd;
    logic [KeyW+ConnW:0]     rd;
    assign we = init_i || (we_i && wa_i[2:0] == 3'(w));
    assign ce = init_i || (clr_i && clr_a_i[2:0] == 3'(w));
    toe_sdp_ram #(.Width(KeyW + ConnW + 1), .Depth(Buckets), .AddrW(BucketW), .Transparent(1'b1),
                .DeepSlices(1'b1)) u_mem (
      .clk_i, .wr_en_i(we), .wr_addr_i(wb), .wr_data_i({wkey_i, wconn_i, ws_i && !init_i}),
      .rd_addr_i(rd_bucket_n_i), .rd_data_o(rd));
    toe_sdp_ram #(.Width(1), .Depth(Buckets), .AddrW(BucketW), .Transparent(1'b1)) u_clr (
      .clk_i, .wr_en_i(ce), .wr_addr_i(cb), .wr_data_i(clr_s_i && !init_i),
      .rd_addr_i(rd_bucket_n_i), .rd_data_o(c_rd));
    assign way_key[w]  = rd[ConnW + 1 +: KeyW];
    assign way_conn[w] = rd[ConnW:1];
    assign way_vld[w]  = rd[0] ^ c_rd;
    assign rd_vm_o[w]  = way_vld[w];
    assign rd_c_o[w]   = c_rd;
  end

  always_comb begin
    hit_o  = 1'b0;
    conn_o = '0;
    way_o  = '0;
    room_o = 1'b0;
    for (int w = Ways - 1; w >= 0; w--) begin  // the first matching way wins
      if (way_vld[w] && way_key[w] == rd_key_i) begin
        hit_o  = 1'b1;
        conn_o = way_conn[w];
        way_o  = 3'(w);
      end
      if (!rd_valid_i[w]) room_o = 1'b1;
    end
  end

`ifdef VERILATOR
  // toe_tables applies the cycle's removals to the way found, taking no two valid ways of a
  // bucket to hold one key (an insert follows a lookup that missed)
  logic [Ways-1:0] way_match;
  for (genvar w = 0; w < Ways; w++) begin : gen_match
    assign way_match[w] = way_vld[w] && way_key[w] == rd_key_i;
  end
  always_ff @(posedge clk_i) begin
    if (!init_i && $countones(way_match) > 1)
      $error("toe_index_ram: two valid ways of a bucket hold the key looked up");
  end
`endif

endmodule
