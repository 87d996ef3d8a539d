"""Field report 11 §2.2 (f08, f14): what an officer sets on a built table sheet before printing it — its tab colour,
landscape and fit to one page wide, a print area, a name of his scoped to the sheet — and a table sheet he hid, were
all dropped by the next build without a word (his formula on the name then shows #NAME?). Kept now where it still
fits: the page setup, tab colour and sheet state always; a name or print area where the rows it covers are as
before (the test kept_notes uses for notes), and named otherwise (table-name-removed), with the formulas that use it.
"""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app import splicebuild
from xlbudget.app.example import example_workbook
from xlbudget.app.pipeline import build_file
from xlbudget.derive.schedules import SUMMARY

TRIPS, CONTRACTS = "派員出國計畫預算總表", "約聘僱人員費用分析表"


def _set_up(tmp_path, change=None):
    """The example built, then set by the officer as f08 and f14 do: on 各項費用彙計表 (SUMMARY) a purple tab,
    landscape, fit to 1 page wide, print area A1:E20, the names 彙計表合計 (D7, in the table) and 表外 (H50, beside
    the 4-column table); his sheet 摘要 using both; two table sheets hidden. ``change``: an edit of the built book."""
    source = save_atomic(example_workbook(), tmp_path / "範例.xlsx")
    built = build_file(source, tmp_path / "預算.xlsx").output
    wb = openpyxl.load_workbook(built)
    t = wb[SUMMARY]
    t.print_area = "A1:E20"
    t.sheet_properties.tabColor = "7030A0"
    t.page_setup.orientation = "landscape"
    t.page_setup.fitToWidth = 1
    t.defined_names["彙計表合計"] = DefinedName("彙計表合計", attr_text=f"'{SUMMARY}'!$D$7")
    t.defined_names["表外"] = DefinedName("表外", attr_text=f"'{SUMMARY}'!$H$50")
    mine = wb.create_sheet("摘要")
    mine["B1"], mine["B2"], mine["B3"] = f"='{SUMMARY}'!彙計表合計", f"='{SUMMARY}'!表外*2", "=SUM(1,2)"
    wb[TRIPS].sheet_state = "hidden"
    wb[CONTRACTS].sheet_state = "veryHidden"
    if change:
        change(wb)
    return save_atomic(wb, built)


def _settings(path):
    """(names scoped to SUMMARY {name: text}, tab colour, orientation, fitToWidth, states of the two hidden sheets)."""
    x = zipfile.ZipFile(path).read("xl/workbook.xml").decode()
    sheets = re.findall(r'<(?:\w+:)?sheet [^>]*name="([^"]+)"', x)
    names = {}
    for m in re.finditer(r'<(?:\w+:)?definedName ([^>]*)>([^<]*)<', x):
        local = re.search(r'localSheetId="(\d+)"', m[1])
        if local and sheets[int(local[1])] == SUMMARY and "_xlbudget" not in m[1]:
            names[re.search(r'name="([^"]+)"', m[1])[1]] = m[2]
    wb = openpyxl.load_workbook(path)
    t = wb[SUMMARY]
    return (names, t.sheet_properties.tabColor.rgb if t.sheet_properties.tabColor else None,
            t.page_setup.orientation, t.page_setup.fitToWidth, wb[TRIPS].sheet_state, wb[CONTRACTS].sheet_state)


@pytest.mark.parametrize("spliced", [True, False])
def test_rebuild_keeps_what_the_officer_set_on_a_table_sheet(tmp_path, monkeypatch, spliced):
    """Red on main: after the rebuild no tab colour, portrait, fitToWidth None, both sheets visible, the print
    area and 彙計表合計 gone, and no finding names them; on both ways of building (the openpyxl way: red before
    pipeline._keep_settings)."""
    book = _set_up(tmp_path)
    if not spliced:
        monkeypatch.setattr(splicebuild, "splice_build", lambda *args: None)
    names, colour, orientation, fit, trips, contracts = _settings(book)
    assert (names["彙計表合計"], names["_xlnm.Print_Area"], colour, orientation, fit, trips, contracts) == (
        f"'{SUMMARY}'!$D$7", f"'{SUMMARY}'!$A$1:$E$20", "007030A0", "landscape", 1, "hidden", "veryHidden")
    result = build_file(book)  # in place, as f08
    assert result.spliced == spliced
    names_after, *rest = _settings(book)
    assert rest == [colour, orientation, fit, "hidden", "veryHidden"]
    assert names_after["彙計表合計"] == names["彙計表合計"] and names_after["_xlnm.Print_Area"] == names["_xlnm.Print_Area"]
    assert "表外" not in names_after  # H50, beside the table build rewrites: named, with the formula using it
    removed = [(f.cell.sheet, f.cell.cell, f.message) for f in result.findings if f.rule == "table-name-removed"]
    assert [(s, c) for s, c, _ in removed] == [(SUMMARY, "H50")], removed
    assert "名稱「表外」" in removed[0][2] and "摘要!B2" in removed[0][2] and "摘要!B1" not in removed[0][2]
    assert result.backup.name in removed[0][2]
    if not spliced:
        return
    # built again, nothing set since: the same file
    again = build_file(book, tmp_path / "again.xlsx")
    with zipfile.ZipFile(book) as a, zipfile.ZipFile(again.output) as b:
        assert {n: a.read(n) for n in a.namelist()} == {n: b.read(n) for n in b.namelist()}


