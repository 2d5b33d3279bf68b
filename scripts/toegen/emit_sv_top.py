# SPDX-License-Identifier: Apache-2.0
"""toe_reg_top.sv: SV module toe_reg_top, the register decoder (toe_<n>_reg_top.sv /
toe_<n>_reg_top, on toe_<n>_reg_pkg, for a map with [block] name)."""
from __future__ import annotations

from .model import Field, Reg, RegMap, port_layout
from .names import MapNames, banner, flop, hex_str, map_names, member, one_line, sv_hex, sv_logic

OUTPUT = "toe_reg_top.sv"  # the host map's; output(rm) in general


def output(rm: RegMap) -> str:
    return map_names(rm).sv_top + ".sv"


def _field_sv_value(n: MapNames, r: Reg, f: Field) -> str:
    """Expression for a field's current value inside toe_reg_top."""
    if r.source == "const":
        if r.reset_param:
            shifted = f"({r.reset_param} >> {f.lsb})" if f.lsb else r.reset_param
            return f"{f.width}'({shifted})"
        return f"{n.sv_pkg}::{n.reg}{r.name}_RESET[{f.msb}:{f.lsb}]"
    if f.access == "ro":
        return f"hw2reg_i.{member(r, f)}"
    return f"{flop(r, f)}_q"



