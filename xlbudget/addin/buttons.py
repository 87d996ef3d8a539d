"""The buttons (xlwings scripts) of the add-in: 產生報表, 檢核, 清除標示, 新增範本, 匯出, 新年度, 輸出PDF.

Excel reaches them through ``xlbudget.addin``, which re-exports them. A button never raises into Excel: what it
did, or what is wrong with which cell, is written to the 執行紀錄 sheet.
"""

from __future__ import annotations

import datetime as dt
import functools
import traceback
from pathlib import Path

import xlwings as xw

from xlbudget.adapters import xlwings_book as xb
from xlbudget.addin.checking import all_findings, cell_problems
from xlbudget.core.errors import InputError, XlbudgetError
from xlbudget.core.findings import Finding
from xlbudget.core.model import BudgetBook
from xlbudget.derive.book import derive_all
from xlbudget.forms import results
from xlbudget.forms.inputs import SHEET_AGENCY, SHEET_HELP
from xlbudget.readers.grid import Grid
from xlbudget.readers.inputs import read_book


def _caller(book):
    # desktop RunPython calls the script without arguments; Lite and Server inject the book
    return book if book is not None else xw.Book.caller()


def _now() -> str:
    return dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def _run_button(title: str, book, job, announce: bool = False) -> None:
    """Run one button's ``job(book) -> status lines``; every outcome is written to 執行紀錄, never raised.

    With ``announce``, on xlwings Lite and Server (which apply the writes after the script, in order, and cannot tell
    a protected sheet before: xlwings_book.sheet_protected) 執行紀錄 first says the button is at work: should Excel
    refuse a write midway, that line stays and says what may be half done (field report 9 §3.1)."""
    book = _caller(book)
    if announce and type(book.impl).__module__.endswith("_xlremote"):
        xb.write_status(book, [f"{_now()}　{title}：執行中。若本行未被執行結果取代，表示 Excel 中途拒絕寫入（例如工作表"
                               "受保護；Excel 網頁版／xlwings Lite 無法事先得知）：已寫入的部分無法以「復原」取消，"
                               f"各表與標示可能彼此不一致，請取消保護後再按一次「{title}」。"])
    try:
        lines = job(book)
    except InputError as exc:
        handmade = _printed_only(book, exc, title)
        if handmade is not None:
            lines = [f"{title}：未完成。", handmade]
        else:
            lines = [f"{title}：未完成，輸入資料有誤。請修正下列儲存格後再按一次「{title}」。"]
            lines += [f"  - {p}" for p in exc.problems]
    except XlbudgetError as exc:
        lines = [f"{title}：未完成。", str(exc)]
    except Exception as exc:  # the program's own failure: say so plainly, keep the details for support
        lines = [f"{title}：程式發生未預期的錯誤（{type(exc).__name__}: {exc}），活頁簿的輸入資料未被更動。",
                 "請將本工作表的內容提供給系統管理者。", ""]
        lines += traceback.format_exc().splitlines()[-12:]
    xb.write_status(book, [f"{_now()}　{lines[0]}"] + lines[1:])


def _printed_only(book, exc: InputError, title: str) -> str | None:
    """printed-only-input's text, as the CLI says it (pipeline.refuse_printed_only), when ``exc`` says an input
    sheet is missing from a hand-made book: no input sheet, and a printed table xlbudget reads (field report 4 §5.2:
    the button said only 找不到工作表「基本資料」). None otherwise: a book with neither is told what is missing."""
    from xlbudget.core.findings import make_finding
    from xlbudget.forms.results import OWN_SHEETS
    from xlbudget.readers.printed import read_tables
    from xlbudget.readers.printed_model import SheetGrid
    from xlbudget.rules.checks import is_template_book

    names = xb.sheet_names(book)
    if not any(f.rule == "missing-sheet" for f in exc.findings) or is_template_book(names):
        return None
    try:
        tables, _ = read_tables([SheetGrid(xb.sheet_grid(book.sheets[n], book.name)) for n in names
                                 if n not in OWN_SHEETS])
    except InputError as two:  # two agencies' printed books (two-agencies): that is what to say
        return two.findings[0].message
    if not tables:
        return None
    return make_finding("printed-only-input", None, name=book.name, command=f"「{title}」",
                        remedy=f"請按「新增範本」加入輸入工作表，將本書的資料填入後再按一次「{title}」").message


def _read(book, unseen: list[str] | None = None, grids: dict[str, Grid] | None = None,
          unfonted: list[str] | None = None) -> tuple[BudgetBook, list[Finding]]:
    """The book's input sheets read; ``unseen`` gets the sheets whose hidden rows or columns the engine cannot
    tell, ``grids`` the grids read, ``unfonted`` the sheets whose strikethrough and number formats it cannot tell."""
    found = xb.input_grids(book, unseen, unfonted)
    if grids is not None:
        grids.update(found)
    return read_book(found, book.name)


def _calc_manual(book) -> bool:
    """Whether Excel calculates this book by hand (公式 → 計算選項 → 手動); False where this Excel cannot say (the
    xlwings Lite and Server clients that send no calculation mode)."""
    try:
        return book.app.calculation == "manual"
    except Exception:  # NotImplementedError (a client without the mode), an Excel refusing the question
        return False


