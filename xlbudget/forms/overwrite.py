"""What build overwrites on a table sheet: its record of what it wrote there, and the officer's cells it replaces.

Every build (the CLI, spliced or through openpyxl, and the 產生報表 button) rewrites its table sheets whole. So
that the next build can tell the figures it wrote itself (overwriting those is its job, and silent) from what the
officer typed over them or beside them since (a number, a formula, a word: each is named, with what was there and
what is there now), each table sheet carries a record of what build wrote on it: a sheet-scoped defined name
(``RECORD_NAME``) holding one string: the table's extent (rows × columns) and a short digest of each of up to
``ROW_BANDS`` bands of its rows and of each of up to ``COLUMN_GROUPS`` groups of its columns. A cell the officer typed over
changes the digests of its band and of its column group; one typed where build never wrote is outside the extent.
So a cell is xlbudget's when its band or its column group reads back as recorded (inputs changed since change
what the new table writes, not what the old sheet reads); the officer's when it is outside the recorded extent,
a formula (build writes none), or in a band and a column group that both no longer read as written — and then
named only if the new table does not write the same there. A book with no record (built before records, or the
record deleted) has no cell known to be xlbudget's: every cell that differs from the new table is named.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

from xlbudget.core.records import record


RECORD_NAME = "_xlbudget_built"
# bands of rows and groups of columns, 3 characters each: the record stays a string Excel takes (255 characters at
# most); a table of up to 56 rows and 18 columns (各項費用彙計表 of 15 plans) has one row a band, one column a group
ROW_BANDS, COLUMN_GROUPS = 56, 18
_VERSION = "xlb2"
_DIGITS = 3  # base64 characters of a band's digest: 18 bits


def cell_text(value: object) -> str | None:
    """A cell's value as every reader gives it back, written one way: a number as its decimal digits (43769,
    43769.0 and Decimal 43769 alike; 1.6), text as it is; None for an empty cell (None or blank text)."""
    kind = type(value)  # the common cells first: text, a whole number (a table of 20,000 lines has 500,000)
    if kind is str:
        return value if value.strip() else None
    if kind is int or kind is float and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, (int, float, Decimal)):
        try:
            number = Decimal(str(value)).normalize()
        except InvalidOperation:
            return str(value)
        return format(number, "f") if number.is_finite() else str(value)
    return str(value)


def _texts(values: list[list[object]], covered=frozenset()):
    """(row, column, text) of each non-empty cell of a laid-out table (row 1 is sheet row 1), as cell_text writes it,
    in row-major order; none of ``covered`` (the cells a merge covers other than its first)."""
    for r, row in enumerate(values, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue  # most of a table's cells; then its words and whole figures, as cell_text takes them
            kind = value.__class__
            if kind is str:
                if not value.strip():
                    continue
                text = value
            elif kind is int:
                text = str(value)
            elif (text := cell_text(value)) is None:
                continue
            if covered and (r, c) in covered:
                continue
            yield r, c, text


def _cells(values: list[list[object]]) -> dict[tuple[int, int], str]:
    """The non-empty cells of a laid-out table (row 1 is sheet row 1), as cell_text writes them."""
    return {(r, c): text for r, c, text in _texts(values)}


def _covered(merges) -> set[tuple[int, int]]:
    """The cells ``merges`` cover other than each one's first: Excel and openpyxl keep none there (a header spread
    over 經常支出's columns is written in each by XlsxWriter, read back only in the first by openpyxl)."""
    return {(r, c) for r1, c1, r2, c2 in merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
            if (r, c) != (r1, c1)}


def _unmerged(cells: dict, merges) -> dict:
    """``cells`` but those a merge covers other than its first (_covered)."""
    covered = _covered(merges)
    return {k: v for k, v in cells.items() if k not in covered} if covered else cells