def emit(rm: RegMap) -> str:
    names = map_names(rm)
    pkg = names.sv_pkg + "::"
    R = names.reg  # TOE_REG_ (TOE_FW_REG_)
    aw = rm.addr_width
    n = len(rm.regs)
    be = rm.bus_error_reg
    cw = rm.refuse_code_width
    o = [banner(rm, "// ", "// ")]
    of_map = "" if rm.block is None else f"'s {rm.block} register map"
    o.append(f"""//
// Register decoder of the toecore engine{of_map}.
//
// Bus: one request per cycle; the response comes exactly one cycle after the request
// (valid_o = registered req_i), so an access never hangs. The write or read side effect
// (store, write-1-to-clear, clear-on-read) takes effect at the clock edge that samples the
// request. An access to a hole, to an offset that is not a multiple of 4, or a write to a
// register with no software-writable field is refused: err_o = 1, rdata_o = 0, nothing
// changes""" + (f", and {be.name} records the code and the offset" if be else "") + """.
//
// Refusals decided outside the decoder (a command for a connection that does not exist, a
// full queue, bad byte enables, a window access outside its buffer): req_i with refuse_i = 1
// is refused in the same way (err_o = 1 and rdata_o = 0 one cycle later; no store, no
// write-1-to-clear, no clear-on-read, no self-clearing pulse)""" +
             (f", and {be.name} records\n// CODE = refuse_code_i and ADDR = addr_i. refuse_i comes "
              "before the decoder's own checks:\n// its code wins over MISALIGNED, UNMAPPED and "
              "READ_ONLY" if be else
              ".\n// This map has no bus_error register: refuse_code_i is not used") + """.
""")
    if rm.windows:
        o.append("//\n// Windows (the logic around this module serves them; an access that "
                 "reaches the decoder\n// there is unmapped):" +
                 "".join(f"\n//   {g.name:<16} {hex_str(g.base, 4)}..{hex_str(g.last, 4)}"
                         for g in rm.windows) + "\n")
    o.append("""//
//   cycle      t        t+1
//   req_i      1
//   valid_o             1      rdata_o, err_o valid
//
// Policies: rw stores the write (a self-clearing rw field is 1 for the one cycle after a
// write of 1, and reads as 0); ro reads a constant or hw2reg_i; w1c is set by hw2reg_i
// set pulses and cleared by writing 1 (a set wins over a clear in the same cycle); rc is
// loaded by hw2reg_i (or by the bus itself) and cleared by a read (a load wins).
""")
    o.append(f"module {names.sv_top} #(\n")
    for i, p in enumerate(rm.params):
        o.append(f"  // {one_line(p.desc)}\n")
        o.append(f"  parameter int unsigned {p.name} = {p.default}" +
                 ("," if i + 1 < len(rm.params) else "") + "\n")
    o.append(f""") (
  input  logic clk_i,
  input  logic rst_ni,

  // Register bus
  input  logic                                  req_i,
  input  logic                                  we_i,
  input  logic [{pkg}{R}ADDR_WIDTH-1:0] addr_i,
  input  logic [31:0]                           wdata_i,
  // Refuse this access (decided outside the decoder) and record refuse_code_i.
  input  logic                                  refuse_i,
  input  {sv_logic(cw):<39}refuse_code_i,
  output logic                                  valid_o,
  output logic [31:0]                           rdata_o,
  output logic                                  err_o,

  // To and from the core
  output {pkg}reg2hw_t reg2hw_o,
  input  {pkg}hw2reg_t hw2reg_i
);

""")
    o.append("  // Address decode: one bit per register, in offset order.\n")
    o.append(f"  logic [{n - 1}:0] reg_hit;\n")
    for i, r in enumerate(rm.regs):
        o.append(f"  assign reg_hit[{i}] = (addr_i == {pkg}{R}{r.name}_OFFSET);\n")
    writable = sum(1 << i for i, r in enumerate(rm.regs) if r.sw_writable)
    o.append(f"\n  // Registers with at least one software-writable (rw or w1c) field.\n")
    o.append(f"  localparam logic [{n - 1}:0] RegWritable = {sv_hex(n, writable)};\n\n")
    o.append("""  // An access refused from outside changes nothing: req_ok gates every strobe below.
  logic req_ok;
  assign req_ok = req_i & ~refuse_i;

  logic addr_misaligned, addr_unmapped, write_read_only, bus_err;
  assign addr_misaligned = (addr_i[1:0] != 2'b00);
  assign addr_unmapped   = ~|reg_hit;
  assign write_read_only = we_i & ~|(reg_hit & RegWritable);
  assign bus_err = req_i & (refuse_i | addr_misaligned | addr_unmapped | write_read_only);

""")
    # Per-register strobes.
    for i, r in enumerate(rm.regs):
        if r.sw_writable:
            o.append(f"  logic {r.lname}_we;\n")
            o.append(f"  assign {r.lname}_we = req_ok & we_i & reg_hit[{i}];\n")
        if any(f.access == "rc" for f in r.fields):
            o.append(f"  logic {r.lname}_re;\n")
            o.append(f"  assign {r.lname}_re = req_ok & ~we_i & reg_hit[{i}];\n")
    o.append("\n")

    if be:
        code = next(f for f in be.fields if f.name == "CODE")
        addr = next(f for f in be.fields if f.name == "ADDR")
        p = f"{pkg}{R}{be.name}_CODE_"
        o.append(f"  // What {be.name} records about a refused access.\n")
        o.append(f"  logic [{code.width - 1}:0] bus_err_code;\n")
        o.append(f"""  always_comb begin
    if (refuse_i) begin
      bus_err_code = refuse_code_i;
    end else if (addr_misaligned) begin
      bus_err_code = {p}MISALIGNED;
    end else if (addr_unmapped) begin
      bus_err_code = {p}UNMAPPED;
    end else begin
      bus_err_code = {p}READ_ONLY;
    end
  end
""")
        ext = "addr_i" if addr.width == aw else f"{{{addr.width - aw}'b0, addr_i}}"
        o.append(f"  logic [{addr.width - 1}:0] bus_err_addr;\n")
        o.append(f"  assign bus_err_addr = {ext};\n\n")

    # Storage.
    stored = [(r, f) for r in rm.regs for f in r.fields
              if f.access in ("rw", "w1c", "rc")]
    o.append("  // Stored fields: next state.\n")
    for r, f in stored:
        o.append(f"  {sv_logic(f.width)} {flop(r, f)}_d, {flop(r, f)}_q;\n")
    o.append("\n  always_comb begin\n")
    for r, f in stored:
        q, d = f"{flop(r, f)}_q", f"{flop(r, f)}_d"
        wbits = f"wdata_i[{f.msb}:{f.lsb}]" if f.width > 1 else f"wdata_i[{f.lsb}]"
        if f.access == "rw":
            idle = f"{f.width}'b0" if f.self_clear else q
            note = "  // self-clearing" if f.self_clear else ""
            o.append(f"    {d} = {r.lname}_we ? {wbits} : {idle};{note}\n")
        elif f.access == "w1c":
            o.append(f"    {d} = ({q} & ~({wbits} & {{{f.width}{{{r.lname}_we}}}})) | "
                     f"hw2reg_i.{member(r, f)};\n")
        elif r.source == "bus_error":
            val = "bus_err_code" if f.name == "CODE" else "bus_err_addr"
            o.append(f"    {d} = bus_err ? {val} : ({r.lname}_re ? {f.width}'b0 : {q});\n")
        else:  # rc from the core
            m = member(r, f)
            o.append(f"    {d} = hw2reg_i.{m}_de ? hw2reg_i.{m} : ({r.lname}_re ? {f.width}'b0 : {q});\n")
    o.append("  end\n\n")
    o.append("  always_ff @(posedge clk_i or negedge rst_ni) begin\n    if (!rst_ni) begin\n")
    for r, f in stored:
        o.append(f"      {flop(r, f)}_q <= {pkg}{R}{r.name}_RESET[{f.msb}:{f.lsb}];\n")
    o.append("    end else begin\n")
    for r, f in stored:
        o.append(f"      {flop(r, f)}_q <= {flop(r, f)}_d;\n")
    o.append("    end\n  end\n\n")

    o.append("  // To the core.\n")
    for b in port_layout(rm)["reg2hw"]:
        o.append(f"  assign reg2hw_o.{b.member} = {flop(b.reg, b.field)}_{'d' if b.role == 'next' else 'q'};\n")
    o.append("\n")

    o.append("  // Read values, unimplemented bits 0.\n")
    for r in rm.regs:
        o.append(f"  logic [31:0] {r.lname}_rdata;\n")
    o.append("  always_comb begin\n")
    for r in rm.regs:
        o.append(f"    {r.lname}_rdata = '0;\n")
        for f in r.fields:
            if f.self_clear:
                continue  # reads as 0
            o.append(f"    {r.lname}_rdata[{f.msb}:{f.lsb}] = {_field_sv_value(names, r, f)};\n")
    o.append("  end\n\n")

    # The read multiplexer: the read values in a table by word offset (zero in the holes),
    # indexed by the address's word bits. Synthesis builds a multiplexer tree on those bits,
    # smaller alone than a one-hot AND-OR of every reg_hit (figures: docs/performance.md).
    iw = max(max(r.offset for r in rm.regs) // 4, 1).bit_length()
    in_table = [f"addr_i[1:0] == 2'b00"]
    if iw + 2 < aw:
        in_table.insert(0, f"addr_i[{aw - 1}:{iw + 2}] == '0")
    o.append(f"  // Read data: the read values by word offset (addr_i[{iw + 1}:2]), zero in the holes.\n")
    o.append(f"  logic [31:0] rdata_tab [{1 << iw}];\n  always_comb begin\n"
             f"    for (int i = 0; i < {1 << iw}; i++) rdata_tab[i] = '0;\n")
    for r in rm.regs:
        o.append(f"    rdata_tab[{r.offset // 4}] = {r.lname}_rdata;\n")
    o.append("  end\n")
    o.append("  logic [31:0] rdata_d;\n")
    o.append(f"  assign rdata_d = (req_ok && !we_i && {' && '.join(in_table)})\n"
             f"                   ? rdata_tab[addr_i[{iw + 1}:2]] : 32'h0;\n\n")

    o.append("""  logic valid_q, err_q;
  logic [31:0] rdata_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= 1'b0;
      err_q   <= 1'b0;
      rdata_q <= '0;
    end else begin
      valid_q <= req_i;
      err_q   <= bus_err;
      rdata_q <= rdata_d;
    end
  end
  assign valid_o = valid_q;
  assign err_o   = err_q;
  assign rdata_o = rdata_q;

  // Write data bits that no field stores (named so that lint knows they are unused on purpose).
  logic unused_wdata;
  assign unused_wdata = ^wdata_i;
""")
    if not be:
        o.append("""  // No bus_error register records the code.
  logic unused_refuse_code;
  assign unused_refuse_code = ^refuse_code_i;
""")
    o.append("""
endmodule
""")
    return "".join(o)
