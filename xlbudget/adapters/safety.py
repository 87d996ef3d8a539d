"""Hostile files are harmless: size caps checked on the zip before any XML is parsed.

XML entity expansion and external entities are handled by defusedxml, which
openpyxl uses when it is installed (a dependency of xlbudget); python-calamine's
XML reader does not expand entities.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from contextlib import nullcontext
from pathlib import Path

from xlbudget.core.errors import InputError
from xlbudget.core.findings import make_finding
from xlbudget.core.model import CellRef, column_number
from xlbudget.core.patterns import lazy

MAX_UNCOMPRESSED = 300 * 1024 * 1024  # 300 MB of XML is far beyond any budget book
MAX_RATIO = 200  # a member that inflates more than 200× and past 20 MB is a zip bomb
MAX_ROWS = 200_000
MAX_COLUMNS = 500
# a cell's or a row's r attribute wherever it stands among the element's attributes (<c s="1" r="XFD9">, <x:c r=…>);
# a row's has no letters
_CELL_REF = lazy(rb'\sr="([A-Z]{0,3})(\d{1,7})"')
_FORMULA_OR_ERROR = lazy(rb'<(?:\w+:)?f[ >/]|t="e"')  # a cell formula (not <formula1> of a validation), an error
# what every match of _FORMULA_OR_ERROR holds, found by a fast search (a literal to start from) before that slow
# regex, which tries every position (2 ms on a 50 kB sheet whose validations hold <formula1>)
_FORMULA_HINT = lazy(rb"f[ >/]")
_FEW_HITS = 64  # hits of a lead byte looked at one by one (memchr) before the plain search takes the rest
_SMALL = 32_768  # bytes of XML below which the plain search is the quicker (a template's sheet: 1–25 kB, 20–60 hits)


def _holds(data: bytes, lead: bytes, found) -> bool:
    """Whether ``data`` holds a match whose first byte is ``lead``, a byte sheet XML seldom holds (f, h): memchr
    to each ``lead`` and ``found(data, i)`` there, ten times quicker than a regex or ``in`` over 13 MB of a
    20,000-row sheet; past _FEW_HITS of them (a sheet full of that byte), ``found(data, None)`` searches the rest.
    Data under _SMALL bytes is searched plainly at once: one search in C against a call a hit (0.16 against
    0.05 ms for the 18 sheets of a 77-item book)."""
    if len(data) < _SMALL:
        return found(data, None)
    i = data.find(lead)
    for _ in range(_FEW_HITS):
        if i < 0:
            return False
        if found(data, i):
            return True
        i = data.find(lead, i + 1)
    return i >= 0 and found(data[i:], None)


def _formula_hint(data: bytes, i: int | None) -> bool:
    """_FORMULA_HINT at ``i`` (anywhere, for None)."""
    return bool(_FORMULA_HINT.search(data)) if i is None else data[i + 1:i + 2] in (b" ", b">", b"/")


# a row's height or a column's width that may be 0, however a writer spells it: the attribute (whitespace may stand
# about its =), a quote of either kind, then blanks or a sign before a 0 or a point (ht="0", "0.0", ".0", " 0", "+0",
# "-0", ht = '0'; "0.4" too, which grid.line_hidden keeps shown); a literal start, so re seeks it as quickly as find
_ZERO_SIZE = {b"h": lazy(rb'ht\s*=\s*["\'][\s+-]*[0.]'), b"w": lazy(rb'width\s*=\s*["\'][\s+-]*[0.]')}
_HIDDEN_WORD = lazy(rb"hidden\s*=")  # hidden="1", hidden='true', hidden = "1": any value, grid.line_hidden decides


def _zero_size(data: bytes, kind: bytes, at: int = 0, end: int | None = None) -> bool:
    """Whether ``data`` (from ``at`` on, before ``end``) holds a size that may be 0 (_ZERO_SIZE's ``kind``: b"h" a
    row's height, b"w" a column's width) as an attribute of its own, not the end of another (right="0.75" of the
    page margins, fitToHeight="0" of the page setup, which most sheets hold)."""
    pattern = _ZERO_SIZE[kind]
    m = pattern.search(data, at) if end is None else pattern.search(data, at, end)
    while m:
        if m.start() > 0 and data[m.start() - 1:m.start()].isspace():
            return True
        m = pattern.search(data, m.start() + 1) if end is None else pattern.search(data, m.start() + 1, end)
    return False


def _hidden_hint(data: bytes, i: int | None) -> bool:
    """``hidden=``, or a row's height or a column's width that may be 0 (_ZERO_SIZE: Excel and LibreOffice show and
    print such a row or column as hidden), at ``i`` (its h; anywhere, for None): never narrower than what
    fastread.hidden_marks and grid.line_hidden take for hidden. Widths are looked for before the cells only (<cols>
    comes first): one search of the whole sheet more than hidden= alone (field report 17 §1.2)."""
    if i is not None:
        after = data[i + 1:i + 2]
        if after == b"i":
            return bool(_HIDDEN_WORD.match(data, i))
        if after == b"t":
            return i > 0 and data[i - 1:i].isspace() and bool(_ZERO_SIZE[b"h"].match(data, i))
        return data[i - 4:i] == b"widt" and i > 4 and data[i - 5:i - 4].isspace() and bool(
            _ZERO_SIZE[b"w"].match(data, i - 4))
    if b"hidden" in data and _HIDDEN_WORD.search(data) or _zero_size(data, b"h"):  # `in`: no regex scan on most
        return True
    cells = data.find(b"sheetData")
    return _zero_size(data, b"w", 0, cells if cells >= 0 else None)


# files check_zip has passed, by (path, inode, size, modification and change times): a command opens one file two or three times
# (the values copy, the formulas, calamine), and reading every part to its end costs 35 ms on a 13 MB book
_PASSED: set[tuple] = set()


_SHEETS_FOLDER = "xl/worksheets/"  # where a workbook's sheet parts are
_STRICT_MAIN = b"http://purl.oclc.org/ooxml/spreadsheetml/main"  # the workbook namespace of a strict OOXML file
_CONTENT_TYPES = "[Content_Types].xml"
# the workbook part's content type in an Excel template (.xltx, .xltm), where a workbook's is sheet.main / macroEnabled.main
_TEMPLATE_TYPES = (b"spreadsheetml.template.main+xml", b"ms-excel.template.macroEnabled.main+xml")


def is_template(content_types: bytes) -> bool:
    """Whether a zip's [Content_Types].xml (its bytes) gives the workbook part an Excel template's type (.xltx, .xltm):
    Excel opens such a file only under a template's name, and no book written from it under .xlsx."""
    return any(kind in content_types for kind in _TEMPLATE_TYPES)
