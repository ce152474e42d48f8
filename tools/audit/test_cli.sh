#!/usr/bin/env bash
# Exit-code and output checks for the real hexad-audit binary on generated traces.
# usage: test_cli.sh PATH/TO/hexad-audit
set -u
bin=${1:?usage: test_cli.sh PATH/TO/hexad-audit}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0

# expect NAME CODE PATTERN -- ARGS...: runs the binary, checks the exit code and that stdout+stderr
# contains PATTERN (a fixed string; empty: no output check).
expect() {
  local name=$1 code=$2 pattern=$3
  shift 4
  local out rc
  out=$("$bin" "$@" 2>&1)
  rc=$?
  if [[ $rc -ne $code ]]; then
    echo "FAIL $name: exit $rc, expected $code"; echo "$out" | sed 's/^/    /'
    failures=$((failures + 1))
  elif [[ -n $pattern && $out != *"$pattern"* ]]; then
    echo "FAIL $name: output lacks '$pattern'"; echo "$out" | sed 's/^/    /'
    failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}

# gen FILE N [HOST_SEED] [CHANGED_IDX]: N events, run.start first and run.stop last; host_ns varies
# with HOST_SEED; event CHANGED_IDX gets a different guest_cycle.
gen() {
  local file=$1 n=$2 seed=${3:-0} changed=${4:--1} i kind cycle
  : >"$file"
  for ((i = 0; i < n; i++)); do
    case $((i % 3)) in 0) kind=import.call ;; 1) kind=wait.begin ;; *) kind=wait.end ;; esac
    [[ $i -eq 0 ]] && kind=run.start
    [[ $i -eq $((n - 1)) ]] && kind=run.stop
    cycle=$((i * 10))
    [[ $i -eq $changed ]] && cycle=$((cycle + 1))
    printf '{"idx":%d,"kind":"%s","tid":1,"slot":0,"round":%d,"guest_cycle":%d,"host_ns":%d}\n' \
      "$i" "$kind" "$((i / 4))" "$cycle" "$((i * 1000 + seed))" >>"$file"
  done
}

gen "$dir/a.jsonl" 50 0
gen "$dir/b.jsonl" 50 777           # same events, other host_ns
gen "$dir/c.jsonl" 50 0 13          # idx 13 (wait.begin) differs
gen "$dir/short.jsonl" 40 0
# Same events with keys reordered and spaces added.
sed -e 's/{"idx":\([0-9]*\),"kind":\("[^"]*"\),/{ "kind" : \2, "idx" : \1 ,/' "$dir/a.jsonl" >"$dir/reordered.jsonl"

expect identical 0 "identical: 50 events" -- diff "$dir/a.jsonl" "$dir/b.jsonl"
expect reordered-keys 0 "identical: 50 events" -- diff "$dir/a.jsonl" "$dir/reordered.jsonl"
# Two aborted runs' empty traces are not "identical: 0 events".
expect empty-traces 2 "empty trace: no events" -- diff /dev/null /dev/null
: >"$dir/empty.jsonl"
expect empty-trace-b 2 "empty.jsonl: empty trace" -- diff "$dir/a.jsonl" "$dir/empty.jsonl"
expect one-field 1 "first differing event: idx 13" -- diff "$dir/a.jsonl" "$dir/c.jsonl"
expect one-field-fields 1 "fields: guest_cycle" -- diff "$dir/a.jsonl" "$dir/c.jsonl"
expect one-field-kind 1 "wait.begin: 1" -- diff "$dir/a.jsonl" "$dir/c.jsonl"
expect shorter-b 1 "A has 50, B has 40" -- diff "$dir/a.jsonl" "$dir/short.jsonl"
expect shorter-a 1 "first differing event: idx 39" -- diff "$dir/short.jsonl" "$dir/a.jsonl"
expect max-show 1 "differing event: idx 41" -- diff "$dir/short.jsonl" "$dir/a.jsonl" --max-show 3

# A trace cut before run.stop (a killed run) is incomplete: refused unless --allow-unfinished.
head -n 30 "$dir/a.jsonl" >"$dir/cut.jsonl"
expect cut-trace 2 "cut.jsonl: incomplete trace: 30 events and no run.stop" -- diff "$dir/a.jsonl" "$dir/cut.jsonl"
expect cut-trace-allowed 1 "A has 50, B has 30" -- diff "$dir/a.jsonl" "$dir/cut.jsonl" --allow-unfinished
printf '{"idx":0,"kind":"wait.begin"}\n{"idx":1,"kind":"run.stop"}\n' >"$dir/headless.jsonl"
expect no-run-start 2 "headless.jsonl:1: the first event is \"wait.begin\", expected \"run.start\"" -- \
  diff "$dir/headless.jsonl" "$dir/a.jsonl"