@pytest.mark.parametrize("spliced", [True, False])
def test_a_name_and_print_area_over_rows_that_changed_are_named_not_kept(tmp_path, monkeypatch, spliced):
    """The officer overwrote 各項費用彙計表's row 3 (its words differ from the new table's from row 3 on): D7 and the
    print area A1:E20 no longer cover what they covered; each is named (table-name-removed), the formula using
    彙計表合計 with it; the tab colour, page setup and sheet states are still his. Red on main: no finding."""
    book = _set_up(tmp_path, lambda wb: wb[SUMMARY].cell(3, 1, "自行修改的表頭"))
    if not spliced:
        monkeypatch.setattr(splicebuild, "splice_build", lambda *args: None)
    result = build_file(book, tmp_path / "輸出.xlsx")
    assert result.spliced == spliced
    names, *rest = _settings(result.output)
    assert rest == ["007030A0", "landscape", 1, "hidden", "veryHidden"]
    assert set(names) == {"_xlnm.Print_Titles"}
    removed = {f.cell.cell: f.message for f in result.findings if f.rule == "table-name-removed"}
    assert set(removed) == {"A1", "D7", "H50"}, removed
    assert "列印範圍" in removed["A1"] and "$A$1:$E$20" in removed["A1"]
    assert "摘要!B1" in removed["D7"] and "#NAME?" in removed["D7"] and "預算.xlsx" in removed["D7"]


def test_settings_are_read_whatever_prefix_and_written_in_their_place():
    """kept_settings on a sheet saved with a namespace prefix and a printer-settings link (r:id, whose part goes with
    the old sheet), into a generated sheet with other sheetPr content and an empty sheetData: the expected XML by hand."""
    from xlbudget.adapters.splice import kept_settings

    old = (b'<x:worksheet xmlns:x="m" xmlns:r="r"><x:sheetPr><x:tabColor rgb="FF7030A0"/><x:pageSetUpPr fitToPage="1"/>'
           b'</x:sheetPr><x:sheetData></x:sheetData><x:pageMargins left="0.3" right="0.3"/>'
           b'<x:pageSetup paperSize="9" orientation="landscape" fitToWidth="1" r:id="rId1"/></x:worksheet>')
    new = (b'<worksheet xmlns="m"><sheetPr filterMode="0"><outlinePr summaryBelow="1"/><pageSetUpPr fitToPage="1"/>'
           b'</sheetPr><dimension ref="A1"/><sheetData/><printOptions horizontalCentered="1"/>'
           b'<pageMargins left="0.4" right="0.4"/><pageSetup paperSize="9" fitToHeight="0" orientation="portrait"/>'
           b'<headerFooter><oddFooter>&amp;P</oddFooter></headerFooter></worksheet>')
    assert kept_settings(old, new) == (
        b'<worksheet xmlns="m"><sheetPr filterMode="0"><tabColor rgb="FF7030A0"/><outlinePr summaryBelow="1"/>'
        b'<pageSetUpPr fitToPage="1"/></sheetPr><dimension ref="A1"/><sheetData/>'
        b'<pageMargins left="0.3" right="0.3"/><pageSetup paperSize="9" orientation="landscape" fitToWidth="1"/>'
        b'<headerFooter><oddFooter>&amp;P</oddFooter></headerFooter></worksheet>')
    assert kept_settings(new, new) == new  # as build wrote them: the same bytes


def test_a_book_built_the_openpyxl_way_is_rebuilt_as_a_fresh_one(tmp_path):
    """openpyxl writes the same page setup as XlsxWriter in other words (fitToWidth="1", fitToPage="0", attributes in
    another order): rebuilding the demo (its tables built by openpyxl, `xlbudget demo`) keeps nothing of it, each table
    sheet the same bytes as a first build of the same inputs writes. Red with kept_settings comparing attributes as
    written (main's bytes changed on 14 sheets: «orientation="portrait" paperSize="9" fitToHeight="0" fitToWidth="1"»)."""
    from xlbudget.cli import main

    demo = tmp_path / "demo.xlsx"
    assert main(["demo", "-o", str(demo)]) == 0
    fresh = build_file(save_atomic(example_workbook(), tmp_path / "範例.xlsx"), tmp_path / "fresh.xlsx")
    rebuilt = build_file(demo, tmp_path / "rebuilt.xlsx")
    assert rebuilt.spliced and fresh.spliced
    with zipfile.ZipFile(fresh.output) as a, zipfile.ZipFile(rebuilt.output) as b:
        for table in fresh.tables:  # but the style numbers: the demo's styles.xml holds openpyxl's styles first
            unstyled = [re.sub(rb' s="\d+"', b"", z.read(_part(z, table.sheet_name))) for z in (a, b)]
            assert unstyled[0] == unstyled[1], table.sheet_name


def _part(z: zipfile.ZipFile, sheet: str) -> str:
    rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="(\w+)"', z.read("xl/workbook.xml").decode())[1]
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*>', z.read("xl/_rels/workbook.xml.rels").decode())[0]
    return re.search(r'Target="/?(?:xl/)?([^"]+)"', target)[1].join(["xl/", ""])
