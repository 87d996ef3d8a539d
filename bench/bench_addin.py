"""Benchmark the Excel entry points through xlwings' own Office.js dispatch (not part of the test run).

    python bench/bench_addin.py

Times 10,000 XLB_THOUSANDS calls, one XLB_SCHEDULE over a 5,000-item 歲出明細
range, and the 產生報表 button on the example book, the way xlwings Lite and
xlwings Server call them (custom_functions_call / custom_scripts_call).
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("XLWINGS_ON_SERVER", "true")
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import xlwings as xw  # noqa: E402
from xlwings.server import custom_functions_call, custom_scripts_call  # noqa: E402
from xlwings_json import book_json  # noqa: E402

import xlbudget.addin as addin  # noqa: E402
from xlbudget.app.example import example_workbook  # noqa: E402
from xlbudget.forms.inputs import SHEET_EXPENSES  # noqa: E402


def payload(func_name: str, *args) -> dict:
    return {"func_name": func_name, "args": [a if isinstance(a, list) else [[a]] for a in args],
            "caller_address": "Sheet1!A1", "version": xw.__version__, "client": "Office.js",
            "runtime": "1.4", "culture_info_name": "zh-TW", "date_format": None}


def items_range(n: int) -> list[list]:
    """An 歲出明細 range of ``n`` items (the seed's lines repeated), numbers as floats like Excel sends them."""
    rows = [list(r) for r in example_workbook()[SHEET_EXPENSES].iter_rows(values_only=True)]
    header, data = rows[0], [r for r in rows[1:] if any(v not in (None, "") for v in r)]
    body = [[float(v) if isinstance(v, int) else v for v in data[i % len(data)]] for i in range(n)]
    return [header] + body


async def bench_thousands(n: int, name: str = "xlb_thousands", module=addin) -> float:
    start = time.perf_counter()
    for i in range(n):
        await custom_functions_call(payload(name, float(i * 500)), module)
    return time.perf_counter() - start


def identity_module():
    """A module with one cell function that returns its argument: what xlwings' dispatch alone costs."""
    import types

    module = types.ModuleType("identity_udf")

    @xw.func
    @xw.arg("x", ndim=2)
    def identity(x):
        return x

    module.identity = identity
    return module


async def bench_schedule(items) -> tuple[float, int]:
    start = time.perf_counter()
    result = await custom_functions_call(payload("xlb_schedule", items, "各項費用彙計表", None), addin)
    return time.perf_counter() - start, len(result)


async def bench_build(data: dict) -> tuple[float, int]:
    book = xw.Book(json=json.loads(json.dumps(data)))
    start = time.perf_counter()
    book = await custom_scripts_call(addin, "build_schedules", typehint_to_value={xw.Book: book})
    elapsed = time.perf_counter() - start
    return elapsed, len(book.json()["actions"])


def main() -> None:
    n = 10_000
    plain = identity_module()
    thousands, identity = [], []
    for _ in range(3):  # alternated: the machine is shared
        thousands.append(asyncio.run(bench_thousands(n)))
        identity.append(asyncio.run(bench_thousands(n, "identity", plain)))
    seconds, floor = min(thousands), min(identity)
    print(f"XLB_THOUSANDS × {n:,}: {seconds:.3f} s ({seconds / n * 1e6:.1f} µs per call); f(x) = x through the same "
          f"dispatch {floor / n * 1e6:.1f} µs per call: the dispatch is {floor / seconds:.0%} of a call")

    items = items_range(5_000)
    runs = [asyncio.run(bench_schedule(items)) for _ in range(3)]
    best = min(r[0] for r in runs)
    print(f"XLB_SCHEDULE(5,000 items, 各項費用彙計表): best of 3 {best:.3f} s, "
          f"median {statistics.median(r[0] for r in runs):.3f} s, {runs[0][1]} rows spilled")

    data = book_json(example_workbook(), "範例.xlsx")
    builds = [asyncio.run(bench_build(data)) for _ in range(3)]
    print(f"產生報表 (build_schedules) on the example book: best of 3 {min(b[0] for b in builds):.3f} s, "
          f"{builds[0][1]} actions sent back to Excel")


if __name__ == "__main__":
    main()
