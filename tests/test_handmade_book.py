"""A second, small hand-made book: every expected figure is worked out by hand.

The amounts are chosen to force the rounding rules of RULES.md:
1,500 元 → 2 千元 and 2,500 → 3 (half away from zero, where Python's round()
would give 2), 499 → 0, and rows whose rounded parts do not add up to the
rounded total (尾差), because every 千元 cell is rounded from its own 元 total.

Nothing here is computed by the code under test: each expectation is a literal
with the arithmetic in its comment.

The book (元):

  A 32020180101 一般行政-行政管理        (業務計畫 32020180100 一般行政)
    01行政業務  1015 經常  1,500
                1030 經常  1,500
                1055 經常  1,500          1000 人事費 = 4,500
                2054 經常  2,500
                4085 經常    499  (經常移轉-對非營利及民間機構)
                                          plan A = 7,499
  B 32020183201 數位發展計畫-數位發展計畫 (業務計畫 32020183200 數位發展計畫)
    01數位服務  2018 經常  1,200  (收支併列 1,200)
                2018 經常  1,300          2018 = 2,500
    02資源管理  2039 資本 10,500  (固定資本形成-資訊軟體; 資本門業務費 → 其他資本支出)
                3030 資本  5,500  (固定資本形成-機器及其他設備)
                3030 資本  4,500  (固定資本形成-資訊軟體)
                                          plan B = 23,000 (經常 2,500, 資本 20,500)
  C 32020183202 數位發展計畫-資訊安全   (no 分支計畫)
                2018 經常    800
                2072 經常    300
                3030 資本  2,000  (固定資本形成-機器及其他設備)
                                          plan C = 3,100 (經常 1,100, 資本 2,000)

  book = 7,499 + 23,000 + 3,100 = 33,599 元 (經常 11,099, 資本 22,500)
"""

from __future__ import annotations

import pytest

from xlbudget.derive import budgets, schedules
from xlbudget.core.amounts import NotANumber, parse_int, parse_quantity, to_thousands
from xlbudget.core.model import Agency, BudgetBook, ExpenseItem, PriorYear, RevenueItem
from xlbudget.core.tables import AMOUNT, TOTAL

A = "32020180101"
B = "32020183201"
C = "32020183202"
D = "32020183203"  # a plan only the previous year's book had
PROG_ADMIN = "32020180100"
PROG_DIGITAL = "32020183200"
POLICY = "32020180000"

NAME_A = "一般行政-行政管理"
NAME_B = "數位發展計畫-數位發展計畫"
NAME_C = "數位發展計畫-資訊安全"

REVENUE_CODE = "09020180102"


def _item(plan, name, branch, code, amount, basis, econ, matched=0, note=""):
    return ExpenseItem(plan_code=plan, plan_name=name, branch=branch, object_code=code, unit="式",
                       quantity=1, unit_price=amount, amount=amount, matched=matched, basis=basis,
                       econ=econ, note=note or f"{code} {amount}")


PAY = "受僱人員報酬"
GOODS = "購買商品及勞務支出"
TO_NPO = "經常移轉-對非營利及民間機構"
SOFTWARE = "固定資本形成-資訊軟體"
MACHINERY = "固定資本形成-機器及其他設備"

EXPENSES = (
    _item(A, NAME_A, "01行政業務", "1015", 1_500, "經常", PAY),
    _item(A, NAME_A, "01行政業務", "1030", 1_500, "經常", PAY),
    _item(A, NAME_A, "01行政業務", "1055", 1_500, "經常", PAY),
    _item(A, NAME_A, "01行政業務", "2054", 2_500, "經常", GOODS),
    _item(A, NAME_A, "01行政業務", "4085", 499, "經常", TO_NPO),
    _item(B, NAME_B, "01數位服務", "2018", 1_200, "經常", GOODS, matched=1_200),
    _item(B, NAME_B, "01數位服務", "2018", 1_300, "經常", GOODS),
    _item(B, NAME_B, "02資源管理", "2039", 10_500, "資本", SOFTWARE),
    _item(B, NAME_B, "02資源管理", "3030", 5_500, "資本", MACHINERY),
    _item(B, NAME_B, "02資源管理", "3030", 4_500, "資本", SOFTWARE),
    _item(C, NAME_C, "", "2018", 800, "經常", GOODS),
    _item(C, NAME_C, "", "2072", 300, "經常", GOODS),
    _item(C, NAME_C, "", "3030", 2_000, "資本", MACHINERY),
)

