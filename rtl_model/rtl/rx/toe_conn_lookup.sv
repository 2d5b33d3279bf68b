// SPDX-License-Identifier: Apache-2.0
// toe_conn_lookup: hashes the 4-tuple of a segment to a bucket of the
// connection index. Twin of the C++ class toe::model::ConnLookup
// (rtl_model/model/rx/conn_lookup.hpp) and Tables::bucket_of (top/tables.cpp): SegMeta in, SegMeta plus
// meta_bucket_o out one cycle later.
//
// The hash is toe_hash_pkg::tuple_hash (C++ toe::tuple_hash, include/toe/hash.hpp: a
// multiply-xorshift mix of the remote address and both ports; the local address is fixed, so it
// does not enter); the bucket is its low bits, hash mod Buckets, Buckets = the smallest power of
// two >= Sessions.
//
// Its two products are constant multipliers: DSP blocks where the target has
// them, shift-add trees otherwise. meta_bucket_o is 0
// for a segment that is dropped or not TCP (as the model, which keeps the
// bucket of its input SegMeta, 0 from rx_parse).
//
// The hash runs a cycle ahead of the segment, on key_* (toe_top: the 4-tuple of the segment that
// enters next cycle, as rx_csum takes it in now, else of the command offered now, which reaches
// tcp_fsm with no segment beside it): index_rd_bucket_o is that key's bucket, combinationally, the
// address of the index memory's registered read (toe_index_ram), so that the ways come out in the
// cycle the segment (or the command, in its first register) is here and reach tcp_fsm with it
// (the model reads the index there directly). index_bucket_o is the bucket hashed last cycle:
// the segment's now, when meta_valid_i. The engine has one hash, not two. A segment's key must
// be the one presented on key_* the cycle before (toe_top's rx_csum passes every segment on
// after one cycle, its 4-tuple unchanged); a dropped or non-TCP segment is hashed all the same
// (its drop verdict comes with it), and meta_bucket_o is then 0, as the model's.
//
// Latency: 1 (meta_valid_o the cycle after meta_valid_i); outputs hold their
// value until the next valid input.
module toe_conn_lookup #(
  // TCB entries of the engine: 1 .. 65,536.
  parameter int unsigned Sessions = 16,
  // Width of a bucket number (do not set: derived from Sessions).
  parameter int unsigned BucketW = (Sessions > 1) ? $clog2(Sessions) : 1
) (
  input  logic clk_i,
  input  logic rst_ni,

  // SegMeta in (from rx_csum).
  input  logic        meta_valid_i,
  input  logic        meta_drop_i,
  input  logic [4:0]  meta_reason_i,
  input  logic        meta_is_tcp_i,
  input  logic [47:0] meta_smac_i,
  input  logic [31:0] meta_sip_i,
  input  logic [31:0] meta_dip_i,
  input  logic [15:0] meta_sport_i,
  input  logic [15:0] meta_dport_i,
  input  logic [31:0] meta_seq_i,
  input  logic [31:0] meta_ack_i,
  input  logic [7:0]  meta_flags_i,
  input  logic [15:0] meta_window_i,
  input  logic        meta_has_mss_i,
  input  logic [15:0] meta_mss_i,
  input  logic        meta_has_wscale_i,
  input  logic [7:0]  meta_wscale_i,
  input  logic        meta_sack_permitted_i,
  input  logic        meta_has_ts_i,
  input  logic [31:0] meta_ts_val_i,
  input  logic [31:0] meta_ts_ecr_i,
  input  logic [15:0] meta_payload_off_i,
  input  logic [15:0] meta_payload_len_i,
  input  logic [15:0] meta_ip_off_i,
  input  logic [15:0] meta_ip_hlen_i,
  input  logic [15:0] meta_ip_total_i,
  input  logic [3:0]  meta_slot_i,

  // The key hashed now: of the segment that enters next cycle, else of a command; not SegMeta.
  input  logic [31:0] key_sip_i,
  input  logic [15:0] key_sport_i,
  input  logic [15:0] key_dport_i,

  // The connection index's read address, a cycle ahead (combinational: key_*'s bucket), and the
  // bucket read now (key_*'s of the cycle before: the segment's when meta_valid_i).
  output logic [BucketW-1:0] index_rd_bucket_o,
  output logic [BucketW-1:0] index_bucket_o,

  // SegMeta out (to tcp_fsm).
  output logic               meta_valid_o,
  output logic               meta_drop_o,
  output logic [4:0]         meta_reason_o,
  output logic               meta_is_tcp_o,
  output logic [47:0]        meta_smac_o,
  output logic [31:0]        meta_sip_o,
  output logic [31:0]        meta_dip_o,
  output logic [15:0]        meta_sport_o,
  output logic [15:0]        meta_dport_o,
  output logic [31:0]        meta_seq_o,
  output logic [31:0]        meta_ack_o,
  output logic [7:0]         meta_flags_o,
  output logic [15:0]        meta_window_o,
  output logic               meta_has_mss_o,
  output logic [15:0]        meta_mss_o,
  output logic               meta_has_wscale_o,
  output logic [7:0]         meta_wscale_o,
  output logic               meta_sack_permitted_o,
  output logic               meta_has_ts_o,
  output logic [31:0]        meta_ts_val_o,
  output logic [31:0]        meta_ts_ecr_o,
  output logic [15:0]        meta_payload_off_o,
  output logic [15:0]        meta_payload_len_o,
  output logic [15:0]        meta_ip_off_o,
  output logic [15:0]        meta_ip_hlen_o,
  output logic [15:0]        meta_ip_total_o,
  output logic [3:0]         meta_slot_o,
  output logic [BucketW-1:0] meta_bucket_o
);

  if (Sessions < 1 || Sessions > 65536) begin : gen_bad_sessions
    $error("toe_conn_lookup: Sessions must be 1 .. 65536");
  end
  if (BucketW != ((Sessions > 1) ? $clog2(Sessions) : 1)) begin : gen_bad_bucket_w
    $error("toe_conn_lookup: BucketW is derived from Sessions, do not set it");
  end

  logic [31:0]        hash;
  logic [BucketW-1:0] bucket_q;
  logic               hashed;

  always_comb hash = toe_hash_pkg::tuple_hash(key_sip_i, key_sport_i, key_dport_i);
  // Sessions = 1: a single bucket (number 0).
  assign index_rd_bucket_o = (Sessions > 1) ? hash[BucketW-1:0] : '0;
  always_ff @(posedge clk_i) begin : p_bucket
    bucket_q <= index_rd_bucket_o;
  end
  assign index_bucket_o = bucket_q;
  assign hashed         = meta_is_tcp_i && !meta_drop_i;

  // Only the low BucketW bits of the mixed hash select the bucket.
  logic unused_hash;
  assign unused_hash = ^hash;

  logic meta_valid_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) meta_valid_q <= 1'b0;
    else         meta_valid_q <= meta_valid_i;
  end
  assign meta_valid_o = meta_valid_q;

  always_ff @(posedge clk_i) begin
    if (meta_valid_i) begin
      meta_drop_o           <= meta_drop_i;
      meta_reason_o         <= meta_reason_i;
      meta_is_tcp_o         <= meta_is_tcp_i;
      meta_smac_o           <= meta_smac_i;
      meta_sip_o            <= meta_sip_i;
      meta_dip_o            <= meta_dip_i;
      meta_sport_o          <= meta_sport_i;
      meta_dport_o          <= meta_dport_i;
      meta_seq_o            <= meta_seq_i;
      meta_ack_o            <= meta_ack_i;
      meta_flags_o          <= meta_flags_i;
      meta_window_o         <= meta_window_i;
      meta_has_mss_o        <= meta_has_mss_i;
      meta_mss_o            <= meta_mss_i;
      meta_has_wscale_o     <= meta_has_wscale_i;
      meta_wscale_o         <= meta_wscale_i;
      meta_sack_permitted_o <= meta_sack_permitted_i;
      meta_has_ts_o         <= meta_has_ts_i;
      meta_ts_val_o         <= meta_ts_val_i;
      meta_ts_ecr_o         <= meta_ts_ecr_i;
      meta_payload_off_o    <= meta_payload_off_i;
      meta_payload_len_o    <= meta_payload_len_i;
      meta_ip_off_o         <= meta_ip_off_i;
      meta_ip_hlen_o        <= meta_ip_hlen_i;
      meta_ip_total_o       <= meta_ip_total_i;
      meta_slot_o           <= meta_slot_i;
      meta_bucket_o         <= hashed ? bucket_q : '0;
    end
  end

endmodule
