"""next-year carries each 歲入 科目's 經資門 into next year's 以前年度 (its added 經資門 column, README 以前年度): a 科目
left without a 歲入明細 line next year is counted by it in 歲入來源別預算表's 上年度 經常門合計 or 資本門合計.

Before, next year's 以前年度 had no such column: this year's 資本門 出售不動產 (1,000 千元), no sale planned next year,
went into next year's 上年度 經常門合計 (58,019 for 57,019), said only as a guess (prior-basis-assumed); and a 經資門 the
officer had typed in 以前年度 was dropped. The example is the seed (歲入明細 row 2: 09020180102 計畫型補助收入
57,019,000 元, 經常); test_revenue_flags adds the sale line and the 以前年度 column.
"""

from __future__ import annotations

from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.example import example_workbook
from xlbudget.app.nextyear import next_year
from xlbudget.readers.grid import Grid
from xlbudget.readers.inputs import read_book
from xlbudget.rules.consistency import check_people

from test_revenue_flags import SALE, _prior_only, _sale_line, _totals


def _next(edit):
    """Next year's input sheets (rows, header first) from the example edited by ``edit``."""
    wb = example_workbook()
    edit(wb)
    grids = input_grids(wb)
    book, _ = read_book(grids)
    return next_year(book, grids).sheets


def _prior(sheets) -> dict[str, dict]:
    header, *rows = sheets["以前年度"]
    return {row[0]: dict(zip(header, row)) for row in rows}


def test_a_capital_revenue_of_this_year_counts_as_capital_next_year_without_its_line():
    """This year: 補助 57,019,000 元 (經常) and 出售不動產 1,000,000 元 (資本). Next year's 以前年度: 09020180102 上年度
    57,019 經常, 07020180201 上年度 1,000 資本. With the sale line taken out of next year's 歲入明細, by hand: 上年度
    經常門合計 57,019, 資本門合計 1,000; 本年度 57,019 (the 補助, carried) and 0. Red before: no 經資門 column, 上年度
    經常門合計 58,019 and no 資本門合計 row."""
    sheets = _next(_sale_line("資本"))
    prior = _prior(sheets)
    assert (prior["09020180102"]["上年度預算數"], prior["09020180102"]["經資門"]) == (57_019, "經常")
    assert (prior[SALE[0]]["上年度預算數"], prior[SALE[0]]["經資門"]) == (1_000, "資本")
    assert prior["32020180101"]["經資門"] is None  # a 工作計畫: 經資門 is its lines'
    revenues = [row for row in sheets["歲入明細"] if row[0] != SALE[0]]  # no sale next year
    grids = {name: Grid(name, rows) for name, rows in sheets.items()} | {"歲入明細": Grid("歲入明細", revenues)}
    book, _ = read_book(grids)
    totals = _totals(book)
    assert (totals["經常門合計"][:2], totals["資本門合計"][:2]) == ((57_019, 57_019), (0, 1_000))
    assert [f for f in check_people(book) if f.rule == "prior-basis-assumed"] == []


def test_a_basis_typed_in_this_years_prior_sheet_is_carried():
    """以前年度 07020180201 (no line this year), 經資門 資本 typed in the column the officer added: next year's row keeps
    資本 (上年度 0: nothing budgeted this year). Red before: dropped."""
    prior = _prior(_next(_prior_only("資本")))
    assert (prior[SALE[0]]["上年度預算數"], prior[SALE[0]]["經資門"]) == (0, "資本")