def _manual_calc(book, title: str, grids: dict[str, Grid] | None = None, findings=()) -> tuple[list[Finding],
                                                                                               list[str]]:
    """For a book Excel calculates by hand, what the buttons say of the formulas' shown results they read, which
    may be those of the last calculation (field report 11 §5.2, for the add-in: read as if calculated, nothing
    said): check's ``manual-calc-stale`` at the formula cells among ``findings``' cells (app.check.stale_formulas),
    and 執行紀錄's line naming the mode and the input sheets' formula cells (desktop Excel; xlwings Lite and Server
    read no formula: the mode alone). ([], []) for a book calculated automatically, or whose input sheets hold no
    formula. ``grids``: the input sheets read (read here when None)."""
    if not _calc_manual(book):
        return [], []
    from xlbudget.app.check import manual_calc_line, stale_formulas

    grids = xb.input_grids(book) if grids is None else grids
    found = xb.sheet_formulas(book, [grid.sheet for grid in grids.values()])
    typed = {grid.sheet: _typed_formulas(grid, found.get(grid.sheet, {})) for grid in grids.values()}
    cells = [(sheet, at, formula) for sheet, by in typed.items() for at, formula in sorted(by.items())]
    blind = not found and bool(grids)  # this Excel reads no formula
    if not cells and not blind:
        return [], []
    line = manual_calc_line(None if blind else cells, "Excel 的計算選項為「手動」（公式 → 計算選項 → 手動）",
                            " Excel 目前顯示的結果", f"請按 F9 重新計算後再按一次「{title}」（或將計算選項改為自動）",
                            "（Excel 網頁版／xlwings Lite 無法讀取公式，無法列出是哪些儲存格）")
    return stale_formulas(findings, typed.get, book.name), [line]


def _unseen_rows(unseen: list[str]) -> list[str]:
    """What 執行紀錄 says when the engine cannot tell hidden rows or columns (xlwings Lite, Server; field report 6
    §4.3, 8 §2.1): the CLI and desktop Excel name such cells (hidden-row-counted, hidden-column-counted), here nobody
    would."""
    if not unseen:
        return []
    from xlbudget.readers.grid import input_sheet_names

    inputs = set(input_sheet_names(unseen).values())
    tables = [n for n in unseen if n not in inputs]  # a table sheet read back (檢核): its hidden rows print not
    sheets = "、".join(f"「{n}」" for n in unseen if n in inputs)
    said = ([f"{sheets}中隱藏或篩選掉的列與隱藏的欄仍列入預算書（hidden-row-counted、hidden-column-counted）"]
            if sheets else []) + ([f"預算表{'、'.join(f'「{n}」' for n in tables[:3])}{'等' if len(tables) > 3 else '共'} {len(tables)} 張中"
                                   "隱藏的列與欄列印時不會印出，其數字仍已檢核（hidden-row-not-printed、"
                                   "hidden-column-not-printed）"] if tables else [])
    return ["注意：Excel 網頁版／xlwings Lite 無法得知哪些列被隱藏或篩選掉、哪些欄被隱藏：" + "；".join(said)
            + "，此處無法列出。請取消隱藏與篩選後再看一次，或在桌面版 Excel 按本按鈕，或在命令列執行 xlbudget check 本檔.xlsx。"]


def _unfonted(sheets: list[str]) -> list[str]:
    """What 執行紀錄 says when the engine cannot tell strikethrough and number formats (xlwings Lite, Server): the
    CLI and desktop Excel name a struck-through line and an amount formatted to show 千元 (struck-line,
    amount-unit-format), here nobody would."""
    if not sheets:
        return []
    return ["注意：Excel 網頁版／xlwings Lite 無法得知儲存格的刪除線與數值格式：加上刪除線的列仍列入預算書，格式顯示為「千元」"
            "的金額仍讀為元，此處無法列出（struck-line、amount-unit-format）。請在桌面版 Excel 按本按鈕，或在命令列執行 "
            "xlbudget check 本檔.xlsx。"]


def _summary(findings: list[Finding]) -> str:
    return results.count_summary(results.severity_counts(findings))


def _schedule_grids(book, model, unseen: list[str] | None = None) -> dict[str, Grid]:
    """The schedule sheets already in the book, read back (one read each) for the checks to compare, each table
    sheet with what Excel prints not of it (xlwings_book.table_sheet_marks; ``unseen`` gets the sheets whose hidden
    rows or columns this Excel cannot tell)."""
    from xlbudget.forms.inputs import INPUT_SHEETS, SHEET_NARRATIVE

    tables = {t.sheet_name for t in derive_all(model)} - set(INPUT_SHEETS)
    return {name: xb.table_sheet_marks(book.sheets[name], xb.sheet_grid(book.sheets[name], book.name), unseen)
            if name in tables else xb.sheet_grid(book.sheets[name], book.name)
            for name in xb.sheet_names(book) if name in tables or name == SHEET_NARRATIVE}


