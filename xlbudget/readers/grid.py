"""Grids and the row reader every input sheet is read with.

Pure: an adapter (openpyxl file, xlwings book, python-calamine) hands over each
sheet as a ``Grid`` of cell values; ``SheetReader`` walks its data rows by
header name (forms/inputs says which), remembering the cell of every value
and collecting each problem as a finding with its rule id and cell.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import field, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from operator import itemgetter

from xlbudget.core import titles
from xlbudget.core.amounts import (EXCEL_DIGITS, NotANumber, TooManyDigits, parse_int, parse_price, parse_quantity,
                                   shown_whitespace, to_thousands)
from xlbudget.core.errors import InputError
from xlbudget.core.findings import Finding, make_finding, rows_named
from xlbudget.core.keys import code_key, compact_key, header_key
from xlbudget.core.model import CellRef, cell_position, column_number  # noqa: F401  (column_number: readers name it here)
from xlbudget.core.patterns import lazy
from xlbudget.forms.inputs import (COUNT_HEADERS, COUNT_UNITS, HEADER_SEARCH_ROWS, HEADER_SYNONYMS, INPUT_SHEETS,
                                   LATER_COLUMNS, MONEY_UNITS, NONNEGATIVE_AMOUNTS, PERIOD_UNITS, REQUIRED_HEADERS, SHEET_AGENCY,
                                   NOTE_TOTAL_ALL, SHEET_EXPENSES, SHEET_PRIOR, SHEET_REVENUES, SHEET_UNITS,
                                   SUBTOTAL_WORDS, TEXT_COLUMNS, TOTAL_WORDS, NO_WORDS, YES_WORDS)
from xlbudget.core.records import plain, record


@record
class Uncached:
    """A formula cell whose cached value is missing (never calculated, or saved by a library)."""

    formula: str

    def __str__(self) -> str:
        return self.formula


@lru_cache(maxsize=None)
def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@record
class Grid:
    """A block of cell values as read from a sheet; ``rows[0]`` is the header row."""

    sheet: str
    rows: list[list[object]]
    top: int = 1  # sheet row of rows[0]
    left: int = 1  # sheet column of rows[0][0]
    file: str | None = None
    totals: frozenset[int] = frozenset()  # indices of rows that are an Excel Table's totals row
    merges: tuple[tuple[int, int, int, int], ...] = ()  # merged ranges, sheet (first row, first col, last row, last col)
    # other sheets of the book holding rows, named as a copy of this one (歲出明細 (2)) or carrying its header row,
    # each with the number of its lines this sheet lacks (None: too large to read) and whether it is another version
    # of this sheet (most lines the same lines, other figures: 歲出明細(112) kept for reference): see with_copies
    copies: tuple[tuple[str, int | None, bool], ...] = ()
    hidden: frozenset[int] = frozenset()  # sheet rows hidden in Excel (by hand or by a filter): read, and said so
    hidden_columns: frozenset[int] = frozenset()  # sheet columns hidden in Excel (1-based): read, and said so
    sheet_hidden: bool = False  # the sheet itself hidden in Excel (no tab): named where a visible copy is not read
    # the sheet's print area (列印範圍), its ranges as sheet (first row, first col, last row, last col): a figure
    # outside prints not; () when none is set (Excel prints every used cell)
    print_area: tuple[tuple[int, int, int, int], ...] = ()
    # its print area lost (Print_Area = #REF!: the cells it named deleted): Excel prints by no range he set
    print_area_lost: bool = False
    renamed: tuple[tuple[str, str], ...] = ()  # (sheet, input sheet): a missing input sheet's headers elsewhere
    # sheet (row, column) of the cells whose font is struck through (刪除線): how officers «delete» a line and keep it
    # in sight; given by the file readers only when the book has such a font at all (read_book refuses the lines)
    struck: frozenset[tuple[int, int]] = frozenset()
    # sheet (row, column) → number format of the cells whose format shows a unit its value is not in (#,##0"千元":
    # 4411 shows as 「4,411千元」 and is 4,411 元; format_unit), given only when the book has such a format
    unit_formats: Mapping[tuple[int, int], str] = field(default_factory=dict)
    # sheet (row, column) → number format of the cells whose format scales the figure it shows by its commas
    # (#,##0, shows 43,769,499 as 43,769: format_scale), given by the readers of printed books (read_sheets,
    # workbook_sheets) only when the book has such a format: a printed table is read as shown (shown_values)
    scaled: Mapping[tuple[int, int], str] = field(default_factory=dict)
    # sheet (row, column) → (number format, what hides it) of the cells whose figure neither screen nor paper shows:
    # a format showing a number as nothing (;;;, format_hides: the format given, the value decides), a font the
    # colour of its fill or white on no fill (format ""); given by the file readers only when the book has such a
    # style at all (hidden_figures, unseen_cells name the figures there)
    unseen: Mapping[tuple[int, int], tuple[str, str]] = field(default_factory=dict)

    def ref(self, r: int, c: int) -> CellRef:
        """The CellRef of rows[r][c]."""
        return CellRef(self.sheet, f"{column_letter(self.left + c)}{self.top + r}", self.file)


def line_hidden(hidden: object, size: float | None) -> bool:
    """Whether a sheet row or column is hidden to the eye and on paper: marked hidden (by hand, a collapsed group, a
    filter), or of height or width 0 (``size``, as the file gives it; None where it gives none), which Excel and
    LibreOffice show and print as hidden: what EPPlus, ClosedXML and many systems' exports write for a row set to
    height 0, not hidden="1" (field report 17 §1.2). The one rule of every reader (fastread's and xlsxfile's
    hidden_marks, an .ods's rows and columns)."""
    return bool(hidden) or size == 0


LAST_ROW, LAST_COLUMN = 1_048_576, 16_384  # Excel's last row and column: a print area of whole columns or rows


def print_ranges(text: str | None, ods: bool = False) -> tuple[tuple[int, int, int, int], ...]:
    """The ranges of a print area as the file holds it, each (first row, first column, last row, last column):
    an .xlsx's ``'各項費用彙計表'!$A$1:$D$20,'各項費用彙計表'!$A$30:$D$34`` (``$A:$D`` whole columns, ``$1:$20`` whole
    rows), an .ods's ``table:print-ranges`` (``各項費用彙計表.A1:各項費用彙計表.D20``, ranges apart by a space).
    Nothing when a range cannot be read: then the sheet is taken as printing every cell, as before, never cut."""
    if not text:
        return ()
    areas, quoted, start = [], False, 0
    for i, ch in enumerate(text):  # a sheet name in quotes may hold the separator
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch == (" " if ods else ","):
            areas.append(text[start:i])
            start = i + 1
    areas.append(text[start:])
    found = []
    for area in (a.strip() for a in areas):
        if not area:
            continue
        ends = [end.rpartition("." if ods else "!")[2].replace("$", "").upper() for end in area.split(":")]
        if len(ends) > 2:
            return ()
        corners = [_corner(end) for end in ends]
        if None in corners:
            return ()
        (r1, c1), (r2, c2) = corners[0], corners[-1]
        found.append((r1 or 1, c1 or 1, r2 or LAST_ROW, c2 or LAST_COLUMN))
    return tuple(found)


def _corner(ref: str) -> tuple[int | None, int | None] | None:
    """(row, column) of an A1 end of a range (``D20``; ``D`` a whole column: row None; ``20`` a whole row: column
    None), or None when it is neither."""
    letters = ref.rstrip("0123456789")
    digits = ref[len(letters):]
    if not (letters or digits) or (letters and not (letters.isascii() and letters.isalpha() and len(letters) <= 3)):
        return None
    return (int(digits) if digits else None), (column_number(letters) if letters else None)


def outside_print_area(grid: Grid, row: int, column: int) -> bool:
    """Whether the sheet cell (``row``, ``column``) lies outside ``grid``'s print area (never, when none is set)."""
    return bool(grid.print_area) and not any(r1 <= row <= r2 and c1 <= column <= c2
                                             for r1, c1, r2, c2 in grid.print_area)


def text_cells(rows, top: int = 1, left: int = 1, every: bool = False) -> dict[tuple[int, int], object]:
    """The cells of ``rows`` (a block whose first cell is sheet row ``top``, column ``left``) holding text that is not
    blank, {(row, column): text}, 1-based; with ``every``, numbers (any value not empty) too: what build compares
    with the tables it writes (forms.overwrite, table-cell-replaced)."""
    return {(top + r, left + c): v for r, row in enumerate(rows) for c, v in enumerate(row)
            if (v.strip() if isinstance(v, str) else every and v is not None)}


_PRIVATE_USE = ("\ue000", "\uf8ff")  # Unicode's private use area of the BMP: 造字, an agency's characters for rare names


def private_use_texts(grids: Mapping[str, Grid]) -> list[Finding]:
    """One private-use-text warning for each text of the input sheets ``grids`` holding 造字 (a character of Unicode's
    private use area, U+E000–U+F8FF, drawn by the agency's own font, its EUDC file), at its first cell, the others
    related: a font other than the agency's prints none of them (LibreOffice, rendering xlbudget pdf, prints boxes),
    or another character; only the computer holding that font prints them right (field report 17 §1.3)."""
    low, high = _PRIVATE_USE
    found: dict[str, list[CellRef]] = {}
    for grid in grids.values():
        for r, row in enumerate(grid.rows):
            for c, value in enumerate(row):
                if isinstance(value, str) and value and max(value) >= low \
                        and any(low <= ch <= high for ch in value):
                    found.setdefault(value, []).append(grid.ref(r, c))
    return [make_finding("private-use-text", cells[0], related=tuple(cells[1:]), text=text, count=len(cells),
                         chars="、".join(dict.fromkeys(f"U+{ord(ch):04X}" for ch in text if low <= ch <= high)))
            for text, cells in found.items()]


_SHEET_NAMES: dict[tuple, dict[str, str]] = {}  # per process: input_sheet_names' answer by the names, in their order


def input_sheet_names(names) -> dict[str, str]:
    """Input sheet → the book's sheet holding it, matched as keys are (``歲出明細 `` is 歲出明細).

    Raises InputError when two sheets of the book are the same input sheet. The answer is kept per process by the
    names alone (the books of one template have the same tabs; read_grids and read_book both ask, 40 µs a book).
    """
    key = tuple(names)
    found = _SHEET_NAMES.get(key)
    if found is not None:
        return dict(found)
    found = _input_sheet_names(key)
    _kept(_SHEET_NAMES, key, dict(found))
    return found


def _input_sheet_names(names) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in names:
        key = compact_key(name)
        canonical = next((s for s in INPUT_SHEETS if s == key), None)
        if canonical is None:
            continue
        if canonical in found:
            raise InputError([make_finding("duplicate-input-sheet", None, expected=found[canonical], actual=name,
                                           sheet=canonical)])
        found[canonical] = name
    return found


_COPY = lazy(r"^(.+?)(?:\(\d+\)|[-_－–]?\d+|\(?副本\)?)$")  # 歲出明細 (2), 歲出明細2, 歲出明細-1
# the input sheets of lines whose header row, found on another sheet, makes it a copy (歲出明細(數位發展), field report
# 3 #1): their required headers are on no printed table's header row (員額's are: 員額編制表 prints them)
COPY_WATCH = (SHEET_EXPENSES, SHEET_REVENUES, SHEET_PRIOR)
# the columns that name a line of a COPY_WATCH sheet whatever its figures (工作計畫 分支計畫 科目; 科目編號)
LINE_NAMES = {SHEET_EXPENSES: ("工作計畫編號", "分支計畫", "用途別科目"), SHEET_REVENUES: ("科目編號",),
              SHEET_PRIOR: ("科目編號",)}
# the sheets build writes (人事費分析表—行政管理 too): their top rows are never an input sheet's header row
PRINTED_SHEETS = tuple(sorted({v for v in vars(titles).values() if isinstance(v, str) and v.endswith("表")}
                              | set(titles.FUNDING_TITLES.values()) | {titles.CONTENTS}))


# per process: what a header row's cells alone decide, by the row (each cell's type and value: 1, 1.0 and True are
# other headers) and what is looked for in it; every book of one template has the same header rows, 16 a book
_HEADERS_KEPT = 512
_FIRST_HEADER: dict[tuple, bool] = {}
_HEADER_COLUMNS: dict[tuple, tuple[dict[str, int], frozenset[str]]] = {}


def _row_key(row: list[object]) -> tuple | None:
    """A header row as a key of the caches above (its cells' types and values); None when a cell is no key."""
    key = (tuple(map(type, row)), tuple(row))
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _kept(cache: dict, key, value):
    """``value`` kept under ``key`` in ``cache`` (emptied first when full), and given back."""
    if len(cache) >= _HEADERS_KEPT:
        cache.clear()
    cache[key] = value
    return value


def with_copies(grids: dict[str, Grid], names, sheet_rows, top_rows) -> dict[str, Grid]:
    """``grids`` with each input sheet's copies noted (``Grid.copies``): a sheet of ``names`` holding rows that is
    named as a copy of an input sheet (``歲出明細 (2)``, ``歲出明細2``, ``歲出明細-1``) or carries its header row under
    another name (``歲出明細(數位發展)``, ``數位發展歲出明細``, ``歲出明細（續）``, field report 3 #1).

    Such a sheet is never read (one input sheet is one sheet: its cells, totals and checks are that sheet's); read_book
    names it. Each copy is noted with the number of its lines the input sheet lacks: 0 for a backup copy, None when
    the sheet is too large to be read; and whether it is another version of the input sheet (``_versions``: last
    year's 歲出明細(112), a draft 歲出明細 (2), kept for reference), not lines moved out of it (its continuation).
    ``sheet_rows(name)`` gives a sheet's rows from A1 (None past the size caps), ``top_rows(name)`` its first
    HEADER_SEARCH_ROWS rows.
    """
    taken = {name for g in grids.values() for name, _ in g.renamed}
    own_lines: dict[str, Counter] = {}  # each input sheet's own lines, read once however many copies it has
    for name in names:
        key = compact_key(name)
        if key in INPUT_SHEETS or name in taken:
            continue
        m = _COPY.match(key)
        canonical = m.group(1) if m and m.group(1) in grids else None
        if canonical is None:
            if key.startswith(PRINTED_SHEETS):
                continue
            canonical = _copy_of(top_rows(name), tuple(s for s in COPY_WATCH if s in grids))
            if canonical is None:
                continue
        rows = sheet_rows(name)
        required = REQUIRED_HEADERS.get(canonical, ())
        lines = None if rows is None else _lines(rows, required)
        if lines is not None and not lines:
            continue  # a copy with no line below its header
        if lines is not None and canonical not in own_lines:
            own_lines[canonical] = _lines(grids[canonical].rows, required)
        own = None if lines is None else own_lines[canonical]
        new = None if lines is None else sum((lines - own).values())
        version = bool(new) and _versions(lines, own, LINE_NAMES.get(canonical, ()))
        grids[canonical] = replace(grids[canonical], copies=grids[canonical].copies + ((name, new, version),))
    return grids


_COPY_OF: dict[tuple, str | None] = {}  # per process: _copy_of's answer by the rows' cells and the sheets looked for


def _copy_of(rows: list[list[object]], watched: tuple[str, ...]) -> str | None:
    """The first of ``watched`` (input sheets) whose header row is among ``rows``' top rows, or None: what a sheet of
    another name holds (with_copies). Kept per process by the rows' cells: a template's own sheets (說明, 代碼表) are
    looked at in every book made from it."""
    keys = tuple(_row_key(row) for row in rows[:HEADER_SEARCH_ROWS])
    key = (keys, watched) if None not in keys else None
    if key is not None and key in _COPY_OF:
        return _COPY_OF[key]
    named = list(_header_names(rows))  # each cell's words once, for every sheet looked for
    found = next((s for s in watched if _holding(named, REQUIRED_HEADERS[s]) is not None), None)
    return found if key is None else _kept(_COPY_OF, key, found)


def _versions(lines: Counter, other: Counter, names: tuple[str, ...]) -> bool:
    """Whether a copy's lines (``_lines``) are another version of the input sheet's (``other``): named by ``names``'
    columns (工作計畫編號, 分支計畫, 用途別科目), the copy names at least half the sheet's lines, and at least half of
    its lines the sheet lacks are lines of the sheet with other figures. Lines moved out to a second sheet
    (歲出明細（續）) or added there are lines the sheet lacks, named as none of its lines."""
    def named(line: frozenset) -> frozenset:
        return frozenset(p for p in line if p[0] in names)

    theirs = {named(line) for line in other} - {frozenset()}
    new = [named(line) for line in lines - other]
    covered = len(theirs & {named(line) for line in lines})
    return 2 * covered >= len(theirs) > 0 and 2 * sum(n in theirs for n in new) >= len(new) > 0


def _header_row(rows: list[list[object]], required: tuple[str, ...]) -> int | None:
    """The index of the first of ``rows``' top rows holding every ``required`` header, as readers find it."""
    found = _header(rows, required)
    return found[0] if found else None


def sheet_of_header(rows: list[list[object]]) -> str | None:
    """The input sheet whose header row is among ``rows``' top rows (of two, the one naming more headers: 員額's
    類別 row is not 人事費's), or None: what a range that is no 歲出明細 holds (XLB_ROLLUP given 人事費's cells)."""
    named = list(_header_names(rows))
    found = [sheet for sheet, required in REQUIRED_HEADERS.items() if _holding(named, required) is not None]
    return max(found, key=lambda sheet: len(REQUIRED_HEADERS[sheet]), default=None)


def _header_names(rows: list[list[object]]) -> Iterator[tuple[list[str], set[str]]]:
    """Each of ``rows``' top rows (HEADER_SEARCH_ROWS) as (its header words, ``keys.header_key``'s; every name it
    holds, those words and each cell's ``compact_key``), made as asked: what a header row is looked for in. Kept as
    a list, each cell is read once however many sheets' headers are looked for (with_copies)."""
    for row in rows[:HEADER_SEARCH_ROWS]:
        words = [header_key(v)[0] for v in row]
        yield words, {compact_key(v) for v in row}.union(words)


def _holding(named: Iterable[tuple[list[str], set[str]]], required: tuple[str, ...]) -> tuple[int, list[str]] | None:
    """The index and the header words of the first row of ``named`` (``_header_names``) holding every ``required``
    header; None when none does (or nothing is required)."""
    if required:
        for r, (words, names) in enumerate(named):
            if all(h in names for h in required):
                return r, words
    return None


def _header(rows: list[list[object]], required: tuple[str, ...]) -> tuple[int, list[str]] | None:
    """_header_row's index and that row's header words (``keys.header_key``'s), each cell read once."""
    return _holding(_header_names(rows), required)


def _lines(rows: list[list[object]], required: tuple[str, ...]) -> Counter:
    """The data rows below a sheet's header row, each as its set of (header word, text) (by column number when
    no header row is found): the same line typed on two sheets is the same, whatever its columns' order."""
    r, header = _header(rows, required) or (None, [])
    found: Counter = Counter()
    for row in rows[(r if r is not None else -1) + 1:]:
        line = frozenset((header[c] if c < len(header) and header[c] else c, t)
                         for c, v in enumerate(row) if (t := cell_text(v)))
        if line:
            found[line] += 1
    return found


RENAMED_WATCH = (SHEET_AGENCY, SHEET_EXPENSES, SHEET_REVENUES)  # the input sheets whose renamed copy is looked for


def with_renamed(grids: dict[str, Grid], names, top_rows) -> dict[str, Grid]:
    """``grids`` with, for 基本資料, 歲出明細 or 歲入明細 missing from a template book, each other sheet whose top
    rows (``top_rows(name)``, HEADER_SEARCH_ROWS of them) carry that sheet's headers, noted as (sheet, input sheet)
    in ``Grid.renamed`` of 歲出明細 (or 基本資料): 歲入明細 renamed 「歲入」, field report #4. Never read; read_book
    names it. Only a book missing one of them pays for looking (a few top rows per sheet)."""
    present = set(grids)
    missing = [s for s in RENAMED_WATCH if s not in present]
    if not missing or not present & {SHEET_AGENCY, SHEET_EXPENSES}:
        return grids
    found = []
    for name in names:
        if compact_key(name) in INPUT_SHEETS:
            continue
        rows = top_rows(name)
        for sheet in missing:
            if _header_row(rows, REQUIRED_HEADERS[sheet]) is not None:
                found.append((name, sheet))
                break
    if found:
        holder = SHEET_EXPENSES if SHEET_EXPENSES in grids else SHEET_AGENCY
        grids[holder] = replace(grids[holder], renamed=grids[holder].renamed + tuple(found))
    return grids


def table_grid(sheet: str, rows: list[list[object]], top: int, left: int, file: str | None,
               ref: str | None = None, totals_count: int = 0, merges=()) -> Grid:
    """A sheet's input block: the Excel Table at ``ref`` (an A1 range) when it has one, else every row given.

    ``rows`` start at sheet row ``top`` and column ``left``; the table's last
    ``totals_count`` rows are its totals row, kept apart from the items. Rows typed
    below a Table whose range did not grow over them (pasted after a blank row, field
    report 3 #2) are the sheet's rows under the same columns: read with it, as the
    sheet would be without its Table (and as the add-in, which sees no Table, reads it).
    """
    merges = tuple(merges)
    if not ref:
        return Grid(sheet, rows, top, left, file, merges=merges)
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)", ref.upper())
    if not m:
        return Grid(sheet, rows, top, left, file, merges=merges)
    c1, r1, c2, r2 = column_number(m.group(1)), int(m.group(2)), column_number(m.group(3)), int(m.group(4))
    block = [list(row[c1 - left:c2 - left + 1]) for row in rows[r1 - top:r2 - top + 1]]
    block += [[] for _ in range(r2 - r1 + 1 - len(block))]  # trailing empty rows of the table
    totals = frozenset(range(len(block) - totals_count, len(block))) if totals_count else frozenset()
    below = [list(row[c1 - left:c2 - left + 1]) for row in rows[max(r2 - top + 1, 0):]]
    while below and _blank(below[-1]):
        below.pop()
    block += below
    return Grid(sheet, block, r1, c1, file, totals, merges)


