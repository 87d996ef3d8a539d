"""Every InputError xlbudget raises carries a catalogue rule id (never the catch-all input-unreadable).

An InputError made from a bare text became a finding without a rule id
(core/errors._text_problem: input-unreadable, no cell), so check --format json,
convert's 轉換摘要 (its 原因 column) and the add-in could not tell one refusal
from another. Each case here is made by hand and its id asserted.
"""

from __future__ import annotations

import ast
import json
import re
import zipfile
from pathlib import Path

import pytest

from xlbudget.app.example import example_workbook
from xlbudget.app.pipeline import build_file, next_year_file, read_figures
from xlbudget.cli import main
from xlbudget.core.errors import InputError

from test_reading import write_ods

ROOT = Path(__file__).resolve().parents[1] / "xlbudget"


def _is_text(node) -> bool:
    """A str literal, an f-string, or texts joined with +."""
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def test_no_input_error_is_raised_from_a_text():
    """Static guard: every ``InputError(...)`` in xlbudget/ is given findings (make_finding or a list), not text."""
    texts = []
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "InputError" and node.args
                    and _is_text(node.args[0])):
                texts.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert texts == []


def _broken_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("a.txt", "not a workbook")
    return path


def _xlsx_renamed(path: Path) -> Path:
    example_workbook().save(path)
    return path


WEB_EXPORT = ('\ufeff<html xmlns:x="urn:schemas-microsoft-com:office:excel">\n<head><meta charset="utf-8"></head>'
              "<body><table><tr><td>科目</td><td>預算數</td></tr></table></body></html>")
MHT_EXPORT = (b"MIME-Version: 1.0\r\nX-Document-Type: Workbook\r\n"
              b'Content-Type: multipart/related; boundary="----=_NextPart_01D9"\r\n\r\n')


def _xlsb(path):
    """An Excel binary workbook's parts (the zip holds xl/workbook.bin, not xl/workbook.xml)."""
    import zipfile

    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")


def _compound(path, stream: str, sector: int = 512):
    """A compound file (what Excel 97-2003 saves, and what Excel saves a password-protected .xlsx in) holding one
    empty stream ``stream`` ("Workbook" in an .xls, "EncryptedPackage" in an encrypted .xlsx), laid out as
    [MS-CFB] has it: a header, one FAT sector, one directory sector (the root entry, then the stream)."""
    import struct

    free, end, fat = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack(
        "<HHHHH6xIIIIIIIII", 0x3E, 3 if sector == 512 else 4, 0xFFFE, sector.bit_length() - 1, 6,
        0, 1, 1, 0, 4096, end, 0, end, 0) + struct.pack("<I", 0) + struct.pack("<108I", *[free] * 108)
    header = header.ljust(sector, b"\0")
    fat_sector = struct.pack(f"<{sector // 4}I", fat, end, *[free] * (sector // 4 - 2))

    def entry(name: str, kind: int, child: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\0\0"
        return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, free, free, child)
                + b"\0" * 16 + b"\0" * 4 + b"\0" * 16 + struct.pack("<IQ", end, 0))

    directory = (entry("Root Entry", 5, 1) + entry(stream, 2, free)).ljust(sector, b"\0")
    path.write_bytes(header + fat_sector + directory)


CASES = {  # file name → (how it is made, rule id)
    "不存在.xlsx": (lambda p: None, "path-missing"),
    "資料夾.xlsx": (lambda p: p.mkdir(), "path-is-folder"),
    "空的.xlsx": (lambda p: p.write_bytes(b""), "file-empty"),
    "舊版.xls": (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512), "file-old-xls"),
    "加密.xlsx": (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512), "file-encrypted"),
    "文字.xlsx": (lambda p: p.write_text("hello", encoding="utf-8"), "file-not-xlsx"),
    # field report 7 §3.3: an .xls or an .ods renamed .xlsx (mail gateways, download portals) told apart by content
    # from a book saved with a password: both compound-file ones were «有密碼保護（已加密）或為舊版格式», the .ods
    # «無法以 Excel 活頁簿讀取（CalamineError），檔案可能已損毀»
    "改名的xls.xlsx": (lambda p: _compound(p, "Workbook"), "file-xls-renamed"),
    "改名的xls4096.xlsm": (lambda p: _compound(p, "Workbook", 4096), "file-xls-renamed"),
    "加密的.xlsx": (lambda p: _compound(p, "EncryptedPackage"), "file-encrypted"),
    "改名的ods.xlsx": (lambda p: write_ods(example_workbook(), p), "file-ods-renamed"),
    # field report 4 (f07): what systems export as 「Excel」, and Excel's binary book (renaming it does not help)
    "網頁.xlsx": (lambda p: p.write_text(WEB_EXPORT, encoding="utf-8"), "file-web-page"),
    # the same page saved in UTF-16 (Excel's 「網頁」 as Unicode, some systems' .xls exports), with and without the
    # byte-order mark, and Excel's 「單一檔案網頁」 (MIME): each was «不是 Excel 活頁簿…或檔案已截斷／損毀»
    "網頁UTF16.xls": (lambda p: p.write_bytes(WEB_EXPORT.encode("utf-16")), "file-web-page"),
    "網頁UTF16無BOM.xls": (lambda p: p.write_bytes(WEB_EXPORT[1:].encode("utf-16-le")), "file-web-page"),
    "網頁UTF16BE無BOM.xlsx": (lambda p: p.write_bytes(WEB_EXPORT[1:].encode("utf-16-be")), "file-web-page"),
    "網頁UTF16BE.xlsx": (lambda p: p.write_bytes(WEB_EXPORT.encode("utf-16-be")), "file-web-page"),
    "單一檔案網頁.xls": (lambda p: p.write_bytes(MHT_EXPORT), "file-web-page"),
    "文字UTF16.xlsx": (lambda p: p.write_bytes("科目\t預算數\n".encode("utf-16")), "file-not-xlsx"),
    "二進位.xlsb": (lambda p: _xlsb(p), "file-xlsb"),
    "二進位改名.xlsx": (lambda p: _xlsb(p), "file-xlsb"),
    "改名.dat": (_xlsx_renamed, "file-wrong-suffix"),
    "壞的.xlsx": (_broken_zip, "file-unreadable"),
    # field report 7 §3.2: Excel's lock file (what it writes, the user's name in 165 bytes) was «已截斷／損毀»
    "~$預算.xlsx": (lambda p: p.write_bytes(b"\x06officer" + b" " * 47 + b"\x06\x00o\x00f\x00f\x00"), "lock-file-given"),
}


