"""Session 30 (fix11): «never silently wrong» leftovers of the reading and check layers (session 29's note).

Figures are the example book's (高雄市政府資訊中心 113年度, xlbudget/data/example/): 歲出明細 row 4 is plan
32020180101's 1020 line, 數量 1 × 單價 871,852 = 預算數 871,852 元 (約僱人員薪資); built, its 各項費用彙計表 prints
101500法定編制人員待遇 on row 9 (25,356 千元 in B9 and in 合計 D9), four columns A–D, rows 1–34.
"""

from __future__ import annotations

import pytest
from openpyxl.styles import Font, PatternFill

from xlbudget.adapters.books import load_book, read_inputs
from xlbudget.app.check import check_file
from xlbudget.forms.inputs import SHEET_EXPENSES
from xlbudget.readers.grid import format_hides

from built_books import handmade_workbook
from test_reading import column, example

SUMMARY = "各項費用彙計表"


# ------------------------------------------------ item 1: a figure no one can see (;;; format, white on white)

@pytest.mark.parametrize("code, value, hidden", [
    (";;;", 871_852, True), (";;", 5, True), (";;", -5, True), ('""', 5, True),
    ('0;"－"', -3, True),  # a negative shown as a dash: its figure is not on the page
    ("#,##0", 5, False), ("General", 5, False), ("@", 5, False), ("#,##0_);(#,##0)", -5, False),
    ('#,##0;-#,##0;""', 5, False), ('#,##0;-#,##0;""', 0, True),  # zeros as blank: the common dash style
    ('#,##0"千元"', 5, False),
    # a format with conditions shows a figure by the section whose condition it meets (grid._shown_section, the
    # one choice format_scale's reading makes too): small figures blanked, the others shown
    ('[<1000]"";#,##0', 500, True), ('[<1000]"";#,##0', 5_000, False), ('[Red][>=0]#,##0;""', -5, True),
])
def test_a_number_format_hides_a_figure_by_the_section_of_its_sign(code, value, hidden):
    assert format_hides(code, value) is hidden


def _unseen(how: str, rows=(4,), header="預算數"):
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        for r in rows:
            cell = ws.cell(r, column(ws, header))
            if how == "format":
                cell.number_format = ";;;"
            elif how == "white":
                cell.font = Font(name="標楷體", color="FFFFFFFF")
            elif how == "same":
                cell.font = Font(name="標楷體", color="FFFFFF00")
                cell.fill = PatternFill("solid", fgColor="FFFFFF00")
    return edit


def _warned(book) -> list[list[tuple]]:
    """The figure-not-visible-counted warnings read_book gives ``book``, through openpyxl (build) and
    python-calamine (check, export, convert)."""
    found = []
    for findings in (load_book(book).findings, read_inputs(book)[1]):
        found.append([(f.rule, f.cell.cell, f.actual, tuple(r.cell for r in f.related), f.message) for f in findings
                      if f.rule == "figure-not-visible-counted"])
    assert [w[:4] for w in found[0]] == [w[:4] for w in found[1]]
    return found[0]


@pytest.mark.parametrize("how, why", [("format", "數值格式為「;;;」"), ("white", "字為白色（無填滿色）"),
                                      ("same", "字色與填滿色相同（#FFFF00）")])
def test_an_input_amount_nobody_can_see_is_named_at_its_cell(tmp_path, how, why):
    """Row 4's 預算數 (H4, 871,852 元) formatted ;;; or white on no fill or yellow on yellow: the officer reading his
    lines sees a blank there, and it was summed into every table without a word. Now a warning at H4, saying what
    hides it and the sum; the figures are as before (the book is built)."""
    book = example(tmp_path, _unseen(how))
    (warning,) = _warned(book)
    assert warning[:4] == ("figure-not-visible-counted", "H4", 1, ())
    assert why in warning[4] and "871,852" in warning[4]


def test_several_unseen_amounts_are_one_warning_with_their_sum(tmp_path):
    from openpyxl import load_workbook

    book = example(tmp_path, _unseen("format", rows=(4, 5)))
    h5 = load_workbook(book)[SHEET_EXPENSES]["H5"].value
    (warning,) = _warned(book)
    assert warning[:4] == ("figure-not-visible-counted", "H4", 2, ("H5",))
    assert f"{871_852 + h5:,}" in warning[4]