REVENUES = (
    RevenueItem(code=REVENUE_CODE, name="上級政府補助收入-計畫型補助收入",
                numbers=("06", "005", "01", "01"),
                level_names=("補助及協助收入", "測試資訊中心", "上級政府補助收入", "計畫型補助收入"),
                unit="年", quantity=1, unit_price=12_500, amount=12_500, matched=True, basis="經常",
                note="補助收入"),
)

PRIOR = (  # 千元
    PriorYear(A, NAME_A, last_budget=6, prior_final=5, note="與上年度比較：增列1千元"),
    PriorYear(B, NAME_B, last_budget=30, prior_final=28),
    PriorYear(C, NAME_C, last_budget=2, prior_final=None),
    PriorYear(D, "數位發展計畫-智慧城市", last_budget=4, prior_final=3),
    PriorYear(REVENUE_CODE, "上級政府補助收入-計畫型補助收入", last_budget=10, prior_final=9,
              numbers=("06", "005", "01", "01")),
)

AGENCY = Agency(name="測試資訊中心", code="02-018", year=113, authority="高雄市政府主管", function="01")

BOOK = BudgetBook(agency=AGENCY, expenses=EXPENSES, revenues=REVENUES, prior=PRIOR)


@pytest.fixture(scope="module")
def summary():
    return schedules.derive_summary(BOOK)


@pytest.fixture(scope="module")
def level1():
    return schedules.derive_level1(BOOK)


@pytest.fixture(scope="module")
def capital():
    return schedules.derive_capital(BOOK)


@pytest.fixture(scope="module")
def agency_budget():
    return budgets.derive_agency_budget(BOOK)


@pytest.fixture(scope="module")
def function_econ():
    return schedules.derive_function_econ(BOOK)


@pytest.fixture(scope="module")
def revenue_sources():
    return budgets.derive_revenue_sources(BOOK)


@pytest.fixture(scope="module")
def detail():
    return schedules.derive_detail(BOOK)


# ------------------------------------------------------------------ amounts

@pytest.mark.parametrize("yuan, thousands", [
    (1_500, 2),      # 1.5 → 2
    (2_500, 3),      # 2.5 → 3 (half away from zero; Python's round(2.5) is 2)
    (3_500, 4),      # 3.5 → 4
    (499, 0),        # 0.499 → 0
    (500, 1),        # 0.5 → 1
    (1_499, 1),      # 1.499 → 1
    (0, 0),
    (-499, 0),       # −0.499 → 0
    (-500, -1),      # −0.5 → −1
    (-1_500, -2),    # −1.5 → −2
    (-2_500, -3),    # −2.5 → −3 (away from zero, not toward +∞)
    (-2_499, -2),    # −2.499 → −2
    (33_599, 34),    # 33.599 → 34
    (275_795_000, 275_795),
    (275_794_500, 275_795),  # .5 → up
    (1_000_000_000_000_000_500, 1_000_000_000_000_001),     # far past a float's digits: still .5 → up
    (-1_000_000_000_000_000_500, -1_000_000_000_000_001),   # and away from zero below it
    (-1_000_000_000_000_000_499, -1_000_000_000_000_000),
])
def test_to_thousands(yuan, thousands):
    assert to_thousands(yuan) == thousands


def test_to_thousands_is_not_bankers_rounding():
    assert round(2.5) == 2  # what the rule must NOT do
    assert to_thousands(2_500) == 3


@pytest.mark.parametrize("typed, value", [
    (None, None),
    ("", None),
    ("   ", None),
    (1234, 1234),
    (1234.0, 1234),
    ("1234", 1234),
    ("1,234", 1234),
    ("1,234,567", 1234567),
    ("１２３", 123),            # full-width digits
    ("１，２３４", 1234),        # full-width digits and comma
    ("\u30001,234\u3000", 1234),  # full-width spaces around
    ("(1,234)", -1234),
    ("（１，２３４）", -1234),    # full-width parentheses
    ("△1,234", -1234),
    ("▲1,234", -1234),
    ("-1,234", -1234),
    ("1,234.0", 1234),           # integral text is fine
])
def test_parse_int(typed, value):
    assert parse_int(typed) == value


