"""export and compare of a big built book, fresh and edited after build, CPU time, one tree against another.

    python bench/bench_stale.py [OTHER_TREE] [ITEMS] [ROUNDS]

A template book of ITEMS (20,000) lines is built (build -o), and a copy has one 歲出明細 line +1,000 元 (its tables
now stale, app.check.stale_on_disk). ``export`` of each and ``compare`` of the two, by this tree and by OTHER_TREE
(default /work/main), interleaved: each command's user + system CPU time (os.wait4), the median of ROUNDS (3) runs.
What the stale test costs: a fresh book, each recorded table's record against the table the inputs give (no sheet
read); a stale one, the table sheets that differ read and compared too.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE / "bench"))


def main() -> None:
    import openpyxl

    from bench_convert import make_book
    from bench_marks import cpu

    other = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/main")
    items = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    work = Path(tempfile.mkdtemp(prefix="bench_stale"))
    source, fresh, stale = work / "輸入.xlsx", work / "fresh.xlsx", work / "stale.xlsx"
    make_book(source, items)
    cpu(HERE, ["build", str(source), "-o", str(fresh), "--force"])
    wb = openpyxl.load_workbook(fresh)
    ws = wb["歲出明細"]
    ws.cell(2, 7).value = None  # 單價 blank: 預算數 alone is the line's figure
    ws.cell(2, 8).value += 1000
    wb.save(stale)
    steps = {"export fresh": ["export", str(fresh), "-o", str(work / "x.json"), "--force"],
             "export stale": ["export", str(stale), "-o", str(work / "x.json"), "--force"],
             "compare fresh stale": ["compare", str(fresh), str(stale), "-o", str(work / "c.txt"), "--force"]}
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(rounds):
        for name, tree in (("this", HERE), ("other", other)):
            for step, args in steps.items():
                times.setdefault((name, step), []).append(cpu(tree, args))
    for step in steps:
        this, that = (statistics.median(times[n, step]) for n in ("this", "other"))
        print(f"{step} ({items:,} items): this {this:.2f} s CPU, {other} {that:.2f} s ({this / that:.2f}×)")


if __name__ == "__main__":
    main()
