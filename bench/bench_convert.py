"""Benchmark of `xlbudget convert` (not part of the test run).

    python bench/bench_convert.py [--books 200] [--jobs 2] [--big 20000]

Generates N synthetic template books of realistic size (10 plans, 300 items)
and one of 20,000 items, converts them, and prints books per minute, seconds
per book, peak memory per worker and — in the same run, on the same books — a
plain openpyxl load + save of each book, the floor. Ratios, not absolute
times, are what to compare on a shared machine.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import openpyxl

from xlbudget.core import codes
from xlbudget.app.convert import convert_paths
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


def floor_one(path: str) -> float:
    """A plain openpyxl load + save: the least any converter that keeps the format must do."""
    start = time.perf_counter()
    wb = openpyxl.load_workbook(path)
    wb.save(path + ".floor.xlsx")
    return time.perf_counter() - start


def peak_rss_mb(args: list[str]) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one conversion in a fresh process."""
    code = ("import resource,sys,time;from xlbudget.app.convert import convert_one;t=time.perf_counter();"
            "r=convert_one(sys.argv[1],sys.argv[2]);"
            "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024, r.status)")
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--books", type=int, default=200)
    ap.add_argument("--items", type=int, default=300)
    ap.add_argument("--big", type=int, default=20_000)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "books"
        src.mkdir()
        t = time.perf_counter()
        make_book(src / "book0000.xlsx", args.items, seed=0)
        for n in range(1, args.books):  # the same size and shape; copies keep generation out of the timing
            (src / f"book{n:04d}.xlsx").write_bytes((src / "book0000.xlsx").read_bytes())
        print(f"generated {args.books} books of {args.items} items in {time.perf_counter() - t:.1f} s")

        floor_dir = Path(tmp) / "floor"
        floor_dir.mkdir()
        copies = []
        for p in sorted(src.glob("*.xlsx")):
            q = floor_dir / p.name
            q.write_bytes(p.read_bytes())
            copies.append(str(q))
        t = time.perf_counter()
        with ProcessPoolExecutor(args.jobs) as pool:
            list(pool.map(floor_one, copies, chunksize=4))
        floor = time.perf_counter() - t

        t = time.perf_counter()
        code, results = convert_paths([str(src)], str(Path(tmp) / "out"), jobs=args.jobs, stream=open("/dev/null", "w"))
        convert = time.perf_counter() - t
        peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        statuses = {r.status for r in results}
        print(f"convert: {args.books} books in {convert:.1f} s with {args.jobs} workers → "
              f"{args.books / convert * 60:.0f} books/min, {convert / args.books:.3f} s/book (wall), "
              f"status {statuses}, exit {code}")
        if code != 0:  # a ratio over books convert refused measures nothing: stop rather than print it
            sys.exit(f"convert did not convert every book (exit {code}, {statuses}): no figures")
        print(f"floor (openpyxl load + save, same books, same workers): {floor:.1f} s → "
              f"{floor / args.books:.3f} s/book; convert ÷ floor = {convert / floor:.2f}")
        print(f"1,000 books at this rate: {1000 * convert / args.books / 60:.1f} min")
        print(f"peak RSS of any worker process so far: {peak_children:.0f} MB")

        # the same ratio in one process, convert and floor alternating book by book, in CPU seconds:
        # less at the mercy of what else the shared machine does between the two timed phases above
        from xlbudget.app.convert import convert_one

        books = sorted(src.glob("*.xlsx"))[:40]
        cpu_convert = cpu_floor = 0.0
        for n, p in enumerate(books):
            for first in ((0, 1) if n % 2 else (1, 0)):
                t = time.process_time()
                if first:
                    convert_one(str(p), str(Path(tmp) / "cpu-out.xlsx"))
                    cpu_convert += time.process_time() - t
                else:
                    floor_one(str(p))
                    cpu_floor += time.process_time() - t
        print(f"one process, alternating, {len(books)} books: convert {cpu_convert / len(books):.3f} CPU-s/book, "
              f"floor {cpu_floor / len(books):.3f} → convert ÷ floor = {cpu_convert / cpu_floor:.2f}")

        small, big = Path(tmp) / "small.xlsx", Path(tmp) / "big.xlsx"
        make_book(small, args.items, seed=1)
        make_book(big, args.big, plans=10, seed=2)
        s_time, s_mem = peak_rss_mb([str(small), str(Path(tmp) / "small-out.xlsx")])
        b_time, b_mem = peak_rss_mb([str(big), str(Path(tmp) / "big-out.xlsx")])
        b_floor = floor_one(str(big))
        print(f"one book, fresh process: {args.items} items {s_time:.2f} s / {s_mem:.0f} MB peak; "
              f"{args.big:,} items {b_time:.2f} s / {b_mem:.0f} MB peak (floor {b_floor:.2f} s)")
        print(f"time growth {args.items} → {args.big:,} items: ×{b_time / s_time:.1f} for ×{args.big / args.items:.1f} items")


if __name__ == "__main__":
    main()
