"""轉換摘要.xlsx, written with XlsxWriter (xlsxbook.write_report), is the book openpyxl wrote before, cell by cell.

The reference below is the openpyxl writer convert used until issue 13 (write_summary, 摘要 and 彙總 sheets,
printing.write_layout for both tables; the 彙計表 since on a sheet of its own): values, types, styles, merges, sizes, page setup and margins are
compared as openpyxl reads them back (test_fresh_books.describe). One difference is allowed: openpyxl's
bold header font names no font, which Excel shows in the default font; XlsxWriter names it (Calibri 11).
"""

import shutil
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from conftest import zip_entries
from test_fresh_books import describe, differences
from xlbudget.adapters.printing import apply_page, write_layout
from xlbudget.app.convert import convert_paths
from xlbudget.app.summary import (LEFT_OUT_TITLE, SUMMARY_COLUMNS, SUMMARY_XLSX, citywide_tables, citywide_year,
                                  flagged_line, left_out_line, left_out_table, rounding_gap, rounding_line)
from xlbudget.core.formulas import keep_text
from xlbudget.core.model import Agency
from xlbudget.forms.layout import layout_table, title_columns
from xlbudget.forms.pages import wide_list_page

WORKBOOKS = Path(__file__).resolve().parent.parent / "workbooks"


