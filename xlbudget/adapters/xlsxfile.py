"""Adapter for workbook files on disk (openpyxl): open safely, read input grids, save atomically."""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from contextlib import nullcontext
from datetime import datetime
from dataclasses import replace
from pathlib import Path

from typing import TYPE_CHECKING

from xlbudget.adapters.atomic import ZIP_MAGIC, same_file, write_atomic
from xlbudget.core.errors import InputError
from xlbudget.core.findings import make_finding
from xlbudget.core.model import CellRef, column_number
from xlbudget.forms.inputs import HEADER_SEARCH_ROWS
from xlbudget.readers.grid import (Grid, column_letter, input_sheet_names, line_hidden, print_ranges, table_grid,
                                   with_copies, with_renamed)

if TYPE_CHECKING:  # openpyxl is imported where a workbook is opened: check and export read without it
    from openpyxl.workbook.workbook import Workbook


def open_workbook(path: str | Path, *, data_only: bool = False) -> Workbook:
    """Open an .xlsx/.xlsm for reading (never writes to it); unreadable files raise InputError in zh-TW."""
    import warnings

    import openpyxl

    path = Path(path)
    refuse_unreadable(path)
    try:
        with warnings.catch_warnings():  # a print area of whole columns: openpyxl drops it, _whole_print_areas not
            warnings.filterwarnings("ignore", "Print area cannot be set", UserWarning)
            wb = openpyxl.load_workbook(path, data_only=data_only, keep_vba=path.suffix.lower() == ".xlsm")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, TypeError, SyntaxError) as exc:
        # openpyxl's errors on a damaged part: IndexError (no xl/styles.xml), TypeError (a style attribute that is
        # no number), SyntaxError (ElementTree's ParseError and lxml's XMLSyntaxError: a part cut short)
        raise InputError(make_finding("file-unreadable", None, name=str(path), error=type(exc).__name__),
                         str(path)) from None
    if wb.vba_archive is not None:
        # openpyxl keeps the macros as a zip still being written on a BytesIO; should the collector finalise
        # the BytesIO first, the zip's __del__ prints "Exception ignored … closed file": finish it, read it
        data = wb.vba_archive.fp
        wb.vba_archive.close()
        wb.vba_archive = zipfile.ZipFile(data)
    _whole_print_areas(wb, path)
    return wb


def _whole_print_areas(wb: Workbook, path: Path) -> None:
    """A print area of whole columns or rows (``'表'!$A:$C``, as Excel writes it), which openpyxl drops when it loads
    a book (with a warning), set again as the cells it covers ($A$1:$C$1048576): check names the figures it leaves
    out (figures-outside-print-area), and a book written from ``wb`` keeps it. One lost (``#REF!``: the cells it named
    deleted), which openpyxl drops too, is noted on its sheet (``_print_area_lost``, workbook_sheets: Grid's)."""
    from xlbudget.adapters.safety import sheet_names_defined

    with zipfile.ZipFile(path) as z:
        if b"_xlnm.Print_Area" not in z.read("xl/workbook.xml"):
            return
    for sheet, text in sheet_names_defined(path, "_xlnm.Print_Area").items():
        if sheet in wb.sheetnames and "#REF!" in text:
            wb[sheet]._print_area_lost = True
        if sheet in wb.sheetnames and not wb[sheet].print_area and (ranges := print_ranges(text)):
            wb[sheet].print_area = [f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}" for r1, c1, r2, c2 in ranges]


VBA_PART = "xl/vbaProject.bin"
_EMPTY_RELS = b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'


def macros_of(source: str | Path) -> zipfile.ZipFile | None:
    """An .xlsm's macros (its VBA project, xl/vbaProject.bin) for a new workbook to carry (openpyxl's
    ``Workbook.vba_archive``: saved as a macro-enabled book holding that project). Only the project: the buttons
    on its sheets and its ribbon (customUI) belong to sheets and parts a new workbook does not have. None when
    ``source`` holds no VBA project."""
    import io

    with zipfile.ZipFile(source) as book:
        if VBA_PART not in book.namelist():
            return None
        kept = io.BytesIO()
        with zipfile.ZipFile(kept, "w", zipfile.ZIP_DEFLATED) as macros:
            macros.writestr(VBA_PART, book.read(VBA_PART))
            macros.writestr("[Content_Types].xml", book.read("[Content_Types].xml"))
            macros.writestr("_rels/.rels", _EMPTY_RELS)  # openpyxl reads a ribbon's relation from it: none
    return zipfile.ZipFile(kept)