@xw.script
def build_schedules(book: xw.Book = None):
    """產生報表: read the input sheets and write every schedule into this book, one sheet per table."""
    def job(book):
        from xlbudget.app.splicebuild import (Overwritten, kept_notes, narrative_replacements, officer_replacements,
                                              removed_notes, replaced_cells)
        from xlbudget.readers.grid import column_letter
        from xlbudget.derive.narrative import standard_sentences
        from xlbudget.forms.inputs import SHEET_NARRATIVE
        from xlbudget.readers.grid import input_sheet_names
        from xlbudget.forms.layout import layout_table
        from xlbudget.core.titles import table_order
        from xlbudget.forms.overwrite import RECORD_NAME
        from xlbudget.rules.checks import check_inputs
        from xlbudget.rules.readback import left_behind, table_sheet_name

        unseen: list[str] = []
        grids: dict[str, Grid] = {}
        model, findings = _read(book, unseen, grids)
        tables = derive_all(model)
        layouts = {t.sheet_name: layout_table(t, model.agency) for t in tables}
        # what the table sheets hold before they are rewritten: the officer's figures, formulas and words among ours
        names = xb.sheet_names(book)
        present = set(names)
        narrative = input_sheet_names(names).get(SHEET_NARRATIVE)  # its column D is rewritten too
        read = list(layouts) + ([narrative] if narrative else [])
        old = Overwritten(xb.sheet_texts(book, read, every=True), xb.sheet_formulas(book, read),
                          {n: xb.recorded(book.sheets[n], RECORD_NAME) for n in layouts if n in present},
                          notes=xb.sheet_notes(book, [n for n in layouts if n in present]))
        sentences = standard_sentences(model)
        # found before the sheets are rewritten (and their records)
        theirs = officer_replacements(old, layouts) + narrative_replacements(old, narrative, sentences)
        marked = _marked_by_us(book)
        # a protected sheet found before anything is written (desktop Excel; Lite and Server cannot tell)
        _refuse_protected(book, "產生報表", list(layouts) + ([narrative] if narrative else [])
                          + ([results.RESULT_SHEET] if marked else []))
        _refuse_unread_notes(book, old.notes)
        staying = kept_notes(old, layouts)
        unset = set()
        written: list[str] = []
        order = table_order(names, [t.sheet_name for t in tables])  # a new table among the tables, in 目次 order
        try:
            for table in tables:
                at = order.index(table.sheet_name)
                unset.update(xb.write_table(book, table, model.agency, layouts[table.sheet_name],
                                            order[at - 1] if at else None))
                written.append(table.sheet_name)
                if table.sheet_name in staying:  # his notes back where the table kept their rows
                    for cell in xb.put_notes(book.sheets[table.sheet_name], staying[table.sheet_name]):
                        del staying[table.sheet_name][cell]  # not put back: named below with its text
            xb.write_sentences(book, sentences)
        except Exception as exc:  # Excel refused a write midway (a sheet protected after all, …): say what is half done
            raise XlbudgetError(_half_built(tables, written, narrative, exc)) from exc
        # build's own rule (splicebuild.replaced_cells): what the officer typed there, named with its cell
        replaced = replaced_cells(old, layouts, Path(book.name), None, f"「{xb.STATUS_SHEET}」（下方）", theirs)
        findings = list(findings) + check_inputs(model)  # what check gives on the inputs; 檢核 marks these, not ``replaced``
        stale, manual = _manual_calc(book, "產生報表", grids, findings)  # as build counts it
        findings = stale + findings
        lines = [f"產生報表：已產生 {len(tables)} 張預算表（{model.agency.name} {model.agency.year}年度，"
                 f"歲出細項 {len(model.expenses)} 筆）。"]
        lines += [f"  - {t.title}" for t in tables]
        if findings:
            lines.append(f"讀取時發現 {_summary(findings)}；請按「檢核」標示這些儲存格。")
        if note := xb.unset_note(unset):
            lines.append(note)
        lines += manual + _unseen_rows(unseen)
        if replaced:
            lines.append(f"警告：預算表工作表上有 {len(replaced)} 格自行輸入的內容（數字、公式或文字，不是上次產生時寫入的）"
                         "已被取代（table-cell-replaced）。巨集所做的變更無法以「復原」取消：原內容如下（→ 之後為現在的"
                         "內容），需要時請複製到其他工作表（再按一次任何按鈕，本工作表即被改寫）。")
            lines += [f"  - {f.cell.sheet}!{f.cell.cell}：{cell.was} → {cell.now if cell.now is not None else '空白'}"
                      for f, (_, cell) in zip(replaced, theirs)]
        # the last build's tables the inputs no longer give (a 類別表 of a class no longer used): named, not deleted
        # (a macro's deletion cannot be undone, and there is no backup); build removes them (field report 10 §1.1)
        left = left_behind({n: xb.recorded(book.sheets[n], RECORD_NAME) for n in names
                            if n not in layouts and table_sheet_name(n)}, layouts)
        if left:
            lines.append(f"警告：{'、'.join(f'「{n}」' for n in left)}是上次產生的預算表，依目前的輸入已不產生"
                         "（table-sheet-left-behind）：所印是上次的數字，未重新產生、也未檢核；不再需要請自行刪除此工作表"
                         "（或以 xlbudget build 重新產生，會移除並保留備份）。")
        notes = removed_notes(old, Path(book.name), None, kept=f"「{xb.STATUS_SHEET}」（本工作表）", staying=staying)
        back = [f"{name}!{column_letter(c)}{r}" for name, cells in staying.items() for r, c in sorted(cells)]
        if back:
            lines.append(f"預算表工作表上的 {len(back)} 則附註已放回原儲存格（該列的內容未變）：{'、'.join(back)}。")
        if notes:
            lines.append(f"警告：預算表工作表上有 {len(notes)} 則附註已隨重新產生而移除（table-note-removed）。巨集所做的變更"
                         "無法以「復原」取消：附註內容如下，需要時請複製到其他工作表（再按一次任何按鈕，本工作表即被改寫）。")
            lines += [f"  - {f.cell.sheet}!{f.cell.cell}：{f.message}" for f in notes]
        if marked:  # its 檢核結果 would list what this build has put right: checked and marked again
            try:
                again = _check_and_mark(book, frozenset(layouts))
            except XlbudgetError as exc:  # the tables are written: say so above what the check could not do
                return lines + ["本書有上次檢核的標示，但重新檢核未完成：", str(exc)]
            lines.append("本書有上次檢核的標示：已重新檢核產生後的活頁簿，「檢核結果」與各格標示已更新：")
            lines += again
        return lines

    _run_button("產生報表", book, job, announce=True)


def _refuse_protected(book, title: str, names, painted=()) -> None:
    """Refuse before anything is written when a sheet the button would write (``names``) or colour (``painted``) is
    protected (field report 9 §3.1: desktop Excel refuses the write midway, with some tables already replaced);
    xlwings Lite and Server cannot tell (xlwings_book.sheet_protected): the writes themselves meet it there."""
    locked = xb.protected_sheets(book, names, painted)
    if locked:
        raise XlbudgetError(f"{'、'.join(f'「{n}」' for n in locked)}受保護（校閱 → 保護工作表），「{title}」要寫入"
                            f"{'這些' if len(locked) > 1 else '這張'}工作表：請取消保護後再按一次「{title}」；未做任何變更。")


