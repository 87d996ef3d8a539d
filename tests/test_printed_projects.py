"""A hand-made 明細表 with 臺北 116's 計畫項目 rows (issue 14 leftover 2).

臺北市政府工務局新建工程處 116 (../shared/reference-books/taipei-newworks-116.txt, 07-152-51) prints, below the
分支計畫 02道路工程, each 計畫項目 as a row with no label: its amount under 預算數 and, in 說明, its number and name
(「01115年度人行道工程規劃設計」, wrapped over lines) then its 說明; its 一級 / 二級 lines and items follow. The checker
reads these rows: a project row = the sum of its 一級 lines, a 分支計畫 row = the sum of its projects.
Figures are the book's or worked out by hand in the test.
"""

import openpyxl
import pytest

from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.check import check_workbook
from xlbudget.app.example import TAIPEI, example_workbook
from xlbudget.app.pipeline import build_workbook
from xlbudget.core.findings import Severity
from xlbudget.readers.inputs import read_book

DETAIL = "歲出計畫說明提要與各項費用明細表"


def _serious(wb):
    return [(f.rule, f.cell.sheet, f.cell.cell, f.expected, f.actual) for f in check_workbook(wb).findings
            if f.severity in (Severity.ERROR, Severity.WARNING)]


@pytest.fixture(scope="module")
def built():
    wb = example_workbook(TAIPEI)
    book, findings = read_book(input_grids(wb, "臺北"), "臺北")
    assert findings == []
    build_workbook(wb, book)
    return wb


