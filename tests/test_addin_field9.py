"""Field report 9 §3 and §5.6: the buttons writing an officer's book (xlwings' remote engine, as tests/test_addin.py).

Expected sheet names and counts come from the field report (f11: 6 tables rewritten before 各項費用彙計表 out of the 14
build lists) and from the seed book; desktop Excel's answers (a sheet's protection, the COM error 1004 it raises on a
protected sheet) are played by patching the one adapter call that asks Excel, as f11 does.
"""

from __future__ import annotations

import pytest

from xlwings_json import book_json, run_script, sheet_order, sheet_values  # sets XLWINGS_ON_SERVER first

import xlbudget.addin as addin
from xlbudget.adapters import xlwings_book as xb
from xlbudget.app.example import example_workbook
from xlbudget.forms.inputs import SHEET_EXPENSES

PROTECTED = "(-2146827284, 'Microsoft Excel', '您嘗試變更的儲存格或圖表位於受保護的工作表。', 1004)"
# field report 9 §3.1 (f11): what 產生報表 had rewritten when Excel refused 各項費用彙計表
BEFORE_SUMMARY = ("目次", "員額編制表", "歲入來源別預算表", "歲出機關別預算表", "歲入項目說明提要與預算明細表",
                  "歲出計畫說明提要與各項費用明細表")


def _built_and_changed():
    """The example built once (its tables in place, as after the first 產生報表), then one 2054 line raised 1 千元
    (f11: 275,795 → 275,796)."""
    from xlbudget.adapters.printing import write_tables
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.derive.book import derive_all
    from xlbudget.readers.inputs import read_book

    wb = example_workbook()
    book, _ = read_book(input_grids(wb))
    write_tables(wb, derive_all(book), book.agency)
    ws = wb[SHEET_EXPENSES]
    for row in ws.iter_rows(min_row=2):
        if str(row[3].value) == "2054" and row[5].value == 1:
            row[6].value += 1000
            row[7].value += 1000
            break
    return wb


def _refuse_clearing(monkeypatch, sheet):
    """Desktop Excel refusing to clear the protected ``sheet`` (COM error 1004), as f11 plays it."""
    original = xb.replace_sheet

    def refused(book, name, after=None):
        if name == sheet:
            raise Exception(PROTECTED)
        return original(book, name, after)

    monkeypatch.setattr(xb, "replace_sheet", refused)


def _status(actions, order, sheet="執行紀錄"):
    return [str(r[0]) for r in sheet_values(actions, order.index(sheet)) if r and r[0]]


def _touched(actions, order):
    return {order[a["sheet_position"]] for a in actions if a.get("sheet_position") is not None}


def test_build_refuses_a_protected_table_sheet_before_writing_anything(monkeypatch):
    """§3.1: desktop Excel says 各項費用彙計表 is protected (Worksheet.ProtectContents): nothing written but 執行紀錄,
    which names the sheet and says nothing was changed. Red on main: main wrote every table (no question asked)."""
    monkeypatch.setattr(xb, "sheet_protected", lambda sheet, formatting=False: sheet.name == "各項費用彙計表",
                        raising=False)
    payload = book_json(_built_and_changed())
    actions = run_script(addin, "build_schedules", payload)
    order = sheet_order(payload, actions)
    assert _touched(actions, order) == {"執行紀錄"}, _touched(actions, order)
    status = "\n".join(_status(actions, order))
    assert "產生報表：未完成" in status and "「各項費用彙計表」受保護" in status and "未做任何變更" in status, status


def test_build_stopped_midway_names_the_tables_rewritten_and_the_rest(monkeypatch):
    """§3.1 (f11's simulation): Excel refuses to clear 各項費用彙計表 (COM error 1004) after six tables are rewritten.
    執行紀錄 names those six, the eight still the last build's, and says the book disagrees with itself. Red on main:
    main said «程式發生未預期的錯誤…活頁簿的輸入資料未被更動» and named no table."""
    _refuse_clearing(monkeypatch, "各項費用彙計表")
    payload = book_json(_built_and_changed())
    actions = run_script(addin, "build_schedules", payload)
    order = sheet_order(payload, actions)
    status = "\n".join(_status(actions, order))
    assert "輸入資料未被更動" not in status and "未預期的錯誤" not in status, status
    assert f"已改寫 6 張表（{'、'.join(BEFORE_SUMMARY)}）" in status, status
    assert "其餘 8 張（各項費用彙計表、" in status and "彼此不一致" in status, status
    assert "寫入「各項費用彙計表」時 Excel 拒絕" in status, status


