"""The second bundled example (issue 14): 臺中市政府主計處 115年度 builds every table of its 目次 with the printed figures.

Every expected number below is transcribed by hand from ../shared/reference-books/taichung-dbas-115.txt
(page numbers 02004-N as printed); none comes from running xlbudget.
"""

import openpyxl
import pytest

from xlbudget.app.check import check_workbook
from xlbudget.app.example import TAICHUNG, TAICHUNG_NAME, example_workbook
from xlbudget.app.export import export_records
from xlbudget.core.findings import Severity
from xlbudget.readers.inputs import read_book
from xlbudget.app.pipeline import build_workbook
from xlbudget.derive.book import derive_all
from xlbudget.adapters.xlsxfile import input_grids

from conftest import ROOT, said_wrong

PLANS = ("32020040101", "32020040701", "32020040702", "32020040703", "32020040801", "32020040802", "32020049801")


@pytest.fixture(scope="module")
def taichung():
    book, findings = read_book(input_grids(example_workbook(TAICHUNG), "臺中"), "臺中")
    assert findings == []
    records = {(r["table"], r["row_code"], r["column"]): r["value"] for r in export_records(book)}
    return book, records


def test_committed_workbook_matches_package_data():
    committed = openpyxl.load_workbook(ROOT / "workbooks" / TAICHUNG_NAME)
    fresh = example_workbook(TAICHUNG)
    assert {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in committed.worksheets} == {
        ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in fresh.worksheets}


# 目次 (page 2): 乙 主要表 and 丙 附屬表 in printed order; 人事費分析表 is one table per 工作計畫 (02004-36…41)
CONTENTS = ["歲入來源別預算表", "歲出機關別預算表", "歲入項目說明提要與預算明細表", "歲出計畫說明提要與各項費用明細表",
            "各項費用彙計表", "歲出一級用途別科目分析表", "資本支出分析表", "人事費彙計表", "人事費分析表",
            "約聘僱人員費用分析表", "派員出國計畫預算總表", "派員出國計畫預算類別表—考察、訪問", "公務車輛明細表",
            "歲出按職能及經濟性綜合分類表", "轉帳收支對照表"]


def test_every_table_of_the_contents_is_built(taichung):
    book, _ = taichung
    titles = [t.title.split("—")[0] if t.title.startswith("人事費分析表") else t.title for t in derive_all(book)]
    built = list(dict.fromkeys(t for t in titles if t in CONTENTS))
    assert built == CONTENTS
    assert sum(t.startswith("人事費分析表") for t in titles) == 6  # 02004-36…41


# 目次 (page 2) as numbered: 乙 1–2, 丙 1–13 (7.人事費分析表 once for its six plans)
NUMBERED = {"乙、主要表": ["1.歲入來源別預算表", "2.歲出機關別預算表"],
            "丙、附屬表": ["1.歲入項目說明提要與預算明細表", "2.歲出計畫說明提要與各項費用明細表", "3.各項費用彙計表",
                      "4.歲出一級用途別科目分析表", "5.資本支出分析表", "6.人事費彙計表", "7.人事費分析表",
                      "8.約聘僱人員費用分析表", "9.派員出國計畫預算總表", "10.派員出國計畫預算類別表—考察、訪問",
                      "11.公務車輛明細表", "12.歲出按職能及經濟性綜合分類表", "13.轉帳收支對照表"]}


def test_contents_numbered_as_printed(taichung):
    book, _ = taichung
    numbered, section = {}, None
    for row in derive_all(book)[0].rows:
        label = row.cells["目次"].strip().replace(" ", "")
        if not row.code:
            section = label
        elif label[:1].isdigit():
            numbered.setdefault(section, []).append(label.split("—")[0] if "人事費分析表" in label else label)
    assert {k: v for k, v in numbered.items() if k in NUMBERED} == NUMBERED


