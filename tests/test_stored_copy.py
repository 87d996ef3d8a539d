"""safety.stored_copy: the book's zip made again in memory, its inflated parts stored, for python-calamine to read
(issue 13): the same parts, the same cells and merged ranges as calamine reads from the file, and None (the file read
as before) wherever the zip is not one it can copy plainly."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from xlbudget.adapters import fastread, safety
from xlbudget.adapters.fastread import read_grids
from xlbudget.adapters.safety import check_zip, stored_copy


def _book(path: Path) -> Path:
    """A small book: shared strings, numbers, a date, a merged range, two sheets."""
    wb = Workbook()
    ws = wb.active
    ws.title = "歲出明細"
    ws.append(["工作計畫編號", "工作計畫名稱", "預算數"])
    ws.append(["32020180101", "行政管理", 276795])
    ws.append(["32020180102", "資訊業務", 1.5])
    ws.merge_cells("A5:C5")
    ws["A5"] = "合併的說明"
    other = wb.create_sheet("說明")
    other["B2"] = "本頁說明"
    wb.save(path)
    return path


def _calamine_reads(wb) -> dict:
    """Every sheet's values and merged ranges as python-calamine gives them."""
    out = {}
    for name in wb.sheet_names:
        sheet = wb.get_sheet_by_name(name)
        out[name] = (sheet.start, sheet.to_python(), sorted(sheet.merged_cell_ranges or ()))
    return out


def _copy(path: Path) -> tuple[bytes | None, dict]:
    kept: dict = {}
    safety._PASSED.clear()
    with zipfile.ZipFile(path) as z:
        check_zip(path, z, kept)
        return stored_copy(z, kept), kept


def test_the_copy_holds_every_part_as_the_file_does(tmp_path):
    path = _book(tmp_path / "b.xlsx")
    copy, kept = _copy(path)
    assert kept  # the sheets check_zip keeps: stored in the copy
    with zipfile.ZipFile(path) as z, zipfile.ZipFile(io.BytesIO(copy)) as c:
        assert c.testzip() is None  # every CRC as the directory says
        assert c.namelist() == z.namelist()
        for info in z.infolist():
            data, copied = z.read(info), c.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):  # the sheets: their merged ranges put first, and the
                at, merges, before, probes = safety.merges_first(data)  # probes before </sheetData>, nothing else
                assert copied == data[:at] + merges + data[at:before] + b"</x>" * probes + data[before:]
                assert copied.index(b"<mergeCells") < copied.index(b"<sheetData")
                assert probes == (0 if b"<mergeCells" in data else 1)  # </worksheet> read where none is first
            else:
                assert copied == data
            stored = c.getinfo(info.filename).compress_type == zipfile.ZIP_STORED
            assert stored == (info.filename in kept)  # the others copied as they were compressed


def test_calamine_reads_the_same_cells_and_merges_from_the_copy(tmp_path):
    path = _book(tmp_path / "b.xlsx")
    copy, _ = _copy(path)
    from_file = _calamine_reads(CalamineWorkbook.from_path(str(path)))
    assert from_file["歲出明細"][2] == [((4, 0), (4, 2))]  # the merged range is there to compare
    assert _calamine_reads(CalamineWorkbook.from_filelike(io.BytesIO(copy))) == from_file