def test_check_refuses_a_sheet_it_would_colour_when_protected(monkeypatch):
    """§3.1, the 檢核 button: 歲出明細 protected without 設定儲存格格式 allowed: no mark, no 檢核結果, the sheet named.
    Red on main: main cleared, wrote 檢核結果 and coloured."""
    wb = example_workbook()
    ws = wb[SHEET_EXPENSES]
    header = [c.value for c in ws[1]]
    ws.cell(3, header.index("預算數") + 1).value = 12345  # 數量 × 單價 ≠ 預算數: an error marked on 歲出明細
    monkeypatch.setattr(xb, "sheet_protected", lambda sheet, formatting=False: sheet.name == SHEET_EXPENSES,
                        raising=False)
    payload = book_json(wb)
    actions = run_script(addin, "check_book", payload)
    order = sheet_order(payload, actions)
    assert _touched(actions, order) == {"執行紀錄"}, _touched(actions, order)
    status = "\n".join(_status(actions, order))
    assert f"「{SHEET_EXPENSES}」受保護" in status and "未做任何變更" in status, status


def test_check_stopped_midway_says_the_marks_and_results_disagree(monkeypatch):
    """§3.1, the 檢核 button stopped by Excel writing 檢核結果: 執行紀錄 says what was done and that the marks are
    incomplete, not «輸入資料未被更動». Red on main: main's message was the unexpected-error one."""
    _refuse_clearing(monkeypatch, "檢核結果")
    payload = book_json(example_workbook())
    actions = run_script(addin, "check_book", payload)
    order = sheet_order(payload, actions)
    status = "\n".join(_status(actions, order))
    assert "檢核時 Excel 拒絕寫入" in status and "已清除上次檢核的標示" in status and "標示未完成" in status, status
    assert "未預期的錯誤" not in status, status


def _officers_own_sheets():
    """f14: the officer's review log on 「執行紀錄」 and the figures he sent the 主計處 on 「匯出資料」."""
    wb = example_workbook()
    log = wb.create_sheet("執行紀錄")
    for row in (["日期", "事項", "承辦人"], ["113/08/01", "科長審閱：第二科資訊服務費請再檢討", "王小明"]):
        log.append(row)
    sent = wb.create_sheet("匯出資料")
    for row in (["送主計處資料", None], ["資本門合計", 88000]):
        sent.append(row)
    return wb


def _cleared_or_written(actions, position):
    return [a["func"] for a in actions if a.get("sheet_position") == position
            and a["func"] in ("setValues", "sheetClear", "clearContents", "clear", "clearFormats")]


@pytest.mark.parametrize("script, title", [("check_book", "檢核"), ("export_data", "匯出"), ("build_schedules", "產生報表")])
def test_buttons_keep_an_officers_own_status_and_export_sheets(script, title):
    """§3.2 (f14): every button emptied the officer's own 「執行紀錄」 and 匯出 his 「匯出資料」. Now both are kept
    (known as 檢核結果 is, by their first cells: forms.results.foreign_sheet): the status goes to 「執行紀錄 (xlbudget)」,
    which names his sheet, and 匯出 refuses naming 匯出資料!A1. Red on main: main cleared both (sheetClear + setValues
    on their positions)."""
    payload = book_json(_officers_own_sheets())
    actions = run_script(addin, script, payload)
    order = sheet_order(payload, actions)
    for sheet in ("執行紀錄", "匯出資料"):
        assert not _cleared_or_written(actions, order.index(sheet)), (script, sheet)
    status = "\n".join(_status(actions, order, "執行紀錄 (xlbudget)"))
    assert f"{title}：" in status.splitlines()[0], status
    assert "已有一張「執行紀錄」工作表，但不是 xlbudget 寫的（第一格是「日期」）" in status, status
    if script == "export_data":
        assert "匯出：未完成" in status and "匯出資料!A1" in status and "第一格是「送主計處資料」" in status, status


