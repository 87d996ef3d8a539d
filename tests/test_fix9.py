"""Session 28's «never silently wrong» leftovers of the reading and check layers (fix9; field report 14, revw).

Figures are the example book's (高雄市政府資訊中心 113年度, xlbudget/data/example/): 歲出明細 row 4 is plan
32020180101's 1020 line, 數量 1 × 單價 871,852 = 預算數 871,852 元 (約僱人員薪資); row 5 is its next line.
"""

from __future__ import annotations

import pytest
from openpyxl.styles import Font

from xlbudget.adapters.books import load_book, read_inputs
from xlbudget.core.errors import InputError
from xlbudget.forms.inputs import SHEET_EXPENSES
from xlbudget.readers.grid import format_unit

from test_printed_blank_totals import books  # noqa: F401  (its fixture: each example built and stripped once)
from test_reading import column, example, problems, refused_everywhere


def _refusal(book):
    """The findings read_book refuses ``book`` with, through openpyxl (build) and python-calamine (check, export,
    convert): the same both ways."""
    found = []
    for read in (lambda: load_book(book), lambda: read_inputs(book)):
        with pytest.raises(InputError) as info:
            read()
        found.append(sorted(((f.rule, f.cell.cell, f.expected, f.actual, tuple(r.cell for r in f.related))
                             for f in info.value.findings), key=str))
    assert found[0] == found[1]
    return found[0]


# ------------------------------------------------------------ 1: a line struck through (刪除線)

def _strike(rows, headers=None):
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        for r in rows:
            for c in ([column(ws, h) for h in headers] if headers else range(1, ws.max_column + 1)):
                ws.cell(r, c).font = Font(name="標楷體", strike=True)
    return edit


def test_a_struck_line_is_refused_naming_its_row_and_amount(tmp_path, capsys):
    """The officer struck row 4 through (Ctrl+5 on the whole row) to «delete» it and keep it in sight: it was counted in
    every table without a word. Excel's own SUM still counts it while the officer means it gone: only he knows which,
    so neither guess is printed; the book is refused at the line's 預算數 (H4) with its 871,852 元, and he deletes the
    row or takes the strike off — one keystroke either way."""
    book = example(tmp_path, _strike([4]))
    assert _refusal(book) == [("struck-line", "H4", None, 1, ())]
    with pytest.raises(InputError) as info:
        load_book(book)
    (found,) = info.value.findings
    assert "第 4 列" in found.message and "871,852 元" in found.message
    # the add-in is given no fonts (xlwings' payload holds values): it cannot tell, and is not held to it here
    refused_everywhere(book, tmp_path, capsys, ["歲出明細!H4"], addin_too=False)


def test_several_struck_lines_are_one_problem_with_their_sum(tmp_path):
    """Rows 4 and 5 struck: one problem at H4, H5 related; their 預算數 summed in the message (871,852 + row 5's)."""
    from openpyxl import load_workbook

    book = example(tmp_path, _strike([4, 5]))
    h5 = load_workbook(book)[SHEET_EXPENSES]["H5"].value
    assert _refusal(book) == [("struck-line", "H4", None, 2, ("H5",))]
    with pytest.raises(InputError) as info:
        read_inputs(book)
    assert f"{871_852 + h5:,} 元" in info.value.findings[0].message


def test_only_the_amount_struck_is_a_struck_line(tmp_path):
    book = example(tmp_path, _strike([4], ["預算數"]))
    assert problems(book) == {("struck-line", "歲出明細!H4")}


def test_a_struck_note_alone_is_a_remark_and_the_book_reads(tmp_path):
    """Only the 說明 of row 4 struck (a remark crossed out): the line stands, the book reads as the example."""
    book = example(tmp_path, _strike([4], ["說明"]))
    model, _ = read_inputs(book)
    assert [i.amount for i in model.expenses if i.cells["預算數"].cell == "H4"] == [871_852]
    load_book(book)


def test_a_strike_on_empty_rows_says_nothing(tmp_path):
    """Whole columns formatted struck below the lines (rows 200–210, nothing typed there) are no line."""
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        for r in range(200, 211):
            ws.cell(r, 8).font = Font(strike=True)

    read_inputs(example(tmp_path, edit))
    load_book(example(tmp_path, edit, name="b.xlsx"))


