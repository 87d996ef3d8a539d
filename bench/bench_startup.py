"""Wall time of the single-book commands against ``python -c "import openpyxl"`` (issue 13; not part of the test run).

    python bench/bench_startup.py [--rounds 9] [--before SRC]

Runs build, check and export on the example book, the bare openpyxl import and build's own floor, alternating,
each in a fresh process, and prints each one's median wall time and its ratio to the import. Then lists each
command's slowest imports (``python -X importtime``) and whether openpyxl, numpy or pandas was imported.

- Bytecode is compiled first (``compileall``), as ``pip install`` does: with PYTHONDONTWRITEBYTECODE set, an
  editable checkout would otherwise compile every xlbudget module on every run (about 0.1 s, and none of
  openpyxl's, whose bytecode was written at install).
- build's floor: ``import openpyxl``, a load of the same input book and a save of the book build writes (loaded
  beforehand, untimed), in one fresh process: build edits the officer's book in place with openpyxl, so it
  cannot cost less than that.
- ``--before SRC``: also run another checkout's commands (PYTHONPATH=SRC), interleaved, for before/after.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import xlbudget
from xlbudget.app.example import example_workbook

CWD = tempfile.gettempdir()  # not the checkout: "-m xlbudget" would find ./xlbudget before PYTHONPATH's
FLOOR = """import sys, time
start = time.perf_counter()
import openpyxl
openpyxl.load_workbook(sys.argv[1])
wall, cpu = time.perf_counter(), time.process_time()
built = openpyxl.load_workbook(sys.argv[2])
print(time.perf_counter() - wall, time.process_time() - cpu)
built.save(sys.argv[3])
"""


def run(args: list[str], env: dict | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of one fresh process; CPU (user + system) is what the machine's other load
    disturbs least."""
    start = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=CWD)
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = 0
    if status:  # a refused command (an output that exists, an option an older checkout lacks) is no figure
        sys.exit(f"{' '.join(args[1:3] if args[1] == '-m' else args[1:2])} {' '.join(args[3:5])} exited with status "
                 f"{status >> 8}: no figures")
    seconds, cpu = time.perf_counter() - start, usage.ru_utime + usage.ru_stime
    if args[1:3] == ["-c", FLOOR]:  # the load of the built book is not build's work
        untimed_wall, untimed_cpu = map(float, out.split()[-2:])
        seconds, cpu = seconds - untimed_wall, cpu - untimed_cpu
    return seconds, cpu


WATCH = """import atexit, runpy, sys
sys.argv = ["xlbudget", *sys.argv[1:]]
atexit.register(lambda: print("loaded:" + ",".join(m for m in ("openpyxl", "numpy", "pandas", "python_calamine")
                                                   if m in sys.modules)))  # at exit: build, check, export end by cli._leave
try:
    runpy.run_module("xlbudget", run_name="__main__")
except SystemExit:
    pass
"""


def imports(args: list[str], env: dict | None = None, n: int = 8) -> tuple[list[tuple[int, str]], str]:
    """The modules with the most own import time (µs), and which of openpyxl, numpy, pandas, python_calamine
    were loaded (in sys.modules at the end: ``-X importtime`` also lists an import that failed, as openpyxl's
    try of numpy)."""
    done = subprocess.run([args[0], "-X", "importtime", "-c", WATCH, *args[3:]], capture_output=True, text=True,
                          env=env, cwd=CWD)
    rows = []
    for line in done.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+\d+ \|(\s*)(\S+)", line)
        if m:
            rows.append((int(m.group(1)), m.group(3)))
    loaded = done.stdout.strip().splitlines()[-1].removeprefix("loaded:")
    return sorted(rows, reverse=True)[:n], loaded


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--before", help="another checkout's source folder, run interleaved (PYTHONPATH)")
    args = ap.parse_args()
    py = sys.executable
    trees = {"": None}
    if args.before:
        trees["before: "] = {**os.environ, "PYTHONPATH": str(Path(args.before).resolve())}
    for env in trees.values():
        package = Path(env["PYTHONPATH"]) / "xlbudget" if env else Path(xlbudget.__file__).parent
        compileall.compile_dir(str(package), quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "example.xlsx"
        example_workbook().save(book)
        built = Path(tmp) / "built.xlsx"
        subprocess.run([py, "-m", "xlbudget", "build", str(book), "-o", str(built)], capture_output=True, check=True,
                       cwd=CWD)
        commands: dict[str, tuple[list[str], dict | None]] = {
            "import openpyxl": ([py, "-c", "import openpyxl"], None),
            "build floor": ([py, "-c", FLOOR, str(book), str(built), str(Path(tmp) / "floor.xlsx")], None)}
        for label, env in trees.items():
            commands[label + "build"] = ([py, "-m", "xlbudget", "build", str(book), "-o", str(Path(tmp) / "out.xlsx")],
                                         env)
            commands[label + "check"] = ([py, "-m", "xlbudget", "check", str(built)], env)
            commands[label + "export"] = ([py, "-m", "xlbudget", "export", str(book), "--format", "json", "-o",
                                           str(Path(tmp) / "e.json")], env)
        outputs = (Path(tmp) / "out.xlsx", Path(tmp) / "e.json")  # removed before each run: an output is never replaced

        def fresh() -> None:
            for path in outputs:
                path.unlink(missing_ok=True)

        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for n in range(args.rounds):
            order = list(commands) if n % 2 else list(reversed(commands))
            for name in order:
                fresh()
                times[name].append(run(*commands[name]))
        print(f"median of {args.rounds} fresh processes each, alternated; wall s and CPU s (user + system):")
        for kind, k in (("wall", 0), ("CPU", 1)):
            base = statistics.median(t[k] for t in times["import openpyxl"])
            floor = statistics.median(t[k] for t in times["build floor"])
            for name, runs in times.items():
                median = statistics.median(t[k] for t in runs)
                extra = f", ÷ build floor = {median / floor:.2f}" if name.endswith("build") else ""
                print(f"{kind:>4} {name:>16}: {median:.3f} s (÷ import openpyxl = {median / base:.2f}{extra})")
        for name in [name for name in commands if name.split(": ")[-1] in ("build", "check", "export")]:
            fresh()
            rows, loaded = imports(*commands[name])
            print(f"{name}: loaded {loaded or 'none'} (of openpyxl, numpy, pandas, python_calamine); slowest own "
                  "import times: " + ", ".join(f"{mod} {us / 1000:.1f} ms" for us, mod in rows))


if __name__ == "__main__":
    main()