# the scale words a number format may show after a figure, longest first (百萬 before 萬), with their factor
_SCALE_WORDS = (("百萬", 10**6), ("千萬", 10**7), ("億", 10**8), ("萬", 10**4), ("万", 10**4), ("千", 10**3),
                ("仟", 10**3))


def format_unit(code: str) -> tuple[str, int] | None:
    """(the unit text, its factor) a number format shows after its figure where the value is not in that unit:
    ``#,##0"千元"`` shows 4411 as 「4,411千元」 though the cell holds 4,411 (元 to xlbudget), a 1,000-fold slip when the
    officer typed 千元 (field report 14 §1.4); ``#,##0,"千元"`` (a comma after the last digit scales by 1,000: the cell
    holds 4,411,000 and shows 4,411千元) and ``#,##0`` are None. Only the first section (positive numbers) is read;
    brackets ([紅色], [$-404]) are left out, quoted text, escaped characters and CJK characters are the literal."""
    literal, plain = _format_scan(code)
    word = next(((w, f) for w, f in _SCALE_WORDS if w in literal), None)
    if word is None:
        return None
    if _scale_commas(plain)[0] == word[1]:
        return None
    start = literal.find(word[0])
    return literal[start:].strip() or word[0], word[1]


def _format_scan(code: str) -> tuple[str, str]:
    """(its literal text, the rest) of a number format's first section (up to its first ``;``): quoted text, escaped
    characters and CJK characters are the literal; brackets ([紅色], [$-404], [>1000]) are in neither. The one scan
    of a number format's text (format_unit, format_scale)."""
    literal, plain, quoted, i = "", "", False, 0
    while i < len(code):
        ch = code[i]
        if quoted:
            if ch == '"':
                quoted = False
            else:
                literal += ch
        elif ch == '"':
            quoted = True
        elif ch == "\\" and i + 1 < len(code):
            i += 1
            literal += code[i]
        elif ch == "[":
            end = code.find("]", i)
            i = len(code) if end < 0 else end
        elif ch == ";":
            break
        elif ord(ch) > 0x2E7F:  # a CJK character stored unquoted
            literal += ch
        else:
            plain += ch
        i += 1
    return literal, plain


