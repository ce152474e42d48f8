#!/usr/bin/env python3
"""Structure validator for Chrome Trace Event Format JSON (what ui.perfetto.dev and chrome://tracing
open), written against the format's documentation:

  "Trace Event Format", Nat Duca and David Sinclair (nduca@, dsinclair@), Google, last updated
  October 2016. https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU

Rules checked (section of the document in brackets):
- [JSON Format] the file is a JSON array of events (JSON Array Format) or an object whose
  "traceEvents" is that array (JSON Object Format); "displayTimeUnit", if present, is "ms" or "ns";
  "otherData", if present, is an object.
- [Event Descriptions] every event is an object with a one-character "ph" from the phases the
  document defines; "ts" (microseconds) is a finite non-negative number; "pid" and "tid" are
  integers; "name" and "cat" are strings where present; "args" is an object where present.
- [Duration Events] B/E: the B comes before its E; on one thread (pid, tid) they nest: an E closes
  the innermost open B (same name if the E has one) and is not before it; their timestamps are in
  order on that thread (the document: unlike B/E, complete events "can be in any order").
  A B never closed is reported as an unfinished slice (the viewers draw it as not finished).
- [Complete Events] X has a numeric "dur" >= 0.
- Slices on one thread nest: any two of a thread's slices (X, and B/E pairs, an unfinished B
  lasting to the end) are disjoint or one contains the other. Both viewers stack a thread's slices
  by containment; a partial overlap is misdrawn (Perfetto counts it as an import error).
- [Instant Events] i/I: "s", if present, is "g", "p" or "t".
- [Flow Events] s/t/f carry an "id"; a flow starts with one "s", then "t"s, ends with one "f", in
  time order; "bp", if present, is "e".
  The newer form both viewers also accept (not in the 2016 document; see Perfetto's JSON importer,
  src/trace_processor/importers/json, and catapult's trace_event_importer): a slice event carries
  "bind_id" with "flow_out": true (producer) or "flow_in": true (consumer). Checked: bind_id is a
  non-zero integer or string (catapult ignores a falsy one), it sits on an X event (catapult
  binds no other phase; Perfetto also takes B), each id
  has exactly one producer and at least one consumer, and no consumer starts before its producer
  (catapult orders flow events by time and drops a consumer met before its producer).
- [Metadata Events] M: "name" is process_name, process_labels, process_sort_index, thread_name or
  thread_sort_index, with args.name (string), args.labels (string) or args.sort_index (integer);
  thread_* events carry a tid.
- --require-names: every thread and process that holds slices is named by a metadata event.
- --integer-ts: ts and dur are integers.
- --perfetto-layout: the layout ui.perfetto.dev's streaming JSON tokenizer needs (Perfetto,
  src/trace_processor/importers/json/json_trace_tokenizer.cc, which reads the file in chunks rather
  than as one JSON value): "traceEvents" is the first top-level key and every later one is
  displayTimeUnit, otherData, metadata or systemTraceEvents (it stops reading at any other key);
  no event has an array-valued member before its "ts" (its key scan gives up on arrays).

Usage: check_perfetto.py FILE.json [--require-names] [--integer-ts] [--perfetto-layout] [--summary]
Exit 0 if valid (with --summary: prints counts as JSON), 1 with one line per problem otherwise.
"""
import argparse
import json
import math
import sys
from collections import defaultdict

PHASES = set("BEXiIbneSTpFsftCPNODMVvRc()")
METADATA = {
    "process_name": ("name", str),
    "process_labels": ("labels", str),
    "process_sort_index": ("sort_index", int),
    "thread_name": ("name", str),
    "thread_sort_index": ("sort_index", int),
}
MAX_PROBLEMS = 50


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def is_num(v):
    return (is_int(v) or isinstance(v, float)) and math.isfinite(v)


