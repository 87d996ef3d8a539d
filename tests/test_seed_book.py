"""The bundled example reproduces the seed book (高雄市政府資訊中心 113年度) figure for figure.

Every expected number below is transcribed by hand from the printed seed
(../shared/seed/000_9c62b59cf9023585.txt); none comes from running xlbudget.
"""

import pytest

from xlbudget.app.example import example_workbook
from xlbudget.readers.inputs import read_book
from xlbudget.derive.book import derive_all
from xlbudget.derive.schedules import (AGENCY_BUDGET, CAPITAL, DETAIL, FUNCTION_ECON, LEVEL1, REVENUE_DETAIL,
                                       REVENUE_SOURCES, SUMMARY)
from xlbudget.adapters.xlsxfile import input_grids

ADMIN = "32020180101"  # 一般行政-行政管理
DIGITAL = "32020183201"  # 數位發展計畫-數位發展計畫


@pytest.fixture(scope="module")
def seed():
    book, findings = read_book(input_grids(example_workbook(), "範例"), "範例")
    return book, findings, {t.title: t for t in derive_all(book)}


def test_example_reads_without_findings(seed):
    _, findings, _ = seed
    assert findings == []


# 各項費用彙計表 (seed page 19), 千元: code → (行政管理, 數位發展計畫, 合計); None = blank
SUMMARY_FIGURES = {
    "合計": (43_769, 232_026, 275_795),
    "1000": (42_978, None, 42_978),
    "1015": (25_356, None, 25_356),
    "1020": (5_283, None, 5_283),
    "1025": (1_226, None, 1_226),
    "1030": (6_404, None, 6_404),
    "1035": (848, None, 848),
    "1040": (934, None, 934),
    "1050": (320, None, 320),
    "1055": (2_607, None, 2_607),
    "2000": (779, 153_555, 154_334),
    "2003": (29, None, 29),
    "2009": (100, 11_310, 11_410),
    "2018": (28, 92_938, 92_966),
    "2036": (12, 46, 58),
    "2051": (32, None, 32),
    "2054": (328, 47_585, 47_913),
    "2063": (20, 28, 48),
    "2066": (15, None, 15),
    "2069": (None, 1_137, 1_137),
    "2072": (40, 111, 151),
    "2078": (None, 400, 400),
    "2084": (32, None, 32),
    "2093": (143, None, 143),
    "3000": (None, 78_471, 78_471),
    "3030": (None, 78_471, 78_471),
    "4000": (12, None, 12),
    "4085": (12, None, 12),
}


@pytest.mark.parametrize("code", SUMMARY_FIGURES)
def test_summary_matches_seed(seed, code):
    table = seed[2][SUMMARY]
    admin, digital, total = SUMMARY_FIGURES[code]
    assert table.value(code, ADMIN) == admin
    assert table.value(code, DIGITAL) == digital
    assert table.value(code, "合計") == total


def test_summary_has_exactly_the_seed_rows(seed):
    assert [r.code for r in seed[2][SUMMARY].rows] == list(SUMMARY_FIGURES)


# 歲出一級用途別科目分析表 (seed page 20), 千元
LEVEL1_FIGURES = {
    "合計": {"合計": 275_795, "經常支出/人事費": 42_978, "經常支出/業務費": 154_334, "經常支出/獎補助費": 12,
           "經常支出/小計": 197_324, "資本支出/設備及投資": 78_471, "資本支出/小計": 78_471},
    "32020180000": {"合計": 275_795, "經常支出/人事費": 42_978, "經常支出/業務費": 154_334,
                    "經常支出/獎補助費": 12, "經常支出/小計": 197_324, "資本支出/設備及投資": 78_471,
                    "資本支出/小計": 78_471},
    "32020180100": {"合計": 43_769, "經常支出/人事費": 42_978, "經常支出/業務費": 779, "經常支出/獎補助費": 12,
                    "經常支出/小計": 43_769},
    ADMIN: {"合計": 43_769, "經常支出/人事費": 42_978, "經常支出/業務費": 779, "經常支出/獎補助費": 12,
            "經常支出/小計": 43_769},
    "32020183200": {"合計": 232_026, "經常支出/業務費": 153_555, "經常支出/小計": 153_555,
                    "資本支出/設備及投資": 78_471, "資本支出/小計": 78_471},
    DIGITAL: {"合計": 232_026, "經常支出/業務費": 153_555, "經常支出/小計": 153_555,
              "資本支出/設備及投資": 78_471, "資本支出/小計": 78_471},
}


@pytest.mark.parametrize("code", LEVEL1_FIGURES)
def test_level1_matches_seed(seed, code):
    table = seed[2][LEVEL1]
    printed = {c.key: table.value(code, c.key) for c in table.columns if c.kind == "amount"}
    expected = {key: LEVEL1_FIGURES[code].get(key) for key in printed}
    assert printed == expected


