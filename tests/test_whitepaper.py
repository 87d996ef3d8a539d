"""市政白皮書計畫項目預算編列情形表 (issue 14): the 市政白皮書 input sheet, the printed table and its 勾稽.

Expected figures are transcribed by hand from ../shared/reference-books/taipei-newworks-116.txt (07-152-95; the
same projects' 116年度 in 分年資金需求表 07-152-92…94). The 分支計畫 running numbers below are ours.
"""

import pytest
from built_books import built_workbook

from xlbudget.app.check import check_workbook
from xlbudget.core.errors import InputError
from xlbudget.app.export import export_records
from xlbudget.readers.grid import Grid
from xlbudget.readers.inputs import read_book
from xlbudget.derive.book import derive_all
from xlbudget.derive.whitepaper import WHITEPAPER, derive_whitepaper
from xlbudget.forms.inputs import WHITEPAPER_HEADERS
from xlbudget.rules.whitepaper import check_whitepaper

PLAN = "58071528501"
NAME = "道路橋梁工程-道路及橋梁工程"
AGENCY_ROWS = [["項目", "內容"], ["機關名稱", "臺北市政府工務局新建工程處"], ["機關編號", "07-152"], ["年度", 116],
               ["主管機關", "臺北市政府工務局主管"], ["職能別", "12 運輸及通信"], ["版式", "臺北市"]]
POLICY = ["友善共融", "無礙共融", "五十三、打造無礙交通環境", "61、精進通用無障礙的道路改善方案"]
PROJECTS = [("115年度人行道改善工程", 350_000_000), ("116年度人行道改善工程", 300_000_000),
            ("115年度道路改善及維護工程", 600_000_000), ("115年度專案路面及附屬設施更新工程", 150_000_000),
            ("116年度道路改善及維護工程", 1_300_000_000), ("116年度專案路面及附屬設施更新工程", 450_000_000)]
WHITEPAPER_ROWS = [POLICY + [name, PLAN, amount] for name, amount in PROJECTS]
EXPENSE_HEADER = ["工作計畫編號", "工作計畫名稱", "分支計畫", "用途別科目", "預算數"]
EXPENSES = [[PLAN, NAME, f"{n + 1:02d}{name}", "3015", amount] for n, (name, amount) in enumerate(PROJECTS)]


def grids(rows=WHITEPAPER_ROWS, expenses=EXPENSES):
    return {"基本資料": Grid("基本資料", [list(r) for r in AGENCY_ROWS]),
            "歲出明細": Grid("歲出明細", [EXPENSE_HEADER] + [list(r) for r in expenses]),
            "市政白皮書": Grid("市政白皮書", [list(WHITEPAPER_HEADERS)] + [list(r) for r in rows])}


@pytest.fixture(scope="module")
def taipei():
    book, findings = read_book(grids(), "臺北")
    assert findings == []
    return book


def test_table_matches_taipei(taipei):
    table = derive_whitepaper(taipei)
    assert table.unit == "元"
    printed = [(r.cells.get("綱要"), r.cells.get("類別"), r.cells.get("政策項目"), r.cells.get("計畫項目"),
                r.cells.get("本年度預算案數")) for r in table.rows]
    assert printed[0] == ("◎友善共融", None, None, None, None)
    assert printed[1] == ("無礙共融", "五十三、打造無礙交通環境", "61、精進通用無障礙的道路改善方案", "115年度人行道改善工程",
                          350_000_000)
    assert [p[4] for p in printed[1:]] == [350_000_000, 300_000_000, 600_000_000, 150_000_000, 1_300_000_000,
                                           450_000_000]


def test_contents_and_export(taipei):
    contents = [r.code for r in derive_all(taipei)[0].rows if r.code]
    assert contents[-2:] == [WHITEPAPER, "歲出按職能及經濟性綜合分類表"]
    records = [r for r in export_records(taipei) if r["table"] == WHITEPAPER]
    assert sum(r["value"] for r in records) == 3_150_000_000  # 350 + 300 + 600 + 150 + 1,300 + 450 百萬元


def test_tie_clean(taipei):
    assert check_whitepaper(taipei) == []


