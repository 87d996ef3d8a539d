"""歲出明細 lines as python-calamine hands them over: every figure a float (600.0), a blank cell ''.

read_expenses reads the common line (whole figures of 0 or more, 數量 × 單價 = 預算數) without SheetReader.number
(issue 13); every other line takes number and _priced, which say what is wrong. Expected figures by hand below.
"""

from __future__ import annotations

from decimal import Decimal

from xlbudget.forms.inputs import EXPENSE_HEADERS
from xlbudget.readers.grid import Grid
from xlbudget.readers.items import read_expenses

PLAN, NAME, BRANCH = "32020180101", "一般行政-行政管理", "01行政業務"


def _line(quantity, price, amount, matched=0.0, note="說明"):
    return [PLAN, NAME, BRANCH, "2003", "式", quantity, price, amount, matched, "", "", note]


def _read(*lines):
    findings, problems = [], []
    items = read_expenses(Grid("歲出明細", [list(EXPENSE_HEADERS), *lines]), findings, problems)
    return items, findings, problems


def test_whole_figures_read_as_floats_are_whole_numbers():
    items, findings, problems = _read(_line(2.0, 300.0, 600.0), _line(1.0, 50.0, 50.0, matched=20.0))
    assert (findings, problems) == ([], [])
    assert [(i.quantity, i.unit_price, i.amount, i.matched) for i in items] == [(2, 300, 600, 0), (1, 50, 50, 20)]
    assert all(type(v) is int for i in items for v in (i.quantity, i.unit_price, i.amount, i.matched))


def test_a_total_row_adds_the_lines_read_the_common_way():
    # 600 + 1,300 + 5 = 1,905 元 by hand (3 × 1.6 = 4.8 → 5 元; 12 × 100 = 1,200 typed 1,300): the 合計 typed
    # 1,900 is 5 short, named at its 預算數 (H5) against the lines' sum
    items, findings, problems = _read(_line(2.0, 300.0, 600.0), _line(12.0, 100.0, 1300.0), _line(3.0, 1.6, ""),
                                      ["合計", "", "", "", "", "", "", 1900.0, "", "", "", ""])
    assert problems == []
    assert [(i.quantity, i.unit_price, i.amount) for i in items] == [(2, 300, 600), (12, 100, 1300),
                                                                    (3, Decimal("1.6"), 5)]
    assert [(f.rule, f.cell.cell, f.expected, f.actual) for f in findings] == [
        ("item-product-mismatch", "H3", 1200, 1300), ("totals-row-mismatch", "H5", 1905, 1900)]


def test_a_right_total_of_lines_read_the_common_way_says_nothing():
    items, findings, problems = _read(_line(2.0, 300.0, 600.0, matched=100.0), _line(4.0, 25.0, 100.0),
                                      ["合計", "", "", "", "", "", "", 700.0, 100.0, "", "", ""])
    assert (len(items), findings, problems) == (2, [], [])


def test_lines_the_common_way_does_not_read_are_read_as_before():
    # each named at its cell as SheetReader.number and _priced name it: a 預算數 below 0 (and 1 × 500 = 500 is not
    # -500), a 數量 with a fraction (2.5 is no count: read as none, its 預算數 as typed), a 數量 typed as a product
    # (3x2 × 10 = 60), a yes typed in 收支併列數 (no figure: 0); a 收支併列數 below 0 is read as typed; -1 × 500 =
    # -500 agrees, but a line is never below 0: both signs named
    items, findings, problems = _read(_line(1.0, 500.0, -500.0), _line(2.5, 100.0, 250.0), _line("3x2", 10.0, 60.0),
                                      _line(1.0, 10.0, 10.0, matched=True), _line(1.0, 10.0, 10.0, matched=-5.0),
                                      _line(-1.0, 500.0, -500.0))
    assert [(p.rule, p.cell.cell) for p in problems] == [("negative-amount", "H2"), ("not-a-number", "F3"),
                                                        ("not-a-number", "I5"), ("negative-amount", "F7"),
                                                        ("negative-amount", "H7")]
    assert [(f.rule, f.cell.cell, f.expected, f.actual) for f in findings] == [("item-product-mismatch", "H2", 500,
                                                                                 -500)]
    assert [(i.quantity, i.unit_price, i.amount, i.matched) for i in items] == [
        (1, 500, -500, 0), (None, 100, 250, 0), ("3x2", 10, 60, 0), (1, 10, 10, 0), (1, 10, 10, -5),
        (-1, 500, -500, 0)]


def test_a_line_whose_note_is_a_total_word_is_a_total_row_whatever_its_last_character():
    # a 說明 saying only 合計 or 小計 marks a total row though its plan is typed (copied from the line above); the
    # words end in 計, a bracket, a colon, a space or an L (_TOTAL_ENDS): 600 + 100 = 700 each time
    for note in ("小計", "合計：", "小計（一般行政）", "以上合計\u3000", "Subtotal"):
        items, findings, problems = _read(_line(2.0, 300.0, 600.0), _line(1.0, 100.0, 100.0),
                                          _line(1.0, 700.0, 700.0, note=note))
        assert (len(items), findings, problems) == (2, [], []), note
        items, findings, problems = _read(_line(2.0, 300.0, 600.0), _line(1.0, 100.0, 100.0),
                                          _line(1.0, 710.0, 710.0, note=note))
        assert [(f.rule, f.cell.cell, f.expected, f.actual) for f in findings] == [
            ("totals-row-mismatch", "H4", 700, 710)], note
