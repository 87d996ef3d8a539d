"""People, trips and words (issue 3): the seed's 人事費彙計表, 約聘僱人員費用分析表, 派員出國計畫,
員額編制表 and the figures of its 預算總說明.

Expected numbers are transcribed by hand from ../shared/seed/000_9c62b59cf9023585.txt.
"""

import dataclasses

import pytest
from hypothesis import given, settings, strategies as st

from xlbudget.core.amounts import NotANumber
from xlbudget.app.example import example_workbook
from xlbudget.app.export import export_records
from xlbudget.readers.inputs import read_book
from xlbudget.core.model import Paragraph
from xlbudget.derive.narrative import (format_chinese, parse_chinese, parse_chinese_thousands, percent,
                                standard_sentences)
from xlbudget.derive.personnel import (derive_contract_staff, derive_staff_costs, derive_staffing,
                                derive_trips_by_kind, derive_trips_summary)
from xlbudget.rules.checks import check_people
from xlbudget.rules.narrative import check_narrative
from xlbudget.rules.staff import check_contract_total, check_headcount, check_staff_costs_vs_items
from xlbudget.rules.trips import check_trips_vs_travel
from xlbudget.adapters.xlsxfile import input_grids


@pytest.fixture(scope="module")
def book():
    book, findings = read_book(input_grids(example_workbook(), "範例"), "範例")
    assert findings == []
    return book


# 人事費彙計表 (seed page 22), 元. Columns: 預算員額, 法定編制人員待遇, 約聘僱人員待遇, 技工及工友待遇, 獎金,
# 其他給與, 加班費, 退休離職儲金, 保險, 合計 (民意代表待遇, 政務人員待遇, 退休退職給付 are blank in the seed)
STAFF_COLUMNS = ("預算員額", "法定編制人員待遇", "約聘僱人員待遇", "技工及工友待遇", "獎金", "其他給與", "加班費",
                 "退休離職儲金", "保險", "合計")
STAFF_FIGURES = {
    "合計": (47, 25_356_370, 5_282_562, 1_225_800, 6_403_745, 848_000, 934_339, 320_328, 2_606_856, 42_978_000),
    "正式員額": (36, 25_356_370, None, None, 5_386_310, 576_000, 806_339, None, 1_809_924, 33_934_943),
    "職員": (36, 25_356_370, None, None, 5_386_310, 576_000, 806_339, None, 1_809_924, 33_934_943),
    "約聘僱人員": (8, None, 5_282_562, None, 659_910, 224_000, None, 320_328, 628_200, 7_115_000),
    "技工": (1, None, None, 429_240, 125_195, 16_000, 24_000, None, 61_308, 655_743),
    "工友": (2, None, None, 796_560, 232_330, 32_000, 48_000, None, 107_424, 1_216_314),
    "其他人事費": (None, None, None, None, None, None, 56_000, None, None, 56_000),
}


@pytest.mark.parametrize("row", STAFF_FIGURES)
def test_staff_costs_match_seed(book, row):
    table = derive_staff_costs(book)
    assert tuple(table.value(row, c) for c in STAFF_COLUMNS) == STAFF_FIGURES[row]
    for blank in ("民意代表待遇", "政務人員待遇", "退休退職給付"):
        assert table.value(row, blank) is None


def test_staff_costs_note_prints_on_the_total_row_as_in_the_seed(book):
    # seed 人事費彙計表: 「加班費56,000元」 in 備註 of the 合計 line; typed on 其他人事費 in the inputs
    table = derive_staff_costs(book)
    assert table.value("合計", "備註") == "加班費56,000元"
    assert not table.value("其他人事費", "備註")


def test_staff_costs_row_order(book):
    assert [r.code for r in derive_staff_costs(book).rows] == list(STAFF_FIGURES)


