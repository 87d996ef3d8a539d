"""CPU time of the range cell functions given whole columns (=XLB_ROLLUP(歲出明細!A:O, …)), as officers type them to
cover lines still to come (field report 7 §4, f14). Not part of the test run.

    python bench/bench_whole_columns.py [repeats]

The bundled 高雄 example's 歲出明細 (78 rows × 15 columns, as A1:O78) and the same rows padded with empty ones to
Excel's 1,048,576 (as A:O), each function called on both, alternated, ``repeats`` times; the median CPU seconds
(``time.process_time``) of each. Python's share only: xlwings moving 15.7 million cells comes on top.
"""

from __future__ import annotations

import statistics
import sys
import time

from xlbudget.addin import functions as F
from xlbudget.app.example import example_workbook
from xlbudget.forms.inputs import SHEET_EXPENSES

EXCEL_ROWS = 1_048_576


def main(repeats: int = 5) -> None:
    rows = [list(r) for r in example_workbook()[SHEET_EXPENSES].iter_rows(values_only=True)]
    whole = rows + [[None] * len(rows[0]) for _ in range(EXCEL_ROWS - len(rows))]
    calls = {"XLB_ROLLUP(…, 2000, \"全部\")": lambda r: F.xlb_rollup(r, 2000, "全部"),
             "XLB_CHECK(…)": F.xlb_check,
             "XLB_SCHEDULE(…, \"彙計表\")": lambda r: F.xlb_schedule(r, "彙計表")}
    for name, call in calls.items():
        times: dict[str, list[float]] = {"A1:O78": [], "A:O": []}
        for _ in range(repeats):
            for label, grid in (("A1:O78", rows), ("A:O", whole)):
                start = time.process_time()
                call(grid)
                times[label].append(time.process_time() - start)
        bounded, columns = (statistics.median(times[k]) for k in ("A1:O78", "A:O"))
        print(f"{name:28} A1:O78 {bounded * 1000:8.1f} ms   A:O {columns * 1000:8.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