_MACRO_TYPE = b"ms-excel.sheet.macroEnabled.main+xml"  # the workbook part's type in a macro-enabled book (.xlsm)


def is_macro_book(content_types: bytes) -> bool:
    """Whether a zip's [Content_Types].xml (its bytes) gives the workbook part a macro-enabled book's type (.xlsm):
    Excel opens such a file only under .xlsm (renamed .xlsx: «檔案格式或副檔名無效»), nor any book written from it
    under .xlsx with that type (field report 17 §2.4)."""
    return _MACRO_TYPE in content_types


STYLES_PART = "xl/styles.xml"  # kept too: fastread looks in it for struck fonts and number formats showing a unit
_KEEP_PART = 4 * 2**20  # inflated bytes of a sheet part check_zip keeps for check_extent, at most …
_KEEP_TOTAL = 32 * 2**20  # … and of all it keeps of one book

# a part's local header: its signature, flags, and its name's and extra field's lengths
_LOCAL_HEADER = struct.Struct("<4s2xH18xHH")
_READ_BY_ZIPFILE = 0x61  # flags zipfile reads otherwise or refuses: encrypted (0x1), patched (0x20), strong encryption (0x40)
_UTF8_NAMED = 0x800  # the flag saying a name is UTF-8 (else CP437)


