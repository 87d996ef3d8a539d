"""build of a book check --mark marked: 檢核結果 and the marks tell what is true of the built book.

Left from the last session: build rewrote the table sheets but kept check --mark's 檢核結果, which still listed the
figure build had just put right (各項費用彙計表!D7, typed over) as an error, and the state sheet still recorded its
mark. Now build checks the built book again and marks it with check --mark's one writer (app.check.remark_built).
"""

from __future__ import annotations

import shutil

import openpyxl

from xlbudget.cli import main

from conftest import sha256
from test_convert import EXAMPLE

TOTAL = 275_795  # 各項費用彙計表 合計 (千元), as the seed prints it
ERROR_FILL = "FFFFC7CE"  # marking.FILLS[錯誤]


def _marked_book(tmp_path, capsys):
    """The example built, 各項費用彙計表!D7 typed over (275,800 for 275,795) and 歲出明細!G24's 單價 typed 33,000 (its
    數量 1 × 33,000 is not its 預算數 H24 32,000), then check --mark'ed: both listed as errors on 檢核結果."""
    built = tmp_path / "預算書.xlsx"
    assert main(["build", str(EXAMPLE), "-o", str(built)]) == 0
    wb = openpyxl.load_workbook(built)
    assert wb["各項費用彙計表"]["D7"].value == TOTAL
    wb["各項費用彙計表"]["D7"] = TOTAL + 5
    assert wb["歲出明細"]["G24"].value == 32_000
    wb["歲出明細"]["G24"] = 33_000  # 單價: 預算數 H24 stays 32,000, so no total moves
    wb.save(built)
    assert main(["check", str(built), "--mark"]) == 1
    # the 明細表 prints the item's 單價 too (D47): a figure build writes again, as D7; as it is the last build's (D7
    # was typed over), the tables are said not made again since the inputs changed (tables-stale, at no cell)
    assert _listed(built) == {("schedule-cell-mismatch", "各項費用彙計表!D7"), ("item-product-mismatch", "歲出明細!H24"),
                              ("schedule-cell-mismatch", "歲出計畫說明提要與各項費用明細表!D47"), ("tables-stale", None)}
    capsys.readouterr()
    return built


def _listed(path) -> set[tuple[str, str]]:
    """(rule, 位置) of each error and warning 檢核結果 lists."""
    listed = set()
    for row in openpyxl.load_workbook(path)["檢核結果"].iter_rows(min_row=5, values_only=True):
        if row[0] is None:  # the blank row before the counts per rule
            return listed
        if row[1] in ("錯誤", "警告"):
            listed.add((row[2], row[4]))
    return listed


def _recorded(path) -> set[tuple[str, str]]:
    state = openpyxl.load_workbook(path)["xlbudget標示紀錄"]
    return {(row[0], row[1]) for row in state.iter_rows(min_row=2, values_only=True)}


def test_build_in_place_marks_the_built_book_again(tmp_path, capsys):
    book = _marked_book(tmp_path, capsys)
    assert main(["build", str(book)]) == 1  # H24's error is the book's still
    out = capsys.readouterr().out
    assert "「檢核結果」與各格標示已更新（錯誤 1、警告 0、" in out
    # D7 is right now (build wrote 275,795): no longer listed nor recorded; H24 is wrong still: listed and marked
    assert _listed(book) == {("item-product-mismatch", "歲出明細!H24")}
    assert ("各項費用彙計表", "D7") not in _recorded(book) and ("歲出明細", "H24") in _recorded(book)
    wb = openpyxl.load_workbook(book)
    assert wb["各項費用彙計表"]["D7"].value == TOTAL and wb["各項費用彙計表"]["D7"].fill.fgColor.rgb != ERROR_FILL
    assert wb["歲出明細"]["H24"].fill.fgColor.rgb == ERROR_FILL
    assert "找不到上次標示" not in out  # D7's mark went with the sheet build rewrote: not «found nowhere»
    # and check --clear takes every mark off the built book
    assert main(["check", str(book), "--clear"]) == 0
    wb = openpyxl.load_workbook(book)
    assert "檢核結果" not in wb.sheetnames and wb["歲出明細"]["H24"].fill.fgColor.rgb != ERROR_FILL


def test_build_to_another_file_marks_that_file_and_leaves_the_book(tmp_path, capsys):
    book = _marked_book(tmp_path, capsys)
    before = sha256(book)
    out = tmp_path / "產生後.xlsx"
    assert main(["build", str(book), "-o", str(out)]) == 1
    assert sha256(book) == before
    assert _listed(out) == {("item-product-mismatch", "歲出明細!H24")}


def test_a_book_never_marked_gets_no_results_sheet(tmp_path, capsys):
    book = tmp_path / "範例.xlsx"
    shutil.copy(EXAMPLE, book)
    assert main(["build", str(book)]) == 0
    assert "檢核結果" not in openpyxl.load_workbook(book).sheetnames
    assert "檢核結果" not in capsys.readouterr().out


def test_a_book_that_cannot_be_spliced_is_marked_again_the_openpyxl_way(tmp_path, capsys, monkeypatch):
    import xlbudget.app.check as check

    book = _marked_book(tmp_path, capsys)
    monkeypatch.setattr(check, "_spliced", lambda *a, **k: None)  # as for a part splicemark cannot edit safely
    assert main(["build", str(book)]) == 1
    assert _listed(book) == {("item-product-mismatch", "歲出明細!H24")}
    assert ("各項費用彙計表", "D7") not in _recorded(book)


def test_marks_that_would_drop_a_picture_are_left_and_said_stale(tmp_path, capsys, monkeypatch):
    import xlbudget.app.check as check
    from xlbudget.core.errors import OutputRefused

    def refused(source):
        raise OutputRefused([], source.name)

    book = _marked_book(tmp_path, capsys)
    monkeypatch.setattr(check, "_spliced", lambda *a, **k: None)
    monkeypatch.setattr(check, "refuse_losses", refused)  # as for a picture openpyxl would drop
    assert main(["build", str(book)]) == 1
    assert "「檢核結果」工作表與各格標示是產生報表之前的檢核，已不適用" in capsys.readouterr().out


def test_the_build_button_marks_a_book_the_check_marked_again(tmp_path, capsys):
    """產生報表 on the book check --mark marked (as Excel on the web / xlwings Lite sends it): it kept the stale
    檢核結果 as build did; now it checks and marks the built book with the 檢核 button's own job."""
    from xlwings_json import book_json, run_script, sheet_order, sheet_values

    from xlbudget.addin import buttons as addin

    payload = book_json(openpyxl.load_workbook(_marked_book(tmp_path, capsys)))
    actions = run_script(addin, "build_schedules", payload)
    order = sheet_order(payload, actions)
    status = [str(r[0]) for r in sheet_values(actions, order.index("執行紀錄")) if r and r[0]]
    assert any(line.startswith("本書有上次檢核的標示：已重新檢核") for line in status), status
    assert any(line.startswith("檢核：發現 錯誤 1、") for line in status), status  # H24's, D7 and D47 put right
    rows = sheet_values(actions, order.index("檢核結果"))[4:]
    findings = rows[:next(i for i, row in enumerate(rows) if not row or row[0] in (None, ""))]  # to the blank row
    listed = {(row[2], row[4]) for row in findings if row[1] in ("錯誤", "警告")}
    assert listed == {("item-product-mismatch", "歲出明細!H24")}, listed
