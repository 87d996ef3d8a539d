"""Field report 9 §3.4 (f23): a reviewer's notes (附註) on built table cells were dropped by the next build without a
word. A note whose row the rebuilt table keeps where it was goes back on its cell, author and all; any other is named
(table-note-removed, the family of table-cell-replaced) with its cell, its author and its whole text, and where it
is kept (in place: the dated backup; with -o: the original), on both build paths.
The notes and their cells are f23's: 歲出機關別預算表!F9 «請說明一般行政增加原因», 各項費用彙計表!C8 «資訊服務費請再檢討»,
both by 陳科長 (one input line +1,000 元 changes figures, no row: both kept); 各項費用彙計表!F9, beside the 4-column
table (A:D), is named; a mark's note (author xlbudget, check --mark's) is made again by the remark, never named.
"""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.comments import Comment

from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app import splicebuild
from xlbudget.app.example import example_workbook
from xlbudget.app.pipeline import build_file
from xlbudget.derive.schedules import SUMMARY

NOTES = {("歲出機關別預算表", "F9"): "請說明一般行政增加原因", ("各項費用彙計表", "C8"): "資訊服務費請再檢討"}
BESIDE = ("各項費用彙計表", "F9")


def _reviewed(built, tmp_path):
    """The built book with the 科長's notes on two table cells, one input line changed (+1,000 元 on 歲出明細!G2/H2),
    and one note of xlbudget's own (a check --mark note on 資本支出分析表!B7)."""
    wb = openpyxl.load_workbook(built)
    for (sheet, cell), text in NOTES.items():
        wb[sheet][cell].comment = Comment(text, "陳科長")
    wb["資本支出分析表"]["B7"].comment = Comment("錯誤：subtotal-mismatch", "xlbudget")
    wb[BESIDE[0]][BESIDE[1]].comment = Comment("第二科補充說明另附", "陳科長")
    wb["歲出明細"]["G2"] = wb["歲出明細"]["H2"] = 25_357_370
    return save_atomic(wb, tmp_path / "reviewed.xlsx")


@pytest.mark.parametrize("spliced", [True, False])
def test_build_keeps_notes_on_rows_it_keeps_and_names_each_it_drops(tmp_path, monkeypatch, spliced):
    """Red on main: both notes gone from the built book and no table-note-removed finding, on either path."""
    if not spliced:
        monkeypatch.setattr(splicebuild, "splice_build", lambda source, target: None)
    source = save_atomic(example_workbook(), tmp_path / "範例.xlsx")
    reviewed = _reviewed(build_file(source, tmp_path / "built.xlsx").output, tmp_path)
    again = build_file(reviewed)  # in place, as f23: a dated backup
    assert again.spliced == spliced and again.backup is not None
    built = openpyxl.load_workbook(again.output)
    assert {k: (built[k[0]][k[1]].comment.text, built[k[0]][k[1]].comment.author) for k in NOTES} == \
        {k: (text, "陳科長") for k, text in NOTES.items()}
    assert built[SUMMARY]["C7"].value == 232_026 and built[SUMMARY]["B7"].value == 43_770  # the figures rebuilt
    assert built[BESIDE[0]][BESIDE[1]].comment is None
    named = {(f.cell.sheet, f.cell.cell): f.message for f in again.findings if f.rule == "table-note-removed"}
    assert set(named) == {BESIDE}, named
    assert "陳科長的附註「第二科補充說明另附」" in named[BESIDE] and again.backup.name in named[BESIDE], named
    kept = openpyxl.load_workbook(again.backup)  # the backup holds it, as the message says
    assert kept[BESIDE[0]][BESIDE[1]].comment.text == "第二科補充說明另附"