def _refuse_unread_notes(book, notes) -> None:
    """Refuse 產生報表 before anything is written when a table sheet holds notes this Excel cannot read (xlwings Lite
    and Server list which cells hold one, not what it says): rewriting the sheet would remove them and 執行紀錄 could
    not even list them (field report 9 §3.4). check --mark's own notes (the cells its record sheet lists) are not
    the officer's: they are marked again."""
    from xlbudget.adapters.marking import state_records
    from xlbudget.readers.grid import column_letter

    unread = [(sheet, f"{column_letter(c)}{r}") for sheet, cells in notes.items()
              for (r, c), (text, _) in sorted(cells.items()) if text is None]
    if not unread:
        return
    names = xb.sheet_names(book)
    if results.STATE_SHEET in names:
        recorded = {(r.sheet, r.cell) for r in state_records(xb._state_rows(book), names)}
        unread = [at for at in unread if at not in recorded]
    if unread:
        raise XlbudgetError(
            f"預算表工作表上有 {len(unread)} 則附註（{'、'.join(f'{s}!{c}' for s, c in unread)}）。Excel 網頁版／xlwings Lite "
            "無法讀取附註的內容，重新產生會移除它們，也無法列出其內容（table-note-removed）：請先將附註的內容抄到輸入工作表"
            "或自己的工作表並刪除這些附註，或在桌面版 Excel 按「產生報表」（移除的附註會逐則列在執行紀錄），或在命令列執行 "
            "xlbudget build 本檔.xlsx（原檔先備份）；未做任何變更。")


def _half_built(tables, written: list[str], narrative: str | None, exc: Exception) -> str:
    """執行紀錄's words for 產生報表 stopped by Excel midway (field report 9 §3.1): the sheet refused, the tables already
    rewritten and those still the last build's, and that the book now disagrees with itself."""
    rest = [t.sheet_name for t in tables if t.sheet_name not in set(written)]
    failed = rest[0] if rest else (narrative or "總說明")
    said = (f"已改寫 {len(written)} 張表（{'、'.join(written)}）" if written else "尚未改寫任何表") + (
        f"，其餘 {len(rest)} 張（{'、'.join(rest)}）仍為上次產生的內容" if rest else "，總說明的數字句未更新")
    return (f"寫入「{failed}」時 Excel 拒絕（{type(exc).__name__}: {exc}）。{said}"
            + ("：本書各表彼此不一致，請勿列印或送出。" if written else "。")
            + f"巨集所做的變更無法以「復原」取消；若「{failed}」受保護，請取消保護後再按一次「產生報表」。")


def _refuse_foreign_results(book) -> None:
    """The 檢核 and 清除標示 buttons leave a 檢核結果 xlbudget did not write as it is, and say so, as check --mark
    does (forms.results.foreign_results): nothing is marked or cleared."""
    found = results.foreign_results(xb.sheet_texts(book, [results.RESULT_SHEET]).get(results.RESULT_SHEET),
                                    book.name)
    if found is not None:
        raise XlbudgetError(f"{found.cell.sheet}!{found.cell.cell} {found.message}")


def _marked_by_us(book) -> bool:
    """Whether the book holds a 檢核結果 xlbudget wrote (its first cell xlbudget's title): 產生報表 checks and marks the
    built book again, as build does (app.check.remark_built), so it never lists what the build has put right."""
    first = (xb.sheet_texts(book, [results.RESULT_SHEET]).get(results.RESULT_SHEET) or {}).get((1, 1), "")
    return first.strip().startswith(results.RESULTS_TITLE)


@xw.script
def check_book(book: xw.Book = None):
    """檢核: check the book, list findings on 檢核結果 and colour each finding's cell by severity."""
    _run_button("檢核", book, _check_and_mark, announce=True)


