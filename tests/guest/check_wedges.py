"""hexad-audit explain and wedge-diff on real runs of the bundled titles: explain must give each
wedge of the wedge titles (and of deadlock and starvation --no-aging) its class with the right
evidence; wedge-diff must give each pair of runs that differ by one engine option its verdict and
exit status; bad input must exit 2 naming the file. Standard library only.
usage: check_wedges.py --hexad HEXAD --audit HEXAD_AUDIT --xex-dir DIR --out DIR"""
import argparse
import json
import os
import shutil
import subprocess
import sys

from title_common import Failures


class Ctx:
    def __init__(self, args):
        self.args = args
        self.f = Failures()

    def run(self, title, name, *options):
        """`hexad run` of a bundled title into OUT/name; returns the run folder."""
        out = os.path.join(self.args.out, name)
        if os.path.isdir(out):
            shutil.rmtree(out)
        subprocess.run([self.args.hexad, "run", os.path.join(self.args.xex_dir, title + ".xex"), "--out", out,
                        "--quiet", *options], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=240)
        return out

    def audit(self, *argv):
        p = subprocess.run([self.args.audit, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=240)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

    def explain(self, run):
        code, out, err = self.audit("explain", run, "--json")
        if not self.f.expect(code == 0, f"explain {run} exited {code}: {err}"):
            return {}
        return {w["key"]: w for w in json.loads(out)["wedges"]}

    def dump(self, run):
        with open(os.path.join(run, "exit-thread-state.json")) as fh:
            return json.load(fh)


def key_of(dump, tid):
    return next(t["key"] for t in dump["threads"] if t["tid"] == tid)


def expect_class(c, wedges, key, cls, *evidence):
    w = wedges.get(key)
    if not c.f.expect(w is not None, f"explain lists wedge {key}: {sorted(wedges)}"):
        return None
    if not c.f.expect(w["class"] == cls, f"{key}: class {w['class']}, want {cls} ({w['evidence']})"):
        return None  # its details are another class's
    for text in evidence:
        c.f.expect(text in w["evidence"], f"{key}: evidence lacks {text!r}: {w['evidence']}")
    return w


def check_explain(c):
    run = c.run("waitcycle", "waitcycle")
    d, wedges = c.dump(run), c.explain(run)
    holder, taker = key_of(d, 2), key_of(d, 3)
    w = expect_class(c, wedges, "main:NtCreateMutant#1", "wait-cycle",
                     f"tid 3 ({taker}) waits on mutant main:NtCreateMutant#1 owned by tid 2 ({holder})",
                     f"tid 2 ({holder}) waits on event.synchronization main:NtCreateEvent#2 signaled only by tid 3")
    if w:
        cycle = [(s["waiter_tid"], s["holder_tid"]) for s in w["details"]["cycle"]]
        c.f.expect(cycle == [(3, 2), (2, 3)], f"the mutant's cycle: {cycle}")
    expect_class(c, wedges, "main:NtCreateEvent#2", "wait-cycle", "signaled only by tid 3")
    w = expect_class(c, wedges, "thread:" + holder, "join-on-blocked-thread", "tid 1 (main) waits for the end of tid 2")
    if w:
        c.f.expect(w["details"]["joined_waits_on"] == ["main:NtCreateEvent#2"], f"holder waits on pong: {w['details']}")
    c.f.expect(len(wedges) == 3, f"waitcycle has 3 wedges: {sorted(wedges)}")

    # Critical sections taken in opposite orders: a cycle through their owners.
    run = c.run("cswedge", "cswedge")
    d, wedges = c.dump(run), c.explain(run)
    first, second = key_of(d, 2), key_of(d, 3)
    waits = {t["tid"]: t["wait"]["objects"][0]["key"] for t in d["threads"] if t["tid"] in (2, 3) and "wait" in t}
    if c.f.expect(len(waits) == 2, f"cswedge: threads 2 and 3 wait: {waits}"):
        w = expect_class(c, wedges, waits[3], "wait-cycle",
                         f"tid 3 ({second}) waits on critical_section {waits[3]} owned by tid 2 ({first})",
                         f"tid 2 ({first}) waits on critical_section {waits[2]} owned by tid 3 ({second})")
        if w:
            cycle = [(s["waiter_tid"], s["holder_tid"]) for s in w["details"]["cycle"]]
            c.f.expect(cycle == [(3, 2), (2, 3)], f"the sections' cycle: {cycle}")
        expect_class(c, wedges, waits[2], "wait-cycle", "owned by tid 3")
    expect_class(c, wedges, "thread:" + first, "join-on-blocked-thread", "tid 1 (main) waits for the end of tid 2")
    orphan = [t["wait"]["objects"][0]["key"] for t in d["threads"] if t["tid"] == 5 and "wait" in t]
    if c.f.expect(len(orphan) == 1, "cswedge: tid 5 waits on the orphaned section"):
        expect_class(c, wedges, orphan[0], "no-signaler", f"its owner tid 4 ({key_of(d, 4)}) exited holding it")
    c.f.expect(len(wedges) == 4, f"cswedge has 4 wedges: {sorted(wedges)}")

    run = c.run("underrun", "underrun")
    d, wedges = c.dump(run), c.explain(run)
    producer = key_of(d, 5)
    w = expect_class(c, wedges, "main:NtCreateSemaphore#1", "producer-underrun", "count 0 (max 8) with 3 waiters",
                     f"tid 5 ({producer}) Blocked on main:NtCreateEvent#1")
    if w:
        c.f.expect(w["details"]["releasers"] == [5], f"releasers {w['details']}")
    expect_class(c, wedges, "main:NtCreateEvent#1", "no-signaler", "nobody ever signaled it")
    expect_class(c, wedges, "thread:" + producer, "join-on-blocked-thread", "Blocked on main:NtCreateEvent#1")

    run = c.run("lostwake", "lostwake")
    d, wedges = c.dump(run), c.explain(run)
    lost = {}
    with open(os.path.join(run, "trace.jsonl")) as fh:
        for line in fh:
            e = json.loads(line)
            if e["kind"] == "signal.match" and e["by"] in ("NtPulseEvent", "NtSetEvent"):
                lost[e["by"]] = e["idx"]  # the pulse; the second of the two sets
    notifier = key_of(d, 2)
    w = expect_class(c, wedges, "main:NtCreateEvent#1", "lost-wakeup",
                     f"NtPulseEvent by tid 2 ({notifier}) at trace idx {lost.get('NtPulseEvent')}", "woke nobody",
                     "then tid 1 (main) began waiting")
    if w:
        c.f.expect(w["details"]["lost_signal"]["idx"] == lost.get("NtPulseEvent"), f"lost pulse {w['details']}")
    w = expect_class(c, wedges, "main:NtCreateEvent#2", "lost-wakeup",
                     f"NtSetEvent by tid 2 ({notifier}) at trace idx {lost.get('NtSetEvent')}",
                     "while an earlier set was still unconsumed", f"then tid 3 ({key_of(d, 3)}) began waiting")
    if w:
        c.f.expect(w["details"]["lost_signal"]["idx"] == lost.get("NtSetEvent"), f"lost set {w['details']}")

    run = c.run("joinblocked", "joinblocked")
    d, wedges = c.dump(run), c.explain(run)
    parent, child = key_of(d, 2), key_of(d, 3)
    kevent = parent + ":KeInitializeEvent#1"
    w = expect_class(c, wedges, "thread:" + parent, "join-on-blocked-thread",
                     f"tid 1 (main) waits for the end of tid 2 ({parent})", f"Blocked on thread:{child}")
    if w:
        c.f.expect(w["details"]["joined_tid"] == 2 and w["details"]["joined_state"] == "Blocked", f"{w['details']}")
    w = expect_class(c, wedges, "thread:" + child, "join-on-blocked-thread",
                     f"tid 2 ({parent}) waits for the end of tid 3 ({child}), which is Blocked on {kevent}")
    if w:
        c.f.expect(w["details"]["joined_waits_on"] == [kevent], f"{w['details']}")
    expect_class(c, wedges, kevent, "no-signaler", "nobody ever signaled it")

    run = c.run("starvation", "starvation_noaging", "--no-aging", "--budget", "5000000")
    d, wedges = c.dump(run), c.explain(run)
    w = expect_class(c, wedges, "main:NtCreateEvent#1", "starvation",
                     f"tid 3 ({key_of(d, 3)}) Ready, not picked for 249 rounds (last ran: never)",
                     f"its slot 5 held by tid 2 ({key_of(d, 2)}) (priority 15 vs its 0)")
    if w:
        s = w["details"]["starved"]
        c.f.expect([(x["tid"], x["slot_holder_tid"]) for x in s] == [(3, 2)], f"starved {s}")
    # A higher threshold than the starved thread's wait: nobody is starved, so no signaler.
    code, out, _ = c.audit("explain", run, "--starve-rounds", "250")
    c.f.expect(code == 0 and "main:NtCreateEvent#1 (event.notification 0xf8000008): no-signaler" in out,
               f"--starve-rounds 250: {out}")

    run = c.run("deadlock", "deadlock")
    wedges = c.explain(run)
    c.f.expect(sorted(w["class"] for w in wedges.values()) ==
               ["join-on-blocked-thread", "join-on-blocked-thread", "no-signaler", "no-signaler"],
               f"deadlock's classes: {[(k, w['class']) for k, w in wedges.items()]}")
    code, out, _ = c.audit("explain", run)
    c.f.expect(code == 0 and len(out.splitlines()) == 1 + 4, f"text: a header and one line per wedge: {out}")

    # Waits with a deadline end by themselves: the evidence says so (deadlines: a KEVENT in the
    # title's image, keyed by its address, waited on with a timeout).
    run = c.run("deadlines", "deadlines")
    d, wedges = c.dump(run), c.explain(run)
    w = wedges.get("mem:0x82002000")
    t5 = next((t for t in d["threads"] if t["tid"] == 5), {})
    deadline = t5.get("wait", {}).get("deadline_ns_or_inf")
    c.f.expect(w is not None and isinstance(deadline, int) and
               w["details"].get("timed_waiters") == [{"tid": 5, "deadline_ns": deadline}] and
               f"wait has a deadline (guest time {deadline} ns)" in w["evidence"],
               f"deadlines: the timed waiter is noted: {w}")

    notrace = c.run("deadlock", "deadlock_notrace", "--no-trace")
    code, _, err = c.audit("explain", notrace)
    c.f.expect(code == 2 and "no trace.jsonl" in err, f"explain without a trace: {code} {err}")


def diff(c, a, b, verdict, status):
    code, out, err = c.audit("wedge-diff", a, b, "--json")
    if not c.f.expect(code == status, f"wedge-diff {a} {b}: exit {code}, want {status}: {err}"):
        return {}
    j = json.loads(out)
    c.f.expect(j["verdict"] == verdict, f"wedge-diff {a} {b}: verdict {j['verdict']}, want {verdict}")
    code, text, _ = c.audit("wedge-diff", a, b)
    c.f.expect(code == status and text.startswith(f"verdict: {verdict}\n"), f"text verdict: {text[:200]}")
    return j


def check_wedge_diff(c):
    out = c.args.out
    noaging = os.path.join(out, "starvation_noaging")  # made by check_explain
    aging = c.run("starvation", "starvation")
    j = diff(c, noaging, aging, "WEDGE-DISSOLVED", 1)
    if j:
        c.f.expect([w["key"] for w in j["wedges_only_in_a"]] == ["main:NtCreateEvent#1"], f"dissolved {j}")
        changed = {t["key"]: (t["state_a"], t["state_b"]) for t in j["threads_changed"]}
        c.f.expect(changed.get("main") == ("Blocked", "Exited"), f"main Blocked -> Exited: {changed}")
        c.f.expect(changed.get("main/thread@0x82000060#1") == ("Ready", "Exited"), f"low Ready -> Exited: {changed}")
        c.f.expect(j["progress"]["a"]["stop_reason"] == "budget" and j["progress"]["b"]["stop_reason"] == "exit",
                   f"stop reasons {j['progress']}")
        c.f.expect(j["progress"]["a"]["vdswap_calls"] == 0, f"no VdSwap calls {j['progress']}")
    j = diff(c, aging, noaging, "REGRESSED", 1)
    if j:
        c.f.expect([(r["waiter"], r["wedge"]) for r in j["regressions"]] == [("main", "main:NtCreateEvent#1")],
                   f"main regressed: {j['regressions']}")
    diff(c, c.run("lostwake", "lostwake_budget", "--budget", "20000"), os.path.join(out, "lostwake"),
         "WEDGE-DISSOLVED-NEW-BLOCKER", 1)
    diff(c, c.run("underrun", "underrun_budget", "--budget", "100"), os.path.join(out, "underrun"), "NEW-BLOCKER", 1)
    again = c.run("starvation", "starvation_noaging_again", "--no-aging", "--budget", "5000000")
    j = diff(c, noaging, again, "UNCHANGED", 0)
    c.f.expect(j.get("identical") is True, "two runs of one image and options are identical")
    # Same wedges, but the run went on longer: UNCHANGED, and exit 1 because its markers moved.
    longer = c.run("starvation", "starvation_noaging_longer", "--no-aging", "--budget", "6000000")
    j = diff(c, noaging, longer, "UNCHANGED", 1)
    c.f.expect(j.get("identical") is False, "a longer run is not identical")
    # Dump files instead of folders.
    diff(c, os.path.join(noaging, "exit-thread-state.json"), os.path.join(aging, "exit-thread-state.json"),
         "WEDGE-DISSOLVED", 1)

    # Keys, not tids or handles: the same run with every tid and handle shifted (as an engine that
    # creates more objects earlier would) compares identical.
    shifted = os.path.join(out, "shifted")
    os.makedirs(shifted, exist_ok=True)
    d = c.dump(noaging)
    tid = lambda t: t + 10
    hnd = lambda h: "0x%08x" % (int(h, 16) + 0x100)
    for t in d["threads"]:
        t["tid"], t["handle"] = tid(t["tid"]), hnd(t["handle"])
        for o in t.get("wait", {}).get("objects", []):
            o["handle"] = hnd(o["handle"])
    for w in d["wedge_map"]:
        w["handle"] = hnd(w["handle"])
        w["waiters_tid"] = [tid(x) for x in w["waiters_tid"]]
        w["signaled_by_tids"] = [tid(x) for x in w["signaled_by_tids"]]
    with open(os.path.join(shifted, "exit-thread-state.json"), "w") as fh:
        json.dump(d, fh)
    shutil.copy(os.path.join(noaging, "trace.jsonl"), os.path.join(shifted, "trace.jsonl"))
    j = diff(c, noaging, shifted, "UNCHANGED", 0)


def check_bad_input(c):
    out = c.args.out
    good = os.path.join(out, "starvation")
    bad = os.path.join(out, "bad")
    os.makedirs(bad, exist_ok=True)

    def write(name, text):
        p = os.path.join(bad, name)
        with open(p, "w") as fh:
            fh.write(text)
        return p

    d = c.dump(good)
    for t in d["threads"]:
        del t["key"]
    cases = [
        ("missing", os.path.join(bad, "nonexistent.json"), "nonexistent.json: no such file"),
        ("not json", write("notjson.json", "{ not json"), "notjson.json: not a JSON file"),
        ("schema", write("schema.json", json.dumps({"schema": "hexad.trace/1"})),
         "schema.json: schema \"hexad.trace/1\", expected \"hexad.exit-thread-state/1\""),
        ("no key", write("nokey.json", json.dumps(d)), "nokey.json: threads[0] has no \"key\""),
        ("no dump in folder", bad, "not a run folder"),
    ]
    for name, path, message in cases:
        for argv in (("wedge-diff", good, path), ("explain", path)):
            code, _, err = c.audit(*argv)
            c.f.expect(code == 2 and message in err, f"{argv[0]} {name}: exit {code}, stderr {err!r}, want {message!r}")
    # A trace whose last line is cut short (a killed run): explain names the line and, with
    # --allow-unfinished, explains from the complete lines before it; wedge-diff warns.
    cut = os.path.join(out, "cut")
    os.makedirs(cut, exist_ok=True)
    cycle = os.path.join(out, "waitcycle")
    shutil.copy(os.path.join(cycle, "exit-thread-state.json"), cut)
    with open(os.path.join(cycle, "trace.jsonl"), "rb") as fh:
        data = fh.read()
    lines = data.count(b"\n")
    with open(os.path.join(cut, "trace.jsonl"), "wb") as fh:
        fh.write(data[:-40])
    message = f"trace.jsonl:{lines}: the last line is cut short"
    code, _, err = c.audit("explain", cut)
    c.f.expect(code == 2 and message in err, f"explain of a cut trace: {code} {err!r}")
    code, text, err = c.audit("explain", cut, "--allow-unfinished")
    c.f.expect(code == 0 and message in err and f"from the {lines - 1} complete lines" in err and
               "main:NtCreateMutant#1 (mutant 0xf8000008): wait-cycle" in text,
               f"explain --allow-unfinished of a cut trace: {code} {err!r} {text[:300]!r}")
    code, _, err = c.audit("wedge-diff", cut, cycle)
    c.f.expect(code in (0, 1) and message in err, f"wedge-diff of a cut trace warns: {code} {err!r}")

    for argv in (("wedge-diff", good), ("wedge-diff", good, good, "--frob"), ("explain",),
                 ("explain", good, "--starve-rounds", "x")):
        code, _, err = c.audit(*argv)
        c.f.expect(code == 2 and "usage:" in err, f"{argv}: exit {code} {err!r}")
    for argv in (("wedge-diff", "--help"), ("explain", "--help")):
        code, out_text, _ = c.audit(*argv)
        c.f.expect(code == 0 and out_text.startswith("usage:"), f"{argv}: exit {code}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hexad", required=True)
    ap.add_argument("--audit", required=True)
    ap.add_argument("--xex-dir", required=True)
    ap.add_argument("--out", required=True)
    c = Ctx(ap.parse_args())
    os.makedirs(c.args.out, exist_ok=True)
    check_explain(c)
    check_wedge_diff(c)
    check_bad_input(c)
    for m in c.f.items:
        print(f"FAIL audit_wedges: {m}")
    print(f"audit_wedges: {len(c.f.items)} failure(s)")
    return 1 if c.f.items else 0


if __name__ == "__main__":
    sys.exit(main())
