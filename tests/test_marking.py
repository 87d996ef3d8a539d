"""--mark / --clear: our fills and notes come and go; the officer's never change."""

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from xlbudget.app.check import check_workbook
from xlbudget.forms.results import RESULT_SHEET, STATE_SHEET
from xlbudget.cli import main
from xlbudget.adapters.marking import AUTHOR, FILLS, clear_marks, mark_workbook
from xlbudget.core.findings import Severity
from xlbudget.derive.schedules import SUMMARY
from xlbudget.adapters.xlsxfile import save_atomic

from conftest import sha256
from test_checks import built_example

OFFICER_FILL = PatternFill("solid", fgColor="FF00B050")


def officer_book(tmp_path):
    """The built example with two typed-over figures, an officer's fill + note on one, and a formula."""
    wb = built_example()
    ws = wb[SUMMARY]
    ws["B8"] = 40_000  # 人事費, 行政管理: printed 42,978
    ws["B8"].fill = OFFICER_FILL
    ws["B8"].comment = Comment("主任說要再確認", "王小明")
    ws["D9"] = 25_300  # 法定編制人員待遇 合計: printed 25,356
    ws["F3"] = "=1+1"  # the officer's formula outside the table
    ws["F4"].fill = OFFICER_FILL
    return save_atomic(wb, tmp_path / "book.xlsx")


def test_mark_then_clear_round_trip(tmp_path, capsys):
    path = officer_book(tmp_path)
    out = tmp_path / "marked.xlsx"
    before = sha256(path)
    assert main(["check", str(path), "--mark", "-o", str(out)]) == 1
    assert sha256(path) == before  # -o: the input file is never modified
    wb = openpyxl.load_workbook(out)
    ws = wb[SUMMARY]
    assert ws["B8"].fill.fgColor.rgb == FILLS[Severity.ERROR]
    assert ws["B8"].comment.author == AUTHOR
    assert ws["B8"].comment.text.startswith("主任說要再確認")  # the officer's note stays, ours follows
    assert "schedule-cell-mismatch" in ws["B8"].comment.text
    assert ws["D9"].fill.fgColor.rgb == FILLS[Severity.ERROR] and ws["D9"].comment.author == AUTHOR
    assert ws["B8"].value == 40_000 and ws["F3"].value == "=1+1"
    assert ws["F4"].fill.fgColor.rgb == OFFICER_FILL.fgColor.rgb
    assert wb.sheetnames[0] == RESULT_SHEET and wb[STATE_SHEET].sheet_state == "veryHidden"
    results = wb[RESULT_SHEET]
    links = {c.value: c.hyperlink.location for row in results.iter_rows() for c in row if c.hyperlink}
    # and the seed's 以前年度 說明 cells holding amounts no table holds (info, tests/test_prior_notes.py)
    assert links == {f"{SUMMARY}!B8": f"'{SUMMARY}'!B8", f"{SUMMARY}!D9": f"'{SUMMARY}'!D9",
                     "以前年度!I2": "'以前年度'!I2", "以前年度!I3": "'以前年度'!I3"}
    capsys.readouterr()

    # re-run on the marked file: still two marks, not four; the officer's note appears once
    assert main(["check", str(out), "--mark"]) == 1
    backups = list(tmp_path.glob("marked.備份-*.xlsx"))
    assert len(backups) == 1
    wb = openpyxl.load_workbook(out)
    assert wb[SUMMARY]["B8"].comment.text.count("主任說要再確認") == 1
    assert wb[SUMMARY]["B8"].comment.text.count("schedule-cell-mismatch") == 1
    rows = [r for r in wb[RESULT_SHEET].iter_rows(values_only=True)
            if r and isinstance(r[0], int) and r[2] == "schedule-cell-mismatch"]
    assert len(rows) == 2

    # clear: the officer's fill and note are back, ours are gone
    assert main(["check", str(out), "--clear"]) == 0
    wb = openpyxl.load_workbook(out)
    ws = wb[SUMMARY]
    assert ws["B8"].fill.fgColor.rgb == OFFICER_FILL.fgColor.rgb
    assert (ws["B8"].comment.text, ws["B8"].comment.author) == ("主任說要再確認", "王小明")
    assert ws["D9"].comment is None and ws["D9"].fill.fgColor.rgb != FILLS[Severity.ERROR]
    assert RESULT_SHEET not in wb.sheetnames and STATE_SHEET not in wb.sheetnames
    assert ws["F3"].value == "=1+1"