# ------------------------------------------------------------ 2: a figure in a cell formatted in 千元

def _formatted(code, headers=("預算數",), rows=(4,)):
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        for r in rows:
            for h in headers:
                ws.cell(r, column(ws, h)).number_format = code
    return edit


@pytest.mark.parametrize("code, unit, factor", [('#,##0"千元"', "千元", 1000), ('#,##0"仟元"', "仟元", 1000),
                                                ('0"萬元"', "萬元", 10_000)])
def test_an_amount_formatted_in_thousands_is_refused_at_its_cell(tmp_path, capsys, code, unit, factor):
    """H4 holds 871,852 under #,##0"千元": Excel shows 「871,852千元」 and xlbudget read 871,852 元 — a 1,000-fold slip
    when the officer typed 千元 (field report 14 §1.4). Refused at H4, 應為 871,852 × 1,000 = 871,852,000 元."""
    book = example(tmp_path, _formatted(code))
    assert _refusal(book) == [("amount-unit-format", "H4", 871_852 * factor, 871_852, ())]
    with pytest.raises(InputError) as info:
        read_inputs(book)
    message = info.value.findings[0].message
    assert f"「871,852{unit}」" in message and code in message
    refused_everywhere(book, tmp_path, capsys, ["歲出明細!H4"], addin_too=False)


def test_each_column_in_thousands_is_one_problem(tmp_path):
    """單價 and 預算數 of rows 4 and 5 formatted 千元: one problem a column, at row 4, row 5 related."""
    book = example(tmp_path, _formatted('#,##0"千元"', ("單價", "預算數"), (4, 5)))
    found = _refusal(book)
    assert [(rule, cell, related) for rule, cell, _, _, related in found] == [
        ("amount-unit-format", "G4", ("G5",)), ("amount-unit-format", "H4", ("H5",))]


@pytest.mark.parametrize("code", ['#,##0,"千元"', "#,##0,", "#,##0", '#,##0"元"', "#,##0_);[Red](#,##0)"])
def test_a_format_that_scales_or_shows_yuan_reads_as_typed(tmp_path, code):
    """#,##0,"千元" shows 871,852 as 「872千元」: the cell holds 元, as xlbudget reads it; the others show 元."""
    book = example(tmp_path, _formatted(code))
    model, _ = read_inputs(book)
    assert [i.amount for i in model.expenses if i.cells["預算數"].cell == "H4"] == [871_852]
    load_book(book)


def test_the_count_column_in_a_thousands_format_is_not_money(tmp_path):
    """數量 (a count) formatted 0"千" is no money: read as typed (the 數量 × 單價 check speaks for it)."""
    book = example(tmp_path, _formatted('0"千"', ("數量",)))
    read_inputs(book)


def test_prior_year_typed_in_thousands_may_say_so(tmp_path):
    """以前年度 is typed in 千元 (SHEET_UNITS): C2's 41,366 under #,##0"千元" shows what it is."""
    def edit(wb):
        wb["以前年度"]["C2"].number_format = '#,##0"千元"'

    book = example(tmp_path, edit)
    read_inputs(book)
    load_book(book)


@pytest.mark.parametrize("code, expected", [
    ('#,##0"千元"', ("千元", 1000)), ('#,##0,"千元"', None), ("#,##0,", None), ("#,##0", None),
    ('0"萬元"', ("萬元", 10_000)), ('#,##0"元"', None), ("#,##0_);[Red](#,##0)", None), ("General", None),
    ('[$-404]#,##0\\千\\元', ("千元", 1000)), ('#,##0,,"百萬元"', None), ('#,##0"仟元";-#,##0"仟元"', ("仟元", 1000)),
    ('0.00"千元"', ("千元", 1000)), ('#,##0,"萬元"', ("萬元", 10_000))])
def test_format_unit_by_hand(code, expected):
    """By Excel's rules: a comma after the last digit placeholder divides by 1,000; quoted and escaped text is shown."""
    assert format_unit(code) == expected


