# SPDX-License-Identifier: Apache-2.0
# toe_seq_pkg: modulo-2^32 sequence comparisons (seq_lt, seq_leq, ...).
toe_seq_pkg.sv