def _check_and_mark(book, rewritten: frozenset[str] = frozenset()) -> list[str]:
    """The 檢核 button's job, and 產生報表's for a book a check marked (``rewritten``: the table sheets it has just
    written, whose marks went with them, never named as found nowhere): 執行紀錄's lines."""
    _refuse_foreign_results(book)
    unseen: list[str] = []
    unfonted: list[str] = []
    inputs: dict[str, Grid] = {}
    try:  # read before the last marks are cleared (fills and notes: no value read here changes with them)
        model, findings = _read(book, unseen, inputs, unfonted)
        # after 產生報表 the tables and 總說明's sentences are what the model derives, written this very call: not read
        # back (xlwings Lite and Server read the book as it was sent, before these writes)
        from xlbudget.forms.overwrite import RECORD_NAME

        grids = {} if rewritten else _schedule_grids(book, model, unseen)
        records = {n: xb.recorded(book.sheets[n], RECORD_NAME) for n in grids}  # what the last build wrote there
        findings = all_findings(model, findings, grids, records)
        unreadable = []
    except InputError as exc:
        findings = cell_problems(exc)
        unreadable = exc.problems
        if not findings:
            xb.clear_recorded_marks(book)
            raise
    # a book calculated by hand: its formulas' results may be the last calculation's, said as check says it
    stale, manual = _manual_calc(book, "檢核", inputs, findings)
    findings = stale + findings
    # a protected sheet found before anything is written or coloured (desktop Excel; Lite and Server cannot tell)
    _refuse_protected(book, "檢核", [results.RESULT_SHEET],
                      {m.sheet for m in xb.marks_of(findings, set(xb.sheet_names(book)))})
    done: list[str] = []
    try:
        cleared = xb.clear_recorded_marks(book)  # the last marks, as check --clear finds them
        done.append("已清除上次檢核的標示")
        unset = xb.write_results(book, findings)
        done.append(f"已寫入「{results.RESULT_SHEET}」")
        # the officer's own fills under the marks, asked once the last marks are gone (None: Lite cannot tell)
        filled = xb.own_fills(book, xb.marks_of(findings, set(xb.sheet_names(book))))
        marks = xb.mark_findings(book, findings)
    except Exception as exc:  # Excel refused midway (a sheet protected after all, …): say what is half done
        said = "、".join(done) if done else "尚未清除上次檢核的標示"
        raise XlbudgetError(
            f"檢核時 Excel 拒絕寫入（{type(exc).__name__}: {exc}）。{said}，各格的標示未完成：「{results.RESULT_SHEET}」"
            "與各格標示彼此不一致。巨集所做的變更無法以「復原」取消；若有工作表受保護，請取消保護後再按一次「檢核」。") from exc
    cleared.cleared.lost = [(s, c) for s, c in cleared.cleared.lost if s not in rewritten]
    cleared.cleared.moved = [m for m in cleared.cleared.moved if m[0] not in rewritten]
    if unreadable:
        lines = [f"檢核：輸入資料有 {len(unreadable)} 處無法讀取，已以紅色標示；修正後請再按一次「檢核」。"]
        lines += [f"  - {p}" for p in unreadable]
    elif findings:
        lines = [f"檢核：發現 {_summary(findings)}，已在 {len(marks)} 個儲存格以顏色標示"
                 f"（紅＝錯誤、黃＝警告、藍＝提示、灰＝無法驗證），明細見「{results.RESULT_SHEET}」工作表。"]
    else:
        lines = ["檢核：未發現問題。"]
    lines += _cleared_lines(cleared, "（已先清除上次檢核的 {} 個標示）")
    if marks and filled != []:
        lines.append(_painted_over(marks if filled is None else filled, filled is None))
    if note := xb.unset_note(unset):
        lines.append(note)
    return lines + ([] if rewritten else manual) + _unseen_rows(unseen) + _unfonted(unfonted)  # 產生報表 has said it


def _painted_over(marks, blind: bool, shown: int = 40) -> str:
    """執行紀錄's line for the officer's own fills 檢核 has just painted over (field report 9 §5.6): the 檢核 button keeps
    no record of a fill, so 清除標示 leaves those cells with none. ``marks``: the cells known to have had a fill, or,
    ``blind`` (xlwings Lite, Server: a fill cannot be read), every cell painted, any of which may have had one."""
    by_sheet: dict[str, list[str]] = {}
    for m in marks[:shown]:
        by_sheet.setdefault(m.sheet, []).append(m.cell)
    cells = "；".join(f"{sheet}!{'、'.join(found)}" for sheet, found in by_sheet.items())
    count = f"等 {len(marks)} 格" if len(marks) > shown else f"共 {len(marks)} 格"
    said = (f"注意：Excel 網頁版／xlwings Lite 無法讀取儲存格原有的填色：已塗上檢核顏色的儲存格（{cells}，{count}）原有的填色"
            "（若有）已被取代，無法保留" if blind else
            f"注意：{len(marks)} 格原有您自己的填色，已被檢核的顏色取代（{cells}）")
    return (said + "，按「清除標示」後為無填色，不會還原。要保留自己的填色，請在命令列執行 xlbudget check 本檔.xlsx --mark"
            "（原有的填色與註解會記下，清除時還原）。")


def _cleared_lines(done, said: str) -> list[str]:
    """執行紀錄's lines for the last marks removed (xlwings_book.LiveCleared): ``said`` with the count, then what check
    --clear says besides (marking.cleared_lines), and what this Excel could not do."""
    from xlbudget.adapters.marking import cleared_lines

    cleared = done.cleared
    count = cleared.restored + len(cleared.moved)
    lines = ([said.format(count)] if count else []) + cleared_lines(cleared)
    if done.unrestored:
        lines.append(f"{len(done.unrestored)} 格原有的填色是佈景主題色彩或圖樣，增益集無法還原，xlbudget 的填色仍留在："
                     + "、".join(f"{s}!{c}" for s, c in done.unrestored) + "；請自行設定這些儲存格的填色。")
    if done.kept:
        lines.append(f"Excel 網頁版／xlwings Lite 無法讀取儲存格的填色與註解：命令列 xlbudget check --mark 留下的 {done.kept} "
                     "個標示未清除（要讀取填色與註解，才分得出哪些是 xlbudget 的、哪些是您的）。請在桌面版 Excel 按"
                     "「清除標示」，或在命令列執行 xlbudget check 本檔.xlsx --clear。")
    if done.blind and count:
        lines.append("（Excel 網頁版／xlwings Lite 無法讀取填色：「檢核」的標示依「檢核結果」所列的儲存格清除；檢核後插入或"
                     "刪除列、欄而移動的標示找不到，所列儲存格原有的填色也一併清除。）")
    return lines


@xw.script
def clear_marks(book: xw.Book = None):
    """清除標示: remove the last check's marks as check --clear does (xlwings_book.clear_recorded_marks: 檢核's and
    check --mark's, where they moved, the officer's fills and notes back) and empty 檢核結果."""
    def job(book):
        _refuse_foreign_results(book)
        done = xb.clear_recorded_marks(book)
        lines = _cleared_lines(done, "清除標示：已清除 {} 個儲存格的檢核標示。")
        if lines and lines[0].startswith("清除標示"):
            return lines
        return ["清除標示：未清除任何檢核標示。" if lines else "清除標示：沒有需要清除的檢核標示。"] + lines

    _run_button("清除標示", book, job)