def test_buttons_rewrite_their_own_status_and_export_sheets_in_place():
    """The other side of §3.2: 執行紀錄 and 匯出資料 that xlbudget wrote (an earlier press of 匯出) are rewritten where
    they are, no 「執行紀錄 (xlbudget)」 added. Red with foreign_sheet's test inverted (every sheet foreign)."""
    payload = book_json(example_workbook())
    first = run_script(addin, "export_data", payload)
    order = sheet_order(payload, first)
    assert "執行紀錄 (xlbudget)" not in order
    from xlwings_json import excel_value  # the book as Excel holds it after the first press

    wb = example_workbook()
    for sheet in ("執行紀錄", "匯出資料"):
        ws = wb.create_sheet(sheet)
        for row in sheet_values(first, order.index(sheet))[:3]:
            ws.append([excel_value(v) for v in row])
    payload = book_json(wb)
    again = run_script(addin, "export_data", payload)
    order = sheet_order(payload, again)
    assert "執行紀錄 (xlbudget)" not in order, order
    assert _cleared_or_written(again, order.index("匯出資料")) and _cleared_or_written(again, order.index("執行紀錄"))
    assert _status(again, order)[0].endswith("「匯出資料」工作表（欄位 table、row_code、row_name、column、value、unit），"
                                             "可另存為 CSV。"), _status(again, order)


def test_lite_says_before_writing_what_a_refused_write_would_leave():
    """§3.1 on xlwings Lite / Server: the engine cannot tell a protected sheet, and Office.js applies the writes after
    the script, in order: 執行紀錄 is written first (the button at work, and what a refusal midway leaves), then
    replaced by the result. Red on main: main's first write to 執行紀錄 came after every table."""
    payload = book_json(_built_and_changed())
    actions = run_script(addin, "build_schedules", payload)
    order = sheet_order(payload, actions)
    writes = [(i, order[a["sheet_position"]]) for i, a in enumerate(actions) if a["func"] == "setValues"]
    first_status = next(i for i, name in writes if name == "執行紀錄")
    first_table = next(i for i, name in writes if name == "各項費用彙計表")
    assert first_status < first_table
    said = actions[first_status]["values"][0][0]
    assert "產生報表：執行中" in said and "中途拒絕寫入" in said and "無法事先得知" in said, said
    assert "產生報表：已產生 14 張預算表" in _status(actions, order)[0]  # then replaced by the result


def _reviewed():
    """f23: the 科長's notes on two built table cells, one input line changed."""
    from openpyxl.comments import Comment

    wb = _built_and_changed()
    wb["歲出機關別預算表"]["F9"].comment = Comment("請說明一般行政增加原因", "陳科長")
    wb["各項費用彙計表"]["C8"].comment = Comment("資訊服務費請再檢討", "陳科長")
    return wb


def test_build_button_in_lite_refuses_table_sheets_with_notes_it_cannot_read():
    """§3.4 in xlwings Lite / Server: the book JSON says which cells hold a note, not what it says; rewriting would
    remove them unlisted. Nothing written; both cells named. Red on main: main sheetCleared both sheets, no word."""
    payload = book_json(_reviewed())
    actions = run_script(addin, "build_schedules", payload)
    order = sheet_order(payload, actions)
    assert _touched(actions, order) == {"執行紀錄"}, _touched(actions, order)
    status = "\n".join(_status(actions, order))
    assert "2 則附註（歲出機關別預算表!F9、各項費用彙計表!C8）" in status and "未做任何變更" in status, status


