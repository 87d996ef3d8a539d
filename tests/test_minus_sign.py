"""The minus sign U+2212 (「−2,403」): what text copied from a PDF or a word processor holds for a negative figure.

Field report 18 §2: a hand-made book's 「−1,231」 was «不是整數» where 「-1,231」 is read. NFKC keeps U+2212, so the one
reading of a typed figure (core.amounts._typed) makes it the minus it is. Expected figures by hand below.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from built_books import handmade_workbook

from xlbudget.app.check import check_file
from xlbudget.core.amounts import NotANumber, TrailingSign, parse_int

MINUS = "\u2212"


@pytest.mark.parametrize("typed, value", [
    (f"{MINUS}2,403", -2403), (f"{MINUS} 2,403", -2403), (f"{MINUS}２,４０３", -2403), ("-2,403", -2403)])
def test_a_minus_sign_is_a_minus(typed, value):
    assert parse_int(typed) == value


def test_a_minus_sign_after_the_figure_is_a_trailing_sign_and_two_signs_no_figure():
    with pytest.raises(TrailingSign):
        parse_int(f"2,403{MINUS}")
    with pytest.raises(NotANumber):
        parse_int(f"{MINUS}{MINUS}2,403")
    with pytest.raises(NotANumber):
        parse_int(f"△{MINUS}2,403")


def test_a_hand_made_comparison_typed_with_a_minus_sign_is_read_and_checked(tmp_path):
    """歲出機關別預算表's 32020180101 行政管理: 本年度 43,769 千元; 上年度 typed 45,000, so its 比較 is
    43,769 − 45,000 = −1,231. Typed 「−1,231」 (U+2212) it is right: nothing said at I10; typed 「−1,232」 it is named
    (expected −1,231)."""
    wb = handmade_workbook()
    ws = wb["歲出機關別預算表"]
    assert (ws["E10"].value.strip(), ws["F10"].value) == ("32020180101 行政管理", 43769)
    ws["G10"] = 45000

    def at_i10(typed):
        ws["I10"] = typed
        out = io.BytesIO()
        wb.save(out)
        (tmp_path / "手製.xlsx").write_bytes(out.getvalue())
        return [(f.rule, f.expected, f.actual) for f in check_file(tmp_path / "手製.xlsx")[0].findings
                if f.cell is not None and (f.cell.sheet, f.cell.cell) == ("歲出機關別預算表", "I10")]

    assert at_i10(f"{MINUS}1,231") == []
    assert at_i10(f"{MINUS}1,232") == [("comparison-mismatch", -1231, -1232)]