def _scale_commas(plain: str) -> tuple[int, int]:
    """(the factor, the decimal places) of a section's ``plain`` text (_format_scan's): each comma right after the last
    digit placeholder (0 # ?) divides what is shown by 1,000 (``#,##0,`` 1,000; ``#,##0,,`` 1,000,000; ``#,##0``
    1), and the placeholders after its decimal point are the places shown. Padding (``_)``) and fill (``*-``) take
    the character after them: never a comma that scales."""
    if "_" in plain or "*" in plain:
        kept, i = [], 0
        while i < len(plain):
            if plain[i] in "_*":
                i += 2
                continue
            kept.append(plain[i])
            i += 1
        plain = "".join(kept)
    last = max(plain.rfind("0"), plain.rfind("#"), plain.rfind("?"))
    if last < 0:
        return 1, 0
    commas = len(plain[last + 1:]) - len(plain[last + 1:].lstrip(","))
    point = plain.find(".")
    places = sum(ch in "0#?" for ch in plain[point + 1:last + 1]) if 0 <= point < last else 0
    return 1000 ** commas, places


def _format_sections(code: str) -> list[str]:
    """A number format's sections (positive; negative; zero; text), split at each ``;`` not quoted nor escaped."""
    sections, quoted, start = [], False, 0
    for i, ch in enumerate(code):
        if ch == '"':
            quoted = not quoted
        elif ch == ";" and not quoted and not (i and code[i - 1] == "\\"):
            sections.append(code[start:i])
            start = i + 1
    sections.append(code[start:])
    return sections


def _value_section(sections: list[str], value) -> str:
    """The section of a number format Excel shows ``value`` by: the first for a positive number (or any, with one
    section), the second for a negative one when there is a second, the third for 0 when there is a third."""
    return sections[0 if value > 0 else (1 if len(sections) > 1 else 0) if value < 0 else (2 if len(sections) > 2 else 0)]


def format_scale(code: str) -> bool:
    """Whether the number format ``code`` shows a figure scaled by its commas (``#,##0,``, ``#,##0,"千元"``,
    ``#,##0,_);(#,##0,)``: the cell holds 4,411,000 and shows 4,411), in the section of a positive or of a negative
    figure, or, in a format whose sections hold conditions (``[>=1000000]#,##0,;#,##0``), in any of the sections a
    figure can be shown by: Grid.scaled's test, for the readers of printed books (shown_figure gives what each
    figure shows)."""
    if "," not in code:
        return False
    sections = _format_sections(code)
    if any(_condition(section) for section in sections):
        return any(_scale_commas(_format_scan(section)[1])[0] != 1 for section in sections[:3])
    return any(_scale_commas(_format_scan(_value_section(sections, v))[1])[0] != 1 for v in (1, -1))


