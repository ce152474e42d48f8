#!/usr/bin/env bash
# Runs a PowerPC ELF under qemu-user and under `hexad run --quiet` and fails
# (with a diff) unless stdout and the exit status match.
# usage: compare.sh [--cpu MODEL] [--backend NAME] QEMU HEXAD ELF [GUEST-ARGS...]
#   --cpu MODEL     qemu's CPU model (qemu -cpu MODEL), e.g. 970 for VMX programs
#   --backend NAME  hexad's execution backend (hexad run --backend NAME); default: hexad's default
set -u
qemu_cpu=()
backend=()
while [[ ${1-} == --cpu || ${1-} == --backend ]]; do
  if [[ $1 == --cpu ]]; then qemu_cpu=(-cpu "$2"); else backend=(--backend "$2"); fi
  shift 2
done
if [[ $# -lt 3 ]]; then
  echo "usage: compare.sh [--cpu MODEL] [--backend NAME] QEMU HEXAD ELF [GUEST-ARGS...]" >&2
  exit 2
fi
qemu=$1 hexad=$2 elf=$3
shift 3
limit=${HEXAD_COMPARE_TIMEOUT:-60}

work=$(mktemp -d "${TMPDIR:-/tmp}/hexad-compare.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

timeout "$limit" "$qemu" "${qemu_cpu[@]}" "$elf" "$@" >"$work/qemu.out" 2>"$work/qemu.err"
qs=$?
if [[ $qs -eq 124 ]]; then
  echo "FAIL: qemu timed out after ${limit}s: $qemu ${qemu_cpu[*]} $elf $*"
  exit 1
fi
if [[ $qs -ge 126 ]]; then
  # 126/127: could not execute; >= 128: killed by a signal (the guest crashed).
  echo "FAIL: qemu did not run the program to completion (status $qs): $qemu ${qemu_cpu[*]} $elf $*"
  sed 's/^/  qemu stderr: /' "$work/qemu.err" | head -20
  exit 1
fi

timeout "$limit" "$hexad" run --quiet "${backend[@]}" "$elf" -- "$@" >"$work/hexad.out" 2>"$work/hexad.err"
hs=$?
[[ $hs -eq 124 ]] && echo "note: hexad timed out after ${limit}s"

fail=0
if ! cmp -s "$work/qemu.out" "$work/hexad.out"; then
  fail=1
  first=$(cmp "$work/qemu.out" "$work/hexad.out" 2>&1 | head -1)
  echo "FAIL: stdout differs ($first)"
  diff -u --label qemu --label hexad "$work/qemu.out" "$work/hexad.out" | head -60
fi
if [[ $qs -ne $hs ]]; then
  fail=1
  echo "FAIL: exit status differs: qemu $qs, hexad $hs"
fi
if [[ $fail -ne 0 ]]; then
  sed 's/^/  hexad stderr: /' "$work/hexad.err" | head -20
  exit 1
fi
echo "ok: $(wc -l <"$work/qemu.out") lines of stdout, exit status $qs"
exit 0
