"""The domain core imports neither openpyxl nor xlwings (STYLE.md: dependencies point one way)."""

import subprocess
import sys

CORE = ("codes", "amounts", "keys", "model", "inputs", "schedules", "tables", "findings", "errors", "export", "personnel",
        "narrative", "layout", "checks", "printed", "formulas", "nextyear", "comparison")


def test_core_imports_no_workbook_library():
    code = (
        "import sys\n"
        + "".join(f"import xlbudget.{m}\n" for m in CORE)
        + "bad = [m for m in ('openpyxl', 'xlwings', 'pandas') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
