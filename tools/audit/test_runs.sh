#!/usr/bin/env bash
# hexad-audit summary and gate on real runs of bundled titles, every audit command on a zstd-compressed
# run against the plain one (the same answers), and bad input: cut, corrupt, mismatched.
# usage: test_runs.sh PATH/TO/hexad PATH/TO/hexad-audit GUEST_DIR
set -u
hexad=${1:?usage: test_runs.sh HEXAD AUDIT GUEST_DIR}
bin=${2:?usage: test_runs.sh HEXAD AUDIT GUEST_DIR}
guest=${3:?usage: test_runs.sh HEXAD AUDIT GUEST_DIR}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0

# expect NAME CODE PATTERN -- ARGS...: runs hexad-audit, checks the exit code and that stdout+stderr
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
check() {  # check NAME CONDITION-EXIT-STATUS MESSAGE
  if [[ $2 -eq 0 ]]; then echo "ok   $1"; else echo "FAIL $1: $3"; failures=$((failures + 1)); fi
}
run() {  # run OUT TITLE ARGS...: hexad run, any exit status
  local out=$1 title=$2
  shift 2
  "$hexad" run "$guest/$title.xex" --out "$dir/$out" --quiet "$@" >/dev/null 2>&1
}

run stress audit_stress --budget 500000
run stress_z audit_stress --budget 500000 --trace-compress
run unimpl unimpl
run unimpl_z unimpl --trace-compress
run deadlock deadlock
run deadlock_z deadlock --trace-compress

# --- compressed runs: the file, the standard tool, and the same answers ---------------------------
[[ -f $dir/stress_z/trace.jsonl.zst && ! -e $dir/stress_z/trace.jsonl ]]
check compress-writes-zst $? "stress_z holds $(ls "$dir/stress_z")"
zstd -q -t "$dir/stress_z/trace.jsonl.zst"
check compress-valid-zstd $? "zstd -t refuses trace.jsonl.zst"
zstd -q -dc "$dir/stress_z/trace.jsonl.zst" >"$dir/unpacked.jsonl"
expect zstd-tool-round-trip 0 "identical:" -- diff "$dir/unpacked.jsonl" "$dir/stress/trace.jsonl"
# Recognised by content, not by name: a zstd file called .jsonl, a plain one called .zst.
zstd -q -c "$dir/stress/trace.jsonl" >"$dir/packed-by-tool.jsonl"
cp "$dir/stress/trace.jsonl" "$dir/plain-named.zst"
expect magic-not-name 0 "identical:" -- diff "$dir/packed-by-tool.jsonl" "$dir/plain-named.zst"
for t in stress unimpl deadlock; do
  expect "diff-plain-vs-zstd-$t" 0 "identical:" -- diff "$dir/$t" "$dir/${t}_z"
  # summary: the same but for the trace file's name and "compressed".
  a=$("$bin" summary "$dir/$t" --json | grep -v -e '"trace":' -e '"compressed":' -e '"dump":')
  b=$("$bin" summary "$dir/${t}_z" --json | grep -v -e '"trace":' -e '"compressed":' -e '"dump":')
  [[ -n $a && $a == "$b" ]]
  check "summary-plain-vs-zstd-$t" $? "summary --json differs between $t and ${t}_z"
  a=$("$bin" summary "$dir/$t" | grep -v -e '^trace:' -e '^dump:')
  b=$("$bin" summary "$dir/${t}_z" | grep -v -e '^trace:' -e '^dump:')
  [[ -n $a && $a == "$b" ]]
  check "summary-text-plain-vs-zstd-$t" $? "summary text differs between $t and ${t}_z"
