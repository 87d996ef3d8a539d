"""尾差 (rounding difference) in a 千元 total comes of its parts each rounded from its own 元: a part printed 0 (「-」,
as real books print a zero) carries none, so a total whose only non-zero part is one figure cannot differ from it by a
尾差; a +1 there is a slip, an error (fix8, session 26's note: it was accepted as 尾差, info).

The book: the bundled example as a hand-made book (tests/built_books.handmade_workbook). By hand, its
歲出一級用途別科目分析表 row 9 (32020180100 一般行政): 經常支出小計 H9 43,769 + 資本支出小計 N9 (blank, here typed 「-」)
= 合計 B9 43,769; row 12 (32020183201 數位發展計畫): 153,555 + 78,471 = 232,026 (B12), two rounded parts.
"""

from __future__ import annotations

from xlbudget.app.check import check_workbook

from built_books import handmade_workbook

SHEET = "歲出一級用途別科目分析表"


def at(report, cell):
    return {(f.rule, f.expected, f.actual) for f in report.findings if (f.cell.sheet, f.cell.cell) == (SHEET, cell)}


def test_a_total_one_more_than_its_only_non_zero_part_is_an_error_not_rounding():
    wb = handmade_workbook()
    wb[SHEET]["N9"] = "-"
    wb[SHEET]["B9"] = 43_770
    assert at(check_workbook(wb), "B9") == {("subtotal-mismatch", 43_769, 43_770)}  # before: and rounding-difference


def test_a_total_one_more_than_its_two_rounded_parts_is_still_rounding():
    """153,555 + 78,471: each part rounded from its own 元, so 232,027 may be their total's rounding (and the
    各項費用彙計表's 232,026 then names it, cross-table)."""
    wb = handmade_workbook()
    wb[SHEET]["B12"] = 232_027
    found = at(check_workbook(wb), "B12")
    assert ("rounding-difference", 232_026, 232_027) in found
    assert ("subtotal-mismatch", 232_026, 232_027) not in found
