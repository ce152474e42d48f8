# Cross-compilation of the freestanding PowerPC test programs (qemu-user vs hexad).
# Included by tests/elf and tools (bench). Defines:
#   HEXAD_ELF_AVAILABLE            TRUE when both cross compilers and both qemu-user binaries exist
#   HEXAD_ELF_MISSING              the missing ones, ", "-separated
#   HEXAD_ELF_CONFIGS              list of configuration names
#   hexad_elf_program(OUT_VAR CONFIG NAME SOURCE)  adds a custom command building
#                                  ${CMAKE_BINARY_DIR}/elf/<CONFIG>/<NAME>; OUT_VAR receives the path
#   hexad_elf_qemu(OUT_VAR CONFIG) the qemu-user binary that runs CONFIG's programs
#   hexad_elf_qemu_cpu(OUT_VAR CONFIG) its -cpu model (empty: qemu's default)
#   HEXAD_ELF_SETS, hexad_elf_config_has_set(OUT_VAR CONFIG SET): program sets per configuration
#   BUILD/elf/configs.txt          the configuration table for tools/bench
include_guard(DIRECTORY)
include(${PROJECT_SOURCE_DIR}/tests/prerequisites.cmake)

find_program(HEXAD_PPC32_CC powerpc-linux-gnu-gcc)
find_program(HEXAD_PPC64_CC powerpc64-linux-gnu-gcc)
find_program(HEXAD_QEMU_PPC qemu-ppc)
find_program(HEXAD_QEMU_PPC64 qemu-ppc64)

set(HEXAD_ELF_AVAILABLE TRUE)
foreach(tool HEXAD_PPC32_CC HEXAD_PPC64_CC HEXAD_QEMU_PPC HEXAD_QEMU_PPC64)
  if(NOT ${tool})
    set(HEXAD_ELF_AVAILABLE FALSE)
  endif()
endforeach()
# Without them the caller reports the gap (tests/elf: hexad_missing_prerequisite).
hexad_missing_tools(HEXAD_ELF_MISSING HEXAD_PPC32_CC powerpc-linux-gnu-gcc HEXAD_PPC64_CC powerpc64-linux-gnu-gcc
                    HEXAD_QEMU_PPC qemu-ppc HEXAD_QEMU_PPC64 qemu-ppc64)
if(NOT HEXAD_ELF_AVAILABLE)
  return()
endif()

set(HEXAD_ELF_RT_DIR ${CMAKE_CURRENT_LIST_DIR}/rt)
set(HEXAD_ELF_CMAKE_FILE ${CMAKE_CURRENT_LIST_FILE})
set(HEXAD_ELF_RT_SOURCES ${HEXAD_ELF_RT_DIR}/start.S ${HEXAD_ELF_RT_DIR}/sys.c ${HEXAD_ELF_RT_DIR}/string.c
                         ${HEXAD_ELF_RT_DIR}/printf.c)

# Per configuration: bits (32/64), optimisation and cpu flags (';'-separated), float kind and
# the qemu-user CPU model (-cpu) that runs it (empty: qemu's default model).
#   soft: -msoft-float -mno-altivec (integer ISA only)
#   hf:   -mhard-float -mno-altivec (scalar FPU)
#   vmx:  -mhard-float -maltivec -mabi=altivec -ffp-contract=off (scalar FPU and VMX)
# The hf/vmx configurations run under qemu models that have what they use: 64-bit under
# -cpu 970 (PowerPC 970: 64-bit, FPU with fsqrt, VMX, no VSX: the qemu model closest to the
# Xenon PPE, as in tools/difffuzz), 32-bit under -cpu 750 (G3, FPU without fsqrt: -mcpu=750)
# and -cpu 7450 (G4, VMX: -mcpu=7450). qemu-ppc has no 32-bit model with fcfid/fctid, so the
# 32-bit configurations never use -mcpu=cell or -mcpu=power5 with hard float.
set(HEXAD_ELF_CONFIGS m32-O0 m32-O2 m32-Os m32-O2-cell m64-O0 m64-O2-cell m32-O2-hf m32-O2-vmx
                      m64-O2-cell-hf m64-O2-cell-vmx)
macro(_hexad_elf_config name bits float cpu)
  set(_hexad_elf_${name}_bits ${bits})
  set(_hexad_elf_${name}_float ${float})
  set(_hexad_elf_${name}_qemu_cpu "${cpu}")
  set(_hexad_elf_${name}_flags ${ARGN})
endmacro()
_hexad_elf_config(m32-O0 32 soft "" -O0)
_hexad_elf_config(m32-O2 32 soft "" -O2)
_hexad_elf_config(m32-Os 32 soft "" -Os)
_hexad_elf_config(m32-O2-cell 32 soft "" -O2 -mcpu=cell)
_hexad_elf_config(m64-O0 64 soft "" -O0)
_hexad_elf_config(m64-O2-cell 64 soft "" -O2 -mcpu=cell)
_hexad_elf_config(m32-O2-hf 32 hf 750 -O2 -mcpu=750)
_hexad_elf_config(m32-O2-vmx 32 vmx 7450 -O2 -mcpu=7450)
_hexad_elf_config(m64-O2-cell-hf 64 hf 970 -O2 -mcpu=cell)
_hexad_elf_config(m64-O2-cell-vmx 64 vmx 970 -O2 -mcpu=cell)

set(_hexad_elf_float_soft -msoft-float -mno-altivec)
set(_hexad_elf_float_hf -mhard-float -mno-altivec)
# -ffp-contract=off: gcc's auto-vectoriser would turn a*b+c loops into vmaddfp, which the
# Xenon (and hexad) computes with the product rounded first while qemu fuses it, so outputs
# would differ by design. Scalar fmadd contraction stays covered by the hf configurations;
# progs_vmx call vec_madd explicitly with exact products.
set(_hexad_elf_float_vmx -mhard-float -maltivec -mabi=altivec -ffp-contract=off)

