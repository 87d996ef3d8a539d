"""xlbudget's marks where the officer's edits moved them, and left as he left his own (check --clear, check --mark's
removal of the last marks): a column inserted before a run of marks, and the other ways a marked book comes back.

A book "as Excel leaves it" is made by hand: openpyxl's insert_cols moves the cells (value, fill, note) but leaves
every formula as it was, while Excel rewrites each reference to a moved cell, the state sheet's too.
"""

import re

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from xlbudget.adapters.marking import AUTHOR, FILLS
from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.cli import main
from xlbudget.core.findings import Severity
from xlbudget.forms.results import RESULT_SHEET, STATE_SHEET

from test_marking import _unspliced_unless

RED = FILLS[Severity.ERROR]
GREEN, BLUE = "FF00B050", "FF0070C0"
NONE = "00000000"  # openpyxl's colour of a cell with no fill


def _marked_line(tmp_path, spliced, monkeypatch):
    """The example with 歲出明細!H24 typed 33,000 against 數量 1 × 單價 32,000 (F24, G24, H24 marked red alike), the
    officer's own green on F24 and blue on G24 (H24 none), check --mark'ed into 標示.xlsx."""
    from xlbudget.app.example import example_workbook
    _unspliced_unless(spliced, monkeypatch)
    wb = example_workbook()
    ws = wb["歲出明細"]
    ws["H24"] = 33_000
    ws["F24"].fill = PatternFill("solid", fgColor=GREEN)
    ws["G24"].fill = PatternFill("solid", fgColor=BLUE)
    book = save_atomic(wb, tmp_path / "書.xlsx")
    marked = tmp_path / "標示.xlsx"
    assert main(["check", str(book), "--mark", "-o", str(marked)]) == 1
    ws = openpyxl.load_workbook(marked)["歲出明細"]
    assert [ws[c].fill.fgColor.rgb for c in ("F24", "G24", "H24")] == [RED] * 3
    return marked


def _references_moved(wb, sheet, rows=0, columns=0, at=1):
    """The state's references to ``sheet`` as Excel rewrites them when rows or columns are inserted at ``at``."""
    def moved(m):
        col, row = m[2], int(m[3])
        n = openpyxl.utils.column_index_from_string(col)
        if columns and n >= at:
            col = openpyxl.utils.get_column_letter(n + columns)
        if rows and row >= at:
            row += rows
        return f"{m[1]}!{col}{row}"

    pattern = re.compile(r"('(?:[^']|'')+'|[^'!=]+)!\$?([A-Z]{1,3})\$?(\d+)")
    for row in wb[STATE_SHEET].iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.startswith("=") and sheet in c.value:
                c.value = pattern.sub(moved, c.value)


def _cleared(path, out, capsys):
    capsys.readouterr()
    assert main(["check", str(path), "--clear", "-o", str(out)]) == 0
    return capsys.readouterr().out, openpyxl.load_workbook(out)


def _ours(ws):
    return {c.coordinate for row in ws.iter_rows() for c in row
            if c.fill.fgColor.rgb in FILLS.values() or (c.comment and c.comment.author == AUTHOR)}


@pytest.mark.parametrize("spliced", [True, False])
def test_a_column_inserted_before_a_run_of_marks(tmp_path, capsys, monkeypatch, spliced):
    """A column inserted at B moves the marks F24:H24 to G24:I24. --clear gave G24 (F24's cell, green before it was
    marked) G24's original blue, H24 none, I24 green: each original one cell over, and said only «F24→I24». Now
    the state refers to each cell and Excel moves the reference with it: G24 green, H24 blue, I24 none again,
    and F24 (E24's cell, the officer's, his yellow added since) exactly as it is."""
    marked = _marked_line(tmp_path, spliced, monkeypatch)
    wb = openpyxl.load_workbook(marked)
    ws = wb["歲出明細"]
    ws.insert_cols(2)
    _references_moved(wb, "歲出明細", columns=1, at=2)
    ws["F24"].fill = PatternFill("solid", fgColor="FFFFFF00")
    ws["F24"].comment = Comment("王小明：請核對", "王小明")
    edited = save_atomic(wb, tmp_path / "插入欄.xlsx")
    said, wb = _cleared(edited, tmp_path / "清除.xlsx", capsys)
    ws = wb["歲出明細"]
    assert [ws[c].fill.fgColor.rgb for c in ("G24", "H24", "I24")] == [GREEN, BLUE, NONE], said
    assert [ws[c].value for c in ("G24", "H24", "I24")] == [1, 32_000, 33_000]
    assert ws["F24"].fill.fgColor.rgb == "FFFFFF00"
    assert (ws["F24"].comment.text, ws["F24"].comment.author) == ("王小明：請核對", "王小明")
    assert _ours(ws) == set()
    assert all(f"歲出明細!{a}24→{b}24" in said for a, b in (("F", "G"), ("G", "H"), ("H", "I"))), said
    assert "找不到上次標示" not in said, said
    assert RESULT_SHEET not in wb.sheetnames and STATE_SHEET not in wb.sheetnames