@pytest.mark.parametrize("typed", ["1,234.5", "abc", "12元", 1.5, True, "(1,234", "NaN", "Infinity",
                                   float("nan")])
def test_parse_int_rejects(typed):
    with pytest.raises(NotANumber):
        parse_int(typed)


@pytest.mark.parametrize("typed, value", [
    (None, None),
    ("", None),
    (12, 12),
    ("12", 12),
    ("3x12", 36),      # 3 × 12
    ("3X12", 36),
    ("13×12", 156),    # 13 × 12
    ("3 x 12", 36),
    ("2x3x4", 24),     # 2 × 3 × 4
    ("１３×１２", 156),  # full-width digits
    ("1,200", 1200),
])
def test_parse_quantity(typed, value):
    assert parse_quantity(typed) == value


@pytest.mark.parametrize("typed", ["3x", "x12", "abc", "3÷12", "1.5", "6+6", "一年", "3x1.5", "1-12月"])
def test_parse_quantity_rejects(typed):
    with pytest.raises(NotANumber):
        parse_quantity(typed)


# ------------------------------------------------------------------ the model

def test_program_is_derived_from_plan():
    item = EXPENSES[5]
    assert item.program_code == PROG_DIGITAL  # 320201832 + 00
    assert item.program_name == "數位發展計畫"
    assert item.work_name == "數位發展計畫"
    assert EXPENSES[-1].work_name == "資訊安全"


# ------------------------------------------------------------------ 丙3 各項費用彙計表

def test_summary_columns(summary):
    keys = [c.key for c in summary.columns if c.kind == AMOUNT]
    assert keys == [A, B, C, "合計"]
    assert summary.unit == "千元"


def test_summary_total_row(summary):
    assert summary.value("合計", A) == 7    # 4,500 + 2,500 + 499 = 7,499 元 → 7
    assert summary.value("合計", B) == 23   # 2,500 + 10,500 + 10,000 = 23,000 元 → 23
    assert summary.value("合計", C) == 3    # 800 + 300 + 2,000 = 3,100 元 → 3
    # 尾差: 7 + 23 + 3 = 33, but 合計 is rounded from 33,599 元 → 34
    assert summary.value("合計", "合計") == 34


def test_summary_personnel_tail_difference(summary):
    assert summary.value("1015", A) == 2    # 1,500 → 2
    assert summary.value("1030", A) == 2    # 1,500 → 2
    assert summary.value("1055", A) == 2    # 1,500 → 2
    # 尾差: 2 + 2 + 2 = 6, but 1000 人事費 is 4,500 元 → 5
    assert summary.value("1000", A) == 5
    assert summary.value("1000", "合計") == 5
    assert summary.value("1000", B) is None  # no 人事費 in B: blank, not 0
    assert summary.value("1000", C) is None


def test_summary_business_rows(summary):
    assert summary.value("2054", A) == 3        # 2,500 → 3 (not banker's 2)
    assert summary.value("2018", B) == 3        # 1,200 + 1,300 = 2,500 元 → 3
    assert summary.value("2018", C) == 1        # 800 → 1
    assert summary.value("2018", "合計") == 3   # 2,500 + 800 = 3,300 → 3 (3 + 1 = 4: 尾差)
    assert summary.value("2039", B) == 11       # 10,500 → 11 (資本門 業務費 is still 業務費 here)
    assert summary.value("2072", C) == 0        # 300 → 0
    assert summary.value("2072", "合計") == 0
    assert summary.value("2000", A) == 3        # 2,500 → 3
    assert summary.value("2000", B) == 13       # 2,500 + 10,500 = 13,000 → 13
    assert summary.value("2000", C) == 1        # 800 + 300 = 1,100 → 1
    assert summary.value("2000", "合計") == 17  # 2,500 + 13,000 + 1,100 = 16,600 → 17


