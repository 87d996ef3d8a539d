"""Schedule sheets read back from a template book, cell by cell, against what its inputs derive."""

from __future__ import annotations


from typing import Iterable, Mapping

from xlbudget.core.findings import Finding
from xlbudget.core.keys import compact_key
from xlbudget.core.model import BudgetBook, CellRef
from xlbudget.core.patterns import lazy
from xlbudget.core.tables import AMOUNT, BANNER, LABEL, TEXT
from xlbudget.derive.book import derive_all
from xlbudget.forms.layout import layout_table
from xlbudget.readers.grid import Grid
from xlbudget.rules.common import finding, funding_parts, heading_amount, unverifiable

def _value(grid: Grid, r: int, c: int) -> object:
    """Value at sheet row r, column c (1-based) of a grid that starts at A1."""
    rr, cc = r - grid.top, c - grid.left
    if 0 <= rr < len(grid.rows) and 0 <= cc < len(grid.rows[rr]):
        return grid.rows[rr][cc]
    return None


def _prior_related(book: BudgetBook, code: str, key: str) -> tuple[CellRef, ...]:
    source = {"上年度預算數": ("上年度預算數",), "前年度決算數": ("前年度決算數",),
              "本年度與上年度比較": ("上年度預算數",)}.get(key, ())
    return tuple(p.cells[k] for p in book.prior if p.code == code for k in source if k in p.cells)


def compare_schedules(book: BudgetBook, tables_read_back: Mapping[str, Grid], tables=None,
                      layouts: Mapping[str, object] | None = None, texts: list[Finding] | None = None) -> list[Finding]:
    """Each schedule sheet read back, cell by cell, against what the inputs derive (``tables``: derive_all's, when
    the caller has them; ``layouts``: their layout_table, by sheet name, when it has those: each table laid out once).
    ``texts``, when given, gets a schedule-text-differs for each word cell (說明, a 說明提要 banner…) that reads
    otherwise than the inputs give, spaces aside: for tables-stale alone (stale_tables), never listed by itself (the
    officer's words typed over a table are his: build names them as it writes over them).

    ``tables_read_back`` maps sheet names (table titles) to grids from A1.
    Positions come from ``layout.layout_table``, as xlbudget wrote them. An
    officer's typed-over figure is named by its schedule cell; 說明 text is
    not compared, except the 市款／收支併列 figures in it.
    """
    from xlbudget.readers.printed_model import read_figure  # a figure typed over a table: read as printed

    findings: list[Finding] = []
    for table in derive_all(book) if tables is None else tables:
        grid = tables_read_back.get(table.sheet_name)
        if grid is None:
            continue
        layout = layouts[table.sheet_name] if layouts and table.sheet_name in layouts else layout_table(table, book.agency)
        kinds = [c.kind for c in table.columns]
        for r in sorted(layout.data_rows):
            row = table.rows[layout.data_rows[r]]
            expected_row = layout.values[r - 1]
            if row.style == BANNER:
                exp = heading_amount(expected_row[0])
                raw = _value(grid, r, 1)
                act = heading_amount(raw) if exp is not None else None
                if act != exp:
                    findings.append(finding("schedule-cell-mismatch", grid.ref(r - grid.top, 0), exp, act,
                                            table=table.title))
                elif texts is not None and raw != expected_row[0] and _words_differ(expected_row[0], raw):
                    texts.append(_text_differs(grid.ref(r - grid.top, 0), expected_row[0], raw, table.title))
                continue
            rr = r - grid.top
            read = grid.rows[rr] if 0 <= rr < len(grid.rows) else ()
            values = [read[cc] if 0 <= (cc := c - grid.left) < len(read) else None for c in range(1, len(kinds) + 1)]
            changed = False
            for c, kind in enumerate(kinds, start=1):
                if kind == LABEL and values[c - 1] != expected_row[c - 1] \
                        and compact_key(expected_row[c - 1]) != compact_key(values[c - 1]):
                    findings.append(finding("schedule-rows-changed", grid.ref(rr, c - 1),
                                            expected_row[c - 1], values[c - 1], table=table.title))
                    changed = True
                    break
            if changed:
                break
            for c, kind in enumerate(kinds, start=1):
                exp, raw = expected_row[c - 1], values[c - 1]
                if kind == AMOUNT:
                    if type(raw) is int and raw == (exp or 0):
                        continue  # the common case, without building a cell reference
                    cell = grid.ref(rr, c - 1)
                    fig = read_figure(raw, cell, price=table.columns[c - 1].key == "單價")
                    if not fig.readable:
                        findings.append(unverifiable(fig, table.title))
                    elif (fig.value or 0) != (exp or 0):
                        findings.append(finding("schedule-cell-mismatch", cell, exp, fig.value, table=table.title,
                                                related=_prior_related(book, row.code, table.columns[c - 1].key)))
                elif kind == TEXT and raw != exp:
                    if (parts := funding_parts(exp)) is not None and parts != funding_parts(raw):  # its figures
                        findings.append(finding("schedule-cell-mismatch", grid.ref(rr, c - 1), exp, raw,
                                                table=table.title))
                    elif texts is not None and _words_differ(exp, raw):
                        texts.append(_text_differs(grid.ref(rr, c - 1), exp, raw, table.title))
    return findings