@pytest.mark.parametrize("args", [["check"], ["export"], ["build"], ["pdf"], ["next-year", "-o", "{out}"],
                                  ["compare", "{book}"]])
def test_every_command_given_a_lock_file_names_its_book(tmp_path, capsys, args):
    """Field report 7 §3.2: ``xlbudget check ~$預算.xlsx`` (tab completion puts it first) said «不是 Excel 活頁簿…或檔案已截斷
    ／損毀»; every command that reads a book says what the file is and which to give instead, and writes nothing."""
    book = tmp_path / "預算.xlsx"
    example_workbook().save(book)
    lock = tmp_path / "~$預算.xlsx"
    CASES["~$預算.xlsx"][0](lock)
    before = sorted(p.name for p in tmp_path.iterdir())
    capsys.readouterr()
    given = [a.format(out=tmp_path / "新.xlsx", book=book) for a in args]
    assert main([given[0], str(lock), *given[1:]]) == 2
    err = capsys.readouterr().err
    assert f"{lock} 是 Excel 開啟「預算.xlsx」時的暫存鎖定檔，不是預算書；請改用 {book}" in err, err
    assert "損毀" not in err and sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize("name", list(CASES))
def test_check_json_gives_the_rule_of_a_file_it_cannot_open(tmp_path, capsys, name):
    make, rule = CASES[name]
    path = tmp_path / name
    make(path)
    capsys.readouterr()
    assert main(["check", str(path), "--format", "json"]) == 2
    assert [f["rule"] for f in json.loads(capsys.readouterr().out)] == [rule]


def _rules(call) -> list[str]:
    with pytest.raises(InputError) as info:
        call()
    return [f.rule for f in info.value.findings]


def test_build_in_place_of_an_ods(tmp_path):
    ods = write_ods(example_workbook(), tmp_path / "預算.ods")
    assert _rules(lambda: build_file(ods)) == ["ods-not-written"]


