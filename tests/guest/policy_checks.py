"""Checks of the scheduling policies' outcomes (README "Scheduling policies"): the starvation
title under every policy, the bands title (console and aging differ on it) and the starvation
alarm. Used by check_title.py. Standard library only."""
import re

from title_common import expect_common, expect_exited, expect_main_exit

QUANTUM_CYCLES = 20000         # the default quantum (one guest cycle an instruction)


def quanta(n):
    """n quanta in timebase ticks (64 guest cycles a tick), rounded up."""
    return -(-n * QUANTUM_CYCLES // 64)
SLEEP_TICKS = 100_000          # bands' worker sleeps 2 ms (50 MHz timebase)
WINDOW_TICKS, PERIOD_TICKS = 50_000, 800_000   # the console's background window, its period


# --- starvation under every policy (aging and strict are in check_title.py) ---------------------

def starvation_common(f, r):
    spinner, low = r.thread(2), r.thread(3)
    if not f.expect(spinner and low, "spinner (tid 2) and low (tid 3) exist"):
        return None
    f.expect(spinner["base_priority"] == 15 and low["base_priority"] == 0, "priorities 15 and 0")
    f.expect(spinner["slot"] == 5 and low["slot"] == 5, "both on slot 5")
    f.expect(spinner["affinity"] == "0x00000020" and low["affinity"] == "0x00000020", "both with affinity 1<<5")
    f.expect(spinner["state"] == "Ready", f"the spinner is still Ready, not {spinner['state']}")
    handles = r.first_wait_handles(1)
    f.expect(handles and len(handles) == 1, "main waits on one event")
    return handles[0] if handles else None


def expect_low_set_the_event(f, r, event, spinner_ran):
    expect_common(f, r, 0, "exit")
    expect_main_exit(f, r, 0)
    f.expect(r.stdout == f"starvation: event set, wait status 0, spinner ran {spinner_ran}\n", f"stdout {r.stdout!r}")
    expect_exited(f, r, 3, 0)
    matches = r.kinds("signal.match", tid=3, by="NtSetEvent", target_handle=event)
    f.expect(len(matches) == 1 and 1 in matches[0]["waiter_tids"] and matches[0]["slot"] == 5,
             f"signal.match by tid 3 on slot 5 waking main: {matches}")
    return matches[0] if matches else None


def check_starvation_fair(f, r):
    """fair: the low thread gets the slot after one quantum of the spinner (round 1)."""
    event = starvation_common(f, r)
    m = expect_low_set_the_event(f, r, event, "yes")
    c = r.dump["run"]["scheduler"]["policy_counters"]
    f.expect(c["picks_against_priority"] >= 1, f"a pick went against priority: {c}")
    if m:
        f.expect(m["round"] == 1, f"the low thread ran at round {m['round']}, want 1")


def check_starvation_console(f, r):
    """console: the run starts inside a background window, where 15 is locked out and 0 admitted:
    the low thread runs at once, before the spinner ever does."""
    event = starvation_common(f, r)
    m = expect_low_set_the_event(f, r, event, "no")
    c = r.dump["run"]["scheduler"]["policy_counters"]
    f.expect(c["masked_picks"] >= 1, f"the window locked the spinner out: {c}")
    spinner = r.thread(2)
    f.expect(spinner and spinner["instructions"] == 0, "the spinner never ran")
    if m:
        f.expect(m["round"] == 0 and m["guest_cycle"] // 64 < WINDOW_TICKS, f"the low thread ran in the first window: {m}")


def check_starvation_alarm(f, r):
    """strict with --starvation-alarm 50: one sched.starvation for the low thread, 50 rounds after
    it was resumed, naming the spinner; never again in that Ready stretch."""
    expect_common(f, r, 0, "budget")
    starvation_common(f, r)
    alarms = r.kinds("sched.starvation")
    if not f.expect(len(alarms) == 1, f"one sched.starvation event, got {len(alarms)}"):
        return
    a = alarms[0]
    f.expect((a["tid"], a["slot"], a["priority"], a["effective_priority"], a["holder_tid"], a["holder_priority"])
             == (3, 5, 0, 0, 2, 15), f"the alarm names the low thread and the spinner: {a}")
    resumed = [e for e in r.kinds("import.call", tid=1, name="NtResumeThread")]
    if f.expect(len(resumed) == 2, "main resumed two threads"):
        f.expect(a["ready_rounds"] == 50 and a["round"] == resumed[1]["round"] + 50,
                 f"raised 50 rounds after the resume at round {resumed[1]['round']}: {a}")
    f.expect(r.dump["run"]["scheduler"]["starvation_alarm"] == 50, "the dump records the alarm")


# --- bands: console and aging differ --------------------------------------------------------------

def bands_report(f, r):
    m = re.search(r"bands: worker slept at tick (\d+), started at tick (\d+), ran 8000 iterations in (\d+) ticks, "
                  r"longest gap (\d+) ticks", r.stdout)
    if not f.expect(m, f"the worker's report: {r.stdout!r}"):
        return None
    expect_common(f, r, 0, "exit")
    expect_main_exit(f, r, 0)
    f.expect(r.stdout.endswith("bands: wait status 0, spinner ran yes\n"), f"stdout {r.stdout!r}")
    for tid, prio in ((2, 13), (3, 6)):
        t = r.thread(tid)
        f.expect(t and t["slot"] == 5 and t["base_priority"] == prio, f"thread {tid}: slot 5, priority {prio}")
    expect_exited(f, r, 3, 0)
    slept, start, took, gap = (int(x) for x in m.groups())
    # Its deadline; the timeout fires at the first visit of slot 5 from then on (up to a quantum later).
    return slept + SLEEP_TICKS, start, took, gap


def check_bands(f, r):
    """aging: woken with no age, the worker waits 8 rounds to tie the spinner (13, plus the one
    round it waits between its own quanta) and wins the tie (Ready longer); then the spinner runs 7
    quanta between the worker's turns. Rounds are windows of guest time and the wake fires at its
    deadline, inside round r: the worker starts as round r + 8 begins, 7 to 8
    quanta after waking."""
    got = bands_report(f, r)
    if got:
        woke, start, _, gap = got
        f.expect(woke + quanta(7) <= start <= woke + quanta(8), f"started at tick {start}: 8 rounds after waking at {woke}")
        f.expect(quanta(7) - 1 <= gap <= quanta(7), f"longest gap {gap}: the spinner's 7 quanta")
    c = r.dump["run"]["scheduler"]["policy_counters"]
    f.expect(c["picks_won_by_age"] >= 1 and c["stale_ages_on_ready"] >= 1, f"aging counters {c}")


def check_bands_legacy(f, r):
    """aging, --aging-stamp legacy: the worker's 2 ms asleep counted as age: it wakes with the full
    bonus and takes the slot at the next pick."""
    got = bands_report(f, r)
    if got:
        woke, start = got[0], got[1]
        f.expect(woke <= start <= woke + quanta(1), f"started at tick {start}, woke at {woke}: at the next pick")
    f.expect(r.dump["run"]["scheduler"]["policy_params"]["aging_stamp"] == "legacy", "legacy stamp recorded")


def check_bands_console(f, r):
    """console: 6 runs only in a window, where 13 is locked out: the worker waits for the window at
    16 ms and runs to the end in it without a gap."""
    got = bands_report(f, r)
    if got:
        woke, start, took, gap = got
        f.expect(woke < PERIOD_TICKS and start == PERIOD_TICKS, f"woke at {woke}, started at tick {start}: "
                                                                  "when the second window opened")
        f.expect(start + took < PERIOD_TICKS + WINDOW_TICKS, f"finished inside that window ({took} ticks)")
        f.expect(gap <= 1, f"longest gap {gap}: never kept off the slot")
    c = r.dump["run"]["scheduler"]["policy_counters"]
    f.expect(c["masked_picks"] >= 1 and c["window_picks"] >= 1 and c["locked_out_idles"] >= 1, f"console counters {c}")


def check_bands_fair(f, r):
    """fair: worker and spinner alternate every quantum."""
    got = bands_report(f, r)
    if got:
        woke, start, _, gap = got
        # The spinner, re-queued before the worker woke, runs one more quantum first.
        f.expect(woke <= start <= woke + quanta(2), f"started at tick {start}, woke at {woke}")
        f.expect(quanta(1) - 1 <= gap <= quanta(1), f"longest gap {gap}: one quantum")


def check_bands_strict(f, r):
    """strict: the 13 spins for ever and the 6 never runs; the run ends at its budget."""
    expect_common(f, r, 0, "budget")
    f.expect(r.stdout == "", f"stdout {r.stdout!r}")
    worker = r.thread(3)
    f.expect(worker and worker["state"] == "Ready" and worker["instructions"] == 0, "the worker never ran")


POLICY_CHECKS = {
    "starvation_fair": check_starvation_fair,
    "starvation_console": check_starvation_console,
    "starvation_alarm": check_starvation_alarm,
    "bands": check_bands,
    "bands_legacy": check_bands_legacy,
    "bands_console": check_bands_console,
    "bands_fair": check_bands_fair,
    "bands_strict": check_bands_strict,
}
