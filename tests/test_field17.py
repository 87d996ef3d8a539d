"""The 2026-12-02 field test (field report 17): the file as it arrives, bytes other programs write.

Figures are the example book's (高雄市政府資訊中心 113年度): 歲出明細!H2 is the 1015 line's 25,356,370 元, H3 the first 1020
line's 4,410,710 (F3 1 × G3 4,410,710). Built, its 各項費用彙計表 prints 101500法定編制人員待遇 on row 9 (25,356 千元 in B9
under 32020180101) and 32020183201 數位發展計畫 in column C (its 合計 232,026 千元 in C7).
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from xlbudget.adapters.safety import sheet_parts
from xlbudget.app.check import check_file
from xlbudget.app.convert import convert_paths

from built_books import handmade_workbook
from test_reading import example, main  # first: it sets XLWINGS_ON_SERVER before xlwings loads

SUMMARY = "各項費用彙計表"
EXPENSES = "歲出明細"


def rewrite(path: Path, part: str, edit) -> Path:
    """``path`` with its zip part ``part`` (or every .xml/.rels part, for None) replaced by ``edit(bytes)``."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    for name in parts:
        if name == part or part is None and name.endswith((".xml", ".rels")):
            changed = edit(parts[name])
            assert part is None or changed != parts[name], name  # the edit found what it changes
            parts[name] = changed
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def part_of(path: Path, sheet: str) -> str:
    return sheet_parts(path)[sheet]


# ------------------------------------------------------------ §1.1: Excel's 「Strict Open XML 試算表」