def test_build_button_on_the_desktop_puts_notes_back_and_lists_each_it_removes(monkeypatch):
    """§3.4 on desktop Excel (its note text and author played by desktop_cells): the two notes whose rows the tables
    keep (one input line +1 千元 changes figures only) go back on their cells (addNote after the sheet's rewrite); a
    note beside 各項費用彙計表 (F9, the table is A:D) is listed on 執行紀錄 with its cell, author and whole text
    (table-note-removed), the one copy left. Red on main: no note added back, 執行紀錄 said nothing of them."""
    from openpyxl.comments import Comment
    from xlwings_json import desktop_cells

    wb = _reviewed()
    wb["各項費用彙計表"]["F9"].comment = Comment("第二科補充說明另附", "陳科長")
    desktop_cells(monkeypatch, wb)
    payload = book_json(wb)
    actions = run_script(addin, "build_schedules", payload)
    order = sheet_order(payload, actions)
    added = {(order[a["sheet_position"]], a["args"][0].replace("$", ""), a["args"][1]) for a in actions
             if a["func"] == "addNote"}
    assert added == {("歲出機關別預算表", "F9", "請說明一般行政增加原因"), ("各項費用彙計表", "C8", "資訊服務費請再檢討")}, added
    for i, a in enumerate(actions):  # each added once its sheet is cleared and written
        if a["func"] == "addNote":
            assert any(b["func"] == "sheetClear" and b["sheet_position"] == a["sheet_position"] for b in actions[:i])
    status = _status(actions, order)
    assert "產生報表：已產生 14 張預算表" in status[0], status
    assert any("2 則附註已放回原儲存格" in line and "歲出機關別預算表!F9、各項費用彙計表!C8" in line for line in status), status
    assert any("1 則附註已隨重新產生而移除" in line for line in status), status
    listed = [line for line in status if line.startswith("  - ") and "附註「" in line]
    assert listed == ["  - 各項費用彙計表!F9：此格原有陳科長的附註「第二科補充說明另附」，預算表重新產生後已移除；"
                      "原附註保留在 「執行紀錄」（本工作表）"], listed


def _green_reviewed_line_with_a_typo():
    """f19: 歲出明細 F25:H25 coloured green by the officer (reviewed), H25's 預算數 one 元 off 數量 × 單價."""
    from openpyxl.styles import PatternFill

    wb = example_workbook()
    ws = wb[SHEET_EXPENSES]
    for cell in ("F25", "G25", "H25"):
        ws[cell].fill = PatternFill("solid", fgColor="FF00B050")
    ws["H25"].value += 1
    return wb


def test_check_in_lite_names_the_cells_whose_own_fills_it_paints_over():
    """§5.6: Lite cannot read a fill, so 檢核 cannot keep the officer's green on F25:H25: 執行紀錄 says so, naming the
    cells painted. Red on main: no line on 執行紀錄 spoke of fills (only 清除標示 said so, afterwards)."""
    payload = book_json(_green_reviewed_line_with_a_typo())
    actions = run_script(addin, "check_book", payload)
    order = sheet_order(payload, actions)
    status = _status(actions, order)
    said = [line for line in status if "無法讀取儲存格原有的填色" in line]
    assert len(said) == 1 and "歲出明細!" in said[0] and all(c in said[0] for c in ("F25", "G25", "H25")), status
    assert "已被取代" in said[0] and "xlbudget check 本檔.xlsx --mark" in said[0], said


def test_check_on_the_desktop_names_the_officers_fills_it_paints_over(monkeypatch):
    """§5.6 on desktop Excel, which reads fills (played by desktop_cells): the 檢核 button keeps no record of a fill
    either (清除標示 leaves none), so 執行紀錄 names exactly the cells that had the officer's own fill, F25:H25, and
    no other marked cell. Red on main: no line spoke of fills."""
    from xlwings_json import desktop_cells

    wb = _green_reviewed_line_with_a_typo()
    desktop_cells(monkeypatch, wb)
    payload = book_json(wb)
    actions = run_script(addin, "check_book", payload)
    order = sheet_order(payload, actions)
    status = _status(actions, order)
    assert status and status[0].split("\u3000", 1)[1].startswith("檢核：發現"), status
    said = [line for line in status if "填色" in line and "清除標示" in line]
    assert len(said) == 1 and "無法讀取" not in said[0], status
    assert "3 格原有您自己的填色，已被檢核的顏色取代（歲出明細!F25、G25、H25）" in said[0], said


def test_build_button_names_a_note_excel_would_not_put_back(monkeypatch):
    """A note Excel refuses to put back (add_note raising) is named with its text like any removed one, never
    dropped. Red with put_notes' failures ignored (the note then neither back nor named)."""
    from xlwings.pro import _xlremote
    from xlwings_json import desktop_cells

    wb = _reviewed()
    desktop_cells(monkeypatch, wb)
    original = _xlremote.Range.add_note

    def refused(self, text):
        if text == "資訊服務費請再檢討":
            raise Exception(PROTECTED)
        return original(self, text)

    monkeypatch.setattr(_xlremote.Range, "add_note", refused)
    payload = book_json(wb)
    actions = run_script(addin, "build_schedules", payload)
    order = sheet_order(payload, actions)
    status = _status(actions, order)
    assert any("1 則附註已放回原儲存格" in line and "歲出機關別預算表!F9" in line for line in status), status
    assert any(line.startswith("  - 各項費用彙計表!C8：") and "「資訊服務費請再檢討」" in line for line in status), status


