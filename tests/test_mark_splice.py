"""check --mark and --clear keep what openpyxl would drop: they splice (adapters.splicemark), as build does.

Field report 5 §3.1 (f28, f32): a book written by XlsxWriter with the agency's logo on the officer's own 封面 and on
基本資料, the 科長's text box on 歲出明細, and an Excel 365 comment thread on 歲出明細!H24 lost all of them to
check --mark (-o and in place) and --clear, without a word. Every part but those marking writes must come out
byte for byte; a book that cannot be spliced and holds such things is refused, never written without them.
"""

from __future__ import annotations

import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest

from xlbudget.cli import main

from conftest import sha256
from test_convert import EXAMPLE

WRONG = 33_000  # 歲出明細 H24 typed wrong: its 數量 1 × 單價 32,000 = 32,000 元 (item-product-mismatch, 錯誤)
ERROR_FILL = "FFFFC7CE"  # marking.FILLS[錯誤]
# the parts marking writes (or may write): everything else is the officer's, byte for byte
WRITTEN = ("[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "docProps/app.xml")


def _png(width: int = 40, height: int = 20) -> bytes:
    raw = b"".join(b"\x00" + bytes([200, 30, 30]) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.fixture
def drawn_book(tmp_path) -> Path:
    """The example written by XlsxWriter with a picture on 封面 and 基本資料, a text box on 歲出明細, H24 wrong."""
    import io

    import xlsxwriter

    logo = io.BytesIO(_png())
    source = openpyxl.load_workbook(EXAMPLE)
    path = tmp_path / "有圖的預算書.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    cover = wb.add_worksheet("封面")
    cover.write("A1", "高雄市政府資訊中心 113年度單位預算")
    cover.insert_image("B3", "logo.png", {"image_data": logo})
    for ws in source.worksheets:
        out = wb.add_worksheet(ws.title)
        for r, row in enumerate(ws.iter_rows(values_only=True)):
            for c, value in enumerate(row):
                if value is not None:
                    out.write(r, c, value)
        if ws.title == "基本資料":
            out.insert_image("E2", "logo.png", {"image_data": io.BytesIO(_png())})
        if ws.title == "歲出明細":
            out.write("H24", WRONG)
            out.insert_textbox("Q3", "科長：2054 待議會審議後再調整", {"width": 260, "height": 60})
    wb.close()
    return path


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _kept(before: dict[str, bytes], after: dict[str, bytes], sheets: set[str]) -> dict[str, str]:
    """Each part of ``before`` that marking must not write (not WRITTEN, not a marked sheet's XML or rels): how
    it came out ("lost", "changed"), where it did not come out the same. The tab that was selected may lose only
    its selection (檢核結果 is the selected tab once marked)."""
    wrong = {}
    for name, data in before.items():
        if name in WRITTEN or name in sheets or name.replace("_rels/", "").removesuffix(".rels") in sheets:
            continue
        if name not in after:
            wrong[name] = "lost"
        elif after[name] != data and after[name] != data.replace(b' tabSelected="1"', b""):
            wrong[name] = "changed"
    return wrong


def _marked_sheet_parts(path: Path, *names: str) -> set[str]:
    from xlbudget.adapters.splice import OfficerBook

    book = OfficerBook(path)
    return {book.parts[n] for n in names}


def _marked_sheets(path: Path, marked: Path) -> set[str]:
    """The parts of the sheets the state sheet of ``marked`` names (those whose cells were marked)."""
    state = openpyxl.load_workbook(marked)["xlbudget標示紀錄"]
    names = {row[0] for row in state.iter_rows(min_row=2, values_only=True)}
    assert "歲出明細" in names
    return _marked_sheet_parts(path, *names)


def test_mark_keeps_pictures_and_text_boxes_byte_for_byte(drawn_book, tmp_path, capsys):
    before = _parts(drawn_book)
    media = sorted(n for n in before if n.startswith(("xl/media/", "xl/drawings/drawing")))
    assert len(media) == 4  # 1 picture, its 2 drawings, the text box's drawing (the input is what it should be)
    original = sha256(drawn_book)
    marked = tmp_path / "標示.xlsx"
    assert main(["check", str(drawn_book), "--mark", "-o", str(marked)]) == 1  # H24 is an error
    assert sha256(drawn_book) == original
    after = _parts(marked)
    sheets = _marked_sheets(drawn_book, marked)
    assert len(sheets) < 5  # 歲出明細 and the 以前年度 notes' sheet: not every sheet rewritten
    assert _kept(before, after, sheets) == {}  # the logo, both drawings, the text box: each part the same bytes
    assert b"\xe7\xa7\x91\xe9\x95\xb7" in after[[n for n in media if b"txBody" in before[n]][0]]  # 科長's text
    wb = openpyxl.load_workbook(marked)
    assert wb.sheetnames[0] == "檢核結果" and wb.active.title == "檢核結果"
    h24 = wb["歲出明細"]["H24"]
    assert h24.value == WRONG and h24.fill.fgColor.rgb == ERROR_FILL
    assert h24.comment.author == "xlbudget" and "item-product-mismatch" in h24.comment.text
    assert wb["xlbudget標示紀錄"].sheet_state == "veryHidden"


def test_mark_in_place_twice_then_clear_gives_the_book_back(drawn_book, capsys):
    before = _parts(drawn_book)
    pristine = shutil.copy(drawn_book, drawn_book.with_name("原樣.xlsx"))
    for _ in range(2):
        assert main(["check", str(drawn_book), "--mark"]) == 1
        sheets = _marked_sheets(pristine, drawn_book)
        assert _kept(before, _parts(drawn_book), sheets) == {}
    wb = openpyxl.load_workbook(drawn_book)
    assert wb["歲出明細"]["H24"].comment.text.count("item-product-mismatch") == 1  # one xlbudget block, not two
    rows = wb["檢核結果"].max_row
    assert main(["check", str(drawn_book), "--clear"]) == 0
    after = _parts(drawn_book)
    assert _kept(before, after, sheets) == {}
    assert not [n for n in after if "comments" in n or n.endswith(".vml")]  # the notes' parts gone with the notes
    wb = openpyxl.load_workbook(drawn_book)
    assert "檢核結果" not in wb.sheetnames and "xlbudget標示紀錄" not in wb.sheetnames
    h24 = wb["歲出明細"]["H24"]
    assert h24.comment is None and h24.fill.patternType is None and rows > 4


# Excel 365's 註解: a thread on 歲出明細!H24 (王科長 asks, the 承辦人 replies) and the note Excel writes beside it
PERSON = "{6A1B2C3D-0000-4000-8000-000000000001}"
PERSONS = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<personList xmlns="http://schemas.microsoft.com/'
           f'office/spreadsheetml/2018/threadedcomments" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/'
           f'2006/main"><person displayName="王科長" id="{PERSON}" userId="wang@kcg.gov.tw" providerId="AD"/>'
           f'</personList>').encode()
THREAD = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<ThreadedComments xmlns="http://schemas.microsoft'
          f'.com/office/spreadsheetml/2018/threadedcomments" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/'
          f'2006/main"><threadedComment ref="H24" dT="2026-11-30T09:00:00.00" personId="{PERSON}" '
          f'id="{{11111111-0000-4000-8000-000000000001}}"><text>物品為何增加1,000元？</text></threadedComment>'
          f'<threadedComment ref="H24" dT="2026-11-30T10:00:00.00" personId="{PERSON}" '
          f'id="{{11111111-0000-4000-8000-000000000002}}" parentId="{{11111111-0000-4000-8000-000000000001}}">'
          f'<text>承辦人：依採購單調整。</text></threadedComment></ThreadedComments>').encode()