_COMPARE = {"<": float.__lt__, ">": float.__gt__, "=": float.__eq__, "<=": float.__le__, ">=": float.__ge__,
            "<>": float.__ne__}


def _condition(section: str) -> tuple[str, float] | None:
    """The condition a number format's section begins with, among its leading brackets ([>=1000], [Red][<0],
    [<>0]): (its comparison, its number); None for a section without one."""
    text = section.lstrip()
    while text.startswith("["):
        end = text.find("]")
        if end < 0:
            return None
        inner = text[1:end].strip()
        op = inner[:2] if inner[:2] in _COMPARE else inner[:1] if inner[:1] in _COMPARE else ""
        if op:
            try:
                return op, float(inner[len(op):])
            except ValueError:
                return None
        text = text[end + 1:].lstrip()
    return None


def _shown_section(sections: list[str], value) -> str | None:
    """The section Excel shows the number ``value`` by: by its sign (_value_section), or, where sections hold
    conditions, the first whose condition the value meets, a section without one taking every value the earlier
    ones did not (``[>=1000000]#,##0,;#,##0``: 43,769,499 by the first, 999,999 by the second); None when none
    does (Excel shows ####, no figure)."""
    conditions = [_condition(section) for section in sections[:3]]
    if not any(conditions):
        return _value_section(sections, value)
    for section, condition in zip(sections, conditions):
        if condition is None or _COMPARE[condition[0]](float(value), condition[1]):
            return section
    return None


def format_factor(code: str, value: int | float) -> tuple[int, int]:
    """(what the number format ``code`` divides the number ``value`` by as it shows it: 1,000 a comma after its last
    digit placeholder, 1 for none; the decimal places it shows), by the section the value is shown by (its sign's,
    or its condition's: _shown_section); (1, 0) where no section shows it."""
    section = _shown_section(_format_sections(code), value)
    return (1, 0) if section is None else _scale_commas(_format_scan(section)[1])


def shown_figure(code: str, value: object) -> object:
    """The figure the number format ``code`` shows for ``value`` where the format scales it by its commas
    (format_scale): the value ÷ 1,000 (÷ 1,000,000 for two commas) rounded as Excel rounds a figure for display,
    half away from zero, to the places the format shows (``#,##0,``: 43,769,499 → 43,769, 43,769,500 → 43,770,
    −43,769,500 → −43,770), a whole number as an int; ``value`` as it is for any other format or value (text, a
    date, True)."""
    if type(value) not in (int, float):
        return value
    factor, places = format_factor(code, value)
    if factor == 1:
        return value
    if type(value) is int and factor == 1000 and not places:
        return to_thousands(value)
    shown = (Decimal(repr(value)) / factor).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return int(shown) if shown == shown.to_integral_value() else float(shown)


def cell_value(grid: Grid, ref: CellRef) -> object:
    """The value of ``grid``'s cell ``ref`` (None outside the block read)."""
    r, c = cell_position(ref.cell)
    row = grid.rows[r - grid.top] if 0 <= r - grid.top < len(grid.rows) else []
    return row[c - grid.left] if 0 <= c - grid.left < len(row) else None


def shown_values(grid: Grid) -> Grid:
    """``grid`` with each figure of its cells whose number format scales what it shows (Grid.scaled: ``#,##0,``
    shows 43,769,499 as 43,769) as that format shows it (shown_figure): a printed table is read as it prints. The
    grid itself when it has no such cell."""
    if not grid.scaled:
        return grid
    rows = grid.rows
    copied: set[int] = set()
    for (r, c), code in grid.scaled.items():
        i, j = r - grid.top, c - grid.left
        if not (0 <= i < len(rows) and 0 <= j < len(rows[i])):
            continue
        value = rows[i][j]
        shown = shown_figure(code, value)
        if shown is value:
            continue
        if i not in copied:
            if not copied:
                rows = list(rows)
            rows[i] = list(rows[i])
            copied.add(i)
        rows[i][j] = shown
    return replace(grid, rows=rows) if copied else grid


def format_hides(code: str, value: object) -> bool:
    """Whether the number format ``code`` shows the number ``value`` as nothing, or as a text without its figure:
    ``;;;`` (every section empty), ``;;``, ``""``, ``0;"－"`` for a negative. The section for the value's sign is
    read (positive; negative when there is a second; zero when a third; where sections hold conditions, the one whose
    condition it meets: _shown_section, as format_factor reads it); it shows the figure when it holds a digit
    placeholder (0 # ?), a date or time part, General or @, unquoted; brackets ([紅色], [$-404]) show nothing."""
    if type(value) not in (int, float) or type(value) is bool:
        return False
    section = _shown_section(_format_sections(code), value)
    if section is None:  # no section for it: Excel shows ####, a mark on the page, not a blank
        return False
    if "general" in section.lower():
        return False
    plain = re.sub(r'"[^"]*"|\\.|[_*].|\[[^\]]*\]', "", section)  # quoted text, escapes, padding, brackets
    return not any(ch in "0#?@yYmMdDhHsSeEbBgG" for ch in plain)


def format_hiding(code: str) -> tuple[str, str] | None:
    """Grid.unseen's entry for a cell of number format ``code`` when it may show a figure as nothing
    (format_hides, for a positive or a negative figure: unseen_why reads the figure's own section): (the format,
    what 檢核 says hides it); None for a format that shows every figure. The one wording of every reader."""
    return (code, f"數值格式為「{code}」") if format_hides(code, 1) or format_hides(code, -1) else None


def colour_key(rgb: str | None = None, theme: int | None = None, indexed: int | None = None,
               tint: float = 0.0) -> str:
    """A font's or a fill's colour as compared (unseen_style), from its attributes as the file holds them: 6 hex
    digits for an RGB colour (its alpha left out), Office's white and black for theme 0 and 1 untinted (Excel's
    「背景 1」 and 「文字 1」) and for the legacy palette's 1, 9 and 0, 8, 64 (system colour); another theme or index
    with its tint; nothing given is automatic, black."""
    if rgb:
        return rgb[-6:].upper()
    if theme is not None:
        return ("FFFFFF", "000000")[theme] if theme in (0, 1) and not tint else f"佈景主題色彩 {theme}（{tint:g}）"
    if indexed is not None:
        return "FFFFFF" if indexed in (1, 9) else "000000" if indexed in (0, 8, 64) else f"色盤第 {indexed} 色"
    return "000000"


def unseen_style(font: str, fill: str | None) -> str | None:
    """What hides a cell's text where its font colour is ``font`` and its solid fill ``fill`` (colour_key's; None:
    no fill, white paper): a font of the fill's colour, or a white font on no fill; else None."""
    named = {"FFFFFF": "白色", "000000": "黑色"}
    if fill is None:
        return "字為白色（無填滿色）" if font == "FFFFFF" else None
    if font == fill:
        return f"字色與填滿色相同（{named.get(font) or ('#' + font if len(font) == 6 else font)}）"
    return None


def unseen_why(grid: Grid, r: int, c: int) -> str | None:
    """What hides the figure at sheet row ``r``, column ``c`` of ``grid`` from screen and paper (Grid.unseen: its
    number format for this value, grid.format_hides, or its font's colour), or None: it shows, or is no figure."""
    found = grid.unseen.get((r, c)) if grid.unseen else None
    if found is None:
        return None
    row = grid.rows[r - grid.top] if 0 <= r - grid.top < len(grid.rows) else ()
    value = row[c - grid.left] if 0 <= c - grid.left < len(row) else None
    if type(value) not in (int, float) or not value:  # a 0 shown as nothing changes no total
        return None
    code, why = found
    return why if not code or format_hides(code, value) else None


def cell_text(value: object) -> str:
    """A cell value as text, stripped; a whole float without its .0."""
    if type(value) is str:  # the common cell first: plain text
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# units a second header row carries under counts (人, 個, 月…): with MONEY_UNITS, the words of such a row
_UNIT_WORDS = frozenset({"人", "名", "個", "月", "個月", "天", "日", "式", "次", "輛", "台", "部", "件", "%", "％", "單位"})


def _count_with_unit(raw: object, name: str) -> int | None:
    """A count typed with its column's unit (forms COUNT_UNITS: 「12個月」 in 月數, 「5人」 and 「3 人」 in 人數) → its
    number; None for any other text, a unit of another column (「12人」 in 月數) too."""
    units = COUNT_UNITS.get(name)
    if not units or type(raw) is not str:
        return None
    text = raw.strip()
    for unit in units:
        if text.endswith(unit) and text[:-len(unit)].strip():
            try:
                return parse_int(text[:-len(unit)].strip())
            except NotANumber:
                return None
    return None


def typed_as_date(rule: str, cell: CellRef, value, column: str, what: str, example: str | None = None) -> Finding:
    """``value``, a date Excel made of what was typed in a General cell (02-018, 3/12), named at ``cell`` as such:
    agency-code-date, number-is-date. ``example`` is the typed form; for a number, the month/day the date came from
    (3/12 for 2024-03-12). The date is shown as Excel shows it, with no 00:00:00 (buttons and files alike)."""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        value = value.date()
    shown = value.isoformat() if isinstance(value, (datetime.date, datetime.time)) else cell_text(value)
    if example is None:
        example = f"{value.month}/{value.day}" if isinstance(value, datetime.date) else "3/12"
    return make_finding(rule, cell, actual=shown, column=column, what=what, example=example)


