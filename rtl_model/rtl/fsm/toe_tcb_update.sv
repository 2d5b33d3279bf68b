// SPDX-License-Identifier: Apache-2.0
// toe_tcb_update: turns tcp_fsm's registered result (C++ TcpFsm::q) into the
// pushes of the response and event queues and the counter increments of the
// cycle. Twin of the C++ class toe::model::TcbUpdate (rtl_model/model/fsm/tcb_update.hpp/.cpp):
// combinational, applied by toe_top in the same cycle (the model's
// TcbUpdate::apply runs in Engine::commit, first after the event pop).
//
// A data event of a result that carries payload gets the hold bit (C++
// Event::hold): it waits at the head of the event queue until toe_rx_copy has
// written the bytes into the receive buffer.
module toe_tcb_update (
  input  logic                                              q_valid_i,
  input  logic                                              q_rsp_valid_i,
  input  logic [toe_fsm_pkg::TxReqW-1:0]                    q_rsp_i,
  input  logic [toe_fsm_pkg::NEvtW-1:0]                     q_n_evt_i,
  input  logic [toe_fsm_pkg::MaxEvents*toe_fsm_pkg::EvtW-1:0] q_evt_i,
  input  logic                                              q_payload_i,
  input  logic [2*toe_defs_pkg::CntW-1:0]                    q_count_i,

  // Response queue push (the queue counts a push into a full queue as drop_overflow).
  output logic                                              rsp_push_o,
  output logic [toe_fsm_pkg::TxReqW-1:0]                    rsp_data_o,
  // Event queue pushes, in order: slot i in [i*(EvtW+1) +: EvtW+1] = {hold, event}.
  output logic [toe_fsm_pkg::NEvtW-1:0]                     evt_push_n_o,
  output logic [toe_fsm_pkg::MaxEvents*(toe_fsm_pkg::EvtW+1)-1:0] evt_push_o,
  // Counters raised by the result: {second, first}, CntNone when unused.
  output logic [2*toe_defs_pkg::CntW-1:0]                    count_o
);

  localparam int unsigned EvtW = toe_fsm_pkg::EvtW;

  always_comb begin
    rsp_push_o   = q_valid_i && q_rsp_valid_i;
    rsp_data_o   = q_rsp_i;
    evt_push_n_o = q_valid_i ? q_n_evt_i : '0;
    count_o      = q_valid_i ? q_count_i : {toe_defs_pkg::CntNone, toe_defs_pkg::CntNone};
    for (int i = 0; i < toe_fsm_pkg::MaxEvents; i++) begin
      // evt_t is {evt_type, conn, value, lport, state}: the type is the top EvtTypeW bits.
      evt_push_o[i*(EvtW+1) +: EvtW+1] =
          {q_payload_i && (q_evt_i[i*EvtW + EvtW - toe_fsm_pkg::EvtTypeW +: toe_fsm_pkg::EvtTypeW] == toe_defs_pkg::EvtData), q_evt_i[i*EvtW +: EvtW]};
    end
  end

endmodule