def test_a_coloured_fill_under_a_black_font_says_nothing(tmp_path):
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws["H4"].fill = PatternFill("solid", fgColor="FFFFFF00")
        ws["H5"].number_format = '#,##0;-#,##0;""'  # zeros as blank, 5's figure shown
        ws["H6"].font = Font(color="FFFFFFFF")
        ws["H6"].fill = PatternFill("solid", fgColor="FF000080")  # white on navy: seen
    assert _warned(example(tmp_path, edit)) == []


def _table_checked(path, workbook: bool) -> list[tuple[str, str, str]]:
    report = check_file(path, workbook=workbook)[0]
    return [(f.rule, f"{f.cell.sheet}!{f.cell.cell}", f.message) for f in report.findings
            if f.rule == "figure-not-visible"]


@pytest.mark.parametrize("workbook", [False, True])  # python-calamine (check), openpyxl (check --mark, convert)
@pytest.mark.parametrize("how, why", [("format", "數值格式為「;;;」"), ("white", "字為白色（無填滿色）")])
def test_a_figure_nobody_can_see_on_a_hand_made_table_is_named(tmp_path, workbook, how, why):
    """各項費用彙計表's B9 and D9 (101500法定編制人員待遇, 25,356 千元) formatted ;;; or in white: the printed table
    shows two blanks while its 合計 counts them, and check said nothing. Now one warning at B9, D9 named too."""
    wb = handmade_workbook()
    for cell in ("B9", "D9"):
        if how == "format":
            wb[SUMMARY][cell].number_format = ";;;"
        else:
            wb[SUMMARY][cell].font = Font(name="標楷體", color="FFFFFF")
    wb.save(tmp_path / "unseen.xlsx")
    said = _table_checked(tmp_path / "unseen.xlsx", workbook)
    assert [(rule, cell) for rule, cell, _ in said] == [("figure-not-visible", f"{SUMMARY}!B9")]
    assert why in said[0][2] and "B9、D9" in said[0][2] and "共 2 格" in said[0][2]


def test_a_hand_made_table_shown_says_nothing(tmp_path):
    wb = handmade_workbook()
    wb.save(tmp_path / "plain.xlsx")
    assert _table_checked(tmp_path / "plain.xlsx", False) == []


# ------------------------------------------------ item 2: a print area lost to #REF!

def _lost_print_area(ws) -> None:
    """Print_Area = #REF!, as Excel leaves it when the rows or columns the print area named are deleted."""
    from openpyxl.workbook.defined_name import DefinedName

    ws.defined_names["_xlnm.Print_Area"] = DefinedName("_xlnm.Print_Area", attr_text="#REF!")


@pytest.mark.parametrize("workbook", [False, True])  # python-calamine (check), openpyxl (check --mark, convert)
def test_a_print_area_lost_to_ref_is_named(tmp_path, workbook):
    """各項費用彙計表's print area deleted under it (#REF!): read as no print area, check said nothing while Excel
    prints by no range the officer set. Now a warning at the table's first figure (B7, 合計's 275,795 千元)."""
    wb = handmade_workbook()
    _lost_print_area(wb[SUMMARY])
    wb.save(tmp_path / "lost.xlsx")
    report = check_file(tmp_path / "lost.xlsx", workbook=workbook)[0]
    said = [(f.rule, f"{f.cell.sheet}!{f.cell.cell}") for f in report.findings if f.rule == "print-area-lost"]
    assert said == [("print-area-lost", f"{SUMMARY}!B7")]


def test_a_template_book_table_sheet_with_a_lost_print_area_is_named(tmp_path):
    """The same on a template book's built table sheet (its figures are build's, the print area his)."""
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.app.example import example_workbook
    from xlbudget.app.pipeline import build_workbook
    from xlbudget.readers.inputs import read_book

    path = tmp_path / "book.xlsx"
    wb = example_workbook()
    build_workbook(wb, read_book(input_grids(wb))[0])
    _lost_print_area(wb[SUMMARY])
    wb.save(path)
    report = check_file(path)[0]
    assert [(f.rule, f.cell.sheet) for f in report.findings if f.rule == "print-area-lost"] == [
        ("print-area-lost", SUMMARY)]