# A folder whose run.json still says "running" (hexad was killed): refused, or a warning.
mkdir -p "$dir/killed" "$dir/done"
cp "$dir/a.jsonl" "$dir/killed/trace.jsonl"
cp "$dir/b.jsonl" "$dir/done/trace.jsonl"
printf '{\n  "schema": "hexad.run/1",\n  "state": "running"\n}\n' >"$dir/killed/run.json"
printf '{\n  "schema": "hexad.run/1",\n  "state": "finished"\n}\n' >"$dir/done/run.json"
expect finished-runs 0 "identical: 50 events" -- diff "$dir/done/trace.jsonl" "$dir/a.jsonl"
expect unfinished-run 2 "did not finish" -- diff "$dir/done/trace.jsonl" "$dir/killed/trace.jsonl"
expect unfinished-run-allowed 0 "warning: $dir/killed/trace.jsonl: the run that wrote this trace did not finish" -- \
  diff "$dir/done/trace.jsonl" "$dir/killed/trace.jsonl" --allow-unfinished

# A hostile line nested 100,000 deep is corrupt input, not a stack overflow.
{ head -n 3 "$dir/a.jsonl"; printf '{"idx":3,"kind":"x","v":'; head -c 100000 /dev/zero | tr '\0' '['; echo; } >"$dir/deep.jsonl"
expect deep-nesting 2 "deep.jsonl:4: invalid JSON: nesting deeper than 64" -- diff "$dir/a.jsonl" "$dir/deep.jsonl"

# Every common field but host_ns counts: an event differing only in its tid, or only in its round, differs.
sed '8s/"tid":1,/"tid":2,/' "$dir/a.jsonl" >"$dir/tid.jsonl"
sed '21s/"round":5,/"round":6,/' "$dir/a.jsonl" >"$dir/round.jsonl"
expect tid-only 1 "fields: tid" -- diff "$dir/a.jsonl" "$dir/tid.jsonl"
expect round-only 1 "fields: round" -- diff "$dir/a.jsonl" "$dir/round.jsonl"

cp "$dir/a.jsonl" "$dir/bad.jsonl"
sed -i '7s/.*/{"idx":6,"kind":/' "$dir/bad.jsonl"
expect corrupt-json 2 "bad.jsonl:7:" -- diff "$dir/a.jsonl" "$dir/bad.jsonl"
cp "$dir/a.jsonl" "$dir/gap.jsonl"
sed -i '5d' "$dir/gap.jsonl"
expect idx-gap 2 "gap.jsonl:5: \"idx\" is 5, expected 4" -- diff "$dir/gap.jsonl" "$dir/a.jsonl"
{ cat "$dir/a.jsonl"; echo; } >"$dir/blank.jsonl"
expect trailing-empty-line 2 "blank.jsonl:51: empty line" -- diff "$dir/a.jsonl" "$dir/blank.jsonl"
expect missing-file 2 "nonexistent.jsonl" -- diff "$dir/a.jsonl" "$dir/nonexistent.jsonl"
expect directory 2 "is a directory" -- diff "$dir" "$dir/a.jsonl"

expect no-args 2 "usage:" --
expect help 0 "usage:" -- --help
expect diff-help 0 "usage:" -- diff --help
if [[ -n $("$bin" --help 2>/dev/null) && -z $("$bin" --help 2>&1 >/dev/null) ]]; then
  echo "ok   help-on-stdout"
else
  echo "FAIL help-on-stdout: --help should print its usage on stdout only"; failures=$((failures + 1))
fi
expect unknown-command 2 "usage:" -- frobnicate
expect one-file 2 "usage:" -- diff "$dir/a.jsonl"
expect bad-max-show 2 "usage:" -- diff "$dir/a.jsonl" "$dir/b.jsonl" --max-show x
expect unknown-option 2 "usage:" -- diff "$dir/a.jsonl" "$dir/b.jsonl" --frob

if [[ $failures -ne 0 ]]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
