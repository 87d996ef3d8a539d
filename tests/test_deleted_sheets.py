"""An input sheet deleted outright (or 出國計畫 emptied) while 歲出明細 has the lines it explains: its table is left
out of the book, never without a word (field6b's report left it: only an emptied sheet was named).

Hand figures, the seed (高雄市政府資訊中心 113): 2078 國外旅費 400,000 元, all under 數位發展計畫 32020183201 (its
派員出國計畫 400 千元); two 工作計畫, 32020180101 行政管理 and 32020183201 數位發展計畫, each with a 說明提要 row."""

from __future__ import annotations

from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.example import example_workbook
from xlbudget.readers.inputs import read_book
from xlbudget.rules.checks import check_book


def _found(wb, rule):
    book, _ = read_book(input_grids(wb, "book.xlsx"), "book.xlsx")
    return [f for f in check_book(book) if f.rule == rule]


def _rows(wb, column, value):
    ws = wb["歲出明細"]
    return [r for r in range(2, ws.max_row + 1) if str(ws.cell(r, column).value or "") == value]


def test_the_seed_has_trips_and_notes():
    wb = example_workbook()
    assert _found(wb, "trips-vs-travel") == [] and _found(wb, "plan-note-missing") == []


def test_trips_deleted_or_emptied_against_400_000_of_2078():
    for how in ("deleted", "emptied"):
        wb = example_workbook()
        if how == "deleted":
            del wb["出國計畫"]
        else:
            wb["出國計畫"].delete_rows(2, wb["出國計畫"].max_row)
        found = _found(wb, "trips-vs-travel")
        row = _rows(wb, 4, "2078")[0]
        assert [(f.cell.sheet, f.cell.cell, f.expected, f.actual) for f in found] == [
            ("歲出明細", f"H{row}", 400_000, 0)], how
        assert "32020183201" in found[0].message


def test_notes_sheet_deleted_names_each_plan():
    wb = example_workbook()
    del wb["說明提要"]
    found = _found(wb, "plan-note-missing")
    first = {code: _rows(wb, 1, code)[0] for code in ("32020180101", "32020183201")}
    assert [(f.cell.sheet, f.cell.cell) for f in found] == [
        ("歲出明細", f"A{first['32020180101']}"), ("歲出明細", f"A{first['32020183201']}")]
    assert all("本書沒有「說明提要」工作表" in f.message for f in found)
