#!/usr/bin/env bash
# Usage: expect.sh EXPECTED_STATUS EXPECTED_STDOUT_FILE COMMAND...
# Runs COMMAND and fails unless it exits with EXPECTED_STATUS and prints exactly the expected
# report: ppc-test's checks must themselves be able to fail (see tests/ppc/CMakeLists.txt).
set -u
want_status=$1 want_file=$2
shift 2
out=$("$@")
status=$?
if ! diff -u "$want_file" <(printf '%s\n' "$out"); then
  echo "expect.sh: the report differs from $want_file (- expected, + actual)" >&2
  exit 1
fi
if [ "$status" -ne "$want_status" ]; then
  echo "expect.sh: exit status $status, expected $want_status" >&2
  exit 1
fi
echo "expect.sh: status $status and report as expected"
