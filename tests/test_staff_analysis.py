"""人事費分析表 (issue 14): the 人事費分析 input sheet, one table per 工作計畫, and its 勾稽.

Expected figures are transcribed by hand from ../shared/reference-books/taichung-dbas-115.txt
(人事費彙計表 02004-35, 人事費分析表 02004-36…41; 工作計畫編號 from 歲出機關別預算表 02004-8).
"""

import pytest
from built_books import built_workbook

from xlbudget.app.check import check_workbook
from xlbudget.core.errors import InputError
from xlbudget.app.export import export_records
from xlbudget.forms.inputs import STAFF_COST_HEADERS
from xlbudget.readers.grid import Grid
from xlbudget.readers.inputs import read_book
from xlbudget.derive.book import derive_all
from xlbudget.derive.staff_analysis import derive_staff_analysis
from xlbudget.forms.inputs import STAFF_ANALYSIS_HEADERS
from xlbudget.rules.staff import check_staff_analysis
from xlbudget.app.template import new_template

AGENCY_ROWS = [["項目", "內容"], ["機關名稱", "臺中市政府主計處"], ["機關編號", "02-004"], ["年度", 115],
               ["主管機關", "臺中市政府主管"], ["職能別", "01 一般公共事務"], ["政事別名稱", "行政支出"]]
PLANS = {"32020040101": ("一般行政-行政管理", "0132010100"),
         "32020040701": ("歲計會計業務-總預算編審與督導執行", "0132070100"),
         "32020040702": ("歲計會計業務-特種基金預決算編審與督導執行", "0132070200"),
         "32020040703": ("歲計會計業務-總會計事務處理與總決算核編", "0132070300"),
         "32020040801": ("統計業務-公務統計", "0132080100"),
         "32020040802": ("統計業務-經濟統計", "0132080200")}
COLUMNS = ("預算員額", "法定編制人員待遇", "約聘僱人員待遇", "技工及工友待遇", "獎金", "其他給與", "加班費",
           "退休離職儲金", "保險")
CODES = {"法定編制人員待遇": "1015", "約聘僱人員待遇": "1020", "技工及工友待遇": "1025", "獎金": "1030",
         "其他給與": "1035", "加班費": "1040", "退休離職儲金": "1050", "保險": "1055"}
# 人事費分析表 一般行政-行政管理 (02004-36): 類別 → the COLUMNS above
ADMIN = {"職員": (88, 76_622_040, None, None, 15_962_925, 1_408_000, 4_257_104, 8_564_100, 6_458_988),
         "約聘僱人員": (11, None, 5_141_136, None, 642_642, 176_000, 285_120, 332_640, 763_884),
         "駕駛": (1, None, None, 471_240, 98_175, 16_000, 26_240, None, 70_188),
         "其他人事費": (None, None, None, None, None, None, 630_000, None, 578)}
# the other plans print one line, 其他人事費 加班費 (02004-37…41)
OVERTIME = {"32020040701": 950_000, "32020040702": 550_000, "32020040703": 420_000, "32020040801": 378_000,
            "32020040802": 400_000}
# 人事費彙計表 (02004-35)
SUMMARY = {"職員": ADMIN["職員"], "約聘僱人員": ADMIN["約聘僱人員"], "駕駛": ADMIN["駕駛"],
           "其他人事費": (None, None, None, None, None, None, 3_328_000, None, 578)}


def _analysis_rows():
    rows = [["32020040101", "0132010100", k] + list(v) for k, v in ADMIN.items()]
    rows += [[plan, PLANS[plan][1], "其他人事費"] + [None] * 6 + [amount, None, None] for plan, amount in
             OVERTIME.items()]
    return rows


def _expense_rows():
    rows = []
    for column, code in CODES.items():
        i = COLUMNS.index(column)
        total = sum(v[i] or 0 for v in ADMIN.values())
        if total:
            rows.append(["32020040101", PLANS["32020040101"][0], code, total])
    rows += [[plan, PLANS[plan][0], "1040", amount] for plan, amount in OVERTIME.items()]
    return rows


def grids(analysis=None, summary=SUMMARY):
    header = ["工作計畫編號", "分析表編號", "類別"] + list(COLUMNS)
    out = {"基本資料": Grid("基本資料", [list(r) for r in AGENCY_ROWS]),
           "歲出明細": Grid("歲出明細", [["工作計畫編號", "工作計畫名稱", "用途別科目", "預算數"]] + _expense_rows()),
           "人事費分析": Grid("人事費分析", [header] + (analysis or _analysis_rows()))}
    if summary:
        out["人事費"] = Grid("人事費", [["類別"] + list(COLUMNS)] + [[k] + list(v) for k, v in summary.items()])
    return out


@pytest.fixture(scope="module")
def taichung():
    book, findings = read_book(grids(), "臺中")
    assert findings == []
    return book


TOTAL_COLUMNS = COLUMNS + ("合計",)


def test_admin_plan_matches_taichung(taichung):
    table = derive_staff_analysis(taichung)[0]
    assert table.title == "人事費分析表—行政管理"
    assert table.subtitle == "0132010100-行政支出-一般行政-行政管理"
    assert tuple(table.value("合計", c) for c in TOTAL_COLUMNS) == (
        100, 76_622_040, 5_141_136, 471_240, 16_703_742, 1_600_000, 5_198_464, 8_896_740, 7_293_638, 121_927_000)
    assert tuple(table.value("正式員額", c) for c in TOTAL_COLUMNS) == (
        88, 76_622_040, None, None, 15_962_925, 1_408_000, 4_257_104, 8_564_100, 6_458_988, 113_273_157)
    assert table.value("約聘僱人員", "合計") == 7_341_422
    assert table.value("駕駛", "合計") == 681_843
    assert table.value("其他人事費", "合計") == 630_578