def header_block(sheet: str, grid: Grid, headers=()) -> Grid:
    """``grid`` from its header row, found as every reader finds it (a title line or two may sit above).

    ``sheet`` is the input sheet; for one whose reader lives elsewhere, the
    first two of ``headers`` (its template's) must be on the header row.
    """
    return _from_header_row(grid, REQUIRED_HEADERS.get(sheet) or tuple(h for h in headers if h)[:2])


def _from_header_row(grid: Grid, required: tuple[str, ...]) -> Grid:
    """The grid from its header row: row 1 as the contract says, or the first of the top rows holding
    every required header (a sheet with a title line above its table, read without its Excel Table)."""
    if grid.rows and _first_is_header(grid.rows[0], required):
        return grid  # row 1 (what _header_row finds first): the common sheet, told by its first row alone
    r = _header_row(grid.rows, required)
    if not r:
        return grid
    # everything else the reader noted (hidden rows and columns, the sheet hidden, copies, struck cells…) is kept: it is
    # by sheet row and column, as it was when the header was on row 1
    return replace(grid, rows=grid.rows[r:], top=grid.top + r, totals=frozenset(t - r for t in grid.totals if t >= r))


def _first_is_header(row: list[object], required: tuple[str, ...]) -> bool:
    """Whether ``row`` holds every ``required`` header (_holding of that row alone), kept per row and ``required``."""
    key = _row_key(row)
    found = _FIRST_HEADER.get((key, required)) if key is not None else None
    if found is None:
        found = _holding(_header_names([row]), required) is not None
        if key is not None:
            _kept(_FIRST_HEADER, (key, required), found)
    return found


def header_synonyms(words: list[str], headers) -> dict[int, str]:
    """Index in ``words`` (a header row's words) → the column a synonym stands for (forms HEADER_SYNONYMS:
    經濟分類 for 經濟性分類, 備註 for 說明), where ``headers`` has that column and it is not typed itself
    (人事費's 備註 is 備註); of two synonyms of one column, one holding the column's word (說明及收入依據, as
    the printed table heads it, before 備註) and then the first. How the readers and the template writer
    (app/template) read such a header alike."""
    typed, found = set(words), {}
    for i, word in sorted(enumerate(words), key=lambda iw: HEADER_SYNONYMS.get(iw[1], iw[1]) not in iw[1]):
        meant = HEADER_SYNONYMS.get(word)
        if meant in headers and meant not in typed and meant not in found.values():
            found[i] = meant
    return found


def _header_columns(grid: Grid, header: list[object], headers: tuple[str, ...],
                    problems: list[Finding]) -> tuple[dict[str, int], set[str]]:
    """_read_header_columns, kept per process for a header row that makes no finding: what it gives then depends on
    the sheet's name (its unit, its later columns), the row's cells and ``headers`` alone, never on the book."""
    key = _row_key(header)
    key = (grid.sheet, key, headers) if key is not None else None
    found = _HEADER_COLUMNS.get(key) if key is not None else None
    if found is not None:
        return dict(found[0]), set(found[1])
    said = len(problems)
    columns, refused = _read_header_columns(grid, header, headers, problems)
    if key is not None and len(problems) == said:
        _kept(_HEADER_COLUMNS, key, (dict(columns), frozenset(refused)))
    return columns, refused


def _read_header_columns(grid: Grid, header: list[object], headers: tuple[str, ...],
                         problems: list[Finding]) -> tuple[dict[str, int], set[str]]:
    """Header word → column of a header row, and the words of header cells refused with a finding.

    A header is its word as ``keys.header_key`` reads it (「預 算 數」, 「單價(元)」): a unit after the word
    must fit the column, the sheet's money unit (forms SHEET_UNITS) or a period (全年) on an amount and any other
    unit on a count or measure (forms COUNT_HEADERS), else ``header-unit-mismatch`` at that cell. An unknown header holding the
    word of a column otherwise missing (「分支計畫名稱」 with no 分支計畫) is ``header-near-miss`` at that
    cell: never silently an extra column. A synonym whose meaning is certain (header_synonyms: 經濟分類,
    經常/資本, 備註) is its column. Any other unknown header on a sheet lacking one of its template columns
    (forms LATER_COLUMNS aside) is ``header-unrecognised`` at that cell, naming the column it most likely is
    (most characters shared, then nearest the template's place): its values would otherwise go unread. Two
    header cells that are one column (「預算數」 twice, 「預算數(元)」 beside 「預算數」, 「經濟分類」 beside 「經濟性分類」,
    hidden or not) are ``duplicate-header`` at the second, naming the first (field report 4 §1.1): never the leftmost
    read without a word. A text column's synonym beside it (「備註」 beside 「說明」, forms TEXT_COLUMNS) is an extra
    column: officers keep both, and no figure is read from either.
    """
    sheet_unit = SHEET_UNITS.get(compact_key(grid.sheet), "元")
    seen: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    refused: set[str] = set()
    meant = header_synonyms([header_key(v)[0] for v in header], headers)

    def take(column: str, c: int) -> None:
        """Column ``c`` is ``column``; a second column that is it too is refused with both cells (duplicate-header)."""
        if column not in seen:
            seen[column] = c
            return
        refused.add(column)
        first = grid.ref(0, seen[column])
        typed = (cell_text(header[seen[column]]), cell_text(header[c]))
        problems.append(make_finding("duplicate-header", grid.ref(0, c), related=(first,), column=column,
                                     first=f"{grid.sheet}!{first.cell}", second=grid.ref(0, c).cell,
                                     typed="" if typed[0] == typed[1] else "（「{}」與「{}」）".format(*typed)))

    for c, value in enumerate(header):
        name = compact_key(value)
        word, unit = header_key(value)
        if name in headers or not name:
            if name:
                take(name, c)
            continue
        if word not in headers:
            synonym = HEADER_SYNONYMS.get(word)
            if c in meant:  # 經濟分類 for 經濟性分類
                take(meant[c], c)
            elif synonym in headers and synonym not in TEXT_COLUMNS:  # a second synonym of one column (經濟分類 and
                take(synonym, c)  # 經濟性分類別): the same column twice; 備註 beside 說明 is an extra column
            else:
                unknown.append((c, word))
            continue
        money = MONEY_UNITS.get(unit)
        fits = money is None if word in COUNT_HEADERS else money == sheet_unit or unit in PERIOD_UNITS
        if fits:
            take(word, c)
            continue
        refused.add(word)
        problems.append(make_finding("header-unit-mismatch", grid.ref(0, c), actual=unit, header=cell_text(value),
                                     column=word, expected="數量單位（如 個、人）" if word in COUNT_HEADERS else sheet_unit))
    columns = {h: seen[h] for h in headers if h in seen}
    for c, word in unknown:
        near = [h for h in headers if len(h) > 1 and h in word and h not in columns and h not in refused]
        if near:
            h = max(near, key=len)
            refused.add(h)
            problems.append(make_finding("header-near-miss", grid.ref(0, c), actual=cell_text(header[c]), column=h))
            continue
        later = LATER_COLUMNS.get(compact_key(grid.sheet), ())
        lacking = [h for h in headers if h not in columns and h not in refused and h not in later]
        if lacking:  # a template column is missing: this header may be it, under a name not recognised
            h = min(lacking, key=lambda h: (-len(set(h) & set(word)), abs(headers.index(h) - c)))
            refused.add(h)
            problems.append(make_finding("header-unrecognised", grid.ref(0, c), actual=cell_text(header[c]), column=h))
    return columns, refused


def _merged_items(grid: Grid) -> list[Finding]:
    """A merged range below the header row is refused at its first cell (``merged-input-cells``): its other
    cells read as empty, so a 分支計畫 merged down C2:C6 would leave rows 3–6 under no 分支計畫."""
    found = []
    for r1, c1, r2, c2 in grid.merges:
        if r2 <= grid.top or c2 < grid.left:
            continue  # a title merged above the header row, or the header itself
        if r1 == r2 and _text_across(grid, r1, c1, c2):
            continue  # a 說明 merged across empty cells to its right, for width on screen: read as the officer sees it
        first = CellRef(grid.sheet, f"{column_letter(c1)}{r1}", grid.file)
        rng = f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}"
        found.append(make_finding("merged-input-cells", first, actual=rng))
    return found


def _text_across(grid: Grid, r: int, c1: int, c2: int) -> bool:
    """Whether the merge of sheet row ``r``, columns ``c1``–``c2``, is a text in its first cell merged across cells
    that hold nothing (field report 14 §2.6): it reads as the officer sees it, the text in its own column and the
    others empty, as Excel keeps them. A number merged across, or a covered cell holding something, is refused."""
    i = r - grid.top
    row = grid.rows[i] if 0 <= i < len(grid.rows) else []
    first = row[c1 - grid.left] if 0 <= c1 - grid.left < len(row) else None
    if type(first) is not str or not first.strip():
        return False
    return all(not cell_text(row[c - grid.left]) for c in range(max(c1 + 1, grid.left), c2 + 1)
               if c - grid.left < len(row))