def test_summary_equipment_and_grants(summary):
    assert summary.value("3030", B) == 10       # 5,500 + 4,500 = 10,000 → 10 (6 + 5 = 11 if rounded per line)
    assert summary.value("3030", C) == 2        # 2,000 → 2
    assert summary.value("3000", "合計") == 12  # 10,000 + 2,000 = 12,000 → 12
    assert summary.value("4085", A) == 0        # 499 → 0
    assert summary.value("4000", "合計") == 0   # 499 → 0


def test_summary_rows_in_order(summary):
    assert [r.code for r in summary.rows] == [
        "合計", "1000", "1015", "1030", "1055", "2000", "2018", "2039", "2054", "2072",
        "3000", "3030", "4000", "4085"]


# ------------------------------------------------------------------ 丙4 一級用途別科目分析表

def test_level1_rows(level1):
    assert [r.code for r in level1.rows] == ["合計", POLICY, PROG_ADMIN, A, PROG_DIGITAL, B, C]
    assert level1.find(POLICY).name == "行政支出"  # 政事別 32


def test_level1_total(level1):
    assert level1.value("合計", "合計") == 34                  # 33,599 → 34
    assert level1.value("合計", "經常支出/小計") == 11         # 7,499 + 2,500 + 1,100 = 11,099 → 11
    assert level1.value("合計", "經常支出/人事費") == 5        # 4,500 → 5
    assert level1.value("合計", "經常支出/業務費") == 6        # 2,500 + 2,500 + 800 + 300 = 6,100 → 6
    assert level1.value("合計", "經常支出/獎補助費") == 0      # 499 → 0
    assert level1.value("合計", "經常支出/債務費") is None     # none
    assert level1.value("合計", "資本支出/小計") == 23         # 10,500 + 10,000 + 2,000 = 22,500 → 23
    assert level1.value("合計", "資本支出/業務費") == 11       # 10,500 → 11
    assert level1.value("合計", "資本支出/設備及投資") == 12   # 12,000 → 12
    assert level1.value(POLICY, "合計") == 34                  # one 政事別: same as 合計


def test_level1_plan_a(level1):
    for code in (PROG_ADMIN, A):  # the 業務計畫 has one 工作計畫
        assert level1.value(code, "合計") == 7               # 7,499 → 7
        assert level1.value(code, "經常支出/小計") == 7      # all 經常
        assert level1.value(code, "經常支出/人事費") == 5    # 4,500 → 5
        assert level1.value(code, "經常支出/業務費") == 3    # 2,500 → 3
        assert level1.value(code, "經常支出/獎補助費") == 0  # 499 → 0
        assert level1.value(code, "資本支出/小計") is None   # no 資本門


def test_level1_plan_b_tail_difference(level1):
    assert level1.value(B, "經常支出/小計") == 3          # 1,200 + 1,300 = 2,500 → 3
    assert level1.value(B, "經常支出/業務費") == 3
    assert level1.value(B, "資本支出/小計") == 21         # 10,500 + 5,500 + 4,500 = 20,500 → 21
    assert level1.value(B, "資本支出/業務費") == 11       # 10,500 → 11
    assert level1.value(B, "資本支出/設備及投資") == 10   # 10,000 → 10
    # 尾差: 3 + 21 = 24, but 合計 is 23,000 元 → 23
    assert level1.value(B, "合計") == 23


def test_level1_plan_c(level1):
    assert level1.value(C, "合計") == 3                  # 3,100 → 3
    assert level1.value(C, "經常支出/小計") == 1         # 800 + 300 = 1,100 → 1
    assert level1.value(C, "資本支出/小計") == 2         # 2,000 → 2
    assert level1.value(C, "資本支出/設備及投資") == 2
    assert level1.value(C, "資本支出/業務費") is None


def test_level1_program_digital(level1):
    assert level1.value(PROG_DIGITAL, "合計") == 26           # 23,000 + 3,100 = 26,100 → 26
    assert level1.value(PROG_DIGITAL, "經常支出/小計") == 4   # 2,500 + 1,100 = 3,600 → 4
    assert level1.value(PROG_DIGITAL, "資本支出/小計") == 23  # 20,500 + 2,000 = 22,500 → 23
    # 尾差: 4 + 23 = 27 ≠ 26
    assert level1.value(PROG_DIGITAL, "資本支出/設備及投資") == 12  # 10,000 + 2,000 → 12
    assert level1.value(PROG_DIGITAL, "資本支出/業務費") == 11      # 10,500 → 11


