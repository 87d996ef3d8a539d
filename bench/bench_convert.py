"""Benchmark of `xlbudget convert` against its true floor (issue 13; not part of the test run).

    python bench/bench_convert.py [--sizes 77,300,2000,20000] [--cli-books 12] [--jobs-books 24]

The floor (bench/floor.py) is a python-calamine read of the input plus an XlsxWriter write of the
identical output book: the same cells, styles, merges, sizes and page setup as convert wrote. Every
ratio is measured with convert and floor alternating in one run, on the same books: ratios, not
absolute times, are what to compare on a shared machine. Prints convert ÷ floor in one process per
book size, the growth to the largest book and its peak memory, convert ÷ floor through the CLI on
seed-sized books (start-up included: the floor then runs in its own process too, `python -P bench/floor.py`,
paying the interpreter's start and calamine's and XlsxWriter's imports as any program writing those bytes
must), and --jobs 2 against --jobs 1.
"""

from __future__ import annotations

import argparse
import gc
import pickle
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from floor import _floor, floor_cpu, floor_once, snapshot

from xlbudget.core import codes
from xlbudget.app.convert import convert_one
from xlbudget.app.template import new_template

BRANCHES = ("行政業務", "資訊業務", "維運業務")  # one name per number: one name with two numbers is branch-conflict
LEVEL2 = [c for c in codes.object_codes().values() if c.level == 2 and c.code[0] in "1234"]


def make_book(path: Path, items: int, plans: int = 10, seed: int = 0) -> None:
    """A template book with ``items`` line items spread over ``plans`` work plans."""
    rnd = random.Random(seed)
    wb = new_template()
    info = wb["基本資料"]
    values = {"機關名稱": f"測試機關{seed}", "機關編號": f"02-{seed % 1000:03d}", "年度": 114, "主管機關": "測試市政府主管",
              "職能別": "01"}
    for row in info.iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    ws = wb["歲出明細"]
    for n in range(items):
        plan = f"3202{seed % 1000:03d}{(n % plans) // 5 + 1:02d}{n % plans % 5 + 1:02d}"
        code = rnd.choice(LEVEL2)
        qty, price = rnd.randint(1, 24), rnd.randint(1, 500) * 100
        ws.append([plan, f"業務{plan[7:9]}-工作{plan[9:]}", f"0{n % 3 + 1}{BRANCHES[n % 3]}", code.code, "式", qty, price, qty * price,
                   0, None, "資訊軟體" if code.code == "3030" else None, f"第{n}項說明文字，用於測試轉換速度。"])
    prior = wb["以前年度"]
    for p in sorted({f"3202{seed % 1000:03d}{(n % plans) // 5 + 1:02d}{n % plans % 5 + 1:02d}" for n in range(items)}):
        prior.append([p, "", rnd.randint(1000, 9000), rnd.randint(1000, 9000)])
    wb.save(path)


def _timed(fn, *args) -> float:
    """CPU seconds of ``fn(*args)`` and of collecting the cyclic garbage it left (each side pays for its own).

    Both convert_one and the floor pause the collector for a book; the collection that follows (about 1.2 ms
    at 77 items, the same for both: XlsxWriter's workbook) used to fall on whichever ran next, a convert's on
    the floor's round and the other way about: ±3 ms on a 35–45 ms book, most of the small books' spread.
    Now the garbage left before is collected untimed, and each timed round ends with the collection of its own.
    """
    gc.collect()
    start = time.process_time()
    fn(*args)
    gc.collect(0)
    return time.process_time() - start


