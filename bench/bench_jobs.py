"""`xlbudget convert --jobs 2` against `--jobs 1` on seed-sized books, by CPU accounting (issue 13; not a test).

    python bench/bench_jobs.py [--books 24] [--rounds 6] [--before SRC] [--callgrind]

Each run is a fresh ``xlbudget convert BOOKS -o OUT --jobs N --force`` whose parent reports its own CPU
(getrusage SELF: start-up, discovery, handing out, results, summary) and its workers' (getrusage CHILDREN),
user and system apart, with its minor page faults. Runs alternate (--jobs 1, --jobs 2, and with ``--before SRC``
another checkout's, PYTHONPATH=SRC, interleaved), so the machine's other load falls on all alike. Printed: median
wall per kind, and the speed-up two free cores would give, from CPU: jobs-1 ÷ (parent + workers / 2), with
the parent's CPU taken as serial (on two cores it runs beside the workers only by taking from them).

``--callgrind``: each kind once under ``valgrind --tool=callgrind`` (PYTHONHASHSEED=0) instead, counting the
instructions of the parent and of each worker (one output file a process): the same estimate in instructions,
which the machine's load does not disturb (system time, page faults and cache misses are not in it).
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_convert import make_book

import xlbudget

CWD = tempfile.gettempdir()  # not a checkout: "-c" puts the working folder first on sys.path
RUN = """import resource, sys
from xlbudget.cli import main
code = main(["convert", *sys.argv[1:]])
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(code, me.ru_utime, me.ru_stime, me.ru_minflt, kids.ru_utime, kids.ru_stime, kids.ru_minflt)
"""


def run(src: Path, out: Path, jobs: int, env: dict | None) -> dict:
    """One fresh convert: wall, and the parent's and workers' CPU (s) and minor faults."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", RUN, str(src), "-o", str(out), "--jobs", str(jobs), "--force"],
                          capture_output=True, text=True, env=env, cwd=CWD)
    wall = time.perf_counter() - start
    fields = done.stdout.split()[-7:]
    if done.returncode != 0 or fields[0] != "0":
        sys.exit(f"convert did not convert every book (exit {done.returncode}): no figures\n{done.stderr[-2000:]}")
    pu, ps, pf, wu, ws, wf = map(float, fields[1:])
    return {"wall": wall, "parent": pu + ps, "parent_sys": ps, "parent_faults": pf, "workers": wu + ws,
            "workers_sys": ws, "workers_faults": wf}


def run_callgrind(src: Path, out: Path, jobs: int, env: dict | None, folder: Path) -> tuple[int, int]:
    """Instructions of one convert under callgrind: (the parent's, its workers' together)."""
    for f in folder.glob("cg.*"):
        f.unlink()
    env = {**(env or os.environ), "PYTHONHASHSEED": "0"}
    # a forked worker's counts start at zero (else each would count again what the parent did before the fork)
    child = subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={folder}/cg.%p",
                              "--zero-before=PyOS_AfterFork_Child", sys.executable,
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
        make_book(src / "book00.xlsx", 77, seed=1)
        for n in range(1, args.books):
            (src / f"book{n:02d}.xlsx").write_bytes((src / "book00.xlsx").read_bytes())
        kinds = [(label, jobs, env) for label, env in trees.items() for jobs in (1, 2)]
        if args.callgrind:
            counts = {}
            for label, jobs, env in kinds:
                counts[label, jobs] = run_callgrind(src, work / "out", jobs, env, work)
                print(f"  {label}--jobs {jobs}: parent {counts[label, jobs][0] / 1e6:,.0f} M instructions, "
                      f"workers {counts[label, jobs][1] / 1e6:,.0f} M", flush=True)
            for label in trees:
                t1 = sum(counts[label, 1])
                parent, workers = counts[label, 2]
                print(f"  {label or 'this '}checkout: instructions on two free cores {t1 / 1e6:,.0f} ÷ ({parent / 1e6:,.0f} "
                      f"+ {workers / 1e6:,.0f} / 2) = ×{t1 / (parent + workers / 2):.3f}")
            return
        runs: dict[str, list[dict]] = {f"{label}--jobs {jobs}": [] for label, jobs, _ in kinds}
        for n in range(args.rounds):
            for label, jobs, env in (kinds if n % 2 else kinds[::-1]):
                runs[f"{label}--jobs {jobs}"].append(run(src, work / "out", jobs, env))
        print(f"{args.books} books of 77 items, {args.rounds} rounds alternated; medians (CPU s; faults = minor page faults):")
        for name, rs in runs.items():
            med = {k: statistics.median(r[k] for r in rs) for k in rs[0]}
            print(f"  {name:>16}: wall {med['wall']:.3f} s; parent {med['parent']:.3f} (sys {med['parent_sys']:.3f}, "
                  f"faults {med['parent_faults']:.0f}); workers {med['workers']:.3f} (sys {med['workers_sys']:.3f}, "
                  f"faults {med['workers_faults']:.0f})")
        for label in trees:
            one, two = runs[f"{label}--jobs 1"], runs[f"{label}--jobs 2"]
            t1 = statistics.median(r["parent"] + r["workers"] for r in one)
            parent, workers = statistics.median(r["parent"] for r in two), statistics.median(r["workers"] for r in two)
            wall = statistics.median(r["wall"] for r in one) / statistics.median(r["wall"] for r in two)
            print(f"  {label or 'this '}checkout: CPU estimate on two free cores {t1:.3f} ÷ ({parent:.3f} + "
                  f"{workers:.3f} / 2) = ×{t1 / (parent + workers / 2):.2f}; wall ×{wall:.2f}")


if __name__ == "__main__":
    main()
