// SPDX-License-Identifier: Apache-2.0
// A small user of the generated toe_defs_pkg and toe_param_check, for lint and synthesis only
// (ctest defs_sv_lint, defs_sv_yosys): the constants work in port widths, comparisons and a
// constant mask, and toe_param_check elaborates with the engine's parameters passed through.
module defs_user #(
  // TCB entries, as toe_top's Sessions
  parameter int unsigned Sessions = toe_defs_pkg::SessionsDefault,
  // event queue depth, as toe_top's EvtDepth
  parameter int unsigned EvtDepth = toe_defs_pkg::EvtDepthDefault
) (
  input  logic [toe_defs_pkg::StateW-1:0]   state_i,
  input  logic [toe_defs_pkg::CmdOpW-1:0]   op_i,
  input  logic [toe_defs_pkg::EvtTypeW-1:0] evt_i,
  input  logic [toe_defs_pkg::CntW-1:0]     cnt_i,
  output logic                              synchronized_o,
  output logic                              timer_cmd_o,
  output logic                              firmware_evt_o,
  output logic                              drop_o
);
  toe_param_check #(.Sessions(Sessions), .EvtDepth(EvtDepth)) u_param_check ();

  assign synchronized_o = state_i >= toe_defs_pkg::StEstablished;
  assign timer_cmd_o    = op_i == toe_defs_pkg::CmdRetransmit || op_i == toe_defs_pkg::CmdSendAck;
  assign firmware_evt_o = evt_i == toe_defs_pkg::EvtTimeWaitEntered ||
                          evt_i == toe_defs_pkg::EvtAckDelayed;
  assign drop_o = cnt_i != toe_defs_pkg::CntNone && cnt_i < toe_defs_pkg::CntW'(toe_defs_pkg::NCnt) &&
                  toe_defs_pkg::CntDropMask[cnt_i];
endmodule