# ------------------------------------------------------------------ 丙5 資本支出分析表

def test_capital(capital):
    assert [r.code for r in capital.rows] == ["合計", PROG_DIGITAL, B, C]  # 一般行政 has no 資本門
    assert capital.value("合計", "合計") == 23                              # 22,500 → 23
    assert capital.value("合計", "設備及投資/資訊軟硬體設備") == 12         # 10,000 + 2,000 → 12
    assert capital.value("合計", "其他資本支出") == 11                      # 資本門 2039 10,500 → 11
    assert capital.value(PROG_DIGITAL, "合計") == 23                        # same lines
    assert capital.value(B, "合計") == 21                                   # 20,500 → 21
    assert capital.value(B, "設備及投資/資訊軟硬體設備") == 10              # 10,000 → 10
    assert capital.value(B, "其他資本支出") == 11                           # 10,500 → 11
    assert capital.value(C, "合計") == 2                                    # 2,000 → 2
    assert capital.value(C, "設備及投資/資訊軟硬體設備") == 2
    assert capital.value(C, "其他資本支出") is None
    assert capital.value("合計", "設備及投資/土地") is None


# ------------------------------------------------------------------ 乙2 歲出機關別預算表

def test_agency_budget_rows(agency_budget):
    assert [r.code for r in agency_budget.rows] == [
        "00020000000",  # 主管: 00 + 02 + 0000000
        "00020180000",  # 機關: 00 + 02018 + 0000
        PROG_ADMIN, A, PROG_DIGITAL, B, C, D]


def test_agency_budget_totals(agency_budget):
    for code in ("00020000000", "00020180000"):
        assert agency_budget.value(code, "本年度預算數") == 34          # 33,599 → 34
        assert agency_budget.value(code, "上年度預算數") == 42          # 6 + 30 + 2 + 4
        assert agency_budget.value(code, "前年度決算數") == 36          # 5 + 28 + 3 (C has none)
        assert agency_budget.value(code, "本年度與上年度比較") == -8    # 34 − 42


def test_agency_budget_programs(agency_budget):
    assert agency_budget.value(PROG_ADMIN, "本年度預算數") == 7          # 7,499 → 7
    assert agency_budget.value(PROG_ADMIN, "上年度預算數") == 6
    assert agency_budget.value(PROG_ADMIN, "本年度與上年度比較") == 1    # 7 − 6
    assert agency_budget.value(PROG_DIGITAL, "本年度預算數") == 26       # 23,000 + 3,100 = 26,100 → 26
    assert agency_budget.value(PROG_DIGITAL, "上年度預算數") == 36       # 30 + 2 + 4
    assert agency_budget.value(PROG_DIGITAL, "前年度決算數") == 31       # 28 + 3
    assert agency_budget.value(PROG_DIGITAL, "本年度與上年度比較") == -10  # 26 − 36


def test_agency_budget_plans(agency_budget):
    assert agency_budget.value(A, "本年度預算數") == 7
    assert agency_budget.value(A, "前年度決算數") == 5
    assert agency_budget.value(A, "本年度與上年度比較") == 1     # 7 − 6
    assert agency_budget.value(A, "說明") == "與上年度比較：增列1千元"
    assert agency_budget.value(B, "本年度預算數") == 23
    assert agency_budget.value(B, "本年度與上年度比較") == -7    # 23 − 30
    assert agency_budget.value(C, "本年度預算數") == 3           # 3,100 → 3
    assert agency_budget.value(C, "前年度決算數") is None        # missing is not zero
    assert agency_budget.value(C, "本年度與上年度比較") == 1     # 3 − 2
    # a plan dropped this year: 0 this year, still compared
    assert agency_budget.find(D).name == "智慧城市"
    assert agency_budget.value(D, "本年度預算數") == 0
    assert agency_budget.value(D, "上年度預算數") == 4
    assert agency_budget.value(D, "本年度與上年度比較") == -4    # 0 − 4


def test_agency_budget_ignores_revenue_prior(agency_budget):
    assert REVENUE_CODE not in {r.code for r in agency_budget.rows}