# 各項費用彙計表 (02004-31/32), 千元: code → one figure per plan of PLANS, then 合計; None = blank
SUMMARY = {
    "合計": (137_984, 2_752, 1_404, 1_586, 1_367, 5_575, 500, 151_168),
    "1000": (121_927, 950, 550, 420, 378, 400, None, 124_625),
    "1015": (76_622, None, None, None, None, None, None, 76_622),
    "1020": (5_141, None, None, None, None, None, None, 5_141),
    "1025": (471, None, None, None, None, None, None, 471),
    "1030": (16_704, None, None, None, None, None, None, 16_704),
    "1035": (1_600, None, None, None, None, None, None, 1_600),
    "1040": (5_198, 950, 550, 420, 378, 400, None, 7_896),
    "1050": (8_897, None, None, None, None, None, None, 8_897),
    "1055": (7_294, None, None, None, None, None, None, 7_294),
    "2000": (14_235, 1_802, 854, 1_166, 989, 5_175, None, 24_221),
    "2003": (88, None, None, None, None, None, None, 88),
    "2009": (570, 10, 15, 5, 20, 110, None, 730),
    "2018": (250, 285, 95, 286, 100, 17, None, 1_033),
    "2021": (57, None, None, None, None, None, None, 57),
    "2024": (42, None, None, None, None, None, None, 42),
    "2027": (8, None, None, None, None, None, None, 8),
    "2033": (7_965, None, None, None, None, None, None, 7_965),
    "2036": (63, 20, 15, 50, 79, 3_473, None, 3_700),
    "2051": (1_027, 450, 149, 60, 96, 146, None, 1_929),  # 1,929: rounded from 1,928,952 元, not Σ of the column
    "2054": (1_952, 912, 487, 695, 669, 1_381, None, 6_096),
    "2063": (127, None, None, None, None, None, None, 127),
    "2066": (91, None, 18, None, None, 9, None, 118),
    "2069": (434, None, None, None, None, None, None, 434),
    "2072": (174, 50, 30, 50, 20, 38, None, 362),
    "2078": (500, None, None, None, None, None, None, 500),
    "2081": (177, 75, 45, 20, 5, None, None, 322),
    "2093": (710, None, None, None, None, None, None, 710),
    "3000": (1_810, None, None, None, None, None, None, 1_810),
    "3025": (910, None, None, None, None, None, None, 910),
    "3030": (450, None, None, None, None, None, None, 450),
    "3035": (450, None, None, None, None, None, None, 450),
    "4000": (12, None, None, None, None, None, None, 12),
    "4085": (12, None, None, None, None, None, None, 12),
    "6000": (None, None, None, None, None, None, 500, 500),
    "6005": (None, None, None, None, None, None, 500, 500),
}


@pytest.mark.parametrize("code", SUMMARY)
def test_summary_per_plan(taichung, code):
    _, records = taichung
    got = tuple(records.get(("各項費用彙計表", code, column)) or None for column in PLANS + ("合計",))
    assert got == SUMMARY[code]


# 歲出一級用途別科目分析表 (02004-33), 千元: 合計, 人事費, 業務費, 獎補助費, 預備金, 經常小計, 設備及投資, 資本小計
LEVEL1 = {
    "合計": (151_168, 124_625, 24_221, 12, 500, 149_358, 1_810, 1_810),
    "32020040100": (137_984, 121_927, 14_235, 12, None, 136_174, 1_810, 1_810),
    "32020040700": (5_742, 1_920, 3_822, None, None, 5_742, None, None),
    "32020040701": (2_752, 950, 1_802, None, None, 2_752, None, None),
    "32020040702": (1_404, 550, 854, None, None, 1_404, None, None),
    "32020040703": (1_586, 420, 1_166, None, None, 1_586, None, None),
    "32020040800": (6_942, 778, 6_164, None, None, 6_942, None, None),
    "32020040801": (1_367, 378, 989, None, None, 1_367, None, None),
    "32020040802": (5_575, 400, 5_175, None, None, 5_575, None, None),
    "32020049800": (500, None, None, None, 500, 500, None, None),
}
LEVEL1_COLUMNS = ("合計", "經常支出/人事費", "經常支出/業務費", "經常支出/獎補助費", "經常支出/預備金", "經常支出/小計",
                  "資本支出/設備及投資", "資本支出/小計")


@pytest.mark.parametrize("code", LEVEL1)
def test_level1(taichung, code):
    _, records = taichung
    assert tuple(records.get(("歲出一級用途別科目分析表", code, c)) or None for c in LEVEL1_COLUMNS) == LEVEL1[code]


# 歲出機關別預算表 (02004-8/9), 千元: 本年度預算數, 上年度預算數, 前年度決算數, 本年度與上年度比較
AGENCY = {
    "00020000000": (151_168, 144_786, 130_806, 6_382),
    "00020040000": (151_168, 144_786, 130_806, 6_382),
    "32020040100": (137_984, 131_602, 118_956, 6_382),
    "32020040101": (137_984, 131_602, 118_956, 6_382),
    "32020040700": (5_742, 6_342, 6_069, -600),
    "32020040701": (2_752, 2_952, 2_837, -200),
    "32020040702": (1_404, 1_604, 1_297, -200),
    "32020040703": (1_586, 1_786, 1_935, -200),
    "32020040800": (6_942, 6_342, 5_781, 600),
    "32020040801": (1_367, 1_367, 1_199, 0),
    "32020040802": (5_575, 4_975, 4_582, 600),
    "32020049800": (500, 500, 0, 0),
    "32020049801": (500, 500, 0, 0),
}
# 歲入來源別預算表 (02004-7), 千元, same columns
SOURCES = {
    "合計": (74, 42, 62, 32),
    "04000000000": (0, 0, 2, 0),
    "04020040301": (0, 0, 2, 0),
    "07000000000": (72, 40, 48, 32),
    "07020040101": (12, 10, 12, 2),
    "07020040501": (60, 30, 36, 30),
    "12000000000": (2, 2, 12, 0),
    "12020040201": (0, 0, 9, 0),
    "12020040210": (2, 2, 3, 0),
}
YEARS = ("本年度預算數", "上年度預算數", "前年度決算數", "本年度與上年度比較")


