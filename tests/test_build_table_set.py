"""Field report 10 §1.1: a rebuild whose inputs give another set of tables than the last build.

(a) A table the last build did not write (公務車輛 filled in, a trip of a new 類別) was spliced in under the 目次's
relationship Id: workbook.xml.rels held two relationships rId19 (the 目次's part and 公務車輛明細表's), and the
目次 sheet showed the new table. Every relationship Id of every .rels part is unique after any rebuild.
(b) A table sheet the last build wrote that this build no longer writes (the 類別表 of a class no longer used, a
removed trip's 總表) stayed with last build's figures, unsaid: it is taken out and named (table-sheet-removed,
where it is kept), on both build paths. The officer's own sheets, and a copy Excel made of a table sheet, stay.

The seed's one trip (seed book, 派員出國計畫預算類別表 - 考察、訪問): 參與國際展會, 交通費 160 + 生活費 220 + 辦公費 20 =
400 千元, the example's 出國計畫 row 2 (160,000 + 220,000 + 20,000 元).
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter

import openpyxl
import pytest

from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app import splicebuild
from xlbudget.app.example import example_workbook
from xlbudget.app.pipeline import build_file

OLD_KIND = "派員出國計畫預算類別表—考察、訪問"
NEW_KIND = "派員出國計畫預算類別表—開會"
TRIPS_SUMMARY = "派員出國計畫預算總表"


def _built(tmp_path, edit):
    """The example built once (the last build), then edited by the officer with ``edit`` (openpyxl, as the field
    scripts do)."""
    source = save_atomic(example_workbook(), tmp_path / "範例.xlsx")
    built = build_file(source, tmp_path / "built.xlsx").output
    wb = openpyxl.load_workbook(built)
    edit(wb)
    return save_atomic(wb, tmp_path / "edited.xlsx")


def _duplicate_ids(path) -> dict[str, list[str]]:
    """{.rels part: its relationship Ids given more than once}."""
    found = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".rels"):
                ids = Counter(re.findall(rb'<Relationship\b[^>]*\bId="([^"]+)"', z.read(name)))
                if twice := [i.decode() for i, n in ids.items() if n > 1]:
                    found[name] = twice
    return found


def _add_vehicle(wb):
    wb["公務車輛"].append(["32020180101", "現有", 1, "小客車", 5, "1080101", 1800, 7120, 4800, 1500, 30, 45000, 30000,
                         12000, 0, None])


def _meeting(wb):
    wb["出國計畫"]["B2"] = "開會"


def _no_trip(wb):
    wb["出國計畫"].delete_rows(2)
    wb["歲出明細"]["G41"] = wb["歲出明細"]["H41"] = 0


@pytest.mark.parametrize("edit", [_add_vehicle, _meeting])
def test_a_rebuild_adding_a_table_keeps_the_contents_sheet_and_every_id_unique(tmp_path, edit):
    """Red on main (splice._splice's used_ids left out the replaced sheets' Ids): edited.xlsx rebuilt had two
    rId19 in xl/_rels/workbook.xml.rels, and 目次!A2 read 「公務車輛明細表」 / 「派員出國計畫預算類別表—開會」."""
    edited = _built(tmp_path, edit)
    result = build_file(edited, tmp_path / "again.xlsx")
    assert result.spliced
    assert _duplicate_ids(result.output) == {}
    wb = openpyxl.load_workbook(result.output)
    assert wb["目次"]["A2"].value == "目次"
    new = "公務車輛明細表" if edit is _add_vehicle else NEW_KIND
    assert wb[new]["A2"].value == new
    assert "甲、預算總說明" in [c.value for c in wb["目次"]["A"]]


@pytest.mark.parametrize("spliced", [True, False])
def test_a_table_no_longer_built_is_removed_and_named(tmp_path, monkeypatch, spliced):
    """The trip's 類別 考察 → 開會: one 類別表, —開會, with the seed's 400 千元 (160 + 220 + 20); the 考察、訪問 one,
    last build's, gone and named with where it is kept. Red on main: both 類別表 in the book (400 each) and no word.
    The officer's own sheet and Excel's copy of the old 類別表 (its record copied with it) stay."""
    if not spliced:
        monkeypatch.setattr(splicebuild, "splice_build", lambda *args: None)

    def edit(wb):
        _meeting(wb)
        wb.copy_worksheet(wb[OLD_KIND]).title = OLD_KIND[:27] + " (2)"  # as Excel names a copy (31 characters)
        record = wb[OLD_KIND].defined_names["_xlbudget_built"]
        wb[OLD_KIND[:27] + " (2)"].defined_names["_xlbudget_built"] = type(record)(
            "_xlbudget_built", attr_text=record.attr_text, hidden=True)
        wb.create_sheet("派員出國計畫預算類別表—我的草稿")["A1"] = "自己的草稿"  # no record: the officer's own

    edited = _built(tmp_path, edit)
    result = build_file(edited)  # in place: the dated backup keeps the old 類別表
    assert result.spliced == spliced and result.backup is not None
    wb = openpyxl.load_workbook(result.output)
    kinds = [n for n in wb.sheetnames if n.startswith("派員出國計畫預算類別表")]
    assert sorted(kinds) == sorted([NEW_KIND, OLD_KIND[:27] + " (2)", "派員出國計畫預算類別表—我的草稿"])
    assert wb[NEW_KIND]["K8"].value == 160 + 220 + 20
    assert [wb[TRIPS_SUMMARY][f"{c}8"].value for c in "AD"] == ["開會", 400]  # 考察 (row 6) none
    assert wb[TRIPS_SUMMARY]["D6"].value is None
    assert wb["目次"]["A2"].value == "目次" and _duplicate_ids(result.output) == {}
    named = [f for f in result.findings if f.rule == "table-sheet-removed"]
    assert [(f.cell.sheet, f.severity.value) for f in named] == [(OLD_KIND, "warning")]
    assert f"「{OLD_KIND}」" in named[0].message and result.backup.name in named[0].message
    assert OLD_KIND in openpyxl.load_workbook(result.backup).sheetnames  # where the message says it is


@pytest.mark.parametrize("spliced", [True, False])
def test_a_removed_trip_takes_its_tables_with_it(tmp_path, monkeypatch, spliced):
    """The only trip removed (its 2078 line set to 0): no 總表, no 類別表 — last build's (400 千元 each) taken out
    and named, the original (-o) keeping them. Red on main: both stayed, printing a trip that no longer exists."""
    if not spliced:
        monkeypatch.setattr(splicebuild, "splice_build", lambda *args: None)
    edited = _built(tmp_path, _no_trip)
    result = build_file(edited, tmp_path / "again.xlsx")
    assert result.spliced == spliced
    names = openpyxl.load_workbook(result.output).sheetnames
    assert TRIPS_SUMMARY not in names and OLD_KIND not in names and "目次" in names
    named = sorted(f.cell.sheet for f in result.findings if f.rule == "table-sheet-removed")
    assert named == sorted([TRIPS_SUMMARY, OLD_KIND])
    assert all("edited.xlsx" in f.message for f in result.findings if f.rule == "table-sheet-removed")
    assert _duplicate_ids(result.output) == {}


def test_check_names_a_table_sheet_the_inputs_no_longer_give(tmp_path):
    """The 類別 changed and the book not built again: check reads no rule on the 考察、訪問 類別表 (its title is not
    among the tables the inputs give) and said nothing of it. Red on main: no finding on that sheet."""
    from xlbudget.app.check import check_values

    edited = _built(tmp_path, _meeting)
    report = check_values(edited)
    named = [(f.cell.sheet, f.severity.value) for f in report.findings if f.rule == "table-sheet-left-behind"]
    assert named == [(OLD_KIND, "warning")]
    rebuilt = build_file(edited, tmp_path / "again.xlsx").output  # built again: removed, nothing left to say
    assert [f for f in check_values(rebuilt).findings if f.rule == "table-sheet-left-behind"] == []


def test_the_button_names_a_table_sheet_the_inputs_no_longer_give_and_deletes_nothing(tmp_path):
    """產生報表 cannot undo a deletion nor keep a backup: it names the 考察、訪問 類別表 on 執行紀錄 and leaves it.
    Red on main: 執行紀錄 said nothing of it."""
    from xlwings_json import book_json, run_script, sheet_order, sheet_values

    from xlbudget.addin import buttons as addin

    payload = book_json(openpyxl.load_workbook(_built(tmp_path, _meeting)))
    actions = run_script(addin, "build_schedules", payload)
    order = sheet_order(payload, actions)
    status = [str(r[0]) for r in sheet_values(actions, order.index("執行紀錄")) if r and r[0]]
    said = [line for line in status if "table-sheet-left-behind" in line]
    assert len(said) == 1 and said[0].startswith(f"警告：「{OLD_KIND}」是上次產生的預算表"), status
    assert OLD_KIND in order and NEW_KIND in order


@pytest.mark.parametrize("spliced", [True, False])
def test_the_officers_formulas_and_names_on_a_removed_table_are_named_with_it(tmp_path, monkeypatch, spliced):
    """The 類別 changed, and the officer's sheet 摘要 reads the old 類別表's 合計 K8 directly (A1), through his name
    考察合計 (A2), and not at all (A3): the rebuild takes the 類別表 out and his A1, A2 show #REF! (LibreOffice: #NAME?,
    the rich book rendered). Red on main: the warning named the sheet only («…已自活頁簿移除；原表保留在 …»)."""
    from openpyxl.workbook.defined_name import DefinedName

    if not spliced:
        monkeypatch.setattr(splicebuild, "splice_build", lambda *args, **kwargs: None)

    def edit(wb):
        _meeting(wb)
        ws = wb.create_sheet("摘要")
        ws["A1"], ws["A2"], ws["A3"] = f"='{OLD_KIND}'!K8", "=考察合計+1", "=各項費用彙計表!D7"
        wb.defined_names["考察合計"] = DefinedName("考察合計", attr_text=f"'{OLD_KIND}'!$K$8")
        wb.defined_names["彙計"] = DefinedName("彙計", attr_text="各項費用彙計表!$D$7")

    result = build_file(_built(tmp_path, edit), tmp_path / "again.xlsx")
    assert result.spliced == spliced
    named = [f for f in result.findings if f.rule == "table-sheet-removed"]
    assert [f.cell.sheet for f in named] == [OLD_KIND]
    assert "已自活頁簿移除（摘要!A1、摘要!A2、名稱「考察合計」 參照此表，將顯示 #REF!）；原表保留在 edited.xlsx" \
        in named[0].message


@pytest.mark.parametrize("spliced", [True, False])
@pytest.mark.parametrize("edit", [_add_vehicle, _meeting])
def test_a_table_a_rebuild_adds_goes_where_the_contents_puts_it(tmp_path, monkeypatch, spliced, edit):
    """A table the rebuild adds (公務車輛明細表; the 類別表 of a trip now 開會) sits among the tables in 目次 order,
    not after the officer's own sheet 我的圖表 (last tab): the book's table sheets in tab order are the 目次's lines
    in its order, as the printed book prints them. Red on main: the new sheet after 我的圖表."""
    if not spliced:
        monkeypatch.setattr(splicebuild, "splice_build", lambda *args: None)

    def edited(wb):
        edit(wb)
        wb.create_sheet("我的圖表")["A1"] = "科長要的圖"

    result = build_file(_built(tmp_path, edited), tmp_path / "again.xlsx")
    assert result.spliced == spliced
    wb = openpyxl.load_workbook(result.output)
    new = "公務車輛明細表" if edit is _add_vehicle else NEW_KIND
    assert wb.sheetnames[-1] == "我的圖表"
    # the sheets the 目次's lines link to, in its order
    listed = [c.hyperlink.location.split("!")[0].strip("'") for c in wb["目次"]["A"] if c.hyperlink is not None]
    assert new in listed
    assert [n for n in wb.sheetnames if n in listed] == listed


def test_the_button_puts_a_table_it_adds_where_the_contents_puts_it(tmp_path):
    """產生報表 adds 公務車輛明細表 among the tables, as build does, not after the officer's 我的圖表.
    Red on main: added after the last sheet (我的圖表)."""
    from xlwings_json import book_json, run_script, sheet_order

    from xlbudget.addin import buttons as addin

    def edited(wb):
        _add_vehicle(wb)
        wb.create_sheet("我的圖表")["A1"] = "科長要的圖"

    built = _built(tmp_path, edited)
    expected = openpyxl.load_workbook(build_file(built, tmp_path / "again.xlsx").output).sheetnames
    payload = book_json(openpyxl.load_workbook(built))
    order = sheet_order(payload, run_script(addin, "build_schedules", payload))
    assert [n for n in order if n in expected] == [n for n in expected if n in order]
    assert order.index("公務車輛明細表") < order.index("我的圖表")


@pytest.mark.parametrize("spliced", [True, False])
def test_the_officers_active_sheet_stays_active_when_a_table_goes_before_it(tmp_path, monkeypatch, spliced):
    """The officer left 我的圖表 (his last tab) active; the rebuild adds 公務車輛明細表 among the tables, before it. The
    book keeps its active sheet by index (activeTab), so 我的圖表 must stay the active tab, the one selected tab.
    Red before (review revv of 29bb059): activeTab one short, on 歲出按職能及經濟性綜合分類表, with 我的圖表 still
    selected too (spliced: two selected tabs, a group where typing goes into both)."""
    if not spliced:
        monkeypatch.setattr(splicebuild, "splice_build", lambda *args: None)

    def edited(wb):
        _add_vehicle(wb)
        mine = wb.create_sheet("我的圖表")
        mine["A1"] = "科長要的圖"
        for ws in wb.worksheets:
            ws.sheet_view.tabSelected = False
        wb.active = wb.sheetnames.index("我的圖表")
        mine.sheet_view.tabSelected = True

    result = build_file(_built(tmp_path, edited), tmp_path / "again.xlsx")
    assert result.spliced == spliced
    wb = openpyxl.load_workbook(result.output)
    assert wb.sheetnames.index("公務車輛明細表") < wb.sheetnames.index("我的圖表")
    assert wb.active.title == "我的圖表"
    assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == ["我的圖表"]
