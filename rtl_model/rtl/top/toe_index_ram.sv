// SPDX-License-Identifier: Apache-2.0
// toe_index_ram: the memory of toe_tables' 4-tuple index, a set-associative table of Buckets
// buckets x Ways ways, each way an entry {key, connection}, with the lookup of one key. A RAM
// primitive: no model twin of its own (the model's Tables holds the index, an array its lookup
// walks: Tables::lookup, top/tables.cpp).
//
// One memory per way (key and connection), Buckets deep, one write port: we_i writes way
// wa_i[2:0] of bucket wa_i >> 3. The lookup reads every way at rd_bucket_i combinationally and
// compares its key with rd_key_i; the entry written this cycle, if at rd_bucket_i, is forwarded
// (the lookup sees the index as it stands after this cycle's write), and the valid bits are the
// caller's (rd_valid_i: the bucket's ways after this cycle's changes). hit_o / conn_o: the first
// valid way (lowest number) whose key matches; room_o: a way of the bucket is not valid.
module toe_index_ram #(
  parameter int unsigned Buckets = 16,   // a power of two
  parameter int unsigned ConnW   = 4,    // the width of a connection (an entry number)
  localparam int unsigned Ways    = 8,
  localparam int unsigned BucketW = (Buckets > 1) ? $clog2(Buckets) : 1,
  localparam int unsigned KeyW    = 64   // {rip, rport, lport}
) (
  input  logic                 clk_i,
  input  logic                 we_i,
  input  logic [BucketW+2:0]   wa_i,          // bucket * Ways + way
  input  logic [KeyW-1:0]      wkey_i,
  input  logic [ConnW-1:0]     wconn_i,
  input  logic [BucketW-1:0]   rd_bucket_i,
  input  logic [KeyW-1:0]      rd_key_i,
  input  logic [Ways-1:0]      rd_valid_i,    // the valid bits of rd_bucket_i's ways
  output logic                 hit_o,
  output logic [ConnW-1:0]     conn_o,
  output logic                 room_o
);

  if (Buckets < 2 || (Buckets & (Buckets - 1)) != 0) begin : gen_bad_buckets
    $error("toe_index_ram: Buckets must be a power of two, at least 2");
  end

  logic [KeyW-1:0]  way_key  [Ways];   // at rd_bucket_i
  logic [ConnW-1:0] way_conn [Ways];
  for (genvar w = 0; w < Ways; w++) begin : gen_way
    logic [KeyW-1:0]  key_mem  [Buckets];
    logic [ConnW-1:0] conn_mem [Buckets];
    always_ff @(posedge clk_i) begin
      if (we_i && wa_i[2:0] == 3'(w)) begin
        key_mem[wa_i[BucketW+2:3]]  <= wkey_i;
        conn_mem[wa_i[BucketW+2:3]] <= wconn_i;
      end
    end
    assign way_key[w]  = key_mem[rd_bucket_i];
    assign way_conn[w] = conn_mem[rd_bucket_i];
  end

  // The entry written this cycle holds wkey_i: one compare for whichever way it is.
  logic             w_hit, p_hit;
  logic [ConnW-1:0] p_conn;
  always_comb begin
    hit_o  = 1'b0;
    conn_o = '0;
    room_o = 1'b0;
    w_hit  = wkey_i == rd_key_i;
    for (int w = Ways - 1; w >= 0; w--) begin  // the first matching way wins
      p_hit  = way_key[w] == rd_key_i;
      p_conn = way_conn[w];
      if (we_i && wa_i == {rd_bucket_i, 3'(w)}) begin
        p_hit  = w_hit;
        p_conn = wconn_i;
      end
      if (rd_valid_i[w] && p_hit) begin
        hit_o  = 1'b1;
        conn_o = p_conn;
      end
      if (!rd_valid_i[w]) room_o = 1'b1;
    end
  end

endmodule