# ------------------------------------------------------------ 3: a row of a printed table deleted by hand

def _deleted(books, example, sheet, row):
    """(rule, cell, 應為, related cells) of every error and warning check finds once ``row`` of ``sheet`` is deleted
    (the rows below move up one), and their messages; the book as built holds first."""
    from built_books import handmade_workbook
    from xlbudget.app.check import check_workbook
    from xlbudget.core.findings import Severity

    def wrong(wb):
        return [f for f in check_workbook(wb).findings if f.severity in (Severity.ERROR, Severity.WARNING)]

    assert wrong(books(example)) == []
    wb = handmade_workbook(example)
    wb[sheet].delete_rows(row)
    found = wrong(wb)
    return {(f.rule, f.cell.cell, f.expected, tuple(r.cell for r in f.related)) for f in found}, \
        " ".join(f.message for f in found)


def test_a_deleted_class_of_the_staff_table_is_a_row_missing_not_a_wrong_total(books):
    """人事費彙計表 row 10 約聘僱人員 (8 persons, 約聘僱人員待遇 5,282,562, 合計 7,115,000 as the seed prints it) deleted:
    合計 (row 7) was told «應為» the sum of the rows left in 7 columns, every one right. Now one error at its label,
    no 應為, quoting the figures of the row it lacks."""
    found, message = _deleted(books, "example", "人事費彙計表", 10)
    assert {(rule, cell, expected) for rule, cell, expected, _ in found} == {("table-row-missing", "A7", None)}
    assert "預算員額 8" in message and "約聘僱人員待遇 5,282,562" in message


def test_a_deleted_function_row_is_a_row_missing_not_a_wrong_total(books):
    """職能表 row 9 「01 一般公共事務」 (受僱人員報酬 43,036, … 總計 275,795, all the book's) deleted: 總計 was told «應為 0»
    in 8 columns."""
    found, message = _deleted(books, "example", "歲出按職能及經濟性綜合分類表", 9)
    assert {(rule, cell, expected) for rule, cell, expected, _ in found} == {("table-row-missing", "A8", None)}
    assert "受僱人員報酬 43,036" in message and "總計 275,795" in message


def test_a_deleted_plan_heading_is_named_and_its_plans_held_to_the_heading_above(books):
    """一級用途別 row 9 「32020180100 一般行政」 deleted: 行政支出 275,795 was told 應為 232,026 (數位發展計畫 alone) in 5
    columns. By hand: 行政管理 43,769 + 數位發展計畫 232,026 = 275,795, so 行政支出 holds; 行政管理 (now row 9) is named
    as printed without its 業務計畫."""
    found, message = _deleted(books, "example", "歲出一級用途別科目分析表", 9)
    assert found == {("plan-heading-missing", "A9", None, ())}
    assert "32020180100" in message


def test_a_deleted_plan_is_named_against_the_summary(books):
    """一級用途別 row 10 「32020180101 行政管理」 deleted: nothing was said (一般行政 had no row left to add). The 彙計表
    prints the plan: named at 一般行政 (row 9), the row it belongs under."""
    found, message = _deleted(books, "example", "歲出一級用途別科目分析表", 10)
    assert found == {("plan-row-missing", "A9", None, ())}
    assert "32020180101" in message


def test_a_deleted_plan_among_others_is_one_finding(books):
    """臺中 115 一級用途別 row 13 「32020040702 特種基金預決算編審與督導執行」 (1,404 千元) deleted: 歲計會計業務 (row 11,
    5,742 = 2,752 + 1,404 + 1,586) is right; the plan is named there, and the row it lacks is not said twice."""
    found, _ = _deleted(books, "example-taichung", "歲出一級用途別科目分析表", 13)
    assert found == {("plan-row-missing", "A11", None, ())}


def test_a_deleted_heading_of_several_plans_is_one_warning(books):
    """臺中 115 row 11 「32020040700 歲計會計業務」 deleted: its three plans (now rows 11–13) named in one warning."""
    found, _ = _deleted(books, "example-taichung", "歲出一級用途別科目分析表", 11)
    assert found == {("plan-heading-missing", "A11", None, ("A12", "A13"))}


