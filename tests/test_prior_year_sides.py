"""以前年度 rows checked the same way on both sides: typed 款/目/節 names against the 科目編號 (revenue-level-name-mismatch,
before only on 歲入明細) and a code typo beside a same-named line of this year (prior-year-code-typo, before only 歲出).

The seed (高雄市政府資訊中心 113) 以前年度:
  row 4  09020180102 上級政府補助收入-計畫型補助收入 | 款 06補助及協助收入 | 目 01上級政府補助收入 | 節 01計畫型補助收入
  row 5  04020180301 賠償收入-一般賠償收入           | 款 02罰款及賠償收入 | 目 01賠償收入         | 節 01一般賠償收入
歲入明細 row 2 is 09020180102 上級政府補助收入-計畫型補助收入 (57,019,000 元); 04020180301 has no line this year.
款 09 is 補助及協助收入 and 款 04 罰款及賠償收入 (revenue-sources.csv); 目 and 節 are the parts of 科目名稱.
"""

from __future__ import annotations

import json

from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.example import example_workbook
from xlbudget.cli import main
from xlbudget.readers.inputs import read_book
from xlbudget.rules.checks import check_book


def _findings(edit, rule):
    wb = example_workbook()
    edit(wb["以前年度"])
    book, reading = read_book(input_grids(wb, "book.xlsx"), "book.xlsx")
    return sorted((f.rule, f.cell.sheet, f.cell.cell, f.expected, f.actual) for f in reading + check_book(book)
                  if f.rule == rule)


def test_the_seed_says_nothing():
    assert _findings(lambda ws: None, "revenue-level-name-mismatch") == []
    assert _findings(lambda ws: None, "prior-year-code-typo") == []


def test_prior_year_level_names_that_disagree_with_the_code_are_named_at_their_cells():
    """以前年度!E4 「08其他收入」 for 款 09 (補助及協助收入); G5 「01雜項收入」 for 目 賠償收入 of 賠償收入-一般賠償收入."""
    def edit(ws):
        ws["E4"] = "08其他收入"
        ws["G5"] = "01雜項收入"

    assert _findings(edit, "revenue-level-name-mismatch") == [
        ("revenue-level-name-mismatch", "以前年度", "E4", "補助及協助收入", "其他收入"),
        ("revenue-level-name-mismatch", "以前年度", "G5", "賠償收入", "雜項收入")]


def test_prior_year_level_names_as_printed_or_empty_say_nothing():
    def edit(ws):
        ws["E4"] = "06 補助及協助收入"
        ws["G5"] = None
        ws["H5"] = "一般賠償收入"

    assert _findings(edit, "revenue-level-name-mismatch") == []


def test_a_prior_year_expense_row_is_not_held_to_revenue_names():
    """A 歲出 row (32020180101 一般行政-行政管理) with a typed 目 is no 歲入 科目: nothing about revenue names."""
    def edit(ws):
        ws["G2"] = "01其他"

    assert _findings(edit, "revenue-level-name-mismatch") == []


def test_a_prior_year_revenue_code_typo_is_named_with_the_line_it_likely_means(tmp_path, capsys):
    """09020180112 has no line in 歲入明細, while 09020180102 of the same name has no 以前年度 row: the 歲入來源別預算表
    would print a phantom 計畫型補助收入 (本年度 0, 上年度 2,800) and the real one with 上年度 0 (blank before field report 6)."""
    wb = example_workbook()
    wb["以前年度"]["A4"] = "09020180112"
    path = tmp_path / "book.xlsx"
    wb.save(path)
    capsys.readouterr()
    code = main(["check", str(path), "--format", "json"])
    found = [f for f in json.loads(capsys.readouterr().out) if f["rule"] == "prior-year-code-typo"]
    assert code == 0 and [(f["severity"], f["sheet"], f["cell"], f["expected"], f["related"]) for f in found] == [
        ("warning", "以前年度", "A4", "09020180102", ["book.xlsx:歲入明細!A2"])]


def test_a_prior_year_revenue_line_with_no_line_this_year_is_not_a_typo():
    """04020180301 賠償收入-一般賠償收入 (row 5) has no 歲入明細 line and no same-named one: a 科目 of last year only."""
    assert _findings(lambda ws: None, "prior-year-code-typo") == []

    def edit(ws):
        ws["A5"] = "04020180302"  # still no line of that name this year

    assert _findings(edit, "prior-year-code-typo") == []