def refuse_unreadable(path: Path) -> None:
    """What open_workbook refuses before opening (missing, a folder, empty, .ods, .xls, encrypted, not a zip,
    a misnamed workbook, a zip bomb), as InputError in zh-TW; every reader of .xlsx/.xlsm files goes through it."""
    name = str(path)

    def refused(rule: str, **fields) -> InputError:
        """The file as a whole cannot be opened, for the reason ``rule`` (a catalogue id)."""
        return InputError(make_finding(rule, None, name=name, **fields), name)

    if not path.exists():
        raise refused("path-missing")
    if path.is_dir():
        raise refused("path-is-folder")
    book = locked_book(path)
    if book is not None:  # tab completion offers ~$預算.xlsx first: named as such, not «已截斷／損毀» (field report 7 §3.2)
        raise refused("lock-file-given", book=book, instead=str(path.with_name(book)))
    if path.stat().st_size == 0:
        raise refused("file-empty")
    with open(path, "rb") as f:
        head = f.read(HEAD_BYTES)
    other = other_format(path, head)  # before the .ods test: an .xls or .ods renamed .ods or .xls is said as such
    if other is not None:
        raise refused(other, suffix=path.suffix or "（無）")
    if is_ods(path) and ods_content(path):  # an .xlsx renamed .ods goes on to file-wrong-suffix
        raise refused("ods-needs-xlsx")
    if not zipfile.is_zipfile(path):
        raise refused("file-not-xlsx")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        # an Excel 2007+ book under another name (a .xlsx renamed .xls): openpyxl refuses the name, in English
        raise refused("file-wrong-suffix", suffix=path.suffix or "（無）")
    from xlbudget.adapters.safety import check_zip

    check_zip(path)  # zip bombs and XML entity declarations, before any XML is parsed


def locked_book(path: str | Path) -> str | None:
    """The name of the book whose Excel lock file ``path`` is (~$預算.xlsx: 預算.xlsx, which Excel has open), or None
    for any other file (a workbook named so: ``atomic.is_lock_file`` tells them apart by content). What convert passes
    over (lock-file) and every command given one refuses (lock-file-given)."""
    from xlbudget.adapters.atomic import is_lock_file

    name = Path(path).name
    return name[2:] if name.startswith("~$") and is_lock_file(path) else None


HEAD_BYTES = 512  # the first bytes of a file, enough to tell what it is
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: an Excel 97-2003 book, or any encrypted one
_WEB_MARKS = ("<html", "<!doctype html", "<table", "<?xml", "<meta", "<head")