FALLBACK = "[Threaded comment]\n\nComment:\n    物品為何增加1,000元？"


@pytest.fixture
def threaded_book(tmp_path) -> Path:
    """The example, H24 wrong, with the thread on H24 and its fallback note, as Excel 365 saves them."""
    from openpyxl.comments import Comment

    wb = openpyxl.load_workbook(EXAMPLE)
    wb["歲出明細"]["H24"] = WRONG
    wb["歲出明細"]["H24"].comment = Comment(FALLBACK, "tc={11111111-0000-4000-8000-000000000001}")
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    sheet = next(iter(_marked_sheet_parts(plain, "歲出明細")))
    rels = sheet.replace("worksheets/", "worksheets/_rels/") + ".rels"
    return add_thread(plain, tmp_path / "對話.xlsx", rels, THREAD, PERSONS)


def add_thread(plain: Path, path: Path, rels: str, thread: bytes, persons: bytes) -> Path:
    """``plain`` written to ``path`` with ``thread`` as xl/threadedComments/threadedComment1.xml, linked from the sheet
    whose relationships are ``rels``, and ``persons`` as the book's persons part, as Excel 365 saves them."""
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/threadedComments/threadedComment1.xml" '
                                    b'ContentType="application/vnd.ms-excel.threadedcomments+xml"/><Override '
                                    b'PartName="/xl/persons/person.xml" ContentType="application/vnd.ms-excel.'
                                    b'person+xml"/></Types>')
            if item.filename == rels:
                data = data.replace(b"</Relationships>", b'<Relationship Type="http://schemas.microsoft.com/office/'
                                    b'2017/10/relationships/threadedComment" Target="/xl/threadedComments/'
                                    b'threadedComment1.xml" Id="rIdTC1"/></Relationships>')
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Type="http://schemas.microsoft.com/office/'
                                    b'2017/10/relationships/person" Target="/xl/persons/person.xml" Id="rIdP1"/>'
                                    b"</Relationships>")
            zout.writestr(item, data)
        zout.writestr("xl/threadedComments/threadedComment1.xml", thread)
        zout.writestr("xl/persons/person.xml", persons)
    return path