done
g=('count(import.call, name=VdSwap) >= 2' 'thread(2).events > 100' 'thread(1).state == Blocked' 'run.stop_reason == budget')
a=$("$bin" gate "$dir/stress" "${g[@]}"; echo "rc $?")
b=$("$bin" gate "$dir/stress_z" "${g[@]}"; echo "rc $?")
[[ $a == "$b" && $a == *"rc 0" ]]
check gate-plain-vs-zstd $? "gate: '$a' vs '$b'"
# explain, wedge-diff and export read the compressed run as the plain one: the same output, but for
# the run folder's and the trace file's names.
same_names() { sed -e "s#$dir/\([a-z_]*\)_z#$dir/\1#g" -e 's#trace\.jsonl\.zst#trace.jsonl#g'; }
for t in stress unimpl deadlock; do
  a=$("$bin" explain "$dir/$t" 2>&1; echo "rc $?")
  b=$("$bin" explain "$dir/${t}_z" 2>&1 | same_names; echo "rc $?")
  [[ $a == "$b" && $a == *"rc 0" ]]
  check "explain-plain-vs-zstd-$t" $? "explain: '$a' vs '$b'"
  a=$("$bin" wedge-diff "$dir/$t" "$dir/$t" --json 2>&1; echo "rc $?")
  b=$("$bin" wedge-diff "$dir/${t}_z" "$dir/${t}_z" --json 2>&1 | same_names; echo "rc $?")
  [[ $a == "$b" && $a == *"rc 0" ]]
  check "wedge-diff-plain-vs-zstd-$t" $? "wedge-diff: '$a' vs '$b'"
  expect "wedge-diff-plain-to-zstd-$t" 0 "UNCHANGED" -- wedge-diff "$dir/$t" "$dir/${t}_z"
  "$bin" export "$dir/$t" --format perfetto -o "$dir/$t.perfetto.json" >/dev/null 2>&1 &&
    "$bin" export "$dir/${t}_z" --format perfetto -o "$dir/${t}_z.perfetto.json" >/dev/null 2>&1 &&
    cmp -s "$dir/$t.perfetto.json" <(same_names <"$dir/${t}_z.perfetto.json")
  check "export-plain-vs-zstd-$t" $? "export of $t and ${t}_z differ (or failed)"
done
# hexad replay of a --trace-compress run reads its trace.jsonl.zst and verifies.
out=$("$hexad" replay "$dir/deadlock_z" --quiet --out "$dir/deadlock_z-replay" 2>&1)
[[ $? -eq 0 && $out == *"replay verified: "* ]]
check replay-zstd-verifies $? "hexad replay of a --trace-compress run: $out"

# --- summary on bundled titles ----------------------------------------------------------------
expect summary-unimpl-first 0 "imports (unimplemented first, then by calls):
  xboxkrnl!VdBlockUntilGUIIdle                        2  UNIMPLEMENTED" -- summary "$dir/unimpl"
expect summary-stop-reason 0 "stop reason deadlock" -- summary "$dir/deadlock"
expect summary-dump-used 0 "dump: $dir/deadlock/exit-thread-state.json" -- summary "$dir/deadlock"
expect summary-trace-file 0 "progress:" -- summary "$dir/deadlock/trace.jsonl"
expect summary-vdswap 0 '"vdswap_calls": ' -- summary "$dir/stress" --json
expect summary-no-vdswap 0 "0 VdSwap calls" -- summary "$dir/unimpl"
expect summary-kinds 0 "thread.create" -- summary "$dir/stress"
expect summary-slots 0 "slot 5:" -- summary "$dir/stress"
# The trace's per-thread events agree with the dump's.
python3 - "$dir/deadlock" "$bin" <<'EOF'
import json, subprocess, sys
run, audit = sys.argv[1], sys.argv[2]
s = json.loads(subprocess.run([audit, "summary", run, "--json"], capture_output=True, text=True, check=True).stdout)
dump = json.load(open(run + "/exit-thread-state.json"))
want = {t["tid"]: (t["events"], t["instructions"], t["state"]) for t in dump["threads"]}
got = {t["tid"]: (t["events"], t["instructions"], t["state"]) for t in s["threads"]}
assert got == want, (got, want)
assert s["progress"]["events"] == dump["run"]["trace_events"], s["progress"]
assert s["progress"]["stop_reason"] == dump["run"]["stop_reason"]
for t in s["threads"]:
    assert t["running_cycles"] + t["ready_cycles"] + t["blocked_cycles"] <= t["alive_cycles"] or t["ready_cycles"] == 0, t
# The time split and the slots come from the dump's scheduler accounting, and say so.
sched = {t["tid"]: t["sched"] for t in dump["threads"]}
for t in s["threads"]:
    k = sched[t["tid"]]
    assert t["time_source"] == "dump" and t["sched"] == k, t
    assert (t["running_cycles"], t["ready_cycles"], t["blocked_cycles"], t["suspended_cycles"]) == (
        k["cycles_running"], k["cycles_ready"], k["cycles_blocked"], k["cycles_suspended"]), t
    assert t["alive_cycles"] == sum(k[f] for f in ("cycles_running", "cycles_ready", "cycles_blocked", "cycles_suspended"))
want_slots = {x["slot"]: (x["busy_cycles"], x["idle_cycles"]) for x in dump["run"]["scheduler"]["slots"]}
assert {x["slot"]: (x["busy_cycles"], x["idle_cycles"]) for x in s["slots"]} == want_slots, s["slots"]
assert all(x["source"] == "dump" for x in s["slots"]), s["slots"]
EOF
check summary-agrees-with-dump $? "summary --json and the dump disagree"

