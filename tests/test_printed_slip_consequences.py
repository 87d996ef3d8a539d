"""A slip named at its own cell with its 應為 is not told a second time as a right figure of another table (or a right
total) that «應為» the slip (session 26's note; fix8): the officer is sent to the slip, not told to copy it elsewhere.

The book: the bundled example as a hand-made book (tests/built_books.handmade_workbook: 高雄市政府資訊中心 113).
By hand, from its printed tables:
- 人事費彙計表 row 10 約聘僱人員 (元): 5,282,562 + 659,910 + 224,000 + 320,328 + 628,200 = 7,115,000 = N10, the
  合計 約聘僱人員費用分析表 prints in H7 and whose parts its 說明 (I7) names (約聘僱人員待遇 5,282,562元 …).
- 派員出國計畫預算總表 考察 (row 6) 本年度預計人天 4人x10天: the 類別表's one 考察 trip, 4 persons (G8) × 10 days (F8);
  合計 C12 prints 4人x10天.
"""

from __future__ import annotations

import pytest

from xlbudget.app.check import check_workbook
from xlbudget.core.findings import Severity

from built_books import handmade_workbook


@pytest.fixture(scope="module")
def book():
    return handmade_workbook()


def said(wb, sheet, cell, value):
    """The errors and warnings of the book with ``sheet``!``cell`` typed ``value``: (rule, sheet, cell, 應為, 實為)."""
    ws = wb[sheet]
    kept, ws[cell] = ws[cell].value, value
    try:
        return {(f.rule, f.cell.sheet, f.cell.cell, f.expected, f.actual) for f in check_workbook(wb).findings
                if f.severity in (Severity.ERROR, Severity.WARNING)}
    finally:
        ws[cell] = kept


def test_a_slipped_total_is_not_pushed_onto_the_contract_table(book):
    """Red before: contract-total-mismatch at 約聘僱人員費用分析表 H7 «應為 7,115,100», a right figure."""
    assert said(book, "人事費彙計表", "N10", 7_115_100) == {
        ("subtotal-mismatch", "人事費彙計表", "N10", 7_115_000, 7_115_100)}


def test_a_slipped_component_is_not_pushed_onto_the_contract_note(book):
    """Red before: printed-note-mismatch at 約聘僱人員費用分析表 I7, telling the right 「5,282,562元」 to print the slip."""
    found = said(book, "人事費彙計表", "F10", 5_282_662)
    assert {(sheet, cell) for _, sheet, cell, _, _ in found} == {("人事費彙計表", "F10")}
    assert {(exp, act) for _, _, _, exp, act in found} == {(5_282_562, 5_282_662)}


def test_a_slipped_row_of_the_trips_summary_is_not_pushed_onto_its_total(book):
    """Red before: subtotal-mismatch at C12 «應為 4人x11天», the right 合計."""
    assert said(book, "派員出國計畫預算總表", "C6", "4人x11天") == {
        ("cross-table-mismatch", "派員出國計畫預算總表", "C6", "4人x10天", "4人x11天")}


def test_a_right_figure_against_a_slip_in_the_other_table_is_still_said(book):
    """The 類別表's trip typed 11 days (F8) where the 總表 prints 4人x10天: nothing names F8 at its own cell (the
    類別表 has no total of 天數), so the tie is said, at the 總表's row, as before."""
    assert said(book, "派員出國計畫預算類別表—考察、訪問", "F8", 11) == {
        ("cross-table-mismatch", "派員出國計畫預算總表", "C6", "4人x11天", "4人x10天")}
