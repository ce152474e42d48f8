# The command of a prereq.* ctest entry (tests/prerequisites.cmake): prints TEXT, then fails when
# REQUIRED (HEXAD_REQUIRE_ALL, CI) or prints the marker ctest's SKIP_REGULAR_EXPRESSION matches.
if(REQUIRED)
  message(FATAL_ERROR "hexad: missing test prerequisite (required: HEXAD_REQUIRE_ALL=ON): ${TEXT}")
endif()
message("hexad: skipped: missing test prerequisite: ${TEXT}")
