"""Fast values-only reading of the input sheets with python-calamine (no styles, one pass).

The grids it gives go to ``inputs.read_book`` like every other reader's, with
the same rules: sheet names matched as keys, an Excel Table's block and totals
row (read from the table definition in the zip), and a formula with no cached
value as ``grid.Uncached`` (found in the sheet XML, since calamine reads it
as an empty cell). .ods books are read here too.
"""

from __future__ import annotations

import re
import zipfile
from contextlib import nullcontext
from io import BytesIO
from dataclasses import replace
from pathlib import Path
from typing import Iterable

try:  # a Rust extension: not in Pyodide (xlwings Lite), where convert falls back to openpyxl
    from python_calamine import CalamineWorkbook, SheetVisibleEnum
except ImportError:  # pragma: no cover - exercised by test_fastread_without_calamine
    CalamineWorkbook = None

from xlbudget.core.errors import InputError
from xlbudget.core.formulas import EXCEL_CELL_CHARACTERS
from xlbudget.core.findings import make_finding
from xlbudget.core.patterns import lazy
from xlbudget.forms.inputs import HEADER_SEARCH_ROWS
from xlbudget.readers.grid import (Grid, column_letter, input_sheet_names, line_hidden, print_ranges, table_grid,
                                   with_copies, with_renamed)
from xlbudget.adapters.safety import (STYLES_PART, check_extent, check_zip, part_bytes, sheet_names_defined, sheet_parts,
                                      stored_copy)


def read_grids(path: str | Path, z: zipfile.ZipFile | None = None) -> dict[str, Grid]:
    """Grids of the input sheets of ``path`` (.xlsx, .xlsm or .ods), keyed by input sheet, values only.

    Caps are checked on the zip and on each input sheet's real extent before
    calamine materialises it. ``z``: the file's zip already open (convert's _precheck opened it), closed here.
    """
    path = Path(path)
    with zipfile.ZipFile(path) if z is None else z as z:  # opened once: the caps, the parts, the tables, every
        return _read_grids(path, z)  # input sheet's extent


