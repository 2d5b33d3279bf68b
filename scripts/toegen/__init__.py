# SPDX-License-Identifier: Apache-2.0
"""toegen: the toecore generator (stdlib only, Python 3.11+).

Two descriptions become everything the C++ model, the RTL, firmware and drivers share:
rtl_model/regmap/toe_regs.toml (the register map) and rtl_model/regmap/toe_defs.toml (TCP
states, command opcodes, event types, counters, build parameters and their rules). The
package has one module per step:

  model.py             the descriptions as dataclasses, and the reg2hw / hw2reg port layout
  reader.py            typed TOML reading with errors collected, not raised
  names.py             spelling shared by loaders and emitters (identifiers, literals, banners)
  load.py              the register map: reading and validation, errors name the register
  load_defs.py         the definitions: reading and validation, errors name the entry
  emit_sv_pkg.py       toe_reg_pkg.sv       (each emitter: OUTPUT, emit(regmap) -> str)
  emit_sv_top.py       toe_reg_top.sv
  emit_c_header.py     toe_regs.h
  emit_cpp_table.py    toe_regs_table.hpp
  emit_docs.py         docs/registers.md
  emit_defs_sv_pkg.py  toe_defs_pkg.sv
  emit_param_check.py  toe_param_check.sv
  emit_defs_c.py       toe_defs.h
  emit_defs_cpp.py     toe_defs.hpp
  emit_defs_docs.py    docs/defs.md
  cli.py               the command line (scripts/gen_regs.py, python3 -m toegen)
"""