# ------------------------------------------------ item 7: =XLB_ROC_YEAR(2024)

def test_roc_year_of_a_western_year_is_its_roc_year():
    """=XLB_ROC_YEAR(2024) said «民國元年（1912 年）以前的日期沒有民國年» (2024 read as the serial of 1905-07-16):
    a whole number 1912–2100 is a 西元 year (2024 − 1911 = 113; 1912 → 民國 1; 2100 → 189), as a number or a text.
    A serial outside that range is a date as before (45292 = 2024-01-01 → 113; 1911 = 1905-03-26, before 1912)."""
    from test_addin import is_error, udf

    assert udf("xlb_roc_year", 2024) == 113 and udf("xlb_roc_year", 2024.0) == 113
    assert udf("xlb_roc_year", "2024") == 113 and udf("xlb_roc_year", "２０２４") == 113
    assert udf("xlb_roc_year", 1912) == 1 and udf("xlb_roc_year", 2100) == 189
    assert udf("xlb_roc_year", 45292) == 113
    assert is_error(udf("xlb_roc_year", 1911)) and is_error(udf("xlb_roc_year", 2024.5))
    import xlbudget.addin as addin
    from xlwings_json import call_udf

    assert call_udf(addin, "xlb_roc_year", [[2024.0, 45658.0]]) == [[113, 114]]  # a range spills each


# ------------------------------------------------ item 4: a 歲入 科目名稱 of another code

def _revenue_said(book) -> list[tuple[str, str, str]]:
    found = []
    for findings in (load_book(book).findings, read_inputs(book)[1]):
        found.append([(f.rule, f"{f.cell.sheet}!{f.cell.cell}", f"{f.message}｜{f.expected}") for f in findings
                      if f.rule in ("revenue-level-name-mismatch", "revenue-name-contradicts-levels")])
    assert found[0] == found[1]
    return found[0]


def test_a_revenue_name_of_another_code_is_named_at_its_cell():
    """歲入明細 row 2 is 09020180102 with 目 01上級政府補助收入 and 節 01計畫型補助收入 typed (E2, F2); its 科目名稱
    (B2) typed 「賠償收入-一般賠償收入」, the name of 04020180301 (以前年度 row 5). The warnings were at E2 and F2,
    the two cells that are right; now one at B2, saying whose name it is."""
    import tempfile
    from pathlib import Path

    def edit(wb):
        wb["歲入明細"]["B2"] = "賠償收入-一般賠償收入"

    said = _revenue_said(example(Path(tempfile.mkdtemp()), edit))
    assert [(rule, cell) for rule, cell, _ in said] == [("revenue-name-contradicts-levels", "歲入明細!B2")]
    assert "04020180301 的科目名稱（以前年度!B5）" in said[0][2]
    assert said[0][2].endswith("｜上級政府補助收入-計畫型補助收入")  # the name its 目 and 節 give: the advice's


def test_one_level_name_typed_wrong_is_still_named_at_that_level(tmp_path):
    """節 F2 typed 「一般賠償收入」 alone: the 科目名稱 agrees with the 目, so the 節 is the odd one, named at F2."""
    def edit(wb):
        wb["歲入明細"]["F2"] = "01一般賠償收入"

    assert [(rule, cell) for rule, cell, _ in _revenue_said(example(tmp_path, edit))] == [
        ("revenue-level-name-mismatch", "歲入明細!F2")]


# ------------------------------------------------ item 6: 計畫項目 filled on some lines of a 分支計畫

def _project_said(edit) -> list[tuple[str, str, str]]:
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.app.example import example_workbook
    from xlbudget.readers.inputs import read_book
    from xlbudget.rules.checks import check_inputs

    wb = example_workbook("example-taipei")
    edit(wb[SHEET_EXPENSES])
    book, _ = read_book(input_grids(wb, "臺北"), "臺北")
    return [(f.rule, f.cell.cell, f.message) for f in check_inputs(book) if f.rule == "project-left-blank"]