# --- gate: each operator passing and failing, on known values ---------------------------------
u="$dir/unimpl"
expect gate-eq-pass 0 "PASS  count(import.call, name=VdBlockUntilGUIIdle) == 2  (observed: 2)" -- gate "$u" 'count(import.call, name=VdBlockUntilGUIIdle) == 2'
expect gate-eq-fail 1 "FAIL  count(import.call, name=VdBlockUntilGUIIdle) == 3  (observed: 2)" -- gate "$u" 'count(import.call, name=VdBlockUntilGUIIdle) == 3'
expect gate-ne-pass 0 "PASS" -- gate "$u" 'count(import.call, name=VdBlockUntilGUIIdle) != 3'
expect gate-ne-fail 1 "FAIL" -- gate "$u" 'count(import.call, name=VdBlockUntilGUIIdle) != 2'
expect gate-lt-pass 0 "PASS" -- gate "$u" 'count(import.call, name=VdBlockUntilGUIIdle) < 3'
expect gate-lt-fail 1 "FAIL" -- gate "$u" 'count(import.call, name=VdBlockUntilGUIIdle) < 2'
expect gate-le-pass 0 "PASS" -- gate "$u" 'count(import.call, name=VdBlockUntilGUIIdle) <= 2'
expect gate-le-fail 1 "FAIL" -- gate "$u" 'count(import.call, name=VdBlockUntilGUIIdle) <= 1'
expect gate-gt-pass 0 "PASS" -- gate "$u" 'count(import.call, name=VdBlockUntilGUIIdle) > 1'
expect gate-gt-fail 1 "FAIL" -- gate "$u" 'count(import.call, name=VdBlockUntilGUIIdle) > 2'
expect gate-ge-pass 0 "PASS" -- gate "$u" 'count(import.call, name=VdBlockUntilGUIIdle) >= 2'
expect gate-ge-fail 1 "FAIL" -- gate "$u" 'count(import.call, name=VdBlockUntilGUIIdle) >= 3'
expect gate-filters-and 0 "(observed: 2)" -- gate "$u" 'count(import.call, name=VdBlockUntilGUIIdle, implemented=false, module=xboxkrnl) == 2'
expect gate-filter-hex 0 "PASS" -- gate "$dir/stress" 'count(wait.begin, handles=0xf8000008) >= 1' 'count(thread.create, new_tid=2) == 1'
expect gate-thread-state 0 "PASS  thread(1).state == Exited" -- gate "$u" 'thread(1).state == Exited'
expect gate-thread-state-ne 1 "FAIL  thread(1).state != Exited  (observed: Exited)" -- gate "$u" 'thread(1).state != Exited'
expect gate-run-props 0 "all 3 gate(s): pass" -- gate "$dir/deadlock" 'run.stop_reason == deadlock' 'run.events > 3' 'run.vdswap_calls == 0'
expect gate-one-fails 1 "at least one fails" -- gate "$u" 'run.events > 0' 'run.events > 1000000'
expect gate-no-thread 1 "no thread 77 in this run" -- gate "$u" 'thread(77).events >= 0'
expect gate-quoted 0 "PASS" -- gate "$u" 'count(import.call, name="VdBlockUntilGUIIdle") == 2'
# Bad expressions: exit 2 with the column.
expect gate-bad-kind 2 "column 7: unknown event kind 'signal.mtch'" -- gate "$u" 'count(signal.mtch) > 1'
expect gate-bad-prop 2 "column 11: unknown thread property 'evnts'" -- gate "$u" 'thread(6).evnts > 1'
expect gate-bad-op 2 "column 12: expected a comparison" -- gate "$u" 'run.events => 1'
expect gate-text-order 2 "column 17: state is text: compare it with == or != only" -- gate "$u" 'thread(1).state < Ready'
expect gate-bad-state 2 "unknown state 'Raedy'" -- gate "$u" 'thread(1).state != Raedy'
expect gate-bad-number 2 "column 15: expected a number" -- gate "$u" 'run.events >= lots'
expect gate-trailing 2 "column 17: unexpected text after the value" -- gate "$u" 'run.events >= 5 x'
expect gate-unclosed 2 "column 18: expected ')'" -- gate "$u" 'count(import.call'
expect gate-bad-term 2 "column 1: unknown term 'cnt'" -- gate "$u" 'cnt(import.call) > 1'
expect gate-bad-tid 2 "column 8: a thread id is a number from 1" -- gate "$u" 'thread(x).events > 1'
expect gate-second-bad 2 "expression 2" -- gate "$u" 'run.events > 1' 'run.evnts > 1'
expect gate-no-expr 2 "usage:" -- gate "$u"
expect gate-help 0 "expr     := operand op value" -- gate --help

