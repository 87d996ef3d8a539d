"""基本資料 版式 = 臺北市: 歲出預算表 / 歲入預算表 with 本年度 split into 合計, 經常門, 資本門, and a 元 彙計表.

The layout follows ../shared/reference-books/taipei-newworks-116.txt (歲出預算表, pages 17-20; 各項費用彙計表 in 元).
Expected figures are worked out by hand below.
"""

import pytest

from xlbudget.core.model import Agency, BudgetBook, ExpenseItem, PriorYear, RevenueItem
from xlbudget.derive.book import derive_all
from xlbudget.derive.budgets import derive_agency_budget, derive_revenue_sources
from xlbudget.derive.schedules import derive_summary

AGENCY = Agency("臺北市政府工務局新建工程處", "07-152", 116, "臺北市政府工務局主管", "12", {"版式": "臺北市"})
ADMIN, ROADS = "58071520101", "58071528501"


def item(plan, name, code, amount, basis, econ):
    return ExpenseItem(plan, name, "", code, "式", 1, amount, amount, 0, basis, econ, "")


# 行政管理: 1015 684,630,400 經常                                  → 684,630 千元 (684,630.4)
# 道路工程: 2054 1,500 經常 + 3015 6,205,979,500 資本               → 經常 2 (1.5 → 2), 資本 6,205,980 (…979.5 → …980)
#           plan 合計 6,205,981,000 → 6,205,981 千元 (2 + 6,205,980 = 6,205,982: 尾差 of 1 is printed as is)
ITEMS = (
    item(ADMIN, "一般行政-行政管理", "1015", 684_630_400, "經常", "受僱人員報酬"),
    item(ROADS, "道路橋梁工程-道路工程", "2054", 1_500, "經常", "購買商品及勞務支出"),
    item(ROADS, "道路橋梁工程-道路工程", "3015", 6_205_979_500, "資本", "固定資本形成-營建工程"),
)
PRIOR = (PriorYear(ADMIN, "一般行政-行政管理", 703_711, 664_910), PriorYear(ROADS, "道路橋梁工程-道路工程", 6_131_115, 6_249_662))
REVENUES = (RevenueItem("04071520301", "賠償收入-一般賠償收入", ("02", "050", "02", "01"), ("", "", "", ""), "式", 1,
                        27_000_000, 27_000_000, False, "經常", ""),
            RevenueItem("07071520601", "財產售價-出售不動產", ("04", "050", "06", "01"), ("", "", "", ""), "式", 1,
                        2_499_000, 2_499_000, False, "資本", ""))


@pytest.fixture
def book():
    return BudgetBook(AGENCY, ITEMS, REVENUES, PRIOR)


def test_expenditure_table_splits_current_and_capital(book):
    table = derive_agency_budget(book)
    assert table.title == "歲出預算表"
    keys = [c.key for c in table.columns if c.kind == "amount"]
    assert keys == ["本年度預算數/合計", "本年度預算數/經常門", "本年度預算數/資本門", "上年度預算數", "前年度決算數",
                    "本年度與上年度比較"]
    row = lambda code: tuple(table.value(code, k) for k in keys)  # noqa: E731
    assert row(ADMIN) == (684_630, 684_630, 0, 703_711, 664_910, -19_081)  # 684,630 − 703,711
    assert row(ROADS) == (6_205_981, 2, 6_205_980, 6_131_115, 6_249_662, 74_866)  # 6,205,981 − 6,131,115
    # 主管 / 機關: 6,890,611,400 元 → 6,890,611; 經常 684,631,900 → 684,632; 資本 6,205,980
    assert row("00070000000") == (6_890_611, 684_632, 6_205_980, 6_834_826, 6_914_572, 55_785)
    assert table.columns[5].header == ("本年度預算數", "合計")


def test_summary_is_printed_in_yuan(book):
    table = derive_summary(book)
    assert table.unit == "元"
    assert table.value("2054", ROADS) == 1_500
    assert table.value("合計", "合計") == 6_890_611_400


def test_revenue_table_splits_current_and_capital(book):
    table = derive_revenue_sources(book)
    assert table.title == "歲入預算表"
    assert (table.value("合計", "本年度預算數/合計"), table.value("合計", "本年度預算數/經常門"),
            table.value("合計", "本年度預算數/資本門")) == (29_499, 27_000, 2_499)  # 29,499,000 = 27,000,000 + 2,499,000
    assert table.value("07071520601", "本年度預算數/資本門") == 2_499
    assert table.value("07071520601", "本年度預算數/經常門") == 0


def test_default_layout_unchanged(book):
    plain = BudgetBook(Agency(AGENCY.name, AGENCY.code, 116, AGENCY.authority, "12"), ITEMS, REVENUES, PRIOR)
    assert derive_agency_budget(plain).title == "歲出機關別預算表"
    assert derive_summary(plain).unit == "千元"
    assert "歲出預算表" in [t.title for t in derive_all(book)]