def test_a_slip_in_one_total_column_is_still_named_with_its_figure(books):
    """The row-missing reading needs two columns or more over by a whole row: 人事費彙計表 F7 (約聘僱人員待遇 合計
    5,282,562) typed 5,282,000 is the slip it was, 應為 5,282,562."""
    from built_books import handmade_workbook
    from xlbudget.app.check import check_workbook

    wb = handmade_workbook("example")
    wb["人事費彙計表"]["F7"] = 5_282_000
    found = {(f.rule, f.cell.cell, f.expected) for f in check_workbook(wb).findings}
    assert ("F7", 5_282_562) in {(cell, expected) for _, cell, expected in found}
    assert not any(rule == "table-row-missing" for rule, _, _ in found)


# ------------------------------------------------------------ 4: a styled empty cell far away

@pytest.mark.parametrize("far", ["XFD1048576", "A1048576", "XFD2"])
def test_a_styled_empty_cell_far_away_is_no_extent(tmp_path, capsys, far):
    """A fill at XFD1048576 (or a whole row or column formatted) on 歲出明細: the book was refused, 「範圍達 1,048,576 列
    × 16,384 欄」, though nothing is there. The cap counts the cells holding something: every command reads the book as
    the example, the same records exported."""
    import json

    from openpyxl.styles import PatternFill

    from xlbudget.app.convert import convert_paths
    from xlbudget.cli import main

    def edit(wb):
        wb[SHEET_EXPENSES][far].fill = PatternFill("solid", fgColor="FFFF00")

    plain, book = example(tmp_path, name="plain.xlsx"), example(tmp_path, edit)
    exported = []
    for b in (plain, book):
        assert main(["export", str(b), "-o", str(tmp_path / f"{b.stem}.json")]) == 0
        exported.append(json.loads((tmp_path / f"{b.stem}.json").read_text(encoding="utf-8")))
    assert exported[0] == exported[1] and len(exported[0]) > 400
    assert main(["check", str(book)]) == 0
    assert main(["build", str(book), "-o", str(tmp_path / "built.xlsx")]) == 0
    code, results = convert_paths([str(book)], str(tmp_path / "conv"), jobs=1, stream=open("/dev/null", "w"))
    assert code == 0 and results[0].output


def test_a_value_far_away_is_still_refused(tmp_path, capsys):
    """The cap's protection stays: a value typed at XFD1048576 (column 16,384 > 500, row 1,048,576 > 200,000)."""
    def edit(wb):
        wb[SHEET_EXPENSES]["XFD1048576"] = "x"

    book = example(tmp_path, edit)
    refused_everywhere(book, tmp_path, capsys, ["歲出明細!XFD1048576"], addin_too=False)


def test_the_extent_counts_cells_holding_something():
    """safety._held_extent by hand: a self-closing styled cell, an empty <c></c>, and a cell without r after B5."""
    from xlbudget.adapters.safety import _held_extent

    xml = (b'<row r="5"><c r="B5" t="inlineStr"><is><t>x</t></is></c><c s="1"><v>3</v></c><c r="XFD5" s="2"/></row>'
           b'<row r="1048576"><c r="A1048576" s="2"></c></row><row><c r="D9"><f>1+1</f></c></row>')
    extent = [0, 0, 0]
    _held_extent(xml, extent)
    assert extent[:2] == [9, 4]  # D9 (a formula) the last row and column; C5 (no r, after B5) column 3


# ------------------------------------------------------------ 5: a 說明 merged across empty columns

@pytest.mark.parametrize("reader", ["openpyxl", "calamine"])
def test_a_note_merged_across_empty_columns_reads_as_the_note(tmp_path, reader):
    """L4:O4 merged (說明 「約僱人員薪資。」 widened over 標記, 計畫項目, 計畫項目說明, all empty on row 4): the book was
    refused (merged-input-cells). It reads as the officer sees it: row 4's 說明 as typed, the figures the example's."""
    from xlbudget.adapters.fastread import read_grids
    from xlbudget.adapters.xlsxfile import input_grids, open_workbook
    from xlbudget.readers.inputs import read_book

    def edit(wb):
        wb[SHEET_EXPENSES].merge_cells("L4:O4")

    book = example(tmp_path, edit)
    grids = input_grids(open_workbook(book), book.name) if reader == "openpyxl" else read_grids(book)
    model, _ = read_book(grids, book.name)
    (line,) = [i for i in model.expenses if i.cells["預算數"].cell == "H4"]
    assert (line.amount, line.note) == (871_852, "約僱人員薪資。")