def ratio_in_process(book: Path, work: Path, rounds: int) -> tuple[float, float, float]:
    """convert and the floor alternating on one book in this process: CPU seconds per round of each, and the
    median of the rounds' own ratios (a round slowed by a neighbour on the machine weighs no more than one)."""
    out, floor_out = work / f"{book.stem}-out.xlsx", work / f"{book.stem}-floor.xlsx"
    convert_one(str(book), str(out))  # warm: imports, the stored looks, the code tables
    sheets = snapshot(out)
    floor_cpu(book, sheets, floor_out)
    converts, floors = [], []
    for n in range(rounds):
        for first in ((0, 1) if n % 2 else (1, 0)):
            if first:
                converts.append(_timed(convert_one, str(book), str(out)))
            else:
                floors.append(_timed(_floor, book, sheets, floor_out))
    return sum(converts) / rounds, sum(floors) / rounds, statistics.median(c / f for c, f in zip(converts, floors))


def peak_rss_mb(args: list[str]) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one conversion in a fresh process.

    The peak is the process's own VmHWM: ru_maxrss survives exec, so a child of this (large) process
    would report the parent's size.
    """
    code = ("import re,sys,time;from xlbudget.app.convert import convert_one;t=time.perf_counter();"
            "r=convert_one(sys.argv[1],sys.argv[2]);"
            "hwm=int(re.search(r'VmHWM:\\s+(\\d+)',open('/proc/self/status').read()).group(1));"
            "print(time.perf_counter()-t, hwm/1024, r.status)")
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1])


def cli_seconds(src: Path, out: Path, jobs: int) -> float:
    """Wall seconds of ``xlbudget convert src -o out --jobs N --force`` (start-up included)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "xlbudget", "convert", str(src), "-o", str(out), "--jobs", str(jobs),
                           "--force"], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1: every book converted, some with errors found (the book's own)
        sys.exit(f"convert did not convert every book (exit {done.returncode}): no figures\n{done.stderr[-2000:]}")
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="77,300,2000,20000", help="items per book for the in-process ratio")
    ap.add_argument("--cli-books", type=int, default=12, help="seed-sized books for the CLI ratio")
    ap.add_argument("--jobs-books", type=int, default=24, help="books for --jobs 2 against --jobs 1")
    ap.add_argument("--rounds", type=int, default=40, help="at most, a size (12,000 ÷ items)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sizes = [int(s) for s in args.sizes.split(",")]
        print("convert ÷ floor in one process, alternating (CPU s per book; floor = calamine read of the input "
              "+ XlsxWriter write of the identical output book):")
        per_item = {}
        for items in sizes:
            book = work / f"items{items}.xlsx"
            make_book(book, items, seed=items % 997)
            # about 3–6 s of rounds a size, three at least (one round of a big book is noise): a small book's
            # rounds are short, and six of them (before) left its ratio ±0.1 from run to run
            rounds = max(3, min(args.rounds, 12_000 // items))
            c, f, median = ratio_in_process(book, work, rounds)
            per_item[items] = c
            print(f"  {items:>6,} items: convert {c:.3f} s, floor {f:.3f} s → convert ÷ floor = {c / f:.2f} "
                  f"({rounds} rounds; median of the rounds' ratios {median:.2f})")
        if len(sizes) > 1:
            lo, hi = sizes[0], sizes[-1]
            print(f"  growth {lo:,} → {hi:,} items: time ×{per_item[hi] / per_item[lo]:.1f} for ×{hi / lo:.0f} items")
            seconds, peak = peak_rss_mb([str(work / f"items{hi}.xlsx"), str(work / "rss-out.xlsx")])
            print(f"  {hi:,} items in a fresh process: {seconds:.2f} s, peak RSS {peak:.0f} MB")

        if not (args.cli_books or args.jobs_books):
            return  # --cli-books 0 --jobs-books 0: the in-process ratios only
        # bytecode first, as pip install writes it: with PYTHONDONTWRITEBYTECODE an editable checkout would
        # compile every xlbudget module in every CLI run (and in no floor run)
        import compileall

        import xlbudget

        compileall.compile_dir(str(Path(xlbudget.__file__).parent), quiet=1)
        # through the CLI: start-up, discovery, manifest and summary included, one worker
        src = work / "cli-books"
        src.mkdir()
        make_book(src / "book00.xlsx", 77, seed=1)
        for n in range(1, max(args.cli_books, args.jobs_books)):
            (src / f"book{n:02d}.xlsx").write_bytes((src / "book00.xlsx").read_bytes())
        if args.cli_books:
            few = work / "cli-few"
            few.mkdir()
            for p in sorted(src.glob("*.xlsx"))[: args.cli_books]:
                (few / p.name).write_bytes(p.read_bytes())
            convert_one(str(src / "book00.xlsx"), str(work / "cli-one.xlsx"))
            sheets = snapshot(work / "cli-one.xlsx")
            snap = work / "cli-one.pickle"
            snap.write_bytes(pickle.dumps(sheets))
            books = [str(p) for p in sorted(few.glob("*.xlsx"))]
            cli = floor = inside = 0.0
            for n in range(3):
                for first in ((0, 1, 2) if n % 2 else (2, 1, 0)):
                    if first == 0:
                        cli += cli_seconds(few, work / "cli-out", 1)
                    elif first == 1:  # the command line's floor: its own process, from the interpreter's start
                        start = time.perf_counter()
                        subprocess.run([sys.executable, "-P", str(Path(__file__).with_name("floor.py")), str(snap),
                                        str(work / "cli-floor.xlsx"), *books], check=True)
                        floor += time.perf_counter() - start
                    else:  # the same books inside this process, everything imported (no start-up): for reference
                        start = time.perf_counter()
                        for p in books:
                            floor_once(p, sheets, work / "cli-floor.xlsx")
                        inside += time.perf_counter() - start
            print(f"CLI, {args.cli_books} books of 77 items, --jobs 1, wall: convert {cli / 3:.2f} s, floor {floor / 3:.2f} s "
                  f"in its own process (interpreter, calamine and XlsxWriter imports, the books) → CLI ÷ floor = "
                  f"{cli / floor:.2f}; the floor's books alone in this process {inside / 3:.2f} s (÷ {cli / inside:.2f})")

        if args.jobs_books:
            one = two = 0.0
            cpu_one, cpu_parent, cpu_workers = [], [], []
            for n in range(2):
                for first in ((0, 1) if n % 2 else (1, 0)):
                    if first:
                        one += cli_seconds(src, work / "jobs-out", 1)
                        cpu_one.append(sum(cli_cpu(src, work / "jobs-out", 1)))
                    else:
                        two += cli_seconds(src, work / "jobs-out", 2)
                        parent, workers = cli_cpu(src, work / "jobs-out", 2)
                        cpu_parent.append(parent)
                        cpu_workers.append(workers)
            print(f"CLI, {args.jobs_books} books: --jobs 1 {one / 2:.2f} s, --jobs 2 {two / 2:.2f} s → speed-up ×{one / two:.2f} "
                  f"(wall, 2 cores shared with whatever else runs)")
            t1, parent, workers = min(cpu_one), min(cpu_parent), min(cpu_workers)
            print(f"  CPU: --jobs 1 {t1:.2f} s; --jobs 2 parent {parent:.2f} s (start-up, imports, summary) + "
                  f"workers {workers:.2f} s → on two free cores {t1:.2f} ÷ ({parent:.2f} + {workers:.2f} / 2) = "
                  f"×{t1 / (parent + workers / 2):.2f}")


CPU_OF_CONVERT = """import resource, sys
from xlbudget.cli import main
main(["convert", *sys.argv[1:]])
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime)
"""


def cli_cpu(src: Path, out: Path, jobs: int) -> tuple[float, float]:
    """CPU seconds of ``xlbudget convert src -o out --jobs N --force``: (the parent's, its workers' together).

    On this machine the scheduler shares CPU per session (autogroup), so a session's second worker adds no
    CPU while others run: what two free cores would give is computed from these, not timed."""
    done = subprocess.run([sys.executable, "-c", CPU_OF_CONVERT, str(src), "-o", str(out), "--jobs", str(jobs),
                           "--force"], capture_output=True, text=True)
    parent, workers = map(float, done.stdout.split()[-2:])
    return parent, workers

if __name__ == "__main__":
    main()
