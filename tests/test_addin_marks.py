"""The 清除標示 button (and 檢核's removal of the last marks) finds xlbudget's marks as check --clear does
(marking.clear_plan): through xlwings' own Office.js dispatch, on the remote engine made to answer as desktop Excel
(xlwings_json.desktop_cells: fills, notes and formulas read), and as xlwings Lite, which reads none of them."""

from __future__ import annotations

from xlwings_json import book_json, desktop_cells, run_script, sheet_order, sheet_values  # noqa: I001 (first)

import openpyxl
import pytest
from openpyxl.styles import PatternFill

import xlbudget.addin as addin
from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.cli import main
from xlbudget.forms.results import RESULT_SHEET, STATE_SHEET

from test_addin import _fills
from test_marking import _unspliced_unless
from test_marks_moved import GREEN, _marked_line, _references_moved


def _notes(actions, position, func):
    return {a["args"][0].replace("$", "") for a in actions if a["func"] == func and a["sheet_position"] == position}


def _status(actions, order):
    return "\n".join(str(r[0]) for r in sheet_values(actions, order.index("執行紀錄")) if r and r[0])


def _line_inserted(tmp_path, monkeypatch):
    """The example with 歲出明細!H24 typed 33,000 (F24:H24 marked red by check --mark, over the officer's green F24
    and blue G24), then a line inserted at row 10 as Excel inserts it: the marks at F25:H25, the state's references
    with them."""
    wb = openpyxl.load_workbook(_marked_line(tmp_path, True, monkeypatch))
    wb["歲出明細"].insert_rows(10)
    _references_moved(wb, "歲出明細", rows=1, at=10)
    return wb


def _pressed(script, wb, monkeypatch=None):
    """``script`` run on ``wb`` (as desktop Excel with ``monkeypatch``, else as xlwings Lite): its actions, the sheets'
    order after them, and 歲出明細's position."""
    if monkeypatch is not None:
        desktop_cells(monkeypatch, wb)
    payload = book_json(wb)
    actions = run_script(addin, script, payload)
    order = sheet_order(payload, actions)
    return actions, order, order.index("歲出明細")


def test_clear_button_finds_check_marks_where_an_inserted_line_moved_them(tmp_path, monkeypatch):
    """A book check --mark marked, a line inserted above the marked F24:H24 (now F25:H25), 清除標示 pressed in desktop
    Excel: the button cleared the fills at F24:H24 by address (the officer's line above, moved there, lost its
    look), left F25:H25 red with xlbudget's notes, and left the state sheet. Now it clears as check --clear does:
    F25 green, G25 blue, H25 no fill again, our notes at F25:H25 deleted, F24:H24 untouched, the state sheet gone,
    and 執行紀錄 says where the marks were found."""
    actions, order, at = _pressed("clear_marks", _line_inserted(tmp_path, monkeypatch), monkeypatch)
    assert _fills(actions, at) == {(24, 5): "#00b050", (24, 6): "#0070c0", (24, 7): None}
    assert _notes(actions, at, "deleteNote") == {"F25", "G25", "H25"} and not _notes(actions, at, "addNote")
    assert STATE_SHEET not in order and any(a["func"] == "sheetClear" and a["sheet_position"] == order.index(
        RESULT_SHEET) for a in actions)
    status = _status(actions, order)
    assert "歲出明細!F24→F25" in status and "歲出明細!H24→H25" in status and "找不到" not in status, status


def test_clear_button_in_xlwings_lite_leaves_check_marks_and_says_so(tmp_path, monkeypatch):
    """xlwings Lite reads no cell's fill or note: the button cannot tell xlbudget's marks from the officer's, so it
    leaves check --mark's marks and the state (it cleared the recorded addresses, the officer's moved line's look
    with them) and 執行紀錄 says to clear them in desktop Excel or with xlbudget check --clear."""
    actions, order, at = _pressed("clear_marks", _line_inserted(tmp_path, monkeypatch))
    assert _fills(actions, at) == {} and STATE_SHEET in order
    status = _status(actions, order)
    assert "無法讀取儲存格的填色與註解" in status and "xlbudget check 本檔.xlsx --clear" in status, status
    assert "清除標示：未清除任何檢核標示。" in status.splitlines()[0], status