@xw.script
def add_template(book: xw.Book = None):
    """新增範本: add the input sheets (with their header rows) that this book does not have yet, each printed as
    xlbudget new's (forms.pages: LIST_PAGE for 說明, INPUT_PAGE for an input sheet)."""
    def job(book):
        from xlbudget.app.template import HELP_TEXT, LAYOUT
        from xlbudget.forms.inputs import AGENCY_KEYS, AGENCY_OPTIONAL_KEYS
        from xlbudget.forms.pages import INPUT_PAGE, LIST_PAGE
        from xlbudget.readers.grid import input_sheet_names

        names = xb.sheet_names(book)
        present = set(names) | set(input_sheet_names(names))  # 「歲出明細 」 is there already: never a second one
        added, kept = [], []
        unset: set[str] = set()
        if SHEET_HELP not in present:
            sheet = xb.replace_sheet(book, SHEET_HELP)
            xb.set_values(sheet["A1"], [[text or None] for text, _ in HELP_TEXT])
            unset.update(xb.apply_page(sheet, LIST_PAGE))
            added.append(SHEET_HELP)
        for name, headers in LAYOUT.items():
            if name in present:
                kept.append(name)
                continue
            rows = [list(headers)]
            if name == SHEET_AGENCY:
                rows += [[key, None] for key in AGENCY_KEYS + AGENCY_OPTIONAL_KEYS]
            unset.update(xb.apply_page(xb.write_records(book, name, rows[0], rows[1:]), INPUT_PAGE))
            added.append(name)
        lines = [f"新增範本：已新增 {len(added)} 張輸入工作表。" if added else "新增範本：輸入工作表都已存在，未做任何變更。"]
        lines += [f"  - 新增 {n}" for n in added]
        lines += [f"  - 已存在，未更動 {n}" for n in kept]
        if added:
            lines.append(f"請從「{SHEET_AGENCY}」開始填寫，再按「產生報表」。")
        if note := xb.unset_note(unset, made="xlbudget new 產生的範本"):
            lines.append(note)
        return lines

    _run_button("新增範本", book, job)


def _stale_live(book, model, tables):
    """tables-stale (app.stale.stale_of) of the live ``book``: its table sheets' records read from its names, only
    the sheets whose record is not what ``tables`` (its inputs, derived) give read back. None when none is stale."""
    from xlbudget.app.stale import stale_of
    from xlbudget.forms.overwrite import RECORD_NAME

    present = set(xb.sheet_names(book))
    built = {t.sheet_name: xb.recorded(book.sheets[t.sheet_name], RECORD_NAME) for t in tables
             if t.sheet_name in present}
    return stale_of(model, tables, built, lambda names: {n: (xb.sheet_grid(book.sheets[n], book.name), ())
                                                         for n in names})


@xw.script
def export_data(book: xw.Book = None):
    """匯出: every figure of every table as tidy records on the 匯出資料 sheet."""
    def job(book):
        from xlbudget.app.export import FIELDS, export_records

        from xlbudget.app.stale import EXPORTED_FROM_INPUTS

        grids: dict[str, Grid] = {}
        model, _ = _read(book, grids=grids)
        tables = derive_all(model)
        records = export_records(model, tables)
        # the inputs' figures, as export gives them: a book whose tables print others is told so (tables-stale)
        stale = _stale_live(book, model, tables)
        # an 匯出資料 of the officer's (the figures he sent last week) is never emptied: known by its field names
        found = results.foreign_sheet(xb.EXPORT_SHEET, xb.sheet_texts(book, [xb.EXPORT_SHEET], every=True)
                                      .get(xb.EXPORT_SHEET), book.name,
                                      lambda cells: [cells.get((1, c)) for c in range(1, len(FIELDS) + 1)]
                                      == list(FIELDS), kept="未匯出")
        if found is not None:
            raise XlbudgetError(f"{found.cell.sheet}!{found.cell.cell} {found.message}")
        _refuse_protected(book, "匯出", [xb.EXPORT_SHEET])
        xb.write_records(book, xb.EXPORT_SHEET, list(FIELDS), [[r[k] for k in FIELDS] for r in records],
                         texts=True)  # a code stays text (04020180301, never the number 4020180301)
        lines = [f"匯出：已將 {len(records)} 筆數字寫入「{xb.EXPORT_SHEET}」工作表"
                 f"（欄位 {'、'.join(FIELDS)}），可另存為 CSV。"]
        if stale is not None:
            lines.append(f"警告：{stale.message}。{EXPORTED_FROM_INPUTS}。")
        return lines + _manual_calc(book, "匯出", grids)[1]

    _run_button("匯出", book, job)


def _new_workbook(book):
    """A new, empty workbook in the same Excel (desktop only: a web add-in cannot open a second workbook)."""
    if type(book.impl).__module__.endswith("_xlremote"):
        raise XlbudgetError("新年度：Excel 網頁版／xlwings Lite 無法由增益集開新活頁簿，本活頁簿未被更動。"
                            "請在桌面版 Excel 按「新年度」，或在命令列執行 xlbudget next-year 本檔.xlsx -o 新年度.xlsx。")
    return book.app.books.add()


