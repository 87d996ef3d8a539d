"""`xlbudget convert --jobs 2` against `--jobs 1` on seed-sized books, by CPU accounting (issue 13; not a test).

    python bench/bench_jobs.py [--books 24] [--rounds 6] [--before SRC] [--fresh] [--varied] [--halves]
                               [--timeline | --callgrind]

Each run is a fresh ``xlbudget convert BOOKS -o OUT --jobs N --force`` (cli.main called as the program calls it)
whose parent reports its own CPU (getrusage SELF: start-up, discovery, handing out, results, summary) and its
workers' (getrusage CHILDREN), user and system apart, with its minor page faults. Runs alternate (--jobs 1, --jobs 2, and with ``--before SRC``
another checkout's, PYTHONPATH=SRC, interleaved), so the machine's other load falls on all alike. Printed: median
wall per kind, and the speed-up two free cores would give, from CPU: jobs-1 ÷ (parent + workers / 2), with
the parent's CPU taken as serial (on two cores it runs beside the workers only by taking from them).

``--timeline``: each run also records when each process does what (interpreter up, imports, warm-up, each fork,
each book in each worker, the parent waiting and taking results, manifest, 轉換摘要; wall and CPU at each), by
wrapping convert's functions from outside; printed for the run of median wall of each kind as one lane a process,
with where the two cores sat idle (a worker started late, waiting for its next book, the tail where one worker has
no book left, the time after the last book) and the parent's CPU by phase, medians over the runs. The gaps show
even on a loaded machine, where wall figures do not. It also gives the estimate with the parent's CPU while both
workers run (its forks, taking results) counted as shared by the two cores, as it is there (a third process beside
two: the cores' work grows by it, the clock by half of it), not as serial as the headline estimate counts it.

``--fresh``: each run converts into a new output folder, as a folder's first conversion does; by default every run
converts again into the same folder (--force), each output renamed over the last run's (ext4 then writes the new
file out at the rename: the timeline's os.replace figures).

``--varied``: books of different sizes (40 to 600 items, one agency each, drawn the same every run) instead of copies
of one seed-sized book: whether the largest-first order leaves both workers ending together (the timeline's tail).

``--halves``: the floor of two cores, run alternated with the others: two ``--jobs 1`` processes started at once, each
over half of the books (largest first to the half with fewer items so far: 12 and 12 copies), into two folders. They
share nothing (no fork, no pipe, no tail where one waits for the other's last book), each paying its own start-up,
imports and 轉換摘要 of its half side by side: what two cores give two processes of this code, the least a --jobs 2
can take (its output is two batches, not one: a floor of the work, not of the bytes). Printed: --jobs 1 ÷ the
floor (the speed-up the machine itself gives), --jobs 2 ÷ the floor, and how far apart the halves end (the cores'
own unevenness); with --callgrind, --jobs 1's instructions ÷ those of the larger half, beside --jobs 2's estimate.

``--callgrind``: each kind once under ``valgrind --tool=callgrind`` (PYTHONHASHSEED=0) instead, counting the
instructions of the parent and of each worker (one output file a process): the same estimate in instructions,
which the machine's load does not disturb (system time, page faults and cache misses are not in it).
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import selectors
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_convert import make_book

import xlbudget

CWD = tempfile.gettempdir()  # not a checkout
# -P: nothing put before sys.path, as the xlbudget program has (its own folder, .venv/bin). Without it "-c" puts
# the working folder first, and /tmp (~2,000 entries that other programs keep changing) was listed again for
# imports each time it changed: the parent's imports 3-5 ms more CPU in each run (median of 15, load ~13) and
# 70-80 M instructions more under callgrind, varying by 11 M between identical runs
PY = (sys.executable, "-P")
VARIED = (40, 77, 77, 150, 300, 600)  # --varied: items of a book, drawn
# as the xlbudget program runs it (main() of sys.argv: convert ends the process itself, its exit handlers run but
# not the interpreter's teardown; a checkout whose main returns is left as the program leaves, sys.exit). Its CPU
# and faults as its exit handlers run, the teardown's not counted either way (as before cli._leave)
RUN = """import atexit, resource, sys
def report():
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(me.ru_utime, me.ru_stime, me.ru_minflt, kids.ru_utime, kids.ru_stime, kids.ru_minflt, flush=True)
atexit.register(report)
from xlbudget.cli import main
sys.argv[:1] = ["xlbudget", "convert"]
sys.exit(main())
"""
# --timeline: what each process does when, appended to one file (one line an event, one write each: whole lines
# from every process), by wrapping convert's own functions from outside; convert itself is not changed.
TRACE = r"""
import os, time, resource
_fd = os.open(os.environ["XLB_TIMELINE"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
def note(kind, what=""):
    os.write(_fd, f"{os.getpid()} {time.monotonic():.6f} {time.process_time():.6f} "
                  f"{resource.getrusage(resource.RUSAGE_SELF).ru_minflt} {kind} {what}\n".encode())
note("python")
import xlbudget.cli
note("cli")
import selectors
from xlbudget.app import convert
note("convert")
def wrap(name, before, after, module=convert):
    real = getattr(module, name, None)
    if real is None:  # a checkout without it (--before): its events are missing, the rest are there
        return
    def wrapped(*args, **kwargs):
        note(before, os.path.basename(args[0][0]) if name == "_task" else "")
        try:
            return real(*args, **kwargs)
        finally:
            note(after)
    setattr(module, name, wrapped)
wrap("_task", "book", "book-end")
wrap("_warm", "warm", "warm-end")
wrap("_worker_start", "worker", "worker-ready")
wrap("_serve", "serve", "exit")
wrap("_forked", "fork-all", "joined")
wrap("write_summary", "summary", "summary-end")
wrap("_save_json", "manifest", "manifest-end")
wrap("_read_exact", "read", "got")
_replace = os.replace
def replace(*args, **kwargs):  # an output renamed into place: ext4 writes out a file that replaces another
    note("rename")
    try:
        return _replace(*args, **kwargs)
    finally:
        note("renamed")
os.replace = replace
_fork = os.fork
def fork():
    note("fork")
    pid = _fork()
    if pid:
        note("forked")
    return pid
os.fork = fork
class Watch(selectors.DefaultSelector):
    def select(self, timeout=None):
        note("wait")
        try:
            return super().select(timeout)
        finally:
            note("woke")
selectors.DefaultSelector = Watch
import atexit
atexit.register(note, "end")
"""


def _reported(stdout: str, code: int, stderr: str, who: str) -> tuple[float, ...]:
    """RUN's report (its last line: the parent's user and system CPU and faults, its children's), or the bench
    ends saying why there is none (exit 1 is every book converted, errors found in some)."""
    fields = stdout.split()[-6:]
    if code not in (0, 1) or len(fields) < 6:
        sys.exit(f"{who} did not convert every book (exit {code}): no figures\n{stderr[-2000:]}")
    return tuple(map(float, fields))


def run(src: Path, out: Path, jobs: int, env: dict | None, timeline: Path | None = None) -> dict:
    """One fresh convert: wall, and the parent's and workers' CPU (s) and minor faults; with ``timeline`` (a file
    path), its events too (``events``: see TRACE), the moments it was started and reaped among them."""
    code = RUN
    if timeline is not None:
        timeline.unlink(missing_ok=True)
        env, code = {**(env or os.environ), "XLB_TIMELINE": str(timeline)}, TRACE + RUN
    start = time.perf_counter()
    done = subprocess.run([*PY, "-c", code, str(src), "-o", str(out), "--jobs", str(jobs), "--force"],
                          capture_output=True, text=True, env=env, cwd=CWD)
    wall = time.perf_counter() - start
    pu, ps, pf, wu, ws, wf = _reported(done.stdout, done.returncode, done.stderr, "convert")
    result = {"wall": wall, "parent": pu + ps, "parent_sys": ps, "parent_faults": pf, "workers": wu + ws,
              "workers_sys": ws, "workers_faults": wf}
    if timeline is not None:  # perf_counter is CLOCK_MONOTONIC on Linux, as the events' time.monotonic()
        result["events"] = [(0, start, 0.0, 0, "spawn", "")] + [
            (int(pid), float(t), float(cpu), int(faults), kind, what.strip())
            for pid, t, cpu, faults, kind, what in (line.split(" ", 5) for line in timeline.read_text().splitlines())
        ] + [(0, start + wall, 0.0, 0, "reaped", "")]
    return result


def run_halves(halves: tuple[Path, Path], out: Path, env: dict | None) -> dict:
    """Two --jobs 1 converts started at once, one over each of ``halves``: the wall until both have ended, their
    CPU together, and how far apart they ended (s)."""
    start = time.perf_counter()
    procs = [subprocess.Popen([*PY, "-c", RUN, str(src), "-o", str(out / f"half{k}"), "--jobs", "1", "--force"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=CWD)
             for k, src in enumerate(halves)]
    ended: dict[int, float] = {}
    said = {k: b"" for k in range(len(procs))}
    watch = selectors.DefaultSelector()  # a process's output ends as it exits (its report the last line)
    for k, proc in enumerate(procs):
        watch.register(proc.stdout, selectors.EVENT_READ, k)
    while len(ended) < len(procs):
        for key, _ in watch.select():
            data = os.read(key.fileobj.fileno(), 65536)
            if data:
                said[key.data] += data
            else:
                ended[key.data] = time.perf_counter()
                watch.unregister(key.fileobj)
    cpu = 0.0
    for k, proc in enumerate(procs):
        err = proc.stderr.read().decode(errors="replace")
        proc.wait()
        pu, ps, _, wu, ws, _ = _reported(said[k].decode(), proc.returncode, err, "a half")
        cpu += pu + ps + wu + ws
    return {"wall": max(ended.values()) - start, "cpu": cpu, "apart": max(ended.values()) - min(ended.values())}


def _lanes(events: list) -> tuple[float, float, int, dict[int, list]]:
    """A run's start and end, its parent's pid, and each process's events."""
    parent = next(e[0] for e in events if e[4] == "python")
    by_pid: dict[int, list] = {}
    for e in events[1:-1]:
        by_pid.setdefault(e[0], []).append(e)
    return events[0][1], events[-1][1], parent, by_pid


def timeline_gaps(events: list) -> dict[str, float]:
    """Where a run's time went, in seconds, and where the two cores sat idle."""
    t0, t_end, parent, by_pid = _lanes(events)
    first = {e[4]: e[1] for e in reversed(events)}
    last = {e[4]: e[1] for e in events}
    workers = [pid for pid in by_pid if pid != parent]
    gaps = {"python start": first["python"] - t0, "imports": first.get("warm", first.get("book", t0)) - first["python"]}
    renames = [(a, b) for evs in by_pid.values() for a, b in zip(evs, evs[1:]) if a[4] == "rename"]
    gaps["in os.replace"] = sum(b[1] - a[1] for a, b in renames)
    gaps["longest os.replace"] = max((b[1] - a[1] for a, b in renames), default=0.0)
    if not workers:
        gaps["after the last book"] = t_end - last["book-end"]
        return gaps
    books = {w: [e for e in by_pid[w] if e[4] in ("book", "book-end")] for w in workers}
    pairs = [(a, b) for evs in books.values() for a, b in zip(evs, evs[1:])]
    ends = [evs[-1][1] for evs in books.values()]
    gaps["warm-up"] = first["fork"] - first["warm"]
    gaps["forking"] = sum(b[1] - a[1] for a, b in zip(by_pid[parent], by_pid[parent][1:]) if a[4] == "fork")
    gaps["first books late"] = max(evs[0][1] for evs in books.values()) - first["fork"]
    # a worker between two books: pickling and sending its result, then reading the next (the parent's round trip)
    gaps["workers between books"] = sum(b[1] - a[1] for a, b in pairs if a[4] == "book-end")
    gaps["of which reading their next"] = sum(b[1] - a[1] for w in workers for a, b in zip(by_pid[w], by_pid[w][1:])
                                              if a[4] == "read")
    gaps["tail (one worker idle)"] = max(ends) - min(ends)
    gaps["after the last book"] = t_end - max(ends)
    # a book's wall beyond its CPU: its worker descheduled (the parent, other load) or blocked (the disk)
    gaps["books wall - CPU"] = sum((b[1] - a[1]) - (b[2] - a[2]) for a, b in pairs if a[4] == "book")
    book_cpu = [b[2] - a[2] for a, b in pairs if a[4] == "book"]
    firsts = [evs[1][2] - evs[0][2] for evs in books.values()]  # a worker's first book: what it does once
    gaps["CPU first books - median book"] = sum(firsts) / len(firsts) - statistics.median(book_cpu)
    faults = {e[4]: e[3] for e in reversed(by_pid[parent])}
    gaps["faults: parent to fork"] = faults["fork"]
    gaps["faults: parent after"] = by_pid[parent][-1][3] - faults["fork"]
    gaps["faults: workers"] = sum(by_pid[w][-1][3] for w in workers)
    cpu = {e[4]: e[2] for e in reversed(by_pid[parent])}  # the parent's CPU at each kind's first event
    later = [e for e in by_pid[parent] if e[1] >= max(ends)]
    gaps |= {"parent CPU: Python": cpu["python"], "CPU imports": cpu["warm"] - cpu["python"], "CPU warm-up": cpu["fork"] - cpu["warm"],
             "CPU with the workers": (later[0][2] if later else by_pid[parent][-1][2]) - cpu["fork"],
             "CPU after": by_pid[parent][-1][2] - (later[0][2] if later else by_pid[parent][-1][2])}
    return gaps


def show_timeline(events: list, width: int = 100) -> None:
    """Print one run's timeline, a lane a process (see the legend in main)."""
    t0, t_end, parent, by_pid = _lanes(events)
    scale = width / (t_end - t0)
    marks = {"fork": "f", "forked": "r", "wait": ".", "woke": "r", "read": "r", "got": "r", "warm": "w", "manifest": "m", "summary": "s",
             "book": "b"}
    print(f"  0 ms{' ' * (width - 12)}{(t_end - t0) * 1000:6.0f} ms")
    for pid, evs in by_pid.items():
        if pid == parent:
            spans = [(t0, evs[0][1], "~")] + [(e[1], evs[k + 1][1] if k + 1 < len(evs) else t_end, marks.get(e[4], "-"))
                                             for k, e in enumerate(evs)]
        else:
            spans, n = [], 0
            for k, e in enumerate(evs):
                following = evs[k + 1][1] if k + 1 < len(evs) else e[1]
                if e[4] == "worker":
                    spans.append((e[1], following, "+"))
                elif e[4] == "book":
                    spans.append((e[1], following, "#="[n % 2]))
                    n += 1
        lane = [" "] * width
        for a, b, ch in spans:
            x0 = int((a - t0) * scale)
            for x in range(x0, min(width, max(int((b - t0) * scale), x0 + 1))):
                lane[x] = ch
        print(f"  |{''.join(lane)}| {'parent' if pid == parent else 'worker'}")
    print("  " + _said(timeline_gaps(events)))


def _said(gaps: dict[str, float]) -> str:
    return "; ".join(f"{k} {v:.0f}" if k.startswith("faults") else f"{k} {v * 1000:.0f} ms" for k, v in gaps.items())


def run_callgrind(src: Path, out: Path, jobs: int, env: dict | None, folder: Path) -> tuple[int, int]:
    """Instructions of one convert under callgrind: (the parent's, its workers' together)."""
    for f in folder.glob("cg.*"):
        f.unlink()
    env = {**(env or os.environ), "PYTHONHASHSEED": "0"}
    # a forked worker's counts start at zero (else each would count again what the parent did before the fork)
    child = subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={folder}/cg.%p",
                              "--zero-before=PyOS_AfterFork_Child", *PY,
                              "-c", RUN, str(src), "-o", str(out), "--jobs", str(jobs), "--force"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=CWD)
    child.wait()
    counts = {}
    for f in folder.glob("cg.*"):
        for line in f.read_text(errors="replace").splitlines():
            if line.startswith(("summary:", "totals:")):
                counts[int(f.name[3:])] = int(line.split()[1])
                break
    parent = counts.pop(child.pid)
    return parent, sum(counts.values())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--books", type=int, default=24)
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--before", help="another checkout's source folder, run interleaved (PYTHONPATH)")
    ap.add_argument("--callgrind", action="store_true", help="count instructions (valgrind) instead of timing")
    ap.add_argument("--fresh", action="store_true",
                    help="each run into a new output folder (a folder's first conversion: no output renamed over the "
                         "last run's); without it every run converts again over the same folder (--force)")
    ap.add_argument("--varied", action="store_true", help="books of 40 to 600 items instead of 77 each")
    ap.add_argument("--halves", action="store_true",
                    help="also two --jobs 1 processes at once over half the books each: the floor two cores give")
    ap.add_argument("--timeline", action="store_true",
                    help="record when each process does what; show the median run of each kind, and the gaps")
    args = ap.parse_args()
    trees = {"": None}
    if args.before:
        trees["before "] = {**os.environ, "PYTHONPATH": str(Path(args.before).resolve())}
    for env in trees.values():  # bytecode first, as pip install writes it
        package = Path(env["PYTHONPATH"]) / "xlbudget" if env else Path(xlbudget.__file__).parent
        compileall.compile_dir(str(package), quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        src = work / "books"
        src.mkdir()
        draw = random.Random(5)
        sizes = [draw.choice(VARIED) for _ in range(args.books)] if args.varied else [77] * args.books
        make_book(src / "book00.xlsx", sizes[0], seed=1)
        for n in range(1, args.books):
            if args.varied:
                make_book(src / f"book{n:02d}.xlsx", sizes[n], seed=n + 1)
            else:
                (src / f"book{n:02d}.xlsx").write_bytes((src / "book00.xlsx").read_bytes())
        halves = (work / "half0", work / "half1")
        if args.halves:  # the largest book first to the half with fewer items so far (12 and 12 of equal books)
            held = [0, 0]
            for half in halves:
                half.mkdir()
            for n in sorted(range(args.books), key=lambda n: -sizes[n]):
                k = held.index(min(held))
                held[k] += sizes[n]
                os.link(src / f"book{n:02d}.xlsx", halves[k] / f"book{n:02d}.xlsx")
        kinds = [(label, jobs, env) for label, env in trees.items() for jobs in (1, 2)]
        if args.callgrind:
            counts = {}
            for label, jobs, env in kinds:
                counts[label, jobs] = run_callgrind(src, work / "out", jobs, env, work)
                print(f"  {label}--jobs {jobs}: parent {counts[label, jobs][0] / 1e6:,.0f} M instructions, "
                      f"workers {counts[label, jobs][1] / 1e6:,.0f} M", flush=True)
            if args.halves:
                for label, env in trees.items():
                    counts[label, "halves"] = tuple(run_callgrind(half, work / f"out-{half.name}", 1, env, work)[0]
                                                    for half in halves)
                    print(f"  {label}halves: {' and '.join(f'{c / 1e6:,.0f} M' for c in counts[label, 'halves'])} "
                          "instructions", flush=True)
            for label in trees:
                t1 = sum(counts[label, 1])
                parent, workers = counts[label, 2]
                print(f"  {label or 'this '}checkout: instructions on two free cores {t1 / 1e6:,.0f} ÷ ({parent / 1e6:,.0f} "
                      f"+ {workers / 1e6:,.0f} / 2) = ×{t1 / (parent + workers / 2):.3f}")
                if args.halves:  # each half's process serial on its core: the larger bounds the pair
                    larger = max(counts[label, "halves"])
                    print(f"    the floor, two --jobs 1 over half the books each: {t1 / 1e6:,.0f} ÷ {larger / 1e6:,.0f} "
                          f"= ×{t1 / larger:.3f}; --jobs 2 takes ×{(parent + workers / 2) / larger:.3f} of it")
            return
        runs: dict[str, list[dict]] = {f"{label}--jobs {jobs}": [] for label, jobs, _ in kinds}
        if args.halves:
            kinds += [(label, 0, env) for label, env in trees.items()]  # 0: the halves
            floors: dict[str, list[dict]] = {label: [] for label in trees}
        for n in range(args.rounds):
            for label, jobs, env in (kinds if n % 2 else kinds[::-1]):
                if not jobs:
                    out = work / (f"out{len(floors[label])}-h{label.strip()}" if args.fresh else f"out-h{label.strip()}")
                    floors[label].append(run_halves(halves, out, env))
                    continue
                out = work / (f"out{len(runs[f'{label}--jobs {jobs}'])}-{jobs}{label.strip()}" if args.fresh else "out")
                runs[f"{label}--jobs {jobs}"].append(run(src, out, jobs, env,
                                                         work / "timeline" if args.timeline else None))
        print(f"{args.books} books of {'40-600' if args.varied else 77} items ({sum(sizes):,} in all), {args.rounds} "
              "rounds alternated; medians (CPU s; faults = minor page faults):")
        for name, rs in runs.items():
            med = {k: statistics.median(r[k] for r in rs) for k in rs[0] if k != "events"}
            print(f"  {name:>16}: wall {med['wall']:.3f} s; parent {med['parent']:.3f} (sys {med['parent_sys']:.3f}, "
                  f"faults {med['parent_faults']:.0f}); workers {med['workers']:.3f} (sys {med['workers_sys']:.3f}, "
                  f"faults {med['workers_faults']:.0f})")
        if args.timeline:
            for name, rs in runs.items():
                print(f"{name}: the run of median wall ('~' Python starting, '-' imports and the rest, 'w' warm-up, "
                      "'f' fork, '.' waiting, 'r' a result, 'b' a book, 'm' manifest, 's' 轉換摘要; workers: "
                      "'+' starting, '#'/'=' books); below it the medians of all its runs:")
                ordered = sorted(rs, key=lambda r: r["wall"])
                show_timeline(ordered[len(ordered) // 2]["events"])
                gaps = [timeline_gaps(r["events"]) for r in rs]
                print("  medians: " + _said({k: statistics.median(g[k] for g in gaps) for k in gaps[0]}))
        for label in trees:
            one, two = runs[f"{label}--jobs 1"], runs[f"{label}--jobs 2"]
            t1 = statistics.median(r["parent"] + r["workers"] for r in one)
            parent, workers = statistics.median(r["parent"] for r in two), statistics.median(r["workers"] for r in two)
            wall = statistics.median(r["wall"] for r in one) / statistics.median(r["wall"] for r in two)
            print(f"  {label or 'this '}checkout: CPU estimate on two free cores {t1:.3f} ÷ ({parent:.3f} + "
                  f"{workers:.3f} / 2) = ×{t1 / (parent + workers / 2):.2f}; wall ×{wall:.2f}")
            if args.halves:  # the same rounds' walls: each ratio of medians, and the quartiles of the rounds' own
                floor = floors[label]
                walls = {k: [r["wall"] for r in rs] for k, rs in (("1", one), ("2", two), ("h", floor))}
                fw = statistics.median(walls["h"])

                def spread(a: str, b: str) -> str:
                    q = statistics.quantiles([x / y for x, y in zip(walls[a], walls[b])], n=4)
                    return f"rounds' quartiles {q[0]:.2f}-{q[2]:.2f}"

                print(f"    the floor, two --jobs 1 at once over half the books each: wall {fw:.3f} s, CPU "
                      f"{statistics.median(r['cpu'] for r in floor):.3f}, ending "
                      f"{statistics.median(r['apart'] for r in floor) * 1000:.0f} ms apart (median; "
                      f"{max(r['apart'] for r in floor) * 1000:.0f} at most)")
                print(f"    --jobs 1 ÷ the floor ×{statistics.median(walls['1']) / fw:.2f} ({spread('1', 'h')}): what "
                      f"the machine gives two processes; --jobs 2 ÷ the floor {statistics.median(walls['2']) / fw:.3f} "
                      f"({spread('2', 'h')}); --jobs 1 ÷ --jobs 2 ({spread('1', '2')})")
            if args.timeline:  # the parent's CPU while both workers run is shared by the two cores, not serial
                beside = statistics.median(timeline_gaps(r["events"])["CPU with the workers"] for r in two)
                print(f"    with the parent's {beside:.3f} s beside the workers (forks, results) shared by the two "
                      f"cores: {t1:.3f} ÷ ({parent - beside:.3f} + ({workers:.3f} + {beside:.3f}) / 2) = "
                      f"×{t1 / (parent - beside + (workers + beside) / 2):.2f}")


if __name__ == "__main__":
    main()