def test_level1_row_order_and_names(seed):
    rows = seed[2][LEVEL1].rows
    assert [(r.code, r.name) for r in rows] == [
        ("合計", "合計"), ("32020180000", "行政支出"), ("32020180100", "一般行政"), (ADMIN, "行政管理"),
        ("32020183200", "數位發展計畫"), (DIGITAL, "數位發展計畫")]


# 資本支出分析表 (seed page 21), 千元
def test_capital_matches_seed(seed):
    table = seed[2][CAPITAL]
    assert [r.code for r in table.rows] == ["合計", "32020183200", DIGITAL]
    for code in ("合計", "32020183200", DIGITAL):
        printed = {c.key: table.value(code, c.key) for c in table.columns if c.kind == "amount"}
        assert {k: v for k, v in printed.items() if v is not None} == {
            "合計": 78_471, "設備及投資/資訊軟硬體設備": 78_471}


# 歲出機關別預算表 (seed page 7), 千元: 本年度, 上年度, 前年度決算, 比較
AGENCY_FIGURES = {
    "0002000000": (275_795, 144_399, 188_162, 131_396),
    "00020180000": (275_795, 144_399, 188_162, 131_396),
    "32020180100": (43_769, 41_366, 37_879, 2_403),
    ADMIN: (43_769, 41_366, 37_879, 2_403),
    "32020183200": (232_026, 103_033, 150_283, 128_993),
    DIGITAL: (232_026, 103_033, 150_283, 128_993),
}
BUDGET_COLUMNS = ("本年度預算數", "上年度預算數", "前年度決算數", "本年度與上年度比較")


@pytest.mark.parametrize("code", AGENCY_FIGURES)
def test_agency_budget_matches_seed(seed, code):
    table = seed[2][AGENCY_BUDGET]
    assert tuple(table.value(code, c) for c in BUDGET_COLUMNS) == AGENCY_FIGURES[code]


def test_agency_budget_numbers(seed):
    table = seed[2][AGENCY_BUDGET]
    printed = [(r.cells["款"], r.cells["項"], r.cells["目"], r.cells["節"]) for r in table.rows]
    assert printed == [("02", "", "", ""), ("", "009", "", ""), ("", "", "01", ""), ("", "", "", "01"),
                       ("", "", "02", ""), ("", "", "", "01")]


# 歲入來源別預算表 (seed page 6), 千元
REVENUE_FIGURES = {
    "合計": (57_019, 2_800, 38_587, 54_219),
    "經常門合計": (57_019, 2_800, 38_587, 54_219),
    "04000000000": (0, 0, 54, 0),  # 款02 printed "-  -  54  -"
    "04020180000": (0, 0, 54, 0),
    "04020180300": (0, 0, 54, 0),
    "04020180301": (0, 0, 54, 0),
    "09000000000": (57_019, 2_800, 38_533, 54_219),  # 款06
    "09020180000": (57_019, 2_800, 38_533, 54_219),
    "09020180100": (57_019, 2_800, 38_533, 54_219),
    "09020180102": (57_019, 2_800, 38_533, 54_219),
}


@pytest.mark.parametrize("code", REVENUE_FIGURES)
def test_revenue_sources_match_seed(seed, code):
    table = seed[2][REVENUE_SOURCES]
    assert tuple(table.value(code, c) for c in BUDGET_COLUMNS) == REVENUE_FIGURES[code]


def test_revenue_sources_rows_in_seed_order(seed):
    table = seed[2][REVENUE_SOURCES]
    assert [r.code for r in table.rows] == list(REVENUE_FIGURES)
    assert [r.cells["款"] + r.cells["項"] + r.cells["目"] + r.cells["節"] for r in table.rows][2:] == [
        "02", "007", "01", "01", "06", "005", "01", "01"]


def test_revenue_detail_matches_seed(seed):
    table = seed[2][REVENUE_DETAIL]
    totals = [r for r in table.rows if r.style == "total"]
    assert [r.cells["預算數"] for r in totals] == [57_019_000]
    assert "預算金額：57,019千元" in table.rows[0].name


# 歲出按職能及經濟性綜合分類表 (seed pages 26-27), 千元
FUNCTION_FIGURES = {
    "經常支出/受僱人員報酬": 43_036,
    "經常支出/購買商品及勞務支出": 154_276,
    "經常支出/經常移轉/對非營利及民間機構": 12,
    "經常支出/經常支出合計": 197_324,
    "資本支出/固定資本形成/資訊軟體": 65_471,
    "資本支出/固定資本形成/機器及其他設備": 13_000,
    "資本支出/資本支出合計": 78_471,
    "總計": 275_795,
}