def _taipei_rows(ws, branch="04其他設備"):
    plan, col = column(ws, "工作計畫編號"), column(ws, "分支計畫")
    return [r for r in range(2, ws.max_row + 1)
            if ws.cell(r, plan).value == "58071529004" and ws.cell(r, col).value == branch]


def test_lines_without_a_project_typed_before_the_projects_say_nothing():
    """臺北 116's 58071529004 04其他設備 (歲出明細 rows 258–263): four lines typed without a 計畫項目, then 03-111年個人電腦
    租賃費 and 04-112年個人電腦租賃費; its printed book (07-152-76) prints the four under 04其他設備 first, as typed."""
    assert _project_said(lambda ws: None) == []


def test_a_line_without_a_project_typed_among_the_projects_is_named():
    """Row 263's 計畫項目 (04-112年個人電腦租賃費, 1,001,760 元) left blank: typed below 03-111年個人電腦租賃費, that line
    now prints above it, directly under 04其他設備, and 04-… is gone, without a word. One warning at its 計畫項目
    cell (row 263), naming the branch and the project above; the figures are as before."""
    def edit(ws):
        rows = _taipei_rows(ws)
        assert len(rows) == 6
        ws.cell(rows[5], column(ws, "計畫項目")).value = None  # 04-112年… left blank: typed after 03-…
    said = _project_said(edit)
    col = column_letter_of("計畫項目")
    assert [(rule, cell) for rule, cell, _ in said] == [("project-left-blank", f"{col}263")]
    assert "04其他設備" in said[0][2] and "第 263 列" in said[0][2] and "03-111年個人電腦租賃費" in said[0][2]


def column_letter_of(header: str) -> str:
    from openpyxl.utils import get_column_letter

    from xlbudget.app.example import example_workbook

    return get_column_letter(column(example_workbook("example-taipei")[SHEET_EXPENSES], header))


# ------------------------------------------------ item 5: one plan, one agency, two spellings

def _names_said(edit, tmp_path) -> list[tuple[str, str, str]]:
    wb = handmade_workbook()
    edit(wb)
    wb.save(tmp_path / "names.xlsx")
    return [(f.rule, f"{f.cell.sheet}!{f.cell.cell}", f.message) for f in check_file(tmp_path / "names.xlsx")[0].findings
            if f.rule == "printed-name-differs"]


def test_a_plan_name_one_character_off_on_one_table_is_named(tmp_path):
    """歲出機關別預算表 E12 prints 32020183201 as 「數位發展計晝」 (晝, day, for 畫): the 明細表's heading, the 彙計表's column,
    the 一級用途別 and 資本支出 tables print 「數位發展計畫」. Said nothing; now a warning at E12 naming the other."""
    def edit(wb):
        wb["歲出機關別預算表"]["E12"] = "\u3000\u3000\u300032020183201 數位發展計晝"
    said = _names_said(edit, tmp_path)
    assert [(rule, cell) for rule, cell, _ in said] == [("printed-name-differs", "歲出機關別預算表!E12")]
    assert "「晝」與「畫」" in said[0][2] and "32020183201" in said[0][2]


def test_an_agency_heading_with_a_lookalike_character_is_named(tmp_path):
    """各項費用彙計表's heading over its title (A1) 「高雄巿政府資訊中心」, 巿 (U+5DFF) for 市: every other table prints
    高雄市政府資訊中心. One warning at 各項費用彙計表!A1."""
    def edit(wb):
        wb[SUMMARY]["A1"] = "高雄\u5dff政府資訊中心"
    said = _names_said(edit, tmp_path)
    assert [(rule, cell) for rule, cell, _ in said] == [("printed-name-differs", f"{SUMMARY}!A1")]
    assert "「\u5dff」與「市」" in said[0][2]


def test_a_name_in_another_form_says_nothing(tmp_path):
    """台 for 臺, full-width spaces, a full-width form: the same name (the examples, handmade, say nothing either)."""
    def edit(wb):
        wb[SUMMARY]["A1"] = "高雄市政府 資訊中心"
        wb["歲出機關別預算表"]["E12"] = "\u3000\u3000\u300032020183201 數位發展 計畫"
    assert _names_said(edit, tmp_path) == []