# ------------------------------------------------------------------ 丙10 職能及經濟性綜合分類表

def test_function_econ(function_econ):
    for row in ("合計", "01"):  # the agency is all 01 一般公共事務
        assert function_econ.value(row, "總計") == 34                                    # 33,599 → 34
        assert function_econ.value(row, "經常支出/受僱人員報酬") == 5                    # 4,500 → 5
        assert function_econ.value(row, "經常支出/購買商品及勞務支出") == 6              # 2,500 + 2,500 + 800 + 300 = 6,100 → 6
        assert function_econ.value(row, "經常支出/經常移轉/對非營利及民間機構") == 0     # 499 → 0
        assert function_econ.value(row, "經常支出/經常支出合計") == 11                   # 11,099 → 11
        assert function_econ.value(row, "資本支出/固定資本形成/資訊軟體") == 15          # 10,500 + 4,500 = 15,000 → 15
        assert function_econ.value(row, "資本支出/固定資本形成/機器及其他設備") == 8     # 5,500 + 2,000 = 7,500 → 8
        assert function_econ.value(row, "資本支出/資本支出合計") == 23                   # 22,500 → 23
        assert function_econ.value(row, "經常支出/債務利息") is None
    assert function_econ.value("02", "總計") is None  # other functions are blank


# ------------------------------------------------------------------ 乙1 歲入來源別預算表

def test_revenue_sources(revenue_sources):
    codes_ = [r.code for r in revenue_sources.rows]
    assert codes_ == ["合計", "經常門合計", "09000000000", "09020180000", "09020180100", REVENUE_CODE]
    for code in codes_:
        assert revenue_sources.value(code, "本年度預算數") == 13        # 12,500 → 13 (not banker's 12)
        assert revenue_sources.value(code, "上年度預算數") == 10
        assert revenue_sources.value(code, "前年度決算數") == 9
        assert revenue_sources.value(code, "本年度與上年度比較") == 3   # 13 − 10
    assert revenue_sources.find("09000000000").name == "補助及協助收入"
    assert revenue_sources.value("09000000000", "款") == "06"


# ------------------------------------------------------------------ 丙2 明細表 (元)

def _total_row(table, code):
    return next(r for r in table.rows if r.code == code and r.style == TOTAL)


def test_detail_totals_in_yuan(detail):
    assert detail.unit == "元"
    assert _total_row(detail, A).cells["預算數"] == 7_499     # 4,500 + 2,500 + 499
    assert _total_row(detail, B).cells["預算數"] == 23_000    # 2,500 + 10,500 + 10,000
    assert _total_row(detail, C).cells["預算數"] == 3_100     # 800 + 300 + 2,000
    assert _total_row(detail, B).cells["說明"] == "市款21,800元，收支併列1,200元"  # 23,000 − 1,200
    assert _total_row(detail, A).cells["說明"] == "市款7,499元"


def test_detail_headings_in_thousands(detail):
    banners = {r.code: r.name for r in detail.rows if r.style == "banner"}
    assert banners[A].endswith("預算金額：7千元")     # 7,499 → 7
    assert banners[B].endswith("預算金額：23千元")    # 23,000 → 23
    assert banners[C].endswith("預算金額：3千元")     # 3,100 → 3


def test_detail_banners_name_the_office_and_the_note():
    """明細表's banner rows over a section, 歲出 (a 工作計畫) and 歲入 (a 來源別科目) alike: the heading, its 承辦單位 and
    預算金額 in 千元, then the 說明提要 line; a section without 說明提要 has the heading and 預算金額 only."""
    from dataclasses import replace

    from xlbudget.core.model import PlanNote

    book = replace(BOOK, plan_notes=(PlanNote(A, "資訊科", "辦理行政管理"),),
                   revenue_notes=(PlanNote(REVENUE_CODE, "會計室", "依補助計畫編列"),))
    expense = [r.name for r in schedules.derive_detail(book).rows if r.style == "banner"]
    assert expense[:3] == [f"業務計畫及工作計畫名稱與編號：{A} 一般行政-行政管理　承辦單位：資訊科　預算金額：7千元",  # 7,499
                           "歲出計畫說明：辦理行政管理",
                           f"業務計畫及工作計畫名稱與編號：{B} 數位發展計畫-數位發展計畫　預算金額：23千元"]  # no 說明提要
    revenue = [r.name for r in budgets.derive_revenue_detail(book).rows if r.style == "banner"]
    assert revenue == [f"來源別子目及細目與編號：{REVENUE_CODE} 上級政府補助收入-計畫型補助收入　承辦單位：會計室"
                       "　預算金額：13千元",  # 12,500 → 12.5 → 13, half away from zero
                       "歲入項目說明：依補助計畫編列"]