def _looks(path, skip=(RESULT_SHEET, STATE_SHEET)):
    """Every cell's value, fill and note (text, author) of every sheet but xlbudget's own: what an officer sees."""
    wb = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): (c.value, c.fill.patternType, c.fill.fgColor.rgb, c.fill.fgColor.theme,
                                       c.comment and (c.comment.text, c.comment.author))
            for ws in wb.worksheets if ws.title not in skip for row in ws.iter_rows() for c in row}


def _officer_book(tmp_path):
    from test_marking import officer_book
    return officer_book(tmp_path)  # 各項費用彙計表!B8 (his green and note) and D9 typed over: both marked red


def _marked_officer_book(tmp_path, spliced, monkeypatch):
    """The officer's book's looks before --mark, and the --mark'ed book opened for the officer's edits."""
    _unspliced_unless(spliced, monkeypatch)
    book = _officer_book(tmp_path)
    marked = tmp_path / "標示.xlsx"
    assert main(["check", str(book), "--mark", "-o", str(marked)]) == 1
    return _looks(book), openpyxl.load_workbook(marked)


@pytest.mark.parametrize("spliced", [True, False])
def test_clear_of_a_book_never_marked_writes_nothing(tmp_path, capsys, monkeypatch, spliced):
    """check --clear of a book xlbudget never marked rewrote it all the same (styles.xml, workbook.xml written anew,
    openpyxl's whole book the other way) and kept a backup of it, saying «已清除». Now in place nothing is written
    and no backup kept, and -o writes the book byte for byte; it says there was nothing to clear."""
    from conftest import sha256
    _unspliced_unless(spliced, monkeypatch)
    book = _officer_book(tmp_path)
    before = sha256(book)
    capsys.readouterr()
    assert main(["check", str(book), "--clear"]) == 0
    said = capsys.readouterr().out
    assert sha256(book) == before and sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"], said
    assert "沒有 xlbudget 的標示可清除" in said and "原檔未更動" in said and "已清除" not in said, said
    out = tmp_path / "清除.xlsx"
    assert main(["check", str(book), "--clear", "-o", str(out)]) == 0
    assert sha256(out) == before and "與原檔相同" in capsys.readouterr().out


@pytest.mark.parametrize("spliced", [True, False])
def test_marked_twice_then_cleared_is_the_book_as_it_was(tmp_path, capsys, monkeypatch, spliced):
    """--mark, --mark again (in place), --clear: every cell's value, fill and note as before the first --mark, the
    officer's green and note on B8 included; and so through a column inserted between the two --marks (the first
    marks cleared where they moved, the second made there)."""
    _unspliced_unless(spliced, monkeypatch)
    book = _officer_book(tmp_path)
    looks = _looks(book)
    marked = tmp_path / "標示.xlsx"
    assert main(["check", str(book), "--mark", "-o", str(marked)]) == 1
    assert main(["check", str(marked), "--mark"]) == 1
    said, wb = _cleared(marked, tmp_path / "清除.xlsx", capsys)
    assert _looks(tmp_path / "清除.xlsx") == looks, said

    wb = openpyxl.load_workbook(marked)
    wb["各項費用彙計表"].insert_cols(1)
    _references_moved(wb, "各項費用彙計表", columns=1, at=1)
    inserted = save_atomic(wb, tmp_path / "插入.xlsx")
    original = openpyxl.load_workbook(book)
    original["各項費用彙計表"].insert_cols(1)
    looks = _looks(save_atomic(original, tmp_path / "原插入.xlsx"))
    assert main(["check", str(inserted), "--mark"]) in (0, 1)  # the table read anew, its figures moved a column
    said, wb = _cleared(inserted, tmp_path / "清除2.xlsx", capsys)
    assert _looks(tmp_path / "清除2.xlsx") == looks, said
    assert wb["各項費用彙計表"]["C8"].fill.fgColor.rgb == "FF00B050"  # B8's green, moved to C8 with its cell


@pytest.mark.parametrize("spliced", [True, False])
def test_a_note_of_ours_the_officer_wrote_in_keeps_his_words(tmp_path, capsys, monkeypatch, spliced):
    """The officer wrote a line of his own into two of xlbudget's notes: B8's (under his own note and ours) and D9's
    (ours alone). --clear put back B8's note as it was before the mark and removed D9's: his lines were lost. Now
    what he wrote stays his note (B8: his note and his line; D9: his line), ours goes, and --clear names both."""
    _, wb = _marked_officer_book(tmp_path, spliced, monkeypatch)
    ws = wb["各項費用彙計表"]
    for cell, line in (("B8", "王：已請承辦更正"), ("D9", "李：待查")):
        ws[cell].comment = Comment(ws[cell].comment.text + "\n" + line, AUTHOR)  # Excel keeps a note's author
    edited = save_atomic(wb, tmp_path / "加註.xlsx")
    said, wb = _cleared(edited, tmp_path / "清除.xlsx", capsys)
    ws = wb["各項費用彙計表"]
    assert (ws["B8"].comment.text, ws["B8"].comment.author) == ("主任說要再確認\n王：已請承辦更正", "王小明"), said
    assert ws["D9"].comment.text == "李：待查" and ws["D9"].comment.author != AUTHOR
    assert ws["B8"].fill.fgColor.rgb == "FF00B050" and ws["D9"].fill.fgColor.rgb == NONE
    assert "2 個 xlbudget 註解在標示後有人加寫了文字" in said and "各項費用彙計表!B8、各項費用彙計表!D9" in said, said


