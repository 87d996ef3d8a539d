"""The 2026-12-02 field test (field report 14): inputs that went silently wrong.

Figures are the example book's (高雄市政府資訊中心 113年度, xlbudget/data/example/): plan 32020180101 一般行政-行政管理
has one 分支計畫, 01行政業務, on 歲出明細 rows 2–19 (C2 「01行政業務」); row 4 is its 1020 line of 871,852 元 (約僱人員
薪資), and 01行政業務 totals 43,769,000 元.
"""

from __future__ import annotations

import pytest

from xlbudget.forms.inputs import SHEET_EXPENSES

from test_field_keys import _related
from test_reading import column, example, problems, refused_everywhere


# ------------------------------------------------------------ §1.1: a ditto mark for «as the line above»

@pytest.mark.parametrize("typed", ["〃", "同上", "同 上", "″", "＂", "仝上"])
def test_a_branch_typed_as_a_ditto_mark_is_refused_naming_the_branch_above(tmp_path, capsys, typed):
    """「〃」 in C4 printed a 分支計畫 named 〃 with row 4's 871,852 元, and 01行政業務 42,897,148 for 43,769,000,
    with no word from check."""
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.cell(4, column(ws, "分支計畫")).value = typed

    book = example(tmp_path, edit)
    assert _related(book) == {("ditto-mark", "歲出明細!C4"): set()}
    refused_everywhere(book, tmp_path, capsys, ["歲出明細!C4"])


def test_every_ditto_line_of_a_plan_is_named_with_the_value_it_stands_for(tmp_path):
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        for r in (4, 5, 6):
            ws.cell(r, column(ws, "分支計畫")).value = "〃"

    book = example(tmp_path, edit)
    assert _related(book) == {("ditto-mark", "歲出明細!C4"): {"歲出明細!C5", "歲出明細!C6"}}
    from xlbudget.adapters.books import load_book
    from xlbudget.core.errors import InputError
    with pytest.raises(InputError) as info:
        load_book(book)
    (found,) = info.value.findings
    assert found.expected == "01行政業務" and found.actual == "〃"
    assert "歲出明細!C3" in found.message and "共 3 列" in found.message


def test_a_project_typed_as_a_ditto_mark_is_refused(tmp_path, capsys):
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.cell(2, column(ws, "計畫項目")).value = "01網路"
        ws.cell(3, column(ws, "計畫項目")).value = "〃"

    book = example(tmp_path, edit)
    assert problems(book) == {("ditto-mark", "歲出明細!N3")}
    refused_everywhere(book, tmp_path, capsys, ["歲出明細!N3"])


def test_a_name_that_holds_a_ditto_word_is_a_name():
    from xlbudget.core.keys import is_ditto
    assert [is_ditto(t) for t in ("〃", " 同上 ", "同上級機關協調", "01行政業務", "〃〃x", None, "")] == [
        True, True, False, False, False, False, False]


# ------------------------------------------------------------ §1.2: a line above the header row

def _line_above(sheet: str, line: int):
    """Row ``line`` of ``sheet`` moved above its header row (the header now on row 2): a sort made with 「我的資料有
    標題」 off, or a line pasted at the top."""
    def edit(wb):
        ws = wb[sheet]
        width = ws.max_column
        values = [ws.cell(line, c).value for c in range(1, width + 1)]
        ws.delete_rows(line)
        ws.insert_rows(1)
        for c, v in enumerate(values, start=1):
            ws.cell(1, c).value = v
    return edit


def test_an_items_line_above_the_header_is_refused_not_skipped(tmp_path, capsys):
    """歲出明細 row 2 (1015 法定編制人員待遇, 25,356,370 元) above the header was read as a title line: 各項費用彙計表's
    1000 人事費 printed 17,622 千元 for 42,978, and nothing said a line was left out."""
    book = example(tmp_path, _line_above(SHEET_EXPENSES, 2))
    assert problems(book) == {("line-above-header", "歲出明細!A1")}
    refused_everywhere(book, tmp_path, capsys, ["歲出明細!A1"])


def test_a_revenue_line_above_the_header_is_refused_not_skipped(tmp_path, capsys):
    """歲入明細's one line (09020180102, 57,019,000 元) above its header left the book with no 歲入 but the 說明提要
    of its code, which said only that the code was no 科目."""
    book = example(tmp_path, _line_above("歲入明細", 2))
    assert ("line-above-header", "歲入明細!A1") in problems(book)
    refused_everywhere(book, tmp_path, capsys, ["歲入明細!A1"])


@pytest.mark.parametrize("title", [("高雄市政府資訊中心 113年度 歲出明細",),
                                   ("高雄市政府資訊中心", None, None, None, None, None, None, "單位：新臺幣元")])