def _lines_above(rows: list[list[object]], grid: Grid, columns: dict[str, int], key: str | None) -> list[Finding]:
    """The rows above a sheet's header row (``grid``, whose first row it is) that hold a line, not a title: cells under
    three of its columns or more, the key column (工作計畫編號, 科目編號…) among them when the sheet has one. Each is
    ``line-above-header`` at its first such cell (field report 14 §1.2: a line sorted or pasted above the header was
    skipped as a title line, its 元 in no table); a title, 「單位：新臺幣元」 beside it, stays a title."""
    found = []
    where = sorted((c, name) for name, c in columns.items())
    for r, row in enumerate(rows):
        filled = [(c, name) for c, name in where if c < len(row) and cell_text(row[c])]
        if len(filled) < 3 or (key in columns and not any(name == key for _, name in filled)):
            continue
        cell = CellRef(grid.sheet, f"{column_letter(grid.left + filled[0][0])}{grid.top - len(rows) + r}", grid.file)
        found.append(make_finding("line-above-header", cell, sheet=grid.sheet, header=grid.top, count=len(filled),
                                  columns="、".join(f"「{name}」" for _, name in filled[:3])))
    return found


@record
class _Columns:
    """Where a reader's columns sit: sheet, file, the sheet row of grid row 0, header name → column letter."""

    sheet: str
    file: str | None
    top: int
    letters: dict[str, str]


class RowCells(Mapping):
    """The cells of one data row by header name (``record.cells``), each CellRef made only when asked:
    the same CellRef ``SheetReader.ref`` gives, without building a dozen per line up front."""

    __slots__ = ("_columns", "_r")

    def __init__(self, columns: _Columns, r: int):
        self._columns, self._r = columns, r

    def __getitem__(self, name: str) -> CellRef:
        cols = self._columns
        return CellRef(cols.sheet, f"{cols.letters[name]}{cols.top + self._r}", cols.file)

    def get(self, name: str, default=None):
        """The cell under ``name``, or ``default`` for a column the sheet lacks: Mapping.get without its try of
        ``__getitem__`` (the rules ask it of thousands of lines)."""
        cols = self._columns
        letter = cols.letters.get(name)
        return default if letter is None else CellRef(cols.sheet, f"{letter}{cols.top + self._r}", cols.file)

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns.letters)

    def __len__(self) -> int:
        return len(self._columns.letters)

    def __repr__(self) -> str:
        return repr(dict(self))

    def __reduce__(self):
        return RowCells, (self._columns, self._r)


def _total_word(value: object) -> str:
    """合計/小計/總計… when a label says so (「合　計」, 「合計：」, 「小計（一般行政）」, Total); '' otherwise."""
    return _total_word_of(value) if isinstance(value, str) else ""


@lru_cache(maxsize=8192)
def _total_word_of(value: str) -> str:
    """_total_word of a text, kept: a book repeats its codes and names on every line."""
    text = compact_key(value).casefold()
    return next((w for w in _TOTAL_WORDS_LONGEST_FIRST if text.startswith(w)), "") if text else ""


def _note_total(value: object) -> str:
    """The total word of a 說明 that is only that (forms NOTE_TOTAL_ALL): 「小計」, 「以上合計」 → 合計, and 「2054小計」,
    「一般事務費合計」, 「本科目合計」, 「計」 → 小計 (they close the lines of one 科目); '' for any other 說明 (「統計資料」,
    「會計師簽證費」, 「合計3人」, 「…等費用合計。」, a sentence)."""
    if value.__class__ is not str or len(value) > 40:
        return ""  # the common 說明 first: a sentence, or a short one that ends in no total word (below)
    tail = value.rstrip(" \u3000:：")
    end = tail[-1:]
    if end == "計" or end in ")）" and "計" in tail or end in "lL" and "otal" in tail.casefold():
        return _note_total_of(value)
    return ""


# what a total closes (a code, a name: no sentence), its word, and perhaps what it closes after it: 小計（一般行政）
# (the longest word first; words of one length in a fixed order, so that the pattern's text is the same in every
# process: its stored code is found by it, core.patterns)
_NOTE_TOTAL = lazy(rf"^([^,.;。，、；]{{0,12}}?)({'|'.join(sorted(TOTAL_WORDS, key=lambda w: (-len(w), w)))})"
                   r"(?:\(.*\))?$")


@lru_cache(maxsize=1024)
def _note_total_of(value: str) -> str:
    text = compact_key(value).casefold().rstrip(":")  # NFKC made 「：」 and 「（」 ASCII
    if text == "計":
        return "小計"
    m = _NOTE_TOTAL.match(text)
    if not m:
        return ""
    return m.group(2) if m.group(1) in ("", NOTE_TOTAL_ALL) or m.group(2) in SUBTOTAL_WORDS else "小計"


def _blank(row: list[object]) -> bool:
    """Whether every cell of a row is empty (as cell_text reads it: nothing, '' or spaces)."""
    for v in row:
        if v is None or v == "" or type(v) is str and not v.strip():
            continue
        if type(v) is str or cell_text(v):
            return False
    return True


_TOTAL_ENDS = frozenset("計)）lL \u3000:：")  # the last character of every text _note_total reads as a total
_TOTAL_WORDS_LONGEST_FIRST = tuple(sorted(TOTAL_WORDS, key=len, reverse=True))  # 總合計 before 合計