# 約聘僱人員費用分析表 (seed page 23), 元
def test_contract_staff_matches_seed(book):
    table = derive_contract_staff(book)
    by_code = {r.code: r for r in table.rows}
    for code in ("合計", "0002000000", "00020180000", "32020180100", "32020180101"):
        assert by_code[code].cells["全年度預算數"] == 7_115_000
    groups = [(r.cells.get("約聘人員"), r.cells.get("約僱人員"), r.cells["全年度預算數"], r.cells["說明"])
              for r in table.rows if r.style == "item"]
    assert groups == [("3x12", None, 2_670_000, "約聘人員2人及約聘數位視覺設計師1人。"),
                      ("3x12", None, 3_230_000, "約聘人員3人。"),
                      (None, "2x12", 1_215_000, "約僱資料員2人。")]
    assert by_code["合計"].cells["說明"] == (
        "包括約聘僱人員待遇5,282,562元、年終工作獎金659,910元、未休假加班費0元、保險費628,200元、"
        "離職儲金320,328元及休假補助224,000元。")
    numbers = [(r.cells["款"], r.cells["項"], r.cells["目"], r.cells["節"]) for r in table.rows[1:5]]
    assert numbers == [("02", "", "", ""), ("", "009", "", ""), ("", "", "01", ""), ("", "", "", "01")]


# 派員出國計畫預算類別表—考察、訪問 (seed page 25), 千元
def test_trips_by_kind_matches_seed(book):
    table = derive_trips_by_kind(book, ("考察", "訪問"))
    assert table.title == "派員出國計畫預算類別表—考察、訪問"
    assert [r.name for r in table.rows] == ["考察", "參與國際展會"]
    assert table.rows[0].cells["計畫名稱"] == "一、考察"
    trip = table.rows[1].cells
    assert (trip["擬前往國家"], trip["擬拜會機構"], trip["預計前往期間"], trip["預計天數"], trip["擬派人數"]) == (
        "西班牙", "巴塞隆納智慧城市展", "1130101-1131231", 10, 4)
    assert (trip["旅費預算/交通費"], trip["旅費預算/生活費"], trip["旅費預算/辦公費"], trip["旅費預算/合計"]) == (
        160, 220, 20, 400)
    assert (trip["歸屬預算科目"], trip["前3年內有無赴同一機構拜會/有/無"]) == ("數位發展計畫-數位發展計畫", "無")


def test_trip_period_kept_as_an_excel_date_prints_in_minguo_digits():
    # field report 3 #24: 預計前往期間 typed as a date cell (2026/9/1) printed 「2026-09-01 00:00:00」; the seed prints
    # this column in 民國 digits (1130101-1131231), so 2026-09-01 is 民國 115 (2026 − 1911) → 1150901
    import datetime

    wb = example_workbook()
    sheet = wb["出國計畫"]
    column = next(c.column for c in sheet[1] if c.value == "預計前往期間")
    sheet.cell(2, column).value = datetime.datetime(2026, 9, 1)
    book, findings = read_book(input_grids(wb, "範例"), "範例")
    assert findings == []
    trip = derive_trips_by_kind(book, ("考察", "訪問")).rows[1].cells
    assert trip["計畫名稱"] == "參與國際展會" and trip["預計前往期間"] == "1150901"


def test_trips_summary(book):
    """The seed prints no 總表 page text; its figures follow from the one 考察 trip: 1 項, 4人x10天, 400 千元."""
    table = derive_trips_summary(book)
    assert [r.code for r in table.rows] == ["考察", "訪問", "開會", "進修", "研究", "實習", "合計"]
    for code in ("考察", "合計"):
        assert (table.value(code, "本年度計畫項數"), table.value(code, "本年度預計人天"),
                table.value(code, "本年度預算數")) == (1, "4人x10天", 400)
    assert table.value("訪問", "本年度預算數") is None


# 員額編制表 (seed, 預算總說明), persons
def test_staffing_matches_seed(book):
    table = derive_staffing(book)
    printed = [(r.code, r.cells["法定編制員額"], r.cells["本年度預算員額"], r.cells["上年度預算員額"],
                r.cells["與上年度預算員額比較增減"]) for r in table.rows[1:]]
    assert printed == [("民意代表", 0, 0, 0, 0), ("職員", 38, 36, 36, 0), ("警員", 0, 0, 0, 0),
                       ("消防人員", 0, 0, 0, 0), ("技工", 1, 1, 1, 0), ("駕駛", 1, 0, 0, 0), ("工友", 2, 2, 2, 0)]
    # 合計: 38 + 1 + 1 + 2 = 42 (總說明: 編制員額38人，技工1人，駕駛1人，工友2人，共計42人); 36 + 1 + 2 = 39
    assert (table.value("合計", "法定編制員額"), table.value("合計", "本年度預算員額")) == (42, 39)