_STRICT = ((b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main"),
           (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
            b"http://purl.oclc.org/ooxml/officeDocument/relationships"))


def strict(data: bytes) -> bytes:
    """A part as Excel saves it under 「Strict Open XML 試算表」: the strict namespaces and relationship types."""
    for transitional, iso in _STRICT:
        data = data.replace(transitional, iso)
    return data


def strict_book(tmp_path, edit=None) -> Path:
    path = example(tmp_path, name="嚴格.xlsx")
    if edit:
        rewrite(path, part_of(path, EXPENSES), edit)
    return rewrite(path, None, strict)


@pytest.mark.parametrize("args", [["check"], ["export", "-o", "{dir}/x.json"], ["build", "-o", "{dir}/x.xlsx"],
                                  ["build"], ["next-year", "-o", "{dir}/x.xlsx"], ["pdf", "-o", "{dir}/x.pdf"],
                                  ["compare", "{book}"], ["check", "--mark"]])
def test_a_strict_ooxml_book_is_refused_by_name_by_every_command(tmp_path, capsys, args):
    """check, export and convert read a strict book's cells through python-calamine but found none of its parts by the
    transitional namespaces (no Excel Table, no formula without a value, no hidden row); build, next-year, pdf,
    compare and check --mark (openpyxl) said 「找不到工作表「基本資料」」 under openpyxl's UserWarnings. Every command
    now names the format and says to save it as an .xlsx from Excel, and writes nothing."""
    book = strict_book(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    before = book.read_bytes()
    other = example(tmp_path, name="一般.xlsx")
    given = [a.format(dir=out, book=other) for a in args]
    capsys.readouterr()
    assert main([given[0], str(book), *given[1:]]) == 2
    err = capsys.readouterr().err
    assert "嚴格.xlsx 是「Strict Open XML 試算表」格式" in err and "另存新檔" in err, err
    assert "找不到工作表" not in err and "Warning" not in err
    assert book.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["out", "一般.xlsx", "嚴格.xlsx"]
    assert not list(out.iterdir())


def test_a_strict_book_with_a_formula_without_its_value_is_not_read_half(tmp_path, capsys):
    """H3 holding =G3+1000 with no saved result: a transitional book is refused at H3 (formula-uncached); the strict
    book was exported with H3 taken as 數量 × 單價 (4,410,710 instead of the formula's 4,411,710), exit 0."""
    book = strict_book(tmp_path, lambda x: re.sub(rb'<c r="H3"([^>]*)>.*?</c>', rb'<c r="H3"\1><f>G3+1000</f></c>', x,
                                                  count=1))
    capsys.readouterr()
    assert main(["check", str(book), "--format", "json"]) == 2
    assert [f["rule"] for f in json.loads(capsys.readouterr().out)] == ["file-strict"]
    code, results = convert_paths([str(book)], str(tmp_path / "conv"), jobs=1, stream=open("/dev/null", "w"))
    assert code == 2 and results[0].status == "無法讀取" and "Strict Open XML" in results[0].message


# ------------------------------------------------------------ §1.2: a row of height 0, a column of width 0

def hand_made(tmp_path, edit) -> Path:
    path = tmp_path / "手工.xlsx"
    handmade_workbook().save(path)
    return rewrite(path, part_of(path, SUMMARY), edit)


def hidden_said(path: Path, workbook: bool) -> list[tuple[str, str]]:
    report = check_file(path, workbook=workbook)[0]
    return [(f.rule, f"{f.cell.sheet}!{f.cell.cell}") for f in report.findings if f.rule.startswith("hidden-")]


@pytest.mark.parametrize("workbook", [False, True])  # python-calamine (check), openpyxl (check --mark)
@pytest.mark.parametrize("row", [b'<row r="9" ht="0" customHeight="1">', b'<row r="9" ht="0.0">'])
def test_a_row_of_height_0_of_a_hand_made_table_is_named_as_not_printed(tmp_path, workbook, row):
    """Row 9 of 各項費用彙計表 (101500法定編制人員待遇, 25,356 千元) given height 0, as EPPlus, ClosedXML and many systems'
    exports write a row set to 0 (not hidden="1"): Excel shows and prints it as hidden, so the printed 100000人事費
    42,978 is 25,356 more than its printed lines; check said «錯誤 0、警告 0» (hidden rows were only hidden="1")."""
    path = hand_made(tmp_path, lambda x: x.replace(b'<row r="9">', row, 1))
    assert hidden_said(path, workbook) == [("hidden-row-not-printed", f"{SUMMARY}!B9")]


@pytest.mark.parametrize("workbook", [False, True])
def test_a_column_of_width_0_of_a_hand_made_table_is_named(tmp_path, workbook):
    """Column C (32020183201 數位發展計畫) of width 0: the printed 合計 column D holds a plan the page lacks."""
    path = hand_made(tmp_path, lambda x: re.sub(rb'<col width="[\d.]+" customWidth="1" min="3" max="3"/>',
                                               b'<col width="0" customWidth="1" min="3" max="3"/>', x, count=1))
    assert hidden_said(path, workbook) == [("hidden-column-not-printed", f"{SUMMARY}!C7")]


def test_a_line_of_height_0_on_the_input_sheet_is_named_as_counted(tmp_path):
    """歲出明細 row 2 (1015, 25,356,370 元) of height 0: counted without a word, where hidden="1" is named."""
    path = example(tmp_path)
    rewrite(path, part_of(path, EXPENSES), lambda x: x.replace(b'<row r="2">', b'<row r="2" ht="0" customHeight="1">', 1))
    assert hidden_said(path, False) == [("hidden-row-counted", f"{EXPENSES}!H2")]


def test_margins_and_fit_to_height_0_are_no_size_0(tmp_path):
    """Every sheet xlbudget or openpyxl writes holds right="0.75" and fitToHeight="0": no row or column is taken for
    one of size 0 (nor is the sheet looked at for one: safety._hidden_hint), nor a row 0.4 high."""
    from xlbudget.adapters.safety import _hidden_hint, _holds

    page = b'<pageMargins left="0.75" right="0.75"/><pageSetup paperSize="9" fitToHeight="0"/>'
    for data in (page, page * 1000):  # the plain search, and memchr from h to h
        assert not _hidden_hint(data, None) and not _holds(data, b"h", _hidden_hint)
        assert _hidden_hint(data + b'<row r="2"\nht="0">', None) and _holds(data + b'<col min="1" width="0"/>', b"h",
                                                                         _hidden_hint)
    path = hand_made(tmp_path, lambda x: x.replace(b'<row r="9">', b'<row r="9" ht="0.4" customHeight="1">', 1))
    assert hidden_said(path, False) == []


# ------------------------------------------------------------ §2: an Excel template, a CSV

def template(data: bytes) -> bytes:
    """[Content_Types].xml as Excel saves an .xltx (a workbook's part under a template's type)."""
    return data.replace(b"spreadsheetml.sheet.main+xml", b"spreadsheetml.template.main+xml")


@pytest.mark.parametrize("name", ["範本.xltx", "範本改名.xlsx"])
def test_an_excel_template_is_named_as_one(tmp_path, capsys, name):
    """An .xltx saved by mistake was told 「的內容是 Excel 活頁簿，但副檔名為「.xltx」；請將檔名改為 .xlsx」; renamed so, Excel
    opens it no more (its content type is a template's) and build wrote an .xlsx of that type from it, exit 0."""
    path = rewrite(example(tmp_path, name=name), "[Content_Types].xml", template)
    before = path.read_bytes()
    capsys.readouterr()
    assert main(["check", str(path), "--format", "json"]) == 2
    assert [f["rule"] for f in json.loads(capsys.readouterr().out)] == ["file-template"]
    assert main(["build", str(path), "-o", str(tmp_path / "新.xlsx")]) == 2
    assert "是 Excel 範本" in capsys.readouterr().err
    assert path.read_bytes() == before and not (tmp_path / "新.xlsx").exists()


def test_a_workbook_named_xltx_is_still_told_to_be_renamed(tmp_path, capsys):
    path = example(tmp_path, name="活頁簿.xlsx").rename(tmp_path / "活頁簿.xltx")
    capsys.readouterr()
    assert main(["check", str(path), "--format", "json"]) == 2
    assert [f["rule"] for f in json.loads(capsys.readouterr().out)] == ["file-wrong-suffix"]


@pytest.mark.parametrize("encoding", ["cp950", "utf-8-sig"])
def test_a_csv_is_named_as_a_text_file(tmp_path, capsys, encoding):
    """歲出明細 saved as CSV (Big5 or UTF-8 with BOM) and given as it is: «不是 Excel 活頁簿（.xlsx），或檔案已截斷／損毀»."""
    path = tmp_path / "歲出明細.csv"
    path.write_text("工作計畫編號,工作計畫名稱,分支計畫,用途別科目,單位,數量,單價,預算數\n"
                    "32020180101,一般行政-行政管理,01行政業務,1015,年,1,25356370,25356370\n", encoding=encoding)
    capsys.readouterr()
    assert main(["check", str(path), "--format", "json"]) == 2
    assert [f["rule"] for f in json.loads(capsys.readouterr().out)] == ["file-csv"]
    assert main(["export", str(path)]) == 2 and "是文字檔（CSV" in capsys.readouterr().err


# ------------------------------------------------------------ §1.3: 造字 (private use characters) in the PDF

def test_private_use_characters_are_named_by_pdf(monkeypatch, tmp_path, capsys):
    """歲出明細!L3 (the 1020 line's 說明 「約聘人員薪資。」) typed with two of the agency's own characters, U+E000 and U+E3A5
    (造字, drawn by its EUDC font), and 基本資料's agency name with one: LibreOffice has no such font, the PDF printed
    「約聘人員□□薪資。」 (two .notdef boxes, seen rendered) and pdf said nothing. Each text is named once at its cell."""
    from test_publish_long import _stand_in

    def edit(wb):
        wb[EXPENSES]["L3"] = "約聘人員\ue000\ue3a5薪資。"
        wb[EXPENSES]["L4"] = "約聘人員\ue000\ue3a5薪資。"  # the same text on a second line: said with the first
    book = example(tmp_path, edit)
    _stand_in(monkeypatch)
    capsys.readouterr()
    assert main(["pdf", str(book), "-o", str(tmp_path / "book.pdf")]) == 0
    said = [line for line in capsys.readouterr().out.splitlines() if "private-use-text" in line]
    assert [line.split(" private-use-text")[0] for line in said] == ["[warning] book.xlsx:歲出明細!L3"]
    assert "U+E000、U+E3A5" in said[0] and "共 2 格" in said[0]


def test_a_book_without_private_use_characters_has_none_named(tmp_path):
    from xlbudget.adapters.books import load_book
    from xlbudget.readers.grid import private_use_texts

    assert private_use_texts(load_book(example(tmp_path)).grids) == []