def test_project_versus_detail_named_by_cells():
    rows = [list(r) for r in WHITEPAPER_ROWS]
    rows[2][6] = 660_000_000  # 115年度道路改善及維護工程 typed 600,000,000 → 660,000,000
    book, _ = read_book(grids(rows=rows), "臺北")
    found = check_whitepaper(book)
    assert [(f.rule, str(f.cell), f.expected, f.actual, [str(c) for c in f.related]) for f in found] == [
        ("whitepaper-vs-items", "市政白皮書!G4", 600_000_000, 660_000_000, ["歲出明細!E4"])]


def test_project_without_branch():
    rows = [list(r) for r in WHITEPAPER_ROWS] + [POLICY + ["117年度人行道改善工程", "", 1]]
    book, _ = read_book(grids(rows=rows), "臺北")
    assert [(f.rule, f.expected, f.actual) for f in check_whitepaper(book)] == [("whitepaper-vs-items", 0, 1)]


def test_unknown_plan_named_by_cell():
    rows = [list(r) for r in WHITEPAPER_ROWS]
    rows[0][5] = "58071528599"
    with pytest.raises(InputError) as err:
        read_book(grids(rows=rows), "臺北")
    assert [(f.rule, str(f.cell)) for f in err.value.findings] == [("unknown-plan", "市政白皮書!F2")]


def _built():
    return built_workbook(grids(), "臺北")


def test_built_table_typed_over_is_named_by_cell():
    wb = _built()
    assert not [f for f in check_workbook(wb).findings if f.rule == "schedule-cell-mismatch"]
    ws = wb[WHITEPAPER]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == 150_000_000)
    cell.value = 15_000_000
    assert [(f.rule, f.cell.cell) for f in check_workbook(wb).findings if f.rule == "schedule-cell-mismatch"] == [
        ("schedule-cell-mismatch", cell.coordinate)]


def test_handmade_tied_to_printed_detail():
    wb = _built()
    for name in list(wb.sheetnames):
        if name not in (WHITEPAPER, "歲出計畫說明提要與各項費用明細表"):
            del wb[name]
    report = check_workbook(wb)
    assert report.kind == "printed" and WHITEPAPER in report.tables
    assert [f.rule for f in report.findings] == []
    ws = wb[WHITEPAPER]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == 450_000_000)
    cell.value = 405_000_000
    found = [(f.rule, f.cell.sheet, f.cell.cell) for f in check_workbook(wb).findings]
    assert found == [("whitepaper-vs-items", WHITEPAPER, cell.coordinate)]


def test_handmade_taipei_title_without_biao():
    """臺北 116 titles the page 市政白皮書計畫項目預算編列情形 (its 目次 adds 表); the 明細表 beside it is xlbudget's."""
    wb = _built()
    for name in list(wb.sheetnames):
        if name not in (WHITEPAPER, "歲出計畫說明提要與各項費用明細表"):
            del wb[name]
    ws = wb[WHITEPAPER]
    title = next(c for row in ws.iter_rows() for c in row if c.value == WHITEPAPER)
    title.value = "市政白皮書計畫項目預算編列情形"
    report = check_workbook(wb)
    assert "市政白皮書計畫項目預算編列情形" in report.tables and report.findings == []
    cell = next(c for row in ws.iter_rows() for c in row if c.value == 300_000_000)
    cell.value = 30_000_000
    assert [(f.rule, f.cell.cell) for f in check_workbook(wb).findings] == [("whitepaper-vs-items", cell.coordinate)]


def test_typed_totals_row_is_checked_not_read():
    # 合計 typed in 主軸 under the six projects: 350,000,000 + 300,000,000 + 600,000,000 + 150,000,000
    # + 1,300,000,000 + 450,000,000 = 3,150,000,000; typed 121,000 as the field tester did
    for typed, expected in ((3_150_000_000, []), (121_000, [("市政白皮書!G8", 3_150_000_000, 121_000)])):
        rows = [list(r) for r in WHITEPAPER_ROWS] + [["合計", None, None, None, None, None, typed]]
        book, findings = read_book(grids(rows=rows), "臺北")
        assert [w.name for w in book.whitepaper] == [name for name, _ in PROJECTS]
        assert [r.code for r in derive_whitepaper(book).rows if r.code.startswith("◎")] == ["◎友善共融"]
        assert [(str(f.cell), f.expected, f.actual) for f in findings if f.rule == "totals-row-mismatch"] == expected


