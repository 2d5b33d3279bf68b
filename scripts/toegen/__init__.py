# SPDX-License-Identifier: Apache-2.0
"""toegen: the toecore generator (stdlib only, Python 3.11+).

One description, rtl_model/regmap/toe_regs.toml, becomes the SV register package and
decoder, the C header, the C++ table and the Markdown reference. The package has one
module per step:

  model.py           the description as dataclasses, and the reg2hw / hw2reg port layout
  names.py           spelling shared by loader and emitters (identifiers, literals, banners)
  load.py            reading and validation; every error names the register
  emit_sv_pkg.py     toe_reg_pkg.sv       (each emitter: OUTPUT, emit(model) -> str)
  emit_sv_top.py     toe_reg_top.sv
  emit_c_header.py   toe_regs.h
  emit_cpp_table.py  toe_regs_table.hpp
  emit_docs.py       docs/registers.md
  cli.py             the command line (scripts/gen_regs.py, python3 -m toegen)
"""