class Checker:
    def __init__(self, require_names=False, integer_ts=False, perfetto_layout=False):
        self.require_names = require_names
        self.integer_ts = integer_ts
        self.perfetto_layout = perfetto_layout
        self.problems = []
        self.counts = defaultdict(int)

    def bad(self, where, why):
        self.problems.append(f"{where}: {why}")

    def check(self, doc):
        events = self.top_level(doc)
        if events is None:
            return self
        threads = defaultdict(list)  # (pid, tid) -> [(ts, end or None, name, index, ph)]
        duration = defaultdict(list)  # (pid, tid) -> [(ts, index, ph, name)] in file order
        flows_v1 = defaultdict(list)
        producers = defaultdict(list)
        consumers = defaultdict(list)
        named_threads, named_processes, used_threads = set(), set(), set()
        for i, e in enumerate(events):
            where = f"traceEvents[{i}]"
            if not isinstance(e, dict):
                self.bad(where, "an event is not a JSON object")
                continue
            ph = e.get("ph")
            if not isinstance(ph, str) or len(ph) != 1 or ph not in PHASES:
                self.bad(where, f"\"ph\" is not a phase of the format: {ph!r}")
                continue
            self.counts["ph_" + ph] += 1
            if self.perfetto_layout:
                for k, v in e.items():
                    if k == "ts":
                        break
                    if isinstance(v, list):
                        self.bad(where, f"array-valued \"{k}\" before \"ts\" (Perfetto's tokenizer rejects the file)")
            if not self.common(where, e, ph):
                continue
            key = (e.get("pid"), e.get("tid"))
            if ph == "M":
                self.metadata(where, e, named_threads, named_processes)
            elif ph == "X":
                dur = e.get("dur")
                if not is_num(dur) or dur < 0:
                    self.bad(where, f"complete event without a \"dur\" >= 0: {dur!r}")
                    continue
                if self.integer_ts and not is_int(dur):
                    self.bad(where, f"\"dur\" is not an integer: {dur!r}")
                threads[key].append((e["ts"], e["ts"] + dur, e.get("name"), i, ph))
                used_threads.add(key)
            elif ph in "BE":
                duration[key].append((e["ts"], i, ph, e.get("name")))
                used_threads.add(key)
            elif ph in "iI":
                if "s" in e and e["s"] not in ("g", "p", "t"):
                    self.bad(where, f"instant scope \"s\" is not g, p or t: {e['s']!r}")
            elif ph in "stf":
                if "id" not in e:
                    self.bad(where, f"flow event '{ph}' without an \"id\"")
                    continue
                if ph == "f" and "bp" in e and e["bp"] != "e":
                    self.bad(where, f"flow end binding point \"bp\" is not \"e\": {e['bp']!r}")
                flows_v1[(e.get("cat"), e["id"])].append((e["ts"], i, ph))
            if "bind_id" in e:
                self.flow_v2(where, e, ph, i, producers, consumers)
        for key, evs in duration.items():
            self.nest_duration(key, evs, threads)
        for key, slices in threads.items():
            self.nest_slices(key, slices)
        self.check_flows_v1(flows_v1)
        self.check_flows_v2(producers, consumers, events)
        if self.require_names:
            for key in sorted(used_threads, key=str):
                if key not in named_threads:
                    self.bad(f"thread pid={key[0]} tid={key[1]}", "holds slices but has no thread_name")
                if key[0] not in named_processes:
                    self.bad(f"process pid={key[0]}", "holds slices but has no process_name")
        self.counts["events"] = len(events)
        self.counts["threads"] = len(used_threads)
        return self

    def top_level(self, doc):
        if isinstance(doc, list):
            return doc
        if not isinstance(doc, dict):
            self.bad("top level", "neither a JSON array of events nor an object with \"traceEvents\"")
            return None
        events = doc.get("traceEvents")
        if not isinstance(events, list):
            self.bad("top level", "the JSON object has no \"traceEvents\" array")
            return None
        if self.perfetto_layout:
            keys = list(doc)
            if keys[0] != "traceEvents":
                self.bad("top level", f"the first key is {keys[0]!r}, not \"traceEvents\" (Perfetto reads nothing)")
            for k in keys[1:]:
                if k not in ("displayTimeUnit", "otherData", "metadata", "systemTraceEvents"):
                    self.bad("top level", f"key {k!r} after traceEvents (Perfetto stops reading there)")
        if "displayTimeUnit" in doc and doc["displayTimeUnit"] not in ("ms", "ns"):
            self.bad("displayTimeUnit", f"is not \"ms\" or \"ns\": {doc['displayTimeUnit']!r}")
        if "otherData" in doc and not isinstance(doc["otherData"], dict):
            self.bad("otherData", "is not an object")
        return events

    def common(self, where, e, ph):
        ok = True
        for f in ("name", "cat"):
            if f in e and not isinstance(e[f], str):
                self.bad(where, f"\"{f}\" is not a string")
                ok = False
        if "args" in e and not isinstance(e["args"], dict):
            self.bad(where, "\"args\" is not an object")
            ok = False
        if "pid" in e and not is_int(e["pid"]):
            self.bad(where, f"\"pid\" is not an integer: {e['pid']!r}")
            ok = False
        if "tid" in e and not is_int(e["tid"]):
            self.bad(where, f"\"tid\" is not an integer: {e['tid']!r}")
            ok = False
        if ph == "M":
            return ok
        if ph in "BEX" and ("pid" not in e or "tid" not in e):
            self.bad(where, f"'{ph}' event without \"pid\" and \"tid\"")
            ok = False
        if ph in "BX" and not isinstance(e.get("name"), str):
            self.bad(where, f"'{ph}' event without a \"name\"")
            ok = False
        ts = e.get("ts")
        if not is_num(ts) or ts < 0:
            self.bad(where, f"\"ts\" is not a non-negative number: {ts!r}")
            return False
        if self.integer_ts and not is_int(ts):
            self.bad(where, f"\"ts\" is not an integer: {ts!r}")
        return ok

    def metadata(self, where, e, named_threads, named_processes):
        name = e.get("name")
        if name not in METADATA:
            self.bad(where, f"metadata event name is not one the format defines: {name!r}")
            return
        arg, typ = METADATA[name]
        args = e.get("args")
        value = args.get(arg) if isinstance(args, dict) else None
        if not (is_int(value) if typ is int else isinstance(value, typ)):
            self.bad(where, f"{name} without args.{arg} of type {typ.__name__}")
            return
        if "pid" not in e:
            self.bad(where, f"{name} without \"pid\"")
            return
        if name.startswith("thread_"):
            if "tid" not in e:
                self.bad(where, f"{name} without \"tid\"")
                return
            if name == "thread_name":
                named_threads.add((e["pid"], e["tid"]))
        elif name == "process_name":
            named_processes.add(e["pid"])

    def nest_duration(self, key, evs, threads):
        stack = []
        last_ts = None
        for ts, i, ph, name in evs:  # file order: the document requires B before its E
            if last_ts is not None and ts < last_ts:
                self.bad(f"traceEvents[{i}]", f"duration event on pid={key[0]} tid={key[1]} goes back in time "
                         f"({ts} after {last_ts})")
            last_ts = ts
            if ph == "B":
                stack.append((ts, i, name))
                continue
            if not stack:
                self.bad(f"traceEvents[{i}]", f"'E' without an open 'B' on pid={key[0]} tid={key[1]}")
                continue
            b_ts, b_i, b_name = stack.pop()
            if name is not None and name != b_name:
                self.bad(f"traceEvents[{i}]", f"'E' named {name!r} closes 'B' traceEvents[{b_i}] named {b_name!r}")
            threads[key].append((b_ts, ts, b_name, b_i, "B"))
        for b_ts, b_i, b_name in stack:
            self.counts["unfinished_slices"] += 1
            threads[key].append((b_ts, None, b_name, b_i, "B"))

    def nest_slices(self, key, slices):
        inf = float("inf")
        order = sorted(slices, key=lambda s: (s[0], -(inf if s[1] is None else s[1]), s[3]))
        stack = []
        for ts, end, name, i, ph in order:
            end_v = inf if end is None else end
            while stack and stack[-1][1] <= ts:  # slices that ended by now: this one is not inside them
                stack.pop()
            if stack and end_v > stack[-1][1]:
                self.bad(f"traceEvents[{i}]", f"slice {name!r} [{ts}, {end}] on pid={key[0]} tid={key[1]} overlaps "
                         f"traceEvents[{stack[-1][2]}] [{stack[-1][0]}, {stack[-1][1]}] without nesting in it")
                continue
            stack.append((ts, end_v, i))
            self.counts["slices"] += 1

    def flow_v2(self, where, e, ph, i, producers, consumers):
        bid = e["bind_id"]
        if not ((is_int(bid) and bid != 0) or (isinstance(bid, str) and bid)):
            self.bad(where, f"\"bind_id\" is not a non-zero integer or a non-empty string: {bid!r}")
            return
        if ph != "X":
            self.bad(where, f"\"bind_id\" on a '{ph}' event (chrome://tracing binds it only to complete events, X)")
            return
        out, into = e.get("flow_out") is True, e.get("flow_in") is True
        if not out and not into:
            self.bad(where, "\"bind_id\" without \"flow_out\": true or \"flow_in\": true")
            return
        if out:
            producers[bid].append(i)
        if into:
            consumers[bid].append(i)

    def check_flows_v1(self, flows):
        for (cat, fid), evs in flows.items():
            evs.sort(key=lambda x: (x[0], x[1]))
            phases = "".join(p for _, _, p in evs)
            if not (phases.startswith("s") and phases.endswith("f") and phases.count("s") == 1
                    and phases.count("f") == 1):
                self.bad(f"flow id {fid!r}", f"phases in time order are {phases!r}, not one 's', any 't', one 'f'")
            else:
                self.counts["flows_v1"] += 1

    def check_flows_v2(self, producers, consumers, events):
        for bid in sorted(set(producers) | set(consumers), key=str):
            prod, cons = producers.get(bid, []), consumers.get(bid, [])
            if len(prod) != 1:
                self.bad(f"bind_id {bid!r}", f"has {len(prod)} producers (flow_out), expected exactly one")
                continue
            if not cons:
                self.bad(f"bind_id {bid!r}", "has a producer but no consumer (flow_in)")
                continue
            p = events[prod[0]]
            for c in cons:
                if events[c]["ts"] < p["ts"]:
                    self.bad(f"traceEvents[{c}]", f"flow consumer at ts {events[c]['ts']} before its producer "
                             f"traceEvents[{prod[0]}] at ts {p['ts']}")
                else:
                    self.counts["flow_arrows"] += 1


def load(path):
    with open(path, "rb") as f:
        return json.load(f)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--require-names", action="store_true")
    ap.add_argument("--integer-ts", action="store_true")
    ap.add_argument("--perfetto-layout", action="store_true")
    ap.add_argument("--summary", action="store_true")
    a = ap.parse_args()
    try:
        doc = load(a.file)
    except (OSError, ValueError) as e:
        print(f"{a.file}: not readable JSON: {e}")
        return 1
    c = Checker(a.require_names, a.integer_ts, a.perfetto_layout).check(doc)
    for p in c.problems[:MAX_PROBLEMS]:
        print(f"{a.file}: {p}")
    if len(c.problems) > MAX_PROBLEMS:
        print(f"{a.file}: ... and {len(c.problems) - MAX_PROBLEMS} more problems")
    if c.problems:
        return 1
    if a.summary:
        print(json.dumps(dict(sorted(c.counts.items()))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