def test_a_title_and_its_unit_above_the_header_are_still_a_title(tmp_path, title):
    from test_reading import assert_example_figures
    from xlbudget.app.example import example_workbook

    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.insert_rows(1)
        for c, v in enumerate(title, start=1):
            ws.cell(1, c).value = v

    wb = example_workbook()
    edit(wb)
    assert_example_figures(example(tmp_path, edit), tmp_path, wb)


# ------------------------------------------------------------ §1.5: 機關編號 that no code of the book carries

def _agency_code(typed):
    def edit(wb):
        ws = wb["基本資料"]
        row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "機關編號")
        ws.cell(row, 2).value = typed
    return edit


def _found(book, capsys, rule):
    from xlbudget.cli import main
    capsys.readouterr()
    main(["check", str(book), "--format", "json"])
    import json
    return [f for f in json.loads(capsys.readouterr().out) if f["rule"] == rule]


def test_an_agency_code_no_plan_code_carries_is_named_at_its_cell(tmp_path, capsys):
    """機關編號 02-017 typed for 02-018: 歲出機關別預算表 printed the agency line 00020170000 above plans 32020180101 and
    32020183201, and convert's 彙總 took the book for agency 02-017, with no word."""
    book = example(tmp_path, _agency_code("02-017"))
    (found,) = _found(book, capsys, "agency-code-mismatch")
    assert (found["severity"], found["sheet"], found["cell"]) == ("warning", "基本資料", "B3")
    assert (found["expected"], found["actual"]) == ("02-018", "02-017")
    assert "00020170000" in found["message"] and "32020180101" in found["message"]


@pytest.mark.parametrize("typed", ["02-018", "02018", "０２－０１８", 2018])
def test_the_agency_code_as_the_plan_codes_carry_it_says_nothing(tmp_path, capsys, typed):
    assert _found(example(tmp_path, _agency_code(typed)), capsys, "agency-code-mismatch") == []


@pytest.mark.parametrize("key", ["example", "example-taichung", "example-taipei"])
def test_every_bundled_example_carries_its_agency_code(tmp_path, key):
    from xlbudget.app.example import example_workbook
    from xlbudget.readers.inputs import read_book
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.rules.inputs import check_agency_code

    book, _ = read_book(input_grids(example_workbook(key), "範例"), "範例")
    assert book.agency.code and list(check_agency_code(book)) == []


# ------------------------------------------------------------ §2.3: pdf into a place it cannot write

@pytest.mark.parametrize("locked", ["folder", "file"])
def test_pdf_that_cannot_be_written_is_refused_before_rendering(tmp_path, monkeypatch, capsys, locked):
    """A read-only folder was said after two LibreOffice renderings (47 s on the example), not before them."""
    import shutil

    from xlbudget.cli import main
    from test_convert import EXAMPLE
    from test_read_only import read_only

    folder = tmp_path / "局處"
    folder.mkdir()
    book = folder / "預算書.xlsx"
    shutil.copy(EXAMPLE, book)
    (folder / "預算書.pdf").write_bytes(b"%PDF-1.4 old")
    rendered = []

    def publish(*args, **kwargs):
        rendered.append(args)
        raise AssertionError("rendered")

    monkeypatch.setattr("xlbudget.app.publish.publish_file", publish)
    with read_only(folder if locked == "folder" else folder / "預算書.pdf"):
        assert main(["pdf", str(book), "--force"]) == 2
    err = capsys.readouterr().err
    assert rendered == [] and "預算書.pdf" in err and "唯讀" in err and "Traceback" not in err
    assert (folder / "預算書.pdf").read_bytes() == b"%PDF-1.4 old"


# ------------------------------------------------------------ §2.1: 說明 run on below its line

@pytest.mark.parametrize("sheet, column", [(SHEET_EXPENSES, "說明"), ("歲入明細", "說明")])
def test_a_row_of_only_a_note_is_named_as_a_note_run_on(tmp_path, capsys, sheet, column):
    """A row holding only 「（續）含加班費…」 under its line was refused as 「工作計畫編號應為11 位數字，此處為「」」,
    which does not tell the officer what is wrong with a row he typed no code on."""
    def edit(wb):
        ws = wb[sheet]
        ws.insert_rows(3)
        ws.cell(3, column_of(ws, column)).value = "（續）含加班費及不休假加班費。"

    from test_reading import column as column_of
    book = example(tmp_path, edit)
    assert problems(book) == {("note-only-row", f"{sheet}!L3")}  # 說明 is column L on both sheets
    refused_everywhere(book, tmp_path, capsys, [f"{sheet}!L3"])


def test_a_row_with_a_note_and_an_amount_is_still_a_line_missing_its_code(tmp_path):
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.insert_rows(3)
        ws.cell(3, column(ws, "說明")).value = "（續）含加班費。"
        ws.cell(3, column(ws, "預算數")).value = 1000

    assert ("note-only-row", "歲出明細!L3") not in problems(example(tmp_path, edit))
