"""The bundled example books, their inputs kept as CSV package data.

``example`` is the seed (高雄市政府資訊中心 113年度); ``example-taichung`` is 臺中市政府主計處 115年度, typed from
../shared/reference-books/taichung-dbas-115.txt (every 明細表 line item and the issue-14 tables 人事費分析,
公務車輛, 轉帳收支); ``example-taipei`` is 臺北市政府工務局新建工程處 116年度, typed from
../shared/reference-books/taipei-newworks-116.txt (its 262 明細表 lines under 42 計畫項目, and 人事費分析, 費用分攤,
公務車輛, 分年資金需求, 市政白皮書; wip/taipei-116/make_example.py wrote the long lists from the book's text).
"""

from __future__ import annotations

import csv

from openpyxl.workbook.workbook import Workbook

from xlbudget.core.codes import data_text
from xlbudget.core.formulas import keep_text
from xlbudget.core.patterns import lazy
from xlbudget.forms.inputs import (SHEET_AGENCY, SHEET_CONTRACT, SHEET_COST_SHARES, SHEET_EXPENSES, SHEET_FUNDING,
                                   SHEET_NARRATIVE, SHEET_NOTES, SHEET_PRIOR, SHEET_REVENUES, SHEET_STAFFING,
                                   SHEET_STAFF_ANALYSIS, SHEET_STAFF_COSTS, SHEET_TRANSFERS, SHEET_TRIPS, SHEET_VEHICLES,
                                   SHEET_WHITEPAPER)
from xlbudget.app.template import AMOUNT_HEADERS, new_template

EXAMPLE_SHEETS = (SHEET_AGENCY, SHEET_EXPENSES, SHEET_REVENUES, SHEET_PRIOR, SHEET_NOTES, SHEET_STAFF_COSTS,
                  SHEET_CONTRACT, SHEET_TRIPS, SHEET_STAFFING, SHEET_NARRATIVE)
EXAMPLE_NAME = "範例-高雄市政府資訊中心113年度.xlsx"
TAICHUNG = "example-taichung"  # package data folder of the second example
TAICHUNG_SHEETS = EXAMPLE_SHEETS + (SHEET_STAFF_ANALYSIS, SHEET_VEHICLES, SHEET_TRANSFERS)
TAICHUNG_NAME = "範例-臺中市政府主計處115年度.xlsx"
TAIPEI = "example-taipei"  # package data folder of the third example (no 出國計畫, 員額 or 轉帳收支 in that book)
TAIPEI_SHEETS = (SHEET_AGENCY, SHEET_EXPENSES, SHEET_REVENUES, SHEET_PRIOR, SHEET_NOTES, SHEET_STAFF_COSTS,
                 SHEET_CONTRACT, SHEET_NARRATIVE, SHEET_STAFF_ANALYSIS, SHEET_VEHICLES, SHEET_COST_SHARES, SHEET_FUNDING,
                 SHEET_WHITEPAPER)
TAIPEI_NAME = "範例-臺北市政府工務局新建工程處116年度.xlsx"
# package data folder → (its input sheets, the workbook written into workbooks/)
EXAMPLES = {"example": (EXAMPLE_SHEETS, EXAMPLE_NAME), TAICHUNG: (TAICHUNG_SHEETS, TAICHUNG_NAME),
            TAIPEI: (TAIPEI_SHEETS, TAIPEI_NAME)}
NUMERIC = AMOUNT_HEADERS | {"數量", "預算員額", "人數", "月數", "預計天數", "擬派人數", "法定編制員額", "本年度預算員額",
                            "上年度預算員額", "車輛數", "乘客人數", "油料數量"}
DECIMAL = {"油料單價", "分攤比率"}  # 31.0 元/公升, 52.32 %
_PRICE = lazy(r"^\d+\.\d+$")  # a 單價 with 角


def example_rows(sheet: str, example: str = "example") -> list[dict[str, str]]:
    """The example data of one input sheet, as CSV records."""
    return list(csv.DictReader(data_text(example, f"{sheet}.csv").splitlines()))


def _cell_value(header: str, text: str):
    if text == "":
        return None
    if header in NUMERIC and text.lstrip("-").isdigit():
        return int(text)
    if header in DECIMAL or header == "單價" and _PRICE.match(text):  # 1.6 元 (臺北 116: 312,500 頁 × 1.6)
        return float(text)
    return text


def example_workbook(example: str = "example") -> Workbook:
    """The template filled with one example book's inputs (not yet built); the seed unless told."""
    wb = new_template()
    for sheet in EXAMPLES[example][0]:
        ws = wb[sheet]
        headers = [c.value for c in ws[1]]
        records = example_rows(sheet, example)
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
                if headers[cell.column - 1] in DECIMAL:
                    cell.number_format = "0.0"
                elif headers[cell.column - 1] in NUMERIC:
                    cell.number_format = "#,##0.0" if type(cell.value) is float else "#,##0"
    return wb


TEMPLATE_NAME = "範本.xlsx"


def write_bundled_workbooks(folder) -> list:
    """Regenerate workbooks/範本.xlsx and the example input books from package data."""
    from pathlib import Path

    from xlbudget.adapters.xlsxfile import save_atomic

    folder = Path(folder)
    return [save_atomic(new_template(), folder / TEMPLATE_NAME)] + [
        save_atomic(example_workbook(example), folder / name) for example, (_, name) in EXAMPLES.items()]


if __name__ == "__main__":  # python -m xlbudget.app.example workbooks
    import sys

    for written in write_bundled_workbooks(sys.argv[1] if len(sys.argv) > 1 else "workbooks"):
        print(written)
