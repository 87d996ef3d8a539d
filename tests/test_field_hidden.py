"""Field report L8: a hidden or filtered-out 歲出明細 / 歲入明細 line is read (it is in the book), and said so: a
warning at its 預算數 cell, the other hidden lines related. openpyxl (build, --mark) and python-calamine (check,
convert, export) read the same hidden rows; the add-in's Office.js payload carries no row visibility.

The example book's 歲出明細 rows 2–5 are lines of 32020180101 (hand-checked in the workbook); row 5's 預算數 is H5.
"""

import pytest

from xlbudget.adapters.fastread import read_grids
from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.example import example_workbook
from xlbudget.core.findings import RULES, Severity
from xlbudget.readers.inputs import read_book


def _hidden(rows, filtered=False):
    wb = example_workbook()
    ws = wb["歲出明細"]
    for r in rows:
        ws.row_dimensions[r].hidden = True
    if filtered:
        ws.auto_filter.ref = f"A1:L{ws.max_row}"
    return wb


def _said(findings):
    return [(f.rule, str(f.cell), tuple(str(c) for c in f.related)) for f in findings if f.rule == "hidden-row-counted"]


@pytest.mark.parametrize("filtered", [False, True])
def test_hidden_lines_are_counted_and_named(tmp_path, filtered):
    wb = _hidden([5, 3], filtered)
    book, findings = read_book(input_grids(wb))
    assert len(book.expenses) == len(read_book(input_grids(example_workbook()))[0].expenses)
    assert _said(findings) == [("hidden-row-counted", "歲出明細!H3", ("歲出明細!H5",))]
    assert RULES["hidden-row-counted"].severity == Severity.WARNING
    wb.save(tmp_path / "hidden.xlsx")
    assert _said(read_book(read_grids(tmp_path / "hidden.xlsx"))[1]) == [
        ("hidden-row-counted", "hidden.xlsx:歲出明細!H3", ("hidden.xlsx:歲出明細!H5",))]


def test_no_hidden_line_says_nothing(tmp_path):
    wb = example_workbook()
    wb["歲出明細"].row_dimensions[500].hidden = True  # an empty row below the lines
    wb["歲出明細"].column_dimensions["M"].hidden = True
    assert _said(read_book(input_grids(wb))[1]) == []
    wb.save(tmp_path / "plain.xlsx")
    assert _said(read_book(read_grids(tmp_path / "plain.xlsx"))[1]) == []
