#!/usr/bin/env bash
# Usage: all_backends.sh LIST_BACKENDS_CMD HEXAD CASE.s...
# `ppc-test --backend all` must run the cases under every backend the build lists (LIST_BACKENDS_CMD
# prints them, the default first): with several, one "backend NAME: N passed, 0 failed" line each,
# with the same N > 0; with one, the plain report. And a single named backend runs under that one.
set -u
list=$1 hexad=$2
shift 2
mapfile -t names < <($list)
[ ${#names[@]} -ge 1 ] || { echo "all_backends.sh: no backend listed" >&2; exit 1; }
out=$("$hexad" ppc-test --backend all "$@") || { echo "$out"; echo "all_backends.sh: ppc-test --backend all failed" >&2; exit 1; }
single=$("$hexad" ppc-test "$@" | tail -1)
if [ ${#names[@]} -eq 1 ]; then
  [ "$(tail -1 <<<"$out")" = "$single" ] || { echo "all_backends.sh: one backend, but the report differs" >&2; exit 1; }
  echo "all_backends.sh: one backend (${names[0]}): $single"
  exit 0
fi
want=$(sed -E 's/ passed, .*//' <<<"$single")  # the default backend's pass count
for n in "${names[@]}"; do
  grep -qx "backend $n: $want passed, 0 failed" <<<"$out" || {
    echo "$out"; echo "all_backends.sh: no 'backend $n: $want passed, 0 failed' line" >&2; exit 1; }
  one=$("$hexad" ppc-test --backend "$n" "$@" | tail -1)
  [ "$one" = "$single" ] || { echo "all_backends.sh: --backend $n: '$one', default: '$single'" >&2; exit 1; }
done
echo "all_backends.sh: ${names[*]}: $want passed each"