def test_export_includes_people_tables(book):
    records = {(r["table"], r["row_code"], r["column"]): r for r in export_records(book)}
    assert records[("人事費彙計表", "約聘僱人員", "合計")]["value"] == 7_115_000
    assert records[("人事費彙計表", "職員", "法定編制人員待遇")]["value"] == 25_356_370
    assert records[("人事費彙計表", "合計", "預算員額")] == {
        "table": "人事費彙計表", "row_code": "合計", "row_name": "合計", "column": "預算員額", "value": 47, "unit": "人"}
    assert records[("約聘僱人員費用分析表", "合計", "全年度預算數")]["value"] == 7_115_000
    assert records[("派員出國計畫預算總表", "考察", "本年度預算數")]["value"] == 400
    assert records[("員額編制表", "職員", "法定編制員額")]["value"] == 38


# ---------------------------------------------------------------- 勾稽

def test_seed_people_consistent(book):
    assert check_people(book) == []


def test_staff_costs_vs_items_catches_a_changed_component(book):
    """人事費彙計表 保險 of 工友 107,424 → 107,425: the column no longer equals 1055 保險 2,606,856."""
    staff = tuple(dataclasses.replace(s, components={**s.components, "保險": 107_425}) if s.category == "工友" else s
                  for s in book.staff_costs)
    findings = check_staff_costs_vs_items(dataclasses.replace(book, staff_costs=staff))
    assert [(f.rule, f.expected, f.actual) for f in findings] == [
        ("staff-costs-vs-items", 2_606_856, 2_606_857)]


def test_headcount_catches_contract_persons(book):
    """約聘僱 groups 3 + 3 + 2 = 8 persons; a group of 4 makes 9 ≠ 人事費彙計表 8."""
    groups = (dataclasses.replace(book.contract_staff[0], persons=4),) + book.contract_staff[1:]
    findings = check_headcount(dataclasses.replace(book, contract_staff=groups))
    assert [(f.rule, f"{f.cell.sheet}!{f.cell.cell}", f.expected, f.actual) for f in findings] == [
        ("headcount-mismatch", "人事費!B3", 9, 8)]


def test_headcount_catches_staffing_sheet(book):
    staffing = tuple(dataclasses.replace(s, current=35) if s.category == "職員" else s for s in book.staffing)
    findings = check_headcount(dataclasses.replace(book, staffing=staffing))
    assert [(f.rule, f.expected, f.actual) for f in findings] == [("headcount-mismatch", 35, 36)]


def test_contract_total(book):
    """2,670,000 + 3,230,000 + 1,215,001 = 7,115,001 ≠ 7,115,000."""
    groups = book.contract_staff[:2] + (dataclasses.replace(book.contract_staff[2], amount=1_215_001),)
    findings = check_contract_total(dataclasses.replace(book, contract_staff=groups))
    assert [(f.rule, f"{f.cell.sheet}!{f.cell.cell}", f.expected, f.actual) for f in findings] == [
        ("contract-total-mismatch", "約聘僱!E2", 7_115_000, 7_115_001)]


def test_trips_vs_travel(book):
    """生活費 220,000 → 230,000: trips 410,000 ≠ 2078 國外旅費 400,000 of 32020183201."""
    trips = (dataclasses.replace(book.trips[0], living=230_000),)
    findings = check_trips_vs_travel(dataclasses.replace(book, trips=trips))
    assert [(f.rule, f"{f.cell.sheet}!{f.cell.cell}", f.expected, f.actual) for f in findings] == [
        ("trips-vs-travel", "出國計畫!I2", 400_000, 410_000)]


