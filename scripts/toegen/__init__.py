# SPDX-License-Identifier: Apache-2.0
"""toegen: the toecore generator (stdlib only, Python 3.11+).

The descriptions become everything the C++ model, the RTL, firmware and drivers share:
rtl_model/regmap/toe_regs.toml (the host port's register map), toe_fw_regs.toml (the
firmware port's; [block] name = "fw" spells its outputs toe_fw_*, TOE_FW_*, toe::fw_regmap)
and rtl_model/regmap/toe_defs.toml (TCP states, command opcodes, event types, counters,
build parameters and their rules). The package has one module per step:

  model.py             the descriptions as dataclasses, and the reg2hw / hw2reg port layout
  reader.py            typed TOML reading with errors collected, not raised
  names.py             spelling shared by loaders and emitters (identifiers, literals, banners;
                       MapNames: a map's names from its [block] name)
  load.py              the register map: reading and validation, errors name the register
  load_defs.py         the definitions: reading and validation, errors name the entry
  emit_sv_pkg.py       toe_reg_pkg.sv       (each emitter: OUTPUT or output(regmap), emit(regmap) -> str;
                                            a named map's files are toe_<n>_...)
  emit_sv_top.py       toe_reg_top.sv
  emit_c_header.py     toe_regs.h
  emit_cpp_table.py    toe_regs_table.hpp
  emit_cpp_types.py    toe_regmap_types.hpp (the C++ types of every map's table)
  emit_docs.py         docs/registers.md
  emit_defs_sv_pkg.py  toe_defs_pkg.sv
  emit_param_check.py  toe_param_check.sv
  emit_defs_c.py       toe_defs.h
  emit_defs_cpp.py     toe_defs.hpp
  emit_defs_docs.py    docs/defs.md
  cli.py               the command line (scripts/gen_regs.py, python3 -m toegen)
"""
