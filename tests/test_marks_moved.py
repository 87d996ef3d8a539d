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