def _head_text(head: bytes) -> str:
    """The first bytes of a file as text, lower case, leading blanks dropped: UTF-16 by its byte-order mark, or
    without one by its zero bytes (ASCII markup in UTF-16 has every other byte zero: Excel's 「網頁」 saved as
    Unicode, and some government systems' 「Excel」 exports); else as Latin-1, byte for byte."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    elif len(head) >= 4 and head[1] == head[3] == 0 and head[0] and head[2]:
        encoding = "utf-16-le"
    elif len(head) >= 4 and head[0] == head[2] == 0 and head[1] and head[3]:
        encoding = "utf-16-be"
    else:
        encoding = "latin-1"
    text = head[:len(head) & ~1].decode(encoding, errors="ignore") if encoding != "latin-1" else head.decode(encoding)
    return text.lstrip("\ufeff\xef\xbb\xbf \t\r\n").lower()


def other_format(path: Path, head: bytes, z: zipfile.ZipFile | None = None) -> str | None:
    """The rule of a file that is not an Excel 2007+ workbook but is handed in as one, by its first bytes ``head``:
    a compound file (an Excel 97-2003 .xls: file-old-xls; under any other name, a book saved with a password:
    file-encrypted), a web page or XML file named .xlsx or .xls (what many systems export as 「Excel」, in UTF-8 or
    UTF-16, or Excel's 「單一檔案網頁」, a MIME archive: file-web-page), a binary workbook (.xlsb: file-xlsb, which
    only Excel can save as .xlsx), a text file named .csv or .txt (file-csv) or an Excel template (.xltx, .xltm:
    file-template); None for anything else (field report 4 §5.2, f07). ``z``: the file's zip already
    open (convert's _precheck opens it once for this and for reading the book)."""
    if head[:8] == _OLE_MAGIC:
        if path.suffix.lower() == ".xls":
            return "file-old-xls"
        # an .xls renamed .xlsx holds a Workbook stream, a book saved with a password an EncryptedPackage: told apart,
        # not «有密碼保護…或為舊版格式» for both (field report 7 §3.3); a compound file of neither stays file-encrypted
        return "file-xls-renamed" if _ole_streams(path) & _XLS_STREAMS else "file-encrypted"
    text = _head_text(head)
    if text.startswith("<") and "<office:document" in text:  # LibreOffice's flat XML (.fods), not a web page
        return "file-fods"
    if text.startswith("<") and any(mark in text for mark in _WEB_MARKS) or text.startswith("mime-version:"):
        return "file-web-page"
    if path.suffix.lower() == ".xlsb":
        return "file-xlsb"
    if path.suffix.lower() in _TEXT_SUFFIXES and not head.startswith(ZIP_MAGIC):
        return "file-csv"  # a system's export or a CSV given as it is: not «不是 Excel 活頁簿…或檔案已截斷／損毀»
    if head.startswith(ZIP_MAGIC):
        from xlbudget.adapters.safety import is_template

        try:
            with zipfile.ZipFile(path) if z is None else nullcontext(z) as zf:
                if "xl/workbook.bin" in zf.namelist():
                    return "file-xlsb"
                if path.suffix.lower() != ".ods" and "mimetype" in zf.namelist() \
                        and zf.read("mimetype")[:60] == _ODS_MIMETYPE:
                    return "file-ods-renamed"  # an .ods renamed .xlsx (mail gateways do it): not «可能已損毀»
                if path.suffix.lower() in _TEMPLATE_SUFFIXES and "[Content_Types].xml" in zf.namelist() \
                        and is_template(zf.read("[Content_Types].xml")):
                    return "file-template"  # not «請將檔名改為 .xlsx»: Excel opens no template renamed .xlsx
        except (OSError, zipfile.BadZipFile):
            return None
    return None


_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_TEXT_SUFFIXES = (".csv", ".txt", ".tsv", ".prn")
_TEMPLATE_SUFFIXES = (".xltx", ".xltm")  # Excel's templates
_XLS_STREAMS = {"Workbook", "Book"}  # an Excel 97-2003 (BIFF8) book's stream, and Excel 5's


def _ole_streams(path: Path) -> set[str]:
    """The names of a compound file's directory entries ("Workbook", "EncryptedPackage", …): each a 128-byte entry,
    at a multiple of 128 bytes in the file (sectors are 512 or 4096 bytes), its name in UTF-16 with its length in
    bytes (terminator included) at byte 64. Only the names looked for are sought, in the file's bytes."""
    import struct

    try:
        data = path.read_bytes()
    except OSError:
        return set()
    found = set()
    for name in (*_XLS_STREAMS, "EncryptedPackage"):
        key = name.encode("utf-16-le") + b"\0\0"
        at = data.find(key)
        while at != -1:
            if at % 128 == 0 and at + 66 <= len(data) and struct.unpack_from("<H", data, at + 64)[0] == len(key):
                found.add(name)
                break
            at = data.find(key, at + 1)
    return found


def is_ods(path: str | Path) -> bool:
    """Whether ``path`` is an OpenDocument spreadsheet (read through python-calamine, never written)."""
    path = Path(path)
    if path.suffix.lower() in (".ods", ".xlsx", ".xlsm"):
        return path.suffix.lower() == ".ods"
    return ods_content(path)


def ods_content(path: Path) -> bool:
    """Whether ``path`` holds an OpenDocument spreadsheet (a zip whose mimetype says so), whatever its name (an .ods
    renamed .xlsx, or one whose suffix was lost: discovery). The mimetype part is read only when it says it holds at
    most 100 bytes (its text is 46): a file of any name found in a folder may be a zip made to inflate without end."""
    try:
        with zipfile.ZipFile(path) as z:
            info = z.getinfo("mimetype")
            return info.file_size <= 100 and z.read(info)[:60] == _ODS_MIMETYPE
    except (OSError, KeyError, ValueError, EOFError, NotImplementedError, zipfile.BadZipFile):
        return False


def is_readable_ods(path: Path) -> bool:
    """Whether ``path`` is a non-empty file that is an .ods, by name and content (then read through python-calamine);
    anything else, a missing or empty file included, goes to the workbook readers, which refuse it with its reason:
    an .xls or .xlsx renamed .ods (file-xls-renamed, file-wrong-suffix: it was an internal error, BadZipFile, or
    «可能已損毀»), an .ods renamed .xls (file-ods-renamed: python-calamine reads by the name's extension)."""
    path = Path(path)
    return path.is_file() and bool(path.stat().st_size) and is_ods(path) and ods_content(path) \
        and path.suffix.lower() != ".xls"


def formula_cells(ws) -> list[tuple[int, int]]:
    """(row, column) of every formula cell of a worksheet, by the cell's type as stored in the file.

    A text that merely starts with '=' (typed as text, or written by xlbudget
    through formulas.keep_text) is not a formula: it is read as the text it is.
    """
    cells = getattr(ws, "_cells", None)
    if cells is None:  # a sheet type without a cell store (chartsheet): nothing to read
        return []
    return sorted((c.row, c.column) for c in cells.values() if c.data_type == "f")


def _cell_values(ws, values_ws=None, file: str | None = None) -> list[list]:
    """The values of ``ws`` from A1, each formula cell by its cached value from ``values_ws`` (the sheet of the
    same file opened with data_only=True), or ``grid.Uncached`` when it has none. A sheet whose cells holding
    something reach past safety's caps (a value at XFD1048576) is refused as the file readers refuse it
    (sheet-too-large, InputError naming ``file``), never made a grid of millions of cells."""
    from xlbudget.readers.grid import Uncached

    cells = getattr(ws, "_cells", None)
    if cells:  # the extent iter_rows would find (ws.max_row, ws.max_column), found once
        last_row, last_column = max(cells)[0], max(c for _, c in cells)
        if last_row > 1000 or last_column > 100:
            # to the last cell holding something: a styled empty cell far away (a fill at XFD1048576, field report
            # 14 §2.2) is no extent, as python-calamine reads the sheet, never millions of empty cells
            held = [key for key, cell in cells.items() if cell.value is not None] or [(1, 1)]
            last_row, last_column = max(r for r, _ in held), max(c for _, c in held)
            _refuse_extent(ws.title, last_row, last_column, file)
        rows = [list(r) for r in ws.iter_rows(max_row=last_row, max_col=last_column, values_only=True)]
    else:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
    for r, c in formula_cells(ws):
        v = rows[r - 1][c - 1]
        cached = values_ws.cell(r, c).value if values_ws is not None else None
        rows[r - 1][c - 1] = Uncached(str(getattr(v, "text", v))) if cached is None else cached
    return rows


def _refuse_extent(sheet: str, rows: int, columns: int, file: str | None) -> None:
    """sheet-too-large, as safety.check_extent says it, for a sheet whose cells reach ``rows`` × ``columns``."""
    from xlbudget.adapters.safety import MAX_COLUMNS, MAX_ROWS

    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        name = Path(file).name if file else None
        raise InputError(make_finding("sheet-too-large", CellRef(sheet, f"{column_letter(columns)}{rows}", name),
                                      sheet=sheet, rows=rows, cols=columns, max_rows=MAX_ROWS, max_cols=MAX_COLUMNS),
                         name)


def hidden_marks(ws, rows: list[list[object]]) -> tuple[frozenset[int], frozenset[int]]:
    """The sheet rows and columns of ``ws`` hidden in Excel (by hand, a collapsed group or a filter; or of height or
    width 0, which Excel shows and prints as hidden), 1-based; the columns no further than ``rows`` (its values from
    A1) reach: a hidden range may run to XFD."""
    hidden = frozenset(r for r, d in getattr(ws, "row_dimensions", {}).items() if line_hidden(d.hidden, d.height))
    width = max(map(len, rows), default=0)
    columns = frozenset(c for key, d in getattr(ws, "column_dimensions", {}).items()
                        if line_hidden(d.hidden, d.width)  # min, max: as loaded
                        for first in (d.min or column_number(key),)
                        for c in range(first, min(d.max or first, width) + 1))
    return hidden, columns


def sheet_grid(ws, file: str | None = None, values_ws=None) -> Grid:
    """The input block of a worksheet: its Excel Table if it has one (its totals row marked), else the sheet from A1.

    A formula cell holds its cached value from ``values_ws`` (the sheet of the
    same file opened with data_only=True), or ``grid.Uncached`` when it has
    none, which read_book reports with its cell.
    """
    tables = list(ws.tables.values()) if hasattr(ws, "tables") else []
    rows = _cell_values(ws, values_ws, file)
    merges = tuple((m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges
                   if m.min_row != m.max_row or m.min_col != m.max_col) if hasattr(ws, "merged_cells") else ()
    hidden, columns = hidden_marks(ws, rows)
    shut = getattr(ws, "sheet_state", "visible") != "visible"  # hidden or very hidden: no tab in Excel
    struck, formats, unseen, _ = styled_cells(ws)
    if tables:
        grid = table_grid(ws.title, rows, 1, 1, file, tables[0].ref, int(tables[0].totalsRowCount or 0), merges)
        return replace(grid, hidden=hidden, hidden_columns=columns, sheet_hidden=shut, struck=struck,
                       unit_formats=formats, unseen=unseen) if hidden or columns or shut or struck or formats or unseen else grid
    return Grid(ws.title, rows, 1, 1, file, merges=merges, hidden=hidden, hidden_columns=columns, sheet_hidden=shut,
                struck=struck, unit_formats=formats, unseen=unseen)


def styled_cells(ws, scaled: bool = False) -> tuple[frozenset[tuple[int, int]], dict[tuple[int, int], str],
                                                   dict[tuple[int, int], tuple[str, str]], dict[tuple[int, int], str]]:
    """(the cells struck through, {cell: number format} of the cells whose format shows a unit: grid.format_unit,
    {cell: (number format, what hides it)} of those showing no figure: grid.format_hides, grid.unseen_style; with
    ``scaled``, {cell: number format} of those scaling the figure they show by its commas: grid.format_scale) of an
    openpyxl worksheet, as Grid.struck, Grid.unit_formats, Grid.unseen and Grid.scaled hold them; the cells are
    looked at only when the book has a struck font or such a format or colour at all."""
    from xlbudget.readers.grid import format_hiding, format_scale, format_unit, unseen_style

    wb = getattr(ws, "parent", None)
    fonts = getattr(wb, "_fonts", None)
    if fonts is None or not hasattr(ws, "_cells"):
        return frozenset(), {}, {}, {}
    struck_fonts = {i for i, font in enumerate(fonts) if font.strike}
    custom = list(getattr(wb, "_number_formats", ()))
    unit_codes = {164 + i: code for i, code in enumerate(custom) if format_unit(code)}
    hiding = {164 + i: found for i, code in enumerate(custom) if (found := format_hiding(code))}
    scales = {164 + i: code for i, code in enumerate(custom) if format_scale(code)} if scaled else {}
    font_colours = [_colour_key(font.color) for font in fonts]
    fill_colours = [_colour_key(fill.fgColor) if getattr(fill, "fill_type", None) == "solid" else None
                    for fill in getattr(wb, "_fills", ())]
    if not any(unseen_style(f, g) for f in set(font_colours) for g in {None, *fill_colours}):
        font_colours = []
    if not struck_fonts and not unit_codes and not hiding and not font_colours and not scales:
        return frozenset(), {}, {}, {}
    struck, formats, unseen, scaled_cells = set(), {}, {}, {}
    for key, cell in ws._cells.items():
        style = getattr(cell, "_style", None)
        if style is None:
            continue
        if style.fontId in struck_fonts:
            struck.add(key)
        if style.numFmtId in unit_codes:
            formats[key] = unit_codes[style.numFmtId]
        if style.numFmtId in scales:
            scaled_cells[key] = scales[style.numFmtId]
        if style.numFmtId in hiding:
            unseen[key] = hiding[style.numFmtId]
        elif font_colours and style.fontId < len(font_colours):
            why = unseen_style(font_colours[style.fontId],
                               fill_colours[style.fillId] if style.fillId < len(fill_colours) else None)
            if why:
                unseen[key] = ("", why)
    return frozenset(struck), formats, unseen, scaled_cells


def _colour_key(colour) -> str:
    """grid.colour_key of an openpyxl Color (None: automatic)."""
    from xlbudget.readers.grid import colour_key

    if colour is None:
        return colour_key()
    kind = getattr(colour, "type", None)
    tint = float(getattr(colour, "tint", 0) or 0)
    if kind == "rgb" and isinstance(colour.rgb, str):
        return colour_key(colour.rgb)
    if kind == "theme":
        return colour_key(theme=colour.theme, tint=tint)
    if kind == "indexed":
        return colour_key(indexed=colour.indexed)
    return colour_key()


def input_grids(wb: Workbook, file: str | None = None, values_wb: Workbook | None = None) -> dict[str, Grid]:
    """Grids of the input sheets present in ``wb``, keyed by input sheet (``歲出明細 `` is 歲出明細).

    Formulas are read by their cached values from ``values_wb`` (the same file
    opened with data_only=True); without it, each is ``grid.Uncached``.
    """
    names = input_sheet_names(wb.sheetnames)
    grids = {canonical: sheet_grid(wb[actual], file, values_wb[actual] if values_wb is not None else None)
             for canonical, actual in names.items()}

    def rows(name: str, most: int | None = None) -> list:
        """A sheet's rows from A1 (its first ``most``), values only; none of a chart sheet."""
        ws = wb[name]
        return [list(r) for r in ws.iter_rows(max_row=most, values_only=True)] if hasattr(ws, "iter_rows") else []

    grids = with_renamed(grids, wb.sheetnames, lambda name: rows(name, HEADER_SEARCH_ROWS))
    return with_copies(grids, wb.sheetnames, rows, lambda name: rows(name, HEADER_SEARCH_ROWS))


def formula_values(wb: Workbook, values_wb: Workbook | None) -> dict[str, dict[str, object]]:
    """{sheet: {"H2": value}}: the last calculated value of every formula cell of ``wb``, from ``values_wb``.

    ``values_wb`` is the same file opened with data_only=True; save_atomic
    writes these values back beside the formulas (see keep_cached_values).
    """
    if values_wb is None:
        return {}
    cached = {}
    for ws in wb.worksheets:
        cells = {f"{column_letter(c)}{r}": values_wb[ws.title].cell(r, c).value for r, c in formula_cells(ws)}
        cells = {ref: v for ref, v in cells.items() if v is not None}
        if cells:
            cached[ws.title] = cells
    return cached


def keep_cached_values(path: str | Path, cached: dict[str, dict[str, object]]) -> None:
    """Put each formula's last calculated value back into the file openpyxl just wrote at ``path``.

    openpyxl writes a formula cell as ``<f>…</f><v></v>``: Excel recalculates it
    on opening, but a reader of the file (xlbudget itself, the next ``check``)
    would find a formula with no value. Only the cells in ``cached`` are touched.
    """
    from xlbudget.adapters.package import PackageClash, copy_stored
    from xlbudget.adapters.safety import sheet_parts

    cached = {sheet: cells for sheet, cells in cached.items() if cells}
    if not cached:
        return
    path = Path(path)
    parts = sheet_parts(path)
    wanted = {parts[sheet]: cells for sheet, cells in cached.items() if sheet in parts}

    def rewrite(tmp: Path) -> None:
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                if item.filename in wanted:
                    data = src.read(item.filename).decode("utf-8")
                    dst.writestr(item, _with_values(data, wanted[item.filename]).encode("utf-8"))
                    continue
                try:  # every other part as openpyxl stored it, never inflated and deflated again
                    copy_stored(src, dst, item)
                except PackageClash:  # an entry it cannot copy as stored (zip64): written again
                    dst.writestr(item, src.read(item.filename))

    write_atomic(path, rewrite)


def _with_values(xml: str, cells: dict[str, object]) -> str:
    from xml.sax.saxutils import escape

    def fill(m: re.Match) -> str:
        value = cells.get(m.group(2))
        if value is None:
            return m.group(0)
        if isinstance(value, bool):
            kind, text = ' t="b"', str(int(value))
        elif isinstance(value, (int, float)):
            kind, text = "", repr(value) if isinstance(value, float) else str(value)
        else:
            kind, text = ' t="str"', escape(str(value))
        attrs = re.sub(r'\st="[^"]*"', "", m.group(1))
        return f"<c{attrs}{kind}>{m.group(3)}<v>{text}</v></c>"

    return re.sub(r'<c( r="([A-Z]+\d+)"[^>]*)>(<f>[^<]*</f>)<v\s*(?:/>|></v>)</c>', fill, xml)


def save_atomic(wb: Workbook, target: str | Path, cached: dict[str, dict[str, object]] | None = None,
                as_read=None) -> Path:
    """Save to a temporary file beside ``target`` and rename it into place.

    ``cached`` (LoadedBook.cached) keeps the officer's formulas readable: their
    last calculated values are written beside them before the rename. ``as_read``: write_atomic's.
    """

    def save(tmp: Path) -> None:
        _save_closing(wb, tmp)
        if cached:
            keep_cached_values(tmp, cached)

    return write_atomic(target, save, as_read=as_read)


def _save_closing(wb: Workbook, path: Path) -> None:
    """``wb.save(path)``, the zip openpyxl opened closed when a write fails: openpyxl leaves it open, and closing it
    when it is collected fails again on a full disk, a traceback («Exception ignored in: ZipFile.__del__») after
    xlbudget's own message (field report 11 §3.1)."""
    try:
        wb.save(path)
    except BaseException as exc:
        tb = exc.__traceback__
        while tb is not None:  # the frames of the failed save: save_workbook's archive, ExcelWriter's _archive
            for value in list(tb.tb_frame.f_locals.values()):
                archive = getattr(value, "_archive", value)
                if isinstance(archive, zipfile.ZipFile) and archive.fp is not None and archive.mode != "r":
                    try:
                        archive.close()  # its file closed whatever this raises: nothing left for the collector
                    except (OSError, ValueError):
                        pass
            tb = tb.tb_next
        raise


def save_keeping_backup(wb: Workbook, target: str | Path, source: str | Path,
                        cached: dict[str, dict[str, object]] | None = None, as_read=None) -> Path | None:
    """Save ``wb`` to ``target``; when that is ``source`` itself, a backup copy of it first. Returns the backup.

    A book that may not be written (read-only file or folder) is refused, naming it, before any copy is made;
    a save that fails anyway removes the copy again: the original is unchanged, and nothing is left beside it.
    ``as_read`` (atomic.AsRead): ``source`` as it was read; written since by another run, nothing is written.
    """
    return write_keeping_backup(lambda: save_atomic(wb, target, cached, as_read), target, source, as_read)


def write_keeping_backup(write, target: str | Path, source: str | Path, as_read=None) -> Path | None:
    """``write()`` (which writes ``target`` atomically, refusing as ``as_read`` says) under save_keeping_backup's
    rules. Returns the backup."""
    from xlbudget.adapters.atomic import refuse_unwritable
    from xlbudget.core.errors import OutputRefused

    backup = None
    if as_read is not None:  # changed already: refused before a backup is made
        as_read.refuse_changed()
    if same_file(target, source):
        refuse_unwritable(target)
        try:
            backup = backup_copy(source)
        except OutputRefused as exc:  # no room even for the copy: said of the book, not of a backup never made
            rule = next((f.rule for f in exc.findings if f.rule in ("disk-full", "file-too-large")), None)
            if rule is None:
                raise
            refuse_unwritable(target, rule)
    try:
        write()
    except BaseException:
        if backup is not None:
            backup.unlink(missing_ok=True)
        raise
    return backup


def backups_of(path: str | Path) -> list[Path]:
    """The backup copies backup_copy has made of ``path`` beside it (NAME.備份-YYYYMMDD-HHMMSS[-n].xlsx), oldest
    first; a name backup_copy had to cut (fit_name) is not recognised."""
    path = Path(path)
    made = re.compile(re.escape(path.stem) + r"\.備份-\d{8}-\d{6}(?:-\d+)?" + re.escape(path.suffix))
    try:
        return sorted((f for f in path.parent.iterdir() if made.fullmatch(f.name) and f.is_file()),
                      key=lambda f: f.name)
    except OSError:
        return []


def backup_copy(path: str | Path) -> Path:
    """Copy ``path`` to ``name.備份-YYYYMMDD-HHMMSS.xlsx`` beside it before it is rewritten; a book whose name leaves
    no room for the date has its name cut in the middle (atomic.fit_name), never a backup that cannot be made."""
    from xlbudget.adapters.atomic import fit_name, kept_mode

    path = Path(path)
    if path.is_symlink():  # the book a link names is the one rewritten (write_atomic): its backup goes beside it
        path = Path(os.path.realpath(path))
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(fit_name(path.stem, f".備份-{stamp}{path.suffix}"))
    n = 1
    while backup.exists():
        backup = path.with_name(fit_name(path.stem, f".備份-{stamp}-{n}{path.suffix}"))
        n += 1
    # never a half backup under its name; as closed to others as the book it copies
    return write_atomic(backup, lambda tmp: shutil.copy2(path, tmp), mode=kept_mode(path))


__all__ = ["open_workbook", "refuse_unreadable", "sheet_grid", "input_grids", "save_atomic", "save_keeping_backup",
           "write_keeping_backup", "backup_copy", "is_ods", "is_readable_ods",
           "workbook_sheets", "has_formulas", "formula_values", "keep_cached_values", "column_letter"]


def workbook_sheets(wb: Workbook, values_wb: Workbook | None = None, file: str | None = None) -> dict:
    """Every worksheet as a ``printed_model.SheetGrid`` (values from A1, merged ranges), for checking.

    A formula cell holds its cached value from ``values_wb`` (the same file
    opened with data_only=True); a formula without a cached value becomes
    ``grid.Uncached`` so a check can call it unverifiable, never zero.
    """
    from xlbudget.readers.printed_model import SheetGrid

    sheets = {}
    for ws in wb.worksheets:
        cached_ws = values_wb[ws.title] if values_wb is not None and ws.title in values_wb.sheetnames else None
        rows = _cell_values(ws, cached_ws, file)
        merges = tuple((m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges)
        hidden, columns = hidden_marks(ws, rows)  # Excel prints neither: coverage.hidden_figures names them
        _, _, unseen, scaled = styled_cells(ws, scaled=True)  # a figure shown scaled (#,##0,): read as shown
        # nor a hidden sheet, nor a cell outside the print area: named alike
        sheets[ws.title] = SheetGrid(Grid(ws.title, rows, 1, 1, file, hidden=hidden, hidden_columns=columns,
                                          sheet_hidden=ws.sheet_state != "visible",
                                          print_area=print_ranges(ws.print_area), unseen=unseen, scaled=scaled,
                                          print_area_lost=getattr(ws, "_print_area_lost", False)),
                                     merges)
    return sheets


def has_formulas(wb: Workbook) -> bool:
    """Whether any cell of ``wb`` holds a formula (then a values-only load is needed)."""
    return any(formula_cells(ws) for ws in wb.worksheets)