def _read_grids(path: Path, z: zipfile.ZipFile) -> dict[str, Grid]:
    """read_grids with the book's zip ``z`` open."""
    from xlbudget.adapters.xlsxfile import is_ods

    name = path.name
    kept: dict = {}  # the sheet parts check_zip inflates, for the extent scans (none when it passed the file before)
    check_zip(path, z, kept)
    ods = is_ods(path)
    parts = {} if ods else sheet_parts(path, z)
    if CalamineWorkbook is None:
        if ods:
            raise InputError(make_finding("ods-needs-calamine", None, name=name), name)
        return _read_grids_openpyxl(path, parts)
    wb = _calamine(path, None if ods else stored_copy(z, kept))
    names = input_sheet_names(wb.sheet_names)
    tables = _first_tables(z, [parts[s] for s in names.values() if parts.get(s)])
    extras = ods_extras(path, merges=True) if ods else {}  # calamine gives no merged ranges of an .ods
    hints: set = set()  # the parts holding hidden="…", noted by the extent scan
    extents = {sheet: check_extent(path, sheet, parts[sheet], z, hints, kept) for sheet in names.values()
               if parts.get(sheet)}
    hidden = {part: hidden_marks(z, part) for part in hints}
    styled = _style_marks(z, kept)  # (struck xf indexes, {xf: unit format}, {xf: what hides}, {}): nearly always nothing
    grids = {}
    for canonical, sheet in names.items():
        part = parts.get(sheet)
        formulas = extents.get(sheet, False)
        data, rows = _sheet_rows(wb, name, sheet)  # rows: a new list of new row lists, ours to mark
        top, left = data.start if rows else (0, 0)
        if formulas:
            _mark_uncached(path, part, rows, top, left, z)
        if ods and sheet in extras:
            _mark_ods_errors(extras[sheet][0], rows, top, left)
        ref, totals = tables.get(part, (None, 0))
        merges = tuple(extras[sheet][1]) if ods and sheet in extras else tuple(
            (r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in getattr(data, "merged_cell_ranges", None) or ()
            if (r1, c1) != (r2, c2))
        grids[canonical] = table_grid(sheet, rows, top + 1, left + 1, name, ref, totals, merges)
        rows_hidden, columns_hidden = hidden.get(part, ((), ())) if part else (  # an .ods: clipped to the cells read
            [(first, min(end, top + len(rows))) for first, end in extras[sheet][2]],
            extras[sheet][3]) if sheet in extras else ((), ())
        width = left + max(map(len, rows), default=0)
        rows_hidden = frozenset(r for first, end in rows_hidden for r in range(first, end + 1))
        columns_hidden = frozenset(c for first, end in columns_hidden for c in range(first, min(end, width) + 1))
        if rows_hidden or columns_hidden:
            grids[canonical] = replace(grids[canonical], hidden=rows_hidden, hidden_columns=columns_hidden)
        if ods and sheet in extras and extras[sheet][6]:
            grids[canonical] = replace(grids[canonical], unseen=extras[sheet][6])
        if styled and part:
            struck, formats, unseen, _ = styled_cells(z, part, styled, kept)
            if struck or formats or unseen:
                grids[canonical] = replace(grids[canonical], struck=struck, unit_formats=formats, unseen=unseen)
    shut = {m.name for m in wb.sheets_metadata if m.visible != SheetVisibleEnum.Visible}
    for canonical, grid in grids.items():  # an input sheet hidden in Excel (no tab): named beside a copy not read
        if grid.sheet in shut:
            grids[canonical] = replace(grid, sheet_hidden=True)

    def sheet_rows(sheet: str) -> list | None:
        """A copy's rows (歲出明細 (2)), for with_copies; one past the caps is never given to calamine, only named."""
        try:
            if parts.get(sheet):
                check_extent(path, sheet, parts[sheet], z, kept=kept)
        except InputError:
            return None
        return _sheet_rows(wb, name, sheet)[1]

    def top_rows(sheet: str) -> list:
        """A sheet's first rows, for with_renamed; one past the caps is never given to calamine."""
        try:
            if parts.get(sheet):
                check_extent(path, sheet, parts[sheet], z, kept=kept)
        except InputError:
            return []
        return _sheet_rows(wb, name, sheet, nrows=HEADER_SEARCH_ROWS)[1]

    grids = with_renamed(grids, wb.sheet_names, top_rows)
    return with_copies(grids, wb.sheet_names, sheet_rows, top_rows)


def _sheet_rows(wb, name: str, sheet: str, **kwargs) -> tuple:
    """A calamine sheet and its rows (``to_python``'s, ``kwargs`` passed on); one it cannot parse (a part cut
    short) is sheet-unreadable, naming the file and the sheet."""
    try:
        data = wb.get_sheet_by_name(sheet)
        return data, data.to_python(**kwargs)
    except Exception as exc:  # calamine raises its own error types for broken parts
        raise InputError(make_finding("sheet-unreadable", None, name=name, sheet=sheet, error=type(exc).__name__),
                         name) from None


def _calamine(path: Path, copy: bytes | None = None):
    """python-calamine's workbook of ``path``; one it cannot open is file-unreadable, naming the file. ``copy``: the
    file's zip made again with its inflated parts stored (safety.stored_copy), read instead of the file."""
    try:
        return CalamineWorkbook.from_filelike(BytesIO(copy)) if copy is not None else _open(path)
    except Exception as exc:  # calamine raises its own error types for broken files
        raise InputError(make_finding("file-unreadable", None, name=path.name, error=type(exc).__name__),
                         path.name) from None


def _open(path: Path):
    """CalamineWorkbook of ``path``; a name in Big5 bytes on Linux (surrogate-escaped) is opened by its bytes:
    calamine cannot open it by name, an OSError that called a sound file damaged (field report 5 §4.1)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        with open(path, "rb") as f:
            return CalamineWorkbook.from_filelike(f)
    return CalamineWorkbook.from_path(str(path))


# a row or column marked hidden, or whose height or width may be 0 (a 0 or a point after blanks or a sign: ht="0",
# "0.0", ".0", " 0", "-0"; "0.4" too, which grid.line_hidden then keeps shown), whitespace about the = and a quote of
# either kind as XML allows (safety._hidden_hint looks for the same): the tags hidden_marks looks at, in one pass
# (field report 17 §1.2)
_HIDDEN_ROW = lazy(rb'<(?:\w+:)?row\b[^>]*?\s(?:hidden\s*=\s*["\']\s*(?:1|true)|ht\s*=\s*["\'][\s+-]*[0.])[^>]*>')
_ROW_NUMBER = lazy(rb'\sr\s*=\s*["\'](\d+)["\']')
_ROW_TAG = lazy(rb'<(?:\w+:)?row\b[^>]*>')  # every row's start tag, when a hidden one has no r= to number it
_HIDDEN_COLUMN = lazy(rb'<(?:\w+:)?col\b[^>]*?\s(?:hidden\s*=\s*["\']\s*(?:1|true)|width\s*=\s*["\'][\s+-]*[0.])[^>]*>')
_COLUMN_SPAN = (lazy(rb'\smin\s*=\s*["\'](\d+)["\']'), lazy(rb'\smax\s*=\s*["\'](\d+)["\']'))
_MARKED_HIDDEN = lazy(rb'\shidden\s*=\s*["\']\s*(?:1|true)\s*["\']')
_SIZE = {b"row": lazy(rb'\sht\s*=\s*(?:"([^"]*)"|\'([^\']*)\')'),
         b"col": lazy(rb'\swidth\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')}


def _shown_hidden(tag: bytes, element: bytes) -> bool:
    """Whether the start tag of a row or column (``element``: b"row", b"col") _HIDDEN_ROW or _HIDDEN_COLUMN found
    is hidden in Excel by grid.line_hidden: marked hidden, or of size 0."""
    size = _SIZE[element].search(tag)
    try:
        number = float(size.group(1) if size.group(1) is not None else size.group(2)) if size else None
    except ValueError:  # not a number (openpyxl would not load it): no size
        number = None
    return line_hidden(_MARKED_HIDDEN.search(tag), number)


def hidden_marks(z: zipfile.ZipFile, part: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The sheet rows and the sheet columns an .xlsx part marks hidden (rows by hand or filtered out; columns by
    hand; either of height or width 0: grid.line_hidden), each as (first, last) spans, as xlsxfile.hidden_marks reads
    them from openpyxl's row_dimensions and column_dimensions: python-calamine gives no visibility. Asked only of a
    part whose extent scan met ``hidden="`` or a size 0 (safety._hidden_hint)."""
    data = z.read(part)
    head = data[:data.find(b"sheetData")]  # <cols> comes before the cells
    hidden = [tag for m in _HIDDEN_ROW.finditer(data) if _shown_hidden(tag := m.group(0), b"row")]
    numbers = [_ROW_NUMBER.search(tag) for tag in hidden]
    if all(numbers):
        rows = [(r, r) for n in numbers for r in (int(n.group(1)),)]
    else:  # a row without r= (optional in the format) is the row after the one before it, as openpyxl counts them
        rows, number = [], 0
        for m in _ROW_TAG.finditer(data):
            tag = m.group(0)
            number = int(n.group(1)) if (n := _ROW_NUMBER.search(tag)) else number + 1
            if _HIDDEN_ROW.match(tag) and _shown_hidden(tag, b"row"):
                rows.append((number, number))
    columns = [(int(a.group(1)), int(b.group(1)) if b else int(a.group(1)))
               for m in _HIDDEN_COLUMN.finditer(head) if _shown_hidden(tag := m.group(0), b"col")
               if (a := _COLUMN_SPAN[0].search(tag)) for b in (_COLUMN_SPAN[1].search(tag),)]
    return rows, columns


# the words a number format names a scale with (grid.format_unit), as bytes: a book's styles without any of them
# (and without «strike») are looked at no further
_SCALE_BYTES = tuple(w.encode() for w in ("千", "仟", "萬", "万", "億"))
_FONT = lazy(rb"<(?:\w+:)?font\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?font>)", re.S)
_STRIKE = lazy(rb'<(?:\w+:)?strike\b(?![^>]*\bval="(?:0|false)")')
_NUMBER_FORMAT = lazy(rb"<(?:\w+:)?numFmt\b[^>]*>")
_XF = lazy(rb"<(?:\w+:)?xf\b([^>]*)>")
_ATTRIBUTE = {name: lazy(rb'\s%s="([^"]*)"' % name) for name in (b"fontId", b"fillId", b"numFmtId", b"formatCode", b"s", b"r")}
_CELL_TAG = lazy(rb"<(?:\w+:)?c\b([^>]*)>")
# a font's colour, a solid fill's, and their attributes; a font that may be white (unseen_style)
_COLOUR_TAG = lazy(rb"<(?:\w+:)?color\b([^>]*)>")
_FG_COLOUR = lazy(rb"<(?:\w+:)?fgColor\b([^>]*)>")
_FILL = lazy(rb"<(?:\w+:)?fill\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?fill>)", re.S)
_COLOUR_ATTRIBUTE = lazy(rb'\b(rgb|theme|indexed|tint)="([^"]*)"')
_WHITE_BYTES = (b'FFFFFF"', b'ffffff"', b'theme="0"', b'indexed="9"', b'indexed="1"')
# a number format with a section empty (;;) or of quoted text alone (;"－", "" first): one that may hide a figure
_HIDING_BYTES = (b";;", b";&quot;", b'formatCode="&quot;', b'formatCode=";', b';"')


def _section(data: bytes, name: bytes) -> bytes:
    """The element ``name`` of a styles part (<fonts>…</fonts>), b"" when it has none."""
    start = data.find(b"<" + name)
    if start < 0:
        start = data.find(b":" + name)
    end = data.find(name + b">", start + len(name) + 1) if start >= 0 else -1  # its end tag, past <fonts> itself
    return data[start:end] if start >= 0 and end > start else b""


def _style_marks(z: zipfile.ZipFile, kept: dict, scaled: bool = False
                 ) -> tuple[frozenset[int], dict[int, str], dict[int, tuple[str, str]], dict[int, str]] | None:
    """(the cell formats, by their index in cellXfs, whose font is struck through; {index: number format} of those
    whose format shows a unit, grid.format_unit; {index: (number format, what hides it)} of those that show no figure:
    a number format hiding it, grid.format_hides, or a font the colour of the fill, grid.unseen_style; with
    ``scaled``, {index: number format} of those scaling the figure they show by their commas, grid.format_scale) of
    the book's styles part, or None when it has none: a struck font, a format naming a scale word, a format of
    several sections or a quoted text, a comma after a digit placeholder and before no other, a white font or a solid
    fill are looked for in the bytes first, and most books stop there."""
    from xlbudget.readers.grid import colour_key, format_hiding, format_scale, format_unit, unseen_style

    data = kept.get(STYLES_PART)
    if data is None:
        try:
            data = part_bytes(z, z.getinfo(STYLES_PART))
        except KeyError:
            return None
    strike = b"strike" in data
    scale = any(w in data for w in _SCALE_BYTES)
    number_formats = _section(data, b"numFmts")  # a section empty or of quoted text alone, or text alone
    sectioned = any(w in number_formats for w in _HIDING_BYTES)
    scaling = scaled and _scaling_bytes(number_formats)
    fonts = _section(data, b"fonts")
    white = any(w in fonts for w in _WHITE_BYTES) or any(  # a font that may be white, or of a fill's colour
        colour in fonts for colour in _fill_colour_bytes(_section(data, b"fills")))
    if not strike and not scale and not sectioned and not white and not scaling:
        return None
    font_list = [m.group(1) or b"" for m in _FONT.finditer(fonts)] if strike or white else []
    struck_fonts = {i for i, body in enumerate(font_list) if _STRIKE.search(body)} if strike else set()
    codes, hiding, scales = {}, {}, {}
    for m in _NUMBER_FORMAT.finditer(number_formats) if scale or sectioned or scaling else ():
        number, code = _ATTRIBUTE[b"numFmtId"].search(m.group(0)), _ATTRIBUTE[b"formatCode"].search(m.group(0))
        if number and code:
            text = unescaped(code.group(1).decode("utf-8", "replace"))
            if scale and format_unit(text):
                codes[number.group(1)] = text
            if sectioned and (found := format_hiding(text)):
                hiding[number.group(1)] = found
            if scaling and format_scale(text):
                scales[number.group(1)] = text
    font_colours = fill_colours = []
    if white:
        font_colours = [_colour(colour_key, _COLOUR_TAG.search(body)) for body in font_list]
        fill_colours = [_colour(colour_key, _FG_COLOUR.search(m.group(1))) if m.group(1) and b"solid" in m.group(1)
                        else None for m in _FILL.finditer(_section(data, b"fills"))]
        if not any(unseen_style(f, g) for f in set(font_colours) for g in {None, *fill_colours}):
            font_colours = []
    if not struck_fonts and not codes and not hiding and not font_colours and not scales:
        return None
    struck, formats, unseen, scaled_xfs = set(), {}, {}, {}
    for i, m in enumerate(_XF.finditer(_section(data, b"cellXfs"))):
        font, number = _ATTRIBUTE[b"fontId"].search(m.group(1)), _ATTRIBUTE[b"numFmtId"].search(m.group(1))
        font_id = int(font.group(1)) if font and font.group(1).isdigit() else 0
        if font_id in struck_fonts:
            struck.add(i)
        if number and number.group(1) in codes:
            formats[i] = codes[number.group(1)]
        if number and number.group(1) in scales:
            scaled_xfs[i] = scales[number.group(1)]
        if number and number.group(1) in hiding:
            unseen[i] = hiding[number.group(1)]
        elif font_colours and font_id < len(font_colours):
            fill = _ATTRIBUTE[b"fillId"].search(m.group(1))
            fill_id = int(fill.group(1)) if fill and fill.group(1).isdigit() else 0
            why = unseen_style(font_colours[font_id], fill_colours[fill_id] if fill_id < len(fill_colours) else None)
            if why:
                unseen[i] = ("", why)
    return (frozenset(struck), formats, unseen, scaled_xfs) if struck or formats or unseen or scaled_xfs else None


def _scaling_bytes(number_formats: bytes) -> bool:
    """Whether a styles part's <numFmts> (bytes) may hold a format scaling its figure by a comma (``#,##0,``): a comma
    right after a digit placeholder and before none (``#,##0``'s comma is followed by one); by bytes alone."""
    i = number_formats.find(b",")
    while i > 0:
        if number_formats[i - 1] in b"0#?" and number_formats[i + 1:i + 2] not in (b"0", b"#", b"?"):
            return True
        i = number_formats.find(b",", i + 1)
    return False


def _fill_colour_bytes(fills: bytes) -> list[bytes]:
    """The colours of a styles part's <fills>, each as a font of that colour would hold it (b'DDEBF7"',
    b'theme="4"', b'indexed="9"'): whether any font may be the colour of a fill, by bytes alone (no pattern to compile
    in the common book, whose fills are a few header shades)."""
    found = []
    i = fills.find(b"fgColor")
    while i >= 0:
        end = fills.find(b">", i)
        tag = fills[i:end] if end > i else fills[i:]
        for key in (b'rgb="', b'theme="', b'indexed="'):
            j = tag.find(key)
            if j >= 0:
                value = tag[j + len(key):tag.find(b'"', j + len(key))]
                found.append(value[-6:] + b'"' if key == b'rgb="' else key + value + b'"')
                break
        i = fills.find(b"fgColor", end) if end > i else -1
    return found


def _colour(colour_key, m: re.Match | None) -> str:
    """grid.colour_key of a <color> or <fgColor> element's attributes (``m``; None: no such element, automatic)."""
    if m is None:
        return colour_key()
    found = dict(_COLOUR_ATTRIBUTE.findall(m.group(1)))
    number = lambda key: int(found[key]) if found.get(key, b"").isdigit() else None  # noqa: E731
    try:
        tint = float(found.get(b"tint", b"0"))
    except ValueError:
        tint = 1.0
    rgb = found.get(b"rgb")
    return colour_key(rgb.decode("ascii", "replace") if rgb else None, number(b"theme"), number(b"indexed"), tint)


def styled_cells(z: zipfile.ZipFile, part: str,
                 styled: tuple[frozenset[int], dict[int, str], dict[int, tuple[str, str]], dict[int, str]],
                 kept: dict | None = None
                 ) -> tuple[frozenset[tuple[int, int]], dict[tuple[int, int], str], dict[tuple[int, int], tuple[str, str]],
                            dict[tuple[int, int], str]]:
    """(sheet (row, column) of the cells struck through, {(row, column): number format} of those whose format shows
    a unit, {(row, column): (number format, what hides it)} of those showing no figure, {(row, column): number
    format} of those scaling their figure) of the sheet ``part``, given the book's ``styled`` formats (_style_marks):
    Grid.struck, Grid.unit_formats, Grid.unseen and Grid.scaled, which python-calamine does not give."""
    from xlbudget.readers.grid import column_number

    struck_styles, unit_styles, unseen_styles, scaled_styles = styled
    data = (kept or {}).get(part)
    if data is None:
        data = part_bytes(z, z.getinfo(part))
    struck, formats, unseen, scaled = set(), {}, {}, {}
    for m in _CELL_TAG.finditer(data):
        attributes = m.group(1)
        s = _ATTRIBUTE[b"s"].search(attributes)
        if not s or not s.group(1).isdigit():
            continue
        index = int(s.group(1))
        if index not in struck_styles and index not in unit_styles and index not in unseen_styles \
                and index not in scaled_styles:
            continue
        ref = _ATTRIBUTE[b"r"].search(attributes)
        cell = re.fullmatch(rb"([A-Z]{1,3})(\d{1,7})", ref.group(1)) if ref else None
        if cell is None:
            continue
        key = (int(cell.group(2)), column_number(cell.group(1).decode()))
        if index in struck_styles:
            struck.add(key)
        if index in unit_styles:
            formats[key] = unit_styles[index]
        if index in unseen_styles:
            unseen[key] = unseen_styles[index]
        if index in scaled_styles:
            scaled[key] = scaled_styles[index]
    return frozenset(struck), formats, unseen, scaled


def read_sheets(path: str | Path, only: Iterable[str] | None = None) -> dict:
    """Every worksheet of ``path`` (.xlsx, .xlsm or .ods) as a ``printed_model.SheetGrid``, values only, for checking;
    with ``only``, those of these names alone.

    The calamine counterpart of ``xlsxfile.workbook_sheets``, cell for cell: values from A1, merged ranges,
    the cells of a merged range other than its first empty (as openpyxl reads them), a number stored whole as
    an int, a formula by its cached value (none: ``grid.Uncached``), an error value by its text. Caps are
    checked on the zip and on each sheet's extent first, as read_grids does.
    """
    from xlbudget.adapters.xlsxfile import is_ods
    from xlbudget.readers.printed_model import SheetGrid

    path = Path(path)
    name = path.name
    check_zip(path)
    ods = is_ods(path)
    if CalamineWorkbook is None:  # pragma: no cover - where calamine is missing, check reads through openpyxl
        raise InputError(make_finding("ods-needs-calamine", None, name=name), name)
    wb = _calamine(path)
    parts = {} if ods else sheet_parts(path)
    extras = ods_extras(path, merges=True) if ods else {}
    sheets = {}
    worksheets = [m.name for m in wb.sheets_metadata  # not a chart sheet (openpyxl's worksheets leave it out too)
                  if str(m.typ) == "SheetTypeEnum.WorkSheet" and (ods or m.name in parts)
                  and (only is None or m.name in only)]
    hints: set = set()  # the parts holding hidden="…", noted by the extent scan
    with zipfile.ZipFile(path) as z:  # opened once for every sheet's extent
        extents = {} if ods else {sheet: check_extent(path, sheet, parts[sheet], z, hints) for sheet in worksheets}
        marks = {part: hidden_marks(z, part) for part in hints}
        # a figure no one sees, or shown scaled by its format: its cells (Grid.unseen, Grid.scaled), rarely any
        styled = None if ods else _style_marks(z, {}, scaled=True)
        marked = {sheet: styled_cells(z, parts[sheet], styled) for sheet in worksheets} \
            if styled and (styled[2] or styled[3]) else {}
        unseen = {sheet: found[2] for sheet, found in marked.items()}
    # what Excel prints not besides hidden rows and columns: a hidden sheet, a cell outside the print area
    shut = {m.name for m in wb.sheets_metadata if m.visible != SheetVisibleEnum.Visible}
    texts = {} if ods else sheet_names_defined(path, "_xlnm.Print_Area")
    areas = {sheet: print_ranges(text) for sheet, text in texts.items()}
    for sheet in worksheets:
        formulas = extents.get(sheet, False)
        data, rows = _sheet_rows(wb, name, sheet)
        rows = [[int(v) if type(v) is float and v.is_integer() and abs(v) < 2 ** 53 else v for v in r] for r in rows]
        top, left = data.start if rows else (0, 0)
        rows = [[""] * left + r for r in ([[]] * top + rows)]  # from A1, as workbook_sheets gives them
        if formulas:
            _mark_uncached(path, parts[sheet], rows, 0, 0)
        if ods:
            errors, merges, spans, column_spans, _, ranges, unseen[sheet] = extras.get(sheet, ({}, [], [], [], {}, [],
                                                                                              {}))
            _mark_ods_errors(errors, rows, 0, 0)
            areas[sheet] = tuple(ranges)
        else:
            spans, column_spans = marks.get(parts[sheet], ((), ()))
            merges = [(r1 + 1, c1 + 1, r2 + 1, c2 + 1)
                      for (r1, c1), (r2, c2) in getattr(data, "merged_cell_ranges", None) or ()]
        for r1, c1, r2, c2 in merges:  # openpyxl reads every cell of a merged range but the first as empty
            for r in range(r1 - 1, min(r2, len(rows))):
                row = rows[r]
                for c in range(c1 - 1, min(c2, len(row))):
                    if (r, c) != (r1 - 1, c1 - 1):
                        row[c] = ""
        width = max(map(len, rows), default=0)  # a hidden range may run to XFD: the columns read, no further
        hidden = frozenset(r for first, end in spans for r in range(first, min(end, len(rows)) + 1))
        columns = frozenset(c for first, end in column_spans for c in range(first, min(end, width) + 1))
        sheets[sheet] = SheetGrid(Grid(sheet, rows, 1, 1, name, hidden=hidden, hidden_columns=columns,
                                       sheet_hidden=sheet in shut, print_area=areas.get(sheet, ()),
                                       unseen=unseen.get(sheet) or {},
                                       scaled=marked[sheet][3] if sheet in marked else {},
                                       print_area_lost="#REF!" in texts.get(sheet, "")), tuple(merges))
    return sheets


_CELL = lazy(rb'<(?:\w+:)?c r="([A-Z]{1,3})(\d{1,7})"([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)', re.S)
_FORMULA = lazy(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_VALUE = lazy(rb"<(?:\w+:)?v>([^<]+)<", re.S)
# a cell holding a formula (its first child): its reference, the <f>'s attributes, and its text (None: <f …/>)
CELL_FORMULA = lazy(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+[0-9]+)"[^>]*>\s*<(?:\w+:)?f\b([^>]*?)(?:/>|>([^<]*)</(?:\w+:)?f>)')
_SHARED_INDEX = lazy(rb'\bsi="(\d+)"')


def shared_formula(xml: bytes, f: bytes, cell: str, masters: dict | None = None) -> str:
    """The formula of ``cell`` as Excel shows it, where the sheet's ``xml`` stores it as one of a shared formula's
    other cells (``f``: its <f> element, which holds only the shared index): the master's formula moved to ``cell``,
    its relative references shifted (openpyxl's Translator), as «=LEN(A3)» for D41 of a LEN(A2) filled down from
    D40; «=（與 D40 同一共用公式）» where it cannot be moved, «=（共用公式）» where the master is not found.
    ``masters``: {index: (cell, formula)} of ``xml``, read once for many cells (``shared_masters``)."""
    index = _SHARED_INDEX.search(f)
    master = (shared_masters(xml) if masters is None else masters).get(index.group(1) if index else None)
    if master is None:
        return "=（共用公式）"
    try:
        from openpyxl.formula.translate import Translator

        return Translator("=" + unescaped(master[1]), origin=master[0]).translate_formula(cell)
    except Exception:  # a formula openpyxl's tokenizer cannot read: named by its master's cell
        return f"=（與 {master[0]} 同一共用公式）"


def shared_masters(xml: bytes) -> dict[bytes, tuple[str, str]]:
    """{shared index: (cell, formula text as stored)} of each shared formula's master cell of a sheet's ``xml``."""
    masters = {}
    for m in CELL_FORMULA.finditer(xml):
        if m.group(3) and b'"shared"' in m.group(2):
            index = _SHARED_INDEX.search(m.group(2))
            if index:
                masters.setdefault(index.group(1), (m.group(1).decode(), m.group(3).decode("utf-8", "replace")))
    return masters


def unescaped(text: str) -> str:
    """A part's text with its character references resolved (&amp; → &, &#10; → a newline), as html.unescape gives
    it; html (and its table of 2,000-odd entities, 1 ms) imported only for a text that has one."""
    if "&" not in text:
        return text
    from html import unescape

    return unescape(text)


def _mark_uncached(path: Path, part: str, rows: list[list[object]], top: int, left: int,
                   z: zipfile.ZipFile | None = None) -> None:
    """Replace each formula cell without a cached value by ``grid.Uncached``, and each error value (#N/A,
    #DIV/0!) by its text: calamine reads both as empty cells, which would be read as nothing, or 0."""
    from xlbudget.readers.grid import column_number
    from xlbudget.readers.grid import Uncached

    with (zipfile.ZipFile(path) if z is None else nullcontext(z)) as zf:
        xml = zf.read(part)
    masters = None  # the sheet's shared formulas, read once should a cell of one hold no value
    for m in _CELL.finditer(xml):
        inner = m.group(4) or b""
        value = _VALUE.search(inner)
        error = b't="e"' in m.group(3)
        f = None if error else _FORMULA.search(inner)
        if not error and (f is None or value):
            continue
        r = int(m.group(2)) - 1 - top
        c = column_number(m.group(1).decode()) - 1 - left
        if error:
            _put(rows, r, c, unescaped(value.group(1).decode("utf-8", "replace")) if value else "#VALUE!")
            continue
        text = unescaped((f.group(1) or b"").decode("utf-8", "replace"))
        if not text and masters is None:
            masters = shared_masters(xml)
        _put(rows, r, c, Uncached("=" + text if text else
                                  shared_formula(xml, f.group(0), f"{m.group(1).decode()}{m.group(2).decode()}", masters)))


_ODS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
        "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
        "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}


_STYLE_NS = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_ODS_STYLE, _ODS_STYLE_NAME = _STYLE_NS + "style", _STYLE_NS + "name"
# a row's or a column's style properties, each with the attribute sizing it; a length's figure (0cm, 0.000in, 0pt)
_ODS_SIZES = {_STYLE_NS + "table-row-properties": _STYLE_NS + "row-height",
              _STYLE_NS + "table-column-properties": _STYLE_NS + "column-width"}
_ODS_LENGTH = lazy(r"\s*(\d*\.?\d+)")
_FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
# a cell style's font colour and solid fill (fo:background-color, "transparent" for none): unseen_style
_ODS_COLOURS = {_STYLE_NS + "text-properties": (0, _FO + "color"),
                _STYLE_NS + "table-cell-properties": (1, _FO + "background-color")}
_ODS_NUMBER_TYPES = ("float", "currency", "percentage")  # office:value-type of a cell holding a figure
ODS_FORMAT_HIDES = "數值格式不顯示數字"  # what hides a figure an .ods prints as nothing: its format (text saved empty)


def ods_extras(path: Path, merges: bool = False) -> dict[str, tuple[dict[tuple[int, int], str], list, list, list,
                                                                    dict[tuple[int, int], str], list, dict]]:
    """What python-calamine does not give of an .ods, per sheet: error values (0-based (row, col) → text such
    as #N/A) and, when asked, merged ranges (1-based (first row, first col, last row, last col)), hidden
    rows (table:visibility="collapse", or "filter" for a row filtered out: 1-based (first row, last row)),
    hidden columns (1-based (first column, last column)), which the .xlsx readers give as row_dimensions /
    column_dimensions / hidden="1" (field report 3 #17, field report 8 §2.1), and the formula cells (0-based
    (row, col) → the formula as ODF stores it, «of:=[.F2]*[.G2]»: what next-year names, app.nextformulas), its
    print ranges, and the figures no one sees (Grid.unseen: 1-based (row, col) → ("", what hides it)): a non-zero
    figure saved with no text shown (a ;;; format: LibreOffice saves each cell's shown text), or in a font the
    colour of its fill (grid.unseen_style; a style of its own, or its column's), as the .xlsx readers give them
    (fix11's figure-not-visible, session 31's note: not for an .ods)."""
    from xml.etree.ElementTree import iterparse

    from xlbudget.readers.grid import colour_key, unseen_style

    t = "{%s}" % _ODS["table"]
    error_type = "{%s}value-type" % _ODS["calcext"]
    found: dict[str, tuple[dict[tuple[int, int], str], list, list, list]] = {}
    sizes: dict[str, float] = {}  # a row's or column's automatic style → its height or width, when it sets one
    colours: dict[str, list] = {}  # a cell's automatic style → [its font colour, its fill], each as the file has it
    office = "{%s}" % _ODS["office"]

    def unseen(style_name: str | None) -> str | None:
        """What hides a figure of cell style ``style_name``: a font (set, not automatic) the colour of the fill."""
        font, fill = colours.get(style_name) or (None, None)
        if not font or not font.startswith("#"):
            return None
        return unseen_style(colour_key(font[1:]), colour_key(fill[1:]) if fill and fill.startswith("#") else None)

    def hidden(el) -> bool:
        """Whether a table-row or table-column is hidden (grid.line_hidden): collapsed or filtered out, or of
        size 0 by its style (style:row-height="0cm", as Excel's ht="0": field report 17 §1.2)."""
        return line_hidden(el.get(t + "visibility", "visible") != "visible", sizes.get(el.get(t + "style-name")))

    with zipfile.ZipFile(path) as z:
        if not merges and b'value-type="error"' not in z.read("content.xml"):
            return found
        with z.open("content.xml") as f:
            sheet, r, c, style = None, -1, 0, None
            for event, el in iterparse(f, events=("start", "end")):
                if el.tag in _ODS_SIZES and event == "end" and merges:  # the automatic styles come before the body
                    number = _ODS_LENGTH.match(el.get(_ODS_SIZES[el.tag]) or "")
                    if number and style:
                        sizes[style] = float(number.group(1))
                elif el.tag in _ODS_COLOURS and event == "end" and merges and style:
                    at, attribute = _ODS_COLOURS[el.tag]
                    colours.setdefault(style, [None, None])[at] = el.get(attribute)
                elif el.tag == _ODS_STYLE and event == "start":
                    style = el.get(_ODS_STYLE_NAME)
                elif el.tag == t + "table":
                    if event == "start":
                        sheet, r, column = el.get(t + "name"), -1, 0
                        found[sheet] = ({}, [], [], [], {}, list(print_ranges(el.get(t + "print-ranges"), ods=True)),
                                        {})
                        column_styles: list[tuple[int, int, str]] = []  # (first, last column, default cell style)
                    else:
                        el.clear()
                elif el.tag == t + "table-column" and event == "end" and sheet:
                    repeated = int(el.get(t + "number-columns-repeated", "1"))
                    if merges and hidden(el):
                        found[sheet][3].append((column + 1, column + repeated))
                    if merges and unseen(el.get(t + "default-cell-style-name")):
                        column_styles.append((column, column + repeated - 1, el.get(t + "default-cell-style-name")))
                    column += repeated
                elif el.tag == t + "table-row":
                    if event == "start":
                        r, c = r + 1, 0
                    else:
                        repeated = int(el.get(t + "number-rows-repeated", "1"))
                        if merges and sheet and hidden(el):
                            found[sheet][2].append((r + 1, r + repeated))
                        r += repeated - 1
                        el.clear()
                elif el.tag in (t + "table-cell", t + "covered-table-cell") and event == "end" and sheet:
                    span = int(el.get(t + "number-columns-repeated", "1"))
                    if el.get(error_type) == "error":
                        text = "".join(el.itertext()).strip() or "#VALUE!"
                        for k in range(span):
                            found[sheet][0][(r, c + k)] = text
                    if merges and el.get(t + "formula"):
                        for k in range(span):
                            found[sheet][4][(r, c + k)] = el.get(t + "formula")
                    rows = int(el.get(t + "number-rows-spanned", "1"))
                    cols = int(el.get(t + "number-columns-spanned", "1"))
                    if merges and (rows > 1 or cols > 1):
                        found[sheet][1].append((r + 1, c + 1, r + rows, c + cols))
                    if merges and el.get(office + "value-type") in _ODS_NUMBER_TYPES \
                            and _nonzero(el.get(office + "value")):
                        style_name = el.get(t + "style-name") or next(
                            (name for first, last, name in column_styles if first <= c <= last), None)
                        why = ODS_FORMAT_HIDES if not "".join(el.itertext()).strip() else unseen(style_name)
                        for k in range(span) if why else ():
                            found[sheet][6][(r + 1, c + k + 1)] = ("", why)
                    c += span
    return found


def _nonzero(value: str | None) -> bool:
    """Whether an .ods cell's office:value is a figure other than 0 (a 0 shown as nothing changes no total)."""
    try:
        return bool(value) and float(value) != 0
    except ValueError:
        return False


def sheet_states(path: str | Path) -> list[tuple[str, str]]:
    """(name, state) of every sheet of ``path`` in tab order, state as openpyxl gives it ("visible", "hidden",
    "veryHidden"): what an .ods holds besides its grids (python-calamine's sheet list)."""
    return [(m.name, "visible" if m.visible == SheetVisibleEnum.Visible else "veryHidden"
             if m.visible == SheetVisibleEnum.VeryHidden else "hidden") for m in _calamine(Path(path)).sheets_metadata]


def ods_names_defined(path: str | Path, defined: str) -> dict[str, str]:
    """Sheet name → the expression of the named expression ``defined`` scoped to it, in an .ods (LibreOffice keeps
    an .xlsx's sheet-scoped defined names as each table's own table:named-expression): what
    safety.sheet_names_defined gives of an .xlsx (the record of what build wrote there, forms.overwrite.RECORD_NAME).
    Nothing parsed when the name is nowhere in content.xml."""
    from xml.etree.ElementTree import iterparse

    t = "{%s}" % _ODS["table"]
    found: dict[str, str] = {}
    with zipfile.ZipFile(path) as z:
        if f'table:name="{defined}"'.encode() not in z.read("content.xml"):
            return found
        with z.open("content.xml") as f:
            sheets: list[str] = []  # the tables the parser is in (a named expression outside them is the book's)
            for event, el in iterparse(f, events=("start", "end")):
                if el.tag == t + "table":
                    if event == "start":
                        sheets.append(el.get(t + "name"))
                    else:
                        sheets.pop()
                        el.clear()
                elif el.tag == t + "table-row" and event == "end":
                    el.clear()
                elif (el.tag == t + "named-expression" and event == "end" and sheets
                      and el.get(t + "name") == defined):
                    found[sheets[-1]] = el.get(t + "expression") or ""
    return found


def ods_workbook(path: str | Path):
    """An .ods as an openpyxl workbook of its values, merged ranges, hidden sheets, rows and columns and print areas:
    what convert checks, marks and writes of a hand-made .ods book (printed tables only), as it does of the same
    book saved as .xlsx."""
    from openpyxl import Workbook

    from xlbudget.core.formulas import keep_text

    wb = Workbook()
    wb.remove(wb.active)
    for name, sheet in read_sheets(path).items():  # 1234 as an .xlsx holds it, not calamine's 1234.0
        ws = wb.create_sheet(name)
        for r, row in enumerate(sheet.grid.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value in ("", None):
                    continue
                cell = keep_text(ws.cell(r, c, value))  # a text that looks like a formula stays text
                if type(value) is str and len(value) > EXCEL_CELL_CHARACTERS:
                    # openpyxl's assignment keeps Excel's 32,767 characters without a word: the text whole, as
                    # the book saved as .xlsx is read and written (and named by the checks: text-too-long)
                    cell._value = value
        for r1, c1, r2, c2 in sheet.merges:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        # what LibreOffice prints not, as the .xlsx holds it: check names it (coverage.hidden_figures), and the
        # copy convert writes keeps it as the officer left it
        for r in sorted(sheet.grid.hidden):
            ws.row_dimensions[r].hidden = True
        for c in sorted(sheet.grid.hidden_columns):
            ws.column_dimensions[column_letter(c)].hidden = True
        if sheet.grid.print_area:
            ws.print_area = [f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}"
                             for r1, c1, r2, c2 in sheet.grid.print_area]
    # a sheet the officer hid stays hidden (check --mark's copy showed his hidden sheets, unsaid)
    for m in _calamine(Path(path)).sheets_metadata:
        if m.visible != SheetVisibleEnum.Visible and m.name in wb.sheetnames:
            wb[m.name].sheet_state = "veryHidden" if m.visible == SheetVisibleEnum.VeryHidden else "hidden"
    return wb


def _mark_ods_errors(errors: dict[tuple[int, int], str], rows: list[list[object]], top: int, left: int) -> None:
    """Each error value of an .ods sheet by its text, as the .xlsx readers give it."""
    for (r, c), text in errors.items():
        _put(rows, r - top, c - left, text)


def _put(rows: list[list[object]], r: int, c: int, value: object) -> None:
    """``rows[r][c] = value`` (0-based), the rows and the row grown with empty cells to reach it; nothing left of
    or above the block read."""
    if r < 0 or c < 0:
        return
    while len(rows) <= r:
        rows.append([])
    while len(rows[r]) <= c:
        rows[r].append("")
    rows[r][c] = value


def _first_tables(z: zipfile.ZipFile, sheet_parts: list[str]) -> dict[str, tuple[str | None, int]]:
    """Sheet part → (A1 range, totals row count) of its first Excel Table, from the table definitions in the
    book's zip ``z`` (open)."""
    from xml.etree.ElementTree import fromstring  # our own small parts, after check_zip refused any DTD

    from xlbudget.adapters.package import rels_part, resolve

    found: dict[str, tuple[str | None, int]] = {}
    members = z.NameToInfo  # the zip's own index of its names (a set of namelist() made for each book: 26 names)
    for part in sheet_parts:
        rels_name = rels_part(part)
        if rels_name not in members:
            continue
        for rel in fromstring(part_bytes(z, z.getinfo(rels_name))):
            if not rel.get("Type", "").endswith("/table"):
                continue
            target = resolve(part, rel.get("Target", ""))
            if target in members:
                table = fromstring(part_bytes(z, z.getinfo(target)))
                found[part] = (table.get("ref"), int(table.get("totalsRowCount") or 0))
            break
    return found


def _read_grids_openpyxl(path: Path, parts: dict[str, str]) -> dict[str, Grid]:
    """The same grids through openpyxl (cached values) where calamine is not installed."""
    from xlbudget.adapters.xlsxfile import input_grids, open_workbook

    wb = open_workbook(path)
    for sheet in input_sheet_names(wb.sheetnames).values():
        if sheet in parts:
            check_extent(path, sheet, parts[sheet])
    grids = input_grids(wb, path.name, open_workbook(path, data_only=True))
    for grid in grids.values():  # empty cells as calamine gives them
        for row in grid.rows:
            row[:] = ["" if v is None else v for v in row]
    return grids


def sheet_texts(path: str | Path, names: list[str], every: bool = False) -> dict[str, dict[tuple[int, int], str]]:
    """The text cells of the sheets ``names`` of ``path`` (those it has), {sheet: {(row, column): text}}, 1-based;
    with ``every``, every cell not empty (a formula's by its cached value): what build is about to replace (its
    table sheets), read before the file is written."""
    path = Path(path)
    if CalamineWorkbook is None:  # pragma: no cover - where calamine is missing: openpyxl, values only
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        found = {n: list(wb[n].iter_rows(values_only=True)) for n in names if n in wb.sheetnames}
        starts = {n: (0, 0) for n in found}
    else:
        wb = _open(path)
        present = {m.name for m in wb.sheets_metadata if str(m.typ) == "SheetTypeEnum.WorkSheet"}
        sheets = {n: wb.get_sheet_by_name(n) for n in names if n in present}
        found = {n: s.to_python() for n, s in sheets.items()}
        starts = {n: s.start if found[n] else (0, 0) for n, s in sheets.items()}
    from xlbudget.readers.grid import text_cells

    return {n: text_cells(rows, top + 1, left + 1, every) for n, rows in found.items() for top, left in [starts[n]]}