def _hand_made(built):
    """The example's printed 明細表 alone (as convert prints it): a hand-made book of one table."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    src = built[DETAIL]
    ws = wb.create_sheet(DETAIL)
    for row in src.iter_rows(values_only=True):
        ws.append(list(row))
    return wb


def _row_of(ws, text, column=6):
    return next(r for r in range(1, ws.max_row + 1)
                if isinstance(ws.cell(r, column).value, str) and ws.cell(r, column).value.startswith(text))


def test_the_example_s_printed_detail_checks_clean(built):
    """42 計畫項目 rows read as projects: no error (read as items they gave 40 subtotal-mismatch errors)."""
    wb = _hand_made(built)
    report = check_workbook(wb)
    assert report.kind == "printed"
    assert _serious(wb) == []


def test_a_project_row_that_is_not_the_sum_of_its_lines_is_named_at_its_cell(built):
    """06115年度人行道改善工程 (07-152-52): 施工費 340,466,926 + 工程管理費 9,533,074 = 350,000,000 under its 3000
    line. Its row typed 350,001,000 is named at its 預算數 cell against 350,000,000; 02道路工程 above it (no longer
    Σ its projects) is explained by it, not named again. Read as an item, the project row was counted under the
    3015 line above it, and that line was named instead."""
    wb = _hand_made(built)
    ws = wb[DETAIL]
    project = _row_of(ws, "06115年度人行道改善工程")
    ws.cell(project, 5).value += 1_000
    assert _serious(wb) == [("subtotal-mismatch", DETAIL, f"E{project}", 350_000_000, 350_001_000)]


def test_a_branch_that_is_not_the_sum_of_its_projects_is_named_at_its_cell(built):
    """02道路工程 printed 3,682,197,000: named against the sum of its 18 projects, 3,682,196,000 (07-152-51
    「02道路工程 3,682,196,000」); 合計 above it is explained by it, and so is its own 市款 note, which prints the
    right 3,682,196,000 and is not told to print the slip (rules.blame.followed_slips: it held the note to the figure,
    «應為 3,682,197,000»)."""
    wb = _hand_made(built)
    ws = wb[DETAIL]
    branch = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "02道路工程")
    ws.cell(branch, 5).value += 1_000
    assert _serious(wb) == [("subtotal-mismatch", DETAIL, f"E{branch}", 3_682_196_000, 3_682_197_000)]


def test_a_branch_with_lines_of_its_own_and_projects(built):
    """04其他設備 (07-152-76/77) holds 3000 7,979,200 of its own, then 03-111年個人電腦租賃費 587,040 and
    04-112年個人電腦租賃費 1,001,760: 7,979,200 + 587,040 + 1,001,760 = 9,568,000. The 111年 project row typed
    588,040 is named at its cell against its one 3000 line, 587,040."""
    wb = _hand_made(built)
    ws = wb[DETAIL]
    project = _row_of(ws, "03-111年個人電腦租賃費")
    ws.cell(project, 5).value = 588_040
    assert _serious(wb) == [("subtotal-mismatch", DETAIL, f"E{project}", 587_040, 588_040)]


# 07-152-51, cut down to the first two projects of 02道路工程 (合計 and 02道路工程 summed by hand:
# 12,000,000 + 121,775,000 = 133,775,000); the project's name wraps onto the next line as the book prints it
PAGE_51 = [
    ["臺北市政府工務局新建工程處"],
    ["歲出計畫說明提要與各項費用明細表"],
    ["中華民國116年度", None, None, None, None, "單位：新臺幣元"],
    ["業務計畫及工作計畫名稱與編號：58071528501 道路橋梁工程-道路及橋梁工程"],
    ["分支計畫及用途別科目", "單位", "數量", "單價", "預算數", "說明"],
    ["合計", None, None, None, "133,775,000", None],
    ["02道路工程", None, None, None, "133,775,000", None],
    [None, None, None, None, "12,000,000", "01115年度人行道工程規劃設"],
    [None, None, None, None, None, "計"],
    [None, None, None, None, None, "(1)本計畫係上年度人行道工"],
    ["\u30003000\u3000設備及投資", None, None, None, "12,000,000", None],
    ["\u3000\u30003015\u3000公共建設及設施費", None, None, None, "12,000,000", None],
    [None, "式", "1", "12,000,000", "12,000,000", "本年度所需規劃設計費。"],
    [None, None, None, None, "121,775,000", "02115年度工程委託監造技術"],
    [None, None, None, None, None, "服務"],
    ["\u30003000\u3000設備及投資", None, None, None, "121,775,000", None],
    ["\u3000\u30003015\u3000公共建設及設施費", None, None, None, "121,775,000", None],
    [None, "式", "1", "121,775,000", "121,775,000", "本年度所需委託監造服務費。"],
]


def _page_51():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "明細表"
    for row in PAGE_51:
        ws.append(row)
    return wb, ws


def test_a_page_typed_as_the_book_prints_it():
    """Figures as text with commas, the name wrapped: clean. The second project typed 121,757,000 is named at its
    cell against its 3000 line (121,775,000); its 3000 line typed so instead is named at that cell (against its
    3015 line), and the project row above it is not named again."""
    wb, ws = _page_51()
    assert _serious(wb) == []
    ws["E14"] = "121,757,000"
    assert _serious(wb) == [("subtotal-mismatch", "明細表", "E14", 121_775_000, 121_757_000)]
    ws["E14"], ws["E16"] = "121,775,000", "121,757,000"
    assert _serious(wb) == [("subtotal-mismatch", "明細表", "E16", 121_775_000, 121_757_000)]


# ---------------------------------------------------------------- the whole printed book: projects tie by 計畫項目

def _printed_book(built):
    """Every printed table of the built example, without its input sheets: a hand-made 臺北 book."""
    from xlbudget.forms.inputs import INPUT_SHEETS

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in built.sheetnames:
        if name in INPUT_SHEETS or name in ("說明", "代碼表", "目次"):
            continue
        ws = wb.create_sheet(name)
        for row in built[name].iter_rows(values_only=True):
            ws.append(list(row))
    return wb


def _cell_beside(ws, name, value):
    """The cell holding ``value`` on the row whose first text cell is ``name`` (indent ignored)."""
    for row in ws.iter_rows():
        texts = [c.value.strip("\u3000 ") for c in row if isinstance(c.value, str)]
        if texts and texts[0] == name:
            return next(c for c in row if c.value == value)
    raise AssertionError(name)


def test_the_whole_printed_example_checks_clean(built):
    """With the 明細表's 計畫項目 read, 分年資金需求 and 市政白皮書 tie each project to its 計畫項目 row; the group lines
    道路工程, 橋梁工程 and 其他設備 (繼續性 and 新興 apart) are no longer tied to the whole 分支計畫 (6 false
    funding-vs-items errors before: 道路工程 1,449,596,000 against 02道路工程 3,682,196,000, …)."""
    wb = _printed_book(built)
    assert check_workbook(wb).kind == "printed"
    assert _serious(wb) == []


def test_a_funding_year_is_tied_to_its_project_row(built):
    """和興路44巷跨景美溪人行景觀橋工程 116年度 40,000,000 (07-152-93) = its 計畫項目 row 08和興路44巷… (07-152-65);
    typed 40,001,000 (117年度 57,413,000, so the line still adds up) it is named at its cell."""
    wb = _printed_book(built)
    ws = wb["繼續性計畫分年資金需求表"]
    this = _cell_beside(ws, "和興路44巷跨景美溪人行景觀橋工程", 40_000_000)
    nxt = _cell_beside(ws, "和興路44巷跨景美溪人行景觀橋工程", 57_414_000)
    this.value, nxt.value = 40_001_000, 57_413_000
    assert _serious(wb) == [("funding-vs-items", "繼續性計畫分年資金需求表", this.coordinate, 40_000_000, 40_001_000)]


def test_a_whitepaper_amount_is_tied_to_its_project_row(built):
    """市政白皮書 (07-152-95) 115年度人行道改善工程 本年度預算案數 350,000,000 = its 計畫項目 row 06115年度人行道改善工程
    (07-152-52); typed 350,001,000 it is named at its cell."""
    wb = _printed_book(built)
    ws = wb["市政白皮書計畫項目預算編列情形表"]
    row = next(r for r in ws.iter_rows() if any(isinstance(c.value, str) and c.value.strip("\u3000 ")
                                                  == "115年度人行道改善工程" for c in r))
    cell = next(c for c in row if c.value == 350_000_000)
    cell.value = 350_001_000
    assert _serious(wb) == [("whitepaper-vs-items", "市政白皮書計畫項目預算編列情形表", cell.coordinate, 350_000_000, 350_001_000)]


def test_a_year_whose_heading_is_left_blank_is_a_year_still(built):
    """繼續性計畫分年資金需求表 prints 分年資金需求 over 116年度 … 121年度以後. With 116年度 deleted, its column was
    keyed by the group word alone and left out of 全程計畫總金額 = 以前年度 + Σ years: every right 全程 got
    funding-years-mismatch, and each project's 116年度 was no longer tied to the 明細表 (field13's 臺北 copy: 62
    findings, each with an 應為 on a right cell). Now the column is one of the group's years, named at its blank
    heading (column-unheaded), and nothing else is said."""
    title = "繼續性計畫分年資金需求表"
    wb = _hand_made(built)
    ws = wb.create_sheet(title)
    for row in built[title].iter_rows(values_only=True):
        ws.append(list(row))
    assert _serious(wb) == []
    head = next(c for row in ws.iter_rows() for c in row if c.value == "116年度")
    head.value = None
    assert [f[:3] for f in _serious(wb)] == [("column-unheaded", title, head.coordinate)]