@pytest.mark.parametrize("table, code, figures", [("歲出機關別預算表", k, v) for k, v in AGENCY.items()]
                         + [("歲入來源別預算表", k, v) for k, v in SOURCES.items()])
def test_agency_and_sources(taichung, table, code, figures):
    _, records = taichung
    assert tuple(records.get((table, code, c)) for c in YEARS) == figures


# 人事費彙計表 (02004-35), 元: 預算員額, 法定編制人員待遇, 約聘僱人員待遇, 技工及工友待遇, 獎金, 其他給與, 加班費,
# 退休離職儲金, 保險, 合計
STAFF_COLUMNS = ("預算員額", "法定編制人員待遇", "約聘僱人員待遇", "技工及工友待遇", "獎金", "其他給與", "加班費", "退休離職儲金",
                 "保險", "合計")
STAFF = {
    "合計": (100, 76_622_040, 5_141_136, 471_240, 16_703_742, 1_600_000, 7_896_464, 8_896_740, 7_293_638,
           124_625_000),
    "職員": (88, 76_622_040, None, None, 15_962_925, 1_408_000, 4_257_104, 8_564_100, 6_458_988, 113_273_157),
    "約聘僱人員": (11, None, 5_141_136, None, 642_642, 176_000, 285_120, 332_640, 763_884, 7_341_422),
    "駕駛": (1, None, None, 471_240, 98_175, 16_000, 26_240, None, 70_188, 681_843),
    "其他人事費": (None, None, None, None, None, None, 3_328_000, None, 578, 3_328_578),
}


@pytest.mark.parametrize("category", STAFF)
def test_staff_costs(taichung, category):
    _, records = taichung
    assert tuple(records.get(("人事費彙計表", category, c)) for c in STAFF_COLUMNS) == STAFF[category]


def test_other_tables(taichung):
    _, records = taichung
    # 人事費分析表 行政管理 (02004-36): 合計 121,927,000, 其他人事費 加班費 630,000; 經濟統計 (02004-41) 400,000
    assert records["人事費分析表—行政管理", "合計", "合計"] == 121_927_000
    assert records["人事費分析表—行政管理", "其他人事費", "加班費"] == 630_000
    assert records["人事費分析表—經濟統計", "合計", "合計"] == 400_000
    # 約聘僱人員費用分析表 (02004-42), 元
    assert records["約聘僱人員費用分析表", "合計", "全年度預算數"] == 7_341_422
    # 派員出國計畫預算總表 (02004-43), 千元
    assert records["派員出國計畫預算總表", "合計", "本年度預算數"] == 500
    assert records["派員出國計畫預算總表", "合計", "上年度預算數"] == 500
    # 員額編制表 (02004-2)
    assert [records["員額編制表", "合計", c] for c in ("法定編制員額", "本年度預算員額", "上年度預算員額",
                                                 "與上年度預算員額比較增減")] == [89, 89, 90, -1]
    # 資本支出分析表 (02004-34), 千元
    assert [records["資本支出分析表", "合計", c] for c in ("合計", "設備及投資/運輸設備", "設備及投資/資訊軟硬體設備",
                                                  "設備及投資/雜項設備")] == [1_810, 910, 450, 450]
    # 歲出按職能及經濟性綜合分類表 (02004-46/47), 千元
    fe = {c: records["歲出按職能及經濟性綜合分類表", "合計", c] for c in (
        "經常支出/受僱人員報酬", "經常支出/購買商品及勞務支出", "經常支出/經常支出合計", "資本支出/固定資本形成/運輸工具",
        "資本支出/固定資本形成/機器及其他設備", "資本支出/資本支出合計", "總計")}
    assert list(fe.values()) == [136_290, 13_056, 149_358, 910, 900, 1_810, 151_168]
    # 公務車輛明細表 (02004-45), 元: 油料費 金額 合計 122,388; 牌照稅 25,470, 養護費 68,000
    vehicles = {k[2]: v for k, v in records.items() if k[:2] == ("公務車輛明細表", "合計")}
    assert (vehicles["油料費/金額"], vehicles["牌照稅"], vehicles["養護費"]) == (122_388, 25_470, 68_000)
    # 轉帳收支對照表 (02004-48), 千元: 總計 446 on both sides
    assert records["轉帳收支對照表", "總計", "歲出/預算數"] == records["轉帳收支對照表", "總計", "歲入/預算數"] == 446


