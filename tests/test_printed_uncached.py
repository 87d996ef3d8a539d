"""A formula with no cached value in a hand-made book (saved by a program that does not calculate) is named at its
cell wherever it is, never passed over as a blank: a 預算總說明 sentence, a table's label or 說明, as a table's
figure is (fix8: the 總說明's and the texts' were skipped without a word, 0 findings, exit 0).

The book: the bundled example as a hand-made book (tests/built_books.handmade_workbook) with the seed's 總說明
sentences (tests/test_printed_narrative.with_narrative), one cell at a time turned into a formula openpyxl saves
without a value.
"""

from __future__ import annotations

import pytest

from xlbudget.app.check import check_file
from xlbudget.core.findings import Severity

from test_printed_narrative import with_narrative

CASES = [  # sheet, cell, formula, what the finding must say was not read
    ("預算總說明", "A12", '="1. 一般行政"&"4,376萬9千元。"', "總說明此格的文字未讀取"),
    ("歲出機關別預算表", "J12", '="本年度預算數較上年度增列128,993千元"', "此格的文字未讀取"),
    ("歲出機關別預算表", "E9", '="　　32020180100 一般行政"', "此格的文字未讀取"),
    ("歲出機關別預算表", "F9", "=43769", ""),  # a figure: named as before, once
]


@pytest.mark.parametrize("calamine", [True, False], ids=["calamine", "openpyxl"])
@pytest.mark.parametrize("sheet, cell, formula, said", CASES)
def test_an_uncalculated_formula_is_named_once_at_its_cell(tmp_path, calamine, sheet, cell, formula, said):
    wb = with_narrative()
    wb[sheet][cell] = formula
    path = tmp_path / "手製.xlsx"
    wb.save(path)
    report, _, _ = check_file(path, workbook=not calamine)
    at = [f for f in report.findings if (f.cell.sheet, f.cell.cell) == (sheet, cell)]
    assert [f.rule for f in at] == ["figure-unverifiable"]
    assert formula in at[0].message and "沒有計算結果" in at[0].message and said in at[0].message
    # nothing else is said wrong: what it leaves unread is unverifiable (the seed's own three sentences, and the one
    # quoting 一般行政 when its label or figure is not read), never an error elsewhere
    others = [f for f in report.findings if (f.cell.sheet, f.cell.cell) != (sheet, cell)]
    assert {f.severity for f in others} == {Severity.UNVERIFIABLE}