def _digests(cells, extent: tuple[int, int], sizes: tuple[int, int]) -> str:
    """Each band of rows' digest, then each group of columns', of the cells (row, column, text) inside ``extent``
    (rows, columns), taken in row-major order (every reader gives a sheet's cells so, as layout.values holds them).
    hashlib is imported here, not with the module: export and check import this one for RECORD_NAME, and a book
    without records never digests (hashlib loads OpenSSL: 3.5 ms of export's start)."""
    import base64
    import hashlib

    (rows, cols), (rsize, csize) = extent, sizes
    bands: list[list[str]] = [[] for _ in range(math.ceil(rows / rsize))]
    groups: list[list[str]] = [[] for _ in range(math.ceil(cols / csize))]
    band_of = [bands[(r - 1) // rsize].append for r in range(1, rows + 1)]  # each cell's two lists, looked up once
    group_of = [groups[(c - 1) // csize].append for c in range(1, cols + 1)]
    for r, c, text in cells:
        if r <= rows and c <= cols:
            line = f"{r},{c}\x1f{text}\x1e"
            band_of[r - 1](line)
            group_of[c - 1](line)
    return "".join(base64.urlsafe_b64encode(hashlib.sha1("".join(part).encode()).digest()[:3]).decode()[:_DIGITS]
                   for part in bands + groups)


def built_record(layout) -> str:
    """The record of a table written as ``layout`` (forms.layout.SheetLayout: its values and merges): what
    RECORD_NAME holds, quoted as a name's string constant (``"xlb2;rows;cols;band;group;digests"``)."""
    values = layout.values
    rows, cols = len(values), max((len(row) for row in values), default=0)
    sizes = (max(1, math.ceil(rows / ROW_BANDS)), max(1, math.ceil(cols / COLUMN_GROUPS)))
    return (f'"{_VERSION};{rows};{cols};{sizes[0]};{sizes[1]};'
            + _digests(_texts(values, _covered(layout.merges)), (rows, cols), sizes) + '"')


@record
class Record:
    """What the last build wrote on a sheet: its extent, the sizes of its bands and column groups, their digests."""

    rows: int
    cols: int
    rsize: int
    csize: int
    digests: str

    def ours(self, cells: dict[tuple[int, int], object], merges=()) -> tuple[set[int], set[int]]:
        """The bands and the column groups that read back as recorded from ``cells`` (the sheet as it is now, its
        ``merges`` where the reader tells them)."""
        read = ((r, c, t) for (r, c), v in _unmerged(cells, merges).items() if (t := cell_text(v)) is not None)
        now = _digests(read, (self.rows, self.cols), (self.rsize, self.csize))
        same = [i for i in range(0, len(now), _DIGITS) if now[i:i + _DIGITS] == self.digests[i:i + _DIGITS]]
        bands = math.ceil(self.rows / self.rsize)
        return {i // _DIGITS for i in same if i // _DIGITS < bands}, {i // _DIGITS - bands for i in same
                                                                      if i // _DIGITS >= bands}

    def inside(self, r: int, c: int) -> bool:
        """Whether (r, c) is a cell of the table the last build wrote."""
        return r <= self.rows and c <= self.cols


def read_record(text: str | None) -> Record | None:
    """The record in a defined name's text (``"xlb2;…"`` or ``="xlb2;…"``); None when there is none or it is not
    one (edited by hand, another version): the sheet is then read as having none."""
    if not text:
        return None
    parts = text.strip().lstrip("=").strip().strip('"').split(";")
    if len(parts) != 6 or parts[0] != _VERSION or not all(p.isdigit() for p in parts[1:5]):
        return None
    rows, cols, rsize, csize = (int(p) for p in parts[1:5])
    if rsize < 1 or csize < 1 or len(parts[5]) != _DIGITS * (math.ceil(rows / rsize) + math.ceil(cols / csize)):
        return None
    return Record(rows, cols, rsize, csize, parts[5])


@record
class Replaced:
    """A cell of the officer's that the new table overwrites or clears: where, what it held, what it holds now."""

    position: tuple[int, int]  # (row, column), 1-based
    kind: str  # 文字 / 數字 / 公式
    was: str
    now: str | None  # None: left empty


def officer_cells(old: dict[tuple[int, int], object], formulas: dict[tuple[int, int], str], layout,
                  record: str | None, merges=()) -> list[Replaced]:
    """Each cell of the officer's on a table sheet that the new table (``layout``: forms.layout's) overwrites or
    clears: ``old`` {(row, column): value}, ``formulas`` {(row, column): =formula} and ``merges`` read before
    writing, ``record`` RECORD_NAME's text then. Not a cell the last build wrote as it still reads (its band or its
    column group as recorded), nor what is written again unchanged, nor text the new table prints somewhere (his
    words are not lost)."""
    last = read_record(record)
    bands, groups = last.ours(old, merges) if last is not None else (set(), set())
    candidates = set(formulas) | set(old)
    if last is not None and len(bands) == math.ceil(last.rows / last.rsize):  # every band as the last build wrote it
        candidates = set(formulas) | {(r, c) for r, c in old if not last.inside(r, c)}
    if not candidates:
        return []
    new = _cells(layout.values)
    printed = {text.strip() for text in new.values()}
    found = []
    for position in sorted(candidates):
        r, c = position
        formula = formulas.get(position)
        if formula is None:
            was = cell_text(old.get(position))
            if was is None or was == new.get(position):
                continue  # empty, or the same written again: nothing lost
            if last is not None and last.inside(r, c) and ((r - 1) // last.rsize in bands
                                                           or (c - 1) // last.csize in groups):
                continue  # the last build's: his typing would have changed both its band and its column group
            if isinstance(old.get(position), str) and was.strip() in printed:
                continue  # his words are still in the table
            found.append(Replaced(position, "文字" if isinstance(old.get(position), str) else "數字", was,
                                  new.get(position)))
        else:  # a formula is never xlbudget's: build writes none
            found.append(Replaced(position, "公式", formula, new.get(position)))
    return found


def narrative_cells(old: dict[tuple[int, int], object], formulas: dict[tuple[int, int], str], column: int,
                    lines: list[str], earlier) -> list[Replaced]:
    """Each cell of the officer's in the one ``column`` build writes whole (總說明's D: its header and figure
    sentences, ``lines`` from row 1) that writing ``lines`` clears or overwrites: ``old`` {(row, column): value} and
    ``formulas`` read before writing, any column (only ``column`` is looked at). Not what is written again or still
    written elsewhere in the column, nor a line of an earlier build (``earlier(text)``: its shape, whatever its
    figures)."""
    new = {(r, column): text for r, text in enumerate(lines, start=1)}
    written = {text.strip() for text in lines}
    found = []
    for position in sorted({p for p in (*old, *formulas) if p[1] == column}):
        formula = formulas.get(position)
        if formula is not None:  # a formula is never xlbudget's: build writes none
            found.append(Replaced(position, "公式", formula, new.get(position)))
            continue
        was = cell_text(old.get(position))
        if was is None or was == new.get(position) or was.strip() in written or earlier(was):
            continue
        found.append(Replaced(position, "文字" if isinstance(old.get(position), str) else "數字", was,
                              new.get(position)))
    return found
