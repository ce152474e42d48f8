# Cross-compilation of the freestanding PowerPC test programs (qemu-user vs hexad).
# Included by tests/elf and tools (bench). Defines:
#   HEXAD_ELF_AVAILABLE            TRUE when both cross compilers and both qemu-user binaries exist
#   HEXAD_ELF_CONFIGS              list of configuration names
#   hexad_elf_program(OUT_VAR CONFIG NAME SOURCE)  adds a custom command building
#                                  ${CMAKE_BINARY_DIR}/elf/<CONFIG>/<NAME>; OUT_VAR receives the path
#   hexad_elf_qemu(OUT_VAR CONFIG) the qemu-user binary that runs CONFIG's programs
include_guard(DIRECTORY)

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
get_property(_hexad_elf_warned GLOBAL PROPERTY _hexad_elf_warned)
if(NOT HEXAD_ELF_AVAILABLE AND NOT _hexad_elf_warned)
  set_property(GLOBAL PROPERTY _hexad_elf_warned TRUE)
  message(WARNING "hexad: PowerPC cross compilers (powerpc-linux-gnu-gcc, powerpc64-linux-gnu-gcc) or "
                  "qemu-user (qemu-ppc, qemu-ppc64) not found: the differential ELF tests and the "
                  "benchmark programs are not built. Install them with the README's setup step.")
endif()
if(NOT HEXAD_ELF_AVAILABLE)
  return()
endif()

set(HEXAD_ELF_RT_DIR ${CMAKE_CURRENT_LIST_DIR}/rt)
set(HEXAD_ELF_CMAKE_FILE ${CMAKE_CURRENT_LIST_FILE})
set(HEXAD_ELF_RT_SOURCES ${HEXAD_ELF_RT_DIR}/start.S ${HEXAD_ELF_RT_DIR}/sys.c ${HEXAD_ELF_RT_DIR}/string.c
                         ${HEXAD_ELF_RT_DIR}/printf.c)

# name | bits | optimisation and cpu flags (';'-separated)
set(HEXAD_ELF_CONFIGS m32-O0 m32-O2 m32-Os m32-O2-cell m64-O0 m64-O2-cell)
set(_hexad_elf_m32-O0_bits 32)
set(_hexad_elf_m32-O0_flags -O0)
set(_hexad_elf_m32-O2_bits 32)
set(_hexad_elf_m32-O2_flags -O2)
set(_hexad_elf_m32-Os_bits 32)
set(_hexad_elf_m32-Os_flags -Os)
set(_hexad_elf_m32-O2-cell_bits 32)
set(_hexad_elf_m32-O2-cell_flags -O2 -mcpu=cell)
set(_hexad_elf_m64-O0_bits 64)
set(_hexad_elf_m64-O0_flags -O0)
set(_hexad_elf_m64-O2-cell_bits 64)
set(_hexad_elf_m64-O2-cell_flags -O2 -mcpu=cell)

# Integer ISA only (floating point and vector are covered later); no PIE so the
# result is a plain ET_EXEC; no builtins so the runtime's mem*/str* are what runs.
set(HEXAD_ELF_COMMON_FLAGS -msoft-float -mno-altivec -fno-builtin -ffreestanding -fno-stack-protector
                           -fno-pie -fno-tree-loop-distribute-patterns -Wall -Wextra)
if(HEXAD_WERROR)
  list(APPEND HEXAD_ELF_COMMON_FLAGS -Werror)
endif()

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
      COMMAND ${cc} ${_hexad_elf_${config}_flags} ${HEXAD_ELF_COMMON_FLAGS} -nostdlib -r -o ${obj}
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
    COMMAND ${cc} ${_hexad_elf_${config}_flags} ${HEXAD_ELF_COMMON_FLAGS} -I${HEXAD_ELF_RT_DIR} -nostdlib -static
            -no-pie -o ${out} ${source} ${rt} -lgcc
    DEPENDS ${source} ${rt} ${HEXAD_ELF_RT_DIR}/rt.h
    COMMENT "Cross-compiling ${name} (${config})"
    VERBATIM)
  set(${out_var} ${out} PARENT_SCOPE)
endfunction()