@plain
class SheetReader:
    """Walks a grid's data rows by header name, collecting problems and findings."""

    grid: Grid
    headers: tuple[str, ...]
    required: tuple[str, ...]
    problems: list[Finding]
    key: str | None = None  # the column naming an item (工作計畫編號…): a row typed 合計 there is not an item
    # the column whose text alone marks a total row though its key is typed (說明 「小計」 on a line copied from the
    # one above, field report 5 §1.2): set only on sheets whose totals are checked (check_totals), never dropped
    note: str | None = None
    # the columns naming a row's item beside its key (歲入明細's 科目名稱, 款…節): one holding only a total word marks a
    # total row though its key is typed (a 科目編號 left by fill-down under 「合計」, field report 8 §1.1), never a line
    labels: tuple[str, ...] = ()
    # the groups a 小計 may close (歲出明細: 工作計畫, 分支計畫, 用途別科目), widest first: (the group's name, the
    # columns that tell it) each; a 小計 is right when it adds up the lines right above it of one such group
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # row → its groups' columns as the sheet's reader read them (工作計畫編號, 分支計畫, 用途別科目 of an item: 「０２資訊業務」
    # and 「2資訊業務」 are the 02資訊業務 the tables print), so a 小計 closes the lines the tables group; the text as typed
    # for a row the reader made no item of
    group_keys: dict[int, tuple[str, ...]] = field(default_factory=dict)
    columns: dict[str, int] = field(default_factory=dict)
    note_totals: set[int] = field(default_factory=set)  # the rows that are totals by their 說明 alone
    ok: bool = True
    # column → row → the number read there: by column, not by (row, column), which made a tuple per number (4 a line
    # of 歲出明細, 6 ms in 20,000 lines)
    parsed: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))
    total_rows: list[tuple[int, str, list[int]]] = field(default_factory=list)
    _row_columns: _Columns | None = field(default=None, repr=False)

    def __post_init__(self):
        whole = self.grid
        self.grid = _from_header_row(self.grid, self.required)
        header = self.grid.rows[0] if self.grid.rows else []
        self.columns, explained = _header_columns(self.grid, header, self.headers, self.problems)
        if self.grid.top > whole.top:  # a title line or two above the header row: never a line left unread
            self.problems += _lines_above(whole.rows[:self.grid.top - whole.top], self.grid, self.columns, self.key)
        missing = [h for h in self.required if h not in self.columns and h not in explained]
        if missing:
            self.problems.append(make_finding(
                "missing-header", self.grid.ref(0, 0), sheet=self.grid.sheet, row=self.grid.top,
                missing="、".join(missing), required="、".join(self.required)))
        merged = _merged_items(self.grid)
        self.problems += merged
        if missing or explained or merged:
            self.ok = False

    def data_rows(self):
        """(row index, row values) of every non-blank data row that is an item.

        An Excel Table's totals row, and a row whose label is 合計/小計/總計
        (typed by the officer under the items), are kept apart in
        ``total_rows`` with the item rows each one closes (see check_totals).
        """
        if not self.ok:
            return
        items: list[int] = []  # item rows since the last 合計
        since_subtotal: list[int] = []
        pending: list[tuple[int, str, list[int]]] = []  # totals above their items (a 合計 typed first)
        key = self.columns.get(self.key, -1) if self.key is not None else -1
        note = self.columns.get(self.note, -1) if self.note is not None else -1
        labels = [self.columns[name] for name in self.labels if name in self.columns]
        totals = self.grid.totals
        for r, row in enumerate(self.grid.rows[1:], start=1):
            if r == 1 and self._second_header(row):  # units (元 元 元) or English names under the header: no line
                continue
            # the common row first: its key typed as text that is no 合計 word, so not blank; a totals row only when
            # its 說明 or a label says so
            typed = row[key] if 0 <= key < len(row) else None
            if typed.__class__ is str and r not in totals and typed.strip() and not _total_word_of(typed):
                told = row[note] if 0 <= note < len(row) else None  # a 說明 ending in no total word is none (_TOTAL_ENDS)
                word = _note_total(told) if told.__class__ is str and told[-1:] in _TOTAL_ENDS else ""
                if word:
                    self.note_totals.add(r)
                elif labels:
                    word = self._label_total(row, labels)
            elif _blank(row):
                continue
            else:
                word = self._total_label(r, row)
            if word:
                closes = since_subtotal if word in SUBTOTAL_WORDS else items
                entry = (r, word, list(closes))
                pending = [entry] if not closes else []
                self.total_rows.append(entry)
                since_subtotal = []
                if word not in SUBTOTAL_WORDS:
                    items = []
                continue
            items.append(r)
            since_subtotal.append(r)
            for _, _, below in pending:
                below.append(r)
            yield r, row

    def _total_label(self, r: int, row: list[object]) -> str:
        """'合計'… when row ``r`` is a totals row rather than an item; '' otherwise."""
        if r in self.grid.totals:
            return "合計"
        if self.key is None:
            return ""
        key = self.value(row, self.key)
        if key not in (None, "") and not _total_word(key):
            word = _note_total(self.value(row, self.note)) if self.note is not None else ""
            if word:
                self.note_totals.add(r)
                return word
            return self._label_total(row, [self.columns[name] for name in self.labels if name in self.columns])
        return next((w for v in row if (w := _total_word(v))), "")

    @staticmethod
    def _label_total(row: list[object], labels: list[int]) -> str:
        """The total word of the first label cell (``labels``: column indexes) holding only that (「合計」, 「小計」,
        「本科目合計」: _note_total), '' when none does: a row so named is a total though its key is typed."""
        for c in labels:
            if c < len(row):
                value = row[c]  # a name ends in no total word: not read further (0.3 µs a line of 歲出明細)
                if value.__class__ is str and value[-1:] in _TOTAL_ENDS and (word := _note_total(value)):
                    return word
        return ""

    def check_totals(self, columns: tuple[str, ...], findings: list[Finding], part=None,
                     held: frozenset[int] | set[int] = frozenset()) -> None:
        """Each totals row's ``columns`` against the sum of the item rows it closes (totals-row-mismatch). A line that
        is a total by its 說明 alone with the first of them empty (its 數量 and 單價 copied, 預算數 left empty) is said to
        be left out (totals-row-unchecked), never dropped without a word. ``part``: row → the part of the sheet it is
        in, where a total may close one part's rows alone (以前年度: 歲出 and 歲入, field report 7 §1.4: a 合計 of the
        歲出 lines typed under the 歲入 ones); a total that is none of the sums is named against the nearest.
        ``held``: rows another row of the sheet already adds, left out of every sum (以前年度: a 業務計畫 row beside
        its 工作計畫's rows, as counted_prior leaves it out; added twice, a right 合計 was called half its sum)."""
        for r, word, closes in self.total_rows:
            row = self.grid.rows[r]
            if held:
                closes = [i for i in closes if i not in held]
            if part is not None and closes:
                parts: dict = {}
                for i in closes:
                    parts.setdefault(part(i), []).append(i)
                if len(parts) > 1:
                    closes = min([closes, *parts.values()], key=lambda rows: self._off(rows, row, columns))
            # a 小計 closes a group right above it; one typed above its lines (a 合計 typed first) heads them all
            runs = self._group_runs(closes) if word in SUBTOTAL_WORDS and closes and closes[-1] < r else []
            if r in self.note_totals and self.value(row, columns[0]) in (None, ""):
                findings.append(make_finding("totals-row-unchecked", self.ref(r, columns[0]), table=self.grid.sheet,
                                             label=cell_text(self.value(row, self.note)),
                                             reason=f"「{columns[0]}」空白，不列入計算"))
            elif r not in self.grid.totals and all(self.value(row, n) in (None, "") or not str(self.value(row, n)).strip()
                                                   for n in columns if n in self.columns):
                # a 合計 row typed with no figure: no line and nothing to check, said once (an Excel Table's own
                # totals row is Excel's, not typed)
                typed = [n for n in columns if n in self.columns]
                if typed:
                    findings.append(make_finding("totals-row-blank", self.ref(r, typed[0]), table=self.grid.sheet,
                                                 label=word, columns="、".join(f"「{n}」" for n in typed)))
                continue
            for name in columns:
                if name not in self.columns:
                    continue
                try:
                    actual = parse_int(self.value(row, name))
                except NotANumber:
                    actual = None
                read = self.parsed.get(name, {})
                if actual is None or any(i not in read and self.value(self.grid.rows[i], name) not in (None, "")
                                         for i in closes):
                    continue  # an empty total, or a part that could not be read: nothing to compare
                expected = sum(read.get(i) or 0 for i in closes)
                sums = [(group, value, run, sum(read.get(i) or 0 for i in run)) for group, value, run in runs]
                if actual == expected or any(actual == total for *_, total in sums):
                    continue  # every line since the last total, or one group of them right above it
                rows = rows_named((self.ref(i, name) for i in closes), self.grid.sheet)
                if sums:  # the widest group it could close: both sums named, the officer sees which he meant
                    group, value, run, total = sums[0]
                    findings.append(make_finding(
                        "subtotal-group-mismatch", self.ref(r, name), expected=expected, actual=actual,
                        related=tuple(self.ref(i, name) for i in dict.fromkeys(closes[:1] + run[:1] + closes[-1:])),
                        label=word, column=name, rows=rows, total=total, group=group, value=value,
                        group_rows=rows_named((self.ref(i, name) for i in run), self.grid.sheet)))
                    continue
                findings.append(make_finding(
                    "totals-row-mismatch", self.ref(r, name), expected=expected, actual=actual,
                    related=tuple(self.ref(i, name) for i in closes[:1] + closes[-1:]),
                    label=word, column=name, rows=rows))

    def _off(self, rows: list[int], row: list[object], columns: tuple[str, ...]) -> int:
        """How far the totals row ``row`` is from the sums of ``rows``, over ``columns`` (a total not typed or not a
        number counts 0: with none, every choice is 0 off, and the first wins)."""
        off = 0
        for name in columns:
            try:
                actual = parse_int(self.value(row, name))
            except NotANumber:
                actual = None
            if actual is not None:
                read = self.parsed.get(name, {})
                off += abs(actual - sum(read.get(i) or 0 for i in rows))
        return off

    def _group_runs(self, closes: list[int]) -> list[tuple[str, str, list[int]]]:
        """For each of ``groups``, widest first: (its name, its value on the line right above the 小計, the lines
        right above the 小計 that share it), when they are fewer than ``closes`` (the lines since the last total)."""
        runs = []
        for group, names in self.groups:
            def key(i: int) -> tuple[str, ...]:
                read = self.group_keys.get(i)
                return read[:len(names)] if read else tuple(self.text(self.grid.rows[i], n) for n in names)
            last = key(closes[-1]) if closes else None
            n = len(closes)
            while n and key(closes[n - 1]) == last:
                n -= 1
            if n:
                runs.append((group, last[-1] or "空白", closes[n:]))
        return runs

    def value(self, row: list[object], name: str) -> object:
        c = self.columns.get(name)  # None: no such column (no KeyError raised and caught: 10 a book)
        return row[c] if c is not None and c < len(row) else None  # past a row shorter than the header: None

    def text(self, row, name) -> str:
        return cell_text(self.value(row, name))

    def yes_no(self, r: int, row, name: str, yes: tuple[str, ...] = ()) -> bool:
        """A yes/no cell: True for a yes (forms.inputs.YES_WORDS, or ``yes``: 本機關 in its own column), False for a
        no or a blank (NO_WORDS); anything else (「有」, 「待確認」) is ``not-a-choice`` at the cell, as 經資門 is, and
        read as no: field report 10 §2.1, 收支併列 「無」 had been read as 是 without a word."""
        typed = compact_key(self.value(row, name))
        if typed in YES_WORDS or typed in yes:
            return True
        if typed not in NO_WORDS:
            self.problem("not-a-choice", r, name, column=name, expected="「是」或「否」（空白為否）", actual=typed)
        return False

    def ref(self, r: int, name: str) -> CellRef:
        return self.grid.ref(r, self.columns.get(name, 0))

    def cells(self, r: int) -> Mapping[str, CellRef]:
        """Header name → the cell of row ``r`` (each CellRef made when asked; see RowCells)."""
        if self._row_columns is None:
            g = self.grid
            self._row_columns = _Columns(g.sheet, g.file, g.top,
                                         {name: column_letter(g.left + c) for name, c in self.columns.items()})
        return RowCells(self._row_columns, r)

    def getter(self, names: tuple[str, ...]):
        """A function giving a row's values under ``names`` in one step, as ``value`` gives each one (None for
        a column the sheet lacks, or past the row's end): for a reader that reads many cells of every row."""
        width = max(self.columns.values(), default=-1) + 1
        pick = itemgetter(*[self.columns.get(name, width) for name in names])  # no such column: the padding
        padding = [None] * (width + 1)
        if len(names) < 2:
            raise ValueError("getter reads two columns or more; value reads one")

        def values(row: list[object]) -> tuple:
            row = row[:width]
            row += padding[len(row):]  # the header's width, and one None past it
            return pick(row)

        return values

    def integer(self, r, row, name, *, quantity=False, price=False) -> int | None:
        """The number of row ``r`` under ``name`` (``number``); a count (forms COUNT_HEADERS: 員額, 人數, 車輛數)
        or an amount of the people and vehicle sheets (NONNEGATIVE_AMOUNTS) below 0 is a problem at its cell, as
        a 歲出明細 line's is: −1 would print as a class of −1 persons and cut the 合計."""
        value = self.number(r, self.value(row, name), name, quantity=quantity, price=price)
        if value is not None and value < 0 and (name in COUNT_HEADERS or name in NONNEGATIVE_AMOUNTS):
            self.problem("negative-count" if name in COUNT_HEADERS else "negative-amount", r, name, column=name,
                         actual=self.text(row, name))
        return value

    def integers(self, r: int, row: list[object], names) -> dict[str, int]:
        """The whole numbers of row ``r`` under ``names`` that are not empty, by name, in the order of ``names``
        (人事費's 待遇 and 獎金, 公務車輛's costs, 分年資金需求's years); one not a number is a problem at its cell."""
        values = {}
        for name in names:
            value = self.integer(r, row, name)
            if value is not None:
                values[name] = value
        return values

    def number(self, r: int, raw: object, name: str, *, quantity=False, price=False) -> int | None:
        """``raw``, the value of row ``r`` under ``name``, as a whole number (數量: or a product such as 3x12;
        單價, ``price``: a Decimal with 角 too); None when empty, or, with a not-a-number problem at its cell,
        when it is not one."""
        kind = type(raw)  # the common cells first: a whole number, or nothing; anything else takes the full path
        if (kind is int or kind is float and raw.is_integer()) and -1e15 < raw < 1e15:  # past 15 digits: refused
            value = int(raw)
            self.parsed[name][r] = value
            return value
        if raw is None or raw == "":
            return None
        if is_uncached(raw):
            return None  # named once by read_book (formula-without-value)
        if isinstance(raw, datetime.date):  # 3/12 typed in a General cell: Excel's date, not a number
            self.problems.append(typed_as_date("number-is-date", self.ref(r, name), raw, name, "數字"))
            return None
        try:
            value = parse_quantity(raw) if quantity else parse_price(raw) if price else parse_int(raw)
        except NotANumber as err:
            value = _count_with_unit(raw, name)
            if value is None:
                self.problems.append(number_problem(err, self.ref(r, name), raw, name))
                return None
        if value is not None:
            self.parsed[name][r] = value
        return value

    def code(self, row, name, width: int) -> str:
        """A code of ``width`` digits as typed: full-width, spaces, dashes, or a number that lost its zeros."""
        return code_key(self.value(row, name), width)

    def code11(self, r: int, row, name: str, column: str | None = None) -> str | None:
        """The row's 11-digit code under ``name``; None, with a bad-code problem at its cell, when it is not one."""
        return self.code11_of(r, self.value(row, name), name, column)

    def code11_of(self, r: int, raw: object, name: str, column: str | None = None) -> str | None:
        """``code11`` of ``raw``, the value of row ``r`` under ``name``."""
        if type(raw) is str and len(raw) == 11 and raw.isascii() and raw.isdigit():
            return raw  # typed as it should be: the code as it stands
        code = code_key(raw, 11)
        if CODE11.match(code):
            return code
        self.problem("bad-code", r, name, column=column or name, expected="11 位數字", actual=cell_text(raw))
        return None

    def problem(self, rule: str, r: int, name: str, **fields) -> None:
        self.problems.append(make_finding(rule, self.ref(r, name), **fields))

    def _second_header(self, row: list[object]) -> bool:
        """Whether ``row``, the first under the header, is a second header row: no number in it, and every word a
        unit (元, 千元, 人, 個…, bare or in brackets) or English (「col1」, 「Plan code」), as a sheet exported from
        another system or with its units on a row of their own carries. Named once at its first cell
        (second-header-row) and not read as a line: each of its cells was named as a bad code or a not-a-number,
        which told the officer nothing of what to do (field report 15 §2.2)."""
        words = []
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if value.__class__ is not str:
                return False
            word = compact_key(value).strip("()（）[]［］")
            if not word:
                continue
            if not (word in MONEY_UNITS or word in _UNIT_WORDS
                    or word.isascii() and any(ch.isalpha() for ch in word) and not any(ch.isdigit() for ch in word[:1])):
                return False
            words.append((c, value.strip()))
        units = [w for _, w in words if compact_key(w).strip("()（）[]［］") in MONEY_UNITS
                 or compact_key(w).strip("()（）[]［］") in _UNIT_WORDS]
        if not units and len(words) < 2:  # one English word alone (a 說明 「OK」, a paragraph) is no header row
            return False
        c, first = words[0]
        shown = "、".join(f"「{w}」" for _, w in words[:4]) + ("…" if len(words) > 4 else "")
        self.problems.append(make_finding("second-header-row", self.grid.ref(1, c), actual=first, sheet=self.grid.sheet,
                                          row=self.grid.top + 1, shown=shown))
        return True

    def note_only(self, r: int, row: list[object], notes: tuple[str, ...] = ("說明",)) -> bool:
        """Whether row ``r``, its key blank, holds nothing but text in ``notes`` (說明): an explanation run on below
        its line, named as one (``note-only-row``, field report 14 §2.1) rather than as a key 「」 left blank."""
        texts = [(name, cell_text(row[c])) for name, c in self.columns.items() if c < len(row) and cell_text(row[c])]
        if not texts or any(name not in notes for name, _ in texts):
            return False
        name, text = texts[0]
        self.problem("note-only-row", r, name, actual=text if len(text) <= 30 else text[:30] + "…", column=name,
                     key=self.key)
        return True

    def plan(self, r: int, row, plans: list[str], default: list[str] | None = None) -> str | None:
        """The row's 工作計畫編號 (empty: the book's only plan, or the only one of ``default``: 約聘僱 is paid by the
        plans with 1020 lines); None, with a problem, when 歲出明細 has no such plan."""
        plan = self.code(row, "工作計畫編號", 11)  # a number that lost its zeros gets them back, as in 歲出明細
        only = plans if default is None else default
        if not plan and len(only) == 1:
            plan = only[0]
        if not CODE11.match(plan) or plan not in plans:
            self.problem("unknown-plan", r, "工作計畫編號", actual=plan)
            return None
        return plan