def test_build_button_on_the_desktop_names_a_note_whose_row_another_plans_line_now_holds(monkeypatch):
    """The officer copies 工作計畫 32020180101's lines (and a 說明提要) as 32010180101, which the 明細表 prints first:
    row 12 now holds the new plan's 1015 line, «年 1 詳人事費彙計表。» as the old plan's was. 陳科長's note on E12 (the
    old plan's 25,356,370) is not put back on the new plan's line: it is listed on 執行紀錄 with its text. Red with
    splicebuild.kept_notes comparing the note's row alone (addNote on E12, nothing listed)."""
    from openpyxl.comments import Comment
    from xlbudget.adapters.printing import write_tables
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.derive.book import derive_all
    from xlbudget.readers.inputs import read_book
    from xlwings_json import desktop_cells

    wb = example_workbook()
    book, _ = read_book(input_grids(wb))
    write_tables(wb, derive_all(book), book.agency)
    sheet = "歲出計畫說明提要與各項費用明細表"
    assert [wb[sheet].cell(12, c).value for c in (2, 5, 6)] == ["年", 25_356_370, "詳人事費彙計表。"]
    wb[sheet]["E12"].comment = Comment("法定編制人員待遇請再確認", "陳科長")
    ws = wb[SHEET_EXPENSES]
    plan = [[c.value for c in row] for row in ws.iter_rows(min_row=2) if row[0].value == "32020180101"]
    ws.insert_rows(2, len(plan))
    for i, line in enumerate(plan):
        for j, v in enumerate(["32010180101", "一般行政-新增", *line[2:]], start=1):
            ws.cell(2 + i, j).value = v
    wb["說明提要"].append(["32010180101", "行政管理科", "一、計畫內容：新增一般行政業務。"])
    desktop_cells(monkeypatch, wb)
    payload = book_json(wb)
    actions = run_script(addin, "build_schedules", payload)
    order = sheet_order(payload, actions)
    assert not [a for a in actions if a["func"] == "addNote"]
    status = _status(actions, order)
    assert "產生報表：已產生 14 張預算表" in status[0], status
    listed = [line for line in status if line.startswith("  - ") and "附註「" in line]
    assert listed == [f"  - {sheet}!E12：此格原有陳科長的附註「法定編制人員待遇請再確認」，預算表重新產生後已移除；"
                      "原附註保留在 「執行紀錄」（本工作表）"], listed


def test_a_status_sheet_beside_that_is_the_officers_too_is_kept():
    """An officer's 「執行紀錄」 and an 「執行紀錄 (xlbudget)」 he typed his own lines into (his copy of last week's, 「科長：
    已閱」 in A1): both kept, the status written to 「執行紀錄 (xlbudget 2)」, naming both. Red before: the loop ran out of
    names and cleared and wrote 「執行紀錄 (xlbudget)」, his lines gone, and said its results were written «there»."""
    wb = _officers_own_sheets()
    wb.create_sheet("執行紀錄 (xlbudget)").append(["科長：已閱", "王小明"])
    payload = book_json(wb)
    actions = run_script(addin, "check_book", payload)
    order = sheet_order(payload, actions)
    for sheet in ("執行紀錄", "執行紀錄 (xlbudget)"):
        assert not _cleared_or_written(actions, order.index(sheet)), sheet
    status = "\n".join(_status(actions, order, "執行紀錄 (xlbudget 2)"))
    assert "檢核：" in status.splitlines()[0], status
    assert "已有一張「執行紀錄」工作表，但不是 xlbudget 寫的（第一格是「日期」）" in status, status
    assert "已有一張「執行紀錄 (xlbudget)」工作表，但不是 xlbudget 寫的（第一格是「科長：已閱」）" in status, status
    assert "本次結果寫在「執行紀錄 (xlbudget 2)」" in status, status