def test_a_comment_thread_is_kept_and_its_cell_still_marked(threaded_book, tmp_path, capsys):
    original = sha256(threaded_book)
    marked = tmp_path / "標示.xlsx"
    assert main(["check", str(threaded_book), "--mark", "-o", str(marked)]) == 1
    assert sha256(threaded_book) == original
    after = _parts(marked)
    assert after["xl/threadedComments/threadedComment1.xml"] == THREAD and after["xl/persons/person.xml"] == PERSONS
    wb = openpyxl.load_workbook(marked)
    h24 = wb["歲出明細"]["H24"]
    assert h24.fill.fgColor.rgb == ERROR_FILL  # marked, and on 檢核結果...
    assert (h24.comment.text, h24.comment.author) == (FALLBACK, "tc={11111111-0000-4000-8000-000000000001}")
    assert any(row[4] == "歲出明細!H24" for row in wb["檢核結果"].iter_rows(values_only=True))
    assert main(["check", str(marked), "--clear"]) == 0  # ...and the thread is still there once cleared
    after = _parts(marked)
    assert after["xl/threadedComments/threadedComment1.xml"] == THREAD and after["xl/persons/person.xml"] == PERSONS
    h24 = openpyxl.load_workbook(marked)["歲出明細"]["H24"]
    assert h24.comment.text == FALLBACK and h24.fill.patternType is None


def test_clear_takes_off_marks_openpyxl_made(tmp_path, capsys):
    """A book marked the openpyxl way (convert --mark, or before this) is cleared by the splice, note and fill."""
    from openpyxl.comments import Comment

    from xlbudget.adapters.marking import mark_workbook
    from xlbudget.app.check import check_file

    wb = openpyxl.load_workbook(EXAMPLE)
    wb["歲出明細"]["H24"] = WRONG
    wb["歲出明細"]["H24"].comment = Comment("科長：此筆待確認", "王小明")
    book = tmp_path / "舊標示.xlsx"
    wb.save(book)
    report, wb, _ = check_file(book)
    assert mark_workbook(wb, report.findings, book.name) > 0
    wb.save(book)
    assert openpyxl.load_workbook(book)["歲出明細"]["H24"].comment.author == "xlbudget"
    assert main(["check", str(book), "--clear"]) == 0
    wb = openpyxl.load_workbook(book)
    h24 = wb["歲出明細"]["H24"]
    assert (h24.comment.text, h24.comment.author) == ("科長：此筆待確認", "王小明")
    assert h24.fill.patternType is None and "檢核結果" not in wb.sheetnames
    assert "xlbudget標示紀錄" not in wb.sheetnames


def test_a_book_that_cannot_be_spliced_is_refused_not_stripped(drawn_book, tmp_path, monkeypatch, capsys):
    from xlbudget.adapters import splicemark
    from xlbudget.adapters.splice import CannotSplice

    def cannot(*args, **kwargs):
        raise CannotSplice("for the test")

    monkeypatch.setattr(splicemark, "mark_file", cannot)
    original = sha256(drawn_book)
    marked = tmp_path / "標示.xlsx"
    assert main(["check", str(drawn_book), "--mark", "-o", str(marked)]) == 2
    err = capsys.readouterr().err
    assert "封面" in err and "基本資料" in err and "圖片" in err and "歲出明細" in err and "文字方塊" in err
    assert not marked.exists() and sha256(drawn_book) == original
    assert main(["check", str(drawn_book), "--clear"]) == 2 and sha256(drawn_book) == original
    shutil.copy(EXAMPLE, tmp_path / "無圖.xlsx")  # nothing to lose: marked the openpyxl way, as before
    assert main(["check", str(tmp_path / "無圖.xlsx"), "--mark", "-o", str(tmp_path / "無圖標示.xlsx")]) == 0
    assert "檢核結果" in openpyxl.load_workbook(tmp_path / "無圖標示.xlsx").sheetnames