@pytest.mark.parametrize("rng", ["F4:H4", "L4:L5", "K4:L4"])
def test_a_merge_that_hides_something_is_still_refused(tmp_path, rng):
    """數量 merged over 單價 and 預算數 (numbers: which column is it?), 說明 merged down two lines, and 經濟性分類
    (empty) merged over the 說明 beside it (what it hides holds text): refused, naming the range."""
    def edit(wb):
        wb[SHEET_EXPENSES].merge_cells(rng)

    assert problems(example(tmp_path, edit)) == {("merged-input-cells", f"歲出明細!{rng.split(':')[0]}")}


# ------------------------------------------------------------ 6: messages a person can read

@pytest.mark.parametrize("suffix", [".fods", ".xlsx"])
def test_a_flat_opendocument_file_is_called_what_it_is(tmp_path, capsys, suffix):
    """LibreOffice's flat XML spreadsheet (.fods, or one renamed .xlsx) was called 「網頁（HTML）或 XML 檔」 and the
    officer told to save it from Excel: it is named, and what to do in LibreOffice said."""
    from xlbudget.cli import main

    book = tmp_path / f"預算{suffix}"
    book.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<office:document xmlns:office="urn:oasis:names:tc:'
                    'opendocument:xmlns:office:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.'
                    'opendocument.spreadsheet"><office:body/></office:document>', encoding="utf-8")
    for argv in (["check", str(book)], ["build", str(book), "-o", str(tmp_path / "o.xlsx")], ["export", str(book)]):
        capsys.readouterr()
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert "OpenDocument 平面試算表" in err and ".ods" in err and "網頁" not in err, err


def test_an_invisible_character_is_named_in_the_message(tmp_path):
    """用途別科目 「1020​」 (a zero-width space after it, pasted from the web) was told «此處為「​」»: now the character is
    named where it stands."""
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.cell(4, column(ws, "用途別科目")).value = "1020\u200b"

    _, findings = read_inputs(example(tmp_path, edit))
    (found,) = [f for f in findings if f.rule == "object-name-mismatch"]
    assert found.cell.cell == "D4" and "此處為「（零寬空格 U+200B）」" in found.message


def test_a_code_typed_as_a_whole_decimal_is_the_code(tmp_path):
    """用途別科目 「1020.0」 (the number 1020 as text) was read as 1020 named 「.0」, told «此處為「.0」»: it is 1020."""
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.cell(4, column(ws, "用途別科目")).value = "1020.0"

    model, findings = read_inputs(example(tmp_path, edit))
    assert not [f for f in findings if f.rule == "object-name-mismatch"]
    assert [i.object_code for i in model.expenses if i.cells["預算數"].cell == "H4"] == ["1020"]


def test_a_price_named_with_its_figure_has_commas_and_no_point_zero():
    """數量 1 × 單價 4,410,710.5 ≠ 預算數 4,410,710, which its total confirms: 單價 is named «若為 4,410,710» (was
    «4410710.0»): to the 角 it is printed to, 4,410,710 ÷ 1 = 4,410,710.0, a whole figure."""
    from decimal import Decimal

    from xlbudget.core.findings import factor_finding, item_product_finding
    from xlbudget.core.model import CellRef

    cell = lambda c: CellRef("明細表", c)  # noqa: E731
    f = item_product_finding(1, Decimal("4410710.5"), 4_410_710, cell("E9"), cell("C9"), cell("D9"), "")
    found = factor_finding(f, 1, Decimal("4410710.5"), cell("E8"), "2018資訊服務費")
    assert found.rule == "item-factor-mismatch" and found.cell.cell == "D9"
    assert "單價若為 4,410,710，" in found.message and "4410710.0" not in found.message
    assert "單價 4,410,710.5 元" in found.message
