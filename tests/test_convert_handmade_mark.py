"""convert --mark of a hand-made book (printed tables only) writes its output as check --mark does, by splicing
(adapters/splicemark.py): the officer's pictures and text boxes are kept in the copy, byte for byte; where it
cannot be spliced and openpyxl would drop them, the book is refused (mark-would-drop), never stripped."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from xlbudget.app.convert import FINDINGS, OK, UNREADABLE, convert_one

from conftest import sha256
from test_mark_splice import _kept, _marked_sheet_parts, _parts, _png

# 各項費用彙計表 B8, 人事費 of 行政管理: the seed prints 42,978 千元; typed 42,979 it is an error (test_convert)
WRONG_CELL, WRONG = "B8", 42_979


@pytest.fixture(scope="module")
def drawn_handmade(tmp_path_factory) -> Path:
    """The hand-made example (printed tables only) written by XlsxWriter cell for cell with its merges, a picture
    on 各項費用彙計表 and a text box on 歲出機關別預算表, 彙計表 B8 typed wrong."""
    import xlsxwriter

    from built_books import handmade_workbook

    source = handmade_workbook()
    source["各項費用彙計表"][WRONG_CELL] = WRONG
    path = tmp_path_factory.mktemp("handmade") / "手工有圖.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for ws in source.worksheets:
        out = wb.add_worksheet(ws.title)
        merged = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
        inside = {(r, c) for m in ws.merged_cells.ranges for r in range(m.min_row, m.max_row + 1)
                  for c in range(m.min_col, m.max_col + 1)}
        for row in ws.iter_rows():
            for cell in row:
                m = merged.get((cell.row, cell.column))
                if m is not None and (m.min_row, m.min_col) != (m.max_row, m.max_col):
                    out.merge_range(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1, cell.value)
                elif cell.value is not None and ((cell.row, cell.column) not in inside or m is not None):
                    out.write(cell.row - 1, cell.column - 1, cell.value)
        if ws.title == "各項費用彙計表":
            out.insert_image("N2", "logo.png", {"image_data": io.BytesIO(_png())})
        if ws.title == "歲出機關別預算表":
            out.insert_textbox("H3", "科長：待議會審議後再調整", {"width": 260, "height": 60})
    wb.close()
    return path


def test_convert_mark_keeps_the_pictures_of_a_handmade_book(drawn_handmade, tmp_path):
    before = _parts(drawn_handmade)
    media = sorted(n for n in before if n.startswith(("xl/media/", "xl/drawings/drawing")))
    assert len(media) == 3  # the picture, its drawing, the text box's drawing (the input is what it should be)
    original = sha256(drawn_handmade)
    target = tmp_path / "out.xlsx"
    result = convert_one(str(drawn_handmade), str(target), mark=True)
    assert (result.status, result.reason) == (FINDINGS, "printed-only") and result.errors >= 1
    assert sha256(drawn_handmade) == original
    after = _parts(target)
    state = openpyxl.load_workbook(target)["xlbudget標示紀錄"]
    sheets = _marked_sheet_parts(drawn_handmade, *{row[0] for row in state.iter_rows(min_row=2, values_only=True)})
    assert _kept(before, after, sheets) == {}  # the picture, both drawings: each part the same bytes
    marked = openpyxl.load_workbook(target)
    assert marked["各項費用彙計表"][WRONG_CELL].value == WRONG
    assert marked["各項費用彙計表"][WRONG_CELL].comment is not None
    assert "檢核結果" in marked.sheetnames
    # without --mark the output is the book itself
    plain = convert_one(str(drawn_handmade), str(tmp_path / "plain.xlsx"))
    assert plain.status == FINDINGS and sha256(tmp_path / "plain.xlsx") == original


def test_convert_mark_refuses_a_handmade_book_it_cannot_splice_rather_than_strip_it(drawn_handmade, tmp_path,
                                                                                     monkeypatch):
    from xlbudget.adapters import splicemark
    from xlbudget.adapters.splice import CannotSplice

    def cannot(*args, **kwargs):
        raise CannotSplice("for the test")

    monkeypatch.setattr(splicemark, "mark_file", cannot)
    original = sha256(drawn_handmade)
    target = tmp_path / "out.xlsx"
    result = convert_one(str(drawn_handmade), str(target), mark=True)
    assert (result.status, result.reason) == (UNREADABLE, "mark-would-drop")
    assert "圖片" in result.message and "文字方塊" in result.message
    assert not target.exists() and sha256(drawn_handmade) == original


def test_convert_mark_never_replaces_an_officers_own_results_sheet(tmp_path):
    """check --mark refuses a book whose 「檢核結果」 xlbudget did not write (results-sheet-not-ours, field report 6
    §2.2); convert --mark of a hand-made book replaced it in its output copy without a word (field6c's report). Now
    that book fails with the same rule and no output; without --mark its output is the book itself, sheet and all."""
    from built_books import handmade_workbook

    source = handmade_workbook()
    ws = source.create_sheet("檢核結果")
    ws["A1"], ws["A2"] = "主計室審核意見", "1. 2054 一般事務費較上年度增加，請補充說明。"
    path = tmp_path / "審核.xlsx"
    source.save(path)
    original = sha256(path)
    target = tmp_path / "out.xlsx"
    result = convert_one(str(path), str(target), mark=True)
    assert (result.status, result.reason) == (UNREADABLE, "results-sheet-not-ours"), result.message
    assert "已有一張「檢核結果」工作表，但不是 xlbudget 寫的" in result.message
    assert not target.exists() and sha256(path) == original
    plain = convert_one(str(path), str(target))
    assert plain.status in (OK, FINDINGS) and sha256(target) == original