@pytest.mark.parametrize("spliced", [True, False])
def test_a_sheet_renamed_after_marking(tmp_path, capsys, monkeypatch, spliced):
    """各項費用彙計表 renamed 彙計表（修正） after --mark (Excel rewrites every reference to it): --clear skipped the
    state's rows of a sheet it could not find and left B8 and D9 red without a word. Now they are found on the
    renamed sheet, said so; a state written before it had references names them as not found instead."""
    looks, wb = _marked_officer_book(tmp_path, spliced, monkeypatch)
    wb["各項費用彙計表"].title = "彙計表（修正）"
    for row in wb[STATE_SHEET].iter_rows(min_row=2, min_col=7, max_col=7):
        if isinstance(row[0].value, str):
            row[0].value = row[0].value.replace("'各項費用彙計表'!", "'彙計表（修正）'!")
    renamed = save_atomic(wb, tmp_path / "改名.xlsx")
    said, wb = _cleared(renamed, tmp_path / "清除.xlsx", capsys)
    looks = {("彙計表（修正）" if s == "各項費用彙計表" else s, c): v for (s, c), v in looks.items()}
    assert _looks(tmp_path / "清除.xlsx") == looks, said
    assert "各項費用彙計表!B8→彙計表（修正）!B8" in said and "找不到上次標示" not in said, said

    wb = openpyxl.load_workbook(renamed)
    wb[STATE_SHEET].delete_cols(7, 2)
    old = save_atomic(wb, tmp_path / "舊標示.xlsx")
    said, wb = _cleared(old, tmp_path / "清除舊.xlsx", capsys)
    assert "找不到上次標示的 2 個儲存格" in said and "各項費用彙計表!B8" in said and "已隨插入" not in said, said


@pytest.mark.parametrize("spliced", [True, False])
def test_clear_of_a_book_whose_input_cannot_be_read(tmp_path, capsys, monkeypatch, spliced):
    """The officer merged the marked F24:H24 of 歲出明細 (LibreOffice and Excel keep the first cell's value and look,
    and the merged-away cells' notes and fills go) and renamed nothing else: the book's input is unreadable now
    (merged-input-cells), and --clear refused it (exit 2), the marks left. The marks are cleared all the same, the
    reading problem said; G24 and H24, merged into F24, are not reported as lost."""
    marked = _marked_line(tmp_path, spliced, monkeypatch)
    wb = openpyxl.load_workbook(marked)
    ws = wb["歲出明細"]
    for c in ("G24", "H24"):
        ws[c].comment, ws[c].fill = None, PatternFill()
    ws.merge_cells("F24:H24")
    merged = save_atomic(wb, tmp_path / "合併.xlsx")
    capsys.readouterr()
    assert main(["check", str(merged), "--clear", "-o", str(tmp_path / "清除.xlsx")]) == 0
    said = capsys.readouterr()
    ws = openpyxl.load_workbook(tmp_path / "清除.xlsx")["歲出明細"]
    assert ws["F24"].fill.fgColor.rgb == GREEN and ws["F24"].comment is None, said
    assert _ours(ws) == set() and "合併" in said.err and "標示照樣清除" in said.out, said
    assert "找不到上次標示" not in said.out, said.out


@pytest.mark.parametrize("spliced", [True, False])
def test_notes_saved_by_libreoffice_are_still_ours(tmp_path, capsys, monkeypatch, spliced):
    """LibreOffice saves a note's author blank (seen: a --mark'ed book through LibreOffice 7, saved .xlsx): --clear no
    longer knew xlbudget's notes, restored the fills as if the officer had removed them and left the notes. A note
    holding the very text we wrote there (the state keeps it) is ours whoever its author: gone, the book as before."""
    looks, wb = _marked_officer_book(tmp_path, spliced, monkeypatch)
    for ws in wb.worksheets:
        for c in [c for c in ws._cells.values() if c.comment is not None and c.comment.author == AUTHOR]:
            c.comment = Comment(c.comment.text, " ")
    saved = save_atomic(wb, tmp_path / "LibreOffice.xlsx")
    said, _ = _cleared(saved, tmp_path / "清除.xlsx", capsys)
    assert _looks(tmp_path / "清除.xlsx") == looks, said
