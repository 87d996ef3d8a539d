"""Where each part of a printed table sits on its sheet: data shared by every writer and reader.

Pure. ``layout_table`` turns a Table into a full 2-D grid of sheet values
(row 0 = sheet row 1) with its merged ranges, row kinds and sizes, so the
openpyxl writer, the xlwings writer (one ``range.value = grid`` call) and the
checker that reads a built book back all agree on the same positions.
"""

from __future__ import annotations

import math
from dataclasses import field, fields, replace
from decimal import Decimal
from functools import lru_cache, partial
from operator import attrgetter, is_not

from xlbudget.core.patterns import lazy
from xlbudget.core.records import plain
from xlbudget.core.amounts import price_format
from xlbudget.core.model import Agency
from xlbudget.core.tables import AMOUNT, BANNER, LABEL, TOTAL, Column, Table
from xlbudget.core.titles import CONTENTS, FUNCTION_ECON, sheet_name
from xlbudget.forms.wrapping import LIBREOFFICE_DEJAVU, NARROWEST, Wrapping, balanced_lines, printed_lines

TITLE_ROWS = 4  # agency name, title, 中華民國N年度 (+ subtitle), unit
HEADER_TOP = TITLE_ROWS + 1  # first header row (1-based)

# row kinds in SheetLayout.kinds
KIND_AGENCY, KIND_TITLE, KIND_YEAR, KIND_UNIT, KIND_HEADER = "agency", "title", "year", "unit", "header"


@plain
class SheetLayout:
    """A table placed on a sheet. Rows and columns in ``merges``/``kinds``/``heights`` are 1-based."""

    values: list[list[object]]
    merges: list[tuple[int, int, int, int]]  # (first row, first col, last row, last col)
    kinds: dict[int, str]  # sheet row → agency/title/year/unit/header or the table row's style
    data_rows: dict[int, int] = field(default_factory=dict)  # sheet row → index into table.rows
    heights: dict[int, float] = field(default_factory=dict)
    widths: list[float] = field(default_factory=list)
    amount_columns: list[int] = field(default_factory=list)
    wrap_columns: list[int] = field(default_factory=list)
    header_rows: tuple[int, int] = (HEADER_TOP, HEADER_TOP)
    # (first, last) column of each page the table prints across (``column_pages``); after the first, a page
    # prints the label columns (``title_columns``) before its own
    pages: list[tuple[int, int]] = field(default_factory=list)
    title_cols: int = 0  # the label columns printed on every page (``title_columns``)

    @property
    def ncols(self) -> int:
        """Number of columns."""
        return len(self.widths)

    def price_cells(self) -> list[tuple[int, int, str]]:
        """(row, column, number format) of each amount with 角 (a 單價 of 1.6): every writer shows it as typed,
        where the amount format #,##0 would show 2."""
        return [(r, c, price_format(v)) for r, row in enumerate(self.values, start=1)
                if Decimal in set(map(type, row))  # a row without one: one pass in C
                for c, v in enumerate(row, start=1) if price_format(v)]


# a CJK character (U+2E80 and anything past it) prints about 1.75 wide; written as "not below U+2E80", the same
# characters: re compiles a range of the BMP one character at a time, 0.5 ms for this one against 2.4 ms
_WIDE = lazy("[^\x00-\u2e7f]")