def test_fill_changed_by_officer_after_marking_is_kept(tmp_path):
    wb = openpyxl.load_workbook(officer_book(tmp_path))
    report = check_workbook(wb, None, "book.xlsx")
    mark_workbook(wb, report.findings)
    blue = PatternFill("solid", fgColor="FF0070C0")
    wb[SUMMARY]["D9"].fill = blue  # the officer recolours a marked cell
    clear_marks(wb)
    assert wb[SUMMARY]["D9"].fill.fgColor.rgb == "FF0070C0"


def test_marked_book_checks_the_same(tmp_path):
    wb = openpyxl.load_workbook(officer_book(tmp_path))
    first = check_workbook(wb, None, "book.xlsx").findings
    mark_workbook(wb, first)
    again = check_workbook(wb, None, "book.xlsx").findings
    assert [(f.rule, f.cell) for f in again] == [(f.rule, f.cell) for f in first]


def test_a_note_reads_an_empty_figure_as_blank():
    """An empty 實為 in a cell note reads （空白）, as the checks' messages do, never as nothing at all."""
    from xlbudget.core.findings import make_finding
    from xlbudget.core.model import CellRef

    wb = openpyxl.Workbook()
    wb.active.title = "歲出明細"
    cell = CellRef("歲出明細", "D2")
    for actual in ("", "  ", None):
        f = make_finding("object-name-mismatch", cell, expected="資訊服務費", actual=actual, code="2018")
        mark_workbook(wb, [f])
        note = wb["歲出明細"]["D2"].comment.text
        assert "應為：資訊服務費；實為：（空白）" in note, (actual, note)