def _words_differ(expected: object, typed: object) -> bool:
    """Whether a word cell reads otherwise than the table gives it: as the build's record reads cells (a number typed
    as text is its digits), spaces and line breaks aside (a renderer's wrapping)."""
    from xlbudget.forms.overwrite import cell_text

    a, b = cell_text(expected), cell_text(typed)
    return a != b and compact_key(a or "") != compact_key(b or "")


def _text_differs(cell: CellRef, expected: object, typed: object, table: str) -> Finding:
    """schedule-text-differs at ``cell``: each text quoted (and cut at 30 characters) as tables-stale shows it."""
    def quoted(value: object) -> str:
        text = " ".join(str(value).split()) if value not in (None, "") else ""
        return f"「{text if len(text) <= 30 else text[:30] + '…'}」" if text else "空白"

    return finding("schedule-text-differs", cell, quoted(expected), quoted(typed), table=table)


def compare_sentences(book: BudgetBook, grid: Grid) -> list[Finding]:
    """總說明's figure sentences (column D, written by build) read back against what the inputs derive.

    Only a sheet that carries our header in D1 was built; a sentence changed,
    emptied or missing is named by its cell. Lines below the sentences are not ours.
    """
    from xlbudget.derive.narrative import NARRATIVE_COLUMN, NARRATIVE_HEADER, standard_sentences

    if compact_key(_value(grid, 1, NARRATIVE_COLUMN)) != compact_key(NARRATIVE_HEADER):
        return []
    findings = []
    for r, sentence in enumerate(standard_sentences(book), start=2):
        typed = _value(grid, r, NARRATIVE_COLUMN)
        if compact_key(typed) != compact_key(sentence):
            findings.append(finding("narrative-sentence-changed", grid.ref(r - grid.top, NARRATIVE_COLUMN - grid.left),
                                    sentence, typed))
    return findings


def left_behind(records: dict[str, str | None], titles) -> list[str]:
    """The sheets, of ``records`` ({sheet: its forms.overwrite.RECORD_NAME text, None without one}), that a last build
    wrote and this build, writing ``titles``, no longer writes (field report 10 §1.1: a trip's 類別 changed, its old
    類別表 stayed with last build's figures, unsaid; a removed trip's 總表 too). Only a sheet carrying build's record
    under a table's title: the officer's own sheets have none, and a copy Excel made of a table sheet (which copies
    its record) is named 「… (2)」."""
    from xlbudget.forms.overwrite import read_record

    return [name for name, text in records.items()  # the title last: a rebuild of the same tables reads none
            if name not in titles and read_record(text) is not None and table_sheet_name(name)]


def table_sheet_name(name: str) -> bool:
    """Whether ``name`` is one build may give a table's sheet: a table's title (and what follows it: 類別表—開會), not
    the name Excel gives a copy of a sheet (「各項費用彙計表 (2)」)."""
    from xlbudget.core.titles import CONTENTS
    from xlbudget.readers.printed_pages import TABLES

    return not _EXCEL_COPY.search(name) and any(name.startswith(title) for title in (*TABLES, CONTENTS))


_EXCEL_COPY = lazy(r" \(\d+\)$")  # the name Excel gives a copy of a sheet: 「各項費用彙計表 (2)」


def stale_tables(findings: Iterable[Finding], grids: Mapping[str, Grid], records: Mapping[str, str | None],
                 merges: Mapping[str, tuple] | None = None, sheet_order: Iterable[str] = ()) -> Finding | None:
    """tables-stale: figures the last build wrote that the inputs no longer give: the input sheets were edited
    after the tables were made, and the tables not made again (field report 8 §2.5), said once, before the per-cell
    list, with the first such cell (in ``in_reading_order``) and its two figures.

    ``findings``: compare_schedules' (its schedule-cell-mismatch are the figures that differ, and the words its
    ``texts`` got, schedule-text-differs: a 說明 edited and not built again prints the old one); ``grids`` the table
    sheets as read (from A1), ``records`` the text of each one's forms.overwrite record (RECORD_NAME), ``merges`` their
    merged ranges where the reader gives them. A differing figure is the last build's when its band of rows or its
    group of columns still reads as recorded (forms.overwrite.Record.ours, as build tells its own figures from the
    officer's); one typed over a table changes both and is his, named by its own finding only. A sheet without a
    record (built before records, or made by hand) is not known to be xlbudget's: None for it."""
    from xlbudget.core.findings import in_reading_order
    from xlbudget.core.model import cell_position
    from xlbudget.forms.overwrite import read_record
    from xlbudget.readers.grid import text_cells

    by_sheet: dict[str, list[Finding]] = {}
    for f in findings:
        if f.rule in ("schedule-cell-mismatch", "schedule-text-differs") and f.cell is not None:
            by_sheet.setdefault(f.cell.sheet, []).append(f)
    stale = []
    for sheet, found in by_sheet.items():
        last, grid = read_record(records.get(sheet)), grids.get(sheet)
        if last is None or grid is None:
            continue
        bands, groups = last.ours(text_cells(grid.rows, grid.top, grid.left, every=True), (merges or {}).get(sheet, ()))
        for f in found:
            r, c = cell_position(f.cell.cell)
            if last.inside(r, c) and ((r - 1) // last.rsize in bands or (c - 1) // last.csize in groups):
                stale.append(f)
    if not stale:
        return None
    first = in_reading_order(stale, sheet_order)[0]
    return finding("tables-stale", None, first.expected, first.actual, related=(first.cell,),
                   table=first.cell.sheet, where=first.cell.cell, tables=len({f.cell.sheet for f in stale}),
                   count=len(stale))