def test_a_zip_written_with_data_descriptors_reads_the_same(tmp_path):
    """A zip whose parts' sizes follow their data (a streaming writer's): the copy gives the sizes up front."""
    path = _book(tmp_path / "b.xlsx")

    class Stream(io.RawIOBase):  # not seekable: zipfile writes a data descriptor after each part
        def __init__(self, f):
            self.f = f

        def writable(self):
            return True

        def write(self, b):
            return self.f.write(b)

    streamed = tmp_path / "streamed.xlsx"
    with zipfile.ZipFile(path) as z, open(streamed, "wb") as f, zipfile.ZipFile(Stream(f), "w",
                                                                               zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            with out.open(info.filename, "w") as part:
                part.write(z.read(info))
    with zipfile.ZipFile(streamed) as z:
        assert all(i.flag_bits & 0x08 for i in z.infolist())
    copy, _ = _copy(streamed)
    assert copy is not None
    assert _calamine_reads(CalamineWorkbook.from_filelike(io.BytesIO(copy))) == _calamine_reads(
        CalamineWorkbook.from_path(str(path)))
    safety._PASSED.clear()
    assert {k: g.rows for k, g in read_grids(streamed).items()} == {k: g.rows for k, g in read_grids(path).items()}


def test_no_copy_where_a_part_is_not_where_the_directory_says(tmp_path):
    path = _book(tmp_path / "b.xlsx")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("docProps/app.xml")  # not kept: its compressed bytes would be copied
    data[info.header_offset + 30] ^= 0x20  # its name in its local header: d → D
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(bytes(data))
    with zipfile.ZipFile(broken) as z:
        assert stored_copy(z, {}) is None


def test_no_copy_of_a_zip_holding_a_name_twice(tmp_path):
    path = _book(tmp_path / "b.xlsx")
    twice = tmp_path / "twice.xlsx"
    with zipfile.ZipFile(path) as z, zipfile.ZipFile(twice, "w") as out:
        for info in z.infolist():
            out.writestr(info, z.read(info))
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns of the duplicate name
            out.writestr("xl/worksheets/sheet1.xml", z.read("xl/worksheets/sheet1.xml"))
    with zipfile.ZipFile(twice) as z:
        assert stored_copy(z, {}) is None


def test_a_book_passed_before_is_read_from_its_copy_too(tmp_path, monkeypatch):
    """check_zip skips a file it passed unchanged; its sheets are kept all the same, and calamine reads the copy."""
    path = _book(tmp_path / "b.xlsx")
    safety._PASSED.clear()
    first = read_grids(path)
    opened = []

    class Counted:  # python-calamine, counting the books read from a copy
        from_path = staticmethod(CalamineWorkbook.from_path)

        @staticmethod
        def from_filelike(f):
            opened.append(f)
            return CalamineWorkbook.from_filelike(f)

    monkeypatch.setattr(fastread, "CalamineWorkbook", Counted)
    second = read_grids(path)  # passed before: check_zip read nothing
    assert len(opened) == 1
    assert {k: g.rows for k, g in second.items()} == {k: g.rows for k, g in first.items()}


def _with_sheet(path: Path, target: Path, edit) -> Path:
    """``path`` with its first sheet's XML edited."""
    with zipfile.ZipFile(path) as z, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            data = z.read(info)
            out.writestr(info.filename, edit(data) if info.filename == "xl/worksheets/sheet1.xml" else data)
    return target


def _first_sheet(wb):
    try:
        sheet = wb.get_sheet_by_name("歲出明細")
        return sheet.to_python(), sheet.merged_cell_ranges
    except Exception as exc:  # python-calamine's own error types
        return type(exc).__name__


def test_the_merged_ranges_are_read_first_and_the_same(tmp_path):
    """Calamine's second pass over a sheet, for its merged ranges, stops at the copy put first: a sheet with merged
    ranges and one without give the same cells and ranges as from the file."""
    path = _book(tmp_path / "b.xlsx")
    copy, kept = _copy(path)
    assert b"<mergeCells" in kept["xl/worksheets/sheet1.xml"]  # 歲出明細's A5:C5
    assert b"mergeCells" not in kept["xl/worksheets/sheet2.xml"]  # 說明: none, an empty element put first
    assert safety.merges_first(kept["xl/worksheets/sheet2.xml"])[1] == b"<mergeCells></mergeCells>"
    assert _calamine_reads(CalamineWorkbook.from_filelike(io.BytesIO(copy))) == _calamine_reads(
        CalamineWorkbook.from_path(str(path)))


_CELLS_END = b"</sheetData>"
BROKEN_AFTER_CELLS = {  # what calamine refuses in a sheet's XML after </sheetData> (before its merged ranges, which
    # end its second pass), read only by that pass
    "cut short": lambda d: d[:d.index(_CELLS_END) + len(_CELLS_END) + 5],
    "a quote left open": lambda d: d.replace(_CELLS_END, _CELLS_END + b'<a b="1>'),
    "an end tag where no element is open": lambda d: d.replace(_CELLS_END, _CELLS_END + b"</a></b>"),
    "the root closed before the cells' end": lambda d: d.replace(_CELLS_END, b"</row>" + _CELLS_END + b"</b><a>"),
    "an unknown <! markup": lambda d: d.replace(_CELLS_END, _CELLS_END + b"<!x>"),
    "a comment left open": lambda d: d.replace(_CELLS_END, _CELLS_END + b"<!-- "),
}
_NO_MERGES = {"merged": lambda d: d,
              "no merged range": lambda d: d.replace(
                  b'<mergeCells count="1"><mergeCell ref="A5:C5"/></mergeCells>', b"")}
_ROW_2 = b'</row><row r="2"'
_LT_IN_VALUE = (b'<row r="1"', b'<row q="<" r="1"')  # a < in an attribute's value, which XML forbids: no tag
CLOSED_IN_THE_CELLS = {  # an end tag among the rows where no element of them is open: how many are open at
    # </sheetData> is not what the tags' brackets count, and calamine refuses what its second pass then closes
    "a row closed twice, a < in an attribute's value, then an end tag": lambda d: d.replace(*_LT_IN_VALUE, 1).replace(
        _ROW_2, b"</row></x>" + _ROW_2[6:], 1).replace(_CELLS_END, _CELLS_END + b"</b><a>"),
    "the same without the <": lambda d: d.replace(_ROW_2, b"</row></x>" + _ROW_2[6:], 1).replace(
        _CELLS_END, _CELLS_END + b"</b><a>"),
    "two end tags after the cells, a < in a value": lambda d: d.replace(*_LT_IN_VALUE, 1).replace(
        _CELLS_END, _CELLS_END + b"</a></b>"),
}


def test_a_sheet_broken_after_its_cells_is_refused_as_before(tmp_path):
    """Each break calamine's second pass refused is refused from the copy too: that part is given as it is."""
    path = _book(tmp_path / "b.xlsx")
    for i, (what, edit) in enumerate(BROKEN_AFTER_CELLS.items()):
        broken = _with_sheet(path, tmp_path / f"broken{i}.xlsx", edit)
        assert _first_sheet(CalamineWorkbook.from_path(str(broken))) == "XmlError", what  # calamine's own verdict
        copy, kept = _copy(broken)
        first = safety.merges_first(kept["xl/worksheets/sheet1.xml"])
        if what == "an end tag where no element is open":  # copied, with two probes: refused where they are
            assert first[3] == 2, what
        else:
            assert first is None, what
        assert _first_sheet(CalamineWorkbook.from_filelike(io.BytesIO(copy))) == "XmlError", what


def test_a_sheet_closing_what_is_not_open_is_refused_as_before(tmp_path):
    """A sheet whose elements open at </sheetData> are fewer than its tags' brackets count (an end tag among the
    rows where none is open, a < in an attribute's value: no tag) is refused from the copy where calamine refused the
    file (its second pass finding </worksheet> or another end tag with no element open), and read as from the file
    where calamine read it: the probes put before </sheetData> find as many elements open as that pass found."""
    path = _book(tmp_path / "b.xlsx")
    for i, (what, edit) in enumerate(CLOSED_IN_THE_CELLS.items()):
        for how, unmerged in _NO_MERGES.items():
            broken = _with_sheet(path, tmp_path / f"closed{i}{how}.xlsx", lambda d: unmerged(edit(d)))
            from_file = _first_sheet(CalamineWorkbook.from_path(str(broken)))
            copy, kept = _copy(broken)
            assert _first_sheet(CalamineWorkbook.from_filelike(io.BytesIO(copy))) == from_file, (what, how)
            assert safety.merges_first(kept["xl/worksheets/sheet1.xml"]) is not None, (what, how)  # a copy, probed
            if how == "no merged range" or "after the cells" in what:
                assert from_file == "XmlError", (what, how)  # calamine's own verdict: refused
    odd = _with_sheet(path, tmp_path / "odd.xlsx", lambda d: d.replace(*_LT_IN_VALUE, 1).replace(
        _ROW_2, b"</row></x>" + _ROW_2[6:], 1))  # the same, nothing closed after the cells: read, ranges and all
    copy, _ = _copy(odd)
    assert _first_sheet(CalamineWorkbook.from_path(str(odd)))[1] == [((4, 0), (4, 2))]
    assert _first_sheet(CalamineWorkbook.from_filelike(io.BytesIO(copy))) == _first_sheet(
        CalamineWorkbook.from_path(str(odd)))


def test_a_cell_left_open_at_the_cells_end_is_read_as_it_is(tmp_path):
    """A cell not closed before </sheetData> (calamine's cells' reader passes over </row> and </sheetData> there and
    reads what follows as the cell's) or a row's end not right before it: the part is given as it is, refused with
    calamine's own error."""
    path = _book(tmp_path / "b.xlsx")
    for i, edit in enumerate((lambda d: d.replace(b"</row>" + _CELLS_END, b'</row><row r="9"><c r="A9"></a></b></y>'
                                                  + _CELLS_END),
                              lambda d: d.replace(b"</row>" + _CELLS_END, b'</row><row r="9"><c r="A9"></row>'
                                                  + _CELLS_END),
                              lambda d: d.replace(b"</row>" + _CELLS_END, b'</row><row r="9"><c r="A9" </c></row>'
                                                  + _CELLS_END))):
        for how, unmerged in _NO_MERGES.items():
            odd = _with_sheet(path, tmp_path / f"open{i}{how}.xlsx", lambda d: unmerged(edit(d)))
            copy, kept = _copy(odd)
            assert safety.merges_first(kept["xl/worksheets/sheet1.xml"]) is None, (i, how)
            from_file = _first_sheet(CalamineWorkbook.from_path(str(odd)))
            assert isinstance(from_file, str)  # refused
            assert _first_sheet(CalamineWorkbook.from_filelike(io.BytesIO(copy))) == from_file


def test_what_calamine_reads_after_the_cells_is_still_read(tmp_path):
    """What calamine's reader lets through after </sheetData> (an end tag not matching its start, an element left
    open) is read from the copy as from the file."""
    path = _book(tmp_path / "b.xlsx")
    for i, edit in enumerate((lambda d: d.replace(_CELLS_END, _CELLS_END + b"<a></b>"),
                              lambda d: d.replace(_CELLS_END, _CELLS_END + b"<a>"))):
        odd = _with_sheet(path, tmp_path / f"odd{i}.xlsx", edit)
        copy, kept = _copy(odd)
        assert safety.merges_first(kept["xl/worksheets/sheet1.xml"]) is not None
        from_file = _first_sheet(CalamineWorkbook.from_path(str(odd)))
        assert from_file[1] == [((4, 0), (4, 2))]
        assert _first_sheet(CalamineWorkbook.from_filelike(io.BytesIO(copy))) == from_file


def test_the_crc_of_a_sheet_with_bytes_put_in_is_zlibs():
    """The CRC of a long part with bytes put in near its start, combined rather than reckoned over it again, is
    zlib's over the whole."""
    import random
    import zlib

    rng = random.Random(13)
    for _ in range(20):
        xml = rng.randbytes(rng.randint(0, 3 * safety._COMBINE_FROM))
        at = rng.randint(0, min(len(xml), 500))
        inserted = rng.randbytes(rng.randint(0, 400))
        before = rng.randint(at, len(xml))
        probes = b"</x>" * rng.randint(0, 2)
        crc, body = safety._inserted(zlib.crc32(xml), xml, at, inserted, before, probes)
        assert body == xml[:at] + inserted + xml[at:before] + probes + xml[before:]
        assert crc == zlib.crc32(body)