def test_build_of_an_ods_without_o_says_to_give_o(tmp_path, capsys):
    """`xlbudget build 預算.ods` (README: build reads an .ods with -o OUT.xlsx) said «此功能需要 .xlsx：請在 LibreOffice
    另存…» (ods-needs-xlsx, from the CLI's own check of the source), hiding ods-not-written, which says -o does it."""
    ods = write_ods(example_workbook(), tmp_path / "預算.ods")
    before = ods.read_bytes()
    capsys.readouterr()
    assert main(["build", str(ods)]) == 2
    err = capsys.readouterr().err
    assert "預算.ods 是 .ods 檔，xlbudget 不寫入 .ods；請加 -o 輸出檔.xlsx" in err and "Traceback" not in err
    assert ods.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["預算.ods"]
    assert main(["build", str(ods), "-o", str(tmp_path / "預算.xlsx")]) == 0  # as the message says


def test_check_mark_of_an_ods_writes_o_as_build_does(tmp_path, capsys):
    """Field report 6 §4.6 (f37): `check --mark 預算.ods -o 標示.xlsx` was refused («無法在其中標示；請在 LibreOffice
    另存為 .xlsx…», exit 2) while `build 預算.ods -o 預算.xlsx` writes. One rule for both doors: an .ods is read, its
    marks written into -o's .xlsx (its values and merged cells, as convert writes a hand-made .ods); without -o,
    ods-not-written says to give one. The example's 歲出明細!H24 (2051 物品, 1 × 32,000) typed 33,000: 數量 × 單價 ≠
    預算數 marks F24:H24 red, at the addresses the .ods has (the sheet starts at A1 in both)."""
    import openpyxl

    from xlbudget.adapters.marking import FILLS
    from xlbudget.core.findings import Severity

    wb = example_workbook()
    assert wb["歲出明細"]["H24"].value == 32_000 and wb["歲出明細"]["F24"].value == 1  # the line the check names
    wb["歲出明細"]["H24"] = 33_000
    ods = write_ods(wb, tmp_path / "預算.ods")
    before = ods.read_bytes()
    capsys.readouterr()
    assert main(["check", str(ods), "--mark"]) == 2
    assert "預算.ods 是 .ods 檔，xlbudget 不寫入 .ods；請加 -o 輸出檔.xlsx" in capsys.readouterr().err
    out = tmp_path / "標示.xlsx"
    assert main(["check", str(ods), "--mark", "-o", str(out)]) == 1  # an error found, as of the .xlsx
    said = capsys.readouterr().out
    assert "已標示檢核結果" in said and str(out) in said and "格式與公式未帶入" in said
    marked = openpyxl.load_workbook(out)
    ws = marked["歲出明細"]
    assert ws["H24"].value == 33_000 and ws["H24"].fill.fgColor.rgb == FILLS[Severity.ERROR]
    assert ws["H23"].fill.fgColor.rgb != FILLS[Severity.ERROR]
    assert "檢核結果" in marked.sheetnames
    assert ods.read_bytes() == before
    assert main(["check", str(out), "--clear"]) == 0  # the .xlsx written is xlbudget's to clear
    assert openpyxl.load_workbook(out)["歲出明細"]["H24"].fill.fgColor.rgb != FILLS[Severity.ERROR]


def test_an_ods_where_an_xlsx_is_needed(tmp_path):
    from xlbudget.adapters.xlsxfile import open_workbook

    ods = write_ods(example_workbook(), tmp_path / "預算.ods")
    assert _rules(lambda: open_workbook(ods)) == ["ods-needs-xlsx"]  # what writes into a book opens it so


def test_next_year_onto_itself_or_an_existing_file(tmp_path, capsys):
    book = tmp_path / "本年.xlsx"
    example_workbook().save(book)
    other = tmp_path / "已有.xlsx"
    other.write_bytes(b"x")
    assert _rules(lambda: next_year_file(book, book)) == ["output-is-source"]
    assert _rules(lambda: next_year_file(book, other)) == ["output-exists"]
    # field report 4 (f25): it is the output that is refused, named first, never «輸入資料有誤（本年.xlsx）»
    for output in (book, other):
        with pytest.raises(InputError) as refused:
            next_year_file(book, output)
        assert str(refused.value).startswith(f"未寫出輸出檔（{output.name}）：") and "輸入資料有誤" not in str(refused.value)
    capsys.readouterr()
    assert main(["next-year", str(book), "-o", str(book)]) == 2
    err = capsys.readouterr().err
    assert "未寫出輸出檔（本年.xlsx）" in err and "輸入資料有誤" not in err, err