# --- bad input ------------------------------------------------------------------------------
mkdir -p "$dir/killed"
head -c 30011 "$dir/stress/trace.jsonl" >"$dir/killed/trace.jsonl"
lines=$(wc -l <"$dir/killed/trace.jsonl")
cut_line=$((lines + 1))
expect cut-summary 0 "killed/trace.jsonl:$cut_line: the last line is cut off" -- summary "$dir/killed"
expect cut-summary-prefix 0 "progress: $lines events" -- summary "$dir/killed"
expect cut-gate 0 "PASS  run.events == $lines" -- gate "$dir/killed" "run.events == $lines"
expect cut-diff 2 "killed/trace.jsonl:$cut_line: the last line is cut off" -- diff "$dir/killed" "$dir/stress"
expect cut-diff-allowed 1 "A has $lines," -- diff "$dir/killed" "$dir/stress" --allow-unfinished
cp "$dir/stress/trace.jsonl" "$dir/corrupt.jsonl"
sed -i '40s/"kind":/"kind";/' "$dir/corrupt.jsonl"
expect corrupt-summary 2 "corrupt.jsonl:40: invalid JSON" -- summary "$dir/corrupt.jsonl"
expect corrupt-gate 2 "corrupt.jsonl:40: invalid JSON" -- gate "$dir/corrupt.jsonl" 'run.events > 0'
expect corrupt-diff 2 "corrupt.jsonl:40: invalid JSON" -- diff "$dir/stress" "$dir/corrupt.jsonl"
sed '1s/"schema":"hexad.trace\/1"/"schema":"hexad.trace\/2"/' "$dir/stress/trace.jsonl" >"$dir/schema2.jsonl"
expect schema-mismatch 2 "mismatched schemas: $dir/stress/trace.jsonl is \"hexad.trace/1\", $dir/schema2.jsonl is \"hexad.trace/2\"" -- \
  diff "$dir/stress" "$dir/schema2.jsonl"
expect schema-unknown 2 "schema2.jsonl:1: schema \"hexad.trace/2\"" -- summary "$dir/schema2.jsonl"
python3 - "$dir/stress_z/trace.jsonl.zst" "$dir/corrupt.zst" <<'EOF'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
data[len(data) // 2] ^= 0xFF
open(sys.argv[2], "wb").write(data)
EOF
expect corrupt-zstd-diff 2 "corrupt.zst: corrupt zstd stream at compressed bytes" -- diff "$dir/corrupt.zst" "$dir/stress"
expect corrupt-zstd-summary 2 "corrupt.zst: corrupt zstd stream at compressed bytes" -- summary "$dir/corrupt.zst"
size=$(stat -c %s "$dir/stress_z/trace.jsonl.zst")
head -c $((size / 2)) "$dir/stress_z/trace.jsonl.zst" >"$dir/cut.zst"
expect cut-zstd-summary 0 "cut.zst: the zstd stream ends inside a frame" -- summary "$dir/cut.zst"
expect cut-zstd-diff 2 "incomplete trace" -- diff "$dir/cut.zst" "$dir/stress"
mkdir -p "$dir/both"
cp "$dir/stress/trace.jsonl" "$dir/stress_z/trace.jsonl.zst" "$dir/both/"
expect folder-with-both 2 "holds both trace.jsonl and trace.jsonl.zst" -- summary "$dir/both"
expect folder-without 2 "is a directory without trace.jsonl or trace.jsonl.zst" -- summary "$dir"
# A dump that is not this trace's is left out, with a warning.
cp "$dir/unimpl/exit-thread-state.json" "$dir/killed/"
expect foreign-dump 0 "not this trace's dump" -- summary "$dir/killed"
# Without a usable dump the split is the trace's estimate, and says so.
"$bin" summary "$dir/killed" --json 2>/dev/null | python3 -c '
import json, sys
s = json.load(sys.stdin)
assert s["threads"] and all(t["time_source"] == "trace" and t["sched"] is None for t in s["threads"]), s["threads"]
assert all(x["source"] == "trace" for x in s["slots"]), s["slots"]'
check summary-trace-fallback $? "summary of a run without its dump does not fall back to the trace estimate"

if [[ $failures -ne 0 ]]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
