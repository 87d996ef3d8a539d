"""An archive in a folder of books (field report 9 §5.5): an agency's book sent zipped is named by what the zip
holds, listed among the books the 彙總's 合計 leaves out (an agency may be missing), never extracted.

The zip's directory alone is read (adapters.safety.archive_names), with caps checked on its end record before
zipfile reads it: a zip bomb or a directory of millions of names stays harmless.
"""

from __future__ import annotations

import json
import os
import zipfile

from xlbudget.adapters import safety
from xlbudget.app.convert import NOT_A_BOOK, convert_paths
from xlbudget.app.summary import summary_line

from test_convert import small_book
from test_convert_citywide import A_ITEMS, B_ITEMS


def _by_name(results):
    return {os.path.basename(r.source): r for r in results}


def test_a_zipped_book_is_named_and_left_out_of_the_citywide_total(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    small_book(folder / "甲.xlsx", "甲局", "02-001", A_ITEMS)
    small_book(tmp_path / "丙局.xlsx", "丙局", "02-003", B_ITEMS)
    with zipfile.ZipFile(folder / "丙局.zip", "w") as z:
        z.write(tmp_path / "丙局.xlsx", "丙局.xlsx")
        z.writestr("說明.txt", "請查收")
    with zipfile.ZipFile(folder / "照片.zip", "w") as z:  # no workbook in it: passed over, as before
        z.writestr("a.jpg", b"\xff\xd8")
    out = tmp_path / "out"
    code, results = convert_paths([str(folder)], str(out), jobs=1)
    by_name = _by_name(results)
    zipped = by_name["丙局.zip"]
    assert (zipped.status, zipped.reason) == (NOT_A_BOOK, "archive-with-books")
    assert "丙局.xlsx" in zipped.message and "請先解壓縮" in zipped.message
    assert zipped.left_out == "citywide-archive"  # the 彙總's 合計 may lack 丙局
    photos = by_name["照片.zip"]
    assert (photos.reason, photos.left_out) == ("archive-without-books", "")
    data = json.loads((out / "轉換摘要.json").read_text(encoding="utf-8"))
    rows = {row["機關"]: row for row in data["彙總"]["歲出機關別預算表"]}
    # 甲局 alone: 10,001,500 元 → 10,002 千元; the 合計 line says one book is to be confirmed
    assert rows["合計（未含待確認 1 本，見下）"]["本年度預算數"] == 10_002
    assert {os.path.basename(r["檔案"]): r["原因代碼"] for r in data["彙總"]["未列入合計"]} == {
        "丙局.zip": "citywide-archive"}
    assert "壓縮檔內有活頁簿 1" in summary_line(results, out)  # not among system files
    assert not (out / "丙局.xlsx").exists() and not any(p.suffix == ".xlsx" and "丙" in p.name for p in out.iterdir())
    # 丙局's book was not converted: exit 2, as for a book not read (README: 2 when some books could not be read).
    # Red on main: 0, the zip 略過 as a file that is no book, a script running convert saw nothing missing
    assert code == 2
    (folder / "丙局.zip").unlink()  # the photos alone: passed over, as any file that is no book
    assert convert_paths([str(folder)], str(out), jobs=1)[0] == 0


def test_an_archive_whose_contents_are_not_known_is_left_out_too(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    small_book(folder / "甲.xlsx", "甲局", "02-001", A_ITEMS)
    (folder / "乙局.7z").write_bytes(b"7z\xbc\xaf\x27\x1c" + bytes(32))
    (folder / "丁局.zip").write_bytes(b"PK\x03\x04 damaged")
    small_book(tmp_path / "戊.xlsx", "戊局", "02-005", B_ITEMS)
    (folder / "戊局.zip").write_bytes((tmp_path / "戊.xlsx").read_bytes())  # a workbook renamed .zip
    code, results = convert_paths([str(folder)], str(tmp_path / "out"), jobs=1)
    by_name = _by_name(results)
    assert {n: (by_name[n].reason, by_name[n].left_out) for n in ("乙局.7z", "丁局.zip", "戊局.zip")} == {
        "乙局.7z": ("archive-unlisted", "citywide-archive"), "丁局.zip": ("archive-unlisted", "citywide-archive"),
        "戊局.zip": ("archive-is-workbook", "citywide-archive")}
    assert "改為 .xlsx" in by_name["戊局.zip"].message
    assert code == 2  # 戊局's book, renamed .zip, not converted (red on main: 0)
    (folder / "戊局.zip").unlink()  # what the 7z and the damaged zip hold is not known: said, and the exit unchanged
    assert convert_paths([str(folder)], str(tmp_path / "out"), jobs=1)[0] == 0


def test_names_zipped_in_big5_without_the_utf8_flag_are_read_as_windows_wrote_them(tmp_path):
    path = tmp_path / "教育.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("placeholder.xlsx", b"x")
    # the same zip as Windows' zip writes it in a Big5 code page: the name's bytes in CP950, no UTF-8 flag (0x800)
    data = path.read_bytes().replace(b"placeholder.xlsx", "教育局預算.xlsx".encode("cp950").ljust(16, b"_"))
    path.write_bytes(data)
    assert safety.archive_names(path) == ["教育局預算.xlsx_"]  # 15 bytes in CP950, padded to the 16 replaced


def test_a_huge_directory_is_never_read(tmp_path, monkeypatch):
    """The caps are checked on the zip's end record before zipfile reads a name (lowered here: a zip of 1 name
    whose directory is 52 bytes, 46 and the name's 6, stands for one of millions)."""
    path = tmp_path / "大.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("a.xlsx", b"x")
    assert safety.archive_names(path) == ["a.xlsx"]
    read = []
    monkeypatch.setattr(zipfile.ZipFile, "infolist", lambda self: read.append(1) or [])
    monkeypatch.setattr(safety, "MAX_ARCHIVE_NAMES", 0)
    assert safety.archive_names(path) is None
    monkeypatch.setattr(safety, "MAX_ARCHIVE_NAMES", 10)
    monkeypatch.setattr(safety, "MAX_ARCHIVE_DIRECTORY", 51)
    assert safety.archive_names(path) is None
    assert read == []  # zipfile never listed it
    monkeypatch.setattr(safety, "MAX_ARCHIVE_DIRECTORY", 52)
    assert safety.archive_names(path) == [] and read == [1]  # within the caps, it is read


def test_a_zip_bomb_is_listed_never_inflated(tmp_path):
    path = tmp_path / "炸彈.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("甲局.xlsx", bytes(50 * 2**20))  # 50 MB of zeros, 50 kB zipped
    assert path.stat().st_size < 2**20
    assert safety.archive_names(path) == ["甲局.xlsx"]


def _odf(path, mimetype: bytes) -> None:
    """A zip as LibreOffice saves an ODF document: ``mimetype`` stored first, uncompressed, then its parts."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", "<office:document-content/>")
        z.writestr("META-INF/manifest.xml", "<manifest:manifest/>")


def test_an_ods_or_an_xlsm_under_another_name_is_told_what_to_rename_it(tmp_path):
    """An agency's .ods saved from an e-mail without its suffix (「社會局」) or renamed .zip was 略過 «不是 Excel
    活頁簿» (no suffix) or «壓縮檔，內無 Excel 活頁簿» (.zip), in no list of books left out; an .xlsm renamed .zip was
    told to be renamed .xlsx, which Excel refuses to open (macros in an .xlsx). Now the .ods is a book not converted
    (archive-is-ods, «請將副檔名改為 .ods»), left out of the 合計 with the others, exit 2; the .xlsm told .xlsm. A text
    document (.odt: mimetype …opendocument.text) without its suffix stays 略過."""
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    small_book(folder / "甲.xlsx", "甲局", "02-001", A_ITEMS)
    _odf(folder / "社會局", b"application/vnd.oasis.opendocument.spreadsheet")
    _odf(folder / "勞工局.zip", b"application/vnd.oasis.opendocument.spreadsheet")
    _odf(folder / "會議紀錄", b"application/vnd.oasis.opendocument.text")
    small_book(tmp_path / "乙.xlsx", "乙局", "02-002", B_ITEMS)
    with zipfile.ZipFile(tmp_path / "乙.xlsx") as z, zipfile.ZipFile(folder / "乙局.zip", "w") as macro:
        for info in z.infolist():
            macro.writestr(info, z.read(info))
        macro.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0")

    code, results = convert_paths([str(folder)], str(out), jobs=1)

    by_name = _by_name(results)
    assert code == 2
    assert {n: by_name[n].reason for n in ("社會局", "勞工局.zip", "會議紀錄", "乙局.zip")} == {
        "社會局": "archive-is-ods", "勞工局.zip": "archive-is-ods", "會議紀錄": "not-a-book",
        "乙局.zip": "archive-is-workbook"}
    assert "副檔名卻是 （無）：未轉換；請將副檔名改為 .ods 後重新轉換" in by_name["社會局"].message
    assert "副檔名卻是 .zip：未轉換；請將副檔名改為 .ods" in by_name["勞工局.zip"].message
    assert "請將副檔名改為 .xlsm 後重新轉換" in by_name["乙局.zip"].message
    left = json.loads((out / "轉換摘要.json").read_text("utf-8"))["彙總"]["歲出機關別預算表"][0]["機關"]
    assert left == "合計（未含待確認 3 本，見下）"


def test_an_odf_mimetype_past_100_bytes_is_not_read(tmp_path):
    """xlsxfile.ods_content reads a zip's mimetype part (46 bytes in an .ods) only when its directory says it holds
    at most 100: a file of any name found in a folder may be a zip made to inflate without end. One whose mimetype
    inflates to 50 MB (50 kB on disk) is no .ods, told without inflating it (peak memory under 5 MB: 50 MB with the
    part read); a real one is an .ods."""
    import tracemalloc

    from xlbudget.adapters.xlsxfile import ods_content

    real, bomb = tmp_path / "甲", tmp_path / "乙"
    _odf(real, b"application/vnd.oasis.opendocument.spreadsheet")
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", b"application/vnd.oasis.opendocument.spreadsheet" + b" " * 50_000_000)
        z.writestr("content.xml", "<office:document-content/>")
    tracemalloc.start()
    try:
        told = (ods_content(real), ods_content(bomb))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert told == (True, False)
    assert peak < 5_000_000, peak