def test_trips_vs_travel_of_a_book_made_in_code_without_cells_or_travel_lines(book):
    """Leftover: a plan's trips with no cells (a book made in code: Trip's cells default to none; read from 出國計畫 a
    trip always has its money cells, the columns being required) and no 2078 line took items[0] of an empty list
    (IndexError). Now the finding all the same: the seed's trip, 160,000 + 220,000 + 20,000 = 400,000 元 of trips
    against 0 元 of 2078 once its one 2078 line (歲出明細 row 41, 400,000) is gone; at no cell, having none."""
    trips = (dataclasses.replace(book.trips[0], cells={}),)
    expenses = tuple(i for i in book.expenses if i.object_code != "2078")
    assert len(expenses) == len(book.expenses) - 1
    findings = check_trips_vs_travel(dataclasses.replace(book, trips=trips, expenses=expenses))
    assert [(f.rule, f.cell, f.expected, f.actual) for f in findings] == [("trips-vs-travel", None, 0, 400_000)]
    # with the trip's name cell left, the finding is named there
    named = (dataclasses.replace(book.trips[0], cells={"計畫名稱": book.trips[0].cells["計畫名稱"]}),)
    findings = check_trips_vs_travel(dataclasses.replace(book, trips=named, expenses=expenses))
    assert [(f"{f.cell.sheet}!{f.cell.cell}", f.actual) for f in findings] == [("出國計畫!A2", 400_000)]


# ---------------------------------------------------------------- narrative amounts

@pytest.mark.parametrize("thousands,text", [
    (275_795, "2億7,579萬5千元"), (2_800, "280萬元"), (3_785, "378萬5千元"), (57_019, "5,701萬9千元"),
    (197_324, "1億9,732萬4千元"), (78_471, "7,847萬1千元"), (43_769, "4,376萬9千元"), (232_026, "2億3,202萬6千元"),
    (38_533, "3,853萬3千元"), (38_587, "3,858萬7千元"), (190_786, "1億9,078萬6千元"), (188_162, "1億8,816萬2千元"),
    (144_399, "1億4,439萬9千元"), (60_935, "6,093萬5千元"), (49_005, "4,900萬5千元"), (2_797, "279萬7千元"),
    (0, "0元"), (5, "5千元"), (10, "1萬元"), (100_000, "1億元"), (100_001, "1億1千元"), (1_000_000_000, "1兆元"),
])
def test_seed_amount_sentences(thousands, text):
    """Every amount written in the seed's 預算總說明, both ways."""
    assert format_chinese(thousands) == text
    assert parse_chinese_thousands(text) == thousands


@settings(deadline=None)  # no timing in tests: the machines are shared
@given(st.integers(min_value=0, max_value=10**12))
def test_format_then_parse_is_identity(thousands):
    assert parse_chinese_thousands(format_chinese(thousands)) == thousands


@pytest.mark.parametrize("text,yuan", [("57,019千元", 57_019_000), ("５６,０００元", 56_000), ("新臺幣280萬元", 2_800_000),
                                       ("-5千元", -5_000), ("378萬5千", 3_785_000),
                                       # field item 14: 5 × 1,000 × 10,000; 1.5 × 10,000
                                       ("5千萬元", 50_000_000), ("1.5萬元", 15_000)])
def test_parse_variants(text, yuan):
    assert parse_chinese(text) == yuan


@pytest.mark.parametrize("text", ["", "元", "五萬五元", "1萬2億元", "12,34萬元", "1.23456萬元"])  # 1.23456萬: 12,345.6 元
def test_parse_rejects(text):
    with pytest.raises(NotANumber):
        parse_chinese(text)


def test_percent_rounding():
    assert percent(38_587, 38_533) == "100.14%"  # 1.001401…
    assert percent(188_162, 190_786) == "98.62%"  # 0.986246…
    assert percent(1, 8) == "12.50%"
    assert percent(1, 3) == "33.33%"
    assert percent(-1, 800) == "-0.13%" and percent(0, -5) == "0.00%"  # −0.125 → −0.13, away from zero


# ---------------------------------------------------------------- the narrative against the tables

def test_standard_sentences_reproduce_the_seed(book):
    sentences = standard_sentences(book)
    for expected in (
        "歲入部分：前年度歲入預算數3,853萬3千元，歲入決算數3,858萬7千元，執行率達100.14%。",
        "歲出部分：前年度歲出預算數1億9,078萬6千元，歲出決算數1億8,816萬2千元，執行率達98.62%。",
        "歲入部分：上年度歲入預算數280萬元。",
        "歲出部分：上年度歲出預算數1億4,439萬9千元。",
        "歲出預算數2億7,579萬5千元，含經常門1億9,732萬4千元，資本門7,847萬1千元，依業務計畫列示如下：",
        "1. 一般行政4,376萬9千元。",
        "2. 數位發展計畫2億3,202萬6千元。",
    ):
        assert expected in sentences


