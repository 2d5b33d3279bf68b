# SPDX-License-Identifier: Apache-2.0
# The RTL's source lists: one per block, rtl/<seg>/toe_<stage>.f, read by every consumer
# (Verilation and lint here, synthesis and place and route in scripts/toefpga).
#
# Format (a subset of Verilator's -f): one path per line, relative to the list's folder;
# "-f other.f" includes another list (its files first); "#" starts a comment; "$GEN/"
# is the build tree's generated-sources folder (${CMAKE_BINARY_DIR}/gen). A file named
# twice is kept at its first place, so packages come before their users. *.vlt files are
# Verilator lint waivers: Verilator takes them, synthesis does not.
#
#   toe_rtl_sources(<block> <out_sv> [<out_vlt>])
#     block: path of the list relative to rtl_model/rtl without ".f" (e.g. rx/toe_rx_parse)
#     out_sv: the SystemVerilog files in order; out_vlt: the waiver files

set(TOE_RTL_DIR "${CMAKE_CURRENT_LIST_DIR}" CACHE INTERNAL "rtl_model/rtl")

function(toe_rtl_sources block out_sv)
  # Depth-first expansion: a list's -f includes are expanded where they stand.
  set(_out)
  _toe_rtl_expand("${TOE_RTL_DIR}/${block}.f" _out)
  set(_sv)
  set(_vlt)
  foreach(f IN LISTS _out)
    if(f MATCHES "\\.vlt$")
      list(APPEND _vlt "${f}")
    else()
      list(APPEND _sv "${f}")
    endif()
  endforeach()
  set(${out_sv} "${_sv}" PARENT_SCOPE)
  if(ARGC GREATER 2)
    set(${ARGV2} "${_vlt}" PARENT_SCOPE)
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${TOE_RTL_DIR}/${block}.f")
endfunction()

function(_toe_rtl_expand list_file out)
  if(NOT EXISTS "${list_file}")
    message(FATAL_ERROR "RTL source list ${list_file} does not exist")
  endif()
  get_filename_component(_dir "${list_file}" DIRECTORY)
  file(STRINGS "${list_file}" _lines)
  set(_acc ${${out}})
  foreach(line IN LISTS _lines)
    string(STRIP "${line}" line)
    if(line STREQUAL "" OR line MATCHES "^#")
      continue()
    endif()
    if(line MATCHES "^-f[ \t]+(.+)$")
      set(_sub "${_dir}/${CMAKE_MATCH_1}")
      cmake_path(NORMAL_PATH _sub)
      set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_sub}")
      _toe_rtl_expand("${_sub}" _acc)
      continue()
    endif()
    if(line MATCHES "^\\$GEN/(.+)$")
      set(_f "${CMAKE_BINARY_DIR}/gen/${CMAKE_MATCH_1}")
    else()
      set(_f "${_dir}/${line}")
      cmake_path(NORMAL_PATH _f)
      if(NOT EXISTS "${_f}")
        message(FATAL_ERROR "${list_file}: no file ${line}")
      endif()
    endif()
    if(NOT _f IN_LIST _acc)
      list(APPEND _acc "${_f}")
    endif()
  endforeach()
  set(${out} "${_acc}" PARENT_SCOPE)
endfunction()

#   toe_verilated_compile_options(<target>)
#     The C++ Verilator wrote for <target> (its output under CMakeFiles/<target>.dir/) and the
#     runtime sources it added (${VERILATOR_ROOT}/include): compiled without warnings (they are not
#     -Wextra clean), without debug information (-g0: halves their compile time), and the
#     *__Slow.cpp files (construction and initial blocks, run once) at -O0. Call it after the
#     target's last verilate().
function(toe_verilated_compile_options target)
  get_target_property(_srcs ${target} SOURCES)
  set(_fast)
  set(_slow)
  foreach(s IN LISTS _srcs)
    if(s MATCHES "^${VERILATOR_ROOT}/include/" OR s MATCHES "/CMakeFiles/${target}\\.dir/")
      if(s MATCHES "__Slow\\.cpp$")
        list(APPEND _slow "${s}")
      else()
        list(APPEND _fast "${s}")
      endif()
    endif()
  endforeach()
  if(_fast)
    set_source_files_properties(${_fast} TARGET_DIRECTORY ${target} PROPERTIES COMPILE_OPTIONS "-w;-g0")
  endif()
  if(_slow)
    set_source_files_properties(${_slow} TARGET_DIRECTORY ${target} PROPERTIES COMPILE_OPTIONS "-w;-g0;-O0")
  endif()
endfunction()
