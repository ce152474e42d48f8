#!/usr/bin/env python3
"""check_perfetto.py's own checks must be able to fail: each broken document below breaks one rule
of the Trace Event Format and must be reported with the expected words; each sound one must pass."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_perfetto import Checker  # noqa: E402


def ev(ph, **kw):
    e = {"ph": ph, "cat": "t", "name": kw.pop("name", "s"), "pid": 1, "tid": 1, "ts": kw.pop("ts", 0)}
    e.update(kw)
    return e


NAMES = [{"ph": "M", "name": "process_name", "pid": 1, "args": {"name": "p"}},
         {"ph": "M", "name": "thread_name", "pid": 1, "tid": 1, "args": {"name": "t"}},
         {"ph": "M", "name": "thread_name", "pid": 1, "tid": 2, "args": {"name": "u"}}]

SOUND = {
    "nested X": [ev("X", ts=0, dur=10), ev("X", ts=2, dur=3), ev("X", ts=10, dur=0)],
    "adjacent X": [ev("X", ts=0, dur=5), ev("X", ts=5, dur=5)],
    "B/E pair": [ev("B", ts=1), ev("E", ts=4)],
    "unfinished B": [ev("X", ts=0, dur=5), ev("B", ts=5)],
    "flow v2 one producer two consumers": [ev("X", ts=3, dur=0, bind_id=7, flow_out=True),
                                           ev("X", ts=3, dur=0, bind_id=7, flow_in=True, tid=2),
                                           ev("X", ts=9, dur=0, bind_id=7, flow_in=True)],
    "flow v1": [ev("X", ts=0, dur=4), ev("s", ts=1, id=3), ev("X", ts=5, dur=4, tid=2), ev("f", ts=6, id=3, bp="e", tid=2)],
    "global instant": [ev("i", ts=4, s="g")],
    "array format": None,
}

BROKEN = {
    "no traceEvents": ({"events": []}, "no \"traceEvents\""),
    "unknown phase": ([ev("Q")], "not a phase"),
    "X without dur": ([ev("X")], "without a \"dur\""),
    "X negative dur": ([ev("X", dur=-1)], "\"dur\" >= 0"),
    "negative ts": ([ev("X", ts=-5, dur=1)], "non-negative"),
    "string pid": ([dict(ev("X", dur=1), pid="1")], "\"pid\" is not an integer"),
    "fractional ts with --integer-ts": ([ev("X", ts=1.5, dur=1)], "not an integer"),
    "E without B": ([ev("E", ts=3)], "without an open 'B'"),
    "E before B in time": ([ev("B", ts=5), ev("E", ts=3)], "goes back in time"),
    "E closes another name": ([ev("B", ts=1, name="a"), ev("E", ts=2, name="b")], "closes 'B'"),
    "partial overlap": ([ev("X", ts=0, dur=10), ev("X", ts=5, dur=10)], "without nesting"),
    "X overlaps unfinished B": ([ev("B", ts=5), ev("X", ts=0, dur=10)], "without nesting"),
    "bad instant scope": ([ev("i", s="x")], "scope"),
    "flow v1 without id": ([ev("s")], "without an \"id\""),
    "flow v1 no finish": ([ev("X", ts=0, dur=4), ev("s", ts=1, id=3)], "not one 's'"),
    "flow v1 bad bp": ([ev("f", id=3, bp="n")], "binding point"),
    "bind_id zero": ([ev("X", dur=0, bind_id=0, flow_out=True)], "non-zero"),
    "bind_id without direction": ([ev("X", dur=0, bind_id=4)], "without \"flow_out\""),
    "bind_id on instant": ([ev("i", bind_id=4, flow_out=True)], "only to complete events"),
    "bind_id on B": ([ev("B", bind_id=4, flow_out=True), ev("X", ts=1, dur=0, bind_id=4, flow_in=True)],
                     "only to complete events"),
    "consumer without producer": ([ev("X", dur=0, bind_id=4, flow_in=True)], "0 producers"),
    "producer without consumer": ([ev("X", dur=0, bind_id=4, flow_out=True)], "no consumer"),
    "two producers": ([ev("X", dur=0, bind_id=4, flow_out=True), ev("X", ts=1, dur=0, bind_id=4, flow_out=True),
                       ev("X", ts=2, dur=0, bind_id=4, flow_in=True)], "2 producers"),
    "consumer before producer": ([ev("X", ts=5, dur=0, bind_id=4, flow_out=True),
                                  ev("X", ts=2, dur=0, bind_id=4, flow_in=True, tid=2)], "before its producer"),
    "unknown metadata": ([{"ph": "M", "name": "thread_colour", "pid": 1, "tid": 1, "args": {"name": "x"}}],
                         "metadata event name"),
    "thread_name without args.name": ([{"ph": "M", "name": "thread_name", "pid": 1, "tid": 1, "args": {}}],
                                      "without args.name"),
    "thread_name without tid": ([{"ph": "M", "name": "thread_name", "pid": 1, "args": {"name": "x"}}],
                                "without \"tid\""),
    "unnamed thread": ([ev("X", dur=1, tid=9)], "has no thread_name"),
    "bad displayTimeUnit": ({"traceEvents": [], "displayTimeUnit": "s"}, "displayTimeUnit"),
    "traceEvents not first": ({"otherData": {}, "traceEvents": NAMES}, "not \"traceEvents\""),
    "unknown key after traceEvents": ({"traceEvents": NAMES, "extra": 1}, "Perfetto stops reading"),
    "array before ts": ([{"ph": "X", "name": "s", "pid": 1, "tid": 1, "args2": [1], "ts": 0, "dur": 1}],
                        "before \"ts\""),
}


def main():
    failures = 0
    for name, events in SOUND.items():
        doc = [ev("X", dur=1)] + NAMES if events is None else {"traceEvents": NAMES + events}
        c = Checker(require_names=True, integer_ts=False, perfetto_layout=True).check(doc)
        ok = not c.problems
        print(("ok   " if ok else "FAIL ") + f"sound: {name}" + ("" if ok else f": {c.problems}"))
        failures += not ok
    for name, (doc, words) in BROKEN.items():
        if isinstance(doc, list):
            doc = {"traceEvents": NAMES + doc}
        c = Checker(require_names=True, integer_ts=True, perfetto_layout=True).check(doc)
        ok = any(words in p for p in c.problems)
        print(("ok   " if ok else "FAIL ") + f"broken: {name}" + ("" if ok else f": got {c.problems}"))
        failures += not ok
    if failures:
        print(f"{failures} self-check(s) failed")
        return 1
    print("all self-checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