def test_compare_a_book_with_no_table(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "隨手記"
    wb.active["A1"] = "午餐 120"
    wb.save(tmp_path / "無表.xlsx")
    assert _rules(lambda: read_figures(tmp_path / "無表.xlsx")) == ["no-tables"]


def _damaged(path: Path, part: str, good: bytes | None = None) -> Path:
    """The example (or the book ``good``) with one byte in the middle of ``part``'s compressed data flipped: the
    zip's directory is whole (it opens as a zip), the part is not (a bad copy, a half-synced share)."""
    from xlbudget.adapters.xlsxfile import save_atomic

    if good is None:
        save_atomic(example_workbook(), path)
    else:
        path.write_bytes(good)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("part", ["xl/theme/theme1.xml", "xl/worksheets/sheet3.xml", "xl/styles.xml"])
def test_a_damaged_part_is_refused_naming_it_on_every_command(tmp_path, capsys, part):
    """Was: exit 3 「xlbudget 內部錯誤（error: Error -3 while decompressing data…）請回報」 from check, build, pdf…;
    now the file and the part, exit 2, and the book unchanged."""
    book = _damaged(tmp_path / "損毀.xlsx", part)
    before = book.read_bytes()
    for args in (["check", str(book), "--format", "json"], ["build", str(book), "-o", str(tmp_path / "out.xlsx")],
                 ["build", str(book)], ["next-year", str(book), "-o", str(tmp_path / "next.xlsx")],
                 ["compare", str(book), str(book), "--format", "json"], ["export", str(book), "--format", "json"],
                 ["pdf", str(book), "-o", str(tmp_path / "out.pdf")]):
        capsys.readouterr()
        assert main(args) == 2, args
        out, err = capsys.readouterr()
        assert "Traceback" not in err and "內部錯誤" not in err, args
        assert "損毀.xlsx" in out + err and part in out + err, args
        assert book.read_bytes() == before, args
    main(["check", str(book), "--format", "json"])
    assert [f["rule"] for f in json.loads(capsys.readouterr().out)] == ["zip-part-damaged"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["損毀.xlsx"]


def test_a_book_damaged_after_it_was_checked_is_refused(tmp_path, capsys):
    """check_zip reads a passed file once per process (a command opens it two or three times); the same path
    damaged in place afterwards (same size, same inode) is read again and refused."""
    book = tmp_path / "後損毀.xlsx"
    from xlbudget.adapters.xlsxfile import save_atomic

    save_atomic(example_workbook(), book)
    assert main(["check", str(book), "--format", "json"]) == 0
    capsys.readouterr()
    size = book.stat().st_size
    good = book.read_bytes()  # damaged from its own bytes: a second save could differ in size (its timestamps)
    damaged = _damaged(tmp_path / "副本.xlsx", "xl/styles.xml", good).read_bytes()
    assert len(damaged) == size and damaged != good  # the good book's size, one byte flipped
    with open(book, "r+b") as f:  # in place: the inode stays
        f.write(damaged)
    assert main(["check", str(book), "--format", "json"]) == 2
    assert [f["rule"] for f in json.loads(capsys.readouterr().out)] == ["zip-part-damaged"]


def _rewritten(path: Path, part: str, change) -> Path:
    """The example with ``part`` passed through ``change`` (None: the part left out), every other part as it was."""
    from xlbudget.adapters.xlsxfile import save_atomic

    good = path.with_name("完好.xlsx")
    save_atomic(example_workbook(), good)
    with zipfile.ZipFile(good) as zi, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zo:
        for n in zi.namelist():
            data = zi.read(n) if n != part else change(zi.read(n))
            if data is not None:
                zo.writestr(n, data)
    good.unlink()
    return path


_HALF = lambda data: data[:len(data) // 2]  # noqa: E731 - a part cut short (a copy broken off)
_OPENPYXL = ("build", "next-year")  # the commands that open the book with openpyxl; the others read its values
_DAMAGES = {  # part, change, the commands that must refuse it (the others read the intact values), what is named
    "no-styles": ("xl/styles.xml", lambda data: None, _OPENPYXL, "活頁簿"),  # openpyxl: IndexError
    "cut-content-types": ("[Content_Types].xml", _HALF, _OPENPYXL, "活頁簿"),  # openpyxl: XMLSyntaxError
    "style-not-a-number": ("xl/styles.xml", lambda data: data.replace(b'numFmtId="0"', b'numFmtId="x"', 1),
                           ("next-year",), "活頁簿"),  # openpyxl: TypeError (build splices, never loading styles)
    "cut-sheet-not-read": ("xl/worksheets/sheet1.xml", _HALF,  # 說明, not an input: calamine's XmlError
                           ("check", "build", "next-year", "compare", "export"), "說明"),
}


@pytest.mark.parametrize("damage", list(_DAMAGES))
def test_a_damaged_book_openpyxl_or_calamine_cannot_parse_is_refused_on_every_command(tmp_path, capsys, damage):
    """Was exit 3 「xlbudget 內部錯誤（IndexError: list index out of range）」 (no xl/styles.xml) or XMLSyntaxError,
    TypeError (build, next-year: openpyxl's load), and XmlError (build, export, compare, next-year: calamine reading
    a sheet while looking for renamed input sheets); now exit 2, the file named (and the sheet where one sheet is
    cut), book unchanged. Red: 9 commands exit 3 with the old except of open_workbook and the unwrapped
    to_python of read_grids."""
    part, change, refusing, named = _DAMAGES[damage]
    book = _rewritten(tmp_path / "損毀.xlsx", part, change)
    before = book.read_bytes()
    for args in (["check", str(book), "--format", "json"], ["build", str(book), "-o", str(tmp_path / "out.xlsx")],
                 ["next-year", str(book), "-o", str(tmp_path / "next.xlsx")],
                 ["compare", str(book), str(book), "--format", "json"], ["export", str(book), "--format", "json"]):
        capsys.readouterr()
        assert main(args) == (2 if args[0] in refusing else 0), args
        out, err = capsys.readouterr()
        assert "Traceback" not in err and "內部錯誤" not in err, args
        if args[0] in refusing:
            assert "損毀.xlsx" in out + err, args
            assert named in out + err or args[0] == "next-year", args  # openpyxl's load names no sheet
        assert book.read_bytes() == before, args
        for made in ("out.xlsx", "next.xlsx"):
            (tmp_path / made).unlink(missing_ok=True)


def test_renamed_files_are_named_for_what_they_are(tmp_path, capsys):
    """Field report 7 §3.3: the messages say what the file is and what to do, and name no library (CalamineError)."""
    _compound(tmp_path / "甲.xlsx", "Workbook")
    write_ods(example_workbook(), tmp_path / "乙.xlsx")
    _compound(tmp_path / "丙.xlsx", "EncryptedPackage")
    said = {}
    for name in ("甲.xlsx", "乙.xlsx", "丙.xlsx"):
        capsys.readouterr()
        assert main(["check", str(tmp_path / name)]) == 2
        said[name] = capsys.readouterr().err
    assert "甲.xlsx 這其實是 Excel 97-2003 (.xls) 檔，副檔名卻是 .xlsx；" in said["甲.xlsx"] and "密碼" not in said["甲.xlsx"]
    assert "乙.xlsx 這其實是 OpenDocument 試算表 (.ods) 檔，副檔名卻是 .xlsx；請將副檔名改為 .ods" in said["乙.xlsx"]
    assert "丙.xlsx 有密碼保護（已加密）" in said["丙.xlsx"]
    assert not any(re.search(r"[A-Za-z]+Error|Calamine", text) for text in said.values()), said
    (tmp_path / "乙.xlsx").rename(tmp_path / "乙.ods")  # as the message says: read
    assert main(["check", str(tmp_path / "乙.ods")]) in (0, 1)



def test_files_renamed_to_or_from_ods_are_named_for_what_they_are(tmp_path, capsys):
    """The other way round (review of field report 7 §3.3): an .xls renamed .ods was «xlbudget 內部錯誤（BadZipFile）»
    (exit 3: an .ods was read by its name, never through refuse_unreadable), an .xlsx renamed .ods «無法以 Excel
    活頁簿讀取，檔案可能已損毀», an .ods renamed .xls the same (python-calamine reads by the extension). Each now says
    what the file is, on every command and in convert's summary; exit 2, nothing written."""
    from xlbudget.app.convert import convert_paths

    _compound(tmp_path / "甲.ods", "Workbook")
    example_workbook().save(tmp_path / "乙.ods")
    write_ods(example_workbook(), tmp_path / "丙.xls")
    expected = {"甲.ods": "甲.ods 這其實是 Excel 97-2003 (.xls) 檔，副檔名卻是 .ods；",
                "乙.ods": "乙.ods 的內容是 Excel 活頁簿，但副檔名為「.ods」；請將檔名改為 .xlsx",
                "丙.xls": "丙.xls 這其實是 OpenDocument 試算表 (.ods) 檔，副檔名卻是 .xls；請將副檔名改為 .ods"}
    before = sorted(p.name for p in tmp_path.iterdir())
    for name, message in expected.items():
        book = str(tmp_path / name)
        for args in (["check", book], ["check", book, "--mark", "-o", str(tmp_path / "標示.xlsx")], ["export", book],
                     ["build", book, "-o", str(tmp_path / "out.xlsx")], ["compare", book, book],
                     ["next-year", book, "-o", str(tmp_path / "next.xlsx")]):
            capsys.readouterr()
            assert main(args) == 2, args
            err = capsys.readouterr().err
            assert message in err and "內部錯誤" not in err and "可能已損毀" not in err, (args, err)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    _, results = convert_paths([str(tmp_path / n) for n in expected], str(tmp_path / "out"), jobs=1)
    assert {Path(r.source).name: r.reason for r in results} == {
        "甲.ods": "file-xls-renamed", "乙.ods": "file-wrong-suffix", "丙.xls": "file-ods-renamed"}


def test_no_library_name_in_a_broken_workbook_message(tmp_path, capsys):
    """«無法以 Excel 活頁簿讀取（CalamineError）»: the exception's name stays in the finding's data, not its text."""
    _broken_zip(tmp_path / "壞的.xlsx")
    capsys.readouterr()
    assert main(["check", str(tmp_path / "壞的.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "壞的.xlsx 無法以 Excel 活頁簿讀取，檔案可能已損毀" in err and "Error" not in err, err


def test_a_workbook_named_like_a_lock_file_is_a_book(tmp_path, capsys):
    """A real workbook named ~$乙.xlsx (a valid zip: a copy an officer named so) was refused by every command as Excel's
    lock file (lock-file-given), passed over by convert (lock-file), and made 乙.xlsx beside it count as open in Excel
    (build in place refused, output-open). A lock file is told by what it holds: a few bytes, not a zip."""
    from xlbudget.adapters.atomic import is_lock_file

    real = tmp_path / "~$乙.xlsx"
    example_workbook().save(real)
    capsys.readouterr()
    assert main(["check", str(real)]) in (0, 1)  # read as the book it is
    out = capsys.readouterr()
    assert "暫存鎖定檔" not in out.err and "檢核 ~$乙.xlsx（範本輸入）" in out.out
    book = tmp_path / "乙.xlsx"
    example_workbook().save(book)
    assert main(["build", str(book)]) == 0  # not «正在 Excel 中開啟»: ~$乙.xlsx is no lock file
    assert "正在 Excel 中開啟" not in capsys.readouterr().err
    folder = tmp_path / "各機關"
    folder.mkdir()
    real.rename(folder / "~$乙.xlsx")
    (folder / "~$丙.xlsx").write_bytes(b"\x06officer" + b" " * 47 + b"\x06\x00o\x00f\x00f\x00")  # Excel's, 165 bytes
    assert main(["convert", str(folder), "-o", str(tmp_path / "轉換"), "--jobs", "1"]) in (0, 1)
    summary = json.loads((tmp_path / "轉換" / "轉換摘要.json").read_text(encoding="utf-8"))
    status = {Path(b["source"]).name: (b["status"], b["left_out"] if b["status"] == "完成" else b["reason"])
              for b in summary["books"]}
    assert status["~$乙.xlsx"][0] == "完成" and status["~$丙.xlsx"] == ("略過", "lock-file")
    assert not is_lock_file(folder / "~$乙.xlsx") and is_lock_file(folder / "~$丙.xlsx")


def test_a_password_protected_book_named_like_a_lock_file_is_named_so(tmp_path, capsys):
    """A book saved with a password is a compound file, no zip, as a lock file is not either: what tells them apart is
    its size (a lock file is a few bytes, Excel's 165; the smallest compound file of 4,096-byte sectors is 12,288).
    ~$甲.xlsx saved with a password is named as the encrypted book it is (file-encrypted), never as Excel's lock file
    of 甲.xlsx, which would send the officer to a 甲.xlsx that may not exist."""
    from xlbudget.adapters.atomic import is_lock_file

    book = tmp_path / "~$甲.xlsx"
    _compound(book, "EncryptedPackage", sector=4096)
    assert book.stat().st_size == 3 * 4096
    capsys.readouterr()
    assert main(["check", str(book)]) == 2
    err = capsys.readouterr().err
    assert "有密碼保護" in err and "暫存鎖定檔" not in err, err
    assert not is_lock_file(book)
