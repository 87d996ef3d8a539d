"""A book edited after build (field report 8 §2.5): 歲出明細 changed and saved without 產生報表 / build.

The tables still show what the last build wrote (the seed's 歲出機關別預算表 合計 275,795 千元); the inputs now give
one line 1,000 元 more. check opens with one tables-stale line (what to do, the first cell, both figures) before
its per-cell list; export and compare, which give figures derived from the inputs, say so, and which figures they
used, and exit 1. Known to be build's by each table sheet's record (forms.overwrite.RECORD_NAME): a figure typed
over a table, or tables without a record (made by hand), are not called stale.
"""

from __future__ import annotations

import json

import openpyxl
import pytest

from xlbudget.adapters.printing import write_tables
from xlbudget.adapters.xlsxfile import input_grids, save_atomic
from xlbudget.app.check import check_file
from xlbudget.app.example import example_workbook
from xlbudget.cli import main
from xlbudget.core.findings import Severity
from xlbudget.derive.book import derive_all
from xlbudget.forms.overwrite import RECORD_NAME
from xlbudget.readers.inputs import read_book

AGENCY = "歲出機關別預算表"
# the seed book: 歲出機關別預算表 0002000000 本年度預算數 275,795 千元 (row 7, column F as build prints it), the sum of
# its two 工作計畫, 43,769,000 + 232,026,000 元 (seed 明細表 合計 rows); one line +1,000 元 gives 275,796,000 元
SHOWN, EDITED = 275_795, (43_769_000 + 232_026_000 + 1_000) // 1000


def _built():
    wb = example_workbook()
    book, _ = read_book(input_grids(wb, "x"), "x")
    write_tables(wb, derive_all(book), book.agency)
    return wb


def _edit_line(wb) -> None:
    """One 歲出明細 line's 單價 and 預算數 +1,000 元 (1035 其他給與 624,000 of 行政管理), as the officer types it."""
    ws = wb["歲出明細"]
    header = [c.value for c in ws[1]]
    price, amount = header.index("單價") + 1, header.index("預算數") + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, amount).value == 624_000)
    ws.cell(row, price).value += 1000
    ws.cell(row, amount).value += 1000


@pytest.fixture
def books(tmp_path):
    wb = _built()
    fresh = save_atomic(wb, tmp_path / "fresh.xlsx")
    assert [v for v in next(wb[AGENCY].iter_rows(min_row=7, max_row=7, values_only=True))
            if isinstance(v, int)][0] == SHOWN
    _edit_line(wb)
    return fresh, save_atomic(wb, tmp_path / "stale.xlsx")


@pytest.mark.parametrize("workbook", [False, True], ids=["calamine", "openpyxl"])
def test_check_opens_with_one_rebuild_line(books, workbook):
    """Red on main: no tables-stale rule (the 42 schedule-cell-mismatch alone, first 人事費!I2)."""
    report = check_file(books[1], workbook=workbook)[0]
    first = report.findings[0]
    assert (first.rule, first.severity, first.cell) == ("tables-stale", Severity.ERROR, None)
    assert [(c.sheet, c.cell) for c in first.related] == [(AGENCY, "F7")]
    assert (first.expected, first.actual) == (EDITED, SHOWN)
    assert "預算表未依目前輸入重新產生：請先執行 xlbudget build（或按「產生報表」）" in first.message
    assert f"{SHOWN:,}" in first.message and f"{EDITED:,}" in first.message
    assert [f.rule for f in report.findings].count("tables-stale") == 1
    # the per-cell list is still there, below it
    assert any(f.rule == "schedule-cell-mismatch" and (f.cell.sheet, f.cell.cell) == (AGENCY, "F7")
               for f in report.findings)


def test_a_fresh_book_a_typed_over_cell_and_tables_without_a_record_are_not_stale(books, tmp_path):
    """Only the last build's figures are stale: a figure typed over a built table is the officer's (its own
    schedule-cell-mismatch), and tables with no record (made by hand, or built before records) are not known to be
    build's."""
    fresh, stale = books
    assert not [f for f in check_file(fresh, workbook=False)[0].findings if f.rule == "tables-stale"]
    wb = openpyxl.load_workbook(fresh)
    wb["各項費用彙計表"]["B8"] = 40_000  # typed over a table, inputs unchanged
    typed = save_atomic(wb, tmp_path / "typed.xlsx")
    rules = [f.rule for f in check_file(typed, workbook=False)[0].findings]
    assert "schedule-cell-mismatch" in rules and "tables-stale" not in rules
    wb = openpyxl.load_workbook(stale)
    for ws in wb.worksheets:
        if RECORD_NAME in ws.defined_names:
            del ws.defined_names[RECORD_NAME]
    unrecorded = save_atomic(wb, tmp_path / "unrecorded.xlsx")
    rules = [f.rule for f in check_file(unrecorded, workbook=False)[0].findings]
    assert "schedule-cell-mismatch" in rules and "tables-stale" not in rules