@pytest.mark.parametrize("row", ["合計", "01"])
def test_function_econ_matches_seed(seed, row):
    table = seed[2][FUNCTION_ECON]
    printed = {c.key: table.value(row, c.key) for c in table.columns if c.kind == "amount"}
    assert {k: v for k, v in printed.items() if v is not None} == FUNCTION_FIGURES


def test_function_econ_other_functions_blank(seed):
    table = seed[2][FUNCTION_ECON]
    assert [r.code for r in table.rows] == ["合計"] + [f"{n:02d}" for n in range(1, 16)]
    for row in table.rows[2:]:
        assert [k for k, v in row.cells.items() if v is not None and k != "職能別分類"] == []


# 歲出計畫說明提要與各項費用明細表 (seed pages 9-18), 元: subtotals and 市款/收支併列 notes
DETAIL_SUBTOTALS = {
    f"{ADMIN}/01行政業務": (43_769_000, "市款43,769,000元"),
    f"{ADMIN}/01行政業務/1000": (42_978_000, "市款42,978,000元"),
    f"{ADMIN}/01行政業務/2000": (779_000, "市款779,000元"),
    f"{ADMIN}/01行政業務/4000": (12_000, "市款12,000元"),
    f"{DIGITAL}/01規劃發展": (48_803_000, "市款48,803,000元"),
    f"{DIGITAL}/01規劃發展/2000": (47_603_000, "市款47,603,000元"),
    f"{DIGITAL}/01規劃發展/3000": (1_200_000, "市款1,200,000元"),
    f"{DIGITAL}/02資源管理": (71_082_000, "市款48,282,000元，收支併列22,800,000元"),
    f"{DIGITAL}/02資源管理/2000": (25_511_000, "市款25,511,000元"),
    f"{DIGITAL}/02資源管理/3000": (45_571_000, "市款22,771,000元，收支併列22,800,000元"),
    f"{DIGITAL}/03數位服務": (43_751_000, "市款43,751,000元"),
    f"{DIGITAL}/03數位服務/2000": (16_651_000, "市款16,651,000元"),
    f"{DIGITAL}/03數位服務/3000": (27_100_000, "市款27,100,000元"),
    f"{DIGITAL}/04資通安全": (68_390_000, "市款34,171,000元，收支併列34,219,000元"),
    f"{DIGITAL}/04資通安全/2000": (63_790_000, "市款29,571,000元，收支併列34,219,000元"),
    f"{DIGITAL}/04資通安全/3000": (4_600_000, "市款4,600,000元"),
}


@pytest.mark.parametrize("code", DETAIL_SUBTOTALS)
def test_detail_subtotals_and_notes(seed, code):
    row = seed[2][DETAIL].find(code)
    assert (row.cells["預算數"], row.cells["說明"]) == DETAIL_SUBTOTALS[code]


def test_detail_plan_totals(seed):
    table = seed[2][DETAIL]
    totals = [r for r in table.rows if r.style == "total"]
    assert [(r.code, r.cells["預算數"], r.cells["說明"]) for r in totals] == [
        (ADMIN, 43_769_000, "市款43,769,000元"),
        (DIGITAL, 232_026_000, "市款175,007,000元，收支併列57,019,000元")]


# 二級 subtotals printed in the 明細表 (元)
DETAIL_LEVEL2 = {
    f"{ADMIN}/01行政業務/1015": 25_356_370, f"{ADMIN}/01行政業務/1020": 5_282_562,
    f"{ADMIN}/01行政業務/1030": 6_403_745, f"{ADMIN}/01行政業務/1040": 934_339,
    f"{ADMIN}/01行政業務/1055": 2_606_856, f"{ADMIN}/01行政業務/2054": 327_929,
    f"{DIGITAL}/01規劃發展/2054": 44_085_000, f"{DIGITAL}/02資源管理/2018": 13_036_000,
    f"{DIGITAL}/03數位服務/2018": 13_151_000, f"{DIGITAL}/03數位服務/3030": 27_100_000,
    f"{DIGITAL}/04資通安全/2018": 63_790_000,
}


@pytest.mark.parametrize("code", DETAIL_LEVEL2)
def test_detail_level2(seed, code):
    row = next(r for r in seed[2][DETAIL].rows if r.code == code and r.style == "group")
    assert row.cells["預算數"] == DETAIL_LEVEL2[code]


def test_matched_equals_revenue_subsidy(seed):
    """收支併列 in 歲出 = 歲入 計畫型補助收入 (22,800 + 34,219 = 57,019 千元)."""
    book = seed[0]
    assert sum(i.matched for i in book.expenses) == 57_019_000
    assert sum(i.amount for i in book.revenues if i.matched) == 57_019_000
