"""The bundled example book: the seed (高雄市政府資訊中心 113年度) inputs, kept as CSV package data."""

from __future__ import annotations

import csv
from importlib import resources

from openpyxl.workbook.workbook import Workbook

from .formulas import keep_text
from .inputs import (SHEET_AGENCY, SHEET_CONTRACT, SHEET_EXPENSES, SHEET_NARRATIVE, SHEET_NOTES, SHEET_PRIOR,
                     SHEET_REVENUES, SHEET_STAFF_COSTS, SHEET_STAFFING, SHEET_TRIPS)
from .template import AMOUNT_HEADERS, new_template

EXAMPLE_SHEETS = (SHEET_AGENCY, SHEET_EXPENSES, SHEET_REVENUES, SHEET_PRIOR, SHEET_NOTES, SHEET_STAFF_COSTS,
                  SHEET_CONTRACT, SHEET_TRIPS, SHEET_STAFFING, SHEET_NARRATIVE)
EXAMPLE_NAME = "範例-高雄市政府資訊中心113年度.xlsx"
NUMERIC = AMOUNT_HEADERS | {"數量", "預算員額", "人數", "月數", "預計天數", "擬派人數", "法定編制員額", "本年度預算員額",
                            "上年度預算員額"}


def example_rows(sheet: str) -> list[dict[str, str]]:
    """The example data of one input sheet, as CSV records."""
    text = resources.files("xlbudget.data").joinpath("example", f"{sheet}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _cell_value(header: str, text: str):
    if text == "":
        return None
    if header in NUMERIC and text.lstrip("-").isdigit():
        return int(text)
    return text


def example_workbook() -> Workbook:
    """The template filled with the seed book's inputs (not yet built)."""
    wb = new_template()
    for sheet in EXAMPLE_SHEETS:
        ws = wb[sheet]
        headers = [c.value for c in ws[1]]
        records = example_rows(sheet)
        if sheet == SHEET_AGENCY:
            values = {r["項目"]: r["內容"] for r in records}
            for row in ws.iter_rows(min_row=2):
                if row[0].value in values:
                    row[1].value = values.pop(row[0].value)
            for key, value in values.items():
                ws.append([key, value])
            for row in ws.iter_rows(min_row=2):
                for cell in row:
                    keep_text(cell)
            continue
        for record in records:
            ws.append([_cell_value(h, record.get(h, "")) for h in headers])
            for cell in ws[ws.max_row]:
                keep_text(cell)
                if headers[cell.column - 1] in NUMERIC:
                    cell.number_format = "#,##0"
    return wb


TEMPLATE_NAME = "範本.xlsx"


def write_bundled_workbooks(folder) -> list:
    """Regenerate workbooks/範本.xlsx and the example input book from package data."""
    from pathlib import Path

    from .xlsxfile import save_atomic

    folder = Path(folder)
    return [save_atomic(new_template(), folder / TEMPLATE_NAME),
            save_atomic(example_workbook(), folder / EXAMPLE_NAME)]


if __name__ == "__main__":  # python -m xlbudget.example workbooks
    import sys

    for written in write_bundled_workbooks(sys.argv[1] if len(sys.argv) > 1 else "workbooks"):
        print(written)
