"""Wall time of the single-book commands against ``python -c "import openpyxl"`` (issue 13; not part of the test run).

    python bench/bench_startup.py [--rounds 7]

Runs build, check and export on the example book and the bare openpyxl import, alternating, each in a
fresh process, and prints each command's median wall time and its ratio to the import. Then lists
the slowest imports of each command (``python -X importtime``) and whether numpy or pandas was imported.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xlbudget.app.example import example_workbook


def wall(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, capture_output=True, check=False)
    return time.perf_counter() - start


def slowest_imports(args: list[str], n: int = 8) -> tuple[list[tuple[int, str]], bool]:
    """The modules with the most own import time (µs), and whether numpy or pandas was imported."""
    err = subprocess.run([args[0], "-X", "importtime", *args[1:]], capture_output=True, text=True).stderr
    rows = []
    for line in err.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+\d+ \|(\s*)(\S+)", line)
        if m:
            rows.append((int(m.group(1)), m.group(3)))
    heavy = any(name.split(".")[0] in ("numpy", "pandas") and us > 200 for us, name in rows)
    return sorted(rows, reverse=True)[:n], heavy


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "example.xlsx"
        example_workbook().save(book)
        built = Path(tmp) / "built.xlsx"
        subprocess.run([py, "-m", "xlbudget", "build", str(book), "-o", str(built)], capture_output=True, check=True)
        commands = {
            "import openpyxl": [py, "-c", "import openpyxl"],
            "build": [py, "-m", "xlbudget", "build", str(book), "-o", str(Path(tmp) / "out.xlsx")],
            "check": [py, "-m", "xlbudget", "check", str(built)],
            "export": [py, "-m", "xlbudget", "export", str(book), "--format", "json", "-o", str(Path(tmp) / "e.json")],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for n in range(args.rounds):
            order = list(commands) if n % 2 else list(reversed(commands))
            for name in order:
                times[name].append(wall(commands[name]))
        base = statistics.median(times["import openpyxl"])
        for name, runs in times.items():
            median = statistics.median(runs)
            print(f"{name:>16}: {median:.3f} s median of {len(runs)} (÷ import openpyxl = {median / base:.2f})")
        for name in ("build", "check", "export"):
            rows, heavy = slowest_imports(commands[name])
            print(f"{name}: numpy/pandas imported: {'yes' if heavy else 'no'}; slowest own import times: "
                  + ", ".join(f"{mod} {us / 1000:.1f} ms" for us, mod in rows))


if __name__ == "__main__":
    main()
