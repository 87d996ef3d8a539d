"""The looks of convert's fresh books, stored as package data (xlbudget/data/xlsx-looks.json): what the
template (app.template) and the table writer (adapters.printing) give a sheet, read off openpyxl by
adapters.xlsxbook.read_looks. convert then writes a book with XlsxWriter without importing openpyxl or
building the template. tests/test_xlsx_looks.py reads them afresh and compares: after changing the template or
printing's styles or page setup, write them again with

    python -m xlbudget.app.looks
"""

from __future__ import annotations

import json
from pathlib import Path

from xlbudget.adapters.xlsxbook import LOOKS, read_looks
from xlbudget.app.template import new_template

STORED = Path(__file__).resolve().parent.parent / "data" / LOOKS


def looks_text() -> str:
    """The looks as stored: JSON, one template sheet, table style or page shape a line."""
    looks = read_looks(new_template())
    parts = []
    for key, value in looks.items():
        items = ",\n  ".join(json.dumps(v, ensure_ascii=False) for v in value) if isinstance(value, list) else \
            json.dumps(value, ensure_ascii=False)
        parts.append(f'"{key}": [\n  {items}\n]' if isinstance(value, list) else f'"{key}": {items}')
    return "{\n" + ",\n".join(parts) + "\n}\n"


if __name__ == "__main__":
    STORED.write_text(looks_text(), encoding="utf-8")
    print(STORED)