def test_the_results_sheet_prints_on_landscape_a4_one_page_wide(tmp_path):
    """檢核結果 prints as the input sheets and the lists do (forms.pages.RESULTS_PAGE): A4 (paper 9), landscape, one page
    wide and as many pages down as its findings take."""
    from xlbudget.core.findings import make_finding
    from xlbudget.core.model import CellRef

    wb = openpyxl.Workbook()
    wb.active.title = "歲出明細"
    f = make_finding("object-name-mismatch", CellRef("歲出明細", "D2"), expected="資訊服務費", actual="", code="2018")
    mark_workbook(wb, [f])
    wb.save(tmp_path / "marked.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "marked.xlsx")[RESULT_SHEET]
    setup = ws.page_setup
    assert (int(setup.paperSize), setup.orientation, setup.fitToWidth, setup.fitToHeight,
            ws.sheet_properties.pageSetUpPr.fitToPage) == (9, "landscape", 1, 0, True)


def _reviewers_book(tmp_path):
    """The example with 歲出明細!H24 typed 33,000 (1 × 32,000) and the 主計室 reviewer's own sheet 「檢核結果」."""
    from xlbudget.app.example import example_workbook

    wb = example_workbook()
    wb["歲出明細"]["H24"] = 33_000
    ws = wb.create_sheet(RESULT_SHEET)
    ws["A1"], ws["A2"] = "主計室審核意見", "1. 2054 一般事務費較上年度增加，請補充說明。"
    return save_atomic(wb, tmp_path / "審核.xlsx")


def test_an_officers_own_results_sheet_is_never_replaced(tmp_path, capsys):
    """Field report 6 §2.2 (f31): check --mark replaced the reviewer's 「檢核結果」 with xlbudget's, exit 1, no word.
    Now refused (results-sheet-not-ours, naming the sheet and its first cell), nothing written, for --mark with -o,
    --mark in place and --clear; renamed, the book is marked."""
    path = _reviewers_book(tmp_path)
    before = sha256(path)
    out = tmp_path / "標示.xlsx"
    for args in (["--mark", "-o", str(out)], ["--mark"], ["--clear"], ["--mark", "--format", "json", "-o", str(out)]):
        capsys.readouterr()
        assert main(["check", str(path), *args]) == 2, args
        said = capsys.readouterr()
        assert "審核.xlsx 已有一張「檢核結果」工作表，但不是 xlbudget 寫的（第一格是「主計室審核意見」" in said.err, (args, said)
        assert ('"rule": "results-sheet-not-ours"' in said.out) == ("json" in args), said.out
        assert "Traceback" not in said.err
        assert sha256(path) == before and not out.exists()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["審核.xlsx"], args  # no backup either
    wb = openpyxl.load_workbook(path)
    wb[RESULT_SHEET].title = "審核意見"
    wb.save(path)
    assert main(["check", str(path), "--mark", "-o", str(out)]) == 1
    marked = openpyxl.load_workbook(out)
    assert marked[RESULT_SHEET]["A1"].value.startswith("xlbudget 檢核結果")
    assert marked["審核意見"]["A1"].value == "主計室審核意見"
    assert main(["check", str(out), "--mark"]) == 1  # xlbudget's own 檢核結果: replaced, as before


def _cleared(edited, out, capsys):
    """check --clear of ``edited`` into ``out`` (exit 0): what it said, its 歲出明細, and the cells still holding
    a fill or note of xlbudget's."""
    capsys.readouterr()
    assert main(["check", str(edited), "--clear", "-o", str(out)]) == 0
    said = capsys.readouterr().out
    ws = openpyxl.load_workbook(out)["歲出明細"]
    ours = {c.coordinate for row in ws.iter_rows() for c in row
            if c.fill.fgColor.rgb in FILLS.values() or (c.comment and c.comment.author == AUTHOR)}
    return said, ws, ours


def _unspliced_unless(spliced: bool, monkeypatch) -> None:
    """Not ``spliced``: splicemark refuses (CannotSplice), so --mark/--clear take the openpyxl way."""
    from xlbudget.adapters import splicemark
    from xlbudget.adapters.splice import CannotSplice

    if not spliced:
        def cannot(*args, **kwargs):
            raise CannotSplice("for the test")

        monkeypatch.setattr(splicemark, "mark_file", cannot)


@pytest.mark.parametrize("spliced", [True, False])
def test_clear_finds_the_marks_inserted_rows_moved(tmp_path, capsys, monkeypatch, spliced):
    """Field report 6 §3.2 (f25): 歲出明細!H24 typed 33,000 against 1 × 32,000 marks F24, G24, H24 red; the officer
    inserts a line at row 10 (the marks are now F25:H25, his own yellow H30 now H31); --clear said «已清除» and left
    F25:H25 red. Now the marks are found by xlbudget's note and fill where they moved, and said so; deleting the
    marked line instead leaves them nowhere, which --clear names. Spliced and the openpyxl way alike."""
    from xlbudget.app.example import example_workbook
    _unspliced_unless(spliced, monkeypatch)
    red, yellow = FILLS[Severity.ERROR], "FFFFFF00"
    wb = example_workbook()
    wb["歲出明細"]["H24"] = 33_000
    wb["歲出明細"]["H30"].fill = PatternFill("solid", fgColor=yellow)
    book = save_atomic(wb, tmp_path / "書.xlsx")
    marked = tmp_path / "標示.xlsx"
    assert main(["check", str(book), "--mark", "-o", str(marked)]) == 1
    ws = openpyxl.load_workbook(marked)["歲出明細"]
    assert [ws[c].fill.fgColor.rgb for c in ("F24", "G24", "H24")] == [red] * 3  # as field report 6 found them

    for edit, now in (("insert", "25"), ("delete", None)):
        wb = openpyxl.load_workbook(marked)
        ws = wb["歲出明細"]
        if edit == "insert":
            ws.insert_rows(10)  # values, fills and notes move down, as Excel moves them
            assert [ws[c + now].fill.fgColor.rgb for c in "FGH"] == [red] * 3 and ws["H31"].fill.fgColor.rgb == yellow
        else:
            ws.delete_rows(24)
        edited = save_atomic(wb, tmp_path / f"{edit}.xlsx")
        out = tmp_path / f"{edit}-清除.xlsx"
        said, ws, ours = _cleared(edited, out, capsys)
        assert ours == set(), (edit, ours)
        if edit == "insert":
            assert "上次的 3 個標示已隨插入或刪除的列／欄移動，已在新位置清除" in said, said
            assert "歲出明細!F24→F25" in said and "歲出明細!H24→H25" in said and "找不到上次標示" not in said, said
            assert ws["H31"].fill.fgColor.rgb == yellow  # the officer's own fill, moved with his line, kept
        else:
            assert "找不到上次標示的 3 個儲存格" in said and "歲出明細!F24、" in said, said
            assert "（上次的標示有 3 格找不到，見上）" in said and "已隨插入" not in said, said


@pytest.mark.parametrize("spliced", [True, False])
def test_clear_keeps_an_officers_own_red_that_inserted_rows_moved_onto_a_mark(tmp_path, capsys, monkeypatch,
                                                                              spliced):
    """The officer coloured 歲出明細!F23 red himself (xlbudget's very colour, no note) above the marks at F24:H24,
    then inserted a line at row 10: his red is now at F24, a recorded address, the marks at F25:H25. --clear took
    his F24 for our mark (its fill restored to F24's original, none) and left our F25 red without its note, saying
    «已清除». A recorded cell is ours only with our note too; his red stays, our F25 goes."""
    from xlbudget.app.example import example_workbook
    _unspliced_unless(spliced, monkeypatch)
    red = FILLS[Severity.ERROR]
    wb = example_workbook()
    wb["歲出明細"]["H24"] = 33_000
    book = save_atomic(wb, tmp_path / "書.xlsx")
    marked = tmp_path / "標示.xlsx"
    assert main(["check", str(book), "--mark", "-o", str(marked)]) == 1
    wb = openpyxl.load_workbook(marked)
    ws = wb["歲出明細"]
    ws["F23"].fill = PatternFill("solid", fgColor=red)
    ws.insert_rows(10)
    edited = save_atomic(wb, tmp_path / "插入.xlsx")
    out = tmp_path / "清除.xlsx"
    capsys.readouterr()
    assert main(["check", str(edited), "--clear", "-o", str(out)]) == 0
    said = capsys.readouterr().out
    ws = openpyxl.load_workbook(out)["歲出明細"]
    assert ws["F24"].fill.fgColor.rgb == red  # the officer's own
    assert [ws[c + "25"].fill.fgColor.rgb for c in "FGH"] == ["00000000"] * 3, said
    assert "歲出明細!F24→F25" in said, said


@pytest.mark.parametrize("spliced", [True, False])
def test_clear_a_note_removed_in_place_never_takes_a_moved_mark(tmp_path, capsys, monkeypatch, spliced):
    """歲出明細 lines 10 and 24 marked (F:H, 數量 × 單價 ≠ 預算數); the officer removes xlbudget's notes of F10:H10
    (their red kept), then inserts a line at row 20: the marks of line 24 are at F25:H25. A recorded cell holding our
    fill without our note is looked for as a moved mark too (an officer's own red moved onto it), but only after the
    marks truly gone from their cells: F10:H10 are cleared where they are, F24:H24 found at F25:H25."""
    from xlbudget.app.example import example_workbook
    _unspliced_unless(spliced, monkeypatch)
    red = FILLS[Severity.ERROR]
    wb = example_workbook()
    wb["歲出明細"]["H24"] = 33_000
    wb["歲出明細"]["H10"] = wb["歲出明細"]["H10"].value + 1_000
    book = save_atomic(wb, tmp_path / "書.xlsx")
    marked = tmp_path / "標示.xlsx"
    assert main(["check", str(book), "--mark", "-o", str(marked)]) == 1
    wb = openpyxl.load_workbook(marked)
    ws = wb["歲出明細"]
    assert [ws[c].fill.fgColor.rgb for c in ("F10", "G10", "H10", "F24", "G24", "H24")] == [red] * 6
    for c in ("F10", "G10", "H10"):
        ws[c].comment = None
    ws.insert_rows(20)
    edited = save_atomic(wb, tmp_path / "插入.xlsx")
    out = tmp_path / "清除.xlsx"
    said, ws, ours = _cleared(edited, out, capsys)
    assert ours == set(), (ours, said)
    assert "歲出明細!F24→F25" in said and "找不到上次標示" not in said, said
