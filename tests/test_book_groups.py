"""What a book groups once for every table: its plans, and which side a 以前年度 code is on (core.model).

Both are now made in C (a stable sort, sets by map): the lines of a plan typed apart, the plans typed out of code
order, and a 業務計畫 code are what the plain loops handled and the new ways must handle alike.
"""

from __future__ import annotations

from types import SimpleNamespace

from xlbudget.core.model import BudgetBook, ExpenseItem, prior_side


def _line(plan: str, code: str, amount: int, row: int) -> ExpenseItem:
    return ExpenseItem(plan, "一般行政-行政管理", "", code, "式", 1, amount, amount, 0, "經常", "", f"第{row}列")


def test_each_plans_lines_are_gathered_in_code_order_wherever_they_are_typed():
    # 0102's lines on rows 2 and 4, 0101's on rows 3 and 5: two plans, 0101 first, each line once in its typed order
    book = BudgetBook(agency=None, expenses=(_line("32020180102", "2003", 100, 2), _line("32020180101", "2003", 200, 3),
                                            _line("32020180102", "2018", 300, 4), _line("32020180101", "1015", 400, 5)))
    assert {plan: [i.note for i in lines] for plan, lines in book.plans.items()} == {
        "32020180101": ["第3列", "第5列"], "32020180102": ["第2列", "第4列"]}
    assert list(book.plans) == ["32020180101", "32020180102"]


def test_a_prior_line_of_this_years_program_is_an_expense_line():
    # 32020180100 is the 業務計畫 of 32020180101 (its first nine digits, then 00): 歲出, as the plan itself, though a
    # 歲入 line is typed under that code too (this year's 歲出 codes come first); 0902… is a 歲入 款 and no code of
    # this year's: 歲入; 99020180103, of no 歲入 款 but typed as this year's 歲入 line: 歲入
    side = prior_side([_line("32020180101", "2003", 100, 2)], [SimpleNamespace(code="32020180100"),
                                                               SimpleNamespace(code="99020180103")])
    assert [side(code) for code in ("32020180101", "32020180100", "09020180102", "99020180103", "32020180201")] == [
        False, False, True, True, False]
