"""Batch conversion (issue 6): bad books never stop the batch, inputs are never written, outputs are atomic."""

import csv
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from xlbudget.cli import main
from xlbudget.app.convert import FINDINGS, OK, SKIPPED, UNREADABLE, convert_one, convert_paths, output_names
from xlbudget.app.summary import NOT_CONVERTED
from xlbudget.app.template import new_template

from conftest import ROOT, sha256

EXAMPLE = ROOT / "workbooks" / "範例-高雄市政府資訊中心113年度.xlsx"

ITEM_HEADERS = ("工作計畫編號", "工作計畫名稱", "分支計畫", "用途別科目", "單位", "數量", "單價", "預算數", "收支併列數",
                "經資門", "經濟性分類", "說明")


def small_book(path: Path, agency: str, code: str, items, prior=(), authority: str = "測試市政府主管") -> Path:
    """A template book with one agency: items are (plan, plan name, object code, 預算數 元)."""
    wb = new_template()
    info = wb["基本資料"]
    values = {"機關名稱": agency, "機關編號": code, "年度": 114, "主管機關": authority, "職能別": "01"}
    for row in info.iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    ws = wb["歲出明細"]
    for plan, name, obj, amount in items:
        ws.append([plan, name, "", obj, "年", 1, amount, amount, 0, None, None, "測試"])
    for line in prior:
        wb["以前年度"].append(list(line))
    # the officer's words a book is published with (no plan-note-missing, no narrative-empty): a clean book
    for plan in dict.fromkeys(plan for plan, *_ in items):
        wb["說明提要"].append([plan, "測試科", "一、計畫內容：測試。二、預期成果：測試。"])
    wb["總說明"].append(["壹、現行法定職掌：測試。"])
    wb.save(path)
    return path