def write_next_year(target, sheets: dict[str, list[list[object]]], widths: dict[str, dict[int, float]] | None = None
                    ) -> tuple[set[str], bool]:
    """Write next year's input sheets (nextyear.NextYear.sheets, with the officer's formulas put back by
    nextformulas.carry_formulas: header first) into the workbook ``target``, one write per sheet, each placed as
    xlbudget next-year places it in our template (template.fill_plan: the template's columns, then the book's own),
    so that a formula carried refers to the very cells nextformulas moved it to. A ``Formula`` is written as one, every
    other text as text (formulas.as_text: Excel would read 「04020180301」 as a number, 「1/2」 as a date).

    Each sheet is given the looks xlbudget next-year's book has (nextlooks): the template's column widths, or the
    officer's (``widths``: {sheet: {next year's column: width}}, read from his book), the template's page setup, and
    its drop-down lists (on the 代碼表 sheet, hidden, as the template's) where this Excel lets a script set them.
    Returns (the page settings this Excel did not take, whether the lists were set)."""
    from xlbudget.app.nextlooks import template_looks
    from xlbudget.app.template import CODES_SHEET, LAYOUT, fill_plan, fill_template
    from xlbudget.forms.pages import INPUT_PAGE

    grids = {n: Grid(n, rows) for n, rows in sheets.items()}
    codes, looks = template_looks(fill_template(grids))  # next-year's book from our template: its looks
    default = xb.sheet_names(target)
    listed = xb.lists_settable(target)
    if listed and codes:  # the lists' choices, as the template holds them
        xb.write_records(target, CODES_SHEET, codes[0], codes[1:]).visible = False
    unset: set[str] = set()
    for name, fill in fill_plan(grids).items():
        cells = {(1, c): h for c, h in enumerate((h for h in LAYOUT.get(name, ()) if h), start=1)}
        cells.update({(1, c): h for c, h in fill.extra.items()})
        cells.update(fill.values())
        width, height = max(c for _, c in cells), max(r for r, _ in cells)
        grid = [[cells.get((r, c)) for c in range(1, width + 1)] for r in range(1, height + 1)]
        sheet = xb.write_records(target, name, grid[0], grid[1:], texts=True)  # his texts as typed: 04020180301 stays
        shown, lists = looks.get(name, ({}, []))
        xb.set_widths(sheet, {**shown, **(widths or {}).get(name, {})})
        unset.update(xb.apply_page(sheet, INPUT_PAGE))
        if listed and lists:
            listed = xb.add_lists(sheet, lists)
    for name in default:  # the new book's own empty sheet (工作表1 / Sheet1)
        if name not in sheets and len(xb.sheet_names(target)) > 1:
            target.sheets[name].delete()
    return unset, listed


def _own_widths(book, grids: dict[str, Grid], sheets: dict[str, list[list[object]]]) -> dict[str, dict[int, float]]:
    """The widths the officer set on his input sheets' columns, by next year's column (nextlooks.column_map); {}
    where this Excel cannot read a width."""
    from xlbudget.app.nextlooks import column_map
    from xlbudget.app.template import LAYOUT, fill_plan

    found = {}
    for name, fill in fill_plan({n: Grid(n, rows) for n, rows in sheets.items()}).items():
        if name not in grids:
            continue
        header = [h for h in LAYOUT.get(name, ()) if h]
        header += [None] * (max(fill.extra, default=0) - len(header))
        for c, h in fill.extra.items():
            header[c - 1] = h
        _, columns = column_map(grids[name], header)
        his = xb.column_widths(book.sheets[grids[name].sheet], columns)
        found[name] = {columns[c]: width for c, width in his.items()}
    return found


def _typed_formulas(grid: Grid, found: dict[tuple[int, int], str]) -> dict[tuple[int, int], str]:
    """The formula cells of ``grid``'s sheet (xlwings_book.sheet_formulas: {(row, column): "=…"}) that hold a formula:
    Excel's Range.Formula gives a text typed as text (「'=見附件」) as that text, whose value is the text itself; a
    formula's value is its result."""
    def value(r: int, c: int) -> object:
        row = grid.rows[r - grid.top] if 0 <= r - grid.top < len(grid.rows) else ()
        return row[c - grid.left] if 0 <= c - grid.left < len(row) else None

    return {at: formula for at, formula in found.items() if value(*at) != formula}


@xw.script
def next_year_book(book: xw.Book = None):
    """新年度: next year's input book from this one, in a new workbook; this book is not changed. The officer's
    formulas of the input sheets go on as formulas where xlbudget next-year keeps them (app.nextformulas), the rest
    as their values, named on 執行紀錄."""
    def job(book):
        from xlbudget.app.nextformulas import carry_formulas, formulas_line
        from xlbudget.app.nextyear import as_is_reminder, next_year, prior_source_line
        from xlbudget.adapters.printing import NARRATIVE_COLUMN

        grids: dict[str, Grid] = {}
        model, read = _read(book, grids=grids)
        plan = next_year(model, grids, generated_from=NARRATIVE_COLUMN)
        from xlbudget.core.findings import error_count
        from xlbudget.rules.checks import check_inputs

        errors = error_count(list(read) + check_inputs(model))  # this year's, as xlbudget next-year counts them
        # his formulas, where this Excel reads them (desktop; Lite cannot open a new book at all: refused below)
        found = xb.sheet_formulas(book, [grid.sheet for grid in grids.values()])
        typed = {name: _typed_formulas(grid, found.get(grid.sheet, {})) for name, grid in grids.items()}
        sheets, formulas, kept = plan.sheets, "", []
        if any(typed.values()):  # Excel calculates the new book itself: no saved value to carry
            sheets, _, valued, emptied, _, kept, rewritten = carry_formulas(plan, grids, typed, exact=False)
            formulas = formulas_line(valued, emptied, (), kept, rewritten)
        manual = _manual_calc(book, "新年度", grids)[1]  # asked of this book, before another is made
        widths = _own_widths(book, grids, sheets)
        target = _new_workbook(book)
        unset, listed = write_next_year(target, sheets, widths)
        lines = [f"新年度：已在新活頁簿產生 {plan.year} 年度輸入資料（{len(plan.sheets)} 張工作表），本活頁簿未被更動；"
                 "請另存新檔。" + (f"但本活頁簿有錯誤 {errors} 項，已照原樣帶入新年度，請按「檢核」標示並一併修正。" if errors else "")
                 + prior_source_line(model, book.name)]
        if not listed:  # never a book that types unlike the template without a word
            lines.append("下拉清單：此 Excel 不接受增益集設定資料驗證，新活頁簿的用途別科目、經資門、職能別等欄沒有下拉清單；"
                         "請改在命令列執行 xlbudget next-year 本檔.xlsx -o 新年度.xlsx（已設定好），或自行設定。")
        if note := xb.unset_note(unset, made="xlbudget next-year 產生的活頁簿"):
            lines.append(note)
        if formulas:
            lines += formulas.splitlines()
        if plan.empty_finals:
            lines.append(f"前年度決算數無法由本預算書帶入，請於決算公布後在新活頁簿填入以下 {len(plan.empty_finals)} 格：")
            lines += [f"  - {cell}" for cell in plan.empty_finals]
        lines.append("總說明的文字仍是本年度的內容，請改寫；標準數字句會在產生報表時重新產生。")
        if reminder := as_is_reminder(plan):
            lines += reminder.splitlines()
        if manual and kept:  # the new book is in this Excel, calculated by hand too
            manual[0] += "新活頁簿同樣是手動計算：保留的公式請按 F9 重新計算後再存檔。"
        return lines + manual

    _run_button("新年度", book, job)


