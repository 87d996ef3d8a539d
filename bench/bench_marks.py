"""check --mark and check --clear of a big book, CPU time, one tree against another (not part of the test run).

    python bench/bench_marks.py [OTHER_TREE] [ITEMS] [ROUNDS]

A template book of ITEMS (20,000) lines, one line in ten with 預算數 ≠ 數量 × 單價 (three cells marked each), is
marked (-o) and the marked book cleared (-o), by this tree and by OTHER_TREE (default /work/main), interleaved:
each command's user + system CPU time (os.wait4) as the median of ROUNDS (3) runs, and their ratio.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE / "bench"))


def cpu(tree: Path, args: list[str]) -> float:
    env = dict(os.environ, PYTHONPATH=str(tree), PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.Popen([sys.executable, "-m", "xlbudget", *args], env=env, cwd=tempfile.gettempdir(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{tree}: xlbudget {' '.join(args)} exited {os.waitstatus_to_exitcode(status)}")
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    import openpyxl

    from bench_convert import make_book

    other = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/main")
    items = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    work = Path(tempfile.mkdtemp(prefix="bench_marks"))
    book = work / "書.xlsx"
    make_book(book, items)
    wb = openpyxl.load_workbook(book)
    ws = wb["歲出明細"]
    for row in range(2, items + 2, 10):
        ws.cell(row, 8).value += 1
    wb.save(book)
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(rounds):
        for name, tree in (("this", HERE), ("other", other)):
            marked = work / f"{name}-標示.xlsx"
            times.setdefault((name, "mark"), []).append(cpu(tree, ["check", str(book), "--mark", "-o", str(marked), "--force"]))
            times.setdefault((name, "clear"), []).append(
                cpu(tree, ["check", str(marked), "--clear", "-o", str(work / f"{name}-清除.xlsx"), "--force"]))
    for step in ("mark", "clear"):
        this, that = (statistics.median(times[n, step]) for n in ("this", "other"))
        print(f"check --{step} of {items:,} items: this {this:.2f} s CPU, {other} {that:.2f} s ({this / that:.2f}×)")


if __name__ == "__main__":
    main()
