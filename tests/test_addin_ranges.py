"""The range cell functions (XLB_ROLLUP, XLB_SCHEDULE, XLB_CHECK) given the ranges officers select (field report 7):
a range stopping before a column a table needs, a range holding no 歲入明細, a built table's range, the 彙計表's own
column header as the plan, whole columns. Called through xlwings' Office.js dispatch (tests/xlwings_json.call_udf),
with the rows Excel hands over. Expected figures are the seed book's (../shared/seed/000_9c62b59cf9023585.txt) or
summed here by hand from the example's 歲出明細 columns.
"""

from __future__ import annotations

from xlwings_json import call_udf  # sets XLWINGS_ON_SERVER first

import xlbudget.addin as addin
from xlbudget.app.example import example_workbook
from xlbudget.forms.inputs import SHEET_EXPENSES

def _rows(example: str = "example", sheet: str = SHEET_EXPENSES) -> list[list]:
    return [list(r) for r in example_workbook(example)[sheet].iter_rows(values_only=True)]


def _cut(rows: list[list], last_column: str) -> list[list]:
    """The rows as the range A1:<last_column><n> hands them over."""
    width = ord(last_column) - ord("A") + 1
    return [row[:width] for row in rows]


def _column(rows: list[list], name: str) -> int:
    return rows[0].index(name)


# ------------------------------------------------------------ §2.1 (f02): XLB_CHECK holds a range to its own lines

def test_check_of_a_right_range_has_no_error_and_says_the_revenue_tie_was_not_checked():
    """f02: the example's own right 歲出明細 got 錯誤 matched-without-revenue (a range never holds 歲入明細). Now no
    錯誤 and one 提示 at the first 收支併列 cell (I53) naming the total, 57,019,000 元 (the seed's 收支併列)."""
    rows = _rows()
    matched = _column(rows, "收支併列數")
    first = next(n for n, r in enumerate(rows) if n and r[matched])
    assert first + 1 == 53 and sum(r[matched] or 0 for r in rows[1:]) == 57_019_000  # by hand: I53 is the first
    grid = call_udf(addin, "xlb_check", rows)
    assert [row[:5] for row in grid[1:]] == [["提示", "range-matched-unchecked", "I53", 57_019_000, ""]], grid
    assert "57,019,000 元" in grid[1][5] and "歲入明細" in grid[1][5]


def test_check_of_a_range_without_the_note_column_does_not_claim_the_notes_are_alike():
    """f02: on A1:H78 the two 3030 lines of 1,400,000 元 (H64, H66) were «完全相同（科目、數量、單價、預算數、說明）»,
    though their 說明 (L64, L66) differ and the range has no 說明 column. The warning now says 說明 was not compared;
    on the whole range, which sees the notes differ, there is none."""
    rows = _rows()
    note = _column(rows, "說明")
    assert rows[63][note] != rows[65][note] and rows[63][:8] == rows[65][:8]  # rows 64 and 66 of the sheet
    found = [row for row in call_udf(addin, "xlb_check", _cut(rows, "H")) if row[1] == "duplicate-item"]
    assert [row[2] for row in found] == ["H66"], found
    assert "預算數、說明" not in found[0][5] and "未比對說明" in found[0][5], found[0][5]
    assert not [row for row in call_udf(addin, "xlb_check", rows) if row[1] == "duplicate-item"]
