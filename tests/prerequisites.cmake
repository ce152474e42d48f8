# Test prerequisites beyond the host C++ toolchain: the PowerPC cross compilers and binutils,
# qemu-user, Python 3 and the shared conformance suite. A missing one must never just make tests
# disappear. hexad_missing_prerequisite(NAME WHAT LOST) always
#   - warns at configure time: "WHAT not found: LOST", and
#   - registers the ctest entry prereq.NAME, which prints the same message. With HEXAD_REQUIRE_ALL
#     (set by scripts/setup when CI=true) it fails; otherwise ctest reports it as skipped
#     ("Not Run"), so the gap shows in every local test summary without failing it.
include_guard(GLOBAL)

set(_HEXAD_PREREQ_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/prerequisite_missing.cmake)

function(hexad_missing_prerequisite name what lost)
  set(text "${what} not found: ${lost}")
  if(HEXAD_REQUIRE_ALL)
    message(WARNING "hexad: ${text}. HEXAD_REQUIRE_ALL is ON (CI): ctest entry prereq.${name} fails.")
  else()
    message(WARNING "hexad: ${text}. ctest reports prereq.${name} as skipped.")
  endif()
  add_test(NAME prereq.${name}
           COMMAND ${CMAKE_COMMAND} "-DTEXT=${text}" -DREQUIRED=${HEXAD_REQUIRE_ALL} -P ${_HEXAD_PREREQ_SCRIPT})
  set_tests_properties(prereq.${name} PROPERTIES LABELS prereq SKIP_REGULAR_EXPRESSION "hexad: skipped:")
endfunction()

# hexad_missing_tools(OUT_VAR VAR TOOL [VAR TOOL]...): of the find_program() result variables VAR,
# the TOOL names of those not found, ", "-separated ("" when all were found).
function(hexad_missing_tools out_var)
  set(missing)
  set(pairs ${ARGN})
  list(LENGTH pairs n)
  math(EXPR last "${n} - 1")
  foreach(k RANGE 0 ${last} 2)
    math(EXPR t "${k} + 1")
    list(GET pairs ${k} var)
    list(GET pairs ${t} tool)
    if(NOT ${var})
      list(APPEND missing ${tool})
    endif()
  endforeach()
  string(REPLACE ";" ", " missing "${missing}")
  set(${out_var} "${missing}" PARENT_SCOPE)
endfunction()