def test_cli_check_says_it_first(books, capsys):
    assert main(["check", str(books[1])]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("[error] stale.xlsx tables-stale: 預算表未依目前輸入重新產生"), lines[:3]


def test_export_says_which_figures_it_gives_and_exits_1(books, tmp_path, capsys):
    """Red on main: exit 0, nothing said, 275,796 exported while every table of the book shows 275,795."""
    fresh, stale = books
    assert main(["export", str(fresh), "-o", str(tmp_path / "fresh.json")]) == 0
    assert capsys.readouterr().err == ""
    assert main(["export", str(stale), "-o", str(tmp_path / "stale.json")]) == 1
    err = capsys.readouterr().err
    assert "stale.xlsx" in err and "預算表未依目前輸入重新產生" in err and f"{SHOWN:,}" in err
    assert "匯出的數字由輸入工作表重算" in err
    records = json.loads((tmp_path / "stale.json").read_text(encoding="utf-8"))
    assert [r["value"] for r in records if r["table"] == AGENCY and r["row_code"] == "0002000000"
            and r["column"] == "本年度預算數"] == [EDITED]


def test_compare_says_it_first_and_exits_1(books, capsys):
    """Red on main: 275,795 → 275,796 (+1) in 歲出機關別預算表 as if the new book printed it, nothing said."""
    fresh, stale = books
    assert main(["compare", str(fresh), str(stale)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("新書 stale.xlsx：預算表未依目前輸入重新產生"), out[:200]
    assert "比較的是由其輸入工作表重算的數字" in out
    assert main(["compare", str(stale), str(stale), "--format", "json"]) == 1
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert [(n["rule"], n["side"]) for n in notes if n["rule"] == "compare-tables-stale"] == [
        ("compare-tables-stale", "old"), ("compare-tables-stale", "new")]
    assert main(["compare", str(fresh), str(fresh)]) == 0
    assert "重新產生" not in capsys.readouterr().out


def test_check_button_says_the_same(books):
    """The 檢核 button (xlwings, the records read from the live book's names) lists the same tables-stale first."""
    from xlwings_json import book_json, run_script, sheet_order, sheet_values

    import xlbudget.addin as addin

    wb = _built()
    _edit_line(wb)
    payload = book_json(wb)
    actions = run_script(addin, "check_book", payload)
    results = sheet_values(actions, sheet_order(payload, actions).index("檢核結果"))
    header = next(i for i, r in enumerate(results) if r and r[0] == "序號")
    first = results[header + 1]
    assert (first[1], first[2]) == ("錯誤", "tables-stale"), first
    cli = check_file(books[1], workbook=False)[0].findings[0]
    assert cli.message in first


def test_export_button_says_it_too():
    """The 匯出 button writes the inputs' figures as export does, and says on 執行紀錄 what export says (its records
    read from the live book's names, only the sheets whose record differs read). Red before: nothing said."""
    from xlwings_json import book_json, run_script, sheet_order, sheet_values

    import xlbudget.addin as addin

    for edited in (False, True):
        wb = _built()
        if edited:
            _edit_line(wb)
        payload = book_json(wb)
        actions = run_script(addin, "export_data", payload)
        status = [str(r[0]) for r in sheet_values(actions, sheet_order(payload, actions).index("執行紀錄")) if r and r[0]]
        warned = [line for line in status if line.startswith("警告：預算表未依目前輸入重新產生")]
        assert len(warned) == edited, status
        if edited:
            assert f"預算表為 {SHOWN:,}，依目前輸入應為 {EDITED:,}" in warned[0] and "匯出的數字由輸入工作表重算" in warned[0]


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice not installed")
def test_a_book_saved_as_ods_by_libreoffice_keeps_its_records(books, tmp_path, capsys):
    """An officer who works in LibreOffice saves the built book as .ods: LibreOffice keeps each table sheet's record
    as that table's own named expression. The stale one was checked with 48 per-cell errors and no tables-stale
    line, and exported with exit 0 and no word (275,796 千元, a figure no sheet shows), as the .xlsx was before
    c0cbfde; the fresh one is still clean. Red with app.stale.built_records giving {} for an .ods, as it did."""
    import subprocess

    fresh, stale = books
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "ods",
                    "--outdir", str(tmp_path / "ods"), str(fresh), str(stale)], capture_output=True, timeout=600)
    fresh, stale = tmp_path / "ods" / "fresh.ods", tmp_path / "ods" / "stale.ods"
    assert not [f for f in check_file(fresh)[0].findings if f.rule == "tables-stale"]
    first = check_file(stale)[0].findings[0]
    assert (first.rule, [(c.sheet, c.cell) for c in first.related]) == ("tables-stale", [(AGENCY, "F7")])
    assert (first.expected, first.actual) == (EDITED, SHOWN)
    assert main(["export", str(fresh), "-o", str(tmp_path / "fresh.json")]) == 0
    assert capsys.readouterr().err == ""
    assert main(["export", str(stale), "-o", str(tmp_path / "stale.json")]) == 1
    assert "stale.ods" in capsys.readouterr().err


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice not installed")
def test_pdf_says_the_books_tables_are_not_what_it_prints(books, tmp_path, capsys):
    """pdf prints the tables as the inputs derive them (275,796 千元: right), while the book's own 歲出機關別預算表,
    which the officer may send with it, still says 275,795; field report 8 §2.5 found pdf listing 4 errors about
    總說明 and 人事費 and none about that. It now says tables-stale first, with which figures the PDF holds, and exits 1.
    Red with publish_file as before c0cbfde's review (no tables-stale)."""
    fresh, stale = books
    assert main(["pdf", str(stale), "-o", str(tmp_path / "stale.pdf")]) == 1
    out = capsys.readouterr().out
    said = [line for line in out.splitlines() if line.startswith("[")]
    assert said[0].startswith("[error] stale.xlsx tables-stale: 預算表未依目前輸入重新產生"), said[:2]
    assert f"預算表為 {SHOWN:,}，依目前輸入應為 {EDITED:,}" in said[0] and "PDF 的數字由輸入工作表重算" in said[0]


def test_compare_of_two_folders_says_it_too(books, tmp_path, capsys):
    """compare of two folders compares each pair as compare of two books does, and says as it does that a book's
    tables are not what its inputs give. Red before: 「相同 1」, exit 0, nothing said, the pair's figures taken
    from the stale book's inputs (275,796 千元) while its tables print 275,795."""
    import shutil

    fresh, stale = books
    (tmp_path / "舊").mkdir()
    (tmp_path / "新").mkdir()
    shutil.copyfile(stale, tmp_path / "舊" / "甲.xlsx")
    shutil.copyfile(stale, tmp_path / "新" / "甲.xlsx")
    assert main(["compare", str(tmp_path / "舊"), str(tmp_path / "新")]) == 1
    out = capsys.readouterr().out
    assert "相同 1" not in out and "未完整比較 1" in out, out[:300]
    assert "舊書 甲.xlsx：預算表未依目前輸入重新產生" in out and "新書 甲.xlsx：預算表未依目前輸入重新產生" in out
    assert f"預算表為 {SHOWN:,}，依目前輸入應為 {EDITED:,}" in out
    assert main(["compare", str(tmp_path / "舊"), str(tmp_path / "新"), "--format", "json"]) == 1
    row = json.loads(capsys.readouterr().out)["books"][0]
    assert (row["status"], row["uncompared"]) == ("未完整比較", 2) and "預算表未依目前輸入重新產生" in row["message"]
    # fresh books: the same, nothing said
    shutil.copyfile(fresh, tmp_path / "舊" / "甲.xlsx")
    shutil.copyfile(fresh, tmp_path / "新" / "甲.xlsx")
    assert main(["compare", str(tmp_path / "舊"), str(tmp_path / "新")]) == 0
    assert "重新產生" not in capsys.readouterr().out


def test_pdf_button_says_it_too(monkeypatch, tmp_path):
    """The 輸出PDF button publishes the inputs' figures as pdf does and says on 執行紀錄, as pdf and the 匯出 button
    do, that this book's own tables print others (the records read from the live book's names), counted among the
    book's errors. Red before: 「已輸出…」 and no word, no error counted."""
    from xlwings_json import book_json  # before xlwings: it sets XLWINGS_ON_SERVER

    import xlwings as xw

    from xlbudget.addin import buttons
    from xlbudget.app import publish

    monkeypatch.setattr(publish, "publish_book", lambda model, wb, tables, target, render, findings:
                        publish.PublishResult(target, 23, {"甲、預算總說明": (1, 3)}, findings))
    for edited in (False, True):
        wb = _built()
        if edited:
            _edit_line(wb)
        live = xw.Book(json=json.loads(json.dumps(book_json(wb, "範例.xlsx"))))
        try:
            result = buttons.publish_live(live, tmp_path / "範例.pdf", None)
        finally:
            live.close()
        lines = buttons.published_lines(result)
        warned = [line for line in lines if line.startswith("警告：預算表未依目前輸入重新產生")]
        assert len(warned) == edited, lines
        assert [f.rule for f in result.findings].count("tables-stale") == edited  # first, and among the errors
        assert (result.findings[0].rule == "tables-stale") == edited and ("但本書有錯誤" in lines[0]) == edited
        if edited:
            assert f"預算表為 {SHOWN:,}，依目前輸入應為 {EDITED:,}" in warned[0] and "PDF 的數字由輸入工作表重算" in warned[0]


# ------------------------------------------------------------ words edited after build (說明, 說明提要)

NOTE_CELL = ("歲出計畫說明提要與各項費用明細表", "F14")  # 歲出明細 row 3's 說明 「約聘人員薪資。」 as build prints it


def _edit_note(wb, text="約聘人員薪資（含加班費）。") -> None:
    """歲出明細 row 3's 說明 (1020 約聘僱人員待遇 of 行政管理, 4,410,710 元) changed, no figure."""
    ws = wb["歲出明細"]
    cell = ws.cell(3, [c.value for c in ws[1]].index("說明") + 1)
    assert cell.value == "約聘人員薪資。"
    cell.value = text


@pytest.mark.parametrize("workbook", [False, True], ids=["calamine", "openpyxl"])
def test_a_note_edited_after_build_is_stale(tmp_path, workbook, capsys):
    """An officer changes one line's 說明 in 歲出明細 and does not build again: the printed 明細表 still says the old
    words and nothing said so (only figures were compared). check now opens with tables-stale at the 明細表's cell,
    with what it shows and what the inputs give; export exits 1 and says it. Red before: no tables-stale, exit 0."""
    wb = _built()
    _edit_note(wb)
    book = save_atomic(wb, tmp_path / "note.xlsx")
    first = check_file(book, workbook=workbook)[0].findings[0]
    assert (first.rule, [(c.sheet, c.cell) for c in first.related]) == ("tables-stale", [NOTE_CELL])
    assert "預算表為 「約聘人員薪資。」，依目前輸入應為 「約聘人員薪資（含加班費）。」（共 1 張表 1 格不同）" in first.message
    assert main(["export", str(book), "-o", str(tmp_path / "note.json")]) == 1
    assert "預算表未依目前輸入重新產生" in capsys.readouterr().err


def test_a_plan_summary_edited_after_build_is_stale(tmp_path):
    """說明提要 of 32020180101 changed after build: the 明細表's 「歲出計畫說明：…」 banner (A7, merged across the table)
    still prints the old paragraph. Red before: nothing said."""
    wb = _built()
    ws = wb["說明提要"]
    assert ws["A2"].value == "32020180101"
    ws["C2"] = ws["C2"].value.replace("圓滿達成", "如期達成")
    book = save_atomic(wb, tmp_path / "summary.xlsx")
    first = check_file(book, workbook=False)[0].findings[0]
    assert (first.rule, [(c.sheet, c.cell) for c in first.related]) == (
        "tables-stale", [("歲出計畫說明提要與各項費用明細表", "A7")])


def test_words_typed_over_a_table_or_spaced_otherwise_are_not_stale(tmp_path):
    """Not stale: words typed over the built table (the officer's: band and column group both changed), and a 說明
    edited only in its spaces (the table prints the same words)."""
    wb = _built()
    wb[NOTE_CELL[0]][NOTE_CELL[1]] = "約聘人員薪資（手改）。"
    typed = save_atomic(wb, tmp_path / "typed.xlsx")
    assert not [f for f in check_file(typed, workbook=False)[0].findings if f.rule == "tables-stale"]
    wb = _built()
    _edit_note(wb, " 約聘人員 薪資。")
    spaced = save_atomic(wb, tmp_path / "spaced.xlsx")
    assert not [f for f in check_file(spaced, workbook=False)[0].findings if f.rule == "tables-stale"]