def openpyxl_summary(results, path: Path) -> None:
    """轉換摘要.xlsx as convert wrote it with openpyxl (the reference)."""
    agency_table, summary_table = citywide_tables(results)
    wb = Workbook()
    ws = wb.active
    ws.title = "摘要"
    ws.append([title for title, _ in SUMMARY_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in results:
        ws.append([getattr(r, key) for _, key in SUMMARY_COLUMNS])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            keep_text(cell)
    widths = (36, 36, 24, 12, 6, 14, 6, 6, 6, 8, 10, 60, 20, 24, 8, 60, 24)  # 機關編號 12 (session 35)
    for col, width in zip("ABCDEFGHIJKLMNOPQ", widths):
        ws.column_dimensions[col].width = width
    apply_page(ws, wide_list_page(widths))  # printed as a wide table is (it had no page setup: 7 portrait pages)
    counted = [r for r in results if (r.by_object or r.budget_line) and not r.left_out]
    city = Agency("彙總（" + "、".join(sorted({r.agency for r in counted if r.agency}))[:60] + "）", "", 0, "", "")
    year = citywide_year(results, counted)
    sheet = wb.create_sheet("彙總")
    first, second = layout_table(agency_table, city), layout_table(summary_table, city)
    for layout in (first, second):
        layout.values[2][0] = year
    write_layout(sheet, first)
    left_out = [r for r in results if r.left_out]
    flagged = sum(1 for r in counted if r.errors)
    below = [(left_out_line(len(left_out)), True)] if left_out else []
    # since field report 9: how many books counted have errors, and the totals' 尾差 (each table its own)
    below += [(flagged_line(flagged, False), True)] if flagged else []
    below += [(rounding_line(rounding_gap(agency_table)), False)] if rounding_gap(agency_table) else []
    for n, (text, bold) in enumerate(below):
        sheet.cell(len(first.values) + 3 + n, 1, text).font = Font(bold=bold)
    if left_out:  # since its long 說明 printed the 彙總 tiny: a line under the table, the list a table of its own
        listed = layout_table(left_out_table(results), city)
        listed.values[2][0] = year
        write_layout(wb.create_sheet(LEFT_OUT_TITLE), listed)
    # since the 彙計表 prints across pages (one column an agency), on a sheet of its own
    sheet = wb.create_sheet("彙總—各項費用彙計表")
    write_layout(sheet, second, title_cols=title_columns(summary_table))
    below = [(flagged_line(flagged, True), True)] if flagged else []
    below += [(rounding_line(rounding_gap(summary_table)), False)] if rounding_gap(summary_table) else []
    columns = [1] if len(second.pages) == 1 else [max(first, 2) for first, _ in second.pages]  # each page's own
    for n, (text, bold) in enumerate(below):
        for column in columns:
            sheet.cell(len(second.values) + 3 + n, column, text).font = Font(bold=bold)
    wb.save(path)


def _default_font(book: dict) -> dict:
    """A bold font naming no font is the default one, Calibri 11."""
    for name in book["order"]:
        for ref, (value, kind, data_type, style) in book[name]["cells"].items():
            if style[0][0] is None:
                style = ((("Calibri",) + style[0][1:]),) + style[1:]
                book[name]["cells"][ref] = (value, kind, data_type, style)
    return book


def test_the_summary_book_is_the_one_openpyxl_wrote(tmp_path):
    books = tmp_path / "books"
    books.mkdir()
    for p in WORKBOOKS.glob("*.xlsx"):  # three examples (three years: two left out) and the empty template (unreadable)
        shutil.copy(p, books / p.name)
    # under formula-like names, another 臺中 agency (+甲: the 彙總 is 臺中's, 2 agencies to 1, as it counts agencies)
    # and a copy of the 高雄 example (=乙, left out: another 縣市)
    import openpyxl

    other = openpyxl.load_workbook(WORKBOOKS / "範例-臺中市政府主計處115年度.xlsx")
    other["基本資料"]["B2"], other["基本資料"]["B3"] = "臺中市政府甲局", "02-099"
    other.save(books / "+甲.xlsx")
    shutil.copy(WORKBOOKS / "範例-高雄市政府資訊中心113年度.xlsx", books / "=乙.xlsx")
    code, results = convert_paths([str(books)], str(tmp_path / "out"), jobs=1)
    assert sum(bool(r.left_out) for r in results) >= 3
    assert any(r.left_out_note.startswith("=") for r in results)  # text that reads as a formula stays text
    openpyxl_summary(results, tmp_path / "openpyxl.xlsx")
    assert differences(_default_font(describe(tmp_path / "openpyxl.xlsx")),
                       _default_font(describe(tmp_path / "out" / SUMMARY_XLSX))) == []


def test_the_summary_book_is_zipped_as_xlsxwriter_zips_it(tmp_path, monkeypatch):
    """write_report zips its parts from memory (xlsxbook.zip_parts), byte for byte as XlsxWriter's default mode
    does from one temporary file a part: every entry's name, date, mode, compression, size and bytes."""
    import zipfile

    import xlsxwriter

    from xlbudget.adapters import xlsxbook

    rows = [(0, 0, "檔案", True), (0, 1, "歲出合計（千元）", True), (1, 0, "甲.xlsx", False), (1, 1, 15_006, False),
            (2, 0, "=乙.xlsx", False)]
    agency_table, _ = citywide_tables([])
    sheets = [("摘要", rows, [], {0: 36, 1: 20}, wide_list_page((36, 20))),
              ("彙總", [], [(0, layout_table(agency_table, Agency("彙總", "", 0, "", "")))], {}, None)]
    xlsxbook.write_report(tmp_path / "ours.xlsx", sheets)
    monkeypatch.setattr(xlsxbook, "_unzipped", lambda parts: xlsxwriter.Workbook(str(tmp_path / "theirs.xlsx"),
                                                                                  xlsxbook.OPTIONS))
    monkeypatch.setattr(xlsxbook, "zip_parts", lambda target, parts: None)  # XlsxWriter zips its temporary files
    xlsxbook.write_report(tmp_path / "theirs.xlsx", sheets)

    ours, theirs = zip_entries(tmp_path / "ours.xlsx"), zip_entries(tmp_path / "theirs.xlsx")
    assert [e[0] for e in ours] == [e[0] for e in theirs] and len(ours) == 11
    assert ours == theirs
    with zipfile.ZipFile(tmp_path / "ours.xlsx") as a, zipfile.ZipFile(tmp_path / "theirs.xlsx") as b:
        if a.read("docProps/core.xml") == b.read("docProps/core.xml"):  # written in the same second
            assert (tmp_path / "ours.xlsx").read_bytes() == (tmp_path / "theirs.xlsx").read_bytes()