def part_bytes(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """``z.read(info)``: the same bytes, checked as zipfile checks them (the local header's signature and name, the
    size and CRC the directory gives), read for a deflated part of at most _KEEP_PART bytes with one seek, one read
    of its header and name and one of its compressed bytes, inflated in one call. zipfile's own reader makes a
    shared file handle and a stream a part and reads them in a dozen calls: 20 µs a part in Python, 0.37 of the
    0.69 ms the 18 sheets of a 77-item book cost to inflate. Any other part (stored, encrypted, larger), and one
    whose bytes are not as the directory says, is read by zipfile itself, which refuses it as before
    (BadZipFile, zlib.error, EOFError)."""
    fp = z.fp
    if (info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & _READ_BY_ZIPFILE
            or info.file_size > _KEEP_PART or fp is None):
        return z.read(info)
    try:
        name = info.orig_filename.encode("utf-8" if info.flag_bits & _UTF8_NAMED else "cp437")
    except UnicodeEncodeError:
        return z.read(info)
    fp.seek(info.header_offset)
    head = fp.read(_LOCAL_HEADER.size + len(name))
    if len(head) == _LOCAL_HEADER.size + len(name) and head[_LOCAL_HEADER.size:] == name:
        magic, flags, name_length, extra_length = _LOCAL_HEADER.unpack_from(head)
        if (magic == b"PK\x03\x04" and name_length == len(name) and not flags & _READ_BY_ZIPFILE
                and flags & _UTF8_NAMED == info.flag_bits & _UTF8_NAMED):
            fp.seek(extra_length, 1)
            inflate = zlib.decompressobj(-15)
            try:
                data = inflate.decompress(fp.read(info.compress_size), info.file_size + 1)
            except zlib.error:
                data = None
            if (data is not None and inflate.eof and len(data) == info.file_size
                    and zlib.crc32(data) == info.CRC):
                return data
    return z.read(info)  # not as the directory says: zipfile reads it, and names what is wrong


def check_zip(path: str | Path, z: zipfile.ZipFile | None = None, kept: dict | None = None) -> None:
    """Refuse a workbook whose parts would inflate past the caps (zip bomb), hold a DTD, or are damaged.

    A file already passed and unchanged since (same size and modification time) is not read again.
    ``z``: the file's zip already open (fastread.read_grids opens it once for every part it reads).
    ``kept``: given, it gets the XML of each sheet part (under xl/worksheets/) as inflated here, {part: bytes}, up to
    _KEEP_PART a part and _KEEP_TOTAL in all, for check_extent to scan without inflating it again (a 77-item
    book's 18 sheets: 0.6 ms); for a file passed before, with ``z``, the sheets and styles are inflated for it all the
    same (_keep), nothing else read.
    """
    name = Path(path).name
    try:
        st = Path(path).stat()
        state = (str(Path(path).resolve()), st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    except OSError:
        state = None  # zipfile below says what is wrong with the path
    if state in _PASSED:
        if kept is not None and z is not None:
            _keep(z, kept, name)
        return
    with (zipfile.ZipFile(path) if z is None else nullcontext(z)) as z:
        infos = z.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED:
            raise InputError(make_finding("zip-too-large", None, name=name, size=f"{total // 2**20:,}",
                                          limit=MAX_UNCOMPRESSED // 2**20), name)
        for i in infos:
            if i.file_size > 20 * 2**20 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                raise InputError(make_finding("zip-ratio", None, name=name, part=i.filename,
                                              ratio=f"{i.file_size // max(i.compress_size, 1):,}"), name)
        room = _KEEP_TOTAL
        for i in infos:
            # every part read to its end, where zipfile checks its CRC: a damaged part (a bad copy, a half-synced
            # share) is refused here by name, never met later as a decompression error
            keep = kept is not None and i.file_size <= min(_KEEP_PART, room) and (
                i.filename.startswith(_SHEETS_FOLDER) or i.filename == STYLES_PART)
            try:
                if i.file_size <= _KEEP_PART:  # read whole, in one read (part_bytes)
                    data = part_bytes(z, i)
                    head = data[:4096]
                else:
                    with z.open(i) as f:
                        head = f.read(4096)
                        while f.read(1 << 20):
                            pass
            except (zlib.error, zipfile.BadZipFile, EOFError):
                raise InputError(make_finding("zip-part-damaged", None, name=name, part=i.filename), name) from None
            if keep:
                kept[i.filename] = data
                room -= len(data)
            if i.filename == _CONTENT_TYPES and is_template(data if i.file_size <= _KEEP_PART else head):
                # an Excel template (.xltx, .xltm) renamed .xlsx: Excel opens neither it nor what build writes from it
                raise InputError(make_finding("file-template", None, name=name), name)
            if i.filename == _CONTENT_TYPES and Path(path).suffix.lower() == ".xlsx" \
                    and is_macro_book(data if i.file_size <= _KEEP_PART else head):
                # an .xlsm renamed .xlsx: Excel opens neither it nor what build writes from it (its macro type kept)
                raise InputError(make_finding("file-macro-renamed", None, name=name), name)
            if i.filename == _WORKBOOK and _STRICT_MAIN in head:
                # Excel's 「Strict Open XML 試算表」: calamine reads its cells, but every part found by the transitional
                # namespaces (the sheets' parts, Excel Tables, formulas without a value, hidden rows) would be missed
                # and openpyxl finds no sheet at all: read half or said missing, so refused by name (field report 17)
                raise InputError(make_finding("file-strict", None, name=name), name)
            # Excel never writes a DTD; one in any part is an entity-expansion or external-entity attack
            if i.filename.endswith((".xml", ".rels", ".vml")) and (b"<!DOCTYPE" in head or b"<!ENTITY" in head):
                raise InputError(make_finding("xml-entity", None, name=name, part=f" 的 {i.filename}"), name)
    if state is not None:
        _PASSED.add(state)


def _keep(z: zipfile.ZipFile, kept: dict, name: str) -> None:
    """``kept`` given the parts check_zip keeps, for a file it passed before (it read none of them this time): each
    inflated once here, as check_extent would inflate it, for check_extent and stored_copy alike; a part damaged
    since is refused as check_zip refuses it."""
    room = _KEEP_TOTAL
    for i in z.infolist():
        if i.file_size <= min(_KEEP_PART, room) and (i.filename.startswith(_SHEETS_FOLDER) or i.filename == STYLES_PART):
            try:
                kept[i.filename] = data = part_bytes(z, i)
            except (zlib.error, zipfile.BadZipFile, EOFError):
                raise InputError(make_finding("zip-part-damaged", None, name=name, part=i.filename), name) from None
            room -= len(data)


_LOCAL = struct.Struct("<4s5H3L2H")  # a part's local header: signature, version, flags, method, time, date, CRC, sizes,
# name and extra field lengths
_CENTRAL = struct.Struct("<4s6H3L5H2L")  # its directory entry: signature, versions, flags, method, time, date, CRC,
# sizes, name, extra and comment lengths, disk, attributes, its local header's offset
_STORED_MAX = 64 * 2**20  # bytes of a copy made in memory, at most


def stored_copy(z: zipfile.ZipFile, kept: dict) -> bytes | None:
    """The book's zip ``z`` made again in memory, every part of ``kept`` (check_zip's, already inflated and checked)
    stored as it is and every other part's compressed bytes copied as they are, with the names, CRCs and sizes of the
    zip's own directory: the same parts, which python-calamine reads without inflating each sheet twice more (its
    cells, then its merged ranges: 4 of the 26 M instructions it spends on a 77-item book). None where a part is not
    one zipfile reads plainly (encrypted, another method, a name it cannot give back as stored), where its
    compressed bytes are not where and as the directory says, and for a zip too large for the plain format: the
    caller opens the file itself, as before; so too for a zip holding a name twice."""
    fp, infos = z.fp, z.infolist()
    if fp is None or len(infos) >= 0xFFFF or len(z.NameToInfo) != len(infos):  # a name twice: which is read is
        return None  # calamine's choice, left to it
    pieces, directory, offset = [], [], 0
    for info in infos:
        if (info.flag_bits & _READ_BY_ZIPFILE or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
                or offset + max(info.file_size, info.compress_size) > _STORED_MAX):
            return None
        try:
            name = info.orig_filename.encode("utf-8" if info.flag_bits & _UTF8_NAMED else "cp437")
        except UnicodeEncodeError:
            return None
        body = kept.get(info.filename)
        method, crc = zipfile.ZIP_STORED, info.CRC
        if body is not None and len(body) == info.file_size and info.filename.startswith(_SHEETS_FOLDER):
            first = merges_first(body)
            if first is not None:  # the sheet's XML with its merged ranges first, and the probes
                at, merges, before, probes = first
                crc, body = _inserted(info.CRC, body, at, merges, before, _PROBE * probes)
        elif body is None or len(body) != info.file_size:
            fp.seek(info.header_offset)
            head = fp.read(_LOCAL_HEADER.size + len(name))
            if len(head) != _LOCAL_HEADER.size + len(name) or head[_LOCAL_HEADER.size:] != name:
                return None
            magic, _, name_length, extra_length = _LOCAL_HEADER.unpack_from(head)
            if magic != b"PK\x03\x04" or name_length != len(name):
                return None
            fp.seek(extra_length, 1)
            body, method = fp.read(info.compress_size), info.compress_type
            if len(body) != info.compress_size:
                return None
        if offset + len(body) > _STORED_MAX:
            return None
        year, month, day, hour, minute, second = info.date_time  # as the directory gives it (1980-01-01: none)
        dosdate, dostime = ((year - 1980) << 9 | month << 5 | day, hour << 11 | minute << 5 | second // 2) \
            if 1980 <= year <= 2107 else (0x21, 0)
        flags = info.flag_bits & _UTF8_NAMED
        size = len(body) if method == zipfile.ZIP_STORED else info.file_size
        pieces += (_LOCAL.pack(b"PK\x03\x04", 20, flags, method, dostime, dosdate, crc, len(body), size, len(name),
                               0), name, body)
        directory += (_CENTRAL.pack(b"PK\x01\x02", 20, 20, flags, method, dostime, dosdate, crc, len(body), size,
                                    len(name), 0, 0, 0, 0, 0, offset), name)
        offset += _LOCAL.size + len(name) + len(body)
    directory = b"".join(directory)
    return b"".join(pieces + [directory, _END_OF_DIRECTORY.pack(b"PK\x05\x06", 0, 0, len(infos), len(infos),
                                                               len(directory), offset, 0)])


_MERGES = b"mergeCells"
_SPACE_OR_END = frozenset((b" ", b"\t", b"\r", b"\n", b">"))  # what follows an element's name in its start tag
_NO_MERGES = b"<mergeCells></mergeCells>"
_SHEET_DATA = b"sheetData"
_SHEET_DATA_END = b"</sheetData>"
_ROW_CLOSED = b"</row>"
_PROBE = b"</x>"  # an end tag calamine's cells' reader passes over (it stops at one named sheetData)
_HEAD_MAX = 65_536  # bytes before <sheetData read tag by tag; a part with more is given as it is


def merges_first(xml: bytes) -> tuple[int, bytes, int, int] | None:
    """(where, what, before, probes): a sheet part's XML is read by python-calamine with a copy of its merged ranges
    (its one <mergeCells> element, or an empty one where it has none) put in at ``where``, after the root's start
    tag, and ``probes`` end tags (_PROBE) at ``before``, just before </sheetData>; None where that cannot be done
    exactly, and the part is read as it is (stored_copy; issue 13). Calamine reads a sheet's cells up to
    </sheetData>, then, for its merged ranges, the whole part again from its start up to the end of <mergeCells>
    (to the end of the part where it has none), which Excel writes after the cells: 7.1 of its 18.4 M instructions
    for the sheets of a 77-item book. With the copy first that second pass stops there, and the cells and merged
    ranges are the same (the same elements; the cells' reader passes over an element before <sheetData> and an end
    tag among the rows).

    The second pass is also the only one to read the XML after </sheetData>, where calamine refuses a tag cut short,
    a quote left open or an end tag where no element is open (it compares no end tag's name with its start's). That
    stretch (up to the end of </mergeCells>, or of the part) is read here tag by tag as calamine's reader reads it
    (``_walk``): a tag not plain there, and the part is given as it is. Whether it closes an element not open
    depends only on how many are open at </sheetData>, which calamine's cells' reader knows: as many end tags as the
    stretch closes beyond those it opens (none after Excel's cells and <mergeCells>, one, </worksheet>, where there is
    no <mergeCells>) are put before </sheetData>, where that reader reads them with the same elements open and
    refuses the copy where and as (an XML error) its second pass refused the part. For that, </sheetData> must be
    where the cells' reader ends: it is the part's only sheetData end, the tags up to <sheetData …> are plain (the
    root's start tag first: the copy goes in after it) so that calamine starts the cells there, and the last row's
    end and the cell's end or row's start before it are tags read outside a cell (``_rows_closed``).
    Also as it is: a part with a comment, CDATA, DTD or processing instruction anywhere, with sheetData other than as
    one start and one end tag, with mergeCells other than as one element after the cells (a second one, a text,
    <mergeCells/>, an end tag in it where none of its own is open), or more than _HEAD_MAX bytes before <sheetData>."""
    end = xml.find(_SHEET_DATA_END)
    if end < 0 or xml.count(_SHEET_DATA) != 2:
        return None
    declared = xml.startswith(b"<?xml") and xml.find(b"?>") + 2  # the XML declaration, read past
    merged = xml.count(_MERGES)
    if merged not in (0, 2) or _marked(xml, b"!", 0) or _marked(xml, b"?", declared or 0):
        return None
    cells = xml.find(b"<" + _SHEET_DATA, 0, min(end, _HEAD_MAX))
    at = xml.find(b">", declared or 0, cells) + 1  # after the root's start tag
    opened = xml.find(b">", cells, end) + 1
    if cells < 0 or opened <= cells or xml[cells + 10:cells + 11] not in _SPACE_OR_END or xml[opened - 2] == 47 \
            or _walk(xml, declared or 0, at) != (0, 1) or _walk(xml, at, opened) is None:
        return None  # no root, <sheetData/>, or a tag not plain before the cells (where calamine starts them)
    if not (opened == end or _rows_closed(xml, end)):
        return None
    after = end + len(_SHEET_DATA_END)
    if merged:  # after the cells, where Excel writes it (before them, the part is given as it is)
        first, close = xml.find(b"<" + _MERGES, after), xml.find(b"</" + _MERGES + b">", after)
        if first < 0 or close < first or xml[first + 11:first + 12] not in _SPACE_OR_END:
            return None
        close += len(_MERGES) + 3
        between, element = _walk(xml, after, first), _walk(xml, first, close)
        if between is None or element is None or element[0]:
            return None
        return at, xml[first:close], end, between[0]
    rest = _walk(xml, after, len(xml))
    return None if rest is None else (at, _NO_MERGES, end, rest[0])


_MARKS = bytes(b for b in range(256) if b not in b'<>"\'\x01\x02')  # all but what _walk reads: deleted
_TAGGED = b"<>" * 32_768  # a stretch of plain tags' brackets, as _walk sees them: one < then one >, each tag
_PAIRED = bytes.maketrans(b"\x01\x02", b"><")  # /> ends a tag, </ starts one
_NO_NAME = lazy(rb'<(?:/(?:[\s=>"\'/!?]|$)|[\s=>"\'!?]|$)')  # a < without a name after it (or after </)


def _walk(xml: bytes, start: int, stop: int) -> tuple[int, int] | None:
    """(closes, opened) of ``xml[start:stop]`` as python-calamine's XML reader reads it from outside any tag: how
    many elements it closes beyond those it opened (how many must be open before it for no end tag to find none
    open), and how many more it opens than it closes; None where it is not plain: each < not followed by a name
    and its tag's > with no other < or > between (none in a quoted value either: calamine's reader passes over a >
    within quotes, and takes a < in a tag as part of it), its double quotes closed, no single quote, no > outside a
    tag. Read in C (a few bytes' searches, replacements and translations), not tag by tag."""
    part = xml[start:stop]
    if _NO_NAME.search(part) or b"\x01" in part or b"\x02" in part:  # (what stands for /> and </ below)
        return None
    marks = part.replace(b"</", b"\x02").replace(b"/>", b"\x01").translate(None, _MARKS)
    if b"'" in marks or 2 * marks.count(b'""') != marks.count(b'"'):  # a quote's pair next to it: nothing between
        return None
    tags = marks.translate(None, b'"')
    if len(tags) % 2 or len(tags) > len(_TAGGED) or tags.translate(_PAIRED) != _TAGGED[:len(tags)]:
        return None
    nested = tags.replace(b"<\x01", b"").replace(b"<>", b"(").replace(b"\x02>", b")")  # starts, ends
    while True:  # matched pairs taken out, the innermost first: what closes first, then what stays open
        inner = nested.replace(b"()", b"")
        if len(inner) == len(nested):
            break
        nested = inner
    closes = len(nested) - len(nested.lstrip(b")"))
    return closes, len(nested) - 2 * closes


def _outside(xml: bytes, i: int) -> bool:
    """Whether the bytes before ``xml[i]`` back to the last > hold no <, no quote: calamine's reader is at ``i``
    outside any tag, or within an attribute's quotes (that >'s), never within a tag's name or attributes."""
    last = xml.rfind(b">", 0, i)
    return last >= 0 and xml.find(b"<", last, i) < 0 and xml.find(b'"', last, i) < 0 and xml.find(b"'", last, i) < 0


def _rows_closed(xml: bytes, end: int) -> bool:
    """Whether calamine's cells' reader is between rows at ``end`` (</sheetData>) if it is outside a tag there: the
    last row is closed (</row>, or <row …/>) right before it, and the tag before </row> is a cell's end (</c>, or
    <c …/>) or the row's start (<row …>), each a tag outside quotes where the one before it is (_outside). Within
    a cell calamine passes over an end tag not its own (</row>, </sheetData>): a row's end alone vouches for
    nothing. Within quotes all the way, the copy's probes are part of the same attribute as </sheetData> is."""
    if xml.startswith(_ROW_CLOSED, end - 6):
        at = end - 6
        if xml.startswith(b"</c>", at - 4):
            return _outside(xml, at - 4)
        i = xml.rfind(b"<", 0, at)
        tag = xml[i:at]
        if tag[:3] in (b"<c ", b"<c/") and tag.endswith(b"/>") or tag[:4] == b"<row" and tag[4:5] in _SPACE_OR_END \
                and not tag.endswith(b"/>"):
            return tag.find(b">") == len(tag) - 1 and not tag.count(b'"') % 2 and b"'" not in tag and _outside(xml, i)
        return False
    i = xml.rfind(b"<", 0, end)
    tag = xml[i:end]
    return (tag[:5] == b"<row " and tag.endswith(b"/>") and tag.find(b">") == len(tag) - 1 and not tag.count(b'"') % 2
            and b"'" not in tag and _outside(xml, i))


_CRC_POLY = 0xEDB88320  # zlib's CRC-32, reflected
_SQUARES: list[int] = []  # x to the power 2**k modulo the polynomial, k = 0…63 (zlib's x2n_table), made once
_COMBINE_FROM = 262_144  # bytes after an insertion from which the CRC is combined (0.25 ms in Python, as zlib's
# crc32 over 240 kB), not reckoned over them again


def _times(a: int, b: int) -> int:
    """a × b modulo the CRC polynomial (zlib's multmodp)."""
    m, p = 1 << 31, 0
    while True:
        if a & m:
            p ^= b
            if not a & (m - 1):
                return p
        m >>= 1
        b = (b >> 1) ^ _CRC_POLY if b & 1 else b >> 1


def _shifted(crc: int, n: int) -> int:
    """``crc`` moved over ``n`` zero bytes, without its initial and final inversion (zlib's x2nmodp(n, 3) × crc)."""
    if not _SQUARES:
        square = 1 << 30  # x
        for _ in range(64):
            _SQUARES.append(square)
            square = _times(square, square)
    p, k = 1 << 31, 3  # 1; a byte is x to the 8 = 2**3
    while n:
        if n & 1:
            p = _times(_SQUARES[k & 63], p)
        n >>= 1
        k += 1
    return _times(p, crc)


def _inserted(crc: int, xml: bytes, at: int, inserted: bytes, before: int, probes: bytes) -> tuple[int, bytes]:
    """(CRC-32, bytes) of ``xml`` (whose CRC is ``crc``) with ``inserted`` put in at ``at`` and ``probes`` at
    ``before`` (at <= before): zlib.crc32 over the whole where it is short; else reckoned over the bytes up to and
    with ``inserted`` and over those from ``before``, combined with the rest's as zlib's crc32_combine does (the
    rest's own CRC cancels out: crc(ABC) = shift(crc(AB), |C|) ^ crc(C))."""
    body = b"".join((xml[:at], inserted, xml[at:before], probes, xml[before:]))
    if len(xml) - at < _COMBINE_FROM:
        return zlib.crc32(body), body
    head, tail = zlib.crc32(xml[:at]), xml[before:]
    moved = crc ^ zlib.crc32(tail)  # the CRC of xml[:before] moved over the tail's length
    if probes:
        moved = _shifted(moved, len(probes))
    return (_shifted(head ^ zlib.crc32(inserted, head), len(xml) - at + len(probes)) ^ moved
            ^ zlib.crc32(probes + tail)), body


def _marked(xml: bytes, byte: bytes, start: int) -> bool:
    """Whether ``xml`` holds «<» then ``byte`` (!: a comment, CDATA or DTD; ?: a processing instruction) from
    ``start``: a search for the byte alone, seldom in sheet XML, each found looked at (_holds' way), and past
    _FEW_HITS of them the two bytes searched for (a quarter of the time of searching them at once)."""
    i = xml.find(byte, start)
    for _ in range(_FEW_HITS):
        if i < 0:
            return False
        if xml[i - 1:i] == b"<":
            return True
        i = xml.find(byte, i + 1)
    return i >= 0 and b"<" + byte in xml[i - 1:]


# an archive found among the books (an agency's book sent zipped) is listed, never extracted: its directory is read
# only when these caps hold (a directory of millions of names, or one that says it is huge, is left unread)
MAX_ARCHIVE_NAMES = 10_000
MAX_ARCHIVE_DIRECTORY = 4 * 2**20  # bytes of the zip's central directory
_END_OF_DIRECTORY = struct.Struct("<4s4H2LH")  # a zip's end record: signature, disks, entries, size, offset, comment


def archive_names(path: str | Path) -> list[str] | None:
    """The names a zip's directory lists, never a byte of its contents inflated (an archive found among the books:
    the workbooks in it are named, convert reads none). None when the directory is past MAX_ARCHIVE_NAMES names or
    MAX_ARCHIVE_DIRECTORY bytes (as its end record says, checked before zipfile reads it) or is not readable (not a
    zip, damaged, a zip64 one). A name zipped without the UTF-8 flag (Windows' zip in a Big5 code page) is read as
    UTF-8, else CP950, as the agency's Windows wrote it; else as zipfile reads it."""
    try:
        with open(path, "rb") as f:
            size = f.seek(0, 2)
            tail = min(size, _END_OF_DIRECTORY.size + 65_535)  # the end record, after it a comment of up to 64 kB
            f.seek(size - tail)
            data = f.read(tail)
    except OSError:
        return None
    at = data.rfind(b"PK\x05\x06")
    if at < 0 or len(data) - at < _END_OF_DIRECTORY.size:
        return None
    _, _, _, _, count, directory, _, _ = _END_OF_DIRECTORY.unpack_from(data, at)
    if count > MAX_ARCHIVE_NAMES or directory > MAX_ARCHIVE_DIRECTORY:  # zip64's 0xFFFF and 0xFFFFFFFF too
        return None
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return None
    return [_zipped_name(i) for i in infos]


def _zipped_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & _UTF8_NAMED:
        return info.filename
    try:
        raw = info.filename.encode("cp437")  # the bytes zipfile read (CP437 decodes every byte)
    except UnicodeEncodeError:
        return info.filename
    for codec in ("utf-8", "cp950"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            pass
    return info.filename


# A cell past either cap: 3 letters (AAA = 703), SG… to ZZ (501–702), or a cell or row numbered with 6 digits or more,
# whatever attribute comes first in its element. Most sheets have none, and are passed on one search per chunk; a sheet
# with one (or with another attribute named …r that looks like one) gets the exact scan, which decides.
# Atomic and possessive (no step back into a branch or a run of letters that cannot lead to a match): the same matches,
# a fifth quicker over the 220,000 r=" of a 20,000-row sheet (18.6 ms against 22.4).
_FAR_CELL = lazy(rb'r="(?>[A-Z]{3}\d|S[G-Z]\d|[T-Z][A-Z]\d|[A-Z]{0,3}+\d{6})')
_ERROR_VALUE = lazy(rb't="e"')  # an error value's cell: the compiled search, quicker than bytes' ``in`` (7.5 ms: 10)


def sheet_scan(path: str | Path, sheet_part: str, exact: bool = True, z: zipfile.ZipFile | None = None,
               hints: set | None = None, data: bytes | None = None) -> tuple[int, int, bool]:
    """(last row, last column, holds a formula or an error value?) of a sheet part, streaming its XML once.

    With ``exact`` False, a sheet with no cell past the caps (``_FAR_CELL``) is given as (0, 0, formulas)
    without counting its cells: check_extent's verdict, for a fraction of the cost. ``hints`` gets
    ``sheet_part`` when the XML holds ``hidden="`` (a hidden row, or column) or a size 0 (_hidden_hint), for
    fastread.hidden_marks to look at.
    ``data``: the part's XML already inflated (check_zip's ``kept``), scanned as it is.
    """
    if data is not None:
        return _scan(path, sheet_part, (data,), exact, z, hints)
    with zipfile.ZipFile(path) if z is None else nullcontext(z) as zf:
        info = zf.getinfo(sheet_part)
        if info.file_size <= _KEEP_PART:  # read whole, in one read (part_bytes)
            return _scan(path, sheet_part, (part_bytes(zf, info),), exact, z, hints)
        with zf.open(info) as f:
            return _scan(path, sheet_part, iter(lambda: f.read(1 << 20), b""), exact, z, hints)


def _scan(path: str | Path, sheet_part: str, chunks, exact: bool, z: zipfile.ZipFile | None,
          hints: set | None) -> tuple[int, int, bool]:
    """sheet_scan of ``sheet_part``'s XML given as ``chunks``."""
    formulas = False
    tail = b""
    extent = [0, 0, 0]  # exact: the last row and column holding a value, and the last row met
    pending = b""  # exact: the XML after the last whole row, scanned with the next chunk
    for chunk in chunks:
        data = tail + chunk
        if not exact and _FAR_CELL.search(data):
            return sheet_scan(path, sheet_part, z=z, hints=hints)
        if hints is not None and _holds(data, b"h", _hidden_hint):
            hints.add(sheet_part)
        if exact:
            pending += chunk
            end = _rows_end(pending)
            _held_extent(pending[:end], extent)
            pending = pending[end:]
        formulas = formulas or bool((_ERROR_VALUE.search(data) or _holds(data, b"f", _formula_hint))
                                    and _FORMULA_OR_ERROR.search(data))
        tail = data[-32:]
    if pending:
        _held_extent(pending, extent)
    return extent[0], extent[1], formulas


_ROW_END = lazy(rb"</(?:\w+:)?row>")
_ROW_ELEMENT = lazy(rb"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_CELL_ELEMENT = lazy(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_HELD = lazy(rb"<(?:\w+:)?(?:v|f|is)\b")  # what a cell holding something has: a value, a formula, inline text
_ROW_NUMBER = lazy(rb'\sr="(\d{1,7})"')


def _rows_end(data: bytes) -> int:
    """The index past the last whole row (</row>) of ``data``, 0 when it holds none."""
    end = 0
    i = data.rfind(b"row>")
    while i >= 0:
        m = _ROW_END.search(data, max(i - 40, 0), i + 4)
        if m and m.end() == i + 4:
            return i + 4
        i = data.rfind(b"row>", 0, i)
    return end


def _held_extent(data: bytes, extent: list[int]) -> None:
    """``extent`` ([last row, last column, last row met]) grown by the cells of the whole rows in ``data`` that hold
    something (a value, a formula, inline text): a styled empty cell (a fill reaching XFD1048576, a whole sheet
    formatted) is no extent — python-calamine and the readers give nothing there (field report 14 §2.2). A cell
    without r is where its row's r and its place say, as calamine reads it."""
    for row in _ROW_ELEMENT.finditer(data):
        number = _ROW_NUMBER.search(row.group(1))
        r = int(number.group(1)) if number else extent[2] + 1
        extent[2] = r
        c = 0
        for cell in _CELL_ELEMENT.finditer(row.group(2) or b""):
            ref = _CELL_REF.search(b" " + cell.group(1))
            if ref and ref.group(1):
                c, at = column_number(ref.group(1).decode("ascii")), int(ref.group(2))
            else:
                c, at = c + 1, r
            if cell.group(2) and _HELD.search(cell.group(2)):
                extent[0] = max(extent[0], at)
                extent[1] = max(extent[1], c)


def check_extent(path: str | Path, sheet: str, sheet_part: str, z: zipfile.ZipFile | None = None,
                 hints: set | None = None, kept: dict | None = None) -> bool:
    """Refuse an input sheet whose cells reach absurd dimensions (A1:XFD1048576); True when it holds formulas.

    ``z``: the book's zip already open (read_grids checks every input sheet of one book); ``kept``: check_zip's
    inflated sheet parts, a part there scanned as it is."""
    try:
        rows, cols, formulas = sheet_scan(path, sheet_part, exact=False, z=z, hints=hints,
                                          data=kept.get(sheet_part) if kept else None)
    except KeyError:  # the workbook names a part the zip lacks: a damaged file, refused naming the sheet
        name = Path(path).name
        raise InputError(make_finding("sheet-unreadable", None, name=name, sheet=sheet, error="KeyError"), name) from None
    if rows > MAX_ROWS or cols > MAX_COLUMNS:
        from xlbudget.readers.grid import column_letter

        name = Path(path).name
        raise InputError(make_finding("sheet-too-large", CellRef(sheet, f"{column_letter(cols)}{rows}", name), sheet=sheet,
                                      rows=rows, cols=cols, max_rows=MAX_ROWS, max_cols=MAX_COLUMNS), name)
    return formulas


_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}


_WORKBOOK = "xl/workbook.xml"


def _workbook_bytes(path: str | Path, relationships: bool = True, z: zipfile.ZipFile | None = None) -> tuple[bytes, bytes]:
    """The bytes of the workbook part and of its relationships (b"" without ``relationships``), refused as
    _workbook_part refuses them: a part missing (file-unreadable), a DTD or an entity (xml-entity)."""
    from xlbudget.adapters.package import rels_part

    name = Path(path).name
    try:
        with (zipfile.ZipFile(path) if z is None else nullcontext(z)) as zf:  # each read whole (part_bytes)
            workbook = part_bytes(zf, zf.getinfo(_WORKBOOK))
            rels = part_bytes(zf, zf.getinfo(rels_part(_WORKBOOK))) if relationships else b""
    except KeyError as exc:
        raise InputError(make_finding("file-unreadable", None, name=name, error=type(exc).__name__), name) from None
    if b"<!DOCTYPE" in workbook or b"<!ENTITY" in workbook or b"<!ENTITY" in rels:
        raise InputError(make_finding("xml-entity", None, name=name, part=""), name)
    return workbook, rels


def _workbook_part(path: str | Path, relationships: bool = True, z: zipfile.ZipFile | None = None,
                   raw: tuple[bytes, bytes] | None = None):
    """The workbook part (xl/workbook.xml) parsed, and its relationships' targets ({id: part}; with
    ``relationships``). A zip without a readable workbook part or its relationships (not a workbook, or a damaged
    one) is refused as file-unreadable, naming the file. ``z``: the zip already open; ``raw``: the two parts'
    bytes as _workbook_bytes read them."""
    from xml.etree.ElementTree import ParseError, fromstring  # only on our own small parts, after check_zip

    from xlbudget.adapters.package import resolve

    name = Path(path).name
    main = _WORKBOOK
    workbook, rels = raw if raw is not None else _workbook_bytes(path, relationships, z)
    try:
        workbook = fromstring(workbook)
        targets = {rel.get("Id"): resolve(main, rel.get("Target", "")) for rel in fromstring(rels)} \
            if relationships else {}
    except (KeyError, ParseError) as exc:
        raise InputError(make_finding("file-unreadable", None, name=name, error=type(exc).__name__), name) from None
    return workbook, targets


_PARTS: dict[tuple[bytes, bytes], dict[str, str]] = {}  # per process: sheet_parts' answer by the two parts' bytes
_PARTS_KEPT = 64


def sheet_parts(path: str | Path, z: zipfile.ZipFile | None = None) -> dict[str, str]:
    """Sheet name → its XML part inside the zip (xl/worksheets/sheetN.xml). A zip without a readable workbook part
    or its relationships (not a workbook, or a damaged one) is refused as file-unreadable, naming the file.
    ``z``: the zip already open. The answer is kept per process by the bytes of the workbook part and its
    relationships, all it depends on (the books of one template share them: their parsing was 0.2 ms a book)."""
    name, ns = Path(path).name, _NS
    raw = _workbook_bytes(path, z=z)
    found = _PARTS.get(raw)
    if found is not None:
        return dict(found)
    workbook, targets = _workbook_part(path, z=z, raw=raw)
    parts = {}
    for sheet in workbook.iterfind("m:sheets/m:sheet", ns):
        sheet_name = sheet.get("name")
        if sheet_name in parts:
            raise InputError(make_finding("duplicate-sheet-name", None, name=name, sheet=sheet_name), name)
        rid = sheet.get(f"{{{ns['r']}}}id")
        parts[sheet_name] = targets.get(rid, "")
    parts = {name: part for name, part in parts.items() if part}
    if len(_PARTS) >= _PARTS_KEPT:
        _PARTS.clear()
    _PARTS[raw] = dict(parts)
    return parts


def sheet_names_defined(path: str | Path, defined: str) -> dict[str, str]:
    """Sheet name → the text of the defined name ``defined`` scoped to it, for each sheet that has one (the record
    of what build wrote there: forms.overwrite.RECORD_NAME), read from the workbook part alone; InputError as
    ``sheet_parts``."""
    workbook, _ = _workbook_part(path, relationships=False)
    names = [sheet.get("name") for sheet in workbook.iterfind("m:sheets/m:sheet", _NS)]
    found = {}
    for dn in workbook.iterfind("m:definedNames/m:definedName", _NS):
        local = dn.get("localSheetId")
        if dn.get("name") == defined and local is not None and local.isdigit() and int(local) < len(names):
            found[names[int(local)]] = dn.text or ""
    return found


def calc_manual(path: str | Path) -> bool:
    """Whether the workbook is set to manual calculation (公式 → 計算選項 → 手動: calcPr calcMode="manual" in its
    workbook part): its formulas' saved results may be older than the cells they read. InputError as
    ``sheet_parts``."""
    workbook, _ = _workbook_part(path, relationships=False)
    calc = workbook.find("m:calcPr", _NS)
    return calc is not None and calc.get("calcMode") == "manual"