def test_built_book_checks_without_errors(taichung):
    """The built book carries no error (the 總說明 sentences xlbudget cannot tie, e.g. 截至6月底實付數, stay info)."""
    book, _ = taichung
    wb = example_workbook(TAICHUNG)
    _, build_findings = build_workbook(wb, book)
    assert [f for f in build_findings if said_wrong(f)] == []
    report = check_workbook(wb)
    assert [(f.rule, f.cell) for f in report.findings if said_wrong(f)] == []


def _checked(edit):
    """Build the example after ``edit(wb)`` and return its non-info findings as (rule, sheet, cell)."""
    wb = example_workbook(TAICHUNG)
    edit(wb)
    book, findings = read_book(input_grids(wb, "臺中"), "臺中")
    assert findings == []
    build_workbook(wb, book)
    return [(f.rule, f.cell.sheet, f.cell.cell) for f in check_workbook(wb).findings if said_wrong(f)]


def _paragraph(wb, start):
    return next(c for c in wb["總說明"]["A"] if isinstance(c.value, str) and c.value.startswith(start))


def test_narrative_under_a_period_heading_is_checked_for_that_period():
    """「1、歲入部分：預算數35千元」 sits under 「（一）前年度計畫實施成果…」: it is 前年度's 35 千元 (基本資料)."""
    def edit(wb):
        cell = _paragraph(wb, "1、歲入部分：預算數35千元")
        cell.value = cell.value.replace("預算數35千元", "預算數53千元")
    cell = _paragraph(example_workbook(TAICHUNG), "1、歲入部分：預算數35千元").coordinate
    assert _checked(edit) == [("narrative-mismatch", "總說明", cell)]


def test_narrative_basis_wins_over_budget():
    """「(1)經常門預算數149,358千元」 is the 經常門 figure (02004-5), so a wrong one is named."""
    def edit(wb):
        cell = _paragraph(wb, "(1)經常門預算數")
        cell.value = cell.value.replace("149,358千元", "149,385千元", 1)
    cell = _paragraph(example_workbook(TAICHUNG), "(1)經常門預算數").coordinate
    assert _checked(edit) == [("narrative-mismatch", "總說明", cell)]


def test_matched_without_its_transfer_is_still_a_mismatch():
    """The 446,000 元 收支併列 is left out of matched-revenue only because 轉帳收支 names another agency's 歲入."""
    def edit(wb):
        wb["轉帳收支"].delete_rows(2)
    assert ("matched-revenue-mismatch", "歲出明細", "I52") in _checked(edit)


def test_transfer_to_this_books_revenue_does_not_excuse_matched():
    """A 轉帳 naming a 歲入 科目 this book budgets is this book's revenue: matched-revenue still compares."""
    def edit(wb):
        ws = wb["轉帳收支"]
        ws["B2"].value = "12020040210"  # 雜項收入-其他雜項收入, budgeted here (2,000 元)
    found = _checked(edit)
    assert ("matched-revenue-mismatch", "歲出明細", "I52") in found


def test_transfer_typed_wrong_is_named_at_the_transfer_not_as_a_negative_matched_total():
    """Field report 6: 轉帳收支!G2 446,000 → 447,000 (or the line typed twice, 892,000) transfers more than
    行政管理's 收支併列 446,000 元 (歲出明細!I52). The error is at 轉帳收支!G2; nothing at 歲出明細!I52 (the
    446,000 there is right), and no matched-revenue-mismatch of an invented −1,000 元 (−446,000 元) total."""
    def typed(wb):
        wb["轉帳收支"]["G2"].value = 447000

    def twice(wb):
        ws = wb["轉帳收支"]
        ws.append([c.value for c in ws[2]])

    for edit, cells in ((typed, ["G2"]), (twice, ["G2", "G3"])):
        wb = example_workbook(TAICHUNG)
        edit(wb)
        book, _ = read_book(input_grids(wb, "臺中"), "臺中")
        build_workbook(wb, book)
        found = [f for f in check_workbook(wb).findings if said_wrong(f)]
        assert [(f.rule, f.cell.sheet, f.cell.cell, f.severity) for f in found] == [
            ("transfer-exceeds-matched", "轉帳收支", "G2", Severity.ERROR)]
        assert [str(c) for c in found[0].related] == [f"轉帳收支!{c}" for c in cells[1:]] + ["歲出明細!I52"]