def test_seed_narrative_agrees_with_tables(book):
    # 累計分配數 / 實收 / 實支 of 上年度 are execution figures no table holds: not compared
    assert [f for f in check_narrative(book) if f.rule.startswith("narrative")] == []  # 以前年度 說明: test_prior_notes


def test_amount_with_nothing_to_compare_is_reported_unverified(book):
    findings = check_narrative(_with_paragraph(book, "另辦理研討會，所需300萬元。"))
    assert [(f.rule, f.actual) for f in findings if f.rule.startswith("narrative")] == [
        ("narrative-unverified", "300萬元")]


def _with_paragraph(book, text):
    return dataclasses.replace(book, narrative=book.narrative + (Paragraph(text, None),))


@pytest.mark.parametrize("text,expected", [
    ("歲出預算數2億7,579萬6千元。", 275_795),  # 1 千元 off the 合計
    ("含經常門1億9,732萬5千元", 197_324),
    ("資本門7,847萬元", 78_471),
    ("1. 一般行政4,376萬8千元。", 43_769),
    ("2. 數位發展計畫2億3,202萬5千元。", 232_026),
    ("113年度編列淨零綠生活預算378萬4千元。", 3_785),  # the items tagged 淨零: 1,000 + 3,784,000 元
    ("前年度歲出預算數1億9,078萬6千元，歲出決算數1億8,816萬3千元", 188_162),
    ("前年度歲出預算數1億9,078萬6千元，歲出決算數1億8,816萬2千元，執行率達98.63%。", "98.62%"),
    ("上年度歲入預算數281萬元", 2_800),
])
def test_narrative_mismatch_found(book, text, expected):
    findings = [f for f in check_narrative(_with_paragraph(book, text)) if f.rule == "narrative-mismatch"]
    assert [f.expected for f in findings] == [expected]


def test_seed_net_zero_sentence_is_matched(book):
    """淨零綠生活預算378萬5千元 = 1,000 + 3,784,000 元 tagged 淨零 in 歲出明細: matched, so no finding at all."""
    paragraph = next(p for p in book.narrative if "淨零綠生活預算" in p.text)
    assert [f for f in check_narrative(dataclasses.replace(book, narrative=(paragraph,)))
            if f.rule.startswith("narrative")] == []


def test_trips_summary_of_several_trips_prints_their_person_days_on_one_line():
    # field report 12 §3.1: ten trips of 4 persons x 10 days printed 「4人x10天、4人x10天、…」 ten times over five lines.
    # 臺中 115 prints one trip 「5人x5天」 (kept: test_trips_summary); several, their person-days as the heading names
    # them. Hand: 考察 10 trips x 4人 x 10天 = 400人天; 開會: 2人 x 3天 + 1人 x 5天 = 11人天; 合計 400 + 11 = 411人天.
    # Red before: 「4人x10天、…」 (10 times) and 「2人x3天、1人x5天」
    wb = example_workbook()
    ws = wb["出國計畫"]
    first = [c.value for c in ws[2]]
    for k in range(2, 11):
        ws.append([f"參與國際展會第{k}團", *first[1:]])
    for name, persons, days in (("亞太城市高峰會", 2, 3), ("智慧城市論壇", 1, 5)):
        ws.append([name, "開會", "日本", "東京都廳", "出席會議", "1130101-1131231", days, persons, 10000, 10000, 0,
                   *first[11:]])
    book, _ = read_book(input_grids(wb, "範例"), "範例")
    table = derive_trips_summary(book)
    assert table.value("考察", "本年度預計人天") == "400人天"
    assert table.value("開會", "本年度預計人天") == "11人天"
    assert table.value("合計", "本年度預計人天") == "411人天"
    assert table.value("考察", "本年度計畫項數") == 10 and table.value("合計", "本年度計畫項數") == 12