def number_problem(err: NotANumber, cell: CellRef, raw: object, column: str) -> Finding:
    """The finding for ``raw``, the value of an input cell under ``column`` that is not the number it should be:
    ``misplaced-comma`` for 「1,2」 (a comma grouping no three digits is never 12), ``joined-figures`` for 「5\n2,000」
    (two figures, never 52,000), ``too-many-digits`` past the 15 digits Excel keeps (naming how many, the text cut
    short), else ``not-a-number``: the rule the error names."""
    if isinstance(err, TooManyDigits):
        return make_finding("too-many-digits", cell, actual=str(err), column=column, digits=err.digits,
                            limit=EXCEL_DIGITS)
    return make_finding(err.rule, cell, actual=cell_text(raw), column=column, typed=shown_whitespace(cell_text(raw)))


def is_uncached(value: object) -> bool:
    """Whether a value is a formula without its cached value (never read as empty or 0)."""
    return isinstance(value, Uncached)


# Excel's error values, as every reader hands them over (openpyxl and xlwings as text, python-calamine's cells
# marked by fastread), with what each says went wrong: never read as text or a number (field L11)
EXCEL_ERRORS = {
    "#REF!": "公式參照的儲存格已被刪除", "#VALUE!": "公式的引數型別不對", "#DIV/0!": "公式除以零",
    "#N/A": "公式查無對應的值", "#NAME?": "公式有 Excel 無法辨識的名稱", "#NUM!": "公式的數值無效",
    "#NULL!": "公式的範圍沒有交集", "#SPILL!": "公式的溢出範圍被擋住", "#CALC!": "公式無法計算",
    "#GETTING_DATA": "公式的資料尚未取得",
}


def is_error_value(value: object) -> bool:
    """Whether a cell holds one of Excel's error values (#REF!, #N/A, …) rather than text or a number."""
    return type(value) is str and value in EXCEL_ERRORS


CODE11 = lazy(r"^\d{11}$")
_NUMBERED = lazy(r"^\s*(\d+)\s*(.*)$")


def numbered(text: str) -> tuple[str, str]:
    """'06補助及協助收入' → ('06', '補助及協助收入'); '06' → ('06', '')."""
    m = _NUMBERED.match(text)
    return (m.group(1), m.group(2).strip()) if m else ("", text.strip())
