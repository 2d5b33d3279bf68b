// SPDX-License-Identifier: Apache-2.0
// The host map's decoder (toe_reg_pkg / toe_reg_top) and the firmware map's
// (toe_fw_reg_pkg / toe_fw_reg_top) in one design, as toe_engine will have them: no name
// may clash. Linted by regmap_both_sv_lint (verilator -Wall).
module regmap_both_user (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        req_i,
  input  logic        we_i,
  input  logic [31:0] wdata_i,
  output logic        any_o
);
  toe_reg_pkg::reg2hw_t    host_reg2hw;
  toe_reg_pkg::hw2reg_t    host_hw2reg;
  toe_fw_reg_pkg::reg2hw_t fw_reg2hw;
  toe_fw_reg_pkg::hw2reg_t fw_hw2reg;
  logic host_valid, host_err, fw_valid, fw_err;
  logic [31:0] host_rdata, fw_rdata;

  assign host_hw2reg = '0;
  assign fw_hw2reg   = '0;

  toe_reg_top u_host (
    .clk_i,
    .rst_ni,
    .req_i,
    .we_i,
    .addr_i       (toe_reg_pkg::TOE_REG_VERSION_OFFSET),
    .wdata_i,
    .refuse_i     (1'b0),
    .refuse_code_i('0),
    .valid_o      (host_valid),
    .rdata_o      (host_rdata),
    .err_o        (host_err),
    .reg2hw_o     (host_reg2hw),
    .hw2reg_i     (host_hw2reg)
  );

  toe_fw_reg_top u_fw (
    .clk_i,
    .rst_ni,
    .req_i,
    .we_i,
    .addr_i       (toe_fw_reg_pkg::TOE_FW_REG_VERSION_OFFSET),
    .wdata_i,
    .refuse_i     (1'b0),
    .refuse_code_i('0),
    .valid_o      (fw_valid),
    .rdata_o      (fw_rdata),
    .err_o        (fw_err),
    .reg2hw_o     (fw_reg2hw),
    .hw2reg_i     (fw_hw2reg)
  );

  assign any_o = ^{host_valid, host_err, host_rdata, host_reg2hw,
                   fw_valid, fw_err, fw_rdata, fw_reg2hw,
                   toe_fw_reg_pkg::TOE_FW_DEVICE_TYPE != toe_reg_pkg::TOE_DEVICE_TYPE};
endmodule