# Three agencies, figures chosen so the 彙總 needs rounding from 元 totals:
#   A: 2018 1,500 元 + 2054 10,000,000 元           → 10,001,500 元 → 10,002 千元
#   B: 2018 2,400 元 + 2054 600 元                  →      3,000 元 →      3 千元
#   C: 2018 1,100 元 + 3030 5,000,000 元 (資本)     →  5,001,100 元 →  5,001 千元
# City 2018: 1,500 + 2,400 + 1,100 = 5,000 元 → 5 千元 (the agencies' printed 2 + 2 + 1 would be 5 as well);
# City 合計: 10,001,500 + 3,000 + 5,001,100 = 15,005,600 元 → 15,006 千元 (printed 10,002 + 3 + 5,001 = 15,006).
# 上年度 (千元): A 9,000, B 10, C none → 合計 9,010; 比較 A 10,002 − 9,000 = 1,002.
@pytest.fixture
def three_books(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    small_book(folder / "甲.xlsx", "甲局", "02-001", [
        ("32020010101", "一般行政-行政管理", "2018", 1_500),
        ("32020010101", "一般行政-行政管理", "2054", 10_000_000)], prior=[("32020010101", "一般行政-行政管理", 9_000, 8_800)])
    small_book(folder / "乙.xlsx", "乙處", "02-002", [
        ("32020020101", "一般行政-行政管理", "2018", 2_400),
        ("32020020101", "一般行政-行政管理", "2054", 600)], prior=[("32020020101", "一般行政-行政管理", 10, 9)])
    (folder / "子").mkdir()
    small_book(folder / "子" / "丙.xlsx", "丙所", "02-003", [
        ("32020030101", "一般行政-行政管理", "2018", 1_100),
        ("32020030101", "一般行政-行政管理", "3030", 5_000_000)])
    return folder


def test_three_books_summary_and_citywide(three_books, tmp_path):
    out = tmp_path / "out"
    code, results = convert_paths([str(three_books)], str(out), jobs=1)
    assert code == 0
    assert sorted(p.name for p in out.glob("*.xlsx")) == sorted(["甲.xlsx", "乙.xlsx", "子__丙.xlsx", "轉換摘要.xlsx"])
    by_agency = {r.agency: r for r in results}
    assert {a: r.expenditure for a, r in by_agency.items()} == {"甲局": 10_002, "乙處": 3, "丙所": 5_001}
    data = json.loads((out / "轉換摘要.json").read_text(encoding="utf-8"))
    agency_rows = {row["機關"]: row for row in data["彙總"]["歲出機關別預算表"]}
    assert agency_rows["合計"]["本年度預算數"] == 15_006
    assert agency_rows["合計"]["上年度預算數"] == 9_010
    assert agency_rows["甲局"]["本年度與上年度比較"] == 1_002
    assert agency_rows["丙所"]["上年度預算數"] is None
    codes = {row["科目"].strip(): row for row in data["彙總"]["各項費用彙計表"]}
    assert codes["201800資訊服務費"]["合計"] == 5  # 1,500 + 2,400 + 1,100 = 5,000 元
    assert codes["201800資訊服務費"]["甲.xlsx"] == 2  # 1,500 元, half away from zero
    assert codes["合計"]["合計"] == 15_006
    assert codes["300000設備及投資"]["合計"] == 5_000
    # a book with none of a row's codes has a blank cell there, not 0 (the printed 彙總 shows nothing); by hand:
    # 3030 and its 一級 3000 are 丙's alone (5,000,000 元 → 5,000 千元), 2054 is 甲's and 乙's (600 元 → 1 千元)
    assert [codes["300000設備及投資"].get(k) for k in ("甲.xlsx", "乙.xlsx", "丙.xlsx")] == [None, None, 5_000]
    assert [codes["303000資訊軟硬體設備費"].get(k) for k in ("甲.xlsx", "乙.xlsx", "丙.xlsx")] == [None, None, 5_000]
    assert [codes["205400一般事務費"].get(k) for k in ("甲.xlsx", "乙.xlsx", "丙.xlsx")] == [10_000, 1, None]
    # the summary workbook carries the same 彙總
    wb = openpyxl.load_workbook(out / "轉換摘要.xlsx")
    assert wb.sheetnames == ["摘要", "彙總", "彙總—各項費用彙計表"]
    assert [c.value for c in wb["摘要"][1]][:6] == ["檔案", "輸出", "機關", "機關編號", "年度", "歲出合計（千元）"]
    # 機關編號 beside 機關, as each book typed it (the fixture's 02-001 …), text: a budget office sorts by it
    assert sorted((row[2], row[3]) for row in wb["摘要"].iter_rows(min_row=2, max_col=4, values_only=True)) == [
        ("丙所", "02-003"), ("乙處", "02-002"), ("甲局", "02-001")]
    # each output is a standard book that builds again
    built = openpyxl.load_workbook(out / "甲.xlsx")
    assert "各項費用彙計表" in built.sheetnames and "歲出明細" in built.sheetnames


def test_inputs_never_modified_and_parallel_equals_serial(three_books, tmp_path):
    before = {p: sha256(p) for p in three_books.rglob("*.xlsx")}
    _, serial = convert_paths([str(three_books)], str(tmp_path / "one"), jobs=1)
    _, parallel = convert_paths([str(three_books)], str(tmp_path / "two"), jobs=2)
    assert {p: sha256(p) for p in three_books.rglob("*.xlsx")} == before
    key = lambda r: (r.agency, r.expenditure, r.status, r.errors)  # noqa: E731
    assert sorted(map(key, serial)) == sorted(map(key, parallel))


def test_skips_up_to_date_outputs(three_books, tmp_path):
    out = tmp_path / "out"
    convert_paths([str(three_books)], str(out), jobs=1)
    _, again = convert_paths([str(three_books)], str(out), jobs=1)
    assert {r.status for r in again} == {SKIPPED}
    assert {r.expenditure for r in again} == {10_002, 3, 5_001}  # the summary still has every book
    small_book(three_books / "乙.xlsx", "乙處", "02-002", [("32020020101", "一般行政-行政管理", "2018", 7_000)])
    _, third = convert_paths([str(three_books)], str(out), jobs=1)
    assert {r.agency: r.status for r in third} == {"甲局": SKIPPED, "乙處": OK, "丙所": SKIPPED}
    _, forced = convert_paths([str(three_books)], str(out), jobs=1, force=True)
    assert {r.status for r in forced} == {OK}


def test_outputs_of_other_code_are_made_again(three_books, tmp_path, monkeypatch):
    """An output made by another xlbudget (an upgrade, or an edited module under the same __version__: reviewer revi
    found the manifest keyed by __version__ alone, still 0.1.0 after sessions of new rules) is converted again, never
    kept as up to date with the older code's figures and findings; the same code skips it as before."""
    from xlbudget.app import convert as convert_module

    out = tmp_path / "out"
    convert_paths([str(three_books)], str(out), jobs=1)
    _, same = convert_paths([str(three_books)], str(out), jobs=1)
    assert {r.status for r in same} == {SKIPPED}
    monkeypatch.setattr(convert_module, "_CODE", [convert_module.code_version() + "-newer"])
    _, upgraded = convert_paths([str(three_books)], str(out), jobs=1)
    assert {r.status for r in upgraded} == {OK}


def test_code_version_follows_the_package_files(tmp_path, monkeypatch):
    """The fingerprint changes with a module's size or time: a copy of the package with one module touched."""
    import shutil

    import xlbudget
    from xlbudget.app import convert as convert_module

    copy = tmp_path / "xlbudget"
    shutil.copytree(Path(xlbudget.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(convert_module, "__file__", str(copy / "app" / "convert.py"))
    monkeypatch.setattr(convert_module, "_CODE", [])
    first = convert_module.code_version()
    monkeypatch.setattr(convert_module, "_CODE", [])
    assert convert_module.code_version() == first  # nothing changed: the same
    (copy / "core" / "amounts.py").write_text((copy / "core" / "amounts.py").read_text() + "\n# edited\n")
    monkeypatch.setattr(convert_module, "_CODE", [])
    assert convert_module.code_version() != first


# a fresh book is written with XlsxWriter (zipped from memory up to xlsxbook.IN_MEMORY_ROWS rows, by XlsxWriter from
# its temporary files past them), a marked one with openpyxl
@pytest.mark.parametrize("mark, rows", [(False, None), (False, 0), (True, None)], ids=["memory", "files", "mark"])
def test_interrupted_conversion_leaves_no_half_written_book(tmp_path, monkeypatch, mark, rows):
    import xlsxwriter

    from xlbudget.adapters import xlsxbook

    target = tmp_path / "out" / "book.xlsx"
    target.parent.mkdir()

    def half_then_interrupt(path):
        Path(path).write_bytes(b"PK\x03\x04 half a workbook")
        raise KeyboardInterrupt

    close = xlsxwriter.Workbook.close
    monkeypatch.setattr(openpyxl.Workbook, "save", lambda self, filename=None: half_then_interrupt(filename or self.filename))
    # XlsxWriter zips into a file name; a book kept in memory is closed into its parts, then zipped by zip_parts
    monkeypatch.setattr(xlsxwriter.Workbook, "close",
                        lambda self: half_then_interrupt(self.filename) if isinstance(self.filename, str) else close(self))
    monkeypatch.setattr(xlsxbook, "zip_parts", lambda path, parts: half_then_interrupt(path))
    if rows is not None:
        monkeypatch.setattr(xlsxbook, "IN_MEMORY_ROWS", rows)
    with pytest.raises(KeyboardInterrupt):
        convert_one(str(EXAMPLE), str(target), mark=mark)
    assert list(target.parent.iterdir()) == []


def test_output_names_never_collide_nor_escape(tmp_path):
    books = [(Path("a/x.xlsx"), "a/x.xlsx"), (Path("a__x.xlsx"), "a__x.xlsx"), (Path("../../etc/x.xlsx"), "../../etc/x.xlsx"),
             (Path("X.xlsx"), "X.xlsx"), (Path("x.xlsx"), "x.xlsx")]
    names = output_names(books, lambda f: ".xlsx")
    assert names == ["a__x.xlsx", "a__x-2.xlsx", "etc__x.xlsx", "X.xlsx", "x-2.xlsx"]
    assert all("/" not in n and ".." not in n for n in names)


# ---------------------------------------------------------------- one bad book each

def _zip(path: Path, parts: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def _rewrite(src: Path, dst: Path, part: str, edit) -> Path:
    """Copy a workbook's zip, passing ``part`` through ``edit`` (or adding it, edited from b"", when absent)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        names = zin.namelist()
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, edit(data) if item.filename == part else data)
        if part not in names:
            zout.writestr(part, edit(b""))
    return dst


def _sheet_part(path: Path, sheet: str) -> str:
    from xlbudget.adapters.safety import sheet_parts

    return sheet_parts(path)[sheet]


def test_a_binary_book_and_a_web_page_are_told_how_to_become_xlsx(tmp_path):
    """Field report 4 (f07): a .xlsb was passed over as «不是 Excel 活頁簿（副檔名 .xlsb…）» and an HTML export named
    .xlsx was «不是 Excel 活頁簿（.xlsx），或檔案已截斷／損毀»: each is now an unreadable row saying to save it as .xlsx."""
    from test_input_errors import WEB_EXPORT, _xlsb

    folder = tmp_path / "in"
    folder.mkdir()
    _xlsb(folder / "二進位.xlsb")
    (folder / "匯出.xlsx").write_text(WEB_EXPORT, encoding="utf-8")
    (folder / "匯出16.xls").write_bytes(WEB_EXPORT.encode("utf-16"))  # was file-not-xls: «…不是舊版 Excel 檔；請確認檔案»
    shutil.copy(EXAMPLE, folder / "good.xlsx")
    shutil.copy(EXAMPLE, folder / "改名.xls")  # an .xlsx renamed .xls: was file-not-xls, as check says: rename it .xlsx
    code, results = convert_paths([str(folder)], str(tmp_path / "out"), jobs=1)
    by_name = {Path(r.source).name: r for r in results}
    assert by_name["good.xlsx"].status == OK
    assert [(by_name[n].status, by_name[n].reason) for n in ("二進位.xlsb", "匯出.xlsx", "匯出16.xls", "改名.xls")] == [
        (UNREADABLE, "file-xlsb"), (UNREADABLE, "file-web-page"), (UNREADABLE, "file-web-page"),
        (UNREADABLE, "file-wrong-suffix")]
    assert by_name["改名.xls"].message == "改名.xls 的內容是 Excel 活頁簿，但副檔名為「.xls」；請將檔名改為 .xlsx 後再試"
    assert "另存新檔" in by_name["二進位.xlsb"].message and "網頁" in by_name["匯出.xlsx"].message


# case: (make the bad book, the reason id of its 轉換摘要 row, the cell it names)
BAD_BOOKS = {
    "not_a_zip": (lambda p: p.write_text("hello, not a workbook"), "file-not-xlsx", ""),
    "zero_bytes": (lambda p: p.write_bytes(b""), "file-empty", ""),
    "truncated": (lambda p: p.write_bytes(EXAMPLE.read_bytes()[: EXAMPLE.stat().st_size // 2]), "file-not-xlsx", ""),
    "encrypted": (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512), "file-encrypted", ""),
    "empty_workbook": (lambda p: openpyxl.Workbook().save(p), "no-tables", ""),
    "missing_input_sheets": (lambda p: _one_sheet(p, "工作表1", [["隨便", "寫寫"]]), "no-tables", ""),
    "wrong_headers": (lambda p: _edit_example(p, "歲出明細", "H1", "金額"), "header-unrecognised",
                      "wrong_headers.xlsx:歲出明細!H1"),
    "text_in_amount": (lambda p: _edit_example(p, "歲出明細", "H3", "約兩萬"), "not-a-number",
                       "text_in_amount.xlsx:歲出明細!H3"),
}


def _one_sheet(path: Path, name: str, rows) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = name
    for row in rows:
        wb.active.append(row)
    wb.save(path)


def _edit_example(path: Path, sheet: str, cell: str, value) -> None:
    wb = openpyxl.load_workbook(EXAMPLE)
    wb[sheet][cell] = value
    wb.save(path)


@pytest.mark.parametrize("case", BAD_BOOKS)
def test_bad_book_gets_a_reason_and_the_batch_goes_on(tmp_path, case):
    folder = tmp_path / "in"
    folder.mkdir()
    make, reason, cell = BAD_BOOKS[case]
    bad = folder / f"{case}.xlsx"
    make(bad)
    shutil.copy(EXAMPLE, folder / "good.xlsx")
    before = sha256(bad)
    code, results = convert_paths([str(folder)], str(tmp_path / "out"), jobs=1)
    by_name = {Path(r.source).name: r for r in results}
    assert by_name["good.xlsx"].status == OK
    assert by_name[f"{case}.xlsx"].status == UNREADABLE
    assert (by_name[f"{case}.xlsx"].reason, by_name[f"{case}.xlsx"].cell) == (reason, cell)
    assert by_name[f"{case}.xlsx"].message
    assert "Traceback" not in by_name[f"{case}.xlsx"].message
    assert code == 2
    assert sha256(bad) == before
    assert not (tmp_path / "out" / f"{case}.xlsx").exists()


def test_old_xls_says_how_to_convert(tmp_path):
    old = tmp_path / "舊檔.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    result = convert_one(str(old), str(tmp_path / "o.xlsx"))
    assert (result.status, result.reason) == (UNREADABLE, "file-old-xls")


def test_duplicate_sheet_names(tmp_path):
    book = _rewrite(EXAMPLE, tmp_path / "dup.xlsx", "xl/workbook.xml",
                    lambda d: d.replace("name=\"歲入明細\"".encode(), "name=\"歲出明細\"".encode()))
    result = convert_one(str(book), str(tmp_path / "o.xlsx"))
    assert (result.status, result.reason) == (UNREADABLE, "duplicate-sheet-name")


def test_file_vanishing_mid_run(tmp_path):
    result = convert_one(str(tmp_path / "gone.xlsx"), str(tmp_path / "o.xlsx"))
    assert (result.status, result.reason) == (UNREADABLE, "file-vanished")


def test_locked_file(tmp_path, monkeypatch):
    book = shutil.copy(EXAMPLE, tmp_path / "locked.xlsx")
    real_open = open

    def locked(file, *args, **kwargs):
        if str(file) == str(book):
            raise PermissionError(13, "locked", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", locked)
    result = convert_one(str(book), str(tmp_path / "o.xlsx"))
    assert (result.status, result.reason) == (UNREADABLE, "file-locked")


def test_a_book_that_fails_inside_is_said_so_and_how_to_see_why(tmp_path, monkeypatch):
    # an exception no rule foresees (a KeyError in the reader) is the book's row, never the batch's end; its 說明
    # names the book and the command that shows why (book_failure, the one failure handling, also compare's)
    book = shutil.copy(EXAMPLE, tmp_path / "甲.xlsx")

    def failing(path, *args, **kwargs):
        raise KeyError("測試")

    monkeypatch.setattr("xlbudget.adapters.fastread.read_grids", failing)
    result = convert_one(str(book), str(tmp_path / "o.xlsx"))
    assert (result.status, result.reason, result.output) == (UNREADABLE, "internal-error", "")
    assert result.message == "甲.xlsx 無法處理（KeyError）；請以 xlbudget build 甲.xlsx 單獨執行檢視原因"


# ---------------------------------------------------------------- hostile files

def test_xml_entity_expansion_is_not_expanded(tmp_path):
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">'
                        for i in range(9))
              + ']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
              '<si><t>&lol8;</t></si></sst>')
    book = _rewrite(EXAMPLE, tmp_path / "lol.xlsx", "xl/sharedStrings.xml", lambda d: laughs.encode())
    result = convert_one(str(book), str(tmp_path / "o.xlsx"))
    assert (result.status, result.reason) == (UNREADABLE, "xml-entity")  # refused, not expanded to 10^9 "lol"s


def test_external_entity_in_workbook_part_refused(tmp_path):
    xxe = lambda d: b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + d  # noqa: E731
    book = _rewrite(EXAMPLE, tmp_path / "xxe.xlsx", "xl/workbook.xml", xxe)
    result = convert_one(str(book), str(tmp_path / "o.xlsx"))
    assert (result.status, result.reason) == (UNREADABLE, "xml-entity")


def test_collector_back_on_after_every_book(tmp_path):
    """convert_one pauses the cyclic garbage collector for one book only: on again after a book converted,
    and after one refused; left off when the caller had it off."""
    import gc

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    for source, status in ((EXAMPLE, OK), (bad, UNREADABLE)):
        assert convert_one(str(source), str(tmp_path / "o.xlsx")).status in (status, FINDINGS)
        assert gc.isenabled()
    gc.disable()
    try:
        convert_one(str(bad), str(tmp_path / "o.xlsx"))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_zip_bomb_refused(tmp_path):
    book = _rewrite(EXAMPLE, tmp_path / "bomb.xlsx", "xl/worksheets/sheet3.xml", lambda d: d)
    with zipfile.ZipFile(book, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/padding.bin", b"\0" * (400 * 2**20))  # 400 MB of zeros, about 0.4 MB packed
    result = convert_one(str(book), str(tmp_path / "o.xlsx"))
    assert (result.status, result.reason) == (UNREADABLE, "zip-too-large")  # 400 MB inflated > the 300 MB cap


def test_absurd_dimensions_refused(tmp_path):
    part = _sheet_part(EXAMPLE, "歲出明細")
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    book = _rewrite(EXAMPLE, tmp_path / "huge.xlsx", part, lambda d: d.replace(b"</sheetData>", far, 1))
    result = convert_one(str(book), str(tmp_path / "o.xlsx"))
    assert (result.status, result.reason, result.cell) == (UNREADABLE, "sheet-too-large", "huge.xlsx:歲出明細!XFD1048576")


@pytest.mark.parametrize("far, refused", [
    ("SF9", False), ("SG9", True), ("ZZ9", True), ("AAA9", True), ("XFD9", True),  # column 500 is the cap
    ("A99999", False), ("A100000", False), ("A200000", False), ("A200001", True), ("B1048576", True)])
def test_extent_cap_at_each_edge(tmp_path, far, refused):
    """check_extent passes a sheet with no cell past the caps on one search; a cell past either cap, however
    it is spelt, must still be found and named (column SG = 501, row 200,001). Hand count: S = 19, 19×26+7 = 501."""
    from xlbudget.adapters.safety import MAX_COLUMNS, MAX_ROWS, check_extent
    from xlbudget.core.errors import InputError

    assert (MAX_ROWS, MAX_COLUMNS) == (200_000, 500)
    part = _sheet_part(EXAMPLE, "歲出明細")
    cell = f'<row r="{far.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}"><c r="{far}" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'.encode()
    book = _rewrite(EXAMPLE, tmp_path / "edge.xlsx", part, lambda d: d.replace(b"</sheetData>", cell, 1))
    if not refused:
        assert check_extent(book, "歲出明細", part) is False  # the example's 歲出明細 holds no formula
        return
    with pytest.raises(InputError) as err:
        check_extent(book, "歲出明細", part)
    (finding,) = err.value.findings
    named = str(finding.cell).split("!")[1]  # the sheet's last column and last row: the far cell's, past the cap
    letters, digits = far.rstrip("0123456789"), far.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    past = letters if len(letters) == 3 or letters >= "SG" and len(letters) == 2 else digits
    assert finding.rule == "sheet-too-large" and past in named


@pytest.mark.parametrize("cell, named", [
    ('<row r="9"><c s="1" r="XFD9" t="inlineStr"><is><t>x</t></is></c></row>', "XFD"),  # r not the first attribute
    ('<row r="9"><c t="inlineStr"\n r="B1048576"><is><t>x</t></is></c></row>', "1048576"),  # after a line break
    ('<row spans="1:1" r="1048576"><c t="inlineStr"><is><t>x</t></is></c></row>', "1048576")])  # a cell without r
def test_extent_cap_whatever_the_spelling(tmp_path, cell, named):
    """Excel writes r first in <c>, but the XML does not require it, and a cell may leave r out (its row's r and
    its place then say where it is, as calamine reads it). A far cell spelt so must be refused as one spelt the usual
    way: XFD = column 16,384 > 500; row 1,048,576 > 200,000 (hand count of the caps in test_extent_cap_at_each_edge)."""
    from xlbudget.adapters.safety import check_extent
    from xlbudget.core.errors import InputError

    part = _sheet_part(EXAMPLE, "歲出明細")
    book = _rewrite(EXAMPLE, tmp_path / "spelt.xlsx", part,
                    lambda d: d.replace(b"</sheetData>", cell.encode() + b"</sheetData>", 1))
    with pytest.raises(InputError) as err:
        check_extent(book, "歲出明細", part)
    (finding,) = err.value.findings
    assert finding.rule == "sheet-too-large" and named in str(finding.cell).split("!")[1]


@pytest.mark.parametrize("cell, formulas", [
    ('<c r="B2"><f>A2*2</f></c>', True), ('<c r="B2"><f t="shared" ref="B2:B9" si="0"/></c>', True),
    ('<c r="B2"><f t="shared" si="0"/><v>4</v></c>', True), ('<x:c r="B2"><x:f>A2*2</x:f></x:c>', True),
    ('<c r="B2" t="e"><v>#N/A</v></c>', True), ('<c r="B2" t="inlineStr"><is><t>f(x) = 2</t></is></c>', False),
    ('<c r="B2"><v>2</v></c><dataValidations><dataValidation><formula1>$A$1:$A$9</formula1></dataValidation>'
     '</dataValidations>', False)])
def test_sheet_scan_finds_every_formula_and_error(tmp_path, cell, formulas):
    """A sheet holding a cell formula or an error value, however it is written, is scanned for uncached
    formulas; a validation's <formula1> or a text is not a formula."""
    from xlbudget.adapters.safety import sheet_scan

    book = tmp_path / "f.xlsx"
    with zipfile.ZipFile(book, "w") as z:
        z.writestr("s.xml", f'<worksheet><sheetData><row r="2">{cell}</row></sheetData></worksheet>')
    assert sheet_scan(book, "s.xml", exact=False)[2] is formulas


@pytest.mark.parametrize("filler", ["", "fh" * 100, "x" * 40_000, "fh" * 20_000])  # the last two past safety._SMALL
@pytest.mark.parametrize("formula, hidden", [(True, True), (True, False), (False, True), (False, False)])
def test_sheet_scan_hints_after_many_f_and_h(tmp_path, filler, formula, hidden):
    """sheet_scan looks for a formula tag and hidden=" by going to each f and h (few in sheet XML), and past 64 of
    them searches the rest whole: a text full of both before them hides neither, and makes up neither."""
    from xlbudget.adapters.safety import sheet_scan

    row = '<row r="3" hidden="1">' if hidden else '<row r="3">'
    cell = '<c r="B3"><f>A2*2</f></c>' if formula else '<c r="B3"><v>2</v></c>'
    book = tmp_path / "h.xlsx"
    with zipfile.ZipFile(book, "w") as z:
        z.writestr("s.xml", f'<worksheet><sheetData><row r="2"><c r="A2" t="inlineStr"><is><t>{filler}</t></is></c>'
                            f'</row>{row}{cell}</row></sheetData></worksheet>')
    hints: set = set()
    assert sheet_scan(book, "s.xml", exact=False, hints=hints)[2] is formula
    assert hints == ({"s.xml"} if hidden else set())


def test_formula_text_neutralised_in_csv(tmp_path):
    # Each planted text must come out of the CSV once at least, as Excel's text prefix ' + the text, and no
    # field may start like a formula. Read with the csv module: a field quoted for its commas or quotes
    # ("=HYPERLINK(""…"")") starts with '=' once unquoted, which a split on ',' never saw (issue 12).
    # cell: (typed, as the reader keeps it: a name loses its spaces, a 說明 its leading ones)
    planted = {"L2": ('=HYPERLINK("http://example.invalid","點我")', '=HYPERLINK("http://example.invalid","點我")'),
               "C2": ("=cmd|' /C calc'!A0", "=cmd|'/Ccalc'!A0"), "L3": ("@SUM(1,2)", "@SUM(1,2)"),
               "L4": ("  -1+1", "-1+1"), "L5": ("+1,2", "+1,2")}
    wb = openpyxl.load_workbook(EXAMPLE)
    for cell, (text, _) in planted.items():
        wb["歲出明細"][cell] = text
        wb["歲出明細"][cell].data_type = "s"  # text that looks like a formula (a formula without a value is refused)
    book = tmp_path / "evil.xlsx"
    wb.save(book)
    out = tmp_path / "out"
    convert_paths([str(book)], str(out), jobs=1, fmt="csv")
    rows = list(csv.reader(io.StringIO((out / "evil.csv").read_text(encoding="utf-8-sig"))))[1:]
    fields = [f for row in rows for f in row if not re.fullmatch(r"-?\d+", f)]
    for field in fields:
        assert not field.lstrip(" \u3000").startswith(("=", "+", "-", "@", "\t", "\r")), field
    for cell, (_, kept) in planted.items():
        assert "'" + kept in fields, cell


# ---------------------------------------------------------------- fuzz

CELL = st.one_of(st.none(), st.integers(-10**15, 10**15), st.floats(allow_nan=True, allow_infinity=True),
                 st.text(max_size=12), st.sampled_from(["3x12", "(1,234)", "△5", "１２３", "=1+1", "2018", "資本",
                                                        "32020180101", "", "\u3000"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.tuples(st.sampled_from(["歲出明細", "基本資料", "歲入明細", "以前年度"]),
                                st.integers(1, 6), st.integers(1, 13), CELL), min_size=1, max_size=12))
def test_fuzz_random_cells_end_in_a_book_or_a_clean_error(tmp_path_factory, cells):
    folder = tmp_path_factory.mktemp("fuzz")
    wb = openpyxl.load_workbook(EXAMPLE)
    for sheet, row, col, value in cells:
        try:
            wb[sheet].cell(row, col, value)
        except (ValueError, TypeError, IllegalCharacterError):  # openpyxl itself refuses some values
            continue
    book = folder / "fuzz.xlsx"
    wb.save(book)
    result = convert_one(str(book), str(folder / "out.xlsx"))
    assert result.status in (OK, FINDINGS) + NOT_CONVERTED  # 尚未填寫: only required cells left blank
    if result.status in NOT_CONVERTED:
        assert result.message and "Traceback" not in result.message
        assert result.reason != "internal-error", result.message  # no internal failure
    else:
        assert (folder / "out.xlsx").exists()


# ---------------------------------------------------------------- command line

def test_cli_convert_exit_codes(three_books, tmp_path, capsys):
    assert main(["convert", str(three_books), "-o", str(tmp_path / "a"), "--jobs", "1"]) == 0
    (three_books / "壞.xlsx").write_text("x")
    assert main(["convert", str(three_books), "-o", str(tmp_path / "b"), "--jobs", "1"]) == 2
    out, err = capsys.readouterr()
    assert "壞.xlsx" in err and "Traceback" not in err
    # the last line counts the four books by status (app/summary.summary_line): three done, one unreadable
    counts = dict(part.rsplit(" ", 1) for part in out.splitlines()[-1].split("：")[1].split("；")[0].split("、"))
    assert out.splitlines()[-1].startswith("共 4 本：") and counts == {OK: "3", UNREADABLE: "1"}


def test_convert_json_format(three_books, tmp_path):
    out = tmp_path / "j"
    convert_paths([str(three_books)], str(out), jobs=1, fmt="json")
    records = json.loads((out / "甲.json").read_text(encoding="utf-8"))
    by = {(r["table"], r["row_code"], r["column"]): r["value"] for r in records}
    assert by[("各項費用彙計表", "2018", "合計")] == 2  # 1,500 元
    assert by[("各項費用彙計表", "合計", "合計")] == 10_002



def test_mark_puts_findings_in_the_converted_book(tmp_path):
    """A 預算數 of 25,356,371 on a 1 × 25,356,370 line: an error marked in the output, not in the input."""
    book = tmp_path / "in.xlsx"
    _edit_example(book, "歲出明細", "H2", 25_356_371)
    before = sha256(book)
    code, results = convert_paths([str(book)], str(tmp_path / "out"), jobs=1, mark=True)
    assert code == 1 and results[0].status == FINDINGS and results[0].errors >= 1
    out = openpyxl.load_workbook(tmp_path / "out" / "in.xlsx")
    assert "檢核結果" in out.sheetnames
    assert out["歲出明細"]["H2"].comment is not None
    assert sha256(book) == before


def test_handmade_book_is_checked_on_what_it_prints(tmp_path):
    """A book of printed tables only (our built example without its input sheets) converts and is checked."""
    from built_books import handmade_workbook

    wb = handmade_workbook()
    wb["各項費用彙計表"]["B8"] = 42_979  # 人事費 of 行政管理: the seed prints 42,978
    book = tmp_path / "手工.xlsx"
    wb.save(book)
    result = convert_one(str(book), str(tmp_path / "out.xlsx"), mark=True)
    assert (result.status, result.reason) == (FINDINGS, "printed-only")
    assert (result.agency, result.year) == ("高雄市政府資訊中心", 113)  # printed above each title
    marked = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert marked["各項費用彙計表"]["B8"].comment is not None


def test_fastread_without_calamine_reads_the_same(monkeypatch):
    """Where python-calamine is missing (Pyodide), convert reads the same input grids through openpyxl."""
    from xlbudget.adapters import fastread

    with_calamine = {name: g.rows for name, g in fastread.read_grids(EXAMPLE).items()}
    monkeypatch.setattr(fastread, "CalamineWorkbook", None)
    without = {name: g.rows for name, g in fastread.read_grids(EXAMPLE).items()}
    assert without.keys() == with_calamine.keys()
    for name in without:
        rows = [r for r in without[name] if any(v not in ("", None) for v in r)]
        assert [[float(v) if isinstance(v, int) else v for v in r] for r in rows] == \
            [[float(v) if isinstance(v, int) else v for v in r] for r in with_calamine[name]
             if any(v not in ("", None) for v in r)], name


def test_globs_absolute_and_relative(three_books, tmp_path, monkeypatch):
    from xlbudget.app.convert import discover

    absolute = discover([str(three_books / "*.xlsx"), str(three_books / "**" / "丙.xlsx")])
    assert sorted(rel for _, rel in absolute) == ["乙.xlsx", "子/丙.xlsx", "甲.xlsx"]
    monkeypatch.chdir(three_books)
    relative = discover(["*/丙.xlsx", "甲.xlsx"])
    assert sorted(rel for _, rel in relative) == ["子/丙.xlsx", "甲.xlsx"]


def test_locked_output_is_named(tmp_path, monkeypatch):
    import os as os_module

    out = tmp_path / "out" / "book.xlsx"
    out.parent.mkdir()

    def refuse(src, dst):
        raise PermissionError(13, "in use", str(dst))

    monkeypatch.setattr(os_module, "replace", refuse)
    result = convert_one(str(EXAMPLE), str(out))
    assert (result.status, result.reason) == (UNREADABLE, "output-locked")
    assert "book.xlsx" in result.message  # the output named: which file to close
    assert not list(out.parent.iterdir())  # the temporary file is gone too


def _xlsm(path: Path) -> bytes:
    """The example as an .xlsm carrying a (dummy) VBA project, the part Excel keeps macros in."""
    vba = b"\xd0\xcf\x11\xe0 dummy vbaProject.bin " * 20
    _rewrite(EXAMPLE, path, "[Content_Types].xml", lambda d: d.replace(
        b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'))
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("xl/vbaProject.bin", vba)
    return vba


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_xlsm_macros_are_kept_and_never_run(tmp_path):
    """Macros kept; and the book's macro archive is let go quietly: openpyxl keeps it as a zip being written
    on a BytesIO, and when the collector met both in one cycle and closed the BytesIO first, the zip's
    __del__ printed 「Exception ignored … I/O operation on closed file」 on the officer's console."""
    import gc

    book = tmp_path / "巨集.xlsm"
    vba = _xlsm(book)
    code, results = convert_paths([str(book)], str(tmp_path / "out"), jobs=1)
    assert code == 0 and results[0].status == OK
    out = tmp_path / "out" / "巨集.xlsm"
    with zipfile.ZipFile(out) as z:
        assert z.read("xl/vbaProject.bin") == vba
        assert "各項費用彙計表" in z.read("xl/workbook.xml").decode()
    gc.collect()  # the converted book's cycles go now, inside this test


def test_progress_counts_are_labelled_for_what_they_count():
    """Field report 10: the running count was labelled 「錯誤 N」 beside a book that was 完成, read as that book's
    errors. It is the books so far that had errors (有錯誤) or could not be read (無法讀取), each labelled."""
    from xlbudget.app.convert import Progress
    from xlbudget.app.summary import FINDINGS, OK, UNREADABLE, BookResult

    stream = io.StringIO()
    progress = Progress(3, stream)
    progress.update(BookResult("a.xlsx", status=UNREADABLE, message="不是活頁簿"))
    progress.update(BookResult("b.xlsx", status=FINDINGS, errors=4))
    progress.update(BookResult("c.xlsx", status=OK))
    lines = stream.getvalue().splitlines()
    assert [re.search(r"有錯誤 (\d+)、無法讀取 (\d+)", line).groups() for line in lines] == [
        ("0", "1"), ("1", "1"), ("1", "1")]
    assert not any(re.search(r"\] 錯誤", line) for line in lines)


def test_summary_counts_the_figures_that_could_not_be_verified(three_books, tmp_path, capsys):
    """An officer collecting many books sees which had figures no check could pass or fail (無法驗證): 甲's
    總說明 names 300萬元, which no table holds (narrative-unverified), counted apart from 提示 in 轉換摘要's
    sheet, its JSON and the last line."""
    wb = openpyxl.load_workbook(three_books / "甲.xlsx")
    wb["總說明"].append(["另辦理研討會，所需300萬元。"])
    wb.save(three_books / "甲.xlsx")
    out = tmp_path / "out"
    assert main(["convert", str(three_books), "-o", str(out), "--jobs", "1"]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    data = json.loads((out / "轉換摘要.json").read_text(encoding="utf-8"))
    counts = {Path(b["source"]).name: (b["errors"], b["warnings"], b["infos"], b["unverifiable"]) for b in data["books"]}
    # and, as check says of each book, its 業務費 not a whole 千元 (not-whole-thousand, a warning): 甲 2018 1,500 +
    # 2054 10,000,000 = 10,001,500 元, 丙 2018 1,100 元; 乙 2,400 + 600 = 3,000 元 is (field report 10 §3.1)
    assert counts == {"甲.xlsx": (0, 1, 0, 1), "乙.xlsx": (0, 0, 0, 0), "丙.xlsx": (0, 1, 0, 0)}
    sheet = openpyxl.load_workbook(out / "轉換摘要.xlsx")["摘要"]
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("無法驗證")
    assert {Path(r[0]).name: r[column] for r in rows[1:]} == {"甲.xlsx": 1, "乙.xlsx": 0, "丙.xlsx": 0}
    assert "；錯誤 0、警告 2、提示 0、無法驗證 1（甲.xlsx）；" in last