def test_one_table_per_plan(taichung):
    tables = derive_staff_analysis(taichung)
    assert [t.subtitle for t in tables] == [f"{label}-行政支出-{name}" for name, label in PLANS.values()]
    assert [t.value("合計", "合計") for t in tables[1:]] == list(OVERTIME.values())


def test_contents_and_export(taichung):
    tables = derive_all(taichung)
    contents = [r.code for r in tables[0].rows if r.code]
    first = contents.index("人事費彙計表")
    assert contents[first + 1:first + 7] == [t.title for t in derive_staff_analysis(taichung)]
    records = {(r["table"], r["row_code"], r["column"]): r["value"] for r in export_records(taichung)}
    assert records["人事費分析表—行政管理", "合計", "合計"] == 121_927_000
    assert records["人事費彙計表", "合計", "合計"] == 124_625_000  # 02004-35


def test_ties_clean(taichung):
    assert check_staff_analysis(taichung) == []


def test_plan_column_versus_items_and_summary_named_by_cells():
    rows = _analysis_rows()
    rows[4][9] = 960_000  # 總預算編審與督導執行 其他人事費 加班費 typed 950,000 → 960,000
    book, _ = read_book(grids(analysis=rows), "臺中")
    found = [(f.rule, str(f.cell), f.expected, f.actual) for f in check_staff_analysis(book)]
    assert found == [("staff-analysis-vs-items", "人事費分析!J6", 950_000, 960_000),
                     ("staff-analysis-vs-summary", "人事費分析!J5", 3_328_000, 3_338_000)]
    summary = next(f for f in check_staff_analysis(book) if f.rule == "staff-analysis-vs-summary")
    assert "人事費!H5" in {str(c) for c in summary.related}


def test_headcount_versus_summary():
    rows = _analysis_rows()
    rows[0][3] = 87
    book, _ = read_book(grids(analysis=rows), "臺中")
    found = [(f.rule, str(f.cell), f.expected, f.actual) for f in check_staff_analysis(book)
             if f.rule == "staff-analysis-vs-summary"]
    assert found == [("staff-analysis-vs-summary", "人事費分析!D2", 88, 87)]


def test_unknown_plan_named_by_cell():
    rows = _analysis_rows()
    rows[1][0] = "32020040199"
    with pytest.raises(InputError) as err:
        read_book(grids(analysis=rows), "臺中")
    assert [(f.rule, str(f.cell)) for f in err.value.findings] == [("unknown-plan", "人事費分析!A3")]


def test_template_has_sheet():
    wb = new_template()
    assert [c.value for c in wb["人事費分析"][1]] == list(STAFF_ANALYSIS_HEADERS)
    assert list(STAFF_ANALYSIS_HEADERS[2:]) == list(STAFF_COST_HEADERS)
    assert "人事費分析：" in "".join(str(c.value or "") for c in wb["說明"]["A"])


def _built():
    return built_workbook(grids(), "臺中")


def test_built_table_typed_over_is_named_by_cell():
    wb = _built()
    assert not [f for f in check_workbook(wb).findings if f.rule == "schedule-cell-mismatch"]
    ws = wb["人事費分析表—行政管理"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == 121_927_000)
    cell.value = 121_927_001
    hits = [(f.rule, f.cell.sheet, f.cell.cell) for f in check_workbook(wb).findings
            if f.rule == "schedule-cell-mismatch"]
    assert hits == [("schedule-cell-mismatch", "人事費分析表—行政管理", cell.coordinate)]


def test_handmade_reads_each_plan():
    wb = _built()
    keep = {"人事費彙計表", "各項費用彙計表"} | {n for n in wb.sheetnames if n.startswith("人事費分析表")}
    for name in list(wb.sheetnames):
        if name not in keep:
            del wb[name]
    report = check_workbook(wb)
    assert report.kind == "printed" and "人事費分析表" in report.tables
    assert [f.rule for f in report.findings] == []
    from xlbudget.readers.printed import find_tables
    from xlbudget.adapters.xlsxfile import workbook_sheets
    analysis = next(t for t in find_tables(workbook_sheets(wb).values()) if t.title == "人事費分析表")
    contexts = list(dict.fromkeys(r.context for r in analysis.rows))
    assert [c.split("-", 1)[0].removeprefix("中華民國115年度") for c in contexts] == [v[1] for v in PLANS.values()]
    ws = wb["人事費分析表—公務統計"]
    assert ws["A8"].value == "其他人事費" and ws["J8"].value == 378_000  # 加班費
    ws["J8"] = 387_000
    found = [(f.rule, f.cell.sheet, f.cell.cell) for f in check_workbook(wb).findings]
    # read as its own plan's block: its 合計 line (J7) and the row's 合計 (N8) no longer add up, both by 9,000: J8,
    # the figure both sums share, is named instead (field report 8 §2.2: sum-crossing-suspect)
    assert sorted(found) == [("sum-crossing-suspect", "人事費分析表—公務統計", "J8")]


def test_typed_totals_row_is_checked_not_read():
    # a 小計 of 一般行政-行政管理 under its four classes: 預算員額 88 + 11 + 1 = 100; 加班費 4,257,104 + 285,120
    # + 26,240 + 630,000 = 5,198,464, typed 5,198,465
    rows = _analysis_rows()
    rows.insert(4, ["32020040101", "0132010100", "小計", 100, None, None, None, None, None, 5_198_465, None, None])
    book, findings = read_book(grids(analysis=rows), "臺中")
    assert len(book.staff_analysis) == len(_analysis_rows())
    assert [(str(f.cell), f.expected, f.actual) for f in findings if f.rule == "totals-row-mismatch"] == [
        ("人事費分析!J6", 5_198_464, 5_198_465)]