def text_lines(text: str, width: float) -> int:
    """Printed lines of wrapped text in a column of ``width`` (a CJK character is about 1.75 units)."""
    def units(part: str) -> float:
        return len(part) + 0.75 * len(_WIDE.findall(part))

    room = max(width - 1, 1)
    if len(text) * 1.75 <= room and "\n" not in text:  # no character is wider than 1.75: one line, uncounted
        return 1
    if text.isascii():  # no wide character: a part's units are its length (a code 「01」 in a narrow column, a figure)
        if "\n" not in text:
            return max(1, -int(-len(text) // room))
        return sum(max(1, -int(-len(part) // room)) for part in text.split("\n"))
    return sum(max(1, -int(-units(part) // room)) for part in text.split("\n"))


def _one_line(width: float) -> int:
    """The most characters that always print on one line of a column of ``width`` (``text_lines``' own test)."""
    room = max(width - 1, 1)
    return int(room // 1.75)


# What a figure prints across, in column width units, in the two renderers a book is printed with: LibreOffice
# prints digits in DejaVu Sans (0.636 em, a comma or minus 0.318; bold 0.696 and 0.380) in columns of 7.0 pt units
# less forms.wrapping.MARGIN; Excel in 標楷體, whose digits and marks are half an em, in units of Calibri's 7 px
# (5.25 pt; its 5 px of padding beyond them). A figure wider than its column prints as ### in both (field report 12
# §1.1: 人事費彙計表's 合計 of 2,535,637,000 元 in bold, 86.0 pt, in a column of 11: 73 pt).
AMOUNT_SIZE = 10  # points: a table row's font (adapters.printing)
_DEJAVU_EM = {False: (0.636, 0.318), True: (0.696, 0.380)}  # (digit, comma/point/minus) in em, by bold


_NO_DIGITS = str.maketrans("", "", "0123456789")  # a figure's text less its digits: its marks (, . -)
_UNITS: dict[tuple, float] = {}  # per process: figure_units by a text's length, marks, bold and size


def figure_units(value: object, bold: bool = False, size: float = AMOUNT_SIZE) -> float:
    """The column width (units) ``value`` prints in whole as #,##0 (a 單價 with 角 as typed) at ``size`` pt."""
    text = f"{value:,}"  # an int's or a Decimal's: ASCII digits and marks
    # its width is its count of digits and of marks: worked out once a shape (a character at a time, 14 µs a figure)
    marks = text.count(",") + (value < 0) if value.__class__ is int else len(text.translate(_NO_DIGITS))
    shape = (len(text), marks, bold, size)
    found = _UNITS.get(shape)
    if found is None:
        digit, mark = _DEJAVU_EM[bold]
        digits = len(text) - marks
        libreoffice = LIBREOFFICE_DEJAVU.width_of((digits * digit + (len(text) - digits) * mark) * size)
        excel = len(text) * 0.5 * size / NARROWEST.unit
        if len(_UNITS) >= 4096:  # never grows without end (a Decimal typed with many places)
            _UNITS.clear()
        found = _UNITS[shape] = max(libreoffice, excel)
    return found


_FITTING: dict[tuple[float, bool], int] = {}  # per process: _fitting's answer
_BLANK = type(None)
_WHOLE_OR_BLANK = frozenset((int, _BLANK))
_NOT_BLANK = partial(is_not, None)


def _fitting(width: float, bold: bool) -> int:
    """The least power of ten from which a whole figure may not fit a column of ``width`` (in plain or bold rows):
    every int of a smaller magnitude, of either sign, fits (a figure prints wider as it has more digits, and
    a minus sign, both counted at their widest: -9,999 for 4 digits); 0 when not even -9 fits."""
    digits = 0
    while digits < 30 and figure_units(-(10 ** (digits + 1) - 1), bold) <= width:
        digits += 1
    found = _FITTING[width, bold] = 10 ** digits if digits else 0
    return found


def fit_figures(table: Table) -> Table:
    """``table`` with each amount column at least as wide as the widest figure it prints (bold in a total row):
    the widths the derivations give fit every figure of the seed's size; a figure larger than they were made for
    widens its column (to the next half unit) instead of printing as ###, for every writer and the PDF alike."""
    # each amount column's largest and smallest (a minus sign prints) figure, in plain and in bold rows; a column
    # at a time, its cells gathered in one comprehension (a row at a time, a key at a time, cost 1 ms a 77-item book)
    # and its blanks left out in C where it holds whole figures and blanks alone
    rows = (([r.cells for r in table.rows if r.style != TOTAL], False),
            ([r.cells for r in table.rows if r.style == TOTAL], True))
    # a column no row has a cell in prints no figure (blanks alone: nothing to fit), told by one union of the rows'
    # keys in C instead of a comprehension a column: most of 職能及經濟性's 27 columns, 資本支出's 12; not worth its
    # union in a table of a few amount columns (明細表's 2, over 261 rows of a 77-item book) (issue 13)
    many = sum(column.kind == AMOUNT for column in table.columns) > 4
    present = set().union(*rows[0][0], *rows[1][0]) if many else None
    columns = []
    for column in table.columns:
        if column.kind == AMOUNT and (present is None or column.key in present):
            key, need = column.key, 0.0
            for cells, bold in rows:
                figures = [c.get(key) for c in cells]
                kinds = set(map(type, figures))  # in C: most columns hold whole figures alone, or beside blanks
                if not kinds <= _WHOLE_OR_BLANK:
                    figures = [v for v in figures
                               if v.__class__ is int or v.__class__ is not bool and isinstance(v, (int, Decimal))]
                elif _BLANK in kinds:
                    figures = list(filter(_NOT_BLANK, figures))
                if figures:  # max and min keep the first of equal figures (1 before 1.0), as a row's turn did
                    most, least = max(figures), min(figures)
                    limit = _FITTING.get((column.width, bold)) or _fitting(column.width, bold)
                    if most.__class__ is int and least.__class__ is int and -limit < least and most < limit:
                        continue  # both fit: what they need cannot widen the column
                    need = max(need, figure_units(most, bold), figure_units(least, bold))
            if need > column.width:
                column = replace(column, width=math.ceil(need * 2) / 2)
        columns.append(column)
    columns = tuple(columns)
    return table if columns == table.columns else replace(table, columns=columns)


def header_grid(table: Table) -> list[list[str | None]]:
    """Header text per header row and column; None where a merged cell continues."""
    grid: list[list[str | None]] = [[None] * len(table.columns) for _ in range(table.header_depth)]
    for c, col in enumerate(table.columns):
        for level, text in enumerate(col.header):
            grid[level][c] = text
    return grid


def header_merges(table: Table) -> list[tuple[int, int, int, int]]:
    """(first row, first col, last row, last col) offsets (0-based) of merged header cells."""
    depth = table.header_depth
    cols = table.columns
    merges = []
    for c, col in enumerate(cols):
        last = len(col.header) - 1
        if last < depth - 1:
            merges.append((last, c, depth - 1, c))  # a short path stretches down
    for level in range(depth - 1):
        c = 0
        while c < len(cols):
            path = cols[c].header[: level + 1]
            end = c
            if len(cols[c].header) > level + 1:
                while (end + 1 < len(cols) and len(cols[end + 1].header) > level + 1
                       and cols[end + 1].header[: level + 1] == path):
                    end += 1
            if end > c:
                merges.append((level, c, level, end))
            c = end + 1
    return merges


def _header_lines(table: Table, header, level: int, merges) -> int:
    spans = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in merges}
    need = 1
    for c, text in enumerate(header[level]):
        if not text:
            continue
        r1, c1 = spans.get((level, c), (level, c))
        if r1 != level:
            continue
        need = max(need, text_lines(text, sum(col.width for col in table.columns[c:c1 + 1])))
    return need


# A table no wider than this prints on one page, fitted to its width: every table of fixed columns the seed prints on
# one page is (歲出一級用途別科目分析表, the widest, is 173: 65 % of a landscape page). A wider one, whose columns grow
# with the book (各項費用彙計表's one column a 工作計畫, the 彙總's one an agency), prints across pages of at most
# PAGE_UNITS, each with its title, unit and the label columns: 8 of 各項費用彙計表's plan columns beside its labels
# (臺中市 prints 7 and 合計 on one page), 94 % or more of the type size of a page of fixed columns.
ONE_PAGE_UNITS = 180
PAGE_UNITS = 140
# The page geometry every printed table and published page shares (adapters.printing, app.publication,
# app.publish): A4 in points (across, down) as it stands portrait, and the margins in inches, as openpyxl stores them
A4 = (595.0, 842.0)
LANDSCAPE_A4 = A4[1]  # points across
MARGIN_SIDE = 0.4  # left and right
# a published page's top and bottom margins; the footer prints within the bottom one, the header within the top
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_HEADER, MARGIN_FOOTER = 0.5, 0.7, 0.3, 0.3
# (left, right, top, bottom, header, footer) in inches: a table's sheet as build and the buttons print it
# (forms.pages.table_page, a list wider than a page too), and a sheet nothing sets (openpyxl's, Excel's 一般)
TABLE_MARGINS = (MARGIN_SIDE, MARGIN_SIDE, 0.5, 0.5, 0.5, 0.5)
SHEET_MARGINS = (0.75, 0.75, 1.0, 1.0, 0.5, 0.5)
# a row with no height of its own prints 15 pt (openpyxl's default, LibreOffice prints it so: measured); a
# published page's room keeps one back on the 預算總說明's pages and two on the cover
ROW_HEIGHT = 15.0
# a column width unit in points: the default font's digit width, 7 px (5.25 pt) with Calibri in Excel and 7 pt where
# LibreOffice prints DejaVu Sans for it (forms.wrapping); a scale is found with the wider, so columns fit either way
SCALE_UNIT = LIBREOFFICE_DEJAVU.unit


def paper(landscape: bool) -> tuple[float, float]:
    """An A4 page's (across, down) in points, turned ``landscape`` or not."""
    return (A4[1], A4[0]) if landscape else A4


def page_body(landscape: bool, top: float = MARGIN_TOP, bottom: float = MARGIN_BOTTOM) -> float:
    """Points of an A4 page's height between its ``top`` and ``bottom`` margins (inches), at 100 %."""
    return paper(landscape)[1] - 72 * (top + bottom)


def page_width(landscape: bool, left: float = MARGIN_SIDE, right: float = MARGIN_SIDE) -> float:
    """Points of an A4 page's width between its ``left`` and ``right`` margins (inches), at 100 %."""
    return paper(landscape)[0] - 72 * (left + right)


def fit_percent(room: float, units: float, unit: float = SCALE_UNIT) -> int:
    """The whole percent (at most 100) at which columns ``units`` wide, ``unit`` points a width unit, fit ``room``
    points: the zoom LibreOffice and Excel print a sheet fitted to its page width at."""
    return min(100, int(100 * room / (units * unit)))


# a wide table printed as the seed breaks it: its second page starts at this header path
SPLIT_BEFORE = {FUNCTION_ECON: ("資本支出", "資本移轉")}


def label_columns(table: Table) -> int:
    """The table's label columns (名稱及編號, 科目): printed on every page of a table printed across pages."""
    return sum(c.kind == LABEL for c in table.columns)


def column_pages(table: Table) -> list[tuple[int, int]]:
    """(first, last) 1-based column of each page ``table`` prints across, left to right: one page when it is
    no wider than ONE_PAGE_UNITS; else the columns after its labels in as few pages of at most PAGE_UNITS
    (the labels' width included) as hold them, as many columns on each (the first pages one more), or where
    SPLIT_BEFORE says."""
    widths = [c.width for c in table.columns]
    n = len(widths)
    if sum(widths) <= ONE_PAGE_UNITS:
        return [(1, n)]
    before = SPLIT_BEFORE.get(table.title)
    if before:
        split = next((i for i, c in enumerate(table.columns) if c.header[: len(before)] == before), None)
        if split:
            return [(1, split), (split + 1, n)]
    return split_columns(widths, label_columns(table))


def split_columns(widths: list[float], labels: int) -> list[tuple[int, int]]:
    """column_pages' split of columns of ``widths`` after the first ``labels`` (printed on every page): as few pages
    of at most PAGE_UNITS (the labels' width included) as hold them, as many columns on each (the first pages one
    more)."""
    n = len(widths)
    room = PAGE_UNITS - sum(widths[:labels])
    rest = n - labels
    for count in range(1, rest + 1):
        sizes = [rest // count + (k < rest % count) for k in range(count)]
        edges = [labels + sum(sizes[:k]) for k in range(count + 1)]
        if all(sum(widths[a:b]) <= room for a, b in zip(edges, edges[1:])) or count == rest:
            return [(1 if k == 0 else a + 1, b) for k, (a, b) in enumerate(zip(edges, edges[1:]))]
    return [(1, n)]


def _title_spans(table: Table, pages: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The columns each page's title block is centred over: all of a table printed on one page. A page of a
    table printed across pages prints the label columns left of its own: its title is centred over its first own
    columns as wide as its own less the labels' (whose middle is the middle of the page), none over the labels
    (a title there would print again, cut, on every later page)."""
    if len(pages) == 1:
        return pages
    widths = [c.width for c in table.columns]
    labels = label_columns(table)
    spans = []
    for first, last in pages:
        first = max(first, labels + 1)
        want = sum(widths[first - 1:last]) - sum(widths[:labels])
        end = first
        while end < last and abs(sum(widths[first - 1:end + 1]) - want) < abs(sum(widths[first - 1:end]) - want):
            end += 1
        spans.append((first, end))
    return spans


def _cut_merges(merges, header, pages) -> list[tuple[int, int, int, int]]:
    """Header ``merges`` (0-based) cut where a page ends, the header text repeated on the next page's piece."""
    ends = {last - 1 for _, last in pages[:-1]}  # 0-based last column of each page but the last
    cut = []
    for r0, c0, r1, c1 in merges:
        start = c0
        for end in sorted(e for e in ends if c0 <= e < c1) + [c1]:
            if start != c0:
                header[r0][start] = header[r0][c0]
            if end > start or r1 > r0:
                cut.append((r0, start, r1, end))
            start = end + 1
    return cut


def year_line(agency: Agency, table: Table) -> str:
    """中華民國N年度, followed by the table's subtitle (經資門併計, 經常門) when it has one."""
    return f"中華民國{agency.year}年度" + (f"　{table.subtitle}" if table.subtitle else "")


HEADER_SIZE = 10  # points: a header cell's font (adapters.printing)
# points: the title block's fonts (adapters.printing; the published 預算總說明 prints the agency and its title alike)
TITLE_SIZES = {KIND_AGENCY: 14, KIND_TITLE: 16, KIND_YEAR: 12}
TITLE_HEIGHT = 24  # points: the title's row, 16 pt on one line


@lru_cache(maxsize=256)  # pure: every table of a book asks it of the same 機關名稱, and each title recurs book after book
def title_height(text: str, width: float, size: float, wrap: Wrapping = NARROWEST) -> float | None:
    """The height of a title block's row whose ``text`` (the 機關名稱, a table's title) prints at ``size`` pt over
    more than one line across ``width`` units: wrapped, whole, instead of cut at both ends of its centred line
    (field report 6 §5.1: a 機關名稱 of 60 characters). None when it prints on one line."""
    lines = printed_lines(text, wrap.room(width), size)
    return wrap.line_height(size) * lines + 4 if lines > 1 else None


def break_headers(header: list[list[str | None]], merges, widths: list[float], wrap: Wrapping) -> None:
    """Each header text that wraps, broken into lines as even as can be where ``wrap``'s renderer prints it
    (forms.wrapping.balanced_lines: 本年度與｜上年度比較, where the renderer alone leaves 較 on a line of its own)."""
    spans = {(r0, c0): c1 for r0, c0, r1, c1 in merges}
    for level, texts in enumerate(header):
        for c, text in enumerate(texts):
            if text:
                width = sum(widths[c:spans.get((level, c), c) + 1])
                texts[c] = balanced_lines(text, wrap.room(width), HEADER_SIZE)


_HEADER_PARTS: dict[tuple, tuple] = {}  # per process: (columns, title, wrap) → _header_part's, at most _HEADER_KEPT
_HEADER_KEPT = 512
_COLUMN_FIELDS = attrgetter(*(f.name for f in fields(Column)))  # every field a Column compares by


def _header_part(table: Table, wrap: Wrapping) -> tuple:
    """What of ``table``'s layout its columns and title alone decide (pure, kept per process: the same tables recur
    book after book): the pages it prints across, the columns each page's title is centred over and the narrowest
    of them, the header rows' texts broken into lines (each a tuple, a None where a merge continues), the header's
    merges (0-based, cut at the pages) and each header row's height."""
    # the columns by their fields (a Column's own, in C), not the records: hashing and comparing a tuple of records
    # called their generated __hash__ and __eq__, once a column (0.2 ms a book)
    key = (tuple(map(_COLUMN_FIELDS, table.columns)), table.title, wrap)
    found = _HEADER_PARTS.get(key)
    if found is None:
        pages = column_pages(table)
        spans = _title_spans(table, pages)
        narrowest = min(sum(c.width for c in table.columns[first - 1:last]) for first, last in spans)
        header = header_grid(table)
        h_merges = _cut_merges(header_merges(table), header, pages)
        break_headers(header, h_merges, [c.width for c in table.columns], wrap)
        heights = tuple(15 * _header_lines(table, header, level, h_merges) for level in range(len(header)))
        if len(_HEADER_PARTS) >= _HEADER_KEPT:
            _HEADER_PARTS.clear()
        found = _HEADER_PARTS[key] = (tuple(pages), tuple(spans), narrowest, tuple(map(tuple, header)),
                                      tuple(h_merges), heights)
    return found


def layout_table(table: Table, agency: Agency, wrap: Wrapping = NARROWEST) -> SheetLayout:
    """Place ``table`` on a sheet in its printed form, its headers broken into lines where ``wrap``'s renderer
    wraps them (the narrowest, Excel's, unless it is known)."""
    ncols = len(table.columns)
    blank = [None] * ncols
    values: list[list[object]] = []
    merges: list[tuple[int, int, int, int]] = []
    kinds: dict[int, str] = {}
    heights: dict[int, float] = {2: TITLE_HEIGHT}
    pages, spans, narrowest, header, h_merges, header_heights = _header_part(table, wrap)
    for kind, text in ((KIND_AGENCY, agency.name), (KIND_TITLE, table.title), (KIND_YEAR, year_line(agency, table))):
        values.append(list(blank))
        for first, last in spans:
            values[-1][first - 1] = text
            merges.append((len(values), first, len(values), last))
        kinds[len(values)] = kind
        if kind != KIND_YEAR and (height := title_height(text, narrowest, TITLE_SIZES[kind], wrap)):
            heights[len(values)] = max(height, heights.get(len(values), 0))
    unit = f"新臺幣{table.unit}" if table.unit in ("元", "千元") else table.unit
    values.append(list(blank))
    for _, last in pages:
        values[-1][last - 1] = f"單位：{unit}" if unit else None
    kinds[len(values)] = KIND_UNIT

    for texts, height in zip(header, header_heights):
        values.append(list(texts))
        kinds[len(values)] = KIND_HEADER
        heights[len(values)] = height
    merges += [(HEADER_TOP + r0, c0 + 1, HEADER_TOP + r1, c1 + 1) for r0, c0, r1, c1 in h_merges]
    layout = SheetLayout(values, merges, kinds, heights=heights,
                         widths=[c.width for c in table.columns],
                         amount_columns=[i + 1 for i, c in enumerate(table.columns) if c.kind == AMOUNT],
                         wrap_columns=[i + 1 for i, c in enumerate(table.columns) if c.kind != AMOUNT],
                         header_rows=(HEADER_TOP, HEADER_TOP + table.header_depth - 1), pages=list(pages),
                         title_cols=label_columns(table) if len(pages) > 1 else 0)

    total_width = sum(c.width for c in table.columns)
    keys = [c.key for c in table.columns]
    wrapped = [(i, c.width, _one_line(c.width)) for i, c in enumerate(table.columns) if c.kind != AMOUNT]
    data_rows = layout.data_rows
    r = len(values)
    for index, row in enumerate(table.rows):
        r += 1  # the sheet row of this table row: len(values) once it is appended
        style = row.style
        if style == BANNER:
            values.append([row.name] + blank[1:])
            merges.append((r, 1, r, ncols))
            heights[r] = 16 * text_lines(row.name, total_width) + 3
        else:
            cells = list(map(row.cells.get, keys))
            if "" in cells:
                cells = [None if v == "" else v for v in cells]
            values.append(cells)
            # neither Excel nor LibreOffice grows a row for wrapped text on open: size it here, for a CJK
            # font's line (Noto Sans CJK, which LibreOffice prints for 標楷體 where it is missing, is 1.45 em)
            lines = 1
            for i, width, most in wrapped:
                value = cells[i]
                if value:  # None, "" and 0 print on one line
                    if value.__class__ is not str:
                        value = str(value)
                    if len(value) > most or "\n" in value:
                        lines = max(lines, text_lines(value, width))
            if lines > 1:
                heights[r] = 15 * lines + 3
        kinds[r] = style
        data_rows[r] = index
    return layout


def style_key(kind: str, column: int, amount: set[int], wide: set[int]) -> tuple:
    """The kind of cell at 1-based ``column`` of a row of ``kind``: what its print style depends on."""
    if kind in (KIND_AGENCY, KIND_TITLE, KIND_YEAR, KIND_UNIT, KIND_HEADER, BANNER):
        return (kind,)
    return (kind == TOTAL, "amount" if column in amount else "wrap" if column in wide or column == 1 else "centre")


def title_columns(table: Table) -> int:
    """How many label columns print on every page: a table printed across pages repeats its labels."""
    return label_columns(table) if len(column_pages(table)) > 1 else 0


def contents_target(value: object, sheetnames: list[str], contents: str = CONTENTS, linked=()) -> str | None:
    """The sheet a 目次 line (「3. 各項費用彙計表」) names, when the book has it; None otherwise. The sheet of its
    title (titles.sheet_name), numbered as derive_all numbers it when a line above linked (``linked``) that one."""
    title = str(value or "").strip().split(". ", 1)[-1]
    name = sheet_name(title, linked) if title else ""
    return name if name in sheetnames and name != contents else None


def page_scale(layout: SheetLayout, title_cols: int) -> int:
    """The print scale (%) at which the widest page of ``layout`` (after the first, its ``title_cols`` label
    columns and its own) fits a landscape A4 page between the side margins."""
    return pages_scale(layout.widths, layout.pages, title_cols)


def pages_scale(widths, pages: list[tuple[int, int]], title_cols: int) -> int:
    """page_scale of columns of ``widths`` printed on ``pages`` ((first, last), 1-based), the first ``title_cols``
    on every page."""
    labels = sum(widths[:title_cols])
    widest = max(sum(widths[first - 1:last]) + (labels if first > 1 else 0) for first, last in pages)
    return max(10, fit_percent(page_width(True), widest))


def page_shape(layout: SheetLayout, title_cols: int = 0) -> tuple[int, bool, bool, int]:
    """What a table's page setup depends on (adapters.printing.page_setup): its last header row, landscape
    (wider than 110), printed across pages (``column_pages``: at a scale, broken after each page's last column,
    not fitted to the page width) and the ``title_cols`` label columns printed on every page."""
    width = sum(layout.widths)
    return layout.header_rows[1], width > 110, len(layout.pages) > 1, title_cols


__all__ = ["SheetLayout", "layout_table", "fit_figures", "figure_units", "title_height", "TITLE_SIZES", "TITLE_HEIGHT", "page_shape", "column_pages", "label_columns", "page_scale", "pages_scale", "split_columns", "MARGIN_SIDE", "TABLE_MARGINS", "SHEET_MARGINS", "ROW_HEIGHT", "SCALE_UNIT", "page_width", "fit_percent", "A4", "LANDSCAPE_A4", "MARGIN_TOP", "MARGIN_BOTTOM", "MARGIN_HEADER", "MARGIN_FOOTER", "paper", "page_body", "SPLIT_BEFORE", "style_key", "title_columns", "contents_target", "text_lines", "header_grid", "header_merges", "year_line",
           "TITLE_ROWS", "HEADER_TOP", "LABEL"]
