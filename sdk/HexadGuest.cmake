# hexad guest SDK: building titles (C sources -> 32-bit PowerPC ELF -> XEX2). See docs/sdk.md.
#
#   hexad_guest_title(NAME [CODE_MODE 32|64] SOURCES...)
#
# builds ${CMAKE_BINARY_DIR}/guest/<NAME>.xex (and <NAME>.elf beside it) from SOURCES (relative to
# the calling directory) plus the SDK's crt0 and libc, as part of `all` (target guest_<NAME>).
# HEXAD_GUEST_AVAILABLE is TRUE when the cross compiler exists; without it the function only
# warns once and does nothing, so callers should test HEXAD_GUEST_AVAILABLE before adding tests
# that need the .xex.
include_guard(GLOBAL)

set(HEXAD_SDK_DIR ${CMAKE_CURRENT_LIST_DIR})
find_program(HEXAD_GUEST_CC powerpc-linux-gnu-gcc)
if(HEXAD_GUEST_CC)
  set(HEXAD_GUEST_AVAILABLE TRUE)
else()
  set(HEXAD_GUEST_AVAILABLE FALSE)
  message(WARNING "hexad: powerpc-linux-gnu-gcc not found: guest SDK titles (.xex) are not built and the "
                  "tests that run them are not registered (ctest shows prereq.guest and prereq.guest_sdk). "
                  "Install gcc-powerpc-linux-gnu.")
endif()

set(HEXAD_GUEST_CFLAGS -m32 -msoft-float -mno-altivec -ffreestanding -fno-builtin -nostdlib -static
    -fno-pic -msdata=none -ffunction-sections -fdata-sections -O2 -g -Wall -Wextra -Werror
    -I${HEXAD_SDK_DIR}/include)
set(HEXAD_GUEST_LDFLAGS -Wl,--gc-sections -Wl,--build-id=none -Wl,-z,noexecstack)
set(HEXAD_GUEST_RUNTIME ${HEXAD_SDK_DIR}/src/crt0.S ${HEXAD_SDK_DIR}/src/libc.c)

# CODE_MODE 64: the sources are written for the processor's 64-bit mode (hand-written assembly,
# like tests/guest/mode64.S); the XEX then carries no hexad code-mode header, as console images.
function(hexad_guest_title name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "CODE_MODE" "")
  if(NOT arg_CODE_MODE)
    set(arg_CODE_MODE 32)
  endif()
  hexad_guest_image(${name} XEXPACK_ARGS --code-mode ${arg_CODE_MODE} SOURCES ${arg_UNPARSED_ARGUMENTS})
endfunction()

#   hexad_guest_image(NAME [BASE ADDR] [XEXPACK_ARGS ARGS...] SOURCES SOURCES...)
#
# The same with an image base other than 0x82000000 (a second module a title loads with
# XexLoadImage must not overlap the title) and extra xexpack options (--system-flags, --resource).
function(hexad_guest_image name)
  if(NOT HEXAD_GUEST_AVAILABLE)
    return()
  endif()
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "BASE" "XEXPACK_ARGS;SOURCES;LINK_ARGS")
  set(sources)
  foreach(src ${arg_SOURCES})
    get_filename_component(abs ${src} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    list(APPEND sources ${abs})
  endforeach()
  if(NOT sources)
    message(FATAL_ERROR "hexad_guest_title(${name}): no sources")
  endif()
  file(GLOB sdk_headers CONFIGURE_DEPENDS ${HEXAD_SDK_DIR}/include/hx/*.h)
  set(dir ${CMAKE_BINARY_DIR}/guest)
  set(link_script ${HEXAD_SDK_DIR}/xex.ld)
  if(arg_BASE)
    file(READ ${HEXAD_SDK_DIR}/xex.ld script)
    string(REPLACE "0x82000000" "${arg_BASE}" script "${script}")
    set(link_script ${CMAKE_CURRENT_BINARY_DIR}/${name}.ld)
    file(WRITE ${link_script} "${script}")
  endif()
  set(elf ${dir}/${name}.elf)
  set(xex ${dir}/${name}.xex)
  add_custom_command(
    OUTPUT ${xex} ${elf}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND ${HEXAD_GUEST_CC} ${HEXAD_GUEST_CFLAGS} -T ${link_script} ${HEXAD_GUEST_LDFLAGS} ${HEXAD_GUEST_RUNTIME}
            ${arg_LINK_ARGS} ${sources} -lgcc -o ${elf}
    COMMAND $<TARGET_FILE:xexpack> --name ${name}.exe ${arg_XEXPACK_ARGS} ${elf} ${xex}
    DEPENDS ${sources} ${sdk_headers} ${HEXAD_GUEST_RUNTIME} ${HEXAD_SDK_DIR}/xex.ld xexpack
    COMMENT "Building guest title ${name}.xex"
    VERBATIM)
  add_custom_target(guest_${name} ALL DEPENDS ${xex})
endfunction()

# The SDK's own example, used by the XEX loader's unit tests.
hexad_guest_title(minimal ${HEXAD_SDK_DIR}/examples/minimal.c)
# The drawing example (README "GPU"): a moving pattern presented with VdSwap at each vblank.
hexad_guest_title(pattern ${HEXAD_SDK_DIR}/examples/pattern.c)

# Once the whole tree is configured, point the unit tests at the built example.
function(_hexad_guest_wire_unit_tests)
  if(HEXAD_GUEST_AVAILABLE AND TARGET hexad_unit_tests)
    target_compile_definitions(hexad_unit_tests PRIVATE HEXAD_GUEST_MINIMAL_XEX="${CMAKE_BINARY_DIR}/guest/minimal.xex")
    add_dependencies(hexad_unit_tests guest_minimal)
  endif()
endfunction()
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL _hexad_guest_wire_unit_tests)