def test_detail_levels(detail):
    assert detail.value(f"{A}/01行政業務", "預算數") == 7_499               # the only 分支計畫 of A
    assert detail.value(f"{A}/01行政業務/1000", "預算數") == 4_500          # 1,500 × 3
    assert detail.value(f"{B}/01數位服務", "預算數") == 2_500               # 1,200 + 1,300
    assert detail.value(f"{B}/01數位服務", "說明") == "市款1,300元，收支併列1,200元"
    assert detail.value(f"{B}/01數位服務/2018", "預算數") == 2_500          # the 二級 row
    assert detail.value(f"{B}/02資源管理", "預算數") == 20_500              # 10,500 + 5,500 + 4,500
    assert detail.value(f"{B}/02資源管理/3000", "預算數") == 10_000         # 5,500 + 4,500
    assert detail.value(f"{C}/2000", "預算數") == 1_100                     # no 分支計畫: 800 + 300
    assert detail.value(f"{C}/3030", "預算數") == 2_000


# ------------------------------------------------------------------ every table

@pytest.mark.parametrize("derive", [
    schedules.derive_summary, schedules.derive_level1, schedules.derive_capital,
    budgets.derive_agency_budget, schedules.derive_function_econ, budgets.derive_revenue_sources,
    schedules.derive_detail, budgets.derive_revenue_detail,
])
def test_amount_cells_are_ints(derive):
    table = derive(BOOK)
    amount_keys = [c.key for c in table.columns if c.kind == AMOUNT]
    for row in table.rows:
        for key in amount_keys:
            value = row.cells.get(key)
            assert value is None or type(value) is int, (table.title, row.code, key, value)


# ------------------------------------------------------------------ 以前年度: 歲出 or 歲入?

def _with_prior(prior):
    return BudgetBook(agency=AGENCY, expenses=EXPENSES, revenues=REVENUES, prior=tuple(prior))


def test_dropped_revenue_with_numbers_stays_in_revenue_table():
    # a 歲入 科目 with no budget this year, typed with its 款項目節 as the template asks
    gone = PriorYear("04020180301", "賠償收入-一般賠償收入", last_budget=0, prior_final=54,
                     numbers=("02", "007", "01", "01"))
    book = _with_prior(PRIOR + (gone,))
    revenue = budgets.derive_revenue_sources(book)
    assert revenue.value("04020180301", "本年度預算數") == 0           # no item this year
    assert revenue.value("04020180301", "前年度決算數") == 54
    assert revenue.value("合計", "前年度決算數") == 63                  # 9 + 54
    assert revenue.value("合計", "本年度與上年度比較") == 3             # 13 − (10 + 0)
    agency = budgets.derive_agency_budget(book)
    assert "04020180301" not in {r.code for r in agency.rows}
    assert agency.value("00020000000", "前年度決算數") == 36           # unchanged: 5 + 28 + 3


def test_expense_prior_with_numbers_stays_in_expense_table():
    prior = tuple(PriorYear(p.code, p.name, p.last_budget, p.prior_final, p.note,
                            numbers=("", "", "01", "01")) if p.code == A else p for p in PRIOR)
    book = _with_prior(prior)
    agency = budgets.derive_agency_budget(book)
    assert agency.value(A, "上年度預算數") == 6
    assert agency.value(A, "本年度與上年度比較") == 1                  # 7 − 6
    assert agency.value("00020000000", "上年度預算數") == 42           # 6 + 30 + 2 + 4
    revenue = budgets.derive_revenue_sources(book)
    assert A not in {r.code for r in revenue.rows}
    assert revenue.value("合計", "上年度預算數") == 10                  # the 歲入 line only
