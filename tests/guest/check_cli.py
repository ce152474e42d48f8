#!/usr/bin/env python3
"""hexad run's CLI contract for titles: stopping by SIGINT/SIGTERM still writes the exit dump
(atomically, exit status 130/143, stop reason "interrupted"); malformed images and bad options
exit 2 with a message naming what is wrong; --no-trace removes a stale trace; invalid UTF-8 in
names is kept as data; a failed output write stops the run with exit status 5; a killed run
leaves no file of the previous run and a run.json that says "running"."""
import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import time

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}")


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kw)


def interrupted_run(hexad, xex, out, sig, expect_status):
    # starvation under --no-aging and no budget never ends: main waits forever on an event the
    # starved thread never gets to set, while a priority-15 thread spins.
    p = subprocess.Popen([hexad, "run", xex, "--out", out, "--no-aging", "--quiet"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    check(p.poll() is None, f"{sig.name}: run ended by itself before the signal")
    p.send_signal(sig)
    try:
        _, err = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        check(False, f"{sig.name}: hexad did not stop within 60 s")
        return
    check(p.returncode == expect_status, f"{sig.name}: exit status {p.returncode}, want {expect_status}")
    dump_path = os.path.join(out, "exit-thread-state.json")
    check(os.path.exists(dump_path), f"{sig.name}: no exit-thread-state.json")
    if not os.path.isdir(out):
        return
    check(not any(f.endswith(".tmp") for f in os.listdir(out)), f"{sig.name}: a temporary file was left behind")
    if os.path.exists(dump_path):
        dump = json.load(open(dump_path))
        check(dump["run"]["stop_reason"] == "interrupted", f"{sig.name}: stop reason {dump['run']['stop_reason']}")
        check(dump["run"]["instructions"] > 0, f"{sig.name}: no instructions recorded")
        states = {t["tid"]: t["state"] for t in dump["threads"]}
        check(states.get(1) == "Blocked", f"{sig.name}: main thread is {states.get(1)}, want Blocked")
        check(len(dump["wedge_map"]) >= 1, f"{sig.name}: empty wedge map")
    trace_path = os.path.join(out, "trace.jsonl")
    trace = open(trace_path).read().splitlines() if os.path.exists(trace_path) else ["{}"]
    last = json.loads(trace[-1])
    check(last.get("kind") == "run.stop" and last.get("reason") == "interrupted", f"{sig.name}: trace does not end with run.stop interrupted")


def bad_utf8_import_name(hexad, xex_dir, out):
    """Text from a file is data: an import library name and an image file name that are not valid
    UTF-8 are written with U+FFFD plus a *_hex field of the raw bytes; hexad never aborts."""
    data = bytearray(open(os.path.join(xex_dir, "hello.xex"), "rb").read())
    at = data.find(b"xboxkrnl.exe")
    check(at > 0 and data.count(b"xboxkrnl.exe") == 1, "hello.xex names xboxkrnl.exe once")
    data[at + 2] = 0xFF  # "xb\xffxkrnl.exe": no such module, every import is unimplemented
    os.makedirs(out, exist_ok=True)
    image = os.path.join(os.fsencode(out), b"bad\xc3\x28name.xex")
    open(image, "wb").write(bytes(data))
    r = subprocess.run([os.fsencode(hexad), b"run", image, b"--out", os.fsencode(out), b"--quiet"],
                       capture_output=True, timeout=120)
    check(r.returncode == 0, f"bad UTF-8 import name: exit status {r.returncode}, want 0: {r.stderr[-300:]!r}")
    check(b"import not implemented: xb\xffxkrnl.exe" in r.stderr, f"stderr names the raw module: {r.stderr[-300:]!r}")
    files = sorted(os.listdir(out))
    check(not any(f.endswith(".tmp") for f in files), f"bad UTF-8: a temporary file was left: {files}")
    dump_path = os.path.join(out, "exit-thread-state.json")
    if not os.path.exists(dump_path):
        check(False, "bad UTF-8: no exit-thread-state.json")
        return
    dump = json.load(open(dump_path, encoding="utf-8"))
    raw_key = b"xb\xffxkrnl.exe!ordinal_3"
    check(dump["run"]["unimplemented_imports"].get("xb\ufffdxkrnl.exe!ordinal_3") == 2,
          f"unimplemented_imports {dump['run']['unimplemented_imports']}")
    check(dump["run"].get("unimplemented_imports_hex") == {raw_key.hex(): 2},
          f"unimplemented_imports_hex {dump['run'].get('unimplemented_imports_hex')}")
    check(dump["run"]["image"] == "bad\ufffd(name.xex" and dump["run"].get("image_hex") == b"bad\xc3\x28name.xex".hex(),
          f"dump image {dump['run']['image']!r} {dump['run'].get('image_hex')}")
    run_json = json.load(open(os.path.join(out, "run.json"), encoding="utf-8"))
    check(bytes.fromhex(run_json.get("image_hex", "")) == image, f"run.json image_hex {run_json.get('image_hex')}")
    events = [json.loads(line) for line in open(os.path.join(out, "trace.jsonl"), encoding="utf-8")]
    calls = [e for e in events if e["kind"] == "import.call"]
    check(len(calls) == 2 and all(e["module"] == "xb\ufffdxkrnl" and e["module_hex"] == b"xb\xffxkrnl".hex()
                                  and "name_hex" not in e for e in calls), f"import.call events {calls}")
    check(events[0]["image"].get("name_hex") == b"bad\xc3\x28name.xex".hex(), f"run.start image {events[0]['image']}")


def limited_run(hexad, xex, out, limit, *extra):
    """hexad run under RLIMIT_FSIZE = limit bytes (hexad ignores SIGXFSZ, so write() gets EFBIG)."""
    def set_limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return subprocess.run([hexad, "run", xex, "--out", out, "--quiet", *extra], capture_output=True, text=True,
                          errors="replace", timeout=120, preexec_fn=set_limit)


def no_tmp_files(out, what):
    files = os.listdir(out) if os.path.isdir(out) else []
    check(not any(f.endswith(".tmp") for f in files), f"{what}: a temporary file was left: {files}")


def output_errors(hexad, xex_dir, audit, out):
    """Every output write is checked: a failed write stops the run (output-error), names the file
    on stderr and exits 5; the dump says how much of the trace was written."""
    # trace.jsonl past a 100,000-byte limit: pingpong's trace is several MB.
    o = os.path.join(out, "trace_limit")
    r = limited_run(hexad, os.path.join(xex_dir, "pingpong.xex"), o, 100_000)
    check(r.returncode == 5, f"trace limit: exit status {r.returncode}, want 5: {r.stderr[-400:]}")
    check(f"cannot write '{o}/trace.jsonl': File too large" in r.stderr, f"trace limit: stderr {r.stderr[-400:]!r}")
    no_tmp_files(o, "trace limit")
    trace_path = os.path.join(o, "trace.jsonl")
    raw = open(trace_path, "rb").read()
    check(0 < len(raw) <= 100_000 and raw.endswith(b"\n"), f"trace limit: trace of {len(raw)} bytes, cut mid-line")
    lines = raw.decode().splitlines()
    events = [json.loads(line) for line in lines]  # every line is whole JSON
    check(events[0]["kind"] == "run.start" and events[-1]["kind"] != "run.stop", "trace limit: trace is a prefix")
    dump = json.load(open(os.path.join(o, "exit-thread-state.json")))
    run = dump["run"]
    check(run["stop_reason"] == "output-error", f"trace limit: stop reason {run['stop_reason']}")
    check(run.get("trace_complete") is False and run.get("trace_events_written") == len(lines),
          f"trace limit: dump says complete={run.get('trace_complete')} written={run.get('trace_events_written')}, "
          f"the file has {len(lines)} events")
    check(run["trace_events"] > len(lines), "trace limit: trace_events counts every event of the run")
    check(run.get("output_error") == {"file": "trace.jsonl", "message": "File too large"},
          f"trace limit: output_error {run.get('output_error')}")
    check(not any(t["state"] == "Exited" and t["main"] for t in dump["threads"]), "trace limit: the run went on to the end")
    rj = json.load(open(os.path.join(o, "run.json")))
    check(rj["state"] == "finished" and rj["exit_status"] == 5 and rj["stop_reason"] == "output-error",
          f"trace limit: run.json {rj}")
    d = subprocess.run([audit, "diff", trace_path, trace_path], capture_output=True, text=True, timeout=60)
    check(d.returncode == 2 and "incomplete trace" in d.stderr, f"trace limit: hexad-audit on the cut trace: {d.returncode} {d.stderr}")

    # stdout.log past a 2,000-byte limit (kevents prints 2.5 KB; --no-trace so only the log and
    # the dump, 3.6 KB, can fail): the run stops at once, the dump's failure is reported too.
    o = os.path.join(out, "log_limit")
    r = limited_run(hexad, os.path.join(xex_dir, "kevents.xex"), o, 2_000, "--no-trace")
    check(r.returncode == 5, f"log limit: exit status {r.returncode}, want 5: {r.stderr[-400:]}")
    check(f"cannot write '{o}/stdout.log': File too large; the run stopped (output-error)" in r.stderr,
          f"log limit: stderr {r.stderr[-600:]!r}")
    check(f"cannot write '{o}/exit-thread-state.json': File too large" in r.stderr, f"log limit: stderr {r.stderr[-600:]!r}")
    no_tmp_files(o, "log limit")
    check(not os.path.exists(os.path.join(o, "exit-thread-state.json")), "log limit: a dump exists")
    check(os.path.getsize(os.path.join(o, "stdout.log")) <= 2_000, "log limit: stdout.log over the limit")
    rj = json.load(open(os.path.join(o, "run.json")))
    check(rj["state"] == "finished" and rj["exit_status"] == 5 and rj["stop_reason"] == "output-error"
          and rj.get("output_error", {}).get("file") == "stdout.log", f"log limit: run.json {rj}")

    # Nothing can be written at all: run.json fails before the run starts.
    o = os.path.join(out, "no_room")
    r = limited_run(hexad, os.path.join(xex_dir, "hello.xex"), o, 100)
    check(r.returncode == 5 and f"cannot write '{o}/run.json'" in r.stderr, f"no room: {r.returncode} {r.stderr!r}")
    no_tmp_files(o, "no room")


def killed_run(hexad, xex_dir, audit, out):
    """After SIGKILL the folder holds nothing of the previous run, and run.json says "running"."""
    hello = os.path.join(xex_dir, "hello.xex")
    r = run([hexad, "run", hello, "--out", out, "--quiet"])
    check(r.returncode == 0 and os.path.exists(os.path.join(out, "exit-thread-state.json")), "killed: first run")
    check(json.load(open(os.path.join(out, "run.json"))).get("state") == "finished", "killed: first run.json not finished")
    # starvation under --no-aging never ends.
    p = subprocess.Popen([hexad, "run", os.path.join(xex_dir, "starvation.xex"), "--out", out, "--no-aging", "--quiet"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    state = None
    while time.time() < deadline and p.poll() is None:
        try:
            state = json.load(open(os.path.join(out, "run.json"))).get("state")
        except (OSError, ValueError):
            state = None
        if state == "running":
            break
        time.sleep(0.05)
    time.sleep(0.5)
    check(p.poll() is None, "killed: the run ended by itself")
    p.kill()
    p.wait()
    files = sorted(os.listdir(out))
    check("exit-thread-state.json" not in files, f"killed: the previous run's dump is still there: {files}")
    run_json = json.load(open(os.path.join(out, "run.json")))
    check(run_json["state"] == "running" and "stop_reason" not in run_json and "exit_status" not in run_json
          and run_json["image"].endswith("starvation.xex"), f"killed: run.json {run_json}")
    check(open(os.path.join(out, "stdout.log"), "rb").read() != b"hello from hexad\n" and
          b"hello" not in open(os.path.join(out, "stdout.log"), "rb").read(), "killed: stdout.log is the previous run's")
    trace = os.path.join(out, "trace.jsonl")
    d = subprocess.run([audit, "diff", trace, trace], capture_output=True, text=True, timeout=60)
    check(d.returncode == 2 and ("did not finish" in d.stderr or "empty trace" in d.stderr),
          f"killed: hexad-audit accepted the killed run's trace: {d.returncode} {d.stderr}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hexad", required=True)
    ap.add_argument("--xex-dir", required=True)
    ap.add_argument("--audit", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    starvation = os.path.join(a.xex_dir, "starvation.xex")

    interrupted_run(a.hexad, starvation, os.path.join(a.out, "sigterm"), signal.SIGTERM, 143)
    interrupted_run(a.hexad, starvation, os.path.join(a.out, "sigint"), signal.SIGINT, 130)

    # A truncated image: exit 2, the message names the field and an offset; nothing is written.
    data = open(os.path.join(a.xex_dir, "hello.xex"), "rb").read()
    bad = os.path.join(a.out, "truncated.xex")
    open(bad, "wb").write(data[:0x30])
    r = run([a.hexad, "run", bad, "--out", os.path.join(a.out, "bad")])
    check(r.returncode == 2, f"truncated image: exit status {r.returncode}, want 2")
    check("offset" in r.stderr and "malformed XEX" in r.stderr, f"truncated image: message {r.stderr.strip()!r}")
    check(not os.path.exists(os.path.join(a.out, "bad", "exit-thread-state.json")), "truncated image: a dump was written")

    # A corrupt field: the magic.
    corrupt = bytearray(data)
    corrupt[3] ^= 0xFF
    bad2 = os.path.join(a.out, "badmagic.xex")
    open(bad2, "wb").write(bytes(corrupt))
    r = run([a.hexad, "run", bad2, "--out", os.path.join(a.out, "bad2")])
    check(r.returncode == 2, f"bad magic: exit status {r.returncode}, want 2")

    # Shorter than any magic: named as too short (with its size), not as a bad ELF.
    for size in (0, 1, 3):
        tiny = os.path.join(a.out, f"tiny{size}.xex")
        open(tiny, "wb").write(data[:size])
        r = run([a.hexad, "run", tiny, "--out", os.path.join(a.out, f"tiny{size}")])
        check(r.returncode == 2 and f"{size} byte" in r.stderr and "too short to be an XEX2 or ELF image" in r.stderr
              and "not an ELF" not in r.stderr, f"{size}-byte image: status {r.returncode}, message {r.stderr.strip()!r}")

    r = run([a.hexad, "run", os.path.join(a.xex_dir, "hello.xex"), "--quantum", "0"])
    check(r.returncode == 2 and "--quantum" in r.stderr, "--quantum 0 is not rejected with exit 2")
    r = run([a.hexad, "run", os.path.join(a.xex_dir, "hello.xex"), "--frobnicate"])
    check(r.returncode == 2 and "--frobnicate" in r.stderr, "unknown option is not rejected with exit 2")
    r = run([a.hexad, "run", os.path.join(a.out, "does-not-exist.xex")])
    check(r.returncode == 2 and "does-not-exist" in r.stderr, "missing image is not rejected with exit 2")

    # Scheduling policy options: bad combinations exit 2 naming the option; the policy and its
    # parameters are recorded in run.json, run.start and the dump alike.
    hello = os.path.join(a.xex_dir, "hello.xex")
    for bad, named in ((["--policy", "fifo"], "unknown policy 'fifo'"), (["--no-aging", "--policy", "fair"], "--no-aging"),
                       (["--policy", "console", "--aging-stamp", "legacy"], "--aging-stamp applies to --policy aging"),
                       (["--console-window-ticks", "10"], "--console-window-ticks applies to --policy console"),
                       (["--policy", "console", "--console-window-ticks", "0"], "at least 1 timebase tick"),
                       (["--policy", "console", "--console-window-ticks", "900", "--console-period-ticks", "900"],
                        "shorter than its period"),
                       (["--aging-stamp", "sometimes"], "ready or legacy"), (["--starvation-alarm", "0"], "--starvation-alarm")):
        r = run([a.hexad, "run", hello, "--out", os.path.join(a.out, "badpolicy")] + bad)
        check(r.returncode == 2 and named in r.stderr, f"{bad}: status {r.returncode}, message {r.stderr.strip()!r}")
    out = os.path.join(a.out, "policy")
    r = run([a.hexad, "run", hello, "--out", out, "--quiet", "--policy", "console", "--console-window-ticks", "100",
             "--console-period-ticks", "1000", "--starvation-alarm", "7"])
    check(r.returncode == 0, f"hello under --policy console: status {r.returncode} {r.stderr!r}")
    if r.returncode == 0:
        want = {"window_mask": "0xedb403ff", "normal_mask": "0xf6dbfc03", "window_ticks": 100, "period_ticks": 1000}
        run_json = json.load(open(os.path.join(out, "run.json")))["options"]
        start = json.loads(open(os.path.join(out, "trace.jsonl")).readline())["options"]
        sched = json.load(open(os.path.join(out, "exit-thread-state.json")))["run"]["scheduler"]
        for name, got in (("run.json", run_json), ("run.start", start), ("dump", sched)):
            check((got["policy"], got["policy_params"], got["starvation_alarm"], got["aging"]) == ("console", want, 7, False),
                  f"{name}: policy {got.get('policy')} {got.get('policy_params')} alarm {got.get('starvation_alarm')}")

    # --no-trace never leaves an older run's trace beside this run's dump.
    out = os.path.join(a.out, "notrace")
    r = run([a.hexad, "run", os.path.join(a.xex_dir, "hello.xex"), "--out", out, "--quiet"])
    check(r.returncode == 0 and os.path.exists(os.path.join(out, "trace.jsonl")), "hello did not write a trace")
    r = run([a.hexad, "run", os.path.join(a.xex_dir, "hello.xex"), "--out", out, "--quiet", "--no-trace"])
    check(r.returncode == 0 and not os.path.exists(os.path.join(out, "trace.jsonl")), "--no-trace left a stale trace")

    bad_utf8_import_name(a.hexad, a.xex_dir, os.path.join(a.out, "badutf8"))
    output_errors(a.hexad, a.xex_dir, a.audit, os.path.join(a.out, "output_errors"))
    killed_run(a.hexad, a.xex_dir, a.audit, os.path.join(a.out, "killed"))

    print(f"cli: {len(failures)} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