def test_check_button_clears_check_marks_before_it_marks(tmp_path, monkeypatch):
    """檢核 removes the last marks first, by the same rule: F25:H25 back to green, blue and no fill, then its own marks
    (the line now at row 25) painted red."""
    actions, order, at = _pressed("check_book", _line_inserted(tmp_path, monkeypatch), monkeypatch)
    assert _notes(actions, at, "deleteNote") == {"F25", "G25", "H25"}
    painted = [_fills([a], at) for a in actions if a["func"] == "setRangeColors" and a["sheet_position"] == at]
    assert painted[0] == {(24, 5): "#00b050", (24, 6): "#0070c0", (24, 7): None}  # the last marks cleared first
    assert painted[-1][(24, 7)] == "#ffc7ce"  # 檢核's own mark of the line, now H25
    assert "（已先清除上次檢核的" in _status(actions, order) and "歲出明細!F24→F25" in _status(actions, order)


def test_clear_button_in_desktop_excel_keeps_a_recoloured_check_button_mark(tmp_path, monkeypatch):
    """檢核's own marks (fills, no note) listed on its 檢核結果: in desktop Excel a listed cell the officer recoloured
    since is his (the button painted every listed cell no fill); the others are cleared."""
    from xlbudget.app.example import example_workbook

    wb = example_workbook()
    wb["歲出明細"]["H24"] = 33_000
    payload = book_json(wb)
    checked = run_script(addin, "check_book", payload)
    order = sheet_order(payload, checked)
    painted = _fills(checked, order.index("歲出明細"))
    assert {painted[(23, c)] for c in (5, 6, 7)} == {"#ffc7ce"}
    results = wb.create_sheet(RESULT_SHEET)
    for row in sheet_values(checked, order.index(RESULT_SHEET)):
        results.append([None if v == "" else v for v in row])
    for (r, c), color in painted.items():
        wb["歲出明細"].cell(r + 1, c + 1).fill = PatternFill("solid", fgColor="FF" + color[1:].upper())
    wb["歲出明細"]["G24"].fill = PatternFill("solid", fgColor=GREEN)  # the officer's, since
    actions, _, at = _pressed("clear_marks", wb, monkeypatch)
    fills = _fills(actions, at)
    assert fills == {rc: None for rc in painted if rc != (23, 6)}, fills


def _button_marked(tmp_path):
    """The example with 歲出明細!H24 typed 33,000 after the 檢核 button ran and the book was saved: its 檢核結果 and
    its fills (F24:H24 red, no note, no state); the fills painted, by (row, column), 0-based."""
    from xlbudget.app.example import example_workbook

    wb = example_workbook()
    wb["歲出明細"]["H24"] = 33_000
    payload = book_json(wb)
    checked = run_script(addin, "check_book", payload)
    order = sheet_order(payload, checked)
    results = wb.create_sheet(RESULT_SHEET, 0)
    for row in sheet_values(checked, order.index(RESULT_SHEET)):
        results.append([None if v == "" else v for v in row])
    painted = {}
    for name in wb.sheetnames:
        if name in order:
            for (r, c), color in _fills(checked, order.index(name)).items():
                wb[name].cell(r + 1, c + 1).fill = PatternFill("solid", fgColor="FF" + color[1:].upper())
                painted[name, r, c] = color
    assert {painted["歲出明細", 23, c] for c in (5, 6, 7)} == {"#ffc7ce"}
    return wb, painted


@pytest.mark.parametrize("spliced", [True, False])
def test_check_clear_removes_the_check_buttons_marks(tmp_path, monkeypatch, spliced):
    """A book the 檢核 button marked, saved, then xlbudget check --clear: the button's fills stayed (check --clear knew
    only check --mark's state), 檢核結果 went and nothing said so. Now they are found as the button finds them (the
    cells its 檢核結果 lists, still holding xlbudget's colour): gone, but G24, recoloured by the officer since."""
    _unspliced_unless(spliced, monkeypatch)
    wb, painted = _button_marked(tmp_path)
    wb["歲出明細"]["G24"].fill = PatternFill("solid", fgColor=GREEN)
    book = save_atomic(wb, tmp_path / "按鈕檢核.xlsx")
    out = tmp_path / "清除.xlsx"
    assert main(["check", str(book), "--clear", "-o", str(out)]) == 0
    cleared = openpyxl.load_workbook(out)
    left = {(name, r, c): cleared[name].cell(r + 1, c + 1).fill.fgColor.rgb for name, r, c in painted}
    assert left == {key: GREEN if key == ("歲出明細", 23, 6) else "00000000" for key in painted}, left
    assert RESULT_SHEET not in cleared.sheetnames