def test_empty_project_named_by_cell():
    rows = [list(r) for r in WHITEPAPER_ROWS] + [POLICY + ["", PLAN, 121_000]]
    with pytest.raises(InputError) as err:
        read_book(grids(rows=rows), "臺北")
    assert [(f.rule, str(f.cell)) for f in err.value.findings] == [("required-missing", "市政白皮書!E8")]


def _printed_whitepaper():
    """The built book with only its 市政白皮書 table and 明細表 left: a hand-made book as printed."""
    wb = _built()
    for name in list(wb.sheetnames):
        if name not in (WHITEPAPER, "歲出計畫說明提要與各項費用明細表"):
            del wb[name]
    return wb


@pytest.mark.parametrize("typed", [3_500_000_000, "3,500,000,000", "3500000000"])
def test_a_ten_digit_slip_on_the_first_line_is_a_line_not_a_header(typed):
    """臺北 116's first project 115年度人行道改善工程 prints 350,000,000 (07-152-95); typed with a digit too many,
    3,500,000,000 has a plan code's ten digits. It was read as a header line: the row dropped, the column renamed
    「本年度預算案數/3500000000」, exit 0 (field report 13 F4). It is the first line, found at its cell; 應為 its 明細表
    分支計畫 350,000,000 (PROJECTS, from the reference book). The same slip in the second line was found before."""
    wb = _printed_whitepaper()
    ws = wb[WHITEPAPER]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == 350_000_000)
    cell.value = typed
    found = [(f.rule, f.cell.cell, f.expected, f.actual) for f in check_workbook(wb).findings]
    assert found == [("whitepaper-vs-items", cell.coordinate, 350_000_000, 3_500_000_000)]


def test_a_whitepaper_table_without_its_amount_column_is_said():
    """A 市政白皮書 table whose amount column is not headed 本年度預算案數 (here 本年度金額) was read with no 預算 column
    and its projects left unchecked without a word; now table-unreadable at its title, naming the column read."""
    wb = _printed_whitepaper()
    ws = wb[WHITEPAPER]
    head = next(c for row in ws.iter_rows() for c in row if c.value == "本年度預算案數")
    head.value = "本年度金額"
    title = next(c for row in ws.iter_rows() for c in row if c.value == WHITEPAPER)
    found = [(f.rule, f.cell.cell) for f in check_workbook(wb).findings]
    assert found == [("table-unreadable", title.coordinate)]


def test_a_whitepaper_table_whose_amount_heading_is_blank_is_said():
    """The 本年度預算案數 heading deleted: the table was skipped without a word, as its project names say 年度
    (「115年度人行道改善工程」) and each line was taken for a year line with no figure. Now its header, which names
    no amount column, is said at the title (table-unreadable: 表頭沒有可辨識的金額欄名)."""
    wb = _printed_whitepaper()
    ws = wb[WHITEPAPER]
    head = next(c for row in ws.iter_rows() for c in row if c.value == "本年度預算案數")
    head.value = None
    title = next(c for row in ws.iter_rows() for c in row if c.value == WHITEPAPER)
    found = sorted((f.rule, f.cell.cell) for f in check_workbook(wb).findings)
    assert found == [("table-unreadable", title.coordinate)]


def test_a_whitepaper_table_with_no_amount_heading_is_said_though_its_projects_name_a_year():
    """The amount column headed 備註 (a text column): no amount column is left, and the table's lines were taken
    for year lines (「115年度人行道改善工程」 says 年度), so the table had no figure to read: skipped without a word.
    A line naming a year and printing 350,000,000 is no year line: table-unreadable at the title."""
    wb = _printed_whitepaper()
    ws = wb[WHITEPAPER]
    head = next(c for row in ws.iter_rows() for c in row if c.value == "本年度預算案數")
    head.value = "備註"
    title = next(c for row in ws.iter_rows() for c in row if c.value == WHITEPAPER)
    assert [(f.rule, f.cell.cell) for f in check_workbook(wb).findings] == [("table-unreadable", title.coordinate)]
