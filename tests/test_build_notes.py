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
        monkeypatch.setattr(splicebuild, "splice_build", lambda source, target, as_read=None: None)
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


@pytest.mark.parametrize("spliced", [True, False])
def test_a_note_is_not_put_back_on_another_plans_line_of_the_same_words(tmp_path, monkeypatch, spliced):
    """The officer copies 工作計畫 32020180101's 32 lines (and a 說明提要) as a new plan 32010180101, which the 明細表
    prints first: its block has the same rows as the old one's, so row 12 now holds the new plan's 1015 line, «年 1
    詳人事費彙計表。» as the old one's was (seed 明細表 rows 6-12: banner, 說明, 合計, 01行政業務, 1000, 1015, its line).
    陳科長's note on E12 (the old plan's 25,356,370) must not sit on the new plan's line without a word: it is named.
    Red before: the note was put back on E12 (kept_notes compared row 12's words alone) and nothing was said."""
    if not spliced:
        monkeypatch.setattr(splicebuild, "splice_build", lambda source, target, as_read=None: None)
    source = save_atomic(example_workbook(), tmp_path / "範例.xlsx")
    wb = openpyxl.load_workbook(build_file(source, tmp_path / "built.xlsx").output)
    sheet = "歲出計畫說明提要與各項費用明細表"
    assert [wb[sheet].cell(12, c).value for c in (2, 5, 6)] == ["年", 25_356_370, "詳人事費彙計表。"]
    wb[sheet]["E12"].comment = Comment("法定編制人員待遇請再確認", "陳科長")
    ws = wb["歲出明細"]
    plan = [[c.value for c in row] for row in ws.iter_rows(min_row=2) if row[0].value == "32020180101"]
    assert len(plan) == 32
    ws.insert_rows(2, len(plan))
    for i, line in enumerate(plan):
        for j, v in enumerate(["32010180101", "一般行政-新增", *line[2:]], start=1):
            ws.cell(2 + i, j).value = v
    wb["說明提要"].append(["32010180101", "行政管理科", "一、計畫內容：新增一般行政業務。"])
    again = build_file(save_atomic(wb, tmp_path / "reviewed.xlsx"))
    built = openpyxl.load_workbook(again.output)[sheet]
    assert built["A6"].value.startswith("業務計畫及工作計畫名稱與編號：32010180101")  # the new plan first
    assert [built.cell(12, c).value for c in (2, 6)] == ["年", "詳人事費彙計表。"]  # the same words on its row 12
    assert built["E12"].comment is None
    named = [f for f in again.findings if f.rule == "table-note-removed"]
    assert [(f.cell.sheet, f.cell.cell) for f in named] == [(sheet, "E12")]
    assert "陳科長的附註「法定編制人員待遇請再確認」" in named[0].message