# Program sets (directories next to this file) and the float kinds that build them:
# progs (integer) everywhere, progs_fp with hard float, progs_vmx with VMX.
set(HEXAD_ELF_SETS progs progs_fp progs_vmx)
set(_hexad_elf_set_progs soft hf vmx)
set(_hexad_elf_set_progs_fp hf vmx)
set(_hexad_elf_set_progs_vmx vmx)

# hexad_elf_config_has_set(OUT_VAR CONFIG SET): TRUE when CONFIG builds the programs of SET.
function(hexad_elf_config_has_set out_var config set_name)
  if(_hexad_elf_${config}_float IN_LIST _hexad_elf_set_${set_name})
    set(${out_var} TRUE PARENT_SCOPE)
  else()
    set(${out_var} FALSE PARENT_SCOPE)
  endif()
endfunction()

# hexad_elf_qemu_cpu(OUT_VAR CONFIG): the qemu -cpu model for CONFIG, empty for qemu's default.
function(hexad_elf_qemu_cpu out_var config)
  set(${out_var} "${_hexad_elf_${config}_qemu_cpu}" PARENT_SCOPE)
endfunction()

# No PIE so the result is a plain ET_EXEC; no builtins so the runtime's mem*/str* are what runs;
# no libm, so __builtin_sqrt must not fall back to an errno-setting sqrt() call.
set(HEXAD_ELF_COMMON_FLAGS -fno-builtin -ffreestanding -fno-math-errno -fno-stack-protector
                           -fno-pie -fno-tree-loop-distribute-patterns -Wall -Wextra)
if(HEXAD_WERROR)
  list(APPEND HEXAD_ELF_COMMON_FLAGS -Werror)
endif()

# Writes BUILD/elf/configs.txt ("config bits float qemu-binary qemu-cpu|-" per line) for
# tools/bench, which runs the built programs without CMake.
set(_hexad_elf_manifest "# config bits float qemu qemu-cpu (generated by tests/elf/cross_elf.cmake)\n")
foreach(config ${HEXAD_ELF_CONFIGS})
  if(_hexad_elf_${config}_bits EQUAL 64)
    set(_q ${HEXAD_QEMU_PPC64})
  else()
    set(_q ${HEXAD_QEMU_PPC})
  endif()
  set(_c "${_hexad_elf_${config}_qemu_cpu}")
  if(_c STREQUAL "")
    set(_c -)
  endif()
  string(APPEND _hexad_elf_manifest "${config} ${_hexad_elf_${config}_bits} ${_hexad_elf_${config}_float} ${_q} ${_c}\n")
endforeach()
file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/elf/configs.txt CONTENT "${_hexad_elf_manifest}")

function(_hexad_elf_cc out_var config)
  if(_hexad_elf_${config}_bits EQUAL 64)
    set(${out_var} ${HEXAD_PPC64_CC} PARENT_SCOPE)
  else()
    set(${out_var} ${HEXAD_PPC32_CC} PARENT_SCOPE)
  endif()
endfunction()

function(hexad_elf_qemu out_var config)
  if(_hexad_elf_${config}_bits EQUAL 64)
    set(${out_var} ${HEXAD_QEMU_PPC64} PARENT_SCOPE)
  else()
    set(${out_var} ${HEXAD_QEMU_PPC} PARENT_SCOPE)
  endif()
endfunction()

# The runtime is linked once per configuration (and per calling directory, since
# custom command outputs are directory-local) into a relocatable object.
function(_hexad_elf_runtime out_var config)
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/elf-rt/${config})
  set(obj ${dir}/rt.o)
  get_property(done DIRECTORY PROPERTY _hexad_elf_rt_${config})
  if(NOT done)
    _hexad_elf_cc(cc ${config})
    add_custom_command(
      OUTPUT ${obj}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
      COMMAND ${cc} ${_hexad_elf_${config}_flags} ${_hexad_elf_float_${_hexad_elf_${config}_float}}
              ${HEXAD_ELF_COMMON_FLAGS} -nostdlib -r -o ${obj}
              ${HEXAD_ELF_RT_SOURCES}
      DEPENDS ${HEXAD_ELF_RT_SOURCES} ${HEXAD_ELF_RT_DIR}/rt.h ${HEXAD_ELF_CMAKE_FILE}
      COMMENT "Cross-compiling the ELF test runtime (${config})"
      VERBATIM)
    set_property(DIRECTORY PROPERTY _hexad_elf_rt_${config} TRUE)
  endif()
  set(${out_var} ${obj} PARENT_SCOPE)
endfunction()

function(hexad_elf_program out_var config name source)
  _hexad_elf_cc(cc ${config})
  _hexad_elf_runtime(rt ${config})
  set(out ${CMAKE_BINARY_DIR}/elf/${config}/${name})
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/elf/${config}
    COMMAND ${cc} ${_hexad_elf_${config}_flags} ${_hexad_elf_float_${_hexad_elf_${config}_float}}
            ${HEXAD_ELF_COMMON_FLAGS} -I${HEXAD_ELF_RT_DIR} -nostdlib -static
            -no-pie -o ${out} ${source} ${rt} -lgcc
    DEPENDS ${source} ${rt} ${HEXAD_ELF_RT_DIR}/rt.h
    COMMENT "Cross-compiling ${name} (${config})"
    VERBATIM)
  set(${out_var} ${out} PARENT_SCOPE)
endfunction()