def _pdf_path(book) -> Path:
    """Beside the workbook, named like it (.pdf); in the home folder for a book never saved."""
    full = Path(str(book.fullname))
    folder = full.parent if full.is_absolute() else Path.home()
    return folder / (full.stem + ".pdf")


def excel_pdf(app, xlsx, work):
    """Render the workbook file ``xlsx`` to PDF through Excel itself (xlwings Book.to_pdf, every sheet).

    Printed together, Excel numbers the pages on through the sheets, as LibreOffice does.
    """
    pdf = work / "excel" / (xlsx.stem + ".pdf")
    pdf.parent.mkdir(exist_ok=True)
    opened = app.books.open(str(xlsx), update_links=False, read_only=True)
    try:
        opened.to_pdf(str(pdf))
    finally:
        opened.close()
    return pdf


def publish_live(book, target, render_pdf):
    """The book as published (publish.publish_book) from this book's input sheets; this book is not changed."""
    from openpyxl import Workbook

    from xlbudget.adapters.printing import write_tables
    from dataclasses import replace

    from xlbudget.app.publish import publish_book
    from xlbudget.app.stale import PUBLISHED_FROM_INPUTS

    from xlbudget.rules.checks import check_inputs

    model, findings = _read(book)
    tables = derive_all(model)
    wb = Workbook()  # the sheets to print are written into a separate file, never into this book
    write_tables(wb, tables, model.agency)
    # the findings xlbudget pdf has (pipeline.build_workbook's), so the button counts the errors it counts; a book
    # edited after 產生報表 first (tables-stale), as pdf says it: the PDF is right, this book's own tables are not
    stale = _stale_live(book, model, tables)
    findings = ([replace(stale, message=f"{stale.message}。{PUBLISHED_FROM_INPUTS}")] if stale is not None else []) \
        + list(findings) + check_inputs(model)
    return publish_book(model, wb, tables, target, render_pdf, findings)


def published_lines(result) -> list[str]:
    """輸出PDF's lines on 執行紀錄: the PDF, its pages, the errors the book has (written, but not fit to publish:
    xlbudget pdf exits 1 on them) and the 目次 ranges."""
    lines = [f"輸出PDF：已輸出 {result.output}（共 {result.pages} 頁），本活頁簿未被更動。"
             + (f"但本書有錯誤 {result.errors} 項，請按「檢核」標示並修正後再出版。" if result.errors else "")
             + "目次頁次："]
    lines += [f"  {label}　第{first:02d}頁至第{last:02d}頁" for label, (first, last) in result.ranges.items()]
    return lines + [f"警告：{f.message}。" for f in result.findings if f.rule == "tables-stale"]


@xw.script
def export_pdf(book: xw.Book = None):
    """輸出PDF: 目次, 預算總說明 and every table as one PDF beside this book, through Excel; this book is not changed."""
    def job(book):
        if type(book.impl).__module__.endswith("_xlremote"):
            raise XlbudgetError("輸出PDF：Excel 網頁版／xlwings Lite 無法由增益集輸出 PDF，本活頁簿未被更動。"
                                "請在桌面版 Excel 按「輸出PDF」，或在命令列執行 xlbudget pdf 本檔.xlsx（需安裝 LibreOffice）。")
        return published_lines(publish_with_progress(book, functools.partial(excel_pdf, book.app))) \
            + _manual_calc(book, "輸出PDF")[1]

    _run_button("輸出PDF", book, job)


def _status_bar(app, text) -> None:
    """Excel's status bar (app.status_bar) says ``text``; False gives it back to Excel. An Excel without one
    (xlwings Lite, Server) is left as it is."""
    try:
        app.status_bar = text
    except Exception:  # NotImplementedError on the web, an Excel refusing it: the button goes on without
        pass


def publish_with_progress(book, render_pdf):
    """publish_live into the PDF beside ``book``, Excel's status bar saying what is being done meanwhile: reading
    and laying out the tables, then each rendering (publish renders again until the 目次's page ranges hold still:
    two or three times, each a while for Excel); given back to Excel at the end, whatever happened."""
    from itertools import count

    passes = count(1)

    def render(xlsx, work):
        _status_bar(book.app, f"xlbudget 輸出PDF：Excel 輸出 PDF 中（第 {next(passes)} 次；依頁次填入目次後再輸出一次核對），"
                              "請稍候…")
        return render_pdf(xlsx, work)

    _status_bar(book.app, "xlbudget 輸出PDF：讀取輸入資料、產生預算表中，請稍候…")
    try:
        return publish_live(book, _pdf_path(book), render)
    finally:
        _status_bar(book.app, False)
